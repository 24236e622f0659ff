"""Where the packaged ontology, queries and curated data are.

In a source checkout they sit beside the package (``ontology/``, ``data/``); in an
installed wheel they are copied into ``graph/_share``.

Examples
--------
>>> (ontology_dir() / "escalation.ttl").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "ontology_dir", "queries_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_share" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the packaged '{name}' folder is missing; reinstall escalation-graph")


def ontology_dir() -> Path:
    """The folder with ``escalation.ttl``, ``shapes.ttl``, ``vocab/`` and ``queries/``."""
    return _find("ontology")


def queries_dir() -> Path:
    """The folder of named queries (``*.rq``)."""
    return ontology_dir() / "queries"


def data_dir() -> Path:
    """The folder of curated cases, one sub-folder per case."""
    return _find("data")
