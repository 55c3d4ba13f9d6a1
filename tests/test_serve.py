"""`kg serve`: a real uvicorn server on the embedded store, seed loaded on first start only."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ServerProcess
from tests.http_support import http_get, http_post


def test_serve_loads_seed_once_and_answers_health(store_path: Path) -> None:
    with ServerProcess("--store", store_path) as server:
        health = http_get(server.url + "/health").json()
        assert health == {
            "status": "ok",
            "backend": "oxigraph",
            "store": str(store_path),
            "named_graphs": health["named_graphs"],
            "seed_loaded": True,
        }
        assert health["named_graphs"] >= 14
        page = http_get(server.url + "/")
        assert page.status_code == 200
        assert "aws-trademark-article" in page.text
        assert '<a href="/report?mark=' in page.text  # a report on a mark the store holds
    assert "loaded the seed case" in server.stderr
    with ServerProcess("--store", store_path) as again:
        assert http_get(again.url + "/health").json()["seed_loaded"] is True
    assert "loaded the seed case" not in again.stderr


def test_serve_without_the_seed_serves_only_what_the_store_holds(store_path: Path) -> None:
    with ServerProcess("--store", store_path, "--no-seed") as server:
        health = http_get(server.url + "/health").json()
        assert health["seed_loaded"] is False
        answer = http_post(
            server.url + "/graphql",
            json={"query": '{ whoElseUses(mark: "AWS") { party { name } } }'},
        ).json()
        assert answer == {"data": {"whoElseUses": []}}, answer
    assert "loaded the seed case" not in server.stderr


def test_serve_refuses_a_store_in_use(store_path: Path) -> None:
    with ServerProcess("--store", store_path):
        second = ServerProcess("--store", store_path)
        _, stderr = second.process.communicate(timeout=30)
        assert second.process.returncode == 3
        assert "open for writing in another process" in stderr
