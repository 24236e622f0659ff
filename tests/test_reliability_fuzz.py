"""Fuzzing the loaders with hypothesis: whatever the bytes, a loader returns records or
raises a ``graph.errors`` error that names the file -- never any other exception."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.curated import SECTIONS, dump_case, load_case
from graph.errors import EscgraphError

from reliability_strategies import YAML_TOKENS, cases, yaml_lines, yaml_noise

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _load_yaml_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_bytes(data)
        try:
            load_case([path])
        except EscgraphError as exc:
            assert exc.path == str(path), exc
            # YAML also breaks lines at CR, NEL, U+2028 and U+2029; Python's splitlines counts those too.
            lines = len(data.decode("utf-8", "replace").splitlines())
            assert exc.line is None or 1 <= exc.line <= lines + 1, exc


@FUZZ
@given(data=st.binary(max_size=2_000))
def test_yaml_loader_on_random_bytes(tally, data):
    _load_yaml_bytes(data)
    tally["fuzz inputs: curated YAML"] += 1


@FUZZ
@given(text=yaml_noise())
def test_yaml_loader_on_yaml_shaped_noise(tally, text):
    _load_yaml_bytes(text.encode("utf-8", "surrogatepass"))
    tally["fuzz inputs: curated YAML"] += 1


@FUZZ
@given(text=yaml_lines())
def test_yaml_loader_on_block_yaml_with_raw_values(tally, text):
    _load_yaml_bytes(text.encode("utf-8"))
    tally["fuzz inputs: curated YAML"] += 1


FIELD_NAMES = ("id", "name", "kind", "title", "published", "date", "earliest", "latest", "precision", "text",
               "label", "type", "evidence", "speaker", "quote", "paraphrase", "about", "links", "response",
               "stimulus", "agents", "targets", "aliases", "acts_for", "latitude", "count", "tone", "source")
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates()
           | st.datetimes(max_value=dt.datetime(9999, 1, 1)))
documents = st.dictionaries(
    st.sampled_from(sorted(SECTIONS)) | st.text(max_size=8),
    st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), inner, max_size=6),
                 max_leaves=30),
    max_size=5,
)


@FUZZ
@given(document=documents)
def test_yaml_loader_on_random_documents(tally, document):
    _load_yaml_bytes(yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))
    tally["fuzz inputs: curated YAML"] += 1


@st.composite
def mutated_cases(draw) -> bytes:
    """A valid case written by dump_case, then cut, spliced, repeated or swapped."""
    lines = dump_case(draw(cases(max_records=3))).encode("utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i, j = sorted(draw(st.lists(st.integers(0, len(lines) - 1), min_size=2, max_size=2)))
        edit = draw(st.sampled_from(["delete", "insert", "repeat", "swap", "truncate", "splice"]))
        if edit == "delete":
            del lines[i:j + 1]
        elif edit == "insert":
            lines.insert(i, draw(st.sampled_from(YAML_TOKENS)).encode("utf-8", "surrogatepass"))
        elif edit == "repeat":
            lines[i:i] = lines[i:j + 1]
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            position = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:position] + draw(st.binary(max_size=3)) + lines[i][position:]
    return b"".join(lines)


@FUZZ
@given(data=mutated_cases())
def test_yaml_loader_on_mutated_valid_cases(tally, data):
    _load_yaml_bytes(data)
    tally["fuzz inputs: curated YAML"] += 1
