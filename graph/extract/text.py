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

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from graph.text_files import read_utf8

__all__ = ["MAX_SENTENCE", "QUOTE_MARK", "Article", "Paragraph", "Quote", "Sentence", "normalise", "read_article"]

QUOTE_MARK = "\x01"
# Reading a sentence costs more than its length (each reporting verb looks back for its
# subject and on for its content), so a run-on "sentence" -- a page without full stops, a
# list pasted as one line -- of 100,000 characters would take minutes. News sentences are
# a few hundred characters; longer ones are set aside, in ``Article.skipped``.
MAX_SENTENCE = 5_000
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
    """The article's paragraphs, each cut into sentences; ``skipped`` holds the sentences
    longer than the limit, which are in no paragraph and are not read."""

    text: str
    paragraphs: list[Paragraph]
    skipped: list[Sentence] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str, *, max_sentence: int = MAX_SENTENCE) -> Article:
        """Cut normalised ``text`` into paragraphs (one per line) and sentences of at most
        ``max_sentence`` characters (longer ones go to ``skipped``).

        Examples
        --------
        >>> article = Article.parse("Heading\\nKyiv said so. It went on" + " and on" * 6 + ".", max_sentence=40)
        >>> [s.text for s in article.sentences()], [article.line(s.start) for s in article.skipped]
        (['Kyiv said so.'], [2])
        """
        text = normalise(text)
        paragraphs, skipped = [], []
        offset = 0
        for line in text.split("\n"):
            stripped = line.strip()
            dateline = _DATELINE.match(stripped)
            if dateline and not paragraphs[1:]:
                stripped = stripped[dateline.end():]
            if stripped:
                start = offset + line.index(stripped)
                para = Paragraph(len(paragraphs), stripped, start, _is_heading(stripped))
                sentences = [] if para.heading else _sentences(stripped, start, para.index)
                para.sentences = [s for s in sentences if len(s.text) <= max_sentence]
                skipped += [s for s in sentences if len(s.text) > max_sentence]
                paragraphs.append(para)
            offset += len(line) + 1
        return cls(text, paragraphs, skipped)

    def sentences(self) -> list[Sentence]:
        """Every sentence of every paragraph that is not a heading, in order."""
        return [s for p in self.paragraphs for s in p.sentences]

    def line(self, offset: int) -> int:
        """The line (from 1) of the article that holds character ``offset``."""
        return self.text.count("\n", 0, offset) + 1


def read_article(path: Path) -> str:
    """The text of the article at ``path``: UTF-8 (a byte-order mark is dropped), with
    Windows and old Mac line ends made ``\\n``.

    Raises
    ------
    InputError
        If the file cannot be read, or is not UTF-8 (naming the line of the first bad byte).
    """
    text = read_utf8(path, what="article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    # Spans are sorted and apart: bisecting keeps a line of thousands of quotations linear-ish.
    starts = [a for a, _ in spans]

    def inside(i: int) -> bool:
        k = bisect_right(starts, i) - 1
        return k >= 0 and i < spans[k][1]

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
    for a, b in itertools.pairwise(cuts):
        chunk = text[a:b].rstrip()
        if chunk:
            # the quotations whose opening mark lies in the chunk
            mine = spans[bisect_left(starts, a + 1): bisect_left(starts, a + len(chunk) + 1)]
            out.append(_sentence(chunk, offset + a, mine, a, paragraph))
    return out


def _sentence(chunk: str, start: int, spans: list[tuple[int, int]], local: int, paragraph: int) -> Sentence:
    quotes = []
    masked = list(chunk)
    for a, b in spans:
        qa, qb = a - local, min(b - local, len(chunk))
        quotes.append(Quote(qa, qb, chunk[qa:qb]))
        for i in range(qa - 1, min(qb + 1, len(chunk))):
            masked[i] = QUOTE_MARK
    return Sentence(chunk, start, quotes, "".join(masked), paragraph)
