"""Edges routed around labels (cocagraph.render.routes), on small hand-made layouts."""

from __future__ import annotations

import math

from cocagraph.render.routes import BUSY, CANDIDATES, STRAIGHT, Route, crossed, route, untangle, via

BOX = (60, 30)


def test_an_edge_through_a_box_is_curved_round_it_and_a_clear_edge_stays_straight():
    pos = {"a": (0, 0), "b": (150, 0), "c": (300, 0), "d": (0, 200)}
    sizes = dict.fromkeys(pos, BOX)
    assert crossed(pos, sizes, ("a", "c")) == {"b"}
    through, clear = route(pos, sizes, [("a", "c"), ("a", "d")])
    assert through != STRAIGHT and crossed(pos, sizes, ("a", "c"), through) == set()
    assert clear == STRAIGHT


def test_opposite_edges_bow_to_opposite_sides():
    pos = {"a": (0, 0), "b": (200, 0)}
    there, back = route(pos, dict.fromkeys(pos, BOX), [("a", "b"), ("b", "a")])
    assert there != back or there == STRAIGHT
    # Drawn, the two curves' middles lie apart (a straight one on the line, a curve off it).
    mids = [_middle(pos["a"], pos["b"], there), _middle(pos["b"], pos["a"], back)]
    assert math.dist(*mids) >= 10, mids


def test_three_edges_between_one_pair_get_three_drawings():
    pos = {"a": (0, 0), "b": (200, 0)}
    edges = [("a", "b"), ("b", "a"), ("a", "b")]
    drawn = route(pos, dict.fromkeys(pos, BOX), edges)
    middles = [_middle(pos[u], pos[v], r) for (u, v), r in zip(edges, drawn, strict=True)]
    assert min(math.dist(p, q) for i, p in enumerate(middles) for q in middles[i + 1 :]) >= 10, middles


def test_the_control_point_is_vis_networks():
    # vis-network 9.1.2 BezierEdgeStatic._getViaCoordinates, curvedCW and curvedCCW at roundness 0.5
    # from (0, 0) to (100, 0): an eighth of a turn round the start, three quarters of the way out.
    reach = 75 / math.sqrt(2)
    assert [round(c, 6) for c in via((0, 0), (100, 0), Route("curvedCW", 0.5))] == [round(reach, 6), round(-reach, 6)]
    assert [round(c, 6) for c in via((0, 0), (100, 0), Route("curvedCCW", 0.5))] == [round(reach, 6), round(reach, 6)]


def _middle(start, end, drawn):
    cx, cy = via(start, end, drawn)
    return (0.25 * start[0] + 0.5 * cx + 0.25 * end[0], 0.25 * start[1] + 0.5 * cy + 0.25 * end[1])


def test_a_box_no_curve_gets_round_is_nudged_aside_inside_the_map():
    # A tall box between a and c: no drawing clears it where it stands, but there is room below.
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0), "top": (150, -400), "bottom": (150, 400)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    assert all(crossed(pos, sizes, ("a", "c"), r) for r in CANDIDATES)
    moved, drawn = untangle(pos, sizes, [("a", "c")])
    assert {n for n in pos if moved[n] != pos[n]} == {"b"}
    assert crossed(moved, sizes, ("a", "c"), drawn[0]) == set()


def test_a_box_with_no_room_stays_where_it_is():
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    moved, drawn = untangle(pos, sizes, [("a", "c")])
    assert moved == pos and crossed(pos, sizes, ("a", "c"), drawn[0]) == {"b"}


def test_a_busy_map_is_routed_but_not_nudged():
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0), "top": (150, -400), "bottom": (150, 400)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    edges = [("a", "c"), *[("top", "c")] * BUSY]
    moved, drawn = untangle(pos, sizes, edges)
    assert moved == pos and len(drawn) == len(edges)
