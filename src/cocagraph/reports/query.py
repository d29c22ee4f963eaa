"""The report of a SPARQL answer: the W3C result formats as cocagraph writes them
(:mod:`cocagraph.results`), and rows of plain values (numbers as numbers, IRIs as text) for the
listing formats, spreadsheets and data frames.

``--format tsv`` is the plain TSV of the listings (pandas and R read it); the W3C TSV, whose
cells are RDF terms (``<iri>``, ``"-18"^^<...#decimal>``), is ``--format srx-tsv``.
"""

from __future__ import annotations

import json
from typing import Any

from ..results import FORMATS as W3C_FORMATS
from ..results import serialize_answer

__all__ = ["COLUMNS", "FORMATS", "columns", "data", "notes", "render", "rows", "text", "title", "value_of"]

#: Every format a SPARQL answer can be written in.
FORMATS = (
    "table",
    "csv",
    "tsv",
    "srx-tsv",
    "json",
    "jsonl",
    "xml",
    "md",
    "xlsx",
    "turtle",
    "json-ld",
    "ntriples",
    "rdf-xml",
)
#: The columns differ per query: :func:`columns` gives them; this marks the module as a report.
COLUMNS: tuple[str, ...] = ()

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
        "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def value_of(term: Any) -> Any:
    """A plain Python value for an RDF term: int, float or bool for numbers and booleans
    (so that spreadsheets and data frames see numbers), text for the rest, None when unbound.

    >>> import pyoxigraph as ox
    >>> value_of(ox.Literal("-18", datatype=ox.NamedNode(_XSD + "decimal")))
    -18.0
    >>> value_of(ox.Literal("3", datatype=ox.NamedNode(_XSD + "integer"))), value_of(ox.NamedNode("https://x/y"))
    (3, 'https://x/y')
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value  # an ill-typed literal stays as written
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"{value_of(term.subject)} {value_of(term.predicate)} {value_of(term.object)}"
    return term.value


def columns(result: Any) -> tuple[str, ...]:
    if result.form == "ask":
        return ("boolean",)
    if result.is_graph:
        return ("subject", "predicate", "object")
    return tuple(result.variables)


def rows(result: Any) -> list[dict[str, Any]]:
    if result.form == "ask":
        return [{"boolean": bool(result.boolean)}]
    if result.is_graph:
        return [
            {"subject": value_of(t.subject), "predicate": value_of(t.predicate), "object": value_of(t.object)}
            for t in result.triples
        ]
    names = result.variables
    return [{v: value_of(t) for v, t in zip(names, row, strict=True)} for row in result.rows]


def title(result: Any) -> str:
    if result.form == "ask":
        return "SPARQL answer (ASK)"
    count = len(result.triples) if result.is_graph else len(result.rows)
    unit = "triple(s)" if result.is_graph else "row(s)"
    return f"SPARQL answer: {count} {unit}" + (" (truncated)" if result.truncated else "")


def text(result: Any) -> str:
    return serialize_answer(result, "table").decode("utf-8")


def data(result: Any) -> Any:
    """The W3C JSON results (SELECT, ASK), or JSON-LD (CONSTRUCT, DESCRIBE)."""
    return json.loads(serialize_answer(result, "json-ld" if result.is_graph else "json"))


def render(result: Any, fmt: str, *, bom: bool = False, spreadsheet_safe: bool = False) -> bytes | None:
    """The W3C formats (and table, md, turtle ...) as :mod:`cocagraph.results` writes them;
    None for the listing formats, which the shared code writes from :func:`rows`."""
    from ..tables import encode_rows

    if fmt in ("tsv", "jsonl", "xlsx"):
        return encode_rows(rows(result), fmt, columns(result))
    w3c = "tsv" if fmt == "srx-tsv" else fmt
    if w3c not in W3C_FORMATS:
        from ..errors import UsageError

        raise UsageError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    data = serialize_answer(result, w3c, spreadsheet_safe=spreadsheet_safe)
    return (b"\xef\xbb\xbf" + data) if bom and fmt == "csv" else data


def notes(result: Any) -> list[str]:
    if result.truncated:
        return [
            f"truncated: the answer has more than {result.max_rows} rows; only the first {result.max_rows} "
            "were kept (raise --max-rows)"
        ]
    return list(result.notes)
