"""The report of ``explain``: everything the graph says about one claim or factor, with quotes."""

from __future__ import annotations

from typing import Any

from ..analysis.explain import Explanation

__all__ = ["COLUMNS", "data", "notes", "rows", "text", "title"]

COLUMNS = ("section", "what", "value", "claim", "quote")


def title(result: Explanation) -> str:
    return f"{result.kind.capitalize()}: {result.label}"


def text(result: Explanation) -> str:
    lines = [title(result), f"  {result.iri}", ""]
    width = max((len(n) for n, _ in result.facts), default=0)
    lines += [f"  {n.ljust(width)}  {v}" for n, v in result.facts]
    if result.evidence:
        lines += ["", "Evidence:"]
        for q in result.evidence:
            where = f" [{q.start}–{q.end}]" if q.start is not None else ""
            lines.append(f"  “{q.quote}”{where}")
    role = None
    for r in result.related:
        if r.role != role:
            role = r.role
            lines += ["", f"{role.capitalize()}:"]
        inferred = "inferred by the curator" if r.explicitness == "inferred" else None
        how = ", ".join(x for x in (r.type, r.certainty, r.hedge and f"“{r.hedge}”", inferred) if x)
        lines.append(f"  {r.label}  ({how}; claim {r.claim.rsplit('/', 1)[-1]})")
        if r.summary:
            lines.append(f"    {r.summary}")
        lines += [f"    “{q}”" for q in r.quotes]
    return "\n".join(lines)


def data(result: Explanation) -> dict[str, Any]:
    return result.as_json()


def rows(result: Explanation) -> list[dict[str, Any]]:
    return result.rows()


def notes(result: Explanation) -> list[str]:
    return [result.note] if result.note else []
