"""The browser query page at /sparql: YASGUI from local files runs a saved query in Chromium.

Debian's Chromium (installed by `make test` when /usr/bin/chromium is missing) is driven by
playwright from pip; every request that leaves the server is blocked and recorded, so the test
also proves the page needs nothing from the internet. The screenshot lands in tests/artifacts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.api.query_page import YASGUI_DIR
from tests.sparql_support import SparqlServer, expected_rows

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


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI installs it: make test)")
        pytest.skip(reason)


def test_query_page_runs_a_saved_query_in_chromium() -> None:
    _require(CHROMIUM.exists(), "no /usr/bin/chromium")
    _require((YASGUI_DIR / "yasgui.min.js").exists(), "YASGUI not installed (make setup)")
    from playwright.sync_api import Route, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with SparqlServer("--memory") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            outside: list[str] = []

            def local_only(route: Route) -> None:
                url = route.request.url
                if url.startswith((server.url + "/", "data:")):
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", local_only)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.endpoint)
            page.wait_for_selector(".yasqe_queryButton")
            tabs = page.locator(".tabsList .tab a span").all_inner_texts()
            assert [t.split("\n")[0].strip() for t in tabs][:2] == [
                "Parties of a case",
                "Judgments whose payer is also the payee",
            ]
            page.click(".yasqe_queryButton")  # the first tab: queries/case-parties.rq
            page.wait_for_selector(".yasr table tbody tr td")
            cells = page.eval_on_selector_all(
                ".yasr table tbody tr",
                "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText))",
            )
            page.screenshot(path=str(ARTIFACTS / "sparql-query-page.png"), full_page=True)
        finally:
            browser.close()
    _, *expected = expected_rows("case-parties")
    shown = [
        [cell.strip().strip("<>") for cell in row[1:]] for row in cells
    ]  # [0] is the row number
    assert shown == expected
    assert outside == [], f"the page called other sites: {outside}"
    assert errors == []
