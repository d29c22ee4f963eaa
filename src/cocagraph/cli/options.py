"""Options every verb shares, and writing answers to stdout or a file."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..atomic import write_atomic
from ..loading import Corpus, load
from ..tables import LISTING_FORMATS, SPREADSHEET_SAFE, format_rows

__all__ = [
    "OutputFile",
    "emit",
    "endpoint_option",
    "format_option",
    "graph_options",
    "load_graphs",
    "load_projection",
    "output_option",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


#: Where ``--source ID`` is kept between parsing and loading (click shares ``meta`` down the chain).
SOURCE_KEY = "cocagraph.source"


class _Params(list):  # type: ignore[type-arg]
    """A verb's list of parameters (click keeps it on the function until the command is built).

    Verbs whose own ``--source`` names a source text (compile, verify-quotes) add it after
    :func:`graph_options`; the text already picks the one source there, so the narrowing
    ``--source ID`` steps aside instead of clashing.
    """

    def append(self, param: Any) -> None:
        if "--source" in getattr(param, "opts", ()):
            self[:] = [p for p in self if getattr(p, "name", None) != "narrow_source"]
        super().append(param)


def _remember_source(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[SOURCE_KEY] = value


def graph_options(func: F) -> F:
    """``--graph PATH`` (repeatable), ``--max-bytes N`` and ``--source ID`` for every verb that reads graphs.

    ``--source`` is not passed to the verb: :func:`load_graphs` and :func:`load_projection` pick it
    up, so every verb that loads through them is narrowed without a change of signature.
    """
    if not any("--source" in getattr(p, "opts", ()) for p in getattr(func, "__click_params__", ())):
        func = click.option(
            "--source",
            "narrow_source",
            default=None,
            metavar="ID",
            expose_value=False,
            callback=_remember_source,
            help="Only this source's claims and what they use (its id, title or IRI).",
        )(func)
    func = click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Refuse RDF files larger than N bytes (default 512 MiB; or COCAGRAPH_MAX_BYTES).",
    )(func)
    func = click.option(
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="Read this RDF file or folder instead of the shipped graph (repeatable).",
    )(func)
    func.__click_params__ = _Params(func.__click_params__)  # type: ignore[attr-defined]
    return func


def format_option(choices: Sequence[str] = LISTING_FORMATS, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the listing formats (table for people; json, csv, md for tools).

    Where csv is offered, ``--spreadsheet-safe`` comes with it: every CSV the verb writes through
    :func:`cocagraph.tables.format_rows` then puts an apostrophe before cells a spreadsheet would
    run as formulas (numbers stay numbers). The verb itself never sees the flag.
    """
    format_param = click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )
    if "csv" not in choices:
        return format_param

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, spreadsheet_safe: bool = False, **kwargs: Any) -> Any:
            if spreadsheet_safe and kwargs.get("fmt") != "csv":
                raise click.UsageError("--spreadsheet-safe applies to --format csv only")
            token = SPREADSHEET_SAFE.set(spreadsheet_safe)
            try:
                return func(*args, **kwargs)
            finally:
                SPREADSHEET_SAFE.reset(token)

        run = click.option(
            "--spreadsheet-safe",
            is_flag=True,
            help="CSV only: put ' before cells starting with = + - @ (not numbers) so spreadsheets do not run them.",
        )(run)
        return format_param(run)  # type: ignore[return-value]

    return decorate


class OutputFile(click.Path):
    """A file to write: a name ending in a path separator names a folder, so it is refused
    (``-o newdir/`` must not write a file called ``newdir``)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        if text.endswith(("/", os.sep)):
            state = "an existing folder" if Path(text).is_dir() else "a folder, which does not exist"
            self.fail(f"{text!r} names {state}; give the file to write, such as {text}map.html", param, ctx)
        return super().convert(value, param, ctx)


def output_option(func: F) -> F:
    """``-o FILE``: write the answer there (atomically) instead of to stdout."""
    return click.option(
        "-o",
        "--output",
        type=OutputFile(),
        default=None,
        help="Write to FILE (atomically: a failure leaves any old FILE as it was).",
    )(func)


def load_graphs(graphs: Sequence[Path], max_bytes: int | None, source: str | None = None) -> Corpus:
    """The one loading path: the named files, or the shipped graph when none is named.

    ``source`` (or, when it is None, the verb's ``--source ID``) narrows the corpus to one source.
    """
    status = _status_line()
    try:
        corpus = load(list(graphs) or None, max_bytes=max_bytes, progress=status)
    finally:
        if status is not None:
            click.echo("\r\033[K", err=True, nl=False)  # the status line goes once loading is done
    source = source if source is not None else _source_from_context()
    if source:
        from ..sources import narrow_to_source

        corpus = narrow_to_source(corpus, source)
    return corpus


def _status_line() -> Callable[[str], None] | None:
    """A one-line status on stderr while large files load, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        click.echo(f"\r\033[Kcocagraph: {message}...", err=True, nl=False)

    return show


def _source_from_context() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(SOURCE_KEY) if ctx is not None else None


def write_output(text: str, output: Path | None) -> None:
    """Print ``text`` or write it to ``output``; files always end with a newline."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], output: Path | None = None) -> None:
    """Format a listing and write it."""
    write_output(format_rows(rows, fmt, columns), output)


def endpoint_option(func: F) -> F:
    """``--endpoint URL``: ask a remote SPARQL 1.1 store instead of loading files."""
    return click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="Run against this SPARQL 1.1 query endpoint (pulls only what the command needs).",
    )(func)


def load_projection(
    graphs: Sequence[Path], max_bytes: int | None, endpoint: str | None = None, source: str | None = None
) -> Any:
    """The causal projection, from the named files (or the shipped graph) or a remote store.

    ``source`` (or the verb's ``--source ID``) keeps one source's causal claims.
    """
    if endpoint:
        if graphs:
            raise click.UsageError("give either --graph or --endpoint, not both")
        from ..remote import fetch_projection  # lazy: only remote runs need the HTTP client

        projection = fetch_projection(endpoint)
        source = source if source is not None else _source_from_context()
        if source:
            from ..sources import narrow_projection

            projection = narrow_projection(projection, source)
        return projection
    from ..projection import build_projection

    return build_projection(load_graphs(graphs, max_bytes, source))
