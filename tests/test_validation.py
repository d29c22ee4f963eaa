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


def test_a_relations_hedge_word_carried_by_its_premise_or_conclusion_is_no_warning(corpus, graph_copy):
    # "Washington appears to cast a blind eye": the hedge is the premise's and the conclusion's
    # (both hedged "appears to"), not the support's; likewise "probably" (the conclusion's) and
    # "do not appear to" (the premise's).
    relations = {"relation/bolivia-and-peru-contrasted", "relation/cocaine-data-conceded"}
    relations.add("relation/failing-methods-ground-regulation")
    assert not [p for p in validate(corpus).warnings if p.node in relations]
    # Made asserted, the conclusion no longer carries "probably": the relation's quote is flagged.
    path = graph_copy / ARTICLE_TTL
    text = path.read_text(encoding="utf-8")
    start = text.index("\nclaim:peru-probably-top-cocaine-source a ")
    end = text.index(" .\n", start)
    block = text[start:end].replace("cg:Hedged", "cg:Asserted").replace('    cg:hedge "probably" ;\n', "")
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    warned = [p.node for p in validate(load([graph_copy / "ontology", path])).warnings if "hedge word" in p.message]
    assert "relation/cocaine-data-conceded" in warned


def test_strict_turns_warnings_into_failures(run_cli):
    result = run_cli("validate", "--strict")
    assert result.code == 1
    assert "measuredBy" in result.out


# -- issue 12: one reading, as written; RDF 1.2; shapes that would reach the network ------------


def _ontology_args():
    from cocagraph.resources import ontology_dir

    return ["--graph", str(ontology_dir())]


def test_validate_accepts_what_the_loader_accepts(tmp_path, run_cli):
    tight = tmp_path / "tight.nt"
    tight.write_text("<http://a/s><http://a/p><http://a/o>.\n", encoding="utf-8")
    assert run_cli("info", "--graph", str(tight)).code == 0
    result = run_cli("validate", *_ontology_args(), "--graph", str(tight))
    assert result.code == 0, result.out + result.err


def test_validate_counts_literals_as_the_document_keeps_them(tmp_path, run_cli):
    numbers = tmp_path / "numbers.ttl"
    numbers.write_text(
        '<http://a/s> <http://a/p> 1.0, "1"^^<http://www.w3.org/2001/XMLSchema#decimal>, 01 .\n', encoding="utf-8"
    )
    result = run_cli("validate", "--graph", str(numbers))
    assert "3 triples" in result.out, result.out + result.err


def test_rdf_1_2_triple_terms_are_read_and_shacl_says_in_one_line_what_it_skipped(tmp_path, run_cli):
    star = tmp_path / "star.ttl"
    star.write_text(
        'VERSION "1.2"\n<http://a/s> <http://a/p> <<( <http://a/x> <http://a/y> <http://a/z> )>> .\n'
        '<http://a/s> <http://a/q> "hi"@en--ltr .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", *_ontology_args(), "--graph", str(star))
    assert result.code == 0, result.out + result.err
    notes = [line for line in result.out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "2 triple(s)" in notes[0] and str(star) in notes[0]
    assert result.err == ""


def test_shapes_with_a_service_constraint_are_refused_and_nothing_is_fetched(tmp_path, run_cli):
    import sys

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://a/Shape> a sh:NodeShape ; sh:targetNode <http://a/s> ;\n"
        '  sh:sparql [ sh:select """SELECT $this WHERE { SERVICE <http://127.0.0.1:9/q> { $this ?p ?o } }""" ] .\n',
        encoding="utf-8",
    )
    data = tmp_path / "data.ttl"
    data.write_text("<http://a/s> <http://a/p> <http://a/o> .\n", encoding="utf-8")
    events: list[str] = []

    def audit(event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            events.append(event)

    sys.addaudithook(audit)
    result = run_cli("validate", "--graph", str(data), "--shapes", str(shapes))
    assert result.code == 2, result.out + result.err
    assert "SERVICE" in result.err and str(shapes) in result.err
    assert result.err.count("\n") == 1
    assert events == []
