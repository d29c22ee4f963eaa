"""The on-disk cache: warm loads open the store, changes invalidate it, and damaged or
half-written entries are rebuilt, never trusted (reliability item 13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cocagraph import loading
from cocagraph.cache import cache_dir, list_cache

TRIPLE = "<http://example.org/s{0}> <http://example.org/p> <http://example.org/o{0}> .\n"


@pytest.fixture
def cache_on(tmp_path, monkeypatch):
    monkeypatch.setenv("COCAGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COCAGRAPH_CACHE", "on")
    return tmp_path / "cache"


def write_nt(path: Path, n: int, offset: int = 0) -> Path:
    path.write_text("".join(TRIPLE.format(i + offset) for i in range(n)), encoding="utf-8")
    return path


def count(corpus) -> int:
    return len(list(corpus.store.quads_for_pattern(None, None, None)))


def forbid_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed although the cache was warm")

    monkeypatch.setattr(loading, "_parse_into", refuse)


def test_second_load_opens_the_cache_without_parsing(cache_on, tmp_path, monkeypatch):
    data = write_nt(tmp_path / "data.nt", 50)
    first = loading.load([data])
    assert count(first) == 50 and len(list_cache()) == 1
    del first
    forbid_parsing(monkeypatch)
    second = loading.load([data])
    assert count(second) == 50
    assert second.files[0].triples == 50 and second.files[0].path == data


def test_changed_added_or_removed_file_invalidates(cache_on, tmp_path):
    a = write_nt(tmp_path / "a.nt", 10)
    b = write_nt(tmp_path / "b.nt", 5, offset=100)
    assert count(loading.load([a])) == 10
    write_nt(a, 12)
    assert count(loading.load([a])) == 12  # changed content
    assert count(loading.load([a, b])) == 17  # added file
    assert count(loading.load([b])) == 5  # removed file
    assert len(list_cache()) == 3 or len(list_cache()) == 4


def test_touching_a_file_without_changing_it_keeps_the_entry(cache_on, tmp_path, monkeypatch):
    data = write_nt(tmp_path / "data.nt", 20)
    loading.load([data])
    os.utime(data, (time.time() + 10, time.time() + 10))
    forbid_parsing(monkeypatch)
    assert count(loading.load([data])) == 20  # rehashed, same content, same entry


@pytest.mark.parametrize("damage", ["no-manifest", "truncated-file", "garbage-current", "extra-file"])
def test_damaged_entry_is_rebuilt_not_trusted(cache_on, tmp_path, damage):
    data = write_nt(tmp_path / "data.nt", 30)
    loading.load([data])
    (entry,) = list_cache()
    store = entry.path / "store"
    if damage == "no-manifest":
        (entry.path / "manifest.json").unlink()
    elif damage == "truncated-file":
        biggest = max((f for f in store.iterdir() if f.is_file()), key=lambda f: f.stat().st_size)
        biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 2])
    elif damage == "garbage-current":
        (store / "CURRENT").write_text("garbage", encoding="utf-8")
    else:
        (store / "000999.sst").write_bytes(b"not a table")
    corpus = loading.load([data])
    assert count(corpus) == 30


def test_a_build_killed_midway_leaves_nothing_trusted(cache_on, tmp_path):
    data = write_nt(tmp_path / "big.nt", 200_000)
    env = {**os.environ, "COCAGRAPH_CACHE_DIR": str(cache_on), "COCAGRAPH_CACHE": "on"}
    child = subprocess.Popen(
        [sys.executable, "-c", f"from cocagraph.loading import load; load([{str(data)!r}])"], env=env
    )
    deadline = time.monotonic() + 60
    building = lambda: [p for p in cache_on.glob(".*.tmp") if p.is_dir()]  # noqa: E731
    while not building() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert not list_cache() or all((e.path / "manifest.json").exists() for e in list_cache())
    assert count(loading.load([data])) == 200_000
    assert not [p for p in cache_on.glob(".*.tmp") if p.is_dir()]  # the abandoned build was swept away


def test_small_inputs_skip_the_cache_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COCAGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COCAGRAPH_CACHE", raising=False)
    loading.load([write_nt(tmp_path / "small.nt", 5)])
    assert not (tmp_path / "cache").exists() or not list_cache()


def test_cache_verb_lists_and_clears(cache_on, tmp_path, run_cli):
    loading.load([write_nt(tmp_path / "data.nt", 5)])
    listing = run_cli("cache", "info")
    assert listing.code == 0 and "data.nt" in listing.out and str(cache_dir()) in listing.out
    cleared = run_cli("cache", "clear")
    assert cleared.code == 0 and "removed 1 cache entries" in cleared.out
    assert list_cache() == []
