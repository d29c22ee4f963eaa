"""Finding things by name: labels, alternative and hidden labels, ids or IRIs.

Every command resolves names the same way: case- and accent-insensitive ("garcia" finds
García), exact matches first, then a unique substring match; otherwise an UnknownNameError
that lists the closest names.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping

from .errors import UnknownNameError, UsageError

__all__ = ["normalize", "resolve"]


def normalize(text: str) -> str:
    """Fold case, accents, apostrophes and spacing so that names compare as people mean them.

    >>> normalize("  García’s  Pardons ")
    "garcia's pardons"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'").replace("-", " ")
    return " ".join(stripped.casefold().split())


def resolve(name: str, names: Mapping[str, Iterable[str]], kind: str = "factor") -> str:
    """The key of ``names`` whose names (label, alternative labels, id, IRI) match ``name``.

    ``names`` maps each key (an IRI) to the strings it may be called by; the first is the one
    shown in suggestions.

    >>> people = {"iri:1": ["Alan García", "García"], "iri:2": ["Ollanta Humala"]}
    >>> resolve("garcia", people, "actor")
    'iri:1'
    >>> resolve("humala", people, "actor")
    'iri:2'
    >>> resolve("morales", people, "actor")
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnknownNameError: no actor named 'morales'
    """
    wanted = normalize(name)
    if not wanted:
        raise UsageError(f"an empty {kind} name")
    display: dict[str, str] = {}
    exact: set[str] = set()
    partial: set[str] = set()
    all_names: dict[str, str] = {}
    for key, aliases in names.items():
        aliases = [a for a in aliases if a]
        display[key] = aliases[0] if aliases else key
        for alias in [*aliases, key]:
            folded = normalize(alias)
            all_names.setdefault(folded, display[key])
            if folded == wanted or alias == name:
                exact.add(key)
            elif wanted in folded:
                partial.add(key)
    for found in (exact, partial):
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            choices = sorted(display[k] for k in found)
            raise _ambiguous(kind, name, choices)
    close = difflib.get_close_matches(wanted, list(all_names), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(all_names[c] for c in close))
    raise UnknownNameError(kind, name, suggestions)


def _ambiguous(kind: str, name: str, choices: list[str]) -> UnknownNameError:
    error = UnknownNameError(kind, name, choices[:8])
    error.args = (f"{kind} name {name!r} is ambiguous; it could be: {', '.join(repr(c) for c in choices[:8])}",)
    return error
