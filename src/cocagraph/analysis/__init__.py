"""Causal analysis over the projection: paths, drivers and effects, loops, levers, explanations
and exports, each a plain function returning frozen dataclasses.

Every function takes the projection (:func:`cocagraph.projection.build_projection`, or a remote
store's :func:`cocagraph.remote.fetch_projection`), names factors as people do
(:func:`resolve_factor`), and bounds its search by length, count and time, saying in its answer
(``truncated``, ``reason``) when it was cut. How confidence and sign are computed:
:mod:`cocagraph.analysis.steps`.
"""

from __future__ import annotations

from .paths import PathsAnswer, find_paths
from .resolve import factor_names, resolve_factor
from .steps import CausalPath, Step, step_weight

__all__ = ["CausalPath", "PathsAnswer", "Step", "factor_names", "find_paths", "resolve_factor", "step_weight"]
