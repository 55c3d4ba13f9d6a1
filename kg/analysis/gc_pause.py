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
(`gc.freeze`: collections skip them; `settle_long_lived`) and thawed when the next state's
facts are made (`thaw_long_lived`: cycles among the old ones are collected then); after
each `who_else_uses`, what it added is collected and frozen too (`settle_long_lived`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "settle_long_lived", "thaw_long_lived"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
_to_settle = False


def thaw_long_lived() -> None:
    """New facts are being made: what was frozen goes back to the oldest generation (its
    cycles collected as usual) and the next `settle_long_lived` freezes again."""
    global _to_settle
    with _lock:
        gc.unfreeze()
        _to_settle = True


def settle_long_lived(*, collect: bool = False) -> None:
    """After a question: the first since `thaw_long_lived` freezes every object alive (the
    facts just read; cycles made and dropped meanwhile wait for the next thaw). With
    `collect` (a question that reads a few holdings, `who_else_uses`), every question does:
    a collection first, which walks only what is not frozen yet (what the question added),
    then a freeze. At 1M marks the holdings each question reads and keeps in the facts
    otherwise grew the unfrozen set until collections of the oldest generation took 20-200
    ms, 14 in 200 questions (slowest 289 ms; 116 ms collecting after each, p50 15.2 -> 14.0
    ms; 200 questions on a 1M synthetic store, 2026-12-04, docs/performance.md). Not while
    a search has the collector paused (it would walk and freeze that search's objects)."""
    global _to_settle
    with _lock:
        if collect and _pauses == 0:
            gc.collect()
            gc.freeze()
            _to_settle = False
        elif _to_settle:
            gc.freeze()
            _to_settle = False


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
