"""Drivers and effects: what pushes a factor up or down, and what it pushes, at each distance.

From the factor, simple causal chains are followed backwards (drivers) or forwards (effects) up
to ``depth`` steps. Each factor met is reported once per distance at which a chain reaches it,
with the net sign of those chains ("+" raises, "-" lowers, "±" when chains of that length
disagree), how many chains of each sign there are, and those chains, surest first (up to
:data:`CHAINS_KEPT` of them; the counts are always of all). Reports list one row per factor, at
its shortest distance, with every chain under it (:mod:`cocagraph.reports.influence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError
from .bounds import DEFAULT_SECONDS, Clock, reasons
from .resolve import resolve_factor
from .steps import CausalPath, make_path, step_of, step_weight

__all__ = ["DEFAULT_DEPTH", "Influence", "InfluenceAnswer", "drivers", "effects"]

DEFAULT_DEPTH = 3
#: Chains followed at most; beyond, the answer is cut and says so.
DEFAULT_MAX_CHAINS = 200_000
#: Chains kept for each factor and distance, surest first (the counts cover every chain).
CHAINS_KEPT = 20


@dataclass(frozen=True)
class Influence:
    """A factor that drives (or is driven by) the asked one, at one distance."""

    factor: str
    label: str
    kind: str
    distance: int
    increasing: int
    decreasing: int
    best: CausalPath
    #: the chains of this length, surest first (``best`` is the first), at most CHAINS_KEPT
    chains: tuple[CausalPath, ...] = ()

    @property
    def sign(self) -> str:
        """``+``, ``-`` or ``±`` (chains of this length disagree)."""
        if self.increasing and self.decreasing:
            return "±"
        return "+" if self.increasing else "-"

    def as_json(self) -> dict[str, Any]:
        return {
            "factor": self.label,
            "iri": self.factor,
            "kind": self.kind,
            "distance": self.distance,
            "sign": self.sign,
            "increasing": self.increasing,
            "decreasing": self.decreasing,
            "confidence": self.best.confidence,
            "via": list(self.best.labels),
            "steps": [s.as_json() for s in self.best.steps],
            "chains": [c.as_json() for c in self.chains],
        }


@dataclass(frozen=True)
class InfluenceAnswer:
    """The drivers or effects of ``factor`` up to ``depth`` steps, nearest and surest first."""

    direction: str
    factor: str
    label: str
    depth: int
    influences: tuple[Influence, ...]
    truncated: bool
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "factor": self.label,
            "iri": self.factor,
            "direction": self.direction,
            "depth": self.depth,
            self.direction: [i.as_json() for i in self.influences],
            "truncated": self.truncated,
            "reason": self.reason,
        }


def drivers(
    graph: nx.MultiDiGraph,
    factor: str,
    *,
    depth: int = DEFAULT_DEPTH,
    seconds: float = DEFAULT_SECONDS,
    max_chains: int = DEFAULT_MAX_CHAINS,
) -> InfluenceAnswer:
    """What pushes ``factor`` (a name or IRI) up or down, within ``depth`` causal steps.

    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n, kind="factor")
    >>> _ = g.add_edge("a", "b", key="1", polarity=-1)
    >>> _ = g.add_edge("b", "c", key="2", polarity=-1)
    >>> [(i.label, i.distance, i.sign) for i in drivers(g, "c").influences]
    [('b', 1, '-'), ('a', 2, '+')]
    """
    return _influences(graph, factor, depth, seconds, max_chains, forwards=False)


def effects(
    graph: nx.MultiDiGraph,
    factor: str,
    *,
    depth: int = DEFAULT_DEPTH,
    seconds: float = DEFAULT_SECONDS,
    max_chains: int = DEFAULT_MAX_CHAINS,
) -> InfluenceAnswer:
    """What ``factor`` (a name or IRI) pushes up or down, within ``depth`` causal steps.

    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n, kind="factor")
    >>> _ = g.add_edge("a", "b", key="1", polarity=1)
    >>> _ = g.add_edge("b", "c", key="2", polarity=-1)
    >>> [(i.label, i.distance, i.sign) for i in effects(g, "a").influences]
    [('b', 1, '+'), ('c', 2, '-')]
    """
    return _influences(graph, factor, depth, seconds, max_chains, forwards=True)


def _influences(
    graph: nx.MultiDiGraph, factor: str, depth: int, seconds: float, max_chains: int, forwards: bool
) -> InfluenceAnswer:
    if depth < 1:
        raise UsageError(f"--depth must be at least 1, not {depth}")
    start = resolve_factor(graph, factor)
    adjacency = graph._succ if forwards else graph._pred
    clock = Clock(seconds)
    # (factor, distance) -> [chains raising, chains lowering, [(probability, order, trail), ...]]
    seen: dict[tuple[str, int], list[Any]] = {}
    chains = 0
    cut_count = False
    # Depth-first over simple chains; the trail is (node, claim, previous, probability, sign).
    stack: list[tuple[str, Any, Any, float, int, int]] = [(start, None, None, 1.0, 1, 0)]
    on_path: list[str] = []
    while stack:
        if clock.out():
            break
        node, claim, before, probability, sign, length = stack.pop()
        del on_path[length:]
        on_path.append(node)
        trail = (node, claim, before)
        if length:
            chains += 1
            entry = seen.setdefault((node, length), [0, 0, []])
            entry[0 if sign > 0 else 1] += 1
            kept = entry[2]
            kept.append((-probability, chains, trail))
            if len(kept) > 2 * CHAINS_KEPT:  # trimmed now and then: memory stays bounded
                kept.sort(key=_chain_order)
                del kept[CHAINS_KEPT:]
            if chains >= max_chains:
                cut_count = True
                break
        if length == depth:
            continue
        for other, claims in adjacency[node].items():
            if other in on_path:
                continue
            for key, data in claims.items():
                step = _weight(data)
                stack.append(
                    (
                        other,
                        key,
                        trail,
                        probability * step,
                        sign * (-1 if data.get("polarity", 1) < 0 else 1),
                        length + 1,
                    )
                )
    influences = []
    for (node, distance), (up, down, kept) in seen.items():
        kept.sort(key=_chain_order)
        chains_of = tuple(make_path(graph, _trail_steps(graph, t, forwards)) for _, _, t in kept[:CHAINS_KEPT])
        data = graph.nodes[node]
        influences.append(
            Influence(node, data["label"], data.get("kind", "factor"), distance, up, down, chains_of[0], chains_of)
        )
    influences.sort(key=lambda i: (i.distance, -i.best.confidence, i.label))
    timed_out = clock.expired
    return InfluenceAnswer(
        direction="effects" if forwards else "drivers",
        factor=start,
        label=graph.nodes[start]["label"],
        depth=depth,
        influences=tuple(influences),
        truncated=timed_out or cut_count,
        reason=reasons(
            f"stopped after {seconds:g} s (--timeout): chains not followed are missing" if timed_out else None,
            f"stopped after {max_chains:,} chains: chains not followed are missing" if cut_count else None,
        ),
    )


def _chain_order(kept: tuple[float, int, Any]) -> tuple[float, int]:
    # Surest first; among equals, the chain found first (the order of the search is fixed).
    return kept[0], kept[1]


def _weight(data: dict[str, Any]) -> float:
    return step_weight(data.get("certainty"), data.get("explicitness"))


def _trail_steps(graph: nx.MultiDiGraph, trail: Any, forwards: bool) -> list:
    hops = []
    while trail is not None and trail[2] is not None:
        node, claim, before = trail
        previous = before[0]
        hops.append(step_of(graph, previous, node, claim) if forwards else step_of(graph, node, previous, claim))
        trail = before
    # Forwards the hops were collected from the far end back; backwards they already run cause to effect.
    return hops[::-1] if forwards else hops
