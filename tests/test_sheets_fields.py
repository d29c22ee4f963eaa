"""One definition of the sheet: the table of fields (cocagraph.sheet_fields) drives the compiler,
the writer, the CSV columns and the JSON Schema; these tests hold the four to the table."""

from __future__ import annotations

import pytest
import rdflib

from cocagraph import sheet_csv, sheet_fields, sheets
from cocagraph.sheet_fields import FIELDS, KINDS, LIST_KINDS, RULES, field_of, schema_text
from helpers import ROOT

CG = "https://w3id.org/cocagraph/ns#"


def test_the_shipped_schema_is_the_one_the_table_makes():
    shipped = (ROOT / "src" / "cocagraph" / "sheet-schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "regenerate: python -m cocagraph.sheet_fields > src/cocagraph/sheet-schema.json"


@pytest.mark.parametrize("section", list(FIELDS))
def test_every_field_has_a_kind_a_column_and_a_property(section):
    for f in FIELDS[section]:
        assert f.kind in KINDS, f.name
        assert f.name in sheet_csv.CSV_COLUMNS, f.name
        assert f.plain is False or f.rdf, f"{section}.{f.name}: a plain field needs its RDF property"
        assert (f.kind == "choice") == bool(f.choices), f.name
        assert f.kind not in ("ref", "refs") or f.ref, f.name


def test_a_name_is_a_list_everywhere_or_nowhere():
    # The CSV reader splits a cell by the name of its column, whatever the row's section.
    by_name: dict[str, set[bool]] = {}
    for fields in FIELDS.values():
        for f in fields:
            by_name.setdefault(f.name, set()).add(f.kind in LIST_KINDS)
    assert {name for name, kinds in by_name.items() if len(kinds) > 1} == set()
    assert {name for name, kinds in by_name.items() if True in kinds} == sheet_csv.LIST_FIELDS


def test_the_compiler_takes_its_keys_and_choices_from_the_table():
    assert {f.name for f in FIELDS["claims"]} == sheets._CLAIM_KEYS
    assert {f.name for f in FIELDS["relations"]} == sheets._RELATION_KEYS
    assert sheets.CLAIM_TYPES is field_of("claims", "type").choices
    assert sheets.RELATION_TYPES is field_of("relations", "type").choices


def test_rules_name_fields_of_their_section():
    for section, rules in RULES.items():
        names = {f.name for f in FIELDS[section]}
        for rule in rules:
            assert {rule.key, *rule.requires, *rule.one_of, *rule.only} <= names, rule
            assert rule.value in field_of(section, rule.key).choices, rule


def test_the_ontology_defines_every_property_the_table_compiles_to():
    graph = rdflib.Graph().parse(ROOT / "ontology" / "cocagraph.ttl")
    defined = {str(s) for s in graph.subjects(rdflib.RDF.type, None)}
    used = {f.rdf for fields in FIELDS.values() for f in fields if f.rdf and f.rdf.startswith(CG)}
    assert used - defined == set()
    assert sheet_fields.CSV_COLUMNS[:4] == ("section", "id", "type", "kind")
