"""The report of ``loops``: feedback loops, each reinforcing or balancing, one row per step."""

from __future__ import annotations

from typing import Any

from ..analysis.loops import LoopsAnswer
from .steps import STEP_COLUMNS, step_lines, step_rows

__all__ = ["COLUMNS", "data", "notes", "rows", "text", "title"]

COLUMNS = ("loop", "kind", "confidence", *STEP_COLUMNS)


def title(result: LoopsAnswer) -> str:
    where = f" through “{result.through_label}”" if result.through_label else ""
    return f"Feedback loops{where} of up to {result.max_length} links"


def text(result: LoopsAnswer) -> str:
    where = f" through “{result.through_label}”" if result.through_label else ""
    lines = [title(result), ""]
    if not result.loops:
        lines.append(f"(no feedback loop{where} within {result.max_length} links)")
    for n, loop in enumerate(result.loops, 1):
        lines.append(f"{n}. {loop.kind}: {' → '.join(loop.path.labels)}")
        lines.append(
            f"   {loop.decreasing} decreasing link(s) of {loop.length}   confidence {loop.path.confidence:.3g}"
        )
        lines += [*step_lines(loop.path.steps), ""]
    return "\n".join(lines).rstrip()


def data(result: LoopsAnswer) -> dict[str, Any]:
    return result.as_json()


def rows(result: LoopsAnswer) -> list[dict[str, Any]]:
    return [
        row
        for n, loop in enumerate(result.loops, 1)
        for row in step_rows(loop.path, loop=n, kind=loop.kind, confidence=loop.path.confidence)
    ]


def notes(result: LoopsAnswer) -> list[str]:
    return [f"the answer was cut: {result.reason}"] if result.truncated and result.reason else []
