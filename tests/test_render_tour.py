"""The guided tour (issue 14 item 4): the argument step by step in the order of the text."""

from __future__ import annotations

import pytest

from cocagraph.errors import SheetError
from cocagraph.render import corpus_context
from cocagraph.render.request import MapRequest, map_of
from cocagraph.render.tour import build_tour, tour_steps

ID = "https://w3id.org/cocagraph/id/"


@pytest.fixture(scope="module")
def context(corpus):
    return corpus_context(corpus)


def test_the_shipped_tour_fits_the_shipped_graph(context):
    from cocagraph.render.tour import _shipped_starts

    assert _shipped_starts(context) is not None, "graphs/psg-peru-coca.tour.yaml names a claim the graph lacks"


def test_every_claim_is_in_one_step_in_the_order_of_the_text(context):
    steps = tour_steps(context)
    claims = [c for s in steps for c in s.claims]
    assert sorted(claims) == sorted(context.claims) and len(claims) == len(set(claims))
    starts = [context.claims[c].start for c in claims]
    assert starts == sorted(starts)


def test_the_tour_covers_the_four_concerns_the_bolivian_lesson_and_the_verdict(context):
    by_title = {s.title: s.claims for s in tour_steps(context)}
    titles = list(by_title)
    for words, claim in [
        ("First concern", "drug-violence-rising"),
        ("Second concern", "drug-money-buys-pardons"),
        ("Third concern", "justice-notorious-for-corruption"),
        ("Third concern", "drug-interests-sway-justice"),
        ("Fourth concern", "drug-ties-sustain-shining-path"),
        ("The verdict", "traditional-drug-control-failing"),
        ("Bolivian lesson", "regulate-coca-production"),
    ]:
        title = next(t for t in titles if words in t)
        assert ID + "claim/" + claim in by_title[title], title
    order = [next(i for i, t in enumerate(titles) if w in t) for w in ("First", "Fourth", "verdict", "Bolivian")]
    assert order == sorted(order)


def test_a_tour_file_out_of_order_or_naming_an_unknown_claim_is_refused(context, tmp_path):
    bad = tmp_path / "bad.tour.yaml"
    bad.write_text("steps:\n  - title: a\n    from: wedge-needed\n  - title: b\n    from: report-covers-2012\n")
    with pytest.raises(SheetError, match="order of the text"):
        tour_steps(context, bad)
    bad.write_text("steps:\n  - title: a\n    from: no-such-claim\n")
    with pytest.raises(SheetError, match=r"bad.tour.yaml:3: no located claim 'no-such-claim'"):
        tour_steps(context, bad)


def test_a_graph_without_a_tour_file_gets_steps_by_theme(context, monkeypatch):
    from cocagraph.render import tour

    monkeypatch.setattr(tour, "_shipped_starts", lambda context: None)
    steps = tour_steps(context)
    assert len(steps) > 5 and sum(len(s.claims) for s in steps) == len(context.claims)
    assert set(context.theme_labels.values()) & {s.title for s in steps}


def test_the_tour_page_holds_each_steps_claims_and_highlights(corpus, context, graph):
    data = build_tour(graph, context)
    tour = data.payload["tour"]
    assert len(tour) == len(tour_steps(context)) and data.payload["kind"] == "tour"
    drawn = {n["id"] for n in data.payload["nodes"]}
    for step in tour:
        assert all(c in data.payload["claims"] for c in step["claims"])
        assert set(step["nodes"]) <= drawn
    assert map_of(corpus, MapRequest(tour=True)).payload["tour"] == tour


@pytest.fixture(scope="module")
def graph(corpus):
    from cocagraph.projection import build_projection

    return build_projection(corpus)


def test_render_tour_writes_the_page(run_cli, tmp_path):
    out = tmp_path / "tour.html"
    result = run_cli("render", "--tour", "-o", str(out))
    assert result.code == 0, result.err
    assert "Read the argument" in out.read_text(encoding="utf-8") and 'id="tour-next"' in out.read_text()
    assert run_cli("render", "--tour", "--loops", "-o", str(out)).code == 2


def test_the_site_opens_with_the_tour(corpus):
    from cocagraph.render.site import build_site

    site = build_site(corpus, sparql=False)
    index = site.file("index.html").decode("utf-8")
    assert 'href="tour.html"' in index and index.index("Read the argument") < index.index("map-all.html")
