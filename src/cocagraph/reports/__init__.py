"""One report per kind of answer: the same facts as a table for people, JSON, rows for
spreadsheets and data frames, and HTML for notebooks. The command line, the notebook API
(:mod:`cocagraph.api`) and the site all print answers through here.

Each report module (``paths``, ``loops``, ``influence``, ``leverage``, ``explain``, ``claims``,
``query``, ``scenarios``, ``standing``, ``argument``) offers the same plain functions over its kind of answer:

    ``title(result)``     one line saying what was asked
    ``text(result)``      the report for people (``--format table``)
    ``data(result)``      the JSON answer
    ``rows(result)``      one dict per row, numbers as numbers (csv, tsv, jsonl, md, xlsx, frames)
    ``COLUMNS``           the rows' columns, in order (or ``columns(result)`` where they vary)
    ``notes(result)``     what the answer must say beside it (cut searches, partial answers)

and may offer ``markdown(result)`` (a Markdown report with its prose) and ``render(result, fmt,
...)`` for formats of its own (SPARQL's W3C formats).
"""

from __future__ import annotations

import html
import importlib
import json
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from ..errors import UsageError
from ..tables import LISTING_FORMATS, encode_rows

__all__ = ["KINDS", "columns_of", "html_report", "render", "report_for"]

#: kind of answer -> report module (imported on first use)
KINDS = (
    "argument", "claims", "compare", "drivers", "effects", "explain", "leverage", "loops", "paths", "query",
    "standing", "whatif",
)  # fmt: skip
_MODULES = {"drivers": "influence", "effects": "influence", "whatif": "scenarios", "compare": "scenarios"}


def report_for(kind: str) -> ModuleType:
    """The report module for ``kind``."""
    if kind not in KINDS:
        raise UsageError(f"no report for answers of kind {kind!r}; one of {', '.join(KINDS)}")
    return importlib.import_module(f".{_MODULES.get(kind, kind)}", __name__)


def render(kind: str, result: Any, fmt: str, *, bom: bool = False, **options: Any) -> bytes:
    """The answer ``result`` of ``kind`` in ``fmt``, as the bytes to write.

    >>> from cocagraph.api import open as open_graphs
    >>> answer = open_graphs().paths("coca production", "political violence")
    >>> render("paths", answer.result, "tsv").decode().splitlines()[0].split("\\t")[:4]
    ['path', 'sign', 'confidence', 'step']
    """
    report = report_for(kind)
    own = getattr(report, "render", None)
    if own is not None:
        data = own(result, fmt, bom=bom, **options)
        if data is not None:
            return data
    if fmt == "table":
        return _text_bytes(report.text(result))
    if fmt == "json":
        return _text_bytes(json.dumps(report.data(result), ensure_ascii=False, indent=2))
    if fmt == "md" and hasattr(report, "markdown"):
        return _text_bytes(report.markdown(result))
    if fmt not in LISTING_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; one of {', '.join(LISTING_FORMATS)}")
    return encode_rows(report.rows(result), fmt, columns_of(report, result), bom=bom)


def columns_of(report: ModuleType, result: Any) -> tuple[str, ...]:
    """The columns of ``report``'s rows for ``result`` (fixed, or per answer for SPARQL and scenarios)."""
    own = getattr(report, "columns", None)
    return tuple(own(result)) if own is not None else tuple(report.COLUMNS)


def _text_bytes(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def html_report(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str], notes: Sequence[str] = ()) -> str:
    """An HTML table for notebooks: every cell escaped, numbers right-aligned, notes below.

    >>> print(html_report("T", [{"a": "<b>", "n": 2}], ["a", "n"]))  # doctest: +ELLIPSIS
    <div class="cocagraph-answer">...<td>&lt;b&gt;</td><td style="text-align: right">2</td>...
    """
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            style = ' style="text-align: right"' if numeric else ""
            cells.append(f"<td{style}>{html.escape(_cell_text(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    foot = "".join(f"<p><em>{html.escape(n)}</em></p>" for n in notes)
    return (
        f'<div class="cocagraph-answer"><p><strong>{html.escape(title)}</strong></p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{foot}</div>"
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)
