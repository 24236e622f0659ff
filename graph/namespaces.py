"""The project's namespaces and the IRIs it mints for records.

``ESC`` is closed: a mistyped term such as ``ESC.respondTo`` raises ``AttributeError``
instead of minting a new IRI. A test checks it against ``ontology/escalation.ttl``.

Examples
--------
>>> str(ESC.respondsTo)
'https://w3id.org/escalation-graph/ontology#respondsTo'
>>> record_iri("actor", "russia")
'https://w3id.org/escalation-graph/id/actor/russia'
>>> graph_iri("cnn-2023-08-05-drone-strikes")
'https://w3id.org/escalation-graph/id/graph/cnn-2023-08-05-drone-strikes'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "BASE",
    "DATA",
    "ESC",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "VOCAB",
    "VOCAB_GRAPH",
    "graph_iri",
    "record_iri",
    "vocab_iri",
]

BASE = "https://w3id.org/escalation-graph/"
DATA = BASE + "id/"
VOCAB = BASE + "vocab/"


class ESC(DefinedNamespace):
    """The escalation-graph ontology (``ontology/escalation.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Act: URIRef
    Actor: URIRef
    Alliance: URIRef
    ArmedGroup: URIRef
    CameoCode: URIRef
    DatePrecision: URIRef
    Event: URIRef
    EventType: URIRef
    GovernmentBody: URIRef
    Media: URIRef
    MilitaryUnit: URIRef
    Organisation: URIRef
    Person: URIRef
    Place: URIRef
    ResponseLink: URIRef
    Source: URIRef
    SpeechActKind: URIRef
    Stance: URIRef
    State: URIRef
    Statement: URIRef
    # properties
    about: URIRef
    actorKey: URIRef
    actsFor: URIRef
    addressee: URIRef
    affiliatedWith: URIRef
    agent: URIRef
    anonymous: URIRef
    assertedBy: URIRef
    attempted: URIRef
    attributesTo: URIRef
    avgTone: URIRef
    cameoCode: URIRef
    channel: URIRef
    count: URIRef
    datasetCode: URIRef
    datePrecision: URIRef
    dateText: URIRef
    earliest: URIRef
    eventType: URIRef
    evidence: URIRef
    fatalities: URIRef
    goldstein: URIRef
    inCountry: URIRef
    lagMaxDays: URIRef
    lagMinDays: URIRef
    latest: URIRef
    mentions: URIRef
    method: URIRef
    onBehalfOf: URIRef
    outcome: URIRef
    paraphrase: URIRef
    partOf: URIRef
    place: URIRef
    quadClass: URIRef
    quote: URIRef
    recordKey: URIRef
    reportedVia: URIRef
    respondsTo: URIRef
    response: URIRef
    role: URIRef
    score: URIRef
    source: URIRef
    speaker: URIRef
    speechAct: URIRef
    stance: URIRef
    stimulus: URIRef
    target: URIRef
    targetPlace: URIRef
    url: URIRef
    within: URIRef


ONTOLOGY_GRAPH = DATA + "graph/ontology"
VOCAB_GRAPH = DATA + "graph/vocab"
INFERRED_GRAPH = DATA + "graph/inferred"

PREFIXES = {
    "esc": str(ESC),
    "escid": DATA,
    "cameo": VOCAB + "cameo/",
    "etype": VOCAB + "event-type/",
    "act": VOCAB + "speech-act/",
    "stance": VOCAB + "stance/",
    "precision": VOCAB + "date-precision/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}


def record_iri(kind: str, key: str) -> str:
    """The IRI of the record of ``kind`` (actor, place, event, statement, source) with ``key``."""
    return f"{DATA}{kind}/{key}"


def graph_iri(source_key: str) -> str:
    """The named graph that holds the records drawn from source ``source_key``."""
    return f"{DATA}graph/{source_key}"


def vocab_iri(scheme: str, key: str) -> str:
    """The IRI of concept ``key`` in code list ``scheme`` (event-type, speech-act, ...)."""
    return f"{VOCAB}{scheme}/{key}"
