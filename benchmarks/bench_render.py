"""How long a large map takes: in Python (load, layout, page) and in headless Chromium (until drawn and still).

    .venv/bin/python benchmarks/bench_render.py                       # 2,000 factors, 10,000 claims
    .venv/bin/python benchmarks/bench_render.py --factors 5000 --claims 25000 --runs 3

The browser part needs Debian's chromium at /usr/bin/chromium (Playwright drives it); every
request but the page's own is aborted and counted. "Ready" is the first drawing of the map:
positions are computed in Python and physics is off, so the first drawing is the still map.
Prints one line per measure; writes the page and a screenshot under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    print(f"{label:<34} {time.perf_counter() - start:7.2f} s")
    return value


def _only(own: str, blocked: list[str]):
    """A route handler that lets the page itself through and aborts and keeps every other request."""

    def handle(route) -> None:
        if route.request.url == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return handle


def _errors_into(errors: list[str]):
    def handle(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    return handle


def browser_runs(page_path: Path, runs: int, shot: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        walls: list[float] = []
        for run in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            blocked: list[str] = []
            errors: list[str] = []
            own = page_path.resolve().as_uri()
            page.route("**/*", _only(own, blocked))
            page.on("console", _errors_into(errors))
            start = time.perf_counter()
            page.goto(own, timeout=120_000)
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
            wall = time.perf_counter() - start
            walls.append(wall)
            in_page = page.evaluate("window.cocagraphReadyAt") / 1000
            counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
            physics = page.evaluate("network.physics.options.enabled")
            t0 = page.evaluate("performance.now()")
            page.uncheck("input[name=certainty][value=hedged]")
            filter_ms = page.evaluate("performance.now()") - t0
            print(
                f"browser run {run + 1}: ready {wall:.2f} s after navigation (page clock {in_page:.2f} s); "
                f"{counts[0]} nodes, {counts[1]} edges; physics {'on' if physics else 'off'}; "
                f"hedged filter {filter_ms:.0f} ms; {len(blocked)} requests, {len(errors)} console errors"
            )
            if run == 0:
                page.check("input[name=certainty][value=hedged]")
                page.screenshot(path=str(shot))
            page.close()
        browser.close()
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entities", action="store_true", help="draw places as nodes too")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()

    from cocagraph.loading import load
    from cocagraph.projection import build_projection
    from cocagraph.render import build_map, corpus_context, render_page

    args.out.mkdir(parents=True, exist_ok=True)
    nt = args.out / f"corpus-{args.factors}-{args.claims}.nt"
    triples = timed("generate corpus", write_corpus, nt, factors=args.factors, claims=args.claims, seed=42)
    print(f"  {triples} triples, {args.factors} factors, {args.claims} causal claims with evidence")
    corpus = timed("load", load, [nt], cache=False)
    graph = timed("projection", build_projection, corpus)
    context = timed("corpus context", corpus_context, corpus)
    data = timed("map (pyvis network + layout)", build_map, graph, context=context, entities=args.entities)
    html = timed("page (template, vis inlined)", render_page, data)
    page_path = args.out / f"map-{args.factors}-{args.claims}.html"
    page_path.write_text(html, encoding="utf-8")
    print(f"  {page_path}: {len(html.encode('utf-8')) / 1e6:.1f} MB, {data.node_count} nodes, {data.edge_count} edges")
    if not Path(CHROMIUM).exists():
        print("chromium is missing: install it (apt-get install chromium) to time the browser")
        return
    browser_runs(page_path, args.runs, args.out / f"map-{args.factors}-{args.claims}.png")


def run(quick: bool = False) -> list:
    """The suite's entry: Python render time and the browser's time to a still map."""
    import statistics

    from common import Measurement

    from cocagraph.loading import load
    from cocagraph.projection import build_projection
    from cocagraph.render import build_map, corpus_context, render_page

    factors, claims = (100, 500) if quick else (2000, 10_000)
    out = HERE / "results"
    out.mkdir(parents=True, exist_ok=True)
    nt = out / f"corpus-{factors}-{claims}.nt"
    if not nt.exists():
        write_corpus(nt, factors=factors, claims=claims, seed=42)
    start = time.perf_counter()
    corpus = load([nt], cache=False)
    data = build_map(build_projection(corpus), context=corpus_context(corpus))
    html = render_page(data)
    python_s = time.perf_counter() - start
    page_path = out / f"map-{factors}-{claims}.html"
    page_path.write_text(html, encoding="utf-8")
    label = f"{factors:,} factors, {claims:,} claims"
    results = [Measurement("render", f"load + layout + page ({label})", python_s, "(no baseline)", None)]
    if Path(CHROMIUM).exists():
        walls = browser_runs(page_path, 1 if quick else 3, out / f"map-{factors}-{claims}.png")
        results.append(
            Measurement(
                "render",
                f"Chromium: drawn and still ({label})",
                statistics.median(walls),
                "(pyvis physics: 45 s for 1,000 nodes, not rerun)",
                None,
                "<= 10 s",
            )
        )
    return results


if __name__ == "__main__":
    main()
