"""The mark index lives beside the store and is updated incrementally, not rebuilt."""

from __future__ import annotations

from pathlib import Path

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import compare
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


def test_questions_leave_out_marks_an_edit_key_alone_meets_below_the_bound() -> None:
    # P:/S:/D: keys stand for compare's "fuzzy" reason only: a mark they alone meet scores
    # its edit similarity, so below the asked bound it is not compared at all
    marks = {
        "near": "STARBLAZINOVA",  # one edit: D:, sound keys
        "two-edits": "STARBLAZENOVUS",  # 0.86, met by P: and sound keys
        "sounds": "STARBLAZEXYQUM",  # 0.64 but shares a sound key: compared
        "prefix-only": "STARBQUIMOVA",  # 0.62, P: only
        "suffix-only": "QRTBLAZENOVA",  # 0.69, S: only
        "inside": "STARBLAZENOVA GROUP",  # containment, by its rule keys
    }
    index = MarkIndex(None)
    index.sync(marks)
    found = index.candidates("STARBLAZENOVA")
    assert found == {"near", "two-edits", "sounds", "inside"}
    assert index.candidates("STARBLAZENOVA", 0.6) == found | {"prefix-only", "suffix-only"}
    assert index.candidates("STARBLAZENOVA", 0.4) == set(marks)
    for text in ("STARBLAZENOVA", "STARBLAZINOVA", "QRTBLAZENOVA", "STARBLAZENOVA GROUP"):
        similar = {iri for iri, other in marks.items() if compare(text, other).score >= 0.8}
        assert similar <= index.candidates(text), text
