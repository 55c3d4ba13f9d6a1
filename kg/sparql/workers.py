"""Query worker processes: SPARQL runs where it can be stopped, crash, and reach nothing.

pyoxigraph has no query timeout or cancel, and a thread cannot be stopped; a process can. A
small pool of warm worker processes (`kg.sparql.worker`) each opens a read-only *snapshot* of
the store (a RocksDB checkpoint made by `Store.backup`: hard links, milliseconds) and answers
one query at a time. A query past its time limit is stopped by killing its worker, which is
replaced in the background; so is a worker the engine crashed in (a parser segfault, a panic)
or that passed its memory limit, and the requester gets one line saying which. Workers are
confined (`kg.sparql.worker.confine`): unless the pool is made with ``network=True`` they
cannot open a network socket at all. The endpoint hands a query over from its event loop
(`QueryWorkerPool.run_async`: no thread per query, the time limit a timer on the loop); the
CLI and updates wait in a thread (`run`, `update`); both take from the same free workers
(`kg.sparql.handoff`). After each committed write the owner calls
`QueryWorkerPool.refresh`, which makes a new snapshot; each worker moves to it at its next
query, and old snapshots are deleted once no worker holds them. A SPARQL Update runs the same
way on a writable copy (`QueryWorkerPool.update`), which answers with the quads to remove and
add. Snapshot folders of a process that died without cleaning up are removed by the next pool
made beside the same store.

An in-memory store cannot be checkpointed: its quads are copied into a fresh on-disk store in
a temporary folder instead (O(size) per refresh; in-memory stores are for tests and demos).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import Forbidden, QueryCrashed, QueryError, QueryTimeout
from kg.ingest.load import MAX_IRI_CHARS, MAX_LITERAL_CHARS
from kg.sparql import worker as sparql_worker
from kg.sparql.handoff import (
    OUT_OF_MEMORY,
    IdleWorkers,
    ReplyReader,
    ReplyTimeout,
    outcome,
    timeout_error,
    worker_memory_error,
)
from kg.sparql.worker import QueryAnswer, QueryJob, SyntaxJob, UpdateJob
from kg.store import Store
from kg.store.writer_lock import process_identity as _process_identity

__all__ = ["QueryAnswer", "QueryJob", "QueryWorkerPool", "UpdateJob"]

_FOLDER_PREFIX = ".tmkg-sparql-snapshots-"
_OWNER_FILE = "owner"


class _Worker:
    """One worker process, the two pipes to it, and a file catching what it says on stderr."""

    def __init__(self, *, network: bool, memory_mb: int | None) -> None:
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        command = [sys.executable, sparql_worker.__file__, str(job_read), str(answer_write)]
        if memory_mb:
            command += ["--memory-mb", str(memory_mb)]
        if network:
            command.append("--network")
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by kill)
        self.process = subprocess.Popen(
            command,
            pass_fds=(job_read, answer_write),
            stdin=subprocess.DEVNULL,
            stderr=self.stderr,
        )
        os.close(job_read)
        os.close(answer_write)
        self.jobs = Connection(job_write, readable=False)
        os.set_blocking(answer_read, False)  # read as bytes come, never waiting on the loop
        self.answers = answer_read  # reply frames (`kg.sparql.handoff.ReplyReader`)
        self.snapshot: str | None = None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.jobs.close()
        with contextlib.suppress(OSError):
            os.close(self.answers)
        self.stderr.close()

    def death(self, what: str) -> QueryError:
        """The error for a worker that died while running `what` ("query"/"update")."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        status = self.process.returncode
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 8192))
        said = self.stderr.read().decode("utf-8", "replace")
        if any(sign in said for sign in OUT_OF_MEMORY):
            return worker_memory_error(what)
        how = (
            f"signal {signal.Signals(-status).name}"
            if status is not None and status < 0
            else f"exit status {status}"
        )
        return QueryCrashed(
            f"the SPARQL engine crashed on this {what} ({how}); only its worker process "
            "died and nothing was changed",
            suggestion="this is a fault of the engine (Oxigraph), not of the request; "
            "rewrite the query (e.g. fewer nested or chained parts)",
        )


class QueryWorkerPool:
    """A pool of killable query workers over snapshots of one store.

    >>> from kg.store import open_store
    >>> pool = QueryWorkerPool(open_store("memory"), size=1)
    >>> pool.run(QueryJob("ASK {}"), timeout=30).body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(
        self,
        store: Store,
        *,
        size: int = 2,
        network: bool = False,
        memory_mb: int | None = None,
    ) -> None:
        self._store = store
        self._size = max(1, size)
        self._network = network
        self._memory_mb = memory_mb
        parent = _snapshot_parent(store)
        remove_stale_folders(Path(parent or tempfile.gettempdir()))
        self._folder = Path(tempfile.mkdtemp(prefix=_FOLDER_PREFIX, dir=parent))
        (self._folder / _OWNER_FILE).write_text(_process_identity(os.getpid()))
        self._updates = 0
        self._lock = threading.Lock()
        self._generation = 0
        self._snapshot = ""
        self._workers: set[_Worker] = set()
        self._idle: IdleWorkers[_Worker] = IdleWorkers()
        self._closed = False
        self.refresh()
        for _ in range(self._size):
            self._add_worker()

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        with self._lock:
            return [worker.process.pid for worker in self._workers]

    def refresh(self) -> None:
        """Snapshot the store as it is now; later queries see this state."""
        with self._lock:
            self._generation += 1
            target = self._folder / f"snapshot-{self._generation}"
            self._snapshot = _snapshot(self._store, target)
            self._delete_unused_snapshots()

    def run(self, job: QueryJob, *, timeout: float | None) -> QueryAnswer:
        """Answer a job in a worker; stop it (kill the worker) after `timeout` seconds.

        Waits at most `timeout` seconds for a free worker first. Raises `QueryTimeout`,
        `QueryError` (malformed or failed query) or `StoreError` (a worker died).
        """
        worker = self._idle_worker(self._idle.take(timeout), timeout)
        moved = self._assign_snapshot(worker)
        head, body = self._exchange(worker, ("query", worker.snapshot, _fields(job)), timeout)
        return self._answer(head, body, moved)

    async def run_async(self, job: QueryJob, *, timeout: float | None) -> QueryAnswer:
        """`run` on the running event loop: no thread waits for the worker, and the time
        limit is a timer on the loop. Raises as `run` does; a cancelled call kills the
        worker, so a query nobody waits for does not run on."""
        worker = self._idle_worker(await self._idle.take_async(timeout), timeout)
        moved = self._assign_snapshot(worker)
        message = ("query", worker.snapshot, _fields(job))
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[tuple[object, bytes]] = loop.create_future()
        reader = ReplyReader(worker.answers)

        def readable() -> None:
            try:
                complete = reader.feed()
            except Exception as error:  # EOF: the worker died; anything else: as good as dead
                loop.remove_reader(worker.answers)
                if not reply.done():
                    reply.set_exception(EOFError(str(error)))
                return
            if complete is not None:
                loop.remove_reader(worker.answers)
                if not reply.done():
                    reply.set_result(complete)

        try:
            worker.jobs.send(message)  # a free worker is blocked reading: this never waits long
            loop.add_reader(worker.answers, readable)
        except OSError:
            raise await asyncio.to_thread(self._died, worker, "query") from None
        try:
            async with asyncio.timeout(timeout):
                head, body = await reply
        except TimeoutError:
            loop.remove_reader(worker.answers)
            await asyncio.to_thread(self._replace, worker)
            raise timeout_error("query", time.monotonic() - started, timeout) from None
        except EOFError:
            raise await asyncio.to_thread(self._died, worker, "query") from None
        except BaseException:  # cancelled: nobody waits for this query any more
            loop.remove_reader(worker.answers)
            self._replace(worker)
            raise
        self._idle.put(worker)
        return self._answer(head, body, moved)

    def update(
        self, job: UpdateJob, *, timeout: float | None
    ) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """Run a SPARQL Update in a worker on a copy of the store as it is now.

        Returns the quads the update removes and adds; the store itself is not touched (the
        caller applies them, holding its write lock from before this call until then). Raises
        as `run` does, and `Forbidden`
        when the update tried to reach the network (``LOAD``, ``SERVICE``).
        """
        if getattr(self._store, "read_only", False):
            raise Forbidden("the store was opened read-only: it takes no update")
        worker = self._idle_worker(self._idle.take(timeout), timeout)
        with self._lock:
            self._updates += 1
            copy = self._folder / f"update-{self._updates}"
        try:
            _snapshot(self._store, copy)
            head, body = self._exchange(
                worker, ("update", str(copy), _fields(job)), timeout, what="update"
            )
        finally:
            shutil.rmtree(copy, ignore_errors=True)
        split = outcome(head, "update")
        assert isinstance(split, int)
        return _parse_nquads(body[:split]), _parse_nquads(body[split:])

    def check_syntax(self, job: SyntaxJob, *, timeout: float | None) -> None:
        """Parse a query or update in a worker (it runs nothing on the store); raise
        `QueryError` when it is malformed, as `run` and `update` would."""
        worker = self._idle_worker(self._idle.take(timeout), timeout)
        what = "update" if job.update else "query"
        head, _ = self._exchange(worker, ("check", "", _fields(job)), timeout, what=what)
        outcome(head, what)

    @staticmethod
    def _idle_worker(worker: _Worker | None, timeout: float | None) -> _Worker:
        if worker is None:
            raise QueryTimeout(
                f"every query worker stayed busy for {timeout:g} s",
                suggestion="retry later, or start the server with more --query-workers",
            )
        return worker

    def _assign_snapshot(self, worker: _Worker) -> bool:
        """Point the worker at the current snapshot; whether it moved from an older one."""
        with self._lock:
            moved = worker.snapshot != self._snapshot
            worker.snapshot = self._snapshot
        return moved

    def _answer(self, head: object, body: bytes, moved: bool) -> QueryAnswer:
        if moved:  # the worker let go of its older snapshot: delete those no one holds
            with self._lock:
                self._delete_unused_snapshots()
        kind, answer_format, rows, truncated = outcome(head, "query")  # type: ignore[misc]
        return QueryAnswer(kind, answer_format, body, rows, truncated)

    def _exchange(
        self,
        worker: _Worker,
        job: tuple[str, str | None, tuple[object, ...]],
        timeout: float | None,
        *,
        what: str = "query",
    ) -> tuple[object, bytes]:
        """Send a job to a worker that is not idle, wait for its reply; free or replace it."""
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout
        try:
            worker.jobs.send(job)
            reply = ReplyReader(worker.answers).read(deadline)
        except ReplyTimeout:
            self._replace(worker)
            raise timeout_error(what, time.monotonic() - started, timeout) from None
        except (EOFError, OSError):
            raise self._died(worker, what) from None
        self._idle.put(worker)
        return reply

    def _died(self, worker: _Worker, what: str) -> QueryError:
        """Replace a worker that died; the error that says why."""
        error = worker.death(what)
        self._replace(worker)
        return error

    def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _add_worker(self) -> None:
        worker = _Worker(network=self._network, memory_mb=self._memory_mb)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        threading.Thread(target=self._add_worker, name="sparql-worker-start", daemon=True).start()

    def _delete_unused_snapshots(self) -> None:
        held = {w.snapshot for w in self._workers} | {self._snapshot}
        for folder in self._folder.glob("snapshot-*"):  # update copies are removed by update()
            if str(folder) not in held:
                shutil.rmtree(folder, ignore_errors=True)


def _snapshot_parent(store: Store) -> str | None:
    """Beside an on-disk store (a checkpoint hard-links only on the same file system), else tmp."""
    if store.persistent:
        parent = Path(store.location).parent
        if os.access(parent, os.W_OK):
            return str(parent)
    return None


def _snapshot(store: Store, target: Path) -> str:
    """Write a consistent on-disk copy of the store that a worker can open read-only; its path.

    A store opened read-only is not copied (a checkpoint of a read-only RocksDB misses what the
    writer has not flushed yet): the worker opens the store itself read-only, as its opener
    did, and nothing is made at `target`.
    """
    native = getattr(store, "native", None)
    if getattr(store, "read_only", False):
        return store.location
    if isinstance(native, ox.Store) and store.persistent:
        native.backup(str(target))
        return str(target)
    copy = ox.Store(str(target))
    copy.bulk_extend(store.quads())
    copy.flush()
    del copy
    return str(target)


def _fields(job: QueryJob | UpdateJob | SyntaxJob) -> tuple[object, ...]:
    """A job's fields in order, as the worker rebuilds it (``QueryJob(*fields)``)."""
    return tuple(job.__dict__.values())


def _parse_nquads(data: bytes) -> list[ox.Quad]:
    """The quads an update removed or added, as its worker wrote them. Raises `QueryError`
    for a term past the parser's 16 MiB buffer (helper-110 F7: a GROUP_CONCAT of 18.9
    million characters was a 500)."""
    try:
        return list(ox.parse(data, format=ox.RdfFormat.N_QUADS)) if data else []
    except MemoryError as error:
        if "buffer maximal size" not in str(error):
            raise
        raise QueryError(
            "the update writes a literal or IRI longer than 16 MiB (literals may have "
            f"{MAX_LITERAL_CHARS:,} characters, IRIs {MAX_IRI_CHARS:,})",
            suggestion="store large documents elsewhere and link them by IRI",
        ) from None


def remove_stale_folders(parent: Path) -> list[Path]:
    """Delete snapshot folders in `parent` whose owning process is gone; the folders removed.

    A folder is stale when its owner file names a process that no longer runs (or another
    process with the same id), or when it has no owner file and is over an hour old (a crash
    between making the folder and writing the file, or an older tmkg).
    """
    removed = []
    for folder in parent.glob(_FOLDER_PREFIX + "*"):
        owner = folder / _OWNER_FILE
        try:
            identity = owner.read_text(encoding="ascii").strip()
        except OSError:
            try:
                stale = time.time() - folder.stat().st_mtime > 3600
            except OSError:
                continue
        else:
            pid = int(identity.split()[0]) if identity.split()[0].isdigit() else -1
            alive = pid > 0 and Path(f"/proc/{pid}").exists()
            stale = not alive or _process_identity(pid) != identity
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
