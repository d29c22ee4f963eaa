"""The SPARQL benchmark runs end to end on a tiny corpus (no timing is asserted: the figures
come from a full run, see docs/sparql.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import ROOT


def test_benchmark_smoke_run_checks_both_engines_agree():
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_sparql.py"),
            "--triples",
            "3000",
            "--runs",
            "1",
            "--rdflib-runs",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["task"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {"load", "load (cocagraph)", "group-by count", "2-hop chain", "text filter"}
    assert rows["load"]["triples"] > 2000
    for row in rows.values():
        assert row["oxigraph_s"] > 0 and row["rdflib_s"] > 0 and row["ratio"] > 0
    # The group-by answers the two polarities; the engines were checked to agree on it.
    assert {answer[0].rsplit("#", 1)[1] for answer in rows["group-by count"]["answer"]} == {"Increases", "Decreases"}
