"""A strict YAML reader for claim sheets: every scalar a string, and nothing surprising.

PyYAML's SafeLoader follows YAML 1.1: ``no`` becomes False, ``007`` becomes 7 and bare dates
become ``datetime.date``. Claim sheets hold quotes and identifiers, so every scalar stays the
string the author typed and the compiler converts the few typed fields itself. Duplicate keys,
anchors and aliases (the "billion laughs" bomb), merge keys, tags (``!!python/object``) and
nesting deeper than any sheet needs are refused with the line they are on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import SheetError

__all__ = ["MAX_DEPTH", "Located", "LocatedDict", "LocatedList", "load_yaml"]

#: A sheet nests at most four levels (sheet > section > entry > list); anything deeper is a
#: mistake or an attack on the recursive composer.
MAX_DEPTH = 16


class LocatedDict(dict[str, Any]):
    """A mapping that remembers the line it starts on (1-based)."""

    line: int = 0


class LocatedList(list[Any]):
    """A sequence that remembers the line it starts on (1-based)."""

    line: int = 0


@dataclass(frozen=True)
class Located:
    """A scalar string and the line it is on."""

    value: str
    line: int


def load_yaml(text: str, filename: str) -> Any:
    """Parse ``text``; mappings become LocatedDict, lists LocatedList, scalars str.

    >>> sheet = load_yaml("answer: no\\ncode: 007\\n", "x.yaml")
    >>> sheet["answer"].value, sheet["code"].value, sheet.line
    ('no', '007', 1)
    >>> load_yaml("a: 1\\na: 2\\n", "x.yaml")
    Traceback (most recent call last):
    ...
    cocagraph.errors.SheetError: x.yaml:2: duplicate key 'a'
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SheetError(f"{filename}:{line}: NUL byte in the sheet")
    try:
        # Anchors and deep nesting are refused on the event stream (which PyYAML produces
        # without recursion) before composing, so an alias bomb is never expanded and the
        # recursive composer never sees a thousand nested brackets.
        depth = 0
        for event in yaml.parse(text, Loader=yaml.BaseLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SheetError(f"{filename}:{line}: anchors and aliases are not allowed in claim sheets")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SheetError(f"{filename}:{line}: nesting too deep (over {MAX_DEPTH} levels)")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        documents = list(yaml.compose_all(text, Loader=yaml.BaseLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise SheetError(f"{filename}:{line}: YAML syntax error: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise SheetError(f"{filename}: YAML error: {exc}") from exc
    if len(documents) != 1 or documents[0] is None:
        raise SheetError(f"{filename}: a claim sheet is exactly one YAML document")
    return _convert(documents[0], filename)


def _convert(node: yaml.Node, filename: str) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in (
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:str",
    ):
        raise SheetError(f"{filename}:{line}: YAML tag {node.tag!r} is not allowed in claim sheets")
    if isinstance(node, yaml.MappingNode):
        result = LocatedDict()
        result.line = line
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise SheetError(f"{filename}:{key_line}: merge keys (<<) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise SheetError(f"{filename}:{key_line}: keys must be plain words")
            key = key_node.value
            _check_text(key, filename, key_line)
            if key in result:
                raise SheetError(f"{filename}:{key_line}: duplicate key {key!r}")
            result[key] = _convert(value_node, filename)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(item, filename) for item in node.value)
        items.line = line
        return items
    if "\x00" in node.value:  # written as the escape "\0" in a double-quoted scalar
        raise SheetError(f"{filename}:{line}: NUL character in a value")
    _check_text(node.value, filename, line)
    return Located(node.value, line)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(value: str, filename: str, line: int) -> None:
    """A lone surrogate (the escape "\\ud800" in a double-quoted scalar) is no character: refused,
    rather than written as "?" or failing later in the encoder."""
    if match := _SURROGATE.search(value):
        raise SheetError(
            f"{filename}:{line}: a lone surrogate (U+{ord(match.group()):04X}) is not a character; "
            "write the character itself, or \\U0001F600 for one beyond U+FFFF"
        )
