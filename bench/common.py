"""What every benchmark shares: the machine it ran on, child processes measured for time
and peak memory, medians, and the results files.

Examples
--------
>>> summary([3.0, 1.0, 2.0])["median"]
2.0
>>> run = run_child([sys.executable, "-c", "print('hi')"])
>>> run.returncode, run.stdout.strip(), run.seconds > 0, run.max_rss > 0
(0, 'hi', True, True)
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["OUT", "REPO", "ChildRun", "escgraph", "fresh_dir", "machine", "markdown_table", "run_child", "save",
           "summary"]

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
GIB = 1024**3


def escgraph() -> str:
    """The ``escgraph`` command of the interpreter running the benchmarks."""
    beside = Path(sys.executable).with_name("escgraph")
    return str(beside) if beside.exists() else shutil.which("escgraph") or "escgraph"


def machine() -> dict[str, object]:
    """Cores, memory, CPU model, Python, the versions of the libraries measured, and how
    busy the machine is."""
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    memory = 0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="utf-8") as f:
        memory = next((int(line.split()[1]) * 1024 for line in f if line.startswith("MemTotal:")), 0)
    versions = {}
    for name in ("escalation-graph", "pyoxigraph", "rdflib", "numpy", "duckdb"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    commit = None
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(memory / GIB, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "commit": commit,
        # Other work on the machine skews every figure: the 1, 5 and 15-minute load averages.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def summary(samples: list[float]) -> dict[str, object]:
    """Median, 95th percentile (linear interpolation: with few runs it is near the
    slowest), minimum and the samples themselves."""
    values = np.asarray(samples, dtype=float)
    return {
        "median": float(np.median(values)),
        "p95": float(np.percentile(values, 95)),
        "min": float(values.min()),
        "runs": len(values),
        "samples": [round(float(v), 6) for v in values],
    }


@dataclass
class ChildRun:
    """One measured child process: wall seconds, peak resident memory in bytes (the
    child's own ``ru_maxrss``), exit status and output."""

    seconds: float
    max_rss: int
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    def check(self, what: str) -> ChildRun:
        """Fail loudly when the child failed or timed out."""
        if self.timed_out:
            raise RuntimeError(f"{what}: did not finish in time")
        if self.returncode != 0:
            raise RuntimeError(f"{what}: exit status {self.returncode}\n{self.stderr[-4000:]}")
        return self


# Runs the measured command and reports its resource usage. It is a small process of its
# own because Linux carries the RSS of the process that spawned a child into the child's
# ``ru_maxrss`` (the parent's memory is counted until ``exec``): spawned straight from a
# benchmark that holds a store, every child would look at least as large as the benchmark.
_MEASURE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    json.dump({"seconds": seconds, "max_rss": usage.ru_maxrss * 1024,
               "returncode": os.waitstatus_to_exitcode(status)}, f)
"""


def run_child(argv: list[str], *, timeout: float | None = None, env: dict[str, str] | None = None) -> ChildRun:
    """Run ``argv`` and measure it: wall seconds from spawn to exit, and its own peak
    resident memory (``os.wait4``, so earlier children's peaks do not mix in, as they
    would with ``RUSAGE_CHILDREN``). A child still running after ``timeout`` seconds is
    killed with its process group and marked ``timed_out``."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        report = Path(scratch) / "usage.json"
        with open(Path(scratch) / "out", "w+", encoding="utf-8") as out, \
                open(Path(scratch) / "err", "w+", encoding="utf-8") as err:
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-c", _MEASURE, str(report), *argv], stdout=out, stderr=err,
                                       env=env, start_new_session=True)
            try:
                process.wait(timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                timed_out = True
            wall = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if timed_out or not report.exists():
            return ChildRun(wall, 0, process.returncode or -9, stdout, stderr, timed_out)
        usage = json.loads(report.read_text(encoding="utf-8"))
        return ChildRun(usage["seconds"], usage["max_rss"], usage["returncode"], stdout, stderr)


def fresh_dir(path: Path) -> Path:
    """``path`` emptied (removed if it exists); its parent created."""
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def save(name: str, result: dict[str, object]) -> Path:
    """Write ``result`` (with the machine) to ``bench/out/results/NAME.json``."""
    path = OUT / "results" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine(), **result}, indent=2) + "\n", encoding="utf-8")
    return path


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub markdown table.

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [[1, "x"]]))
    | a | b |
    |---|---|
    | 1 | x |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
