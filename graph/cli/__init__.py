"""The ``escgraph`` command line: a thin layer over the library, one module per subject.

Run ``escgraph --help`` for the tour; every command's help ends with an example.
"""

from __future__ import annotations

import click

from graph import __version__
from graph.cli import analyse as analyse_cli
from graph.cli import core
from graph.cli import extract as extract_cli
from graph.cli import importers as importers_cli
from graph.cli import serve as serve_cli
from graph.cli import view as view_cli
from graph.cli.common import EscgraphGroup

__all__ = ["main"]


@click.group(cls=EscgraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="escgraph")
def main() -> None:
    """escalation-graph: how adversaries signal and answer each other, as a knowledge graph.

    Actors, their statements and their actions become one RDF graph (embedded on disk,
    or on a SPARQL server) that answers tit-for-tat questions. Exit codes: 0 success,
    1 invalid data or a failed check, 2 usage or unreadable input.

    \b
    Start here:
      escgraph demo                      build the seed case, answer the questions, write views
      escgraph query --list              the analyst questions this graph answers
      escgraph query who-said -p actor=Kyiv
    """


for command in (core.build, core.validate, core.stats, core.query, core.sparql, core.export, core.demo,
                extract_cli.extract, extract_cli.score, serve_cli.serve, view_cli.view, importers_cli.import_group, analyse_cli.analyse):
    main.add_command(command)
