"""The site for readers: its pages, links that work from file://, CSV downloads, bad output folders."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cocagraph.catalog import list_claims
from cocagraph.projection import build_projection
from cocagraph.render.site import build_site, write_site

THEME_MAPS = {
    "violence": "drug violence",
    "politics": "politics and pardons",
    "justice": "justice and police",
    "shining-path": "Shining Path",
    "production": "production figures",
    "bolivian-alternative": "the Bolivian alternative",
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture(scope="module")
def site(corpus):
    return build_site(corpus)


@pytest.fixture(scope="module")
def written(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site") / "out"
    write_site(site, folder)
    return folder


def test_index_links_every_view(site):
    index = site.file("index.html").decode("utf-8")
    hrefs = links_of(index)
    assert "map-all.html" in hrefs and "loops.html" in hrefs and "claims.html" in hrefs and "claims.csv" in hrefs
    for theme_id, label in THEME_MAPS.items():
        assert f"theme-{theme_id}.html" in hrefs
        assert f"Theme: {label}" in index
    assert any(h.startswith("paths-") for h in hrefs)
    assert "paths-political-violence-peru.html" in hrefs


def test_every_local_link_resolves_from_the_file_system(written):
    pages = sorted(written.glob("*.html"))
    assert len(pages) > 15
    for page in pages:
        for href in links_of(page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "#")):
                continue  # evidence sources (links out, never loaded by the page) and places in the page
            assert "/" not in href and ":" not in href, f"{page.name}: {href} is not a relative file link"
            assert (written / href).is_file(), f"{page.name} links to a missing {href}"


def test_maps_link_back_to_the_index(site):
    page = site.file("theme-violence.html").decode("utf-8")
    assert "index.html" in links_of(page)


def test_claims_table_and_csv_hold_every_claim(site, corpus):
    claims = list_claims(corpus)
    rows = list(csv.DictReader(io.StringIO(site.file("claims.csv").decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [c.id for c in claims]
    assert rows[0]["quote"] == claims[0].quote
    table = site.file("claims.html").decode("utf-8")
    assert table.count("<tr>") == len(claims) + 1


def test_sparql_answers_as_tables_with_csv(site):
    names = [name for name, _ in site.files if name.startswith("query-") and name.endswith(".csv")]
    assert "query-hotspots.csv" in names and "query-statistics.csv" in names
    hotspots = site.file("query-hotspots.csv").decode("utf-8")
    assert "Trujillo" in hotspots and "Chimbote" in hotspots
    page = site.file("query-hotspots.html").decode("utf-8")
    assert "Trujillo" in page and 'href="query-hotspots.csv"' in page


def test_pages_make_no_requests_and_run_no_script_but_the_maps(site):
    for name, data in site.files:
        if not name.endswith(".html"):
            continue
        text = data.decode("utf-8")
        assert not re.search(r"<(script|img|link|iframe)[^>]*\b(src|href)=", text), name
        scripts = text.count("<script")
        assert scripts == 0 if not _is_map(text) else scripts >= 3, name


def _is_map(text: str) -> bool:
    return 'id="cocagraph-data"' in text


def test_same_corpus_same_site(site, corpus):
    again = build_site(corpus)
    assert again.files == site.files


def test_site_verb_prints_where_to_open_it(run_cli, tmp_path, corpus):
    out = tmp_path / "out"
    result = run_cli("site", "-o", str(out))
    assert result.code == 0, result.err
    assert f"open {(out / 'index.html').resolve().as_uri()}" in result.out
    data = json.loads(
        re.search(r'id="cocagraph-data">(.*?)</script>', (out / "map-all.html").read_text("utf-8"), re.S).group(1)
    )
    assert data["counts"]["claims"] == build_projection(corpus).number_of_edges() > 0


def test_site_into_a_file_or_missing_parent_exits_2(run_cli, tmp_path):
    file_in_the_way = tmp_path / "taken"
    file_in_the_way.write_text("keep", encoding="utf-8")
    result = run_cli("site", "-o", str(file_in_the_way))
    assert result.code == 2
    assert file_in_the_way.read_text(encoding="utf-8") == "keep"
    result = run_cli("site", "-o", str(tmp_path / "no" / "such" / "folder"))
    assert result.code == 2 and "cannot create" in result.err
    assert not (tmp_path / "no").exists()


def test_bad_graph_writes_nothing(run_cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <https://example.org/> .\n:a :b \n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("site", "--graph", str(bad), "-o", str(out))
    assert result.code == 2 and "bad.ttl" in result.err
    assert not out.exists()


def test_written_files_are_the_built_ones(site, written):
    for name, data in site.files:
        assert (written / name).read_bytes() == data
    assert Path(written / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_sites_claims_are_the_claims_verbs_rows(site, run_cli):
    """One report for the CLI, notebooks and the site: the same rows, column for column."""
    site_rows = list(csv.DictReader(io.StringIO(site.file("claims.csv").decode("utf-8"), newline="")))
    result = run_cli("claims", "--format", "csv")
    assert result.code == 0, result.err
    cli_rows = list(csv.DictReader(io.StringIO(result.out, newline="")))
    assert [{c: r[c] for c in site_rows[0]} for r in cli_rows] == site_rows
