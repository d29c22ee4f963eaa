"""`cocagraph leverage`: competency question 10 on the article, counts checked against networkx's
own enumeration of simple paths, the betweenness share, defaults and bounds."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocagraph.analysis.channels import one_channel
from cocagraph.analysis.leverage import leverage
from cocagraph.errors import UsageError
from cocagraph.projection import build_projection
from test_analysis_support import complete_edges, signed_graph, write_turtle

HARMS = [
    "political violence",
    "drug-related violence",
    "urban violence in Trujillo",
    "urban violence in Chimbote",
    "integrity of Peru's political system",
    "integrity of Peru's judicial system",
    "drug interests' influence over the justice system and police",
    "members of Congress in the pay of narco interests",
    "presidential pardons",
]


def test_cq10_cocaine_production_is_the_strongest_lever(run_cli, corpus):
    """Which factor is on most causal paths between production and the harms the article lists?"""
    args = ["leverage", "--from", "coca production"]
    for harm in HARMS:
        args += ["--to", harm]
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result.err
    answer = json.loads(result.out)
    assert answer["from"] == ["coca production in Peru"] and len(answer["to"]) == len(HARMS)
    top = answer["levers"][0]
    assert top["factor"] == "cocaine production in Peru"
    assert top["paths"] > answer["levers"][1]["paths"] and top["betweenness"] == max(
        lever["betweenness"] for lever in answer["levers"]
    )
    # The counts are networkx's: every simple path from the source to each harm, through the factor.
    graph = build_projection(corpus)
    labels = {d["label"]: n for n, d in graph.nodes(data=True)}
    source = labels["coca production in Peru"]
    targets = [labels[t] for t in answer["to"]]
    simple = nx.DiGraph(one_channel(graph))  # a summary and its mechanism are one chain (issue 13)
    chains = [p for t in targets for p in nx.all_simple_paths(simple, source, t, cutoff=6)]
    assert answer["paths"] == len(chains)
    for lever in answer["levers"]:
        node = labels[lever["factor"]]
        assert lever["paths"] == sum(1 for p in chains if node in p[1:-1])
        assert lever["share"] == pytest.approx(lever["paths"] / len(chains))
    assert answer["truncated"] is False


def test_default_question_runs_from_first_causes_to_final_outcomes(run_cli):
    result = run_cli("leverage", "--format", "json")
    answer = json.loads(result.out)
    assert "coca production in Peru" in answer["from"] and "political violence in Peru" in answer["to"]
    assert "cocaine production in Peru" not in answer["from"] + answer["to"]
    assert answer["levers"][0]["factor"] == "cocaine production in Peru"
    # regulation → wedge → sales → cocaine → ties → funding → holdout → political violence: 7 links.
    assert answer["truncated"] is True and "--max-length 6" in result.err
    table = run_cli("leverage", "--limit", "3")
    assert table.code == 0 and table.out.count("\n") == 2 + 1 + 2 + 3  # header, blank, table head, 3 rows


def test_share_weighted_and_betweenness_on_a_small_graph():
    # p→a→h and p→b→a→h (hedged) and p→c→h: a is on 2 of 3 chains, and on none of the shortest (p→?→h).
    graph = signed_graph(
        [("p", "a", 1), ("a", "h", 1), ("p", "b", 1, "hedged"), ("b", "a", 1), ("p", "c", 1), ("c", "h", 1)]
    )
    answer = leverage(graph, ["p"], ["h"])
    by = {lever.label: lever for lever in answer.levers}
    assert answer.paths == 3 and [lever.label for lever in answer.levers] == ["a", "c", "b"]  # c: surer chain
    assert by["a"].share == pytest.approx(2 / 3) and by["a"].weighted == pytest.approx(1.5 / 2.5)
    assert by["a"].betweenness == pytest.approx(0.5) and by["c"].betweenness == pytest.approx(0.5)
    assert by["b"].betweenness == 0.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from([1, -1])), min_size=1, max_size=18))
def test_counts_match_networkx_simple_paths(raw):
    graph = signed_graph([(f"n{u}", f"n{v}", p) for u, v, p in raw if u != v], nodes=["n0", "n5", "n6"])
    answer = leverage(graph, ["n0"], ["n5", "n6"], max_length=6, seconds=30)
    chains = [p for t in ("n5", "n6") for p in nx.all_simple_paths(nx.DiGraph(graph), "n0", t, cutoff=6)]
    assert answer.paths == len(chains)
    counted = {lever.factor: lever.paths for lever in answer.levers}
    expected = {}
    for chain in chains:
        for node in chain[1:-1]:
            expected[node] = expected.get(node, 0) + 1
    assert counted == expected


def test_bounds_and_errors(tmp_path, run_cli):
    graph = signed_graph(complete_edges(12))
    cut = leverage(graph, ["f0"], ["f1"], max_length=11, max_paths=500)
    assert cut.truncated and cut.paths == 500 and "lower bounds" in (cut.reason or "")
    with pytest.raises(UsageError):
        leverage(graph, ["f0"], ["f1"], max_length=0)
    k12 = write_turtle(tmp_path / "k12.ttl", complete_edges(12))
    result = run_cli(
        "leverage",
        "--graph",
        str(k12),
        "--from",
        "f0",
        "--to",
        "f1",
        "--max-length",
        "11",
        "--timeout",
        "0.3",
        "--format",
        "json",
    )
    assert result.code == 0 and json.loads(result.out)["truncated"] is True
    unknown = run_cli("leverage", "--from", "coca prod in peru")
    assert unknown.code == 2 and "coca production in Peru" in unknown.err


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), min_size=1, max_size=24),
    st.sets(st.integers(0, 7), min_size=1, max_size=3),
    st.sets(st.integers(0, 7), min_size=1, max_size=3),
)
def test_betweenness_is_networkx_subset_betweenness_per_pair(raw, sources, targets):
    graph = signed_graph([(f"n{u}", f"n{v}", 1) for u, v in raw if u != v], nodes=[f"n{i}" for i in range(8)])
    src, tgt = [f"n{i}" for i in sorted(sources)], [f"n{i}" for i in sorted(targets)]
    answer = leverage(graph, src, tgt, seconds=30)
    simple = nx.DiGraph(graph)
    expected = nx.betweenness_centrality_subset(simple, src, tgt, normalized=False)
    pairs = sum(1 for s in src for t in tgt if s != t and nx.has_path(simple, s, t))
    for lever in answer.levers:
        assert lever.betweenness == pytest.approx(expected[lever.factor] / pairs if pairs else 0.0)
