"""The projection (whole, around a factor, or along the paths between two) in the formats other
tools read: GraphML and GEXF (Gephi, yEd, Cytoscape), DOT (Graphviz), Mermaid (papers,
Markdown), JSON (notebooks: networkx node-link data).

Every node and edge attribute is written. GraphML and GEXF hold only scalars, so tuples (quotes,
alternative labels, places ...) are written as JSON arrays in a string and missing values are left
out; :func:`flat_graph` is exactly what is written, and reading the file back with networkx gives
a graph equal to it. Each edge keeps its claim IRI as its key (GraphML edge id, GEXF edge id) and
gains ``weight``, the step's confidence (see :mod:`cocagraph.analysis.steps`).

Every format draws a claim as the maps do, from the one definition in :mod:`cocagraph.encoding`
(polarity: colour and the end of the arrow, an arrowhead or a bar; hedged: dashed; inferred by
the curator: a circle at the cause). GraphML and GEXF edges carry it as attributes (``colour``,
``line_style``, ``arrowhead``, ``start_mark``), GEXF also as its ``viz`` colour and shape (Gephi
draws them); DOT as ``color``, ``style``, ``arrowhead`` and ``arrowtail``; Mermaid as a
``linkStyle`` per link, dashed links and the sign on each.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from ..encoding import EdgeLook, edge_look
from ..errors import UsageError
from .paths import find_paths
from .resolve import resolve_factor
from .steps import step_weight

__all__ = ["EXPORT_FORMATS", "export_text", "flat_graph", "focus_subgraph", "path_subgraph", "read_back"]

EXPORT_FORMATS = ("graphml", "gexf", "dot", "mermaid", "json")


def focus_subgraph(graph: nx.MultiDiGraph, focus: str, radius: int = 1) -> nx.MultiDiGraph:
    """The factors within ``radius`` causal links of ``focus`` (either direction), with their claims."""
    if radius < 0:
        raise UsageError(f"--radius must be 0 or more, not {radius}")
    center = resolve_factor(graph, focus)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center, cutoff=radius)
    return graph.subgraph(near).copy()


def path_subgraph(
    graph: nx.MultiDiGraph, source: str, target: str, *, max_length: int = 6, limit: int = 50, seconds: float = 1.0
) -> tuple[nx.MultiDiGraph, bool]:
    """The factors and claims on the paths from ``source`` to ``target``, and whether the search was cut."""
    answer = find_paths(graph, source, target, max_length=max_length, limit=limit, seconds=seconds)
    sub = nx.MultiDiGraph()
    for path in answer.paths:
        for node in path.nodes:
            sub.add_node(node, **graph.nodes[node])
        for step in path.steps:
            sub.add_edge(step.source, step.target, key=step.claim, **graph.edges[step.source, step.target, step.claim])
    return sub, answer.truncated


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with scalar attributes only: what GraphML and GEXF files hold.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", alt_labels=("x", "y"), kind="factor")
    >>> g.add_edge("a", "a", key="c", polarity=-1, hedge=None, certainty="hedged", explicitness="stated")
    'c'
    >>> flat = flat_graph(g)
    >>> flat.nodes["a"]["alt_labels"], flat.edges["a", "a", "c"]["weight"], flat.edges["a", "a", "c"]["line_style"]
    ('["x", "y"]', 0.5, 'dashed')
    """
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_scalars(data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = _scalars(data)
        attrs["weight"] = step_weight(data.get("certainty"), data.get("explicitness"))
        look = _look(data)
        attrs["colour"] = look.colour
        attrs["line_style"] = look.line
        attrs["arrowhead"] = look.head
        attrs["start_mark"] = "circle" if look.start_mark else "none"
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _look(data: dict[str, Any]) -> EdgeLook:
    return edge_look(data.get("polarity", 1), data.get("certainty"), data.get("explicitness"))


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, (tuple, list)):
            out[name] = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, (str, int, float, bool)):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def export_text(graph: nx.MultiDiGraph, fmt: str) -> str:
    """``graph`` written as ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat_graph(graph), encoding="utf-8", prettyprint=True))
    if fmt == "gexf":
        flat = flat_graph(graph)
        for _u, _v, key, data in flat.edges(keys=True, data=True):
            data["id"] = key  # GEXF's edge id: the claim IRI, so that a simple-graph reader keeps it too
            colour = data["colour"]
            data["viz"] = {
                "color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0},
                "shape": data["line_style"],
            }
        return "\n".join(nx.generate_gexf(flat, encoding="utf-8", prettyprint=True))
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=2, default=list)
    if fmt == "dot":
        return _dot(graph)
    if fmt == "mermaid":
        return _mermaid(graph)
    raise UsageError(f"export format is one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")


def _dot_id(text: str) -> str:
    # A DOT double-quoted string: escape the quote and the backslash, keep newlines as \n.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _dot_attrs(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{name}={_dot_id(str(value))}" for name, value in attrs.items())


#: The encoding's arrow ends in Graphviz's names.
_DOT_HEADS = {"arrow": "normal", "bar": "tee"}


def _dot(graph: nx.MultiDiGraph) -> str:
    out = io.StringIO()
    out.write("digraph cocagraph {\n  graph [rankdir=LR];\n  node [shape=box, style=rounded];\n")
    for node, data in flat_graph(graph).nodes(data=True):
        attrs = dict(data)
        if data.get("kind") == "policy":
            attrs.setdefault("shape", "hexagon")
        out.write(f"  {_dot_id(node)} [{_dot_attrs(attrs)}];\n")
    for u, v, key, data in flat_graph(graph).edges(keys=True, data=True):
        attrs = {"key": key, **data}
        look = _look(data)
        attrs["label"] = look.sign  # the claim's own label stays as claim_label
        attrs["claim_label"] = data.get("label", key)
        attrs["color"] = attrs["fontcolor"] = look.colour
        attrs["style"] = look.line
        attrs["arrowhead"] = _DOT_HEADS[look.head]
        if look.start_mark:
            attrs["dir"], attrs["arrowtail"] = "both", "dot"
        out.write(f"  {_dot_id(u)} -> {_dot_id(v)} [{_dot_attrs(attrs)}];\n")
    out.write("}\n")
    return out.getvalue()


def _mermaid_text(text: str) -> str:
    # Mermaid labels sit in double quotes; entity codes keep quotes and brackets from ending them.
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("\n", " ")):
        text = text.replace(char, code)
    return text


def _mermaid(graph: nx.MultiDiGraph) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(graph)}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        text = _mermaid_text(data.get("label") or node)
        shape = f'{{{{"{text}"}}}}' if data.get("kind") == "policy" else f'["{text}"]'
        lines.append(f"  {ids[node]}{shape}")
    styles = []
    for n, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        look = _look(data)
        # Mermaid has no bar end: the sign says it; "o" marks the curator's inference.
        arrow = "-.->" if look.dashed else "-->"
        sign = look.sign + (" o inferred" if look.start_mark else "")
        lines.append(f'  {ids[u]} {arrow}|"{sign}"| {ids[v]}')
        lines.append(f"  %% {_mermaid_text(key)}: {_mermaid_text(data.get('label') or '')}")
        dash = ",stroke-dasharray:8 5" if look.dashed else ""
        styles.append(f"  linkStyle {n} stroke:{look.colour},color:{look.colour},stroke-width:2px{dash}")
    lines += styles
    lines.append(
        "  %% + increases (vermillion), \u2212 decreases (blue); dashed: hedged; 'o inferred': inferred by the curator"
    )
    return "\n".join(lines) + "\n"


def read_back(text: str, fmt: str) -> nx.MultiDiGraph:
    """A GraphML or GEXF export read back with networkx: equal to :func:`flat_graph` of what was written.

    The readers' own graph-level defaults (``node_default``, ``mode`` ...) are dropped; GEXF edge ids
    become the edge keys again.
    """
    if fmt == "graphml":
        back = nx.parse_graphml(text, force_multigraph=True)
        back.graph.clear()
        return back
    if fmt == "gexf":
        read = nx.read_gexf(io.BytesIO(text.encode("utf-8")), node_type=str)
        back = nx.MultiDiGraph()
        back.add_nodes_from(read.nodes(data=True))
        for u, v, data in read.edges(data=True):
            attrs = dict(data)
            attrs.pop("viz", None)  # the drawing, also held as plain attributes
            back.add_edge(u, v, key=attrs.pop("id"), **attrs)
        return back
    raise UsageError(f"only graphml and gexf are read back, not {fmt!r}")
