"""The command line's contract: every verb documented, errors as one line, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cocagraph.cli import COMMANDS, cli


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_verb_has_help(run_cli, verb):
    result = run_cli(verb, "--help")
    assert result.code == 0
    command = cli.get_command(None, verb)  # type: ignore[arg-type]
    assert command is not None and command.help and len(command.help) > 40
    assert "Usage: cocagraph" in result.out


def test_top_level_help_lists_every_verb(run_cli):
    result = run_cli("--help")
    assert result.code == 0
    for verb in COMMANDS:
        assert verb in result.out


def test_unknown_verb_is_a_usage_error(run_cli):
    result = run_cli("frobnicate")
    assert result.code == 2
    assert "No such command" in result.err


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_claims_formats(run_cli, fmt):
    result = run_cli("claims", "--theme", "shining path", "--format", fmt)
    assert result.code == 0
    assert "Shining Path" in result.out or "shining-path" in result.out


def test_output_file_is_written_atomically_and_missing_folder_is_a_clear_error(run_cli, tmp_path):
    target = tmp_path / "claims.csv"
    assert run_cli("claims", "--format", "csv", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("id,type,")
    result = run_cli("claims", "-o", str(tmp_path / "missing" / "claims.csv"))
    assert result.code == 2 and "does not exist" in result.err


def test_console_script_runs_as_a_process():
    result = subprocess.run(
        [sys.executable, "-m", "cocagraph", "info", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"claims": ' in result.stdout


def test_output_through_a_symlink_is_refused_and_its_target_kept(run_cli, tmp_path):
    # Issue 12: a link at the output is never written through (tests/test_atomic.py has the rest).
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run_cli("claims", "--format", "csv", "-o", str(link)).code == 2
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "old\n"


def test_output_to_something_that_is_not_a_file_is_refused(run_cli, tmp_path):
    result = run_cli("claims", "-o", str(tmp_path))
    assert result.code == 2
    fifo = tmp_path / "pipe"
    import os

    os.mkfifo(fifo)
    result = run_cli("claims", "--format", "csv", "-o", str(fifo))
    assert result.code == 2 and "not a regular file" in result.err
    assert fifo.exists() and not fifo.is_file()


# ---- issue 15: spreadsheet-grade listings, standard streams, conventions -------------------------


def test_done_when_sparql_statistics_xlsx_has_numbers_as_numbers(run_cli, tmp_path):
    import openpyxl

    target = tmp_path / "statistics.xlsx"
    result = run_cli("sparql", "statistics", "--format", "xlsx", "-o", str(target))
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["claim", "quantity"] and sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    values = [row[header.index("value")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values and all(isinstance(v, (int, float)) for v in values) and min(values) < 0
    assert sheet.column_dimensions["A"].width > len("claim")


def test_xlsx_text_is_never_a_formula(run_cli, tmp_path):
    import openpyxl

    target = tmp_path / "x.xlsx"
    query = 'SELECT ("=HYPERLINK(\\"http://x\\")" AS ?text) (3 AS ?n) (2.5 AS ?d) WHERE {}'
    assert run_cli("sparql", query, "--format", "xlsx", "-o", str(target)).code == 0
    cells = openpyxl.load_workbook(target).active[2]
    assert cells[0].value == '=HYPERLINK("http://x")' and cells[0].data_type == "s"
    assert cells[1].value == 3 and cells[2].value == 2.5


def test_plain_tsv_and_jsonl_read_back_in_pandas_with_numbers(run_cli):
    import io
    import json

    import pandas as pd

    tsv = run_cli("sparql", "statistics", "--format", "tsv")
    frame = pd.read_csv(io.StringIO(tsv.out), sep="\t")
    assert pd.api.types.is_numeric_dtype(frame["value"]) and "?claim" not in tsv.out and "<http" not in tsv.out
    w3c = run_cli("sparql", "statistics", "--format", "srx-tsv")
    assert w3c.out.startswith("?claim\t")  # the W3C form stays, by its own name
    lines = run_cli("paths", "coca production", "political violence", "--format", "jsonl").out.splitlines()
    first = json.loads(lines[0])
    assert first["path"] == 1 and first["step"] == 1 and isinstance(first["confidence"], float)
    listing = pd.read_csv(io.StringIO(run_cli("claims", "--format", "tsv").out), sep="\t")
    assert len(listing) == len(run_cli("claims", "--format", "jsonl").out.splitlines())
    assert list(listing.columns)[:2] == ["id", "type"]


def test_bom_starts_csv_with_a_byte_order_mark(run_cli, tmp_path):
    for args in (["claims", "--actor", "garcia"], ["sparql", "claims-by-actor", "--param", "actor=garcia"]):
        target = tmp_path / "out.csv"
        assert run_cli(*args, "--format", "csv", "--bom", "-o", str(target)).code == 0
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and "García".encode() in data
        assert not run_cli(*args, "--format", "csv", "-o", str(target)).code and not target.read_bytes().startswith(
            b"\xef\xbb\xbf"
        )


def test_dash_is_standard_output_everywhere(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (
        ["claims", "--format", "csv"],
        ["paths", "coca production", "political violence"],
        ["sparql", "statistics", "--format", "json"],
        ["render", "--focus", "Shining Path's funding"],
        ["dump", "--format", "ntriples"],
        ["export", "--format", "dot"],
    ):
        result = run_cli(*args, "-o", "-")
        assert result.code == 0 and result.out.strip(), (args, result.err)
    assert not (tmp_path / "-").exists()
    site = run_cli("site", "-o", "-")
    assert site.code == 2 and "folder" in site.err and not (tmp_path / "-").exists()


def test_graph_from_standard_input_with_its_format(run_cli, monkeypatch, corpus):
    import io

    from cocagraph.catalog import summarize

    triples = run_cli("dump", "--format", "ntriples").out.encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(triples), encoding="utf-8"))
    result = run_cli("info", "--graph", "-", "--graph-format", "ntriples", "--format", "json")
    assert result.code == 0, result.err
    assert f'"claims": {summarize(corpus).claims}' in result.out
    missing = run_cli("info", "--graph", "-")
    assert missing.code == 2 and "--graph-format" in missing.err


def test_dump_writes_the_loaded_graphs_in_any_rdf_format(run_cli, corpus, tmp_path):
    import pyoxigraph as ox
    import rdflib

    from cocagraph.catalog import summarize

    for fmt, suffix in (("turtle", "ttl"), ("rdfxml", "rdf"), ("json-ld", "jsonld"), ("ntriples", "nt")):
        target = tmp_path / f"all.{suffix}"
        assert run_cli("dump", "--format", fmt, "-o", str(target)).code == 0
        back = run_cli("info", "--graph", str(target), "--format", "json")
        assert f'"claims": {summarize(corpus).claims}' in back.out, fmt
    union = rdflib.Graph().parse(tmp_path / "all.ttl", format="turtle")
    assert len(union) == len({(q.subject, q.predicate, q.object) for q in corpus.store})
    # The quad formats keep one named graph per loaded file (names cocagraph reserves when loading).
    for fmt, rdf_format in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        quads = list(ox.parse(run_cli("dump", "--format", fmt).out.encode(), format=rdf_format))
        assert {q.graph_name.value for q in quads} == {f.graph for f in corpus.files}
        assert len(quads) == len(corpus.store)


def test_quiet_silences_notes_and_verbose_says_what_was_loaded(run_cli):
    cut = run_cli("paths", "judicial corruption", "judicial integrity", "--limit", "1")  # two paths
    assert "note: the answer was cut" in cut.err
    quiet = run_cli("-q", "paths", "judicial corruption", "judicial integrity", "--limit", "1")
    assert quiet.code == 0 and quiet.err == "" and quiet.out == cut.out
    verbose = run_cli("-v", "claims", "--type", "recommendation")
    assert "opened <cocagraph.Graphs 4 file(s)" in verbose.err and " s\n" in verbose.err


def test_every_option_reads_the_environment(run_cli, monkeypatch):
    monkeypatch.setenv("COCAGRAPH_PATHS_LIMIT", "1")
    assert "stopped at --limit 1" in run_cli("paths", "judicial corruption", "judicial integrity").err
    monkeypatch.setenv("COCAGRAPH_ENDPOINT", "http://127.0.0.1:9/sparql")
    both = run_cli("drivers", "political violence", "--graph", "graphs")
    assert both.code == 2 and "either --graph or --endpoint" in both.err  # the endpoint came from the environment


def test_shell_completion_completes_verbs_factors_and_queries():
    import os

    def complete(*words: str) -> list[str]:
        env = {**os.environ, "_COCAGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(("cocagraph", *words))}
        env["COMP_CWORD"] = str(len(words))
        code = "from cocagraph.cli import main; main()"
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        return [line.split(",", 1)[1] for line in out.stdout.splitlines()]

    assert "paths" in complete("pa")
    assert complete("paths", "shining") == [
        "Shining Path's ability to hold out in the VRAEM",
        "Shining Path's funding",
        "Shining Path's ties to drug producers in the VRAEM",
    ]
    assert complete("sparql", "stat") == ["statistics"]


def test_open_opens_the_written_page(run_cli, tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("cocagraph.cli.render_commands._open_in_browser", opened.append)
    page = tmp_path / "map.html"
    assert run_cli("render", "--loops", "-o", str(page), "--open").code == 0
    assert opened == [page.resolve().as_uri()]
    assert run_cli("render", "--loops", "-o", "-", "--open").code == 2


@pytest.mark.slow
def test_readme_using_it_commands_work_as_written(run_cli, tmp_path, monkeypatch):
    """Issue 15: every command of the README's "Using it" runs as written (outputs go to a
    scratch folder), and the section says how to reach the command after the main job."""
    import re
    import shlex

    from helpers import ARTICLE, ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using it", 1)[1].split("\n## ", 1)[0]
    assert ". .venv/bin/activate" in section and ".venv/bin/cocagraph" in section
    commands = [
        line.split("  #", 1)[0].strip()
        for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)
        for line in block.splitlines()
        if line.strip()
    ]
    assert len(commands) >= 20 and all(c.startswith("cocagraph ") for c in commands)
    monkeypatch.chdir(ROOT)  # the paths in the README are from the top of the clone
    ran = 0
    for command in commands:
        args = shlex.split(command)[1:]
        if args[0] in ("serve", "push"):  # a server, and a remote store: their own tests start them
            continue
        if any("../shared" in a for a in args) and not ARTICLE.exists():
            continue
        if "-o" in args:
            at = args.index("-o") + 1
            args[at] = str(tmp_path / Path(args[at]).name)
        result = run_cli(*args)
        assert result.code == 0, (command, result.err)
        ran += 1
    assert ran >= 18
    python = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert python is not None
    namespace: dict[str, object] = {}
    exec(python.group(1), namespace)  # the notebook lines, as written


def test_xlsx_is_not_written_to_a_terminal(run_cli, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    result = run_cli("claims", "--format", "xlsx")
    assert result.code == 2 and "give -o FILE" in result.err and result.out == ""
