"""Verbs for SPARQL answers: sparql (run a query), serve (an endpoint), push (to a remote store)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import UsageError
from .options import endpoint_option, graph_options, load_graphs, output_option

_FORMAT_CHOICES = ["table", "csv", "tsv", "json", "xml", "md", "turtle", "json-ld", "ntriples"]


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = text
    return params


def _query_source(query: str) -> tuple[str, str]:
    """(text, name for messages) of QUERY: a .rq file, ``-`` (stdin), a bundled query's name, or inline text."""
    from ..sparql import find_bundled

    if query == "-":
        return sys.stdin.read(), "stdin"
    path = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 256 and "\n" not in query and path.is_file()):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the query: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}: the query is not UTF-8 (byte {exc.start})") from exc
    if any(c.isspace() or c in "{?" for c in query.strip()):
        return query, "query"
    bundled = find_bundled(query)
    return bundled.text, bundled.name


@click.command()
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the bundled queries, one line each, and exit.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="Rows: table, csv, tsv, json, xml (W3C SPARQL results) or md. Graphs: turtle, json-ld, ntriples.",
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
    from ..results import serialize_answer

    if list_:
        _list_bundled(fmt)
        return
    if not query:
        raise click.UsageError("give a QUERY (a .rq file, inline text or a bundled query's name), or --list")
    if spreadsheet_safe and fmt != "csv":
        raise click.UsageError("--spreadsheet-safe applies to --format csv only")
    text, where = _query_source(query)
    cap = max_rows or None
    if endpoint:
        if graphs:
            raise click.UsageError("give either --graph or --endpoint, not both")
        from ..remote import run_remote_query

        answer = run_remote_query(
            endpoint, text, params=_params(params), timeout=timeout, max_rows=cap, cite=cite, where=where
        )
    else:
        from ..sparql import run_query

        answer = run_query(
            load_graphs(graphs, max_bytes),
            text,
            params=_params(params),
            timeout=timeout,
            max_rows=cap,
            cite=cite,
            where=where,
        )
    data = serialize_answer(answer, fmt, spreadsheet_safe=spreadsheet_safe)
    if answer.truncated:
        click.echo(
            f"cocagraph: truncated: the answer has more than {cap} rows; only the first {cap} "
            "were kept (raise --max-rows)",
            err=True,
        )
    # The bytes go out as they are: the W3C formats fix their own line ends (CSV uses CRLF).
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
    else:
        from ..atomic import write_atomic

        write_atomic(output, data)


def _list_bundled(fmt: str) -> None:
    from ..sparql import list_bundled
    from ..tables import format_rows
    from .options import write_output

    rows = [
        {
            "name": q.name,
            "parameters": ", ".join(f"{p.name} ({p.kind})" for p in q.parameters),
            "questions": q.questions,
            "description": q.description,
        }
        for q in list_bundled()
    ]
    table_fmt = fmt if fmt in ("json", "csv", "md") else "table"
    columns = ["name", "parameters", "description"] if table_fmt == "table" else list(rows[0])
    write_output(format_rows(rows, table_fmt, columns), None)


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

    corpus = load_graphs(graphs, max_bytes)
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
