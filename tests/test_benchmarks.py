"""The benchmark suite runs end to end on tiny corpora, so it cannot rot (its figures are
not checked: timing assertions do not belong in tests)."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT


def test_suite_runner_prints_ratios_beside_targets(tmp_path):
    env = {"COCAGRAPH_BENCH_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "startup", "cache", "scenarios"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["benchmark", "what", "ours"] and "ratio" in lines[0] and "target" in lines[0]
    benchmarks = {line.split()[0] for line in lines[2:] if line.strip() and not line.startswith("not run")}
    assert {"startup", "cache", "scenarios"} <= benchmarks
    # Every comparison with a baseline shows its ratio, e.g. "3.6x".
    assert all(re.search(r"\d+\.\dx", line) for line in lines[2:] if line.startswith(("cache", "scenarios")))
