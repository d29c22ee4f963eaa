"""Escape codes in data never reach a terminal raw; data files keep them exact (issue 12)."""

from __future__ import annotations

import csv
import io

from cocagraph.tables import format_rows, printable

ESC = "\x1b]0;owned\x07\x1b[2J"


def _graph(tmp_path):
    path = tmp_path / "esc.ttl"
    path.write_text(
        "@prefix cg: <https://w3id.org/cocagraph/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/cocagraph/id/claim/esc> a cg:DescriptiveClaim ; cg:certainty cg:Asserted ;\n"
        '  cg:explicitness cg:Stated ; rdfs:label "title\\u001b]0;owned\\u0007\\u001b[2J" .\n',
        encoding="utf-8",
    )
    return path


def test_printable_escapes_controls_and_keeps_text():
    assert printable("a\tb") == "a\\x09b"
    assert printable("línea\nsiguiente") == "línea\nsiguiente"
    assert printable("x\ny", newlines=False) == "x\\x0ay"
    assert "\x1b" not in printable(ESC) and "\x07" not in printable(ESC)


def test_the_table_and_markdown_on_a_terminal_show_escape_codes_as_text(tmp_path, run_cli, monkeypatch):
    table = run_cli("claims", "--graph", str(_graph(tmp_path)))
    assert table.code == 0, table.err
    assert "\x1b" not in table.out and "\\x1b]0;owned" in table.out
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    md = run_cli("claims", "--graph", str(_graph(tmp_path)), "--format", "md")
    assert "\x1b" not in md.out and "\x07" not in md.out


def test_data_files_keep_the_data_exact(tmp_path, run_cli):
    out = tmp_path / "claims.csv"
    assert run_cli("claims", "--graph", str(_graph(tmp_path)), "--format", "csv", "-o", str(out)).code == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in row]
    assert "title" + ESC in cells
    assert "title" + ESC in format_rows([{"l": "title" + ESC}], "json").encode().decode("unicode_escape")


def test_error_lines_neutralise_control_characters(tmp_path, run_cli):
    name = tmp_path / f"bad{ESC}.ttl"
    name.write_text("<http://a/s> <http://a/p> .\n", encoding="utf-8")
    result = run_cli("info", "--graph", str(name))
    assert result.code == 2
    assert "\x1b" not in result.err and "\x07" not in result.err and "\\x1b" in result.err
    assert result.err.count("\n") == 1
