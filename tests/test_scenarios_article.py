"""Scenarios on the article: regulate coca (the Bolivian lesson) versus forced eradication."""

from __future__ import annotations

import json

import pytest

from cocagraph.analysis.channels import folded_summaries
from cocagraph.projection import build_projection
from cocagraph.scenarios import simulate
from cocagraph.scenarios.compare import compare
from cocagraph.scenarios.specs import scenario_from_argument

F = "https://w3id.org/cocagraph/id/factor/"
REGULATION, WEDGE, ERADICATION = F + "coca-regulation", F + "grower-trafficker-wedge", F + "forced-eradication"
#: The harms the article names, each of which it argues grows with drug production.
HARMS = [
    "drug-violence-peru",
    "political-violence-peru",
    "drug-money-in-politics",
    "urban-violence-trujillo",
    "urban-violence-chimbote",
    "justice-influence",
]
#: What the harms erode: drug money the political system, drug interests' influence the judicial one.
INTEGRITY = F + "political-integrity"
JUDICIAL_INTEGRITY = F + "judicial-integrity"
#: The chain the article's argument runs along, and whether the text states each step.
TO_PRODUCTION = [
    ("regulation-drives-wedge", "inferred"),
    ("wedge-cuts-sales-to-manufacturers", "inferred"),
    ("grower-sales-feed-cocaine-production", "inferred"),
]


@pytest.fixture(scope="module")
def article(corpus):
    return build_projection(corpus)


def chain(effect, n=0):
    return [(c.id, c.explicitness) for link in effect.paths[n].links for c in link.claims]


@pytest.mark.parametrize("policy", [REGULATION, WEDGE])
def test_regulation_and_the_wedge_bring_the_harms_down(article, policy):
    result = simulate(article, {policy: 1.0})
    assert result.converged
    for harm in HARMS:
        effect = result.effect(F + harm)
        assert effect is not None and effect.direction == "down", harm
    assert result.effect(INTEGRITY).direction == "up"
    assert result.effect(JUDICIAL_INTEGRITY).direction == "up"
    assert result.effect(F + "cocaine-production-peru").direction == "down"


def test_the_claims_that_carry_regulation_to_drug_violence(article):
    result = simulate(article, {REGULATION: 1.0})
    effect = result.effect(F + "drug-violence-peru")
    # regulation -> wedge -> growers' sales to cocaine manufacturers -> cocaine production -> drug violence:
    # three inferred links, then one the text states.
    assert chain(effect) == [*TO_PRODUCTION, ("cocaine-production-drives-drug-violence", "stated")]
    assert effect.paths[0].strength == pytest.approx(-(0.75**3))
    assert all(c.certainty == "asserted" for link in effect.paths[0].links for c in link.claims)


def test_the_claims_that_carry_regulation_to_political_violence(article):
    effect = simulate(article, {REGULATION: 1.0}).effect(F + "political-violence-peru")
    summary = "cocaine-production-drives-political-violence"
    folded = {key.rsplit("/", 1)[1] for _, _, key in folded_summaries(article)}
    if summary in folded:
        # the summary is spelled out by the Shining Path chain: that chain is its one channel (issue 13)
        assert all(summary not in [c for c, _ in chain(effect, n)] for n in range(len(effect.paths)))
        assert [c for c, _ in chain(effect, 0)][-1] == "shining-path-holdout-political-violence"
        return
    assert chain(effect, 0) == [*TO_PRODUCTION, (summary, "stated")]
    # the second chain runs through Shining Path in the VRAEM, as the article's heading argues
    assert [c for c, _ in chain(effect, 1)][-3:] == [
        "production-feeds-shining-path-ties",
        "drug-ties-sustain-shining-path",
        "shining-path-holdout-political-violence",
    ]


def test_integrity_rises_through_drug_money_and_hedged_links_weigh_less(article):
    result = simulate(article, {REGULATION: 1.0})
    assert chain(result.effect(INTEGRITY))[-2:] == [
        ("cocaine-production-drives-drug-money", "stated"),
        ("drug-money-erodes-integrity", "inferred"),
    ]
    congress = result.effect(F + "congress-in-narco-pay")
    last = congress.paths[0].links[-1].claims[0]
    assert (last.id, last.certainty) == ("drug-money-buys-congress", "hedged")
    assert abs(congress.change) < abs(result.effect(F + "drug-money-in-politics").change)


def test_forced_eradication_reaches_none_of_the_harms(article):
    result = simulate(article, {ERADICATION: 1.0})
    assert {F + h for h in HARMS} <= set(result.unreachable)
    moved = {e.factor.removeprefix(F): e.direction for e in result.moved}
    assert moved == {"eradication-protest-bolivia": "up", "morales-power": "up", "grower-resistance": "up"}
    resistance = result.effect(F + "grower-resistance").paths[0].links[0].claims[0]
    assert (resistance.id, resistance.certainty, resistance.hedge) == (
        "eradication-provokes-grower-resistance",
        "hedged",
        "have tended to",
    )


def test_command_line_names_resolve_to_the_policy_options(article):
    assert scenario_from_argument("regulate coca", article).settings == ((REGULATION, 1.0),)
    assert scenario_from_argument("forced eradication", article).settings == ((ERADICATION, 1.0),)
    both = scenario_from_argument("regulate coca; wedge between growers and traffickers=+1", article)
    assert both.interventions == {REGULATION: 1.0, WEDGE: 1.0}


def test_compare_regulate_and_eradicate(article):
    both = compare(
        article, scenario_from_argument("regulate coca", article), scenario_from_argument("forced eradication", article)
    )
    rows = {r.factor.removeprefix(F): r for r in both.factors}
    for harm in HARMS:
        assert (rows[harm].status_a, rows[harm].status_b) == ("down", "unreachable")
    assert (rows["coca-regulation"].status_a, rows["forced-eradication"].status_b) == ("set", "set")


def test_compare_command_prints_the_harms_and_the_claims(run_cli):
    result = run_cli("compare", "regulate coca", "forced eradication")
    assert result.code == 0, result.err
    out = result.out
    assert "not a forecast" in out
    for label in (
        "drug-related violence in Peru",
        "political violence in Peru",
        "drug money in Peruvian politics",
        "urban violence in Trujillo",
        "urban violence in Chimbote",
        "drug interests' influence over the justice system and police",
    ):
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert "down" in line and "unreachable" in line, line
    assert "regulation-drives-wedge (+, asserted, inferred)" in out
    assert "wedge-cuts-sales-to-manufacturers (-, asserted, inferred)" in out
    assert "cocaine-production-drives-drug-violence (+, asserted, stated)" in out
    assert "eradication-provokes-grower-resistance (+, hedged 'have tended to', stated)" in out


def test_compare_json_carries_each_claim_with_its_marks(run_cli):
    result = run_cli("compare", "regulate coca", "forced eradication", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert "not a forecast" in data["note"]
    row = next(f for f in data["factors"] if f["iri"] == F + "drug-violence-peru")
    assert row["a"]["direction"] == "down" and row["b"]["direction"] == "unreachable"
    steps = row["a"]["chains"][0]["steps"]
    assert [(s["claims"][0]["id"], s["claims"][0]["explicitness"]) for s in steps] == [
        *TO_PRODUCTION,
        ("cocaine-production-drives-drug-violence", "stated"),
    ]
    assert all(s["claims"][0]["quote"] for s in steps)  # every step rests on a quote of the article


def test_effects_resting_only_on_inferred_links_are_flagged(run_cli):
    """Regulation reaches the harms only through the curator's inferred links; the rights of coca
    farmers through a stated one ("thereby respecting ..."). The output must say which is which."""
    import json

    result = run_cli("whatif", "--set", "regulation of coca production=+1", "--format", "json")
    assert result.code == 0, result.err
    effects = {e["factor"]: e for e in json.loads(result.out)["moved"]}
    assert effects["respect for coca farmers' human and economic rights"]["only_inferred_links"] is False
    for harm in ("political violence in Peru", "drug-related violence in Peru", "drug money in Peruvian politics"):
        assert effects[harm]["only_inferred_links"] is True
    table = run_cli("compare", "regulate coca", "forced eradication")
    assert "-0.546 down *" in table.out or "down *" in table.out
    assert "reached only through links the curator infers" in table.out
