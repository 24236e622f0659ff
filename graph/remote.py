"""A remote SPARQL 1.1 server as the store: the scale-out path, same API as the embedded one.

``--store sparql+http://[USER[:PASSWORD]@]HOST[:PORT]/PATH[?OPTIONS]`` (or
``sparql+https://``) opens it; ``http(s)://HOST[:PORT]/PATH`` is the query endpoint.
Options, all optional:

``update=URL|/PATH``
    the SPARQL Update endpoint (default: the query endpoint, as on Virtuoso and GraphDB;
    Fuseki has ``/DATASET/update``).
``gsp=URL|/PATH``
    a Graph Store Protocol endpoint: loads go there as N-Triples (much faster than
    ``INSERT DATA``, which Virtuoso's parser refuses beyond ~5,000 triples) and dumps
    read from it.
``timeout=SECONDS``
    per HTTP request (default 120).
``batch=N``
    triples per load request (default 50,000 with ``gsp``, else 2,000).
``page=N``
    rows per page when a dump pages through a graph (default 5,000: below Virtuoso's
    ``ResultSetMaxRows`` of 10,000, which flags even a page that merely reaches it).

The login comes from the URL or, to keep a password out of shell history, from
``$ESCGRAPH_REMOTE_USER`` and ``$ESCGRAPH_REMOTE_PASSWORD``. It is sent only when the
server asks, in the scheme it asks for (HTTP Basic or Digest).

What differs from the embedded store:

- **Queries** see the server's default graph. Virtuoso, GraphDB, QLever and Neptune make
  it the union of all named graphs, as the embedded store does; Fuseki needs
  ``tdb2:unionDefaultGraph true``. The prefixes of :data:`graph.namespaces.PREFIXES` are
  declared in front of every query. Bound variables are written into the text as RDF
  terms where a constant means the same as a joined ``VALUES`` row, else joined by a
  ``VALUES`` block (:func:`graph.sparql_text.with_terms`): Virtuoso 7.2.5 loses rows of
  some queries, or hangs, on a ``VALUES`` block beside subqueries, and loses matches of
  a ``*``/``+`` path that ends at a constant. Brackets nested past
  :data:`graph.sparql_text.MAX_NESTING` are refused before sending, as on the embedded store.
- **A result the server cut short is an error, never a silent answer**: Virtuoso's
  ``X-SPARQL-MaxRows`` (its ``ResultSetMaxRows`` cap on SELECT) and its partial
  "anytime" answers (``X-SQL-State: S1TAT``) raise :class:`~graph.errors.QueryError`.
  Virtuoso also cuts CONSTRUCT/DESCRIBE results at ``ResultSetMaxRows`` without saying
  so; no client can see that, so raise the cap in ``virtuoso.ini`` for large graphs.
- **Named graphs, counts and dumps** cover escgraph's own graphs, those under
  ``https://w3id.org/escalation-graph/id/graph/``, so a shared server's other graphs
  (and Virtuoso's system graphs) are left out. A dump checks each graph's triple count
  and pages with ``LIMIT``/``OFFSET`` when the server sends fewer triples than it holds.
- **Writes** (:meth:`RemoteStore.replace_graphs`): the quads are first loaded into
  staging graphs (``urn:escgraph:staging:<graph IRI>``), then one update request swaps
  them in (``MOVE <staging> TO <graph>``, ``DROP SILENT GRAPH`` for listed graphs that
  get no quads). Nothing under the target names changes before that request; a load that
  fails drops its staging graphs, and one that is killed leaves them to be dropped by the
  next write of the same graphs. The swap is atomic where the server runs one request
  as one transaction (Fuseki/TDB2, GraphDB/RDF4J, Neptune; Virtuoso in its default
  transaction mode); QLever promises no such thing. Not atomic anywhere: while a load
  runs, its staging graphs are visible to queries on servers whose default graph is the
  union of all graphs. Blank nodes keep their identity within one graph of one write.

Examples
--------
>>> store = RemoteStore.from_url("sparql+http://me:secret@127.0.0.1:3030/ds/query?update=/ds/update&gsp=/ds/data")
>>> store
RemoteStore('http://127.0.0.1:3030/ds/query')
>>> store.update_url, store.gsp_url
('http://127.0.0.1:3030/ds/update', 'http://127.0.0.1:3030/ds/data')
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from typing import IO
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from graph.errors import EscgraphError, InputError, QueryError, StoreError
from graph.namespaces import PREFIXES, graph_iri
from graph.sparql_text import (
    QUERY_FORMS,
    normalise_newlines,
    operation,
    refuse_deep_nesting,
    refuse_service,
    with_terms,
)
from graph.store import Table, Term, selected

__all__ = ["STAGING_PREFIX", "RemoteStore", "parse_json_results"]

# Every graph escgraph writes (sources, ontology, code lists, inferred links) lies here.
OWN_GRAPHS = graph_iri("")
STAGING_PREFIX = "urn:escgraph:staging:"

_JSON_RESULTS = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8"
_OPTIONS = ("update", "gsp", "timeout", "batch", "page")
# One prologue line, so a server's error message keeps the query's own line numbers.
_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}> " for prefix, iri in PREFIXES.items())


class _LoginWhenAsked(httpx.Auth):
    """Send the login only after a 401, in the scheme the server's challenge names."""

    def __init__(self, user: str, password: str):
        self._schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is None:
            response = yield request
            if response.status_code != 401:
                return
            scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
            self._chosen = self._schemes.get(scheme, self._schemes["basic"])
        yield from self._chosen.auth_flow(request)


def _staging(graph: str) -> str:
    return STAGING_PREFIX + graph


def _iri(value: str) -> str:
    """``<value>`` for update text, refusing anything that is not an IRI."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise StoreError(f"'{value}' is not an IRI") from exc


def _blank(label: str) -> ox.BlankNode:
    # Servers label blank nodes freely (Virtuoso: "nodeID://b10003"); hex keeps them valid and distinct.
    return ox.BlankNode("b" + label.encode("utf-8").hex())


def _term(value: Mapping[str, object]) -> Term:
    kind = value.get("type")
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return _blank(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(_term(inner["subject"]), _term(inner["predicate"]), _term(inner["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def parse_json_results(payload: bytes) -> Table | bool:
    """SPARQL 1.1 JSON results as a :class:`~graph.store.Table` (or a bool for ASK),
    accepting the older ``typed-literal`` type and any blank node labels.

    Examples
    --------
    >>> answer = (b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "typed-literal", '
    ...           b'"datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}}')
    >>> parse_json_results(answer).values()
    [{'n': 3}]
    """
    document = json.loads(payload)
    if "boolean" in document:
        return bool(document["boolean"])
    variables = list(document["head"].get("vars", []))
    rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in document["results"]["bindings"]]
    return Table(variables, rows)


def _parse_triples(response: httpx.Response) -> list[ox.Triple]:
    """The triples of an RDF answer, in the syntax its Content-Type names (N-Triples if none)."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=rdf_format)]


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


class RemoteStore:
    """A SPARQL 1.1 server (Query, Update and optionally the Graph Store Protocol).

    Parameters
    ----------
    query_url : str
        The SPARQL query endpoint (``http(s)://...``).
    update_url, gsp_url : str, optional
        The update endpoint (default ``query_url``) and a Graph Store Protocol endpoint.
    user, password : str, optional
        The login, sent only when the server asks for it.
    timeout : float
        Seconds per HTTP request.
    batch, page : int, optional
        Triples per load request; rows per page of a dump.
    """

    def __init__(self, query_url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 120.0,
                 batch: int | None = None, page: int = 5_000):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.timeout = timeout
        self.batch = batch or (50_000 if gsp_url else 2_000)
        self.page = page
        self._auth = _LoginWhenAsked(user, password or "") if user else None
        self._client: httpx.Client | None = None

    @classmethod
    def from_url(cls, location: str) -> RemoteStore:
        """Open ``sparql+http(s)://[USER[:PASSWORD]@]HOST[:PORT]/PATH[?update=..&gsp=..&timeout=..&batch=..&page=..]``.

        Raises
        ------
        InputError
            For a URL that does not parse, an unknown option or a value that is not a number.
        """
        try:
            parts = urlsplit(location)
            port = parts.port
        except ValueError as exc:  # an unclosed IPv6 bracket or a port that is not a number
            raise InputError(f"the store URL does not parse: {exc}", path=location) from exc
        scheme = parts.scheme.removeprefix("sparql+")
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if port:
            netloc += f":{port}"
        query_url = urlunsplit((scheme, netloc, parts.path or "/", "", ""))
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise InputError(f"unknown option '{unknown[0]}' in the store URL; known: {', '.join(_OPTIONS)}",
                             path=query_url)
        user = unquote(parts.username) if parts.username else os.environ.get("ESCGRAPH_REMOTE_USER")
        password = unquote(parts.password) if parts.password else os.environ.get("ESCGRAPH_REMOTE_PASSWORD")
        try:
            numbers = {key: float(options[key]) if key == "timeout" else int(options[key])
                       for key in ("timeout", "batch", "page") if key in options}
        except ValueError as exc:
            raise InputError(f"store URL options timeout, batch and page take numbers: {exc}",
                             path=query_url) from exc
        return cls(query_url,
                   update_url=urljoin(query_url, options["update"]) if options.get("update") else None,
                   gsp_url=urljoin(query_url, options["gsp"]) if options.get("gsp") else None,
                   user=user, password=password, **numbers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # -- HTTP --------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(auth=self._auth, timeout=self.timeout,
                                        headers={"User-Agent": "escalation-graph"})
        return self._client

    def _send(self, method: str, url: str, error: type[EscgraphError], **kwargs) -> httpx.Response:
        try:
            response = self._http().request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise error(f"no answer from the SPARQL server within {self.timeout:g} s "
                        "(raise it with ?timeout=SECONDS in the store URL)", path=url) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server: {exc}", path=url) from exc
        if response.status_code in (401, 403):
            raise StoreError(f"the SPARQL server refused access (HTTP {response.status_code}); give a login in the "
                             "store URL or in $ESCGRAPH_REMOTE_USER and $ESCGRAPH_REMOTE_PASSWORD", path=url)
        if response.status_code >= 400:
            message = " ".join(response.text.strip().split("\n\n", 1)[0].split())[:500]
            raise error(f"the SPARQL server answered HTTP {response.status_code}: {message}", path=url)
        if response.headers.get("x-sql-state") == "S1TAT":
            raise error("the SPARQL server stopped the query at its time limit and sent a partial answer", path=url)
        return response

    def _update(self, text: str) -> None:
        self._send("POST", self.update_url, StoreError, data={"update": text})

    # -- the Store protocol ------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table | bool | list[ox.Triple]:
        sparql = normalise_newlines(sparql)
        refuse_service(sparql)
        refuse_deep_nesting(sparql)
        form = operation(sparql)
        if form is not None and form not in QUERY_FORMS:
            raise QueryError(f"{form} is an update; the store is written with build and import, not queries")
        text = _PROLOGUE + with_terms(sparql, bindings or {})
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        response = self._send("POST", self.query_url, QueryError, data={"query": text},
                              headers={"Accept": _GRAPH_ACCEPT if graph_result else _JSON_RESULTS})
        if "x-sparql-maxrows" in response.headers:
            raise QueryError(f"the SPARQL server cut the result at {response.headers['x-sparql-maxrows']} rows "
                             "(Virtuoso: ResultSetMaxRows in virtuoso.ini); add a LIMIT or raise the cap",
                             path=self.query_url)
        try:
            return _parse_triples(response) if graph_result else parse_json_results(response.content)
        except (ValueError, KeyError, SyntaxError) as exc:
            raise QueryError(f"cannot read the SPARQL server's answer: {exc}", path=self.query_url) from exc

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table:
        return selected(self.query(sparql, bindings))

    def replace_graphs(self, graphs: Sequence[str], quads: Iterable[ox.Quad]) -> None:
        listed = list(dict.fromkeys(graphs))
        listed_iris = [_iri(g) for g in listed]
        staged: dict[str, str] = {}
        if listed:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {_iri(_staging(g))}" for g in listed))
        try:
            self._stage(quads, listed, staged)
        except BaseException:
            if staged:
                with contextlib.suppress(EscgraphError):
                    self._update(" ;\n".join(f"DROP SILENT GRAPH {_iri(s)}" for s in staged.values()))
            raise
        swap = [f"MOVE {_iri(staged[g])} TO {iri}" if g in staged else f"DROP SILENT GRAPH {iri}"
                for g, iri in zip(listed, listed_iris)]
        for graph, staging in staged.items():
            if graph not in listed:
                swap += [f"ADD {_iri(staging)} TO {_iri(graph)}", f"DROP SILENT GRAPH {_iri(staging)}"]
        if swap:
            self._update(" ;\n".join(swap))

    def _stage(self, quads: Iterable[ox.Quad], listed: list[str], staged: dict[str, str]) -> None:
        """Load ``quads`` into staging graphs in batches, recording target → staging in ``staged``."""
        batch: dict[str, list[ox.Triple]] = defaultdict(list)
        with_blanks: dict[str, list[ox.Triple]] = defaultdict(list)
        size = 0
        for quad in quads:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise StoreError("a remote store takes quads in named graphs only", path=self.query_url)
            graph = quad.graph_name.value
            if graph not in staged:
                staged[graph] = _staging(graph)
                if graph not in listed:
                    self._update(f"DROP SILENT GRAPH {_iri(staged[graph])}")
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if _has_blank(quad):
                # A blank node's label is scoped to one request: its triples travel together.
                with_blanks[graph].append(triple)
                continue
            batch[graph].append(triple)
            size += 1
            if size >= self.batch:
                self._load(batch, staged)
                batch.clear()
                size = 0
        self._load(batch, staged)
        self._load(with_blanks, staged)

    def _load(self, batch: Mapping[str, list[ox.Triple]], staged: Mapping[str, str]) -> None:
        if self.gsp_url:
            for graph, triples in batch.items():
                if triples:
                    self._send("POST", self.gsp_url, StoreError, params={"graph": staged[graph]},
                               content=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                               headers={"Content-Type": "application/n-triples"})
            return
        blocks = [f"GRAPH {_iri(staged[graph])} {{\n"
                  + ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") + "}"
                  for graph, triples in batch.items() if triples]
        if blocks:
            self._update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

    def named_graphs(self) -> list[str]:
        table = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?own)) }",
                            {"own": ox.Literal(OWN_GRAPHS)})
        return sorted(row[0].value for row in table.rows if isinstance(row[0], ox.NamedNode))

    def _graph_size(self, graph: str) -> int:
        table = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}")
        return int(table.rows[0][0].value)

    def _graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """Every triple of ``graph``: whole from the Graph Store Protocol when the server sends
        all of it, else paged in a fixed order (a subquery sorts, so Virtuoso need not sort
        more than its cap)."""
        expected = self._graph_size(graph)
        if self.gsp_url:
            triples = _parse_triples(self._send("GET", self.gsp_url, StoreError, params={"graph": graph},
                                                headers={"Accept": _GRAPH_ACCEPT}))
            if len(triples) == expected:
                yield from triples
                return
        seen = 0
        for offset in range(0, expected, self.page):
            table = self.select(
                f"SELECT ?s ?p ?o WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
                f" ORDER BY ?s ?p ?o }} }} LIMIT {self.page} OFFSET {offset}")
            seen += len(table)
            for s, p, o in table.rows:
                yield ox.Triple(s, p, o)
        if seen != expected:
            raise StoreError(f"graph <{graph}> holds {expected} triples but the server sent {seen}",
                             path=self.query_url)

    def dump(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        graphs = self.named_graphs()
        if format.supports_datasets:
            items: Iterable = (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                               for g in graphs for t in self._graph_triples(g))
        else:
            items = (t for g in graphs for t in self._graph_triples(g))
        plain = format.name in ("N-Quads", "N-Triples")
        ox.serialize(items, output, format=format, prefixes=None if plain else PREFIXES)

    def __len__(self) -> int:
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?own)) }",
                            {"own": ox.Literal(OWN_GRAPHS)})
        return int(table.rows[0][0].value)

