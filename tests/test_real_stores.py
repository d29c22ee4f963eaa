"""Real stores, not one: ``cocagraph serve`` (the read side), the Oxigraph server and OpenLink
Virtuoso, each started and stopped here on loopback. After ``push`` (where the store takes
writes) every ``--endpoint`` verb must give the embedded engine's answer.

Virtuoso is Debian's ``virtuoso-opensource`` (``apt-get install virtuoso-opensource``); it gets
its own ``virtuoso.ini`` in a temporary folder with both ports on 127.0.0.1, and
``GRANT SPARQL_UPDATE TO "SPARQL"`` through ``isql-vt`` so that its Graph Store
(``/sparql-graph-crud``) takes the push. Each store's test skips, saying how to get it, when the
store is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from cocagraph.sparql import list_bundled
from helpers import ROOT

pytestmark = [pytest.mark.server, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the store exited ({process.returncode}) before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the store did not answer at {url}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _serve(tmp: Path):
    log = (tmp / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cocagraph", "serve", "--port", "0", "--max-rows", "0", "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
    )
    url = process.stdout.readline().strip()
    assert url.endswith("/sparql"), url
    return process, url, None, log


def _oxigraph(tmp: Path):
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/query?query=ASK%7B%7D", process)
    return process, base + "/query", base + "/store", None


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 10
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}/vsp
ServerThreads = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def _virtuoso(tmp: Path):
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.skip("OpenLink Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    folder = tmp / "virtuoso"
    (folder / "vsp").mkdir(parents=True)
    sql, http = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql=sql, http=http), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-f", "-c", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        _wait_for(base + "/sparql?query=ASK%7B%7D", process)
        grant = subprocess.run(
            [isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert grant.returncode == 0, grant.stdout + grant.stderr
    except BaseException:
        _stop(process)
        raise
    return process, base + "/sparql", base + "/sparql-graph-crud", None


@pytest.fixture(scope="module", params=["cocagraph-serve", "oxigraph", "virtuoso"])
def store(request):
    """(query URL, Graph Store URL or None) of a running store holding the shipped graphs."""
    tmp = Path(tempfile.mkdtemp())
    start = {"cocagraph-serve": _serve, "oxigraph": _oxigraph, "virtuoso": _virtuoso}[request.param]
    try:
        process, query_url, store_url, log = start(tmp)
        try:
            yield request.param, query_url, store_url
        finally:
            _stop(process)
            if process.stdout is not None:
                process.stdout.close()
            if log is not None:
                log.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def pushed(store, corpus):
    name, query_url, store_url = store
    if store_url is not None:
        from cocagraph.remote import push_corpus

        first = push_corpus(corpus, store_url)
        assert all(200 <= p.status < 300 for p in first)
        push_corpus(corpus, store_url)  # pushing twice changes nothing
    return name, query_url


def _concat_cells_sorted(csv_text: str) -> list[list[str]]:
    """CSV rows with each GROUP_CONCAT cell's parts sorted: SPARQL leaves their order to the
    engine (Virtuoso joins them in another order than Oxigraph), not the parts themselves."""
    import csv
    import io
    import re

    return [
        [" | ".join(sorted(re.split(r" \| |, ", cell))) for cell in row]
        for row in csv.reader(io.StringIO(csv_text, newline=""))
    ]


def test_every_bundled_query_answers_as_the_embedded_engine(pushed, run_cli):
    name, query_url = pushed
    for query in list_bundled():
        local = run_cli("sparql", query.name, "--format", "csv")
        remote = run_cli("sparql", query.name, "--format", "csv", "--endpoint", query_url)
        assert remote.code == 0, (name, query.name, remote.err)
        if "GROUP_CONCAT" in query.text and name == "virtuoso":
            assert _concat_cells_sorted(remote.out) == _concat_cells_sorted(local.out), (name, query.name)
        else:
            assert remote.out == local.out, (name, query.name)


@pytest.mark.parametrize(
    "args",
    [
        ("claims-by-theme", "--param", "theme=violence", "--format", "json"),
        ("evidence", "--param", "claim=wedge-needed", "--cite", "--format", "csv"),
        ("SELECT ?c ?label WHERE { ?c a cg:RecommendationClaim ; rdfs:label ?label } ORDER BY ?c", "--format", "tsv"),
        ("ASK { ?c a cg:CausalClaim }", "--format", "json"),
    ],
)
def test_sparql_with_parameters_citations_and_forms(pushed, run_cli, args):
    name, query_url = pushed
    local = run_cli("sparql", *args)
    remote = run_cli("sparql", *args, "--endpoint", query_url)
    assert remote.code == 0, (name, remote.err)
    assert remote.out == local.out, name


def test_construct_gives_the_same_triples(pushed, run_cli):
    name, query_url = pushed
    args = ("CONSTRUCT { ?c a cg:RecommendationClaim } WHERE { ?c a cg:RecommendationClaim }", "--format", "ntriples")
    local = run_cli("sparql", *args)
    remote = run_cli("sparql", *args, "--endpoint", query_url)
    assert remote.code == 0, (name, remote.err)
    assert sorted(remote.out.splitlines()) == sorted(local.out.splitlines()) and local.out.strip()


@pytest.mark.parametrize(
    "args",
    [
        ("paths", "coca production", "political violence"),
        ("drivers", "political violence"),
        ("loops",),
        ("explain", "Shining Path's funding"),
        ("paths", "coca production", "political violence", "--source", "psg-peru-coca"),
    ],
)
def test_the_causal_verbs_answer_as_the_embedded_engine(pushed, run_cli, args):
    name, query_url = pushed
    local = run_cli(*args, "--format", "json")
    remote = run_cli(*args, "--format", "json", "--endpoint", query_url)
    assert local.code == 0, local.err
    assert remote.code == 0, (name, remote.err)
    if args[0] == "explain":  # only the causal projection comes from a store: compare what both know
        local_json, remote_json = json.loads(local.out), json.loads(remote.out)
        assert remote_json["iri"] == local_json["iri"] and remote_json["label"] == local_json["label"]
    else:
        assert json.loads(remote.out) == json.loads(local.out), name
