"""An article cut into paragraphs and sentences, with its quotations found and masked.

Attribution in news is read per sentence, and a quotation can run over several
sentences ("...in Moscow. Now the war is affecting those who were not concerned," he
said.), so sentences here never end inside a quotation. Each sentence also comes
*masked*: every quotation is replaced by a placeholder of the same length
(``"\\x01\\x01...\\x01"``), so patterns for the reporting frame ("..., Barrie said.")
never match words inside the quotation, yet every offset stays the same.

Examples
--------
>>> article = Article.parse('Heading\\n"Aa. Bb," he said. "Cc." Then more.')
>>> [p.heading for p in article.paragraphs]
[True, False]
>>> s = article.paragraphs[1].sentences
>>> [x.text for x in s]
['"Aa. Bb," he said.', '"Cc."', 'Then more.']
>>> [q.text for q in s[0].quotes], s[0].masked.count(QUOTE_MARK)
(['Aa. Bb,'], 9)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["QUOTE_MARK", "Article", "Paragraph", "Quote", "Sentence", "normalise"]

QUOTE_MARK = "\x01"
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col capt maj sgt st jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs etc inc corp co ltd u.s u.k u.n e.g i.e adm brig cmdr gov sen rep".split()
)
# "ORLEK, March 8 (Wire) - " opening a wire story: where and when it was filed, not news.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2}\s*(?:\([^)]*\))?\s*-{1,2}\s+")
_TRANSLATE = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                            "\u2014": "-", "\u2013": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Straight quotes and plain dashes, one character for one, so offsets are kept.

    Examples
    --------
    >>> normalise("\u201cIt\u2019s\u201d \u2014 yes")
    '"It\\'s" - yes'
    """
    return text.translate(_TRANSLATE)


@dataclass(frozen=True)
class Quote:
    """A quotation inside a sentence: offsets of its text (without the marks) in the sentence."""

    start: int
    end: int
    text: str


@dataclass
class Sentence:
    """A sentence (never ending inside a quotation), its quotations, and its masked text."""

    text: str
    start: int
    quotes: list[Quote] = field(default_factory=list)
    masked: str = ""
    paragraph: int = 0


@dataclass
class Paragraph:
    """One line of the article; ``heading`` for short lines without closing punctuation."""

    index: int
    text: str
    start: int
    heading: bool
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Article:
    """The article's paragraphs, each cut into sentences."""

    text: str
    paragraphs: list[Paragraph]

    @classmethod
    def parse(cls, text: str) -> Article:
        """Cut normalised ``text`` into paragraphs (one per line) and sentences."""
        text = normalise(text)
        paragraphs = []
        offset = 0
        for line in text.split("\n"):
            stripped = line.strip()
            dateline = _DATELINE.match(stripped)
            if dateline and not paragraphs[1:]:
                stripped = stripped[dateline.end():]
            if stripped:
                start = offset + line.index(stripped)
                para = Paragraph(len(paragraphs), stripped, start, _is_heading(stripped))
                para.sentences = [] if para.heading else _sentences(stripped, start, para.index)
                paragraphs.append(para)
            offset += len(line) + 1
        return cls(text, paragraphs)

    def sentences(self) -> list[Sentence]:
        """Every sentence of every paragraph that is not a heading, in order."""
        return [s for p in self.paragraphs for s in p.sentences]


def _is_heading(line: str) -> bool:
    return len(line.split()) <= 25 and not re.search(r"[.!?:\"]\s*$", line) and '"' not in line[:-1]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of double quotes; an unclosed quote runs to the end."""
    marks = [i for i, ch in enumerate(text) if ch == '"']
    spans = []
    for i in range(0, len(marks), 2):
        open_at = marks[i]
        close_at = marks[i + 1] if i + 1 < len(marks) else len(text)
        spans.append((open_at + 1, close_at))
    return spans


def _is_boundary(text: str, i: int) -> bool:
    """Whether the full stop (or ! ?) at ``i`` ends a sentence."""
    if text[i] == ".":
        word = re.search(r"([\w.]+)$", text[:i])
        token = word.group(1).lower() if word else ""
        if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
            return False
        if text[i + 1: i + 3] == "..":
            return False
    return True


def _sentences(text: str, offset: int, paragraph: int) -> list[Sentence]:
    spans = _quote_spans(text)

    def inside(i: int) -> bool:
        return any(a <= i < b for a, b in spans)

    cuts = [0]
    for m in re.finditer(r'[.!?]+("?)(\s+)(?=["A-Z(\'])', text):
        end_of_punct = m.start(1)
        if not _is_boundary(text, end_of_punct - 1):
            continue
        after_quote = m.end(1)
        if inside(after_quote):
            continue
        cuts.append(m.end(2))
    cuts.append(len(text))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = text[a:b].rstrip()
        if chunk:
            out.append(_sentence(chunk, offset + a, spans, a, paragraph))
    return out


def _sentence(chunk: str, start: int, spans: list[tuple[int, int]], local: int, paragraph: int) -> Sentence:
    quotes = []
    masked = list(chunk)
    for a, b in spans:
        if a - 1 < local or a - 1 >= local + len(chunk):
            continue
        qa, qb = a - local, min(b - local, len(chunk))
        quotes.append(Quote(qa, qb, chunk[qa:qb]))
        for i in range(qa - 1, min(qb + 1, len(chunk))):
            masked[i] = QUOTE_MARK
    return Sentence(chunk, start, quotes, "".join(masked), paragraph)
