"""Every quote against the article, to the letter (when ../shared is present), and the
failures of `verify-quotes` on tampered copies."""

from __future__ import annotations

import subprocess
import sys

from cocagraph.loading import load
from cocagraph.quotes import verify_quotes
from helpers import ROOT, SHARED

ARTICLE_TTL = "graphs/psg-peru-coca.ttl"


def test_every_quote_holds_against_the_article(corpus, article_path):
    report = verify_quotes(corpus, article_path)
    assert report.checked >= 80
    assert report.problems == ()
    assert report.holds


def test_the_shared_checker_agrees(article_path):
    """The project's promise checked from outside, with ../shared/tools/check_quotes.py."""
    checker = SHARED / "tools" / "check_quotes.py"
    result = subprocess.run(
        [sys.executable, str(checker), str(article_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    held, total = result.stdout.split(" quotes hold")[0].split()[-3::2]
    assert held == total


def test_verify_quotes_command_exit_0(run_cli, article_path):
    result = run_cli("verify-quotes", "--source", str(article_path))
    assert result.code == 0
    assert result.out.strip().endswith("quotes hold against psg-peru-coca.txt")


def test_a_changed_quote_fails_and_shows_the_closest_passage(graph_copy, article_path, run_cli):
    path = graph_copy / ARTICLE_TTL
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('oa:exact "This is not easy to do"', 'oa:exact "This is not at all easy to do"'), encoding="utf-8"
    )
    result = run_cli("verify-quotes", "--source", str(article_path), str(graph_copy / "ontology"), str(path))
    assert result.code == 1
    assert "not in psg-peru-coca.txt to the letter: 'This is not at all easy to do'" in result.out
    closest = next(line for line in result.out.splitlines() if "closest passage:" in line)
    assert "This is not easy to do" in closest


def test_wrong_offsets_are_reported(graph_copy, article_path):
    path = graph_copy / ARTICLE_TTL
    text = path.read_text(encoding="utf-8")
    start = text.index("claim/wedge-not-easy/evidence/1/position>")
    chunk = text[start : start + 300]
    path.write_text(text.replace(chunk, chunk.replace('oa:start "5252"', 'oa:start "5251"'), 1), encoding="utf-8")
    report = verify_quotes(load([graph_copy / "ontology", path]), article_path)
    assert any("offsets 5251-5274" in p.message for p in report.problems)


def test_a_different_text_fails_the_hash(tmp_path, corpus, article_text):
    altered = tmp_path / "psg-peru-coca.txt"
    altered.write_text(article_text.replace("Trujillo", "Trujilo", 1), encoding="utf-8")
    report = verify_quotes(corpus, altered)
    assert not report.holds
    assert any("SHA-256" in p.message for p in report.problems)
