"""``escgraph view``: write an interactive view (graph, dyad timeline, event focus) as HTML."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console

from graph.cli.common import Day, store_option
from graph.views import VIEW_KINDS, write_view

__all__ = ["view"]


@click.command()
@click.option("--kind", type=click.Choice(VIEW_KINDS),
              help="graph: actors, acts and sources; timeline: a dyad's acts over time; focus: one event's "
                   "neighbourhood [default: focus with --focus, else graph].")
@click.option("--dyad", nargs=2, metavar="A B",
              help="Two actors by id, name or alias: the timeline's lanes, the graph's colours "
                   "[default: the two states with the most hostile events between them].")
@click.option("--focus", "focus_event", metavar="ID",
              help="The event of the focus view, by id [default: the latest reprisal].")
@click.option("--from", "start", type=Day(), help="Only acts whose date meets this day (YYYY-MM-DD) or later.")
@click.option("--to", "end", type=Day(), help="Only acts whose date meets this day (YYYY-MM-DD) or earlier.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write [default: view-KIND.html].")
@store_option
def view(kind: str | None, dyad: tuple[str, str] | None, focus_event: str | None, start: dt.date | None,
         end: dt.date | None, output_path: Path | None, store) -> None:
    """Write an interactive view of the graph as one self-contained HTML file.

    Open it in any browser: it needs no server and makes no network request. Hover over
    a node for its quote, dates and source; click it to keep the details; the graph view
    filters by actor (with those who act for it), kind and date range.

    \b
    Examples:
      escgraph view -o graph.html
      escgraph view --kind timeline --dyad Kyiv Moscow --from 2023-06-01
      escgraph view --focus moscow-skyscraper-strike-2023-08-01 -o focus.html
    """
    kind = kind or ("focus" if focus_event else "graph")
    path = output_path or Path(f"view-{kind}.html")
    console = Console(stderr=True, quiet=not sys.stderr.isatty())
    with console.status(f"writing the {kind} view…"):
        written = write_view(store, path, kind=kind, dyad=dyad, focus=focus_event, start=start, end=end)
    click.echo(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB); open it in a browser", err=True)
