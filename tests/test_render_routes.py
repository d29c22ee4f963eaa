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


def _boxes_apart_and_inside(pos, sizes, frame):
    """No two boxes overlap, and every box lies inside ``frame`` (left, top, right, bottom)."""
    boxes = {
        n: (x - sizes[n][0] / 2, y - sizes[n][1] / 2, x + sizes[n][0] / 2, y + sizes[n][1] / 2)
        for n, (x, y) in pos.items()
    }
    inside = all(
        frame[0] <= b[0] and frame[1] <= b[1] and b[2] <= frame[2] and b[3] <= frame[3] for b in boxes.values()
    )
    apart = all(
        not (p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3])
        for m, p in boxes.items()
        for n, q in boxes.items()
        if m < n
    )
    return inside and apart


def test_a_box_no_curve_gets_round_is_moved_aside_inside_the_map():
    # A tall box between a and c: no drawing clears it where it stands, but there is room beside it.
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0), "top": (150, -400), "bottom": (150, 400)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    assert all(crossed(pos, sizes, ("a", "c"), r) for r in CANDIDATES)
    moved, drawn = untangle(pos, sizes, [("a", "c")])
    assert moved["top"] == pos["top"] and moved["bottom"] == pos["bottom"]  # not in the arrow's way
    assert crossed(moved, sizes, ("a", "c"), drawn[0]) == set()
    # Inside the map's height (415 above and below), and across inside the room a small map's view shows.
    assert _boxes_apart_and_inside(moved, sizes, (150 - 330, -415, 150 + 330, 415))


def test_a_box_with_no_room_stays_where_it_is():
    # Three boxes as tall as the map side by side: no curve from a to c gets round b inside the
    # map, and moving a or c aside does not help.
    # (The map is wider and taller than a small map's first view, so that that gives no room either.)
    pos = {"a": (0, 0), "c": (480, 0), "b": (240, 0)}
    sizes = dict.fromkeys(pos, (220, 700))
    moved, drawn = untangle(pos, sizes, [("a", "c")])
    assert moved == pos and crossed(pos, sizes, ("a", "c"), drawn[0]) == {"b"}


def test_no_drawing_leaves_the_whole_map(corpus):
    """Curves round a label once bowed out past the map's edge, where the first view cut them off."""
    from cocagraph.render.layout import Box, box_size
    from cocagraph.render.request import MapRequest, map_of
    from cocagraph.render.routes import FRAME

    data = map_of(corpus, MapRequest())
    nodes = {n["id"]: n for n in data.payload["nodes"]}
    boxes = []
    for n in nodes.values():
        box = Box(*box_size(n["label"], n["font"]["size"], n["widthConstraint"]["maximum"], n["shape"]))
        y = n["y"] + box.drop
        boxes.append((n["x"] - box.width / 2, y - box.height / 2, n["x"] + box.width / 2, y + box.height / 2))
    left, top = min(b[0] for b in boxes) - FRAME - 1, min(b[1] for b in boxes) - FRAME - 1
    right, bottom = max(b[2] for b in boxes) + FRAME + 1, max(b[3] for b in boxes) + FRAME + 1
    curved = 0
    for edge in data.payload["edges"]:
        smooth = edge.get("smooth") or {"enabled": False}
        if not smooth.get("enabled"):
            continue
        curved += 1
        a, b = (nodes[edge["from"]]["x"], nodes[edge["from"]]["y"]), (nodes[edge["to"]]["x"], nodes[edge["to"]]["y"])
        c = via(a, b, Route(smooth["type"], smooth["roundness"]))
        for t in (i / 20 for i in range(21)):
            x = (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * c[0] + t * t * b[0]
            y = (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * c[1] + t * t * b[1]
            assert left <= x <= right and top <= y <= bottom, (edge["id"], x, y)
    assert curved >= 5


def test_a_busy_map_is_routed_but_not_nudged():
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0), "top": (150, -400), "bottom": (150, 400)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    edges = [("a", "c"), *[("top", "c")] * BUSY]
    moved, drawn = untangle(pos, sizes, edges)
    assert moved == pos and len(drawn) == len(edges)


def test_the_same_map_is_untangled_once_and_its_answer_cannot_be_changed_from_outside():
    pos = {"a": (0, 0), "c": (300, 0), "b": (150, 0), "top": (150, -400), "bottom": (150, 400)}
    sizes = dict.fromkeys(pos, BOX) | {"b": (40, 280)}
    first, drawn = untangle(pos, sizes, [("a", "c")])
    first["b"] = (9999, 9999)
    drawn.clear()
    again, drawn_again = untangle(pos, sizes, [("a", "c")])
    assert again["b"] != (9999, 9999) and len(drawn_again) == 1
