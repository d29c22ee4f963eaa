"""An on-disk cache of loaded graphs, so that the second command on unchanged files opens a
store instead of parsing.

Each entry is an Oxigraph (RocksDB) store in a folder named by a key: the SHA-256 of the
cocagraph version and of the content hash of every input file. Content hashes are kept in a
small index beside the entries, by path, size and modification time (as git's index does), so a
warm start re-reads no input file that has not changed. An entry is built in a temporary
folder and renamed into place; its manifest, written last, lists the store's files and sizes.
An entry without a manifest, with files that differ from it, or that Oxigraph cannot open is
not trusted: it is deleted and rebuilt.

Small inputs skip the cache (parsing the article graph is faster than opening a store); see
:func:`should_cache`. ``COCAGRAPH_CACHE=off`` turns it off, ``COCAGRAPH_CACHE=on`` forces it,
``COCAGRAPH_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "CACHE_MIN_BYTES",
    "CacheEntry",
    "build_entry",
    "cache_dir",
    "clear_cache",
    "content_hashes",
    "entry_key",
    "list_cache",
    "open_entry",
    "sha256_file",
    "should_cache",
]

#: Inputs smaller than this in total are parsed directly.
CACHE_MIN_BYTES = 2 * 1024 * 1024
#: Entries kept; the least recently used beyond this are removed when a new one is built.
MAX_ENTRIES = 4
_MANIFEST = "manifest.json"
_INDEX = "hash-index.json"


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
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cocagraph"


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
    hashes, changed = [], False
    for path in files:
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = index.get(str(path.resolve()))
        if known and known[0] == stamp:
            hashes.append(known[1])
            continue
        digest = sha256_file(path)
        index[str(path.resolve())] = [stamp, digest]
        hashes.append(digest)
        changed = True
    if changed:
        from .atomic import write_atomic
        from .errors import OutputError

        # The index only saves re-reading files: failing to write it costs time, not answers.
        with contextlib.suppress(OSError, OutputError):
            root.mkdir(parents=True, exist_ok=True)
            write_atomic(index_path, json.dumps(index, indent=0, sort_keys=True))
    return hashes


def entry_key(files: Sequence[Path], hashes: Sequence[str], version: str) -> str:
    """The cache key: the version, and every file's name and content hash, in load order."""
    h = hashlib.sha256(f"cocagraph {version}\n".encode())
    for path, digest in zip(files, hashes, strict=True):
        h.update(f"{path.name}\0{digest}\n".encode())
    return h.hexdigest()[:32]


def open_entry(key: str) -> tuple[ox.Store, dict] | None:
    """The cached store and its manifest, or None when absent or not to be trusted."""
    folder = cache_dir() / key
    manifest_path = folder / _MANIFEST
    if not manifest_path.exists():
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)  # half-written: never trusted
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if _store_files(folder / "store") != manifest["store_files"]:
            raise ValueError("store files differ from the manifest")
        store = ox.Store.read_only(str(folder / "store"))
    except (OSError, ValueError, KeyError, RuntimeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    with contextlib.suppress(OSError):
        os.utime(manifest_path)  # most recently used
    return store, manifest


def build_entry(key: str, fill: Callable[[ox.Store], dict]) -> tuple[ox.Store, dict]:
    """Build an entry: ``fill`` loads the store and returns what the manifest should record."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(root)
    tmp = root / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
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
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _evict(keep=key)
    opened = open_entry(key)
    if opened is None:  # pragma: no cover - the entry was just written
        raise RuntimeError(f"the cache entry {key} could not be reopened")
    return opened


def list_cache() -> list[CacheEntry]:
    """The entries in the cache, most recently used first."""
    entries = []
    root = cache_dir()
    for manifest_path in sorted(root.glob(f"*/{_MANIFEST}"), key=lambda p: -p.stat().st_mtime):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
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


def clear_cache() -> int:
    """Remove every entry (and the hash index); return how many entries there were."""
    root = cache_dir()
    count = len([p for p in root.iterdir() if p.is_dir()]) if root.is_dir() else 0
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            elif child.name == _INDEX:
                child.unlink(missing_ok=True)
    return count


def _store_files(folder: Path) -> dict[str, int]:
    # RocksDB's LOCK and LOG files change on every open; the data files do not.
    return {
        f.name: f.stat().st_size
        for f in sorted(folder.iterdir())
        if f.is_file() and f.name not in ("LOCK",) and not f.name.startswith("LOG")
    }


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
