"""The argument map: claims as nodes, the argument relations between them, and which claims stand.

Each relation (:func:`cocagraph.argument.relations`) is a small node of its own, as in AIF:
arrows run from its premises into it and from it to its conclusion (a claim, or another
relation for an undercut). Support and attack are drawn apart, never by colour alone: a
support (and an elaboration) is blue and ends in an arrowhead, an attack (rebuttal, undercut)
vermillion and ends in a bar (⊣), a concession is dashed, a qualification grey and dotted; the
relation's node says its type in words. Each claim shows its standing
(:func:`cocagraph.argument.standing`, grounded semantics) in words under its label, and by its
border: solid when in, dashed when out, dotted when undecided. A click shows the evidence:
the claim's or the relation's quote, signal words, certainty and asserter.

It is drawn by the same page as every map (:mod:`cocagraph.render.page`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..encoding import DECREASE_COLOUR, INCREASE_COLOUR
from .context import Context
from .layout import box_size, layout
from .maps import FONT, MapData, _options, _other_claim, drawn_label
from .routes import untangle

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = ["RELATION_LOOKS", "build_argument_map"]

TITLE = "The argument's structure"
#: relation type -> (word on its node, colour, arrow end, dashes)
RELATION_LOOKS: dict[str, tuple[str, str, str, Any]] = {
    "support": ("supports", DECREASE_COLOUR, "arrow", False),
    "elaboration": ("elaborates", DECREASE_COLOUR, "arrow", [2, 5]),
    "rebuttal": ("rebuts", INCREASE_COLOUR, "bar", False),
    "undercut": ("undercuts", INCREASE_COLOUR, "bar", False),
    "concession": ("concedes", INCREASE_COLOUR, "bar", [14, 9]),
    "qualification": ("qualifies", "#555555", "arrow", [3, 6]),
}
#: standing -> (fill, border dashes)
STANDING_LOOKS: dict[str, tuple[str, Any]] = {
    "in": ("#ffffff", False),
    "out": ("#e4e4e4", [8, 5]),
    "undecided": ("#fff4d6", [2, 4]),
}


def build_argument_map(corpus: Corpus, context: Context) -> MapData:
    """The argument map of ``corpus`` (with the claims' evidence from ``context``)."""
    from pyvis.network import Network

    from ..argument import relations, standing

    found = relations(corpus)
    labels = standing(corpus)
    claim_ids = sorted({c for r in found for c in (*r.premises, r.conclusion) if c in context.claims})
    relation_ids = [r.iri for r in sorted(found, key=lambda r: r.iri)]
    texts = {c: f"{drawn_label(context.claims[c].label)}\n[{labels.get(c, 'in')}]" for c in claim_ids}
    # A relation's own standing is written when it does not stand (an undercut relation is out).
    texts |= {r.iri: _relation_text(r.type, str(labels.get(r.iri, "in"))) for r in found}
    # Borders are 2 pixels wide here, and relations' boxes rounded: a little more room than a factor's.
    sizes = {n: _padded(box_size(t, FONT if n in context.claims else 12, 170, "box")) for n, t in texts.items()}
    links = [(p, r.iri) for r in found for p in r.premises] + [(r.iri, r.conclusion) for r in found]
    positions = layout([*claim_ids, *relation_ids], links, sizes=sizes)
    # The arrows drawn below, in their order: from each relation's premises into it, from it to its conclusion.
    ends = [
        end
        for r in sorted(found, key=lambda r: r.iri)
        for end in (
            *((p, r.iri) for p in r.premises if p in claim_ids),
            *([(r.iri, r.conclusion)] if r.conclusion in claim_ids or r.conclusion in relation_ids else []),
        )
    ]
    positions, routes = untangle(positions, sizes, ends)

    net = Network(directed=True, height="100%", width="100%")
    info: dict[str, dict[str, Any]] = {}
    claims: dict[str, dict[str, Any]] = {}
    arrows: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    for claim in claim_ids:
        label = str(labels.get(claim, "in"))
        fill, dashes = STANDING_LOOKS.get(label, STANDING_LOOKS["in"])
        x, y = positions[claim]
        net.add_node(
            claim,
            label=texts[claim],
            shape="box",
            x=x,
            y=y,
            color={"background": fill, "border": "#1d1d1f", "highlight": {"background": fill, "border": "#000000"}},
            borderWidth=2,
            shapeProperties={"borderDashes": dashes},
            title=drawn_label(context.claims[claim].label, 300),
            widthConstraint={"maximum": 170},
            font={"size": FONT},
        )
        info[claim] = _info("claim", context.claims[claim].label, [claim])
        claims[claim] = {**_other_claim(context, claim), "standing": label}
    for rel in sorted(found, key=lambda r: r.iri):
        word, colour, head, dashes = RELATION_LOOKS.get(rel.type, (rel.type, "#555555", "arrow", False))
        x, y = positions[rel.iri]
        net.add_node(
            rel.iri,
            label=texts[rel.iri],
            shape="box",
            x=x,
            y=y,
            color={"background": "#ffffff", "border": colour, "highlight": {"background": "#ffffff", "border": "#000"}},
            borderWidth=2,
            shapeProperties={"borderRadius": 12},
            title=drawn_label(rel.label or f"{rel.type}", 300),
            font={"size": 12, "color": "#1d1d1f"},
        )
        info[rel.iri] = _info("relation", rel.label or word, [rel.iri])
        claims[rel.iri] = {
            "label": rel.label or word,
            "type": f"{rel.type} relation",
            "certainty": rel.certainty,
            "hedge": rel.hedge,
            "explicitness": rel.explicitness,
            "reason": rel.reason,
            "asserted_by": rel.asserted_by,
            "quotes": [e.quote for e in rel.evidence],
            "source": None,
            "source_title": None,
            "signal": rel.signal,
            "standing": str(labels.get(rel.iri, "in")),
            "themes": [],
        }
        edge = {"color": {"color": colour, "opacity": 1.0}, "width": 2.5, "dashes": dashes}
        for premise in rel.premises:
            if premise in claim_ids:
                arrows.append((premise, rel.iri, {"to": {"enabled": False}}, edge))
        if rel.conclusion in claim_ids or rel.conclusion in relation_ids:
            arrows.append((rel.iri, rel.conclusion, {"to": {"enabled": True, "type": head}}, edge))
    drawn = [r.smooth() for r in routes]
    for (start, end, heads, look), smooth in zip(arrows, drawn, strict=True):  # an undercut ends at a relation
        extra = {"smooth": smooth} if smooth["enabled"] else {}
        net.add_edge(start, end, id=f"{start} {end}", arrows=heads, **look, **extra)

    rows = []
    for rel in sorted(found, key=lambda r: r.iri):
        word = RELATION_LOOKS.get(rel.type, (rel.type,))[0]
        end = (
            context.claims[rel.conclusion].label
            if rel.conclusion in context.claims
            else "a relation: " + (next((r.label or r.type for r in found if r.iri == rel.conclusion), rel.conclusion))
        )
        facts = [rel.type, rel.certainty, "inferred by the curator" if rel.explicitness == "inferred" else "stated"]
        if rel.signal:
            facts.append(f"signal words \u201c{rel.signal}\u201d")
        if rel.asserted_by:
            facts.append(f"asserted by {rel.asserted_by}")
        rows.append(
            {
                "premises": [context.claims[p].label for p in rel.premises if p in context.claims],
                "verb": word,
                "conclusion": end,
                "facts": "; ".join(facts),
                "quotes": [e.quote for e in rel.evidence],
            }
        )
    nodes, edges, *_ = net.get_network_data()
    counts = {str(v) for v in labels.values()}
    description = (
        f"{len(claim_ids)} claims joined by {len(found)} argument relations; standing (grounded): "
        + ", ".join(
            f"{sum(1 for c in claim_ids if str(labels.get(c, 'in')) == s)} {s}"
            for s in ("in", "out", "undecided")
            if s in counts
        )
        + "."
    )
    payload = {
        "title": TITLE,
        "description": description,
        "kind": "argument",
        "nodes": nodes,
        "edges": edges,
        "options": _options(len(nodes) > 400),
        "info": info,
        "links": {},
        "claims": claims,
        "themes": [],
        "changes": False,
        "counts": {"nodes": len(nodes), "edges": len(edges), "factors": 0, "claims": 0},
        "argument_rows": rows,
    }
    return MapData(
        title=TITLE,
        description=description,
        payload=payload,
        claim_rows=(),
        chain_rows=(),
        node_count=len(nodes),
        edge_count=len(edges),
    )


def _padded(size: tuple[int, int]) -> tuple[int, int]:
    return size[0] + 8, size[1] + 8


def _relation_text(kind: str, standing: str) -> str:
    word = RELATION_LOOKS.get(kind, (kind,))[0]
    return word if standing == "in" else f"{word}\n[{standing}]"


def _info(kind: str, label: str, claims: list[str]) -> dict[str, Any]:
    return {"kind": kind, "label": label, "alt": [], "themes": [], "places": [], "actors": [], "change": None,
            "claims": claims}  # fmt: skip
