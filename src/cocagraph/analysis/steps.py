"""One causal step (a claim from cause to effect) and a chain of them, with how sure each is.

Confidence of a step is the weight of its certainty times the weight of its explicitness:

    ================  ========  ========
    step weight       stated    inferred
    ================  ========  ========
    asserted          1.0       0.75
    hedged            0.5       0.375
    ================  ========  ========

(the scenarios take their default weights from here, so every command weighs a claim alike). The
confidence of a path or loop is the product of its steps' weights: a chain is no surer than
all of its links together, and each hedge or inference along it lowers it. The sign of a chain
is the product of its polarities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = [
    "CERTAINTY_WEIGHTS",
    "EXPLICITNESS_WEIGHTS",
    "CausalPath",
    "Step",
    "make_path",
    "sign_text",
    "step_of",
    "step_weight",
]

CERTAINTY_WEIGHTS = {"asserted": 1.0, "hedged": 0.5}
EXPLICITNESS_WEIGHTS = {"stated": 1.0, "inferred": 0.75}


def step_weight(certainty: str | None, explicitness: str | None) -> float:
    """How sure one step is (see the module's table).

    >>> step_weight("hedged", "inferred")
    0.375
    >>> step_weight("asserted", "stated")
    1.0
    """
    return CERTAINTY_WEIGHTS.get(certainty or "asserted", 1.0) * EXPLICITNESS_WEIGHTS.get(explicitness or "stated", 1.0)


def sign_text(polarity: int) -> str:
    """``+`` for an increasing (or net increasing) link, ``-`` for a decreasing one."""
    return "+" if polarity > 0 else "-"


@dataclass(frozen=True)
class Step:
    """One causal claim taken as a step from its cause to its effect."""

    source: str
    target: str
    source_label: str
    target_label: str
    claim: str
    claim_label: str
    polarity: int
    certainty: str
    hedge: str | None
    explicitness: str
    quote: str | None
    quotes: tuple[str, ...]
    weight: float

    @property
    def sign(self) -> str:
        return sign_text(self.polarity)

    def as_json(self) -> dict[str, Any]:
        """The step as the ``paths`` JSON shows it (labels, not IRIs, for the factors)."""
        return {
            "from": self.source_label,
            "to": self.target_label,
            "polarity": self.sign,
            "certainty": self.certainty,
            "claim": self.claim,
            "quote": self.quote,
        }


def step_of(graph: nx.MultiDiGraph, source: str, target: str, claim: str) -> Step:
    """The step the claim ``claim`` (an edge key of the projection) makes from ``source`` to ``target``."""
    data = graph.edges[source, target, claim]
    return Step(
        source=source,
        target=target,
        source_label=graph.nodes[source]["label"],
        target_label=graph.nodes[target]["label"],
        claim=claim,
        claim_label=data.get("label") or claim,
        polarity=-1 if data.get("polarity", 1) < 0 else 1,
        certainty=data.get("certainty") or "asserted",
        hedge=data.get("hedge"),
        explicitness=data.get("explicitness") or "stated",
        quote=data.get("quote"),
        quotes=tuple(data.get("quotes") or ()),
        weight=step_weight(data.get("certainty"), data.get("explicitness")),
    )


@dataclass(frozen=True)
class CausalPath:
    """A chain of causal steps; ``sign`` is the product of the polarities, ``confidence`` of the weights."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    steps: tuple[Step, ...]
    sign: int
    confidence: float

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def sign_text(self) -> str:
        return sign_text(self.sign)

    def as_json(self) -> dict[str, Any]:
        return {
            "nodes": list(self.labels),
            "sign": self.sign_text,
            "confidence": self.confidence,
            "steps": [s.as_json() for s in self.steps],
        }


def make_path(graph: nx.MultiDiGraph, steps: Sequence[Step]) -> CausalPath:
    """The path made of ``steps`` (each starting where the one before ends)."""
    nodes = (steps[0].source, *(s.target for s in steps)) if steps else ()
    return CausalPath(
        nodes=nodes,
        labels=(steps[0].source_label, *(s.target_label for s in steps)) if steps else (),
        steps=tuple(steps),
        sign=math.prod(s.polarity for s in steps),
        confidence=math.prod(s.weight for s in steps),
    )
