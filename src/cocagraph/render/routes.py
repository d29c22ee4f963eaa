"""Edges routed around node boxes: each edge drawn straight, or curved where a straight line crosses a label.

The layout (:mod:`.layout`) places boxes so that none overlaps, but an arrow between two of
them could still run through a third's label. Nodes stay where they are (moving them grew the
map and shrank its labels): each edge gets its own drawing instead, the first of
:data:`CANDIDATES` that crosses the fewest other boxes (straight first, then the flattest
curve, clockwise before anticlockwise). Edges between the same two nodes (A→B twice, or A→B
and B→A) never share a drawing, so that they stay apart.

A curve is vis-network's static quadratic Bézier (``smooth`` of type ``curvedCW`` or
``curvedCCW``); :func:`via` reproduces its control point to the letter (vis-network 9.1.2,
``BezierEdgeStatic._getViaCoordinates``), so Python sees the curve the browser draws. Boxes
are found through a grid of cells, so that routing costs about the same per edge on any map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

__all__ = ["CANDIDATES", "STRAIGHT", "Route", "crossed", "route", "via"]

Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """How vis draws one edge: straight (roundness 0) or curved clockwise or anticlockwise."""

    roundness: float = 0.0
    clockwise: bool = True

    @property
    def side(self) -> float:
        """Which way the edge bows, and how far (seen from its start: + clockwise, − anticlockwise)."""
        return self.roundness if self.clockwise else -self.roundness

    def smooth(self) -> dict[str, Any]:
        """The edge's vis ``smooth`` option.

        >>> Route(0.3, False).smooth()
        {'enabled': True, 'type': 'curvedCCW', 'roundness': 0.3}
        >>> STRAIGHT.smooth()
        {'enabled': False}
        """
        if not self.roundness:
            return {"enabled": False}
        return {"enabled": True, "type": "curvedCW" if self.clockwise else "curvedCCW", "roundness": self.roundness}


STRAIGHT = Route()
#: The drawings tried, in order of preference: straight, then ever rounder curves either way.
CANDIDATES: tuple[Route, ...] = (
    STRAIGHT,
    *(Route(r, cw) for r in (0.15, 0.3, 0.45, 0.6, 0.8) for cw in (True, False)),
)
#: Room kept around every box, in pixels (vis draws boxes a little larger than estimated at times).
MARGIN = 4.0
#: Side of a grid cell, in pixels (about one box).
CELL = 160.0
#: Length of the straight pieces a curve is checked in, in pixels.
STEP = 12.0


def via(start: Point, end: Point, route: Route) -> Point:
    """The control point of ``route`` from ``start`` to ``end``, as vis-network computes it.

    Roundness 0 puts it halfway, so the curve is the straight line; roundness 1, clockwise,
    a quarter turn round the start, as far out as the end:

    >>> [round(c, 6) + 0 for c in via((0, 0), (100, 0), STRAIGHT)]
    [50.0, 0.0]
    >>> [round(c, 6) + 0 for c in via((0, 0), (100, 0), Route(1.0))]
    [0.0, -100.0]
    """
    dx, dy = end[0] - start[0], start[1] - end[1]
    length = math.hypot(dx, dy)
    r = route.roundness
    turn = (0.5 * r + 0.5) if route.clockwise else (-0.5 * r + 0.5)
    angle = (math.atan2(dy, dx) + turn * math.pi) % (2 * math.pi)
    reach = (0.5 * r + 0.5) * length
    return start[0] + reach * math.sin(angle), start[1] + reach * math.cos(angle)


def _points(start: Point, end: Point, route: Route) -> list[Point]:
    """The curve as a line of short straight pieces (a straight edge is one piece)."""
    if not route.roundness:
        return [start, end]
    cx, cy = via(start, end, route)
    n = max(8, min(64, math.ceil(math.hypot(end[0] - start[0], end[1] - start[1]) * (1 + route.roundness) / STEP)))
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c = (1 - t) * (1 - t), 2 * (1 - t) * t, t * t
        out.append((a * start[0] + b * cx + c * end[0], a * start[1] + b * cy + c * end[1]))
    return out


def _hits(p: Point, q: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment from ``p`` to ``q`` passes through ``box`` (left, top, right, bottom): Liang-Barsky."""
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
        found: set[str] = set()
        for p, q in pairwise(points):
            for cell in _cells(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])):
                for node in self.cells.get(cell, ()):
                    if node not in found and node not in ends and _hits(p, q, self.boxes[node]):
                        found.add(node)
        return found


def _cells(left: float, top: float, right: float, bottom: float) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(math.floor(left / CELL), math.floor(right / CELL) + 1)
        for j in range(math.floor(top / CELL), math.floor(bottom / CELL) + 1)
    ]


def _grid(positions: Mapping[str, tuple[int, int]], sizes: Mapping[str, tuple[int, int]]) -> _Grid:
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
    taken: dict[frozenset[str], set[float]] = {}
    routes = []
    for start, end in edges:
        pair = frozenset((start, end))
        # Seen from the pair's first node, so that A->B clockwise and B->A anticlockwise count as one side.
        forward = start <= end
        used = taken.setdefault(pair, set())
        best, fewest = None, math.inf
        for candidate in CANDIDATES:
            side = candidate.side if forward else -candidate.side
            if side in used or start == end:
                continue
            count = len(grid.crossed(_points(positions[start], positions[end], candidate), (start, end)))
            if count < fewest:
                best, fewest = candidate, count
                if not count:
                    break
        chosen = best or STRAIGHT
        used.add(chosen.side if forward else -chosen.side)
        routes.append(chosen)
    return routes
