"""Hand-written Turtle/TriG/N-Triples beside the YAML cases: every hostile file in
``tests/fixtures/hostile/rdf`` is refused with a one-line error naming the file (and the
line, or the node SHACL flags) and the store unchanged -- including files that try to write
into the ontology's, the code lists' or the inferred links' graphs -- or, if valid, is built
with every literal kept byte for byte."""

from __future__ import annotations

import shutil
import subprocess

import pyoxigraph as ox
import pytest

from reliability_support import HOSTILE, assert_clean_failure, invoke, snapshot

RDF = HOSTILE / "rdf"

# file -> (exit code, "line" or None when the error names a node, fragment of the first error)
REFUSED = {
    "bad-iri.ttl": (1, 3, "RDF syntax: Parser error at line 3"),
    "comments-only.ttl": (1, 1, "the file holds no triples"),
    "empty.trig": (1, 1, "the file holds no triples"),
    "ill-typed-date.ttl": (1, None, "<https://w3id.org/escalation-graph/id/event/bad-date>: "),
    "latin1.ttl": (1, 3, "Invalid UTF-8"),
    "rdf-xml.rdf": (2, None, "cannot build a '.rdf' file"),
    "remote-context.jsonld": (2, None, "cannot build a '.jsonld' file"),
    "reversed-dates.ttl": (1, None, "The earliest day is after the latest day"),
    "tamper-ontology.trig": (1, None, "the file writes into <https://w3id.org/escalation-graph/id/graph/ontology>"),
    "tamper-vocab.trig": (1, None, "the file writes into <https://w3id.org/escalation-graph/id/graph/vocab>"),
    "unclosed-literal.ttl": (1, 3, "Unexpected end of file"),
    "undefined-prefix.ttl": (1, 2, "The prefix nope: has not been declared"),
    "wipe-inferred.trig": (1, None, "the file writes into <https://w3id.org/escalation-graph/id/graph/inferred>"),
}
ACCEPTED = ("bom.ttl", "hostile-literals.trig", "nul-in-literal.nt", "remote-references.ttl")


def test_every_hostile_rdf_file_is_in_a_table():
    assert sorted(p.name for p in RDF.iterdir()) == sorted([*REFUSED, *ACCEPTED])


def _copy(tmp_path, name: str, port: int = 9):
    """The corpus file with its LISTENER placeholder made a real (closed) port."""
    path = tmp_path / name
    path.write_bytes((RDF / name).read_bytes().replace(b"LISTENER", str(port).encode()))
    return path


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_file_and_line_or_node_and_store_unchanged(mini_store, tally, name, command):
    code, line, fragment = REFUSED[name]
    path = RDF / name
    before = snapshot(mini_store.path)
    args = [command, path] + (["--store", mini_store.path] if command == "build" else [])
    where = f"{path}:{line}: " if line else f"{path}: "
    result = invoke(*args)
    assert_clean_failure(result, code=code, where=where)
    assert fragment in result.stderr
    assert snapshot(mini_store.path) == before
    tally["bad inputs: Turtle/TriG"] += 1


def test_a_bad_rdf_file_beside_a_good_case_writes_nothing(mini_store, tally):
    before = snapshot(mini_store.path)
    result = invoke("build", HOSTILE.parent / "mini-case", RDF / "tamper-vocab.trig", "--store", mini_store.path)
    assert_clean_failure(result, code=1, where=str(RDF / "tamper-vocab.trig"))
    assert snapshot(mini_store.path) == before
    tally["bad inputs: Turtle/TriG"] += 1


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_files_keep_every_literal(tmp_path, tally, name):
    path = _copy(tmp_path, name)
    store = tmp_path / "store"
    result = invoke("build", path, "--store", store)
    assert result.exit_code == 0, result.output
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    written = {q.object for q in ox.parse(data, format=_FORMATS[path.suffix]) if isinstance(q.object, ox.Literal)}
    held = {q.object for q in ox.parse(snapshot(store).nquads, format=ox.RdfFormat.N_QUADS)
            if isinstance(q.object, ox.Literal)}
    assert written <= held
    for fmt, rapper in (("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"), ("ntriples", "ntriples")):
        out = tmp_path / f"export.{fmt}"
        assert invoke("export", "--format", fmt, "-o", out, "--store", store).exit_code == 0
        if shutil.which("rapper"):
            checked = subprocess.run(["rapper", "-q", "-i", rapper, "-c", out.as_uri()], capture_output=True, text=True,
                                     check=False)
            assert checked.returncode == 0, (fmt, checked.stderr)
    tally["bad inputs: Turtle/TriG"] += 1


_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES}


def test_huge_literal_is_built_and_kept(tmp_path, tally):
    path = tmp_path / "huge.nt"
    text = "x" * 5_000_000 + '"\\n<script>'
    path.write_text(f'<http://example.org/a> <http://example.org/b> "{text.replace(chr(34), chr(92) + chr(34))}" .\n',
                    encoding="utf-8")
    store = tmp_path / "store"
    assert invoke("build", path, "--store", store).exit_code == 0
    held = {q.object.value for q in ox.parse(snapshot(store).nquads, format=ox.RdfFormat.N_QUADS)
            if isinstance(q.object, ox.Literal)}
    assert text.replace("\\n", "\n") in held
    tally["bad inputs: Turtle/TriG"] += 1
