"""From a graph back to its claim sheet: the inverse of :mod:`cocagraph.sheets`.

``compile(sheet(graph))`` gives back a graph isomorphic to ``graph``. Every triple of the graph
must be one the compiler writes: the writer accounts for each, and refuses a graph holding any
it cannot express (hand-written extras, blank nodes, a literal in another language) by naming
the triple, rather than dropping it silently. What the compiler derives (the source's hash,
selectors and offsets, who reports an attributed claim, the curators' actor) is checked and left
out of the sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, SheetError
from .sheet_fields import (
    ACTOR_KINDS,
    CLAIM_TYPES,
    EXPLICITNESS,
    FIELDS,
    ID_LIST_FIELDS,
    RELATION_TYPES,
    RULES,
    SECTIONS,
    field_of,
)
from .sheets import CURATOR, find_quote
from .vocab import CG, DCTERMS, ID, OA, PROV, RDF, SKOS, XSD

if TYPE_CHECKING:
    import rdflib

__all__ = ["SheetText", "graph_to_sheet", "sheet_from_file", "sheet_to_yaml"]

_KINDS = ("actor", "place", "factor", "claim")
_CLASS_OF_KIND = {
    "actor": CG.Actor,
    "place": CG.Place,
    "factor": CG.Factor,
    "claim": CG.Claim,
    "relation": CG.ArgumentRelation,
}
_DATE_TYPES = (XSD.gYear, XSD.gYearMonth, XSD.date)


@dataclass(frozen=True)
class SheetText:
    """A sheet written out: its text, its format (yaml or csv) and the source id it describes."""

    text: str
    format: str
    source_id: str


def sheet_from_file(graph_path: str | Path, fmt: str = "yaml", text_path: str | Path | None = None) -> SheetText:
    """Write the claim sheet of a compiled graph file (YAML or CSV).

    ``text_path`` (the source text) is needed only when a quote stands several times in it (the
    sheet then says which occurrence); when given, the sheet is also compiled back against it
    and must give a graph isomorphic to the file, or nothing is returned.
    """
    import rdflib

    from .loading import load, to_rdflib

    path = Path(graph_path)
    corpus = load([path])  # the loader's safety checks, then rdflib for the terms as written
    if len(corpus.files) != 1:
        raise InputError(f"{path}: give one graph file, not a folder")
    dataset = to_rdflib(corpus)
    graph = rdflib.Graph()
    for triple in dataset.graph(rdflib.URIRef(corpus.files[0].graph)):
        graph.add(triple)
    text = _read_text(text_path) if text_path is not None else None
    sheet = graph_to_sheet(graph, text, str(path))
    if fmt == "csv":
        from .sheet_csv import sheet_to_csv

        output = sheet_to_csv(sheet)
    elif fmt == "yaml":
        output = sheet_to_yaml(sheet, f"Written by `cocagraph sheet` from {path.name}.")
    else:
        raise InputError(f"unknown sheet format {fmt!r}; yaml or csv")
    if text is not None and text_path is not None:
        _check_round_trip(graph, output, fmt, text_path, path)
    return SheetText(output, fmt, sheet["source"]["id"])


def sheet_to_yaml(sheet: dict[str, Any], comment: str = "") -> str:
    """A plain sheet as YAML, one section after another; every scalar re-reads as the same string.

    >>> print(sheet_to_yaml({"factors": [{"id": "rain", "label": "no", "alt": ["007"]}]}), end="")
    factors:
      - id: rain
        label: 'no'
        alt:
          - '007'
    """
    import yaml

    parts = [f"# {line}\n" for line in comment.splitlines()]
    if parts:
        parts.append("\n")
    for section in SECTIONS:
        if sheet.get(section):
            dumped = yaml.dump(
                {section: _flow_ids(sheet[section])},
                Dumper=_dumper(),
                sort_keys=False,
                allow_unicode=True,
                width=100,
                default_flow_style=False,
            )
            parts.append(dumped + "\n")
    return "".join(parts).rstrip("\n") + "\n"


class _FlowList(list):  # type: ignore[type-arg]
    """A list of ids, written on one line: ``places: [peru, bolivia]``."""


def _flow_ids(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _flow_ids(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in ID_LIST_FIELDS and all(isinstance(v, str) for v in value):
            return _FlowList(value)
        return [_flow_ids(v) for v in value]
    return value


def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        # Indent list items under their key, as people write YAML by hand.
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        # PyYAML writes NEL and the Unicode line and paragraph separators raw in single-quoted and
        # plain scalars, where its reader folds them; double quotes escape them (as N, L and P).
        style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(
        _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
    )
    return Dumper


def graph_to_sheet(graph: rdflib.Graph, text: str | None = None, name: str = "the graph") -> dict[str, Any]:
    """The plain sheet (sections of dicts of strings and lists) a compiled graph came from."""
    reader = _Reader(graph, name)
    sheet: dict[str, Any] = {}
    source_iri, source = _source(reader)
    sheet["source"] = source
    author = ID.term(f"actor/{source['author']}")
    reader.take_all(CURATOR, RDF.type, [CG.Actor, PROV.Organization])
    reader.take_label(CURATOR, SKOS.prefLabel, "cocagraph curators")
    for kind, section in (("actor", "actors"), ("place", "places"), ("factor", "factors")):
        entries = [_ENTITY_READERS[kind](reader, iri) for iri in reader.instances(kind) if iri != CURATOR]
        if entries:
            sheet[section] = entries
    claims = [_claim(reader, iri, author, source_iri, text) for iri in reader.instances("claim")]
    if claims:
        claims.sort(key=lambda c: (c.pop("_start"), c["id"]))
        sheet["claims"] = claims
    relations = [_relation(reader, iri, author, source_iri, text) for iri in reader.instances("relation")]
    if relations:
        relations.sort(key=lambda r: (r.pop("_start"), r["id"]))
        sheet["relations"] = relations
    uses = reader.uses()
    if uses:
        sheet = {"source": sheet["source"], "uses": uses, **{k: v for k, v in sheet.items() if k != "source"}}
    reader.check_all_taken()
    return sheet


# ---------------------------------------------------------------- reading the graph


class _Reader:
    """The graph, the triples not yet accounted for, and the ids it refers to."""

    def __init__(self, graph: rdflib.Graph, name: str) -> None:
        import rdflib

        self.rdflib = rdflib
        self.graph = graph
        self.name = name
        self.left = set(graph)
        self.referenced: dict[str, set[str]] = {k: set() for k in _CLASS_OF_KIND}
        for s, _, _ in graph:
            if isinstance(s, rdflib.BNode):
                raise SheetError(f"{name}: blank nodes cannot be written as a sheet (a compiled graph has none)")

    def fail(self, node: object, message: str) -> SheetError:
        return SheetError(f"{self.name}: {node}: {message}")

    def objects(self, s: str, p: str) -> list[Any]:
        ref = self.rdflib.URIRef
        found = sorted(self.graph.objects(ref(s), ref(p)), key=lambda node: node.n3())
        for o in found:
            self.left.discard((ref(s), ref(p), o))
        return found

    def one(self, s: str, p: str) -> Any:
        found = self.objects(s, p)
        if len(found) > 1:
            raise self.fail(s, f"has {len(found)} values of {p}; a sheet holds one")
        return found[0] if found else None

    def take_all(self, s: str, p: str, objects: Iterable[str]) -> None:
        ref = self.rdflib.URIRef
        for o in objects:
            self.left.discard((ref(s), ref(p), ref(o)))

    def take_label(self, s: str, p: str, value: str, lang: str = "en") -> None:
        self.left.discard((self.rdflib.URIRef(s), self.rdflib.URIRef(p), self.rdflib.Literal(value, lang=lang)))

    def text(self, s: str, p: str, *, lang: str | None = None, datatype: str | None = None) -> str | None:
        value = self.one(s, p)
        return None if value is None else self.literal(s, p, value, lang=lang, datatype=datatype)

    def texts(self, s: str, p: str, *, lang: str | None = "en") -> list[str]:
        return sorted(self.literal(s, p, v, lang=lang) for v in self.objects(s, p))

    def literal(self, s: str, p: str, value: Any, *, lang: str | None = None, datatype: str | None = None) -> str:
        if not isinstance(value, self.rdflib.Literal):
            raise self.fail(s, f"{p} is {value}, where a sheet holds text")
        got_type = str(value.datatype) if value.datatype else None
        if value.language != lang or (got_type or None) != datatype:
            want = f"@{lang}" if lang else f"^^{datatype}" if datatype else "a plain string"
            raise self.fail(s, f"{p} is {value.n3()}; a sheet writes {want}")
        return str(value)

    def ids(self, s: str, p: str, kind: str) -> list[str]:
        return [self.id_of(s, o, kind) for o in self.objects(s, p)]

    def id_of(self, s: str, o: Any, kind: str) -> str:
        base = ID.term(f"{kind}/")
        value = str(o)
        if not isinstance(o, self.rdflib.URIRef) or not value.startswith(base) or "/" in value[len(base) :]:
            raise self.fail(s, f"refers to {o}, which is not a cocagraph {kind} IRI ({base}...)")
        self.referenced[kind].add(value[len(base) :])
        return value[len(base) :]

    def choice(self, s: str, p: str, options: dict[str, str], default: str | None = None) -> str | None:
        value = self.one(s, p)
        if value is None:
            return None
        for name, iri in options.items():
            if str(value) == iri:
                return None if name == default else name
        raise self.fail(s, f"{p} is {value}, which a sheet cannot say")

    def instances(self, kind: str) -> list[str]:
        ref = self.rdflib.URIRef
        found = sorted(
            str(s) for s in self.graph.subjects(ref(RDF.type), ref(_CLASS_OF_KIND[kind])) if str(s) != CURATOR
        )
        for iri in found:
            self.left.discard((ref(iri), ref(RDF.type), ref(_CLASS_OF_KIND[kind])))
        return found + ([CURATOR] if kind == "actor" and (ref(CURATOR), None, None) in self.graph else [])

    def uses(self) -> dict[str, list[str]]:
        described = {kind: {self.tail(i, kind) for i in self.instances(kind)} for kind in _KINDS}
        described["actor"].add("cocagraph-curators")
        found = {f"{kind}s": sorted(self.referenced[kind] - described[kind]) for kind in _KINDS}
        return {k: v for k, v in found.items() if v}

    @staticmethod
    def tail(iri: str, kind: str) -> str:
        return iri[len(ID.term(f"{kind}/")) :]

    def check_all_taken(self) -> None:
        if self.left:
            first = sorted(self.left)[:3]
            shown = "; ".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in first)
            more = f" (and {len(self.left) - 3} more)" if len(self.left) > 3 else ""
            raise SheetError(f"{self.name}: a sheet cannot express these triples: {shown}{more}")


def _source(reader: _Reader) -> tuple[str, dict[str, str]]:
    ref = reader.rdflib.URIRef
    sources = sorted(str(s) for s in reader.graph.subjects(ref(RDF.type), ref(DCTERMS.BibliographicResource)))
    if len(sources) != 1:
        raise SheetError(f"{reader.name}: holds {len(sources)} sources; a sheet describes exactly one")
    iri = sources[0]
    base = ID.term("source/")
    if not iri.startswith(base):
        raise reader.fail(iri, f"a sheet's source has an IRI {base}ID")
    reader.take_all(iri, RDF.type, [DCTERMS.BibliographicResource, PROV.Entity])
    entry: dict[str, Any] = {"id": iri[len(base) :]}
    _plain(reader, iri, "source", entry)
    entry["title"] = reader.text(iri, DCTERMS.title, lang=entry.get("language") or "en") or ""
    if not entry["title"]:
        raise reader.fail(iri, "the source has no dcterms:title")
    creator = reader.one(iri, DCTERMS.creator)
    if creator is None:
        raise reader.fail(iri, "the source has no dcterms:creator (the sheet's author)")
    entry["author"] = reader.id_of(iri, creator, "actor")
    entry["text_file"] = reader.text(iri, CG.textFile) or ""
    # Derived from the text at compile time: checked against it then, not kept in the sheet.
    reader.objects(iri, CG.sha256)
    reader.objects(iri, CG.characterCount)
    return iri, {k: v for k, v in _ordered(entry, "source").items() if v}


def _date(reader: _Reader, s: str, p: str, value: Any) -> str:
    if not isinstance(value, reader.rdflib.Literal) or str(value.datatype) not in _DATE_TYPES:
        raise reader.fail(s, f"{p} is {value}; a sheet writes a year, a month or a day")
    return str(value)


def _plain(reader: _Reader, iri: str, section: str, entry: dict[str, Any]) -> None:
    """The fields that map one-to-one onto their RDF property, read as the table says."""
    for f in FIELDS[section]:
        if not f.plain:
            continue
        assert f.rdf is not None
        value: Any = None
        if f.kind == "text":
            value = reader.text(iri, f.rdf, lang=f.lang)
        elif f.kind == "texts":
            value = reader.texts(iri, f.rdf, lang=f.lang)
        elif f.kind == "ref":
            if (found := reader.one(iri, f.rdf)) is not None:
                value = reader.id_of(iri, found, f.ref or "")
        elif f.kind == "refs":
            value = _themes(reader, iri) if f.ref == "theme" else reader.ids(iri, f.rdf, f.ref or "")
        elif f.kind == "choice":
            value = reader.choice(iri, f.rdf, f.choices, default=f.default)
        elif f.kind == "date":
            if (found := reader.one(iri, f.rdf)) is not None:
                value = _date(reader, iri, f.rdf, found)
        elif f.kind == "decimal":
            value = reader.text(iri, f.rdf, datatype=XSD.decimal)
        if value:
            entry[f.name] = value
        elif f.required:
            raise reader.fail(iri, f"has no {f.rdf}{' in English' if f.lang == 'en' else ''} (the sheet's {f.name!r})")


def _ordered(entry: dict[str, Any], section: str) -> dict[str, Any]:
    """The entry's fields in the table's order (the sort key ``_start`` kept last)."""
    ordered = {f.name: entry[f.name] for f in FIELDS[section] if f.name in entry}
    if "_start" in entry:
        ordered["_start"] = entry["_start"]
    return ordered


def _check_rules(reader: _Reader, iri: str, section: str, entry: dict[str, Any], what: str) -> None:
    """The rules of the table, on what was read: a graph that breaks them has no sheet."""
    for rule in RULES.get(section, ()):
        value = entry.get(rule.key) or field_of(section, rule.key).default
        if value == rule.value:
            if not all(entry.get(name) for name in rule.requires) or (
                rule.one_of and not any(entry.get(name) for name in rule.one_of)
            ):
                raise reader.fail(iri, (rule.message or rule.one_of_message).format(what=what))
        elif any(entry.get(name) for name in rule.only):
            raise reader.fail(iri, (rule.only_message or rule.message).format(what=what))


def _matches(reader: _Reader, iri: str, kind: str, entry: dict[str, Any]) -> None:
    found = []
    for o in reader.objects(iri, SKOS.exactMatch):
        found.append(reader.id_of(iri, o, kind) if str(o).startswith(ID.term(f"{kind}/")) else str(o))
    if found:
        entry["exact_match"] = found


def _actor(reader: _Reader, iri: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": reader.tail(iri, "actor")}
    kinds = [name for name, cls in ACTOR_KINDS.items() if cls and (reader.rdflib.URIRef(cls) in _types(reader, iri))]
    if len(kinds) > 1:
        raise reader.fail(iri, "is both a person and an organization")
    if kinds:
        entry["kind"] = kinds[0]
        reader.take_all(iri, RDF.type, [ACTOR_KINDS[kinds[0]] or ""])
    _plain(reader, iri, "actors", entry)
    _matches(reader, iri, "actor", entry)
    return _ordered(entry, "actors")


def _place(reader: _Reader, iri: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": reader.tail(iri, "place")}
    _plain(reader, iri, "places", entry)
    _matches(reader, iri, "place", entry)
    return _ordered(entry, "places")


def _factor(reader: _Reader, iri: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": reader.tail(iri, "factor")}
    if reader.rdflib.URIRef(CG.PolicyOption) in _types(reader, iri):
        entry["kind"] = "policy"
        reader.take_all(iri, RDF.type, [CG.PolicyOption])
    _plain(reader, iri, "factors", entry)
    _matches(reader, iri, "factor", entry)
    return _ordered(entry, "factors")


_ENTITY_READERS = {"actor": _actor, "place": _place, "factor": _factor}


def _types(reader: _Reader, iri: str) -> set[Any]:
    ref = reader.rdflib.URIRef
    return set(reader.graph.objects(ref(iri), ref(RDF.type)))


def _themes(reader: _Reader, iri: str) -> list[str]:
    base = ID.term("theme/")
    themes = []
    for o in reader.objects(iri, CG.theme):
        if not str(o).startswith(base):
            raise reader.fail(iri, f"has the theme {o}, which is not a cocagraph theme IRI")
        themes.append(str(o)[len(base) :])
    return themes


def _one_type(reader: _Reader, iri: str, options: dict[str, str], what: str) -> str:
    ref = reader.rdflib.URIRef
    types = [name for name, cls in options.items() if ref(cls) in _types(reader, iri)]
    if len(types) != 1:
        raise reader.fail(iri, f"has {len(types)} {what} types; a sheet gives one")
    reader.take_all(iri, RDF.type, [options[types[0]]])
    return types[0]


def _claim(reader: _Reader, iri: str, author: str, source: str, text: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": reader.tail(iri, "claim"), "type": _one_type(reader, iri, CLAIM_TYPES, "claim")}
    _attribution(reader, iri, author, entry)
    start, end = reader.one(iri, CG.periodStart), reader.one(iri, CG.periodEnd)
    if start is not None or end is not None:
        if start is None or end is None:
            raise reader.fail(iri, "has a period with only one end")
        first, last = _date(reader, iri, CG.periodStart, start), _date(reader, iri, CG.periodEnd, end)
        inferred = reader.one(iri, CG.periodInferred)
        key = "inferred_period" if inferred is not None and str(inferred) == "true" else "period"
        entry[key] = first if first == last else f"{first}/{last}"
    _plain(reader, iri, "claims", entry)
    _check_rules(reader, iri, "claims", entry, "claim")
    _quotes(reader, iri, source, text, entry)
    return _ordered(entry, "claims")


def _attribution(reader: _Reader, iri: str, author: str, entry: dict[str, Any]) -> None:
    """Explicitness and asserter, as the compiler defaults them (claims and relations)."""
    explicitness = reader.choice(iri, CG.explicitness, EXPLICITNESS, default="stated")
    if explicitness:
        entry["explicitness"] = explicitness
        reader.take_all(iri, CG.inferredBy, [CURATOR])
    asserter = reader.one(iri, CG.assertedBy)
    default_asserter = CURATOR if explicitness == "inferred" else author  # as the compiler defaults it
    if asserter is not None and str(asserter) != default_asserter:
        entry["asserted_by"] = reader.id_of(iri, asserter, "actor")
    if asserter is not None and str(asserter) not in (author, CURATOR):
        reader.take_all(iri, CG.reportedBy, [author])


def _quotes(reader: _Reader, iri: str, source: str, text: str | None, entry: dict[str, Any]) -> None:
    quotes, starts = _evidence(reader, iri, source, text)
    entry["quote"] = quotes[0] if len(quotes) == 1 else quotes
    entry["_start"] = min(starts) if starts else 0


def _relation(reader: _Reader, iri: str, author: str, source: str, text: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": reader.tail(iri, "relation"),
        "type": _one_type(reader, iri, RELATION_TYPES, "relation"),
    }
    conclusion = reader.one(iri, CG.conclusion)
    if conclusion is None:
        raise reader.fail(iri, "has no cg:conclusion")
    kind = "relation" if str(conclusion).startswith(ID.term("relation/")) else "claim"
    entry["conclusion"] = reader.id_of(iri, conclusion, kind)
    _attribution(reader, iri, author, entry)
    _plain(reader, iri, "relations", entry)
    _check_rules(reader, iri, "relations", entry, "relation")
    _quotes(reader, iri, source, text, entry)
    return _ordered(entry, "relations")


def _evidence(reader: _Reader, claim: str, source: str, text: str | None) -> tuple[list[str], list[int]]:
    annotations = reader.objects(claim, CG.evidence)
    numbered = []
    for annotation in annotations:
        tail = str(annotation)[len(claim) :]
        if not tail.startswith("/evidence/") or not tail[len("/evidence/") :].isdigit():
            raise reader.fail(claim, f"has the evidence {annotation}, not named {claim}/evidence/N")
        numbered.append((int(tail[len("/evidence/") :]), str(annotation)))
    numbered.sort()
    if [n for n, _ in numbered] != list(range(1, len(numbered) + 1)):
        raise reader.fail(claim, "its evidence is not numbered 1, 2, 3 ... as the compiler numbers it")
    if not numbered:
        raise reader.fail(claim, "has no evidence; every claim in a sheet rests on a quote")
    quotes, starts = [], []
    for _, annotation in numbered:
        target, quote, position = f"{annotation}/target", f"{annotation}/quote", f"{annotation}/position"
        reader.take_all(annotation, RDF.type, [OA.Annotation])
        reader.take_all(annotation, OA.hasBody, [claim])
        reader.take_all(annotation, OA.motivatedBy, [OA.describing])
        reader.take_all(annotation, OA.hasTarget, [target])
        reader.take_all(target, RDF.type, [OA.SpecificResource])
        reader.take_all(target, OA.hasSource, [source])
        reader.take_all(target, OA.hasSelector, [quote, position])
        reader.take_all(quote, RDF.type, [OA.TextQuoteSelector])
        reader.take_all(position, RDF.type, [OA.TextPositionSelector])
        exact = reader.text(quote, OA.exact)
        if exact is None:
            raise reader.fail(quote, "has no oa:exact")
        prefix, suffix = reader.text(quote, OA.prefix), reader.text(quote, OA.suffix)
        start = reader.text(position, OA.start, datatype=XSD.nonNegativeInteger)
        end = reader.text(position, OA.end, datatype=XSD.nonNegativeInteger)
        if start is None or end is None:
            raise reader.fail(position, "has no oa:start and oa:end")
        starts.append(int(start))
        if prefix is None and suffix is None:
            quotes.append(exact)
            continue
        if text is None:
            raise reader.fail(
                quote,
                "the quote stands more than once in its text; give the text (--source TEXT) so that the sheet "
                "can say which occurrence",
            )
        matches = [m.start for m in find_quote(text, exact)]
        if int(start) not in matches:
            raise reader.fail(quote, f"the text does not hold the quote at offset {start}")
        quotes.append(f"{exact} [occurrence {matches.index(int(start)) + 1}]")
    return quotes, starts


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from exc


def _check_round_trip(graph: rdflib.Graph, output: str, fmt: str, text_path: str | Path, name: Path) -> None:
    import tempfile

    from rdflib.compare import isomorphic

    from .sheets import compile_sheet

    with tempfile.TemporaryDirectory() as folder:
        sheet_path = Path(folder) / f"{name.stem}.sheet.{fmt}"
        sheet_path.write_text(output, encoding="utf-8")
        compiled = compile_sheet(sheet_path, text_path)
    if not isomorphic(compiled, graph):
        raise SheetError(f"{name}: the sheet written from it does not compile back to the same graph (a bug)")
