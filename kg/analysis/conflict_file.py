"""The register's kept conflicts on disk, beside the store, for the processes that come after.

A register-wide conflicts answer (`kg.analysis.conflict_memo`) costs a whole search: ~25 s at
100,000 synthetic marks, ~10 min at a million. It is kept in memory for the next question in
the same process, and written to ``<store>.conflicts.sqlite`` so that the next process (`kg
conflicts` again, a server started later) reads it instead of searching again:

- asked the same in the same state of the store (its write token, `kg.store.write_stamp`),
  a question with ``top`` reads only the first conflicts and those of the parties a
  proceeding may raise (`ConflictFile.top`), not the register's millions;
- asked the same after writes (by any process: `OxigraphStore.touched_since` reads the journal
  of writes, `kg.store.write_journal`), the answer is read whole and brought up to date as
  `kg.analysis.conflict_memo` says, then written anew; one of more than `LOAD_MAX` conflicts
  is brought up to date in the file instead (`ConflictFile.bring_up`, for ``top``
  questions): what the writes may have changed is found from each chunk's keys (the nodes
  and holders of its conflicts, read without building them), the conflicts of the parties
  concerned are searched again and kept in chunks of their own beside the others (numbered
  from `DELTA_BASE`), and those parties' conflicts among the others are hidden; readers merge
  the two, highest risk first. A whole search writes the answer anew.

One answer is kept (the last question's jurisdiction, class, floor, date and choice of dead
rights). Conflicts are stored highest risk first in chunks of `CHUNK` (pickles of `ConflictPair`
with each one's nodes and holders, and those keys again apart), with a table of the chunks each
holder appears in. Every
chunk and the file's head are signed with the user's key and read by the restricted unpickler
(`kg.analysis.signed_rows`), and the head names the size and digest of every chunk of its
answer (a chunk missing, or one of another answer the same user signed, is never mixed in):
a file anyone else wrote is never built, only ignored; another
version of tmkg (`signed_rows.code_key`) starts afresh; a file that is not this one is made
anew. The table of the chunks each holder appears in is an index, not signed: changed by
hand it can hide from a ``top`` question a conflict a proceeding would raise past the first
(and miscount what a write hides: the total is then wrong, and the answer is not read whole),
as changing the store could. A write is one SQLite transaction that checks first that the
store is still in the state the answer was found in (a writer beside the reader may have
moved on).
"""

from __future__ import annotations

import hashlib
import heapq
import pickle
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TypeVar

from kg.analysis.conflict_memo import KeptConflicts, row_keys
from kg.analysis.conflicts import conflict_rank
from kg.analysis.model import Cited, ConflictPair, MarkRef, PartyRef, SourceRef
from kg.analysis.signed_rows import (
    DECODING,
    RowsFile,
    Sharing,
    code_key,
    restricted_loads,
    signed,
    unsigned,
    writing,
)
from kg.analysis.sparql_text import batches
from kg.errors import StoreError
from kg.store import beside_store

__all__ = ["CHUNK", "LOAD_MAX", "ConflictFile", "conflict_file_path_for"]

CHUNK = 512
"""Conflicts in one stored chunk: a ``top`` question reads the first few (pickled together,
the parties, marks, sources and statements they share are stored once: ~1.1 KB a conflict
with its nodes and holders, 58.8 MB for 55,511 conflicts at 100,000 synthetic marks)."""

LOAD_MAX = 1_000_000
"""Above this many conflicts a kept answer is not read whole (to answer the whole list, or to
bring it up to date): in memory a conflict read back costs ~3.9 KB with the values chunks
share built once (`_SHARED`; 5.8 KB without: 20 GB for the 3.6 million of 1M synthetic marks,
measured 2026-12-04), ~14 GB at 1M. `top` questions read its first chunks, and after writes
bring it up to date in the file (`ConflictFile.bring_up`)."""

DELTA_BASE = 1 << 40
"""The chunks of the conflicts searched again after writes (`ConflictFile.bring_up`) are
numbered from here; those of the answer as a whole search found it, from 0."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (n INTEGER PRIMARY KEY, size INTEGER NOT NULL,
    data BLOB NOT NULL, keys BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS parties (party TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (party, n)) WITHOUT ROWID;
"""
_TABLES = {
    "state": ["name", "value"],
    "chunks": ["n", "size", "data", "keys"],
    "parties": ["party", "n"],
}
_FILE = RowsFile(_SCHEMA, _TABLES)
_HEAD = "conflicts:head"
_ROWS = ("pairs", "nodes", "holders")
Row = tuple[ConflictPair, tuple[str, ...], tuple[str, ...]]
Keys = tuple[tuple[str, ...], tuple[str, ...]]
_Seal = tuple[int, bytes, bytes]
_Sealed = tuple[_Seal, ...]
"""The size and the BLAKE2b digests of the conflicts and of the keys of each chunk of an
answer, in order, kept in its signed head: chunks of another answer (an older file's, signed
by the same user) are not mixed in."""
_T = TypeVar("_T")
_SHARED = (PartyRef, MarkRef, SourceRef, Cited)
"""The values conflicts share, stored by their fields and built once when read back
(`signed_rows.Sharing`)."""


class _Damaged(Exception):
    """A chunk missing, not signed by this user, or not the one the head names."""


@dataclass(frozen=True)
class _Answer:
    """A kept answer as the file holds it: its `head` (no conflicts), the chunks a whole
    search wrote (`main`), the chunks of the conflicts searched again after writes since
    (`delta`, numbered from `DELTA_BASE`), the parties whose conflicts in `main` those
    replace (`dropped`) and how many conflicts of `main` that hides (`hidden`)."""

    head: KeptConflicts
    main: _Sealed
    delta: _Sealed = ()
    dropped: frozenset[str] = frozenset()
    hidden: int = 0

    @property
    def total(self) -> int:
        """How many conflicts the answer holds."""
        return sum(seal[0] for seal in (*self.main, *self.delta)) - self.hidden

    def chunks(self, part: str) -> list[tuple[int, _Seal]]:
        """(number, seal) of each chunk of ``main`` or ``delta``, in order."""
        base, seals = (0, self.main) if part == "main" else (DELTA_BASE, self.delta)
        return [(base + place, seal) for place, seal in enumerate(seals)]

    def shown(self, part: str, holders: tuple[str, ...]) -> bool:
        """Whether a conflict of `part` with these holders is in the answer."""
        return part == "delta" or self.dropped.isdisjoint(holders)


def conflict_file_path_for(location: str) -> Path | None:
    """``<store>.conflicts.sqlite`` beside an on-disk store; None for memory or a URL.

    >>> conflict_file_path_for("/data/tmkg/store")
    PosixPath('/data/tmkg/store.conflicts.sqlite')
    """
    return beside_store(location, ".conflicts.sqlite")


class ConflictFile:
    """The kept conflicts answer of one on-disk store (see the module docstring).

    `stamp_of` reads the store's write token as it is on disk now (None during a write); an
    answer is written only while the store is in the state it was found in. Nothing here
    raises for the file: one that cannot be read or written (a read-only folder, a full disk,
    another program's file) answers None (or False), and the question is searched.
    """

    def __init__(self, path: Path, stamp_of: Callable[[], str | None], *, key: bytes) -> None:
        self.path = path
        self._stamp_of = stamp_of
        self._key = key
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.read_only = False

    # ------------------------------------------------------------ reading

    def head(self, asked: tuple[object, ...]) -> tuple[KeptConflicts, int] | None:
        """The kept answer's head for the question `asked` (its stamp, cases, evidence...;
        no conflicts: ``pairs``, ``nodes`` and ``holders`` empty) and how many conflicts it
        holds, or None."""
        found = self._read(lambda db: self._answer(db, asked))
        return None if found is None else (found.head, found.total)

    def load(self, asked: tuple[object, ...]) -> KeptConflicts | None:
        """The kept answer for the question `asked`, whole, in whichever state of the store
        it was found (its ``stamp``); None when there is none, or it cannot be read."""

        def read(db: sqlite3.Connection) -> KeptConflicts | None:
            answer = self._answer(db, asked)
            if answer is None:
                return None
            sharing = Sharing(_SHARED)
            parts = [
                [
                    row
                    for n, seal in answer.chunks(part)
                    for row in self._rows(db, n, seal, sharing)
                    if answer.shown(part, row[2])
                ]
                for part in ("main", "delta")
            ]
            rows = list(heapq.merge(*parts, key=_row_rank))
            if len(rows) != answer.total:
                return None  # the hidden count does not hold
            return replace(
                answer.head,
                pairs=tuple(row[0] for row in rows),
                nodes=tuple(row[1] for row in rows),
                holders=tuple(row[2] for row in rows),
            )

        return self._read(read)

    def top(
        self, asked: tuple[object, ...], stamp: str | None, limit: int, parties: Collection[str]
    ) -> tuple[list[ConflictPair], int] | None:
        """For the question `asked` in state `stamp`: the first `limit` conflicts with every
        conflict one of `parties` holds a side of (highest risk first), and how many
        conflicts there are in all; None when the file holds no answer to that question in
        that state."""
        named = set(parties)

        def read(db: sqlite3.Connection) -> tuple[list[ConflictPair], int] | None:
            answer = self._answer(db, asked)
            if answer is None or answer.head.stamp != stamp:
                return None
            theirs = self._chunks_of(db, named)
            sharing = Sharing(_SHARED)
            parts: list[list[Row]] = []
            for part in ("main", "delta"):
                taken: list[Row] = []
                first = 0  # the part's conflicts taken as its first `limit`
                for n, seal in answer.chunks(part):
                    if first >= limit and n not in theirs:
                        continue
                    for row in self._rows(db, n, seal, sharing):
                        if not answer.shown(part, row[2]):
                            continue
                        if first < limit:
                            first += 1
                            taken.append(row)
                        elif not named.isdisjoint(row[2]):
                            taken.append(row)
                parts.append(taken)
            pairs = [row[0] for row in heapq.merge(*parts, key=_row_rank)]
            return pairs, answer.total

        return None if stamp is None else self._read(read)

    def stream(
        self, asked: tuple[object, ...], stamp: str | None
    ) -> tuple[int, Iterator[ConflictPair]] | None:
        """For the question `asked` in state `stamp`: how many conflicts the kept answer
        holds, and those conflicts, highest risk first, read a chunk at a time (memory for a
        chunk, not a register's millions: each chunk's parties and marks built anew) in one
        read transaction, this file's lock held until the iterator ends or is closed; None
        when the file holds no answer to that question in that state. The iterator raises
        `kg.errors.StoreError` when a chunk turns out damaged or the answer changed part-way
        (the file is then emptied, so the next question is searched)."""
        found = self.head(asked)
        if stamp is None or found is None or found[0].stamp != stamp:
            return None
        return found[1], self._streamed(asked, stamp)

    def _streamed(self, asked: tuple[object, ...], stamp: str) -> Iterator[ConflictPair]:
        failed: Exception | None = None
        with self._lock:
            db = self._connect()
            if db is None:
                failed = _Damaged("the file could not be opened again")
            else:
                db.execute("BEGIN")
                try:
                    answer = self._answer(db, asked)
                    if answer is None or answer.head.stamp != stamp:
                        raise _Damaged("another answer was kept meanwhile")
                    parts = [self._part(db, answer, part) for part in ("main", "delta")]
                    count = 0
                    for row in heapq.merge(*parts, key=_row_rank):
                        count += 1
                        yield row[0]
                    if count != answer.total:
                        raise _Damaged(f"{count} conflicts read of the {answer.total} it names")
                except (sqlite3.Error, _Damaged, *DECODING) as error:
                    failed = error
                finally:
                    with suppress(sqlite3.Error):
                        db.execute("COMMIT")
        if failed is not None:
            self.clear()
            raise StoreError(
                f"the conflicts kept beside the store ({self.path}) could not be read to the "
                f"end: {failed}",
                suggestion="ask again: the register is searched anew (the file was emptied)",
            )

    def _part(self, db: sqlite3.Connection, answer: _Answer, part: str) -> Iterator[Row]:
        """The rows of `answer`'s `part` ("main", "delta") in the answer, a chunk at a time."""
        for n, seal in answer.chunks(part):
            for row in self._rows(db, n, seal, Sharing(_SHARED)):
                if answer.shown(part, row[2]):
                    yield row

    def holders_naming(
        self, asked: tuple[object, ...], stamp: str, nodes: Collection[str]
    ) -> set[str] | None:
        """The holders of every conflict of the answer to `asked` kept in state `stamp` that
        names one of `nodes` (its marks, an IRI of a holder, a graph it cites: `row_keys`),
        read from the chunks' keys, not their conflicts; None when no such answer is kept."""
        probe = set(nodes)

        def read(db: sqlite3.Connection) -> set[str] | None:
            answer = self._answer(db, asked)
            if answer is None or answer.head.stamp != stamp:
                return None
            found: set[str] = set()
            if not probe:
                return found
            for part in ("main", "delta"):
                for n, seal in answer.chunks(part):
                    for row_nodes, holders in self._keys(db, n, seal):
                        if answer.shown(part, holders) and not probe.isdisjoint(row_nodes):
                            found.update(holders)
            return found

        return self._read(read)

    # ------------------------------------------------------------ writing

    def save(self, kept: KeptConflicts, *, rows_of: KeptConflicts | None = None) -> None:
        """Keep `kept` (found in state ``kept.stamp``), if the store is still in that state.
        With `rows_of`, the answer the file holds whose conflicts `kept` has unchanged (the
        same tuple): only the head is written."""
        if self.read_only:
            return
        chunks: list[tuple[int, int, bytes, bytes]] = []
        sealed: list[_Seal] = []
        members: list[tuple[str, int]] = []
        same_rows = rows_of is not None and all(
            getattr(rows_of, name) is getattr(kept, name) for name in _ROWS
        )
        if not same_rows:
            sharing = Sharing(_SHARED)
            for n, start in enumerate(range(0, len(kept.pairs), CHUNK)):
                end = start + CHUNK
                rows = tuple(zip(kept.pairs[start:end], kept.nodes[start:end],
                                 kept.holders[start:end], strict=True))  # fmt: skip
                self._chunk_out(n, rows, sharing, chunks, sealed, members)
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                with writing(db):
                    if self._stamp_of() != kept.stamp:
                        return  # written meanwhile: the answer is of a state gone
                    if same_rows:
                        held = self._answer(db, kept.asked)
                        if held is None or held.head.stamp != rows_of.stamp:  # type: ignore[union-attr]
                            return  # the file holds other rows than those kept unchanged
                        answer = replace(held, head=kept)
                    else:
                        db.execute("DELETE FROM chunks")
                        db.execute("DELETE FROM parties")
                        db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)", chunks)
                        db.executemany("INSERT INTO parties VALUES (?, ?)", members)
                        answer = _Answer(kept, tuple(sealed))
                    self._write_head(db, answer)
            except (sqlite3.Error, _Damaged):
                return  # kept in memory still; the next process searches

    def bring_up(
        self,
        head: KeptConflicts,
        was: str,
        parties: Collection[str],
        fresh: Sequence[ConflictPair],
    ) -> bool:
        """Bring the answer kept in state `was` to the state of `head` (its ``stamp``: the
        store's now) without reading it whole: the conflicts any of `parties` holds a side of
        are hidden, and `fresh` (their conflicts searched again, highest risk first) kept
        beside them, the conflicts kept before first on a tie, as
        `kg.analysis.conflict_memo.brought_up` orders them. Reads the keys of every chunk
        (to count what it hides) and the conflicts searched again before; writes only
        those. False when the file holds no answer in state `was`, the store has moved on,
        or the file cannot be read or written."""
        if self.read_only:
            return False
        wanted = frozenset(parties)
        with self._lock:
            db = self._connect()
            if db is None:
                return False
            try:
                with writing(db):
                    if self._stamp_of() != head.stamp:
                        return False
                    answer = self._answer(db, head.asked)
                    if answer is None or answer.head.stamp != was:
                        return False
                    theirs = self._chunks_of(db, wanted)  # only those chunks hold theirs
                    hidden = answer.hidden + sum(
                        1
                        for n, seal in answer.chunks("main")
                        if n in theirs
                        for _, holders in self._keys(db, n, seal)
                        if answer.shown("main", holders) and not wanted.isdisjoint(holders)
                    )
                    sharing = Sharing(_SHARED)
                    before = [
                        row
                        for n, seal in answer.chunks("delta")
                        for row in self._rows(db, n, seal, sharing)
                        if wanted.isdisjoint(row[2])
                    ]
                    searched = [(pair, *row_keys(pair)) for pair in fresh]
                    rows = list(heapq.merge(before, searched, key=_row_rank))
                    chunks: list[tuple[int, int, bytes, bytes]] = []
                    sealed: list[_Seal] = []
                    members: list[tuple[str, int]] = []
                    for place, start in enumerate(range(0, len(rows), CHUNK)):
                        chunk = tuple(rows[start : start + CHUNK])
                        n = DELTA_BASE + place
                        self._chunk_out(n, chunk, sharing, chunks, sealed, members)
                    db.execute("DELETE FROM chunks WHERE n >= ?", (DELTA_BASE,))
                    db.execute("DELETE FROM parties WHERE n >= ?", (DELTA_BASE,))
                    db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)", chunks)
                    db.executemany("INSERT INTO parties VALUES (?, ?)", members)
                    dropped = answer.dropped | wanted
                    self._write_head(db, _Answer(head, answer.main, tuple(sealed), dropped, hidden))
                    return True
            except (sqlite3.Error, _Damaged, *DECODING):
                return False

    def clear(self) -> None:
        """Keep no answer."""
        with self._lock:
            db = None if self.read_only or not self.path.exists() else self._connect()
            if db is not None:
                with suppress(sqlite3.Error), writing(db):
                    for table in _TABLES:
                        db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ------------------------------------------------------------ plumbing

    def _read(self, read: Callable[[sqlite3.Connection], _T | None]) -> _T | None:
        """`read` of the file in one read transaction (the head and the chunks of one
        answer); None when the file cannot be read (nothing kept: the question is searched,
        and the answer it keeps replaces the file's)."""
        with self._lock:
            if not self.path.exists():
                return None
            db = self._connect()
            if db is None:
                return None
            try:
                db.execute("BEGIN")
                try:
                    return read(db)
                finally:
                    db.execute("COMMIT")
            except (sqlite3.Error, pickle.UnpicklingError, _Damaged, *DECODING):
                return None

    def _answer(self, db: sqlite3.Connection, asked: tuple[object, ...]) -> _Answer | None:
        """The answer the file holds for `asked`, if this user signed its head; else None."""
        state = dict(db.execute("SELECT name, value FROM state").fetchall())
        if state.get("code") != str(code_key()):
            return None
        data = unsigned(self._key, _HEAD, state.get("head"))
        if data is None:
            return None
        found = restricted_loads(data)
        if not (isinstance(found, tuple) and len(found) == 5):
            return None
        head, main, delta, dropped, hidden = found
        if not isinstance(head, KeptConflicts) or head.asked != asked:
            return None
        if not isinstance(head.stamp, str) or any(
            not isinstance(getattr(head, f.name), (tuple, frozenset, dict, str))
            for f in fields(head)
            if f.name != "asked"
        ):
            return None
        if not (
            _sealed(main)
            and _sealed(delta)
            and isinstance(dropped, frozenset)
            and all(isinstance(party, str) for party in dropped)
            and type(hidden) is int
            and 0 <= hidden <= sum(seal[0] for seal in main)
        ):
            return None
        return _Answer(head, main, delta, dropped, hidden)

    def _write_head(self, db: sqlite3.Connection, answer: _Answer) -> None:
        head = replace(answer.head, pairs=(), nodes=(), holders=())
        data = pickle.dumps(
            (head, answer.main, answer.delta, answer.dropped, answer.hidden),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        db.execute("DELETE FROM state")
        db.executemany(
            "INSERT INTO state VALUES (?, ?)",
            [("code", str(code_key())), ("head", signed(self._key, _HEAD, data))],
        )

    def _chunk_out(
        self,
        n: int,
        rows: tuple[Row, ...],
        sharing: Sharing,
        chunks: list[tuple[int, int, bytes, bytes]],
        sealed: list[_Seal],
        members: list[tuple[str, int]],
    ) -> None:
        """Chunk `n` of `rows` signed, added to `chunks`, its seal to `sealed` and its
        holders to `members`."""
        data = sharing.dumps(rows)
        keys = pickle.dumps(tuple((row[1], row[2]) for row in rows), pickle.HIGHEST_PROTOCOL)
        chunks.append(
            (n, len(rows), signed(self._key, f"conflicts:{n}", data),
             signed(self._key, f"keys:{n}", keys))
        )  # fmt: skip
        sealed.append((len(rows), _digest(data), _digest(keys)))
        members += [(party, n) for party in {h for row in rows for h in row[2]}]

    def _chunks_of(self, db: sqlite3.Connection, parties: Collection[str]) -> set[int]:
        """The chunks holding a conflict one of `parties` holds a side of (the table of the
        chunks each holder appears in)."""
        found: set[int] = set()
        for batch in batches(sorted(parties), 500):
            among = ",".join("?" * len(batch))
            query = f"SELECT DISTINCT n FROM parties WHERE party IN ({among})"
            found.update(n for (n,) in db.execute(query, batch))
        return found

    def _fetch(self, db: sqlite3.Connection, n: int, column: str) -> bytes:
        found = db.execute(f"SELECT {column} FROM chunks WHERE n = ?", (n,)).fetchone()
        if found is None:
            raise _Damaged(f"chunk {n} missing")
        return found[0]  # type: ignore[no-any-return]

    def _rows(self, db: sqlite3.Connection, n: int, seal: _Seal, sharing: Sharing) -> list[Row]:
        """Chunk `n`'s conflicts, if this user signed it and it is the chunk the head
        names (its digest: not a chunk of another answer) holding what `save` writes; the
        values they share with the chunks `sharing` read before are built once. Raises
        `_Damaged` otherwise."""
        found = unsigned(self._key, f"conflicts:{n}", self._fetch(db, n, "data"))
        if found is None or _digest(found) != seal[1]:
            raise _Damaged(f"chunk {n} is not this answer's")
        rows = sharing.loads(found)
        if (
            not isinstance(rows, tuple)
            or len(rows) != seal[0]
            or not all(
                isinstance(row, tuple)
                and len(row) == 3
                and isinstance(row[0], ConflictPair)
                and _strings(row[1])
                and _strings(row[2])
                for row in rows
            )
        ):
            raise _Damaged(f"chunk {n} holds no conflicts")
        return list(rows)

    def _keys(self, db: sqlite3.Connection, n: int, seal: _Seal) -> list[Keys]:
        """The nodes and holders of chunk `n`'s conflicts (`row_keys`), checked as `_rows`
        checks its conflicts; read without building them."""
        found = unsigned(self._key, f"keys:{n}", self._fetch(db, n, "keys"))
        if found is None or _digest(found) != seal[2]:
            raise _Damaged(f"the keys of chunk {n} are not this answer's")
        keys = restricted_loads(found)
        if (
            not isinstance(keys, tuple)
            or len(keys) != seal[0]
            or not all(
                isinstance(key, tuple) and len(key) == 2 and _strings(key[0]) and _strings(key[1])
                for key in keys
            )
        ):
            raise _Damaged(f"the keys of chunk {n} are not keys")
        return list(keys)

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None:
            opened = _FILE.open(self.path)
            if opened is None:
                return None
            self._db, self.read_only = opened
        return self._db


def _row_rank(row: Row) -> tuple:
    return conflict_rank(row[0])


def _strings(value: object) -> bool:
    return type(value) is tuple and all(type(item) is str for item in value)


def _sealed(value: object) -> bool:
    """Whether `value` is a tuple of seals: (size, digest of conflicts, digest of keys)."""
    return isinstance(value, tuple) and all(
        isinstance(seal, tuple)
        and len(seal) == 3
        and type(seal[0]) is int
        and seal[0] >= 0
        and isinstance(seal[1], bytes)
        and isinstance(seal[2], bytes)
        for seal in value
    )


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
