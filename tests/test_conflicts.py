"""`cocagraph conflicts`: where the contrary test source disagrees with the article, and where
it does not."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cocagraph.conflicts import COLUMNS, find_conflicts
from cocagraph.loading import load
from cocagraph.sheets import sheet_to_turtle
from helpers import DATA, ROOT


@pytest.fixture(scope="module")
def contrary_ttl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("contrary") / "contrary.ttl"
    path.write_text(
        sheet_to_turtle(DATA / "contrary.sheet.yaml", DATA / "contrary-source.txt", uses_from=[ROOT / "graphs"]),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def both(contrary_ttl):
    return load([ROOT / "ontology", ROOT / "graphs", contrary_ttl])


def by_claims(conflicts) -> dict[frozenset[str], object]:
    return {frozenset({c.first.claim.rsplit("/", 1)[1], c.second.claim.rsplit("/", 1)[1]}): c for c in conflicts}


def test_opposite_polarity_is_found_through_exact_match(both):
    found = by_claims(find_conflicts(both))
    conflict = found[frozenset({"coca-production-lowers-unrest", "coca-production-risks-political-violence"})]
    assert conflict.kind == "polarity"
    assert conflict.about == "coca production in Peru → political violence in Peru"
    sides = {c.source.rsplit("/", 1)[1]: c for c in (conflict.first, conflict.second)}
    assert sides["contrary-test-source"].says == "decreases"
    assert sides["psg-peru-coca"].says == "increases"
    assert sides["contrary-test-source"].quote == "coca production in Peru lowers unrest"
    assert "serious risks for drug-related and political violence" in sides["psg-peru-coca"].quote


def test_a_second_claim_on_the_own_factor_conflicts_too(both):
    found = by_claims(find_conflicts(both))
    # livelihoods -> unrest has no counterpart in the article: no conflict for it.
    assert not any("livelihoods-keep-growers-from-armed-groups" in pair for pair in found)


def test_different_figures_for_the_same_quantity_and_period(both):
    found = by_claims(find_conflicts(both))
    conflict = found[frozenset({"bolivia-acreage-2012-contrary", "bolivia-acreage-2012"})]
    assert conflict.kind == "figure"
    assert conflict.about == "coca acreage in Bolivia, 2012"
    assert {conflict.first.says, conflict.second.says} == {"-12 (percent-change)", "-7 (percent-change)"}


def test_different_periods_are_not_a_conflict(both):
    found = by_claims(find_conflicts(both))
    # The article's -18 % is over 2011/2012; the contrary -12 % is for 2012.
    assert frozenset({"bolivia-acreage-2012-contrary", "bolivia-acreage-two-years"}) not in found
    assert frozenset({"bolivia-acreage-2012", "bolivia-acreage-two-years"}) not in found


def test_agreement_is_not_a_conflict_and_exactly_two_are_found(both):
    conflicts = find_conflicts(both)
    assert not any("coca-production-feeds-drug-violence" in (c.first.claim + c.second.claim) for c in conflicts)
    assert len(conflicts) == 2
    assert [c.kind for c in conflicts] == ["figure", "polarity"]


def test_the_article_alone_does_not_contradict_itself(corpus):
    assert find_conflicts(corpus) == []
    assert find_conflicts(corpus, within_source=True) == []


def test_within_source_compares_claims_of_one_source(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("Rain raises rivers. Rain lowers rivers.", encoding="utf-8")
    sheet = tmp_path / "t.sheet.yaml"
    sheet.write_text(
        "source: {id: self-contradicting, title: T, author: me}\nactors: [{id: me, label: me}]\n"
        "factors: [{id: rain, label: rain}, {id: rivers, label: rivers}]\nclaims:\n"
        "  - {id: up, type: causal, label: Up, cause: rain, effect: rivers, polarity: '+', quote: Rain raises rivers}\n"
        "  - {id: down, type: causal, label: Down, cause: rain, effect: rivers, polarity: '-',"
        " quote: Rain lowers rivers}\n",
        encoding="utf-8",
    )
    graph = tmp_path / "t.ttl"
    graph.write_text(sheet_to_turtle(sheet, text), encoding="utf-8")
    corpus = load([graph])
    assert find_conflicts(corpus) == []
    within = find_conflicts(corpus, within_source=True)
    assert len(within) == 1 and within[0].about == "rain → rivers"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_conflicts_command_formats(run_cli, contrary_ttl, fmt):
    result = run_cli(
        "conflicts", "--graph", str(ROOT / "ontology"), "--graph", str(ROOT / "graphs"), "--graph", str(contrary_ttl),
        "--format", fmt,
    )  # fmt: skip
    assert result.code == 0, result.err
    if fmt == "json":
        rows = json.loads(result.out)
        assert [r["kind"] for r in rows] == ["figure", "polarity"]
        assert list(rows[0]) == list(COLUMNS)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert {r["claim_a"] for r in rows} | {r["claim_b"] for r in rows} >= {
            "coca-production-lowers-unrest", "bolivia-acreage-2012",
        }  # fmt: skip
    else:
        assert "coca production in Peru → political violence in Peru" in result.out
        assert "decreases" in result.out and "increases" in result.out


def test_conflicts_command_on_the_shipped_graph_finds_none(run_cli):
    result = run_cli("conflicts", "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []


def test_conflicts_command_writes_a_file(run_cli, contrary_ttl, tmp_path):
    target = tmp_path / "conflicts.md"
    result = run_cli(
        "conflicts", "--graph", str(ROOT / "ontology"), "--graph", str(ROOT / "graphs"), "--graph", str(contrary_ttl),
        "--format", "md", "-o", str(target),
    )  # fmt: skip
    assert result.code == 0 and result.out == ""
    assert target.read_text(encoding="utf-8").startswith("| kind | about |")
