"""Query workers: forked processes, walled in by :mod:`cocagraph.sandbox`, that check and run
one query at a time and are killed at the time limit.

pyoxigraph cannot be interrupted, so a query runs in a process of its own. The worker checks
the query (:func:`~cocagraph.sparql.guard.check_query`, with Oxigraph's parser as the second
opinion) and then runs it, so checking counts inside the time limit; it has no network, a
memory cap, and dies with its parent.

Two ways to get one, one way to talk to it:

- :func:`execute` forks a worker for one query (the command line);
- :class:`WorkerPool` (``serve``) forks a single-threaded *forker* before any request thread
  exists, and the forker forks the workers, which are reused query after query; only a worker
  killed at the time limit (or lost) is replaced. Forking a process that runs threads could
  deadlock the child, which is why the server never forks itself.

Nothing of a timed-out query is returned.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .. import errors, sandbox
from ..vocab import PREFIXES
from .answers import QueryAnswer, Term, collect
from .guard import CheckedQuery, check_query, syntax_message
from .parameters import bind_parameters, check_variables

__all__ = ["MEMORY_LIMIT", "Job", "WorkerPool", "execute", "memory_limit"]

#: Bytes a worker may allocate beyond its size at the fork (``COCAGRAPH_QUERY_MEMORY_MB``).
MEMORY_LIMIT = 2 << 30
#: Errors a worker may report, by name; anything else it reports is a QueryError.
_ERRORS = {
    cls.__name__: cls
    for cls in (errors.QueryError, errors.UnsafeQueryError, errors.UsageError, errors.QueryMemoryError)
}


def memory_limit() -> int:
    """A worker's memory allowance in bytes: ``COCAGRAPH_QUERY_MEMORY_MB`` or :data:`MEMORY_LIMIT`."""
    value = os.environ.get("COCAGRAPH_QUERY_MEMORY_MB", "")
    return int(value) << 20 if value.isdigit() and int(value) > 0 else MEMORY_LIMIT


@dataclass(frozen=True)
class Job:
    """One query for a worker: its text as written, its name, the row cap, and parameter terms."""

    text: str
    where: str = "query"
    max_rows: int | None = None
    substitutions: tuple[tuple[str, Term], ...] = ()
    #: The SPARQL Protocol's dataset (default-graph-uri, named-graph-uri): graph IRIs of the
    #: store; None: the union of every graph is the default graph and every graph is named.
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class _Worker:
    pid: int
    sock: socket.socket


# --------------------------------------------------------------------------- inside the worker


def _engine_parse(text: str) -> str | None:
    # Oxigraph's parser, asked on an empty store (only inside the sandbox: it may evaluate).
    try:
        ox.Store().query(text, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        return str(exc)
    except Exception:  # parsed; evaluating over nothing failed, which says nothing here
        return None
    return None


def _network_attempt(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("unreachable", "os error 101", "lookup address", "resolve", "dns"))


def run_job(store: ox.Store, job: Job, walls: sandbox.Walls) -> tuple[Any, ...]:
    """Check and run ``job`` on ``store``: ``("ok", answer)`` or ``(kind, error class, message)``."""
    where = job.where
    try:
        checked = check_query(job.text, where, engine=_engine_parse, sandboxed=walls.no_network)
        check_variables(checked.variables, [name for name, _ in job.substitutions], where)
        try:
            return ("ok", _run_checked(store, checked, job))
        except SyntaxError as exc:
            return ("error", "QueryError", f"{where}: {syntax_message(str(exc))}")
        except OSError as exc:
            if _network_attempt(exc):
                return (
                    "error",
                    "UnsafeQueryError",
                    f"{where}: refused: the query tried to reach the network (a SERVICE the checker did "
                    "not see), and the sandbox stopped it",
                )
            return ("error", "QueryError", f"{where}: the query failed: OSError: {exc}")
        except (ValueError, RuntimeError) as exc:
            return ("error", "QueryError", f"{where}: the query failed: {type(exc).__name__}: {exc}")
    except errors.CocagraphError as exc:
        return ("error", type(exc).__name__, str(exc))
    except MemoryError:
        return ("error", "QueryMemoryError", _memory_message(where))
    except Exception as exc:  # a bug in cocagraph, not in the query: say so, do not pass it off as one
        return ("bug", f"{type(exc).__name__}: {exc}")


def _run_checked(store: ox.Store, checked: CheckedQuery, job: Job) -> QueryAnswer:
    # Parameters are substitutions (SEP-0007): terms, never text. Oxigraph substitutes only
    # variables the SELECT projects; for the others a VALUES block opens the WHERE clause
    # (terms written by pyoxigraph), and the text that runs is checked again.
    options: dict[str, Any] = {"use_default_graph_as_union": True, "prefixes": dict(PREFIXES)}
    if job.dataset is not None:  # graphs the store does not hold are empty: nothing is fetched
        default, named = job.dataset
        options = {
            "default_graph": [ox.NamedNode(g) for g in default],
            "named_graphs": [ox.NamedNode(g) for g in named],
            "prefixes": dict(PREFIXES),
        }
    text = checked.text
    if job.substitutions:
        substitutions = {ox.Variable(name): term for name, term in job.substitutions}
        try:
            results = store.query(text, substitutions=substitutions, **options)
            return collect(results, _form_of(results, checked.form), job.max_rows, text)
        except RuntimeError as exc:
            if "projection" not in str(exc):
                raise
        text = bind_parameters(checked, dict(job.substitutions), job.where)
        checked = check_query(text, job.where, engine=_engine_parse)
    results = store.query(text, **options)
    return collect(results, _form_of(results, checked.form), job.max_rows, text)


def _form_of(results: Any, form: str) -> str:
    # What the engine answered with decides (the checker's word only tells CONSTRUCT from DESCRIBE).
    if isinstance(results, ox.QueryBoolean):
        return "ask"
    if isinstance(results, ox.QuerySolutions):
        return "select"
    return form if form in ("construct", "describe") else "construct"


def _memory_message(where: str) -> str:
    return (
        f"{where}: the query reached its memory limit of {memory_limit() >> 20:,} MB and was stopped; "
        "nothing was exported (narrow the query, or raise COCAGRAPH_QUERY_MEMORY_MB)"
    )


def _serve_jobs(store: ox.Store, sock: socket.socket, walls: sandbox.Walls) -> None:  # pragma: no cover - forked
    while True:
        try:
            job = _recv(sock, None)
        except (EOFError, ConnectionError):
            return
        reply = run_job(store, job, walls)
        try:
            _send(sock, reply)
        except MemoryError:
            _send(sock, ("error", "QueryMemoryError", _memory_message(job.where)))
        except (pickle.PicklingError, TypeError) as exc:
            _send(sock, ("bug", f"{type(exc).__name__}: {exc}"))


def _quiet_child() -> None:
    # Ctrl-C reaches the whole process group; the parent decides, children just go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A worker that aborts (an allocation past its cap) is reported by its parent, not by a
    # stack dump inherited from it.
    faulthandler.disable()


def _fork_worker(store: ox.Store, memory: int, walls: sandbox.Walls | None) -> _Worker:
    """Fork a worker serving jobs on a socket; ``walls``: the network is already cut (a forker)."""
    parent = os.getpid()
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker
        code = 0
        try:
            ours.close()
            _quiet_child()
            if walls is None:
                walls = sandbox.enter(parent, memory=memory)
            else:
                sandbox.die_with_parent(parent)
                walls = sandbox.Walls(walls.network_error, sandbox.cap_memory(memory))
            _serve_jobs(store, theirs, walls)
        except BaseException:
            code = 1
        os._exit(code)
    theirs.close()
    return _Worker(pid, ours)


# --------------------------------------------------------------------------- talking to a worker


def _send(sock: socket.socket, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(struct.pack("!Q", len(data)) + data)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                raise TimeoutError
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket, deadline: float | None) -> Any:
    (size,) = struct.unpack("!Q", _recv_exact(sock, 8, deadline))
    return pickle.loads(_recv_exact(sock, size, deadline))


def _ask(worker: _Worker, job: Job, timeout: float) -> tuple[Any, ...]:
    """Send ``job`` and wait for the reply; the caller kills the worker on any exception."""
    deadline = time.monotonic() + timeout
    try:
        _send(worker.sock, job)
        reply: tuple[Any, ...] = _recv(worker.sock, deadline)
        return reply
    except TimeoutError:
        raise errors.QueryTimeoutError(
            f"{job.where}: timed out after {timeout:g} s; nothing was exported "
            "(narrow the query, add LIMIT, or raise the limit with --timeout)"
        ) from None
    except (EOFError, ConnectionError, struct.error) as exc:
        # A worker dies without a word when an allocation fails past its cap (Rust aborts).
        raise errors.QueryMemoryError(_memory_message(job.where)) from exc


def _answer(reply: Sequence[Any], where: str) -> QueryAnswer:
    if reply[0] == "ok":
        answer: QueryAnswer = reply[1]
        return answer
    if reply[0] == "bug":
        raise errors.CocagraphError(
            f"{where}: internal error in the query worker: {reply[1]} (this is a bug; please report it)"
        )
    raise _ERRORS.get(reply[1], errors.QueryError)(reply[2])


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def execute(store: ox.Store, job: Job, *, timeout: float) -> QueryAnswer:
    """Check and run ``job`` in a worker of its own, killed after ``timeout`` seconds."""
    worker = _fork_worker(store, memory_limit(), None)
    try:
        reply = _ask(worker, job, timeout)
    finally:
        # Answered, timed out, Ctrl-C or SIGTERM while waiting: the worker goes now, or the
        # wait below would block until the query finished on its own.
        worker.sock.close()
        _kill(worker.pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)
    return _answer(reply, job.where)


# --------------------------------------------------------------------------- the pool


class WorkerPool:
    """Workers forked once and reused, for ``serve``: start it before any thread, close it at the end.

    ``size`` workers are forked at the start; more are forked when all are busy. A worker
    killed at the time limit is replaced by a fresh one on the next query.
    """

    def __init__(self, store: ox.Store, size: int = 4) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: dict[int, _Worker] = {}
        parent = os.getpid()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked process
            ours.close()
            _forker_loop(store, theirs, parent)
        theirs.close()
        self._sock, self.pid = ours, pid
        #: Why the workers have network access (None: they have none).
        self.network_error: str | None = _recv(ours, None)
        for _ in range(size):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        try:
            with self._lock:
                self._sock.sendall(b"F")
                message, fds, _, _ = socket.recv_fds(self._sock, 32, 1)
        except OSError:
            fds = []
        if not fds:
            raise errors.QueryError("the query worker could not be started (its parent process is gone; restart)")
        worker = _Worker(int(message.decode()), socket.socket(fileno=fds[0]))
        with self._lock:
            self._all[worker.pid] = worker
        return worker

    def run(self, job: Job, timeout: float) -> QueryAnswer:
        """Check and run ``job`` on an idle worker (a new one if none is idle)."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = self._spawn()
        try:
            reply = _ask(worker, job, timeout)
        except BaseException:
            self._discard(worker)
            raise
        with self._lock:
            self._idle.append(worker)
        return _answer(reply, job.where)

    def _discard(self, worker: _Worker) -> None:
        _kill(worker.pid)  # the forker reaps it
        worker.sock.close()
        with self._lock:
            self._all.pop(worker.pid, None)

    @property
    def pids(self) -> list[int]:
        """The forker's and the workers' process ids."""
        with self._lock:
            return [self.pid, *self._all]

    def close(self) -> None:
        """Kill every worker and the forker, and wait for the forker."""
        with self._lock:
            workers, self._all, self._idle = list(self._all.values()), {}, []
        for worker in workers:
            _kill(worker.pid)
            worker.sock.close()
        self._sock.close()  # the forker exits when its socket closes
        _kill(self.pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _forker_loop(store: ox.Store, sock: socket.socket, parent: int) -> None:  # pragma: no cover - forked
    code = 0
    try:
        _quiet_child()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
        sandbox.die_with_parent(parent)
        walls = sandbox.Walls(sandbox.cut_network(), None)  # every worker inherits the cut
        check_query("ASK {}")  # import and warm the parser once, for every worker
        _send(sock, walls.network_error)
        while sock.recv(1):
            worker = _fork_worker(store, memory_limit(), walls)
            socket.send_fds(sock, [str(worker.pid).encode()], [worker.sock.fileno()])
            worker.sock.close()
    except BaseException:
        code = 1
    os._exit(code)
