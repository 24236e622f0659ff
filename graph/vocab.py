"""The code lists in ``ontology/vocab``: event types, speech-act kinds, stances, precisions, CAMEO.

Read once per process from the Turtle files, so a concept added there is known to the
loader, the mapper and the query parameters without touching code.

Examples
--------
>>> codes = code_lists()
>>> codes.event_types["drone-strike"]
'195'
>>> codes.speech_acts["denial"]
'016'
>>> "distance" in codes.stances
True
>>> codes.cameo["195"]
(-10.0, 4)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox

from graph.namespaces import ESC, VOCAB
from graph.resources import ontology_dir

__all__ = ["CodeLists", "code_lists", "vocab_files"]

SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class CodeLists:
    """Keys of each code list; event types and speech acts map to their CAMEO code
    (``None`` for the catch-all ``coded-event``); ``cameo`` maps a code to
    (Goldstein weight, QuadClass)."""

    event_types: dict[str, str | None]
    speech_acts: dict[str, str | None]
    stances: frozenset[str]
    precisions: frozenset[str]
    cameo: dict[str, tuple[float, int]]


def vocab_files() -> list:
    """The Turtle files of the code lists, sorted."""
    return sorted((ontology_dir() / "vocab").glob("*.ttl"))


@functools.cache
def code_lists() -> CodeLists:
    """Parse the code lists once and return their keys."""
    store = ox.Store()
    for path in vocab_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)

    def scheme(name: str) -> dict[str, str | None]:
        rows = store.query(
            f"""SELECT ?key ?code WHERE {{
                  ?c <{SKOS}inScheme> <{VOCAB}{name}> ; <{SKOS}notation> ?key .
                  OPTIONAL {{ ?c <{ESC.cameoCode}>/<{SKOS}notation> ?code }} }}"""
        )
        return {r["key"].value: (r["code"].value if r["code"] else None) for r in rows}

    cameo = {
        r["code"].value: (float(r["w"].value), int(r["q"].value))
        for r in store.query(
            f"""SELECT ?code ?w ?q WHERE {{ ?c <{SKOS}inScheme> <{VOCAB}cameo> ;
                  <{SKOS}notation> ?code ; <{ESC.goldstein}> ?w ; <{ESC.quadClass}> ?q }}"""
        )
    }
    return CodeLists(
        event_types=scheme("event-type"),
        speech_acts=scheme("speech-act"),
        stances=frozenset(scheme("stance")),
        precisions=frozenset(scheme("date-precision")),
        cameo=cameo,
    )
