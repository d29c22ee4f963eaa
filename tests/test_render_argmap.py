"""The argument map (issue 13 item 7): claims as nodes, support and attack drawn apart, standing shown."""

from __future__ import annotations

import pytest

from cocagraph.argument import relations, standing
from cocagraph.loading import load
from cocagraph.render import corpus_context, render_page
from cocagraph.render.argmap import RELATION_LOOKS, build_argument_map
from helpers import DATA

ID = "https://w3id.org/cocagraph/id/"


@pytest.fixture(scope="module")
def mini():
    corpus = load([DATA / "argument-mini.ttl"])
    return corpus, build_argument_map(corpus, corpus_context(corpus))


def test_claims_and_relations_are_nodes_joined_premise_to_conclusion(mini):
    corpus, data = mini
    nodes = {n["id"]: n for n in data.payload["nodes"]}
    edges = {(e["from"], e["to"]): e for e in data.payload["edges"]}
    for rel in relations(corpus):
        assert data.payload["info"][rel.iri]["kind"] == "relation"
        for premise in rel.premises:
            assert (premise, rel.iri) in edges and data.payload["info"][premise]["kind"] == "claim"
        assert (rel.iri, rel.conclusion) in edges  # an undercut ends at a relation's node
        assert RELATION_LOOKS[rel.type][0] in nodes[rel.iri]["label"]
    undercut = ID + "relation/on-time-undercuts-traffic"
    assert data.payload["info"][ID + "relation/traffic-supports-bridge"]["kind"] == "relation"
    assert (undercut, ID + "relation/traffic-supports-bridge") in edges


def test_support_and_attack_are_drawn_apart_and_concessions_dashed(mini):
    corpus, data = mini
    edges = {(e["from"], e["to"]): e for e in data.payload["edges"]}
    by_type = {r.type: edges[(r.iri, r.conclusion)] for r in relations(corpus)}
    support, rebuttal, concession = by_type["support"], by_type["rebuttal"], by_type["concession"]
    assert support["arrows"]["to"]["type"] == "arrow" and rebuttal["arrows"]["to"]["type"] == "bar"
    assert support["color"]["color"] != rebuttal["color"]["color"]
    assert concession["dashes"] and not support["dashes"] and not rebuttal["dashes"]


def test_standing_is_written_and_drawn(mini):
    corpus, data = mini
    labels = standing(corpus)
    nodes = {n["id"]: n for n in data.payload["nodes"]}
    out = ID + "claim/ferry-on-time"
    assert (
        labels[out] == "out" and nodes[out]["label"].endswith("[out]") and nodes[out]["shapeProperties"]["borderDashes"]
    )
    sure = ID + "claim/traffic-doubled"
    assert nodes[sure]["label"].endswith("[in]") and nodes[sure]["shapeProperties"]["borderDashes"] is False
    assert data.payload["claims"][out]["standing"] == "out"
    assert "undecided" in data.description


def test_evidence_travels_with_each_relation_and_the_page_lists_them(mini):
    corpus, data = mini
    rel = next(r for r in relations(corpus) if r.signal == "Although")
    claim = data.payload["claims"][rel.iri]
    assert claim["signal"] == "Although" and claim["quotes"] == [e.quote for e in rel.evidence]
    page = render_page(data)
    assert "The argument relations, as text" in page and 'id="filters-box" open hidden' in page


def test_the_site_has_the_argument_map(corpus):
    from cocagraph.render.site import build_site

    site = build_site(corpus, sparql=False)
    assert "argument.html" in dict(site.files) and 'href="argument.html"' in site.file("index.html").decode()
