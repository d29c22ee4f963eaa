"""The argument verbs on the hand-made argument (tests/data/argument-mini.ttl): `argument`,
`standing`, and `export --format aif|argdown`, read back by real clients (arguebuf from PyPI, the
Argdown command line from npm)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cocagraph.argument import relations, tree
from cocagraph.argument.argdown import escape
from cocagraph.catalog import list_claims
from cocagraph.loading import load
from helpers import DATA, ROOT

MINI = DATA / "argument-mini.ttl"
SOURCE = (DATA / "argument-source.txt").read_text(encoding="utf-8")
ARGDOWN = ROOT / "tests" / "node" / "node_modules" / ".bin" / "argdown"


@pytest.fixture(scope="module")
def mini():
    return load([MINI])


def roles(node):
    return [(s.role, s.relation.id, str(s.standing)) for s in node.steps]


# ---------------------------------------------------------------- the tree


def test_a_policy_tree_starts_from_the_claims_about_it(mini):
    case = tree(mini, "build a bridge")
    assert (case.kind, case.label) == ("policy", "a bridge over the river")
    [(side, root), (then, consequence)] = case.roots
    assert (side, root.statement.id, str(root.statement.standing)) == ("for", "bridge-needed", "in")
    # then what the bridge brings about, by the graph's own causal claim (argument from consequences)
    assert (then, consequence.statement.id) == ("consequence", "bridge-cuts-traffic")
    assert root.statement.quote == "The town should build a bridge over the river."
    assert root.statement.asserted_by == "the test author"
    assert roles(root) == [("reason", "traffic-supports-bridge", "in"), ("concession", "not-easy-conceded", "out")]
    reason, concession = root.steps
    # the reason's undercut falls with its premise, which the author rebuts
    [undercut] = reason.answers
    assert (undercut.relation.id, str(undercut.standing), undercut.relation.signal) == (
        "on-time-undercuts-traffic",
        "out",
        "Yet",
    )
    [on_time] = undercut.premises
    assert roles(on_time) == [("objection", "skips-rebuts-on-time", "in")]
    # the concession: its premise granted (in), answered by an undercut that stands
    assert [(p.statement.id, str(p.statement.standing)) for p in concession.premises] == [("bridge-not-easy", "in")]
    assert [(a.relation.id, str(a.standing)) for a in concession.answers] == [
        ("ferry-failure-answers-concession", "in")
    ]
    # a qualification of the reason's premise is shown beside it
    [traffic] = reason.premises
    assert roles(traffic) == [("qualification", "rough-guide-qualifies-traffic", "in")]


def test_every_quote_in_the_tree_stands_in_the_source(mini):
    case = tree(mini, "bridge-needed", depth=5)

    def step_quotes(step):
        yield from (e.quote for e in step.relation.evidence)
        for premise in step.premises:
            yield from quotes(premise)
        for answer in step.answers:
            yield from step_quotes(answer)

    def quotes(node):
        yield node.statement.quote
        for step in node.steps:
            yield from step_quotes(step)

    found = list(quotes(case.roots[0][1]))
    assert len(found) > 10 and all(q in SOURCE for q in found)


def test_depth_cuts_the_tree_and_says_so(mini):
    shallow = tree(mini, "bridge-needed", depth=1)
    reason = shallow.roots[0][1].steps[0]
    assert reason.answers == ()  # the undercut is a second layer
    [traffic] = reason.premises
    assert traffic.steps == () and traffic.more is True
    assert tree(mini, "bridge-needed", depth=0).roots[0][1].more is True


def test_a_circle_of_rebuttals_is_not_followed_round(mini):
    case = tree(mini, "The river is rising", depth=10)
    root = case.roots[0][1]
    [falling] = root.steps[0].premises
    [back] = falling.steps[0].premises
    assert back.statement.id == "river-rising" and back.repeated and back.steps == ()


def test_names_resolve_as_everywhere(mini, run_cli):
    assert tree(mini, "ferry still runs on time").roots[0][1].statement.id == "ferry-on-time"
    result = run_cli("argument", "brigde", "--graph", str(MINI))
    assert result.code == 2 and "no claim or policy named 'brigde'" in result.err
    assert run_cli("argument", "bridge-needed", "--depth", "21", "--graph", str(MINI)).code == 2


# ---------------------------------------------------------------- the verbs


def test_argument_table_shows_quotes_standing_and_asserters(run_cli):
    result = run_cli("argument", "build a bridge", "--graph", str(MINI))
    assert result.code == 0, result.err
    assert "FOR [in] The town should build a bridge" in result.out
    assert "- concession [out]: The author grants that a bridge is not easy to build" in result.out
    assert "“Building a bridge is not easy, but the ferry has not been a success either.”" in result.out
    assert "signal “Yet”" in result.out and "the test author" in result.out


def test_argument_json_and_md(run_cli):
    data = json.loads(run_cli("argument", "bridge-needed", "--graph", str(MINI), "--format", "json").out)
    root = data["roots"][0]
    assert (data["kind"], root["side"], root["standing"]) == ("claim", "claim", "in")
    assert [r["type"] for r in root["relations"]] == ["support", "concession"]
    concession = root["relations"][1]
    assert concession["answered_by"][0]["premises"][0]["quote"] == "the ferry has not been a success either"
    md = run_cli("argument", "bridge-needed", "--graph", str(MINI), "--format", "md").out
    assert md.startswith("## The case for and against The town should build a bridge (claim)")
    assert "- concession **out**: The author grants" in md


def test_standing_lists_out_first_with_the_deciding_attacks(run_cli):
    result = run_cli("standing", "--graph", str(MINI), "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [r["standing"] for r in rows] == sorted((r["standing"] for r in rows), key=["out", "undecided", "in"].index)
    by_id = {r["id"]: r for r in rows}
    assert by_id["ferry-on-time"]["decided_by"] == ["skips-rebuts-on-time (rebuttal, in)"]
    assert by_id["on-time-undercuts-traffic"]["decided_by"] == [
        "skips-rebuts-on-time (rebuttal, in) through premise ferry-on-time"
    ]
    assert by_id["on-time-undercuts-traffic"]["kind"] == "relation: undercut"
    claims = json.loads(
        run_cli("standing", "--graph", str(MINI), "--claims-only", "--only", "in", "--format", "json").out
    )
    assert {r["kind"] for r in claims} == {"claim"} and {r["standing"] for r in claims} == {"in"}
    preferred = json.loads(
        run_cli("standing", "--graph", str(MINI), "--semantics", "preferred", "--format", "json").out
    )
    assert {r["id"]: r["standing"] for r in preferred}["engine-sound"] == "in"
    csv = run_cli("standing", "--graph", str(MINI), "--format", "csv").out
    assert csv.splitlines()[0] == "standing,id,kind,label,decided_by,iri"


# ---------------------------------------------------------------- AIF, read back by arguebuf


def test_aif_export_is_read_back_by_arguebuf(mini, run_cli, tmp_path):
    arguebuf = pytest.importorskip("arguebuf", reason="arguebuf is a test dependency: pip install -e '.[test]'")
    out = tmp_path / "mini.json"
    result = run_cli("export", "--format", "aif", "--graph", str(MINI), "-o", str(out))
    assert result.code == 0, result.err
    document = json.loads(out.read_text(encoding="utf-8"))
    graph = arguebuf.load.aif(document)
    rels = relations(mini)
    claims = list_claims(mini)
    attacks = [r for r in rels if r.type in ("rebuttal", "undercut", "concession", "qualification")]
    assert len(graph.atom_nodes) == len(claims) == 19
    assert len(graph.scheme_nodes) == len(rels) == 15
    assert sum(isinstance(n.scheme, arguebuf.Attack) for n in graph.scheme_nodes.values()) == len(attacks) == 13
    assert sum(isinstance(n.scheme, arguebuf.Support) for n in graph.scheme_nodes.values()) == 2
    assert len(graph.edges) == sum(len(r.premises) + 1 for r in rels) == 31
    # I-nodes hold the quotes to the letter; S-nodes name their scheme
    assert sorted(n.plain_text for n in graph.atom_nodes.values()) == sorted(c.quote for c in claims)
    assert all(n.plain_text in SOURCE for n in graph.atom_nodes.values())
    schemes = {n["scheme"] for n in document["nodes"] if n["type"] != "I"}
    assert schemes == {"support", "elaboration", "rebut", "undercut", "concession", "qualification"}
    # an undercut runs from a CA node to the S-node it attacks
    ids = {n["nodeID"]: n for n in document["nodes"]}
    undercut_targets = [
        ids[e["toID"]]["type"] for e in document["edges"] if ids[e["fromID"]].get("scheme") == "undercut"
    ]
    assert sorted(undercut_targets) == ["CA", "RA"]


def test_aif_export_refuses_the_causal_options(run_cli):
    result = run_cli("export", "--format", "aif", "--focus", "noise", "--graph", str(MINI))
    assert result.code == 2 and "--focus, --from and --to are for the causal formats" in result.err


# ---------------------------------------------------------------- Argdown, read back by the Argdown CLI and arguebuf


def argdown_json(path: Path, tmp_path: Path) -> dict:
    """Parse an Argdown file with the Argdown command line (the map included) and return its JSON."""
    if not ARGDOWN.exists() or shutil.which("node") is None:
        pytest.skip(
            f"the Argdown CLI is not at {ARGDOWN}: run `npm install --prefix tests/node @argdown/cli` (.ci/run does)"
        )
    out = tmp_path / "argdown-json"
    config = {
        "inputPath": str(path),
        "processes": {
            "read-back": {
                "process": [
                    "load-file",
                    "parse-input",
                    "log-parser-errors",
                    "build-model",
                    "build-map",
                    "export-json",
                    "save-as-json",
                ],
                "saveAs": {"outputDir": str(out)},
                "selection": {"excludeDisconnected": False},
            }
        },
        "logLevel": "error",
    }
    (tmp_path / "argdown.config.json").write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [str(ARGDOWN), "run", "read-back", "--config", str(tmp_path / "argdown.config.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "syntax error" not in done.stdout + done.stderr, done.stdout + done.stderr
    return json.loads((out / (path.stem + ".json")).read_text(encoding="utf-8"))


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_argdown_export_is_read_back_by_the_argdown_cli_and_arguebuf(mini, run_cli, tmp_path):
    path = tmp_path / "mini.argdown"
    result = run_cli("export", "--format", "argdown", "--graph", str(MINI), "-o", str(path))
    assert result.code == 0, result.err
    data = argdown_json(path, tmp_path)
    rels, claims = relations(mini), list_claims(mini)
    assert set(data["statements"]) == {c.id for c in claims}
    assert set(data["arguments"]) == {r.id for r in rels}
    # every statement's text is the claim's quote to the letter (once the tags are set aside)
    for claim in claims:
        text = data["statements"][claim.id]["members"][0]["text"]
        assert text == f"{claim.quote} #{claim.type}"
    kinds = [r["relationType"] for r in data["relations"]]
    assert kinds.count("undercut") == 2
    assert kinds.count("attack") == sum(r.type in ("rebuttal", "concession", "qualification") for r in rels) == 11
    assert kinds.count("support") == sum(len(r.premises) for r in rels) + 2  # premises, and the RA relations
    assert len(data["map"]["nodes"]) == len(claims) + len(rels)
    arguebuf = pytest.importorskip("arguebuf", reason="arguebuf is a test dependency: pip install -e '.[test]'")
    graph = arguebuf.load.argdown(data)
    assert len(graph.atom_nodes) == len(claims) + len(rels)
    assert len(graph.scheme_nodes) == len(data["map"]["edges"]) == 31


def test_argument_argdown_tree_is_read_back_by_the_argdown_cli(run_cli, tmp_path):
    path = tmp_path / "case.argdown"
    result = run_cli("argument", "build a bridge", "--graph", str(MINI), "--format", "argdown", "-o", str(path))
    assert result.code == 0, result.err
    data = argdown_json(path, tmp_path)
    root = data["statements"]["bridge-needed"]
    assert set(root["members"][0]["tags"]) == {"in", "for"}
    undercut = data["arguments"]["ferry-failure-answers-concession"]
    assert {(r["from"], r["to"], r["relationType"]) for r in undercut["relations"]} >= {
        ("ferry-failure-answers-concession", "not-easy-conceded", "undercut"),
        ("ferry-no-success", "ferry-failure-answers-concession", "support"),
    }


def test_argdown_escapes_its_markup_so_quotes_read_back_to_the_letter():
    text = "a [b] <c> {d} #e *f* _g_ // h /* i */ \\ j"
    assert unescaped(escape(text)) == text
    assert escape("two\nlines") == "two lines"


def test_the_articles_aif_is_read_back_by_arguebuf_with_its_attacks_and_supports(corpus, run_cli, tmp_path):
    arguebuf = pytest.importorskip("arguebuf", reason="arguebuf is a test dependency: pip install -e '.[test]'")
    out = tmp_path / "article.json"
    assert run_cli("export", "--format", "aif", "-o", str(out)).code == 0
    graph = arguebuf.load.aif(json.loads(out.read_text(encoding="utf-8")))
    rels, claims = relations(corpus), list_claims(corpus)
    conflicts = sum(r.type in ("rebuttal", "undercut", "concession", "qualification") for r in rels)
    assert len(graph.atom_nodes) == len(claims) and len(graph.scheme_nodes) == len(rels)
    assert sum(isinstance(n.scheme, arguebuf.Attack) for n in graph.scheme_nodes.values()) == conflicts > 0
    assert sum(isinstance(n.scheme, arguebuf.Support) for n in graph.scheme_nodes.values()) == len(rels) - conflicts > 0
    assert len(graph.edges) == sum(len(r.premises) + 1 for r in rels)
