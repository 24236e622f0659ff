"""Interactive views with pyvis: the graph, a dyad's timeline, an event's neighbourhood.

Each view is a pure function from a store (and options) to one self-contained HTML
string — every script and style inline, no request to anywhere when opened, every
text escaped — so the command line writes it to a file and the SPARQL endpoint can
serve it as it is.

- :func:`graph_view` — actors, events, statements and sources as a link chart, with a
  legend, tooltips and a filter form (actor, kind, date range);
- :func:`timeline_view` — a dyad's acts on a time axis, one lane per side, with
  stimulus → response arrows (asserted solid, inferred dashed) and Goldstein colours;
- :func:`focus_view` — one event: who did it, who claimed, denied or attributed it, who
  said what about it, what it answered and what answered it.

Each has a lower-level twin that takes a projected networkx graph instead of a store
(:func:`~graph.views.chart.graph_page`, :func:`~graph.views.timeline.timeline_page`,
:func:`~graph.views.focus.focus_page`), for graphs built by the analytics.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from graph.pipeline import build
>>> from graph.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> _ = build(store)
>>> html = graph_view(store)                        # a str: serve it, or write it
>>> html.startswith("<!DOCTYPE html>")
True
>>> out = Path(tempfile.mkdtemp())
>>> write_view(store, out / "timeline.html", kind="timeline", dyad=("Kyiv", "Moscow")).name
'timeline.html'
>>> page = render_view(store, "focus", focus="moscow-skyscraper-strike-2023-08-01")
>>> "Focus: Drone strike on the same Moscow skyscraper" in page
True
>>> sorted(p.name for p in demo_views(store, out))
['view-focus.html', 'view-graph.html', 'view-timeline.html']
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from graph.errors import InputError
from graph.store import Store
from graph.views.chart import graph_page, graph_view
from graph.views.focus import focus_page, focus_view
from graph.views.timeline import timeline_page, timeline_view

__all__ = [
    "VIEW_KINDS",
    "demo_views",
    "focus_page",
    "focus_view",
    "graph_page",
    "graph_view",
    "render_view",
    "timeline_page",
    "timeline_view",
    "write_view",
]

VIEW_KINDS = ("graph", "timeline", "focus")


def render_view(
    store: Store,
    kind: str = "graph",
    *,
    dyad: tuple[str, str] | None = None,
    focus: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> str:
    """The HTML of view ``kind`` (``graph``, ``timeline`` or ``focus``) of ``store``.

    Parameters
    ----------
    dyad : (str, str), optional
        Two actors by id, name or alias: the sides that colour the graph, the lanes of
        the timeline (default: the two states with the most hostile events between them).
    focus : str, optional
        The event id of the focus view (default: the latest reprisal, else the most
        discussed event). Only for ``kind="focus"``.
    start, end : datetime.date, optional
        Only acts whose fuzzy date meets this window.

    Raises
    ------
    InputError
        For an unknown kind, options that do not fit it, or reversed dates.
    QueryError
        For an unknown actor or event.
    """
    if kind not in VIEW_KINDS:
        raise InputError(f"unknown view '{kind}'; choose one of {', '.join(VIEW_KINDS)}")
    if focus is not None and kind != "focus":
        raise InputError(f"--focus is for the focus view, not the {kind} view (use --kind focus)")
    if dyad is not None and kind == "focus":
        raise InputError("--dyad is for the graph and timeline views, not the focus view")
    if kind == "graph":
        return graph_view(store, dyad=dyad, start=start, end=end)
    if kind == "timeline":
        return timeline_view(store, dyad=dyad, start=start, end=end)
    return focus_view(store, focus, start=start, end=end)


def write_view(store: Store, path: str | os.PathLike, **options) -> Path:
    """Write :func:`render_view` of ``store`` with ``options`` to ``path`` (all or nothing:
    through a temporary file renamed into place). Returns the path.

    Raises
    ------
    InputError
        If the file cannot be written, and as :func:`render_view`.
    """
    html = render_view(store, **options)
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(html, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"cannot write the view: {exc.strerror}", path=str(path)) from exc
    return path


def demo_views(store: Store, out_dir: str | os.PathLike) -> list[Path]:
    """Write the three views with their defaults into ``out_dir`` as ``view-graph.html``,
    ``view-timeline.html`` and ``view-focus.html``; the demo's last step."""
    return [write_view(store, Path(out_dir) / f"view-{kind}.html", kind=kind) for kind in VIEW_KINDS]
