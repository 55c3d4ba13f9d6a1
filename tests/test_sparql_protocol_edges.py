"""The SPARQL protocol's edges on a real `kg serve` (issue 17, kinds 3 and 4): form charsets,
content negotiation by RFC 9110, HEAD, long URLs, syntax errors before refusals, and DROP/CLEAR
of graphs that hold nothing."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from kg.api.sparql import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, accepted_quality, negotiate
from tests.http_support import http_get, http_post
from tests.sparql_support import RecordingServer, SparqlServer

TOKEN = "edge-token"
FORM = "application/x-www-form-urlencoded"
SELECT_CAFE = "SELECT%20%28%22caf{}%22%20AS%20%3Fx%29%20%7B%7D"  # SELECT ("caf…" AS ?x) {}


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    """Read-only, in memory, with the default limits (1,000,000-byte requests)."""
    with SparqlServer("--memory") as running:
        yield running


@pytest.fixture(scope="module")
def writable() -> Iterator[SparqlServer]:
    with SparqlServer("--memory", env={"KG_UPDATE_TOKEN": TOKEN}) as running:
        yield running


def _value(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"][0]["x"]["value"]


# ------------------------------------------------------------------ kind 3: form charsets


@pytest.mark.parametrize(
    ("charset", "escaped", "text"),
    [
        ("ISO-8859-1", "%E9", "café"),
        ("iso-8859-1", "%E9", "café"),
        ('"latin1"', "%E9", "café"),
        ("windows-1252", "%80", "caf€"),
        ("UTF-8", "%C3%A9", "café"),
        (None, "%C3%A9", "café"),
    ],
)
def test_a_form_is_decoded_in_its_declared_charset(
    server: SparqlServer, charset: str | None, escaped: str, text: str
) -> None:
    content_type = FORM + (f"; charset={charset}" if charset else "")
    body = "query=" + SELECT_CAFE.format(escaped)
    response = http_post(server.endpoint, content=body, headers={"Content-Type": content_type})
    assert _value(response) == text


def test_a_latin1_form_with_raw_bytes_is_decoded(server: SparqlServer) -> None:
    body = b'query=SELECT ("caf\xe9" AS ?x) {}'
    response = http_post(
        server.endpoint, content=body, headers={"Content-Type": FORM + "; charset=ISO-8859-1"}
    )
    assert _value(response) == "café"


@pytest.mark.parametrize(
    ("content_type", "body", "status", "words"),
    [
        (FORM, "query=" + SELECT_CAFE.format("%E9"), 400, "UTF-8"),
        (FORM + "; charset=utf-8", "query=" + SELECT_CAFE.format("%E9"), 400, "UTF-8"),
        (FORM + "; charset=x-no-such-charset", "query=ASK%20%7B%7D", 415, "x-no-such-charset"),
        (FORM + "; charset=us-ascii", "query=" + SELECT_CAFE.format("%E9"), 400, "us-ascii"),
    ],
)
def test_undecodable_forms_are_refused_naming_the_problem(
    server: SparqlServer, content_type: str, body: str, status: int, words: str
) -> None:
    response = http_post(server.endpoint, content=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert words.lower() in response.text.lower()
    assert "\ufffd" not in response.text


def test_a_query_string_that_is_not_utf8_is_refused(server: SparqlServer) -> None:
    response = http_get(server.endpoint + "?query=" + SELECT_CAFE.format("%E9"))
    assert response.status_code == 400, response.text
    assert "UTF-8" in response.text


# ------------------------------------------------------------------ kind 4: content negotiation

# RFC 9110 §12.5.1 (and RFC 7231 §5.3.2 before it): the most specific range gives the quality.
# (RFC 9110 also lists text/html;level=3 at 0.7, an erratum of the RFC 7231 example.)
RFC_9110 = (
    "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, "
    "text/plain;format=fixed;q=0.4, */*;q=0.5"
)
RFC_7231 = "text/*;q=0.3, text/html;q=0.7, text/html;level=1, text/html;level=2;q=0.4, */*;q=0.5"


@pytest.mark.parametrize(
    ("accept", "media_type", "quality"),
    [
        (RFC_9110, "text/plain;format=flowed", 1.0),
        (RFC_9110, "text/plain", 0.7),
        (RFC_9110, "text/html", 0.3),
        (RFC_9110, "image/jpeg", 0.5),
        (RFC_9110, "text/plain;format=fixed", 0.4),
        (RFC_7231, "text/html;level=1", 1.0),
        (RFC_7231, "text/html", 0.7),
        (RFC_7231, "text/plain", 0.3),
        (RFC_7231, "image/jpeg", 0.5),
        (RFC_7231, "text/html;level=2", 0.4),
        (RFC_7231, "text/html;level=3", 0.7),
    ],
)
def test_the_rfc_examples_choose_by_the_most_specific_range(
    accept: str, media_type: str, quality: float
) -> None:
    assert accepted_quality(accept, media_type) == quality


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        # The header: */* gives XML q=1, above CSV's 0.5; JSON, and its alias
        # application/json, are not acceptable.
        ("*/*;q=1, application/sparql-results+json;q=0, text/csv;q=0.5", RESULTS_MEDIA_TYPES,
         "xml"),
        ("application/sparql-results+json;q=0, text/csv;q=0.5", RESULTS_MEDIA_TYPES, "csv"),
        ("*/*;q=1, application/sparql-results+json;q=0, application/json;q=0", RESULTS_MEDIA_TYPES,
         "xml"),
        ("application/json", RESULTS_MEDIA_TYPES, "json"),
        ("text/plain", GRAPH_MEDIA_TYPES, "ntriples"),
        ("text/*", GRAPH_MEDIA_TYPES, "turtle"),
        ("application/*;q=0, */*", RESULTS_MEDIA_TYPES, "csv"),
        ("text/csv;q=0, text/*", RESULTS_MEDIA_TYPES, "tsv"),
        ("*/*;q=0", RESULTS_MEDIA_TYPES, None),
        ("text/turtle;q=0, */*", GRAPH_MEDIA_TYPES, "ntriples"),
        ("TEXT/CSV", RESULTS_MEDIA_TYPES, "csv"),
        ("text/csv;q=0.5, not a media type, text/tab-separated-values;q=0.6", RESULTS_MEDIA_TYPES,
         "tsv"),
        ("not a media type", RESULTS_MEDIA_TYPES, "json"),
        ("", RESULTS_MEDIA_TYPES, "json"),
    ],
)  # fmt: skip
def test_q_zero_is_not_acceptable(accept: str, offers: dict[str, str], expected: str) -> None:
    assert negotiate(accept, offers) == expected


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        ("*/*;q=1, application/sparql-results+json;q=0, text/csv;q=0.5", 200,
         "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, text/csv;q=0.5", 200, "text/csv"),
        ("*/*;q=1, application/sparql-results+json;q=0, application/json;q=0", 200,
         "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0", 406, None),
        ("*/*;q=0", 406, None),
    ],
)  # fmt: skip
def test_the_endpoint_honours_q_zero(
    server: SparqlServer, accept: str, status: int, media_type: str | None
) -> None:
    response = http_get(
        server.endpoint, params={"query": "SELECT * {}"}, headers={"Accept": accept}
    )
    assert response.status_code == status, response.text
    if media_type:
        assert response.headers["content-type"].split(";")[0] == media_type


# ------------------------------------------------------------------ kind 4: HEAD


@pytest.mark.parametrize(
    ("params", "accept"),
    [
        ({"query": "ASK {}"}, None),
        ({"query": "SELECT * { ?s a tm:Case }"}, "text/csv"),
        ({"query": "CONSTRUCT WHERE { ?s a tm:Case }"}, "application/n-triples"),
        ({}, "text/turtle"),
        ({}, "text/html"),
    ],
)
def test_head_is_get_without_a_body(
    server: SparqlServer, params: dict[str, str], accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    got = http_get(server.endpoint, params=params, headers=headers)
    head = httpx.head(server.endpoint, params=params, headers=headers)
    assert got.status_code == 200, got.text
    assert head.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("x-result-rows") == got.headers.get("x-result-rows")


def test_head_errors_match_get(server: SparqlServer) -> None:
    assert httpx.head(server.endpoint, params={"query": "ASK {"}).status_code == 400
    assert httpx.head(server.endpoint, params={"update": "CLEAR ALL"}).status_code == 405
    refused = httpx.options(server.endpoint)
    assert refused.status_code == 405
    assert "HEAD" in refused.headers["allow"]


# ------------------------------------------------------------------ kind 4: long URLs


def _get_long(server: SparqlServer, size: int) -> tuple[int, str]:
    """GET a query padded to `size` bytes by http.client (httpx refuses URLs this long)."""
    query = quote("ASK {} # " + "x" * size)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("GET", f"/sparql?query={query}")
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("size", [20_000, 200_000, 900_000])
def test_a_long_url_within_the_limit_is_answered(server: SparqlServer, size: int) -> None:
    status, text = _get_long(server, size)
    assert status == 200, text[:200]


@pytest.mark.parametrize("size", [1_000_001, 1_900_000])
def test_a_url_over_the_limit_is_414(server: SparqlServer, size: int) -> None:
    status, text = _get_long(server, size)
    assert status == 414, text[:200]
    assert "1000000 bytes" in text


# ------------------------------------------------------------------ kind 4: syntax first


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("update", "INSERT DATA { <a:s> <a:p> }"),
        ("update", "DROP GRAPH"),
        ("update", "LOAD <{url}> INTO GRAPH"),
        ("update", "INSERT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p } }"),
        ("update", "CLEAR ALL ; LOAD"),
        ("query", "SELECT * WHERE { SERVICE <{url}> { ?s ?p } }"),
        ("query", "SELECT * FROM <urn:x-not-stored> WHERE { ?s ?p }"),
        ("query", "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } FILTER }"),
    ],
)
def test_a_malformed_request_is_400_before_any_refusal(
    server: SparqlServer, recorder: RecordingServer, kind: str, text: str
) -> None:
    text = text.replace("{url}", recorder.url + "/sparql")
    response = http_post(
        server.endpoint, content=text, headers={"Content-Type": f"application/sparql-{kind}"}
    )
    assert response.status_code == 400, response.text
    assert "syntax error" in response.text
    assert recorder.hits == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("INSERT DATA { <a:s> <a:p> <a:o> }", "update"),
        ("LOAD <{url}>", "update"),
        ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", "query"),
    ],
)
def test_well_formed_requests_are_still_refused(
    server: SparqlServer, writable: SparqlServer, recorder: RecordingServer, text: str, kind: str
) -> None:
    text = text.replace("{url}", recorder.url + "/sparql")
    for running, token in ((server, None), (writable, TOKEN)):
        if kind == "query" and token:
            continue
        headers = {"Content-Type": f"application/sparql-{kind}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = http_post(running.endpoint, content=text, headers=headers)
        if token and text.startswith("INSERT"):
            assert response.status_code == 204, response.text
        else:
            assert response.status_code == 403, response.text
    assert recorder.hits == []


# ------------------------------------------------------------------ kind 4: DROP and CLEAR


def _update(server: SparqlServer, text: str) -> httpx.Response:
    return http_post(
        server.endpoint,
        content=text,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )


def _count(server: SparqlServer, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?x) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(_value(http_get(server.endpoint, params={"query": query})))


@pytest.mark.parametrize(
    "update",
    [
        "DROP GRAPH <urn:x-missing:1>",
        "CLEAR GRAPH <urn:x-missing:2>",
        "DROP GRAPH <urn:x-missing:3> ; CLEAR GRAPH <urn:x-missing:4>",
        "DROP SILENT GRAPH <urn:x-missing:5>",
        "CLEAR GRAPH <urn:x-missing:6> ; INSERT DATA { GRAPH <urn:x-edge:kept> { <a:s> <a:p> 1 } }",
    ],
)
def test_drop_and_clear_of_a_graph_holding_nothing_succeed(
    writable: SparqlServer, update: str
) -> None:
    response = _update(writable, update)
    assert response.status_code == 204, response.text
    if "kept" in update:
        assert _count(writable, "urn:x-edge:kept") == 1


def test_a_graph_emptied_then_dropped_and_moved_from(writable: SparqlServer) -> None:
    assert (
        _update(writable, "INSERT DATA { GRAPH <urn:x-edge:a> { <a:s> <a:p> 1 } }").status_code
        == 204
    )
    assert (
        _update(writable, "DELETE DATA { GRAPH <urn:x-edge:a> { <a:s> <a:p> 1 } }").status_code
        == 204
    )
    assert _update(writable, "DROP GRAPH <urn:x-edge:a>").status_code == 204
    assert (
        _update(writable, "INSERT DATA { GRAPH <urn:x-edge:b> { <a:s> <a:p> 2 } }").status_code
        == 204
    )
    # A missing graph is empty: moving it over <b> leaves <b> empty, as for any empty graph.
    assert _update(writable, "MOVE <urn:x-edge:none> TO <urn:x-edge:b>").status_code == 204
    assert _count(writable, "urn:x-edge:b") == 0
