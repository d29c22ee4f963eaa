"""The report of ``leverage``: factors ranked by the chains from causes to harms they sit on."""

from __future__ import annotations

from typing import Any

from ..analysis.leverage import LeverageAnswer
from ..tables import format_rows

__all__ = ["COLUMNS", "data", "notes", "rows", "text", "title"]

COLUMNS = ("rank", "factor", "kind", "paths", "share", "weighted", "betweenness", "iri")
TABLE_COLUMNS = ("rank", "factor", "kind", "paths", "share", "weighted", "betweenness")


def title(result: LeverageAnswer) -> str:
    return f"Levers on the chains from {', '.join(result.source_labels)} to {', '.join(result.target_labels)}"


def text(result: LeverageAnswer) -> str:
    table = [{**row, **{k: round(row[k], 4) for k in ("share", "weighted", "betweenness")}} for row in rows(result)]
    return (
        f"Chains from {', '.join(result.source_labels)}\n"
        f"to {', '.join(result.target_labels)}: {result.paths} chain(s) of up to {result.max_length} links\n\n"
        + format_rows(table, "table", TABLE_COLUMNS)
    )


def data(result: LeverageAnswer) -> dict[str, Any]:
    return result.as_json()


def rows(result: LeverageAnswer) -> list[dict[str, Any]]:
    return [{"rank": n, **lever.as_json()} for n, lever in enumerate(result.levers, 1)]


def notes(result: LeverageAnswer) -> list[str]:
    return [f"the answer was cut: {result.reason}"] if result.truncated and result.reason else []
