"""Listings as text: an aligned table for people; JSON, CSV and Markdown for tools.

Pure functions from rows (dicts) to strings; the command line decides where they go.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["LISTING_FORMATS", "format_rows"]

LISTING_FORMATS = ("table", "json", "csv", "md")
#: Widest cell of the people's table; the other formats carry the full text.
TABLE_CELL_WIDTH = 72


def format_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Render ``rows`` in ``fmt`` (table, json, csv, md) with ``columns`` in that order.

    >>> print(format_rows([{"factor": "García", "n": 2}], "md"))
    | factor | n |
    | --- | --- |
    | García | 2 |
    >>> format_rows([{"a": "x,y", "b": None}], "csv")
    'a,b\\r\\n"x,y",\\r\\n'
    """
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in cols} for row in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return buffer.getvalue()
    if fmt == "md":
        lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
        for row in rows:
            lines.append("| " + " | ".join(_md_cell(row.get(c)) for c in cols) + " |")
        return "\n".join(lines)
    if fmt == "table":
        return _table(rows, cols)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(LISTING_FORMATS)}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _md_cell(value: Any) -> str:
    # Pipes end a Markdown cell and newlines end the row: escape the one, fold the other.
    return " ".join(_cell(value).replace("\\", "\\\\").replace("|", "\\|").split())


def _table(rows: Sequence[dict[str, Any]], cols: list[str]) -> str:
    if not rows:
        return "(nothing)"
    cells = [[_clip(" ".join(_cell(row.get(c)).split())) for c in cols] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _clip(text: str) -> str:
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"
