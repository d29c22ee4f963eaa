"""The endpoint: the web layer without sockets (answer_request), then a real server on loopback
answering SPARQLWrapper, refusing what it must, and staying responsive while a slow query
runs into its limit (reliability items 27-28)."""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from cocagraph.serve import Endpoint, EndpointConfig, answer_request, negotiate
from cocagraph.serve_workers import MIN_WORKERS
from helpers import exchange, log_text, processes_with, serve_process, wait_for

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOCAL = {"host": "127.0.0.1:7879"}


@pytest.fixture(scope="module")
def endpoint(corpus):
    return Endpoint(corpus, EndpointConfig(timeout=5.0, max_rows=50))


def get(endpoint, target, **headers):
    return answer_request(endpoint, "GET", target, {**LOCAL, **headers})


def post(endpoint, body, content_type, **headers):
    return answer_request(
        endpoint, "POST", "/sparql", {**LOCAL, "content-type": content_type, **headers}, body.encode("utf-8")
    )


# --------------------------------------------------------------------------- without sockets


def test_get_post_and_form_answer_the_same(endpoint):
    query = "SELECT ?c WHERE { ?c a cg:RecommendationClaim } ORDER BY ?c"
    import urllib.parse

    by_get = get(endpoint, "/sparql?query=" + urllib.parse.quote(query))
    by_post = post(endpoint, query, "application/sparql-query")
    by_form = post(endpoint, urllib.parse.urlencode({"query": query}), "application/x-www-form-urlencoded")
    assert by_get.status == by_post.status == by_form.status == 200
    assert by_get.body == by_post.body == by_form.body
    assert by_get.content_type == "application/sparql-results+json"
    assert len(json.loads(by_get.body)["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    "accept,content_type",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_content_negotiation(endpoint, accept, content_type):
    response = post(endpoint, "SELECT * WHERE { ?s a cg:Claim } LIMIT 2", "application/sparql-query", accept=accept)
    assert response.status == 200 and response.content_type == content_type


def test_unacceptable_format_is_406(endpoint):
    response = post(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-query", accept="image/png")
    assert response.status == 406


def test_negotiation_for_graphs():
    assert negotiate("application/ld+json", None, graph=True) == "json-ld"
    assert negotiate("text/csv", "xml", graph=False) == "xml"


def test_foreign_host_is_refused_dns_rebinding(endpoint):
    response = answer_request(endpoint, "GET", "/sparql?query=ASK%7B%7D", {"host": "evil.example:7879"})
    assert response.status == 403 and b"addressed to this machine" in response.body
    for host in ("localhost:7879", "127.0.0.1", "[::1]:7879"):
        assert answer_request(endpoint, "GET", "/sparql?query=ASK%7B%7D", {"host": host}).status == 200


def test_allowed_hosts_can_be_added(corpus):
    endpoint = Endpoint(corpus, EndpointConfig(allowed_hosts=("graph.lan",)))
    assert answer_request(endpoint, "GET", "/sparql?query=ASK%7B%7D", {"host": "graph.lan:80"}).status == 200


def test_no_cors_unless_asked(corpus, endpoint):
    plain = get(endpoint, "/sparql?query=ASK%7B%7D", origin="https://elsewhere.example")
    assert not any(name.lower().startswith("access-control") for name, _ in plain.headers)
    assert answer_request(endpoint, "OPTIONS", "/sparql", LOCAL).status == 405
    with_cors = Endpoint(corpus, EndpointConfig(cors=True))
    response = answer_request(with_cors, "GET", "/sparql?query=ASK%7B%7D", LOCAL)
    assert ("Access-Control-Allow-Origin", "*") in response.headers
    assert answer_request(with_cors, "OPTIONS", "/sparql", LOCAL).status == 204


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_graph_store_writes_are_405(endpoint, method):
    response = answer_request(endpoint, method, "/sparql?graph=urn:x", LOCAL, b"<urn:a> <urn:b> <urn:c> .")
    assert response.status == 405 and ("Allow", "GET, POST") in response.headers


def test_updates_are_403_however_they_come(endpoint):
    assert post(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update").status == 403
    assert post(endpoint, "update=DROP%20ALL", "application/x-www-form-urlencoded").status == 403
    assert post(endpoint, "DROP ALL", "application/sparql-query").status == 403
    assert get(endpoint, "/sparql?update=CLEAR%20ALL").status == 403


def test_service_and_from_are_refused_before_the_engine(endpoint):
    response = post(endpoint, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "application/sparql-query")
    assert response.status == 403 and b"SERVICE is refused" in response.body
    assert post(endpoint, "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "application/sparql-query").status == 403
    # A graph the endpoint does not serve is an empty graph, never fetched or opened.
    empty = get(endpoint, "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D&default-graph-uri=file:///etc/passwd")
    assert empty.status == 200 and json.loads(empty.body)["boolean"] is False


def test_syntax_error_is_400_and_the_truncated_header(endpoint):
    bad = post(endpoint, "SELECT ?s WHERE { ?s ?p }", "application/sparql-query")
    assert bad.status == 400 and b"syntax error" in bad.body
    many = post(endpoint, "SELECT ?c WHERE { ?c a cg:Claim }", "application/sparql-query")
    assert many.status == 200 and len(json.loads(many.body)["results"]["bindings"]) == 50
    assert dict(many.headers)["X-Cocagraph-Truncated"].startswith("true")


def test_the_query_page_has_no_external_assets(endpoint):
    page = get(endpoint, "/")
    assert page.status == 200 and page.content_type.startswith("text/html")
    text = page.body.decode("utf-8")
    assert "http://" not in text.replace("http://www.w3.org", "") and "src=" not in text and "//cdn" not in text
    csp = dict(page.headers)["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    # The bundled queries travel as JSON in a data block that no "</script>" can close early.
    assert "claims-by-theme" in text and text.count("</script>") == 2


def test_unknown_paths_are_404(endpoint):
    assert get(endpoint, "/etc/passwd").status == 404


# --------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def served():
    """``cocagraph serve`` in its own process on a free loopback port: (URL, its log); always stopped."""
    with serve_process("--timeout", "2", "--max-body", "4096") as running:
        yield running


@pytest.fixture(scope="module")
def server(served):
    return served[0]


@pytest.mark.server
def test_sparqlwrapper_gets_json_xml_csv_and_tsv(server, corpus):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    from cocagraph.sparql import find_bundled, run_query

    query = find_bundled("statistics").text
    expected = run_query(corpus, query)
    client = SPARQLWrapper(server)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    result = client.query()
    data = result.convert()
    result.response.close()
    assert data["head"]["vars"] == list(expected.variables)
    assert [b["claim"]["value"] for b in data["results"]["bindings"]] == [r[0].value for r in expected.rows]

    from cocagraph.results import serialize_answer

    for fmt, name in ((XML, "xml"), (CSV, "csv"), (TSV, "tsv")):
        client.setReturnFormat(fmt)
        result = client.query()
        raw = result.response.read()
        result.response.close()
        assert raw == serialize_answer(expected, name), name


@pytest.mark.server
def test_sparqlwrapper_post_and_ask(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(server)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery("ASK { ?c cg:hedge 'probably' }")
    result = client.query()
    assert result.convert()["boolean"] is True
    result.response.close()


@pytest.mark.server
def test_rdflib_sparqlstore_reads_the_endpoint(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server, returnFormat="xml")
    rows = list(store.query("SELECT ?c WHERE { ?c a <https://w3id.org/cocagraph/ns#RecommendationClaim> }"))
    assert len(rows) == 3


@pytest.mark.server
def test_a_slow_query_gets_503_while_cheap_ones_are_answered(server):
    import urllib.parse

    outcome: dict[str, object] = {}

    def slow():
        request = urllib.request.Request(
            server, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        try:
            urllib.request.urlopen(request, timeout=30)
            outcome["slow"] = 200
        except urllib.error.HTTPError as exc:
            outcome["slow"] = exc.code
            outcome["body"] = exc.read().decode()
            exc.close()

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        answered = 0
        while thread.is_alive() and answered < 50:
            with urllib.request.urlopen(server + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), timeout=10) as r:
                assert json.loads(r.read())["boolean"] is True
            answered += 1
    finally:
        thread.join(timeout=30)
    assert outcome["slow"] == 503 and "timed out" in str(outcome["body"])
    assert answered >= 1  # cheap queries were answered while the slow one ran
    # and the server still answers afterwards
    with urllib.request.urlopen(server + "?query=ASK%7B%7D", timeout=10) as r:
        assert r.status == 200


@pytest.mark.server
def test_workers_are_reused_and_one_ended_at_the_time_limit_is_replaced():
    marker = f"serve-workers-{uuid.uuid4().hex}"  # in the command line of serve and of its workers
    with serve_process("--timeout", "1", "--allow-host", marker) as (url, _):
        assert wait_for(lambda: len(set(processes_with(marker))) == 1 + MIN_WORKERS)
        before = set(processes_with(marker))
        for _ in range(20):
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as r:
                assert r.status == 200
        # (Under load the supervisor may have forked one more while every worker held a
        # connection for a moment; none that answered was replaced.)
        assert before <= set(processes_with(marker)), "workers that answered are reused, not replaced"
        before = set(processes_with(marker))
        request = urllib.request.Request(url, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})
        with pytest.raises(urllib.error.HTTPError) as stopped:
            urllib.request.urlopen(request, timeout=30)
        assert stopped.value.code == 503
        assert "timed out after 1 s" in stopped.value.read().decode()
        stopped.value.close()
        assert wait_for(lambda: len(set(processes_with(marker))) == len(before))
        after = set(processes_with(marker))
        assert len(before - after) == 1, "only the worker ended at the time limit was replaced"
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as r:
            assert json.loads(r.read())["boolean"] is True


@pytest.mark.server
def test_a_worker_past_its_memory_cap_gets_503_and_a_fresh_worker(monkeypatch):
    monkeypatch.setenv("COCAGRAPH_QUERY_MEMORY_MB", "64")
    product = "SELECT ?a ?b ?c ?d WHERE { ?a ?p ?b . ?c ?q ?d } ORDER BY ?a ?b ?c ?d"
    with serve_process("--timeout", "120") as (url, log):
        request = urllib.request.Request(
            url, data=product.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        with pytest.raises(urllib.error.HTTPError) as stopped:
            urllib.request.urlopen(request, timeout=120)
        assert stopped.value.code == 503
        assert "memory limit of 64 MB" in stopped.value.read().decode()
        stopped.value.close()
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as r:
            assert json.loads(r.read())["boolean"] is True
        assert "Traceback" not in log_text(log)


@pytest.mark.server
def test_serve_holds_its_graphs_in_memory_and_never_in_the_cache(tmp_path, monkeypatch):
    # Its forked workers share one in-memory copy; an on-disk store would warm a block cache
    # in each of them. Even with the cache asked for, serve builds no entry.
    folder = tmp_path / "cache"
    monkeypatch.setenv("COCAGRAPH_CACHE_DIR", str(folder))
    monkeypatch.setenv("COCAGRAPH_CACHE", "on")
    with serve_process() as (url, _), urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as r:
        assert json.loads(r.read())["boolean"] is True
    assert not folder.exists() or not any(folder.rglob("*.sst")), sorted(p.name for p in folder.rglob("*"))


@pytest.mark.server
def test_oversized_body_is_413_and_foreign_host_403_over_the_wire(server):
    request = urllib.request.Request(server, data=b"#" * 10_000, headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 413
    caught.value.close()
    request = urllib.request.Request(server + "?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 403
    caught.value.close()


def test_serve_binds_loopback_by_default():
    from cocagraph.cli.sparql_commands import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert EndpointConfig().host == "127.0.0.1" and not EndpointConfig().cors


def test_page_script_hash_matches_the_csp(endpoint):
    import base64
    import hashlib
    import re

    page = get(endpoint, "/")
    text = page.body.decode()
    script = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in dict(page.headers)["Content-Security-Policy"]


def test_page_is_read_only_html(endpoint):
    # Nothing in the page posts a form somewhere else.
    assert b"<form" not in get(endpoint, "/").body
    assert io.BytesIO(get(endpoint, "/").body).read(15) == b"<!doctype html>"
    assert Path  # keeps the import used by the server fixture's typing


@pytest.mark.server
@pytest.mark.browser
def test_the_query_page_works_in_a_real_browser_with_nothing_fetched_elsewhere(server):
    from test_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not at {CHROMIUM}: install it with `sudo apt-get install chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'")
    origin = server.rsplit("/", 1)[0]
    elsewhere: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()

            def route(request_route):
                if request_route.request.url.startswith(origin + "/"):
                    request_route.continue_()
                else:
                    elsewhere.append(request_route.request.url)
                    request_route.abort()

            page.route("**/*", route)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(origin + "/")
            page.click("#run")
            page.wait_for_selector("#out table")
            assert page.locator("#out table tr").count() == 4  # a heading and the three recommendations
            assert "3 rows" in page.inner_text("#status")
            page.select_option("#pick", "statistics")
            assert page.input_value("#query").startswith("# description: The figures reported")
            page.click("#run")
            # (Playwright's wait_for_function evaluates strings, which the page's CSP forbids: good.)
            page.locator("#out table tr").nth(4).wait_for()
            assert "UN Office on Drugs and Crime" in page.inner_text("#out")
            assert errors == []
            page.fill("#query", "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
            page.click("#run")
            page.locator("#status", has_text="403").wait_for()
            assert "SERVICE is refused" in page.inner_text("#status")
        finally:
            browser.close()
    # The refused query's 403 is the only thing the console reports.
    assert elsewhere == [] and all("status of 403" in e for e in errors), (elsewhere, errors)


# --------------------------------------------------------------------------- garbage on the socket


# A TLS 1.2 ClientHello's first bytes, as a browser sends to http:// by mistake.
CLIENT_HELLO = bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\x00\x00\x02\x00\x2f\x01\x00\r\n\r\n"


@pytest.mark.server
@pytest.mark.parametrize(
    "data,status",
    [
        (CLIENT_HELLO, b"400"),
        (b"GET /sparql?query=" + b"A" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"414"),
        (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: \xb2\r\n\r\nASK {}",
            b"400",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -5\r\n\r\nASK {}",
            b"400",
        ),
        (
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
            b"431",
        ),
        (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: attacker.example\r\n\r\n", b"400"),
        (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 6\r\nContent-Length: 60\r\n\r\nASK {}",
            b"400",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
            b"501",
        ),
        (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\n\r\n", b"400"),
        (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", b"400"),
        (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 101 + b"\r\n", b"431"),
        (b"GET /sparql?query=ASK%7B%7D\r\n", b"400"),
        (b"GET /sparql?query=ASK%7B%7D HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", b"505"),
    ],
    ids=[
        "tls-client-hello",
        "long-request-line",
        "superscript-length",
        "negative-length",
        "long-header",
        "two-hosts",
        "two-lengths",
        "chunked",
        "folded-line",
        "space-before-colon",
        "too-many-fields",
        "http-0.9",
        "http-2",
    ],
)
def test_garbage_on_the_socket_gets_4xx_and_no_traceback(served, data, status):
    url, log = served
    answer = exchange(url, data)
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == status, answer[:200]
    assert "Traceback" not in log_text(log)
    # And the server goes on answering.
    with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as response:
        assert json.loads(response.read())["boolean"] is True


@pytest.mark.server
def test_escape_codes_in_request_paths_are_neutralised_in_the_log(served):
    url, log = served
    exchange(url, b"GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    text = log_text(log)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J" in text


@pytest.mark.parametrize(
    "method,target,body,content_type",
    [
        ("GET", "/sparql?query=ASK%7B%7D&query=SELECT%20*%7B%7D", None, None),
        ("POST", "/sparql", "query=ASK%7B%7D&query=ASK%7B%7D", "application/x-www-form-urlencoded"),
        ("POST", "/sparql?query=ASK%7B%7D", "query=ASK%7B%7D", "application/x-www-form-urlencoded"),
        ("POST", "/sparql?query=ASK%7B%7D", "ASK {}", "application/sparql-query"),
    ],
)
def test_two_queries_are_400(endpoint, method, target, body, content_type):
    headers = {**LOCAL, **({"content-type": content_type} if content_type else {})}
    response = answer_request(endpoint, method, target, headers, body.encode() if body else None)
    assert response.status == 400 and b"one query" in response.body


def test_a_body_that_is_not_utf8_is_refused(endpoint):
    headers = {**LOCAL, "content-type": "application/sparql-query"}
    assert answer_request(endpoint, "POST", "/sparql", headers, "ASK {}".encode("utf-16")).status == 400
    headers["content-type"] = "application/sparql-query; charset=UTF-16"
    assert answer_request(endpoint, "POST", "/sparql", headers, b"ASK {}").status == 415


@pytest.fixture(scope="module")
def capped_server():
    """``cocagraph serve --max-rows 50``: every answer longer than fifty rows is cut (and says so)."""
    with serve_process("--max-rows", "50") as (url, _):
        yield url


@pytest.mark.server
def test_a_store_that_cuts_its_answer_is_never_read_as_whole(capped_server, run_cli):
    # A user's query: the cut answer is kept and marked truncated, as a local one would be.
    result = run_cli("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", capped_server, "--format", "csv")
    assert result.code == 0, result.err
    assert len(result.out.strip().splitlines()) == 1 + 50
    assert "truncated" in result.err
    # cocagraph's own queries (the projection behind paths) must not rest on a cut answer.
    result = run_cli("paths", "coca production", "political violence", "--endpoint", capped_server)
    assert result.code == 2
    assert "cut" in result.err and capped_server.split("/sparql")[0] in result.err
