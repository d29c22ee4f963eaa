"""Where things are, for the tests (importable: pytest puts tests/ on the path), and the one way
the tests start ``cocagraph serve`` in a process of its own."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


def processes_with(marker: str) -> list[int]:
    """The processes whose command line holds ``marker`` (a command, its workers, their forks)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Whether ``condition()`` came true within ``seconds`` (asked every 50 ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def log_text(log: IO[str]) -> str:
    """All a server's log file holds so far."""
    log.flush()
    log.seek(0)
    return log.read()


def exchange(url: str, data: bytes, *, half_close: bool = True) -> bytes:
    """Send ``data`` to ``url``'s host and port as it is, and read until the server closes."""
    where = urllib.parse.urlsplit(url)
    with socket.create_connection((where.hostname or "", where.port or 0), timeout=30) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    """What ``sock`` receives until the other end closes (or resets) the connection."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


class LoopbackServer:
    """An HTTP server on a free loopback port, served from a thread while in a ``with`` block;
    ``release`` is set as it stops, so that handlers waiting on it return."""

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer
    ) -> None:
        self.release = threading.Event()
        self.server = server_class(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
