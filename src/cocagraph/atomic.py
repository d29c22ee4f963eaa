"""Writing a file so that a crash, a full disk or Ctrl-C never leaves it half-written, and so
that nothing is ever written outside the file or folder the user named.

A symbolic link standing where an output goes is refused, never followed: cocagraph did not make
it, and following it would let anyone who can write into an output folder (``ln -s ../victim
out/index.html``) choose which file of the user's gets overwritten. The rename that puts a new
file in place replaces a directory entry and never follows a link, so a link planted between the
check and the rename is replaced, not written through.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

__all__ = ["write_atomic", "write_files"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path``: a temporary file in the same folder, fsync, then rename.

    The previous content stays byte-identical until the rename, which the file system makes
    atomic. Text is written as UTF-8 whatever the locale. A symbolic link at ``path`` is refused
    (:class:`OutputError`), and so is anything else that is not a regular file.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "answer.txt"
    >>> write_atomic(target, "día\\n").read_text(encoding="utf-8")
    'día\\n'
    """
    target = Path(path)
    old_mode = _check_target(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        if old_mode is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, old_mode)
        else:
            # mkstemp creates 0600 files; give a new file the usual permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        raise
    return target


def write_files(folder: str | os.PathLike[str], files: Iterable[tuple[str, str | bytes]]) -> list[Path]:
    """Write each ``(name, data)`` into ``folder`` with :func:`write_atomic`.

    Every target is checked before the first is written, so a refused link or a name that
    would leave the folder (``../x``, an absolute path) leaves the folder as it was.
    """
    root = Path(folder)
    planned = [(_inside(root, name), data) for name, data in files]
    for target, _ in planned:
        _check_target(target)
    return [write_atomic(target, data) for target, data in planned]


def _inside(root: Path, name: str) -> Path:
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts or len(parts) != 1:
        raise OutputError(f"{root / name}: the name {name!r} would write outside the folder {root}")
    return root / name


def _check_target(target: Path) -> int | None:
    """Refuse a link or a non-file at ``target``; the permissions of the file there, if any."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror}") from exc
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputError(
            f"{target}: is a symbolic link (to {os.readlink(target)}); cocagraph does not write through "
            "links it did not make: remove the link or name the file it points to"
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{target}: not a regular file; cocagraph writes answers to files only")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    return stat.S_IMODE(info.st_mode) if info is not None else None
