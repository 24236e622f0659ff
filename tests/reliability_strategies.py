"""Hypothesis strategies for the reliability tests: valid record sets full of hostile text,
and YAML-ish noise for the fuzzers.

A generated case is what :func:`graph.curated.load_case` would return: keys unique per
kind, every reference defined, ``about`` entries written ``kind:key``, every record's
``source`` filled in, response links acyclic and dated so that the stimulus starts no
later than the response ends and the linking statement does not precede the response.
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from graph.records import (
    ACTOR_KINDS,
    PRECISIONS,
    RESERVED_SOURCE_KEYS,
    Actor,
    Event,
    FuzzyDate,
    Place,
    ResponseClaim,
    Source,
    Statement,
)
from graph.vocab import code_lists

__all__ = ["HOSTILE_TEXT", "YAML_TOKENS", "cases", "hostile_texts", "yaml_lines", "yaml_noise"]

HOSTILE_TEXT = (
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    '"""', "'''", "\\", '\\"', "\\u0022",
    "} ; DROP ALL ; INSERT DATA { <a:b> <a:c> <a:d> } #",
    "<http://127.0.0.1:9/s> <http://127.0.0.1:9/p> \"o\" .",
    "@prefix x: <http://127.0.0.1:9/> .",
    "SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }",
    "line\nbreak", "carriage\r\nreturn", "tab\there", "sep\u2028arator", "next\x85line",
    "\u202eRTL override", "zero\u200dwidth", "e\u0301", "\U0001f680", "中文", "العربية",
    "{{7*7}}", "${jndi:ldap://127.0.0.1:9/a}", "]]>", "<!--", "&amp;", "%00", "null", "~", "yes", "2024-01-01",
    "- item", "key: value", "&anchor", "*alias", "!!python/object", "#comment", "@context", "_:b0",
)


def hostile_texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty text without surrounding whitespace (the loader strips it), mixing the
    classic hostile strings with arbitrary Unicode (surrogates excluded: they are not text)."""
    pieces = st.one_of(st.sampled_from(HOSTILE_TEXT),
                       st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=max_size))
    return st.lists(pieces, min_size=1, max_size=3).map(" ".join).map(str.strip).filter(bool)


_KEY_START = string.ascii_letters + string.digits
keys = st.builds(lambda head, tail: head + tail, st.sampled_from(_KEY_START),
                 st.text(_KEY_START + "._-", max_size=12))


@st.composite
def fuzzy_dates(draw, low: dt.date = dt.date(1990, 1, 1), high: dt.date = dt.date(2030, 12, 31)) -> FuzzyDate:
    earliest = draw(st.dates(low, high))
    latest = draw(st.dates(earliest, min(high, earliest + dt.timedelta(days=120))))
    precision = "day" if earliest == latest and draw(st.booleans()) else draw(st.sampled_from(PRECISIONS))
    return FuzzyDate(earliest, latest, precision, draw(st.none() | hostile_texts()))


def _unique_keys(draw, count_max: int, min_size: int = 0) -> list[str]:
    return draw(st.lists(keys, min_size=min_size, max_size=count_max, unique=True))


def _subset(draw, items: list[str], max_size: int = 3) -> tuple[str, ...]:
    if not items:
        return ()
    return tuple(draw(st.lists(st.sampled_from(items), max_size=max_size, unique=True)))


def _optional(draw, strategy):
    return draw(st.none() | strategy)


@st.composite
def cases(draw, max_records: int = 4) -> list:
    """A valid record set (sources, actors, places, events, statements), as loaded."""
    codes = code_lists()
    source_keys = [k for k in _unique_keys(draw, 2, min_size=1) if k not in RESERVED_SOURCE_KEYS] or ["s"]
    actor_keys = _unique_keys(draw, max_records, min_size=1)
    place_keys = _unique_keys(draw, max_records)
    event_keys = _unique_keys(draw, max_records)
    statement_keys = _unique_keys(draw, max_records)
    texts = hostile_texts()
    optional_text = st.none() | texts

    def source_of() -> str:
        return draw(st.sampled_from(source_keys))

    sources = [Source(id=key, title=draw(texts), published=draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
                      publisher=_optional(draw, st.sampled_from(actor_keys)), url=draw(optional_text),
                      kind=draw(st.sampled_from(["article", "dataset"])))
               for key in source_keys]
    actors = [Actor(id=key, name=draw(texts), kind=draw(st.sampled_from(sorted(ACTOR_KINDS))), source=source_of(),
                    aliases=tuple(draw(st.lists(texts, max_size=2, unique=True))),
                    acts_for=_subset(draw, [k for k in actor_keys if k != key]),
                    affiliated_with=_subset(draw, actor_keys), role=draw(optional_text),
                    anonymous=draw(st.booleans()), codes=tuple(draw(st.lists(texts, max_size=2, unique=True))),
                    description=draw(optional_text), evidence=draw(optional_text))
              for key in actor_keys]
    coordinates = st.none() | st.floats(-90, 90, allow_nan=False)
    places = [Place(id=key, name=draw(texts), source=source_of(),
                    aliases=tuple(draw(st.lists(texts, max_size=2, unique=True))),
                    within=_optional(draw, st.sampled_from([k for k in place_keys if k != key] or [None])),
                    country=_optional(draw, st.sampled_from(actor_keys)), latitude=draw(coordinates),
                    longitude=draw(st.none() | st.floats(-180, 180, allow_nan=False)), evidence=draw(optional_text))
              for key in place_keys]
    event_types = sorted(codes.event_types)
    events = []
    for key in event_keys:
        event_type = draw(st.sampled_from(event_types))
        # A cameo equal to the type's own code is the same triple as none: keep them apart.
        cameo = _optional(draw, st.sampled_from(sorted(c for c in codes.cameo if c != codes.event_types[event_type])))
        events.append(Event(
            id=key, label=draw(texts), type=event_type, date=draw(fuzzy_dates()), evidence=draw(texts),
            source=source_of(), agents=_subset(draw, actor_keys), targets=_subset(draw, actor_keys),
            places=_subset(draw, place_keys), target_places=_subset(draw, place_keys), attempted=draw(st.booleans()),
            outcome=draw(optional_text), count=_optional(draw, st.integers(1, 10**30)),
            fatalities=_optional(draw, st.integers(0, 10**6)),
            part_of=_optional(draw, st.sampled_from([k for k in event_keys if k != key] or [None])),
            cameo=cameo, url=draw(optional_text), mentions=_optional(draw, st.integers(-10**6, 10**30)),
            tone=_optional(draw, st.floats(-100, 100, allow_nan=False)),
        ))
    # Links run from later to earlier events in one fixed order: never a cycle, never backwards.
    ordered = sorted(events, key=lambda e: (e.date.earliest, e.date.latest, e.id))
    pairs = [(later, earlier) for i, earlier in enumerate(ordered) for later in ordered[i + 1:]]
    about_targets = ([f"event:{k}" for k in event_keys] + [f"actor:{k}" for k in actor_keys]
                     + [f"place:{k}" for k in place_keys])
    statements = []
    for key in statement_keys:
        date = draw(fuzzy_dates())
        possible = [ResponseClaim(later.id, earlier.id) for later, earlier in pairs
                    if later.date.earliest <= date.latest]
        quote = draw(optional_text)
        statements.append(Statement(
            id=key, speaker=draw(st.sampled_from(actor_keys)), kind=draw(st.sampled_from(sorted(codes.speech_acts))),
            date=date, evidence=draw(texts), source=source_of(), quote=quote,
            paraphrase=draw(texts) if quote is None else draw(optional_text),
            on_behalf_of=_optional(draw, st.sampled_from(actor_keys)),
            addressee=_optional(draw, st.sampled_from(actor_keys)), channel=draw(optional_text),
            reported_via=_optional(draw, st.sampled_from(actor_keys)), about=_subset(draw, about_targets),
            attributes_to=_subset(draw, actor_keys), stance=_optional(draw, st.sampled_from(sorted(codes.stances))),
            links=_subset(draw, possible, max_size=2),
        ))
    return [*sources, *actors, *places, *events, *statements]

YAML_TOKENS = (
    "sources:", "actors:", "places:", "events:", "statements:", "\n", "\n  ", "\n  - ", "- ", ": ", "{", "}", "[",
    "]", ", ", "id: ", "name: ", "kind: state", "date: ", "2024-01-01", "2024-02-30", "0000-00-00", "title: T",
    "published: ", "evidence: e", "links: ", "{response: e, stimulus: e}", "&a ", "*a", "<<: ", "!!python/object ",
    "!!binary ", "? ", "|", ">", "'", '"', "\\", "#", "~", "null", ".inf", ".nan", "1e999", "0x1F", "---\n",
    "...\n", "%YAML 1.1\n", "\t", "\ufeff", "\x85", "\u2028", "\x00", "\x1b", "\ud7ff", "e", "a", "s",
)


def yaml_noise() -> st.SearchStrategy[str]:
    """Text assembled from YAML syntax, case keys, bad dates and awkward characters."""
    return st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=60).map("".join)


RAW_VALUES = (
    "2024-02-30", "0000-01-01", "2024-13-01", "9999-12-31", "2024-01-01 25:61:61", "2024-01-01T10:00:00Z",
    "[a, b]", "{a: 1}", "{id: x, name: y, kind: state}", "&x [1, 2]", "*x", "&y {k: v}", "*y",
    "!!python/object:os.system x",
    "!!binary AAAA", "!!set {a, b}", "!!omap [a: 1]", "!custom x", "~", ".inf", "-.inf", ".nan", "1e999", "-1",
    "0x1F", "0o17", "1_000", "yes", "No", "'q'", '"q\\x00"', '"\\ud800"', "|", ">-", "[[[[]]]]", "{[a]: b}",
    "<<: *y", "state", "drone-strike", "warning", "e", "a", "s", "'<script>'", '"a\\nb"', "' '", "",
)
_KEYS = ("sources", "actors", "places", "events", "statements", "id", "name", "kind", "title", "published",
         "date", "earliest", "latest", "precision", "text", "label", "type", "evidence", "speaker", "quote",
         "paraphrase", "about", "links", "response", "stimulus", "agents", "targets", "aliases", "latitude",
         "count", "tone", "source", "<<", "? [a, b]", "? {a: b}", "1", "~", "2024-01-01")


def yaml_lines() -> st.SearchStrategy[str]:
    """Block YAML line by line -- indentation, list dashes, known keys -- with raw values
    (impossible dates, tags, anchors, complex keys) that a dumper would have quoted."""
    line = st.tuples(st.sampled_from(["", "  ", "    ", "      "]), st.sampled_from(["", "- "]),
                     st.sampled_from(_KEYS), st.sampled_from(RAW_VALUES))
    return st.lists(line.map(lambda t: f"{t[0]}{t[1]}{t[2]}: {t[3]}"), min_size=1, max_size=25).map("\n".join)
