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
from ..errors import UsageError
from ..loading import Corpus, load
from ..tables import BINARY_FORMATS, LISTING_FORMATS, SPREADSHEET_SAFE, encode_rows, printable

__all__ = [
    "OutputFile",
    "bom_option",
    "complete_factor",
    "complete_query",
    "emit",
    "emit_answer",
    "endpoint_option",
    "format_option",
    "graph_options",
    "load_graphs",
    "load_projection",
    "open_graphs",
    "output_option",
    "say",
    "verbosity",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


#: Where ``--source ID`` is kept between parsing and loading (click shares ``meta`` down the chain).
SOURCE_KEY = "cocagraph.source"
#: Where ``--bom`` is kept between parsing and writing.
BOM_KEY = "cocagraph.bom"
#: Where ``-q`` / ``-v`` keep how much is said on stderr: -1 quiet, 0 normal, 1 verbose.
VERBOSITY_KEY = "cocagraph.verbosity"


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


#: --graph-format -> the file suffix the loader knows it by
GRAPH_FORMATS = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "json-ld": ".jsonld",
    "rdfxml": ".rdf",
}
GRAPH_FORMAT_KEY = "cocagraph.graph_format"


def _remember_graph_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[GRAPH_FORMAT_KEY] = value


def _read_stdin_graph(ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]) -> tuple[Path, ...]:
    """``--graph -``: standard input, kept in a temporary file named ``stdin.<suffix>`` (so that the
    loader's checks, limits and messages apply as to any file), removed when the verb ends."""
    if not any(str(v) == "-" for v in value):
        return value
    fmt = ctx.meta.get(GRAPH_FORMAT_KEY)
    if fmt is None:
        raise click.UsageError("--graph - reads standard input: say its format with --graph-format")
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="cocagraph-stdin-"))
    ctx.call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
    target = folder / f"stdin{GRAPH_FORMATS[fmt]}"
    stream = getattr(sys.stdin, "buffer", None)
    target.write_bytes(stream.read() if stream is not None else sys.stdin.read().encode("utf-8"))
    return tuple(target if str(v) == "-" else v for v in value)


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
        "--graph-format",
        type=click.Choice(list(GRAPH_FORMATS)),
        default=None,
        expose_value=False,
        is_eager=True,  # known before --graph - reads standard input
        callback=_remember_graph_format,
        help="The RDF format of --graph - (standard input).",
    )(func)
    func = click.option(
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(path_type=Path, allow_dash=True),
        metavar="PATH",
        callback=_read_stdin_graph,
        help="Read this RDF file or folder instead of the shipped graph (repeatable); - reads standard input "
        "(with --graph-format).",
    )(func)
    func.__click_params__ = _Params(func.__click_params__)  # type: ignore[attr-defined]
    return func


def _remember_bom(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[BOM_KEY] = True


def bom_option(func: F) -> F:
    """``--bom``: start CSV with a byte-order mark (the writers pick it up; the verb never sees it)."""
    return click.option(
        "--bom",
        is_flag=True,
        expose_value=False,
        callback=_remember_bom,
        help="CSV only: start with a byte-order mark, so that Excel reads accents right (García, not GarcÃ­a).",
    )(func)


def format_option(choices: Sequence[str] = LISTING_FORMATS, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the listing formats (table for people; json, jsonl, csv, tsv, md and xlsx
    for tools).

    Where csv is offered, ``--spreadsheet-safe`` and ``--bom`` come with it: every CSV the verb
    writes through :func:`cocagraph.tables.format_rows` then puts an apostrophe before cells a
    spreadsheet would run as formulas (numbers stay numbers), and starts with a byte-order mark
    so that Excel reads accents right. The verb itself never sees the flags.
    """
    format_param = click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format (tsv is plain, for pandas and R; xlsx for spreadsheets, needs -o FILE on a terminal).",
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
        return format_param(bom_option(run))  # type: ignore[return-value]

    return decorate


class OutputFile(click.Path):
    """A file to write: a name ending in a path separator names a folder, so it is refused
    (``-o newdir/`` must not write a file called ``newdir``); ``-`` is standard output."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, allow_dash=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        if text.endswith(("/", os.sep)):
            state = "an existing folder" if Path(text).is_dir() else "a folder, which does not exist"
            self.fail(f"{text!r} names {state}; give the file to write, such as {text}map.html", param, ctx)
        return super().convert(value, param, ctx)


def output_option(func: F) -> F:
    """``-o FILE``: write the answer there (atomically) instead of to stdout; ``-o -`` is stdout."""
    return click.option(
        "-o",
        "--output",
        type=OutputFile(),
        default=None,
        help="Write to FILE (atomically: a failure leaves any old FILE as it was); - for standard output.",
    )(func)


def load_graphs(
    graphs: Sequence[Path],
    max_bytes: int | None,
    source: str | None = None,
    *,
    as_written: bool = False,
    cache: bool | None = None,
) -> Corpus:
    """The one loading path: the named files, or the shipped graph when none is named.

    ``source`` (or, when it is None, the verb's ``--source ID``) narrows the corpus to one source;
    ``as_written`` keeps the parsed quads as spelled, ``cache`` forces the on-disk cache on or
    off (see :func:`cocagraph.loading.load`).
    """
    status = _status_line()
    try:
        corpus = load(list(graphs) or None, max_bytes=max_bytes, progress=status, as_written=as_written, cache=cache)
    finally:
        if status is not None:
            click.echo("\r\033[K", err=True, nl=False)  # the status line goes once loading is done
    source = source if source is not None else _source_from_context()
    if source:
        from ..sources import narrow_to_source

        corpus = narrow_to_source(corpus, source)
    return corpus


def _status_line() -> Callable[[str], None] | None:
    """A one-line status on stderr while large files load, only when stderr is a terminal (not with -q)."""
    if not sys.stderr.isatty() or verbosity() < 0:
        return None

    def show(message: str) -> None:
        click.echo(f"\r\033[Kcocagraph: {message}...", err=True, nl=False)

    return show


def _source_from_context() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(SOURCE_KEY) if ctx is not None else None


def _to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def write_output(data: str | bytes, output: Path | None, *, binary: bool = False) -> None:
    """Print ``data`` or write it to ``output`` (``-`` is standard output); text always ends with a
    newline. ``binary`` data (xlsx) is refused on a terminal, where it would only be noise."""
    if isinstance(data, str):
        if not data.endswith("\n"):
            data += "\n"
        data = data.encode("utf-8")
    if not binary and _to_stdout(output) and sys.stdout.isatty():
        # On a terminal, escape codes in the data would be obeyed, not shown; files keep them exact.
        data = printable(data.decode("utf-8", errors="replace")).encode("utf-8")
    if not _to_stdout(output):
        write_atomic(output, data)  # type: ignore[arg-type]
        return
    if binary and sys.stdout.isatty():
        raise UsageError("that format is binary: give -o FILE (or pipe standard output to a file)")
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (some test runners): the bytes are UTF-8 text or base64-free binary
        click.echo(data.decode("utf-8", errors="replace"), nl=False)
        return
    sys.stdout.flush()
    stream.write(data)
    stream.flush()


def _meta(key: str, default: Any = None) -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(key, default) if ctx is not None else default


def verbosity() -> int:
    """-1 with ``-q``, 1 with ``-v``, else 0."""
    return int(_meta(VERBOSITY_KEY, 0))


def say(message: str, *, level: int = 0) -> None:
    """A note on stderr: ``level`` 0 unless ``-q``, 1 only with ``-v``."""
    if verbosity() >= level:
        click.echo(f"cocagraph: {message}", err=True)


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], output: Path | None = None) -> None:
    """Format a listing and write it."""
    write_output(encode_rows(rows, fmt, columns, bom=bool(_meta(BOM_KEY))), output, binary=fmt in BINARY_FORMATS)


#: Formats that are one plain table: notes a report carries in its prose go to stderr instead.
ROW_FORMATS = ("csv", "tsv", "jsonl", "xlsx")


def emit_answer(answer: Any, fmt: str, output: Path | None = None, **options: Any) -> None:
    """Write an :class:`~cocagraph.api.Answer` in ``fmt``, then its notes on stderr.

    Scenario answers say "not a forecast" in their own prose (table, md, json); in the plain
    table formats that goes to stderr.
    """
    data = answer.format(fmt, bom=bool(_meta(BOM_KEY)), **options)
    write_output(data, output, binary=fmt in BINARY_FORMATS)
    prose_carries_notes = answer.kind in ("whatif", "compare") and fmt not in ROW_FORMATS
    if not prose_carries_notes:
        for note in answer.notes:
            say(f"note: {note}")


def open_graphs(
    graphs: Sequence[Path], max_bytes: int | None, endpoint: str | None = None, source: str | None = None
) -> Any:
    """:func:`cocagraph.open` for a verb: its --graph files (or the shipped graph), --endpoint,
    --source, with a status line on a terminal while large files load."""
    import time

    from ..api import open as open_api

    if endpoint and graphs:
        raise click.UsageError("give either --graph or --endpoint, not both")
    started = time.perf_counter()
    status = _status_line()
    try:
        opened = open_api(
            list(graphs) or None,
            endpoint=endpoint,
            source=source if source is not None else _source_from_context(),
            max_bytes=max_bytes,
            progress=status,
        )
    finally:
        if status is not None:
            click.echo("\r\033[K", err=True, nl=False)
    say(f"opened {opened!r} in {time.perf_counter() - started:.2f} s", level=1)
    return opened


def complete_factor(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of factor names: the labels (of the verb's --graph files, or the shipped
    graph) that hold what was typed. A completion must never fail, so errors complete nothing."""
    from click.shell_completion import CompletionItem

    from ..names import normalize

    try:
        from ..projection import build_projection

        graph = build_projection(load(list(ctx.params.get("graphs") or ()) or None))
    except Exception:  # a half-typed command line may name files that do not exist yet
        return []
    wanted = normalize(incomplete)
    labels = sorted({data.get("label", "") for _, data in graph.nodes(data=True)})
    return [CompletionItem(label) for label in labels if label and wanted in normalize(label)]


def complete_query(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of the bundled queries' names (files complete as files)."""
    from click.shell_completion import CompletionItem

    try:
        from ..sparql import list_bundled

        names = [q.name for q in list_bundled()]
    except Exception:
        return []
    return [CompletionItem(n) for n in names if n.startswith(incomplete)] or [CompletionItem(incomplete, type="file")]


def endpoint_option(func: F) -> F:
    """``--endpoint URL``: ask a remote SPARQL 1.1 store instead of loading files."""
    return click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        envvar="COCAGRAPH_ENDPOINT",
        help="Run against this SPARQL 1.1 query endpoint (pulls only what the command needs; or COCAGRAPH_ENDPOINT).",
    )(func)


def load_projection(
    graphs: Sequence[Path], max_bytes: int | None, endpoint: str | None = None, source: str | None = None
) -> Any:
    """The causal projection, from the named files (or the shipped graph) or a remote store.

    ``source`` (or the verb's ``--source ID``) keeps one source's causal claims.
    """
    return open_graphs(graphs, max_bytes, endpoint, source).projection
