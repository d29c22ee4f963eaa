"""Competency questions 13 to 16 (docs/competency-questions.md): the article's argument, answered
through the public commands and checked against what the article says."""

from __future__ import annotations

import json

import pytest

from cocagraph.argument import relations, standing, tree
from cocagraph.argument.case import Node, Step
from cocagraph.catalog import list_claims

CLAIM = "https://w3id.org/cocagraph/id/claim/"


def steps_in(node: Node):
    """Every relation step of a subtree, depth first."""
    for step in node.steps:
        yield from _steps(step)


def _steps(step: Step):
    yield step
    for premise in step.premises:
        yield from steps_in(premise)
    for answer in step.answers:
        yield from _steps(answer)


def claims_in(node: Node) -> set[str]:
    found = {node.statement.id}
    for step in steps_in(node):
        found |= {p.statement.id for p in step.premises}
    return found


def need(corpus, what: str, present: bool) -> None:
    """Mark the rest of a test as expected to fail while the article graph lacks ``what``."""
    if not present:
        pytest.xfail(f"the article graph does not yet hold {what}")


def test_cq13_the_authors_case_for_regulating_coca(corpus, run_cli, article_text):
    """What is the author's case for regulating coca? Bolivia's lesson, farmers' rights, the
    wedge, the concession and its answer, and the verdict on traditional control."""
    case = tree(corpus, "regulate coca", depth=4)
    assert (case.kind, case.label) == ("policy", "regulation of coca production")
    roots = {node.statement.id: (side, node) for side, node in case.roots}
    side, recommendation = roots["regulate-coca-production"]
    assert side == "for" and case.roots[0][1] is recommendation
    assert str(recommendation.statement.standing) == "in"
    assert "If lessons are to be learned from Bolivia" in recommendation.statement.quote
    reasons = claims_in(recommendation)
    assert "regulation-respects-farmers-rights" in reasons  # "thereby respecting the human and economic rights"
    assert "traditional-drug-control-failing" in reasons  # the verdict on traditional control
    assert all(s.role == "reason" for s in recommendation.steps if s.relation.type == "support")
    shown = set().union(*(claims_in(node) for _, node in case.roots))
    assert "wedge-needed" in shown  # the wedge, as what regulation brings about or as a reason
    # every quote shown stands in the article
    quotes = [n.statement.quote for _, n in case.roots] + [
        e.quote for _, n in case.roots for s in steps_in(n) for e in s.relation.evidence
    ]
    assert all(part in article_text for q in quotes for part in q.split(" … "))  # several passages: " … "
    text = run_cli("argument", "regulate coca", "--depth", "4")
    assert text.code == 0, text.err
    assert "“This is not easy to do”" in text.out
    # the Bolivian lesson as a reason of its own, and the concession as a concession (not a
    # qualification) answered by the failure of current policies
    rels = relations(corpus)
    need(
        corpus,
        "the Bolivian lesson as a relation signalled “If lessons are to be learned from Bolivia”",
        any(r.signal == "If lessons are to be learned from Bolivia" for r in rels),
    )
    signals = {s.relation.signal for s in recommendation.steps}
    assert "If lessons are to be learned from Bolivia" in signals
    concession = next(s for _, n in case.roots for s in steps_in(n) if s.relation.type == "concession")
    assert [p.statement.quote for p in concession.premises] == ["This is not easy to do"]
    assert str(concession.standing) == "out"
    [answer] = concession.answers
    assert str(answer.standing) == "in"
    assert any(
        "current policies have not been a conspicuous success either" in p.statement.quote for p in answer.premises
    )
    assert "current policies have not been a conspicuous success either" in text.out


def test_cq14_what_the_author_concedes_and_how_it_is_answered(corpus, run_cli):
    """Each concession: what is granted, against what, by which words, and the answer to it."""
    rels = relations(corpus)
    concessions = [r for r in rels if r.type == "concession"]
    need(corpus, "concession relations", bool(concessions))
    claims = {c.iri: c for c in list_claims(corpus)}
    answers = {
        r.conclusion: r
        for r in rels
        if r.type in ("undercut", "rebuttal") and r.conclusion in {c.iri for c in concessions}
    }
    labels = standing(corpus)
    for concession in concessions:
        assert concession.signal and concession.signal in concession.quote  # the words that signal it
        assert all(labels[p] == "in" for p in concession.premises)  # what the author grants stands
    by_premise = {claims[p].quote: c for c in concessions for p in c.premises}
    wedge = by_premise["This is not easy to do"]
    assert wedge.conclusion == CLAIM + "wedge-needed" and wedge.signal == "but"
    answer = answers[wedge.iri]
    assert any(
        "current policies have not been a conspicuous success either" in claims[p].quote for p in answer.premises
    )
    assert (labels[wedge.iri], labels[answer.iri], labels[CLAIM + "wedge-needed"]) == ("out", "in", "in")
    humala = next(c for c in concessions if c.signal == "Although" and c.conclusion == CLAIM + "humala-changed-tune")
    assert labels[CLAIM + "humala-changed-tune"] == "in" and humala.iri in answers
    # the listing names each concession and what decides it
    rows = json.loads(run_cli("standing", "--format", "json").out)
    listed = {r["id"]: r for r in rows if r["kind"] == "relation: concession"}
    assert set(listed) == {c.id for c in concessions}
    assert any(answer.id in d for d in listed[wedge.id]["decided_by"])


def test_cq15_which_claims_stand_once_the_attacks_are_weighed(corpus, run_cli):
    """Every claim labelled; what is out is beaten by an attack that stands; the author's
    recommendations stand."""
    rows = json.loads(run_cli("standing", "--format", "json", "--claims-only").out)
    claims = list_claims(corpus)
    assert {r["iri"] for r in rows} == {c.iri for c in claims}
    labels = standing(corpus)
    for recommendation in ("regulate-coca-production", "wedge-needed", "do-not-obliterate-coca"):
        assert labels[CLAIM + recommendation] == "in", recommendation
    for iri, label in labels.items():
        if label == "out":
            assert any(labels[a.attacker] == "in" for a in label.decided_by), iri
        if label == "undecided":
            assert label.decided_by and all(labels[a.attacker] != "out" for a in label.decided_by), iri
    # grounded and preferred agree wherever grounded decides
    preferred = standing(corpus, "preferred")
    assert all(preferred[iri] == label for iri, label in labels.items() if label != "undecided")
    need(corpus, "attacks (rebuttals, undercuts, concessions)", any(r.attacks for r in relations(corpus)))
    assert any(label == "out" for label in labels.values())


def test_cq16_where_washington_treats_bolivia_and_peru_apart(corpus, article_text):
    """Where does the author contrast Washington's treatment of Bolivia and of Peru?"""
    claims = {c.id: c for c in list_claims(corpus)}
    assert "repeatedly singled out" in claims["bolivia-singled-out"].quote
    assert "blind eye to the Peruvian statistics" in claims["washington-blind-eye"].quote
    contrasts = [r for r in relations(corpus) if r.signal == "Yet whereas"]
    need(corpus, "the relation signalled “Yet whereas”", bool(contrasts))
    [contrast] = contrasts
    premises = {p.rsplit("/", 1)[1] for p in contrast.premises}
    assert {"bolivia-singled-out", "washington-blind-eye"} <= premises
    passages = [e.quote for e in contrast.evidence]
    assert all(p in article_text for p in passages)
    # the signal words stand in the passage that sets the two treatments against each other
    assert any("Yet whereas Bolivia" in p and "blind eye to the Peruvian statistics" in p for p in passages)
