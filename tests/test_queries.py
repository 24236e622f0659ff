"""The named queries (``ontology/queries/*.rq``) on the embedded store: their headers,
their provenance columns and order, the answers the fixture was built to give, the
answers the seed article supports, and the errors a user gets for a wrong name or value."""

from __future__ import annotations

import datetime as dt
import json
import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.namespaces import PREFIXES, graph_iri
from graph.pipeline import build
from graph.queries import named_queries, run_named
from graph.store import EmbeddedStore

from conftest import FIXTURES, REPO

CASE = FIXTURES / "tit-for-tat"
QUERIES = sorted(named_queries())
ASKED = {"timeline", "who-said", "tit-for-tat", "explicit-responses", "attributions", "unclaimed-attacks",
         "signals-before-action", "third-party-reactions", "repeated-targets", "escalation-trajectory"}
# Queries whose rows involve a statement, and so carry its words.
QUOTED = {"timeline", "who-said", "tit-for-tat", "explicit-responses", "attributions", "unclaimed-attacks",
          "signals-before-action", "third-party-reactions"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def case_store(tmp_path_factory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("tit-for-tat") / "store")
    build(store, [CASE])
    return store


def rows(store, name, **params):
    return run_named(store, name, {k: str(v) for k, v in params.items()}).values()


def short(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else iri


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- every query -----------------------------------------------------------------------------


def test_the_issue_questions_all_exist():
    assert ASKED <= set(QUERIES)


@pytest.mark.parametrize("name", QUERIES)
def test_header_names_title_question_and_typed_parameters(name):
    query = named_queries()[name]
    assert query.title and query.question.endswith("?")
    for param in query.parameters:
        assert SNAKE.match(param.name) and param.description
        assert param.optional or param.default is not None, f"{name}: {param.name} needs a default or '?'"


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("which", ["case", "seed"])
def test_every_row_carries_source_and_evidence(name, which, case_store, seed_store):
    store = case_store if which == "case" else seed_store
    table = run_named(store, name)
    assert len(table) > 0, f"{name} gives nothing on the {which}"
    assert all(SNAKE.match(v) for v in table.variables), table.variables
    assert {"source", "evidence"} <= set(table.variables)
    if name in QUOTED:
        assert "quote" in table.variables
    for row in table.values():
        assert row["source"] and row["evidence"], row


@pytest.fixture(scope="module")
def relabelled_store(tmp_path_factory) -> EmbeddedStore:
    """The seed with every actor's name said again in a second graph, as an import that
    reconciles its actors with the curated ones does."""
    store = EmbeddedStore(tmp_path_factory.mktemp("relabelled") / "store")
    build(store, [REPO / "data" / "drone-strikes-2023"])
    again = ox.NamedNode(graph_iri("names-again"))
    names = store.reader().quads_for_pattern(None, ox.NamedNode(PREFIXES["skos"] + "prefLabel"), None, None)
    store.replace_graphs([again.value], [ox.Quad(q.subject, q.predicate, q.object, again) for q in names])
    return store


@pytest.mark.parametrize("name", QUERIES)
def test_a_fact_stated_in_two_graphs_gives_no_repeated_row(name, relabelled_store, seed_store):
    # The union of the graphs repeats a triple once per graph holding it.
    table = run_named(relabelled_store, name)
    assert len(table) == len(set(table.rows)) == len(run_named(seed_store, name))


@pytest.mark.parametrize("name", QUERIES)
def test_order_is_deterministic(name, seed_store):
    assert run_named(seed_store, name).rows == run_named(seed_store, name).rows


def test_fuzzy_dates_sort_a_range_wholly_before_another_first(case_store, seed_store):
    for store in (case_store, seed_store):
        days = [(r["earliest"], r["latest"]) for r in rows(store, "timeline")]
        assert days == sorted(days)
    ordered = [short(r["act"]) for r in rows(case_store, "timeline", **{"from": "2024-03-25"})]
    # early April (1-7 Apr) lies wholly before the weekend of 13-14 Apr
    assert ordered.index("north-blockade") < ordered.index("tower-struck-again")


def test_timeline_filters_by_actor_including_officials_and_by_dates(case_store):
    found = {short(r["act"]) for r in rows(case_store, "timeline", actor="Sudburg", to="2024-03-31")}
    # the army acts for Northland, so its arrest of Southland fishermen concerns Southland
    assert {"north-detains-fishermen", "south-claims-tower", "south-links-tower-to-port"} <= found
    assert "sud-threatens-capital" not in found and "east-aid" in found


# -- the fixture's answers -------------------------------------------------------------------

CHAIN_PAIRS = [("north-detains-fishermen", "south-shells-depot", 4, 4),
               ("south-shells-depot", "north-drones-port", 5, 5),
               ("north-drones-port", "south-drones-tower", 10, 10),
               ("south-drones-tower", "north-blockade", 12, 18)]


def test_tit_for_tat_pairs_lags_escalation_and_asserted_link(case_store):
    found = rows(case_store, "tit-for-tat")
    assert [(short(r["stimulus"]), short(r["response"]), r["lag_min_days"], r["lag_max_days"])
            for r in found] == CHAIN_PAIRS
    first, _, asserted, last = found
    assert (first["actor"], first["responder"]) == ("Northland", "Southland")  # the army counts as Northland
    assert (first["goldstein_change"], first["direction"]) == (-5.0, "escalation")
    assert last["direction"] == "de-escalation"
    assert [r["link"] for r in found] == ["temporal", "temporal", "asserted", "temporal"]
    assert asserted["asserted_by"] == "Southland Defence Ministry"
    assert asserted["quote"] == "The tower strike answers the attack on Southport."


@pytest.mark.parametrize(("params", "expected"), [
    ({"window": 0}, 0),
    ({"window": 4}, 1),
    ({"window": 11}, 3),
    ({"a": "Southland Defence Ministry", "b": "Norburg"}, 4),
    ({"a": "Eastland"}, 0),
])
def test_tit_for_tat_parameters(case_store, params, expected):
    assert len(rows(case_store, "tit-for-tat", **params)) == expected


def test_explicit_responses_name_who_asserted_and_the_lag(case_store):
    (link,) = rows(case_store, "explicit-responses")
    assert (short(link["response"]), short(link["stimulus"])) == ("south-drones-tower", "north-drones-port")
    assert (link["asserted_by"], link["kind"], link["lag_min_days"], link["lag_max_days"]) == \
        ("Southland Defence Ministry", "linkage", 10, 10)
    assert rows(case_store, "explicit-responses", actor="Northland") == []


def test_attributions_put_claim_attribution_and_denial_side_by_side(case_store):
    found = [(short(r["act"]), r["kind"], r["speaker"], r["attributed_to"]) for r in rows(case_store, "attributions")]
    assert found == [
        ("south-drones-tower", "attribution", "Anton Nord", "Southland"),
        ("south-drones-tower", "claim-of-responsibility", "Southland Defence Ministry", None),
        ("tower-struck-again", "attribution", "Anton Nord", "Southland"),
        ("tower-struck-again", "denial", "Vera Sud", None),
    ]


def test_unclaimed_attack_is_attributed_and_denied(case_store):
    (row,) = rows(case_store, "unclaimed-attacks")
    assert short(row["act"]) == "tower-struck-again"
    assert (row["attributed_to"], row["attributed_by"], row["denied_by"], row["reply"]) == \
        ("Southland", "Anton Nord", "Vera Sud", "denied")
    # the denial came two days after the act: outside a one-day window it does not follow
    (late,) = rows(case_store, "unclaimed-attacks", window=1)
    assert not late["denied_by"] and late["reply"] == "no reply"


def test_signals_followed_and_the_bluff(case_store):
    found = [(short(r["statement"]), r["side"], r["outcome"], short(r["act"]))
             for r in rows(case_store, "signals-before-action", window=14)]
    assert found == [("nord-warns-south", "Northland", "followed", "north-drones-port"),
                     ("sud-threatens-capital", "Southland", "not followed", None)]


def test_third_party_reactions_official_and_all(case_store):
    (official,) = rows(case_store, "third-party-reactions")
    assert (short(official["act"]), official["party"], official["kind"], official["stance"]) == \
        ("north-drones-port", "Eastland", "disapproval", "distance")
    everyone = {r["party"] for r in rows(case_store, "third-party-reactions", parties="all")}
    # Southland's denial of an attack blamed on it is no third party's reaction
    assert everyone == {"Eastland", "Dana Watt"}


def test_repeated_targets_with_their_dates(case_store):
    places = [(r["target_name"], r["strikes"], r["earliest"].isoformat())
              for r in rows(case_store, "repeated-targets", targets="places")]
    assert places == [("Capital Tower", 2, "2024-03-20"), ("Capital Tower", 2, "2024-04-13"),
                      ("Southport", 2, "2024-03-01"), ("Southport", 2, "2024-03-10")]
    assert {r["target_kind"] for r in rows(case_store, "repeated-targets")} == {"actor", "place"}
    assert rows(case_store, "repeated-targets", at_least=4) == []


@pytest.mark.parametrize(("bucket", "expected"), [
    ("month", [("Northland", "Southland", "2024-03", 2, -15.0, -10.0), ("Northland", "Southland", "2024-04", 1, -5.0, -5.0),
               ("Southland", "Northland", "2024-03", 2, -20.0, -10.0)]),
    ("week", [("Northland", "Southland", "2024-02-26", 1, -5.0, -5.0), ("Northland", "Southland", "2024-03-04", 1, -10.0, -10.0),
              ("Northland", "Southland", "2024-04-01", 1, -5.0, -5.0), ("Southland", "Northland", "2024-03-04", 1, -10.0, -10.0),
              ("Southland", "Northland", "2024-03-18", 1, -10.0, -10.0)]),
])
def test_escalation_trajectory_per_dyad_and_period(case_store, bucket, expected):
    found = rows(case_store, "escalation-trajectory", bucket=bucket, a="Northland", b="Southland")
    assert [(r["actor"], r["target"], r["period"], r["acts"], r["goldstein_sum"], r["goldstein_min"])
            for r in found] == expected


def test_week_starts_on_monday_across_years(tmp_path):
    """Regression: the Julian-day week arithmetic must give Mondays across month and year ends."""
    case = tmp_path / "case.yaml"
    days = ["2020-01-01", "2021-03-01", "2023-12-31", "2024-02-29"]
    case.write_text("sources: [{id: s, title: Weeks, published: 2024-06-01}]\nactors:\n"
                    "  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\nevents:\n" + "".join(
                        f"  - {{id: e{i}, label: E, type: shelling, date: {d}, agents: [a], targets: [b], "
                        f"evidence: x}}\n" for i, d in enumerate(days)), encoding="utf-8")
    store = EmbeddedStore(None)
    build(store, [case])
    mondays = [r["period"] for r in rows(store, "escalation-trajectory", bucket="week")]
    expected = sorted({(dt.date.fromisoformat(d) - dt.timedelta(days=dt.date.fromisoformat(d).weekday())).isoformat()
                       for d in days})
    assert mondays == expected


# -- the seed article's answers ----------------------------------------------------------------


def test_seed_the_moscow_skyscraper_was_struck_twice(seed_store):
    hits = [r for r in rows(seed_store, "repeated-targets", targets="places") if short(r["target"]) == "moscow-skyscraper"]
    assert [(r["strikes"], r["earliest"].isoformat(), r["date_text"]) for r in hits] == \
        [(2, "2023-07-30", "on Sunday"), (2, "2023-08-01", "On Tuesday")]
    assert "the same skyscraper in Moscow" in hits[1]["evidence"]


def test_seed_white_house_distances_itself_as_a_third_party(seed_store):
    found = [r for r in rows(seed_store, "third-party-reactions") if r["speaker"] == "Karine Jean-Pierre"]
    assert [(r["party"], r["kind"], r["stance"]) for r in found] == [("United States", "disapproval", "distance")]
    assert found[0]["quote"] == "As a general matter we do not support attacks inside of Russia"
    assert short(found[0]["act"]) == "drone-strikes-inside-russia-summer-2023"
    assert "Russia" not in {r["party"] for r in rows(seed_store, "third-party-reactions")}  # the target is no third party


def test_seed_moscow_blames_kyiv_which_never_claims(seed_store):
    moscow = [r for r in rows(seed_store, "attributions") if r["speaker"] == "Russia" and r["kind"] == "attribution"]
    assert {r["attributed_to"] for r in moscow} == {"Ukraine"} and len(moscow) >= 2
    assert not [r for r in rows(seed_store, "attributions", actor="Kyiv") if r["kind"] == "claim-of-responsibility"]
    unclaimed = {short(r["act"]): r for r in rows(seed_store, "unclaimed-attacks", actor="Kyiv")}
    assert {"moscow-skyscraper-strike-2023-07-30", "moscow-drone-strikes-2023-07-29",
            "drone-strikes-inside-russia-summer-2023"} <= set(unclaimed)
    assert "Russia" in unclaimed["moscow-skyscraper-strike-2023-07-30"]["attributed_by"]
    # Kyiv's bullish responses are acknowledgements, short of a claim
    assert unclaimed["drone-strikes-inside-russia-summer-2023"]["reply"] == "acknowledged"


def test_seed_kremlin_linkage_is_an_asserted_link(seed_store):
    (link,) = rows(seed_store, "explicit-responses")
    assert (short(link["response"]), short(link["stimulus"]), link["asserted_by"]) == \
        ("russian-bombardment-of-ukrainian-cities", "drone-strikes-inside-russia-summer-2023", "the Kremlin")
    assert "tit-for-tat" in link["evidence"]
    asserted = [r for r in rows(seed_store, "tit-for-tat", a="Kremlin", b="Kyiv") if r["link"] == "asserted"]
    assert [(short(r["stimulus"]), short(r["response"]), r["asserted_by"]) for r in asserted] == \
        [("drone-strikes-inside-russia-summer-2023", "russian-bombardment-of-ukrainian-cities", "the Kremlin")]


def test_seed_zelensky_warned_before_the_skyscraper_strikes(seed_store):
    followed = {short(r["act"]) for r in rows(seed_store, "signals-before-action", actor="Zelensky")
                if r["outcome"] == "followed"}
    assert {"moscow-skyscraper-strike-2023-07-30", "moscow-skyscraper-strike-2023-08-01",
            "russian-port-sea-drone-strike-2023-08-04"} <= followed


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["query", "tit-for-tatt"], "no query named 'tit-for-tatt'; known: attributions, escalation-trajectory"),
    (["query", "tit-for-tat", "-p", "days=3"], "has no parameter 'days'; its parameters: window (integer), a (actor)"),
    (["query", "tit-for-tat", "-p", "window=soon"], "'soon' is not a valid integer"),
    (["query", "escalation-trajectory", "-p", "bucket=year"], "'year' is not one of week, month"),
    (["query", "timeline", "-p", "from=last week"], "'last week' is not a valid date"),
    (["query", "unclaimed-attacks", "-p", "actor=Atlantis"], "no actor is called 'Atlantis'"),
])
def test_bad_names_and_values_are_usage_errors_listing_what_exists(case_store, args, message):
    result = cli(*args, "--store", case_store.path)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_query_list_shows_every_query_with_its_defaults():
    listing = {r["name"]: r for r in json.loads(cli("query", "--list", "--format", "json").stdout)}
    assert set(listing) == set(QUERIES)
    assert "window: integer = 14" in listing["tit-for-tat"]["parameters"]
    assert "bucket: week|month = month" in listing["escalation-trajectory"]["parameters"]


def test_readme_lists_every_query():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in QUERIES:
        assert f"escgraph query {name}" in readme, name
