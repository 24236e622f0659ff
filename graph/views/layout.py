"""Positions for large graphs, computed in Python so the browser need not simulate physics.

networkx's force-directed layouts take about a minute for 5,000 nodes on two cores
(``spring_layout``, ``forceatlas2_layout``; measured, see ``BENCHMARKS.md``). So
:func:`skeleton_layout` runs ``spring_layout`` only on the best-connected nodes (the
actors and busiest acts: the skeleton), then places every other node, breadth-first,
around the mean position of its already placed neighbours on a sunflower spiral, so
siblings of one anchor spread evenly instead of stacking. Components the skeleton does
not reach are laid out the same way on their own and set in rows below it. Linear in
nodes and edges after the skeleton.

Examples
--------
>>> import networkx as nx
>>> G = nx.star_graph(20)
>>> pos = skeleton_layout(G, skeleton_size=5, spacing=10)
>>> len(pos) == 21 and all(len(xy) == 2 for xy in pos.values())
True
>>> len({(round(x), round(y)) for x, y in pos.values()}) == 21   # no two nodes share a spot
True
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

__all__ = ["GOLDEN_ANGLE", "scaled_spring_layout", "skeleton_layout"]

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def scaled_spring_layout(G: nx.Graph, *, spacing: float = 120.0, seed: int = 7) -> dict:
    """networkx's ``spring_layout`` scaled to pixels: about ``spacing`` between neighbours.

    Meant for graphs below 500 nodes (networkx's dense method, NumPy only).
    """
    if len(G) == 0:
        return {}
    if len(G) == 1:
        return {next(iter(G)): (0.0, 0.0)}
    pos = nx.spring_layout(nx.Graph(G), seed=seed, method="force", scale=spacing * math.sqrt(len(G)) / 2)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _grow(G: nx.Graph, pos: dict, spacing: float) -> None:
    """Place the unplaced nodes reachable from ``pos`` around their placed neighbours."""
    placed_count: dict[tuple, int] = defaultdict(int)
    frontier = sorted({m for n in pos for m in G[n] if m not in pos}, key=str)
    while frontier:
        wave: dict = {}
        for node in frontier:
            anchors = sorted((m for m in G[node] if m in pos), key=str)
            x = sum(pos[a][0] for a in anchors) / len(anchors)
            y = sum(pos[a][1] for a in anchors) / len(anchors)
            slot = placed_count[tuple(anchors[:3])] = placed_count[tuple(anchors[:3])] + 1
            radius = spacing * (0.8 + 0.45 * math.sqrt(slot))
            wave[node] = (x + radius * math.cos(slot * GOLDEN_ANGLE), y + radius * math.sin(slot * GOLDEN_ANGLE))
        pos.update(wave)
        frontier = sorted({m for n in wave for m in G[n] if m not in pos}, key=str)


def skeleton_layout(G: nx.Graph, *, skeleton_size: int = 300, spacing: float = 60.0, seed: int = 7) -> dict:
    """Positions ``{node: (x, y)}`` in pixels for a graph too large for physics.

    Parameters
    ----------
    G : networkx graph
        Directions and parallel edges are ignored.
    skeleton_size : int
        How many of the highest-degree nodes ``spring_layout`` places (below 500, so
        networkx stays on its NumPy method).
    spacing : float
        The distance, in pixels, between a node and the first of its placed neighbours.
    seed : int
        Makes the layout reproducible.
    """
    simple = nx.Graph(G)
    pos: dict = {}
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    row_left = row_x = row_y = row_height = row_width = 0.0
    for component in components:
        part = simple.subgraph(component)
        ranked = sorted(part, key=lambda n: (-part.degree(n), str(n)))
        core = scaled_spring_layout(part.subgraph(ranked[:skeleton_size]), spacing=spacing * 2.5, seed=seed)
        _grow(part, core, spacing)
        left, top = min(x for x, _ in core.values()), min(y for _, y in core.values())
        width = max(x for x, _ in core.values()) - left + spacing
        height = max(y for _, y in core.values()) - top + spacing
        if not pos:
            pos.update(core)
            row_left = row_x = left
            row_y = top + height + spacing * 3
            row_width = max(width, spacing * 20)
            continue
        if row_x + width > row_left + row_width and row_height:
            row_x, row_y, row_height = row_left, row_y + row_height + spacing, 0.0
        pos.update({n: (x - left + row_x, y - top + row_y) for n, (x, y) in core.items()})
        row_x += width + spacing
        row_height = max(row_height, height)
    return pos
