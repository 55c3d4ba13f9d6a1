"""The mark index lives beside the store and is updated incrementally, not rebuilt."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import compare
from tests.conftest import DATA
from tests.http_support import http_post


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
        "sounds": "STARBLAZEXYQUM",  # 0.64, a sound code but other vowels: from 0.8 not paired
        "prefix-only": "STARBQUIMOVA",  # 0.62, P: only
        "suffix-only": "QRTBLAZENOVA",  # 0.69, S: only
        "inside": "STARBLAZENOVA GROUP",  # containment, by its rule keys
    }
    index = MarkIndex(None)
    index.sync(marks)
    found = index.candidates("STARBLAZENOVA")
    assert found == {"near", "two-edits", "inside"}  # what the register's comparison pairs
    below = found | {"sounds", "prefix-only", "suffix-only"}  # compared below the floor
    assert index.candidates("STARBLAZENOVA", 0.6) == below
    assert index.candidates("STARBLAZENOVA", 0.4) == set(marks)
    for text in ("STARBLAZENOVA", "STARBLAZINOVA", "QRTBLAZENOVA", "STARBLAZENOVA GROUP"):
        similar = {iri for iri, other in marks.items() if compare(text, other).score >= 0.8}
        assert similar <= index.candidates(text), text


def _random_groups(seed: int) -> list[list[tuple[int, int]]]:
    import random

    rng = random.Random(seed)
    groups = []
    for _ in range(rng.randint(1, 60)):
        size = rng.randint(0, 400)
        groups.append([tuple(sorted(rng.sample(range(1, 300), 2))) for _ in range(size)])
    return groups  # type: ignore[return-value]


def test_candidate_pairs_are_each_met_once_whether_or_not_they_spill_to_disk(
    tmp_path: Path, monkeypatch
) -> None:
    from kg.analysis import mark_index

    for seed in range(12):
        groups = [mark_index._packed(group) for group in _random_groups(seed)]
        expected = {pair for group in _random_groups(seed) for pair in group}
        in_memory = list(mark_index._distinct_pairs(groups, tmp_path))
        monkeypatch.setattr(mark_index, "_PAIR_CHUNK", 7)
        monkeypatch.setattr(mark_index, "_HELD_PAIRS", 20)  # spills every few groups
        spilled = list(mark_index._distinct_pairs(groups, tmp_path))
        monkeypatch.undo()
        assert in_memory == sorted(expected)  # in order when nothing spilled
        assert len(spilled) == len(expected) and set(spilled) == expected
        assert list(tmp_path.iterdir()) == []  # the temporary files are gone


def test_a_register_compared_through_temporary_files_keeps_the_same_similar_pairs(
    tmp_path: Path, monkeypatch
) -> None:
    from kg.analysis import mark_index
    from kg.registries.synth import generate

    store_marks = {
        str(q.subject.value): str(q.object.value)
        for q in generate(1500, seed=3)
        if q.predicate.value.endswith("#text")
    }
    assert len(store_marks) > 1000
    whole = MarkIndex(tmp_path / "whole.sqlite")
    whole.sync(store_marks)
    expected = sorted((a, b, s.score) for a, b, s in whole.similar_pairs())
    monkeypatch.setattr(mark_index, "_PAIR_CHUNK", 100)
    monkeypatch.setattr(mark_index, "_HELD_PAIRS", 400)  # the first comparison spills
    monkeypatch.setattr(mark_index, "_BATCH_MEMBERS", 50)  # many batches, each deduplicated alone
    spills = []
    spill = mark_index._spill
    monkeypatch.setattr(mark_index, "_spill", lambda *a: spills.append(1) or spill(*a))
    parted = MarkIndex(tmp_path / "parted.sqlite")
    parted.sync(store_marks)
    assert sorted((a, b, s.score) for a, b, s in parted.similar_pairs()) == expected
    assert expected and len(spills) > 1  # similar marks, found through temporary files
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "parted.sqlite",
        "whole.sqlite",
    ]


def _tables(index: MarkIndex) -> dict[str, list[tuple]]:
    db = index._db
    names = ("marks", "text_lookup", "texts", "text_keys", "similar")
    found = {name: sorted(db.execute(f"SELECT * FROM {name}")) for name in names}
    found["schema"] = sorted(db.execute("SELECT type, name FROM sqlite_master"))
    return found


def _synthetic_marks(count: int, seed: int) -> dict[str, str]:
    from kg.registries.synth import generate

    return {
        str(q.subject.value): str(q.object.value)
        for q in generate(count, seed=seed)
        if q.predicate.value.endswith("#text")
    }


def test_a_bulk_sync_staged_and_sorted_keeps_what_row_by_row_keying_keeps(
    tmp_path: Path, monkeypatch
) -> None:
    from kg.analysis import mark_index

    marks = _synthetic_marks(800, seed=5)
    monkeypatch.setattr(mark_index, "_KEYED_CHUNK", 97)  # many chunks, interleaved keys
    staged = MarkIndex(tmp_path / "staged.sqlite")
    staged.sync(marks)
    staged.compare_new_texts()
    monkeypatch.setattr(mark_index, "_BULK_SHARE", float("inf"))  # never staged
    direct = MarkIndex(tmp_path / "direct.sqlite")
    direct.sync(marks)
    direct.compare_new_texts()
    assert _tables(staged) == _tables(direct)
    assert _tables(staged)["similar"]
    # a day's marks after the bulk: keyed row by row into the same tables
    more = {**marks, **{f"{iri}-more": f"{text} PLUS" for iri, text in list(marks.items())[:40]}}
    monkeypatch.undo()
    for index in (staged, direct):
        index.sync(more)
        index.compare_new_texts()
    assert _tables(staged) == _tables(direct)


def test_a_bulk_sync_that_fails_midway_leaves_the_index_as_it_was(
    tmp_path: Path, monkeypatch
) -> None:
    from kg.analysis import mark_index

    index = MarkIndex(tmp_path / "index.sqlite")
    index.sync({"m1": "AWS", "m2": "TESLA"})
    index.compare_new_texts()
    before = _tables(index)
    marks = _synthetic_marks(300, seed=9)
    monkeypatch.setattr(mark_index, "_KEYED_CHUNK", 50)
    calls = []
    key_texts = MarkIndex._key_texts

    def failing(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the machine stopped")
        return key_texts(self, *args, **kwargs)

    monkeypatch.setattr(MarkIndex, "_key_texts", failing)
    with pytest.raises(RuntimeError, match="stopped"):
        index.sync({**marks, "m1": "AWS", "m2": "TESLA"})
    assert _tables(index) == before  # no staged table left, no key of the new marks
    monkeypatch.undo()
    reopened = MarkIndex(tmp_path / "index.sqlite")
    assert reopened.sync({**marks, "m1": "AWS", "m2": "TESLA"}) == len(marks)  # only the new
    assert "m1" in reopened.candidates("AWS")


# ---------------------------------------------------------------- readers beside a writer


def _index_file(store_path: Path) -> Path:
    return store_path.parent / f"{store_path.name}.marks.sqlite"


def _file_tables(path: Path) -> dict[str, list[tuple]]:
    import sqlite3

    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {
            table: sorted(db.execute(f"SELECT * FROM {table}"))
            for table in ("marks", "text_lookup", "texts", "text_keys", "similar", "state")
        }
    finally:
        db.close()


def _written_store(store_path: Path) -> None:
    """A store with the seed and the second case, its index keyed and compared (kg load)."""
    from kg.analysis.service import index_marks

    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:
        graph.load_seed()
        graph.load([DATA / "second-case.trig"])
        index_marks(graph)


def _reader(store_path: Path) -> Analyst:
    return Analyst(KnowledgeGraph.open(Settings(store_path=store_path, read_only=True)))


def _answer(analyst: Analyst, text: str) -> list[tuple[str, str]]:
    return sorted((u.mark.text, u.party.id) for u in analyst.who_else_uses(text))


def test_a_reader_reads_the_writers_index_and_never_writes_it(store_path: Path) -> None:
    _written_store(store_path)
    before = _file_tables(_index_file(store_path))
    reader = _reader(store_path)
    assert reader.facts.mark_index.read_only  # the file serves as it is
    assert {"NOVALUX", "Nova-Lux"} <= {t for t, _ in _answer(reader, "NOVALUX")}
    assert reader.conflicts()  # similar pairs read, not computed
    assert _file_tables(_index_file(store_path)) == before


def test_a_reader_answers_while_a_writer_holds_the_index(store_path: Path) -> None:
    # a kg load keying a register holds one write transaction on the index for minutes: a
    # reader beside it must neither wait for it nor fail ("database is locked")
    import sqlite3

    _written_store(store_path)
    writer = sqlite3.connect(_index_file(store_path), timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM text_lookup")  # mid-rewrite: not committed, not seen
    try:
        reader = _reader(store_path)
        assert "NOVALUX" in {t for t, _ in _answer(reader, "Nova Lux")}
        assert reader.conflicts()
    finally:
        writer.rollback()
        writer.close()


def test_a_reader_keys_privately_what_the_writers_index_lacks(store_path: Path) -> None:
    from kg.analysis.service import index_marks

    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:
        graph.load_seed()
        index_marks(graph)
        graph.load([DATA / "second-case.trig"])  # in the store, not yet in the index
    before = _file_tables(_index_file(store_path))
    reader = _reader(store_path)
    assert {"NOVALUX", "Nova-Lux"} <= {t for t, _ in _answer(reader, "NOVALUX")}
    assert not reader.facts.mark_index.read_only  # private, in memory
    assert _file_tables(_index_file(store_path)) == before
    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:  # the writer's view
        assert _answer(Analyst(graph), "NOVALUX") == _answer(reader, "NOVALUX")


@pytest.mark.parametrize("change", ["rules", "version", "not an index"])
def test_a_reader_leaves_an_index_of_other_rules_to_its_writer(
    store_path: Path, change: str
) -> None:
    # another tmkg wrote the index (its rules or key version differ): a writer re-keys it,
    # a reader must not clear it under the writer (it keys the marks in memory instead)
    import sqlite3

    _written_store(store_path)
    path = _index_file(store_path)
    with sqlite3.connect(path) as db:
        if change == "rules":
            db.execute("UPDATE state SET value = value + 1 WHERE name = 'rules'")
            db.execute("UPDATE state SET value = value + 1 WHERE name = 'code'")
        elif change == "version":
            db.execute("PRAGMA user_version = 1")
        else:
            db.execute("DROP TABLE state")
    before = _file_tables(path) if change != "not an index" else path.read_bytes()
    reader = _reader(store_path)
    assert {"NOVALUX", "Nova-Lux"} <= {t for t, _ in _answer(reader, "NOVALUX")}
    assert not reader.facts.mark_index.read_only
    after = _file_tables(path) if change != "not an index" else path.read_bytes()
    assert after == before


def test_a_reader_keys_in_memory_only_the_few_marks_the_file_lacks(tmp_path: Path) -> None:
    # a load committed its data and is keying it: the reader reads the file for the marks it
    # holds rightly and keys the others in memory (an overlay), until it needs similar pairs
    path = tmp_path / "index.sqlite"
    marks = _synthetic_marks(400, seed=3)
    writer = MarkIndex(path)
    writer.sync(marks)
    writer.compare_new_texts()
    writer.close()
    before = _file_tables(path)
    changed, removed = sorted(marks)[:2]
    now = {**marks, "new:1": "NOVALUX", "new:2": "ZYQUORA", changed: "QWANTIX"}
    del now[removed]

    reader = MarkIndex(path, read_only=True)
    assert reader.sync(now) == 3  # the two new marks and the changed one, in memory
    assert reader.read_only and len(reader) == len(now)
    assert "new:1" in reader.candidates("NOVALUX") and "new:1" in reader.candidates("Nova-Lux")
    assert changed in reader.candidates("QWANTIX")
    assert changed not in reader.candidates(marks[changed])  # its old text is gone
    assert removed not in reader.candidates(marks[removed])
    private = MarkIndex(None)
    private.sync(now)
    for text in ("NOVALUX", marks[removed], sorted(now.values())[7], "QWANTIX"):
        assert reader.candidates(text) == private.candidates(text)
    assert _file_tables(path) == before

    pairs = sorted(reader.similar_pairs())  # needs every pair: keyed privately now
    assert not reader.read_only
    assert pairs == sorted(private.similar_pairs())
    assert _file_tables(path) == before


# ------------------------------------------------- a read-only command whose files vanish


@pytest.mark.parametrize("failures", [1, 2, 3])
def test_a_read_only_command_runs_again_when_a_compaction_deletes_files_under_it(
    store_path: Path, monkeypatch, capsys, failures: int
) -> None:
    # RocksDB opens a read-only store's files as it reads them: a writer's compaction can
    # delete one first ("IO error: No such file or directory ... .sst", seen beside a kg
    # load); the command then runs again on the store as it is now, with no traceback
    import importlib

    cli = importlib.import_module("kg.cli.main")  # (kg.cli.main is also the function)
    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:
        graph.load_seed()
    real = cli.run_analysis
    calls = []

    def vanishing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= failures:
            raise FileNotFoundError(
                "IO error: No such file or directory: While open a file for random read: "
                f"{store_path}/000701.sst: No such file or directory"
            )
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "run_analysis", vanishing)
    status = cli.main(["who-else-uses", "AWS", "--store", str(store_path)])
    out, err = capsys.readouterr()
    if failures < 3:
        assert status == 0 and "AWS" in out and not err
    else:  # still changing: a clear error, no traceback
        assert status != 0 and "the store changed under this read-only command" in err
        assert "Traceback" not in err
    assert len(calls) == min(failures + 1, 3)


def test_post_load_keys_and_compares_the_new_marks_in_the_index(store_path: Path) -> None:
    # as kg load does: after POST /load the index beside the store holds the new marks, all
    # compared, so a read-only command beside the server reads it as it is (no private keying)

    from tests.sparql_support import SparqlServer
    from tests.traffic import batch_turtle

    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:
        graph.load_seed()
    with SparqlServer("--store", store_path, env={"KG_UPDATE_TOKEN": "t0ken"}) as server:
        answer = http_post(
            server.url + "/load",
            content=batch_turtle(7),
            headers={"Content-Type": "application/trig", "Authorization": "Bearer t0ken"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        index = MarkIndex(_index_file(store_path), read_only=True)
        assert index.read_only
        (held,) = index._db.execute(
            "SELECT COUNT(*) FROM marks WHERE iri LIKE 'https://example.org/loadtest/%'"
        ).fetchone()
        assert held == 20
        (uncompared,) = index._db.execute(
            "SELECT COUNT(*) FROM texts WHERE id > (SELECT value FROM state WHERE name = 'compared')"
        ).fetchone()
        assert uncompared == 0
        reader = _reader(store_path)
        assert "LT 7-3" in {t for t, _ in _answer(reader, "LT 7-3")}
        assert reader.facts.mark_index.read_only  # the file, as the server left it


def test_readers_of_one_file_each_have_their_own_connection(tmp_path: Path) -> None:
    # one reader leaving the file for a private index closes its connection; another reader
    # of the same file must not have been handed that connection
    path = tmp_path / "index.sqlite"
    writer = MarkIndex(path)
    writer.sync({"m1": "AWS", "m2": "TESLA"})
    writer.compare_new_texts()
    writer.close()
    first, second = MarkIndex(path, read_only=True), MarkIndex(path, read_only=True)
    first.sync({"m3": "NOVALUX"})  # nothing the file holds: private
    assert not first.read_only
    assert second.read_only and "m1" in second.candidates("AWS")


def test_closing_a_written_index_leaves_no_large_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "store.marks.sqlite"
    index = MarkIndex(path)
    index.sync(_synthetic_marks(3000, seed=9))
    index.compare_new_texts()
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 1_000_000  # the sync went through the log
    index.close()
    assert not wal.exists() or wal.stat().st_size == 0
    reopened = MarkIndex(path)
    assert reopened.candidates("NOVALUX") is not None and len(reopened) == 3000
    reopened.close()


def test_the_rules_are_probed_only_under_other_code(tmp_path: Path, monkeypatch) -> None:
    # probing the rules costs ~1 s a process: every kg question paid it on opening the index
    from kg.analysis import mark_index

    path = tmp_path / "store.marks.sqlite"
    index = MarkIndex(path)
    index.sync({"m1": "NOVALUX", "m2": "NOVA-LUX"})
    index.close()

    def probed() -> int:
        raise AssertionError("the rules were probed")

    fingerprint = mark_index._probed_rules
    monkeypatch.setattr(mark_index, "_rules_fingerprint", probed)
    for read_only in (False, True):  # the same code: its stored key says the rules hold
        reopened = MarkIndex(path, read_only=read_only)
        assert reopened.read_only == read_only and reopened.candidates("NOVALUX")
        reopened.close()
    MarkIndex(None).close()  # an index in memory is never opened again: nothing to probe

    # other code, the same rules: probed once, kept, and the new code recorded
    monkeypatch.setattr(mark_index, "_rules_fingerprint", cache(fingerprint))
    monkeypatch.setattr(mark_index, "_code_key", lambda: 7)
    reader = MarkIndex(path, read_only=True)
    assert reader.read_only and reader.candidates("NOVALUX") == {"m1", "m2"}
    reader.close()
    writer = MarkIndex(path)
    assert writer.sync({"m1": "NOVALUX", "m2": "NOVA-LUX"}) == 0  # nothing keyed again
    assert dict(writer._db.execute("SELECT name, value FROM state"))["code"] == 7
    writer.close()
    monkeypatch.setattr(mark_index, "_rules_fingerprint", probed)
    MarkIndex(path, read_only=True).close()  # the new code's key is recorded now


def test_the_rules_fingerprint_reads_which_marks_anchor_a_bucket(monkeypatch) -> None:
    # an index stored when buckets paired their anchors otherwise (before 2026-12-06 a
    # mark anchored buckets by its written words alone and missed e4you / MI CASA 4 YOU)
    # has the same keys and scores, other pairs: the fingerprint tells them apart and it is
    # compared again
    from kg.analysis import mark_index, rule_blocking

    fingerprint = mark_index._probed_rules
    today = fingerprint()
    assert fingerprint() == today

    anchored = rule_blocking._anchored

    def anchors_among_themselves(anchors, members, new, skip=None):
        return anchored(anchors, anchors, new, skip)

    # the same keys and scores, other pairs
    monkeypatch.setattr(rule_blocking, "_anchored", anchors_among_themselves)
    assert fingerprint() != today


def test_an_older_index_is_named_to_a_reader_and_shrunk_by_a_writer(store_path: Path) -> None:
    # found by a trial: a store whose index an older tmkg wrote answered every question
    # slowly with no word of why, and the rebuilt file kept its size (81% free pages)
    import sqlite3

    from tests.conftest import run_kg

    _written_store(store_path)
    path = _index_file(store_path)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE keys (key TEXT NOT NULL, iri TEXT NOT NULL)")  # before v6
        db.executemany("INSERT INTO keys VALUES (?, 'm')", [(f"D:{i}" * 500,) for i in range(2000)])
        db.execute("PRAGMA user_version = 5")
    db.close()
    asked = run_kg("who-else-uses", "NOVALUX", "--store", store_path)
    assert asked.returncode == 0, asked.stderr
    assert "NOVALUX" in asked.stdout
    assert f"the mark index {path} was written by another version of tmkg" in asked.stderr
    size = path.stat().st_size
    assert size > 8_000_000
    writer = MarkIndex(path)  # a writer empties it and gives the pages back
    writer.close()
    assert path.stat().st_size < size / 10
    again = run_kg("who-else-uses", "NOVALUX", "--store", store_path)
    assert "the mark index" not in again.stderr  # rebuilt by kg's next writer: no warning


_TABLE_MARKS = {
    f"m{n}": text
    for n, text in enumerate(
        (
            "AWS", "AWZ", "A.W.S.", "TESLA", "特斯拉", "NIKE", "NIKE AIR", "UBER", "UBER EATS",
            "KWIK", "QUIK", "LEGO", "LOGO", "MAGNOLIA BAY", "MAGNOLIA GROVE", "STARBUCKS",
            "STARBOCKS", "銀行", "银行", "ŁADA", "LADA", "SEVEN STARS", "7 STARS",
        )
    )
}  # fmt: skip


@pytest.mark.parametrize("floor", [0.8, 0.85, 0.9, 0.97])
def test_the_similar_table_holds_the_index_pairs(floor: float) -> None:
    # a register-wide search reads the pairs once into arrays: the same pairs, the same
    # scores and reasons, and `among` keeps exactly the pairs of two of its texts
    index = MarkIndex(None)
    index.sync(_TABLE_MARKS)
    table = index.similar_table()
    stored = sorted(index.similar_pairs(floor))
    assert stored and len(table) == len(list(index.similar_pairs()))
    assert sorted(table.similar_pairs(floor)) == stored
    texts = sorted(set(_TABLE_MARKS.values()))
    for start in range(len(texts)):
        among = set(texts[start::3]) | {"NOT INDEXED"}
        expected = [(a, b, s) for a, b, s in stored if a in among and b in among]
        assert sorted(table.similar_pairs(floor, among=among)) == expected
        assert sorted(index.similar_pairs(floor, among=among)) == expected
    assert table.unknown_texts([*texts, "ZYXWV"]) == index.unknown_texts([*texts, "ZYXWV"])
    with pytest.raises(ValueError, match=r"0\.8, not 0\.7"):
        next(table.similar_pairs(0.7))
    with pytest.raises(ValueError, match=r"0\.8, not 0\.7"):
        index.similar_table(0.7)


def test_the_similar_table_of_an_empty_index_and_a_reader(tmp_path: Path) -> None:
    assert list(MarkIndex(None).similar_table().similar_pairs(0.8)) == []
    path = tmp_path / "index.sqlite"
    writer = MarkIndex(path)
    writer.sync(_TABLE_MARKS)
    writer.compare_new_texts()
    expected = sorted(writer.similar_pairs())
    writer.close()
    reader = MarkIndex(path, read_only=True)
    reader.sync(_TABLE_MARKS)
    assert sorted(reader.similar_table().similar_pairs(0.8)) == expected
    reader.close()


def _decided_marks() -> list[str]:
    """Every mark of the decided pairs (bench/decisions/*.csv): ~700 texts in several
    scripts, of every kind of similarity the rules know."""
    import csv

    found: set[str] = set()
    for table in sorted((Path(__file__).parent.parent / "bench" / "decisions").glob("*.csv")):
        with table.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                found.update((row["earlier"], row["later"]))
    return sorted(found)


def _coined_marks(count: int) -> list[str]:
    """`count` coined words of `kg synth`'s syllables (seeded): many share endings, sounds
    and beginnings, as a national register's do."""
    import random

    from kg.registries.synth import SYLLABLES

    rng = random.Random(5)
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).upper()}
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).upper())
    return sorted(words)


@pytest.mark.parametrize(
    "texts", [_decided_marks(), _coined_marks(4000)], ids=["decided", "coined"]
)
@pytest.mark.parametrize("ending_bucket", [200, 3])  # at 3, many T: buckets are diluted
def test_a_question_gets_the_answer_its_words_get_in_the_register(
    monkeypatch: pytest.MonkeyPatch, texts: list[str], ending_bucket: int
) -> None:
    """`candidates` of words, compared, are what `similar_marks` reads for the same words
    indexed (the register-wide comparison's pairs): one answer whether or not the register
    holds the mark asked about, for every kind of rule. Asked of the index that holds them,
    and of one that lacks them where no bucket is near its limit (an index holding them
    all has larger buckets than one that lacks a seventh of them)."""
    from kg.analysis import rule_blocking

    monkeypatch.setattr(rule_blocking, "MAX_SHARED_ENDING", ending_bucket)
    asked = texts[::7]  # a seventh of them, asked about before and after they are indexed
    others = {f"m{i}": t for i, t in enumerate(texts) if t not in asked}
    held = MarkIndex(None)
    held.sync({**others, **{f"a{i}": t for i, t in enumerate(asked)}})
    held.compare_new_texts()  # as `kg load` does: a question compares at most 1,000 texts
    indexes = [held]
    if ending_bucket >= 200:
        indexes.append(MarkIndex(None))
        indexes[-1].sync(others)
    differing = []
    for text in asked:
        read = {i for i in held.similar_marks(text) or {} if i in others}
        for index in indexes:
            found = index.candidates(text)
            alone = {i for i in found if i in others and compare(text, others[i]).score >= 0.8}
            if alone != read:
                differing.append((text, index is held, sorted(alone ^ read)))
    assert len(asked) > 80
    assert not differing


def test_keying_many_texts_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A sync that keys a register's texts (a first load, new rules) says so before it
    starts, so the first question after an upgrade does not wait minutes without a word; a
    few texts (a day's file, a question) say nothing."""
    from kg.analysis import mark_index

    monkeypatch.setattr(mark_index, "NOTICE_TEXTS", 3)
    index = MarkIndex(None)
    with caplog.at_level("WARNING", logger="kg.analysis.mark_index"):
        index.sync({"m1": "AWS", "m2": "TESLA"})
        assert not caplog.records
        index.sync({"m1": "AWS", "m2": "TESLA", "m3": "ACME", "m4": "APEX", "m5": "ZETA"})
    (record,) = caplog.records
    assert record.getMessage().startswith("kg: the mark index beside the store keys 3 new texts")


def test_analysts_over_one_graph_open_the_index_once(store_path: Path, monkeypatch) -> None:
    # found by the fd count of a test (session 39): `dict.setdefault` built the per-graph
    # state, which opens the mark index, the holdings projection and the conflict file
    # (~10 ms), for every Analyst, and a resource page or feed makes one a request; the
    # files stayed open until a collection (5,757 descriptors after six tests)
    from kg import Analyst
    from kg.analysis import service

    _written_store(store_path)
    with KnowledgeGraph.open(Settings(store_path=store_path)) as graph:
        first = Analyst(graph)

        def opened(*_: object) -> None:
            raise AssertionError("the graph's analysis state was made again")

        monkeypatch.setattr(service, "_Shared", opened)
        for _ in range(3):
            again = Analyst(graph)
            assert again._shared is first._shared
            assert again.who_else_uses("NOVALUX")


def test_the_rules_fingerprint_is_probed_once_per_code(tmp_path: Path, monkeypatch) -> None:
    # every first kg load into a new store probed the rules (~3 s of a ~4.7 s load): the
    # fingerprint is kept in the user's cache folder under the code's key
    from kg.analysis import mark_index

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    probes: list[int] = []
    probe = mark_index._probed_rules

    def counted() -> int:
        probes.append(1)
        return probe()

    monkeypatch.setattr(mark_index, "_probed_rules", counted)
    monkeypatch.setattr(mark_index, "_rules_fingerprint", mark_index._rules_fingerprint.__wrapped__)
    first = mark_index._rules_fingerprint()
    kept = list((tmp_path / "cache" / "tmkg").glob("rules-fingerprint-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == first
    for _ in range(2):  # as the next processes: read, not probed
        index = MarkIndex(tmp_path / f"store{_}.marks.sqlite")
        index.close()
        assert mark_index._rules_fingerprint() == first
    assert len(probes) == 1

    # a kept file of another shape (helper-128: 2**63 ended a load in an OverflowError, a
    # deep nesting in a RecursionError): probed again and kept anew
    damaged = ['"not a number"', "true", "-5", str(2**63), "4" * 4000, "[" * 200_000, "{}"]
    for number, text in enumerate(damaged, start=2):
        kept[0].write_text(text)
        assert mark_index._rules_fingerprint() == first and len(probes) == number, text
        assert json.loads(kept[0].read_text()) == first
    monkeypatch.setattr(mark_index, "_code_key", lambda: 7)  # other code: probed, kept anew
    assert mark_index._rules_fingerprint() == first and len(probes) == len(damaged) + 2
    assert [p.name for p in (tmp_path / "cache" / "tmkg").glob("rules-*")] != [kept[0].name]
