"""A smoke run of benchmarks/bench_analysis.py on a tiny corpus: it runs, its two projections are
the same graph, and its loop counts agree with networkx.simple_cycles. (No timing is asserted.)"""

from __future__ import annotations

import importlib.util

from helpers import ROOT


def test_benchmark_runs_on_a_tiny_corpus(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_analysis", ROOT / "benchmarks" / "bench_analysis.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "results.json"
    results = bench.main(
        [
            "--factors",
            "40",
            "--claims",
            "120",
            "--runs",
            "1",
            "--pairs",
            "3",
            "--loop-length",
            "4",
            "--baseline-timeout",
            "60",
            "--json",
            str(out),
            "--evidence",
        ]
    )
    assert results["projection"]["same_graph"] is True
    assert results["projection"]["edges"] == 120 and results["projection"]["nodes"] == 40
    assert results["loops"]["simple_cycles"]["finished"] is True and results["loops"]["agree"] is True
    assert len(results["paths"]["found"]) == 3 and out.exists()
    printed = capsys.readouterr().out
    assert "projection build: ours" in printed and "ratio" in printed
