"""Claim sheets under attack (issue 12, "Claim sheets"): typed values checked with their line,
occurrences counted from 1, the closest-passage search bounded, lone surrogates refused."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import pytest

from cocagraph.errors import SheetError
from cocagraph.sheets import closest_passage, compile_sheet
from helpers import SHARED

HEAD = """\
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
claims:
  - id: rain-falls
    type: event
    label: Rain falls
    quote: Rain falls
"""
TEXT = "Rain falls. Rain falls again. The river rises."


def write(tmp_path: Path, sheet: str, text: str = TEXT) -> tuple[Path, Path]:
    sheet_path, text_path = tmp_path / "s.sheet.yaml", tmp_path / "t.txt"
    sheet_path.write_text(textwrap.dedent(sheet), encoding="utf-8")
    text_path.write_text(text, encoding="utf-8")
    return sheet_path, text_path


def refused(tmp_path: Path, sheet: str) -> str:
    with pytest.raises(SheetError) as info:
        compile_sheet(*write(tmp_path, sheet))
    return str(info.value)


# ---------------------------------------------------------------- typed values


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('    date: "2013-02-30"', "s.sheet.yaml:16: '2013-02-30' is not a day of the calendar"),
        ('    date: "2013-13"', "s.sheet.yaml:16: '2013-13' is not a month"),
        ('    date: "2013-00-10"', "s.sheet.yaml:16: '2013-00-10' is not a day of the calendar"),
        ('    inferred_date: "2013-02-29"', "s.sheet.yaml:16: '2013-02-29' is not a day of the calendar"),
        ('    date: "2012-02-29"', None),  # a leap day is a day
    ],
)
def test_a_date_that_is_no_date_is_refused_with_its_line(tmp_path, line, expected):
    sheet = HEAD.replace("    quote: Rain falls\n", f"    quote: Rain falls. Rain falls again\n{line}\n")
    if expected is None:
        compile_sheet(*write(tmp_path, sheet))
    else:
        assert expected in refused(tmp_path, sheet)


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path):
    sheet = HEAD.replace(
        "    quote: Rain falls\n", '    quote: Rain falls. Rain falls again\n    period: "2012/2011"\n'
    )
    assert "s.sheet.yaml:16: the period 2012/2011 ends before it starts" in refused(tmp_path, sheet)


def test_a_language_tag_that_is_no_tag_is_refused_with_its_line(tmp_path):
    sheet = HEAD.replace("  title: A tiny text\n", "  title: A tiny text\n  language: en us\n")
    assert "s.sheet.yaml:4: 'en us' is not a language tag" in refused(tmp_path, sheet)


def test_the_cli_refuses_a_bad_date_with_exit_2_no_traceback_and_no_file(tmp_path, run_cli):
    sheet = HEAD.replace("    quote: Rain falls\n", '    quote: Rain falls. Rain falls again\n    date: "2013-02-30"\n')
    sheet_path, text_path = write(tmp_path, sheet)
    out = tmp_path / "out.ttl"
    result = run_cli("compile", str(sheet_path), "--source", str(text_path), "-o", str(out))
    assert result.code == 2
    assert "s.sheet.yaml:16:" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not out.exists()


# ---------------------------------------------------------------- occurrences


def test_occurrence_zero_is_refused_occurrences_count_from_one(tmp_path):
    sheet = HEAD.replace("    quote: Rain falls\n", "    quote: Rain falls [occurrence 0]\n")
    message = refused(tmp_path, sheet)
    assert "s.sheet.yaml:15:" in message and "occurrences count from 1" in message


def test_occurrence_one_and_two_pick_the_first_and_second(tmp_path):
    for n, start in ((1, 0), (2, 12)):
        sheet = HEAD.replace("    quote: Rain falls\n", f"    quote: Rain falls [occurrence {n}]\n")
        graph = compile_sheet(*write(tmp_path, sheet))
        starts = [int(o) for s, p, o in graph if str(p).endswith("#start")]
        assert starts == [start]


# ---------------------------------------------------------------- the closest passage


def big_text() -> str:
    article = (SHARED / "sources" / "psg-peru-coca.txt").read_text(encoding="utf-8")
    filler = "Coca growers in the valleys sold their leaf at the market of the town, as every year before. "
    return filler * (1_200_000 // len(filler)) + article + filler * 100


def count_ratios(monkeypatch) -> list[int]:
    calls = [0]
    for name in ("ratio", "quick_ratio", "real_quick_ratio"):
        original = getattr(difflib.SequenceMatcher, name)

        def counted(self, _original=original):
            calls[0] += 1
            return _original(self)

        monkeypatch.setattr(difflib.SequenceMatcher, name, counted)
    return calls


@pytest.mark.parametrize("words", [60, 300])
def test_the_closest_passage_compares_a_bounded_number_of_candidates(monkeypatch, words):
    text = big_text()
    article_words = text[text.index("The latest figures for Peruvian") :].split()
    passage = " ".join(article_words[:words])
    typo = passage.replace("production", "prodution", 1).replace("’", "'")
    calls = count_ratios(monkeypatch)
    found = closest_passage(text, typo)
    assert calls[0] <= 50  # a fixed number of candidates, not one per word of a 1.2 MB text
    assert difflib.SequenceMatcher(None, found, passage, autojunk=False).ratio() > 0.9


def test_the_closest_passage_is_the_texts_own_words():
    text = "One line\nof text with\ttabs. And another line of text."
    assert closest_passage(text, "of text with tabs") == "of text with\ttabs."
    assert closest_passage(text, "nothing shared here") == ""


def test_a_quote_with_a_straight_apostrophe_finds_the_curly_one(tmp_path):
    sheet = HEAD.replace("    quote: Rain falls\n", '    quote: "Peru\'s output fell"\n')
    with pytest.raises(SheetError) as info:
        compile_sheet(*write(tmp_path, sheet, "In 2012 Peru’s output fell, they say."))
    assert "closest passage: 'Peru’s output fell,'" in str(info.value)


# ---------------------------------------------------------------- surrogates


@pytest.mark.parametrize("where", ["label", "quote", "key"])
def test_a_lone_surrogate_is_refused_with_its_line(tmp_path, where):
    if where == "key":
        sheet = HEAD.replace("    label: Rain falls\n", '    label: Rain falls\n    "\\ud800": x\n')
    else:
        sheet = HEAD.replace(f"    {where}: Rain falls\n", f'    {where}: "Rain \\ud800falls"\n')
    message = refused(tmp_path, sheet)
    assert "s.sheet.yaml:" in message and "lone surrogate" in message
