"""The seed article, encoded by hand in ``data/drone-strikes-2023``, checked against itself.

Two kinds of test:

* integrity: every record validates against its record class, every id it names
  exists, every evidence passage and quote occurs verbatim in the article, every code
  is in its code list, and the fuzzy dates are consistent with each other;
* a checklist written from the article, one item per fact an analyst would look for,
  each asserting something that fails if the data loses that fact.

The YAML is read directly with PyYAML, not through the project's loader, so that this
test pins the curated files themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from graph.records import Actor, Event, Place, Source, Statement, validate_record

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data" / "drone-strikes-2023"
VOCAB_DIR = REPO / "ontology" / "vocab"
SEED = REPO.parent / "shared" / "seeds" / "000_8a9e9fce40763845.txt"

RECORD_CLASSES = {
    "sources": Source,
    "actors": Actor,
    "places": Place,
    "events": Event,
    "statements": Statement,
}
FILES = {
    "source.yaml": "sources",
    "actors.yaml": "actors",
    "places.yaml": "places",
    "events.yaml": "events",
    "statements.yaml": "statements",
}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Quotes broken by an attribution tag ("..., Giles said. ...") are joined with this.
QUOTE_JOIN = " [...] "
# Speech acts about what is still to come may precede the events they are about.
FORWARD_KINDS = {"warning", "threat", "announcement", "forecast"}

SERIES = "drone-strikes-inside-russia-summer-2023"
BOMBARDMENT = "russian-bombardment-of-ukrainian-cities"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class Case:
    """The case's records, validated, by kind and id."""

    raw: dict[str, list[dict]]
    sources: dict[str, Source]
    actors: dict[str, Actor]
    places: dict[str, Place]
    events: dict[str, Event]
    statements: dict[str, Statement]

    def acts_for_closure(self, actor: str) -> set[str]:
        """The actor and everyone it acts for, directly or through others."""
        seen, todo = set(), [actor]
        while todo:
            key = todo.pop()
            if key not in seen:
                seen.add(key)
                todo.extend(self.actors[key].acts_for)
        return seen

    def ancestors(self, event: str) -> list[str]:
        """The events ``event`` is part of, nearest first."""
        chain = []
        parent = self.events[event].part_of
        while parent is not None:
            chain.append(parent)
            parent = self.events[parent].part_of
        return chain

    def said_by(self, speaker: str) -> list[Statement]:
        return [s for s in self.statements.values() if s.speaker == speaker]

    def quotes_by(self, speaker: str) -> str:
        return " ".join(s.quote or "" for s in self.said_by(speaker))


def load_raw() -> dict[str, list[dict]]:
    raw: dict[str, list[dict]] = {}
    for name, key in FILES.items():
        document = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        assert set(document) == {key}, f"{name} must hold only the top-level key {key!r}"
        raw[key] = document[key]
    return raw


@pytest.fixture(scope="module")
def case() -> Case:
    raw = load_raw()
    by_kind = {
        key: {item["id"]: validate_record(RECORD_CLASSES[key], item) for item in items}
        for key, items in raw.items()
    }
    return Case(raw=raw, **by_kind)


@pytest.fixture(scope="module")
def article() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not available at {SEED}")
    return SEED.read_text(encoding="utf-8")


def notations(filename: str) -> set[str]:
    return set(re.findall(r'skos:notation "([^"]+)"', (VOCAB_DIR / filename).read_text()))


def all_items(raw: dict[str, list[dict]]) -> Iterator[tuple[str, dict]]:
    for key, items in raw.items():
        for item in items:
            yield key, item


# ====================================================================== integrity


@pytest.mark.parametrize("key", list(RECORD_CLASSES))
def test_every_record_validates(key):
    for item in load_raw()[key]:
        validate_record(RECORD_CLASSES[key], item)


def test_ids_are_unique_kebab_case(case):
    for key, items in case.raw.items():
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)), f"duplicate ids in {key}"
        bad = [i for i in ids if not KEBAB.match(i)]
        assert not bad, f"{key}: ids not lowercase kebab-case: {bad}"


def test_every_record_has_evidence(case):
    missing = [
        item["id"] for key, item in all_items(case.raw) if key != "sources" and not item.get("evidence")
    ]
    assert not missing, f"records without evidence: {missing}"


def test_codes_are_in_code_lists(case):
    event_types = notations("event-types.ttl")
    speech_acts = notations("speech-acts.ttl")
    stances = notations("stances.ttl")
    precisions = notations("date-precisions.ttl")
    for event in case.events.values():
        assert event.type in event_types, f"{event.id}: unknown event type {event.type!r}"
        assert event.date.precision in precisions
    for statement in case.statements.values():
        assert statement.kind in speech_acts, f"{statement.id}: unknown kind {statement.kind!r}"
        assert statement.stance is None or statement.stance in stances, statement.id
        assert statement.date.precision in precisions


def test_every_referenced_id_exists(case):
    actors, places, events = set(case.actors), set(case.places), set(case.events)
    problems = []

    def need(owner: str, field: str, keys: str | tuple[str, ...] | None, pool: set[str]) -> None:
        for key in (keys,) if isinstance(keys, str) else keys or ():
            if key not in pool:
                problems.append(f"{owner}.{field} -> {key!r}")

    for source in case.sources.values():
        need(source.id, "publisher", source.publisher, actors)
    for actor in case.actors.values():
        need(actor.id, "acts_for", actor.acts_for, actors)
        need(actor.id, "affiliated_with", actor.affiliated_with, actors)
    for place in case.places.values():
        need(place.id, "within", place.within, places)
        need(place.id, "country", place.country, actors)
        if place.country is not None and place.country in case.actors:
            assert case.actors[place.country].kind == "state", f"{place.id}.country is no state"
    for event in case.events.values():
        need(event.id, "agents", event.agents, actors)
        need(event.id, "targets", event.targets, actors)
        need(event.id, "places", event.places, places)
        need(event.id, "target_places", event.target_places, places)
        need(event.id, "part_of", event.part_of, events)
    for statement in case.statements.values():
        for field in ("speaker", "on_behalf_of", "addressee", "reported_via", "attributes_to"):
            need(statement.id, field, getattr(statement, field), actors)
        # The loader looks bare `about` keys up among events, actors, places and statements.
        need(statement.id, "about", statement.about, actors | events | places | set(case.statements))
        for link in statement.links:
            need(statement.id, "links.response", link.response, events)
            need(statement.id, "links.stimulus", link.stimulus, events)
    assert not problems, "dangling references:\n" + "\n".join(problems)


def test_about_keys_are_unambiguous(case):
    """A bare ``about`` key must name one record only (the loader rejects ambiguous ones)."""
    for statement in case.statements.values():
        for key in statement.about:
            kinds = [name for name in ("actors", "places", "events", "statements")
                     if key in getattr(case, name)]
            assert len(kinds) == 1, f"{statement.id}: about {key!r} is in {kinds}"


def test_evidence_and_quotes_are_verbatim(case, article):
    problems = []
    for key, item in all_items(case.raw):
        if item.get("evidence") and item["evidence"] not in article:
            problems.append(f"{key}/{item['id']} evidence: {item['evidence']!r}")
        for part in (item.get("quote") or "").split(QUOTE_JOIN):
            if part and part not in article:
                problems.append(f"{key}/{item['id']} quote: {part!r}")
    assert not problems, "not in the article:\n" + "\n".join(problems)


def test_on_behalf_of_follows_acts_for(case):
    for statement in case.statements.values():
        if statement.on_behalf_of is not None and statement.on_behalf_of != statement.speaker:
            closure = case.acts_for_closure(statement.speaker)
            assert statement.on_behalf_of in closure, (
                f"{statement.id}: {statement.speaker} does not act for {statement.on_behalf_of}"
            )


def test_acts_for_has_no_cycles(case):
    for actor in case.actors:
        for other in case.actors[actor].acts_for:
            assert actor not in case.acts_for_closure(other), f"acts_for cycle through {actor}"


def test_parts_lie_within_their_series(case):
    for event in case.events.values():
        if event.part_of is not None:
            parent = case.events[event.part_of]
            assert parent.date.earliest <= event.date.earliest, event.id
            assert event.date.latest <= parent.date.latest, event.id
            assert event.id not in case.ancestors(event.id), f"part_of cycle at {event.id}"


def test_response_links_never_point_forward(case):
    for statement in case.statements.values():
        for link in statement.links:
            response, stimulus = case.events[link.response], case.events[link.stimulus]
            assert response.date.latest >= stimulus.date.earliest, statement.id
            assert statement.date.latest >= stimulus.date.earliest, statement.id


def test_statements_do_not_precede_past_events_they_are_about(case):
    for statement in case.statements.values():
        if statement.kind in FORWARD_KINDS:
            continue
        for key in statement.about:
            if key in case.events:
                assert statement.date.latest >= case.events[key].date.earliest, (
                    f"{statement.id} is dated before {key}"
                )


# ====================================================================== the checklist

CHECKLIST: list[Callable[[Case], None]] = []


def item(check: Callable[[Case], None]) -> Callable[[Case], None]:
    CHECKLIST.append(check)
    return check


@item
def counts(case):
    assert len(case.actors) >= 20
    assert len(case.events) >= 12
    assert len(case.statements) >= 25
    assert len(case.places) >= 6


@item
def source_is_the_cnn_article(case):
    (source,) = case.sources.values()
    assert source.id == "cnn-2023-08-05-drone-strikes"
    assert source.published == day("2023-08-05")
    assert source.publisher == "cnn" and case.actors["cnn"].kind == "media"
    assert source.kind == "article" and source.url is None


@item
def states_carry_dataset_codes_and_aliases(case):
    expected = {"russia": "RUS", "ukraine": "UKR", "united-states": "USA", "nato": "NATO"}
    for key, code in expected.items():
        assert code in case.actors[key].codes, key
    assert "Kyiv" in case.actors["ukraine"].aliases
    assert "Moscow" in case.actors["russia"].aliases
    assert case.actors["nato"].kind == "alliance" and "NATO nations" in case.actors["nato"].aliases
    west = case.actors["the-west"]
    assert west.kind == "alliance"
    assert {"Western nations", "Western leaders", "the suppliers"} <= set(west.aliases)


@item
def officials_speak_for_their_states(case):
    """Zelensky, Fedorov, Ihnat for Ukraine; Jean-Pierre for the US; Putin, Kremlin for Russia."""
    assert case.actors["zelensky"].role == "President of Ukraine"
    assert "ukraine" in case.acts_for_closure("zelensky")
    assert case.actors["fedorov"].acts_for == ("digital-transformation-ministry",)
    assert "ukraine" in case.acts_for_closure("fedorov")
    assert case.actors["army-of-drones"].affiliated_with == ("digital-transformation-ministry",)
    assert case.actors["ihnat"].acts_for == ("ukraine-air-force",)
    assert case.actors["ukraine-air-force"].kind == "military-unit"
    assert "ukraine" in case.acts_for_closure("ihnat")
    assert case.actors["jean-pierre"].acts_for == ("white-house",)
    assert "united-states" in case.acts_for_closure("jean-pierre")
    assert case.actors["kremlin"].kind == "government-body"
    for key in ("kremlin", "putin", "russian-officials", "russian-authorities"):
        assert "russia" in case.acts_for_closure(key), key


@item
def analysts_are_affiliated_not_official(case):
    """Barrie (IISS), Giles (Chatham House), ISW speak for no one."""
    assert case.actors["barrie"].affiliated_with == ("iiss",)
    assert case.actors["giles"].affiliated_with == ("chatham-house",)
    for key in ("iiss", "chatham-house", "isw"):
        assert case.actors[key].kind == "organisation"
    independent = ("barrie", "giles", "isw", "iiss", "chatham-house",
                   "witness", "military-blogger", "cnn", "reuters")
    for key in independent:
        assert case.actors[key].acts_for == (), f"{key} must not act for anyone"
    assert case.actors["wagner"].kind == "armed-group"


@item
def witness_and_blogger_are_anonymous_people(case):
    for key in ("witness", "military-blogger"):
        actor = case.actors[key]
        assert actor.kind == "person" and actor.anonymous


@item
def places_nest_in_moscow(case):
    moscow = case.places["moscow"]
    assert moscow.country == "russia"
    assert 55 < moscow.latitude < 56.5 and 37 < moscow.longitude < 38.5
    assert case.places["moscow-kremlin"].within == "moscow"
    assert case.places["moscow-skyscraper"].within == "moscow"
    port = case.places["unnamed-russian-port"]
    assert port.name == "unnamed major Russian port"
    assert port.country == "russia" and port.latitude is None


@item
def skyscraper_struck_twice(case):
    """'On Tuesday, a drone struck the same skyscraper in Moscow that was hit on Sunday.'"""
    strikes = sorted(
        (e for e in case.events.values() if "moscow-skyscraper" in e.target_places),
        key=lambda e: e.date,
    )
    assert [(e.date.earliest, e.date.latest) for e in strikes] == [
        (day("2023-07-30"), day("2023-07-30")),
        (day("2023-08-01"), day("2023-08-01")),
    ]
    for strike in strikes:
        assert strike.type == "drone-strike" and strike.date.precision == "day"
        assert SERIES in case.ancestors(strike.id)


@item
def last_weekends_strikes_on_moscow_buildings(case):
    weekend = case.events["moscow-drone-strikes-2023-07-29"]
    assert (weekend.date.earliest, weekend.date.latest) == (day("2023-07-29"), day("2023-07-30"))
    assert weekend.date.precision == "week" and weekend.date.text == "Last weekend"
    assert "moscow" in weekend.places
    assert case.events["moscow-skyscraper-strike-2023-07-30"].part_of == weekend.id


@item
def sea_drone_strike_on_friday_leaves_warship_listing(case):
    (strike,) = [e for e in case.events.values() if e.type == "sea-drone-strike"]
    assert strike.date.earliest == strike.date.latest == day("2023-08-04")
    assert "warship" in strike.outcome and "listing" in strike.outcome
    assert strike.target_places == ("unnamed-russian-port",)
    assert strike.agents == ("ukraine",) and strike.part_of == SERIES


@item
def summer_series_of_ukrainian_drone_strikes(case):
    series = case.events[SERIES]
    assert series.date.precision == "season"
    assert (series.date.earliest, series.date.latest) == (day("2023-06-01"), day("2023-08-05"))
    assert series.agents == ("ukraine",) and series.targets == ("russia",)
    assert "moscow" in series.target_places
    parts = {e.id for e in case.events.values() if SERIES in case.ancestors(e.id)}
    assert {
        "drone-incidents-russia-2023-06",
        "attempted-drone-attacks-2023-07",
        "moscow-drone-strikes-2023-07-29",
        "moscow-skyscraper-strike-2023-07-30",
        "moscow-skyscraper-strike-2023-08-01",
        "russian-port-sea-drone-strike-2023-08-04",
    } <= parts


@item
def may_drone_attack_above_the_kremlin(case):
    """'an apparent drone attack above the Kremlin' - no agent named, so none recorded."""
    attack = case.events["kremlin-drone-attack-2023-05"]
    assert attack.type == "drone-strike" and attack.agents == ()
    assert (attack.date.earliest, attack.date.latest, attack.date.precision) == (
        day("2023-05-01"), day("2023-05-31"), "month",
    )
    assert attack.target_places == ("moscow-kremlin",)
    assert attack.part_of is None


@item
def numerous_incidents_in_june(case):
    june = case.events["drone-incidents-russia-2023-06"]
    assert june.count is None and june.date.precision == "month"
    assert (june.date.earliest, june.date.latest) == (day("2023-06-01"), day("2023-06-30"))


@item
def two_attempted_attacks_earlier_in_july(case):
    july = case.events["attempted-drone-attacks-2023-07"]
    assert july.count == 2 and july.attempted
    assert day("2023-07-01") <= july.date.earliest and july.date.latest < day("2023-07-29")
    (report,) = [s for s in case.statements.values() if july.id in s.about]
    assert report.speaker == "russian-officials"


@item
def moscow_pins_attacks_on_kyiv(case):
    attributions = [s for s in case.statements.values() if s.kind == "attribution"]
    (pinned,) = [s for s in attributions if "russia" in case.acts_for_closure(s.speaker)]
    assert pinned.speaker == "russia"
    assert pinned.attributes_to == ("ukraine",)
    assert SERIES in pinned.about
    assert "pinned on Kyiv" in pinned.evidence


@item
def kyiv_does_not_claim_the_attacks(case):
    non_claim = case.statements["ukraine-no-direct-responsibility"]
    assert non_claim.speaker == "ukraine" and non_claim.kind == "decline-comment"
    assert "responsibility" in non_claim.paraphrase and SERIES in non_claim.about
    claims = [
        s.id for s in case.statements.values()
        if s.kind == "claim-of-responsibility" and "ukraine" in case.acts_for_closure(s.speaker)
    ]
    assert claims == [], "the article has no Ukrainian claim of responsibility"


@item
def kyiv_responses_more_bullish(case):
    bullish = case.statements["ukraine-more-bullish-responses"]
    assert bullish.speaker == "ukraine" and bullish.kind == "acknowledgement"
    assert bullish.date.earliest >= day("2023-07-01")


@item
def both_sides_refuse_details(case):
    declines = [
        s for s in case.statements.values()
        if s.kind == "decline-comment" and "details" in (s.paraphrase or "")
    ]
    assert {s.speaker for s in declines} == {"russia", "ukraine"}


@item
def zelensky_warns_war_gradually_returning(case):
    warning = case.statements["zelensky-war-gradually-returning-to-russia"]
    assert warning.speaker == "zelensky" and warning.kind == "warning"
    assert warning.quote == "gradually returning" and warning.on_behalf_of == "ukraine"
    assert (warning.date.earliest, warning.date.latest, warning.date.precision) == (
        day("2023-07-24"), day("2023-07-30"), "week",
    )
    assert "russia" in warning.about and SERIES in warning.about


@item
def fedorov_announces_more_strikes(case):
    (announcement,) = [s for s in case.said_by("fedorov") if s.kind == "announcement"]
    assert "more drone strikes" in announcement.paraphrase
    assert SERIES in announcement.about


@item
def kremlin_links_reprisals_to_strikes(case):
    """'the Kremlin has tended to link attacks on Ukrainian cities to previous strikes on Russia'"""
    (linkage,) = [s for s in case.said_by("kremlin") if s.kind == "linkage"]
    assert [(l.response, l.stimulus) for l in linkage.links] == [(BOMBARDMENT, SERIES)]
    bombardment = case.events[BOMBARDMENT]
    assert bombardment.type == "air-bombardment" and bombardment.agents == ("russia",)
    assert "ukrainian-cities" in bombardment.target_places
    assert "tit-for-tat" in linkage.paraphrase


@item
def white_house_does_not_support_attacks_inside_russia(case):
    remark = case.statements["white-house-does-not-support-attacks-inside-russia"]
    assert remark.speaker == "jean-pierre" and remark.on_behalf_of == "white-house"
    assert remark.kind == "disapproval" and remark.stance == "distance"
    assert remark.quote == "As a general matter we do not support attacks inside of Russia"
    assert remark.addressee == "reporters" and remark.channel == "told reporters"
    assert remark.reported_via == "reuters"
    assert remark.date.text == "late last month"
    assert day("2023-07-15") <= remark.date.earliest and remark.date.latest == day("2023-07-31")


@item
def barrie_assessments_told_to_cnn(case):
    remarks = case.said_by("barrie")
    assert len(remarks) >= 5
    assert all(s.addressee == "cnn" and s.kind == "assessment" for s in remarks)
    quotes = case.quotes_by("barrie")
    for words in ("deniability", "tacit recognition", "small warhead", "simple",
                  "manufacture themselves", "not out of reach"):
        assert words in quotes, words
    (tacit,) = [s for s in remarks if "tacit recognition" in (s.quote or "")]
    assert tacit.attributes_to == ("ukraine",)


@item
def giles_assessments_told_to_cnn(case):
    remarks = case.said_by("giles")
    assert len(remarks) >= 6
    assert all(s.addressee == "cnn" for s in remarks)
    quotes = case.quotes_by("giles")
    for words in ("prosecution of the war", "open question", "incapacity of Russia's defenses",
                  "popular opinion", "startle value", "misplaced and misconceived"):
        assert words in quotes, words
    (drumbeat,) = [s for s in remarks if "steady drumbeat" in (s.quote or "")]
    assert drumbeat.kind == "forecast"
    (terror,) = [s for s in remarks if "indiscriminate terror attacks" in (s.quote or "")]
    assert terror.about[0] == BOMBARDMENT and terror.stance == "condemn"
    (prohibition,) = [s for s in remarks if "misplaced" in (s.quote or "")]
    assert "western-prohibition-on-striking-russia" in prohibition.about
    assert prohibition.stance == "condemn"


@item
def ihnat_on_propaganda_aim_and_interceptions(case):
    remarks = case.said_by("ihnat")
    assert len(remarks) >= 2 and all(s.on_behalf_of == "ukraine-air-force" for s in remarks)
    assert "There's always something flying in Russia" in case.quotes_by("ihnat")
    assert any("russian-people" in s.about and "impacting Russians" in (s.paraphrase or "") for s in remarks)
    (rebuttal,) = [s for s in remarks if s.kind == "criticism"]
    assert rebuttal.about[0] == "russian-authorities" and "something does hit" in rebuttal.quote
    assert "russian-authorities-intercepted-everything" in rebuttal.about
    (claim,) = case.said_by("russian-authorities")
    assert "intercepted everything" in claim.paraphrase and claim.reported_via == "ihnat"
    (officials,) = case.said_by("ukrainian-officials")
    assert officials.kind == "acknowledgement" and "propaganda element" in officials.paraphrase


@item
def isw_recent_update(case):
    (update,) = case.said_by("isw")
    assert update.kind == "forecast" and update.channel == "in a recent update"
    assert "Russian authorities will likely struggle" in update.quote
    assert "putin" in update.about


@item
def blogger_criticises_unsecured_buildings(case):
    (criticism,) = case.said_by("military-blogger")
    assert criticism.kind == "criticism" and "russia" in criticism.about
    assert "not secured buildings" in criticism.paraphrase
    assert criticism.reported_via == "isw"
    (unrest,) = case.said_by("russian-military-pundits")
    assert "unrest" in unrest.paraphrase and SERIES in unrest.about
    assert case.actors["military-blogger"].affiliated_with == ("russian-military-pundits",)


@item
def witness_told_reuters(case):
    (testimony,) = case.said_by("witness")
    assert testimony.kind == "testimony" and testimony.addressee == "reuters"
    assert testimony.about == ("moscow-drone-strikes-2023-07-29",)
    assert "we heard an explosion" in testimony.quote


@item
def putin_pretext_is_hostile_justification(case):
    (pretext,) = case.said_by("putin")
    assert pretext.kind == "justification" and pretext.stance == "hostile"
    assert "russian-invasion-of-ukraine-2022-02" in pretext.about
    assert "threat to Russian security" in pretext.paraphrase and "baseless" in pretext.paraphrase


@item
def third_parties_react(case):
    """The US 'particularly concerned'; Western leaders 'generally relaxed'."""
    (us,) = case.said_by("united-states")
    assert us.stance == "distance" and SERIES in us.about
    (west,) = case.said_by("the-west")
    assert "generally relaxed" in west.paraphrase and SERIES in west.about


@item
def tacit_contract_and_prohibition(case):
    contract = case.statements["nato-tacit-contract-with-kyiv"]
    assert contract.speaker == "nato" and contract.addressee == "ukraine"
    assert "direct conflict with Russia" in contract.paraphrase
    prohibition = case.events["western-prohibition-on-striking-russia"]
    assert prohibition.type == "restriction"
    assert prohibition.agents == ("the-west",) and prohibition.targets == ("ukraine",)


@item
def invasion_of_february_2022(case):
    invasion = case.events["russian-invasion-of-ukraine-2022-02"]
    assert invasion.type == "invasion" and invasion.agents == ("russia",) and invasion.targets == ("ukraine",)
    assert (invasion.date.earliest, invasion.date.latest) == (day("2022-02-01"), day("2022-02-28"))


@item
def last_years_mobilisation(case):
    (mobilisation,) = [e for e in case.events.values() if e.type == "mobilisation"]
    assert mobilisation.agents == ("russia",)
    assert mobilisation.date.earliest.year == mobilisation.date.latest.year == 2022
    assert "chaotic" in mobilisation.evidence


@item
def wagner_rebellion_in_june_2023(case):
    (rebellion,) = [e for e in case.events.values() if e.type == "rebellion"]
    assert rebellion.agents == ("wagner",) and rebellion.targets == ("russia",)
    assert (rebellion.date.earliest, rebellion.date.latest, rebellion.date.precision) == (
        day("2023-06-01"), day("2023-06-30"), "month",
    )


@item
def counteroffensive_and_nato_aid(case):
    offensive = case.events["ukrainian-counteroffensive-2023"]
    assert offensive.type == "ground-offensive" and offensive.agents == ("ukraine",)
    assert "russian-armed-forces" in offensive.targets
    assert "tangible results" in offensive.outcome
    aid = case.events["nato-military-aid-to-ukraine"]
    assert aid.type == "military-aid" and aid.agents == ("nato",) and aid.targets == ("ukraine",)


@pytest.mark.parametrize("check", CHECKLIST, ids=lambda check: check.__name__)
def test_checklist(case, check):
    check(case)
