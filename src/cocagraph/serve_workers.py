"""``serve``'s processes: a supervisor that holds the listening socket, and connection workers
that are walled in before their first connection and run queries in themselves.

Why this shape. A query must run walled in (no network, a memory cap, a time limit), and
pyoxigraph cannot be interrupted, so it runs in a process that can be ended. If that process
also reads the request and writes the answer, a cheap query costs no hop between processes:
the workers serve the connections themselves, in parallel on every core, and nothing of the
request path runs with network access.

- **The supervisor** (the ``cocagraph serve`` process; single-threaded, so it may fork) binds
  the socket, forks :data:`MIN_WORKERS` workers, and forks more, up to :data:`MAX_WORKERS`,
  while every worker has a connection (beyond that, connections wait in the listen queue). It
  holds a copy of each worker's current connection, so when a worker dies mid-query (ended by
  its time-limit alarm, or by an allocation past its memory cap) the client still gets its 503;
  a fresh worker takes the dead one's place.
- **A worker** moves into a network namespace of its own (:mod:`cocagraph.sandbox`): the
  listening socket keeps the namespace it was made in, so ``accept`` works, while any socket
  the worker makes reaches nothing, loopback included. It takes one connection at a time and
  serves its requests (keep-alive) with :func:`cocagraph.serve.handler_class`, each query run by
  :class:`cocagraph.sparql.InProcess` under an alarm of the time limit.

Messages from a worker to the supervisor go over a ``SOCK_SEQPACKET`` pair: ``N`` (+ why there
is no sandbox, if so) once, ``C`` with the connection's descriptor, ``D`` when it is closed.
Whether a query is running, or the worker is waiting for a request (and since when), is in
shared memory: no message per request.

Idle connections. A connection holds its worker while the worker waits for its next request
(up to 15 s), so 32 clients that connect and send nothing would keep every other client
waiting in the listen queue. When every worker the supervisor may fork has a connection and
another one waits to be accepted, the supervisor ends (``shutdown`` on its copy) each
connection whose worker has waited for a request for :data:`EVICT_AFTER` seconds or more:
idle keep-alive connections, which HTTP allows a server to close, and requests (header
sections or bodies) trickling in.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import select
import selectors
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import sandbox
from .serve import Endpoint, EndpointConfig, handler_class, unavailable, wire_bytes, with_common_headers
from .sparql.worker import InProcess, memory_limit, memory_message, quiet_child, timeout_message
from .tables import printable

if TYPE_CHECKING:
    from .loading import Corpus

__all__ = ["EVICT_AFTER", "MAX_WORKERS", "MIN_WORKERS", "serve_connections"]

#: Workers forked at the start (and kept).
MIN_WORKERS = 4
#: Connections served at once; more wait in the listen queue until a worker is free.
MAX_WORKERS = 32
#: Seconds a worker may wait for a request on its connection while others wait to be accepted.
EVICT_AFTER = 1.0
_IDLE, _RUNNING, _WAITING = 0, 1, 2
_SINCE = struct.Struct("d")  # when a worker began waiting (time.monotonic(), the same clock in every process)


@dataclass
class _Worker:
    pid: int
    slot: int  # its byte in the shared states
    control: socket.socket  # the supervisor's end of the worker's message pair
    connection: socket.socket | None = None  # a copy of the connection it serves


def listen(config: EndpointConfig) -> socket.socket:
    """The bound, listening socket for ``config`` (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((config.host, config.port))
        listener.listen(128)
    except BaseException:
        listener.close()
        raise
    return listener


def url_of(listener: socket.socket, host: str) -> str:
    port = listener.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"


def serve_connections(corpus: Corpus, config: EndpointConfig, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (KeyboardInterrupt, which is re-raised once every worker is gone)."""
    listener = listen(config)
    supervisor = _Supervisor(corpus, config, listener)
    try:
        for _ in range(MIN_WORKERS):
            supervisor.spawn()
        announce(url_of(listener, config.host))
        supervisor.run()
    finally:
        supervisor.close()
        listener.close()


class _Supervisor:
    def __init__(self, corpus: Corpus, config: EndpointConfig, listener: socket.socket) -> None:
        self.corpus, self.config, self.listener = corpus, config, listener
        # Shared with every worker forked from here: a state byte per worker, then when each
        # began waiting for a request.
        self.states = mmap.mmap(-1, MAX_WORKERS * (1 + _SINCE.size))
        self.workers: dict[int, _Worker] = {}
        self.selector = selectors.DefaultSelector()
        self.warned = False

    def spawn(self) -> None:
        used = {w.slot for w in self.workers.values()}
        slot = next(i for i in range(MAX_WORKERS) if i not in used)
        self.states[slot] = _IDLE
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker
            code = 0
            try:
                ours.close()
                for other in self.workers.values():  # nothing of the other workers' connections
                    other.control.close()
                    if other.connection is not None:
                        other.connection.close()
                _worker(self.corpus, self.config, self.listener, theirs, self.states, slot, parent)
            except BaseException:
                code = 1
            os._exit(code)
        theirs.close()
        worker = _Worker(pid, slot, ours)
        self.workers[pid] = worker
        self.selector.register(ours, selectors.EVENT_READ, worker)

    def run(self) -> None:
        while True:
            for key, _ in self.selector.select(timeout=1.0):
                self._on_message(key.data)
            busy = sum(w.connection is not None for w in self.workers.values())
            if len(self.workers) < MIN_WORKERS or (busy == len(self.workers) < MAX_WORKERS):
                self.spawn()
            elif busy == len(self.workers) and select.select([self.listener], [], [], 0)[0]:
                self._evict_idle()

    def _evict_idle(self) -> None:
        # Every worker has a connection and another one waits: end those whose worker has been
        # waiting for a request since EVICT_AFTER ago (its recv returns the end of the stream).
        now = time.monotonic()
        for worker in self.workers.values():
            if worker.connection is None or self.states[worker.slot] != _WAITING:
                continue
            (since,) = _SINCE.unpack_from(self.states, MAX_WORKERS + worker.slot * _SINCE.size)
            if now - since >= EVICT_AFTER:
                with contextlib.suppress(OSError):
                    worker.connection.shutdown(socket.SHUT_RDWR)

    def _on_message(self, worker: _Worker) -> None:
        try:
            message, fds, _, _ = socket.recv_fds(worker.control, 4096, 1)
        except OSError:
            message, fds = b"", []
        if message.startswith(b"C") and fds:
            self._drop_connection(worker)
            worker.connection = socket.socket(fileno=fds[0])
        elif message.startswith(b"D"):
            self._drop_connection(worker)
        elif message.startswith(b"N"):
            why = message[1:].decode("utf-8", "replace")
            if why and not self.warned:
                self.warned = True
                sys.stderr.write(f"cocagraph: no query sandbox here ({why}): queries naming SERVICE are refused\n")
        elif not message:
            self._on_death(worker)

    def _on_death(self, worker: _Worker) -> None:
        # Its end of the pair closed: the worker is gone. Answer for the query it was running.
        self.selector.unregister(worker.control)
        worker.control.close()
        del self.workers[worker.pid]
        _, status = os.waitpid(worker.pid, 0)
        if worker.connection is not None and self.states[worker.slot] == _RUNNING:
            ended_by_alarm = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
            message = timeout_message("query", self.config.timeout) if ended_by_alarm else memory_message("query")
            # One send that never waits: a client whose buffers are full must not stall the
            # supervisor, which answers for every worker; such a client just sees the close.
            with contextlib.suppress(OSError):
                worker.connection.setblocking(False)
                worker.connection.send(wire_bytes(with_common_headers(self.config, unavailable(message))))
        self.states[worker.slot] = _IDLE
        self._drop_connection(worker)

    @staticmethod
    def _drop_connection(worker: _Worker) -> None:
        if worker.connection is not None:
            worker.connection.close()
            worker.connection = None

    def close(self) -> None:
        """Kill every worker and wait for each."""
        for worker in self.workers.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        for worker in self.workers.values():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
            worker.control.close()
            self._drop_connection(worker)
        self.workers.clear()
        self.selector.close()


def _worker(
    corpus: Corpus,
    config: EndpointConfig,
    listener: socket.socket,
    control: socket.socket,
    states: mmap.mmap,
    slot: int,
    parent: int,
) -> None:  # pragma: no cover - runs in a forked worker
    quiet_child()
    walls = sandbox.enter(parent, memory=memory_limit())
    control.send(b"N" + (walls.network_error or "").encode("utf-8"))

    def mark(running: bool) -> None:
        states[slot] = _RUNNING if running else _IDLE

    def waiting(now: bool) -> None:
        if now:  # the time first: the supervisor reads the state, then the time
            _SINCE.pack_into(states, MAX_WORKERS + slot * _SINCE.size, time.monotonic())
        states[slot] = _WAITING if now else _IDLE

    handler = handler_class(Endpoint(corpus, config, InProcess(corpus.store, walls, mark)), waiting)
    while True:
        connection, address = listener.accept()
        socket.send_fds(control, [b"C"], [connection.fileno()])
        try:
            handler(connection, address, None)
        except OSError:
            pass  # the client went away: that connection ends, the worker goes on
        except Exception as exc:  # a bug in cocagraph: say so in one line, serve the next client
            line = f"cocagraph: internal error serving a request: {type(exc).__name__}: {exc} (please report it)"
            sys.stderr.write(printable(line, newlines=False)[:300] + "\n")
        finally:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
            states[slot] = _IDLE  # the next connection's wait begins with its first request
            control.send(b"D")
