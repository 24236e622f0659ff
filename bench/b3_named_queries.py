"""B3 named queries: median and p95 latency of every ``ontology/queries/*.rq`` on the
store that B1 built (1M GDELT events by default), with the seed case built in beside them.

Each query runs with its default parameters and, where it has actor parameters, once
more with them set (``actor``/``a`` = Russia, ``b`` = Ukraine: the busiest dyad of the
synthetic data). A latency is what a Python caller waits for: :func:`graph.queries.run_named`
from the call to the last row in a :class:`~graph.store.Table`.

Each (query, parameters) case runs in its own child process: one cold run (reported
apart), then up to ``--runs`` warm runs, stopping early once ``--budget`` seconds are
spent; the child is killed after ``--timeout`` seconds, and such a query is reported as
not finishing. The target is a median under one second for every case.

Run: ``python -m bench.b3_named_queries --size 1m``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.b1_import import ensure_store
from bench.common import OUT, markdown_table, run_child, save, summary
from bench.generate_gdelt import SIZES
from graph.pipeline import build
from graph.queries import named_queries, run_named
from graph.store import EmbeddedStore

__all__ = ["ACTOR_VALUES", "TARGET_SECONDS", "cases", "main", "report", "run", "store_with_case"]

SEED_CASE = Path(__file__).resolve().parent.parent / "data" / "drone-strikes-2023"

TARGET_SECONDS = 1.0
# Values of actor parameters: the two sides of the busiest synthetic dyad.
ACTOR_VALUES = {"actor": "Russia", "a": "Russia", "b": "Ukraine"}


def cases() -> list[tuple[str, dict[str, str]]]:
    """(query name, parameters) for every named query: its defaults, and its actor
    parameters set when it has any."""
    out = []
    for name, query in named_queries().items():
        out.append((name, {}))
        actors = {p.name: ACTOR_VALUES.get(p.name, "Russia") for p in query.parameters if p.type == "actor"}
        if actors:
            out.append((name, actors))
    return out


def _child(store: str, name: str, params: str, runs: int, budget: float) -> dict[str, object]:
    """Run one case repeatedly against the store (runs in a child process)."""
    store_ = EmbeddedStore(store)
    values = json.loads(params)
    start = time.perf_counter()
    rows = len(run_named(store_, name, values))
    cold = time.perf_counter() - start
    warm: list[float] = []
    spent = cold
    while len(warm) < runs and spent < budget:
        start = time.perf_counter()
        count = len(run_named(store_, name, values))
        elapsed = time.perf_counter() - start
        if count != rows:
            raise RuntimeError(f"{name}: {count} rows on a warm run, {rows} on the cold one")
        warm.append(elapsed)
        spent += elapsed
    return {"rows": rows, "cold": cold, "warm": warm}


def store_with_case(size: str) -> Path:
    """B1's store of ``size`` with the seed case built in too, so that the queries about
    statements have statements to find (a copy: B1's store is left as it is)."""
    path = OUT / f"store-{size}-with-seed"
    if not EmbeddedStore(path).exists():
        partial = OUT / f"store-{size}-with-seed.partial"
        shutil.rmtree(partial, ignore_errors=True)
        # Hard links: a write never changes a generation's files, it makes a new generation.
        shutil.copytree(ensure_store(size), partial, copy_function=os.link)
        build(EmbeddedStore(partial), [SEED_CASE])
        partial.rename(path)
    return path


def run(size: str, *, runs: int = 10, budget: float = 30.0, timeout: float = 120.0) -> dict:
    """Measure every case on the store of ``size`` with the seed case (imported and built
    first if B1 left no store)."""
    store = store_with_case(size)
    results = []
    for name, params in cases():
        child = run_child([sys.executable, "-m", "bench.b3_named_queries", "--child", str(store), name,
                           json.dumps(params), str(runs), str(budget)], timeout=timeout)
        entry: dict[str, object] = {"query": name, "params": params}
        if child.timed_out:
            entry.update(finished=False, timeout=timeout, max_rss=child.max_rss)
        elif child.returncode != 0:
            lines = child.stderr.strip().splitlines() or ["no message"]
            entry.update(finished=False, error=lines[-1])
        else:
            info = json.loads(child.stdout)
            samples = info["warm"] or [info["cold"]]
            entry.update(finished=True, rows=info["rows"], cold=info["cold"], max_rss=child.max_rss,
                         **summary(samples))
            entry["meets_target"] = entry["median"] < TARGET_SECONDS
        results.append(entry)
        print(report({"queries": [entry]}).splitlines()[-1], file=sys.stderr)
    return {"benchmark": "B3 named queries", "size": size, "events": SIZES[size], "target_seconds": TARGET_SECONDS,
            "queries": results}


def report(result: dict) -> str:
    """The results as a markdown table."""
    rows = []
    for e in result["queries"]:
        params = " ".join(f"{k}={v}" for k, v in e["params"].items()) or "(defaults)"
        if "error" in e:
            rows.append([e["query"], params, "-", "-", "-", "-", "-", f"no: failed ({e['error']})"])
            continue
        if not e["finished"]:
            rows.append([e["query"], params, "-", f"> {e['timeout']:.0f}", "-", "-", "-", "no: did not finish"])
            continue
        rows.append([e["query"], params, f"{e['rows']:,}", f"{e['cold']:.3f}", f"{e['median']:.3f}",
                     f"{e['p95']:.3f}", e["runs"], "yes" if e["meets_target"] else "no"])
    return markdown_table(["query", "parameters", "rows", "cold s", "median s", "p95 s", "runs", "< 1 s"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B3: latency of every named query on a large GDELT store")
    parser.add_argument("--size", default="1m", choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=10, help="warm runs per case (after one cold run)")
    parser.add_argument("--budget", type=float, default=30.0, help="stop a case's warm runs after this many seconds")
    parser.add_argument("--timeout", type=float, default=120.0, help="kill a case after this many seconds")
    parser.add_argument("--name", default="b3", help="results file: bench/out/results/NAME.json")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        store, name, params, runs, budget = args.child
        print(json.dumps(_child(store, name, params, int(runs), float(budget))))
        return 0
    result = run(args.size, runs=args.runs, budget=args.budget, timeout=args.timeout)
    print(report(result))
    print(f"results: {save(args.name, result)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
