"""Verbs of causal analysis: paths, drivers, effects, loops, leverage, explain, export.

Each verb opens the graphs (:func:`cocagraph.open`: the files or a remote store), calls one
method, and prints the answer through its report (:mod:`cocagraph.reports`), as a notebook
shows it. A search that was cut says why on stderr (and in the JSON answer's ``truncated``
flag); the exit code stays 0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..analysis.bounds import DEFAULT_SECONDS
from .options import (
    complete_factor,
    emit_answer,
    endpoint_option,
    format_option,
    graph_options,
    load_projection,
    open_graphs,
    output_option,
    say,
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


@click.command()
@click.argument("source", metavar="FROM", shell_complete=complete_factor)
@click.argument("target", metavar="TO", shell_complete=complete_factor)
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

    JSON: {"from", "to", "paths": [{"path", "nodes", "sign", "confidence", "steps": [{"from", "to",
    "polarity", "certainty", "hedge", "explicitness", "claim", "quote", "quotes"}]}], "truncated"}.
    CSV, TSV, JSON Lines, Markdown and xlsx: one row per step, with the path's number. When the
    search was cut (by --limit, --max-length or --timeout) "truncated" is true and stderr says why.
    """
    answer = open_graphs(graphs, max_bytes, endpoint).paths(
        source, target, max_length=max_length, limit=limit, seconds=seconds
    )
    emit_answer(answer, fmt, output)


paths.help = (paths.help or "").replace("CONFIDENCE_HELP", CONFIDENCE_HELP)


def _influence_command(direction: str) -> click.Command:
    verb_help = {
        "drivers": "What pushes NODE up or down: the factors whose causal chains reach it within --depth links.",
        "effects": "What NODE pushes up or down: the factors its causal chains reach within --depth links.",
    }[direction]

    @click.command(
        name=direction,
        help=f"""{verb_help}

    One row per factor, at its shortest distance: the net sign of its chains (+ raises, - lowers,
    ± the chains disagree), how many chains of each sign, the surest one's confidence, and every
    chain under it with every quote of its steps. JSON gives each factor and distance with its
    chains, their steps, claims and quotes.

    {CONFIDENCE_HELP}
    """,
    )
    @click.argument("node", metavar="NODE", shell_complete=complete_factor)
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
        opened = open_graphs(graphs, max_bytes, endpoint)
        answer = getattr(opened, direction)(node, depth=depth, seconds=seconds)
        emit_answer(answer, fmt, output)

    return command


drivers = _influence_command("drivers")
effects = _influence_command("effects")


@click.command()
@click.option(
    "--through", default=None, metavar="NODE", shell_complete=complete_factor, help="Only loops through this factor."
)
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
    answer = open_graphs(graphs, max_bytes, endpoint).loops(
        through, max_length=max_length, limit=limit, seconds=seconds
    )
    emit_answer(answer, fmt, output)


@click.command()
@click.option(
    "--from",
    "sources",
    multiple=True,
    metavar="NODE",
    shell_complete=complete_factor,
    help="Where chains start (repeatable; default: the factors nothing drives).",
)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="NODE",
    shell_complete=complete_factor,
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
    answer = open_graphs(graphs, max_bytes, endpoint).leverage(
        sources, targets, max_length=max_length, limit=limit, seconds=seconds
    )
    emit_answer(answer, fmt, output)


@click.command()
@click.argument("name", metavar="CLAIM_OR_FACTOR", shell_complete=complete_factor)
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
    emit_answer(open_graphs(graphs, max_bytes, endpoint).explain(name), fmt, output)


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
        say("note: the path search was cut; run `cocagraph paths` with the same bounds to see why")
