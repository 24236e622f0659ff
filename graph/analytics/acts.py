"""Hostile acts as numpy columns, pulled once, and the windowed join every analysis shares.

The analyses never join acts in SPARQL: a reversed-dyad join over every pair of acts
does not finish on large graphs (FIELD-NOTES: none at 100k events). They pull the
hostile acts with one SELECT (:data:`HOSTILE_ACTS_QUERY`), roll each agent and target up
to the actor it acts for (the top of its ``esc:actsFor`` chain, as the named queries
do), and join with sorted arrays and ``numpy.searchsorted`` (:func:`window_join`).

Days are integers (days since 1970-01-01); a fuzzy date is the pair (earliest, latest).

Examples
--------
>>> acts = hostile_acts([("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
...                      ("e2", "south", "north", "2024-03-05", "2024-03-06", -10.0)])
>>> len(acts), acts.act_iri(1), acts.day(acts.latest[1]).isoformat()
(2, 'e2', '2024-03-06')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pyoxigraph as ox

from graph.act_index import HostileRows, hostile_rows
from graph.errors import DataError
from graph.store import Store, Table

__all__ = [
    "ACTS_FOR_QUERY",
    "HOSTILE_ACTS_QUERY",
    "HostileActs",
    "act_details",
    "actor_names",
    "day_numbers",
    "hostile_acts",
    "is_store",
    "roll_up",
    "window_join",
]

COLUMNS = ("act", "agent", "target", "earliest", "latest", "goldstein")

# One row per hostile act, agent and target, as the sources name them; roll_up then
# moves each agent and target to the actor it acts for. Rolling up in Python from the
# small esc:actsFor table is cheaper than a property path on every row.
HOSTILE_ACTS_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
SELECT ?act ?agent ?target ?earliest ?latest ?goldstein WHERE {
  ?act esc:cameoCode ?code ;
       esc:agent ?agent ;
       esc:target ?target ;
       esc:earliest ?earliest ;
       esc:latest ?latest .
  ?code esc:quadClass 4 ;
        esc:goldstein ?goldstein .
}"""

HOSTILE_CODES_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
SELECT ?code ?goldstein WHERE { ?code esc:quadClass 4 ; esc:goldstein ?goldstein }"""

ACTS_FOR_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
SELECT DISTINCT ?actor ?principal WHERE { ?actor esc:actsFor ?principal }"""

_EPOCH = dt.date(1970, 1, 1)


def is_store(value: object) -> bool:
    """Whether ``value`` is a store (anything with the :class:`~graph.store.Store` ``select``)."""
    return callable(getattr(value, "select", None)) and callable(getattr(value, "replace_graphs", None))


@dataclass(frozen=True, eq=False)
class HostileActs:
    """Hostile acts as columns: one row per act and (agent side, target side).

    ``act``, ``agent`` and ``target`` are integer codes into ``acts`` and ``actors``
    (their IRIs or keys); ``earliest`` and ``latest`` are day numbers; ``goldstein`` is
    the act's weight on the Goldstein scale (-10 most hostile).
    """

    acts: tuple[str, ...]
    actors: tuple[str, ...]
    act: np.ndarray
    agent: np.ndarray
    target: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    goldstein: np.ndarray

    def __len__(self) -> int:
        return len(self.act)

    def act_iri(self, row: int) -> str:
        """The IRI (or key) of the act on ``row``."""
        return self.acts[self.act[row]]

    @staticmethod
    def day(number: int) -> dt.date:
        """The calendar day of a day number."""
        return _EPOCH + dt.timedelta(days=int(number))


def _encode(values: Sequence[str], names: dict[str, int]) -> np.ndarray:
    return np.fromiter((names.setdefault(v, len(names)) for v in values), dtype=np.int64, count=len(values))


def day_numbers(values: Sequence[object], what: str = "date") -> np.ndarray:
    """Days since 1970-01-01 of dates given as ``datetime.date`` or ``YYYY-MM-DD``.

    Raises
    ------
    DataError
        If a value is not a date; ``what`` names the column in the message.

    Examples
    --------
    >>> day_numbers(["1970-01-02", dt.date(1969, 12, 31)]).tolist()
    [1, -1]
    """
    try:
        days = np.array([v.isoformat() if isinstance(v, dt.date) else str(v) for v in values],
                        dtype="datetime64[D]")
    except ValueError as exc:
        raise DataError(f"hostile acts: a {what} day is not a date (YYYY-MM-DD): {exc}") from exc
    return days.astype(np.int64)


def _build(acts: Sequence[str], agents: Sequence[str], targets: Sequence[str],
           earliest: Sequence[object] | np.ndarray, latest: Sequence[object] | np.ndarray,
           goldstein: Sequence[object]) -> HostileActs:
    """Columns from values; days as dates, ``YYYY-MM-DD`` or (arrays) day numbers.

    Acts and actors are numbered in the order of their names and the rows sorted, so that
    every analysis breaks ties alike whatever order the rows came in (the act index and
    SPARQL, or two SPARQL engines, give them in different orders)."""
    act_codes = _sorted_codes(acts)
    actor_codes = _sorted_codes([*agents, *targets])
    act = _encode(acts, act_codes)
    agent = _encode(agents, actor_codes)
    target = _encode(targets, actor_codes)
    first, last = (days if isinstance(days, np.ndarray) else day_numbers(days, what)
                   for days, what in ((earliest, "earliest"), (latest, "latest")))
    wrong = np.flatnonzero(first > last)
    if len(wrong):
        raise DataError(f"hostile act '{acts[wrong[0]]}': earliest day is after latest day")
    try:
        weights = np.asarray(goldstein, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"hostile acts: a Goldstein weight is not a number: {exc}") from exc
    order = np.lexsort((weights, last, first, target, agent, act))
    return HostileActs(tuple(act_codes), tuple(actor_codes), act[order], agent[order], target[order],
                       first[order], last[order], weights[order])


def _sorted_codes(names: Iterable[object]) -> dict[object, int]:
    """A code per distinct name, in the order of the names (text before other keys)."""
    distinct = sorted(set(names), key=lambda name: (not isinstance(name, str), str(name)))
    return {name: code for code, name in enumerate(distinct)}


def _rows_to_columns(rows: Iterable[object], names: Sequence[str], what: str) -> list[list[object]]:
    """One list per name of the values of ``rows`` (mappings with those keys, or tuples in
    that order); ``what`` names a row in errors."""
    columns: list[list[object]] = [[] for _ in names]
    for number, row in enumerate(rows, 1):
        if isinstance(row, Mapping):
            missing = [c for c in names if c not in row]
            if missing:
                raise DataError(f"{what} row {number} has no '{missing[0]}'; a row needs {', '.join(names)}")
            values = [row[c] for c in names]
        elif isinstance(row, Sequence) and not isinstance(row, str) and len(row) == len(names):
            values = list(row)
        else:
            raise DataError(f"{what} row {number} is neither a mapping nor a ({', '.join(names)}) tuple")
        for column, value in zip(columns, values):
            column.append(value)
    return columns


def _from_rows(rows: Iterable[object]) -> HostileActs:
    columns = _rows_to_columns(rows, COLUMNS, "hostile act")
    return _build(*([v.value if isinstance(v, ox.NamedNode) else v for v in column] for column in columns))


def _from_graph(G: nx.MultiDiGraph) -> HostileActs:
    columns: list[list[object]] = [[] for _ in COLUMNS]
    for agent, target, key, data in G.edges(keys=True, data=True):
        row = [data.get("act", key), agent, target, data.get("earliest"), data.get("latest"), data.get("goldstein")]
        if any(v is None for v in row):
            raise DataError(f"edge {agent} -> {target} ({key}) needs 'earliest', 'latest' and 'goldstein'")
        for column, value in zip(columns, row):
            column.append(value)
    return _build(*columns)


def _from_table(table: Table) -> HostileActs:
    if not table.rows:
        return _build([], [], [], [], [], [])
    index = [table.variables.index(c) for c in COLUMNS]
    columns = list(zip(*table.rows))
    act, agent, target, earliest, latest, goldstein = ([t.value for t in columns[i]] for i in index)
    return _build(act, agent, target, earliest, latest, goldstein)


def _index_rows(store: Store) -> HostileRows | None:
    """The hostile rows the store's act index holds; ``None`` when it has none or cannot
    answer alone (a code with two weights makes a product the store must join)."""
    folder = store.act_index() if callable(getattr(store, "act_index", None)) else None
    if folder is None:
        return None
    weights: dict[str, float] = {}
    for code, goldstein in store.select(HOSTILE_CODES_QUERY).rows:
        if code.value in weights or not isinstance(goldstein, ox.Literal):
            return None
        try:
            weights[code.value] = float(goldstein.value)
        except ValueError:
            return None
    try:
        return hostile_rows(folder, weights)
    except OSError:  # the generation was collected by later writes while we read it
        return None


def _from_store(store: Store) -> HostileActs:
    """The store's hostile acts: from its act index when it has one (a million acts in about
    a second rather than a minute), else with :data:`HOSTILE_ACTS_QUERY`."""
    rows = _index_rows(store)
    if rows is None:
        return _from_table(store.select(HOSTILE_ACTS_QUERY))
    agents = [rows.agents[i] for i in rows.agent.tolist()]
    targets = [rows.agents[i] for i in rows.target.tolist()]
    earliest, latest, goldstein = rows.days[0].tolist(), rows.days[1].tolist(), rows.goldstein.tolist()
    acts = list(rows.acts)
    for start in range(0, len(rows.ask_store), _CHUNK):
        # Acts whose facts lie in several graphs: the store joins them. IRIs from the index
        # went through ox.NamedNode when they were written.
        terms = " ".join(str(ox.NamedNode(i)) for i in rows.ask_store[start:start + _CHUNK])
        table = store.select(HOSTILE_ACTS_QUERY.replace("WHERE {", f"WHERE {{\n  VALUES ?act {{ {terms} }}", 1))
        for act, agent, target, first, last, weight in table.rows:
            acts.append(act.value)
            agents.append(agent.value)
            targets.append(target.value)
            earliest.append(day_numbers([first.value])[0])
            latest.append(day_numbers([last.value])[0])
            goldstein.append(float(weight.value))
    return _build(acts, agents, targets, np.array(earliest, np.int64), np.array(latest, np.int64), goldstein)


def roll_up(store: Store) -> dict[str, tuple[str, ...]]:
    """For each actor that acts for another, the actors at the top of its ``esc:actsFor``
    chains (actors that act for no one are their own top and are left out)."""
    G = nx.DiGraph()
    G.add_edges_from((row[0].value, row[1].value) for row in store.select(ACTS_FOR_QUERY).rows)
    return {actor: tuple(sorted(n for n in nx.descendants(G, actor) if G.out_degree(n) == 0))
            for actor in G if G.out_degree(actor)}


def _rolled_up(acts: HostileActs, tops: Mapping[str, tuple[str, ...]]) -> HostileActs:
    """Replace each agent and target by the actors it acts for; drop rows whose two sides
    are one actor, and rows repeated once sides are merged."""
    actors = list(acts.actors)
    codes = {a: i for i, a in enumerate(actors)}
    top_lists = []
    for actor in acts.actors:
        top_lists.append([codes.setdefault(t, len(codes)) for t in tops.get(actor, (actor,))])
    actors = list(codes)
    counts = np.array([len(t) for t in top_lists], dtype=np.int64)
    flat = np.array([c for t in top_lists for c in t], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(counts) else counts

    def expand(rows: np.ndarray, side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = counts[side[rows]]
        repeated = np.repeat(rows, n)
        within = np.arange(len(repeated)) - np.repeat(np.cumsum(n) - n, n)
        return repeated, flat[starts[side[repeated]] + within]

    rows = np.arange(len(acts))
    rows, agent = expand(rows, acts.agent)
    rows2, target = expand(np.arange(len(rows)), acts.target[rows])
    rows, agent = rows[rows2], agent[rows2]
    keep = agent != target
    rows, agent, target = rows[keep], agent[keep], target[keep]
    act = acts.act[rows]
    if np.unique(act).size < len(act):
        # Several agents with one top, or one act in two sources, repeat a row.
        key = np.stack([act, agent, target, acts.earliest[rows], acts.latest[rows],
                        acts.goldstein[rows].view(np.int64)])
        _, first = np.unique(key, axis=1, return_index=True)
        first.sort()
        rows, agent, target, act = rows[first], agent[first], target[first], act[first]
    return HostileActs(acts.acts, tuple(actors), act, agent, target, acts.earliest[rows],
                       acts.latest[rows], acts.goldstein[rows])


def hostile_acts(data: object) -> HostileActs:
    """The hostile acts of a store, a graph or rows, as columns.

    Parameters
    ----------
    data : Store, HostileActs, networkx.MultiDiGraph or iterable of rows
        A store: its acts of CAMEO QuadClass 4 are pulled with one SELECT, and each
        agent and target is replaced by the actors it acts for (the top of its
        ``esc:actsFor`` chain). A ``MultiDiGraph``: each edge agent → target is an act,
        with attributes ``earliest``, ``latest``, ``goldstein`` and optionally ``act``
        (else the edge key). Rows: mappings with the keys ``act``, ``agent``, ``target``,
        ``earliest``, ``latest``, ``goldstein``, or tuples in that order; dates as
        ``datetime.date`` or ``YYYY-MM-DD``. Graphs and rows are taken as they are
        (no roll-up): give the sides you want paired.

    Returns
    -------
    HostileActs

    Raises
    ------
    TypeError
        If ``data`` is none of the above.
    DataError
        If a row lacks a column, a date is not a date, or earliest is after latest.

    Examples
    --------
    >>> acts = hostile_acts([{"act": "e1", "agent": "north", "target": "south", "earliest": "2024-03-01",
    ...                       "latest": "2024-03-02", "goldstein": -5.0}])
    >>> acts.actors, acts.latest - acts.earliest
    (('north', 'south'), array([1]))
    >>> hostile_acts(42)
    Traceback (most recent call last):
    ...
    TypeError: hostile acts come from a store, a networkx MultiDiGraph or rows, not int
    """
    if isinstance(data, HostileActs):
        return data
    if is_store(data):
        return _rolled_up(_from_store(data), roll_up(data))
    if isinstance(data, nx.MultiDiGraph):
        return _from_graph(data)
    if isinstance(data, Iterable) and not isinstance(data, (str, bytes, Mapping, nx.Graph)):
        return _from_rows(data)
    raise TypeError(f"hostile acts come from a store, a networkx MultiDiGraph or rows, not {type(data).__name__}")


def window_join(left_key: np.ndarray, left_earliest: np.ndarray, left_latest: np.ndarray,
                right_key: np.ndarray, right_earliest: np.ndarray, right_latest: np.ndarray,
                *, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with equal keys where right ``j`` may start 0 to ``window`` days after left ``i``.

    On fuzzy dates the lag lies in (right earliest - left latest, right latest - left
    earliest); a pair is kept when that range meets [0, window]. Keys are non-negative
    integers. The right rows are sorted once by (key, earliest) per class of date-range
    length (0, 1, 2-3, 4-7 ... days), so the candidates of each left row form one slice
    found with ``searchsorted``; no Python loop runs per row or per pair.

    Examples
    --------
    >>> k = np.array([0, 0, 1]); e = np.array([0, 10, 3]); l = np.array([0, 12, 3])
    >>> i, j = window_join(k, e, l, k, e, l, window=14)
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 0), (0, 1), (1, 1), (2, 2)]
    """
    empty = np.empty(0, dtype=np.int64)
    if window < 0:
        raise ValueError(f"the window must be 0 days or more, not {window}")
    if len(left_key) == 0 or len(right_key) == 0:
        return empty, empty
    duration = right_latest - right_earliest
    longest = int(duration.max())
    base = int(min(left_earliest.min(), right_earliest.min())) - longest
    span = int(max(left_latest.max(), right_latest.max())) + window - base + 1
    right_code = right_key * span + (right_earliest - base)
    # Sorted needles make searchsorted an order of magnitude faster (memory locality).
    left_code = left_key * span + (left_earliest - base)
    by_code = np.argsort(left_code)
    left_code, left_reach = left_code[by_code], (left_key * span + (left_latest + window - base))[by_code]
    left_first = left_earliest[by_code]
    classes = np.frexp(duration.astype(np.float64))[1]
    lefts, rights = [], []
    for length_class in np.unique(classes):
        members = np.flatnonzero(classes == length_class)
        members = members[np.argsort(right_code[members])]
        codes = right_code[members]
        reach = int(duration[members].max())
        lo = np.searchsorted(codes, left_code - reach, side="left")
        hi = np.searchsorted(codes, left_reach, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            continue
        i = np.repeat(np.arange(len(left_key)), counts)
        j = members[np.arange(total) - np.repeat(np.cumsum(counts) - counts - lo, counts)]
        keep = right_latest[j] >= left_first[i]
        lefts.append(by_code[i[keep]])
        rights.append(j[keep])
    if not lefts:
        return empty, empty
    return np.concatenate(lefts), np.concatenate(rights)


_DETAILS = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?act ?label ?source ?evidence WHERE {
  VALUES ?act { %s }
  OPTIONAL { ?act rdfs:label ?label }
  OPTIONAL { ?act esc:source/dcterms:title ?source }
  OPTIONAL { ?act esc:evidence ?evidence }
}"""

_NAMES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?name WHERE { VALUES ?actor { %s } ?actor skos:prefLabel ?name }"""

_CHUNK = 500


def _lookup(store: Store | None, iris: Iterable[str], query: str) -> list[tuple]:
    wanted = sorted({i for i in iris if i.startswith(("http://", "https://", "urn:"))})
    rows: list[tuple] = []
    if store is None:
        return rows
    for start in range(0, len(wanted), _CHUNK):
        # IRIs come from the store itself; ox.NamedNode refuses any that could break the query.
        terms = " ".join(str(ox.NamedNode(i)) for i in wanted[start:start + _CHUNK])
        rows.extend(tuple(t.value if t is not None else None for t in row)
                    for row in store.select(query % terms).rows)
    return rows


def act_details(store: Store | None, iris: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """Label, source title and evidence of each act, for printing a few rows of results.

    Acts without an IRI (keys from literal rows), or no store, give no details.

    Examples
    --------
    >>> act_details(None, ["e1"])
    {}
    """
    details: dict[str, dict[str, str | None]] = {}
    for act, label, source, evidence in _lookup(store, iris, _DETAILS):
        details.setdefault(act, {"label": label, "source": source, "evidence": evidence})
    return details


def actor_names(store: Store | None, iris: Iterable[str]) -> dict[str, str]:
    """The name (``skos:prefLabel``) of each actor; actors without one keep their IRI or key.

    Examples
    --------
    >>> actor_names(None, ["north"])
    {'north': 'north'}
    """
    iris = list(iris)
    names = {iri: iri for iri in iris}
    for actor, name in sorted(_lookup(store, iris, _NAMES)):
        names[actor] = name
    return names
