"""Verbs for SPARQL answers: sparql (run a query), serve (an endpoint), push (to a remote store)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..reports.query import FORMATS as _FORMAT_CHOICES
from ..tables import LISTING_FORMATS
from .options import (
    bom_option,
    complete_query,
    emit,
    emit_answer,
    endpoint_option,
    graph_options,
    load_graphs,
    open_graphs,
    output_option,
)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = text
    return params


@click.command()
@click.argument("query", required=False, shell_complete=complete_query)
@click.option("--list", "list_", is_flag=True, help="List the bundled queries, one line each, and exit.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="Rows: table, md; W3C SPARQL results csv, json, xml, srx-tsv (cells are RDF terms); plain tsv "
    "(for pandas and R), jsonl and xlsx (numbers as numbers). Graphs: turtle, json-ld, ntriples, rdf-xml.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a named parameter of the query (repeatable), e.g. --param theme=violence.",
)
@click.option("--cite", is_flag=True, help="Add each row's quote and source where the row names a claim.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this many seconds (nothing is written).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Keep at most N rows and say the answer was truncated (0: no cap).",
)
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="CSV only: prefix cells starting with = + - @ with ' so spreadsheets do not run them.",
)
@bom_option
@graph_options
@endpoint_option
@output_option
def sparql(
    query: str | None,
    list_: bool,
    fmt: str,
    params: tuple[str, ...],
    cite: bool,
    timeout: float,
    max_rows: int,
    spreadsheet_safe: bool,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    output: Path | None,
) -> None:
    """Run a read-only SPARQL query: a .rq FILE, inline text, - (stdin), or a bundled query's NAME.

    The loaded graphs are the default graph (their union); each file is also a named graph.
    The prefixes cg: oa: skos: dcterms: rdfs: rdf: prov: xsd: owl: id: are predeclared.
    SERVICE, FROM, FROM NAMED and updates are refused before the query runs.

    \b
    Examples:
      cocagraph sparql --list
      cocagraph sparql claims-by-theme --param theme=violence --format csv -o violence.csv
      cocagraph sparql statistics --format md
      cocagraph sparql 'SELECT ?c WHERE { ?c a cg:RecommendationClaim }' --cite
      cocagraph sparql evidence --param claim=wedge-needed --endpoint http://localhost:7878/query

    Exit 0 with an answer; 2 when the query is refused, fails, times out or cannot be written.
    """
    if list_:
        _list_bundled(fmt, output)
        return
    if not query:
        raise click.UsageError("give a QUERY (a .rq file, inline text or a bundled query's name), or --list")
    if spreadsheet_safe and fmt != "csv":
        raise click.UsageError("--spreadsheet-safe applies to --format csv only")
    stdin = query == "-"
    cap = max_rows or None
    answer = open_graphs(graphs, max_bytes, endpoint).sparql(
        sys.stdin.read() if stdin else query,
        params=_params(params),
        timeout=timeout,
        max_rows=cap,
        cite=cite,
        where="stdin" if stdin else None,
    )
    # The W3C formats fix their own line ends (CSV uses CRLF): the bytes go out as they are.
    emit_answer(answer, fmt, output, spreadsheet_safe=spreadsheet_safe)


def _list_bundled(fmt: str, output: Path | None) -> None:
    from ..sparql import list_bundled

    rows = [
        {
            "name": q.name,
            "parameters": ", ".join(f"{p.name} ({p.kind})" for p in q.parameters),
            "questions": q.questions,
            "description": q.description,
        }
        for q in list_bundled()
    ]
    table_fmt = fmt if fmt in LISTING_FORMATS else "table"
    columns = ["name", "parameters", "description"] if table_fmt == "table" else list(rows[0])
    emit(rows, table_fmt, columns, output)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=7879,
    show_default=True,
    help="Port to listen on (0: any free port; the first line printed says which).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="A query running longer is stopped and answered 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Keep at most N rows per answer (0: no cap); a cut answer says so in a header.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1 << 20,
    show_default=True,
    metavar="BYTES",
    help="Refuse request bodies larger than this (413).",
)
@click.option("--cors", is_flag=True, help="Allow cross-origin requests from any web page.")
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also accept requests whose Host header names NAME (repeatable).",
)
@graph_options
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    cors: bool,
    allowed_hosts: tuple[str, ...],
    graphs: tuple[Path, ...],
    max_bytes: int | None,
) -> None:
    """Serve the graphs as a read-only SPARQL 1.1 Protocol endpoint, with a query page.

    The first line printed is the endpoint's URL; open the same address without /sparql for
    the query page. GET and POST (form or application/sparql-query); answers in JSON, XML,
    CSV or TSV by the Accept header. Updates, SERVICE and FROM are refused. Ctrl-C stops it.
    """
    from ..serve import EndpointConfig, serve_forever

    # The served graphs are held in memory, never in the on-disk cache: a long-running server
    # pays the parse once (about 5 s per million triples), and its forked workers share that one
    # copy, where each would warm an on-disk store's block cache of its own (in memory the
    # benchmark's group-by and text filter ran 1.4x and 2x faster than Oxigraph's server on disk).
    corpus = load_graphs(graphs, max_bytes, cache=False)
    config = EndpointConfig(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows or None,
        max_body=max_body,
        cors=cors,
        allowed_hosts=tuple(allowed_hosts),
    )

    def announce(url: str) -> None:
        click.echo(url)
        click.echo(f"serving {corpus.triples} triples from {len(corpus.files)} file(s); Ctrl-C to stop", err=True)
        sys.stdout.flush()

    serve_forever(corpus, config, announce)


@click.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; Fuseki: .../DATASET/data).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a graph when the store has not answered in this time.",
)
@graph_options
def push(endpoint: str, timeout: float, graphs: tuple[Path, ...], max_bytes: int | None) -> None:
    """Send every source graph to a SPARQL 1.1 store, each as its own named graph.

    Each file's graph replaces the named graph of the same IRI (Graph Store Protocol PUT), so
    pushing twice leaves the store as pushing once; blank nodes become stable skolem IRIs.
    Exit 2 naming the graph and the store when the store fails or does not answer.
    """
    from ..remote import push_corpus

    for pushed in push_corpus(load_graphs(graphs, max_bytes), endpoint, timeout=timeout):
        click.echo(f"{pushed.graph}  {pushed.triples} triples  ({pushed.status})")
