"""``escgraph import gdelt``: GDELT 1.0 and 2.0 exports, plain or zipped, into the store.

Fixtures in tests/fixtures/import/ (see its README) run everywhere; the real samples in
../shared/realdata/ are read from there when present.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest

from graph.errors import DataError, InputError
from graph.importers import import_gdelt
from graph.importers.gdelt import COLUMNS_V2
from graph.namespaces import graph_iri
from graph.pipeline import build, stats
from graph.queries import run_named
from graph.store import EmbeddedStore

from conftest import REPO, SEED_CASE
from import_support import IMPORT_FIXTURES, actor, cli, dump, event, require_query, zipped

GOOD = IMPORT_FIXTURES / "gdelt2-good.export.CSV"
BAD = IMPORT_FIXTURES / "gdelt2-bad.export.CSV"


@pytest.fixture
def store(tmp_path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "store")


@pytest.fixture
def good_store(store) -> EmbeddedStore:
    import_gdelt(store, GOOD)
    return store


# -- the fixtures --------------------------------------------------------------------------


def test_every_row_becomes_an_event_with_its_fields(good_store):
    e = event(good_store, "gdelt2-900000001")
    assert e["agents"] == ["gdelt-RUSMIL"] and e["targets"] == ["ukraine"]
    assert (e["cameo"], e["goldstein"], e["quad"]) == ("190", -10.0, 4)  # hostile: QuadClass 4 from the code list
    assert (e["earliest"], e["latest"], e["precision"]) == (dt.date(2023, 7, 28), dt.date(2023, 7, 28), "day")
    assert e["url"] == "https://example.org/news/shelling-kharkiv"
    assert (e["mentions"], e["tone"]) == (12, -6.25)
    assert e["places"] == ["gdelt-geo--1025306"]
    assert e["type"] == "coded-event"  # 190 is shared by several project types
    assert e["label"] == "Russia military → Ukraine: Use conventional military force"


def test_a_cameo_code_of_exactly_one_project_type_gets_that_type(good_store):
    arrest = event(good_store, "gdelt2-900000005")
    assert (arrest["type"], arrest["cameo"]) == ("arrest", "173")
    assert arrest["targets"] == [] and arrest["agents"] == ["russia"]


def test_the_action_place_has_name_and_coordinates(good_store):
    row = good_store.select("SELECT ?name ?lat ?long WHERE { ?p esc:recordKey 'gdelt-geo--1025306' ; "
                            "skos:prefLabel ?name ; schema:latitude ?lat ; schema:longitude ?long }").values()
    assert row == [{"name": "Kharkiv, Kharkivs'ka Oblast', Ukraine", "lat": 50.0, "long": 36.25}]
    assert event(good_store, "gdelt2-900000004")["places"] == []  # ActionGeo_Type 0: no place


def test_country_codes_are_the_curated_actors_and_unknown_actors_are_created_and_reported(store):
    report = import_gdelt(store, GOOD)
    assert report.unknown_actors == {"gdelt-RUSMIL": "Russia military", "gdelt-UKRMIL": "Ukraine military"}
    assert actor(store, "gdelt-RUSMIL") == {"name": "Russia military", "class": "MilitaryUnit", "codes": "RUSMIL",
                                            "acts_for": "russia", "affiliated_with": ""}
    # russia is not built into this store: a minimal record names it, from the curated case
    assert actor(store, "russia")["name"] == "Russia"
    assert actor(store, "united-states")["class"] == "State"


def test_curated_actors_in_the_store_win_and_are_not_described_again(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text(textwrap.dedent("""
        sources:
          - {id: analyst-notes, title: Analyst notes, published: 2023-08-05}
        actors:
          - {id: russia, name: Russia, kind: state, codes: [RUS]}
          - {id: ukraine, name: Ukraine, kind: state, codes: [UKR]}
          - {id: russian-military, name: Russian armed forces, kind: military-unit, acts_for: [russia],
             codes: [RUSMIL]}
        """), encoding="utf-8")
    build(store, [case])
    report = import_gdelt(store, GOOD)
    assert event(store, "gdelt2-900000001")["agents"] == ["russian-military"]
    assert "gdelt-RUSMIL" not in report.unknown_actors
    names = store.select("SELECT ?g WHERE { GRAPH ?g { ?a esc:actorKey 'russia' } }").column("g")
    assert names == [graph_iri("analyst-notes")]  # not described a second time by the import


def test_importing_the_same_file_twice_adds_nothing(good_store):
    before = dump(good_store)
    import_gdelt(good_store, GOOD)
    assert dump(good_store) == before


def test_a_file_is_one_named_graph_with_its_source(good_store):
    report = import_gdelt(good_store, GOOD)
    assert report.source.startswith("gdelt-gdelt2-good-export-csv-")
    assert report.graph in good_store.named_graphs()
    source = good_store.select("SELECT ?title ?issued WHERE { ?s esc:recordKey ?key ; dcterms:title ?title ; "
                               "dcterms:issued ?issued }", {"key": ox.Literal(report.source)})
    assert source.values() == [{"title": "GDELT 2.0 events export gdelt2-good.export.CSV",
                                "issued": dt.date(2023, 8, 2)}]  # the latest DATEADDED
    in_graph = good_store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a esc:Event } }",
                                 {"g": ox.NamedNode(report.graph)})
    assert in_graph.column("n") == [5]


def test_bad_rows_are_reported_with_line_and_reason_and_lose_nothing_else(store):
    seen = []
    report = import_gdelt(store, BAD, on_bad_row=seen.append)
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (6, 2, 4)
    assert [(b.line, b.reason) for b in report.bad_rows] == [
        (2, "expected 61 tab-separated columns, found 60"),
        (3, "bad date '20231332' in SQLDATE (expected YYYYMMDD)"),
        (4, "not UTF-8: byte 0xe9 at byte 81 of the line"),
        (5, "bad number 'abc' in AvgTone"),
    ]
    assert seen == report.bad_rows and all(b.path == str(BAD) for b in seen)
    assert event(store, "gdelt2-900000001")["cameo"] == "190"  # line 1
    assert event(store, "gdelt2-900000005")["type"] == "arrest"  # line 6, after the bad ones
    assert stats(store)["events"] == 2


def test_a_repeated_globaleventid_is_a_bad_row_naming_the_first(store, tmp_path):
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "repeat.export.CSV"
    path.write_text(lines[0] + lines[1] + lines[0].replace("\t190\t", "\t173\t"), encoding="utf-8")
    report = import_gdelt(store, path)
    assert [(b.line, b.reason) for b in report.bad_rows] == [(3, "GLOBALEVENTID 900000001 repeats the event of line 1")]
    assert event(store, "gdelt2-900000001")["cameo"] == "190"  # the first row's, not merged with the repeat's


def test_a_file_without_a_single_gdelt_row_is_refused(good_store, tmp_path):
    before = dump(good_store)
    page = tmp_path / "20191024143000.export.CSV"
    page.write_text("<html>\n<body>404 Not Found</body>\n</html>\n", encoding="utf-8")
    result = cli("import", "gdelt", page, "--store", good_store.path)
    assert result.exit_code == 1
    assert (f"{page}: none of the 3 rows could be imported (line 1: expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) "
            "tab-separated columns, found 1); is this a GDELT event export?") in result.stderr
    assert dump(good_store) == before


def test_cli_reports_bad_rows_and_the_summary(tmp_path):
    result = cli("import", "gdelt", BAD, "--store", tmp_path / "store")
    assert result.exit_code == 0
    assert f"{BAD}:3: bad date '20231332' in SQLDATE" in result.stderr
    assert f"{BAD}:4: not UTF-8: byte 0xe9" in result.stderr
    assert f"{BAD}: 6 rows read, 2 imported, 4 skipped -> graph gdelt-gdelt2-bad-export-csv-" in result.stdout
    assert '1 unknown actors created' in result.stdout and 'gdelt-RUSMIL "Russia military"' in result.stdout


def test_strict_stops_at_the_first_bad_row_and_leaves_the_store_untouched(good_store):
    before = dump(good_store)
    result = cli("import", "gdelt", "--strict", BAD, "--store", good_store.path)
    assert result.exit_code == 1
    assert f"{BAD}:2: expected 61 tab-separated columns, found 60" in result.stderr
    assert dump(good_store) == before
    with pytest.raises(DataError) as caught:
        import_gdelt(good_store, BAD, strict=True)
    assert caught.value.line == 2


def test_empty_file_is_an_error_and_writes_nothing(good_store):
    before = dump(good_store)
    result = cli("import", "gdelt", IMPORT_FIXTURES / "gdelt-empty.export.CSV", "--store", good_store.path)
    assert result.exit_code == 1
    assert "gdelt-empty.export.CSV: the file is empty; nothing to import" in result.stderr
    assert dump(good_store) == before


def test_a_byte_order_mark_is_ignored(store):
    report = import_gdelt(store, IMPORT_FIXTURES / "gdelt2-bom.export.CSV")
    assert (report.rows_imported, report.rows_skipped) == (1, 0)
    assert event(store, "gdelt2-900000001")["mentions"] == 12


def test_gdelt1_rows_of_both_vintages(store):
    report = import_gdelt(store, IMPORT_FIXTURES / "gdelt1-mixed.export.CSV")
    assert (report.rows_read, report.rows_imported) == (3, 3)
    assert event(store, "gdelt1-900000001")["url"] == "https://example.org/news/shelling-kharkiv"
    assert event(store, "gdelt1-900000002")["url"] is None  # 57 columns: before SOURCEURL existed
    assert event(store, "gdelt1-900000003")["places"] == ["gdelt-geo--1025306"]


def test_a_zipped_export_imports_like_the_plain_one(store, tmp_path):
    report = import_gdelt(store, zipped(GOOD, tmp_path))
    assert (report.rows_read, report.rows_imported) == (5, 5)
    assert event(store, "gdelt2-900000002")["targets"] == ["russia"]


def test_a_zip_with_two_files_is_refused(tmp_path):
    result = cli("import", "gdelt", zipped(GOOD, tmp_path, extra="other.CSV"), "--store", tmp_path / "store")
    assert result.exit_code == 2
    assert "holds 2 files" in result.stderr
    with pytest.raises(InputError):
        import_gdelt(EmbeddedStore(None), zipped(GOOD, tmp_path, extra="other.CSV"))


def test_tit_for_tat_and_timeline_run_on_imported_events(good_store):
    require_query("tit-for-tat")
    pairs = run_named(good_store, "tit-for-tat", {"a": "Russia", "b": "Ukraine"}).values()
    found = {(p["stimulus"].rsplit("/", 1)[-1], p["response"].rsplit("/", 1)[-1]) for p in pairs}
    assert ("gdelt2-900000001", "gdelt2-900000002") in found  # Ukraine's drones on Moscow 2 days after
    require_query("timeline")
    timeline = run_named(good_store, "timeline", {"actor": "Ukraine"}).values()
    assert [row["act"].rsplit("/", 1)[-1] for row in timeline] == [
        "gdelt2-900000001", "gdelt2-900000002", "gdelt2-900000003"]


def test_stats_counts_imported_events(good_store):
    counts = json.loads(cli("stats", "--format", "json", "--store", good_store.path).stdout)
    assert counts["events"] == 5 and counts["sources"] == 2  # the file, and the shared reference source


# -- atomicity under SIGKILL -----------------------------------------------------------------

_KILL_MIDWAY = """
import os, signal, sys
from graph.importers import import_gdelt
from graph.store import EmbeddedStore

def progress(done, total):
    if done < total:  # the first callback comes after 1 MiB, well before the end
        os.kill(os.getpid(), signal.SIGKILL)

import_gdelt(EmbeddedStore(sys.argv[1]), sys.argv[2], on_progress=progress)
"""


def test_a_killed_import_leaves_the_store_as_it_was(good_store, tmp_path):
    rows = GOOD.read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.export.CSV"
    with open(big, "w", encoding="utf-8") as out:
        for n in range(12_000):  # ~4 MiB
            fields = rows[n % len(rows)].split("\t")
            fields[0] = str(910_000_000 + n)
            out.write("\t".join(fields) + "\n")
    before, quads = dump(good_store), len(good_store)
    killed = subprocess.run([sys.executable, "-c", _KILL_MIDWAY, str(good_store.path), str(big)],
                            cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    store = EmbeddedStore(good_store.path)
    assert len(store) == quads and dump(store) == before
    result = cli("import", "gdelt", IMPORT_FIXTURES / "gdelt1-mixed.export.CSV", "--store", good_store.path)
    assert result.exit_code == 0, result.stderr  # the next command works
    assert stats(EmbeddedStore(good_store.path))["events"] == 5 + 3


# -- the real samples in ../shared/realdata ---------------------------------------------------


def _raw_rows(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return [line.rstrip("\n").split("\t") for line in stream]


@pytest.fixture(scope="module")
def gdelt2_store(shared_dir, tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("gdelt2") / "store")
    path = shared_dir / "realdata" / "gdelt2_events_20191024143000.export.CSV"
    return store, path, import_gdelt(store, path)


def test_gdelt2_sample_counts_match_the_raw_file(gdelt2_store):
    store, path, report = gdelt2_store
    raw = _raw_rows(path)
    assert {len(r) for r in raw} == {61}
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (len(raw), len(raw), 0)
    assert stats(store)["events"] == len({r[0] for r in raw})
    hostile = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a esc:Event ; esc:cameoCode/esc:quadClass 4 }")
    assert hostile.column("n") == [sum(r[COLUMNS_V2.index("QuadClass")] == "4" for r in raw)]


def test_gdelt2_sample_spot_check_russia_against_ukraine(gdelt2_store):
    store, path, _ = gdelt2_store
    raw = {r[0]: dict(zip(COLUMNS_V2, r, strict=True)) for r in _raw_rows(path)}["881992396"]
    e = event(store, "gdelt2-881992396")
    assert (raw["Actor1Code"], raw["Actor2Code"]) == ("RUS", "UKR")
    assert (e["agents"], e["targets"]) == (["russia"], ["ukraine"])
    assert (e["cameo"], e["goldstein"], e["quad"]) == (raw["EventCode"], float(raw["GoldsteinScale"]), 4)
    assert e["earliest"] == dt.date(2019, 10, 24) and e["url"] == raw["SOURCEURL"]
    assert (e["mentions"], e["tone"]) == (int(raw["NumMentions"]), float(raw["AvgTone"]))
    assert e["places"] == [f"gdelt-geo-{raw['ActionGeo_FeatureID']}"]
    assert event(store, "gdelt2-881992397")["targets"] == ["gdelt-UKRCVL"]
    assert actor(store, "gdelt-UKRCVL")["affiliated_with"] == "ukraine"


def test_gdelt2_sample_goldstein_of_every_row_is_its_codes(gdelt2_store):
    store, path, _ = gdelt2_store
    raw = {(r[COLUMNS_V2.index("EventCode")], float(r[COLUMNS_V2.index("GoldsteinScale")])) for r in _raw_rows(path)}
    rated = store.select("SELECT DISTINCT ?code ?w WHERE { ?e a esc:Event ; esc:cameoCode ?c . "
                         "?c skos:notation ?code ; esc:goldstein ?w }").values()
    assert {(r["code"], r["w"]) for r in rated} == raw


def test_gdelt2_sample_imports_twice_without_change(gdelt2_store):
    store, path, _ = gdelt2_store
    quads = len(store)
    import_gdelt(store, path)
    assert len(store) == quads


def test_gdelt2_sample_queries_and_stats_run(gdelt2_store):
    store, _, report = gdelt2_store
    require_query("timeline")
    assert len(run_named(store, "timeline", {})) == report.rows_imported
    require_query("tit-for-tat")
    pairs = run_named(store, "tit-for-tat", {"a": "United States"}).values()
    assert pairs and all(p["actor"] == "United States" or p["responder"] == "United States" for p in pairs)


def test_gdelt1_sample_has_both_vintages(shared_dir, store):
    path = shared_dir / "realdata" / "gdelt1_events_20160728_sample.tsv"
    raw = _raw_rows(path)
    report = import_gdelt(store, path)
    assert (report.rows_read, report.rows_imported) == (len(raw), len(raw))
    with_url = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a esc:Event ; esc:url ?u }").column("n")
    assert with_url == [sum(len(r) == 58 and r[57] != "" for r in raw)]
    assert stats(store)["events"] == len({r[0] for r in raw})


def test_seed_case_and_gdelt_meet_in_one_actor(shared_dir, tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    build(store, [SEED_CASE])
    report = import_gdelt(store, shared_dir / "realdata" / "gdelt2_events_20191024143000.export.CSV")
    assert event(store, "gdelt2-881992396")["agents"] == ["russia"]
    described_in = store.select("SELECT ?g WHERE { GRAPH ?g { ?a esc:actorKey 'russia' } }").column("g")
    assert len(described_in) == 1 and described_in[0] != report.graph  # only by the curated case
    assert "russia" not in report.unknown_actors and "gdelt-RUS" not in report.unknown_actors
    require_query("timeline")
    acts = run_named(store, "timeline", {"actor": "Moscow"}).column("act")  # the curated alias finds GDELT's RUS
    assert "https://w3id.org/escalation-graph/id/event/gdelt2-881992396" in acts
