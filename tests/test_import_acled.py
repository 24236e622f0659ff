"""``escgraph import acled``: ACLED CSV exports into the store.

Fixtures in tests/fixtures/import/ (see its README) run everywhere; the real samples in
../shared/realdata/ are read from there when present (and never copied: ACLED's terms).
"""

from __future__ import annotations

import csv
import datetime as dt

import pyoxigraph as ox
import pytest

from graph.errors import DataError
from graph.importers import import_acled
from graph.pipeline import stats
from graph.queries import run_named
from graph.store import EmbeddedStore

from import_support import IMPORT_FIXTURES, actor, cli, dump, event, require_query, zipped

GOOD = IMPORT_FIXTURES / "acled-good.csv"
BAD = IMPORT_FIXTURES / "acled-bad.csv"


@pytest.fixture
def store(tmp_path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "store")


@pytest.fixture
def good_store(store) -> EmbeddedStore:
    import_acled(store, GOOD)
    return store


def _place(store, key):
    rows = store.select("""SELECT ?name ?within ?country ?lat WHERE { ?p esc:recordKey ?key ; skos:prefLabel ?name .
        OPTIONAL { ?p esc:within/esc:recordKey ?within } OPTIONAL { ?p esc:inCountry/esc:actorKey ?country }
        OPTIONAL { ?p schema:latitude ?lat } }""", {"key": ox.Literal(key)}).values()
    assert len(rows) == 1, rows
    return rows[0]


# -- the fixtures --------------------------------------------------------------------------


def test_a_row_becomes_an_event_with_actors_type_fatalities_and_notes(good_store):
    e = event(good_store, "acled-UKR900001")
    assert e["agents"] == ["russian-armed-forces"]  # ACLED's "Military Forces of Russia (2000-)", by the table
    assert e["targets"] == ["acled-civilians-ukraine"]
    assert (e["type"], e["cameo"], e["quad"]) == ("shelling", "194", 4)
    assert e["fatalities"] == 3
    assert e["evidence"].startswith('On 1 March 2022, Russian forces shelled the centre of Kharkiv, hitting "Freedom')
    assert "including a child. [ACLED source: Suspilne; Ukrainska Pravda]" in e["evidence"]  # two-line notes kept
    assert (e["earliest"], e["latest"], e["precision"]) == (dt.date(2022, 3, 1), dt.date(2022, 3, 1), "day")
    assert e["label"] == ("Shelling/artillery/missile attack: Military Forces of Russia (2000-) / "
                          "Civilians (Ukraine) (Kharkiv)")


def test_time_precision_is_a_fuzzy_date(good_store):
    week = event(good_store, "acled-UKR900002")
    assert (week["earliest"], week["latest"], week["precision"]) == (dt.date(2022, 2, 28), dt.date(2022, 3, 6), "week")
    month = event(good_store, "acled-RUS900003")
    assert (month["earliest"], month["latest"], month["precision"]) == (dt.date(2022, 3, 1), dt.date(2022, 3, 31),
                                                                        "month")


def test_geo_precision_is_the_place_the_event_is_linked_to(good_store):
    assert event(good_store, "acled-UKR900001")["places"] == ["acled-ukraine-kharkiv-kharkivskyi-kharkiv"]
    assert _place(good_store, "acled-ukraine-kharkiv-kharkivskyi-kharkiv") == {
        "name": "Kharkiv", "within": "acled-ukraine-kharkiv", "country": "ukraine", "lat": 49.9935}
    near = event(good_store, "acled-UKR900002")["places"]
    assert near == ["acled-ukraine-donetsk-pokrovskyi-kamyanka-near"]
    assert _place(good_store, near[0])["name"] == "near Kamyanka"
    region = event(good_store, "acled-RUS900003")["places"]
    assert region == ["acled-russia-belgorod"]
    assert _place(good_store, region[0]) == {"name": "Belgorod", "within": None, "country": "russia", "lat": None}


def test_actors_are_reconciled_and_tied_to_their_country(good_store):
    strike = event(good_store, "acled-RUS900003")
    assert strike["agents"] == ["ukraine-air-force"]  # a curated actor, through the table
    assert (strike["type"], strike["cameo"]) == ("air-or-drone-strike", "195")
    assert actor(good_store, "acled-military-forces-of-ukraine-2019")["acts_for"] == "ukraine"
    assert actor(good_store, "acled-civilians-ukraine")["affiliated_with"] == "ukraine"
    protest = event(good_store, "acled-RUS900004")
    assert protest["agents"] == ["acled-labour-group-russia", "acled-protesters-russia", "acled-women-russia"]
    assert protest["targets"] == [] and protest["type"] == "protest"


def test_other_developments_have_no_cameo_code(good_store):
    other = event(good_store, "acled-UKR900005")
    assert (other["type"], other["cameo"]) == ("other-development", None)


def test_unknown_actors_are_reported(store):
    report = import_acled(store, GOOD)
    assert report.unknown_actors == {
        "acled-civilians-ukraine": "Civilians (Ukraine)",
        "acled-labour-group-russia": "Labour Group (Russia)",
        "acled-military-forces-of-ukraine-2019": "Military Forces of Ukraine (2019-)",
        "acled-protesters-russia": "Protesters (Russia)",
        "acled-women-russia": "Women (Russia)",
    }


def test_importing_the_same_file_twice_adds_nothing(good_store):
    before = dump(good_store)
    result = cli("import", "acled", GOOD, "--store", good_store.path)
    assert result.exit_code == 0
    assert dump(good_store) == before


def test_bad_rows_are_reported_with_line_and_reason_and_lose_nothing_else(store):
    report = import_acled(store, BAD)
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (6, 2, 4)
    assert [(b.line, b.reason) for b in report.bad_rows] == [
        (4, "expected 31 comma-separated columns (as in the header), found 30"),
        (5, "bad date '2022-02-30' in event_date (expected YYYY-MM-DD)"),
        (6, "not UTF-8: byte 0xe9 at byte 340 of line 6"),
        (7, "bad number 'three' in fatalities"),
    ]
    assert event(store, "acled-UKR900001")["fatalities"] == 3  # lines 2-3, before the bad ones
    assert event(store, "acled-UKR900005")["type"] == "other-development"  # line 8, after them
    assert stats(store)["events"] == 2


def test_a_repeated_event_id_is_a_bad_row_naming_the_first(store, tmp_path):
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "repeat.csv"
    path.write_text(lines[0] + lines[3] + lines[3].replace(",0,,1646697601", ",7,,1646697601"), encoding="utf-8")
    report = import_acled(store, path)
    assert [(b.line, b.reason) for b in report.bad_rows] == [(3, "event_id_cnty UKR900002 repeats the event of line 2")]
    assert event(store, "acled-UKR900002")["fatalities"] == 0


def test_a_file_whose_rows_are_all_bad_is_refused(store, tmp_path):
    lines = BAD.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    path = tmp_path / "all-bad.csv"
    path.write_text(lines[0] + lines[3] + lines[4], encoding="utf-8")
    with pytest.raises(DataError, match=r"none of the 2 rows could be imported \(line 2: expected 31"):
        import_acled(store, path)
    assert not store.exists()


def test_cli_reports_bad_rows_and_strict_leaves_the_store_untouched(good_store):
    result = cli("import", "acled", BAD, "--store", good_store.path)
    assert result.exit_code == 0
    assert f"{BAD}:7: bad number 'three' in fatalities" in result.stderr
    assert f"{BAD}: 6 rows read, 2 imported, 4 skipped" in result.stdout
    before = dump(good_store)
    strict = cli("import", "acled", "--strict", BAD, "--store", good_store.path)
    assert strict.exit_code == 1
    assert f"{BAD}:4: expected 31 comma-separated columns" in strict.stderr
    assert dump(good_store) == before
    with pytest.raises(DataError):
        import_acled(good_store, BAD, strict=True)


def test_empty_file_and_a_file_that_is_not_acled_are_errors(good_store, tmp_path):
    before = dump(good_store)
    empty = cli("import", "acled", IMPORT_FIXTURES / "acled-empty.csv", "--store", good_store.path)
    assert empty.exit_code == 1 and "acled-empty.csv: the file is empty; nothing to import" in empty.stderr
    other = tmp_path / "other.csv"
    other.write_text("name,date\nx,2022-01-01\n", encoding="utf-8")
    wrong = cli("import", "acled", other, "--store", good_store.path)
    assert wrong.exit_code == 1 and f"{other}:1: not an ACLED export: the header lacks event_id_cnty" in wrong.stderr
    assert dump(good_store) == before


def test_a_byte_order_mark_and_a_zip_are_read(store, tmp_path):
    assert import_acled(store, IMPORT_FIXTURES / "acled-bom.csv").rows_imported == 1
    assert import_acled(store, zipped(GOOD, tmp_path)).rows_imported == 5


def test_the_older_layout_and_date_format(store):
    report = import_acled(store, IMPORT_FIXTURES / "acled-old-layout.csv")
    assert report.rows_imported == 1
    e = event(store, "acled-SYR900006")
    assert e["earliest"] == dt.date(2019, 6, 18) and e["agents"] == ["russian-armed-forces"]
    assert e["targets"] == ["acled-civilians-syria"]
    assert actor(store, "acled-civilians-syria")["affiliated_with"] == "syria"


def test_tit_for_tat_and_timeline_run_on_imported_events(good_store):
    require_query("tit-for-tat")
    pairs = run_named(good_store, "tit-for-tat", {"a": "Russia", "b": "Ukraine"}).values()
    found = {(p["stimulus"].rsplit("/", 1)[-1], p["response"].rsplit("/", 1)[-1]) for p in pairs}
    assert ("acled-UKR900002", "acled-RUS900003") in found  # the week's clash, then March's drone strike
    require_query("timeline")
    acts = run_named(good_store, "timeline", {"actor": "Russia"}).column("act")
    # by earliest day: the week around 3 March starts on 28 February; March ends after 1 March
    assert [a.rsplit("/", 1)[-1] for a in acts] == ["acled-UKR900002", "acled-UKR900001", "acled-RUS900003"]


# -- the real samples in ../shared/realdata ---------------------------------------------------


def _raw(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def ukraine_store(shared_dir, tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("acled") / "store")
    path = shared_dir / "realdata" / "acled_2022_ukraine_russia_sample.csv"
    return store, path, import_acled(store, path)


def test_ukraine_sample_counts_match_the_raw_file(ukraine_store):
    store, path, report = ukraine_store
    raw = _raw(path)
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (len(raw), len(raw), 0)
    assert stats(store)["events"] == len({r["event_id_cnty"] for r in raw})
    strikes = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e esc:eventType etype:air-or-drone-strike }")
    assert strikes.column("n") == [sum(r["sub_event_type"] == "Air/drone strike" for r in raw)]
    killed = store.select("SELECT (SUM(?f) AS ?n) WHERE { ?e a esc:Event ; esc:fatalities ?f }").column("n")
    assert killed == [sum(int(r["fatalities"]) for r in raw)]


def test_ukraine_sample_spot_check(ukraine_store):
    store, path, _ = ukraine_store
    raw = {r["event_id_cnty"]: r for r in _raw(path)}["UKR50225"]
    e = event(store, "acled-UKR50225")
    assert (raw["actor1"], raw["actor2"], raw["geo_precision"]) == (
        "NAF: United Armed Forces of Novorossiya", "Military Forces of Ukraine (2019-)", "2")
    assert e["agents"] == ["acled-naf-united-armed-forces-of-novorossiya"]
    assert e["targets"] == ["acled-military-forces-of-ukraine-2019"]
    assert (e["type"], e["fatalities"], e["earliest"]) == ("armed-clash", 0, dt.date.fromisoformat(raw["event_date"]))
    assert e["evidence"] == f"{raw['notes']} [ACLED source: {raw['source']}]"
    assert e["places"] == ["acled-ukraine-donetsk-pokrovskyi-kamyanka-near"]


def test_ukraine_sample_imports_twice_without_change(ukraine_store):
    store, path, _ = ukraine_store
    quads = len(store)
    import_acled(store, path)
    assert len(store) == quads


def test_ukraine_sample_queries_and_stats_run(ukraine_store, tmp_path):
    store, path, report = ukraine_store
    require_query("timeline")
    assert len(run_named(store, "timeline", {})) == report.rows_imported
    counts = cli("stats", "--format", "json", "--store", store.path)
    assert counts.exit_code == 0 and f'"events": {report.rows_imported}' in counts.stdout
    require_query("tit-for-tat")
    # the reversed-dyad query is for small graphs: a week of the sample keeps it quick
    with open(path, encoding="utf-8", newline="") as stream:
        lines = stream.readlines()
    week = tmp_path / "acled-week.csv"
    week.write_text(lines[0] + "".join(line for line in lines[1:] if ",2022-03-0" in line[:25]), encoding="utf-8")
    small = EmbeddedStore(tmp_path / "small")
    import_acled(small, week)
    pairs = run_named(small, "tit-for-tat", {"a": "Russia", "b": "Ukraine"}).values()
    assert pairs and {(p["actor"], p["responder"]) for p in pairs} <= {("Russia", "Ukraine"), ("Ukraine", "Russia")}


def test_2019_sample_in_the_older_layout(shared_dir, store):
    path = shared_dir / "realdata" / "acled_2019_sample_100.csv"
    raw = _raw(path)
    report = import_acled(store, path)
    assert (report.rows_read, report.rows_imported) == (len(raw), len(raw))
    assert stats(store)["events"] == len(raw)
