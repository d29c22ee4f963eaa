"""The answer formats are exactly the W3C SPARQL 1.1 results formats: every bundled query's
CSV, TSV, JSON and XML read back equal in two real clients (rdflib's and pyoxigraph's result
parsers), and are byte for byte what pyoxigraph's own writer makes (item 20)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.query import Result

from cocagraph.results import serialize_answer
from cocagraph.sparql import list_bundled, run_query

W3C = ("csv", "tsv", "json", "xml")
OX_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: Awkward values: quotes, commas, tabs, newlines, control characters, languages, datatypes, unbound.
AWKWARD = r"""SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
  ("comma, \"quote\"" 'tab\there' "line\nbreak\r\nCRLF")
  ("día é ñ 😀"@es 42 -3.40)
  ("1e3"^^xsd:double true "2013-09"^^xsd:gYearMonth)
  (<https://example.org/a?b=c&d=e> UNDEF "=SUM(A1)")
  ("</literal><x>&amp;" "'apostrophe'" "back\\slash")
} }"""


def to_rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = None if term.datatype.value == XSD_STRING else rdflib.URIRef(term.datatype.value)
    return rdflib.Literal(term.value, datatype=datatype)


def plain(term):
    return "" if term is None else term.value


def answers(corpus):
    for query in list_bundled():
        yield query.name, run_query(corpus, query.text, max_rows=None)
    yield "awkward", run_query(corpus, AWKWARD)


@pytest.fixture(scope="module")
def all_answers(corpus):
    return list(answers(corpus))


def test_json_xml_tsv_read_back_equal_in_rdflib(all_answers):
    for name, answer in all_answers:
        expected = [tuple(to_rdflib(t) for t in row) for row in answer.rows]
        for fmt in ("json", "xml", "tsv"):
            parsed = Result.parse(io.BytesIO(serialize_answer(answer, fmt)), format=fmt)
            assert [str(v) for v in parsed.vars] == list(answer.variables), (name, fmt)
            got = [tuple(row) for row in parsed]
            if fmt == "xml":
                # XML parsers fold \r\n into \n (XML 1.0 section 2.11): that is the format, not us.
                expected_cmp = [tuple(_fold(t) for t in row) for row in expected]
                got = [tuple(_fold(t) for t in row) for row in got]
                assert got == expected_cmp, (name, fmt)
            else:
                # rdflib rewrites some lexical forms as it reads ("1000"^^xsd:double -> "1000.0"):
                # compare values, datatypes and languages.
                assert [tuple(map(_value, r)) for r in got] == [tuple(map(_value, r)) for r in expected], (name, fmt)


def _value(term):
    if isinstance(term, rdflib.Literal):
        return (term.toPython(), term.datatype, term.language)
    return term


def _fold(term):
    if isinstance(term, rdflib.Literal):
        return rdflib.Literal(
            str(term).replace("\r\n", "\n").replace("\r", "\n"), lang=term.language, datatype=term.datatype
        )
    return term


def test_json_xml_tsv_read_back_equal_in_pyoxigraph(all_answers):
    for name, answer in all_answers:
        for fmt in ("json", "xml", "tsv"):
            parsed = ox.parse_query_results(serialize_answer(answer, fmt), format=OX_FORMATS[fmt])
            assert [v.value for v in parsed.variables] == list(answer.variables)
            got = [tuple(row) for row in parsed]
            expected = list(answer.rows)
            if fmt == "xml":
                got = [tuple(_fold_ox(t) for t in row) for row in got]
                expected = [tuple(_fold_ox(t) for t in row) for row in expected]
            assert got == expected, (name, fmt)


def _fold_ox(term):
    if isinstance(term, ox.Literal):
        value = term.value.replace("\r\n", "\n").replace("\r", "\n")
        if term.language:
            return ox.Literal(value, language=term.language)
        return ox.Literal(value, datatype=term.datatype)
    return term


def test_csv_reads_back_as_the_plain_values_in_rdflib(all_answers):
    # CSV is lossy by design (no types, no languages): what comes back is each term's text.
    for name, answer in all_answers:
        parsed = Result.parse(io.BytesIO(serialize_answer(answer, "csv")), format="csv")
        assert [str(v) for v in parsed.vars] == list(answer.variables)
        got = [tuple("" if v is None else str(v) for v in row) for row in parsed]
        assert got == [tuple(plain(t) for t in row) for row in answer.rows], name


def test_bytes_are_pyoxigraphs_own(corpus):
    for query in [*list_bundled(), None]:
        text = query.text if query else AWKWARD
        answer = run_query(corpus, text, max_rows=None)
        for fmt in W3C:
            reference = corpus.store.query(
                text,
                use_default_graph_as_union=True,
                prefixes={
                    "cg": "https://w3id.org/cocagraph/ns#",
                    "xsd": "http://www.w3.org/2001/XMLSchema#",
                    **_prefixes(),
                },
            ).serialize(format=OX_FORMATS[fmt])
            mine = serialize_answer(answer, fmt)
            if fmt == "tsv":
                # Negative numbers are written in full for rdflib's sake (see results.py): the
                # same terms, not the same bytes.
                parse = lambda data: [tuple(r) for r in ox.parse_query_results(data, format=OX_FORMATS["tsv"])]  # noqa: E731
                assert parse(mine) == parse(reference), (query.name if query else "awkward", fmt)
            else:
                assert mine == reference, (query.name if query else "awkward", fmt)


def _prefixes():
    from cocagraph.vocab import PREFIXES

    return dict(PREFIXES)


def test_control_characters_round_trip_in_json_and_tsv(corpus):
    # XML 1.0 cannot carry U+0001 at all (pyoxigraph writes it raw, and XML readers refuse it);
    # JSON and TSV can, and do.
    answer = run_query(corpus, r'SELECT ?x WHERE { BIND("ctrl\u0001char" AS ?x) }')
    for fmt in ("json", "tsv"):
        data = serialize_answer(answer, fmt)
        assert [tuple(r) for r in ox.parse_query_results(data, format=OX_FORMATS[fmt])] == list(answer.rows)
        assert [tuple(r) for r in Result.parse(io.BytesIO(data), format=fmt)] == [(rdflib.Literal("ctrl\x01char"),)]


def test_ask_in_every_format(corpus):
    yes = run_query(corpus, "ASK { ?s ?p ?o }")
    no = run_query(corpus, "ASK { ?s <urn:nothing> ?o }")
    assert serialize_answer(yes, "json") == b'{"head":{},"boolean":true}'
    assert Result.parse(io.BytesIO(serialize_answer(no, "xml")), format="xml").askAnswer is False
    assert bool(ox.parse_query_results(serialize_answer(yes, "json"), format=ox.QueryResultsFormat.JSON)) is True
    assert serialize_answer(no, "csv") == b"false"
    assert serialize_answer(yes, "md").startswith(b"| boolean |")


def test_markdown_escapes_pipes_and_folds_newlines(corpus):
    answer = run_query(corpus, "SELECT ?x WHERE { VALUES ?x { 'a|b\\nc' } }")
    assert serialize_answer(answer, "md") == b"| x |\n| --- |\n| a\\|b c |\n"


def test_graph_formats_only_for_graphs(corpus):
    from cocagraph.errors import UsageError

    rows = run_query(corpus, "SELECT ?s WHERE { ?s a cg:Claim } LIMIT 1")
    with pytest.raises(UsageError, match="for CONSTRUCT and DESCRIBE"):
        serialize_answer(rows, "turtle")
    graph = run_query(corpus, "DESCRIBE <https://w3id.org/cocagraph/id/claim/wedge-needed>")
    parsed = rdflib.Graph().parse(data=serialize_answer(graph, "turtle"), format="turtle")
    assert len(parsed) == len(graph.triples) > 5
    # No blank nodes in a claim's description: the triples compare as they are.
    from_jsonld = {
        (q.subject, q.predicate, q.object) for q in ox.parse(serialize_answer(graph, "json-ld"), ox.RdfFormat.JSON_LD)
    }
    assert from_jsonld == {(t.subject, t.predicate, t.object) for t in graph.triples}


def test_writing_into_a_read_only_folder_fails_cleanly(run_cli, tmp_path):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "answer.csv"
    target.write_text("previous", encoding="utf-8")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = run_cli("sparql", "statistics", "--format", "csv", "-o", str(target))
        assert result.code == 2 and "cannot write" in result.err
        assert target.read_text(encoding="utf-8") == "previous"
    finally:
        folder.chmod(0o700)


def test_spreadsheet_safe_csv_also_guards_a_leading_tab_or_carriage_return():
    from cocagraph.results import _csv_field

    for cell in ("=1+1", "+1+1", "-1-1", "@SUM(A1)", "\t=cmd", "\r=cmd"):
        assert _csv_field(cell, spreadsheet_safe=True).lstrip('"').startswith("'"), cell
    assert _csv_field("\t=cmd") in ('"\t=cmd"', "\t=cmd")  # the default stays the exact W3C format


def test_xml_refuses_characters_xml_cannot_hold(run_cli, tmp_path):
    # U+0001 cannot stand in XML 1.0, not even as &#1;: the answer is refused, not written broken.
    data = tmp_path / "ctl.nt"
    data.write_text('<http://example.org/s> <http://example.org/p> "a\\u0001b" .\n', encoding="utf-8")
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    xml = run_cli("sparql", query, "--graph", str(data), "--format", "xml")
    assert xml.code == 2 and "U+0001" in xml.err and xml.out == ""
    rdf = run_cli("sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--graph", str(data), "--format", "rdf-xml")
    assert rdf.code == 2 and "U+0001" in rdf.err
    as_json = run_cli("sparql", query, "--graph", str(data), "--format", "json")
    assert as_json.code == 0 and "\\u0001" in as_json.out


def test_xml_results_stay_well_formed_with_markup_and_tabs(run_cli, tmp_path):
    from xml.dom.minidom import parseString

    data = tmp_path / "ok.nt"
    data.write_text('<http://example.org/s> <http://example.org/p> "<a>&\\t\\n\\"x\\"" .\n', encoding="utf-8")
    xml = run_cli("sparql", "SELECT ?o WHERE { ?s ?p ?o }", "--graph", str(data), "--format", "xml")
    assert xml.code == 0
    assert parseString(xml.out.encode()).getElementsByTagName("literal")[0].firstChild.data == '<a>&\t\n"x"'
