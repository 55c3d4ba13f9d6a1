"""Handing jobs to query workers and their replies back, from threads or the event loop.

`IdleWorkers` is the queue of free workers: a thread (`take`) and an asyncio task
(`take_async`) wait on the same queue, first come first served, and a freed worker goes
straight to the oldest waiter. `ReplyReader` reads one reply frame off a worker's pipe
(`kg.sparql.worker.send_reply` writes them: a small pickled head, then the answer's bytes as
they are, never pickled), either in a thread with a deadline (`read`) or on the event loop as
bytes arrive (`feed`), so the server needs no thread per query and the time limit is a timer.
`outcome` turns a reply's head into its payload or the error it means.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import select
import struct
import threading
import time
from collections import deque
from typing import Generic, TypeVar

from kg.errors import Forbidden, QueryError, QueryMemoryExceeded, QueryTimeout
from kg.sparql.worker import NETWORK_REFUSED

__all__ = [
    "OUT_OF_MEMORY",
    "IdleWorkers",
    "ReplyReader",
    "ReplyTimeout",
    "outcome",
    "timeout_error",
    "worker_memory_error",
]

W = TypeVar("W")
_PREFIX = struct.Struct("!QQ")  # the head's and the body's lengths, as worker.send_reply writes
_CHUNK = 1 << 20


class ReplyTimeout(Exception):
    """The reply did not come (whole) before the deadline."""


class ReplyReader:
    """One reply frame read off a pipe: ``(head, body)`` once complete.

    >>> r, w = os.pipe()
    >>> os.set_blocking(r, False)
    >>> head = pickle.dumps(("ok", 1))
    >>> _ = os.write(w, _PREFIX.pack(len(head), 3) + head + b"abc")
    >>> ReplyReader(r).read(deadline=None)
    (('ok', 1), b'abc')
    >>> os.close(r); os.close(w)
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._prefix = bytearray()
        self._buffer: bytearray | None = None
        self._filled = 0
        self._head_size = 0

    def feed(self) -> tuple[object, bytes] | None:
        """Read what the pipe holds now (call when it is readable); the reply once complete.

        The pipe should be non-blocking (`os.set_blocking`): then this never waits for bytes
        that have not come yet. Raises `EOFError` when the worker closed its end (it died)
        before the whole reply.
        """
        try:
            return self._read_some()
        except BlockingIOError:
            return None  # the rest has not come yet

    def _read_some(self) -> tuple[object, bytes] | None:
        if self._buffer is None:
            chunk = os.read(self.fd, _PREFIX.size - len(self._prefix))
            if not chunk:
                raise EOFError("the worker closed its pipe")
            self._prefix += chunk
            if len(self._prefix) < _PREFIX.size:
                return None
            self._head_size, body_size = _PREFIX.unpack(self._prefix)
            self._buffer = bytearray(self._head_size + body_size)
        view = memoryview(self._buffer)
        if self._filled < len(self._buffer):
            count = os.readv(self.fd, [view[self._filled : self._filled + _CHUNK]])
            if not count:
                raise EOFError("the worker closed its pipe")
            self._filled += count
        if self._filled < len(self._buffer):
            return None
        head = pickle.loads(view[: self._head_size])
        return head, bytes(view[self._head_size :])

    def read(self, deadline: float | None) -> tuple[object, bytes]:
        """Block until the whole reply has come; `deadline` is a `time.monotonic` value.

        Raises `ReplyTimeout` past the deadline, `EOFError` if the worker died.
        """
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not poller.poll(None if wait is None else wait * 1000):
                raise ReplyTimeout
            reply = self.feed()
            if reply is not None:
                return reply


class IdleWorkers(Generic[W]):
    """The free workers of a pool, taken by threads and event-loop tasks alike (FIFO)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: deque[W] = deque()
        # Each waiter: a threading.Event with a slot, or an asyncio future on its own loop.
        self._waiters: deque[_ThreadWaiter[W] | asyncio.Future[W]] = deque()

    def put(self, worker: W) -> None:
        """Free a worker: the oldest waiter gets it, else it waits in the queue."""
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if isinstance(waiter, _ThreadWaiter):
                    waiter.worker = worker
                    waiter.event.set()
                    return
                if not waiter.done():
                    try:
                        waiter.get_loop().call_soon_threadsafe(_hand, waiter, worker, self)
                    except RuntimeError:  # its event loop is closed: nobody waits there
                        continue
                    return
            self._free.append(worker)

    def take(self, timeout: float | None) -> W | None:
        """A free worker, waiting at most `timeout` seconds (``None``: no limit) in a thread."""
        with self._lock:
            if self._free:
                return self._free.popleft()
            waiter: _ThreadWaiter[W] = _ThreadWaiter()
            self._waiters.append(waiter)
        if waiter.event.wait(timeout):
            return waiter.worker
        with self._lock:
            if waiter.event.is_set():  # freed for us just as the wait ended
                return waiter.worker
            self._waiters.remove(waiter)
        return None

    async def take_async(self, timeout: float | None) -> W | None:
        """A free worker, waiting at most `timeout` seconds on the running event loop."""
        with self._lock:
            if self._free:
                return self._free.popleft()
            future: asyncio.Future[W] = asyncio.get_running_loop().create_future()
            self._waiters.append(future)
        try:
            async with asyncio.timeout(timeout):
                return await future
        except (TimeoutError, asyncio.CancelledError) as error:
            with self._lock:
                if future in self._waiters:
                    self._waiters.remove(future)
            if future.done() and not future.cancelled():
                self.put(future.result())  # it came as we gave up: pass it on
            future.cancel()
            if isinstance(error, TimeoutError):
                return None
            raise


def _hand(future: asyncio.Future[W], worker: W, idle: IdleWorkers[W]) -> None:
    # On the waiter's loop: a waiter that gave up meanwhile passes the worker on.
    if future.done():
        idle.put(worker)
    else:
        future.set_result(worker)


class _ThreadWaiter(Generic[W]):
    __slots__ = ("event", "worker")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.worker: W | None = None


OUT_OF_MEMORY = (
    "memory allocation of",  # Rust's allocation-failure handler, before it aborts
    "MemoryError",
    "bad_alloc",  # RocksDB (C++)
    "Cannot allocate memory",
    "out of memory",
)
"""What a worker says on stderr when it died for want of memory (then SIGABRT, not a crash)."""


def worker_memory_error(what: str) -> QueryMemoryExceeded:
    """The error for a query or update that passed a worker's memory limit."""
    if what == "update":
        suggestion = (
            "an update compares a copy of the whole store, so its memory grows with the "
            "store (about 80 bytes per quad, besides the engine's own): ask the operator for a "
            "larger --query-memory, or send big changes with POST /load"
        )
    else:
        suggestion = (
            "narrow it with LIMIT or more specific patterns, or ask the operator for a "
            "larger --query-memory"
        )
    return QueryMemoryExceeded(
        f"the {what} needed more memory than a query worker may use; it was stopped and "
        "nothing was changed",
        suggestion=suggestion,
    )


def timeout_error(what: str, seconds: float, timeout: float | None) -> QueryTimeout:
    """The error for a query or update stopped at its time limit (`what`: "query"/"update")."""
    unchanged = ", and nothing was changed" if what == "update" else ""
    return QueryTimeout(
        f"the {what} was stopped after {seconds:.1f} s, past the {timeout:g} s limit{unchanged}",
        suggestion=f"narrow the {what} with LIMIT or more specific patterns, or ask the "
        "operator for a longer --query-timeout",
    )


def outcome(head: object, what: str) -> object:
    """The payload of a worker's ``("ok", payload)`` reply head; raise the error any other
    reply means (`QueryError`, `Forbidden`, `QueryMemoryExceeded`)."""
    status, payload = head  # type: ignore[misc]
    if status == "ok":
        return payload
    label = "SPARQL Update" if what == "update" else "SPARQL"
    if status == "syntax":
        from kg.store.oxigraph import _syntax_message

        raise QueryError(f"{label} syntax error {_syntax_message(SyntaxError(payload))}")
    if status == NETWORK_REFUSED:
        raise Forbidden(
            f"the {what} tried to reach another server (SERVICE, LOAD, or FROM of a graph "
            "not stored here), and SPARQL here never opens a network connection",
            suggestion="query the stored graphs only; list them with "
            "SELECT DISTINCT ?g { GRAPH ?g {} }",
        )
    if status == "memory":
        raise worker_memory_error(what)
    raise QueryError(
        f"{label} {'update' if what == 'update' else 'query'} failed"
        + (", nothing was changed" if what == "update" else "")
        + f": {payload}"
    )
