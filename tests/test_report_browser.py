"""A report opens offline in headless Chromium (Debian's, via playwright, as the query page's
test drives it): nothing is requested from anywhere, both figures are drawn at a readable
size, and the screenshot lands in tests/artifacts/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

from kg import KnowledgeGraph
from kg.report.document import build_report
from kg.report.render import write_report
from tests.test_sparql_page import ARTIFACTS, CHROMIUM, FLAGS, _require


def test_report_renders_offline_in_chromium(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    _require(CHROMIUM.exists(), "no /usr/bin/chromium")
    from playwright.sync_api import Route, sync_playwright

    report = build_report(seeded, mark="AWS", jurisdiction="CN", nice_class=42)
    (page_file,) = write_report(report, tmp_path / "report-aws-cn.html")
    ARTIFACTS.mkdir(exist_ok=True)
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def record(route: Route) -> None:
                url = route.request.url
                if url == page_file.as_uri() or url.startswith("data:"):
                    route.continue_()
                else:
                    requested.append(url)
                    route.abort()

            page.route("**/*", record)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(page_file.as_uri())
            figures = page.eval_on_selector_all(
                "figure svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
            )
            headings = page.locator("h2").all_inner_texts()
            cells = page.locator("#who-else-uses td").all_inner_texts()
            page.screenshot(path=str(ARTIFACTS / "report-aws-cn.png"), full_page=True)
        finally:
            browser.close()
    assert requested == [], f"the report asked for {requested}"
    assert errors == []
    assert len(figures) == 2 and min(figures) > 800  # network and timeline, full width
    assert headings[:3] == ["Summary", "Conflict network", "Who else uses the mark"]
    assert "Sources" in headings
    assert "Amazon.com Inc." in cells
