"""The report of ``whatif`` and ``compare``: a report for people (table), JSON, rows for CSV,
spreadsheets and data frames, and Markdown with its prose.

Every format carries the same facts: the factors that move, by how much and which way, the
chains of claims that carry each effect with each claim's sign, certainty (and hedge) and
whether the text states it or the curator inferred it, and the factors out of reach. Table,
Markdown and JSON say in words that this is what the argument implies, not a forecast; CSV,
being one plain table, leaves that to the command (which says it on stderr).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any

from ..scenarios.compare import Comparison, FactorComparison
from ..scenarios.propagation import ClaimWeight, Link
from ..scenarios.simulate import Effect, ScenarioResult
from ..scenarios.specs import Scenario
from ..scenarios.tracing import EffectPath
from ..tables import format_rows

__all__ = [
    "COLUMNS",
    "COMPARE_COLUMNS",
    "WHATIF_COLUMNS",
    "WhatIf",
    "data",
    "format_comparison",
    "format_whatif",
    "markdown",
    "notes",
    "rows",
    "text",
    "title",
]

WHATIF_COLUMNS = ("factor", "change", "direction", "only_inferred_links", "chain", "strength", "claims")
COMPARE_COLUMNS = (
    "factor", "change_a", "direction_a", "only_inferred_links_a", "change_b", "direction_b", "only_inferred_links_b",
    "claims_a", "claims_b",
)  # fmt: skip


#: Printed under a table that marks effects with "*".
ONLY_INFERRED_NOTE = (
    "* reached only through links the curator infers: no chain of claims the text states leads there "
    "(the chains below say which links are inferred)."
)


def _sign(value: float) -> str:
    return "-" if value < 0 else "+"


def claim_mark(claim: ClaimWeight) -> str:
    """A claim's id with its evidence marks.

    >>> claim_mark(ClaimWeight("x/claim/c1", "l", -1, "hedged", "appear to", "inferred", -0.375, None))
    "c1 (-, hedged 'appear to', inferred)"
    """
    certainty = f"hedged {claim.hedge!r}" if claim.certainty == "hedged" and claim.hedge else claim.certainty
    return f"{claim.id} ({_sign(claim.polarity)}, {certainty}, {claim.explicitness})"


def chain_text(path: EffectPath, labels: dict[str, str] | Any) -> str:
    """``A -[+]-> B -[-]-> C`` with the factors' labels."""
    parts = [labels[path.factors[0]]]
    parts += [f"-[{_sign(link.weight)}]-> {labels[link.effect]}" for link in path.links]
    return " ".join(parts)


def chain_claims(path: EffectPath) -> str:
    return "; ".join(claim_mark(c) for link in path.links for c in link.claims)


def _setting(scenario: Scenario, labels: Any) -> str:
    return ", ".join(
        f"{labels.get(iri, iri)} = {value:+g}" if value else f"{labels.get(iri, iri)} held at 0"
        for iri, value in scenario.settings
    )


def _ending(result: ScenarioResult) -> str:
    return {
        "converged": f"converged after {result.steps} step(s)",
        "oscillating": f"did not settle: it swings between two states (stopped at the cap of {result.steps} steps)",
        "step cap": f"did not converge within {result.steps} steps (the step cap); values are the last step's",
    }[result.status]


def _settings_text(result: ScenarioResult) -> str:
    m, w = result.method, result.method.weights
    return (
        f"Method: fuzzy cognitive map, {m.rule} rule, tanh (steepness {m.steepness:g}); claim weight = polarity "
        f"× (asserted {w.asserted:g}, hedged {w.hedged:g}) × (stated {w.stated:g}, inferred {w.inferred:g})"
    )


def _method(result: ScenarioResult) -> str:
    return f"{_settings_text(result)}; {_ending(result)}."


# ---- one scenario -------------------------------------------------------------------------------


def _link_json(link: Link, labels: Any) -> dict[str, Any]:
    return {
        "cause": labels[link.cause],
        "effect": labels[link.effect],
        "sign": _sign(link.weight),
        "weight": round(link.weight, 6),
        "claims": [
            {
                "claim": c.claim,
                "id": c.id,
                "label": c.label,
                "sign": _sign(c.polarity),
                "certainty": c.certainty,
                "hedge": c.hedge,
                "explicitness": c.explicitness,
                "weight": round(c.weight, 6),
                "quote": c.quote,
            }
            for c in link.claims
        ],
    }


def _effect_json(effect: Effect, labels: Any) -> dict[str, Any]:
    return {
        "factor": effect.label,
        "iri": effect.factor,
        "change": round(effect.change, 6),
        "direction": effect.direction,
        "only_inferred_links": effect.only_inferred,
        "chains": [
            {
                "strength": round(p.strength, 6),
                "sign": _sign(p.strength),
                "agrees_with_change": (p.strength < 0) == (effect.change < 0),
                "steps": [_link_json(link, labels) for link in p.links],
            }
            for p in effect.paths
        ],
        "more_chains": effect.more_paths,
    }


def whatif_json(result: ScenarioResult, scenario: Scenario) -> dict[str, Any]:
    labels = result.labels
    m = result.method
    return {
        "note": result.note,
        "scenario": {
            "name": scenario.name,
            "description": scenario.description,
            "origin": scenario.origin,
            "set": [{"factor": labels[iri], "iri": iri, "value": v} for iri, v in scenario.settings],
        },
        "method": {
            "rule": m.rule,
            "squashing": "tanh",
            "steepness": m.steepness,
            "step_cap": m.steps,
            "tolerance": m.tolerance,
            "threshold": m.threshold,
            "weights": {
                "asserted": m.weights.asserted,
                "hedged": m.weights.hedged,
                "stated": m.weights.stated,
                "inferred": m.weights.inferred,
            },
            "combining": "claims between the same two factors add up, clipped to [-1, 1]",
        },
        "status": result.status,
        "converged": result.converged,
        "steps": result.steps,
        "residual": result.iteration.residual,
        "moved": [_effect_json(e, labels) for e in result.moved],
        "no_net_change": [_effect_json(e, labels) for e in result.effects if not e.moved],
        "omitted": result.omitted,
        "unreachable": [{"factor": labels[iri], "iri": iri} for iri in result.unreachable],
    }


def whatif_rows(result: ScenarioResult, scenario: Scenario) -> list[dict[str, Any]]:
    """One row per factor and chain: set factors first, then moved, unmoved, unreachable."""
    labels = result.labels
    rows: list[dict[str, Any]] = [
        {"factor": labels[iri], "change": round(v, 3), "direction": "set"} for iri, v in scenario.settings
    ]
    for effect in result.effects:
        base = {
            "factor": effect.label,
            "change": round(effect.change, 3),
            "direction": effect.direction,
            "only_inferred_links": effect.only_inferred,
        }
        if not effect.paths:
            rows.append(base)
        for path in effect.paths:
            rows.append(
                {
                    **base,
                    "chain": chain_text(path, labels),
                    "strength": round(path.strength, 3),
                    "claims": chain_claims(path),
                }
            )
    rows += [{"factor": labels[iri], "direction": "unreachable"} for iri in result.unreachable]
    return rows


def whatif_text(result: ScenarioResult, scenario: Scenario) -> str:
    labels = result.labels
    lines = [f"Scenario: {scenario.name}: {_setting(scenario, labels)}"]
    if scenario.description:
        lines.append(scenario.description)
    lines += [*_wrap(result.note), *_wrap(_method(result)), ""]
    rows = [{"factor": labels[iri], "change": f"{v:+.3f}", "direction": "set"} for iri, v in scenario.settings]
    rows += [
        {"factor": e.label, "change": f"{e.change:+.3f}", "direction": e.direction + (" *" if e.only_inferred else "")}
        for e in result.effects
    ]
    lines.append(format_rows(rows, "table", ("factor", "change", "direction")))
    if any(e.only_inferred for e in result.effects):
        lines += ["", ONLY_INFERRED_NOTE]
    traced = [e for e in result.effects if e.paths]
    if traced:
        lines += [
            "",
            "How each effect is carried (strongest chains first; each claim: sign, certainty, stated or inferred):",
        ]
        for effect in traced:
            lines += ["", f"{effect.label}: {effect.change:+.3f} {effect.direction}"]
            lines += _chains_text(effect, labels, "  ")
    lines += ["", *_unreachable_text(result)]
    if result.omitted:
        lines += ["", _omitted(result.omitted)]
    return "\n".join(lines)


def _omitted(n: int) -> str:
    return f"({n} more factor(s) reached but not shown, the least moved; raise --limit, or 0 for all)"


def _chains_text(effect: Effect, labels: Any, indent: str) -> list[str]:
    lines = []
    for n, path in enumerate(effect.paths, 1):
        against = "" if (path.strength < 0) == (effect.change < 0) else " (pushes against the net change)"
        lines.append(f"{indent}chain {n}, strength {path.strength:+.3f}{against}:")
        lines.append(f"{indent}  {labels[path.factors[0]]}")
        for link in path.links:
            marks = "; ".join(claim_mark(c) for c in link.claims)
            lines.append(f"{indent}    -[{_sign(link.weight)}]-> {labels[link.effect]}    {marks}")
    if effect.more_paths:
        lines.append(f"{indent}(more chains exist; raise --paths to list them)")
    return lines


def _unreachable_text(result: ScenarioResult) -> list[str]:
    if not result.unreachable:
        return ["Every factor is within reach of this scenario."]
    names = ", ".join(result.labels[iri] for iri in result.unreachable)
    return [
        f"Cannot reach ({len(result.unreachable)}; no chain of claims leads there from what the scenario changes, "
        "except through a factor it holds):",
        *textwrap.wrap(names, 100, initial_indent="  ", subsequent_indent="  "),
    ]


def format_whatif(result: ScenarioResult, scenario: Scenario, fmt: str) -> str:
    """The answer to one scenario in ``fmt`` (table, json, csv, md)."""
    if fmt == "json":
        return json.dumps(whatif_json(result, scenario), ensure_ascii=False, indent=2)
    if fmt == "table":
        return whatif_text(result, scenario)
    table = format_rows(whatif_rows(result, scenario), fmt, WHATIF_COLUMNS)
    if fmt == "md":
        return "\n\n".join(
            [
                f"**Scenario:** {scenario.name}: {_setting(scenario, result.labels)}",
                f"*{result.note}* {_method(result)}",
                table,
                *([_omitted(result.omitted)] if result.omitted else []),
            ]
        )
    return table


# ---- two scenarios ------------------------------------------------------------------------------


def _side_json(row: FactorComparison, side: str, labels: Any) -> dict[str, Any]:
    effect = row.a if side == "a" else row.b
    change = row.change_a if side == "a" else row.change_b
    status = row.status_a if side == "a" else row.status_b
    data = _effect_json(effect, labels) if effect is not None else {"chains": [], "more_chains": False}
    return {
        "change": round(change, 6),
        "direction": status,
        "chains": data["chains"],
        "more_chains": data["more_chains"],
    }


def _scenario_json(scenario: Scenario, result: ScenarioResult) -> dict[str, Any]:
    labels = result.labels
    return {
        "name": scenario.name,
        "description": scenario.description,
        "origin": scenario.origin,
        "set": [{"factor": labels[iri], "iri": iri, "value": v} for iri, v in scenario.settings],
        "status": result.status,
        "converged": result.converged,
        "steps": result.steps,
        "unreachable": [labels[iri] for iri in result.unreachable],
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    labels = comparison.result_a.labels
    return {
        "note": comparison.note,
        "a": _scenario_json(comparison.a, comparison.result_a),
        "b": _scenario_json(comparison.b, comparison.result_b),
        "omitted": comparison.omitted,
        "factors": [
            {
                "factor": row.label,
                "iri": row.factor,
                "a": _side_json(row, "a", labels),
                "b": _side_json(row, "b", labels),
            }
            for row in comparison.factors
        ],
    }


def _claims_cell(effect: Effect | None) -> str:
    if effect is None:
        return ""
    return " | ".join(f"chain {n}: {chain_claims(p)}" for n, p in enumerate(effect.paths, 1))


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    return [
        {
            "factor": row.label,
            "change_a": round(row.change_a, 3),
            "direction_a": row.status_a,
            "change_b": round(row.change_b, 3),
            "direction_b": row.status_b,
            "claims_a": _claims_cell(row.a),
            "claims_b": _claims_cell(row.b),
            "only_inferred_links_a": bool(row.a and row.a.only_inferred),
            "only_inferred_links_b": bool(row.b and row.b.only_inferred),
        }
        for row in comparison.factors
    ]


def comparison_text(comparison: Comparison) -> str:
    a, b, ra, rb = comparison.a, comparison.b, comparison.result_a, comparison.result_b
    labels = ra.labels
    lines = [
        f"A: {a.name}: {_setting(a, labels)}",
        f"B: {b.name}: {_setting(b, labels)}",
        *_wrap(comparison.note),
        *_wrap(f"{_settings_text(ra)}; A {_ending(ra)}; B {_ending(rb)}."),
        "",
    ]

    def cell(change: float, status: str, effect: Effect | None) -> str:
        if status == "unreachable":
            return "unreachable"
        return f"{change:+.3f} {status}" + (" *" if effect is not None and effect.only_inferred else "")

    rows = [
        {"factor": r.label, "A": cell(r.change_a, r.status_a, r.a), "B": cell(r.change_b, r.status_b, r.b)}
        for r in comparison.factors
    ]
    lines.append(format_rows(rows, "table", ("factor", "A", "B")))
    if any(e is not None and e.only_inferred for r in comparison.factors for e in (r.a, r.b)):
        lines += ["", ONLY_INFERRED_NOTE]
    traced = [r for r in comparison.factors if (r.a and r.a.paths) or (r.b and r.b.paths)]
    if traced:
        lines += ["", "The claims behind each effect (strongest chains first):"]
        for row in traced:
            lines += ["", f"{row.label}:"]
            for name, effect in (("A", row.a), ("B", row.b)):
                if effect is not None and effect.paths:
                    lines.append(f"  under {name}: {effect.change:+.3f} {effect.direction}")
                    lines += _chains_text(effect, labels, "    ")
    neither = sorted(set(ra.unreachable) & set(rb.unreachable), key=lambda iri: labels[iri])
    if neither:
        lines += [
            "",
            f"Neither scenario reaches ({len(neither)}):",
            *textwrap.wrap(", ".join(labels[iri] for iri in neither), 100, initial_indent="  ", subsequent_indent="  "),
        ]
    if comparison.omitted:
        lines += ["", _omitted(comparison.omitted)]
    return "\n".join(lines)


def format_comparison(comparison: Comparison, fmt: str) -> str:
    """Two scenarios side by side in ``fmt`` (table, json, csv, md)."""
    if fmt == "json":
        return json.dumps(comparison_json(comparison), ensure_ascii=False, indent=2)
    if fmt == "table":
        return comparison_text(comparison)
    table = format_rows(comparison_rows(comparison), fmt, COMPARE_COLUMNS)
    if fmt == "md":
        labels = comparison.result_a.labels
        return "\n\n".join(
            [
                f"**A:** {comparison.a.name}: {_setting(comparison.a, labels)}  \n"
                f"**B:** {comparison.b.name}: {_setting(comparison.b, labels)}",
                f"*{comparison.note}* {_settings_text(comparison.result_a)}; "
                f"A {_ending(comparison.result_a)}; B {_ending(comparison.result_b)}.",
                table,
                *([_omitted(comparison.omitted)] if comparison.omitted else []),
            ]
        )
    return table


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 100)


# ---- the report interface (cocagraph.reports): one scenario or two -------------------------------


@dataclass(frozen=True)
class WhatIf:
    """One scenario and what the argument implies under it."""

    result: ScenarioResult
    scenario: Scenario


#: The columns of ``rows``: those of one scenario; a comparison has :data:`COMPARE_COLUMNS`.
COLUMNS = WHATIF_COLUMNS


def columns(answer: WhatIf | Comparison) -> tuple[str, ...]:
    return WHATIF_COLUMNS if isinstance(answer, WhatIf) else COMPARE_COLUMNS


def title(answer: WhatIf | Comparison) -> str:
    if isinstance(answer, WhatIf):
        return f"Scenario: {answer.scenario.name}: {_setting(answer.scenario, answer.result.labels)}"
    return f"A: {answer.a.name} / B: {answer.b.name}"


def text(answer: WhatIf | Comparison) -> str:
    return (
        format_whatif(answer.result, answer.scenario, "table")
        if isinstance(answer, WhatIf)
        else comparison_text(answer)
    )


def markdown(answer: WhatIf | Comparison) -> str:
    if isinstance(answer, WhatIf):
        return format_whatif(answer.result, answer.scenario, "md")
    return format_comparison(answer, "md")


def data(answer: WhatIf | Comparison) -> dict[str, Any]:
    return whatif_json(answer.result, answer.scenario) if isinstance(answer, WhatIf) else comparison_json(answer)


def rows(answer: WhatIf | Comparison) -> list[dict[str, Any]]:
    return whatif_rows(answer.result, answer.scenario) if isinstance(answer, WhatIf) else comparison_rows(answer)


def notes(answer: WhatIf | Comparison) -> list[str]:
    """What a plain table cannot say itself: that this is not a forecast, and what was left out."""
    from ..scenarios import NOT_A_FORECAST

    omitted = answer.result.omitted if isinstance(answer, WhatIf) else answer.omitted
    found = [NOT_A_FORECAST]
    if omitted:
        found.append(f"{omitted} more factor(s) reached but not shown; raise --limit, or 0 for all")
    return found
