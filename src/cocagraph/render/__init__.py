"""Interactive causal maps for readers: pyvis networks on cocagraph's own offline page.

>>> from cocagraph.loading import load
>>> from cocagraph.projection import build_projection
>>> corpus = load()
>>> html = render_html(build_projection(corpus), context=corpus_context(corpus))
>>> html.startswith("<!DOCTYPE html>") and "cdn" not in html.lower()
True

Modules: :mod:`.views` (which part of the graph), :mod:`.context` (what the corpus adds),
:mod:`.layout` (positions), :mod:`.routes` (each edge's drawing, round the labels),
:mod:`.maps` (the pyvis network and its data), :mod:`.page` (the HTML), :mod:`.site` (a
folder of maps), :mod:`.notebook` (inline display in Jupyter).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .context import Context, corpus_context
from .maps import MapData, build_map
from .page import render_page
from .views import Selection, focus, loops, paths, paths_to, theme, whole

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Context",
    "MapData",
    "Selection",
    "build_map",
    "corpus_context",
    "focus",
    "loops",
    "paths",
    "paths_to",
    "render_html",
    "render_page",
    "theme",
    "whole",
]


def render_html(
    graph: nx.MultiDiGraph,
    selection: Selection | None = None,
    *,
    context: Context | None = None,
    node_changes: Mapping[str, float] | None = None,
    entities: bool = True,
    title: str | None = None,
) -> str:
    """One map as a self-contained HTML page (see :func:`build_map` for the arguments)."""
    data = build_map(graph, selection, context=context, node_changes=node_changes, entities=entities, title=title)
    return render_page(data)
