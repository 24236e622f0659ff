"""How close a draft is to a curated case: precision and recall of statements, events, actors.

The rules, so that a score means the same on every article:

**Actors** are aligned first. A draft actor is the gold actor with the same key; else the
one gold actor sharing a name or alias with it (compared lower case, without article or
possessive); else, for persons, the one named gold person with the same surname.

**Statements** match when their speakers align and their texts overlap. A statement's
text is its quotation, or its paraphrase when it has none; a gold statement offers its
quotation, paraphrase and evidence, and the best of them counts. Texts become sets of
content words (lower case, without a short list of function words); the overlap is
``|D ∩ G| / min(|D|, |G|)`` (the overlap coefficient), and a pair matches when it is at least
:data:`THRESHOLD` and shares at least two words. Pairs are matched one-to-one, maximising
the number of matches; precision and recall count these matches only. *Segmentation* is
reported beside them, not forgiven: where one side keeps apart two parts of one utterance
that the other joins, an unmatched gold statement of the same speaker whose words lie
(≥ threshold) inside a matched draft statement — and not inside that statement's own gold
partner — is counted in ``segmented``, and symmetrically an unmatched draft statement; the
count says where a miss is a difference of cutting rather than of reading.

**Events** match when their types are equal and their date ranges overlap by at least half
of their union (Jaccard of days ≥ 0.5), one-to-one.

Examples
--------
>>> overlap(tokens("war is gradually returning to Russia"), tokens("gradually returning"))
1.0
>>> round(day_jaccard((dt.date(2023, 7, 1), dt.date(2023, 7, 31)), (dt.date(2023, 7, 1), dt.date(2023, 7, 28))), 2)
0.9
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.curated import Dataset
from graph.extract.speakers import mention_key
from graph.records import Actor, Statement

__all__ = ["THRESHOLD", "Score", "align_actors", "day_jaccard", "overlap", "score", "score_events",
           "score_statements", "tokens"]

THRESHOLD = 0.5
STOPWORDS = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been being it its this that "
    "these those there their they them he she his her we our you your i my me not no so than then if into "
    "over about after before has have had do does did will would can could should may might which who whom "
    "what when where while also just such".split()
)


def tokens(text: str | None) -> frozenset[str]:
    """The content words of ``text``: lower case, possessives and function words dropped."""
    if not text:
        return frozenset()
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'"))
    return frozenset(w.removesuffix("'s") for w in words if w.removesuffix("'s") not in STOPWORDS)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The overlap coefficient ``|a ∩ b| / min(|a|, |b|)``; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _covered(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def day_jaccard(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> float:
    """Days two ranges share over days either covers (both ends included)."""
    shared = (min(a[1], b[1]) - max(a[0], b[0])).days + 1
    if shared <= 0:
        return 0.0
    union = (max(a[1], b[1]) - min(a[0], b[0])).days + 1
    return shared / union


@dataclass
class Score:
    """Counts and rates for one kind of record; ``segmented`` counts the unmatched records
    that are a part of a matched one (one side joined what the other split), not matches."""

    what: str
    draft: int
    gold: int
    matched_draft: int
    matched_gold: int
    segmented: int = 0
    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matched draft records over draft records."""
        return self.matched_draft / self.draft if self.draft else 0.0

    @property
    def recall(self) -> float:
        """Matched gold records over gold records."""
        return self.matched_gold / self.gold if self.gold else 0.0


def _names(actor: Actor) -> set[str]:
    return {mention_key(n) for n in (actor.name, *actor.aliases, actor.id.replace("-", " "))} - {""}


def align_actors(draft: Iterable[Actor], gold: Iterable[Actor]) -> dict[str, str]:
    """Map each draft actor key to the gold actor key it names (see the module's rules)."""
    gold = list(gold)
    by_key = {a.id: a for a in gold}
    mapping = {}
    for actor in draft:
        if actor.id in by_key:
            mapping[actor.id] = actor.id
            continue
        names = _names(actor)
        same = {g.id for g in gold if names & _names(g)}
        if len(same) == 1:
            mapping[actor.id] = same.pop()
            continue
        if actor.kind == "person" and not actor.anonymous:
            surname = mention_key(actor.name).split()[-1:]
            same = {g.id for g in gold if g.kind == "person" and not g.anonymous
                    and mention_key(g.name).split()[-1:] == surname}
            if len(same) == 1:
                mapping[actor.id] = same.pop()
    return mapping


def _text(s: Statement) -> frozenset[str]:
    return tokens(s.quote or s.paraphrase)


def _gold_texts(s: Statement) -> list[frozenset[str]]:
    return [t for t in (tokens(s.quote), tokens(s.paraphrase), tokens(s.evidence)) if t]


def _similar(d: Statement, g: Statement) -> float:
    mine = _text(d)
    best = 0.0
    for text in _gold_texts(g):
        if len(mine & text) >= min(2, len(mine), len(text)):
            best = max(best, overlap(mine, text))
    return best


def _match(pairs: dict[tuple[int, int], float]) -> dict[int, int]:
    """One-to-one matching of (draft, gold) index pairs, most matches first, then most weight."""
    graph = nx.Graph()
    for (d, g), w in pairs.items():
        graph.add_edge(("d", d), ("g", g), weight=1 + w)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    out = {}
    for u, v in matching:
        d, g = (u, v) if u[0] == "d" else (v, u)
        out[d[1]] = g[1]
    return out


def score_statements(draft: Dataset, gold: Dataset, actors: dict[str, str]) -> Score:
    """Statement precision and recall (see the module's rules)."""
    ds, gs = draft.statements, gold.statements
    speaker = [actors.get(s.speaker) for s in ds]
    pairs = {}
    for i, d in enumerate(ds):
        for j, g in enumerate(gs):
            if speaker[i] == g.speaker:
                sim = _similar(d, g)
                if sim >= THRESHOLD:
                    pairs[(i, j)] = sim
    matched = _match(pairs)
    partner = {g: d for d, g in matched.items()}
    segmented = 0
    for j, g in enumerate(gs):
        if j in partner:
            continue
        segmented += any(speaker[i] == g.speaker and _covered(_text(g), _text(ds[i])) >= THRESHOLD
                         and _covered(_text(g), _gold_texts(gs[jj])[0]) < THRESHOLD for i, jj in matched.items())
    for i, d in enumerate(ds):
        if i in matched:
            continue
        segmented += any(speaker[i] == gs[jj].speaker
                         and any(_covered(_text(d), t) >= THRESHOLD for t in _gold_texts(gs[jj]))
                         and _covered(_text(d), _text(ds[ii])) < THRESHOLD for jj, ii in partner.items())
    return Score("statements", len(ds), len(gs), len(matched), len(matched), segmented,
                 sorted((ds[i].id, gs[j].id) for i, j in matched.items()))


def score_events(draft: Dataset, gold: Dataset) -> Score:
    """Event precision and recall: same type, date ranges with Jaccard of days ≥ 0.5."""
    pairs = {}
    for i, d in enumerate(draft.events):
        for j, g in enumerate(gold.events):
            if d.type == g.type:
                sim = day_jaccard((d.date.earliest, d.date.latest), (g.date.earliest, g.date.latest))
                if sim >= 0.5:
                    pairs[(i, j)] = sim
    matched = _match(pairs)
    return Score("events", len(draft.events), len(gold.events), len(matched), len(matched),
                 pairs=sorted((draft.events[i].id, gold.events[j].id) for i, j in matched.items()))


def score(draft: Dataset, gold: Dataset) -> list[Score]:
    """Scores of ``draft`` against ``gold``: statements, events, actors (in that order).

    Examples
    --------
    >>> from graph.records import FuzzyDate
    >>> day = FuzzyDate.day(dt.date(2023, 8, 1))
    >>> ukraine = Actor(id="ukraine", name="Ukraine", kind="state", aliases=("Kyiv",))
    >>> kyiv = Actor(id="kyiv", name="Kyiv", kind="state")
    >>> gold = Dataset(actors=[ukraine], statements=[Statement(id="g", speaker="ukraine", kind="warning",
    ...     date=day, evidence="Kyiv warned that more strikes will come", paraphrase="more strikes will come")])
    >>> draft = Dataset(actors=[kyiv], statements=[Statement(id="d", speaker="kyiv", kind="warning",
    ...     date=day, evidence="x", paraphrase="that more strikes will come soon")])
    >>> [(s.what, s.precision, s.recall) for s in score(draft, gold)]
    [('statements', 1.0, 1.0), ('events', 0.0, 0.0), ('actors', 1.0, 1.0)]
    """
    actors = align_actors(draft.actors, gold.actors)
    hit = set(actors.values())
    actor_score = Score("actors", len(draft.actors), len(gold.actors), len(actors), len(hit),
                        pairs=sorted(actors.items()))
    return [score_statements(draft, gold, actors), score_events(draft, gold), actor_score]

