"""Checking loaded graphs: SHACL shapes (pySHACL) and cocagraph's own checks.

The own checks cover what SHACL says badly or not at all: literals that do not fit their
datatype, references to nodes no loaded file describes, one claim described differently in two
files, and asserted claims whose quote holds a hedge word (a warning: the curator may be right).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .loading import Corpus, load, written_graphs
from .resources import ontology_dir
from .vocab import CG, DCTERMS, OA, SKOS

if TYPE_CHECKING:
    import rdflib

__all__ = ["Problem", "ValidationReport", "validate"]

VIOLATION = "violation"
WARNING = "warning"

#: Properties whose objects must be described somewhere in the loaded graphs.
_REFERENCES = (
    CG.cause,
    CG.effect,
    CG.about,
    CG.place,
    CG.actor,
    CG.theme,
    CG.assertedBy,
    CG.reportedBy,
    CG.inferredBy,
    CG.measuredBy,
    CG.quantity,
    CG.premise,
    CG.conclusion,
    CG.evidence,
    CG.unit,
    CG.certainty,
    CG.explicitness,
    CG.polarity,
    CG.stance,
    OA.hasTarget,
    OA.hasSource,
    OA.hasSelector,
    SKOS.broader,
    DCTERMS.isPartOf,
    DCTERMS.publisher,
    DCTERMS.creator,
)
_HEDGE_WORDS = re.compile(
    r"\b(appears?|appeared|seems?|seemed|probably|possibly|perhaps|suggests?|suggested|may|might|likely)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """One finding: how bad, in which file, about which node, and what to do."""

    severity: str
    file: str | None
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.file or '(no file)'}: {self.severity}: {self.node}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """All problems found; the graphs conform when none is a violation.

    ``notes`` says what could not be checked (one line each), such as triples SHACL never saw
    because rdflib has no terms for RDF 1.2 triple terms.
    """

    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    @property
    def conforms(self) -> bool:
        return not any(p.severity == VIOLATION for p in self.problems)

    @property
    def violations(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == VIOLATION)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)


def validate(corpus: Corpus, shapes: str | Path | None = None) -> ValidationReport:
    """Validate the loaded graphs against the SHACL shapes and cocagraph's own checks.

    SHACL and the own checks see what the loader parsed, as written (no file is read a second
    time by another parser); the shapes are read through the same loader, and their SPARQL
    constraints pass the same safety check as any query (no SERVICE: nothing is fetched).
    """
    import rdflib

    written = written_graphs(corpus)
    shapes_path = Path(shapes) if shapes else ontology_dir() / "shapes.ttl"
    shapes_graph = _shapes(shapes_path)
    data = rdflib.Graph()
    files: dict[rdflib.term.Node, str] = {}
    per_file: list[tuple[str, rdflib.Graph]] = []
    for loaded, graph in written.graphs:
        if loaded.path.resolve() == shapes_path.resolve():
            continue  # the shapes are not data to be validated
        per_file.append((str(loaded.path), graph))
        for triple in graph:
            data.add(triple)
            files.setdefault(triple[0], str(loaded.path))
    problems = [
        *_shacl(data, shapes_graph, files, shapes_path),
        *_ill_typed_literals(data, files),
        *_dangling_references(data, files),
        *_conflicting_descriptions(per_file),
        *_unmarked_hedges(data, files),
    ]
    notes = tuple(
        f"{name}: {n} triple(s) with RDF 1.2 triple terms or directional language tags were not "
        "checked by SHACL (its rdflib terms cannot hold them); the loader read them"
        for name, n in sorted(written.left_out.items())
        if Path(name).resolve() != shapes_path.resolve()
    )
    unique = sorted(set(problems), key=lambda p: (p.severity != VIOLATION, p.file or "", p.node, p.message))
    return ValidationReport(tuple(unique), notes)


_SH = "http://www.w3.org/ns/shacl#"


def _shapes(path: Path) -> rdflib.Graph:
    """The shapes graph, read by the one loader; SPARQL in it is checked like any query."""
    from .sparql import check_query

    ((_, graph),) = written_graphs(load([path], as_written=True, cache=False)).graphs
    import rdflib

    for prop in ("select", "ask", "construct", "update"):
        for node, text in graph.subject_objects(rdflib.URIRef(_SH + prop)):
            check_query(str(text), where=f"{path} (sh:{prop} of {_node_name(node)})")
    return graph


def _shacl(data: rdflib.Graph, shapes: rdflib.Graph, files: dict, shapes_path: Path) -> list[Problem]:
    import rdflib
    from pyshacl import validate as shacl_validate

    sh = rdflib.Namespace(_SH)
    _conforms, results, text = shacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True
    )
    if not isinstance(results, rdflib.Graph):
        # pySHACL returns a failure instead of a report when the shapes themselves are wrong.
        first = " ".join(str(text).split())[:300]
        raise InputError(f"{shapes_path}: the shapes cannot be used: {first}")
    problems = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        severity = results.value(result, sh.resultSeverity)
        value = results.value(result, sh.value)
        text = str(message) if message else "does not conform to its shape"
        if path is not None and isinstance(path, rdflib.URIRef):
            text = f"{_qname(path)}: {text}"
        if value is not None and not isinstance(value, rdflib.BNode):
            text += f" (value: {value.n3() if isinstance(value, rdflib.URIRef) else repr(str(value))})"
        problems.append(
            Problem(
                WARNING if severity in (sh.Warning, sh.Info) else VIOLATION,
                files.get(focus),
                _node_name(focus),
                text,
            )
        )
    return problems


def _ill_typed_literals(data: rdflib.Graph, files: dict) -> list[Problem]:
    import rdflib

    problems = []
    for s, p, o in data:
        if isinstance(o, rdflib.Literal) and o.ill_typed:
            problems.append(
                Problem(
                    VIOLATION,
                    files.get(s),
                    _node_name(s),
                    f"{_qname(p)}: {str(o)!r} is not a valid {_qname(o.datatype)}",
                )
            )
    return problems


def _dangling_references(data: rdflib.Graph, files: dict) -> list[Problem]:
    import rdflib

    described = set(data.subjects())
    problems = []
    for prop in _REFERENCES:
        for s, o in data.subject_objects(rdflib.URIRef(prop)):
            if isinstance(o, rdflib.URIRef) and o not in described and not _is_vocabulary(o):
                problems.append(
                    Problem(
                        VIOLATION,
                        files.get(s),
                        _node_name(s),
                        f"{_qname(prop)} points at {_node_name(o)}, which no loaded file describes",
                    )
                )
    return problems


def _conflicting_descriptions(per_file: list[tuple[str, rdflib.Graph]]) -> list[Problem]:
    import rdflib

    by_claim: dict[rdflib.term.Node, dict[str, frozenset]] = defaultdict(dict)
    for name, graph in per_file:
        for claim in set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(CG.Claim))):
            by_claim[claim][name] = frozenset(graph.predicate_objects(claim))
    problems = []
    for claim, descriptions in by_claim.items():
        if len(set(descriptions.values())) > 1:
            names = sorted(descriptions)
            problems.append(
                Problem(
                    VIOLATION,
                    names[0],
                    _node_name(claim),
                    f"the same claim is described differently in {', '.join(names)}",
                )
            )
    return problems


def _unmarked_hedges(data: rdflib.Graph, files: dict) -> list[Problem]:
    import rdflib

    problems = []
    for claim in data.subjects(rdflib.URIRef(CG.certainty), rdflib.URIRef(CG.Asserted)):
        # A relation's quote spans its premises and conclusion: a hedge word that one of them
        # carries as its own cg:hedge is that claim's ("Washington appears to cast a blind eye"
        # hedges the premise, not the support drawn from it).
        carried = " ".join(
            str(hedge).lower()
            for link in (CG.premise, CG.conclusion)
            for part in data.objects(claim, rdflib.URIRef(link))
            for hedge in data.objects(part, rdflib.URIRef(CG.hedge))
        )
        for annotation in data.objects(claim, rdflib.URIRef(CG.evidence)):
            for target in data.objects(annotation, rdflib.URIRef(OA.hasTarget)):
                for selector in data.objects(target, rdflib.URIRef(OA.hasSelector)):
                    exact = data.value(selector, rdflib.URIRef(OA.exact))
                    words = _HEDGE_WORDS.finditer(str(exact)) if exact is not None else iter(())
                    match = next((m for m in words if not re.search(rf"\b{m.group(0).lower()}\b", carried)), None)
                    if match:
                        problems.append(
                            Problem(
                                WARNING,
                                files.get(claim),
                                _node_name(claim),
                                f"asserted, but its quote holds the hedge word {match.group(0)!r}; "
                                "check whether it governs this claim",
                            )
                        )
    return problems


def _is_vocabulary(iri: rdflib.URIRef) -> bool:
    return not str(iri).startswith("https://w3id.org/cocagraph/id/")


def _node_name(node: object) -> str:
    text = str(node)
    prefix = "https://w3id.org/cocagraph/id/"
    if text.startswith(prefix):
        return text[len(prefix) :]
    return text if not text.startswith("N") or len(text) < 30 else f"_:{text}"


def _qname(iri: object) -> str:
    text = str(iri)
    for prefix, base in (
        ("cg", str(CG)),
        ("oa", str(OA)),
        ("skos", str(SKOS)),
        ("dcterms", str(DCTERMS)),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("prov", "http://www.w3.org/ns/prov#"),
    ):
        if text.startswith(base):
            return f"{prefix}:{text[len(base) :]}"
    return f"<{text}>"
