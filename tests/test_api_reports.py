"""Every kind of answer has one report module with the same interface (cocagraph.reports)."""

from __future__ import annotations

import pytest

from cocagraph.errors import UsageError
from cocagraph.reports import KINDS, report_for


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_report_with_the_shared_functions(kind):
    report = report_for(kind)
    for name in ("title", "text", "data", "rows", "notes"):
        assert callable(getattr(report, name)), (kind, name)
    assert hasattr(report, "COLUMNS") or hasattr(report, "columns")


def test_an_unknown_kind_is_a_usage_error():
    with pytest.raises(UsageError, match="no report for answers of kind 'frob'"):
        report_for("frob")


def test_the_cli_formats_nothing_itself():
    """The analysis and scenario verbs print through the reports: no layout code is left there."""
    from helpers import ROOT

    for module in ("analysis_commands", "scenario_commands", "argument_commands"):
        text = (ROOT / "src" / "cocagraph" / "cli" / f"{module}.py").read_text(encoding="utf-8")
        assert "format_rows" not in text and "json.dumps" not in text, module
