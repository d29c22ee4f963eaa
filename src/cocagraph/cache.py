"""An on-disk cache of loaded graphs, so that the second command on unchanged files opens a
store instead of parsing.

Each entry is an Oxigraph (RocksDB) store in a folder named by a key: the SHA-256 of the
cocagraph version and of the content hash of every input file. An entry is built in a
temporary folder, under a file lock (so that concurrent cold runs build it once: the others
wait, then open it), and renamed into place; its manifest, written last, lists the store's files
with their sizes and CRC-32.

What the cache trusts, and what it checks:

* Input files: their content hash is kept in a small index by path, size, modification time,
  change time and inode (as git's index does), so a warm start re-reads no input file whose
  stamp is unchanged. A same-size edit that also restores the old modification time still
  changes the change time (ctime), which no ordinary program can set back. ``cocagraph cache
  verify`` re-hashes every input anyway.
* Entries: every store file is checked against the manifest's size and CRC-32 each time an
  entry is opened (damage, not forgery: whoever can write the cache can write its manifest);
  an entry without a manifest, with a manifest of the wrong shape, with files that differ from
  it, or that Oxigraph cannot open is not trusted: it is dropped and rebuilt.
* The cache folder itself: when it cannot be used (not a folder, read-only, full, taken by a
  file), commands work without it and say so in one warning line.

Small inputs skip the cache (parsing the article graph is faster than opening a store); see
:func:`should_cache`. ``COCAGRAPH_CACHE=off`` turns it off, ``COCAGRAPH_CACHE=on`` forces it,
``COCAGRAPH_CACHE_DIR`` moves it; by default it is the platform's cache folder (platformdirs:
``$XDG_CACHE_HOME/cocagraph`` or ``~/.cache/cocagraph`` on Linux, ``~/Library/Caches/cocagraph``
on macOS, ``%LOCALAPPDATA%\\cocagraph\\Cache`` on Windows).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import CocagraphError

__all__ = [
    "CACHE_MIN_BYTES",
    "CacheEntry",
    "CacheUnusable",
    "build_entry",
    "cache_dir",
    "clear_cache",
    "content_hashes",
    "entry_key",
    "list_cache",
    "open_entry",
    "sha256_file",
    "should_cache",
    "verify_cache",
]

#: Inputs smaller than this in total are parsed directly.
CACHE_MIN_BYTES = 2 * 1024 * 1024
#: Entries kept; the least recently used beyond this are removed when a new one is built.
MAX_ENTRIES = 4
#: How long a run waits for another process building the same entry before parsing by itself.
LOCK_WAIT_SECONDS = 300.0
_MANIFEST = "manifest.json"
_INDEX = "hash-index.json"


class CacheUnusable(Exception):
    """The cache folder or an entry cannot be used; the loader parses without it."""


@dataclass(frozen=True)
class CacheEntry:
    """One cached store: its key, what it holds and how big it is on disk."""

    key: str
    path: Path
    files: tuple[str, ...]
    triples: int
    bytes: int


def cache_dir() -> Path:
    """Where cache entries live (``COCAGRAPH_CACHE_DIR``, else the user's cache folder)."""
    explicit = os.environ.get("COCAGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("cocagraph", appauthor=False))


def should_cache(files: Sequence[Path], requested: bool | None = None) -> bool:
    """Whether to use the cache: asked for, or set in the environment, or big enough."""
    if requested is not None:
        return requested
    setting = os.environ.get("COCAGRAPH_CACHE", "auto").lower()
    if setting in ("off", "0", "no"):
        return False
    if setting in ("on", "1", "yes"):
        return True
    return sum(f.stat().st_size for f in files) >= CACHE_MIN_BYTES


def content_hashes(files: Sequence[Path]) -> list[str]:
    """SHA-256 of each file, re-reading only files whose path, size or mtime changed."""
    root = cache_dir()
    index_path = root / _INDEX
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    if not isinstance(index, dict):
        index = {}  # a damaged index only costs re-reading the files
    hashes, changed = [], False
    for path in files:
        stamp = _stamp(path)
        known = index.get(str(path.resolve()))
        if isinstance(known, list) and len(known) == 2 and known[0] == stamp and isinstance(known[1], str):
            hashes.append(known[1])
            continue
        digest = sha256_file(path)
        index[str(path.resolve())] = [stamp, digest]
        hashes.append(digest)
        changed = True
    if changed:
        _save_index(root, index)
    return hashes


def _stamp(path: Path) -> list[int]:
    # ctime changes on every write and cannot be set back, unlike mtime (touch -d, rsync -t).
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _save_index(root: Path, index: dict) -> None:
    from .atomic import write_atomic
    from .errors import OutputError

    # The index only saves re-reading files: failing to write it costs time, not answers.
    with contextlib.suppress(OSError, OutputError):
        root.mkdir(parents=True, exist_ok=True)
        write_atomic(root / _INDEX, json.dumps(index, indent=0, sort_keys=True))


def entry_key(files: Sequence[Path], hashes: Sequence[str], version: str) -> str:
    """The cache key: the version, and every file's name and content hash, in load order."""
    h = hashlib.sha256(f"cocagraph {version}\n".encode())
    for path, digest in zip(files, hashes, strict=True):
        h.update(f"{path.name}\0{digest}\n".encode())
    return h.hexdigest()[:32]


def open_entry(key: str, inputs: int | None = None) -> tuple[ox.Store, dict] | None:
    """The cached store and its manifest, or None when absent or not to be trusted.

    An entry that is there but damaged (see the module's notes) is dropped, so the caller
    rebuilds it. ``inputs`` is how many input files the manifest must record.
    """
    folder = cache_dir() / key
    manifest = _checked_manifest(folder, inputs)
    if manifest is None:
        if os.path.lexists(folder):
            _remove(folder)  # half-written, damaged, or a file in the entry's place: never trusted
        return None
    try:
        store = ox.Store.read_only(str(folder / "store"))
    except (OSError, ValueError, RuntimeError):
        _remove(folder)
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / _MANIFEST)  # most recently used
    return store, manifest


def _checked_manifest(folder: Path, inputs: int | None = None) -> dict | None:
    """The entry's manifest when it has the right shape and every store file matches it."""
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _well_formed(manifest) or (inputs is not None and len(manifest["files"]) != inputs):
        return None
    try:
        if _store_files(folder / "store") != manifest["store_files"]:
            return None
    except OSError:
        return None
    return manifest


def _well_formed(manifest: object) -> bool:
    if not isinstance(manifest, dict):
        return False
    files, store_files = manifest.get("files"), manifest.get("store_files")
    record = {"path": str, "graph": str, "sha256": str, "triples": int}
    return (
        isinstance(files, list)
        and all(isinstance(f, dict) and all(isinstance(f.get(k), t) for k, t in record.items()) for f in files)
        and isinstance(store_files, dict)
        and bool(store_files)
        and all(isinstance(v, list) and len(v) == 2 for v in store_files.values())
    )


def build_entry(key: str, fill: Callable[[ox.Store], dict], inputs: int | None = None) -> tuple[ox.Store, dict]:
    """Build an entry: ``fill`` loads the store and returns what the manifest should record.

    Under a lock on the entry: a run that finds another building it waits, then opens what the
    other built. Errors of the cache itself (a folder that cannot be made, a full disk) raise
    :class:`CacheUnusable`; errors of the inputs (raised by ``fill``) go through as they are.
    """
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with _entry_lock(root, key):
            opened = open_entry(key, inputs)  # built by another run while this one waited
            if opened is not None:
                return opened
            _remove_abandoned_builds(root)
            _build(root, key, fill)
    except (CocagraphError, KeyboardInterrupt, CacheUnusable):
        raise
    except Exception as exc:  # RocksDB and the file system: the cache cannot be used here
        raise CacheUnusable(f"the cache in {root} cannot be used ({_reason(exc)})") from exc
    with contextlib.suppress(OSError):
        _evict(keep=key)
    opened = open_entry(key, inputs)
    if opened is None:
        raise CacheUnusable(f"the cache entry {root / key} could not be reopened")
    return opened


def _build(root: Path, key: str, fill: Callable[[ox.Store], dict]) -> None:
    tmp = root / f".{key}.{os.getpid()}.tmp"
    _remove(tmp)
    try:
        tmp.mkdir()
        store = ox.Store(str(tmp / "store"))
        manifest = fill(store)
        store.flush()
        del store  # closes RocksDB before the files are listed and moved
        manifest["store_files"] = _store_files(tmp / "store")
        manifest["created"] = time.time()
        (tmp / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        final = root / key
        _remove(final)
        os.replace(tmp, final)
    except BaseException:
        _remove(tmp)
        raise


@contextlib.contextmanager
def _entry_lock(root: Path, key: str) -> Iterator[None]:
    """An exclusive file lock on one entry, waited for at most :data:`LOCK_WAIT_SECONDS`."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock; the rename keeps entries whole
        yield
        return
    with open(root / f".{key}.lock", "a+b") as handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CacheUnusable(f"another cocagraph has been building {root / key} for too long") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:200]


def _remove(path: Path) -> None:
    """Remove a folder, a file or a link at ``path``, whichever stands there."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


def list_cache() -> list[CacheEntry]:
    """The entries in the cache, most recently used first (entries of the wrong shape are skipped)."""
    entries = []
    root = cache_dir()
    if not root.is_dir():
        return []
    stamped = []
    for manifest_path in root.glob(f"*/{_MANIFEST}"):
        with contextlib.suppress(OSError):
            stamped.append((-manifest_path.stat().st_mtime, manifest_path))
    for _, manifest_path in sorted(stamped):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not _well_formed(manifest):
            continue
        folder = manifest_path.parent
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        entries.append(
            CacheEntry(
                folder.name,
                folder,
                tuple(f["path"] for f in manifest["files"]),
                sum(f["triples"] for f in manifest["files"]),
                size,
            )
        )
    return entries


def verify_cache() -> tuple[list[str], int]:
    """Check every entry's store files and re-hash every input the index knows.

    Damaged entries are dropped (the next load rebuilds them); index records whose file changed
    or is gone are forgotten. Returns what was found, one line each, and how many entries held.
    """
    root = cache_dir()
    found: list[str] = []
    held = 0
    if not root.is_dir():
        return found, held
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if _checked_manifest(folder) is None:
            _remove(folder)
            found.append(f"{folder}: damaged or incomplete; dropped (the next load rebuilds it)")
        else:
            held += 1
    try:
        index = json.loads((root / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    if not isinstance(index, dict):
        index, found = {}, [*found, f"{root / _INDEX}: not an index; rebuilt"]
    kept = {}
    for name, record in index.items():
        path = Path(name)
        try:
            digest = sha256_file(path) if path.is_file() else None
        except OSError:
            digest = None
        if digest is None:
            continue  # gone: nothing to remember
        if not (isinstance(record, list) and len(record) == 2 and record[1] == digest):
            found.append(f"{path}: changed without its stamp changing; its hash is renewed")
        kept[name] = [_stamp(path), digest]
    _save_index(root, kept)
    return found, held


def clear_cache() -> int:
    """Remove every entry (and the hash index); return how many entries there were."""
    root = cache_dir()
    count = len([p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]) if root.is_dir() else 0
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() or child.name == _INDEX or child.name.endswith(".lock"):
                _remove(child)
    return count


def _store_files(folder: Path) -> dict[str, list]:
    # RocksDB's LOCK and LOG files change on every open; the data files do not. Their CRC-32
    # catches a flipped byte, which RocksDB itself may not (a damaged block can make a query run
    # without end rather than fail). CRC-32 rather than SHA-256: it detects damage at a few times
    # the speed, and it guards against accidents only; whoever can write the cache folder can
    # write the manifest too.
    return {
        f.name: [f.stat().st_size, _crc32_file(f)]
        for f in sorted(folder.iterdir())
        if f.is_file() and f.name not in ("LOCK",) and not f.name.startswith("LOG")
    }


def _crc32_file(path: Path) -> str:
    crc = 0
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            crc = zlib.crc32(block, crc)
    return f"{crc:08x}"


def _remove_abandoned_builds(root: Path) -> None:
    # A build killed midway leaves ".KEY.PID.tmp"; it is garbage once that process is gone.
    for tmp in root.glob(f".{_INDEX}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 60:  # a killed index write
                tmp.unlink()
    for tmp in root.glob(".*.tmp"):
        if not tmp.is_dir():
            continue
        try:
            pid = int(tmp.name.rsplit(".", 2)[-2])
            os.kill(pid, 0)
        except (ValueError, IndexError, ProcessLookupError):
            shutil.rmtree(tmp, ignore_errors=True)
        except PermissionError:
            pass  # another user's live process


def _evict(keep: str) -> None:
    entries = list_cache()
    for entry in entries[MAX_ENTRIES:]:
        if entry.key != keep:
            shutil.rmtree(entry.path, ignore_errors=True)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
