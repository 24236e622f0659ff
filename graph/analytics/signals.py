"""Words against deeds: do an actor's warnings come true, and does it own the attacks blamed on it?

- :func:`say_do`: the share of an actor's warnings and threats (statements of CAMEO
  family 13, *threaten*) followed within the window by a hostile act of its own -- the
  rest are possible bluffs. The same rows as the named query ``signals-before-action``.
- :func:`deniability`: of the hostile acts others attributed to an actor, the share it
  claimed, acknowledged, denied or met with silence. The acts it never claimed are those
  of the named query ``unclaimed-attacks``.

An actor's words and deeds include those of the bodies and people that act for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from graph.analytics.acts import (
    HostileActs,
    _rows_to_columns,
    day_numbers,
    hostile_acts,
    is_store,
    roll_up,
    window_join,
)
from graph.store import Store

__all__ = ["ATTRIBUTIONS_QUERY", "SIGNALS_QUERY", "ActorDeniability", "SayDo", "deniability", "say_do"]

SIGNALS_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?statement ?actor ?earliest ?latest WHERE {
  ?statement a esc:Statement ;
             esc:cameoCode/skos:notation ?code ;
             esc:earliest ?earliest ;
             esc:latest ?latest ;
             esc:speaker|esc:onBehalfOf ?actor .
  FILTER(STRSTARTS(?code, "13"))
}"""

# Hostile acts by an agent, with or without a target (a mobilisation counts as action).
_ACTING_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
SELECT DISTINCT ?act ?agent ?earliest ?latest WHERE {
  ?act esc:cameoCode/esc:quadClass 4 ;
       esc:agent ?agent ;
       esc:earliest ?earliest ;
       esc:latest ?latest .
}"""

ATTRIBUTIONS_QUERY = """
PREFIX esc: <https://w3id.org/escalation-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?act ?accused ?statement ?kind WHERE {
  ?attribution esc:about ?act ;
               esc:attributesTo ?accused .
  ?act esc:cameoCode/esc:quadClass 4 .
  # UNION, not esc:speaker|esc:onBehalfOf: Virtuoso 7.2.5 loses esc:actsFor* matches after a|b.
  OPTIONAL {
    { ?statement esc:speaker ?voice } UNION { ?statement esc:onBehalfOf ?voice }
    ?voice esc:actsFor* ?accused .
    ?statement esc:about ?act ;
               esc:speechAct/skos:notation ?kind .
    FILTER(?kind IN ("claim-of-responsibility", "acknowledgement", "denial", "decline-comment"))
  }
}"""


@dataclass(frozen=True)
class SayDo:
    """Which of ``actor``'s warnings and threats a hostile act of its own followed.

    ``followed`` and ``not_followed`` name the signals (statement IRIs or keys), sorted;
    those nothing followed within the window are possible bluffs.
    """

    actor: str
    followed: tuple[str, ...]
    not_followed: tuple[str, ...]

    @property
    def signals(self) -> int:
        """How many warnings and threats the actor made."""
        return len(self.followed) + len(self.not_followed)

    @property
    def share_followed(self) -> float:
        """The share of its signals that an act followed."""
        return len(self.followed) / self.signals


def _columns(rows: Iterable[object], names: Sequence[str], what: str) -> list[list[object]]:
    """The columns of ``rows``, RDF terms as their plain values."""
    return [[getattr(v, "value", v) for v in column] for column in _rows_to_columns(rows, names, what)]


def _pull(store: Store, query: str) -> list[list[str]]:
    table = store.select(query)
    return [[t.value if t is not None else None for t in column] for column in zip(*table.rows)] \
        or [[] for _ in table.variables]


def say_do(signals: object, acts: object = None, *, window: int = 30) -> list[SayDo]:
    """Per actor, the share of its warnings and threats followed by its own hostile act.

    Parameters
    ----------
    signals : Store or rows
        A store: its signals (statements of CAMEO family 13 -- warnings, threats,
        announcements of force) and its hostile acts (CAMEO QuadClass 4, with or
        without a target) are pulled, each speaker, body spoken for and agent rolled up
        to the actor it acts for. Rows: mappings or tuples ``(statement, actor,
        earliest, latest)``, the actor being the side the signal speaks for.
    acts : HostileActs or rows, optional
        With signal rows: the hostile acts, as :func:`graph.analytics.hostile_acts`
        reads them (the agent is the side that acts).
    window : int
        Days after a signal within which the act must be able to start.

    Returns
    -------
    list of SayDo
        One per actor that signalled, by actor.

    Raises
    ------
    TypeError
        If ``signals`` is rows and ``acts`` is missing.
    DataError
        If a row lacks a column or carries a bad date.

    Examples
    --------
    >>> CHAIN = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
    ...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0),
    ...          ("e3", "north", "south", "2024-03-10", "2024-03-12", -10.0)]
    >>> warnings = [("w1", "north", "2024-03-08", "2024-03-08"),
    ...             ("w2", "south", "2024-03-20", "2024-03-21")]
    >>> for s in say_do(warnings, CHAIN, window=14):
    ...     print(s.actor, s.signals, s.followed, s.not_followed, s.share_followed)
    north 1 ('w1',) () 1.0
    south 1 () ('w2',) 0.0
    """
    if window < 0:
        raise ValueError(f"the window must be 0 days or more, not {window}")
    if is_store(signals):
        tops = roll_up(signals)
        statement, speaker, s_first, s_last = _pull(signals, SIGNALS_QUERY)
        act, agent, a_first, a_last = _pull(signals, _ACTING_QUERY)
    else:
        if acts is None:
            raise TypeError("say_do needs the hostile acts beside the signal rows")
        tops = {}
        statement, speaker, s_first, s_last = _columns(signals, ("statement", "actor", "earliest", "latest"),
                                                       "signal")
        table: HostileActs = hostile_acts(acts)
        act = [table.act_iri(row) for row in range(len(table))]
        agent = [table.actors[code] for code in table.agent]
        a_first, a_last = [table.day(d) for d in table.earliest], [table.day(d) for d in table.latest]

    def sides(rows: list[list[object]]) -> list[list[object]]:
        seen, out = set(), [[] for _ in rows]
        for values in zip(*rows):
            for top in tops.get(values[1], (values[1],)):
                key = (values[0], top, *values[2:])
                if key not in seen:
                    seen.add(key)
                    for column, value in zip(out, key):
                        column.append(value)
        return out

    statement, speaker, s_first, s_last = sides([statement, speaker, s_first, s_last])
    act, agent, a_first, a_last = sides([act, agent, a_first, a_last])
    codes: dict[str, int] = {}
    speaker_code = np.array([codes.setdefault(s, len(codes)) for s in speaker], dtype=np.int64)
    agent_code = np.array([codes.setdefault(s, len(codes)) for s in agent], dtype=np.int64)
    followed = np.zeros(len(statement), dtype=bool)
    if len(statement) and len(act):
        i, _ = window_join(speaker_code, day_numbers(s_first, "earliest"), day_numbers(s_last, "latest"),
                           agent_code, day_numbers(a_first, "earliest"), day_numbers(a_last, "latest"), window=int(window))
        followed[i] = True
    results = []
    for actor in sorted(set(speaker)):
        mine = [k for k, s in enumerate(speaker) if s == actor]
        results.append(SayDo(actor, tuple(sorted(statement[k] for k in mine if followed[k])),
                             tuple(sorted(statement[k] for k in mine if not followed[k]))))
    return results


@dataclass(frozen=True)
class ActorDeniability:
    """What ``actor`` said about the hostile acts others attributed to it.

    Each field names acts (IRIs or keys, sorted): ``attributed`` to the actor; among
    them those it ``claimed`` (a claim of responsibility by the actor or those who speak
    for it), ``acknowledged``, ``denied`` or ``declined`` to comment on.
    """

    actor: str
    attributed: tuple[str, ...]
    claimed: tuple[str, ...]
    acknowledged: tuple[str, ...]
    denied: tuple[str, ...]
    declined: tuple[str, ...]

    @property
    def unclaimed(self) -> tuple[str, ...]:
        """The attributed acts the actor never claimed."""
        return tuple(a for a in self.attributed if a not in set(self.claimed))

    @property
    def share_claimed(self) -> float:
        """Claimed acts over attributed acts (0 is full deniability)."""
        return len(self.claimed) / len(self.attributed)


_KINDS = {"claim-of-responsibility": "claimed", "acknowledgement": "acknowledged", "denial": "denied",
          "decline-comment": "declined"}


def deniability(G_or_rows: object) -> list[ActorDeniability]:
    """Per actor blamed for hostile acts, the share of them it claimed.

    Parameters
    ----------
    G_or_rows : Store or rows
        A store: each hostile act (CAMEO QuadClass 4) a statement attributes to an actor
        (``esc:attributesTo``) is pulled with that actor's own claims, acknowledgements,
        denials and refusals about it. Rows: mappings or tuples ``(act, accused,
        statement, kind)`` -- ``statement`` and ``kind`` (``claim-of-responsibility``,
        ``acknowledgement``, ``denial``, ``decline-comment``) may be ``None`` when the
        accused said nothing.

    Returns
    -------
    list of ActorDeniability
        One per accused actor, by actor.

    Raises
    ------
    DataError
        If a row lacks a column.

    Examples
    --------
    >>> rows = [("e4", "south", "s1", "claim-of-responsibility"),
    ...         ("e5", "south", "s2", "denial"),
    ...         ("e6", "south", None, None)]
    >>> d = deniability(rows)[0]
    >>> d.actor, d.claimed, d.denied, round(d.share_claimed, 2), d.unclaimed
    ('south', ('e4',), ('e5',), 0.33, ('e5', 'e6'))
    >>> deniability([])
    []
    """
    if is_store(G_or_rows):
        columns = _pull(G_or_rows, ATTRIBUTIONS_QUERY)
    else:
        columns = _columns(G_or_rows, ("act", "accused", "statement", "kind"), "attribution")
    acts: dict[str, set[str]] = {}
    said: dict[tuple[str, str], set[str]] = {}
    for act, accused, _, kind in zip(*columns):
        acts.setdefault(accused, set()).add(act)
        if kind is not None:
            said.setdefault((accused, _KINDS.get(kind, kind)), set()).add(act)
    results = []
    for actor in sorted(acts):
        attributed = acts[actor]
        kinds = {what: tuple(sorted(said.get((actor, what), set()) & attributed)) for what in _KINDS.values()}
        results.append(ActorDeniability(actor, tuple(sorted(attributed)), **kinds))
    return results
