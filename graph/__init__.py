"""escalation-graph: a knowledge graph of how adversaries signal and answer each other.

The pipeline, one module per stage:

- :mod:`graph.records` -- the typed records (actors, places, events, statements, sources);
- :mod:`graph.curated` -- reads the analyst-written YAML cases into records;
- :mod:`graph.mapper` -- the one place that turns records into RDF quads;
- :mod:`graph.validation` -- SHACL checks with errors pointing at file and line;
- :mod:`graph.store` -- where the quads live (embedded Oxigraph on disk, or remote SPARQL);
- :mod:`graph.queries` -- the named SPARQL queries in ``ontology/queries``;
- :mod:`graph.pipeline` -- build, stats and export, composed from the stages above;
- :mod:`graph.cli` -- the ``escgraph`` command line over all of it.

Examples
--------
>>> from graph import records
>>> records.FuzzyDate.parse("2023-08-04").precision
'day'
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
