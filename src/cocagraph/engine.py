"""Running cocagraph's own (trusted) SPARQL on the embedded store, with rows as plain values.

User queries go through :mod:`cocagraph.sparql`, which refuses unsafe ones first; the
queries here are written by cocagraph and only read.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from .vocab import XSD, sparql_prefixes

__all__ = ["python_value", "select"]

_INTEGER_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long, XSD.positiveInteger}


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a Python value: IRIs and strings as str, integers as int."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in _INTEGER_TYPES:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value


def select(store: ox.Store, query: str, **bindings: str) -> list[dict[str, Any]]:
    """Run a SELECT over the union of all graphs; ``bindings`` fix variables to IRIs.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x")))
    >>> select(store, "SELECT ?o WHERE { ?s <http://p> ?o }", s="http://a")
    [{'o': 'x'}]
    """
    for name, iri in bindings.items():
        # ox.NamedNode checks the IRI is well formed, so it cannot break out of <...>.
        query = re.sub(rf"\?{name}\b", str(ox.NamedNode(iri)), query)
    results = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]  # type: ignore[union-attr]
    return [{n: python_value(row[n]) for n in names} for row in results]  # type: ignore[union-attr]
