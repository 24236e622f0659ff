"""What every command shares: the ``--store`` and output options, rendering rows, and
turning project errors into one-line messages and exit codes (in exactly one place)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import click
import pyoxigraph as ox

from graph.curated import ValidationFailed
from graph.errors import EscgraphError
from graph.namespaces import DATA, VOCAB
from graph.store import Table, open_store, python_value

__all__ = ["Day", "EscgraphGroup", "one_line", "output_options", "render_rows", "render_table", "store_option"]

FORMATS = ("table", "csv", "json")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes: an error
    that quotes hostile data stays on one line and cannot drive the terminal.

    Examples
    --------
    >>> print(one_line("unknown section 'a\\nescgraph: error: forged\\x1b[2J'"))
    unknown section 'a\\nescgraph: error: forged\\x1b[2J'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class EscgraphGroup(click.Group):
    """A click group that reports project errors on one line each, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        # rdflib logs a traceback for every ill-typed literal it converts ("2024-13-45"^^xsd:date);
        # the SHACL shapes report each such value as a one-line error already.
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            for error in exc.errors:
                click.echo(f"escgraph: error: {one_line(str(error))}", err=True)
            click.echo(f"escgraph: {len(exc.errors)} error(s); nothing was written", err=True)
            ctx.exit(exc.exit_code)
        except EscgraphError as exc:
            click.echo(f"escgraph: error: {one_line(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


class Day(click.DateTime):
    """A day written YYYY-MM-DD, passed on as a ``datetime.date``; anything else (an
    impossible day too) is a usage error that says how to write it."""

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return super().convert(value, param, ctx).date()
        except click.BadParameter:
            self.fail(f"'{value}' is not a day written YYYY-MM-DD", param, ctx)


def store_option(func: Callable) -> Callable:
    """``--store DIR|URL``: the embedded store folder, or ``sparql+http://...`` for a remote
    server; defaults to ``$ESCGRAPH_STORE`` or the user's data folder. Passes ``store``."""

    @click.option("--store", "store_location", envvar="ESCGRAPH_STORE", metavar="DIR|URL",
                  help="Store folder, or sparql+http://HOST:PORT/PATH for a remote SPARQL server "
                       "[default: $ESCGRAPH_STORE or ~/.local/share/escalation-graph/store].")
    @functools.wraps(func)
    def wrapper(*args: Any, store_location: str | None, **kwargs: Any) -> Any:
        return func(*args, store=open_store(store_location), **kwargs)

    return wrapper


def output_options(func: Callable) -> Callable:
    """``--format table|csv|json`` and ``-o FILE``. Passes ``fmt`` and ``output`` (a text stream)."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="table for people; csv for spreadsheets; json (W3C SPARQL results for queries).")
    @click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write to FILE instead of standard output.")
    @functools.wraps(func)
    def wrapper(*args: Any, fmt: str, output_path: Path | None, **kwargs: Any) -> Any:
        if output_path is None:
            return func(*args, fmt=fmt, output=sys.stdout, **kwargs)
        buffer = io.StringIO()
        result = func(*args, fmt=fmt, output=buffer, **kwargs)
        try:
            output_path.write_text(buffer.getvalue(), encoding="utf-8")
        except OSError as exc:
            raise click.FileError(str(output_path), hint=exc.strerror) from exc
        return result

    return wrapper


def short(term: Any) -> str:
    """How a term shows in a table or CSV: our own IRIs without their long base."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        value = term.value
        for base in (DATA, VOCAB):
            if value.startswith(base):
                return value[len(base):]
        return value
    value = python_value(term)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def render_table(table: Table, fmt: str, output: IO[str]) -> None:
    """Print query rows: a readable table, CSV, or W3C SPARQL 1.1 Query Results JSON."""
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(table.variables, row) if t is not None} for row in table.rows]
        json.dump({"head": {"vars": table.variables}, "results": {"bindings": bindings}}, output,
                  ensure_ascii=False, indent=1)
        output.write("\n")
        return
    render_rows(table.variables, [[short(t) for t in row] for row in table.rows], fmt, output)


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, output: IO[str]) -> None:
    """Print plain rows: a table, CSV, or a JSON list of objects."""
    if fmt == "json":
        json.dump([dict(zip(columns, row)) for row in rows], output, ensure_ascii=False, indent=1, default=str)
        output.write("\n")
    elif fmt == "csv":
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    else:
        from rich.console import Console
        from rich.table import Table as RichTable

        rich_table = RichTable(*columns, show_lines=False, expand=False)
        for row in rows:
            rich_table.add_row(*("" if v is None else _clip(str(v)) for v in row))
        width = 200 if not output.isatty() else None
        Console(file=output, width=width, markup=False, highlight=False).print(rich_table)
        output.write(f"{len(rows)} row(s)\n")


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

