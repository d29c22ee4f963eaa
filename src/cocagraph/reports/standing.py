"""The report of ``standing``: every claim and relation in, out or undecided once the attacks
are weighed, with the attacks that decide it (out first, then undecided, then in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..tables import format_rows

__all__ = ["COLUMNS", "Standing", "data", "notes", "rows", "text", "title"]

COLUMNS = ("standing", "id", "kind", "label", "decided_by", "iri")
TABLE_COLUMNS = ("standing", "id", "kind", "label", "decided_by")
_ORDER = {"out": 0, "undecided": 1, "in": 2}


@dataclass(frozen=True)
class Standing:
    """The labels under ``semantics``, with what the listing shows of each."""

    semantics: str
    rows: tuple[dict[str, Any], ...]


def standing_of(
    corpus: Any, semantics: str = "grounded", only: str | None = None, claims_only: bool = False
) -> Standing:
    """Label every claim and relation of ``corpus`` and lay each out as a row."""
    from ..argument.formats import attack_text
    from ..argument.model import relations
    from ..argument.semantics import framework, label_framework
    from ..catalog import list_claims, short_name

    rels = relations(corpus)
    claims = {row.iri: row for row in list_claims(corpus)}
    labels = label_framework(framework(list(claims), rels), semantics)
    kinds = {r.iri: r for r in rels}
    found: list[dict[str, Any]] = []
    for iri, label in labels.items():
        if (only and label != only) or (claims_only and iri in kinds):
            continue
        rel = kinds.get(iri)
        claim = claims.get(iri)
        found.append(
            {
                "standing": str(label),
                "id": short_name(iri),
                "kind": f"relation: {rel.type}" if rel else "claim",
                "label": (rel.label or rel.type) if rel else (claim.label if claim else short_name(iri)),
                "decided_by": [attack_text(a, labels[a.attacker]) for a in label.decided_by],
                "iri": iri,
            }
        )
    found.sort(key=lambda r: (_ORDER[r["standing"]], r["kind"] != "claim", r["id"]))
    return Standing(semantics, tuple(found))


def title(result: Standing) -> str:
    counts = {k: sum(1 for r in result.rows if r["standing"] == k) for k in ("in", "out", "undecided")}
    return f"Standing under {result.semantics} semantics: " + ", ".join(f"{n} {k}" for k, n in counts.items())


def text(result: Standing) -> str:
    return format_rows(list(result.rows), "table", TABLE_COLUMNS)


def data(result: Standing) -> list[dict[str, Any]]:
    return rows(result)


def rows(result: Standing) -> list[dict[str, Any]]:
    return [dict(r) for r in result.rows]


def notes(result: Standing) -> list[str]:
    return []
