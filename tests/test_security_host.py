"""The server answers only the Host names it goes by: any other is 400 before a page, the
SPARQL service description or a base IRI can echo it (the precondition of DNS rebinding;
issue 11, kind 6). Allowed hosts default to the bound address and are configurable."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kg import KnowledgeGraph, Settings
from kg.api.app import create_app
from kg.cli.main import build_parser
from tests.conftest import ServerProcess
from tests.graphql_support import ThreadedServer
from tests.hardening_support import raw_http, record
from tests.http_support import http_get

PATHS = ("/", "/health", "/sparql", "/graphql", "/report?mark=AWS")
HOSTILE = (
    "evil.example",
    "evil.example:8000",
    "127.0.0.1.nip.io",
    "localhost.evil.example",
    "127.0.0.2",
    "[::2]",
    "0.0.0.0",
)


@pytest.fixture(scope="module")
def server(seeded: KnowledgeGraph) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(seeded, Settings(memory=True))) as served:
        yield served


def _get(server: ThreadedServer, path: str, host: str) -> httpx.Response:
    headers = {"Host": host, "Accept": "text/html"}
    return http_get(server.url + path, headers=headers, timeout=30)


@pytest.mark.parametrize("host", HOSTILE)
def test_a_host_the_server_does_not_go_by_is_400_everywhere(
    server: ThreadedServer, host: str
) -> None:
    answers = {path: _get(server, path, host) for path in PATHS}
    refused = all(a.status_code == 400 for a in answers.values())
    echoed = any(host.split(":")[0] in a.text for a in answers.values())
    record("input", surface="Host header", name=f"Host: {host}", expected=refused and not echoed)
    assert refused, {path: a.status_code for path, a in answers.items()}
    assert not echoed


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_loopback_names_are_answered_on_any_port(server: ThreadedServer, host: str) -> None:
    for name in (host, f"{host}:{server.port}", f"{host}:8000"):
        page = _get(server, "/sparql", name)
        assert page.status_code == 200, (name, page.text[:200])
    assert _get(server, "/health", host).json()["status"] == "ok"


def test_a_request_without_a_host_is_400(server: ThreadedServer) -> None:
    status, _ = raw_http(server.port, b"GET /health HTTP/1.0\r\n\r\n")
    blank, _ = raw_http(server.port, b"GET /health HTTP/1.1\r\nHost: \r\n\r\n")
    record("input", surface="Host header", name="no Host", expected=status == blank == 400)
    assert status == 400 and blank == 400


def test_named_hosts_replace_the_default_and_are_what_the_pages_echo(seeded) -> None:
    app = create_app(seeded, Settings(memory=True, allowed_hosts=("kg.example.org",)))
    with ThreadedServer(app) as served:
        page = _get(served, "/sparql", "kg.example.org")
        loopback = _get(served, "/sparql", f"127.0.0.1:{served.port}")
        other = _get(served, "/sparql", "evil.example")
    assert page.status_code == 200 and "http://kg.example.org/sparql" in page.text
    assert loopback.status_code == 400 and other.status_code == 400


def test_subdomain_patterns(seeded) -> None:
    app = create_app(seeded, Settings(memory=True, allowed_hosts=("*.example.org",)))
    with ThreadedServer(app) as served:
        assert _get(served, "/health", "kg.example.org").status_code == 200
        assert _get(served, "/health", "example.org.evil.example").status_code == 400


def test_bound_to_an_address_the_default_is_that_address(seeded) -> None:
    app = create_app(seeded, Settings(memory=True, host="192.0.2.7"))
    with ThreadedServer(app) as served:  # still listening on loopback, for the test
        assert _get(served, "/health", "192.0.2.7:8000").status_code == 200
        assert _get(served, "/health", "127.0.0.1").status_code == 400


def test_allowed_hosts_from_flags_and_environment() -> None:
    assert Settings.from_env({"KG_ALLOWED_HOSTS": "a.example b.example"}).allowed_hosts == (
        "a.example",
        "b.example",
    )
    args = build_parser().parse_args(["serve", "--allowed-host", "a", "--allowed-host", "b"])
    assert args.allowed_host == ["a", "b"]
    assert Settings(host="0.0.0.0").trusted_hosts == ("127.0.0.1", "localhost", "[::1]")


def test_kg_serve_answers_the_hosts_it_is_told(store_path) -> None:
    flags = ("--store", store_path, "--allowed-host", "127.0.0.1", "--allowed-host", "kg.test")
    with ServerProcess(*flags) as server:
        named = http_get(server.url + "/health", headers={"Host": "kg.test"}, timeout=30)
        evil = http_get(server.url + "/health", headers={"Host": "evil.example"}, timeout=30)
    record(
        "input",
        surface="Host header",
        name="kg serve --allowed-host",
        expected=evil.status_code == 400,
    )
    assert named.status_code == 200 and evil.status_code == 400
