"""The focus view: one event's neighbourhood.

The event sits in the middle. Around it, close in: who did it (above), whom it struck
(below), what it answered (left) and what answered it (right), asserted or inferred,
and the wider event it is part of or the incidents it groups. Further out, every
statement about it, its arrow labelled with what the statement does (a claim of
responsibility, a denial, an attribution, an assessment ...), and beyond each statement
its speaker and whom it blames. The layout is computed, not simulated, so the same
event always looks the same.

Examples
--------
>>> from graph.pipeline import build
>>> from graph.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> _ = build(store)
>>> page = focus_view(store, "russian-bombardment-of-ukrainian-cities")
>>> "Focus: Russia" in page
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from pyvis.network import Network

from graph.errors import QueryError
from graph.namespaces import record_iri
from graph.projection import INFERRED_KEY, project
from graph.store import Store
from graph.views.chart import edge_dicts, graph_legend, graph_network, graph_options
from graph.views.model import (
    date_range_text,
    display_name,
    dyad_sides,
    neighbours,
    short_text,
    within_dates,
)
from graph.views.page import render_page

__all__ = ["FOCUS_EDGE_KEYS", "default_focus", "focus_graph", "focus_layout", "focus_page", "focus_view"]

FOCUS_EDGE_KEYS = ("agent", "target", "speaker", "about", "attributesTo", "respondsTo", INFERRED_KEY, "partOf")
"""The relations the focus view draws between the nodes it shows."""

_INNER = 220.0
_SIDEWAYS = 420.0
_OUTWARD = 190.0
_SECTORS = {"agents": -90.0, "targets": 90.0, "stimuli": 180.0, "responses": 0.0, "wider": -140.0, "parts": 140.0}


def _responses(G: nx.MultiDiGraph, event: str) -> tuple[list[str], list[str]]:
    keys = ("respondsTo", INFERRED_KEY)
    stimuli = sorted({v for _, v, k in G.out_edges(event, keys=True) if k in keys})
    responses = sorted({u for u, _, k in G.in_edges(event, keys=True) if k in keys})
    return stimuli, responses


def focus_graph(G: nx.MultiDiGraph, event: str) -> nx.MultiDiGraph:
    """The neighbourhood of ``event`` in ``G``: its agents and targets, what it answered
    and what answered it, the events it is part of or groups, the statements about it
    (and those asserting its response links), their speakers and whom they blame."""
    stimuli, responses = _responses(G, event)
    statements = set(neighbours(G, event, "about", incoming=True))
    for _, _, k, data in list(G.out_edges(event, keys=True, data=True)) + list(G.in_edges(event, keys=True, data=True)):
        if k == "respondsTo":
            statements.update(s for s in data.get("asserted_by", ()) if s in G)
    keep = {event, *stimuli, *responses, *statements,
            *neighbours(G, event, "agent"), *neighbours(G, event, "target"),
            *neighbours(G, event, "partOf"), *neighbours(G, event, "partOf", incoming=True)}
    for statement in statements:
        keep.update(neighbours(G, statement, "speaker"))
        keep.update(neighbours(G, statement, "attributesTo"))
    part = nx.MultiDiGraph()
    part.add_nodes_from((n, G.nodes[n]) for n in keep)
    part.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                        if u in keep and v in keep and k in FOCUS_EDGE_KEYS)
    return part


def _arc(nodes: Iterable[str], centre_deg: float, radius: float, spread_deg: float) -> dict:
    nodes = list(nodes)
    if not nodes:
        return {}
    step = min(spread_deg / max(len(nodes) - 1, 1), 34.0)
    first = centre_deg - step * (len(nodes) - 1) / 2
    return {n: (radius * math.cos(math.radians(first + i * step)), radius * math.sin(math.radians(first + i * step)))
            for i, n in enumerate(nodes)}


_ACT_ORDER = ("claim-of-responsibility", "acknowledgement", "denial", "decline-comment", "attribution", "linkage",
              "justification", "warning", "threat", "announcement", "disapproval", "criticism", "support")


def focus_layout(F: nx.MultiDiGraph, event: str) -> dict:
    """Positions for :func:`focus_graph`'s nodes: the event at the origin, its actors and
    linked events on an inner ring by role, statements on a ring around them, speakers
    outside their statements."""
    stimuli, responses = _responses(F, event)
    pos: dict = {event: (0.0, 0.0)}
    rings = {"agents": neighbours(F, event, "agent"), "targets": neighbours(F, event, "target"),
             "stimuli": stimuli, "responses": responses, "wider": neighbours(F, event, "partOf"),
             "parts": neighbours(F, event, "partOf", incoming=True)}
    for role, nodes in rings.items():
        radius = _SIDEWAYS if role in ("stimuli", "responses") else _INNER
        pos.update(_arc([n for n in nodes if n not in pos], _SECTORS[role], radius, 60.0))
    statements = sorted((n for n, d in F.nodes(data=True) if d.get("kind") == "statement" and n not in pos),
                        key=lambda n: (_ACT_ORDER.index(F.nodes[n].get("speech_act"))
                                       if F.nodes[n].get("speech_act") in _ACT_ORDER else len(_ACT_ORDER),
                                       neighbours(F, n, "speaker"), n))
    radius = max(_SIDEWAYS + 150, len(statements) * 170 / (2 * math.pi))
    for i, statement in enumerate(statements):
        # Offset from the role axes, so no statement lines up with an agent or a response.
        angle = -70 + 360 * (i + 0.5) / max(len(statements), 1)
        pos[statement] = (radius * math.cos(math.radians(angle)), radius * math.sin(math.radians(angle)))
    outer: dict[str, list[float]] = {}
    for statement in statements:
        for actor in neighbours(F, statement, "speaker") + neighbours(F, statement, "attributesTo"):
            if actor not in pos:
                outer.setdefault(actor, []).append(math.atan2(pos[statement][1], pos[statement][0]))
    for actor, angles in outer.items():
        angle = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
        pos[actor] = ((radius + _OUTWARD) * math.cos(angle), (radius + _OUTWARD) * math.sin(angle))
    leftovers = sorted(n for n in F if n not in pos)
    pos.update(_arc(leftovers, 45.0, radius + 2 * _OUTWARD, 80.0))
    return pos


def _summary(F: nx.MultiDiGraph, event: str) -> str:
    stimuli, responses = _responses(F, event)
    kinds: dict[str, int] = {}
    for statement in neighbours(F, event, "about", incoming=True):
        label = str(F.nodes[statement].get("speech_act_label", "statement"))
        kinds[label] = kinds.get(label, 0) + 1
    said = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    parts = [date_range_text(F.nodes[event]),
             f"{sum(kinds.values())} statements about it" + (f" ({said})" if said else ""),
             f"answers {len(stimuli)} act(s)", f"answered by {len(responses)}"]
    return " · ".join(p for p in parts if p)


def focus_network(G: nx.MultiDiGraph, event: str, *,
                  window: tuple[dt.date | None, dt.date | None] = (None, None)) -> tuple[Network, nx.MultiDiGraph]:
    """The pyvis ``Network`` of ``event``'s focus view, and the neighbourhood graph it
    shows (its acts limited to ``window``, the event itself always kept).

    Raises
    ------
    QueryError
        If ``event`` is not an event of ``G``.
    """
    if event not in G or G.nodes[event].get("kind") != "event":
        raise QueryError(f"no event {event.rsplit('/', 1)[-1]!r} in the graph")
    F = focus_graph(G, event)
    if any(window):
        F = within_dates(F, *window, always=[event])
    net = graph_network(F, sides=dyad_sides(G), physics=False, positions=focus_layout(F, event),
                        heading=f"Focus: {short_text(display_name(G, event), 90)}")
    for node in net.nodes:
        if node["id"] == event:
            node.update(size=30, borderWidth=5, font={"size": 22, "bold": True})
            node["label"] = short_text(display_name(G, event), 44)
    edges = edge_dicts(F)
    for edge, (u, v, k, _) in zip(edges, F.edges(keys=True, data=True), strict=True):
        if k == "about" and v == event:
            edge["label"] = str(F.nodes[u].get("speech_act_label", "about"))
    net.edges = edges
    net.options = graph_options(False)
    net.options["edges"]["smooth"] = {"enabled": True, "type": "continuous", "roundness": 0.2}
    # A neighbourhood is small: larger type, so it reads at the zoom that fits it.
    net.options["edges"]["font"]["size"] = 14
    for group in net.options["groups"].values():
        group["font"] = {"size": group["font"]["size"] + 4}
    return net, F


def default_focus(G: nx.MultiDiGraph) -> str | None:
    """The event to focus on when none is named: the latest that answers another (a
    reprisal), else the one most statements are about."""
    events = [n for n, d in G.nodes(data=True) if d.get("kind") == "event"]
    answering = [n for n in events if _responses(G, n)[0]]
    if answering:
        return max(answering, key=lambda n: (G.nodes[n].get("latest") or dt.date.min, n))
    if not events:
        return None
    return max(events, key=lambda n: (len(neighbours(G, n, "about", incoming=True)), n))


def focus_page(G: nx.MultiDiGraph, event: str, *,
               window: tuple[dt.date | None, dt.date | None] = (None, None)) -> str:
    """The focus view of ``event`` (an IRI in ``G``) as a self-contained HTML page."""
    net, F = focus_network(G, event, window=window)
    return render_page(net, kind="focus", subtitle=_summary(F, event), legend=graph_legend(F, dyad_sides(G)))


def focus_view(store: Store, event: str | None = None, *, start: dt.date | None = None,
               end: dt.date | None = None) -> str:
    """The focus view of ``event`` (its id, e.g. ``moscow-skyscraper-strike-2023-08-01``;
    default :func:`default_focus`) as an HTML page; statements and linked acts outside
    ``start``–``end`` are left out when a window is given.

    Raises
    ------
    QueryError
        If no event has that id, or the store has no event at all.
    """
    G = project(store)
    if event is None:
        iri = default_focus(G)
        if iri is None:
            raise QueryError("the store has no events to focus on; build a case first (escgraph build)")
    else:
        iri = record_iri("event", event.strip())
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # a key with characters no IRI may hold names no event either
            node = None
        if node is None or not store.query("ASK { ?e a esc:Event }", {"e": node}):
            raise QueryError(f"no event has the id '{event}'; list them with: "
                             "escgraph sparql \"SELECT ?id WHERE { ?e a esc:Event ; esc:recordKey ?id }\"")
    return focus_page(G, iri, window=(start, end))
