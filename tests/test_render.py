"""Maps: views, page contents, determinism, the render verb's exit codes, notebook display."""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import subprocess
import sys
import types

import networkx as nx
import pytest

from cocagraph.analysis import find_paths
from cocagraph.engine import select
from cocagraph.projection import build_projection
from cocagraph.render import build_map, corpus_context, render_page, views
from cocagraph.render.maps import change_colour
from cocagraph.render.notebook import inline_map
from cocagraph.render.request import MapRequest, map_of
from helpers import ROOT

ID = "https://w3id.org/cocagraph/id/"


@pytest.fixture(scope="module")
def graph(corpus):
    return build_projection(corpus)


@pytest.fixture(scope="module")
def context(corpus):
    return corpus_context(corpus)


def payload_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="cocagraph-data">(.*?)</script>', page, re.S)
    assert block, "the page has no data block"
    return json.loads(block.group(1))


# -- views ------------------------------------------------------------------------------------


def test_whole_map_counts_equal_the_graph(graph, context):
    bare = build_map(graph, context=context, entities=False)
    assert (bare.node_count, bare.edge_count) == (graph.number_of_nodes(), graph.number_of_edges())
    full = build_map(graph, context=context)
    pairs = {(f, e) for f, es in context.links.items() for e in es}
    assert full.node_count == graph.number_of_nodes() + len({e for _, e in pairs})
    assert full.edge_count == graph.number_of_edges() + len(pairs)
    kinds = {info["kind"] for info in full.payload["info"].values()}
    assert kinds == {"factor", "policy", "actor", "place"}


def test_entities_come_from_the_corpus(corpus, context):
    rows = select(
        corpus.store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?f ?x WHERE { ?f a cg:Factor ; cg:actor|cg:place ?x } } }",
    )
    assert sum(len(v) for v in context.links.values()) == int(rows[0]["n"])
    assert context.entities[ID + "actor/garcia"].label == "García"
    assert context.entities[ID + "place/vraem"].kind == "place"


def test_focus_is_the_node_and_its_neighbours(graph):
    centre = ID + "factor/shining-path-funding"
    selection = views.focus(graph, "shining path funding", depth=1)
    expected = {centre, *graph.predecessors(centre), *graph.successors(centre)}
    assert selection.nodes == expected
    assert selection.highlight_nodes == {centre}
    assert all(u in expected and v in expected for u, v, k in graph.edges(keys=True) if k in selection.claims)
    assert views.focus(graph, "shining path funding", depth=0).nodes == {centre}


def test_path_view_holds_the_paths_of_the_paths_command(graph):
    selection = views.paths(graph, "coca production in Peru", "political violence in Peru")
    answer = find_paths(graph, "coca production in Peru", "political violence in Peru")
    assert answer.paths and selection.chains
    assert selection.claims == {s.claim for p in answer.paths for s in p.steps}
    assert selection.highlight_claims == selection.claims
    assert [c.nodes for c in selection.chains] == [p.nodes for p in answer.paths]
    # The Shining Path chain of competency question 2 is among them.
    assert any(ID + "factor/shining-path-funding" in c.nodes for c in selection.chains)


def test_theme_view_is_the_claims_of_the_theme(graph):
    selection = views.theme(graph, "violence")
    wanted = {k for _, _, k, d in graph.edges(keys=True, data=True) if "violence" in d["themes"]}
    assert selection.claims == wanted and wanted
    by_label = views.theme(graph, "drug violence", {"violence": ["drug violence"]})
    assert by_label.claims == wanted


def test_loops_reinforcing_and_balancing():
    g = nx.MultiDiGraph()
    for n in "abcd":
        g.add_node(n, label=n.upper())
    for a, b, key, polarity in [("a", "b", "1", 1), ("b", "a", "2", 1), ("c", "d", "3", 1), ("d", "c", "4", -1)]:
        g.add_edge(a, b, key=key, polarity=polarity)
    selection = views.loops(g)
    assert sorted((c.nodes, c.sign) for c in selection.chains) == [(("a", "b", "a"), "+"), (("c", "d", "c"), "-")]
    assert "1 reinforcing, 1 balancing" in selection.description


def test_loops_are_bounded_and_say_so():
    complete = nx.MultiDiGraph()
    complete.add_nodes_from((n, {"label": f"factor {n}"}) for n in range(12))
    for a in range(12):
        for b in range(12):
            if a != b:
                complete.add_edge(a, b, key=f"{a}-{b}", polarity=1)
    selection = views.loops(complete, max_length=4, max_loops=20)
    assert len(selection.chains) == 20 and selection.truncated
    assert "cut" in selection.description


def test_article_has_no_loop_and_the_map_says_so(graph):
    selection = views.loops(graph)
    assert selection.chains == () and "no feedback loop" in selection.description


# -- the page -----------------------------------------------------------------------------------


def test_page_is_offline_and_self_contained(graph, context):
    page = render_page(build_map(graph, context=context))
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|img|link|iframe)[^>]*\b(src|href)=", page)
    assert "@import" not in page and "sourceMappingURL" not in page
    csp = htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "vis-network" in page and "window.network = network" in page


def test_same_graph_same_bytes(graph, context):
    first = render_page(build_map(graph, context=context))
    second = render_page(build_map(graph, context=context))
    assert first == second


def test_positions_are_precomputed_and_physics_off(graph, context):
    data = build_map(graph, context=context).payload
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


def test_looks_by_kind_polarity_and_certainty(graph, context):
    data = build_map(graph, context=context).payload
    shapes = {data["info"][n["id"]]["kind"]: n["shape"] for n in data["nodes"]}
    assert shapes == {"factor": "box", "policy": "diamond", "actor": "ellipse", "place": "triangle"}
    edges = {e["id"]: e for e in data["edges"]}
    hedged = next(k for k, c in data["claims"].items() if c.get("certainty") == "hedged" and k in edges)
    asserted = next(
        k
        for k, c in data["claims"].items()
        if k in edges
        and c.get("certainty") == "asserted"
        and graph.edges[_ends(graph, k)].get("explicitness") == "stated"
    )
    # Hedged is dashed, as wide and as strong as asserted (it used to be paler and thinner).
    assert edges[hedged]["dashes"] and edges[hedged]["width"] == edges[asserted]["width"]
    assert edges[hedged]["color"]["opacity"] == edges[asserted]["color"]["opacity"] == 1
    assert edges[asserted]["dashes"] is False
    up = next(k for k, c in data["claims"].items() if c.get("polarity") == 1 and k in edges)
    down = next(k for k, c in data["claims"].items() if c.get("polarity") == -1 and k in edges)
    assert edges[up]["color"]["color"] != edges[down]["color"]["color"]
    # not by colour alone: the sign and the end of the arrow
    assert (edges[up]["label"], edges[up]["arrows"]["to"]["type"]) == ("+", "arrow")
    assert (edges[down]["label"], edges[down]["arrows"]["to"]["type"]) == ("\u2212", "bar")


def test_text_list_holds_every_claim_with_its_quote(graph, context):
    data = build_map(graph, views.theme(graph, "shining path"), context=context)
    page = render_page(data)
    text = htmllib.unescape(re.sub(r"<script.*?</script>", "", page, flags=re.S))
    assert len(data.claim_rows) == data.payload["counts"]["claims"] > 0
    for key, cause, effect in data.claim_rows:
        claim = data.payload["claims"][key]
        assert claim["label"] in text and cause in text and effect in text
        for quote in claim["quotes"]:
            assert quote in text


def test_node_changes_colour_factors_and_show_the_ramp(graph, context):
    iri = ID + "factor/political-integrity"
    data = build_map(graph, context=context, node_changes={iri: 1.0, ID + "factor/drug-money-in-politics": -0.5})
    node = next(n for n in data.payload["nodes"] if n["id"] == iri)
    assert node["color"]["background"] == change_colour(1.0) == "#d73027"
    assert data.payload["info"][iri]["change"] == 1.0
    assert 'class="ramp"' in render_page(data)
    assert 'class="ramp"' not in render_page(build_map(graph, context=context))


# -- the render verb ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--focus", "shining path funding", "--depth", "2"],
        ["--path", "coca production in Peru", "political violence"],
        ["--theme", "Shining Path"],
        ["--loops"],
        ["--no-entities"],
    ],
)
def test_render_views(run_cli, tmp_path, args):
    out = tmp_path / "map.html"
    result = run_cli("render", "-o", str(out), *args)
    assert result.code == 0, result.err
    assert "open file://" in result.out
    data = payload_of(out.read_text(encoding="utf-8"))
    if "--loops" in args:  # the article argues in chains, not loops; the page says so
        assert data["nodes"] == [] and "no feedback loop" in data["description"]
    else:
        assert data["nodes"] and data["edges"]


def test_render_whatif_colours_the_scenario(run_cli, tmp_path):
    out = tmp_path / "whatif.html"
    result = run_cli("render", "-o", str(out), "--whatif", "regulation of coca production=+1")
    assert result.code == 0, result.err
    data = payload_of(out.read_text(encoding="utf-8"))
    assert data["changes"] is True and "what if" in data["title"]
    moved = {k: v["change"] for k, v in data["info"].items() if v["change"]}
    assert moved[ID + "factor/coca-regulation"] == 1.0
    assert moved[ID + "factor/grower-sales-to-manufacturers"] < 0  # the wedge cuts growers' sales


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "shining pth fundng"], "did you mean"),
        (["--path", "coca prodution", "political violence"], "did you mean: 'coca production in Peru'"),
        (["--theme", "violnce"], "did you mean"),
        (["--focus", "x", "--loops"], "choose one view"),
        (["--whatif", "regulation of coca production=+7"], "out of range"),
        (["--focus", "shining path funding", "--depth", "-1"], "--depth"),
    ],
)
def test_bad_views_exit_2_and_write_nothing(run_cli, tmp_path, args, message):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    result = run_cli("render", "-o", str(out), *args)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_render_into_a_missing_folder_exits_2(run_cli, tmp_path):
    result = run_cli("render", "-o", str(tmp_path / "missing" / "map.html"))
    assert result.code == 2 and "does not exist" in result.err


def test_same_file_from_two_runs(run_cli, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert run_cli("render", "-o", str(a), "--theme", "politics").code == 0
    assert run_cli("render", "-o", str(b), "--theme", "politics").code == 0
    assert a.read_bytes() == b.read_bytes()


def test_same_bytes_in_another_process_with_other_thread_counts(run_cli, tmp_path):
    here = tmp_path / "here.html"
    assert run_cli("render", "-o", str(here)).code == 0
    there = tmp_path / "there.html"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "123"}
    result = subprocess.run(
        [sys.executable, "-m", "cocagraph", "render", "-o", str(there)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert here.read_bytes() == there.read_bytes()


def test_ambiguous_focus_lists_the_choices(run_cli, tmp_path):
    result = run_cli("render", "-o", str(tmp_path / "m.html"), "--focus", "shining path")
    assert result.code == 2
    assert "ambiguous" in result.err and "Shining Path's funding" in result.err
    assert not (tmp_path / "m.html").exists()


def test_title_is_escaped(run_cli, tmp_path):
    out = tmp_path / "m.html"
    result = run_cli("render", "-o", str(out), "--title", "</title><script>alert(1)</script>")
    assert result.code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_paths_to_highlights_only_where_paths_start_and_end(graph):
    selection = views.paths_to(graph, "political violence in Peru")
    assert selection.chains
    starts = {c.nodes[0] for c in selection.chains}
    assert selection.highlight_nodes == starts | {ID + "factor/political-violence-peru"}
    assert all(c.nodes[-1] == ID + "factor/political-violence-peru" for c in selection.chains)


def test_render_from_an_endpoint_uses_the_remote_projection(run_cli, tmp_path, monkeypatch, graph):
    asked = []

    class RemoteStore:  # the one store interface's remote kind, serving ``graph``
        corpus = None
        label = "the fake store"

        def __init__(self, endpoint, timeout=None, source=None):
            asked.append(endpoint)

        def projection(self):
            return graph

    monkeypatch.setitem(sys.modules, "cocagraph.remote", types.SimpleNamespace(RemoteStore=RemoteStore))
    out = tmp_path / "remote.html"
    result = run_cli("render", "-o", str(out), "--endpoint", "http://127.0.0.1:9/sparql", "--theme", "violence")
    assert result.code == 0, result.err
    assert asked == ["http://127.0.0.1:9/sparql"]
    data = payload_of(out.read_text(encoding="utf-8"))
    assert {i["kind"] for i in data["info"].values()} <= {"factor", "policy"}  # no actors, places from a remote
    assert data["counts"]["claims"] == len(views.theme(graph, "violence").claims)
    both = run_cli("render", "-o", str(out), "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "graphs")
    assert both.code == 2 and "not both" in both.err


def test_quick_commands_do_not_import_pyvis():
    code = (
        "import sys; from cocagraph.cli import main; main(['info']); "
        "print('pyvis' in sys.modules, 'IPython' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False False"


# -- notebooks ----------------------------------------------------------------------------------


def test_inline_map_displays_without_files(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown = inline_map(corpus, theme="violence", height=500)
    frame = shown._repr_html_()
    assert frame.startswith("<iframe") and 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert htmllib.unescape(srcdoc) == shown.page
    assert payload_of(shown.page)["title"] == "Theme: drug violence"
    assert list(tmp_path.iterdir()) == []


def test_map_request_checks_its_view(corpus):
    with pytest.raises(Exception, match="choose one view"):
        map_of(corpus, MapRequest(theme="violence", loops=True))


def test_inferred_links_start_with_a_circle_and_say_so():
    from cocagraph.loading import load
    from cocagraph.projection import build_projection
    from cocagraph.render import build_map, corpus_context

    corpus = load()
    graph = build_projection(corpus)
    edges = {e["id"]: e for e in build_map(graph, context=corpus_context(corpus)).payload["edges"]}
    inferred = [k for _, _, k, d in graph.edges(keys=True, data=True) if d["explicitness"] == "inferred"]
    stated = [k for _, _, k, d in graph.edges(keys=True, data=True) if d["explicitness"] == "stated"]
    assert inferred and stated
    start = lambda k: edges[k]["arrows"].get("from", {"enabled": False})  # noqa: E731
    assert all(start(k) == {"enabled": True, "type": "circle", "scaleFactor": 0.5} for k in inferred)
    assert all("inferred by the curator" in edges[k]["title"] for k in inferred)
    assert all(not start(k)["enabled"] and "inferred" not in edges[k]["title"] for k in stated)


def _ends(graph, claim):
    return next((u, v, k) for u, v, k in graph.edges(keys=True) if k == claim)
