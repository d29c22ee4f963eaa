"""Which part of the causal projection a map shows: the whole, a focus, paths, a theme, loops.

A selection is a set of factors and a set of claims (edge keys), plus what to highlight and,
for paths and loops, the chains themselves in order so that the page can list them as text.
Every search is bounded (length and count); a selection says when it was cut.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n in "abc":
...     g.add_node(n, label=n.upper())
>>> for u, v in ["ab", "bc", "ca"]:
...     _ = g.add_edge(u, v, key=u + v, polarity=1)
>>> sorted(focus(g, "a", depth=1).nodes)
['a', 'b', 'c']
>>> [list(chain.nodes) for chain in loops(g).chains]
[['a', 'b', 'c', 'a']]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..analysis import find_paths, resolve_factor
from ..analysis.loops import DEFAULT_LOOP_LIMIT, find_loops
from ..analysis.paths import DEFAULT_LIMIT, DEFAULT_MAX_LENGTH
from ..errors import UsageError
from ..names import resolve

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Chain",
    "Selection",
    "focus",
    "loops",
    "paths",
    "paths_to",
    "theme",
    "whole",
]

#: Bounds on path and loop searches (simple paths and cycles grow factorially); paths use the
#: defaults of ``cocagraph paths`` so that a map shows what that command lists.
MAX_LENGTH = DEFAULT_MAX_LENGTH
MAX_PATHS = DEFAULT_LIMIT
MAX_CHAINS = DEFAULT_LOOP_LIMIT


@dataclass(frozen=True)
class Chain:
    """One causal path or loop: its factors in order and the claim behind each step."""

    nodes: tuple[str, ...]
    claims: tuple[str, ...]
    #: "+" when the polarities along the chain multiply to an increase (a reinforcing loop), "-" otherwise.
    sign: str = "+"


@dataclass(frozen=True)
class Selection:
    """What one map shows."""

    kind: str
    title: str
    nodes: frozenset[str]
    claims: frozenset[str]
    highlight_nodes: frozenset[str] = frozenset()
    highlight_claims: frozenset[str] = frozenset()
    chains: tuple[Chain, ...] = ()
    description: str = ""
    truncated: bool = False
    notes: tuple[str, ...] = field(default=())


def whole(graph: nx.MultiDiGraph, title: str = "The whole argument") -> Selection:
    """Every factor and every causal claim."""
    return Selection(
        kind="whole",
        title=title,
        nodes=frozenset(graph.nodes),
        claims=frozenset(key for _, _, key in graph.edges(keys=True)),
        description=f"{graph.number_of_nodes()} factors and {graph.number_of_edges()} causal claims.",
    )


def focus(graph: nx.MultiDiGraph, name: str, depth: int = 1) -> Selection:
    """The factor called ``name`` and everything within ``depth`` causal steps of it, either way."""
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    centre = resolve_factor(graph, name)
    undirected = graph.to_undirected(as_view=True)
    reached = {centre}
    frontier = {centre}
    for _ in range(depth):
        frontier = {n for f in frontier for n in undirected.neighbors(f)} - reached
        reached |= frontier
    claims = {k for u, v, k in graph.edges(keys=True) if u in reached and v in reached}
    label = graph.nodes[centre].get("label", centre)
    steps = "step" if depth == 1 else "steps"
    return Selection(
        kind="focus",
        title=f"Around {label}",
        nodes=frozenset(reached),
        claims=frozenset(claims),
        highlight_nodes=frozenset({centre}),
        description=f"{label} and the factors within {depth} causal {steps} of it, either way.",
    )


def paths(
    graph: nx.MultiDiGraph, source: str, target: str, *, max_length: int = MAX_LENGTH, max_paths: int = MAX_PATHS
) -> Selection:
    """The causal paths from ``source`` to ``target`` (names), each step one claim, highlighted."""
    start, end = resolve_factor(graph, source), resolve_factor(graph, target)
    if start == end:
        raise UsageError(f"a path needs two different factors; both names give {graph.nodes[start]['label']!r}")
    chains, truncated = _find_paths(graph, [start], end, max_length, max_paths)
    a, b = graph.nodes[start]["label"], graph.nodes[end]["label"]
    return _chain_selection(
        graph,
        "path",
        f"From {a} to {b}",
        chains,
        truncated,
        {start, end},
        found=f"{len(chains)} causal path(s) from {a} to {b}",
        none=f"No causal path from {a} to {b} of at most {max_length} steps.",
    )


def paths_to(
    graph: nx.MultiDiGraph, target: str, *, max_length: int = MAX_LENGTH, max_paths: int = MAX_CHAINS
) -> Selection:
    """Every causal path into ``target`` from the factors nothing else drives (the roots)."""
    import networkx as nx

    end = resolve_factor(graph, target)
    ancestors = nx.ancestors(graph, end)
    roots = sorted(n for n in ancestors if graph.in_degree(n) == 0) or sorted(ancestors)
    chains, truncated = _find_paths(graph, roots, end, max_length, max_paths)
    b = graph.nodes[end]["label"]
    return _chain_selection(
        graph,
        "path",
        f"How the argument reaches {b}",
        chains,
        truncated,
        {end, *(c.nodes[0] for c in chains)},
        found=f"{len(chains)} causal path(s) that end at {b}",
        none=f"Nothing leads to {b}.",
    )


def theme(graph: nx.MultiDiGraph, name: str, theme_names: dict[str, list[str]] | None = None) -> Selection:
    """The claims filed under a theme, the factors they link and the factors filed under it.

    ``theme_names`` maps theme ids to their names (labels); without it, the ids found in the
    graph are the names.
    """
    known: dict[str, list[str]] = {}
    for _, data in graph.nodes(data=True):
        for t in data.get("themes", ()):
            known.setdefault(t, [t])
    for _, _, data in graph.edges(data=True):
        for t in data.get("themes", ()):
            known.setdefault(t, [t])
    for t, labels in (theme_names or {}).items():
        known[t] = [*labels, t]
    wanted = resolve(name, known, "theme")
    claims = {k for _, _, k, d in graph.edges(keys=True, data=True) if wanted in d.get("themes", ())}
    nodes = {n for n, d in graph.nodes(data=True) if wanted in d.get("themes", ())}
    nodes |= {end for u, v, k in graph.edges(keys=True) if k in claims for end in (u, v)}
    label = known[wanted][0]
    return Selection(
        kind="theme",
        title=f"Theme: {label}",
        nodes=frozenset(nodes),
        claims=frozenset(claims),
        description=f"The {len(claims)} causal claims filed under {label}, and the {len(nodes)} factors they link "
        "or that are filed under it.",
    )


def loops(graph: nx.MultiDiGraph, *, max_length: int = MAX_LENGTH, max_loops: int = MAX_CHAINS) -> Selection:
    """The feedback loops: causal cycles of at most ``max_length`` steps, reinforcing or balancing."""
    chains, truncated = _find_loops(graph, max_length, max_loops)
    kinds = [("reinforcing" if c.sign == "+" else "balancing") for c in chains]
    found = (
        f"{len(chains)} feedback loop(s): {kinds.count('reinforcing')} reinforcing, "
        f"{kinds.count('balancing')} balancing"
    )
    return _chain_selection(
        graph,
        "loops",
        "Feedback loops",
        chains,
        truncated,
        set(),
        found=found,
        none=f"The argument holds no feedback loop of at most {max_length} steps.",
    )


# -- finders -----------------------------------------------------------------------------------


def _chain_selection(
    graph: nx.MultiDiGraph,
    kind: str,
    title: str,
    chains: list[Chain],
    truncated: bool,
    ends: set[str],
    *,
    found: str,
    none: str,
) -> Selection:
    nodes = {n for c in chains for n in c.nodes} | ends
    claims = {k for c in chains for k in c.claims}
    cut = " The search was cut at its bounds: there may be more." if truncated else ""
    return Selection(
        kind=kind,
        title=title,
        nodes=frozenset(nodes),
        claims=frozenset(claims),
        highlight_nodes=frozenset(ends),
        highlight_claims=frozenset(claims),
        chains=tuple(chains),
        description=(found + "." if chains else none) + cut,
        truncated=truncated,
    )


def _find_paths(
    graph: nx.MultiDiGraph, starts: list[str], end: str, max_length: int, max_paths: int
) -> tuple[list[Chain], bool]:
    """The paths of ``cocagraph paths`` (surest first), from each start, up to ``max_paths`` in all."""
    chains: list[Chain] = []
    truncated = False
    for start in starts:
        if start == end:
            continue
        if len(chains) >= max_paths:
            return chains, True
        answer = find_paths(graph, start, end, max_length=max_length, limit=max_paths - len(chains))
        truncated = truncated or answer.truncated
        chains += [
            Chain(nodes=p.nodes, claims=tuple(s.claim for s in p.steps), sign="+" if p.sign > 0 else "-")
            for p in answer.paths
        ]
    return chains, truncated


def _find_loops(graph: nx.MultiDiGraph, max_length: int, max_loops: int) -> tuple[list[Chain], bool]:
    """The loops of ``cocagraph loops`` (shortest, then surest, first)."""
    answer = find_loops(graph, max_length=max_length, limit=max_loops)
    chains = [
        Chain(
            nodes=loop.path.nodes,
            claims=tuple(s.claim for s in loop.path.steps),
            sign="+" if loop.kind == "reinforcing" else "-",
        )
        for loop in answer.loops
    ]
    return chains, answer.truncated
