"""Verbs about claim sheets: compile."""

from __future__ import annotations

from pathlib import Path

import click

from ..sheets import sheet_to_turtle
from .options import output_option, write_output


@click.command("compile")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--source", "source_text", required=True, type=click.Path(path_type=Path),
              help="The plain-text source the quotes are taken from.")
@output_option
def compile_cmd(sheet: Path, source_text: Path, output: Path | None) -> None:
    """Compile a claim sheet (YAML) into Turtle with evidence selectors.

    Every quote is looked up in the source text; the selectors (exact, prefix/suffix where the
    quote stands more than once, code-point offsets) and the text's SHA-256 are written for you.
    The output is deterministic and, with -o, written atomically: on any error the old file
    stays as it was.
    """
    write_output(sheet_to_turtle(sheet, source_text), output)
