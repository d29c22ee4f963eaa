"""The SPARQL endpoint against Oxigraph's own server, on the same generated corpus, in the same run.

Baseline: ``oxigraph serve-read-only`` (the binary of the ``oxigraph`` PyPI package) on a store
loaded from the same N-Triples file that ``cocagraph serve --graph`` reads. The load generator
is Python on loopback (raw sockets, HTTP/1.1 keep-alive, several client processes), bounded in
requests and in seconds; both servers get the very same requests from it. Both servers run at
once and are measured in turn (five load runs each, order alternating; heavy queries one
request to each in turn), so that load from elsewhere on a shared machine falls on both.

Measured:
- cheap queries (``ASK {}``): throughput (as seconds per request, so the ratio is ours /
  Oxigraph's throughput; target >= 0.25x) and cocagraph's p99 latency (target < 20 ms);
- heavy queries (a group-by, a text filter): median latency of sequential requests (ratio
  Oxigraph / ours; target >= 0.77x, i.e. within 1.3x of Oxigraph);
- a slow query running meanwhile: cheap-query p99 while a cross product runs on the same
  server (target < 20 ms: a slow query never blocks cheap ones);
- the command line (``run_query``, a fork per query) against the engine's own time in the same
  process (target: within 1.3x of the engine + 50 ms).

    python benchmarks/bench_serve.py                    # 1M triples
    python benchmarks/bench_serve.py --triples 20000    # a smoke run
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Measurement, cocagraph_argv, corpus_file

PREFIXES = "PREFIX cg: <https://w3id.org/cocagraph/ns#> PREFIX oa: <http://www.w3.org/ns/oa#> "
CHEAP = "ASK {}"
HEAVY = {
    "group-by": PREFIXES + "SELECT ?polarity (COUNT(?c) AS ?n) WHERE { ?c a cg:CausalClaim ; cg:polarity ?polarity } "
    "GROUP BY ?polarity ORDER BY ?polarity",
    "text filter": PREFIXES + 'SELECT (COUNT(?q) AS ?n) WHERE { ?s oa:exact ?q FILTER(CONTAINS(?q, "coca violence")) }',
}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise SystemExit("oxigraph's server is missing: pip install -e '.[test]' (the oxigraph package)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[Any], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server never listened")


@contextmanager
def _server(argv: list[str], port: int) -> Iterator[None]:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------- the load generator


def _request(path: str, query: str) -> bytes:
    target = f"{path}?query={urllib.parse.quote(query)}"
    return (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n\r\n").encode()


def _fill(sock: socket.socket, buffer: bytearray, until: int | bytes) -> None:
    # Read until the buffer holds ``until`` bytes, or holds the separator ``until``.
    while (len(buffer) < until) if isinstance(until, int) else (until not in buffer):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk


def _read_response(sock: socket.socket, buffer: bytearray) -> int:
    """Read one response (Content-Length or chunked) off ``sock``; its status."""
    _fill(sock, buffer, b"\r\n\r\n")
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end])
    del buffer[: end + 4]
    status = int(head.split(b" ", 2)[1])
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip().lower()
    if fields.get(b"transfer-encoding") == b"chunked":
        while True:
            _fill(sock, buffer, b"\r\n")
            end = buffer.index(b"\r\n")
            size = int(bytes(buffer[:end]).split(b";")[0], 16)
            del buffer[: end + 2]
            _fill(sock, buffer, size + 2)
            del buffer[: size + 2]
            if size == 0:
                return status
    length = int(fields.get(b"content-length", b"0"))
    _fill(sock, buffer, length)
    del buffer[:length]
    return status


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _client(port: int, request: bytes, count: int, seconds: float, out: Any) -> None:
    latencies: list[float] = []
    errors = 0
    try:
        sock = _connect(port)
        buffer = bytearray()
        stop = time.perf_counter() + seconds
        for _ in range(count):
            start = time.perf_counter()
            if start > stop:
                break
            try:
                sock.sendall(request)
                ok = _read_response(sock, buffer) == 200
            except OSError:  # a dropped connection is a failed request; go on with a new one
                ok = False
                sock.close()
                sock, buffer = _connect(port), bytearray()
            errors += not ok
            latencies.append(time.perf_counter() - start)
        sock.close()
    finally:
        out.put((latencies, errors))


def load(port: int, path: str, query: str, *, clients: int, count: int, seconds: float) -> dict[str, float]:
    """Requests per second and latency percentiles from ``clients`` keep-alive connections."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    request = _request(path, query)
    workers = [context.Process(target=_client, args=(port, request, count, seconds, out)) for _ in range(clients)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    results = [out.get(timeout=seconds + 120) for _ in workers]
    elapsed = time.perf_counter() - started
    for w in workers:
        w.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    if errors > len(latencies) // 100:
        raise SystemExit(f"{errors} of {len(latencies)} requests failed on port {port}")
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "n": len(latencies),
    }


def latency(port: int, path: str, query: str, runs: int) -> float:
    """Median latency of ``runs`` sequential requests (one connection)."""
    times = []
    sock = socket.create_connection(("127.0.0.1", port))
    buffer = bytearray()
    request = _request(path, query)
    for _ in range(runs):
        start = time.perf_counter()
        sock.sendall(request)
        status = _read_response(sock, buffer)
        times.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"{query[:40]}...: HTTP {status} on port {port}")
    sock.close()
    return statistics.median(times)


def _during_slow(port: int, path: str, seconds: float) -> dict[str, float]:
    # A slow query on its own connection, then cheap ones from others while it runs.
    def slow() -> None:
        # Cut by the server's time limit, or by its stop: either is fine here.
        with contextlib.suppress(OSError, SystemExit):
            latency(port, path, SLOW, 1)

    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    time.sleep(0.3)
    result = load(port, path, CHEAP, clients=2, count=2000, seconds=seconds)
    return result


# --------------------------------------------------------------------------- the command line


def cli_overhead(path: Path, runs: int) -> list[tuple[str, float, float]]:
    """(query, engine's own seconds, run_query seconds) on the loaded corpus, in this process;
    the two are timed in turn, run after run, so that load from elsewhere falls on both."""
    from cocagraph.loading import load as load_graphs
    from cocagraph.sparql import run_query

    corpus = load_graphs([path])
    rows = []
    for name, query in HEAVY.items():
        engine, ours = [], []
        for _ in range(runs):
            engine += _timed(lambda q=query: list(corpus.store.query(q, use_default_graph_as_union=True)), 1)
            ours += _timed(lambda q=query: run_query(corpus, q, max_rows=None, timeout=600), 1)
        rows.append((name, statistics.median(engine), statistics.median(ours)))
    return rows


def _timed(fn: Any, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# --------------------------------------------------------------------------- the whole


def measure(path: Path, *, seconds: float, runs: int, clients: int, rounds: int = 5) -> dict[str, Any]:
    """Both servers up at once, measured in turn (``rounds`` load runs each, order alternating;
    heavy queries one request to each in turn), so that load from elsewhere on a shared machine
    falls on both alike; medians."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        location = Path(folder) / "oxigraph"
        subprocess.run(
            [_oxigraph(), "load", "--location", str(location), "--file", str(path)],
            check=True,
            capture_output=True,
        )
        oxi_port, our_port = _free_port(), _free_port()
        oxi = [_oxigraph(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{oxi_port}"]
        # No --timeout-s: with it Oxigraph 0.5.13 starts a thread per query and, under this load,
        # aborts when one cannot be made ("failed to set up alternative stack guard page").
        oxi += ["--union-default-graph"]
        ours = cocagraph_argv("serve", "--graph", str(path), "--port", str(our_port), "--timeout", "10")
        ours += ["--max-rows", "0"]
        servers = {"oxigraph": (oxi_port, "/query"), "cocagraph": (our_port, "/sparql")}
        with _server(oxi, oxi_port), _server(ours, our_port):
            for port, url_path in servers.values():
                latency(port, url_path, CHEAP, 20)  # warm up
            cheap: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
            for turn in range(rounds):
                for name in list(servers)[:: 1 if turn % 2 == 0 else -1]:
                    port, url_path = servers[name]
                    cheap[name].append(load(port, url_path, CHEAP, clients=clients, count=20_000, seconds=seconds))
            heavy: dict[str, dict[str, list[float]]] = {name: {q: [] for q in HEAVY} for name in servers}
            for query, text in HEAVY.items():
                for _ in range(runs):
                    for name, (port, url_path) in servers.items():
                        heavy[name][query].append(latency(port, url_path, text, 1))
            for name, (port, url_path) in servers.items():
                figures[name] = {
                    "cheap": {key: statistics.median(run[key] for run in cheap[name]) for key in ("rps", "p50", "p99")},
                    "cheap runs": [run["rps"] for run in cheap[name]],
                    **{q: statistics.median(heavy[name][q]) for q in HEAVY},
                    "during slow": _during_slow(port, url_path, seconds),
                }
    figures["cli"] = cli_overhead(path, runs)
    return figures


def _spread(values: list[float]) -> str:
    return f"{min(values):,.0f}-{max(values):,.0f}/s"


def _measurements(figures: dict[str, Any], label: str) -> list[Measurement]:
    ours, oxi = figures["cocagraph"], figures["oxigraph"]
    rows = [
        Measurement(
            "serve",
            f"ASK {{}} throughput, {ours['cheap']['rps']:,.0f}/s vs {oxi['cheap']['rps']:,.0f}/s ({label}; "
            f"median of {len(ours['cheap runs'])} runs each, in turn; ours {_spread(ours['cheap runs'])}, "
            f"Oxigraph's {_spread(oxi['cheap runs'])})",
            1 / ours["cheap"]["rps"],
            "oxigraph serve-read-only",
            1 / oxi["cheap"]["rps"],
            ">= 0.25x",
        ),
        Measurement(
            "serve",
            f"ASK {{}} p99 latency ({label})",
            ours["cheap"]["p99"],
            "oxigraph serve-read-only",
            oxi["cheap"]["p99"],
            "ours < 20 ms",
        ),
    ]
    for query in HEAVY:
        rows.append(
            Measurement(
                "serve", f"{query} latency ({label})", ours[query], "oxigraph serve-read-only", oxi[query], ">= 0.77x"
            )
        )
    rows.append(
        Measurement(
            "serve",
            f"ASK {{}} p99 while a slow query runs ({label})",
            ours["during slow"]["p99"],
            "oxigraph serve-read-only",
            oxi["during slow"]["p99"],
            "ours < 20 ms",
        )
    )
    for query, engine, run in figures["cli"]:
        rows.append(
            Measurement(
                "serve",
                f"CLI run_query, {query} ({label}); target {1.3 * engine + 0.05:.3f} s",
                run,
                "the engine in-process",
                engine,
                "ours <= 1.3x engine + 50 ms",
            )
        )
    return rows


def run(quick: bool = False) -> list[Measurement]:
    """The suite's entry (benchmarks/run.py)."""
    triples = 20_000 if quick else 1_000_000
    figures = measure(corpus_file(triples), seconds=1 if quick else 4, runs=3 if quick else 7, clients=4)
    return _measurements(figures, f"{triples:,} triples")


def main(argv: list[str] | None = None) -> int:
    from common import format_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each load run")
    parser.add_argument("--runs", type=int, default=7, help="sequential requests per heavy query (median)")
    parser.add_argument("--clients", type=int, default=4, help="client processes of the load generator")
    args = parser.parse_args(argv)
    figures = measure(corpus_file(args.triples), seconds=args.seconds, runs=args.runs, clients=args.clients)
    print(format_table(_measurements(figures, f"{args.triples:,} triples")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
