"""Node positions computed in Python, so that the browser draws a still map at once.

vis-network's own physics took 45 s to settle 1,000 nodes here and never settled 5,000; a
seeded force-directed layout in NumPy takes a fraction of that and gives the same picture for
the same graph every time. Positions are whole pixels so that the page's bytes do not depend
on the last digits of a float.

Labels must be read at the first view, so the layout knows each node's box (:func:`box_size`,
from its label, font and shape): the spring layout gives the shape of the map, drawn small
enough that boxes overlap; then overlapping boxes are pushed apart until none touches, which
leaves a map as compact as its labels allow (a map that fits the window at a readable scale).
Above :data:`LARGE` nodes the overlap step is skipped: such a map is an overview, read by zooming.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .metrics import label_lines, text_width

__all__ = ["Box", "box_size", "layout"]


class Box(NamedTuple):
    """The box vis-network draws for a node, in pixels: its size, and where it sits.

    A box or an ellipse is centred on the node's position; a diamond or a triangle hangs its
    label under its symbol, so its box's centre lies ``drop`` pixels below the position (the
    point its arrows meet).
    """

    width: int
    height: int
    drop: int = 0


#: Pixels between neighbouring nodes: boxes with two lines of text need about this much room.
SPACING = 150
#: Above this many nodes the layout runs fewer iterations (the picture is an overview anyway).
LARGE = 400
#: Above this many nodes the dense step would need gigabytes: nodes are scattered instead.
HUGE = 6000
#: A pull towards the centre, so that factors with no link stay beside the map, not far off.
GRAVITY = 2.0
#: Room kept between two boxes, in pixels (arrows and their signs run through it).
GAP = 12
#: Extra room round a node for each link beyond :data:`HUB_FROM`, in pixels.
HUB_ROOM = 8.0
HUB_FROM = 5
#: Boxes in the first, overlapping drawing cover this share of the map's area before they are pushed apart.
DENSITY = 0.9
#: Rounds of drawing the map in and parting the boxes again.
COMPACT = 12
#: How a box's push is shared out among the boxes it overlaps (0: summed, 1: averaged).
PUSH = 0.75


def box_size(label: str, font: int, max_width: int, shape: str = "box") -> Box:
    """The box vis-network draws for ``label``, in pixels (rounded up).

    The label is broken into lines as vis breaks it, at ``max_width`` (its
    ``widthConstraint.maximum``), and measured in the map's font (:mod:`.metrics`); lines are
    one font size apart. Measured against what Chromium draws: a box is its text plus 28 px
    each way (margins and border), an ellipse is its text plus the text's height across and
    twice the text's height down, and diamonds and triangles draw the label under their symbol.

    >>> box_size("coca", 14, 170)
    Box(width=61, height=42, drop=0)
    >>> box_size("coca", 14, 170, "diamond")  # the symbol from 25 px above the position to 25 below, then the label
    Box(width=50, height=64, drop=7)
    >>> box_size("a label long enough to wrap onto a second line", 14, 170)[1] > 42
    True
    """
    lines = label_lines(label, font, max_width)
    widest = max(text_width(line, font) for line in lines)
    text_height = len(lines) * font
    if shape == "box":
        return Box(math.ceil(widest + 28), math.ceil(text_height + 28))
    if shape == "ellipse":
        return Box(math.ceil(widest + text_height), math.ceil(2 * text_height))
    # The symbol (a diamond of 50 pixels, a triangle of 28), centred on the position, then the label under it.
    symbol = 50 if shape == "diamond" else 28
    return Box(math.ceil(max(widest, symbol)), math.ceil(text_height + symbol), math.ceil(text_height / 2))


def layout(
    nodes: Sequence[str],
    links: Iterable[tuple[str, str]],
    seed: int = 7,
    sizes: Mapping[str, tuple[int, ...]] | None = None,
) -> dict[str, tuple[int, int]]:
    """Positions for ``nodes`` (in pixels, centred on 0) from a seeded spring layout of ``links``.

    ``sizes`` (node -> its :class:`Box`, or width and height) makes the layout leave room for
    every label: no two boxes overlap (up to :data:`LARGE` nodes).

    >>> pos = layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    True
    >>> pos = layout(["a", "b"], [("a", "b")], sizes={"a": (100, 40), "b": (100, 40)})
    >>> abs(pos["a"][0] - pos["b"][0]) >= 100 or abs(pos["a"][1] - pos["b"][1]) >= 40
    True
    """
    import numpy as np

    ordered = sorted(set(nodes))
    if len(ordered) < 2:
        return {n: (0, 0) for n in ordered}
    index = {n: i for i, n in enumerate(ordered)}
    pairs = sorted({(index[u], index[v]) for u, v in links if u != v and u in index and v in index})
    raw = _spring(len(ordered), pairs, seed)
    if sizes is not None and len(ordered) <= LARGE:
        boxes = [Box(*sizes.get(n, (SPACING, SPACING // 3))) for n in ordered]
        degree = np.zeros(len(ordered))
        for i, j in pairs:
            degree[i] += 1
            degree[j] += 1
        # Arrows leave a busy node in every direction: the more links, the wider the lanes round it.
        box = np.array([(b.width, b.height) for b in boxes], dtype=np.float64) + GAP
        box += (HUB_ROOM * np.maximum(degree - HUB_FROM, 0.0))[:, None]
        span = np.maximum(raw.max(axis=0) - raw.min(axis=0), 1e-9)
        # Small enough that the boxes overlap; pushing them apart then spreads the map just enough.
        scale = math.sqrt(float((box[:, 0] * box[:, 1]).sum()) / DENSITY / float(span[0] * span[1]))
        pos = _separate(raw * scale, box / 2)
        # Draw the map in a little and part the boxes again, while that still makes it smaller:
        # what is left is about as compact as the labels allow.
        for _ in range(COMPACT):
            tighter = _separate(pos * 0.92, box / 2)
            if _area(tighter, box) >= _area(pos, box) or _overlapping(tighter, box / 2):
                break
            pos = tighter
        # So far ``pos`` held the boxes' centres: a symbol's position is above its box's centre.
        pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
        pos[:, 1] -= np.array([b.drop for b in boxes], dtype=np.float64)
    else:
        # Boxes are wider than tall: give the map more room across than down.
        raw[:, 0] *= 1.3
        pos = raw * (SPACING / _typical_gap(raw))
        pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    return {n: (round(float(pos[i, 0])), round(float(pos[i, 1]))) for n, i in index.items()}


def _area(pos: Any, box: Any) -> float:
    low, high = (pos - box / 2).min(axis=0), (pos + box / 2).max(axis=0)
    return float((high - low).prod())


def _overlapping(pos: Any, half: Any) -> bool:
    import numpy as np

    ox = half[:, 0][:, None] + half[:, 0][None, :] - np.abs(pos[:, 0][:, None] - pos[:, 0][None, :])
    oy = half[:, 1][:, None] + half[:, 1][None, :] - np.abs(pos[:, 1][:, None] - pos[:, 1][None, :])
    hit = (ox > 0) & (oy > 0)
    np.fill_diagonal(hit, False)
    return bool(hit.any())


def _separate(pos: Any, half: Any, rounds: int = 400) -> Any:
    """Push overlapping boxes apart (centres ``pos``, half sizes ``half``) until none overlaps.

    Each round moves every overlapping pair apart along the axis where they overlap least,
    half the overlap each; ties in position are broken by index so that the result is seeded.
    """
    import numpy as np

    pos = pos.copy()
    n = len(pos)
    order = np.arange(n)
    tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
    for _ in range(rounds):
        dx = pos[:, 0][:, None] - pos[:, 0][None, :]
        dy = pos[:, 1][:, None] - pos[:, 1][None, :]
        ox = half[:, 0][:, None] + half[:, 0][None, :] - np.abs(dx)
        oy = half[:, 1][:, None] + half[:, 1][None, :] - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        along_x = hit & (ox / half[:, 0][:, None] <= oy / half[:, 1][:, None])
        along_y = hit & ~along_x
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        # Half the overlap each (a little more, so that a pair parts in one round), shared out
        # when a box overlaps several, so that crowded boxes do not fly off.
        pos[:, 0] += (np.where(along_x, ox * sx, 0.0) * 0.52).sum(axis=1) / np.maximum(along_x.sum(axis=1), 1) ** PUSH
        pos[:, 1] += (np.where(along_y, oy * sy, 0.0) * 0.52).sum(axis=1) / np.maximum(along_y.sum(axis=1), 1) ** PUSH
    return pos


def _typical_gap(pos: Any) -> float:
    """The median distance from a node to its nearest neighbour (sampled on large maps)."""
    import numpy as np

    sample = pos if len(pos) <= 1500 else pos[:: max(1, len(pos) // 1500)]
    d2 = ((sample[:, None, :] - pos[None, :, :]) ** 2).sum(axis=-1)
    d2[d2 == 0] = np.inf
    gap = float(np.median(np.sqrt(d2.min(axis=1))))
    return gap if math.isfinite(gap) and gap > 0 else 1.0


def _spring(n: int, pairs: list[tuple[int, int]], seed: int) -> Any:
    """Fruchterman-Reingold in NumPy: dense repulsion, attraction along the links only.

    networkx's spring_layout took 13 s for 2,000 nodes here (its sparse variant loops in
    Python); this one takes about 2 s, with fewer iterations for large maps.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float64) - 0.5
    if n > HUGE:  # the dense n-by-n step no longer fits comfortably: a seeded scatter
        return pos
    iterations = 300 if n <= LARGE else max(20, min(100, int(1.2e8 / (n * n))))
    k = 1.0 / math.sqrt(n)
    u = np.array([p[0] for p in pairs], dtype=np.intp)
    v = np.array([p[1] for p in pairs], dtype=np.intp)
    for step in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.maximum(d2, 1e-6, out=d2)
        force = (k * k) / d2
        # Sums rather than ``force @ pos``: BLAS splits a product across threads differently on
        # different machines, and the layout would then not give the same bytes everywhere.
        pulled = np.stack(((force * x[None, :]).sum(axis=1), (force * y[None, :]).sum(axis=1)), axis=1)
        disp = pos * force.sum(axis=1)[:, None] - pulled - GRAVITY * pos
        if len(u):
            along = pos[u] - pos[v]
            pull = along * (np.linalg.norm(along, axis=1) / k)[:, None]
            np.add.at(disp, u, -pull)
            np.add.at(disp, v, pull)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        temperature = 0.1 * (1 - step / iterations)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
    return pos - pos.mean(axis=0)
