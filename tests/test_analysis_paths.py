"""`cocagraph paths` and find_paths: competency question 2 on the article, the fixed JSON shape,
best-first order, bounds, and properties on random signed graphs."""

from __future__ import annotations

import itertools
import json
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocagraph.analysis import find_paths
from cocagraph.analysis.channels import folded_summaries
from cocagraph.errors import UnknownNameError, UsageError
from cocagraph.projection import build_projection
from test_analysis_support import complete_edges, signed_graph, write_turtle

FACTOR = "https://w3id.org/cocagraph/id/factor/"
CLAIM = "https://w3id.org/cocagraph/id/claim/"


def folded(corpus) -> set[str]:
    """The summary claims the shipped graph's Elaborations fold into their mechanisms."""
    return {key for _, _, key in folded_summaries(build_projection(corpus))}


def paths_json(run_cli, *args: str) -> dict:
    result = run_cli("paths", *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_cq2_production_reaches_political_violence_through_shining_path(run_cli, corpus):
    """Through which chains does coca production lead to political violence? Through Sendero's
    ties to the VRAEM's drug producers and its funding, as the article's last bullet says."""
    answer = paths_json(run_cli, "coca production", "political violence")
    assert answer["from"] == "coca production in Peru" and answer["to"] == "political violence in Peru"
    assert answer["truncated"] is False
    chains = [p["nodes"] for p in answer["paths"]]
    sendero = [
        "coca production in Peru",
        "cocaine production in Peru",
        "Shining Path's ties to drug producers in the VRAEM",
        "Shining Path's funding",
        "Shining Path's ability to hold out in the VRAEM",
        "political violence in Peru",
    ]
    assert sendero in chains
    path = answer["paths"][chains.index(sendero)]
    assert path["sign"] == "+"
    claims = [s["claim"].rsplit("/", 1)[1] for s in path["steps"]]
    assert claims == [
        "coca-feeds-cocaine-production",
        "production-feeds-shining-path-ties",
        "shining-path-funded-by-protection",
        "funding-sustains-shining-path",
        "shining-path-holdout-political-violence",
    ]
    by_claim = {c: s for c, s in zip(claims, path["steps"], strict=True)}
    funded = by_claim["shining-path-funded-by-protection"]
    assert funded["quote"] == "Sendero funds itself by protecting drug interests."
    assert "owes much to its ties to drug producers" not in by_claim["funding-sustains-shining-path"]["quote"]
    assert all(s["quote"] and s["polarity"] == "+" and s["certainty"] == "asserted" for s in path["steps"])
    # Four inferred links of weight 0.75 and one stated: 0.75 ** 4.
    assert path["confidence"] == pytest.approx(0.75**4)
    # The direct risk the article states first comes first: surest, then shortest; unless an
    # Elaboration says a chain spells it out, and then that chain is its one channel (issue 13).
    direct = ["coca production in Peru", "political violence in Peru"]
    if CLAIM + "coca-production-risks-political-violence" in folded(corpus):
        assert direct not in chains
    else:
        assert chains[0] == direct
    confidences = [p["confidence"] for p in answer["paths"]]
    assert confidences == sorted(confidences, reverse=True)


def test_paths_json_shape_is_exactly_the_issues(run_cli):
    # Issue 15 added the path number, and each step's hedge, explicitness and every quote.
    answer = paths_json(run_cli, "cocaine production in Peru", "urban violence in Trujillo")
    assert list(answer) == ["from", "to", "paths", "truncated"]
    for number, path in enumerate(answer["paths"], 1):
        assert list(path) == ["path", "nodes", "sign", "confidence", "steps", "spells_out"] and path["path"] == number
        assert path["sign"] in ("+", "-") and isinstance(path["confidence"], float)
        for step in path["steps"]:
            assert list(step) == [
                "from", "to", "polarity", "certainty", "hedge", "explicitness", "claim", "quote", "quotes",
            ]  # fmt: skip
            assert step["claim"].startswith(CLAIM) and step["quote"] in step["quotes"]
            assert step["explicitness"] in ("stated", "inferred")


def test_paths_quotes_stand_in_the_article(run_cli, article_text):
    answer = paths_json(run_cli, "coca production", "political violence")
    quotes = {s["quote"] for p in answer["paths"] for s in p["steps"]}
    assert quotes and all(q in article_text for q in quotes)


def test_paths_table_prints_every_steps_quote_in_full(run_cli, corpus):
    result = run_cli("paths", "coca production", "political violence")
    assert result.code == 0, result.err
    graph = build_projection(corpus)
    for claim in (
        "production-feeds-shining-path-ties",
        "shining-path-funded-by-protection",
        "funding-sustains-shining-path",
        "shining-path-holdout-political-violence",
    ):
        _, _, data = next(e for e in graph.edges(data=True) if e[2]["claim"] == CLAIM + claim)
        assert all(f"“{q}”" in result.out for q in data["quotes"])
        assert f"claim {claim}" in result.out


def test_paths_csv_and_md_have_one_row_per_step(run_cli):
    csv = run_cli("paths", "coca production", "political violence", "--format", "csv")
    assert csv.code == 0
    lines = csv.out.strip().splitlines()
    assert lines[0].startswith("path,sign,confidence,step,from,to,polarity")
    # one chain of five links: the summaries fold into the mechanism that elaborates them
    assert len(lines) - 1 == 5
    md = run_cli("paths", "coca production", "political violence", "--format", "md")
    assert md.out.startswith("| path | sign |") and "Sendero funds itself" in md.out


def test_negative_chain_has_negative_sign(run_cli):
    """Colombian pressure cuts Colombian production: one decreasing link gives a '-' path."""
    answer = paths_json(run_cli, "aerial spraying", "cocaine production in Colombia")
    assert [p["sign"] for p in answer["paths"]] == ["-"]
    regulation = paths_json(run_cli, "regulation of coca production", "cocaine production in Peru")
    # regulation + wedge, wedge - sales, sales + production: regulation lowers production.
    assert regulation["paths"] and all(p["sign"] == "-" for p in regulation["paths"])


def test_unknown_and_ambiguous_names_exit_2_with_suggestions(run_cli):
    unknown = run_cli("paths", "coca prodution", "political violence")
    assert unknown.code == 2
    assert "no factor named 'coca prodution'" in unknown.err and "coca production in Peru" in unknown.err
    ambiguous = run_cli("paths", "garcia", "political violence")
    assert ambiguous.code == 2 and "ambiguous" in ambiguous.err
    assert "García's obstruction of the mega-commission" in ambiguous.err
    same = run_cli("paths", "coca production", "coca production in Peru")
    assert same.code == 2 and "loops --through" in same.err


def test_limit_cut_is_flagged_and_explained(run_cli):
    # judicial corruption erodes the judiciary's integrity directly and through drug interests' influence
    result = run_cli("paths", "judicial corruption", "judicial integrity", "--limit", "1", "--format", "json")
    answer = json.loads(result.out)
    assert len(answer["paths"]) == 1 and answer["truncated"] is True
    assert "stopped at --limit 1: more paths exist" in result.err
    exact = run_cli("paths", "judicial corruption", "judicial integrity", "--limit", "2", "--format", "json")
    assert json.loads(exact.out)["truncated"] is False and exact.err == ""


def test_max_length_cut_is_flagged(run_cli):
    result = run_cli("paths", "judicial corruption", "judicial integrity", "--max-length", "1", "--format", "json")
    answer = json.loads(result.out)
    assert [len(p["steps"]) for p in answer["paths"]] == [1]
    assert answer["truncated"] is True and "longer than --max-length 1" in result.err


def test_no_path_is_an_empty_answer_not_an_error(run_cli):
    answer = paths_json(run_cli, "political violence", "coca production")
    assert answer["paths"] == [] and answer["truncated"] is False


def test_complete_graph_of_12_is_cut_with_a_reason(tmp_path, run_cli):
    graph_file = write_turtle(tmp_path / "k12.ttl", complete_edges(12))
    result = run_cli("paths", "f0", "f1", "--graph", str(graph_file), "--max-length", "11", "--format", "json")
    assert result.code == 0, result.err
    answer = json.loads(result.out)
    assert answer["truncated"] is True and len(answer["paths"]) == 10
    assert answer["paths"][0]["nodes"] == ["f0", "f1"]  # the one-link path is the surest and shortest
    assert "--limit 10" in result.err


def test_timeout_cuts_the_search():
    graph = signed_graph(complete_edges(12))
    answer = find_paths(graph, "f0", "f1", max_length=11, limit=10**6, seconds=0.05)
    assert answer.truncated and "--timeout" in (answer.reason or "")


def test_api_errors():
    graph = signed_graph([("a", "b", 1)])
    with pytest.raises(UnknownNameError):
        find_paths(graph, "a", "zzz")
    with pytest.raises(UsageError):
        find_paths(graph, "a", "b", max_length=0)


def test_parallel_claims_make_separate_paths():
    graph = signed_graph([("a", "b", 1), ("a", "b", -1, "hedged"), ("b", "c", 1)])
    answer = find_paths(graph, "a", "c")
    assert [(p.sign_text, p.confidence, [s.claim for s in p.steps]) for p in answer.paths] == [
        ("+", 1.0, ["c0", "c2"]),
        ("-", 0.5, ["c1", "c2"]),
    ]


# --- properties on random signed graphs ---------------------------------------------------------------

WEIGHTS = {
    ("asserted", "stated"): 1.0,
    ("asserted", "inferred"): 0.75,
    ("hedged", "stated"): 0.5,
    ("hedged", "inferred"): 0.375,
}

edge_lists = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.integers(0, 6),
        st.sampled_from([1, -1]),
        st.sampled_from(["asserted", "hedged"]),
        st.sampled_from(["stated", "inferred"]),
    ),
    min_size=1,
    max_size=22,
).map(lambda es: [(f"n{u}", f"n{v}", p, c, x) for u, v, p, c, x in es if u != v])


@settings(max_examples=120, deadline=None)
@given(edges=edge_lists, max_length=st.integers(1, 5))
def test_paths_are_every_simple_path_with_product_sign_and_confidence(edges, max_length):
    graph = signed_graph(edges, nodes=["n0", "n1"])
    answer = find_paths(graph, "n0", "n1", max_length=max_length, limit=10**6, seconds=30)
    expected = {tuple(k for _, _, k in p) for p in nx.all_simple_edge_paths(graph, "n0", "n1", cutoff=max_length)}
    got = [tuple(s.claim for s in p.steps) for p in answer.paths]
    assert sorted(got) == sorted(expected) and len(got) == len(set(got))
    for path in answer.paths:
        data = [graph.edges[s.source, s.target, s.claim] for s in path.steps]
        assert path.sign == math.prod(d["polarity"] for d in data)
        assert path.confidence == pytest.approx(math.prod(WEIGHTS[d["certainty"], d["explicitness"]] for d in data))
        assert len(set(path.nodes)) == len(path.nodes) and path.nodes[0] == "n0" and path.nodes[-1] == "n1"
    ranks = [(-p.confidence, p.length) for p in answer.paths]
    assert all(a[0] <= b[0] + 1e-9 for a, b in itertools.pairwise(ranks))
    # Never complete when it is not: a longer path is always flagged (the flag may be cautious, since
    # "may exist" is judged from distances, not from a search of the longer paths themselves).
    if any(len(p) > max_length for p in nx.all_simple_edge_paths(graph, "n0", "n1")):
        assert answer.truncated and "--max-length" in (answer.reason or "")


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists, limit=st.integers(1, 4))
def test_a_limited_answer_is_the_best_of_the_full_one(edges, limit):
    graph = signed_graph(edges, nodes=["n0", "n1"])
    full = find_paths(graph, "n0", "n1", max_length=6, limit=10**6, seconds=30)
    cut = find_paths(graph, "n0", "n1", max_length=6, limit=limit, seconds=30)
    assert [(p.confidence, p.length) for p in cut.paths] == [(p.confidence, p.length) for p in full.paths[:limit]]
    assert cut.truncated == (len(full.paths) > limit or full.truncated)
    assert ("more paths exist" in (cut.reason or "")) == (len(full.paths) > limit)


def test_a_folded_summary_stands_under_the_path_that_spells_it_out():
    """One channel in the search, but the summary is not lost: it is listed under its mechanism."""
    from cocagraph.reports import paths as report

    g = nx.MultiDiGraph()
    for node in ("x", "m", "e"):
        g.add_node(node, label=node.upper())
    g.add_edge("x", "e", key="summary", label="X raises E", quote="X raises E.", mechanism=("m1", "m2"), polarity=1)
    g.add_edge("x", "m", key="m1", label="X raises M", quote="X raises M", polarity=1)
    g.add_edge("m", "e", key="m2", label="M raises E", quote="M raises E", polarity=1)
    answer = find_paths(g, "x", "e")
    assert [p.labels for p in answer.paths] == [("X", "M", "E")]
    assert [[s.claim for s in folded] for folded in answer.spelled_out] == [["summary"]]
    assert "spells out “X raises E” (claim summary): “X raises E.”" in report.text(answer)
    assert report.data(answer)["paths"][0]["spells_out"][0]["claim"] == "summary"
    # A summary whose mechanism holds a summary: spelled out once the inner one is.
    g.add_node("y", label="Y")
    g.add_edge("y", "x", key="y1", label="Y raises X", polarity=1)
    g.add_edge("y", "e", key="outer", label="Y raises E", mechanism=("y1", "summary"), polarity=1)
    answer = find_paths(g, "y", "e")
    assert [p.labels for p in answer.paths] == [("Y", "X", "M", "E")]
    assert [[s.claim for s in folded] for folded in answer.spelled_out] == [["summary", "outer"]]
