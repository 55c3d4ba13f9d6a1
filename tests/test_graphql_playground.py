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
from tests.graphql_support import GraphQLServer
from tests.test_sparql_page import ARTIFACTS, CHROMIUM, FLAGS, _require

_EDITOR_TEXT = "(selector) => document.querySelector(selector).CodeMirror.getValue()"


def test_playground_runs_an_example_in_chromium(seeded) -> None:
    _require(CHROMIUM.exists(), "no /usr/bin/chromium")
    _require(all(path.exists() for path in ASSETS.values()), "GraphiQL not installed (make setup)")
    from playwright.sync_api import Route, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with GraphQLServer("--memory") as server, sync_playwright() as playwright:
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
        finally:
            browser.close()
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
    assert outside == [], f"the page called other sites: {outside}"
    assert errors == []
