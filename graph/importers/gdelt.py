"""GDELT event exports (1.0 daily files and 2.0 15-minute files, plain or zipped) as records.

A GDELT export is tab-separated, without a header and without quoting: 61 columns in
GDELT 2.0, 58 in GDELT 1.0 (57 before April 2013, without SOURCEURL). A file is 1.0 or
2.0 by its first well-formed row; every later row must have that version's count.

Each row becomes an :class:`~graph.records.Event` keyed ``gdelt2-<GLOBALEVENTID>``
(``gdelt1-`` for 1.0, whose ids are a different series): Actor1 as agent and Actor2 as
target (reconciled by :mod:`graph.importers.reconcile`), the CAMEO EventCode (which
carries the Goldstein weight and QuadClass in the code lists), NumMentions, AvgTone,
SOURCEURL, the day of SQLDATE, and the ActionGeo place (keyed by its gazetteer
FeatureID, with its full name and coordinates). The event type is the project's own
when exactly one type has the row's CAMEO code (``173`` is ``arrest``), else
``coded-event``.

Examples
--------
>>> import pathlib, tempfile
>>> from graph.store import EmbeddedStore
>>> row = ["1", "20191024", "201910", "2019", "2019.8", "RUSMIL", "RUSSIA", "RUS", "", "", "", "",
...        "MIL", "", "", "UKR", "UKRAINE", "UKR"] + [""] * 7 + ["1", "194", "194", "19", "4", "-10.0",
...        "6", "1", "6", "-4.5", "1", "Ukraine", "UP", "UP", "", "49", "32", "UP", "1", "Ukraine",
...        "UP", "UP", "", "49", "32", "UP", "4", "Kharkiv, Kharkiv, Ukraine", "UP", "UP07", "",
...        "50.0", "36.25", "-1025306", "20191024143000", "https://example.org/news"]
>>> path = pathlib.Path(tempfile.mkdtemp()) / "20191024143000.export.CSV"
>>> _ = path.write_text("\\t".join(row) + "\\n", encoding="utf-8")
>>> store = EmbeddedStore(None)
>>> report = import_gdelt(store, path)
>>> report.rows_read, report.rows_imported, report.unknown_actors
(1, 1, {'gdelt-RUSMIL': 'Russia military'})
>>> store.select("SELECT ?label WHERE { ?e esc:recordKey 'gdelt2-1' ; rdfs:label ?label }").column("label")
['Russia military → Ukraine: Fight with artillery and tanks']
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.importers.common import (
    BadRow,
    ImportReport,
    ProgressCallback,
    RowContext,
    import_file,
    read_lines,
)
from graph.importers.reconcile import GDELT_INFO, REFERENCE_SOURCE, Reconciler
from graph.namespaces import VOCAB
from graph.pipeline import model_quads
from graph.records import Event, FuzzyDate, Place, Record, Source, slug
from graph.store import Store
from graph.vocab import code_lists

__all__ = ["COLUMNS_V1", "COLUMNS_V2", "gdelt_records", "import_gdelt"]

COLUMNS_V2: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
"""The 61 columns of a GDELT 2.0 event export, in order (GDELT Event Codebook V2.0)."""

COLUMNS_V1: tuple[str, ...] = tuple(c for c in COLUMNS_V2 if not c.endswith("_ADM2Code"))
"""The 58 columns of a GDELT 1.0 daily export; files before April 2013 lack the last, SOURCEURL."""

_VERSIONS = {61: "2.0", 58: "1.0", 57: "1.0"}
_COUNTS = {"2.0": "61", "1.0": "57 or 58"}
# The numeric columns a row must hold, checked together so the common case costs one try.
_NUMBERS = (("NumMentions", int), ("AvgTone", float), ("GoldsteinScale", float), ("QuadClass", int))


def _layout(count: int) -> dict[str, int]:
    columns = COLUMNS_V2 if count == 61 else COLUMNS_V1[:count]
    return {name: index for index, name in enumerate(columns)}


_LAYOUTS = {count: _layout(count) for count in _VERSIONS}


@functools.cache
def _cameo_labels() -> dict[str, str]:
    """CAMEO code to its short label ("Fight with artillery and tanks"), from the code lists."""
    prefix = VOCAB + "cameo/"
    labels = {}
    for quad in model_quads():
        subject = quad.subject.value
        if subject.startswith(prefix) and quad.predicate.value.endswith("#prefLabel"):
            labels[subject[len(prefix):]] = re.sub(r",? not spec(?:ified)? below$", "", quad.object.value)
    return labels


@functools.cache
def _clean_types() -> dict[str, str]:
    """CAMEO code to the project's event type, for codes that exactly one type has."""
    by_code: dict[str, list[str]] = {}
    for name, code in code_lists().event_types.items():
        if code is not None:
            by_code.setdefault(code, []).append(name)
    return {code: names[0] for code, names in by_code.items() if len(names) == 1}


def _day(text: str) -> dt.date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _label(agent: str | None, target: str | None, what: str) -> str:
    if agent and target:
        return f"{agent} → {target}: {what}"
    return f"{agent or target}: {what}" if agent or target else what


def gdelt_records(path: Path, source: str, reconciler: Reconciler, rows: RowContext, *,
                  on_progress: ProgressCallback | None = None) -> Iterator[Record]:
    """The records of a GDELT export, lazily: the reference source and the publisher, then each
    row's new actors and place and its event, and last the file's own source.

    Bad rows go to ``rows`` (:meth:`RowContext.bad_row`) with their line and reason.
    """
    report = rows.report
    cameo = code_lists().cameo
    cameo_labels = _cameo_labels()
    clean_types = _clean_types()
    labels = reconciler.labels
    places: dict[str, str | None] = {}
    days: dict[str, FuzzyDate] = {}
    first_lines: dict[int, int] = {}  # GLOBALEVENTID -> the line it was first imported from
    version = None
    latest_added = ""
    yield from reconciler.start()
    for number, raw in read_lines(path, on_progress):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            rows.bad_row(number, f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line")
            continue
        fields = text.rstrip("\r\n").split("\t")
        count = len(fields)
        if count == 1 and not fields[0].strip():
            continue
        row_version = _VERSIONS.get(count)
        if row_version is None or (version is not None and row_version != version):
            expected = _COUNTS[version] if version else "57 or 58 (GDELT 1.0) or 61 (GDELT 2.0)"
            rows.bad_row(number, f"expected {expected} tab-separated columns, found {count}")
            continue
        version = row_version
        col = _LAYOUTS[count]
        event_id = fields[0]
        if not event_id.isdigit():
            rows.bad_row(number, f"GLOBALEVENTID is not a number: {event_id!r}")
            continue
        first = first_lines.get(int(event_id))
        if first is not None:
            rows.bad_row(number, f"GLOBALEVENTID {event_id} repeats the event of line {first}")
            continue
        sql_date = fields[1]
        date = days.get(sql_date)
        if date is None:
            try:
                date = days[sql_date] = FuzzyDate.day(_day(sql_date))
            except ValueError:
                rows.bad_row(number, f"bad date {sql_date!r} in SQLDATE (expected YYYYMMDD)")
                continue
        code = fields[col["EventCode"]]
        if code not in cameo:
            rows.bad_row(number, f"unknown CAMEO event code {code!r} in EventCode")
            continue
        try:
            mentions = int(fields[col["NumMentions"]])
            tone = float(fields[col["AvgTone"]])
            float(fields[col["GoldsteinScale"]])
            int(fields[col["QuadClass"]])
            if not math.isfinite(tone):
                raise ValueError(tone)
        except ValueError:
            rows.bad_row(number, _bad_number(fields, col))
            continue
        place = None
        if fields[col["ActionGeo_Type"]] not in ("", "0"):
            feature = fields[col["ActionGeo_FeatureID"]]
            if feature in places:
                place = places[feature]
            else:
                place_record = _place(fields, col, feature, REFERENCE_SOURCE.id)
                if isinstance(place_record, str):
                    rows.bad_row(number, place_record)
                    continue
                place = places[feature] = place_record.id if place_record else None
                if place_record is not None:
                    yield place_record
        agent = fields[5] and reconciler.gdelt_actor(fields[5], fields[6], fields[7], tuple(fields[12:15]))
        target = fields[15] and reconciler.gdelt_actor(fields[15], fields[16], fields[17], tuple(fields[22:25]))
        yield from reconciler.take()
        added = fields[col["DATEADDED"]]
        latest_added = max(latest_added, added)
        url_index = col.get("SOURCEURL")
        url = fields[url_index] or None if url_index is not None else None
        yield Event(
            id=("gdelt2-" if count == 61 else "gdelt1-") + event_id,
            label=_label(labels.get(agent), labels.get(target), cameo_labels.get(code, code)),
            type=clean_types.get(code, "coded-event"),
            date=date,
            evidence=f"GDELT {version} event {event_id}: {fields[6] or '?'} | {code} | {fields[16] or '?'}",
            source=source,
            agents=(agent,) if agent else (),
            targets=(target,) if target else (),
            places=(place,) if place else (),
            cameo=code,
            url=url,
            mentions=mentions,
            tone=tone,
        )
        first_lines[int(event_id)] = number
        report.rows_read += 1
        report.rows_imported += 1
    rows.check_some_imported("a GDELT event export")
    yield Source(id=source, title=f"GDELT {version} events export {path.name}" if version else path.name,
                 published=_published(latest_added, path), publisher=GDELT_INFO.publisher, kind="dataset")
    report.unknown_actors = dict(sorted(reconciler.unknown.items()))


def _bad_number(fields: list[str], col: dict[str, int]) -> str:
    for name, convert in _NUMBERS:
        value = fields[col[name]]
        try:
            if not math.isfinite(convert(value)):
                raise ValueError(value)
        except ValueError:
            return f"bad number {value!r} in {name}"
    return "bad number"


def _place(fields: list[str], col: dict[str, int], feature: str, reference: str) -> Place | str | None:
    """The ActionGeo place of a row; a reason string when its coordinates are bad; ``None``
    when it has no name."""
    name = fields[col["ActionGeo_FullName"]]
    if not name:
        return None
    coordinates = []
    for column in ("ActionGeo_Lat", "ActionGeo_Long"):
        value = fields[col[column]]
        try:
            number = float(value) if value else None
        except ValueError:
            return f"bad number {value!r} in {column}"
        coordinates.append(number)
    latitude, longitude = coordinates
    if latitude is not None and not -90 <= latitude <= 90 or longitude is not None and not -180 <= longitude <= 180:
        return f"coordinates out of range in ActionGeo_Lat/ActionGeo_Long: {latitude}, {longitude}"
    key = "gdelt-geo-" + (re.sub(r"[^A-Za-z0-9._-]", "_", feature) if feature else slug(name) or "place")
    return Place(id=key, name=name, source=reference, latitude=latitude, longitude=longitude)


def _published(latest_added: str, path: Path) -> dt.date:
    """The export's date: the latest DATEADDED day, else the first date in the file name,
    else the file's modification day."""
    for candidate in (latest_added[:8], *re.findall(r"(?<!\d)(\d{8})", path.name)):
        try:
            return _day(candidate)
        except ValueError:
            continue
    return dt.date.fromtimestamp(path.stat().st_mtime)


def import_gdelt(store: Store, path: Path | str, *, strict: bool = False,
                 on_bad_row: Callable[[BadRow], None] | None = None,
                 on_progress: ProgressCallback | None = None) -> ImportReport:
    """Import one GDELT event export (1.0 or 2.0, plain or zipped) into ``store`` as the
    named graph of its own source, atomically.

    Importing the same file again replaces that graph and adds nothing.

    Parameters
    ----------
    store : Store
        Where to write.
    path : path
        The export file (``20191024143000.export.CSV`` or ``.CSV.zip``, ``20160728.export.CSV``).
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
        If the file is empty, or (with ``strict``) at the first bad row.
    """
    return import_file(store, path, GDELT_INFO, gdelt_records, strict=strict, on_bad_row=on_bad_row,
                       on_progress=on_progress)
