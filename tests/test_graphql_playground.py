"""The GraphQL playground at /graphql: GraphiQL from local files runs an example in Chromium.

Debian's Chromium (installed by `make test` when /usr/bin/chromium is missing) is driven by
playwright from pip, as for the SPARQL page; every request that leaves the server is blocked
and recorded, so the test also proves the page needs nothing from the internet. The
screenshot lands in tests/artifacts/.
"""

from __future__ import annotations

import json

from kg.analysis.service import Analyst
from kg.api.graphql.playground import ASSETS, example_queries
from tests.browser_support import ARTIFACTS, offline_page, require
from tests.graphql_support import GraphQLServer

_EDITOR_TEXT = "(selector) => document.querySelector(selector).CodeMirror.getValue()"


def test_playground_runs_an_example_in_chromium(seeded) -> None:
    require(all(path.exists() for path in ASSETS.values()), "GraphiQL not installed (make setup)")
    with (
        GraphQLServer("--memory") as server,
        offline_page(lambda url: url.startswith(server.url + "/")) as opened,
    ):
        page = opened.page
        page.goto(server.graphql)
        page.wait_for_selector(".graphiql-execute-button")
        tabs = page.locator(".graphiql-tab").all_inner_texts()
        variables = page.evaluate(_EDITOR_TEXT, ".graphiql-editor-tool .CodeMirror")
        page.click(".graphiql-execute-button")  # the first tab: queries/who-else-uses
        page.wait_for_function(
            "() => document.querySelector('.result-window .CodeMirror')"
            ".CodeMirror.getValue().includes('whoElseUses')"
        )
        result = json.loads(page.evaluate(_EDITOR_TEXT, ".result-window .CodeMirror"))
        page.screenshot(path=str(ARTIFACTS / "graphql-playground.png"), full_page=True)
    assert len(tabs) == len(example_queries())
    assert tabs[0].strip().startswith("WhoElseUses")
    assert json.loads(variables) == {
        "mark": "AWS",
        "niceClass": 42,
        "jurisdiction": "CN",
        "excluding": "Amazon",
    }
    expected = Analyst(seeded).who_else_uses(
        "AWS", nice_class=42, jurisdiction="CN", excluding="Amazon"
    )
    shown = [(hit["party"]["name"], hit["kind"]) for hit in result["data"]["whoElseUses"]]
    assert shown == [(hit.party.name, hit.kind.value) for hit in expected]
    assert opened.blocked == [], f"the page called other sites: {opened.blocked}"
    assert opened.errors == []


def test_every_tab_can_be_reached_at_1400_pixels(seeded) -> None:
    """More example tabs than fit at 1,400 px: the mouse wheel over the bar brings the last
    one into view."""
    require(all(path.exists() for path in ASSETS.values()), "GraphiQL not installed (make setup)")
    with (
        GraphQLServer("--memory") as server,
        offline_page(lambda url: url.startswith(server.url + "/"), viewport=(1400, 900)) as opened,
    ):
        page = opened.page
        page.goto(server.graphql)
        page.wait_for_selector(".graphiql-execute-button")
        bar = page.locator(".graphiql-tabs")
        last = page.locator(".graphiql-tab").last

        def shown() -> bool:
            outer, inner = bar.bounding_box(), last.bounding_box()
            return inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1

        assert page.evaluate(
            "() => { const b = document.querySelector('.graphiql-tabs');"
            " return b.scrollWidth > b.clientWidth; }"
        ), "all tabs fit: no test"
        assert not shown()
        bar.hover()
        for _ in range(10):
            page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
        assert shown()
        assert len(page.locator(".graphiql-tab").all()) == len(example_queries())
