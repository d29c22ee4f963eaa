"""Competency questions 5, 6, 8 and 12 (../shared/competency-questions.md), answered through
the public commands and API and checked against what the article says."""

from __future__ import annotations

import json

from cocagraph.catalog import list_claims
from cocagraph.engine import select


def claims_json(run_cli, *args: str) -> list[dict]:
    result = run_cli("claims", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_cq5_hedged_claims_keep_their_hedges(run_cli):
    """Which claims are hedged ("appear", "probably", "suggests") and which are asserted?"""
    hedged = {c["id"]: c for c in claims_json(run_cli, "--certainty", "hedged")}
    assert hedged["peru-probably-top-cocaine-source"]["hedge"] == "probably"
    assert hedged["peru-output-falls-slower"]["hedge"] == "suggests"
    assert hedged["garcia-era-pardons"]["hedge"] == "appear to"
    assert hedged["washington-blind-eye"]["hedge"] == "appears to"
    assert hedged["traditional-drug-control-failing"]["hedge"] == "do not appear to"
    asserted = {c["id"] for c in claims_json(run_cli, "--certainty", "asserted")}
    assert "shining-path-funded-by-protection" in asserted and not asserted & set(hedged)


def test_cq5_recommendations_are_the_authors_and_attributions_are_others(run_cli):
    recommendations = claims_json(run_cli, "--type", "recommendation")
    assert {c["id"] for c in recommendations} == {"regulate-coca-production", "do-not-obliterate-coca", "wedge-needed"}
    assert all(c["asserted_by"] == "the article's author (Peru Support Group)" for c in recommendations)
    by_accusers = claims_json(run_cli, "--actor", "unnamed accusers")
    assert [c["id"] for c in by_accusers] == ["congress-accused-of-narco-pay"]
    by_unodc = {
        c["id"] for c in claims_json(run_cli, "--actor", "UNODC") if c["asserted_by"] == "UN Office on Drugs and Crime"
    }
    assert by_unodc == {"peru-output-falls-slower"}


def test_cq6_figures_with_who_measured_them_and_the_caveat(corpus):
    rows = select(
        corpus.store,
        """
        SELECT ?claim ?value ?place ?end ?body WHERE {
          ?claim a cg:StatisticalClaim ; cg:value ?value ; cg:periodEnd ?end ;
                 cg:place/skos:prefLabel ?place .
          OPTIONAL { ?claim cg:measuredBy/skos:prefLabel ?body } } ORDER BY ?claim""",
    )
    figures = {(r["place"], float(r["value"])): r for r in rows}
    assert set(figures) == {("Peru", -3.4), ("Colombia", -25.0), ("Bolivia", -7.0), ("Bolivia", -18.0)}
    # The article names UNODC for the Peruvian figures only; for the others it does not say.
    assert figures[("Peru", -3.4)]["body"] == "UN Office on Drugs and Crime"
    assert [figures[k]["body"] for k in (("Colombia", -25.0), ("Bolivia", -7.0), ("Bolivia", -18.0))] == [None] * 3
    caveats = select(
        corpus.store,
        """SELECT ?caveat (COUNT(?stat) AS ?n) WHERE {
        ?q a cg:Qualification ; cg:premise ?caveat ; cg:conclusion ?stat .
        ?stat a cg:StatisticalClaim } GROUP BY ?caveat""",
    )
    assert {r["caveat"].rsplit("/", 1)[1] for r in caveats} == {"acreage-caveat-trends", "acreage-rough-guide"}


def test_cq8_policy_options_where_and_what_the_author_concludes(corpus, run_cli):
    outlawed = next(c for c in list_claims(corpus) if c.id == "aerial-spraying-outlawed")
    assert "outlawed in Peru and Bolivia" in outlawed.quote
    assert [c.id for c in list_claims(corpus, place="Colombia") if c.id == "colombia-aerial-spraying"]
    stances = select(
        corpus.store,
        """SELECT ?option ?stance ?claim WHERE {
        ?claim cg:about/skos:prefLabel ?option ; cg:stance/rdfs:label ?stance }""",
    )
    by_option = {(r["option"], r["stance"]) for r in stances}
    assert ("regulation of coca production", "in favour") in by_option
    assert ("forced eradication of coca", "against") in by_option
    assert ("traditional methods of drug control", "against") in by_option
    eradication = claims_json(run_cli, "--actor", "Washington", "--theme", "drug policy")
    assert any(c["id"] == "eradication-provokes-grower-resistance" for c in eradication)


def test_cq12_what_humala_did_and_why(run_cli):
    humala = {c["id"]: c for c in claims_json(run_cli, "--actor", "humala")}
    assert {
        "humala-changed-tune",
        "devida-officials-replaced",
        "humala-portrays-commitment",
        "fear-of-washington-stifles-new-strategies",
    } <= set(humala)
    assert "swiftly changed its tune" in humala["humala-changed-tune"]["quote"]
    assert "for fear of annoying Washington" in humala["fear-of-washington-stifles-new-strategies"]["quote"]


def test_unknown_actor_suggests_names(run_cli):
    result = run_cli("claims", "--actor", "Humalla")
    assert result.code == 2
    assert "did you mean" in result.err and "Humala administration" in result.err


def test_inferred_links_are_listed_apart_with_the_curators_name(run_cli):
    inferred = claims_json(run_cli, "--explicitness", "inferred")
    stated = claims_json(run_cli, "--explicitness", "stated")
    assert inferred and all(c["explicitness"] == "inferred" for c in inferred)
    assert all(c["asserted_by"] == "cocagraph curators" for c in inferred)
    assert not {c["id"] for c in inferred} & {c["id"] for c in stated}
    table = run_cli("claims", "--explicitness", "inferred")
    assert table.out.splitlines()[0].split()[:4] == ["id", "type", "certainty", "explicitness"]
