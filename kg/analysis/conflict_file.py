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
  `kg.analysis.conflict_memo` says, then written anew.

One answer is kept (the last question's jurisdiction, class, floor, date and choice of dead
rights). Conflicts are stored highest risk first in chunks of `CHUNK` (pickles of `ConflictPair`
with each one's nodes and holders), with a table of the chunks each holder appears in. Every
chunk and the file's head are signed with the user's key and read by the restricted unpickler
(`kg.analysis.signed_rows`), and the head names the size and digest of every chunk of its
answer (a chunk missing, or one of another answer the same user signed, is never mixed in):
a file anyone else wrote is never built, only ignored; another
version of tmkg (`signed_rows.code_key`) starts afresh; a file that is not this one is made
anew. The table of the chunks each holder appears in is an index, not signed: changed by
hand it can hide from a ``top`` question a conflict a proceeding would raise past the first,
as changing the store could. A write is one SQLite transaction that checks first that the
store is still in the state the answer was found in (a writer beside the reader may have
moved on).
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import threading
from collections.abc import Callable, Collection
from contextlib import suppress
from dataclasses import fields, replace
from pathlib import Path
from typing import TypeVar

from kg.analysis.conflict_memo import KeptConflicts
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
measured 2026-12-04), ~14 GB at 1M. `top` questions still read its first chunks in the
state it was found in."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (n INTEGER PRIMARY KEY, size INTEGER NOT NULL,
    data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS parties (party TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (party, n)) WITHOUT ROWID;
"""
_TABLES = {"state": ["name", "value"], "chunks": ["n", "size", "data"], "parties": ["party", "n"]}
_FILE = RowsFile(_SCHEMA, _TABLES)
_HEAD = "conflicts:head"
_ROWS = ("pairs", "nodes", "holders")
Row = tuple[ConflictPair, tuple[str, ...], tuple[str, ...]]
_Sealed = tuple[tuple[int, bytes], ...]
"""The size and BLAKE2b digest of each chunk of an answer, in order, kept in its signed head:
chunks of another answer (an older file's, signed by the same user) are not mixed in."""
_T = TypeVar("_T")
_SHARED = (PartyRef, MarkRef, SourceRef, Cited)
"""The values conflicts share, stored by their fields and built once when read back
(`signed_rows.Sharing`)."""


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
    another program's file) answers None, and the question is searched.
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
        found = self._read(lambda db: self._head(db, asked))
        return None if found is None else (found[0], sum(size for size, _ in found[1]))

    def load(self, asked: tuple[object, ...]) -> KeptConflicts | None:
        """The kept answer for the question `asked`, whole, in whichever state of the store
        it was found (its ``stamp``); None when there is none, or it cannot be read."""

        def read(db: sqlite3.Connection) -> KeptConflicts | None:
            found = self._head(db, asked)
            if found is None:
                return None
            head, sealed = found
            rows: list[Row] = []
            sharing = Sharing(_SHARED)
            for place, (n, data) in enumerate(db.execute("SELECT n, data FROM chunks ORDER BY n")):
                if n != place:
                    return None  # a chunk missing or repeated
                chunk = self._chunk(n, data, sealed, sharing)
                if chunk is None:
                    return None
                rows += chunk
            if len(rows) != sum(size for size, _ in sealed):
                return None  # a chunk missing
            return replace(
                head,
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
            found = self._head(db, asked)
            if found is None or found[0].stamp != stamp:
                return None
            sealed = found[1]
            wanted: set[int] = set()
            count = 0
            for n, (size, _) in enumerate(sealed):
                if count >= limit:
                    break
                wanted.add(n)
                count += size
            for batch in batches(sorted(named), 500):
                among = ",".join("?" * len(batch))
                query = f"SELECT DISTINCT n FROM parties WHERE party IN ({among})"
                wanted.update(n for (n,) in db.execute(query, batch) if n < len(sealed))
            pairs: list[ConflictPair] = []
            seen: set[int] = set()
            sharing = Sharing(_SHARED)
            for batch in batches(sorted(wanted), 500):
                among = ",".join("?" * len(batch))
                query = f"SELECT n, data FROM chunks WHERE n IN ({among}) ORDER BY n"
                for n, data in db.execute(query, batch):
                    chunk = self._chunk(n, data, sealed, sharing)
                    if chunk is None or n in seen:
                        return None  # not the answer's chunk, or one repeated
                    seen.add(n)
                    pairs += [
                        pair
                        for place, (pair, _, holders) in enumerate(chunk, start=n * CHUNK)
                        if place < limit or not named.isdisjoint(holders)
                    ]
            if len(seen) != len(wanted):
                return None  # a chunk missing
            return pairs, sum(size for size, _ in sealed)

        return None if stamp is None else self._read(read)

    # ------------------------------------------------------------ writing

    def save(self, kept: KeptConflicts, *, rows_of: KeptConflicts | None = None) -> None:
        """Keep `kept` (found in state ``kept.stamp``), if the store is still in that state.
        With `rows_of`, the answer the file holds whose conflicts `kept` has unchanged (the
        same tuple): only the head is written."""
        if self.read_only:
            return
        chunks: list[tuple[int, int, bytes]] = []
        sealed: list[tuple[int, bytes]] = []
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
                data = sharing.dumps(rows)
                chunks.append((n, len(rows), signed(self._key, f"conflicts:{n}", data)))
                sealed.append((len(rows), _digest(data)))
                members += [(party, n) for party in {h for row in rows for h in row[2]}]
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                with writing(db):
                    if self._stamp_of() != kept.stamp:
                        return  # written meanwhile: the answer is of a state gone
                    if same_rows:
                        held = self._head(db, kept.asked)
                        if held is None or held[0].stamp != rows_of.stamp:  # type: ignore[union-attr]
                            return  # the file holds other rows than those kept unchanged
                        sealed = list(held[1])
                    else:
                        db.execute("DELETE FROM chunks")
                        db.execute("DELETE FROM parties")
                        db.executemany("INSERT INTO chunks VALUES (?, ?, ?)", chunks)
                        db.executemany("INSERT INTO parties VALUES (?, ?)", members)
                    head = pickle.dumps(
                        (replace(kept, pairs=(), nodes=(), holders=()), tuple(sealed)),
                        protocol=pickle.HIGHEST_PROTOCOL,
                    )
                    db.execute("DELETE FROM state")
                    db.executemany(
                        "INSERT INTO state VALUES (?, ?)",
                        [
                            ("code", str(code_key())),
                            ("head", signed(self._key, _HEAD, head)),
                        ],
                    )
            except sqlite3.Error:
                return  # kept in memory still; the next process searches

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
            except (sqlite3.Error, pickle.UnpicklingError, *DECODING):
                return None

    def _head(
        self, db: sqlite3.Connection, asked: tuple[object, ...]
    ) -> tuple[KeptConflicts, _Sealed] | None:
        """(the answer's head for `asked`, the size and digest of each of its chunks, in
        order) if this user signed it; else None."""
        state = dict(db.execute("SELECT name, value FROM state").fetchall())
        if state.get("code") != str(code_key()):
            return None
        data = unsigned(self._key, _HEAD, state.get("head"))
        if data is None:
            return None
        found = restricted_loads(data)
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        head, sealed = found
        if not isinstance(head, KeptConflicts) or head.asked != asked:
            return None
        if not isinstance(head.stamp, str) or any(
            not isinstance(getattr(head, f.name), (tuple, frozenset, dict, str))
            for f in fields(head)
            if f.name != "asked"
        ):
            return None
        if not isinstance(sealed, tuple) or not all(
            isinstance(seal, tuple)
            and len(seal) == 2
            and isinstance(seal[0], int)
            and isinstance(seal[1], bytes)
            for seal in sealed
        ):
            return None
        return head, sealed

    def _chunk(
        self, n: int, data: object, sealed: _Sealed, sharing: Sharing
    ) -> list[Row] | None:
        """Chunk `n`'s conflicts, if this user signed it and it is the chunk the head
        names (its digest: not a chunk of another answer) holding what `save` writes; the
        values they share with the chunks `sharing` read before are built once."""
        found = unsigned(self._key, f"conflicts:{n}", data)
        if found is None or not 0 <= n < len(sealed) or _digest(found) != sealed[n][1]:
            return None
        rows = sharing.loads(found)
        if not isinstance(rows, tuple) or len(rows) != sealed[n][0] or not all(
            isinstance(row, tuple)
            and len(row) == 3
            and isinstance(row[0], ConflictPair)
            and isinstance(row[1], tuple)
            and isinstance(row[2], tuple)
            for row in rows
        ):
            return None
        return list(rows)

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None:
            opened = _FILE.open(self.path)
            if opened is None:
                return None
            self._db, self.read_only = opened
        return self._db


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
