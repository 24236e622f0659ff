"""Material acts in news text: strikes, shelling, interceptions, mobilisations, rebellions.

A sentence yields an event where an act word ("struck", "shot down", "shelling",
"mobilisation", ...) meets a date expression in it; the type comes from the weapon or act
named ("sea drones" → ``sea-drone-strike``, "missiles" → ``air-bombardment``), or, for a
bare "attack" or "incident", from the last type the article named. Demonyms before the
weapon give the agent ("Corvanian drones"), those after the act the target ("hit the
Corvanian town of Brisk"); interceptions and shoot-downs make the act ``attempted``.
References back ("the attacks", "that strike") and acts the text does not date, when a
dated act of the same type exists, are taken as mentions of acts already found.

Examples
--------
>>> import datetime as dt
>>> from graph.extract.speakers import ActorIndex
>>> from graph.extract.text import Article
>>> article = Article.parse("On Monday, Dastrian shelling hit the Corvanian town of Brisk, killing an "
...                         "elderly man. Earlier this week, Corvane intercepted two Dastrian missiles. "
...                         "Dastria denied it.")
>>> found = find_events(article, ActorIndex(text=article.text), dt.date(2024, 3, 8), frames=[])
>>> [(e.type, e.date.text, e.agents, e.targets, e.attempted, e.fatalities) for e in found]
[('shelling', 'On Monday', ('dastria',), ('corvane',), False, 1), ('air-bombardment', 'Earlier this week', ('dastria',), ('corvane',), True, None)]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graph.extract.dates import NUMBERS, find_dates, undated
from graph.extract.speakers import ActorIndex
from graph.extract.text import Article, Sentence
from graph.records import FuzzyDate

__all__ = ["TYPE_TRIGGERS", "FoundEvent", "find_events"]

# (pattern, event type), most specific first; keys of ontology/vocab/event-types.ttl.
TYPE_TRIGGERS: list[tuple[str, str]] = [
    (r"sea[- ]drones?|drone[- ]boats?|unmanned\s+surface\s+vessels?|naval\s+drones?", "sea-drone-strike"),
    (r"drones?|UAVs?|unmanned\s+aerial\s+vehicles?", "drone-strike"),
    (r"missiles?|air\s*strikes?|airstrikes?|bomb(?:ed|ing|ings|ardments?)|warplanes|rockets?", "air-bombardment"),
    (r"shell(?:ing|ed|s)|artillery", "shelling"),
    (r"mobili[sz](?:ation|ed|e)|call-up|reservists", "mobilisation"),
    (r"rebellion|mutiny|uprising|insurrection", "rebellion"),
    (r"invaded|invasion|occupied", "invasion"),
    (r"counter-?offensive|offensive", "ground-offensive"),
    (r"military\s+aid|arms\s+deliveries", "military-aid"),
    (r"seizure|seized|detained|arrested", "arrest"),
    (r"protests?|protesters", "protest"),
    (r"prohibition\s+on|ban\s+on", "restriction"),
    (r"(?:blast|explosion)\s+(?:damaged|hit|killed|destroyed|struck)", "coded-event"),
]
# Types named by the act itself; weapon words (drones, missiles) need an act word too.
STANDALONE = {"shelling", "mobilisation", "rebellion", "invasion", "ground-offensive", "military-aid", "arrest",
              "protest", "restriction", "coded-event"}
CAMEO_OF_UNTYPED = {"coded-event": "190"}
# Types whose act is done by the sentence's subject ("X announced the mobilisation of ...").
SUBJECT_IS_AGENT = {"mobilisation", "military-aid", "restriction", "ground-offensive"}
PREPOSITIONS = frozenset("in at on over near from to into above below inside of by across".split())
# The types a bare "attack", "strike" or "incident" can refer back to.
ATTACK_TYPES = {"sea-drone-strike", "drone-strike", "air-bombardment", "shelling", "armed-clash", "coded-event"}
_GENERIC = frozenset("attack attacks attacked strike strikes struck incident incidents that this with from have "
                     "were which said their they there been into over after before since when while".split())
ACT_WORDS = (r"strikes?|struck|attacks?|attacked|hit|targeted|targeting|shot\s+down|downed|intercepted|"
             r"destroyed|launched|fired|incidents?|assaults?|bombed|shelled")
ATTEMPT_WORDS = re.compile(r"\b(?:attempted|attempts?|intercepted|shot\s+down|downed|repelled|foiled|thwarted)\b")
DEFENSIVE = re.compile(r"\b(?:shot\s+down|downed|intercepted|destroyed|repelled)\b")
ANAPHOR = re.compile(r"\b(?:the|these|those|that|this|its|their)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_TYPE_RE = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t) for p, t in TYPE_TRIGGERS]
_ACT_RE = re.compile(rf"\b(?:{ACT_WORDS})\b", re.IGNORECASE)
_OUTCOME = re.compile(r",\s+((?:killing|injuring|wounding|damaging|leaving|destroying|setting)\b[^;]*?)(?=[.;]|,\s+[A-Z]|$)")
_FATALITIES = re.compile(r"\bkilling\s+(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
                         re.IGNORECASE)


@dataclass
class FoundEvent:
    """An act read from one sentence, before it becomes a record."""

    type: str
    date: FuzzyDate
    sentence: Sentence
    label: str
    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    attempted: bool = False
    outcome: str | None = None
    fatalities: int | None = None
    dated: bool = True

    @property
    def evidence(self) -> str:
        """The sentence the act was read from."""
        return self.sentence.text

    @property
    def cameo(self) -> str | None:
        """The CAMEO code for types that carry none of their own."""
        return CAMEO_OF_UNTYPED.get(self.type)


def _demonym_actor(word: str, index: ActorIndex) -> str | None:
    word = word.split("-")[0]
    return index.state_for(word) if word[:1].isupper() else None


def _agent(masked: str, trigger: re.Match, index: ActorIndex, defensive: bool) -> str | None:
    """The actor named just before the weapon or act ("Corvanian drones", "Corvane's parliament");
    the subject of an interception is the defender, not the agent."""
    if defensive and DEFENSIVE.fullmatch(trigger.group(0)):
        return None
    before = masked[max(0, trigger.start() - 40): trigger.start()].split()
    for i in range(len(before) - 1, max(-1, len(before) - 4), -1):
        word = before[i]
        if not word[:1].isupper() or (defensive and word.endswith("'s")):
            continue
        if i > 0 and before[i - 1].lower() in PREPOSITIONS:
            continue
        key = _demonym_actor(word.removesuffix("'s"), index)
        if key:
            return key
    return None


def _subject_actor(before: str, index: ActorIndex) -> str | None:
    """The first actor named before the trigger outside a prepositional phrase
    ("On March 3, Corvane's parliament approved a call-up")."""
    words = before.split()
    for i, word in enumerate(words):
        if word[:1].isupper() and not (i > 0 and words[i - 1].lower() in PREPOSITIONS):
            key = _demonym_actor(word.strip(",").removesuffix("'s"), index)
            if key:
                return key
    return None


def _clause_distance(masked: str, a: int, b: int) -> int:
    """Characters between two offsets, plus 30 for each clause boundary crossed."""
    lo, hi = min(a, b), max(a, b)
    return hi - lo + 30 * len(re.findall(r"[,;]| -- ", masked[lo:hi]))


def _target(masked: str, act_end: int, index: ActorIndex) -> str | None:
    """The actor named just after the act ("hit the Corvanian town of Brisk"); a demonym
    that modifies a weapon ("a Sorennian drone boat") names the agent, not the target."""
    after = masked[act_end: act_end + 80]
    for m in list(re.finditer(r"[A-Z][\w'-]*", after))[:3]:
        if any(p.match(after, m.end() + 1) for p, t in _TYPE_RE if t not in STANDALONE):
            continue
        key = _demonym_actor(m.group(0).removesuffix("'s"), index)
        if key:
            return key
    return None


def _label(text: str, start: int) -> str:
    left = max(text.rfind(",", 0, start), text.rfind(";", 0, start), text.rfind(" -- ", 0, start))
    clause = text[left + 1:].strip(" -")
    clause = re.split(r"[;]|,\s+(?=[a-z]+ing\b)|\.\s*$", clause)[0]
    clause = clause.strip().rstrip(",.")
    return (clause[:1].upper() + clause[1:])[:150] if clause else text[:150]


def _sentence_events(sentence: Sentence, index: ActorIndex, published: dt.date,
                     frames: list[tuple[int, int]], context: list[tuple[str, set[str]]]) -> list[FoundEvent]:
    masked = sentence.masked
    blocked = [(a, b) for a, b in frames]
    dates = [d for d in find_dates(masked, published) if not any(a <= d.start < b for a, b in blocked)]
    typed = []
    for pattern, type_ in _TYPE_RE:
        for m in pattern.finditer(masked):
            if not any(m.start() < t.end() and t.start() < m.end() for t, _ in typed):
                typed.append((m, type_))
    acts = [m for m in _ACT_RE.finditer(masked)]
    triggers: list[tuple[re.Match, str | None]] = []
    for m, type_ in typed:
        if type_ in STANDALONE or any(abs(a.start() - m.start()) < 60 for a in acts):
            triggers.append((m, type_))
    for a in acts:
        weapon = [t for m, t in typed if abs(a.start() - m.start()) < 60 and t not in STANDALONE]
        if ANAPHOR.search(masked[max(0, a.start() - 25): a.start()]) and not weapon:
            continue
        if not any(m.start() <= a.start() < m.end() for m, _ in typed):
            triggers.append((a, weapon[0] if weapon else None))
    events: dict[tuple, FoundEvent] = {}
    marks = sorted({m.start() for m in acts} | {m.start() for m, _ in typed})
    for trigger, type_ in sorted(triggers, key=lambda t: t[0].start()):
        if type_ is None:
            type_ = _antecedent_type(masked, trigger, context)
            if type_ is None:
                continue
        elif type_ in ATTACK_TYPES:
            context.append((type_, set(_content_words(masked))))
        near = sorted((d for d in dates if _clause_distance(masked, d.start, trigger.start()) < 90
                       or _clause_distance(masked, d.end, trigger.end()) < 90),
                      key=lambda d: min(_clause_distance(masked, d.start, trigger.end()),
                                        _clause_distance(masked, trigger.start(), d.end)))
        date = near[0].date if near else undated(published)
        key = (type_, date.earliest, date.latest)
        act = next((a for a in acts if abs(a.start() - trigger.start()) < 60), trigger)
        defensive = bool(DEFENSIVE.search(masked[max(0, trigger.start() - 40): trigger.end() + 10]))
        agent = _agent(masked, trigger, index, defensive)
        if agent is None and type_ in SUBJECT_IS_AGENT:
            agent = _subject_actor(masked[: trigger.start()], index)
        target = _target(masked, max(act.end(), trigger.end()), index) if not defensive else None
        if defensive:
            target = _subject_actor(masked[: trigger.start()], index)
        if target == agent:
            target = None
        fatalities = _FATALITIES.search(masked)
        outcome = _OUTCOME.search(masked, trigger.end())
        event = events.get(key)
        if event is None:
            events[key] = FoundEvent(
                type_, date, sentence, _label(sentence.text, trigger.start()),
                agents=(agent,) if agent else (), targets=(target,) if target else (),
                attempted=_attempted(masked, trigger, marks),
                outcome=outcome.group(1).strip() if outcome else None,
                fatalities=_count(fatalities.group("n")) if fatalities else None,
                dated=bool(near))
        else:
            event.agents = event.agents or ((agent,) if agent else ())
            event.targets = event.targets or ((target,) if target else ())
    return list(events.values())


def _attempted(masked: str, trigger: re.Match, marks: list[int]) -> bool:
    """Whether an attempt word ("attempted", "intercepted", "shot down") governs this trigger:
    one within 40 characters with no other act word between them."""
    for m in ATTEMPT_WORDS.finditer(masked):
        lo, hi = sorted((m.end(), trigger.start()))
        if hi - lo <= 40 and not any(lo < mark < hi and mark != trigger.start() for mark in marks):
            return True
    return False


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"\b[a-z]{4,}\b", text) if w not in _GENERIC]


def _antecedent_type(masked: str, trigger: re.Match, context: list[tuple[str, set[str]]]) -> str | None:
    """The type of an act named only as "attack" or "was hit": that of the latest typed act
    whose sentence shares a word with this one ("The depot ... was hit" after "a drone strike
    on a fuel depot"), else that of the latest typed act."""
    if not context:
        return None
    window = set(_content_words(masked[max(0, trigger.start() - 60): trigger.end() + 60]))
    for type_, words in reversed(context):
        if window & words:
            return type_
    return context[-1][0]


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS.get(word.lower(), 1)


def find_events(article: Article, index: ActorIndex, published: dt.date,
                frames: list[tuple[int, int, int]]) -> list[FoundEvent]:
    """Every act the rules read in ``article``.

    Parameters
    ----------
    frames : list of (sentence start, start, end)
        Spans of attribution frames ("Zelensky warned last week that"): a date there dates
        the statement, not the act, and is not used for events.
    """
    context: list[tuple[str, set[str]]] = []
    found: list[FoundEvent] = []
    for sentence in article.sentences():
        blocked = [(a, b) for s, a, b in frames if s == sentence.start]
        for event in _sentence_events(sentence, index, published, blocked, context):
            event.targets = tuple(t for t in event.targets if t not in event.agents)
            same = next((e for e in found if (e.type, e.date.earliest, e.date.latest)
                         == (event.type, event.date.earliest, event.date.latest)), None)
            if same is None:
                found.append(event)
            else:
                same.agents = same.agents or event.agents
                same.targets = same.targets or event.targets
    dated_types = {e.type for e in found if e.dated}
    return [e for e in found if e.dated or e.type not in dated_types]

