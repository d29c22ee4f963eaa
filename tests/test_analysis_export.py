"""`cocagraph export`: every attribute kept; GraphML and GEXF read back equal to what was written."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from cocagraph.analysis.export import export_text, flat_graph, read_back
from cocagraph.projection import build_projection
from test_analysis_support import signed_graph

HOSTILE = 'a "quoted" <b>label</b> & back\\slash\nnewline'


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_whole_graph_reads_back_equal(fmt, tmp_path, run_cli, corpus):
    out = tmp_path / f"graph.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", str(out))
    assert result.code == 0, result.err
    back = read_back(out.read_text(encoding="utf-8"), fmt)
    written = flat_graph(build_projection(corpus))
    assert nx.utils.graphs_equal(back, written)
    edge = next(d for _, _, k, d in back.edges(keys=True, data=True) if k.endswith("shining-path-funded-by-protection"))
    assert json.loads(edge["quotes"]) == ["Sendero funds itself by protecting drug interests."]
    assert edge["polarity"] == 1 and edge["weight"] == 1.0 and edge["certainty"] == "asserted"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_parallel_claims_and_hostile_text_survive(fmt):
    graph = signed_graph([("a", "b", 1), ("a", "b", -1, "hedged", "inferred")])
    graph.nodes["a"]["label"] = HOSTILE
    graph.edges["a", "b", "c1"]["hedge"] = HOSTILE
    back = read_back(export_text(graph, fmt), fmt)
    assert nx.utils.graphs_equal(back, flat_graph(graph))
    assert back.edges["a", "b", "c1"]["weight"] == 0.375 and back.nodes["a"]["label"] == HOSTILE


def test_json_is_node_link_data_with_every_attribute(run_cli):
    data = json.loads(run_cli("export", "--format", "json").out)
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.is_multigraph() and graph.is_directed()
    node = graph.nodes["https://w3id.org/cocagraph/id/factor/coca-production-peru"]
    assert node["label"] == "coca production in Peru" and "coca production" in node["alt_labels"]
    assert sum(1 for _ in graph.edges) == 41


def test_dot_escapes_and_colours():
    graph = signed_graph([("a", "b", 1), ("b", "a", -1, "hedged")])
    graph.nodes["a"]["label"] = HOSTILE
    text = export_text(graph, "dot")
    assert text.startswith("digraph cocagraph {") and text.rstrip().endswith("}")
    assert 'label="a \\"quoted\\" <b>label</b> & back\\\\slash\\nnewline"' in text
    assert 'color="#0072b2"' in text and 'style="dashed"' in text and 'key="c0"' in text  # the maps' encoding


def test_mermaid_escapes_labels():
    graph = signed_graph([("a", "b", 1), ("b", "c", -1, "hedged")])
    graph.nodes["a"]["label"] = HOSTILE
    graph.nodes["c"]["kind"] = "policy"
    text = export_text(graph, "mermaid")
    assert text.startswith("flowchart LR\n")
    assert '  n0["a #quot;quoted#quot; #lt;b#gt;label#lt;/b#gt; #amp; back\\slash newline"]' in text
    assert '  n1 -.->|"\u2212"| n2' in text and '  n0 -->|"+"| n1' in text and 'n2{{"c"}}' in text


def test_focus_and_path_subgraphs(run_cli):
    focus = json.loads(run_cli("export", "--format", "json", "--focus", "Shining Path's funding").out)
    labels = {n["label"] for n in focus["nodes"]}
    assert labels == {
        "Shining Path's funding",
        "Shining Path's ties to drug producers in the VRAEM",
        "Shining Path's ability to hold out in the VRAEM",
    }
    along = json.loads(
        run_cli("export", "--format", "json", "--from", "coca production", "--to", "political violence").out
    )
    assert {n["label"] for n in along["nodes"]} >= labels | {"political violence in Peru"}
    # one chain: the summaries (coca -> political violence, cocaine -> political violence, ties ->
    # holding out) fold into the mechanism that elaborates them, five claims
    assert len(along["edges"]) == 5


def test_bad_requests_exit_2_and_write_nothing(tmp_path, run_cli):
    out = tmp_path / "missing" / "graph.graphml"
    result = run_cli("export", "-o", str(out))
    assert result.code == 2 and not out.exists()
    assert run_cli("export", "--from", "coca production").code == 2
    assert run_cli("export", "--format", "svg").code == 2
    assert run_cli("export", "--focus", "nowhere at all").code == 2
