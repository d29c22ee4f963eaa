"""Where things are, for the tests (importable: pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "sources" / "psg-peru-coca.txt"
DATA = Path(__file__).resolve().parent / "data"
