"""Node positions computed in Python, so that the browser draws a still map at once.

vis-network's own physics took 45 s to settle 1,000 nodes here and never settled 5,000; a
seeded force-directed layout in NumPy takes a fraction of that and gives the same picture for
the same graph every time. Positions are whole pixels so that the page's bytes do not depend
on the last digits of a float.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["layout"]

#: Pixels between neighbouring nodes: boxes with two lines of text need about this much room.
SPACING = 150
#: Above this many nodes the layout runs fewer iterations (the picture is an overview anyway).
LARGE = 400
#: Above this many nodes the dense step would need gigabytes: nodes are scattered instead.
HUGE = 6000
#: A pull towards the centre, so that factors with no link stay beside the map, not far off.
GRAVITY = 2.0


def layout(nodes: Sequence[str], links: Iterable[tuple[str, str]], seed: int = 7) -> dict[str, tuple[int, int]]:
    """Positions for ``nodes`` (in pixels, centred on 0) from a seeded spring layout of ``links``.

    >>> pos = layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    True
    """
    ordered = sorted(set(nodes))
    if len(ordered) < 2:
        return {n: (0, 0) for n in ordered}
    index = {n: i for i, n in enumerate(ordered)}
    pairs = sorted({(index[u], index[v]) for u, v in links if u != v and u in index and v in index})
    raw = _spring(len(ordered), pairs, seed)
    scale = SPACING / _typical_gap(raw)
    # Boxes are wider than tall: give the map more room across than down.
    return {n: (round(float(raw[i, 0]) * scale * 1.3), round(float(raw[i, 1]) * scale)) for n, i in index.items()}


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
