"""Helpers shared by the importer tests (test_import_gdelt.py, test_import_acled.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.namespaces import record_iri
from graph.resources import queries_dir
from graph.store import Store

from conftest import FIXTURES

IMPORT_FIXTURES = FIXTURES / "import"


def cli(*args: object):
    """Run ``escgraph`` with ``args``; the result has ``stdout``, ``stderr`` and ``exit_code``."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def dump(store: Store) -> list[bytes]:
    """Every quad of the store as sorted N-Quads lines: equal dumps, equal stores."""
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return sorted(out.getvalue().splitlines())


def event(store: Store, key: str) -> dict[str, object]:
    """The plain values of an imported event's main fields (lists for agents, targets, places)."""
    table = store.select("""
        SELECT ?type ?cameo ?goldstein ?quad ?earliest ?latest ?precision ?url ?mentions ?tone ?fatalities
               ?evidence ?label
               (GROUP_CONCAT(DISTINCT ?agent_key; separator=" ") AS ?agents)
               (GROUP_CONCAT(DISTINCT ?target_key; separator=" ") AS ?targets)
               (GROUP_CONCAT(DISTINCT ?place_key; separator=" ") AS ?places)
        WHERE {
          ?e esc:eventType/skos:notation ?type ; esc:earliest ?earliest ; esc:latest ?latest ;
             esc:datePrecision/skos:notation ?precision ; esc:evidence ?evidence ; rdfs:label ?label .
          OPTIONAL { ?e esc:cameoCode ?c . ?c skos:notation ?cameo ; esc:goldstein ?goldstein ; esc:quadClass ?quad }
          OPTIONAL { ?e esc:url ?url } OPTIONAL { ?e esc:mentions ?mentions } OPTIONAL { ?e esc:avgTone ?tone }
          OPTIONAL { ?e esc:fatalities ?fatalities }
          OPTIONAL { ?e esc:agent/esc:actorKey ?agent_key } OPTIONAL { ?e esc:target/esc:actorKey ?target_key }
          OPTIONAL { ?e esc:place/esc:recordKey ?place_key }
        } GROUP BY ?type ?cameo ?goldstein ?quad ?earliest ?latest ?precision ?url ?mentions ?tone ?fatalities
                   ?evidence ?label""", {"e": ox.NamedNode(record_iri("event", key))})
    assert len(table) == 1, f"event {key}: {len(table)} rows"
    values = table.values()[0]
    for name in ("agents", "targets", "places"):
        values[name] = sorted(values[name].split()) if values[name] else []
    return values


def actor(store: Store, key: str) -> dict[str, object]:
    """An actor's name, class, dataset codes and whom it acts for or is affiliated with."""
    table = store.select("""
        SELECT ?name ?class (GROUP_CONCAT(DISTINCT ?code; separator="|") AS ?codes)
               (GROUP_CONCAT(DISTINCT ?up_key; separator=" ") AS ?acts_for)
               (GROUP_CONCAT(DISTINCT ?aff_key; separator=" ") AS ?affiliated_with)
        WHERE {
          ?a skos:prefLabel ?name ; a ?class . FILTER(STRSTARTS(STR(?class), STR(esc:)))
          OPTIONAL { ?a esc:datasetCode ?code }
          OPTIONAL { ?a esc:actsFor/esc:actorKey ?up_key }
          OPTIONAL { ?a esc:affiliatedWith/esc:actorKey ?aff_key }
        } GROUP BY ?name ?class""", {"a": ox.NamedNode(record_iri("actor", key))})
    assert len(table) == 1, f"actor {key}: {table.values()}"
    values = {name: value or "" for name, value in table.values()[0].items()}
    values["class"] = values["class"].rsplit("#", 1)[-1]
    return values


def zipped(path: Path, folder: Path, *, extra: str | None = None) -> Path:
    """``path`` zipped as GDELT serves its exports (``NAME.zip`` holding ``NAME``); with
    ``extra``, a second member of that name."""
    target = folder / (path.name + ".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, path.name)
        if extra:
            archive.writestr(extra, "second file")
    return target


def require_query(name: str) -> None:
    """Skip when the named query is not written yet."""
    if not (queries_dir() / f"{name}.rq").is_file():
        pytest.skip(f"ontology/queries/{name}.rq is not there yet")
