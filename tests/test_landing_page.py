"""The landing page (issue 18): says what the service answers and links to the playground,
the SPARQL page, reports, resource pages and example questions built from the data; each
example question opens in GraphiQL and answers (real `kg serve`, headless Chromium)."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs

from kg.api.graphql.playground import ASSETS
from tests.browser_support import ARTIFACTS, offline_page, require
from tests.graphql_support import GraphQLServer, post
from tests.http_support import http_get

_EDITOR_TEXT = "(selector) => document.querySelector(selector).CodeMirror.getValue()"


def _questions(page: str) -> list[tuple[str, str, dict]]:
    found = []
    # a label's values from the data are isolated in <bdi> (tests/test_report_bidi.py)
    for fragment, label in re.findall(r'<a href="/graphql#([^"]+)">((?:[^<]|</?bdi>)+)</a>', page):
        params = parse_qs(unescape(fragment))
        label = re.sub(r"</?bdi>", "", label)
        found.append((unescape(label), params["query"][0], json.loads(params["variables"][0])))
    return found


def test_the_landing_page_links_every_part_and_its_questions_answer() -> None:
    with GraphQLServer("--memory") as server:
        page = http_get(server.url + "/", timeout=30).text
        for link in ('href="/graphql"', 'href="/sparql"', 'href="/report?mark=', 'href="/id/'):
            assert link in page, link
        assert "aws-trademark-article" in page  # the graphs, in a details block
        questions = _questions(page)
        assert len(questions) >= 4
        assert any("connected" in label for label, _, _ in questions)
        for label, query, variables in questions:
            answer = post(server.graphql, query, variables)
            assert not answer.get("errors"), (label, answer)
            assert any(answer["data"].values()), label  # each example finds something
        for path in re.findall(r'href="(/(?:report|id)/?[^"#]*)"', page):
            assert http_get(server.url + unescape(path), timeout=120).status_code == 200, path


def test_an_example_question_opens_in_graphiql() -> None:
    require(all(p.exists() for p in ASSETS.values()), "GraphiQL not installed (make setup)")
    with (
        GraphQLServer("--memory") as server,
        offline_page(lambda url: url.startswith(server.url + "/")) as opened,
    ):
        page = opened.page
        page.goto(server.url + "/")
        page.click('ol a:has-text("connected")')
        page.wait_for_selector(".graphiql-execute-button")
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.result-window .CodeMirror')"
            ".CodeMirror.getValue().includes('conflictPath')"
        )
        result = json.loads(page.evaluate(_EDITOR_TEXT, ".result-window .CodeMirror"))
        page.screenshot(path=str(ARTIFACTS / "landing-question.png"), full_page=True)
    assert result["data"]["conflictPath"]["steps"]
    assert opened.blocked == [] and opened.errors == []
