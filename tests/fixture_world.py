"""One fixture file, three ways to ask it: the same data in an in-process graph (the service),
in an on-disk store a real `kg` process reads (the CLI), and behind GraphQL over HTTP.

A test module says ``graph, store, graphql = fixture_world(FIXTURE)`` and gets the three
module-scoped fixtures ``graph`` (a `KnowledgeGraph` with the file loaded), ``store`` (the path
of a store `kg load` filled) and ``graphql`` (the URL of a GraphQL endpoint over ``graph``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph, Settings
from kg.api.app import create_app
from tests.conftest import run_kg
from tests.graphql_support import ThreadedServer


def fixture_world(fixture: Path) -> tuple[Callable[..., Any], ...]:
    """The ``graph``, ``store`` and ``graphql`` fixtures over `fixture` (module scope)."""

    @pytest.fixture(scope="module", name="graph")
    def graph() -> Iterator[KnowledgeGraph]:
        opened = KnowledgeGraph.open(Settings(memory=True))
        opened.load([fixture])
        yield opened
        opened.close()

    @pytest.fixture(scope="module", name="store")
    def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
        path = tmp_path_factory.mktemp(fixture.stem) / "store"
        run_kg("load", "--store", path, fixture, check=True)
        return path

    @pytest.fixture(scope="module", name="graphql")
    def graphql(graph: KnowledgeGraph) -> Iterator[str]:
        with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
            yield server.graphql

    return graph, store, graphql
