"""From an article to a reviewable draft: records in the curated format, written as YAML.

:func:`extract` runs the rules (statements, events, dates, speakers) and returns a
:class:`Draft` of records; :func:`render_yaml` writes it as one curated YAML file, with
every actor the article proposes marked ``# NEW — review`` and described as proposed,
and every reused actor marked with the case it comes from. Values are written by the safe
dumper of curated files (:class:`graph.curated.CaseDumper`), so quotations holding colons,
quotes, ``#``, newlines or YAML line breaks (NEL, U+2028) survive. Sentences too long to
read are listed at the top of the draft. Nothing here touches a store: a draft is read by
a person before anything is built.

Examples
--------
>>> import datetime as dt
>>> from graph.records import Actor
>>> draft = extract('Strikes\\n"We hit back: #1," Anna Berg told Reuters on Monday.',
...                 published=dt.date(2024, 3, 8), known=[Actor(id="reuters", name="Reuters", kind="media")])
>>> [(s.speaker, s.quote, s.addressee) for s in draft.statements]
[('anna-berg', 'We hit back: #1', 'reuters')]
>>> text = render_yaml(draft)
>>> "# NEW — review" in text and "quote: 'We hit back: #1'" in text
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.curated import CaseDumper
from graph.errors import InputError
from graph.extract.dates import undated
from graph.extract.events import FoundEvent, find_events
from graph.extract.speakers import ActorEntry, ActorIndex, proposed_key
from graph.extract.statements import FoundStatement, find_statements
from graph.extract.text import MAX_SENTENCE, Article
from graph.records import Actor, Event, FuzzyDate, Source, Statement

__all__ = ["NEW_MARK", "PROPOSED", "Draft", "extract", "render_yaml", "write_draft"]

NEW_MARK = "# NEW — review"
PROPOSED = "proposed by extract; review"


@dataclass
class Draft:
    """The records drawn from one article; ``new_actors`` are the keys the article proposes;
    ``skipped`` the (line, length) of each sentence longer than
    :data:`~graph.extract.text.MAX_SENTENCE` characters, which was not read."""

    source: Source
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    new_actors: set[str] = field(default_factory=set)
    origins: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[int, int]] = field(default_factory=list)


def _unique(base: str, taken: set[str]) -> str:
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _words(text: str, n: int = 5) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return proposed_key(" ".join(words[:n]))


def _title(article: Article) -> str:
    for paragraph in article.paragraphs:
        return paragraph.text[:200]
    return "untitled article"


def extract(text: str, *, published: dt.date, source_name: str | None = None, url: str | None = None,
            known: Iterable[Actor] = (), origins: Mapping[str, str] | None = None,
            path: str | None = None) -> Draft:
    """Read ``text`` (an article published on ``published``) into a :class:`Draft`.

    Parameters
    ----------
    known : iterable of Actor
        Actors to reuse by key when the article names them by name or alias.
    origins : mapping
        For each known actor key, where it comes from (a case folder, ``store``); written
        as a comment beside the reused actor.
    path : str, optional
        Where ``text`` was read from, named in errors.

    Raises
    ------
    InputError
        If the article has no sentence to read (empty, blank, only headings, or only
        sentences longer than :data:`~graph.extract.text.MAX_SENTENCE` characters).
    """
    article = Article.parse(text)
    if not article.sentences():
        too_long = (f" (its {len(article.skipped)} sentence(s) are longer than {MAX_SENTENCE} characters)"
                    if article.skipped else "")
        raise InputError(f"the article has no sentences to read{too_long}", path=path)
    index = ActorIndex(list(known), text=article.text, origins=dict(origins or {}))
    found_statements = find_statements(article, index, published)
    frames = [(s.sentence.start, *s.frame) for s in found_statements]
    found_events = find_events(article, index, published, frames)

    title = _title(article)
    publisher = index.resolve(source_name) if source_name else None
    source_id = proposed_key(f"{source_name or 'article'} {published.isoformat()} {' '.join(title.split()[:5])}")
    source = Source(id=source_id, title=title, published=published, publisher=publisher, url=url)

    events, event_keys = _events(found_events)
    statements = _statements(found_statements, index, published, event_keys)
    used = {source.publisher} if source.publisher else set()
    for s in statements:
        used.update(k for k in (s.speaker, s.on_behalf_of, s.addressee, s.reported_via) if k)
        used.update(s.attributes_to)
    for e in events:
        used.update(e.agents)
        used.update(e.targets)
    actors, new = _actors(index, used)
    skipped = [(article.line(s.start), len(s.text)) for s in article.skipped]
    return Draft(source, actors, events, statements, new, {k: index.entry(k).origin or "" for k in used},
                 skipped)


def _events(found: list[FoundEvent]) -> tuple[list[Event], dict[int, list[str]]]:
    taken: set[str] = set()
    events, by_sentence = [], {}
    for e in found:
        key = _unique(f"{e.type}-{e.date.earliest.isoformat()}", taken)
        events.append(Event(id=key, label=e.label, type=e.type, date=e.date, evidence=e.evidence,
                            agents=e.agents, targets=e.targets, attempted=e.attempted, outcome=e.outcome,
                            fatalities=e.fatalities, cameo=e.cameo))
        by_sentence.setdefault(e.sentence.start, []).append(key)
    return events, by_sentence


def _statements(found: list[FoundStatement], index: ActorIndex, published: dt.date,
                event_keys: dict[int, list[str]]) -> list[Statement]:
    taken: set[str] = set()
    out = []
    for s in found:
        text = s.quote or s.paraphrase or ""
        entry = index.entry(s.speaker)
        paraphrase = None if s.direct else s.paraphrase
        quote = s.quote
        if quote is None and paraphrase is None:
            continue
        key = _unique(f"{s.speaker}-{_words(text)}"[:120].rstrip("-"), taken)
        on_behalf_of = entry.acts_for[0] if entry.acts_for else None
        out.append(Statement(
            id=key, speaker=s.speaker, kind=s.kind, date=s.date or undated(published), evidence=s.evidence,
            quote=quote, paraphrase=paraphrase, on_behalf_of=on_behalf_of, addressee=s.addressee,
            channel=s.channel, reported_via=s.reported_via if s.reported_via != s.speaker else None,
            about=tuple(event_keys.get(s.sentence.start, ())), attributes_to=s.attributes_to))
    return out


def _actors(index: ActorIndex, used: set[str]) -> tuple[list[Actor], set[str]]:
    """The actors the records name, with those they act for or belong to; and which are new."""
    wanted, queue = [], sorted(used)
    while queue:
        key = queue.pop(0)
        if key in wanted:
            continue
        wanted.append(key)
        entry = index.entry(key)
        queue.extend(k for k in (*entry.acts_for, *entry.affiliated_with) if k not in wanted)
    actors, new = [], set()
    for key in wanted:
        entry = index.entry(key)
        actors.append(_actor(entry))
        if not entry.known:
            new.add(key)
    return actors, new


def _actor(entry: ActorEntry) -> Actor:
    if entry.known and entry.record is not None:
        return dataclasses.replace(entry.record, source=None, evidence=entry.evidence)
    return Actor(id=entry.key, name=entry.name, kind=entry.kind, aliases=tuple(a for a in entry.aliases
                                                                             if a != entry.name),
                 acts_for=entry.acts_for, affiliated_with=entry.affiliated_with, role=entry.role,
                 anonymous=entry.anonymous, description=PROPOSED, evidence=entry.evidence)


def _plain(record: Any) -> dict[str, Any]:
    """A record as the mapping a curated file would hold: defaults left out, dates as ranges."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value == f.default or value == () or value is None:
            continue
        if isinstance(value, FuzzyDate):
            value = {"text": value.text, "earliest": value.earliest, "latest": value.latest,
                     "precision": value.precision}
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


class _Dumper(CaseDumper):
    """The curated files' dumper, without anchors: a draft is read by people, "&id001" helps no one."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump_item(data: dict[str, Any]) -> str:
    text = yaml.dump([data], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return "\n".join("  " + line if line else line for line in text.rstrip("\n").split("\n")) + "\n"


def render_yaml(draft: Draft) -> str:
    """The draft as one curated YAML file (see ``data/*/`` for the format)."""
    parts = [
        ("# Draft written by `escgraph extract`: review every record before building.\n"
         f"# Actors marked '{NEW_MARK}' are proposed by the article; keep, merge or delete them.\n"
         "# Reused actors are copied from the case they come from; drop them here when this file\n"
         "# is built together with that case.\n"),
        *(f"# Not read: the sentence of {length} characters on line {line} (longer than {MAX_SENTENCE}).\n"
          for line, length in draft.skipped),
        "sources:\n", _dump_item(_plain(draft.source)), "\nactors:" + (" []\n" if not draft.actors else "\n"),
    ]
    for actor in draft.actors:
        if actor.id in draft.new_actors:
            parts.append(f"  {NEW_MARK}\n")
        else:
            origin = " ".join((draft.origins.get(actor.id) or "a known case").split())
            parts.append(f"  # reused: {yaml.safe_dump(origin, default_style=None).splitlines()[0]}\n")
        parts.append(_dump_item(_plain(actor)))
    for section, records in (("events", draft.events), ("statements", draft.statements)):
        parts.append(f"\n{section}:" + (" []\n" if not records else "\n"))
        parts.extend(_dump_item(_plain(r)) for r in records)
    return "".join(parts)


def write_draft(draft: Draft, path: Path) -> None:
    """Write the draft to ``path`` atomically: a reader never sees half a file.

    Raises
    ------
    InputError
        If the folder does not exist or cannot be written.
    """
    path = Path(path)
    text = render_yaml(draft)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    except OSError as exc:
        raise InputError(f"cannot write the draft: {exc.strerror}", path=str(path)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the draft: {exc.strerror}", path=str(path)) from exc
