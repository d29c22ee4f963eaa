"""Round trips: compile(sheet(graph)) is isomorphic to graph for every shipped graph, in YAML and
CSV; hypothesis-made sheets with awkward text compile to Turtle that re-parses isomorphic
(reliability item 14)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from cocagraph.errors import SheetError
from cocagraph.loading import load
from cocagraph.sheet_csv import sheet_to_csv
from cocagraph.sheet_writer import graph_to_sheet, sheet_from_file, sheet_to_yaml
from cocagraph.sheets import compile_sheet, sheet_to_turtle
from helpers import DATA, ROOT, SHARED

SHIPPED = sorted((ROOT / "graphs").glob("*.ttl"))
TEXT_FOLDERS = (SHARED / "sources", DATA)


def text_of(graph_path: Path) -> Path:
    """The source text a compiled graph names in cg:textFile (skip when it is not here)."""
    graph = rdflib.Graph().parse(graph_path, format="turtle")
    name = str(next(graph.objects(None, rdflib.URIRef("https://w3id.org/cocagraph/ns#textFile"))))
    for folder in TEXT_FOLDERS:
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"the text {name} of {graph_path.name} is not here")


def compiled(sheet_text: str, suffix: str, text: Path, folder: Path) -> rdflib.Graph:
    path = folder / f"round.sheet{suffix}"
    path.write_text(sheet_text, encoding="utf-8")
    return compile_sheet(path, text)


@pytest.mark.parametrize("graph_path", SHIPPED, ids=[p.name for p in SHIPPED])
@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_every_shipped_graph_round_trips(graph_path, fmt, tmp_path):
    text = text_of(graph_path)
    original = rdflib.Graph().parse(graph_path, format="turtle")
    written = sheet_from_file(graph_path, fmt, text)  # checks the round trip itself too
    again = compiled(written.text, ".csv" if fmt == "csv" else ".yaml", text, tmp_path)
    assert isomorphic(again, original)
    assert len(again) == len(original) > 1000


def test_round_trip_without_the_text_when_no_quote_repeats():
    written = sheet_from_file(ROOT / "graphs" / "psg-peru-coca.ttl")
    assert "claims:" in written.text and written.source_id == "psg-peru-coca"


def test_the_contrary_test_source_round_trips_with_its_uses(tmp_path):
    turtle = tmp_path / "contrary.ttl"
    turtle.write_text(sheet_to_turtle(DATA / "contrary.sheet.yaml", DATA / "contrary-source.txt"), encoding="utf-8")
    written = sheet_from_file(turtle, "yaml", DATA / "contrary-source.txt")
    assert "\nuses:\n" in written.text
    assert "  factors: [coca-acreage-bolivia, coca-production-peru, drug-violence-peru, political-violence-peru]" in (
        written.text
    )
    assert "claims: [bolivia-acreage-2012, coca-production-risks-political-violence]" in written.text
    csv_written = sheet_from_file(turtle, "csv", DATA / "contrary-source.txt")
    again = compiled(csv_written.text, ".csv", DATA / "contrary-source.txt", tmp_path)
    assert isomorphic(again, rdflib.Graph().parse(turtle, format="turtle"))


def test_a_repeated_quote_round_trips_with_its_occurrence(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("Rain raises rivers. Rain raises rivers.", encoding="utf-8")
    sheet = tmp_path / "s.sheet.yaml"
    sheet.write_text(
        "source: {id: t, title: T, author: me}\nactors: [{id: me, label: me}]\n"
        "claims:\n  - {id: c, type: descriptive, label: C, quote: 'Rain raises rivers [occurrence 2]'}\n",
        encoding="utf-8",
    )
    turtle = tmp_path / "t.ttl"
    turtle.write_text(sheet_to_turtle(sheet, text), encoding="utf-8")
    with pytest.raises(SheetError, match="give the text"):
        sheet_from_file(turtle)
    written = sheet_from_file(turtle, "yaml", text)
    assert "quote: Rain raises rivers [occurrence 2]" in written.text


# ---------------------------------------------------------------- awkward text, made by hypothesis

_PIECES = st.sampled_from(
    ['"', '"""', "'", "\\", "\\n", "\n", "\t", "🌧️", "👩‍👩‍👧", "שלום עולם", "مرحبا", "\u200f", "\u202e", "# ", ": ",
     "- ", "{", "}", "[", "]", "|", " | ", "&a", "*a", "!!", "%", "@", "`", "<b>", "é", "ñ", "no", "007", "~", "---",
     "...", "\u2028", "\x85", " ", "\r\n", "\r", "\x1b"]
)  # fmt: skip
_CHARS = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="⟦⟧\ufeff")
AWKWARD = st.lists(st.one_of(_PIECES, st.text(_CHARS, min_size=1, max_size=8)), min_size=1, max_size=6).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quotes=st.lists(AWKWARD, min_size=1, max_size=3),
    labels=st.lists(AWKWARD, min_size=3, max_size=3),
    value=st.decimals(min_value=-(10**6), max_value=10**6, places=3).map(lambda d: format(d, "f")),
)
def test_awkward_sheets_compile_to_turtle_that_reparses_isomorphic(quotes, labels, value):
    # Each quote is made unique in the text by a numbered marker the generator never produces.
    marked = [f"⟦{n}⟧{q}" for n, q in enumerate(quotes)]
    text = "Awkward text for the tests.\n" + "\n~~\n".join(marked) + "\nThe end."
    sheet = {
        "source": {"id": "awkward", "title": f"T{labels[0]}", "author": "me", "note": labels[1]},
        "actors": [{"id": "me", "label": f"A{labels[2]}", "alt": [labels[0]]}],
        "factors": [{"id": "f", "label": f"F{labels[1]}", "definition": labels[2]}],
        "claims": [
            {"id": f"c{n}", "type": "descriptive", "label": f"C{labels[n % 3]}", "quote": q, "about": ["f"],
             "note": labels[(n + 1) % 3]}
            for n, q in enumerate(marked)
        ] + [
            {"id": "figure", "type": "statistical", "label": "A figure", "quote": marked[0], "quantity": "f",
             "value": value, "unit": "percent-change", "period": "2012", "qualifier": labels[0]},
        ],
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        text_path = folder / "awkward.txt"
        text_path.write_text(text, encoding="utf-8", newline="")
        graph = compiled(sheet_to_yaml(sheet), ".yaml", text_path, folder)
        turtle = graph.serialize(format="turtle")
        assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), graph)
        # The loader every command uses (pyoxigraph) reads it too, triple for triple.
        (folder / "awkward.ttl").write_text(turtle, encoding="utf-8")
        assert load([folder / "awkward.ttl"]).triples == len(graph)
        # Quotes survive to the letter, and the sheet written back compiles to the same graph.
        exacts = {str(o) for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
        assert exacts == set(marked)
        assert isomorphic(compiled(sheet_to_yaml(graph_to_sheet(graph, text)), ".yaml", text_path, folder), graph)
        try:
            csv_text = sheet_to_csv(graph_to_sheet(graph, text))
        except SheetError as exc:  # an item holding the list separator cannot go to CSV
            assert "list separator" in str(exc) and "|" in "".join(labels + quotes)
        else:
            assert isomorphic(compiled(csv_text, ".csv", text_path, folder), graph)
