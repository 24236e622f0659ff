"""SHACL shapes: which shape fires on which node, for data that arrives as Turtle."""

from __future__ import annotations

import rdflib

from graph.validation import graph_violations

from conftest import FIXTURES


def test_each_broken_node_fires_its_shape():
    data = rdflib.Graph().parse(FIXTURES / "shapes" / "invalid.ttl", format="turtle")
    fired = {(f"{v.kind}/{v.key}", v.message) for v in graph_violations(data)}
    assert fired == {
        ("event/reversed", "The earliest day is after the latest day; swap them or fix the date."),
        ("event/early", "This act is said to respond to an act that starts after it; a response cannot precede its stimulus."),
        ("event/untyped", "Every event needs exactly one event type from the code list."),
        ("event/badday", "Give the act exactly one earliest day (a valid xsd:date)."),
        ("statement/mute", "Every statement needs exactly one speaker, a defined actor."),
        ("statement/mute", "A statement needs the speaker's words: a quote or a paraphrase."),
        ("event/ghost", "The agent of an event must be a defined actor."),
    }


def test_valid_turtle_has_no_violations(mini_store):
    import io

    import pyoxigraph as ox

    out = io.BytesIO()
    mini_store.dump(out, ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="nt")
    assert len(data) > 100
    assert graph_violations(data) == []
