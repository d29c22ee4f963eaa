"""Verbs about claim sheets and sources: compile, sheet, conflicts."""

from __future__ import annotations

from pathlib import Path

import click

from .options import emit, format_option, graph_options, load_graphs, output_option, write_output


@click.command("compile")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option(
    "--source",
    "source_text",
    required=True,
    type=click.Path(path_type=Path),
    help="The plain-text source the quotes are taken from.",
)
@click.option(
    "--uses-from",
    "uses_from",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="RDF files or folders that describe the ids the sheet lists under 'uses' "
    "(repeatable; default: the shipped ontology and graphs).",
)
@output_option
def compile_cmd(sheet: Path, source_text: Path, uses_from: tuple[Path, ...], output: Path | None) -> None:
    """Compile a claim sheet (YAML, or CSV when its name ends in .csv) into Turtle with evidence selectors.

    Every quote is looked up in the source text; the selectors (exact, prefix/suffix where the
    quote stands more than once, code-point offsets) and the text's SHA-256 are written for you.
    Ids the sheet takes from other sheets ('uses') must be described in --uses-from. The output
    is deterministic and, with -o, written atomically: on any error the old file stays as it was.
    Exit 2 on any mistake in the sheet, naming the file and line (YAML) or row (CSV).
    """
    from ..resources import default_graph_paths
    from ..sheets import sheet_to_turtle

    known = list(uses_from) or default_graph_paths()
    write_output(sheet_to_turtle(sheet, source_text, uses_from=known), output)


@click.command("sheet")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "--source",
    "source_text",
    default=None,
    type=click.Path(path_type=Path),
    help="The source text; needed when a quote stands more than once in it. With it, the sheet is "
    "also compiled back and checked against the graph.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "csv"]),
    default=None,
    help="Sheet format (default: csv when -o ends in .csv, else yaml).",
)
@output_option
def sheet_cmd(graph: Path, source_text: Path | None, fmt: str | None, output: Path | None) -> None:
    """Write the claim sheet back from a compiled graph (the inverse of compile).

    Compiling the sheet against its source text gives a graph isomorphic to GRAPH. A graph holding
    triples a sheet cannot express (added by hand to the Turtle) is refused, naming them.
    """
    from ..sheet_writer import sheet_from_file

    chosen = fmt or ("csv" if output is not None and output.suffix.lower() == ".csv" else "yaml")
    write_output(sheet_from_file(graph, chosen, source_text).text, output)


@click.command("conflicts")
@graph_options
@click.option(
    "--within-source",
    is_flag=True,
    help="Also compare claims of the same source with each other.",
)
@format_option()
@output_option
def conflicts_cmd(
    graphs: tuple[Path, ...], max_bytes: int | None, within_source: bool, fmt: str, output: Path | None
) -> None:
    """List where sources disagree, side by side, with each side's quote.

    Two kinds: the same cause and effect with opposite polarity; different figures for the same
    quantity, unit and period. Factors are the same when they have one IRI or are linked by
    skos:exactMatch. Figures for different periods (2012, and 2011/2012) are not compared.
    Load the sources together, e.g. --graph ontology --graph graphs --graph mine.ttl.
    """
    from ..conflicts import COLUMNS, find_conflicts

    rows = [c.as_row() for c in find_conflicts(load_graphs(graphs, max_bytes), within_source=within_source)]
    columns = ["kind", "about", "source_a", "says_a", "source_b", "says_b", "claim_a", "claim_b"]
    emit(rows, fmt, columns if fmt == "table" else list(COLUMNS), output)
