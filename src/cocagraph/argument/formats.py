"""The case for and against as text for people (an indented tree), JSON and Markdown.

Argdown, the fourth format of ``cocagraph argument``, is in :mod:`.argdown`.
"""

from __future__ import annotations

import json
from typing import Any

from .case import ArgumentTree, Node, Statement, Step
from .semantics import Attack, Label

__all__ = ["SYMBOLS", "attack_text", "tree_json", "tree_markdown", "tree_text"]

#: The mark of each role in the people's tree (Argdown's + and - and _ where it has them).
SYMBOLS = {
    "reason": "+",
    "mechanism": "=",
    "qualification": "~",
    "concession": "-",
    "objection": "-",
    "undercut": "_",
}


def attack_text(attack: Attack, label: Label | str | None = None) -> str:
    """One deciding attack in words: who attacks, how, and through which premise."""
    from ..catalog import short_name

    how = "holds it against the concession" if attack.kind == "held against" else attack.kind
    text = f"{short_name(attack.attacker)} ({how}"
    if label is not None:
        text += f", {label}"
    text += ")"
    if attack.via:
        text += f" through premise {short_name(attack.via)}"
    return text


def _statement_json(s: Statement) -> dict[str, Any]:
    return {
        "claim": s.iri,
        "id": s.id,
        "label": s.label,
        "type": s.type,
        "quote": s.quote,
        "certainty": s.certainty,
        "hedge": s.hedge,
        "asserted_by": s.asserted_by,
        "explicitness": s.explicitness,
        "standing": str(s.standing),
    }


def _node_json(node: Node) -> dict[str, Any]:
    data = _statement_json(node.statement)
    data["relations"] = [_step_json(step) for step in node.steps]
    if node.more:
        data["more"] = True
    if node.repeated:
        data["repeated"] = True
    return data


def _step_json(step: Step) -> dict[str, Any]:
    rel = step.relation
    return {
        "relation": rel.iri,
        "id": rel.id,
        "type": rel.type,
        "role": step.role,
        "label": rel.label,
        "signal": rel.signal,
        "quote": rel.quote,
        "certainty": rel.certainty,
        "hedge": rel.hedge,
        "asserted_by": rel.asserted_by,
        "explicitness": rel.explicitness,
        "reason": rel.reason,
        "standing": str(step.standing),
        "premises": [_node_json(p) for p in step.premises],
        "answered_by": [_step_json(a) for a in step.answers],
    }


def tree_json(case: ArgumentTree) -> str:
    """The tree as JSON: the subject, then each root with its side and its nested relations."""
    data = {
        "subject": case.subject,
        "label": case.label,
        "kind": case.kind,
        "semantics": case.semantics,
        "depth": case.depth,
        "roots": [{"side": side, **_node_json(node)} for side, node in case.roots],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _how(s: Statement) -> str:
    parts = [s.type or "claim", s.certainty + (f" “{s.hedge}”" if s.hedge else "")]
    if s.explicitness == "inferred":
        parts.append("inferred by the curator")
    if s.asserted_by:
        parts.append(s.asserted_by)
    return "; ".join(parts)


def _relation_how(step: Step) -> str:
    rel = step.relation
    parts = [rel.type]
    if rel.signal:
        parts.append(f"signal “{rel.signal}”")
    if rel.certainty == "hedged":
        parts.append(f"hedged “{rel.hedge}”" if rel.hedge else "hedged")
    if rel.explicitness == "inferred":
        parts.append("inferred by the curator")
    if rel.asserted_by:
        parts.append(rel.asserted_by)
    return "; ".join(parts)


def tree_text(case: ArgumentTree) -> str:
    """The tree for people: each claim with its standing, quote and how it is asserted."""
    lines = [f"The case for and against {case.label} ({case.kind}); standing under {case.semantics} semantics"]
    if not case.roots:
        lines.append("  (no claim is about it)")
    for side, node in case.roots:
        lines.append("")
        _node_lines(node, lines, "", side.upper() if side != "claim" else "")
    return "\n".join(lines)


def _node_lines(node: Node, lines: list[str], indent: str, mark: str) -> None:
    s = node.statement
    head = f"{mark} " if mark else ""
    lines.append(f"{indent}{head}[{s.standing}] {s.label}  ({_how(s)}; claim {s.id})")
    if s.quote:
        lines.append(f"{indent}    “{s.quote}”")
    if node.repeated:
        lines.append(f"{indent}    (stands above in this branch; not repeated)")
    elif node.more:
        lines.append(f"{indent}    (more below: ask with a larger --depth)")
    for step in node.steps:
        _step_lines(step, lines, indent + "  ")


def _step_lines(step: Step, lines: list[str], indent: str) -> None:
    rel = step.relation
    gloss = f": {rel.label}" if rel.label else ""
    lines.append(
        f"{indent}{SYMBOLS[step.role]} {step.role} [{step.standing}]{gloss}  ({_relation_how(step)}; relation {rel.id})"
    )
    if rel.quote:
        lines.append(f"{indent}    “{rel.quote}”")
    for premise in step.premises:
        _node_lines(premise, lines, indent + "    ", "")
    for answer in step.answers:
        _step_lines(answer, lines, indent + "    ")


def tree_markdown(case: ArgumentTree) -> str:
    """The tree as a nested Markdown list (quotes in italics, standing in bold)."""
    lines = [f"## The case for and against {_md(case.label)} ({case.kind})", ""]
    lines.append(f"Standing under {case.semantics} semantics.")
    lines.append("")
    for side, node in case.roots:
        _node_md(node, lines, 0, f"{side}: " if side != "claim" else "")
    return "\n".join(lines)


def _md(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").split())


def _node_md(node: Node, lines: list[str], depth: int, prefix: str) -> None:
    s = node.statement
    pad = "  " * depth
    quote = f" — *“{_md(s.quote)}”*" if s.quote else ""
    lines.append(f"{pad}- {prefix}**{s.standing}** {_md(s.label)} ({_md(_how(s))}; `{s.id}`){quote}")
    for step in node.steps:
        _step_md(step, lines, depth + 1)


def _step_md(step: Step, lines: list[str], depth: int) -> None:
    rel = step.relation
    pad = "  " * depth
    gloss = f": {_md(rel.label)}" if rel.label else ""
    quote = f" — *“{_md(rel.quote)}”*" if rel.quote else ""
    lines.append(f"{pad}- {step.role} **{step.standing}**{gloss} ({_md(_relation_how(step))}; `{rel.id}`){quote}")
    for premise in step.premises:
        _node_md(premise, lines, depth + 1, "")
    for answer in step.answers:
        _step_md(answer, lines, depth + 1)
