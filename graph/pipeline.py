"""Build, check, count and export: the stages composed into what the commands do.

Examples
--------
>>> from graph.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> counts = build(store)
>>> counts["events"] >= 12 and counts["statements"] >= 25
True
>>> build(store) == counts  # building twice changes nothing
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.curated import Dataset, ValidationFailed, load_case
from graph.errors import DataError, InputError
from graph.mapper import quads
from graph.namespaces import ONTOLOGY_GRAPH, VOCAB_GRAPH, graph_iri
from graph.resources import data_dir, ontology_dir
from graph.store import Store
from graph.validation import shacl_violations
from graph.vocab import vocab_files

__all__ = ["EXPORT_FORMATS", "build", "check", "default_cases", "export", "model_quads", "stats"]

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def default_cases() -> list[Path]:
    """The curated cases shipped with the project (``data/*/``)."""
    return sorted(p for p in data_dir().iterdir() if p.is_dir())


def check(paths: Iterable[Path | str] | None = None) -> Dataset:
    """Read the cases at ``paths`` (default: the shipped ones) and check them with the loader
    and the SHACL shapes.

    Raises
    ------
    ValidationFailed
        With one :class:`~graph.errors.DataError` per problem, each naming file and line.
    """
    data = load_case(list(paths) if paths else default_cases())
    violations = shacl_violations(data.records())
    if violations:
        errors = []
        for v in violations:
            path, line = data.locations.get((v.kind, v.key), (None, None))
            what = f"{v.kind} '{v.key}'" if v.kind else v.focus
            errors.append(DataError(f"{what}: {v.message}", path=path, line=line))
        raise ValidationFailed(errors)
    return data


@functools.cache
def _model_quads() -> tuple[ox.Quad, ...]:
    out: list[ox.Quad] = []
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    vocab = ox.NamedNode(VOCAB_GRAPH)
    for path, graph in [(ontology_dir() / "escalation.ttl", ontology)] + [(p, vocab) for p in vocab_files()]:
        out.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                   for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return tuple(out)


def model_quads() -> tuple[ox.Quad, ...]:
    """The ontology and code lists as quads in their own named graphs."""
    return _model_quads()


def build(store: Store, paths: Sequence[Path | str] | None = None) -> dict[str, int]:
    """Check the cases at ``paths`` (default: the shipped ones), then load them with the
    ontology and code lists into ``store``, one named graph per source.

    Building is idempotent (each source's graph is replaced whole) and atomic (nothing is
    written unless everything is valid and written).

    Returns
    -------
    dict
        :func:`stats` of the store afterwards.

    Raises
    ------
    ValidationFailed
        If the data is invalid; the store is not touched.
    """
    data = check(paths)
    graphs = [ONTOLOGY_GRAPH, VOCAB_GRAPH] + [graph_iri(s.id) for s in data.sources]
    store.replace_graphs(graphs, _all_quads(data))
    return stats(store)


def _all_quads(data: Dataset) -> Iterable[ox.Quad]:
    yield from model_quads()
    yield from quads(data.records())


_COUNTS = """
SELECT
  (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?event) AS ?events)
  (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?source) AS ?sources)
WHERE {
  { ?actor a ?class . ?class rdfs:subClassOf* esc:Actor . FILTER(isIRI(?actor)) }
  UNION { ?event a esc:Event }
  UNION { ?statement a esc:Statement }
  UNION { ?source a esc:Source }
}"""


def stats(store: Store) -> dict[str, int]:
    """Counts of actors, events, statements, sources, named graphs and triples (quads).

    Examples
    --------
    >>> from graph.store import EmbeddedStore
    >>> stats(EmbeddedStore(None))
    {'actors': 0, 'events': 0, 'statements': 0, 'sources': 0, 'graphs': 0, 'triples': 0}
    """
    row = store.select(_COUNTS).values()[0]
    counts = {key: int(row[key] or 0) for key in ("actors", "events", "statements", "sources")}
    counts["graphs"] = len(store.named_graphs())
    counts["triples"] = len(store)
    return counts


def export(store: Store, output: IO[bytes], format: str = "trig") -> None:
    """Write the whole store to ``output`` in ``format`` (turtle, trig, nquads, ntriples,
    jsonld). Triple formats get the union of the named graphs.

    Raises
    ------
    InputError
        For an unknown format.
    """
    if format not in EXPORT_FORMATS:
        raise InputError(f"unknown export format '{format}'; choose one of {', '.join(EXPORT_FORMATS)}")
    store.dump(output, EXPORT_FORMATS[format])

