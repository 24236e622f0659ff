"""Analytics over the graph's acts: what SPARQL expresses badly, computed in numpy and networkx.

- :mod:`graph.analytics.acts` -- the hostile acts as columns, pulled with one SELECT, and
  the windowed join (sorted arrays and ``searchsorted``) every analysis shares;
- :mod:`graph.analytics.pairs` -- action-reaction pairs, chains, reciprocity per dyad,
  and candidate response links written to the inferred graph;
- :mod:`graph.analytics.signals` -- say-do consistency of warnings and threats, and
  deniability of attributed attacks.

Each function takes the graph or rows first and keyword options after, and returns plain
values; nothing is printed. ``escgraph analyse`` is the command line over them.

Examples
--------
>>> chain = [("e1", "north", "south", "2024-03-01", "2024-03-01", -5.0),
...          ("e2", "south", "north", "2024-03-05", "2024-03-05", -10.0)]
>>> [(p.stimulus, p.response) for p in action_reaction_pairs(chain)]
[('e1', 'e2')]
"""

from graph.analytics.acts import HostileActs, act_details, actor_names, hostile_acts, window_join
from graph.analytics.pairs import (
    INFERENCE_METHOD,
    Chain,
    DyadReciprocity,
    Pair,
    ReactionPairs,
    action_reaction_pairs,
    infer_response_links,
    reaction_chains,
    reaction_graph,
    reciprocity,
    reciprocity_graph,
)
from graph.analytics.signals import ActorDeniability, SayDo, deniability, say_do

__all__ = [
    "INFERENCE_METHOD",
    "ActorDeniability",
    "Chain",
    "DyadReciprocity",
    "HostileActs",
    "Pair",
    "ReactionPairs",
    "SayDo",
    "act_details",
    "action_reaction_pairs",
    "actor_names",
    "deniability",
    "hostile_acts",
    "infer_response_links",
    "reaction_chains",
    "reaction_graph",
    "reciprocity",
    "reciprocity_graph",
    "say_do",
    "window_join",
]
