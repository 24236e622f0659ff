"""Date expressions in news text, resolved against the publication day into fuzzy ranges.

News rarely gives a day: it says "last weekend", "earlier in July", "late last month",
"two days ago". Each expression becomes a :class:`~graph.records.FuzzyDate` whose
``earliest``/``latest`` bound the days it can mean and whose ``text`` keeps the words.
Absolute and counted expressions ("March 3", "February 2022", "two days ago") go through
``dateparser`` with the publication day as its relative base; the fuzzy ranges (weekends,
thirds of a month, seasons, "earlier this week") are this module's own mapping.

Examples
--------
>>> import datetime as dt
>>> published = dt.date(2023, 8, 5)  # a Saturday
>>> d = resolve_date("last weekend", published)
>>> d.earliest.isoformat(), d.latest.isoformat(), d.precision, d.text
('2023-07-29', '2023-07-30', 'week', 'last weekend')
>>> [(m.text, m.date.earliest.isoformat()) for m in find_dates(
...     "On Tuesday, a drone struck the skyscraper that was hit on Sunday.", published)]
[('On Tuesday', '2023-08-01'), ('on Sunday', '2023-07-30')]
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from graph.records import FuzzyDate

__all__ = ["DateMention", "find_dates", "resolve_date", "undated"]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH = r"(?:" + "|".join(sorted((m for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?:" + "|".join(WEEKDAYS) + r")"
_PART = r"(?:early|mid|late|earlier\s+in|later\s+in|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)"
_COUNT = r"(?:\d+|" + "|".join(NUMBERS) + r")"

# One alternation, longest forms first; each named group is read by _resolve_match.
_PATTERN = re.compile(
    r"\b(?:"
    rf"(?P<ago>{_COUNT}\s+(?:day|week|month|year)s?\s+ago)"
    rf"|(?P<recent>(?:in\s+)?(?:recent|the\s+past|the\s+last)\s+(?:{_COUNT}\s+)?(?:days|weeks|months))"
    rf"|(?P<rel_part>(?:(?:early|late|mid)-?\s*|earlier\s+|later\s+)(?:last|this)\s+(?:month|year|week))"
    rf"|(?P<rel>(?:last|this|earlier\s+this|later\s+this|next)\s+(?:weekend|week|month|year))"
    rf"|(?P<season>(?:(?:last|this|throughout\s+the|over\s+the|during\s+the|in\s+the)\s+)?(?:spring|summer|autumn|fall|winter)(?:\s+of\s+\d{{4}})?)"
    rf"|(?P<ayearago>a\s+year\s+ago)"
    rf"|(?P<daymonth>(?:on\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})(?:,?\s+\d{{4}})?)"
    rf"|(?P<partmonth>(?:in\s+)?{_PART}-?\s*{_MONTH}(?:\s+\d{{4}}|\s+last\s+year)?)"
    rf"|(?P<month>(?:in\s+)?{_MONTH}(?:'s)?(?:\s+\d{{4}}|\s+last\s+year)?)"
    rf"|(?P<weekday>(?:on\s+|last\s+)?{_DAY}(?:'s)?(?:\s+(?:night|morning|evening|afternoon))?)"
    r"|(?P<deictic>yesterday|today|overnight|tonight)"
    r"|(?P<year>(?:in\s+)?(?:19|20)\d{2})"
    r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text: where it is and what it resolves to."""

    start: int
    end: int
    text: str
    date: FuzzyDate


def undated(published: dt.date, *, days: int = 30) -> FuzzyDate:
    """The range given to an act the text does not date: the ``days`` before publication.

    Examples
    --------
    >>> undated(dt.date(2023, 8, 5)).earliest.isoformat()
    '2023-07-06'
    """
    return FuzzyDate(published - dt.timedelta(days=days), published, "range",
                     "undated in the text; before publication")


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _third(first: dt.date, last: dt.date, part: str) -> tuple[dt.date, dt.date]:
    """Early, mid or late part of a month: days 1-10, 11-20, 21-end."""
    part = part.lower()
    if part.startswith("early") or "start" in part or "beginning" in part:
        return first, first.replace(day=10)
    if part.startswith("mid"):
        return first.replace(day=11), first.replace(day=20)
    if part.startswith("late") or "end" in part:
        return first.replace(day=21), last
    return first, last


def _past_month(month: int, published: dt.date, year: int | None) -> int:
    """The year of the most recent ``month`` not after publication (or the given year)."""
    if year is not None:
        return year
    return published.year if month <= published.month else published.year - 1


def _clip(earliest: dt.date, latest: dt.date, published: dt.date) -> tuple[dt.date, dt.date]:
    latest = min(latest, published)
    return min(earliest, latest), latest


@functools.cache
def _parser(published: dt.date):
    from dateparser.date import DateDataParser

    base = dt.datetime(published.year, published.month, published.day)
    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _resolve_match(m: re.Match, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    kind = m.lastgroup
    text = m.group(kind).lower()
    words = text.replace("-", " ").split()
    if kind == "ago":
        count, unit = _number(words[0]), words[1].rstrip("s")
        day = published - relativedelta(**{unit + "s": count})
        spread = {"day": 0, "week": 3, "month": 15, "year": 182}[unit]
        return (*_clip(day - dt.timedelta(spread), day + dt.timedelta(spread), published),
                "day" if unit == "day" else unit)
    if kind == "ayearago":
        day = published - relativedelta(years=1)
        return day - relativedelta(months=6), min(day + relativedelta(months=6), published), "range"
    if kind == "recent":
        counted = [w for w in words if w in NUMBERS or w.isdigit()]
        unit = words[-1].rstrip("s")
        span = relativedelta(**{unit + "s": _number(counted[0]) if counted else 4 if unit == "week" else 3})
        return published - span, published, "range"
    if kind in ("rel", "rel_part"):
        return _relative(words, published)
    if kind == "season":
        name = next(w for w in words if w in SEASONS)
        first_month, last_month = SEASONS[name]
        explicit = re.search(r"\d{4}", text)
        year = int(explicit.group()) if explicit else published.year
        if "last" in words or (not explicit and dt.date(year, first_month, 1) > published):
            year -= 1
        start = dt.date(year, first_month, 1)
        end_year = year + 1 if last_month < first_month else year
        end = _month_range(end_year, last_month)[1]
        return (*_clip(start, end, published), "season")
    if kind == "daymonth":
        data = _parser(published).get_date_data(re.sub(r"^on\s+", "", text))
        if data.date_obj is None:
            return None
        day = data.date_obj.date()
        return day, day, "day"
    if kind in ("partmonth", "month"):
        name = next(w.rstrip(".").removesuffix("'s") for w in words
                    if w.rstrip(".").removesuffix("'s") in MONTHS)
        month = MONTHS[name]
        explicit = re.search(r"\d{4}", text)
        year = _past_month(month, published, int(explicit.group()) if explicit else None)
        if "last" in words and "year" in words:
            year = published.year - 1
        first, last = _month_range(year, month)
        if kind == "partmonth":
            part = text.removeprefix("in ").strip()
            if part.startswith("earlier"):
                return (*_clip(first, last if (year, month) != (published.year, published.month)
                               else published - dt.timedelta(1), published), "month")
            first, last = _third(first, last, part)
        return (*_clip(first, last, published), "month")
    if kind == "weekday":
        name = next(w.removesuffix("'s") for w in words if w.removesuffix("'s") in WEEKDAYS)
        back = (published.weekday() - WEEKDAYS[name]) % 7
        if words[0] == "last" and back == 0:
            back = 7
        day = published - dt.timedelta(days=back)
        if words[-1] == "night":
            return day, min(day + dt.timedelta(1), published), "day"
        return day, day, "day"
    if kind == "deictic":
        if text == "yesterday":
            day = published - dt.timedelta(1)
            return day, day, "day"
        if text == "overnight":
            return published - dt.timedelta(1), published, "range"
        return published, published, "day"
    if kind == "year":
        year = int(re.search(r"\d{4}", text).group())
        if year > published.year:
            return None
        return (*_clip(dt.date(year, 1, 1), dt.date(year, 12, 31), published), "year")
    return None


def _relative(words: list[str], published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    unit = words[-1]
    if "next" in words:
        return None
    monday = published - dt.timedelta(days=published.weekday())
    if unit == "weekend":
        if "this" in words:
            saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
            return saturday, min(saturday + dt.timedelta(1), published), "week"
        sunday = published - dt.timedelta(days=(published.weekday() + 1) % 7 or 7)
        return sunday - dt.timedelta(1), sunday, "week"
    if unit == "week":
        if "last" in words:
            start, end = monday - dt.timedelta(7), monday - dt.timedelta(1)
        else:
            start, end = monday, published
        if "earlier" in words:
            end = max(start, published - dt.timedelta(1))
        return (*_split_part(start, end, words), "week")
    if unit == "month":
        month_start = published.replace(day=1)
        if "last" in words:
            first, last = _month_range(*(month_start - dt.timedelta(1)).timetuple()[:2])
        else:
            first, last = month_start, published
            if "earlier" in words:
                last = max(first, published - dt.timedelta(1))
        if any(w in ("early", "mid", "late") for w in words):
            first, last = _third(first, _month_range(first.year, first.month)[1], words[0])
        return (*_clip(first, last, published), "month")
    if unit == "year":
        year = published.year - 1 if "last" in words else published.year
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if words[0] in ("early", "earlier") and "this" not in words:
            last = dt.date(year, 4, 30)
        elif words[0] == "late":
            first = dt.date(year, 9, 1)
        elif words[0] == "mid":
            first, last = dt.date(year, 5, 1), dt.date(year, 8, 31)
        elif words[0] == "earlier":
            last = published - dt.timedelta(1)
        return (*_clip(first, last, published), "year")
    return None


def _split_part(start: dt.date, end: dt.date, words: list[str]) -> tuple[dt.date, dt.date]:
    if words[0] == "early":
        return start, min(end, start + dt.timedelta(2))
    if words[0] == "late":
        return max(start, end - dt.timedelta(2)), end
    return start, end


def resolve_date(expression: str, published: dt.date) -> FuzzyDate | None:
    """The fuzzy range that ``expression`` means in a text published on ``published``.

    Returns ``None`` when the words are no date this module knows or point past publication.

    Examples
    --------
    >>> p = dt.date(2023, 11, 14)  # a Tuesday
    >>> [(resolve_date(e, p).earliest.isoformat(), resolve_date(e, p).latest.isoformat())
    ...  for e in ("two days ago", "late last month", "in mid-June", "last year", "on Sunday night")]
    [('2023-11-12', '2023-11-12'), ('2023-10-21', '2023-10-31'), ('2023-06-11', '2023-06-20'), ('2022-01-01', '2022-12-31'), ('2023-11-12', '2023-11-13')]
    >>> resolve_date("earlier in July", dt.date(2023, 8, 5)).latest.isoformat()
    '2023-07-31'
    >>> resolve_date("the day after tomorrow", p) is None
    True
    """
    m = _PATTERN.fullmatch(expression.strip())
    if m is None:
        return None
    resolved = _resolve_match(m, published)
    if resolved is None:
        return None
    earliest, latest, precision = resolved
    return FuzzyDate(earliest, latest, precision, expression.strip())


def _named_capitalised(m: re.Match) -> bool:
    """Month and day names count only when capitalised ("in May", not "Russia may");
    a bare "fall" is no season ("a fall in prices")."""
    text = m.group(0)
    if m.lastgroup == "season" and text.lower() == "fall":
        return False
    if m.lastgroup in ("month", "partmonth", "daymonth", "weekday"):
        names = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in MONTHS or w.lower() in WEEKDAYS]
        return all(w[0].isupper() for w in names)
    return True


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression in ``text`` that resolves, in order of appearance.

    Examples
    --------
    >>> [m.text for m in find_dates("It followed two attempted attacks earlier in July, "
    ...                                  "and numerous such incidents in June.", dt.date(2023, 8, 5))]
    ['earlier in July', 'in June']
    >>> find_dates("Russia may strike again.", dt.date(2023, 8, 5))
    []
    """
    found = []
    for m in _PATTERN.finditer(text):
        if not _named_capitalised(m):
            continue
        resolved = _resolve_match(m, published)
        if resolved is None:
            continue
        earliest, latest, precision = resolved
        found.append(DateMention(m.start(), m.end(), m.group(0),
                                 FuzzyDate(earliest, latest, precision, m.group(0))))
    return found
