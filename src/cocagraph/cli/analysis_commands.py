"""Verbs of causal analysis: paths, drivers, effects, loops, leverage, explain, export.

Each verb loads the projection once (from the graph files or a remote store), calls one function
of :mod:`cocagraph.analysis`, and formats its answer. A search that was cut says why on stderr
(and in the JSON answer's ``truncated`` flag); the exit code stays 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..analysis.bounds import DEFAULT_SECONDS
from ..tables import format_rows
from .options import (
    endpoint_option,
    format_option,
    graph_options,
    load_graphs,
    load_projection,
    output_option,
    write_output,
)

F = TypeVar("F", bound=Callable[..., Any])

CONFIDENCE_HELP = (
    "Confidence of a path is the product of its steps' weights: asserted 1.0, hedged 0.5, times stated 1.0, "
    "inferred 0.75 (an asserted, stated chain is 1.0; each hedge halves it, each inference takes a quarter off). "
    "The sign is the product of the polarities: + raises, - lowers."
)


def search_options(func: F) -> F:
    """--graph, --max-bytes, --endpoint and --timeout: where the graph comes from and how long to search."""
    func = click.option(
        "--timeout",
        "seconds",
        type=click.FloatRange(min=0.001, max=3600),
        default=DEFAULT_SECONDS,
        show_default=True,
        metavar="SECONDS",
        help="Stop searching after this long (the answer says it was cut).",
    )(func)
    return graph_options(endpoint_option(func))


def _note(answer: Any) -> None:
    if getattr(answer, "truncated", False):
        click.echo(f"cocagraph: note: the answer was cut: {answer.reason}", err=True)


def _json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


def _step_lines(steps: Sequence[Any], indent: str = "   ") -> list[str]:
    lines = []
    for step in steps:
        how = step.certainty + (f" ({step.hedge})" if step.hedge else "") + f", {step.explicitness}"
        lines.append(
            f"{indent}{step.source_label} —({step.sign})→ {step.target_label}   [{how}; "
            f"claim {step.claim.rsplit('/', 1)[-1]}]"
        )
        for quote in step.quotes or ("(no quote)",):
            lines.append(f"{indent}   “{quote}”" if step.quotes else f"{indent}   {quote}")
    return lines


def _step_rows(number: int, sign: str, confidence: float, steps: Sequence[Any], **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "path": number,
            **extra,
            "sign": sign,
            "confidence": round(confidence, 6),
            "step": i,
            "from": s.source_label,
            "to": s.target_label,
            "polarity": s.sign,
            "certainty": s.certainty,
            "hedge": s.hedge,
            "explicitness": s.explicitness,
            "claim": s.claim,
            "quote": " … ".join(s.quotes),
        }
        for i, s in enumerate(steps, 1)
    ]


@click.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option(
    "--max-length",
    type=click.IntRange(min=1, max=50),
    default=6,
    show_default=True,
    help="Longest chain searched, in causal links.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100_000),
    default=10,
    show_default=True,
    help="Paths shown at most (the best ones).",
)
@search_options
@format_option()
@output_option
def paths(
    source: str,
    target: str,
    max_length: int,
    limit: int,
    seconds: float,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The causal paths from FROM to TO, best first, each step with its claim and quote.

    FROM and TO are factors, named by label, alternative label, id or IRI, case- and
    accent-insensitively ("coca production", "political violence"). Best means surest, then
    shortest. Each path has its net sign (does FROM, through this chain, raise or lower TO?).

    CONFIDENCE_HELP

    JSON: {"from", "to", "paths": [{"nodes", "sign", "confidence", "steps": [{"from", "to",
    "polarity", "certainty", "claim", "quote"}]}], "truncated"}. When the search was cut (by
    --limit, --max-length or --timeout) "truncated" is true and stderr says why.
    """
    from ..analysis.paths import find_paths

    graph = load_projection(graphs, max_bytes, endpoint)
    answer = find_paths(graph, source, target, max_length=max_length, limit=limit, seconds=seconds)
    if fmt == "json":
        text = _json(answer.as_json())
    elif fmt == "table":
        head = f"Causal paths from “{answer.source_label}” to “{answer.target_label}”, best first"
        lines = [head, ""]
        if not answer.paths:
            lines.append(f"(no causal path within {max_length} links)")
        for n, path in enumerate(answer.paths, 1):
            lines.append(f"{n}. {' → '.join(path.labels)}")
            lines.append(f"   sign {path.sign_text}   confidence {path.confidence:.3g}   {path.length} link(s)")
            lines += _step_lines(path.steps)
            lines.append("")
        text = "\n".join(lines).rstrip()
    else:
        rows = [r for n, p in enumerate(answer.paths, 1) for r in _step_rows(n, p.sign_text, p.confidence, p.steps)]
        text = format_rows(
            rows,
            fmt,
            [
                "path",
                "sign",
                "confidence",
                "step",
                "from",
                "to",
                "polarity",
                "certainty",
                "hedge",
                "explicitness",
                "claim",
                "quote",
            ],
        )
    write_output(text, output)
    _note(answer)


paths.help = (paths.help or "").replace("CONFIDENCE_HELP", CONFIDENCE_HELP)


def _influence_command(direction: str) -> click.Command:
    verb_help = {
        "drivers": "What pushes NODE up or down: the factors whose causal chains reach it within --depth links.",
        "effects": "What NODE pushes up or down: the factors its causal chains reach within --depth links.",
    }[direction]

    @click.command(
        name=direction,
        help=f"""{verb_help}

    One row per factor and distance: the net sign of the chains of that length (+ raises,
    - lowers, ± the chains disagree), how many chains of each sign, and the surest chain with its
    confidence. JSON gives that chain's steps with their claims and quotes.

    {CONFIDENCE_HELP}
    """,
    )
    @click.argument("node", metavar="NODE")
    @click.option(
        "--depth",
        type=click.IntRange(min=1, max=20),
        default=3,
        show_default=True,
        help="Longest chain followed, in causal links.",
    )
    @search_options
    @format_option()
    @output_option
    def command(
        node: str,
        depth: int,
        seconds: float,
        graphs: tuple[Path, ...],
        max_bytes: int | None,
        endpoint: str | None,
        fmt: str,
        output: Path | None,
    ) -> None:
        from ..analysis import neighbours

        graph = load_projection(graphs, max_bytes, endpoint)
        answer = getattr(neighbours, direction)(graph, node, depth=depth, seconds=seconds)
        if fmt == "json":
            write_output(_json(answer.as_json()), output)
        else:
            rows = [
                {
                    "distance": i.distance,
                    "sign": i.sign,
                    "increasing": i.increasing,
                    "decreasing": i.decreasing,
                    "confidence": round(i.best.confidence, 6),
                    "factor": i.label,
                    "kind": i.kind,
                    "via": " → ".join(i.best.labels),
                    "claims": [s.claim for s in i.best.steps],
                    "quotes": " … ".join(q for s in i.best.steps for q in s.quotes[:1]),
                }
                for i in answer.influences
            ]
            columns = (
                ["distance", "sign", "confidence", "factor", "via"]
                if fmt == "table"
                else [
                    "distance",
                    "sign",
                    "increasing",
                    "decreasing",
                    "confidence",
                    "factor",
                    "kind",
                    "via",
                    "claims",
                    "quotes",
                ]
            )
            text = format_rows(rows, fmt, columns)
            if fmt == "table":
                text = f"{direction.capitalize()} of “{answer.label}” within {depth} link(s)\n\n{text}"
            write_output(text, output)
        _note(answer)

    return command


drivers = _influence_command("drivers")
effects = _influence_command("effects")


@click.command()
@click.option("--through", default=None, metavar="NODE", help="Only loops through this factor.")
@click.option(
    "--max-length",
    type=click.IntRange(min=1, max=50),
    default=6,
    show_default=True,
    help="Longest loop searched, in causal links.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100_000),
    default=50,
    show_default=True,
    help="Loops listed at most (shortest first).",
)
@search_options
@format_option()
@output_option
def loops(
    through: str | None,
    max_length: int,
    limit: int,
    seconds: float,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The feedback loops, each classified, with the claims that make it.

    A loop is reinforcing when it has an even number of decreasing links (a rise comes back as
    a further rise), balancing when the number is odd. Loops are listed shortest first, then
    surest (confidence as for paths: the product of the steps' weights).
    """
    from ..analysis.loops import find_loops

    graph = load_projection(graphs, max_bytes, endpoint)
    answer = find_loops(graph, through, max_length=max_length, limit=limit, seconds=seconds)
    if fmt == "json":
        text = _json(answer.as_json())
    elif fmt == "table":
        where = f" through “{answer.through_label}”" if answer.through_label else ""
        lines = [f"Feedback loops{where} of up to {max_length} links", ""]
        if not answer.loops:
            lines.append(f"(no feedback loop{where} within {max_length} links)")
        for n, loop in enumerate(answer.loops, 1):
            lines.append(f"{n}. {loop.kind}: {' → '.join(loop.path.labels)}")
            lines.append(
                f"   {loop.decreasing} decreasing link(s) of {loop.length}   confidence {loop.path.confidence:.3g}"
            )
            lines += _step_lines(loop.path.steps)
            lines.append("")
        text = "\n".join(lines).rstrip()
    else:
        rows = [
            r
            for n, loop in enumerate(answer.loops, 1)
            for r in _step_rows(n, loop.path.sign_text, loop.path.confidence, loop.path.steps, kind=loop.kind)
        ]
        rows = [{"loop": r.pop("path"), **r} for r in rows]
        text = format_rows(
            rows,
            fmt,
            [
                "loop",
                "kind",
                "confidence",
                "step",
                "from",
                "to",
                "polarity",
                "certainty",
                "hedge",
                "explicitness",
                "claim",
                "quote",
            ],
        )
    write_output(text, output)
    _note(answer)


@click.command()
@click.option(
    "--from",
    "sources",
    multiple=True,
    metavar="NODE",
    help="Where chains start (repeatable; default: the factors nothing drives).",
)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="NODE",
    help="Where chains end (repeatable; default: the factors that drive nothing).",
)
@click.option(
    "--max-length",
    type=click.IntRange(min=1, max=50),
    default=6,
    show_default=True,
    help="Longest chain counted, in causal links.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the first N levers.")
@search_options
@format_option()
@output_option
def leverage(
    sources: tuple[str, ...],
    targets: tuple[str, ...],
    max_length: int,
    limit: int | None,
    seconds: float,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Factors ranked by how many causal chains from --from to --to pass through them.

    \b
    paths        chains (over factors, up to --max-length links) through the factor
    share        paths / all chains: 1.0 means acting on it cuts every chain
    weighted     the same share, each chain counted by its confidence
    betweenness  share of the shortest chains through it (subset betweenness,
                 Brandes 2008): directness rather than breadth

    Name the production factors with --from and the harms with --to, e.g.
    --from "coca production" --to "political violence" --to "drug-related violence".
    """
    from ..analysis.leverage import leverage as rank

    graph = load_projection(graphs, max_bytes, endpoint)
    answer = rank(graph, sources, targets, max_length=max_length, seconds=seconds)
    levers = answer.levers[:limit] if limit else answer.levers
    if fmt == "json":
        data = answer.as_json()
        data["levers"] = [lever.as_json() for lever in levers]
        text = _json(data)
    else:
        rows = [{"rank": n, **lever.as_json()} for n, lever in enumerate(levers, 1)]
        for row in rows:
            for key in ("share", "weighted", "betweenness"):
                row[key] = round(row[key], 4)
        columns = ["rank", "factor", "kind", "paths", "share", "weighted", "betweenness"]
        text = format_rows(rows, fmt, columns if fmt == "table" else [*columns, "iri"])
        if fmt == "table":
            text = (
                f"Chains from {', '.join(answer.source_labels)}\n"
                f"to {', '.join(answer.target_labels)}: {answer.paths} chain(s) of up to {max_length} links\n\n" + text
            )
    write_output(text, output)
    _note(answer)


@click.command()
@click.argument("name", metavar="CLAIM_OR_FACTOR")
@graph_options
@endpoint_option
@format_option()
@output_option
def explain(
    name: str, graphs: tuple[Path, ...], max_bytes: int | None, endpoint: str | None, fmt: str, output: Path | None
) -> None:
    """Everything the graph says about one claim or factor, with quotes.

    CLAIM_OR_FACTOR is a claim (id, label or IRI) or a factor (label, alternative label, id or
    IRI). For a factor: its names, places, actors and themes, the claims it drives and is driven
    by, and the claims about it. For a claim: every statement about it, its quotes with their
    offsets, and the claims that support, attack or qualify it. With --endpoint only the causal
    projection is pulled, so only causal claims are known.
    """
    from ..analysis.explain import explain as explain_one

    if endpoint:
        graph, corpus = load_projection(graphs, max_bytes, endpoint), None
    else:
        from ..projection import build_projection

        corpus = load_graphs(graphs, max_bytes)
        graph = build_projection(corpus)
    answer = explain_one(graph, name, corpus)
    if fmt == "json":
        text = _json(answer.as_json())
    elif fmt == "table":
        text = _explanation_text(answer)
    else:
        text = format_rows(answer.rows(), fmt, ["section", "what", "value", "claim", "quote"])
    write_output(text, output)
    if answer.note:
        click.echo(f"cocagraph: note: {answer.note}", err=True)


def _explanation_text(answer: Any) -> str:
    lines = [f"{answer.kind.capitalize()}: {answer.label}", f"  {answer.iri}", ""]
    width = max((len(n) for n, _ in answer.facts), default=0)
    lines += [f"  {n.ljust(width)}  {v}" for n, v in answer.facts]
    if answer.evidence:
        lines += ["", "Evidence:"]
        for q in answer.evidence:
            where = f" [{q.start}–{q.end}]" if q.start is not None else ""
            lines.append(f"  “{q.quote}”{where}")
    role = None
    for r in answer.related:
        if r.role != role:
            role = r.role
            lines += ["", f"{role.capitalize()}:"]
        inferred = "inferred by the curator" if r.explicitness == "inferred" else None
        how = ", ".join(x for x in (r.type, r.certainty, r.hedge and f"“{r.hedge}”", inferred) if x)
        lines.append(f"  {r.label}  ({how}; claim {r.claim.rsplit('/', 1)[-1]})")
        if r.summary:
            lines.append(f"    {r.summary}")
        lines += [f"    “{q}”" for q in r.quotes]
    return "\n".join(lines)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "dot", "mermaid", "json", "aif", "argdown"]),
    default="graphml",
    show_default=True,
    help="graphml/gexf: Gephi, yEd, Cytoscape; dot: Graphviz; mermaid: papers and "
    "Markdown; json: networkx node-link data for notebooks; aif, argdown: the argument "
    "(claims and their relations) for AIFdb/OVA/arguebuf and Argdown.",
)
@click.option("--focus", default=None, metavar="NODE", help="Only the factors within --radius links of NODE.")
@click.option(
    "--radius",
    type=click.IntRange(min=0, max=50),
    default=1,
    show_default=True,
    help="With --focus: how many links out, either direction.",
)
@click.option("--from", "source", default=None, metavar="NODE", help="With --to: only the paths from NODE ...")
@click.option("--to", "target", default=None, metavar="NODE", help="... to NODE (as `cocagraph paths` finds them).")
@click.option(
    "--max-length",
    type=click.IntRange(min=1, max=50),
    default=6,
    show_default=True,
    help="With --from/--to: longest path, in links.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100_000),
    default=50,
    show_default=True,
    help="With --from/--to: paths taken at most (the best ones).",
)
@search_options
@output_option
def export(
    fmt: str,
    focus: str | None,
    radius: int,
    source: str | None,
    target: str | None,
    max_length: int,
    limit: int,
    seconds: float,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    output: Path | None,
) -> None:
    """Write the causal projection (whole, around a factor, or along paths) for other tools.

    Every node and edge attribute is kept: label, alternative labels, kind, places, actors and
    themes of each factor; claim IRI (the edge key), label, polarity, sign, certainty, hedge,
    explicitness, quotes, source and themes of each claim, plus weight (the step's confidence).
    GraphML and GEXF hold only text and numbers, so lists are written as JSON arrays; read back
    with networkx they equal what was written.
    """
    from ..analysis.export import export_text, focus_subgraph, path_subgraph
    from ..errors import UsageError

    if fmt in ("aif", "argdown"):  # the argument's claims and relations, not the causal projection
        from ..argument.export import argument_export

        write_output(argument_export(graphs, max_bytes, endpoint, fmt, focus or source or target), output)
        return
    graph = load_projection(graphs, max_bytes, endpoint)
    if (source is None) != (target is None):
        raise UsageError("give both --from and --to for a path subgraph")
    if focus and source:
        raise UsageError("give either --focus or --from/--to, not both")
    cut = False
    if focus:
        graph = focus_subgraph(graph, focus, radius)
    elif source and target:
        graph, cut = path_subgraph(graph, source, target, max_length=max_length, limit=limit, seconds=seconds)
    write_output(export_text(graph, fmt), output)
    if cut:
        click.echo(
            "cocagraph: note: the path search was cut; run `cocagraph paths` with the same bounds to see why", err=True
        )
