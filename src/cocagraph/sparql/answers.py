"""What a query returns, as cocagraph carries it: :class:`QueryAnswer`, built from engine results
by :func:`collect` (with the row cap), and :func:`cite_rows`, which adds each row's quote."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..errors import UsageError

__all__ = ["CITE_QUERY", "QueryAnswer", "Term", "cite_rows", "collect"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class QueryAnswer:
    """What a query returned: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    ``rows`` hold pyoxigraph terms (None for unbound), in the order of ``variables``.
    ``truncated`` says the row cap cut the answer: there were more rows (or triples).
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    truncated: bool = False
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    max_rows: int | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_graph(self) -> bool:
        return self.form in ("construct", "describe")


def collect(results: Any, form: str, max_rows: int | None, text: str | None = None) -> QueryAnswer:
    """A QueryAnswer from pyoxigraph results, keeping at most ``max_rows`` rows or triples.

    Given the query's ``text``, a ``SELECT *`` keeps its variables in the order they first
    appear in the query (pyoxigraph sorts them: o, p, s), as people read their query.
    """
    if form == "ask":
        return QueryAnswer("ask", boolean=bool(results))
    cap = max_rows if max_rows else None
    kept: list[Any] = []
    truncated = False
    for item in results:
        if cap is not None and len(kept) >= cap:
            truncated = True
            break
        kept.append(item if form in ("construct", "describe") else tuple(item))
    if form in ("construct", "describe"):
        return QueryAnswer(form, truncated=truncated, triples=tuple(kept), max_rows=cap)
    variables = tuple(v.value for v in results.variables)
    rows = tuple(kept)
    order = star_order(text, variables) if text else None
    if order is not None:
        at = [variables.index(v) for v in order]
        variables, rows = order, tuple(tuple(row[i] for i in at) for row in rows)
    return QueryAnswer("select", variables, rows, truncated, max_rows=cap)


_FIRST_SELECT = re.compile(r"\bSELECT\b\s*(?:(?:DISTINCT|REDUCED)\s+)?(\*)?", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


def star_order(text: str, variables: tuple[str, ...]) -> tuple[str, ...] | None:
    """The variables of a ``SELECT *`` in the order they first appear in ``text``; None when the
    query names its own (the outer SELECT is not ``*``).

    >>> star_order("SELECT * WHERE { ?s ?p ?o }", ("o", "p", "s"))
    ('s', 'p', 'o')
    >>> star_order("SELECT ?o ?s WHERE { ?s ?p ?o }", ("o", "s")) is None
    True
    """
    first = _FIRST_SELECT.search(text)
    if first is None or first.group(1) is None:
        return None
    seen = dict.fromkeys(m.group(1) for m in _VARIABLE.finditer(text, first.end()))
    return tuple([v for v in seen if v in variables] + [v for v in variables if v not in seen])


CITE_QUERY = """
SELECT ?claim ?quote ?start ?source ?title ?date ?inferredDate WHERE {
  VALUES ?claim { %s }
  ?claim a cg:Claim ; cg:evidence/oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?qs .
  ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
  OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start }
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source dcterms:date ?date }
  OPTIONAL { ?source cg:inferredDate ?inferredDate }
}"""


def _source_date(found_row: Mapping[str, Any]) -> str | None:
    """The source's date as recorded; a date the curators inferred says so."""
    if found_row.get("date"):
        return str(found_row["date"])
    if found_row.get("inferredDate"):
        return f"{found_row['inferredDate']} (inferred)"
    return None


def cite_rows(answer: QueryAnswer, evidence_rows: Callable[[str], Iterable[Mapping[str, Any]]]) -> QueryAnswer:
    """The answer with ``quote``, ``source`` (the source's title), ``source_date`` and
    ``source_iri`` columns: the evidence of the claim each row names.

    ``evidence_rows(query)`` runs :data:`CITE_QUERY` (filled in) and gives rows of plain values.
    A row's claim is the first IRI in it that is a claim; rows naming none get empty cells. A
    date the curators inferred is marked "(inferred)".
    """
    if answer.form != "select":
        raise UsageError("--cite applies to SELECT answers, which have rows")
    iris = {t.value for row in answer.rows for t in row if isinstance(t, ox.NamedNode)}
    evidence: dict[str, dict[str, Any]] = {}
    if iris:
        values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
        quotes: dict[str, list[tuple[int, str]]] = {}
        for found_row in evidence_rows(CITE_QUERY % values):
            start = found_row.get("start")
            at = int(start) if start is not None else 1 << 62
            quotes.setdefault(found_row["claim"], []).append((at, found_row["quote"]))
            evidence.setdefault(
                found_row["claim"],
                {
                    "source_iri": found_row["source"],
                    "source": found_row.get("title") or found_row["source"],
                    "date": _source_date(found_row),
                },
            )
        for claim_iri, spans in quotes.items():
            evidence[claim_iri]["quote"] = " … ".join(dict.fromkeys(q for _, q in sorted(spans)))
    added = [c if c not in answer.variables else f"cited_{c}" for c in ("quote", "source", "source_date", "source_iri")]
    rows: list[tuple[Term | None, ...]] = []
    for row in answer.rows:
        claim = next((t.value for t in row if isinstance(t, ox.NamedNode) and t.value in evidence), None)
        found = evidence.get(claim or "", {})
        rows.append(
            (
                *row,
                ox.Literal(found["quote"]) if found else None,
                ox.Literal(found["source"]) if found else None,
                ox.Literal(found["date"]) if found and found["date"] else None,
                ox.NamedNode(found["source_iri"]) if found else None,
            )
        )
    return QueryAnswer(
        "select",
        (*answer.variables, *added),
        tuple(rows),
        answer.truncated,
        max_rows=answer.max_rows,
        notes=answer.notes,
    )
