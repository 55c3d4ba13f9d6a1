"""Shared fixtures: a seeded in-memory graph (built once), fresh on-disk stores, the real `kg`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings

DATA = Path(__file__).parent / "data"
KG = Path(sys.executable).parent / "kg"


@pytest.fixture(scope="session")
def seeded() -> Iterator[KnowledgeGraph]:
    """The seed case in an in-memory store, shared by read-only tests."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    yield graph
    graph.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A folder for a fresh on-disk store."""
    return tmp_path / "store"


@pytest.fixture
def disk_graph(store_path: Path) -> Iterator[KnowledgeGraph]:
    """A fresh on-disk knowledge graph holding only the reference data."""
    graph = KnowledgeGraph.open(Settings(store_path=store_path))
    yield graph
    graph.close()


def run_kg(*args: str | Path, check: bool = False, env: dict[str, str] | None = None):
    """Run the installed `kg` executable, as a user would."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    environment.update(env or {})
    result = subprocess.run(
        [str(KG), *map(str, args)], capture_output=True, text=True, env=environment, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kg {args} failed ({result.returncode}):\n{result.stderr}")
    return result


def all_quads(graph: KnowledgeGraph) -> set:
    """Every quad of a store, to compare before and after a failed operation."""
    return set(graph.store.quads())
