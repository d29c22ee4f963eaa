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

- **No writes, no TCP, nothing outside** (Landlock, Linux 5.13 and later, no privilege needed):
  the process may create, change or remove no file anywhere (files it already holds open, such
  as stderr, stay writable), and, where the kernel's Landlock is recent enough (ABI 4, Linux
  6.7), may neither connect nor bind a TCP socket: a second wall on the network that holds
  even where no namespace can be made. From ABI 6 it also may not reach abstract Unix sockets
  or signal processes outside it. The walls it could not raise are reported, not fatal.

Reading files is not walled off: the engine reads the store's own files (an on-disk store
opens them as it goes), and Python reads its modules as they are imported. Oxigraph's query
engine has no operation that reads a file (no LOAD in queries, FROM and GRAPH name graphs
already in the store), which is what keeps queries from other files.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import signal
import sys
from dataclasses import dataclass

__all__ = ["Walls", "die_with_parent", "enter", "landlock"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Walls:
    """Which walls went up: ``network_error`` None when the network namespace is the process's
    own (else why it could not be); the memory cap; ``landlock`` what Landlock forbids (empty
    when it is missing, with ``landlock_error`` saying why)."""

    network_error: str | None
    memory_limit: int | None
    landlock: tuple[str, ...] = ()
    landlock_error: str | None = None

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


# Landlock's system calls (the same numbers on every architecture) and access rights
# (linux/landlock.h).
_SYS_CREATE_RULESET, _SYS_RESTRICT_SELF = 444, 446
_CREATE_RULESET_VERSION = 1
_PR_SET_NO_NEW_PRIVS = 38
#: File-system rights that change something, by the ABI that introduced them.
_FS_WRITES = {
    1: (1 << 1) | (0b111111111 << 4) | (1 << 12),  # WRITE_FILE, REMOVE_*, MAKE_* (bits 4-12)
    2: 1 << 13,  # REFER (link or rename across folders)
    3: 1 << 14,  # TRUNCATE
}
_NET_TCP = (1 << 0) | (1 << 1)  # BIND_TCP, CONNECT_TCP (ABI 4)
_SCOPES = (1 << 0) | (1 << 1)  # ABSTRACT_UNIX_SOCKET, SIGNAL (ABI 6)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


def landlock() -> tuple[tuple[str, ...], str | None]:
    """Forbid this process (and what it forks) every file write, and TCP and outside scopes
    where the kernel knows them; (what is forbidden, why nothing is)."""
    libc = _libc()
    if libc is None:
        return (), f"Landlock needs Linux (this is {sys.platform})"
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    if abi < 1:
        return (), f"this kernel has no Landlock ({os.strerror(ctypes.get_errno())})"
    forbidden = ["file writes"]
    attr = _RulesetAttr(sum(bits for since, bits in _FS_WRITES.items() if abi >= since), 0, 0)
    if abi >= 4:
        attr.handled_access_net = _NET_TCP
        forbidden.append("TCP")
    if abi >= 6:
        attr.scoped = _SCOPES
        forbidden.append("abstract Unix sockets and signals outside")
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return (), f"Landlock refused the ruleset ({os.strerror(ctypes.get_errno())})"
    try:
        # Required of an unprivileged process, and right anyway: nothing it runs gains privileges.
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return (), f"no_new_privs was refused ({os.strerror(ctypes.get_errno())})"
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return (), f"Landlock refused to restrict the process ({os.strerror(ctypes.get_errno())})"
    finally:
        os.close(ruleset)
    return tuple(forbidden), None


def enter(parent: int, *, network: bool = True, memory: int | None = None) -> Walls:
    """Put up the walls in this (forked) process: see the module's docstring."""
    die_with_parent(parent)
    network_error = cut_network() if network else None
    limit = cap_memory(memory)
    forbidden, landlock_error = landlock()
    return Walls(network_error, limit, forbidden, landlock_error)
