"""Debian's Chromium, headless through playwright, with pages that may not leave the server.

Every request a page makes outside what the test allows is blocked and recorded, so a browser
test also proves the page needs nothing from the internet. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
# Flags that work headless as root on this kind of machine (shared NOTES-infra.md).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(condition: bool, reason: str) -> None:
    """Skip when a browser prerequisite is missing locally; fail in CI, which installs it."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI installs it: make test)")
        pytest.skip(reason)


@dataclass
class OfflinePage:
    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def offline_page(
    allowed: Callable[[str], bool], viewport: tuple[int, int] = (1400, 1000)
) -> Iterator[OfflinePage]:
    """A Chromium page whose requests outside `allowed` (and ``data:``) are blocked."""
    require(CHROMIUM.exists(), "no /usr/bin/chromium")
    from playwright.sync_api import Route, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            width, height = viewport
            opened = OfflinePage(browser.new_page(viewport={"width": width, "height": height}))

            def guard(route: Route) -> None:
                url = route.request.url
                if url.startswith("data:") or allowed(url):
                    route.continue_()
                else:
                    opened.blocked.append(url)
                    route.abort()

            opened.page.route("**/*", guard)
            opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
            yield opened
        finally:
            browser.close()
