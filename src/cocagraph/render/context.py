"""What the corpus adds to a map beyond the causal projection.

The projection holds factors and causal claims. A reader clicking a node also wants the actors
and places a factor involves (drawn as nodes of their own), the other claims about it (figures,
evaluations, recommendations), who asserts each claim and why an inferred claim was inferred.
Four SELECT queries fetch all of it at once, whatever the size of the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..catalog import claim_types, short_name
from ..engine import select

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = ["ClaimInfo", "Context", "Entity", "corpus_context"]


@dataclass(frozen=True)
class ClaimInfo:
    """A claim as the page's panel shows it."""

    iri: str
    label: str
    type: str
    certainty: str
    hedge: str | None
    explicitness: str
    reason: str | None
    asserted_by: str | None
    quotes: tuple[str, ...]
    source: str | None
    source_title: str | None
    #: where its first quote starts in the source (code points), for reading claims in the text's order
    start: int | None = None


@dataclass(frozen=True)
class Entity:
    """An actor or a place, drawn as a node linked to the factors that involve it."""

    iri: str
    kind: str  # "actor" or "place"
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True)
class Context:
    """Everything the corpus adds; empty when a map is drawn from the projection alone."""

    claims: dict[str, ClaimInfo] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    #: factor IRI -> the actors and places it involves, sorted
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: node IRI (factor, actor, place) -> claims about or involving it, sorted
    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: theme id -> its label
    theme_labels: dict[str, str] = field(default_factory=dict)
    #: claim IRI -> the ids of its themes, sorted
    claim_themes: dict[str, tuple[str, ...]] = field(default_factory=dict)


_CLAIMS = """
SELECT ?claim ?type ?label ?certainty ?hedge ?explicitness ?reason ?asserter ?quote ?start ?source ?title WHERE {
  ?claim a cg:Claim ; a ?type .
  FILTER(?type != cg:Claim)
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim cg:certainty ?certainty }
  OPTIONAL { ?claim cg:hedge ?hedge }
  OPTIONAL { ?claim cg:explicitness ?explicitness }
  OPTIONAL { ?claim cg:inferenceReason ?reason }
  OPTIONAL { ?claim cg:assertedBy/skos:prefLabel ?asserter }
  OPTIONAL {
    ?claim cg:evidence/oa:hasTarget ?target .
    ?target oa:hasSource ?source ; oa:hasSelector ?qs .
    ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
    OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start }
    OPTIONAL { ?source dcterms:title ?title }
  }
}"""

_ENTITIES = """
SELECT ?factor ?thing ?kind ?label ?alt WHERE {
  ?factor a cg:Factor .
  { ?factor cg:actor ?thing BIND("actor" AS ?kind) } UNION { ?factor cg:place ?thing BIND("place" AS ?kind) }
  OPTIONAL { ?thing skos:prefLabel ?label }
  OPTIONAL { ?thing skos:altLabel|skos:hiddenLabel ?alt }
}"""

_MENTIONS = """
SELECT ?claim ?thing WHERE { ?claim a cg:Claim ; cg:about|cg:actor|cg:place|cg:cause|cg:effect ?thing }"""

_CLAIM_THEMES = """
SELECT ?claim ?theme WHERE { ?claim a cg:Claim ; cg:theme ?theme }"""

_THEMES = """
SELECT ?theme ?label WHERE { ?theme a skos:Concept ; skos:prefLabel ?label }"""


def corpus_context(corpus: Corpus) -> Context:
    """Claims, actors, places, mentions and theme labels of a loaded corpus."""
    claims = _claims(corpus)
    entities: dict[str, Entity] = {}
    links: dict[str, set[str]] = {}
    alts: dict[str, set[str]] = {}
    for row in select(corpus.store, _ENTITIES):
        thing = row["thing"]
        if thing not in entities:
            entities[thing] = Entity(thing, row["kind"], row.get("label") or short_name(thing), ())
        links.setdefault(row["factor"], set()).add(thing)
        if row.get("alt"):
            alts.setdefault(thing, set()).add(row["alt"])
    entities = {
        iri: Entity(e.iri, e.kind, e.label, tuple(sorted(alts.get(iri, ())))) for iri, e in sorted(entities.items())
    }
    mentions: dict[str, set[str]] = {}
    for row in select(corpus.store, _MENTIONS):
        if row["claim"] in claims:
            mentions.setdefault(row["thing"], set()).add(row["claim"])
    themes: dict[str, str] = {}
    for row in sorted(select(corpus.store, _THEMES), key=lambda r: (r["theme"], r["label"])):
        themes.setdefault(short_name(row["theme"]), row["label"])
    claim_themes: dict[str, set[str]] = {}
    for row in select(corpus.store, _CLAIM_THEMES):
        claim_themes.setdefault(row["claim"], set()).add(short_name(row["theme"]))
    return Context(
        claim_themes={k: tuple(sorted(v)) for k, v in sorted(claim_themes.items())},
        claims=claims,
        entities=entities,
        links={k: tuple(sorted(v)) for k, v in sorted(links.items())},
        mentions={k: tuple(sorted(v)) for k, v in sorted(mentions.items())},
        theme_labels=themes,
    )


def _claims(corpus: Corpus) -> dict[str, ClaimInfo]:
    folded: dict[str, dict] = {}
    for row in select(corpus.store, _CLAIMS):
        if row["type"] not in claim_types:
            continue
        claim = folded.setdefault(row["claim"], {**row, "quotes": {}})
        if row.get("quote"):
            start = row.get("start")
            claim["quotes"].setdefault(row["quote"], int(start) if start is not None else 1 << 62)
    infos = {}
    for iri in sorted(folded):
        row = folded[iri]
        ordered = sorted(row["quotes"].items(), key=lambda kv: (kv[1], kv[0]))
        quotes = tuple(q for q, _ in ordered)
        first = ordered[0][1] if ordered and ordered[0][1] != 1 << 62 else None
        infos[iri] = ClaimInfo(
            iri=iri,
            label=row.get("label") or short_name(iri),
            type=claim_types[row["type"]],
            certainty=short_name(row["certainty"]) if row.get("certainty") else "asserted",
            hedge=row.get("hedge"),
            explicitness=short_name(row["explicitness"]) if row.get("explicitness") else "stated",
            reason=row.get("reason"),
            asserted_by=row.get("asserter"),
            quotes=quotes,
            source=row.get("source"),
            source_title=row.get("title"),
            start=first,
        )
    return infos
