"""`cocagraph drivers` and `effects`: competency questions 1, 3, 4 and 7 on the article, and the
net sign at each distance on small graphs."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocagraph.analysis.neighbours import drivers, effects
from cocagraph.errors import UsageError
from cocagraph.projection import build_projection
from test_analysis_support import complete_edges, signed_graph, write_turtle

CLAIM = "https://w3id.org/cocagraph/id/claim/"


def ask(run_cli, verb: str, *args: str) -> dict:
    result = run_cli(verb, *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def rows_at(answer: dict, direction: str, distance: int) -> dict[str, dict]:
    return {row["factor"]: row for row in answer[direction] if row["distance"] == distance}


def test_cq1_what_cocaine_production_drives_with_polarity_and_evidence(run_cli, corpus):
    """Which factors does cocaine production in Peru drive, with what polarity, on what evidence?"""
    answer = ask(run_cli, "effects", "cocaine production in Peru", "--depth", "1")
    direct = rows_at(answer, "effects", 1)
    graph = build_projection(corpus)
    cause = "https://w3id.org/cocagraph/id/factor/cocaine-production-peru"
    expected = {graph.nodes[v]["label"]: d for _, v, d in graph.out_edges(cause, data=True)}
    assert (
        set(direct)
        == set(expected)
        == {
            "drug-related violence in Peru",
            "drug money in Peruvian politics",
            "drug interests' influence over the justice system and police",
            "political violence in Peru",
            "Shining Path's ties to drug producers in the VRAEM",
            "cocaine transhipment through Trujillo",
            "cocaine transhipment through Chimbote",
        }
    )
    for label, row in direct.items():
        assert row["sign"] == expected[label]["sign"] == "+"
        (step,) = row["steps"]
        assert step["claim"] == expected[label]["claim"] and step["quote"] == expected[label]["quote"]
    violence = direct["drug-related violence in Peru"]["steps"][0]["quote"]
    assert "The increase in drug-related violence." in violence or "major source of concern" in violence


def test_cq3_trujillo_and_chimbote_are_hotspots_through_transhipment(run_cli):
    """Which towns are hotspots of drug-related urban violence, and what puts them there?"""
    answer = ask(run_cli, "effects", "cocaine production in Peru", "--depth", "2")
    second = rows_at(answer, "effects", 2)
    for town in ("Trujillo", "Chimbote"):
        row = second[f"urban violence in {town}"]
        assert row["sign"] == "+"
        assert row["via"] == [
            "cocaine production in Peru",
            f"cocaine transhipment through {town}",
            f"urban violence in {town}",
        ]
        assert "through which cocaine is transhipped northwards" in row["steps"][1]["quote"]
    hotspots = [r["factor"] for r in answer["effects"] if r["factor"].startswith("urban violence in")]
    assert sorted(hotspots) == ["urban violence in Chimbote", "urban violence in Trujillo"]
    trujillo = ask(run_cli, "drivers", "urban violence in Trujillo", "--depth", "3")
    near = [(r["distance"], r["factor"]) for r in trujillo["drivers"]]
    assert near[:2] == [(1, "cocaine transhipment through Trujillo"), (2, "cocaine production in Peru")]
    assert {(3, "coca production in Peru"), (3, "pressure on cocaine production in Colombia")} <= set(near)


def test_cq4_how_drug_money_reaches_politics_and_justice(run_cli):
    """How does drug money reach politics and the justice system, and which actors are named?"""
    money = ask(run_cli, "effects", "drug money in Peruvian politics", "--depth", "1")
    direct = rows_at(money, "effects", 1)
    assert set(direct) == {
        "members of Congress in the pay of narco interests",
        "presidential pardons for convicted drug traffickers",
        "integrity of Peru's political system",
    }
    assert direct["integrity of Peru's political system"]["sign"] == "-"
    pardons = direct["presidential pardons for convicted drug traffickers"]["steps"][0]
    assert pardons["certainty"] == "hedged"  # "appear to have been handed out"
    sources = rows_at(ask(run_cli, "drivers", "drug money in politics", "--depth", "1"), "drivers", 1)
    assert set(sources) == {"drug traffickers' wealth", "cocaine production in Peru"}
    assert "use their wealth to buy politicians" in sources["drug traffickers' wealth"]["steps"][0]["quote"]
    justice = ask(run_cli, "effects", "cocaine production in Peru", "--depth", "3")
    integrity = [r for r in justice["effects"] if r["factor"] == "integrity of Peru's judicial system"]
    via = "drug interests' influence over the justice system and police"
    assert any(via in r["via"] and r["sign"] == "-" for r in integrity)
    actors = ask(run_cli, "explain", "presidential pardons for convicted drug traffickers")["facts"]["actor"]
    assert set(actors) == {"García", "García government"}
    influence = ask(run_cli, "explain", "drug influence in the police")["facts"]["actor"]
    assert set(influence) == {"drug traffickers", "Peruvian justice system", "Peruvian police"}


def test_cq7_why_production_moved_from_colombia(run_cli):
    """Why did cocaine production move from Colombia to Peru and Bolivia?"""
    for country in ("Peru", "Bolivia"):
        direct = rows_at(ask(run_cli, "drivers", f"cocaine production in {country}", "--depth", "1"), "drivers", 1)
        pressure = direct["pressure on cocaine production in Colombia"]
        assert pressure["sign"] == "+"
        assert "pushed cocaine producers southwards into Peru and Bolivia" in pressure["steps"][0]["quote"]
        controls = direct[f"effectiveness of government drug controls in {country}"]
        assert controls["sign"] == "-"  # weaker controls, more production
        assert "where government controls are less effective" in controls["steps"][0]["quote"]
    colombia = rows_at(
        ask(run_cli, "effects", "pressure on cocaine production in Colombia", "--depth", "1"), "effects", 1
    )
    assert colombia["cocaine production in Colombia"]["sign"] == "-"


def test_table_and_csv(run_cli):
    table = run_cli("drivers", "political violence", "--depth", "2")
    assert table.code == 0 and table.out.startswith("Drivers of “political violence in Peru” within 2 link(s)")
    assert "pressure on cocaine production in Colombia" in table.out
    csv = run_cli("effects", "coca production", "--format", "csv")
    assert csv.out.splitlines()[0] == "distance,sign,increasing,decreasing,confidence,factor,kind,via,claims,quotes"


def test_net_sign_at_each_distance():
    # a raises b; b lowers c; a lowers c directly; a raises d, d raises c: at distance 2, c is ±.
    graph = signed_graph([("a", "b", 1), ("b", "c", -1), ("a", "c", -1), ("a", "d", 1), ("d", "c", 1)])
    answer = effects(graph, "a", depth=2)
    assert [(i.label, i.distance, i.sign, i.increasing, i.decreasing) for i in answer.influences] == [
        ("b", 1, "+", 1, 0),
        ("c", 1, "-", 0, 1),
        ("d", 1, "+", 1, 0),
        ("c", 2, "±", 1, 1),
    ]
    back = drivers(graph, "c", depth=2)
    assert [(i.label, i.distance, i.sign) for i in back.influences] == [
        ("a", 1, "-"),
        ("b", 1, "-"),
        ("d", 1, "+"),
        ("a", 2, "±"),
    ]
    best = next(i for i in back.influences if i.distance == 2)
    assert best.best.nodes[0] == "a" and best.best.nodes[-1] == "c"  # chains run cause to effect


def test_cycles_do_not_repeat_a_factor_in_a_chain():
    graph = signed_graph([("a", "b", 1), ("b", "a", -1)])
    answer = effects(graph, "a", depth=5)
    assert [(i.label, i.distance) for i in answer.influences] == [("b", 1)]


def test_bounds(tmp_path, run_cli):
    graph = signed_graph(complete_edges(12))
    cut = effects(graph, "f0", depth=11, max_chains=1000)
    assert cut.truncated and "1,000 chains" in (cut.reason or "")
    assert effects(graph, "f0", depth=11, seconds=0.05).truncated
    with pytest.raises(UsageError):
        drivers(graph, "f0", depth=0)
    k12 = write_turtle(tmp_path / "k12.ttl", complete_edges(12))
    result = run_cli("effects", "f0", "--graph", str(k12), "--depth", "11", "--timeout", "0.5", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["truncated"] is True and "cut" in result.err
    full = run_cli("drivers", "f0", "--graph", str(k12), "--depth", "2", "--format", "json")
    answer = json.loads(full.out)
    assert answer["truncated"] is False and len(answer["drivers"]) == 11 * 2


def test_unknown_node(run_cli):
    result = run_cli("drivers", "politcal violence")
    assert result.code == 2 and "did you mean" in result.err and "political violence in Peru" in result.err


# --- properties: the counts and signs at each distance are those of every simple chain ----------------

signed_edges = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from([1, -1])), min_size=1, max_size=16
).map(lambda es: [(f"n{u}", f"n{v}", p) for u, v, p in es if u != v])


@settings(max_examples=100, deadline=None)
@given(edges=signed_edges, depth=st.integers(1, 4))
def test_effects_count_every_simple_chain_by_sign_and_length(edges, depth):
    graph = signed_graph(edges, nodes=["n0"])
    expected: dict[tuple[str, int], list[int]] = {}
    for target in graph:
        if target == "n0":
            continue
        for chain in nx.all_simple_edge_paths(graph, "n0", target, cutoff=depth):
            sign = math.prod(graph.edges[e]["polarity"] for e in chain)
            counts = expected.setdefault((target, len(chain)), [0, 0])
            counts[0 if sign > 0 else 1] += 1
    answer = effects(graph, "n0", depth=depth, seconds=30)
    got = {(i.factor, i.distance): [i.increasing, i.decreasing] for i in answer.influences}
    assert got == expected and not answer.truncated
    for i in answer.influences:
        assert i.sign == ("±" if i.increasing and i.decreasing else "+" if i.increasing else "-")
        assert i.best.nodes[0] == "n0" and i.best.nodes[-1] == i.factor and i.best.length == i.distance
