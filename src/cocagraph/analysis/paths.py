"""Causal paths from one factor to another, best first, each step with its claim and quote.

The search is best-first over simple paths (no factor twice): partial paths leave a priority
queue in order of confidence (the product of their steps' weights, which can only fall as a
path grows), then of the shortest length they can still reach the target in. A completed path
therefore leaves the queue only after every surer (or as sure and shorter) path has: the first
``limit`` paths found are the best ``limit``, without listing the others. Factors from which
the target is out of reach within the length left are never entered.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError
from .bounds import DEFAULT_SECONDS, Clock, reasons
from .channels import folded_summaries, one_channel
from .reach import distances_to
from .resolve import resolve_factor
from .steps import CausalPath, Step, make_path, step_of, step_weight

__all__ = ["DEFAULT_LIMIT", "DEFAULT_MAX_LENGTH", "PathsAnswer", "find_paths"]

DEFAULT_MAX_LENGTH = 6
DEFAULT_LIMIT = 10
#: Partial paths kept waiting at once; beyond it the search stops (a memory bound).
MAX_FRONTIER = 500_000


@dataclass(frozen=True)
class PathsAnswer:
    """The paths from ``source`` to ``target``, best first, and whether the search was cut."""

    source: str
    target: str
    source_label: str
    target_label: str
    paths: tuple[CausalPath, ...]
    max_length: int
    limit: int
    truncated: bool
    reason: str | None
    #: For each path, the summary claims its steps spell out (left out of the search, which
    #: counts a summary and its mechanism as one channel, and listed here under their mechanism).
    spelled_out: tuple[tuple[Step, ...], ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The JSON answer of ``cocagraph paths`` (a fixed shape; the reason goes to stderr)."""
        return {
            "from": self.source_label,
            "to": self.target_label,
            "paths": [p.as_json() for p in self.paths],
            "truncated": self.truncated,
        }


def _check_bounds(max_length: int, limit: int) -> None:
    if max_length < 1:
        raise UsageError(f"--max-length must be at least 1, not {max_length}")
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")


def find_paths(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    limit: int = DEFAULT_LIMIT,
    seconds: float = DEFAULT_SECONDS,
) -> PathsAnswer:
    """The causal paths from ``source`` to ``target`` (names or IRIs), best first.

    Best means surest (highest confidence), then shortest. Several claims between the same two
    factors make several paths. ``truncated`` is set when more paths exist than ``limit``, when
    the time ran out, or when paths longer than ``max_length`` may exist.

    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n.upper())
    >>> g.add_edge("a", "b", key="c1", polarity=1, certainty="asserted", explicitness="stated")
    'c1'
    >>> g.add_edge("b", "c", key="c2", polarity=-1, certainty="hedged", explicitness="stated")
    'c2'
    >>> g.add_edge("a", "c", key="c3", polarity=1, certainty="hedged", explicitness="inferred")
    'c3'
    >>> answer = find_paths(g, "a", "c")
    >>> [(p.labels, p.sign_text, p.confidence) for p in answer.paths]
    [(('A', 'B', 'C'), '-', 0.5), (('A', 'C'), '+', 0.375)]
    """
    _check_bounds(max_length, limit)
    whole, graph = graph, one_channel(graph)  # a summary and the mechanism spelling it out are one path, not two
    source, target = resolve_factor(graph, source), resolve_factor(graph, target)
    if source == target:
        raise UsageError(
            f"{graph.nodes[source]['label']!r} is both ends: paths from a factor back to itself are "
            "feedback loops (cocagraph loops --through NAME)"
        )
    clock = Clock(seconds)
    dist = distances_to(graph, [target])
    succ = graph._succ  # adjacency read directly: the inner loop of every path search
    found: list[CausalPath] = []
    more = length_cut = frontier_cut = False
    order = itertools.count()
    # entry: (cost, length + distance left, tie, node, length, probability, trail)
    # trail is a linked list (node, claim, previous trail) so partial paths share their prefixes.
    heap: list[tuple[float, int, int, str, int, float, tuple[Any, ...] | None]] = []
    if source in dist and dist[source] <= max_length:
        heap.append((0.0, dist[source], next(order), source, 0, 1.0, (source, None, None)))
    elif source in dist:
        length_cut = True
    while heap:
        if clock.out():
            break
        _cost, _, _, node, length, probability, trail = heapq.heappop(heap)
        if node == target:
            if len(found) == limit:
                more = True
                break
            found.append(make_path(graph, _steps(graph, trail)))
            continue
        on_path = _nodes_of(trail)
        for after, claims in succ[node].items():
            if after in on_path:
                continue
            left = dist.get(after)
            if left is None:
                continue
            if length + 1 + left > max_length:
                length_cut = True
                continue
            for claim, data in claims.items():
                p = probability * step_weight(data.get("certainty"), data.get("explicitness"))
                # Rounded so that equal products (0.5 * 0.75 and 0.75 * 0.5) tie exactly.
                cost = round(-math.log(p), 9) if p > 0 else math.inf
                heapq.heappush(
                    heap, (cost, length + 1 + left, next(order), after, length + 1, p, (after, claim, trail))
                )
        if len(heap) > MAX_FRONTIER:
            frontier_cut = True
            break
    timed_out = clock.expired
    return PathsAnswer(
        source=source,
        target=target,
        source_label=graph.nodes[source]["label"],
        target_label=graph.nodes[target]["label"],
        paths=tuple(found),
        spelled_out=tuple(_spelled_out(whole, path) for path in found),
        max_length=max_length,
        limit=limit,
        truncated=more or timed_out or frontier_cut or length_cut,
        reason=reasons(
            f"stopped at --limit {limit}: more paths exist" if more else None,
            f"stopped after {seconds:g} s (--timeout): other paths may exist" if timed_out else None,
            f"stopped at {MAX_FRONTIER:,} partial paths: other paths may exist" if frontier_cut else None,
            f"paths longer than --max-length {max_length} may exist" if length_cut else None,
        ),
    )


def _spelled_out(graph: nx.MultiDiGraph, path: CausalPath) -> tuple[Step, ...]:
    """The folded summaries ``path`` spells out, innermost first.

    A summary's mechanism may itself hold a summary (Shining Path's ties spelled out through its
    funding, inside cocaine production's impact on political violence): a summary counts as
    spelled out once each claim of its mechanism is a step of the path or a summary spelled out.
    """
    covered = {step.claim for step in path.steps}
    waiting = [(u, v, key) for u, v, key in folded_summaries(graph)]
    found: list[Step] = []
    while True:
        ready = [e for e in waiting if set(graph.edges[e]["mechanism"]) <= covered]
        if not ready:
            return tuple(found)
        for u, v, key in ready:
            found.append(step_of(graph, u, v, key))
            covered.add(key)
        waiting = [e for e in waiting if e not in ready]


def _nodes_of(trail: tuple[Any, ...] | None) -> set[str]:
    nodes = set()
    while trail is not None:
        nodes.add(trail[0])
        trail = trail[2]
    return nodes


def _steps(graph: nx.MultiDiGraph, trail: tuple[Any, ...] | None) -> list:
    hops = []
    while trail is not None and trail[2] is not None:
        node, claim, before = trail
        hops.append(step_of(graph, before[0], node, claim))
        trail = before
    return hops[::-1]
