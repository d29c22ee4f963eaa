"""Fuzzy-cognitive-map propagation: claim weights, the influence matrix, and the iteration.

The method (Kosko's fuzzy cognitive maps, as FCMpy, the R package ``fcm`` and Mental Modeler run
them), with every factor's value a *change from the status quo* in [-1, 1]:

* each causal claim weighs ``polarity × certainty weight × explicitness weight``
  (by default asserted 1.0, hedged 0.5; stated 1.0, inferred 0.75);
* several claims from the same cause to the same effect add up, then the sum is clipped to
  [-1, 1]: saying a thing twice does not make a link stronger than one asserted, stated claim,
  and opposite claims offset each other;
* the scenario's factors are clamped at the values set; everything else starts at 0 (no change);
* each step, every other factor becomes ``tanh(steepness × Σ weight × cause)`` (Kosko's rule)
  or ``tanh(steepness × (own value + Σ weight × cause))`` (the "modified Kosko" rule, with
  memory);
* it stops when no factor moves by more than the tolerance from one step to the next
  (converged), or at the step cap; a two-step cycle at the cap is reported as oscillating.

Two implementations of the same iteration: :func:`iterate` with scipy.sparse matrix products
(what cocagraph uses) and :func:`iterate_loop`, a plain Python loop over each factor's incoming
links (:func:`influence_lists`), kept as the reference the sparse one is tested and benchmarked against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.steps import CERTAINTY_WEIGHTS, EXPLICITNESS_WEIGHTS
from ..catalog import short_name
from ..errors import UsageError

if TYPE_CHECKING:
    import networkx as nx
    from scipy.sparse import csr_array

__all__ = [
    "RULES",
    "ClaimWeight",
    "Iteration",
    "Link",
    "Weights",
    "influence_lists",
    "influence_matrix",
    "iterate",
    "iterate_loop",
    "links",
]

#: The update rules: Kosko's (a factor is what its causes make it) and the modified rule with
#: memory (a factor keeps its own value and adds what its causes push).
RULES = ("kosko", "modified-kosko")


@dataclass(frozen=True)
class Weights:
    """How much a claim counts, from how sure the text is and whether it states the link.

    >>> Weights().of("hedged", "inferred")
    0.375
    >>> Weights(hedged=2.0)
    Traceback (most recent call last):
    ...
    cocagraph.errors.UsageError: the weight of hedged claims must be between 0 and 1, not 2.0
    """

    # The defaults are the analysis weights, so that paths and scenarios weigh a claim alike.
    asserted: float = CERTAINTY_WEIGHTS["asserted"]
    hedged: float = CERTAINTY_WEIGHTS["hedged"]
    stated: float = EXPLICITNESS_WEIGHTS["stated"]
    inferred: float = EXPLICITNESS_WEIGHTS["inferred"]

    def __post_init__(self) -> None:
        for name in ("asserted", "hedged", "stated", "inferred"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise UsageError(f"the weight of {name} claims must be between 0 and 1, not {value!r}")

    def of(self, certainty: str, explicitness: str) -> float:
        """The weight of a claim with this certainty and explicitness (before its polarity)."""
        sure = self.hedged if certainty == "hedged" else self.asserted
        said = self.inferred if explicitness == "inferred" else self.stated
        return sure * said


@dataclass(frozen=True)
class ClaimWeight:
    """One causal claim as it enters a link: its evidence marks and its signed weight."""

    claim: str
    label: str
    polarity: int
    certainty: str
    hedge: str | None
    explicitness: str
    weight: float
    quote: str | None

    @property
    def id(self) -> str:
        """The claim's readable id (the tail of its IRI)."""
        return short_name(self.claim)


@dataclass(frozen=True)
class Link:
    """Every claim from one factor to another, combined: the weight the iteration uses."""

    cause: str
    effect: str
    weight: float
    claims: tuple[ClaimWeight, ...]


def links(graph: nx.MultiDiGraph, weights: Weights = Weights()) -> dict[tuple[str, str], Link]:
    """The graph's causal claims folded into one weighted link per (cause, effect) pair.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="c1", polarity=1, certainty="asserted", explicitness="stated")
    'c1'
    >>> g.add_edge("a", "b", key="c2", polarity=-1, certainty="hedged", explicitness="stated")
    'c2'
    >>> links(g)[("a", "b")].weight
    0.5
    """
    grouped: dict[tuple[str, str], list[ClaimWeight]] = {}
    for cause, effect, key, data in graph.edges(keys=True, data=True):
        certainty = data.get("certainty") or "asserted"
        explicitness = data.get("explicitness") or "stated"
        polarity = -1 if data.get("polarity", 1) < 0 else 1
        grouped.setdefault((cause, effect), []).append(
            ClaimWeight(
                claim=data.get("claim", key),
                label=data.get("label") or short_name(str(key)),
                polarity=polarity,
                certainty=certainty,
                hedge=data.get("hedge"),
                explicitness=explicitness,
                weight=polarity * weights.of(certainty, explicitness),
                quote=data.get("quote"),
            )
        )
    folded = {}
    for pair in sorted(grouped):
        claims = tuple(sorted(grouped[pair], key=lambda c: c.claim))
        total = max(-1.0, min(1.0, math.fsum(c.weight for c in claims)))
        folded[pair] = Link(pair[0], pair[1], total, claims)
    return folded


def influence_matrix(order: Sequence[str], folded: Iterable[Link]) -> csr_array:
    """The n×n sparse matrix W with ``W[effect, cause] = weight``, rows and columns in ``order``."""
    import numpy as np
    from scipy.sparse import csr_array

    index = {iri: i for i, iri in enumerate(order)}
    kept = [(index[link.effect], index[link.cause], link.weight) for link in folded if link.weight != 0.0]
    triples = np.array(kept, dtype=np.float64).reshape(-1, 3)
    rows, cols = triples[:, 0].astype(np.int64), triples[:, 1].astype(np.int64)
    return csr_array((triples[:, 2], (rows, cols)), shape=(len(order), len(order)))


@dataclass(frozen=True)
class Iteration:
    """Where the iteration ended: the state, the steps taken and why it stopped."""

    state: tuple[float, ...]
    steps: int
    residual: float
    status: str  # "converged", "oscillating" or "step cap"

    @property
    def converged(self) -> bool:
        return self.status == "converged"


def _check(steps: int, tolerance: float, rule: str, steepness: float) -> None:
    if not isinstance(steps, int) or steps < 1:
        raise UsageError(f"the step cap must be a whole number of at least 1, not {steps!r}")
    if not tolerance > 0:
        raise UsageError(f"the tolerance must be above 0, not {tolerance!r}")
    if rule not in RULES:
        raise UsageError(f"unknown update rule {rule!r}; one of {', '.join(RULES)}")
    if not (steepness > 0 and math.isfinite(steepness)):
        raise UsageError(f"the steepness must be a positive number, not {steepness!r}")


def iterate(
    matrix: Any,
    clamped: Mapping[int, float],
    *,
    steps: int = 100,
    tolerance: float = 1e-6,
    rule: str = "kosko",
    steepness: float = 1.0,
) -> Iteration:
    """Run the map to convergence or the step cap, as sparse matrix products.

    ``clamped`` maps row indices to the values they are held at.

    >>> from scipy.sparse import csr_array
    >>> chain = csr_array([[0.0, 0.0], [1.0, 0.0]])   # 0 -> 1 with weight 1
    >>> run = iterate(chain, {0: 1.0}, tolerance=1e-12)
    >>> round(run.state[1], 6), run.status, run.steps
    (0.761594, 'converged', 2)
    """
    import numpy as np

    _check(steps, tolerance, rule, steepness)
    n = matrix.shape[0]
    idx = np.fromiter(clamped.keys(), dtype=np.int64, count=len(clamped))
    vals = np.fromiter(clamped.values(), dtype=np.float64, count=len(clamped))
    x = np.zeros(n)
    x[idx] = vals
    previous = older = x
    memory = rule == "modified-kosko"
    residual = 0.0
    for step in range(1, steps + 1):
        pushed = matrix @ x
        if memory:
            pushed += x
        new = np.tanh(steepness * pushed)
        new[idx] = vals
        residual = float(np.max(np.abs(new - x))) if n else 0.0
        older, previous, x = previous, x, new
        if residual < tolerance:
            return Iteration(tuple(x.tolist()), step, residual, "converged")
    # A synchronous map with a balancing loop of high gain can settle into a two-step cycle
    # instead of a fixed point; say so rather than report one arbitrary half of the cycle.
    cycling = bool(n) and float(np.max(np.abs(x - older))) < tolerance
    return Iteration(tuple(x.tolist()), steps, residual, "oscillating" if cycling else "step cap")


def influence_lists(order: Sequence[str], folded: Iterable[Link]) -> list[list[tuple[int, float]]]:
    """For each factor in ``order``, its incoming links as (cause index, weight): the loop's W."""
    index = {iri: i for i, iri in enumerate(order)}
    incoming: list[list[tuple[int, float]]] = [[] for _ in order]
    for link in folded:
        if link.weight != 0.0:
            incoming[index[link.effect]].append((index[link.cause], link.weight))
    return incoming


def iterate_loop(
    incoming: Sequence[Sequence[tuple[int, float]]],
    clamped: Mapping[int, float],
    *,
    steps: int = 100,
    tolerance: float = 1e-6,
    rule: str = "kosko",
    steepness: float = 1.0,
) -> Iteration:
    """The same iteration as :func:`iterate`, as a plain Python loop over each factor's incoming links.

    The reference implementation: slower, obviously right, and the benchmark's baseline.

    >>> run = iterate_loop(influence_lists(["a", "b"], [Link("a", "b", 1.0, ())]), {0: 1.0}, tolerance=1e-12)
    >>> round(run.state[1], 6), run.status
    (0.761594, 'converged')
    """
    _check(steps, tolerance, rule, steepness)
    held = dict(clamped)
    x = [0.0] * len(incoming)
    for i, value in held.items():
        x[i] = value
    previous = older = x
    memory = rule == "modified-kosko"
    tanh = math.tanh
    residual = 0.0
    for step in range(1, steps + 1):
        new = []
        for i, inputs in enumerate(incoming):
            if i in held:
                new.append(held[i])
                continue
            total = x[i] if memory else 0.0
            for cause, weight in inputs:
                total += weight * x[cause]
            new.append(tanh(steepness * total))
        residual = max((abs(a - b) for a, b in zip(new, x, strict=True)), default=0.0)
        older, previous, x = previous, x, new
        if residual < tolerance:
            return Iteration(tuple(x), step, residual, "converged")
    cycling = max((abs(a - b) for a, b in zip(x, older, strict=True)), default=1.0) < tolerance
    return Iteration(tuple(x), steps, residual, "oscillating" if cycling else "step cap")
