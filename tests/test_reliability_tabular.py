"""GDELT TSV and ACLED CSV, the dataset input paths: the hostile files in
``tests/fixtures/hostile/{gdelt,acled}`` (and huge or zipped ones made here) are reported
row by row as FILE:LINE: reason, refused files exit non-zero with the store unchanged,
hostile text that is imported comes back byte for byte, and fuzzed files never raise
anything but a ``graph.errors`` error. The importers' own tests cover the ordinary cases."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.cli import main
from graph.errors import EscgraphError
from graph.importers import import_acled, import_gdelt
from graph.store import EmbeddedStore

from reliability_strategies import HOSTILE_TEXT, hostile_texts
from reliability_support import HOSTILE, assert_clean_failure, invoke, snapshot

GDELT = HOSTILE / "gdelt"
ACLED = HOSTILE / "acled"

# file -> (exit code, rows imported, lines reported as bad, fragment of the first message)
GDELT_FILES = {
    "bad-dates.export.CSV": (0, 1, [2, 3, 4, 5, 6, 7], "bad date '20230229' in SQLDATE"),
    "blank-lines-only.export.CSV": (1, 0, [3], "the file is empty; nothing to import"),
    "bom-crlf.export.CSV": (0, 2, [], None),
    "column-counts.export.CSV": (0, 2, [2, 3, 4, 5, 6], "expected 61 tab-separated columns, found 1"),
    "duplicate-ids.export.CSV": (0, 1, [2], "900000101"),
    "empty.export.CSV": (1, 0, [], "the file is empty; nothing to import"),
    "hostile-text.export.CSV": (0, 2, [], None),
    "injection-codes.export.CSV": (0, 2, [2, 3, 4, 5], "unknown CAMEO event code '190> <http://evil.example/p> <x'"),
    "not-gdelt.export.CSV": (1, 0, [1, 2], "tab-separated columns, found 1"),
    "not-utf8.export.CSV": (0, 2, [2], "not UTF-8: byte 0xe9"),
    "nul-bytes.export.CSV": (0, 2, [], None),
}
ACLED_FILES = {
    "bad-dates.csv": (0, 1, [3, 4, 5, 6, 7], "bad date '2022-02-30' in event_date"),
    "bare-cr.csv": (1, 0, [], "the header is not CSV"),
    "duplicate-ids.csv": (0, 1, [3], "UKR900101"),
    "header-only.csv": (0, 0, [], None),
    "hostile-text.csv": (0, 2, [], None),
    "not-acled.csv": (1, 0, [], "not an ACLED export: the header lacks event_id_cnty"),
    "not-utf8.csv": (0, 2, [3], "not UTF-8: byte 0xe9"),
    "nul-bytes.csv": (0, 2, [], None),
    "semicolons.csv": (1, 0, [], "not an ACLED export"),
    "unclosed-quote.csv": (0, 1, [3], "CSV syntax: unexpected end of data"),
    "wrong-columns.csv": (0, 2, [3, 4], "expected 31 comma-separated columns (as in the header), found 30"),
}
CASES = [pytest.param(dataset, folder / name, *expected, id=f"{dataset}-{name}")
         for dataset, folder, files in (("gdelt", GDELT, GDELT_FILES), ("acled", ACLED, ACLED_FILES))
         for name, expected in sorted(files.items())]


def test_every_hostile_table_file_is_in_the_tables():
    assert sorted(p.name for p in GDELT.iterdir()) == sorted(GDELT_FILES)
    assert sorted(p.name for p in ACLED.iterdir()) == sorted(ACLED_FILES)


@pytest.mark.parametrize(("dataset", "path", "code", "imported", "bad_lines", "fragment"), CASES)
def test_import_reports_each_bad_row_and_refused_files_change_nothing(mini_store, tally, dataset, path, code,
                                                                      imported, bad_lines, fragment):
    before = snapshot(mini_store.path)
    result = invoke("import", dataset, path, "--store", mini_store.path)
    reported = [line for line in result.stderr.splitlines() if line.startswith("escgraph: bad row: ")]
    assert [int(line.split(f"{path}:", 1)[1].split(":")[0]) for line in reported] == bad_lines
    if code:
        assert_clean_failure(result, code=code, where=str(path))
        assert snapshot(mini_store.path) == before
    else:
        assert result.exit_code == 0, result.output
        assert f"{len(bad_lines) + imported} rows read, {imported} imported, {len(bad_lines)} skipped" in result.stdout
    if fragment is not None:
        errors = [line for line in result.stderr.splitlines() if line.startswith("escgraph: error: ")]
        assert fragment in (errors if code else reported)[0]
    tally[f"bad inputs: {dataset.upper()} files"] += 1


def _literals(store_path) -> set[str]:
    table = EmbeddedStore(store_path).select("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
    return {term.value for (term,) in table.rows}


def test_hostile_gdelt_text_is_kept_verbatim(tmp_path, tally):
    path = tmp_path / "store"
    assert invoke("import", "gdelt", GDELT / "hostile-text.export.CSV", "--store", path).exit_code == 0
    held = _literals(path)
    for text in ['<b onmouseover="alert(1)">Kharkiv</b>', "javascript:alert(document.cookie)",
                 "http://127.0.0.1:9/event?a=1&b=<2>"]:
        assert text in held, text
    names = EmbeddedStore(path).select("SELECT ?n WHERE { ?a esc:actorKey ?k ; skos:prefLabel ?n }").column("n")
    assert "\"\"\" ''' \\ @prefix x: <http://127.0.0.1:9/> ." in names
    tally["bad inputs: GDELT files"] += 1


def test_hostile_acled_text_is_kept_verbatim(tmp_path, tally):
    path = tmp_path / "store"
    assert invoke("import", "acled", ACLED / "hostile-text.csv", "--store", path).exit_code == 0
    held = " ".join(_literals(path))
    rows = list(csv.DictReader(io.StringIO((ACLED / "hostile-text.csv").read_text(encoding="utf-8"), newline="")))
    # The importer reads line by line, so a CR LF inside a quoted note arrives as LF.
    assert rows[0]["notes"].replace("\r\n", "\n") in held and rows[1]["notes"] in held
    assert "<img src=x onerror=alert(2)>" in held
    tally["bad inputs: ACLED files"] += 1


def test_import_summary_cannot_drive_the_terminal(tmp_path):
    result = CliRunner().invoke(main, ["import", "acled", str(ACLED / "hostile-text.csv"), "--store",
                                       str(tmp_path / "store")], color=True)
    assert result.exit_code == 0
    assert not any(ch in result.stdout for ch in "\x1b\x00\r"), repr(result.stdout)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


GOOD_GDELT_ROW = (GDELT / "bom-crlf.export.CSV").read_bytes()[3:].split(b"\r\n")[0] + b"\n"


def _generated(tmp_path: Path, name: str) -> tuple[Path, int, str]:
    """A generated hostile file: (path, exit code, fragment of the first message)."""
    if name == "huge-line":
        path = tmp_path / "huge.export.CSV"
        path.write_bytes(GOOD_GDELT_ROW + b"x" * 20_000_000 + b"\n")
        return path, 0, "huge.export.CSV:2: expected 61 tab-separated columns, found 1"
    if name == "huge-field":
        fields = GOOD_GDELT_ROW.rstrip(b"\n").split(b"\t")
        fields[6] = b"N" * 5_000_000
        path = tmp_path / "field.export.CSV"
        path.write_bytes(b"\t".join(fields) + b"\n")
        return path, 0, ""
    if name == "two-member-zip":
        return (_zip(tmp_path / "two.export.CSV.zip", {"a.CSV": GOOD_GDELT_ROW, "b.CSV": GOOD_GDELT_ROW}), 2,
                "the zip archive holds 2 files, not one")
    if name == "corrupt-zip":
        data = _zip(tmp_path / "ok.zip", {"a.CSV": GOOD_GDELT_ROW * 200}).read_bytes()
        path = tmp_path / "corrupt.export.CSV.zip"
        path.write_bytes(data[:60] + b"\xff" * 200 + data[260:])
        return path, 2, "corrupt.export.CSV.zip"
    raise ValueError(name)


@pytest.mark.parametrize("name", ["huge-line", "huge-field", "two-member-zip", "corrupt-zip"])
def test_generated_huge_and_zipped_gdelt_files(mini_store, tmp_path, tally, name):
    path, code, fragment = _generated(tmp_path, name)
    before = snapshot(mini_store.path)
    result = invoke("import", "gdelt", path, "--store", mini_store.path)
    if code:
        assert_clean_failure(result, code=code, where=fragment)
        assert snapshot(mini_store.path) == before
    else:
        assert result.exit_code == 0, result.output
        assert fragment in result.stderr
    tally["bad inputs: GDELT files"] += 1


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GOOD_FIELDS = GOOD_GDELT_ROW.decode("utf-8").rstrip("\n").split("\t")
ACLED_ROWS = list(csv.reader(io.StringIO((ACLED / "wrong-columns.csv").read_text(encoding="utf-8"))))
ACLED_HEADER, GOOD_ACLED = ACLED_ROWS[0], ACLED_ROWS[1]
field_values = st.sampled_from(HOSTILE_TEXT) | hostile_texts(12) | st.text(max_size=8) | st.sampled_from(
    ["", "0", "-1", "1e999", "nan", "20230229", "99999999", "2022-02-30", "999", "\t", "\n", "\r", "\"", ","])


def _check_import(importer, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            report = importer(EmbeddedStore(None), path)
        except EscgraphError as exc:
            assert exc.path == str(path), exc
            return
        assert report.rows_read == report.rows_imported + report.rows_skipped
        assert all(bad.path == str(path) and bad.line >= 1 for bad in report.bad_rows)


@st.composite
def gdelt_files(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        fields = list(GOOD_FIELDS)
        for _ in range(draw(st.integers(0, 6))):
            fields[draw(st.integers(0, len(fields) - 1))] = draw(field_values)
        if draw(st.booleans()):
            del fields[draw(st.integers(0, len(fields) - 1)):]
        lines.append("\t".join(fields).encode("utf-8", "surrogatepass"))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.binary(max_size=40)))
    return b"\n".join(lines) + draw(st.sampled_from([b"\n", b"\r\n", b""]))


@FUZZ
@given(data=gdelt_files())
def test_gdelt_importer_fuzzed(tally, data):
    _check_import(import_gdelt, data, ".export.CSV")
    tally["fuzz inputs: GDELT files"] += 1


@st.composite
def acled_files(draw) -> bytes:
    header = list(ACLED_HEADER)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = dict(zip(ACLED_HEADER, GOOD_ACLED))
        for _ in range(draw(st.integers(0, 6))):
            row[draw(st.sampled_from(ACLED_HEADER))] = draw(field_values)
        rows.append([row[name] for name in header])
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    data = out.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(max_size=8) | st.sampled_from([b'"', b",", b"\n", b"\x00"])) \
            + data[position:]
    return data


@FUZZ
@given(data=acled_files())
def test_acled_importer_fuzzed(tally, data):
    _check_import(import_acled, data, ".csv")
    tally["fuzz inputs: ACLED files"] += 1


def test_imported_literals_survive_every_export(tmp_path):
    """What an import writes re-parses from every export format with rapper's parsers' rules
    (the foundation's export test covers curated text; this covers the importers' text)."""
    path = tmp_path / "store"
    for dataset, source in (("gdelt", GDELT / "hostile-text.export.CSV"), ("acled", ACLED / "hostile-text.csv")):
        assert invoke("import", dataset, source, "--store", path).exit_code == 0
    held = _literals(path)
    for fmt, rdf_format in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        out = tmp_path / f"export.{fmt}"
        assert invoke("export", "--format", fmt, "-o", out, "--store", path).exit_code == 0
        parsed = {q.object.value for q in ox.parse(path=str(out), format=rdf_format)
                  if isinstance(q.object, ox.Literal)}
        assert parsed == held, fmt


@pytest.mark.parametrize(("dataset", "path"), [("gdelt", GDELT / "hostile-text.export.CSV"),
                                               ("acled", ACLED / "hostile-text.csv")])
def test_importing_twice_changes_nothing(mini_store, tally, dataset, path):
    assert invoke("import", dataset, path, "--store", mini_store.path).exit_code == 0
    once = snapshot(mini_store.path).nquads
    assert invoke("import", dataset, path, "--store", mini_store.path).exit_code == 0
    assert snapshot(mini_store.path).nquads == once
    tally["imports repeated"] += 1
