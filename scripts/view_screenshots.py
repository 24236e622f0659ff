"""Regenerate the README's screenshots of the three views (``docs/view-*.png``) from the
seed case, in headless Chromium (Debian's ``chromium``, driven by Playwright).

Run: ``python scripts/view_screenshots.py`` (writes ``docs/view-graph.png``,
``docs/view-timeline.png`` and ``docs/view-focus.png``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from graph.namespaces import record_iri
from graph.pipeline import build
from graph.store import EmbeddedStore
from graph.views import VIEW_KINDS, demo_views
from graph.views.browser import chromium_missing, screenshot

DOCS = Path(__file__).resolve().parent.parent / "docs"
ATTRIBUTION = record_iri("statement", "russia-pins-attacks-on-kyiv")
# The graph view opens fitted to all 88 nodes; the screenshot zooms on its centre so the
# labels read at README size, and clicks Moscow's attribution to fill the details panel.
GRAPH_SCRIPT = f"""
const net = escgraph.network;
const at = net.getPositions([{ATTRIBUTION!r}])[{ATTRIBUTION!r}];
net.moveTo({{position: {{x: at.x - 60, y: at.y + 40}}, scale: 1.05}});
net.selectNodes([{ATTRIBUTION!r}]);
escgraph.showDetails({ATTRIBUTION!r});
"""


def main() -> int:
    reason = chromium_missing()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    store = EmbeddedStore(None)
    build(store)
    with tempfile.TemporaryDirectory() as folder:
        for page, kind in zip(demo_views(store, folder), VIEW_KINDS, strict=True):
            report = screenshot(page, DOCS / f"view-{kind}.png", width=1400, height=1000,
                                script=GRAPH_SCRIPT if kind == "graph" else None)
            if report.console_errors or report.outside_requests:
                print(f"{kind}: {report}", file=sys.stderr)
                return 1
            print(DOCS / f"view-{kind}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
