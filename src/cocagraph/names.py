"""Finding things by name: labels, alternative and hidden labels, ids or IRIs.

Every command resolves names the same way: case- and accent-insensitive ("garcia" finds
García), exact matches first (a label, alternative label, id or the IRI itself), then a unique
part of a label or alternative label (never a part of an id or IRI: every IRI holds
"cocagraph"). Otherwise an UnknownNameError: an ambiguous name counts every candidate and lists
them closest first; an unknown one gives the closest names and, for small sets (themes, actors,
places), every name there is.
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


#: Listing every name of a kind is helpful up to this many (themes, places, actors of one source).
LIST_ALL_UP_TO = 40
#: Candidates of an ambiguous name spelled out, closest first; the count is always given.
CANDIDATES_SHOWN = 25


def resolve(name: str, names: Mapping[str, Iterable[str]], kind: str = "factor") -> str:
    """The key of ``names`` whose names (label, alternative labels, id, IRI) match ``name``.

    ``names`` maps each key (an IRI) to the strings it may be called by; the first is the one
    shown in suggestions. A name matches exactly (folded), or as a part of a label or
    alternative label, never as a part of an IRI or id: every IRI holds "cocagraph".

    >>> people = {"iri:1": ["Alan García", "García"], "iri:2": ["Ollanta Humala"]}
    >>> resolve("garcia", people, "actor")
    'iri:1'
    >>> resolve("humala", people, "actor")
    'iri:2'
    >>> resolve("iri:2", people, "actor")
    'iri:2'
    >>> resolve("morales", people, "actor")
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnknownNameError: no actor named 'morales'; the actors are: 'Alan García', 'Ollanta Humala'
    >>> resolve("a", people, "actor")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cocagraph.errors.UnknownNameError: actor name 'a' is ambiguous: it could be any of 2 actors: 'Alan García', ...
    """
    wanted = normalize(name)
    if not wanted:
        raise UsageError(f"an empty {kind} name")
    display: dict[str, str] = {}
    exact: set[str] = set()
    partial: dict[str, float] = {}
    all_names: dict[str, str] = {}
    for key, aliases in names.items():
        aliases = [a for a in aliases if a]
        display[key] = aliases[0] if aliases else key
        tail = _tail(key)
        for alias in [*aliases, key]:
            folded = normalize(alias)
            all_names.setdefault(folded, display[key])
            if folded == wanted or alias == name:
                exact.add(key)
            elif alias != key and alias != tail and wanted in folded:
                # A part of a label or alternative label; ids and IRIs match only whole.
                closeness = difflib.SequenceMatcher(None, wanted, folded).ratio()
                partial[key] = max(partial.get(key, 0.0), closeness)
    if len(exact) == 1:
        return next(iter(exact))
    if len(exact) > 1:
        raise _ambiguous(kind, name, sorted(display[k] for k in exact))
    if len(partial) == 1:
        return next(iter(partial))
    if partial:
        closest_first = sorted(partial, key=lambda k: (-partial[k], display[k]))
        raise _ambiguous(kind, name, [display[k] for k in closest_first])
    close = difflib.get_close_matches(wanted, list(all_names), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(all_names[c] for c in close))
    error = UnknownNameError(kind, name, suggestions)
    known = sorted(set(display.values()), key=normalize)
    if len(known) <= LIST_ALL_UP_TO and not suggestions:
        error.args = (f"no {kind} named {name!r}; the {_plural(kind)} are: {_quoted(known)}",)
    elif len(known) <= LIST_ALL_UP_TO:
        error.args = (f"{error.args[0]} (the {_plural(kind)} are: {_quoted(known)})",)
    raise error


def _tail(key: str) -> str:
    return key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _plural(kind: str) -> str:
    """``theme`` -> ``themes``, ``claim or factor`` -> ``claims or factors``."""
    return " or ".join(word + ("es" if word.endswith("s") else "s") for word in kind.split(" or "))


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _ambiguous(kind: str, name: str, choices: list[str]) -> UnknownNameError:
    """Every candidate counted; the first :data:`CANDIDATES_SHOWN` (closest first) spelled out."""
    error = UnknownNameError(kind, name, choices)
    shown = _quoted(choices[:CANDIDATES_SHOWN])
    more = f" and {len(choices) - CANDIDATES_SHOWN} more" if len(choices) > CANDIDATES_SHOWN else ""
    error.args = (
        f"{kind} name {name!r} is ambiguous: it could be any of {len(choices)} {_plural(kind)}: {shown}{more}",
    )
    return error
