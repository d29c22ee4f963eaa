"""Small graphs for the analysis tests: signed projections built by hand, and the same written
as Turtle for the command line. (No tests here; the other test_analysis_* modules import it.)"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import networkx as nx

FACTOR = "https://w3id.org/cocagraph/id/factor/"
CLAIM = "https://w3id.org/cocagraph/id/claim/"

Edge = tuple  # (cause, effect, polarity[, certainty[, explicitness]])


def signed_graph(edges: Iterable[Edge], nodes: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A projection-shaped graph: nodes named by themselves, one claim per edge (key c<i>)."""
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node, label=node, alt_labels=(), kind="factor", themes=(), places=(), actors=())
    for i, (u, v, polarity, *rest) in enumerate(edges):
        for node in (u, v):
            if node not in graph:
                graph.add_node(node, label=node, alt_labels=(), kind="factor", themes=(), places=(), actors=())
        certainty = rest[0] if rest else "asserted"
        explicitness = rest[1] if len(rest) > 1 else "stated"
        graph.add_edge(
            u,
            v,
            key=f"c{i}",
            claim=f"c{i}",
            label=f"{u} moves {v}",
            polarity=polarity,
            sign="+" if polarity > 0 else "-",
            certainty=certainty,
            hedge=None,
            explicitness=explicitness,
            quotes=(f"quote {i}",),
            quote=f"quote {i}",
            source=None,
            source_title=None,
            themes=(),
        )
    return graph


def complete_edges(n: int) -> list[Edge]:
    """Every ordered pair of n factors f0..f{n-1}, alternating polarities."""
    return [(f"f{i}", f"f{j}", 1 if (i + j) % 2 else -1) for i in range(n) for j in range(n) if i != j]


def write_turtle(path: Path, edges: Sequence[Edge], labels: dict[str, str] | None = None) -> Path:
    """The graph as cocagraph Turtle: factors with labels, causal claims with a quote each."""
    labels = labels or {}
    lines = [
        "@prefix cg: <https://w3id.org/cocagraph/ns#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "",
    ]
    nodes = dict.fromkeys(n for e in edges for n in e[:2])
    for node in nodes:
        lines.append(f"<{FACTOR}{node}> a cg:Factor ; skos:prefLabel {json.dumps(labels.get(node, node))}@en .")
    for i, (u, v, polarity, *rest) in enumerate(edges):
        certainty = (rest[0] if rest else "asserted").capitalize()
        explicitness = (rest[1] if len(rest) > 1 else "stated").capitalize()
        claim = f"<{CLAIM}c{i}>"
        lines.append(
            f'{claim} a cg:Claim, cg:CausalClaim ; rdfs:label "{u} moves {v}"@en ; cg:cause <{FACTOR}{u}> ; '
            f"cg:effect <{FACTOR}{v}> ; cg:polarity cg:{'Increases' if polarity > 0 else 'Decreases'} ; "
            f"cg:certainty cg:{certainty} ; cg:explicitness cg:{explicitness} ; "
            f"cg:evidence [ oa:hasTarget [ oa:hasSource <https://w3id.org/cocagraph/id/source/test> ; "
            f'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "quote {i}" ] ] ] .'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def canonical_cycle(nodes: Sequence[str]) -> tuple[str, ...]:
    """A cycle's nodes rotated to start at the smallest, so that rotations compare equal."""
    i = min(range(len(nodes)), key=lambda k: nodes[k])
    return tuple(nodes[i:]) + tuple(nodes[:i])
