"""The argument in Argdown (argdown.org): the whole graph for ``export``, or one case as a tree.

Each claim is a statement ``[claim-id]: its quote`` and each relation an argument
``<relation-id>: its gloss``, so that an undercut can target a relation as Argdown requires
(only arguments can be undercut). Premises support their relation (``<+ [premise]``); the
relation supports (``+>``: support, elaboration), attacks (``->``: rebuttal, concession,
qualification, as AIF conflict nodes) or undercuts (``_>``) its conclusion. Tags carry each
relation's type and, in a tree, each node's standing (``#in``, ``#out``, ``#undecided``).

Argdown reads ``[ ] < > { } # * _ /`` and the backslash as markup, so they are escaped with a
backslash: the text Argdown reads back is the quote to the letter (line breaks become spaces,
since a statement is one line).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..catalog import list_claims, short_name
from .model import Relation, relations

if TYPE_CHECKING:
    from ..loading import Corpus
    from .case import ArgumentTree, Node, Step

__all__ = ["argdown_text", "escape", "tree_argdown"]

_SPECIAL = re.compile(r"([\\\[\]<>{}#*_/])")
#: How a relation bears on its conclusion, as an Argdown arrow from the relation.
_ARROWS = {
    "support": "+>",
    "elaboration": "+>",
    "rebuttal": "->",
    "concession": "->",
    "qualification": "->",
    "undercut": "_>",
}


def escape(text: str) -> str:
    """Text as Argdown reads it back to the letter: markup characters escaped, one line.

    >>> escape("Peru's output (3.4 per cent) #1 [sic] // not a comment")
    "Peru's output (3.4 per cent) \\\\#1 \\\\[sic\\\\] \\\\/\\\\/ not a comment"
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _reference(iri: str, relation_iris: set[str]) -> str:
    return f"<{short_name(iri)}>" if iri in relation_iris else f"[{short_name(iri)}]"


def _relation_block(rel: Relation, relation_iris: set[str], tags: str = "") -> list[str]:
    gloss = rel.label or rel.type
    signal = f" (signal: “{rel.signal}”)" if rel.signal else ""
    lines = [f"<{rel.id}>: {escape(gloss + signal)} #{rel.type}{tags}"]
    lines += [f"  <+ [{short_name(p)}]" for p in rel.premises]
    lines.append(f"  {_ARROWS[rel.type]} {_reference(rel.conclusion, relation_iris)}")
    return lines


def argdown_text(corpus: Corpus) -> str:
    """Every claim and every relation of the corpus as one Argdown document."""
    rels = relations(corpus)
    relation_iris = {r.iri for r in rels}
    blocks = [
        ["===", "title: cocagraph argument export", "==="],
        ["// Claims: each statement's text is its quote as it stands in the source."],
    ]
    for row in list_claims(corpus):
        blocks.append([f"[{row.id}]: {escape(row.quote or row.label)} #{row.type}"])
    blocks.append(["// Relations: premises support each relation; it supports, attacks or undercuts its conclusion."])
    for rel in rels:
        blocks.append(_relation_block(rel, relation_iris))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def tree_argdown(case: ArgumentTree) -> str:
    """One case as an Argdown tree: each claim with the relations that bear on it indented below."""
    lines = ["===", f"title: {escape('The case for and against ' + case.label)}", "===", ""]
    for side, node in case.roots:
        if lines[-1] != "":
            lines.append("")
        tag = f" #{side}" if side in ("for", "against") else ""
        _node(node, lines, "", "", tag)
    return "\n".join(lines) + "\n"


def _node(node: Node, lines: list[str], indent: str, arrow: str, extra: str = "") -> None:
    s = node.statement
    text = escape(s.quote or s.label)
    lines.append(f"{indent}{arrow}[{s.id}]: {text} #{s.standing}{extra}")
    if node.repeated:
        return
    for step in node.steps:
        _step(step, lines, indent + "  ")


_INCOMING = {"+>": "+", "->": "-", "_>": "_"}


def _step(step: Step, lines: list[str], indent: str) -> None:
    rel = step.relation
    gloss = escape((rel.label or rel.type) + (f" (signal: “{rel.signal}”)" if rel.signal else ""))
    lines.append(f"{indent}{_INCOMING[_ARROWS[rel.type]]} <{rel.id}>: {gloss} #{rel.type} #{step.standing}")
    for premise in step.premises:
        _node(premise, lines, indent + "  ", "+ ")
    for answer in step.answers:
        _step(answer, lines, indent + "  ")
