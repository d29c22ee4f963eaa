"""Edges routed around node boxes: each edge drawn straight, or curved where a straight line crosses a label.

The layout (:mod:`.layout`) places boxes so that none overlaps, but an arrow between two of
them could still run through a third's label. Spreading the map to make room grew it and
shrank its labels below what a reader reads at first sight; so each edge gets its own drawing
instead (:func:`route`): of :data:`CANDIDATES`, the one that crosses the fewest other boxes,
and of those the one that strays least from the straight line. Edges between the same two
nodes (A→B twice, or A→B and B→A) never share a drawing, so that they stay apart. Where no
drawing gets round a box, :func:`untangle` nudges that box a few pixels aside, if it has the
room, inside the map's extent: the map is drawn at the same scale.

A curve is one of vis-network's static quadratic Béziers (``smooth`` of type ``curvedCW``,
``curvedCCW``, ``horizontal`` or ``vertical``); :func:`via` reproduces its control point to
the letter (vis-network 9.1.2, ``BezierEdgeStatic._getViaCoordinates``), so Python sees the
curve the browser draws. Boxes are found through a grid of cells, so that routing costs about
the same per edge on any map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

__all__ = ["CANDIDATES", "STRAIGHT", "Route", "crossed", "route", "untangle", "via"]

Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """How vis draws one edge: straight, or one of its static curves (a ``smooth`` type and roundness)."""

    kind: str = "straight"
    roundness: float = 0.0

    def smooth(self) -> dict[str, Any]:
        """The edge's vis ``smooth`` option.

        >>> Route("curvedCCW", 0.3).smooth()
        {'enabled': True, 'type': 'curvedCCW', 'roundness': 0.3}
        >>> STRAIGHT.smooth()
        {'enabled': False}
        """
        if self.kind == "straight":
            return {"enabled": False}
        return {"enabled": True, "type": self.kind, "roundness": self.roundness}


STRAIGHT = Route()
#: The drawings tried: straight; arcs bowing either way (curvedCW, curvedCCW), the flatter
#: first; and elbows that leave the start across or down and turn (horizontal, vertical), for
#: a box that sits right between the two ends. Each edge takes the one that crosses fewest
#: boxes, and of those the one that strays least from the straight line.
CANDIDATES: tuple[Route, ...] = (
    STRAIGHT,
    *(Route(kind, r) for r in (0.15, 0.3, 0.45, 0.6, 0.8, 1.0) for kind in ("curvedCW", "curvedCCW")),
    *(Route(kind, r) for r in (0.5, 0.75, 1.0) for kind in ("horizontal", "vertical")),
)
#: Room kept around every box, in pixels (vis draws boxes a little larger than estimated at times).
MARGIN = 4.0
#: Side of a grid cell, in pixels (about one box).
CELL = 160.0
#: Length of the straight pieces a curve is checked in, in pixels.
STEP = 24.0
#: Two edges between the same nodes have their middles at least this far apart, in pixels.
APART = 16.0
#: Above this many edges only the straight line and the flattest arcs are tried, and no box is
#: nudged: the work grows with edges times drawings (a map of 380 factors and 1,500 claims took
#: 50 s with every drawing and nudge), and so busy a map is read by zooming in anyway.
BUSY = 300
#: The drawings tried on a busy map.
BUSY_CANDIDATES = 5


def via(start: Point, end: Point, route: Route) -> Point:
    """The control point of ``route`` from ``start`` to ``end``, as vis-network computes it.

    Roundness 0 puts an arc's halfway, so the curve is the straight line; roundness 1,
    clockwise, a quarter turn round the start, as far out as the end; an elbow's, at roundness 1,
    level with the start (horizontal) or straight above or below it (vertical):

    >>> [round(c, 6) + 0 for c in via((0, 0), (100, 0), STRAIGHT)]
    [50.0, 0.0]
    >>> [round(c, 6) + 0 for c in via((0, 0), (100, 0), Route("curvedCW", 1.0))]
    [0.0, -100.0]
    >>> via((0, 0), (100, 50), Route("horizontal", 1.0)), via((0, 0), (100, 50), Route("vertical", 1.0))
    ((100.0, 0), (0, 50.0))
    """
    r = route.roundness
    if route.kind in ("straight", "curvedCW", "curvedCCW"):
        dx, dy = end[0] - start[0], start[1] - end[1]
        turn = (-0.5 * r + 0.5) if route.kind == "curvedCCW" else (0.5 * r + 0.5)
        angle = (math.atan2(dy, dx) + turn * math.pi) % (2 * math.pi)
        reach = (0.5 * r + 0.5) * math.hypot(dx, dy)
        return start[0] + reach * math.sin(angle), start[1] + reach * math.cos(angle)
    if route.kind == "horizontal":
        u = (1 - r) * abs(start[0] - end[0])
        return end[0] + (-u if start[0] < end[0] else u), start[1]
    if route.kind == "vertical":
        f = (1 - r) * abs(start[1] - end[1])
        return start[0], end[1] + (-f if start[1] < end[1] else f)
    raise ValueError(f"no such route: {route.kind}")


def _middle(start: Point, end: Point, route: Route) -> Point:
    cx, cy = via(start, end, route)
    return 0.25 * start[0] + 0.5 * cx + 0.25 * end[0], 0.25 * start[1] + 0.5 * cy + 0.25 * end[1]


def _points(start: Point, end: Point, route: Route) -> list[Point]:
    """The curve as a line of short straight pieces (a straight edge is one piece)."""
    if route.kind == "straight":
        return [start, end]
    cx, cy = via(start, end, route)
    n = max(8, min(64, math.ceil((math.dist(start, cx_cy := (cx, cy)) + math.dist(cx_cy, end)) / STEP)))
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c = (1 - t) * (1 - t), 2 * (1 - t) * t, t * t
        out.append((a * start[0] + b * cx + c * end[0], a * start[1] + b * cy + c * end[1]))
    return out


def _hits(p: Point, q: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment from ``p`` to ``q`` passes through ``box`` (left, top, right, bottom): Liang-Barsky."""
    if max(p[0], q[0]) < box[0] or min(p[0], q[0]) > box[2] or max(p[1], q[1]) < box[1] or min(p[1], q[1]) > box[3]:
        return False  # most pieces of a curve are nowhere near a given box
    low, high = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for step, room in ((-dx, p[0] - box[0]), (dx, box[2] - p[0]), (-dy, p[1] - box[1]), (dy, box[3] - p[1])):
        if step == 0:
            if room < 0:
                return False
        else:
            t = room / step
            if step < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
    return True


@dataclass(frozen=True)
class _Grid:
    boxes: dict[str, tuple[float, float, float, float]]
    cells: dict[tuple[int, int], tuple[str, ...]]

    def crossed(self, points: Sequence[Point], ends: tuple[str, str]) -> set[str]:
        """The boxes (ends aside) that the line through ``points`` passes through."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
        near = {n for cell in _cells(left, top, right, bottom) for n in self.cells.get(cell, ())}
        near.difference_update(ends)
        found = set()
        for n in near:
            box = self.boxes[n]
            meets = box[0] <= right and left <= box[2] and box[1] <= bottom and top <= box[3]
            if meets and any(_hits(p, q, box) for p, q in pairwise(points)):
                found.add(n)
        return found


def _cells(left: float, top: float, right: float, bottom: float) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(math.floor(left / CELL), math.floor(right / CELL) + 1)
        for j in range(math.floor(top / CELL), math.floor(bottom / CELL) + 1)
    ]


def _grid(positions: Mapping[str, Point], sizes: Mapping[str, tuple[int, int]]) -> _Grid:
    boxes = {}
    cells: dict[tuple[int, int], list[str]] = {}
    for node, (x, y) in sorted(positions.items()):
        w, h = sizes.get(node, (0, 0))
        box = (x - w / 2 - MARGIN, y - h / 2 - MARGIN, x + w / 2 + MARGIN, y + h / 2 + MARGIN)
        boxes[node] = box
        for cell in _cells(*box):
            cells.setdefault(cell, []).append(node)
    return _Grid(boxes, {k: tuple(v) for k, v in cells.items()})


def crossed(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, int]],
    edge: tuple[str, str],
    route: Route = STRAIGHT,
) -> set[str]:
    """The nodes whose boxes (with :data:`MARGIN`) ``edge`` drawn as ``route`` passes through, its ends aside.

    >>> sorted(crossed({"a": (0, 0), "b": (100, 0), "c": (200, 0)}, {n: (40, 20) for n in "abc"}, ("a", "c")))
    ['b']
    """
    start, end = edge
    return _grid(positions, sizes).crossed(_points(positions[start], positions[end], route), (start, end))


def route(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, int]],
    edges: Sequence[tuple[str, str]],
) -> list[Route]:
    """A drawing for each of ``edges`` (from, to), in their order, that crosses as few other boxes as it can.

    ``positions`` are box centres and ``sizes`` their widths and heights, in map pixels (as
    :func:`~cocagraph.render.layout.layout` and :func:`~cocagraph.render.layout.box_size`
    give them). Edges between the same two nodes get drawings that bow to different sides or
    by different amounts, whichever way they run.

    >>> pos = {"a": (0, 0), "b": (100, 0), "c": (200, 0)}
    >>> route(pos, {n: (40, 20) for n in pos}, [("a", "b"), ("a", "c")])[1] != STRAIGHT
    True
    """
    grid = _grid(positions, sizes)
    tried = CANDIDATES if len(edges) <= BUSY else CANDIDATES[:BUSY_CANDIDATES]
    middles: dict[frozenset[str], list[Point]] = {}
    routes = []
    for start, end in edges:
        a, b = positions[start], positions[end]
        taken = middles.setdefault(frozenset((start, end)), [])
        halfway = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        options = []
        for candidate in tried:
            middle = _middle(a, b, candidate)
            if start == end or any(math.dist(middle, m) < APART for m in taken):
                continue  # drawn over an edge between the same two nodes
            options.append((math.dist(middle, halfway), candidate, middle))
        best, fewest, where = STRAIGHT, math.inf, halfway
        for _, candidate, middle in sorted(options, key=lambda o: o[0]):  # the straightest first
            count = len(grid.crossed(_points(a, b, candidate), (start, end)))
            if count < fewest:
                best, fewest, where = candidate, count, middle
                if not count:
                    break
        taken.append(where)
        routes.append(best)
    return routes


#: How far a label in an arrow's way may be nudged aside, in pixels (a few steps of each size).
NUDGES: tuple[float, ...] = (8.0, 16.0, 24.0, 36.0, 48.0, 64.0)
#: Room kept between two boxes after a nudge, in pixels (the layout's own gap).
NUDGE_GAP = 18.0
#: At most this many boxes are tried for a nudge, those in the way of the most arrows first
#: (each try counts crossings afresh: a map of 120 factors and 300 claims took 2 s with no bound).
NUDGE_BOXES = 40


def _fewest(grid: _Grid, positions: Mapping[str, Point], edge: tuple[str, str]) -> int:
    """The fewest boxes ``edge`` crosses in any of :data:`CANDIDATES` (pairs aside)."""
    start, end = edge
    if start == end:
        return 0
    fewest = math.inf
    for candidate in CANDIDATES:
        count = len(grid.crossed(_points(positions[start], positions[end], candidate), edge))
        fewest = min(fewest, count)
        if not fewest:
            break
    return int(fewest)


def untangle(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, int]],
    edges: Sequence[tuple[str, str]],
) -> tuple[dict[str, tuple[int, int]], list[Route]]:
    """New positions and a drawing per edge: a label that no drawing of an edge gets round is nudged aside.

    A nudge moves one box a few pixels (:data:`NUDGES`) to where it overlaps no other box
    (:data:`NUDGE_GAP` apart), stays inside the map's extent (so the map is not drawn
    smaller), and fewer drawings cross a box than before; the rest of the map stays put.
    Maps of more than :data:`BUSY` edges are routed but not nudged.
    """
    pos = {n: (float(x), float(y)) for n, (x, y) in positions.items()}
    drawn = route(positions, sizes, edges)
    if not pos or len(edges) > BUSY:
        return dict(positions), drawn
    half = {n: (sizes.get(n, (0, 0))[0] / 2, sizes.get(n, (0, 0))[1] / 2) for n in pos}
    extent = (
        min(pos[n][0] - half[n][0] for n in pos),
        min(pos[n][1] - half[n][1] for n in pos),
        max(pos[n][0] + half[n][0] for n in pos),
        max(pos[n][1] + half[n][1] for n in pos),
    )
    grid = _grid(pos, sizes)
    lines = [_points(pos[a], pos[b], r) for (a, b), r in zip(edges, drawn, strict=True)]
    extents = [_extent(line) for line in lines]
    blocked: dict[str, list[int]] = {}
    for i, edge in enumerate(edges):
        for node in grid.crossed(lines[i], edge):
            blocked.setdefault(node, []).append(i)
    known: dict[int, int] = {}  # edge -> the fewest boxes it crosses where the boxes stand now
    for node in sorted(blocked, key=lambda n: (-len(blocked[n]), n))[:NUDGE_BOXES]:
        mine = sorted({*blocked[node], *(i for i, e in enumerate(edges) if node in e)})
        before: int | None = None
        best: tuple[int, Point] | None = None
        for step in NUDGES:
            for dx, dy in ((step, 0), (-step, 0), (0, step), (0, -step)):
                centre = (pos[node][0] + dx, pos[node][1] + dy)
                if not _fits(pos, half, node, centre, extent):
                    continue  # most boxes of a compact map have no room at all: nothing to count
                if before is None:
                    for i in mine:
                        if i not in known:
                            known[i] = _fewest(grid, pos, edges[i])
                    before = sum(known[i] for i in mine)
                trial = {**pos, node: centre}
                trial_grid = _grid(trial, sizes)
                # Other arrows, drawn as they are, that the box would now stand in the way of.
                box = trial_grid.boxes[node]
                after = sum(
                    1
                    for i, e in enumerate(edges)
                    if i not in mine
                    and node not in e
                    and _touches(box, extents[i])
                    and any(_hits(p, q, box) for p, q in pairwise(lines[i]))
                )
                for i in mine:  # given up as soon as the nudge can no longer be the best
                    if after >= (before if best is None else best[0]):
                        break
                    after += _fewest(trial_grid, trial, edges[i])
                else:
                    if after < before and (best is None or after < best[0]):
                        best = (after, centre)
            if best is not None and best[0] == 0:
                break
        if best is not None:
            pos[node] = best[1]
            grid = _grid(pos, sizes)
            known.clear()
            lines = [_points(pos[a], pos[b], r) for (a, b), r in zip(edges, drawn, strict=True)]
            extents = [_extent(line) for line in lines]
    rounded = {n: (round(x), round(y)) for n, (x, y) in pos.items()}
    if rounded == dict(positions):
        return rounded, drawn
    return rounded, route(rounded, sizes, edges)


def _extent(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _box(centre: Point, half: tuple[float, float], pad: float) -> tuple[float, float, float, float]:
    return centre[0] - half[0] - pad, centre[1] - half[1] - pad, centre[0] + half[0] + pad, centre[1] + half[1] + pad


def _touches(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _fits(
    pos: Mapping[str, Point],
    half: Mapping[str, tuple[float, float]],
    node: str,
    centre: Point,
    extent: tuple[float, float, float, float],
) -> bool:
    """Whether ``node``'s box centred on ``centre`` stays inside ``extent`` and clear of every other box."""
    box = _box(centre, half[node], 0)
    if box[0] < extent[0] or box[1] < extent[1] or box[2] > extent[2] or box[3] > extent[3]:
        return False
    padded = _box(centre, half[node], NUDGE_GAP)
    return not any(n != node and _touches(padded, _box(pos[n], half[n], 0)) for n in pos)
