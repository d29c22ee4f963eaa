"""``cocagraph export --format aif|argdown``: the whole argument for argument-mapping tools."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError

__all__ = ["argument_export"]


def argument_export(
    graphs: Sequence[Path], max_bytes: int | None, endpoint: str | None, fmt: str, narrowed: str | None
) -> str:
    """The loaded graphs' claims and relations as AIF JSON or Argdown text."""
    if endpoint:
        raise UsageError(f"--format {fmt} reads the graph files; it cannot read a remote store (--endpoint)")
    if narrowed:
        raise UsageError(
            f"--format {fmt} writes the whole argument; --focus, --from and --to are for the causal formats"
        )
    from ..cli.options import load_graphs

    corpus = load_graphs(graphs, max_bytes)
    if fmt == "aif":
        from .aif import aif_text

        return aif_text(corpus)
    from .argdown import argdown_text

    return argdown_text(corpus)
