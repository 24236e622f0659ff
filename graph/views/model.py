"""What the views read from a projected graph (:func:`graph.projection.project`): sides,
dates, who did and said what, and the plain-text labels and tooltips of nodes.

Sides follow ``esc:actsFor`` transitively to a state: Zelensky acts for Ukraine, so he
is on Ukraine's side; an analyst merely affiliated with an institute is a third party.
Without a dyad given, the views take the pair of states with the most hostile events
between them (:func:`main_dyad`).

Examples
--------
>>> import datetime as dt, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("kyiv", kind="actor", type="State", name="Ukraine")
>>> G.add_node("moscow", kind="actor", type="State", name="Russia")
>>> G.add_node("spokesman", kind="actor", type="Person", name="A spokesman")
>>> G.add_edge("spokesman", "kyiv", "actsFor")
'actsFor'
>>> G.add_node("strike", kind="event", quad_class=4, earliest=dt.date(2023, 8, 1), latest=dt.date(2023, 8, 1))
>>> _ = G.add_edge("strike", "kyiv", "agent"), G.add_edge("strike", "moscow", "target")
>>> sides = dyad_sides(G)
>>> sides.first, sides.second, sides.names["first"]
('kyiv', 'moscow', 'Ukraine side')
>>> sides.side("spokesman"), sides.side("strike")
('first', 'first')
>>> date_range_text(G.nodes["strike"])
'2023-08-01'
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import networkx as nx

from graph.errors import InputError

__all__ = [
    "ACT_KINDS",
    "Sides",
    "actors_covered",
    "date_range_text",
    "display_name",
    "dyad_sides",
    "in_window",
    "involved_actors",
    "is_official",
    "main_dyad",
    "neighbours",
    "node_link",
    "safe_link",
    "short_text",
    "source_of",
    "tooltip",
    "within_dates",
]

ACT_KINDS = ("event", "statement")


def neighbours(G: nx.MultiDiGraph, node: str, key: str, *, incoming: bool = False) -> list[str]:
    """The nodes ``node`` points to by edges keyed ``key`` (or that point to it), sorted."""
    edges = G.in_edges(node, keys=True) if incoming else G.out_edges(node, keys=True)
    return sorted({(u if incoming else v) for u, v, k in edges if k == key})


def _states_served(G: nx.MultiDiGraph, actor: str, types: tuple[str, ...] = ("State",)) -> set[str]:
    seen, todo, states = {actor}, [actor], set()
    while todo:
        current = todo.pop()
        if G.nodes[current].get("type") in types:
            states.add(current)
        for principal in neighbours(G, current, "actsFor"):
            if principal not in seen:
                seen.add(principal)
                todo.append(principal)
    return states


def _acts_for(G: nx.MultiDiGraph) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(G)
    graph.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "actsFor")
    return graph


def is_official(G: nx.MultiDiGraph, actor: str) -> bool:
    """Whether ``actor`` is a state or an alliance, or acts for one (``esc:actsFor*``): a
    government voice, as opposed to an analyst, a reporter or a witness.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("spokesman", "white-house", "actsFor"), ("white-house", "usa", "actsFor")])
    >>> G.nodes["usa"]["type"] = "State"
    >>> is_official(G, "spokesman"), is_official(G, "white-house"), G.add_node("analyst") or is_official(G, "analyst")
    (True, True, False)
    """
    return bool(_states_served(G, actor, ("State", "Alliance")))


def actors_covered(G: nx.MultiDiGraph, actor: str) -> list[str]:
    """``actor`` and everyone who acts for it, directly or through others (``esc:actsFor*``).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("spokesman", "ministry", "actsFor"), ("ministry", "state", "actsFor")])
    >>> actors_covered(G, "state")
    ['ministry', 'spokesman', 'state']
    """
    return sorted(nx.ancestors(_acts_for(G), actor) | {actor}) if actor in G else [actor]


@dataclass
class Sides:
    """The two states of a dyad, and for every actor the side it is on: ``first`` or
    ``second`` (it is, or acts for, that state) or ``third``."""

    G: nx.MultiDiGraph
    first: str | None
    second: str | None
    names: dict[str, str]
    of_actor: dict[str, str] = field(default_factory=dict)

    def side(self, node: str) -> str | None:
        """The side of any node: an actor's own; an event's is its agents' (``unknown``
        when it has none); a statement's is its speaker's; a source has none."""
        kind = self.G.nodes[node].get("kind")
        if kind == "actor":
            return self.of_actor.get(node, "third")
        if kind == "event":
            found = {self.of_actor.get(a, "third") for a in neighbours(self.G, node, "agent")}
        elif kind == "statement":
            found = {self.of_actor.get(a, "third") for a in neighbours(self.G, node, "speaker")}
        else:
            return None
        for side in ("first", "second", "third"):
            if side in found:
                return side
        return "unknown"


def _hostile_pairs(G: nx.MultiDiGraph) -> Counter:
    states = {a: _states_served(G, a) for a, d in G.nodes(data=True) if d.get("kind") == "actor"}
    pairs: Counter = Counter()
    for event, data in G.nodes(data=True):
        if data.get("kind") != "event" or data.get("quad_class") != 4:
            continue
        for agent in neighbours(G, event, "agent"):
            for target in neighbours(G, event, "target"):
                for a in states.get(agent, ()):
                    for b in states.get(target, ()):
                        if a != b:
                            pairs[a, b] += 1
    return pairs


def main_dyad(G: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The two states with the most hostile events (QuadClass 4) between them, the more
    active attacker first; ``None`` when no hostile event joins two states."""
    pairs = _hostile_pairs(G)
    if not pairs:
        return None
    totals = Counter({tuple(sorted(p)): pairs[p] + pairs[p[::-1]] for p in pairs})
    a, b = min(totals, key=lambda p: (-totals[p], p))
    return (a, b) if pairs[a, b] >= pairs[b, a] else (b, a)


def display_name(G: nx.MultiDiGraph, node: str) -> str:
    """What a node is called: an actor's name, an act's or source's label, else its key."""
    data = G.nodes[node]
    return str(data.get("name") or data.get("label") or data.get("key") or node)


def dyad_sides(G: nx.MultiDiGraph, dyad: tuple[str, str] | None = None) -> Sides:
    """The sides of every actor for ``dyad`` (two actor IRIs; default :func:`main_dyad`).

    Raises
    ------
    InputError
        If the two actors of the dyad are the same, or one is not in the graph.
    """
    if dyad is not None:
        missing = [a for a in dyad if a not in G]
        if missing:
            raise InputError(f"the dyad's actor {missing[0]} is not in the graph")
        if dyad[0] == dyad[1]:
            raise InputError("a dyad needs two different actors")
    pair = dyad if dyad is not None else main_dyad(G)
    if pair is None:
        return Sides(G, None, None, {"third": "all actors"})
    first, second = pair
    names = {"first": f"{display_name(G, first)} side", "second": f"{display_name(G, second)} side",
             "third": "third parties", "unknown": "no agent named"}
    of_actor = {}
    for side, leader in (("second", second), ("first", first)):
        for actor in actors_covered(G, leader):
            of_actor[actor] = side
    return Sides(G, first, second, names, of_actor)


def in_window(data: dict, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether an act's fuzzy date ``[earliest, latest]`` meets the window ``[start, end]``
    (a missing bound is open); undated nodes are always in.

    Examples
    --------
    >>> d = {"earliest": dt.date(2023, 7, 1), "latest": dt.date(2023, 7, 28)}
    >>> in_window(d, dt.date(2023, 7, 20), None), in_window(d, None, dt.date(2023, 6, 30))
    (True, False)
    """
    earliest, latest = data.get("earliest"), data.get("latest")
    if earliest is None:
        return True
    return (start is None or (latest or earliest) >= start) and (end is None or earliest <= end)


def within_dates(G: nx.MultiDiGraph, start: dt.date | None, end: dt.date | None, *,
                 always: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The part of ``G`` whose acts meet ``[start, end]`` (and the acts in ``always``),
    with the actors and sources that those acts touch (and whom those actors act for).
    ``G`` itself when no bound is given.

    Raises
    ------
    InputError
        If ``start`` is after ``end``.
    """
    if start is None and end is None:
        return G
    if start is not None and end is not None and start > end:
        raise InputError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    acts = {n for n, d in G.nodes(data=True) if d.get("kind") in ACT_KINDS and in_window(d, start, end)}
    acts.update(n for n in always if n in G)
    keep = set(acts)
    for act in acts:
        keep.update(v for _, v in G.out_edges(act))
        keep.update(u for u, _ in G.in_edges(act) if G.nodes[u].get("kind") not in ACT_KINDS)
    keep = {n for n in keep if G.nodes[n].get("kind") not in ACT_KINDS or n in acts}
    acts_for = _acts_for(G)
    for actor in [n for n in keep if G.nodes[n].get("kind") == "actor"]:
        keep.update(nx.descendants(acts_for, actor))
    return G.subgraph(keep).copy()


def involved_actors(G: nx.MultiDiGraph, node: str) -> list[str]:
    """The actors an act involves (agents, targets, speaker, for whom, whom it blames or is
    about); an actor involves itself."""
    if G.nodes[node].get("kind") == "actor":
        return [node]
    found = set()
    for key in ("agent", "target", "speaker", "onBehalfOf", "attributesTo", "about"):
        found.update(a for a in neighbours(G, node, key) if G.nodes[a].get("kind") == "actor")
    return sorted(found)


def short_text(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> short_text("A string of drone strikes\\n on Russian cities", 20)
    'A string of drone s…'
    """
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def date_range_text(data: dict) -> str:
    """An act's dates as ``earliest`` or ``earliest – latest``, after the source's words."""
    earliest, latest = data.get("earliest"), data.get("latest")
    if earliest is None:
        return ""
    span = earliest.isoformat() if latest in (None, earliest) else f"{earliest.isoformat()} – {latest.isoformat()}"
    words = data.get("date_text")
    return f"{words} ({span})" if words else span


def safe_link(url: object) -> str | None:
    """``url`` when it is an http(s) address a reader may follow, else ``None``
    (``javascript:`` and other schemes are shown as text only).

    Examples
    --------
    >>> safe_link("https://edition.cnn.com/x"), safe_link("javascript:alert(1)")
    ('https://edition.cnn.com/x', None)
    """
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def source_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """The first source a record is drawn from, if any."""
    sources = neighbours(G, node, "source")
    return sources[0] if sources else None


def node_link(G: nx.MultiDiGraph, node: str) -> str | None:
    """The web address a reader may follow from a node: its own (an imported event's
    article), else its source's; only http(s) (see :func:`safe_link`)."""
    source = source_of(G, node)
    return safe_link(G.nodes[node].get("url")) or (safe_link(G.nodes[source].get("url")) if source else None)


def _names(G: nx.MultiDiGraph, nodes: Iterable[str]) -> str:
    return "; ".join(display_name(G, n) for n in nodes)


def _code_text(data: dict) -> str:
    parts = [f"CAMEO {data['cameo']}" if data.get("cameo") else "",
             f"Goldstein {data['goldstein']:+.1f}" if data.get("goldstein") is not None else ""]
    return (" · " + ", ".join(p for p in parts if p)) if any(parts) else ""


def _lines(G: nx.MultiDiGraph, node: str, sides: Sides | None) -> Iterator[str]:
    data = G.nodes[node]
    kind = data.get("kind")
    if kind == "actor":
        yield f"{display_name(G, node)} ({data.get('type', 'actor').lower()})"
        if data.get("role"):
            yield str(data["role"])
        if data.get("aliases"):
            yield "Also called: " + ", ".join(map(str, data["aliases"]))
        if neighbours(G, node, "actsFor"):
            yield "Acts for: " + _names(G, neighbours(G, node, "actsFor"))
        if sides is not None and sides.first is not None:
            yield "Side: " + sides.names[sides.side(node)]
    elif kind == "event":
        yield f"Event: {data.get('event_type_label', 'event')}{_code_text(data)}"
        yield str(data.get("label", ""))
        yield "When: " + date_range_text(data)
        if data.get("attempted"):
            yield "Attempted, not completed"
        yield "Agent: " + (_names(G, neighbours(G, node, "agent")) or "none named")
        if neighbours(G, node, "target"):
            yield "Target: " + _names(G, neighbours(G, node, "target"))
        if data.get("outcome"):
            yield "Outcome: " + str(data["outcome"])
    elif kind == "statement":
        speaker = _names(G, neighbours(G, node, "speaker"))
        for_whom = neighbours(G, node, "onBehalfOf")
        by = f"{speaker}, for {_names(G, for_whom)}" if for_whom else speaker
        yield f"Statement: {data.get('speech_act_label', 'statement')} by {by}{_code_text(data)}"
        if data.get("quote"):
            yield f"“{data['quote']}”"
        if data.get("paraphrase"):
            yield f"In other words: {data['paraphrase']}"
        yield "When: " + date_range_text(data)
        if data.get("channel"):
            yield "Channel: " + str(data["channel"])
        if neighbours(G, node, "about"):
            yield "About: " + _names(G, neighbours(G, node, "about"))
        if neighbours(G, node, "attributesTo"):
            yield "Attributes it to: " + _names(G, neighbours(G, node, "attributesTo"))
    elif kind == "source":
        yield f"Source: {data.get('label', data.get('key', node))}"
        if data.get("published"):
            yield f"Published: {data['published']}"
    else:
        yield str(data.get("key", node))
    if kind in ACT_KINDS and data.get("evidence"):
        yield f"Evidence: “{short_text(data['evidence'], 300)}”"
    source = source_of(G, node)
    if source is not None:
        published = G.nodes[source].get("published")
        yield f"Source: {display_name(G, source)}" + (f" ({published})" if published else "")
    url = data.get("url") or (G.nodes[source].get("url") if source is not None else None)
    if url:
        yield f"Link: {url}"


def tooltip(G: nx.MultiDiGraph, node: str, sides: Sides | None = None) -> str:
    """The plain-text tooltip of a node: what it is, the quote, the date range, the source
    and its link. Shown with ``innerText``, so it needs no escaping and gets none."""
    return "\n".join(line for line in _lines(G, node, sides) if line.strip())
