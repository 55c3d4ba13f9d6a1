"""tmkg's IRIs resolve on the server (issue 18): ``GET /id/...`` answers an HTML page for a
browser and RDF by content negotiation, on a real `kg serve`; the page's links open the same
question in GraphiQL and the SPARQL behind it in YASGUI (headless Chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import rdflib

from kg.api.graphql.playground import ASSETS
from kg.api.query_page import YASGUI_DIR
from tests.browser_support import ARTIFACTS, offline_page, require
from tests.conftest import run_kg
from tests.graphql_support import GraphQLServer
from tests.http_support import http_get

AMAZON = "https://w3id.org/tmkg/id/party/amazon"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_EDITOR_TEXT = "(selector) => document.querySelector(selector).CodeMirror.getValue()"


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with GraphQLServer("--memory") as running:
        yield running


def _get(server: GraphQLServer, path: str, accept: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return http_get(server.url + path, headers=headers, timeout=30)


def test_without_accept_the_answer_is_turtle_of_the_resource(server: GraphQLServer) -> None:
    answer = _get(server, "/id/party/amazon")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
    assert "Accept" in answer.headers["vary"]
    parsed = rdflib.Graph().parse(data=answer.text, format="turtle")
    names = {str(o) for o in parsed.objects(rdflib.URIRef(AMAZON), rdflib.SDO.name)}
    assert "Amazon.com Inc." in names
    assert {str(s) for s in parsed.subjects()} == {AMAZON}


@pytest.mark.parametrize(
    ("accept", "media", "syntax"),
    [
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_datasets_keep_each_statement_in_its_sources_graph(
    server: GraphQLServer, accept: str, media: str, syntax: str
) -> None:
    answer = _get(server, "/id/party/amazon", accept)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    dataset = rdflib.Dataset()
    dataset.parse(data=answer.text, format=syntax)
    graphs = {str(c) for _, _, _, c in dataset.quads((rdflib.URIRef(AMAZON), None, None, None))}
    assert "https://w3id.org/tmkg/id/graph/aws-trademark-article" in graphs
    assert len(graphs) > 1  # the article and the curated sources each state facts about it


def test_unknown_resources_and_media_types(server: GraphQLServer) -> None:
    assert _get(server, "/id/party/no-such-party").status_code == 404
    assert _get(server, "/id/party/amazon", "image/png").status_code == 406
    for hostile in ("/id/../../etc/passwd", "/id/%3Cscript%3E", "/id/party/amazon%00"):
        answer = _get(server, hostile, BROWSER)
        assert answer.status_code == 404 and "<script>" not in answer.text, hostile
    head = httpx.head(server.url + "/id/party/amazon", headers={"Accept": BROWSER}, timeout=30)
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/html")


def test_the_html_page_shows_facts_with_their_sources(server: GraphQLServer) -> None:
    answer = _get(server, "/id/party/amazon", BROWSER)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert "<h1><bdi>Amazon.com Inc.</bdi></h1>" in page  # isolated (tests/test_report_bidi.py)
    assert "News article on the Beijing High People" in page  # a source's title, per statement
    assert 'id="report" href="/report?party=Amazon.com+Inc."' in page
    assert 'href="/id/registration/' in page or 'href="/id/use/' in page  # links to neighbours


def test_a_name_with_markup_is_shown_as_text(tmp_path) -> None:
    data = tmp_path / "hostile.ttl"
    data.write_text(
        "@prefix tm: <https://w3id.org/tmkg/ontology#> . @prefix schema: <https://schema.org/> .\n"
        '<https://w3id.org/tmkg/id/party/x> a tm:Company ; schema:name "<script>alert(1)</script>" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    run_kg("load", "--store", store, data, check=True)
    with GraphQLServer("--store", store) as running:
        page = _get(running, "/id/party/x", BROWSER).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_links_open_graphiql_and_yasgui_with_its_question(server: GraphQLServer) -> None:
    require(all(p.exists() for p in ASSETS.values()), "GraphiQL not installed (make setup)")
    require((YASGUI_DIR / "yasgui.min.js").exists(), "YASGUI not installed (make setup)")
    with offline_page(lambda url: url.startswith(server.url + "/")) as opened:
        page = opened.page
        page.goto(server.url + "/id/mark/aws")
        page.click("#ask-graphql")
        page.wait_for_selector(".graphiql-execute-button")
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.result-window .CodeMirror')"
            ".CodeMirror.getValue().includes('whoElseUses')"
        )
        result = json.loads(page.evaluate(_EDITOR_TEXT, ".result-window .CodeMirror"))
        assert "errors" not in result, result
        assert any(hit["party"]["name"] for hit in result["data"]["whoElseUses"]), result
        page.goto(server.url + "/id/mark/aws")
        page.click("#ask-sparql")
        page.wait_for_selector(".yasqe_queryButton")
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr td")
        text = page.inner_text(".yasr table tbody")
        page.screenshot(path=str(ARTIFACTS / "resource-page-sparql.png"), full_page=True)
    assert "AWS" in text
    assert opened.blocked == [] and opened.errors == []


def test_a_registration_page_links_to_its_marks_report_and_question(server: GraphQLServer) -> None:
    page = _get(server, "/id/registration/cn-4249189", BROWSER).text
    assert 'id="report" href="/report?mark=AWS"' in page
    assert 'id="ask-graphql" href="/graphql#' in page


def test_the_links_a_page_writes_open_their_pages(tmp_path) -> None:
    """Registrations whose numbers hold a space, a slash or capitals (OSIM's `M 2012 00091`:
    their IRIs keep the percent-escapes, `registration_iri`) and an IRI written with other
    characters themselves: each page the party's page links to answers (the path was decoded
    before it was looked up, so an escaped IRI was a 404), in HTML and as Turtle."""
    import re

    extract = tmp_path / "ro.csv"
    extract.write_text(
        "mark,owner,classes,number\n"
        "MSR,Camo International SRL,16,M 2012 00091\n"
        "MSRA,Camo International SRL,16,2012/123 456\n"
        "MSRB,Camo International SRL,16,UK00003289573\n",
        encoding="utf-8",
    )
    unicode_party = tmp_path / "party.ttl"
    unicode_party.write_text(
        "@prefix tm: <https://w3id.org/tmkg/ontology#> . @prefix schema: <https://schema.org/> .\n"
        '<https://w3id.org/tmkg/id/party/華為-x> a tm:Company ; schema:name "華為" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    run_kg("import", "--store", store, extract, "--jurisdiction", "RO", check=True)
    run_kg("load", "--store", store, unicode_party, check=True)
    with GraphQLServer("--store", store) as running:
        page = _get(running, "/id/registration/ro-M%202012%2000091", BROWSER)
        assert page.status_code == 200, page.text
        links = set(re.findall(r'href="(/id/(?:registration|party)/[^"#]+)"', page.text))
        owner = next(link for link in links if link.startswith("/id/party/"))
        party = _get(running, owner, BROWSER)
        assert party.status_code == 200
        linked = set(re.findall(r'href="(/id/registration/[^"#]+)"', party.text))
        assert {
            "/id/registration/ro-M%202012%2000091",
            "/id/registration/ro-2012%2F123%20456",
            "/id/registration/ro-UK00003289573",
        } <= linked
        for link in linked:
            for accept in (BROWSER, "text/turtle"):
                assert _get(running, link, accept).status_code == 200, (link, accept)
        lower = "/id/registration/ro-2012%2f123%20456"  # RFC 3986: the same as %2F
        assert _get(running, lower, BROWSER).status_code == 200
        assert _get(running, "/id/party/華為-x", BROWSER).status_code == 200
        assert _get(running, "/id/party/%E8%8F%AF%E7%82%BA-x", "text/turtle").status_code == 200
        assert _get(running, "/id/registration/ro-M%202012%2000092", BROWSER).status_code == 404
