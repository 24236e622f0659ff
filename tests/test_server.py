"""The SPARQL endpoint as clients use it: SPARQLWrapper and plain HTTP against a real server
process on a loopback port, over the seed case."""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, RDFXML, TURTLE, URLENCODED, XML, SPARQLWrapper

from graph.namespaces import ONTOLOGY_GRAPH
from graph.pipeline import build
from graph.queries import named_queries, run_named
from graph.server import negotiate
from graph.store import EmbeddedStore

from conftest import SEED_CASE

TIMEOUT = 3.0
MAX_ROWS = 50
KEYS = "SELECT ?key WHERE { ?actor esc:actorKey ?key } ORDER BY ?key"
ACTORS = "CONSTRUCT { ?actor esc:actorKey ?key } WHERE { ?actor esc:actorKey ?key }"
# Four copies of the whole graph joined with each other: runs for hours unless stopped.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(store: Path, *extra: str) -> Iterator[str]:
    """Run ``escgraph serve`` in a subprocess until the block ends; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port),
               "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "2", *extra]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"escgraph serve exited: {process.stderr.read().decode()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail("escgraph serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture(scope="module")
def endpoint(seed_store: EmbeddedStore) -> Iterator[str]:
    with serving(seed_store.path) as base:
        yield base


@pytest.fixture(scope="module")
def sparql_url(endpoint: str) -> str:
    return f"{endpoint}/sparql"


def _keys(seed_store: EmbeddedStore) -> list[str]:
    return seed_store.select(KEYS).column("key")


# -- a real client library -------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_select_json(sparql_url, seed_store, method):
    client = SPARQLWrapper(sparql_url)
    client.setQuery(KEYS)
    client.setReturnFormat(JSON)
    if method != "GET":
        client.setMethod(POST)
        client.setRequestMethod(method)
    result = client.query().convert()
    assert [b["key"]["value"] for b in result["results"]["bindings"]] == _keys(seed_store)


def test_sparqlwrapper_select_xml_and_ask(sparql_url, seed_store):
    client = SPARQLWrapper(sparql_url)
    client.setQuery(KEYS)
    client.setReturnFormat(XML)
    document = client.query().convert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == _keys(seed_store)
    client.setQuery("ASK { ?actor esc:actorKey 'russia' }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


@pytest.mark.parametrize("return_format", [RDFXML, TURTLE])
def test_sparqlwrapper_construct(sparql_url, seed_store, return_format):
    client = SPARQLWrapper(sparql_url)
    client.setQuery(ACTORS)
    client.setReturnFormat(return_format)
    result = client.query().convert()
    if isinstance(result, bytes):
        import rdflib

        result = rdflib.Graph().parse(data=result, format="turtle")
    assert len(result) == len(seed_store.query(ACTORS))


# -- plain HTTP, every content type ----------------------------------------------------


def _rows(media_type: str, body: bytes) -> list[str]:
    """The 'key' column of a SELECT answer in any results format."""
    if media_type.startswith("text/csv"):
        return [row["key"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    format_ = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media_type.split(";")[0]]
    return [solution["key"].value for solution in ox.parse_query_results(body, format_)]


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html, */*;q=0.1", "application/sparql-results+json"),
])
def test_select_by_accept(sparql_url, seed_store, accept, expected):
    response = httpx.get(sparql_url, params={"query": KEYS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(expected)
    assert _rows(response.headers["content-type"], response.content) == _keys(seed_store)


@pytest.mark.parametrize("name, expected", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_select_by_format_parameter_posted_as_form(sparql_url, seed_store, name, expected):
    response = httpx.post(sparql_url, data={"query": KEYS, "format": name}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith(expected)
    assert _rows(response.headers["content-type"], response.content) == _keys(seed_store)


@pytest.mark.parametrize("accept, rdf_format", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_by_accept(sparql_url, seed_store, accept, rdf_format):
    response = httpx.post(sparql_url, content=ACTORS.encode(),
                          headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    got = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=rdf_format)}
    assert got == set(seed_store.query(ACTORS))


def test_describe_and_ask_answer(sparql_url):
    describe = httpx.get(sparql_url, params={"query": "DESCRIBE <https://w3id.org/escalation-graph/id/actor/russia>",
                                             "format": "ntriples"})
    triples = list(ox.parse(describe.content, format=ox.RdfFormat.N_TRIPLES))
    assert triples and {t.subject.value for t in triples} == {"https://w3id.org/escalation-graph/id/actor/russia"}
    ask = httpx.get(sparql_url, params={"query": "ASK { ?s esc:actorKey 'nobody' }", "format": "xml"})
    assert not ox.parse_query_results(ask.content, ox.QueryResultsFormat.XML)


def test_format_that_cannot_carry_the_answer_is_400(sparql_url):
    response = httpx.get(sparql_url, params={"query": KEYS, "format": "turtle"})
    assert response.status_code == 400 and "cannot carry" in response.text


def test_dataset_from_protocol_parameters(sparql_url, seed_store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = httpx.get(sparql_url, params={"query": count, "default-graph-uri": ONTOLOGY_GRAPH})
    (solution,) = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    expected = seed_store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(solution["n"].value) == expected.column("n")[0] < len(seed_store)
    named = httpx.get(sparql_url, params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": ONTOLOGY_GRAPH})
    assert [s["g"].value for s in ox.parse_query_results(named.content, ox.QueryResultsFormat.JSON)] == [
        ONTOLOGY_GRAPH]
    bad = httpx.get(sparql_url, params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


def test_service_description_without_a_query(sparql_url):
    response = httpx.get(sparql_url)
    assert response.status_code == 200
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == "http://www.w3.org/ns/sparql-service-description#SPARQL11Query" for t in graph)


# -- refusals --------------------------------------------------------------------------

INSERT = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 'planted' } }"


@pytest.mark.parametrize("how", ["form update", "sparql-update body", "update as query", "GET update",
                                 "update endpoint", "drop as query"])
def test_updates_are_refused_and_change_nothing(endpoint, seed_store, how):
    before = len(seed_store)
    url = f"{endpoint}/sparql"
    if how == "form update":
        response = httpx.post(url, data={"update": INSERT})
    elif how == "sparql-update body":
        response = httpx.post(url, content=INSERT.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "update as query":
        response = httpx.post(url, data={"query": INSERT})
    elif how == "GET update":
        response = httpx.get(url, params={"update": INSERT})
    elif how == "update endpoint":
        response = httpx.post(f"{endpoint}/update", data={"update": INSERT})
    else:
        response = httpx.get(url, params={"query": "DROP ALL"})
    assert response.status_code == 403
    assert "read-only" in response.text
    assert len(EmbeddedStore(seed_store.path)) == before
    assert not EmbeddedStore(seed_store.path).query("ASK { ?s ?p 'planted' }")


@pytest.fixture
def listener() -> Iterator[list]:
    """A loopback socket that records every connection made to it."""
    connections: list = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                connection, address = sock.accept()
                connections.append(address)
                connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    connections.append(sock.getsockname()[1])  # the port, first
    yield connections
    stop.set()
    thread.join()
    sock.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <http://127.0.0.1:{port}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    # SPARQL ends a comment at a bare carriage return: the keyword after it is live.
    "SELECT * WHERE {{ # comment\rSERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_nothing_connects(sparql_url, listener, template):
    port = listener[0]
    response = httpx.post(sparql_url, data={"query": template.format(port=port)})
    time.sleep(0.5)
    assert listener[1:] == []
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_malformed_query_gets_400_with_the_parser_message(sparql_url):
    response = httpx.get(sparql_url, params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax: error at 1:")


def test_runaway_query_is_stopped_while_others_are_served(sparql_url):
    outcome: dict = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = httpx.post(sparql_url, data={"query": RUNAWAY}, timeout=120)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    quick = [httpx.get(sparql_url, params={"query": "ASK { ?s esc:actorKey 'russia' }"}, timeout=30)
             for _ in range(5)]
    answered_while_running = thread.is_alive()
    thread.join()
    assert [r.status_code for r in quick] == [200] * 5
    assert answered_while_running
    assert outcome["response"].status_code == 503
    assert "stopped" in outcome["response"].text
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 30
    # The killed worker was replaced: both workers answer again.
    again = [httpx.get(sparql_url, params={"query": KEYS}, timeout=30) for _ in range(4)]
    assert {r.status_code for r in again} == {200}


def test_concurrent_clients_all_get_their_answers(sparql_url, seed_store):
    expected = _keys(seed_store)

    def ask(i: int) -> list[str]:
        response = httpx.get(sparql_url, params={"query": KEYS}, headers={"Accept": "text/csv"}, timeout=60)
        assert response.status_code == 200
        return _rows("text/csv", response.content)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(64)))
    assert all(answer == expected for answer in answers)


def test_result_cap_is_announced(sparql_url, seed_store):
    everything = httpx.get(sparql_url, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(seed_store) > MAX_ROWS
    assert everything.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert len(everything.json()["results"]["bindings"]) == MAX_ROWS
    small = httpx.get(sparql_url, params={"query": KEYS})
    assert "x-sparql-maxrows" not in small.headers


def test_foreign_host_header_is_refused(sparql_url):
    response = httpx.get(sparql_url, params={"query": "ASK {}"}, headers={"Host": "attacker.example"})
    assert response.status_code == 400


# -- named queries, page and views -----------------------------------------------------


def test_named_queries_are_listed(endpoint):
    listed = httpx.get(f"{endpoint}/queries").json()
    assert [q["name"] for q in listed] == list(named_queries())
    who = next(q for q in listed if q["name"] == "who-said")
    assert {p["name"] for p in who["parameters"]} >= {"actor", "kind"}


def test_named_query_runs_with_parameters(endpoint, seed_store):
    response = httpx.get(f"{endpoint}/queries/who-said", params={"actor": "Kyiv", "format": "json"})
    assert response.status_code == 200
    got = sorted(b["statement"]["value"] for b in response.json()["results"]["bindings"])
    assert got == sorted(run_named(seed_store, "who-said", {"actor": "Kyiv"}).column("statement"))
    assert got


@pytest.mark.parametrize("path, params, status, words", [
    ("/queries/who-said", {"speaker": "Kyiv"}, 400, "has no parameter 'speaker'"),
    ("/queries/who-said", {"actor": "Atlantis"}, 400, "no actor is called 'Atlantis'"),
    ("/queries/no-such-question", {}, 404, "no query named"),
])
def test_named_query_mistakes_are_explained(endpoint, path, params, status, words):
    response = httpx.get(endpoint + path, params=params)
    assert response.status_code == status and words in response.text


def test_home_page_is_self_contained(endpoint):
    page = httpx.get(f"{endpoint}/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    script = httpx.get(f"{endpoint}/static/editor.js")
    assert script.status_code == 200 and "innerHTML" not in script.text
    assert httpx.get(f"{endpoint}/static/style.css").status_code == 200


def test_views_are_listed_and_rendered_on_request(endpoint):
    listed = httpx.get(f"{endpoint}/views").json()
    assert [v["name"] for v in listed] == ["graph", "timeline", "focus"]
    page = httpx.get(f"{endpoint}/views/timeline", params={"a": "Kyiv", "b": "Moscow"}, timeout=60)
    assert page.status_code == 200 and page.text.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("path, params, status, words", [
    ("/views/map", {}, 404, "no view 'map'"),
    ("/views/timeline", {"a": "Kyiv"}, 400, "both sides"),
    ("/views/graph", {"start": "last week"}, 400, "YYYY-MM-DD"),
    ("/views/focus", {"focus": "no-such-event"}, 400, "no-such-event"),
])
def test_view_mistakes_are_explained(endpoint, path, params, status, words):
    response = httpx.get(endpoint + path, params=params, timeout=60)
    assert response.status_code == status and words in response.text


def test_a_build_while_serving_is_seen_by_the_next_query(mini_store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?e a esc:Event }"
    with serving(mini_store.path) as base:
        before = httpx.get(f"{base}/sparql", params={"query": count}).json()
        build(EmbeddedStore(mini_store.path), [SEED_CASE])
        after = httpx.get(f"{base}/sparql", params={"query": count}).json()
    events = [int(doc["results"]["bindings"][0]["n"]["value"]) for doc in (before, after)]
    assert events[1] == EmbeddedStore(mini_store.path).select(count).column("n")[0] > events[0]


# -- content negotiation on its own ----------------------------------------------------


@pytest.mark.parametrize("kind, accept, name, expected", [
    ("results", None, None, "json"),
    ("results", "text/csv;q=0.2, text/tab-separated-values", None, "tsv"),
    ("results", "application/xml", None, "xml"),
    ("graph", "application/sparql-results+json", None, "turtle"),
    ("graph", "text/turtle", "rdf+xml", "rdfxml"),
    ("graph", None, "n3", "turtle"),
])
def test_negotiate(kind, accept, name, expected):
    assert negotiate(kind, accept, name)[0] == expected


def test_serve_refuses_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "build one first" in result.output


def test_json_results_are_valid_json_with_unicode(sparql_url):
    response = httpx.get(sparql_url, params={"query": "SELECT ?x WHERE { BIND('Зеленський\\t\"q\"' AS ?x) }"})
    assert json.loads(response.content)["results"]["bindings"][0]["x"]["value"] == 'Зеленський\t"q"'

