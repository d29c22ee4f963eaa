"""What a query does, decided by a real parser: SERVICE, FROM and updates are refused.

A query that holds the word SERVICE or FROM anywhere is parsed by rdflib's SPARQL parser (a
full grammar, not a scan for words), and what it does is read from the parse tree: a
``ServiceGraphPattern`` anywhere (the network), a ``DatasetClause`` (FROM, FROM NAMED: other
graphs than the loaded ones), or no query form at all. A text without either word cannot hold
those clauses whatever the parser, and skips the parse. In the query worker the engine's own
parser is asked too, and a query on which the two disagree (one reads it and the other does
not) is refused: a query runs only when both agree on what it does. Should they still differ on
what is a SERVICE, the worker has no network (:mod:`cocagraph.sandbox`), so the call fails
there and the query is refused all the same.

Checking is linear in the query's length, and a query over :data:`MAX_QUERY_CHARS` characters
is refused before it is parsed (``COCAGRAPH_MAX_QUERY_CHARS`` raises the limit); in the worker
the check counts inside the query's time limit.

The tokenizer of :mod:`cocagraph.sparql.parameters` is used here only to word a refusal (the
line of a SERVICE, the update keyword): it never lets a query through.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError, UnsafeQueryError, UsageError
from .parameters import Token, tokenize

__all__ = ["MAX_QUERY_CHARS", "CheckedQuery", "check_query", "max_query_chars", "unescape"]

#: Queries longer than this (in characters) are refused before they are parsed.
MAX_QUERY_CHARS = 100_000

_FORMS = {"SelectQuery": "select", "ConstructQuery": "construct", "AskQuery": "ask", "DescribeQuery": "describe"}
_FORM_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The prologue's declarations; VERSION (SPARQL 1.2) is one rdflib does not know yet.
_PROLOGUE_ITEM = re.compile(
    r"""\s+|\#[^\n\r]*
      | (?P<decl>BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)
      | (?P<version>VERSION\s*(?:"[^"\\\n\r]*"|'[^'\\\n\r]*'))""",
    re.IGNORECASE | re.VERBOSE,
)

_NAMES_A_CLAUSE = re.compile("service|from", re.IGNORECASE)
#: The engine's verdict on a text: None when it parses it, else its syntax error.
EngineParse = Callable[[str], str | None]


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: its text (as written), its form and its variables."""

    text: str
    form: str
    variables: frozenset[str]


def max_query_chars() -> int:
    """The length limit: ``COCAGRAPH_MAX_QUERY_CHARS`` or :data:`MAX_QUERY_CHARS`."""
    value = os.environ.get("COCAGRAPH_MAX_QUERY_CHARS", "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_QUERY_CHARS


def unescape(text: str) -> str:
    """``text`` with its ``\\u`` and ``\\U`` escapes decoded, as SPARQL parsers first do."""

    def char(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()

    return _UNICODE_ESCAPE.sub(char, text)


def check_query(
    text: str, where: str = "query", *, engine: EngineParse | None = None, sandboxed: bool = True
) -> CheckedQuery:
    """Refuse a query that could reach the network or other graphs, or change data.

    ``where`` names the query in messages (a file or a bundled query's name). ``engine`` is the
    engine's own parser (the worker passes Oxigraph's); ``sandboxed=False`` says the query will
    run with network access, so that any text naming SERVICE at all is refused.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").form
    'select'
    >>> check_query("select * { service <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnsafeQueryError: query:1: SERVICE is refused: cocagraph never lets a query reach the network
    >>> check_query('SELECT ?s WHERE { ?s ?p "SERVICE" }  # SERVICE in a string or comment is fine').form
    'select'
    """
    limit = max_query_chars()
    if len(text) > limit:
        raise UsageError(
            f"{where}: the query is {len(text):,} characters long, over the limit of {limit:,} "
            "(raise it with COCAGRAPH_MAX_QUERY_CHARS=N)"
        )
    decoded = unescape(text)
    tokens = tokenize(decoded)
    _refuse_updates(tokens, decoded, where)
    form = _expect_a_form(tokens, decoded, where)
    if not sandboxed and re.search("service", decoded + text, re.IGNORECASE):
        raise UnsafeQueryError(
            f"{where}: refused: the query names SERVICE and would run outside cocagraph's sandbox "
            "(a remote store, or no network namespace here), so nothing could keep it off the network"
        )
    if not _NAMES_A_CLAUSE.search(decoded):
        # Neither word anywhere: no parser can find a SERVICE or a dataset clause in it, so
        # rdflib's parse (about 15 µs a character) would only confirm what is already known.
        return CheckedQuery(text, form, frozenset(t.text[1:] for t in tokens if t.kind == "var"))
    tree, problem = _parse(text)
    if tree is None:
        _refuse_service(tokens, decoded, where)  # refused either way; say so in the clearest words
        if engine is not None:
            engine_error = engine(text)
            if engine_error is None:
                raise UnsafeQueryError(
                    f"{where}: refused: the engine reads this query but cocagraph's checker cannot "
                    f"({problem}); a query runs only when both agree on what it does"
                )
            raise QueryError(f"{where}: {syntax_message(engine_error)}")
        raise QueryError(f"{where}: {problem}")
    names, variables = _walk(tree)
    if "ServiceGraphPattern" in names:
        raise UnsafeQueryError(
            f"{where}:{_line_of(tokens, decoded, {'SERVICE'})}: SERVICE is refused: "
            "cocagraph never lets a query reach the network"
        )
    if "DatasetClause" in names:
        raise UnsafeQueryError(
            f"{where}:{_line_of(tokens, decoded, {'FROM'})}: FROM and FROM NAMED are refused: queries run over "
            "the loaded graphs only (use GRAPH <iri> { ... } to ask one of them)"
        )
    form = next(_FORMS[n] for n in _FORMS if n in names)
    return CheckedQuery(text, form, frozenset(variables))


def syntax_message(message: str) -> str:
    """An engine's syntax error as ``line L column C: syntax error: ...``."""
    match = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", message, re.DOTALL)
    if match:
        return f"line {match.group(1)} column {match.group(2)}: syntax error: {match.group(3)}"
    return f"syntax error: {message}"


def _line_of(tokens: Sequence[Token], text: str, words: set[str]) -> str:
    # For the message only: the keyword's token, else the word's first appearance.
    token = next((t for t in tokens if t.keyword in words), None)
    if token is not None:
        at = token.start
    else:
        found = re.search("|".join(words), text, re.IGNORECASE)
        at = found.start() if found else 0
    return str(text.count("\n", 0, at) + 1)


def _refuse_service(tokens: Sequence[Token], text: str, where: str) -> None:
    if any(t.keyword == "SERVICE" for t in tokens):
        raise UnsafeQueryError(
            f"{where}:{_line_of(tokens, text, {'SERVICE'})}: SERVICE is refused: "
            "cocagraph never lets a query reach the network"
        )


def _refuse_updates(tokens: Sequence[Token], text: str, where: str) -> None:
    # No query has these words as keywords: refusing on them only words the refusal of an update.
    for token in tokens:
        if token.keyword in _UPDATES:
            line = text.count("\n", 0, token.start) + 1
            raise UnsafeQueryError(f"{where}:{line}: {token.keyword} is an update; cocagraph's queries are read-only")


def _expect_a_form(tokens: Sequence[Token], text: str, where: str) -> str:
    """The query's form by its first keyword after the prologue (the engine's answer confirms it)."""
    i = 0
    while i < len(tokens):
        word = tokens[i].keyword
        if word in ("BASE", "VERSION"):
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word in _FORM_WORDS:
            return word.lower()
        else:
            line = text.count("\n", 0, tokens[i].start) + 1
            raise QueryError(
                f"{where}:{line}: not a SPARQL query: expected SELECT, CONSTRUCT, ASK or DESCRIBE, "
                f"found {tokens[i].text!r}"
            )
    raise QueryError(f"{where}: empty query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")


def _without_version(text: str) -> str:
    """``text`` with the prologue's VERSION declarations blanked (same length, same lines)."""
    at, parts = 0, []
    while match := _PROLOGUE_ITEM.match(text, at):
        parts.append(" " * len(match.group()) if match.group("version") else match.group())
        at = match.end()
    return "".join(parts) + text[at:]


def _parse_query() -> Callable[[str], Any]:
    import rdflib
    from rdflib.plugins.sparql import parser

    if not getattr(parser, "_cocagraph_fixed", False):
        # rdflib 7 negates a negative decimal with Literal.__neg__, which refuses Decimal
        # values (TypeError on "-3.40"); the tree only needs the literal, so build it from text.
        parser.DECIMAL_NEGATIVE.set_parse_action(lambda x: rdflib.Literal("-" + x[0], datatype=x[0].datatype))
        parser._cocagraph_fixed = True
    return parser.parseQuery  # type: ignore[no-any-return]


def _parse(text: str) -> tuple[Any, str]:
    """rdflib's parse tree of ``text`` and "", or None and why it does not parse."""
    from pyparsing import ParseBaseException

    parseQuery = _parse_query()
    # The grammar recurses once per triple pattern; a long query needs a deep stack.
    depth = sys.getrecursionlimit()
    sys.setrecursionlimit(max(depth, 20_000))
    try:
        return parseQuery(_without_version(text)), ""
    except ParseBaseException as exc:
        return None, f"line {exc.lineno} column {exc.column}: syntax error: {exc.msg}"
    except RecursionError:
        return None, "the query nests too deeply to be checked"
    except (ValueError, TypeError, ArithmeticError) as exc:  # an invalid \\u escape, a parse action's bug
        return None, f"syntax error: {exc}"
    finally:
        sys.setrecursionlimit(depth)


def _walk(tree: Any) -> tuple[set[str], set[str]]:
    """The names of the parse tree's nodes, and its variables (without a stack per level)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    names: set[str] = set()
    variables: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(dict.values(node))
        elif isinstance(node, Variable):
            variables.add(str(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return names, variables
