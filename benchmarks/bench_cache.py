"""Loading a large corpus: the warm cache against a cold load (building the cache) for one
`cocagraph sparql` count of claims by polarity, and the peak memory of the cold load.
Targets: warm at least 20x faster than cold; the 1M-triple load under 1 GB peak."""

from __future__ import annotations

import os
import sys
import tempfile

from common import Measurement, cocagraph_argv, corpus_file, process_peak_mb, process_seconds

QUERY = (
    "SELECT ?polarity (COUNT(?c) AS ?n) WHERE { ?c <https://w3id.org/cocagraph/ns#polarity> ?polarity } "
    "GROUP BY ?polarity"
)


def run(quick: bool = False) -> list[Measurement]:
    triples = 20_000 if quick else 1_000_000
    data = corpus_file(triples)
    argv = cocagraph_argv("sparql", QUERY, "--graph", str(data), "--format", "csv")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "COCAGRAPH_CACHE_DIR": folder, "COCAGRAPH_CACHE": "on"}
        cold_runs = []
        for _ in range(1 if quick else 3):
            for child in os.listdir(folder):  # every cold run starts from an empty cache
                import shutil

                shutil.rmtree(os.path.join(folder, child), ignore_errors=True)
            cold_runs.append(process_peak_mb(argv, env))
        cold_s = sorted(r[0] for r in cold_runs)[len(cold_runs) // 2]
        peak = max(r[1] for r in cold_runs)
        warm_s = process_seconds(argv, 3 if quick else 7, env)
        off_env = {**os.environ, "COCAGRAPH_CACHE": "off"}
        nocache_s, nocache_peak = process_peak_mb(argv, off_env)
    label = f"{triples:,}-triple corpus"
    return [
        Measurement(
            "cache", f"sparql count by polarity, warm ({label})", warm_s, "cold (builds cache)", cold_s, ">= 20x", peak
        ),
        Measurement(
            "cache",
            f"sparql count by polarity, warm ({label})",
            warm_s,
            "no cache (parse)",
            nocache_s,
            "",
            nocache_peak,
        ),
    ]


if __name__ == "__main__":
    from common import format_table

    print(format_table(run("--quick" in sys.argv)))
