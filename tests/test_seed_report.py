"""The seed's SHACL report kept between processes (`KnowledgeGraph.load_seed`): a store
holding the reference data alone (in memory, or new on disk) judges the same seed files
alike, so `kg --memory` and `kg load --seed` into a new store read the report kept in the
user's cache folder instead of running pyshacl again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg.graph
import kg.ingest.load
from kg.config import Settings
from kg.errors import ValidationError
from kg.graph import KnowledgeGraph, seed_files


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tmkg"


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the validations run from now on."""
    runs: list[int] = []
    validate = kg.ingest.load.validate_quads

    def counted(*args: object, **options: object) -> object:
        runs.append(1)
        return validate(*args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.ingest.load, "validate_quads", counted)
    return runs


def _seeded() -> tuple[kg.ingest.load.LoadReport, set]:
    with KnowledgeGraph.open(Settings(memory=True)) as graph:
        report = graph.load_seed()
        return report, set(graph.store.quads())


def test_the_second_seeding_reads_the_kept_report_and_loads_the_same_quads(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _validations(monkeypatch)
    first, first_quads = _seeded()
    assert runs == [1]
    (kept,) = cache_folder.glob("seed-report-*.json")
    second, second_quads = _seeded()
    assert runs == [1]  # read, not validated again
    assert second == first and second_quads == first_quads
    assert first.quads_added > 100 and first.warnings  # the seed's three warnings
    assert json.loads(kept.read_text())["warnings"] == list(first.warnings)


@pytest.mark.parametrize(
    "damage", ["[]", '{"violations": [], "warnings": [1], "source": null}', "{", '"x"']
)
def test_a_kept_report_of_another_shape_is_made_again(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    first, _ = _seeded()
    (kept,) = cache_folder.glob("seed-report-*.json")
    kept.write_text(damage)
    runs = _validations(monkeypatch)
    again, _ = _seeded()
    assert runs == [1] and again == first
    assert json.loads(kept.read_text())["warnings"] == list(first.warnings)  # kept anew


def test_a_store_holding_more_than_the_reference_data_is_judged_anew(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seeded()
    runs = _validations(monkeypatch)
    with KnowledgeGraph.open(Settings(memory=True)) as graph:
        graph.load_seed()
        assert runs == []
        graph.load_seed()  # the seed is there now: judged against it
        assert runs == [1]


def test_a_new_store_on_disk_reads_the_kept_report_and_holds_what_memory_holds(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, in_memory = _seeded()
    runs = _validations(monkeypatch)
    with KnowledgeGraph.open(Settings(store_path=tmp_path / "store")) as graph:
        report = graph.load_seed()
        assert runs == []  # read, not validated
        assert report == first and set(graph.store.quads()) == in_memory
        assert graph.has_seed()
        graph.load_seed()  # the seed is there now: judged against it
        assert runs == [1]
    with KnowledgeGraph.open(Settings(store_path=tmp_path / "store")) as graph:
        assert set(graph.store.quads()) == in_memory  # committed on disk


def test_other_files_or_the_same_files_elsewhere_are_judged_anew(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, _ = _seeded()
    copies = tmp_path / "elsewhere"
    copies.mkdir()
    for path in seed_files():
        shutil.copy(path, copies / path.name)
    monkeypatch.setattr(kg.graph, "SEED_DIR", copies)
    runs = _validations(monkeypatch)
    moved, _ = _seeded()
    assert runs == [1]
    assert moved.warnings and all(str(copies) in line for line in moved.warnings)
    assert not any(str(copies) in line for line in first.warnings)
    # a file that says something else: a violation, whatever was kept before
    trig = next(copies.glob("*.trig"))
    trig.write_text(
        trig.read_text(encoding="utf-8").replace("tm:Registration", "tm:NoSuchClass", 1),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError), KnowledgeGraph.open(Settings(memory=True)) as graph:
        graph.load_seed()
    assert runs == [1, 1]


def test_a_store_of_as_many_quads_but_others_is_judged_anew(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # helper-129: one reference quad swapped for one that breaks the seed passed a count check
    import pyoxigraph as ox

    from kg.reference import reference_quads

    _seeded()
    runs = _validations(monkeypatch)
    with KnowledgeGraph.open(Settings(memory=True)) as graph:
        label = next(
            q
            for q in reference_quads()
            if q.predicate.value.endswith("#label")
            and not isinstance(q.graph_name, ox.DefaultGraph)
        )
        graph.store.remove([label])
        graph.store.add(
            [
                ox.Quad(
                    ox.NamedNode("https://w3id.org/tmkg/id/registration/cn-8967030"),
                    ox.NamedNode("https://w3id.org/tmkg/ontology#jurisdiction"),
                    ox.NamedNode("https://w3id.org/tmkg/id/jurisdiction/US"),
                    ox.NamedNode("https://example.org/mine"),
                )
            ]
        )
        with pytest.raises(ValidationError, match="exactly one tm:jurisdiction"):
            graph.load_seed()
    assert runs == [1]
    again, _ = _seeded()  # the refusal was not kept: the next seeding reads the kept report
    assert runs == [1] and again.quads_added > 100


def test_a_kept_report_with_a_violation_is_not_read(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _seeded()
    (kept,) = cache_folder.glob("seed-report-*.json")
    report = json.loads(kept.read_text())
    kept.write_text(json.dumps({**report, "violations": ["seed.trig: <x> fake violation"]}))
    runs = _validations(monkeypatch)
    again, _ = _seeded()
    assert runs == [1] and again == first
    assert json.loads(kept.read_text())["violations"] == []  # kept anew


def test_each_seed_folder_keeps_its_own_report(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # helper-129: two clones sharing a cache folder replaced each other's report every run
    _seeded()
    copies = tmp_path / "clone"
    copies.mkdir()
    for path in seed_files():
        shutil.copy(path, copies / path.name)
    shipped = kg.graph.SEED_DIR
    monkeypatch.setattr(kg.graph, "SEED_DIR", copies)
    _seeded()
    assert len(list(cache_folder.glob("seed-report-*.json"))) == 2
    monkeypatch.setattr(kg.graph, "SEED_DIR", shipped)
    runs = _validations(monkeypatch)
    _seeded()
    assert runs == []
