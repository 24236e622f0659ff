"""``escgraph serve``: the read-only SPARQL endpoint and the views, over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from graph.errors import InputError
from graph.server import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, Settings, create_app, default_workers
from graph.store import EmbeddedStore, default_store_path

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens it to the network.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--store", "store_path", envvar="ESCGRAPH_STORE", metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="The embedded store folder [default: $ESCGRAPH_STORE or ~/.local/share/escalation-graph/store].")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before its worker is stopped (the client gets 503).")
@click.option("--max-rows", default=DEFAULT_MAX_ROWS, show_default=True, type=click.IntRange(min=1),
              help="Most rows (or triples) in one answer; the X-SPARQL-MaxRows header says when it cut one.")
@click.option("--workers", default=default_workers(), show_default=True, type=click.IntRange(min=1),
              help="Worker processes, i.e. queries running at once.")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="A web origin whose pages may query the endpoint (CORS), e.g. https://yasgui.example.org.")
def serve(host: str, port: int, store_path: Path | None, timeout: float, max_rows: int, workers: int,
          allow_origins: tuple[str, ...]) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint, with a query page and the views.

    /sparql speaks the SPARQL 1.1 Protocol (GET, POST form, POST application/sparql-query;
    JSON, XML, CSV, TSV, Turtle, N-Triples, JSON-LD by Accept or format=). Updates and
    SERVICE are refused; each query runs in a worker process that is stopped at the
    timeout. /queries lists the named queries; /queries/NAME?param=value runs one;
    /views/graph, /views/timeline and /views/focus render the views (?a=Kyiv&b=Moscow,
    ?focus=EVENT, ?start=, ?end=). The page at / has an editor with the named queries as
    examples. escgraph build may run while it serves: the next query sees the new graph.

    \b
    Example:
      escgraph serve --store ./store --timeout 30
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql?query=SELECT+*+WHERE+{?s+?p+?o}+LIMIT+5'
    """
    import uvicorn

    folder = store_path or default_store_path()
    if str(folder).startswith(("sparql+http:", "sparql+https:")):
        raise InputError("serve needs an embedded store folder; a remote SPARQL server serves itself")
    if not EmbeddedStore(folder).exists():
        raise InputError("no store here yet; build one first (escgraph build --store DIR)", path=str(folder))
    settings = Settings(store=folder, timeout=timeout, max_rows=max_rows, workers=workers,
                        allow_origins=allow_origins, host=host)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"escgraph: serving {folder} at http://{shown}:{port}/ (SPARQL at /sparql; {workers} workers, "
               f"{timeout:g} s timeout, {max_rows} rows at most); Ctrl-C stops", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)
