"""IRIs of the vocabularies cocagraph uses, as plain strings.

Strings rather than rdflib terms so that the quick commands (paths, sparql) need not import
rdflib; `rdflib.URIRef(CG.Claim)` makes a term where one is needed.
"""

from __future__ import annotations

__all__ = ["CG", "DCTERMS", "ID", "OA", "PREFIXES", "PROV", "RDF", "RDFS", "SKOS", "XSD", "sparql_prefixes"]


class Namespace:
    """A namespace whose attributes are the IRIs of its terms; unknown terms raise.

    Not a ``str`` subclass on purpose: ``DCTERMS.title`` must be an IRI, not ``str.title``.

    >>> CG.Claim
    'https://w3id.org/cocagraph/ns#Claim'
    >>> DCTERMS.title
    'http://purl.org/dc/terms/title'
    >>> CG.Clam
    Traceback (most recent call last):
    ...
    AttributeError: 'Clam' is not a term of https://w3id.org/cocagraph/ns#
    """

    def __init__(self, base: str, terms: str = "") -> None:
        self._base = base
        self._terms = frozenset(terms.split())

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Namespace({self._base!r})"

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or (self._terms and name not in self._terms):
            raise AttributeError(f"{name!r} is not a term of {self._base}")
        return self._base + name

    def term(self, name: str) -> str:
        """The IRI of ``name`` (for names that are not Python identifiers)."""
        return self._base + name


CG = Namespace(
    "https://w3id.org/cocagraph/ns#",
    """Claim CausalClaim StatisticalClaim EventClaim DescriptiveClaim EvaluationClaim
    RecommendationClaim Factor PolicyOption Actor Place Certainty Explicitness Polarity Stance
    Unit Asserted Hedged Stated Inferred Increases Decreases InFavour Against PercentChange
    evidence assertedBy reportedBy certainty hedge explicitness inferenceReason inferredBy theme
    place actor about stance periodStart periodEnd periodInferred timeAsStated curatorNote cause effect polarity
    quantity value unit valueQualifier measuredBy sha256 textFile
    characterCount datelineAsPrinted inferredDate dateInferenceReason articleLines themes
    ArgumentRelation Support Rebuttal Undercut Concession Qualification Elaboration premise conclusion
    signal""",
)
#: Where cocagraph's own resources (claims, factors, actors, sources) live.
ID = Namespace("https://w3id.org/cocagraph/id/")
OA = Namespace(
    "http://www.w3.org/ns/oa#",
    """Annotation SpecificResource TextQuoteSelector TextPositionSelector hasBody hasTarget
    hasSource hasSelector exact prefix suffix start end motivatedBy describing""",
)
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")

PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "id": str(ID),
    "oa": str(OA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
}


def sparql_prefixes() -> str:
    """The PREFIX lines every bundled query may rely on."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
