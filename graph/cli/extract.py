"""``escgraph extract`` (article → draft YAML) and ``escgraph score`` (draft against a curated case)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from graph.cli.common import Day, one_line
from graph.curated import load_case
from graph.extract import extract as extract_draft
from graph.extract import render_yaml, write_draft
from graph.extract.text import MAX_SENTENCE, read_article
from graph.mapper import ACTOR_CLASSES
from graph.pipeline import default_cases
from graph.records import Actor
from graph.score import score as score_draft

__all__ = ["extract", "known_actors", "score", "store_actors"]

_STORE_ACTORS = """
SELECT ?key ?name ?class (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases) WHERE {
  ?actor esc:actorKey ?key ; skos:prefLabel ?name ; a ?class .
  OPTIONAL { ?actor skos:altLabel ?alias }
} GROUP BY ?key ?name ?class"""


def store_actors(store) -> list[Actor]:
    """The actors in ``store`` (curated and imported), with their names and aliases."""
    kinds = {str(iri): kind for kind, iri in ACTOR_CLASSES.items()}
    actors = {}
    for row in store.select(_STORE_ACTORS).values():
        key, name, aliases = row["key"], row["name"], row["aliases"]
        kind = kinds.get(row["class"])
        if kind is None or key in actors:
            continue
        actors[key] = Actor(id=key, name=name, kind=kind, aliases=tuple(a for a in (aliases or "").split("\x1f") if a))
    return list(actors.values())


def known_actors(cases: list[Path], store=None) -> tuple[list[Actor], dict[str, str]]:
    """The actors of ``cases`` (and of ``store``), each with where it comes from; a case wins
    over the store for the same key."""
    actors: dict[str, Actor] = {}
    origins: dict[str, str] = {}
    if cases:
        data = load_case(cases)
        for actor in data.actors:
            actors[actor.id] = actor
            origins[actor.id] = str(Path(data.where("actor", actor.id)[0]).parent)
    if store is not None:
        for actor in store_actors(store):
            if actor.id not in actors:
                actors[actor.id] = actor
                origins[actor.id] = "store"
    return list(actors.values()), origins


@click.command()
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--published", required=True, type=Day(), metavar="YYYY-MM-DD",
              help="Publication day; relative dates ('last weekend', 'two days ago') are resolved from it.")
@click.option("--source-name", metavar="NAME", help="Publisher (e.g. CNN); reused if it is a known actor.")
@click.option("--url", metavar="URL", help="Where the article was published.")
@click.option("--case", "cases", multiple=True, type=click.Path(path_type=Path),
              help="Case folder whose actors are reused (repeatable) [default: the shipped cases].")
@click.option("--no-curated", is_flag=True, help="Reuse no curated actors (propose every actor anew).")
@click.option("--store", "store_location", metavar="DIR|URL", default=None,
              help="Also reuse the actors (and aliases) of this store.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the draft to FILE (atomically) instead of standard output.")
def extract(article: Path, published: dt.date, source_name: str | None, url: str | None, cases: tuple[Path, ...],
            no_curated: bool, store_location: str | None, output_path: Path | None) -> None:
    """Draft statements, events and actors from a news article, as curated YAML for review.

    Quotations (whole, partial, split around the attribution), reported speech and speech
    acts without quotes (denials, attributions, refusals to comment) become statements with
    speaker, kind, addressee or channel and date; strikes, shelling, interceptions,
    mobilisations become events with fuzzy dates resolved from --published. Known actors
    are reused by key; new ones are marked '# NEW — review'. Nothing is written to a store:
    review the draft, then `escgraph validate` and `escgraph build` it.

    \b
    Example:
      escgraph extract article.txt --published 2023-08-05 --source-name CNN -o draft/article.yaml
      escgraph validate draft/
    """
    text = read_article(article)
    store = None
    if store_location is not None:
        from graph.store import open_store

        store = open_store(store_location)
    case_paths = [] if no_curated else (list(cases) or default_cases())
    actors, origins = known_actors(case_paths, store)
    draft = extract_draft(text, published=published, source_name=source_name, url=url, known=actors,
                          origins=origins, path=str(article))
    for line, length in draft.skipped:
        click.echo(f"escgraph: warning: {one_line(str(article))}:{line}: a sentence of {length} characters was "
                   f"not read (longer than {MAX_SENTENCE}); break it into shorter sentences to have it read",
                   err=True)
    if output_path is None:
        sys.stdout.write(render_yaml(draft))
    else:
        write_draft(draft, output_path)
    click.echo(f"drafted {len(draft.statements)} statements, {len(draft.events)} events, "
               f"{len(draft.actors)} actors ({len(draft.new_actors)} new, marked for review)", err=True)


@click.command()
@click.argument("draft", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for people; csv or json for scripts.")
@click.option("--pairs", is_flag=True, help="Also list which draft record matched which gold record.")
def score(draft: Path, gold: Path, fmt: str, pairs: bool) -> None:
    """Compare a draft with a curated case: precision and recall of statements, events, actors.

    A statement matches when the speakers align (same key, or a shared name or alias) and
    the texts overlap (overlap coefficient of content words >= 0.5); events match on type
    and date range (Jaccard of days >= 0.5). The rules are in graph/score.py.

    \b
    Example:
      escgraph score draft.yaml data/drone-strikes-2023
    """
    from graph.cli.common import render_rows

    scores = score_draft(load_case([draft]), load_case([gold]))
    rows = [(s.what, s.draft, s.gold, s.matched_draft, s.matched_gold, s.segmented,
             f"{s.precision:.2f}", f"{s.recall:.2f}") for s in scores]
    render_rows(["what", "draft", "gold", "correct", "found", "segmentation", "precision", "recall"], rows, fmt,
                sys.stdout)
    if pairs:
        render_rows(["what", "draft", "gold"], [(s.what, d, g) for s in scores for d, g in s.pairs], fmt, sys.stdout)
