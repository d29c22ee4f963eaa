"""Run a scenario on the causal projection: what the argument implies if some factors change.

``simulate(graph, {factor IRI: value})`` clamps the named factors at their values (+1 a full
rise, -1 a full fall) and propagates through the argument's causal claims (see
:mod:`cocagraph.scenarios.propagation` for the method). The answer is what the text's own
claims imply, weighted by how sure the text is of each; it is not a forecast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import UnknownNameError, UsageError
from .propagation import RULES, Iteration, Weights, influence_matrix, iterate, links
from .tracing import EffectPath, reachable, strongest_paths

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NOT_A_FORECAST", "Effect", "Method", "ScenarioResult", "simulate"]

#: Said with every answer, in every format.
NOT_A_FORECAST = (
    "What the argument implies, not a forecast: each value is how far the text's own causal claims, "
    "weighted by how sure the text is of each, carry the change set (from -1, a full fall, to +1, a full rise); "
    "it measures the argument, not the world."
)


@dataclass(frozen=True)
class Method:
    """The settings a scenario ran with; reported with the answer so it can be rerun."""

    rule: str = "kosko"
    steepness: float = 1.0
    steps: int = 100
    tolerance: float = 1e-6
    threshold: float = 1e-3
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise UsageError(f"unknown update rule {self.rule!r}; one of {', '.join(RULES)}")
        if not (0 <= self.threshold < 1):
            raise UsageError(f"the smallest change worth showing must be in [0, 1), not {self.threshold!r}")


@dataclass(frozen=True)
class Effect:
    """A factor the scenario reaches: its change, direction, and the chains that carry it."""

    factor: str
    label: str
    change: float
    direction: str  # "up", "down" or "no net change"
    paths: tuple[EffectPath, ...]
    more_paths: bool  # True when further chains exist beyond those listed
    #: No chain of claims the text states reaches this factor: only links the curator infers do.
    only_inferred: bool = False

    @property
    def moved(self) -> bool:
        return self.direction != "no net change"


@dataclass(frozen=True)
class ScenarioResult:
    """The answer to one scenario.

    ``changes`` maps every factor's IRI to its change in [-1, 1] (the clamped factors at their
    set values, unreached factors at 0.0): what a map colours by. ``effects`` are the factors the
    scenario reaches, most moved first; ``unreachable`` the factors no chain of claims leads to.
    """

    interventions: Mapping[str, float]
    changes: Mapping[str, float]
    effects: tuple[Effect, ...]
    unreachable: tuple[str, ...]
    labels: Mapping[str, str]
    iteration: Iteration
    method: Method
    note: str = NOT_A_FORECAST
    omitted: int = 0  # reached factors left out of ``effects`` by :meth:`limited`

    def limited(self, limit: int | None) -> ScenarioResult:
        """The same answer with only the ``limit`` most moved factors in ``effects`` (None: all)."""
        if limit is None or limit >= len(self.effects):
            return self
        return replace(self, effects=self.effects[:limit], omitted=self.omitted + len(self.effects) - limit)

    @property
    def moved(self) -> tuple[Effect, ...]:
        """The effects at least as large as the method's threshold."""
        return tuple(e for e in self.effects if e.moved)

    @property
    def converged(self) -> bool:
        return self.iteration.converged

    @property
    def steps(self) -> int:
        return self.iteration.steps

    @property
    def status(self) -> str:
        return self.iteration.status

    def effect(self, factor: str) -> Effect | None:
        """The effect on ``factor`` (an IRI), or None when the scenario does not reach it."""
        return next((e for e in self.effects if e.factor == factor), None)


def simulate(
    graph: nx.MultiDiGraph,
    interventions: Mapping[str, float],
    *,
    steps: int = 100,
    tolerance: float = 1e-6,
    rule: str = "kosko",
    steepness: float = 1.0,
    weights: Weights | None = None,
    threshold: float = 1e-3,
    paths: int = 3,
    explain: int | None = None,
) -> ScenarioResult:
    """Clamp ``interventions`` (factor IRI -> value in [-1, 1]) and propagate to convergence.

    ``paths`` chains are traced per reached factor (0 for none); ``explain`` limits tracing to
    the most moved factors (None: all of them), which matters on large graphs.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="c1", polarity=1, certainty="asserted", explicitness="stated")
    'c1'
    >>> result = simulate(g, {"a": 1.0}, tolerance=1e-12)
    >>> round(result.changes["b"], 4), result.effects[0].direction, result.converged
    (0.7616, 'up', True)
    """
    from ..analysis.channels import one_channel

    graph = one_channel(graph)  # a summary and the mechanism spelling it out are one channel
    method = Method(
        rule=rule,
        steepness=steepness,
        steps=steps,
        tolerance=tolerance,
        threshold=threshold,
        weights=weights or Weights(),
    )
    if paths < 0 or (explain is not None and explain < 0):
        raise UsageError("the number of chains and of factors to trace cannot be negative")
    if not interventions:
        raise UsageError("a scenario needs at least one factor to set (for example --set 'regulate coca=+1')")
    labels = {iri: str(graph.nodes[iri].get("label") or iri) for iri in graph.nodes}
    for iri, value in interventions.items():
        if iri not in graph:
            raise UnknownNameError("factor", iri)
        if not (isinstance(value, int | float) and math.isfinite(value) and -1.0 <= value <= 1.0):
            raise UsageError(f"{labels[iri]!r} is set to {value!r}; a change is a number from -1 to +1")

    folded = links(graph, method.weights)
    order = sorted(graph.nodes)
    index = {iri: i for i, iri in enumerate(order)}
    run = iterate(
        influence_matrix(order, folded.values()),
        {index[iri]: float(v) for iri, v in interventions.items()},
        steps=steps,
        tolerance=tolerance,
        rule=rule,
        steepness=steepness,
    )
    changes = dict(zip(order, run.state, strict=True))

    successors: dict[str, list[str]] = {}
    for cause, effect in folded:
        successors.setdefault(cause, []).append(effect)
    # A factor held at 0 is not where a change starts; it only stops what would flow through it.
    sources = [iri for iri, value in interventions.items() if value != 0]
    reached = reachable(successors, sources, interventions)
    ranked = sorted(reached, key=lambda iri: (-abs(changes[iri]), labels[iri], iri))
    targets = ranked[:explain] if explain is not None else ranked
    traced = strongest_paths(folded, interventions, targets, paths, sources=sources)
    by_stated_links = _reached_by_stated_links(graph, sources)
    effects = tuple(
        Effect(
            iri,
            labels[iri],
            changes[iri],
            _direction(changes[iri], threshold),
            *traced.get(iri, ((), False)),
            only_inferred=iri not in by_stated_links,
        )
        for iri in ranked
    )
    unreachable = tuple(
        sorted(
            (iri for iri in order if iri not in reached and iri not in interventions),
            key=lambda iri: (labels[iri], iri),
        )
    )
    return ScenarioResult(dict(interventions), changes, effects, unreachable, labels, run, method)


def _direction(change: float, threshold: float) -> str:
    if change >= threshold and change > 0:
        return "up"
    if change <= -threshold and change < 0:
        return "down"
    return "no net change"


def _reached_by_stated_links(graph: nx.MultiDiGraph, sources: list[str]) -> set[str]:
    """Factors some chain of *stated* causal claims leads to from ``sources``.

    Computed over the whole graph (not the traced chains, which are only the strongest few), so
    an effect flagged ``only_inferred`` truly rests on at least one link the curator infers.
    """
    seen, frontier = set(sources), list(sources)
    while frontier:
        node = frontier.pop()
        for _, nxt, data in graph.out_edges(node, data=True):
            if data.get("explicitness", "stated") == "stated" and nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen
