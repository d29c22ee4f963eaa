"""Which claims stand once the attacks are weighed: Dung's semantics over the argument relations.

The framework (arguments and attacks) is built from the relations as AIF reads them:

* every claim and every relation is an argument (a relation is an AIF scheme node);
* a rebuttal, an undercut and a concession attack their conclusion (a claim, or for an
  undercut a relation: attacking a relation attacks the inference, not its premises);
* a concession is attacked back by its conclusion: the author grants the premises but still
  holds the conclusion. So an answered concession (undercut, or rebutted as a relation) leaves
  the conclusion in and the granted premises in; an unanswered one leaves the conclusion and
  the concession undecided, since the text weighs the two but settles nothing;
* a relation needs its premises (AIF inference; necessary support in bipolar argumentation,
  Nouioua and Risch 2010): whatever attacks a premise attacks every relation that uses it, so a
  relation is never more accepted than its weakest premise;
* a support or an elaboration gives a reason and a qualification limits scope: neither attacks,
  and neither makes its conclusion depend on it (a claim rests on its own quote); they stand or
  fall with their premises and the attacks on them, and `cocagraph argument` shows them so.

Labels are those of the grounded labelling (the sceptical fixpoint), or of the preferred
labellings taken sceptically: in if in every preferred labelling, out if out in every one,
undecided otherwise. Each label carries the attacks that decide it: for ``out`` the attacks by
arguments that are in, for ``undecided`` those by arguments that are not out, for ``in`` every
attack on it (each by an argument that is out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine import select
from ..errors import UsageError

if TYPE_CHECKING:
    from ..loading import Corpus
    from .model import Relation

__all__ = [
    "MAX_UNDECIDED_COMPONENT",
    "SEMANTICS",
    "Attack",
    "Framework",
    "Label",
    "framework",
    "grounded_labels",
    "label_framework",
    "preferred_extensions",
    "preferred_labels",
    "standing",
]

SEMANTICS = ("grounded", "preferred")
#: Preferred semantics enumerates the choices left open by the grounded labelling, one group of
#: arguments that attack one another at a time; a group larger than this is refused (the search
#: is exponential in it) rather than left running.
MAX_UNDECIDED_COMPONENT = 20


@dataclass(frozen=True, order=True)
class Attack:
    """One attack of the framework.

    ``kind`` is the attacking relation's type ("rebuttal", "undercut", "concession"), or
    "held against" for the conclusion a concession is made against, which the author still holds.
    ``via`` is the premise through which the attack reaches a relation that needs it (None for a
    direct attack).
    """

    attacker: str
    target: str
    kind: str
    via: str | None = None


class Label(str):
    """A label, "in", "out" or "undecided", carrying the attacks that decide it.

    A ``str`` so that it compares, sorts and serialises as the label itself
    (``standing(corpus)[iri] == "in"``); ``decided_by`` holds the deciding attacks.

    >>> label = Label("out", (Attack("r", "c", "rebuttal"),))
    >>> label == "out", label.decided_by[0].attacker
    (True, 'r')
    """

    decided_by: tuple[Attack, ...]

    def __new__(cls, value: str, decided_by: Iterable[Attack] = ()) -> Label:
        if value not in ("in", "out", "undecided"):
            raise ValueError(f"a label is in, out or undecided, not {value!r}")
        label = super().__new__(cls, value)
        label.decided_by = tuple(decided_by)
        return label

    def __reduce__(self) -> tuple[type[Label], tuple[str, tuple[Attack, ...]]]:
        return (Label, (str(self), self.decided_by))


@dataclass(frozen=True)
class Framework:
    """Arguments (claim and relation IRIs) and the attacks between them, derived ones included."""

    arguments: tuple[str, ...]
    attacks: tuple[Attack, ...]

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """The attack relation as (attacker, target) pairs: what Dung's semantics reads."""
        return frozenset((a.attacker, a.target) for a in self.attacks)

    def attacks_on(self) -> dict[str, list[Attack]]:
        """Each argument's incoming attacks."""
        found: dict[str, list[Attack]] = {a: [] for a in self.arguments}
        for attack in self.attacks:
            found[attack.target].append(attack)
        return found


def framework(claims: Iterable[str], rels: Sequence[Relation]) -> Framework:
    """The framework of ``claims`` and the relations ``rels`` (see the module's docstring).

    >>> from cocagraph.argument.model import Relation
    >>> def rel(iri, kind, premises, conclusion):
    ...     return Relation(iri, kind, premises, conclusion, None, None, (), None, None, "stated", None,
    ...                     "asserted", None, None)
    >>> fw = framework(["a", "b", "c"], [rel("r", "rebuttal", ("a",), "b"), rel("s", "support", ("b",), "c")])
    >>> sorted((x.attacker, x.target, x.via) for x in fw.attacks)
    [('r', 'b', None), ('r', 's', 'b')]
    """
    arguments = dict.fromkeys(claims)
    for rel in rels:
        arguments.setdefault(rel.iri)
        arguments.setdefault(rel.conclusion)
        for premise in rel.premises:
            arguments.setdefault(premise)
    direct: list[Attack] = []
    for rel in rels:
        if rel.attacks:
            direct.append(Attack(rel.iri, rel.conclusion, rel.type))
        if rel.type == "concession":
            direct.append(Attack(rel.conclusion, rel.iri, "held against"))
    # Premises are claims, and what attacks a claim is a direct attack: one level suffices.
    on: dict[str, list[Attack]] = {}
    for attack in direct:
        on.setdefault(attack.target, []).append(attack)
    derived = [
        Attack(attack.attacker, rel.iri, attack.kind, via=premise)
        for rel in rels
        for premise in rel.premises
        for attack in on.get(premise, ())
    ]
    return Framework(tuple(arguments), tuple(sorted(set(direct + derived))))


def grounded_labels(arguments: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The grounded labelling: in when every attacker is out, out when some attacker is in.

    Linear in the framework's size (each attack is counted down once).

    >>> grounded_labels("abc", [("a", "b"), ("b", "c")])
    {'a': 'in', 'b': 'out', 'c': 'in'}
    >>> grounded_labels("ab", [("a", "b"), ("b", "a")])
    {'a': 'undecided', 'b': 'undecided'}
    """
    args = list(dict.fromkeys(arguments))
    attackers: dict[str, set[str]] = {a: set() for a in args}
    targets: dict[str, set[str]] = {a: set() for a in args}
    for attacker, target in pairs:
        attackers[target].add(attacker)
        targets[attacker].add(target)
    labels: dict[str, str] = {}
    standing_attackers = {a: len(attackers[a]) for a in args}
    todo = [a for a in args if not attackers[a]]
    while todo:
        winner = todo.pop()
        if winner in labels:
            continue
        labels[winner] = "in"
        for beaten in targets[winner]:
            if beaten in labels:
                continue
            labels[beaten] = "out"
            for freed in targets[beaten]:
                standing_attackers[freed] -= 1
                if standing_attackers[freed] == 0 and freed not in labels:
                    todo.append(freed)
    return {a: labels.get(a, "undecided") for a in args}


def preferred_extensions(arguments: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[frozenset[str]]:
    """Every preferred extension (a maximal admissible set), built on the grounded extension.

    Each contains the grounded extension, and the arguments the grounded labelling leaves
    undecided fall into groups that attack only one another; the extensions are the products of
    each group's own preferred extensions.

    >>> floating = [("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")]
    >>> sorted(sorted(e) for e in preferred_extensions("abcd", floating))
    [['a', 'd'], ['b', 'd']]
    """
    args, pairs = list(dict.fromkeys(arguments)), set(pairs)
    grounded = grounded_labels(args, pairs)
    base = frozenset(a for a, label in grounded.items() if label == "in")
    extensions = [base]
    for group in _undecided_groups(grounded, pairs):
        choices = _group_preferred(group, {(x, y) for x, y in pairs if x in group and y in group})
        extensions = [e | c for e in extensions for c in choices]
    return extensions


def preferred_labels(arguments: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Sceptical labels over the preferred labellings: in (out) when in (out) in every one.

    >>> preferred_labels("abcd", [("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")])
    {'a': 'undecided', 'b': 'undecided', 'c': 'out', 'd': 'in'}
    """
    args, pairs = list(dict.fromkeys(arguments)), set(pairs)
    attackers: dict[str, set[str]] = {a: set() for a in args}
    for attacker, target in pairs:
        attackers[target].add(attacker)
    extensions = preferred_extensions(args, pairs)
    labels = {}
    for a in args:
        if all(a in e for e in extensions):
            labels[a] = "in"
        elif all(attackers[a] & e for e in extensions):
            labels[a] = "out"
        else:
            labels[a] = "undecided"
    return labels


def label_framework(fw: Framework, semantics: str = "grounded") -> dict[str, Label]:
    """Every argument of ``fw`` labelled under ``semantics``, with the attacks that decide it."""
    if semantics not in SEMANTICS:
        raise UsageError(f"unknown semantics {semantics!r}; one of {', '.join(SEMANTICS)}")
    solve = grounded_labels if semantics == "grounded" else preferred_labels
    plain = solve(fw.arguments, fw.pairs)
    on = fw.attacks_on()
    labelled: dict[str, Label] = {}
    for argument in fw.arguments:
        value = plain[argument]
        incoming = on[argument]
        if value == "in":
            deciding = incoming
        elif value == "out":
            deciding = [a for a in incoming if plain[a.attacker] == "in"]
            # Under preferred semantics an argument can be out in every labelling, beaten by a
            # different attacker in each: then no attacker is in for sure, and all that are
            # not out decide it together.
            deciding = deciding or [a for a in incoming if plain[a.attacker] != "out"]
        else:
            deciding = [a for a in incoming if plain[a.attacker] != "out"]
        labelled[argument] = Label(value, deciding)
    return labelled


def standing(corpus: Corpus, semantics: str = "grounded") -> dict[str, Label]:
    """Claim and relation IRI -> its label ("in", "out", "undecided") under ``semantics``.

    Every claim of the corpus is labelled, those no relation touches too (in: nothing attacks
    them). See the module's docstring for how relations become attacks.

    >>> from cocagraph.loading import load
    >>> from helpers import DATA
    >>> labels = standing(load([DATA / "argument-mini.ttl"]))
    >>> labels["https://w3id.org/cocagraph/id/claim/ferry-on-time"]
    'out'
    >>> [a.attacker.rsplit("/", 1)[1] for a in labels["https://w3id.org/cocagraph/id/claim/ferry-on-time"].decided_by]
    ['skips-rebuts-on-time']
    """
    from .model import relations

    claims = [row["c"] for row in select(corpus.store, "SELECT DISTINCT ?c WHERE { ?c a cg:Claim } ORDER BY ?c")]
    return label_framework(framework(claims, relations(corpus)), semantics)


def _undecided_groups(labels: Mapping[str, str], pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The undecided arguments in groups joined by attacks (weakly connected), each in a fixed order."""
    undecided = [a for a, label in labels.items() if label == "undecided"]
    parent = {a: a for a in undecided}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for x, y in pairs:
        if x in parent and y in parent:
            parent[root(x)] = root(y)
    groups: dict[str, list[str]] = {}
    for a in undecided:
        groups.setdefault(root(a), []).append(a)
    return list(groups.values())


def _group_preferred(group: list[str], pairs: set[tuple[str, str]]) -> list[frozenset[str]]:
    """The preferred extensions of one group (no argument in it is attacked from outside but by
    arguments that are out), by a search over conflict-free sets."""
    if len(group) > MAX_UNDECIDED_COMPONENT:
        raise UsageError(
            f"preferred semantics would have to weigh {len(group)} arguments that attack one another "
            f"(limit {MAX_UNDECIDED_COMPONENT}); use --semantics grounded"
        )
    attackers: dict[str, set[str]] = {a: set() for a in group}
    for x, y in pairs:
        attackers[y].add(x)
    admissible: list[frozenset[str]] = []

    def defended(chosen: frozenset[str]) -> bool:
        return all(any((d, x) in pairs for d in chosen) for a in chosen for x in attackers[a])

    def grow(i: int, chosen: frozenset[str]) -> None:
        if i == len(group):
            if defended(chosen):
                admissible.append(chosen)
            return
        a = group[i]
        if (a, a) not in pairs and not any((a, b) in pairs or (b, a) in pairs for b in chosen):
            grow(i + 1, chosen | {a})
        grow(i + 1, chosen)

    grow(0, frozenset())
    return [e for e in admissible if not any(e < other for other in admissible)]
