"""Shared fixtures: the article text (from ../shared when present), the shipped corpus, and
an in-process runner for the command line that goes through the same error handling as the
console script."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from cocagraph.cli import main
from cocagraph.loading import load
from helpers import ARTICLE, ROOT


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run ``cocagraph ARGS`` in this process; returns exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def article_path() -> Path:
    if not ARTICLE.exists():
        pytest.skip(f"the article text is not at {ARTICLE} (../shared is missing)")
    return ARTICLE


@pytest.fixture(scope="session")
def article_text(article_path: Path) -> str:
    return article_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus():
    """The shipped graph and ontology, loaded once."""
    return load()


@pytest.fixture
def graph_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped graphs/ and ontology/ to break on purpose."""
    for name in ("graphs", "ontology"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
