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
curve the browser draws. Every drawing of an edge is tested against every box near it at once,
in NumPy (:func:`_through`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .layout import GAP, Box

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
#: Room kept around every box, in pixels: an arrow that passes closer looks as if it touched the label.
MARGIN = 4.0
#: How far a curve may bow beyond the outermost boxes, in pixels (the first view leaves about this much room).
FRAME = 12.0
#: What the largest scale of the first view (1.5) shows of a map in a 1400 x 900 window with
#: the panel open, in map pixels: a small map's curves have this much room.
SMALLEST_VIEW = (660.0, 540.0)
#: What a drawing that leaves the map's outline counts as: many crossings (it would be cut off).
OUTSIDE = "(outside the map)"
OUTSIDE_COST = 100
#: The straight pieces a curve is checked in (its bend is then a few pixels off at most).
SAMPLES = 32
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


def _count(hits: set[str]) -> int:
    """How many crossings a drawing's ``hits`` count for: one per box, and :data:`OUTSIDE_COST` outside the map."""
    return len(hits) + (OUTSIDE_COST - 1 if OUTSIDE in hits else 0)


def _curves(start: Point, end: Point, routes: Sequence[Route]) -> Any:
    """Each of ``routes`` from ``start`` to ``end`` in :data:`SAMPLES` straight pieces: drawings x points x 2.

    A straight edge is the curve whose control point is halfway (the same line).
    """
    import numpy as np

    control = np.array([via(start, end, r) for r in routes], dtype=np.float64)
    t = np.linspace(0.0, 1.0, SAMPLES + 1)[None, :, None]
    a, b = np.array(start, dtype=np.float64), np.array(end, dtype=np.float64)
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control[:, None, :] + t**2 * b


def _through(lines: Any, boxes: Any) -> Any:
    """Which of ``lines`` (drawings x points x 2) pass through which of ``boxes`` (m x 4: left, top, right, bottom).

    A straight piece meets a box where their extents overlap and the box's corners are not all on
    one side of the piece's line; every piece of every line against every box at once: drawings x m.
    """
    import numpy as np

    px, py = lines[:, :-1, 0, None], lines[:, :-1, 1, None]
    qx, qy = lines[:, 1:, 0, None], lines[:, 1:, 1, None]
    left, top, right, bottom = (boxes[None, None, :, k] for k in range(4))
    meets = (
        (np.minimum(px, qx) <= right)
        & (np.maximum(px, qx) >= left)
        & (np.minimum(py, qy) <= bottom)
        & (np.maximum(py, qy) >= top)
    )
    dx, dy = qx - px, qy - py
    above, below = dx * (top - py), dx * (bottom - py)
    west, east = dy * (left - px), dy * (right - px)
    sides = (above - west, above - east, below - west, below - east)
    low = np.minimum(np.minimum(sides[0], sides[1]), np.minimum(sides[2], sides[3]))
    high = np.maximum(np.maximum(sides[0], sides[1]), np.maximum(sides[2], sides[3]))
    return (meets & (low <= 0) & (high >= 0)).any(axis=1)


@dataclass(frozen=True)
class _Boxes:
    """Every node's box, with :data:`MARGIN` round it, as one array: many drawings are tested at once."""

    names: tuple[str, ...]
    index: Mapping[str, int]
    array: Any  # nodes x 4: left, top, right, bottom
    #: The map's outline (its boxes' extent, and :data:`FRAME` more): the first view fits the
    #: boxes, so a curve outside it would be cut off.
    frame: tuple[float, float, float, float]

    @classmethod
    def of(cls, positions: Mapping[str, Point], sizes: Mapping[str, tuple[int, ...]]) -> _Boxes:
        import numpy as np

        names = tuple(sorted(positions))
        rows = []
        for node in names:
            x, y = positions[node]
            w, h, drop = Box(*sizes.get(node, (0, 0)))
            rows.append((x - w / 2 - MARGIN, y + drop - h / 2 - MARGIN, x + w / 2 + MARGIN, y + drop + h / 2 + MARGIN))
        array = np.array(rows, dtype=np.float64).reshape(-1, 4)
        low, high = array[:, :2].min(axis=0, initial=0.0), array[:, 2:].max(axis=0, initial=0.0)
        # A small map is drawn at the largest scale with room round it: there a curve may bow
        # out as far as the smallest view shows (the first view fits the curves too).
        middle, half = (low + high) / 2, np.maximum((high - low) / 2 - MARGIN + FRAME, np.array(SMALLEST_VIEW) / 2)
        frame = (
            float(middle[0] - half[0]),
            float(middle[1] - half[1]),
            float(middle[0] + half[0]),
            float(middle[1] + half[1]),
        )
        return cls(names, {n: i for i, n in enumerate(names)}, array, frame)

    def moved(self, node: str, box: tuple[float, float, float, float]) -> _Boxes:
        """The same boxes, ``node``'s now ``box`` (with its margin)."""
        array = self.array.copy()
        array[self.index[node]] = box
        return _Boxes(self.names, self.index, array, self.frame)

    def crossed(self, lines: Any, ends: tuple[str, str]) -> list[set[str]]:
        """For each of ``lines``, the nodes (``ends`` aside) whose boxes it passes through (and :data:`OUTSIDE`
        if it leaves the frame)."""
        import numpy as np

        rows, hit, out = self._hits(lines, ends)
        return [
            {self.names[rows[k]] for k in np.flatnonzero(line)} | ({OUTSIDE} if o else set())
            for line, o in zip(hit, out, strict=True)
        ]

    def fewest(self, lines: Any, ends: tuple[str, str]) -> int:
        """What the best of ``lines`` counts for (:func:`_count`), without naming the boxes: cheaper."""
        _, hit, out = self._hits(lines, ends)
        return int((hit.sum(axis=1) + out * OUTSIDE_COST).min())

    def _hits(self, lines: Any, ends: tuple[str, str]) -> tuple[Any, Any, Any]:
        """The rows of the boxes near ``lines`` (``ends`` aside), which line crosses which, which leave the frame."""
        import numpy as np

        flat = lines.reshape(-1, 2)
        low, high = flat.min(axis=0), flat.max(axis=0)
        f = self.frame
        out = (lines[:, :, 0].min(axis=1) < f[0]) | (lines[:, :, 1].min(axis=1) < f[1])
        out |= (lines[:, :, 0].max(axis=1) > f[2]) | (lines[:, :, 1].max(axis=1) > f[3])
        a = self.array
        near = (a[:, 0] <= high[0]) & (low[0] <= a[:, 2]) & (a[:, 1] <= high[1]) & (low[1] <= a[:, 3])
        for end in ends:
            if end in self.index:
                near[self.index[end]] = False
        rows = np.flatnonzero(near)
        hit = _through(lines, a[rows]) if len(rows) else np.zeros((len(lines), 0), dtype=bool)
        return rows, hit, out


def crossed(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, ...]],
    edge: tuple[str, str],
    route: Route = STRAIGHT,
) -> set[str]:
    """The nodes whose boxes (with :data:`MARGIN`) ``edge`` drawn as ``route`` passes through, its ends aside.

    >>> sorted(crossed({"a": (0, 0), "b": (100, 0), "c": (200, 0)}, {n: (40, 20) for n in "abc"}, ("a", "c")))
    ['b']
    """
    start, end = edge
    return _Boxes.of(positions, sizes).crossed(_curves(positions[start], positions[end], [route]), edge)[0] - {OUTSIDE}


def route(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, ...]],
    edges: Sequence[tuple[str, str]],
) -> list[Route]:
    """A drawing for each of ``edges`` (from, to), in their order, that crosses as few other boxes as it can.

    ``positions`` are the nodes' positions and ``sizes`` their boxes, in map pixels (as
    :func:`~cocagraph.render.layout.layout` and :func:`~cocagraph.render.layout.box_size`
    give them). Edges between the same two nodes get drawings that bow to different sides or
    by different amounts, whichever way they run.

    >>> pos = {"a": (0, 0), "b": (100, 0), "c": (200, 0)}
    >>> route(pos, {n: (40, 20) for n in pos}, [("a", "b"), ("a", "c")])[1] != STRAIGHT
    True
    """
    boxes = _Boxes.of(positions, sizes)
    tried = CANDIDATES if len(edges) <= BUSY else CANDIDATES[:BUSY_CANDIDATES]
    middles: dict[frozenset[str], list[Point]] = {}
    routes = []
    for start, end in edges:
        a, b = positions[start], positions[end]
        taken = middles.setdefault(frozenset((start, end)), [])
        halfway = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        counts = (
            [0] * len(tried) if start == end else [_count(h) for h in boxes.crossed(_curves(a, b, tried), (start, end))]
        )
        options = []
        for candidate, count in zip(tried, counts, strict=True):
            middle = _middle(a, b, candidate)
            if start == end or any(math.dist(middle, m) < APART for m in taken):
                continue  # drawn over an edge between the same two nodes
            options.append((count, math.dist(middle, halfway), candidate, middle))
        # The fewest boxes crossed (inside the map's outline), and of those the straightest.
        _, _, best, where = min(options, key=lambda o: o[:2], default=(0, 0.0, STRAIGHT, halfway))
        taken.append(where)
        routes.append(best)
    return routes


#: How far a node may be moved in one step, in pixels (each tried in eight directions).
NUDGES: tuple[float, ...] = (12.0, 32.0, 64.0, 128.0)
#: Room kept between two boxes after a move, in pixels (the layout's own gap).
NUDGE_GAP = float(GAP)
#: What an edge as long as the map's median edge costs, against 1 for each box it crosses.
STRETCH = 0.25
#: Rounds of moves over the nodes in the way; a round that improves nothing ends the search.
ROUNDS = 3
#: The search's bound, in edges drawn afresh (about a third of a millisecond each; looking for
#: free places counts :data:`SPOT_WORK`): on the article's whole map the search ends by itself
#: after about 4,500; a random graph of 120 nodes and 260 links, where most crossings cannot be
#: undone, took 30 s with a bound of 4,000 moves instead.
WORK = 9000
SPOT_WORK = 30
_DIAGONAL = math.sqrt(0.5)
_DIRECTIONS = tuple((x, y) for x, y in ((1, 0), (-1, 0), (0, 1), (0, -1))) + tuple(
    (x * _DIAGONAL, y * _DIAGONAL) for x, y in ((1, 1), (-1, 1), (1, -1), (-1, -1))
)


@dataclass
class _Search:
    """Every drawing of every edge and the boxes each crosses, kept up to date as nodes move.

    An edge's cost is the fewest boxes any of its drawings (:data:`CANDIDATES`) crosses. A
    move changes the drawings of the edges at the node moved; of any other edge it changes
    only whether a drawing crosses that one box, which is one test per drawing: a move is
    judged without drawing the map again.
    """

    pos: dict[str, Point]
    sizes: Mapping[str, tuple[int, ...]]
    half: dict[str, tuple[float, float, float]]
    edges: Sequence[tuple[str, str]]
    weight: Sequence[float]
    at: dict[str, list[int]]
    boxes: _Boxes
    typical: float  # the median edge's length at the start
    lines: list[Any]  # per edge: drawings x points x 2
    hits: list[list[set[str]]]
    spans: Any  # edges x drawings x 4: each drawing's extent (left, top, right, bottom)
    reach: Any  # edges x 4: the extent of all an edge's drawings
    work: int = 0  # edges drawn afresh so far (see WORK)

    @classmethod
    def start(
        cls,
        pos: dict[str, Point],
        sizes: Mapping[str, tuple[int, ...]],
        edges: Sequence[tuple[str, str]],
        weight: Sequence[float],
    ) -> _Search:
        half = {n: (box.width / 2, box.height / 2, box.drop) for n in pos for box in [Box(*sizes.get(n, (0, 0)))]}
        at: dict[str, list[int]] = {}
        for i, (a, b) in enumerate(edges):
            at.setdefault(a, []).append(i)
            at.setdefault(b, []).append(i)
        lengths = sorted(math.dist(pos[a], pos[b]) for a, b in edges if a != b)
        typical = max(lengths[len(lengths) // 2], 1.0) if lengths else 1.0
        import numpy as np

        boxes = _Boxes.of(pos, sizes)
        drawn = [_draw(boxes, pos, edge) for edge in edges]
        lines, hits = [d[0] for d in drawn], [d[1] for d in drawn]
        spans = np.stack([_spans(line) for line in lines]) if lines else np.zeros((0, len(CANDIDATES), 4))
        reach = np.concatenate([spans[:, :, :2].min(axis=1), spans[:, :, 2:].max(axis=1)], axis=1)
        return cls(pos, sizes, half, edges, weight, at, boxes, typical, lines, hits, spans, reach)

    def crossings(self, i: int) -> int:
        """The fewest boxes edge ``i`` crosses, in any of its drawings."""
        return min(_count(h) for h in self.hits[i])

    def cost(self, i: int, hits: Sequence[set[str]] | None = None, length: float | None = None) -> float:
        """Edge ``i``'s crossings, and a little for its length (as it is, or with ``hits`` and ``length``).

        The length counts :data:`STRETCH` per typical edge's length, so that a node is not sent
        across the map to save a crossing and made to draw long arrows instead.
        """
        if length is None:
            a, b = self.edges[i]
            length = math.dist(self.pos[a], self.pos[b])
        return min(_count(h) for h in (self.hits[i] if hits is None else hits)) + STRETCH * length / self.typical

    def judge(self, node: str, moved: Point, beat: float) -> tuple[float, dict[int, Any]] | None:
        """What moving ``node`` to ``moved`` gains (weighted crossings fewer), and the edges' new state.

        None unless the gain is more than ``beat``.
        """
        import numpy as np

        old_box, new_box = _box(self.pos[node], self.half[node], MARGIN), _box(moved, self.half[node], MARGIN)
        mine = self.at.get(node, [])
        # Other edges change only where a drawing crossed the box where it was, or crosses it where it goes.
        near = _meets(self.reach, old_box) | _meets(self.reach, new_box)
        near[mine] = False
        crossing: set[tuple[int, int]] = set()
        candidates = np.flatnonzero(near)
        if len(candidates):
            pairs = np.argwhere(_meets(self.spans[candidates], new_box))
            if len(pairs):
                stack = np.stack([self.lines[candidates[e]][c] for e, c in pairs])
                through = _through(stack, np.array([new_box]))[:, 0]
                crossing = {(int(candidates[e]), int(c)) for (e, c), t in zip(pairs, through, strict=True) if t}
        hit_now = {i for i, _ in crossing}
        others = [int(i) for i in candidates if int(i) in hit_now or any(node in h for h in self.hits[int(i)])]
        before = sum(self.weight[i] * self.cost(i) for i in (*mine, *others))
        state: dict[int, Any] = {}
        after = 0.0
        if mine:
            # The node's own edges, drawn afresh from where it would be (the costliest part: given
            # up as soon as the move can no longer be the best).
            trial = {**self.pos, node: moved}
            boxes = self.boxes.moved(node, new_box)
            for i in mine:
                self.work += 1
                a, b = self.edges[i]
                lines = _curves(trial[a], trial[b], CANDIDATES)
                fewest = 0 if a == b else boxes.fewest(lines, (a, b))
                state[i] = (lines, None)  # which boxes: worked out only if the move is made
                after += self.weight[i] * (fewest + STRETCH * math.dist(trial[a], trial[b]) / self.typical)
                if after >= before - beat:
                    return None
        for i in others:
            # The other edge's drawings as they are, the one box moved.
            hits = [(h - {node}) | ({node} if (i, c) in crossing else set()) for c, h in enumerate(self.hits[i])]
            state[i] = (self.lines[i], hits)
        after += sum(self.weight[i] * self.cost(i, state[i][1]) for i in others)
        return (before - after, state) if before - after > beat else None

    def apply(self, node: str, moved: Point, state: Mapping[int, Any]) -> None:
        self.pos[node] = moved
        self.boxes = self.boxes.moved(node, _box(moved, self.half[node], MARGIN))
        for i, (lines, hits) in state.items():
            if hits is None:
                lines, hits = _draw(self.boxes, self.pos, self.edges[i])
            self.lines[i], self.hits[i] = lines, hits
            self.spans[i] = _spans(lines)
            self.reach[i] = (*self.spans[i, :, :2].min(axis=0), *self.spans[i, :, 2:].max(axis=0))


def _draw(boxes: _Boxes, pos: Mapping[str, Point], edge: tuple[str, str]) -> tuple[Any, list[set[str]]]:
    """Every drawing of ``edge`` (:data:`CANDIDATES`), and the boxes each crosses."""
    lines = _curves(pos[edge[0]], pos[edge[1]], CANDIDATES)
    if edge[0] == edge[1]:
        return lines, [set() for _ in CANDIDATES]
    return lines, boxes.crossed(lines, edge)


def _spans(lines: Any) -> Any:
    """Each drawing's extent: drawings x 4 (left, top, right, bottom)."""
    import numpy as np

    return np.concatenate([lines.min(axis=1), lines.max(axis=1)], axis=1)


def _meets(extents: Any, box: tuple[float, float, float, float]) -> Any:
    """Which of ``extents`` (... x 4) overlap ``box``."""
    return (
        (extents[..., 0] <= box[2])
        & (box[0] <= extents[..., 2])
        & (extents[..., 1] <= box[3])
        & (box[1] <= extents[..., 3])
    )


#: The last few maps untangled in this process: the site draws the whole map twice (on its own
#: and under the tour), and the search is the costliest part of a map.
_UNTANGLED: dict[Any, tuple[dict[str, tuple[int, int]], list[Route]]] = {}
_REMEMBERED = 4


def untangle(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, ...]],
    edges: Sequence[tuple[str, str]],
    weights: Sequence[float] | None = None,
) -> tuple[dict[str, tuple[int, int]], list[Route]]:
    """New positions and a drawing per edge: nodes are moved aside where arrows cannot get round them.

    The search counts, for each edge, the fewest boxes any of its drawings crosses, times its
    weight (``weights``, default 1: the maps weigh causal arrows above the dotted links), and
    moves one node at a time (a step of :data:`NUDGES` in one of eight directions, or a jump to
    one of the best free places, :func:`_spots`) wherever that lowers the sum: boxes that
    arrows cross, and the ends of those arrows. A move must leave the box clear of every other
    (:data:`NUDGE_GAP` apart) and inside the map's extent, so the map is drawn at the same
    scale (a small map: inside :data:`SMALLEST_VIEW`). Maps of more than :data:`BUSY` edges are
    routed but not searched.
    """
    key = (
        tuple(sorted(positions.items())),
        tuple(sorted((n, tuple(s)) for n, s in sizes.items())),
        tuple(edges),
        None if weights is None else tuple(weights),
    )
    if key not in _UNTANGLED:
        if len(_UNTANGLED) >= _REMEMBERED:
            _UNTANGLED.pop(next(iter(_UNTANGLED)))
        _UNTANGLED[key] = _untangle(positions, sizes, edges, weights)
    moved, drawn = _UNTANGLED[key]
    return dict(moved), list(drawn)


def _untangle(
    positions: Mapping[str, tuple[int, int]],
    sizes: Mapping[str, tuple[int, ...]],
    edges: Sequence[tuple[str, str]],
    weights: Sequence[float] | None,
) -> tuple[dict[str, tuple[int, int]], list[Route]]:
    pos = {n: (float(x), float(y)) for n, (x, y) in positions.items()}
    if not pos or len(edges) > BUSY:
        return dict(positions), route(positions, sizes, edges)
    search = _Search.start(pos, sizes, edges, list(weights) if weights is not None else [1.0] * len(edges))
    half = search.half
    # Where boxes may go: the map's extent (so it is drawn at the same scale), or on a small map
    # the room its first view shows anyway.
    frame = search.boxes.frame
    extent = (frame[0] + FRAME, frame[1] + FRAME, frame[2] - FRAME, frame[3] - FRAME)
    for _ in range(ROUNDS):
        # The nodes worth moving: boxes the best drawings still cross, then the ends of those edges
        # (an arrow's ends are where the reader's eye is: moved only where moving the box fails).
        worth: dict[str, float] = {}
        for i, edge in enumerate(edges):
            if search.crossings(i):
                for node in min(search.hits[i], key=_count) - {OUTSIDE}:
                    worth[node] = worth.get(node, 0.0) + search.weight[i]
                for node in edge:
                    worth[node] = worth.get(node, 0.0) + search.weight[i] / 2
        moved_any = False
        for node in sorted(worth, key=lambda n: (-worth[n], n)):
            if search.work >= WORK:
                break
            best: tuple[float, Point, Any] | None = None
            search.work += SPOT_WORK
            for moved in [*_moves(pos, half, node, extent), *_spots(search, node, extent)]:
                if search.work >= WORK:
                    break
                search.work += 1
                judged = search.judge(node, moved, best[0] if best else 0.0)
                if judged is not None:
                    best = (judged[0], moved, judged[1])
            if best is not None:
                search.apply(node, best[1], best[2])
                moved_any = True
        if not moved_any or search.work >= WORK:
            break
    rounded = {n: (round(x), round(y)) for n, (x, y) in pos.items()}
    return rounded, route(rounded if rounded != dict(positions) else positions, sizes, edges)


#: Free places a node may jump to are looked for on a grid this fine, in pixels; the few whose
#: quick guess (:meth:`_Search.screen`) is best are judged in full.
SPOT_GRID = 32.0
SPOT_POINTS = 2000
SPOTS = 6


def _spots(search: _Search, node: str, extent: tuple[float, float, float, float]) -> list[Point]:
    """The free places anywhere in the map (box clear of the others, inside ``extent``) most promising for ``node``.

    Every place on a grid of :data:`SPOT_GRID` pixels where the box fits is given a quick
    guess, in NumPy: its own edges drawn straight, sampled every few pixels, and the best
    drawings of the other edges, sampled the same way, against the boxes. The :data:`SPOTS`
    best guesses (the nearest first among equals) are judged in full by :meth:`_Search.judge`.
    """
    import numpy as np

    pos, half = search.pos, search.half
    others = sorted(n for n in pos if n != node)
    if not others:
        return []
    hw, hh, drop = half[node]
    # A large map gets a coarser grid: at most SPOT_POINTS places are looked at.
    step = max(SPOT_GRID, math.sqrt((extent[2] - extent[0]) * (extent[3] - extent[1]) / SPOT_POINTS))
    xs = np.arange(extent[0] + hw, extent[2] - hw + 1e-9, step)
    ys = np.arange(extent[1] + hh - drop, extent[3] - hh - drop + 1e-9, step)
    if not len(xs) or not len(ys):
        return []
    gx, gy = np.meshgrid(xs, ys)
    spots = np.stack([gx.ravel(), gy.ravel()], axis=1)
    fixed = np.array([_box(pos[n], half[n], 0) for n in others])
    pad = NUDGE_GAP
    left, right = spots[:, 0] - hw - pad, spots[:, 0] + hw + pad
    top, bottom = spots[:, 1] + drop - hh - pad, spots[:, 1] + drop + hh + pad
    overlap = (
        (left[:, None] < fixed[None, :, 2])
        & (fixed[None, :, 0] < right[:, None])
        & (top[:, None] < fixed[None, :, 3])
        & (fixed[None, :, 1] < bottom[:, None])
    )
    spots = spots[~overlap.any(axis=1)]
    if not len(spots):
        return []
    guess = np.zeros(len(spots))
    margin = np.array([-MARGIN, -MARGIN, MARGIN, MARGIN])
    boxes = {n: np.array(_box(pos[n], half[n], 0)) + margin for n in others}
    steps = np.linspace(0.0, 1.0, 33)
    for i in search.at.get(node, ()):
        end = next((n for n in search.edges[i] if n != node), node)
        if end == node:
            continue
        near = np.array([boxes[n] for n in others if n != end])
        if not len(near):
            continue
        # spots x samples x 2: the straight line from each spot to the other end.
        line = spots[:, None, :] + steps[None, :, None] * (np.array(pos[end])[None, None, :] - spots[:, None, :])
        inside = (
            (line[:, :, None, 0] > near[None, None, :, 0])
            & (line[:, :, None, 0] < near[None, None, :, 2])
            & (line[:, :, None, 1] > near[None, None, :, 1])
            & (line[:, :, None, 1] < near[None, None, :, 3])
        )
        guess += search.weight[i] * inside.any(axis=1).sum(axis=1)
    # The other edges' best drawings, as their points, against the box at each spot.
    points, owner = [], []
    for i, edge in enumerate(search.edges):
        if node not in edge:
            # Every fourth point is enough for a guess (and a quarter of the work on a busy map).
            line = min(zip(search.hits[i], search.lines[i], strict=True), key=lambda h: len(h[0]))[1][::4]
            points.append(line)
            owner.append(np.full(len(line), i))
    if points:
        at = np.concatenate(points)
        who = np.concatenate(owner)
        m = MARGIN
        inside = (
            (at[:, None, 0] > spots[None, :, 0] - hw - m)
            & (at[:, None, 0] < spots[None, :, 0] + hw + m)
            & (at[:, None, 1] > spots[None, :, 1] + drop - hh - m)
            & (at[:, None, 1] < spots[None, :, 1] + drop + hh + m)
        )
        weights = np.array(search.weight, dtype=np.float64)
        for i in np.unique(who[inside.any(axis=1)]):
            guess += weights[i] * inside[who == i].any(axis=0)
    here = np.array(pos[node])
    distance = np.hypot(spots[:, 0] - here[0], spots[:, 1] - here[1])
    order = np.lexsort((distance, guess))[:SPOTS]
    return [(float(spots[k, 0]), float(spots[k, 1])) for k in order]


def _moves(
    pos: Mapping[str, Point],
    half: Mapping[str, tuple[float, float, float]],
    node: str,
    extent: tuple[float, float, float, float],
) -> Iterator[Point]:
    """Where ``node`` may go: steps of :data:`NUDGES` in eight directions.

    Only where its box stays clear of the others and inside ``extent``. (Swapping two nodes
    was tried too: on the article's map it found one better place in 3,000 tries, for twice
    the time.)
    """
    x, y = pos[node]
    for step in NUDGES:
        for ux, uy in _DIRECTIONS:
            moved = (x + step * ux, y + step * uy)
            if _fits(pos, half, node, moved, extent):
                yield moved


def _box(position: Point, half: tuple[float, float, float], pad: float) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) of a node at ``position``: half its width and height, and its drop."""
    x, y = position[0], position[1] + half[2]
    return x - half[0] - pad, y - half[1] - pad, x + half[0] + pad, y + half[1] + pad


def _touches(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _fits(
    pos: Mapping[str, Point],
    half: Mapping[str, tuple[float, float, float]],
    node: str,
    moved: Point,
    extent: tuple[float, float, float, float],
) -> bool:
    """Whether ``node``'s box, the node moved to ``moved``, stays inside ``extent`` and clear of every other box."""
    box = _box(moved, half[node], 0)
    if box[0] < extent[0] or box[1] < extent[1] or box[2] > extent[2] or box[3] > extent[3]:
        return False
    padded = _box(moved, half[node], NUDGE_GAP)
    return not any(n != node and _touches(padded, _box(pos[n], half[n], 0)) for n in pos)
