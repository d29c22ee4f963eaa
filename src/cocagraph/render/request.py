"""One map asked for by name: which view, with which options; the function ``cocagraph render`` calls.

>>> from cocagraph.loading import load
>>> data = map_of(load(), MapRequest(focus="shining path funding", depth=1))
>>> data.title
"Around Shining Path's funding"
>>> MapRequest(focus="x", loops=True).check()
Traceback (most recent call last):
...
cocagraph.errors.UsageError: choose one view: --focus, --path, --theme, --loops or --tour (or none for the whole map)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError
from . import views
from .context import Context, corpus_context
from .maps import MapData, build_map
from .page import render_page

if TYPE_CHECKING:
    import networkx as nx

    from ..loading import Corpus

__all__ = ["MapRequest", "map_of", "map_of_graph", "render_map"]


@dataclass(frozen=True)
class MapRequest:
    """The view (at most one of focus, path, theme, loops) and how to draw it."""

    focus: str | None = None
    depth: int = 1
    path: tuple[str, str] | None = None
    theme: str | None = None
    loops: bool = False
    #: the guided tour: the whole map, walked through step by step in the order of the text
    tour: bool = False
    max_length: int = views.MAX_LENGTH
    limit: int | None = None
    #: what-if settings, as ``NAME=VALUE`` (see ``cocagraph whatif``); factors are coloured by their change
    whatif: tuple[str, ...] = ()
    entities: bool = True
    title: str | None = None

    def check(self) -> MapRequest:
        chosen = [self.focus is not None, self.path is not None, self.theme is not None, self.loops, self.tour]
        if sum(chosen) > 1:
            raise UsageError("choose one view: --focus, --path, --theme, --loops or --tour (or none for the whole map)")
        if self.depth < 0:
            raise UsageError(f"--depth must be 0 or more, not {self.depth}")
        if self.max_length < 1 or (self.limit is not None and self.limit < 1):
            raise UsageError("--max-length and --limit must be 1 or more")
        return self


def select_view(graph: nx.MultiDiGraph, request: MapRequest, theme_names: dict[str, list[str]]) -> views.Selection:
    """The selection a request names (names resolved; unknown names raise with suggestions)."""
    if request.focus is not None:
        return views.focus(graph, request.focus, request.depth)
    if request.path is not None:
        return views.paths(
            graph, *request.path, max_length=request.max_length, max_paths=request.limit or views.MAX_PATHS
        )
    if request.theme is not None:
        return views.theme(graph, request.theme, theme_names)
    if request.loops:
        return views.loops(graph, max_length=request.max_length, max_loops=request.limit or views.MAX_CHAINS)
    return views.whole(graph)


def map_of(corpus: Corpus, request: MapRequest | None = None) -> MapData:
    """The map a request asks for, from a loaded corpus (with its actors, places and other claims)."""
    from ..projection import build_projection

    return map_of_graph(build_projection(corpus), request, corpus_context(corpus))


def map_of_graph(graph: nx.MultiDiGraph, request: MapRequest | None = None, context: Context | None = None) -> MapData:
    """The map a request asks for, from a causal projection alone (for example a remote store's).

    Without ``context`` the map has no actor or place nodes and the panel shows the causal
    claims only.
    """
    request = (request or MapRequest()).check()
    context = context or Context()
    if request.tour:
        from .tour import build_tour

        return build_tour(graph, context)
    selection = select_view(graph, request, {k: [v] for k, v in context.theme_labels.items()})
    changes = None
    title = request.title
    if request.whatif:
        from ..scenarios import simulate
        from ..scenarios.specs import scenario_from_settings

        scenario = scenario_from_settings(request.whatif, graph)
        changes = simulate(graph, scenario.interventions, paths=0).changes
        title = title or f"{selection.title}: what if {scenario.name} (what the argument implies, not a forecast)"
    return build_map(graph, selection, context=context, node_changes=changes, entities=request.entities, title=title)


def render_map(corpus: Corpus, request: MapRequest | None = None) -> str:
    """The page of :func:`map_of`, as one self-contained HTML string."""
    return render_page(map_of(corpus, request))
