"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, with the views beside it.

``escgraph serve`` runs :func:`create_app` under uvicorn. Routes:

- ``/sparql`` -- the SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form-encoded or
  ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` set the
  dataset (else the default graph is the union of all named graphs). SELECT and ASK come
  as JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples, JSON-LD or
  RDF/XML -- chosen by ``Accept`` or by ``format=json|xml|csv|tsv|turtle|ntriples|jsonld|rdfxml``.
  Without a query it describes itself (SPARQL 1.1 Service Description, Turtle).
- ``/queries`` lists the named queries (JSON); ``/queries/NAME?param=value`` runs one, its
  parameters bound as RDF terms (:func:`graph.queries.run_named`).
- ``/views/graph``, ``/views/timeline``, ``/views/focus`` -- the interactive views
  (:func:`graph.views.render_view`), rendered on request in a worker like any query;
  options ``a=ACTOR&b=ACTOR`` (the dyad), ``focus=EVENT``, ``start=``/``end=`` (days).
  ``/views`` lists them (JSON).
- ``/`` a page for people: a query editor with the named queries as examples, results as
  a table, links to the views.

What keeps it safe to leave running:

- **Read-only.** An update (``update=``, ``application/sparql-update``, or an update sent
  as a query) gets 403 and nothing changes; the workers open the store read-only.
- **No outbound requests.** ``SERVICE`` is refused with 403 before anything runs.
- **Every query can be stopped.** Queries run in a pool of worker processes, each with the
  store's current generation open read-only (reopened when a build switches ``CURRENT``,
  so ``escgraph build`` may run meanwhile). A query still running at the timeout has its
  worker killed and replaced, and the client gets 503; other clients are served by the
  other workers meanwhile.
- **Bounded answers.** At most ``max_rows`` rows (or triples) are sent; when the cap cut
  the answer, the ``X-SPARQL-MaxRows`` header says so (the header Virtuoso uses -- but
  here it is never silent). A malformed query gets 400 with the parser's message.

Examples
--------
>>> negotiate("results", "text/csv;q=0.5, application/sparql-results+xml", None)
('xml', 'application/sparql-results+xml')
>>> negotiate("graph", None, "json")
('jsonld', 'application/ld+json')
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph.errors import EscgraphError, QueryError, StoreError
from graph.namespaces import PREFIXES
from graph.queries import named_queries, run_named
from graph.sparql_text import UPDATE_OPERATIONS, normalise_newlines, operation, refuse_deep_nesting, refuse_service
from graph.store import EmbeddedStore
from graph.views import VIEW_KINDS, render_view

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "GRAPH_FORMATS", "RESULT_FORMATS", "VIEW_TITLES", "Answer",
           "NotAcceptable", "QueryPool", "Settings", "create_app", "default_workers", "negotiate"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY_BYTES = 1_000_000
LOOPBACK = ("127.0.0.1", "localhost", "::1")

RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
}
GRAPH_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}
# What a client may say, in Accept or in format=, for each kind of answer.
_NAMES = {
    "results": {
        "json": "json", "application/sparql-results+json": "json", "application/json": "json",
        "xml": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
        "csv": "csv", "text/csv": "csv",
        "tsv": "tsv", "text/tab-separated-values": "tsv",
    },
    "graph": {
        "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
        "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples",
        "text/plain": "ntriples",
        "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "application/ld+json": "jsonld",
        "application/json": "jsonld",
        "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "application/rdf+xml": "rdfxml",
        "application/xml": "rdfxml", "text/xml": "rdfxml",
    },
}
_DEFAULT = {"results": "json", "graph": "turtle"}


class NotAcceptable(QueryError):
    """The client asked, with ``format=``, for a format this kind of answer has not."""


def negotiate(kind: str, accept: str | None, format_name: str | None) -> tuple[str, str]:
    """The format to answer in: ``(name, media type)`` for ``kind`` ``results`` (SELECT,
    ASK) or ``graph`` (CONSTRUCT, DESCRIBE).

    ``format_name`` wins over ``accept``; an Accept header naming nothing known gets the
    default (JSON, or Turtle), as most clients send ``*/*`` among others.

    Raises
    ------
    NotAcceptable
        For a ``format_name`` this kind of answer cannot take.
    """
    names = _NAMES[kind]
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if format_name:
        name = names.get(format_name.strip().lower())
        if name is None:
            what = "SELECT/ASK results" if kind == "results" else "a CONSTRUCT/DESCRIBE graph"
            raise NotAcceptable(f"format '{format_name}' cannot carry {what}; choose {', '.join(table)}")
        return name, table[name][1]
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept or "").split(",")):
        media, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        if quality > 0:
            ranked.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranked):
        if media in names:
            name = names[media]
            return name, table[name][1]
    name = _DEFAULT[kind]
    return name, table[name][1]


@dataclass(frozen=True)
class Answer:
    """What a worker sends back: an HTTP status, a media type, the body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))

    def response(self) -> Response:
        return Response(self.body, status_code=self.status, media_type=self.media_type, headers=self.headers)


@dataclass(frozen=True)
class Settings:
    """How the endpoint runs: the store folder, the per-query timeout in seconds, the
    result cap, the number of worker processes, the web origins allowed to query it from
    a browser (CORS), and the address it listens on."""

    store: Path
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = 2
    allow_origins: tuple[str, ...] = ()
    host: str = "127.0.0.1"


# -- in the worker processes ----------------------------------------------------------------


def _serialize_rows(variables: Sequence[str], rows: Iterable[Sequence[object]], format_name: str) -> bytes:
    """SELECT rows in a results format. The rows go through TSV (each term written by
    pyoxigraph in N-Triples syntax) so pyoxigraph's own writers produce every format."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    solutions = ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=RESULT_FORMATS[format_name][0])


def _capped(items: Iterable, limit: int) -> tuple[list, bool]:
    taken = list(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def _cap_header(cut: bool, max_rows: int) -> dict[str, str]:
    return {"X-SPARQL-MaxRows": str(max_rows)} if cut else {}


def _answer_rows(variables: Sequence[str], rows: Iterable[Sequence[object]], accept: str | None,
                 format_name: str | None, max_rows: int) -> Answer:
    name, media_type = negotiate("results", accept, format_name)
    kept, cut = _capped(rows, max_rows)
    return Answer(200, media_type, _serialize_rows(variables, kept, name), _cap_header(cut, max_rows))


def _run_sparql(store: EmbeddedStore, job: dict, max_rows: int) -> Answer:
    options: dict = {"prefixes": PREFIXES}
    if job["default_graphs"] or job["named_graphs"]:
        options["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        options["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    # Straight from the store's read-only reader, so the cap stops reading a long answer early.
    result = store.reader().query(job["query"], **options)
    accept, format_name = job["accept"], job["format"]
    if isinstance(result, ox.QueryBoolean):
        name, media_type = negotiate("results", accept, format_name)
        return Answer(200, media_type, result.serialize(format=RESULT_FORMATS[name][0]))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = ([solution[v] for v in variables] for solution in result)
        return _answer_rows(variables, rows, accept, format_name, max_rows)
    name, media_type = negotiate("graph", accept, format_name)
    triples, cut = _capped(result, max_rows)
    body = ox.serialize(triples, format=GRAPH_FORMATS[name][0], prefixes=None if name == "ntriples" else PREFIXES)
    return Answer(200, media_type, body, _cap_header(cut, max_rows))


def _answer(store: EmbeddedStore, job: dict, max_rows: int) -> Answer:
    """A job's answer; every failure becomes an HTTP status with the message."""
    try:
        if job["kind"] == "named":
            table = run_named(store, job["name"], job["params"])
            return _answer_rows(table.variables, table.rows, job["accept"], job["format"], max_rows)
        if job["kind"] == "view":
            html = render_view(store, job["view"], **job["options"])
            return Answer(200, "text/html; charset=utf-8", html.encode("utf-8"),
                          {"Content-Security-Policy": _VIEW_CSP})
        return _run_sparql(store, job, max_rows)
    except StoreError as exc:
        return Answer.text(503, str(exc))
    except EscgraphError as exc:
        return Answer.text(400, str(exc))
    except SyntaxError as exc:
        return Answer.text(400, f"SPARQL syntax: {exc}")
    except ValueError as exc:
        return Answer.text(400, str(exc))
    except (OSError, RuntimeError) as exc:
        return Answer.text(500, f"the query failed: {exc}")


def _worker_main(connection: multiprocessing.connection.Connection, store_path: str, max_rows: int) -> None:
    """A worker: answer jobs from ``connection`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    store = EmbeddedStore(Path(store_path))
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_answer(store, job, max_rows))


# -- in the server process ------------------------------------------------------------------


class _Worker:
    def __init__(self, context, store: Path, max_rows: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(store), max_rows), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def ask(self, job: dict, timeout: float) -> Answer:
        """Send ``job`` and wait for the answer; TimeoutError when none came in time."""
        if not self.ready:
            if not self.connection.poll(timeout):
                raise TimeoutError
            self.connection.recv()
            self.ready = True
        self.connection.send(job)
        if not self.connection.poll(timeout):
            raise TimeoutError
        return self.connection.recv()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """Worker processes that answer queries; one that overruns ``timeout`` is killed and replaced.

    Parameters
    ----------
    store : Path
        The embedded store folder, opened read-only by every worker.
    size : int
        The number of workers, hence of queries running at once.
    timeout : float
        Seconds a query may run, and a request may wait for a free worker.
    max_rows : int
        The result cap.
    """

    def __init__(self, store: Path, *, size: int, timeout: float, max_rows: int):
        self.store, self.size, self.timeout, self.max_rows = store, size, timeout, max_rows
        # forkserver: workers start in milliseconds, without forking the server's threads.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["graph.server"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._threads = concurrent.futures.ThreadPoolExecutor(max_workers=size, thread_name_prefix="escgraph-wait")

    def _spawn(self) -> None:
        worker = _Worker(self._context, self.store, self.max_rows)
        self._workers.add(worker)
        self._idle.put_nowait(worker)

    def start(self) -> None:
        """Start the workers (they open the store on their first query)."""
        for _ in range(self.size):
            self._spawn()

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _release(self, worker: _Worker, future: asyncio.Future) -> None:
        """Return ``worker`` to the pool, or kill and replace it if it overran or died."""
        if future.cancelled() or future.exception() is not None:
            self._workers.discard(worker)
            worker.kill()
            self._spawn()
        else:
            self._idle.put_nowait(worker)

    async def run(self, job: dict) -> Answer:
        """Answer ``job`` in a worker, within the timeout."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            return Answer.text(503, f"all {self.size} query workers stayed busy for {self.timeout:g} s; try again")
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, worker.ask, job, self.timeout)
        future.add_done_callback(lambda done: self._release(worker, done))
        try:
            # Shielded: a client that goes away must not orphan a busy worker.
            return await asyncio.shield(future)
        except TimeoutError:
            return Answer.text(503, f"the query ran longer than {self.timeout:g} s and was stopped; "
                                    "narrow it or add a LIMIT")
        except (EOFError, OSError) as exc:
            return Answer.text(500, f"the query worker died ({exc or type(exc).__name__}); it was replaced")


# -- HTTP ----------------------------------------------------------------------------------

_READ_ONLY = ("this endpoint is read-only: SPARQL Update is refused and nothing was changed; "
              "change the graph with escgraph build or escgraph import")


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refusal(413, f"the request body is over {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class _Refusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.answer = Answer.text(status, message)


def _service_description(request: Request) -> Response:
    """A SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = ox.BlankNode()
    try:
        endpoint: ox.NamedNode | ox.BlankNode = ox.NamedNode(str(request.url.replace(query="")))
    except ValueError:  # a Host header that makes no IRI
        endpoint = ox.BlankNode()
    facts = [(ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(sd + "Service")),
             (ox.NamedNode(sd + "endpoint"), endpoint),
             (ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
             (ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph"))]
    facts += [(ox.NamedNode(sd + "resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{name}"))
              for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                           "Turtle", "N-Triples", "JSON-LD", "RDF_XML")]
    body = ox.serialize([ox.Triple(service, p, o) for p, o in facts], format=ox.RdfFormat.TURTLE,
                        prefixes={"sd": sd})
    return Response(body, media_type="text/turtle; charset=utf-8")


async def _read_request(request: Request) -> tuple[list[tuple[str, str]], list[str]]:
    """The request's parameters and its query texts (from the URL, a form, or the body)."""
    params = list(request.query_params.multi_items())
    texts: list[str] = []
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request)
        try:
            if media == "application/x-www-form-urlencoded":
                params += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            elif media == "application/sparql-query":
                texts.append(body.decode("utf-8"))
            elif media == "application/sparql-update":
                raise _Refusal(403, _READ_ONLY)
            else:
                raise _Refusal(415, "POST a query as application/x-www-form-urlencoded (query=...) "
                                    "or as application/sparql-query")
        except UnicodeDecodeError as exc:
            raise _Refusal(400, f"the request is not UTF-8: {exc}") from exc
    if any(key == "update" for key, _ in params):
        raise _Refusal(403, _READ_ONLY)
    texts += [value for key, value in params if key == "query"]
    return params, texts


def _check(text: str) -> str:
    """The query text, ready for a worker; refusals as :class:`_Refusal`."""
    text = normalise_newlines(text)
    form = operation(text)
    if form in UPDATE_OPERATIONS:
        raise _Refusal(403, _READ_ONLY + f" (the request is a {form})")
    try:
        refuse_service(text)
    except QueryError as exc:
        raise _Refusal(403, str(exc)) from exc
    try:
        refuse_deep_nesting(text)
    except QueryError as exc:
        raise _Refusal(400, str(exc)) from exc
    return text


VIEW_TITLES = {
    "graph": "The graph: actors, acts and sources as a link chart",
    "timeline": "A dyad's timeline: who struck or spoke when, and what answered what",
    "focus": "One event: who did it, who claimed, denied or blamed, what answered it",
}
# Views carry their scripts and styles inline and load nothing: forbid every request.
_VIEW_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
             "font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _view_options(params) -> dict:
    """The options of a view request: ``a``/``b`` (the dyad), ``focus``, ``start``/``end``."""
    unknown = sorted(set(params) - {"a", "b", "focus", "start", "end"})
    if unknown:
        raise _Refusal(400, f"a view takes a, b, focus, start and end, not '{unknown[0]}'")
    options: dict = {}
    if "a" in params or "b" in params:
        if not (params.get("a") and params.get("b")):
            raise _Refusal(400, "a dyad needs both sides: a=ACTOR&b=ACTOR")
        options["dyad"] = (params["a"], params["b"])
    if params.get("focus"):
        options["focus"] = params["focus"]
    for key in ("start", "end"):
        if params.get(key):
            try:
                options[key] = dt.date.fromisoformat(params[key])
            except ValueError as exc:
                raise _Refusal(400, f"{key} takes a day as YYYY-MM-DD, not '{params[key]}'") from exc
    return options


def _graph_list(params: list[tuple[str, str]], key: str) -> list[str]:
    graphs = [value for k, value in params if k == key]
    for graph in graphs:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise _Refusal(400, f"{key} '{graph}' is not an IRI") from exc
    return graphs


def create_app(settings: Settings) -> Starlette:
    """The endpoint as an ASGI application (the worker pool starts with the app's lifespan)."""
    static = resources.files("graph") / "static"
    pool = QueryPool(settings.store, size=settings.workers, timeout=settings.timeout, max_rows=settings.max_rows)

    async def sparql(request: Request) -> Response:
        try:
            params, texts = await _read_request(request)
            if not texts:
                if "text/html" in request.headers.get("accept", ""):
                    return RedirectResponse("/", status_code=303)
                return _service_description(request)
            if len(texts) > 1:
                raise _Refusal(400, "give exactly one query")
            job = {"kind": "sparql", "query": _check(texts[0]), "accept": request.headers.get("accept"),
                   "format": next((v for k, v in params if k == "format"), None),
                   "default_graphs": _graph_list(params, "default-graph-uri"),
                   "named_graphs": _graph_list(params, "named-graph-uri")}
        except _Refusal as refusal:
            return refusal.answer.response()
        return (await pool.run(job)).response()

    async def update(request: Request) -> Response:
        return Answer.text(403, _READ_ONLY).response()

    async def query_list(request: Request) -> Response:
        return JSONResponse([
            {"name": q.name, "title": q.title, "question": q.question, "url": f"/queries/{q.name}", "text": q.text,
             "parameters": [{"name": p.name, "type": p.type, "optional": p.optional, "default": p.default,
                             "description": p.description} for p in q.parameters]}
            for q in named_queries().values()])

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in named_queries():
            return Answer.text(404, f"no query named '{name}'; the list is at /queries").response()
        params = {k: v for k, v in request.query_params.multi_items() if k != "format"}
        job = {"kind": "named", "name": name, "params": params, "accept": request.headers.get("accept"),
               "format": request.query_params.get("format")}
        return (await pool.run(job)).response()

    async def view_list(request: Request) -> Response:
        return JSONResponse([{"name": kind, "url": f"/views/{kind}", "title": VIEW_TITLES.get(kind, kind)}
                             for kind in VIEW_KINDS])

    async def view(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in VIEW_KINDS:
            return Answer.text(404, f"no view '{kind}'; choose {', '.join(VIEW_KINDS)}").response()
        try:
            options = _view_options(request.query_params)
        except _Refusal as refusal:
            return refusal.answer.response()
        return (await pool.run({"kind": "view", "view": kind, "options": options})).response()

    async def home(request: Request) -> Response:
        page = (static / "index.html").read_bytes()
        return Response(page, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/update", update, methods=["GET", "POST"]),
        Route("/queries", query_list),
        Route("/queries/{name}", named_query),
        Route("/views", view_list),
        Route("/views/{kind}", view),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    middleware = [Middleware(_SecurityHeaders)]
    if settings.host in LOOPBACK:
        # A page elsewhere must not reach a loopback server through a rebound DNS name.
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]"]))
    if settings.allow_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.allow_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["X-SPARQL-MaxRows"]))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class _SecurityHeaders:
    """Headers every response carries: no MIME sniffing, no referrer leaks."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-content-type-options", b"nosniff"),
                                                                 (b"referrer-policy", b"no-referrer")]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def default_workers() -> int:
    """One worker per core, at least two (so a runaway query never blocks everyone)."""
    return max(2, os.cpu_count() or 1)
