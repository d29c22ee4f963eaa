"""The W3C SPARQL 1.1 Protocol tests (../shared/conformance/.../sparql11/protocol) against
``cocagraph serve``, started here on loopback with the manifest's three data files.

Each test's requests are sent as the manifest writes them (method, path, headers, body), with
two changes: the path prefix ``/sparql/`` is the endpoint's, and the manifest's graph names
(``http://kasei.us/.../dataN.rdf``) in ``default-graph-uri`` / ``named-graph-uri`` become the
names of the graphs serve loaded from ``dataN.nt``. The tests that do not apply to a read-only
endpoint are listed in NOT_APPLICABLE with the reason (docs/sparql.md has the same table).
"""

from __future__ import annotations

import http.client
import json
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from helpers import ROOT, serve_process

PROTOCOL = ROOT.parent / "shared" / "conformance" / "w3c-rdf-tests" / "sparql" / "sparql11" / "protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"
GRAPH_BASE = "https://w3id.org/cocagraph/graph/"

#: The tests that do not apply, and why.
NOT_APPLICABLE = {
    "update_*": "updates: the endpoint is read-only (every update is refused with 403, as tested below)",
    "bad_update_*": "updates: the endpoint is read-only (the requests get 403 or 4xx, as tested below)",
    "query_multiple_dataset": "the query holds FROM, which cocagraph refuses in every query (403): "
    "nothing names a graph to fetch, even where the protocol's dataset would override it",
}


def _manifest() -> list[dict]:
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    mf = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
    ht = rdflib.Namespace("http://www.w3.org/2011/http#")
    cnt = rdflib.Namespace("http://www.w3.org/2011/content#")
    graph = rdflib.Graph()
    graph.parse(PROTOCOL / "manifest.ttl")
    manifest = next(graph.subjects(RDF.type, mf.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, mf.entries)):
        requests = []
        for req in Collection(graph, graph.value(graph.value(test, mf.action), ht.requests)):
            headers_node = graph.value(req, ht.headers)
            headers = (
                {
                    str(graph.value(h, ht.fieldName)): str(graph.value(h, ht.fieldValue))
                    for h in Collection(graph, headers_node)
                }
                if headers_node
                else {}
            )
            body = graph.value(req, ht.body)
            response = graph.value(req, ht.resp)
            requests.append(
                {
                    "method": str(graph.value(req, ht.methodName)),
                    "path": str(graph.value(req, ht.absolutePath)),
                    "headers": headers,
                    "body": str(graph.value(body, cnt.chars)) if body is not None else None,
                    "status": {str(s).rsplit("#", 1)[1] for s in graph.objects(response, mf.expectedStatus)},
                    "format": str(graph.value(response, mf.expectedFormat) or "") or None,
                    "boolean": graph.value(response, mf.expectedBoolean),
                }
            )
        tests.append({"name": str(test).rsplit("#", 1)[1], "requests": requests})
    return tests


def _applies(name: str) -> str | None:
    for pattern, reason in NOT_APPLICABLE.items():
        if name == pattern or (pattern.endswith("*") and name.startswith(pattern[:-1])):
            return reason
    return None


@pytest.fixture(scope="module")
def protocol_server():
    """``cocagraph serve --graph data1.nt data2.nt data3.nt`` on a free loopback port."""
    if not PROTOCOL.is_dir():
        pytest.skip(f"the W3C protocol tests are not at {PROTOCOL} (../shared is missing)")
    folder = Path(tempfile.mkdtemp())
    for name in ("data1.nt", "data2.nt", "data3.nt"):
        shutil.copy(PROTOCOL / name, folder / name)
    args = ["--timeout", "10"]
    for name in ("data1.nt", "data2.nt", "data3.nt"):
        args += ["--graph", str(folder / name)]
    try:
        with serve_process(*args) as (url, log):
            yield urllib.parse.urlsplit(url), log
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rewrite(path: str, endpoint_path: str) -> str:
    """The manifest's path on this endpoint, its graph names those of the served graphs."""
    rest = path.removeprefix("/sparql/")
    _, _, query = rest.partition("?")
    fields = urllib.parse.parse_qsl(query, keep_blank_values=True)
    mapped = [
        (
            k,
            GRAPH_BASE + v.removeprefix(KASEI).removesuffix(".rdf")
            if k.endswith("graph-uri") and v.startswith(KASEI)
            else v,
        )
        for k, v in fields
    ]
    return endpoint_path + ("?" + urllib.parse.urlencode(mapped, quote_via=urllib.parse.quote) if mapped else "")


def send(where, method: str, path: str, headers: dict[str, str], body: bytes | None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers.get("Content-Type", ""), response.read()
    finally:
        connection.close()


def _check_format(expected: str, media: str, body: bytes, boolean: object) -> None:
    import pyoxigraph as ox

    media = media.split(";")[0].strip()
    results = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/csv": ox.QueryResultsFormat.CSV,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }
    graphs = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
        "application/ld+json": ox.RdfFormat.JSON_LD,
    }
    if expected == "RDF":
        assert media in graphs, media
        list(ox.parse(body, graphs[media]))
        return
    assert media in results, media
    parsed = ox.parse_query_results(body, format=results[media])
    if expected == "boolean":
        assert isinstance(parsed, ox.QueryBoolean)
        if boolean is not None:
            assert bool(parsed) == bool(boolean.toPython())
    else:
        assert isinstance(parsed, ox.QuerySolutions)
        list(parsed)


TESTS = _manifest() if PROTOCOL.is_dir() else []


@pytest.mark.server
@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_w3c_protocol(protocol_server, test):
    where, log = protocol_server
    reason = _applies(test["name"])
    for number, request in enumerate(test["requests"]):
        body = request["body"].encode("utf-8") if request["body"] is not None else None
        status, media, data = send(
            where, request["method"], _rewrite(request["path"], where.path), request["headers"], body
        )
        if reason is not None:
            # Not applicable, yet never answered as if it had been done: the update (or the
            # query with FROM) that opens the test is refused; the queries after it are not checked.
            if number == 0:
                assert 400 <= status < 500, (test["name"], status, data)
            continue
        assert f"StatusCode{status // 100}xx" in request["status"], (test["name"], status, data)
        if request["format"]:
            _check_format(request["format"], media, data, request["boolean"])
    log.seek(0)
    assert "Traceback" not in log.read()


def test_the_table_in_the_docs_lists_every_test():
    docs = (ROOT / "docs" / "sparql.md").read_text(encoding="utf-8")
    for test in TESTS:
        assert f"`{test['name']}`" in docs, test["name"]


# --------------------------------------------------------------------------- beyond the manifest


@pytest.mark.server
def test_default_graph_uri_chooses_among_the_served_graphs(protocol_server):
    where, _ = protocol_server
    ask = urllib.parse.quote(f"ASK {{ <{KASEI}data2.rdf> ?p ?o }}")
    only1 = urllib.parse.quote(GRAPH_BASE + "data1")
    only2 = urllib.parse.quote(GRAPH_BASE + "data2")
    accept = {"Accept": "application/sparql-results+json"}
    no = send(where, "GET", f"{where.path}?query={ask}&default-graph-uri={only1}", accept, None)
    yes = send(where, "GET", f"{where.path}?query={ask}&default-graph-uri={only2}", accept, None)
    assert json.loads(no[2])["boolean"] is False and json.loads(yes[2])["boolean"] is True
    # A graph the endpoint does not serve is an empty graph: never fetched.
    far = urllib.parse.quote("http://127.0.0.1:9/elsewhere")
    empty = send(where, "GET", f"{where.path}?query={ask}&default-graph-uri={far}", accept, None)
    assert empty[0] == 200 and json.loads(empty[2])["boolean"] is False
    named = urllib.parse.quote("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    listed = send(where, "GET", f"{where.path}?query={named}&named-graph-uri={only1}", accept, None)
    assert {b["g"]["value"] for b in json.loads(listed[2])["results"]["bindings"]} == {GRAPH_BASE + "data1"}


@pytest.mark.server
@pytest.mark.parametrize(
    "accept,media",
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml, text/turtle;q=0.5", "application/rdf+xml"),
    ],
)
def test_construct_and_describe_by_content_negotiation(protocol_server, accept, media):
    import pyoxigraph as ox

    where, _ = protocol_server
    for query in (f"DESCRIBE <{KASEI}data1.rdf>", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        status, got, body = send(
            where, "GET", f"{where.path}?query={urllib.parse.quote(query)}", {"Accept": accept}, None
        )
        assert status == 200 and got.split(";")[0] == media, (query, got, body)
        formats = {
            "text/turtle": ox.RdfFormat.TURTLE,
            "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/rdf+xml": ox.RdfFormat.RDF_XML,
            "application/ld+json": ox.RdfFormat.JSON_LD,
        }
        assert len(list(ox.parse(body, formats[media]))) >= 1


@pytest.mark.server
def test_version_queries_run(protocol_server):
    where, _ = protocol_server
    query = urllib.parse.quote('VERSION "1.2" ASK { ?s ?p ?o }')
    status, _, body = send(
        where, "GET", f"{where.path}?query={query}", {"Accept": "application/sparql-results+json"}, None
    )
    assert status == 200, body
    assert json.loads(body)["boolean"] is True
