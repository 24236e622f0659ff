"""The benchmarks give right answers at small sizes: the synthetic GDELT export has the
real format and the promised shape, B1's three import paths load the same events, and
B2's pair count is the same from our analytics, DuckDB and rdflib's SPARQL engine.

Speed is never asserted here; it is measured by ``python -m bench.run_all``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest

from bench.generate_gdelt import COLUMNS, COUNTRIES, write_export
from graph.vocab import code_lists

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROWS = 3_000


@pytest.fixture(scope="module")
def export_text() -> str:
    out = io.StringIO()
    assert write_export(out, rows=ROWS, seed=8) == ROWS
    return out.getvalue()


@pytest.fixture(scope="module")
def export_rows(export_text) -> list[dict[str, str]]:
    return [dict(zip(COLUMNS, fields)) for fields in csv.reader(io.StringIO(export_text), delimiter="\t",
                                                               quoting=csv.QUOTE_NONE)]


@pytest.fixture(scope="module")
def export_file(export_text, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gdelt") / "synthetic.export.CSV"
    path.write_text(export_text, encoding="utf-8")
    return path


def test_export_has_the_61_gdelt2_columns(export_text):
    lines = export_text.splitlines()
    assert len(lines) == ROWS
    assert {len(line.split("\t")) for line in lines} == {61}
    assert len(COLUMNS) == 61


def test_column_names_follow_the_gdelt2_schema():
    schema = SHARED / "realdata" / "gdelt2_events_schema.csv"
    if not schema.is_file():
        pytest.skip("../shared/realdata is not beside this checkout")
    with open(schema, encoding="utf-8") as f:
        assert tuple(row["name"] for row in csv.DictReader(f)) == COLUMNS


def test_same_seed_same_file_other_seed_other_file(export_text):
    again, other = io.StringIO(), io.StringIO()
    write_export(again, rows=ROWS, seed=8)
    write_export(other, rows=ROWS, seed=9)
    assert again.getvalue() == export_text
    assert other.getvalue() != export_text


def test_dates_ids_and_fields_parse(export_rows):
    ids = [int(r["GLOBALEVENTID"]) for r in export_rows]
    assert ids == sorted(ids) and len(set(ids)) == ROWS
    days = [dt.datetime.strptime(r["SQLDATE"], "%Y%m%d").date() for r in export_rows]
    assert min(days) >= dt.date(2022, 1, 1) and max(days) <= dt.date(2023, 12, 31)
    assert (max(days) - min(days)).days > 600  # spread over two years
    added = [r["DATEADDED"] for r in export_rows]
    assert added == sorted(added)  # concatenated exports come in the order they were coded
    for r, day in zip(export_rows, days):
        assert r["MonthYear"] == r["SQLDATE"][:6] and r["Year"] == r["SQLDATE"][:4]
        assert dt.datetime.strptime(r["DATEADDED"], "%Y%m%d%H%M%S").date() >= day
        assert int(r["NumMentions"]) >= int(r["NumArticles"]) >= int(r["NumSources"]) >= 1
        assert -100 <= float(r["AvgTone"]) <= 100
        assert r["SOURCEURL"].startswith("https://")


def test_event_codes_carry_their_cameo_weight_and_quad_class(export_rows):
    cameo = code_lists().cameo
    for r in export_rows:
        code = r["EventCode"]
        assert code in cameo and len(code) >= 3
        assert (r["EventBaseCode"], r["EventRootCode"]) == (code[:3], code[:2])
        assert (float(r["GoldsteinScale"]), int(r["QuadClass"])) == cameo[code]
    quads = Counter(r["QuadClass"] for r in export_rows)
    assert set(quads) == {"1", "2", "3", "4"}
    assert 0.1 < quads["4"] / ROWS < 0.4  # material conflict is a minority, as in GDELT


def test_actor_codes_are_cameo_country_and_role_codes(export_rows):
    countries = {c[0] for c in COUNTRIES}
    blanks = 0
    for r in export_rows:
        for side in ("Actor1", "Actor2"):
            code, country, role = r[f"{side}Code"], r[f"{side}CountryCode"], r[f"{side}Type1Code"]
            if not code:
                blanks += 1
                assert not country and not r[f"{side}Name"]
                continue
            assert code == country + role
            assert not country or country in countries
    assert blanks > 0  # real exports have events with an unidentified actor
    assert {"RUSMIL", "UKRGOV", "USA"} <= {r["Actor1Code"] for r in export_rows}


def _dyads(rows):
    return Counter(frozenset((r["Actor1CountryCode"], r["Actor2CountryCode"])) for r in rows
                   if r["Actor1CountryCode"] and r["Actor2CountryCode"]
                   and r["Actor1CountryCode"] != r["Actor2CountryCode"])


def test_a_few_dyads_carry_most_events(export_rows):
    dyads = _dyads(export_rows)
    top = [d for d, _ in dyads.most_common(5)]
    assert top[0] == frozenset(("RUS", "UKR"))
    # Five of the 780 country pairs would carry 0.6% of the events if dyads were uniform.
    assert sum(dyads[d] for d in top) > 0.3 * sum(dyads.values())


def test_hostile_acts_are_answered_within_days(export_rows):
    """Bursts: far more hostile X→Y acts meet a Y→X act within three days than chance
    gives for the same dyads (the same acts with their answers' dates shuffled away)."""
    hostile = [(r["Actor1CountryCode"], r["Actor2CountryCode"],
                dt.datetime.strptime(r["SQLDATE"], "%Y%m%d").date()) for r in export_rows
               if r["QuadClass"] == "4" and r["Actor1CountryCode"] and r["Actor2CountryCode"]
               and r["Actor1CountryCode"] != r["Actor2CountryCode"]]
    by_dyad: dict[tuple[str, str], list[dt.date]] = {}
    for a, b, day in hostile:
        by_dyad.setdefault((a, b), []).append(day)

    def answered(x, y, day, shift=0):
        return any(0 <= (d - day).days - shift <= 3 for d in by_dyad.get((y, x), ()))

    real = sum(answered(a, b, day) for a, b, day in hostile)
    shifted = sum(answered(a, b, day, shift=60) for a, b, day in hostile)
    assert real > 1.5 * shifted


def test_rejects_a_row_count_that_is_not_positive():
    with pytest.raises(ValueError, match="positive"):
        write_export(io.StringIO(), rows=0)


def test_rejects_a_day_count_that_is_not_positive():
    with pytest.raises(ValueError, match="positive"):
        write_export(io.StringIO(), rows=10, days=0)


@pytest.fixture(scope="module")
def dense_export(tmp_path_factory) -> Path:
    """500 events in 30 days: enough action and reaction for dozens of pairs."""
    path = tmp_path_factory.mktemp("dense") / "dense.export.CSV"
    with open(path, "w", encoding="utf-8") as out:
        write_export(out, rows=500, seed=3, days=30)
    return path


def test_the_export_imports_as_gdelt_without_a_bad_row(export_file):
    from graph.importers.gdelt import import_gdelt
    from graph.store import EmbeddedStore

    report = import_gdelt(EmbeddedStore(None), export_file, strict=True)
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (ROWS, ROWS, 0)


def test_b1_three_import_paths_load_the_same_events(dense_export, tmp_path):
    """Our command, rdflib one triple at a time and the bulk-load ceiling: ``measure``
    fails if their event (or quad) counts differ; all must hold every row's event."""
    from bench.b1_import import measure

    entry = measure(dense_export, work=tmp_path, runs=1)
    assert entry["rows"] == entry["events"] == 500
    assert entry["quads"] > 500 * 10
    assert {"ours", "ceiling", "rdflib"} <= set(entry)
    assert entry["ours"]["max_rss"] > 0 and entry["rdflib"]["max_rss"] > 0


def test_b2_pair_counts_agree_across_engines(dense_export, tmp_path):
    """Our analytics, DuckDB's range join, Oxigraph (the named query and the two pair
    queries) and rdflib's SPARQL engine find the same pairs; ``compare_engines`` fails
    loudly otherwise."""
    pytest.importorskip("duckdb", reason="DuckDB comes with the test extra: pip install -e '.[test]'")
    from bench.b2_tit_for_tat import compare_engines
    from graph.importers.gdelt import import_gdelt
    from graph.store import EmbeddedStore

    import_gdelt(EmbeddedStore(tmp_path / "store"), dense_export)
    entry = compare_engines(tmp_path / "store", runs=1, timeout=600, work=tmp_path, label="test")
    counts = entry["pairs"]
    assert set(counts) == {"ours", "duckdb", "oxigraph tit-for-tat.rq", "oxigraph pairs query",
                           "oxigraph pairs by dyad", "rdflib pairs query"}
    assert len(set(counts.values())) == 1 and counts["ours"] > 10


@pytest.mark.parametrize("window", [0, 3])
def test_b2_duckdb_join_matches_the_analytics_at_other_windows(dense_export, tmp_path, window):
    pytest.importorskip("duckdb", reason="DuckDB comes with the test extra: pip install -e '.[test]'")
    from bench.b2_tit_for_tat import duckdb_pairs, hostile_rows
    from graph.analytics import action_reaction_pairs
    from graph.importers.gdelt import import_gdelt
    from graph.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    import_gdelt(store, dense_export)
    assert len(duckdb_pairs(hostile_rows(store), window=window)[0]) == len(action_reaction_pairs(store, window=window))
