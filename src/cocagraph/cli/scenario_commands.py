"""Verbs about policy scenarios: whatif and compare (each a method of :func:`cocagraph.open`'s graphs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..scenarios import Weights
from ..scenarios.propagation import RULES
from .options import emit_answer, endpoint_option, format_option, graph_options, open_graphs, output_option

F = TypeVar("F", bound=Callable[..., Any])


def method_options(func: F) -> F:
    """The propagation settings both verbs share."""
    options = [
        click.option(
            "--steps",
            type=click.IntRange(min=1, max=100_000),
            default=100,
            show_default=True,
            help="Step cap: stop here if the map has not converged.",
        ),
        click.option(
            "--tolerance",
            type=click.FloatRange(min=0.0, min_open=True),
            default=1e-6,
            show_default=True,
            help="Converged when no factor moves by more than this in a step.",
        ),
        click.option(
            "--rule",
            type=click.Choice(list(RULES)),
            default="kosko",
            show_default=True,
            help="Update rule: kosko (a factor is what its causes make it) or modified-kosko (it also "
            "keeps its own value).",
        ),
        click.option(
            "--steepness",
            type=click.FloatRange(min=0.0, min_open=True),
            default=1.0,
            show_default=True,
            help="Steepness of the tanh squashing.",
        ),
        click.option(
            "--hedged-weight",
            type=click.FloatRange(0.0, 1.0),
            default=Weights().hedged,
            show_default=True,
            help="Weight of a hedged claim (an asserted one weighs 1).",
        ),
        click.option(
            "--inferred-weight",
            type=click.FloatRange(0.0, 1.0),
            default=Weights().inferred,
            show_default=True,
            help="Weight of a claim the curator inferred (a stated one weighs 1).",
        ),
        click.option(
            "--paths",
            "paths",
            type=click.IntRange(min=0, max=50),
            default=3,
            show_default=True,
            help="Chains of claims to show per factor, strongest first (0: none).",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=100,
            show_default=True,
            help="Show (and trace) only the N most moved factors; 0 for all. The answer says what it left out.",
        ),
        click.option(
            "--min-change",
            type=click.FloatRange(0.0, 1.0, max_open=True),
            default=1e-3,
            show_default=True,
            help="Smaller changes count as no net change.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command()
@click.argument("scenario", required=False)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Hold a factor at a change from -1 (full fall) to +1 (full rise); repeatable. A bare NAME means +1.",
)
@method_options
@graph_options
@endpoint_option
@format_option()
@output_option
def whatif(
    scenario: str | None,
    settings: tuple[str, ...],
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    fmt: str,
    output: Path | None,
    **method: Any,
) -> None:
    """What the argument implies if some factors change (not a forecast).

    Hold factors at a change (--set "regulate coca=+1", --set "aerial spraying=-1") or name a
    SCENARIO: settings separated by ";" ("forced eradication") or a YAML scenario file
    (scenario.yaml). The causal claims carry the change through a fuzzy cognitive map; the
    answer lists the factors that move, by how much and which way, the chains of claims behind
    each effect (each claim's sign, whether asserted or hedged, stated or inferred), and the
    factors the scenario cannot reach. See docs/scenarios.md for the method and what it can mean.

    Exit 0 on an answer, 2 on an unknown factor name, a bad value or an unreadable scenario file.
    """
    if scenario is None and not settings:
        raise click.UsageError("name a SCENARIO or give at least one --set NAME=VALUE")
    answer = open_graphs(graphs, max_bytes, endpoint).whatif(scenario, settings=settings, **method)
    emit_answer(answer, fmt, output)


@click.command()
@click.argument("scenario_a")
@click.argument("scenario_b")
@method_options
@graph_options
@endpoint_option
@format_option()
@output_option
def compare(
    scenario_a: str,
    scenario_b: str,
    graphs: tuple[Path, ...],
    max_bytes: int | None,
    endpoint: str | None,
    fmt: str,
    output: Path | None,
    **method: Any,
) -> None:
    """Two scenarios side by side: what the argument implies under each (not a forecast).

    Each SCENARIO is settings separated by ";" (a bare name means +1: "regulate coca",
    "forced eradication", "aerial spraying=-1") or a YAML scenario file. Lists every factor
    either scenario moves, its change under A and under B (or "unreachable"), and the chains of
    claims behind each effect.

        cocagraph compare "regulate coca" "forced eradication"

    Exit 0 on an answer, 2 on an unknown factor name, a bad value or an unreadable scenario file.
    """
    answer = open_graphs(graphs, max_bytes, endpoint).compare(scenario_a, scenario_b, **method)
    emit_answer(answer, fmt, output)
