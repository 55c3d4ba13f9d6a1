"""How GraphQL resolvers call the analysis service: off the event loop, some results cached.

The service (`kg.analysis.service.Analyst`) is synchronous and may read the store for a
while; run on the event loop it would stall every other request, and the per-request time
limit could not fire. So every call runs in a worker thread (at most `threads` at once).

Ranked conflicts are cached per `KnowledgeGraph.generation` (any write through the graph
bumps it), so the pages of one ranking are cut from the same list and turning back a page
does not recompute it. A search keeps only the conflicts up to the page asked and the pages
after it, at least 1,000, doubling as pages go further (`search_budget`: `Analyst.conflicts`'
``top``), and counts the rest, so a register's millions are never held. Other answers are
not cached here: the `Analyst` already keeps the facts it read until the graph changes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import anyio
import anyio.to_thread

from kg.analysis.model import ConflictPair, TopResults
from kg.analysis.service import Analyst
from kg.graph import KnowledgeGraph

__all__ = ["SEARCH_BUDGET_MIN", "AnalysisRunner", "search_budget"]

T = TypeVar("T")


class AnalysisRunner:
    """One per app: the `Analyst` over a graph, its calls run in threads.

    `threads` bounds the calls running at once; a request stopped by the time limit leaves
    its call running to the end in its thread (a thread cannot be stopped), so the bound
    also keeps abandoned work from crowding out the rest.
    """

    def __init__(self, graph: KnowledgeGraph, *, threads: int = 8, cached: int = 16) -> None:
        self.graph = graph
        self.analyst = Analyst(graph)
        self._limiter = anyio.CapacityLimiter(threads)
        self._cached = cached
        self._lock = threading.Lock()
        self._conflicts: OrderedDict[Hashable, TopResults[ConflictPair]] = OrderedDict()
        self._generation = graph.generation

    async def run(self, call: Callable[[], T]) -> T:
        """Run a synchronous call in a worker thread and return its result."""
        return await anyio.to_thread.run_sync(call, limiter=self._limiter)

    async def conflicts(
        self,
        jurisdiction: str | None,
        nice_class: int | None,
        min_score: float,
        as_of: str | None = None,
        include_lapsed: bool = False,
        top: int | None = None,
        party: str | None = None,
        mark: str | None = None,
    ) -> TopResults[ConflictPair]:
        """`Analyst.conflicts`, cached until the graph changes (and per day asked): the first
        `top` conflicts (all with None) and how many there are in all. A cached answer that
        holds at least `top` conflicts (or all of them) is given again, else the search runs
        for `top` and its answer replaces the cached one."""
        day = as_of or dt.date.today().isoformat()  # what is in force changes with the day
        key = (jurisdiction.upper() if jurisdiction else None, nice_class, min_score, day)
        key += (include_lapsed, party, mark)
        found = self._cache_get(key)
        if found is None or not _holds(found, top):
            generation = self.graph.generation
            found = await self.run(
                lambda: self.analyst.conflicts(
                    jurisdiction=jurisdiction,
                    nice_class=nice_class,
                    min_score=min_score,
                    as_of=day,
                    include_lapsed=include_lapsed,
                    top=top,
                    party=party,
                    mark=mark,
                )
            )
            self._cache_put(key, found, generation)
        return found

    def _cache_get(self, key: Hashable) -> TopResults[ConflictPair] | None:
        with self._lock:
            if self._generation != self.graph.generation:
                self._conflicts.clear()
                self._generation = self.graph.generation
            found = self._conflicts.get(key)
            if found is not None:
                self._conflicts.move_to_end(key)
            return found

    def _cache_put(self, key: Hashable, value: TopResults[ConflictPair], generation: int) -> None:
        with self._lock:
            if generation != self.graph.generation or generation != self._generation:
                return  # computed on data that has changed since: do not keep it
            self._conflicts[key] = value
            while len(self._conflicts) > self._cached:
                self._conflicts.popitem(last=False)


SEARCH_BUDGET_MIN = 1_000
"""The fewest conflicts a paged search keeps (`search_budget`)."""


def search_budget(needed: int) -> int:
    """How many conflicts to keep for a page that ends at the `needed`-th: `SEARCH_BUDGET_MIN`
    doubled until it holds them, so the pages to come are cut from the same search and
    paging through n conflicts searches about log2(n / 1,000) times, not once a page.

    >>> search_budget(20), search_budget(1_000), search_budget(1_001), search_budget(5_000)
    (1000, 1000, 2000, 8000)
    """
    budget = SEARCH_BUDGET_MIN
    while budget < needed:
        budget *= 2
    return budget


def _holds(found: TopResults[ConflictPair], top: int | None) -> bool:
    """Whether an answer has the first `top` conflicts (None: all of them)."""
    return len(found) == found.total or (top is not None and len(found) >= top)
