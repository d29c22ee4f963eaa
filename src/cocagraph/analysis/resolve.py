"""Naming a factor: by label, alternative or hidden label, short id or IRI, as people type it.

Every analysis command (and the scenarios) resolves factor names here, over the projection
alone, so that it works the same on a remote store. Case, accents, apostrophes and hyphens do
not matter ("garcia" finds García); an exact name wins over a partial one; an unknown or
ambiguous name raises :class:`~cocagraph.errors.UnknownNameError` (exit 2) with the closest names.
"""

from __future__ import annotations

import weakref

import networkx as nx

from ..catalog import short_name
from ..names import normalize, resolve

__all__ = ["factor_names", "resolve_factor"]

_NAMES: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, list[str]]] = weakref.WeakKeyDictionary()
_EXACT: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, set[str]]] = weakref.WeakKeyDictionary()


def factor_names(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Each factor's IRI with the names it goes by (label first, for suggestions)."""
    names = _NAMES.get(graph)
    if names is None or len(names) != graph.number_of_nodes():
        names = {
            iri: [data.get("label") or short_name(iri), *data.get("alt_labels", ()), short_name(iri)]
            for iri, data in graph.nodes(data=True)
        }
        _NAMES[graph] = names
    return names


def resolve_factor(graph: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the factor called ``name`` in ``graph``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/cocagraph/id/factor/coca-production-peru",
    ...            label="coca production in Peru", alt_labels=("coca production",))
    >>> g.add_node("https://w3id.org/cocagraph/id/factor/garcia-obstruction",
    ...            label="García's obstruction of the mega-commission", alt_labels=())
    >>> resolve_factor(g, "Coca Production")
    'https://w3id.org/cocagraph/id/factor/coca-production-peru'
    >>> resolve_factor(g, "garcia")
    'https://w3id.org/cocagraph/id/factor/garcia-obstruction'
    >>> resolve_factor(g, "coca prodution in peru")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnknownNameError: no factor named 'coca prodution in peru'; did you mean: ...
    """
    if name in graph:  # an IRI, as given
        return name
    names = factor_names(graph)
    exact = _EXACT.get(graph)
    if exact is None or len(names) != graph.number_of_nodes():
        # Folded names, made once per graph: on 12,500 factors folding them all for every name
        # asked (a leverage question may name hundreds) would take minutes.
        exact = {}
        for iri, aliases in names.items():
            for alias in (*aliases, iri):
                exact.setdefault(normalize(alias), set()).add(iri)
        _EXACT[graph] = exact
    hits = exact.get(normalize(name), set())
    if len(hits) == 1:
        return next(iter(hits))
    return resolve(name, names, "factor")  # ambiguous, partial or unknown: the shared rules and messages
