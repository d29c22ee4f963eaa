"""How one causal step (a claim) and a chain of them are laid out, shared by paths, loops,
drivers and effects: every quote of a step, its certainty with the hedge's words, and whether
the text states it or the curator inferred it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analysis.steps import CausalPath, Step

__all__ = ["STEP_COLUMNS", "chain_lines", "step_lines", "step_rows"]

#: The columns of one step in a row, after the chain's own columns.
STEP_COLUMNS = ("step", "from", "to", "polarity", "certainty", "hedge", "explicitness", "claim", "quote")


def step_lines(steps: Sequence[Step], indent: str = "   ") -> list[str]:
    """Each step on a line, each of its quotes on a line under it."""
    lines = []
    for step in steps:
        how = step.certainty + (f" ({step.hedge})" if step.hedge else "") + f", {step.explicitness}"
        lines.append(
            f"{indent}{step.source_label} —({step.sign})→ {step.target_label}   [{how}; "
            f"claim {step.claim.rsplit('/', 1)[-1]}]"
        )
        for quote in step.quotes or ("(no quote)",):
            lines.append(f"{indent}   “{quote}”" if step.quotes else f"{indent}   {quote}")
    return lines


def chain_lines(number: int, path: CausalPath, indent: str = "   ") -> list[str]:
    """A numbered chain: its factors, sign and confidence, then its steps."""
    return [
        f"{number}. {' → '.join(path.labels)}",
        f"{indent}sign {path.sign_text}   confidence {path.confidence:.3g}   {path.length} link(s)",
        *step_lines(path.steps, indent),
    ]


def step_rows(path: CausalPath, /, **chain: Any) -> list[dict[str, Any]]:
    """One row per step of ``path``, each starting with the ``chain`` columns given."""
    return [
        {
            **chain,
            "step": i,
            "from": s.source_label,
            "to": s.target_label,
            "polarity": s.sign,
            "certainty": s.certainty,
            "hedge": s.hedge,
            "explicitness": s.explicitness,
            "claim": s.claim,
            "quote": " … ".join(s.quotes) or None,
        }
        for i, s in enumerate(path.steps, 1)
    ]
