"""What the GDELT and ACLED importers share: reading a file line by line, bad-row
reports, the source a file becomes, and the atomic write of its named graph.

An import never holds its file in memory: lines are read from the (possibly zipped)
file one at a time, parsed into records, mapped to quads and streamed into the store.
Each line is decoded on its own, so a stray non-UTF-8 byte costs one row, not the file.
A bad row is reported with file, line and reason and skipped (or, in strict mode, ends
the import before anything is written).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.tsv"
>>> _ = path.write_bytes(b"\\xef\\xbb\\xbfa\\tb\\n\\nc\\td\\n")
>>> [(number, raw) for number, raw in read_lines(path)]
[(1, b'a\\tb\\n'), (2, b'\\n'), (3, b'c\\td\\n')]
>>> source_key("gdelt", path)
'gdelt-rows-tsv-2cbc2d95f40f'
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import DataError, InputError
from graph.importers.reconcile import DatasetInfo, Reconciler
from graph.mapper import quads
from graph.namespaces import ONTOLOGY_GRAPH, VOCAB_GRAPH, graph_iri
from graph.pipeline import model_quads
from graph.records import Record, slug
from graph.store import Store

__all__ = [
    "BadRow",
    "ImportReport",
    "ProgressCallback",
    "RowContext",
    "import_file",
    "import_records",
    "input_size",
    "read_lines",
    "source_key",
]

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes read so far, bytes in all) while a file is read."""

_PROGRESS_EVERY = 1 << 20  # bytes between progress callbacks: often enough for a bar, rare enough to cost nothing
_KEEP_BAD_ROWS = 1000  # bad rows kept in a report; all are counted and passed to the callback


@dataclass(frozen=True)
class BadRow:
    """A row that was not imported: where it is and why.

    Examples
    --------
    >>> str(BadRow("export.CSV", 17, "bad date '20191332' in SQLDATE"))
    "export.CSV:17: bad date '20191332' in SQLDATE"
    """

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What importing one file did.

    ``rows_read`` counts the non-blank rows (data rows, not an ACLED header);
    ``rows_imported + rows_skipped == rows_read``. ``bad_rows`` keeps the first
    thousand bad rows; ``unknown_actors`` maps the key of each actor the importer had to
    create (no curated actor and no row of the reconciliation table) to its label.
    """

    path: str
    dataset: str
    source: str
    rows_read: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    unknown_actors: dict[str, str] = field(default_factory=dict)

    @property
    def graph(self) -> str:
        """The IRI of the named graph that holds the file's records."""
        return graph_iri(self.source)

    def summary(self) -> str:
        """One line: what was read, imported and skipped, and where it went.

        Examples
        --------
        >>> ImportReport("a.csv", "acled", "acled-a-csv-0123456789ab", 10, 9, 1).summary()
        'a.csv: 10 rows read, 9 imported, 1 skipped -> graph acled-a-csv-0123456789ab'
        """
        return (f"{self.path}: {self.rows_read} rows read, {self.rows_imported} imported, "
                f"{self.rows_skipped} skipped -> graph {self.source}")


class RowContext:
    """The state of one file's import that parsers report to: row counts and bad rows.

    Parameters
    ----------
    report : ImportReport
        Filled in as rows are read.
    strict : bool
        Raise :class:`~graph.errors.DataError` at the first bad row instead of skipping it.
    on_bad_row : callable, optional
        Called with each :class:`BadRow` as it is found.
    """

    __slots__ = ("on_bad_row", "report", "strict")

    def __init__(self, report: ImportReport, *, strict: bool = False,
                 on_bad_row: Callable[[BadRow], None] | None = None):
        self.report, self.strict, self.on_bad_row = report, strict, on_bad_row

    def bad_row(self, line: int, reason: str) -> None:
        """Count a row as read and skipped and pass it on; in strict mode, stop the import.

        Raises
        ------
        DataError
            In strict mode, naming the file, line and reason.
        """
        report = self.report
        if self.strict:
            raise DataError(f"{reason} (--strict: nothing was imported from this file)",
                            path=report.path, line=line)
        report.rows_read += 1
        report.rows_skipped += 1
        bad = BadRow(report.path, line, reason)
        if len(report.bad_rows) < _KEEP_BAD_ROWS:
            report.bad_rows.append(bad)
        if self.on_bad_row is not None:
            self.on_bad_row(bad)

    def check_some_imported(self, what: str) -> None:
        """Refuse a file of which rows were read but none imported: it is most likely not
        what it was given as (an HTML error page, the other dataset's export).

        Raises
        ------
        DataError
            Quoting the first bad row.
        """
        report = self.report
        if report.rows_read and not report.rows_imported:
            first = report.bad_rows[0]
            raise DataError(f"none of the {report.rows_read} rows could be imported (line {first.line}: "
                            f"{first.reason}); is this {what}?", path=report.path)


def _open_binary(path: Path):
    """The file's bytes: the file itself, or the one member of a zip archive."""
    try:
        if not zipfile.is_zipfile(path):
            return open(path, "rb")  # closed by the caller's with-block
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive: {exc}", path=str(path)) from exc
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) != 1:
        archive.close()
        raise InputError(f"the zip archive holds {len(members)} files, not one; unzip it and import "
                         "the export file itself", path=str(path))
    return archive.open(members[0])


def input_size(path: Path) -> int:
    """The number of bytes :func:`read_lines` will read: the file's size, or the
    uncompressed size of the one file in a zip archive."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return sum(m.file_size for m in archive.infolist() if not m.is_dir())
        return path.stat().st_size
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot read: {exc}", path=str(path)) from exc


def read_lines(path: Path, on_progress: ProgressCallback | None = None) -> Iterator[tuple[int, bytes]]:
    """Each line of a plain or zipped file as (line number from 1, raw bytes with its
    line ending), read lazily; a UTF-8 byte-order mark at the start is dropped.

    Raises
    ------
    InputError
        If the file cannot be read or is a zip archive without exactly one file in it.
    DataError
        If the file holds nothing but blank lines.
    """
    total = input_size(path) if on_progress is not None else 0
    done = reported = 0
    number = 0
    anything = False
    with _open_binary(path) as stream:
        try:
            for number, raw in enumerate(stream, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    done += len(codecs.BOM_UTF8)
                    raw = raw[len(codecs.BOM_UTF8):]
                anything = anything or not raw.isspace() and raw != b""
                done += len(raw)
                if on_progress is not None and done - reported >= _PROGRESS_EVERY:
                    on_progress(done, total)
                    reported = done
                yield number, raw
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise InputError(f"cannot read after line {number}: {exc}", path=str(path)) from exc
    if on_progress is not None:
        on_progress(done, total)
    if not anything:
        raise DataError("the file is empty; nothing to import", path=str(path))


def source_key(dataset: str, path: Path) -> str:
    """The key of the source a file becomes: dataset, file name and the first 12 hex
    digits of the SHA-256 of its bytes. The same file always gets the same key (so a
    second import replaces its graph); a changed file gets a new one.

    Raises
    ------
    InputError
        If the file cannot be read.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    return f"{dataset}-{slug(path.name) or 'file'}-{digest.hexdigest()[:12]}"


def import_records(store: Store, report: ImportReport, records: Iterable[Record]) -> ImportReport:
    """Write ``records`` as the named graph of ``report.source``, replacing what an earlier
    import of the same file wrote, together with the ontology and code lists (so the
    imported acts are typed and rated even in a store that was never built).

    The write is atomic: if ``records`` raises (a bad row in strict mode, an unreadable
    file) or the process is killed, the store is left as it was. Records of shared
    graphs (the actors and places an importer creates) are added, never replaced: adding
    the same quads twice adds nothing.
    """
    store.replace_graphs([report.graph, ONTOLOGY_GRAPH, VOCAB_GRAPH], _with_model(records))
    return report


RecordReader = Callable[..., Iterable[Record]]
"""``read(path, source, reconciler, rows, *, on_progress)``: an importer's records of one file."""


def import_file(store: Store, path: Path | str, info: DatasetInfo, read: RecordReader, *, strict: bool,
                on_bad_row: Callable[[BadRow], None] | None, on_progress: ProgressCallback | None) -> ImportReport:
    """Import the file at ``path`` of the dataset ``info`` into ``store`` with the importer's
    ``read``: one named graph keyed by the file's name and content, written atomically by
    :func:`import_records`."""
    path = Path(path)
    source = source_key(info.name, path)
    report = ImportReport(str(path), info.name, source)
    rows = RowContext(report, strict=strict, on_bad_row=on_bad_row)
    return import_records(store, report, read(path, source, Reconciler(store, info), rows, on_progress=on_progress))


def _with_model(records: Iterable[Record]) -> Iterator:
    yield from model_quads()
    yield from quads(records)
