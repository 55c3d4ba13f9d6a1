"""Python's cyclic garbage collector paused while a search builds millions of objects.

A register-wide `kg conflicts` keeps every holding of a batch and every conflict found
alive until it answers. Each allocation counts towards a collection, and each collection of
the oldest generation walks every live object: at 100,000 marks the search spent 25-35% of
its time in collections that freed nothing (`bench/conflicts.py`; 32.5-43.6 s against
23.9-28.9 s with the collector paused, the same peak memory). Reference counting still frees
everything that is not in a cycle at once; cycles made meanwhile wait for the collector,
which runs again when the last pause ends (CPython's `gc` module documents both).

Between questions the facts of the store's state (`FactBase`: marks, identities, holdings
read) stay alive, and each collection of the oldest generation walks them all: at 20,000
synthetic marks one `who_else_uses` in ~70 paid 200-350 ms for it (against a p50 of ~1 ms),
at 100,000 ~700 ms. After the first question of a state has read them, they are frozen
(`gc.freeze`: collections skip them; `settle_long_lived`); after each `who_else_uses`, what
it added is collected and frozen too (`settle_long_lived`). A frozen object is still freed
the moment nothing refers to it (reference counting): only cycles among dropped objects wait
for a collection. The facts hold few (the seed's states: none; ~20 objects kept a state), so
when the next state's facts are made (`thaw_long_lived`) the frozen objects go back to the
oldest generation, and the next `settle_long_lived` collects them all, only once the
process's peak memory (``getrusage``'s ``ru_maxrss``) has grown by `THAW_GROWTH`, or
`THAW_EVERY` states were made, since that last happened: a collection of everything walks
every object of the process (~0.09 s in a `kg` command, ~270,000 objects; 0.2-0.5 s in a test
process), and doing it at every state cost ~9% of the test suite's time (py-spy,
2026-12-07). (Counting the frozen objects, `gc.get_freeze_count`, walks them all: ~11 ms at
400,000.) The states' count bounds what a server keeps after a peak it never reaches again
(helper-129: 60 states of 50,000 objects in cycles each, after a 1.5 GB spike, held 573 MB).
Where ``resource`` is missing (Windows) every state thaws.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "THAW_EVERY",
    "THAW_GROWTH",
    "collector_paused",
    "settle_long_lived",
    "thaw_long_lived",
]

THAW_GROWTH = 1.25
"""How much the process's peak memory may grow (a factor) before a new state's facts thaw
the frozen objects: cycles among dropped facts wait at most until then."""

THAW_EVERY = 32
"""Or how many states may be made before one thaws them all the same."""

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
_to_settle = False
_thawed = False  # unfrozen since the last settle: the next one collects everything
_peak_at_thaw: int | None = None  # the peak memory at the freeze that followed a thaw
_states = 0  # states made since the last thaw


def _peak_memory() -> int | None:
    """The process's peak resident memory (in the platform's unit: only ratios are used);
    None where it cannot be read."""
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss or None


def thaw_long_lived() -> None:
    """New facts are being made: the next `settle_long_lived` freezes again. The first time,
    and whenever the peak memory has grown by `THAW_GROWTH` or `THAW_EVERY` states were made
    since the last thaw, what was frozen goes back to the oldest generation first, and that
    settle collects it (the dropped facts' cycles)."""
    global _to_settle, _thawed, _peak_at_thaw, _states
    with _lock:
        _to_settle = True
        _states += 1
        peak = _peak_memory()
        if (
            _peak_at_thaw is None
            or peak is None
            or peak > THAW_GROWTH * _peak_at_thaw
            or _states >= THAW_EVERY
        ):
            gc.unfreeze()
            _thawed = True
            _peak_at_thaw = None  # read at the next freeze
            _states = 0


def settle_long_lived(*, collect: bool = False) -> None:
    """After a question: the first since `thaw_long_lived` freezes every object alive (the
    facts just read; after a thaw that unfroze, a collection of everything first). With
    `collect` (a question that reads a few holdings, `who_else_uses`), every question does:
    a collection first, which walks only what is not frozen yet (what the question added),
    then a freeze. At 1M marks the holdings each question reads and keeps in the facts
    otherwise grew the unfrozen set until collections of the oldest generation took 20-200
    ms, 14 in 200 questions (slowest 289 ms; 116 ms collecting after each, p50 15.2 -> 14.0
    ms; 200 questions on a 1M synthetic store, 2026-12-04, docs/performance.md). Not while
    a search has the collector paused (it would walk and freeze that search's objects)."""
    global _to_settle, _thawed, _peak_at_thaw
    with _lock:
        if _pauses == 0 and (collect or _thawed):
            gc.collect()
            _thawed = False
        elif not _to_settle:
            return
        gc.freeze()
        _to_settle = False
        if _peak_at_thaw is None:
            _peak_at_thaw = _peak_memory()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; pauses nest and may overlap across threads
    (the collector is one per process): it is enabled again, if it was before the first,
    when the last one ends.

    >>> import gc
    >>> with collector_paused():
    ...     with collector_paused():
    ...         inner = gc.isenabled()
    ...     outer = gc.isenabled()
    >>> inner, outer, gc.isenabled()
    (False, False, True)
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
