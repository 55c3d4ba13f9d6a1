"""A store proxy that counts the queries made through it, for measurements and tests.

>>> from kg.store import open_store
>>> store = CountingStore(open_store("memory"))
>>> _ = store.query("ASK {}"); store.queries
1
"""

from __future__ import annotations

import threading
from typing import Any

from kg.store.base import Store

__all__ = ["CountingStore"]


class CountingStore:
    """Wraps a store: `query` calls are counted (thread-safe); everything else passes through.

    Put it in place with ``graph.store = CountingStore(graph.store)`` before building what
    reads the graph, then read `queries` before and after the work to measure.
    """

    def __init__(self, store: Store) -> None:
        self.wrapped = store
        self.queries = 0
        self._lock = threading.Lock()

    def query(self, sparql: str, **options: Any) -> Any:
        with self._lock:
            self.queries += 1
        return self.wrapped.query(sparql, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
