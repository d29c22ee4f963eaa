"""What a query returns, as cocagraph carries it: :class:`QueryAnswer`, built from engine results
by :func:`collect` (with the row cap), and :func:`cite_rows`, which adds each row's quote."""

from __future__ import annotations

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


def collect(results: Any, form: str, max_rows: int | None) -> QueryAnswer:
    """A QueryAnswer from pyoxigraph results, keeping at most ``max_rows`` rows or triples."""
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
    return QueryAnswer("select", variables, tuple(kept), truncated, max_rows=cap)


CITE_QUERY = """
SELECT ?claim ?quote ?start ?source WHERE {
  VALUES ?claim { %s }
  ?claim a cg:Claim ; cg:evidence/oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?qs .
  ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
  OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start }
}"""


def cite_rows(answer: QueryAnswer, evidence_rows: Callable[[str], Iterable[Mapping[str, Any]]]) -> QueryAnswer:
    """The answer with ``quote`` and ``source`` columns: the evidence of the claim each row names.

    ``evidence_rows(query)`` runs :data:`CITE_QUERY` (filled in) and gives rows of plain values.
    A row's claim is the first IRI in it that is a claim; rows naming none get empty cells.
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
            evidence.setdefault(found_row["claim"], {"source": found_row["source"]})
        for claim_iri, spans in quotes.items():
            evidence[claim_iri]["quote"] = " … ".join(dict.fromkeys(q for _, q in sorted(spans)))
    quote_col = "quote" if "quote" not in answer.variables else "cited_quote"
    source_col = "source" if "source" not in answer.variables else "cited_source"
    rows: list[tuple[Term | None, ...]] = []
    for row in answer.rows:
        claim = next((t.value for t in row if isinstance(t, ox.NamedNode) and t.value in evidence), None)
        found = evidence.get(claim or "", {})
        rows.append(
            (
                *row,
                ox.Literal(found["quote"]) if found else None,
                ox.NamedNode(found["source"]) if found else None,
            )
        )
    return QueryAnswer(
        "select",
        (*answer.variables, quote_col, source_col),
        tuple(rows),
        answer.truncated,
        max_rows=answer.max_rows,
        notes=answer.notes,
    )
