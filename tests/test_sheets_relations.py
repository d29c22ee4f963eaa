"""Argument relations in claim sheets (the ``relations:`` list of ARGUMENT-CONTRACT.md): each one a
node of its own with premises, one conclusion, its signal words inside its verbatim quote."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cocagraph.errors import SheetError
from cocagraph.sheet_csv import sheet_to_csv
from cocagraph.sheet_writer import graph_to_sheet, sheet_to_yaml
from cocagraph.sheets import compile_sheet

CG = rdflib.Namespace("https://w3id.org/cocagraph/ns#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ID = rdflib.Namespace("https://w3id.org/cocagraph/id/")

TEXT = "Rain raises rivers. Yet whereas dams hold rivers back, floods still come. Rain is rare."
SHEET = """\
source:
  id: tiny
  title: A tiny text
  author: me
actors:
  - id: me
    label: me
factors:
  - id: rain
    label: rain
  - id: river-level
    label: river level
claims:
  - id: rain-raises-rivers
    type: causal
    label: Rain raises rivers
    cause: rain
    effect: river-level
    polarity: "+"
    quote: Rain raises rivers.
  - id: dams-hold-rivers
    type: descriptive
    label: Dams hold rivers back
    quote: dams hold rivers back
  - id: floods-come
    type: descriptive
    label: Floods still come
    quote: floods still come
  - id: rain-rare
    type: descriptive
    label: Rain is rare
    quote: Rain is rare.
relations:
  - id: floods-rebut-dams
    type: rebuttal
    premises: floods-come
    conclusion: dams-hold-rivers
    signal: Yet whereas
    quote: "Yet whereas dams hold rivers back, floods still come."
    label: The floods answer the dams
"""


def write(tmp_path: Path, sheet: str, text: str = TEXT) -> tuple[Path, Path]:
    sheet_path, text_path = tmp_path / "s.sheet.yaml", tmp_path / "t.txt"
    sheet_path.write_text(textwrap.dedent(sheet), encoding="utf-8")
    text_path.write_text(text, encoding="utf-8")
    return sheet_path, text_path


def with_relation(**fields: str) -> str:
    lines = ["  - id: extra"] + [f"    {k}: {v}" for k, v in fields.items()]
    return SHEET + "\n".join(lines) + "\n"


def refused(tmp_path: Path, sheet: str) -> str:
    with pytest.raises(SheetError) as info:
        compile_sheet(*write(tmp_path, sheet))
    return str(info.value)


def test_a_relation_compiles_to_a_node_of_its_own(tmp_path):
    graph = compile_sheet(*write(tmp_path, SHEET))
    rel = ID["relation/floods-rebut-dams"]
    assert {CG.ArgumentRelation, CG.Rebuttal} <= set(graph.objects(rel, rdflib.RDF.type))
    assert graph.value(rel, CG.premise) == ID["claim/floods-come"]
    assert graph.value(rel, CG.conclusion) == ID["claim/dams-hold-rivers"]
    assert graph.value(rel, CG.signal) == rdflib.Literal("Yet whereas")
    assert graph.value(rel, rdflib.RDFS.label) == rdflib.Literal("The floods answer the dams", lang="en")
    assert graph.value(rel, CG.assertedBy) == ID["actor/me"]
    assert graph.value(rel, CG.explicitness) == CG.Stated
    annotation = graph.value(rel, CG.evidence)
    assert graph.value(annotation, OA.hasBody) == rel
    quote = graph.value(rdflib.URIRef(f"{annotation}/quote"), OA.exact)
    assert str(quote) == "Yet whereas dams hold rivers back, floods still come."
    start = int(graph.value(rdflib.URIRef(f"{annotation}/position"), OA.start))
    assert TEXT[start:].startswith("Yet whereas")
    # The old direct links are gone from the format and from the graph.
    assert not list(graph.triples((None, CG.term("supports"), None)))


def test_an_undercut_concludes_a_relation(tmp_path):
    sheet = with_relation(
        type="undercut", premises="rain-rare", conclusion="floods-rebut-dams", quote="Rain is rare.",
        explicitness="inferred", reason="testing",
    )  # fmt: skip
    graph = compile_sheet(*write(tmp_path, sheet))
    assert graph.value(ID["relation/extra"], CG.conclusion) == ID["relation/floods-rebut-dams"]
    assert graph.value(ID["relation/extra"], CG.inferredBy) == ID["actor/cocagraph-curators"]
    assert graph.value(ID["relation/extra"], CG.signal) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "type": "undercut",
                "premises": "rain-rare",
                "conclusion": "dams-hold-rivers",
                "signal": "Rain",
                "quote": "Rain is rare.",
            },
            "s.sheet.yaml:44: an undercut attacks a relation, and 'dams-hold-rivers' is not a relation id",
        ),
        (
            {
                "type": "support",
                "premises": "rain-rar",
                "conclusion": "floods-come",
                "signal": "Rain",
                "quote": "Rain is rare.",
            },
            "s.sheet.yaml:43: no claim with id 'rain-rar'; did you mean 'rain-rare'",
        ),
        (
            {
                "type": "support",
                "premises": "rain-rare",
                "conclusion": "nothing",
                "signal": "Rain",
                "quote": "Rain is rare.",
            },
            "s.sheet.yaml:44: no claim with id 'nothing'",
        ),
        (
            {
                "type": "support",
                "premises": "rain-rare",
                "conclusion": "floods-come",
                "signal": "Because",
                "quote": "Rain is rare.",
            },
            "s.sheet.yaml:45: the signal 'Because' does not stand inside the relation's quote",
        ),
        (
            {"type": "support", "premises": "rain-rare", "conclusion": "floods-come", "quote": "Rain is rare."},
            "s.sheet.yaml:41: missing 'signal'",
        ),
        (
            {
                "type": "support",
                "premises": "rain-rare",
                "conclusion": "floods-come",
                "signal": "Rain",
                "quote": "Rain is rar.",
            },
            "s.sheet.yaml:46: the quote is not in t.txt to the letter: 'Rain is rar.'; closest passage: 'Rain is",
        ),
        (
            {"type": "backs", "premises": "rain-rare", "conclusion": "floods-come"},
            "s.sheet.yaml:42: 'type' is 'backs', not one of support, rebuttal, undercut",
        ),
        (
            {
                "type": "support",
                "premises": "rain-rare",
                "conclusion": "extra",
                "signal": "Rain",
                "quote": "Rain is rare.",
            },
            "s.sheet.yaml:44: a relation cannot conclude itself",
        ),
        (
            {"type": "support", "premises": "rain-rare", "conclusion": "floods-come", "signal": "Rain"},
            "s.sheet.yaml:41: missing 'quote': the source's words, to the letter",
        ),
        (
            {"type": "support", "premises": "rain-rare", "conclusion": "floods-come", "supports": "floods-come"},
            "s.sheet.yaml:41: a relation has an unknown key 'supports'",
        ),
    ],
)
def test_mistakes_in_a_relation_name_the_line(tmp_path, fields, expected):
    assert expected in refused(tmp_path, with_relation(**fields))


def test_a_relation_id_may_not_also_be_a_claim_id(tmp_path):
    sheet = SHEET.replace("  - id: floods-rebut-dams", "  - id: floods-come")
    assert "s.sheet.yaml:34: relation id 'floods-come' is also a claim id (" in refused(tmp_path, sheet)


def test_the_claim_level_links_are_gone_from_the_format(tmp_path):
    sheet = SHEET.replace("    quote: Rain is rare.\n", "    quote: Rain is rare.\n    supports: floods-come\n", 1)
    assert "a claim has an unknown key 'supports'" in refused(tmp_path, sheet)


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_relations_round_trip_through_the_writer(tmp_path, fmt):
    sheet = with_relation(
        type="undercut", premises="[rain-rare, rain-raises-rivers]", conclusion="floods-rebut-dams",
        quote="Rain is rare.", certainty="hedged", hedge="rare", explicitness="inferred", reason="testing",
        note="a note",
    )  # fmt: skip
    original = compile_sheet(*write(tmp_path, sheet))
    plain = graph_to_sheet(original, TEXT)
    assert [r["id"] for r in plain["relations"]] == ["floods-rebut-dams", "extra"]
    written = sheet_to_yaml(plain) if fmt == "yaml" else sheet_to_csv(plain)
    path = tmp_path / f"again.sheet.{fmt}"
    path.write_text(written, encoding="utf-8")
    assert isomorphic(compile_sheet(path, tmp_path / "t.txt"), original)
