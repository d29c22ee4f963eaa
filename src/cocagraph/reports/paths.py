"""The report of ``paths``: the chains from one factor to another, best first, one row per step."""

from __future__ import annotations

from typing import Any

from ..analysis.paths import PathsAnswer
from .steps import STEP_COLUMNS, chain_lines, step_rows

__all__ = ["COLUMNS", "data", "notes", "rows", "text", "title"]

COLUMNS = ("path", "sign", "confidence", *STEP_COLUMNS)


def title(result: PathsAnswer) -> str:
    return f"Causal paths from “{result.source_label}” to “{result.target_label}”, best first"


def text(result: PathsAnswer) -> str:
    lines = [title(result), ""]
    if not result.paths:
        lines.append(f"(no causal path within {result.max_length} links)")
    for n, path in enumerate(result.paths, 1):
        lines += [*chain_lines(n, path), *_summary_lines(result, n - 1), ""]
    return "\n".join(lines).rstrip()


def data(result: PathsAnswer) -> dict[str, Any]:
    """The JSON answer: each path numbered, each step with its hedge, explicitness and every quote."""
    return {
        "from": result.source_label,
        "to": result.target_label,
        "paths": [
            {
                "path": n,
                **p.as_json(),
                "steps": [_step_json(s) for s in p.steps],
                "spells_out": [_step_json(s) for s in _summaries(result, n - 1)],
            }
            for n, p in enumerate(result.paths, 1)
        ],
        "truncated": result.truncated,
    }


def _summaries(result: PathsAnswer, index: int) -> tuple[Any, ...]:
    return result.spelled_out[index] if index < len(result.spelled_out) else ()


def _summary_lines(result: PathsAnswer, index: int, indent: str = "   ") -> list[str]:
    """The summary claims a path spells out, folded under it (counted once, shown still)."""
    return [
        f"{indent}spells out “{s.claim_label}” (claim {s.claim.rsplit('/', 1)[-1]})"
        + (f": “{s.quote}”" if s.quote else "")
        for s in _summaries(result, index)
    ]


def _step_json(step: Any) -> dict[str, Any]:
    return {
        "from": step.source_label,
        "to": step.target_label,
        "polarity": step.sign,
        "certainty": step.certainty,
        "hedge": step.hedge,
        "explicitness": step.explicitness,
        "claim": step.claim,
        "quote": step.quote,
        "quotes": list(step.quotes),
    }


def rows(result: PathsAnswer) -> list[dict[str, Any]]:
    return [
        row
        for n, p in enumerate(result.paths, 1)
        for row in step_rows(p, path=n, sign=p.sign_text, confidence=p.confidence)
    ]


def notes(result: PathsAnswer) -> list[str]:
    return [f"the answer was cut: {result.reason}"] if result.truncated and result.reason else []
