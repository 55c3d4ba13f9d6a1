"""Access: read-only by default; writes (SPARQL Update, POST /load, GraphQL mutations) need
the update token, which comes from a file or the environment and never appears in the
server's output; every endpoint has a size limit; CORS only for the origins named; the
server listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import run_kg
from tests.hardening_support import record
from tests.http_support import http_get, http_post
from tests.sparql_support import SparqlServer

ORIGIN = "https://notebook.example"
TURTLE = b"<https://example.org/s> <https://schema.org/name> 'access test' .\n"


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """A server started with no token and no options: the defaults."""
    with SparqlServer("--memory") as server:
        yield server


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    token = "tok-" + secrets.token_urlsafe(24)
    path = tmp_path_factory.mktemp("token") / "update-token"
    path.write_text(f"\n  {token}\n", encoding="utf-8")
    return path, token


@pytest.fixture(scope="module")
def guarded(token_file: tuple[Path, str]) -> Iterator[SparqlServer]:
    """A server with the token in a file (by environment), small limits, one CORS origin."""
    path, _ = token_file
    with SparqlServer(
        "--memory",
        "--max-request-size", "5000",
        "--max-load-size", "20000",
        "--cors-origin", ORIGIN,
        env={"KG_UPDATE_TOKEN_FILE": str(path)},
    ) as server:  # fmt: skip
        yield server


def _writes(server: SparqlServer, token: str | None) -> dict[str, httpx.Response]:
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    return {
        "update": http_post(
            server.endpoint,
            content="INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> "
            "<https://schema.org/name> 'x' } }",
            headers={"Content-Type": "application/sparql-update", **auth},
        ),
        "load": http_post(
            server.url + "/load", content=TURTLE, headers={"Content-Type": "text/turtle", **auth}
        ),
        "mutation": http_post(
            server.url + "/graphql", json={"query": 'mutation { addMark(text: "X") }'}, headers=auth
        ),
    }


def test_read_only_by_default(read_only: SparqlServer) -> None:
    for name, answer in _writes(read_only, "any-token").items():
        if name == "mutation":
            error = answer.json()["errors"][0]
            assert error["extensions"]["code"] == "FORBIDDEN", answer.text
            assert "read-only" in error["message"]
        else:
            assert answer.status_code == 403, answer.text
            assert "read-only" in answer.text
        record("input", surface="access", name=f"{name} on a read-only server", expected=True)


def test_writes_need_the_token_from_the_file(
    guarded: SparqlServer, token_file: tuple[Path, str]
) -> None:
    _, token = token_file
    for wrong in (None, "wrong", token + "x", token[:-1], token.upper()):
        for name, answer in _writes(guarded, wrong).items():
            if name == "mutation":
                assert answer.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            else:
                assert answer.status_code == 403, answer.text
                assert "needs the update token" in answer.text
    record("input", surface="access", name="writes with missing or wrong tokens", expected=True)
    granted = _writes(guarded, token)
    assert granted["update"].status_code == 204, granted["update"].text
    assert granted["load"].status_code == 200, granted["load"].text
    assert granted["load"].json()["quads_added"] == 1
    # With the token a mutation is an ordinary invalid query: the schema has none.
    assert granted["mutation"].json()["errors"][0]["extensions"]["code"] == "INVALID_QUERY"


def test_the_token_never_appears_in_the_output(token_file: tuple[Path, str]) -> None:
    path, token = token_file
    server = SparqlServer("--memory", "--update-token-file", path).wait_ready()
    try:
        _writes(server, token)
        _writes(server, token + "-wrong")
        http_get(server.endpoint, headers={"Accept": "text/turtle"})
        http_get(server.url + "/health")
        http_post(
            server.url + "/load?graph=bad%20iri",
            content=TURTLE,
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
        )
    finally:
        output = server.stop()
    assert "POST /load" in output  # the access log was written
    assert token not in output
    assert token[4:20] not in output
    record("input", surface="access", name="the token in the server's output", expected=True)


def test_an_unreadable_or_empty_token_file_stops_the_server(tmp_path: Path) -> None:
    missing = run_kg("serve", "--memory", "--update-token-file", tmp_path / "absent")
    assert missing.returncode == 1
    assert "cannot read the update token file" in missing.stderr
    empty = tmp_path / "empty"
    empty.write_text("  \n", encoding="utf-8")
    blank = run_kg("serve", "--memory", env={"KG_UPDATE_TOKEN_FILE": str(empty)})
    assert blank.returncode == 1
    assert "must hold one token" in blank.stderr


@pytest.mark.parametrize(
    ("method", "path", "size", "status"),
    [
        ("GET", "/graphql?query=", 6000, 414),
        ("POST", "/graphql", 6000, 413),
        ("GET", "/sparql?query=", 6000, 414),
        ("POST", "/sparql", 6000, 413),
        ("POST", "/load", 30000, 413),
        ("GET", "/report?mark=", 6000, 414),
        ("GET", "/health?padding=", 6000, 414),
    ],
)
def test_every_endpoint_has_a_size_limit(
    guarded: SparqlServer,
    token_file: tuple[Path, str],
    method: str,
    path: str,
    size: int,
    status: int,
) -> None:
    _, token = token_file
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        answer = http_get(guarded.url + path + "x" * size)
    else:
        content_type = {"/graphql": "application/json", "/sparql": "application/sparql-query"}
        headers["Content-Type"] = content_type.get(path, "text/turtle")
        answer = http_post(guarded.url + path, content=b" " * size, headers=headers)
    expected = answer.status_code == status
    record("input", surface="access", name=f"{size} bytes to {method} {path}", expected=expected)
    assert answer.status_code == status, answer.text
    assert "longer than" in answer.text or "larger than" in answer.text
    assert http_get(guarded.url + "/health").status_code == 200


def test_cors_only_for_named_origins(read_only: SparqlServer, guarded: SparqlServer) -> None:
    def preflight(server: SparqlServer, path: str, origin: str) -> httpx.Response:
        return httpx.options(
            server.url + path,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )

    for path in ("/graphql", "/load", "/sparql"):
        assert "access-control-allow-origin" not in preflight(read_only, path, ORIGIN).headers
        assert (
            "access-control-allow-origin"
            not in preflight(guarded, path, "https://evil.example").headers
        )
        allowed = preflight(guarded, path, ORIGIN)
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    simple = http_post(
        guarded.url + "/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN}
    )
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    other = http_post(guarded.url + "/graphql", json={"query": "{ __typename }"},
                       headers={"Origin": "https://evil.example"})  # fmt: skip
    assert "access-control-allow-origin" not in other.headers
    default = http_post(
        read_only.url + "/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN}
    )
    assert "access-control-allow-origin" not in default.headers


def _listening(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_server_listens_on_loopback_only_by_default(read_only: SparqlServer) -> None:
    # 0100007F is 127.0.0.1 in /proc's byte order; 0.0.0.0 or :: would be every interface.
    assert _listening(read_only.port) == {"0100007F"}
