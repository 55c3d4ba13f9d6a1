"""The journal of an on-disk store's writes (`kg.store.write_journal`): what the writes of
one process touched, told to the processes after it by `OxigraphStore.touched_since`; and
nothing told (`Touched.known` False) wherever the chain of writes is broken or the file is
not a journal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.oxigraph import OxigraphStore
from kg.store.write_journal import MAX_WRITES, journal_path_for
from kg.store.write_stamp import stamp_path_for
from tests.conftest import run_kg

EX = "https://example.org/"


def _quad(subject: str, value: str = "x", graph: str = "g") -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(EX + subject),
        ox.NamedNode(EX + "p"),
        ox.Literal(value),
        ox.NamedNode(EX + graph),
    )


def _write(path: Path, *quads: ox.Quad) -> tuple[str, str]:
    """Add `quads` in a handle of its own (as another process would): the store's token
    before and after."""
    store = OxigraphStore(path)
    try:
        before = store.write_stamp
        store.add(list(quads))
        after = store.write_stamp
    finally:
        store.close()
    assert before is not None and after is not None and before != after
    return before, after


def _told(path: Path, token: str) -> tuple[bool, set[str]]:
    store = OxigraphStore(path, read_only=True)
    try:
        touched = store.touched_since(token)
    finally:
        store.close()
    return touched.known, touched.terms


def test_the_next_process_is_told_what_the_writes_before_it_touched(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first, _ = _write(path, _quad("a"))
    _, second = _write(path, _quad("b"), _quad("c", graph="h"))
    _write(path, _quad("d"))
    assert _told(path, first) == (True, {EX + "a", EX + "b", EX + "c", EX + "d"})
    assert _told(path, second) == (True, {EX + "d"})
    store = OxigraphStore(path)  # a writer is told too, and what it predicates and graphs
    try:
        touched = store.touched_since(second)
        assert touched.predicates == {EX + "p": {EX + "d"}}
        assert touched.graphs == {EX + "g"}
    finally:
        store.close()


def test_the_next_process_is_told_a_blank_node_was_written(tmp_path: Path) -> None:
    """A blank node's id may read as an IRI (``_:urn:m1`` is told as ``urn:m1``): the next
    process is told one was written (`Touched.blank`), as the writing process is; an entry
    of an older tmkg, without the flag, says none was."""
    path = tmp_path / "store"
    first, _ = _write(path, _quad("a"))
    _, second = _write(
        path, ox.Quad(ox.BlankNode("urn:m1"), ox.NamedNode(EX + "p"), ox.Literal("x"))
    )
    _write(path, _quad("d"))
    store = OxigraphStore(path, read_only=True)
    try:
        assert store.touched_since(first).blank is True
        assert store.touched_since(first).terms == {EX + "a", "urn:m1", EX + "d"}
        assert store.touched_since(second).blank is False
    finally:
        store.close()


def test_kg_load_in_another_process_is_told(tmp_path: Path) -> None:
    path = tmp_path / "store"
    before, _ = _write(path, _quad("a"))
    _, token = _write(path, _quad("b"))
    more = tmp_path / "more.nq"
    more.write_text(f"{_quad('loaded')} .\n{_quad('also', graph='h')} .\n", encoding="utf-8")
    result = run_kg("--store", str(path), "load", str(more))
    assert result.returncode == 0, result.stderr
    known, terms = _told(path, token)
    assert known and {EX + "loaded", EX + "also"} <= terms and EX + "a" not in terms
    assert _told(path, before)[1] >= {EX + "b", EX + "loaded"}


def test_a_write_that_does_not_say_what_it_touched_breaks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    store = OxigraphStore(path)
    try:
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}u> <{EX}p> 1 }} }}")
    finally:
        store.close()
    _, after = _write(path, _quad("b"))
    assert _told(path, token)[0] is False
    assert _told(path, after) == (True, set())


def test_a_write_that_did_not_finish_breaks_the_chain(tmp_path: Path) -> None:
    """A write left pending (a crash) gets a new token from the next writer: no entry leads
    to it, so nothing is told across it."""
    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    _, last = _write(path, _quad("b"))
    stamp_path_for(path).write_text("pending 0123\n", encoding="ascii")
    _write(path, _quad("c"))
    assert _told(path, token)[0] is False
    assert _told(path, last)[0] is False


def test_the_journal_keeps_the_last_writes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    tokens = []
    try:
        for n in range(MAX_WRITES + 3):
            tokens.append(store.write_stamp)
            store.add([_quad(f"s{n}")])
    finally:
        store.close()
    assert _told(path, tokens[0])[0] is False  # pruned
    assert _told(path, tokens[3]) == (True, {EX + f"s{n}" for n in range(3, MAX_WRITES + 3)})
    with sqlite3.connect(journal_path_for(path)) as db:
        assert db.execute("SELECT COUNT(*) FROM writes").fetchone()[0] == MAX_WRITES


@pytest.mark.parametrize(
    "damage",
    [
        "not sqlite at all",
        "CREATE TABLE writes (seq INTEGER)",  # another schema
        "UPDATE writes SET touched = x'00ff'",  # not compressed
        "UPDATE writes SET touched = zeroblob(8)",
    ],
)
def test_a_file_that_is_not_a_journal_tells_nothing_and_is_made_anew(
    damage: str, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    journal = journal_path_for(path)
    if damage.startswith(("CREATE", "UPDATE")):
        if damage.startswith("CREATE"):
            journal.unlink()
            for suffix in ("-wal", "-shm"):
                Path(f"{journal}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(journal) as db:
            db.execute(damage)
    else:
        journal.write_text(damage, encoding="utf-8")
        for suffix in ("-wal", "-shm"):
            Path(f"{journal}{suffix}").unlink(missing_ok=True)
    store = OxigraphStore(path)
    try:
        current = store.write_stamp
        assert store.touched_since(token).known is False
        assert current is not None
        store.add([_quad("b")])  # the writer goes on; the journal starts again where it can
    finally:
        store.close()
    if not damage.startswith("UPDATE"):
        assert _told(path, current) == (True, {EX + "b"})


@pytest.mark.parametrize(
    "entry",
    [
        b"[1, 2]",
        b'{"terms": "a", "graphs": [], "predicates": {}, "typed": {}}',
        b'{"terms": [1], "graphs": [], "predicates": {}, "typed": {}}',
        b'{"graphs": [], "predicates": {}, "typed": {}}',
        b'{"terms": [], "graphs": [], "predicates": [], "typed": {}}',
        b'{"terms": [], "graphs": [], "predicates": {}, "typed": {}, "blank": "yes"}',
        b"\xff\xfe",
    ],
)
def test_an_entry_that_is_not_what_tmkg_writes_tells_nothing(entry: bytes, tmp_path: Path) -> None:
    import zlib

    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    _write(path, _quad("b"))
    with sqlite3.connect(journal_path_for(path)) as db:
        db.execute("UPDATE writes SET touched = ?", (zlib.compress(entry),))
    assert _told(path, token)[0] is False


def test_an_entry_larger_than_any_tmkg_writes_is_not_inflated(tmp_path: Path) -> None:
    """A zlib bomb among the entries: refused past the largest entry tmkg writes."""
    import zlib

    from kg.store import write_journal

    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    _write(path, _quad("b"))
    bomb = zlib.compress(b" " * (8 * 1024 * 1024), 9)
    with sqlite3.connect(journal_path_for(path)) as db:
        db.execute("UPDATE writes SET touched = ?", (bomb,))
    original = write_journal._MAX_ENTRY_BYTES
    write_journal._MAX_ENTRY_BYTES = 1024 * 1024
    try:
        assert _told(path, token)[0] is False
    finally:
        write_journal._MAX_ENTRY_BYTES = original


def test_a_fifo_where_the_journal_goes_blocks_nothing(tmp_path: Path) -> None:
    import os

    path = tmp_path / "store"
    token, _ = _write(path, _quad("a"))
    journal = journal_path_for(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{journal}{suffix}").unlink(missing_ok=True)
    os.mkfifo(journal)
    assert _told(path, token)[0] is False  # read: not opened
    _, after = _write(path, _quad("b"))  # written: set aside and made anew
    _write(path, _quad("c"))
    assert _told(path, after) == (True, {EX + "c"})
