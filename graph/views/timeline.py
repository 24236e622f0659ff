"""The timeline view of a dyad: who did and said what, when, and what answered what.

x is the date (each act at its earliest day, a bar to its latest: fuzzy dates show
their range); one lane (y) per side — the dyad's two sides and the third parties who
spoke about their acts. Stimulus → response arrows join acts: solid orange where a
source asserts the link (``esc:respondsTo``), dashed teal where analytics inferred it
(an ``esc:ResponseLink`` in the inferred graph). Colour and size follow the act's
Goldstein weight, so escalation reads as larger, redder marks.

Long stretches without any act are compressed to a fixed width (marked ``≈`` on the
axis), so a war that began in 2022 and a week of strikes in 2023 both stay readable.

Examples
--------
>>> axis = TimeAxis.build([dt.date(2023, 1, 1), dt.date(2023, 1, 3), dt.date(2023, 6, 1)],
...                       px_per_day=10, max_gap_px=100)
>>> axis.x(dt.date(2023, 1, 3)) - axis.x(dt.date(2023, 1, 1)), axis.x(dt.date(2023, 6, 1)) - axis.x(dt.date(2023, 1, 3))
(20.0, 100.0)
>>> len(axis.breaks)
1
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass

import networkx as nx
from pyvis.network import Network

from graph.errors import InputError
from graph.projection import INFERRED_KEY, project
from graph.queries import resolve_actor
from graph.store import Store
from graph.views.chart import edge_dicts, node_label, speaker_short_name
from graph.views.model import (
    Sides,
    display_name,
    dyad_sides,
    is_official,
    neighbours,
    node_link,
    tooltip,
    within_dates,
)
from graph.views.page import LegendItem, render_page
from graph.views.style import EDGE_STYLES, GOLDSTEIN_SCALE, KIND_SHAPES, SIDE_PALETTE, goldstein_colour

__all__ = ["LANE_ORDER", "TimeAxis", "dyad_acts", "timeline_network", "timeline_page", "timeline_view"]

LANE_ORDER = ("first", "second", "third")
"""Lanes from top to bottom; acts with no agent named share the third parties' lane."""

_ROW_HEIGHT = 54
_LANE_HEADER = 42
_LANE_GAP = 24
_FONT_PX = 16
_CHAR_PX = 0.52 * _FONT_PX


@dataclass(frozen=True)
class TimeAxis:
    """A piecewise-linear date → x mapping: ``px_per_day`` between act dates, but no gap
    wider than ``max_gap_px`` (those are the ``breaks``)."""

    days: tuple[dt.date, ...]
    xs: tuple[float, ...]
    px_per_day: float
    breaks: tuple[float, ...]

    @classmethod
    def build(cls, days: list[dt.date], *, px_per_day: float = 16.0, max_gap_px: float = 150.0) -> TimeAxis:
        """The axis through the sorted distinct ``days``."""
        ordered = sorted(set(days))
        xs, breaks = [0.0], []
        for before, after in itertools.pairwise(ordered):
            gap = (after - before).days * px_per_day
            if gap > max_gap_px:
                breaks.append(xs[-1] + max_gap_px / 2)
            xs.append(xs[-1] + min(gap, max_gap_px))
        return cls(tuple(ordered), tuple(xs), px_per_day, tuple(breaks))

    def x(self, day: dt.date) -> float:
        """The x of ``day``: interpolated between act dates, extrapolated beyond them."""
        i = bisect.bisect_right(self.days, day) - 1
        if i < 0:
            return self.xs[0] - (self.days[0] - day).days * self.px_per_day
        if i == len(self.days) - 1:
            return self.xs[-1] + (day - self.days[-1]).days * self.px_per_day
        span = (self.days[i + 1] - self.days[i]).days
        return self.xs[i] + (self.xs[i + 1] - self.xs[i]) * (day - self.days[i]).days / span

    def ticks(self, start: dt.date, end: dt.date, *, min_gap_px: float = 80.0) -> list[dict]:
        """Month starts between ``start`` and ``end``: labelled where far enough apart,
        left out where a compressed stretch would crowd them."""
        ticks: list[dict] = []
        last_labelled = None
        month = dt.date(start.year, start.month, 1)
        while month <= end:
            x = self.x(month)
            if not ticks or x - ticks[-1]["x"] >= 40:
                label = month.strftime("%b %Y") if last_labelled is None or x - last_labelled >= min_gap_px else ""
                if label:
                    last_labelled = x
                ticks.append({"x": round(x, 1), "label": label, "major": month.month == 1})
            month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return ticks


def dyad_acts(G: nx.MultiDiGraph, sides: Sides, *, observers: bool = False) -> list[str]:
    """The acts of a dyad's timeline, sorted by date: events from one side against the
    other, attacks on either side that no source gives an agent for, the acts that
    answer or are answered by those events, the statements of both sides, and the
    statements about those events by third-party governments (states, alliances and
    those who act for them) — and by anyone else (analysts, media, witnesses) when
    ``observers`` is true."""
    dyad = {"first", "second"}
    of_actor = sides.of_actor
    events = set()
    for node, data in G.nodes(data=True):
        if data.get("kind") != "event":
            continue
        agents = {of_actor.get(a, "third") for a in neighbours(G, node, "agent")}
        targets = {of_actor.get(a, "third") for a in neighbours(G, node, "target")}
        if (agents & dyad and targets & dyad and agents | targets >= dyad) or (not agents and targets & dyad):
            events.add(node)
    for event in list(events):
        for key in ("respondsTo", INFERRED_KEY):
            events.update(v for _, v, k in G.out_edges(event, keys=True) if k == key)
            events.update(u for u, _, k in G.in_edges(event, keys=True) if k == key)
    def counts(statement: str) -> bool:
        if sides.side(statement) in dyad:
            return True
        speakers = neighbours(G, statement, "speaker")
        voiced = observers or any(is_official(G, s) for s in speakers)
        return voiced and bool(set(neighbours(G, statement, "about")) & events)

    statements = {n for n, d in G.nodes(data=True) if d.get("kind") == "statement" and counts(n)}
    acts = [n for n in events | statements if G.nodes[n].get("earliest") is not None]
    return sorted(acts, key=lambda n: (G.nodes[n]["earliest"], G.nodes[n].get("latest"), n))


def _lane(sides: Sides, act: str) -> str:
    side = sides.side(act)
    return side if side in LANE_ORDER else "third"


def _label(G: nx.MultiDiGraph, act: str) -> str:
    return node_label(G, act, limit=26)


def _place(G: nx.MultiDiGraph, acts: list[str], sides: Sides, axis: TimeAxis) -> tuple[dict, list[dict]]:
    """Positions of the acts, packed into rows within their lane so labels never overlap."""
    rows: dict[str, list[float]] = {lane: [] for lane in LANE_ORDER}
    slots: dict[str, tuple[str, int, float]] = {}
    for act in acts:
        lane = _lane(sides, act)
        x = axis.x(G.nodes[act]["earliest"])
        half = max(30.0, len(_label(G, act)) * _CHAR_PX / 2)
        row = next((i for i, right in enumerate(rows[lane]) if right + 12 < x - half), None)
        if row is None:
            rows[lane].append(0.0)
            row = len(rows[lane]) - 1
        rows[lane][row] = x + half
        slots[act] = (lane, row, x)
    positions, lanes, top = {}, [], 0.0
    for lane in LANE_ORDER:
        height = _LANE_HEADER + max(1, len(rows[lane])) * _ROW_HEIGHT
        for act, (act_lane, row, x) in slots.items():
            if act_lane == lane:
                positions[act] = (x, top + _LANE_HEADER + row * _ROW_HEIGHT + _ROW_HEIGHT / 3)
        colours = SIDE_PALETTE[lane]
        name = sides.names.get(lane, lane)
        lanes.append({"label": name + (" (governments) and acts with no agent named" if lane == "third" else ""),
                      "top": top, "bottom": top + height, "fill": colours.act + "33", "colour": colours.border})
        top += height + _LANE_GAP
    return positions, lanes


def _node(G: nx.MultiDiGraph, act: str, sides: Sides, x: float, y: float) -> dict:
    data = G.nodes[act]
    weight = data.get("goldstein")
    side_colours = SIDE_PALETTE[sides.side(act) or "third"]
    fill = goldstein_colour(weight)
    node = {"id": act, "label": _label(G, act), "title": tooltip(G, act, sides), "kind": data.get("kind"),
            "shape": KIND_SHAPES[data.get("kind", "other")], "x": round(x, 1), "y": round(y, 1),
            "size": 6 + 1.2 * abs(weight) if weight is not None else 6, "borderWidth": 3,
            "color": {"background": fill, "border": side_colours.border,
                      "highlight": {"background": fill, "border": "#111827"},
                      "hover": {"background": fill, "border": "#111827"}},
            "earliest": data["earliest"].isoformat(), "latest": (data.get("latest") or data["earliest"]).isoformat()}
    link = node_link(G, act)
    if link:
        node["link"] = link
    return node


def timeline_network(G: nx.MultiDiGraph, sides: Sides, *, observers: bool = False,
                     px_per_day: float = 16.0) -> tuple[Network, dict]:
    """The pyvis ``Network`` of a dyad's timeline, and the lanes, axis and date ranges the
    page paints under it.

    Raises
    ------
    InputError
        If ``sides`` has no dyad.
    """
    if sides.first is None:
        raise InputError("no two states have hostile events between them; name the dyad with --dyad A B")
    acts = dyad_acts(G, sides, observers=observers)
    days = [G.nodes[a]["earliest"] for a in acts]
    axis = TimeAxis.build(days or [dt.date.today()], px_per_day=px_per_day)
    positions, lanes = _place(G, acts, sides, axis)
    title = f"{display_name(G, sides.first)} ↔ {display_name(G, sides.second)}: timeline of acts and answers"
    net = Network(directed=True, heading=title, cdn_resources="in_line", height="100%", width="100%")
    ranges = []
    for act in acts:
        x, y = positions[act]
        node = _node(G, act, sides, x, y)
        net.nodes.append(node)
        net.node_ids.append(act)
        net.node_map[act] = node
        latest = G.nodes[act].get("latest")
        if latest is not None and latest > G.nodes[act]["earliest"]:
            ranges.append({"x0": round(x, 1), "x1": round(axis.x(latest), 1), "y": round(y, 1),
                           "colour": SIDE_PALETTE[_lane(sides, act)].border})
    shown = set(acts)
    links = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
             if u in shown and v in shown and k in ("respondsTo", INFERRED_KEY, "about", "partOf")]
    edges = edge_dicts(G, links)
    for edge, (_, _, key, data) in zip(edges, links, strict=True):
        if key.startswith("respondsTo"):
            # Drawn the way time runs: from the stimulus to its response.
            edge["from"], edge["to"] = edge["to"], edge["from"]
            asserters = sorted({speaker_short_name(G, s) for s in data.get("asserted_by", ()) if s in G})
            if key == INFERRED_KEY:
                # Inferred links can be many; their style and tooltip (method, score) say enough.
                edge.pop("label", None)
            else:
                edge["label"] = "answered by" + (f", says {', '.join(asserters)}" if asserters else "")
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.3}
        else:
            edge.pop("label", None)
            edge["color"]["opacity"] = 0.35
            edge["width"] = 1
    net.edges.extend(edges)
    net.options = {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},
        "nodes": {"fixed": True, "font": {"size": _FONT_PX, "color": "#111827", "strokeWidth": 4,
                                          "strokeColor": "#ffffff", "face": "system-ui, DejaVu Sans, sans-serif"}},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.7}},
                  "font": {"size": 15, "color": "#9a3412", "strokeWidth": 4, "strokeColor": "#ffffff"}},
        "interaction": {"hover": True, "tooltipDelay": 150, "dragNodes": False},
    }
    start = min(days, default=dt.date.today())
    end = max((G.nodes[a].get("latest") or G.nodes[a]["earliest"] for a in acts), default=start)
    half_labels = [len(n["label"]) * _CHAR_PX / 2 for n in net.nodes]
    left = min((n["x"] - h for n, h in zip(net.nodes, half_labels, strict=True)), default=axis.x(start)) - 30
    right = max([axis.x(end)] + [n["x"] + h for n, h in zip(net.nodes, half_labels, strict=True)]) + 30
    canvas = {"left": round(left, 1), "right": round(right, 1), "top": lanes[0]["top"], "bottom": lanes[-1]["bottom"],
              "lanes": lanes, "ticks": axis.ticks(start, end), "breaks": [{"x": round(b, 1)} for b in axis.breaks],
              "ranges": ranges}
    return net, canvas


def _legend(G: nx.MultiDiGraph, net: Network) -> list[tuple[str, list[LegendItem]]]:
    kinds_present = {n["kind"] for n in net.nodes}
    shapes = [LegendItem(label, "#ffffff", KIND_SHAPES[kind], "#374151")
              for kind, label in (("event", "event (action)"), ("statement", "statement")) if kind in kinds_present]
    weights = [LegendItem(f"{bound:+g}", colour, "square", "#9ca3af") for bound, colour in GOLDSTEIN_SCALE[::2]]
    weights.append(LegendItem("no weight", goldstein_colour(None), "square", "#9ca3af"))
    keys = {e["kind"] for e in net.edges}
    edges = [LegendItem("answered by (asserted by a source)", EDGE_STYLES["respondsTo"].colour, "line"),
             LegendItem("answered by (inferred)", EDGE_STYLES[INFERRED_KEY].colour, "dashed")]
    edges = [item for item, key in zip(edges, ("respondsTo", INFERRED_KEY), strict=True) if key in keys] or edges[:1]
    if "about" in keys:
        edges.append(LegendItem("said about", EDGE_STYLES["about"].colour, "dashed"))
    return [("Acts", shapes), ("Goldstein weight (size grows with it)", weights), ("Arrows", edges)]


def timeline_page(G: nx.MultiDiGraph, sides: Sides) -> str:
    """The timeline of the dyad in ``sides`` as a self-contained HTML page."""
    net, canvas = timeline_network(G, sides)
    counts = {kind: sum(1 for n in net.nodes if n["kind"] == kind) for kind in ("event", "statement")}
    dates = sorted(n["earliest"] for n in net.nodes)
    span = f"{dates[0]} to {max(n['latest'] for n in net.nodes)}" if dates else "no dated acts"
    subtitle = (f"{counts['event']} events, {counts['statement']} statements, {span} · x = earliest day, "
                "bar = the fuzzy date's range, ≈ = a long quiet stretch compressed · lanes by side")
    return render_page(net, kind="timeline", subtitle=subtitle, legend=_legend(G, net), extra={"timeline": canvas})


def timeline_view(store: Store, *, dyad: tuple[str, str] | None = None, start: dt.date | None = None,
                  end: dt.date | None = None) -> str:
    """The timeline of ``dyad`` (two actors by id, name or alias; default: the two states
    with the most hostile events between them) as an HTML page, acts limited to
    ``start``–``end`` when given.

    Raises
    ------
    QueryError
        If an actor of ``dyad`` is unknown or ambiguous.
    InputError
        If no dyad is given and none can be found, or the dates are reversed.

    Examples
    --------
    >>> from graph.pipeline import build
    >>> from graph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> _ = build(store)
    >>> page = timeline_view(store, dyad=("Kyiv", "Moscow"), start=dt.date(2023, 7, 1))
    >>> "Ukraine ↔ Russia: timeline" in page
    True
    """
    G = project(store)
    pair = tuple(resolve_actor(store, name).value for name in dyad) if dyad else None
    sides = dyad_sides(G, pair)
    return timeline_page(within_dates(G, start, end), sides)
