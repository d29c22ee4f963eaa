"""Where sources disagree: opposite polarities on the same causal link, different figures for the
same quantity and period.

Two claims are about the same thing when they name the same factors, either by one IRI (a sheet
``uses`` another's factor) or through ``skos:exactMatch`` (followed both ways and transitively,
also through a shared outside IRI such as a Wikidata item). Figures are compared only when the
quantity, the unit and the period (its start and its end) are all the same: the article's
Bolivian acreage fell 7 per cent in 2012 and up to 18 per cent over 2011-2012, which are two
periods, not a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import short_name
from .engine import select
from .loading import Corpus
from .sheets import UNITS
from .vocab import CG

__all__ = ["COLUMNS", "ClaimSide", "Conflict", "find_conflicts"]

_CAUSAL = """
SELECT ?claim ?cause ?effect ?polarity ?certainty ?hedge ?source ?exact ?start WHERE {
  ?claim a cg:CausalClaim ; cg:cause ?cause ; cg:effect ?effect ; cg:polarity ?polarity .
  OPTIONAL { ?claim cg:certainty ?certainty }
  OPTIONAL { ?claim cg:hedge ?hedge }
  OPTIONAL { ?claim cg:evidence/oa:hasTarget ?target . ?target oa:hasSource ?source ; oa:hasSelector ?qs .
             ?qs oa:exact ?exact .
             OPTIONAL { ?target oa:hasSelector/oa:start ?start } }
}"""

_STATISTICAL = """
SELECT ?claim ?quantity ?value ?unit ?start ?end ?qualifier ?certainty ?hedge ?source ?exact ?offset WHERE {
  ?claim a cg:StatisticalClaim ; cg:quantity ?quantity ; cg:value ?value ; cg:unit ?unit .
  OPTIONAL { ?claim cg:periodStart ?start }
  OPTIONAL { ?claim cg:periodEnd ?end }
  OPTIONAL { ?claim cg:valueQualifier ?qualifier }
  OPTIONAL { ?claim cg:certainty ?certainty }
  OPTIONAL { ?claim cg:hedge ?hedge }
  OPTIONAL { ?claim cg:evidence/oa:hasTarget ?target . ?target oa:hasSource ?source ; oa:hasSelector ?qs .
             ?qs oa:exact ?exact .
             OPTIONAL { ?target oa:hasSelector/oa:start ?offset } }
}"""

#: The units' names as sheets write them ("percent-change").
_UNIT_NAMES = {iri: name for name, iri in UNITS.items()}
_MATCHES = "SELECT ?a ?b WHERE { ?a skos:exactMatch ?b }"
_LABELS = "SELECT ?x ?label WHERE { ?x skos:prefLabel ?label } ORDER BY ?x ?label"


@dataclass(frozen=True)
class ClaimSide:
    """One of two claims that disagree: what it says, on what evidence, from which source."""

    claim: str
    source: str
    says: str
    certainty: str
    quote: str


@dataclass(frozen=True)
class Conflict:
    """Two claims that cannot both hold: ``kind`` is ``polarity`` or ``figure``."""

    kind: str
    about: str
    first: ClaimSide
    second: ClaimSide

    def as_row(self) -> dict[str, Any]:
        """A flat row for listings (table, json, csv, md)."""
        return {
            "kind": self.kind,
            "about": self.about,
            "source_a": short_name(self.first.source) if self.first.source else "",
            "claim_a": short_name(self.first.claim),
            "says_a": self.first.says,
            "certainty_a": self.first.certainty,
            "quote_a": self.first.quote,
            "source_b": short_name(self.second.source) if self.second.source else "",
            "claim_b": short_name(self.second.claim),
            "says_b": self.second.says,
            "certainty_b": self.second.certainty,
            "quote_b": self.second.quote,
        }


#: The columns of :meth:`Conflict.as_row`, in order.
COLUMNS = (
    "kind", "about", "source_a", "claim_a", "says_a", "certainty_a", "quote_a",
    "source_b", "claim_b", "says_b", "certainty_b", "quote_b",
)  # fmt: skip


def find_conflicts(corpus: Corpus, *, within_source: bool = False) -> list[Conflict]:
    """Pairs of claims from different sources (or, with ``within_source``, any two claims) that disagree.

    Sorted by kind, subject and claims, so the listing is the same from run to run.
    """
    canon = _canonical(select(corpus.store, _MATCHES))
    labels: dict[str, str] = {}
    for row in select(corpus.store, _LABELS):
        labels.setdefault(row["x"], row["label"])
    name = lambda iri: labels.get(iri) or short_name(iri)  # noqa: E731
    conflicts = [
        *_polarity_conflicts(select(corpus.store, _CAUSAL), canon, name, within_source),
        *_figure_conflicts(select(corpus.store, _STATISTICAL), canon, name, within_source),
    ]
    return sorted(conflicts, key=lambda c: (c.kind, c.about, c.first.claim, c.second.claim))


@dataclass(frozen=True)
class _Claim:
    iri: str
    key: tuple[str, ...]
    says: str
    value: Any
    certainty: str
    source: str
    quote: str


def _fold(rows: list[dict[str, Any]], key_of: Any, says_of: Any, value_of: Any, offset: str) -> list[_Claim]:
    """One entry per claim: its first source and its quotes in text order."""
    by_claim: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_claim[row["claim"]].append(row)
    claims = []
    for iri, claim_rows in sorted(by_claim.items()):
        claim_rows.sort(key=lambda r: (r[offset] if r[offset] is not None else -1, r["exact"] or ""))
        first = claim_rows[0]
        quotes = list(dict.fromkeys(r["exact"] for r in claim_rows if r["exact"]))
        certainty = short_name(first["certainty"]) if first["certainty"] else "asserted"
        if first["hedge"]:
            certainty = f"{certainty} ({first['hedge']})"
        sources = sorted({r["source"] for r in claim_rows if r["source"]})
        claims.append(
            _Claim(iri, key_of(first), says_of(first), value_of(first), certainty, sources[0] if sources else "",
                   " … ".join(quotes))
        )  # fmt: skip
    return claims


def _polarity_conflicts(rows: list[dict[str, Any]], canon: dict[str, str], name: Any, within: bool) -> list[Conflict]:
    says = {CG.Increases: "increases", CG.Decreases: "decreases"}
    claims = _fold(
        rows,
        lambda r: (canon.get(r["cause"], r["cause"]), canon.get(r["effect"], r["effect"])),
        lambda r: says.get(r["polarity"], short_name(r["polarity"])),
        lambda r: r["polarity"],
        "start",
    )
    found = []
    for group in _groups(claims).values():
        for a, b in _pairs(group, within):
            if a.value != b.value:
                found.append(Conflict("polarity", f"{name(a.key[0])} → {name(a.key[1])}", _side(a), _side(b)))
    return found


def _figure_conflicts(rows: list[dict[str, Any]], canon: dict[str, str], name: Any, within: bool) -> list[Conflict]:
    def says(row: dict[str, Any]) -> str:
        qualifier = f"{row['qualifier']} " if row["qualifier"] else ""
        unit = _UNIT_NAMES.get(row["unit"], short_name(row["unit"]))
        return f"{qualifier}{row['value']} ({unit})"

    claims = _fold(
        rows,
        lambda r: (canon.get(r["quantity"], r["quantity"]), r["unit"], r["start"] or "", r["end"] or r["start"] or ""),
        says,
        lambda r: _decimal(r["value"]),
        "offset",
    )
    found = []
    for group in _groups(claims).values():
        for a, b in _pairs(group, within):
            if a.value != b.value:
                start, end = a.key[2], a.key[3]
                period = start if start == end else f"{start}/{end}"
                about = f"{name(a.key[0])}, {period or 'no period'}"
                found.append(Conflict("figure", about, _side(a), _side(b)))
    return found


def _groups(claims: list[_Claim]) -> dict[tuple[str, ...], list[_Claim]]:
    groups: dict[tuple[str, ...], list[_Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.key].append(claim)
    return groups


def _pairs(group: list[_Claim], within: bool) -> list[tuple[_Claim, _Claim]]:
    ordered = sorted(group, key=lambda c: (c.source, c.iri))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :] if within or a.source != b.source]


def _side(claim: _Claim) -> ClaimSide:
    return ClaimSide(claim.iri, claim.source, claim.says, claim.certainty, claim.quote)


def _decimal(raw: Any) -> Any:
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return str(raw)


def _canonical(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each IRI linked by skos:exactMatch (either way, transitively) to the least IRI of its group.

    >>> _canonical([{"a": "x:2", "b": "x:1"}, {"a": "x:3", "b": "x:2"}])["x:3"]
    'x:1'
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        a, b = find(row["a"]), find(row["b"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in list(parent)}
