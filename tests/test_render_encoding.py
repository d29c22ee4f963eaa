"""One encoding of a causal claim for the maps and every export (issue 14): polarity, certainty, explicitness."""

from __future__ import annotations

import re
from itertools import product

import pytest

from cocagraph.analysis.export import export_text, flat_graph, read_back
from cocagraph.encoding import DECREASE_COLOUR, INCREASE_COLOUR, edge_look
from cocagraph.render import build_map
from test_analysis_support import signed_graph

#: every combination: polarity, certainty, explicitness
KINDS = list(product((1, -1), ("asserted", "hedged"), ("stated", "inferred")))


@pytest.fixture(scope="module")
def graph():
    return signed_graph([(f"a{i}", f"b{i}", p, c, e) for i, (p, c, e) in enumerate(KINDS)])


def looks():
    return {f"c{i}": edge_look(p, c, e) for i, (p, c, e) in enumerate(KINDS)}


def test_every_distinction_has_a_cue_that_is_not_colour():
    seen = {(look.sign, look.head, look.dashed, look.start_mark) for look in looks().values()}
    assert len(seen) == len(KINDS)  # all eight told apart without colour
    assert {look.colour for look in looks().values()} == {INCREASE_COLOUR, DECREASE_COLOUR}


def test_the_map_draws_the_encoding(graph):
    edges = {e["id"]: e for e in build_map(graph).payload["edges"]}
    for key, look in looks().items():
        edge = edges[key]
        assert edge["color"]["color"] == look.colour and edge["label"] == look.sign
        assert edge["arrows"]["to"]["type"] == look.head and bool(edge["dashes"]) == look.dashed
        assert edge["arrows"].get("from", {}).get("enabled", False) == look.start_mark


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_carry_the_encoding(graph, fmt):
    text = export_text(graph, fmt)
    back = read_back(text, fmt)
    for u, v, key in graph.edges(keys=True):
        look, edge = looks()[key], back.edges[u, v, key]
        assert (edge["colour"], edge["line_style"], edge["arrowhead"], edge["start_mark"]) == (
            look.colour,
            look.line,
            look.head,
            "circle" if look.start_mark else "none",
        )
    assert back.edges == flat_graph(graph).edges
    if fmt == "gexf":  # Gephi draws viz:color and viz:shape
        assert text.count('<viz:shape value="dashed"') == sum(look.dashed for look in looks().values())
        r, g, b = (int(DECREASE_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
        assert f'<viz:color r="{r}" g="{g}" b="{b}"' in text


def test_dot_draws_the_encoding(graph):
    text = export_text(graph, "dot")
    for key, look in looks().items():
        line = next(x for x in text.splitlines() if f'key="{key}"' in x)
        assert f'color="{look.colour}"' in line and f'style="{look.line}"' in line
        assert f'arrowhead="{"normal" if look.head == "arrow" else "tee"}"' in line
        assert ('arrowtail="dot"' in line) == look.start_mark and f'label="{look.sign}"' in line


def test_mermaid_draws_the_encoding(graph):
    text = export_text(graph, "mermaid")
    links = [x for x in text.splitlines() if re.match(r"\s+n\d+ -", x)]
    styles = [x for x in text.splitlines() if x.strip().startswith("linkStyle")]
    assert len(links) == len(styles) == len(KINDS)
    for n, look in enumerate(looks().values()):
        assert ("-.->" in links[n]) == look.dashed and look.sign in links[n]
        assert ("inferred" in links[n]) == look.start_mark
        assert f"stroke:{look.colour}" in styles[n] and ("dasharray" in styles[n]) == look.dashed
