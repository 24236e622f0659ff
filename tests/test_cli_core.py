"""The foundation's commands as a user runs them: output, exit codes, untouched store on error."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from graph.cli import main

from conftest import FIXTURES, REPO

BAD = FIXTURES / "bad"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def dump(store_path) -> bytes:
    result = run("export", "--format", "nquads", "--store", store_path)
    assert result.exit_code == 0
    return b"\n".join(sorted(result.stdout_bytes.splitlines()))


@pytest.fixture
def store_path(mini_store):
    return mini_store.path


def test_build_then_stats_json(tmp_path):
    path = tmp_path / "store"
    result = run("build", FIXTURES / "mini-case", "--store", path)
    assert result.exit_code == 0, result.output
    counts = json.loads(run("stats", "--format", "json", "--store", path).stdout)
    assert set(counts) == {"actors", "events", "statements", "sources", "graphs", "triples"}
    assert (counts["actors"], counts["events"], counts["statements"], counts["sources"]) == (6, 2, 3, 1)
    assert counts["graphs"] == 3  # ontology, code lists, the one source


def test_build_twice_changes_nothing(store_path):
    before = dump(store_path)
    assert run("build", FIXTURES / "mini-case", "--store", store_path).exit_code == 0
    assert dump(store_path) == before


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("malformed-yaml.yaml", "malformed-yaml.yaml:6: YAML syntax"),
        ("unknown-actor.yaml", "unknown-actor.yaml:11: event 'e': agents 'atlantis'"),
        ("reversed-dates.yaml", "reversed-dates.yaml:10: event 'e': date: earliest"),
    ],
)
def test_bad_input_one_line_error_nonzero_exit_store_unchanged(store_path, name, where):
    before = dump(store_path)
    result = run("build", BAD / name, "--store", store_path)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("escgraph: error:")]
    assert len(errors) == 1 and where in errors[0]
    assert "Traceback" not in result.output
    assert dump(store_path) == before


@pytest.mark.parametrize(
    ("path", "code"),
    [(FIXTURES / "mini-case", 0), (BAD / "unknown-kind.yaml", 1), (BAD / "not-utf8.yaml", 2), (BAD / "nope.yaml", 2)],
)
def test_validate_exit_codes(path, code):
    assert run("validate", path).exit_code == code


def test_query_list_shows_parameters():
    result = run("query", "--list", "--format", "json")
    listing = {row["name"]: row for row in json.loads(result.stdout)}
    assert "actor?: actor" in listing["who-said"]["parameters"]


def test_query_by_alias_includes_officials(store_path):
    result = run("query", "who-said", "-p", "actor=Norburg", "--format", "json", "--store", store_path)
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert [r["speaker_name"]["value"] for r in rows] == ["Ivo Brandt"]
    assert rows[0]["source"]["value"] == "Test wire: strikes and reprisals"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "no query named 'no-such-query'; known: "),
        (["query", "who-said", "-p", "colour=red"], "has no parameter 'colour'; its parameters: actor (actor)"),
        (["query", "who-said", "-p", "actor=Atlantis"], "no actor is called 'Atlantis'"),
        (["query", "who-said", "-p", "kind=boast"], "unknown kind 'boast'; known: acknowledgement"),
        (["query", "who-said", "-p", "kind"], "--param takes name=value"),
    ],
)
def test_query_errors_list_what_exists(store_path, args, message):
    result = run(*args, "--store", store_path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_sparql_formats(store_path, tmp_path):
    q = "SELECT ?name WHERE { ?a a esc:State ; skos:prefLabel ?name } ORDER BY ?name"
    table = run("sparql", q, "--store", store_path).stdout
    assert "Northland" in table and "3 row(s)" in table
    rows = list(csv.reader(io.StringIO(run("sparql", q, "--format", "csv", "--store", store_path).stdout)))
    assert rows == [["name"], ["Northland"], ["Southland"], ["Thirdland"]]
    data = json.loads(run("sparql", q, "--format", "json", "--store", store_path).stdout)
    assert data["head"]["vars"] == ["name"] and data["results"]["bindings"][0]["name"]["type"] == "literal"
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?s esc:respondsTo ?o }", encoding="utf-8")
    assert run("sparql", f"@{query_file}", "--store", store_path).stdout.strip() == "true"
    construct = run("sparql", "CONSTRUCT { ?s esc:respondsTo ?o } WHERE { ?s esc:respondsTo ?o }", "--store", store_path)
    assert len(rdflib.Graph().parse(data=construct.stdout, format="nt")) == 1


def test_sparql_service_is_refused(store_path):
    result = run("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", "--store", store_path)
    assert result.exit_code == 2 and "SERVICE (federated query) is refused" in result.stderr


def test_output_to_file(store_path, tmp_path):
    out = tmp_path / "who.csv"
    assert run("query", "who-said", "--format", "csv", "-o", out, "--store", store_path).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("statement,earliest,latest,speaker_name")


RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}
RAPPER_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "ntriples"}
HOSTILE_QUOTE = 'He said "stop" <script>alert(1)</script>\n"""; DROP GRAPH <x> . @prefix a: <b> .\\'


@pytest.fixture
def hostile_store(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(FIXTURES / "mini-case", case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    text = text.replace('quote: "We do not support strikes on cities."', "quote: " + json.dumps(HOSTILE_QUOTE))
    (case / "case.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "store"
    assert run("build", case, "--store", path).exit_code == 0
    return path


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_every_export_reparses_and_keeps_hostile_text(hostile_store, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert run("export", "--format", fmt, "-o", out, "--store", hostile_store).exit_code == 0
    parsed = rdflib.Dataset()
    parsed.parse(out, format=RDFLIB_FORMATS[fmt])
    assert rdflib.Literal(HOSTILE_QUOTE) in {quad[2] for quad in parsed.quads((None, None, None, None))}
    if fmt in RAPPER_FORMATS and shutil.which("rapper"):
        checked = subprocess.run(["rapper", "-q", "-i", RAPPER_FORMATS[fmt], "-c", out.as_uri()],
                                 capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and "Example" in command.help, name
        assert f"escgraph {name}" in readme, name
        assert run(name, "--help").exit_code == 0


def test_store_queries_see_union_of_graphs(mini_store):
    table = mini_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s esc:respondsTo ?o }")
    assert table.values() == [{"n": 1}]
    assert isinstance(table.rows[0][0], ox.Literal)


RDF_INPUT = FIXTURES / "rdf-input"


def test_build_accepts_hand_written_turtle_beside_yaml(tmp_path):
    path = tmp_path / "store"
    result = run("build", FIXTURES / "mini-case", RDF_INPUT / "extra-statement.ttl", "--store", path)
    assert result.exit_code == 0, result.output
    counts = json.loads(run("stats", "--format", "json", "--store", path).stdout)
    assert counts["statements"] == 4 and counts["graphs"] == 4
    rows = json.loads(run("query", "who-said", "-p", "kind=attribution", "--format", "json", "--store", path).stdout)
    assert [r["speaker_name"]["value"] for r in rows["results"]["bindings"]] == ["Southland"]


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("missing-speaker.ttl", ("missing-speaker.ttl: <https://w3id.org/escalation-graph/id/statement/nobody-said>: "
                                 "Every statement needs exactly one speaker")),
        ("broken-syntax.ttl", "broken-syntax.ttl:2: RDF syntax"),
    ],
)
def test_bad_turtle_is_refused_and_store_unchanged(store_path, name, where):
    before = dump(store_path)
    result = run("build", FIXTURES / "mini-case", RDF_INPUT / name, "--store", store_path)
    assert result.exit_code == 1
    assert where in result.stderr
    assert dump(store_path) == before
