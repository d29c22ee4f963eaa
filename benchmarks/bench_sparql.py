"""SPARQL engines compared on a generated corpus: pyoxigraph (cocagraph's engine) against
rdflib's own engine, in the same run, on the same file.

Tasks: load the file; a group-by count (causal claims by polarity); a 2-hop chain (pairs of
claims where one's effect is the other's cause); a text filter (quotes containing two words).
Each engine's answers are checked equal before any time is reported. Times are the median of
``--runs`` runs (rdflib: ``--rdflib-runs``, it is slow); ratios are rdflib / pyoxigraph.

    python benchmarks/bench_sparql.py --triples 1000000
    python benchmarks/bench_sparql.py --triples 5000 --runs 1 --json   # a smoke run

The cocagraph row adds what a user pays on top of the engine: the checks and the forked
worker of :func:`cocagraph.sparql.run_query`.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import sizes_for_triples, write_corpus

PREFIXES = {
    "cg": "https://w3id.org/cocagraph/ns#",
    "oa": "http://www.w3.org/ns/oa#",
}
QUERIES = {
    "group-by count": """
        SELECT ?polarity (COUNT(?c) AS ?n) WHERE { ?c a cg:CausalClaim ; cg:polarity ?polarity }
        GROUP BY ?polarity ORDER BY ?polarity""",
    "2-hop chain": """
        SELECT (COUNT(*) AS ?n) WHERE { ?c1 cg:effect ?f . ?c2 cg:cause ?f . ?c1 cg:cause ?a . ?c2 cg:effect ?b }""",
    "text filter": """
        SELECT (COUNT(?q) AS ?n) WHERE { ?s oa:exact ?q FILTER(CONTAINS(?q, "coca violence")) }""",
}


def _timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _ox_rows(store: Any, query: str) -> list[tuple[str, ...]]:
    results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    return [tuple(t.value for t in row) for row in results]


def _rdflib_rows(graph: Any, query: str) -> list[tuple[str, ...]]:
    return [tuple(str(t) for t in row) for row in graph.query(query, initNs=PREFIXES)]


def _bare_load(path: Path) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def measure(path: Path, runs: int, rdflib_runs: int) -> list[dict[str, Any]]:
    """Time every task on both engines; each row: task, oxigraph_s, rdflib_s, ratio."""
    import rdflib

    from cocagraph.loading import load
    from cocagraph.sparql import run_query

    rows = []
    # Engines compared like for like: both in memory, parsing the same file.
    bare_load, store = _timed(lambda: _bare_load(path), runs)
    rdf_load, graph = _timed(lambda: rdflib.Graph().parse(path, format="nt"), rdflib_runs)
    rows.append(
        {
            "task": "load",
            "oxigraph_s": bare_load,
            "rdflib_s": rdf_load,
            "ratio": rdf_load / bare_load,
            "triples": len(store),
        }
    )
    # cocagraph's loader also vets every IRI and blank-node nesting (in memory: the on-disk
    # cache, which makes a second load near-instant, is left out so that the figure is a parse).
    checked_load, corpus = _timed(lambda: load([path], cache=False), runs)
    rows.append(
        {"task": "load (cocagraph)", "oxigraph_s": checked_load, "rdflib_s": rdf_load, "ratio": rdf_load / checked_load}
    )
    for task, query in QUERIES.items():
        ox_time, ox_answer = _timed(lambda q=query: _ox_rows(store, q), runs)
        rdf_time, rdf_answer = _timed(lambda q=query: _rdflib_rows(graph, q), rdflib_runs)
        if sorted(ox_answer) != sorted(rdf_answer):
            raise SystemExit(f"{task}: the engines disagree: {ox_answer[:3]} vs {rdf_answer[:3]}")
        user_time, _ = _timed(lambda q=query: run_query(corpus, q, max_rows=None, timeout=600), runs)
        rows.append(
            {
                "task": task,
                "oxigraph_s": ox_time,
                "rdflib_s": rdf_time,
                "ratio": rdf_time / ox_time,
                "cocagraph_run_query_s": user_time,
                "answer": ox_answer[:4],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="corpus size (default 1,000,000)")
    parser.add_argument("--corpus", type=Path, help="use this N-Triples file instead of generating one")
    parser.add_argument("--runs", type=int, default=5, help="pyoxigraph runs per task (median)")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="rdflib runs per task (median)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.corpus
        if path is None:
            path = Path(folder) / "corpus.nt"
            factors, claims = sizes_for_triples(args.triples)
            write_corpus(path, factors=factors, claims=claims, seed=args.seed)
        rows = measure(path, args.runs, args.rdflib_runs)
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    print(f"{rows[0]['triples']:,} triples; medians of {args.runs} (pyoxigraph) and {args.rdflib_runs} (rdflib) runs")
    print(f"{'task':<18} {'pyoxigraph s':>12} {'rdflib s':>10} {'ratio':>8} {'run_query s':>12}")
    for row in rows:
        extra = row.get("cocagraph_run_query_s")
        print(
            f"{row['task']:<18} {row['oxigraph_s']:>12.4f} {row['rdflib_s']:>10.3f} {row['ratio']:>7.1f}x"
            + (f" {extra:>12.4f}" if extra is not None else "")
        )
    worst = min(row["ratio"] for row in rows)
    print(f"slowest ratio {worst:.1f}x (target >= 10x): {'met' if worst >= 10 else 'NOT met'}")
    return 0


def run(quick: bool = False) -> list[Any]:
    """The suite's entry (benchmarks/run.py): every task as a Measurement, pyoxigraph against rdflib."""
    from common import Measurement, corpus_file

    triples = 20_000 if quick else 1_000_000
    rows = measure(corpus_file(triples), 1 if quick else 5, 1 if quick else 3)
    label = f"{triples:,}-triple corpus"
    return [
        Measurement(
            "sparql",
            f"{row['task']} ({label})",
            row["oxigraph_s"],
            "rdflib's own engine",
            row["rdflib_s"],
            "" if row["task"] == "load (cocagraph)" else ">= 10x",
        )
        for row in rows
    ]


if __name__ == "__main__":
    sys.exit(main())
