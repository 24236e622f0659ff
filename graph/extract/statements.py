"""Statements in news text: direct quotations, reported speech, and the speech acts news
reports without a quotation (claims and denials of responsibility, attributions, refusals
to comment), each with its speaker, kind, addressee or channel, and date.

The rules read each sentence with its quotations masked (:mod:`graph.extract.text`), find
a reporting verb ("said", "told", "warned", "denied", "pinned on", "declined to comment",
...), read its subject as a speaker phrase (:mod:`graph.extract.speakers`), and decide from
what surrounds them whether the sentence quotes (``"...," X said``; ``X said: "..."``;
``"...," X said, "..."``), reports (``X said the attacks were ...``), or reports inverted
(``The depot was hit, according to X``; ``..., X said.``). A quotation-only sentence after
a quoted one continues it (the parts are joined with ``" [...] "``, as curated data does).

Examples
--------
>>> import datetime as dt
>>> from graph.extract.speakers import ActorIndex
>>> from graph.extract.text import Article
>>> article = Article.parse('"We will answer," Anna Berg, a spokeswoman for the Ruritanian '
...                         'foreign ministry, told Reuters on Monday. "Soon."\\n'
...                         'Berg later denied that troops had crossed the border.')
>>> found = find_statements(article, ActorIndex(text=article.text), dt.date(2024, 3, 8))
>>> s = found[0]
>>> s.speaker, s.kind, s.quote, s.addressee, s.date.earliest.isoformat()
('anna-berg', 'statement', 'We will answer [...] Soon.', 'reuters', '2024-03-04')
>>> found[1].speaker, found[1].kind, found[1].paraphrase
('anna-berg', 'denial', 'that troops had crossed the border.')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from graph.extract.dates import find_dates
from graph.extract.speakers import ActorIndex
from graph.extract.text import QUOTE_MARK, Article, Sentence
from graph.records import FuzzyDate

__all__ = ["SPEECH_VERBS", "FoundStatement", "find_statements"]

# Reporting verbs and the speech-act kind each implies (ontology/vocab/speech-acts.ttl).
SPEECH_VERBS: dict[str, str] = {
    **dict.fromkeys("said says say told tells added adds wrote writes posted noted notes stated explained "
                    "stressed insisted argued asserted declared remarked commented observed reported "
                    "discussed described urged called".split(), "statement"),
    **dict.fromkeys("suggested estimated assessed".split(), "assessment"),
    **dict.fromkeys("predicted forecast".split(), "forecast"),
    **dict.fromkeys("warned warns warning cautioned".split(), "warning"),
    **dict.fromkeys("threatened threatens".split(), "threat"),
    **dict.fromkeys("vowed pledged promised announced announces".split(), "announcement"),
    **dict.fromkeys("denied denies rejected dismissed".split(), "denial"),
    **dict.fromkeys("claimed claims alleged".split(), "statement"),
    **dict.fromkeys("blamed blames accused accuses".split(), "attribution"),
    **dict.fromkeys("acknowledged admitted confirmed".split(), "acknowledgement"),
    **dict.fromkeys("condemned criticised criticized".split(), "criticism"),
    **dict.fromkeys("link links linked".split(), "linkage"),
    **dict.fromkeys("testified".split(), "testimony"),
    **dict.fromkeys("justified".split(), "justification"),
}
# An actor's stated attitude ("the United States being particularly concerned", "Western
# leaders appear generally relaxed"): news reports a position this way without a quotation.
_ATTITUDE = (r"(?:is|are|was|were|being|been|appears?|appeared|seems?|seemed|remains?|remained)\s+"
             r"(?:(?:\w+ly|more|most|less|very|increasingly|so|too)\s+)*"
             r"(?:concerned|worried|alarmed|relaxed|wary|uneasy|unconcerned|sceptical|skeptical|nervous|"
             r"frustrated|angered|outraged|dismayed)\b")
# Multi-word reporting acts, tried before single verbs; (pattern, kind).
PHRASES: list[tuple[str, str]] = [
    (r"not\s+(?:yet\s+)?(?:taken|claimed|accepted)\s+(?:\w+\s+)?responsibility\b", "decline-comment"),
    (r"(?:claimed|claims|took|takes|accepted)\s+(?:\w+\s+)?responsibility\b", "claim-of-responsibility"),
    (r"not\s+(?:yet\s+)?claimed\b", "decline-comment"),
    (r"(?:declined|refused|refusing|refuses|declines)\s+to\s+(?:comment|be\s+drawn|confirm|discuss|give|say)\b",
     "decline-comment"),
    (r"(?:did|does|do)\s+not\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+(?:a\s+)?requests?\s+for\s+comment",
     "decline-comment"),
    (r"not\s+(?:yet\s+)?commented\b", "decline-comment"),
    (r"(?:would|could|did)\s+not\s+(?:comment|confirm)\b", "decline-comment"),
    (r"pinned\b", "attribution"),
    (r"(?:do|does|did)\s+not\s+support\b", "disapproval"),
    (_ATTITUDE, "statement"),
]
_VERB_RE = re.compile(
    r"\b(?:" + "|".join(p for p, _ in PHRASES) + "|" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
    + r")\b(?:\s+(?:on|of)\b(?=\s+[a-z]))?"
)
_AUX = re.compile(r"(?:\s+(?:has|have|had|would|will|could|also|then|later|earlier|again|never|already|"
                  r"previously|repeatedly|reportedly|separately|further|\w+ly|tended\s+to|tends\s+to|is|was|"
                  r"were|are|been))+\s*$", re.IGNORECASE)
_LEAD = re.compile(r"^(?:(?:but|and|or|so|yet|then|while|as|with|crucially|however|meanwhile|instead|"
                   r"in\s+response|also)\b[\s,]*)+", re.IGNORECASE)
_RELATIVE = re.compile(r"^.*\b(?:that|which|who|whom)\s+", re.IGNORECASE | re.DOTALL)
_CHANNEL = re.compile(
    r"\b(?:in|on|during|at)\s+(?:a|an|the|its|his|her|their)?\s*(?:televised\s+|recent\s+|video\s+|written\s+|"
    r"short\s+|brief\s+|separate\s+|late-night\s+)?(?:statement|post|address|speech|interview|update|briefing|"
    r"news\s+conference|press\s+conference|video|message|broadcast|report)"
    r"(?:\s+(?:on|to|with)\s+(?:its\s+|his\s+|her\s+|their\s+)?[A-Z][\w-]*(?:\s+channel)?)?"
    r"|\bon\s+(?:Telegram|Twitter|Facebook|X|state\s+television|television|TV|radio)\b"
)
_TOLD_OBJECT = re.compile(r"\s+((?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*|reporters|journalists|lawmakers|"
                          r"parliament|(?:a|the)\s+(?:news|press)\s+conference|(?:a|the)\s+briefing|"
                          r"(?:a|the)\s+[a-z]+\s+(?:newspaper|broadcaster|agency))")
_ACCORDING_TAIL = re.compile(r",\s+according\s+to\s+([^,.;\x01]+?)(?=[,.;]|$)")
_ACCORDING_HEAD = re.compile(r"^According\s+to\s+([^,]+),\s+", re.IGNORECASE)
_NOUN_SPEECH = re.compile(
    r"\b(?P<noun>criticisms?|claims?|warnings?|accusations?|allegations?|assurances?|threats?|complaints?)"
    r"\s+(?:from|by)\s+(?P<subj>[^,\x01]+?)\s+that\s+(?P<content>[^\x01]+?)(?=,\s|[;.]|$)"
)
_POSSESSIVE_SPEECH = re.compile(
    r"(?P<subj>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)'s\b[^.;\x01]*?\b(?P<noun>claims?|assertions?|allegations?|"
    r"accusations?|warnings|insistence|argument)\s+that\s+(?P<content>[^\x01]+?)(?=[;.]?$|\.\s)"
)
# "... attacks that were reported by X": the frame is found first and the content read back
# to the clause's start, so a long clause is scanned once, not once per word.
_PASSIVE_REPORT = re.compile(
    r"\s+(?:that|which)\s+(?:were|was|had\s+been|have\s+been|has\s+been)\s+"
    r"(?:reported|announced|claimed|confirmed)\s+by\s+(?P<subj>[^,;.\x01]+)"
)
_BY_SAYING = re.compile(r"\bby\s+(?:saying|claiming|insisting|arguing)\s+(?:that\s+)?(?P<content>.+?)"
                        r"(?=\s*\.\.\.|[.;!?]|$)")
_ACTOR_NP = re.compile(r"(?:the\s+)?(?:[A-Z][\w-]*\s+)*(?:authorities|officials|government|ministry|military|"
                       r"Kremlin|[A-Z][\w-]+)\b")
_FORECAST = re.compile(r"\b(?:will\s+likely|is\s+likely\s+to|are\s+likely\s+to|will\s+probably|expect|"
                       r"to\s+continue|will\s+remain)\b", re.IGNORECASE)
_DISAPPROVAL = re.compile(r"\b(?:do|does|did)\s+not\s+support\b", re.IGNORECASE)
# "..., though its responses have become more bullish": a clause on how the speaker's own
# words have changed is a statement of its own, not part of the act before it.
_CONCESSIVE = re.compile(r",\s+(?:though|although|but|while|even\s+as)\s+(?=(?:its|their|his|her)\s+(?:\w+\s+)?"
                         r"(?:responses?|rhetoric|tone|statements|language|comments|messaging)\b)")
JOIN = " [...] "
# How far before a reporting verb its subject is looked for. A speaker phrase is at most 300
# characters (longer ones are no speaker), so a window of twice that finds every subject,
# and a sentence with many verbs is read in time proportional to its length.
SUBJECT_REACH = 1_000


@dataclass
class FoundStatement:
    """A statement read from one sentence, before it becomes a record."""

    speaker: str
    kind: str
    sentence: Sentence
    quote: str | None = None
    paraphrase: str | None = None
    date: FuzzyDate | None = None
    addressee: str | None = None
    channel: str | None = None
    reported_via: str | None = None
    attributes_to: tuple[str, ...] = ()
    direct: bool = False
    frame: tuple[int, int] = (0, 0)
    quotes: list[str] = field(default_factory=list)
    separate: bool = False

    @property
    def evidence(self) -> str:
        """The sentence the statement was read from."""
        return self.sentence.text


def _parts(text: str) -> list[tuple[int, int]]:
    """(start, end) of the top-level comma-separated parts of ``text`` (parentheses kept whole)."""
    spans, depth, start = [], 0, 0
    for m in re.finditer(r"[(),]", text):
        ch, i = m.group(), m.start()
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _is_apposition(text: str) -> bool:
    text = text.strip()
    return bool(re.match(r"(?:a|an|the|whose|who|which|speaking|its|his|her|their|one|himself|herself)\b", text)
                or re.fullmatch(r"(?:[A-Z][\w'-]+\s+){1,3}[A-Z][\w'-]+", text))


def _subject(masked: str, verb_start: int, text: str = "") -> tuple[int, int, bool] | None:
    """(start, end, relative) of the subject phrase before the verb at ``verb_start``.

    A quotation ending in a comma right before ('... "shown up the defences," he added')
    closes the clause: the subject starts after it.
    """
    lo = max(0, verb_start - SUBJECT_REACH)
    before = masked[lo:verb_start]
    last = before.rstrip().rfind(QUOTE_MARK)
    if last >= 0 and lo + last > 0 and text[lo + last - 1: lo + last] == "," \
            and len(before[last + 1:].split()) <= 8:
        return _trim(masked, lo + last + 1, lo + len(_AUX.sub("", before.rstrip())))
    aux = _AUX.search(before)
    end = aux.start() if aux else len(before.rstrip())
    before = before[:end]
    boundary = max(before.rfind("; "), before.rfind(" -- "), before.rfind(" - "), before.rfind(": "))
    start = boundary + 2 if boundary >= 0 else 0
    if before[start:].startswith("- "):
        start += 2
    if masked.startswith(QUOTE_MARK):
        start = max(start, len(masked) - len(masked.lstrip(QUOTE_MARK)) - lo)
    start += lo
    clause = masked[start: lo + len(before)]
    spans = _parts(clause)
    stripped = clause.rstrip()
    if stripped.endswith(",") and len(spans) >= 3:
        head, appos = spans[-3], spans[-2]
        if _is_apposition(clause[appos[0]:appos[1]]) and QUOTE_MARK not in clause[head[0]:head[1]]:
            a, b = start + head[0], start + len(stripped) - 1
            return _trim(masked, a, b)
        a, b = start + appos[0], start + len(stripped) - 1
        return _trim(masked, a, b)
    last = spans[-1]
    a, b = start + last[0], start + last[1]
    return _trim(masked, a, b)


def _trim(masked: str, a: int, b: int) -> tuple[int, int, bool] | None:
    text = masked[a:b]
    relative = False
    rel = _RELATIVE.match(text)
    if rel:
        a += rel.end()
        relative = True
        text = masked[a:b]
    while a < b and masked[a] in " ,":
        a += 1
    lead = _LEAD.match(masked[a:b])
    if lead:
        a += lead.end()
    while a < b and masked[a] in " ,":
        a += 1
    while b > a and masked[b - 1] in " ,":
        b -= 1
    if a >= b:
        return None
    return a, b, relative


def _quotes_in(sentence: Sentence, a: int, b: int) -> list[str]:
    return [q.text.strip() for q in sentence.quotes if q.start >= a and q.end <= b + 1]


def _clean_quote(parts: list[str]) -> str | None:
    cleaned = [p.strip().rstrip(",").strip() for p in parts if p.strip().rstrip(",").strip()]
    return JOIN.join(cleaned) if cleaned else None


def _frame_date(sentence: Sentence, a: int, b: int, published: dt.date) -> FuzzyDate | None:
    for mention in find_dates(sentence.masked[a:b], published):
        return mention.date
    return None


def _channel(text: str) -> str | None:
    m = _CHANNEL.search(text)
    return m.group(0).strip() if m else None


def _refine(kind: str, speaker: str, content: str, index: ActorIndex) -> str:
    """The kind from the verb, refined by what is said and who says it."""
    entry = index.entry(speaker)
    if _DISAPPROVAL.search(content):
        return "disapproval"
    if kind == "statement":
        if entry.anonymous and "witness" in entry.name.lower():
            return "testimony"
        if entry.analyst:
            return "forecast" if _FORECAST.search(content) else "assessment"
    return kind


def _first_actor(text: str, index: ActorIndex) -> str | None:
    for m in re.finditer(r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*", text):
        key = index.lookup(m.group(0)) or index.state_for(m.group(0).split()[0])
        if key:
            return key
    return None


def _verb_kind(verb: str) -> str:
    word = verb.split()[0].lower()
    if word in SPEECH_VERBS and len(verb.split()) == 1:
        return SPEECH_VERBS[word]
    for pattern, kind in PHRASES:
        if re.match(pattern, verb):
            return kind
    return SPEECH_VERBS.get(word, "statement")


def _sentence_statements(sentence: Sentence, index: ActorIndex, published: dt.date) -> list[FoundStatement]:
    masked, text = sentence.masked, sentence.text
    found: list[FoundStatement] = []
    taken_until = -1
    for verb in _VERB_RE.finditer(masked):
        if verb.start() < taken_until:
            continue
        verb_text = verb.group(0)
        kind = _verb_kind(verb_text)
        attitude = re.match(_ATTITUDE, verb_text) is not None
        if attitude and found:
            continue  # an attitude inside reported speech belongs to that report
        if verb_text in ("said", "says", "added", "adds", "wrote", "writes") and re.search(
                QUOTE_MARK + r",?\s*$", masked[: verb.start()]):
            inverted = _inverted_subject(sentence, verb.end())
            if inverted is not None:
                direct = _direct_inverted(sentence, verb, inverted, kind, index, published)
                if direct is not None:
                    found.append(direct)
                    taken_until = len(masked)
                    continue
        subject = _subject(masked, verb.start(), text)
        coordinated = re.search(r"\band\s*$", masked[: verb.start()]) and found
        if subject is None and not coordinated:
            continue
        if coordinated:
            speaker_keys = [found[-1].speaker]
            sa, sb, relative = verb.start(), verb.start(), False
        else:
            sa, sb, relative = subject
            phrase = text[sa:sb]
            after_according = (_ACCORDING_TAIL.search(masked[:sa].rstrip(" ,") + ".")
                               if phrase.lower() in ("which", "who") else None)
            if after_according:
                speaker_keys = index.resolve_all(text[after_according.start(1):after_according.end(1)],
                                                 sentence.start + after_according.start(1), evidence=text)
            elif phrase.lower() in ("which", "who") and found:
                speaker_keys = [found[-1].speaker]
            else:
                speaker_keys = index.resolve_all(phrase, sentence.start + sa, evidence=text)
        if not speaker_keys:
            continue
        after = verb.end()
        addressee = channel = None
        if verb_text.split()[0] in ("told", "tells"):
            obj = _TOLD_OBJECT.match(masked, after)
            if obj:
                target = obj.group(1).rstrip(".")
                addressee = index.resolve(target, sentence.start + obj.start(1)) if re.match(
                    r"(?:the\s+)?[A-Z]|reporters|journalists", target) else None
                channel = f"told {target}"
                after = obj.end()
        tail = masked[after:]
        before = masked[:sa].rstrip()
        quote_before = before.endswith((QUOTE_MARK, QUOTE_MARK + ","))
        concession: FoundStatement | None = None
        content_b = len(masked)
        stop = re.search(r",\s+and\s+(?=[A-Z])|;|\s+and\s+(?=(?:" + "|".join(
            w for w in SPEECH_VERBS if w.endswith("ed") or w in ("said", "told", "wrote")) + r")\b)", tail)
        if stop:
            content_b = after + stop.start()
        according = _ACCORDING_TAIL.search(masked, after)
        reported_via = None
        if according:
            reported_via = index.resolve(text[according.start(1):according.end(1)], sentence.start + according.start(1))
            content_b = min(content_b, according.start())
        rest = masked[after:content_b]
        adjunct_end = _skip_adjuncts(rest, published)
        tail_clause = rest[adjunct_end:].lstrip()
        frame_b = after + adjunct_end
        if quote_before:
            quotes = _quotes_in(sentence, 0, sa)
            trailing = re.match(r"\s*,\s*" + QUOTE_MARK, masked[frame_b:])
            if trailing:
                quotes += _quotes_in(sentence, frame_b, len(masked))
            statement = FoundStatement(speaker_keys[0], kind, sentence, quote=_clean_quote(quotes), direct=True,
                                       frame=(sa, frame_b), quotes=quotes)
            content = " ".join(quotes)
            taken_until = len(masked)
        elif tail_clause.startswith(":") or re.fullmatch(r"(?:that\s+)?" + QUOTE_MARK + r"+[.!?]?\s*", tail_clause):
            quotes = _quotes_in(sentence, frame_b, len(masked))
            statement = FoundStatement(speaker_keys[0], kind, sentence, quote=_clean_quote(quotes), direct=True,
                                       frame=(sa, frame_b), quotes=quotes)
            content = " ".join(quotes)
            taken_until = len(masked)
        elif _phrase_is_relative(masked, sa) and _ACCORDING_TAIL.search(masked[:sa].rstrip(" ,") + "."):
            according_before = _ACCORDING_TAIL.search(masked[:sa].rstrip(" ,") + ".")
            content = (text[: according_before.start()].strip() + "; " + text[frame_b:content_b].strip())
            quotes = _quotes_in(sentence, 0, content_b)
            statement = FoundStatement(speaker_keys[0], kind, sentence, paraphrase=content,
                                       quote=_clean_quote(quotes), frame=(according_before.start(), frame_b),
                                       quotes=quotes)
            taken_until = content_b
        elif (before.endswith(",") and not relative and not attitude
              and (not tail_clause or tail_clause[0] in ",.")):
            head = _ACCORDING_HEAD.match(masked)
            start = head.end() if head else 0
            content = text[start: len(before) - 1].strip()
            quotes = _quotes_in(sentence, start, len(before))
            statement = FoundStatement(speaker_keys[0], kind, sentence, paraphrase=content,
                                       quote=_clean_quote(quotes), frame=(sa, len(masked)), quotes=quotes)
            taken_until = after + adjunct_end
        else:
            clause_start = frame_b
            concessive = None if relative else _CONCESSIVE.search(masked, frame_b, content_b)
            if concessive:
                concession = _concession(sentence, speaker_keys[0], concessive, content_b, published)
                content_b = concessive.start()
            if relative:
                clause_start = masked.rfind(",", 0, sa) + 1
                content = text[clause_start:content_b].strip()
            elif kind in ("decline-comment", "claim-of-responsibility", "disapproval") or attitude:
                clause_start = sa
                content = text[sa:content_b].strip()
            else:
                content = text[frame_b:content_b].strip()
            content = re.sub(r"^[,:]\s*", "", content)
            if len(content.split()) < 2 and kind in ("decline-comment", "denial", "claim-of-responsibility"):
                content = text[sa:content_b].strip()
            if len(content.split()) < 2:
                continue
            quotes = _quotes_in(sentence, clause_start, content_b)
            statement = FoundStatement(speaker_keys[0], kind, sentence, paraphrase=content,
                                       quote=_clean_quote(quotes), frame=(sa, frame_b), quotes=quotes)
            if not content.startswith("that") and kind != "statement":
                object_dates = find_dates(masked[frame_b:content_b], published)
                statement.date = object_dates[0].date if object_dates else None
        statement.kind = _refine(kind, statement.speaker, content, index)
        inverted = statement.frame[1] == len(masked) and not statement.direct
        lead = [] if inverted or relative else find_dates(masked[:sa], published)
        lead_date = lead[0].date if lead and lead[0].start == 0 else None
        statement.date = (_frame_date(sentence, statement.frame[0], statement.frame[1], published) or lead_date
                          or statement.date)
        statement.channel = _channel(masked[statement.frame[0]:statement.frame[1]]) or channel
        statement.addressee = addressee
        statement.reported_via = reported_via
        if kind == "attribution":
            target_text = masked[verb.end(): content_b]
            on = re.search(r"\bon\s+([A-Z][\w-]+)", target_text)
            target = index.lookup(on.group(1)) or index.state_for(on.group(1)) if on else _first_actor(target_text, index)
            statement.attributes_to = (target,) if target else ()
        found.append(statement)
        if concession is not None:
            found.append(concession)
        for extra in speaker_keys[1:]:
            found.append(FoundStatement(extra, statement.kind, sentence, quote=statement.quote,
                                        paraphrase=statement.paraphrase, date=statement.date,
                                        frame=statement.frame, quotes=statement.quotes))
    found += _special_patterns(sentence, index, published, found)
    return _merge_same_speaker(found)


def _concession(sentence: Sentence, speaker: str, m: re.Match, end: int, published: dt.date) -> FoundStatement:
    """The statement in "..., though its responses have become more bullish in recent weeks"."""
    dates = find_dates(sentence.masked[m.end():end], published)
    return FoundStatement(speaker, "statement", sentence, paraphrase=sentence.text[m.end():end].strip(),
                          date=dates[0].date if dates else None, frame=(m.start(), m.end()), separate=True)


def _inverted_subject(sentence: Sentence, after: int) -> tuple[int, int] | None:
    """The subject after the verb in '"...," said Mara Lindqvist, a senior analyst at X.'"""
    masked = sentence.masked
    m = re.match(r"\s+((?:the|a|an|one|[A-Z])[^\x01]*?)\s*(?:,\s*" + QUOTE_MARK + r"|[.!?]?\s*$)", masked[after:])
    if m is None:
        return None
    return after + m.start(1), after + m.end(1)


def _direct_inverted(sentence: Sentence, verb: re.Match, subject: tuple[int, int], kind: str,
                     index: ActorIndex, published: dt.date) -> FoundStatement | None:
    a, b = subject
    phrase = sentence.text[a:b]
    dates = find_dates(phrase, published)
    if dates:
        phrase = phrase[: dates[0].start]
    key = index.resolve(phrase.strip(" ,"), sentence.start + a, evidence=sentence.text)
    if key is None:
        return None
    quotes = [q.text.strip() for q in sentence.quotes]
    statement = FoundStatement(key, kind, sentence, quote=_clean_quote(quotes), direct=True,
                               frame=(verb.start(), b), quotes=quotes)
    statement.kind = _refine(kind, key, " ".join(quotes), index)
    statement.date = dates[0].date if dates else None
    return statement


def _phrase_is_relative(masked: str, start: int) -> bool:
    """Whether the subject at ``start`` is a relative pronoun ("..., which said ...")."""
    return bool(re.match(r"(?:which|who)\b", masked[start:]))


def _skip_adjuncts(rest: str, published: dt.date) -> int:
    """How many characters of ``rest`` (what follows the verb) are dates, places and channels."""
    pos = 0
    while True:
        chunk = rest[pos:]
        spaces = len(chunk) - len(chunk.lstrip())
        chunk = chunk.lstrip()
        m = (re.match(r"(?:at\s+the\s+time|in\s+[A-Z][\w-]+|later|earlier|publicly|separately|also|"
                      r"on\s+condition\s+of\s+anonymity)\b", chunk)
             or _CHANNEL.match(chunk))
        dates = find_dates(chunk, published)
        if dates and dates[0].start == 0:
            pos += spaces + dates[0].end
            continue
        if m:
            pos += spaces + m.end()
            continue
        return pos


def _special_patterns(sentence: Sentence, index: ActorIndex, published: dt.date,
                      found: list[FoundStatement]) -> list[FoundStatement]:
    """Speech reported by nouns and passives: "criticisms from X that ...", "X's claims that
    ...", "attacks that were reported by X", "according to X" with no verb, and "by saying ..."
    inside a quotation."""
    masked, text = sentence.masked, sentence.text
    out: list[FoundStatement] = []
    main = found[0].speaker if found else None
    for m in _NOUN_SPEECH.finditer(masked):
        key = index.resolve(text[m.start("subj"):m.end("subj")], sentence.start + m.start("subj"), evidence=text)
        if key:
            noun = m.group("noun").rstrip("s")
            kind = {"criticism": "criticism", "warning": "warning", "threat": "threat", "accusation": "attribution",
                    "allegation": "attribution", "complaint": "criticism"}.get(noun, "statement")
            out.append(FoundStatement(key, kind, sentence, paraphrase=text[m.start("content"):m.end("content")],
                                      reported_via=main, frame=(m.start(), m.start("content"))))
    for m in _POSSESSIVE_SPEECH.finditer(masked):
        key = index.lookup(m.group("subj")) or index.resolve(m.group("subj"), sentence.start + m.start())
        if key and index.entry(key).kind in ("person", "government-body", "state"):
            out.append(FoundStatement(key, "justification" if "pretext" in masked[m.start():m.start("noun")]
                                      else "statement", sentence,
                                      paraphrase=text[m.start("content"):m.end("content")],
                                      frame=(m.start(), m.start("content"))))
    clause_from = 0
    for m in _PASSIVE_REPORT.finditer(masked):
        content_start = max(clause_from, masked.rfind(",", 0, m.start()) + 1, masked.rfind(";", 0, m.start()) + 1)
        clause_from = m.end()
        if not masked[content_start:m.start()].strip():
            continue
        subj = text[m.start("subj"):m.end("subj")]
        dates = find_dates(subj, published)
        if dates:
            subj = subj[: dates[0].start]
        key = index.resolve(subj.strip(), sentence.start + m.start("subj"), evidence=text)
        if key:
            date = dates[0].date if dates else None
            content = text[content_start:m.end()].strip()
            content = re.sub(r"^(?:It|it|This|this)\s+\w+\s+", "", content)
            out.append(FoundStatement(key, "statement", sentence, paraphrase=content, date=date,
                                      frame=(m.start("subj"), m.start("subj") + len(subj.rstrip()))))
    if not found:
        head = _ACCORDING_HEAD.match(masked)
        tail = _ACCORDING_TAIL.search(masked)
        if head or tail:
            m = head or tail
            key = index.resolve(text[m.start(1):m.end(1)], sentence.start + m.start(1), evidence=text)
            if key:
                content = text[head.end():] if head else text[: tail.start()]
                out.append(FoundStatement(key, "statement", sentence, paraphrase=content.strip(),
                                          quote=_clean_quote(_quotes_in(sentence, 0, len(masked))),
                                          frame=(m.start(), m.end())))
                if tail:
                    rest = masked[tail.end():]
                    which = re.match(r",\s+which\s+(?:said|says|added)\s+", rest)
                    if which:
                        out[-1].paraphrase = (content.strip() + "; " + text[tail.end() + which.end():]).strip()
    return out


def _inside_quotes(statement: FoundStatement, index: ActorIndex) -> list[FoundStatement]:
    """Speech a speaker reports inside a quotation: '... the authorities ... by saying they have ...'."""
    out = []
    for quote in statement.quotes:
        for m in _BY_SAYING.finditer(quote):
            nps = [n for n in _ACTOR_NP.finditer(quote[: m.start()]) if index.lookup(n.group(0))
                   or re.search(r"authorities|officials|government|ministry|military", n.group(0))]
            if nps:
                key = index.resolve(nps[-1].group(0), statement.sentence.start)
                if key and key != statement.speaker:
                    out.append(FoundStatement(key, "statement", statement.sentence, paraphrase=m.group("content"),
                                              reported_via=statement.speaker))
    return out


def _merge_same_speaker(found: list[FoundStatement]) -> list[FoundStatement]:
    """One speaker, one sentence, one statement ("denied X and said Y")."""
    merged: list[FoundStatement] = []
    for s in found:
        same = None if s.separate else next((m for m in merged if m.speaker == s.speaker and not m.separate
                                             and m.reported_via == s.reported_via), None)
        if same is None:
            merged.append(s)
            continue
        same.quotes += [q for q in s.quotes if q not in same.quotes]
        same.quote = _clean_quote(same.quotes)
        if s.paraphrase and (not same.paraphrase or s.paraphrase not in same.paraphrase):
            same.paraphrase = f"{same.paraphrase}; {s.paraphrase}" if same.paraphrase else s.paraphrase
        same.date = same.date or s.date
        same.channel = same.channel or s.channel
        same.attributes_to = same.attributes_to or s.attributes_to
        if same.kind == "statement":
            same.kind = s.kind
    return merged


def _only_quote(sentence: Sentence) -> bool:
    rest = sentence.masked.replace(QUOTE_MARK, "").strip(" .,")
    return bool(sentence.quotes) and not rest


def find_statements(article: Article, index: ActorIndex, published: dt.date) -> list[FoundStatement]:
    """Every statement the rules read in ``article``, in order.

    Speakers are resolved (and new actors proposed) in ``index``; dates are resolved against
    ``published``; a statement whose frame gives no date has ``date`` None.
    """
    out: list[FoundStatement] = []
    for paragraph in article.paragraphs:
        previous: FoundStatement | None = None
        for i, sentence in enumerate(paragraph.sentences):
            found = _sentence_statements(sentence, index, published)
            if not found and _only_quote(sentence):
                if previous is not None and previous.direct:
                    previous.quotes += [q.text.strip() for q in sentence.quotes]
                    previous.quote = _clean_quote(previous.quotes)
                    continue
                if i == 0 and out and out[-1].direct:
                    quotes = [q.text.strip() for q in sentence.quotes]
                    found = [FoundStatement(out[-1].speaker, out[-1].kind, sentence, quote=_clean_quote(quotes),
                                            direct=True, quotes=quotes)]
            out.extend(found)
            if found:
                previous = found[-1]
    return out + [inner for statement in out for inner in _inside_quotes(statement, index)]
