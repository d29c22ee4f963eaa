"""Many sources: each its own named graph, shared factors by one IRI or skos:exactMatch, and
`--source ID` narrowing every verb that loads graphs."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from cocagraph.catalog import list_claims, summarize
from cocagraph.errors import UnknownNameError
from cocagraph.loading import GRAPH_BASE, load
from cocagraph.projection import build_projection
from cocagraph.sheets import sheet_to_turtle
from cocagraph.sources import narrow_projection, narrow_to_source, resolve_source
from cocagraph.validation import validate
from helpers import DATA, ROOT

CONTRARY = "https://w3id.org/cocagraph/id/source/contrary-test-source"
ARTICLE = "https://w3id.org/cocagraph/id/source/psg-peru-coca"


@pytest.fixture(scope="module")
def contrary_ttl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sources") / "contrary.ttl"
    path.write_text(sheet_to_turtle(DATA / "contrary.sheet.yaml", DATA / "contrary-source.txt"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def both(contrary_ttl):
    return load([ROOT / "ontology", ROOT / "graphs", contrary_ttl])


def graph_args(contrary_ttl: Path) -> list[str]:
    return ["--graph", str(ROOT / "ontology"), "--graph", str(ROOT / "graphs"), "--graph", str(contrary_ttl)]


def test_each_source_is_its_own_named_graph(both):
    graphs = {f.graph for f in both.files}
    assert {GRAPH_BASE + "psg-peru-coca", GRAPH_BASE + "contrary"} <= graphs


def test_the_two_sources_validate_together(both):
    report = validate(both)
    assert report.conforms, [str(p) for p in report.violations]


def test_shared_factors_have_one_iri(both):
    rows = both.store.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?c <https://w3id.org/cocagraph/ns#cause> "
        "<https://w3id.org/cocagraph/id/factor/coca-production-peru> } }"
    )
    assert int(next(iter(rows))["n"].value) == 2  # both sources' causal claims name the one factor


def test_resolve_source_by_id_title_or_iri(both):
    assert resolve_source(both, "contrary-test-source") == CONTRARY
    with pytest.raises(UnknownNameError, match=r"did you mean: .*'psg-peru-coca'"):
        resolve_source(both, "psg")  # a part of an id is not a name (issue 15): only titles match in part
    assert resolve_source(both, "Rising violence") == ARTICLE
    assert resolve_source(both, CONTRARY) == CONTRARY
    with pytest.raises(UnknownNameError) as info:
        resolve_source(both, "unodc survey")
    assert "contrary-test-source" in str(info.value) and "psg-peru-coca" in str(info.value)


def test_narrowing_keeps_one_sources_claims_and_what_they_use(both):
    narrowed = narrow_to_source(both, "contrary-test-source")
    claims = {c.id for c in list_claims(narrowed)}
    assert claims == {
        "bolivia-acreage-2012-contrary", "coca-production-feeds-drug-violence", "coca-production-lowers-unrest",
        "livelihoods-keep-growers-from-armed-groups",
    }  # fmt: skip
    summary = summarize(narrowed)
    assert [iri for iri, _ in summary.sources] == [CONTRARY]
    # the article's factors it uses (and the one reached through exact_match) come along; the rest do not
    assert summary.factors == 6
    projection = build_projection(narrowed)
    assert "https://w3id.org/cocagraph/id/factor/coca-production-peru" in projection
    assert "https://w3id.org/cocagraph/id/factor/shining-path-funding" not in projection
    # the ontology is kept whole: themes still resolve
    assert summarize(narrowed).triples < summarize(both).triples


def test_narrowing_to_the_article_gives_the_article(both, corpus):
    narrowed = narrow_to_source(both, "psg-peru-coca")
    assert {c.id for c in list_claims(narrowed)} == {c.id for c in list_claims(corpus)}
    assert summarize(narrowed).factors == summarize(corpus).factors


def test_narrow_projection_for_remote_stores(both):
    projection = build_projection(both)
    narrowed = narrow_projection(projection, "contrary-test-source")
    assert isinstance(narrowed, nx.MultiDiGraph)
    assert {d["source"] for _, _, d in narrowed.edges(data=True)} == {CONTRARY}
    assert narrowed.number_of_edges() == 3
    with pytest.raises(UnknownNameError):
        narrow_projection(projection, "nothing-like-it")


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        (["claims", "--format", "json"], "coca-production-lowers-unrest"),
        (["info", "--format", "json"], '"claims": 4'),
    ],
)
def test_every_verb_takes_source(run_cli, contrary_ttl, verb, expected):
    result = run_cli(*verb, *graph_args(contrary_ttl), "--source", "contrary-test-source")
    assert result.code == 0, result.err
    assert expected in result.out
    assert "wedge-needed" not in result.out


def test_claims_narrowed_to_the_article(run_cli, contrary_ttl):
    result = run_cli("claims", *graph_args(contrary_ttl), "--source", "psg-peru-coca", "--format", "json")
    ids = {row["id"] for row in json.loads(result.out)}
    assert "wedge-needed" in ids and "coca-production-lowers-unrest" not in ids


def test_an_unknown_source_is_a_usage_error_listing_the_sources(run_cli):
    result = run_cli("claims", "--source", "unodc-world-drug-report")
    assert result.code == 2
    assert result.err.startswith("cocagraph: error: no source named 'unodc-world-drug-report'")
    assert "psg-peru-coca" in result.err


def test_verbs_with_their_own_source_text_keep_it(run_cli, article_path):
    result = run_cli("verify-quotes", "--source", str(article_path))
    assert result.code == 0 and "quotes hold" in result.out
    help_text = run_cli("verify-quotes", "--help").out
    assert help_text.count("--source") == 1


def test_graph_options_add_source_to_the_verbs_that_use_them():
    from cocagraph.cli import cli

    for verb in ("claims", "info", "validate", "conflicts"):
        command = cli.get_command(None, verb)  # type: ignore[arg-type]
        options = {opt for p in command.params for opt in getattr(p, "opts", ())}
        assert {"--graph", "--source"} <= options, verb
