"""Every section of a report links to the same question asked live (issue 18): GraphiQL with
the question's GraphQL, the SPARQL page with the saved queries behind it. On a real
`kg serve`: each link of a served report runs without error and finds something, and one
opens in GraphiQL in headless Chromium."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs

import pytest

import kg
from kg import KnowledgeGraph
from kg.api.graphql.playground import ASSETS
from kg.report.questions import saved_query
from tests.browser_support import offline_page, require
from tests.graphql_support import GraphQLServer, post
from tests.http_support import http_get, http_post

REPORTS = (
    {"mark": "AWS", "jurisdiction": "CN", "class": "42"},
    {"party": "Amazon"},
    {"case": "aws-cn-2018"},
)


def _links(page: str) -> list[tuple[str, dict[str, list[str]]]]:
    found = []
    for path, fragment in re.findall(r'href="(/graphql|/sparql)#([^"]+)"', page):
        found.append((path, parse_qs(unescape(fragment))))
    return found


@pytest.fixture(scope="module")
def server():
    with GraphQLServer("--memory") as running:
        yield running


@pytest.mark.parametrize("params", REPORTS, ids=lambda p: next(iter(p)))
def test_every_link_of_a_served_report_answers(server: GraphQLServer, params: dict) -> None:
    page = http_get(server.url + "/report", params=params, timeout=180)
    assert page.status_code == 200, page.text
    links = _links(page.text)
    assert any(path == "/graphql" for path, _ in links)
    assert any(path == "/sparql" for path, _ in links)
    for path, fragment in links:
        query = fragment["query"][0]
        if path == "/graphql":
            variables = json.loads(fragment["variables"][0])
            answer = post(server.graphql, query, variables)
            assert not answer.get("errors"), (query, answer)
            assert answer["data"], query
            if "conflicts(" in query and "party" in params:  # the party's conflicts, not all
                assert variables.get("party")
                named = answer["data"]["conflicts"]
                everyone = post(server.graphql, query, {**variables, "party": None})["data"]
                assert named["totalCount"] < everyone["conflicts"]["totalCount"]
        else:
            answer = http_post(
                server.url + "/sparql",
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
                timeout=60,
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["results"]["bindings"], query  # the facts behind the section


def test_a_report_file_links_to_the_server_it_names(seeded: KnowledgeGraph) -> None:
    text = kg.report(seeded, mark="AWS", format="md", server="https://tmkg.example.org/")
    assert "(<https://tmkg.example.org/graphql#query=" in text
    assert "(<http://127.0.0.1:8000/sparql#query=" in kg.report(seeded, mark="AWS", format="md")
    for bad in ("javascript:alert(1)", "http://x y", "http://a/<b>"):
        with pytest.raises(kg.KGError, match="not a server address"):
            kg.report(seeded, mark="AWS", server=bad)


def test_saved_query_values_are_quoted() -> None:
    text = saved_query("mark-uses", text='A" } ; DROP ALL #')
    assert 'VALUES ?text { "A\\" } ; DROP ALL #" }' in text
    with pytest.raises(KeyError):
        saved_query("timeline", text="x")


def test_a_report_link_opens_in_graphiql(server: GraphQLServer) -> None:
    require(all(p.exists() for p in ASSETS.values()), "GraphiQL not installed (make setup)")
    with offline_page(lambda url: url.startswith(server.url + "/")) as opened:
        page = opened.page
        page.goto(server.url + "/report?case=aws-cn-2018")
        page.click("#timeline .ask a:has-text('in GraphQL')")
        page.wait_for_selector(".graphiql-execute-button")
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.result-window .CodeMirror')"
            ".CodeMirror.getValue().includes('timeline')"
        )
    assert opened.blocked == [] and opened.errors == []
