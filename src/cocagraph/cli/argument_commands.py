"""Verbs of the argument: which claims stand once the attacks are weighed, and the case for and
against a claim or a policy. Each loads the graphs, calls one function of
:mod:`cocagraph.argument`, and formats its answer."""

from __future__ import annotations

from pathlib import Path

import click

from ..tables import LISTING_FORMATS
from .options import emit, format_option, graph_options, load_graphs, output_option, write_output

SEMANTICS_HELP = (
    "grounded: the sceptical fixpoint (what is in can be defended against every attack without choosing); "
    "preferred: in or out in every maximal admissible labelling, undecided where they differ."
)
_ORDER = {"out": 0, "undecided": 1, "in": 2}


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
    from ..argument.formats import attack_text
    from ..argument.model import relations
    from ..argument.semantics import framework, label_framework
    from ..catalog import list_claims, short_name

    corpus = load_graphs(graphs, max_bytes)
    rels = relations(corpus)
    claims = {row.iri: row for row in list_claims(corpus)}
    labels = label_framework(framework(list(claims), rels), semantics)
    kinds = {r.iri: r for r in rels}
    rows = []
    for iri, label in labels.items():
        if (only and label != only) or (claims_only and iri in kinds):
            continue
        rel = kinds.get(iri)
        claim = claims.get(iri)
        rows.append(
            {
                "standing": str(label),
                "id": short_name(iri),
                "kind": f"relation: {rel.type}" if rel else "claim",
                "label": (rel.label or rel.type) if rel else (claim.label if claim else short_name(iri)),
                "decided_by": [attack_text(a, labels[a.attacker]) for a in label.decided_by],
                "iri": iri,
            }
        )
    rows.sort(key=lambda r: (_ORDER[r["standing"]], r["kind"] != "claim", r["id"]))
    columns = ["standing", "id", "kind", "label", "decided_by"]
    emit(rows, fmt, columns if fmt == "table" else [*columns, "iri"], output)


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
@format_option(["table", "json", "md", "argdown"])
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
    from ..argument.case import tree
    from ..argument.formats import tree_json, tree_markdown, tree_text

    case = tree(load_graphs(graphs, max_bytes), name, depth=depth, semantics=semantics)
    if fmt == "argdown":
        from ..argument.argdown import tree_argdown

        text = tree_argdown(case)
    else:
        text = {"table": tree_text, "json": tree_json, "md": tree_markdown}[fmt](case)
    write_output(text, output)
