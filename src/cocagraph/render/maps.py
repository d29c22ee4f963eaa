"""A map: the selected part of the causal projection as a pyvis network, with the evidence.

pyvis builds the network (nodes, edges, their looks); cocagraph's own page draws it (see
:mod:`cocagraph.render.page`). Everything the page shows travels as plain data: labels, claims,
quotes and sources are never HTML here, and the page writes them with ``textContent``.

Looks, by kind: factors are blue boxes, policy options amber diamonds, actors green ellipses,
places purple triangles. Causal edges follow :mod:`cocagraph.encoding` (the exports' too):
vermillion with an arrowhead and "+" for an increase, blue with a bar and "−" for a decrease,
dashed when hedged, a circle at the cause when the curator infers the link. Actors and places
hang off the factors that involve them by thin grey dotted lines without arrows.

Labels are cut for drawing (:data:`DRAWN_LABEL` characters, at a word): a label of 100,000
characters made the browser lay out text for minutes. The panel shows the whole label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..encoding import DASHES, edge_look
from .context import Context
from .layout import LARGE, box_size, layout
from .routes import untangle
from .views import Selection, whole

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DRAWN_LABEL", "KINDS", "MapData", "build_map", "drawn_label"]

#: kind -> (legend text, vis shape, fill, border)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "factor": ("factor", "box", "#dbe8fb", "#2b5fb3"),
    "policy": ("policy option", "diamond", "#f8d878", "#9a6b00"),
    "actor": ("actor", "ellipse", "#d5f0df", "#1f7a4d"),
    "place": ("place", "triangle", "#eadcf7", "#6b3fa0"),
}
CONTEXT_COLOUR = "#80868b"
#: The longest label drawn on the map, in characters; the panel and the text list show it whole.
DRAWN_LABEL = 80
#: The longest hover text, in characters.
HOVER_TEXT = 300
#: Font sizes in map pixels: factors, highlighted factors, actors and places.
FONT, FONT_HIGHLIGHT, FONT_ENTITY = 14, 16, 13
#: How much wider vis draws a selected arrow (added to its width, in map pixels).
SELECTION_WIDTH = 7.5
#: The widest box, in map pixels (labels wrap inside it).
BOX_WIDTH, ENTITY_WIDTH = 170, 140
#: How much more an arrow through another node's label counts than a dotted link through one
#: (when nodes are moved out of the arrows' way).
CAUSAL_WEIGHT = 4.0


def drawn_label(text: str, limit: int = DRAWN_LABEL) -> str:
    """``text`` cut for drawing: at most ``limit`` characters, at a word where one is near, then "…".

    >>> drawn_label("short")
    'short'
    >>> drawn_label("word " * 40, 20)
    'word word word word…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if text[len(cut)] != " " and space > limit // 2:  # do not end in the middle of a word
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


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
    labels = {n: drawn_label(str(graph.nodes[n].get("label") or n)) for n in factors}
    labels |= {e: drawn_label(context.entities[e].label) for e in entity_ids}
    fonts = {n: FONT_HIGHLIGHT if n in selection.highlight_nodes else FONT for n in factors}
    fonts |= {e: FONT_ENTITY for e in entity_ids}
    sizes = {
        n: box_size(
            labels[n], fonts[n], ENTITY_WIDTH if n in context.entities else BOX_WIDTH, _shape(graph, context, n)
        )
        for n in labels
    }
    positions = layout([*factors, *entity_ids], [*((u, v) for u, v, _ in claims), *links], sizes=sizes)
    # Each edge drawn so that it runs through no other label (large maps are overviews: straight).
    ends = [*((u, v) for u, v, _ in claims), *links]
    smooth: list[dict[str, Any]] = [{"enabled": False}] * len(ends)
    if not large:
        # A causal arrow through a label misleads more than a dotted link: it weighs more.
        weights = [CAUSAL_WEIGHT] * len(claims) + [1.0] * len(links)
        positions, drawn = untangle(positions, sizes, ends, weights)
        smooth = [r.smooth() for r in drawn]

    net = Network(directed=True, height="100%", width="100%")
    info: dict[str, dict[str, Any]] = {}
    for node in factors:
        data = graph.nodes[node]
        kind = data.get("kind", "factor")
        change = changes.get(node)
        fill, border = _node_colours(kind, change)
        highlighted = node in selection.highlight_nodes
        x, y = positions[node]
        full = str(data.get("label") or node)
        # A what-if change is written on the node too: the colour ramp is not the only cue.
        label = labels[node] if change is None else f"{labels[node]}\n({_signed(change)})"
        net.add_node(
            node,
            label=label,
            shape=KINDS[kind][1],
            x=x,
            y=y,
            color={
                "background": fill,
                "border": "#111111" if highlighted else border,
                "highlight": {"background": fill, "border": "#111111"},
            },
            borderWidth=4 if highlighted else 1.5,
            title=drawn_label(full, HOVER_TEXT),
            widthConstraint={"maximum": BOX_WIDTH},
            font={"size": fonts[node]},
        )
        info[node] = {
            "kind": kind,
            "label": full,
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
            label=labels[entity_id],
            shape=shape,
            x=x,
            y=y,
            size=14,
            color={"background": fill, "border": border},
            borderWidth=1.5,
            title=drawn_label(entity.label, HOVER_TEXT),
            widthConstraint={"maximum": ENTITY_WIDTH},
            font={"size": FONT_ENTITY},
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
    for (u, v, key), drawn in zip(claims, smooth, strict=False):
        data = graph.edges[u, v, key]
        look = edge_look(data.get("polarity", 1), data.get("certainty"), data.get("explicitness"))
        highlighted = key in selection.highlight_claims
        edge: dict[str, Any] = {
            "id": key,
            "color": {"color": look.colour, "highlight": look.colour, "opacity": 1.0},
            "width": 5 if highlighted else 2.5,
            "dashes": list(DASHES) if look.dashed else False,
            "arrows": {"to": {"enabled": True, "type": look.head}},
        }
        if look.start_mark:  # only where needed: every option of 10,000 edges costs the browser time
            edge["arrows"]["from"] = {"enabled": True, "type": "circle", "scaleFactor": 0.5}
        if not large:  # hover is off on large maps, and labels would not be read at that scale
            edge["title"] = drawn_label(_edge_title(data, graph, u, v), HOVER_TEXT)
            edge["label"] = look.sign
            edge["font"] = {"color": look.colour, "size": 18, "strokeWidth": 4, "align": "middle"}
        if drawn["enabled"]:  # straight is the default
            edge["smooth"] = drawn
        net.add_edge(u, v, **edge)
        claim_data[key] = _causal_claim(data, context, u, v)
    for (factor, entity_id), drawn in zip(links, smooth[len(claims) :], strict=True):
        extra = {"smooth": drawn} if drawn["enabled"] else {}
        net.add_edge(
            factor,
            entity_id,
            **extra,
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


def _shape(graph: nx.MultiDiGraph, context: Context, node: str) -> str:
    if node in context.entities:
        return KINDS[context.entities[node].kind][1]
    return KINDS[graph.nodes[node].get("kind", "factor")][1]


def _signed(change: float) -> str:
    return f"{'+' if change > 0 else ''}{change:.2f}".replace("-", "\u2212")


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
    """vis-network options: no physics (positions are computed), cheap drawing for large maps.

    The keyboard stays bound to the map, not the window, so that arrow keys scroll the page
    elsewhere; but vis then focuses the map on every mouse move (``autoFocus``), and focusing
    scrolls an element into view: the page jumped under the first click and the click missed.
    ``autoFocus`` is off and page.js focuses the map on a press, without scrolling.
    """
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
            "multiselect": False,
            "navigationButtons": False,
        },
        "edges": {
            # Straight unless an edge says otherwise (cocagraph.render.routes curves it round a label).
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6 if large else 0.8}},
            # A selected arrow is drawn at four times its width (page.js adds a dark outline).
            "selectionWidth": SELECTION_WIDTH,
            "hoverWidth": 1,
        },
        "nodes": {"font": {"face": "system-ui, sans-serif", "multi": False}, "margin": 8},
    }
