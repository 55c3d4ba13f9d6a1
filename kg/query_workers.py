"""Query worker processes: SPARQL runs where it can be stopped.

pyoxigraph has no query timeout or cancel, and a thread cannot be stopped; a process can. A
small pool of warm worker processes (`kg.sparql_worker`) each opens a read-only *snapshot* of
the store (a RocksDB checkpoint made by `Store.backup`: hard links, milliseconds) and answers
one query at a time. A query past its time limit is stopped by killing its worker, which is
replaced in the background. After each committed write the owner calls
`QueryWorkerPool.refresh`, which makes a new snapshot; each worker moves to it at its next
query, and old snapshots are deleted once no worker holds them.

An in-memory store cannot be checkpointed: its quads are copied into a fresh on-disk store in
a temporary folder instead (O(size) per refresh; in-memory stores are for tests and demos).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg import sparql_worker
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.sparql_worker import QueryAnswer, QueryJob
from kg.store import Store

__all__ = ["QueryAnswer", "QueryJob", "QueryWorkerPool"]


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self) -> None:
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, sparql_worker.__file__, str(job_read), str(answer_write)],
            pass_fds=(job_read, answer_write),
            stdin=subprocess.DEVNULL,
        )
        os.close(job_read)
        os.close(answer_write)
        self.jobs = Connection(job_write, readable=False)
        self.answers = Connection(answer_read, writable=False)
        self.snapshot: str | None = None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.jobs.close()
        self.answers.close()


class QueryWorkerPool:
    """A pool of killable query workers over snapshots of one store.

    >>> from kg.store import open_store
    >>> pool = QueryWorkerPool(open_store("memory"), size=1)
    >>> pool.run(QueryJob("ASK {}"), timeout=30).body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(self, store: Store, *, size: int = 2) -> None:
        self._store = store
        self._size = max(1, size)
        self._folder = Path(
            tempfile.mkdtemp(prefix=".tmkg-sparql-snapshots-", dir=_snapshot_parent(store))
        )
        self._lock = threading.Lock()
        self._generation = 0
        self._snapshot = ""
        self._workers: set[_Worker] = set()
        self._idle: queue.Queue[_Worker] = queue.Queue()
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
            _snapshot(self._store, target)
            self._snapshot = str(target)
            self._delete_unused_snapshots()

    def run(self, job: QueryJob, *, timeout: float) -> QueryAnswer:
        """Answer a job in a worker; stop it (kill the worker) after `timeout` seconds.

        Waits at most `timeout` seconds for a free worker first. Raises `QueryTimeout`,
        `QueryError` (malformed or failed query) or `StoreError` (a worker died).
        """
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"every query worker stayed busy for {timeout:g} s",
                suggestion="retry later, or start the server with more --query-workers",
            ) from None
        with self._lock:
            snapshot = worker.snapshot = self._snapshot
        started = time.monotonic()
        try:
            worker.jobs.send((snapshot, dataclasses.asdict(job)))
            if not worker.answers.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(
                    f"the query was stopped after {time.monotonic() - started:.1f} s, "
                    f"past the {timeout:g} s limit",
                    suggestion="narrow the query with LIMIT or more specific patterns, or "
                    "ask the operator for a longer --query-timeout",
                )
            status, payload = worker.answers.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise StoreError(f"a query worker died: {error or type(error).__name__}") from None
        self._idle.put(worker)
        with self._lock:
            self._delete_unused_snapshots()
        if status == "ok":
            return QueryAnswer(*payload)  # type: ignore[misc]
        if status == "syntax":
            from kg.store.oxigraph import _syntax_message

            raise QueryError(f"SPARQL syntax error {_syntax_message(SyntaxError(payload))}")
        raise QueryError(f"SPARQL query failed: {payload}")

    def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _add_worker(self) -> None:
        worker = _Worker()
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
        for folder in self._folder.glob("snapshot-*"):
            if str(folder) not in held:
                shutil.rmtree(folder, ignore_errors=True)


def _snapshot_parent(store: Store) -> str | None:
    """Beside an on-disk store (a checkpoint hard-links only on the same file system), else tmp."""
    if store.persistent:
        parent = Path(store.location).parent
        if os.access(parent, os.W_OK):
            return str(parent)
    return None


def _snapshot(store: Store, target: Path) -> None:
    """Write a consistent on-disk copy of the store that a worker can open read-only."""
    native = getattr(store, "native", None)
    if isinstance(native, ox.Store) and store.persistent:
        native.backup(str(target))
        return
    copy = ox.Store(str(target))
    copy.bulk_extend(store.quads())
    copy.flush()
    del copy
