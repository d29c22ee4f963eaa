"""Remote stores: push to a real Oxigraph server that the tests start and stop, then the same
answers through --endpoint as from the embedded engine; and a fake store that fails in each
way a store can (reliability items 29-30). Everything stays on loopback."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cocagraph.errors import RemoteStoreError
from cocagraph.loading import load
from cocagraph.projection import build_projection
from cocagraph.remote import RemoteStore, push_corpus, redact
from cocagraph.sparql import list_bundled
from helpers import LoopbackServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph(tmp_path):
    """A real Oxigraph server on a free loopback port: (query URL, store URL); always stopped."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield base + "/query", base + "/store"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _all_quads(query_url: str) -> set[tuple[str, ...]]:
    body = urllib.parse.urlencode({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}).encode()
    request = urllib.request.Request(query_url, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.loads(response.read())
    return {tuple(json.dumps(b[v], sort_keys=True) for v in ("g", "s", "p", "o")) for b in data["results"]["bindings"]}


@pytest.mark.server
def test_push_then_every_bundled_query_answers_the_same_remotely(oxigraph, run_cli):
    query_url, store_url = oxigraph
    pushed = run_cli("push", "--endpoint", store_url)
    assert pushed.code == 0, pushed.err
    assert "https://w3id.org/cocagraph/graph/psg-peru-coca" in pushed.out
    for query in list_bundled():
        for fmt in ("csv", "json"):
            local = run_cli("sparql", query.name, "--format", fmt)
            remote = run_cli("sparql", query.name, "--format", fmt, "--endpoint", query_url)
            assert remote.code == 0, remote.err
            assert remote.out == local.out, (query.name, fmt)
    cases = [
        ("claims-by-theme", "--param", "theme=violence"),
        ("evidence", "--param", "claim=wedge-needed", "--cite"),
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",),
        ("CONSTRUCT { ?c a cg:RecommendationClaim } WHERE { ?c a cg:RecommendationClaim }", "--format", "ntriples"),
    ]
    for args in cases:
        local = run_cli("sparql", *args)
        remote = run_cli("sparql", *args, "--endpoint", query_url)
        assert remote.code == 0, remote.err
        if "CONSTRUCT" in args[0]:
            assert sorted(remote.out.splitlines()) == sorted(local.out.splitlines())
        else:
            assert remote.out == local.out, args


@pytest.mark.server
def test_pushing_twice_leaves_the_store_unchanged(oxigraph, tmp_path):
    query_url, store_url = oxigraph
    blank = tmp_path / "with-blanks.ttl"
    blank.write_text(
        '<https://example.org/a> <https://example.org/p> [ <https://example.org/q> "x" ; '
        '<https://example.org/r> [ <https://example.org/q> "y" ] ] .\n',
        encoding="utf-8",
    )
    first = push_corpus(load([blank]), store_url)
    assert [p.triples for p in first] == [4]
    once = _all_quads(query_url)
    # A fresh load gives fresh blank node labels; the skolem IRIs are the same all the same.
    push_corpus(load([blank]), store_url)
    assert _all_quads(query_url) == once and len(once) == 4
    assert not any('"bnode"' in term for quad in once for term in quad)
    assert any("/.well-known/genid/" in term for quad in once for term in quad)


@pytest.mark.server
def test_projection_from_the_store_equals_the_embedded_one(oxigraph, corpus, run_cli):
    query_url, store_url = oxigraph
    push_corpus(corpus, store_url)
    remote, local = RemoteStore(query_url).projection(), build_projection(corpus)
    assert sorted(remote.nodes(data=True)) == sorted(local.nodes(data=True))
    assert sorted(remote.edges(keys=True, data=True)) == sorted(local.edges(keys=True, data=True))
    assert remote.number_of_edges() > 30
    # The paths verb (another module's) on the same store gives the same answer as on the files.
    args = ("paths", "cocaine production in Peru", "political violence", "--format", "json")
    local_paths = run_cli(*args)
    if local_paths.code == 2 and "No such command" in local_paths.err:
        pytest.skip("the paths verb is not registered; the projections compared equal above")
    remote_paths = run_cli(*args, "--endpoint", query_url)
    assert local_paths.code == 0, local_paths.err
    assert remote_paths.code == 0, remote_paths.err
    assert json.loads(remote_paths.out) == json.loads(local_paths.out)


# --------------------------------------------------------------------------- failing stores


class FakeStore(LoopbackServer):
    """A loopback HTTP server that fails as told: 'error' (500), 'drop', 'hang', 'trickle' (an
    answer a byte now and then), 'slow-read' (the request's body taken a byte now and then);
    records requests."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if fake.mode == "slow-read":  # takes the request's body in a byte now and then
                    while length and not fake.release.wait(0.2):
                        length -= len(self.rfile.read(1))
                if length:
                    self.rfile.read(length)
                fake.requests.append((self.command, self.path, dict(self.headers)))
                if fake.mode == "error":
                    body = b"internal failure\n"
                    self.send_response(500)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif fake.mode == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                elif fake.mode == "hang":
                    fake.release.wait(30)
                elif fake.mode == "trickle":  # headers at once, then a byte now and then
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    while not fake.release.wait(0.2):
                        try:
                            self.wfile.write(b" ")
                            self.wfile.flush()
                        except OSError:
                            return

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def server_bind(self) -> None:
                if fake.mode == "slow-read":  # a small window, so the sender soon waits on it
                    self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                super().server_bind()

        super().__init__(Handler, Server)

    @property
    def url(self) -> str:
        return f"http://alice:s3cret@127.0.0.1:{self.server.server_address[1]}/store"


@pytest.mark.parametrize(
    "mode,timeout,words",
    [
        # A generous timeout where the store answers at once, so a loaded machine cannot turn
        # the expected answer into a time-out; a short one where the store never answers.
        ("error", "10", "answered 500"),
        ("drop", "10", "dropped the connection"),
        ("hang", "0.5", "did not answer within 0.5 s"),
        ("trickle", "1", "did not answer within 1 s"),
        ("slow-read", "1", "within 1 s"),
    ],
)
def test_a_failing_store_gives_exit_2_naming_graph_and_endpoint_without_credentials(run_cli, mode, timeout, words):
    with FakeStore(mode) as store:
        result = run_cli("push", "--endpoint", store.url, "--timeout", timeout)
        sparql = run_cli(
            "sparql", "statistics", "--endpoint", store.url.replace("/store", "/query"), "--timeout", timeout
        )
    assert result.code == 2, result.err
    assert words in result.err
    assert "graph https://w3id.org/cocagraph/graph/" in result.err
    assert f"127.0.0.1:{store.server.server_address[1]}/store" in result.err
    assert sparql.code == 2 and words in sparql.err
    for text in (result.err, result.out, sparql.err, sparql.out):
        assert "s3cret" not in text and "alice" not in text


def test_credentials_go_as_basic_auth_and_never_in_the_url(run_cli):
    with FakeStore("error") as store:
        run_cli("push", "--endpoint", store.url, "--timeout", "2")
    method, path, headers = store.requests[0]
    assert method == "PUT" and path.startswith("/store?graph=https%3A%2F%2Fw3id.org%2Fcocagraph%2Fgraph%2F")
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert headers["Content-Type"].startswith("application/n-triples")


def test_refused_queries_never_reach_the_store(run_cli):
    with FakeStore("error") as store:
        result = run_cli("sparql", "SELECT * { SERVICE <http://x> { ?s ?p ?o } }", "--endpoint", store.url)
        update = run_cli("sparql", "DROP ALL", "--endpoint", store.url)
    assert result.code == 2 and "SERVICE" in result.err and "refused" in result.err
    assert update.code == 2 and "read-only" in update.err
    assert store.requests == []


def test_unreachable_store_and_non_http_endpoints():
    port = _free_port()  # nothing listens there
    with pytest.raises(RemoteStoreError, match=r"cannot reach the store at http://127\.0\.0\.1:\d+/query"):
        RemoteStore(f"http://127.0.0.1:{port}/query", timeout=2).projection()
    with pytest.raises(RemoteStoreError, match="not an http"):
        RemoteStore("file:///etc/passwd")


def test_redact_hides_user_password_and_query_values():
    assert redact("http://bob:pw@[::1]:8080/q?key=secret") == "http://[::1]:8080/q?key=…"
    assert "pw" not in redact("https://bob:pw@example.org/")
