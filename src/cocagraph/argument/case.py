"""The case for and against a claim or a policy: a tree of reasons and objections.

The root is a claim, or a policy (any factor) whose tree starts from the claims about it: the
recommendations in its favour first, then the others, then those against it; then, as practical
reasoning (argument from consequences) has it, what the policy brings about by the graph's own
causal claims, each followed by what the text says about that consequence (a recommendation to
drive a wedge, under the claim that regulation drives it). No relation is made up for this: the
consequence and the goal are shown side by side, each with its own relations. Below each claim
stand the relations that bear on it (supports and mechanisms, then qualifications, then
concessions, rebuttals), each with its premises below it and the relations that answer it
(undercuts, rebuttals of a concession). Every node carries its quote, certainty, asserter and
standing (:func:`cocagraph.argument.standing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalog import list_claims, names_of, short_name
from ..engine import select
from ..errors import UsageError
from ..names import resolve
from ..vocab import CG
from .model import Relation, relations
from .semantics import Label, framework, label_framework

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = ["ROLES", "ArgumentTree", "Node", "Statement", "Step", "tree"]

#: How each relation type bears on what it concludes, in the order a tree lists them.
ROLES = {
    "support": "reason",
    "elaboration": "mechanism",
    "qualification": "qualification",
    "concession": "concession",
    "rebuttal": "objection",
    "undercut": "undercut",
}
#: The deepest tree one may ask for (each level is a layer of relations).
MAX_DEPTH = 20


@dataclass(frozen=True)
class Statement:
    """A claim as a tree shows it."""

    iri: str
    label: str
    type: str | None
    quote: str
    certainty: str
    hedge: str | None
    asserted_by: str | None
    explicitness: str
    standing: Label

    @property
    def id(self) -> str:
        return short_name(self.iri)


@dataclass(frozen=True)
class Step:
    """A relation bearing on the node above it: its premises below, and what answers it."""

    relation: Relation
    standing: Label
    premises: tuple[Node, ...]
    answers: tuple[Step, ...]

    @property
    def role(self) -> str:
        return ROLES[self.relation.type]


@dataclass(frozen=True)
class Node:
    """A claim in the tree.

    ``more`` is True when relations bear on it below the depth asked for; ``repeated`` when it
    already stands above it in the same branch (a circle of reasons), so it is not expanded again.
    """

    statement: Statement
    steps: tuple[Step, ...]
    more: bool = False
    repeated: bool = False


@dataclass(frozen=True)
class ArgumentTree:
    """The case for and against ``subject``: one root per claim, each with its side.

    ``side`` is "claim" for a claim asked for itself; for a policy, "for" (a recommendation in
    its favour), "against", or "about" (a claim about it that takes no side), then
    "consequence" (a causal claim with the policy as its cause, not shown already) each followed
    by its "goal" (or "goal against") roots: the claims about what that consequence brings about.
    """

    subject: str
    label: str
    kind: str  # "claim" or "policy" (or "factor")
    roots: tuple[tuple[str, Node], ...]
    depth: int
    semantics: str


def tree(corpus: Corpus, claim_or_policy: str, depth: int = 3, semantics: str = "grounded") -> ArgumentTree:
    """The reasons for and the objections against a claim or a policy, ``depth`` layers deep.

    ``claim_or_policy`` is a claim's id, label or IRI, or a factor's name (a policy such as
    "regulate coca").

    >>> from cocagraph.loading import load
    >>> from helpers import DATA
    >>> case = tree(load([DATA / "argument-mini.ttl"]), "build a bridge")
    >>> side, root = case.roots[0]
    >>> side, root.statement.id, [(s.role, str(s.standing)) for s in root.steps]
    ('for', 'bridge-needed', [('reason', 'in'), ('concession', 'out')])
    """
    if not 0 <= depth <= MAX_DEPTH:
        raise UsageError(f"--depth must be between 0 and {MAX_DEPTH}, not {depth}")
    rels = relations(corpus)
    claims = {row.iri: row for row in list_claims(corpus)}
    labels = label_framework(framework(list(claims), rels), semantics)
    names = {iri: [row.label, row.id] for iri, row in claims.items()}
    factors = names_of(corpus, CG.Factor)
    iri = resolve(claim_or_policy, {**names, **factors}, "claim or policy")
    builder = _Builder(claims, labels, rels, depth)
    if iri in claims:
        return ArgumentTree(iri, claims[iri].label, "claim", (("claim", builder.node(iri, 0, ())),), depth, semantics)
    policy = bool(select(corpus.store, "SELECT ?kind WHERE { ?f a ?kind FILTER(?kind = cg:PolicyOption) }", f=iri))
    rows = select(corpus.store, _ABOUT, f=iri)
    roots = [(side, builder.node(claim, 0, ())) for side, claim in _about(rows, claims, builder)]
    # Practical reasoning (argument from consequences): what the policy brings about, by the
    # graph's own causal claims, and what the text recommends about those consequences.
    shown = {claim for _, node in roots for claim in _claims_in(node)}
    effects = select(
        corpus.store,
        "SELECT ?c ?effect WHERE { ?c a cg:CausalClaim ; cg:cause ?f ; cg:effect ?effect } ORDER BY ?c",
        f=iri,
    )
    for row in sorted(effects, key=lambda r: (builder.position(r["c"]), r["c"])):
        if row["c"] in shown or row["c"] not in claims:
            continue
        consequence = builder.node(row["c"], 0, ())
        roots.append(("consequence", consequence))
        shown |= set(_claims_in(consequence))
        goals = select(corpus.store, _ABOUT, f=row["effect"])
        for side, claim in _about(goals, claims, builder):
            if claim not in shown:
                goal = builder.node(claim, 0, ())
                roots.append(("goal" if side != "against" else "goal against", goal))
                shown |= set(_claims_in(goal))
    return ArgumentTree(iri, factors[iri][0], "policy" if policy else "factor", tuple(roots), depth, semantics)


_ABOUT = "SELECT ?c ?stance WHERE { ?c a cg:Claim ; cg:about ?f . OPTIONAL { ?c cg:stance ?stance } } ORDER BY ?c"


def _about(rows: list[dict], claims: dict, builder: _Builder) -> list[tuple[str, str]]:
    """The claims of ``rows`` (?c, ?stance) with their side, in favour first, each in text order."""
    sides = {CG.InFavour: "for", CG.Against: "against"}
    order = {"for": 0, "about": 1, "against": 2}
    about = sorted(
        ((sides.get(r["stance"], "about"), r["c"]) for r in rows if r["c"] in claims),
        key=lambda pair: (order[pair[0]], builder.position(pair[1]), pair[1]),
    )
    return list(dict.fromkeys(about))


def _claims_in(node: Node) -> list[str]:
    """Every claim shown in ``node``'s subtree."""
    found = [node.statement.iri]

    def step(s: Step) -> None:
        for premise in s.premises:
            found.extend(_claims_in(premise))
        for answer in s.answers:
            step(answer)

    for s in node.steps:
        step(s)
    return found


class _Builder:
    """Builds nodes and steps from the corpus' claims, relations and labels (read once)."""

    def __init__(self, claims: dict, labels: dict[str, Label], rels: list[Relation], depth: int) -> None:
        self.claims, self.labels, self.depth = claims, labels, depth
        self.on: dict[str, list[Relation]] = {}
        for rel in rels:
            self.on.setdefault(rel.conclusion, []).append(rel)
        kinds = list(ROLES)
        for bearing in self.on.values():
            bearing.sort(key=lambda r: (kinds.index(r.type), _start(r), r.iri))

    def position(self, claim: str) -> int:
        row = self.claims.get(claim)
        starts = [e.start for e in row.evidence if e.start is not None] if row else []
        return min(starts, default=1 << 62)

    def statement(self, iri: str) -> Statement:
        row = self.claims.get(iri)
        label = self.labels.get(iri, Label("in"))
        if row is None:  # a premise the corpus does not describe: shown by its IRI
            return Statement(iri, short_name(iri), None, "", "asserted", None, None, "stated", label)
        return Statement(
            iri, row.label, row.type, row.quote, row.certainty, row.hedge, row.asserted_by, row.explicitness, label
        )

    def node(self, iri: str, level: int, above: tuple[str, ...]) -> Node:
        bearing = self.on.get(iri, [])
        if iri in above:
            return Node(self.statement(iri), (), more=bool(bearing), repeated=True)
        if level >= self.depth:
            return Node(self.statement(iri), (), more=bool(bearing))
        return Node(self.statement(iri), tuple(self.step(r, level + 1, (*above, iri)) for r in bearing))

    def step(self, rel: Relation, level: int, above: tuple[str, ...]) -> Step:
        answers = tuple(self.step(a, level + 1, above) for a in self.on.get(rel.iri, []) if level < self.depth)
        premises = tuple(self.node(p, level, above) for p in rel.premises)
        return Step(rel, self.labels.get(rel.iri, Label("in")), premises, answers)


def _start(rel: Relation) -> int:
    return min((e.start for e in rel.evidence if e.start is not None), default=1 << 62)
