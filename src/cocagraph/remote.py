"""Remote SPARQL 1.1 stores: push the source graphs (Graph Store Protocol), and the remote kind
of :class:`cocagraph.store.Store` (SPARQL 1.1 Protocol).

Only the standard protocols are used, so any SPARQL 1.1 store will do (Oxigraph server,
Virtuoso, Apache Jena Fuseki, GraphDB, ...). Queries ask the store's cocagraph graphs (named
``https://w3id.org/cocagraph/graph/...`` by :func:`push_corpus`) as their default graph, by the
protocol's ``default-graph-uri``, so answers match the embedded engine's whatever the store
does with its own default graph.

Every answer is parsed and checked against what was asked (a SELECT's columns, an ASK's
boolean, a CONSTRUCT's triples, in a format the store says it sent) before anything uses it.
Every request has one deadline covering connecting, the headers and the body: a watchdog shuts
the socket down when it passes, so a store trickling a byte at a time cannot hold the client.
Every failure is a RemoteStoreError (exit 2) naming the endpoint.

Credentials come from the endpoint URL (``https://user:secret@host/...``), else from the
environment variable ``COCAGRAPH_STORE_AUTH`` (``user:password``), else from ``~/.netrc`` (or
the file ``NETRC`` names), by host; they are sent as HTTP Basic authentication and never appear
in messages: URLs are shown without user-info or query values, and a store's error text is
shown with any credential it echoes blanked out. Redirects are not followed (credentials never
reach another host) and no proxy is used.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import http.client
import netrc
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import RemoteStoreError, UsageError
from .loading import GRAPH_BASE

if TYPE_CHECKING:
    import networkx as nx

    from .loading import Corpus
    from .sparql import QueryAnswer

__all__ = ["AUTH_VARIABLE", "PushedGraph", "RemoteStore", "push_corpus", "redact"]

DEFAULT_TIMEOUT = 30.0
#: The environment variable that may hold ``user:password`` for the store.
AUTH_VARIABLE = "COCAGRAPH_STORE_AUTH"
#: Where blank nodes of a pushed graph become IRIs (RDF 1.1 skolem IRIs, stable across pushes).
SKOLEM_BASE = "https://w3id.org/cocagraph/.well-known/genid/"
#: The largest answer read from a store; a larger one is refused rather than filling memory.
MAX_RESPONSE_BYTES = 1 << 30
#: The header in which `cocagraph serve` says it cut an answer at its row cap.
TRUNCATED_HEADER = "X-Cocagraph-Truncated"

_ROWS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, application/ld+json;q=0.4"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class PushedGraph:
    """One named graph sent to the store."""

    graph: str
    triples: int
    status: int


def printable(text: str) -> str:
    r"""``text`` as one line fit for a terminal (:func:`cocagraph.tables.printable`, newlines too).

    >>> print(printable("ok\x1b[2Jgone\n"))
    ok\x1b[2Jgone\x0a
    """
    from .tables import printable as terminal_text

    return terminal_text(text, newlines=False)


def redact(url: str) -> str:
    """The URL as messages may show it: no user, no password, no query values.

    >>> redact("https://ann:s3cret@store.example.org:8443/ds/data?token=abc&graph=x")
    'https://store.example.org:8443/ds/data?token=…&graph=…'
    >>> redact("http://bob:pw@[::1/q?key=secret")
    'http://[::1/q'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:  # not well formed: shown as written, less user-info, query and fragment
        return printable(re.sub(r"(//)[^/@]*@", r"\1", url).split("?")[0].split("#")[0])
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    query = "&".join(f"{k}=…" for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return printable(urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, "")))


# --------------------------------------------------------------------------- one request


@dataclass(frozen=True)
class Target:
    """An endpoint URL taken apart: where to connect, what to ask for, how to authenticate."""

    url: str = field(repr=False)
    https: bool
    host: str
    port: int
    path: str  # path and query, as sent on the request line
    shown: str  # as messages show it
    secrets: tuple[str, ...] = field(default=(), repr=False)
    authorization: str | None = field(default=None, repr=False)

    def with_query(self, **params: str) -> Target:
        path, _, query = self.path.partition("?")
        query = "&".join(filter(None, [query, urllib.parse.urlencode(params)]))
        return Target(
            self.url, self.https, self.host, self.port, f"{path}?{query}", self.shown, self.secrets, self.authorization
        )


def parse_endpoint(url: str) -> Target:
    """The endpoint ``url`` checked and taken apart; a RemoteStoreError if it is not a usable URL.

    >>> parse_endpoint("http://127.0.0.1:99999/sparql")
    Traceback (most recent call last):
    ...
    cocagraph.errors.RemoteStoreError: the endpoint http://127.0.0.1:99999/sparql has a port out of range (0-65535)
    """
    shown = redact(url)
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise RemoteStoreError(f"the endpoint {shown} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise RemoteStoreError(f"the endpoint {shown} is not an http(s) URL")
    try:
        port = parts.port
    except ValueError:
        raise RemoteStoreError(f"the endpoint {shown} has a port out of range (0-65535)") from None
    if not parts.hostname:
        raise RemoteStoreError(f"the endpoint {shown} names no host")
    https = parts.scheme == "https"
    user, password = _credentials(parts)
    secrets: tuple[str, ...] = ()
    authorization = None
    if user is not None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        authorization = "Basic " + token
        secrets = tuple(s for s in (token, f"{user}:{password}", password, user) if len(s) >= 3)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, https, parts.hostname, port or (443 if https else 80), path, shown, secrets, authorization)


def _credentials(parts: urllib.parse.SplitResult) -> tuple[str | None, str]:
    """(user, password): from the URL, else COCAGRAPH_STORE_AUTH, else the netrc file; else (None, "")."""
    if parts.username is not None:
        return urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    if os.environ.get(AUTH_VARIABLE):
        user, _, password = os.environ[AUTH_VARIABLE].partition(":")
        return user, password
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None, ""
    try:
        found = netrc.netrc(path).authenticators(parts.hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"{path}: cannot read the credentials file: {printable(str(exc))}") from None
    if found is None:
        return None, ""
    login, _, password = found
    return login, password or ""


def scrub(text: str, target: Target) -> str:
    """A store's text fit to show: credentials it echoes blanked, control characters neutralised."""
    text = re.sub(r"(?i)(authorization\s*[:=]\s*)(basic|bearer|digest)?\s*\S+", r"\1…", text)
    for secret in target.secrets:
        text = text.replace(secret, "…")
    return printable(text)


class _Watchdog:
    """Shuts a connection's socket down when the deadline passes, whatever it is waiting for."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        #: Set once connected (http.client drops its own reference before the body is read).
        self.sock: socket.socket | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def request(
    target: Target,
    *,
    method: str,
    what: str,
    timeout: float,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str, bytes, bool]:
    """Send one request; (status, media type, body, cut) of a 2xx answer, else a RemoteStoreError naming ``what``.

    ``timeout`` bounds the whole exchange: connecting, the headers and the body. ``cut`` is the
    store's word that it kept only part of the answer (``cocagraph serve``'s row cap says so in
    its ``X-Cocagraph-Truncated`` header).
    """
    all_headers = {"User-Agent": "cocagraph", **(headers or {})}
    if target.authorization:
        all_headers["Authorization"] = target.authorization
    kind = http.client.HTTPSConnection if target.https else http.client.HTTPConnection
    connection = kind(target.host, target.port, timeout=timeout)
    late = f"{what}: the store at {target.shown} did not answer within {timeout:g} s"
    deadline = time.monotonic() + timeout
    try:
        with _Watchdog(timeout) as watchdog:
            try:
                connection.connect()
                watchdog.sock = connection.sock
                if watchdog.fired or time.monotonic() > deadline:
                    raise TimeoutError
                connection.request(method, target.path, body=data, headers=all_headers)
                response = connection.getresponse()
                status = response.status
                media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if not 200 <= status < 300:
                    detail = scrub(_first_line(response.read(4096)), target)
                    moved = " (redirects are not followed)" if 300 <= status < 400 else ""
                    raise RemoteStoreError(
                        f"{what}: the store at {target.shown} answered {status} {scrub(response.reason, target)}"
                        + moved
                        + (f": {detail}" if detail else "")
                    )
                body = response.read(MAX_RESPONSE_BYTES + 1)
                if watchdog.fired:  # the socket was shut down under the read: what came is partial
                    raise TimeoutError
                if response.length:  # fewer bytes than announced: the store closed early
                    raise http.client.IncompleteRead(body, response.length)
                if len(body) > MAX_RESPONSE_BYTES:
                    raise RemoteStoreError(
                        f"{what}: the store at {target.shown} sent more than {MAX_RESPONSE_BYTES:,} bytes"
                    )
                cut = response.headers.get(TRUNCATED_HEADER, "").strip().lower().startswith("true")
                return status, media, body, cut
            except RemoteStoreError:
                raise
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.fired or isinstance(exc, TimeoutError):
                    raise RemoteStoreError(late) from None
                raise RemoteStoreError(_network_message(exc, what, target.shown)) from None
    finally:
        connection.close()


def _network_message(exc: BaseException, what: str, shown: str) -> str:
    if isinstance(exc, socket.gaierror):
        return f"{what}: cannot reach the store at {shown}: the host name is not known"
    if isinstance(exc, ConnectionRefusedError):
        return f"{what}: cannot reach the store at {shown}: connection refused"
    if isinstance(exc, (http.client.HTTPException, ConnectionError)):
        return f"{what}: the store at {shown} dropped the connection ({type(exc).__name__})"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{what}: cannot reach the store at {shown}: {printable(reason)}"


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


def push_corpus(corpus: Corpus, endpoint: str, *, timeout: float = 60.0) -> list[PushedGraph]:
    """PUT each loaded file's named graph to the store's Graph Store Protocol ``endpoint``.

    PUT replaces the graph, so pushing twice leaves the store as pushing once.
    """
    target = parse_endpoint(endpoint)
    pushed = []
    for loaded in corpus.files:
        graph = ox.NamedNode(loaded.graph)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in corpus.store.quads_for_pattern(None, None, None, graph)
        ]
        body = ox.serialize(_skolemised(triples, loaded.graph), format=ox.RdfFormat.N_TRIPLES) or b""
        status, _, _, _ = request(
            target.with_query(graph=loaded.graph),
            method="PUT",
            data=body,
            timeout=timeout,
            what=f"graph {loaded.graph} (from {loaded.path})",
            headers={"Content-Type": "application/n-triples; charset=utf-8"},
        )
        pushed.append(PushedGraph(loaded.graph, len(triples), status))
    return pushed


# --------------------------------------------------------------------------- the remote store


@lru_cache(maxsize=256)
def _trusted_variables(text: str) -> tuple[str, ...]:
    # Oxigraph's own parse of cocagraph's own query, run on an empty store: the columns asked for.
    return tuple(v.value for v in ox.Store().query(text).variables)  # type: ignore[union-attr]


@dataclass
class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint as a :class:`cocagraph.store.Store`.

    ``timeout`` bounds each request; ``source`` narrows the projection to one source's claims.
    """

    endpoint: str = field(repr=False)  # may hold credentials: never shown
    timeout: float = DEFAULT_TIMEOUT
    source: str | None = None
    corpus: None = None
    target: Target = field(init=False, repr=False)
    _graphs: tuple[str, ...] | None = field(default=None, init=False, repr=False)
    _projection: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.target = parse_endpoint(self.endpoint)

    @property
    def label(self) -> str:
        return f"the store at {self.target.shown}"

    # -- the protocol

    def graphs(self) -> tuple[str, ...]:
        """The store's named graphs that cocagraph pushed (none: the store's default graph is asked)."""
        if self._graphs is None:
            results = self._results(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "select", "listing the store's graphs", ()
            )
            found = sorted(
                {
                    t.value
                    for t in _column(results, "g", self, "listing the store's graphs")
                    if isinstance(t, ox.NamedNode)
                }
            )
            self._graphs = tuple(g for g in found if g.startswith(GRAPH_BASE))
        return self._graphs

    def _post(self, query: str, accept: str, what: str, graphs: Sequence[str] | None) -> tuple[str, bytes, bool]:
        graphs = self.graphs() if graphs is None else graphs
        fields = [("query", query)]
        # The pushed graphs make the default graph (their merge, as the embedded store's union)
        # and stay available by name to GRAPH, as each file's graph does locally.
        fields += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        _, media, body, cut = request(
            self.target,
            method="POST",
            what=what,
            timeout=self.timeout,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return media, body, cut

    def _results(
        self, query: str, form: str, what: str, graphs: Sequence[str] | None = None, *, cut: list[bool] | None = None
    ) -> Any:
        """The store's answer to ``query`` parsed, checked to be of ``form``, and read whole.

        An answer the store says it cut is refused, since cocagraph's own questions (the
        projection, names, citing) must not rest on part of the data; a user's query passes
        ``cut``, a list that gets the store's word, and is marked truncated instead.
        """
        graph_form = form in ("construct", "describe")
        media, body, was_cut = self._post(query, _GRAPH_ACCEPT if graph_form else _ROWS_ACCEPT, what, graphs)
        if cut is not None:
            cut.append(was_cut)
        elif was_cut:
            raise self._error(
                what, "cut its answer at its row cap, and cocagraph needs it whole (raise the store's cap)"
            )
        formats: Mapping[str, Any] = _GRAPH_FORMATS if graph_form else _RESULT_FORMATS
        if media not in formats:
            expected = "triples" if graph_form else "SPARQL results"
            raise self._error(what, f"sent {printable(media or 'no content type')}, not {expected}")
        try:
            if graph_form:
                return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, formats[media])]
            results = ox.parse_query_results(body, format=formats[media])
            if isinstance(results, ox.QueryBoolean):
                if form != "ask":
                    raise self._error(what, "answered a boolean to a SELECT")
                return bool(results)
            variables = tuple(v.value for v in results.variables)
            rows = [tuple(s[v] for v in variables) for s in results]
            if form == "ask":
                return _virtuoso_boolean(variables, rows, self, what)
            return variables, rows
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            raise self._error(what, f"sent an unreadable answer: {printable(str(exc))[:300]}") from None

    def _error(self, what: str, message: str) -> RemoteStoreError:
        return RemoteStoreError(f"{what}: the store at {self.target.shown} {message}")

    # -- the Store interface

    def select(self, query: str, *, as_text: bool = False, what: str = "query") -> list[dict[str, Any]]:
        from .engine import python_value
        from .vocab import sparql_prefixes

        text = sparql_prefixes() + query
        variables, rows = _checked_rows(self._results(text, "select", what), _trusted_variables(text), self, what)
        convert = _text_value if as_text else python_value
        return [{v: convert(t) for v, t in zip(variables, row, strict=True)} for row in rows]

    def ask(self, query: str, *, what: str = "query") -> bool:
        from .vocab import sparql_prefixes

        return bool(self._results(sparql_prefixes() + query, "ask", what))

    def construct(self, query: str, *, what: str = "query") -> list[ox.Triple]:
        from .vocab import sparql_prefixes

        return list(self._results(sparql_prefixes() + query, "construct", what))

    def names(self, rdf_class: str) -> dict[str, list[str]]:
        from .catalog import names_from_rows, names_query

        return names_from_rows(self.select(names_query(rdf_class), what="resolving a name"))

    def projection(self) -> nx.MultiDiGraph:
        if self._projection is None:
            import networkx as nx

            from .projection import EDGE_QUERY, NODE_QUERY, projection_from_rows

            nodes = self.select(NODE_QUERY, as_text=True, what="the projection's factors")
            edges = self.select(EDGE_QUERY, as_text=True, what="the projection's causal claims")
            graph = projection_from_rows(nodes, edges)
            if self.source:
                from .sources import narrow_projection

                graph = narrow_projection(graph, self.source)
            self._projection = nx.freeze(graph)
        return self._projection

    def user_query(
        self,
        text: str,
        *,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        cite: bool = False,
        where: str = "query",
    ) -> QueryAnswer:
        """Check a user query as the embedded engine does, then ask the store.

        The same refusals apply (SERVICE, FROM, updates never leave this machine). The columns
        asked for are rdflib's reading of the query (its algebra's projection); the store's
        answer must have exactly those.
        """
        from .sparql import QueryAnswer, cite_rows, prefixed, prepare
        from .sparql.answers import star_order

        if self.source:
            raise UsageError(
                "--source cannot narrow a remote store's SPARQL answers (it narrows the causal projection); "
                "ask for one source in the query instead"
            )
        timeout = self.timeout if timeout is None else timeout
        if timeout != self.timeout:  # every request this query makes (names, graphs, citing) gets it
            scoped = dataclasses.replace(self, timeout=timeout)
            scoped._graphs = self._graphs
            return scoped.user_query(text, params=params, max_rows=max_rows, cite=cite, where=where)
        checked = prepare(text, params, self.names, where)
        sent = prefixed(checked.text)
        cut: list[bool] = []
        answer: QueryAnswer
        if checked.form == "select":
            asked, star = _projection(sent)
            results = self._results(sent, "select", where, cut=cut)
            if star and asked is not None and set(asked) == set(results[0]):
                # SELECT *: in the order the variables first appear, as the embedded engine gives them
                asked = star_order(checked.text, results[0]) or results[0]
            variables, rows = _checked_rows(results, results[0] if asked is None else asked, self, where)
            cap = max_rows or None
            answer = QueryAnswer(
                "select",
                variables,
                tuple(rows[:cap] if cap else rows),
                truncated=bool(cap and len(rows) > cap) or any(cut),
                max_rows=cap,
            )
        elif checked.form == "ask":
            answer = QueryAnswer("ask", boolean=bool(self._results(sent, "ask", where)))
        else:
            triples = self._results(sent, checked.form, where, cut=cut)
            cap = max_rows or None
            answer = QueryAnswer(
                checked.form,
                triples=tuple(triples[:cap] if cap else triples),
                truncated=bool(cap and len(triples) > cap) or any(cut),
                max_rows=cap,
            )
        if cite:
            answer = cite_rows(answer, lambda q: self.select(q, what="citing"))
        return answer


def _projection(text: str) -> tuple[tuple[str, ...] | None, bool]:
    """(the columns a SELECT projects, whether it is ``SELECT *``), from rdflib's algebra;
    (None, False) when rdflib cannot read the query (a newer syntax): then any columns do."""
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        parsed = parseQuery(text)
        star = "projection" not in parsed[1]
        return tuple(str(v) for v in translateQuery(parsed).algebra["PV"]), star
    except Exception:
        return None, False


def _virtuoso_boolean(variables: tuple[str, ...], rows: list[tuple[Any, ...]], store: RemoteStore, what: str) -> bool:
    """Virtuoso 7 answers ASK as one column ``__ask_retval`` holding 1 or 0 (or no row): read it as
    the boolean it stands for; any other rows to an ASK are not an answer to it."""
    if [v.casefold() for v in variables] == ["__ask_retval"] and len(rows) <= 1:
        value = rows[0][0] if rows else None
        text = getattr(value, "value", "0")
        if text in ("0", "1", "true", "false"):
            return text in ("1", "true")
    raise store._error(what, "answered rows to an ASK")


def _text_value(term: Any) -> str | None:
    return None if term is None else term.value


def _column(results: Any, name: str, store: RemoteStore, what: str) -> list[Any]:
    _, rows = _checked_rows(results, (name,), store, what)
    return [row[0] for row in rows]


def _checked_rows(
    results: tuple[tuple[str, ...], list[tuple[Any, ...]]], asked: tuple[str, ...], store: RemoteStore, what: str
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The rows in the order of the columns ``asked``; an error if the store's columns are others."""
    variables, rows = results
    if set(variables) != set(asked):
        missing = [v for v in asked if v not in variables]
        extra = [v for v in variables if v not in asked]
        said = ", ".join([*(f"no column {v}" for v in missing), *(f"a column {v} not asked for" for v in extra)])
        raise store._error(what, f"answered with {said} (not the query's columns)")
    if variables == asked:
        return variables, rows
    order = [variables.index(v) for v in asked]
    return asked, [tuple(row[i] for i in order) for row in rows]
