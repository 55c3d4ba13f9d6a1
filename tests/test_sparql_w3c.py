"""The W3C SPARQL 1.1 Protocol tests, read from their manifest and run against a real `kg serve`.

Two servers: one read-only (the default), where every query and bad-request test applies and
every update test must be refused with 403; one started with an update token, where all tests
apply and each request carries the token. See tests/data/w3c-protocol/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.dom.minidom import parseString

import httpx
import pytest
import rdflib
from rdflib.namespace import RDFS
from rdflib.term import Node

from tests.conftest import run_kg
from tests.http_support import http_post, http_request
from tests.sparql_support import SparqlServer

SUITE = Path(__file__).parent / "data" / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol-token"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
TABULAR_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: frozenset[int]  # status classes: 2, 3, 4
    result_format: str | None  # boolean, tabular, RDF
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graph_data: tuple[tuple[str, str], ...]  # (file name, graph IRI)
    requests: tuple[ProtocolRequest, ...]

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def _list(graph: rdflib.Graph, head: Node | None) -> list[Node]:
    return list(rdflib.collection.Collection(graph, head)) if head is not None else []


def read_manifest() -> list[ProtocolTest]:
    """Every test of the manifest, in its order."""
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in _list(graph, graph.value(manifest, MF.entries)):
        data = tuple(
            (str(graph.value(d, UT.graph)).rsplit("/", 1)[-1], str(graph.value(d, RDFS.label)))
            for d in graph.objects(entry, UT.graphData)
        )
        action = graph.value(entry, MF.action)
        requests = []
        for request in _list(graph, graph.value(action, HT.requests)):
            headers = {
                str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
                for h in _list(graph, graph.value(request, HT.headers))
            }
            body = graph.value(request, HT.body)
            response = graph.value(request, HT.resp)
            statuses = frozenset(
                int(str(s).removeprefix(str(HTS.StatusCode))[0])
                for s in graph.objects(response, MF.expectedStatus)
            )
            boolean = graph.value(response, MF.expectedBoolean)
            result_format = graph.value(response, MF.expectedFormat)
            requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=str(graph.value(body, CNT.chars)) if body is not None else None,
                    statuses=statuses,
                    result_format=str(result_format) if result_format is not None else None,
                    boolean=bool(boolean.toPython()) if boolean is not None else None,
                )
            )
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, data, tuple(requests)))
    return tests


TESTS = read_manifest()


def test_the_manifest_is_read_whole() -> None:
    assert len(TESTS) == 34
    assert all(test.requests for test in TESTS)


def _store_with_suite_data(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    store = tmp_path_factory.mktemp(name) / "store"
    labels = {label for test in TESTS for _, label in test.graph_data}
    for label in sorted(labels):
        file_name = next(f for t in TESTS for f, g in t.graph_data if g == label)
        run_kg("load", "--store", store, "--graph", label, SUITE / file_name, check=True)
    return store


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    with SparqlServer("--store", _store_with_suite_data(tmp_path_factory, "w3c-ro")) as server:
        yield server


@pytest.fixture(scope="module")
def update_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    store = _store_with_suite_data(tmp_path_factory, "w3c-rw")
    with SparqlServer("--store", store, "--update-token", TOKEN) as server:
        yield server


def _send(server: SparqlServer, request: ProtocolRequest, token: str | None) -> httpx.Response:
    # Every path is "/sparql/" or "/sparql/?…": the suite's prefix becomes the endpoint's URL.
    assert request.path.startswith("/sparql/")
    url = server.endpoint + request.path.removeprefix("/sparql/")
    headers = dict(request.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    content = request.body.encode("utf-8") if request.body is not None else None
    return http_request(request.method, url, headers=headers, content=content)


def _check(response: httpx.Response, request: ProtocolRequest) -> None:
    assert response.status_code // 100 in request.statuses, (response.status_code, response.text)
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.result_format == "boolean":
        assert media_type in ("application/sparql-results+json", "application/sparql-results+xml")
        if media_type.endswith("json"):
            value = json.loads(response.text)["boolean"]
        else:
            text = parseString(response.content).getElementsByTagName("boolean")[0]
            value = text.firstChild.data.strip() == "true"  # type: ignore[union-attr]
        if request.boolean is not None:
            assert value is request.boolean
    elif request.result_format == "tabular":
        assert media_type in TABULAR_TYPES
        if media_type.endswith("json"):
            assert "vars" in json.loads(response.text)["head"]
    elif request.result_format == "RDF":
        assert media_type in RDF_TYPES
        rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type])


def _reset(server: SparqlServer, test: ProtocolTest) -> None:
    """Put the test's graph data in place (the suite's tests assume a fresh dataset)."""
    if not test.graph_data:
        return
    inserts = " ".join(
        f"GRAPH <{label}> {{ {(SUITE / name).read_text(encoding='utf-8')} }}"
        for name, label in test.graph_data
    )
    response = http_post(
        server.endpoint,
        content=f"DROP ALL ; INSERT DATA {{ {inserts} }}",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 204, response.text


# tmkg never splices protocol parameters into SPARQL text, and pyoxigraph takes an update's
# dataset only from its text: updates naming using-graph-uri/using-named-graph-uri are
# refused with 400 and a message saying to write USING in the update (issue 11).
USING_PARAMETERS = ("using-graph-uri=", "using-named-graph-uri=")


def _uses_using_parameters(request: ProtocolRequest) -> bool:
    return any(name in request.path for name in USING_PARAMETERS)


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_with_update_token(update_server: SparqlServer, test: ProtocolTest) -> None:
    _reset(update_server, test)
    for request in test.requests:
        response = _send(update_server, request, TOKEN)
        if _uses_using_parameters(request):
            assert response.status_code == 400, response.text
            assert "write USING <iri>" in response.text
            return
        _check(response, request)


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_read_only(read_only_server: SparqlServer, test: ProtocolTest) -> None:
    if test.is_update:
        # Does not apply to a read-only endpoint: the update must be refused, changing nothing.
        response = _send(read_only_server, test.requests[0], None)
        assert response.status_code == 403, response.text
        return
    for request in test.requests:
        _check(_send(read_only_server, request, None), request)
