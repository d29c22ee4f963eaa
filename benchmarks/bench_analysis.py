"""Benchmark of the causal analysis on a generated corpus (a script, not a test).

    python benchmarks/bench_analysis.py                      # 125,000 causal claims over 12,500 factors
    python benchmarks/bench_analysis.py --factors 200 --claims 2000 --runs 1 --baseline-timeout 5

What it measures, each the median of --runs runs, with the baselines run in the same process:
  1. projection build: ours (cocagraph.projection: two SELECTs on the Oxigraph store, rows read
     through Oxigraph's CSV writer) against the same MultiDiGraph built with plain rdflib code
     over an rdflib Graph (the rdflib_to_networkx_multidigraph style: walk the triples with
     Graph.subjects / Graph.value / Graph.objects). Both start from already-parsed data; the two
     graphs are checked equal. Also the projection as it was built before (rows converted term by
     term by engine.select), for the record.
  2. `paths` for 10 seeded pairs of factors (best first, --max-length 6, --limit 10).
  3. `loops --through` for 10 seeded factors (every loop up to --loop-length links) against
     networkx.simple_cycles(length_bound=...) run once in a child process, stopped after
     --baseline-timeout seconds: then the ratio is a lower bound and is reported as such.

The corpus is written without evidence annotations by default (--evidence adds them: 2.8 million
triples instead of 1.3 million, and the rdflib Graph alone then takes about 3.5 GB). Results go to
stdout and, with --json, to a file (benchmarks/results/ is not committed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402  (the sibling script)

CG = "https://w3id.org/cocagraph/ns#"


def median_time(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def rdflib_projection(graph: Any) -> Any:
    """The causal projection built with plain rdflib: the baseline (same nodes, edges, attributes)."""
    import networkx as nx
    from rdflib import RDF, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    from cocagraph.catalog import short_name

    cg, oa = Namespace(CG), Namespace("http://www.w3.org/ns/oa#")
    out = nx.MultiDiGraph()
    factors = sorted(str(f) for f in graph.subjects(RDF.type, cg.Factor))
    policies = {str(p) for p in graph.subjects(RDF.type, cg.PolicyOption)}
    for iri in factors:
        node = URIRef(iri)
        label = graph.value(node, SKOS.prefLabel)
        alts = {str(a) for p in (SKOS.altLabel, SKOS.hiddenLabel) for a in graph.objects(node, p)}
        out.add_node(
            iri,
            label=str(label) if label is not None else short_name(iri),
            alt_labels=tuple(sorted(alts)),
            kind="policy" if iri in policies else "factor",
            themes=tuple(sorted(short_name(str(t)) for t in graph.objects(node, cg.theme))),
            places=tuple(
                sorted(
                    str(graph.value(p, SKOS.prefLabel))
                    for p in graph.objects(node, cg.place)
                    if graph.value(p, SKOS.prefLabel) is not None
                )
            ),
            actors=tuple(
                sorted(
                    str(graph.value(a, SKOS.prefLabel))
                    for a in graph.objects(node, cg.actor)
                    if graph.value(a, SKOS.prefLabel) is not None
                )
            ),
        )
    for claim in sorted(str(c) for c in graph.subjects(RDF.type, cg.CausalClaim)):
        node = URIRef(claim)
        cause, effect = graph.value(node, cg.cause), graph.value(node, cg.effect)
        polarity = graph.value(node, cg.polarity)
        if cause is None or effect is None or polarity is None:
            continue
        quotes: dict[str, int] = {}
        source = title = None
        for annotation in graph.objects(node, cg.evidence):
            for target in graph.objects(annotation, oa.hasTarget):
                source = graph.value(target, oa.hasSource)
                title = graph.value(source, DCTERMS.title) if source is not None else None
                starts = [
                    int(graph.value(s, oa.start))
                    for s in graph.objects(target, oa.hasSelector)
                    if (s, RDF.type, oa.TextPositionSelector) in graph and graph.value(s, oa.start) is not None
                ]
                for selector in graph.objects(target, oa.hasSelector):
                    exact = graph.value(selector, oa.exact)
                    if exact is not None and (selector, RDF.type, oa.TextQuoteSelector) in graph:
                        quotes.setdefault(str(exact), min(starts) if starts else 1 << 62)
        for end in (str(cause), str(effect)):
            if end not in out:
                out.add_node(end, label=short_name(end), alt_labels=(), kind="factor", themes=(), places=(), actors=())
        ordered = tuple(q for q, _ in sorted(quotes.items(), key=lambda kv: (kv[1], kv[0])))
        sign = -1 if str(polarity) == CG + "Decreases" else 1
        certainty, explicitness = graph.value(node, cg.certainty), graph.value(node, cg.explicitness)
        label, hedge = graph.value(node, RDFS.label), graph.value(node, cg.hedge)
        out.add_edge(
            str(cause),
            str(effect),
            key=claim,
            claim=claim,
            label=str(label) if label is not None else short_name(claim),
            polarity=sign,
            sign="+" if sign > 0 else "-",
            certainty=short_name(str(certainty)) if certainty is not None else "asserted",
            hedge=str(hedge) if hedge is not None else None,
            explicitness=short_name(str(explicitness)) if explicitness is not None else "stated",
            quotes=ordered,
            quote=ordered[0] if ordered else None,
            source=str(source) if source is not None else None,
            source_title=str(title) if title is not None else None,
            themes=tuple(sorted(short_name(str(t)) for t in graph.objects(node, cg.theme))),
            mechanism=tuple(
                sorted(
                    str(part)
                    for elaboration in graph.subjects(cg.conclusion, node)
                    if (elaboration, RDF.type, cg.Elaboration) in graph
                    for part in graph.objects(elaboration, cg.premise)
                )
            ),
        )
    return out


def _cycles_child(edges: list[tuple[str, str]], length: int, wanted: list[str], queue: Any) -> None:
    import networkx as nx

    graph = nx.DiGraph(edges)
    wanted_set = set(wanted)
    counts = dict.fromkeys(wanted, 0)
    start = time.perf_counter()
    total = 0
    for cycle in nx.simple_cycles(graph, length_bound=length):
        total += 1
        for node in wanted_set.intersection(cycle):
            counts[node] += 1
    queue.put({"seconds": time.perf_counter() - start, "cycles": total, "through": counts})


def simple_cycles_baseline(graph: Any, length: int, wanted: list[str], timeout: float) -> dict[str, Any]:
    """networkx.simple_cycles in a child process, killed after ``timeout`` seconds."""
    queue: Any = mp.get_context("fork").Queue()
    edges = list({(u, v) for u, v in graph.edges()})
    start = time.perf_counter()
    child = mp.get_context("fork").Process(target=_cycles_child, args=(edges, length, wanted, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return {"seconds": time.perf_counter() - start, "finished": False}
    result = queue.get(timeout=5)
    return {**result, "finished": True}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", type=int, default=12_500)
    parser.add_argument("--claims", type=int, default=125_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--evidence", action="store_true", help="write evidence annotations too (rdflib needs >4 GB)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--loop-length", type=int, default=6)
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--corpus", type=Path, default=None, help="use (or write) this N-Triples file")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    import pyoxigraph as ox
    import rdflib

    from cocagraph.analysis.loops import find_loops
    from cocagraph.analysis.paths import find_paths
    from cocagraph.engine import select
    from cocagraph.projection import EDGE_QUERY, NODE_QUERY, projection_from_rows

    results: dict[str, Any] = {
        "factors": args.factors,
        "claims": args.claims,
        "evidence": args.evidence,
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = args.corpus or Path(tmp) / "corpus.nt"
        if not path.exists():
            results["triples"] = write_corpus(
                path, factors=args.factors, claims=args.claims, seed=args.seed, evidence=args.evidence
            )
        store = ox.Store()
        store.bulk_load(
            path=str(path),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode("https://w3id.org/cocagraph/graph/corpus"),
        )
        rdf = rdflib.Graph()
        rdf.parse(str(path), format="nt")
    results["triples"] = len(store)
    print(
        f"corpus: {args.factors:,} factors, {args.claims:,} causal claims, {len(store):,} triples "
        f"({'with' if args.evidence else 'without'} evidence); median of {args.runs} run(s)"
    )

    def build_ours() -> Any:
        return projection_from_rows(select(store, NODE_QUERY, as_text=True), select(store, EDGE_QUERY, as_text=True))

    ours_s, ours = median_time(build_ours, args.runs)
    base_s, base = median_time(lambda: rdflib_projection(rdf), args.runs)
    old_s, _ = median_time(lambda: projection_from_rows(select(store, NODE_QUERY), select(store, EDGE_QUERY)), 1)
    import networkx as nx

    same = (
        nx.utils.graphs_equal(ours, base)
        and list(ours.nodes(data=True)) == list(base.nodes(data=True))
        and list(ours.edges(keys=True, data=True)) == list(base.edges(keys=True, data=True))
    )
    results["projection"] = {
        "ours_s": ours_s,
        "rdflib_s": base_s,
        "ratio": base_s / ours_s,
        "same_graph": same,
        "term_by_term_s": old_s,
        "nodes": ours.number_of_nodes(),
        "edges": ours.number_of_edges(),
    }
    print(
        f"projection build: ours {ours_s:.2f} s, rdflib baseline {base_s:.2f} s, ratio {base_s / ours_s:.1f}x "
        f"(same graph: {same}); rows converted term by term (before): {old_s:.2f} s"
    )
    rdf = base = None  # free the rdflib side (about 1.5 GB at the default size)

    rng = random.Random(args.seed)
    nodes = sorted(ours)
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(args.pairs)]
    pairs = [(a, b) if a != b else (a, nodes[(nodes.index(b) + 1) % len(nodes)]) for a, b in pairs]

    def run_paths() -> list[Any]:
        return [find_paths(ours, a, b, max_length=6, limit=10, seconds=60) for a, b in pairs]

    paths_s, answers = median_time(run_paths, args.runs)
    results["paths"] = {
        "pairs": len(pairs),
        "total_s": paths_s,
        "per_pair_s": paths_s / len(pairs),
        "found": [len(a.paths) for a in answers],
        "truncated": [a.reason for a in answers],
    }
    print(
        f"paths for {len(pairs)} pairs (max-length 6, limit 10): {paths_s:.2f} s in all, "
        f"{paths_s / len(pairs) * 1000:.0f} ms a pair; paths found {[len(a.paths) for a in answers]}"
    )

    through = [rng.choice(nodes) for _ in range(args.pairs)]

    def run_loops() -> list[Any]:
        return [find_loops(ours, f, max_length=args.loop_length, limit=10**9, seconds=600) for f in through]

    loops_s, loop_answers = median_time(run_loops, args.runs)
    node_cycles = [len({tuple(loop.path.nodes) for loop in a.loops}) for a in loop_answers]
    baseline = simple_cycles_baseline(ours, args.loop_length, through, args.baseline_timeout)
    ratio = baseline["seconds"] / loops_s
    results["loops"] = {
        "factors": len(through),
        "max_length": args.loop_length,
        "ours_s": loops_s,
        "cycles_through": node_cycles,
        "truncated": [a.truncated for a in loop_answers],
        "simple_cycles": baseline,
        "ratio": ratio,
        "ratio_is_lower_bound": not baseline["finished"],
    }
    if baseline["finished"]:
        agree = [baseline["through"][f] for f in through] == node_cycles
        results["loops"]["agree"] = agree
        tail = f"simple_cycles {baseline['seconds']:.2f} s ({baseline['cycles']:,} cycles), agree: {agree}"
    else:
        tail = f"simple_cycles stopped after {baseline['seconds']:.0f} s without finishing"
    print(
        f"loops --through for {len(through)} factors (max-length {args.loop_length}): ours {loops_s:.2f} s "
        f"({sum(node_cycles):,} cycles); {tail}; ratio {'>= ' if not baseline['finished'] else ''}{ratio:.0f}x"
    )
    import resource

    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of this process (store, rdflib graph, projections): {results['peak_rss_mb']:,} MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


def run(quick: bool = False) -> list:
    """The suite's entry: the same measures as main(), as Measurements (see benchmarks/run.py)."""
    from common import CORPUS_DIR, Measurement

    size = ["--factors", "200", "--claims", "2000", "--runs", "1", "--baseline-timeout", "10"] if quick else []
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    corpus = CORPUS_DIR / ("analysis-quick.nt" if quick else "analysis-12500-125000-noev.nt")
    r = main([*size, "--corpus", str(corpus)])
    label = f"{r['factors']:,} factors, {r['claims']:,} claims"
    loops = r["loops"]
    return [
        Measurement(
            "analysis",
            f"projection build ({label})",
            r["projection"]["ours_s"],
            "plain rdflib code",
            r["projection"]["rdflib_s"],
            "",
            r.get("peak_rss_mb"),
        ),
        Measurement(
            "analysis", f"paths, {r['paths']['pairs']} pairs ({label})", r["paths"]["total_s"], "(none asked for)", None
        ),
        Measurement(
            "analysis",
            f"loops --through, {loops['factors']} factors ({label})",
            loops["ours_s"],
            "nx.simple_cycles",
            loops["simple_cycles"]["seconds"],
            "",
            baseline_cut=loops["ratio_is_lower_bound"],
        ),
    ]


if __name__ == "__main__":
    main()
