"""The report of ``argument``: the case for and against a claim or a policy, as a tree for people,
JSON, Markdown and Argdown (:mod:`cocagraph.argument.formats`), and one row per node for tables."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["COLUMNS", "data", "markdown", "notes", "render", "rows", "text", "title"]

COLUMNS = ("depth", "side", "role", "relation", "signal", "standing", "id", "label", "certainty", "quote", "claim")


def title(result: Any) -> str:
    return f"The case for and against “{result.label}” ({result.kind})"


def text(result: Any) -> str:
    from ..argument.formats import tree_text

    return str(tree_text(result))


def markdown(result: Any) -> str:
    from ..argument.formats import tree_markdown

    return str(tree_markdown(result))


def data(result: Any) -> Any:
    from ..argument.formats import tree_json

    return json.loads(tree_json(result))


def render(result: Any, fmt: str, **options: Any) -> bytes | None:
    """Argdown, which only a tree can be written in; the other formats are the shared ones."""
    if fmt != "argdown":
        return None
    from ..argument.argdown import tree_argdown

    text = str(tree_argdown(result))
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def rows(result: Any) -> list[dict[str, Any]]:
    """One row per claim of the tree, depth first: its side, the relation that brings it in and its standing."""
    found: list[dict[str, Any]] = []

    def node(n: Any, depth: int, side: str, step: Any) -> None:
        s = n.statement
        found.append(
            {
                "depth": depth,
                "side": side,
                "role": step.role if step is not None else None,
                "relation": step.relation.type if step is not None else None,
                "signal": step.relation.signal if step is not None else None,
                "standing": str(s.standing),
                "id": s.id,
                "label": s.label,
                "certainty": s.certainty + (f" ({s.hedge})" if s.hedge else ""),
                "quote": s.quote,
                "claim": s.iri,
            }
        )
        for child in n.steps:
            walk(child, depth + 1, side)

    def walk(step: Any, depth: int, side: str) -> None:
        for premise in step.premises:
            node(premise, depth, side, step)
        for answer in step.answers:
            walk(answer, depth + 1, side)

    for side, root in result.roots:
        node(root, 0, side, None)
    return found


def notes(result: Any) -> list[str]:
    return []
