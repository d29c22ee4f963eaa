"""Scenario propagation on small hand-made graphs whose answers can be worked out by hand."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocagraph.errors import UnknownNameError, UsageError
from cocagraph.scenarios import Weights, simulate
from cocagraph.scenarios.propagation import influence_lists, influence_matrix, iterate, iterate_loop, links

T1 = math.tanh(1.0)
EXACT = {"tolerance": 1e-13, "steps": 1000}


def graph(*edges: tuple) -> nx.MultiDiGraph:
    """Edges as (cause, effect, polarity[, certainty[, explicitness]]); claim keys c0, c1, ..."""
    g = nx.MultiDiGraph()
    for i, (cause, effect, polarity, *marks) in enumerate(edges):
        certainty = marks[0] if marks else "asserted"
        explicitness = marks[1] if len(marks) > 1 else "stated"
        g.add_edge(
            cause,
            effect,
            key=f"c{i}",
            claim=f"c{i}",
            label=f"claim {i}",
            polarity=polarity,
            certainty=certainty,
            hedge="appear to" if certainty == "hedged" else None,
            explicitness=explicitness,
            quote=f"quote {i}",
        )
    for node in g.nodes:
        g.nodes[node]["label"] = f"factor {node}"
    return g


def solve(fixed_point, lo: float = -1.0, hi: float = 1.0) -> float:
    """The root of x = fixed_point(x) in [lo, hi], worked out independently of the iteration."""
    from scipy.optimize import brentq

    return float(brentq(lambda x: x - fixed_point(x), lo, hi, xtol=1e-15))


# ---- a chain ----------------------------------------------------------------------------------


def test_chain_is_tanh_of_tanh():
    result = simulate(graph(("a", "b", 1), ("b", "c", 1)), {"a": 1.0}, **EXACT)
    assert result.changes["b"] == pytest.approx(T1, abs=1e-15)
    assert result.changes["c"] == pytest.approx(math.tanh(T1), abs=1e-15)
    assert result.status == "converged" and result.steps == 3  # depth 2, plus the step that sees no change
    assert [e.factor for e in result.effects] == ["b", "c"]


def test_chain_signs_and_evidence_weights():
    g = graph(("a", "b", -1, "hedged"), ("b", "c", 1, "asserted", "inferred"))
    result = simulate(g, {"a": 1.0}, **EXACT)
    assert result.changes["b"] == pytest.approx(math.tanh(-0.5), abs=1e-15)
    assert result.changes["c"] == pytest.approx(math.tanh(0.75 * math.tanh(-0.5)), abs=1e-15)
    assert [e.direction for e in result.effects] == ["down", "down"]


def test_setting_a_factor_down_mirrors_setting_it_up():
    g = graph(("a", "b", 1), ("b", "c", -1))
    up, down = simulate(g, {"a": 1.0}, **EXACT), simulate(g, {"a": -1.0}, **EXACT)
    assert down.changes["c"] == pytest.approx(-up.changes["c"], abs=1e-15)
    assert up.changes["c"] == pytest.approx(-math.tanh(T1), abs=1e-15)


def test_chain_with_custom_weights():
    g = graph(("a", "b", 1, "hedged", "inferred"))
    result = simulate(g, {"a": 1.0}, weights=Weights(hedged=0.2, inferred=0.5), **EXACT)
    assert result.changes["b"] == pytest.approx(math.tanh(0.1), abs=1e-15)


def test_modified_kosko_chain_reaches_its_own_fixed_point():
    # With memory, b = tanh(b + a): b settles where b = tanh(b + 1).
    result = simulate(graph(("a", "b", 1)), {"a": 1.0}, rule="modified-kosko", **EXACT)
    assert result.changes["b"] == pytest.approx(solve(lambda b: math.tanh(b + 1)), abs=1e-11)
    assert result.converged


# ---- loops ------------------------------------------------------------------------------------


def test_balancing_loop_settles_below_the_open_chain():
    # a -> b -> c -| b: b = tanh(1 - c), c = tanh(b), so b = tanh(1 - tanh(b)).
    result = simulate(graph(("a", "b", 1), ("b", "c", 1), ("c", "b", -1)), {"a": 1.0}, **EXACT)
    b = solve(lambda b: math.tanh(1 - math.tanh(b)))
    assert result.status == "converged"
    assert result.changes["b"] == pytest.approx(b, abs=1e-11)
    assert result.changes["c"] == pytest.approx(math.tanh(b), abs=1e-11)
    assert result.changes["b"] < T1  # the loop holds b back from what a alone would give it
    assert result.changes["b"] == pytest.approx(0.494604, abs=1e-6)


def test_reinforcing_loop_saturates_but_stays_bounded():
    # a -> b -> c -> b: b = tanh(1 + tanh(b)); the loop pushes b towards 1, never past it.
    result = simulate(graph(("a", "b", 1), ("b", "c", 1), ("c", "b", 1)), {"a": 1.0}, **EXACT)
    b = solve(lambda b: math.tanh(1 + math.tanh(b)), 0.0, 1.0)
    assert result.status == "converged"
    assert result.changes["b"] == pytest.approx(b, abs=1e-11)
    assert T1 < result.changes["b"] < 1.0
    assert result.changes["b"] == pytest.approx(0.939651, abs=1e-6)


def test_strong_reinforcing_loop_saturates_near_one():
    g = graph(("a", "b", 1), ("b", "c", 1), ("c", "b", 1))
    result = simulate(g, {"a": 1.0}, steepness=4.0, **EXACT)
    assert 0.9999 < result.changes["b"] < 1.0
    assert result.changes["c"] == pytest.approx(math.tanh(4 * result.changes["b"]), abs=1e-12)
    assert result.changes["c"] > 0.999


def test_steep_balancing_self_loop_is_reported_as_oscillating():
    # b = tanh(2 (1 - b)) has a fixed point, but the synchronous map overshoots it for ever.
    result = simulate(graph(("a", "b", 1), ("b", "b", -1)), {"a": 1.0}, steepness=2.0, steps=500)
    assert result.status == "oscillating"
    assert not result.converged and result.steps == 500


def test_step_cap_is_reported():
    g = graph(("a", "b", 1), ("b", "c", 1), ("c", "b", -1))
    result = simulate(g, {"a": 1.0}, steps=5, tolerance=1e-12)
    assert result.status == "step cap" and result.steps == 5


# ---- paths that cancel, reach, and combine ----------------------------------------------------


def test_two_opposite_paths_cancel():
    g = graph(("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", -1))
    result = simulate(g, {"a": 1.0}, **EXACT)
    assert result.changes["d"] == 0.0
    effect = result.effect("d")
    assert effect is not None and effect.direction == "no net change"
    assert "d" not in result.unreachable
    assert effect not in result.moved
    assert sorted(p.strength for p in effect.paths) == [-1.0, 1.0]
    assert sorted(tuple(c.claim for link in p.links for c in link.claims) for p in effect.paths) == [
        ("c0", "c2"),
        ("c1", "c3"),
    ]


def test_unequal_opposite_paths_leave_the_stronger_one():
    g = graph(("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", -1, "hedged"))
    result = simulate(g, {"a": 1.0}, **EXACT)
    assert result.changes["d"] == pytest.approx(math.tanh(T1 - 0.5 * T1), abs=1e-15)
    assert result.effect("d").paths[0].strength == 1.0  # the stronger chain comes first


def test_unreachable_factors_are_upstream_or_apart():
    g = graph(("x", "a", 1), ("a", "b", 1), ("y", "z", 1), ("b", "a", 1))
    result = simulate(g, {"a": 1.0}, **EXACT)
    assert result.unreachable == ("x", "y", "z")
    assert [e.factor for e in result.effects] == ["b"]
    assert result.changes["a"] == 1.0  # the loop back into a clamped factor leaves it where it was set
    assert set(result.changes) == {"a", "b", "x", "y", "z"}


def test_claims_between_the_same_factors_add_up_and_clip():
    same = graph(("a", "b", 1), ("a", "b", 1))
    mixed = graph(("a", "b", 1), ("a", "b", -1, "hedged"))
    assert links(same)[("a", "b")].weight == 1.0
    assert links(mixed)[("a", "b")].weight == 0.5
    assert simulate(same, {"a": 1.0}, **EXACT).changes["b"] == pytest.approx(T1, abs=1e-15)
    assert simulate(mixed, {"a": 1.0}, **EXACT).changes["b"] == pytest.approx(math.tanh(0.5), abs=1e-15)
    # both claims are named on the chain that carries the effect
    chain = simulate(mixed, {"a": 1.0}, **EXACT).effects[0].paths[0]
    assert [c.claim for c in chain.links[0].claims] == ["c0", "c1"]


def test_chains_do_not_pass_through_another_clamped_factor():
    g = graph(("a", "b", 1), ("b", "c", 1), ("a", "c", 1, "hedged"))
    result = simulate(g, {"a": 1.0, "b": -1.0}, **EXACT)
    assert result.changes["c"] == pytest.approx(math.tanh(-1 + 0.5), abs=1e-15)
    factors = sorted(p.factors for p in result.effect("c").paths)
    assert factors == [("a", "c"), ("b", "c")]


def test_chain_marks_carry_evidence():
    g = graph(("a", "b", 1, "hedged", "inferred"))
    claim = simulate(g, {"a": 1.0}).effects[0].paths[0].links[0].claims[0]
    assert (claim.certainty, claim.hedge, claim.explicitness, claim.quote) == (
        "hedged",
        "appear to",
        "inferred",
        "quote 0",
    )
    assert claim.weight == 0.375


def test_paths_limit_and_more_flag():
    g = graph(("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", 1), ("a", "d", 1, "hedged"))
    effect = simulate(g, {"a": 1.0}, paths=1).effect("d")
    assert len(effect.paths) == 1 and effect.more_paths
    assert simulate(g, {"a": 1.0}, paths=0).effect("d").paths == ()


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1.5, -2, float("nan"), "1"])
def test_values_outside_minus_one_to_one_are_refused(value):
    with pytest.raises(UsageError, match="from -1 to \\+1"):
        simulate(graph(("a", "b", 1)), {"a": value})


def test_unknown_factor_and_empty_scenario_are_refused():
    with pytest.raises(UnknownNameError):
        simulate(graph(("a", "b", 1)), {"nope": 1.0})
    with pytest.raises(UsageError, match="at least one factor"):
        simulate(graph(("a", "b", 1)), {})


@pytest.mark.parametrize(
    "options",
    [
        {"steps": 0},
        {"tolerance": 0.0},
        {"rule": "magic"},
        {"steepness": -1.0},
        {"threshold": 1.5},
        {"paths": -1},
        {"explain": -2},
    ],
)
def test_bad_method_settings_are_refused(options):
    with pytest.raises(UsageError):
        simulate(graph(("a", "b", 1)), {"a": 1.0}, **options)


def test_bad_weights_are_refused():
    with pytest.raises(UsageError, match="hedged"):
        Weights(hedged=-0.1)


# ---- the sparse iteration is the loop's ------------------------------------------------------


@pytest.mark.parametrize("rule", ["kosko", "modified-kosko"])
def test_sparse_iteration_matches_the_reference_loop(rule):
    rng = random.Random(7)
    g = graph(
        *[
            (
                f"f{rng.randrange(60)}",
                f"f{rng.randrange(60)}",
                rng.choice((1, -1)),
                rng.choice(("asserted", "hedged")),
                rng.choice(("stated", "inferred")),
            )
            for _ in range(240)
        ]
    )
    order = sorted(g.nodes)
    folded = links(g)
    clamp = {0: 1.0, 5: -0.5}
    sparse = iterate(influence_matrix(order, folded.values()), clamp, steps=300, tolerance=1e-10, rule=rule)
    loop = iterate_loop(influence_lists(order, folded.values()), clamp, steps=300, tolerance=1e-10, rule=rule)
    assert (sparse.steps, sparse.status) == (loop.steps, loop.status)
    assert max(abs(x - y) for x, y in zip(sparse.state, loop.state, strict=True)) < 1e-12
    assert any(abs(x) > 0.1 for x in sparse.state[1:])  # the comparison is not between two zero vectors


def test_limited_keeps_the_most_moved_and_counts_the_rest():
    g = graph(("a", "b", 1), ("b", "c", 1), ("c", "d", 1))
    result = simulate(g, {"a": 1.0}, explain=1).limited(1)
    assert [e.factor for e in result.effects] == ["b"] and result.omitted == 2
    assert result.effects[0].paths  # the shown factor is traced
    assert result.changes["d"] == pytest.approx(math.tanh(math.tanh(T1)), abs=1e-6)  # changes stay complete
    assert simulate(g, {"a": 1.0}, explain=1).effect("d").paths == ()  # beyond explain: not traced


def test_holding_a_factor_at_zero_cuts_what_flows_through_it():
    g = graph(("a", "b", 1), ("b", "c", 1), ("a", "d", 1))
    result = simulate(g, {"a": 1.0, "b": 0.0}, **EXACT)
    assert result.changes["c"] == 0.0 and "c" in result.unreachable
    assert result.changes["d"] == pytest.approx(T1, abs=1e-15)


edges_strategy = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.integers(0, 7),
        st.sampled_from((1, -1)),
        st.sampled_from(("asserted", "hedged")),
        st.sampled_from(("stated", "inferred")),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(edges=edges_strategy, value=st.floats(-1.0, 1.0))
def test_any_graph_stays_in_bounds_and_mirrors_a_mirrored_scenario(edges, value):
    g = graph(*[(f"f{a}", f"f{b}", p, c, e) for a, b, p, c, e in edges])
    start = f"f{edges[0][0]}"
    up = simulate(g, {start: value}, paths=0)
    down = simulate(g, {start: -value}, paths=0)
    assert all(-1.0 <= v <= 1.0 for v in up.changes.values())
    # tanh is odd, so the whole iteration is: pushing the other way moves everything the other way
    assert all(down.changes[k] == pytest.approx(-v, abs=1e-12) for k, v in up.changes.items())
    assert set(up.unreachable) | {e.factor for e in up.effects} | {start} == set(g.nodes)
