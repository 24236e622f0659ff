"""Round trips and idempotency as properties: records -> curated YAML -> records, records ->
RDF -> records, records -> store -> every export format -> records, and building twice
changes nothing -- for generated cases full of hostile text."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings

from graph.curated import dump_case, load_case
from graph.mapper import quads, records_from_quads
from graph.pipeline import EXPORT_FORMATS, build, export
from graph.store import EmbeddedStore

from reliability_strategies import cases
from reliability_support import snapshot

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def _as_rdf_reads_it(record):
    """What survives RDF: list fields as sorted sets."""
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            changes[f.name] = tuple(sorted(set(value), key=lambda v: (v.response, v.stimulus)
                                           if hasattr(v, "response") else v))
    return dataclasses.replace(record, **changes)


def _expected_from_rdf(records):
    order = {"Source": 0, "Actor": 1, "Place": 2, "Event": 3, "Statement": 4}
    return sorted((_as_rdf_reads_it(r) for r in records),
                  key=lambda r: (order[type(r).__name__], getattr(r, "source", None) or "", r.id))


@PROPERTY
@given(records=cases())
def test_records_to_yaml_to_records(tally, records):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(dump_case(records), encoding="utf-8")
        assert list(load_case([path]).records()) == records
    tally["records round-tripped: YAML"] += len(records)


@PROPERTY
@given(records=cases())
def test_records_to_rdf_to_records(tally, records):
    assert records_from_quads(quads(records)) == _expected_from_rdf(records)
    tally["records round-tripped: RDF"] += len(records)


DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
RAPPER = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "ntriples"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(records=cases())
def test_every_export_format_reparses_to_the_same_records(tally, records):
    """Through the on-disk store and each serialiser: dataset formats give the records
    back; triple formats keep every literal; rapper accepts every Turtle-family file."""
    expected = _expected_from_rdf(records)
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        store.replace_graphs([], quads(records))
        # The store keeps literals canonical ("0.0"^^xsd:decimal is "0"): compare with what it holds.
        held = io.BytesIO()
        store.dump(held, ox.RdfFormat.N_QUADS)
        literals = {q.object for q in ox.parse(held.getvalue(), format=ox.RdfFormat.N_QUADS)
                    if isinstance(q.object, ox.Literal)}
        for name in EXPORT_FORMATS:
            out = io.BytesIO()
            export(store, out, name)
            data = out.getvalue()
            if name in DATASET_FORMATS:
                assert records_from_quads(ox.parse(data, format=DATASET_FORMATS[name])) == expected, name
            else:
                parsed = ox.parse(data, format=EXPORT_FORMATS[name])
                assert {t.object for t in parsed if isinstance(t.object, ox.Literal)} == literals, name
            if name in RAPPER and shutil.which("rapper"):
                checked = subprocess.run(["rapper", "-q", "-i", RAPPER[name], "-c", "-", "http://example.org/"],
                                         input=data, capture_output=True, check=False)
                assert checked.returncode == 0, (name, checked.stderr)
    tally["records round-tripped: every export format"] += len(records)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(records=cases(max_records=3))
def test_building_twice_changes_nothing(tally, records):
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case.yaml"
        case.write_text(dump_case(records), encoding="utf-8")
        store = EmbeddedStore(Path(folder) / "store")
        first = build(store, [case])
        once = snapshot(store.path)
        assert build(store, [case]) == first
        assert snapshot(store.path).nquads == once.nquads
    tally["builds repeated"] += 1
