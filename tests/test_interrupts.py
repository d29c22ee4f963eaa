"""Ctrl-C or SIGTERM in the middle of a query: exit 130 at once, no half-written output, and no
query worker left running (reliability item 31)."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
import uuid

import pytest

from helpers import processes_with

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupting_a_query_exits_130_and_leaves_no_worker(tmp_path, signum):
    marker = f"interrupt-test-{uuid.uuid4().hex}"
    output = tmp_path / "answer.csv"
    output.write_text("the previous answer\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "sparql", f"# {marker}\n{SLOW}", "--timeout", "120", "-o", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(processes_with(marker)) < 2 and time.monotonic() < deadline:  # the command and its worker
            time.sleep(0.05)
        assert len(processes_with(marker)) >= 2, "the query worker never started"
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert "interrupted" in err
    assert output.read_text(encoding="utf-8") == "the previous answer\n"
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".answer.csv")]


def _gone(marker: str, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_with(marker)


def test_a_killed_command_takes_its_worker_with_it():
    # SIGKILL cannot be caught: the worker must die by itself (PR_SET_PDEATHSIG), not run on.
    marker = f"orphan-test-{uuid.uuid4().hex}"
    child = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "sparql", f"# {marker}\n{SLOW}", "--timeout", "120"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(processes_with(marker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(processes_with(marker)) >= 2, "the query worker never started"
        child.kill()
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert _gone(marker) == []


@pytest.mark.server
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_mid_query_exits_130_and_leaves_no_process(signum):
    import threading
    import urllib.request

    marker = f"serve-test-{uuid.uuid4().hex}"  # in the command line of serve and of its workers
    child = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "serve", "--port", "0", "--timeout", "120", "--allow-host", marker],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        request = urllib.request.Request(url, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})

        def ask() -> None:
            with contextlib.suppress(OSError):  # the server goes away mid-answer: that is the point
                urllib.request.urlopen(request, timeout=60).close()

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        time.sleep(1.5)  # the slow query is running in a worker
        assert asking.is_alive()
        assert len(processes_with(marker)) >= 3, "serve and its workers"
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert "interrupted" in err
    assert _gone(marker) == []


@pytest.mark.server
def test_a_killed_server_takes_its_workers_with_it():
    marker = f"serve-kill-test-{uuid.uuid4().hex}"
    child = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "serve", "--port", "0", "--allow-host", marker],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout.readline().startswith("http://127.0.0.1:")
        assert len(processes_with(marker)) >= 3, "serve and its workers"
        child.kill()
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert _gone(marker) == []
