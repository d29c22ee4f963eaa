"""One channel per link: a summary claim and the mechanism that spells it out are not two.

When an Elaboration relation says that a chain of causal claims (cocaine production → Shining
Path's drug ties → its funding → its holding out → political violence) spells out one summary
claim (cocaine production → political violence), the text makes one causal point twice: once in
brief, once in detail. Counting both would move political violence along two channels where the
text gives one. :func:`one_channel` keeps the mechanism and leaves the summary out: the chain
names every factor the text names, so scenarios reach them all, paths show how the effect comes
about, and a scenario that sets a factor inside the chain still carries on to the end of it.
The summary stays in the projection itself (maps and ``explain`` show it, with its quote) and in
``cocagraph argument``, where its mechanism stands under it.

A summary is left out only when every claim of its mechanism is in the graph (a graph narrowed to
one source, or cut around a factor, may hold the summary without its chain: then the summary is
the only channel and stays). ``whatif``, ``compare``, ``paths`` and ``leverage`` go through here.
"""

from __future__ import annotations

import weakref

import networkx as nx

__all__ = ["folded_summaries", "one_channel"]

_ONE: weakref.WeakKeyDictionary[nx.MultiDiGraph, nx.MultiDiGraph] = weakref.WeakKeyDictionary()


def folded_summaries(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """The (cause, effect, claim) edges of summary claims whose whole mechanism is in ``graph``."""
    present = {key for _, _, key in graph.edges(keys=True)}
    return [
        (u, v, key)
        for u, v, key, mechanism in graph.edges(keys=True, data="mechanism")
        if mechanism and set(mechanism) <= present and key not in mechanism
    ]


def one_channel(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` without the summary claims its mechanisms spell out (the graph itself if none).

    The answer is frozen and kept for as long as ``graph`` lives, so that repeated questions on
    one projection do not copy it again.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("x", "e", key="summary", mechanism=("m1", "m2"))
    'summary'
    >>> g.add_edge("x", "m", key="m1")
    'm1'
    >>> g.add_edge("m", "e", key="m2")
    'm2'
    >>> sorted(k for _, _, k in one_channel(g).edges(keys=True))
    ['m1', 'm2']
    >>> g.remove_edge("m", "e", key="m2")  # the mechanism is not all there: the summary stays
    >>> sorted(k for _, _, k in one_channel(g).edges(keys=True))
    ['m1', 'summary']
    """
    cached = _ONE.get(graph)
    if cached is not None and nx.is_frozen(graph):
        return cached
    drop = folded_summaries(graph)
    if not drop:
        return graph
    reduced = graph.copy()
    reduced.remove_edges_from(drop)
    nx.freeze(reduced)
    if nx.is_frozen(graph):  # a graph that can change is not cached: its summaries could change too
        _ONE[graph] = reduced
    return reduced
