"""The whatif and compare verbs: formats, scenario files, and bad input (exit 2, nothing written)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

CHAIN_TTL = """\
@prefix cg: <https://w3id.org/cocagraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix f: <https://example.org/factor/> .
@prefix c: <https://example.org/claim/> .
f:a a cg:Factor ; skos:prefLabel "policy A"@en ; skos:altLabel "the policy"@en .
f:b a cg:Factor ; skos:prefLabel "middle B"@en .
f:c a cg:Factor ; skos:prefLabel "harm C"@en .
f:d a cg:Factor ; skos:prefLabel "elsewhere D"@en .
c:ab a cg:CausalClaim ; rdfs:label "A raises B" ; cg:cause f:a ; cg:effect f:b ;
  cg:polarity cg:Increases ; cg:certainty cg:Asserted ; cg:explicitness cg:Stated .
c:bc a cg:CausalClaim ; rdfs:label "B lowers C" ; cg:cause f:b ; cg:effect f:c ;
  cg:polarity cg:Decreases ; cg:certainty cg:Hedged ; cg:hedge "appear to" ; cg:explicitness cg:Inferred .
"""
F = "https://example.org/factor/"
#: a = +1 gives b = tanh(1) and c = tanh(-0.5 * 0.75 * tanh(1)) (hedged, inferred, decreasing).
B, C = math.tanh(1.0), math.tanh(-0.375 * math.tanh(1.0))


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    path = tmp_path / "chain.ttl"
    path.write_text(CHAIN_TTL, encoding="utf-8")
    return path


def test_whatif_json_gives_the_hand_worked_values(run_cli, chain):
    result = run_cli(
        "whatif", "--graph", str(chain), "--set", "policy a=+1", "--format", "json", "--tolerance", "1e-12"
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    changes = {m["iri"]: m["change"] for m in data["moved"]}
    assert changes[F + "b"] == pytest.approx(B, abs=1e-6)
    assert changes[F + "c"] == pytest.approx(C, abs=1e-6)
    assert data["unreachable"] == [{"factor": "elsewhere D", "iri": F + "d"}]
    assert data["status"] == "converged" and "not a forecast" in data["note"]
    step = data["moved"][1]["chains"][0]["steps"][1]["claims"][0]
    assert (step["id"], step["sign"], step["certainty"], step["hedge"], step["explicitness"]) == (
        "bc",
        "-",
        "hedged",
        "appear to",
        "inferred",
    )
    assert data["method"]["weights"] == {"asserted": 1.0, "hedged": 0.5, "stated": 1.0, "inferred": 0.75}


def test_whatif_table_says_what_it_is_and_what_it_cannot_reach(run_cli, chain):
    result = run_cli("whatif", "--graph", str(chain), "--set", "the policy")
    assert result.code == 0, result.err
    assert "What the argument implies, not a forecast" in result.out
    assert "harm C    -0.278  down" in result.out
    assert "bc (-, hedged 'appear to', inferred)" in result.out
    assert "Cannot reach (1" in result.out and "elsewhere D" in result.out


def test_whatif_csv_is_one_table_and_the_note_goes_to_stderr(run_cli, chain):
    result = run_cli("whatif", "--graph", str(chain), "--set", "policy A=-1", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["factor"], r["direction"]) for r in rows] == [
        ("policy A", "set"),
        ("middle B", "down"),
        ("harm C", "up"),
        ("elsewhere D", "unreachable"),
    ]
    assert float(rows[2]["change"]) == pytest.approx(-C, abs=1e-3)
    assert rows[2]["chain"] == "policy A -[+]-> middle B -[-]-> harm C"
    assert "not a forecast" in result.err


def test_whatif_md_carries_the_note_and_the_chain(run_cli, chain):
    result = run_cli("whatif", "--graph", str(chain), "--set", "policy a=up", "--format", "md")
    assert result.code == 0, result.err
    assert "not a forecast" in result.out
    assert "| harm C | -0.278 | down | True | policy A -[+]-> middle B -[-]-> harm C |" in result.out


def test_whatif_writes_to_a_file(run_cli, chain, tmp_path):
    out = tmp_path / "answer.json"
    result = run_cli("whatif", "--graph", str(chain), "--set", "policy a", "--format", "json", "-o", str(out))
    assert result.code == 0 and result.out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["scenario"]["set"][0]["iri"] == F + "a"


def test_scenario_file(run_cli, chain, tmp_path):
    scenario = tmp_path / "lower-b.yaml"
    scenario.write_text("name: push B down\ndescription: a test\nset:\n  middle b: -1\n", encoding="utf-8")
    result = run_cli("whatif", str(scenario), "--graph", str(chain), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["scenario"]["name"] == "push B down" and data["scenario"]["origin"] == str(scenario)
    assert [m["factor"] for m in data["moved"]] == ["harm C"]
    assert data["moved"][0]["change"] == pytest.approx(math.tanh(0.375), abs=1e-5)
    assert {u["factor"] for u in data["unreachable"]} == {"policy A", "elsewhere D"}


def test_compare_two_files_and_a_name(run_cli, chain, tmp_path):
    scenario = tmp_path / "a.yml"
    scenario.write_text("set:\n  policy a: +1\n", encoding="utf-8")
    result = run_cli("compare", str(scenario), "middle B=-1", "--graph", str(chain), "--format", "csv")
    assert result.code == 0, result.err
    rows = {r["factor"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert (rows["harm C"]["direction_a"], rows["harm C"]["direction_b"]) == ("down", "up")
    assert rows["middle B"]["direction_b"] == "set"
    assert "chain 1: ab (+, asserted, stated); bc (-, hedged 'appear to', inferred)" in rows["harm C"]["claims_a"]


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_compare_people_formats_name_both_scenarios(run_cli, chain, fmt):
    result = run_cli("compare", "policy a", "middle b=-1", "--graph", str(chain), "--format", fmt)
    assert result.code == 0, result.err
    assert "policy A = +1" in result.out and "middle B = -1" in result.out and "not a forecast" in result.out


def test_method_options_change_the_answer(run_cli, chain):
    result = run_cli(
        "whatif",
        "--graph",
        str(chain),
        "--set",
        "policy a",
        "--format",
        "json",
        "--hedged-weight",
        "1",
        "--inferred-weight",
        "1",
        "--tolerance",
        "1e-12",
    )
    change = next(m["change"] for m in json.loads(result.out)["moved"] if m["factor"] == "harm C")
    assert change == pytest.approx(math.tanh(-math.tanh(1.0)), abs=1e-6)


# ---- bad input: exit 2, one line, nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["whatif", "--set", "no such factor=+1"], "no factor named 'no such factor'"),
        (["whatif", "--set", "polcy a=+1"], "did you mean: 'policy A'"),
        (["whatif", "--set", "policy a=2"], "out of range"),
        (["whatif", "--set", "policy a=lots"], "not a number"),
        (["whatif", "--set", "=1"], "names no factor"),
        (["whatif", "--set", "policy a=1", "--set", "the policy=-1"], "set twice"),
        (["whatif"], "--set"),
        (["whatif", "--set", "policy a", "--steps", "0"], "--steps"),
        (["compare", "policy a"], "SCENARIO_B"),
        (["compare", "policy a", "missing.yaml"], "missing.yaml: no such scenario file"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(run_cli, chain, tmp_path, args, message):
    out = tmp_path / "out.txt"
    result = run_cli(*args, "--graph", str(chain), "-o", str(out))
    assert result.code == 2, result.out
    assert message in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_unknown_name_suggests_the_closest(run_cli):
    result = run_cli("whatif", "--set", "regulate cocaa")
    assert result.code == 2
    assert "did you mean" in result.err and "regulation of coca production" in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("set:\n  policy a: +1\n  policy a: -1\n", ":3: duplicate key 'policy a'"),
        ("set:\n  nobody: +1\n", ":2: no factor named 'nobody'"),
        ("set:\n  policy a: 5\n", ":2: the value '5' is out of range"),
        ("set:\n  policy a: !!python/object:os.system +1\n", "not allowed"),
        ("name: x\nsett:\n  policy a: 1\n", ":1: unknown key 'sett'"),
        ("name: x\n", "'set' must map factor names"),
        ("- policy a\n", "a scenario file is a mapping"),
        ("set:\n  policy a: [1]\n", "must be a number"),
        ("a: &x 1\nb: *x\n", "anchors and aliases are not allowed"),
    ],
)
def test_bad_scenario_files_name_the_line(run_cli, chain, tmp_path, text, message):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_cli("whatif", str(scenario), "--graph", str(chain), "-o", str(out))
    assert result.code == 2, result.out
    assert message in result.err and str(scenario) in result.err
    assert not out.exists()


def test_scenario_file_that_is_not_utf8(run_cli, chain, tmp_path):
    scenario = tmp_path / "latin1.yaml"
    scenario.write_bytes("set:\n  políticá: 1\n".encode("latin-1"))
    result = run_cli("whatif", str(scenario), "--graph", str(chain))
    assert result.code == 2 and "not UTF-8 (byte" in result.err


def test_verbs_are_listed_and_documented(run_cli):
    listing = run_cli("--help").out
    assert "whatif" in listing and "compare" in listing
    for verb in ("whatif", "compare"):
        text = " ".join(run_cli(verb, "--help").out.split())
        assert "not a forecast" in text and "--steps" in text and "--format" in text
    docs = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"
    assert "not a forecast" in docs.read_text(encoding="utf-8")


def test_limit_says_what_it_left_out(run_cli, chain):
    table = run_cli("whatif", "--graph", str(chain), "--set", "policy a", "--limit", "1")
    assert table.code == 0, table.err
    assert "(1 more factor(s) reached but not shown" in table.out and "harm C" not in table.out.split("Cannot")[0]
    data = json.loads(
        run_cli("whatif", "--graph", str(chain), "--set", "policy a", "--limit", "1", "--format", "json").out
    )
    assert [m["factor"] for m in data["moved"]] == ["middle B"] and data["omitted"] == 1
    both = json.loads(
        run_cli("compare", "policy a", "middle b=-1", "--graph", str(chain), "--limit", "2", "--format", "json").out
    )
    assert len(both["factors"]) == 2 and both["omitted"] == 1
