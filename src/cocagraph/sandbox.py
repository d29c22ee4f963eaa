"""The walls around a query worker: no network, a memory cap, and death with its parent.

Called once in a freshly forked process (Linux only; elsewhere every wall reports itself
missing):

- **No network.** The process moves into a new network namespace, which has no interface but
  a loopback that is down: ``connect`` to any address, 127.0.0.1 included, fails at once with
  "Network is unreachable". As root ``unshare(CLONE_NEWNET)`` does it; otherwise a new user
  namespace comes first (``CLONE_NEWUSER | CLONE_NEWNET``), which unprivileged users may create
  on most distributions. Where neither works (some containers, hardened kernels) the sandbox
  says so and the caller falls back on refusing anything that could name a SERVICE.
- **A memory cap.** ``RLIMIT_AS`` at the process's current size plus the allowance: an
  allocation past it fails, the worker dies, and the query is refused with "memory limit".
- **Death with its parent.** ``PR_SET_PDEATHSIG`` sends SIGKILL when the parent dies, even by
  SIGKILL, so no worker outlives the command or the server that started it.

Files are not walled off: a namespace cannot hide the store's own files, which the engine
reads. Oxigraph's query engine has no operation that reads a file (no LOAD in queries, FROM
and GRAPH name graphs already in the store), which is what keeps queries from other files.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import signal
import sys
from dataclasses import dataclass

__all__ = ["Walls", "die_with_parent", "enter"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Walls:
    """Which walls went up: ``network`` (None when cut off, else why it could not be)."""

    network_error: str | None
    memory_limit: int | None

    @property
    def no_network(self) -> bool:
        return self.network_error is None


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbols hold libc's (ctypes.util.find_library would run ldconfig).
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - a Linux without a loadable libc
        return None


def die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGKILL when the parent dies; exit now if it already has."""
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def cut_network() -> str | None:
    """Move this process into a network namespace of its own; None, or why it could not."""
    libc = _libc()
    if libc is None:
        return f"network namespaces need Linux (this is {sys.platform})"
    errors = []
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        errors.append(os.strerror(ctypes.get_errno()))
    return f"unshare refused a new network namespace ({'; '.join(dict.fromkeys(errors))})"


def _current_size() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - no /proc
        return 0


def cap_memory(allowance: int | None) -> int | None:
    """Cap the address space at its current size plus ``allowance`` bytes; the cap, or None."""
    if not allowance:
        return None
    limit = _current_size() + allowance
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS
        return None
    return limit


def enter(parent: int, *, network: bool = True, memory: int | None = None) -> Walls:
    """Put up the walls in this (forked) process: see the module's docstring."""
    die_with_parent(parent)
    network_error = cut_network() if network else None
    return Walls(network_error, cap_memory(memory))
