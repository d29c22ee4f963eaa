"""Maps of a graph whose labels and quotes attack the page (reliability items 23, 24, 26).

The same graph is opened in a real browser by tests/test_browser.py; here the page's source is
checked: every hostile string appears only escaped, the data block cannot be closed early, and
non-ASCII text is written as UTF-8 whatever the locale.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx

from cocagraph.loading import load
from cocagraph.render import build_map, corpus_context, render_page
from cocagraph.render.page import safe_json
from helpers import ROOT

SCRIPT_CLOSE = "</script><script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
HREF = 'see <a href="javascript:window.__pwned = 3">here</a> (href)'
ODD = "línea\u2028separada\u2029 <!-- comentario -->"
IRI = "https://w3id.org/cocagraph/id/"


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid Turtle string literal


def write_hostile_graph(folder: Path) -> Path:
    """A small causal graph whose labels and quotes hold HTML and script; returns the file."""
    factors = {"f-script": SCRIPT_CLOSE, "f-img": IMG, "f-href": HREF, "2014": "2014", "f-odd": ODD}
    lines = [
        "@prefix cg: <https://w3id.org/cocagraph/ns#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        f"<{IRI}source/hostile> a dcterms:BibliographicResource ; dcterms:title {_lit(IMG)} .",
        f"<{IRI}place/nowhere> a cg:Place ; skos:prefLabel {_lit(SCRIPT_CLOSE)} .",
        f"<{IRI}actor/someone> a cg:Actor ; skos:prefLabel {_lit(HREF)} .",
    ]
    for key, label in factors.items():
        lines.append(
            f"<{IRI}factor/{key}> a cg:Factor ; skos:prefLabel {_lit(label)} ; "
            f"cg:place <{IRI}place/nowhere> ; cg:actor <{IRI}actor/someone> ."
        )
    claims = [
        ("c1", "f-script", "f-img", "Increases", SCRIPT_CLOSE),
        ("c2", "f-img", "f-href", "Decreases", IMG),
        ("c3", "f-href", "2014", "Increases", HREF),
        ("c4", "2014", "f-odd", "Increases", ODD),
    ]
    for key, cause, effect, polarity, quote in claims:
        claim = f"<{IRI}claim/{key}>"
        lines += [
            f"{claim} a cg:Claim, cg:CausalClaim ; rdfs:label {_lit(quote)} ; cg:cause <{IRI}factor/{cause}> ;",
            f"  cg:effect <{IRI}factor/{effect}> ; cg:polarity cg:{polarity} ; cg:certainty cg:Hedged ;",
            f"  cg:hedge {_lit(IMG)} ; cg:explicitness cg:Inferred ; cg:inferenceReason {_lit(HREF)} ;",
            f"  cg:evidence [ a oa:Annotation ; oa:hasTarget [ oa:hasSource <{IRI}source/hostile> ;",
            f"    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {_lit(quote)} ] ] ] .",
        ]
    path = folder / "hostile.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hostile_page(folder: Path) -> str:
    corpus = load([write_hostile_graph(folder)])
    from cocagraph.projection import build_projection

    return render_page(build_map(build_projection(corpus), context=corpus_context(corpus)))


def _script_elements(html: str) -> int:
    """Script elements as a browser's parser counts them (script content is not markup)."""
    from html.parser import HTMLParser

    class Counter(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += tag == "script"

    parser = Counter()
    parser.feed(html)
    return parser.count


def _outside_data(html: str) -> str:
    """The page without its JSON data block and its two inlined scripts."""
    html = re.sub(r'<script type="application/json" id="cocagraph-data">.*?</script>', "", html, flags=re.S)
    return re.sub(r"<script>.*?</script>", "", html, flags=re.S)


def test_hostile_strings_never_appear_raw(tmp_path):
    html = hostile_page(tmp_path)
    # Three script elements and no more: the data block, vis-network, the page's own.
    assert _script_elements(html) == 3
    rest = _outside_data(html)
    for raw in (SCRIPT_CLOSE, IMG, '<a href="javascript:', "<!-- comentario"):
        assert raw not in rest
    # The text list shows them, escaped.
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in rest
    assert "&lt;img src=x onerror=" in rest


def test_data_block_holds_the_strings_intact(tmp_path):
    html = hostile_page(tmp_path)
    block = re.search(r'<script type="application/json" id="cocagraph-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\u2028" not in block and "\u2029" not in block
    data = json.loads(block)
    labels = {info["label"] for info in data["info"].values()}
    assert {SCRIPT_CLOSE, IMG, HREF, ODD, "2014"} <= labels
    quotes = {q for claim in data["claims"].values() for q in claim["quotes"]}
    assert {SCRIPT_CLOSE, IMG, HREF, ODD} <= quotes


def test_ids_like_2014_stay_strings(tmp_path):
    html = hostile_page(tmp_path)
    block = re.search(r'id="cocagraph-data">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    node = next(n for n in data["nodes"] if n["id"].endswith("/2014"))
    assert node["label"] == "2014" and isinstance(node["label"], str)
    assert all(isinstance(n["id"], str) for n in data["nodes"])
    assert all(isinstance(e["from"], str) and isinstance(e["to"], str) for e in data["edges"])


def test_javascript_links_are_never_made_links():
    graph = nx.MultiDiGraph()
    for n in ("a", "b"):
        graph.add_node(n, label=n.upper(), alt_labels=(), kind="factor", themes=(), places=(), actors=())
    graph.add_edge(
        "a",
        "b",
        key="javascript:alert(1)",
        claim="javascript:alert(1)",
        label="x",
        polarity=1,
        certainty="asserted",
        hedge=None,
        explicitness="stated",
        quotes=("q",),
        quote="q",
        source="javascript:alert(2)",
        source_title="evil",
        themes=(),
    )
    html = render_page(build_map(graph))
    rest = _outside_data(html)
    assert 'href="javascript:' not in rest
    assert "evil" in rest  # the source is named, as text


def test_safe_json_round_trips_what_it_escapes():
    value = {"s": SCRIPT_CLOSE + IMG + ODD + "&amp;"}
    text = safe_json(value)
    assert json.loads(text) == value
    assert not set("<>&\u2028\u2029") & set(text)


def test_page_is_utf8_whatever_the_locale(tmp_path):
    graph_file = write_hostile_graph(tmp_path)
    out = tmp_path / "map.html"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "cocagraph", "render", "--graph", str(graph_file), "-o", str(out)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    text = out.read_bytes().decode("utf-8")  # strict: fails on any non-UTF-8 byte
    assert "línea" in text and '<meta charset="utf-8">' in text
