"""cocagraph: a policy-argument knowledge graph.

Three lines from the graphs to a table (:mod:`cocagraph.api`; every verb of the command line is
a method, every answer prints, tabulates with ``.to_frame()`` and shows in a notebook)::

    >>> import cocagraph
    >>> g = cocagraph.open()                             # the shipped graph; or open("mine.ttl")
    >>> g.paths("coca production", "political violence").rows()[0]["to"]
    'cocaine production in Peru'

The lower-level functions, one name per job (each is imported on first use, so that
``import cocagraph`` and the quick commands stay fast)::

    >>> corpus = cocagraph.load()                        # the shipped graph and ontology
    >>> graph = cocagraph.build_projection(corpus)       # networkx.MultiDiGraph of causal claims
    >>> answer = cocagraph.find_paths(graph, cocagraph.resolve_factor(graph, "coca production"),
    ...                               cocagraph.resolve_factor(graph, "political violence"))
    >>> answer.paths[0].sign_text, len(answer.paths[0].steps) >= 1
    ('+', True)

Subpackages hold the rest: ``cocagraph.analysis``, ``cocagraph.scenarios``, ``cocagraph.render``.
Errors are subclasses of :class:`cocagraph.errors.CocagraphError`.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Answer",
    "CocagraphError",
    "Corpus",
    "Graphs",
    "__version__",
    "build_projection",
    "find_loops",
    "find_paths",
    "list_claims",
    "load",
    "resolve_factor",
    "run_query",
    "serialize_answer",
    "simulate",
    "summarize",
    "validate",
    "verify_quotes",
]

_WHERE = {
    "Answer": "api",
    "CocagraphError": "errors",
    "Graphs": "api",
    "open": "api",
    "Corpus": "loading",
    "build_projection": "projection",
    "find_loops": "analysis",
    "find_paths": "analysis",
    "list_claims": "catalog",
    "load": "loading",
    "resolve_factor": "analysis",
    "run_query": "sparql",
    "serialize_answer": "results",
    "simulate": "scenarios",
    "summarize": "catalog",
    "validate": "validation",
    "verify_quotes": "quotes",
}


#: Public but left out of ``__all__``: ``from cocagraph import *`` must never hide the built-in ``open``.
_NOT_STARRED = ("open",)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("cocagraph")  # declared once, in pyproject.toml
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'cocagraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_NOT_STARRED])
