"""`cocagraph validate`: exit 0 on the shipped graph, 1 on broken copies naming file and node,
2 on unreadable files naming file and line."""

from __future__ import annotations

from pathlib import Path

from cocagraph.loading import load
from cocagraph.validation import validate

ARTICLE_TTL = "graphs/psg-peru-coca.ttl"


def break_graph(root: Path, old: str, new: str, count: int = 1) -> Path:
    path = root / ARTICLE_TTL
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the graph"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_shipped_graph_is_valid(run_cli):
    result = run_cli("validate")
    assert result.code == 0, result.out
    assert "valid:" in result.out


def test_shipped_graph_conforms_with_no_violations(corpus):
    report = validate(corpus)
    assert report.conforms
    assert report.violations == ()


def test_causal_claim_without_evidence_is_a_violation_naming_file_and_node(graph_copy, run_cli):
    path = break_graph(
        graph_copy,
        "    cg:evidence <https://w3id.org/cocagraph/id/claim/wedge-cuts-sales-to-manufacturers/evidence/1>,\n"
        "        <https://w3id.org/cocagraph/id/claim/wedge-cuts-sales-to-manufacturers/evidence/2> ;\n",
        "",
    )
    result = run_cli("validate", "--graph", str(graph_copy / "ontology"), "--graph", str(path))
    assert result.code == 1
    line = next(
        row for row in result.out.splitlines() if "wedge-cuts-sales-to-manufacturers:" in row and "cg:evidence" in row
    )
    assert line.startswith(f"{path}: violation: claim/wedge-cuts-sales-to-manufacturers:")


def test_factor_without_label_is_a_violation(graph_copy):
    path = break_graph(graph_copy, 'skos:prefLabel "drug traffickers\' wealth"@en ;\n', "")
    report = validate(load([graph_copy / "ontology", path]))
    assert any(p.node == "factor/trafficker-wealth" and "prefLabel" in p.message for p in report.violations)


def test_dangling_reference_is_reported(graph_copy):
    path = break_graph(graph_copy, "cg:effect factor:drug-money-in-politics", "cg:effect factor:drug-money-in-polities")
    report = validate(load([graph_copy / "ontology", path]))
    assert any(
        "factor/drug-money-in-polities" in p.message and "no loaded file describes" in p.message
        for p in report.violations
    )


def test_ill_typed_literal_names_node_and_file(graph_copy):
    path = break_graph(graph_copy, "cg:value -25.0", 'cg:value "abc"^^xsd:decimal')
    report = validate(load([graph_copy / "ontology", path]))
    bad = [p for p in report.violations if "'abc' is not a valid xsd:decimal" in p.message]
    assert bad and bad[0].file == str(path) and bad[0].node.startswith("claim/")


def test_hedged_claim_without_hedge_is_a_violation(graph_copy):
    path = break_graph(graph_copy, '    cg:hedge "probably" ;\n', "")
    report = validate(load([graph_copy / "ontology", path]))
    assert any(p.node == "claim/peru-probably-top-cocaine-source" for p in report.violations)


def test_same_claim_described_differently_in_two_files(graph_copy, tmp_path):
    other = tmp_path / "other.ttl"
    other.write_text(
        "@prefix cg: <https://w3id.org/cocagraph/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/cocagraph/id/claim/wedge-needed> a cg:Claim ; rdfs:label "Another description"@en .\n',
        encoding="utf-8",
    )
    report = validate(load([graph_copy / "ontology", graph_copy / ARTICLE_TTL, other]))
    assert any(p.node == "claim/wedge-needed" and "described differently" in p.message for p in report.violations)


def test_unparseable_file_exits_2_with_file_and_line(graph_copy, run_cli):
    path = break_graph(graph_copy, "claim:wedge-needed a cg:Claim", "claim:wedge-needed a cg:Claim cg:Claim")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "claim:wedge-needed a cg:Claim cg:Claim" in text)
    result = run_cli("validate", str(graph_copy / "ontology"), str(path))
    assert result.code == 2
    assert result.err.startswith(f"cocagraph: error: {path}:{line}:")


def test_strict_turns_warnings_into_failures(run_cli):
    result = run_cli("validate", "--strict")
    assert result.code == 1
    assert "measuredBy" in result.out
