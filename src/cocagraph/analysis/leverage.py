"""Levers: the factors on most causal chains from the causes to the harms.

For each factor, the number of simple causal chains (up to ``max_length`` links) from a source
to a target that pass through it, as a count and as a share of all such chains. Chains are
counted over factors (several claims between the same two factors make one chain); each chain
also carries its confidence (the surest claim at each link, multiplied), and ``weighted`` is the
share of the total confidence the factor carries, so that hedged or inferred chains count less.

Alongside, ``betweenness`` is the source-to-target *subset betweenness* (Brandes 2008; networkx
``betweenness_centrality_subset``): the share of the *shortest* chains between the chosen
sources and targets that pass through the factor. It is the standard measure of brokerage,
restricted to the question asked so that unrelated parts of the argument do not count; unlike the
chain count, it does not reward long or redundant chains, so where the two agree the lever is
robust, and where they differ the chain count shows breadth and betweenness shows directness.
A factor with a share of 1.0 sits on every chain: acting on it would cut every source off
every target.

With no sources named, the sources are the factors no causal claim explains (nothing drives
them) and the targets the factors that drive nothing: the argument's first causes and its
final outcomes.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError
from .bounds import DEFAULT_SECONDS, Clock, reasons
from .channels import one_channel
from .reach import distances_to
from .resolve import resolve_factor
from .steps import step_weight

__all__ = ["DEFAULT_PATH_BUDGET", "Lever", "LeverageAnswer", "leverage"]

#: Chains counted at most; beyond, the answer is cut and says so.
DEFAULT_PATH_BUDGET = 100_000


@dataclass(frozen=True)
class Lever:
    """A factor on the chains from the sources to the targets."""

    factor: str
    label: str
    kind: str
    paths: int
    share: float
    weighted: float
    betweenness: float

    def as_json(self) -> dict[str, Any]:
        return {
            "factor": self.label,
            "iri": self.factor,
            "kind": self.kind,
            "paths": self.paths,
            "share": self.share,
            "weighted": self.weighted,
            "betweenness": self.betweenness,
        }


@dataclass(frozen=True)
class LeverageAnswer:
    """Factors ranked by the chains they sit on (most first), and the question asked."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    source_labels: tuple[str, ...]
    target_labels: tuple[str, ...]
    paths: int
    levers: tuple[Lever, ...]
    max_length: int
    truncated: bool
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": list(self.source_labels),
            "to": list(self.target_labels),
            "paths": self.paths,
            "max_length": self.max_length,
            "levers": [lever.as_json() for lever in self.levers],
            "truncated": self.truncated,
            "reason": self.reason,
        }


def leverage(
    graph: nx.MultiDiGraph,
    sources: Sequence[str] = (),
    targets: Sequence[str] = (),
    *,
    max_length: int = 6,
    max_paths: int = DEFAULT_PATH_BUDGET,
    seconds: float = DEFAULT_SECONDS,
) -> LeverageAnswer:
    """Rank factors by the causal chains from ``sources`` to ``targets`` (names or IRIs) they sit on.

    >>> g = nx.MultiDiGraph()
    >>> for n in "pabh":
    ...     g.add_node(n, label=n, kind="factor")
    >>> for u, v in [("p", "a"), ("a", "h"), ("p", "b"), ("b", "a")]:
    ...     _ = g.add_edge(u, v, key=u + v, polarity=1)
    >>> [(lever.label, lever.paths, lever.share) for lever in leverage(g, ["p"], ["h"]).levers]
    [('a', 2, 1.0), ('b', 1, 0.5)]
    """
    if max_length < 1:
        raise UsageError(f"--max-length must be at least 1, not {max_length}")
    graph = one_channel(graph)  # a summary and the mechanism spelling it out are one chain, not two
    chosen_sources = [resolve_factor(graph, s) for s in sources] or _first_causes(graph)
    chosen_targets = [resolve_factor(graph, t) for t in targets] or _outcomes(graph)
    src, tgt = list(dict.fromkeys(chosen_sources)), list(dict.fromkeys(chosen_targets))
    target_set = set(tgt)
    clock = Clock(seconds)
    dist = distances_to(graph, tgt)
    succ = graph._succ
    through: dict[str, int] = {}
    weight_through: dict[str, float] = {}
    total, total_weight = 0, 0.0
    length_cut = count_cut = False
    for source in src:
        if source not in dist:
            continue
        # Depth-first over simple chains: path[i] is entered with best[i] its chain's confidence.
        path, best, iters = [source], [1.0], [iter(succ[source])]
        while iters and not clock.out() and not count_cut:
            after = next(iters[-1], None)
            if after is None:
                iters.pop()
                path.pop()
                best.pop()
                continue
            if after in path:
                continue
            left = dist.get(after)
            if left is None:
                continue
            if len(path) + left > max_length:
                length_cut = True
                continue
            p = best[-1] * max(
                step_weight(d.get("certainty"), d.get("explicitness")) for d in succ[path[-1]][after].values()
            )
            if after in target_set:
                total += 1
                total_weight += p
                for node in path[1:]:
                    through[node] = through.get(node, 0) + 1
                    weight_through[node] = weight_through.get(node, 0.0) + p
                if total >= max_paths:
                    count_cut = True
            # Go on past a target only towards another one (a chain never comes back to a factor).
            onward = after not in target_set or len(target_set) > 1 + sum(1 for n in path if n in target_set)
            if onward and len(path) < max_length:
                path.append(after)
                best.append(p)
                iters.append(iter(succ[after]))
    # Its own time budget: the chain count may have used all of the first.
    between, between_done = _betweenness(graph, src, tgt, Clock(seconds))
    levers = [
        Lever(
            node,
            graph.nodes[node]["label"],
            graph.nodes[node].get("kind", "factor"),
            n,
            n / total if total else 0.0,
            weight_through[node] / total_weight if total_weight else 0.0,
            between.get(node, 0.0),
        )
        for node, n in through.items()
    ]
    levers.sort(key=lambda lever: (-lever.paths, -lever.weighted, -lever.betweenness, lever.label))
    timed_out = clock.expired
    return LeverageAnswer(
        sources=tuple(src),
        targets=tuple(tgt),
        source_labels=tuple(graph.nodes[n]["label"] for n in src),
        target_labels=tuple(graph.nodes[n]["label"] for n in tgt),
        paths=total,
        levers=tuple(levers),
        max_length=max_length,
        truncated=timed_out or count_cut or length_cut or not between_done,
        reason=reasons(
            f"stopped after {seconds:g} s (--timeout): counts are lower bounds" if timed_out else None,
            f"stopped after {max_paths:,} chains: counts are lower bounds" if count_cut else None,
            f"chains longer than --max-length {max_length} are not counted" if length_cut else None,
            None
            if between_done
            else f"betweenness stopped after {seconds:g} s (--timeout): it counts only the sources done",
        ),
    )


def _first_causes(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n in graph if graph.in_degree(n) == 0 and graph.out_degree(n) > 0]


def _outcomes(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n in graph if graph.out_degree(n) == 0 and graph.in_degree(n) > 0]


def _betweenness(
    graph: nx.MultiDiGraph, sources: list[str], targets: list[str], clock: Clock
) -> tuple[dict[str, float], bool]:
    """Share of the shortest source-to-target chains through each factor (0 to 1), and whether
    every source was done before the time ran out.

    Brandes' accumulation restricted to the given targets (as networkx's
    ``betweenness_centrality_subset``), over factors (parallel claims count once), written here so
    that the clock is asked between sources. Each pair (s, t) with t reachable counts 1 in all.
    """
    succ = graph._succ
    target_set = set(targets)
    raw: dict[str, float] = {}
    pairs = 0
    for s in sources:
        if clock.check():  # one whole breadth-first search per source: ask the time every time
            return _shares(raw, pairs), False
        order: list[str] = []
        preds: dict[str, list[str]] = {s: []}
        sigma, dist = {s: 1}, {s: 0}
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in succ[v]:
                if w not in dist:
                    dist[w] = dist[v] + 1
                    sigma[w], preds[w] = 0, []
                    queue.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        pairs += sum(1 for t in target_set if t != s and t in dist)
        delta = dict.fromkeys(order, 0.0)
        ends = target_set - {s}
        while order:
            w = order.pop()
            coeff = ((delta[w] + 1.0) if w in ends else delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s and delta[w]:
                raw[w] = raw.get(w, 0.0) + delta[w]
    return _shares(raw, pairs), True


def _shares(raw: dict[str, float], pairs: int) -> dict[str, float]:
    if not pairs:
        return {}
    return {node: value / pairs for node, value in raw.items() if not math.isclose(value, 0.0)}
