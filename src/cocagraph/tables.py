"""Listings as text: an aligned table for people; JSON, CSV and Markdown for tools.

Pure functions from rows (dicts) to strings; the command line decides where they go.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

__all__ = ["FORMULA_START", "LISTING_FORMATS", "SPREADSHEET_SAFE", "format_rows", "spreadsheet_cell"]

LISTING_FORMATS = ("table", "json", "csv", "md")
#: Widest cell of the people's table; the other formats carry the full text.
TABLE_CELL_WIDTH = 72
#: Characters a spreadsheet may read as the start of a formula (OWASP's list, with tab and CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Whether CSV is spreadsheet-safe when a caller does not say; the command line's
#: ``--spreadsheet-safe`` sets it for the verb it runs (one switch for every listing).
SPREADSHEET_SAFE: ContextVar[bool] = ContextVar("cocagraph_spreadsheet_safe", default=False)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_cell(text: str) -> str:
    """``text`` with an apostrophe in front when a spreadsheet would run it as a formula.

    A cell that is a number and nothing else (``-18``, ``+3``, ``2.5e-3``) is left as it is: it
    cannot run anything, and a spreadsheet should read it as the number it is.

    >>> spreadsheet_cell('=HYPERLINK("http://x")'), spreadsheet_cell("-18"), spreadsheet_cell("-1+2")
    ('\\'=HYPERLINK("http://x")', '-18', "'-1+2")
    """
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def format_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    spreadsheet_safe: bool | None = None,
) -> str:
    """Render ``rows`` in ``fmt`` (table, json, csv, md) with ``columns`` in that order.

    ``spreadsheet_safe`` (CSV only; by default :data:`SPREADSHEET_SAFE`) puts an apostrophe in
    front of cells a spreadsheet would run (:func:`spreadsheet_cell`).

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
        safe = SPREADSHEET_SAFE.get() if spreadsheet_safe is None else spreadsheet_safe
        cell = (lambda v: spreadsheet_cell(_cell(v))) if safe else _cell
        writer.writerow([cell(c) for c in cols])
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in cols])
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
