"""Worker processes for the mark index: a register's keys and comparisons on every core.

Keying a text costs ~0.5 ms and comparing a candidate pair ~40 µs, in Python: a 100,000-mark
register's first index took ~100 s on one core (issue 19). `IndexWorkers.map` runs a
module-level function over chunks of work in other processes and gives the results back in
order, at most `IN_FLIGHT` chunks per worker outstanding (bounded memory).

The workers are new interpreters (``python -P -m kg.analysis.index_workers``, the ``kg``
this process runs first on their path), not forks: a forked child would share the parent's
eSpeak NG backend (`kg.analysis.pronunciation`), whose phonemes pass through one named
temporary file, and the locks the parent's other threads hold (the store's, a server's).
Nor are they `multiprocessing` spawns, which run the parent's ``__main__`` script again.
Each worker says it is ready, then reads pickled tasks from its standard input and writes
pickled answers to a private copy of its standard output (its own ``stdout`` goes to
``stderr``). When the parent ends, killed or not, the worker meets the end of its input and
exits; a worker that dies makes `map` raise `IndexWorkerError` (the index's transaction then
rolls back). A worker starts in ~1 s and holds ~200 MB (the rules' caches, eSpeak).
"""

from __future__ import annotations

import functools
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import IO, Any, TypeVar

__all__ = ["IN_FLIGHT", "IndexWorkerError", "IndexWorkers", "worker_count"]

IN_FLIGHT = 4
"""Chunks outstanding per worker: while one is computed others wait, so a worker does not idle
while the parent writes what it returned or waits for a slower worker's answer (answers are
read in order)."""
MAX_WORKERS = 8  # each holds ~200 MB
CACHED_MAX = 1_000_000
"""Results a worker keeps in the rules' caches (the bounded ``functools`` caches of tmkg's
modules, each of up to 65,536 results per text) before it empties them between tasks: at a
million marks the caches grew each worker from ~390 to ~660 MB, over issue 19's 2 GB for the
load with its parent."""
_GRACE_SECONDS = 10  # for a worker to end the task in hand once closed

_T = TypeVar("_T")
_R = TypeVar("_R")


class IndexWorkerError(RuntimeError):
    """A worker process ended before answering (killed, or out of memory)."""


def worker_count() -> int:
    """How many workers pay: the cores this process may run on, at most `MAX_WORKERS`; 1 means
    none (work in process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


class IndexWorkers:
    """`count` worker processes; a context manager that stops them on leaving.

    >>> with IndexWorkers(2) as workers:
    ...     list(workers.map(len, ["a", "bb", "ccc"]))
    [1, 2, 3]
    """

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError(f"a pool needs a worker, not {count}")
        package_root = str(Path(__file__).resolve().parents[2])  # the kg this process runs
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, path]))}
        self._processes: list[subprocess.Popen[bytes]] = []
        try:
            for _ in range(count):
                self._processes.append(
                    subprocess.Popen(
                        # -P: not the working directory first on the path (its own kg)
                        [sys.executable, "-P", "-m", "kg.analysis.index_workers"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        env=env,
                    )
                )
            for process in self._processes:  # each says it runs (or raises IndexWorkerError)
                self._answer(process)
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        """The workers' process ids."""
        return [process.pid for process in self._processes]

    def map(self, function: Callable[[_T], _R], chunks: Iterable[_T]) -> Iterator[_R]:
        """``function(chunk)`` for each of `chunks`, computed by the workers, in order.

        `function` is a module-level function (pickled by name). Raises what `function`
        raised, or `IndexWorkerError` when a worker ended without answering."""
        outstanding: deque[subprocess.Popen[bytes]] = deque()
        for turn, chunk in enumerate(chunks):
            if len(outstanding) >= IN_FLIGHT * len(self._processes):
                yield self._answer(outstanding.popleft())
            process = self._processes[turn % len(self._processes)]
            self._ask(process, (function, chunk))
            outstanding.append(process)
        while outstanding:
            yield self._answer(outstanding.popleft())

    def _ask(self, process: subprocess.Popen[bytes], task: object) -> None:
        assert process.stdin is not None
        try:
            pickle.dump(task, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise IndexWorkerError(f"index worker {process.pid} ended ({error})") from None

    def _answer(self, process: subprocess.Popen[bytes]) -> Any:
        assert process.stdout is not None
        try:
            ok, value = pickle.load(process.stdout)
        except Exception as error:  # EOFError, OSError: the worker is gone
            code = process.poll()
            raise IndexWorkerError(
                f"index worker {process.pid} ended without answering "
                f"(exit status {code}: {error!r})"
            ) from None
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop the workers: both their pipes closed, each ends after the task in hand (its
        answer unread: a failed `map`), cleaning up after itself (eSpeak's copy of its
        library, ~0.6 MB in a temporary directory); one still busy after `_GRACE_SECONDS` is
        killed."""
        for process in self._processes:
            for pipe in (process.stdin, process.stdout):
                with suppress(OSError):
                    assert pipe is not None
                    pipe.close()
        for process in self._processes:
            try:
                process.wait(timeout=_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes = []

    def __enter__(self) -> IndexWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(tasks: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's life: answer each task read from `tasks` on `answers`, until the input
    ends. A thread reads the tasks as they come, so the parent never blocks writing a task
    while this process blocks writing an answer."""
    waiting: queue.Queue[object] = queue.Queue()
    ended = threading.Event()  # the tasks still waiting are no one's any more

    def read() -> None:
        while True:
            try:
                waiting.put(pickle.load(tasks))
            except (EOFError, OSError):  # the parent has gone or closed the input
                ended.set()
                waiting.put(None)
                return
            except Exception as error:  # a task that does not unpickle (its module's import)
                waiting.put(error)
                waiting.put(None)
                return

    threading.Thread(target=read, daemon=True).start()
    answer: tuple[bool, object] | None = (True, "ready")
    while answer is not None:
        try:
            try:
                data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an error that does not pickle
                data = pickle.dumps((False, IndexWorkerError(repr(answer[1]))))
            answers.write(data)
            answers.flush()
        except OSError:  # the parent has gone
            return
        task = waiting.get()
        answer = None if ended.is_set() else _answer(task)
        _keep_caches_small(CACHED_MAX)


def _keep_caches_small(at_most: int) -> None:
    """Empty the caches of tmkg's functions when they hold more than `at_most` results in
    all: the memory they free is reused as they fill again, so a worker's size levels off."""
    caches = _caches()
    if sum(cached.cache_info().currsize for cached in caches) > at_most:
        for cached in caches:
            cached.cache_clear()


_CACHES: tuple[int, list[Any]] = (0, [])
_PER_TEXT_MIN = 4096  # the rules' caches of results per text hold 65,536


def _caches() -> list[Any]:
    """The ``functools`` caches of results per text of the loaded ``kg`` modules (bounded,
    of `_PER_TEXT_MIN` or more: not the ``@cache`` of a resource built once, such as an eSpeak
    backend or a dictionary, which emptied would be built again and, for eSpeak, never
    freed); found again when modules have been loaded since."""
    global _CACHES
    loaded = len(sys.modules)
    if _CACHES[0] != loaded:
        found: dict[int, Any] = {}  # a function imported by several modules is one cache
        for name, module in list(sys.modules.items()):
            if name == "kg" or name.startswith("kg."):
                for value in list(vars(module).values()):
                    if (
                        isinstance(value, functools._lru_cache_wrapper)
                        and (value.cache_info().maxsize or 0) >= _PER_TEXT_MIN
                    ):
                        found[id(value)] = value
        _CACHES = (loaded, list(found.values()))
    return _CACHES[1]


def _answer(task: object) -> tuple[bool, object] | None:
    """What a worker sends back for `task` (a function and its chunk; an error met reading
    it, sent back as the last answer; None at the end of the input: nothing)."""
    if task is None:
        return None
    if isinstance(task, Exception):
        return False, task
    function, chunk = task  # type: ignore[misc]
    try:
        return True, function(chunk)
    except Exception as error:  # sent back: the parent raises it
        return False, error


def _main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not mix in
    _serve(sys.stdin.buffer, answers)


if __name__ == "__main__":  # by its module name, so its errors unpickle in the parent
    from kg.analysis.index_workers import _main as main

    main()
