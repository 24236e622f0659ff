"""Store → networkx: the actors, acts and sources of the graph as a ``MultiDiGraph``.

Not rdflib's wholesale conversion, which turns every literal into a node. This
projection takes an explicit list of predicates (:data:`EDGE_PREDICATES`): their IRI
subjects and objects become nodes, each triple one edge keyed by the predicate's local
name with the full ``predicate`` IRI and the named ``graphs`` that assert it recorded
on the edge. Literals, and the codes an act points to (its speech-act kind, its CAMEO
code and that code's Goldstein weight), become node attributes (:data:`NODE_ATTRIBUTES`).

Response links are folded into the ``respondsTo`` edges they describe: an asserted
link adds ``asserted_by`` (the statements that make it) to the edge; an inferred link
(an ``esc:ResponseLink`` in :data:`~graph.namespaces.INFERRED_GRAPH`) becomes an edge
of its own, keyed ``respondsTo/inferred``, with ``inferred=True``, its ``method`` and,
where given, ``score`` and lag. Edges keep the RDF direction: ``respondsTo`` runs from
the response to its stimulus, ``agent`` from the event to the actor.

Examples
--------
>>> from graph.namespaces import record_iri
>>> from graph.pipeline import build
>>> from graph.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> _ = build(store)
>>> G = project(store)
>>> strike = record_iri("event", "moscow-skyscraper-strike-2023-08-01")
>>> G.nodes[strike]["kind"], G.nodes[strike]["goldstein"], str(G.nodes[strike]["earliest"])
('event', -10.0, '2023-08-01')
>>> sorted(key for _, _, key in G.out_edges(strike, keys=True))
['agent', 'partOf', 'source', 'target']
>>> edge = G.edges[strike, record_iri("actor", "ukraine"), "agent"]
>>> edge["predicate"] == str(ESC.agent)
True
>>> reprisal = record_iri("event", "russian-bombardment-of-ukrainian-cities")
>>> stimulus = record_iri("event", "drone-strikes-inside-russia-summer-2023")
>>> [s.rsplit("/", 1)[-1] for s in G.edges[reprisal, stimulus, "respondsTo"]["asserted_by"]]
['kremlin-links-reprisals-to-strikes']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from graph.namespaces import ESC, INFERRED_GRAPH, PREFIXES
from graph.store import Store, python_value

__all__ = [
    "EDGE_PREDICATES",
    "INFERRED_KEY",
    "KIND_CLASSES",
    "MULTI_VALUED",
    "NODE_ATTRIBUTES",
    "local_name",
    "project",
]

KIND_CLASSES = {
    "actor": ESC.Actor,
    "event": ESC.Event,
    "statement": ESC.Statement,
    "source": ESC.Source,
}
"""The kinds of node, each with the class whose instances (and its subclasses') it covers."""

EDGE_PREDICATES = (
    ESC.agent,
    ESC.target,
    ESC.speaker,
    ESC.onBehalfOf,
    ESC.about,
    ESC.attributesTo,
    ESC.respondsTo,
    ESC.actsFor,
    ESC.partOf,
    ESC.source,
)
"""The predicates projected as edges by default: who did, said, claimed and answered what."""


def _iri(term: str) -> str:
    return f"<{term}>"


_SKOS = PREFIXES["skos"]
_NOTATION = _iri(_SKOS + "notation")
_PREF_LABEL = _iri(_SKOS + "prefLabel")

NODE_ATTRIBUTES = {
    "label": _iri(PREFIXES["rdfs"] + "label"),
    "name": _PREF_LABEL,
    "aliases": _iri(_SKOS + "altLabel"),
    "key": f"{_iri(ESC.actorKey)}|{_iri(ESC.recordKey)}",
    "role": _iri(ESC.role),
    "earliest": _iri(ESC.earliest),
    "latest": _iri(ESC.latest),
    "date_text": _iri(ESC.dateText),
    "quote": _iri(ESC.quote),
    "paraphrase": _iri(ESC.paraphrase),
    "evidence": _iri(ESC.evidence),
    "outcome": _iri(ESC.outcome),
    "channel": _iri(ESC.channel),
    "attempted": _iri(ESC.attempted),
    "url": _iri(ESC.url),
    "published": _iri(PREFIXES["dcterms"] + "issued"),
    "speech_act": f"{_iri(ESC.speechAct)}/{_NOTATION}",
    "speech_act_label": f"{_iri(ESC.speechAct)}/{_PREF_LABEL}",
    "event_type_label": f"{_iri(ESC.eventType)}/{_PREF_LABEL}",
    "stance": f"{_iri(ESC.stance)}/{_NOTATION}",
    "cameo": f"{_iri(ESC.cameoCode)}/{_NOTATION}",
    "goldstein": f"{_iri(ESC.cameoCode)}/{_iri(ESC.goldstein)}",
    "quad_class": f"{_iri(ESC.cameoCode)}/{_iri(ESC.quadClass)}",
}
"""Node attribute name → the SPARQL property path whose (literal) value it takes."""

MULTI_VALUED = frozenset({"aliases"})
"""Attributes that keep every value (a sorted list); the others keep the smallest one."""

INFERRED_KEY = "respondsTo/inferred"
"""The edge key of an inferred response link (the asserted one is keyed ``respondsTo``)."""


def local_name(iri: str) -> str:
    """The last segment of an IRI: after ``#``, else after the last ``/``.

    Examples
    --------
    >>> local_name(str(ESC.respondsTo)), local_name("https://w3id.org/escalation-graph/id/actor/russia")
    ('respondsTo', 'russia')
    """
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _values(terms: Iterable[str]) -> str:
    return " ".join(_iri(t) for t in terms)


def _kinds(store: Store) -> dict[str, tuple[str, str]]:
    pairs = " ".join(f'({_iri(cls)} "{kind}")' for kind, cls in KIND_CLASSES.items())
    table = store.select(f"""
        SELECT ?node ?class ?kind WHERE {{
          VALUES (?top ?kind) {{ {pairs} }}
          ?node a ?class . ?class rdfs:subClassOf* ?top .
          FILTER(isIRI(?node))
        }}""")
    found: dict[str, tuple[str, str]] = {}
    for node, cls, kind in sorted(table.rows, key=lambda r: (r[0].value, r[1].value)):
        found.setdefault(node.value, (kind.value, local_name(cls.value)))
    return found


def _edges(store: Store, predicates: Iterable[str]) -> dict[tuple[str, str, str], set[str]]:
    table = store.select(f"""
        SELECT ?s ?p ?o ?g WHERE {{
          VALUES ?p {{ {_values(predicates)} }}
          GRAPH ?g {{ ?s ?p ?o }}
          FILTER(isIRI(?s) && isIRI(?o))
        }}""")
    edges: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for s, p, o, g in table.rows:
        edges[s.value, p.value, o.value].add(g.value)
    return edges


_RESPONSE_LINKS = f"""
SELECT ?link ?response ?stimulus ?g ?asserted ?method ?score ?lag_min ?lag_max WHERE {{
  GRAPH ?g {{
    ?link a {_iri(ESC.ResponseLink)} ; {_iri(ESC.response)} ?response ; {_iri(ESC.stimulus)} ?stimulus .
    OPTIONAL {{ ?link {_iri(ESC.assertedBy)} ?asserted }}
    OPTIONAL {{ ?link {_iri(ESC.method)} ?method }}
    OPTIONAL {{ ?link {_iri(ESC.score)} ?score }}
    OPTIONAL {{ ?link {_iri(ESC.lagMinDays)} ?lag_min }}
    OPTIONAL {{ ?link {_iri(ESC.lagMaxDays)} ?lag_max }}
  }}
}}"""


def _add_response_links(G: nx.MultiDiGraph, store: Store) -> None:
    inferred: dict[tuple[str, str], dict] = {}
    for row in sorted(store.select(_RESPONSE_LINKS).values(), key=lambda r: (r["link"], r["asserted"] or "")):
        response, stimulus = row["response"], row["stimulus"]
        if row["g"] == INFERRED_GRAPH or (row["method"] is not None and row["asserted"] is None):
            best = inferred.setdefault((response, stimulus), {"methods": set(), "score": None})
            if row["method"] is not None:
                best["methods"].add(row["method"])
            if row["score"] is not None and (best["score"] is None or row["score"] > best["score"]):
                best.update(score=row["score"], lag_min=row["lag_min"], lag_max=row["lag_max"])
            continue
        if row["asserted"] is None or not G.has_edge(response, stimulus, "respondsTo"):
            continue
        edge = G.edges[response, stimulus, "respondsTo"]
        edge["asserted_by"] = sorted(set(edge.get("asserted_by", ())) | {row["asserted"]})
    for (response, stimulus), found in inferred.items():
        for node in (response, stimulus):
            if node not in G:
                G.add_node(node, kind="other", type="", key=local_name(node))
        attributes = {k: v for k, v in found.items() if k != "methods" and v is not None}
        G.add_edge(response, stimulus, INFERRED_KEY, predicate=str(ESC.respondsTo), graphs=[INFERRED_GRAPH],
                   inferred=True, method="; ".join(sorted(found["methods"])) or "inferred", **attributes)


def _attributes(store: Store, G: nx.MultiDiGraph, attributes: Mapping[str, str]) -> None:
    for name, path in attributes.items():
        values: dict[str, list] = defaultdict(list)
        for subject, value in store.select(f"SELECT ?s ?o WHERE {{ ?s {path} ?o FILTER(isLiteral(?o)) }}").rows:
            if subject.value in G:
                values[subject.value].append(python_value(value))
        for node, found in values.items():
            ordered = sorted(found, key=lambda v: (type(v).__name__, v))
            G.nodes[node][name] = ordered if name in MULTI_VALUED else ordered[0]


def project(
    store: Store,
    *,
    predicates: Iterable[str] = EDGE_PREDICATES,
    attributes: Mapping[str, str] | None = None,
) -> nx.MultiDiGraph:
    """The actors, events, statements and sources of ``store`` as a networkx ``MultiDiGraph``.

    Parameters
    ----------
    store : Store
        Any store (embedded or remote); the union of its named graphs is read.
    predicates : iterable of IRI strings
        The predicates that become edges (default :data:`EDGE_PREDICATES`). Only
        triples whose object is an IRI are projected.
    attributes : mapping, optional
        Node attribute name → SPARQL property path (default :data:`NODE_ATTRIBUTES`).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are IRIs: every instance of a class in :data:`KIND_CLASSES` (edges leave
        only these; places and response links are not nodes) and every IRI an edge
        points to. Each node has ``kind`` (``actor``, ``event``, ``statement``,
        ``source``, or ``other``), ``type`` (its class's local name, e.g. ``State``) and
        ``key`` (the record key), plus the attributes found. Each edge is keyed by its
        predicate's local name and has ``predicate`` and ``graphs``.

    Examples
    --------
    >>> from graph.store import EmbeddedStore
    >>> len(project(EmbeddedStore(None)))
    0
    """
    predicates = [str(p) for p in predicates]
    G = nx.MultiDiGraph()
    for node, (kind, cls) in _kinds(store).items():
        G.add_node(node, kind=kind, type=cls, key=local_name(node))
    for (s, p, o), graphs in sorted(_edges(store, predicates).items()):
        if s not in G:
            continue
        if o not in G:
            G.add_node(o, kind="other", type="", key=local_name(o))
        G.add_edge(s, o, local_name(p), predicate=p, graphs=sorted(graphs))
    if str(ESC.respondsTo) in predicates:
        _add_response_links(G, store)
    _attributes(store, G, NODE_ATTRIBUTES if attributes is None else attributes)
    return G
