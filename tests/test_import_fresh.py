"""An import into a store holding little besides the reference data (a first import, a store
with the seed case) is written unchecked into the staged copy and judged there at the end
(`kg.registries.sinks.Fresh`); an import into a bigger store judges each batch from Python
(`Staged`). Both must leave the same quads, refuse the same data with the same located
messages, report warnings about the import's nodes only, and write nothing on error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph
from kg.config import Settings
from kg.errors import ValidationError
from kg.registries import sinks
from kg.registries.importer import import_registry
from tests.conftest import DATA, all_quads, sinks_used

HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
ELSEWHERE = ox.Quad(
    ox.NamedNode("https://example.org/note"),
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
    ox.Literal("a store that holds something besides the reference data"),
    ox.NamedNode("https://example.org/notes"),
)
FILES = [
    DATA / "uspto-daily-sample.xml",
    DATA / "registry-sample.csv",
    DATA / "registry-sample-st66.xml",
    DATA / "registry-st96.xml",
    DATA / "registry-madrid.xml",
]


def _graph(path: Path, *, holding_something: bool) -> KnowledgeGraph:
    graph = KnowledgeGraph.open(Settings(store_path=path))
    if holding_something:
        graph.store.add([ELSEWHERE])
    return graph


@pytest.mark.parametrize("source", FILES, ids=lambda path: path.name)
def test_a_first_import_leaves_the_quads_the_batch_checks_leave(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = sinks_used(monkeypatch)
    fresh = _graph(tmp_path / "fresh", holding_something=False)
    small = _graph(tmp_path / "small", holding_something=True)
    other = _graph(tmp_path / "other", holding_something=True)
    try:
        first = import_registry(fresh, [source])
        second = import_registry(small, [source])
        # a store holding more than SMALL_STORE_QUADS quads: each batch judged from Python
        monkeypatch.setattr(sinks.Fresh, "SMALL_STORE_QUADS", 0)
        third = import_registry(other, [source])
        assert "Fresh" in used and "Staged" in used
        assert used == ["Fresh"] * used.count("Fresh") + ["Staged"] * used.count("Staged")
        assert all_quads(fresh) == all_quads(small) - {ELSEWHERE}
        assert all_quads(small) == all_quads(other)
        for report in (second, third):
            assert (first.records, first.quads_added) == (report.records, report.quads_added)
            assert first.warnings == report.warnings
            assert first.graphs == report.graphs
    finally:
        fresh.close()
        small.close()
        other.close()


def test_an_import_into_a_small_store_reports_only_its_own_warnings(
    disk_graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = sinks_used(monkeypatch)
    unclassed = tmp_path / "unclassed.csv"
    unclassed.write_text(
        HEADER + "DELTA,Delta Ltd,,GB,2020-01-01,,UK31,pending\n", encoding="utf-8"
    )
    first = import_registry(disk_graph, [unclassed])
    assert any("Nice class" in warning for warning in first.warnings), first.warnings
    classed = tmp_path / "classed.csv"
    classed.write_text(HEADER + "EPSILON,Eps Ltd,9,GB,2020-01-01,,UK32,pending\n", encoding="utf-8")
    second = import_registry(disk_graph, [classed])
    assert used == ["Fresh", "Fresh"]
    assert not any("Nice class" in warning for warning in second.warnings), second.warnings
    # a new record about the unclassed registration is judged with the store's statements
    again = tmp_path / "again.csv"
    again.write_text(HEADER + "DELTA,Delta Ltd,,GB,2020-01-01,,UK31,pending\n", encoding="utf-8")
    third = import_registry(disk_graph, [again])
    assert any("again.csv:2" in warning and "Nice class" in warning for warning in third.warnings)


def test_a_violation_in_a_first_import_names_its_file_and_line_and_writes_nothing(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    # two files into one named graph state registration UK7 with two marks: no reader sees
    # both, the shapes do ("exactly one tm:mark"), in the judge of the staged copy
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "ALPHA,Alpha Ltd,9,GB,2020-01-01,,UK7,pending\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    rows = "".join(f"MARK {n},Owner Ltd,9,GB,2020-01-01,,UK{n},pending\n" for n in range(20, 25))
    second.write_text(
        HEADER + rows + "OMEGA,Alpha Ltd,9,GB,2020-01-01,,UK7,pending\n", encoding="utf-8"
    )
    before = all_quads(disk_graph)
    with pytest.raises(ValidationError) as caught:
        import_registry(disk_graph, [first, second], graph_iri="https://example.org/own")
    message = str(caught.value)
    assert "exactly one tm:mark" in message
    assert f"{first}:2" in message or f"{second}:7" in message, message
    assert all_quads(disk_graph) == before


def test_a_checked_first_import_writes_nothing(disk_graph: KnowledgeGraph) -> None:
    before = all_quads(disk_graph)
    report = import_registry(disk_graph, [DATA / "uspto-daily-sample.xml"], check=True)
    assert report.records > 0 and report.quads_added == 0
    assert all_quads(disk_graph) == before
    # and the store is still a fresh one: the next import takes the fast path again
    report = import_registry(disk_graph, [DATA / "uspto-daily-sample.xml"])
    assert report.quads_added > 0


def test_a_file_repeating_a_case_keeps_one_current_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same registration in two files of one import, the second a later state: the
    # version check must see the first file's state although it may still be loading, and
    # the state moved into history is not counted as the files' new quads
    first = tmp_path / "day1.csv"
    second = tmp_path / "day2.csv"
    first.write_text(HEADER + "GAMMA,Gamma Ltd,9,GB,2020-01-01,,UK9,pending\n", encoding="utf-8")
    second.write_text(
        HEADER + "GAMMA,Gamma Ltd,9,GB,2020-01-01,2021-02-03,UK9,registered\n", encoding="utf-8"
    )
    fresh = _graph(tmp_path / "fresh", holding_something=False)
    other = _graph(tmp_path / "other", holding_something=True)
    try:
        report = import_registry(fresh, [first, second])
        monkeypatch.setattr(sinks.Fresh, "SMALL_STORE_QUADS", 0)
        batched = import_registry(other, [first, second])
        assert report.history == batched.history == 1
        assert report.quads_read == batched.quads_read
        assert report.quads_added == batched.quads_added
        assert all_quads(fresh) == all_quads(other) - {ELSEWHERE}
        rows = fresh.query(
            "SELECT ?g WHERE { GRAPH ?g { ?r a tm:Registration ; tm:registrationNumber 'UK9' } }"
        )
        assert [row["g"].value for row in rows] == [report.graphs[1]]
    finally:
        fresh.close()
        other.close()
