"""The one place that turns records into RDF quads; the only code that spells ontology terms.

Each record goes into the named graph of its source, so claims from different sources
coexist and every triple can be traced to the document it came from. IRIs are minted
from kind + key (:func:`graph.namespaces.record_iri`), so mapping the same records twice
gives the same quads.

Examples
--------
>>> import datetime as dt
>>> from graph.records import Actor, Event, FuzzyDate
>>> event = Event(id="e1", label="Drone strike on Moscow", type="drone-strike",
...               date=FuzzyDate.day(dt.date(2023, 8, 1), "on Tuesday"),
...               evidence="On Tuesday, a drone struck", source="cnn",
...               agents=("ukraine",), targets=("russia",))
>>> quads = list(record_quads(event))
>>> sorted(q.predicate.value.rsplit("#", 1)[-1] for q in quads)[:4]
['agent', 'attempted', 'cameoCode', 'datePrecision']
>>> {q.graph_name.value for q in quads}
{'https://w3id.org/escalation-graph/id/graph/cnn'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from graph.namespaces import ESC, PREFIXES, graph_iri, record_iri, vocab_iri
from graph.records import Actor, Event, Place, Record, Source, Statement
from graph.vocab import code_lists

__all__ = ["ACTOR_CLASSES", "quads", "record_quads"]

ACTOR_CLASSES = {
    "state": ESC.State,
    "government-body": ESC.GovernmentBody,
    "military-unit": ESC.MilitaryUnit,
    "person": ESC.Person,
    "organisation": ESC.Organisation,
    "media": ESC.Media,
    "armed-group": ESC.ArmedGroup,
    "alliance": ESC.Alliance,
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


_RDF_TYPE = _n(PREFIXES["rdf"] + "type")
_RDFS_LABEL = _n(PREFIXES["rdfs"] + "label")
_RDFS_COMMENT = _n(PREFIXES["rdfs"] + "comment")
_PREF = _n(PREFIXES["skos"] + "prefLabel")
_ALT = _n(PREFIXES["skos"] + "altLabel")
_TITLE = _n(PREFIXES["dcterms"] + "title")
_ISSUED = _n(PREFIXES["dcterms"] + "issued")
_PUBLISHER = _n(PREFIXES["dcterms"] + "publisher")
_LAT = _n(PREFIXES["schema"] + "latitude")
_LONG = _n(PREFIXES["schema"] + "longitude")
_XSD_DATE = _n(PREFIXES["xsd"] + "date")
_XSD_DECIMAL = _n(PREFIXES["xsd"] + "decimal")
_XSD_ANYURI = _n(PREFIXES["xsd"] + "anyURI")
_P = {name: _n(getattr(ESC, name)) for name in ESC.__annotations__}
_TRUE = ox.Literal(True)
_FALSE = ox.Literal(False)


def _date(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(repr(float(value)), datatype=_XSD_DECIMAL)


def _ref(entry: str, default_kind: str) -> ox.NamedNode:
    kind, sep, key = entry.partition(":")
    return _n(record_iri(kind, key)) if sep else _n(record_iri(default_kind, entry))


class _Emitter:
    """Collects the quads of one record into its source's graph."""

    __slots__ = ("graph", "out", "subject")

    def __init__(self, subject: ox.NamedNode, graph: ox.NamedNode):
        self.subject, self.graph, self.out = subject, graph, []

    def add(self, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal | None) -> None:
        if obj is not None:
            self.out.append(ox.Quad(self.subject, predicate, obj, self.graph))

    def text(self, predicate: ox.NamedNode, value: str | None) -> None:
        if value is not None:
            self.out.append(ox.Quad(self.subject, predicate, ox.Literal(value), self.graph))

    def refs(self, predicate: ox.NamedNode, kind: str, keys: Iterable[str | None]) -> None:
        for key in keys:
            if key is not None:
                self.out.append(ox.Quad(self.subject, predicate, _ref(key, kind), self.graph))

    def names(self, name: str, aliases: Iterable[str]) -> None:
        self.text(_PREF, name)
        self.text(_RDFS_LABEL, name)
        for alias in aliases:
            self.text(_ALT, alias)

    def when(self, date) -> None:
        self.add(_P["earliest"], _date(date.earliest))
        self.add(_P["latest"], _date(date.latest))
        self.add(_P["datePrecision"], _n(vocab_iri("date-precision", date.precision)))
        self.text(_P["dateText"], date.text)


def _source_quads(s: Source) -> list[ox.Quad]:
    e = _Emitter(_n(record_iri("source", s.id)), _n(graph_iri(s.id)))
    e.add(_RDF_TYPE, _n(ESC.Source))
    e.add(_RDF_TYPE, _n(PREFIXES["prov"] + "Entity"))
    e.text(_P["recordKey"], s.id)
    e.text(_TITLE, s.title)
    e.text(_RDFS_LABEL, s.title)
    e.add(_ISSUED, _date(s.published))
    e.refs(_PUBLISHER, "actor", [s.publisher])
    if s.url is not None:
        e.add(_P["url"], ox.Literal(s.url, datatype=_XSD_ANYURI))
    return e.out


def _actor_quads(a: Actor) -> list[ox.Quad]:
    e = _Emitter(_n(record_iri("actor", a.id)), _n(graph_iri(a.source)))
    e.add(_RDF_TYPE, _n(ACTOR_CLASSES[a.kind]))
    e.text(_P["actorKey"], a.id)
    e.names(a.name, a.aliases)
    e.refs(_P["actsFor"], "actor", a.acts_for)
    e.refs(_P["affiliatedWith"], "actor", a.affiliated_with)
    e.text(_P["role"], a.role)
    if a.anonymous:
        e.add(_P["anonymous"], _TRUE)
    for code in a.codes:
        e.text(_P["datasetCode"], code)
    e.text(_RDFS_COMMENT, a.description)
    e.text(_P["evidence"], a.evidence)
    e.refs(_P["source"], "source", [a.source])
    return e.out


def _place_quads(p: Place) -> list[ox.Quad]:
    e = _Emitter(_n(record_iri("place", p.id)), _n(graph_iri(p.source)))
    e.add(_RDF_TYPE, _n(ESC.Place))
    e.text(_P["recordKey"], p.id)
    e.names(p.name, p.aliases)
    e.refs(_P["within"], "place", [p.within])
    e.refs(_P["inCountry"], "actor", [p.country])
    if p.latitude is not None:
        e.add(_LAT, _decimal(p.latitude))
    if p.longitude is not None:
        e.add(_LONG, _decimal(p.longitude))
    e.text(_P["evidence"], p.evidence)
    e.refs(_P["source"], "source", [p.source])
    return e.out


def _event_quads(ev: Event) -> list[ox.Quad]:
    e = _Emitter(_n(record_iri("event", ev.id)), _n(graph_iri(ev.source)))
    e.add(_RDF_TYPE, _n(ESC.Event))
    e.text(_P["recordKey"], ev.id)
    e.text(_RDFS_LABEL, ev.label)
    e.add(_P["eventType"], _n(vocab_iri("event-type", ev.type)))
    code = ev.cameo or code_lists().event_types.get(ev.type)
    if code is not None:
        e.add(_P["cameoCode"], _n(vocab_iri("cameo", code)))
    e.when(ev.date)
    e.refs(_P["agent"], "actor", ev.agents)
    e.refs(_P["target"], "actor", ev.targets)
    e.refs(_P["place"], "place", ev.places)
    e.refs(_P["targetPlace"], "place", ev.target_places)
    e.add(_P["attempted"], _TRUE if ev.attempted else _FALSE)
    e.text(_P["outcome"], ev.outcome)
    if ev.count is not None:
        e.add(_P["count"], ox.Literal(ev.count))
    if ev.fatalities is not None:
        e.add(_P["fatalities"], ox.Literal(ev.fatalities))
    e.refs(_P["partOf"], "event", [ev.part_of])
    if ev.url is not None:
        e.add(_P["url"], ox.Literal(ev.url, datatype=_XSD_ANYURI))
    if ev.mentions is not None:
        e.add(_P["mentions"], ox.Literal(ev.mentions))
    if ev.tone is not None:
        e.add(_P["avgTone"], _decimal(ev.tone))
    e.text(_P["evidence"], ev.evidence)
    e.refs(_P["source"], "source", [ev.source])
    return e.out


def _statement_quads(s: Statement) -> list[ox.Quad]:
    subject = _n(record_iri("statement", s.id))
    graph = _n(graph_iri(s.source))
    e = _Emitter(subject, graph)
    e.add(_RDF_TYPE, _n(ESC.Statement))
    e.text(_P["recordKey"], s.id)
    e.refs(_P["speaker"], "actor", [s.speaker])
    e.add(_P["speechAct"], _n(vocab_iri("speech-act", s.kind)))
    code = code_lists().speech_acts.get(s.kind)
    if code is not None:
        e.add(_P["cameoCode"], _n(vocab_iri("cameo", code)))
    e.when(s.date)
    e.text(_P["quote"], s.quote)
    e.text(_P["paraphrase"], s.paraphrase)
    e.text(_RDFS_LABEL, s.quote or s.paraphrase)
    e.refs(_P["onBehalfOf"], "actor", [s.on_behalf_of])
    e.refs(_P["addressee"], "actor", [s.addressee])
    e.text(_P["channel"], s.channel)
    e.refs(_P["reportedVia"], "actor", [s.reported_via])
    e.refs(_P["about"], "event", s.about)
    e.refs(_P["attributesTo"], "actor", s.attributes_to)
    if s.stance is not None:
        e.add(_P["stance"], _n(vocab_iri("stance", s.stance)))
    e.text(_P["evidence"], s.evidence)
    e.refs(_P["source"], "source", [s.source])
    for link in s.links:
        response, stimulus = _ref(link.response, "event"), _ref(link.stimulus, "event")
        e.out.append(ox.Quad(response, _P["respondsTo"], stimulus, graph))
        node = _Emitter(_n(record_iri("link", f"{s.id}--{link.response}--{link.stimulus}")), graph)
        node.add(_RDF_TYPE, _n(ESC.ResponseLink))
        node.add(_P["response"], response)
        node.add(_P["stimulus"], stimulus)
        node.add(_P["assertedBy"], subject)
        node.refs(_P["source"], "source", [s.source])
        e.out.extend(node.out)
    return e.out


_MAPPERS = {Source: _source_quads, Actor: _actor_quads, Place: _place_quads, Event: _event_quads,
            Statement: _statement_quads}


def record_quads(record: Record) -> list[ox.Quad]:
    """The quads of one record, in the named graph of its source.

    Raises
    ------
    ValueError
        If a non-source record has no source (the loaders fill it in).
    """
    if not isinstance(record, Source) and record.source is None:
        raise ValueError(f"{type(record).__name__.lower()} '{record.id}' has no source")
    return _MAPPERS[type(record)](record)


def quads(records: Iterable[Record]) -> Iterator[ox.Quad]:
    """The quads of every record, one record after another (lazily: fit for streams)."""
    for record in records:
        yield from record_quads(record)
