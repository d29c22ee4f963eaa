"""The command line's contract: every verb documented, errors as one line, exit codes."""

from __future__ import annotations

import subprocess
import sys

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
