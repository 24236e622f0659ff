"""B4 views: how long until a 5,000-node / 10,000-edge graph view is interactive in
headless Chromium, ours side by side with pyvis's default path in the same run.

- **ours**: :func:`graph.views.chart.graph_page` -- node and edge dicts appended to the
  pyvis ``Network``, the layout precomputed in Python
  (:func:`graph.views.layout.skeleton_layout`), physics off past
  :data:`~graph.views.chart.PHYSICS_NODE_LIMIT` nodes, straight edges;
- **pyvis default** (the baseline): the same nodes, labels, tooltips and edges through
  ``Network.add_node`` / ``Network.add_edge`` (which scans every node on each call),
  pyvis's own template with ``cdn_resources="in_line"`` and its default physics
  (Barnes-Hut, 1,000 stabilisation iterations behind a loading bar).

Measured per path: **build** (Python, graph → HTML string), the page's size, **time to
interactive** (navigation start to the first frame drawn with every node in place: our
page's ``escgraph.readyAt``; for pyvis, the moment its loading bar is hidden after
stabilisation -- polled every 50 ms), and **frame** (median time of five zoom steps
from ``moveTo`` to the next ``afterDrawing``, once interactive). Both pages run in the
same Chromium (Debian's, driven by Playwright) with every outside request refused:
pyvis's page asks a CDN for Bootstrap, which is refused at once.

The graph is synthetic and shaped like a projected store: a few states, officials
acting for them, events between them (agent, target), statements (speaker, about),
and ``partOf`` links up to the edge count; every node has a label and a tooltip.

Run: ``python -m bench.bench_views`` (5,000 nodes, 10,000 edges) or
``python -m bench.bench_views --quick`` (1,000 / 2,000: below the physics threshold,
so ours runs physics too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from bench.common import markdown_table, save
from graph.views.browser import chromium, chromium_missing
from graph.views.chart import PHYSICS_NODE_LIMIT, graph_network, graph_page
from graph.views.model import dyad_sides

__all__ = ["main", "measure_page", "pyvis_default_page", "run", "synthetic_graph"]

_OURS_READY = "() => window.escgraph !== undefined && escgraph.ready === true ? escgraph.readyAt : false"
_PYVIS_READY = """() => {
  const bar = document.getElementById('loadingBar');
  const done = typeof network !== 'undefined' && (bar === null || bar.style.opacity === '0');
  return done ? performance.now() : false;
}"""
_FRAMES = """async () => {
  const net = window.escgraph !== undefined ? escgraph.network : network;
  net.fit({animation: false});
  const overview = net.getScale();
  const times = [];
  for (let i = 1; i <= 5; i++) {
    const start = performance.now();
    await new Promise(resolve => { net.once('afterDrawing', resolve); net.moveTo({scale: overview * (1 + 0.3 * i)}); });
    times.push(performance.now() - start);
  }
  return times;
}"""


def synthetic_graph(nodes: int = 5_000, edges: int = 10_000, *, seed: int = 7) -> nx.MultiDiGraph:
    """A projected-looking graph with exactly ``nodes`` nodes and ``edges`` edges."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    n_actors = max(4, nodes // 25)
    n_states = max(2, n_actors // 10)
    n_events = (nodes - n_actors) // 2
    n_statements = nodes - n_actors - n_events
    states = [f"state/{i}" for i in range(n_states)]
    actors = states + [f"official/{i}" for i in range(n_actors - n_states)]
    for i, state in enumerate(states):
        G.add_node(state, kind="actor", type="State", name=f"State {i}", key=state)
    for actor in actors[n_states:]:
        G.add_node(actor, kind="actor", type="Person", name=f"Official {actor.split('/')[1]}", key=actor,
                   role="spokesperson")
        G.add_edge(actor, rng.choice(states), "actsFor")
    day0 = dt.date(2023, 1, 1)
    events = []
    for i in range(n_events):
        event = f"event/{i}"
        earliest = day0 + dt.timedelta(days=rng.randrange(365))
        G.add_node(event, kind="event", type="Event", key=event, label=f"Strike {i} on a depot near a border town",
                   earliest=earliest, latest=earliest + dt.timedelta(days=rng.choice((0, 0, 1, 6))),
                   goldstein=-10.0, quad_class=4, cameo="195", event_type_label="drone strike",
                   evidence=f"Officials said drones struck the depot (incident {i}).")
        agent, target = rng.sample(states, 2)
        G.add_edge(event, agent, "agent")
        G.add_edge(event, target, "target")
        events.append(event)
    for i in range(n_statements):
        statement = f"statement/{i}"
        about = rng.choice(events)
        G.add_node(statement, kind="statement", type="Statement", key=statement, speech_act="warning",
                   speech_act_label="warning", goldstein=-4.0, earliest=G.nodes[about]["earliest"],
                   latest=G.nodes[about]["earliest"] + dt.timedelta(days=1),
                   quote=f"We will answer this attack in kind, and soon ({i}).")
        G.add_edge(statement, rng.choice(actors), "speaker")
        G.add_edge(statement, about, "about")
    while G.number_of_edges() < edges:
        part, whole = rng.sample(events, 2)
        if not G.has_edge(part, whole, "partOf"):
            G.add_edge(part, whole, "partOf")
    return G


def pyvis_default_page(G: nx.MultiDiGraph) -> str:
    """The baseline: the same nodes and edges through pyvis's public per-item API and template."""
    ours = graph_network(G, sides=dyad_sides(G), physics=False, positions={n: (0.0, 0.0) for n in G})
    net = Network(directed=True, cdn_resources="in_line")
    for node in ours.nodes:
        net.add_node(node["id"], label=node["label"], title=node["title"],
                     shape=ours.options["groups"][node["group"]]["shape"],
                     color=ours.options["groups"][node["group"]]["color"]["background"])
    for edge in ours.edges:
        net.add_edge(edge["from"], edge["to"], label=edge.get("label", ""), color=edge["color"]["color"])
    return net.generate_html()


def measure_page(context, html: str, ready: str, *, timeout_s: float) -> dict[str, float]:
    """Time to interactive and frame time of one page, loaded from a file."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with tempfile.TemporaryDirectory(prefix="b4-") as folder:
        path = Path(folder) / "view.html"
        path.write_text(html, encoding="utf-8")
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        try:
            # Not waiting for "load": pyvis's page blocks it while its physics settles.
            page.goto(path.as_uri(), wait_until="commit")
            try:
                handle = page.wait_for_function(ready, timeout=timeout_s * 1000, polling=50)
            except PlaywrightTimeout:
                return {"interactive_s": None, "frame_ms": None, "nodes_drawn": None}
            interactive = float(handle.json_value()) / 1000
            frames = page.evaluate(_FRAMES)
            count = page.evaluate("(window.escgraph !== undefined ? escgraph.nodes : nodes).length")
        finally:
            page.close()
    return {"interactive_s": interactive, "frame_ms": statistics.median(frames), "nodes_drawn": count}


def _path(name: str, build, ready: str, context, *, runs: int, timeout_s: float) -> dict[str, object]:
    builds, measures = [], []
    for _ in range(runs):
        start = time.perf_counter()
        html = build()
        builds.append(time.perf_counter() - start)
        measures.append(measure_page(context, html, ready, timeout_s=timeout_s))
        print(f"  {name}: build {builds[-1]:.2f} s, {measures[-1]}", file=sys.stderr)
    finished = [m for m in measures if m["interactive_s"] is not None]
    return {"path": name, "build_s": statistics.median(builds), "html_mb": len(html.encode()) / 1e6,
            "interactive_s": statistics.median(m["interactive_s"] for m in finished) if finished else None,
            "frame_ms": statistics.median(m["frame_ms"] for m in finished) if finished else None,
            "nodes_drawn": finished[-1]["nodes_drawn"] if finished else None, "runs": runs,
            "timed_out": len(measures) - len(finished)}


def run(nodes: int, edges: int, *, runs: int = 1, timeout_s: float = 900.0) -> dict[str, object]:
    """Measure both paths on one synthetic graph in one browser."""
    G = synthetic_graph(nodes, edges)
    with chromium(width=1600, height=1000) as context:
        ours = _path("ours", lambda: graph_page(G), _OURS_READY, context, runs=runs, timeout_s=timeout_s)
        baseline = _path("pyvis default", lambda: pyvis_default_page(G), _PYVIS_READY, context, runs=runs,
                         timeout_s=timeout_s)
    for result in (ours, baseline):
        if result["nodes_drawn"] not in (None, len(G)):
            raise RuntimeError(f"{result['path']} drew {result['nodes_drawn']} nodes of {len(G)}")
    if ours["interactive_s"] is None:
        raise RuntimeError(f"our view was not interactive within {timeout_s:.0f} s")
    return {"nodes": len(G), "edges": G.number_of_edges(), "physics_limit": PHYSICS_NODE_LIMIT,
            "load_average": os.getloadavg(),
            "timeout_s": timeout_s, "paths": [ours, baseline],
            "ratio_interactive": (baseline["interactive_s"] or timeout_s) / ours["interactive_s"],
            "ratio_build": baseline["build_s"] / ours["build_s"]}


def report(result: dict[str, object]) -> str:
    """The results as a markdown table and the two ratios."""
    def cell(value, form: str, late: str) -> str:
        return late if value is None else format(value, form)

    timeout = f"> {result['timeout_s']:.0f} (gave up)"
    rows = [[p["path"], f"{p['build_s']:.2f}", f"{p['html_mb']:.1f}", cell(p["interactive_s"], ".2f", timeout),
             cell(p["frame_ms"], ".0f", "-"), p["runs"]] for p in result["paths"]]
    table = markdown_table(["path", "build s", "HTML MB", "interactive s", "frame ms", "runs"], rows)
    at_least = "> " if result["paths"][1]["interactive_s"] is None else ""
    load = ", ".join(f"{x:.1f}" for x in result["load_average"])
    return (f"{result['nodes']:,} nodes, {result['edges']:,} edges (load average after the run: {load})\n\n"
            f"{table}\n\n"
            f"pyvis default / ours: time to interactive {at_least}x{result['ratio_interactive']:.1f}, "
            f"build x{result['ratio_build']:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B4: time until a large graph view is interactive in Chromium")
    parser.add_argument("--nodes", type=int, default=5_000)
    parser.add_argument("--edges", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1,000 nodes and 2,000 edges")
    parser.add_argument("--runs", type=int, default=1, help="runs per path (the median is reported)")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up on a page after this many seconds")
    args = parser.parse_args(argv)
    reason = chromium_missing()
    if reason is not None:
        print(f"B4 needs a browser: {reason}", file=sys.stderr)
        return 2
    nodes, edges = (1_000, 2_000) if args.quick else (args.nodes, args.edges)
    result = run(nodes, edges, runs=args.runs, timeout_s=args.timeout)
    print(report(result))
    print(f"results: {save('b4_views' + ('_quick' if args.quick else ''), result)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
