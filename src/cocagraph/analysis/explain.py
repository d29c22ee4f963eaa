"""Everything the graph says about one claim or one factor, with the quotes it rests on.

With the loaded graph files, every statement about the thing is shown (predicates named by their
``rdfs:label`` in the ontology, values by their labels), with its evidence (quote, offsets,
source) for a claim, and every claim that points at it: for a factor the claims it drives and is
driven by, the claims about it and the figures measuring it; for a claim the premises of the
argument relations that conclude it (support, rebut, concede against, qualify, elaborate). From a
remote store only the causal projection is pulled, so the explanation is limited to causal
claims, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..catalog import evidence_for, names_of, short_name
from ..engine import select
from ..names import resolve
from ..vocab import CG, ID, RDF, RDFS, SKOS
from .resolve import factor_names
from .steps import step_of

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = ["Explanation", "Quote", "Related", "explain"]

#: How a claim relates to the thing explained, by the predicate that points at it.
_ROLES = {
    CG.cause: "drives",
    CG.effect: "driven by",
    CG.about: "about it",
    CG.quantity: "measures it",
    # An argument relation whose conclusion is the thing: its premises, by the relation's class.
    CG.Support: "supports it",
    CG.Rebuttal: "rebuts it",
    CG.Concession: "conceded against it",
    CG.Qualification: "qualifies it",
    CG.Elaboration: "elaborates it",
    CG.Undercut: "undercuts it",
}
_SKIPPED = {CG.evidence}
#: Names of the predicates the ontology does not label itself (it labels every cg: term).
_PREDICATE_NAMES = {
    SKOS.prefLabel: "label",
    SKOS.altLabel: "alternative label",
    SKOS.hiddenLabel: "hidden label",
    SKOS.broader: "broader",
    SKOS.narrower: "narrower",
    SKOS.definition: "definition",
    RDF.type: "type",
    RDFS.label: "label",
    RDFS.comment: "comment",
}


@dataclass(frozen=True)
class Quote:
    """One verbatim quote, where it stands in its source (offsets in code points) when known."""

    quote: str
    source: str | None
    source_title: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Related:
    """A claim that points at the thing explained, in the role its predicate gives it."""

    role: str
    claim: str
    label: str
    type: str | None
    certainty: str | None
    hedge: str | None
    summary: str | None
    quotes: tuple[str, ...]
    explicitness: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "claim": self.claim,
            "label": self.label,
            "type": self.type,
            "certainty": self.certainty,
            "hedge": self.hedge,
            "explicitness": self.explicitness,
            "summary": self.summary,
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True)
class Explanation:
    """What the graph says about a claim or factor: its statements, evidence and related claims."""

    kind: str
    iri: str
    label: str
    facts: tuple[tuple[str, str], ...]
    evidence: tuple[Quote, ...]
    related: tuple[Related, ...]
    complete: bool

    @property
    def note(self) -> str | None:
        return None if self.complete else "from a remote store only causal claims are known"

    def as_json(self) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for name, value in self.facts:
            facts.setdefault(name, []).append(value)
        return {
            "kind": self.kind,
            "iri": self.iri,
            "label": self.label,
            "facts": facts,
            "evidence": [q.__dict__ for q in self.evidence],
            "related": [r.as_json() for r in self.related],
            "complete": self.complete,
            "note": self.note,
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per statement, quote and related claim, for tables and spreadsheets."""
        rows: list[dict[str, Any]] = [
            {"section": "fact", "what": n, "value": v, "claim": None, "quote": None} for n, v in self.facts
        ]
        rows += [
            {
                "section": "evidence",
                "what": q.source_title or q.source,
                "value": f"{q.start}-{q.end}" if q.start is not None else None,
                "claim": self.iri if self.kind == "claim" else None,
                "quote": q.quote,
            }
            for q in self.evidence
        ]
        rows += [
            {
                "section": r.role,
                "what": r.label,
                "value": r.summary or r.type,
                "claim": r.claim,
                "quote": " … ".join(r.quotes) or None,
            }
            for r in self.related
        ]
        return rows


def explain(graph: nx.MultiDiGraph, name: str, corpus: Corpus | None = None) -> Explanation:
    """Explain the claim or factor called ``name`` (label, alternative label, id or IRI).

    ``corpus`` (the loaded files) adds what the causal projection does not hold: non-causal
    claims, their evidence offsets, argument relations. Without it only the projection is used.
    """
    found = _by_id(graph, corpus, name)
    if found is None:  # a label: search every name (on a large corpus this is the slow part)
        claims = _claim_names(graph, corpus)
        names = {**factor_names(graph), **claims}
        iri = resolve(name, names, "claim or factor")
        found = (iri, "factor" if iri in graph else "claim", names[iri][0])
    iri, kind, label = found
    if corpus is None:
        return _from_projection(graph, iri, kind)
    return Explanation(
        kind,
        iri,
        label,
        _facts(corpus, iri),
        _evidence(corpus, iri) if kind == "claim" else (),
        _related(corpus, graph, iri),
        True,
    )


def _by_id(graph: nx.MultiDiGraph, corpus: Corpus | None, name: str) -> tuple[str, str, str] | None:
    """``(iri, kind, label)`` when ``name`` is an IRI or a short id, without listing every name."""
    for iri in (name, str(ID) + "factor/" + name):
        if iri in graph:
            return iri, "factor", graph.nodes[iri]["label"]
    for iri in (name, str(ID) + "claim/" + name):
        if corpus is None:
            edge = _edge_index(graph).get(iri)
            if edge is not None:
                return iri, "claim", graph.edges[edge].get("label") or short_name(iri)
            continue
        try:
            rows = select(
                corpus.store, "SELECT ?label WHERE { ?x a cg:Claim OPTIONAL { ?x rdfs:label ?label } }", x=iri
            )
        except ValueError:  # not an IRI at all (a label with spaces): no claim has it
            continue
        if rows:
            return iri, "claim", rows[0]["label"] or short_name(iri)
    return None


def _claim_names(graph: nx.MultiDiGraph, corpus: Corpus | None) -> dict[str, list[str]]:
    if corpus is not None:
        return names_of(corpus, CG.Claim)
    return {
        key: [data.get("label") or short_name(key), short_name(key)]
        for _, _, key, data in graph.edges(keys=True, data=True)
    }


def _facts(corpus: Corpus, iri: str) -> tuple[tuple[str, str], ...]:
    rows = select(
        corpus.store,
        """
        SELECT ?p ?plabel ?o ?olabel WHERE {
          ?x ?p ?o .
          OPTIONAL { ?p rdfs:label ?plabel FILTER(LANG(?plabel) IN ("en", "")) }
          OPTIONAL { ?o skos:prefLabel|rdfs:label ?olabel FILTER(LANG(?olabel) IN ("en", "")) }
        }""",
        x=iri,
    )
    facts: dict[tuple[str, str], None] = {}
    for row in rows:
        if row["p"] in _SKIPPED:
            continue
        name = _PREDICATE_NAMES.get(row["p"]) or row["plabel"] or short_name(row["p"])
        value = row["olabel"] or (short_name(row["o"]) if _is_iri(row["o"]) else str(row["o"]))
        facts.setdefault((name, value), None)
    order = {"label": 0, "alternative label": 1, "type": 2}
    return tuple(sorted(facts, key=lambda f: (order.get(f[0], 2), f[0], f[1])))


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "urn:", "tag:", "mailto:"))


def _evidence(corpus: Corpus, iri: str) -> tuple[Quote, ...]:
    return tuple(Quote(e.quote, e.source, e.source_title, e.start, e.end) for e in evidence_for(corpus, iri))


def _related(corpus: Corpus, graph: nx.MultiDiGraph, iri: str) -> tuple[Related, ...]:
    rows = select(
        corpus.store,
        """
        SELECT ?claim ?p ?plabel ?label ?type ?certainty ?hedge ?explicitness WHERE {
          { ?claim ?p ?x ; a cg:Claim }
          UNION
          { ?relation cg:conclusion ?x ; cg:premise ?claim ; a ?p .
            VALUES ?p { cg:Support cg:Rebuttal cg:Undercut cg:Concession cg:Qualification cg:Elaboration } }
          OPTIONAL { ?p rdfs:label ?plabel }
          OPTIONAL { ?claim rdfs:label ?label }
          OPTIONAL { ?claim a ?type FILTER(?type != cg:Claim) }
          OPTIONAL { ?claim cg:certainty ?certainty }
          OPTIONAL { ?claim cg:hedge ?hedge }
          OPTIONAL { ?claim cg:explicitness ?explicitness }
        } ORDER BY ?p ?claim""",
        x=iri,
    )
    related: dict[tuple[str, str], Related] = {}
    for row in rows:
        key = (row["p"], row["claim"])
        if key in related:
            continue
        related[key] = Related(
            role=_ROLES.get(row["p"], f"{row['plabel'] or short_name(row['p'])} it"),
            claim=row["claim"],
            label=row["label"] or short_name(row["claim"]),
            type=short_name(row["type"]).removesuffix("claim") or None if row["type"] else None,
            certainty=short_name(row["certainty"]) if row["certainty"] else None,
            hedge=row["hedge"],
            summary=_summary(graph, row["claim"]),
            quotes=tuple(e.quote for e in evidence_for(corpus, row["claim"])),
            explicitness=short_name(row["explicitness"]) if row["explicitness"] else None,
        )
    return tuple(sorted(related.values(), key=_related_order))


def _related_order(r: Related) -> tuple[int, str, str]:
    roles = list(_ROLES.values())
    return (roles.index(r.role) if r.role in roles else len(roles), r.label, r.claim)


def _summary(graph: nx.MultiDiGraph, claim: str) -> str | None:
    """``cause → effect (+)`` for a causal claim of the projection."""
    for u, v, key in _edges_of(graph, [claim]):
        step = step_of(graph, u, v, key)
        return f"{step.source_label} → {step.target_label} ({step.sign})"
    return None


def _edges_of(graph: nx.MultiDiGraph, claims: Iterable[str]) -> list[tuple[str, str, str]]:
    index = _edge_index(graph)
    return [index[c] for c in claims if c in index]


_INDEX: dict[int, tuple[nx.MultiDiGraph, dict[str, tuple[str, str, str]]]] = {}


def _edge_index(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str, str]]:
    cached = _INDEX.get(id(graph))
    if cached is None or cached[0] is not graph:
        cached = (graph, {key: (u, v, key) for u, v, key in graph.edges(keys=True)})
        _INDEX.clear()  # one graph per process in practice; never hold more than one
        _INDEX[id(graph)] = cached
    return cached[1]


def _from_projection(graph: nx.MultiDiGraph, iri: str, kind: str) -> Explanation:
    if kind == "factor":
        data = graph.nodes[iri]
        facts = [("label", data["label"]), ("kind", data.get("kind", "factor"))]
        for name, attr in (
            ("alternative label", "alt_labels"),
            ("place", "places"),
            ("actor", "actors"),
            ("theme", "themes"),
        ):
            facts += [(name, value) for value in data.get(attr, ())]
        related = [_related_step(graph, "driven by", u, v, k) for u, v, k in graph.in_edges(iri, keys=True)]
        related += [_related_step(graph, "drives", u, v, k) for u, v, k in graph.out_edges(iri, keys=True)]
        return Explanation(
            "factor", iri, data["label"], tuple(facts), (), tuple(sorted(related, key=_related_order)), False
        )
    u, v, key = _edge_index(graph)[iri]
    step = step_of(graph, u, v, key)
    data = graph.edges[u, v, key]
    facts = [
        ("label", step.claim_label),
        ("type", "causal"),
        ("cause", step.source_label),
        ("effect", step.target_label),
        ("polarity", "increases" if step.polarity > 0 else "decreases"),
        ("certainty", step.certainty),
        ("explicitness", step.explicitness),
    ]
    if step.hedge:
        facts.append(("hedge", step.hedge))
    facts += [("theme", t) for t in data.get("themes", ())]
    evidence = tuple(Quote(q, data.get("source"), data.get("source_title"), None, None) for q in step.quotes)
    return Explanation("claim", iri, step.claim_label, tuple(facts), evidence, (), False)


def _related_step(graph: nx.MultiDiGraph, role: str, u: str, v: str, key: str) -> Related:
    step = step_of(graph, u, v, key)
    return Related(
        role,
        key,
        step.claim_label,
        "causal",
        step.certainty,
        step.hedge,
        f"{step.source_label} → {step.target_label} ({step.sign})",
        step.quotes,
    )
