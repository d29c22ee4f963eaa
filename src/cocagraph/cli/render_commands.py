"""Verbs for readers: render (one map as an HTML file) and site (a folder of maps)."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_atomic
from .options import OutputFile, endpoint_option, graph_options, load_graphs, open_graphs, write_output

_OPEN_HELP = "Open it in the web browser once written."


def _open_in_browser(uri: str) -> None:
    import webbrowser

    webbrowser.open(uri)


@click.command()
@graph_options
@endpoint_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=OutputFile(),
    help="The HTML file to write (atomically: a failure leaves any old file as it was); - for standard output.",
)
@click.option("--focus", metavar="NODE", default=None, help="Map NODE and the factors near it.")
@click.option("--depth", type=int, default=1, show_default=True, help="With --focus: how many causal steps out.")
@click.option(
    "--path",
    "path",
    nargs=2,
    metavar="FROM TO",
    default=None,
    help="Map the causal paths from FROM to TO (those of `cocagraph paths`), highlighted.",
)
@click.option("--theme", default=None, help="Map the claims filed under this theme (id or label).")
@click.option("--loops", is_flag=True, help="Map the feedback loops.")
@click.option(
    "--tour",
    is_flag=True,
    help="The guided tour: the whole map, walked through the argument step by step in the order of the text.",
)
@click.option(
    "--max-length", type=int, default=6, show_default=True, help="With --path or --loops: the longest chain, in steps."
)
@click.option(
    "--limit",
    type=int,
    default=None,
    help="With --path or --loops: at most this many chains (default 10 paths, 50 loops).",
)
@click.option(
    "--whatif",
    multiple=True,
    metavar="NODE=VALUE",
    help="Colour factors by what a scenario implies (as `cocagraph whatif`; repeatable), e.g. "
    "--whatif 'regulation of coca production=+1'.",
)
@click.option(
    "--entities/--no-entities", default=True, show_default=True, help="Draw the actors and places the factors involve."
)
@click.option("--title", default=None, help="The page's title (default: the view's).")
@click.option("--open", "open_page", is_flag=True, help=_OPEN_HELP)
def render(
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    output: Path,
    focus: str | None,
    depth: int,
    path: tuple[str, str] | None,
    theme: str | None,
    loops: bool,
    tour: bool,
    max_length: int,
    limit: int | None,
    whatif: tuple[str, ...],
    entities: bool,
    title: str | None,
    open_page: bool,
) -> None:
    """Draw a causal map as one HTML file that opens offline.

    With no view option, the whole argument; or one of --focus NODE [--depth N], --path FROM TO,
    --theme T, --loops, --tour. Names are matched as in every verb ("garcia" finds García); an unknown
    name exits 2 with the closest names. Click a node or arrow on the page to read the claims
    and their quotes. With --endpoint, the map comes from a remote store's causal claims
    alone (no actor or place nodes).
    """
    from ..render.context import corpus_context
    from ..render.page import render_page
    from ..render.request import MapRequest, map_of_graph

    request = MapRequest(
        focus=focus,
        depth=depth,
        path=path,
        theme=theme,
        loops=loops,
        tour=tour,
        max_length=max_length,
        limit=limit,
        whatif=whatif,
        entities=entities,
        title=title,
    )
    store = open_graphs(graphs, max_bytes, endpoint).store
    data = map_of_graph(store.projection(), request, corpus_context(store.corpus) if store.corpus is not None else None)
    if str(output) == "-":  # the page on standard output, for a pipe
        if open_page:
            raise click.UsageError("--open needs a file: give -o FILE.html")
        write_output(render_page(data), output)
        return
    write_atomic(output, render_page(data))
    uri = output.resolve().as_uri()
    click.echo(f"{output}: {data.title} ({data.node_count} nodes, {data.edge_count} edges); open {uri}")
    if open_page:
        _open_in_browser(uri)


@click.command()
@graph_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the site into (created if missing).",
)
@click.option(
    "--harms",
    type=click.IntRange(0, 20),
    default=3,
    show_default=True,
    help="How many of the argument's end points get a page of the paths into them.",
)
@click.option("--no-sparql", is_flag=True, help="Leave out the answers of the bundled SPARQL queries.")
@click.option("--open", "open_page", is_flag=True, help=_OPEN_HELP)
def site(
    graphs: tuple[Path, ...], max_bytes: int | None, output: Path, harms: int, no_sparql: bool, open_page: bool
) -> None:
    """Build a folder of maps for readers: the guided tour ("Read the argument"), the whole
    argument, a map per theme, the paths to the harms, the loops, every claim as a table and the
    bundled SPARQL answers (with CSV).

    Everything is built before anything is written; then prints where to open it.
    """
    from ..render.site import build_site, write_site

    if str(output) == "-":
        raise click.UsageError("a site is a folder of files, not one stream: give -o FOLDER")

    built = build_site(load_graphs(graphs, max_bytes), harms=harms, sparql=not no_sparql)
    index = write_site(built, output)
    click.echo(f"{len(built.files)} files in {output}; open {index.as_uri()}")
    if open_page:
        _open_in_browser(index.as_uri())
