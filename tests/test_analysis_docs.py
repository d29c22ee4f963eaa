"""Every analysis verb has --help and a section in docs/causal-analysis.md; the confidence rule is
stated in both, with the same numbers the code uses."""

from __future__ import annotations

import pytest

from cocagraph.analysis.steps import CERTAINTY_WEIGHTS, EXPLICITNESS_WEIGHTS
from cocagraph.cli import COMMANDS
from helpers import ROOT

VERBS = ["paths", "drivers", "effects", "loops", "leverage", "explain", "export"]
DOC = ROOT / "docs" / "causal-analysis.md"


@pytest.mark.parametrize("verb", VERBS)
def test_verb_is_registered_helped_and_documented(verb, run_cli):
    assert COMMANDS[verb][0].startswith("analysis_commands:")
    result = run_cli(verb, "--help")
    assert result.code == 0 and "--graph" in result.out and "--endpoint" in result.out
    assert f"`cocagraph {verb}" in DOC.read_text(encoding="utf-8")


def test_confidence_rule_is_the_codes():
    assert CERTAINTY_WEIGHTS == {"asserted": 1.0, "hedged": 0.5}
    assert EXPLICITNESS_WEIGHTS == {"stated": 1.0, "inferred": 0.75}
    doc = DOC.read_text(encoding="utf-8")
    assert "| asserted | 1.0 | 0.75 |" in doc and "| hedged | 0.5 | 0.375 |" in doc


def test_paths_help_states_how_confidence_is_made(run_cli):
    out = " ".join(run_cli("paths", "--help").out.split())
    assert "product of its steps' weights: asserted 1.0, hedged 0.5, times stated 1.0, inferred 0.75" in out
