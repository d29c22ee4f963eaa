"""Answer formats: the W3C SPARQL 1.1 results formats, a Markdown table, an aligned table, and
Turtle or JSON-LD for graphs.

CSV, TSV, JSON and XML are written exactly as pyoxigraph writes them (byte for byte: the tests
compare), so any SPARQL client reads them back; they are written here rather than by
pyoxigraph because an answer may be cut at the row cap or carry citation columns, which
pyoxigraph's own writer, bound to a live result iterator, cannot do.

The spreadsheet-safe CSV (opt in) puts an apostrophe before cells that start with ``=``, ``+``,
``-`` or ``@`` and are not plain numbers, which spreadsheets would otherwise run as formulas
(:func:`cocagraph.tables.spreadsheet_cell`); it is then no longer the W3C
format, and says so nowhere else, so it is never the default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as _sax_escape

import pyoxigraph as ox

from .errors import UsageError
from .tables import spreadsheet_cell
from .vocab import PREFIXES

if TYPE_CHECKING:
    from .sparql import QueryAnswer, Term

__all__ = ["FORMATS", "GRAPH_FORMATS", "MEDIA_TYPES", "ROW_FORMATS", "serialize_answer"]

#: Formats for solutions (SELECT) and booleans (ASK).
ROW_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
#: Formats for graphs (CONSTRUCT, DESCRIBE).
GRAPH_FORMATS = ("turtle", "json-ld", "ntriples", "rdf-xml")
FORMATS = (*ROW_FORMATS, *GRAPH_FORMATS)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "md": "text/markdown; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdf-xml": "application/rdf+xml",
}
_XSD = PREFIXES["xsd"]
_XSD_STRING = _XSD + "string"
_TSV_BARE = {_XSD + "integer", _XSD + "decimal", _XSD + "double", _XSD + "boolean"}
_XML_ENTITIES = {'"': "&quot;", "'": "&apos;"}
# Characters XML 1.0 cannot hold, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _refuse_non_xml(texts: Iterable[str], what: str) -> None:
    """A UsageError naming the first character XML cannot hold, so no broken XML is written."""
    for text in texts:
        found = _NOT_XML.search(text)
        if found:
            raise UsageError(
                f"the answer holds U+{ord(found.group()):04X} in {text[:40]!r}, which {what} cannot hold "
                "(XML 1.0 allows no such character); ask for JSON, CSV, TSV, Turtle or N-Triples instead"
            )


def _xml_escape(text: str) -> str:
    return _sax_escape(text, _XML_ENTITIES)


def _xml_attr(text: str) -> str:
    return '"' + _xml_escape(text) + '"'


def serialize_answer(answer: QueryAnswer, fmt: str, *, spreadsheet_safe: bool = False) -> bytes:
    """The answer in ``fmt``: csv, tsv, json, xml, md or table for rows; turtle, json-ld or
    ntriples for graphs (a graph asked for as table or md comes as Turtle).

    >>> from cocagraph.sparql import QueryAnswer
    >>> answer = QueryAnswer("select", ("n",), ((ox.Literal("3", datatype=ox.NamedNode(_XSD + "integer")),),))
    >>> serialize_answer(answer, "csv")
    b'n\\r\\n3\\r\\n'
    >>> serialize_answer(answer, "tsv")
    b'?n\\n3\\n'
    """
    if answer.is_graph:
        return _graph(answer, "turtle" if fmt in ("table", "md") else fmt)
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE answers; use csv, tsv, json, xml or md")
    writer = {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml, "md": _md, "table": _table}.get(fmt)
    if writer is None:
        raise UsageError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return _csv(answer, spreadsheet_safe)
    return writer(answer)  # type: ignore[operator]


# --------------------------------------------------------------------------- W3C formats


def _csv_field(text: str, spreadsheet_safe: bool = False) -> str:
    if spreadsheet_safe:
        text = spreadsheet_cell(text)  # numbers stay numbers
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"{_plain(term.subject)} {_plain(term.predicate)} {_plain(term.object)}"
    return term.value


def _csv(answer: QueryAnswer, spreadsheet_safe: bool = False) -> bytes:
    if answer.form == "ask":
        return b"true" if answer.boolean else b"false"
    lines = [",".join(_csv_field(v) for v in answer.variables)]
    for row in answer.rows:
        lines.append(",".join(_csv_field(_plain(t), spreadsheet_safe) for t in row))
    return ("".join(line + "\r\n" for line in lines)).encode("utf-8")


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        if term.datatype.value in _TSV_BARE and term.language is None and _turtle_bare(term.value, term.datatype.value):
            # The TSV format allows numbers and booleans bare, as Turtle does. Negative numbers
            # are written in full: rdflib's TSV reader fails on a bare "-3.4" (pyoxigraph reads both).
            return term.value
        text = '"' + term.value.translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return text if term.datatype.value == _XSD_STRING else f"{text}^^<{term.datatype.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _turtle_bare(value: str, datatype: str) -> bool:
    import re

    patterns = {
        _XSD + "integer": r"\+?\d+",
        _XSD + "decimal": r"\+?\d*\.\d+",
        _XSD + "double": r"\+?(\d+\.\d*[eE][+-]?\d+|\.\d+[eE][+-]?\d+|\d+[eE][+-]?\d+)",
        _XSD + "boolean": r"true|false",
    }
    return re.fullmatch(patterns[datatype], value) is not None


def _tsv(answer: QueryAnswer) -> bytes:
    if answer.form == "ask":
        return b"true" if answer.boolean else b"false"
    lines = ["\t".join("?" + v for v in answer.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in answer.rows]
    return ("".join(line + "\n" for line in lines)).encode("utf-8")


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(answer: QueryAnswer) -> bytes:
    if answer.form == "ask":
        document: dict[str, object] = {"head": {}, "boolean": bool(answer.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
            for row in answer.rows
        ]
        document = {"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={_xml_attr(term.language)}>{_xml_escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={_xml_attr(term.datatype.value)}>{_xml_escape(term.value)}</literal>"
    return f"<literal>{_xml_escape(term.value)}</literal>"


def _xml(answer: QueryAnswer) -> bytes:
    _refuse_non_xml((_plain(t) for row in answer.rows for t in row if t is not None), "SPARQL XML results")
    parts = ['<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if answer.form == "ask":
        parts.append(f"<head></head><boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        parts.append("<head>" + "".join(f"<variable name={_xml_attr(v)}/>" for v in answer.variables) + "</head>")
        parts.append("<results>")
        for row in answer.rows:
            parts.append("<result>")
            for name, term in zip(answer.variables, row, strict=True):
                if term is not None:
                    parts.append(f"<binding name={_xml_attr(name)}>{_xml_term(term)}</binding>")
            parts.append("</result>")
        parts.append("</results>")
    parts.append("</sparql>")
    return "".join(parts).encode("utf-8")


# --------------------------------------------------------------------------- for people


def _records(answer: QueryAnswer) -> tuple[list[str], list[dict[str, str]]]:
    if answer.form == "ask":
        return ["boolean"], [{"boolean": "true" if answer.boolean else "false"}]
    columns = list(answer.variables)
    return columns, [{v: _plain(t) for v, t in zip(columns, row, strict=True)} for row in answer.rows]


def _md(answer: QueryAnswer) -> bytes:
    from .tables import format_rows

    columns, records = _records(answer)
    text = format_rows(records, "md", columns)
    return (text + "\n" + _truncation_note(answer)).encode("utf-8")


def _table(answer: QueryAnswer) -> bytes:
    from .tables import format_rows

    columns, records = _records(answer)
    return (format_rows(records, "table", columns) + "\n" + _truncation_note(answer)).encode("utf-8")


def _truncation_note(answer: QueryAnswer) -> str:
    if not answer.truncated:
        return ""
    return f"\n(truncated: only the first {answer.max_rows} rows are shown; raise --max-rows to see more)\n"


# --------------------------------------------------------------------------- graphs


def _graph(answer: QueryAnswer, fmt: str) -> bytes:
    if fmt == "turtle":
        # id: is left out: its local names hold slashes, which Turtle would have to escape.
        used = {p: iri for p, iri in PREFIXES.items() if p != "id" and any(iri in _plain(t) for t in answer.triples)}
        return ox.serialize(list(answer.triples), format=ox.RdfFormat.TURTLE, prefixes=used) or b""
    if fmt == "json-ld":
        return ox.serialize(list(answer.triples), format=ox.RdfFormat.JSON_LD) or b""
    if fmt == "ntriples":
        return ox.serialize(list(answer.triples), format=ox.RdfFormat.N_TRIPLES) or b""
    if fmt == "rdf-xml":
        _refuse_non_xml((_plain(t) for t in answer.triples), "RDF/XML")
        return ox.serialize(list(answer.triples), format=ox.RdfFormat.RDF_XML) or b""
    raise UsageError(
        f"--format {fmt} is for SELECT and ASK answers; a graph comes as turtle, json-ld, ntriples or rdf-xml"
    )
