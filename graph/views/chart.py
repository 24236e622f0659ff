"""The graph view: a link chart of actors, events, statements and sources.

Shape says what a node is (actor, event, statement, source), colour says whose side it
is on; edges carry their relation (agent, target, said, about, responds to, attributed
to, ...). Up to :data:`PHYSICS_NODE_LIMIT` nodes the browser settles the layout with
physics, starting from networkx's ``spring_layout``; beyond it the layout is computed
in Python (:func:`~graph.views.layout.skeleton_layout`), physics is off and straight
edges are drawn, so 5,000 nodes open in seconds. The page has a filter form (actor,
kind, date range), a legend and a details panel.

Examples
--------
>>> from graph.pipeline import build
>>> from graph.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> _ = build(store)
>>> page = graph_view(store, start=dt.date(2023, 7, 29))
>>> page.startswith("<!DOCTYPE html>") and 'id="filters"' in page
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import networkx as nx
from pyvis.network import Network

from graph.errors import InputError
from graph.projection import project
from graph.queries import resolve_actor
from graph.store import Store
from graph.views.layout import scaled_spring_layout, skeleton_layout
from graph.views.model import (
    ACT_KINDS,
    Sides,
    display_name,
    dyad_sides,
    involved_actors,
    neighbours,
    node_link,
    short_text,
    tooltip,
    within_dates,
)
from graph.views.page import Filters, LegendItem, render_page
from graph.views.style import EDGE_STYLES, KIND_LABELS, KIND_SHAPES, SIDE_PALETTE, SOURCE_COLOUR, EdgeStyle

__all__ = [
    "MAX_VIEW_NODES",
    "PHYSICS_NODE_LIMIT",
    "edge_dicts",
    "graph_legend",
    "graph_network",
    "graph_options",
    "graph_page",
    "graph_view",
    "node_groups",
    "node_label",
    "speaker_short_name",
]

PHYSICS_NODE_LIMIT = 1000
"""Above this many nodes the layout is precomputed and physics is off. FIELD-NOTES puts
the practical limit of physics near 2,000 nodes; B4 measured 1,000 nodes settling in
seconds on two cores, so the line is drawn there (see ``BENCHMARKS.md``)."""

MAX_VIEW_NODES = 30_000
"""A browser page beyond this many nodes is no longer usable; narrow the view instead."""

_SIZES = {"actor": 16, "event": 15, "statement": 10, "source": 16, "other": 8}
_FONT_SIZES = {"actor": 17, "event": 15, "statement": 13, "source": 15, "other": 13}
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif"


def _group_name(kind: str, side: str | None) -> str:
    return f"{kind}:{side}" if side else kind


def node_groups() -> dict[str, dict]:
    """vis-network groups: one per kind of node and side, shaped and coloured from the palette."""
    groups = {}
    for kind in ("actor", "event", "statement"):
        for side, colours in SIDE_PALETTE.items():
            fill = colours.actor if kind == "actor" else colours.act
            groups[_group_name(kind, side)] = {
                "shape": KIND_SHAPES[kind], "size": _SIZES[kind], "borderWidth": 2,
                "font": {"size": _FONT_SIZES[kind]},
                "color": {"background": fill, "border": colours.border,
                          "highlight": {"background": fill, "border": "#111827"},
                          "hover": {"background": fill, "border": "#111827"}},
            }
    for kind, colours in (("source", SOURCE_COLOUR), ("other", SIDE_PALETTE["third"])):
        groups[kind] = {"shape": KIND_SHAPES[kind], "size": _SIZES[kind], "borderWidth": 2,
                        "font": {"size": _FONT_SIZES[kind]},
                        "color": {"background": colours.act, "border": colours.border}}
    return groups


def speaker_short_name(G: nx.MultiDiGraph, statement: str) -> str:
    """The speaker of a statement by its shortest usual name (``Zelensky`` for Volodymyr Zelensky)."""
    speakers = neighbours(G, statement, "speaker")
    if not speakers:
        return "?"
    data = G.nodes[speakers[0]]
    name = display_name(G, speakers[0])
    aliases = [str(a) for a in data.get("aliases", ()) if len(str(a)) < len(name)]
    return min(aliases, key=lambda a: (len(a), a)) if len(name) > 14 and aliases else name


def node_label(G: nx.MultiDiGraph, node: str, limit: int = 34) -> str:
    """A node's short label: an actor's name, ``speaker: kind`` for a statement, the start
    of an event's or source's label."""
    data = G.nodes[node]
    if data.get("kind") == "statement":
        return f"{speaker_short_name(G, node)}: {data.get('speech_act', 'statement')}"
    return short_text(display_name(G, node), limit)


def _node_dict(G: nx.MultiDiGraph, node: str, sides: Sides) -> dict:
    data = G.nodes[node]
    kind = data.get("kind", "other")
    out = {"id": node, "label": node_label(G, node), "title": tooltip(G, node, sides),
           "group": _group_name(kind, sides.side(node) if kind in ("actor", *ACT_KINDS) else None),
           "kind": kind, "actors": involved_actors(G, node)}
    if kind == "actor" and data.get("type") == "State":
        out["size"] = 24
        out["font"] = {"size": 24, "bold": True}
    if data.get("earliest") is not None:
        out["earliest"] = data["earliest"].isoformat()
        out["latest"] = (data.get("latest") or data["earliest"]).isoformat()
    link = node_link(G, node)
    if link:
        out["link"] = link
    return out


def _edge_title(G: nx.MultiDiGraph, u: str, v: str, key: str, data: dict, style: EdgeStyle) -> str:
    lines = [f"{display_name(G, v)} — {style.label} → {display_name(G, u)}" if style.reverse
             else f"{display_name(G, u)} — {style.label} → {display_name(G, v)}"]
    for statement in data.get("asserted_by", ()):
        if statement in G:
            said = short_text(display_name(G, statement), 200)
            lines.append(f"Asserted by {speaker_short_name(G, statement)}: {said}")
    if data.get("inferred"):
        lines.append(f"Inferred by: {data.get('method', 'analytics')}")
        if data.get("score") is not None:
            lines.append(f"Score: {data['score']}")
        if data.get("lag_min") is not None:
            lines.append(f"Lag: {data['lag_min']}–{data.get('lag_max', data['lag_min'])} days")
    return "\n".join(lines)


def edge_dicts(G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict]] | None = None, *,
               labels: bool = True, light: bool = False) -> list[dict]:
    """vis-network edges for ``edges`` of ``G`` (default: all), styled by :data:`EDGE_STYLES`.

    Edges are numbered ``e0``, ``e1``, ... so a page's content depends only on the graph.
    Source links are drawn faint, without label, and pull nothing in the physics.
    ``light`` edges (for large graphs) are thin and solid: wide and dashed lines cost a
    browser most of its drawing time at 10,000 edges.
    """
    out = []
    for i, (u, v, key, data) in enumerate(G.edges(keys=True, data=True) if edges is None else edges):
        style = EDGE_STYLES.get(key, EdgeStyle(key, "#9ca3af"))
        start, end = (v, u) if style.reverse else (u, v)
        edge = {"id": f"e{i}", "from": start, "to": end, "arrows": "to", "kind": key,
                "width": min(style.width, 2.0) if light else style.width, "dashes": style.dashes and not light,
                "color": {"color": style.colour, "highlight": "#111827", "hover": "#111827"}}
        if key == "source":
            edge["physics"] = False
        elif labels:
            edge["label"] = style.label
        if key.startswith("respondsTo") or key == "attributesTo":
            edge["title"] = _edge_title(G, u, v, key, data, style)
        out.append(edge)
    return out


def graph_options(physics: bool, *, large: bool = False) -> dict:
    """vis-network options of the graph view: fonts, edge look, interaction, physics.
    A ``large`` graph draws edge labels only on the edges of the selected or hovered node
    (the page sets that up): 10,000 labels take seconds per frame to draw."""
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "nodes": {"font": {"size": 17, "face": _FONT, "color": "#111827", "strokeWidth": 4,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"font": {"size": 11, "face": _FONT, "color": "#4b5563", "strokeWidth": 3,
                           "strokeColor": "#ffffff", "align": "middle"},
                  "arrows": {"to": {"scaleFactor": 0.6}},
                  "smooth": {"enabled": True, "type": "continuous"} if physics else False,
                  "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "hideEdgesOnDrag": not physics, "hideEdgesOnZoom": not physics},
        "groups": node_groups(),
    }
    if large:
        options["edges"]["font"]["size"] = 0
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -140, "centralGravity": 0.015, "springLength": 100,
                                 "springConstant": 0.06, "avoidOverlap": 1.0},
            "stabilization": {"enabled": True, "iterations": 250, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def graph_legend(G: nx.MultiDiGraph, sides: Sides, *, light: bool = False) -> list[tuple[str, list[LegendItem]]]:
    """The legend of the graph view: shapes by kind, colours by side, edge styles present."""
    kinds_present = {d.get("kind") for _, d in G.nodes(data=True)}
    neutral = SIDE_PALETTE["third"]
    kinds = [LegendItem(label, neutral.act, KIND_SHAPES[kind], neutral.border)
             for kind, label in KIND_LABELS.items() if kind in kinds_present]
    sides_present = {sides.side(n) for n, d in G.nodes(data=True) if d.get("kind") in ("actor", *ACT_KINDS)}
    colours = [LegendItem(sides.names.get(side, side), SIDE_PALETTE[side].actor, "square", SIDE_PALETTE[side].border)
               for side in SIDE_PALETTE if side in sides_present]
    if "source" in kinds_present:
        colours.append(LegendItem("source", SOURCE_COLOUR.act, "hexagon", SOURCE_COLOUR.border))
    keys_present = {k for *_, k in G.edges(keys=True)}
    edges = [LegendItem(style.label, style.colour, "dashed" if style.dashes and not light else "line")
             for key, style in EDGE_STYLES.items() if key in keys_present]
    return [("Nodes", kinds), ("Colour (lighter for acts)", colours), ("Edges", edges)]


def _actor_index(G: nx.MultiDiGraph) -> tuple[list[str], list[dict]]:
    acts_for = nx.DiGraph()
    acts_for.add_nodes_from(G)
    acts_for.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "actsFor")
    names, index = set(), []
    for actor, data in sorted(G.nodes(data=True)):
        if data.get("kind") != "actor":
            continue
        own = [str(n) for n in (data.get("key"), data.get("name"), *data.get("aliases", ())) if n]
        names.update(own[1:] or own)
        index.append({"id": actor, "names": sorted({n.lower() for n in own}),
                      "covers": sorted(nx.ancestors(acts_for, actor) | {actor})})
    return sorted(names, key=str.lower), index


def graph_network(G: nx.MultiDiGraph, *, sides: Sides | None = None, physics: bool | None = None,
                  positions: Mapping[str, tuple[float, float]] | None = None,
                  heading: str = "escalation-graph: actors, acts and sources") -> Network:
    """The pyvis ``Network`` of the graph view of ``G`` (a projected graph).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        From :func:`graph.projection.project` (or any graph with the same attributes).
    sides : Sides, optional
        Whose side each node is on (default: :func:`~graph.views.model.dyad_sides` of
        the main dyad).
    physics : bool, optional
        Force physics on or off; by default on up to :data:`PHYSICS_NODE_LIMIT` nodes.
    positions : mapping, optional
        Node → (x, y) in pixels; by default ``spring_layout`` below 500 nodes, else
        :func:`~graph.views.layout.skeleton_layout`.

    Raises
    ------
    InputError
        If ``G`` has more than :data:`MAX_VIEW_NODES` nodes.
    """
    if len(G) > MAX_VIEW_NODES:
        raise InputError(f"the view would have {len(G):,} nodes; a browser copes with up to {MAX_VIEW_NODES:,}: "
                         "narrow it with --from/--to, or use --kind timeline --dyad A B")
    sides = sides if sides is not None else dyad_sides(G)
    physics = 0 < len(G) <= PHYSICS_NODE_LIMIT if physics is None else physics
    net = Network(directed=True, heading=heading, cdn_resources="in_line", height="100%", width="100%")
    large = len(G) > PHYSICS_NODE_LIMIT
    if positions is None:
        positions = scaled_spring_layout(G, spacing=90) if len(G) < 500 else skeleton_layout(G, spacing=150)
    # pyvis's add_node/add_edge scan every node per call (20k edges: 31 s); append the dicts.
    for node in sorted(G):
        item = _node_dict(G, node, sides)
        item["x"], item["y"] = (round(c, 1) for c in positions[node])
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
    net.edges.extend(edge_dicts(G, light=large))
    net.options = graph_options(physics, large=large)
    return net


def graph_page(G: nx.MultiDiGraph, *, sides: Sides | None = None, physics: bool | None = None,
               window: tuple[dt.date | None, dt.date | None] = (None, None)) -> str:
    """The graph view of ``G`` as a self-contained HTML page (see :func:`graph_network`)."""
    sides = sides if sides is not None else dyad_sides(G)
    net = graph_network(G, sides=sides, physics=physics)
    large = len(G) > PHYSICS_NODE_LIMIT
    dates = sorted(d[k] for _, d in G.nodes(data=True) for k in ("earliest", "latest") if d.get(k) is not None)
    parts = [f"{len(G):,} nodes, {G.number_of_edges():,} edges"]
    if sides.first is not None:
        parts.append(f"{display_name(G, sides.first)} vs {display_name(G, sides.second)}")
    if any(window):
        parts.append(" to ".join(d.isoformat() if d else "…" for d in window))
    parts.append("physics settles the layout; drag nodes to rearrange" if net.options["physics"]["enabled"]
                 else f"layout precomputed (over {PHYSICS_NODE_LIMIT:,} nodes: physics off)")
    if large:
        parts.append("click a node to label its edges")
    names, index = _actor_index(G)
    filters = Filters(actor_names=names,
                      kinds=[(kind, f"{kind}s") for kind in ("actor", "event", "statement", "source")
                             if any(d.get("kind") == kind for _, d in G.nodes(data=True))],
                      date_min=dates[0].isoformat() if dates else None,
                      date_max=dates[-1].isoformat() if dates else None,
                      extra={"actors": index})
    return render_page(net, kind="graph", subtitle=" · ".join(parts), legend=graph_legend(G, sides, light=large),
                       filters=filters, extra={"edgeLabelsOnSelect": large})


def graph_view(store: Store, *, dyad: tuple[str, str] | None = None, start: dt.date | None = None,
               end: dt.date | None = None) -> str:
    """The graph view of ``store`` as an HTML page: every actor, event, statement and
    source (those of acts within ``start``–``end`` when a window is given).

    Parameters
    ----------
    store : Store
        Any store.
    dyad : (str, str), optional
        The two actors whose sides colour the nodes, by id, name or alias (default:
        the two states with the most hostile events between them).
    start, end : datetime.date, optional
        Keep only acts whose fuzzy date meets this window.

    Raises
    ------
    QueryError
        If an actor of ``dyad`` is unknown or ambiguous.
    InputError
        If ``start`` is after ``end`` or the view would be too large.
    """
    if start is None and end is None and _more_events_than(store, MAX_VIEW_NODES):
        # Every event would be a node: refuse now rather than after reading the whole store.
        raise InputError(f"the store holds more than {MAX_VIEW_NODES:,} events and a browser copes with up to "
                         f"{MAX_VIEW_NODES:,} nodes: narrow the view with --from/--to, or use --kind timeline "
                         "--dyad A B")
    G = project(store)
    pair = tuple(resolve_actor(store, name).value for name in dyad) if dyad else None
    return graph_page(within_dates(G, start, end), sides=dyad_sides(G, pair), window=(start, end))


def _more_events_than(store: Store, count: int) -> bool:
    """Whether ``store`` holds more than ``count`` events, without counting them all."""
    return len(store.select(f"SELECT ?event WHERE {{ ?event a esc:Event }} LIMIT 1 OFFSET {int(count)}")) > 0
