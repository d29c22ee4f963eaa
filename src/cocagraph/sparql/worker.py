"""Query workers: forked processes, walled in by :mod:`cocagraph.sandbox`, that check and run
one query at a time and are killed at the time limit.

pyoxigraph cannot be interrupted, so a query runs in a process of its own. The worker checks
the query (:func:`~cocagraph.sparql.guard.check_query`, with Oxigraph's parser as the second
opinion) and then runs it, so checking counts inside the time limit; it has no network, a
memory cap, and dies with its parent.

Two ways to get one, one way to talk to it:

- :func:`execute` forks a worker for one query (the command line);
- :class:`InProcess` runs jobs in the process that calls it, which is already a walled-in
  worker: ``serve``'s connection workers (:mod:`cocagraph.serve_workers`), which the kernel
  ends at the time limit.

Nothing of a timed-out query is returned.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import os
import pickle
import select
import signal
import socket
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .. import errors, sandbox
from ..vocab import PREFIXES
from .answers import QueryAnswer, Term, collect
from .guard import CheckedQuery, check_query, max_query_chars, syntax_message
from .parameters import bind_parameters, check_variables

__all__ = [
    "MEMORY_LIMIT",
    "InProcess",
    "Job",
    "execute",
    "memory_limit",
    "memory_message",
    "quiet_child",
    "timeout_message",
]

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
    # The namespace answers "unreachable" (os error 101), Landlock "permission denied" (13): the
    # engine opens no file for writing and has no other use for a socket, so either is the
    # network refused.
    text = str(exc).lower()
    markers = ("unreachable", "os error 101", "os error 13", "lookup address", "resolve", "dns")
    return any(s in text for s in markers)


#: Query texts up to this length are remembered once they pass the checker (:func:`_check`).
_REMEMBERED_CHARS = 4096


def _check(text: str, where: str, sandboxed: bool) -> CheckedQuery:
    # A serve worker gets the same texts again and again (a page, a notebook, a dashboard), and
    # the check is a pure function of the text, its name, the sandbox and the length limit: a
    # short text that passed is not checked again. Refusals are never remembered (they raise).
    if len(text) > _REMEMBERED_CHARS:
        return check_query(text, where, engine=_engine_parse, sandboxed=sandboxed)
    return _check_remembered(text, where, sandboxed, max_query_chars())


@functools.lru_cache(maxsize=512)
def _check_remembered(text: str, where: str, sandboxed: bool, limit: int) -> CheckedQuery:
    return check_query(text, where, engine=_engine_parse, sandboxed=sandboxed)


def run_job(store: ox.Store, job: Job, walls: sandbox.Walls) -> tuple[Any, ...]:
    """Check and run ``job`` on ``store``: ``("ok", answer)`` or ``(kind, error class, message)``."""
    where = job.where
    try:
        checked = _check(job.text, where, walls.no_network)
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
        return ("error", "QueryMemoryError", memory_message(where))
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


def timeout_message(where: str, timeout: float) -> str:
    return (
        f"{where}: timed out after {timeout:g} s; nothing was exported "
        "(narrow the query, add LIMIT, or raise the limit with --timeout)"
    )


def memory_message(where: str) -> str:
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
            _send(sock, ("error", "QueryMemoryError", memory_message(job.where)))
        except (pickle.PicklingError, TypeError) as exc:
            _send(sock, ("bug", f"{type(exc).__name__}: {exc}"))


def quiet_child() -> None:
    """Signals as a forked worker wants them: the parent decides about Ctrl-C."""
    # Ctrl-C reaches the whole process group; the parent decides, children just go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A worker that aborts (an allocation past its cap) is reported by its parent, not by a
    # stack dump inherited from it.
    faulthandler.disable()


def _fork_worker(store: ox.Store, memory: int) -> _Worker:
    """Fork a walled-in worker serving jobs on a socket."""
    parent = os.getpid()
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker
        code = 0
        try:
            ours.close()
            quiet_child()
            walls = sandbox.enter(parent, memory=memory)
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
        raise errors.QueryTimeoutError(timeout_message(job.where, timeout)) from None
    except (EOFError, ConnectionError, struct.error) as exc:
        # A worker dies without a word when an allocation fails past its cap (Rust aborts).
        raise errors.QueryMemoryError(memory_message(job.where)) from exc


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
    worker = _fork_worker(store, memory_limit())
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


# --------------------------------------------------------------------------- in a serve worker


class InProcess:
    """Run jobs in this very process, which must already be walled in: a ``serve`` worker
    (:mod:`cocagraph.serve_workers`), forked and walled before it took its first connection.

    pyoxigraph cannot be interrupted, so the time limit is the kernel's: an ``ITIMER_REAL``
    alarm whose default action ends the process. The supervisor, which holds a copy of the
    connection, then answers 503 for it. ``mark(True)`` / ``mark(False)`` tell the supervisor
    when a query is running, so that it knows a death mid-query from any other.
    """

    def __init__(self, store: ox.Store, walls: sandbox.Walls, mark: Callable[[bool], None]) -> None:
        self._store, self._walls, self._mark = store, walls, mark
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the alarm ends the process, whatever runs

    def run(self, job: Job, timeout: float) -> QueryAnswer:
        """Check and run ``job`` here; past ``timeout`` seconds the process is ended."""
        self._mark(True)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            reply = run_job(self._store, job, self._walls)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._mark(False)
        return _answer(reply, job.where)
