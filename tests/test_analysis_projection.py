"""The projection: built once per corpus, frozen, the same from the fast reader as from rows of
any SPARQL engine; and every analysis verb on a complete graph of 12 factors and through --endpoint."""

from __future__ import annotations

import json
import sys
import types

import networkx as nx
import pytest

from cocagraph.engine import select
from cocagraph.loading import load
from cocagraph.projection import EDGE_QUERY, NODE_QUERY, build_projection, projection_from_rows
from test_analysis_support import complete_edges, signed_graph, write_turtle


def test_built_once_per_corpus_and_frozen(corpus):
    graph = build_projection(corpus)
    assert build_projection(corpus) is graph
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("a", "b")
    assert graph.copy().add_edge("a", "b") is not None  # a copy can be changed


def test_fast_rows_give_the_same_graph_as_engine_rows(corpus):
    fast = build_projection(corpus)
    slow = projection_from_rows(select(corpus.store, NODE_QUERY), select(corpus.store, EDGE_QUERY))
    assert nx.utils.graphs_equal(fast, slow)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))


def test_fast_rows_keep_awkward_literals(tmp_path):
    ttl = tmp_path / "awkward.ttl"
    ttl.write_text(
        """
@prefix cg: <https://w3id.org/cocagraph/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix oa: <http://www.w3.org/ns/oa#> .
<https://w3id.org/cocagraph/id/factor/a> a cg:Factor ; skos:prefLabel "a, \\"quoted\\"\\nlabel"@en .
<https://w3id.org/cocagraph/id/factor/b> a cg:Factor .
<https://w3id.org/cocagraph/id/claim/c> a cg:CausalClaim ; cg:cause <https://w3id.org/cocagraph/id/factor/a> ;
  cg:effect <https://w3id.org/cocagraph/id/factor/b> ; cg:polarity cg:Decreases ; cg:hedge "" ;
  cg:evidence [ oa:hasTarget [ oa:hasSource <https://w3id.org/cocagraph/id/source/s> ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "second" ], [ a oa:TextPositionSelector ; oa:start 9 ] ] ],
  [ oa:hasTarget [ oa:hasSource <https://w3id.org/cocagraph/id/source/s> ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "first, line\\none" ],
                   [ a oa:TextPositionSelector ; oa:start 1 ] ] ] .
""",
        encoding="utf-8",
    )
    corpus = load([ttl])
    graph = build_projection(corpus)
    assert graph.nodes["https://w3id.org/cocagraph/id/factor/a"]["label"] == 'a, "quoted"\nlabel'
    assert graph.nodes["https://w3id.org/cocagraph/id/factor/b"]["label"] == "b"
    edge = graph.edges[
        "https://w3id.org/cocagraph/id/factor/a",
        "https://w3id.org/cocagraph/id/factor/b",
        "https://w3id.org/cocagraph/id/claim/c",
    ]
    assert edge["quotes"] == ("first, line\none", "second") and edge["polarity"] == -1
    assert edge["certainty"] == "asserted" and edge["explicitness"] == "stated"
    rows = select(corpus.store, "SELECT ?start WHERE { ?s oa:start ?start } ORDER BY ?start", as_text=True)
    assert rows == [{"start": "1"}, {"start": "9"}]


VERBS = [
    ("paths", "f0", "f5", "--max-length", "11"),
    ("drivers", "f0", "--depth", "11"),
    ("effects", "f0", "--depth", "11"),
    ("loops", "--max-length", "12", "--limit", "100000"),
    ("loops", "--through", "f0", "--max-length", "12", "--limit", "100000"),
    ("leverage", "--from", "f0", "--to", "f5", "--max-length", "11"),
]


@pytest.mark.parametrize("args", VERBS, ids=lambda a: " ".join(a[:2]))
def test_every_search_on_a_complete_graph_of_12_is_bounded_and_says_so(args, tmp_path, run_cli):
    k12 = write_turtle(tmp_path / "k12.ttl", complete_edges(12))
    result = run_cli(*args, "--graph", str(k12), "--timeout", "0.5", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["truncated"] is True
    assert result.err.startswith("cocagraph: note: the answer was cut:")


def test_explain_and_export_on_a_complete_graph_of_12(tmp_path, run_cli):
    k12 = write_turtle(tmp_path / "k12.ttl", complete_edges(12))
    explained = json.loads(run_cli("explain", "f0", "--graph", str(k12), "--format", "json").out)
    assert sum(1 for r in explained["related"] if r["role"] == "drives") == 11
    exported = run_cli("export", "--graph", str(k12), "--format", "json", "--from", "f0", "--to", "f1")
    assert exported.code == 0 and "cut" in exported.err
    assert len(json.loads(exported.out)["edges"]) >= 1


@pytest.fixture
def fake_remote(monkeypatch):
    """A stand-in for cocagraph.remote (another module's job): serves a small signed graph."""
    graph = signed_graph([("coca", "cocaine", 1), ("cocaine", "violence", 1), ("violence", "coca", -1)])
    asked = []

    class RemoteStore:  # the one store interface's remote kind, serving ``graph``
        corpus = None
        label = "the fake store"

        def __init__(self, endpoint, timeout=None, source=None):
            asked.append(endpoint)

        def projection(self):
            return graph

    monkeypatch.setitem(sys.modules, "cocagraph.remote", types.SimpleNamespace(RemoteStore=RemoteStore))
    return asked


@pytest.mark.parametrize(
    "args",
    [
        ("paths", "coca", "violence"),
        ("drivers", "violence"),
        ("effects", "coca"),
        ("loops",),
        ("leverage", "--from", "coca", "--to", "violence"),
        ("explain", "cocaine"),
        ("export", "--format", "json"),
    ],
)
def test_every_verb_takes_an_endpoint(args, fake_remote, run_cli):
    fmt = [] if args[0] == "export" else ["--format", "json"]
    result = run_cli(*args, "--endpoint", "http://127.0.0.1:9/sparql", *fmt)
    assert result.code == 0, result.err
    assert fake_remote == ["http://127.0.0.1:9/sparql"]
    assert "cocaine" in result.out
    both = run_cli(*args, "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "graphs")
    assert both.code == 2 and "not both" in both.err
