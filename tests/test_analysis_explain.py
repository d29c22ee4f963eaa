"""`cocagraph explain`: everything the graph says about a claim or a factor, with quotes."""

from __future__ import annotations

import json

import pytest

from cocagraph.analysis.explain import explain
from cocagraph.errors import UnknownNameError
from cocagraph.projection import build_projection

CLAIM = "https://w3id.org/cocagraph/id/claim/"


def explain_json(run_cli, *args: str) -> dict:
    result = run_cli("explain", *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_explain_a_causal_claim_with_its_quote_and_offsets(run_cli, article_text):
    answer = explain_json(run_cli, "shining-path-funded-by-protection")
    assert answer["kind"] == "claim" and answer["iri"] == CLAIM + "shining-path-funded-by-protection"
    facts = answer["facts"]
    assert facts["cause"] == ["Shining Path's ties to drug producers in the VRAEM"]
    assert facts["effect"] == ["Shining Path's funding"] and facts["polarity"] == ["increases"]
    assert facts["certainty"] == ["asserted"] and facts["explicitness"] == ["stated"]
    assert facts["asserted by"] == ["the article's author (Peru Support Group)"]
    (evidence,) = answer["evidence"]
    assert evidence["quote"] == "Sendero funds itself by protecting drug interests."
    assert article_text[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_explain_an_inferred_hedged_claim_keeps_hedge_and_reason(run_cli):
    facts = explain_json(run_cli, "drug-money-buys-pardons")["facts"]
    assert facts["certainty"] == ["hedged"] and facts["hedge"] == ["appear to"]
    assert facts["explicitness"] == ["inferred"] and facts["inference reason"]


def test_explain_a_claim_shows_the_claims_that_qualify_it(run_cli):
    answer = explain_json(run_cli, "peru-acreage-2012")
    roles = {(r["role"], r["claim"].rsplit("/", 1)[1]) for r in answer["related"]}
    assert ("qualifies it", "acreage-caveat-trends") in roles
    assert answer["facts"]["value"] == ["-3.4"] and answer["facts"]["measured by"] == ["UN Office on Drugs and Crime"]


def test_explain_a_factor_drivers_effects_and_claims_about_it(run_cli):
    answer = explain_json(run_cli, "urban violence in trujillo")
    assert answer["kind"] == "factor" and answer["facts"]["place"] == ["Trujillo"]
    assert answer["facts"]["broader"] == ["drug-related violence in Peru"]
    roles = {r["role"]: r for r in answer["related"]}
    assert roles["driven by"]["summary"] == "cocaine transhipment through Trujillo → urban violence in Trujillo (+)"
    assert roles["about it"]["claim"] == CLAIM + "trujillo-chimbote-hotspots"
    assert all(r["quotes"] for r in answer["related"])
    coca = explain_json(run_cli, "coca production")
    drives = {r["claim"].rsplit("/", 1)[1] for r in coca["related"] if r["role"] == "drives"}
    assert drives == {
        "coca-feeds-cocaine-production",
        "coca-production-risks-drug-violence",
        "coca-production-risks-political-violence",
        "coca-production-risks-political-integrity",
        "coca-production-risks-judicial-integrity",
    }
    assert any(r["role"] == "about it" and r["type"] == "descriptive" for r in coca["related"])


def test_explain_table_and_csv(run_cli):
    table = run_cli("explain", "wedge-needed")
    assert table.code == 0 and table.out.startswith("Claim: ")
    assert "“A wedge needs to be driven between coca producers and the drug-trafficking mafias.”" in table.out
    csv = run_cli("explain", "coca production", "--format", "csv")
    assert csv.out.splitlines()[0] == "section,what,value,claim,quote"


def test_names_resolve_across_claims_and_factors(run_cli):
    ambiguous = run_cli("explain", "garcia")
    assert ambiguous.code == 2 and "ambiguous" in ambiguous.err and "García's obstruction" in ambiguous.err
    unknown = run_cli("explain", "shining-path-funded-by-protektion")
    assert unknown.code == 2 and "did you mean" in unknown.err and "shining-path" in unknown.err.lower()


def test_projection_only_explanation_says_it_is_partial(corpus):
    graph = build_projection(corpus)
    claim = explain(graph, "shining-path-funded-by-protection")
    assert not claim.complete and claim.note and "causal" in claim.note
    assert ("cause", "Shining Path's ties to drug producers in the VRAEM") in claim.facts
    assert [q.quote for q in claim.evidence] == ["Sendero funds itself by protecting drug interests."]
    factor = explain(graph, "Shining Path's funding")
    assert {r.role for r in factor.related} == {"drives", "driven by"}
    with pytest.raises(UnknownNameError):
        explain(graph, "wedge-needed")  # a recommendation: not in the causal projection
