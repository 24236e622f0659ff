"""One self-contained HTML page per view: a pyvis ``Network`` plus legend, filters and
details panel, with every script and style inline and nothing fetched at run time.

pyvis 0.3.2's own template links Bootstrap from a CDN, inserts its heading unescaped,
and switches tooltips to ``innerHTML`` as soon as one title contains ``href``
(``FIELD-NOTES.md``). So the views keep pyvis's ``Network`` (nodes, edges, options)
and the vis-network build that pyvis ships, and assemble the page here from
``assets/page.html``, filling each slot in one of two ways only:

- text that lands in markup passes :func:`~graph.views.style.escape_html`;
- data (nodes, edges, tooltips, options) lands in a ``<script type="application/json">``
  block through :func:`script_json`, which escapes ``<``, ``>`` and ``&``; the page's
  script reads it and shows text with ``innerText``/``textContent`` only.

A Content-Security-Policy in the page allows only the page's own two scripts (by
SHA-256 hash) and no network access at all (``default-src 'none'``): an injected
``<script>`` or ``onerror=`` handler would not run, and nothing can be loaded from
elsewhere even by mistake.

Examples
--------
>>> script_json({"quote": "</script><script>alert(1)</script>"})
'{"quote":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
>>> from pyvis.network import Network
>>> net = Network(heading='Strikes & "reprisals"', cdn_resources="in_line")
>>> net.nodes = [{"id": "a", "label": "<b>A</b>"}]
>>> page = render_page(net, kind="graph", subtitle="1 node", legend=[])
>>> "<title>Strikes &amp; &quot;reprisals&quot;</title>" in page and "<b>A</b>" not in page
True
>>> "http://" not in page.split("<script")[0] and "https://" not in page.split("<script")[0]
True
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyvis
from pyvis.network import Network

from graph import __version__
from graph.views.style import escape_html

__all__ = ["VIS_BUNDLE", "Filters", "LegendItem", "render_page", "script_json"]

ASSETS = Path(__file__).resolve().parent / "assets"
VIS_BUNDLE = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
"""The vis-network build pyvis ships; inlined into every page."""


@dataclass(frozen=True)
class LegendItem:
    """One entry of a legend: a swatch (``dot``, ``diamond``, ``square``, ``hexagon``,
    ``line`` or ``dashed``) in ``colour`` with an outline ``border``, and its label."""

    label: str
    colour: str
    shape: str = "dot"
    border: str | None = None


@dataclass(frozen=True)
class Filters:
    """The graph view's filter form: actor names to suggest, kinds to tick, date bounds."""

    actor_names: Sequence[str]
    kinds: Sequence[tuple[str, str]]
    date_min: str | None = None
    date_max: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)


@functools.cache
def _asset(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: it can neither close
    the element nor open a comment, whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _swatch(item: LegendItem) -> str:
    if item.shape in ("line", "dashed"):
        style = f"border-top-color:{item.colour}"
    else:
        style = f"background:{item.colour};border-color:{item.border or item.colour}"
    return (f'<span class="legend-item"><span class="swatch {escape_html(item.shape)}" '
            f'style="{escape_html(style)}"></span>{escape_html(item.label)}</span>')


def _legend(groups: Sequence[tuple[str, Sequence[LegendItem]]]) -> str:
    return "\n".join(
        f'<div class="legend-group"><b>{escape_html(title)}</b>{"".join(_swatch(i) for i in items)}</div>'
        for title, items in groups if items)


def _filters(filters: Filters | None) -> str:
    if filters is None:
        return ""
    options = "".join(f'<option value="{escape_html(name)}"></option>' for name in filters.actor_names)
    kinds = "".join(f'<label><input type="checkbox" name="kind" value="{escape_html(value)}" checked> '
                    f"{escape_html(label)}</label>" for value, label in filters.kinds)
    bounds = "".join(f' {attr}="{escape_html(value)}"' for attr, value in
                     (("min", filters.date_min), ("max", filters.date_max)) if value)
    return (
        '<form id="filters" class="filters" autocomplete="off">'
        '<div class="row"><label>Actor <input type="search" name="actor" list="actor-names" '
        'placeholder="id, name or alias" aria-label="Actor (and those who act for it)"></label>'
        '<button type="reset">Clear</button><output name="count" aria-live="polite"></output></div>'
        f'<datalist id="actor-names">{options}</datalist>'
        f'<fieldset class="row"><legend>Show</legend>{kinds}</fieldset>'
        f'<div class="row"><label>From <input type="date" name="from"{bounds}></label>'
        f'<label>to <input type="date" name="to"{bounds}></label></div>'
        "</form>"
    )


def render_page(
    network: Network,
    *,
    kind: str,
    subtitle: str,
    legend: Sequence[tuple[str, Sequence[LegendItem]]],
    filters: Filters | None = None,
    extra: Mapping[str, object] | None = None,
) -> str:
    """The HTML page of ``network``: its ``heading`` as the title, ``subtitle`` under it,
    the ``legend`` groups, the optional ``filters`` form, and the details panel.

    Parameters
    ----------
    network : pyvis.network.Network
        Its ``nodes`` and ``edges`` (vis-network dicts) and ``options`` (a dict, or
        pyvis ``Options``) become the page's data. Extra keys on nodes (``kind``,
        ``actors``, ``earliest``, ``latest``, ``link``) feed the filters and details.
    kind : str
        ``graph``, ``timeline`` or ``focus``; the page's script keys its extras on it.
    extra : mapping, optional
        More data for the page's script (the timeline's lanes and axis, the actor index
        of the filters), JSON-serialisable.
    """
    options = network.options if isinstance(network.options, dict) else json.loads(network.options.to_json())
    data = {"kind": kind, "nodes": network.nodes, "edges": network.edges, "options": options,
            **({"filters": dict(filters.extra)} if filters is not None else {}), **(extra or {})}
    vis_js = _asset(VIS_BUNDLE / "vis-network.min.js")
    view_js = _asset(ASSETS / "view.js")
    csp = ("default-src 'none'; " f"script-src {_hash(vis_js)} {_hash(view_js)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    return string.Template(_asset(ASSETS / "page.html")).substitute(
        csp=escape_html(csp),
        version=escape_html(__version__),
        title=escape_html(network.heading or "escalation-graph"),
        subtitle=escape_html(subtitle),
        kind=escape_html(kind),
        controls=_filters(filters),
        legend=_legend(legend),
        vis_css=_asset(VIS_BUNDLE / "vis-network.css"),
        view_css=_asset(ASSETS / "view.css"),
        data=script_json(data),
        vis_js=vis_js,
        view_js=view_js,
    )
