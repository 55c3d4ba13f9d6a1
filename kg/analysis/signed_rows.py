"""Rows of answers kept in files beside a store, signed so that only the user's own are built.

What tmkg keeps on disk and computed from a store (the holdings projection,
`kg.analysis.holdings_projection`; the register's kept conflicts, `kg.analysis.conflict_file`)
is pickles of `kg.analysis` dataclasses. A pickle runs code when read, so each row is signed
(HMAC-SHA256 over the row's name and its bytes) with a key of the user's own (`user_key`) and
unpickled only when the signature is the user's, by an unpickler that builds only the
dataclasses and enums of `kg.analysis` (`RowUnpickler`). A file records `code_key`: another
version of tmkg starts it afresh rather than reading rows it built otherwise. Such a file is a
SQLite database of tables of known columns (`RowsFile`): one that is not (another program's,
tables written by hand, triggers) is removed and made anew.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
import io
import os
import pickle
import secrets
import sqlite3
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

import platformdirs

from kg.store import regular_or_missing
from kg.user_cache import code_digest

__all__ = [
    "DECODING",
    "SIGNATURE_BYTES",
    "RowUnpickler",
    "RowsFile",
    "Sharing",
    "code_key",
    "restricted_loads",
    "signature",
    "signed",
    "unsigned",
    "user_key",
    "writing",
]

SIGNATURE_BYTES = 32

DECODING = (
    AttributeError, EOFError, ImportError, IndexError, MemoryError, RecursionError, TypeError,
    ValueError,
)  # fmt: skip
"""What unpickling a damaged or foreign row may raise besides `pickle.UnpicklingError`."""


class RowUnpickler(pickle.Unpickler):
    """Builds only the dataclasses and enums of ``kg.analysis`` modules: a row holding any
    other global (``os.system``, ``builtins.eval``) is refused, as the Python documentation's
    "Restricting Globals" advises for data that may not be one's own."""

    def find_class(self, module: str, name: str) -> type:
        found = _ANSWER_CLASSES.get((module, name)) or _answer_class(module, name)
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a part of tmkg's answers")
        return found


_ANSWER_CLASSES: dict[tuple[str, str], type] = {}
"""The classes `RowUnpickler` found (a row of a projection names ~4, read ~100,000 times at
a million marks): only those, never a refusal, since a module may be imported later."""


def _answer_class(module: str, name: str) -> type | None:
    """The dataclass or enum `name` of the loaded ``kg.analysis`` module `module`, else None."""
    if module.startswith("kg.analysis.") and module in sys.modules:
        found = getattr(sys.modules[module], name, None)
        if isinstance(found, type) and (
            dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
        ):
            _ANSWER_CLASSES[module, name] = found
            return found
    return None


@cache
def code_key() -> int:
    """A fingerprint of the code and data that build answers (`kg.user_cache.code_digest`:
    every module of tmkg and every file of its ``schema`` folder, and the Python version, by
    which pickles read): any other version of tmkg starts a file of rows afresh."""
    return code_digest()


def signature(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + data, hashlib.sha256).digest()


def user_key() -> bytes | None:
    """This user's key for signing rows (``projection.key`` in tmkg's data folder: 32
    random bytes, made on first use with mode 0600); None when it cannot be made or is not
    such a file (a symlink, another owner's, readable by others, another size): the files
    of rows are then not used."""
    folder = Path(platformdirs.user_data_dir("tmkg", appauthor=False))
    path = folder / "projection.key"
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(secrets.token_bytes(32))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        found = os.fstat(descriptor)
        if (
            not stat.S_ISREG(found.st_mode)
            or found.st_uid != os.getuid()
            or found.st_mode & 0o077
            or found.st_size != 32
        ):
            return None
        key = os.read(descriptor, 33)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return key if len(key) == 32 else None


def signed(key: bytes, name: str, data: bytes) -> bytes:
    """`data` with its signature in front (`unsigned` takes it off)."""
    return signature(key, name, data) + data


def unsigned(key: bytes, name: str, row: object) -> bytes | None:
    """The data of a row `signed` with `key` under `name`; None for any other row."""
    if not isinstance(row, bytes) or len(row) < SIGNATURE_BYTES:
        return None
    found, data = row[:SIGNATURE_BYTES], row[SIGNATURE_BYTES:]
    return data if hmac.compare_digest(found, signature(key, name, data)) else None


def restricted_loads(data: bytes) -> object:
    """Unpickle `data` with `RowUnpickler`: raises `pickle.UnpicklingError` (or one of
    `DECODING`) for a global that is not a `kg.analysis` dataclass or enum, or damage."""
    return RowUnpickler(io.BytesIO(data)).load()


class Sharing:
    """Rows pickled one chunk at a time that share their values when read back.

    Pickle shares an object met twice only within one pickle: rows read back from many
    chunks each get their own copy of the parties, marks and sources they name (at 100,000
    synthetic marks a kept conflict read back cost ~5.8 KB, against ~1.6 KB shared). Values of
    the frozen dataclasses `kinds` are pickled as persistent ids (their kind's place in `kinds`
    and their fields' values, pickle's ``persistent_id``), and `loads` builds each distinct
    value once for all the chunks one `Sharing` reads (``persistent_load``), as pickle builds
    a dataclass (its fields set, ``__init__`` not run). A field holds texts, numbers, truth
    values or None, tuples of them, or values of `kinds` built before it, alone or in a
    tuple (a party's name statement, its alias statements: `Cited`). A persistent id of any
    other shape, or of a kind not in `kinds`, raises `pickle.UnpicklingError`.
    """

    def __init__(self, kinds: tuple[type, ...]) -> None:
        self.kinds = kinds
        self._tags = {kind: tag for tag, kind in enumerate(kinds)}
        self._names = [tuple(field.name for field in dataclasses.fields(kind)) for kind in kinds]
        self._built: dict[tuple[int, tuple[object, ...]], object] = {}
        self._made: set[int] = set()
        """The ids of the values built (kept alive by `_built`): a field may hold one (a
        party's name statement), checked already."""

    def dumps(self, rows: object) -> bytes:
        """`rows` pickled (highest protocol), values of `kinds` by their fields."""
        buffer = io.BytesIO()
        _SharingPickler(buffer, self).dump(rows)
        return buffer.getvalue()

    def loads(self, data: bytes) -> object:
        """`restricted_loads` of `data`, values of `kinds` shared with the chunks read
        before by this `Sharing`: raises as `restricted_loads` does."""
        return _SharingUnpickler(io.BytesIO(data), self).load()

    def persistent_id(self, value: object) -> tuple[int, tuple[object, ...]] | None:
        tag = self._tags.get(type(value))
        if tag is None:
            return None
        return tag, tuple(getattr(value, name) for name in self._names[tag])

    def _field(self, value: object, depth: int) -> bool:
        """Whether a shared value's field holds what one may: `_flat` values, values this
        `Sharing` built, or tuples of them (a party's alias statements, helper-125)."""
        if id(value) in self._made or _flat(value, depth):
            return True
        return (
            depth > 0
            and type(value) is tuple
            and all(self._field(item, depth - 1) for item in value)  # type: ignore[attr-defined]
        )

    def persistent_load(self, found: object) -> object:
        if not (
            isinstance(found, tuple)
            and len(found) == 2
            and type(found[0]) is int
            and 0 <= found[0] < len(self.kinds)
            and isinstance(found[1], tuple)
            and len(found[1]) == len(self._names[found[0]])
            and all(self._field(v, _FIELD_DEPTH) for v in found[1])
        ):
            raise pickle.UnpicklingError("a shared value of no kind this file keeps")
        built = self._built.get(found)  # type: ignore[call-overload]
        if built is not None:
            return built
        tag, values = found
        built = object.__new__(self.kinds[tag])
        for name, value in zip(self._names[tag], values, strict=True):
            object.__setattr__(built, name, value)
        self._built[found] = built
        self._made.add(id(built))
        return built


_FIELD_DEPTH = 3
"""Tuples within a shared value's field, at most (a statement's facts: pairs in a tuple)."""
_LEAVES = (str, int, float, bool, type(None))


_LEAF_TYPES = frozenset(_LEAVES)


def _flat(value: object, depth: int) -> bool:
    """Whether `value` is a text, number, truth value or None, or a tuple of such nested at
    most `depth` deep: what shared values' fields hold. Checked before a value is hashed (a
    tuple nested a million deep would overflow the stack)."""
    kind = type(value)
    if kind in _LEAF_TYPES:  # the common case first, by exact type (~14 values a conflict)
        return True
    if kind is tuple and depth > 0:
        for item in value:  # type: ignore[attr-defined]
            if type(item) not in _LEAF_TYPES and not _flat(item, depth - 1):
                return False
        return True
    if isinstance(value, _LEAVES):
        return True
    return depth > 0 and isinstance(value, tuple) and all(_flat(v, depth - 1) for v in value)


class _SharingPickler(pickle.Pickler):
    """Gives equal values one persistent id object, which pickle's memo then writes once
    in the chunk (it memoizes by identity)."""

    def __init__(self, file: io.BytesIO, sharing: Sharing) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._sharing = sharing
        self._pids: dict[object, object] = {}

    def persistent_id(self, obj: object) -> object:
        pid = self._sharing.persistent_id(obj)
        return None if pid is None else self._pids.setdefault(pid, pid)


class _SharingUnpickler(RowUnpickler):
    def __init__(self, file: io.BytesIO, sharing: Sharing) -> None:
        super().__init__(file)
        self._sharing = sharing

    def persistent_load(self, pid: object) -> object:
        return self._sharing.persistent_load(pid)


def _with_logs(path: Path) -> tuple[Path, Path, Path]:
    """A SQLite file and the write-ahead log and shared memory beside it."""
    return path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")


_BUSY_MS = 2_000  # a question waits this long for another process's write, then goes on
_WAL_LIMIT_BYTES = 64 * 1024 * 1024


class RowsFile:
    """How to open a SQLite file of rows: its `schema` (statements run at each opening) and
    its `tables` (table name -> its columns, in order), which an opened file must have.

    `open` gives a connection that may write, else (a folder this process may not write) one
    that only reads what a writer left; None when neither can be had or the file is not one
    of these (questions then read the store). Connections are in autocommit mode, shared
    between threads (callers hold a lock of their own); `writing` takes a transaction.
    """

    def __init__(self, schema: str, tables: Mapping[str, list[str]]) -> None:
        self.schema = schema
        self.tables = dict(tables)
        self._made: dict[str, list[tuple[object, ...]]] | None = None

    def open(self, path: Path) -> tuple[sqlite3.Connection, bool] | None:
        """(a connection, whether it is read-only) or None; None too for a path that is
        there but no regular file, or whose ``-wal`` or ``-shm`` is not (a FIFO would block
        the opening for ever, a directory or a device is no file of rows)."""
        if not all(regular_or_missing(one) for one in _with_logs(path)):
            return None
        try:
            return self._open_writable(path), False
        except sqlite3.Error:
            try:  # a folder this process may not write: read what a writer left, if anything
                if not path.exists():
                    return None
                uri = f"{path.resolve().as_uri()}?mode=ro"
                db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
                self.check(db)
            except sqlite3.Error:
                return None  # not this file (or not readable)
            return db, True

    def _open_writable(self, path: Path) -> sqlite3.Connection:
        """The file at `path`, made if missing; one that is not this file (not SQLite, or
        tables of other shapes: not tmkg's) is removed and made anew. Raises `sqlite3.Error`
        when the folder or the file cannot be written."""
        for attempt in range(2):
            db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            try:
                db.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                # after each checkpoint the log is cut back to this size: a register's rows
                # would otherwise leave a log of gigabytes beside the file (1.7 GB at 1M)
                db.execute(f"PRAGMA journal_size_limit = {_WAL_LIMIT_BYTES}")
                db.executescript(self.schema)
                self.check(db)
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt or not path.is_file():
                    raise
                for leftover in _with_logs(path):
                    try:
                        leftover.unlink(missing_ok=True)
                    except OSError as error:  # made meanwhile into a folder, say: not used
                        raise sqlite3.OperationalError(f"cannot remove {leftover}") from error
        raise AssertionError("unreachable")

    def _shapes(self) -> dict[str, list[tuple[object, ...]]]:
        """Each table's columns as the schema makes them (``PRAGMA table_info``: name, type,
        NOT NULL, default, place in the primary key): a table made anew by hand without its
        key would let rows repeat."""
        if self._made is None:
            made = sqlite3.connect(":memory:")
            try:
                made.executescript(self.schema)
                self._made = {
                    table: made.execute(f"PRAGMA table_info({table})").fetchall()
                    for table in self.tables
                }
            finally:
                made.close()
            for table, shape in self._made.items():  # the columns tmkg reads are the schema's
                if [column[1] for column in shape] != self.tables[table]:
                    raise ValueError(f"the schema makes {table} with other columns")
        return self._made

    def check(self, db: sqlite3.Connection) -> None:
        """Raise `sqlite3.DatabaseError` unless the tables are tables with the columns the
        schema makes (names, types, constraints, keys: `_shapes`) and there is no trigger:
        an index file of another program, or tables written by hand."""
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master").fetchall())
        for table, shape in self._shapes().items():
            found = db.execute(f"PRAGMA table_info({table})").fetchall()
            if kinds.get(table) != "table" or found != shape:
                raise sqlite3.DatabaseError(f"{table} is not tmkg's table")
        if "trigger" in kinds.values():
            raise sqlite3.DatabaseError("a trigger: not tmkg's file")


@contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken before anything is read (``BEGIN IMMEDIATE``): the
    checks inside it hold until it commits, in any process."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
