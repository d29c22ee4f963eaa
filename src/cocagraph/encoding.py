"""How every drawing of the argument shows a causal claim: one definition for the maps and the exports.

Three distinctions, each with a cue that is not colour, so that a reader who cannot tell the
colours apart (or prints in grey) loses nothing:

- **polarity**: an increase is vermillion with an arrowhead and a ``+``; a decrease is blue with
  a bar at its end (⊣, the usual sign for "inhibits") and a ``−``. Vermillion and blue are the
  Okabe-Ito pair that stays distinct under every common colour-vision deficiency.
- **certainty**: a hedged claim ("appear to", "probably") is dashed, with long dashes that stay
  visible when the map is zoomed out; it is as wide and as strong as an asserted one.
- **explicitness**: a link the curator infers (the text does not state it) starts with a small
  circle at the cause; the text's own links have none.

:mod:`cocagraph.render.maps` draws these with vis-network; :mod:`cocagraph.analysis.export`
writes them as DOT, Mermaid, GEXF and GraphML attributes.

>>> look = edge_look(-1, "hedged", "inferred")
>>> look.colour, look.sign, look.head, look.dashed, look.start_mark
('#0072b2', '−', 'bar', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DASHES", "DECREASE_COLOUR", "INCREASE_COLOUR", "EdgeLook", "edge_look"]

INCREASE_COLOUR = "#d55e00"
DECREASE_COLOUR = "#0072b2"
#: Dash and gap of a hedged claim, in map pixels (long enough to read at a third of full size).
DASHES = (14, 9)


@dataclass(frozen=True)
class EdgeLook:
    """How one causal claim is drawn."""

    colour: str
    #: "+" or "−" (U+2212), written on the arrow
    sign: str
    #: "increases" or "decreases"
    verb: str
    #: the end at the effect: "arrow" for an increase, "bar" (⊣) for a decrease
    head: str
    #: hedged: dashed
    dashed: bool
    #: inferred by the curator: a small circle at the cause
    start_mark: bool

    @property
    def line(self) -> str:
        return "dashed" if self.dashed else "solid"


def edge_look(polarity: int | float | None, certainty: str | None, explicitness: str | None) -> EdgeLook:
    """The look of a claim with this polarity (> 0 increases), certainty and explicitness."""
    up = (polarity if polarity is not None else 1) > 0
    return EdgeLook(
        colour=INCREASE_COLOUR if up else DECREASE_COLOUR,
        sign="+" if up else "\u2212",
        verb="increases" if up else "decreases",
        head="arrow" if up else "bar",
        dashed=certainty == "hedged",
        start_mark=explicitness == "inferred",
    )
