"""No outbound requests: data carrying the URL of a local listening socket is built,
validated, imported, extracted, exported, queried, analysed, served and viewed, and the
socket sees no connection. The URL sits in every place a fetch could start from: source
and event URLs, quotes and descriptions, Turtle ``@base``/``@prefix``, ``owl:imports``,
a JSON-LD remote ``@context``, an RDF/XML external entity, SPARQL ``SERVICE``/``FROM``/
``LOAD``/``DESCRIBE``, GDELT's SOURCEURL and ACLED's notes."""

from __future__ import annotations

import csv
import io
import time

import httpx
import pytest

from graph.queries import named_queries

from reliability_support import HOSTILE, Listener, escgraph, invoke


@pytest.fixture(scope="module")
def listener():
    with Listener() as socket_listener:
        yield socket_listener


def _with_port(text: bytes, listener: Listener) -> bytes:
    return text.replace(b"LISTENER", str(listener.port).encode()).replace(b"127.0.0.1:9/", listener.url[7:].encode())


@pytest.fixture(scope="module")
def loaded(listener, tmp_path_factory):
    """A store holding the hostile YAML case, the remote-references Turtle file, and the
    hostile GDELT and ACLED files, every URL in them pointing at the listener."""
    folder = tmp_path_factory.mktemp("outbound")
    files = {}
    for name, source in (("case.yaml", HOSTILE / "accepted" / "hostile-text.yaml"),
                         ("remote.ttl", HOSTILE / "rdf" / "remote-references.ttl"),
                         ("events.export.CSV", HOSTILE / "gdelt" / "hostile-text.export.CSV"),
                         ("events.csv", HOSTILE / "acled" / "hostile-text.csv")):
        files[name] = folder / name
        files[name].write_bytes(_with_port(source.read_bytes(), listener))
    store = folder / "store"
    for args in (["validate", files["case.yaml"], files["remote.ttl"]],
                 ["build", files["case.yaml"], files["remote.ttl"], "--store", store],
                 ["import", "gdelt", files["events.export.CSV"], "--store", store],
                 ["import", "acled", files["events.csv"], "--store", store]):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    assert str(listener.port) in (files["case.yaml"].read_text(encoding="utf-8"))
    return folder, store


def _assert_quiet(listener: Listener, tally) -> None:
    time.sleep(0.2)  # a connection attempt in flight would land by now
    tally["outbound connections"] += listener.connections
    assert listener.connections == 0, listener.requests


def test_build_validate_and_import_fetch_nothing(loaded, listener, tally):
    folder, store = loaded
    result = escgraph("build", folder / "case.yaml", folder / "remote.ttl", "--store", store)  # a real process too
    assert result.returncode == 0, result.stderr
    tally["outbound checks"] += 5
    _assert_quiet(listener, tally)


@pytest.mark.parametrize("name", ["remote-context.jsonld", "rdf-xml.rdf"])
def test_remote_context_and_external_entity_are_never_fetched(listener, tmp_path, tally, name):
    path = tmp_path / name
    path.write_bytes(_with_port((HOSTILE / "rdf" / name).read_bytes(), listener))
    for command in (["validate", path], ["build", path, "--store", tmp_path / "store"]):
        assert invoke(*command).exit_code == 2
    tally["outbound checks"] += 2
    _assert_quiet(listener, tally)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_export_fetches_nothing(loaded, listener, tmp_path, tally, fmt):
    _, store = loaded
    out = tmp_path / f"export.{fmt}"
    assert invoke("export", "--format", fmt, "-o", out, "--store", store).exit_code == 0
    assert str(listener.port) in out.read_text(encoding="utf-8")
    tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


def test_every_named_query_and_stats_fetch_nothing(loaded, listener, tally):
    _, store = loaded
    assert invoke("stats", "--store", store).exit_code == 0
    for name in named_queries():
        result = invoke("query", name, "--format", "json", "--store", store)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


def test_sparql_naming_the_listener_fetches_nothing(loaded, listener, tally):
    _, store = loaded
    url = listener.url
    for query, code in [
        (f"DESCRIBE <{url}event>", 0),
        (f"SELECT * FROM <{url}graph> WHERE {{ ?s ?p ?o }} LIMIT 1", 0),
        (f"SELECT * FROM NAMED <{url}graph> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1", 0),
        (f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), '{url}')) }}", 0),
        (f"SELECT * WHERE {{ BIND(IRI('{url}bind') AS ?x) }}", 0),
        (f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}", 2),
        (f"LOAD <{url}data.ttl>", 2),
    ]:
        assert invoke("sparql", query, "--store", store).exit_code == code, query
        tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


@pytest.mark.parametrize("analysis", ["chains", "reciprocity", "say-do", "deniability", "infer-links"])
def test_analyses_fetch_nothing(loaded, listener, tally, analysis):
    _, store = loaded
    result = invoke("analyse", analysis, "--store", store)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


def test_extract_fetches_nothing(listener, tmp_path, tally):
    article = tmp_path / "article.txt"
    article.write_text(f'Strikes\n"See {listener.url}quote," Anna Berg told Reuters on Monday.\n'
                       f'<img src="{listener.url}pixel.gif"> <script src="{listener.url}x.js"></script>\n',
                       encoding="utf-8")
    result = invoke("extract", article, "--published", "2024-03-08", "--url", f"{listener.url}article",
                    "--no-curated", "-o", tmp_path / "draft.yaml")
    assert result.exit_code == 0, result.output
    tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


VIEWS = [("graph", []), ("timeline", ["--dyad", "north", "south"]), ("focus", ["--focus", "strike"])]


@pytest.mark.parametrize(("kind", "options"), VIEWS)
def test_views_fetch_nothing_when_written_and_opened(loaded, listener, tmp_path, tally, kind, options):
    from graph.views.browser import chromium, chromium_missing, open_view

    _, store = loaded
    page = tmp_path / f"{kind}.html"
    result = invoke("view", "--kind", kind, *options, "-o", page, "--store", store)
    assert result.exit_code == 0, result.output
    tally["outbound checks"] += 1
    if chromium_missing() is None:
        with chromium() as context, open_view(context, page) as (browser_page, report):
            browser_page.evaluate("() => { const v = window.escgraph; v.nodes.getIds().forEach(v.showDetails); "
                                  "v.edges.getIds().forEach(v.showDetails); }")
            browser_page.wait_for_timeout(200)
        assert report.outside_requests == [] and report.dialogs == []
        tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


def test_endpoint_serves_the_data_and_fetches_nothing(loaded, listener, tally):
    from test_server import serving

    _, store = loaded
    with serving(store) as base:
        for path, params in [("/sparql", {"query": f"DESCRIBE <{listener.url}event>"}),
                             ("/sparql", {"query": "ASK {}", "default-graph-uri": f"{listener.url}graph"}),
                             ("/sparql", {"query": f"SELECT * WHERE {{ SERVICE <{listener.url}s> {{ ?s ?p ?o }} }}"}),
                             ("/sparql", {"query": f"LOAD <{listener.url}data.ttl>"}),
                             ("/views/graph", {}), ("/views/focus", {"focus": "strike"}),
                             ("/views/timeline", {"a": "north", "b": "south"}), ("/", {})]:
            response = httpx.get(base + path, params=params, timeout=60)
            assert response.status_code in (200, 403), (path, response.status_code, response.text[:200])
            tally["outbound checks"] += 1
    _assert_quiet(listener, tally)


def test_gdelt_and_acled_urls_stay_literals(loaded, listener):
    _, store = loaded
    result = invoke("sparql", f"SELECT ?u WHERE {{ ?e esc:url ?u FILTER(STRSTARTS(STR(?u), '{listener.url}')) }}",
                    "--format", "csv", "--store", store)
    urls = [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:]
    assert urls and all(u.startswith(listener.url) for u in urls)


def test_the_listener_counts_a_real_fetch():
    """The checks above have teeth: a fetch of the listener's URL is counted."""
    with Listener() as probe:
        with pytest.raises(httpx.HTTPError):  # the listener answers nothing
            httpx.get(probe.url + "anything", timeout=5)
        time.sleep(0.2)
    assert probe.connections == 1 and probe.requests[0].startswith(b"GET /anything")
