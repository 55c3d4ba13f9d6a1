"""Helpers for the GraphQL tests: a real `kg serve`, an in-process server, and a POST helper."""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

import uvicorn

from tests.conftest import free_port
from tests.http_support import http_post
from tests.sparql_support import SparqlServer

__all__ = ["GraphQLServer", "ThreadedServer", "post"]


class GraphQLServer(SparqlServer):
    """`kg serve` in a subprocess (its log in a file), with the GraphQL endpoint's URL."""

    @property
    def graphql(self) -> str:
        return self.url + "/graphql"


class ThreadedServer:
    """uvicorn serving an app built in this process (so a test can reach inside it), in a
    thread, on a free loopback port; the app is still called over real HTTP."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.graphql = self.url + "/graphql"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", http="h11"
        )  # the HTTP stack of `kg serve`
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        # every cycle earlier tests and this module's fixtures left, collected here on the main
        # thread: a collection in the server's thread would drop their pyoxigraph query
        # results there, which pyoxigraph reports as an unraisable exception in a random test
        # (tests/conftest.py collects the young generations before each test)
        gc.collect()
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise AssertionError("the in-process server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def post(
    url: str, query: str, variables: dict[str, Any] | None = None, timeout: float = 60
) -> dict[str, Any]:
    """POST a GraphQL request; the decoded answer (``data``, ``errors``)."""
    response = http_post(url, json={"query": query, "variables": variables or {}}, timeout=timeout)
    assert response.status_code == 200, response.text
    return response.json()
