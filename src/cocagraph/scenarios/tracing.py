"""Which chains of claims carry a scenario's effect to a factor, strongest first.

A chain's strength is the product of its links' weights: what the effect would be along that
chain alone if nothing saturated. The strongest chains are found with Yen's k-shortest simple
paths (``networkx.shortest_simple_paths``) on costs ``-log |weight|``, from every clamped factor at
once (through a virtual source). Chains never pass through a clamped factor: its value is fixed
by the scenario, so whatever lies behind it carries nothing further.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice, pairwise

from .propagation import Link

__all__ = ["EffectPath", "reachable", "strongest_paths"]

_SOURCE = ("cocagraph-scenario-source",)


@dataclass(frozen=True)
class EffectPath:
    """A chain of links from a clamped factor to the factor it moves."""

    links: tuple[Link, ...]

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors along the chain, the clamped one first."""
        return (self.links[0].cause, *(link.effect for link in self.links))

    @property
    def strength(self) -> float:
        """Product of the link weights: the chain's signed effect per unit of the clamped value."""
        return math.prod(link.weight for link in self.links)

    @property
    def sign(self) -> int:
        """+1 when the chain moves its end the same way as its start, -1 the other way."""
        return -1 if self.strength < 0 else 1


def reachable(successors: Mapping[str, Iterable[str]], sources: Iterable[str], held: Iterable[str] = ()) -> set[str]:
    """Factors downstream of ``sources``, never passing through a ``held`` factor (nor a source).

    A claim of any weight counts: a factor behind claims that cancel is reached, and shown with
    no net change, not reported as out of reach. A factor held at 0 is not a source: it stops
    what would flow through it.

    >>> sorted(reachable({"a": ["b"], "b": ["c", "a"], "d": ["a"]}, ["a"]))
    ['b', 'c']
    >>> sorted(reachable({"a": ["b"], "b": ["c"]}, ["a"], held=["b"]))
    []
    """
    starts = set(sources)
    blocked = starts | set(held)
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        for nxt in successors.get(todo.pop(), ()):
            if nxt not in seen and nxt not in blocked:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def strongest_paths(
    folded: Mapping[tuple[str, str], Link],
    clamped: Iterable[str],
    targets: Iterable[str],
    per_target: int = 3,
    sources: Iterable[str] | None = None,
) -> dict[str, tuple[tuple[EffectPath, ...], bool]]:
    """Up to ``per_target`` strongest chains to each target, and whether more exist.

    Chains start at ``sources`` (by default every clamped factor) and never pass through a
    clamped one.

    >>> ab, bc, ac = Link("a", "b", 1.0, ()), Link("b", "c", -0.5, ()), Link("a", "c", 0.25, ())
    >>> found = strongest_paths({("a", "b"): ab, ("b", "c"): bc, ("a", "c"): ac}, ["a"], ["c"], 1)
    >>> [p.factors for p in found["c"][0]], found["c"][1]
    ([('a', 'b', 'c')], True)
    """
    import networkx as nx

    held = set(clamped)
    graph = nx.DiGraph()
    for (cause, effect), link in folded.items():
        # Zero-weight links (claims that cancel) carry nothing; links into a clamped factor are cut.
        if link.weight != 0.0 and effect not in held:
            graph.add_edge(cause, effect, cost=-math.log(abs(link.weight)), link=link)
    for factor in sources if sources is not None else held:
        graph.add_edge(_SOURCE, factor, cost=0.0, link=None)
    found: dict[str, tuple[tuple[EffectPath, ...], bool]] = {}
    for target in targets:
        if target not in graph or target in held or per_target < 1:
            found[target] = ((), False)
            continue
        try:
            chains = list(islice(nx.shortest_simple_paths(graph, _SOURCE, target, weight="cost"), per_target + 1))
        except nx.NetworkXNoPath:
            chains = []
        paths = tuple(
            EffectPath(tuple(graph.edges[u, v]["link"] for u, v in pairwise(chain[1:])))
            for chain in chains[:per_target]
        )
        found[target] = (paths, len(chains) > per_target)
    return found
