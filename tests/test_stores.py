"""The one store interface (cocagraph.store): the same calls on the loaded graphs and on a remote
store, and a remote store's answers checked before use. Stores here are loopback servers the
tests start and stop; each answers every request as told, or fails in one way."""

from __future__ import annotations

import base64
import socket
from http.server import BaseHTTPRequestHandler

import pytest

from cocagraph.errors import RemoteStoreError, UsageError
from cocagraph.remote import RemoteStore, parse_endpoint, printable, redact
from cocagraph.store import LocalStore, open_store
from helpers import LoopbackServer

SELECT_OK = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"3"}}]}}'


class AnswerStore(LoopbackServer):
    """A loopback store answering every request with ``body`` as ``content_type`` (status 200),
    or as ``mode`` says: 'echo' (a 500 whose body repeats the request headers), 'trickle'
    (the status line one byte every 0.5 s). Records the requests' headers."""

    def __init__(self, body: bytes = b"", content_type: str = "application/sparql-results+json", mode: str = "answer"):
        self.requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                sent = self.rfile.read(length) if length else b""
                fake.requests.append(dict(self.headers))
                if b"GRAPH+%3Fg" in sent and mode == "answer":  # listing the graphs: none of cocagraph's
                    listing = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(listing)))
                    self.end_headers()
                    self.wfile.write(listing)
                    return
                if mode == "trickle":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n":
                        if fake.release.wait(0.5):
                            return
                        try:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                        except OSError:
                            return
                    return
                status, data = (500, str(self.headers).encode()) if mode == "echo" else (200, body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sparql"


# --------------------------------------------------------------------------- one interface


def test_local_store_answers_every_call(corpus):
    store = LocalStore(corpus)
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }") == [{"n": 3}]
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }", as_text=True) == [{"n": "3"}]
    assert store.ask("ASK { ?c a cg:CausalClaim }") is True
    triples = store.construct("CONSTRUCT { ?c a cg:RecommendationClaim } WHERE { ?c a cg:RecommendationClaim }")
    assert len(triples) == 3
    names = store.names("https://w3id.org/cocagraph/ns#Actor")
    assert any("García" in " ".join(n) for n in names.values())
    assert store.projection().number_of_edges() > 30
    assert store.user_query("ASK { ?s ?p ?o }").boolean is True


def test_open_store_refuses_both_graphs_and_endpoint():
    with pytest.raises(UsageError, match="not both"):
        open_store(["graphs"], endpoint="http://127.0.0.1:9/sparql")


def test_open_store_narrows_to_a_source():
    store = open_store(source="psg-peru-coca")
    assert store.projection().number_of_edges() > 30
    with pytest.raises(Exception, match="no source named"):
        open_store(source="nothing-like-it")


# --------------------------------------------------------------------------- answers checked


@pytest.mark.parametrize(
    "body,content_type,words",  # the graph listing is answered right; the query itself is not
    [
        (b"<html><body>Welcome to nginx</body></html>", "text/html", "sent text/html, not SPARQL results"),
        (b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"lit', "application/json", "unreadable answer"),
        (b'{"head":{},"boolean":true}', "application/sparql-results+json", "answered a boolean to a SELECT"),
        (SELECT_OK, "application/sparql-results+json", "no column"),
    ],
)
def test_a_store_answering_nonsense_gives_exit_2_naming_it(run_cli, body, content_type, words):
    with AnswerStore(body, content_type) as store:
        sparql = run_cli("sparql", "SELECT ?a ?b WHERE { ?a ?b 1 }", "--endpoint", store.url, "--timeout", "10")
        paths = run_cli("paths", "coca", "violence", "--endpoint", store.url)
    for result in (sparql, paths):
        assert result.code == 2, result.err
        assert words in result.err and store.url in result.err
        assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_missing_columns_of_cocagraphs_own_queries_are_named():
    # The projection asks for ?factor ?label ...; a store answering ?n only is not answering it.
    with AnswerStore(SELECT_OK) as store, pytest.raises(RemoteStoreError, match="answered with no column factor"):
        RemoteStore(store.url, timeout=10).projection()


def test_an_ask_answered_with_rows_is_refused():
    with AnswerStore(SELECT_OK) as store, pytest.raises(RemoteStoreError, match="answered rows to an ASK"):
        RemoteStore(store.url, timeout=10).ask("ASK {}")


def test_columns_in_another_order_are_put_in_the_asked_order():
    body = (
        b'{"head":{"vars":["b","a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x"},'
        b'"b":{"type":"literal","value":"y"}}]}}'
    )
    with AnswerStore(body) as store:
        answer = RemoteStore(store.url, timeout=10).user_query("SELECT ?a ?b WHERE { ?a ?b 1 }")
    assert answer.variables == ("a", "b")
    assert [t.value for t in answer.rows[0]] == ["x", "y"]


# --------------------------------------------------------------------------- deadline, URLs, credentials


@pytest.mark.slow
def test_a_store_trickling_its_headers_is_given_up_on_at_the_deadline(run_cli):
    # One byte every 0.5 s keeps each read under any per-read timeout: only an overall deadline stops it.
    with AnswerStore(mode="trickle") as store:
        result = run_cli("sparql", "statistics", "--endpoint", store.url, "--timeout", "1")
    assert result.code == 2, result.err
    assert f"the store at {store.url} did not answer within 1 s" in result.err


@pytest.mark.parametrize(
    "url,words",
    [
        ("http://127.0.0.1:99999/sparql", "port out of range"),
        ("http://[::1/sparql", "is not a URL"),
        ("http:///sparql", "names no host"),
        ("ftp://127.0.0.1/sparql", "not an http(s) URL"),
    ],
)
def test_a_bad_endpoint_url_is_a_usage_error(run_cli, url, words):
    for args in (("sparql", "statistics"), ("paths", "coca", "violence")):
        result = run_cli(*args, "--endpoint", url)
        assert result.code == 2, result.err
        assert words in result.err and "Traceback" not in result.err


def test_a_store_echoing_credentials_in_its_error_never_shows_them(run_cli):
    with AnswerStore(mode="echo") as store:
        url = store.url.replace("http://", "http://alice:s3cret-pw@")
        result = run_cli("sparql", "statistics", "--endpoint", url, "--timeout", "10")
    assert result.code == 2 and "answered 500" in result.err
    token = base64.b64encode(b"alice:s3cret-pw").decode()
    assert store.requests[0]["Authorization"] == f"Basic {token}"
    for secret in ("s3cret-pw", token, "alice:"):
        assert secret not in result.err and secret not in result.out


def test_credentials_come_from_the_environment_then_netrc(monkeypatch, tmp_path):
    with AnswerStore(SELECT_OK) as store:
        monkeypatch.setenv("COCAGRAPH_STORE_AUTH", "env-user:env-pw")
        RemoteStore(store.url, timeout=10).select("SELECT ?n WHERE { ?n ?p ?o }")
        monkeypatch.delenv("COCAGRAPH_STORE_AUTH")
        netrc = tmp_path / "netrc"
        netrc.write_text("machine 127.0.0.1 login net-user password net-pw\n", encoding="utf-8")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        RemoteStore(store.url, timeout=10).select("SELECT ?n WHERE { ?n ?p ?o }")
        monkeypatch.setenv("NETRC", str(tmp_path / "missing"))
        RemoteStore(store.url, timeout=10).select("SELECT ?n WHERE { ?n ?p ?o }")
    auth = [r.get("Authorization") for r in store.requests]
    assert auth[0] == "Basic " + base64.b64encode(b"env-user:env-pw").decode()
    assert "Basic " + base64.b64encode(b"net-user:net-pw").decode() in auth
    assert auth[-1] is None


def test_messages_neutralise_control_characters():
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert "\x1b" not in redact("http://127.0.0.1/q\x1b[2J")
    target = parse_endpoint("http://u:pw-long@127.0.0.1/sparql")
    assert target.shown == "http://127.0.0.1/sparql" and "pw-long" not in repr(target)
    assert "pw-long" not in repr(RemoteStore("http://u:pw-long@127.0.0.1/sparql"))


def test_a_refused_connection_names_the_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RemoteStoreError, match=rf"cannot reach the store at http://127\.0\.0\.1:{port}/q"):
        RemoteStore(f"http://127.0.0.1:{port}/q", timeout=5).select("SELECT ?n WHERE { ?n ?p ?o }")


@pytest.mark.parametrize("value,expected", [(b"1", True), (b"0", False)])
def test_virtuosos_ask_as_one_retval_row_is_read_as_the_boolean(value, expected):
    body = (
        b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":{"type":"typed-literal",'
        b'"datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"' + value + b'"}}]}}'
    )
    with AnswerStore(body) as store:
        assert RemoteStore(store.url, timeout=10).ask("ASK {}") is expected
