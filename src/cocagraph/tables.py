"""Listings: an aligned table for people; JSON, JSON Lines, CSV, TSV, Markdown and xlsx for tools.

Pure functions from rows (dicts) to text (:func:`format_rows`) or bytes (:func:`encode_rows`,
which adds xlsx and the byte-order mark for CSV); the command line decides where they go.

The TSV here is the plain one that pandas (``read_csv(sep="\\t")``) and R (``read.delim``) read:
a header of bare names, one line per row, tabs and line breaks inside a cell folded to spaces.
SPARQL answers also have the W3C TSV (``--format srx-tsv``), whose cells are RDF terms.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

__all__ = [
    "BINARY_FORMATS",
    "FORMULA_START",
    "LISTING_FORMATS",
    "SPREADSHEET_SAFE",
    "encode_rows",
    "format_rows",
    "printable",
    "spreadsheet_cell",
    "xlsx_bytes",
]

LISTING_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "md", "xlsx")
#: Formats that are not text: written as bytes, never to a terminal by accident.
BINARY_FORMATS = ("xlsx",)
#: Widest cell of the people's table; the other formats carry the full text.
TABLE_CELL_WIDTH = 72
#: Characters a spreadsheet may read as the start of a formula (OWASP's list, with tab and CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Whether CSV is spreadsheet-safe when a caller does not say; the command line's
#: ``--spreadsheet-safe`` sets it for the verb it runs (one switch for every listing).
SPREADSHEET_SAFE: ContextVar[bool] = ContextVar("cocagraph_spreadsheet_safe", default=False)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


# Control characters (C0 but newline, DEL, C1) and the bidirectional overrides: on a terminal
# they move the cursor, retitle the window, hide or reorder text.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` safe to show on a terminal: control characters written as visible escapes.

    Data files keep the data exact; this is for what people read (the table, Markdown on a
    terminal, error lines). With ``newlines=False`` a newline is escaped too (one-line messages).

    >>> printable("red\x1b[31m bell\x07 rtl\u202e")
    'red\\\\x1b[31m bell\\\\x07 rtl\\\\u202e'
    """
    pattern = _CONTROL if newlines else _CONTROL_AND_NEWLINE
    return pattern.sub(_escape, text)


_CONTROL_AND_NEWLINE = re.compile(_CONTROL.pattern[:-1] + "\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
    if fmt == "jsonl":
        return "".join(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False) + "\n" for row in rows)
    if fmt == "tsv":
        return _tsv(rows, cols)
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
    if fmt == "xlsx":
        raise ValueError("xlsx is not text: use encode_rows")
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
    cells = [[_clip(printable(" ".join(_cell(row.get(c)).split()))) for c in cols] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _clip(text: str) -> str:
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


# ---- plain TSV, xlsx, bytes ---------------------------------------------------------------------


def _plain_cell(value: Any) -> str:
    """A cell as a data tool reads it: numbers in full, lists joined, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_plain_cell(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split())


def _tsv(rows: Sequence[dict[str, Any]], cols: list[str]) -> str:
    """Tab-separated, header first; a cell holding a double quote is quoted (as both readers expect).

    >>> _tsv([{"factor": "García", "n": 2, "share": 0.125}], ["factor", "n", "share"])
    'factor\\tn\\tshare\\nGarcía\\t2\\t0.125\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_plain_cell(row.get(c)) for c in cols])
    return buffer.getvalue()


def encode_rows(
    rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None, *, bom: bool = False
) -> bytes:
    """``rows`` in ``fmt`` as bytes: UTF-8 text, or an xlsx workbook.

    ``bom`` starts CSV with a byte-order mark, so that Excel reads it as UTF-8 ("García", not
    "GarcÃ­a"); other tools skip it.

    >>> encode_rows([{"a": "é"}], "csv", bom=True)
    b'\\xef\\xbb\\xbfa\\r\\n\\xc3\\xa9\\r\\n'
    """
    if fmt == "xlsx":
        return xlsx_bytes(rows, columns)
    text = format_rows(rows, fmt, columns)
    return (("\ufeff" if bom and fmt == "csv" else "") + text).encode("utf-8")


#: Excel holds at most this many characters in a cell.
XLSX_CELL_LIMIT = 32_767
#: Widest column, in characters (long quotes wrap instead).
XLSX_WIDTH = 60


def xlsx_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, sheet: str = "answer") -> bytes:
    """An xlsx workbook of ``rows``: a bold, frozen header row, numbers as numbers, text as text
    (never a formula, whatever it starts with), columns as wide as their cells (up to a limit).

    >>> import io, openpyxl
    >>> data = xlsx_bytes([{"claim": "=1+1", "n": 3, "share": 0.5}])
    >>> ws = openpyxl.load_workbook(io.BytesIO(data)).active
    >>> [[c.value for c in row] for row in ws.iter_rows()]
    [['claim', 'n', 'share'], ['=1+1', 3, 0.5]]
    >>> ws["A2"].data_type
    's'
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    book = Workbook()
    ws = book.active
    ws.title = sheet
    widths = [len(c) for c in cols]
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, 2):
        for c, name in enumerate(cols, 1):
            value = _xlsx_value(row.get(name))
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                if len(value) > XLSX_CELL_LIMIT:
                    value = value[: XLSX_CELL_LIMIT - 1] + "…"
                cell.value = value
                cell.data_type = "s"  # openpyxl would read "=..." as a formula: text stays text
                if len(value) > XLSX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
            widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(width, XLSX_WIDTH) + 2
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    from decimal import Decimal

    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(_plain_cell(v) for v in value)
    return str(value)
