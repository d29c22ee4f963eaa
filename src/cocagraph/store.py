"""The one store interface: the loaded graphs and a remote SPARQL 1.1 endpoint answer the same calls.

Every verb asks its store, never the engine or the HTTP client directly::

    >>> from cocagraph.store import open_store
    >>> store = open_store()                       # the shipped graphs; or open_store(["a.ttl"]),
    >>> store.label                                # open_store(endpoint="http://host/sparql"), source="ID"
    'the loaded graphs'
    >>> store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }")
    [{'n': 3}]
    >>> store.ask("ASK { ?c a cg:CausalClaim }")
    True
    >>> answer = store.user_query("SELECT ?c WHERE { ?c a cg:RecommendationClaim }", max_rows=2)
    >>> answer.truncated, len(answer.rows)
    (True, 2)
    >>> graph = store.projection()                 # the causal projection (networkx.MultiDiGraph)

What each call gives:

``select(query, as_text=False)``
    cocagraph's own (trusted) SELECT over the default graph (the union of the loaded graphs,
    or the store's cocagraph graphs): rows of plain values, integers as int (``as_text``:
    every value a string). The cocagraph prefixes (cg:, oa:, skos:, ...) are predeclared.
``ask(query)`` / ``construct(query)``
    the same for ASK (a bool) and CONSTRUCT (a list of ``pyoxigraph.Triple``).
``user_query(text, params=, timeout=, max_rows=, cite=, where=)``
    a user's query, refused first if unsafe, with a time limit and a row cap: a
    :class:`cocagraph.sparql.QueryAnswer`.
``names(rdf_class)``
    every instance of the class with the names it goes by (for :func:`cocagraph.names.resolve`).
``projection()``
    the causal projection (built once per store, frozen).
``label`` / ``corpus``
    how messages name the store; the loaded :class:`~cocagraph.loading.Corpus`, or None for a
    remote store (checks that need the files themselves, such as validation, use it).

Local stores run on pyoxigraph in this process (user queries in a sandboxed worker); remote
ones are :class:`cocagraph.remote.RemoteStore`. A remote failure is a RemoteStoreError (exit 2)
naming the endpoint; see :mod:`cocagraph.remote` for deadlines and credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from .errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

    from .loading import Corpus
    from .sparql import QueryAnswer

__all__ = ["LocalStore", "Store", "open_store"]

#: Seconds a remote request may take (connect, headers and body) unless told otherwise.
DEFAULT_REMOTE_TIMEOUT = 30.0


class Store(Protocol):
    """What every verb asks of a store (see the module's docstring)."""

    @property
    def label(self) -> str: ...

    @property
    def corpus(self) -> Corpus | None: ...

    def select(self, query: str, *, as_text: bool = False, what: str = "query") -> list[dict[str, Any]]: ...

    def ask(self, query: str, *, what: str = "query") -> bool: ...

    def construct(self, query: str, *, what: str = "query") -> list[ox.Triple]: ...

    def names(self, rdf_class: str) -> dict[str, list[str]]: ...

    def projection(self) -> nx.MultiDiGraph: ...

    def user_query(
        self,
        text: str,
        *,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        cite: bool = False,
        where: str = "query",
    ) -> QueryAnswer: ...


@dataclass(frozen=True)
class LocalStore:
    """The loaded graphs, queried in this process by the embedded engine."""

    corpus: Corpus
    label: str = "the loaded graphs"

    def select(self, query: str, *, as_text: bool = False, what: str = "query") -> list[dict[str, Any]]:
        from .engine import select

        return select(self.corpus.store, query, as_text=as_text)

    def ask(self, query: str, *, what: str = "query") -> bool:
        return bool(self._query(query))

    def construct(self, query: str, *, what: str = "query") -> list[ox.Triple]:
        return list(self._query(query))  # type: ignore[arg-type]

    def _query(self, query: str) -> Any:
        from .vocab import sparql_prefixes

        return self.corpus.store.query(sparql_prefixes() + query, use_default_graph_as_union=True)

    def names(self, rdf_class: str) -> dict[str, list[str]]:
        from .catalog import names_of

        return names_of(self.corpus, rdf_class)

    def projection(self) -> nx.MultiDiGraph:
        from .projection import build_projection

        return build_projection(self.corpus)

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
        from .sparql import DEFAULT_TIMEOUT, run_query

        return run_query(
            self.corpus,
            text,
            params=params,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            max_rows=max_rows,
            cite=cite,
            where=where,
        )


def open_store(
    graphs: Sequence[str | Path] = (),
    *,
    endpoint: str | None = None,
    source: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> Store:
    """The store a verb runs on: the ``graphs`` (files or folders; none: the shipped graph) or
    the SPARQL 1.1 query ``endpoint`` (not both), narrowed to ``source`` when given.

    ``max_bytes`` bounds each file read; ``timeout`` each request to a remote store;
    ``progress`` hears what loading is doing.
    """
    if endpoint:
        if graphs:
            raise UsageError("give either --graph or --endpoint, not both")
        from .remote import RemoteStore  # lazy: only remote runs need the HTTP client

        return RemoteStore(endpoint, timeout=DEFAULT_REMOTE_TIMEOUT if timeout is None else timeout, source=source)
    from .loading import load

    corpus = load([Path(g) for g in graphs] or None, max_bytes=max_bytes, progress=progress)
    if source:
        from .sources import narrow_to_source

        corpus = narrow_to_source(corpus, source)
    return LocalStore(corpus)
