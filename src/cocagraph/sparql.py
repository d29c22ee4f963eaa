"""User SPARQL, safely: refused before it runs if it could reach out or write, then run where
it can be stopped, with a time limit and a row cap.

A query is checked on its tokens, not by searching its text: comments, strings, IRIs, lower
case, ``\\u`` escapes and prefixed names cannot hide or fake a keyword. ``SERVICE``, ``FROM``
(and so ``FROM NAMED``) and every update keyword are refused, since both embedded engines
fetch URLs for SERVICE and rdflib opens files for FROM. pyoxigraph cannot be interrupted, so
each query runs in a forked worker process that is killed at the time limit; nothing of a
timed-out query is returned.

Queries may declare named parameters in their header comment (``# param theme (theme): ...``);
a value is resolved (a theme, actor or place by name; a literal; an IRI) and bound with a
``VALUES`` block at the start of the query's WHERE clause, never pasted into the text.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import select as _select
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import CocagraphError, QueryError, QueryTimeoutError, UnknownNameError, UnsafeQueryError, UsageError
from .vocab import CG, PREFIXES, SKOS

if TYPE_CHECKING:
    from .loading import Corpus

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "BundledQuery",
    "CheckedQuery",
    "Forker",
    "QueryAnswer",
    "QueryParameter",
    "bind_parameters",
    "check_query",
    "cite_rows",
    "find_bundled",
    "list_bundled",
    "parse_header",
    "prefixed",
    "run_query",
]

#: Seconds a query may run before its worker is killed.
DEFAULT_TIMEOUT = 30.0
#: Rows (or triples) kept before an answer is cut and marked truncated.
DEFAULT_MAX_ROWS = 10_000

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


# --------------------------------------------------------------------------- tokens and checks

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^"\\]|\\.))*\"\"\"
              |'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              |"(?:[^"\\\n\r]|\\.)*"
              |'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>(?:[^\W\d]|_)[\w\-.\u00b7]*(?::(?:[\w\-.:%\\\u00b7]|\\.)*)?
              |:(?:[\w\-.:%\\\u00b7]|\\.)*)
  | (?P<number>\d[\w.]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask", "DESCRIBE": "describe"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        """The keyword this token is (upper case), or None for prefixed names and the rest."""
        if self.kind == "name" and ":" not in self.text:
            return self.text.upper()
        return None


def tokenize(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no spaces, no comments).

    >>> [t.text for t in tokenize('SELECT ?s # SERVICE\\n WHERE { ?s cg:x "SERVICE" }')]
    ['SELECT', '?s', 'WHERE', '{', '?s', 'cg:x', '"SERVICE"', '}']
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(), match.start()))
    return tokens


def _unescape(text: str) -> str:
    # SPARQL engines (Oxigraph among them) replace \u and \U escapes before parsing, so a
    # keyword may be spelled with them; check what the engine will read.
    def char(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()

    return _UNICODE_ESCAPE.sub(char, text)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: its text, its form and its significant tokens."""

    text: str
    form: str
    tokens: tuple[Token, ...]

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(t.text[1:] for t in self.tokens if t.kind == "var")


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check_query(text: str, where: str = "query") -> CheckedQuery:
    """Refuse a query that could reach the network or the file system, or change data.

    ``where`` names the query in messages (a file or a bundled query's name).

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'select'
    >>> check_query("select * { service <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnsafeQueryError: query:1: SERVICE is refused: cocagraph never lets a query reach the network
    >>> check_query('SELECT ?s WHERE { ?s ?p "SERVICE" }  # SERVICE in a string or comment is fine').form
    'select'
    """
    unescaped = _unescape(text)
    tokens = tokenize(unescaped)
    for token in tokens:
        word = token.keyword
        at = f"{where}:{_line(unescaped, token.start)}"
        if word == "SERVICE":
            raise UnsafeQueryError(f"{at}: SERVICE is refused: cocagraph never lets a query reach the network")
        if word == "FROM":
            raise UnsafeQueryError(
                f"{at}: FROM and FROM NAMED are refused: queries run over the loaded graphs only "
                "(use GRAPH <iri> { ... } to ask one of them)"
            )
        if word in _UPDATES:
            raise UnsafeQueryError(f"{at}: {word} is an update; cocagraph's queries are read-only")
    form = _form(tokens, unescaped, where)
    return CheckedQuery(text, form, tuple(tokens))


def _form(tokens: Sequence[Token], text: str, where: str) -> str:
    i = 0
    while i < len(tokens):
        word = tokens[i].keyword
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word in _FORMS:
            return _FORMS[word]
        else:
            at = f"{where}:{_line(text, tokens[i].start)}"
            raise QueryError(
                f"{at}: not a SPARQL query: expected SELECT, CONSTRUCT, ASK or DESCRIBE, found {tokens[i].text!r}"
            )
    raise QueryError(f"{where}: empty query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")


def prefixed(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``text`` with the standard prefixes it does not declare itself, all on its first line.

    Kept on one line so that line numbers in error messages stay those of the query as written.

    >>> prefixed("PREFIX cg: <urn:x#> SELECT * {}", {"cg": "urn:cg#", "oa": "urn:oa#"})
    'PREFIX oa: <urn:oa#> PREFIX cg: <urn:x#> SELECT * {}'
    """
    tokens = tokenize(_unescape(text))
    declared = {tokens[i + 1].text.rstrip(":") for i, t in enumerate(tokens[:-1]) if t.keyword == "PREFIX"}
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items() if p not in declared)
    return head + text


# --------------------------------------------------------------------------- headers and parameters

#: Kinds of parameter values, and the class whose instances a name is resolved among.
PARAMETER_KINDS: dict[str, str | None] = {
    "theme": SKOS.Concept,
    "actor": CG.Actor,
    "place": CG.Place,
    "factor": CG.Factor,
    "claim": CG.Claim,
    "certainty": None,
    "iri": None,
    "string": None,
    "integer": None,
    "decimal": None,
}
_HEADER_LINE = re.compile(r"^#\s?(.*)$")
_PARAM_LINE = re.compile(r"^param\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([a-z]+)\)\s*:\s*(.*)$")


@dataclass(frozen=True)
class QueryParameter:
    """A named parameter a query declares: the variable it binds, its kind, what it means."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class QueryHeader:
    """What a query's leading comment says about it."""

    description: str
    questions: str
    parameters: tuple[QueryParameter, ...]


def parse_header(text: str, where: str = "query") -> QueryHeader:
    """Read the leading ``#`` comment of a query: description, questions and parameters.

    >>> h = parse_header("# description: Claims by theme.\\n# param theme (theme): a theme\\nSELECT ...")
    >>> h.description, [(p.name, p.kind) for p in h.parameters]
    ('Claims by theme.', [('theme', 'theme')])
    """
    description, questions, params = "", "", []
    for number, raw in enumerate(text.splitlines(), 1):
        match = _HEADER_LINE.match(raw.strip())
        if not match:
            if raw.strip():
                break
            continue
        line = match.group(1).strip()
        key, _, value = line.partition(":")
        if key == "description":
            description = value.strip()
        elif key == "questions":
            questions = value.strip()
        elif line.startswith("param "):
            param = _PARAM_LINE.match(line)
            if not param or param.group(2) not in PARAMETER_KINDS:
                raise QueryError(
                    f"{where}:{number}: a parameter is declared as '# param NAME (KIND): what it means' "
                    f"with KIND one of {', '.join(PARAMETER_KINDS)}"
                )
            params.append(QueryParameter(param.group(1), param.group(2), param.group(3).strip()))
    return QueryHeader(description, questions, tuple(params))


NameLookup = Callable[[str], Mapping[str, Sequence[str]]]


def resolve_parameters(
    header: QueryHeader, query: CheckedQuery, params: Mapping[str, str], names: NameLookup, where: str = "query"
) -> dict[str, Term]:
    """The RDF term each given parameter stands for.

    ``names(class_iri)`` gives the instances of a class with the names they go by (as
    :func:`cocagraph.catalog.names_of` does), so that ``theme=violence`` finds the theme.
    A query that declares no parameters takes any, as ``<iri>`` or a plain string.
    """
    from .names import resolve

    declared = {p.name: p for p in header.parameters}
    terms: dict[str, Term] = {}
    for name, value in params.items():
        if declared and name not in declared:
            raise UnknownNameError(f"parameter of {where}", name, sorted(declared))
        if name not in query.variables:
            raise UsageError(f"{where}: the query has no variable ?{name} for the parameter {name!r}")
        kind = declared[name].kind if name in declared else ("iri" if value.startswith("<") else "string")
        cls = PARAMETER_KINDS[kind]
        try:
            if cls is not None:
                terms[name] = ox.NamedNode(resolve(value, names(cls), kind))
            elif kind == "certainty":
                wanted = value.strip().lower()
                if wanted not in ("asserted", "hedged"):
                    raise UsageError(f"{where}: certainty is 'asserted' or 'hedged', not {value!r}")
                terms[name] = ox.NamedNode(CG.term(wanted.capitalize()))
            elif kind == "iri":
                terms[name] = ox.NamedNode(value.strip().removeprefix("<").removesuffix(">"))
            elif kind == "integer":
                terms[name] = ox.Literal(str(int(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
            elif kind == "decimal":
                terms[name] = ox.Literal(str(float(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal"))
            else:
                terms[name] = ox.Literal(value)
        except ValueError as exc:
            raise UsageError(f"{where}: parameter {name}={value!r} is not a valid {kind}: {exc}") from exc
    return terms


def bind_parameters(query: CheckedQuery, terms: Mapping[str, Term], where: str = "query") -> str:
    """The query text with ``VALUES`` for ``terms`` opening its WHERE clause.

    Each term is written by pyoxigraph, which escapes it, so no value can change the query.

    >>> q = check_query("SELECT ?c WHERE { ?c <urn:theme> ?t }")
    >>> bind_parameters(q, {"t": ox.NamedNode("urn:violence")})
    'SELECT ?c WHERE { VALUES (?t) { (<urn:violence>) } ?c <urn:theme> ?t }'
    """
    if not terms:
        return query.text
    names = sorted(terms)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(terms[n]) for n in names)}) }}"
    brace = _where_brace(query, where)
    # Token offsets are into the unescaped text; insert there and send that text.
    text = _unescape(query.text)
    return text[: brace + 1] + values + text[brace + 1 :]


def _where_brace(query: CheckedQuery, where: str) -> int:
    depth, seen_form, after_where, template = 0, False, False, False
    for token in query.tokens:
        word = token.keyword
        if token.text == "{":
            if depth == 0 and seen_form and (after_where or query.form != "construct"):
                return token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
            template = template or depth == 0
        elif depth == 0 and word in _FORMS:
            seen_form = True
        elif depth == 0 and word == "WHERE":
            # CONSTRUCT WHERE { ... } (no template) is a template itself: no VALUES may go there.
            after_where = query.form != "construct" or template
    if query.form == "construct":
        raise QueryError(f"{where}: parameters need the CONSTRUCT {{ template }} WHERE {{ pattern }} form")
    raise QueryError(f"{where}: parameters need a WHERE clause to bind them in")


# --------------------------------------------------------------------------- bundled queries


@dataclass(frozen=True)
class BundledQuery:
    """A query shipped with cocagraph (``src/cocagraph/queries/NAME.rq``)."""

    name: str
    description: str
    parameters: tuple[QueryParameter, ...]
    text: str
    questions: str = ""


def list_bundled() -> list[BundledQuery]:
    """The bundled queries, by name.

    >>> "claims-by-theme" in [q.name for q in list_bundled()]
    True
    """
    folder = resources.files("cocagraph") / "queries"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            name = entry.name[: -len(".rq")]
            header = parse_header(text, name)
            found.append(BundledQuery(name, header.description, header.parameters, text, header.questions))
    return found


def find_bundled(name: str) -> BundledQuery:
    """The bundled query of that name; an UnknownNameError lists the closest ones."""
    queries = {q.name: q for q in list_bundled()}
    if name in queries:
        return queries[name]
    import difflib

    raise UnknownNameError("bundled query", name, difflib.get_close_matches(name, list(queries), n=5, cutoff=0.4))


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class QueryAnswer:
    """What a query returned: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    ``rows`` hold pyoxigraph terms (None for unbound), in the order of ``variables``.
    ``truncated`` says the row cap cut the answer: there were more rows (or triples).
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    truncated: bool = False
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    max_rows: int | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_graph(self) -> bool:
        return self.form in ("construct", "describe")


def collect(results: Any, form: str, max_rows: int | None) -> QueryAnswer:
    """A QueryAnswer from pyoxigraph results, keeping at most ``max_rows`` rows or triples."""
    if form == "ask":
        return QueryAnswer("ask", boolean=bool(results))
    cap = max_rows if max_rows else None
    kept: list[Any] = []
    truncated = False
    for item in results:
        if cap is not None and len(kept) >= cap:
            truncated = True
            break
        kept.append(item if form in ("construct", "describe") else tuple(item))
    if form in ("construct", "describe"):
        return QueryAnswer(form, truncated=truncated, triples=tuple(kept), max_rows=cap)
    variables = tuple(v.value for v in results.variables)
    return QueryAnswer("select", variables, tuple(kept), truncated, max_rows=cap)


# --------------------------------------------------------------------------- killable workers


class Forker:
    """A single-threaded process, forked before any thread starts, that forks query workers.

    Forking a process that runs threads (the endpoint's request threads) can deadlock the
    child; this one never runs any. Start it first, then the threads; close it at the end.
    """

    def __init__(self, store: ox.Store) -> None:
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked process
            ours.close()
            _forker_loop(store, theirs)
        theirs.close()
        self._sock, self.pid = ours, pid

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and a socket to send it one job."""
        try:
            with self._lock:
                self._sock.sendall(b"F")
                message, fds, _, _ = socket.recv_fds(self._sock, 32, 1)
        except OSError:
            fds = []
        if not fds:
            raise QueryError("the query worker could not be started (its parent process is gone; restart)")
        return int(message.decode()), socket.socket(fileno=fds[0])

    def close(self) -> None:
        self._sock.close()  # the forker exits when its socket closes
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)

    def __enter__(self) -> Forker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quiet_child() -> None:
    # Ctrl-C reaches the whole process group; the parent decides, children just go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _forker_loop(store: ox.Store, sock: socket.socket) -> None:  # pragma: no cover - forked process
    code = 0
    try:
        _quiet_child()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
        while sock.recv(1):
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                sock.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _worker(store, theirs)
            theirs.close()
            socket.send_fds(sock, [str(pid).encode()], [ours.fileno()])
            ours.close()
    except BaseException:
        code = 1
    os._exit(code)


def _send(sock: socket.socket, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(struct.pack("!Q", len(data)) + data)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not _select.select([sock], [], [], left)[0]:
                raise TimeoutError
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket, deadline: float | None) -> Any:
    (size,) = struct.unpack("!Q", _recv_exact(sock, 8, deadline))
    return pickle.loads(_recv_exact(sock, size, deadline))


def _worker(store: ox.Store, sock: socket.socket) -> None:  # pragma: no cover - forked process
    code = 0
    try:
        _quiet_child()
        text, form, max_rows = _recv(sock, None)
        try:
            results = store.query(text, use_default_graph_as_union=True, prefixes=dict(PREFIXES))
            _send(sock, ("ok", collect(results, form, max_rows)))
        except SyntaxError as exc:
            _send(sock, ("syntax", str(exc)))
        except (OSError, ValueError, RuntimeError) as exc:
            _send(sock, ("error", f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # a bug in cocagraph, not in the query: say so, do not pass it off as one
            _send(sock, ("bug", f"{type(exc).__name__}: {exc}"))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def execute(
    store: ox.Store,
    text: str,
    form: str,
    *,
    timeout: float,
    max_rows: int | None,
    forker: Forker | None = None,
    where: str = "query",
) -> QueryAnswer:
    """Run checked ``text`` in a worker process killed after ``timeout`` seconds."""
    if forker is not None:
        pid, sock = forker.spawn()
        own_child = False
    else:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker
            ours.close()
            _worker(store, theirs)
        theirs.close()
        sock, own_child = ours, True
    deadline = time.monotonic() + timeout
    try:
        _send(sock, (text, form, max_rows))
        status, payload = _recv(sock, deadline)
    except TimeoutError:
        _kill(pid)
        raise QueryTimeoutError(
            f"{where}: timed out after {timeout:g} s; nothing was exported "
            "(narrow the query, add LIMIT, or raise the limit with --timeout)"
        ) from None
    except (EOFError, ConnectionError) as exc:
        raise QueryError(f"{where}: the query worker stopped without an answer (out of memory?)") from exc
    except BaseException:
        # Ctrl-C, SIGTERM or anything else while waiting: the worker must not outlive its answer,
        # or the wait below would block until the query finished on its own.
        _kill(pid)
        raise
    finally:
        sock.close()
        if own_child:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if status == "ok":
        answer: QueryAnswer = payload
        return answer
    if status == "syntax":
        raise QueryError(f"{where}: {_syntax_message(payload)}")
    if status == "bug":
        raise CocagraphError(
            f"{where}: internal error in the query worker: {payload} (this is a bug; please report it)"
        )
    raise QueryError(f"{where}: the query failed: {payload}")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _syntax_message(message: str) -> str:
    match = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", message, re.DOTALL)
    if match:
        return f"line {match.group(1)} column {match.group(2)}: syntax error: {match.group(3)}"
    return f"syntax error: {message}"


# --------------------------------------------------------------------------- citing


CITE_QUERY = """
SELECT ?claim ?quote ?start ?source WHERE {
  VALUES ?claim { %s }
  ?claim a cg:Claim ; cg:evidence/oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?qs .
  ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
  OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start }
}"""


def cite_rows(answer: QueryAnswer, evidence_rows: Callable[[str], Iterable[Mapping[str, Any]]]) -> QueryAnswer:
    """The answer with ``quote`` and ``source`` columns: the evidence of the claim each row names.

    ``evidence_rows(query)`` runs :data:`CITE_QUERY` (filled in) and gives rows of plain values.
    A row's claim is the first IRI in it that is a claim; rows naming none get empty cells.
    """
    if answer.form != "select":
        raise UsageError("--cite applies to SELECT answers, which have rows")
    iris = {t.value for row in answer.rows for t in row if isinstance(t, ox.NamedNode)}
    evidence: dict[str, dict[str, Any]] = {}
    if iris:
        values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
        quotes: dict[str, list[tuple[int, str]]] = {}
        for found_row in evidence_rows(CITE_QUERY % values):
            start = found_row.get("start")
            at = int(start) if start is not None else 1 << 62
            quotes.setdefault(found_row["claim"], []).append((at, found_row["quote"]))
            evidence.setdefault(found_row["claim"], {"source": found_row["source"]})
        for claim_iri, spans in quotes.items():
            evidence[claim_iri]["quote"] = " … ".join(dict.fromkeys(q for _, q in sorted(spans)))
    quote_col = "quote" if "quote" not in answer.variables else "cited_quote"
    source_col = "source" if "source" not in answer.variables else "cited_source"
    rows: list[tuple[Term | None, ...]] = []
    for row in answer.rows:
        claim = next((t.value for t in row if isinstance(t, ox.NamedNode) and t.value in evidence), None)
        found = evidence.get(claim or "", {})
        rows.append(
            (
                *row,
                ox.Literal(found["quote"]) if found else None,
                ox.NamedNode(found["source"]) if found else None,
            )
        )
    return QueryAnswer(
        "select",
        (*answer.variables, quote_col, source_col),
        tuple(rows),
        answer.truncated,
        max_rows=answer.max_rows,
        notes=answer.notes,
    )


# --------------------------------------------------------------------------- the one entry point


def prepare(query_text: str, params: Mapping[str, str] | None, names: NameLookup, where: str = "query") -> CheckedQuery:
    """Check a query, resolve its parameters and bind them: the text any engine may run."""
    checked = check_query(query_text, where)
    if params:
        header = parse_header(query_text, where)
        terms = resolve_parameters(header, checked, params, names, where)
        checked = CheckedQuery(bind_parameters(checked, terms, where), checked.form, checked.tokens)
    return checked


def run_query(
    corpus: Corpus,
    query_text: str,
    *,
    params: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    cite: bool = False,
    where: str = "query",
    forker: Forker | None = None,
) -> QueryAnswer:
    """Check and run a user query on the loaded graphs (their union is the default graph).

    Refused queries raise UnsafeQueryError; a query past ``timeout`` seconds raises
    QueryTimeoutError; more than ``max_rows`` rows (None: no cap) come back cut, with
    ``truncated`` set. ``cite`` adds each row's quote and source where the row names a claim.

    >>> from cocagraph.loading import load
    >>> answer = run_query(load(), "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }")
    >>> answer.variables, answer.rows[0][0].value, answer.truncated
    (('n',), '3', False)
    """
    from .catalog import names_of

    checked = prepare(query_text, params, lambda cls: names_of(corpus, cls), where)
    answer = execute(
        corpus.store, checked.text, checked.form, timeout=timeout, max_rows=max_rows, forker=forker, where=where
    )
    if cite:
        from .engine import select

        answer = cite_rows(answer, lambda q: select(corpus.store, q))
    return answer
