"""The views' HTML without a browser: offline, escaped, complete, and the right content."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError, QueryError
from graph.namespaces import INFERRED_GRAPH, record_iri
from graph.pipeline import build
from graph.projection import INFERRED_KEY, project
from graph.store import EmbeddedStore
from graph.views import VIEW_KINDS, chart, render_view, write_view
from graph.views.chart import PHYSICS_NODE_LIMIT, graph_page
from graph.views.focus import default_focus, focus_graph
from graph.views.layout import skeleton_layout
from graph.views.model import dyad_sides
from graph.views.timeline import dyad_acts

from views_support import REPRISAL, STRIKE, inferred_link, page_data

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "views"
REPO = Path(__file__).resolve().parent.parent

XSS_PAYLOADS = (
    "<img src=x onerror=alert('actor')>",
    "<script>alert('source title')</script>",
    "</script><script>alert('breakout')</script>",
    "Southland\"><svg onload=alert('svg')>",
    "Strike <a href=\"javascript:alert('href')\">click here</a>",
)


@pytest.fixture(scope="module")
def xss_store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    build(store, [FIXTURES / "xss-case"])
    return store


class _Outside(HTMLParser):
    """Collects every address the markup would make a browser load."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action", "background") and value:
                self.loads.append(value)
            if name == "style" and value:
                self.loads.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", value))

    def handle_data(self, data):
        if self._in_style:
            self.loads.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", data))
            self.loads.extend(re.findall(r"@import\s+(?:url\()?['\"]?([^'\");]+)", data))

    def handle_endtag(self, tag):
        self._in_style = False


def outside_addresses(html: str) -> list[str]:
    parser = _Outside()
    parser.feed(html)
    return [a for a in parser.loads if re.match(r"^\s*(https?:)?//", a, re.IGNORECASE)
            or not re.match(r"^\s*(data:|#|about:|blob:)", a)]


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_page_loads_nothing_from_elsewhere(seed_store, kind):
    html = render_view(seed_store, kind)
    assert outside_addresses(html) == []
    assert "<link" not in html and "cdn." not in html and "bootstrap" not in html.lower()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src &#x27;none&#x27;" in csp


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_markup_and_script_in_the_data_stay_text(xss_store, kind):
    html = render_view(xss_store, kind, **({"focus": "north-strike"} if kind == "focus" else {}))
    outside_script = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    for payload in XSS_PAYLOADS:
        assert payload not in outside_script
    # Exactly the page's own elements: three scripts, two styles, no injected tags.
    parser = _Outside()
    parser.feed(html)
    assert parser.tags.count("script") == 3 and parser.tags.count("style") == 2
    assert not {"img", "svg", "iframe"} & set(parser.tags)
    assert parser.tags.count("a") == 1  # the details panel's link, empty until a click
    data = page_data(html)
    assert "<img src=x onerror=alert('quote')>" in " ".join(n.get("title", "") for n in data["nodes"])
    assert all("javascript" not in n.get("link", "") for n in data["nodes"])


def test_heading_text_is_escaped_once(xss_store):
    html = render_view(xss_store, "focus", focus="north-strike")
    assert ("<h1>Focus: Strike &lt;a href=&quot;javascript:alert(&#x27;href&#x27;)&quot;&gt;click here&lt;/a&gt;</h1>"
            in html)


def test_graph_page_has_every_projected_node_and_edge(seed_store):
    G = project(seed_store)
    data = page_data(render_view(seed_store, "graph"))
    assert {n["id"] for n in data["nodes"]} == set(G)
    assert len(data["edges"]) == G.number_of_edges()
    labels = {e.get("label") for e in data["edges"]}
    assert {"agent", "target", "said", "about", "responds to", "attributed to"} <= labels
    assert data["options"]["physics"]["enabled"] is True
    groups = {n["group"] for n in data["nodes"]}
    assert {"actor:first", "actor:second", "actor:third", "event:first", "statement:second", "source"} <= groups


def test_graph_page_tooltips_carry_quote_dates_and_source(seed_store):
    nodes = {n["id"]: n for n in page_data(render_view(seed_store, "graph"))["nodes"]}
    title = nodes[record_iri("statement", "barrie-moscow-not-out-of-reach")]["title"]
    assert "“It's fundamentally about showing that Moscow is not out of reach”" in title
    assert "When:" in title and "Source: Ukrainian drone strikes inside Russia" in title
    zelensky = nodes[record_iri("actor", "zelensky")]
    assert zelensky["group"] == "actor:first" and "Side: Ukraine side" in zelensky["title"]


def test_graph_page_date_window_keeps_only_acts_that_meet_it(seed_store):
    data = page_data(render_view(seed_store, "graph", start=dt.date(2023, 8, 1)))
    ids = {n["id"] for n in data["nodes"]}
    assert record_iri("event", "russian-port-sea-drone-strike-2023-08-04") in ids
    assert record_iri("event", "russian-invasion-of-ukraine-2022-02") not in ids
    assert all(n["latest"] >= "2023-08-01" for n in data["nodes"] if "latest" in n)


def _synthetic(n_actors: int, n_events: int) -> nx.MultiDiGraph:
    """A projected-looking graph of states and strikes between them."""
    G = nx.MultiDiGraph()
    for a in range(n_actors):
        G.add_node(f"actor{a}", kind="actor", type="State", name=f"State {a}")
    for e in range(n_events):
        G.add_node(f"event{e}", kind="event", type="Event", label=f"Strike {e}", quad_class=4, goldstein=-10.0,
                   earliest=dt.date(2023, 1, 1) + dt.timedelta(days=e % 300), latest=dt.date(2023, 12, 31))
        G.add_edge(f"event{e}", f"actor{e % n_actors}", "agent")
        G.add_edge(f"event{e}", f"actor{(e * 7 + 1) % n_actors}", "target")
    return G


def test_large_graph_gets_a_precomputed_layout_and_no_physics():
    G = _synthetic(40, PHYSICS_NODE_LIMIT)
    data = page_data(graph_page(G))
    assert len(data["nodes"]) == len(G) > PHYSICS_NODE_LIMIT
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["edges"]["smooth"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_skeleton_layout_is_complete_separate_and_reproducible():
    G = nx.disjoint_union(nx.barabasi_albert_graph(800, 2, seed=3), nx.path_graph(5))
    first, second = skeleton_layout(G, skeleton_size=100), skeleton_layout(G, skeleton_size=100)
    assert first == second and set(first) == set(G)
    assert len({(round(x), round(y)) for x, y in first.values()}) > 0.95 * len(G)
    main_bottom = max(first[n][1] for n in range(800))
    assert all(first[n][1] > main_bottom for n in range(800, 805))  # the small component sits below


def test_timeline_has_the_dyad_acts_in_lanes_by_side(seed_store):
    data = page_data(render_view(seed_store, "timeline", dyad=("Kyiv", "Moscow")))
    G = project(seed_store)
    sides = dyad_sides(G, (record_iri("actor", "ukraine"), record_iri("actor", "russia")))
    assert {n["id"] for n in data["nodes"]} == set(dyad_acts(G, sides))
    lanes = [lane["label"] for lane in data["timeline"]["lanes"]]
    assert lanes[0] == "Ukraine side" and lanes[1] == "Russia side"
    y = {n["id"]: n["y"] for n in data["nodes"]}
    strike = record_iri("event", "moscow-skyscraper-strike-2023-08-01")
    invasion = record_iri("event", "russian-invasion-of-ukraine-2022-02")
    assert data["timeline"]["lanes"][0]["top"] < y[strike] < data["timeline"]["lanes"][0]["bottom"]
    assert data["timeline"]["lanes"][1]["top"] < y[invasion] < data["timeline"]["lanes"][1]["bottom"]
    x = {n["id"]: n["x"] for n in data["nodes"]}
    assert x[invasion] < x[strike]
    # An analyst's remark is not a government's reaction, unless asked for.
    assert record_iri("statement", "giles-steady-drumbeat") not in x


def test_timeline_sizes_and_colours_acts_by_goldstein(seed_store):
    nodes = {n["id"]: n for n in page_data(render_view(seed_store, "timeline"))["nodes"]}
    strike = nodes[record_iri("event", "moscow-skyscraper-strike-2023-08-01")]   # CAMEO 195: -10
    statement = nodes[record_iri("statement", "russia-declines-details")]         # CAMEO 011: -0.1
    assert strike["size"] > statement["size"]
    assert strike["color"]["background"] != statement["color"]["background"]


def test_timeline_draws_asserted_and_inferred_links_differently(mini_store):
    mini_store.replace_graphs([INFERRED_GRAPH], inferred_link(REPRISAL, STRIKE))
    edges = page_data(render_view(mini_store, "timeline"))["edges"]
    asserted = [e for e in edges if e["kind"] == "respondsTo"]
    inferred = [e for e in edges if e["kind"] == INFERRED_KEY]
    assert len(asserted) == len(inferred) == 1
    for edge in asserted + inferred:
        assert (edge["from"], edge["to"]) == (STRIKE, REPRISAL)   # stimulus → response
    assert asserted[0]["dashes"] is False and inferred[0]["dashes"] is True
    assert asserted[0]["color"] != inferred[0]["color"]
    assert "reversed-dyad window 14 days" in inferred[0]["title"]


def test_focus_shows_who_did_said_and_answered(seed_store):
    event = record_iri("event", "moscow-drone-strikes-2023-07-29")
    data = page_data(render_view(seed_store, "focus", focus="moscow-drone-strikes-2023-07-29"))
    ids = {n["id"] for n in data["nodes"]}
    assert {record_iri("actor", "ukraine"), record_iri("actor", "russia"),            # agent, target
            record_iri("statement", "russia-pins-attacks-on-kyiv"),                 # attribution
            record_iri("statement", "witness-explosion-in-moscow"),                 # testimony
            record_iri("actor", "witness")} <= ids
    about = {e["from"]: e["label"] for e in data["edges"] if e["to"] == event and e["kind"] == "about"}
    assert about[record_iri("statement", "russia-pins-attacks-on-kyiv")] == "attribution or accusation"
    assert ids == set(focus_graph(project(seed_store), event))


def test_focus_shows_what_an_event_answered(seed_store):
    G = project(seed_store)
    assert default_focus(G) == record_iri("event", "russian-bombardment-of-ukrainian-cities")
    data = page_data(render_view(seed_store, "focus"))
    kinds = {(e["from"], e["to"]): e["kind"] for e in data["edges"]}
    assert kinds[(record_iri("event", "russian-bombardment-of-ukrainian-cities"),
                  record_iri("event", "drone-strikes-inside-russia-summer-2023"))] == "respondsTo"
    assert record_iri("statement", "kremlin-links-reprisals-to-strikes") in {n["id"] for n in data["nodes"]}


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"kind": "focus", "focus": "no-such-event"}, QueryError, "no event has the id"),
    ({"kind": "timeline", "dyad": ("Kyiv", "Atlantis")}, QueryError, "no actor is called 'Atlantis'"),
    ({"kind": "timeline", "dyad": ("Kyiv", "Ukraine")}, InputError, "two different actors"),
    ({"kind": "graph", "focus": "x"}, InputError, "--focus is for the focus view"),
    ({"kind": "focus", "dyad": ("Kyiv", "Moscow")}, InputError, "--dyad is for the graph and timeline"),
    ({"kind": "map"}, InputError, "unknown view 'map'"),
    ({"kind": "graph", "start": dt.date(2023, 9, 1), "end": dt.date(2023, 1, 1)}, InputError, "is after"),
])
def test_wrong_options_give_clear_errors(seed_store, options, error, message):
    with pytest.raises(error, match=re.escape(message)):
        render_view(seed_store, **options)


def test_views_of_an_empty_store(tmp_path):
    store = EmbeddedStore(None)
    data = page_data(render_view(store, "graph"))
    assert data["nodes"] == []
    # Regression: with physics on, an empty page never fired "stabilised" and never became ready.
    assert data["options"]["physics"]["enabled"] is False
    with pytest.raises(InputError, match="--dyad"):
        render_view(store, "timeline")
    with pytest.raises(QueryError, match="no events"):
        render_view(store, "focus")


def test_write_view_replaces_the_file_whole(seed_store, tmp_path):
    path = write_view(seed_store, tmp_path / "sub" / "g.html", kind="graph")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in path.parent.iterdir()) == ["g.html"]


def test_cli_writes_views_and_never_a_lib_folder(seed_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["view", "--store", str(seed_store.path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "view-graph.html").is_file()
    result = runner.invoke(main, ["view", "--store", str(seed_store.path), "--kind", "timeline",
                                  "--dyad", "Kyiv", "Moscow", "--from", "2023-06-01", "-o", "t.html"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["view", "--store", str(seed_store.path), "--focus",
                                  "moscow-skyscraper-strike-2023-08-01", "-o", "f.html"])
    assert result.exit_code == 0, result.output
    assert "Focus: Drone strike on the same Moscow skyscraper" in (tmp_path / "f.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.html", "t.html", "view-graph.html"]


@pytest.mark.parametrize(("args", "message"), [
    (["--focus", "atlantis"], "no event has the id 'atlantis'"),
    (["--kind", "timeline", "--dyad", "Kyiv", "Atlantis"], "no actor is called 'Atlantis'"),
    (["--from", "2023-09-01", "--to", "2023-01-01"], "is after"),
])
def test_cli_errors_are_one_line_and_exit_2(seed_store, tmp_path, args, message):
    result = CliRunner().invoke(main, ["view", "--store", str(seed_store.path), "-o", str(tmp_path / "v.html"), *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "v.html").exists()


def test_view_command_is_documented():
    result = CliRunner().invoke(main, ["view", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "escgraph view" in readme
    for name in ("view-graph.png", "view-timeline.png", "view-focus.png"):
        assert f"](docs/{name})" in readme and (REPO / "docs" / name).is_file()


def test_a_store_with_more_events_than_a_view_holds_is_refused_before_it_is_read(seed_store, monkeypatch):
    def read_whole_store(store):
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(chart, "MAX_VIEW_NODES", 15)  # the seed holds 16 events
    monkeypatch.setattr(chart, "project", read_whole_store)
    with pytest.raises(InputError, match="more than 15 events"):
        chart.graph_view(seed_store)
    with pytest.raises(AssertionError):  # with a window the events kept are not known before
        chart.graph_view(seed_store, start=dt.date(2023, 7, 1))
    monkeypatch.setattr(chart, "MAX_VIEW_NODES", 16)
    with pytest.raises(AssertionError):
        chart.graph_view(seed_store)
