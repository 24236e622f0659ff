"""Command-line arguments as an input path: hostile parameter values, impossible dates and
numbers, missing or misplaced files, malformed store locations and unknown options each
give a one-line error (hostile text escaped onto that line), a non-zero exit, and an
unchanged store. ``tests/test_cli_core.py`` covers the ordinary mistakes."""

from __future__ import annotations

import pytest

from reliability_support import assert_clean_failure, escgraph, invoke, snapshot

STORE = "{store}"
# (arguments, exit code, fragment of the first error)
CASES = {
    "actor full of SPARQL": (["query", "who-said", "-p", 'actor=x" } DROP ALL { #', "--store", STORE], 2,
                             "no actor is called 'x\" } DROP ALL { #'"),
    "actor with a line break": (["query", "who-said", "-p", "actor=a\nescgraph: error: forged", "--store", STORE], 2,
                                "no actor is called 'a\\nescgraph: error: forged'"),
    "actor with terminal escapes": (["query", "who-said", "-p", "actor=\x1b[2J\x1b[31mred", "--store", STORE], 2,
                                    "no actor is called '\\x1b[2J\\x1b[31mred'"),
    "empty actor": (["query", "who-said", "-p", "actor=", "--store", STORE], 2, "no actor is called ''"),
    "event IRI injection": (["query", "who-said", "-p", "about=x> <y", "--store", STORE], 2,
                            "'x> <y' is not a valid event"),
    "impossible date": (["query", "timeline", "-p", "from=2024-02-30", "--store", STORE], 2,
                        "'2024-02-30' is not a valid date"),
    "reversed date words": (["query", "timeline", "-p", "from=yesterday", "--store", STORE], 2,
                            "'yesterday' is not a valid date"),
    "5000-digit integer": (["query", "tit-for-tat", "-p", "window=" + "9" * 5000, "--store", STORE], 2,
                           "parameter 'window'"),
    "float for an integer": (["query", "tit-for-tat", "-p", "window=1e999", "--store", STORE], 2,
                             "'1e999' is not a valid integer"),
    "word outside the list": (["query", "escalation-trajectory", "-p", 'bucket=month" } #', "--store", STORE], 2,
                              "is not one of week, month"),
    "unknown kind": (["query", "who-said", "-p", "kind=<script>", "--store", STORE], 2, "unknown kind '<script>'"),
    "parameter without a value": (["query", "who-said", "-p", "actor", "--store", STORE], 2,
                                  "--param takes name=value"),
    "unknown command": (["<script>"], 2, "No such command '<script>'"),
    "unknown option": (["stats", "--drop-all"], 2, "No such option '--drop-all'"),
    "unknown export format": (["export", "--format", "rdfxml", "--store", STORE], 2, "Invalid value for '--format'"),
    "export into a folder": (["export", "-o", "{tmp}", "--store", STORE], 2, "is a directory"),
    "export into a missing folder": (["export", "-o", "{tmp}/missing/graph.trig", "--store", STORE], 2,
                                     "cannot write the export: No such file or directory"),
    "query file missing": (["sparql", "@{tmp}/missing.rq", "--store", STORE], 2, "cannot read the query"),
    "query file is a folder": (["sparql", "@{tmp}", "--store", STORE], 2, "cannot read the query"),
    "remote store without a host": (["stats", "--store", "sparql+http://"], 2, "cannot reach the SPARQL server"),
    "remote store refusing connections": (["stats", "--store", "sparql+http://127.0.0.1:1/sparql"], 2,
                                          "cannot reach the SPARQL server"),
    "remote store with a broken IPv6 host": (["stats", "--store", "sparql+http://[::1"], 2, "sparql+http://[::1"),
    "view of a missing event": (["view", "--focus", "<nope>", "-o", "{tmp}/v.html", "--store", STORE], 2,
                                "no event has the id '<nope>'"),
    "view of unknown actors": (["view", "--kind", "timeline", "--dyad", "Atlantis", "<b>", "-o", "{tmp}/v.html",
                                "--store", STORE], 2, "no actor is called 'Atlantis'"),
    "extract with an impossible day": (["extract", "{tmp}/a.txt", "--published", "2024-02-30"], 2,
                                       "'2024-02-30' is not a day written YYYY-MM-DD"),
    "negative analysis window": (["analyse", "chains", "--window", "-1", "--store", STORE], 2,
                                 "-1 is not in the range x>=0"),
    "import of a folder": (["import", "gdelt", "{tmp}", "--store", STORE], 2, "is a directory"),
    "import of a missing file": (["import", "acled", "{tmp}/missing.csv", "--store", STORE], 2, "does not exist"),
    "build of an unsupported file": (["build", "{tmp}/a.txt", "--store", STORE], 2, "cannot build a '.txt' file"),
}
KNOWN_BUGS: dict[str, str] = {}


def _case(name):
    reason = KNOWN_BUGS.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else (), id=name)


@pytest.mark.parametrize("name", [_case(name) for name in sorted(CASES)])
def test_bad_arguments_fail_on_one_line_and_change_nothing(mini_store, tmp_path, monkeypatch, tally, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text('"We hit back," Anna Berg told Reuters on Monday.\n', encoding="utf-8")
    args, code, fragment = CASES[name]
    args = [a.replace("{store}", str(mini_store.path)).replace("{tmp}", str(tmp_path)) for a in args]
    before = snapshot(mini_store.path)
    error = assert_clean_failure(invoke(*args), code=code)
    assert fragment in error, error
    assert snapshot(mini_store.path) == before
    assert not list(tmp_path.glob("**/*.part"))  # no half-written output left behind
    tally["bad inputs: CLI arguments"] += 1


def test_hostile_argument_cannot_forge_lines_in_a_real_terminal_stream(mini_store):
    """In a real process, stderr holds exactly one error line however the argument is built."""
    result = escgraph("query", "who-said", "-p", "actor=a\r\nescgraph: error: forged\u2028\x1b]0;title\x07",
                      "--store", mini_store.path)
    lines = result.stderr.decode("utf-8").splitlines()
    assert result.returncode == 2 and len(lines) == 1, lines
    assert "\x1b" not in lines[0] and "\x07" not in lines[0]
