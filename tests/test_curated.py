"""The YAML loader: valid cases load; each kind of bad input names its file and line."""

from __future__ import annotations

import pytest

from graph.curated import ValidationFailed, load_case
from graph.errors import DataError, InputError

from conftest import FIXTURES

BAD = FIXTURES / "bad"


def test_mini_case_loads_with_sources_filled_in():
    data = load_case([FIXTURES / "mini-case"])
    assert {e.id for e in data.events} == {"north-strike", "south-reprisal"}
    assert all(r.source == "wire-2024-03-10" for r in data.records() if hasattr(r, "speaker"))
    warning = next(s for s in data.statements if s.id == "north-warning")
    assert warning.about == ("place:south-port",)
    linkage = next(s for s in data.statements if s.id == "south-links-reprisal")
    assert linkage.about == ("event:south-reprisal", "event:north-strike")


@pytest.mark.parametrize(
    ("name", "line", "fragment", "error_class"),
    [
        ("malformed-yaml.yaml", 6, "YAML syntax", DataError),
        ("unknown-actor.yaml", 11, "agents 'atlantis' is no known actor", DataError),
        ("reversed-dates.yaml", 10, "earliest 2024-02-10 is after latest 2024-02-01", DataError),
        ("duplicate-id.yaml", 6, "duplicate actor id 'a'", DataError),
        ("unknown-key.yaml", 6, "alaises: unknown key", DataError),
        ("link-into-future.yaml", 23, "a response cannot precede its stimulus", DataError),
        ("unknown-kind.yaml", 9, "kind 'boast' is not in the code list", DataError),
        ("empty.yaml", 1, "the file is empty", DataError),
        ("not-utf8.yaml", 3, "not UTF-8", InputError),
    ],
)
def test_bad_input_names_file_line_and_problem(name, line, fragment, error_class):
    with pytest.raises(error_class) as caught:
        load_case([BAD / name])
    error = caught.value.errors[0] if isinstance(caught.value, ValidationFailed) else caught.value
    assert error.path == str(BAD / name)
    assert error.line == line
    assert fragment in error.message


def test_every_bad_fixture_is_covered():
    covered = {"malformed-yaml", "unknown-actor", "reversed-dates", "duplicate-id", "unknown-key",
               "link-into-future", "unknown-kind", "empty", "not-utf8"}
    assert {p.stem for p in BAD.glob("*.yaml")} == covered


def test_all_errors_are_reported_not_only_the_first(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "sources:\n  - {id: s, title: T, published: 2024-01-01}\n"
        "actors:\n  - {id: a, name: A, kind: planet}\n  - {id: b, name: B, kind: moon}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        load_case([case])
    assert [e.line for e in caught.value.errors] == [4, 5]


def test_a_bom_is_accepted(tmp_path):
    case = tmp_path / "bom.yaml"
    case.write_bytes(b"\xef\xbb\xbfsources:\n  - {id: s, title: T, published: 2024-01-01}\n")
    assert load_case([case]).sources[0].id == "s"


def test_ambiguous_about_asks_for_a_prefix(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "sources:\n  - {id: s, title: T, published: 2024-01-01}\n"
        "actors:\n  - {id: moscow, name: Moscow, kind: state}\n"
        "places:\n  - {id: moscow, name: Moscow}\n"
        "statements:\n  - {id: st, speaker: moscow, kind: statement, date: 2024-01-01, quote: q,"
        " evidence: e, about: [moscow]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed, match="write 'actor:moscow' or 'place:moscow'"):
        load_case([case])


def test_response_link_cycle_is_refused(tmp_path):
    case = tmp_path / "case.yaml"
    events = "".join(
        f"  - {{id: {k}, label: {k}, type: drone-strike, date: 2024-01-01, evidence: {k}}}\n" for k in "xy"
    )
    case.write_text(
        "sources:\n  - {id: s, title: T, published: 2024-01-01}\n"
        "actors:\n  - {id: a, name: A, kind: state}\n"
        f"events:\n{events}"
        "statements:\n  - {id: st, speaker: a, kind: linkage, date: 2024-01-01, paraphrase: p, evidence: e,"
        " links: [{response: x, stimulus: y}, {response: y, stimulus: x}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed, match="form a cycle"):
        load_case([case])


def test_two_sources_need_explicit_source(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "sources:\n  - {id: s1, title: T, published: 2024-01-01}\n  - {id: s2, title: U, published: 2024-01-02}\n"
        "actors:\n  - {id: a, name: A, kind: state}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed, match="give 'source:'; there are 2 sources"):
        load_case([case])


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_case([tmp_path / "nowhere"])
