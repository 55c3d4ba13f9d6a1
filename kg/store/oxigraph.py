"""The default backend: Oxigraph, persistent on disk (RocksDB) or in memory.

Oxigraph is a Rust SPARQL engine: loading and querying run natively, not in Python.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, StoreLocked
from kg.store import foreign_files, fsync_directory, no_store_at
from kg.store.base import GraphName, QueryResult, Term
from kg.store.crashpoints import reached
from kg.store.touched import Touched
from kg.store.write_journal import WriteJournal
from kg.store.write_stamp import WriteStamp
from kg.store.writer_lock import WriterLock

__all__ = [
    "MemoryStore",
    "OxigraphStore",
    "Stage",
    "make_room",
    "scan_checkpoint_path",
    "scan_claims_path",
]


class OxigraphStore:
    """Oxigraph on disk at `path`; every write is all or nothing.

    Small writes are RocksDB transactions. Oxigraph's transactions are slow for big batches
    (~20k quads/s), so a batch of `BULK_MIN_QUADS` or more is bulk-loaded (~70-120k quads/s)
    into a checkpoint copy of the store (hard links, milliseconds) that then replaces the store
    by two directory renames. A crash before the renames leaves the store as it was; a crash
    between them is rolled forward the next time the store is opened.

    The swap replaces the open handle, which threads reading the store at that moment would
    lose: a server (`POST /load`) sets `bulk_swap` to False, and every batch is then one
    transaction, slower but never in a reader's way.
    """

    backend: ClassVar[str] = "oxigraph"
    persistent: ClassVar[bool] = True
    transactional: ClassVar[bool] = True

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        # one store whatever path names it (a symlink, a bind mount): the writer lock, the
        # staged swap and the files kept beside the store go by the folder's real path
        self._path = Path(os.path.realpath(path)) if path is not None else None
        self._write_lock = threading.RLock()
        self._writer: WriterLock | None = None
        self.read_only = read_only and self._path is not None
        """Opened without the writer lock, on the store as it was at opening; writes fail."""
        self.bulk_swap = True
        """Whether big batches go through the staged bulk load (see the class docstring)."""
        if self._path is not None and self._path.exists() and not self._path.is_dir():
            raise StoreError(
                f"{self._path} is a file, not the folder of a store",
                suggestion="name a store's folder with --store (or KG_STORE); the files to "
                "load or import go after the command",
            )
        foreign = foreign_files(self._path) if self._path is not None else []
        if foreign:  # a bulk load replaces the store's folder whole: it would delete them
            raise StoreError(
                f"{self._path} holds files that are not a store's ({', '.join(foreign)}): "
                "a store is made in a new or empty folder only",
                suggestion="name a new or empty folder with --store",
            )
        self._stamp: WriteStamp | None = None
        self._opened_stamp: str | None = None  # a read-only view's (`write_stamp`)
        # this handle's writes: (token before, token after, what it touched), oldest first
        self._journal: list[tuple[str | None, str, Touched]] = []
        if self._path is None:
            self._store = ox.Store()
        elif self.read_only:
            stamp = WriteStamp(self._path)
            before = stamp.read()
            self._store = _open_read_only(self._path)
            # a write between the two readings: which state the view shows is not known
            self._opened_stamp = before if stamp.read() == before else None
        else:
            self._writer = WriterLock(self._path)
            try:
                self._writer.acquire(str(self._path))
            except OSError as error:  # a parent that is a file, a folder not writable...
                raise StoreError(
                    f"cannot create or open the store at {self._path}: "
                    f"{error.strerror or error}: {error.filename or self._path}",
                    suggestion="name a folder that exists or can be made, with --store",
                ) from error
            try:
                _recover(self._path)  # we hold the writer lock: no live write owns those files
                new_store = no_store_at(self._path)
                self._path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self._path))
                self._stamp = WriteStamp(self._path)
                self._stamp.settle(new_store=new_store)
                self._write_journal = WriteJournal(self._path)
            except (OSError, RuntimeError) as error:  # RocksDB's errors arrive as either
                self._writer.release()
                raise _open_error(self._path, error) from error

    @property
    def location(self) -> str:
        return str(self._path) if self._path is not None else ":memory:"

    @property
    def write_stamp(self) -> str | None:
        """The token of the state of the store this handle reads (`kg.store.write_stamp`):
        what a cache computed from it records. None in memory, during a write, after a write
        that did not finish, and for a read-only view opened while a write went on."""
        if self._path is None:
            return None
        if self.read_only:
            return self._opened_stamp
        assert self._stamp is not None
        return None if self._stamp.writing else self._stamp.read()

    def touched_since(self, token: str | None) -> Touched:
        """What the store's writes touched since its write token was `token` (none if it
        still is): this handle's own as it remembers them, others' (another process's, or
        this handle's forgotten) as the journal kept beside the store tells them
        (`kg.store.write_journal`); not known (`Touched.known` False) when a write did not
        say, did not finish, or is older than what either keeps (`Touched.MAX_TERMS` nodes,
        64 writes)."""
        current = self.write_stamp
        if token is None or current is None:
            return Touched.unknown()
        touched = Touched()
        if token == current:
            return touched
        starts = [i for i, (before, _, _) in enumerate(self._journal) if before == token]
        if not starts:  # another process's writes, or this one's forgotten: the journal's
            assert self._path is not None
            return WriteJournal(self._path).since(token, current)
        expected = token
        for before, after, told in self._journal[starts[-1] :]:
            if before != expected:
                return Touched.unknown()
            touched.update(told)
            expected = after
        return touched if expected == current else Touched.unknown()

    @contextmanager
    def _stamped(self, quads: Sequence[ox.Quad] | None = None) -> Iterator[_Write]:
        """Around a write (call with the write lock held): the store's token replaced
        before it begins, marked finished when it ends (`kg.store.write_stamp`), and what it
        touched remembered (`touched_since`): the nodes of `quads`, or what the caller sets
        on the `_Write` it is given (not known unless set)."""
        write = _Write(Touched.unknown() if quads is None else Touched())
        if quads is not None:
            write.touched.record(quads)
        if self._stamp is None:
            yield write
            return
        outer = not self._stamp.writing
        try:
            self._stamp.begin()
        except OSError as error:
            raise StoreError(
                f"cannot write beside the store at {self.location}: {error}"
            ) from error
        try:
            yield write
        finally:
            if outer and self._stamp.token is not None:
                # for the processes that come after, before the token is finished
                self._write_journal.append(self._stamp.before, self._stamp.token, write.touched)
            with suppress(OSError):  # left pending: nothing computed before is trusted
                self._stamp.end()
            if outer and self._stamp.token is not None:
                self._remember(self._stamp.before, self._stamp.token, write.touched)

    def _remember(self, before: str | None, after: str, touched: Touched) -> None:
        self._journal.append((before, after, touched))
        held = sum(len(told.terms) for _, _, told in self._journal)
        while self._journal and (len(self._journal) > 64 or held > Touched.MAX_TERMS):
            held -= len(self._journal.pop(0)[2].terms)

    @property
    def native(self) -> ox.Store:
        """The underlying `pyoxigraph.Store`, for backend-specific work (bulk loads, dumps)."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        options: dict[str, object] = {"prefixes": prefixes} if prefixes else {}
        if default_graphs:
            options["default_graph"] = list(default_graphs)
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = list(named_graphs)
        try:
            return self._store.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error {_syntax_message(error)}") from None
        except (OSError, ValueError, TypeError, RuntimeError) as error:
            raise QueryError(f"SPARQL query failed: {error}") from None

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            with self._write_lock, self._stamped():
                self._store.update(sparql)
        except SyntaxError as error:
            raise QueryError(f"SPARQL Update syntax error {_syntax_message(error)}") from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"SPARQL Update failed: {error}") from None

    def add(self, quads: Iterable[ox.Quad]) -> int:
        self._check_writable()
        with self._write_lock:  # a bulk write copies the store: no write may slip in meanwhile
            new = [quad for quad in quads if quad not in self._store]
            if len(new) >= BULK_MIN_QUADS and self._path is not None and self.bulk_swap:
                self._bulk_add(new)
            elif new:
                with self._stamped(new):
                    self._write(self._store.extend, new)
            return len(new)

    def _bulk_add(self, quads: list[ox.Quad]) -> None:
        with self.staged() as stage:
            stage.track()
            stage.record(quads)
            reached("bulk:extend")
            stage.store.bulk_extend(quads)

    @property
    def can_stage(self) -> bool:
        """Whether `staged` can give a private copy (not read-only; on disk, not in a server
        that set `bulk_swap` to False)."""
        return not self.read_only and (self._path is None or self.bulk_swap)

    @contextmanager
    def staged(self) -> Iterator[Stage]:
        """A private copy of the store (`Stage.store`) to write into freely (``bulk_extend``,
        ``remove``), which replaces the store when the block ends normally and is thrown away,
        leaving the store exactly as it was, when the block raises. On disk the copy is a
        RocksDB checkpoint (hard links: milliseconds) swapped in by two renames (crash-safe,
        see the class docstring); in memory, a copy. Other writes wait until the block ends.
        Keep no reference to `Stage.store` beyond the block: the copy is closed when it ends.

        Raises `StoreError` when the copy cannot be made or written.
        """
        self._check_writable()
        with self._write_lock:
            if self._path is None:
                stage = Stage(ox.Store())
                stage.store.bulk_extend(self._store)
                yield stage
                self._store, stage.store = stage.store, None  # type: ignore[assignment]
                return
            with self._stamped() as write:
                stage = yield from self._staged_on_disk(self._path, write)
                write.touched = stage.touched

    def _staged_on_disk(self, path: Path, write: _Write) -> Generator[Stage, None, Stage]:
        """`staged` on disk: a checkpoint copy written, then swapped in (or thrown away: the
        write then touched nothing, which `write` is told, so that what was kept beside the
        store for it stays, as after a load refused for a parse error or a violation)."""
        staging, old = _staging_paths(path)
        make_room(staging)
        stage = self._checkpoint(staging, f"bulk write to the store at {self.location} failed")
        try:
            yield stage
            stage.store.flush()
        except OSError as error:
            stage.close()
            shutil.rmtree(staging, ignore_errors=True)
            write.touched = Touched()
            raise StoreError(
                f"bulk write to the store at {self.location} failed: {error}"
            ) from error
        except BaseException:
            stage.close()
            shutil.rmtree(staging, ignore_errors=True)
            write.touched = Touched()
            raise
        stage.close()
        self._swap(staging, old)
        return stage

    def _checkpoint(self, path: Path, failure: str, suggestion: str | None = None) -> Stage:
        """A RocksDB checkpoint of the store (hard links: milliseconds) at `path`, opened; on
        failure the folder is removed and `StoreError` raised ("`failure`: the error").

        From a read-only handle the checkpoint races with the writer beside it: a compaction
        or a commit deletes files (an ``.sst``, the ``MANIFEST``) that the handle's view still
        names ("No such file or directory: while link file"), so each attempt takes a fresh
        read-only view of the store as it is then (`_open_read_only`), `_READ_ATTEMPTS`
        times (a session-15 trial: 7 of 20 checks beside a writing server failed)."""
        attempts = _READ_ATTEMPTS if self.read_only and self._path is not None else 1
        for attempt in range(attempts):
            make_room(path)
            make_room(path.with_name(f"{path.name}.tmp"))  # RocksDB writes the copy there first
            try:
                if self.read_only:
                    source = self._store if attempt == 0 else _open_read_only(self._path)
                else:
                    self._store.flush()
                    source = self._store
                source.backup(str(path))
                return Stage(ox.Store(str(path)), path)
            except (OSError, RuntimeError) as error:  # RocksDB's errors arrive as either
                shutil.rmtree(path, ignore_errors=True)
                if attempt + 1 < attempts and "No such file" in str(error):
                    time.sleep(0.02 * (attempt + 1))
                    continue
                denied = isinstance(error, PermissionError) or "Permission denied" in str(error)
                raise StoreError(
                    f"{failure}: {error}",
                    suggestion=suggestion if denied else "try again",
                ) from error
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def throwaway(self) -> AbstractContextManager[Stage]:
        """A private copy of the store to write into and judge, then throw away: what
        ``kg import --check`` imports into, so that checking a file costs the memory an import
        does, whatever its size (not the file's quads held in Python). Works from a read-only
        handle too, which neither writes the store nor takes its writer lock: a check runs
        beside a server or a load. On disk the copy is a RocksDB checkpoint (hard links:
        milliseconds) beside the store, ``.<name>.check-<pid>-<n>`` (`_check_stage`); in
        memory, a copy. Raises `StoreError` when the copy cannot be made."""
        return self._check_stage(
            lambda path: self._checkpoint(
                path,
                f"cannot copy the store at {self.location} to check the files against",
                suggestion="the store's folder must be writable for a check (it holds a "
                "throwaway copy for the check's duration)",
            ),
            copy=True,
        )

    def check_scratch(self) -> AbstractContextManager[Stage]:
        """A private, empty store to load files into and judge them there against this one,
        then throw away (``kg validate``): on disk beside the store as a `throwaway` copy is
        (`_check_stage`), in memory for an in-memory store."""
        return self._check_stage(_empty_store, copy=False)

    @contextmanager
    def _check_stage(self, make: Callable[[Path], Stage], *, copy: bool) -> Iterator[Stage]:
        """A store of this process's own for a check: `make` opens it at a folder beside the
        store, ``.<name>.check-<pid>-<n>``, removed whatever ends the block, even a signal
        while it is being made (and a killed check's by the next check or writer, once its
        process is gone); in memory a new store, holding this one's quads when `copy`."""
        if self._path is None:
            stage = Stage(ox.Store())
            if copy:
                stage.store.bulk_extend(self._store)
            try:
                yield stage
            finally:
                stage.close()
            return
        _remove_abandoned_checks(self._path)
        path = _check_path(self._path)
        try:
            stage = make(path)
            try:
                yield stage
            finally:
                stage.close()
        finally:
            make_room(path)
            make_room(path.with_name(f"{path.name}.tmp"))  # RocksDB's, while it copies

    @contextmanager
    def scratch(self) -> Iterator[ox.Store]:
        """A private, empty store to stage data in before it is judged (a streamed load):
        on disk beside the store (``.<name>.incoming``, removed when the block ends, and by
        the next writer if a crash left it), in memory for an in-memory store."""
        if self._path is None:
            yield ox.Store()
            return
        path = _scratch_path(self._path)
        shutil.rmtree(path, ignore_errors=True)
        try:
            yield ox.Store(str(path))
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def _swap(self, staging: Path, old: Path) -> None:
        assert self._path is not None
        # The staging copy is complete and closed: swap it in. Our handle on the old copy is
        # dropped first (RocksDB will not open the new copy while this process holds the lock
        # file of that path); renaming a directory does not disturb handles still open on it.
        reached("bulk:staged")
        del self._store
        os.rename(self._path, old)
        reached("bulk:between-renames")
        os.rename(staging, self._path)
        fsync_directory(self._path.parent)
        reached("bulk:swapped")
        try:
            self._store = ox.Store(str(self._path))
        except OSError as error:
            raise StoreError(
                f"the bulk write to {self.location} is complete, but the store could not be "
                f"reopened in this process: {error}",
                suggestion="reopen the store (restart the command or the server)",
            ) from error
        shutil.rmtree(old, ignore_errors=True)

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        self._check_writable()
        with self._write_lock:
            present = [quad for quad in quads if quad in self._store]
            if not present:
                return 0
            with self._stamped(present):
                if any(_has_blank_node(quad) for quad in present):
                    # DELETE DATA cannot name blank nodes; tmkg skolemizes them on load: rare.
                    for quad in present:
                        self._store.remove(quad)
                    return len(present)
                # One SPARQL Update is one transaction, so a failed removal removes nothing.
                body = "\n".join(_ntriples_quad(quad) for quad in present)
                self.update(f"DELETE DATA {{ {body} }}")
                return len(present)

    def replace(self, removed: Sequence[ox.Quad], added: Sequence[ox.Quad]) -> None:
        """Remove some quads and add others in one transaction (a SPARQL Update's effect).

        The text is written here from parsed quads (``DELETE DATA``/``INSERT DATA``), never
        from a user's text. Quads that hold a blank node cannot be named in ``DELETE DATA`` or
        ``INSERT DATA`` (which makes a new node of each label): those (rare: the loader
        skolemizes blank nodes) are removed first and added last, each in a transaction of
        their own. A named graph left without quads is removed from the list of
        graphs (tmkg's graphs exist by their quads). Raises `StoreError` if the store cannot be
        written.
        """
        self._check_writable()
        with self._write_lock, self._stamped([*removed, *added]):
            named = [quad for quad in removed if not _has_blank_node(quad)]
            for quad in removed:
                if _has_blank_node(quad):
                    self._store.remove(quad)
            # INSERT DATA makes a new blank node of each label: quads that hold one are added
            # as they are, after the update, in a transaction of their own (rare, as above)
            blank = [quad for quad in added if _has_blank_node(quad)]
            inserted = [quad for quad in added if not _has_blank_node(quad)]
            operations = []
            if named:
                operations.append(
                    "DELETE DATA { " + "\n".join(_ntriples_quad(q) for q in named) + " }"
                )
            if inserted:
                operations.append(
                    "INSERT DATA { " + "\n".join(_ntriples_quad(q) for q in inserted) + " }"
                )
            if not operations and not blank:
                return
            try:
                if operations:
                    self._store.update(" ;\n".join(operations))
                if blank:
                    self._store.extend(blank)
                # A graph exists by its quads: one the update emptied is not left listed.
                for name in {q.graph_name for q in removed} - {q.graph_name for q in added}:
                    if isinstance(name, ox.DefaultGraph):
                        continue
                    left = self._store.quads_for_pattern(None, None, None, name)
                    if next(iter(left), None) is None:
                        self._store.remove_graph(name)
            except (OSError, SyntaxError, ValueError, RuntimeError) as error:
                raise StoreError(
                    f"writing to the store at {self.location} failed: {error}"
                ) from error

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(subject, predicate, obj, graph))

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        return list(self._store.named_graphs())

    def count(self, graph: GraphName | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))

    def flush(self) -> None:
        """Make pending writes durable on disk."""
        if self._path is not None:
            self._store.flush()

    def close(self) -> None:
        """Flush and release the store; closing it again does nothing."""
        if not hasattr(self, "_store"):
            return
        if self._path is not None and not self.read_only:
            self._store.flush()
        # pyoxigraph releases the RocksDB lock when the Store object is collected.
        del self._store
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"the store at {self.location} was opened read-only here",
                suggestion="write with `kg load` (or POST /load to a running `kg serve`)",
            )

    def _write(self, operation: Callable[[list[ox.Quad]], None], quads: list[ox.Quad]) -> None:
        try:
            operation(quads)
        except OSError as error:
            raise StoreError(f"writing to the store at {self.location} failed: {error}") from error


class _Write:
    """A write under way (`OxigraphStore._stamped`): what it touched, as far as it is told."""

    def __init__(self, touched: Touched) -> None:
        self.touched = touched


class Stage:
    """A private copy of an `OxigraphStore` being written (`OxigraphStore.staged`).

    What the writes into it touched is not known (caches beside the store are dropped whole
    when it is swapped in) unless its writer calls `track` first and then `record` with every
    quad it adds or removes."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        """Where the copy is on disk (None in memory): another process may open it read-only
        while nothing writes to it (flush first)."""
        self.touched = Touched.unknown()

    def track(self) -> None:
        """From now on every quad written is `record`ed: what the write touched is known."""
        self.touched = Touched()

    def record(self, quads: Iterable[ox.Quad]) -> None:
        """Note quads added to or removed from the copy (when tracking)."""
        self.touched.record(quads)

    def close(self) -> None:
        """Drop the handle, so RocksDB releases the copy (pyoxigraph closes on collection)."""
        self.store = None  # type: ignore[assignment]


class MemoryStore(OxigraphStore):
    """Oxigraph in memory: the same engine, nothing kept after the process ends (for tests)."""

    persistent: ClassVar[bool] = False

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        super().__init__(None)


BULK_MIN_QUADS = 50_000
"""Batches at least this big go through the staged bulk load instead of one transaction."""


def _scratch_path(path: Path) -> Path:
    return path.parent / f".{path.name}.incoming"


def scan_checkpoint_path(stage: Path) -> Path:
    """Where a checkpoint of the staged copy at `stage` is kept while a second process reads
    it (`kg.ingest.stream_load.judge_loaded`); a crash's leftover (the checkpoint, or the
    ``.tmp`` folder RocksDB writes it into) is removed on recovery."""
    return stage.parent / f"{stage.name}.scan"


def scan_claims_path(stage: Path) -> Path:
    """The folder where the processes sharing the scans of the staged copy at `stage` claim
    them (`kg.ingest.scan_worker.Claims`); a crash's leftover is removed on recovery."""
    return stage.parent / f"{stage.name}.claims"


def _empty_store(path: Path) -> Stage:
    """A new, empty store at `path` (`OxigraphStore.check_scratch`)."""
    try:
        return Stage(ox.Store(str(path)), path)
    except (OSError, RuntimeError) as error:
        raise StoreError(
            f"cannot make a scratch store at {path} to check files in: {error}",
            suggestion="the store's folder must be writable for a check",
        ) from error


def _check_path(path: Path) -> Path:
    """A folder beside the store for one `OxigraphStore.throwaway` copy: its process id and
    a counter make it this process's own."""
    return path.parent / f".{path.name}.check-{os.getpid()}-{next(_CHECK_COPIES)}"


_CHECK_COPIES = itertools.count()


def _remove_abandoned_checks(path: Path) -> None:
    """Remove the check copies beside the store (`_check_path`) whose process is gone (a
    killed check), before a check makes its own and when a writer recovers: beside a server
    that holds the writer lock for weeks, no writer's recovery would."""
    for copy in path.parent.glob(f".{path.name}.check-*"):
        pid = copy.name.rsplit(".check-", 1)[1].split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(copy, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _staging_paths(path: Path) -> tuple[Path, Path]:
    return path.parent / f".{path.name}.staging", path.parent / f".{path.name}.old"


def _recover(path: Path) -> None:
    """Finish or undo a bulk write that a crash interrupted (see `OxigraphStore`).

    Only a holder of the writer lock calls this: the process that staged the files is dead."""
    staging, old = _staging_paths(path)
    if not path.exists() and old.exists():
        # Crashed between the two renames: the staging copy was complete, roll forward.
        os.rename(staging if staging.exists() else old, path)
    if path.exists():
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(_scratch_path(path), ignore_errors=True)
    checkpoint = scan_checkpoint_path(staging)
    shutil.rmtree(checkpoint, ignore_errors=True)
    shutil.rmtree(scan_claims_path(staging), ignore_errors=True)
    # RocksDB writes a checkpoint into "<name>.tmp" and renames it when complete: a crash
    # during the checkpoint leaves that folder instead (the staged copy's own too: a load
    # killed while its copy was being made, seen on a loaded machine 2026-12-04)
    for copy in (checkpoint, staging):
        shutil.rmtree(copy.with_name(f"{copy.name}.tmp"), ignore_errors=True)
    for trash in path.parent.glob(f"{staging.name}.trash-*"):
        shutil.rmtree(trash, ignore_errors=True)
    _remove_abandoned_checks(path)  # a check's copy, or its trash: never the store's


def make_room(path: Path) -> None:
    """Make room at `path` for a new copy. A copy that a failed write left may still be held
    open (an exception's traceback keeps its handle alive) and written by RocksDB's
    background threads while it is removed, so removing can leave the folder behind; then
    it is renamed aside (``<name>.trash-<pid>-<n>``, removed now if it can be, else by the
    next recovery)."""
    shutil.rmtree(path, ignore_errors=True)
    if path.exists():
        trash = path.with_name(f"{path.name}.trash-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(path, trash)
        shutil.rmtree(trash, ignore_errors=True)


_READ_ATTEMPTS = 12


def _open_read_only(path: Path) -> ox.Store:
    """A read-only view of the store as it is now, beside any writer, never writing.

    Opening can fail for a moment while a writer works: between the two renames of a bulk
    write the folder is missing, and RocksDB may delete a file that the opening is reading
    ("Corruption: ... No such file", raised by pyoxigraph as OSError or RuntimeError); so it
    is tried again. Once open, the view keeps its files open: a bulk write that replaces the
    folder does not disturb it.
    """
    error: Exception | None = None
    for attempt in range(_READ_ATTEMPTS):
        if not path.exists() and not _staging_paths(path)[1].exists():
            break  # no store and no interrupted write: nothing to wait for
        if not path.exists():
            _recover_if_abandoned(path)
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as failure:
            error = failure
            time.sleep(0.02 * (attempt + 1))
    if error is None:
        raise StoreError(
            f"there is no store at {path}",
            suggestion="load data first (kg load --seed --store PATH), or name another --store",
        )
    if "Corruption" in str(error) and "No such file" not in str(error):
        raise StoreError(f"the store at {path} is damaged: {error}", suggestion=_DAMAGED_SUGGESTION)
    raise StoreError(
        f"cannot open the store at {path} for reading: {error}",
        suggestion="try again; if it persists, run a writing command (kg load) on it once",
    )


def _recover_if_abandoned(path: Path) -> None:
    # A bulk write is between its renames: wait for it, unless its writer is dead.
    lock = WriterLock(path)
    if lock.try_acquire(str(path)):
        try:
            _recover(path)
        finally:
            lock.release()


def _open_error(path: Path, error: Exception) -> StoreError:
    text = str(error)
    if "lock" in text.lower():  # RocksDB's own lock: a writer of an older tmkg, or no flock
        return StoreLocked(
            f"the store at {path} is open in another process",
            suggestion="stop the other `kg serve`/`kg load`, or pass --store elsewhere",
        )
    if "Corruption" in text:
        return StoreError(f"the store at {path} is damaged: {text}", suggestion=_DAMAGED_SUGGESTION)
    return StoreError(f"cannot open the store at {path}: {text}")


_DAMAGED_SUGGESTION = (
    "restore the folder from a backup, or load its data again into a new store (--store "
    "elsewhere); is it a store's folder at all?"
)


def _ntriples_quad(quad: ox.Quad) -> str:
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return f"{quad.subject} {quad.predicate} {quad.object} ."
    return f"GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }}"


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_MAX_EXPECTED = 160


def _syntax_message(error: SyntaxError) -> str:
    """'at line L, column C: ...' from Oxigraph's 'error at L:C: ...', long lists cut short."""
    text = str(error)
    match = _SYNTAX.search(text)
    if match is None:
        return f": {text}"
    line, column, detail = match.groups()
    detail = " ".join(detail.split())
    if len(detail) > _MAX_EXPECTED:
        detail = detail[:_MAX_EXPECTED].rsplit(" ", 1)[0] + " …"
    return f"at line {line}, column {column}: {detail}"
