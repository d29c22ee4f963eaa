"""Smoke test: the scenario benchmark runs end to end on a tiny corpus (no timing is asserted)."""

from __future__ import annotations

import importlib.util

from helpers import ROOT


def test_benchmark_runs_on_a_tiny_corpus():
    spec = importlib.util.spec_from_file_location("bench_scenarios", ROOT / "benchmarks" / "bench_scenarios.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(factors=40, claims=300, seed=3, repeats=1, loop_repeats=1)
    assert result["factors"] == 40 and result["claims"] == 300
    converged, capped = result["runs"]
    assert converged["status"] == "converged" and converged["largest_difference"] < 1e-9
    assert converged["moved"] > 0
    assert capped["steepness"] == 1.0 and capped["steps"] >= 1
    text = bench.report(result)
    assert "target: >= 20x" in text and "faster" in text


def test_benchmark_fits_the_suite():
    spec = importlib.util.spec_from_file_location("bench_scenarios", ROOT / "benchmarks" / "bench_scenarios.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    measurements = bench.run(quick=True)
    assert [m.benchmark for m in measurements] == ["scenarios", "scenarios"]
    assert measurements[0].target == ">= 20x" and "converged" in measurements[0].what
    assert all(m.ours_s > 0 and m.baseline_s > 0 for m in measurements)
