"""Open view pages in headless Chromium: for screenshots, the browser tests and the view
benchmark.

Uses the system's Chromium (Debian's ``/usr/bin/chromium``, or ``$ESCGRAPH_CHROMIUM``)
driven by Playwright's Python package; no browser is ever downloaded. Every request a
page makes is routed: local ones (``file:``, ``data:``, ``blob:``, ``about:``) go
through, any other is refused and recorded, so a test can assert that a view stayed
offline. Playwright is a test dependency; :func:`chromium_missing` says why the
browser cannot run, so callers can skip cleanly.

Examples
--------
>>> reason = chromium_missing()
>>> reason is None or isinstance(reason, str)
True
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError

__all__ = ["CHROMIUM_ARGS", "PageReport", "chromium", "chromium_missing", "chromium_path", "open_view", "screenshot"]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str | None:
    """The Chromium executable: ``$ESCGRAPH_CHROMIUM``, else ``chromium`` on the PATH."""
    return os.environ.get("ESCGRAPH_CHROMIUM") or shutil.which("chromium")


def chromium_missing() -> str | None:
    """Why headless Chromium cannot be driven here, or ``None`` when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed (pip install playwright; no browser download needed)"
    if chromium_path() is None:
        return "no chromium executable (apt-get install chromium, or set ESCGRAPH_CHROMIUM)"
    return None


@contextlib.contextmanager
def chromium(*, width: int = 1600, height: int = 1000) -> Iterator:
    """A Playwright browser context on a fresh, throw-away Chromium profile.

    Raises
    ------
    InputError
        If Playwright or Chromium is missing.
    """
    reason = chromium_missing()
    if reason is not None:
        raise InputError(f"cannot drive a browser: {reason}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="escgraph-chromium-") as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True,
            viewport={"width": width, "height": height})
        try:
            yield context
        finally:
            context.close()


@dataclass
class PageReport:
    """What a page did that it should not: console errors (and uncaught exceptions),
    requests to anywhere but the local file, and dialogs (``alert``) it opened."""

    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextlib.contextmanager
def open_view(context, path: Path, *, timeout_ms: float = 120_000) -> Iterator[tuple[object, PageReport]]:
    """Open the view page at ``path`` in ``context`` and wait until it is ready (its first
    frame with every node in place is drawn). Yields the Playwright page and its report."""
    page = context.new_page()
    report = PageReport()
    page.on("console", lambda message: message.type == "error" and report.console_errors.append(message.text))
    page.on("pageerror", lambda error: report.console_errors.append(str(error)))

    def on_dialog(dialog) -> None:
        report.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(route) -> None:
        url = route.request.url
        if url.startswith(_LOCAL_SCHEMES):
            route.continue_()
        else:
            report.outside_requests.append(url)
            route.abort()

    page.on("dialog", on_dialog)
    page.route("**/*", on_request)
    try:
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("() => window.escgraph !== undefined && window.escgraph.ready === true",
                               timeout=timeout_ms, polling=50)
        yield page, report
    finally:
        page.close()


def screenshot(html: Path, png: Path, *, width: int = 1600, height: int = 1000,
               script: str | None = None) -> PageReport:
    """Save a PNG of the view page ``html`` as Chromium draws it at ``width`` × ``height``,
    after running the JavaScript ``script`` in it, if given (to zoom, or select a node)."""
    with chromium(width=width, height=height) as context, open_view(context, html) as (page, report):
        if script is not None:
            page.evaluate(script)
            page.wait_for_timeout(300)
        page.screenshot(path=str(png))
        return report
