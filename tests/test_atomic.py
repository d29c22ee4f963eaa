"""Writing outputs: never through a link the verb did not make, never half-written, never
outside the folder named (issue 12, "Files written")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cocagraph.atomic import write_atomic, write_files
from cocagraph.errors import OutputError


def test_a_link_standing_at_the_target_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link") as caught:
        write_atomic(link, "overwritten\n")
    assert str(link) in str(caught.value)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert link.is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_dangling_link_is_refused_too(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere" / "x")
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(link, "x")
    assert not (tmp_path / "nowhere").exists()


def test_write_files_checks_every_target_before_writing_any(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.html").symlink_to(victim)
    with pytest.raises(OutputError, match=r"b\.html"):
        write_files(out, [("a.html", b"a"), ("b.html", b"b")])
    assert not (out / "a.html").exists()
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_write_files_refuses_names_that_leave_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("../escape.html", "/tmp/abs.html", "sub/../../x.html"):
        with pytest.raises(OutputError, match="outside"):
            write_files(out, [(name, b"x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    target = tmp_path / "a.txt"
    write_atomic(target, "one")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o600)
    write_atomic(target, "two")
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_text(encoding="utf-8") == "two"


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "a.txt", "x")


def test_site_does_not_write_through_a_planted_link(tmp_path, run_cli):
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").symlink_to(Path("..") / "victim")
    result = run_cli("site", "--no-sparql", "-o", str(out))
    assert result.code == 2, result.err
    assert "index.html" in result.err and "symbolic link" in result.err
    assert result.err.count("\n") == 1
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert [p.name for p in out.iterdir()] == ["index.html"]


def test_claims_csv_does_not_write_through_a_link(tmp_path, run_cli):
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "claims.csv"
    link.symlink_to(victim)
    result = run_cli("claims", "--format", "csv", "-o", str(link))
    assert result.code == 2
    assert "symbolic link" in result.err
    assert victim.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize("verb", [["render"], ["claims", "--format", "csv"]])
def test_an_output_ending_in_a_slash_names_a_folder_not_a_file(tmp_path, run_cli, verb):
    missing = f"{tmp_path / 'newdir'}{os.sep}"
    result = run_cli(*verb, "-o", missing)
    assert result.code == 2
    assert "folder" in result.err
    assert not (tmp_path / "newdir").exists()
