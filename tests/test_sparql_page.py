"""The browser query page at /sparql: YASGUI from local files runs a saved query in Chromium.

Debian's Chromium (installed by `make test` when /usr/bin/chromium is missing) is driven by
playwright from pip; every request that leaves the server is blocked and recorded, so the test
also proves the page needs nothing from the internet. The screenshot lands in tests/artifacts/.
"""

from __future__ import annotations

from kg.api.query_page import YASGUI_DIR, saved_queries
from kg.namespaces import PREFIXES
from tests.browser_support import ARTIFACTS, offline_page, require
from tests.sparql_support import SparqlServer, expected_rows


def test_query_page_runs_a_saved_query_in_chromium() -> None:
    require((YASGUI_DIR / "yasgui.min.js").exists(), "YASGUI not installed (make setup)")
    with (
        SparqlServer("--memory") as server,
        offline_page(lambda url: url.startswith(server.url + "/")) as opened,
    ):
        page = opened.page
        page.goto(server.endpoint)
        page.wait_for_selector(".yasqe_queryButton")
        tabs = page.locator(".tabsList .tab a span").all_inner_texts()
        assert [t.split("\n")[0].strip() for t in tabs] == [q.title for q in saved_queries()]
        page.click(".yasqe_queryButton")  # the first tab: queries/case-parties.rq
        page.wait_for_selector(".yasr table tbody tr td")
        cells = page.eval_on_selector_all(
            ".yasr table tbody tr",
            "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText))",
        )
        page.screenshot(path=str(ARTIFACTS / "sparql-query-page.png"), full_page=True)
        with page.context.expect_page() as opening:  # its resource page, in a new tab
            page.click(".yasr table tbody a.iri >> text=id:party/amazon")
        resource = opening.value
        resource.wait_for_load_state()
        assert resource.url == server.url + "/id/party/amazon"
        assert resource.inner_text("h1") == "Amazon.com Inc."
    _, *expected = expected_rows("case-parties")
    # Plain values and prefixed names (the predeclared prefixes), whole: no datatypes, no "…".
    shown = [[_expand(cell.strip()) for cell in row] for row in cells]
    assert shown == expected
    assert any(cell.startswith("id:party/") for row in cells for cell in row)
    assert not any("^^" in cell or "…" in cell for row in cells for cell in row)
    assert opened.blocked == [], f"the page called other sites: {opened.blocked}"
    assert opened.errors == []


def _expand(cell: str) -> str:
    """A prefixed name as the IRI it stands for; anything else as it is."""
    prefix, _, local = cell.partition(":")
    return PREFIXES[prefix] + local if local and prefix in PREFIXES else cell
