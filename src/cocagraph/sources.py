"""Narrowing a corpus to one source: its claims, and the shared things they use.

Each source is its own named graph (one file each), but sources share factors, actors and places
(one IRI for one thing), so a file is not a source. Narrowing keeps the claims whose evidence
targets the source, the source's description, and everything those reach by following IRIs
(evidence, factors, actors, places, broader factors, exact matches, the source's author and
publisher), without stepping into other sources' claims or descriptions. Files that hold no claim
and no source (the ontology, its shapes and themes) are kept whole.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .catalog import short_name
from .engine import select
from .errors import UnknownNameError
from .loading import Corpus
from .names import resolve
from .vocab import ID

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["narrow_projection", "narrow_to_source", "resolve_source", "source_names"]

_SOURCES = """
SELECT ?s ?title WHERE { ?s a dcterms:BibliographicResource . OPTIONAL { ?s dcterms:title ?title } }
ORDER BY ?s"""


def source_names(corpus: Corpus) -> dict[str, list[str]]:
    """Every loaded source with the names it may be called by: its id, its title, its IRI."""
    names: dict[str, list[str]] = {}
    for row in select(corpus.store, _SOURCES):
        entry = names.setdefault(row["s"], [short_name(row["s"])])
        if row["title"] and row["title"] not in entry:
            entry.append(row["title"])
    return names


def resolve_source(corpus: Corpus, name: str) -> str:
    """The IRI of the source called ``name`` (its id, title or IRI; case and accents ignored).

    >>> from cocagraph.loading import load
    >>> resolve_source(load(), "psg-peru-coca")
    'https://w3id.org/cocagraph/id/source/psg-peru-coca'
    """
    names = source_names(corpus)
    try:
        return resolve(name, names, "source")
    except UnknownNameError as exc:
        if exc.suggestions:
            raise
        # Nothing close: list what there is (a corpus holds a handful of sources).
        raise UnknownNameError("source", name, sorted(short_name(iri) for iri in names)) from exc


def narrow_to_source(corpus: Corpus, name: str) -> Corpus:
    """A corpus holding one source's claims, their evidence and what they use; vocabulary whole.

    The store is new; ``files`` lists the files that contributed to it (checks that re-read
    files, such as SHACL validation, read those files whole).
    """
    source = resolve_source(corpus, name)
    store = corpus.store
    claims = {r["c"] for r in select(store, "SELECT DISTINCT ?c WHERE { ?c a cg:Claim }")}
    own = {
        r["c"]
        for r in select(
            store, "SELECT DISTINCT ?c WHERE { ?c cg:evidence/oa:hasTarget/oa:hasSource ?source }", source=source
        )
    }
    others = set(source_names(corpus)) - {source}
    excluded = (claims - own) | others
    data_graphs = _data_graphs(corpus)

    kept: list[ox.Quad] = []
    used_graphs: set[str] = set()
    seen: set[str] = set()
    queue: deque[str] = deque(sorted(own | {source}))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, None):
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            if graph not in data_graphs:
                continue  # vocabulary graphs are copied whole below
            kept.append(quad)
            used_graphs.add(graph)
            obj = quad.object
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(str(ID)) and obj.value not in excluded:
                queue.append(obj.value)

    narrowed = ox.Store()
    for loaded in corpus.files:
        if loaded.graph not in data_graphs:
            narrowed.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(loaded.graph)))
    narrowed.extend(kept)
    files = tuple(f for f in corpus.files if f.graph not in data_graphs or f.graph in used_graphs)
    return Corpus(narrowed, files)


def narrow_projection(graph: nx.MultiDiGraph, name: str) -> nx.MultiDiGraph:
    """The causal projection's edges whose evidence comes from one source, and their factors.

    For projections pulled from a remote store, where there is no corpus to narrow first.
    """
    sources: dict[str, list[str]] = {}
    for _, _, data in graph.edges(data=True):
        iri = data.get("source")
        if iri:
            entry = sources.setdefault(iri, [short_name(iri)])
            title = data.get("source_title")
            if title and title not in entry:
                entry.append(title)
    source = resolve(name, sources, "source") if sources else _no_source(name)
    narrowed = graph.__class__()
    narrowed.graph.update(graph.graph)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data.get("source") == source:
            narrowed.add_node(u, **graph.nodes[u])
            narrowed.add_node(v, **graph.nodes[v])
            narrowed.add_edge(u, v, key=key, **data)
    return narrowed


def _no_source(name: str) -> Any:
    raise UnknownNameError("source", name)


def _data_graphs(corpus: Corpus) -> set[str]:
    """The named graphs that hold a claim or a source (the rest is vocabulary)."""
    rows = select(
        corpus.store,
        """SELECT DISTINCT ?g WHERE { GRAPH ?g { { ?x a cg:Claim } UNION { ?x a dcterms:BibliographicResource } } }""",
    )
    return {r["g"] for r in rows}
