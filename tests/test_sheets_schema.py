"""The JSON Schema for editors (src/cocagraph/sheet-schema.json) says what the compiler accepts.

No JSON Schema library is a dependency, so a small validator for the keywords the schema uses
checks the shipped and test sheets against it, and a few wrong sheets are refused by both the
schema and the compiler.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from cocagraph import sheets
from cocagraph.sheet_csv import CSV_COLUMNS
from helpers import DATA, ROOT

SCHEMA_PATH = ROOT / "src" / "cocagraph" / "sheet-schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
SHEETS = [ROOT / "graphs" / "psg-peru-coca.sheet.yaml", DATA / "mini.sheet.yaml", DATA / "contrary.sheet.yaml"]


def errors(instance: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """The keywords of draft 2020-12 this schema uses, checked; an empty list when valid."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return errors(instance, SCHEMA["$defs"][name], path)
    found: list[str] = []
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else types
        kinds = {"object": dict, "array": list, "string": str, "number": (int, float), "boolean": bool}
        if not any(isinstance(instance, kinds[t]) for t in allowed):
            return [f"{path}: not {types}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{path}: {instance!r} not in {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        found.append(f"{path}: not {schema['const']!r}")
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            found.append(f"{path}: {instance!r} does not match {schema['pattern']}")
        if len(instance) < schema.get("minLength", 0):
            found.append(f"{path}: too short")
    if isinstance(instance, dict):
        for key in schema.get("required", ()):
            if key not in instance:
                found.append(f"{path}: missing {key}")
        properties = schema.get("properties", {})
        for key, value in instance.items():
            if key in properties:
                found += errors(value, properties[key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}: unknown key {key}")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            found.append(f"{path}: too few items")
        if "items" in schema:
            for n, item in enumerate(instance):
                found += errors(item, schema["items"], f"{path}[{n}]")
    if "oneOf" in schema and sum(not errors(instance, s, path) for s in schema["oneOf"]) != 1:
        found.append(f"{path}: not exactly one of the choices")
    if "anyOf" in schema and not any(not errors(instance, s, path) for s in schema["anyOf"]):
        found.append(f"{path}: none of the choices")
    for sub in schema.get("allOf", ()):
        found += errors(instance, sub, path)
    if "not" in schema and not errors(instance, schema["not"], path):
        found.append(f"{path}: matches what is not allowed")
    if "if" in schema:
        branch = schema.get("then") if not errors(instance, schema["if"], path) else schema.get("else")
        if branch is not None:
            found += errors(instance, branch, path)
    return found


def load(path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_the_schema_is_a_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["required"] == ["source"]


@pytest.mark.parametrize(
    ("section", "keys"),
    [
        ("source", sheets._SOURCE_KEYS),
        ("actors", sheets._ACTOR_KEYS),
        ("places", sheets._PLACE_KEYS),
        ("factors", sheets._FACTOR_KEYS),
        ("claims", sheets._CLAIM_KEYS),
        ("relations", sheets._RELATION_KEYS),
    ],
)
def test_the_schema_has_the_compilers_keys(section, keys):
    node = SCHEMA["properties"][section]
    properties = node["properties"] if "properties" in node else node["items"]["properties"]
    assert set(properties) == keys
    assert keys <= set(CSV_COLUMNS)  # every field has its CSV column
    assert set(SCHEMA["properties"]) == sheets._SECTIONS


def test_the_schema_has_the_compilers_choices():
    claim = SCHEMA["properties"]["claims"]["items"]["properties"]
    assert claim["type"]["enum"] == list(sheets.CLAIM_TYPES)
    assert claim["polarity"]["enum"] == list(sheets.POLARITIES)
    assert claim["unit"]["enum"] == list(sheets.UNITS)
    assert claim["stance"]["enum"] == list(sheets.STANCES)
    relation = SCHEMA["properties"]["relations"]["items"]["properties"]
    assert relation["type"]["enum"] == list(sheets.RELATION_TYPES)


@pytest.mark.parametrize("path", SHEETS, ids=[p.name for p in SHEETS])
def test_every_sheet_we_ship_is_valid(path):
    assert errors(load(path), SCHEMA) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c.update(certainty="hedged"), "missing hedge"),
        (lambda c: c.pop("polarity"), "missing polarity"),
        (lambda c: c.update(colour="red"), "unknown key colour"),
        (lambda c: c.update(polarity="up"), "'up' not in"),
        (lambda c: c.update(id="Rain Raises"), "does not match"),
        (lambda c: c.update(value="3"), "matches what is not allowed"),
    ],
)
def test_wrong_claims_are_refused_by_the_schema(change, expected):
    sheet = load(DATA / "mini.sheet.yaml")
    change(sheet["claims"][1])
    assert any(expected in e for e in errors(sheet, SCHEMA))
