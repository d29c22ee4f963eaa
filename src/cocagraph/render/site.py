"""A folder of maps a reader can open from the file system: ``cocagraph site -o DIR``.

The index links the whole argument, one map per theme, the paths that lead to the harms the
argument ends in, its feedback loops, every claim as a table (with a CSV download) and the
answers of the bundled SPARQL queries (tables with CSV downloads). Links are relative, so the
pages work from ``file://``; every page is self-contained and makes no request.

Everything is built in memory first: a bad graph or name fails before a file is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_files
from ..catalog import list_claims, short_name, summarize
from ..errors import CocagraphError, OutputError
from ..tables import spreadsheet_cell
from . import views
from .context import Context, corpus_context
from .maps import MapData, build_map
from .page import _asset, render_page

if TYPE_CHECKING:
    import networkx as nx

    from ..loading import Corpus

__all__ = ["Site", "SitePage", "build_site", "write_site"]

INDEX = "index.html"
CLAIM_COLUMNS = ("id", "type", "certainty", "hedge", "explicitness", "asserted_by", "themes", "label", "quote")


@dataclass(frozen=True)
class SitePage:
    """One page of the site, as the index lists it."""

    name: str
    title: str
    section: str
    note: str = ""


@dataclass(frozen=True)
class Site:
    """The site's files (name -> bytes, in writing order) and its pages."""

    files: tuple[tuple[str, bytes], ...]
    pages: tuple[SitePage, ...]

    def file(self, name: str) -> bytes:
        return dict(self.files)[name]


def build_site(corpus: Corpus, *, harms: int = 3, sparql: bool = True) -> Site:
    """Every page of the site, in memory.

    ``harms`` is how many of the argument's end points (factors that drive nothing further,
    ranked by how much of the argument leads to them) get a page of the paths into them.
    ``sparql`` adds the answers of the bundled queries that need no parameter.
    """
    from ..projection import build_projection

    graph = build_projection(corpus)
    context = corpus_context(corpus)
    summary = summarize(corpus)
    source_line = "; ".join(title for _, title in summary.sources) or None
    files: list[tuple[str, bytes]] = []
    pages: list[SitePage] = []

    def add_map(name: str, section: str, selection: views.Selection) -> None:
        data = build_map(graph, selection, context=context)
        html = render_page(data, back=INDEX, source_line=f"Source: {source_line}" if source_line else None)
        files.append((name, html.encode("utf-8")))
        pages.append(SitePage(name, data.title, section, selection.description))

    tour = _tour(graph, context)
    if tour is not None:
        html = render_page(tour, back=INDEX, source_line=f"Source: {source_line}" if source_line else None)
        files.append(("tour.html", html.encode("utf-8")))
        pages.append(SitePage("tour.html", tour.title, "Read the argument", tour.description))
    add_map("map-all.html", "The whole argument", views.whole(graph))
    argument = _argument_map(corpus, context)
    if argument is not None:
        html = render_page(argument, back=INDEX, source_line=f"Source: {source_line}" if source_line else None)
        files.append(("argument.html", html.encode("utf-8")))
        pages.append(SitePage("argument.html", argument.title, "The argument's structure", argument.description))
    for theme_id, label in _themes(graph, context):
        selection = views.theme(graph, theme_id, {theme_id: [label]})
        add_map(f"theme-{_slug(theme_id)}.html", "Maps by theme", selection)
    for harm in _harms(graph, harms):
        add_map(f"paths-{_slug(short_name(harm))}.html", "Paths to the harms", views.paths_to(graph, harm))
    add_map("loops.html", "Feedback loops", views.loops(graph))

    claims_csv, claims_table = _claims_table(corpus)
    files.append(("claims.csv", claims_csv))
    files.append(
        (
            "claims.html",
            _table_page(
                "Every claim", claims_table, "claims.csv", lead=f"{len(claims_table[1])} claims, each with its quote."
            ),
        )
    )
    pages.append(
        SitePage(
            "claims.html",
            "Every claim, as a table",
            "The claims",
            f"{len(claims_table[1])} claims with type, certainty, asserter and quote; also as CSV.",
        )
    )
    if sparql:
        for name, data, page in _sparql_pages(corpus):
            files.append((name, data))
            if page:
                pages.append(page)

    files.insert(0, (INDEX, _index(summary, pages, source_line).encode("utf-8")))
    return Site(tuple(files), tuple(pages))


def write_site(site: Site, folder: str | Path) -> Path:
    """Write the site into ``folder`` (created if missing); return the index's path.

    Each file is written atomically; files of an earlier build that this one no longer has
    are left alone.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file, not a folder")
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create the folder: {exc.strerror or exc}") from exc
    write_files(target, site.files)  # every target checked (no links followed) before any is written
    return (target / INDEX).resolve()


# -- what goes on the site ----------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _themes(graph: nx.MultiDiGraph, context: Context) -> list[tuple[str, str]]:
    """The themes some causal claim is filed under, by label."""
    used = {t for _, _, d in graph.edges(data=True) for t in d.get("themes", ())}
    return sorted(((t, context.theme_labels.get(t, t)) for t in used), key=lambda p: (p[1].casefold(), p[0]))


def _tour(graph: nx.MultiDiGraph, context: Context) -> MapData | None:
    """The guided tour, when the graph's claims have located quotes (otherwise no tour page)."""
    from ..errors import UsageError
    from .tour import build_tour

    try:
        return build_tour(graph, context)
    except UsageError:
        return None


def _argument_map(corpus: Corpus, context: Context) -> MapData | None:
    """The argument map, when the graph holds argument relations (otherwise no page)."""
    from ..argument import relations
    from .argmap import build_argument_map

    return build_argument_map(corpus, context) if relations(corpus) else None


def _harms(graph: nx.MultiDiGraph, count: int) -> list[str]:
    """The end points of the argument with the most of it behind them."""
    import networkx as nx

    ends = [n for n in graph if graph.out_degree(n) == 0 and graph.in_degree(n) > 0]
    ranked = sorted(ends, key=lambda n: (-len(nx.ancestors(graph, n)), graph.nodes[n].get("label", n), n))
    return ranked[:count]


def _claims_table(corpus: Corpus) -> tuple[bytes, tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    # The rows of `cocagraph claims` (one report for the CLI, notebooks and the site), as text cells.
    from ..reports import claims as claims_report

    rows = [
        tuple("; ".join(v) if isinstance(v, list) else "" if v is None else str(v) for v in map(row.get, CLAIM_COLUMNS))
        for row in claims_report.rows(tuple(list_claims(corpus)))
    ]
    return _csv_bytes(CLAIM_COLUMNS, rows), (CLAIM_COLUMNS, rows)


def _csv_bytes(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    # The site's CSV files are for readers, who open them in spreadsheets: always safe mode.
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _sparql_pages(corpus: Corpus) -> list[tuple[str, bytes, SitePage | None]]:
    """Each bundled query that runs without parameters: a table page and its CSV."""
    from ..results import serialize_answer
    from ..sparql import list_bundled, run_query

    made: list[tuple[str, bytes, SitePage | None]] = []
    for query in list_bundled():
        try:
            answer = run_query(corpus, query.text, where=query.name)
        except CocagraphError:
            continue  # needs a parameter, or cannot answer on this corpus: no page rather than a broken one
        if answer.form != "select":
            continue
        data = serialize_answer(answer, "csv", spreadsheet_safe=True)  # a download for spreadsheets
        exact = serialize_answer(answer, "csv")  # the page shows the values as they are
        parsed = list(csv.reader(io.StringIO(exact.decode("utf-8"), newline="")))
        columns, rows = tuple(parsed[0]) if parsed else (), [tuple(r) for r in parsed[1:]]
        base = f"query-{_slug(query.name)}"
        page = _table_page(
            query.name,
            (columns, rows),
            f"{base}.csv",
            lead=query.description,
            query_text=query.text,
            truncated=answer.truncated,
        )
        made.append((f"{base}.csv", data, None))
        made.append(
            (
                f"{base}.html",
                page,
                SitePage(f"{base}.html", query.name, "SPARQL answers", f"{query.description} ({len(rows)} rows)"),
            )
        )
    return made


# -- pages --------------------------------------------------------------------------------------


def _site_template() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_asset("site.html"))


def _table_page(
    title: str,
    table: tuple[tuple[str, ...], list[tuple[str, ...]]],
    download: str,
    *,
    lead: str = "",
    query_text: str = "",
    truncated: bool = False,
) -> bytes:
    columns, rows = table
    html = _site_template().render(
        title=title,
        lead=lead,
        back=INDEX,
        sections=[],
        table={"columns": columns, "rows": rows},
        download=download,
        truncated=truncated,
        query_text=query_text,
        footer="",
    )
    return html.encode("utf-8")


def _index(summary: Any, pages: list[SitePage], source_line: str | None) -> str:
    order = [
        "Read the argument",
        "The whole argument",
        "The argument's structure",
        "Maps by theme",
        "Paths to the harms",
        "Feedback loops",
        "The claims",
        "SPARQL answers",
    ]
    texts = {
        "Read the argument": "The article's argument step by step, in the order of the text: each step's claims "
        "highlighted on the map, with their quotes, certainty and who asserts them.",
        "The argument's structure": "The claims as nodes and how they bear on one another (support, rebuttal, "
        "undercut, concession, qualification), with which claims stand.",
        "Maps by theme": "The claims filed under each theme, with the factors they link.",
        "Paths to the harms": "The chains of claims that lead to the argument's end points, from the factors "
        "nothing else in it drives.",
        "The claims": "Every claim of the graph with its type, certainty, asserter and quote.",
        "SPARQL answers": "The answers of cocagraph's bundled queries, as tables to read or download.",
    }
    sections = []
    for heading in order:
        links = []
        for page in (p for p in pages if p.section == heading):
            extra = page.name[:-5] + ".csv" if page.name.startswith(("query-", "claims")) else ""
            links.append(
                {
                    "href": page.name,
                    "title": page.title,
                    "note": page.note,
                    "extra": "CSV" if extra else "",
                    "extra_href": extra,
                }
            )
        if links:
            sections.append(
                {"heading": heading, "anchor": _slug(heading), "text": texts.get(heading, ""), "links": links}
            )
    lead = (
        f"{summary.claims} claims ({summary.hedged} hedged, {summary.inferred} inferred by the curator), "
        f"{summary.factors} factors, {summary.actors} actors and {summary.places} places. Click any node or "
        "arrow on a map to read the claims and the source's own words."
    )
    title = f"Maps of the argument: {source_line}" if source_line else "Maps of the argument"
    return _site_template().render(
        title=title,
        lead=lead,
        back=None,
        sections=sections,
        table=None,
        download=None,
        truncated=False,
        query_text="",
        footer="Made with cocagraph. Every page works offline: open them from the folder.",
    )
