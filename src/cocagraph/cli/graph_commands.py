"""Verbs about the graphs themselves: validate, verify-quotes, info, claims, dump."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..catalog import summarize
from ..errors import EXIT_CHECK_FAILED
from ..quotes import verify_quotes as check_quotes
from ..tables import printable
from ..validation import validate as run_validation
from .options import emit_answer, format_option, graph_options, load_graphs, open_graphs, output_option, write_output


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@graph_options
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="SHACL shapes to use instead of ontology/shapes.ttl.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as violations.")
def validate(
    paths: tuple[Path, ...], graphs: tuple[Path, ...], max_bytes: int | None, shapes: Path | None, strict: bool
) -> None:
    """Check graphs: syntax, SHACL shapes and cocagraph's own checks.

    PATHS (or --graph) are RDF files or folders; with none, the shipped graph and ontology.
    Give the ontology too when checking your own files (--graph ontology/ --graph mine.ttl),
    since the shapes look up classes there.

    Exit 0 when valid, 1 when violations were found (each listed as file: node: message),
    2 when a file cannot be read or parsed (file:line: message).
    """
    corpus = load_graphs([*paths, *graphs], max_bytes, as_written=True)  # read once; SHACL sees it as written
    report = run_validation(corpus, shapes)
    for problem in report.problems:
        click.echo(printable(str(problem), newlines=False))
    for note in report.notes:
        click.echo(f"note: {note}")
    failing = report.problems if strict else report.violations
    files = len(corpus.files)
    if failing:
        click.echo(f"{len(failing)} problem(s) in {files} file(s); {len(report.warnings)} warning(s)")
        raise click.exceptions.Exit(EXIT_CHECK_FAILED)
    click.echo(f"valid: {files} file(s), {corpus.triples} triples; {len(report.warnings)} warning(s)")


@click.command("verify-quotes")
@click.option(
    "--source",
    "source_text",
    required=True,
    type=click.Path(path_type=Path),
    help="The plain-text source the quotes and offsets refer to.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@graph_options
def verify_quotes(source_text: Path, paths: tuple[Path, ...], graphs: tuple[Path, ...], max_bytes: int | None) -> None:
    """Check every evidence quote against the source text, to the letter.

    Each oa:exact must stand in the text, prefix+exact+suffix too, the offsets must cut out
    exactly the quote, and the source's recorded SHA-256 must be the text's. For a quote that is
    not in the text, the closest passage is shown. Exit 0 when all hold, 1 otherwise.
    """
    corpus = load_graphs([*paths, *graphs], max_bytes)
    report = check_quotes(corpus, source_text)
    for problem in report.problems:
        click.echo(printable(str(problem), newlines=False))
    held = report.checked - len({p.selector for p in report.problems})
    click.echo(f"{held} of {report.checked} quotes hold against {report.text_file}")
    if not report.holds:
        raise click.exceptions.Exit(EXIT_CHECK_FAILED)


@click.command()
@graph_options
@format_option(("table", "json"))
def info(graphs: tuple[Path, ...], max_bytes: int | None, fmt: str) -> None:
    """Show what is loaded: sources, claims by type, factors, actors, places, triples."""
    summary = summarize(load_graphs(graphs, max_bytes))
    if fmt == "json":
        import json
        from dataclasses import asdict

        data = asdict(summary)
        data["claims_by_type"] = dict(summary.claims_by_type)
        data["sources"] = [{"iri": iri, "title": title} for iri, title in summary.sources]
        write_output(json.dumps(data, ensure_ascii=False, indent=2), None)
        return
    share = lambda n: f"{n} ({n / summary.claims:.0%})" if summary.claims else "0"  # noqa: E731
    lines = [f"files     {len(summary.files)}", f"triples   {summary.triples}"]
    lines += [f"source    {title} <{iri}>" for iri, title in summary.sources]
    lines += [
        f"claims    {summary.claims}",
        *(f"  {kind:<15} {n}" for kind, n in summary.claims_by_type),
        f"  hedged          {share(summary.hedged)}",
        f"  inferred        {share(summary.inferred)}",
        f"  attributed      {share(summary.attributed)} (asserted by others, reported by the author)",
        f"factors   {summary.factors} (of which policy options: {summary.policy_options})",
        f"actors    {summary.actors}",
        f"places    {summary.places}",
    ]
    write_output("\n".join(lines), None)


@click.command()
@graph_options
@click.option("--theme", default=None, help="Only claims under this theme (id or label).")
@click.option("--actor", default=None, help="Only claims this actor asserts or takes part in.")
@click.option("--place", default=None, help="Only claims about this place or places inside it.")
@click.option(
    "--certainty", type=click.Choice(["asserted", "hedged"]), default=None, help="Only asserted or only hedged claims."
)
@click.option(
    "--explicitness",
    type=click.Choice(["stated", "inferred"]),
    default=None,
    help="Only claims the text states, or only links the curator infers (each with its reason).",
)
@click.option(
    "--type",
    "claim_type",
    default=None,
    type=click.Choice(["causal", "statistical", "event", "descriptive", "evaluation", "recommendation"]),
    help="Only claims of this type.",
)
@format_option()
@output_option
def claims(
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    theme: str | None,
    actor: str | None,
    place: str | None,
    certainty: str | None,
    explicitness: str | None,
    claim_type: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """List claims with label, type, certainty, explicitness and quote.

    Names are matched case- and accent-insensitively ("garcia" finds García), on labels and
    alternative labels; an unknown theme, actor or place lists those there are. The table clips
    long cells with "…"; the other formats carry every quote in full.
    """
    answer = open_graphs(graphs, max_bytes).claims(
        theme=theme,
        actor=actor,
        place=place,
        certainty=certainty,
        explicitness=explicitness,
        type=claim_type,
    )
    emit_answer(answer, fmt, output)


#: --format of ``dump`` -> (pyoxigraph format name, keeps named graphs)
DUMP_FORMATS = {
    "nquads": ("N_QUADS", True),
    "trig": ("TRIG", True),
    "turtle": ("TURTLE", False),
    "ntriples": ("N_TRIPLES", False),
    "rdfxml": ("RDF_XML", False),
    "json-ld": ("JSON_LD", False),
}


@click.command()
@graph_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DUMP_FORMATS)),
    default="nquads",
    show_default=True,
    help="nquads and trig keep one named graph per file; turtle, ntriples, rdfxml and json-ld merge them.",
)
@output_option
def dump(graphs: tuple[Path, ...], max_bytes: int | None, fmt: str, output: Path | None) -> None:
    """Write the loaded graphs (after --source, if given) in any RDF format, to convert or archive them.

    nquads and trig keep each file's named graph, whose name cocagraph reserves for the files it
    loads: to load a dump back as a file of your own, dump to turtle, ntriples, rdfxml or json-ld.

    \b
    Examples:
      cocagraph dump --format trig -o everything.trig
      cocagraph dump --graph mine.jsonld --format turtle -o mine.ttl
      cocagraph dump --source psg-peru-coca --format ntriples -o - | sort
    """
    write_output(dump_bytes(load_graphs(graphs, max_bytes), fmt), output)


def dump_bytes(corpus: Any, fmt: str) -> bytes:
    """The corpus in ``fmt`` (a key of :data:`DUMP_FORMATS`); triple formats get the union of the graphs."""
    import pyoxigraph as ox

    from ..vocab import PREFIXES

    name, quads = DUMP_FORMATS[fmt]
    rdf_format = getattr(ox.RdfFormat, name)
    prefixes = {p: iri for p, iri in PREFIXES.items() if p != "id"}  # id: local names hold slashes
    if quads:
        return corpus.store.dump(format=rdf_format, prefixes=prefixes if fmt == "trig" else None) or b""
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in corpus.store))
    kwargs = {"prefixes": prefixes} if fmt in ("turtle", "rdfxml") else {}
    return ox.serialize(triples, format=rdf_format, **kwargs) or b""
