"""The main job: build the seed graph, answer the analyst questions, write the views.

``escgraph demo`` runs :func:`run`; the README's first command ends with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.analytics import actor_names, deniability
from graph.pipeline import build
from graph.queries import run_named
from graph.store import Store, Table
from graph.views import demo_views

__all__ = ["DEMO_QUESTIONS", "Question", "run"]


@dataclass(frozen=True)
class Question:
    """One question the demo answers: a heading, the named query and its parameters,
    and the columns worth printing."""

    heading: str
    query: str
    params: dict[str, str]
    columns: tuple[str, ...]


DEMO_QUESTIONS = (
    Question("Which hostile acts were answered in kind within 14 days -- how soon (days), how much harder?",
             "tit-for-tat", {"window": "14"},
             ("stimulus_label", "response_label", "lag_min_days", "lag_max_days", "direction", "link")),
    Question("Which reprisals did someone explicitly link to an earlier strike, and who?", "explicit-responses", {},
             ("response_label", "stimulus_label", "asserted_by", "quote", "source")),
    Question("Which attacks went unclaimed: who blamed whom, and how did the accused reply?", "unclaimed-attacks", {},
             ("act_label", "attributed_to", "attributed_by", "reply", "acknowledged_by", "source")),
    Question("Who warned before acting, and which warnings were not followed by action (30 days)?",
             "signals-before-action", {"window": "30"},
             ("speaker", "quote", "outcome", "act_label", "lag_min_days", "lag_max_days")),
    Question("How did third parties react to the strikes?", "third-party-reactions", {},
             ("party", "speaker", "kind", "stance", "quote", "act_label", "source")),
)


def _deniability(store: Store) -> Table:
    """The analytics' deniability per accused actor, as a table of plain terms."""
    results = deniability(store)
    names = actor_names(store, [r.actor for r in results])
    rows = [(ox.Literal(names[r.actor]), ox.Literal(len(r.attributed)), ox.Literal(len(r.claimed)),
             ox.Literal(len(r.acknowledged)), ox.Literal(len(r.denied))) for r in results]
    return Table(["actor", "blamed_for", "claimed", "acknowledged", "denied"], rows)


def run(store: Store, out_dir: Path, show: Callable[[str, Table], None]) -> dict[str, int]:
    """Build the shipped cases into ``store``, pass each question's answer to ``show``,
    and write the views into ``out_dir``. Returns the store's counts."""
    counts = build(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    for question in DEMO_QUESTIONS:
        table = run_named(store, question.query, question.params)
        keep = [table.variables.index(c) for c in question.columns]
        show(question.heading, Table(list(question.columns), [tuple(r[i] for i in keep) for r in table.rows]))
    show("Deniability: of the hostile acts others blamed on an actor, how many did it claim?", _deniability(store))
    views = demo_views(store, out_dir)
    show("Views written: open them in a browser (offline, self-contained)",
         Table(["view", "file"], [(ox.Literal(p.stem.removeprefix("view-")), ox.Literal(str(p))) for p in views]))
    return counts
