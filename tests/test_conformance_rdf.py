"""The W3C RDF 1.1 and RDF 1.2 syntax test suites, run through cocagraph's loader.

Every negative syntax or evaluation test must be refused as an input error (exit 2) whose
message starts with ``file:line``; every positive test must load; every evaluation test must give
its expected triples (blank nodes up to renaming), with the manifest's base. The loader's own
policy refuses some inputs the suites accept (IRIs with schemes other than http, https, urn,
mailto and tag; RDF/XML with a DOCTYPE): those are counted apart, must be refused as unsafe, and
must be few. Counts are printed (``pytest -s``) for the closing note of issue 12.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from cocagraph.errors import InputError, UnsafeInputError
from cocagraph.loading import load
from helpers import ROOT

SUITES = ROOT.parent.parent / "shared" / "conformance" / "w3c-rdf-tests" / "rdf"
if not SUITES.exists():  # the worktree and main sit side by side with ../shared
    SUITES = Path("/work/shared/conformance/w3c-rdf-tests/rdf")
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUFFIXES = {".ttl", ".nt", ".nq", ".trig", ".rdf"}
#: Evaluation tests where pyoxigraph 0.5's RDF/XML parser gives another answer: it keeps the
#: in-scope namespace declarations in rdf:parseType="Literal" values instead of writing their
#: exclusive canonical form (``<br></br>``). A parser limitation, named so that a fix shows.
KNOWN_PARSER_DIFFERENCES = {
    "rdf11/rdf-xml/xml-canon-test001",
    "rdf11/rdf-xml/xml-canon-test002",
    "rdf12/rdf-xml/eval/rdf12-xml-an-13",
    "rdf12/rdf-xml/eval/rdf12-xml-an-14",
}


@dataclass(frozen=True)
class Case:
    suite: str
    name: str
    kind: str  # positive, negative, eval
    action: Path
    result: Path | None
    base: str


def _cases() -> list[Case]:
    cases: list[Case] = []
    for manifest in sorted(SUITES.glob("rdf1[12]/**/manifest.ttl")):
        folder = manifest.parent
        quads = list(ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=folder.as_uri() + "/"))
        props: dict[object, dict[str, object]] = {}
        for q in quads:
            props.setdefault(q.subject, {})[q.predicate.value] = q.object
        assumed = next(
            (str(o.value) for q in quads if q.predicate.value == MF + "assumedTestBase" for o in [q.object]), None
        )
        for test, values in props.items():
            kind_term = values.get(RDF_TYPE)
            action = values.get(MF + "action")
            if kind_term is None or action is None or not kind_term.value.startswith(RDFT):
                continue
            kind = kind_term.value[len(RDFT) :]
            if "C14N" in kind or "Approved" in kind:
                continue
            local = Path(action.value.removeprefix("file://"))
            if local.suffix not in SUFFIXES or not local.exists():
                continue
            relative = local.relative_to(folder).as_posix()
            base = (
                assumed or "https://w3c.github.io/rdf-tests/" + folder.relative_to(SUITES.parent).as_posix() + "/"
            ) + relative
            result = values.get(MF + "result")
            category = "negative" if "Negative" in kind else "eval" if "Eval" in kind else "positive"
            cases.append(
                Case(
                    folder.relative_to(SUITES).as_posix(),
                    test.value.rsplit("#", 1)[-1],
                    category,
                    local,
                    Path(result.value.removeprefix("file://")) if result is not None and category == "eval" else None,
                    base,
                )
            )
    return cases


CASES = _cases() if SUITES.exists() else []
needs_suites = pytest.mark.skipif(not CASES, reason=f"the W3C RDF tests are not at {SUITES} (../shared is missing)")


def _canonical(quads: list[ox.Quad]) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _outcome(case: Case) -> str:
    """'ok', 'policy' (refused by cocagraph's policy) or a description of the failure."""
    if case.kind == "negative":
        try:
            load([case.action], base=case.base, as_written=True)
        except UnsafeInputError:
            return "ok"  # refused, as an unsafe input (file:line checked in its own test)
        except InputError as exc:
            if not re.match(re.escape(str(case.action)) + r":\d+: ", str(exc)):
                return f"refused without file:line: {exc}"
            return "ok"
        return "loaded although it is invalid"
    try:
        corpus = load([case.action], base=case.base, as_written=True)
    except UnsafeInputError as exc:
        return "policy" if _policy(str(exc)) else f"refused: {exc}"
    except InputError as exc:
        return f"refused: {exc}"
    if case.kind == "eval" and case.result is not None:
        (loaded,) = corpus.files
        own = ox.NamedNode(loaded.graph)
        got = [
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph() if q.graph_name == own else q.graph_name)
            for q in loaded.quads or ()
        ]
        fmt = ox.RdfFormat.N_QUADS if case.result.suffix == ".nq" else ox.RdfFormat.N_TRIPLES
        expected = list(ox.parse(path=str(case.result), format=fmt))
        if _canonical(got) != _canonical(expected):
            return f"differs from {case.result.name}"
    return "ok"


def _policy(message: str) -> bool:
    return "only http, https, urn, mailto and tag IRIs are accepted" in message or "DOCTYPE" in message


@needs_suites
@pytest.mark.slow
def test_the_w3c_rdf_syntax_suites():
    outcomes = {case: _outcome(case) for case in CASES}
    tally = Counter(
        (case.kind, "ok" if o == "ok" else "policy" if o == "policy" else "fail") for case, o in outcomes.items()
    )
    print("\nW3C RDF 1.1 + 1.2 syntax suites through the loader:", dict(sorted(tally.items())))
    failures = [f"{c.suite}/{c.name}: {o}" for c, o in outcomes.items() if o not in ("ok", "policy")]
    known = {f for f in failures if f.split(": ", 1)[0] in KNOWN_PARSER_DIFFERENCES}
    print("known parser differences:", sorted(known))
    print("refused by policy:", sorted(f"{c.suite}/{c.name}" for c, o in outcomes.items() if o == "policy"))
    assert sorted(set(failures) - known) == [], "\n".join(sorted(set(failures) - known)[:40])
    negatives = [c for c in CASES if c.kind == "negative"]
    assert len(negatives) >= 400 and all(outcomes[c] == "ok" for c in negatives)
    policy = [c for c, o in outcomes.items() if o == "policy"]
    assert len(policy) <= 20, [f"{c.suite}/{c.name}" for c in policy]


@needs_suites
def test_a_sample_of_each_kind_quickly():
    """A few of each suite and kind, for the quick run (the whole suite is marked slow)."""
    seen: Counter[tuple[str, str]] = Counter()
    sample = []
    for case in CASES:
        if seen[(case.suite, case.kind)] < 3:
            seen[(case.suite, case.kind)] += 1
            sample.append(case)
    failures = [
        f"{c.suite}/{c.name}: {o}"
        for c in sample
        if (o := _outcome(c)) not in ("ok", "policy") and f"{c.suite}/{c.name}" not in KNOWN_PARSER_DIFFERENCES
    ]
    assert failures == []


@needs_suites
def test_rdf_xml_errors_name_a_line():
    negatives = [c for c in CASES if c.kind == "negative" and c.action.suffix == ".rdf"]
    assert negatives
    for case in negatives:
        with pytest.raises(InputError) as caught:
            load([case.action], base=case.base)
        assert re.match(re.escape(str(case.action)) + r":\d+: ", str(caught.value)), str(caught.value)
