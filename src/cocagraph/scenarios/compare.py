"""Two scenarios side by side: which factors each moves, and the claims behind each effect."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .simulate import Effect, ScenarioResult, simulate
from .specs import Scenario

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Comparison", "FactorComparison", "compare", "side_status"]


@dataclass(frozen=True)
class FactorComparison:
    """One factor under both scenarios (``a``/``b`` are None where a scenario does not reach it)."""

    factor: str
    label: str
    change_a: float
    change_b: float
    status_a: str  # "up", "down", "no net change", "set" (held by the scenario) or "unreachable"
    status_b: str
    a: Effect | None
    b: Effect | None


@dataclass(frozen=True)
class Comparison:
    """The answer to two scenarios; ``factors`` holds those moved or set by either, most moved first."""

    a: Scenario
    b: Scenario
    result_a: ScenarioResult
    result_b: ScenarioResult
    factors: tuple[FactorComparison, ...]
    omitted: int = 0  # factors left out of ``factors`` by :meth:`limited`

    def limited(self, limit: int | None) -> Comparison:
        """The same comparison with only the ``limit`` most moved factors (None: all)."""
        if limit is None or limit >= len(self.factors):
            return self
        return replace(self, factors=self.factors[:limit], omitted=self.omitted + len(self.factors) - limit)

    @property
    def note(self) -> str:
        return self.result_a.note


def side_status(result: ScenarioResult, factor: str) -> str:
    """How a scenario leaves a factor: set, up, down, no net change, or unreachable."""
    if factor in result.interventions:
        return "set"
    effect = result.effect(factor)
    return effect.direction if effect is not None else "unreachable"


def compare(graph: nx.MultiDiGraph, a: Scenario, b: Scenario, **options: Any) -> Comparison:
    """Run both scenarios with the same options (those of :func:`simulate`) and line them up.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("reg", "harm", key="c1", polarity=-1, certainty="asserted", explicitness="stated")
    'c1'
    >>> g.add_node("erad")
    >>> both = compare(g, Scenario("regulate", (("reg", 1.0),)), Scenario("eradicate", (("erad", 1.0),)))
    >>> [(f.label, f.status_a, f.status_b) for f in both.factors if f.factor == "harm"]
    [('harm', 'down', 'unreachable')]
    """
    result_a = simulate(graph, a.interventions, **options)
    result_b = simulate(graph, b.interventions, **options)
    wanted = _shown(result_a) | _shown(result_b)
    rows = [
        FactorComparison(
            factor,
            result_a.labels[factor],
            result_a.changes[factor],
            result_b.changes[factor],
            side_status(result_a, factor),
            side_status(result_b, factor),
            result_a.effect(factor),
            result_b.effect(factor),
        )
        for factor in wanted
    ]
    rows.sort(key=lambda r: (-max(abs(r.change_a), abs(r.change_b)), r.label, r.factor))
    return Comparison(a, b, result_a, result_b, tuple(rows))


def _shown(result: ScenarioResult) -> set[str]:
    return {e.factor for e in result.moved} | set(result.interventions)
