"""A whole register's conflicts read from the answer kept on disk a chunk at a time
(`Analyst.conflict_stream`, `ConflictFile.stream`), and `kg conflicts` printing them as it
reads (issue 19: at 1M synthetic marks the whole answer read back held ~14 GB)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import kg.cli.analysis as cli_analysis
from kg.analysis import conflict_file
from kg.analysis.conflict_file import conflict_file_path_for
from kg.analysis.service import Analyst, index_marks
from kg.cli.main import main
from kg.errors import StoreError
from tests.conftest import DATA, run_kg
from tests.test_conflict_file import (
    _Chunks,
    _kept_in_chunks,
    _more,
    _open,
    _truth_of_a_copy,
    store,  # noqa: F401
)
from tests.test_conflict_memo import _Searches


def test_the_whole_answer_is_read_a_chunk_at_a_time(
    store: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    truth = _kept_in_chunks(store, monkeypatch, 8)
    assert len(truth) > 3 * 8
    searches = _Searches(monkeypatch)
    chunks = _Chunks(monkeypatch)
    with _open(store, read_only=True) as graph:
        analyst = Analyst(graph)
        total, conflicts = analyst.conflict_stream()
        first = next(conflicts)
        assert chunks.read == 1  # one chunk read so far, not the answer whole
        assert [first, *conflicts] == truth and total == len(truth)
        assert chunks.read == -(-len(truth) // 8)
        assert analyst._shared.kept_conflicts is None  # nothing kept in memory
    assert searches.whole == searches.parties == 0


@pytest.mark.parametrize(
    "asked",
    [{}, {"include_lapsed": True}, {"min_score": 0.7}, {"jurisdiction": "NZ"}],
    ids=["default", "lapsed", "min-score", "jurisdiction"],
)
def test_proceedings_merge_into_the_answer_read_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: dict[str, object]
) -> None:
    """The conflicts a proceeding merges into (or adds) are read apart and merged in order:
    the same answer, in the same order, as the list `conflicts` gives."""
    monkeypatch.setattr(conflict_file, "CHUNK", 2)
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.load([DATA / "oppositions.trig"])
        index_marks(graph)
        whole = list(Analyst(graph).conflicts(**asked))  # type: ignore[arg-type]
    assert any(conflict.proceedings for conflict in whole), "no proceeding merged"
    searches = _Searches(monkeypatch)
    with _open(path, read_only=True) as graph:
        total, conflicts = Analyst(graph).conflict_stream(**asked)  # type: ignore[arg-type]
        assert list(conflicts) == whole and total == len(whole)
    assert searches.whole == 0


def test_after_writes_the_answer_is_brought_up_to_date_in_its_file(
    store: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _kept_in_chunks(store, monkeypatch, 8)
    searches = _Searches(monkeypatch)
    for seed in (8, 9):
        result = run_kg("--store", str(store), "load", str(_more(tmp_path, seed=seed)))
        assert result.returncode == 0, result.stderr
        parties = searches.parties
        with _open(store) as graph:
            total, conflicts = Analyst(graph).conflict_stream()
            found = list(conflicts)
        assert searches.whole == 0 and searches.parties == parties + 1
        now = _truth_of_a_copy(store, tmp_path / f"copy-{seed}")
        searches.whole = 0  # not counting the copy's
        assert found == now and total == len(now)


def test_a_chunk_damaged_part_way_is_an_error_and_the_next_question_searches(
    store: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    truth = _kept_in_chunks(store, monkeypatch, 8)
    path = conflict_file_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        db.execute("UPDATE chunks SET data = ? WHERE n = 1", (b"\0" * 40,))
    with _open(store) as graph:
        _, conflicts = Analyst(graph).conflict_stream()
        read = []
        with pytest.raises(StoreError, match="could not be read to the end"):
            read.extend(conflicts)
        assert read == truth[:8]  # the first chunk's, then the error
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        total, conflicts = Analyst(graph).conflict_stream()
        assert list(conflicts) == truth and total == len(truth)
    assert searches.whole == 1
    with sqlite3.connect(path) as db:  # kept anew by that search: damaged again
        db.execute("UPDATE chunks SET data = ? WHERE n = 1", (b"\0" * 40,))
    result = run_kg("conflicts", "--format", "json", env={"KG_STORE": str(store)})
    assert result.returncode == 3, result.stderr
    assert "could not be read to the end" in result.stderr and "Traceback" not in result.stderr


def test_kg_conflicts_prints_the_answer_as_it_reads_it(
    store: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """JSON as ``json.dumps`` writes the list; a table in tables of `STREAM_BLOCK` rows."""
    truth = _kept_in_chunks(store, monkeypatch, 8)
    env = {"KG_STORE": str(store)}
    every = run_kg("conflicts", "--format", "json", check=True, env=env).stdout
    listed = run_kg("conflicts", "--format", "json", "--top", "100000", check=True, env=env)
    assert every == listed.stdout
    assert [c["score"] for c in json.loads(every)] == [c.score for c in truth]
    monkeypatch.setattr(cli_analysis, "STREAM_BLOCK", 10)
    assert main(["conflicts", "--store", str(store)]) == 0
    tables = capsys.readouterr().out
    assert tables.count("score | party A") == -(-len(truth) // 10)
    assert main(["conflicts", "--store", str(store), "--top", "100000"]) == 0
    whole = capsys.readouterr().out
    assert whole.endswith(f"(all {len(truth)} conflicts shown: --top 100000)\n")
    assert _cells(tables) == _cells(whole)[:-1]  # every row, folded alike, in the same order


def _cells(table: str) -> list[list[str]]:
    """A printed table's lines as their cells, headers and rules left out."""
    return [
        [cell.strip() for cell in line.split(" | ")]
        for line in table.splitlines()
        if not line.startswith(("score | ", "-"))
    ]


def test_kg_conflicts_of_an_empty_store(tmp_path: Path) -> None:
    env = {"KG_STORE": str(tmp_path / "empty")}
    assert run_kg("conflicts", "--format", "json", check=True, env=env).stdout == "[]\n"
    assert run_kg("conflicts", check=True, env=env).stdout == "(no results)\n"
