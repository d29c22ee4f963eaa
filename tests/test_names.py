"""Names resolve on labels and alternative labels (and an exact id or IRI), never on parts of IRIs."""

from __future__ import annotations

import ast

import pytest

from cocagraph.errors import UnknownNameError
from cocagraph.names import CANDIDATES_SHOWN, resolve

BASE = "https://w3id.org/cocagraph/id/factor/"


def test_a_part_of_an_iri_or_id_is_not_a_name():
    names = {BASE + "garcia-obstruction": ["García's obstruction", "garcia-obstruction"]}
    with pytest.raises(UnknownNameError):
        resolve("cocagraph", names)  # every IRI holds it
    with pytest.raises(UnknownNameError):
        resolve("obstruction-x", names)
    assert resolve("garcia-obstruction", names) == BASE + "garcia-obstruction"  # the whole id
    assert resolve(BASE + "garcia-obstruction", names) == BASE + "garcia-obstruction"  # the exact IRI
    assert resolve("obstruction", names) == BASE + "garcia-obstruction"  # a part of the label


def test_an_ambiguous_name_counts_every_candidate_closest_first():
    names = {f"{BASE}f{i}": [f"coca thing number {i:03}"] for i in range(40)}
    names[BASE + "near"] = ["coca things"]
    with pytest.raises(UnknownNameError) as info:
        resolve("coca thing", names)
    message = str(info.value)
    assert "could be any of 41 factors" in message
    assert message.index("'coca things'") < message.index("'coca thing number 000'")  # the closest first
    assert f"and {41 - CANDIDATES_SHOWN} more" in message
    assert len(info.value.suggestions) == 41


def test_paths_coca_violence_offers_only_factors_whose_names_hold_coca(run_cli, corpus):
    from cocagraph.names import normalize
    from cocagraph.projection import build_projection

    graph = build_projection(corpus)
    holding = {
        data["label"]
        for _, data in graph.nodes(data=True)
        if any("coca" in normalize(n) for n in (data["label"], *data.get("alt_labels", ())))
    }
    result = run_cli("paths", "coca", "violence")
    assert result.code == 2 and "ambiguous" in result.err
    offered = result.err.strip().split(" factors: ", 1)[1]
    names = ast.literal_eval(f"[{offered}]")  # each name is written as a Python string
    assert set(names) == holding, names  # those whose label or alternative label holds "coca"
    assert "García" not in result.err and "Humala" not in result.err
    assert f"could be any of {len(holding)} factors" in result.err


def test_an_unknown_theme_lists_the_themes(run_cli):
    result = run_cli("claims", "--theme", "corruption")
    assert result.code == 2
    assert "the themes are:" in result.err
    for theme in ("politics and pardons", "justice and police", "drug violence", "Shining Path"):
        assert f"'{theme}'" in result.err


def test_unknown_actor_and_place_list_what_exists(run_cli):
    actor = run_cli("claims", "--actor", "zzzz")
    assert actor.code == 2 and "the actors are:" in actor.err and "Humala administration" in actor.err
    place = run_cli("claims", "--place", "qqqq")
    assert place.code == 2 and "the places are:" in place.err and "Trujillo" in place.err
