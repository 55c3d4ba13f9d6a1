"""The holdings projection: each mark's holdings as read from the store, kept beside it.

Reading a mark's registrations and uses from an on-disk store costs ~130-230 µs a holding
(the engine decodes every term it returns by a lookup of its own; docs/performance.md), and
a conflict search over a register reads every holding, a `who_else_uses` question ~30-170.
So the holdings a question reads (`FactBase.marks_holdings`, `FactBase.holdings` of given
marks) are written to ``<store>.holdings.sqlite``, one row per mark, and read from there
(~25 µs a holding) by the next question, in this process or the next. The parties they name
(`FactBase.parties`: names, aliases, types, nationality, their owl:sameAs group merged; ~200
µs a party from the store at a million marks) are kept there too, one row per party.

A row is only ever used for the state of the store it was read from: the file records the
store's write token (`kg.store.write_stamp`), which every write replaces, and a projection
whose token is not the store's is emptied before use (or, opened read-only, not used). It
also records a fingerprint of the code that builds holdings (`signed_rows.code_key`): another
version of tmkg starts afresh rather than reading holdings it built otherwise. Like the in-memory
cache, it keeps only marks whose records stand alone (no owl:sameAs: such a record reads the
same whatever marks are asked with it).

Rows are pickles of `kg.analysis.model` dataclasses, each signed (HMAC-SHA256 over the mark
and the pickle) with a key of the user's own (``projection.key`` in tmkg's data folder, made
on first use, readable by the user alone): a row is unpickled only when its signature is the
user's, so rows written by anyone else (by hand, to run code when read or to answer with
made-up holdings; or by another user of a shared store) are read again from the store, never
built. The unpickler builds only the dataclasses and enums of `kg.analysis` besides
(`kg.analysis.signed_rows`). A file that is not a projection (another schema, not SQLite) is
removed and made anew.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

from kg.analysis.mark_kinds import CLASS_SCHEME
from kg.analysis.model import Holding, PartyRef
from kg.analysis.signed_rows import (
    DECODING,
    RowsFile,
    code_key,
    restricted_loads,
    signed,
    unsigned,
    user_key,
    writing,
)
from kg.analysis.sparql_text import TM, batches
from kg.reference import REFERENCE_GRAPHS, USPTO_STATUS_SCHEME
from kg.store import beside_store
from kg.store.touched import Touched

__all__ = [
    "Groups",
    "HoldingsProjection",
    "projection_path_for",
    "touches_every_holding",
    "user_key",
]

T = TypeVar("T")

Groups = tuple[tuple[str, tuple[Holding, ...]], ...]
"""A mark's records: (record key, the holdings read from it), as `FactBase` keeps them."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS holdings (mark TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS parties (party TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS depends (term INTEGER NOT NULL, mark TEXT NOT NULL,
    PRIMARY KEY (term, mark)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS depends_by_mark ON depends (mark);
"""
# `holdings` keeps its rowid: a row (~1.7 KB at 1M synthetic marks) is larger than a WITHOUT
# ROWID table's b-tree keeps in its page (~1 KB of 4 KB), so each spilled to an overflow page
# and a row read cost ~32 µs; with the rowid, ~8-15 µs (2026-12-04, 7,000 rows of the 1M
# projection read in batches of 70, docs/performance.md)
_FILE = RowsFile(
    _SCHEMA,
    {
        "holdings": ["mark", "data"],
        "parties": ["party", "data"],
        "state": ["name", "value"],
        "depends": ["term", "mark"],
    },
)
_PARTY_ROW = "party "
"""What a party's row is signed under before its IRI (a mark's row under its IRI alone), so
that one kind of row is never read as the other."""
_GLOBAL_PREDICATES = frozenset(
    {"http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
)
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_VOCABULARY_CLASSES = frozenset({TM + "NationalClass", _SKOS + "Concept", _SKOS + "ConceptScheme"})
"""Classes of the nodes holdings read as vocabulary beside statuses: a write typing a node
outside the class schemes as one may change any holding."""
_STATUS_VOCABULARY = frozenset({TM + "MarkStatus", USPTO_STATUS_SCHEME})
"""Nodes a write names only to type something as a status or to put it in the USPTO's
status codes: what every holding's status is read through."""
_CLASS_STATEMENTS = frozenset({_SKOS + "notation", _SKOS + "inScheme", _SKOS + "prefLabel"})
"""The SKOS statements of a national class of goods and services (`kg.analysis.mark_kinds`)."""
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_BATCH = 500  # marks looked up in one statement (SQLite's default limit is 32,766 variables)


def projection_path_for(location: str) -> Path | None:
    """``<store>.holdings.sqlite`` beside an on-disk store; None for memory or a URL.

    >>> projection_path_for("/data/tmkg/store")
    PosixPath('/data/tmkg/store.holdings.sqlite')
    """
    return beside_store(location, ".holdings.sqlite")


class HoldingsProjection:
    """Holdings per mark for one state of a store (see the module docstring).

    `stamp_of` reads the store's write token as it is on disk now (`WriteStamp.read`: None
    while a write is under way); each call names the token of the state its caller reads
    (`OxigraphStore.write_stamp` when its `FactBase` was made: a read-only view keeps the
    token of its opening). Rows are written, and the file emptied for a new state, only for
    the state the store is in now, each check and write in one SQLite write transaction,
    so a reader beside a writer (`kg who-else-uses` beside `kg serve`) fills it too without
    writing rows of a state gone. Where the file cannot be written (a read-only folder) it is
    only read.
    """

    def __init__(
        self,
        path: Path,
        stamp_of: Callable[[], str | None],
        touched_since: Callable[[str], Touched] | None = None,
        *,
        key: bytes,
        status_like: Callable[[Iterable[str]], bool] = lambda _: True,
    ) -> None:
        self.path = path
        self._key = key
        self._status_like = status_like
        self._stamp_of = stamp_of
        self._touched_since = touched_since
        self.read_only = False
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    # ------------------------------------------------------------ reading

    def get(self, stamp: str | None, marks: Iterable[str]) -> dict[str, Groups]:
        """The kept records of those of `marks` the projection holds for state `stamp`."""
        return self._get("holdings", "mark", stamp, marks, self._loads)

    def parties(self, stamp: str | None, iris: Iterable[str]) -> dict[str, PartyRef]:
        """The kept parties (canonical IRI -> `PartyRef`, its owl:sameAs group merged) of those
        of `iris` the projection holds for state `stamp`."""
        return self._get("parties", "party", stamp, iris, self._party)

    def _get(
        self,
        table: str,
        key: str,
        stamp: str | None,
        keys: Iterable[str],
        loads: Callable[[str, object], T | None],
    ) -> dict[str, T]:
        """The rows of `table` whose column `key` is one of `keys`, decoded by `loads` (None:
        not this user's row, left out)."""
        found: dict[str, T] = {}
        wanted = list(keys)
        if stamp is None or not wanted:
            return found
        with self._lock:
            db = self._ready(stamp)
            if db is None:
                return found
            try:
                db.execute("BEGIN")  # the token and the rows read in one snapshot
                try:
                    if not _holds(db, stamp):
                        return found  # a writer beside this reader moved on
                    for batch in batches(wanted, _BATCH):
                        among = ",".join("?" * len(batch))
                        rows = db.execute(
                            f"SELECT {key}, data FROM {table} WHERE {key} IN ({among})", batch
                        ).fetchall()
                        for name, data in rows:
                            value = loads(name, data)
                            if value is not None:
                                found[name] = value
                finally:
                    db.execute("COMMIT")
            except (pickle.UnpicklingError, sqlite3.DatabaseError, *DECODING):
                # signed by this user yet not readable (another tmkg's classes): start afresh
                if not self.read_only:
                    with suppress(sqlite3.Error), writing(db):
                        _empty(db, None)
                return {}
        return found

    def holds(self, stamp: str | None, marks: Iterable[str]) -> set[str]:
        """Those of `marks` whose rows the projection holds for state `stamp` (rows not read:
        one that fails its signature is still counted, and read from the store when asked)."""
        wanted = list(marks)
        if stamp is None or not wanted:
            return set()
        held: set[str] = set()
        with self._lock:
            db = self._ready(stamp)
            if db is None:
                return held
            try:
                db.execute("BEGIN")
                try:
                    if not _holds(db, stamp):
                        return held
                    for batch in batches(wanted, _BATCH):
                        marks_sql = ",".join("?" * len(batch))
                        rows = db.execute(
                            f"SELECT mark FROM holdings WHERE mark IN ({marks_sql})", batch
                        )
                        held.update(mark for (mark,) in rows)
                finally:
                    db.execute("COMMIT")
            except sqlite3.Error:
                return set()
        return held

    # ------------------------------------------------------------ writing

    def put(
        self,
        stamp: str | None,
        entries: Mapping[str, Groups],
        depends: Mapping[str, Iterable[str]],
    ) -> None:
        """Keep `entries` (mark -> its records) as read from state `stamp`, if the store is
        still in that state (else they are dropped: the next question reads again).
        `depends` names, for each mark, every node (IRI or blank-node id) whose statements
        its records were read from: a write that touches one drops the mark's row."""
        self._put("holdings", "", stamp, entries, depends)

    def put_parties(self, stamp: str | None, parties: Mapping[str, PartyRef]) -> None:
        """Keep `parties` (canonical IRI -> `PartyRef`) as read from state `stamp`, as `put`
        keeps holdings: a write touching a record of a party's owl:sameAs group (its
        ``iris``) drops its row (one touching owl:sameAs drops every row)."""
        depends = {iri: party.iris or (iri,) for iri, party in parties.items()}
        self._put("parties", _PARTY_ROW, stamp, parties, depends)

    def _put(
        self,
        table: str,
        prefix: str,
        stamp: str | None,
        values: Mapping[str, object],
        depends: Mapping[str, Iterable[str]],
    ) -> None:
        """Write `values` (key -> value, signed under `prefix` and the key) to `table`, and
        what each key depends on, if the store is still in state `stamp`."""
        if stamp is None or not values or self.read_only:
            return
        rows = [(key, self._signed(prefix + key, value)) for key, value in values.items()]
        links = [(_term_key(term), key) for key, _ in rows for term in depends.get(key, ())]
        with self._lock:
            db = self._ready(stamp)
            if db is None:
                return
            try:
                with writing(db):
                    if self._stamp_of() != stamp or not _holds(db, stamp):
                        return  # written meanwhile: what was read is of an older state
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
                    db.executemany("INSERT OR IGNORE INTO depends VALUES (?, ?)", links)
            except sqlite3.Error:
                return  # a cache: a full disk or a locked file costs the next question a read

    def _signed(self, name: str, value: object) -> bytes:
        return signed(self._key, name, pickle.dumps(value, protocol=5))

    def _loads(self, mark: str, row: object) -> Groups | None:
        """A row's records, if this user signed it (else None: read from the store again)."""
        data = unsigned(self._key, mark, row)
        return None if data is None else _loads(data)

    def _party(self, iri: str, row: object) -> PartyRef | None:
        """A party's row, if this user signed it (else None: read from the store again)."""
        data = unsigned(self._key, _PARTY_ROW + iri, row)
        if data is None:
            return None
        party = restricted_loads(data)
        if not isinstance(party, PartyRef) or party.id != iri:
            raise pickle.UnpicklingError("not a party")
        return party

    def catch_up(self, stamp: str | None) -> None:
        """Make the rows those of state `stamp` now (what a question would do first): a
        writer calls it after its writes, while it still knows what they touched, so that
        the next process finds the rows of the marks the writes left alone."""
        if stamp is None:
            return
        with self._lock:
            self._ready(stamp)

    def __len__(self) -> int:
        with self._lock:
            db = self._connect()
            return 0 if db is None else db.execute("SELECT COUNT(*) FROM holdings").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ------------------------------------------------------------ plumbing

    def _ready(self, stamp: str) -> sqlite3.Connection | None:
        """The connection, its rows emptied for state `stamp` when they are of another state
        and the file may be written (and the store is in that state). Call with the lock."""
        db = self._connect()
        if db is None:
            return None
        try:
            if not _holds(db, stamp) and not self.read_only:
                with writing(db):
                    if not _holds(db, stamp) and self._stamp_of() == stamp:
                        self._catch_up(db, stamp)
        except sqlite3.Error:
            return None
        return db

    def _catch_up(self, db: sqlite3.Connection, stamp: str) -> None:
        """Rows of an earlier state made rows of state `stamp`: those of the marks that
        depend on a node the writes since touched are dropped when this process made those
        writes and they say what they touched (`OxigraphStore.touched_since`), and none of
        them touched what every holding reads (owl:sameAs, the status and other SKOS
        schemes, the reference graphs); else every row is."""
        earlier = _state(db, "stamp")
        if earlier is None or self._touched_since is None or _state(db, "code") != str(_code_key()):
            _empty(db, stamp)
            return
        touched = self._touched_since(earlier)
        if not touched.known or touches_every_holding(touched, self._status_like):
            _empty(db, stamp)
            return
        keys = sorted({_term_key(term) for term in touched.terms})
        marks: set[str] = set()
        for batch in batches(keys, _BATCH):  # type: ignore[arg-type]
            found = db.execute(
                f"SELECT DISTINCT mark FROM depends WHERE term IN ({','.join('?' * len(batch))})",
                batch,
            )
            marks.update(mark for (mark,) in found)
        for batch in batches(sorted(marks), _BATCH):
            among = ",".join("?" * len(batch))
            db.execute(f"DELETE FROM holdings WHERE mark IN ({among})", batch)
            db.execute(f"DELETE FROM parties WHERE party IN ({among})", batch)
            db.execute(f"DELETE FROM depends WHERE mark IN ({among})", batch)
        db.execute("UPDATE state SET value = ? WHERE name = 'stamp'", (stamp,))

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None:
            opened = _FILE.open(self.path)
            if opened is None:
                return None  # not a projection (or not readable): questions read the store
            self._db, self.read_only = opened
        return self._db


def _empty(db: sqlite3.Connection, stamp: str | None) -> None:
    """No rows; the state `stamp` (None: of no state, until the next question sets one)."""
    db.execute("DELETE FROM holdings")
    db.execute("DELETE FROM parties")
    db.execute("DELETE FROM depends")
    db.execute("DELETE FROM state")
    if stamp is not None:
        db.executemany(
            "INSERT INTO state VALUES (?, ?)", [("stamp", stamp), ("code", str(_code_key()))]
        )


def touches_every_holding(touched: Touched, status_like: Callable[[Iterable[str]], bool]) -> bool:
    """Whether a write changed what any holding may read: identities (owl:sameAs), the
    classes of things, tmkg's reference graphs, a status scheme (a node typed or untyped as
    a status, put in or out of the USPTO's status codes, any SKOS statement but those below),
    or the type of a node as such vocabulary. A national class of goods and services is read
    only by the holdings naming it (they depend on it): its type as one, its notation, scheme
    and label change no other holding, unless the node is also a status (`status_like`, asked
    of the store as it is after the write)."""
    if not _GLOBAL_PREDICATES.isdisjoint(touched.predicates):
        return True
    if touched.graphs & {graph.value for graph in REFERENCE_GRAPHS}:
        return True
    if touched.terms & _STATUS_VOCABULARY:  # typed (or no longer) as a status, a status code
        return True
    classes: set[str] = set()  # national classes, by their own statements
    for predicate, subjects in touched.predicates.items():
        if not predicate.startswith(_SKOS):
            continue
        if predicate not in _CLASS_STATEMENTS or not all(
            subject.startswith(CLASS_SCHEME) for subject in subjects
        ):
            return True
        classes |= subjects
    for cls in _VOCABULARY_CLASSES & touched.typed.keys():
        nodes = touched.typed[cls]
        if not all(node.startswith(CLASS_SCHEME) for node in nodes):
            return True
        classes |= nodes
    return bool(classes) and status_like(classes)


def _term_key(term: str) -> int:
    """A node's key in ``depends``: 8 bytes of its BLAKE2b digest (a collision only drops a
    row more)."""
    return int.from_bytes(
        hashlib.blake2b(term.encode(), digest_size=8).digest(), "big", signed=True
    )


def _holds(db: sqlite3.Connection, stamp: str) -> bool:
    """Whether the rows are of state `stamp`, built by this code."""
    return _state(db, "stamp") == stamp and _state(db, "code") == str(_code_key())


def _state(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
    return None if row is None else row[0]


def _loads(data: bytes) -> Groups:
    """A row's records; raises `pickle.UnpicklingError` for anything but `Groups`."""
    groups = restricted_loads(data)
    if not (
        isinstance(groups, tuple)
        and all(
            isinstance(group, tuple)
            and len(group) == 2
            and isinstance(group[0], str)
            and isinstance(group[1], tuple)
            and all(isinstance(holding, Holding) for holding in group[1])
            for group in groups
        )
    ):
        raise pickle.UnpicklingError("not a mark's holdings")
    return groups


_code_key = code_key  # the fingerprint a projection records (replaced in tests)
