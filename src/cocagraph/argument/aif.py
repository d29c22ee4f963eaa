"""The argument in the Argument Interchange Format, as AIFdb writes it in JSON.

``{"nodes": [...], "edges": [...], "locutions": [], "participants": []}`` where

* every claim is an I-node whose ``text`` is its quote as it stands in the source (a claim
  resting on several passages joins them with " … ", in text order);
* every relation is an S-node: RA (inference) for support and elaboration, CA (conflict) for
  rebuttal, undercut, concession and qualification, each with its ``scheme`` named ("support",
  "elaboration", "rebut", "undercut", "concession", "qualification") and the same name as text;
* edges run from each premise to its relation and from the relation to its conclusion, an
  I-node, or for an undercut the S-node of the relation it attacks.

Node ids are numbers written as strings, as AIFdb's are: claims first in IRI order, then
relations in IRI order, so the same graph always gives the same file. No timestamps are
written: the graph records no time of annotation.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..catalog import list_claims

if TYPE_CHECKING:
    from ..loading import Corpus

from .model import relations

__all__ = ["SCHEMES", "aif_document", "aif_text"]

#: Each relation type's AIF node type and scheme name.
SCHEMES = {
    "support": ("RA", "support"),
    "elaboration": ("RA", "elaboration"),
    "rebuttal": ("CA", "rebut"),
    "undercut": ("CA", "undercut"),
    "concession": ("CA", "concession"),
    "qualification": ("CA", "qualification"),
}


def aif_document(corpus: Corpus) -> dict[str, Any]:
    """The corpus' claims and relations as an AIF JSON document (a dict; see :func:`aif_text`).

    >>> from cocagraph.loading import load
    >>> from helpers import DATA
    >>> doc = aif_document(load([DATA / "argument-mini.ttl"]))
    >>> sorted({n["type"] for n in doc["nodes"]}), len(doc["edges"])
    (['CA', 'I', 'RA'], 31)
    """
    ids: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    for row in list_claims(corpus):
        ids[row.iri] = str(len(ids) + 1)
        nodes.append({"nodeID": ids[row.iri], "text": row.quote or row.label, "type": "I"})
    rels = relations(corpus)
    for rel in rels:
        ids[rel.iri] = str(len(ids) + 1)
        kind, scheme = SCHEMES[rel.type]
        nodes.append({"nodeID": ids[rel.iri], "text": scheme, "type": kind, "scheme": scheme})
    edges: list[dict[str, Any]] = []

    def edge(source: str, target: str) -> None:
        if source in ids and target in ids:  # a premise or conclusion the corpus does not describe is left out
            edges.append(
                {"edgeID": str(len(edges) + 1), "fromID": ids[source], "toID": ids[target], "formEdgeID": None}
            )

    for rel in rels:
        for premise in rel.premises:
            edge(premise, rel.iri)
        edge(rel.iri, rel.conclusion)
    return {"nodes": nodes, "edges": edges, "locutions": [], "participants": []}


def aif_text(corpus: Corpus) -> str:
    """:func:`aif_document` as JSON text (UTF-8 characters kept, two-space indent)."""
    return json.dumps(aif_document(corpus), ensure_ascii=False, indent=2)
