"""Where things are, for the tests (importable: pytest puts tests/ on the path), and the one way
the tests start ``cocagraph serve`` in a process of its own."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "sources" / "psg-peru-coca.txt"
DATA = Path(__file__).resolve().parent / "data"


@contextlib.contextmanager
def serve_process(*args: str) -> Iterator[tuple[str, IO[str]]]:
    """``cocagraph serve --port 0 ARGS`` on loopback: (its URL, its log); always stopped.

    The request log goes to a file, not a pipe nobody reads (a full pipe would block the server).
    """
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()  # the first line is the URL
        if not (url.startswith("http://127.0.0.1:") and url.endswith("/sparql")):
            log.seek(0)
            raise AssertionError(f"serve did not start: no URL on the first line: {url!r}; {log.read()}")
        yield url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        log.close()
