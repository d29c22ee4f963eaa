"""The guided tour: the argument step by step in the order of the text, on the whole map.

Each step holds claims that stand together in the text; the page highlights them on the map
(their arrows, and the factors they link or are about) and shows each with its quote,
certainty and asserter, with next and previous by button and keyboard and a link per step
(``#step-4``).

Where a step starts is the curator's choice, written beside the claim sheet
(``graphs/<source>.tour.yaml``: a title and the claim a step starts at); which claims a step
holds follows from the text: every claim whose first quote stands from that claim's up to the
next step's, so that no claim is left out or shown twice. For a graph without a tour file,
a new step starts wherever the theme of the claims changes.

>>> from cocagraph.loading import load
>>> from cocagraph.render.context import corpus_context
>>> steps = tour_steps(corpus_context(load()))
>>> steps[0].title, len(steps) >= 10
("Peru is the world's largest coca producer, with serious risks", True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SheetError, UsageError
from ..vocab import ID
from .context import Context
from .maps import MapData, _other_claim, build_map

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Step", "build_tour", "tour_payload", "tour_steps"]

TITLE = "Read the argument"


@dataclass(frozen=True)
class Step:
    """One step of the tour: a title and its claims (IRIs), in the order of the text."""

    title: str
    claims: tuple[str, ...]


def tour_steps(context: Context, tour_file: Path | None = None) -> tuple[Step, ...]:
    """The steps of the tour over the claims of ``context`` (see the module's text).

    ``tour_file`` names the step starts; by default the shipped tour whose claims the
    context holds, if any.
    """
    ordered = sorted((c for c in context.claims.values() if c.start is not None), key=lambda c: (c.start, c.iri))
    if not ordered:
        raise UsageError("a tour needs claims with quotes located in their source; this graph has none")
    starts = _starts(tour_file, context) if tour_file else _shipped_starts(context)
    if starts is None:
        return _by_theme(ordered, context)
    steps: list[Step] = []
    for n, (title, first) in enumerate(starts):
        begin = context.claims[first].start
        end = context.claims[starts[n + 1][1]].start if n + 1 < len(starts) else None
        claims = tuple(
            c.iri
            for c in ordered
            if (n == 0 or c.start >= begin) and (end is None or c.start < end)  # type: ignore[operator]
        )
        steps.append(Step(title, claims))
    return tuple(steps)


def _shipped_starts(context: Context) -> list[tuple[str, str]] | None:
    from ..resources import graphs_dir

    try:
        candidates = sorted(graphs_dir().glob("*.tour.yaml"))
    except FileNotFoundError:
        return None
    for path in candidates:
        try:
            return _starts(path, context)
        except SheetError:
            continue  # a tour of another source
    return None


def _starts(path: Path, context: Context) -> list[tuple[str, str]]:
    """(title, first claim IRI) of each step in ``path``, in the order of the text."""
    from ..yamlsafe import load_yaml

    try:
        doc = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the tour: {exc.strerror or exc}") from exc
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if not isinstance(steps, list) or not steps:
        raise SheetError(f"{path}:1: a tour is a mapping with a list of steps")
    starts = []
    for entry in steps:
        line = getattr(entry, "line", 1)
        if not isinstance(entry, dict) or "title" not in entry or "from" not in entry:
            raise SheetError(f"{path}:{line}: each step has a title and the claim it starts from")
        iri = f"{ID}claim/{entry['from'].value}"
        if iri not in context.claims or context.claims[iri].start is None:
            raise SheetError(f"{path}:{entry['from'].line}: no located claim {entry['from'].value!r} in the graph")
        starts.append((entry["title"].value, iri))
    positions = [context.claims[iri].start for _, iri in starts]
    if positions != sorted(positions):
        raise SheetError(f"{path}:{line}: the steps must follow the order of the text")
    return starts


def _by_theme(ordered: list[Any], context: Context) -> tuple[Step, ...]:
    steps: list[tuple[str, list[str]]] = []
    for claim in ordered:
        theme = next(iter(context.claim_themes.get(claim.iri, ())), "")
        if not steps or (theme and steps[-1][0] != theme):
            steps.append((theme, []))
        steps[-1][1].append(claim.iri)
    return tuple(
        Step(context.theme_labels.get(theme, theme) or f"Part {n + 1}", tuple(claims))
        for n, (theme, claims) in enumerate(steps)
    )


def tour_payload(steps: tuple[Step, ...], graph: nx.MultiDiGraph, context: Context) -> list[dict[str, Any]]:
    """What the page needs per step: title, claims, and the arrows and nodes to highlight."""
    edges_of = {k: (u, v) for u, v, k in graph.edges(keys=True)}
    about: dict[str, set[str]] = {}
    for node, claims in context.mentions.items():
        for claim in claims:
            about.setdefault(claim, set()).add(node)
    out = []
    for step in steps:
        edges = sorted(c for c in step.claims if c in edges_of)
        nodes = {n for c in edges for n in edges_of[c]} | {n for c in step.claims for n in about.get(c, ())}
        out.append({"title": step.title, "claims": list(step.claims), "edges": edges, "nodes": sorted(nodes)})
    return out


def build_tour(graph: nx.MultiDiGraph, context: Context, tour_file: Path | None = None) -> MapData:
    """The whole map with the tour's steps: the page walks the reader through them."""
    from dataclasses import replace

    from .views import whole

    steps = tour_steps(context, tour_file)
    selection = replace(
        whole(graph, TITLE),
        kind="tour",
        description=f"The argument in {len(steps)} steps, in the order of the text: each step's claims are "
        "highlighted on the map, with their quotes.",
    )
    data = build_map(graph, selection, context=context)
    claims = dict(data.payload["claims"])
    for step in steps:
        for claim in step.claims:
            if claim not in claims:
                claims[claim] = _other_claim(context, claim)
    drawn = {n["id"] for n in data.payload["nodes"]}
    walk = tour_payload(steps, graph, context)
    for step in walk:  # only what the map draws (an actor no factor involves has no node)
        step["nodes"] = [n for n in step["nodes"] if n in drawn]
    payload = {**data.payload, "claims": claims, "tour": walk}
    return replace(data, payload=payload)
