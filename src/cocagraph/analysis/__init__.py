"""Causal analysis over the projection: paths, drivers and effects, loops, levers, explanations
and exports, each a plain function returning frozen dataclasses.

Every function takes the projection (:func:`cocagraph.projection.build_projection`, or a remote
store's ``Store.projection()``, :mod:`cocagraph.store`), names factors as people do
(:func:`resolve_factor`), and bounds its search by length, count and time, saying in its answer
(``truncated``, ``reason``) when it was cut. How confidence and sign are computed:
:mod:`cocagraph.analysis.steps`.

>>> from cocagraph.loading import load
>>> from cocagraph.projection import build_projection
>>> graph = build_projection(load())
>>> best = find_paths(graph, "coca production", "political violence").paths[0]
>>> best.labels[1:3], best.sign_text, best.confidence
(('cocaine production in Peru', "Shining Path's ties to drug producers in the VRAEM"), '+', 0.31640625)
"""

from __future__ import annotations

from .explain import Explanation, explain
from .export import EXPORT_FORMATS, export_text, flat_graph, read_back
from .leverage import Lever, LeverageAnswer, leverage
from .loops import Loop, LoopsAnswer, classify, find_loops
from .neighbours import Influence, InfluenceAnswer, drivers, effects
from .paths import PathsAnswer, find_paths
from .resolve import factor_names, resolve_factor
from .steps import CausalPath, Step, step_weight

__all__ = [
    "EXPORT_FORMATS",
    "CausalPath",
    "Explanation",
    "Influence",
    "InfluenceAnswer",
    "Lever",
    "LeverageAnswer",
    "Loop",
    "LoopsAnswer",
    "PathsAnswer",
    "Step",
    "classify",
    "drivers",
    "effects",
    "explain",
    "export_text",
    "factor_names",
    "find_loops",
    "find_paths",
    "flat_graph",
    "leverage",
    "read_back",
    "resolve_factor",
    "step_weight",
]
