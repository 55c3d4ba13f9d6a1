"""The register's conflicts kept on disk for the next process (issue 19,
`kg.analysis.conflict_file`): asked the same in the same state, the next process reads the
answer (a ``top`` question only its first conflicts); after another process's writes it
brings the answer up to date from the journal of writes; whatever happened, the answer is the
one a whole search gives, and a file tmkg did not write is never built."""

from __future__ import annotations

import json
import pickle
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import conflict_file, conflict_memo, signed_rows
from kg.analysis.conflict_file import ConflictFile, conflict_file_path_for
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst, index_marks
from kg.registries.synth import generate, renamed
from tests.conftest import DATA, run_kg
from tests.test_conflict_memo import EDITS, _Searches, _whole
from tests.test_holdings_projection import _own_data_folder  # noqa: F401


def _open(store: Path, *, read_only: bool = False) -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store_path=store, read_only=read_only))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A synthetic register of 400 marks on disk whose conflicts were asked once."""
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.store.add(generate(400, seed=3))
        graph.changed()
        index_marks(graph)
        Analyst(graph).conflicts()
    yield path


def _truth(store: Path, **asked: object) -> list[ConflictPair]:
    with _open(store) as graph:
        return _whole(graph, **asked)


def _more(tmp_path: Path, count: int = 30, seed: int = 8) -> Path:
    more = tmp_path / f"more-{seed}.nq"
    quads = renamed(generate(count, seed=seed), f"added{seed}")
    more.write_text("".join(f"{quad} .\n" for quad in quads), encoding="utf-8")
    return more


def _kept_in_chunks(store: Path, monkeypatch: pytest.MonkeyPatch, size: int = 8) -> list:
    """The store's conflicts, searched whole and kept anew in chunks of `size`."""
    monkeypatch.setattr(conflict_file, "CHUNK", size)
    with _open(store) as graph:
        return _whole(graph)


class _Chunks:
    """Counts the chunks of the file read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read = 0
        chunk = ConflictFile._rows

        def counted(file: ConflictFile, *args: object) -> object:
            self.read += 1
            return chunk(file, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ConflictFile, "_rows", counted)


def test_the_next_process_reads_the_answer_kept(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept_in_chunks(store, monkeypatch)
    truth = _truth(store)
    searches = _Searches(monkeypatch)
    chunks = _Chunks(monkeypatch)
    with _open(store, read_only=True) as graph:
        top = Analyst(graph).conflicts(top=10)
        assert list(top) == truth[:10] and top.total == len(truth)
        assert chunks.read == 2  # the first 16, not the register's
        assert list(Analyst(graph).conflicts()) == truth
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts(top=1)) == truth[:1]
    assert searches.whole == searches.parties == 0


def test_the_answer_read_back_shares_its_parties_across_chunks(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept_in_chunks(store, monkeypatch, 4)
    searches = _Searches(monkeypatch)
    with _open(store, read_only=True) as graph:
        found = list(Analyst(graph).conflicts())
    assert searches.whole == searches.parties == 0  # read from the file
    assert found == _truth(store)
    parties = [party for pair in found for party in pair.parties]
    by_id: dict[str, object] = {}
    assert all(by_id.setdefault(party.id, party) is party for party in parties)
    assert len(by_id) < len(parties) and len(found) > 3 * 4  # named again past a chunk


def test_another_question_is_searched_and_kept_in_its_place(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        found = list(Analyst(graph).conflicts(jurisdiction="GB"))
    assert searches.whole == 1
    with _open(store) as graph:
        top = list(Analyst(graph).conflicts(jurisdiction="GB", top=5))
        every = list(Analyst(graph).conflicts())  # the file keeps one question's answer
    assert searches.whole == 2
    assert found == _truth(store, jurisdiction="GB") and top == found[:5]
    assert every == _truth(store) != found


@pytest.mark.parametrize("top", [None, 5])
def test_after_another_process_s_load_the_answer_is_brought_up_to_date(
    top: int | None, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in (8, 9):  # two writes: the journal's chain followed
        result = run_kg("--store", str(store), "load", str(_more(tmp_path, seed=seed)))
        assert result.returncode == 0, result.stderr
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        found = Analyst(graph).conflicts(top=top)
    assert searches.whole == 0 and searches.parties == 1
    truth = _truth(store)
    assert list(found) == truth[:top]
    assert len(truth) > 0 and (top is None or found.total == len(truth))


def test_after_an_import_the_answer_is_brought_up_to_date(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_kg("--store", str(store), "import", str(DATA / "uspto-daily-sample.xml"))
    assert result.returncode == 0, result.stderr
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        found = list(Analyst(graph).conflicts())
    assert searches.whole == 0
    assert found == _truth(store)


def test_writes_the_journal_cannot_tell_are_searched_whole(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    update = tmp_path / "update.ru"
    update.write_text(
        "DELETE { GRAPH ?g { ?r <https://w3id.org/tmkg/ontology#mark> ?m } } "
        "WHERE { GRAPH ?g { ?r <https://w3id.org/tmkg/ontology#mark> ?m } "
        'FILTER(STRENDS(STR(?r), "-7")) }',
        encoding="utf-8",
    )
    with _open(store) as graph:  # a SPARQL Update's text says nothing of what it touched
        graph.store.update(update.read_text(encoding="utf-8"))
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        found = list(Analyst(graph).conflicts())
    assert searches.whole == 1
    assert found == _truth(store)


def test_a_top_question_keeps_the_answer_anew_when_one_was_kept(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _open(store) as graph:  # a write the journal cannot follow
        graph.store.update(
            "INSERT DATA { GRAPH <https://example.org/g> { "
            "<https://example.org/a> <https://example.org/p> 1 } }"
        )
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        first = Analyst(graph).conflicts(top=5)
    with _open(store) as graph:
        again = Analyst(graph).conflicts(top=5)
    assert searches.whole == 1
    truth = _truth(store)
    assert list(first) == list(again) == truth[:5]
    assert first.total == again.total == len(truth)


def test_a_first_top_question_keeps_nothing(tmp_path: Path) -> None:
    """With no answer kept, `top` keeps memory for its conflicts (not the register's)."""
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.store.add(generate(200, seed=4))
        graph.changed()
        index_marks(graph)
        analyst = Analyst(graph)
        assert len(analyst.conflicts(top=2)) == 2
        assert analyst._shared.kept_conflicts is None
    file = conflict_file_path_for(str(path))
    assert file is not None
    if file.exists():
        with sqlite3.connect(file) as db:
            assert db.execute("SELECT COUNT(*) FROM chunks").fetchone() == (0,)


def test_a_proceeding_raises_a_conflict_read_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`top` from the file keeps what a proceeding may raise past the first: the same
    answer as the streamed search's."""
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.load([DATA / "oppositions.trig"])
        index_marks(graph)
        whole = list(Analyst(graph).conflicts())
    for top in range(1, len(whole) + 2):
        with _open(path) as graph:
            analyst = Analyst(graph)
            stored = analyst.conflicts(top=top)
            analyst._shared.forget_conflicts()
            streamed = analyst.conflicts(top=top)
            analyst.conflicts()  # kept again for the next round
        assert list(stored) == list(streamed) and stored.total == streamed.total


def _damage_chunk(store: Path, data: bytes) -> None:
    path = conflict_file_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        db.execute("UPDATE chunks SET data = ? WHERE n = 0", (data,))


class _Planted:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (self.marker,))  # type: ignore[return-value]


@pytest.mark.parametrize("kind", ["unsigned", "other key", "planted code", "not a pickle"])
def test_a_chunk_tmkg_did_not_write_is_never_built(
    kind: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    payload = pickle.dumps(((_Planted(str(marker)), (), ()),))
    data = {
        "unsigned": payload,
        "other key": signed_rows.signed(b"k" * 32, "conflicts:0", payload),
        "planted code": signed_rows.signed(b"k" * 32, "conflicts:0", payload)[:32] + payload,
        "not a pickle": b"\0" * 40,
    }[kind]
    _damage_chunk(store, data)
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        found = list(Analyst(graph).conflicts())
        top = list(Analyst(graph).conflicts(top=3))
    assert not marker.exists()
    assert searches.whole >= 1
    truth = _truth(store)
    assert found == truth and top == truth[:3]


@pytest.mark.parametrize("damage", ["garbage", "other tables", "trigger"])
def test_a_file_that_is_not_the_kept_conflicts_is_made_anew(damage: str, store: Path) -> None:
    path = conflict_file_path_for(str(store))
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(path) as db:
            if damage == "other tables":
                db.execute("CREATE TABLE chunks (n INTEGER, other TEXT)")
            else:
                db.executescript(conflict_file._SCHEMA)
                db.execute("CREATE TRIGGER t AFTER INSERT ON chunks BEGIN DELETE FROM state; END")
    truth = _truth(store)
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts(top=4)) == truth[:4]


def test_another_version_of_tmkg_does_not_read_the_file(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = _truth(store)
    signed_rows.code_key.cache_clear()
    monkeypatch.setattr(conflict_file, "code_key", lambda: 12345)
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts()) == truth
    assert searches.whole == 1


def test_kg_conflicts_top_reads_what_kg_conflicts_kept(store: Path) -> None:
    env = {"KG_STORE": str(store)}
    every = json.loads(run_kg("conflicts", "--format", "json", check=True, env=env).stdout)
    first = run_kg("conflicts", "--top", "3", "--format", "json", check=True, env=env)
    assert json.loads(first.stdout) == every[:3]
    assert f"3 of {len(every)} conflicts" in first.stderr


@pytest.mark.parametrize("kind", ["an older answer's chunk", "a chunk missing"])
def test_chunks_that_are_not_the_answer_s_own_are_never_mixed_in(
    kind: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same user's chunk of an earlier answer (a file put back after a write) or a
    chunk removed: the head's digests and sizes tell, and the register is searched."""
    _kept_in_chunks(store, monkeypatch)
    path = conflict_file_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        older = db.execute("SELECT data FROM chunks WHERE n = 1").fetchone()[0]
    result = run_kg("--store", str(store), "load", str(_more(tmp_path)))
    assert result.returncode == 0, result.stderr
    with _open(store) as graph:
        truth = _whole(graph)  # kept anew for the new state
    with sqlite3.connect(path) as db:
        if kind == "a chunk missing":
            db.execute("DELETE FROM chunks WHERE n = 1")
        else:
            db.execute("UPDATE chunks SET data = ? WHERE n = 1", (older,))
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts(top=12)) == truth[:12]
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts()) == truth
    assert searches.whole >= 1


@pytest.mark.parametrize("kind", ["fifo", "directory", "dangling symlink"])
@pytest.mark.parametrize("at", ["", "-wal", "-shm"])
def test_a_path_that_is_no_regular_file_is_passed_by(kind: str, at: str, store: Path) -> None:
    """A FIFO where the file (or its log) goes would block its opening for ever, a folder
    there cannot be removed: not opened, searched, and the file itself left as it was."""
    import os
    import subprocess
    import sys

    path = conflict_file_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = path.read_bytes()
    for suffix in ("", "-wal", "-shm"):
        if suffix or not at:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    odd = Path(f"{path}{at}")
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "directory":
        odd.mkdir()
    else:
        odd.symlink_to(path.parent / "nowhere")
    truth = _truth(store)
    kg = Path(sys.executable).parent / "kg"
    for asked in (["--top", "4"], []):
        done = subprocess.run(
            [str(kg), "--store", str(store), "conflicts", "--format", "json", *asked],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == (4 if asked else len(truth))
    if at:
        assert path.read_bytes() == kept


def _chunk_0_twice(path: Path) -> None:
    """The chunks table made anew without its primary key, chunk 1 out and chunk 0 in twice."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        "BEGIN; CREATE TABLE c2 (n INTEGER, size INTEGER NOT NULL, data BLOB NOT NULL,"
        " keys BLOB NOT NULL);"
        "INSERT INTO c2 SELECT * FROM chunks WHERE n != 1;"
        "INSERT INTO c2 SELECT * FROM chunks WHERE n = 0;"
        "DROP TABLE chunks; ALTER TABLE c2 RENAME TO chunks; COMMIT;"
    )
    db.close()


def test_a_chunks_table_made_anew_without_its_key_is_not_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunk 1 put out and chunk 0 in twice, in a table without its primary key: each
    signed and sealed, yet not the answer."""
    truth = _kept_in_chunks(store, monkeypatch)
    path = conflict_file_path_for(str(store))
    assert path is not None
    _chunk_0_twice(path)
    searches = _Searches(monkeypatch)
    for read_only in (True, False):
        with _open(store, read_only=read_only) as graph:
            assert list(Analyst(graph).conflicts(top=12)) == truth[:12]
            assert list(Analyst(graph).conflicts()) == truth
        assert searches.whole >= 1


def test_a_repeated_chunk_is_not_read(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers refuse a chunk met twice, whatever the table's shape lets through."""
    truth = _kept_in_chunks(store, monkeypatch)
    path = conflict_file_path_for(str(store))
    assert path is not None
    (chunks,) = sqlite3.connect(path).execute("SELECT COUNT(*) FROM chunks").fetchone()
    assert chunks > 2
    monkeypatch.setattr(
        conflict_file.RowsFile,
        "check",
        lambda self, db: None,  # a shape check passed by
    )
    _chunk_0_twice(path)
    searches = _Searches(monkeypatch)
    with _open(store, read_only=True) as graph:
        assert list(Analyst(graph).conflicts(top=12)) == truth[:12]
        assert list(Analyst(graph).conflicts()) == truth
    assert searches.whole >= 1


def _truth_of_a_copy(store: Path, into: Path, **asked: object) -> list[ConflictPair]:
    """What a whole search of the store finds now, searched in a copy (the store's own kept
    answer untouched)."""
    into.mkdir()
    for path in store.parent.glob(store.name + "*"):
        if path.is_dir():
            shutil.copytree(path, into / path.name)
        else:
            shutil.copy2(path, into / path.name)
    return _truth(into / store.name, **asked)


def test_an_answer_too_big_to_read_whole_is_brought_up_to_date_in_its_file(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `LOAD_MAX` conflicts the kept answer is never read whole (memory: ~3.9 KB a
    conflict read back): the whole list is searched, `top` in its state reads the first
    chunks, and after writes `top` brings the file up to date without a whole search (the
    parties the writes may have changed searched again, their conflicts kept beside the
    others: `ConflictFile.bring_up`), write after write; every answer is the one a whole
    search of that state gives (the run of 2026-12-04 searched a 1M register whole for each
    `--top 20` after a write: 787.7 s, then 603.1 s)."""
    monkeypatch.setattr(conflict_file, "LOAD_MAX", 5)
    monkeypatch.setattr(conflict_file, "CHUNK", 8)
    truth = _truth(store)
    searches = _Searches(monkeypatch)
    loads = []
    load = ConflictFile.load
    monkeypatch.setattr(ConflictFile, "load", lambda *a: loads.append(1) or load(*a))
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts(top=3)) == truth[:3]
        assert searches.whole == 0
        assert list(Analyst(graph).conflicts()) == truth
        assert searches.whole == 1
    for seed in (8, 9, 10):
        result = run_kg("--store", str(store), "load", str(_more(tmp_path, seed=seed)))
        assert result.returncode == 0, result.stderr
        parties = searches.parties
        with _open(store) as graph:
            analyst = Analyst(graph)
            top = analyst.conflicts(top=3)
            assert analyst._shared.kept_conflicts is None  # memory for 3
        assert loads == [] and searches.whole == 1 and searches.parties == parties + 1
        with _open(store) as graph:
            every = Analyst(graph).conflicts(top=10_000)  # the whole answer, from the file
        assert loads == [] and searches.whole == 1 and searches.parties == parties + 1
        now = _truth_of_a_copy(store, tmp_path / f"copy-{seed}")
        searches.whole = 1  # not counting the copy's
        assert list(top) == now[:3] and top.total == len(now)
        assert list(every) == now and every.total == len(now)
        assert len(now) > len(truth)  # the marks added met some
    searches.whole = 0
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts()) == now  # whole: searched, and kept anew
    assert searches.whole == 1


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_brings_an_answer_too_big_to_read_whole_up_to_date_in_its_file(
    edit: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of edit `_kept_conflicts` follows in memory is followed in the file too:
    the conflicts of the parties it concerns hidden and searched again, none read whole."""
    monkeypatch.setattr(conflict_file, "LOAD_MAX", 5)
    monkeypatch.setattr(conflict_file, "CHUNK", 8)
    with _open(store) as graph:
        before = list(Analyst(graph).conflicts())  # kept whole in the file
    with _open(store) as graph:
        EDITS[edit](graph, before[0])
        graph.changed()
        index_marks(graph)
    searches = _Searches(monkeypatch)
    loads = []
    load = ConflictFile.load
    monkeypatch.setattr(ConflictFile, "load", lambda *a: loads.append(1) or load(*a))
    with _open(store) as graph:
        every = Analyst(graph).conflicts(top=100_000)
    assert searches.whole == 0 and loads == []
    now = _truth_of_a_copy(store, tmp_path / "copy")
    assert list(every) == now and every.total == len(now)


@pytest.mark.parametrize("column", ["keys", "data"])
def test_keys_or_conflicts_tmkg_did_not_write_are_not_used_to_bring_an_answer_up(
    column: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's keys (read to find what the writes changed) or conflicts changed by hand:
    the answer is not brought up to date from them; the register is searched."""
    monkeypatch.setattr(conflict_file, "LOAD_MAX", 5)
    monkeypatch.setattr(conflict_file, "CHUNK", 8)
    with _open(store) as graph:
        Analyst(graph).conflicts()
    path = conflict_file_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        (kept,) = db.execute(f"SELECT {column} FROM chunks WHERE n = 0").fetchone()
        forged = kept[:-3] + bytes(b ^ 1 for b in kept[-3:])
        db.execute(f"UPDATE chunks SET {column} = ? WHERE n = 0", (forged,))
    result = run_kg("--store", str(store), "load", str(_more(tmp_path)))
    assert result.returncode == 0, result.stderr
    searches = _Searches(monkeypatch)
    with _open(store) as graph:
        top = Analyst(graph).conflicts(top=3)
    assert searches.whole == 1
    now = _truth_of_a_copy(store, tmp_path / "copy")
    assert list(top) == now[:3] and top.total == len(now)


def test_an_answer_brought_up_to_date_in_its_file_is_read_whole_below_load_max(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer the file brought up to date (its conflicts searched again kept beside the
    others) is read whole as one list once it is small enough, and brought up to date in
    memory from there."""
    monkeypatch.setattr(conflict_file, "CHUNK", 8)
    with monkeypatch.context() as patched:
        patched.setattr(conflict_file, "LOAD_MAX", 5)
        with _open(store) as graph:
            Analyst(graph).conflicts()
        result = run_kg("--store", str(store), "load", str(_more(tmp_path, seed=8)))
        assert result.returncode == 0, result.stderr
        with _open(store) as graph:
            Analyst(graph).conflicts(top=3)
    searches = _Searches(monkeypatch)
    now = _truth_of_a_copy(store, tmp_path / "copy-8")
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts()) == now  # read whole: delta merged in
    assert searches.whole == 1  # the copy's
    result = run_kg("--store", str(store), "load", str(_more(tmp_path, seed=9)))
    assert result.returncode == 0, result.stderr
    with _open(store) as graph:
        assert list(Analyst(graph).conflicts()) == _truth_of_a_copy(store, tmp_path / "c9")
    assert searches.whole == 2  # the second copy's: the store's own brought up to date


@pytest.mark.parametrize(
    "bad",
    [
        "<urn:a> <urn:b> .\n",  # a parse error
        "<https://w3id.org/tmkg/id/registration/x> <https://w3id.org/tmkg/ontology#filingDate>"
        ' "not a date"^^<http://www.w3.org/2001/XMLSchema#date> <urn:g> .\n',  # a violation
        "\n".join(f"<urn:s{n}> <urn:p> <urn:o> <urn:g> ." for n in range(200))
        + "\n<urn:a> <urn:b> .\n",  # a parse error after many good lines
    ],
    ids=["parse-error", "violation", "late-parse-error"],
)
def test_a_refused_load_keeps_the_answer_and_the_projection(
    bad: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load refused leaves the store as it was: what was kept for it stays usable (the
    write touched nothing), not a whole search of the register."""
    truth = _truth(store)
    projection = Path(f"{store}.holdings.sqlite")

    def rows() -> int:
        with sqlite3.connect(projection) as db:
            return db.execute("SELECT COUNT(*) FROM holdings").fetchone()[0]

    held = rows()
    file = tmp_path / "bad.nq"
    file.write_text(bad, encoding="utf-8")
    result = run_kg("--store", str(store), "load", str(file))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert held > 0 and rows() == held
    searches = _Searches(monkeypatch)
    with _open(store, read_only=True) as graph:
        assert list(Analyst(graph).conflicts(top=5)) == truth[:5]
        assert list(Analyst(graph).conflicts()) == truth
    assert searches.whole == searches.parties == 0


_MERGED_WRITES = {
    "a merged copy's status abandoned": """
        <https://w3id.org/tmkg/id/registration/gb-orvanta-copy>
            <https://w3id.org/tmkg/ontology#markStatus> <https://w3id.org/tmkg/id/status/abandoned>
            <https://w3id.org/tmkg/id/graph/merged-late> .""",
    "two records merged": """
        <https://w3id.org/tmkg/id/registration/em-talistia>
            <http://www.w3.org/2002/07/owl#sameAs> <https://w3id.org/tmkg/id/registration/em-taliste-copy>
            <https://w3id.org/tmkg/id/graph/merged-late> .""",
    "a class stated by a merged copy": """
        <https://w3id.org/tmkg/id/registration/gb-kelvaro-copy>
            <https://w3id.org/tmkg/ontology#niceClass> <https://w3id.org/tmkg/id/nice/35>
            <https://w3id.org/tmkg/id/graph/merged-late> .""",
}


@pytest.mark.parametrize("load_max", [1_000_000, 5], ids=["read whole", "too big to read whole"])
def test_writes_to_merged_records_are_followed_in_the_next_process(
    load_max: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records and marks merged by owl:sameAs (the seed case's curators merge two records of
    one registration) no longer keep a register from keeping its answer: after another
    process's writes to a merged record, the next process brings the kept answer up to date
    (in memory, or in the file when it is too big to read whole), the same as a whole
    search of that state."""
    monkeypatch.setattr(conflict_file, "LOAD_MAX", load_max)
    monkeypatch.setattr(conflict_file, "CHUNK", 8)
    monkeypatch.setattr(conflict_memo, "SEARCH_SHARE", 1.0)  # a small register
    store = tmp_path / "store"
    with _open(store) as graph:
        graph.load([DATA / "merged-records.trig"])
        graph.store.add(generate(150, seed=3))
        graph.changed()
        index_marks(graph)
        assert not Analyst(graph).facts.identities.alone("https://w3id.org/tmkg/id/mark/orvanta")
        first = list(Analyst(graph).conflicts())
    assert conflict_file_path_for(str(store)).exists()  # type: ignore[union-attr]
    searches = _Searches(monkeypatch)
    answers = [first]
    for number, (write, quad) in enumerate(_MERGED_WRITES.items()):
        written = tmp_path / f"write-{number}.nq"
        written.write_text(" ".join(quad.split()) + "\n", encoding="utf-8")
        result = run_kg("--store", str(store), "load", str(written))
        assert result.returncode == 0, result.stderr
        with _open(store) as graph:
            top = Analyst(graph).conflicts(top=3)
        with _open(store) as graph:
            every = list(Analyst(graph).conflicts(top=100_000))
        assert searches.whole == 0, write
        now = _truth_of_a_copy(store, tmp_path / f"copy-{number}")
        searches.whole = 0  # not counting the copy's
        assert list(top) == now[:3] and top.total == len(now), write
        assert every == now, write
        answers.append(now)
    assert len({tuple(answer) for answer in answers}) > 1  # the writes changed conflicts
