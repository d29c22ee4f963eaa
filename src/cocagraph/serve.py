"""A read-only SPARQL 1.1 Protocol endpoint over the loaded graphs, with a query page.

Safe by default: it binds 127.0.0.1, answers only requests whose ``Host`` names this machine
(a web page on another site cannot reach it by DNS rebinding), sends no CORS headers unless
asked, refuses updates (403) and Graph Store writes (405), bodies over the limit (413), and
runs every query through :func:`cocagraph.sparql.run_query`, so SERVICE, FROM and updates
never reach the engine. Connections are served by walled-in worker processes
(:mod:`cocagraph.serve_workers`): a slow query is answered 503 at its time limit while cheap
ones go on being answered by the other workers.

:func:`answer_request` maps one request to one response without any socket, so the web layer
is tested directly; :func:`handler_class` reads requests off a connection and writes answers.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import hashlib
import html
import io
import json
import math
import re
import socket
import struct
import sys
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import CocagraphError, QueryTimeoutError, UnsafeQueryError
from .tables import printable

if TYPE_CHECKING:
    from .loading import Corpus
    from .sparql import InProcess

__all__ = [
    "Endpoint",
    "EndpointConfig",
    "Response",
    "answer_request",
    "handler_class",
    "negotiate",
    "serve_forever",
    "unavailable",
    "wire_bytes",
    "with_common_headers",
]

_ROW_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_ROW_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
_GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdf-xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
_GRAPH_ALIASES = {"application/x-turtle": "turtle", "text/plain": "ntriples", "application/json": "json-ld"}
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class EndpointConfig:
    """How the endpoint runs: where it listens and the limits it applies."""

    host: str = "127.0.0.1"
    port: int = 7879
    timeout: float = 10.0
    max_rows: int | None = 10_000
    max_body: int = 1 << 20
    cors: bool = False
    allowed_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Endpoint:
    """What a request is answered from: the graphs, the limits, and where queries run (in this
    process when it is a walled-in serve worker; otherwise in a worker forked per query)."""

    corpus: Corpus
    config: EndpointConfig
    runner: InProcess | None = None


def _text(status: int, message: str, *headers: tuple[str, str]) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), headers=headers)


def unavailable(message: str) -> Response:
    """503 for a query stopped at its time limit or memory cap (the worker's message)."""
    return _text(503, message.replace("--timeout", "the server's --timeout"), ("Retry-After", "60"))


def _host_allowed(endpoint: Endpoint, host_header: str | None) -> bool:
    if host_header is None:
        return True  # HTTP/1.0 clients send none; browsers always do
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    bound = endpoint.config.host.lower().strip("[]")
    allowed = {*_LOOPBACK_NAMES, *(h.lower() for h in endpoint.config.allowed_hosts)}
    if bound not in ("0.0.0.0", "::", ""):
        allowed.add(bound)
    return host in allowed


@functools.lru_cache(maxsize=256)  # a pure function of a few strings, asked three times a query
def negotiate(accept: str | None, explicit: str | None, graph: bool) -> str | None:
    """The format to answer in: ``explicit`` (a ``format=`` parameter) or the best of ``accept``.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, graph=False)
    'xml'
    >>> negotiate(None, None, graph=True)
    'turtle'
    >>> negotiate("image/png", None, graph=False) is None
    True
    """
    types, aliases = (_GRAPH_TYPES, _GRAPH_ALIASES) if graph else (_ROW_TYPES, _ROW_ALIASES)
    default = "turtle" if graph else "json"
    by_type = {t: name for name, t in types.items()} | aliases
    if explicit:
        wanted = explicit.strip().lower()
        if wanted in types:
            return wanted
        return by_type.get(wanted.split(";")[0].strip())
    if not accept:
        return default
    offers: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if quality <= 0:
            continue
        if media == "text/*":
            offers.append((quality, -index, "turtle" if graph else "csv"))
        elif media.endswith("/*"):
            offers.append((quality, -index, default))
        elif media in by_type:
            offers.append((quality, -index, by_type[media]))
    return max(offers)[2] if offers else None


def answer_request(
    endpoint: Endpoint, method: str, target: str, headers: Mapping[str, str], body: bytes | None = None
) -> Response:
    """Answer one HTTP request (``headers`` with lower-case names; ``body`` already read)."""
    return with_common_headers(endpoint.config, _route(endpoint, method, target, headers, body))


def with_common_headers(config: EndpointConfig, response: Response) -> Response:
    """``response`` with the headers every answer carries."""
    extra = [("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")]
    if config.cors:
        extra.append(("Access-Control-Allow-Origin", "*"))
    return Response(response.status, response.body, response.content_type, (*response.headers, *extra))


def wire_bytes(response: Response, *, close: bool = True, head_only: bool = False) -> bytes:
    """``response`` as HTTP/1.1 bytes, written at once: the request handler's answers, and the
    supervisor's 503 for a worker that died mid-query (which always closes the connection)."""
    lines = [
        f"HTTP/1.1 {response.status} {_phrase(response.status)}",
        "Server: cocagraph",
        f"Date: {_http_date(int(time.time()))}",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        *(f"{name}: {value}" for name, value in response.headers),
        *(["Connection: close"] if close else []),
    ]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body


@functools.cache
def _phrase(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


@functools.lru_cache(maxsize=4)
def _http_date(second: int) -> str:
    return email.utils.formatdate(second, usegmt=True)


def _route(endpoint: Endpoint, method: str, target: str, headers: Mapping[str, str], body: bytes | None) -> Response:
    if not _host_allowed(endpoint, headers.get("host")):
        return _text(
            403,
            "refused: this endpoint answers only requests addressed to this machine "
            "(start it with --allow-host NAME to accept another Host)",
        )
    path, _, query_string = target.partition("?")
    if path not in ("/", "/sparql", "/sparql/"):
        shown = printable(path, newlines=False)
        return _text(404, f"no such page: {shown}; the endpoint is /sparql and the query page /")
    if method == "OPTIONS":
        if endpoint.config.cors:
            return Response(
                204,
                headers=(
                    ("Access-Control-Allow-Methods", "GET, POST"),
                    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                ),
            )
        return _text(
            405, "cross-origin requests are not allowed (start with --cors to allow them)", ("Allow", "GET, POST")
        )
    if method not in ("GET", "POST"):
        return _text(
            405, f"{method} is refused: this endpoint is read-only (no Graph Store writes)", ("Allow", "GET, POST")
        )
    try:
        fields = _fields(query_string)
        queries = list(fields.get("query", []))
        if method == "POST":
            content_type, _, params = headers.get("content-type", "").partition(";")
            content_type = content_type.strip().lower()
            charset = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.IGNORECASE)
            if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
                return _text(415, f"the body must be UTF-8, not {printable(charset.group(1), newlines=False)}")
            text = (body or b"").decode("utf-8")
            if content_type == "application/sparql-update":
                return _text(403, "updates are refused: this endpoint is read-only")
            if content_type == "application/sparql-query":
                queries.append(text)
            elif content_type == "application/x-www-form-urlencoded":
                form = _fields(text)
                for key, values in form.items():
                    fields.setdefault(key, []).extend(values)
                queries += form.get("query", [])
            else:
                return _text(415, "send the query as application/sparql-query or as a query= form field")
    except UnicodeDecodeError:
        return _text(400, "the request is not UTF-8 (a query and its parameters must be)")
    if "update" in fields:
        return _text(403, "updates are refused: this endpoint is read-only")
    if len(queries) > 1:
        return _text(400, "send one query per request (this one holds several)")
    dataset = None
    if "default-graph-uri" in fields or "named-graph-uri" in fields:
        # The protocol's dataset chooses among the graphs served (a graph not served is empty);
        # nothing is ever fetched.
        import pyoxigraph as ox

        try:
            dataset = tuple(
                tuple(ox.NamedNode(g).value for g in fields.get(key, []))
                for key in ("default-graph-uri", "named-graph-uri")
            )
        except ValueError:
            return _text(400, "default-graph-uri and named-graph-uri take absolute IRIs")
    if not queries:
        if method == "GET":
            return Response(
                200, query_page().encode("utf-8"), "text/html; charset=utf-8", (("Content-Security-Policy", _PAGE_CSP),)
            )
        return _text(400, "no query: send one as query=... or as an application/sparql-query body")
    explicit = next(iter(fields.get("format") or fields.get("output") or []), None)
    # Relative IRIs resolve against the endpoint's own address, as for any document retrieved
    # (SPARQL 1.1 Protocol tests use them); on the same line, so error positions stay the query's.
    query = f"BASE {_base_iri(endpoint, headers.get('host'), path)} {queries[0]}"
    return _run(endpoint, query, headers.get("accept"), explicit, dataset)  # type: ignore[arg-type]


def _base_iri(endpoint: Endpoint, host: str | None, path: str) -> str:
    import pyoxigraph as ox

    try:
        return str(ox.NamedNode(f"http://{(host or '').strip()}{path}"))
    except ValueError:
        return str(ox.NamedNode(f"http://{endpoint.config.host}:{endpoint.config.port}{path}"))


def _fields(text: str) -> dict[str, list[str]]:
    """A query string or form body, every value decoded strictly as UTF-8."""
    return urllib.parse.parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")


def _run(
    endpoint: Endpoint,
    query: str,
    accept: str | None,
    explicit: str | None,
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> Response:
    from .errors import QueryMemoryError
    from .results import MEDIA_TYPES, serialize_answer
    from .sparql import run_query

    # The form is known once the worker has parsed the query; refuse early only what no form could meet.
    if negotiate(accept, explicit, graph=False) is None and negotiate(accept, explicit, graph=True) is None:
        offered = ", ".join((*_ROW_TYPES.values(), *_GRAPH_TYPES.values()))
        return _text(406, f"cannot answer in the format asked for; answers come as {offered}")
    try:
        answer = run_query(
            endpoint.corpus,
            query,
            timeout=endpoint.config.timeout,
            max_rows=endpoint.config.max_rows,
            runner=endpoint.runner,
            dataset=dataset,
        )
    except (QueryTimeoutError, QueryMemoryError) as exc:
        return unavailable(str(exc))
    except UnsafeQueryError as exc:
        return _text(403, f"refused: {exc}")
    except CocagraphError as exc:
        return _text(400, str(exc))
    fmt = negotiate(accept, explicit, graph=answer.is_graph)
    if fmt is None:
        offered = ", ".join((_GRAPH_TYPES if answer.is_graph else _ROW_TYPES).values())
        return _text(406, f"cannot answer in the format asked for; this query's answer comes as {offered}")
    headers: list[tuple[str, str]] = []
    if answer.truncated:
        headers.append(("X-Cocagraph-Truncated", f"true; only the first {answer.max_rows} rows were sent"))
    content_type = _GRAPH_TYPES.get(fmt) if answer.is_graph else MEDIA_TYPES[fmt]
    try:
        data = serialize_answer(answer, fmt)
    except CocagraphError as exc:  # a character XML cannot hold: no broken XML is sent
        return _text(406, str(exc))
    return Response(200, data, content_type or "text/plain", tuple(headers))


# --------------------------------------------------------------------------- the query page

_PAGE_SCRIPT = """
const queries = JSON.parse(document.getElementById('bundled').textContent);
const box = document.getElementById('query'), pick = document.getElementById('pick');
const out = document.getElementById('out'), status = document.getElementById('status');
for (const q of queries) { const o = document.createElement('option'); o.value = q.name;
  o.textContent = q.name + ': ' + q.description; pick.appendChild(o); }
pick.addEventListener('change', () => {
  const q = queries.find(x => x.name === pick.value); if (q) box.value = q.text; });
function link(fmt) { return 'sparql?format=' + fmt + '&query=' + encodeURIComponent(box.value); }
for (const f of ['csv', 'tsv', 'json', 'xml']) document.getElementById('dl-' + f).addEventListener('click', e => {
  e.target.href = link(f); });
document.getElementById('run').addEventListener('click', async () => {
  status.textContent = 'running…'; out.replaceChildren();
  const r = await fetch('sparql', {method: 'POST', body: box.value, headers: {
    'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json, text/turtle;q=0.9'}});
  const text = await r.text();
  if (!r.ok) { status.textContent = r.status + ': ' + text; return; }
  if (!(r.headers.get('Content-Type') || '').includes('sparql-results+json')) {
    const pre = document.createElement('pre'); pre.textContent = text; out.appendChild(pre);
    status.textContent = ''; return; }
  const data = JSON.parse(text);
  if ('boolean' in data) { status.textContent = 'answer: ' + data.boolean; return; }
  const table = document.createElement('table'), head = table.insertRow();
  for (const v of data.head.vars) { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); }
  for (const b of data.results.bindings) { const row = table.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = b[v] ? b[v].value : ''; }
  out.appendChild(table);
  const cut = r.headers.get('X-Cocagraph-Truncated');
  status.textContent = data.results.bindings.length + ' rows' + (cut ? ' (truncated: ' + cut + ')' : '');
});
"""
_PAGE_CSP = (
    "default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{base64.b64encode(hashlib.sha256(_PAGE_SCRIPT.encode()).digest()).decode()}'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def query_page() -> str:
    """The query page: a text box, the bundled queries, a table of answers; no external assets."""
    from .sparql import list_bundled

    bundled = [{"name": q.name, "description": q.description, "text": q.text} for q in list_bundled()]
    # "</" would close the data block early; JSON allows "<\\/" for it.
    data = json.dumps(bundled, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cocagraph SPARQL</title>
<style>body{{font:15px system-ui,sans-serif;margin:1.5em;max-width:80em}}
textarea{{width:100%;height:16em;font:13px monospace}}
table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #bbb;padding:.2em .4em;vertical-align:top;text-align:left}}
select{{max-width:100%}}</style></head>
<body><h1>cocagraph SPARQL endpoint</h1>
<p>Read-only. The loaded graphs are the default graph; the prefixes {html.escape(_prefix_names())} are predeclared.
SERVICE, FROM and updates are refused. The endpoint is <code>/sparql</code> (SPARQL 1.1 Protocol).</p>
<p><select id="pick"><option value="">bundled queries…</option></select></p>
<textarea id="query" spellcheck="false">SELECT ?claim ?label WHERE {{
  ?claim a cg:RecommendationClaim ; rdfs:label ?label .
}}</textarea>
<p><button id="run" type="button">Run</button>
download: <a id="dl-csv" href="#">CSV</a> <a id="dl-tsv" href="#">TSV</a> <a id="dl-json" href="#">JSON</a>
<a id="dl-xml" href="#">XML</a> <span id="status"></span></p>
<div id="out"></div>
<script type="application/json" id="bundled">{data}</script>
<script>{_PAGE_SCRIPT}</script>
</body></html>
"""


def _prefix_names() -> str:
    from .vocab import PREFIXES

    return " ".join(f"{p}:" for p in PREFIXES)


# --------------------------------------------------------------------------- the server


#: Limits on a request's header section (the standard library's): longer lines or more
#: fields are answered 431.
MAX_FIELD_LINE = 65_536
MAX_FIELDS = 100
_FIELD_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# RFC 9112 3: METHOD SP target SP HTTP-version, split at single spaces only (str.split() also
# splits at U+00A0, U+001C or U+0085, where a proxy in front would not: two readings of one
# line). The method is a token of at most 32 characters; the target holds no whitespace.
_REQUEST_LINE = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) ([^\x00\t\n\x0b\x0c\r ]+) HTTP/([0-9])\.([0-9])")
# RFC 9112 3.2.2: the absolute form (what a client sends to a proxy) names the host itself.
_ABSOLUTE_TARGET = re.compile(r"https?://([^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
#: Seconds a client has to send a whole request (from when the worker starts waiting for it)
#: and, separately, to take its whole answer: a client that trickles bytes in or reads them
#: out slowly (slowloris) holds a worker for this long, and no longer.
CLIENT_SECONDS = 15


class HeaderError(ValueError):
    """A header section that is refused: ``status`` (400 or 431) and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def read_fields(rfile: BinaryIO) -> dict[str, str]:
    """The header fields of one request, read off ``rfile`` up to the blank line: lower-case
    names; a repeated field's values joined by ", " (RFC 9110 5.3), except that a second Host or
    Content-Length is refused, as is a field line folded onto the next (RFC 9112 5.2).

    The standard library's reader hands the lines to the email package, which took a third of a
    cheap query's time; this one applies the same limits.
    """
    fields: dict[str, str] = {}
    for _ in range(MAX_FIELDS + 1):
        line = rfile.readline(MAX_FIELD_LINE + 1)
        if len(line) > MAX_FIELD_LINE:
            raise HeaderError(431, "a header line is too long")
        if line in (b"\r\n", b"\n"):
            return fields
        if not line.endswith(b"\n"):  # the stream ended: a request cut off is not answered
            raise HeaderError(400, "the header section ended before its blank line")
        text = line.decode("iso-8859-1").removesuffix("\n").removesuffix("\r")
        # RFC 9110 5.5: a CR or NUL in a field is refused, since another parser (a proxy in
        # front) may end the line there and read what follows as a field of its own.
        if "\r" in text or "\x00" in text:
            raise HeaderError(400, "a header line holds a CR or NUL character")
        name, colon, value = text.partition(":")
        if not colon or not _FIELD_NAME.fullmatch(name):
            raise HeaderError(400, "a header line is not 'Name: value' (or is folded onto the next)")
        key, value = name.lower(), value.strip(" \t")
        if key in fields:
            if key in ("host", "content-length"):
                raise HeaderError(400, f"the request has two {name} fields")
            value = f"{fields[key]}, {value}"
        fields[key] = value
    raise HeaderError(431, f"the request has more than {MAX_FIELDS} header fields")


class _Arrival(io.RawIOBase):
    """A connection's bytes as they arrive, until ``deadline`` (a ``time.monotonic()``): each
    read waits only for what is left of it, so a client sending a byte every few seconds is
    dropped at the deadline, not after a timeout that restarts with every byte."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection, self.deadline = connection, math.inf

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(min(left, CLIENT_SECONDS))
        return self.connection.recv_into(buffer)


def handler_class(endpoint: Endpoint, waiting: Callable[[bool], None] = lambda _: None) -> type[BaseHTTPRequestHandler]:
    """The request handler for one connection: keep-alive HTTP/1.1, every answer from
    :func:`answer_request`. ``waiting(True)`` is called when it starts waiting for a request,
    ``waiting(False)`` once the whole request (its body too) has arrived."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "cocagraph"
        sys_version = ""
        # A client that stops sending is dropped, not waited on forever; an idle keep-alive
        # connection holds a worker, so it is not kept long either (and see _Arrival).
        timeout = CLIENT_SECONDS
        # Keep-alive (HTTP/1.1; every response has a Content-Length), each response written in
        # one piece (one sendall; the base class's errors buffered, flushed once) with Nagle
        # off: otherwise headers and body go out apart and the second waits for the client's
        # delayed ACK (40 ms; 91 requests/s, not 6,000).
        protocol_version = "HTTP/1.1"
        # Errors on a request line that names no version (a TLS handshake) go out as HTTP/1.0,
        # with a status line, so the client sees "400 Bad Request".
        default_request_version = "HTTP/1.0"
        disable_nagle_algorithm = True
        wbufsize = -1

        def setup(self) -> None:
            super().setup()
            # Requests are read through a deadline (see _Arrival), not only a timeout per read.
            self.arrival = _Arrival(self.connection)
            self.rfile = io.BufferedReader(self.arrival)

        def handle_one_request(self) -> None:
            self.arrival.deadline = time.monotonic() + CLIENT_SECONDS
            waiting(True)
            super().handle_one_request()

        def parse_request(self) -> bool:
            # The request line and the header fields read here, not by the standard library,
            # whose email-package parsing was a third of a cheap query's time. HTTP/0.9 (no
            # version) is refused like any other garbage; HTTP/2 and later get 505.
            self.command, self.request_version = None, self.default_request_version
            self.close_connection = True
            self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
            if not self.requestline:
                return False
            line = _REQUEST_LINE.fullmatch(self.requestline)
            if line is None:
                self.send_error(400, "Bad request: not 'METHOD target HTTP/1.1'")
                return False
            method, target, major, minor = line.groups()
            if major != "1":
                self.send_error(505, f"HTTP/{major} is not supported; use HTTP/1.1")
                return False
            self.command, self.request_version = method, f"HTTP/{major}.{minor}"
            self.close_connection = minor == "0"
            absolute = _ABSOLUTE_TARGET.fullmatch(target)
            if absolute is not None:
                target = absolute.group(2) if absolute.group(2).startswith("/") else "/" + absolute.group(2)
            if target.startswith("//"):  # as the standard library: no scheme-relative paths
                target = "/" + target.lstrip("/")
            self.path = target
            try:
                self.fields = read_fields(self.rfile)
            except HeaderError as exc:
                self.close_connection = True
                self.send_error(exc.status, str(exc))
                return False
            if absolute is not None:  # its authority is the host the request is for (not Host)
                self.fields["host"] = absolute.group(1)
            if minor != "0" and "host" not in self.fields:  # RFC 9112 3.2: a MUST, as for a proxy
                self.close_connection = True
                self.send_error(400, "an HTTP/1.1 request needs a Host field")
                return False
            # Connection takes a list of options (RFC 9110 7.6.1): "close" anywhere in it closes.
            options = {option.strip() for option in self.fields.get("connection", "").lower().split(",")}
            if "close" in options:
                self.close_connection = True
            elif "keep-alive" in options:
                self.close_connection = False
            return True

        def _respond(self) -> None:
            body = self._body()
            waiting(False)
            if isinstance(body, Response):
                return self._send(body)
            try:
                self._send(answer_request(endpoint, self.command, self.path, self.fields, body))
            except MemoryError:
                # The query ran within the worker's memory cap, but its answer written out did
                # not fit: the client gets the 503 a query past the cap gets, not a bare close.
                from .sparql.worker import memory_message

                self._send(with_common_headers(endpoint.config, unavailable(memory_message("query"))))

        def _body(self) -> bytes | Response | None:
            """The request's body, read whatever the method (a body left unread would be read
            as the next request: a GET with a body smuggling one past a proxy), or the refusal."""
            if "transfer-encoding" in self.fields:
                self.close_connection = True
                return _text(501, "Transfer-Encoding is not supported: send the body with a Content-Length")
            length = self.fields.get("content-length")
            if length is None:
                return _text(411, "a POST needs a Content-Length") if self.command == "POST" else None
            # ASCII digits only: "²".isdigit() is true, and int() then fails.
            if not re.fullmatch(r"[0-9]{1,18}", length.strip()):
                self.close_connection = True
                return _text(400, "the Content-Length is not a number of bytes")
            if int(length) > endpoint.config.max_body:
                self.close_connection = True
                return _text(413, f"the request body is over the limit of {endpoint.config.max_body} bytes")
            if self.fields.get("expect", "").lower() == "100-continue" and self.request_version != "HTTP/1.0":
                # At once, not buffered with the answer: the client waits for it to send the body.
                self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            body = self.rfile.read(int(length))
            if len(body) < int(length):  # the stream ended first: what came is not the request
                self.close_connection = True
                return _text(400, "the body ended before its Content-Length")
            return body

        def _send(self, response: Response) -> None:
            data = wire_bytes(response, close=self.close_connection, head_only=self.command == "HEAD")
            self.log_request(response.status)
            # sendall's timeout is for the whole answer (a send's would restart at every
            # packet a slow reader takes): a client gets CLIENT_SECONDS to take it.
            self.connection.settimeout(CLIENT_SECONDS)
            try:
                self.connection.sendall(data)
            except TimeoutError:
                # Not taken in time: the close resets the connection (linger 0), or the kernel
                # would go on feeding what it holds of the answer to the slow reader.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                raise

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _respond

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            # The path only (query strings may be long, and are the user's business), and no
            # control characters: a request path must not drive the terminal the log is read on.
            command = getattr(self, "command", None) or "-"
            path = (getattr(self, "path", None) or "").split("?")[0]
            self._log(f"{command} {path[:200]} {code}")

        def log_error(self, format: str, *args: object) -> None:
            # Garbage on the socket (a TLS handshake, an overlong line) is answered 400/414/431
            # by the base class before there is a command or a path to log; a connection that
            # sends nothing in time is closed, which is no malformed request.
            if format.startswith("Request timed out"):
                self._log(
                    f"closed a connection from {self.client_address[0]}: no whole request within {CLIENT_SECONDS} s"
                )
                return
            self._log(f"refused a malformed request from {self.client_address[0]}: " + (format % args)[:200])

        def log_message(self, format: str, *args: object) -> None:
            self._log((format % args)[:200])

        def _log(self, line: str) -> None:
            sys.stderr.write(printable(line, newlines=False) + "\n")

    return Handler


def serve_forever(corpus: Corpus, config: EndpointConfig, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM, re-raised as KeyboardInterrupt once every
    worker is gone); ``announce(url)`` is called once the socket is listening."""
    from .serve_workers import serve_connections

    serve_connections(corpus, config, announce)
