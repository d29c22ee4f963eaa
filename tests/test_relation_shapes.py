"""The SHACL shape of argument relations (ontology/shapes.ttl): each rule broken once in a copy
of the shipped graph, and the violation names the relation. Slow: each case validates the whole
article with pySHACL."""

from __future__ import annotations

import pytest

from cocagraph.loading import load
from cocagraph.validation import validate
from test_validation import break_graph

UNDERCUT = "relation:current-policies-answer-not-easy a cg:ArgumentRelation,\n        cg:Undercut ;\n"


def violations(root):
    report = validate(load([root / "ontology", root / "graphs"]))
    return [(p.node, p.message) for p in report.violations]


@pytest.mark.slow
def test_the_shipped_relations_conform(corpus):
    assert not [p for p in validate(corpus).violations if p.node.startswith("relation/")]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # exactly one of the six types
        (UNDERCUT, "relation:current-policies-answer-not-easy a cg:ArgumentRelation ;\n", "exactly one of cg:Support"),
        (UNDERCUT, UNDERCUT.replace("cg:Undercut ;", "cg:Undercut, cg:Rebuttal ;"), "exactly one of cg:Support"),
        # an undercut concludes a relation
        (
            "    cg:conclusion relation:not-easy-conceded ;\n",
            "    cg:conclusion claim:wedge-needed ;\n",
            "an undercut attacks a relation",
        ),
        # exactly one conclusion
        (
            "    cg:conclusion relation:not-easy-conceded ;\n",
            "    cg:conclusion relation:not-easy-conceded, relation:new-approaches-conceded ;\n",
            "exactly one conclusion",
        ),
        # at least one premise
        (
            '    cg:premise claim:current-policies-no-success ;\n    cg:signal "but" .',
            '    cg:signal "but" .',
            "at least one premise",
        ),
        # the signal stands inside a quote
        (
            '    cg:premise claim:current-policies-no-success ;\n    cg:signal "but" .',
            '    cg:premise claim:current-policies-no-success ;\n    cg:signal "whereas" .',
            "signal words stand inside",
        ),
        # a stated relation has its signal
        (
            '    cg:premise claim:current-policies-no-success ;\n    cg:signal "but" .',
            "    cg:premise claim:current-policies-no-success .",
            "a stated relation has its signal",
        ),
        # evidence
        (
            "    cg:evidence <https://w3id.org/cocagraph/id/relation/current-policies-answer-not-easy/evidence/1> ;\n"
            "    cg:explicitness cg:Stated ;\n",
            "    cg:explicitness cg:Stated ;\n",
            "at least one quote",
        ),
        # explicitness
        (
            "    cg:explicitness cg:Stated ;\n    cg:premise claim:current-policies-no-success ;",
            "    cg:premise claim:current-policies-no-success ;",
            "explicitness is exactly one",
        ),
        # an inferred relation gives its reason
        (
            '    cg:inferenceReason "The text draws the recommendation from',
            '    rdfs:comment "The text draws the recommendation from',
            "an inferred one its cg:inferenceReason",
        ),
        # a hedged relation keeps its hedge
        (
            "    cg:certainty cg:Asserted ;\n    cg:conclusion relation:not-easy-conceded ;",
            "    cg:certainty cg:Hedged ;\n    cg:conclusion relation:not-easy-conceded ;",
            "a hedged relation keeps its hedge",
        ),
        # an asserter
        (
            "    cg:assertedBy actor:psg-author ;\n    cg:certainty cg:Asserted ;\n"
            "    cg:conclusion relation:not-easy-conceded ;",
            "    cg:certainty cg:Asserted ;\n    cg:conclusion relation:not-easy-conceded ;",
            "names who asserts it",
        ),
    ],
)
@pytest.mark.slow  # each case validates the whole article (about 15 s)
def test_each_rule_of_the_relation_shape(graph_copy, old, new, message):
    break_graph(graph_copy, old, new)
    found = violations(graph_copy)
    assert any(message in text and node.startswith("relation/") for node, text in found), found
