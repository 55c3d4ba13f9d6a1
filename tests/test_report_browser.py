"""A report opens offline in headless Chromium (Debian's, via playwright, as the query page's
test drives it): nothing is requested from anywhere, both figures are drawn at a readable
size, and the screenshot lands in tests/artifacts/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

from kg import KnowledgeGraph
from kg.report.document import build_report
from kg.report.render import write_report
from tests.browser_support import ARTIFACTS, offline_page


def test_report_renders_offline_in_chromium(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    report = build_report(seeded, mark="AWS", jurisdiction="CN", nice_class=42)
    (page_file,) = write_report(report, tmp_path / "report-aws-cn.html")
    with offline_page(lambda url: url == page_file.as_uri(), viewport=(1200, 900)) as opened:
        page = opened.page
        page.goto(page_file.as_uri())
        figures = page.eval_on_selector_all(
            "figure svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
        )
        headings = page.locator("h2").all_inner_texts()
        cells = page.locator("#who-else-uses td").all_inner_texts()
        page.screenshot(path=str(ARTIFACTS / "report-aws-cn.png"), full_page=True)
    assert opened.blocked == [], f"the report asked for {opened.blocked}"
    assert opened.errors == []
    assert len(figures) == 2 and min(figures) > 800  # network and timeline, full width
    assert headings[:3] == ["Summary", "Conflict network", "Who else uses the mark"]
    assert "Sources" in headings
    assert "Amazon.com Inc." in cells
