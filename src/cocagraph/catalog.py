"""What the graph holds: claims with their evidence, and a summary of the loaded corpus.

Plain functions over a :class:`~cocagraph.loading.Corpus`; each answers one question with
frozen dataclasses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .engine import select
from .loading import Corpus
from .names import resolve
from .vocab import CG

__all__ = [
    "ClaimRow",
    "CorpusSummary",
    "Evidence",
    "claim_types",
    "evidence_for",
    "list_claims",
    "names_from_rows",
    "names_of",
    "names_query",
    "short_name",
    "summarize",
]

#: The claim classes and the short names commands use for them.
claim_types: dict[str, str] = {
    CG.CausalClaim: "causal",
    CG.StatisticalClaim: "statistical",
    CG.EventClaim: "event",
    CG.DescriptiveClaim: "descriptive",
    CG.EvaluationClaim: "evaluation",
    CG.RecommendationClaim: "recommendation",
}


def short_name(iri: str) -> str:
    """The readable tail of a cocagraph IRI: ``claim/x`` → ``x``; vocabulary terms in lower case.

    >>> short_name("https://w3id.org/cocagraph/id/claim/wedge-needed")
    'wedge-needed'
    >>> short_name("https://w3id.org/cocagraph/ns#Hedged")
    'hedged'
    """
    if iri.startswith(str(CG)):
        return iri[len(str(CG)) :].lower()
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Evidence:
    """One verbatim quote a claim rests on, and where it stands in its source."""

    quote: str
    source: str
    source_title: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class ClaimRow:
    """A claim as listings show it."""

    iri: str
    id: str
    label: str
    type: str
    certainty: str
    hedge: str | None
    explicitness: str
    asserted_by: str | None
    evidence: tuple[Evidence, ...]
    themes: tuple[str, ...] = field(default=())

    @property
    def quote(self) -> str:
        """The claim's quotes, joined with " … " when there are several."""
        return " … ".join(e.quote for e in self.evidence)


@dataclass(frozen=True)
class CorpusSummary:
    """What is loaded, counted."""

    files: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    triples: int
    claims: int
    claims_by_type: tuple[tuple[str, int], ...]
    hedged: int
    inferred: int
    attributed: int
    factors: int
    policy_options: int
    actors: int
    places: int


def names_query(rdf_class: str) -> str:
    """The trusted SELECT behind :func:`names_of` (any store answers it; see cocagraph.store)."""
    return f"""SELECT ?x ?pref ?label WHERE {{
             ?x a {ox.NamedNode(rdf_class)} .
             OPTIONAL {{ ?x skos:prefLabel ?pref }}
             OPTIONAL {{ ?x skos:altLabel|skos:hiddenLabel|rdfs:label ?label }}
           }} ORDER BY ?x ?label"""


def names_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Fold the rows of :func:`names_query`: each instance's names, label first, id last."""
    names: dict[str, list[str]] = {}
    for row in rows:
        entry = names.setdefault(row["x"], [])
        if row["pref"] and row["pref"] not in entry:
            entry.insert(0, row["pref"])
        if row["label"] and row["label"] not in entry:
            entry.append(row["label"])
    for iri, entry in names.items():
        entry.append(short_name(iri))
    return names


def names_of(corpus: Corpus, rdf_class: str) -> dict[str, list[str]]:
    """Every instance of ``rdf_class`` with the names it goes by (label first, then others)."""
    return names_from_rows(select(corpus.store, names_query(rdf_class)))


def evidence_for(corpus: Corpus, claim: str) -> tuple[Evidence, ...]:
    """The quotes ``claim`` rests on, in the order of the source text."""
    rows = select(
        corpus.store,
        """SELECT ?exact ?source ?title ?start ?end WHERE {
             ?claim cg:evidence ?ann .
             ?ann oa:hasTarget ?target .
             ?target oa:hasSource ?source ; oa:hasSelector ?qs .
             ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
             OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ;
                        oa:start ?start ; oa:end ?end }
             OPTIONAL { ?source dcterms:title ?title }
           } ORDER BY ?start ?exact""",
        claim=claim,
    )
    return tuple(Evidence(r["exact"], r["source"], r["title"], r["start"], r["end"]) for r in rows)


def list_claims(
    corpus: Corpus,
    *,
    theme: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    certainty: str | None = None,
    claim_type: str | None = None,
    explicitness: str | None = None,
) -> list[ClaimRow]:
    """The claims, filtered by theme, actor, place (names resolved), certainty and type.

    An actor matches the claims it asserts as well as those it takes part in; a place matches
    its own claims and those of the places inside it (Trujillo's claims are Peru's too).
    """
    filters: list[str] = []
    if theme:
        filters.append(f"?claim cg:theme <{resolve(theme, names_of(corpus, _SKOS_CONCEPT), 'theme')}> .")
    if actor:
        iri = resolve(actor, names_of(corpus, CG.Actor), "actor")
        filters.append(f"{{ ?claim cg:actor <{iri}> }} UNION {{ ?claim cg:assertedBy <{iri}> }}")
    if place:
        iri = resolve(place, names_of(corpus, CG.Place), "place")
        filters.append(f"?claim cg:place/dcterms:isPartOf* <{iri}> .")
    if certainty:
        wanted = certainty.strip().lower()
        if wanted not in ("asserted", "hedged"):
            from .errors import UsageError

            raise UsageError(f"certainty is 'asserted' or 'hedged', not {certainty!r}")
        filters.append(f"?claim cg:certainty cg:{wanted.capitalize()} .")
    if explicitness:
        wanted = explicitness.strip().lower()
        if wanted not in ("stated", "inferred"):
            from .errors import UsageError

            raise UsageError(f"explicitness is 'stated' or 'inferred', not {explicitness!r}")
        filters.append(f"?claim cg:explicitness cg:{wanted.capitalize()} .")
    if claim_type:
        by_short = {v: k for k, v in claim_types.items()}
        if claim_type not in by_short:
            from .errors import UsageError

            raise UsageError(f"claim type is one of {', '.join(by_short)}, not {claim_type!r}")
        filters.append(f"?claim a <{by_short[claim_type]}> .")
    rows = select(
        corpus.store,
        f"""SELECT DISTINCT ?claim ?label ?type ?certainty ?hedge ?explicitness ?asserter WHERE {{
              ?claim a ?type ; rdfs:label ?label ; cg:certainty ?certainty ;
                     cg:explicitness ?explicitness .
              FILTER(?type IN ({", ".join(f"<{t}>" for t in claim_types)}))
              OPTIONAL {{ ?claim cg:hedge ?hedge }}
              OPTIONAL {{ ?claim cg:assertedBy/skos:prefLabel ?asserter }}
              {" ".join(filters)}
            }} ORDER BY ?claim""",
    )
    themes = _themes_by_claim(corpus)
    return [
        ClaimRow(
            iri=r["claim"],
            id=short_name(r["claim"]),
            label=r["label"],
            type=claim_types[r["type"]],
            certainty=short_name(r["certainty"]),
            hedge=r["hedge"],
            explicitness=short_name(r["explicitness"]),
            asserted_by=r["asserter"],
            evidence=evidence_for(corpus, r["claim"]),
            themes=tuple(themes.get(r["claim"], ())),
        )
        for r in rows
    ]


def summarize(corpus: Corpus) -> CorpusSummary:
    """Counts of what is loaded: sources, claims by type, hedged share, factors, actors."""
    store = corpus.store

    def count(pattern: str) -> int:
        rows = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"])

    by_type: Counter[str] = Counter()
    for row in select(store, "SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?type } GROUP BY ?type"):
        if row["type"] in claim_types:
            by_type[claim_types[row["type"]]] = int(row["n"])
    sources = select(
        store,
        "SELECT ?s ?title WHERE { ?s a dcterms:BibliographicResource ; dcterms:title ?title } ORDER BY ?s",
    )
    return CorpusSummary(
        files=tuple(str(f.path) for f in corpus.files),
        sources=tuple((r["s"], r["title"]) for r in sources),
        triples=len(store),
        claims=count("?x a cg:Claim"),
        claims_by_type=tuple(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        hedged=count("?x a cg:Claim ; cg:certainty cg:Hedged"),
        inferred=count("?x a cg:Claim ; cg:explicitness cg:Inferred"),
        attributed=count("?x a cg:Claim ; cg:reportedBy ?author"),
        factors=count("?x a cg:Factor"),
        policy_options=count("?x a cg:PolicyOption"),
        actors=count("?x a cg:Actor"),
        places=count("?x a cg:Place"),
    )


_SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"


def _themes_by_claim(corpus: Corpus) -> dict[str, list[str]]:
    themes: dict[str, list[str]] = {}
    for row in select(corpus.store, "SELECT ?c ?t WHERE { ?c a cg:Claim ; cg:theme ?t } ORDER BY ?c ?t"):
        themes.setdefault(row["c"], []).append(short_name(row["t"]))
    return themes
