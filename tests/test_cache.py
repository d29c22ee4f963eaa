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


# -- issue 12: an unusable cache, concurrent cold runs, damage, what the cache trusts ----------


def test_platform_cache_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("COCAGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "cocagraph"


@pytest.mark.parametrize("how", ["xdg-is-a-file", "read-only", "unwritable-even-for-root", "entry-taken-by-a-file"])
def test_an_unusable_cache_folder_means_working_without_it_and_one_warning(tmp_path, monkeypatch, run_cli, how):
    data = write_nt(tmp_path / "data.nt", 40)
    monkeypatch.setenv("COCAGRAPH_CACHE", "on")
    if how == "xdg-is-a-file":
        monkeypatch.delenv("COCAGRAPH_CACHE_DIR", raising=False)
        (tmp_path / "xdg").write_text("a file", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    elif how == "read-only":
        if os.geteuid() == 0:
            pytest.skip("running as root, who can write in a read-only folder")
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        monkeypatch.setenv("COCAGRAPH_CACHE_DIR", str(folder / "cache"))
    elif how == "unwritable-even-for-root":
        monkeypatch.setenv("COCAGRAPH_CACHE_DIR", "/proc/self/cocagraph-cache")  # no one can create it
    else:
        monkeypatch.setenv("COCAGRAPH_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setattr("cocagraph.cache._remove", lambda path: None)  # a file that cannot be removed
        from importlib.metadata import version

        from cocagraph import cache

        key = cache.entry_key([data], cache.content_hashes([data]), version("cocagraph"))
        (tmp_path / "cache" / key).write_text("taken", encoding="utf-8")
    result = run_cli("info", "--graph", str(data), "--format", "json")
    assert result.code == 0, result.err
    assert '"triples": 40' in result.out
    assert result.err.count("\n") == 1 and "without the cache" in result.err


def test_a_full_disk_while_building_means_working_without_the_cache(cache_on, tmp_path, monkeypatch, run_cli):
    data = write_nt(tmp_path / "data.nt", 40)

    class Full:
        def __init__(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    import pyoxigraph

    real = pyoxigraph.Store
    monkeypatch.setattr(
        "cocagraph.cache.ox.Store",
        type("S", (), {"__new__": lambda cls, path=None: Full() if path else real(), "read_only": real.read_only}),
    )
    result = run_cli("info", "--graph", str(data), "--format", "json")
    assert result.code == 0, result.err
    assert "No space left" in result.err and "without the cache" in result.err


@pytest.mark.slow
def test_six_cold_runs_at_once_all_succeed(cache_on, tmp_path):
    data = write_nt(tmp_path / "data.nt", 60_000)
    env = {**os.environ, "COCAGRAPH_CACHE_DIR": str(cache_on), "COCAGRAPH_CACHE": "on"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "cocagraph", "info", "--graph", str(data), "--format", "json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    outcomes = [(run.communicate(timeout=600), run.returncode) for run in runs]
    for (out, err), code in outcomes:
        assert code == 0, err
        assert '"triples": 60000' in out
        assert err == ""
    assert len(list_cache()) == 1


@pytest.mark.parametrize("damage", ["flipped-byte", "files-short", "files-string", "files-list-of-strings"])
def test_a_damaged_entry_is_detected_dropped_and_rebuilt(cache_on, tmp_path, run_cli, damage):
    import json

    data = write_nt(tmp_path / "data.nt", 3000)
    loading.load([data])
    (entry,) = list_cache()
    manifest_path = entry.path / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if damage == "flipped-byte":
        for sst in (entry.path / "store").glob("*.sst"):
            raw = bytearray(sst.read_bytes())
            raw[len(raw) // 2] ^= 0xFF
            sst.write_bytes(bytes(raw))
    elif damage == "files-short":
        manifest["files"] = []
    elif damage == "files-string":
        manifest["files"] = "data.nt"
    else:
        manifest["files"] = ["data.nt"]
    if damage != "flipped-byte":
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert run_cli("cache", "info").code == 0
    result = run_cli("info", "--graph", str(data), "--format", "json")
    assert result.code == 0, result.err
    assert '"triples": 3000' in result.out
    (rebuilt,) = list_cache()
    assert json.loads((rebuilt.path / "manifest.json").read_text(encoding="utf-8"))["files"][0]["triples"] == 3000


def test_a_damaged_hash_index_is_ignored(cache_on, tmp_path, run_cli):
    data = write_nt(tmp_path / "data.nt", 30)
    loading.load([data])
    (cache_on / "hash-index.json").write_text("[]", encoding="utf-8")
    assert count(loading.load([data])) == 30
    assert run_cli("cache", "info").code == 0


def test_a_same_size_edit_with_the_old_mtime_restored_is_seen(cache_on, tmp_path):
    data = write_nt(tmp_path / "data.nt", 10)
    assert count(loading.load([data])) == 10
    before = data.stat()
    text = data.read_text(encoding="utf-8").replace("o0>", "x0>")
    data.write_text(text, encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert data.stat().st_size == before.st_size and data.stat().st_mtime_ns == before.st_mtime_ns
    corpus = loading.load([data])
    objects = {q.object.value for q in corpus.store}
    assert "http://example.org/x0" in objects and "http://example.org/o0" not in objects


def test_cache_verify_drops_damaged_entries(cache_on, tmp_path, run_cli):
    data = write_nt(tmp_path / "data.nt", 30)
    loading.load([data])
    assert run_cli("cache", "verify").code == 0
    (entry,) = list_cache()
    (entry.path / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")
    result = run_cli("cache", "verify")
    assert result.code == 1 and "dropped" in result.out
    assert list_cache() == []
