"""Importers for event datasets: GDELT event exports and ACLED CSV exports.

Importers know their input format and nothing about RDF: they read a file lazily, row by
row, into typed records (:mod:`graph.records`) that the one mapper turns into quads.
Each file becomes one named graph, written atomically and replaced whole when the same
file is imported again; actors are reconciled with the curated ones through
``ontology/vocab/actor-codes.csv`` (:mod:`graph.importers.reconcile`).

- :func:`import_gdelt` -- GDELT 1.0 and 2.0 event exports (:mod:`graph.importers.gdelt`);
- :func:`import_acled` -- ACLED CSV exports (:mod:`graph.importers.acled`).
"""

from graph.importers.acled import import_acled
from graph.importers.common import BadRow, ImportReport
from graph.importers.gdelt import import_gdelt

__all__ = ["BadRow", "ImportReport", "import_acled", "import_gdelt"]
