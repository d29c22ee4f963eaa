"""The report of ``claims``: claims with their certainty, explicitness and every quote."""

from __future__ import annotations

from typing import Any

from ..catalog import ClaimRow
from ..tables import format_rows

__all__ = ["COLUMNS", "data", "notes", "rows", "text", "title"]

COLUMNS = ("id", "type", "certainty", "hedge", "explicitness", "asserted_by", "themes", "label", "quote", "claim")
TABLE_COLUMNS = ("id", "type", "certainty", "explicitness", "label", "quote")


def title(result: tuple[ClaimRow, ...]) -> str:
    return f"{len(result)} claim(s)"


def text(result: tuple[ClaimRow, ...]) -> str:
    return format_rows(rows(result), "table", TABLE_COLUMNS)


def data(result: tuple[ClaimRow, ...]) -> list[dict[str, Any]]:
    return rows(result)


def rows(result: tuple[ClaimRow, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "type": r.type,
            "certainty": r.certainty,
            "hedge": r.hedge,
            "explicitness": r.explicitness,
            "asserted_by": r.asserted_by,
            "themes": list(r.themes),
            "label": r.label,
            "quote": r.quote,
            "claim": r.iri,
        }
        for r in result
    ]


def notes(result: tuple[ClaimRow, ...]) -> list[str]:
    return []
