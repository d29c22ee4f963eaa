"""Claim sheets in YAML: every refusal of reliability items 10-15, and what the compiler writes."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
import rdflib

from cocagraph.errors import SheetError
from cocagraph.sheets import compile_sheet, sheet_to_turtle
from cocagraph.yamlsafe import load_yaml
from helpers import DATA, ROOT

MINI_TEXT = DATA / "mini-source.txt"
MINI_SHEET = DATA / "mini.sheet.yaml"
CG = rdflib.Namespace("https://w3id.org/cocagraph/ns#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ID = rdflib.Namespace("https://w3id.org/cocagraph/id/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = rdflib.XSD

HEAD = """\
source:
  id: tiny
  title: A tiny text
  author: me
actors:
  - id: me
    label: me
factors:
  - id: rain
    label: rain
  - id: river-level
    label: river level
"""


def write(tmp_path: Path, sheet: str, text: str = "Rain raises rivers. Rain raises rivers again.") -> tuple[Path, Path]:
    sheet_path = tmp_path / "s.sheet.yaml"
    text_path = tmp_path / "t.txt"
    sheet_path.write_text(textwrap.dedent(sheet), encoding="utf-8")
    text_path.write_text(text, encoding="utf-8")
    return sheet_path, text_path


def claim(quote: str = "Rain raises rivers again", **extra: str) -> str:
    lines = [
        "claims:",
        "  - id: rain-raises-rivers",
        "    type: causal",
        "    label: Rain raises rivers",
        "    cause: rain",
        "    effect: river-level",
        '    polarity: "+"',
        f"    quote: {quote}",
    ]
    lines += [f"    {k}: {v}" for k, v in extra.items()]
    return HEAD + "\n".join(lines) + "\n"


def refused(tmp_path: Path, sheet: str, text: str | None = None) -> str:
    paths = write(tmp_path, sheet) if text is None else write(tmp_path, sheet, text)
    with pytest.raises(SheetError) as info:
        compile_sheet(*paths)
    return str(info.value)


# ---------------------------------------------------------------- item 10: duplicate keys, bombs, tags


def test_duplicate_key_is_refused_with_its_line(tmp_path):
    message = refused(tmp_path, HEAD.replace("  title: A tiny text\n", "  title: A tiny text\n  title: again\n"))
    assert message.endswith("s.sheet.yaml:4: duplicate key 'title'")


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    message = refused(tmp_path, bomb)
    assert "s.sheet.yaml:1: anchors and aliases are not allowed" in message


def test_a_merge_key_is_refused(tmp_path):
    message = refused(tmp_path, HEAD + "claims:\n  - <<: {id: x}\n")
    assert "s.sheet.yaml:14: merge keys (<<) are not allowed" in message


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/object/apply:os.system", "!!binary", "!!int"])
def test_tags_are_refused_with_their_line(tmp_path, tag):
    message = refused(tmp_path, HEAD.replace("  title: A tiny text", f"  title: {tag} ls"))
    assert message.startswith(f"{tmp_path / 's.sheet.yaml'}:3: YAML tag")
    assert "not allowed" in message


def test_python_tag_runs_nothing(tmp_path, monkeypatch):
    import os

    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a))
    refused(tmp_path, "source: !!python/object/apply:os.system ['echo hi']\n")
    assert called == []


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    message = refused(tmp_path, "source: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nesting too deep" in message


def test_nul_byte_and_bad_encoding_name_the_line(tmp_path):
    sheet_path, text_path = write(tmp_path, HEAD)
    sheet_path.write_bytes(HEAD.encode() + b"claims:\n  - id: a\x00b\n")
    with pytest.raises(SheetError, match=r"s\.sheet\.yaml:14: NUL byte"):
        compile_sheet(sheet_path, text_path)
    sheet_path.write_bytes(HEAD.encode() + b"claims:\n  - label: caf\xe9\n")
    with pytest.raises(SheetError, match=r"s\.sheet\.yaml:14: not UTF-8"):
        compile_sheet(sheet_path, text_path)


def test_an_escaped_nul_is_refused_too(tmp_path):
    assert "s.sheet.yaml:3: NUL character in a value" in refused(tmp_path, HEAD.replace("A tiny text", '"A\\0tiny"'))


def test_a_byte_order_mark_is_accepted(tmp_path):
    sheet_path, text_path = write(tmp_path, claim())
    sheet_path.write_bytes(b"\xef\xbb\xbf" + sheet_path.read_bytes())
    assert len(compile_sheet(sheet_path, text_path)) > 10


# ---------------------------------------------------------------- item 11: no YAML 1.1 coercion


def test_no_007_and_bare_dates_stay_strings():
    sheet = load_yaml("a: no\nb: 007\nc: 2013-09-24\nd: yes\ne: 1e3\nf: ~\ng: 0x1F\n", "x.yaml")
    assert {k: v.value for k, v in sheet.items()} == {
        "a": "no", "b": "007", "c": "2013-09-24", "d": "yes", "e": "1e3", "f": "~", "g": "0x1F",
    }  # fmt: skip


def test_plain_words_compile_as_the_words_typed(tmp_path):
    sheet = HEAD.replace("    label: rain\n", "    label: no\n    alt: [007, 2013-09-24, yes]\n")
    graph = compile_sheet(*write(tmp_path, sheet + claim().split(HEAD)[1]))
    rain = ID["factor/rain"]
    assert graph.value(rain, SKOS.prefLabel) == rdflib.Literal("no", lang="en")
    assert set(graph.objects(rain, SKOS.altLabel)) == {
        rdflib.Literal(v, lang="en") for v in ("007", "2013-09-24", "yes")
    }


def test_dates_are_typed_by_the_compiler_and_bad_ones_refused(tmp_path):
    graph = compile_sheet(*write(tmp_path, claim(date="2013-09-24", period="2011/2012")))
    subject = ID["claim/rain-raises-rivers"]
    assert graph.value(subject, rdflib.URIRef("http://purl.org/dc/terms/date")) == rdflib.Literal(
        "2013-09-24", datatype=XSD.date
    )
    assert graph.value(subject, CG.periodStart) == rdflib.Literal("2011", datatype=XSD.gYear)
    message = refused(tmp_path, claim(date="24/09/2013"))
    assert ":21: '24/09/2013' is not a year" in message


def test_a_non_numeric_value_is_a_clear_type_error(tmp_path):
    sheet = HEAD + textwrap.dedent("""\
        claims:
          - id: rain-fell
            type: statistical
            label: Rain fell
            quantity: rain
            value: about ten
            unit: percent-change
            period: "2012"
            quote: Rain raises rivers again
        """)
    assert "s.sheet.yaml:18: value 'about ten' is not a decimal number" in refused(tmp_path, sheet)


# ---------------------------------------------------------------- item 15 and the quotes


def test_a_quote_not_in_the_text_is_refused_with_the_closest_passage(tmp_path):
    message = refused(tmp_path, claim("Rain raises the rivers"))
    assert "s.sheet.yaml:20: the quote is not in t.txt to the letter: 'Rain raises the rivers'" in message
    assert "closest passage: 'Rain raises rivers." in message


def test_a_quote_standing_twice_needs_an_occurrence(tmp_path):
    message = refused(tmp_path, claim("Rain raises rivers"))
    assert "stands 2 times in t.txt" in message and "[occurrence N]" in message
    graph = compile_sheet(*write(tmp_path, claim("Rain raises rivers [occurrence 2]")))
    selector = ID["claim/rain-raises-rivers/evidence/1/quote"]
    position = ID["claim/rain-raises-rivers/evidence/1/position"]
    assert graph.value(selector, OA.exact) == rdflib.Literal("Rain raises rivers")
    assert graph.value(selector, OA.prefix) == rdflib.Literal("Rain raises rivers. ")
    assert graph.value(selector, OA.suffix) == rdflib.Literal(" again.")
    assert (int(graph.value(position, OA.start)), int(graph.value(position, OA.end))) == (20, 38)
    assert "only 2 times, not 3" in refused(tmp_path, claim("Rain raises rivers [occurrence 3]"))


def test_offsets_count_code_points(tmp_path):
    text = "🌧️ Lluvia: «Rain raises rivers again»."
    graph = compile_sheet(*write(tmp_path, claim(), text))
    position = ID["claim/rain-raises-rivers/evidence/1/position"]
    start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
    assert text[start:end] == "Rain raises rivers again"


def test_the_source_records_the_texts_hash(tmp_path):
    sheet_path, text_path = write(tmp_path, claim())
    graph = compile_sheet(sheet_path, text_path)
    digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
    assert graph.value(ID["source/tiny"], CG.sha256) == rdflib.Literal(digest)


# ---------------------------------------------------------------- entries


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"certainty": "hedged"}, "a hedged claim needs its 'hedge' words"),
        ({"explicitness": "inferred"}, "an inferred claim needs a 'reason'"),
        ({"asserted_by": "you"}, "no actor with id 'you'"),
        ({"supports": "rain-raises-rivers"}, "a claim has an unknown key 'supports'"),
        ({"colour": "red"}, "a claim has an unknown key 'colour'"),
        ({"certainity": "hedged"}, "(did you mean 'certainty'?)"),
        ({"value": "3"}, "only a statistical claim has quantity"),
    ],
)
def test_mistakes_in_a_claim_name_the_line(tmp_path, extra, expected):
    message = refused(tmp_path, claim(**extra))
    assert expected in message
    assert str(tmp_path / "s.sheet.yaml") + ":" in message


def test_a_bad_choice_lists_the_options(tmp_path):
    message = refused(tmp_path, claim().replace('polarity: "+"', "polarity: up"))
    assert "s.sheet.yaml:19: 'polarity' is 'up', not one of +, increases, -, decreases" in message


def test_an_unknown_reference_suggests_the_closest_id_and_uses(tmp_path):
    message = refused(tmp_path, claim().replace("effect: river-level", "effect: river-levels"))
    assert "s.sheet.yaml:18: no factor with id 'river-levels'; did you mean 'river-level'?" in message
    assert "'uses'" in message


def test_ids_are_checked(tmp_path):
    assert "must be lower-case words joined by hyphens" in refused(tmp_path, HEAD.replace("id: rain\n", "id: Rain\n"))
    twice = HEAD + "  - id: rain\n    label: rain again\n"
    assert "factor id 'rain' is already used (" in refused(tmp_path, twice)
    curators = HEAD.replace("  - id: me\n", "  - id: cocagraph-curators\n    label: us\n  - id: me\n")
    assert "'cocagraph-curators' is reserved" in refused(tmp_path, curators)


def test_uses_takes_ids_from_other_graphs_and_checks_them(tmp_path):
    sheet = HEAD + textwrap.dedent("""\
        uses:
          factors: [coca-production-peru]
        claims:
          - id: rain-raises-coca
            type: causal
            label: Rain raises coca production
            cause: rain
            effect: coca-production-peru
            polarity: "+"
            quote: Rain raises rivers again
        """)
    paths = write(tmp_path, sheet)
    graph = compile_sheet(*paths, uses_from=[ROOT / "graphs"])
    assert (ID["claim/rain-raises-coca"], CG.effect, ID["factor/coca-production-peru"]) in graph
    assert (ID["factor/coca-production-peru"], None, None) not in graph  # described by the article, not here
    typo = write(tmp_path, sheet.replace("coca-production-peru", "coca-productoin-peru"))
    with pytest.raises(
        SheetError, match=r"'uses' names factor 'coca-productoin-peru'.*did you mean 'coca-production-peru'"
    ):
        compile_sheet(*typo, uses_from=[ROOT / "graphs"])


def test_exact_match_takes_ids_and_iris(tmp_path):
    sheet = HEAD.replace(
        "    label: river level\n",
        "    label: river level\n    exact_match: [rain, 'https://www.wikidata.org/wiki/Q1']\n",
    )
    graph = compile_sheet(*write(tmp_path, sheet + claim().split(HEAD)[1]))
    assert set(graph.objects(ID["factor/river-level"], SKOS.exactMatch)) == {
        ID["factor/rain"], rdflib.URIRef("https://www.wikidata.org/wiki/Q1"),
    }  # fmt: skip
    itself = HEAD.replace("    label: river level\n", "    label: river level\n    exact_match: river-level\n")
    assert "cannot be an exact match of itself" in refused(tmp_path, itself)
    bad = HEAD.replace("    label: river level\n", "    label: river level\n    exact_match: 'javascript:alert(1)'\n")
    assert "no factor with id 'javascript:alert(1)'" in refused(tmp_path, bad)


# ---------------------------------------------------------------- deterministic output


def test_output_is_deterministic_and_sorted(tmp_path):
    first = sheet_to_turtle(MINI_SHEET, MINI_TEXT)
    assert first == sheet_to_turtle(MINI_SHEET, MINI_TEXT)
    # The same entries in another order give the same bytes.
    text = MINI_SHEET.read_text(encoding="utf-8")
    head, _, claims = text.partition("claims:\n")
    entries = claims.split("  - id: ")[1:]
    shuffled = tmp_path / "mini.sheet.yaml"
    shuffled.write_text(head + "claims:\n" + "".join("  - id: " + e for e in reversed(entries)), encoding="utf-8")
    assert sheet_to_turtle(shuffled, MINI_TEXT) == first


def test_the_compiled_turtle_reparses_isomorphic(tmp_path):
    from rdflib.compare import isomorphic

    turtle = sheet_to_turtle(MINI_SHEET, MINI_TEXT)
    assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), compile_sheet(MINI_SHEET, MINI_TEXT))


def test_a_period_is_stated_or_inferred_not_both(tmp_path):
    from cocagraph.errors import SheetError
    from cocagraph.sheets import compile_sheet
    from helpers import DATA

    sheet = (
        (DATA / "mini.sheet.yaml")
        .read_text(encoding="utf-8")
        .replace("    places: testland\n", '    places: testland\n    period: "2012"\n    inferred_period: "2012"\n', 1)
    )
    path = tmp_path / "both.sheet.yaml"
    path.write_text(sheet, encoding="utf-8")
    with pytest.raises(SheetError, match="not both"):
        compile_sheet(path, DATA / "mini-source.txt")
