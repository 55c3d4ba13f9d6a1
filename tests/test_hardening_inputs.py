"""The bad-input corpus: malformed and hostile inputs to the loader (in process, through
`kg load` and through ``POST /load``), the SPARQL endpoint and GraphQL. Each gets a clear
error (an exception with its message, an exit status, or a 4xx/GraphQL error with a code),
the store's quads stay exactly as they were, the server keeps answering, and nothing is
fetched: every hostile input points at a canary server, which must receive no connection."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph, NotFound, ParseError, Settings, ValidationError
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.store.oxigraph import OxigraphStore
from tests.conftest import run_kg
from tests.hardening_corpus import PREFIXES, REGISTRATION, BadFile, bad_files
from tests.hardening_support import Canary, raw_http, record
from tests.http_support import http_get, http_post, http_request
from tests.sparql_support import SparqlServer

CANARY_PLACEHOLDER = "http://127.0.0.1:1"
FILE_NAMES = [bad.name for bad in bad_files(CANARY_PLACEHOLDER)]
MB = 1_000_000


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.close()


@pytest.fixture(scope="module")
def corpus(canary: Canary) -> dict[str, BadFile]:
    return {bad.name: bad for bad in bad_files(canary.url)}


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    """An on-disk graph holding the seed, shared by the in-process loader inputs."""
    opened = KnowledgeGraph.open(Settings(store_path=tmp_path_factory.mktemp("bad") / "store"))
    opened.load_seed()
    yield opened
    opened.close()


@dataclass
class Served:
    """A `kg serve` with an update token, over a store whose quads were read beforehand."""

    server: SparqlServer
    token: str
    store: Path
    before: set[Any]
    counts: tuple[int, int] = field(default=(0, 0))
    stopped: bool = False

    def stop(self) -> str:
        """Stop the server (once); what it printed."""
        if not self.stopped:
            self.stopped = True
            self.server.stop()
        return self.server.stderr

    def count(self) -> tuple[int, int]:
        """Quads in named graphs, and triples the union default graph holds (a bag)."""
        answer = http_post(
            self.server.endpoint,
            data={
                "query": "SELECT ?n ?u WHERE { { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g "
                "{ ?s ?p ?o } } } { SELECT (COUNT(*) AS ?u) WHERE { ?s ?p ?o } } }"
            },
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        (row,) = answer.json()["results"]["bindings"]
        return int(row["n"]["value"]), int(row["u"]["value"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    store = folder / "store"
    with KnowledgeGraph.open(Settings(store_path=store)) as prepared:
        prepared.load_seed()
    before = _quads(store)
    token = secrets.token_urlsafe(24)
    token_file = folder / "token"
    token_file.write_text(token + "\n")
    server = SparqlServer(
        "--store", store,
        "--update-token-file", token_file,
        "--query-timeout", "2",
        "--max-rows", "100000",
        "--max-load-size", str(20 * MB),  # room for the corpus's 17 MB terms
        "--allow-endpoint", canary.url + "/sparql",
    )  # fmt: skip
    server.wait_ready()
    running = Served(server, token, store, before)
    try:
        running.counts = running.count()
        yield running
    finally:
        running.stop()


def _quads(store: Path) -> set[Any]:
    opened = OxigraphStore(store)
    try:
        return set(opened.quads())
    finally:
        opened.close()


def _check_unchanged(served: Served, canary: Canary) -> int:
    """Quads lost (or gained) by the last input, from the served store's counts."""
    counts = served.count()  # also proves the server still answers
    assert canary.hits == [], f"the canary was called: {canary.hits}"
    return abs(counts[0] - served.counts[0]) + abs(counts[1] - served.counts[1])


# ------------------------------------------------------------------ the loader, in process


@pytest.mark.parametrize("name", FILE_NAMES)
def test_loader_refuses_bad_file_and_changes_nothing(
    name: str, corpus: dict[str, BadFile], graph: KnowledgeGraph, canary: Canary, tmp_path: Path
) -> None:
    bad = corpus[name]
    path = tmp_path / bad.name
    path.write_bytes(bad.data)
    before = set(graph.store.quads())
    with pytest.raises(bad.error) as caught:
        graph.load([path])
    after = set(graph.store.quads())
    expected = bad.message in str(caught.value) and str(path) in str(caught.value)
    record("input", surface="loader", name=name, expected=expected, quads_lost=len(before ^ after))
    assert bad.message in str(caught.value)
    assert str(path) in str(caught.value)  # the message names the file
    assert after == before
    assert canary.hits == []


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("missing file", NotFound, "no such file"),
        ("a directory", ParseError, "is a directory"),
        ("unknown extension", ParseError, "pass --format"),
        ("graph not an IRI", ParseError, "is not an absolute IRI"),
        ("graph a relative IRI", ParseError, "is not an absolute IRI"),
        ("graph tmkg's reference data", ParseError, "tmkg's own reference data"),
        ("graph tmkg's ontology", ParseError, "tmkg's own reference data"),
        ("wrong --format", ParseError, ""),
        ("one bad file of two", ValidationError, "a party needs at least one"),
    ],
)
def test_loader_refuses_bad_arguments_and_changes_nothing(
    case: str, error: type[Exception], message: str, graph: KnowledgeGraph, tmp_path: Path
) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(PREFIXES + REGISTRATION + ".\n", encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "party:nobody a tm:Company .\n", encoding="utf-8")
    (tmp_path / "folder.ttl").mkdir()
    (tmp_path / "case.txt").write_text(PREFIXES, encoding="utf-8")
    calls: dict[str, dict[str, Any]] = {
        "missing file": {"paths": [tmp_path / "absent.ttl"]},
        "a directory": {"paths": [tmp_path / "folder.ttl"]},
        "unknown extension": {"paths": [tmp_path / "case.txt"]},
        "graph not an IRI": {"paths": [good], "graph": "my graph"},
        "graph a relative IRI": {"paths": [good], "graph": "cases/my-case"},
        "graph tmkg's reference data": {"paths": [good], "graph": str(REFERENCE_GRAPH)},
        "graph tmkg's ontology": {"paths": [good], "graph": str(ONTOLOGY_GRAPH)},
        "wrong --format": {"paths": [good], "format_name": "nquads"},
        "one bad file of two": {"paths": [good, bad]},
    }
    before = set(graph.store.quads())
    with pytest.raises(error) as caught:  # type: ignore[call-overload]
        graph.load(**calls[case])
    after = set(graph.store.quads())
    expected = message in str(caught.value)
    record("input", surface="loader", name=case, expected=expected, quads_lost=len(before ^ after))
    assert message in str(caught.value)
    assert after == before


def test_kg_load_exit_statuses_for_hostile_files(
    corpus: dict[str, BadFile], canary: Canary, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store_path=store)):
        pass  # the reference data only
    before = _quads(store)
    for name, status in (("billion-laughs.rdf", 4), ("date-13th-month.ttl", 5)):
        path = tmp_path / name
        path.write_bytes(corpus[name].data)
        result = run_kg("load", "--store", store, path)
        lost = len(before ^ _quads(store))
        expected = result.returncode == status and corpus[name].message in result.stderr
        record("input", surface="kg load", name=name, expected=expected, quads_lost=lost)
        assert result.returncode == status, result.stderr
        assert result.stderr.startswith("kg: error: ") and corpus[name].message in result.stderr
        assert lost == 0
    assert canary.hits == []


# ------------------------------------------------------------------ the loader over HTTP


@pytest.mark.parametrize("name", FILE_NAMES)
def test_post_load_refuses_bad_body_and_changes_nothing(
    name: str, corpus: dict[str, BadFile], served: Served, canary: Canary
) -> None:
    bad = corpus[name]
    answer = http_post(
        served.server.url + "/load",
        content=bad.data,
        headers={"Content-Type": bad.content_type, "Authorization": f"Bearer {served.token}"},
        timeout=60,
    )
    lost = _check_unchanged(served, canary)
    expected = answer.status_code == bad.status and bad.message in answer.text
    record("input", surface="POST /load", name=name, expected=expected, quads_lost=lost)
    assert answer.status_code == bad.status, answer.text
    assert bad.message in answer.text
    assert "request body" in answer.text or bad.status == 422
    assert lost == 0


# ------------------------------------------------------------------ other HTTP requests


@dataclass(frozen=True)
class Hostile:
    """One hostile HTTP request and the answer it must get: a status, and a fragment of the
    message (for GraphQL errors answered with 200, the error's code)."""

    name: str
    method: str
    path: str
    status: int
    message: str
    params: dict[str, str] | None = None
    body: bytes | None = None
    headers: dict[str, str] | None = None
    token: bool = False  # send the update token
    graphql_code: str | None = None


def _sparql(name: str, query: str, status: int, message: str, **extra: Any) -> Hostile:
    return Hostile(
        name,
        "POST",
        "/sparql",
        status,
        message,
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
        **extra,
    )


def _update(name: str, update: str, status: int, message: str, token: bool = True) -> Hostile:
    return Hostile(
        name,
        "POST",
        "/sparql",
        status,
        message,
        body=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
        token=token,
    )


def _graphql(name: str, document: Any, code: str, message: str = "", status: int = 200) -> Hostile:
    import json

    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return Hostile(
        name,
        "POST",
        "/graphql",
        status,
        message,
        body=body,
        headers={"Content-Type": "application/json"},
        graphql_code=code,
    )


def hostile_requests(canary: str) -> list[Hostile]:
    """The SPARQL and GraphQL corpus; `canary` is the URL hostile ones point at."""
    nested = "SELECT * WHERE { " + "{ " * 100 + "?s ?p ?o" + " }" * 100 + " }"
    binds = "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(3000)) + " }"
    path = "SELECT * WHERE { ?s " + "/".join(["tm:mark"] * 3000) + " ?o }"
    deep_update = "INSERT { ?s ?p ?o } WHERE { " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000 + " }"
    public = "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }"
    party = '{ party(name: "Amazon") { name } }'
    deep = "registrations { mark { " * 12 + "text" + " } }" * 12
    return [
        # --- SPARQL: syntax
        _sparql("syntax error", "SELEC * WHERE { ?s ?p ?o }", 400, "syntax error"),
        _sparql("unclosed brace", "SELECT * WHERE { ?s ?p ?o ", 400, "syntax error"),
        _sparql("unknown prefix", "SELECT * WHERE { ?s nope:x ?o }", 400, "syntax error"),
        _sparql("bad IRI", "SELECT * WHERE { <http://a b> ?p ?o }", 400, "syntax error"),
        Hostile(
            "not UTF-8",
            "POST",
            "/sparql",
            400,
            "UTF-8",
            body=b"SELECT * WHERE { ?s ?p '\xff' }",
            headers={"Content-Type": "application/sparql-query"},
        ),
        # --- SPARQL: size, depth, pathological evaluation
        _sparql("10 MB query", "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10 * MB, 413, "larger"),
        Hostile(
            "10 MB form",
            "POST",
            "/sparql",
            413,
            "larger",
            body=b"query=" + b"x" * 10 * MB,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        _sparql("brackets 100 deep", nested, 400, "nests brackets"),
        _sparql("3,000 BINDs", binds, 400, "too complex"),
        _sparql("3,000-step path", path, 400, "too complex"),
        # helper-109 F7: a collection's items were not counted (5,000 crashed the engine: 500)
        _sparql(
            "collection of 5,000", "SELECT * { ?s ?p (" + " 1" * 5000 + " ) }", 400, "too complex"
        ),
        _sparql(
            "collection of 1,200 IRIs",
            "SELECT * { ?s ?p (" + " <x:y>" * 1200 + " ) }",
            400,
            "too complex",
        ),
        _sparql(
            "collection of 600 numbers",
            "SELECT * { ?s ?p (" + " 12.5 -3" * 600 + " ) }",
            400,
            "too complex",
        ),
        _sparql(
            "nested collections",
            "SELECT * { ?s ?p (" + " ( 1 2 )" * 400 + " ) }",
            400,
            "too complex",
        ),
        _sparql(
            "path closure cross product",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a (!tm:none)* ?b . ?c (!tm:none)* ?d }",
            503,
            "stopped",
        ),
        _sparql(
            "four-way cross product",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            503,
            "stopped",
        ),
        # --- SPARQL: SERVICE and LOAD never reach another server
        _sparql("SERVICE canary", public % (canary + "/x"), 403, "makes no requests"),
        _sparql("SERVICE allowed loopback", public % (canary + "/sparql"), 403, "127.0.0.1"),
        _sparql(
            "SERVICE SILENT canary",
            f"SELECT * WHERE {{ SERVICE SILENT <{canary}/x> {{ ?s ?p ?o }} }}",
            403,
            "refused",
        ),
        _sparql(
            "SERVICE by prefix",
            f"PREFIX c: <{canary}/> SELECT * WHERE {{ SERVICE c:sparql2 {{ ?s ?p ?o }} }}",
            403,
            "refused",
        ),
        _sparql("SERVICE localhost", public % "http://localhost:9/sparql", 403, "refused"),
        _sparql("SERVICE [::1]", public % "http://[::1]:9/sparql", 403, "refused"),
        _sparql("SERVICE private", public % "http://10.0.0.7/sparql", 403, "refused"),
        _sparql("SERVICE link-local", public % "http://169.254.169.254/latest", 403, "refused"),
        _sparql("SERVICE public IP", public % "http://93.184.216.34/sparql", 403, "refused"),
        _sparql("SERVICE public name", public % "https://dbpedia.org/sparql", 403, "refused"),
        _sparql("SERVICE variable", "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", 403, "variable"),
        _sparql(
            "FROM canary graph",
            f"SELECT * FROM <{canary}/g> WHERE {{ ?s ?p ?o }}",
            403,
            "never fetches",
        ),
        _update("LOAD canary", f"LOAD <{canary}/data.ttl>", 403, "refused"),
        _update("LOAD SILENT public", "LOAD SILENT <https://dbpedia.org/data.ttl>", 403, "refused"),
        _update(
            "LOAD into graph", f"LOAD <{canary}/d.ttl> INTO GRAPH <http://ex.org/g>", 403, "refused"
        ),
        # --- SPARQL: writes
        _update(
            "update without token",
            "INSERT DATA { <http://ex.org/a> <http://ex.org/p> 1 }",
            403,
            "needs the update token",
            token=False,
        ),
        Hostile(
            "update with wrong token",
            "POST",
            "/sparql",
            403,
            "needs the update token",
            body=b"INSERT DATA { <http://ex.org/a> <http://ex.org/p> 1 }",
            headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer no"},
        ),
        Hostile("update by GET", "GET", "/sparql", 405, "POST", params={"update": "CLEAR ALL"}),
        _update("malformed update", "INSERT DATA { <http://ex.org/a> }", 400, "syntax error"),
        _update(
            "update failing half-way",
            "INSERT DATA { GRAPH <http://ex.org/half> { <http://ex.org/a> <http://ex.org/p> 1 } } ;"
            " CREATE GRAPH <http://ex.org/half>",  # it exists by now: CREATE fails
            400,
            "nothing was changed",
        ),
        _update("update 3,000 deep", deep_update, 400, "nests brackets"),
        # --- SPARQL: protocol
        Hostile(
            "unknown Content-Type",
            "POST",
            "/sparql",
            415,
            "Content-Type",
            body=b"x",
            headers={"Content-Type": "image/png"},
        ),
        Hostile(
            "latin-1 charset",
            "POST",
            "/sparql",
            415,
            "UTF-8",
            body=b"ASK {}",
            headers={"Content-Type": "application/sparql-query; charset=latin-1"},
        ),
        Hostile(
            "query and update",
            "POST",
            "/sparql",
            400,
            "not both",
            body=b"query=ASK%7B%7D&update=CLEAR%20ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        Hostile(
            "unmet Accept",
            "GET",
            "/sparql",
            406,
            "cannot answer",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
            headers={"Accept": "image/png"},
        ),
        # --- GraphQL
        _graphql(
            "depth bomb", {"query": '{ party(name: "Amazon") { ' + deep + " } }"}, "QUERY_TOO_DEEP"
        ),
        _graphql(
            "alias flood",
            {
                "query": "{ "
                + " ".join(f"a{i}: contradictions {{ kind }}" for i in range(200))
                + " }"
            },
            "TOO_MANY_ALIASES",
        ),
        _graphql(
            "token flood",
            {"query": "{ contradictions " + "@include(if: true) " * 3000 + "{ kind } }"},
            "QUERY_TOO_LONG",
        ),
        _graphql(
            "huge page",
            {"query": "{ conflicts(first: 1000000) { nodes { score } } }"},
            "QUERY_TOO_COSTLY",
        ),
        _graphql(
            "huge search limit",
            {"query": '{ search(text: "a", limit: 999999999) { label } }'},
            "QUERY_TOO_COSTLY",
        ),
        _graphql(
            "huge list variable",
            {
                "query": "query($n: String!) { party(name: $n) { name } }",
                "variables": {"n": ["a"] * 100_000},
            },
            "INVALID_QUERY",
        ),
        _graphql(
            "huge list literal",
            {"query": "{ party(name: [" + ",".join(['"a"'] * 20_000) + "]) { name } }"},
            "QUERY_TOO_LONG",
        ),
        _graphql(
            "long string",
            {
                "query": "query($t: String!) { search(text: $t) { label } }",
                "variables": {"t": "AWS " * 25_000},
            },
            "ARGUMENT_TOO_LONG",
        ),
        _graphql("wrong type", {"query": "{ party(name: 5) { name } }"}, "INVALID_QUERY"),
        _graphql(
            "wrong variable type",
            {
                "query": "query($c: Int) { conflicts(niceClass: $c) { totalCount } }",
                "variables": {"c": "forty-two"},
            },
            "INVALID_QUERY",
        ),
        _graphql(
            "class 99",
            {"query": '{ whoElseUses(mark: "AWS", niceClass: 99) { kind } }'},
            "BAD_REQUEST",
        ),
        _graphql(
            "unknown party",
            {"query": '{ party(name: "Zzyzx Holdings") { name } }'},
            "NOT_FOUND",
            "Zzyzx",
        ),
        _graphql("unknown field", {"query": "{ nope }"}, "INVALID_QUERY", "nope"),
        _graphql(
            "unknown argument",
            {"query": '{ party(name: "Amazon", bogus: 1) { name } }'},
            "INVALID_QUERY",
            "bogus",
        ),
        _graphql(
            "unknown type in fragment",
            {"query": party[:-1] + " ...F } fragment F on Nope { x }"},
            "INVALID_QUERY",
        ),
        _graphql(
            "fragment cycle",
            {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"},
            "INVALID_QUERY",
        ),
        _graphql("syntax error", {"query": "{ party(name: "}, "INVALID_QUERY"),
        _graphql("mutation without token", {"query": 'mutation { load(data: "x") }'}, "FORBIDDEN"),
        _graphql("subscription", {"query": "subscription { changes }"}, "INVALID_QUERY"),
        _graphql("malformed JSON", b'{"query": ', "", "parse", status=400),
        _graphql(
            "JSON nested 100,000 deep",
            b'{"query": "{ __typename }", "variables": {"a": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}}",
            "",
            "parse",
            status=400,
        ),
        Hostile(
            "GraphQL URL not UTF-8",
            "GET",
            "/graphql?query=%7B%20whoElseUses(mark%3A%20%22%FF%22)%20%7B%20score%20%7D%20%7D",
            400,
            "not UTF-8",
        ),
        _graphql(
            "body not UTF-8",
            b'{"query": "{ __typename }", "variables": {"mark": "\xff\xfe"}}',
            "",
            "parse",
            status=400,
        ),
        _graphql("batch", b'[{"query": "{ __typename }"}]', "", "Batching", status=400),
        _graphql(
            "10 MB body",
            b'{"query": "{ __typename }", "x": "' + b"x" * 10 * MB + b'"}',
            "",
            "larger",
            status=413,
        ),
        Hostile(
            "GraphQL as text",
            "POST",
            "/graphql",
            400,
            "content type",
            body=b"{ __typename }",
            headers={"Content-Type": "text/plain"},
        ),
        Hostile(
            "25 MB /load",
            "POST",
            "/load",
            413,
            "larger",
            body=b"#" * 25 * MB,
            headers={"Content-Type": "text/turtle"},
            token=True,
        ),
        Hostile(
            "/load without token",
            "POST",
            "/load",
            403,
            "needs the update token",
            body=b"<http://ex.org/a> <http://ex.org/p> 1 .",
            headers={"Content-Type": "text/turtle"},
        ),
        Hostile(
            "/load as image",
            "POST",
            "/load",
            415,
            "Content-Type",
            body=b"x",
            headers={"Content-Type": "image/png"},
            token=True,
        ),
        Hostile(
            "/load bad graph",
            "POST",
            "/load",
            400,
            "not an absolute IRI",
            body=b"<http://ex.org/a> <http://ex.org/p> 1 .",
            params={"graph": "my graph"},
            headers={"Content-Type": "application/n-triples"},
            token=True,
        ),
        Hostile(
            "/load into the reference data",
            "POST",
            "/load",
            400,
            "tmkg's own reference data",
            body=b"<http://ex.org/a> <http://ex.org/p> 1 .",
            params={"graph": str(REFERENCE_GRAPH)},
            headers={"Content-Type": "application/n-triples"},
            token=True,
        ),
    ]


HOSTILE_NAMES = [request.name for request in hostile_requests(CANARY_PLACEHOLDER)]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_request_gets_a_clear_error_and_changes_nothing(
    name: str, served: Served, canary: Canary
) -> None:
    request = next(r for r in hostile_requests(canary.url) if r.name == name)
    headers = dict(request.headers or {})
    if request.token:
        headers["Authorization"] = f"Bearer {served.token}"
    started = time.monotonic()
    answer = http_request(
        request.method,
        served.server.url + request.path,
        params=request.params,
        content=request.body,
        headers=headers,
        timeout=60,
    )
    took = time.monotonic() - started
    lost = _check_unchanged(served, canary)
    if request.graphql_code:
        errors = answer.json().get("errors") or [{}]
        codes = [error.get("extensions", {}).get("code") for error in errors]
        text = " ".join(error.get("message", "") for error in errors)
        expected = answer.status_code == 200 and request.graphql_code in codes
    else:
        codes, text = [], answer.text
        expected = answer.status_code == request.status
    expected = expected and request.message in text and lost == 0
    record("input", surface=request.path, name=name, expected=expected, quads_lost=lost)
    assert answer.status_code == request.status, answer.text[:500]
    if request.graphql_code:
        assert request.graphql_code in codes, answer.text[:500]
    assert request.message in text, text[:500]
    assert lost == 0
    assert took < 30


def test_ten_megabyte_url_is_refused_and_the_server_goes_on(served: Served, canary: Canary) -> None:
    url = b"/sparql?query=" + b"x" * 10 * MB
    status, answer = raw_http(
        served.server.port, b"GET " + url + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    lost = _check_unchanged(served, canary)
    expected = status is not None and 400 <= status < 500
    record("input", surface="/sparql", name="10 MB URL", expected=expected, quads_lost=lost)
    assert status is not None and 400 <= status < 500, answer[:200]
    assert lost == 0


def test_public_service_is_refused_before_any_lookup_or_connection(
    monkeypatch: pytest.MonkeyPatch, seeded: KnowledgeGraph
) -> None:
    import socket

    from kg.errors import Forbidden
    from kg.sparql.service import SparqlService
    from kg.sparql.workers import QueryWorkerPool

    touched: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        touched.append(repr(args))
        raise AssertionError("no network access may happen")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(QueryWorkerPool, "run", refuse)
    service = SparqlService(seeded, Settings(memory=True, update_token="t"))
    try:
        for url in ("http://93.184.216.34/sparql", "https://dbpedia.org/sparql"):
            with pytest.raises(Forbidden, match="makes no requests"):
                service.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
            with pytest.raises(Forbidden, match="makes no requests"):
                service.update(f"LOAD <{url}>", token="t")
    finally:
        service.close()
    assert touched == []
    record("input", surface="/sparql", name="public SERVICE/LOAD in process", expected=True)


def test_zz_the_served_store_is_exactly_as_it_was(served: Served, canary: Canary) -> None:
    """After every input above: the server still answers, then, stopped, its store holds
    exactly the quads it held before the first input."""
    assert http_get(served.server.url + "/health", timeout=10).status_code == 200
    output = served.stop()
    assert _quads(served.store) == served.before
    assert canary.hits == []
    assert served.token not in output
