"""Reading RDF files into the store: the one loading path every command goes through.

pyoxigraph parses (ten times rdflib's speed, a third of its memory, no recursion on deep
nesting) into an in-memory ``pyoxigraph.Store``; each file becomes its own named graph. Before
parsing, each file is checked for what cocagraph never does: read anything but a regular file
(:mod:`cocagraph.inputs`), read past a size limit, decode anything but UTF-8, expand XML
entities, fetch a JSON-LD ``@context``. After parsing, every term of every quad the parser
yielded (datatypes, graph names and triple terms included) is checked: IRIs with schemes other
than http(s), urn, mailto and tag (``file:``, ``javascript:``) are refused.
Relative IRIs are refused too: no base IRI is ever given, so no path of this machine can
become an IRI of the data.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import EncodingError, InputError, InputTooLargeError, ParseError, UnsafeInputError
from .inputs import check_regular, read_input
from .resources import default_graph_paths

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GRAPH_BASE",
    "RDF_SUFFIXES",
    "Corpus",
    "LoadedFile",
    "WrittenGraphs",
    "load",
    "rdf_files",
    "to_rdflib",
    "written_graphs",
]

#: Per-file size limit; raise it with ``--max-bytes`` or the COCAGRAPH_MAX_BYTES variable.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: Files from this size on are announced to the ``progress`` callback of :func:`load`.
PROGRESS_MIN_BYTES = 1024 * 1024
#: Deepest chain of nested blank nodes accepted (``[ [ [ ...``).
MAX_NESTING = 64
#: Each file's named graph is this base plus the file's stem.
GRAPH_BASE = "https://w3id.org/cocagraph/graph/"

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}
_SAFE_SCHEMES = r"^(https?|urn|mailto|tag):"
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class LoadedFile:
    """One file that was loaded: where from, into which named graph, and what it held.

    ``quads`` holds what the parser yielded, as written, when :func:`load` was asked to keep it
    (``as_written=True``): the store keeps values, not spellings (``01`` and ``1`` are one
    integer there, ``1.0`` and ``"1"^^xsd:decimal`` one decimal), so checks of the document
    itself (validation) read these; ``triples`` then counts them, as the document does.
    """

    path: Path
    graph: str
    sha256: str
    triples: int
    quads: tuple[ox.Quad, ...] | None = None


@dataclass(frozen=True)
class Corpus:
    """The loaded graphs: a pyoxigraph store (one named graph per file) and what went in."""

    store: ox.Store
    files: tuple[LoadedFile, ...]

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)

    def file_of_graph(self, graph: str) -> Path | None:
        """The file a named graph was read from."""
        return next((f.path for f in self.files if f.graph == graph), None)


def _format_of(path: Path) -> ox.RdfFormat:
    return RDF_SUFFIXES[path.suffix.lower()]


def rdf_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders searched for RDF suffixes.

    Files inside folders are taken in sorted order so that loading is deterministic.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False  # check_regular below names what is wrong (missing, a loop of links)
        if is_dir:
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES and not p.is_dir())
            if not inside:
                known = ", ".join(RDF_SUFFIXES)
                raise InputError(f"{path}: no RDF files in this folder (file names end in one of {known})")
            for p in inside:
                check_regular(p)  # a pipe or device named x.ttl is refused, not read
            found.extend(inside)
        else:
            check_regular(path, "file or folder")
            if path.suffix.lower() not in RDF_SUFFIXES:
                known = ", ".join(RDF_SUFFIXES)
                raise InputError(f"{path}: unknown RDF format (file names end in one of {known})")
            found.append(path)
    return found


def load(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    max_bytes: int | None = None,
    cache: bool | None = None,
    progress: Callable[[str], None] | None = None,
    as_written: bool = False,
    base: str | None = None,
) -> Corpus:
    """Load RDF files (or folders of them) into a store.

    With no ``paths``, the shipped ontology and graphs. Any error leaves nothing behind: the
    store is only returned once every file has loaded. Inputs of a few megabytes and more are
    kept in an on-disk cache (:mod:`cocagraph.cache`); ``cache`` forces it on or off.
    ``progress`` is told what is being read, for a status line on a terminal. ``as_written``
    keeps each file's parsed quads, spelled as written, on its :class:`LoadedFile` (for
    validation; it bypasses the cache and is meant for graphs of article size). ``base`` is an
    http(s) IRI against which relative IRIs are resolved (by default there is none, and relative
    IRIs are refused, so that no path of this machine can become an IRI of the data).
    """
    if base is not None and not re.match(r"^https?://", base, re.IGNORECASE):
        raise InputError(f"the base IRI {base!r} is refused: give an http or https IRI")
    limit = max_bytes if max_bytes is not None else _max_bytes_from_env()
    files = rdf_files(paths if paths else default_graph_paths())
    from .cache import should_cache

    if not as_written and base is None and should_cache(files, cache):
        return _load_cached(files, limit, progress)
    store = ox.Store()
    return Corpus(store, tuple(_fill(store, files, limit, progress, keep=as_written, base=base)))


def _fill(
    store: ox.Store,
    files: Sequence[Path],
    limit: int,
    progress: Callable[[str], None] | None,
    *,
    from_path: bool = False,
    keep: bool = False,
    base: str | None = None,
) -> list[LoadedFile]:
    """Check and parse each file into ``store``.

    ``from_path`` (used when building the on-disk cache) lets Oxigraph read a large file
    itself once its bytes have been checked and released, which keeps the peak memory of a
    million-triple load under a gigabyte; the file's hash is checked again afterwards.
    """
    loaded: list[LoadedFile] = []
    used_graphs: set[str] = set()
    for path in files:
        graph = _graph_name(path, used_graphs)
        size = path.stat().st_size
        if progress and size >= PROGRESS_MIN_BYTES:
            progress(f"reading {path.name} ({size / 1e6:.1f} MB)")
        data = _read_checked(path, limit)
        digest = hashlib.sha256(data).hexdigest()
        may_nest = _may_nest(path, data)
        graphs = {graph}  # and the named graphs a dataset file (TriG, N-Quads, JSON-LD) adds
        kept: list[ox.Quad] | None = [] if keep else None
        if from_path and not data.startswith(b"\xef\xbb\xbf") and _format_of(path) not in _QUAD_FORMATS:
            del data
            from .cache import sha256_file

            triples = _parse_into(store, path, path, graph, graphs)
            if sha256_file(path) != digest:
                raise InputError(f"{path}: changed while cocagraph was reading it; run again")
        else:
            triples = _parse_into(store, path, data, graph, graphs, kept, base)
            del data  # a large file's bytes need not outlive its parse
        _check_iris(store, path, graphs)
        if may_nest:
            _check_nesting(store, path, graph)
        if kept is not None:
            quads = tuple(dict.fromkeys(kept))  # a set, as RDF has it, in the document's order
            loaded.append(LoadedFile(path, graph, digest, len(quads), quads))
        else:
            loaded.append(LoadedFile(path, graph, digest, triples))
    return loaded


def _load_cached(files: Sequence[Path], limit: int, progress: Callable[[str], None] | None) -> Corpus:
    from importlib.metadata import version

    from . import cache

    for path in files:  # the size limit holds whether or not the cache is warm
        if path.stat().st_size > limit:
            read_input(path, limit)

    def fill(store: ox.Store) -> dict:
        loaded = _fill(store, files, limit, progress, from_path=True)
        return {
            "files": [{"path": str(f.path), "graph": f.graph, "sha256": f.sha256, "triples": f.triples} for f in loaded]
        }

    try:
        key = cache.entry_key(files, cache.content_hashes(files), version("cocagraph"))
        opened = cache.open_entry(key, len(files)) or cache.build_entry(key, fill, len(files))
    except cache.CacheUnusable as exc:
        # The cache saves time, never answers: parse as if it were off, and say why once.
        logging.getLogger("cocagraph").warning("%s; working without the cache", exc)
        store = ox.Store()
        return Corpus(store, tuple(_fill(store, files, limit, progress)))
    store, manifest = opened
    records = manifest["files"]
    return Corpus(
        store,
        tuple(LoadedFile(path, r["graph"], r["sha256"], r["triples"]) for path, r in zip(files, records, strict=True)),
    )


@dataclass(frozen=True)
class WrittenGraphs:
    """Each loaded file's triples as rdflib terms, spelled as written, and what rdflib cannot hold.

    ``left_out`` counts, per file, the triples rdflib 7 has no terms for (RDF 1.2 triple terms
    and directional language tags); tools built on rdflib (pySHACL) never see them.
    """

    graphs: tuple[tuple[LoadedFile, rdflib.Graph], ...]
    left_out: dict[str, int]


def written_graphs(corpus: Corpus) -> WrittenGraphs:
    """The files' triples as parsed, as rdflib graphs (one per file), with no second reading.

    A corpus loaded with ``as_written=True`` carries its quads; one loaded otherwise (from the
    cache, or narrowed to a source) is loaded again through :func:`load`, keeping the quads, and
    must have the same content (a file changed since is an error).
    """
    import rdflib

    files = corpus.files
    if any(f.quads is None for f in files):
        again = (
            load(
                [f.path for f in files],
                max_bytes=max(DEFAULT_MAX_BYTES, *(f.path.stat().st_size for f in files)),
                as_written=True,
            )
            if files
            else corpus
        )
        for before, after in zip(files, again.files, strict=True):
            if before.sha256 != after.sha256:
                raise InputError(f"{before.path}: changed while cocagraph was reading it; run again")
        files = again.files
    # rdflib logs a traceback for every literal that does not fit its datatype; validation
    # reports those itself, by node and file, so the log would only be noise on stderr.
    term_log = logging.getLogger("rdflib.term")
    was_disabled, term_log.disabled = term_log.disabled, True
    graphs, left_out = [], {}
    try:
        for loaded in files:
            graph = rdflib.Graph(identifier=rdflib.URIRef(loaded.graph))
            missing = 0
            for quad in loaded.quads or ():
                triple = (_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object))
                if None in triple:
                    missing += 1
                else:
                    graph.add(triple)  # type: ignore[arg-type]
            graphs.append((loaded, graph))
            if missing:
                left_out[str(loaded.path)] = missing
    finally:
        term_log.disabled = was_disabled
    return WrittenGraphs(tuple(graphs), left_out)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: object) -> rdflib.term.Node | None:
    """The rdflib term for a parsed one, spelling kept; None when rdflib has no such term."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None) is not None:
            return None  # RDF 1.2 directional language tags
        try:
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            if term.datatype.value == _XSD_STRING:
                return rdflib.Literal(term.value)  # as rdflib's own parsers give a plain string
            return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        except ValueError:
            return None
    return None  # RDF 1.2 triple terms


def to_rdflib(corpus: Corpus) -> rdflib.Dataset:
    """The loaded files as an rdflib Dataset (same named graphs), terms exactly as written.

    Built from what the loader parsed (:func:`written_graphs`), never from a second reading by
    rdflib's own parsers. Meant for graphs of article size: a million triples take rdflib over a
    gigabyte.
    """
    import rdflib

    dataset = rdflib.Dataset()
    for loaded, graph in written_graphs(corpus).graphs:
        target = dataset.graph(rdflib.URIRef(loaded.graph))
        for triple in graph:
            target.add(triple)
    return dataset


def _max_bytes_from_env() -> int:
    raw = os.environ.get("COCAGRAPH_MAX_BYTES")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return int(raw)
    except ValueError as exc:
        raise InputError(f"COCAGRAPH_MAX_BYTES={raw!r} is not a number of bytes") from exc


def _graph_name(path: Path, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.name.split(".")[0]) or "graph"
    name, n = GRAPH_BASE + stem, 1
    while name in used:
        n += 1
        name = f"{GRAPH_BASE}{stem}-{n}"
    used.add(name)
    return name


def _read_checked(path: Path, limit: int) -> bytes:
    data = read_input(path, limit)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingError(
            f"{path}:{line}: not UTF-8 (byte {exc.start} is 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc
    fmt = _format_of(path)
    if fmt == ox.RdfFormat.RDF_XML:
        match = _XML_DECLARATIONS.search(data)
        if match:
            line = data.count(b"\n", 0, match.start()) + 1
            raise UnsafeInputError(
                f"{path}:{line}: RDF/XML with a DOCTYPE or ENTITY declaration is refused "
                "(entity expansion can exhaust memory)"
            )
    elif fmt == ox.RdfFormat.JSON_LD:
        _check_json_ld(path, text)
    return data


def _check_json_ld(path: Path, text: str) -> None:
    try:
        # Numbers are kept as text: only the structure is checked here, and Python's int() refuses
        # numbers of over 4,300 digits, which JSON allows (the RDF parser reads them itself).
        document = json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError as exc:
        raise UnsafeInputError(f"{path}: nesting too deep for JSON-LD") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, f"invalid JSON: {exc.msg}") from exc
    # Walk without recursion: the document may be deep. JSON-LD parsers recurse over it later
    # (rdflib's does), so depth is bounded here, and relative @ids are refused: with no base IRI
    # they would be dropped without a word.
    has_base = '"@base"' in text
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > 2 * MAX_NESTING:
            raise UnsafeInputError(f"{path}: nesting too deep for JSON-LD (over {2 * MAX_NESTING} levels)")
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_remote_context(value):
                    raise UnsafeInputError(
                        f"{path}: JSON-LD {key} refers to another document ({_first_ref(value)}); "
                        "cocagraph never fetches or opens contexts: inline the context"
                    )
                if key == "@id" and isinstance(value, str) and ":" not in value and not has_base:
                    raise UnsafeInputError(
                        f"{path}: JSON-LD @id {value!r} is a relative IRI and the document has no @base; "
                        "use absolute IRIs"
                    )
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


def _names_remote_context(value: object) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(isinstance(v, str) for v in value)
    return False


def _first_ref(value: object) -> str:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str)), "?")
    return str(value)


def _parse_into(
    store: ox.Store,
    path: Path,
    data: bytes | Path,
    graph: str,
    graphs: set[str],
    kept: list[ox.Quad] | None = None,
    base: str | None = None,
) -> int:
    """Parse one file into ``store``; ``kept``, when given, receives every quad as parsed."""
    fmt = _format_of(path)
    target = ox.NamedNode(graph)
    before = len(store)
    try:
        if fmt in _QUAD_FORMATS or kept is not None:
            # Triples in the default graph of a dataset file go to the file's own graph; blank
            # nodes are renamed so that "_:x" in two files stays two nodes.
            raw = data if isinstance(data, bytes) else data.read_bytes()
            parsed = ox.parse(raw, fmt, base_iri=base, rename_blank_nodes=True)
            quads = (_own_quad(q, target, path, graphs) for q in parsed)
            if kept is not None:
                kept.extend(quads)
                store.extend(kept)
            else:
                store.extend(quads)
        else:
            if isinstance(data, Path):
                store.bulk_load(path=str(data), format=fmt, to_graph=target)
            else:
                store.bulk_load(data, fmt, base_iri=base, to_graph=target)
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else _error_line(path, data, fmt, base)
        message = re.sub(
            r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ", "", exc.msg or str(exc)
        )
        message = re.sub(r" \(line \d+\)$", "", message)
        raise ParseError(path, line, message) from exc
    except RecursionError as exc:
        raise UnsafeInputError(f"{path}: nesting too deep") from exc
    except MemoryError as exc:
        # Oxigraph's parser holds one term at a time in a buffer of at most 16 MiB.
        raise InputTooLargeError(
            f"{path}: a single literal or IRI is over 16 MiB, more than the RDF parser can hold ({exc})"
        ) from exc
    except ValueError as exc:
        raise ParseError(path, None, str(exc)) from exc
    return len(store) - before


class _Trickle(io.RawIOBase):
    """Bytes handed to a parser a few at a time, so that where it stopped tells where it failed."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self.data[self.at : self.at + min(self.step, len(buffer))]
        buffer[: len(chunk)] = chunk
        self.at += len(chunk)
        return len(chunk)


def _error_line(path: Path, data: bytes | Path, fmt: ox.RdfFormat, base: str | None) -> int | None:
    """The line of a syntax error the parser gave no line for (its RDF/XML errors name none).

    Only on the error path: the file is parsed again from a reader that hands over a byte at a
    time (a few bytes at a time for large files, so this stays well under a few seconds), and the
    line is the one holding the last byte the parser took before it failed.
    """
    try:
        raw = data if isinstance(data, bytes) else data.read_bytes()
    except OSError:
        return None
    reader = _Trickle(raw, max(1, len(raw) // 2_000_000))
    try:
        for _ in ox.parse(reader, fmt, base_iri=base):
            pass
    except SyntaxError:
        return raw.count(NEWLINE, 0, max(reader.at - 1, 0)) + 1
    except Exception:  # any other failure: no line to give, the message stands
        return None
    return None


def _own_quad(quad: ox.Quad, target: ox.NamedNode, path: Path, graphs: set[str]) -> ox.Quad:
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return ox.Quad(quad.subject, quad.predicate, quad.object, target)
    if isinstance(quad.graph_name, ox.NamedNode):
        name = quad.graph_name.value
        if name not in graphs:
            if name.startswith(GRAPH_BASE):
                # Those names are cocagraph's, one per file: a file may not write into another's graph.
                raise UnsafeInputError(
                    f"{path}: the named graph <{name}> is reserved for the files cocagraph loads; "
                    "use a graph name of your own"
                )
            if not _SAFE_IRI.match(name):
                raise UnsafeInputError(f"{path}: the graph name <{name}> is refused ({_SAFE_NOTE})")
            graphs.add(name)
    return quad


# Only these IRI schemes enter the data: no path of this machine (file:) and nothing a browser
# would run (javascript:) can become an IRI of the graph.
_SAFE_IRI = re.compile(_SAFE_SCHEMES, re.IGNORECASE)
_SAFE_NOTE = "only http, https, urn, mailto and tag IRIs are accepted"
NEWLINE = b"\n"
_TEXT_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS}


def _check_iris(store: ox.Store, path: Path, graphs: set[str]) -> None:
    """Refuse IRIs with schemes other than http(s), urn, mailto and tag in what the parser yielded.

    Every term of every quad the file put in the store is looked at, in the store (the engine
    filters at its own speed): subjects, predicates, objects, literal datatypes, graph names
    (checked as the quads go in, by :func:`_own_quad`) and, inside triple terms, each of their
    terms however deep. Escapes, comments and syntax cannot hide a scheme from this check,
    because it looks at the parsed terms, not at the bytes.
    """
    unsafe = f'!REGEX(STR(?t), "{_SAFE_SCHEMES}", "i")'
    for graph in sorted(graphs):
        query = f"""
            SELECT ?s ?p ?o WHERE {{
              GRAPH <{graph}> {{ ?s ?p ?o }}
              FILTER(isTRIPLE(?s) || isTRIPLE(?o)
                  || (isIRI(?s) && {unsafe.replace("?t", "?s")})
                  || {unsafe.replace("?t", "?p")}
                  || (isIRI(?o) && {unsafe.replace("?t", "?o")})
                  || (isLiteral(?o) && {unsafe.replace("?t", "DATATYPE(?o)")}))
            }}"""
        for row in store.query(query):  # type: ignore[union-attr]
            triple = ox.Triple(row["s"], row["p"], row["o"])
            bad = _unsafe_iri(triple)
            if bad is not None:
                where = _line_of(path, bad)
                raise UnsafeInputError(f"{where}: the IRI <{bad}> is refused ({_SAFE_NOTE}) in the triple {triple} .")


def _line_of(path: Path, text: str) -> str:
    """``file:line`` of the first place ``text`` is written as it is, else just the file (an
    escaped or abbreviated IRI cannot be found by its spelling; the message names the triple)."""
    try:
        data = path.read_bytes()
    except OSError:
        return str(path)
    at = data.find(text.encode("utf-8"))
    return f"{path}:{data.count(NEWLINE, 0, at) + 1}" if at >= 0 else str(path)


def _unsafe_iri(triple: ox.Triple) -> str | None:
    """The first IRI of ``triple`` (triple terms searched without recursion) with a refused scheme."""
    stack: list[object] = [triple]
    while stack:
        term = stack.pop()
        if isinstance(term, ox.Triple):
            stack.extend((term.subject, term.predicate, term.object))
        elif isinstance(term, ox.NamedNode) and not _SAFE_IRI.match(term.value):
            return term.value
        elif isinstance(term, ox.Literal) and not _SAFE_IRI.match(term.datatype.value):
            return term.datatype.value
    return None


def _may_nest(path: Path, data: bytes) -> bool:
    """Whether the bytes hold any blank-node syntax at all (if not, nothing can nest)."""
    return _format_of(path) not in _TEXT_FORMATS or any(m in data for m in (b"[", b"(", b"_:"))


def _check_nesting(store: ox.Store, path: Path, graph: str) -> None:
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} FILTER(isBlank(?s) && isBlank(?o)) }}"
    children: dict[str, list[str]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        children.setdefault(row["s"].value, []).append(row["o"].value)
    if not children:
        return
    depth: dict[str, int] = {}
    for root in children:
        # Iterative depth-first search with memo; a node on the current stack counts as 0 so
        # that blank-node cycles terminate.
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path: set[str] = set()
        while stack:
            node, i = stack.pop()
            if node in depth:
                continue
            kids = children.get(node, [])
            if i == 0:
                on_path.add(node)
            if i < len(kids):
                stack.append((node, i + 1))
                kid = kids[i]
                if kid not in depth and kid not in on_path:
                    stack.append((kid, 0))
            else:
                depth[node] = 1 + max((depth.get(k, 0) for k in kids), default=0)
                on_path.discard(node)
                if depth[node] > MAX_NESTING:
                    raise UnsafeInputError(f"{path}: nesting too deep (blank nodes nested over {MAX_NESTING} levels)")
