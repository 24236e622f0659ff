"""B1 import: events per second and peak memory of ``escgraph import gdelt``, side by
side with the two alternatives on the same synthetic GDELT export.

- **ours**: ``escgraph import gdelt FILE --store DIR`` into a fresh embedded store, run
  as a child process (wall time from start to exit, interpreter start-up included).
- **plain rdflib** (the naive approach): the very quads our importer wrote, read from
  an N-Quads dump (parsed by pyoxigraph, so rdflib is not charged for parsing) and added
  one triple at a time to an in-memory ``rdflib.Graph``. Only up to 100k events: it is
  slow and memory-hungry.
- **ceiling**: ``pyoxigraph.Store.bulk_load`` of that same N-Quads dump into a fresh
  on-disk store -- the store's own raw loading speed, which our import can approach
  but not beat (it also reads CSV, builds records and maps them).

Each child's peak memory is its own ``ru_maxrss`` (``os.wait4``). Every path must load
the same number of events, or the benchmark fails.

The store built by the last run of ours is kept as ``bench/out/store-SIZE`` for B2 and B3.

Run: ``python -m bench.b1_import --sizes 10k,100k,1m --runs 3``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from bench.common import GIB, OUT, ChildRun, escgraph, fresh_dir, markdown_table, run_child, save, summary
from bench.generate_gdelt import SIZES, ensure_export
from graph.namespaces import ESC
from graph.store import EmbeddedStore

__all__ = ["count_events", "dump_nquads", "ensure_store", "import_store", "main", "measure", "report", "run",
           "store_path"]

RDFLIB_MAX = SIZES["100k"]
_COUNT = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{ESC.Event}> }}"


def store_path(size: str) -> Path:
    """The store that B1 keeps for B2 and B3."""
    return OUT / f"store-{size}"


def import_store(export: Path, target: Path, *, timeout: float = 1800) -> ChildRun:
    """Import ``export`` into a fresh store at ``target`` with the command line; the
    measured run."""
    fresh_dir(target)
    return run_child([escgraph(), "import", "gdelt", str(export), "--store", str(target)], timeout=timeout) \
        .check(f"escgraph import gdelt {export.name}")


def ensure_store(size: str) -> Path:
    """The kept store of ``size``, imported once if B1 has not left one."""
    path = store_path(size)
    if not EmbeddedStore(path).exists():
        partial = OUT / f"store-{size}.partial"
        import_store(ensure_export(size), partial)
        shutil.rmtree(path, ignore_errors=True)
        partial.rename(path)
    return path


def count_events(store: EmbeddedStore | ox.Store) -> int:
    """Distinct ``esc:Event`` subjects, over the union of the named graphs."""
    if isinstance(store, EmbeddedStore):
        return int(store.select(_COUNT).rows[0][0].value)
    return int(next(iter(store.query(_COUNT, use_default_graph_as_union=True)))["n"].value)


def dump_nquads(store: Path, target: Path) -> Path:
    """Every quad of the embedded store at ``store`` as N-Quads in ``target``."""
    with open(target, "wb") as out:
        EmbeddedStore(store).dump(out, ox.RdfFormat.N_QUADS)
    return target


def _rdflib_child(nquads: str) -> dict[str, object]:
    """Add the dump's triples one by one to an in-memory rdflib Graph (runs in a child)."""
    import rdflib
    from rdflib.namespace import RDF

    start = time.perf_counter()
    graph = rdflib.Graph()
    add = graph.add
    nodes: dict[str, rdflib.URIRef] = {}

    def node(term):
        if isinstance(term, ox.NamedNode):
            found = nodes.get(term.value)
            if found is None:
                found = nodes[term.value] = rdflib.URIRef(term.value)
            return found
        if isinstance(term, ox.BlankNode):
            return rdflib.BNode(term.value)
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=node(term.datatype))

    for quad in ox.parse(path=nquads, format=ox.RdfFormat.N_QUADS):
        add((node(quad.subject), node(quad.predicate), node(quad.object)))
    seconds = time.perf_counter() - start
    events = len(set(graph.subjects(RDF.type, rdflib.URIRef(ESC.Event))))
    return {"seconds_inside": seconds, "events": events, "triples": len(graph)}


def _ceiling_child(nquads: str, target: str) -> dict[str, object]:
    """Bulk-load the dump into a fresh on-disk pyoxigraph store (runs in a child)."""
    start = time.perf_counter()
    store = ox.Store(target)
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - start
    return {"seconds_inside": seconds, "events": count_events(store), "quads": len(store)}


def _child(kind: str, *args: str, timeout: float) -> tuple[object, dict[str, object]]:
    run = run_child([sys.executable, "-m", "bench.b1_import", f"--{kind}-child", *args], timeout=timeout) \
        .check(f"B1 {kind}")
    return run, json.loads(run.stdout)


def measure(export: Path, *, work: Path, keep: Path | None = None, runs: int = 3,
            rdflib_runs: int | None = None, timeout: float = 1800) -> dict[str, object]:
    """Import ``export`` by the three paths, ``runs`` times each, in scratch folders under
    ``work``; keep our last store at ``keep`` if given.

    Raises
    ------
    RuntimeError
        If a path fails, or the paths load different numbers of events.
    """
    work.mkdir(parents=True, exist_ok=True)
    scratch = work / "b1-store"
    ours, memory = [], []
    for _ in range(runs):
        child = import_store(export, scratch, timeout=timeout)
        ours.append(child.seconds)
        memory.append(child.max_rss)
    store = EmbeddedStore(scratch)
    events, quads = count_events(store), len(store)
    with open(export, "rb") as lines:
        rows = sum(1 for _ in lines)
    nquads = dump_nquads(scratch, work / "b1-quads.nq")
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        scratch.rename(keep)
    else:
        shutil.rmtree(scratch, ignore_errors=True)

    ceiling, ceiling_memory = [], []
    for _ in range(runs):
        target = fresh_dir(work / "b1-ceiling")
        child, info = _child("ceiling", str(nquads), str(target), timeout=timeout)
        if info["events"] != events or info["quads"] != quads:
            raise RuntimeError(f"B1 {export.name}: the bulk load holds {info['events']} events / {info['quads']} "
                               f"quads, our import {events} / {quads}")
        ceiling.append(child.seconds)
        ceiling_memory.append(child.max_rss)
    shutil.rmtree(work / "b1-ceiling", ignore_errors=True)

    entry: dict[str, object] = {
        "rows": rows, "events": events, "quads": quads, "export_bytes": export.stat().st_size,
        "ours": {**summary(ours), "max_rss": max(memory), "events_per_s": events / float(np.median(ours))},
        "ceiling": {**summary(ceiling), "max_rss": max(ceiling_memory),
                    "events_per_s": events / float(np.median(ceiling))},
    }
    entry["share_of_ceiling"] = entry["ceiling"]["median"] / entry["ours"]["median"]
    if rows <= RDFLIB_MAX:
        naive, naive_memory = [], []
        for _ in range(rdflib_runs or runs):
            child, info = _child("rdflib", str(nquads), timeout=timeout)
            if info["events"] != events:
                raise RuntimeError(f"B1 {export.name}: rdflib holds {info['events']} events, our import {events}")
            naive.append(child.seconds)
            naive_memory.append(child.max_rss)
        entry["rdflib"] = {**summary(naive), "max_rss": max(naive_memory), "triples": info["triples"],
                           "events_per_s": events / float(np.median(naive))}
        entry["speedup_vs_rdflib"] = entry["rdflib"]["median"] / entry["ours"]["median"]
    nquads.unlink()
    return entry


def run(sizes: list[str], *, runs: int = 3, rdflib_runs: int | None = None, timeout: float = 1800) -> dict:
    """Measure every path at every size of :data:`~bench.generate_gdelt.SIZES`; keep the
    stores for B2 and B3."""
    results = []
    for size in sizes:
        entry = {"size": size, **measure(ensure_export(size), work=OUT, keep=store_path(size), runs=runs,
                                         rdflib_runs=rdflib_runs, timeout=timeout)}
        results.append(entry)
        print(report({"sizes": [entry]}), file=sys.stderr)
    return {"benchmark": "B1 import", "runs": runs, "sizes": results}


def _row(size: str, path: str, measured: dict, ratio: str) -> list[str]:
    return [size, path, f"{measured['median']:.2f}", f"{measured['events_per_s']:,.0f}",
            f"{measured['max_rss'] / GIB:.2f}", ratio]


def report(result: dict) -> str:
    """The results as a markdown table."""
    rows = []
    for e in result["sizes"]:
        rows.append(_row(e["size"], "escgraph import gdelt", e["ours"], "1"))
        if "rdflib" in e:
            rows.append(_row(e["size"], "plain rdflib Graph.add", e["rdflib"],
                             f"ours {e['speedup_vs_rdflib']:.1f}x faster"))
        rows.append(_row(e["size"], "pyoxigraph bulk_load (ceiling)", e["ceiling"],
                         f"ours at {e['share_of_ceiling']:.0%} of it"))
    return markdown_table(["events", "path", "median s", "events/s", "peak GiB", "ratio"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B1: import speed and memory against rdflib and the bulk-load ceiling")
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: " + ",".join(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rdflib-runs", type=int, help="runs of the (slow) rdflib path; default --runs")
    parser.add_argument("--name", default="b1", help="results file: bench/out/results/NAME.json")
    parser.add_argument("--rdflib-child", nargs=1, help=argparse.SUPPRESS)
    parser.add_argument("--ceiling-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rdflib_child:
        print(json.dumps(_rdflib_child(*args.rdflib_child)))
        return 0
    if args.ceiling_child:
        print(json.dumps(_ceiling_child(*args.ceiling_child)))
        return 0
    result = run(args.sizes.split(","), runs=args.runs, rdflib_runs=args.rdflib_runs)
    print(report(result))
    print(f"results: {save(args.name, result)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
