"""The mark index: blocking keys -> marks, and the similar pairs of texts, in SQLite.

Finding the marks similar to a text must not compare it with every mark, so each distinct
text is indexed under its blocking keys (`kg.analysis.similarity.blocking_keys`, table
``text_lookup``) and each mark under its text (``marks``); a query looks up the text's keys
and compares only the marks of the texts found. Computing keys costs ~0.4 ms a text, minutes
for a million, so the index is kept on disk (``<store>.marks.sqlite`` beside an on-disk
store; in memory otherwise) and brought up to date incrementally: `sync` computes keys only
for texts it has not keyed, records new marks and marks whose text changed, and drops
removed ones (and the texts no mark or verbal element uses any more).

The index also keeps, for `kg conflicts`, every pair of distinct compared texts (the marks'
texts and the registrations' verbal elements) that share a blocking key and score at least
`SIMILAR_FLOOR` with `kg.analysis.similarity.compare`, with the score and reasons. A text is
compared once, after it first appears (`compare_new_texts`: `kg load` and `kg import` call it,
else the first conflict search does), with the texts sharing one of its keys only; a text no
mark or registration uses any more drops its pairs. So a conflict search reads pairs instead
of comparing, and a day's import compares only the day's new texts.

A register's keys and comparisons (`_POOL_MIN_TEXTS` new texts or more, on a machine of two
cores or more) are computed by worker processes (`kg.analysis.index_workers`), a chunk of
texts or candidate pairs at a time, while this process writes what they return: the same
rows as in process, which is where a day's file or a question is keyed (starting a worker
costs ~1 s). The keys reach SQLite as JSON (`MarkIndex._insert_keys`).

The index grows linearly with the texts' lengths (`blocking_keys`), also for marks longer
than `kg.analysis.similarity.MAX_MARK_LENGTH` that a store held before that limit. An index
written by an older tmkg (``PRAGMA user_version`` below `_KEYS_VERSION`: keys kept per mark
before version 6, keys that grew with the square of the length before version 2) or under
other rules (`_rules_fingerprint`) is emptied when opened for writing, and the next `sync`
keys every text again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg import user_cache
from kg.analysis.index_workers import IndexWorkerError, IndexWorkers, worker_count
from kg.analysis.phonetics import PHONETIC_TAGS, phonetic_codes
from kg.analysis.phonetics import vowels as _vowels  # compare's phonetic rule asks for them
from kg.analysis.rule_blocking import (
    ANCHOR_KINDS,
    ANCHORED_KINDS,
    CHECKED_KINDS,
    DILUTED_KINDS,
    MAX_SHARED_ENDING,
    MAX_SHARED_FIRST_WORD,
    RULE_KEY_KINDS,
    bucket_anchors,
    bucket_pairs,
    diluted,
    lookup_keys,
    pairs_with,
)
from kg.analysis.rules_code import rules_code_key as _code_key  # replaced in tests
from kg.analysis.similar_table import SimilarTable
from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    FUZZY_MIN_EDIT,
    HEARD_MIN_EDIT,
    PHONETIC_MIN_EDIT,
    ROMAN_KEY,
    SOUND_KEY,
    MarkSimilarity,
    any_alike,
    blocking_keys,
    comparable_form,
    compare,
    spoken_forms,
    spoken_pairs,
)
from kg.analysis.similarity_rules import AFFIX_MAX_LENGTH
from kg.lazy import lazy_module
from kg.store import beside_store

np = lazy_module("numpy")  # loaded on first use (~0.1 s): kg.lazy

__all__ = ["SIMILAR_FLOOR", "MarkIndex", "index_path_for"]

SIMILAR_FLOOR = DEFAULT_MIN_SIMILARITY
"""The lowest similarity of the pairs the index keeps (a lower floor is computed, not read)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (iri TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS marks_by_text ON marks (text);
CREATE TABLE IF NOT EXISTS text_lookup (key TEXT NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL UNIQUE,
    roman TEXT NOT NULL, vowels TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS text_keys (key TEXT NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS similar (a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL,
    reasons TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS similar_by_b ON similar (b);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""
_TABLES = ("similar", "text_keys", "text_lookup", "texts", "state", "marks")
_CHUNK = 500
NOTICE_TEXTS = 50_000
"""From this many new texts a sync says on the log (``kg.analysis.mark_index``, a warning:
Python prints it on stderr where nothing else is configured) that it keys them: a register's
first load, or any question after tmkg's rules changed, keys every text (1M texts: 325 s on
two cores, 2026-12-05) before it answers."""
_log = logging.getLogger(__name__)
_KEYED_CHUNK = 10_000  # texts keyed at once (their keys ~4 KB each, their rows ~15 KB)
_KEYING_PART = 1_000  # texts keyed in one task (~0.6 s): a worker's share of a chunk
# a register's new texts from which keying and comparing go to IndexWorkers (worker_count):
# a worker costs ~1.2 s of CPU to start (imports, eSpeak, word lists) and recomputes what
# the process that keyed a text had cached (its pronunciation): at 10,000 texts the workers
# took 6.3 + 5.5 s of CPU against 4.2 + 1.7 s in process (sync + compare); at 100,000 marks
# on 2 cores, back to back, 49 + 39 s against 51 + 55 s in process before the keys went to
# SQLite as JSON (88 + 139 against 105 + 164 with another process busy on one core)
_POOL_MIN_TEXTS = 20_000
_BATCH_MEMBERS = 20_000  # bucket members paired in one task (~0.1 s)
_COMPARED_ON_QUESTION = 1_000
"""Texts keyed and not yet compared that a question compares before reading similar marks
(`MarkIndex.similar_marks`; ~1 ms a text): more, and it compares the candidates itself."""
_COMPARED_CHUNK = 2_000  # candidate pairs compared in one task (~0.1 s)
_PAIR_CHUNK = 1_000_000  # candidate pairs packed and deduplicated at once
_HELD_PAIRS = 8 * _PAIR_CHUNK  # past this many held (64 MB), they go to temporary files
_PARTS = 16  # the temporary files
_SIMILAR_CHUNK = 100_000  # similar pairs written, or read into arrays, at once
_CACHE_KIB = 64 * 1024
_WAL_LIMIT_BYTES = 64 * 1024 * 1024
# 2: no one-deletion keys past DELETION_MAX_LENGTH; 3: verbal elements; 4: similar text pairs
# (which are also forgotten whenever `compare` or `blocking_keys` change: `_rules_fingerprint`);
# 5: the rule keys of kg.analysis.rule_blocking and their anchor twins; 6: a text's keys kept
# once by text id (``text_lookup``), not once per mark by IRI (``keys``, ``keys_by_iri``:
# 83% of a 100k-mark index, bench/mark_index_memory.py)
_KEYS_VERSION = 6
# compare reaches 0.8 only with equal romanized forms (edit similarity 1), e >= 0.8 (fuzzy)
# or e >= 0.5 with a shared phonetic key and the same vowels (phonetic): see its module docs.
# The margins keep float32 rounding in cdist from dropping a pair at the bound.
_FUZZY_CUTOFF = FUZZY_MIN_EDIT - 1e-6
_PHONETIC_CUTOFF = PHONETIC_MIN_EDIT - 1e-6
_HEARD_CUTOFF = HEARD_MIN_EDIT - 1e-6  # pronounced the same (an A: key): phonetic from 0.3
# 1 - 1 / 5 = 1 - 2 / 10 = 0.8: one edit needs five letters, two need ten (int() rounds
# the bounds down: safe)
_ONE_EDIT_LENGTH = int(1 / (1 - FUZZY_MIN_EDIT))
_TWO_EDITS_LENGTH = int(2 / (1 - FUZZY_MIN_EDIT))
_FUZZY_PAIR_LENGTH = int(FUZZY_MIN_EDIT * _TWO_EDITS_LENGTH)  # the shorter of such a pair
_CDIST_CELLS = 4_000_000  # scores computed per rapidfuzz call: 16 MB of float32
_THREADED_CELLS = 100_000  # below this, starting threads costs more than it saves
_BULK_SHARE = 0.25  # more new texts than this share of the index: read every bucket in order
_OVERLAY_SHARE = 0.05  # a read-only index lacking more of the marks is not used (MarkIndex)
_DIGIT = re.compile("[0-9]")  # a text that `spoken_forms` may read
_EDIT_KINDS = ("D:", "P:", "S:")  # keys for compare's "fuzzy" reason alone (blocking_keys)
_STAMP_PREFIX = "w"  # before the store's token kept in `state` (INTEGER affinity): never a number
_STAGED = ("text_lookup", "text_keys")  # the key tables a bulk sync stages (MarkIndex._staged)
_BUCKET_ROWS = (
    "SELECT key, id, CASE WHEN substr(key, 1, 2) IN ({}) THEN EXISTS (SELECT 1 FROM text_lookup l "
    "WHERE l.key = lower(substr(k.key, 1, 2)) || substr(k.key, 3) AND l.id = k.id) ELSE 0 END "
    "FROM text_keys k"
).format(",".join(f"'{kind}'" for kind in ANCHORED_KINDS))
"""A bucket's rows (key, text id, whether the text anchors it: holds its `anchor_twin` among
the keys a question looks it up by, ``text_lookup``), for a ``WHERE`` and ``ORDER BY``."""


_KeyedTexts = tuple[list[tuple[str, str]], str, str]
"""Texts' romanized forms and vowels, and their keys and buckets as JSON (`_keyed_texts`)."""


def index_path_for(location: str) -> Path | None:
    """Where the index of a store lives: beside an on-disk store, else nowhere (memory).

    >>> index_path_for("/data/tmkg/store")
    PosixPath('/data/tmkg/store.marks.sqlite')
    """
    return beside_store(location, ".marks.sqlite")


class MarkIndex:
    """Blocking-key index of marks, persistent and incrementally updated. Thread-safe.

    >>> index = MarkIndex(None)
    >>> index.sync({"m1": "AWS", "m2": "TESLA", "m3": "特斯拉"})
    3
    >>> sorted(index.candidates("A.W.S."))
    ['m1']
    >>> sorted(index.candidates("Tesla"))
    ['m2', 'm3']
    >>> [(a, b, s.reasons) for a, b, s in index.similar_pairs()]
    [('TESLA', '特斯拉', ('transliteration', 'translation', 'sound-transliteration', 'fuzzy'))]
    >>> index.sync({"m1": "AWS", "m2": "TESLA"})  # m3 removed: nothing to recompute
    0
    >>> list(index.similar_pairs())
    []
    >>> index.sync({"m1": "AWS", "m2": "TESLA", "m4": "設計圖", "m5": "AWS & Device"})
    2
    >>> sorted(index.candidates("AWS")), index.candidates("設計圖")
    (['m1', 'm5'], set())
    """

    similar_floor = SIMILAR_FLOOR

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        """Open (creating if needed) the index at `path`, or one in memory for None.

        With `read_only` (a reader beside a server or a `kg load` that writes the index) the
        file is only read, never changed: it serves as long as it holds exactly the store's
        marks under today's rules, fully compared (`sync` checks); otherwise (another process
        is keying it, or it was written by another tmkg) this reader keys the store's marks
        into a private index in memory, so its answers are right and the writer's work is
        left alone. When the file lacks only a few of the marks (at most `_OVERLAY_SHARE`: a
        load that committed its data and is keying it), `candidates` reads the file and keys
        only those marks in memory (an overlay); the other questions, which read similar
        pairs, key every mark privately the first time they are asked. `read_only` names the
        mode in use (False once private)."""
        self.path = path
        self._lock = threading.Lock()
        # the buckets of the texts keyed since the last comparison (None: unknown, read them)
        self._pending: set[str] | None = None
        self.read_only = False
        # a read-only file's overlay: the marks it lacks, keyed in memory; its marks to hide;
        # and what a later private index is synced with (marks, texts)
        self._overlay: MarkIndex | None = None
        self._hidden: set[str] = set()
        self._synced: tuple[Mapping[str, str], set[str]] | None = None
        self.unusable_file: Path | None = None
        """A read-only index's file that exists but was written by another version of tmkg
        or under other rules: this reader keys every mark in memory (slow for a large
        register) until a writer rebuilds the file. Shells warn about it."""
        if read_only and path is not None:
            reader = _read_only_connection(path)
            if reader is not None:
                self._db, self.read_only, self._pending = reader, True, set()
                return
            if path.exists():
                self.unusable_file = path
            self.path = None  # no usable file: a private index in memory
        self._open(self.path)

    def _open(self, path: Path | None) -> None:
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # keys arrive sorted a chunk at a time but spread over the whole table: a bigger page
        # cache than the 2 MB default keeps inserting them from reading a page for every row
        # (64 MB: bench/mark_index_memory.py, 100k marks, 4% slower than 256 MB for 210 MB less)
        self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        # after each checkpoint the log is cut back to this size: a bulk sync's log (~the size
        # of the index) would otherwise stay on disk for as long as the file is used
        self._db.execute(f"PRAGMA journal_size_limit = {_WAL_LIMIT_BYTES}")
        self._db.executescript(_SCHEMA)
        self._upgrade()
        self._check_rules()
        if not self._uncompared(1):  # else: keyed by an earlier process and not compared
            self._pending = set()

    def _uncompared(self, at_most: int) -> int:
        """How many texts are keyed but not yet compared, counted up to `at_most`."""
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM texts WHERE id > COALESCE("
            "(SELECT value FROM state WHERE name = 'compared'), 0) LIMIT ?)",
            (at_most,),
        ).fetchone()
        return count

    def _go_private(self) -> None:
        """Leave a read-only file for a new private index in memory (its owner keeps it)."""
        self._db.close()
        self.path, self.read_only, self._pending = None, False, None
        self._overlay, self._hidden = None, set()
        self._open(None)

    def _privately(self) -> None:
        """A read-only index with an overlay: key every mark in a private index now (a
        question that reads similar pairs needs them all). Call with the lock held."""
        if self._overlay is None or self._synced is None:
            return
        marks, texts = self._synced
        self._go_private()
        self._sync(marks, texts)

    def _difference(self, marks: Mapping[str, str]) -> tuple[set[str], set[str]]:
        """(the file's marks that `marks` lacks or give another text, the marks of `marks`
        the file lacks or gives another text)."""
        hidden: set[str] = set()
        held: set[str] = set()
        for iri, text in self._db.execute("SELECT iri, text FROM marks"):
            if marks.get(iri) == text:
                held.add(iri)
            else:
                hidden.add(iri)
        return hidden, {iri for iri in marks if iri not in held}

    def _holds_texts(self, texts: set[str]) -> bool:
        """Whether the file holds exactly `texts`, all compared."""
        (count,) = self._db.execute("SELECT COUNT(*) FROM texts").fetchone()
        if count != len(texts):
            return False
        if any(text not in texts for (text,) in self._db.execute("SELECT text FROM texts")):
            return False
        return not self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM texts WHERE id > COALESCE("
            "(SELECT value FROM state WHERE name = 'compared'), 0))"
        ).fetchone()[0]

    def _upgrade(self) -> None:
        """Forget an index written by an older tmkg (``PRAGMA user_version`` below
        `_KEYS_VERSION`): the next `sync` keys every mark and compares every text again.
        Before version 6 the keys were kept per mark (``keys``): that table goes."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version >= _KEYS_VERSION:
            return
        with self._db:
            self._db.execute("DROP INDEX IF EXISTS keys_by_iri")
            self._db.execute("DROP TABLE IF EXISTS keys")
            for table in _TABLES:
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute(f"PRAGMA user_version = {_KEYS_VERSION}")
        self._shrink()

    def _check_rules(self) -> None:
        """Forget the similar pairs and the marks' keys if `compare` or `blocking_keys` now
        answer otherwise (a newer tmkg): the next `sync` keys every mark again and the next
        `compare_new_texts` compares every text again. The rules are probed only when the
        code is not the code that probed them last (`_same_rules`); an index in memory,
        never opened again, is not probed at all."""
        if self.path is None:
            return
        same = _same_rules(self._db)
        if same is True:
            return
        with self._db:
            if same is None:  # another code, the same rules: remember this code too
                self._db.execute("DELETE FROM state WHERE name = 'code'")
            else:  # the texts' keys too: the next sync keys every mark again
                for table in _TABLES:
                    self._db.execute(f"DELETE FROM {table}")
                self._db.execute("INSERT INTO state VALUES ('rules', ?)", (_rules_fingerprint(),))
            self._db.execute("INSERT INTO state VALUES ('code', ?)", (_code_key(),))
        if same is False:
            self._shrink()

    def _shrink(self) -> None:
        """Give an emptied file's pages back (VACUUM): an index of an older tmkg kept its
        size, mostly free pages (a trial: 355 MB, 81% free, after re-keying 18,000 marks).
        Skipped where another connection holds the file."""
        if self.path is not None:
            with suppress(sqlite3.Error):
                self._db.execute("VACUUM")

    def sync(
        self,
        marks: Mapping[str, str],
        verbal_elements: Iterable[str] = (),
        *,
        stamp: str | None = None,
    ) -> int:
        """Make the index hold exactly `marks` (IRI -> text) and, for similar pairs, their
        texts and `verbal_elements`; return how many marks were (re)keyed. A read-only
        index that does not hold them exactly keys the few it lacks in an overlay, or all of
        them in a private index (see `MarkIndex`). `stamp`: the store's write token
        (`kg.store.write_stamp`) of the state `marks` were read in, kept with a file this
        process writes (`synced_stamp`; None: not known, forgotten)."""
        with self._lock:
            if not self.read_only:
                return self._sync(marks, verbal_elements, stamp)
            texts = set(marks.values())
            texts.update(verbal_elements)
            hidden, fresh = self._difference(marks)
            if not hidden and not fresh and self._holds_texts(texts):
                self._overlay, self._hidden, self._synced = None, set(), None
                return 0
            if len(hidden) + len(fresh) <= _OVERLAY_SHARE * len(marks):
                self._overlay, self._hidden = MarkIndex(None), hidden
                self._synced = (marks, texts)
                return self._overlay.sync({iri: marks[iri] for iri in fresh})
            self._go_private()
            return self._sync(marks, texts)

    def sync_changed(
        self,
        changed: Mapping[str, str | None],
        verbal_elements: Iterable[str] = (),
        *,
        stamp: str | None = None,
        since: str | None = None,
    ) -> int | None:
        """`sync` told only what changed since the store's state `synced_stamp`: the index
        then holds the marks it held, each mark of `changed` (IRI -> its text now; None: no
        longer a mark) as it says, and for similar pairs their texts and `verbal_elements`
        (all of the store's); `stamp` is the store's state now. Not for a read-only index
        (raises `ValueError`): a reader is told every mark. Returns how many marks were
        (re)keyed; None, changing nothing, when `since` (the `synced_stamp` the changes were
        read from) is no longer the file's: another sync came between (a request of `kg serve`
        holding an older FactBase), and the caller syncs every mark. A writer after its
        write reads the marks it touched, not a register's
        (`kg.analysis.facts.FactBase.sync_mark_index`: ~10 s at a million marks)."""
        with self._lock:
            if self.read_only:
                raise ValueError("a read-only mark index is synced with every mark")
            if since is not None and self._stamp_row() != since:
                return None  # another sync came between: the caller syncs every mark
            held = dict(self._db.execute("SELECT iri, text FROM marks"))
            marks = dict(held)
            for iri, text in changed.items():
                if text is None:
                    marks.pop(iri, None)
                else:
                    marks[iri] = text
            return self._sync(marks, verbal_elements, stamp, held)

    def _stamp_row(self) -> str | None:
        """`synced_stamp` as the file says it (lock held)."""
        row = self._db.execute("SELECT value FROM state WHERE name = 'stamp'").fetchone()
        if row is None or not str(row[0]).startswith(_STAMP_PREFIX):
            return None
        return str(row[0])[len(_STAMP_PREFIX) :]

    def synced_stamp(self) -> str | None:
        """The store's write token (`kg.store.write_stamp`) of the state whose marks this
        index's file holds, as the `sync` that wrote them was told; None when not told, or
        for a read-only index (another process writes it) or one in memory."""
        if self.read_only or self.path is None:
            return None
        with self._lock:
            return self._stamp_row()

    def _keep_stamp(self, stamp: str | None) -> None:
        """Keep `stamp` as `synced_stamp` (in the sync's transaction), writing only when it
        changes: a sync that changes nothing writes nothing."""
        kept = None if self.path is None else stamp
        if self._stamp_row() == kept:
            return
        self._db.execute("DELETE FROM state WHERE name = 'stamp'")
        if kept is not None:
            self._db.execute("INSERT INTO state VALUES ('stamp', ?)", (_STAMP_PREFIX + kept,))

    def _sync(
        self,
        marks: Mapping[str, str],
        verbal_elements: Iterable[str],
        stamp: str | None = None,
        held: dict[str, str] | None = None,
    ) -> int:
        """`sync` of a file this process writes, or of a private index (lock held); `held`:
        the file's marks, when the caller read them."""
        current = dict(self._db.execute("SELECT iri, text FROM marks")) if held is None else held
        stale = [iri for iri, text in current.items() if marks.get(iri) != text]
        fresh: dict[str, list[str]] = {}  # text -> the marks (re)keyed with it
        for iri, text in marks.items():
            if current.get(iri) != text:
                fresh.setdefault(text, []).append(iri)
        keyed = sum(len(iris) for iris in fresh.values())
        del current
        texts = set(marks.values())
        texts.update(verbal_elements)
        known = dict(self._db.execute("SELECT text, id FROM texts"))
        gone = {text: known[text] for text in known.keys() - texts}
        added = texts.difference(known)
        remaining = len(known) - len(gone)
        del known, texts
        with self._db:  # one transaction: a crash leaves the old index, which sync repairs
            for start in range(0, len(stale), _CHUNK):
                chunk = stale[start : start + _CHUNK]
                marks_sql = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM marks WHERE iri IN ({marks_sql})", chunk)
            self._drop_texts(gone)
            # a bulk comparison reads every bucket; else it needs the new texts' buckets
            if self._pending is not None and len(added) <= _BULK_SHARE * remaining:
                pending: set[str] | None = self._pending
            else:
                pending = None
            self._db.executemany(
                "INSERT OR REPLACE INTO marks VALUES (?, ?)",
                ((iri, text) for text, iris in fresh.items() for iri in iris),
            )
            self._keep_stamp(stamp)
            todo = sorted(added)  # a known text is keyed already, whatever its new marks
            if len(todo) >= NOTICE_TEXTS:
                _log.warning(
                    "kg: the mark index beside the store keys %s new texts (after a load, "
                    "or once after tmkg's similarity rules changed): on two cores about a "
                    "minute for 84,000 texts, 23 minutes for 650,000 (a "
                    "register's texts meet more of each other as it grows)",
                    f"{len(todo):,}",
                )
            staged = len(todo) > _BULK_SHARE * remaining  # a register at once: see _staged
            with self._staged(staged), _mapper(len(todo)) as mapped:
                chunks = [todo[i : i + _KEYED_CHUNK] for i in range(0, len(todo), _KEYED_CHUNK)]
                parts = [
                    (number, chunk[i : i + _KEYING_PART])
                    for number, chunk in enumerate(chunks)
                    for i in range(0, len(chunk), _KEYING_PART)
                ]
                answers = mapped(_keyed_texts, (part for _, part in parts))
                for number, group in groupby(
                    zip(parts, answers, strict=True), lambda answer: answer[0][0]
                ):
                    self._key_texts(chunks[number], [found for _, found in group], pending, staged)
        self._pending = pending
        return keyed

    @contextmanager
    def _staged(self, staged: bool) -> Iterator[None]:
        """Where a bulk sync's keys go: rows appended to unindexed tables, then written into
        ``text_lookup`` and ``text_keys`` in their order. Inserted a chunk at a time, each
        chunk's rows land all over tables of tens of millions of rows (a million marks: ~40
        keys each), and SQLite rewrote pages at random through its bounded page cache (1M
        marks: 78 GB written in 35 minutes for a 5 GB index); sorted once by SQLite's
        external sorter, the rows are appended. The staged tables are in the index file, not
        TEMP tables: SQLite writes those where the system's temporary files go (often a
        small tmpfs), and at a million marks they hold ~1.5 GB; their pages stay in the
        file as free pages that the similar pairs reuse. Inside the sync's transaction: a
        crash leaves the index as it was."""
        if not staged:
            yield
            return
        if not self._db.in_transaction:  # sqlite3 begins none before DDL: begin it here
            self._db.execute("BEGIN")
        for table in _STAGED:
            self._db.execute(f"DROP TABLE IF EXISTS staged_{table}")
            self._db.execute(
                f"CREATE TABLE staged_{table} (key TEXT NOT NULL, id INTEGER NOT NULL)"
            )
        yield
        for table in _STAGED:
            self._db.execute(
                f"INSERT OR IGNORE INTO {table} SELECT key, id FROM staged_{table} ORDER BY key, id"
            )
            self._db.execute(f"DROP TABLE staged_{table}")

    def _key_texts(
        self, chunk: list[str], keyed: list[_KeyedTexts], pending: set[str] | None, staged: bool
    ) -> None:
        """Write one chunk of new texts (``texts``) with their keys (`_keyed_texts` of its
        parts, in order): the keys a question looks them up by (``text_lookup``: every
        `blocking_keys`) and the buckets they are compared in (``text_keys``: `_pair_keys`).
        Each text's keys are computed once and dropped with the chunk, so memory stays
        bounded whatever the number of marks. The new texts' buckets join `pending`."""
        lookup_table, text_keys_table = (
            ("staged_text_lookup", "staged_text_keys") if staged else ("text_lookup", "text_keys")
        )
        forms = [form for found in keyed for form in found[0]]
        (before,) = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM texts").fetchone()
        self._db.executemany(
            "INSERT INTO texts (text, roman, vowels) VALUES (?, ?, ?)",
            ((text, roman, vowels) for text, (roman, vowels) in zip(chunk, forms, strict=True)),
        )
        # the ids in the order the rows went in (AUTOINCREMENT: rising)
        ids = [i for (i,) in self._db.execute("SELECT id FROM texts WHERE id > ?", (before,))]
        for table, column in ((lookup_table, 1), (text_keys_table, 2)):
            self._insert_keys(table, ids, [found[column] for found in keyed], not staged)
        if pending is not None:
            for found in keyed:
                pending.update(key for keys in json.loads(found[2]) for key in keys)

    def _insert_keys(self, table: str, ids: list[int], keys: list[str], ordered: bool) -> None:
        """Insert the rows (key, id) of `keys`, JSON arrays of each text's keys (`_keyed_texts`,
        one array a part), the texts' `ids` in order; sorted when `ordered` (a table with its
        primary key: else each row lands on another page). SQLite reads the keys from JSON
        (``json_each``: 8 million rows at 100,000 marks in ~3 s, against ~17 s to make, sort
        and bind them as Python tuples), unless the ids are not consecutive or a key holds
        U+0000 (SQLite's JSON ends a string there): then as tuples."""
        whole = "[" + ",".join(part[1:-1] for part in keys if part != "[]") + "]"
        if ids == list(range(ids[0], ids[0] + len(ids))) and "\\u0000" not in whole:
            self._db.execute(
                f"INSERT OR IGNORE INTO {table} SELECT k.value, ? + t.key "
                "FROM json_each(?) t, json_each(t.value) k" + (" ORDER BY 1, 2" if ordered else ""),
                (ids[0], whole),
            )
            return
        rows = [(key, i) for i, found in zip(ids, json.loads(whole), strict=True) for key in found]
        if ordered:
            rows.sort()
        self._db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)

    def compare_new_texts(self) -> int:
        """Compare the texts added since the last time with the texts sharing a key with
        them and keep the similar pairs (`similar_pairs` does it first); return how many.
        `kg load` and `kg import` call it after `sync`, so a question does not pay for it."""
        with self._lock:
            self._privately()
            with self._db:
                return self._compare_new_texts()

    def _drop_texts(self, gone: Mapping[str, int]) -> None:
        ids = sorted(gone.values())
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            placeholders = ",".join("?" * len(chunk))
            forms: dict[int, tuple[str, str, str]] = {}
            self._read_forms(forms, f"id IN ({placeholders})", chunk)
            keys = {id_: blocking_keys(text) for id_, (text, _, _) in forms.items()}
            self._db.executemany(
                "DELETE FROM text_lookup WHERE key = ? AND id = ?",
                ((key, id_) for id_, found in keys.items() for key in found),
            )
            self._db.executemany(
                "DELETE FROM text_keys WHERE key = ? AND id = ?",
                (
                    (key, id_)
                    for id_, (_, roman, vowels) in forms.items()
                    for key in _pair_keys(keys[id_], roman, vowels)
                ),
            )
            self._db.execute(f"DELETE FROM similar WHERE a IN ({placeholders})", chunk)
            self._db.execute(f"DELETE FROM similar WHERE b IN ({placeholders})", chunk)
            self._db.execute(f"DELETE FROM texts WHERE id IN ({placeholders})", chunk)

    def _compare_new_texts(self) -> int:
        row = self._db.execute("SELECT value FROM state WHERE name = 'compared'").fetchone()
        last = row[0] if row else 0  # texts up to this id are compared
        forms: dict[int, tuple[str, str, str]] = {}
        self._read_forms(forms, "id > ?", (last,))
        pending, self._pending = self._pending, set()
        if not forms:
            return 0
        compared, newest = len(forms), max(forms)
        (known,) = self._db.execute("SELECT COUNT(*) FROM texts WHERE id <= ?", (last,)).fetchone()
        if len(forms) > _BULK_SHARE * known:  # every bucket, in key order: one pass
            self._read_forms(forms, "id <= ?", (last,))
            rows: Iterable[tuple[str, int, int]] = self._db.execute(f"{_BUCKET_ROWS} ORDER BY key")
            buckets: Iterable[_Bucket] = _buckets(rows, last)
        else:  # only the buckets the new texts are in, and only their texts
            if pending is None:  # texts keyed by another process (or a bulk sync): ask
                pending = {
                    key
                    for (key,) in self._db.execute(
                        "SELECT DISTINCT key FROM text_keys WHERE id > ?", (last,)
                    )
                }
            buckets = list(_buckets(self._bucket_rows(sorted(pending)), last))
            del pending
            members = sorted({i for _, ids, _ in buckets for i in ids}.difference(forms))
            for start in range(0, len(members), _CHUNK):
                chunk = members[start : start + _CHUNK]
                self._read_forms(forms, f"id IN ({','.join('?' * len(chunk))})", chunk)
        similar: list[tuple[int, int, float, str]] = []
        with _mapper(compared) as mapped:
            candidates = mapped(_candidate_pairs, _bucket_batches(buckets, forms, last))
            pairs = _distinct_pairs(candidates, self.path.parent if self.path else None)
            for found in mapped(_similar_of, _pair_chunks(pairs, forms)):
                similar += found
                if len(similar) >= _SIMILAR_CHUNK:
                    self._keep_similar(similar)
        self._keep_similar(similar)
        self._db.execute("INSERT OR REPLACE INTO state VALUES ('compared', ?)", (newest,))
        return compared

    def _keep_similar(self, similar: list[tuple[int, int, float, str]]) -> None:
        """Write the similar pairs found so far and forget them (bounded memory)."""
        self._db.executemany("INSERT OR REPLACE INTO similar VALUES (?, ?, ?, ?)", similar)
        similar.clear()

    def _bucket_rows(self, keys: list[str]) -> Iterator[tuple[str, int, int]]:
        for key in keys:
            yield from self._db.execute(f"{_BUCKET_ROWS} WHERE key = ?", (key,))

    def _read_forms(
        self, forms: dict[int, tuple[str, str, str]], where: str, parameters: Sequence[object]
    ) -> None:
        rows = self._db.execute(
            f"SELECT id, text, roman, vowels FROM texts WHERE {where}", parameters
        )
        forms.update((id_, (text, roman, vowels)) for id_, text, roman, vowels in rows)

    def candidates(self, text: str, min_similarity: float = SIMILAR_FLOOR) -> set[str]:
        """Marks that may be similar to `text` (see `_candidates`); with an overlay, the
        file's less the marks it holds wrongly, and the overlay's."""
        found = self._candidates(text, min_similarity)
        if self._overlay is not None:
            found.difference_update(self._hidden)
            found.update(self._overlay.candidates(text, min_similarity))
        return found

    def _candidates(self, text: str, min_similarity: float) -> set[str]:
        """Marks that may be similar to `text`. From `SIMILAR_FLOOR` up, the marks of the
        texts the register-wide comparison pairs with it were it a text of the index
        (`_paired`), so a question's own words and the same words in the register
        (`similar_marks`) get one answer; below, every mark that may score
        `min_similarity` (`_met`)."""
        keys = blocking_keys(text)
        if not keys:
            return set()
        with self._lock:
            if min_similarity >= SIMILAR_FLOOR:
                ids = self._paired(text, keys)
            else:
                ids = self._met(text, keys, min_similarity)
            return self._marks_of(ids)

    def _paired(self, text: str, keys: frozenset[str]) -> set[int]:
        """The ids of the texts that `compare_new_texts` would pair with `text` (of blocking
        keys `keys`) were it a new text: in a bucket of its rule keys (looked up by their
        anchor twins, `kg.analysis.rule_blocking.lookup_keys`; diluted buckets left out;
        ``T:`` and ``O:`` members checked by their rule; two marks in another script not
        paired by ``X:``), or in a bucket of its spelling and sound keys (`_bucket_keys`)
        and alike enough for that bucket (`_cutoff`, `kg.analysis.similarity.spoken_pairs`).
        Called with the lock held."""
        roman = comparable_form(text)
        held = self._db.execute("SELECT 1 FROM texts WHERE text = ?", (text,)).fetchone()
        rules = sorted(
            k for k in lookup_keys(keys) if k[:2] in RULE_KEY_KINDS or k[:2] in ANCHOR_KINDS
        )
        rules = [key for key in rules if not self._diluted(key, asking=held is None)]
        ids: set[int] = set()
        for key, members in self._buckets_of(rules, "text_lookup").items():
            if key[:2] in CHECKED_KINDS:
                members = self._checked(key, text, members)
            elif key[:2] == "X:" and "x:" + key[2:] in keys:  # two in another script: no pair
                others = self._buckets_of(["x:" + key[2:]], "text_lookup")
                members = sorted(set(members).difference(*others.values()))
            ids.update(members)
        spelling = sorted(k for k in _bucket_keys(text, roman, keys) if k[:2] not in RULE_KEY_KINDS)
        cutoffs: dict[int, float] = {}
        for key, members in self._buckets_of(spelling, "text_keys").items():
            cutoff = 0.0 if key.startswith(ROMAN_KEY) else _cutoff(key)  # one form: e = 1
            for id_ in members:
                cutoffs[id_] = min(cutoff, cutoffs.get(id_, cutoff))
        ids.update(self._alike_ids(text, roman, cutoffs))
        return ids

    def _rows_in(self, query: str, values: Sequence[object]) -> Iterator[tuple[Any, ...]]:
        """The rows of `query`, whose ``{}`` is a list of parameters, for `values` a chunk
        (`_CHUNK`) at a time. Called with the lock held."""
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            yield from self._db.execute(query.format(",".join("?" * len(chunk))), chunk)

    def _buckets_of(self, keys: list[str], table: str) -> dict[str, list[int]]:
        """The ids under each of `keys` (sorted) in `table` (``text_lookup`` or
        ``text_keys``), in id order. Called with the lock held."""
        found: dict[str, list[int]] = {}
        for key, id_ in self._rows_in(f"SELECT key, id FROM {table} WHERE key IN ({{}})", keys):
            found.setdefault(key, []).append(id_)
        return found

    def _checked(self, key: str, text: str, members: list[int]) -> list[int]:
        """Those of `members` (text ids) that a bucket of `key` (``T:``, ``O:``) pairs with
        `text`, its rule checked as `kg.analysis.rule_blocking.bucket_pairs` checks it.
        Called with the lock held."""
        texts = dict(self._texts_of(members))
        return [
            i
            for i, ok in zip(
                members, pairs_with(key, text, [texts[i] for i in members]), strict=True
            )
            if ok
        ]

    def _texts_of(self, ids: Sequence[int]) -> Iterator[tuple[int, str]]:
        return self._rows_in("SELECT id, text FROM texts WHERE id IN ({})", ids)

    def _alike_ids(self, text: str, roman: str, cutoffs: Mapping[int, float]) -> list[int]:
        """The ids of `cutoffs` (text id -> the least edit similarity its bucket asks) whose
        romanized form is that alike to `roman` (OSA, in C++: rapidfuzz ``cdist``), or one of
        whose forms with numbers said as words is alike to one of `text`'s
        (`kg.analysis.similarity.spoken_pairs`). Called with the lock held."""
        said = spoken_forms(text)
        kept = []
        rows, scores = self._scored(roman, sorted(cutoffs))
        for (id_, other, other_text), score in zip(rows, scores, strict=True):
            cutoff = cutoffs[id_]
            if score >= cutoff:
                kept.append(id_)
            elif said or any(c.isdigit() for c in other_text):
                theirs = spoken_forms(other_text)
                if (said or theirs) and any_alike((roman, *said), (other, *theirs), cutoff):
                    kept.append(id_)
        return kept

    def _scored(
        self, roman: str, ids: Sequence[int]
    ) -> tuple[list[tuple[int, str, str]], Sequence[float]]:
        """The texts of `ids` (id, romanized form, text) and the OSA similarity of each form
        to `roman`, computed in C++ (rapidfuzz ``cdist``). Called with the lock held."""
        rows = list(self._rows_in("SELECT id, roman, text FROM texts WHERE id IN ({})", ids))
        if not rows:
            return rows, []
        others = [other for _, other, _ in rows]
        scores = process.cdist([roman], others, scorer=OSA.normalized_similarity, dtype=np.float64)
        return rows, scores[0]

    def _met(self, text: str, keys: frozenset[str], min_similarity: float) -> set[int]:
        """The ids of the texts that may score `min_similarity` (below `SIMILAR_FLOOR`) with
        `text`: sharing a blocking key with it, a rule key only with its anchor
        (`kg.analysis.rule_blocking.lookup_keys`). Those met by a spelling or sound key only
        are kept when their romanized forms are equal or at least `PHONETIC_MIN_EDIT` alike
        (`HEARD_MIN_EDIT` by a pronunciation key; all of them when `min_similarity` is
        lower): `compare`'s spelling and sound reasons need that much, its other rules have
        keys of their own. Called with the lock held."""
        looked = lookup_keys(keys)
        rules = sorted(k for k in looked if k[:2] in RULE_KEY_KINDS or k[:2] in ANCHOR_KINDS)
        spelling = sorted(looked.difference(rules))
        rules = [key for key in rules if not self._diluted(key, asking=True)]
        ids = set(self._key_members(rules))  # every text of a rule key is a candidate
        met = self._key_members(spelling)
        ids.update(
            self._alike_enough(text, met, min_similarity)
            if min_similarity >= _PHONETIC_CUTOFF
            else met
        )
        return ids

    def _diluted(self, key: str, *, asking: bool) -> bool:
        """Whether the bucket of `key` is a diluted element that proposes no pairs
        (`kg.analysis.rule_blocking.diluted`), with the text asked about in it when `asking`
        (a text the index does not hold): counted up to one past the largest size kept.
        Called with the lock held."""
        if key[:2] not in DILUTED_KINDS:
            return False
        most = max(MAX_SHARED_ENDING, MAX_SHARED_FIRST_WORD) + 1
        (members,) = self._db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM text_keys WHERE key = ? LIMIT ?)", (key, most)
        ).fetchone()
        return diluted(key, members + asking)

    def _key_members(self, keys: list[str]) -> dict[int, str]:
        """The ids of the texts under `keys` (sorted), each with one key it is under: a
        roman key (``R:``) if it has one, else the key asking least of its spelling
        (`_cutoff_rank`). Called with the lock held."""
        met: dict[int, str] = {}
        for key, members in self._buckets_of(keys, "text_lookup").items():
            for id_ in members:
                held = met.get(id_)
                if held is None or _cutoff_rank(key) < _cutoff_rank(held):
                    met[id_] = key
        return met

    def _alike_enough(self, text: str, met: dict[int, str], min_similarity: float) -> list[int]:
        """The ids of `met` (text id -> the key it was met by) whose romanized form is equal
        to `text`'s, met by a roman key (one form whole: LO CO / LOCO), or OSA-alike to it by
        the key's cutoff: `_HEARD_CUTOFF` for a pronunciation key, `min_similarity` for an
        edit key (``D:``, ``P:``, ``S:``) between marks up to `AFFIX_MAX_LENGTH` letters,
        else `_PHONETIC_CUTOFF`; a text read with numbers as words (`spoken_forms`) by any
        of its forms (`_scored`)."""
        roman = comparable_form(text)
        forms = (roman, *spoken_forms(text))  # numbers said as words: the `numeral` rule
        edit_cutoff = max(_PHONETIC_CUTOFF, min_similarity - 1e-6)  # as _FUZZY_CUTOFF
        kept = [id_ for id_, key in met.items() if key.startswith(ROMAN_KEY)]
        asked = sorted(id_ for id_, key in met.items() if not key.startswith(ROMAN_KEY))
        rows, scores = self._scored(roman, asked)
        for (id_, other, other_text), score in zip(rows, scores, strict=True):
            key = met[id_]
            if key.startswith(SOUND_KEY):
                cutoff = _HEARD_CUTOFF
            elif key[:2] in _EDIT_KINDS and max(len(roman), len(other)) <= AFFIX_MAX_LENGTH:
                cutoff = edit_cutoff
            else:
                cutoff = _PHONETIC_CUTOFF
            if (
                other == roman
                or score >= cutoff
                or (
                    (len(forms) > 1 or _DIGIT.search(other) is not None)
                    and any_alike(forms, (other, *spoken_forms(other_text)), cutoff)
                )
            ):
                kept.append(id_)
        return kept

    def _marks_of(self, ids: Iterable[int]) -> set[str]:
        """The IRIs of the marks whose text has one of `ids`. Called with the lock held."""
        query = "SELECT m.iri FROM texts t JOIN marks m ON m.text = t.text WHERE t.id IN ({})"
        return {iri for (iri,) in self._rows_in(query, sorted(ids))}

    def similar_marks(
        self, text: str, min_similarity: float = SIMILAR_FLOOR
    ) -> dict[str, MarkSimilarity] | None:
        """The marks (IRI -> similarity) of `text` and of the texts stored as similar to it,
        scoring `min_similarity` or more, as `compare(text, theirs)` scores them (`compare`
        is symmetric; the pairs were compared texts sorted): what `candidates` and `compare`
        find, read instead of computed. None when the index cannot answer from what it
        stores: `text` is no indexed text (a question's own words), more than
        `_COMPARED_ON_QUESTION` texts are keyed but not yet compared (fewer are compared
        now; a reader compares none), `min_similarity` is below `SIMILAR_FLOOR`, or a
        read-only index uses an overlay. Then ask `candidates` and compare."""
        if min_similarity < SIMILAR_FLOOR:
            return None
        with self._lock:
            if self._overlay is not None:
                return None
            row = self._db.execute("SELECT id FROM texts WHERE text = ?", (text,)).fetchone()
            if row is None:
                return None
            uncompared = self._uncompared(_COMPARED_ON_QUESTION + 1)
            if uncompared and (self.read_only or uncompared > _COMPARED_ON_QUESTION):
                return None  # a big load's texts are compared by `kg load`, not by a question
            if uncompared:  # a few marks added through the API: compared now
                with self._db:
                    self._compare_new_texts()
            (id_,) = row
            rows = self._db.execute(
                "SELECT m.iri, s.score, s.reasons FROM ("
                "SELECT b AS other, score, reasons FROM similar WHERE a = ? AND score >= ? "
                "UNION ALL SELECT a, score, reasons FROM similar WHERE b = ? AND score >= ?"
                ") s JOIN texts t ON t.id = s.other JOIN marks m ON m.text = t.text",
                (id_, min_similarity, id_, min_similarity),
            ).fetchall()
            same = [
                iri for (iri,) in self._db.execute("SELECT iri FROM marks WHERE text = ?", (text,))
            ]
        found = {iri: MarkSimilarity(score, _reason_list(reasons)) for iri, score, reasons in rows}
        if same:
            itself = compare(text, text)
            if itself.score >= min_similarity:
                found.update(dict.fromkeys(same, itself))
        return found

    def similar_pairs(
        self,
        min_similarity: float = SIMILAR_FLOOR,
        among: Collection[str] | None = None,
        *,
        texts: Iterable[str] | None = None,
    ) -> Iterator[tuple[str, str, MarkSimilarity]]:
        """Pairs of distinct indexed texts sharing a blocking key and scoring at least
        `min_similarity` (not below `SIMILAR_FLOOR`: ValueError), each once, texts sorted;
        with `among`, only the pairs of two of those texts; with `texts`, only the pairs one
        of them is in (two indexed lookups a text). A search over many texts reads
        `similar_table` once instead."""
        if min_similarity < SIMILAR_FLOOR:
            raise ValueError(f"the index keeps pairs from {SIMILAR_FLOOR}, not {min_similarity}")
        query = (
            "SELECT ta.text, tb.text, s.score, s.reasons FROM similar s "
            "JOIN texts ta ON ta.id = s.a JOIN texts tb ON tb.id = s.b WHERE s.score >= ?"
        )
        with self._lock:
            self._privately()
            with self._db:
                self._compare_new_texts()
            if texts is None:
                rows = self._db.execute(query, (min_similarity,)).fetchall()
            else:
                found = set()  # a pair of two of the texts is met from both sides
                for chunk, marks in _text_chunks(texts):
                    ids = f"SELECT id FROM texts WHERE text IN ({marks})"
                    for side in ("a", "b"):
                        found.update(
                            self._db.execute(
                                f"{query} AND s.{side} IN ({ids})", (min_similarity, *chunk)
                            )
                        )
                rows = sorted(found)
        for left, right, score, reasons in rows:
            if among is None or (left in among and right in among):
                yield left, right, MarkSimilarity(score, _reason_list(reasons))

    def similar_table(self, min_similarity: float = SIMILAR_FLOOR) -> SimilarTable:
        """Every similar pair scoring at least `min_similarity` (not below `SIMILAR_FLOOR`:
        ValueError), read once into arrays (`kg.analysis.similar_table`: a register-wide
        search reads them for each batch of places); new texts are compared first."""
        if min_similarity < SIMILAR_FLOOR:
            raise ValueError(f"the index keeps pairs from {SIMILAR_FLOOR}, not {min_similarity}")
        kinds = (np.int32, np.int32, np.float64, np.int32)  # text ids, score, reasons' code
        columns: tuple[list[np.ndarray], ...] = ([], [], [], [])
        codes: dict[str, int] = {}  # the reasons as stored -> their code
        with self._lock:
            self._privately()
            with self._db:
                self._compare_new_texts()
            rows = self._db.execute("SELECT id, text FROM texts")
            texts = {text: number for number, text in rows}
            rows = self._db.execute(
                "SELECT a, b, score, reasons FROM similar WHERE score >= ?", (min_similarity,)
            )
            while chunk := rows.fetchmany(_SIMILAR_CHUNK):
                left, right, scores, reasons = zip(*chunk, strict=True)
                coded = [codes.setdefault(r, len(codes)) for r in reasons]
                for column, values, kind in zip(
                    columns, (left, right, scores, coded), kinds, strict=True
                ):
                    column.append(np.array(values, dtype=kind))
        left, right, scores, reasons = (
            np.concatenate(column) if column else np.zeros(0, dtype=kind)
            for column, kind in zip(columns, kinds, strict=True)
        )
        return SimilarTable(
            texts,
            left=left,
            right=right,
            scores=scores,
            reasons=reasons,
            reason_lists=[_reason_list(r) for r in codes],
            similar_floor=self.similar_floor,
        )

    def marks_with_texts(self, texts: Iterable[str]) -> set[str]:
        """The indexed marks (IRIs) whose text is one of `texts`."""
        return self._column_of("SELECT iri FROM marks", texts)

    def unknown_texts(self, texts: Iterable[str]) -> set[str]:
        """Those of `texts` with blocking keys that the index does not hold (not synced)."""
        wanted = set(texts)
        found = self._column_of("SELECT text FROM texts", wanted)
        return {text for text in wanted if text not in found and blocking_keys(text)}

    def _column_of(self, select: str, texts: Iterable[str]) -> set[str]:
        """The one column `select` (a SELECT of marks or texts) gives for the rows whose
        ``text`` is one of `texts`, asked a chunk of texts at a time."""
        found: set[str] = set()
        with self._lock:
            self._privately()
            for chunk, marks in _text_chunks(texts):
                rows = self._db.execute(f"{select} WHERE text IN ({marks})", chunk)
                found.update(value for (value,) in rows)
        return found

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM marks").fetchone()
            if self._overlay is not None:
                count += len(self._overlay) - len(self._hidden)
            return count

    def close(self) -> None:
        """Close the index; a writer first checkpoints its write-ahead log into the file and
        truncates it (else a log grown by a bulk sync, ~the index's size, stays on disk)."""
        with self._lock:
            if not self.read_only:
                # a reader may hold the log: then the next writer's checkpoint truncates it
                with suppress(sqlite3.Error):
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()


_PROBES = (
    "AWS", "A.W.S.", "TESLA", "特斯拉", "Nike", "Nyke", "GOOGLE", "GOGGLE", "MICROSOFT",
    "MICROSOFTT", "STARBUCKS", "STARBOCKS", "ACME & Design", "ACME", "設計圖", "COCA-COLA",
    "Koka Kola", "SUPERMARKETPLACE", "SUPERMARKETPALACE", "LEGO", "LOGO", "KODAK", "CODAC",
    "UBER", "UBER EATS", "AWZ", "亚马逊", "AMAZON", "LUTEX", "LUTEXAL", "MAGNOLIA BAY",
    "MAGNOLIA GROVE", "銀行", "银行", "小米科技", "小米", "KWIK", "QUIK", "ŁADA", "LADA",
    "NITE", "NIGHT", "SLEEPEEZ", "SLEEPEASE", "CAREER IMAGE", "CREST CAREER IMAGES",
    "羊", "揚", "XYZ楊", "불닭", "홍초불닭", "스타벅스", "스타밥스", "주식회사 불닭",
    "РОСТ", "POCT", "桂冠", "LAUREL", "CAMEL ACTIVE", "骆驼", "STEELCASE", "STEELCARE INC.",
    "USAPARK.NET", "大众", "DRAGON", "G GOLF及球圖", "G GOLF",
    "EI STUDIO", "ART HA STUDIO", "ONE 33", "DAY ONE", "7 STARS", "SEVEN STARS",
    "SEVEN UP", "LUPO", "WOLF", "EL SOL", "SUN", "MARCHE NOIR", "BLACK MARKET", "鉅名", "豬酩",
    "양지", "왕지", "鉅名2", "豬酩2", "ソニー", "SONY", "COMMCASH", "COMMUNICASH",
    "CLOSED", "CLOSET", "MACH", "MACHINE-PISTOL", "HAWK", "H.A.G.W.", "e4you",
    "MI CASA 4 YOU", "1 WORLD TRADE", "ONE WORLD BANK", "M2", "XY YOGA", "PEGGYS YOGA HOUSE",
    "MI CAFE", "CAFE ROMA", "X.Y. YOGA", "LG", "LG ELECTRONICS", "LG DISPLAY",
)  # fmt: skip


def _reason_list(stored: str) -> tuple[str, ...]:
    """A pair's reasons as the ``similar`` table stores them (comma-separated)."""
    return tuple(stored.split(",")) if stored else ()


def _text_chunks(texts: Iterable[str]) -> Iterator[tuple[list[str], str]]:
    """`texts`, distinct and sorted, `_CHUNK` at a time, each chunk with the ``?`` marks of
    its SQL ``IN (...)``."""
    wanted = sorted(set(texts))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def _read_only_connection(path: Path) -> sqlite3.Connection | None:
    """The index file opened for reading only, if it exists and was written under today's
    `_KEYS_VERSION` and rules (`_rules_fingerprint`); else None."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    except sqlite3.Error:
        return None
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        usable = version == _KEYS_VERSION and _same_rules(db) is not False
    except sqlite3.Error:  # not an index, or one being created
        usable = False
    if usable:
        return db
    db.close()
    return None


def _same_rules(db: sqlite3.Connection) -> bool | None:
    """Whether the index of `db` was written under today's rules: True when the code that
    last checked it is this code (`_code_key`: nothing to probe), else whether the rules'
    probes answer as they did (`_rules_fingerprint`, ~1 s): None for the same rules under
    another code (the writer records this code), False for other rules or none recorded."""
    state = dict(db.execute("SELECT name, value FROM state WHERE name IN ('rules', 'code')"))
    if "rules" not in state:
        return False
    if state.get("code") == _code_key():
        return True
    return None if state["rules"] == _rules_fingerprint() else False


@cache
def _rules_fingerprint() -> int:
    """`_probed_rules`, kept in the user's cache folder under `_code_key`
    (`kg.user_cache`): the same code answers the probes alike, so a process opening
    a new index (every first `kg load` into a new store) reads the fingerprint instead of
    probing (~1-3 s, 2026-12-07)."""
    return user_cache.kept("rules-fingerprint", _code_key(), _probed_rules, _a_fingerprint)


def _a_fingerprint(value: object) -> bool:
    """Whether a kept value is of `_probed_rules`' shape: an int in [0, 2**56)."""
    return type(value) is int and 0 <= value < 1 << 56


def _probed_rules() -> int:
    """A digest of what `compare` and `blocking_keys` answer for a few texts of every kind,
    and of the pairs the buckets of their rule keys propose (`bucket_pairs`: which marks
    anchor a bucket): stored pairs are only valid under the rules that found them."""
    digest = hashlib.sha256()
    buckets: dict[str, list[int]] = {}
    for number, left in enumerate(_PROBES):
        keys = blocking_keys(left)
        digest.update(repr(sorted(keys)).encode())
        for key in keys:
            buckets.setdefault(key, []).append(number)
        for right in _PROBES:
            digest.update(repr(compare(left, right)).encode())
    for key in sorted(k for k in buckets if k[:2] in RULE_KEY_KINDS):
        anchors = bucket_anchors(key, buckets)
        proposed = bucket_pairs(key, buckets[key], _PROBES.__getitem__, lambda _: True, anchors)
        digest.update(repr((key, sorted(proposed))).encode())
    return int.from_bytes(digest.digest()[:7], "big")


_Bucket = tuple[str, list[int], list[int]]
"""A bucket: its key, its members' text ids and those of them that anchor it (`_BUCKET_ROWS`)."""


def _buckets(rows: Iterable[tuple[str, int, int]], last: int) -> Iterator[_Bucket]:
    """(key, text ids, the ids anchoring it) per key of `rows` (`_BUCKET_ROWS`, sorted by
    key), for the keys with a new text (id above `last`) and another."""
    key, members, anchors, fresh = "", [], [], False
    for row_key, id_, anchored in rows:
        if row_key != key:
            if fresh and len(members) > 1:
                yield key, members, anchors
            key, members, anchors, fresh = row_key, [], [], False
        members.append(id_)
        if anchored:
            anchors.append(id_)
        fresh = fresh or id_ > last
    if fresh and len(members) > 1:
        yield key, members, anchors


def _pair_keys(keys: frozenset[str], roman: str, vowels: str) -> set[str]:
    """The buckets a text is compared in: its blocking keys but those no similar pair needs,
    and its phonetic keys with its vowels (``VM:TSL|EA``).

    A pair scores `SIMILAR_FLOOR` (0.8) or more (see `kg.analysis.similarity`) by spelling
    or sound only with equal romanized forms (they share ``R:``), at edit similarity
    ``e >= 0.8`` or at ``e >= 0.5`` with a shared phonetic code and the same vowel sounds
    (they share a ``V`` key). At ``e >= 0.8`` one edit apart the longer form has five letters
    or more and, up to 64, they share a ``D:`` key of four letters or more; two edits or more
    (or more than 64 letters) need ten letters in the longer form, so eight in the shorter,
    whose ``P:``/``S:`` and phonetic keys are kept. The rule keys
    (`kg.analysis.rule_blocking`) are kept as they are; their anchor twins are left out (a
    question looks them up, no bucket pairs by them).
    """
    found = set()
    for key in keys:
        kind = key[:2]
        if kind in ANCHOR_KINDS:  # looked up by questions, no bucket of their own
            continue
        if kind == "D:" and len(key) - len(kind) < _ONE_EDIT_LENGTH - 1:
            continue
        if kind in PHONETIC_TAGS:
            found.add(f"V{key}|{vowels}")
            if len(roman) < _FUZZY_PAIR_LENGTH:
                continue
        found.add(key)
    return found


def _bucket_keys(
    text: str, roman: str, keys: frozenset[str], vowels: str | None = None
) -> set[str]:
    """The buckets `text` (romanized `roman`, of blocking keys `keys`) is compared in:
    `_pair_keys`, and the sound and vowels of its readings with numbers said as words (the
    `numeral` rule)."""
    vowels = _vowels(roman) if vowels is None else vowels
    paired = _pair_keys(keys, roman, vowels)
    for spoken in spoken_forms(text):
        paired.update(f"V{code}|{_vowels(spoken)}" for code in phonetic_codes(spoken))
    return paired


def _distinct_pairs(
    groups: Iterable[np.ndarray], folder: Path | None = None
) -> Iterator[tuple[int, int]]:
    """The distinct pairs of ids in `groups`, arrays of pairs packed into 64-bit integers
    (`_packed`: 8 bytes a pair, against ~150 in a Python set of tuples), deduplicated as they
    accumulate. A whole register's first comparison meets tens of millions of candidate
    pairs (~50 million for a million synthetic marks): past `_HELD_PAIRS` they are spread
    over `_PARTS` temporary files in `folder` by their first id and each part is
    deduplicated alone, so memory holds a part, not them all. In order within a part. Reads
    every group before it gives the first pair."""
    packed: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    count = held = 0
    parts: list[IO[bytes]] = []
    with ExitStack() as files:
        for group in groups:
            pending.append(group)
            count += len(group)
            if count < _PAIR_CHUNK:
                continue
            packed.append(np.unique(np.concatenate(pending)))
            held += len(packed[-1])
            pending, count = [], 0
            if held >= _HELD_PAIRS:
                if not parts:
                    parts = [
                        files.enter_context(tempfile.TemporaryFile(dir=folder))
                        for _ in range(_PARTS)
                    ]
                _spill(packed, parts)
                held = 0
        packed.append(np.concatenate([np.empty(0, dtype=np.int64), *pending]))
        del pending
        if not parts:
            unique = np.unique(np.concatenate(packed))
            del packed
            yield from _unpacked(unique)
            return
        _spill(packed, parts)
        for part in parts:
            part.seek(0)
            yield from _unpacked(np.unique(np.fromfile(part, dtype=np.int64)))
            part.truncate(0)  # its disk space back now


def _spill(packed: list[np.ndarray], parts: Sequence[IO[bytes]]) -> None:
    """Append the packed pairs to the part of their first id, and forget them."""
    values = np.concatenate(packed)
    packed.clear()
    which = (values >> 32) % len(parts)
    for number, part in enumerate(parts):
        values[which == number].tofile(part)


def _unpacked(values: np.ndarray) -> Iterator[tuple[int, int]]:
    for start in range(0, len(values), _PAIR_CHUNK):  # Python ints a chunk at a time
        for value in values[start : start + _PAIR_CHUNK].tolist():
            yield value >> 32, value & 0xFFFFFFFF


def _bucket_pairs(
    bucket: _Bucket, forms: Mapping[int, tuple[str, str, str]], last: int
) -> Iterator[tuple[int, int]]:
    """Pairs (smaller id first) of a new text (id above `last`) and another in one bucket
    of `_pair_keys` that `compare` may score at `SIMILAR_FLOOR` or more."""
    key, members, anchors = bucket
    if key[:2] in RULE_KEY_KINDS:
        text_of, new = (lambda i: forms[i][0]), (lambda i: i > last)
        yield from bucket_pairs(key, members, text_of, new, frozenset(anchors))
        return
    new = [i for i in members if i > last]
    if key.startswith(ROMAN_KEY):  # one romanized form: e = 1
        yield from ((min(n, m), max(n, m)) for n in new for m in members if m != n)
    else:
        yield from _alike(new, members, forms, _cutoff(key))


def _cutoff(key: str) -> float:
    """The least edit similarity at which two texts of a bucket can score 0.8 (module docs of
    `kg.analysis.similarity`): pronounced the same, the same sound and vowels, else fuzzy."""
    if key.startswith(SOUND_KEY):
        return _HEARD_CUTOFF
    return _PHONETIC_CUTOFF if key[0] == "V" else _FUZZY_CUTOFF


def _alike(
    queries: list[int], choices: list[int], forms: Mapping[int, tuple[str, str, str]], cutoff: float
) -> Iterator[tuple[int, int]]:
    """Pairs of a query and another choice whose romanized forms are `cutoff` alike (OSA),
    or one's form and the other's `spoken_forms` (a text with numbers: the ``numeral`` rule)."""
    yield from spoken_pairs(queries, choices, forms, cutoff)
    if len(queries) * len(choices) <= 64:
        for q in queries:
            roman = forms[q][1]
            for c in choices:
                if c != q and OSA.normalized_similarity(roman, forms[c][1], score_cutoff=cutoff):
                    yield (q, c) if q < c else (c, q)
        return
    targets = [forms[c][1] for c in choices]
    step = max(1, _CDIST_CELLS // len(choices))
    for start in range(0, len(queries), step):
        rows = queries[start : start + step]
        scores = process.cdist(
            [forms[q][1] for q in rows],
            targets,
            scorer=OSA.normalized_similarity,
            score_cutoff=cutoff,
            dtype=np.float32,
            workers=-1 if len(rows) * len(targets) > _THREADED_CELLS else 1,
        )
        for r, c in zip(*np.nonzero(scores), strict=True):
            q, other = rows[r], choices[c]
            if q != other:
                yield (q, other) if q < other else (other, q)


def _cutoff_rank(key: str) -> int:
    """How little a key asks of a text's spelling for `MarkIndex._candidates` (lowest
    first): a roman key nothing, a pronunciation key `_HEARD_CUTOFF`, an edit key (``D:``,
    ``P:``, ``S:``) the most, up to `min_similarity`, any other `_PHONETIC_CUTOFF`."""
    if key.startswith(ROMAN_KEY):
        return 0
    if key.startswith(SOUND_KEY):
        return 1
    return 3 if key[:2] in _EDIT_KINDS else 2


def _packed(pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """Pairs of ids as 64-bit integers (first id in the high half), distinct and sorted."""
    return np.unique(np.fromiter(((a << 32) | b for a, b in pairs), dtype=np.int64))


def _bucket_batches(
    buckets: Iterable[_Bucket], forms: Mapping[int, tuple[str, str, str]], last: int
) -> Iterator[tuple[int, list[_Bucket], dict[int, tuple[str, str, str]]]]:
    """The buckets to pair a batch at a time (`_candidate_pairs`), each batch with the forms
    of its texts and `last` (the last compared id); a bucket's members no longer in `forms`
    (a text since dropped) are left out (an anchor left out is no member: `bucket_pairs`)."""
    batch: list[_Bucket] = []
    size = 0
    for key, members, anchors in buckets:
        kept = [i for i in members if i in forms]
        batch.append((key, kept, anchors))
        size += len(kept)
        if size >= _BATCH_MEMBERS:
            yield last, batch, {i: forms[i] for _, ids, _ in batch for i in ids}
            batch, size = [], 0
    if batch:
        yield last, batch, {i: forms[i] for _, ids, _ in batch for i in ids}


def _candidate_pairs(
    batch: tuple[int, list[_Bucket], dict[int, tuple[str, str, str]]],
) -> np.ndarray:
    """The pairs (`_packed`) of a batch of `_bucket_batches` that `compare` may score
    `SIMILAR_FLOOR` or more (`_bucket_pairs`). Run by `IndexWorkers` for a register."""
    last, buckets, forms = batch
    return _packed(pair for bucket in buckets for pair in _bucket_pairs(bucket, forms, last))


def _pair_chunks(
    pairs: Iterable[tuple[int, int]], forms: Mapping[int, tuple[str, str, str]]
) -> Iterator[list[tuple[int, int, str, str]]]:
    """The pairs with their texts, `_COMPARED_CHUNK` at a time, for `_similar_of`."""
    chunk: list[tuple[int, int, str, str]] = []
    for a, b in pairs:
        chunk.append((a, b, forms[a][0], forms[b][0]))
        if len(chunk) >= _COMPARED_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _similar_of(pairs: list[tuple[int, int, str, str]]) -> list[tuple[int, int, float, str]]:
    """The rows of ``similar`` for those of `pairs` (two ids, their texts) that `compare`
    scores `SIMILAR_FLOOR` or more: the id of the text that sorts first, the other's, the
    score and the reasons. Run by `IndexWorkers` for a register."""
    found = []
    for a, b, text_a, text_b in pairs:
        left, right = sorted((text_a, text_b))
        similarity = compare(left, right)
        if similarity.score >= SIMILAR_FLOOR:
            ids = (a, b) if text_a == left else (b, a)
            found.append((*ids, similarity.score, ",".join(similarity.reasons)))
    return found


def _keyed_texts(texts: list[str]) -> _KeyedTexts:
    """What `MarkIndex._key_texts` writes for `texts`: each one's romanized form
    (`comparable_form`) and that form's vowels; the JSON array of their `blocking_keys` and
    that of their `_pair_keys` (an array of keys a text, in the order of `texts`). Run by
    `IndexWorkers` for a register."""
    forms, lookup, buckets = [], [], []
    for text in texts:
        roman = comparable_form(text)
        vowels = _vowels(roman)
        keys = blocking_keys(text)
        forms.append((roman, vowels))
        lookup.append(list(keys))
        buckets.append(list(_bucket_keys(text, roman, keys, vowels)))
    return forms, _json(lookup), _json(buckets)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def _mapper(texts: int) -> Iterator[Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]]:
    """How to map work over chunks for `texts` new texts: in `IndexWorkers` for a register
    (`_POOL_MIN_TEXTS` or more, and more than one core), else in this process (a day's file,
    a question: starting a worker costs ~1 s)."""
    count = worker_count()
    workers = None
    if texts >= _POOL_MIN_TEXTS and count > 1:
        # no workers where no interpreter can be started (an embedded or frozen Python)
        with suppress(OSError, IndexWorkerError):
            workers = IndexWorkers(count)
    if workers is None:
        yield map
        return
    with workers:
        yield workers.map
