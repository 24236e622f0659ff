"""Typed records: what every importer yields and the one RDF mapper consumes.

Records know nothing about RDF. Each names other records by their *key* (``id``); the
mapper mints IRIs from kind + key, so the same input always gives the same IRIs.

Curated YAML is checked against these same classes through pydantic (see
:func:`validate_record`); importers build them directly, which is fast.

Examples
--------
>>> d = FuzzyDate.parse({"text": "last weekend", "earliest": "2023-07-29",
...                      "latest": "2023-07-30", "precision": "week"})
>>> d.earliest.isoformat(), d.latest.isoformat(), d.text
('2023-07-29', '2023-07-30', 'last weekend')
>>> FuzzyDate.parse("2023-08-04") < FuzzyDate.parse("2023-08-05")
True
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

import pydantic

__all__ = [
    "ACTOR_KINDS",
    "KEY_PATTERN",
    "PRECISIONS",
    "RESERVED_SOURCE_KEYS",
    "Actor",
    "Event",
    "FuzzyDate",
    "Place",
    "Record",
    "ResponseClaim",
    "Source",
    "Statement",
    "slug",
    "validate_record",
]

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Key = Annotated[str, pydantic.StringConstraints(pattern=KEY_PATTERN, max_length=200)]
# ``about`` may say which kind of record a key names: ``actor:moscow`` vs ``place:moscow``.
AboutRef = Annotated[str, pydantic.StringConstraints(
    pattern=r"^(?:(?:event|actor|place|statement):)?[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=220)]
Text = Annotated[str, pydantic.StringConstraints(min_length=1, max_length=20_000)]

ActorKind = Literal[
    "state",
    "government-body",
    "military-unit",
    "person",
    "organisation",
    "media",
    "armed-group",
    "alliance",
]
ACTOR_KINDS: tuple[str, ...] = ActorKind.__args__
Precision = Literal["day", "week", "month", "season", "quarter", "year", "range"]
PRECISIONS: tuple[str, ...] = Precision.__args__
# A source's key names its named graph; these names belong to the ontology, the code lists
# and the inferred links (graph.namespaces), whose graphs a source must never replace.
RESERVED_SOURCE_KEYS = ("inferred", "ontology", "vocab")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, fit for a record key: accents are dropped,
    any other run of characters outside a-z and 0-9 becomes one hyphen.

    Examples
    --------
    >>> slug("Military Forces of Ukraine (2019-) Air Force")
    'military-forces-of-ukraine-2019-air-force'
    >>> slug("Côte d'Ivoire")
    'cote-d-ivoire'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A day known only to lie in ``[earliest, latest]``, with the words it was given in.

    Fuzzy dates order by earliest day, then latest day: a range that lies wholly
    before another always sorts before it.

    Examples
    --------
    >>> d = FuzzyDate(dt.date(2023, 7, 1), dt.date(2023, 7, 20), "month", "earlier in July")
    >>> d.days_between(FuzzyDate.parse("2023-08-01"))
    (12, 31)
    """

    earliest: dt.date
    latest: dt.date
    precision: Precision = "day"
    text: str | None = None

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ValueError(
                f"earliest {self.earliest.isoformat()} is after latest {self.latest.isoformat()}"
            )

    @classmethod
    def parse(cls, value: Any) -> FuzzyDate:
        """Read a date from YAML: a day (``2023-08-04``) or a mapping with
        ``earliest``, ``latest``, ``precision`` and ``text``."""
        return _DATE_ADAPTER.validate_python(value)

    @classmethod
    def day(cls, day: dt.date, text: str | None = None) -> FuzzyDate:
        """The fuzzy date of a day known exactly."""
        return cls(day, day, "day", text)

    def days_between(self, later: FuzzyDate) -> tuple[int, int]:
        """The (shortest, longest) number of days from this date to ``later``."""
        return (later.earliest - self.latest).days, (later.latest - self.earliest).days

    def __lt__(self, other: FuzzyDate) -> bool:
        return (self.earliest, self.latest) < (other.earliest, other.latest)


def _coerce_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return {"earliest": value, "latest": value, "precision": "day"}
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {"earliest": value, "latest": value, "precision": "day"}
    if isinstance(value, str):
        raise ValueError(f"'{value}' is no day; write YYYY-MM-DD, or a mapping {{text: {value}, "
                         f"earliest: YYYY-MM-DD, latest: YYYY-MM-DD, precision: ...}}")
    return value


DateField = Annotated[FuzzyDate, pydantic.BeforeValidator(_coerce_date)]
_DATE_ADAPTER = pydantic.TypeAdapter(DateField)


@dataclass(frozen=True, slots=True)
class Source:
    """A document records are drawn from; its records form one named graph.

    ``publisher`` is an actor key; ``kind`` is ``article`` or ``dataset``.
    """

    id: Key
    title: Text
    published: dt.date
    publisher: Key | None = None
    url: str | None = None
    kind: Literal["article", "dataset"] = "article"

    def __post_init__(self) -> None:
        if self.id in RESERVED_SOURCE_KEYS:
            raise ValueError(f"the source id '{self.id}' is reserved for the graph's own named graphs "
                             f"({', '.join(RESERVED_SOURCE_KEYS)}); choose another id")


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone who acts or speaks. ``acts_for`` names actors it speaks for officially;
    ``affiliated_with`` names those it belongs to without speaking for them."""

    id: Key
    name: Text
    kind: ActorKind
    source: Key | None = None
    aliases: tuple[Text, ...] = ()
    acts_for: tuple[Key, ...] = ()
    affiliated_with: tuple[Key, ...] = ()
    role: Text | None = None
    anonymous: bool = False
    codes: tuple[Text, ...] = ()
    description: Text | None = None
    evidence: Text | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A place where something happened or that was targeted."""

    id: Key
    name: Text
    source: Key | None = None
    aliases: tuple[Text, ...] = ()
    within: Key | None = None
    country: Key | None = None
    latitude: Annotated[float, pydantic.Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, pydantic.Field(ge=-180, le=180)] | None = None
    evidence: Text | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A material act: who did it (``agents``) to whom (``targets``), where, when, of what type.

    ``type`` is a key of the event-type code list (``ontology/vocab/event-types.ttl``);
    ``cameo`` overrides the type's CAMEO code when a dataset gives one row by row.
    """

    id: Key
    label: Text
    type: Key
    date: DateField
    evidence: Text
    source: Key | None = None
    agents: tuple[Key, ...] = ()
    targets: tuple[Key, ...] = ()
    places: tuple[Key, ...] = ()
    target_places: tuple[Key, ...] = ()
    attempted: bool = False
    outcome: Text | None = None
    count: Annotated[int, pydantic.Field(ge=1)] | None = None
    fatalities: Annotated[int, pydantic.Field(ge=0)] | None = None
    part_of: Key | None = None
    cameo: Annotated[str, pydantic.StringConstraints(pattern=r"^\d{2,4}$")] | None = None
    url: str | None = None
    mentions: int | None = None
    tone: Annotated[float, pydantic.Field(allow_inf_nan=False)] | None = None


@dataclass(frozen=True, slots=True)
class ResponseClaim:
    """A statement's assertion that act ``response`` answers act ``stimulus``."""

    response: Key
    stimulus: Key


@dataclass(frozen=True, slots=True)
class Statement:
    """A speech act by ``speaker`` (optionally ``on_behalf_of`` another actor).

    ``kind`` is a key of the speech-act code list; ``about`` names events or actors;
    ``attributes_to`` names whom an attribution blames; ``links`` are the response
    links the statement asserts. One of ``quote`` (verbatim) or ``paraphrase`` is required.
    """

    id: Key
    speaker: Key
    kind: Key
    date: DateField
    evidence: Text
    source: Key | None = None
    quote: Text | None = None
    paraphrase: Text | None = None
    on_behalf_of: Key | None = None
    addressee: Key | None = None
    channel: Text | None = None
    reported_via: Key | None = None
    about: tuple[AboutRef, ...] = ()
    attributes_to: tuple[Key, ...] = ()
    stance: Key | None = None
    links: tuple[ResponseClaim, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.quote is None and self.paraphrase is None:
            raise ValueError("a statement needs a quote or a paraphrase")


Record = Source | Actor | Place | Event | Statement
R = TypeVar("R", Source, Actor, Place, Event, Statement)

_STRICT = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)
for _cls in (Source, Actor, Place, Event, ResponseClaim, Statement):
    _cls.__pydantic_config__ = _STRICT


@functools.cache
def _adapter(cls: type) -> pydantic.TypeAdapter:
    return pydantic.TypeAdapter(cls)


def validate_record(cls: type[R], data: Any) -> R:
    """Check ``data`` (a mapping, as read from YAML) against record class ``cls``.

    Raises
    ------
    pydantic.ValidationError
        With the key path of every problem (unknown keys, wrong types, bad dates).

    Examples
    --------
    >>> validate_record(Actor, {"id": "ukraine", "name": "Ukraine", "kind": "state",
    ...                         "aliases": ["Kyiv"]}).aliases
    ('Kyiv',)
    >>> validate_record(Actor, {"id": "x", "name": "X", "kind": "planet"})
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Actor
    ...
    """
    return _adapter(cls).validate_python(data)
