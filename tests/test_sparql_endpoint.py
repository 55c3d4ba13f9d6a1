"""The SPARQL endpoint over a real `kg serve`: clients, formats, dataset, limits, policy, updates.

Answers are checked against the seed's expected answers (tests/expected/queries/) through
SPARQLWrapper and rdflib's SPARQLStore, in every result format.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from kg import KnowledgeGraph
from kg.resources import QUERIES_DIR
from tests.conftest import run_kg
from tests.http_support import http_get, http_post
from tests.sparql_support import (
    RecordingServer,
    SparqlServer,
    copy_store,
    expected_rows,
    rows_from_csv,
    rows_from_json,
    rows_from_tsv,
    rows_from_xml,
)

TOKEN = "s3cret-update-token"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CASE_GRAPH = "https://w3id.org/tmkg/id/graph/aws-trademark-article"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the seed loaded, to copy for each server."""
    path = tmp_path_factory.mktemp("sparql-seed") / "store"
    run_kg("load", "--seed", "--store", path, check=True)
    return path


@pytest.fixture(scope="module")
def server(
    seed_store: Path, recorder: RecordingServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SparqlServer]:
    """A read-only server: short timeout, small row limit, one CORS origin, a loopback allow-list."""
    store = copy_store(seed_store, tmp_path_factory.mktemp("sparql-ro") / "store")
    with SparqlServer(
        "--store", store,
        "--query-timeout", "2",
        "--max-rows", "100",
        "--max-request-size", "20000",
        "--cors-origin", "https://notebook.example",
        "--allow-endpoint", recorder.url + "/sparql",
    ) as running:  # fmt: skip
        yield running


@pytest.fixture(scope="module")
def writable(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """A server started with an update token (given by environment, as recommended)."""
    store = copy_store(seed_store, tmp_path_factory.mktemp("sparql-rw") / "store")
    with SparqlServer("--store", store, env={"KG_UPDATE_TOKEN": TOKEN}) as running:
        yield running


def _wrapper(server: SparqlServer, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    # SPARQLWrapper guesses the form with a regex that some comments fool ("…loaded" → LOAD).
    client.queryType = server_form(query)
    client.setReturnFormat(return_format)
    return client


def server_form(query: str) -> str:
    from kg.store.sparql_scan import scan_sparql

    return scan_sparql(query).form or "SELECT"


# ------------------------------------------------------------------ clients and formats


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_sparqlwrapper_answers_every_saved_query_in_every_format(
    server: SparqlServer, path: Path
) -> None:
    query = path.read_text(encoding="utf-8")
    expected = expected_rows(path.stem)
    client = _wrapper(server, query, JSON)
    assert rows_from_json(client.query().convert()) == expected
    client.setReturnFormat(XML)
    assert rows_from_xml(client.query().convert()) == expected
    client.setReturnFormat(CSV)
    client.setMethod("POST")  # form-encoded POST
    assert rows_from_csv(client.query().convert()) == expected
    client.setReturnFormat(TSV)
    client.setRequestMethod("postdirectly")  # application/sparql-query
    assert rows_from_tsv(client.query().convert()) == expected


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_select_in_every_format(
    server: SparqlServer, return_format: str
) -> None:
    graph = rdflib.Graph(
        SPARQLStore(server.endpoint, returnFormat=return_format, method="POST_FORM")
    )
    query = (QUERIES_DIR / "mark-registrations.rq").read_text(encoding="utf-8")
    result = graph.query(query)
    header, *rows = expected_rows("mark-registrations")
    assert [str(v) for v in result.vars] == header
    assert [[str(term) if term is not None else "" for term in row] for row in result] == rows


CONSTRUCT = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{CASE_GRAPH}> {{
  ?s ?p ?o . ?s a tm:Case }} }}"""


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format_matches_the_seed(
    server: SparqlServer, seeded: KnowledgeGraph, accept: str, rdflib_format: str
) -> None:
    response = http_post(server.endpoint, data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    answer = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    local = seeded.query(CONSTRUCT).serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr]
    assert len(answer) > 5
    assert isomorphic(answer, rdflib.Graph().parse(data=local, format="nt"))


def test_rdflib_sparqlstore_construct_and_sparqlwrapper_describe(server: SparqlServer) -> None:
    graph = rdflib.Graph(SPARQLStore(server.endpoint, returnFormat="xml"))
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) > 5
    client = _wrapper(server, "DESCRIBE <https://w3id.org/tmkg/id/case/aws-cn-2018>", "turtle")
    described = client.query().convert()
    assert b"aws-cn-2018" in described


# ------------------------------------------------------------------ dataset


def test_default_graph_is_the_union_and_a_bag(server: SparqlServer) -> None:
    def count(query: str) -> int:
        answer = http_get(server.endpoint, params={"query": query}).json()
        return int(answer["results"]["bindings"][0]["n"]["value"])

    case = "<https://w3id.org/tmkg/id/case/aws-cn-2018>"
    graphs = count(f"SELECT (COUNT(DISTINCT ?g) AS ?n) {{ GRAPH ?g {{ {case} a tm:Case }} }}")
    assert graphs >= 2
    assert count(f"SELECT (COUNT(*) AS ?n) {{ {case} a tm:Case }}") == graphs
    assert count(f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT * {{ {case} a tm:Case }} }}") == 1


def test_protocol_dataset_and_from_select_stored_graphs(server: SparqlServer) -> None:
    ask = "ASK { <https://w3id.org/tmkg/id/case/aws-cn-2018> a tm:Case }"

    def answer(params: dict) -> bool:
        response = http_get(server.endpoint, params={"query": ask, **params})
        assert response.status_code == 200, response.text
        return response.json()["boolean"]

    assert answer({}) is True
    assert answer({"default-graph-uri": CASE_GRAPH}) is True
    assert answer({"default-graph-uri": "http://example.org/not-stored"}) is False
    assert answer({"named-graph-uri": CASE_GRAPH}) is False  # named only: empty default graph
    from_query = ask.replace("ASK", f"ASK FROM <{CASE_GRAPH}>")
    assert http_get(server.endpoint, params={"query": from_query}).json()["boolean"] is True


# ------------------------------------------------------------------ negotiation and description


def test_content_negotiation(server: SparqlServer) -> None:
    def post(query: str, accept: str | None) -> httpx.Response:
        headers = {"Accept": accept} if accept else {}
        return http_post(server.endpoint, data={"query": query}, headers=headers)

    select = "SELECT ?s { ?s a tm:Case }"
    assert post(select, None).headers["content-type"] == "application/sparql-results+json"
    assert post(select, "*/*").headers["content-type"] == "application/sparql-results+json"
    assert (
        post(select, "text/csv;q=0.5, application/sparql-results+xml")
        .headers["content-type"]
        .startswith("application/sparql-results+xml")
    )
    assert (
        post(select, "text/tab-separated-values")
        .headers["content-type"]
        .startswith("text/tab-separated-values")
    )
    refused = post(select, "text/turtle")
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text
    assert (
        post("CONSTRUCT WHERE { ?s a tm:Case }", None)
        .headers["content-type"]
        .startswith("text/turtle")
    )
    assert (
        post("CONSTRUCT WHERE { ?s a tm:Case }", "application/sparql-results+json").status_code
        == 406
    )
    assert post("ASK {}", "image/png").status_code == 406


def test_service_description_for_clients_and_page_for_browsers(server: SparqlServer) -> None:
    described = http_get(server.endpoint, headers={"Accept": "text/turtle"})
    assert described.status_code == 200
    graph = rdflib.Graph().parse(data=described.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server.endpoint)) in graph
    assert (None, sd.feature, sd.UnionDefaultGraph) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) not in graph
    assert (None, sd.name, rdflib.URIRef(CASE_GRAPH)) in graph
    plain = http_get(server.endpoint)  # curl-like: no Accept
    assert plain.headers["content-type"].startswith("text/turtle")
    page = http_get(server.endpoint, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "yasgui.min.js" in page.text and "Parties of a case" in page.text
    assert "cdn" not in page.text.lower() and 'src="http' not in page.text
    assets = http_get(server.url + "/sparql/yasgui/yasgui.min.js")
    assert assets.status_code == 200 and len(assets.content) > 100_000


def test_cors_only_for_configured_origins(server: SparqlServer) -> None:
    preflight = httpx.options(
        server.endpoint,
        headers={
            "Origin": "https://notebook.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://notebook.example"
    allowed = http_get(
        server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://notebook.example"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://notebook.example"
    assert "X-Result-Truncated" in allowed.headers["access-control-expose-headers"]
    other = http_get(
        server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


# ------------------------------------------------------------------ errors and limits


def test_malformed_query_is_400_with_position(server: SparqlServer) -> None:
    response = http_get(server.endpoint, params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert "SPARQL syntax error at line 3, column 2" in response.text


def test_protocol_violations_are_4xx(server: SparqlServer) -> None:
    endpoint = server.endpoint
    assert httpx.put(endpoint, params={"query": "ASK {}"}).status_code == 405
    assert http_get(endpoint + "?query=ASK%20%7B%7D&query=ASK%20%7B%7D").status_code == 400
    assert http_post(endpoint, content=b"ASK {}").status_code == 400
    assert (
        http_post(endpoint, content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code
        == 415
    )


def test_a_query_over_the_time_limit_is_stopped(server: SparqlServer) -> None:
    before = server.worker_pids()
    started = time.monotonic()
    response = http_get(server.endpoint, params={"query": SLOW_QUERY}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "stopped after" in response.text and "2 s limit" in response.text
    assert elapsed < 6
    after = server.worker_pids()
    killed = before - after
    assert len(killed) == 1  # the worker that ran it is gone, not left spinning
    for pid in killed:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        )
    quick = http_get(server.endpoint, params={"query": "ASK {}"})
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    deadline = time.monotonic() + 10
    while len(server.worker_pids()) < len(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(server.worker_pids()) == len(before)  # replaced


def test_results_over_the_row_limit_are_truncated_and_flagged(server: SparqlServer) -> None:
    response = http_get(server.endpoint, params={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-max-rows"] == "100"
    assert len(response.json()["results"]["bindings"]) == 100
    small = http_get(server.endpoint, params={"query": "SELECT * { ?s a tm:Case }"})
    assert "x-result-truncated" not in small.headers
    construct = http_get(
        server.endpoint,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert construct.headers["x-result-truncated"] == "true"
    assert len(construct.text.strip().splitlines()) == 100


def test_request_size_cap(server: SparqlServer) -> None:
    big = "ASK {} # " + "x" * 30_000
    response = http_post(
        server.endpoint, content=big, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "20000 bytes" in response.text
    long_url = http_get(server.endpoint, params={"query": big})
    assert long_url.status_code == 414


# ------------------------------------------------------------------ no requests on a user's behalf


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX r: <{base}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        "BASE <{base}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # comment\n SERVICE\n<{url}>{{?s ?p ?o}} }}",
    ],
)
def test_service_is_refused_and_nothing_is_fetched(
    server: SparqlServer, recorder: RecordingServer, template: str
) -> None:
    query = template.format(url=recorder.url + "/sparql", base=recorder.url)
    response = http_post(server.endpoint, data={"query": query})
    assert response.status_code == 403, response.text
    assert "SERVICE" in response.text
    assert recorder.hits == []


def test_allow_listed_loopback_endpoint_is_still_refused(
    server: SparqlServer, recorder: RecordingServer
) -> None:
    # The recorder's URL is on this server's allow-list, but it is a loopback address.
    query = f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}"
    response = http_post(server.endpoint, data={"query": query})
    assert response.status_code == 403
    assert "127.0.0.1" in response.text and "loopback" in response.text
    assert recorder.hits == []


def test_service_word_in_strings_comments_and_names_is_not_refused(server: SparqlServer) -> None:
    query = """PREFIX ex: <http://example.org/service/>
    # SERVICE <http://127.0.0.1/> { }
    SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1/> {}"@en-service AS ?service)
      OPTIONAL { ?service ex:service <http://example.org/SERVICE> } }"""
    response = http_post(server.endpoint, data={"query": query})
    assert response.status_code == 200, response.text


def test_from_a_graph_not_stored_is_refused(
    server: SparqlServer, recorder: RecordingServer
) -> None:
    query = f"SELECT * FROM <{recorder.url}/data.ttl> WHERE {{ ?s ?p ?o }}"
    response = http_post(server.endpoint, data={"query": query})
    assert response.status_code == 403
    assert "never fetches" in response.text
    assert recorder.hits == []


# ------------------------------------------------------------------ updates


def test_updates_are_refused_without_the_token(
    server: SparqlServer, writable: SparqlServer
) -> None:
    insert = "INSERT DATA { GRAPH <http://example.org/t> { <http://example.org/a> <http://example.org/b> 1 } }"
    check = "ASK { GRAPH <http://example.org/t> { ?s ?p ?o } }"
    read_only = http_post(
        server.endpoint, data={"update": insert}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert read_only.status_code == 403 and "read-only" in read_only.text
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        refused = http_post(writable.endpoint, data={"update": insert}, headers=headers)
        assert refused.status_code == 403
        assert TOKEN not in refused.text
    assert http_get(writable.endpoint, params={"query": check}).json()["boolean"] is False
    assert http_get(writable.endpoint, params={"update": insert}).status_code == 405
    assert TOKEN not in writable.log()


def test_authorised_update_is_atomic_and_seen_by_queries(writable: SparqlServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    check = "ASK { GRAPH <http://example.org/u> { <http://example.org/a> ?p ?o } }"
    failing = (
        "INSERT DATA { GRAPH <http://example.org/u> { <http://example.org/a> <http://example.org/b> 1 } } ;\n"
        "CREATE GRAPH <https://w3id.org/tmkg/id/graph/aws-trademark-article>"
    )
    response = http_post(writable.endpoint, data={"update": failing}, headers=auth)
    assert response.status_code == 400 and "nothing was changed" in response.text
    assert http_get(writable.endpoint, params={"query": check}).json()["boolean"] is False
    ok = http_post(
        writable.endpoint,
        content=failing.split(" ;")[0],
        headers={**auth, "Content-Type": "application/sparql-update"},
    )
    assert ok.status_code == 204, ok.text
    assert http_get(writable.endpoint, params={"query": check}).json()["boolean"] is True
    described = http_get(writable.endpoint, headers={"Accept": "text/turtle"}).text
    assert "SPARQL11Update" in described


def test_load_is_refused_even_with_the_token(
    writable: SparqlServer, recorder: RecordingServer
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = http_post(
        writable.endpoint, data={"update": f"LOAD <{recorder.url}/x.ttl>"}, headers=auth
    )
    assert response.status_code == 403 and "LOAD" in response.text
    assert recorder.hits == []


def test_sparqlwrapper_update_with_token(writable: SparqlServer) -> None:
    client = SPARQLWrapper(writable.endpoint)
    client.setMethod("POST")
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery(
        "INSERT DATA { GRAPH <http://example.org/w> { <http://example.org/x> a <http://example.org/T> } }"
    )
    client.query()
    answer = http_get(
        writable.endpoint, params={"query": "ASK { GRAPH <http://example.org/w> { ?x a ?t } }"}
    )
    assert json.loads(answer.text)["boolean"] is True
