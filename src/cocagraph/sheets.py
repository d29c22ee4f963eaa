"""Claim sheets: claims entered in YAML, compiled to Turtle with Web Annotation selectors.

A sheet names a source and lists its actors, places, factors and claims (see
``docs/claim-sheets.md`` and the article's sheet, ``graphs/psg-peru-coca.sheet.yaml``); the
same columns may come as CSV (:mod:`cocagraph.sheet_csv`). The compiler checks every entry,
finds each quote in the source text and writes the selectors (exact; prefix and suffix when the
quote occurs more than once; code-point offsets), the source's description with the SHA-256 of
its text, and readable IRIs built from the ids.

Things several sources talk about have one IRI: a sheet lists under ``uses`` the ids that other
sheets describe (the article's factors, say) and refers to them as if they were its own; an
entry of its own that means the same as someone else's says so with ``exact_match``
(``skos:exactMatch``).
"""

from __future__ import annotations

import datetime
import difflib
import functools
import hashlib
import heapq
import itertools
import re
import string
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, SheetError
from .inputs import read_input
from .sheet_fields import (
    ACTOR_KINDS,
    CERTAINTIES,
    CLAIM_TYPES,
    EXPLICITNESS,
    FACTOR_KINDS,
    FIELDS,
    POLARITIES,
    RELATION_TYPES,
    RULES,
    SECTIONS,
    STANCES,
    UNITS,
    USES_KINDS,
    Field,
    field_of,
    keys,
)
from .vocab import CG, DCTERMS, ID, OA, PREFIXES, PROV, RDF, SKOS, XSD
from .yamlsafe import Located, LocatedDict, LocatedList, load_yaml

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "ACTOR_KINDS",
    "CERTAINTIES",
    "CLAIM_TYPES",
    "CURATOR",
    "EXPLICITNESS",
    "MAX_SHEET_BYTES",
    "POLARITIES",
    "RELATION_TYPES",
    "STANCES",
    "UNITS",
    "canonical_decimal",
    "closest_passage",
    "compile_sheet",
    "find_quote",
    "read_sheet",
    "sheet_to_turtle",
]

#: Who infers what the text does not state.
CURATOR = ID.term("actor/cocagraph-curators")
#: Characters of context kept in oa:prefix / oa:suffix when a quote occurs more than once.
CONTEXT_CHARS = 32
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Sheets are typed by people; anything larger is a mistake (or an attack).
MAX_SHEET_BYTES = 64 * 1024 * 1024
#: A BCP 47 language tag as RDF takes it (rdflib refuses anything else, with a traceback).
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

#: The fields of every section come from the one table of :mod:`cocagraph.sheet_fields`.
_SECTIONS = set(SECTIONS)
_SOURCE_KEYS = keys("source")
_ACTOR_KEYS = keys("actors")
_PLACE_KEYS = keys("places")
_FACTOR_KEYS = keys("factors")
_CLAIM_KEYS = keys("claims")
_RELATION_KEYS = keys("relations")


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote stands in the source text (code-point offsets, end exclusive)."""

    start: int
    end: int
    prefix: str | None
    suffix: str | None


def find_quote(text: str, quote: str, occurrence: int | None = None) -> list[QuoteMatch]:
    """Every place ``quote`` stands in ``text``; prefix/suffix only when it stands in several.

    >>> find_quote("a cat and a cat", "cat")[1]
    QuoteMatch(start=12, end=15, prefix='a cat and a ', suffix='')
    >>> find_quote("one dog", "dog")
    [QuoteMatch(start=4, end=7, prefix=None, suffix=None)]
    """
    starts = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    if len(starts) == 1:
        return [QuoteMatch(starts[0], starts[0] + len(quote), None, None)]
    return [
        QuoteMatch(
            s,
            s + len(quote),
            text[max(0, s - CONTEXT_CHARS) : s],
            text[s + len(quote) : s + len(quote) + CONTEXT_CHARS],
        )
        for s in starts
    ]


#: How many windows of the text, found by the words they share with the quote, are compared
#: in order: a fixed number, so the search stays linear in the text whatever its size.
CANDIDATES = 12
#: How many of them are then compared letter by letter.
FINALISTS = 3
#: ... when the quote is this short (letter by letter costs the square of the length).
FINALIST_CHARS = 300
#: Letters typed one way and printed another (curly quotes, dashes) compare as the same word.
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
#: Punctuation around a word does not count ("rivers." is "rivers").
_PUNCTUATION = string.punctuation + "¡¿«»‹›…•·‐‑‒―"


def _word_keys(text: str) -> list[str]:
    """The words of ``text`` as they are compared: folded, lower case, without edge punctuation."""
    return [word.strip(_PUNCTUATION) for word in text.translate(_FOLD).casefold().split()]


@functools.lru_cache(maxsize=2)  # verify-quotes asks once per failing quote of the same text
def _text_keys(text: str) -> list[str]:
    return _word_keys(text)


def _passage(text: str, first: int, count: int) -> str:
    """Words ``first`` to ``first + count - 1`` of ``text``, as the text has them."""
    words = itertools.islice(re.finditer(r"\S+", text), first, first + count)
    spans = [match.span() for match in words]
    return text[spans[0][0] : spans[-1][1]] if spans else ""


def closest_passage(text: str, quote: str) -> str:
    """The passage of ``text`` most like ``quote``, to show beside a quote that is not there.

    One pass over the text scores every window of the quote's length by the words it shares
    with the quote (case, curly quotes and dashes aside); the best :data:`CANDIDATES` are then
    compared word by word, in order. Linear in the text; "" when no window shares a word.

    >>> closest_passage("The cat sat.\\nThe dog ran far away.", "the dog run far")
    'The dog ran far'
    """
    keys = _word_keys(quote)
    wanted = Counter(key for key in keys if key)
    words = _text_keys(text)
    if not wanted or not words:
        return ""
    n = min(len(keys), len(words))
    have: Counter[str] = Counter()
    shared = 0
    best: list[tuple[int, int]] = []  # a min-heap of (words shared, -first word)
    for i, word in enumerate(words):
        if word in wanted:
            if have[word] < wanted[word]:
                shared += 1
            have[word] += 1
        if i >= n and (old := words[i - n]) in wanted:
            have[old] -= 1
            if have[old] < wanted[old]:
                shared -= 1
        if shared and i >= n - 1 and (len(best) < CANDIDATES or shared > best[0][0]):
            entry = (shared, -(i - n + 1))
            if len(best) < CANDIDATES:
                heapq.heappush(best, entry)
            else:
                heapq.heapreplace(best, entry)
    if not best:
        return ""
    # Ranked word by word, in order: cheap whatever the quote's length (letter by letter costs
    # the square of it).
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(keys)

    def likeness(start: int) -> float:
        matcher.set_seq1(words[start : start + n])
        return matcher.ratio()

    ranked = sorted(sorted(-neg_start for _, neg_start in best), key=likeness, reverse=True)
    if len(quote) > FINALIST_CHARS:  # long enough for its words to decide
        return _passage(text, ranked[0], n)
    # A short quote: the last word between the few best, letter by letter ("rar" is nearer
    # "rare" than "come").
    passages = [_passage(text, start, n) for start in ranked[:FINALISTS]]
    return max(passages, key=lambda p: difflib.SequenceMatcher(None, p, quote, autojunk=False).ratio())


def _date_key(raw: str, *, earliest: bool) -> tuple[int, int, int]:
    """A checked year, month or day as the first (or last) day it covers, for ordering."""
    sign = -1 if raw.startswith("-") else 1
    parts = [int(p) for p in raw.lstrip("-").split("-")]
    year = sign * parts[0]
    month = parts[1] if len(parts) > 1 else (1 if earliest else 12)
    day = parts[2] if len(parts) > 2 else (1 if earliest else 31)
    return year, month, day


def _split_occurrence(quote: str) -> tuple[str, int | None]:
    """A quote and the occurrence its ``[occurrence N]`` marker picks (None without a marker)."""
    marker = re.match(r"^(.*?)\s*\[occurrence (\d+)\]$", quote, re.S)
    return (marker.group(1), int(marker.group(2))) if marker else (quote, None)


def canonical_decimal(raw: str) -> str:
    """The canonical xsd:decimal form, which Turtle writes and reads back unchanged.

    Without it ``-7`` would compile to ``"-7"^^xsd:decimal``, be written ``-7.0`` and read back
    as another term.

    >>> [canonical_decimal(v) for v in ("-7", "007", "-3.40", "0.50", "-0")]
    ['-7.0', '7.0', '-3.4', '0.5', '0.0']
    """
    value = Decimal(raw)
    if value == 0:
        return "0.0"
    whole, _, fraction = format(value, "f").partition(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}"


def read_sheet(path: str | Path) -> LocatedDict:
    """Read a claim sheet (YAML, or CSV when the name ends in ``.csv``) and check its sections.

    Quotes are checked later, against the text, by :func:`compile_sheet`. Every value comes back
    as a :class:`~cocagraph.yamlsafe.Located` string that knows its line (YAML) or row (CSV).
    """
    sheet_path = Path(path)
    try:
        size = sheet_path.stat().st_size
        if size > MAX_SHEET_BYTES:
            raise SheetError(f"{sheet_path}: {size:,} bytes is over the limit of {MAX_SHEET_BYTES:,} bytes for a sheet")
        raw = read_input(sheet_path, MAX_SHEET_BYTES)  # regular files only (no pipe, no device)
    except OSError as exc:
        raise InputError(f"{sheet_path}: cannot read: {exc.strerror}") from exc
    if sheet_path.suffix.lower() == ".csv":
        from .sheet_csv import parse_csv_sheet  # lazy: YAML users never need it

        sheet = parse_csv_sheet(raw, str(sheet_path))
    else:
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise SheetError(f"{sheet_path}:{line}: not UTF-8 (byte {exc.start}); save the sheet as UTF-8") from exc
        sheet = load_yaml(text, str(sheet_path))
    at = _locator(str(sheet_path), sheet)
    _require_mapping(sheet, at, "the sheet")
    _check_keys(sheet, _SECTIONS, at, "the sheet")
    return sheet


def compile_sheet(
    sheet_path: str | Path,
    source_text_path: str | Path,
    *,
    uses_from: Sequence[str | Path] | None = None,
) -> rdflib.Graph:
    """Compile a claim sheet against its source text into an rdflib Graph.

    With ``uses_from`` (RDF files or folders), every id the sheet lists under ``uses`` must be
    described there: a mistyped shared id is refused here rather than found dangling later.
    """
    import rdflib

    sheet = read_sheet(sheet_path)
    try:
        text = read_input(source_text_path).decode("utf-8")  # regular files only
    except OSError as exc:
        raise InputError(f"{source_text_path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{source_text_path}: not UTF-8 (byte {exc.start})") from exc
    compiler = _Compiler(str(sheet_path), text, Path(source_text_path).name, _locator(str(sheet_path), sheet))
    triples = list(compiler.run(sheet))
    if uses_from is not None and compiler.uses:
        _check_uses(compiler, uses_from)
    graph = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    for kind in ("claim", "relation", "factor", "actor", "place", "source"):
        graph.bind(kind, ID.term(f"{kind}/"))
    graph.bind("th", ID.term("theme/"))
    for s, p, o in triples:
        graph.add((rdflib.URIRef(s), rdflib.URIRef(p), o if isinstance(o, rdflib.Literal) else rdflib.URIRef(o)))
    return graph


def sheet_to_turtle(
    sheet_path: str | Path,
    source_text_path: str | Path,
    *,
    uses_from: Sequence[str | Path] | None = None,
) -> str:
    """The compiled Turtle, deterministic: the same sheet and text give the same bytes."""
    graph = compile_sheet(sheet_path, source_text_path, uses_from=uses_from)
    header = (
        f"# Compiled by `cocagraph compile` from {Path(sheet_path).name} against "
        f"{Path(source_text_path).name}.\n# Edit the sheet, not this file.\n"
    )
    return header + graph.serialize(format="turtle")


# ---------------------------------------------------------------- the compiler


def _locator(filename: str, sheet: Any) -> Callable[[int], str]:
    """How errors name a place: ``file:LINE`` for YAML, ``file: row N`` for CSV."""
    if getattr(sheet, "rows", False):
        return lambda line: f"{filename}: row {line}"
    return lambda line: f"{filename}:{line}"


def _require_mapping(value: Any, at: Callable[[int], str], what: str) -> None:
    if not isinstance(value, LocatedDict):
        line = getattr(value, "line", 0)
        raise SheetError(f"{at(line)}: {what} must be a mapping of keys to values")


def _check_keys(entry: LocatedDict, allowed: frozenset[str] | set[str], at: Callable[[int], str], what: str) -> None:
    for key in entry:
        if key not in allowed:
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise SheetError(f"{at(entry.line)}: {what} has an unknown key {key!r}{suggestion}")


def _check_uses(compiler: _Compiler, paths: Sequence[str | Path]) -> None:
    from .engine import select
    from .loading import load

    corpus = load(list(paths))
    described: dict[str, set[str]] = {kind: set() for kind in USES_KINDS.values()}
    classes = {CG.Actor: "actor", CG.Place: "place", CG.Factor: "factor", CG.Claim: "claim"}
    for row in select(corpus.store, "SELECT DISTINCT ?x ?c WHERE { ?x a ?c }"):
        if row["c"] in classes and row["x"].startswith(ID.term(f"{classes[row['c']]}/")):
            described[classes[row["c"]]].add(row["x"][len(ID.term(classes[row["c"]])) + 1 :])
    where = ", ".join(str(p) for p in paths)
    for kind, items in compiler.uses.items():
        for item in items:
            if item.value not in described[kind]:
                close = difflib.get_close_matches(item.value, sorted(described[kind]), n=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise compiler.fail(
                    item.line, f"'uses' names {kind} {item.value!r}, which {where} does not describe{hint}"
                )


_DECLARED = (
    ("actor", "actors"),
    ("place", "places"),
    ("factor", "factors"),
    ("claim", "claims"),
    ("relation", "relations"),
)


class _Compiler:
    def __init__(self, filename: str, text: str, text_name: str, at: Callable[[int], str]) -> None:
        self.filename = filename
        self.text = text
        self.text_name = text_name
        self.at = at
        self.ids: dict[str, dict[str, int]] = {k: {} for k in ("actor", "place", "factor", "claim", "relation")}
        #: ids other sheets describe, by kind (the ``uses`` section)
        self.uses: dict[str, list[Located]] = {}

    # -- helpers

    def fail(self, line: int, message: str) -> SheetError:
        return SheetError(f"{self.at(line)}: {message}")

    def scalar(self, entry: LocatedDict, key: str, *, required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                raise self.fail(entry.line, f"missing {key!r}")
            return None
        if not isinstance(value, Located):
            raise self.fail(getattr(value, "line", entry.line), f"{key!r} must be a single value")
        if required and not value.value.strip():
            raise self.fail(value.line, f"{key!r} is empty")
        return value.value

    def line_of(self, entry: LocatedDict, key: str) -> int:
        value = entry.get(key)
        return getattr(value, "line", entry.line)

    def items(self, entry: LocatedDict, key: str) -> list[Located]:
        value = entry.get(key)
        if value is None:
            return []
        if isinstance(value, Located):
            return [value]
        if isinstance(value, LocatedList) and all(isinstance(v, Located) for v in value):
            return list(value)
        raise self.fail(getattr(value, "line", entry.line), f"{key!r} must be a value or a list of values")

    def choice(self, entry: LocatedDict, key: str, options: dict[str, str], default: str | None = None) -> str:
        raw = self.scalar(entry, key) or default
        if raw is None:
            raise self.fail(entry.line, f"missing {key!r} (one of {', '.join(options)})")
        if raw not in options:
            raise self.fail(self.line_of(entry, key), f"{key!r} is {raw!r}, not one of {', '.join(options)}")
        return options[raw]

    def entries(self, sheet: LocatedDict, section: str) -> list[LocatedDict]:
        value = sheet.get(section)
        if value is None:
            return []
        if not isinstance(value, LocatedList):
            raise self.fail(getattr(value, "line", 0), f"{section!r} must be a list of entries")
        for item in value:
            _require_mapping(item, self.at, f"an entry of {section!r}")
        return list(value)

    def declare(self, kind: str, entry: LocatedDict) -> str:
        ident = self.scalar(entry, "id", required=True) or ""
        return self.declare_id(kind, Located(ident, self.line_of(entry, "id")), entry.line)

    def declare_id(self, kind: str, item: Located, line: int) -> str:
        ident = item.value
        if not _ID.match(ident):
            raise self.fail(item.line, f"id {ident!r} must be lower-case words joined by hyphens")
        if kind == "actor" and ident == "cocagraph-curators":
            raise self.fail(item.line, "the actor id 'cocagraph-curators' is reserved: the compiler adds it")
        if ident in self.ids[kind]:
            previous = self.ids[kind][ident]
            raise self.fail(line, f"{kind} id {ident!r} is already used ({self.at(previous)})")
        self.ids[kind][ident] = line
        return ident

    def read_uses(self, sheet: LocatedDict) -> None:
        uses = sheet.get("uses")
        if uses is None:
            return
        _require_mapping(uses, self.at, "'uses'")
        _check_keys(uses, set(USES_KINDS), self.at, "'uses'")
        for section, kind in USES_KINDS.items():
            items = self.items(uses, section)
            for item in items:
                self.declare_id(kind, item, item.line)
            if items:
                self.uses[kind] = items

    def matches(self, kind: str, entry: LocatedDict) -> Iterator[str]:
        """``exact_match``: ids of the same kind (declared or used) or absolute http(s) IRIs."""
        for item in self.items(entry, "exact_match"):
            if _IRI.match(item.value):
                yield item.value
            elif item.value == self.scalar(entry, "id"):
                raise self.fail(item.line, "an entry cannot be an exact match of itself")
            else:
                yield self.ref(kind, item)

    def ref(self, kind: str, item: Located) -> str:
        if item.value not in self.ids[kind]:
            close = difflib.get_close_matches(item.value, list(self.ids[kind]), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise self.fail(
                item.line,
                f"no {kind} with id {item.value!r}{hint} (declare it, or list it under 'uses' if another sheet does)",
            )
        return ID.term(f"{kind}/{item.value}")

    def theme(self, item: Located) -> str:
        if not _ID.match(item.value):
            raise self.fail(item.line, f"theme {item.value!r} is not a theme id")
        return ID.term(f"theme/{item.value}")

    # -- sections

    def run(self, sheet: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        import rdflib

        lit = rdflib.Literal
        source_entry = sheet.get("source")
        if source_entry is None:
            raise self.fail(sheet.line, "missing the 'source' section")
        _require_mapping(source_entry, self.at, "'source'")
        _check_keys(source_entry, _SOURCE_KEYS, self.at, "'source'")
        self.check("source", source_entry, "source")
        # Declare everything first so that references may point forwards.
        self.read_uses(sheet)
        for kind, section in _DECLARED:
            for entry in self.entries(sheet, section):
                self.declare(kind, entry)
        self.ids["actor"].setdefault("cocagraph-curators", 0)
        for ident, line in self.ids["relation"].items():
            if ident in self.ids["claim"]:  # a conclusion names either; it must be plain which
                raise self.fail(line, f"relation id {ident!r} is also a claim id ({self.at(self.ids['claim'][ident])})")

        yield from self.source(source_entry)
        yield CURATOR, RDF.type, CG.Actor
        yield CURATOR, RDF.type, PROV.Organization
        yield CURATOR, SKOS.prefLabel, lit("cocagraph curators", lang="en")
        for kind, section in _DECLARED:
            for entry in self.entries(sheet, section):
                _check_keys(entry, keys(section), self.at, f"a{'n' if kind[0] in 'aeiou' else ''} {kind}")
                self.check(section, entry, kind)
                iri = ID.term(f"{kind}/{self.scalar(entry, 'id')}")
                yield from getattr(self, kind)(iri, entry)
                yield from self.plain(iri, entry, section)

    # -- what the table of fields decides

    def check(self, section: str, entry: LocatedDict, what: str) -> None:
        """Choices among their options, required fields there, and the rules between fields."""
        for f in FIELDS[section]:
            if f.kind == "choice" and f.name in entry:
                self.choice(entry, f.name, f.choices)
        for f in FIELDS[section]:
            if f.required and f.name not in entry:
                hint = f" (one of {', '.join(f.choices)})" if f.choices else f": {f.help}" if f.help else ""
                raise self.fail(entry.line, f"missing {f.name!r}{hint}")
        for rule in RULES.get(section, ()):
            if (self.scalar(entry, rule.key) or field_of(section, rule.key).default) == rule.value:
                if not all(self.present(entry, name) for name in rule.requires):
                    raise self.fail(entry.line, rule.message.format(what=what))
                if rule.one_of and not any(self.present(entry, name) for name in rule.one_of):
                    raise self.fail(entry.line, rule.one_of_message.format(what=what))
            elif any(self.present(entry, name) for name in rule.only):
                raise self.fail(entry.line, (rule.only_message or rule.message).format(what=what))

    def present(self, entry: LocatedDict, key: str) -> bool:
        value = entry.get(key)
        return value is not None and not (isinstance(value, Located) and not value.value.strip())

    def plain(self, iri: str, entry: LocatedDict, section: str) -> Iterator[tuple[str, str, Any]]:
        """The fields that map one-to-one onto their RDF property."""
        for f in FIELDS[section]:
            if f.plain and (f.name in entry or f.default is not None):
                yield from self.value(iri, entry, f)

    def value(self, iri: str, entry: LocatedDict, f: Field) -> Iterator[tuple[str, str, Any]]:
        import rdflib

        assert f.rdf is not None
        if f.kind == "text":
            if text := self.scalar(entry, f.name, required=f.required):
                yield iri, f.rdf, rdflib.Literal(text, lang=f.lang)
        elif f.kind == "texts":
            for item in self.items(entry, f.name):
                yield iri, f.rdf, rdflib.Literal(item.value, lang=f.lang)
        elif f.kind in ("ref", "refs"):
            if f.kind == "ref":
                self.scalar(entry, f.name)  # one value, not a list
            for item in self.items(entry, f.name):
                yield iri, f.rdf, self.theme(item) if f.ref == "theme" else self.ref(f.ref or "", item)
        elif f.kind == "choice":
            option = self.choice(entry, f.name, f.choices, default=f.default)
            if option is not None:
                yield iri, f.rdf, option
        elif f.kind == "date":
            if raw := self.scalar(entry, f.name):
                yield iri, f.rdf, self.date_literal(raw, self.line_of(entry, f.name))
        elif f.kind == "decimal":
            raw = self.scalar(entry, f.name) or ""
            if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
                raise self.fail(self.line_of(entry, f.name), f"{f.name} {raw!r} is not a decimal number")
            yield iri, f.rdf, rdflib.Literal(canonical_decimal(raw), datatype=XSD.decimal)
        else:  # pragma: no cover - the table marks every other kind as not plain
            raise AssertionError(f"no plain reading of the kind {f.kind!r}")

    # -- sections: what the table cannot say

    def source(self, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        import rdflib

        lit = rdflib.Literal
        self.source_id = self.scalar(entry, "id", required=True) or ""
        language = self.scalar(entry, "language")
        if language is not None and not _LANGUAGE.fullmatch(language):
            raise self.fail(self.line_of(entry, "language"), f"{language!r} is not a language tag (BCP 47: en, en-GB)")
        if not _ID.match(self.source_id):
            raise self.fail(
                self.line_of(entry, "id"), f"source id {self.source_id!r} must be lower-case words joined by hyphens"
            )
        iri = self.source_iri = ID.term(f"source/{self.source_id}")
        author = self.scalar(entry, "author", required=True) or ""
        self.author = self.ref("actor", Located(author, self.line_of(entry, "author")))
        yield iri, RDF.type, DCTERMS.BibliographicResource
        yield iri, RDF.type, PROV.Entity
        yield (
            iri,
            DCTERMS.title,
            lit(self.scalar(entry, "title", required=True), lang=self.scalar(entry, "language") or "en"),
        )
        yield iri, DCTERMS.creator, self.author
        yield iri, CG.textFile, lit(self.scalar(entry, "text_file") or self.text_name)
        yield iri, CG.sha256, lit(hashlib.sha256(self.text.encode("utf-8")).hexdigest())
        yield iri, CG.characterCount, lit(len(self.text), datatype=XSD.integer)
        yield from self.plain(iri, entry, "source")

    def actor(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        yield iri, RDF.type, CG.Actor
        kind = self.choice(entry, "kind", {k: k for k in ACTOR_KINDS}, default="group")
        if ACTOR_KINDS[kind]:
            yield iri, RDF.type, ACTOR_KINDS[kind]
        for match in self.matches("actor", entry):
            yield iri, SKOS.exactMatch, match

    def place(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        yield iri, RDF.type, CG.Place
        for match in self.matches("place", entry):
            yield iri, SKOS.exactMatch, match

    def factor(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        yield iri, RDF.type, CG.Factor
        if self.choice(entry, "kind", FACTOR_KINDS, default="factor") == CG.PolicyOption:
            yield iri, RDF.type, CG.PolicyOption
        for match in self.matches("factor", entry):
            yield iri, SKOS.exactMatch, match

    def date_literal(self, raw: str, line: int) -> Any:
        """A year, a month or a day as its XSD literal; a date the calendar lacks is refused."""
        import rdflib

        if re.fullmatch(r"-?\d{4}", raw):
            return rdflib.Literal(raw, datatype=XSD.gYear)
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            if not 1 <= int(raw[5:]) <= 12:
                raise self.fail(line, f"{raw!r} is not a month (months run from 01 to 12)")
            return rdflib.Literal(raw, datatype=XSD.gYearMonth)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            try:
                datetime.date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
            except ValueError:
                raise self.fail(line, f"{raw!r} is not a day of the calendar") from None
            return rdflib.Literal(raw, datatype=XSD.date)
        raise self.fail(line, f"{raw!r} is not a year (2012), a month (2013-09) or a day (2013-09-24)")

    def claim(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        import rdflib

        yield iri, RDF.type, CG.Claim
        yield iri, RDF.type, self.choice(entry, "type", CLAIM_TYPES)
        yield from self.attribution(iri, entry)
        if "period" in entry and "inferred_period" in entry:
            raise self.fail(
                entry.line, "give 'period' (stated by the text) or 'inferred_period' (read from context), not both"
            )
        for key in ("period", "inferred_period"):
            if period := self.scalar(entry, key):
                line = self.line_of(entry, key)
                start, _, end = period.partition("/")
                first, last = self.date_literal(start, line), self.date_literal(end or start, line)
                if _date_key(start, earliest=True) > _date_key(end or start, earliest=False):
                    raise self.fail(line, f"the period {period} ends before it starts")
                yield iri, CG.periodStart, first
                yield iri, CG.periodEnd, last
                if key == "inferred_period":  # kept apart from what the text states
                    yield iri, CG.periodInferred, rdflib.Literal(True)
        yield from self.quotes(iri, entry)

    def relation(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        """An argument relation: premises, one conclusion, its signal words and its evidence."""
        ident = self.scalar(entry, "id") or ""
        rtype = self.choice(entry, "type", RELATION_TYPES)
        yield iri, RDF.type, CG.ArgumentRelation
        yield iri, RDF.type, rtype
        yield from self.attribution(iri, entry)
        self.scalar(entry, "conclusion", required=True)
        conclusion: Located = entry["conclusion"]
        if conclusion.value == ident:
            raise self.fail(conclusion.line, "a relation cannot conclude itself")
        if rtype == CG.Undercut and conclusion.value not in self.ids["relation"]:
            raise self.fail(
                conclusion.line,
                f"an undercut attacks a relation, and {conclusion.value!r} is not a relation id of this sheet",
            )
        kind = "relation" if conclusion.value in self.ids["relation"] else "claim"
        yield iri, CG.conclusion, self.ref(kind, conclusion)
        if any(p.value == conclusion.value for p in self.items(entry, "premises")):
            raise self.fail(conclusion.line, f"{conclusion.value!r} is both a premise and the conclusion")
        if signal := self.scalar(entry, "signal"):
            exacts = [_split_occurrence(q.value)[0] for q in self.items(entry, "quote")]
            if not any(signal in exact for exact in exacts):
                raise self.fail(
                    self.line_of(entry, "signal"), f"the signal {signal!r} does not stand inside the relation's quote"
                )
        yield from self.quotes(iri, entry)

    def attribution(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        """Stated or inferred, and who asserts it (claims and relations alike)."""
        explicitness = self.choice(entry, "explicitness", EXPLICITNESS, default="stated")
        yield iri, CG.explicitness, explicitness
        if explicitness == CG.Inferred:
            yield iri, CG.inferredBy, CURATOR
        # A link the curator reads into the text is the curator's claim, not the author's: by
        # default an inferred claim is asserted by the curators, and nobody "reports" it.
        asserter = self.scalar(entry, "asserted_by")
        default_asserter = CURATOR if explicitness == CG.Inferred else self.author
        asserter_iri = (
            self.ref("actor", Located(asserter, self.line_of(entry, "asserted_by"))) if asserter else default_asserter
        )
        yield iri, CG.assertedBy, asserter_iri
        if asserter_iri not in (self.author, CURATOR):
            yield iri, CG.reportedBy, self.author

    def quotes(self, iri: str, entry: LocatedDict) -> Iterator[tuple[str, str, Any]]:
        for n, quote in enumerate(self.items(entry, "quote"), start=1):
            yield from self.evidence(iri, n, quote)

    def evidence(self, claim: str, n: int, quote: Located) -> Iterator[tuple[str, str, Any]]:
        import rdflib

        lit = rdflib.Literal
        exact, occurrence = quote.value, 1
        exact, marked = _split_occurrence(exact)
        marker = marked is not None
        if marked is not None:
            if marked < 1:
                raise self.fail(
                    quote.line, f"'[occurrence {marked}]': occurrences count from 1 (the first is '[occurrence 1]')"
                )
            occurrence = marked
        matches = find_quote(self.text, exact)
        if not matches:
            passage = closest_passage(self.text, exact)
            nearest = f"closest passage: {passage[:120]!r}" if passage else "no passage shares a word with it"
            raise self.fail(
                quote.line, f"the quote is not in {self.text_name} to the letter: {exact[:80]!r}; {nearest}"
            )
        if len(matches) > 1 and not marker:
            raise self.fail(
                quote.line,
                f"the quote stands {len(matches)} times in {self.text_name}; "
                "lengthen it, or end it with ' [occurrence N]' to pick one",
            )
        if occurrence > len(matches):
            raise self.fail(quote.line, f"the quote stands only {len(matches)} times, not {occurrence}")
        match = matches[occurrence - 1]
        annotation = f"{claim}/evidence/{n}"
        target, text_quote, position = f"{annotation}/target", f"{annotation}/quote", f"{annotation}/position"
        yield claim, CG.evidence, annotation
        yield annotation, RDF.type, OA.Annotation
        yield annotation, OA.hasBody, claim
        yield annotation, OA.motivatedBy, OA.describing
        yield annotation, OA.hasTarget, target
        yield target, RDF.type, OA.SpecificResource
        yield target, OA.hasSource, self.source_iri
        yield target, OA.hasSelector, text_quote
        yield target, OA.hasSelector, position
        yield text_quote, RDF.type, OA.TextQuoteSelector
        yield text_quote, OA.exact, lit(exact)
        if match.prefix is not None:
            yield text_quote, OA.prefix, lit(match.prefix)
            yield text_quote, OA.suffix, lit(match.suffix)
        yield position, RDF.type, OA.TextPositionSelector
        yield position, OA.start, lit(match.start, datatype=XSD.nonNegativeInteger)
        yield position, OA.end, lit(match.end, datatype=XSD.nonNegativeInteger)
