"""Who is speaking or acting: actor names matched to known actors, new ones proposed,
and references ("he", "Barrie", "the ministry") resolved across the article.

An :class:`ActorIndex` holds the actors already known (curated cases, the store) with
their names and aliases, and the ones this article proposes. :meth:`ActorIndex.resolve`
reads a speaker phrase as news writes it — ``"Douglas Barrie, a senior fellow ... at the
International Institute for Strategic Studies (IISS)"``, ``"its deputy defence minister,
Ilse Marquand"``, ``"one witness"``, ``"he"`` — and returns an actor key, proposing a new
actor (with role and affiliation) when no known one fits.

Examples
--------
>>> from graph.records import Actor
>>> index = ActorIndex([Actor(id="ukraine", name="Ukraine", kind="state", aliases=("Kyiv",))],
...                    text="Ukrainian officials said ...")
>>> index.resolve("Kyiv")
'ukraine'
>>> key = index.resolve("Douglas Barrie, a senior fellow at the International Institute "
...                     "for Strategic Studies (IISS)")
>>> key, index.entry(key).role, index.entry(key).affiliated_with
('douglas-barrie', 'senior fellow at the International Institute for Strategic Studies (IISS)', ('international-institute-for-strategic-studies',))
>>> index.resolve("Barrie"), index.resolve("he")
('douglas-barrie', 'douglas-barrie')
>>> index.resolve("Ukrainian officials"), index.entry("ukrainian-officials").acts_for
('ukrainian-officials', ('ukraine',))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.records import Actor, slug

__all__ = ["ActorEntry", "ActorIndex", "mention_key", "proposed_key"]

TITLES = frozenset(
    "president vice prime minister deputy foreign defence defense interior captain capt general gen "
    "colonel col admiral adm lieutenant lt major maj sergeant commander chancellor secretary governor "
    "mayor senator ambassador dr mr mrs ms sir lord king queen prince chief head director chairman "
    "professor prof spokesman spokeswoman spokesperson envoy commissioner premier".split()
)
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "it": "body",
            "they": "plural", "its": "body", "his": "person", "their": "plural", "which": "relative",
            "who": "relative"}
ANALYST_WORDS = ("analyst", "fellow", "expert", "researcher", "professor", "scholar", "author",
                 "economist", "historian", "lecturer")
ANONYMOUS_HEADS = ("witness", "witnesses", "source", "sources", "official", "officer", "resident",
                   "residents", "diplomat", "diplomats", "person", "people", "blogger", "bloggers",
                   "soldier", "soldiers", "analyst", "analysts", "expert", "experts", "survivor")
BODY_HEADS = {
    "government-body": ("ministry", "department", "government", "officials", "authorities", "office",
                        "parliament", "service", "council", "administration", "cabinet", "agency",
                        "kremlin", "presidency", "side", "sides", "leaders", "leadership", "embassy"),
    "military-unit": ("military", "army", "navy", "air force", "command", "staff", "forces", "troops",
                      "fleet", "defences", "defenses", "brigade", "unit", "guard", "battalion"),
    "organisation": ("institute", "centre", "center", "university", "foundation", "house", "organisation",
                     "organization", "nations", "committee", "group", "think tank", "coalition"),
    "media": ("reporters", "journalists", "newspaper", "news agency", "broadcaster", "television"),
    "alliance": ("alliance",),
}
KNOWN_MEDIA = frozenset("reuters cnn ap afp bbc tass ria interfax bloomberg".split())
DETERMINERS = re.compile(r"^(?:(?:the|a|an|one|two|three|four|five|several|some|both|its|his|her|their|"
                         r"at\s+least\s+one|one\s+of\s+the|another|unnamed)\s+)+", re.IGNORECASE)
DEMONYM_SUFFIXES = ("ian", "an", "ese", "ish", "i", "ic")
_NAME_TOKEN = r"[A-Z][\w'.-]*"


def proposed_key(text: str) -> str:
    """The key of a record the draft proposes: the :func:`~graph.records.slug` of ``text``,
    cut to 80 characters so that it stays readable, or ``actor`` when nothing is left.

    Examples
    --------
    >>> proposed_key("Corvane's interior ministry (MVD)")
    'corvane-s-interior-ministry-mvd'
    >>> proposed_key("Élysée"), proposed_key("Кремль")
    ('elysee', 'actor')
    """
    return slug(text)[:80].strip("-") or "actor"


def _norm(text: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = DETERMINERS.sub("", text.strip().strip(",").strip())
    text = re.sub(r"'s$", "", text)
    return " ".join(text.lower().replace("-", " ").split())


def mention_key(text: str) -> str:
    """How a name is compared with other names: lower case, no article, no possessive.

    Examples
    --------
    >>> mention_key("the Kremlin's")
    'kremlin'
    """
    return _norm(text)


@dataclass
class ActorEntry:
    """An actor the draft may name: known (reused by key) or proposed by this article."""

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    acts_for: tuple[str, ...] = ()
    affiliated_with: tuple[str, ...] = ()
    role: str | None = None
    anonymous: bool = False
    known: bool = False
    origin: str | None = None
    evidence: str | None = None
    record: Actor | None = None

    @property
    def analyst(self) -> bool:
        """Whether the role reads as an outside analyst's rather than an official's."""
        text = f"{self.role or ''} {self.name}".lower()
        return any(w in text for w in ANALYST_WORDS) or (
            self.kind == "organisation" and any(w in text for w in ("institute", "centre", "center", "house",
                                                                     "university", "think tank")))


@dataclass
class _Mention:
    key: str
    position: int


@dataclass
class ActorIndex:
    """Known and proposed actors, looked up by name, alias, surname or demonym."""

    known: Iterable[Actor] = ()
    text: str = ""
    origins: dict[str, str] = field(default_factory=dict)
    entries: dict[str, ActorEntry] = field(default_factory=dict, init=False)
    _names: dict[str, str] = field(default_factory=dict, init=False)
    _history: list[_Mention] = field(default_factory=list, init=False)
    _state_names: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for actor in self.known:
            entry = ActorEntry(actor.id, actor.name, actor.kind, actor.aliases, actor.acts_for,
                               actor.affiliated_with, actor.role, actor.anonymous, known=True,
                               origin=self.origins.get(actor.id), record=actor)
            self._add(entry)
        self._state_names = _states_with_demonyms(self.text)

    # ------------------------------------------------------------------ the lexicon
    def _add(self, entry: ActorEntry) -> None:
        self.entries[entry.key] = entry
        for name in (entry.name, *entry.aliases, entry.key.replace("-", " ")):
            self._names.setdefault(_norm(name), entry.key)
        for abbr in re.findall(r"\(([A-Z]{2,})\)", entry.name):
            self._names.setdefault(abbr.lower(), entry.key)

    def entry(self, key: str) -> ActorEntry:
        """The actor with ``key``."""
        return self.entries[key]

    def lookup(self, name: str) -> str | None:
        """The key of the actor called ``name`` (name, alias or key), if any.

        A known name followed by " of ..." also matches its short form ("Digital
        Transformation Ministry" finds "Digital Transformation Ministry of Ukraine").
        """
        norm = _norm(name)
        if not norm:
            return None
        if norm in self._names:
            return self._names[norm]
        for known, key in self._names.items():
            if known.startswith(norm + " of ") and len(norm.split()) >= 2:
                return key
        return None

    def _propose(self, name: str, kind: str, **fields) -> str:
        existing = self.lookup(name)
        if existing is not None:
            return existing
        base = proposed_key(re.sub(r"^(?:the|a|an|one|two|three|several)\s+", "", name, flags=re.IGNORECASE))
        key, n = base, 2
        while key in self.entries:
            key, n = f"{base}-{n}", n + 1
        self._add(ActorEntry(key, name, kind, evidence=fields.pop("evidence", None), **fields))
        return key

    def state_for(self, word: str) -> str | None:
        """The state (or alliance) a demonym or state name names: "Dastrian", "Russian", "Kyiv".

        Examples
        --------
        >>> index = ActorIndex(text="Corvane said Corvanian drones were not involved.")
        >>> index.state_for("Corvanian"), index.entry("corvane").kind
        ('corvane', 'state')
        """
        word = word.strip()
        key = self.lookup(word)
        if key is not None and self.entries[key].kind in ("state", "alliance"):
            return key
        stem_matches = []
        for suffix in DEMONYM_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)].lower()
                stem_matches += [e.key for e in self.entries.values() if e.kind in ("state", "alliance")
                                 and _norm(e.name).startswith(stem)]
                stem_matches += [self._state(name) for name in self._state_names
                                 if name.lower().startswith(stem)]
        if stem_matches:
            return stem_matches[0]
        if word in self._state_names:
            return self._state(word)
        return None

    def _state(self, name: str) -> str:
        return self._propose(name, "state")

    # ------------------------------------------------------------------ coreference
    def remember(self, key: str, position: int) -> None:
        """Note that ``key`` was mentioned at ``position`` (for pronouns and "the ministry")."""
        self._history.append(_Mention(key, position))

    def _recent(self, test, position: int | None) -> str | None:
        for mention in reversed(self._history):
            if position is not None and mention.position > position:
                continue
            if test(self.entries[mention.key]):
                return mention.key
        return None

    # ------------------------------------------------------------------ reading a speaker phrase
    def resolve(self, phrase: str, position: int | None = None, evidence: str | None = None) -> str | None:
        """The key of the actor ``phrase`` names, proposing a new actor when none is known.

        Returns ``None`` when the phrase does not read as an actor at all.
        """
        key = self._resolve(phrase.strip().strip(",").strip(), position, evidence)
        if key is not None:
            self.remember(key, position if position is not None else len(self._history) * 10_000)
            entry = self.entries[key]
            if entry.evidence is None and evidence:
                entry.evidence = evidence
        return key

    def resolve_all(self, phrase: str, position: int | None = None, evidence: str | None = None) -> list[str]:
        """Like :meth:`resolve`, but "both the Russian and Ukrainian sides" names two actors.

        Examples
        --------
        >>> index = ActorIndex(text="Russia and Ukraine. Russian and Ukrainian drones.")
        >>> index.resolve_all("both the Russian and Ukrainian sides")
        ['russia', 'ukraine']
        """
        m = re.fullmatch(r"(?:both\s+)?(?:the\s+)?([A-Z]\w+)\s+and\s+([A-Z]\w+)\s+(?:sides|governments|militaries)",
                         phrase.strip())
        if m:
            keys = [self.state_for(m.group(1)), self.state_for(m.group(2))]
            if all(keys):
                return keys
        key = self.resolve(phrase, position, evidence)
        return [key] if key else []

    def _resolve(self, phrase: str, position: int | None, evidence: str | None) -> str | None:
        if not phrase or len(phrase) > 300:
            return None
        low = phrase.lower()
        if low in PRONOUNS:
            return self._pronoun(low, position)
        head, appos = _split_apposition(phrase)
        head = re.sub(r"^(?:but|and|or|so|yet|then|that|which|while|as|also)\s+", "", head,
                      flags=re.IGNORECASE).strip()
        if not head:
            return None
        known = self.lookup(head)
        if known is not None:
            return known
        name, role = _person_name(head)
        if name is None and appos and _person_name(appos)[0] is not None and not _person_name(appos)[1]:
            name, role = _person_name(appos)[0], _strip_det(head)
            appos = None
        elif appos:
            role = _strip_det(appos) if role is None else f"{role}, {_strip_det(appos)}"
        if name is not None:
            return self._person(name, role, phrase, evidence)
        if re.fullmatch(_NAME_TOKEN, head):
            return self._single_name(head, evidence)
        return self._body(head, appos, evidence)

    def _pronoun(self, pronoun: str, position: int | None) -> str | None:
        want = PRONOUNS[pronoun]
        if want == "person":
            return self._recent(lambda e: e.kind == "person", position)
        if want == "body":
            return self._recent(lambda e: e.kind != "person", position)
        if want == "plural":
            return self._recent(lambda e: e.kind != "person" or e.name.endswith("s"), position)
        return self._recent(lambda e: True, position)

    def _person(self, name: str, role: str | None, head: str, evidence: str | None) -> str:
        known = self.lookup(name)
        if known is not None:
            return known
        surname = name.split()[-1]
        same = [e.key for e in self.entries.values() if e.kind == "person" and not e.anonymous
                and _norm(e.name).split()[-1:] == [surname.lower()]]
        if len(same) == 1:
            return same[0]
        acts_for, affiliated = self._affiliations(role or "", head)
        return self._propose(name, "person", aliases=(surname,), role=role, acts_for=acts_for,
                             affiliated_with=affiliated, evidence=evidence)

    def _single_name(self, word: str, evidence: str | None) -> str | None:
        state = self.state_for(word)
        if state is not None:
            return state
        same = [e.key for e in self.entries.values() if e.kind == "person" and not e.anonymous
                and _norm(e.name).split()[-1:] == [word.lower()]]
        if same:
            return same[-1]
        if word.lower() in KNOWN_MEDIA:
            return self._propose(word, "media", evidence=evidence)
        if word.isupper() and len(word) >= 2:
            return self._propose(word, "organisation", evidence=evidence)
        return None

    def _affiliations(self, role: str, head: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(acts_for, affiliated_with) read from a role: "a spokesman for Ukraine's Air Force",
        "a senior analyst at the Nordic Institute for Security Policy", "Kalvari President"."""
        org = _organisation(role)
        target = None
        if org:
            target = self.lookup(org) or self._body(org, None, None)
        else:
            for word in re.findall(r"[A-Z][\w-]+", f"{role} {head}"):
                if word.lower() in TITLES:
                    continue
                target = self.lookup(word) if self.lookup(word) in self.entries else None
                target = target or self.state_for(word)
                if target:
                    break
        if target is None:
            possessor = re.match(r"(?:the\s+)?([A-Z][\w\s-]*?)'s\b", role) or re.match(
                r"(?:the\s+)?([A-Z][\w\s-]*?)'s\b", head)
            if possessor:
                target = self.lookup(possessor.group(1)) or self.state_for(possessor.group(1).split()[0])
            elif re.match(r"(?:its|their)\b", head) or re.match(r"(?:its|their)\b", role):
                target = self._recent(lambda e: e.kind in ("state", "alliance", "government-body"), None)
        if target is None:
            return (), ()
        analyst = any(w in role.lower() for w in ANALYST_WORDS)
        return ((), (target,)) if analyst else ((target,), ())

    def _body(self, head: str, appos: str | None, evidence: str | None) -> str | None:
        """An organisation, government body, unit or anonymous person named by a noun phrase."""
        text = re.sub(r"\s+", " ", head).strip()
        anonymous_plural = re.match(r"(?i)one of the (\w+)$", text)
        if anonymous_plural:
            return self._recent(lambda e: _norm(e.name).endswith(anonymous_plural.group(1).lower()), None)
        definite = re.fullmatch(r"(?i)the\s+([a-z][a-z ]*)", text)
        if definite and len(definite.group(1).split()) <= 2:
            noun = definite.group(1).lower()
            found = self._recent(lambda e: noun.split()[-1] in _norm(e.name).split()
                                 or (noun == "alliance" and e.kind == "alliance"), None)
            if found:
                return found
        words = _norm(text).split()
        if not words:
            return None
        last = words[-1]
        kind = None
        for candidate, heads in BODY_HEADS.items():
            if any(" ".join(words[-len(h.split()):]) == h for h in heads):
                kind = candidate
                break
        if kind is None and re.fullmatch(r"(?:[A-Z][\w'-]*\s*(?:(?:for|of|the|and|on|&)\s+)*)+(?:\([A-Z]{2,}\))?",
                                         _strip_det(text)):  # "the Institute for the Study of War (ISW)"
            kind = next((k for k, heads in BODY_HEADS.items() if any(h in words for h in heads)), None)
        anonymous = last in ANONYMOUS_HEADS and not re.search(r"[A-Z]", text.split()[0][1:] if text else "")
        if kind is None and not anonymous:
            return None
        if len(words) > 8:
            return None
        name = _strip_det(text)
        owner = None
        possessor = re.match(r"(?:the\s+)?(.+?)'s\s+", text, flags=re.IGNORECASE)
        if possessor:
            owner = self.lookup(possessor.group(1)) or self.state_for(possessor.group(1).split()[-1])
            if owner is None and re.fullmatch(r"(?i)the\s+\w+", f"the {possessor.group(1)}"):
                owner = self._recent(lambda e: possessor.group(1).lower().split()[-1] in _norm(e.name).split(), None)
        if owner is None:
            for word in re.findall(r"[A-Z][\w-]+", text):
                owner = self.state_for(word)
                if owner:
                    break
        if owner is None and re.match(r"(?i)(its|their)\s", text):
            owner = self._recent(lambda e: e.kind in ("state", "alliance"), None)
        if anonymous and kind is None:
            label = text if re.match(r"(?i)(one|two|three|several|some)\b", text) else f"unnamed {name}"
            acts_for = (owner,) if owner else ()
            org = _capitalised_run(text)
            if not acts_for and org:
                org_key = self.lookup(org) or self._body(org, None, None)
                acts_for = (org_key,) if org_key else ()
            key = self._propose(label, "person", anonymous=True, acts_for=acts_for, role=name, evidence=evidence)
            return key
        if kind == "media":
            return self._propose(name, "media", evidence=evidence)
        proper = possessor and re.match(r"[A-Z]", text[possessor.end():])
        if proper:
            name = text[possessor.end():]
        abbr = re.search(r"\s*\(([A-Z]{2,})\)", name)
        if abbr:
            name = name.replace(abbr.group(0), "")
        return self._propose(name, kind, acts_for=(owner,) if owner and kind != "organisation" else (),
                             aliases=(abbr.group(1),) if abbr else (), evidence=evidence)


def _strip_det(text: str) -> str:
    return DETERMINERS.sub("", text.strip().strip(",").strip())


def _split_apposition(phrase: str) -> tuple[str, str | None]:
    """("Douglas Barrie", "a senior fellow ...") from "Douglas Barrie, a senior fellow ...,"."""
    depth, parts, current = 0, [], []
    for ch in phrase:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    parts = [p.strip() for p in parts if p.strip()]
    if not parts:
        return "", None
    return parts[0], ", ".join(parts[1:]) or None


def _person_name(text: str) -> tuple[str | None, str | None]:
    """(name, role) when ``text`` ends in a person's name of two or more capitalised words.

    Examples
    --------
    >>> _person_name("Ukrainian President Volodymyr Zelensky")
    ('Volodymyr Zelensky', 'Ukrainian President')
    >>> _person_name("fleet spokesman Captain Oren Hale")
    ('Oren Hale', 'fleet spokesman Captain')
    >>> _person_name("the Institute for the Study of War")
    (None, None)
    """
    tokens = text.split()
    run: list[str] = []
    for token in reversed(tokens):
        bare = token.strip(",")
        if re.fullmatch(r"[A-Z][a-z'][\w'-]*|[A-Z]\.", bare) and bare.lower().rstrip(".") not in TITLES:
            run.insert(0, bare)
        else:
            break
    if len(run) < 2 or len(run) > 4:
        return None, None
    if any(w.lower() in ("institute", "house", "ministry", "centre", "center", "university", "council",
                         "force", "forces", "army", "navy", "command", "nations", "states", "department",
                         "office", "party", "agency", "committee", "union", "group", "service", "war")
           for w in run):
        return None, None
    if re.search(r"(ian|ese|ish)$", run[0]) and len(run) == 2:
        return None, None
    rest = " ".join(tokens[: len(tokens) - len(run)]).strip() or None
    return " ".join(run), (_strip_det(rest) if rest else None)


def _organisation(role: str) -> str | None:
    """The organisation a role names after at/of/for/with: the one with an organisation word,
    an abbreviation, or else the last."""
    candidates = []
    for m in re.finditer(r"\b(?:at|of|for|with|from)\s+(?:the\s+)?"
                         r"([A-Z][\w'-]*(?:\s+(?:for|of|the|and|on|&)?\s*[A-Z][\w'-]*)*)(\s*\([A-Z]{2,}\))?", role):
        candidates.append(m.group(1) + (m.group(2) or ""))
    if not candidates:
        return None
    org_words = ("institute", "centre", "center", "university", "house", "council", "ministry", "force",
                 "army", "navy", "command", "foundation", "agency", "office", "department", "service",
                 "nations", "school", "college", "group", "academy", "forum")
    for c in candidates:
        if "(" in c or any(w in c.lower() for w in org_words):
            return c
    return candidates[-1]


def _capitalised_run(text: str) -> str | None:
    m = re.search(r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+)+", text)
    return m.group(0) if m else None


def _states_with_demonyms(text: str) -> dict[str, str]:
    """Capitalised single words that have a demonym in the same text: likely states.

    "Dastria" counts because "Dastrian" occurs; "Halvik" does not.
    """
    words = set(re.findall(r"\b[A-Z][a-z]{3,}\b", text))
    found = {}
    for demonym in words:
        for suffix in DEMONYM_SUFFIXES:
            if not demonym.endswith(suffix) or len(demonym) - len(suffix) < 4:
                continue
            stem = demonym[: -len(suffix)]
            for word in words:
                if word != demonym and word.startswith(stem) and not word.endswith(("ians", "ans", "s")) \
                        and not any(word.endswith(s) and word[: -len(s)] == stem for s in DEMONYM_SUFFIXES
                                    if s in ("an", "ese", "ish")):
                    found[word] = demonym
    return found
