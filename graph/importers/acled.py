"""ACLED CSV exports as records.

An ACLED export is a comma-separated file with a header row; notes may hold quoted
commas and line breaks. Columns are found by name, so both the current layout
(``event_id_cnty,event_date,year,time_precision,disorder_type,...``) and the older one
(``iso,event_id_cnty,event_id_no_cnty,...``) import.

Each row becomes an :class:`~graph.records.Event` keyed ``acled-<event_id_cnty>``:

- ``actor1`` and ``assoc_actor_1`` are its agents, ``actor2`` and ``assoc_actor_2`` its
  targets (ACLED says the order implies no direction; for one-sided violence, shelling
  and air strikes actor 1 is the one who acts), reconciled by
  :mod:`graph.importers.reconcile`;
- ``event_type``/``sub_event_type`` map to the project's event types and through them
  to CAMEO (:data:`SUB_EVENT_TYPES`);
- ``fatalities``; ``notes`` (and the reporting ``source``) as evidence;
- ``time_precision`` as a fuzzy date: 1 the day, 2 the week around the day (3 days
  either side), 3 the month of the day;
- ``geo_precision`` in the place the event is linked to: 1 the location itself, 2 the
  area near it ("near Kamyanka"), 3 the whole first-level region; every location and
  area lies within its region, which lies in the country (``esc:inCountry``).

Examples
--------
>>> import pathlib, tempfile
>>> from graph.store import EmbeddedStore
>>> path = pathlib.Path(tempfile.mkdtemp()) / "acled.csv"
>>> _ = path.write_text(
...     "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,"
...     "inter1,actor2,assoc_actor_2,inter2,country,admin1,admin2,location,latitude,longitude,"
...     "geo_precision,source,notes,fatalities\\n"
...     "UKR1,2022-03-02,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,"
...     "1,Civilians (Ukraine),,7,Ukraine,Kharkiv,Kharkivskyi,Kharkiv,49.99,36.23,1,Suspilne,"
...     '"On 2 March 2022, Russian forces struck Kharkiv, killing 2.",2\\n', encoding="utf-8")
>>> store = EmbeddedStore(None)
>>> report = import_acled(store, path)
>>> report.rows_read, report.rows_imported
(1, 1)
>>> store.select("SELECT ?type ?f WHERE { ?e esc:recordKey 'acled-UKR1' ; esc:eventType/skos:notation ?type ;"
...              " esc:fatalities ?f }").values()
[{'type': 'air-or-drone-strike', 'f': 2}]
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DataError
from graph.importers.common import (
    BadRow,
    ImportReport,
    ProgressCallback,
    RowContext,
    import_file,
    read_lines,
)
from graph.importers.reconcile import ACLED_INFO, REFERENCE_SOURCE, Reconciler
from graph.records import Event, FuzzyDate, Place, Record, Source, slug
from graph.store import Store

__all__ = ["EVENT_TYPES", "REQUIRED_COLUMNS", "SUB_EVENT_TYPES", "acled_records", "import_acled"]

SUB_EVENT_TYPES: dict[str, str] = {
    "armed clash": "armed-clash",
    "government regains territory": "ground-offensive",
    "non-state actor overtakes territory": "ground-offensive",
    "chemical weapon": "chemical-attack",
    "air/drone strike": "air-or-drone-strike",
    "suicide bomb": "suicide-bombing",
    "shelling/artillery/missile attack": "shelling",
    "remote explosive/landmine/ied": "explosive-attack",
    "grenade": "explosive-attack",
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protesters": "violent-repression",
    "excessive force against protestors": "violent-repression",
    "violent demonstration": "riot",
    "mob violence": "riot",
    "agreement": "agreement",
    "arrests": "arrest",
    "change to group/activity": "other-development",
    "disrupted weapons use": "disrupted-weapons-use",
    "headquarters or base established": "base-established",
    "looting/property destruction": "looting-or-property-destruction",
    "non-violent transfer of territory": "territory-transfer",
    "other": "other-development",
    "sexual violence": "sexual-violence",
    "attack": "violence-against-civilians",
    "abduction/forced disappearance": "abduction",
}
"""ACLED sub-event type (lower case) to the project's event type (``ontology/vocab/event-types.ttl``)."""

EVENT_TYPES: dict[str, str] = {
    "battles": "armed-clash",
    "explosions/remote violence": "explosive-attack",
    "violence against civilians": "violence-against-civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic developments": "other-development",
}
"""ACLED event type (lower case) to the project's event type, for sub-event types not in
:data:`SUB_EVENT_TYPES` (ACLED adds some now and then)."""

REQUIRED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "notes", "fatalities",
)
"""The columns an ACLED export must have; others (``admin2``, ``source``, ``timestamp``, ...) are used when there."""

_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
_WEEK = dt.timedelta(days=3)


def _event_day(text: str, cache: dict[str, dt.date]) -> dt.date:
    """ACLED's event_date: ISO (``2022-01-01``) in current exports, ``01 January 2022`` in older ones."""
    day = cache.get(text)
    if day is None:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = dt.datetime.strptime(text, "%d %B %Y").date()
        cache[text] = day
    return day


def _fuzzy(day: dt.date, precision: str, text: str) -> FuzzyDate:
    if precision == "1":
        return FuzzyDate.day(day)
    if precision == "2":
        return FuzzyDate(day - _WEEK, day + _WEEK, "week", f"the week around {text} (ACLED time precision 2)")
    last = calendar.monthrange(day.year, day.month)[1]
    return FuzzyDate(day.replace(day=1), day.replace(day=last), "month",
                     f"{day:%B %Y} (ACLED time precision 3)")


def _names(*cells: str) -> list[str]:
    """Actor names from actor and associated-actor cells (the latter ``;``-separated)."""
    return [name for cell in cells for name in (part.strip() for part in cell.split(";")) if name]


class _BadValue(ValueError):
    """A value of a row that cannot be imported; the message says which and why."""


@dataclass(frozen=True, slots=True)
class _Values:
    event_id: str
    event_type: str
    date: FuzzyDate
    geo_precision: str
    fatalities: int | None
    inter1: int | None
    inter2: int | None
    latitude: float | None
    longitude: float | None


def _integer(row: dict[str, str], column: str) -> int | None:
    value = row[column].strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise _BadValue(f"bad number {row[column]!r} in {column}") from None
    if number < 0:
        raise _BadValue(f"bad number {row[column]!r} in {column} (negative)")
    return number


def _coordinate(row: dict[str, str], column: str, limit: float) -> float | None:
    value = row[column].strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise _BadValue(f"bad number {row[column]!r} in {column}") from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise _BadValue(f"{column} {row[column]!r} is out of range")
    return number


def _row_values(row: dict[str, str], days: dict[str, dt.date]) -> _Values:
    """The checked values of a row.

    Raises
    ------
    _BadValue
        Naming the column and the value that is wrong.
    """
    event_id = row["event_id_cnty"].strip()
    if not event_id or not event_id[0].isalnum() or not _KEY_CHARS.issuperset(event_id):
        raise _BadValue(f"bad event_id_cnty {event_id!r} (expected letters and digits, like UKR50225)")
    text = row["event_date"].strip()
    try:
        day = _event_day(text, days)
    except ValueError:
        raise _BadValue(f"bad date {row['event_date']!r} in event_date (expected YYYY-MM-DD)") from None
    precisions = {}
    for column in ("time_precision", "geo_precision"):
        precisions[column] = row[column].strip()
        if precisions[column] not in ("1", "2", "3"):
            raise _BadValue(f"bad {column} {row[column]!r} (expected 1, 2 or 3)")
    sub_event = row["sub_event_type"].strip()
    event_type = SUB_EVENT_TYPES.get(sub_event.lower()) or EVENT_TYPES.get(row["event_type"].strip().lower())
    if event_type is None:
        raise _BadValue(f"unknown ACLED event type {row['event_type']!r} / {sub_event!r}")
    return _Values(event_id, event_type, _fuzzy(day, precisions["time_precision"], text),
                   precisions["geo_precision"], _integer(row, "fatalities"), _integer(row, "inter1"),
                   _integer(row, "inter2"), _coordinate(row, "latitude", 90), _coordinate(row, "longitude", 180))


class _Places:
    """The places of one import, each record made once: regions, locations and the areas near them."""

    def __init__(self, reference: str, reconciler: Reconciler):
        self.reference, self.reconciler = reference, reconciler
        self.made: set[str] = set()
        self.new: list[Place] = []

    def _make(self, place: Place) -> str:
        if place.id not in self.made:
            self.made.add(place.id)
            self.new.append(place)
        return place.id

    def of(self, row: dict[str, str], latitude: float | None, longitude: float | None, precision: str) -> str | None:
        country_name, admin1, location = row["country"], row["admin1"], row["location"]
        if not country_name:
            return None
        country = self.reconciler.acled_country(country_name)
        region_key = None
        if admin1:
            region_key = self._make(Place(id=f"acled-{slug(country_name)}-{slug(admin1) or 'region'}", name=admin1,
                                          source=self.reference, country=country))
        if precision == "3" and region_key is not None or not location:
            return region_key
        base = f"acled-{slug(country_name)}-{slug(admin1)}-{slug(row.get('admin2', ''))}-{slug(location)}"
        base = "-".join(part for part in base.split("-") if part)
        key = self._make(Place(id=base, name=location, source=self.reference, within=region_key, country=country,
                               latitude=latitude, longitude=longitude))
        if precision == "2":
            key = self._make(Place(id=f"{base}-near", name=f"near {location}", source=self.reference,
                                   within=region_key, country=country, latitude=latitude, longitude=longitude))
        return key


def _decoded_lines(path: Path, on_progress: ProgressCallback | None, undecodable: dict[int, str]) -> Iterator[str]:
    """Each line decoded on its own; a line that is not UTF-8 is decoded with its bad
    bytes escaped and noted in ``undecodable`` (line number to reason), so the CSV
    parser keeps its place and the row holding it is skipped."""
    for number, raw in read_lines(path, on_progress):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            undecodable[number] = f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of line {number}"
            yield raw.decode("utf-8", "surrogateescape")


def acled_records(path: Path, source: str, reconciler: Reconciler, rows: RowContext, *,
                  on_progress: ProgressCallback | None = None) -> Iterator[Record]:
    """The records of an ACLED export, lazily: the reference source and the publisher, then each
    row's new actors and places and its event, and last the file's own source.

    Raises
    ------
    DataError
        If the file is empty or its header lacks ACLED's columns.
    """
    where = str(path)
    report = rows.report
    undecodable: dict[int, str] = {}
    reader = csv.reader(_decoded_lines(path, on_progress, undecodable), strict=True)
    places = _Places(REFERENCE_SOURCE.id, reconciler)
    days: dict[str, dt.date] = {}
    first_lines: dict[str, int] = {}  # event_id_cnty -> the line it was first imported from
    latest = None
    uploaded = 0
    yield from reconciler.start()
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(f"the header is not CSV: {exc}", path=where, line=1) from exc
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise DataError(f"not an ACLED export: the header lacks {', '.join(missing)}", path=where, line=1)
    if 1 in undecodable:
        raise DataError(undecodable[1], path=where, line=1)
    width = len(header)
    end = reader.line_num
    while True:
        start = end + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            end = reader.line_num
            rows.bad_row(start, f"CSV syntax: {exc}")
            continue
        end = reader.line_num
        if not fields or fields == [""]:
            continue
        bad_line = next((undecodable[n] for n in range(start, end + 1) if n in undecodable), None) \
            if undecodable else None
        if bad_line is not None:
            rows.bad_row(start, bad_line)
            continue
        if len(fields) != width:
            rows.bad_row(start, f"expected {width} comma-separated columns (as in the header), found {len(fields)}")
            continue
        row = dict(zip(header, fields, strict=True))
        try:
            values = _row_values(row, days)
        except _BadValue as exc:
            rows.bad_row(start, str(exc))
            continue
        first = first_lines.get(values.event_id)
        if first is not None:
            rows.bad_row(start, f"event_id_cnty {values.event_id} repeats the event of line {first}")
            continue
        place = places.of(row, values.latitude, values.longitude, values.geo_precision)
        if places.new:
            yield from places.new
            places.new = []
        actor1, actor2 = row["actor1"].strip(), row["actor2"].strip()
        agents = [reconciler.acled_actor(actor1, values.inter1)] if actor1 else []
        agents += [reconciler.acled_actor(name) for name in _names(row["assoc_actor_1"])]
        targets = [reconciler.acled_actor(actor2, values.inter2)] if actor2 else []
        targets += [reconciler.acled_actor(name) for name in _names(row["assoc_actor_2"])]
        yield from reconciler.take()
        evidence = row["notes"].strip() or f"ACLED event {values.event_id}"
        reported_by = row.get("source", "").strip()
        if reported_by:
            evidence = f"{evidence} [ACLED source: {reported_by}]"
        location = row["location"].strip()
        what = row["sub_event_type"].strip() or row["event_type"].strip()
        yield Event(
            id=f"acled-{values.event_id}",
            label=f"{what}: {actor1 or '?'}" + (f" / {actor2}" if actor2 else "")
                  + (f" ({location})" if location else ""),
            type=values.event_type,
            date=values.date,
            evidence=evidence,
            source=source,
            agents=tuple(dict.fromkeys(agents)),
            targets=tuple(dict.fromkeys(targets)),
            places=(place,) if place else (),
            fatalities=values.fatalities,
        )
        if latest is None or values.date.latest > latest:
            latest = values.date.latest
        timestamp = row.get("timestamp", "")
        if timestamp.isdigit() and int(timestamp) > uploaded:
            uploaded = int(timestamp)
        first_lines[values.event_id] = start
        report.rows_read += 1
        report.rows_imported += 1
    rows.check_some_imported("an ACLED export")
    yield Source(id=source, title=f"ACLED export {path.name}", published=_published(uploaded, latest, path),
                 publisher=ACLED_INFO.publisher, kind="dataset")
    report.unknown_actors = dict(sorted(reconciler.unknown.items()))


def _published(uploaded: int, latest: dt.date | None, path: Path) -> dt.date:
    """The export's date: the day of the latest upload ``timestamp``, else of the latest
    event, else the file's modification day."""
    if uploaded:
        return dt.datetime.fromtimestamp(uploaded, dt.UTC).date()
    return latest or dt.date.fromtimestamp(path.stat().st_mtime)


def import_acled(store: Store, path: Path | str, *, strict: bool = False,
                 on_bad_row: Callable[[BadRow], None] | None = None,
                 on_progress: ProgressCallback | None = None) -> ImportReport:
    """Import one ACLED CSV export (plain or zipped) into ``store`` as the named graph of
    its own source, atomically. Importing the same file again replaces that graph and
    adds nothing.

    Parameters
    ----------
    store : Store
        Where to write.
    path : path
        The export file (as downloaded from ACLED's export tool or API, ``.csv``).
    strict : bool
        Stop at the first bad row (the store is left untouched) instead of skipping it.
    on_bad_row : callable, optional
        Called with each bad row as it is found.
    on_progress : callable, optional
        Called with (bytes read, bytes in all) as the file is read.

    Returns
    -------
    ImportReport
        Rows read, imported and skipped; bad rows; the unknown actors created.

    Raises
    ------
    InputError
        If the file cannot be read.
    DataError
        If the file is empty or not an ACLED export, or (with ``strict``) at the first bad row.
    """
    return import_file(store, path, ACLED_INFO, acled_records, strict=strict, on_bad_row=on_bad_row,
                       on_progress=on_progress)
