"""Writing a file so that a crash, a full disk or Ctrl-C never leaves it half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path``: a temporary file in the same folder, fsync, then rename.

    The previous content stays byte-identical until the rename, which the file system makes
    atomic. Text is written as UTF-8 whatever the locale.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "answer.txt"
    >>> write_atomic(target, "día\\n").read_text(encoding="utf-8")
    'día\\n'
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # write where the link points, keep the link
    if target.exists() and not target.is_file():
        raise OutputError(f"{target}: not a regular file; cocagraph writes answers to files only")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
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
