"""Helpers shared by the views tests (``tests/test_views*.py``)."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from graph.mapper import inferred_link_quads
from graph.namespaces import record_iri

__all__ = ["NORTH", "REPRISAL", "SOUTH", "STRIKE", "inferred_link", "page_data"]

STRIKE = record_iri("event", "north-strike")
REPRISAL = record_iri("event", "south-reprisal")
NORTH, SOUTH = record_iri("actor", "northland"), record_iri("actor", "southland")


def inferred_link(response: str, stimulus: str) -> list[ox.Quad]:
    """The quads of one inferred response link, as ``escgraph analyse infer-links`` writes it."""
    return inferred_link_quads(response, stimulus, lag_min=2, lag_max=4, score=0.8,
                               method="reversed-dyad window 14 days")


def page_data(html: str) -> dict:
    """The JSON a view page's script draws from."""
    match = re.search(r'<script type="application/json" id="escgraph-data">(.*?)</script>', html, re.DOTALL)
    assert match, "the page has no data block"
    return json.loads(match.group(1))
