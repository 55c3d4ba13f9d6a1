"""A register's index keyed and compared by worker processes (`kg.analysis.index_workers`) is
the index keyed and compared in process, and a worker that dies leaves the index as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.analysis import mark_index
from kg.analysis.index_workers import IndexWorkerError, IndexWorkers
from kg.analysis.mark_index import MarkIndex, _pair_keys
from kg.analysis.phonetics import vowels
from kg.analysis.similarity import blocking_keys, comparable_form
from tests.conftest import process_running


def _synthetic_marks(count: int, seed: int) -> dict[str, str]:
    from kg.registries.synth import generate

    return {
        str(q.subject.value): str(q.object.value)
        for q in generate(count, seed=seed)
        if q.predicate.value.endswith("#text")
    }


def _tables(index: MarkIndex) -> dict[str, list[tuple]]:
    db = index._db
    names = ("marks", "text_lookup", "texts", "text_keys", "similar", "state")
    return {name: sorted(db.execute(f"SELECT * FROM {name}")) for name in names}


def _built(path: Path, marks: dict[str, str], more: dict[str, str], pooled: bool, monkeypatch):
    """An index of `marks`, then of `more` (a day's file after the register), and its tables
    after each step."""
    monkeypatch.setattr(mark_index, "_POOL_MIN_TEXTS", 0 if pooled else 10**9)
    monkeypatch.setattr(mark_index, "_KEYED_CHUNK", 250)  # several chunks, parts of 100
    monkeypatch.setattr(mark_index, "_KEYING_PART", 100)
    monkeypatch.setattr(mark_index, "_BATCH_MEMBERS", 2_000)
    monkeypatch.setattr(mark_index, "_COMPARED_CHUNK", 300)
    index = MarkIndex(path)
    steps = []
    for wanted in (marks, more):
        index.sync(wanted)
        index.compare_new_texts()
        steps.append(_tables(index))
    index.close()
    return steps


@pytest.mark.parametrize(
    ("count", "seed"), [(900, 11), pytest.param(1400, 12, marks=pytest.mark.slow)]
)
def test_workers_key_and_compare_a_register_as_this_process_does(
    count: int, seed: int, tmp_path: Path, monkeypatch
) -> None:
    marks = _synthetic_marks(count, seed)
    more = {**marks, **{f"{iri}-more": f"{text} PLUS" for iri, text in list(marks.items())[:60]}}
    in_process = _built(tmp_path / "in-process.sqlite", marks, more, False, monkeypatch)
    pooled = _built(tmp_path / "pooled.sqlite", marks, more, True, monkeypatch)
    assert in_process[0]["similar"] and in_process[1]["similar"] != in_process[0]["similar"]
    assert pooled == in_process


ODD_TEXTS = {
    "nul": "ACME\x00CO",  # SQLite's JSON ends a string at U+0000: these rows go as tuples
    "escaped-nul": "ACME\\u0000CO",  # the characters of the escape, not U+0000
    "quote": 'THE "BEST" BAKERY',
    "backslash": "NORTH\\SOUTH WIND",
    "emoji": "SUNNY 😀 DAYS",
    "han": "特斯拉汽車",
    "hangul": "스타벅스 커피",
    "line-separator": "NIGHT\u2028OWL",
    "combining": "CAFE\u0301 ROYALE",
    "plain": "STARBLAZENOVA",
}


@pytest.mark.parametrize("pooled", [False, True])
def test_each_text_is_kept_with_exactly_its_keys_whatever_its_characters(
    pooled: bool, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(mark_index, "_POOL_MIN_TEXTS", 0 if pooled else 10**9)
    index = MarkIndex(tmp_path / "index.sqlite")
    index.sync(ODD_TEXTS)
    db = index._db
    for text in ODD_TEXTS.values():
        (id_, roman, vowels_of) = db.execute(
            "SELECT id, roman, vowels FROM texts WHERE text = ?", (text,)
        ).fetchone()
        assert (roman, vowels_of) == (comparable_form(text), vowels(comparable_form(text)))
        lookup = {key for (key,) in db.execute("SELECT key FROM text_lookup WHERE id = ?", (id_,))}
        buckets = {key for (key,) in db.execute("SELECT key FROM text_keys WHERE id = ?", (id_,))}
        assert lookup == blocking_keys(text), text
        assert buckets == _pair_keys(blocking_keys(text), roman, vowels_of), text


PARTS = ['[["R:A","D:AB"],[]]', '[["R:B"],["Q:X"]]']  # two parts of two texts each
NUL_PARTS = ['[["R:A","D:AB"],[]]', '[["R:\\u0000"],["Q:X"]]']


@pytest.mark.parametrize(
    ("ids", "parts", "expected"),
    [
        # consecutive ids: read from JSON by SQLite
        ([3, 4, 5, 6], PARTS, [("R:A", 3), ("D:AB", 3), ("R:B", 5), ("Q:X", 6)]),
        # ids with gaps, or a key holding U+0000: bound as rows
        ([5, 9, 10, 11], PARTS, [("R:A", 5), ("D:AB", 5), ("R:B", 10), ("Q:X", 11)]),
        ([3, 4, 5, 6], NUL_PARTS, [("R:A", 3), ("D:AB", 3), ("R:\x00", 5), ("Q:X", 6)]),
    ],
)
def test_each_text_of_a_chunk_gets_its_own_keys(
    ids: list[int], parts: list[str], expected: list[tuple[str, int]], tmp_path: Path
) -> None:
    for ordered in (False, True):
        index = MarkIndex(tmp_path / f"index-{ordered}.sqlite")
        with index._db:
            index._insert_keys("text_lookup", ids, parts, ordered)
        assert sorted(index._db.execute("SELECT key, id FROM text_lookup")) == sorted(expected)


def _killing_map(monkeypatch, after: int, pids: list[int]) -> None:
    """IndexWorkers.map kills a worker after `after` answers."""
    real = IndexWorkers.map

    def killing(self, function, chunks):  # type: ignore[no-untyped-def]
        for number, answer in enumerate(real(self, function, chunks)):
            if number == after:
                pids.extend(self.pids)
                os.kill(self.pids[0], signal.SIGKILL)
            yield answer

    monkeypatch.setattr(IndexWorkers, "map", killing)


@pytest.mark.parametrize("killed_in", ["sync", "compare"])
def test_a_worker_killed_midway_leaves_the_index_as_it_was(
    killed_in: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(mark_index, "_KEYING_PART", 50)
    monkeypatch.setattr(mark_index, "_COMPARED_CHUNK", 50)
    monkeypatch.setattr(mark_index, "_BATCH_MEMBERS", 500)
    path = tmp_path / "index.sqlite"
    index = MarkIndex(path)
    index.sync({"m1": "AWS", "m2": "TESLA", "m3": "TESLAR"})
    index.compare_new_texts()
    marks = {**_synthetic_marks(600, seed=13), "m1": "AWS", "m2": "TESLA", "m3": "TESLAR"}
    monkeypatch.setattr(mark_index, "_POOL_MIN_TEXTS", 0)
    if killed_in == "compare":
        index.sync(marks)
    before = _tables(index)
    pids: list[int] = []
    _killing_map(monkeypatch, 3, pids)
    with pytest.raises(IndexWorkerError, match="ended"):
        if killed_in == "sync":
            index.sync(marks)
        else:
            index.compare_new_texts()
    assert _tables(index) == before  # no key, text or pair of the new marks
    assert pids and not any(
        process_running(pid) for pid in pids
    )  # the other worker was stopped too
    monkeypatch.undo()
    index.close()
    again = MarkIndex(path)  # the next run does the work
    again.sync(marks)
    again.compare_new_texts()
    fresh = MarkIndex(tmp_path / "fresh.sqlite")
    fresh.sync(marks)
    fresh.compare_new_texts()
    assert _by_text(again) == _by_text(fresh)
    assert _by_text(again)["similar"]


def _by_text(index: MarkIndex) -> dict[str, list[tuple]]:
    """The index's keys and similar pairs by text (ids depend on the order texts came in)."""
    db = index._db
    found = {
        table: sorted(db.execute(f"SELECT key, t.text FROM {table} k JOIN texts t ON t.id = k.id"))
        for table in ("text_lookup", "text_keys")
    }
    found["similar"] = sorted(
        db.execute(
            "SELECT ta.text, tb.text, s.score, s.reasons FROM similar s "
            "JOIN texts ta ON ta.id = s.a JOIN texts tb ON tb.id = s.b"
        )
    )
    return found


def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from kg.analysis.index_workers import IndexWorkers\n"
        "workers = IndexWorkers(2)\n"
        "print(*workers.pids, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(process_running(pid) for pid in pids)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 20
        while any(process_running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(process_running(pid) for pid in pids)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def test_workers_answer_in_order_and_raise_what_the_work_raised() -> None:
    with IndexWorkers(2) as workers:
        chunks = [str(n) * (n % 7) for n in range(40)]
        assert list(workers.map(len, chunks)) == [len(chunk) for chunk in chunks]
        with pytest.raises(ValueError, match="invalid literal"):
            list(workers.map(int, ["1", "2", "three", "4"]))
    with pytest.raises(ValueError, match="a worker"):
        IndexWorkers(0)


def test_workers_run_this_kg_whatever_the_working_directory_holds(
    tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "kg").mkdir()
    (tmp_path / "kg" / "__init__.py").write_text("raise ImportError('another kg')\n")
    monkeypatch.chdir(tmp_path)
    with IndexWorkers(1) as workers:
        (keyed,) = workers.map(mark_index._keyed_texts, [["TESLA", "特斯拉"]])
    here = mark_index._keyed_texts(["TESLA", "特斯拉"])
    assert keyed[0] == here[0] == [("TESLA", vowels("TESLA")), ("TESILA", vowels("TESILA"))]
    for there_keys, here_keys in zip(keyed[1:], here[1:], strict=True):
        assert [sorted(keys) for keys in json.loads(there_keys)] == [
            sorted(keys) for keys in json.loads(here_keys)
        ]


@pytest.mark.parametrize("python", ["/nonexistent/python3", "/bin/false", "/bin/true"])
def test_a_register_is_keyed_in_process_where_no_worker_starts(
    python: str, tmp_path: Path, monkeypatch
) -> None:
    marks = _synthetic_marks(300, seed=14)
    expected = MarkIndex(None)
    expected.sync(marks)
    monkeypatch.setattr(mark_index, "_POOL_MIN_TEXTS", 0)
    monkeypatch.setattr(mark_index, "worker_count", lambda: 2)
    monkeypatch.setattr(sys, "executable", python)  # not there; exits at once, failing or not
    with pytest.raises((OSError, IndexWorkerError)):
        IndexWorkers(2)
    index = MarkIndex(None)
    index.sync(marks)
    assert _tables(index) == _tables(expected)


def test_work_a_worker_cannot_import_is_an_error_not_a_wait(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "only_here.py").write_text("def twice(chunk):\n    return chunk * 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # this process finds it, a worker does not
    import only_here  # type: ignore[import-not-found]

    with IndexWorkers(1) as workers, pytest.raises(ModuleNotFoundError, match="only_here"):
        list(workers.map(only_here.twice, [1, 2]))


def test_a_worker_empties_the_rules_caches_past_its_share() -> None:
    from kg.analysis import index_workers

    texts = ["STARBLAZENOVA", "特斯拉汽車", "스타벅스 커피", "CAFE\u0301 ROYALE", "NORTH WIND"]
    keys = [blocking_keys(text) for text in texts]

    def cached() -> int:
        return sum(found.cache_info().currsize for found in index_workers._caches())

    held = cached()
    assert held >= len(texts)  # blocking_keys and the rules under it keep what they found
    index_workers._keep_caches_small(held)
    assert cached() == held  # within its share: kept
    from kg.analysis import foreign_words, pronunciation

    backend = pronunciation._backend("en-us")
    index_workers._keep_caches_small(held - 1)
    assert cached() == 0
    assert pronunciation._backend("en-us") is backend  # a resource built once is kept
    assert pronunciation._backend not in index_workers._caches()
    assert foreign_words._dictionary not in index_workers._caches()
    assert [blocking_keys(text) for text in texts] == keys
    assert cached() >= len(texts)
