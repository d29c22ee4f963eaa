"""`cocagraph compile` and `cocagraph sheet` on the command line: exit codes, one-line errors, and
an output that is never left half-written (reliability item 13)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import DATA, ROOT

N_CLAIMS = 100


def big_sheet(folder: Path, bad_row: int | None = None, fmt: str = "yaml") -> tuple[Path, Path]:
    """A sheet of 100 claims over a text of 100 sentences; claim ``bad_row`` quotes a sentence that is not there."""
    sentences = [f"Sentence {n} says that rain raises rivers." for n in range(1, N_CLAIMS + 1)]
    text = folder / "hundred.txt"
    text.write_text(" ".join(sentences), encoding="utf-8")
    quotes = [s if n != bad_row else s.replace("rain", "snow") for n, s in enumerate(sentences, start=1)]
    if fmt == "csv":
        rows = ["section,id,type,label,cause,effect,polarity,quote,author,title", "source,hundred,,,,,,,me,A hundred"]
        rows += ["actor,me,,me,,,,,,", "factor,rain,,rain,,,,,,", "factor,rivers,,rivers,,,,,,"]
        rows += [f"claim,claim-{n},causal,Claim {n},rain,rivers,+,{q},," for n, q in enumerate(quotes, start=1)]
        sheet = folder / "hundred.csv"
        sheet.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        return sheet, text
    entries = "".join(
        textwrap.dedent(f"""\
          - id: claim-{n}
            type: causal
            label: Claim {n}
            cause: rain
            effect: rivers
            polarity: "+"
            quote: "{q}"
        """)
        for n, q in enumerate(quotes, start=1)
    )
    sheet = folder / "hundred.sheet.yaml"
    sheet.write_text(
        "source: {id: hundred, title: A hundred, author: me}\nactors: [{id: me, label: me}]\n"
        "factors: [{id: rain, label: rain}, {id: rivers, label: rivers}]\nclaims:\n" + textwrap.indent(entries, ""),
        encoding="utf-8",
    )
    return sheet, text


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_an_invalid_entry_57_of_100_leaves_the_previous_output_byte_identical(run_cli, tmp_path, fmt):
    sheet, text = big_sheet(tmp_path, fmt=fmt)
    output = tmp_path / "hundred.ttl"
    assert run_cli("compile", str(sheet), "--source", str(text), "-o", str(output)).code == 0
    before = output.read_bytes()
    assert before.count(b"cg:CausalClaim") == N_CLAIMS
    sheet, text = big_sheet(tmp_path, bad_row=57, fmt=fmt)
    result = run_cli("compile", str(sheet), "--source", str(text), "-o", str(output))
    assert result.code == 2
    where = "hundred.csv: row 62:" if fmt == "csv" else "hundred.sheet.yaml:"  # header, source, actor, factors first
    assert where in result.err and "Sentence 57 says that snow" in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("cocagraph: error: ")
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_line_of_entry_57_is_named(run_cli, tmp_path):
    sheet, text = big_sheet(tmp_path, bad_row=57)
    result = run_cli("compile", str(sheet), "--source", str(text))
    line = next(n for n, row in enumerate(sheet.read_text().splitlines(), 1) if "Sentence 57 says" in row)
    assert f"hundred.sheet.yaml:{line}: the quote is not in hundred.txt" in result.err


_CHILD = """
import os, sys, time
from cocagraph.cli import main
real_replace = os.replace
def held_replace(src, dst):
    # The temporary file is written and fsynced; tell the test, then wait to be killed.
    print("WRITTEN", flush=True)
    time.sleep(120)
    real_replace(src, dst)
os.replace = held_replace
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_process_killed_mid_write_leaves_the_previous_output_byte_identical(tmp_path, sig):
    sheet, text = big_sheet(tmp_path)
    output = tmp_path / "hundred.ttl"
    output.write_bytes(b"# the previous output\n")
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, "compile", str(sheet), "--source", str(text), "-o", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as child:
        try:
            assert child.stdout is not None and child.stderr is not None
            assert child.stdout.readline().strip() == "WRITTEN"
            temporary = [p for p in tmp_path.iterdir() if p.name.startswith(".hundred.ttl.")]
            assert len(temporary) == 1 and temporary[0].stat().st_size > 1000  # the new content was on its way
            child.send_signal(sig)
            code = child.wait(timeout=60)
            stderr = child.stderr.read()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert output.read_bytes() == b"# the previous output\n"
    if sig == signal.SIGTERM:
        assert code == 130
        assert "interrupted" in stderr
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hundred.ttl.")]  # cleaned up
    else:
        assert code == -signal.SIGKILL


def test_compile_errors_are_one_line_with_exit_2(run_cli, tmp_path):
    missing = run_cli("compile", str(tmp_path / "nope.yaml"), "--source", str(DATA / "mini-source.txt"))
    assert missing.code == 2 and "nope.yaml: cannot read" in missing.err
    bad = tmp_path / "bad.sheet.yaml"
    bad.write_text("source: [unclosed\n", encoding="utf-8")
    result = run_cli("compile", str(bad), "--source", str(DATA / "mini-source.txt"))
    assert result.code == 2
    assert result.err.startswith(f"cocagraph: error: {bad}:2: YAML syntax error")
    assert "Traceback" not in result.err


def test_compile_writes_to_stdout_and_to_a_file(run_cli, tmp_path):
    out = run_cli("compile", str(DATA / "mini.sheet.yaml"), "--source", str(DATA / "mini-source.txt"))
    assert out.code == 0 and "claim:rain-raises-rivers" in out.out
    target = tmp_path / "mini.ttl"
    assert run_cli("compile", str(DATA / "mini.sheet.yaml"), "--source", str(DATA / "mini-source.txt"),
                   "-o", str(target)).code == 0  # fmt: skip
    assert target.read_text(encoding="utf-8") == out.out


def test_compile_checks_uses_against_the_shipped_graphs_by_default(run_cli, tmp_path):
    sheet = tmp_path / "c.sheet.yaml"
    sheet.write_text(
        (DATA / "contrary.sheet.yaml").read_text(encoding="utf-8").replace("drug-violence-peru", "drug-violence-per"),
        encoding="utf-8",
    )
    result = run_cli("compile", str(sheet), "--source", str(DATA / "contrary-source.txt"))
    assert result.code == 2
    assert "'uses' names factor 'drug-violence-per'" in result.err and "did you mean 'drug-violence-peru'" in result.err


def test_sheet_verb_writes_yaml_or_csv(run_cli, tmp_path, article_path):
    yaml_out = run_cli("sheet", "graphs/psg-peru-coca.ttl")
    assert yaml_out.code == 0 and yaml_out.out.startswith("# Written by `cocagraph sheet` from psg-peru-coca.ttl.")
    target = tmp_path / "article.csv"
    result = run_cli("sheet", "graphs/psg-peru-coca.ttl", "--source", str(article_path), "-o", str(target))
    assert result.code == 0
    assert target.read_text(encoding="utf-8").startswith("section,id,type,")


def test_sheet_verb_refuses_a_graph_with_triples_a_sheet_cannot_hold(run_cli, tmp_path):
    graph = tmp_path / "extra.ttl"
    compiled = run_cli("compile", str(DATA / "mini.sheet.yaml"), "--source", str(DATA / "mini-source.txt")).out
    graph.write_text(compiled + '\n<https://w3id.org/cocagraph/id/factor/rain> <http://example.org/colour> "grey" .\n',
                     encoding="utf-8")  # fmt: skip
    result = run_cli("sheet", str(graph))
    assert result.code == 2
    assert "a sheet cannot express these triples" in result.err and "http://example.org/colour" in result.err


def test_verbs_are_documented(run_cli):
    for verb in ("compile", "sheet", "conflicts"):
        result = run_cli(verb, "--help")
        assert result.code == 0 and "Usage: cocagraph" in result.out
