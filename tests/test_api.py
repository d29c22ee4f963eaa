"""The notebook API (issue 15): cocagraph.open(), answers with rows, frames, JSON, text and HTML,
printed by the command line through the same reports."""

from __future__ import annotations

import io
import json

import pytest

import cocagraph
from cocagraph.errors import UsageError


@pytest.fixture(scope="module")
def g():
    return cocagraph.open()


def test_done_when_paths_frame_has_one_row_per_step_with_path_number_and_quote(g):
    frame = g.paths("coca production", "political violence").to_frame()
    answer = g.paths("coca production", "political violence").result
    assert len(frame) == sum(len(p.steps) for p in answer.paths)
    for column in ("path", "step", "quote", "certainty", "explicitness", "hedge"):
        assert column in frame.columns
    assert list(frame["path"].unique()) == list(range(1, len(answer.paths) + 1))
    first = frame.iloc[0]
    assert first["path"] == 1 and first["step"] == 1 and "raw material for cocaine" in first["quote"]


def test_done_when_sparql_statistics_frame_has_numeric_columns(g):
    import pandas as pd

    frame = g.sparql("statistics").to_frame()
    assert pd.api.types.is_numeric_dtype(frame["value"])
    assert (frame["value"] < 0).any()  # the falls in acreage are negative numbers, not text


def test_answers_print_the_same_as_the_command_line(g, run_cli):
    answer = g.paths("coca production", "political violence")
    cli = run_cli("paths", "coca production", "political violence")
    assert cli.code == 0 and cli.out == answer.to_text() + "\n"
    cli_json = run_cli("paths", "coca production", "political violence", "--format", "json")
    assert json.loads(cli_json.out) == json.loads(answer.to_json())
    claims = run_cli("claims", "--theme", "violence", "--format", "csv")
    assert claims.out.encode() == g.claims(theme="violence").format("csv")


def test_every_verb_gives_an_answer_with_rows_frame_json_and_html(g):
    answers = [
        g.paths("coca production", "political violence"),
        g.drivers("political violence", depth=2),
        g.effects("cocaine production in Peru"),
        g.loops(),
        g.leverage(limit=3),
        g.explain("wedge-needed"),
        g.claims(certainty="hedged"),
        g.sparql("statistics"),
        g.whatif("regulate coca"),
        g.compare("regulate coca", "forced eradication"),
        g.standing(),
        g.argument("regulate coca", depth=2),
    ]
    for answer in answers:
        rows = answer.rows()
        frame = answer.to_frame()
        assert list(frame.columns) == list(answer.columns) and len(frame) == len(rows), answer.kind
        json.loads(answer.to_json())
        html = answer._repr_html_()
        assert html.startswith('<div class="cocagraph-answer">') and "<script" not in html
        assert answer.to_text()


def test_html_escapes_every_cell(g):
    html = g.claims(certainty="hedged")._repr_html_()
    assert "<td>" in html and "“" not in html.split("<tbody>")[0]
    assert "&lt;" not in g.claims(certainty="hedged").title


def test_effects_and_drivers_one_row_per_factor_every_chain_and_quote(g, run_cli):
    rows = g.effects("cocaine production in Peru").rows()
    factors = [r["factor"] for r in rows]
    assert len(factors) == len(set(factors))  # political violence once, at its shortest distance
    violence = next(r for r in rows if r["factor"] == "political violence in Peru")
    assert violence["distance"] == min(i.distance for i in g.effects("cocaine production in Peru").result.influences
                                       if i.label == "political violence in Peru")  # fmt: skip
    assert len(violence["via"]) >= 2  # every chain under it
    md = run_cli("effects", "cocaine production in Peru", "--format", "md")
    assert md.out.count("| political violence in Peru |") == 1
    # A step resting on two quotes shows both.
    justice = next(r for r in rows if r["factor"] == "drug interests' influence over the justice system and police")
    assert "Influence over the justice system, including the police." in justice["quotes"]
    assert any(q.startswith("The increase in cocaine production is, however") for q in justice["quotes"])


def test_save_picks_the_format_by_suffix(g, tmp_path):
    import openpyxl

    answer = g.claims(theme="violence")
    answer.save(tmp_path / "claims.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "claims.xlsx").active
    assert [c.value for c in sheet[1]] == list(answer.columns)
    answer.save(tmp_path / "claims.jsonl")
    lines = (tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(answer.rows()) and json.loads(lines[0])["id"]
    with pytest.raises(UsageError, match="name a format"):
        answer.save(tmp_path / "claims.docx")


def test_open_narrows_to_a_source_and_refuses_files_with_an_endpoint():
    with pytest.raises(UsageError, match="either"):
        cocagraph.open("graphs", endpoint="http://127.0.0.1:1/sparql")
    narrowed = cocagraph.open(source="psg-peru-coca")
    assert len(narrowed.claims().rows()) == len(cocagraph.open().claims().rows())  # the one source is all


def test_a_map_shows_inline(g):
    shown = g.map(focus="Shining Path's funding")
    html = shown._repr_html_()
    assert html.startswith("<iframe") and "srcdoc=" in html and "https://cdn" not in html


def test_scenario_options_are_the_verbs(g):
    answer = g.whatif(settings=["regulate coca=+1"], limit=2, paths=1)
    moved = [r for r in answer.rows() if r["direction"] in ("up", "down")]
    assert len(moved) == 2 and answer.result.result.omitted > 0
    assert any("more factor(s) reached but not shown" in n for n in answer.notes)
    with pytest.raises(UsageError, match="unknown scenario option 'stepz'"):
        g.whatif("regulate coca", stepz=3)


def test_xlsx_of_every_listing_is_a_workbook(run_cli, tmp_path):
    import openpyxl

    for args in (
        ["paths", "coca production", "political violence"],
        ["effects", "cocaine production in Peru"],
        ["leverage"],
        ["claims"],
        ["explain", "coca production"],
        ["whatif", "regulate coca"],
        ["conflicts"],
        ["sparql", "--list"],
    ):
        out = tmp_path / f"{args[0]}.xlsx"
        result = run_cli(*args, "--format", "xlsx", "-o", str(out))
        assert result.code == 0, (args, result.err)
        book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
        assert book.active.max_row >= 1 and book.active["A1"].font.bold, args


def test_argument_verbs_print_what_the_command_line_prints(g, run_cli):
    case = g.argument("regulate coca", depth=2)
    assert run_cli("argument", "regulate coca", "--depth", "2").out == case.to_text() + "\n"
    assert case.format("argdown").decode().startswith("===")
    rows = case.rows()
    assert rows[0]["depth"] == 0 and all(r["standing"] in ("in", "out", "undecided") for r in rows)
    standing = run_cli("standing", "--format", "csv")
    assert standing.out.encode() == g.standing().format("csv")


def test_done_when_line_of_issue_15(run_cli, tmp_path):
    """The issue's "Done when", as written."""
    import openpyxl
    import pandas as pd

    g = cocagraph.open()
    frame = g.paths("coca production", "political violence").to_frame()
    assert {"path", "quote"} <= set(frame.columns) and frame["step"].min() == 1
    assert pd.api.types.is_numeric_dtype(g.sparql("statistics").to_frame()["value"])
    target = tmp_path / "statistics.xlsx"
    assert run_cli("sparql", "statistics", "--format", "xlsx", "-o", str(target)).code == 0
    values = [c.value for c in openpyxl.load_workbook(target).active["D"][1:]]
    assert values and all(isinstance(v, (int, float)) for v in values)
    offered = run_cli("paths", "coca", "violence").err.split(" factors: ", 1)[1]
    assert all("coca" in name.lower() for name in offered.strip().strip("'\"").split("', '"))


def test_to_frame_without_pandas_says_how_to_get_it(g, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'cocagraph\[pandas\]'"):
        g.claims().to_frame()


def test_claims_carry_their_themes_for_filtering(g):
    frame = g.claims().to_frame()
    corruption_sits_under = frame[frame["themes"].apply(lambda t: "politics" in t)]  # the theme ids
    assert len(corruption_sits_under) == len(g.claims(theme="politics and pardons").rows())
