"""Reading a file the user named: regular files only, refused at once otherwise, size bounded.

A named pipe would block the read forever, ``/dev/zero`` would fill memory (its size reads as
0, so no size limit applies), a folder or socket has no content to read: each is refused before
it is read, naming the file and what it is. The file is opened without blocking and checked
again once open, so a file swapped for a pipe between the two checks is refused too. A loop of
symbolic links says so, rather than "no such file".
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import InputError, InputTooLargeError

__all__ = ["check_regular", "read_input"]

#: Limit for files that are not graphs (source texts, sheets, queries) unless a caller says.
DEFAULT_LIMIT = 512 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_regular(path: str | os.PathLike[str], what: str = "file") -> os.stat_result:
    """The ``stat`` of ``path`` (links followed), or :class:`InputError` unless it is a regular file.

    >>> check_regular("/dev/null")
    Traceback (most recent call last):
    cocagraph.errors.InputError: /dev/null: is a character device, not a regular file; cocagraph reads files only
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _open_error(Path(path), exc, what) from exc
    _refuse_kind(Path(path), info)
    return info


def read_input(path: str | os.PathLike[str], limit: int = DEFAULT_LIMIT, what: str = "file") -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (:class:`InputError` else)."""
    target = Path(path)
    check_regular(target, what)
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _open_error(target, exc, what) from exc
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        _refuse_kind(target, info)  # swapped for a pipe or device after the first check
        _check_size(target, info.st_size, limit)
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{target}: cannot read: {exc.strerror}") from exc
    _check_size(target, len(data), limit)  # grew while being read
    return data


def _check_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise InputTooLargeError(
            f"{path}: {size:,} bytes is over the limit of {limit:,} bytes; "
            "raise it with --max-bytes N or COCAGRAPH_MAX_BYTES=N"
        )


def _refuse_kind(path: Path, info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
    raise InputError(f"{path}: is {kind}, not a regular file; cocagraph reads files only")


def _open_error(path: Path, exc: OSError, what: str) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(f"{path}: a loop of symbolic links; cannot read this {what}")
    if exc.errno == errno.ENOENT:
        return InputError(f"{path}: no such {what}")
    return InputError(f"{path}: cannot read: {exc.strerror}")
