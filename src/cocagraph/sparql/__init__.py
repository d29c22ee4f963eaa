"""User SPARQL, safely: decided by a real parser, refused if it could reach out or write, run in
a walled-in worker with a time limit, a memory cap and a row cap.

One module per job:

- :mod:`~cocagraph.sparql.guard`: what a query does, from rdflib's parse tree and Oxigraph's
  parser (SERVICE, FROM and updates are refused; the two must agree);
- :mod:`~cocagraph.sparql.parameters`: named parameters, resolved by name and bound as terms;
  the predeclared prefixes;
- :mod:`~cocagraph.sparql.bundled`: the query library;
- :mod:`~cocagraph.sparql.worker`: the worker processes (one per query on the command line;
  for ``serve``, the connection workers run queries in themselves), walled in by
  :mod:`cocagraph.sandbox` (no network at all);
- :mod:`~cocagraph.sparql.answers`: what comes back, the row cap, ``--cite``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .answers import CITE_QUERY, QueryAnswer, Term, cite_rows, collect
from .bundled import BundledQuery, find_bundled, list_bundled
from .guard import MAX_QUERY_CHARS, CheckedQuery, check_query
from .parameters import (
    PARAMETER_KINDS,
    QueryHeader,
    QueryParameter,
    bind_parameters,
    parse_header,
    prefixed,
    resolve_parameters,
    tokenize,
)
from .parameters import NameLookup as NameLookup
from .worker import InProcess, Job, execute

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = [
    "CITE_QUERY",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "MAX_QUERY_CHARS",
    "PARAMETER_KINDS",
    "BundledQuery",
    "CheckedQuery",
    "InProcess",
    "Job",
    "QueryAnswer",
    "QueryHeader",
    "QueryParameter",
    "Term",
    "bind_parameters",
    "check_query",
    "cite_rows",
    "collect",
    "execute",
    "find_bundled",
    "list_bundled",
    "parse_header",
    "prefixed",
    "prepare",
    "resolve_parameters",
    "run_query",
    "tokenize",
]

#: Seconds a query may run (checking included) before its worker is killed.
DEFAULT_TIMEOUT = 30.0
#: Rows (or triples) kept before an answer is cut and marked truncated.
DEFAULT_MAX_ROWS = 10_000


def prepare(query_text: str, params: Mapping[str, str] | None, names: NameLookup, where: str = "query") -> CheckedQuery:
    """Check a query for a store cocagraph cannot wall in (a remote one), and bind its parameters.

    The check runs here, with no engine as second opinion and no sandbox after it, so a query
    that names SERVICE anywhere is refused.
    """
    checked = check_query(query_text, where, sandboxed=False)
    if params:
        terms = resolve_parameters(parse_header(query_text, where), params, names, where)
        checked = CheckedQuery(bind_parameters(checked, terms, where), checked.form, checked.variables)
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
    runner: InProcess | None = None,
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> QueryAnswer:
    """Check and run a user query on the loaded graphs (their union is the default graph;
    ``dataset``, the protocol's default and named graph IRIs, picks among them instead).

    Refused queries raise UnsafeQueryError; a query past ``timeout`` seconds raises
    QueryTimeoutError, past its memory cap QueryMemoryError; more than ``max_rows`` rows (None:
    no cap) come back cut, with ``truncated`` set. ``cite`` adds each row's quote and source
    where the row names a claim. Parameters are resolved here (by name, on the corpus) and
    handed to the engine as terms. ``runner``: run here, in an already walled-in ``serve``
    worker, instead of in a worker forked for this query.

    >>> from cocagraph.loading import load
    >>> answer = run_query(load(), "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }")
    >>> answer.variables, answer.rows[0][0].value, answer.truncated
    (('n',), '3', False)
    """
    from ..catalog import names_of

    terms: dict[str, Term] = {}
    if params:
        terms = resolve_parameters(parse_header(query_text, where), params, lambda cls: names_of(corpus, cls), where)
    job = Job(query_text, where, max_rows, tuple(sorted(terms.items())), dataset)
    answer = runner.run(job, timeout) if runner is not None else execute(corpus.store, job, timeout=timeout)
    if cite:
        from ..engine import select

        answer = cite_rows(answer, lambda q: select(corpus.store, q))
    return answer
