"""Remote SPARQL 1.1 stores: push the source graphs (Graph Store Protocol), ask queries and pull
the causal projection (SPARQL 1.1 Protocol).

Only the standard protocols are used, so any SPARQL 1.1 store will do (Oxigraph server,
Apache Jena Fuseki, GraphDB, Virtuoso, ...). Queries ask the store's cocagraph graphs (named
``https://w3id.org/cocagraph/graph/...`` by :func:`push_corpus`) as their default graph, by the
protocol's ``default-graph-uri``, so answers match the embedded engine's whatever the store
does with its own default graph.

Every request has a client timeout; a store that fails, drops the connection or does not
answer gives a RemoteStoreError naming the graph or query and the endpoint. Credentials in an
endpoint URL (``https://user:secret@host/...``) are sent as HTTP Basic authentication and never
appear in messages; redirects are not followed, so they never reach another host.
"""

from __future__ import annotations

import base64
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import RemoteStoreError
from .loading import GRAPH_BASE

if TYPE_CHECKING:
    import networkx as nx

    from .loading import Corpus
    from .sparql import QueryAnswer

__all__ = ["PushedGraph", "fetch_projection", "push_corpus", "redact", "remote_select", "run_remote_query"]

DEFAULT_TIMEOUT = 30.0
#: Where blank nodes of a pushed graph become IRIs (RDF 1.1 skolem IRIs, stable across pushes).
SKOLEM_BASE = "https://w3id.org/cocagraph/.well-known/genid/"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class PushedGraph:
    """One named graph sent to the store."""

    graph: str
    triples: int
    status: int


def redact(url: str) -> str:
    """The URL as messages may show it: no user, no password, no query values.

    >>> redact("https://ann:s3cret@store.example.org:8443/ds/data?token=abc&graph=x")
    'https://store.example.org:8443/ds/data?token=…&graph=…'
    """
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    query = "&".join(f"{k}=…" for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect becomes an HTTPError: credentials never follow it elsewhere


#: The largest answer read from a store; a larger one is refused rather than filling memory.
MAX_RESPONSE_BYTES = 1 << 30


def _read_by(response: Any, deadline: float, timeout: float) -> bytes:
    """Read the whole body before ``deadline``: the socket timeout alone bounds each read, so a
    store trickling a byte at a time could otherwise keep the client waiting for ever."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(64 * 1024) if hasattr(response, "read1") else response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise OSError(f"the answer is larger than {MAX_RESPONSE_BYTES:,} bytes")
        chunks.append(chunk)


def _request(
    url: str,
    *,
    method: str,
    what: str,
    timeout: float,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str, bytes]:
    """Send one request; (status, content type, body), or a RemoteStoreError naming ``what``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RemoteStoreError(f"{what}: the endpoint {redact(url)} is not an http(s) URL")
    all_headers = dict(headers or {})
    if parts.username is not None:
        token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        all_headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode("ascii")
        host = parts.hostname or ""
        netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
        url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if (parts.hostname or "") in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # a local store is never reached through a proxy
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    where = redact(url)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), _read_by(response, deadline, timeout)
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc.read(2048))
        raise RemoteStoreError(
            f"{what}: the store at {where} answered {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        ) from None
    except TimeoutError:
        raise RemoteStoreError(f"{what}: the store at {where} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise RemoteStoreError(f"{what}: the store at {where} did not answer within {timeout:g} s") from None
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
        raise RemoteStoreError(f"{what}: cannot reach the store at {where}: {text}") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RemoteStoreError(f"{what}: the store at {where} dropped the connection ({type(exc).__name__})") from None
    except OSError as exc:
        raise RemoteStoreError(f"{what}: reading from the store at {where} failed: {exc}") from None


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:200] if text else ""


# --------------------------------------------------------------------------- push


def _skolemised(triples: Sequence[ox.Triple], graph: str) -> list[ox.Triple]:
    """The triples with blank nodes replaced by IRIs that are the same at every push."""
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return list(triples)
    # Canonical labels (RDFC-1.0) depend only on the graph's content, not on parsing order.
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    base = SKOLEM_BASE + graph.removeprefix(GRAPH_BASE).replace("/", "-") + "/"

    def term(node: Any) -> Any:
        return ox.NamedNode(base + node.value) if isinstance(node, ox.BlankNode) else node

    return [ox.Triple(term(q.subject), q.predicate, term(q.object)) for q in dataset]


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(filter(None, [parts.query, urllib.parse.urlencode(params)]))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def push_corpus(corpus: Corpus, endpoint: str, *, timeout: float = 60.0) -> list[PushedGraph]:
    """PUT each loaded file's named graph to the store's Graph Store Protocol ``endpoint``.

    PUT replaces the graph, so pushing twice leaves the store as pushing once.
    """
    pushed = []
    for loaded in corpus.files:
        graph = ox.NamedNode(loaded.graph)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in corpus.store.quads_for_pattern(None, None, None, graph)
        ]
        body = ox.serialize(_skolemised(triples, loaded.graph), format=ox.RdfFormat.N_TRIPLES) or b""
        status, _, _ = _request(
            _with_query(endpoint, graph=loaded.graph),
            method="PUT",
            data=body,
            timeout=timeout,
            what=f"graph {loaded.graph} (from {loaded.path})",
            headers={"Content-Type": "application/n-triples; charset=utf-8"},
        )
        pushed.append(PushedGraph(loaded.graph, len(triples), status))
    return pushed


# --------------------------------------------------------------------------- queries


def _store_graphs(endpoint: str, timeout: float) -> list[str]:
    """The store's named graphs that cocagraph pushed (its default graph when there are none)."""
    rows = _post_query(
        endpoint,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
        "application/sparql-results+json",
        timeout,
        "listing the store's graphs",
        graphs=(),
    )
    results = ox.parse_query_results(rows, format=ox.QueryResultsFormat.JSON)
    found = sorted(r["g"].value for r in results if isinstance(r["g"], ox.NamedNode))  # type: ignore[union-attr]
    return [g for g in found if g.startswith(GRAPH_BASE)]


def _post_query(endpoint: str, query: str, accept: str, timeout: float, what: str, graphs: Sequence[str]) -> bytes:
    fields = [("query", query)]
    # The pushed graphs make the default graph (their merge, as the embedded store's union)
    # and stay available by name to GRAPH, as each file's graph does locally.
    fields += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
    _, _, body = _request(
        endpoint,
        method="POST",
        what=what,
        timeout=timeout,
        data=urllib.parse.urlencode(fields).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    return body


def remote_select(
    endpoint: str,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    what: str = "query",
    graphs: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """A trusted SELECT (cocagraph's own) on the store; rows of plain values as engine.select gives."""
    from .engine import python_value
    from .sparql import prefixed

    if graphs is None:
        graphs = _store_graphs(endpoint, timeout)
    body = _post_query(endpoint, prefixed(query), "application/sparql-results+json", timeout, what, graphs)
    results = _parse_results(body, endpoint, what)
    names = [v.value for v in results.variables]
    return [{n: python_value(row[n]) for n in names} for row in results]


def _parse_results(body: bytes, endpoint: str, what: str) -> Any:
    try:
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteStoreError(f"{what}: the store at {redact(endpoint)} sent an unreadable answer: {exc}") from None


def fetch_projection(endpoint_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> nx.MultiDiGraph:
    """The causal projection of a remote store's graphs: two SELECTs, folded as locally."""
    from .projection import EDGE_QUERY, NODE_QUERY, projection_from_rows

    graphs = _store_graphs(endpoint_url, timeout)
    nodes = remote_select(endpoint_url, NODE_QUERY, timeout=timeout, what="the projection's factors", graphs=graphs)
    edges = remote_select(
        endpoint_url, EDGE_QUERY, timeout=timeout, what="the projection's causal claims", graphs=graphs
    )
    return projection_from_rows(nodes, edges)


def _remote_names(endpoint: str, timeout: float, graphs: Sequence[str]) -> Any:
    from .catalog import short_name

    def names(cls: str) -> dict[str, list[str]]:
        query = (
            f"SELECT ?x ?pref ?label WHERE {{ ?x a {ox.NamedNode(cls)} . OPTIONAL {{ ?x skos:prefLabel ?pref }} "
            "OPTIONAL { ?x skos:altLabel|skos:hiddenLabel|rdfs:label ?label } } ORDER BY ?x ?label"
        )
        found: dict[str, list[str]] = {}
        for row in remote_select(endpoint, query, timeout=timeout, what="resolving a parameter", graphs=graphs):
            entry = found.setdefault(row["x"], [])
            if row["pref"] and row["pref"] not in entry:
                entry.insert(0, row["pref"])
            if row["label"] and row["label"] not in entry:
                entry.append(row["label"])
        for iri, entry in found.items():
            entry.append(short_name(iri))
        return found

    return names


def run_remote_query(
    endpoint: str,
    query_text: str,
    *,
    params: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = None,
    cite: bool = False,
    where: str = "query",
) -> QueryAnswer:
    """Check a user query as :func:`cocagraph.sparql.run_query` does, then ask the store.

    The same refusals apply (SERVICE, FROM, updates never leave this machine); ``timeout`` is
    the client's: a store that has not answered by then is given up on.
    """
    from .sparql import check_query, cite_rows, collect, prefixed, prepare

    check_query(query_text, where)  # refused before anything is sent anywhere
    graphs = _store_graphs(endpoint, timeout)
    checked = prepare(query_text, params, _remote_names(endpoint, timeout, graphs), where)
    graph_form = checked.form in ("construct", "describe")
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    body = _post_query(endpoint, prefixed(checked.text), accept, timeout, where, graphs)
    if graph_form:
        try:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, ox.RdfFormat.N_TRIPLES))
            answer = collect(triples, checked.form, max_rows)
        except SyntaxError as exc:
            raise RemoteStoreError(f"{where}: the store at {redact(endpoint)} sent unreadable triples: {exc}") from None
    else:
        answer = collect(_parse_results(body, endpoint, where), checked.form, max_rows, checked.text)
    if cite:
        answer = cite_rows(answer, lambda q: remote_select(endpoint, q, timeout=timeout, what="citing", graphs=graphs))
    return answer
