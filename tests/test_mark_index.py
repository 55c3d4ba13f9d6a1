"""The mark index lives beside the store and is updated incrementally, not rebuilt."""

from __future__ import annotations

from pathlib import Path

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.mark_index import MarkIndex
from tests.conftest import DATA


def test_index_persists_beside_the_store_and_only_new_marks_are_keyed(store_path: Path) -> None:
    graph = KnowledgeGraph.open(Settings(store_path=store_path))
    graph.load_seed()
    assert Analyst(graph).who_else_uses("AWS")
    index_file = store_path.parent / f"{store_path.name}.marks.sqlite"
    assert index_file.exists()
    marks = len(MarkIndex(index_file))
    graph.load([DATA / "second-case.trig"])
    assert {h.mark.text for h in Analyst(graph).who_else_uses("NOVALUX")} == {"NOVALUX", "Nova-Lux"}
    graph.close()

    reopened = KnowledgeGraph.open(Settings(store_path=store_path))
    analyst = Analyst(reopened)
    index = analyst.facts.mark_index
    assert len(index) == marks + 2
    assert index.sync(analyst.facts.marks) == 0  # nothing to recompute after a restart
    reopened.close()


def test_analysts_over_one_graph_share_facts() -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    assert Analyst(graph).facts is Analyst(graph).facts
    graph.close()


def test_kg_load_keeps_the_index_current(store_path: Path) -> None:
    from tests.conftest import run_kg

    run_kg("load", "--store", store_path, DATA / "second-case.trig", check=True)
    index = MarkIndex(store_path.parent / f"{store_path.name}.marks.sqlite")
    assert index.candidates("NOVALUX")  # keyed at load time, before any question
