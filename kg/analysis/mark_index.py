"""The mark index: blocking keys -> marks, kept in SQLite beside the store.

Finding the marks similar to a text must not compare it with every mark, so each mark is
indexed under its blocking keys (`kg.analysis.similarity.blocking_keys`); a query looks up
the text's keys and compares only the marks found. Computing keys costs ~50 µs a mark, a
minute for a million, so the index is kept on disk (``<store>.marks.sqlite`` beside an
on-disk store; in memory otherwise) and brought up to date incrementally: `sync` computes
keys only for marks that are new or whose text changed, and drops removed ones.

The index grows linearly with the marks' lengths (`blocking_keys`), also for marks longer
than `kg.analysis.similarity.MAX_MARK_LENGTH` that a store held before that limit. An index
written by an older tmkg whose keys grew with the square of the length (a 20,000-letter mark
took 810 MB) has those marks re-keyed when it is opened (``PRAGMA user_version``), and so do
marks keyed on their whole text before keys were taken from the verbal element (a figure's
placeholder such as ``設計圖`` has no keys, ``ACME & Design`` those of ``ACME``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from kg.analysis.similarity import DELETION_MAX_LENGTH, blocking_keys
from kg.analysis.verbal import verbal_element

__all__ = ["MarkIndex", "index_path_for"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (iri TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (key TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (key, iri))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_by_iri ON keys (iri);
"""
_CHUNK = 500
_KEYS_VERSION = 3  # 2: no one-deletion keys past DELETION_MAX_LENGTH; 3: verbal elements


def index_path_for(location: str) -> Path | None:
    """Where the index of a store lives: beside an on-disk store, else nowhere (memory).

    >>> index_path_for("/data/tmkg/store")
    PosixPath('/data/tmkg/store.marks.sqlite')
    >>> index_path_for(":memory:") is None
    True
    """
    if location == ":memory:" or "://" in location:
        return None
    path = Path(location)
    return path.parent / f"{path.name}.marks.sqlite"


class MarkIndex:
    """Blocking-key index of marks, persistent and incrementally updated. Thread-safe.

    >>> index = MarkIndex(None)
    >>> index.sync({"m1": "AWS", "m2": "TESLA", "m3": "特斯拉"})
    3
    >>> sorted(index.candidates("A.W.S."))
    ['m1']
    >>> sorted(index.candidates("Tesla"))
    ['m2', 'm3']
    >>> index.sync({"m1": "AWS", "m2": "TESLA"})  # m3 removed: nothing to recompute
    0
    >>> index.sync({"m1": "AWS", "m2": "TESLA", "m4": "設計圖", "m5": "AWS & Device"})
    2
    >>> sorted(index.candidates("AWS")), index.candidates("設計圖")
    (['m1', 'm5'], set())
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._upgrade()

    def _upgrade(self) -> None:
        """Forget marks keyed by an older `blocking_keys`; the next `sync` re-keys them."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version >= _KEYS_VERSION:
            return
        with self._db:
            self._db.execute(
                "CREATE TEMP TABLE outdated AS SELECT DISTINCT iri FROM keys "
                "WHERE key >= 'D:' AND key < 'D;' AND length(key) > ?",
                (DELETION_MAX_LENGTH + len("D:"),),
            )
            # Only marks with placeholder or descriptor text have other keys than before.
            self._db.executemany(
                "INSERT INTO outdated VALUES (?)",
                (
                    (iri,)
                    for iri, text in self._db.execute("SELECT iri, text FROM marks").fetchall()
                    if verbal_element(text) != text
                ),
            )
            self._db.execute("DELETE FROM keys WHERE iri IN (SELECT iri FROM outdated)")
            self._db.execute("DELETE FROM marks WHERE iri IN (SELECT iri FROM outdated)")
            self._db.execute("DROP TABLE outdated")
            self._db.execute(f"PRAGMA user_version = {_KEYS_VERSION}")

    def sync(self, marks: Mapping[str, str]) -> int:
        """Make the index hold exactly `marks` (IRI -> text); return how many were (re)keyed."""
        with self._lock:
            current = dict(self._db.execute("SELECT iri, text FROM marks"))
            stale = [iri for iri, text in current.items() if marks.get(iri) != text]
            fresh = {iri: text for iri, text in marks.items() if current.get(iri) != text}
            with self._db:  # one transaction: a crash leaves the old index, which sync repairs
                for start in range(0, len(stale), _CHUNK):
                    chunk = stale[start : start + _CHUNK]
                    marks_sql = ",".join("?" * len(chunk))
                    self._db.execute(f"DELETE FROM keys WHERE iri IN ({marks_sql})", chunk)
                    self._db.execute(f"DELETE FROM marks WHERE iri IN ({marks_sql})", chunk)
                self._insert(fresh.items())
            return len(fresh)

    def _insert(self, marks: Iterable[tuple[str, str]]) -> None:
        rows = []
        for iri, text in marks:
            rows.append((iri, text))
        self._db.executemany("INSERT OR REPLACE INTO marks VALUES (?, ?)", rows)
        self._db.executemany(
            "INSERT OR IGNORE INTO keys VALUES (?, ?)",
            ((key, iri) for iri, text in rows for key in blocking_keys(text)),
        )

    def candidates(self, text: str) -> set[str]:
        """Marks sharing at least one blocking key with `text`."""
        keys = sorted(blocking_keys(text))
        if not keys:
            return set()
        with self._lock:
            placeholders = ",".join("?" * len(keys))
            rows = self._db.execute(
                f"SELECT DISTINCT iri FROM keys WHERE key IN ({placeholders})", keys
            )
            return {iri for (iri,) in rows}

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM marks").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
