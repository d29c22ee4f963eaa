"""Checking evidence against the source text: every quote to the letter, offsets, hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .engine import select
from .errors import InputError, UsageError
from .inputs import read_input
from .loading import Corpus
from .sheets import closest_passage

__all__ = ["QuoteProblem", "QuoteReport", "verify_quotes"]


@dataclass(frozen=True)
class QuoteProblem:
    """A quote (or hash) that does not hold; ``closest`` is the nearest passage of the text."""

    selector: str
    message: str
    closest: str | None = None

    def __str__(self) -> str:
        tail = f"\n    closest passage: {self.closest!r}" if self.closest else ""
        return f"{self.selector}: {self.message}{tail}"


@dataclass(frozen=True)
class QuoteReport:
    """The outcome of checking one source's quotes against its text."""

    source: str
    text_file: str
    checked: int
    problems: tuple[QuoteProblem, ...]

    @property
    def holds(self) -> bool:
        return self.checked > 0 and not self.problems


def verify_quotes(corpus: Corpus, text_path: str | Path) -> QuoteReport:
    """Check every quote that targets the source whose text is ``text_path``.

    The source is the one whose ``cg:textFile`` is that file's name or whose ``cg:sha256`` is
    its hash; a hash that differs is reported (the offsets may then be off).
    """
    path = Path(text_path)
    try:
        raw = read_input(path)  # a regular file only: a pipe or /dev/zero is refused at once
        text = raw.decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from exc
    digest = hashlib.sha256(raw).hexdigest()
    sources = select(
        corpus.store,
        """SELECT ?s ?hash ?file WHERE { ?s a dcterms:BibliographicResource .
             OPTIONAL { ?s cg:sha256 ?hash } OPTIONAL { ?s cg:textFile ?file } } ORDER BY ?s""",
    )
    matching = [r for r in sources if r["hash"] == digest or r["file"] == path.name]
    if not matching:
        if len(sources) == 1:
            matching = sources
        else:
            names = ", ".join(r["s"] for r in sources) or "none"
            raise UsageError(f"{path}: no loaded source has this text (sources: {names})")
    source = matching[0]
    problems: list[QuoteProblem] = []
    if source["hash"] and source["hash"] != digest:
        problems.append(
            QuoteProblem(source["s"], f"the source records SHA-256 {source['hash']}, but {path.name} has {digest}")
        )
    rows = select(
        corpus.store,
        """SELECT ?qs ?exact ?prefix ?suffix ?start ?end WHERE {
             ?target oa:hasSource ?source ; oa:hasSelector ?qs .
             ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
             OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix }
             OPTIONAL { ?target oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ;
                        oa:start ?start ; oa:end ?end }
           } ORDER BY ?qs""",
        source=source["s"],
    )
    for row in rows:
        name = row["qs"].replace("https://w3id.org/cocagraph/id/", "")
        exact = row["exact"]
        if exact not in text:
            problems.append(
                QuoteProblem(name, f"not in {path.name} to the letter: {exact[:90]!r}", closest_passage(text, exact))
            )
            continue
        surrounded = f"{row['prefix'] or ''}{exact}{row['suffix'] or ''}"
        if (row["prefix"] is not None or row["suffix"] is not None) and surrounded not in text:
            problems.append(QuoteProblem(name, "oa:prefix and oa:suffix do not surround the quote in the text"))
        if row["start"] is not None and row["end"] is not None:
            start, end = int(row["start"]), int(row["end"])
            if text[start:end] != exact:
                problems.append(
                    QuoteProblem(
                        name, f"offsets {start}-{end} cut {text[start:end][:60]!r}, not the quote {exact[:60]!r}"
                    )
                )
        elif text.count(exact) > 1 and row["prefix"] is None:
            problems.append(
                QuoteProblem(name, "the quote stands several times in the text and has no prefix, suffix or offsets")
            )
    return QuoteReport(source["s"], path.name, len(rows), tuple(problems))
