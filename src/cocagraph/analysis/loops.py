"""Feedback loops: causal chains that come back to where they started, and what kind they are.

A loop is *reinforcing* when it holds an even number of decreasing links (a rise comes back as
a further rise) and *balancing* when the number is odd (a rise comes back as a fall). Loops are
searched shortest first, by iterative deepening over simple cycles, so a cut answer still holds
every loop up to the length it reached. With ``through``, only loops through that factor are
searched: a depth-first search from it that enters a factor only if the factor can get back
within the length left (0.4 s for loops through one factor among 12,500; ``networkx``'s
``simple_cycles`` lists every cycle of the graph and grows far faster). Without it, each loop is
found once, from its first factor in the graph's order, inside one strongly connected component.
"""

from __future__ import annotations

import itertools
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError
from .bounds import DEFAULT_SECONDS, Clock, reasons
from .reach import distances_to
from .resolve import resolve_factor
from .steps import CausalPath, Step, make_path, step_of

__all__ = ["DEFAULT_LOOP_LENGTH", "DEFAULT_LOOP_LIMIT", "Loop", "LoopsAnswer", "classify", "find_loops"]

DEFAULT_LOOP_LENGTH = 6
DEFAULT_LOOP_LIMIT = 50


def classify(polarities: list[int] | tuple[int, ...]) -> str:
    """``reinforcing`` for an even number of decreasing links, else ``balancing``.

    >>> classify([1, -1, -1]), classify([-1, 1])
    ('reinforcing', 'balancing')
    """
    return "reinforcing" if sum(1 for p in polarities if p < 0) % 2 == 0 else "balancing"


@dataclass(frozen=True)
class Loop:
    """One feedback loop: the chain of claims from a factor back to itself."""

    path: CausalPath

    @property
    def kind(self) -> str:
        return classify([s.polarity for s in self.path.steps])

    @property
    def length(self) -> int:
        return self.path.length

    @property
    def decreasing(self) -> int:
        return sum(1 for s in self.path.steps if s.polarity < 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "length": self.length,
            "decreasing_links": self.decreasing,
            "nodes": list(self.path.labels),
            "confidence": self.path.confidence,
            "claims": [s.claim for s in self.path.steps],
            "steps": [s.as_json() for s in self.path.steps],
        }


@dataclass(frozen=True)
class LoopsAnswer:
    """The loops found (shortest, then surest, first) and whether the search was cut."""

    through: str | None
    through_label: str | None
    loops: tuple[Loop, ...]
    max_length: int
    limit: int
    truncated: bool
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "through": self.through_label,
            "max_length": self.max_length,
            "loops": [loop.as_json() for loop in self.loops],
            "truncated": self.truncated,
            "reason": self.reason,
        }


def find_loops(
    graph: nx.MultiDiGraph,
    through: str | None = None,
    *,
    max_length: int = DEFAULT_LOOP_LENGTH,
    limit: int = DEFAULT_LOOP_LIMIT,
    seconds: float = DEFAULT_SECONDS,
) -> LoopsAnswer:
    """The feedback loops of ``graph`` up to ``max_length`` links (through one factor if given).

    Several claims between the same two factors make several loops.

    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n)
    >>> for u, v, p in [("a", "b", 1), ("b", "a", -1), ("b", "c", 1), ("c", "b", 1)]:
    ...     _ = g.add_edge(u, v, key=u + v, polarity=p)
    >>> [(loop.path.labels, loop.kind) for loop in find_loops(g).loops]
    [(('a', 'b', 'a'), 'balancing'), (('b', 'c', 'b'), 'reinforcing')]
    """
    if max_length < 1:
        raise UsageError(f"--max-length must be at least 1, not {max_length}")
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    clock = Clock(seconds)
    start = resolve_factor(graph, through) if through is not None else None
    roots: list[tuple[str, Container[str] | None]]
    roots = [(start, None)] if start is not None else _roots(graph)
    found: list[Loop] = []
    steps: dict[tuple[str, str, str], Step] = {}  # loops share their steps: make each once
    more = False
    reached = 0
    for length in range(1, max_length + 1):
        for root, allowed in roots:
            for cycle in _cycles_of_length(graph, root, allowed, length, clock):
                for loop in _loops_of(graph, cycle, steps):
                    if len(found) == limit:
                        more = True
                        break
                    found.append(loop)
                if more or clock.expired:
                    break
            if more or clock.expired:
                break
        if more or clock.expired:
            break
        reached = length
    found.sort(key=lambda loop: (loop.length, -loop.path.confidence, loop.path.labels))
    timed_out = clock.expired and not more
    return LoopsAnswer(
        through=start,
        through_label=graph.nodes[start]["label"] if start else None,
        loops=tuple(found),
        max_length=max_length,
        limit=limit,
        truncated=more or timed_out,
        reason=reasons(
            f"stopped at --limit {limit}: more loops exist" if more else None,
            f"stopped after {seconds:g} s (--timeout): every loop up to {reached} links is listed, longer ones "
            "may be missing"
            if timed_out
            else None,
        ),
    )


class _Later:
    """The factors of one strongly connected component from a given one on, in the graph's order."""

    __slots__ = ("component", "components", "order", "rank")

    def __init__(self, components: dict[str, int], order: dict[str, int], root: str) -> None:
        self.components, self.order = components, order
        self.component, self.rank = components[root], order[root]

    def __contains__(self, node: Any) -> bool:  # any hashable: graphs built by hand may use numbers
        return self.components.get(node) == self.component and self.order[node] >= self.rank


def _roots(graph: nx.MultiDiGraph) -> list[tuple[str, Container[str] | None]]:
    """Every factor that can start a loop, with the part of the graph its loops may use.

    Each loop is found once, from its first factor in the graph's order: only later factors of the
    same strongly connected component may follow (factors outside every cycle are never roots).
    """
    order = {node: i for i, node in enumerate(graph)}
    components: dict[str, int] = {}
    for n, component in enumerate(nx.strongly_connected_components(graph)):
        if len(component) > 1 or any(graph.has_edge(node, node) for node in component):
            components.update(dict.fromkeys(component, n))
    return [(node, _Later(components, order, node)) for node in graph if node in components]


def _cycles_of_length(graph: nx.MultiDiGraph, root: str, allowed: Container[str] | None, length: int, clock: Clock):
    """Simple cycles of exactly ``length`` links from ``root`` back to it, within ``allowed``, as node lists."""
    succ = graph._succ
    back = distances_to(graph, [root], allowed, cutoff=length)
    path = [root]
    on_path = {root}
    iters = [iter(succ[root])]
    while iters:
        if clock.out():
            return
        nxt = next(iters[-1], None)
        if nxt is None:
            iters.pop()
            on_path.discard(path.pop())
            continue
        depth = len(path)  # links taken so far, plus this one
        if nxt == root:
            if depth == length:
                yield list(path)
            continue
        if nxt in on_path or (allowed is not None and nxt not in allowed):
            continue
        left = back.get(nxt)
        if left is None or depth + left > length:
            continue
        path.append(nxt)
        on_path.add(nxt)
        iters.append(iter(succ[nxt]))
    on_path.clear()


def _loops_of(graph: nx.MultiDiGraph, cycle: list[str], steps: dict[tuple[str, str, str], Step]):
    """One loop per choice of claim at each link of ``cycle`` (parallel claims make several loops)."""
    hops = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
    for claims in itertools.product(*(sorted(graph._succ[u][v]) for u, v in hops)):
        chain = []
        for (u, v), claim in zip(hops, claims, strict=True):
            step = steps.get((u, v, claim))
            if step is None:
                step = steps[u, v, claim] = step_of(graph, u, v, claim)
            chain.append(step)
        yield Loop(make_path(graph, chain))
