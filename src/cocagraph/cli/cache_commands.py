"""The cache verb: see or clear the on-disk store cache."""

from __future__ import annotations

import click

from ..cache import CACHE_MIN_BYTES, cache_dir, clear_cache, list_cache, verify_cache
from ..errors import EXIT_CHECK_FAILED


@click.group()
def cache() -> None:
    """See or clear the on-disk cache of loaded graphs.

    Inputs of 2 MiB and more are parsed once and kept as an Oxigraph store, keyed by the
    content of the files and the cocagraph version; later commands on unchanged files open it
    instead of parsing. A changed, added or removed file makes a new entry; an entry that is
    half-written or damaged (every store file checked by CRC-32 on every open) is rebuilt, never trusted; an
    unusable cache folder means working without it. COCAGRAPH_CACHE=off|on overrides the size
    rule; COCAGRAPH_CACHE_DIR moves the cache (default: the platform's cache folder). What it
    trusts: docs/inputs-and-outputs.md.
    """


@cache.command()
def info() -> None:
    """List the cache entries, most recently used first."""
    entries = list_cache()
    click.echo(f"cache folder {cache_dir()} (inputs of {CACHE_MIN_BYTES // (1024 * 1024)} MiB and more are cached)")
    for entry in entries:
        names = ", ".join(p.rsplit("/", 1)[-1] for p in entry.files)
        click.echo(f"{entry.key}  {entry.triples:>10,} triples  {entry.bytes / 1e6:8.1f} MB  {names}")
    if not entries:
        click.echo("(empty)")


@cache.command()
def clear() -> None:
    """Remove every cache entry."""
    click.echo(f"removed {clear_cache()} cache entries from {cache_dir()}")


@cache.command()
def verify() -> None:
    """Check every entry against its manifest and re-hash every input the cache remembers.

    Damaged entries are dropped (the next command rebuilds them). Exit 0 when all held, 1 when
    something was found.
    """
    found, held = verify_cache()
    for line in found:
        click.echo(line)
    click.echo(f"{held} cache entries hold in {cache_dir()}")
    if found:
        raise click.exceptions.Exit(EXIT_CHECK_FAILED)
