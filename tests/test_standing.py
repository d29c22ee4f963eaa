"""Which claims stand: the semantics checked against an independent implementation, and a
hand-worked argument (tests/data/argument-mini.ttl) labelled exactly.

The reference is `formal-argumentation` (import name ``argumentation``, test-only): its Dung
semantics for random frameworks, and its abstract dialectical frameworks (Brewka and Woltran)
for random relation graphs, where a relation's acceptance condition says directly what
cocagraph's framework encodes with derived attacks: all its premises, and none of its attackers.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocagraph.argument import standing
from cocagraph.argument.model import Relation
from cocagraph.argument.semantics import (
    Label,
    framework,
    grounded_labels,
    label_framework,
    preferred_extensions,
    preferred_labels,
)
from cocagraph.errors import UsageError
from cocagraph.loading import load
from helpers import DATA

argumentation = pytest.importorskip(
    "argumentation", reason="formal-argumentation is a test dependency: pip install -e '.[test]'"
)
from argumentation.core import dung  # noqa: E402
from argumentation.frameworks import adf  # noqa: E402

C = "https://w3id.org/cocagraph/id/claim/"
R = "https://w3id.org/cocagraph/id/relation/"
MINI = DATA / "argument-mini.ttl"


@pytest.fixture(scope="module")
def mini():
    return load([MINI])


# ---------------------------------------------------------------- Dung semantics on random frameworks

frameworks = st.integers(min_value=0, max_value=8).flatmap(
    lambda n: st.tuples(
        st.just([f"a{i}" for i in range(n)]),
        st.sets(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=3 * n)
        if n
        else st.just(set()),
    )
)


def as_pairs(args, edges):
    return {(args[i], args[j]) for i, j in edges} if args else set()


@given(frameworks)
@settings(max_examples=300, deadline=None)
def test_grounded_labels_agree_with_formal_argumentation(fw):
    args, edges = fw
    pairs = as_pairs(args, edges)
    reference = dung.grounded_extension(dung.ArgumentationFramework(frozenset(args), frozenset(pairs)))
    labels = grounded_labels(args, pairs)
    assert {a for a, label in labels.items() if label == "in"} == reference
    beaten = {y for x, y in pairs if x in reference}
    assert {a for a, label in labels.items() if label == "out"} == beaten


@given(frameworks)
@settings(max_examples=300, deadline=None)
def test_preferred_extensions_agree_with_formal_argumentation(fw):
    args, edges = fw
    pairs = as_pairs(args, edges)
    reference = dung.preferred_extensions(dung.ArgumentationFramework(frozenset(args), frozenset(pairs)))
    assert sorted(map(sorted, preferred_extensions(args, pairs))) == sorted(map(sorted, reference))
    labels = preferred_labels(args, pairs)
    for a in args:
        if all(a in e for e in reference):
            assert labels[a] == "in"
        elif all(any((x, a) in pairs for x in e) for e in reference):
            assert labels[a] == "out"
        else:
            assert labels[a] == "undecided"


def test_hand_worked_frameworks():
    # a chain: a beats b, so c is reinstated
    assert grounded_labels("abc", {("a", "b"), ("b", "c")}) == {"a": "in", "b": "out", "c": "in"}
    # an odd cycle: nothing can be decided under either semantics
    cycle = {("a", "b"), ("b", "c"), ("c", "a")}
    assert set(grounded_labels("abc", cycle).values()) == {"undecided"}
    assert preferred_extensions("abc", cycle) == [frozenset()]
    # a self-attacker is undecided and so is what only it attacks
    assert grounded_labels("ab", {("a", "a"), ("a", "b")}) == {"a": "undecided", "b": "undecided"}
    # floating reinstatement: grounded leaves d open, every preferred labelling has it in
    floating = {("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")}
    assert grounded_labels("abcd", floating)["d"] == "undecided"
    assert preferred_labels("abcd", floating) == {"a": "undecided", "b": "undecided", "c": "out", "d": "in"}


# ---------------------------------------------------------------- the translation, against an ADF

TYPES = ("support", "rebuttal", "undercut", "concession", "qualification", "elaboration")


def rel(iri, kind, premises, conclusion):
    return Relation(
        iri, kind, tuple(premises), conclusion, None, None, (), None, None, "stated", None, "asserted", None, None
    )


@st.composite
def relation_graphs(draw):
    claims = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    rels = []
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(TYPES))
        premises = draw(st.lists(st.sampled_from(claims), min_size=1, max_size=2, unique=True))
        others = [r.iri for r in rels]
        if kind == "undercut" and others:
            conclusion = draw(st.sampled_from(others))
        elif kind == "rebuttal" and others and draw(st.booleans()):
            conclusion = draw(st.sampled_from(others))  # a rebuttal that answers a relation
        else:
            # A relation concluding one of its own premises is circular: the compiler's sheets have none.
            kind = "rebuttal" if kind == "undercut" else kind
            rest = [c for c in claims if c not in premises]
            if not rest:
                continue
            conclusion = draw(st.sampled_from(rest))
        rels.append(rel(f"r{i}", kind, premises, conclusion))
    return claims, rels


def as_adf(claims, rels):
    """Each statement accepted iff all its premises are (relations) and none of its attackers is."""
    attackers = {s: [] for s in [*claims, *(r.iri for r in rels)]}
    for r in rels:
        if r.type in ("rebuttal", "undercut", "concession"):
            attackers[r.conclusion].append(r.iri)
        if r.type == "concession":
            attackers[r.iri].append(r.conclusion)  # the author holds the conclusion against it
    conditions, links = {}, set()
    for s, against in attackers.items():
        needs = next((r.premises for r in rels if r.iri == s), ())
        parts = [adf.Atom(p) for p in needs] + [adf.Not(adf.Atom(x)) for x in against]
        links |= {(p, s) for p in needs} | {(x, s) for x in against}
        conditions[s] = adf.And(tuple(parts)) if parts else adf.True_()
    return adf.AbstractDialecticalFramework(frozenset(attackers), frozenset(links), conditions)


THREE = {"t": "in", "f": "out", "u": "undecided"}


@given(relation_graphs())
@settings(max_examples=150, deadline=None)
def test_the_framework_labels_as_the_dialectical_framework_does(graph):
    claims, rels = graph
    model = as_adf(claims, rels)
    fw = framework(claims, rels)
    grounded = {s: THREE[v.value] for s, v in adf.grounded_interpretation(model)}
    assert dict(label_framework(fw, "grounded")) == grounded
    models = [dict(m) for m in adf.preferred_models(model)]
    expected = {}
    for s in grounded:
        values = {m[s].value for m in models}
        expected[s] = THREE[values.pop()] if len(values) == 1 and "u" not in values else "undecided"
    assert dict(label_framework(fw, "preferred")) == expected


@given(relation_graphs())
@settings(max_examples=150, deadline=None)
def test_a_relation_is_never_more_accepted_than_a_premise(graph):
    claims, rels = graph
    order = {"out": 0, "undecided": 1, "in": 2}
    for semantics in ("grounded", "preferred"):
        labels = label_framework(framework(claims, rels), semantics)
        for r in rels:
            assert all(order[labels[r.iri]] <= order[labels[p]] for p in r.premises)


# ---------------------------------------------------------------- the hand-worked argument

GROUNDED = {
    # the case: the support stands once its undercut falls with its premise
    C + "bridge-needed": "in",
    C + "traffic-doubled": "in",
    R + "traffic-supports-bridge": "in",
    C + "ferry-on-time": "out",
    R + "on-time-undercuts-traffic": "out",
    C + "skips-stops": "in",
    R + "skips-rebuts-on-time": "in",
    # a qualification attacks nothing
    C + "rough-guide": "in",
    R + "rough-guide-qualifies-traffic": "in",
    # the answered concession: granted premise in, the concession out, the conclusion in
    C + "bridge-not-easy": "in",
    R + "not-easy-conceded": "out",
    C + "ferry-no-success": "in",
    R + "ferry-failure-answers-concession": "in",
    # the unanswered concession: the text weighs the cost against the pay-off and settles nothing
    C + "bridge-costly": "in",
    R + "cost-conceded": "undecided",
    C + "bridge-pays": "undecided",
    # the summary and its mechanism
    C + "traffic-brings-noise": "in",
    C + "traffic-makes-queues": "in",
    C + "queues-are-loud": "in",
    R + "queues-spell-out-noise": "in",
    C + "bridge-cuts-traffic": "in",
    # two reports that exclude each other
    C + "river-rising": "undecided",
    C + "river-falling": "undecided",
    R + "rising-rebuts-falling": "undecided",
    R + "falling-rebuts-rising": "undecided",
    # floating reinstatement
    C + "engine-sound": "undecided",
    C + "engine-caused-delays": "undecided",
    R + "engine-blame-rebuts-sound": "undecided",
    C + "fog-caused-delays": "undecided",
    C + "strike-caused-delays": "undecided",
    R + "fog-rebuts-strike": "undecided",
    R + "strike-rebuts-fog": "undecided",
    R + "fog-rebuts-engine": "undecided",
    R + "strike-rebuts-engine": "undecided",
}
#: Preferred semantics differs only where grounded leaves a choice whose every outcome agrees.
PREFERRED = GROUNDED | {
    C + "engine-sound": "in",
    C + "engine-caused-delays": "out",
    R + "engine-blame-rebuts-sound": "out",
}


@pytest.mark.parametrize(("semantics", "expected"), [("grounded", GROUNDED), ("preferred", PREFERRED)])
def test_the_hand_worked_argument(mini, semantics, expected):
    labels = standing(mini, semantics)
    assert dict(labels) == expected
    assert all(isinstance(label, Label) for label in labels.values())


def short(iri):
    return iri.rsplit("/", 1)[1]


def test_the_attacks_that_decide_each_label(mini):
    labels = standing(mini)
    # out: beaten by the rebuttal that is in
    assert [(short(a.attacker), a.kind) for a in labels[C + "ferry-on-time"].decided_by] == [
        ("skips-rebuts-on-time", "rebuttal")
    ]
    # a relation falls with its premise: the attack reaches it through the premise
    (through,) = labels[R + "on-time-undercuts-traffic"].decided_by
    assert (short(through.attacker), short(through.via)) == ("skips-rebuts-on-time", "ferry-on-time")
    # in: every attack on it is by an argument that is out
    assert [short(a.attacker) for a in labels[R + "traffic-supports-bridge"].decided_by] == [
        "on-time-undercuts-traffic"
    ]
    assert [short(a.attacker) for a in labels[C + "bridge-needed"].decided_by] == ["not-easy-conceded"]
    # the answered concession is out, beaten by its answer and by the conclusion the author holds
    assert sorted((short(a.attacker), a.kind) for a in labels[R + "not-easy-conceded"].decided_by) == [
        ("bridge-needed", "held against"),
        ("ferry-failure-answers-concession", "undercut"),
    ]
    # nothing attacks a claim no relation touches
    assert labels[C + "traffic-doubled"].decided_by == ()
    # labels serialise as their value
    assert json.loads(json.dumps(labels))[C + "bridge-pays"] == "undecided"


def test_an_unknown_semantics_is_a_usage_error(mini):
    with pytest.raises(UsageError, match="unknown semantics 'stable'"):
        standing(mini, "stable")


def test_a_large_tangle_is_refused_under_preferred_not_left_running():
    args = [f"a{i}" for i in range(30)]
    pairs = {(x, y) for x in args for y in args if x != y}
    assert set(grounded_labels(args, pairs).values()) == {"undecided"}
    with pytest.raises(UsageError, match="30 arguments that attack one another"):
        preferred_labels(args, pairs)
