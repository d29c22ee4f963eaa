"""Scenarios as people write them: ``--set NAME=+1``, a name on the command line, or a YAML file.

On the command line a scenario is ``NAME[=VALUE]`` settings separated by ``;`` (a bare name
means +1): ``"regulate coca"``, ``"forced eradication=+1; aerial spraying=-1"``. Values are
numbers from -1 to +1, or ``up`` (+1) and ``down`` (-1). Names are factor labels, alternative
labels, ids or IRIs, matched as everywhere in cocagraph (case- and accent-insensitive, then a
unique part of a name).

A scenario file (``.yaml`` or ``.yml``) holds one scenario::

    name: regulate coca (the Bolivian lesson)
    description: Regulate coca production instead of eradicating it.
    set:
      regulation of coca production: +1
      wedge between coca growers and drug-trafficking mafias: +1

It is read with the strict YAML reader (no tags, anchors or duplicate keys).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EncodingError, InputError, InputTooLargeError, SheetError, UnknownNameError, UsageError
from ..yamlsafe import Located, LocatedDict, load_yaml

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Scenario",
    "factor_resolver",
    "parse_value",
    "scenario_from_argument",
    "scenario_from_command_line",
    "scenario_from_file",
    "scenario_from_settings",
]

#: Scenario files are a few lines; anything this large is not one.
MAX_FILE_BYTES = 1 << 20
FILE_SUFFIXES = (".yaml", ".yml")
_WORDS = {"up": 1.0, "down": -1.0}


@dataclass(frozen=True)
class Scenario:
    """A named set of factors held at changed values (factor IRI, value in [-1, 1])."""

    name: str
    settings: tuple[tuple[str, float], ...]
    description: str | None = None
    origin: str = "command line"

    @property
    def interventions(self) -> dict[str, float]:
        return dict(self.settings)


def parse_value(text: str) -> float:
    """A setting's value: a number from -1 to +1, or up/down.

    >>> parse_value("+1"), parse_value("-0.5"), parse_value("down")
    (1.0, -0.5, -1.0)
    >>> parse_value("2")
    Traceback (most recent call last):
    ...
    cocagraph.errors.UsageError: the value '2' is out of range: a change is a number from -1 to +1 (or up, down)
    """
    word = text.strip().casefold()
    if word in _WORDS:
        return _WORDS[word]
    try:
        value = float(word)
    except ValueError:
        raise UsageError(
            f"the value {text!r} is not a number: a change is a number from -1 to +1 (or up, down)"
        ) from None
    if not (math.isfinite(value) and -1.0 <= value <= 1.0):
        raise UsageError(f"the value {text!r} is out of range: a change is a number from -1 to +1 (or up, down)")
    return value


def factor_resolver(graph: nx.MultiDiGraph) -> Callable[[str], str]:
    """A function from a factor's name (label, alternative label, id, IRI) to its IRI."""
    # The causal analysis' resolver, so that every command names factors alike.
    from ..analysis.resolve import resolve_factor

    return lambda name: resolve_factor(graph, name)


def scenario_from_settings(
    settings: Iterable[str], graph: nx.MultiDiGraph, name: str | None = None, origin: str = "command line"
) -> Scenario:
    """A scenario from ``NAME[=VALUE]`` strings (a bare name means +1).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("iri:reg", label="regulation of coca production", alt_labels=("regulate coca",))
    >>> scenario_from_settings(["regulate coca"], g).settings
    (('iri:reg', 1.0),)
    """
    find = factor_resolver(graph)
    chosen: dict[str, float] = {}
    texts = [s.strip() for s in settings if s.strip()]
    if not texts:
        raise UsageError("a scenario needs at least one factor to set, as NAME=+1 or NAME=-1")
    for text in texts:
        factor_name, has_value, value_text = text.rpartition("=") if "=" in text else (text, "", "")
        factor_name = factor_name.strip()
        if not factor_name:
            raise UsageError(f"{text!r} names no factor; write NAME=+1 or NAME=-1")
        value = parse_value(value_text) if has_value else 1.0
        iri = find(factor_name)
        if iri in chosen and chosen[iri] != value:
            raise UsageError(f"{factor_name!r} is set twice, to {chosen[iri]:+g} and {value:+g}")
        chosen[iri] = value
    return Scenario(name or "; ".join(texts), tuple(chosen.items()), origin=origin)


def scenario_from_argument(argument: str, graph: nx.MultiDiGraph) -> Scenario:
    """A scenario from one command-line argument: a YAML file, or settings separated by ``;``."""
    if argument.strip().lower().endswith(FILE_SUFFIXES):
        return scenario_from_file(Path(argument), graph)
    return scenario_from_settings(argument.split(";"), graph, name=argument.strip())


def scenario_from_file(path: Path, graph: nx.MultiDiGraph) -> Scenario:
    """Read a scenario file (see the module's docstring); errors name the file and line."""
    data = load_yaml(_read(path), str(path))
    if not isinstance(data, LocatedDict):
        raise SheetError(f"{path}:1: a scenario file is a mapping with name, description and set")
    unknown = sorted(set(data) - {"name", "description", "set"})
    if unknown:
        raise SheetError(f"{path}:{data.line}: unknown key {unknown[0]!r}; a scenario has name, description and set")
    settings = data.get("set")
    if not isinstance(settings, LocatedDict) or not settings:
        line = getattr(settings, "line", data.line)
        raise SheetError(f"{path}:{line}: 'set' must map factor names to values, e.g. 'regulate coca: +1'")
    find = factor_resolver(graph)
    chosen: dict[str, float] = {}
    for factor_name, value in settings.items():
        if not isinstance(value, Located):
            raise SheetError(f"{path}:{settings.line}: the value of {factor_name!r} must be a number from -1 to +1")
        try:
            iri = find(factor_name)
            number = parse_value(value.value)
        except (UnknownNameError, UsageError) as exc:
            raise SheetError(f"{path}:{value.line}: {exc}") from exc
        if iri in chosen and chosen[iri] != number:
            raise SheetError(f"{path}:{value.line}: {factor_name!r} names a factor already set")
        chosen[iri] = number
    return Scenario(
        _text(data.get("name"), path) or path.stem,
        tuple(chosen.items()),
        _text(data.get("description"), path),
        origin=str(path),
    )


def _text(value: object, path: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Located):
        raise SheetError(f"{path}:{getattr(value, 'line', 0)}: name and description are plain text")
    return value.value.strip() or None


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLargeError(f"{path}: {size} bytes is too large for a scenario file (limit {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a scenario file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{path}: not UTF-8 (byte {exc.start})") from exc


def scenario_from_command_line(argument: str | None, settings: Iterable[str], graph: nx.MultiDiGraph) -> Scenario:
    """One scenario from an optional SCENARIO argument (name, settings or file) plus ``--set`` options.

    The ``--set`` options add to (and may not contradict) what the argument sets.
    """
    settings = [s for s in settings if s.strip()]
    if argument is None:
        return scenario_from_settings(settings, graph)
    base = scenario_from_argument(argument, graph)
    if not settings:
        return base
    extra = scenario_from_settings(settings, graph)
    chosen = dict(base.settings)
    for iri, value in extra.settings:
        if iri in chosen and chosen[iri] != value:
            raise UsageError(f"--set gives {iri!r} another value than the scenario {base.name!r} does")
        chosen[iri] = value
    return Scenario(f"{base.name}; {extra.name}", tuple(chosen.items()), base.description, base.origin)
