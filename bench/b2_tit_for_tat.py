"""B2 tit-for-tat at scale: every action-reaction pair within 14 days, by our analytics
and by the tools an analyst would use instead, with the pair counts checked equal.

A **pair** is as :func:`graph.analytics.action_reaction_pairs` defines it: two hostile
acts (CAMEO QuadClass 4), the response's agent and target the stimulus's target and
agent (each counted as the top of its ``esc:actsFor`` chain, the two sides different),
the response not the stimulus, and a lag from 0 to the window in days -- on fuzzy dates,
the range (response earliest - stimulus latest, response latest - stimulus earliest)
meets [0, window]; on day-precision dates (all of GDELT) that is 0 <= lag <= window.
One pair per stimulus, response and dyad.

The paths, side by side in one run:

- **ours**: :func:`graph.analytics.action_reaction_pairs` on the store B1 built, end to
  end: its SPARQL pull of the hostile acts, the roll-up of actors, the numpy join;
- **DuckDB**: the same range join in SQL over the *same rows*: the hostile acts with
  their rolled-up sides, pulled from the store by this benchmark's own SPARQL query
  (:data:`HOSTILE_ROWS`, timed apart as "pull") and handed to DuckDB as columns.
  DuckDB's time is the join with the pairs fetched as numpy arrays;
- **SPARQL engines**, at a small size only (the join does not scale): the named query
  ``tit-for-tat.rq`` and :data:`PAIRS_SPARQL` (the same pairs, in the join order that
  suits rdflib best) on Oxigraph, the store's own engine; :data:`PAIRS_SPARQL` on an
  in-memory rdflib ``Dataset`` holding the store's quads (rdflib cannot run
  ``tit-for-tat.rq``: its ``GROUP_CONCAT(DISTINCT ...)`` of an unbound OPTIONAL variable
  raises ``NotBoundError``); and :data:`PAIRS_BY_DYAD_SPARQL`, which joins two
  sub-selects on the dyad, the shape a fast ``tit-for-tat.rq`` could take.

Every count must be the same, or the benchmark fails.

Run: ``python -m bench.b2_tit_for_tat --size 1m --sparql-size 10k``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from bench.b1_import import dump_nquads, ensure_store
from bench.common import OUT, markdown_table, run_child, save, summary
from bench.generate_gdelt import SIZES
from graph.namespaces import PREFIXES
from graph.queries import named_queries
from graph.sparql_text import with_values
from graph.store import EmbeddedStore, Table

__all__ = ["HOSTILE_ROWS", "PAIRS_BY_DYAD_SPARQL", "PAIRS_SPARQL", "TARGET_RATIO", "TARGET_SECONDS", "WINDOW",
           "HostileRows", "compare_engines", "duckdb_pairs", "hostile_rows", "main", "report", "run",
           "sparql_pairs"]

WINDOW = 14
TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0

_PREAMBLE = f"PREFIX esc: <{PREFIXES['esc']}>\n"

# The hostile acts with the top of each side's esc:actsFor chain: DuckDB's input.
HOSTILE_ROWS = _PREAMBLE + """
SELECT ?act ?x ?y ?earliest ?latest WHERE {
  ?act esc:cameoCode ?code ;
       esc:agent ?agent ;
       esc:target ?target ;
       esc:earliest ?earliest ;
       esc:latest ?latest .
  ?code esc:quadClass 4 .
  ?agent esc:actsFor* ?x .
  FILTER NOT EXISTS { ?x esc:actsFor ?x_up }
  ?target esc:actsFor* ?y .
  FILTER NOT EXISTS { ?y esc:actsFor ?y_up }
  FILTER(?x != ?y)
}"""


def _day_number(date: str, name: str) -> str:
    """SPARQL binding ``?name`` to the day number of ``?date`` (a Julian day count from
    YEAR/MONTH/DAY, as ``tit-for-tat.rq`` computes it). Date arithmetic is not portable:
    date + "PnD"^^xsd:dayTimeDuration gives no value in Oxigraph 0.5 for most n, and the
    xsd:dateTime cast Oxigraph needs is missing from rdflib."""
    return (f"  BIND(FLOOR((14 - MONTH(?{date})) / 12) AS ?{name}_a)\n"
            f"  BIND(YEAR(?{date}) + 4800 - ?{name}_a AS ?{name}_y)\n"
            f"  BIND(DAY(?{date}) + FLOOR((153 * (MONTH(?{date}) + 12 * ?{name}_a - 3) + 2) / 5) + 365 * ?{name}_y"
            f" + FLOOR(?{name}_y / 4) - FLOOR(?{name}_y / 100) + FLOOR(?{name}_y / 400) AS ?{name})\n")


_LAG = "  FILTER(?response != ?stimulus && ?rl - ?se >= 0 && ?re - ?sl <= ?window)\n"

# The pairs in one flat query, ordered so that each pattern finds its subject or object
# bound (rdflib evaluates in about this order; Oxigraph plans its own).
PAIRS_SPARQL = _PREAMBLE + """
SELECT DISTINCT ?stimulus ?response ?x ?y WHERE {
  ?s_code esc:quadClass 4 .
  ?stimulus esc:cameoCode ?s_code ;
            esc:agent ?s_agent ;
            esc:target ?s_target .
  ?s_agent esc:actsFor* ?x .
  ?s_target esc:actsFor* ?y .
  ?r_agent esc:actsFor* ?y .
  ?response esc:agent ?r_agent ;
            esc:target ?r_target .
  ?r_target esc:actsFor* ?x .
  ?response esc:cameoCode ?r_code .
  ?r_code esc:quadClass 4 .
  ?stimulus esc:earliest ?s_earliest ;
            esc:latest ?s_latest .
  ?response esc:earliest ?r_earliest ;
            esc:latest ?r_latest .
  FILTER(?x != ?y)
  FILTER NOT EXISTS { ?x esc:actsFor ?x_up }
  FILTER NOT EXISTS { ?y esc:actsFor ?y_up }
""" + "".join(_day_number(d, n) for d, n in (("s_earliest", "se"), ("s_latest", "sl"), ("r_earliest", "re"),
                                             ("r_latest", "rl"))) + _LAG + "}"


def _side(act: str, agent_side: str, target_side: str, first: str, last: str) -> str:
    return (f"  {{ SELECT ?{act} ?{agent_side} ?{target_side} ?{first} ?{last} WHERE {{\n"
            f"    ?{act} esc:cameoCode ?code ; esc:agent ?agent ; esc:target ?target ;\n"
            f"         esc:earliest ?earliest ; esc:latest ?latest .\n"
            f"    ?code esc:quadClass 4 .\n"
            f"    ?agent esc:actsFor* ?{agent_side} .\n"
            f"    FILTER NOT EXISTS {{ ?{agent_side} esc:actsFor ?agent_up }}\n"
            f"    ?target esc:actsFor* ?{target_side} .\n"
            f"    FILTER NOT EXISTS {{ ?{target_side} esc:actsFor ?target_up }}\n"
            f"    FILTER(?{agent_side} != ?{target_side})\n"
            + _day_number("earliest", first) + _day_number("latest", last) + "  } }\n")


# The pairs as a join of two sub-selects on the dyad: each hostile act is rolled up and
# dated once, and the engine hash-joins acts X->Y with acts Y->X.
PAIRS_BY_DYAD_SPARQL = (_PREAMBLE + "SELECT DISTINCT ?stimulus ?response ?x ?y WHERE {\n"
                        + _side("stimulus", "x", "y", "se", "sl") + _side("response", "y", "x", "re", "rl")
                        + _LAG + "}")

_QUERIES = {
    "tit-for-tat.rq": lambda: named_queries()["tit-for-tat"].text,
    "pairs query": lambda: PAIRS_SPARQL,
    "pairs by dyad": lambda: PAIRS_BY_DYAD_SPARQL,
}
_ENGINES = {"oxigraph": tuple(_QUERIES), "rdflib": ("pairs query",)}


def sparql_pairs(which: str, window: int = WINDOW) -> str:
    """The text of one of the SPARQL pair queries, with ``?window`` bound.

    Examples
    --------
    >>> "VALUES (?window)" in sparql_pairs("pairs by dyad", 14)
    True
    """
    integer = ox.NamedNode(PREFIXES["xsd"] + "integer")
    return with_values(_QUERIES[which](), {"window": ox.Literal(str(int(window)), datatype=integer)})


class HostileRows:
    """Hostile acts as integer columns: ``act``, ``x`` (agent side), ``y`` (target side),
    ``earliest`` and ``latest`` (day numbers)."""

    def __init__(self, table: Table):
        acts: dict[str, int] = {}
        actors: dict[str, int] = {}
        columns: list[list[int]] = [[], [], [], [], []]
        for act, x, y, earliest, latest in table.rows:
            columns[0].append(acts.setdefault(act.value, len(acts)))
            columns[1].append(actors.setdefault(x.value, len(actors)))
            columns[2].append(actors.setdefault(y.value, len(actors)))
            columns[3].append(dt.date.fromisoformat(earliest.value).toordinal())
            columns[4].append(dt.date.fromisoformat(latest.value).toordinal())
        self.act, self.x, self.y, self.earliest, self.latest = (np.asarray(c, dtype=np.int64) for c in columns)
        self.unique_acts = len(acts) == len(self.act)

    def __len__(self) -> int:
        return len(self.act)


def hostile_rows(store: EmbeddedStore) -> HostileRows:
    """Pull the hostile acts from ``store`` with :data:`HOSTILE_ROWS`."""
    return HostileRows(store.select(HOSTILE_ROWS))


def duckdb_pairs(rows: HostileRows, *, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Every pair by DuckDB's range join: (stimulus rows, response rows) of ``rows``.

    Examples
    --------
    >>> rows = HostileRows(Table(["act", "x", "y", "earliest", "latest"], []))
    >>> [len(a) for a in duckdb_pairs(rows)]
    [0, 0]
    """
    import duckdb

    con = duckdb.connect()
    con.register("h", {"row": np.arange(len(rows)), "act": rows.act, "x": rows.x, "y": rows.y,
                       "earliest": rows.earliest, "latest": rows.latest})
    # One pair per stimulus, response and dyad: rows are unique by (act, x, y), so a pair
    # of rows is one pair unless an act is on two rows with the same sides -- which the
    # SPARQL DISTINCT of the pull already rules out.
    result = con.execute("""
        SELECT s.row AS stimulus, r.row AS response
        FROM h AS s JOIN h AS r
          ON r.x = s.y AND r.y = s.x
         AND r.latest >= s.earliest
         AND r.earliest <= s.latest + $window
        WHERE r.act <> s.act""", {"window": int(window)}).fetchnumpy()
    con.close()
    return result["stimulus"], result["response"]


def _ours(store: EmbeddedStore, window: int) -> int:
    from graph.analytics import action_reaction_pairs

    return len(action_reaction_pairs(store, window=window))


def _rdflib_child(nquads: str, window: int) -> dict[str, object]:
    """Load the quads into an rdflib Dataset (its default graph the union), run the
    queries rdflib can run (in a child process)."""
    import rdflib

    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    out: dict[str, object] = {"load": time.perf_counter() - start}
    for which in _ENGINES["rdflib"]:
        start = time.perf_counter()
        pairs = {tuple(str(term) for term in row) for row in dataset.query(sparql_pairs(which, window))}
        out[which] = {"seconds": time.perf_counter() - start, "pairs": len(pairs)}
    return out


def _oxigraph_child(store: str, window: int, which: str) -> dict[str, object]:
    """Run one query on the embedded store (in a child process)."""
    start = time.perf_counter()
    table = EmbeddedStore(store).select(sparql_pairs(which, window))
    columns = [table.variables.index(v) for v in ("stimulus", "response")]
    sides = [table.variables.index(v) for v in (("actor", "responder") if which == "tit-for-tat.rq" else ("x", "y"))]
    pairs = {tuple(row[i].value for i in columns + sides) for row in table.rows}
    return {"seconds": time.perf_counter() - start, "pairs": len(pairs)}


def compare_engines(path: Path, *, runs: int = 3, window: int = WINDOW, timeout: float = 1800,
                    work: Path = OUT, label: str = "") -> dict[str, object]:
    """Pair counts and times of ours, DuckDB and the SPARQL engines on the store at
    ``path``. An engine that takes longer than ``timeout`` seconds is reported as such.

    Raises
    ------
    RuntimeError
        If two engines that finished disagree on the number of pairs.
    """
    store = EmbeddedStore(path)
    ours, duck = [], []
    for _ in range(runs):
        start = time.perf_counter()
        count_ours = _ours(store, window)
        ours.append(time.perf_counter() - start)
        rows = hostile_rows(store)
        start = time.perf_counter()
        count_duck = len(duckdb_pairs(rows, window=window)[0])
        duck.append(time.perf_counter() - start)
    entry: dict[str, object] = {"size": label, "ours": summary(ours), "duckdb": summary(duck),
                                "pairs": {"ours": count_ours, "duckdb": count_duck}, "timeout": timeout}
    for which in _ENGINES["oxigraph"]:
        child = run_child([sys.executable, "-m", "bench.b2_tit_for_tat", "--oxigraph-child", str(path), str(window),
                           which], timeout=timeout)
        name = f"oxigraph {which}"
        if child.timed_out:
            entry[name] = {"finished": False}
            continue
        info = json.loads(child.check(f"B2 Oxigraph {which}").stdout)
        entry[name] = {"finished": True, **info}
        entry["pairs"][name] = info["pairs"]
    nquads = dump_nquads(path, work / f"b2-quads-{label or 'store'}.nq")
    try:
        child = run_child([sys.executable, "-m", "bench.b2_tit_for_tat", "--rdflib-child", str(nquads),
                           str(window)], timeout=timeout)
    finally:
        nquads.unlink()
    if child.timed_out:
        entry["rdflib pairs query"] = {"finished": False}
    else:
        info = json.loads(child.check("B2 rdflib").stdout)
        entry["rdflib load"] = info["load"]
        entry["rdflib pairs query"] = {"finished": True, **info["pairs query"]}
        entry["pairs"]["rdflib pairs query"] = info["pairs query"]["pairs"]
    if len(set(entry["pairs"].values())) != 1:
        raise RuntimeError(f"B2 {label}: the engines disagree on the number of pairs: {entry['pairs']}")
    return entry


def run(size: str, *, sparql_size: str | None = "10k", runs: int = 5, window: int = WINDOW,
        sparql_timeout: float = 1800) -> dict:
    """Ours against DuckDB at ``size``, and every engine at ``sparql_size``.

    Raises
    ------
    RuntimeError
        If any two counts differ.
    """
    store = EmbeddedStore(ensure_store(size))
    ours, pull, duck = [], [], []
    counts: dict[str, int] = {}
    for _ in range(runs):
        start = time.perf_counter()
        counts["ours"] = _ours(store, window)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = hostile_rows(store)
        pull.append(time.perf_counter() - start)
        start = time.perf_counter()
        stimulus, _ = duckdb_pairs(rows, window=window)
        duck.append(time.perf_counter() - start)
        counts["duckdb"] = len(stimulus)
        del rows, stimulus
        if counts["ours"] != counts["duckdb"]:
            raise RuntimeError(f"B2 {size}: our analytics found {counts['ours']} pairs, DuckDB {counts['duckdb']}")
    result: dict[str, object] = {
        "benchmark": "B2 tit-for-tat", "size": size, "events": SIZES[size], "window": window,
        "target_seconds": TARGET_SECONDS, "target_ratio": TARGET_RATIO, "pairs": counts["ours"],
        "ours": summary(ours), "pull": summary(pull), "duckdb": summary(duck),
    }
    result["ratio_vs_duckdb_join"] = result["ours"]["median"] / result["duckdb"]["median"]
    result["ratio_vs_pull_and_duckdb"] = result["ours"]["median"] / (result["pull"]["median"]
                                                                     + result["duckdb"]["median"])
    if sparql_size:
        result["sparql"] = compare_engines(ensure_store(sparql_size), runs=runs, window=window,
                                           timeout=sparql_timeout, label=sparql_size)
    return result


def report(result: dict) -> str:
    """The results as a markdown table."""
    size, pairs = result["size"], result["pairs"]
    rows = [
        [size, "ours: `action_reaction_pairs(store)` (pull + roll-up + join)", f"{result['ours']['median']:.2f}",
         f"{pairs:,}", "1"],
        [size, "DuckDB range join on the same rows (join + fetch)", f"{result['duckdb']['median']:.2f}", f"{pairs:,}",
         f"ours takes {result['ratio_vs_duckdb_join']:.2f}x DuckDB's time"],
        [size, "SPARQL pull of those rows, for DuckDB", f"{result['pull']['median']:.2f}", "",
         f"ours takes {result['ratio_vs_pull_and_duckdb']:.2f}x pull + DuckDB"],
    ]
    sparql = result.get("sparql")
    if sparql:
        n = sparql["pairs"]["ours"]
        at = sparql["size"]
        ours = sparql["ours"]["median"]
        rows.append([at, "ours", f"{ours:.3f}", f"{n:,}", "1"])
        rows.append([at, "DuckDB (join + fetch)", f"{sparql['duckdb']['median']:.3f}", f"{n:,}", ""])
        for name, label in (("oxigraph tit-for-tat.rq", "Oxigraph SPARQL, named query `tit-for-tat.rq`"),
                            ("oxigraph pairs query", "Oxigraph SPARQL, pairs query (flat join)"),
                            ("oxigraph pairs by dyad", "Oxigraph SPARQL, pairs by dyad (two sub-selects)"),
                            ("rdflib pairs query", "rdflib SPARQL, pairs query (flat join)")):
            e = sparql[name]
            if e["finished"]:
                rows.append([at, label, f"{e['seconds']:.2f}", f"{e['pairs']:,}",
                             f"{e['seconds'] / ours:,.0f}x ours"])
            else:
                rows.append([at, label, f"> {sparql['timeout']:.0f}", "", "did not finish"])
    return markdown_table(["events", "path", "median s", "pairs", "ratio"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B2: tit-for-tat pairs against DuckDB and SPARQL engines")
    parser.add_argument("--size", default="1m", choices=list(SIZES))
    parser.add_argument("--sparql-size", default="10k", help="size for the SPARQL engines ('' to skip)")
    parser.add_argument("--sparql-timeout", type=float, default=1800)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--window", type=int, default=WINDOW)
    parser.add_argument("--name", default="b2", help="results file: bench/out/results/NAME.json")
    parser.add_argument("--rdflib-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--oxigraph-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rdflib_child:
        print(json.dumps(_rdflib_child(args.rdflib_child[0], int(args.rdflib_child[1]))))
        return 0
    if args.oxigraph_child:
        store, window, which = args.oxigraph_child
        print(json.dumps(_oxigraph_child(store, int(window), which)))
        return 0
    result = run(args.size, sparql_size=args.sparql_size or None, runs=args.runs, window=args.window,
                 sparql_timeout=args.sparql_timeout)
    print(report(result))
    print(f"results: {save(args.name, result)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
