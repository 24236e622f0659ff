"""The analytics (``graph.analytics``) and ``escgraph analyse``: each function on empty
input, wrong input and the fixture's exchange; the fast paths checked against the named
queries they stand in for, on the fixture and on the seed article."""

from __future__ import annotations

import datetime as dt
import json
import random

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from graph.analytics import (
    action_reaction_pairs,
    deniability,
    hostile_acts,
    infer_response_links,
    reaction_chains,
    reaction_graph,
    reciprocity,
    reciprocity_graph,
    say_do,
    window_join,
)
from graph.cli import main
from graph.errors import DataError
from graph.namespaces import INFERRED_GRAPH, record_iri
from graph.pipeline import build
from graph.queries import run_named
from graph.store import EmbeddedStore

from conftest import FIXTURES

CASE = FIXTURES / "tit-for-tat"
CHAIN = ["north-detains-fishermen", "south-shells-depot", "north-drones-port", "south-drones-tower", "north-blockade"]
NORTH, SOUTH = record_iri("actor", "northland"), record_iri("actor", "southland")


def event(key: str) -> str:
    return record_iri("event", key)


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def case_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("analytics") / "store"
    build(EmbeddedStore(path), [CASE])
    return path


@pytest.fixture(scope="module")
def case_store(case_path) -> EmbeddedStore:
    return EmbeddedStore(case_path)


@pytest.fixture
def writable_store(case_path, tmp_path) -> EmbeddedStore:
    import shutil

    shutil.copytree(case_path, tmp_path / "store")
    return EmbeddedStore(tmp_path / "store")


@pytest.fixture(params=["case", "seed"])
def any_store(request, case_store, seed_store):
    return case_store if request.param == "case" else seed_store


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- hostile acts ------------------------------------------------------------------------------


def test_hostile_acts_from_the_store_roll_agents_up_and_skip_cooperation(case_store):
    acts = hostile_acts(case_store)
    sides = {(short(acts.act_iri(r)), acts.actors[acts.agent[r]], acts.actors[acts.target[r]]) for r in range(len(acts))}
    assert ("north-detains-fishermen", NORTH, SOUTH) in sides  # the Northland Army acts for Northland
    assert not any(act in ("east-aid", "tower-struck-again") for act, _, _ in sides)  # cooperation; no agent
    assert len(acts) == 5


def test_hostile_acts_from_rows_and_from_a_multidigraph_agree():
    rows = [{"act": "e1", "agent": "n", "target": "s", "earliest": dt.date(2024, 3, 1), "latest": "2024-03-02",
             "goldstein": -5}]
    G = nx.MultiDiGraph()
    G.add_edge("n", "s", key="e1", earliest="2024-03-01", latest="2024-03-02", goldstein=-5.0)
    for acts in (hostile_acts(rows), hostile_acts(G)):
        assert (acts.acts, acts.actors, acts.earliest.tolist(), acts.latest.tolist(), acts.goldstein.tolist()) == \
            (("e1",), ("n", "s"), [19783], [19784], [-5.0])


def test_hostile_acts_empty():
    assert len(hostile_acts([])) == 0


@pytest.mark.parametrize(("data", "error", "message"), [
    (42, TypeError, "not int"),
    ("e1", TypeError, "not str"),
    ([{"act": "e1", "agent": "n"}], DataError, "row 1 has no 'target'"),
    ([("e1", "n", "s")], DataError, "neither a mapping nor"),
    ([("e1", "n", "s", "2024-03-05", "2024-03-01", -5)], DataError, "earliest day is after latest day"),
    ([("e1", "n", "s", "last week", "2024-03-01", -5)], DataError, "not a date"),
    ([("e1", "n", "s", "2024-03-01", "2024-03-01", "harsh")], DataError, "not a number"),
])
def test_hostile_acts_wrong_input(data, error, message):
    with pytest.raises(error, match=message):
        hostile_acts(data)


# -- the windowed join -------------------------------------------------------------------------


def brute_force(lk, le, ll, rk, re, rl, window):
    return sorted((i, j) for i in range(len(lk)) for j in range(len(rk))
                  if lk[i] == rk[j] and rl[j] - le[i] >= 0 and re[j] - ll[i] <= window)


@pytest.mark.parametrize("seed", range(20))
def test_window_join_equals_brute_force_on_random_fuzzy_dates(seed):
    rng = random.Random(seed)
    n, m = rng.randrange(0, 40), rng.randrange(0, 40)

    def side(count):
        keys = np.array([rng.randrange(3) for _ in range(count)], dtype=np.int64)
        first = np.array([rng.randrange(60) for _ in range(count)], dtype=np.int64)
        # mostly exact days, some weeks and months, a few very wide ranges
        width = np.array([rng.choice([0, 0, 0, 1, 6, 30, 400]) for _ in range(count)], dtype=np.int64)
        return keys, first, first + width

    left, right = side(n), side(m)
    window = rng.choice([0, 3, 14])
    i, j = window_join(*left, *right, window=window)
    assert sorted(zip(i.tolist(), j.tolist())) == brute_force(*left, *right, window)


def test_window_join_empty_and_negative_window():
    empty = np.empty(0, dtype=np.int64)
    assert [len(a) for a in window_join(empty, empty, empty, empty, empty, empty, window=14)] == [0, 0]
    one = np.zeros(1, dtype=np.int64)
    with pytest.raises(ValueError, match="0 days or more"):
        window_join(one, one, one, one, one, one, window=-1)


# -- pairs -------------------------------------------------------------------------------------


def test_pairs_of_the_fixture_chain(case_store):
    pairs = list(action_reaction_pairs(case_store))
    assert [(short(p.stimulus), short(p.response), p.lag_min, p.lag_max) for p in pairs] == \
        list(zip(CHAIN, CHAIN[1:], [4, 5, 10, 12], [4, 5, 10, 18]))
    assert [p.direction for p in pairs] == ["escalation", "same", "same", "de-escalation"]


def test_pairs_equal_the_tit_for_tat_query(any_store):
    """The fast path and the named query it stands in for give the same pairs and lags."""
    for window in (0, 7, 14, 60):
        query = {(r["stimulus"], r["response"], r["actor"], r["responder"], r["lag_min_days"], r["lag_max_days"])
                 for r in run_named(any_store, "tit-for-tat", {"window": str(window)}).values()}
        pairs = action_reaction_pairs(any_store, window=window)
        acts = hostile_acts(any_store)
        names = {row["actor"]: row["name"] for row in any_store.select(
            "SELECT ?actor ?name WHERE { ?actor skos:prefLabel ?name ; esc:actorKey ?k }").values()}
        ours = {(p.stimulus, p.response, names[p.actor], names[p.responder], p.lag_min, p.lag_max) for p in pairs}
        assert ours == query and len(pairs) == len(query), window
        assert len(acts) >= len(pairs.acts)


def test_pairs_empty_and_wrong_input():
    assert len(action_reaction_pairs([])) == 0
    with pytest.raises(TypeError):
        action_reaction_pairs(3.5)
    with pytest.raises(TypeError, match="whole number"):
        action_reaction_pairs([], window=1.5)
    with pytest.raises(ValueError, match="0 days or more"):
        action_reaction_pairs([], window=-2)


def test_pairs_never_pair_an_act_with_itself():
    """Regression: an act by both sides against both (a clash) lies in both dyads at once."""
    rows = [("clash", "a", "b", "2024-01-01", "2024-01-01", -10.0), ("clash", "b", "a", "2024-01-01", "2024-01-01", -10.0)]
    assert len(action_reaction_pairs(rows)) == 0


def test_scores_fall_with_lag_and_with_fuzziness():
    rows = [("s", "a", "b", "2024-01-01", "2024-01-01", -5.0), ("r0", "b", "a", "2024-01-01", "2024-01-01", -5.0),
            ("r4", "b", "a", "2024-01-05", "2024-01-05", -5.0), ("rm", "b", "a", "2024-01-01", "2024-01-31", -5.0)]
    pairs = action_reaction_pairs(rows)
    score = dict(zip((short(pairs.acts.acts[pairs.acts.act[r]]) for r in pairs.response), pairs.scores()))
    assert score["r0"] == pytest.approx(1.0)
    assert score["r4"] == pytest.approx(1 - 4 / 15)
    assert 0 < score["rm"] < score["r4"]


# -- chains ------------------------------------------------------------------------------------


def test_chains_of_the_fixture(case_store):
    (chain,) = reaction_chains(case_store)
    assert [short(a) for a in chain.acts] == CHAIN
    assert chain.sides == (NORTH, SOUTH) and (chain.start, chain.end) == (dt.date(2024, 3, 1), dt.date(2024, 4, 7))
    assert reaction_chains(case_store, window=4)[0].acts == (event(CHAIN[0]), event(CHAIN[1]))


def test_chains_do_not_loop_when_wide_dates_overlap(seed_store):
    """Regression: the invasion, the war and the bombardment all span 2022-2023, so each
    can 'answer' the other; chains follow the order of the dates and stay finite."""
    chains = reaction_chains(seed_store)
    assert chains and all(len(set(c.acts)) == len(c.acts) for c in chains)
    assert [len(c) for c in chains] == sorted((len(c) for c in chains), reverse=True)


def test_chains_empty_and_wrong_input():
    assert reaction_chains([]) == []
    with pytest.raises(TypeError):
        reaction_chains(object())


def test_reaction_graph_round_trips_through_graphml(case_store, tmp_path):
    G = reaction_graph(case_store)
    nx.write_graphml(G, tmp_path / "g.graphml")
    again = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(again.edges()) == sorted(G.edges()) and len(G) == 5
    assert again.edges[event("south-drones-tower"), event("north-blockade")]["lag_max_days"] == 18


# -- reciprocity -------------------------------------------------------------------------------


def test_reciprocity_of_the_fixture(case_store):
    north, south = reciprocity(case_store)
    assert (north.actor, north.target, north.stimuli, north.answered) == (NORTH, SOUTH, 3, 2)
    assert (north.lag_median_days, north.escalation_ratio, north.escalated) == (7.0, 1.5, 0.5)
    assert (south.stimuli, south.answered, south.lag_q1_days, south.lag_q3_days) == (2, 2, 7.0, 11.0)
    assert south.escalation_ratio == 0.75  # the blockade (-5) answered a drone strike (-10)
    G = reciprocity_graph([north, south])
    assert G.edges[NORTH, SOUTH]["response_rate"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", range(5))
def test_reciprocity_equals_a_plain_per_dyad_computation(seed):
    """Regression: the vectorised quartiles and means match numpy's, dyad by dyad."""
    rng = random.Random(seed)
    rows = []
    for k in range(300):
        agent, target = rng.sample("abcd", 2)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(200))
        rows.append((f"e{k}", agent, target, day, day + dt.timedelta(days=rng.choice([0, 0, 3, 20])),
                     rng.choice([-10.0, -5.0, -2.0, 0.0])))
    pairs = action_reaction_pairs(rows, window=10)
    a = pairs.acts
    answers: dict[int, tuple[float, int]] = {}
    for s, r, low, high in zip(pairs.stimulus.tolist(), pairs.response.tolist(), pairs.lag_min.tolist(),
                               pairs.lag_max.tolist()):
        lag = (max(low, 0) + min(high, 10)) / 2
        if s not in answers or (lag, r) < answers[s]:
            answers[s] = (lag, r)
    for d in reciprocity(pairs):
        mine = [(lag, s, r) for s, (lag, r) in answers.items()
                if (a.actors[a.agent[s]], a.actors[a.target[s]]) == (d.actor, d.target)]
        assert d.answered == len(mine)
        if mine:
            lags = [lag for lag, _, _ in mine]
            assert [d.lag_q1_days, d.lag_median_days, d.lag_q3_days] == pytest.approx(np.percentile(lags, [25, 50, 75]))
            weights = [(a.goldstein[s], a.goldstein[r]) for _, s, r in mine]
            assert d.escalated == pytest.approx(np.mean([w_r < w_s for w_s, w_r in weights]))
            ratios = [w_r / w_s for w_s, w_r in weights if w_s != 0]
            assert d.escalation_ratio == (pytest.approx(np.mean(ratios)) if ratios else None)


def test_reciprocity_empty_and_wrong_input():
    assert reciprocity([]) == []
    with pytest.raises(DataError):
        reciprocity([("only", "three", "columns")])


# -- say-do ------------------------------------------------------------------------------------


def test_say_do_of_the_fixture(case_store):
    north, south = say_do(case_store)
    assert (north.actor, north.signals, north.share_followed) == (NORTH, 1, 1.0)
    assert (south.actor, south.not_followed) == (SOUTH, (record_iri("statement", "sud-threatens-capital"),))


def test_say_do_equals_signals_before_action(any_store):
    for window in (2, 30):
        table = run_named(any_store, "signals-before-action", {"window": str(window)}).values()
        query = {(r["statement"], r["outcome"] == "followed") for r in table}
        ours = {(s, True) for r in say_do(any_store, window=window) for s in r.followed} | \
            {(s, False) for r in say_do(any_store, window=window) for s in r.not_followed}
        assert ours == query, window


def test_say_do_empty_and_wrong_input():
    assert say_do([], []) == []
    with pytest.raises(TypeError, match="needs the hostile acts"):
        say_do([("w", "a", "2024-01-01", "2024-01-01")])
    with pytest.raises(DataError, match="row 1 has no 'latest'"):
        say_do([{"statement": "w", "actor": "a", "earliest": "2024-01-01"}], [])


# -- deniability -------------------------------------------------------------------------------


def test_deniability_of_the_fixture(case_store):
    (south,) = deniability(case_store)
    assert south.actor == SOUTH
    assert (len(south.attributed), south.claimed, south.denied, south.share_claimed) == \
        (2, (event("south-drones-tower"),), (event("tower-struck-again"),), 0.5)


def test_deniability_seed_kyiv_claimed_nothing_it_was_blamed_for(seed_store):
    (kyiv,) = deniability(seed_store)
    assert kyiv.actor == record_iri("actor", "ukraine")
    assert (kyiv.share_claimed, len(kyiv.attributed), len(kyiv.acknowledged)) == (0.0, 3, 2)


def test_deniability_unclaimed_equals_the_unclaimed_attacks_query(any_store):
    query = {(r["act"], r["attributed_to"]) for r in run_named(any_store, "unclaimed-attacks").values()}
    names = {row["a"]: row["n"] for row in any_store.select("SELECT ?a ?n WHERE { ?a skos:prefLabel ?n }").values()}
    assert {(act, names[d.actor]) for d in deniability(any_store) for act in d.unclaimed} == query


def test_deniability_empty_and_wrong_input():
    assert deniability([]) == []
    with pytest.raises(DataError, match="has no 'kind'"):
        deniability([{"act": "e", "accused": "a", "statement": None}])


# -- inferred links ----------------------------------------------------------------------------

_LINKS = "SELECT ?g ?r ?s ?lo ?hi ?score ?method WHERE { GRAPH ?g { ?l a esc:ResponseLink ; esc:response ?r ; " \
         "esc:stimulus ?s ; esc:lagMinDays ?lo ; esc:lagMaxDays ?hi ; esc:score ?score ; esc:method ?method } }"


def test_infer_links_go_to_the_inferred_graph_only(writable_store):
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    before = writable_store.select(per_graph).values()
    asserted = run_named(writable_store, "explicit-responses").rows
    written = infer_response_links(writable_store, window=14)
    links = writable_store.select(_LINKS).values()
    assert len(links) == len(written) == 4
    assert {row["g"] for row in links} == {INFERRED_GRAPH}
    assert {(short(row["s"]), short(row["r"]), row["lo"], row["hi"]) for row in links} == \
        set(zip(CHAIN, CHAIN[1:], [4, 5, 10, 12], [4, 5, 10, 18]))
    assert all(0 < row["score"] <= 1 and row["method"] == "reversed-dyad window 14 days" for row in links)
    # asserted facts untouched: one esc:respondsTo, the same explicit responses, the same link column
    assert writable_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a esc:respondsTo ?b }").values() == [{"n": 1}]
    assert run_named(writable_store, "explicit-responses").rows == asserted
    assert [r["link"] for r in run_named(writable_store, "tit-for-tat").values()].count("asserted") == 1
    assert [row for row in writable_store.select(per_graph).values() if row["g"] != INFERRED_GRAPH] == before
    infer_response_links(writable_store, window=4)  # replaces, never adds to, the earlier links
    assert len(writable_store.select(_LINKS)) == 1


def test_infer_links_wrong_input():
    with pytest.raises(TypeError, match="writes into a store"):
        infer_response_links([("e1", "a", "b", "2024-01-01", "2024-01-01", -5.0)])


def test_infer_links_on_an_empty_store_write_nothing():
    store = EmbeddedStore(None)
    assert len(infer_response_links(store)) == 0 and len(store) == 0


# -- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "columns"), [
    ("chains", ["chain", "length", "position", "act", "label", "agent", "target", "earliest", "latest", "goldstein",
                "lag_min_days", "lag_max_days", "source", "evidence"]),
    ("reciprocity", ["actor", "target", "stimuli", "answered", "response_rate", "lag_q1_days", "lag_median_days",
                     "lag_q3_days", "escalation_ratio", "escalated", "source", "evidence"]),
    ("say-do", ["actor", "signals", "followed", "not_followed", "share_followed", "not_followed_signals", "source",
                "evidence"]),
    ("deniability", ["actor", "attributed", "claimed", "acknowledged", "denied", "declined", "share_claimed",
                     "unclaimed_acts", "source", "evidence"]),
])
def test_analyse_commands_print_rows_with_provenance(case_path, command, columns):
    result = cli("analyse", command, "--format", "json", "--store", case_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and list(rows[0]) == columns
    assert all(r["source"] == "Test ledger: the Northland-Southland exchange" and r["evidence"] for r in rows)
    assert cli("analyse", command, "--format", "csv", "--store", case_path).stdout.startswith(",".join(columns))


def test_analyse_chains_readable_and_filtered(case_path):
    table = cli("analyse", "chains", "--store", case_path).stdout
    assert "Southport" in table and "5 row(s)" in table
    assert cli("analyse", "chains", "--actor", "Eastland", "--format", "json", "--store", case_path).stdout.strip() == "[]"


def test_analyse_say_do_names_the_bluff(case_path):
    rows = json.loads(cli("analyse", "say-do", "--format", "json", "--store", case_path).stdout)
    assert [(r["actor"], r["share_followed"], r["not_followed_signals"]) for r in rows] == \
        [("Northland", 1.0, ""), ("Southland", 0.0, "Next time we will hit the capital itself.")]


@pytest.mark.parametrize("command", ["chains", "reciprocity"])
def test_analyse_writes_graphml_and_gexf_gephi_reads(case_path, tmp_path, command):
    graphml, gexf = tmp_path / "g.graphml", tmp_path / "g.gexf"
    result = cli("analyse", command, "--graphml", graphml, "--gexf", gexf, "--format", "csv", "--store", case_path)
    assert result.exit_code == 0, result.output
    for G in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert G.number_of_edges() == (4 if command == "chains" else 2)
        assert {d["label"] for _, d in G.nodes(data=True)} >= ({"Northland", "Southland"} if command == "reciprocity"
                                                               else {"Northland drones strike Southport"})


def test_analyse_infer_links_then_sparql_sees_them(writable_store):
    result = cli("analyse", "infer-links", "--format", "json", "--store", writable_store.path)
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.stdout)
    assert (summary["links"], summary["graph"]) == (4, INFERRED_GRAPH)
    found = json.loads(cli("sparql", "SELECT ?l WHERE { ?l a esc:ResponseLink ; esc:score ?s }", "--format", "json",
                           "--store", writable_store.path).stdout)
    assert len(found["results"]["bindings"]) == 4


@pytest.mark.parametrize(("args", "message"), [
    (["analyse", "chains", "--window", "-1"], "-1 is not in the range x>=0"),
    (["analyse", "reciprocity", "--actor", "Atlantis"], "no actor is called 'Atlantis'"),
    (["analyse", "sideways"], "No such command 'sideways'"),
])
def test_analyse_usage_errors(case_path, args, message):
    result = cli(*args, "--store", case_path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_analyse_help_has_examples():
    group = main.commands["analyse"]
    for name, command in group.commands.items():
        assert "Example" in command.help, name
        assert cli("analyse", name, "--help").exit_code == 0
