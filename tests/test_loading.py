"""The loader against the bad inputs of ../shared/reliability.md items 1-8."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from cocagraph.errors import EncodingError, InputError, InputTooLargeError, ParseError, UnsafeInputError
from cocagraph.loading import GRAPH_BASE, load

GOOD = "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_each_file_is_its_own_named_graph(tmp_path):
    a = write(tmp_path, "a.ttl", GOOD)
    b = write(tmp_path, "b.ttl", "<http://example.org/c> <http://example.org/p> <http://example.org/d> .\n")
    corpus = load([a, b])
    assert [f.graph for f in corpus.files] == [GRAPH_BASE + "a", GRAPH_BASE + "b"]
    assert [f.triples for f in corpus.files] == [1, 1]
    assert corpus.file_of_graph(GRAPH_BASE + "b") == b


def test_syntax_error_names_file_and_line(tmp_path):
    bad = write(tmp_path, "bad.ttl", GOOD + "ex:a ex:p ex:c\nex:d ex:e ex:f .\n")
    with pytest.raises(ParseError) as caught:
        load([bad])
    assert str(caught.value).startswith(f"{bad}:4:")
    assert caught.value.line == 4


def test_syntax_error_exits_2_with_file_and_line_on_one_line(tmp_path, run_cli):
    bad = write(tmp_path, "bad.ttl", GOOD + "ex:a ex:p .\n")
    result = run_cli("info", "--graph", str(bad))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"cocagraph: error: {bad}:3:")
    assert result.err.count("\n") == 1


def test_deep_nesting_is_refused_without_recursion_error(tmp_path):
    deep = "@prefix ex: <http://example.org/> .\nex:a ex:p " + "[ ex:p " * 1000 + "ex:b" + " ]" * 1000 + " .\n"
    path = write(tmp_path, "deep.ttl", deep)
    with pytest.raises(UnsafeInputError, match="nesting too deep") as caught:
        load([path])
    assert str(path) in str(caught.value)


def test_deep_json_ld_is_refused(tmp_path):
    path = write(
        tmp_path,
        "deep.jsonld",
        '{"@id": "http://example.org/a", "http://example.org/p": ' + "[" * 100_000 + "]" * 100_000 + "}",
    )
    with pytest.raises(UnsafeInputError, match="nesting too deep"):
        load([path])


def test_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, "bom.ttl", b"\xef\xbb\xbf" + GOOD.encode())
    assert load([path]).triples == 1


def test_latin1_is_an_encoding_error_with_byte_offset(tmp_path):
    content = GOOD + 'ex:a ex:label "Garc\xeda" .\n'
    path = write(tmp_path, "latin1.ttl", content.encode("latin-1"))
    with pytest.raises(EncodingError) as caught:
        load([path])
    offset = content.encode("latin-1").index(b"\xed")
    assert f"{path}:3:" in str(caught.value)
    assert f"byte {offset}" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('"literal" <http://example.org/p> <http://example.org/o> .\n', ParseError),
        ("<http://example.org/a b> <http://example.org/p> <http://example.org/o> .\n", ParseError),
        ("<javascript:alert(1)> <http://example.org/p> <http://example.org/o> .\n", UnsafeInputError),
        ("<http://example.org/a> <http://example.org/p> <file:///etc/passwd> .\n", UnsafeInputError),
        ("<relative> <http://example.org/p> <http://example.org/o> .\n", ParseError),
    ],
    ids=["literal-subject", "iri-with-space", "javascript-iri", "file-iri", "relative-iri"],
)
def test_bad_terms_are_rejected_with_file(tmp_path, content, expected):
    path = write(tmp_path, "terms.ttl", content)
    with pytest.raises(expected) as caught:
        load([path])
    assert str(path) in str(caught.value)


def test_no_file_iri_of_this_machine_enters_the_data(corpus):
    for quad in corpus.store:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            assert not getattr(term, "value", "").startswith("file:")


def test_json_ld_remote_context_is_refused_and_nothing_is_opened(tmp_path):
    path = write(
        tmp_path,
        "remote.jsonld",
        json.dumps({"@context": "http://example.org/context.jsonld", "@id": "http://example.org/a", "name": "x"}),
    )
    local = write(
        tmp_path,
        "local.jsonld",
        json.dumps({"@context": ["file:///etc/passwd"], "@id": "http://example.org/a", "name": "x"}),
    )
    events: list[tuple[str, tuple]] = []

    def audit(event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request") or (
            event == "open" and args and "passwd" in str(args[0])
        ):
            events.append((event, args))

    sys.addaudithook(audit)
    for doc in (path, local):
        with pytest.raises(UnsafeInputError, match="never fetches"):
            load([doc])
    assert events == []


def test_rdf_xml_doctype_is_refused_at_once(tmp_path):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};">' for i in range(10))
        + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    path = write(tmp_path, "bomb.rdf", bomb)
    started = time.perf_counter()
    with pytest.raises(UnsafeInputError, match="DOCTYPE") as caught:
        load([path])
    assert time.perf_counter() - started < 5  # a guard against hanging, not a benchmark
    assert f"{path}:2:" in str(caught.value)


def test_same_blank_node_label_in_two_files_stays_two_nodes(tmp_path):
    a = write(tmp_path, "a.ttl", "_:x <http://example.org/p> <http://example.org/o1> .\n")
    b = write(tmp_path, "b.ttl", "_:x <http://example.org/p> <http://example.org/o2> .\n")
    corpus = load([a, b])
    assert len({q.subject for q in corpus.store}) == 2


def test_oversized_input_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, "big.ttl", GOOD * 100)
    with pytest.raises(InputTooLargeError) as caught:
        load([path], max_bytes=100)
    assert "--max-bytes" in str(caught.value) and "100 bytes" in str(caught.value)


def test_oversized_limit_from_environment(tmp_path, monkeypatch, run_cli):
    path = write(tmp_path, "big.ttl", GOOD * 100)
    monkeypatch.setenv("COCAGRAPH_MAX_BYTES", "50")
    result = run_cli("info", "--graph", str(path))
    assert result.code == 2 and "COCAGRAPH_MAX_BYTES" in result.err


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load([tmp_path / "missing.ttl"])
    odd = write(tmp_path, "graph.txt", GOOD)
    with pytest.raises(InputError, match="unknown RDF format"):
        load([odd])


def test_folders_are_read_in_sorted_order(tmp_path):
    for name in ("b.ttl", "a.ttl", "c.nt"):
        write(tmp_path, name, "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    assert [f.path.name for f in load([tmp_path]).files] == ["a.ttl", "b.ttl", "c.nt"]


def test_default_load_is_the_ontology_and_shipped_graphs(corpus):
    names = [f.path.name for f in corpus.files]
    assert "psg-peru-coca.ttl" in names and "cocagraph.ttl" in names and "shapes.ttl" in names


def test_escaped_iri_cannot_hide_its_scheme(tmp_path):
    escaped = "<http://example.org/a> <http://example.org/p> <\\u0066ile:///etc/passwd> .\n"
    path = write(tmp_path, "escaped.ttl", escaped)
    with pytest.raises(UnsafeInputError, match="file:///etc/passwd"):
        load([path])


def test_refused_iri_names_the_line(tmp_path):
    path = write(tmp_path, "js.ttl", GOOD + "ex:a ex:p <javascript:alert(1)> .\n")
    with pytest.raises(UnsafeInputError) as caught:
        load([path])
    assert str(caught.value).startswith(f"{path}:3:")


def test_large_files_are_announced_to_progress_and_small_ones_are_not(tmp_path, monkeypatch):
    monkeypatch.setenv("COCAGRAPH_CACHE", "off")
    small = write(tmp_path, "small.ttl", GOOD)
    big = tmp_path / "big.nt"
    big.write_text(
        "".join(f"<http://example.org/s{i}> <http://example.org/p> <http://example.org/o> .\n" for i in range(20_000)),
        encoding="utf-8",
    )
    messages: list[str] = []
    load([small, big], progress=messages.append)
    assert messages == [f"reading big.nt ({big.stat().st_size / 1e6:.1f} MB)"]


def test_commands_stay_quiet_on_stderr_when_not_on_a_terminal(run_cli):
    result = run_cli("info")
    assert result.code == 0 and result.err == ""


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        (
            "q.trig",
            "_:x <http://example.org/p> <http://example.org/o1> .\n",
            "_:x <http://example.org/p> <http://example.org/o2> .\n",
        ),
        (
            "q.nq",
            "_:x <http://example.org/p> <http://example.org/o1> <http://example.org/g> .\n",
            "_:x <http://example.org/p> <http://example.org/o2> <http://example.org/g> .\n",
        ),
        (
            "q.jsonld",
            '{"@id": "_:x", "http://example.org/p": {"@id": "http://example.org/o1"}}',
            '{"@id": "_:x", "http://example.org/p": {"@id": "http://example.org/o2"}}',
        ),
    ],
)
def test_blank_nodes_stay_apart_across_files_in_every_format(tmp_path, name, first, second):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    corpus = load([write(a, name, first), write(b, name, second)])
    assert len({q.subject for q in corpus.store}) == 2


def test_a_file_cannot_write_into_another_files_graph(tmp_path):
    evil = write(
        tmp_path,
        "evil.trig",
        f"<{GRAPH_BASE}psg-peru-coca> {{ <http://example.org/a> <http://example.org/p> <http://example.org/o> }}}}\n",
    )
    with pytest.raises(UnsafeInputError, match="reserved"):
        load([evil])


def test_a_folder_without_rdf_files_is_an_error_and_suffixes_ignore_case(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no RDF files in this folder"):
        load([empty])
    upper = tmp_path / "upper"
    upper.mkdir()
    write(upper, "A.TTL", GOOD)
    assert load([upper]).triples == 1


def test_json_ld_relative_ids_and_deep_nesting_are_refused(tmp_path):
    relative = write(tmp_path, "rel.jsonld", '{"@context": {"@vocab": "http://example.org/"}, "@id": "foo", "p": 1}')
    with pytest.raises(UnsafeInputError, match="relative IRI"):
        load([relative])
    deep = '{"@id": "http://example.org/n0", "http://example.org/p": ' * 300 + '"x"' + "}" * 300
    with pytest.raises(UnsafeInputError, match="nesting too deep"):
        load([write(tmp_path, "deep-named.jsonld", deep)])


def test_parse_errors_name_the_line_once(tmp_path):
    bad = write(
        tmp_path,
        "bad.nt",
        "<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n"
        "<http://example.org/a> <http://example.org/p> .\n",
    )
    with pytest.raises(ParseError) as caught:
        load([bad])
    assert str(caught.value).startswith(f"{bad}:2:") and "line 2" not in str(caught.value)


def test_ill_typed_literals_leave_stderr_clean(tmp_path):
    import subprocess
    import sys

    bad = write(
        tmp_path,
        "baddec.ttl",
        '<http://example.org/a> <http://example.org/p> "abc"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
    )
    done = subprocess.run(
        [sys.executable, "-m", "cocagraph", "validate", "--graph", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "'abc' is not a valid xsd:decimal" in done.stdout
    assert done.stderr == ""


# -- issue 12: non-regular files, huge terms, every term checked -------------------------------


def _fifo(tmp_path: Path, name: str) -> Path:
    import os

    path = tmp_path / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "fifo-in-folder"])
def test_a_file_that_is_not_regular_is_refused_at_once_naming_it(tmp_path, run_cli, kind):
    if kind == "fifo":
        path = _fifo(tmp_path, "f.ttl")
    elif kind == "dev-zero-link":
        path = tmp_path / "zero.ttl"
        path.symlink_to("/dev/zero")
    else:
        (tmp_path / "graphs").mkdir()
        write(tmp_path / "graphs", "a.ttl", GOOD)
        _fifo(tmp_path / "graphs", "b.ttl")
        path = tmp_path / "graphs"
    started = time.monotonic()
    result = run_cli("info", "--graph", str(path))
    assert result.code == 2
    assert "not a regular file" in result.err and str(path) in result.err
    assert result.err.count("\n") == 1
    assert time.monotonic() - started < 30  # not a timing assertion: a hang would never get here


def test_a_loop_of_links_says_loop(tmp_path, run_cli):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.symlink_to(b)
    b.symlink_to(a)
    result = run_cli("info", "--graph", str(a))
    assert result.code == 2 and "loop" in result.err


def test_a_fifo_source_text_sheet_or_query_is_refused(tmp_path, run_cli, article_path):
    fifo = _fifo(tmp_path, "fifo.txt")
    assert "not a regular file" in run_cli("verify-quotes", "--source", str(fifo)).err
    rq = _fifo(tmp_path, "q.rq")
    result = run_cli("sparql", str(rq))
    assert result.code == 2 and "not a regular file" in result.err
    sheet = _fifo(tmp_path, "sheet.yaml")
    result = run_cli("compile", str(sheet), "--source", str(article_path))
    assert result.code == 2 and "not a regular file" in result.err


def test_a_term_over_the_parsers_buffer_is_an_input_error_naming_the_file(tmp_path, run_cli):
    big = "x" * (17 * 1024 * 1024)
    for name, content in (
        ("lit.ttl", f'<http://a/s> <http://a/p> "{big}" .\n'),
        ("iri.nt", f"<http://a/s> <http://a/p> <http://a/{big}> .\n"),
    ):
        path = write(tmp_path, name, content)
        result = run_cli("info", "--graph", str(path))
        assert result.code == 2, result.err
        assert str(path) in result.err and "16 MiB" in result.err


def test_a_json_ld_number_of_5000_digits_is_not_an_internal_error(tmp_path, run_cli):
    path = write(tmp_path, "num.jsonld", '{"@id": "http://a/s", "http://a/p": ' + "9" * 5000 + "}")
    result = run_cli("info", "--graph", str(path))
    assert result.code in (0, 2), result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "comment-escape.trig",
            "# \\u0020\n<http://a/g> { <http://a/s> <http://a/p> <file:///etc/passwd> . }\n",
        ),
        ("js-in-graph.trig", "<http://a/g> { <http://a/s> <http://a/p> <javascript:alert(1)> . }\n"),
        ("datatype.ttl", '<http://a/s> <http://a/p> "x"^^<\\u0066ile:///etc/passwd> .\n'),
        ("datatype-plain.nt", '<http://a/s> <http://a/p> "x"^^<file:///etc/passwd> .\n'),
        ("graph-name.nq", "<http://a/s> <http://a/p> <http://a/o> <file:///etc/passwd> .\n"),
        ("graph-name.trig", "<file:///etc/passwd> { <http://a/s> <http://a/p> <http://a/o> . }\n"),
        (
            "triple-term.ttl",
            "<http://a/s> <http://a/p> <<( <http://a/x> <http://a/y> <file:///etc/passwd> )>> .\n",
        ),
        (
            "nested-triple-term.ttl",
            "<http://a/s> <http://a/p> <<( <http://a/x> <http://a/y> "
            "<<( <http://a/x> <http://a/y> <javascript:x> )>> )>> .\n",
        ),
        (
            "graph.jsonld",
            json.dumps({"@id": "http://a/g", "@graph": [{"@id": "file:///etc/passwd", "http://a/p": "x"}]}),
        ),
        (
            "type.jsonld",
            json.dumps({"@id": "http://a/s", "http://a/p": {"@value": "x", "@type": "file:///etc/passwd"}}),
        ),
        (
            "datatype.rdf",
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://a/">\n<rdf:Description rdf:about="http://a/s">'
            '<ex:p rdf:datatype="file:///etc/passwd">x</ex:p></rdf:Description>\n</rdf:RDF>\n',
        ),
    ],
)
def test_every_term_of_every_quad_is_checked_for_its_scheme(tmp_path, name, content):
    path = write(tmp_path, name, content)
    with pytest.raises(UnsafeInputError, match="refused") as caught:
        load([path])
    assert str(path) in str(caught.value)
