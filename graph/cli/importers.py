"""``escgraph import gdelt|acled FILE...``: event datasets into the store, one named graph per file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from graph.cli.common import one_line, store_option
from graph.importers import BadRow, ImportReport, import_acled, import_gdelt
from graph.importers.reconcile import table_path

__all__ = ["import_group"]

FILES = click.argument("files", nargs=-1, required=True,
                       type=click.Path(exists=True, dir_okay=False, path_type=Path))
STRICT = click.option("--strict", is_flag=True,
                      help="Stop at the first bad row (exit 1); the store is left as it was before that file.")
_SHOWN_UNKNOWN = 20  # unknown actors named at the end of a file; the rest are counted


@click.group("import")
def import_group() -> None:
    """Import event datasets (GDELT, ACLED) an analyst downloads into the store.

    Each file becomes one named graph (its source), written all or nothing; importing
    the same file again replaces that graph and adds nothing. Bad rows are reported as
    FILE:LINE: reason and skipped (or, with --strict, stop the import). Actors are
    reconciled with the curated ones (GDELT's RUS is the curated russia) through
    ontology/vocab/actor-codes.csv; actors it does not know are created and listed.

    \b
    Example:
      escgraph import gdelt 20191024143000.export.CSV.zip --store ./store
      escgraph import acled 2022-ukraine.csv --store ./store
    """


@import_group.command("gdelt")
@FILES
@STRICT
@store_option
def gdelt(files: tuple[Path, ...], strict: bool, store) -> None:
    """Import GDELT event exports: 2.0 (15-minute *.export.CSV, 61 columns) or 1.0 (daily
    *.export.CSV, 57/58 columns), plain or zipped as GDELT serves them.

    Each row becomes an event keyed by its GLOBALEVENTID with Actor1 as agent and Actor2
    as target, its CAMEO EventCode (Goldstein weight and QuadClass come with the code),
    NumMentions, AvgTone, SOURCEURL, the day of SQLDATE and the ActionGeo place.

    \b
    Example:
      escgraph import gdelt 20191024143000.export.CSV.zip 20191024144500.export.CSV.zip --store ./store
      escgraph query tit-for-tat -p a=Russia -p b=Ukraine --store ./store
    """
    _import_files(import_gdelt, files, strict, store)


@import_group.command("acled")
@FILES
@STRICT
@store_option
def acled(files: tuple[Path, ...], strict: bool, store) -> None:
    """Import ACLED CSV exports (with their header row; plain or zipped).

    Each row becomes an event keyed by event_id_cnty: actor1 and its associated actors as
    agents, actor2 and its associated actors as targets, the sub-event type as one of the
    project's event types (and through it a CAMEO code), fatalities, the notes as
    evidence, the time precision as a fuzzy date and the geo precision as the place.

    \b
    Example:
      escgraph import acled 2022-01-01-2022-06-30-Ukraine.csv --store ./store
      escgraph query timeline -p actor=Russia --store ./store
    """
    _import_files(import_acled, files, strict, store)


def _import_files(importer: Callable[..., ImportReport], files: tuple[Path, ...], strict: bool, store) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    totals = [0, 0, 0]

    def report_bad_row(bad: BadRow) -> None:
        click.echo(f"escgraph: bad row: {one_line(str(bad))}", err=True)

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=console, disable=not console.is_terminal, transient=True) as progress:
        for path in files:
            task = progress.add_task(path.name, total=None)

            def advance(done: int, total: int, task=task) -> None:
                progress.update(task, completed=done, total=total)

            report = importer(store, path, strict=strict, on_bad_row=report_bad_row, on_progress=advance)
            progress.remove_task(task)
            click.echo(one_line(report.summary()))
            _echo_unknown(report)
            totals = [totals[0] + report.rows_read, totals[1] + report.rows_imported,
                      totals[2] + report.rows_skipped]
    if len(files) > 1:
        click.echo(f"{len(files)} files: {totals[0]} rows read, {totals[1]} imported, {totals[2]} skipped")


def _echo_unknown(report: ImportReport) -> None:
    unknown = report.unknown_actors
    if not unknown:
        return
    shown = ", ".join(f'{key} "{one_line(label)}"' for key, label in list(unknown.items())[:_SHOWN_UNKNOWN])
    more = f" and {len(unknown) - _SHOWN_UNKNOWN} more" if len(unknown) > _SHOWN_UNKNOWN else ""
    click.echo(f"{len(unknown)} unknown actors created (add them to {table_path().name} or to a curated "
               f"case's codes to reconcile them): {shown}{more}")
