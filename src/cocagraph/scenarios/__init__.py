"""Policy scenarios: what an argument's causal claims imply if some factors change.

A fuzzy-cognitive-map iteration over the causal projection (:mod:`.propagation`), the chains of
claims that carry each effect (:mod:`.tracing`), scenarios named on the command line or in a
small YAML file (:mod:`.specs`), and two scenarios side by side (:mod:`.compare`).
"""

from .propagation import ClaimWeight, Iteration, Link, Weights
from .simulate import NOT_A_FORECAST, Effect, Method, ScenarioResult, simulate
from .tracing import EffectPath

__all__ = [
    "NOT_A_FORECAST",
    "ClaimWeight",
    "Effect",
    "EffectPath",
    "Iteration",
    "Link",
    "Method",
    "ScenarioResult",
    "Weights",
    "simulate",
]
