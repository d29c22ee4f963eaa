"""Start-up: quick commands on the shipped graph, as whole processes, against
``python -c "import rdflib"`` in the same run. Target: `cocagraph paths` within 2.5x of it."""

from __future__ import annotations

import sys

from common import Measurement, cocagraph_argv, process_seconds

COMMANDS = {
    "paths": ("paths", "coca production", "political violence"),
    "sparql": ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/cocagraph/ns#Claim> }"),
    "claims": ("claims", "--format", "json"),
}


def run(quick: bool = False) -> list[Measurement]:
    repeat = 3 if quick else 11
    baseline = process_seconds([sys.executable, "-c", "import rdflib"], repeat)
    from cocagraph.cli import COMMANDS as REGISTERED

    results = []
    for name, args in COMMANDS.items():
        if name not in REGISTERED:
            continue
        ours = process_seconds(cocagraph_argv(*args), repeat)
        # The ratio column is baseline/ours; the target is ours <= 2.5 x baseline, i.e. ratio >= 0.4.
        results.append(
            Measurement(
                "startup",
                f"cocagraph {name} (article)",
                ours,
                "import rdflib",
                baseline,
                "within 2.5x: ratio >= 0.4" if name == "paths" else "",
            )
        )
    return results


if __name__ == "__main__":
    from common import format_table

    print(format_table(run("--quick" in sys.argv)))
