"""A deterministic, seeded generator of cocagraph-shaped corpora for benchmarks.

The corpus has the article graph's shape (reified causal and statistical claims with Web
Annotation evidence, factors with labels, themes and places) at any size, written as N-Triples.
It is synthetic: its quotes are placeholder text, not any real document.

    python benchmarks/corpus.py --factors 12500 --claims 125000 -o /tmp/corpus.nt
    python benchmarks/corpus.py --triples 1000000 -o /tmp/corpus-1m.nt

From Python: ``write_corpus(path, factors=..., claims=..., seed=...)`` returns the triple count.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import TextIO

CG = "https://w3id.org/cocagraph/ns#"
ID = "https://w3id.org/cocagraph/id/"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
THEMES = (
    "production",
    "displacement",
    "violence",
    "politics",
    "justice",
    "shining-path",
    "drug-policy",
    "bolivian-alternative",
    "growers",
)
PLACES = 50
#: Triples per causal claim with evidence (the generator's own count; see _claim).
TRIPLES_PER_CLAIM = 22
WORDS = (
    "coca",
    "cocaine",
    "violence",
    "money",
    "politics",
    "justice",
    "police",
    "funding",
    "pressure",
    "control",
    "trade",
    "route",
    "market",
    "protest",
    "rights",
    "regulation",
    "eradication",
)


def sizes_for_triples(triples: int) -> tuple[int, int]:
    """Factors and claims that make about ``triples`` triples (ten claims per factor)."""
    claims = max(1, triples // (TRIPLES_PER_CLAIM + 1))
    return max(2, claims // 10), claims


def write_corpus(path: str | Path, *, factors: int, claims: int, seed: int = 42, evidence: bool = True) -> int:
    """Write the corpus to ``path`` (N-Triples); return the number of triples written."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        n = _header(out)
        for i in range(factors):
            n += _factor(out, i, rng)
        for j in range(claims):
            n += _claim(out, j, factors, rng, evidence)
    return n


def _t(out: TextIO, s: str, p: str, o: str) -> int:
    out.write(f"<{s}> <{p}> {o} .\n")
    return 1


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _header(out: TextIO) -> int:
    source = ID + "source/synthetic"
    n = _t(out, source, RDF_TYPE, _iri(DCTERMS + "BibliographicResource"))
    n += _t(out, source, DCTERMS + "title", _lit("Synthetic benchmark corpus", lang="en"))
    n += _t(out, ID + "actor/synthetic-author", RDF_TYPE, _iri(CG + "Actor"))
    n += _t(out, ID + "actor/synthetic-author", SKOS + "prefLabel", _lit("synthetic author", lang="en"))
    for i in range(PLACES):
        n += _t(out, f"{ID}place/p{i}", RDF_TYPE, _iri(CG + "Place"))
        n += _t(out, f"{ID}place/p{i}", SKOS + "prefLabel", _lit(f"place {i}", lang="en"))
    return n


def _factor(out: TextIO, i: int, rng: random.Random) -> int:
    iri = f"{ID}factor/f{i}"
    label = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
    n = _t(out, iri, RDF_TYPE, _iri(CG + "Factor"))
    n += _t(out, iri, SKOS + "prefLabel", _lit(label, lang="en"))
    n += _t(out, iri, CG + "theme", _iri(f"{ID}theme/{rng.choice(THEMES)}"))
    n += _t(out, iri, CG + "place", _iri(f"{ID}place/p{rng.randrange(PLACES)}"))
    return n


def _claim(out: TextIO, j: int, factors: int, rng: random.Random, evidence: bool) -> int:
    iri = f"{ID}claim/c{j}"
    cause = rng.randrange(factors)
    # Mostly local links (chains and short loops, as arguments have), some long-range ones.
    effect = (cause + rng.randint(1, 20)) % factors if rng.random() < 0.8 else rng.randrange(factors)
    if effect == cause:
        effect = (cause + 1) % factors
    hedged = rng.random() < 0.15
    n = _t(out, iri, RDF_TYPE, _iri(CG + "Claim"))
    n += _t(out, iri, RDF_TYPE, _iri(CG + "CausalClaim"))
    n += _t(out, iri, RDFS_LABEL, _lit(f"claim {j}: f{cause} moves f{effect}", lang="en"))
    n += _t(out, iri, CG + "cause", _iri(f"{ID}factor/f{cause}"))
    n += _t(out, iri, CG + "effect", _iri(f"{ID}factor/f{effect}"))
    n += _t(out, iri, CG + "polarity", _iri(CG + ("Decreases" if rng.random() < 0.3 else "Increases")))
    n += _t(out, iri, CG + "certainty", _iri(CG + ("Hedged" if hedged else "Asserted")))
    if hedged:
        n += _t(out, iri, CG + "hedge", _lit(rng.choice(("appear to", "probably", "suggests"))))
    n += _t(out, iri, CG + "explicitness", _iri(CG + ("Inferred" if rng.random() < 0.25 else "Stated")))
    n += _t(out, iri, CG + "assertedBy", _iri(ID + "actor/synthetic-author"))
    n += _t(out, iri, CG + "theme", _iri(f"{ID}theme/{rng.choice(THEMES)}"))
    if not evidence:
        return n
    ann, target = f"{iri}/evidence/1", f"{iri}/evidence/1/target"
    quote, position = f"{ann}/quote", f"{ann}/position"
    start = j * 80
    text = " ".join(rng.choice(WORDS) for _ in range(8))
    n += _t(out, iri, CG + "evidence", _iri(ann))
    n += _t(out, ann, RDF_TYPE, _iri(OA + "Annotation"))
    n += _t(out, ann, OA + "hasBody", _iri(iri))
    n += _t(out, ann, OA + "hasTarget", _iri(target))
    n += _t(out, target, OA + "hasSource", _iri(ID + "source/synthetic"))
    n += _t(out, target, OA + "hasSelector", _iri(quote))
    n += _t(out, target, OA + "hasSelector", _iri(position))
    n += _t(out, quote, RDF_TYPE, _iri(OA + "TextQuoteSelector"))
    n += _t(out, quote, OA + "exact", _lit(text))
    n += _t(out, position, RDF_TYPE, _iri(OA + "TextPositionSelector"))
    n += _t(out, position, OA + "start", _lit(str(start), XSD + "nonNegativeInteger"))
    n += _t(out, position, OA + "end", _lit(str(start + len(text)), XSD + "nonNegativeInteger"))
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", required=True, type=Path)
    parser.add_argument("--factors", type=int)
    parser.add_argument("--claims", type=int)
    parser.add_argument("--triples", type=int, help="aim for about this many triples instead")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-evidence", action="store_true", help="causal claims without annotations")
    args = parser.parse_args()
    if args.triples:
        factors, claims = sizes_for_triples(args.triples)
    else:
        factors, claims = args.factors or 1250, args.claims or 12500
    n = write_corpus(args.output, factors=factors, claims=claims, seed=args.seed, evidence=not args.no_evidence)
    print(f"{args.output}: {n} triples, {factors} factors, {claims} causal claims")


if __name__ == "__main__":
    main()
