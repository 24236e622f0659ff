"""Hostile text in every HTML page: the three views (written by ``escgraph view`` and served
by the endpoint) and the endpoint's query page show labels, quotes and URLs from curated
YAML, Turtle, GDELT and ACLED as text. Statically, no payload appears unescaped; in headless
Chromium, after every node's and edge's details are shown, hovered and the query page has
rendered the hostile rows, no dialog opened, no element carries an event handler or a
``javascript:`` link, no element came out of the data, and nothing was requested."""

from __future__ import annotations

import pytest

from graph.views import VIEW_KINDS, render_view
from graph.views.browser import chromium, chromium_missing, open_view

from reliability_support import HOSTILE, invoke

PAYLOADS = (
    "<script>alert(", "<script src=", "</script><script>", "<img src=x onerror", "<svg onload", "<iframe src",
    "<marquee>", "<style>body{background:url", "<b onmouseover", '<a href="javascript:', "<b>night</b>",
)
VIEW_OPTIONS = {"graph": {}, "timeline": {"dyad": ("north", "south")}, "focus": {"focus": "strike"}}
CLI_OPTIONS = {"graph": [], "timeline": ["--dyad", "north", "south"], "focus": ["--focus", "strike"]}
# What a page may not hold once the data is in it: elements the data could have smuggled in.
DOM_AUDIT = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
                 .map(e => e.outerHTML.slice(0, 120)),
    javascriptLinks: all.filter(e => ['href', 'src', 'action', 'formaction', 'xlink:href']
                 .some(name => /^\\s*javascript:/i.test(e.getAttribute(name) || '')))
                 .map(e => e.outerHTML.slice(0, 120)),
    smuggled: [...document.querySelectorAll('img, iframe, frame, object, embed, marquee, svg script, link[href^=http]')]
                 .map(e => e.outerHTML.slice(0, 120)),
  };
}"""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    case = folder / "case.yaml"
    case.write_bytes((HOSTILE / "accepted" / "hostile-text.yaml").read_bytes().replace(b"LISTENER", b"9"))
    store = folder / "store"
    for args in (["build", case, HOSTILE / "rdf" / "hostile-literals.trig", "--store", store],
                 ["import", "gdelt", HOSTILE / "gdelt" / "hostile-text.export.CSV", "--store", store],
                 ["import", "acled", HOSTILE / "acled" / "hostile-text.csv", "--store", store]):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    return store


def _assert_no_raw_payload(html: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html, payload
    assert "alert(" in html  # the hostile text is shown (escaped), not dropped


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_views_escape_every_payload(hostile_store, tmp_path, tally, kind):
    from graph.store import EmbeddedStore

    _assert_no_raw_payload(render_view(EmbeddedStore(hostile_store), kind, **VIEW_OPTIONS[kind]))
    page = tmp_path / f"{kind}.html"
    assert invoke("view", "--kind", kind, *CLI_OPTIONS[kind], "-o", page, "--store", hostile_store).exit_code == 0
    _assert_no_raw_payload(page.read_text(encoding="utf-8"))
    tally["hostile text: pages checked"] += 2


HOVER_HOSTILE_NODES = """() => {
  const v = window.escgraph;
  const ids = v.nodes.getIds().filter(id => /[<>"']/.test(String(v.nodes.get(id).title || '')));
  const positions = v.network.getPositions(ids);
  return ids.map(id => v.network.canvasToDOM(positions[id]));
}"""


@pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_views_run_nothing_in_a_browser(hostile_store, tmp_path, tally, kind):
    page_path = tmp_path / f"{kind}.html"
    assert invoke("view", "--kind", kind, *CLI_OPTIONS[kind], "-o", page_path, "--store", hostile_store).exit_code == 0
    with chromium() as context, open_view(context, page_path) as (page, report):
        page.evaluate("() => { const v = window.escgraph; v.nodes.getIds().forEach(v.showDetails); "
                      "v.edges.getIds().forEach(v.showDetails); }")
        box = page.locator("#network").bounding_box()
        for point in page.evaluate(HOVER_HOSTILE_NODES)[:12]:
            page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
            page.wait_for_timeout(350)  # vis-network shows a title after its hover delay
        audit = page.evaluate(DOM_AUDIT)
    assert report.dialogs == [] and report.outside_requests == []
    assert audit == {"handlers": [], "javascriptLinks": [], "smuggled": []}, audit
    tally["hostile text: pages checked"] += 1


@pytest.fixture(scope="module")
def endpoint(hostile_store):
    from test_server import serving

    with serving(hostile_store) as base:
        yield base


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_served_views_escape_every_payload(endpoint, tally, kind):
    import httpx

    params = {"graph": {}, "timeline": {"a": "north", "b": "south"}, "focus": {"focus": "strike"}}[kind]
    response = httpx.get(f"{endpoint}/views/{kind}", params=params, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    _assert_no_raw_payload(response.text)
    tally["hostile text: pages checked"] += 1


@pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
def test_query_page_shows_hostile_rows_as_text(endpoint, tally):
    query = ("SELECT ?s ?label WHERE { ?s rdfs:label|skos:prefLabel|esc:quote|esc:url|esc:evidence ?label "
             "FILTER(CONTAINS(STR(?label), '<') || CONTAINS(STR(?label), 'javascript:')) }")
    dialogs: list[str] = []
    outside: list[str] = []
    with chromium() as context:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(endpoint)
                   else (outside.append(route.request.url), route.abort()))
        page.goto(f"{endpoint}/")
        page.fill("#query", query)
        page.click("#run")
        page.wait_for_selector("#results table", timeout=60_000)
        cells = page.locator("#results td").all_text_contents()
        audit = page.evaluate(DOM_AUDIT)
        page.close()
    assert any("<script>alert(" in cell for cell in cells)  # shown as text
    assert any("javascript:alert(" in cell for cell in cells)
    assert dialogs == [] and outside == []
    assert audit == {"handlers": [], "javascriptLinks": [], "smuggled": []}, audit
    tally["hostile text: pages checked"] += 1


@pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
def test_the_audit_catches_an_injected_payload():
    """The checks above have teeth: the same audit on a page that did let a payload in."""
    dialogs: list[str] = []
    with chromium() as context:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_content('<p>ok</p><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>')
        page.wait_for_timeout(300)
        audit = page.evaluate(DOM_AUDIT)
        page.close()
    assert dialogs == ["1"]
    assert audit["handlers"] and audit["javascriptLinks"] and audit["smuggled"]
