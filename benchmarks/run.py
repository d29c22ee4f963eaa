"""Run every benchmark and print one table: ours, the baseline measured in the same run, the
ratio and the target beside it.

    python benchmarks/run.py            # the full sizes (minutes; the 1M-triple corpus is made once)
    python benchmarks/run.py --quick    # tiny corpora, to check that nothing has rotted
    python benchmarks/run.py startup cache   # only these
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import format_table

SUITE = ("startup", "cache", "sparql", "serve", "analysis", "scenarios", "render")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = [a for a in argv if not a.startswith("-")] or list(SUITE)
    results, failures = [], []
    for name in chosen:
        try:
            module = importlib.import_module(f"bench_{name}")
        except ModuleNotFoundError as exc:
            failures.append(f"{name}: no benchmark module ({exc})")
            continue
        if not hasattr(module, "run"):
            failures.append(f"{name}: bench_{name}.py has no run(quick) function")
            continue
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.extend(module.run(quick))
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(format_table(results))
    for failure in failures:
        print(f"not run: {failure}")
    return 1 if failures and not results else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
