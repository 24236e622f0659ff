"""The store's act index gives the analyses exactly the hostile acts SPARQL gives.

Each test compares :func:`graph.analytics.hostile_acts` on a store (which reads the act
index) with the same function on a view of that store offering SPARQL only (which runs
``HOSTILE_ACTS_QUERY``), and checks the index was used where it should be.
"""

from __future__ import annotations

import numpy as np
import pyoxigraph as ox
import pytest

from graph.act_index import ActFacts, hostile_rows
from graph.analytics import action_reaction_pairs, hostile_acts
from graph.importers import import_acled, import_gdelt
from graph.namespaces import ESC, PREFIXES, graph_iri, record_iri, vocab_iri
from graph.pipeline import build
from graph.store import EmbeddedStore

from conftest import SEED_CASE

XSD_DATE = ox.NamedNode(PREFIXES["xsd"] + "date")


class SparqlOnly:
    """A store seen through its SPARQL interface alone, as a remote store is."""

    def __init__(self, store):
        self.select, self.replace_graphs = store.select, store.replace_graphs


def rows(acts):
    return sorted(zip((acts.acts[i] for i in acts.act), (acts.actors[i] for i in acts.agent),
                      (acts.actors[i] for i in acts.target), acts.earliest.tolist(), acts.latest.tolist(),
                      acts.goldstein.tolist()))


def assert_same_acts(store):
    from_index, from_sparql = rows(hostile_acts(store)), rows(hostile_acts(SparqlOnly(store)))
    assert from_index == from_sparql
    return from_index


def act(key, graph, *, agent="north", target="south", code="190", earliest="2024-03-01", latest=None):
    subject, g = ox.NamedNode(record_iri("event", key)), ox.NamedNode(graph_iri(graph))
    facts = [(ESC.agent, agent and ox.NamedNode(record_iri("actor", agent))),
             (ESC.target, target and ox.NamedNode(record_iri("actor", target))),
             (ESC.cameoCode, code and ox.NamedNode(vocab_iri("cameo", code))),
             (ESC.earliest, earliest and ox.Literal(earliest, datatype=XSD_DATE)),
             (ESC.latest, (latest or earliest) and ox.Literal(latest or earliest, datatype=XSD_DATE))]
    return [ox.Quad(subject, ox.NamedNode(str(p)), o, g) for p, o in facts if o is not None]


def index_rows(store):
    weights = {row[0].value: float(row[1].value) for row in store.select(
        "SELECT ?c ?g WHERE { ?c esc:quadClass 4 ; esc:goldstein ?g }").rows}
    return hostile_rows(store.act_index(), weights)


def test_seed_case_acts_come_from_the_index(seed_store):
    assert seed_store.act_index() is not None
    assert index_rows(seed_store).acts, "the seed's hostile acts should be in the index"
    assert len(assert_same_acts(seed_store)) > 5


def test_imported_samples_give_the_same_acts_and_pairs(tmp_path, shared_dir):
    store = EmbeddedStore(tmp_path / "store")
    build(store, [SEED_CASE])
    import_gdelt(store, shared_dir / "realdata" / "gdelt2_events_20191024143000.export.CSV")
    import_acled(store, shared_dir / "realdata" / "acled_2022_ukraine_russia_sample.csv")
    found = assert_same_acts(store)
    assert len(found) > 100
    assert list(action_reaction_pairs(store)) == list(action_reaction_pairs(SparqlOnly(store)))


def test_acts_spread_over_graphs_are_joined_by_the_store(mini_store):
    quads = (act("whole", "g1")
             # The agent in one graph, the rest in another.
             + act("split", "g1", agent=None) + act("split", "g2", target=None, code=None, earliest=None)
             # Complete twice, with other days: the union holds both dates.
             + act("twice", "g1") + act("twice", "g2", earliest="2024-02-28", latest="2024-03-02")
             # Incomplete everywhere: no row.
             + act("no-target", "g1", target=None))
    mini_store.replace_graphs([graph_iri("g1"), graph_iri("g2")], quads)
    found = assert_same_acts(mini_store)
    keys = {row[0].rsplit("/", 1)[-1] for row in found}
    assert {"whole", "split", "twice"} <= keys and "no-target" not in keys
    assert len([row for row in found if row[0].endswith("/twice")]) == 4  # 2 earliest x 2 latest
    index = index_rows(mini_store)
    assert record_iri("event", "whole") in index.acts
    assert {record_iri("event", "split"), record_iri("event", "twice")} <= set(index.ask_store)


def test_acts_with_two_agents_are_joined_by_the_store(mini_store):
    quads = act("pair", "g1") + act("pair", "g1", agent="west")
    mini_store.replace_graphs([graph_iri("g1")], quads)
    found = assert_same_acts(mini_store)
    assert {row[1].rsplit("/", 1)[-1] for row in found if row[0].endswith("/pair")} == {"north", "west"}


@pytest.mark.parametrize("odd", ["blank node", "date and time"])
def test_facts_the_index_cannot_hold_send_the_analyses_to_sparql(mini_store, odd):
    quads = act("plain", "g1")
    if odd == "blank node":
        quads += [ox.Quad(ox.BlankNode("b1"), q.predicate, q.object, q.graph_name) for q in act("x", "g1")]
    else:
        quads += act("timed", "g1", earliest="2024-03-01T10:00:00")
    mini_store.replace_graphs([graph_iri("g1")], quads)
    assert index_rows(mini_store) is None
    assert_same_acts(mini_store)


def test_replacing_a_graph_replaces_its_acts(mini_store):
    mini_store.replace_graphs([graph_iri("g1")], act("first", "g1") + act("kept", "g2"))
    mini_store.replace_graphs([graph_iri("g1")], act("second", "g1"))
    keys = {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}
    assert {"second", "kept"} <= keys and "first" not in keys


def test_adding_to_a_graph_keeps_its_earlier_acts(mini_store):
    mini_store.replace_graphs([], act("first", "shared"))
    mini_store.replace_graphs([], act("second", "shared"))
    keys = {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}
    assert {"first", "second"} <= keys


def test_a_write_without_index_is_read_by_sparql_and_reindexed_by_the_next(mini_store):
    with mini_store.writing() as writer:
        writer.extend(act("raw", "g1"))
    assert mini_store.act_index() is None
    assert "raw" in {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}
    mini_store.replace_graphs([graph_iri("g2")], act("later", "g2"))
    assert mini_store.act_index() is not None
    keys = {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}
    assert {"raw", "later"} <= keys


def test_a_damaged_index_file_falls_back_to_sparql(mini_store):
    mini_store.replace_graphs([graph_iri("g1")], act("whole", "g1"))
    folder = mini_store.act_index()
    victim = next(folder.iterdir())
    data = victim.read_bytes()
    victim.unlink()  # a hard link shared with the previous generation: replace, never write through
    victim.write_bytes(data[: len(data) // 2])
    assert index_rows(mini_store) is None
    assert "whole" in {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}


def test_a_killed_write_leaves_the_index_of_the_generation_before(mini_store):
    mini_store.replace_graphs([graph_iri("g1")], act("before", "g1"))

    def failing():
        yield from act("after", "g1")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        mini_store.replace_graphs([graph_iri("g1")], failing())
    keys = {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}
    assert "before" in keys and "after" not in keys


def test_watch_passes_every_quad_through_unchanged():
    quads = act("e1", "g1") + [ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                                       ox.Literal("o"), ox.NamedNode(graph_iri("g1")))]
    facts = ActFacts()
    assert list(facts.watch(quads)) == quads
    assert list(facts.graphs) == [graph_iri("g1")]



def test_an_index_collected_while_read_falls_back_to_sparql(mini_store, tmp_path, monkeypatch):
    # A reader of an old generation whose folder later writes have collected.
    mini_store.replace_graphs([graph_iri("g1")], act("whole", "g1"))
    monkeypatch.setattr(mini_store, "act_index", lambda: tmp_path / "collected")
    assert "whole" in {row[0].rsplit("/", 1)[-1] for row in assert_same_acts(mini_store)}


def test_building_and_importing_twice_leave_the_same_index(tmp_path, shared_dir):
    store = EmbeddedStore(tmp_path / "store")
    export = shared_dir / "realdata" / "gdelt2_events_20191024143000.export.CSV"

    def index_files():
        # Arrays, not bytes: the zip members carry the time they were written.
        found = {}
        for entry in store.act_index().iterdir():
            with np.load(entry) as data:
                found[entry.name] = {name: data[name].tolist() for name in data.files}
        return found

    build(store, [SEED_CASE])
    import_gdelt(store, export)
    first = index_files()
    build(store, [SEED_CASE])
    import_gdelt(store, export)
    assert index_files() == first
    assert len(first) >= 2  # the seed's source graph and the GDELT file's graph hold acts
