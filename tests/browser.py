"""Drive Debian's Chromium with Playwright to check the HTML views for real.

Used by ``tests/test_viz_browser.py``. A :class:`Page` records every request
the page makes and every console error or page error, so tests can assert
that a view works offline and silently.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@dataclass
class Page:
    """An opened view and what happened while it loaded."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    load_seconds: float = 0.0

    def js(self, expression: str, arg=None):
        """Evaluate a JavaScript expression (or function) in the page."""
        return self.page.evaluate(expression, arg)

    def screenshot(self, name: str) -> Path:
        """Save a PNG under ``test-artifacts/``."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


@contextmanager
def chromium():
    """A headless Chromium browser (the system's, not a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_view(browser, path: Path, *, width: int = 1600, height: int = 1000, timeout: float = 60_000) -> Page:
    """Open a saved view from ``file://`` and wait until its layout has settled."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    url = path.resolve().as_uri()
    opened = Page(page, url)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda msg: opened.errors.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function("() => window.mbcView && window.mbcView.ready === true", timeout=timeout)
    opened.load_seconds = time.perf_counter() - start
    return opened
