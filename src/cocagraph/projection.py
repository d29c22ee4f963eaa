"""The causal projection: factors as nodes, each causal claim as its own edge.

Built from two SELECT queries, so the same code serves the embedded store and a remote SPARQL
store (which only has to answer :data:`NODE_QUERY` and :data:`EDGE_QUERY`; see
:func:`projection_from_rows` and ``Store.projection`` in :mod:`cocagraph.store`). Every
question about causes and effects starts from here.

:func:`build_projection` is built once per loaded corpus and then reused: every command and
every question in a process gets the same graph, frozen (``nx.freeze``) so that no caller can
change what the others see; ``graph.copy()`` gives a graph to change. The rows are read as text
(:func:`cocagraph.engine.plain_rows` with ``as_text``; see benchmarks/bench_analysis.py).

Node attributes (key: the factor's IRI)
    label (str), alt_labels (tuple[str, ...]), kind ("factor" or "policy"),
    themes (tuple of theme ids), places (tuple of place labels), actors (tuple of actor labels)
Edge attributes (key: the claim's IRI; several claims between two factors stay several edges)
    claim (IRI), label, polarity (+1 or -1), sign ("+" or "-"), certainty ("asserted" or
    "hedged"), hedge (str or None), explicitness ("stated" or "inferred"),
    quotes (tuple of verbatim quotes, in text order), quote (the first), source (IRI),
    source_title (str or None), themes (tuple of theme ids), mechanism (the claims of the chain
    that spells this summary claim out, from its cg:Elaboration relations; () for most claims)
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .catalog import short_name
from .engine import select
from .vocab import CG

if TYPE_CHECKING:
    import networkx as nx

    from .loading import Corpus

__all__ = ["EDGE_QUERY", "NODE_QUERY", "build_projection", "projection_from_rows"]

#: One row per factor and name; the builder folds the rows.
NODE_QUERY = """
SELECT ?factor ?label ?alt ?policy ?theme ?place ?actor WHERE {
  ?factor a cg:Factor .
  OPTIONAL { ?factor skos:prefLabel ?label }
  OPTIONAL { ?factor skos:altLabel|skos:hiddenLabel ?alt }
  OPTIONAL { ?factor a cg:PolicyOption . BIND(true AS ?policy) }
  OPTIONAL { ?factor cg:theme ?theme }
  OPTIONAL { ?factor cg:place/skos:prefLabel ?place }
  OPTIONAL { ?factor cg:actor/skos:prefLabel ?actor }
}"""

#: One row per causal claim and evidence quote.
EDGE_QUERY = """
SELECT ?claim ?cause ?effect ?polarity ?label ?certainty ?hedge ?explicitness ?quote ?start
       ?source ?title ?theme ?mechanism WHERE {
  ?claim a cg:CausalClaim ; cg:cause ?cause ; cg:effect ?effect ; cg:polarity ?polarity .
  OPTIONAL { ?elaboration a cg:Elaboration ; cg:conclusion ?claim ; cg:premise ?mechanism }
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim cg:certainty ?certainty }
  OPTIONAL { ?claim cg:hedge ?hedge }
  OPTIONAL { ?claim cg:explicitness ?explicitness }
  OPTIONAL { ?claim cg:theme ?theme }
  OPTIONAL {
    ?claim cg:evidence/oa:hasTarget ?target .
    ?target oa:hasSource ?source ; oa:hasSelector ?qs .
    ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
    OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start }
    OPTIONAL { ?source dcterms:title ?title }
  }
}"""


#: One projection per loaded corpus, dropped with the corpus.
_BUILT: weakref.WeakKeyDictionary[Corpus, nx.MultiDiGraph] = weakref.WeakKeyDictionary()


def build_projection(corpus: Corpus) -> nx.MultiDiGraph:
    """The causal projection of a loaded corpus, built on the first call and reused after.

    The graph is frozen: ``graph.copy()`` gives one to change.

    >>> from cocagraph.loading import load
    >>> corpus = load()
    >>> graph = build_projection(corpus)
    >>> graph.nodes["https://w3id.org/cocagraph/id/factor/shining-path-funding"]["label"]
    "Shining Path's funding"
    >>> build_projection(corpus) is graph
    True
    """
    import networkx as nx

    graph = _BUILT.get(corpus)
    if graph is None:
        rows = select(corpus.store, NODE_QUERY, as_text=True), select(corpus.store, EDGE_QUERY, as_text=True)
        graph = nx.freeze(projection_from_rows(*rows))
        _BUILT[corpus] = graph
    return graph


def projection_from_rows(
    node_rows: Iterable[Mapping[str, Any]], edge_rows: Iterable[Mapping[str, Any]]
) -> nx.MultiDiGraph:
    """Fold the rows of NODE_QUERY and EDGE_QUERY (values as plain strings) into the graph.

    Rows may come from any SPARQL engine; the result is the same for the same data.
    """
    import functools

    import networkx as nx

    # Vocabulary terms and theme IRIs repeat on every row: shorten each once.
    short = functools.lru_cache(maxsize=4096)(short_name)
    decreases = CG.Decreases
    nodes: dict[str, dict[str, Any]] = {}
    for row in node_rows:
        node = nodes.setdefault(
            row["factor"],
            {"label": None, "alt": set(), "policy": False, "themes": set(), "places": set(), "actors": set()},
        )
        if row.get("label") and not node["label"]:
            node["label"] = row["label"]
        if row.get("alt"):
            node["alt"].add(row["alt"])
        if row.get("policy") in (True, "true", "1"):
            node["policy"] = True
        for key, column in (("themes", "theme"), ("places", "place"), ("actors", "actor")):
            if row.get(column):
                node[key].add(short(row[column]) if key == "themes" else row[column])

    edges: dict[str, dict[str, Any]] = {}
    for row in edge_rows:
        edge = edges.get(row["claim"])
        if edge is None:
            edge = edges[row["claim"]] = {
                "cause": row["cause"],
                "effect": row["effect"],
                "polarity": row["polarity"],
                "label": row.get("label"),
                "certainty": row.get("certainty"),
                "hedge": row.get("hedge"),
                "explicitness": row.get("explicitness"),
                "quotes": {},
                "source": row.get("source"),
                "title": row.get("title"),
                "themes": set(),
                "mechanism": set(),
            }
        if row.get("quote"):
            start = row.get("start")
            edge["quotes"].setdefault(row["quote"], int(start) if start is not None else 1 << 62)
        if row.get("theme"):
            edge["themes"].add(short(row["theme"]))
        if row.get("mechanism"):
            edge["mechanism"].add(row["mechanism"])

    graph = nx.MultiDiGraph()
    for iri in sorted(nodes):
        node = nodes[iri]
        graph.add_node(
            iri,
            label=node["label"] or short_name(iri),
            alt_labels=tuple(sorted(node["alt"])),
            kind="policy" if node["policy"] else "factor",
            themes=tuple(sorted(node["themes"])),
            places=tuple(sorted(node["places"])),
            actors=tuple(sorted(node["actors"])),
        )
    for claim in sorted(edges):
        edge = edges[claim]
        for end in (edge["cause"], edge["effect"]):
            if end not in graph:  # a factor used but not typed: keep it, named by its IRI
                graph.add_node(
                    end, label=short_name(end), alt_labels=(), kind="factor", themes=(), places=(), actors=()
                )
        polarity = -1 if edge["polarity"] == decreases else 1
        quotes = tuple(q for q, _ in sorted(edge["quotes"].items(), key=lambda kv: (kv[1], kv[0])))
        graph.add_edge(
            edge["cause"],
            edge["effect"],
            key=claim,
            claim=claim,
            label=edge["label"] or short_name(claim),
            polarity=polarity,
            sign="+" if polarity > 0 else "-",
            certainty=short(edge["certainty"]) if edge["certainty"] else "asserted",
            hedge=edge["hedge"],
            explicitness=short(edge["explicitness"]) if edge["explicitness"] else "stated",
            quotes=quotes,
            quote=quotes[0] if quotes else None,
            source=edge["source"],
            source_title=edge["title"],
            themes=tuple(sorted(edge["themes"])),
            mechanism=tuple(sorted(edge["mechanism"])),
        )
    return graph
