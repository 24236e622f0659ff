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

import codecs
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.curated import Dataset, ValidationFailed, load_case
from graph.errors import DataError, InputError
from graph.mapper import quads
from graph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, VOCAB_GRAPH, graph_iri
from graph.resources import data_dir, ontology_dir
from graph.store import Store
from graph.validation import Violation, quad_violations
from graph.vocab import vocab_files

__all__ = ["EXPORT_FORMATS", "RDF_INPUTS", "Inputs", "build", "check", "default_cases", "export", "model_quads", "stats"]

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


RDF_INPUTS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
              ".nq": ox.RdfFormat.N_QUADS}
YAML_INPUTS = (".yaml", ".yml")
# Graphs only escgraph itself writes: a hand-written file must not add to them or replace them.
_OWN_GRAPHS = {ONTOLOGY_GRAPH: "the ontology", VOCAB_GRAPH: "the code lists", INFERRED_GRAPH: "the inferred links"}


@dataclass
class Inputs:
    """What :func:`check` read: curated records, and hand-written RDF files as quads."""

    records: Dataset
    documents: dict[str, list[ox.Quad]] = field(default_factory=dict)

    def graphs(self) -> list[str]:
        """The named graphs these inputs replace when built."""
        names = [graph_iri(s.id) for s in self.records.sources]
        names += sorted({q.graph_name.value for qs in self.documents.values() for q in qs})
        return names

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the inputs: mapped records, then the RDF files."""
        yield from quads(self.records.records())
        for document in self.documents.values():
            yield from document


def _read_rdf(path: Path) -> list[ox.Quad]:
    """Parse a Turtle/TriG/N-Triples/N-Quads file. Triples outside a named graph go to the
    graph named after the file (``…/graph/file-<name>``); nothing it names is fetched."""
    graph = ox.NamedNode(graph_iri("file-" + re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem)))
    try:
        # Editors on Windows start UTF-8 files with a byte-order mark, which the RDF parsers refuse.
        data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
        parsed = list(ox.parse(data, format=RDF_INPUTS[path.suffix.lower()]))
    except SyntaxError as exc:
        raise DataError(f"RDF syntax: {exc.msg}", path=str(path), line=exc.lineno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=str(path)) from exc
    if not parsed:
        raise DataError("the file holds no triples", path=str(path), line=1)
    own = sorted({q.graph_name.value for q in parsed if isinstance(getattr(q, "graph_name", None), ox.NamedNode)}
                 & _OWN_GRAPHS.keys())
    if own:
        raise DataError(f"the file writes into <{own[0]}>, the graph of {_OWN_GRAPHS[own[0]]}, which only escgraph "
                        f"writes; put its triples in a graph of your own", path=str(path))
    return [q if isinstance(q, ox.Quad) and not isinstance(q.graph_name, ox.DefaultGraph)
            else ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]


def check(paths: Iterable[Path | str] | None = None) -> Inputs:
    """Read the inputs at ``paths`` (default: the shipped cases) and check them: YAML cases
    with the loader, and all of it (records and RDF files alike) with the SHACL shapes.

    ``paths`` are case folders, YAML files, or RDF files (``.ttl``, ``.trig``, ``.nt``, ``.nq``).

    Raises
    ------
    ValidationFailed
        With one :class:`~graph.errors.DataError` per problem, each naming file and line.
    """
    chosen = [Path(p) for p in paths] if paths else default_cases()
    for path in chosen:
        if path.is_file() and path.suffix.lower() not in (*RDF_INPUTS, *YAML_INPUTS):
            raise InputError(f"cannot build a '{path.suffix}' file; give YAML cases ({', '.join(YAML_INPUTS)}) "
                             f"or RDF files ({', '.join(RDF_INPUTS)})", path=str(path))
    rdf = [p for p in chosen if p.suffix.lower() in RDF_INPUTS]
    yaml_inputs = [p for p in chosen if p not in rdf]
    inputs = Inputs(load_case(yaml_inputs) if yaml_inputs else Dataset())
    errors: list[DataError] = []
    for path in rdf:
        try:
            inputs.documents[str(path)] = _read_rdf(path)
        except DataError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    violations = quad_violations(inputs.quads())
    if violations:
        raise ValidationFailed([_locate(inputs, v) for v in violations])
    return inputs


def _locate(inputs: Inputs, violation: Violation) -> DataError:
    where = inputs.records.locations.get((violation.kind, violation.key))
    if where is not None:
        return DataError(f"{violation.kind} '{violation.key}': {violation.message}", path=where[0], line=where[1])
    focus = ox.NamedNode(violation.focus) if violation.focus.startswith(("http:", "https:")) else None
    for path, document in inputs.documents.items():
        if any(q.subject == focus for q in document):
            return DataError(f"<{violation.focus}>: {violation.message}", path=path)
    return DataError(f"<{violation.focus}>: {violation.message}")


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
    inputs = check(paths)
    store.replace_graphs([ONTOLOGY_GRAPH, VOCAB_GRAPH] + inputs.graphs(), _all_quads(inputs))
    return stats(store)


def _all_quads(inputs: Inputs) -> Iterable[ox.Quad]:
    yield from model_quads()
    yield from inputs.quads()


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

