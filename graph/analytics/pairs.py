"""Action and reaction: tit-for-tat pairs, chains of them, reciprocity per dyad, inferred links.

A **pair** is a hostile act by X against Y (the stimulus) and a hostile act by Y against
X (the response) that may start 0 to ``window`` days after it: on fuzzy dates the lag
lies in (response earliest - stimulus latest, response latest - stimulus earliest) and
that range must meet [0, window]. These are the pairs of the named query
``tit-for-tat``, found by sorting and ``searchsorted`` instead of a SPARQL join.

Every example below uses this escalation chain: North detains (-5), South shells (-10),
North strikes again over three days (-10), and South answers only a month later.

>>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0),
...          ("e4", "south", "north", "2024-04-20", "2024-04-20", -9.5)]
>>> [(p.stimulus, p.response, p.lag_min, p.lag_max) for p in action_reaction_pairs(CHAIN)]
[('e1', 'e2', 4, 4), ('e2', 'e3', 5, 7)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import numpy as np

from graph.analytics.acts import HostileActs, hostile_acts, is_store, window_join
from graph.mapper import inferred_link_quads
from graph.namespaces import INFERRED_GRAPH
from graph.store import Store

__all__ = [
    "INFERENCE_METHOD",
    "Chain",
    "DyadReciprocity",
    "Pair",
    "ReactionPairs",
    "action_reaction_pairs",
    "infer_response_links",
    "reaction_chains",
    "reaction_graph",
    "reciprocity",
    "reciprocity_graph",
]


# How an inferred link was found, written on each link (esc:method).
INFERENCE_METHOD = "reversed-dyad window {window} days"


class Pair(NamedTuple):
    """One stimulus and the response that may answer it, as plain values."""

    stimulus: str
    response: str
    actor: str
    responder: str
    stimulus_earliest: dt.date
    stimulus_latest: dt.date
    response_earliest: dt.date
    response_latest: dt.date
    lag_min: int
    lag_max: int
    stimulus_goldstein: float
    response_goldstein: float

    @property
    def goldstein_change(self) -> float:
        """Response minus stimulus weight: negative when the reply was harsher."""
        return self.response_goldstein - self.stimulus_goldstein

    @property
    def direction(self) -> str:
        """``escalation`` (the reply harsher), ``de-escalation`` or ``same``."""
        change = self.goldstein_change
        return "escalation" if change < 0 else "de-escalation" if change > 0 else "same"


@dataclass(frozen=True, eq=False)
class ReactionPairs:
    """Pairs as two arrays of rows of ``acts``: ``stimulus[k]`` answered by ``response[k]``.

    Cheap to build at any size; :meth:`order`, iteration and :meth:`scores` do the
    per-pair work only when asked. Iteration yields :class:`Pair` in the order of the
    ``tit-for-tat`` query: by stimulus (earliest, latest, IRI), then response.
    """

    acts: HostileActs
    stimulus: np.ndarray
    response: np.ndarray
    window: int

    def __len__(self) -> int:
        return len(self.stimulus)

    @property
    def lag_min(self) -> np.ndarray:
        """The shortest lag in days the fuzzy dates allow, per pair."""
        return self.acts.earliest[self.response] - self.acts.latest[self.stimulus]

    @property
    def lag_max(self) -> np.ndarray:
        """The longest lag in days the fuzzy dates allow, per pair."""
        return self.acts.latest[self.response] - self.acts.earliest[self.stimulus]

    def order(self) -> np.ndarray:
        """Pair indices sorted as the ``tit-for-tat`` query sorts its rows."""
        a = self.acts
        names = np.array(a.acts, dtype=object)
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names, kind="stable")] = np.arange(len(names))
        s, r = self.stimulus, self.response
        return np.lexsort((a.target[s], a.agent[s], rank[a.act[r]], a.latest[r], a.earliest[r],
                           rank[a.act[s]], a.latest[s], a.earliest[s]))

    def __iter__(self) -> Iterator[Pair]:
        a = self.acts
        for k in self.order():
            s, r = self.stimulus[k], self.response[k]
            yield Pair(a.acts[a.act[s]], a.acts[a.act[r]], a.actors[a.agent[s]], a.actors[a.target[s]],
                       a.day(a.earliest[s]), a.day(a.latest[s]), a.day(a.earliest[r]), a.day(a.latest[r]),
                       int(a.earliest[r] - a.latest[s]), int(a.latest[r] - a.earliest[s]),
                       float(a.goldstein[s]), float(a.goldstein[r]))

    def scores(self) -> np.ndarray:
        """How likely each response is to answer its stimulus, from 0 to 1.

        The expectation, were each act's day equally likely anywhere in its range, of a
        kernel that is 1 at lag 0 and falls linearly to 0 just past the window
        (``1 - lag / (window + 1)``, and 0 for a negative lag). Exact days at lag 0 score
        1; a month-wide date scores low because most of its days fall outside.
        """
        a = self.acts
        se, sl = a.earliest[self.stimulus], a.latest[self.stimulus]
        re, rl = a.earliest[self.response], a.latest[self.response]
        total = np.zeros(len(self), dtype=np.float64)
        for lag in range(self.window + 1):
            days = np.minimum(rl, sl + lag) - np.maximum(re, se + lag) + 1
            total += np.clip(days, 0, None) * (1 - lag / (self.window + 1))
        return total / ((sl - se + 1) * (rl - re + 1))


def _check_window(window: object) -> int:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)):
        raise TypeError(f"the window is a whole number of days, not {type(window).__name__}")
    if window < 0:
        raise ValueError(f"the window must be 0 days or more, not {window}")
    return int(window)


def action_reaction_pairs(G_or_rows: object, *, window: int = 14) -> ReactionPairs:
    """Every hostile act by X against Y answered within ``window`` days by one of Y against X.

    Parameters
    ----------
    G_or_rows : Store, HostileActs, networkx.MultiDiGraph or rows
        The hostile acts, as :func:`graph.analytics.hostile_acts` reads them (a store is
        queried once, each side rolled up to the actor it acts for).
    window : int
        Days after the stimulus within which the response must be able to start.

    Returns
    -------
    ReactionPairs
        One pair per stimulus, response and dyad; ``len()`` counts them, iterating
        gives :class:`Pair` in the order of the ``tit-for-tat`` query.

    Raises
    ------
    TypeError
        If ``G_or_rows`` is not one of the above, or ``window`` is not an integer.
    ValueError
        If ``window`` is negative.
    DataError
        If rows lack a column or carry a bad date.

    Examples
    --------
    >>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
    ...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
    ...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0),
    ...          ("e4", "south", "north", "2024-04-20", "2024-04-20", -9.5)]
    >>> pairs = action_reaction_pairs(CHAIN)
    >>> [(p.stimulus, p.response, p.direction) for p in pairs]
    [('e1', 'e2', 'escalation'), ('e2', 'e3', 'same')]
    >>> len(action_reaction_pairs(CHAIN, window=60))  # e3 -> e4 and e1 -> e4 too
    4
    >>> len(action_reaction_pairs([]))
    0
    """
    window = _check_window(window)
    acts = hostile_acts(G_or_rows)
    n = max(len(acts.actors), 1)
    forward = acts.agent * n + acts.target
    backward = acts.target * n + acts.agent
    stimulus, response = window_join(backward, acts.earliest, acts.latest, forward, acts.earliest, acts.latest,
                                     window=window)
    keep = acts.act[stimulus] != acts.act[response]
    return ReactionPairs(acts, stimulus[keep], response[keep], window)


def _as_pairs(data: object, window: int) -> ReactionPairs:
    if isinstance(data, ReactionPairs):
        return data
    return action_reaction_pairs(data, window=window)


def reaction_graph(G_or_rows: object, *, window: int = 14) -> nx.DiGraph:
    """The pairs as a directed graph: acts are nodes, an edge runs from stimulus to response.

    Nodes carry ``agent``, ``target``, ``earliest``, ``latest`` (ISO days) and
    ``goldstein``; edges ``lag_min_days``, ``lag_max_days`` and ``goldstein_change``.
    Plain values only, so GraphML and GEXF can hold them.

    Parameters
    ----------
    G_or_rows : ReactionPairs, or anything :func:`action_reaction_pairs` takes
    window : int
        Days, when pairs are to be found.

    Examples
    --------
    >>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
    ...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
    ...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0)]
    >>> G = reaction_graph(CHAIN)
    >>> sorted(G.edges(data="lag_max_days"))
    [('e1', 'e2', 4), ('e2', 'e3', 7)]
    >>> G.nodes["e3"]["latest"], G.nodes["e3"]["agent"]
    ('2024-03-12', 'north')
    """
    pairs = _as_pairs(G_or_rows, window)
    a = pairs.acts
    G = nx.DiGraph(window=pairs.window)
    for k in pairs.order():
        s, r = int(pairs.stimulus[k]), int(pairs.response[k])
        for row in (s, r):
            iri = a.acts[a.act[row]]
            if iri not in G:
                G.add_node(iri, agent=a.actors[a.agent[row]], target=a.actors[a.target[row]],
                           earliest=a.day(a.earliest[row]).isoformat(), latest=a.day(a.latest[row]).isoformat(),
                           goldstein=float(a.goldstein[row]))
        G.add_edge(a.acts[a.act[s]], a.acts[a.act[r]], lag_min_days=int(a.earliest[r] - a.latest[s]),
                   lag_max_days=int(a.latest[r] - a.earliest[s]),
                   goldstein_change=float(a.goldstein[r] - a.goldstein[s]))
    return G


@dataclass(frozen=True)
class Chain:
    """Acts answering one another in turn between two sides, each within the window of
    the one before. ``sides`` are the first act's agent and target."""

    acts: tuple[str, ...]
    sides: tuple[str, str]
    start: dt.date
    end: dt.date

    def __len__(self) -> int:
        return len(self.acts)


def reaction_chains(G_or_rows: object, *, window: int = 14) -> list[Chain]:
    """The longest chain of action and reaction in each exchange, longest first.

    The pairs form a graph of acts; an *exchange* is a connected part of it. Within an
    exchange, a chain runs through acts that each answer the one before (a pair), in the
    order of their fuzzy dates (earliest, then latest day, then IRI), so that no chain
    loops when two wide date ranges overlap. Each exchange gives its longest chain.

    Parameters
    ----------
    G_or_rows : ReactionPairs, or anything :func:`action_reaction_pairs` takes
    window : int
        Days, when pairs are to be found.

    Returns
    -------
    list of Chain
        Longest first, then by start day and first act.

    Examples
    --------
    >>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
    ...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
    ...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0),
    ...          ("e4", "south", "north", "2024-04-20", "2024-04-20", -9.5)]
    >>> [(c.acts, c.sides, str(c.end)) for c in reaction_chains(CHAIN)]
    [(('e1', 'e2', 'e3'), ('north', 'south'), '2024-03-12')]
    >>> reaction_chains([])
    []
    """
    pairs = _as_pairs(G_or_rows, window)
    a = pairs.acts
    first_row: dict[str, int] = {}
    for row in range(len(a)):
        first_row.setdefault(a.acts[a.act[row]], row)

    def position(iri: str) -> tuple:
        row = first_row[iri]
        return int(a.earliest[row]), int(a.latest[row]), iri

    G = nx.DiGraph()
    for s, r in zip(pairs.stimulus.tolist(), pairs.response.tolist()):
        stimulus, response = a.acts[a.act[s]], a.acts[a.act[r]]
        if position(response) > position(stimulus):
            G.add_edge(stimulus, response)
    chains = []
    for part in nx.weakly_connected_components(G):
        ordered = sorted(part, key=position)
        path = nx.dag_longest_path(G.subgraph(ordered), topo_order=ordered)
        head, tail = first_row[path[0]], first_row[path[-1]]
        chains.append(Chain(tuple(path), (a.actors[a.agent[head]], a.actors[a.target[head]]),
                            a.day(a.earliest[head]), a.day(a.latest[tail])))
    return sorted(chains, key=lambda c: (-len(c), c.start, c.acts))


@dataclass(frozen=True)
class DyadReciprocity:
    """How ``target`` answered ``actor``'s hostile acts.

    ``stimuli`` counts the actor's hostile acts against the target and ``answered`` those
    the target answered within the window. Lags are those of each stimulus's first
    answer, in days: on fuzzy dates, the middle of the lags from 0 to the window that the
    two date ranges allow. ``escalation_ratio`` is the mean
    of first answer's Goldstein weight over the stimulus's (above 1: the answers were
    harsher), and ``escalated`` the share of answered stimuli whose first answer was harsher.
    """

    actor: str
    target: str
    stimuli: int
    answered: int
    response_rate: float
    lag_q1_days: float | None
    lag_median_days: float | None
    lag_q3_days: float | None
    escalation_ratio: float | None
    escalated: float | None


def reciprocity(G_or_rows: object, *, window: int = 14) -> list[DyadReciprocity]:
    """Per directed dyad: how often, how fast and how hard the target answered the actor.

    Parameters
    ----------
    G_or_rows : ReactionPairs, or anything :func:`action_reaction_pairs` takes
    window : int
        Days, when pairs are to be found.

    Returns
    -------
    list of DyadReciprocity
        One per (actor, target) with at least one hostile act, most stimuli first.

    Examples
    --------
    >>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
    ...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
    ...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0),
    ...          ("e4", "south", "north", "2024-04-20", "2024-04-20", -9.5)]
    >>> for d in reciprocity(CHAIN):
    ...     print(d.actor, d.target, d.stimuli, d.answered, d.lag_median_days, d.escalation_ratio)
    north south 2 1 4.0 2.0
    south north 2 1 6.0 1.0
    """
    pairs = _as_pairs(G_or_rows, window)
    a = pairs.acts
    n = max(len(a.actors), 1)
    dyad = a.agent * n + a.target
    results = []
    if len(a) == 0:
        return results
    s, r = pairs.stimulus, pairs.response
    # The middle of the lags that make the pair a response (0 to window): a wide fuzzy
    # date may allow negative lags too, which say nothing about how fast the answer came.
    middle = (np.maximum(pairs.lag_min, 0) + np.minimum(pairs.lag_max, pairs.window)) / 2
    order = np.lexsort((r, middle, s))
    s_sorted = s[order]
    first = order[np.r_[True, s_sorted[1:] != s_sorted[:-1]]] if len(order) else order
    first_stimulus, first_response, first_lag = s[first], r[first], middle[first]
    # Per dyad, vectorised: sort the first answers by (dyad, lag) and read each dyad's
    # quartiles, shares and means off its slice.
    answered_dyad = dyad[first_stimulus]
    by_dyad = np.lexsort((first_lag, answered_dyad))
    lags = first_lag[by_dyad]
    stimulus_weight = a.goldstein[first_stimulus][by_dyad]
    answer_weight = a.goldstein[first_response][by_dyad]
    groups, starts, sizes = np.unique(answered_dyad[by_dyad], return_index=True, return_counts=True)

    def quantile(q: float) -> np.ndarray:
        position = starts + q * (sizes - 1)
        low, high = np.floor(position).astype(np.int64), np.ceil(position).astype(np.int64)
        return lags[low] + (lags[high] - lags[low]) * (position - low)

    figures: dict[int, tuple] = {}
    if len(groups):
        nonzero = stimulus_weight != 0
        ratios = np.where(nonzero, answer_weight / np.where(nonzero, stimulus_weight, 1), 0)
        ratio_count = np.add.reduceat(nonzero.astype(np.int64), starts)
        ratio_sum = np.add.reduceat(ratios, starts)
        harsher = np.add.reduceat((answer_weight < stimulus_weight).astype(np.int64), starts)
        columns = (sizes, quantile(0.25), quantile(0.5), quantile(0.75), ratio_sum, ratio_count, harsher)
        for key, size, q1, median, q3, total, counted, worse in zip(groups.tolist(), *(c.tolist() for c in columns)):
            figures[key] = (size, q1, median, q3, total / counted if counted else None, worse / size)
    dyads, stimuli = np.unique(dyad, return_counts=True)
    for key, count in zip(dyads.tolist(), stimuli.tolist()):
        answered, q1, median, q3, ratio, escalated = figures.get(key, (0, None, None, None, None, None))
        results.append(DyadReciprocity(a.actors[key // n], a.actors[key % n], count, answered, answered / count,
                                       q1, median, q3, ratio, escalated))
    return sorted(results, key=lambda d: (-d.stimuli, d.actor, d.target))


def reciprocity_graph(dyads: Sequence[DyadReciprocity], names: dict[str, str] | None = None) -> nx.DiGraph:
    """The dyads as a directed graph of actors: an edge actor → target with its figures.

    ``names`` (actor → name) become the nodes' ``label``; figures that are ``None``
    (no answer) are left off the edge, as GraphML cannot hold them.

    Examples
    --------
    >>> d = DyadReciprocity("north", "south", 2, 1, 0.5, 4.0, 4.0, 4.0, 2.0, 1.0)
    >>> G = reciprocity_graph([d], {"north": "Northland"})
    >>> G.nodes["north"]["label"], G.edges["north", "south"]["response_rate"]
    ('Northland', 0.5)
    """
    names = names or {}
    G = nx.DiGraph()
    for d in dyads:
        for actor in (d.actor, d.target):
            G.add_node(actor, label=names.get(actor, actor))
        figures = {k: v for k, v in vars(d).items() if k not in ("actor", "target") and v is not None}
        G.add_edge(d.actor, d.target, **figures)
    return G


def infer_response_links(store: Store, *, window: int = 14) -> ReactionPairs:
    """Write every pair as a candidate response link into the inferred named graph.

    Each link is an ``esc:ResponseLink`` from stimulus to response with its lag range,
    its score (:meth:`ReactionPairs.scores`) and its method, in
    :data:`~graph.namespaces.INFERRED_GRAPH` alone, which is replaced whole: asserted
    facts are never touched, and no ``esc:respondsTo`` or ``esc:assertedBy`` is written
    (those mean a source asserted the link). SPARQL sees the links as ``?link esc:score ?s``.

    Parameters
    ----------
    store : Store
    window : int
        Days after the stimulus within which the response must be able to start.

    Returns
    -------
    ReactionPairs
        The pairs written (a pair of acts once, whatever its dyads).

    Raises
    ------
    TypeError
        If ``store`` is not a store.

    Examples
    --------
    >>> from graph.store import EmbeddedStore
    >>> from graph.pipeline import build
    >>> store = EmbeddedStore(None)
    >>> _ = build(store)
    >>> written = infer_response_links(store)
    >>> store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?link esc:score ?s } }").values()[0]["n"] == len(written)
    True
    """
    if not is_store(store):
        raise TypeError(f"infer_response_links writes into a store, not {type(store).__name__}")
    pairs = action_reaction_pairs(store, window=window)
    a = pairs.acts
    codes = a.act[pairs.stimulus] * len(a.acts) + a.act[pairs.response]
    _, once = np.unique(codes, return_index=True)
    once.sort()
    pairs = ReactionPairs(a, pairs.stimulus[once], pairs.response[once], pairs.window)
    method = INFERENCE_METHOD.format(window=pairs.window)

    def quads():
        for s, r, low, high, score in zip(pairs.stimulus.tolist(), pairs.response.tolist(), pairs.lag_min.tolist(),
                                          pairs.lag_max.tolist(), pairs.scores().tolist()):
            yield from inferred_link_quads(a.acts[a.act[r]], a.acts[a.act[s]], lag_min=low, lag_max=high,
                                           score=score, method=method)

    store.replace_graphs([INFERRED_GRAPH], quads())
    return pairs
