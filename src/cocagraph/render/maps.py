"""A map: the selected part of the causal projection as a pyvis network, with the evidence.

pyvis builds the network (nodes, edges, their looks); cocagraph's own page draws it (see
:mod:`cocagraph.render.page`). Everything the page shows travels as plain data: labels, claims,
quotes and sources are never HTML here, and the page writes them with ``textContent``.

Looks, by kind: factors are blue boxes, policy options amber diamonds, actors green ellipses,
places purple triangles. Causal edges are red when the cause increases the effect and blue when
it decreases it; hedged claims are dashed and thinner. Actors and places hang off the factors
that involve them by thin grey dotted lines without arrows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .context import Context
from .layout import LARGE, layout
from .views import Selection, whole

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KINDS", "MapData", "build_map"]

#: kind -> (legend text, vis shape, fill, border)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "factor": ("factor", "box", "#dbe8fb", "#2b5fb3"),
    "policy": ("policy option", "diamond", "#f8d878", "#9a6b00"),
    "actor": ("actor", "ellipse", "#d5f0df", "#1f7a4d"),
    "place": ("place", "triangle", "#eadcf7", "#6b3fa0"),
}
POLARITY_COLOURS = {1: "#c0392b", -1: "#1f5fa8"}
CONTEXT_COLOUR = "#9aa0a6"


@dataclass(frozen=True)
class MapData:
    """Everything a page needs: the vis data (``payload``) and the text the page lists."""

    title: str
    description: str
    payload: dict[str, Any]
    #: the claims drawn, for the plain-text list: (claim IRI, cause label, effect label)
    claim_rows: tuple[tuple[str, str, str], ...]
    #: paths or loops as text: (summary, ((factor label, sign of the step into it or ""), ...))
    chain_rows: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    node_count: int
    edge_count: int


def build_map(
    graph: nx.MultiDiGraph,
    selection: Selection | None = None,
    *,
    context: Context | None = None,
    node_changes: Mapping[str, float] | None = None,
    entities: bool = True,
    title: str | None = None,
) -> MapData:
    """The map of ``selection`` (default: the whole projection).

    ``context`` (from :func:`~cocagraph.render.context.corpus_context`) adds actors and places
    as nodes (unless ``entities`` is false), the other claims about each node, asserters and
    inference reasons. ``node_changes`` maps factor IRIs to a change in [-1, 1] (a what-if
    scenario) and colours those factors by it.
    """
    from pyvis.network import Network  # lazy: pyvis imports IPython

    selection = selection or whole(graph)
    context = context or Context()
    changes = {k: max(-1.0, min(1.0, float(v))) for k, v in (node_changes or {}).items()}
    factors = sorted(n for n in selection.nodes if n in graph)
    claims = sorted(
        (u, v, k)
        for u, v, k in graph.edges(keys=True)
        if k in selection.claims and u in selection.nodes and v in selection.nodes
    )
    claims.sort(key=lambda e: e[2])
    links = sorted(
        (f, e) for f in factors for e in (context.links.get(f, ()) if entities else ()) if e in context.entities
    )
    entity_ids = sorted({e for _, e in links})
    large = len(factors) + len(entity_ids) > LARGE
    positions = layout([*factors, *entity_ids], [*((u, v) for u, v, _ in claims), *links])

    net = Network(directed=True, height="100%", width="100%")
    info: dict[str, dict[str, Any]] = {}
    for node in factors:
        data = graph.nodes[node]
        kind = data.get("kind", "factor")
        change = changes.get(node)
        fill, border = _node_colours(kind, change)
        highlighted = node in selection.highlight_nodes
        x, y = positions[node]
        net.add_node(
            node,
            label=data.get("label") or node,
            shape=KINDS[kind][1],
            x=x,
            y=y,
            color={
                "background": fill,
                "border": "#111111" if highlighted else border,
                "highlight": {"background": fill, "border": "#111111"},
            },
            borderWidth=4 if highlighted else 1.5,
            title=data.get("label") or node,
            widthConstraint={"maximum": 190},
            font={"size": 16 if highlighted else 14},
        )
        info[node] = {
            "kind": kind,
            "label": data.get("label") or node,
            "alt": list(data.get("alt_labels", ())),
            "themes": list(data.get("themes", ())),
            "places": list(data.get("places", ())),
            "actors": list(data.get("actors", ())),
            "change": change,
            "claims": list(context.mentions.get(node, ())),
        }
    for entity_id in entity_ids:
        entity = context.entities[entity_id]
        _, shape, fill, border = KINDS[entity.kind]
        x, y = positions[entity_id]
        net.add_node(
            entity_id,
            label=entity.label,
            shape=shape,
            x=x,
            y=y,
            size=14,
            color={"background": fill, "border": border},
            borderWidth=1.5,
            title=entity.label,
            widthConstraint={"maximum": 160},
            font={"size": 13},
        )
        info[entity_id] = {
            "kind": entity.kind,
            "label": entity.label,
            "alt": list(entity.alt_labels),
            "themes": [],
            "places": [],
            "actors": [],
            "change": None,
            "claims": list(context.mentions.get(entity_id, ())),
        }

    claim_data: dict[str, dict[str, Any]] = {}
    parallel: dict[tuple[str, str], int] = {}
    for u, v, key in claims:
        data = graph.edges[u, v, key]
        hedged = data.get("certainty") == "hedged"
        # A link the curator reads into the text is drawn dotted, so it never passes for the author's.
        inferred = data.get("explicitness") == "inferred"
        colour = POLARITY_COLOURS[1 if data.get("polarity", 1) > 0 else -1]
        nth = parallel[(u, v)] = parallel.get((u, v), -1) + 1
        highlighted = key in selection.highlight_claims
        edge: dict[str, Any] = {
            "id": key,
            "color": {"color": colour, "highlight": colour, "opacity": 0.55 if hedged else 1.0},
            "width": (5 if highlighted else 2.5) if not hedged else (3 if highlighted else 1.5),
            "dashes": [2, 5] if inferred else ([8, 6] if hedged else False),
        }
        if not large:  # hover is off on large maps, and labels would not be read at that scale
            edge["title"] = _edge_title(data, graph, u, v)
            edge["label"] = "+" if data.get("polarity", 1) > 0 else "\u2212"
            edge["font"] = {"color": colour, "size": 18, "strokeWidth": 4, "align": "middle"}
            if nth:
                edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}
        net.add_edge(u, v, **edge)
        claim_data[key] = _causal_claim(data, context, u, v)
    for factor, entity_id in links:
        net.add_edge(
            factor,
            entity_id,
            id=f"{factor} {entity_id}",
            arrows={"to": {"enabled": False}},
            color={"color": CONTEXT_COLOUR, "opacity": 0.8},
            width=1,
            dashes=[2, 4],
            title=f"{info[factor]['label']} \u2014 {context.entities[entity_id].kind}: "
            f"{context.entities[entity_id].label}",
        )
    for node_info in info.values():
        for claim in node_info["claims"]:
            if claim not in claim_data and claim in context.claims:
                claim_data[claim] = _other_claim(context, claim)

    nodes, edges, *_ = net.get_network_data()
    themes = sorted(
        {t for i in info.values() for t in i["themes"]} | {t for c in claim_data.values() for t in c.get("themes", ())}
    )
    payload = {
        "title": title or selection.title,
        "description": selection.description,
        "kind": selection.kind,
        "nodes": nodes,
        "edges": edges,
        "options": _options(large),
        "info": info,
        "links": {f"{f} {e}": {"from": f, "to": e} for f, e in links},
        "claims": claim_data,
        "themes": [[t, context.theme_labels.get(t, t)] for t in themes],
        "changes": bool(changes),
        "counts": {"nodes": len(nodes), "edges": len(edges), "factors": len(factors), "claims": len(claims)},
    }
    claim_rows = tuple(
        (key, graph.nodes[u].get("label", u), graph.nodes[v].get("label", v))
        for u, v, key in sorted(
            claims, key=lambda e: (graph.nodes[e[0]].get("label", ""), graph.nodes[e[1]].get("label", ""), e[2])
        )
    )
    chain_rows = tuple(_chain_row(graph, chain, selection.kind) for chain in selection.chains)
    return MapData(
        title=payload["title"],
        description=selection.description,
        payload=payload,
        claim_rows=claim_rows,
        chain_rows=chain_rows,
        node_count=len(nodes),
        edge_count=len(edges),
    )


def _node_colours(kind: str, change: float | None) -> tuple[str, str]:
    _, _, fill, border = KINDS[kind]
    if change is None:
        return fill, border
    return change_colour(change), border


def change_colour(change: float) -> str:
    """A diverging colour for a what-if change: red for a rise, blue for a fall, white for none.

    >>> change_colour(1.0), change_colour(0.0), change_colour(-1.0)
    ('#d73027', '#ffffff', '#2166ac')
    """
    end = (0xD7, 0x30, 0x27) if change > 0 else (0x21, 0x66, 0xAC)
    t = min(1.0, abs(change))
    r, g, b = (round(255 + (c - 255) * t) for c in end)
    return f"#{r:02x}{g:02x}{b:02x}"


def _edge_title(data: Mapping[str, Any], graph: nx.MultiDiGraph, u: str, v: str) -> str:
    verb = "increases" if data.get("polarity", 1) > 0 else "decreases"
    hedge = (
        f" (hedged: \u201c{data['hedge']}\u201d)"
        if data.get("certainty") == "hedged" and data.get("hedge")
        else (" (hedged)" if data.get("certainty") == "hedged" else "")
    )
    inferred = " (inferred by the curator)" if data.get("explicitness") == "inferred" else ""
    return f"{graph.nodes[u].get('label', u)} {verb} {graph.nodes[v].get('label', v)}{hedge}{inferred}"


def _causal_claim(data: Mapping[str, Any], context: Context, u: str, v: str) -> dict[str, Any]:
    extra = context.claims.get(data.get("claim", ""))
    return {
        "label": data.get("label") or "",
        "type": "causal",
        "cause": u,
        "effect": v,
        "polarity": 1 if data.get("polarity", 1) > 0 else -1,
        "certainty": data.get("certainty") or "asserted",
        "hedge": data.get("hedge"),
        "explicitness": data.get("explicitness") or "stated",
        "reason": extra.reason if extra else None,
        "asserted_by": extra.asserted_by if extra else None,
        "quotes": list(data.get("quotes", ())),
        "source": data.get("source"),
        "source_title": data.get("source_title"),
        "themes": list(data.get("themes", ())),
    }


def _other_claim(context: Context, claim: str) -> dict[str, Any]:
    c = context.claims[claim]
    return {
        "label": c.label,
        "type": c.type,
        "certainty": c.certainty,
        "hedge": c.hedge,
        "explicitness": c.explicitness,
        "reason": c.reason,
        "asserted_by": c.asserted_by,
        "quotes": list(c.quotes),
        "source": c.source,
        "source_title": c.source_title,
        "themes": [],
    }


def _chain_row(graph: nx.MultiDiGraph, chain: Any, kind: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    steps = [(graph.nodes[chain.nodes[0]].get("label", chain.nodes[0]), "")]
    for node, claim, prev in zip(chain.nodes[1:], chain.claims, chain.nodes, strict=False):
        sign = "+" if graph.edges[prev, node, claim].get("polarity", 1) > 0 else "\u2212"
        steps.append((graph.nodes[node].get("label", node), sign))
    length = len(chain.claims)
    if kind == "loops":
        summary = f"{'reinforcing' if chain.sign == '+' else 'balancing'} loop of {length} step(s)"
    else:
        summary = f"{length} step(s); overall {'increases' if chain.sign == '+' else 'decreases'}"
    return summary, tuple(steps)


def _options(large: bool) -> dict[str, Any]:
    """vis-network options: no physics (positions are computed), cheap drawing for large maps."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "navigationButtons": False,
        },
        "edges": {
            "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.2} if not large else False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6 if large else 0.8}},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "nodes": {"font": {"face": "system-ui, sans-serif", "multi": False}, "margin": 8},
    }
