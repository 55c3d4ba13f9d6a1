"""What each write of an on-disk store touched, kept beside it for the next process.

A cache computed from one state of a store (the holdings projection, the register's kept
conflicts) is brought up to a later state by looking at what the writes between the two
touched (`kg.store.touched.Touched`), not dropped whole. A process knows what its own writes
touched; this journal, ``<store>.journal.sqlite`` beside the store's folder, tells the
processes that come after: each write by a tmkg writer appends (the write token before it,
its own token, what it touched) as it ends, before its token is marked finished
(`kg.store.write_stamp`). `OxigraphStore.touched_since` follows the chain of entries from a
cache's token to the store's: a link missing (a write that did not finish and left its token
pending, which the next writer replaces by a token of its own; a write by a program other
than tmkg, after which ``<store>.writes`` is removed; an entry pruned) makes it not known, and
the cache is dropped whole as before.

It keeps the last `MAX_WRITES` writes and at most `Touched.MAX_TERMS` nodes in all (a write
that did not say what it touched, or touched more, is kept as not known). Entries are JSON
(compressed), never code: a file that is not a journal is set aside and made anew. Whoever
may write beside the store may write the store itself, so an entry is trusted as the store
is.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from contextlib import closing, suppress
from pathlib import Path

from kg.store import beside_folder, regular_or_missing
from kg.store.touched import Touched

__all__ = ["MAX_WRITES", "WriteJournal", "journal_path_for"]

MAX_WRITES = 64
"""Writes the journal keeps: a cache more writes behind is dropped whole."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS writes (
    seq INTEGER PRIMARY KEY,
    before TEXT,
    after TEXT NOT NULL,
    terms INTEGER NOT NULL,
    touched BLOB
);
"""
_BUSY_MS = 2_000
_MAX_ENTRY_BYTES = 512 * 1024 * 1024
"""An entry's JSON at most (`Touched.MAX_TERMS` nodes of ~100 bytes, each subject named again
under its predicates: ~150 MB)."""


def journal_path_for(store_path: Path) -> Path:
    """``<store>.journal.sqlite``, beside the store's folder.

    >>> journal_path_for(Path("/data/tmkg/store"))
    PosixPath('/data/tmkg/store.journal.sqlite')
    """
    return beside_folder(store_path, ".journal.sqlite")


class WriteJournal:
    """The journal of an on-disk store's writes (see the module docstring).

    Only the holder of the store's writer lock calls `append`; anyone may call `since`.
    Neither raises: a journal that cannot be read or written tells nothing (`since` gives a
    `Touched` not known), which only costs a cache its rows.
    """

    def __init__(self, store_path: Path) -> None:
        self.path = journal_path_for(store_path)

    def append(self, before: str | None, after: str, touched: Touched) -> None:
        """Record that the write from token `before` to token `after` touched `touched`,
        dropping the oldest entries past `MAX_WRITES` writes or `Touched.MAX_TERMS` nodes."""
        data = zlib.compress(_encode(touched), 1) if touched.known else None
        terms = len(touched.terms) if touched.known else 0
        for _ in range(2):  # a file that is not a journal is set aside, and the entry kept
            try:
                self._append(before, after, terms, data)
                return
            except (sqlite3.Error, OSError):
                self._set_aside()

    def _append(self, before: str | None, after: str, terms: int, data: bytes | None) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO writes (before, after, terms, touched) VALUES (?, ?, ?, ?)",
                (before, after, terms, data),
            )
            rows = db.execute("SELECT seq, terms FROM writes ORDER BY seq DESC").fetchall()
            held, keep = 0, 0
            for count, (_, size) in enumerate(rows, start=1):
                if count > MAX_WRITES or (count > 1 and held + size > Touched.MAX_TERMS):
                    break
                held += size
                keep = count
            if keep < len(rows):
                db.execute("DELETE FROM writes WHERE seq <= ?", (rows[keep][0],))

    def since(self, token: str, current: str) -> Touched:
        """What the writes from the store's state `token` to its state `current` touched;
        not known when the chain of entries between the two is broken or any entry on it is
        not known."""
        if token == current:
            return Touched()
        try:
            if not self.path.exists():
                return Touched.unknown()
            with closing(self._connect()) as db:
                query = "SELECT before, after, touched FROM writes ORDER BY seq"
                rows = db.execute(query).fetchall()
        except (sqlite3.Error, OSError):
            return Touched.unknown()
        starts = [i for i, (before, _, _) in enumerate(rows) if before == token]
        if not starts:
            return Touched.unknown()
        touched, expected = Touched(), token
        for before, after, data in rows[starts[-1] :]:
            if before != expected or data is None:
                return Touched.unknown()
            try:
                touched.update(_decode(_inflated(data)))
            except (zlib.error, ValueError, TypeError, KeyError, AttributeError):
                return Touched.unknown()
            expected = after
            if expected == current:
                return touched
        return Touched.unknown()

    def _connect(self) -> sqlite3.Connection:
        if not regular_or_missing(self.path):  # a FIFO would block the opening for ever
            raise sqlite3.DatabaseError(f"{self.path} is no regular file")
        db = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a lost entry breaks the chain: safe
            db.executescript(_SCHEMA)
            db.isolation_level = ""  # `with db` commits
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        """A file that is not a journal (or cannot be written) tells nothing from now on."""
        for suffix in ("", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()


def _inflated(data: bytes) -> bytes:
    """`data` decompressed; raises ValueError past `_MAX_ENTRY_BYTES` (not an entry tmkg
    writes: its nodes are at most `Touched.MAX_TERMS`)."""
    inflater = zlib.decompressobj()
    found = inflater.decompress(data, _MAX_ENTRY_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("an entry larger than any tmkg writes")
    return found


def _encode(touched: Touched) -> bytes:
    return json.dumps(
        {
            "terms": sorted(touched.terms),
            "predicates": {p: sorted(s) for p, s in touched.predicates.items()},
            "graphs": sorted(touched.graphs),
            "typed": {c: sorted(n) for c, n in touched.typed.items()},
            "blank": touched.blank,
        },
        separators=(",", ":"),
    ).encode("utf-8")


def _decode(data: bytes) -> Touched:
    """A `Touched` from `_encode`'s JSON; raises ValueError for anything else."""
    told = json.loads(data)
    if not isinstance(told, dict):
        raise ValueError("not a journal entry")
    touched = Touched()
    touched.terms = _strings(told["terms"])
    touched.graphs = _strings(told["graphs"])
    touched.predicates = {p: _strings(s) for p, s in _mapping(told["predicates"]).items()}
    touched.typed = {c: _strings(n) for c, n in _mapping(told["typed"]).items()}
    blank = told.get("blank", False)  # an entry of a tmkg before 2026-12-06 has none
    if not isinstance(blank, bool):
        raise ValueError("not a flag")
    touched.blank = blank
    return touched


def _mapping(values: object) -> dict[str, object]:
    if not isinstance(values, dict):
        raise ValueError("not an object")
    return values


def _strings(values: object) -> set[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError("not a list of strings")
    return set(values)
