"""Where the shipped graph and ontology are: in a checkout, or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_graph_paths", "graphs_dir", "ontology_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders as package data (see pyproject.toml); a checkout or an
    # editable install has them at the top of the repository, two levels above this file.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the shipped {name}/ folder beside {_PACKAGE}")


def graphs_dir() -> Path:
    """The folder of the shipped source graphs."""
    return _data_dir("graphs")


def ontology_dir() -> Path:
    """The folder of the vocabulary and its SHACL shapes."""
    return _data_dir("ontology")


def default_graph_paths() -> list[Path]:
    """The ontology and every shipped graph: what commands read when given no ``--graph``."""
    return [ontology_dir(), graphs_dir()]
