"""The load test, short form (10 s, and on until 5 batches have loaded): SPARQL and GraphQL clients read a real `kg serve` while
a loader adds batches through POST /load. No 5xx, no failed request, no read that sees half
a batch; p99 latency reported. The 60 s form is ``bench/load_test.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from tests.hardening_support import record
from tests.sparql_support import SparqlServer
from tests.traffic import run_traffic

TOKEN = "load-test-token"
SECONDS = 10
BATCHES = 5  # the run goes on past SECONDS until this many batches have loaded


def test_reads_under_load_never_fail_or_see_half_a_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store_path=store)) as graph:
        graph.load_seed()
    with SparqlServer("--store", store, env={"KG_UPDATE_TOKEN": TOKEN}) as server:
        report = run_traffic(server.url, TOKEN, seconds=SECONDS, min_batches=BATCHES)
    figures = report.figures()
    record("load", **figures)
    with capsys.disabled():
        print("\nload test:", *report.lines(), sep="\n  ")
    assert report.problems == []
    assert figures["failures"] == figures["server_errors"] == figures["torn_reads"] == 0
    assert figures["batches_loaded"] >= BATCHES
    assert figures["requests"] >= 100
    assert "POST /load" in figures["by_kind"] and "GraphQL party" in figures["by_kind"]
