"""Run every benchmark (B1 import, B2 tit-for-tat, B3 named queries) in one command.

``python -m bench.run_all`` runs the full suite: B1 at 10k, 100k and 1M events, B2 at
1M (and the SPARQL engines at 10k), B3 on the 1M store -- one to two hours on 2 cores.
``python -m bench.run_all --quick`` runs all three at 10k events (SPARQL engines at
2k) in a few minutes. Results go to ``bench/out/results/*.json`` and one markdown
summary, ``bench/out/summary.md``, with the machine and the command behind each table.
B4 (views) and B5 (endpoint) have their own scripts.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time

from bench import b1_import, b2_tit_for_tat, b3_named_queries
from bench.common import OUT, machine, save

__all__ = ["main"]

_QUICK = {"b1": ["--sizes", "10k", "--runs", "3"],
          "b2": ["--size", "10k", "--sparql-size", "2k", "--runs", "5"],
          "b3": ["--size", "10k", "--runs", "10"]}
_FULL = {"b1": ["--sizes", "10k,100k,1m", "--runs", "3", "--rdflib-runs", "3"],
         "b2": ["--size", "1m", "--sparql-size", "10k", "--runs", "5"],
         "b3": ["--size", "1m", "--runs", "10"]}
_MODULES = {"b1": b1_import, "b2": b2_tit_for_tat, "b3": b3_named_queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run benchmarks B1-B3 and write bench/out/summary.md")
    parser.add_argument("--quick", action="store_true", help="small sizes (10k events): a few minutes")
    parser.add_argument("--only", default="b1,b2,b3", help="comma-separated subset of b1,b2,b3")
    args = parser.parse_args(argv)
    plan = _QUICK if args.quick else _FULL
    suffix = "-quick" if args.quick else ""
    sections = []
    for key in args.only.split(","):
        module = _MODULES[key]
        options = [*plan[key], "--name", key + suffix]
        command = f"python -m {module.__name__} {shlex.join(options)}"
        print(f"== {command}", file=sys.stderr)
        start = time.perf_counter()
        if module.main(options) != 0:
            return 1
        result = json.loads((OUT / "results" / f"{key}{suffix}.json").read_text(encoding="utf-8"))
        sections.append(f"### {result['benchmark']}\n\n`{command}` ({time.perf_counter() - start:.0f} s, "
                        f"load average at the end {result['machine']['load_average']})\n\n{module.report(result)}\n")
    info = machine()
    header = (f"## Results{' (quick)' if args.quick else ''}\n\n"
              f"Machine: {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}; Python {info['python']}; "
              + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + f"; commit {info['commit']}.\n")
    summary = OUT / f"summary{suffix}.md"
    summary.write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    save(f"run_all{suffix}", {"summary": str(summary)})
    print(f"summary: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
