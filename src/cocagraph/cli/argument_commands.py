"""Verbs of the argument: which claims stand once the attacks are weighed, and the case for and
against a claim or a policy. Each opens the graphs (:func:`cocagraph.open`), calls one method,
and prints the answer through its report (:mod:`cocagraph.reports.standing`, ``.argument``)."""

from __future__ import annotations

from pathlib import Path

import click

from ..tables import LISTING_FORMATS
from .options import emit_answer, format_option, graph_options, open_graphs, output_option

SEMANTICS_HELP = (
    "grounded: the sceptical fixpoint (what is in can be defended against every attack without choosing); "
    "preferred: in or out in every maximal admissible labelling, undecided where they differ."
)


def _semantics_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--semantics",
        type=click.Choice(["grounded", "preferred"]),
        default="grounded",
        show_default=True,
        help=SEMANTICS_HELP,
    )(func)


@click.command()
@_semantics_option
@click.option(
    "--only",
    type=click.Choice(["in", "out", "undecided"]),
    default=None,
    help="List only the claims and relations with this label.",
)
@click.option("--claims-only", is_flag=True, help="Leave the relations out of the listing (they are still weighed).")
@graph_options
@format_option(LISTING_FORMATS)
@output_option
def standing(
    semantics: str,
    only: str | None,
    claims_only: bool,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Every claim and relation labelled in, out or undecided once the attacks are weighed.

    Rebuttals, undercuts and concessions attack what they conclude; a relation needs its
    premises, so an attack on a premise reaches the relation too; a concession's conclusion,
    which the author still holds, attacks the concession back (unanswered, both stay undecided;
    answered, the conclusion stands). Supports, elaborations and qualifications attack nothing.
    Each row names the attacks that decide its label. Listed out first, then undecided, then in.
    """
    answer = open_graphs(graphs, max_bytes).standing(semantics=semantics, only=only, claims_only=claims_only)
    emit_answer(answer, fmt, output)


@click.command()
@click.argument("name", metavar="CLAIM_OR_POLICY")
@click.option(
    "--depth",
    type=click.IntRange(min=0, max=20),
    default=3,
    show_default=True,
    help="Layers of relations below each root claim.",
)
@_semantics_option
@graph_options
@format_option([*LISTING_FORMATS, "argdown"])
@output_option
def argument(
    name: str,
    depth: int,
    semantics: str,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The case for and against a claim or a policy: reasons, objections, concessions and answers.

    A claim's tree holds the relations that bear on it, each with its premises and what answers
    it; a policy's starts from the claims about it, the recommendations in its favour first.
    Every node shows its quote, certainty, asserter and standing (see `cocagraph standing`).
    """
    answer = open_graphs(graphs, max_bytes).argument(name, depth=depth, semantics=semantics)
    emit_answer(answer, fmt, output)
