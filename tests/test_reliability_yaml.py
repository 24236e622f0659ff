"""Curated YAML, the analyst's input path: every bad file in ``tests/fixtures/hostile/yaml``
(and the huge ones generated here) gives one-line errors naming file and line, a non-zero
exit, and leaves the store exactly as it was; nothing in a file is ever run."""

from __future__ import annotations

import os
import shutil

import pytest

from graph.curated import ValidationFailed, load_case
from graph.errors import DataError, EscgraphError, InputError

from reliability_support import HOSTILE, assert_clean_failure, escgraph, invoke, snapshot

BAD_YAML = HOSTILE / "yaml"

# file -> (exit code, line of the first error, a fragment of its message)
EXPECTED = {
    "about-prefix-injection.yaml": (1, 14, "about.0: String should match pattern"),
    "alias-bomb.yaml": (1, 10, "actor 'b1': aliases.0: Input should be a valid string"),
    "ambiguous-about.yaml": (1, 10, "write 'actor:moscow' or 'place:moscow'"),
    "bad-cameo.yaml": (1, 13, "cameo '999' is not in the code list"),
    "bad-indent.yaml": (1, 6, "YAML syntax: expected <block end>"),
    "bad-merge.yaml": (1, 6, "expected a mapping or list of mappings for merging"),
    "bom-only.yaml": (1, 1, "the file is empty"),
    "bom-then-latin1.yaml": (2, 3, "not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "bom-then-error.yaml": (1, 5, "actor 'a': kind: Input should be 'state'"),
    "comments-only.yaml": (1, 1, "the file is empty"),
    "date-words-only.yaml": (1, 8, "'last Tuesday' is no day; write YYYY-MM-DD"),
    "duplicate-event-id": (1, 3, "duplicate event id 'e' (first defined at"),
    "duplicate-key.yaml": (1, 5, "duplicate key 'title'; give each key once"),
    "empty.yaml": (1, 1, "the file is empty"),
    "id-sparql-injection.yaml": (1, 8, "a key may hold only letters, digits"),
    "id-turtle-injection.yaml": (1, 8, "a key may hold only letters, digits"),
    "id-with-angle-brackets.yaml": (1, 5, "a key may hold only letters, digits"),
    "id-with-newline.yaml": (1, 5, "a key may hold only letters, digits"),
    "id-with-quotes.yaml": (1, 5, "a key may hold only letters, digits"),
    "infinite-tone.yaml": (1, 13, "tone: Input should be a finite number"),
    "item-not-mapping.yaml": (1, 4, "actors[0]: expected a mapping of keys"),
    "latin1-late.yaml": (2, 5, "not UTF-8 text (byte 0xe0); save the file as UTF-8"),
    "latitude-out-of-range.yaml": (1, 5, "latitude: Input should be less than or equal to 90"),
    "link-before-statement.yaml": (1, 12, "a statement cannot link an act that had not happened yet"),
    "no-quote-or-paraphrase.yaml": (1, 8, "a statement needs a quote or a paraphrase"),
    "no-such-day.yaml": (1, 3, "'2024-02-30' is no real date"),
    "nul-byte.yaml": (1, 3, "character U+0000 is not allowed in YAML"),
    "python-object-tag.yaml": (1, 4, "cases hold plain lists, mappings and text; remove the tag"),
    "recursive-alias.yaml": (1, 4, "actors[0]: expected a mapping of keys"),
    "reference-injection.yaml": (1, 13, "agents.0: a key may hold only letters"),
    "reserved-source-id.yaml": (1, 3, "the source id 'inferred' is reserved"),
    "respondsto-cycle.yaml": (1, 13, "response links form a cycle (e1 -> e2 -> e3 -> e1)"),
    "respondsto-self.yaml": (1, 11, "response links form a cycle (e1 -> e1)"),
    "reversed-statement-date.yaml": (1, 9, "earliest 2024-03-10 is after latest 2024-03-01"),
    "section-not-list.yaml": (1, 4, "'actors' must be a list"),
    "tab-indent.yaml": (1, 5, "found character '\\t' that cannot start any token"),
    "terminal-escape.yaml": (1, 3, "character U+001B is not allowed in YAML"),
    "top-level-list.yaml": (1, 1, "expected a mapping with lists sources"),
    "top-level-scalar.yaml": (1, 1, "expected a mapping with lists sources"),
    "truncated-utf8.yaml": (2, 3, "not UTF-8 text (byte 0xe2)"),
    "two-documents.yaml": (1, 4, "but found another document"),
    "two-sources-no-source.yaml": (1, 6, "give 'source:'; there are 2 sources (s1, s2)"),
    "unclosed-quote.yaml": (1, 7, "while scanning a quoted scalar that begins on line 3"),
    "unhashable-key.yaml": (1, 4, "a key must be a plain word, not a list or mapping"),
    "unknown-about.yaml": (1, 12, "about no event 'ghost'"),
    "unknown-event-type.yaml": (1, 10, "type 'laser-strike' is not in the code list"),
    "unknown-link-event.yaml": (1, 16, "links names no known event 'ghost'"),
    "unknown-precision.yaml": (1, 12, "date.precision: Input should be 'day'"),
    "unknown-publisher.yaml": (1, 6, "publisher 'nobody' is no known actor; define it or fix the key"),
    "unknown-section.yaml": (1, 4, "unknown section 'event'; expected one of sources"),
    "unknown-speaker.yaml": (1, 9, "speaker 'nobody' is no known actor"),
    "utf16.yaml": (2, 1, "not UTF-8 text (byte 0xff)"),
    "whitespace-only.yaml": (1, 1, "the file is empty"),
    "wrong-types.yaml": (1, 13, "count: Input should be a valid integer"),
    "yaml-version.yaml": (1, 1, "found incompatible YAML document"),
    "year-zero.yaml": (1, 3, "'0000-01-01' is no real date"),
}


def _error_file(name: str) -> str:
    """The file the first error names (a folder case reports its second file)."""
    return str(BAD_YAML / name / "b.yaml") if (BAD_YAML / name).is_dir() else str(BAD_YAML / name)


def test_every_hostile_yaml_file_is_in_the_table():
    assert sorted(p.name for p in BAD_YAML.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader_names_file_line_and_problem(name):
    code, line, fragment = EXPECTED[name]
    with pytest.raises(EscgraphError) as caught:
        load_case([BAD_YAML / name])
    assert isinstance(caught.value, InputError if code == 2 else DataError)
    first = caught.value.errors[0] if isinstance(caught.value, ValidationFailed) else caught.value
    assert (first.path, first.line) == (_error_file(name), line)
    assert fragment in first.message


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_command_fails_cleanly_and_store_is_unchanged(mini_store, tmp_path, monkeypatch, tally, name, command):
    monkeypatch.chdir(tmp_path)  # where python-object-tag.yaml would 'touch' its marker
    code, line, fragment = EXPECTED[name]
    before = snapshot(mini_store.path)
    args = [command, BAD_YAML / name] + (["--store", mini_store.path] if command == "build" else [])
    error = assert_clean_failure(invoke(*args), code=code, where=f"{_error_file(name)}:{line}: ")
    assert fragment in error
    assert snapshot(mini_store.path) == before
    assert not (tmp_path / "escgraph-pwned").exists()
    tally["bad inputs: curated YAML"] += 1


@pytest.mark.parametrize("name", ["nul-byte.yaml", "utf16.yaml", "python-object-tag.yaml", "respondsto-cycle.yaml"])
def test_real_process_exit_code_and_stderr(mini_store, tmp_path, name):
    code, line, _ = EXPECTED[name]
    before = snapshot(mini_store.path)
    result = escgraph("build", BAD_YAML / name, "--store", mini_store.path, cwd=tmp_path)
    assert_clean_failure(result, code=code, where=f"{_error_file(name)}:{line}: ")
    assert snapshot(mini_store.path) == before
    assert not (tmp_path / "escgraph-pwned").exists()


def _source(published: str = "2024-01-01") -> str:
    return f"sources:\n  - {{id: s, title: T, published: {published}}}\n"


# Generated here rather than committed: megabytes of text, or thousands of lines.
GENERATED = {
    "huge-field": (lambda: _source() + "actors:\n  - {id: a, name: A, kind: state, evidence: "
                   + "x" * 1_000_000 + "}\n",
                   1, 4, "evidence: String should have at most 20000 characters"),
    "huge-line": (lambda: _source() + "actors: [{id: a, name: '" + "y" * 1_000_000 + "\n", 1, 4,
                  "while scanning a quoted scalar that begins on line 3"),
    "huge-id": (lambda: _source() + "actors:\n  - {id: " + "k" * 10_000 + ", name: A, kind: state}\n",
                1, 4, "id: String should have at most 200 characters"),
    "deep-nesting": (lambda: _source() + "actors: " + "[" * 3_000 + "]" * 3_000 + "\n", 1, 3,
                     "nests lists or mappings too deeply"),
    "error-after-3000-lines": (lambda: _source() + "actors:\n"
                               + "".join(f"  - {{id: a{i}, name: A{i}, kind: state}}\n" for i in range(3_000))
                               + "  - {id: last, name: Last, kind: planet}\n", 1, 3_004, "actor 'last': kind"),
    "2000-errors": (lambda: _source() + "actors:\n"
                    + "".join(f"  - {{id: a{i}, name: A{i}, kind: moon}}\n" for i in range(2_000)),
                    1, 4, "(and 1999 more)"),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_huge_inputs_fail_cleanly(mini_store, tmp_path, tally, name):
    make, code, line, fragment = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_case([path])
    assert (caught.value.line, caught.value.exit_code) == (line, code)
    assert fragment in str(caught.value)
    before = snapshot(mini_store.path)
    assert_clean_failure(invoke("build", path, "--store", mini_store.path), code=code, where=f"{path}:{line}: ")
    assert snapshot(mini_store.path) == before
    tally["bad inputs: curated YAML"] += 1


def test_folder_without_yaml_and_missing_path(mini_store, tmp_path, tally):
    before = snapshot(mini_store.path)
    (tmp_path / "empty-case").mkdir()
    assert_clean_failure(invoke("build", tmp_path / "empty-case", "--store", mini_store.path), code=2,
                         where=f"{tmp_path / 'empty-case'}: no .yaml files in this folder")
    assert_clean_failure(invoke("build", tmp_path / "nowhere", "--store", mini_store.path), code=2,
                         where=f"{tmp_path / 'nowhere'}: no such file or folder")
    assert snapshot(mini_store.path) == before
    tally["bad inputs: curated YAML"] += 2


def test_special_files_are_never_read(mini_store, tmp_path, tally):
    """A FIFO or a link to /dev/zero named like a case file would block or fill memory."""
    case = tmp_path / "case"
    shutil.copytree(HOSTILE.parent / "mini-case", case)
    os.mkfifo(case / "fifo.yaml")
    os.symlink("/dev/zero", case / "zero.yaml")
    (case / "folder.yaml").mkdir()
    assert load_case([case]).sources[0].id == "wire-2024-03-10"
    assert_clean_failure(invoke("validate", case / "fifo.yaml"), code=2, where="neither a file nor a folder")
    tally["bad inputs: curated YAML"] += 3


def test_a_bad_file_among_good_ones_writes_nothing(mini_store, tmp_path, tally):
    """A good case built together with a bad file: the good one is not loaded either."""
    good = tmp_path / "good"
    shutil.copytree(HOSTILE / "accepted", good)
    before = snapshot(mini_store.path)
    result = invoke("build", good, BAD_YAML / "tab-indent.yaml", "--store", mini_store.path)
    assert_clean_failure(result, code=1, where="tab-indent.yaml:5: YAML syntax")
    assert snapshot(mini_store.path) == before
    tally["bad inputs: curated YAML"] += 1


def test_reserved_source_ids_are_exactly_the_graphs_escgraph_writes():
    from graph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, VOCAB_GRAPH, graph_iri
    from graph.records import RESERVED_SOURCE_KEYS

    assert {graph_iri(key) for key in RESERVED_SOURCE_KEYS} == {ONTOLOGY_GRAPH, VOCAB_GRAPH, INFERRED_GRAPH}
