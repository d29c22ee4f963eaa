"""The query library shipped with cocagraph (``src/cocagraph/queries/NAME.rq``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..errors import UnknownNameError
from .parameters import QueryParameter, parse_header

__all__ = ["BundledQuery", "find_bundled", "list_bundled"]


@dataclass(frozen=True)
class BundledQuery:
    """A query shipped with cocagraph (``src/cocagraph/queries/NAME.rq``)."""

    name: str
    description: str
    parameters: tuple[QueryParameter, ...]
    text: str
    questions: str = ""


def list_bundled() -> list[BundledQuery]:
    """The bundled queries, by name.

    >>> "claims-by-theme" in [q.name for q in list_bundled()]
    True
    """
    folder = resources.files("cocagraph") / "queries"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            name = entry.name[: -len(".rq")]
            header = parse_header(text, name)
            found.append(BundledQuery(name, header.description, header.parameters, text, header.questions))
    return found


def find_bundled(name: str) -> BundledQuery:
    """The bundled query of that name; an UnknownNameError lists the closest ones."""
    queries = {q.name: q for q in list_bundled()}
    if name in queries:
        return queries[name]
    import difflib

    raise UnknownNameError("bundled query", name, difflib.get_close_matches(name, list(queries), n=5, cutoff=0.4))
