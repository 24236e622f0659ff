"""The views in headless Chromium (Debian's chromium, driven by Playwright; no browser download):
no console errors, no request leaves the page, every node is drawn, quoted markup stays text,
and the graph view's filters hide what they should."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.namespaces import record_iri
from graph.pipeline import build
from graph.projection import project
from graph.store import EmbeddedStore
from graph.views import VIEW_KINDS, render_view
from graph.views.browser import chromium, chromium_missing, open_view
from graph.views.focus import focus_graph
from graph.views.model import dyad_sides
from graph.views.timeline import dyad_acts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "views"


@pytest.fixture(scope="module")
def browser():
    reason = chromium_missing()
    if reason is not None:
        pytest.skip(reason)
    with chromium(width=1400, height=900) as context:
        yield context


@pytest.fixture(scope="module")
def pages(seed_store, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    paths = {}
    for kind in VIEW_KINDS:
        paths[kind] = folder / f"{kind}.html"
        paths[kind].write_text(render_view(seed_store, kind), encoding="utf-8")
    return paths


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_view_loads_offline_without_errors_and_draws_every_node(browser, pages, seed_store, kind):
    with open_view(browser, pages[kind]) as (page, report):
        drawn = page.evaluate("escgraph.nodes.length")
        positions = page.evaluate("Object.keys(escgraph.network.getPositions()).length")
        assert page.evaluate("document.title")
    assert report.console_errors == []
    assert report.outside_requests == []
    assert report.dialogs == []
    G = project(seed_store)
    expected = {
        "graph": len(G),
        "timeline": len(dyad_acts(G, dyad_sides(G))),
        "focus": len(focus_graph(G, record_iri("event", "russian-bombardment-of-ukrainian-cities"))),
    }[kind]
    assert drawn == positions == expected > 0


@pytest.fixture(scope="module")
def xss_pages(tmp_path_factory) -> dict[str, Path]:
    store = EmbeddedStore(None)
    build(store, [FIXTURES / "xss-case"])
    folder = tmp_path_factory.mktemp("xss")
    paths = {}
    for kind in VIEW_KINDS:
        paths[kind] = folder / f"{kind}.html"
        paths[kind].write_text(render_view(store, kind, **({"focus": "north-strike"} if kind == "focus" else {})),
                               encoding="utf-8")
    return paths


_ELEMENTS = """() => ({
  injected: document.querySelectorAll('img, svg, iframe, object, embed, main b, h1 *').length,
  scripts: document.scripts.length,
  styles: document.querySelectorAll('style').length,
  links: [...document.querySelectorAll('a')].map(a => a.getAttribute('href')),
})"""


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_quoted_markup_and_script_stay_text(browser, xss_pages, kind):
    quote_holder = record_iri("statement", "north-claim")
    actor = record_iri("actor", "northland")
    with open_view(browser, xss_pages[kind]) as (page, report):
        elements = page.evaluate(_ELEMENTS)
        assert page.evaluate("getComputedStyle(document.body).display") != "none"
        shown = quote_holder if page.evaluate(f"escgraph.nodes.get({quote_holder!r}) !== null") else actor
        page.evaluate(f"escgraph.showDetails({shown!r})")
        details = page.inner_text("#details-text")
        link_hidden = page.evaluate("document.getElementById('details-link').hidden")
        # Hover the node: vis-network's own tooltip must show the same text, literally.
        x, y = page.evaluate(f"""() => {{
            const p = escgraph.network.canvasToDOM(escgraph.network.getPositions([{shown!r}])[{shown!r}]);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }}""")
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        tooltip = page.inner_text("div.vis-tooltip")
        tooltip_tags = page.evaluate("[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
        heading = page.inner_text("h1")
        legend = page.inner_text("details.legend")
        page.wait_for_timeout(200)
    assert report.dialogs == [] and report.console_errors == [] and report.outside_requests == []
    # The page's own elements only: its three scripts and two styles, one (empty) link.
    assert elements == {"injected": 0, "scripts": 3, "styles": 2, "links": [None]}
    if shown == quote_holder:
        assert "<img src=x onerror=alert('quote')>" in details
        assert "<script>alert('paraphrase')</script>" in details
    else:
        assert "<img src=x onerror=alert('actor')>" in details
    assert details.splitlines()[0] in tooltip
    assert set(tooltip_tags) <= {"BR"}  # line breaks only, no markup
    assert link_hidden  # the javascript: URL is shown as text, never made a link
    shown_as_text = {
        "graph": ("<img src=x onerror=alert('actor')> side", legend),
        "timeline": ("<img src=x onerror=alert('actor')> ↔ Southland\"><svg onload=alert('svg')>", heading),
        "focus": ("Focus: Strike <a href=\"javascript:alert('href')\">click here</a>", heading),
    }
    text, where = shown_as_text[kind]
    assert text in where


def _hidden(page) -> set[str]:
    return set(page.evaluate("escgraph.nodes.get({filter: n => n.hidden === true}).map(n => n.id)"))


def test_filters_hide_and_show_nodes(browser, pages, seed_store):
    G = project(seed_store)
    statements = {n for n, d in G.nodes(data=True) if d["kind"] == "statement"}
    zelensky_warning = record_iri("statement", "zelensky-war-gradually-returning-to-russia")
    giles = record_iri("statement", "giles-startle-value")
    invasion = record_iri("event", "russian-invasion-of-ukraine-2022-02")
    port_strike = record_iri("event", "russian-port-sea-drone-strike-2023-08-04")
    with open_view(browser, pages["graph"]) as (page, report):
        assert _hidden(page) == set()

        page.fill("input[name=actor]", "Kyiv")
        hidden = _hidden(page)
        assert giles in hidden and zelensky_warning not in hidden
        assert record_iri("actor", "ukraine") not in hidden and record_iri("actor", "zelensky") not in hidden
        assert record_iri("actor", "isw") in hidden
        assert "showing" in page.inner_text("output[name=count]")

        page.click("button[type=reset]")
        # wait_for_function polls with eval(), which the page's CSP forbids; poll from here instead
        for _ in range(100):
            if not _hidden(page):
                break
            page.wait_for_timeout(50)
        assert _hidden(page) == set()
        page.uncheck("input[name=kind][value=statement]")
        assert _hidden(page) == statements

        page.check("input[name=kind][value=statement]")
        page.fill("input[name=from]", "2023-08-01")
        hidden = _hidden(page)
        assert invasion in hidden and port_strike not in hidden
        assert record_iri("actor", "ukraine") not in hidden  # the agent of a strike left in view

        page.fill("input[name=from]", "")
        assert _hidden(page) == set()
    assert report.console_errors == [] and report.outside_requests == []
