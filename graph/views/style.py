"""How the views look: the palette, node shapes and edge styles as named constants, and
the one function that escapes text for HTML.

Every piece of text that reaches the page's markup (heading, legend, filter lists)
passes :func:`escape_html`. Labels and tooltips travel as JSON data instead and are
drawn on the canvas or set with ``innerText``/``textContent``, never ``innerHTML``, so a
quote such as ``<img src=x onerror=alert(1)>`` shows as the text it is.

Examples
--------
>>> escape_html('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> goldstein_colour(-10), goldstein_colour(0), goldstein_colour(None)
('#b2182b', '#f7f7f7', '#bdbdbd')
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = [
    "EDGE_STYLES",
    "GOLDSTEIN_SCALE",
    "KIND_LABELS",
    "KIND_SHAPES",
    "SIDE_PALETTE",
    "SOURCE_COLOUR",
    "EdgeStyle",
    "SideColours",
    "escape_html",
    "goldstein_colour",
]


def escape_html(text: object) -> str:
    """``text`` made safe for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class SideColours:
    """The colours of one side: ``actor`` fills actors, ``act`` fills their events and
    statements (a lighter tint, so actors stand out), ``border`` outlines both."""

    actor: str
    act: str
    border: str


SIDE_PALETTE = {
    "first": SideColours(actor="#1d4ed8", act="#93c5fd", border="#1e3a8a"),
    "second": SideColours(actor="#b91c1c", act="#fca5a5", border="#7f1d1d"),
    "third": SideColours(actor="#4b5563", act="#d1d5db", border="#374151"),
    "unknown": SideColours(actor="#a16207", act="#fde68a", border="#854d0e"),
}
"""Colours by side: the dyad's ``first`` and ``second`` state and those who act for them,
``third`` parties, and ``unknown`` for events no source names an agent of."""

SOURCE_COLOUR = SideColours(actor="#15803d", act="#86efac", border="#14532d")
"""Sources belong to no side."""

KIND_SHAPES = {"actor": "dot", "event": "diamond", "statement": "square", "source": "hexagon", "other": "dot"}
"""vis-network shapes by kind of node; all draw their label below, so labels never clip."""

KIND_LABELS = {"actor": "actor", "event": "event (action)", "statement": "statement", "source": "source"}


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of edge is drawn: its label, colour, dash pattern, width, and whether
    it is drawn against the RDF direction (``said`` runs from speaker to statement)."""

    label: str
    colour: str
    dashes: bool = False
    width: float = 1.5
    reverse: bool = False


EDGE_STYLES = {
    "agent": EdgeStyle("agent", "#1f2937", width=2.0, reverse=True),
    "target": EdgeStyle("target", "#dc2626", width=2.0),
    "speaker": EdgeStyle("said", "#6b7280", reverse=True),
    "onBehalfOf": EdgeStyle("for", "#9ca3af", dashes=True, width=1.0),
    "about": EdgeStyle("about", "#7c3aed", dashes=True),
    "attributesTo": EdgeStyle("attributed to", "#c026d3", width=2.5),
    "respondsTo": EdgeStyle("responds to", "#ea580c", width=3.5),
    "respondsTo/inferred": EdgeStyle("responds to (inferred)", "#0d9488", dashes=True, width=3.0),
    "actsFor": EdgeStyle("acts for", "#9ca3af", width=1.0),
    "partOf": EdgeStyle("part of", "#a8a29e", dashes=True, width=1.0),
    "source": EdgeStyle("source", "#d6d3d1", width=0.5),
}
"""Edge styles by edge key (the predicate's local name, see :mod:`graph.projection`)."""

GOLDSTEIN_SCALE = (
    (-10.0, "#b2182b"),
    (-7.0, "#d6604d"),
    (-4.0, "#f4a582"),
    (-1.0, "#fddbc7"),
    (0.0, "#f7f7f7"),
    (1.0, "#d1e5f0"),
    (4.0, "#92c5de"),
    (7.0, "#4393c3"),
    (10.0, "#2166ac"),
)
"""Goldstein weight → colour (ColorBrewer RdBu): red for conflict, blue for cooperation.
A weight takes the colour of the nearest step at or below it."""

_NO_WEIGHT = "#bdbdbd"


def goldstein_colour(weight: float | None) -> str:
    """The colour of a Goldstein weight (grey when the act has none)."""
    if weight is None:
        return _NO_WEIGHT
    colour = GOLDSTEIN_SCALE[0][1]
    for bound, step in GOLDSTEIN_SCALE:
        if weight >= bound:
            colour = step
    return colour
