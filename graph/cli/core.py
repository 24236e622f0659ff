"""The foundation's commands: build, validate, stats, query, sparql, export, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph import demo as demo_job
from graph import pipeline
from graph.cli.common import output_options, render_rows, render_table, store_option
from graph.errors import InputError, QueryError
from graph.queries import named_queries, run_named
from graph.store import Table
from graph.text_files import read_utf8

__all__ = ["build", "demo", "export", "query", "sparql", "stats", "validate"]

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@click.command()
@PATHS
@store_option
def build(paths: tuple[Path, ...], store) -> None:
    """Check curated cases and load them, with the ontology and code lists, into the store.

    PATHS are case folders, YAML files, or hand-written RDF files (.ttl, .trig, .nt, .nq)
    (default: the cases shipped in data/). Each source becomes one named graph (an RDF
    file's triples go to a graph named after the file); building again replaces it, so a
    second build changes nothing. Any error leaves the store exactly as it was.

    \b
    Example:
      escgraph build data/drone-strikes-2023 --store ./store
    """
    counts = pipeline.build(store, paths or None)
    click.echo(f"built {store}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), err=True)


@click.command()
@PATHS
def validate(paths: tuple[Path, ...]) -> None:
    """Check curated cases and RDF files without loading them: format, references, code lists, SHACL.

    Every problem is printed on its own line as FILE:LINE: what is wrong. Exit 0 when
    valid, 1 for invalid data, 2 when a file cannot be read.

    \b
    Example:
      escgraph validate data/drone-strikes-2023
    """
    inputs = pipeline.check(paths or None)
    data = inputs.records
    documents = f", {len(inputs.documents)} RDF file(s)" if inputs.documents else ""
    click.echo(f"valid: {len(data.actors)} actors, {len(data.events)} events, "
               f"{len(data.statements)} statements, {len(data.sources)} source(s){documents}")


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for scripts.")
def stats(store, fmt: str) -> None:
    """Count actors, events, statements, sources, named graphs and triples in the store.

    \b
    Example:
      escgraph stats --format json
    """
    counts = pipeline.stats(store)
    if fmt == "json":
        click.echo(json.dumps(counts))
    else:
        render_rows(["what", "count"], list(counts.items()), "table", sys.stdout)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"--param takes name=value, not '{item}'")
        params[name.strip()] = value.strip()
    return params


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (repeatable). Actors may be given by id, name or alias.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@store_option
@output_options
def query(name: str | None, params: tuple[str, ...], list_queries: bool, store, fmt: str, output) -> None:
    """Run a named query from ontology/queries/ (one per analyst question).

    \b
    Examples:
      escgraph query --list
      escgraph query who-said --param actor=Kyiv --param kind=warning
      escgraph query who-said -p kind=attribution --format csv -o attributions.csv
    """
    queries = named_queries()
    if list_queries or name is None:
        rows = [(q.name, q.title, ", ".join(
            f"{p.name}{'?' if p.optional else ''}: {p.type}{f' = {p.default}' if p.default else ''}"
            for p in q.parameters), q.question) for q in queries.values()]
        render_rows(["name", "title", "parameters", "question"], rows, fmt, output)
        return
    render_table(run_named(store, name, _parse_params(params)), fmt, output)


@click.command()
@click.argument("text", metavar="QUERY|@FILE")
@store_option
@output_options
def sparql(text: str, store, fmt: str, output) -> None:
    """Run any SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store.

    The default graph is the union of all named graphs; the prefixes esc:, escid:, skos:,
    rdfs:, prov:, dcterms:, xsd: ... are predeclared. SERVICE is refused: nothing is
    fetched from elsewhere. CONSTRUCT and DESCRIBE print N-Triples.

    \b
    Examples:
      escgraph sparql "SELECT ?name WHERE { ?a a esc:State ; skos:prefLabel ?name }"
      escgraph sparql @my-query.rq --format json
    """
    path = None
    if text.startswith("@"):
        path = Path(text[1:])
        text = read_utf8(path, what="query")
    try:
        result = store.query(text)
    except QueryError as exc:
        if path is None:
            raise
        raise QueryError(exc.message, path=str(path)) from exc
    if isinstance(result, Table):
        render_table(result, fmt, output)
    elif isinstance(result, bool):
        output.write(json.dumps({"head": {}, "boolean": result}) + "\n" if fmt == "json" else f"{str(result).lower()}\n")
    else:
        import pyoxigraph as ox

        output.write(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))


@click.command()
@click.option("--format", "fmt", type=click.Choice(list(pipeline.EXPORT_FORMATS)), default="trig",
              show_default=True, help="Dataset formats (trig, nquads, jsonld) keep the named graphs; "
                                      "turtle and ntriples give their union.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@store_option
def export(fmt: str, output_path: Path | None, store) -> None:
    """Write the whole graph out as RDF, for other tools (Gephi via GraphML is `analyse`).

    \b
    Examples:
      escgraph export --format trig -o graph.trig
      escgraph export --format jsonld > graph.jsonld
    """
    if output_path is None:
        pipeline.export(store, sys.stdout.buffer, fmt)
        return
    tmp = output_path.with_name(output_path.name + ".part")
    try:
        with open(tmp, "wb") as out:
            pipeline.export(store, out, fmt)
        tmp.replace(output_path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write the export: {exc.strerror}; check the folder exists and is writable",
                         path=str(output_path)) from exc


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("escgraph-out"),
              show_default=True, help="Folder for the views.")
@store_option
def demo(out_dir: Path, store) -> None:
    """The main job: build the seed article's graph, answer the tit-for-tat questions,
    and write the interactive views.

    \b
    Example:
      escgraph demo --store ./store --out ./escgraph-out
    """

    def show(heading: str, table: Table) -> None:
        click.echo(f"\n== {heading}")
        render_table(table, "table", sys.stdout)

    counts = demo_job.run(store, out_dir, show)
    click.echo("\n" + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" in {store}")
