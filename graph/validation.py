"""SHACL validation of mapped records, with each violation traced back to file and line.

The Python loader (:mod:`graph.curated`) already checks formats and references; the
shapes in ``ontology/shapes.ttl`` state the same rules about the *graph*, so data that
arrives by another path (Turtle written by hand, an import) is held to them too.

Examples
--------
>>> import datetime as dt
>>> from graph.records import Event, FuzzyDate, Source
>>> src = Source(id="s", title="T", published=dt.date(2023, 8, 5))
>>> ev = Event(id="e", label="E", type="drone-strike", evidence="x", source="s",
...            date=FuzzyDate.day(dt.date(2023, 8, 1)), agents=("nobody",))
>>> [v.message for v in shacl_violations([src, ev])]
['The agent of an event must be a defined actor.']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib

from graph.mapper import quads
from graph.namespaces import DATA
from graph.records import Record
from graph.resources import ontology_dir
from graph.vocab import vocab_files

__all__ = ["Violation", "graph_violations", "quad_violations", "shacl_violations"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the record it came from (kind, key), the path and the message."""

    focus: str
    kind: str | None
    key: str | None
    path: str | None
    message: str


@functools.cache
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


@functools.cache
def _ontology() -> rdflib.Graph:
    g = rdflib.Graph().parse(ontology_dir() / "escalation.ttl", format="turtle")
    for path in vocab_files():
        g.parse(path, format="turtle")
    return g


def _record_of(focus: str) -> tuple[str | None, str | None]:
    if focus.startswith(DATA):
        kind, _, key = focus[len(DATA):].partition("/")
        return kind, key
    return None, None


def shacl_violations(records: Iterable[Record]) -> list[Violation]:
    """Map ``records`` to RDF and check them against ``ontology/shapes.ttl``.

    Returns
    -------
    list of Violation
        Empty when the records conform; sorted by record.
    """
    return quad_violations(quads(records))


def quad_violations(source: Iterable) -> list[Violation]:
    """Check pyoxigraph quads (their union, graphs aside) against the shapes."""
    data = rdflib.Graph()
    for quad in source:
        data.add(_to_rdflib(quad))
    return graph_violations(data)


def graph_violations(data: rdflib.Graph) -> list[Violation]:
    """Check an RDF graph (however it was made: mapped records, hand-written Turtle)
    against ``ontology/shapes.ttl``; the ontology and code lists are added to it first.

    Examples
    --------
    >>> g = rdflib.Graph().parse(data='''
    ...     @prefix esc: <https://w3id.org/escalation-graph/ontology#> .
    ...     <https://w3id.org/escalation-graph/id/source/s> a esc:Source .''', format="turtle")
    >>> sorted(v.message for v in graph_violations(g))
    ['Every source needs a title.', 'Every source needs one publication date.']
    """
    import pyshacl
    from rdflib.namespace import SH

    # The code lists and class hierarchy go into the data graph itself: sh:class checks
    # look there for the types of the concepts and actors that records point to.
    merged = rdflib.Graph()
    merged += _ontology()
    merged += data
    conforms, report, _ = pyshacl.validate(
        merged, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        kind, key = _record_of(focus)
        found.append(Violation(focus, kind, key, str(path) if path is not None else None, message))
    return sorted(found, key=lambda v: (v.focus, v.message))


def _to_rdflib(quad) -> tuple:
    def term(t):
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    return term(quad.subject), term(quad.predicate), term(quad.object)
