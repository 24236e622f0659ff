"""Store → networkx projection (graph.projection) and what the views read from it (graph.views.model)."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from graph.errors import InputError
from graph.namespaces import DATA, ESC, INFERRED_GRAPH, record_iri
from graph.projection import EDGE_PREDICATES, INFERRED_KEY, local_name, project
from graph.store import EmbeddedStore
from graph.views.model import (
    actors_covered,
    dyad_sides,
    in_window,
    involved_actors,
    is_official,
    main_dyad,
    safe_link,
    tooltip,
    within_dates,
)

from views_support import NORTH, REPRISAL, SOUTH, STRIKE, inferred_link


def test_empty_store_projects_to_an_empty_graph():
    G = project(EmbeddedStore(None))
    assert isinstance(G, nx.MultiDiGraph) and len(G) == 0


def test_nodes_are_iris_and_literals_are_attributes(mini_store):
    G = project(mini_store)
    assert all(node.startswith(DATA) for node in G)
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"actor", "event", "statement", "source"} <= kinds
    strike = G.nodes[STRIKE]
    assert strike["label"] == "Northland drones strike Southport"
    assert strike["earliest"] == dt.date(2024, 3, 4)
    assert strike["goldstein"] == -10.0 and strike["quad_class"] == 4
    assert G.nodes[NORTH]["aliases"] == ["Norburg"]
    assert G.nodes[record_iri("statement", "north-warning")]["speech_act"] == "warning"


def test_every_edge_records_its_predicate_and_source_graph(mini_store):
    G = project(mini_store)
    assert G.number_of_edges() > 0
    for _, _, key, data in G.edges(keys=True, data=True):
        assert data["predicate"] in {str(p) for p in EDGE_PREDICATES}
        assert key in (local_name(data["predicate"]), INFERRED_KEY)
        assert data["graphs"]
    assert G.edges[STRIKE, NORTH, "agent"]["graphs"] == [DATA + "graph/wire-2024-03-10"]


def test_only_the_listed_predicates_become_edges(mini_store):
    G = project(mini_store, predicates=[ESC.agent, ESC.target])
    assert {key for *_, key in G.edges(keys=True)} == {"agent", "target"}


def test_asserted_response_link_names_the_statement_that_makes_it(mini_store):
    edge = project(mini_store).edges[REPRISAL, STRIKE, "respondsTo"]
    assert edge["asserted_by"] == [record_iri("statement", "south-links-reprisal")]
    assert not edge.get("inferred")


def test_inferred_response_link_is_its_own_edge_with_method_and_score(mini_store):
    mini_store.replace_graphs([INFERRED_GRAPH], inferred_link(REPRISAL, STRIKE))
    G = project(mini_store)
    inferred = G.edges[REPRISAL, STRIKE, INFERRED_KEY]
    assert inferred["inferred"] is True
    assert inferred["method"] == "reversed-dyad window 14 days"
    assert inferred["score"] == 0.8 and (inferred["lag_min"], inferred["lag_max"]) == (2, 4)
    assert G.edges[REPRISAL, STRIKE, "respondsTo"]["asserted_by"]


def test_places_and_response_links_are_not_nodes(mini_store):
    # Regression: places and response links carry esc:source, which once made them nodes.
    G = project(mini_store)
    assert not [n for n in G if "/place/" in n and G.out_degree(n)]
    assert not [n for n in G if "/link/" in n]


def test_main_dyad_and_sides_follow_acts_for(mini_store):
    G = project(mini_store)
    assert set(main_dyad(G)) == {NORTH, SOUTH}
    sides = dyad_sides(G, (NORTH, SOUTH))
    assert sides.side(record_iri("actor", "north-spokesman")) == "first"
    assert sides.side(record_iri("actor", "thirdland")) == "third"
    assert sides.side(record_iri("statement", "south-links-reprisal")) == "second"
    assert sides.names["first"] == "Northland side"
    assert actors_covered(G, NORTH) == sorted([NORTH, record_iri("actor", "north-ministry"),
                                               record_iri("actor", "north-spokesman")])


def test_dyad_of_one_actor_twice_is_refused(mini_store):
    with pytest.raises(InputError, match="two different actors"):
        dyad_sides(project(mini_store), (NORTH, NORTH))


def test_graph_without_hostile_events_has_no_dyad():
    G = nx.MultiDiGraph()
    G.add_node("a", kind="actor", type="State")
    assert main_dyad(G) is None and dyad_sides(G).first is None


@pytest.mark.parametrize(("start", "end", "inside"), [
    (None, None, True),
    (dt.date(2024, 3, 8), None, True),   # the range's last day meets the window
    (dt.date(2024, 3, 9), None, False),
    (None, dt.date(2024, 3, 5), False),
    (None, dt.date(2024, 3, 6), True),
])
def test_fuzzy_dates_meet_a_window_by_overlap(start, end, inside):
    reprisal = {"earliest": dt.date(2024, 3, 6), "latest": dt.date(2024, 3, 8)}
    assert in_window(reprisal, start, end) is inside


def test_within_dates_keeps_acts_in_window_and_the_actors_they_touch(mini_store):
    G = project(mini_store)
    part = within_dates(G, dt.date(2024, 3, 6), None)
    assert REPRISAL in part and STRIKE not in part
    assert NORTH in part and SOUTH in part
    assert record_iri("statement", "north-warning") not in part
    assert within_dates(G, None, None) is G
    with pytest.raises(InputError, match="after"):
        within_dates(G, dt.date(2024, 3, 9), dt.date(2024, 3, 1))


def test_involved_actors_and_officials(mini_store):
    G = project(mini_store)
    assert involved_actors(G, STRIKE) == sorted([NORTH, SOUTH])
    assert is_official(G, record_iri("actor", "north-spokesman"))
    assert not is_official(G, record_iri("actor", "wire"))


@pytest.mark.parametrize(("url", "link"), [
    ("https://example.org/a", "https://example.org/a"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("//example.org/x", None),
    (None, None),
])
def test_only_http_links_are_followable(url, link):
    assert safe_link(url) == link


def test_tooltip_has_quote_dates_source_and_link(mini_store):
    G = project(mini_store)
    text = tooltip(G, record_iri("statement", "south-links-reprisal"))
    assert "“This is our answer to Monday's attack.”" in text
    assert "When: 2024-03-08" in text
    assert "Source: Test wire: strikes and reprisals (2024-03-10)" in text
    assert "Link: https://example.org/wire/2024-03-10" in text
    assert "When: later that week (2024-03-06 – 2024-03-08)" in tooltip(G, REPRISAL)
