"""The argument relations of a loaded corpus, read as AIF-style nodes of their own.

Each relation (``cg:ArgumentRelation``) has premises (claims), one conclusion (a claim, or for an
undercut another relation), the words that signal it, its evidence quote, its asserter and
whether the text states it, exactly as ARGUMENT-CONTRACT.md fixes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Evidence, evidence_for, short_name
from ..engine import select
from ..loading import Corpus
from ..vocab import CG

__all__ = ["ATTACKING", "RELATION_TYPES", "Relation", "relations"]

#: Each relation class and the short name commands use for it.
RELATION_TYPES: dict[str, str] = {
    CG.term("Support"): "support",
    CG.term("Rebuttal"): "rebuttal",
    CG.term("Undercut"): "undercut",
    CG.term("Concession"): "concession",
    CG.term("Qualification"): "qualification",
    CG.term("Elaboration"): "elaboration",
}
#: The types that count against their conclusion (AIF CA nodes that conflict).
ATTACKING = frozenset({"rebuttal", "undercut", "concession"})


@dataclass(frozen=True)
class Relation:
    """One argument relation: premises, one conclusion, the signal words and the evidence.

    ``conclusion`` is the IRI of a claim, or of another relation for an undercut (and for a
    rebuttal that answers a concession).
    """

    iri: str
    type: str  # one of RELATION_TYPES' values
    premises: tuple[str, ...]
    conclusion: str
    signal: str | None
    label: str | None
    evidence: tuple[Evidence, ...]
    asserted_by: str | None  # the asserter's name
    reported_by: str | None
    explicitness: str  # "stated" or "inferred"
    reason: str | None  # why the curator infers it
    certainty: str  # "asserted" or "hedged"
    hedge: str | None
    note: str | None

    @property
    def id(self) -> str:
        """The readable tail of the IRI."""
        return short_name(self.iri)

    @property
    def quote(self) -> str:
        """The relation's quotes, joined with " … " when there are several."""
        return " … ".join(e.quote for e in self.evidence)

    @property
    def attacks(self) -> bool:
        """True for the types that count against their conclusion."""
        return self.type in ATTACKING


_QUERY = f"""
SELECT ?r ?type ?premise ?conclusion ?signal ?label ?asserter ?reporter ?explicitness ?reason
       ?certainty ?hedge ?note WHERE {{
  ?r a ?type .
  FILTER(?type IN ({", ".join(f"<{t}>" for t in RELATION_TYPES)}))
  OPTIONAL {{ ?r cg:premise ?premise }}
  OPTIONAL {{ ?r cg:conclusion ?conclusion }}
  OPTIONAL {{ ?r cg:signal ?signal }}
  OPTIONAL {{ ?r rdfs:label ?label }}
  OPTIONAL {{ ?r cg:assertedBy ?a . OPTIONAL {{ ?a skos:prefLabel ?asserter }} }}
  OPTIONAL {{ ?r cg:reportedBy ?p . OPTIONAL {{ ?p skos:prefLabel ?reporter }} }}
  OPTIONAL {{ ?r cg:explicitness ?explicitness }}
  OPTIONAL {{ ?r cg:inferenceReason ?reason }}
  OPTIONAL {{ ?r cg:certainty ?certainty }}
  OPTIONAL {{ ?r cg:hedge ?hedge }}
  OPTIONAL {{ ?r cg:curatorNote ?note }}
}} ORDER BY ?r ?premise"""


def relations(corpus: Corpus) -> list[Relation]:
    """Every argument relation of the corpus, in IRI order, premises in IRI order.

    A relation without a conclusion is left out (the shapes report it); one typed with two
    relation classes is read with the first in :data:`RELATION_TYPES` order.

    >>> from cocagraph.loading import load
    >>> from helpers import DATA
    >>> found = relations(load([DATA / "argument-mini.ttl"]))
    >>> [(r.id, r.type, r.signal) for r in found if r.type == "concession"]
    [('cost-conceded', 'concession', 'Although'), ('not-easy-conceded', 'concession', 'but')]
    """
    folded: dict[str, dict[str, object]] = {}
    order = list(RELATION_TYPES)
    for row in select(corpus.store, _QUERY):
        entry = folded.setdefault(row["r"], {"types": set(), "premises": set(), **row})
        entry["types"].add(row["type"])  # type: ignore[attr-defined]
        if row["premise"]:
            entry["premises"].add(row["premise"])  # type: ignore[attr-defined]
        for key in ("conclusion", "signal", "label", "asserter", "reporter", "explicitness", "reason"):
            if entry.get(key) is None and row.get(key) is not None:
                entry[key] = row[key]
    found = []
    for iri in sorted(folded):
        entry = folded[iri]
        if not entry.get("conclusion"):
            continue
        kind = min(entry["types"], key=order.index)  # type: ignore[call-overload,arg-type]
        found.append(
            Relation(
                iri=iri,
                type=RELATION_TYPES[kind],
                premises=tuple(sorted(entry["premises"])),  # type: ignore[call-overload]
                conclusion=str(entry["conclusion"]),
                signal=_text(entry.get("signal")),
                label=_text(entry.get("label")),
                evidence=evidence_for(corpus, iri),
                asserted_by=_text(entry.get("asserter")),
                reported_by=_text(entry.get("reporter")),
                explicitness=short_name(str(entry["explicitness"])) if entry.get("explicitness") else "stated",
                reason=_text(entry.get("reason")),
                certainty=short_name(str(entry["certainty"])) if entry.get("certainty") else "asserted",
                hedge=_text(entry.get("hedge")),
                note=_text(entry.get("note")),
            )
        )
    return found


def _text(value: object) -> str | None:
    return None if value is None else str(value)
