"""The notebook API: open the graphs once, ask questions, get answers that print, tabulate
and display themselves.

    >>> import cocagraph
    >>> g = cocagraph.open()                               # the shipped graph; or open("my.ttl")
    >>> answer = g.paths("coca production", "political violence")
    >>> answer.rows()[0]["path"], answer.rows()[0]["quote"][:28]
    (1, 'coca, the raw material for c')
    >>> g.sparql("statistics").rows()[0]["value"] < 0     # numbers come as numbers
    True
    >>> answer  # doctest: +ELLIPSIS
    <cocagraph.Answer paths: Causal paths from “coca production in Peru” to “political violence ...; ... row(s)>

Each method mirrors a verb of the command line and returns an :class:`Answer`: ``.rows()``,
``.to_frame()`` (a pandas DataFrame; ``pip install 'cocagraph[pandas]'``), ``.to_json()``,
``.to_text()`` (what the command prints), ``.save(path)`` (any listing format, by suffix), and
an HTML table in notebooks. The command line prints these same answers through the same
reports (:mod:`cocagraph.reports`), so what a notebook shows is what ``cocagraph`` prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .inputs import read_input

if TYPE_CHECKING:
    import networkx as nx

    from .loading import Corpus

__all__ = ["Answer", "Graphs", "open", "query_text"]

PathLike = str | os.PathLike[str]
#: How long a causal search runs by default, in seconds (as ``--timeout``; analysis.bounds says why).
DEFAULT_SECONDS = 1.0


@dataclass(frozen=True, repr=False)
class Answer:
    """One answer: ``kind`` names the question (``paths``, ``claims``, ``query`` ...), ``result``
    holds what the analysis returned (for example a :class:`~cocagraph.analysis.PathsAnswer`)."""

    kind: str
    result: Any

    @property
    def _report(self) -> Any:
        from .reports import report_for

        return report_for(self.kind)

    @property
    def title(self) -> str:
        """One line saying what was asked."""
        return str(self._report.title(self.result))

    @property
    def notes(self) -> tuple[str, ...]:
        """What must be said beside the answer: a search that was cut, a partial answer, not a forecast."""
        return tuple(self._report.notes(self.result))

    @property
    def columns(self) -> tuple[str, ...]:
        from .reports import columns_of

        return columns_of(self._report, self.result)

    def rows(self) -> list[dict[str, Any]]:
        """The answer as rows (one per step for paths and loops, one per factor for drivers and
        effects); numbers are numbers."""
        return list(self._report.rows(self.result))

    def to_frame(self) -> Any:
        """A pandas DataFrame of :meth:`rows`, with the columns in order."""
        try:
            import pandas as pd
        except ImportError as exc:  # an optional extra: say how to get it
            raise ModuleNotFoundError("to_frame() needs pandas: pip install 'cocagraph[pandas]'") from exc
        return pd.DataFrame(self.rows(), columns=list(self.columns))

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON answer (the one ``--format json`` prints)."""
        return json.dumps(self._report.data(self.result), ensure_ascii=False, indent=indent)

    def to_text(self) -> str:
        """The report for people (the one ``--format table`` prints)."""
        return str(self._report.text(self.result))

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        # Short on purpose: a plain Python prompt shows this; print() or a notebook shows the answer.
        return f"<cocagraph.Answer {self.kind}: {self.title}; {len(self.rows())} row(s)>"

    def format(self, fmt: str = "table", **options: Any) -> bytes:
        """The answer in ``fmt`` (table, json, jsonl, csv, tsv, md, xlsx; SPARQL answers also
        xml, srx-tsv, turtle ...) as bytes; ``bom=True`` starts CSV with a byte-order mark."""
        from .reports import render

        return render(self.kind, self.result, fmt, **options)

    def save(self, path: PathLike, fmt: str | None = None, **options: Any) -> Path:
        """Write the answer to ``path`` atomically, in ``fmt`` or the one its suffix names."""
        from .atomic import write_atomic

        chosen = fmt or _format_of_suffix(Path(path))
        return write_atomic(path, self.format(chosen, **options))

    def _repr_html_(self) -> str:
        from .reports import html_report

        return html_report(self.title, self.rows(), self.columns, self.notes)


_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".jsonl": "jsonl", ".md": "md", ".xlsx": "xlsx"}


def _format_of_suffix(path: Path) -> str:
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UsageError(f"{path}: name a format (fmt=...) or use one of {', '.join(_SUFFIXES)}") from None


class Graphs:
    """Graphs opened for questions: local files (loaded once) or a remote SPARQL store.

    Made by :func:`open`. The causal projection is built on the first causal question and kept.
    """

    def __init__(
        self,
        graphs: PathLike | Sequence[PathLike] | None = None,
        *,
        endpoint: str | None = None,
        source: str | None = None,
        max_bytes: int | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        from .store import open_store

        paths = [graphs] if isinstance(graphs, (str, os.PathLike)) else list(graphs or ())
        if endpoint and paths:
            raise UsageError("give either graph files or an endpoint, not both")
        self.endpoint = endpoint
        self.source = source
        #: The one store interface (cocagraph.store) every question goes through.
        self.store = open_store(paths, endpoint=endpoint, source=source, max_bytes=max_bytes, progress=progress)
        self._corpus: Corpus | None = self.store.corpus

    def __repr__(self) -> str:
        corpus = self._corpus
        where = self.store.label if corpus is None else f"{len(corpus.files)} file(s), {corpus.triples} triples"
        return f"<cocagraph.Graphs {where}{f' source={self.source}' if self.source else ''}>"

    @property
    def corpus(self) -> Corpus:
        """The loaded graphs (local files only)."""
        if self._corpus is None:
            raise UsageError(f"this needs the graphs themselves, not only {self.store.label}")
        return self._corpus

    @cached_property
    def projection(self) -> nx.MultiDiGraph:
        """The causal projection: factors as nodes, each causal claim an edge."""
        return self.store.projection()

    # ---- causal questions ---------------------------------------------------------------------

    def paths(
        self, source: str, target: str, *, max_length: int = 6, limit: int = 10, seconds: float = DEFAULT_SECONDS
    ) -> Answer:
        """The causal paths from ``source`` to ``target``, best first (``cocagraph paths``).

        >>> answer = open().paths("coca production", "political violence")
        >>> answer.result.paths[0].labels[:2]
        ('coca production in Peru', 'cocaine production in Peru')
        """
        from .analysis.paths import find_paths

        found = find_paths(self.projection, source, target, max_length=max_length, limit=limit, seconds=seconds)
        return Answer("paths", found)

    def drivers(self, factor: str, *, depth: int = 3, seconds: float = DEFAULT_SECONDS) -> Answer:
        """What pushes ``factor`` up or down within ``depth`` links (``cocagraph drivers``)."""
        from .analysis.neighbours import drivers

        return Answer("drivers", drivers(self.projection, factor, depth=depth, seconds=seconds))

    def effects(self, factor: str, *, depth: int = 3, seconds: float = DEFAULT_SECONDS) -> Answer:
        """What ``factor`` pushes up or down within ``depth`` links (``cocagraph effects``).

        >>> rows = open().effects("cocaine production in Peru").rows()
        >>> len({r["factor"] for r in rows}) == len(rows)   # one row per factor
        True
        """
        from .analysis.neighbours import effects

        return Answer("effects", effects(self.projection, factor, depth=depth, seconds=seconds))

    def loops(
        self, through: str | None = None, *, max_length: int = 6, limit: int = 50, seconds: float = DEFAULT_SECONDS
    ) -> Answer:
        """The feedback loops (through one factor, or all), each reinforcing or balancing."""
        from .analysis.loops import find_loops

        return Answer(
            "loops", find_loops(self.projection, through, max_length=max_length, limit=limit, seconds=seconds)
        )

    def leverage(
        self,
        sources: str | Iterable[str] = (),
        targets: str | Iterable[str] = (),
        *,
        max_length: int = 6,
        limit: int | None = None,
        seconds: float = DEFAULT_SECONDS,
    ) -> Answer:
        """Factors ranked by the chains from ``sources`` to ``targets`` they sit on."""
        from dataclasses import replace

        from .analysis.leverage import leverage

        ranked = leverage(self.projection, _names(sources), _names(targets), max_length=max_length, seconds=seconds)
        return Answer("leverage", replace(ranked, levers=ranked.levers[:limit]) if limit else ranked)

    def explain(self, name: str) -> Answer:
        """Everything the graph says about one claim or factor, with quotes."""
        from .analysis.explain import explain

        return Answer("explain", explain(self.projection, name, self._corpus))

    # ---- claims and SPARQL ----------------------------------------------------------------------

    def claims(
        self,
        *,
        theme: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        certainty: str | None = None,
        explicitness: str | None = None,
        type: str | None = None,
    ) -> Answer:
        """Claims with their certainty, explicitness and quotes, filtered (``cocagraph claims``).

        >>> open().claims(theme="Shining Path").rows()[0]["type"] in {"causal", "descriptive", "event"}
        True
        """
        from .catalog import list_claims

        found = list_claims(
            self.corpus,
            theme=theme,
            actor=actor,
            place=place,
            certainty=certainty,
            explicitness=explicitness,
            claim_type=type,
        )
        return Answer("claims", tuple(found))

    def sparql(
        self,
        query: str | os.PathLike[str],
        *,
        params: Mapping[str, str] | None = None,
        cite: bool = False,
        timeout: float = 30.0,
        max_rows: int | None = 10_000,
        where: str | None = None,
    ) -> Answer:
        """Run a read-only SPARQL query: a bundled query's name, inline text or a ``.rq`` file
        (``where`` names inline text in messages).

        >>> answer = open().sparql("SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:RecommendationClaim }")
        >>> answer.rows()
        [{'n': 3}]
        """
        if where is not None:
            text = str(query)
        else:
            text, where = query_text(query)
        answer = self.store.user_query(text, params=params, timeout=timeout, max_rows=max_rows, cite=cite, where=where)
        return Answer("query", answer)

    # ---- scenarios -------------------------------------------------------------------------------

    def whatif(self, scenario: str | None = None, *, settings: Iterable[str] = (), **method: Any) -> Answer:
        """What the argument implies if factors change (not a forecast); ``settings`` are
        ``NAME=VALUE`` strings, ``method`` the options of ``cocagraph whatif`` (steps, rule, ...)."""
        from .reports.scenarios import WhatIf
        from .scenarios.simulate import simulate
        from .scenarios.specs import scenario_from_command_line

        chosen = scenario_from_command_line(scenario, _names(settings), self.projection)
        options, limit = _method(method)
        result = simulate(self.projection, chosen.interventions, **options).limited(limit)
        return Answer("whatif", WhatIf(result, chosen))

    def compare(self, scenario_a: str, scenario_b: str, **method: Any) -> Answer:
        """Two scenarios side by side (``cocagraph compare``)."""
        from .scenarios.compare import compare
        from .scenarios.specs import scenario_from_argument

        a = scenario_from_argument(scenario_a, self.projection)
        b = scenario_from_argument(scenario_b, self.projection)
        options, limit = _method(method)
        return Answer("compare", compare(self.projection, a, b, **options).limited(limit))

    # ---- the argument ------------------------------------------------------------------------

    def standing(self, *, semantics: str = "grounded", only: str | None = None, claims_only: bool = False) -> Answer:
        """Every claim and relation in, out or undecided once the attacks are weighed (``cocagraph standing``).

        >>> rows = open().standing().rows()
        >>> {r["standing"] for r in rows} <= {"in", "out", "undecided"}
        True
        """
        from .reports.standing import standing_of

        return Answer("standing", standing_of(self.corpus, semantics, only, claims_only))

    def argument(self, name: str, *, depth: int = 3, semantics: str = "grounded") -> Answer:
        """The case for and against a claim or a policy (``cocagraph argument``)."""
        from .argument.case import tree

        return Answer("argument", tree(self.corpus, name, depth=depth, semantics=semantics))

    # ---- maps ------------------------------------------------------------------------------------

    def map(self, *, height: int = 720, **request: Any) -> Any:
        """A map that shows inline in a notebook: ``focus=``, ``path=(FROM, TO)``, ``theme=``,
        ``loops=True`` or ``whatif=("NAME=+1",)`` (as ``cocagraph render``)."""
        from .render.notebook import inline_map

        if "path" in request and request["path"] is not None:
            request["path"] = tuple(request["path"])
        if "whatif" in request and isinstance(request["whatif"], str):
            request["whatif"] = (request["whatif"],)
        return inline_map(self.corpus, height=height, **request)


def open(
    graphs: PathLike | Sequence[PathLike] | None = None,
    *,
    endpoint: str | None = None,
    source: str | None = None,
    max_bytes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Graphs:
    """Open graphs for questions: RDF files or folders (default: the shipped graph and ontology),
    or a remote SPARQL 1.1 ``endpoint``; ``source`` narrows to one source's claims.

    >>> g = open()
    >>> g.explain("wedge-needed").result.kind
    'claim'
    """
    return Graphs(graphs, endpoint=endpoint, source=source, max_bytes=max_bytes, progress=progress)


def query_text(query: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, name for messages) of a query: a ``.rq`` file, a bundled query's name, or inline text.

    >>> query_text("statistics")[1]
    'statistics'
    >>> query_text("SELECT * WHERE { ?s ?p ?o }")[1]
    'query'
    """
    from .sparql import find_bundled

    if isinstance(query, os.PathLike):
        query = str(query)
        if not query.endswith((".rq", ".sparql")):
            return _read_query(Path(query))
    path = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 256 and "\n" not in query and path.is_file()):
        return _read_query(path)
    if any(c.isspace() or c in "{?" for c in query.strip()):
        return query, "query"
    bundled = find_bundled(query)
    return bundled.text, bundled.name


def _read_query(path: Path) -> tuple[str, str]:
    try:
        # A regular file only: a named pipe or a device is refused at once (cocagraph.inputs).
        return read_input(path, what="query file").decode("utf-8"), str(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the query: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: the query is not UTF-8 (byte {exc.start})") from exc


def _names(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


#: The scenario options and their defaults (those of ``cocagraph whatif``).
SCENARIO_DEFAULTS: dict[str, Any] = {
    "steps": 100,
    "tolerance": 1e-6,
    "rule": "kosko",
    "steepness": 1.0,
    "hedged_weight": None,
    "inferred_weight": None,
    "paths": 3,
    "limit": 100,
    "min_change": 1e-3,
}


def _method(method: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The simulation's keyword arguments and the display limit, from the verbs' option names."""
    from .scenarios import Weights

    unknown = sorted(set(method) - set(SCENARIO_DEFAULTS))
    if unknown:
        raise UsageError(f"unknown scenario option {unknown[0]!r}; one of {', '.join(SCENARIO_DEFAULTS)}")
    chosen = {**SCENARIO_DEFAULTS, **method}
    default = Weights()
    weights = Weights(
        hedged=default.hedged if chosen["hedged_weight"] is None else chosen["hedged_weight"],
        inferred=default.inferred if chosen["inferred_weight"] is None else chosen["inferred_weight"],
    )
    options = {
        "steps": chosen["steps"],
        "tolerance": chosen["tolerance"],
        "rule": chosen["rule"],
        "steepness": chosen["steepness"],
        "paths": chosen["paths"],
        "threshold": chosen["min_change"],
        "explain": chosen["limit"] or None,
        "weights": weights,
    }
    return options, chosen["limit"] or None
