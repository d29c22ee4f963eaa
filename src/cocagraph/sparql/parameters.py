"""Query text helpers: named parameters (declared in a query's header comment, resolved by
name, bound as RDF terms) and the predeclared prefixes.

A parameter's value is never pasted into the query as text. On the embedded engine it is a
substitution (SEP-0007: Oxigraph replaces the variable by the term, see
:mod:`cocagraph.sparql.worker`); for a remote store, :func:`bind_parameters` opens the WHERE
clause with a ``VALUES`` block whose terms pyoxigraph writes (and escapes).

The tokenizer here only places that block and finds declared prefixes; what a query *does*
is decided by a real parser in :mod:`cocagraph.sparql.guard`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QueryError, UnknownNameError, UsageError
from ..vocab import CG, PREFIXES, SKOS
from .answers import Term

if TYPE_CHECKING:
    from .guard import CheckedQuery

__all__ = [
    "PARAMETER_KINDS",
    "QueryHeader",
    "QueryParameter",
    "Token",
    "bind_parameters",
    "check_variables",
    "parse_header",
    "prefixed",
    "resolve_parameters",
    "tokenize",
]

# --------------------------------------------------------------------------- tokens

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
_FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask", "DESCRIBE": "describe"}


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


def prefixed(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``text`` with the standard prefixes it does not declare itself, all on its first line.

    Kept on one line so that line numbers in error messages stay those of the query as written.

    >>> prefixed("PREFIX cg: <urn:x#> SELECT * {}", {"cg": "urn:cg#", "oa": "urn:oa#"})
    'PREFIX oa: <urn:oa#> PREFIX cg: <urn:x#> SELECT * {}'
    """
    tokens = tokenize(text)
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
    header: QueryHeader, params: Mapping[str, str], names: NameLookup, where: str = "query"
) -> dict[str, Term]:
    """The RDF term each given parameter stands for.

    ``names(class_iri)`` gives the instances of a class with the names they go by (as
    :func:`cocagraph.catalog.names_of` does), so that ``theme=violence`` finds the theme.
    A query that declares no parameters takes any, as ``<iri>`` or a plain string. Whether the
    query has the variables is :func:`check_variables`'s to say, once it is parsed.
    """
    from ..names import resolve

    declared = {p.name: p for p in header.parameters}
    terms: dict[str, Term] = {}
    for name, value in params.items():
        if declared and name not in declared:
            raise UnknownNameError(f"parameter of {where}", name, sorted(declared))
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


def check_variables(variables: frozenset[str], names: Sequence[str], where: str = "query") -> None:
    """Refuse a parameter the query has no variable for."""
    for name in names:
        if name not in variables:
            raise UsageError(f"{where}: the query has no variable ?{name} for the parameter {name!r}")


def bind_parameters(query: CheckedQuery, terms: Mapping[str, Term], where: str = "query") -> str:
    """The query text with ``VALUES`` for ``terms`` opening its WHERE clause.

    Each term is written by pyoxigraph, which escapes it, so no value can change the query.

    >>> from cocagraph.sparql import check_query
    >>> q = check_query("SELECT ?c WHERE { ?c <urn:theme> ?t }")
    >>> bind_parameters(q, {"t": ox.NamedNode("urn:violence")})
    'SELECT ?c WHERE { VALUES (?t) { (<urn:violence>) } ?c <urn:theme> ?t }'
    """
    if not terms:
        return query.text
    names = sorted(terms)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(terms[n]) for n in names)}) }}"
    check_variables(query.variables, names, where)
    # The block goes into the text as written: its \\u escapes stay escapes (decoded, a
    # \\u0022 inside a string would end the string).
    brace = _where_brace(query, where)
    return query.text[: brace + 1] + values + query.text[brace + 1 :]


def _where_brace(query: CheckedQuery, where: str) -> int:
    depth, seen_form, after_where, template = 0, False, False, False
    for token in tokenize(query.text):
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
