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
import decimal
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from graph.errors import DataError
from graph.namespaces import DATA, ESC, INFERRED_GRAPH, PREFIXES, graph_iri, record_iri, vocab_iri
from graph.records import Actor, Event, FuzzyDate, Place, Record, ResponseClaim, Source, Statement
from graph.vocab import code_lists

__all__ = ["ACTOR_CLASSES", "inferred_link_quads", "quads", "record_quads", "records_from_quads"]

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
_SOURCE_KINDS = {"article": _n(PREFIXES["schema"] + "Article"), "dataset": _n(PREFIXES["schema"] + "Dataset")}
_TRUE = ox.Literal(True)
_FALSE = ox.Literal(False)


def _date(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


def _decimal(value: float) -> ox.Literal:
    # xsd:decimal has no exponent and no infinity: 1e-07 is written 0.0000001.
    number = decimal.Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"{value!r} is no decimal number")
    return ox.Literal(format(number, "f"), datatype=_XSD_DECIMAL)


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
    e.add(_RDF_TYPE, _SOURCE_KINDS[s.kind])
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


def inferred_link_quads(response: str, stimulus: str, *, lag_min: int, lag_max: int, score: float,
                        method: str) -> list[ox.Quad]:
    """The quads of a candidate response link found by analytics, in the inferred graph.

    An ``esc:ResponseLink`` with its lag range, score and method, and without
    ``esc:assertedBy`` or ``esc:respondsTo``: those say that a source asserted the link.
    The link's IRI is minted from the two acts, so writing it twice gives the same quads.

    Examples
    --------
    >>> link = inferred_link_quads(record_iri("event", "b"), record_iri("event", "a"), lag_min=2,
    ...                            lag_max=4, score=0.8, method="reversed-dyad window 14 days")
    >>> link[0].subject.value.rsplit("/", 1)[-1], len(link)
    ('inferred--event:b--event:a', 7)
    >>> {q.graph_name.value for q in link} == {INFERRED_GRAPH}
    True
    """
    def key(iri: str) -> str:
        return iri[len(DATA):].replace("/", ":") if iri.startswith(DATA) else iri.replace("/", ":")

    e = _Emitter(_n(record_iri("link", f"inferred--{key(response)}--{key(stimulus)}")), _n(INFERRED_GRAPH))
    e.add(_RDF_TYPE, _n(ESC.ResponseLink))
    e.add(_P["response"], _n(response))
    e.add(_P["stimulus"], _n(stimulus))
    e.add(_P["lagMinDays"], ox.Literal(int(lag_min)))
    e.add(_P["lagMaxDays"], ox.Literal(int(lag_max)))
    e.add(_P["score"], _decimal(round(float(score), 4)))
    e.text(_P["method"], method)
    return e.out


# -- reading records back ------------------------------------------------------------------


class _Node:
    """The quads of one subject in one named graph, read field by field."""

    def __init__(self, subject: ox.NamedNode, graph: ox.NamedNode):
        self.subject, self.graph = subject, graph
        self.values: dict[ox.NamedNode, list] = {}

    def _fail(self, problem: str) -> DataError:
        return DataError(f"<{self.subject.value}> in graph <{self.graph.value}>: {problem}")

    def all(self, predicate: ox.NamedNode) -> list:
        return self.values.get(predicate, [])

    def one(self, predicate: ox.NamedNode, required: bool = False):
        found = self.all(predicate)
        if len(found) > 1:
            raise self._fail(f"{len(found)} values of <{predicate.value}>; expected one")
        if not found and required:
            raise self._fail(f"no value of <{predicate.value}>")
        return found[0] if found else None

    def text(self, predicate: ox.NamedNode, required: bool = False) -> str | None:
        term = self.one(predicate, required)
        if term is not None and not isinstance(term, ox.Literal):
            raise self._fail(f"<{predicate.value}> should be text, not {term}")
        return None if term is None else term.value

    def number(self, predicate: ox.NamedNode, kind: type) -> int | float | None:
        value = self.text(predicate)
        try:
            return None if value is None else kind(value)
        except ValueError as exc:
            raise self._fail(f"<{predicate.value}> should be a number, not {value!r}") from exc

    def day(self, predicate: ox.NamedNode) -> dt.date:
        value = self.text(predicate, required=True)
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise self._fail(f"<{predicate.value}> should be a day (YYYY-MM-DD), not {value!r}") from exc

    def key(self, term, base: str) -> str:
        if not isinstance(term, ox.NamedNode) or not term.value.startswith(base):
            raise self._fail(f"{term} is not an IRI under <{base}>")
        return term.value[len(base):]

    def ref(self, predicate: ox.NamedNode, kind: str) -> str | None:
        term = self.one(predicate)
        return None if term is None else self.key(term, record_iri(kind, ""))

    def refs(self, predicate: ox.NamedNode, kind: str) -> tuple[str, ...]:
        return tuple(sorted({self.key(t, record_iri(kind, "")) for t in self.all(predicate)}))

    def code(self, predicate: ox.NamedNode, scheme: str, required: bool = False) -> str | None:
        term = self.one(predicate, required)
        return None if term is None else self.key(term, vocab_iri(scheme, ""))

    def texts(self, predicate: ox.NamedNode) -> tuple[str, ...]:
        return tuple(sorted({t.value for t in self.all(predicate)}))

    def date(self) -> FuzzyDate:
        try:
            return FuzzyDate(self.day(_P["earliest"]), self.day(_P["latest"]),
                             self.code(_P["datePrecision"], "date-precision", required=True), self.text(_P["dateText"]))
        except ValueError as exc:
            raise self._fail(str(exc)) from exc


def _read_source(n: _Node, key: str) -> Source:
    kinds = [kind for kind, node in _SOURCE_KINDS.items() if node in n.all(_RDF_TYPE)]
    return Source(id=key, title=n.text(_TITLE, required=True), published=n.day(_ISSUED),
                  publisher=n.ref(_PUBLISHER, "actor"), url=n.text(_P["url"]),
                  kind=kinds[0] if len(kinds) == 1 else "article")


def _read_actor(n: _Node, key: str) -> Actor:
    kinds = [kind for kind, cls in ACTOR_CLASSES.items() if _n(cls) in n.all(_RDF_TYPE)]
    if len(kinds) != 1:
        raise n._fail(f"{len(kinds)} actor classes; expected one")
    anonymous = n.text(_P["anonymous"])
    return Actor(id=key, name=n.text(_PREF, required=True), kind=kinds[0], source=n.ref(_P["source"], "source"),
                 aliases=n.texts(_ALT), acts_for=n.refs(_P["actsFor"], "actor"),
                 affiliated_with=n.refs(_P["affiliatedWith"], "actor"), role=n.text(_P["role"]),
                 anonymous=anonymous == "true", codes=n.texts(_P["datasetCode"]),
                 description=n.text(_RDFS_COMMENT), evidence=n.text(_P["evidence"]))


def _read_place(n: _Node, key: str) -> Place:
    return Place(id=key, name=n.text(_PREF, required=True), source=n.ref(_P["source"], "source"),
                 aliases=n.texts(_ALT), within=n.ref(_P["within"], "place"), country=n.ref(_P["inCountry"], "actor"),
                 latitude=n.number(_LAT, float), longitude=n.number(_LONG, float), evidence=n.text(_P["evidence"]))


def _read_event(n: _Node, key: str) -> Event:
    event_type = n.code(_P["eventType"], "event-type", required=True)
    cameo = n.code(_P["cameoCode"], "cameo")
    return Event(id=key, label=n.text(_RDFS_LABEL, required=True), type=event_type, date=n.date(),
                 evidence=n.text(_P["evidence"], required=True), source=n.ref(_P["source"], "source"),
                 agents=n.refs(_P["agent"], "actor"), targets=n.refs(_P["target"], "actor"),
                 places=n.refs(_P["place"], "place"), target_places=n.refs(_P["targetPlace"], "place"),
                 attempted=n.text(_P["attempted"]) == "true", outcome=n.text(_P["outcome"]),
                 count=n.number(_P["count"], int), fatalities=n.number(_P["fatalities"], int),
                 part_of=n.ref(_P["partOf"], "event"),
                 cameo=None if cameo == code_lists().event_types.get(event_type) else cameo,
                 url=n.text(_P["url"]), mentions=n.number(_P["mentions"], int), tone=n.number(_P["avgTone"], float))


def _about(n: _Node, term) -> str:
    kind, _, key = n.key(term, DATA).partition("/")
    return f"{kind}:{key}"


def _read_statement(n: _Node, key: str, links: tuple[ResponseClaim, ...]) -> Statement:
    try:
        return Statement(
            id=key, speaker=n.key(n.one(_P["speaker"], required=True), record_iri("actor", "")),
            kind=n.code(_P["speechAct"], "speech-act", required=True),
            date=n.date(), evidence=n.text(_P["evidence"], required=True), source=n.ref(_P["source"], "source"),
            quote=n.text(_P["quote"]), paraphrase=n.text(_P["paraphrase"]),
            on_behalf_of=n.ref(_P["onBehalfOf"], "actor"), addressee=n.ref(_P["addressee"], "actor"),
            channel=n.text(_P["channel"]), reported_via=n.ref(_P["reportedVia"], "actor"),
            about=tuple(sorted({_about(n, t) for t in n.all(_P["about"])})),
            attributes_to=n.refs(_P["attributesTo"], "actor"), stance=n.code(_P["stance"], "stance"), links=links)
    except ValueError as exc:
        raise n._fail(str(exc)) from exc


_READERS = {str(ESC.Source): ("source", _read_source), str(ESC.Place): ("place", _read_place),
            str(ESC.Event): ("event", _read_event)}
_READERS.update({str(cls): ("actor", _read_actor) for cls in ACTOR_CLASSES.values()})


def records_from_quads(quads: Iterable[ox.Quad]) -> list[Record]:
    """The records whose quads :func:`quads` wrote, read back: the mapper's inverse.

    One record per subject and named graph; quads the mapper does not write (the ontology,
    the code lists, inferred links, anything hand-written) are ignored. RDF keeps neither
    order nor duplicates, so list fields come back sorted and without repeats, ``about``
    entries come back as ``kind:key``, and a ``cameo`` equal to its event type's own code
    comes back as ``None`` (the graph holds the same triple either way).

    Returns
    -------
    list of Record
        Sorted by kind (sources, actors, places, events, statements), then source, then key.

    Raises
    ------
    DataError
        If a record's node lacks a required value, has two of a single one, or points
        at something that is not a record.

    Examples
    --------
    >>> from graph.records import Actor
    >>> actor = Actor(id="kremlin", name="The Kremlin", kind="government-body", source="cnn",
    ...               aliases=("Moscow",), acts_for=("russia",))
    >>> records_from_quads(record_quads(actor)) == [actor]
    True
    """
    nodes: dict[tuple[ox.NamedNode, ox.NamedNode], _Node] = {}
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(DATA) \
                and isinstance(quad.graph_name, ox.NamedNode):
            node = nodes.get((quad.graph_name, quad.subject))
            if node is None:
                node = nodes[(quad.graph_name, quad.subject)] = _Node(quad.subject, quad.graph_name)
            node.values.setdefault(quad.predicate, []).append(quad.object)
    links: dict[tuple[ox.NamedNode, ox.NamedNode], set[ResponseClaim]] = {}
    statements: list[_Node] = []
    records: list[Record] = []
    for (graph, _), node in nodes.items():
        types = node.all(_RDF_TYPE)
        if _n(ESC.ResponseLink) in types:
            claim = ResponseClaim(node.key(node.one(_P["response"], True), record_iri("event", "")),
                                  node.key(node.one(_P["stimulus"], True), record_iri("event", "")))
            links.setdefault((graph, node.one(_P["assertedBy"], True)), set()).add(claim)
        elif _n(ESC.Statement) in types:
            statements.append(node)
        else:
            found = {_READERS[t.value] for t in types if isinstance(t, ox.NamedNode) and t.value in _READERS}
            if len(found) > 1:
                raise node._fail(f"typed as {len(found)} kinds of record; expected one")
            if found:
                kind, read = found.pop()
                records.append(read(node, node.key(node.subject, record_iri(kind, ""))))
    for node in statements:
        claims = tuple(sorted(links.get((node.graph, node.subject), ()), key=lambda c: (c.response, c.stimulus)))
        records.append(_read_statement(node, node.key(node.subject, record_iri("statement", "")), claims))
    order = {Source: 0, Actor: 1, Place: 2, Event: 3, Statement: 4}
    return sorted(records, key=lambda r: (order[type(r)], getattr(r, "source", None) or "", r.id))
