"""The argument itself: relations between claims, which claims stand, and the case for and against.

- :func:`relations` (:mod:`.model`): every argument relation (support, rebuttal, undercut,
  concession, qualification, elaboration) as a node of its own, with its signal words and quote;
- :func:`standing` (:mod:`.semantics`): each claim and relation in, out or undecided under
  grounded or preferred semantics, with the attacks that decide it;
- :func:`tree` (:mod:`.case`): the reasons for and the objections against a claim or a policy;
- :func:`aif_document` (:mod:`.aif`) and :func:`argdown_text` (:mod:`.argdown`): the whole
  argument in AIF JSON (AIFdb's form) and in Argdown.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Label",
    "Relation",
    "aif_document",
    "argdown_text",
    "relations",
    "standing",
    "tree",
]

_WHERE = {
    "Label": "semantics",
    "Relation": "model",
    "aif_document": "aif",
    "argdown_text": "argdown",
    "relations": "model",
    "standing": "semantics",
    "tree": "case",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'cocagraph.argument' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
