"""Distances to a set of factors, walking causal links backwards: the pruning every search shares.

A search that has ``r`` steps left only goes on to a factor from which a target is at most ``r``
steps away; these distances make that test a dictionary look-up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Container, Iterable

import networkx as nx

__all__ = ["distances_to"]


def distances_to(
    graph: nx.MultiDiGraph, targets: Iterable[str], allowed: Container[str] | None = None, cutoff: int | None = None
) -> dict[str, int]:
    """The fewest causal steps from each factor to the nearest of ``targets`` (targets: 0).

    ``allowed`` restricts the walk to those factors; ``cutoff`` stops it at that distance.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "c")])
    >>> sorted(distances_to(g, ["c"]).items())
    [('a', 2), ('b', 1), ('c', 0), ('x', 1)]
    """
    pred = graph._pred  # the adjacency itself: this runs on every search, over large graphs too
    dist = {t: 0 for t in targets}
    queue = deque(dist)
    while queue:
        node = queue.popleft()
        d = dist[node] + 1
        if cutoff is not None and d > cutoff:
            continue
        for before in pred[node]:
            if before not in dist and (allowed is None or before in allowed):
                dist[before] = d
                queue.append(before)
    return dist
