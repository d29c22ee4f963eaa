"""The report of ``drivers`` and ``effects``: one row per factor, at its shortest distance, with
every chain that reaches it under it and every quote of their steps.

The analysis counts chains per factor and distance (:mod:`cocagraph.analysis.neighbours`);
here they are gathered per factor: the sign is the net sign of all its chains (``±`` when they
disagree), the counts add up, the confidence is the surest chain's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.neighbours import Influence, InfluenceAnswer
from ..analysis.steps import CausalPath
from .steps import step_lines

__all__ = ["COLUMNS", "FactorRow", "by_factor", "data", "notes", "rows", "text", "title"]

COLUMNS = ("distance", "sign", "increasing", "decreasing", "confidence", "factor", "kind", "via", "claims", "quotes")


@dataclass(frozen=True)
class FactorRow:
    """A factor the asked one reaches (or is reached from), with every chain kept."""

    factor: str
    label: str
    kind: str
    distance: int
    increasing: int
    decreasing: int
    chains: tuple[CausalPath, ...]

    @property
    def sign(self) -> str:
        if self.increasing and self.decreasing:
            return "±"
        return "+" if self.increasing else "-"

    @property
    def confidence(self) -> float:
        return max(c.confidence for c in self.chains)


def by_factor(result: InfluenceAnswer) -> list[FactorRow]:
    """The influences gathered per factor, nearest and surest first.

    >>> import networkx as nx
    >>> from cocagraph.analysis.neighbours import effects
    >>> g = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     g.add_node(n, label=n, kind="factor")
    >>> for u, v, k in [("a", "b", "1"), ("b", "c", "2"), ("a", "c", "3")]:
    ...     _ = g.add_edge(u, v, key=k, polarity=1)
    >>> [(r.label, r.distance, len(r.chains)) for r in by_factor(effects(g, "a"))]
    [('b', 1, 1), ('c', 1, 2)]
    """
    grouped: dict[str, list[Influence]] = {}
    for influence in result.influences:  # already nearest first
        grouped.setdefault(influence.factor, []).append(influence)
    factor_rows = []
    for factor, found in grouped.items():
        first = found[0]
        factor_rows.append(
            FactorRow(
                factor=factor,
                label=first.label,
                kind=first.kind,
                distance=min(i.distance for i in found),
                increasing=sum(i.increasing for i in found),
                decreasing=sum(i.decreasing for i in found),
                chains=tuple(c for i in found for c in (i.chains or (i.best,))),
            )
        )
    factor_rows.sort(key=lambda r: (r.distance, -r.confidence, r.label))
    return factor_rows


def title(result: InfluenceAnswer) -> str:
    return f"{result.direction.capitalize()} of “{result.label}” within {result.depth} link(s)"


def text(result: InfluenceAnswer) -> str:
    lines = [title(result), ""]
    found = by_factor(result)
    if not found:
        lines.append(f"(nothing within {result.depth} link(s))")
    for n, row in enumerate(found, 1):
        counts = f"{row.increasing} raising, {row.decreasing} lowering" if row.increasing and row.decreasing else ""
        lines.append(
            f"{n}. {row.sign} {row.label}   distance {row.distance}   confidence {row.confidence:.3g}"
            + (f"   ({counts})" if counts else "")
        )
        for chain in row.chains:
            lines.append(f"   via {' → '.join(chain.labels)}   ({chain.sign_text}, confidence {chain.confidence:.3g})")
            lines += step_lines(chain.steps, "      ")
        more = row.increasing + row.decreasing - len(row.chains)
        if more > 0:
            lines.append(f"   … and {more} more chain(s), weaker")
        lines.append("")
    return "\n".join(lines).rstrip()


def data(result: InfluenceAnswer) -> dict[str, Any]:
    """The JSON answer: one entry per factor and distance, each with its chains and their steps."""
    return result.as_json()


def rows(result: InfluenceAnswer) -> list[dict[str, Any]]:
    """One row per factor: its shortest distance, net sign, counts, every chain and every quote."""
    return [
        {
            "distance": row.distance,
            "sign": row.sign,
            "increasing": row.increasing,
            "decreasing": row.decreasing,
            "confidence": row.confidence,
            "factor": row.label,
            "kind": row.kind,
            "via": [" → ".join(c.labels) for c in row.chains],
            "claims": list(dict.fromkeys(s.claim for c in row.chains for s in c.steps)),
            "quotes": list(dict.fromkeys(q for c in row.chains for s in c.steps for q in s.quotes)),
        }
        for row in by_factor(result)
    ]


def notes(result: InfluenceAnswer) -> list[str]:
    return [f"the answer was cut: {result.reason}"] if result.truncated and result.reason else []
