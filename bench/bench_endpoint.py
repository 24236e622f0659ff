"""B5 endpoint: throughput and p50/p99 latency of ``escgraph serve`` under concurrent clients
on loopback, against a baseline in the same run.

A fixed number of requests (``--requests``, default 960) is shared out among ``--clients``
(default 32) client threads, each with its own keep-alive connection; every client cycles
through the same four SPARQL queries (a small SELECT, the who-said named query's text, an
ASK and a COUNT over every triple) and checks each answer. The same load then goes to:

- the baseline: Oxigraph's own HTTP server (``oxigraph serve-read-only``, from the
  ``oxigraph`` package on PyPI: the same engine in Rust, but no worker processes, so a
  runaway query cannot be stopped) over the very same store generation -- when the
  ``oxigraph`` command is installed;
- ``escgraph serve`` with a single client, for how far concurrency scales.

Everything stays on 127.0.0.1 and stops by itself; each server runs in a child process
and is stopped at the end. Results go to ``bench/out/results/b5_endpoint.json`` and a
Markdown table is printed.

Run: ``python -m bench.bench_endpoint`` (``--clients 32 --requests 960`` are the defaults).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np

from bench.common import markdown_table, save
from graph.namespaces import PREFIXES
from graph.pipeline import build
from graph.queries import named_queries
from graph.store import EmbeddedStore

__all__ = ["MIX", "load", "main"]

_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
# Every query declares its prefixes, so both servers get the very same text.
MIX = {
    "actor keys": _PROLOGUE + "SELECT ?key ?name WHERE { ?a esc:actorKey ?key ; skos:prefLabel ?name } LIMIT 50",
    "who-said": None,  # the named query's text, filled in at run time
    "ask": _PROLOGUE + "ASK { ?s esc:actorKey 'russia' }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _server(command: list[str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(probe, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(url: str, *, clients: int, requests: int) -> dict[str, object]:
    """Send ``requests`` queries from ``clients`` threads to the SPARQL endpoint ``url``;
    the throughput, latency percentiles and error count."""
    queries = list(MIX.values())
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]

    def client(index: int) -> tuple[list[float], int]:
        latencies, errors = [], 0
        with httpx.Client(timeout=120, headers={"Accept": "application/sparql-results+json"}) as http:
            for i in range(per_client[index]):
                query = queries[(index + i) % len(queries)]
                start = time.perf_counter()
                response = http.post(url, data={"query": query})
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200 or not response.json():
                    errors += 1
        return latencies, errors

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    wall = time.perf_counter() - start
    latencies = np.array([value for values, _ in results for value in values])
    return {"clients": clients, "requests": int(latencies.size), "seconds": round(wall, 3),
            "throughput": round(latencies.size / wall, 1),
            "p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 1),
            "p99_ms": round(float(np.percentile(latencies, 99)) * 1000, 1),
            "errors": sum(errors for _, errors in results)}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=960)
    parser.add_argument("--workers", type=int, default=None, help="escgraph serve --workers (default: its own)")
    parser.add_argument("--store", type=Path, help="a built store to serve (default: the seed case, built fresh)")
    args = parser.parse_args(argv)
    MIX["who-said"] = _PROLOGUE + named_queries()["who-said"].text

    with tempfile.TemporaryDirectory(prefix="b5-") as scratch:
        store_path = args.store or Path(scratch) / "store"
        if args.store is None:
            build(EmbeddedStore(store_path), None)
        generation = store_path / (store_path / "CURRENT").read_text(encoding="ascii").strip()
        runs: dict[str, dict[str, object]] = {}

        port = _free_port()
        serve = [sys.executable, "-m", "graph", "serve", "--store", str(store_path), "--port", str(port)]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        url = f"http://127.0.0.1:{port}/sparql"
        with _server(serve, url):
            load(url, clients=4, requests=40)  # warm the workers
            runs["escgraph serve"] = load(url, clients=args.clients, requests=args.requests)
            runs["escgraph serve, 1 client"] = load(url, clients=1, requests=max(args.requests // 8, 40))

        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        if Path(oxigraph).exists():
            port = _free_port()
            url = f"http://127.0.0.1:{port}/query"
            command = [oxigraph, "serve-read-only", "--location", str(generation), "--bind", f"127.0.0.1:{port}",
                       "--union-default-graph", "--timeout-s", "10"]
            with _server(command, url):
                load(url, clients=4, requests=40)
                runs["oxigraph serve-read-only"] = load(url, clients=args.clients, requests=args.requests)

    base = runs["escgraph serve"]
    rows = [[name, r["clients"], r["requests"], r["throughput"], r["p50_ms"], r["p99_ms"], r["errors"]]
            for name, r in runs.items()]
    print(markdown_table(["server", "clients", "requests", "requests/s", "p50 ms", "p99 ms", "errors"], rows))
    ratios = {"escgraph 32 clients / 1 client (throughput)":
              base["throughput"] / runs["escgraph serve, 1 client"]["throughput"]}
    if "oxigraph serve-read-only" in runs:
        ratios["escgraph / oxigraph (throughput)"] = base["throughput"] / runs["oxigraph serve-read-only"]["throughput"]
    for what, ratio in ratios.items():
        print(f"{what}: {ratio:.2f}")
    result = {"runs": runs, "ratios": {k: round(v, 3) for k, v in ratios.items()}, "mix": list(MIX)}
    print(f"saved {save('b5_endpoint', result)}")
    return result


if __name__ == "__main__":
    main()
