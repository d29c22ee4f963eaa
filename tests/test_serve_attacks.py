"""``cocagraph serve`` attacked as an outsider would: requests that two HTTP parsers could read
two ways (smuggling), clients that send or read slowly or not at all, many at once, workers
killed from outside, and what the log and the processes show afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cocagraph.serve_workers import MAX_WORKERS, MIN_WORKERS
from helpers import exchange, log_text, processes_with, read_all, serve_process, wait_for

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
MARKER = f"serve-attacks-{uuid.uuid4().hex}"  # in the command line of serve and of its workers


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, object]]:
    with serve_process("--timeout", "2", "--max-body", "4096", "--allow-host", MARKER) as running:
        yield running


def _address(url: str) -> tuple[str, int]:
    where = urllib.parse.urlsplit(url)
    return where.hostname or "", where.port or 0


def _connect(url: str, timeout: float = 30) -> socket.socket:
    return socket.create_connection(_address(url), timeout=timeout)


def _responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """The HTTP responses one after another in ``data``: (status, headers, body)."""
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        found.append((status, headers, rest[:length]))
        data = rest[length:]
    return found


def _still_answers(url: str) -> None:
    with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=30) as response:
        assert json.loads(response.read())["boolean"] is True


def _parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _supervisor_and_workers(marker: str) -> tuple[int, set[int]]:
    found = set(processes_with(marker))
    supervisor = next(p for p in found if _parent_of(p) not in found)
    return supervisor, found - {supervisor}


def _sockets_of(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:"):
                found.add(target)
    return found


def _fd_count(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


# --------------------------------------------------------------------------- smuggling


@pytest.mark.server
def test_pipelined_requests_are_all_answered_in_order(served):
    url, _ = served
    first = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    second = "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    third = ASK + "Connection: close\r\n\r\n"
    answers = _responses(exchange(url, (first + second + third).encode(), half_close=False))
    assert [status for status, _, _ in answers] == [200, 404, 200]


@pytest.mark.server
def test_a_get_with_a_body_does_not_smuggle_a_second_request(served):
    # The body of a GET is a body (RFC 9112 6.3): a server that leaves it unread parses it as
    # the next request, which a proxy in front took for part of this one (a CL.0 desync).
    url, log = served
    hidden = b"GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    data = (ASK + f"Content-Length: {len(hidden)}\r\n\r\n").encode() + hidden
    data += (ASK + "Connection: close\r\n\r\n").encode()
    answers = _responses(exchange(url, data, half_close=False))
    assert [status for status, _, _ in answers] == [200, 200]
    assert "/smuggled" not in log_text(log)


@pytest.mark.server
@pytest.mark.parametrize(
    "field",
    [b"X-Note: a\rContent-Length: 60", b"X-Note: a\x00b", b"Host: 127.0.0.1\x00.attacker.example", b"X-Note: a\r"],
    ids=["bare-cr-before-a-field", "nul", "nul-in-host", "cr-at-the-end"],
)
def test_cr_or_nul_inside_a_field_is_400(served, field):
    # RFC 9110 5.5: a CR or NUL in a field value is rejected (another parser may end the line there).
    url, _ = served
    answer = exchange(url, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + field + b"\r\n\r\n")
    assert answer.split(b" ", 2)[1] == b"400", answer[:200]
    _still_answers(url)


@pytest.mark.server
@pytest.mark.parametrize(
    "line",
    [
        b"GET\xa0/sparql?query=ASK%7B%7D HTTP/1.1",
        b"GET\x1c/sparql?query=ASK%7B%7D HTTP/1.1",
        b"GET /sparql?query=ASK%7B%7D\x85HTTP/1.1",
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1 extra",
        b"GET /sparql?query=ASK%7B%7D\tHTTP/1.1",
        b"G" * 40_000 + b" /sparql HTTP/1.1",
    ],
    ids=["nbsp", "file-separator", "next-line", "four-words", "tab", "overlong-method"],
)
def test_a_request_line_is_three_words_split_by_spaces(served, line):
    # str.split() would split at U+00A0, U+001C or U+0085 too, where no other parser does.
    url, log = served
    answer = exchange(url, line + b"\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.split(b" ", 2)[1] == b"400", answer[:200]
    assert "G" * 300 not in log_text(log)


@pytest.mark.server
def test_an_absolute_target_is_served_and_its_authority_is_the_host(served):
    # RFC 9112 3.2.2: a server accepts the absolute form, and its authority replaces Host.
    url, _ = served
    port = _address(url)[1]
    asked = f"GET http://127.0.0.1:{port}/sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: attacker.example\r\n\r\n"
    assert _responses(exchange(url, asked.encode()))[0][0] == 200
    foreign = "GET http://attacker.example/sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert _responses(exchange(url, foreign.encode()))[0][0] == 403


@pytest.mark.server
def test_an_http_1_1_request_without_host_is_400_and_an_http_1_0_one_is_served(served):
    url, _ = served
    answer = exchange(url, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n\r\n")
    assert answer.split(b" ", 2)[1] == b"400", answer[:200]
    answer = exchange(url, b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")
    assert _responses(answer)[0][0] == 200


@pytest.mark.server
def test_expect_100_continue_is_answered_before_the_body_is_sent(served):
    url, _ = served
    body = b"ASK {}"
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    with _connect(url, timeout=10) as sock:  # the server itself would wait 15 s for the body
        sock.sendall(head.encode())
        interim = sock.recv(65536)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), interim[:200]
        sock.sendall(body)
        final = interim[len(b"HTTP/1.1 100 Continue\r\n\r\n") :] + read_all(sock)
    assert _responses(final)[0][0] == 200


@pytest.mark.server
def test_a_body_cut_short_of_its_content_length_is_not_answered_as_a_query(served):
    url, _ = served
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 40\r\n\r\n"
    )
    answer = exchange(url, head.encode() + b"ASK {}")  # then EOF: 34 bytes never come
    assert answer == b"" or answer.split(b" ", 2)[1] == b"400", answer[:200]


@pytest.mark.server
def test_a_header_section_cut_off_by_the_end_of_the_stream_is_not_answered(served):
    url, _ = served
    answer = exchange(url, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1")
    assert answer == b"" or answer.split(b" ", 2)[1] == b"400", answer[:200]


@pytest.mark.server
@pytest.mark.parametrize("connection", ["close, TE", "keep-alive, close", "Close"])
def test_connection_close_among_other_options_closes(served, connection):
    url, _ = served
    with _connect(url) as sock:
        sock.sendall((ASK + f"Connection: {connection}\r\n\r\n").encode())
        answer = read_all(sock)  # returns only once the server closes
    assert _responses(answer)[0][0] == 200


# --------------------------------------------------------------------------- slow clients


def _trickle(sock: socket.socket, data: bytes, every: float, seconds: float) -> bool:
    """Send ``data`` a byte at a time; True if the server closed on us within ``seconds``."""
    deadline = time.monotonic() + seconds
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return True
        sock.settimeout(every)
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            pass
        except OSError:
            return True
        if time.monotonic() > deadline:
            return False
    return False


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_request_trickling_in_is_dropped(served, where):
    # Slowloris: a byte every 2 s never trips a 15 s timeout per read; the request as a whole
    # must arrive within 15 s, or the worker it holds is held for as long as the client likes.
    url, log = served
    with _connect(url) as sock:
        if where == "headers":
            dropped = _trickle(sock, ASK.encode() + b"X-Slow: " + b"a" * 100, every=2.0, seconds=40)
        else:
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 4000\r\n\r\n"
            )
            dropped = _trickle(sock, b"#" * 4000, every=2.0, seconds=40)
    assert dropped, "the server waited on a request trickling in for 40 s"
    text = log_text(log)
    assert "Traceback" not in text
    # Logged as what it is, not as a malformed request.
    assert "closed a connection from 127.0.0.1: no whole request within 15 s" in text
    assert "malformed request from 127.0.0.1: Request timed out" not in text


BIG = (
    "SELECT ?x WHERE { VALUES ?i { 1 2 3 4 5 6 7 8 9 10 } VALUES ?j { 1 2 3 4 5 6 7 8 9 10 } "
    'VALUES ?k { 1 2 3 4 5 6 7 8 9 10 } BIND("0123456789abcdef" AS ?a) BIND(CONCAT(?a, ?a) AS ?b) '
    "BIND(CONCAT(?b, ?b) AS ?c) BIND(CONCAT(?c, ?c) AS ?d) BIND(CONCAT(?d, ?d) AS ?e) "
    "BIND(CONCAT(?e, ?e) AS ?f) BIND(CONCAT(?f, ?f) AS ?g) BIND(CONCAT(?g, ?g) AS ?h) "
    "BIND(CONCAT(?h, ?h, ?h, ?h, ?h, ?h, ?h, ?h) AS ?x) }"
)  # 1,000 rows of 16 KiB: 16 MB, more than the kernel buffers of both ends hold


@pytest.mark.server
@pytest.mark.slow
def test_a_client_that_takes_its_answer_slowly_is_dropped(served):
    url, log = served
    request = f"GET /sparql?query={urllib.parse.quote(BIG)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    got, started = 0, time.monotonic()
    with _connect(url) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(request.encode())
        while time.monotonic() - started < 45:
            try:
                chunk = sock.recv(4096)
            except OSError:
                break
            if not chunk:
                break
            got += len(chunk)
            time.sleep(0.5)
        else:
            pytest.fail(f"the server was still sending after 45 s ({got} bytes taken)")
    assert got < 16_000_000
    assert "Traceback" not in log_text(log)
    _still_answers(url)


@pytest.mark.server
def test_an_answer_too_big_to_write_out_under_the_memory_cap_gets_503(monkeypatch):
    # 16 MB of answer under a 50 MB cap: the query may fit and its serialisation not; either
    # way the client is told, and the log does not call it a bug.
    monkeypatch.setenv("COCAGRAPH_QUERY_MEMORY_MB", "50")
    with serve_process("--timeout", "60") as (url, log):
        with pytest.raises(urllib.error.HTTPError) as stopped:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote(BIG), timeout=60)
        assert stopped.value.code == 503
        assert "memory limit of 50 MB" in stopped.value.read().decode()
        stopped.value.close()
        _still_answers(url)
        assert "internal error" not in log_text(log)


# --------------------------------------------------------------------------- many clients


@pytest.mark.server
@pytest.mark.slow
def test_more_slow_queries_than_workers_all_get_their_503_and_serve_recovers():
    with serve_process("--timeout", "1", "--allow-host", MARKER + "-many") as (url, log):
        outcomes: list[int] = []

        def slow() -> None:
            request = urllib.request.Request(
                url, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"}
            )
            try:
                urllib.request.urlopen(request, timeout=120).close()
                outcomes.append(200)
            except urllib.error.HTTPError as exc:
                outcomes.append(exc.code)
                exc.close()
            except OSError:
                outcomes.append(0)

        threads = [threading.Thread(target=slow) for _ in range(MAX_WORKERS + 8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=150)
        assert sorted(outcomes) == [503] * len(threads)
        _still_answers(url)
        _, workers = _supervisor_and_workers(MARKER + "-many")
        assert len(workers) <= MAX_WORKERS
        assert "Traceback" not in log_text(log)


@pytest.mark.server
def test_the_503_goes_to_the_client_whose_query_ran_out():
    with serve_process("--timeout", "1") as (url, _):
        slow_answer: dict[str, bytes] = {}

        def slow() -> None:
            body = SLOW.encode()
            head = (
                "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            slow_answer["data"] = exchange(url, head.encode() + body, half_close=False)

        thread = threading.Thread(target=slow)
        thread.start()
        cheap = []
        while thread.is_alive() and len(cheap) < 200:
            with _connect(url) as sock:  # a connection of its own each time: another worker, maybe
                sock.sendall((ASK + "\r\n").encode())
                cheap.append(_responses(sock.recv(65536))[0][0])
        thread.join(timeout=60)
        assert set(cheap) == {200}
        assert [status for status, _, _ in _responses(slow_answer["data"])] == [503]


@pytest.mark.server
def test_a_query_that_runs_out_after_its_client_left_harms_nothing():
    with serve_process("--timeout", "1") as (url, log):
        body = SLOW.encode()
        head = (
            "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        for _ in range(3):
            with _connect(url) as sock:
                sock.sendall(head.encode() + body)
            # closed at once: the worker runs on to its alarm, and the supervisor's 503 finds no one
        time.sleep(2.5)
        _still_answers(url)
        assert "Traceback" not in log_text(log)


# --------------------------------------------------------------------------- processes


def _running_query(url: str) -> socket.socket:
    body = SLOW.encode()
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    sock = _connect(url)
    sock.sendall(head.encode() + body)
    return sock


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def _busy_worker(workers: set[int]) -> int | None:
    # The worker serving a connection holds three sockets: the listener, its message pair, and it.
    for pid in workers:
        with contextlib.suppress(OSError):
            if len(_sockets_of(pid)) == 3:
                return pid
    return None


@pytest.mark.server
@pytest.mark.parametrize("when", ["idle", "mid-query"])
def test_a_worker_killed_from_outside_is_replaced_and_its_client_told(when):
    marker = f"{MARKER}-kill-{when}"
    with serve_process("--timeout", "60", "--allow-host", marker) as (url, log):
        assert wait_for(lambda: len(set(processes_with(marker))) == 1 + MIN_WORKERS)
        supervisor, workers = _supervisor_and_workers(marker)
        client = None
        if when == "idle":
            victim = min(workers)
        else:
            client = _running_query(url)
            assert wait_for(lambda: _busy_worker(workers) is not None)
            victim = _busy_worker(workers)
        os.kill(victim, signal.SIGKILL)
        if client is not None:
            with client:
                answer = read_all(client)
            assert answer == b"" or _responses(answer)[0][0] == 503, answer[:200]
        assert wait_for(
            lambda: victim not in set(processes_with(marker)) and len(set(processes_with(marker))) >= 1 + MIN_WORKERS
        )
        assert supervisor in set(processes_with(marker))
        _still_answers(url)
        assert "Traceback" not in log_text(log)


@pytest.mark.server
def test_a_stopped_worker_does_not_stop_the_others():
    marker = f"{MARKER}-stop"
    with serve_process("--timeout", "5", "--allow-host", marker) as (url, _):
        assert wait_for(lambda: len(set(processes_with(marker))) == 1 + MIN_WORKERS)
        _, workers = _supervisor_and_workers(marker)
        stopped = sorted(workers)[:2]
        for pid in stopped:
            os.kill(pid, signal.SIGSTOP)
        # Stopped for real (state T) before the first request: a worker woken in accept by the
        # signal takes a connection already queued before it stops (the kernel looks first).
        assert wait_for(lambda: all(_state(pid) == "T" for pid in stopped))
        try:
            for _ in range(20):
                _still_answers(url)
        finally:
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)
        _still_answers(url)


@pytest.mark.server
def test_a_killed_supervisor_mid_query_leaves_no_worker():
    from test_interrupts import _gone

    marker = f"{MARKER}-supervisor"
    with serve_process("--timeout", "60", "--allow-host", marker) as (url, _):
        client = _running_query(url)
        with client:
            supervisor, workers = _supervisor_and_workers(marker)
            assert wait_for(lambda: _busy_worker(workers) is not None)
            os.kill(supervisor, signal.SIGKILL)
            assert _gone(marker) == []
            assert read_all(client) == b""


@pytest.mark.server
@pytest.mark.slow
def test_the_supervisor_leaks_no_descriptor():
    marker = f"{MARKER}-fds"
    with serve_process("--timeout", "1", "--allow-host", marker) as (url, _):
        assert wait_for(lambda: len(set(processes_with(marker))) == 1 + MIN_WORKERS)
        supervisor, _ = _supervisor_and_workers(marker)
        before = _fd_count(supervisor)
        for _ in range(1000):
            with _connect(url) as sock:
                sock.sendall((ASK + "Connection: close\r\n\r\n").encode())
                read_all(sock)
        for _ in range(20):
            _, workers = _supervisor_and_workers(marker)
            victim = min(workers)
            os.kill(victim, signal.SIGKILL)
            assert wait_for(
                lambda v=victim: (
                    len(set(processes_with(marker))) == 1 + MIN_WORKERS and v not in set(processes_with(marker))
                )
            )
        assert wait_for(lambda: _fd_count(supervisor) == before), (before, _fd_count(supervisor))


@pytest.mark.server
def test_a_worker_holds_no_other_connection_than_its_own():
    marker = f"{MARKER}-fd-walls"
    with serve_process("--timeout", "10", "--allow-host", marker) as (url, _):
        clients = [_connect(url) for _ in range(3)]
        try:
            for sock in clients:  # each connection is taken by a worker and kept (keep-alive)
                sock.sendall((ASK + "\r\n").encode())
                assert _responses(sock.recv(65536))[0][0] == 200
            _, workers = _supervisor_and_workers(marker)
            mine = {pid: _sockets_of(pid) for pid in workers}
            for pid, sockets in mine.items():
                for other, their in mine.items():
                    if other != pid:
                        # the listening socket is shared by design; no worker holds another's connection
                        shared = sockets & their
                        assert len(shared) <= 1, (pid, other, shared)
            # each worker: its listening socket, its message pair, at most its connection
            assert all(len(s) <= 3 for s in mine.values()), mine
        finally:
            for sock in clients:
                sock.close()


@pytest.mark.server
def test_the_log_holds_no_query_string_and_no_control_character(served):
    url, log = served
    secret = uuid.uuid4().hex
    for data in (
        f"GET /sparql?query=ASK%7B%7D%23{secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        f"GET http://127.0.0.1/sparql?query=%23{secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        f"GET /\x1b]0;{secret}\x07?{secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        f"\x1b[2J{secret} /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    ):
        exchange(url, data.encode("latin-1"))
    text = log_text(log)
    assert secret not in text.replace(f"\\x1b]0;{secret}", "")
    assert not any(ord(c) < 0x20 and c != "\n" for c in text)


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize(
    "sent", [b"", ASK.encode(), b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99\r\n\r\nA"]
)
def test_idle_connections_do_not_lock_out_a_new_client(sent):
    with serve_process("--timeout", "2") as (url, log):
        idle = [_connect(url) for _ in range(MAX_WORKERS + 8)]
        for sock in idle:  # nothing, half a header section, or half a body
            sock.sendall(sent)
        try:
            time.sleep(1.0)  # every worker the supervisor may fork holds an idle connection
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=10) as response:
                assert json.loads(response.read())["boolean"] is True
        finally:
            for sock in idle:
                sock.close()
        assert "Traceback" not in log_text(log)
