"""Run the reliability suite and print the figures of ``RELIABILITY.md`` as Markdown.

Usage (from the repository root)::

    python tests/reliability_report.py            # runs tests/test_reliability_*.py, prints the tables
    python tests/reliability_report.py --junit report.xml   # reads a run already made

Every figure comes from the run: the tests add to counters (the ``tally`` fixture of
``tests/conftest.py``) that pytest writes into its JUnit XML as test
properties; this script sums them. A failed test is counted as a crash, a lost record or
a connection -- whichever it guards -- and named; a known bug in another module is an
``xfail(strict=True)`` test, listed with its reason.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["main", "summarise"]

REPO = Path(__file__).resolve().parent.parent


def _run(junit: Path) -> int:
    tests = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests").glob("test_reliability_*.py"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family=legacy",
               f"--junitxml={junit}", *tests]
    return subprocess.run(command, cwd=REPO, check=False).returncode


def summarise(junit: Path) -> dict:
    """The counters, outcomes and known bugs of a JUnit XML report.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "r.xml"
    >>> _ = path.write_text('<testsuites><testsuite><testcase classname="tests.test_reliability_yaml" name="t">'
    ...                     '<properties><property name="bad inputs: curated YAML" value="2"/></properties>'
    ...                     '</testcase></testsuite></testsuites>', encoding="utf-8")
    >>> s = summarise(path)
    >>> s["counts"]["bad inputs: curated YAML"], s["outcomes"]["passed"]
    (2, 1)
    """
    counts: collections.Counter = collections.Counter()
    outcomes: collections.Counter = collections.Counter()
    failures: list[str] = []
    known: list[tuple[str, str]] = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        for prop in case.iter("property"):
            counts[prop.get("name")] += int(prop.get("value"))
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes["failed"] += 1
            failures.append(name)
        elif skipped is not None and skipped.get("type") == "pytest.xfail":
            outcomes["xfailed (known bugs)"] += 1
            known.append((name, skipped.get("message", "").removeprefix("xfail-marked test fails: ")))
        elif skipped is not None:
            outcomes["skipped"] += 1
        else:
            outcomes["passed"] += 1
    return {"counts": counts, "outcomes": outcomes, "failures": failures, "known": known}


def _markdown(summary: dict) -> str:
    counts, outcomes = summary["counts"], summary["outcomes"]
    paths = sorted({key.split(": ", 1)[1] for key in counts if key.startswith(("bad inputs: ", "fuzz inputs: "))})
    lines = ["| input path | hand-made bad inputs tried | fuzzed inputs tried |", "|---|---:|---:|"]
    for path in paths:
        hand, fuzzed = counts.get("bad inputs: " + path, 0), counts.get("fuzz inputs: " + path, 0)
        lines.append(f"| {path} | {hand:,} | {fuzzed:,} |")
    lines.append(f"| **all** | **{sum(v for k, v in counts.items() if k.startswith('bad inputs: ')):,}** | "
                 f"**{sum(v for k, v in counts.items() if k.startswith('fuzz inputs: ')):,}** |")
    faults = {k.split(": ", 1)[1]: v for k, v in counts.items() if k.startswith("faults injected: ")}
    lines += ["", "| fault injected | times |", "|---|---:|"]
    lines += [f"| {kind} | {times} |" for kind, times in sorted(faults.items())]
    lines += [f"| **all** | **{sum(faults.values())}** |"]
    records = {k.split(": ", 1)[1]: v for k, v in counts.items() if k.startswith("records round-tripped: ")}
    # A failure of a round-trip or kill test means data changed; any other failure, a crash or a leak.
    lost = sum(1 for name in summary["failures"] if "roundtrip" in name or "crash" in name)
    lines += ["", "| figure | value |", "|---|---:|",
              f"| crashes (tracebacks, uncaught exceptions, failed checks) | {len(summary['failures']) - lost} |",
              f"| records lost (failed round trips, kills that changed the store) | {lost} |",
              (f"| records round-tripped without loss | {sum(records.values()):,} "
               f"({', '.join(f'{k}: {v:,}' for k, v in sorted(records.items()))}) |"),
              f"| builds repeated without change | {counts.get('builds repeated', 0)} |",
              f"| imports repeated without change | {counts.get('imports repeated', 0)} |",
              (f"| outbound connections | {counts.get('outbound connections', 0)} "
               f"(in {counts.get('outbound checks', 0)} outbound checks and every SPARQL corpus run) |"),
              f"| pages checked for hostile text | {counts.get('hostile text: pages checked', 0)} |",
              f"| tests | {', '.join(f'{v} {k}' for k, v in sorted(outcomes.items()))} |"]
    if summary["failures"]:
        lines += ["", "Failed:", *[f"- `{name}`" for name in summary["failures"]]]
    if summary["known"]:
        lines += ["", "Known bugs in other modules (strict xfail; each passes once fixed, then drop its mark):"]
        reasons = collections.Counter(reason for _, reason in summary["known"])
        lines += [f"- {reason} ({count} test{'s' if count > 1 else ''})" for reason, count in sorted(reasons.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junit", type=Path, help="Read this JUnit XML instead of running the suite.")
    args = parser.parse_args(argv)
    if args.junit is not None:
        print(_markdown(summarise(args.junit)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        junit = Path(folder) / "reliability.xml"
        code = _run(junit)
        print(_markdown(summarise(junit)))
    return code


if __name__ == "__main__":
    sys.exit(main())
