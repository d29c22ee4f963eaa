"""What every benchmark shares: timing with medians, whole-process timing and peak memory,
and the table the suite prints.

A benchmark module exposes ``run(quick: bool) -> list[Measurement]``; ``quick`` uses a tiny
corpus so the smoke test can run it in seconds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("COCAGRAPH_BENCH_DIR", ROOT / "benchmarks" / "corpus"))


@dataclass(frozen=True)
class Measurement:
    """One comparison: ours against a named baseline measured in the same run."""

    benchmark: str
    what: str
    ours_s: float
    baseline: str
    baseline_s: float | None
    target: str = ""
    peak_mb: float | None = None
    #: The baseline was stopped before it finished: the ratio is a lower bound.
    baseline_cut: bool = False

    @property
    def ratio(self) -> float | None:
        """How many times faster ours is than the baseline (None where there is no baseline)."""
        if self.baseline_s is None:
            return None
        return self.baseline_s / self.ours_s if self.ours_s else float("inf")


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall-clock time of ``fn`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_seconds(argv: Sequence[str], repeat: int = 5, env: dict[str, str] | None = None) -> float:
    """Median wall-clock time of a whole process (start-up included)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(list(argv), check=True, capture_output=True, env=env, timeout=600)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_peak_mb(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (MB) of one run of a process."""
    code = (
        "import resource, subprocess, sys, time, json; t = time.perf_counter(); "
        "subprocess.run(json.loads(sys.argv[1]), check=True, capture_output=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(list(argv))],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    ).stdout.split()
    return float(out[0]), float(out[1]) / 1024


def cocagraph_argv(*args: str) -> list[str]:
    """The cocagraph command of this interpreter's environment."""
    return [sys.executable, "-m", "cocagraph", *args]


def corpus_file(triples: int, *, evidence: bool = True) -> Path:
    """A generated corpus of about ``triples`` triples (made once, kept under CORPUS_DIR)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import sizes_for_triples, write_corpus

    factors, claims = sizes_for_triples(triples)
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    path = CORPUS_DIR / f"corpus-{triples}{'' if evidence else '-noev'}.nt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        write_corpus(tmp, factors=factors, claims=claims, seed=42, evidence=evidence)
        tmp.replace(path)
    return path


def format_table(measurements: Sequence[Measurement]) -> str:
    """The suite's table: ours, the baseline, the ratio, and the target beside it."""
    rows = [("benchmark", "what", "ours", "baseline", "baseline time", "ratio", "target", "peak")]
    for m in measurements:
        rows.append(
            (
                m.benchmark,
                m.what,
                _seconds(m.ours_s),
                m.baseline,
                "—" if m.baseline_s is None else ("> " if m.baseline_cut else "") + _seconds(m.baseline_s),
                "—" if m.ratio is None else (">= " if m.baseline_cut else "") + f"{m.ratio:.1f}x",
                m.target,
                f"{m.peak_mb:.0f} MB" if m.peak_mb is not None else "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _seconds(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
