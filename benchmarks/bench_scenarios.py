"""Benchmark: one policy scenario to convergence on a generated corpus, sparse matrices vs a Python loop.

Both sides run the same fuzzy-cognitive-map iteration (cocagraph.scenarios.propagation) from the
same folded links, in the same process, and must end in the same state: ``iterate`` as
scipy.sparse matrix-vector products, ``iterate_loop`` as a plain loop over each factor's incoming
links (the baseline). Times are medians of several runs; the figure reported is the ratio
loop / sparse. Setting up each side (building the sparse matrix, or the lists of incoming links)
is timed apart and reported, so the end-to-end ratio can be read too.

The scenario holds the factor with the most outgoing claims at +1. On a random graph with ten
claims per factor the map at steepness 1 does not settle (it swings: the loops' gain is far
above 1), so the headline run uses the steepness that makes the map a contraction
(0.9 / the largest row sum of |W|; tanh is 1-Lipschitz), which guarantees convergence to the
one fixed point; the run at the default steepness, stopped at the step cap, is reported too.

    .venv/bin/python benchmarks/bench_scenarios.py                 # 12,500 factors, 125,000 claims
    .venv/bin/python benchmarks/bench_scenarios.py --factors 300 --claims 3000 --repeats 3
    .venv/bin/python benchmarks/run.py scenarios                    # in the suite's table

For the suite, ``run(quick)`` returns its Measurements (quick: a tiny corpus); ``measure(...)``
returns every figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET = 20.0
FULL = (12_500, 125_000)
QUICK = (60, 600)


def _median_time(func: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def run(quick: bool = False) -> list[Any]:
    """The suite's entry point: the two runs as Measurements (ours: sparse; baseline: the loop)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import CORPUS_DIR, Measurement

    factors, claims = QUICK if quick else FULL
    corpus = None
    if not quick:
        CORPUS_DIR.mkdir(parents=True, exist_ok=True)
        corpus = CORPUS_DIR / f"scenarios-{factors}-{claims}-noev.nt"
    result = measure(factors, claims, repeats=3 if quick else 5, loop_repeats=1 if quick else 3, corpus=corpus)
    return [
        Measurement(
            "scenarios",
            f"one scenario, {r['run']}: {r['status']} in {r['steps']} steps ({result['factors']} factors)",
            r["sparse_seconds"],
            "plain Python loop over the graph",
            r["loop_seconds"],
            target=f">= {TARGET:.0f}x" if n == 0 else "",
        )
        for n, r in enumerate(result["runs"])
    ]


def measure(
    factors: int = 12_500,
    claims: int = 125_000,
    *,
    seed: int = 42,
    repeats: int = 5,
    loop_repeats: int = 3,
    corpus: Path | None = None,
) -> dict[str, Any]:
    """Generate (or reuse) the corpus, load it the usual way, and time both propagations."""
    import numpy as np

    from cocagraph.loading import load
    from cocagraph.projection import build_projection
    from cocagraph.scenarios.propagation import influence_lists, influence_matrix, iterate, iterate_loop, links

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = corpus or Path(tmp) / "corpus.nt"
        if not path.exists():
            partial = path.with_suffix(".tmp")  # never leave a half-written corpus to be reused
            write_corpus(partial, factors=factors, claims=claims, seed=seed, evidence=False)
            partial.replace(path)
        start = time.perf_counter()
        graph = build_projection(load([path], max_bytes=1 << 34))
        load_seconds = time.perf_counter() - start

    folded = links(graph)
    order = sorted(graph.nodes)
    matrix_seconds, matrix = _median_time(lambda: influence_matrix(order, folded.values()), repeats)
    lists_seconds, lists = _median_time(lambda: influence_lists(order, folded.values()), loop_repeats)
    out_degree: dict[str, int] = {}
    for cause, _ in folded:
        out_degree[cause] = out_degree.get(cause, 0) + 1
    lever = max(sorted(out_degree), key=lambda iri: out_degree[iri])
    clamped = {order.index(lever): 1.0}
    row_sums = np.asarray(abs(matrix).sum(axis=1)).ravel()
    contraction = 0.9 / float(row_sums.max()) if row_sums.size and row_sums.max() > 0 else 1.0

    runs = []
    for name, steepness in (("to convergence (contraction steepness)", contraction), ("default steepness 1", 1.0)):
        sparse_s, sparse = _median_time(lambda s=steepness: iterate(matrix, clamped, steepness=s), repeats)
        loop_s, loop = _median_time(lambda s=steepness: iterate_loop(lists, clamped, steepness=s), loop_repeats)
        difference = max((abs(a - b) for a, b in zip(sparse.state, loop.state, strict=True)), default=0.0)
        # A map that does not settle amplifies rounding (sums in another order), so only a converged
        # run must agree to the last digits; the other's difference is reported.
        if (sparse.steps, sparse.status) != (loop.steps, loop.status) or (sparse.converged and difference > 1e-9):
            raise SystemExit(
                f"the two propagations disagree ({name}): {sparse.status}/{sparse.steps} vs "
                f"{loop.status}/{loop.steps}, largest difference {difference:.3g}"
            )
        runs.append(
            {
                "run": name,
                "steepness": steepness,
                "status": sparse.status,
                "steps": sparse.steps,
                "moved": sum(1 for x in sparse.state if abs(x) >= 1e-3) - len(clamped),
                "loop_seconds": loop_s,
                "sparse_seconds": sparse_s,
                "ratio": loop_s / sparse_s if sparse_s else float("inf"),
                "end_to_end_ratio": (lists_seconds + loop_s) / (matrix_seconds + sparse_s),
                "largest_difference": difference,
            }
        )
    return {
        "factors": graph.number_of_nodes(),
        "claims": graph.number_of_edges(),
        "links": len(folded),
        "lever": lever,
        "load_and_project_seconds": load_seconds,
        "matrix_setup_seconds": matrix_seconds,
        "lists_setup_seconds": lists_seconds,
        "repeats": repeats,
        "loop_repeats": loop_repeats,
        "target": TARGET,
        "runs": runs,
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"corpus: {result['factors']} factors, {result['claims']} causal claims ({result['links']} links); "
        f"loaded and projected in {result['load_and_project_seconds']:.1f} s",
        f"scenario: {result['lever']} = +1 (the factor with the most outgoing claims)",
        f"setup (median): sparse matrix {result['matrix_setup_seconds'] * 1e3:.1f} ms, "
        f"incoming-link lists {result['lists_setup_seconds'] * 1e3:.1f} ms",
    ]
    for r in result["runs"]:
        lines.append(
            f"{r['run']}: steepness {r['steepness']:.4g}, {r['status']} after {r['steps']} steps, "
            f"{r['moved']} factors moved; loop {r['loop_seconds'] * 1e3:.1f} ms (median of {result['loop_repeats']}), "
            f"sparse {r['sparse_seconds'] * 1e3:.2f} ms (median of {result['repeats']}): "
            f"{r['ratio']:.0f}x faster (with setup: {r['end_to_end_ratio']:.1f}x); "
            f"states agree to {r['largest_difference']:.1g}"
        )
    headline = result["runs"][0]["ratio"]
    lines.append(
        f"target: >= {result['target']:.0f}x on the run to convergence: "
        f"{'met' if headline >= result['target'] else 'MISSED'} ({headline:.0f}x)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", type=int, default=12_500)
    parser.add_argument("--claims", type=int, default=125_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=5, help="runs of the sparse propagation (median)")
    parser.add_argument("--loop-repeats", type=int, default=3, help="runs of the loop baseline (median)")
    parser.add_argument("--corpus", type=Path, help="reuse (or keep) the generated corpus at this path")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = measure(
        args.factors,
        args.claims,
        seed=args.seed,
        repeats=args.repeats,
        loop_repeats=args.loop_repeats,
        corpus=args.corpus,
    )
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
