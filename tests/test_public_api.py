"""The public surface is small and pinned: a change to it is a decision, not an accident."""

from __future__ import annotations

import subprocess
import sys

import cocagraph

EXPECTED = [
    "Answer",
    "CocagraphError",
    "Corpus",
    "Graphs",
    "__version__",
    "build_projection",
    "find_loops",
    "find_paths",
    "list_claims",
    "load",
    "resolve_factor",
    "run_query",
    "serialize_answer",
    "simulate",
    "summarize",
    "validate",
    "verify_quotes",
]


def test_exported_names_are_pinned_and_sorted():
    assert cocagraph.__all__ == EXPECTED
    for name in EXPECTED:
        assert getattr(cocagraph, name) is not None


def test_open_is_public_but_never_star_imported():
    assert callable(cocagraph.open) and "open" in dir(cocagraph)
    namespace: dict[str, object] = {}
    exec("from cocagraph import *", namespace)
    assert "open" not in namespace  # the built-in open stays what it is


def test_version_is_the_one_in_pyproject():
    import tomllib

    from helpers import ROOT

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cocagraph.__version__ == declared


def test_importing_cocagraph_imports_nothing_heavy():
    heavy = "('rdflib', 'networkx', 'pyvis', 'pyshacl', 'scipy')"
    code = f"import sys, cocagraph; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error():
    try:
        cocagraph.frobnicate  # noqa: B018
    except AttributeError as exc:
        assert "frobnicate" in str(exc)
    else:
        raise AssertionError("no AttributeError")
