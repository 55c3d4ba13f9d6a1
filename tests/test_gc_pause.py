"""The facts of a state of the store are frozen out of the cyclic collector's walks after the
state's first question, and thawed when a later state's are made once the process's peak
memory has grown by `THAW_GROWTH` (`kg.analysis.gc_pause`): no question pays for a collection
walking a register's facts, nor each new state for one walking the whole process."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import gc_pause
from kg.analysis.gc_pause import THAW_EVERY, THAW_GROWTH
from kg.analysis.service import Analyst


class _Node:
    pass


def _cycle(holder: object | None = None) -> weakref.ref:
    """A reference cycle, held by `holder` if given; a weak reference to it."""
    cycle = _Node()
    cycle.me = cycle  # type: ignore[attr-defined]
    if holder is not None:
        holder._test_cycle = cycle  # type: ignore[attr-defined]
    return weakref.ref(cycle)


@pytest.fixture
def graph() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    yield graph
    graph.close()


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the other tests' objects collected as usual


def test_the_first_question_of_a_state_freezes_its_facts(
    graph: KnowledgeGraph, thawed: None, peak: list[int]
) -> None:
    analyst = Analyst(graph)
    graph.changed()  # a new state: its facts made anew
    analyst.who_else_uses("AWS")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    analyst.who_else_uses("AWS")  # later questions freeze what they added, no more
    assert gc.get_freeze_count() >= frozen
    graph.changed()
    assert analyst.facts is not None  # the next state's facts: nothing grew, nothing thawed
    assert gc.get_freeze_count() > frozen // 2  # (the old facts freed: a little less)
    analyst.conflicts(top=1)
    assert gc.get_freeze_count() > 0


@pytest.fixture
def peak(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The peak memory `gc_pause` reads: the last value of this list."""
    values = [1_000_000]
    monkeypatch.setattr(gc_pause, "_peak_memory", lambda: values[-1])
    monkeypatch.setattr(gc_pause, "_peak_at_thaw", None)  # put back after the test
    monkeypatch.setattr(gc_pause, "_states", 0)
    return values


def test_the_peak_memory_can_be_read_here() -> None:
    assert (gc_pause._peak_memory() or 0) > 0


def test_a_cycle_among_old_facts_is_collected_once_the_peak_memory_has_grown(
    graph: KnowledgeGraph, thawed: None, peak: list[int]
) -> None:
    analyst = Analyst(graph)
    graph.changed()
    gone = _cycle(analyst.facts)
    analyst.who_else_uses("AWS")  # frozen with the facts
    peak.append(int(peak[-1] * THAW_GROWTH))  # not more than THAW_GROWTH: nothing thaws
    graph.changed()
    assert analyst.facts is not None  # the old facts are gone, their cycle waits (frozen)
    gc.collect()
    assert gone() is not None and gc.get_freeze_count() > 0
    analyst.who_else_uses("AWS")
    peak.append(peak[-1] + 1)  # past THAW_GROWTH times the peak at the last thaw
    graph.changed()
    assert analyst.facts is not None  # thawed: the cycle is garbage like any other
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None
    analyst.who_else_uses("AWS")  # frozen again, the peak read anew
    peak.append(int(peak[-1] * THAW_GROWTH))
    graph.changed()
    assert analyst.facts is not None and gc.get_freeze_count() > 0
    peak.append(peak[-1] * 2)
    graph.changed()
    assert analyst.facts is not None and gc.get_freeze_count() == 0


def test_without_a_peak_memory_every_state_thaws(
    graph: KnowledgeGraph, thawed: None, peak: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gc_pause, "_peak_memory", lambda: None)  # no resource module
    analyst = Analyst(graph)
    for _ in range(2):
        graph.changed()
        analyst.who_else_uses("AWS")
        assert gc.get_freeze_count() > 0
        graph.changed()
        assert analyst.facts is not None and gc.get_freeze_count() == 0


def test_objects_frozen_and_dropped_are_freed_at_once(graph: KnowledgeGraph, thawed: None) -> None:
    """Reference counting frees a frozen object nothing refers to: only cycles wait."""
    analyst = Analyst(graph)
    graph.changed()
    held = _Node()
    gone = weakref.ref(held)
    analyst.who_else_uses("AWS")  # frozen
    frozen = gc.get_freeze_count()
    del held
    assert gone() is None and gc.get_freeze_count() < frozen


def test_garbage_a_question_leaves_is_collected_not_frozen(
    graph: KnowledgeGraph, thawed: None
) -> None:
    """Each `who_else_uses` collects what is not frozen, then freezes what is left: cycles
    dropped meanwhile are freed, not kept until the next state (a server may see none)."""
    analyst = Analyst(graph)
    graph.changed()
    analyst.who_else_uses("AWS")
    for _ in range(3):
        gone = _cycle()
        analyst.who_else_uses("AWS")
        assert gone() is None


def test_every_so_many_states_thaw_whatever_the_peak(
    graph: KnowledgeGraph, thawed: None, peak: list[int]
) -> None:
    """helper-129: after a peak the process never reaches again, a server kept every old
    state's cycles; THAW_EVERY states thaw them all the same."""
    analyst = Analyst(graph)
    graph.changed()
    analyst.who_else_uses("AWS")
    for state in range(1, THAW_EVERY + 1):
        graph.changed()
        assert analyst.facts is not None
        assert (gc.get_freeze_count() == 0) == (state == THAW_EVERY), state
        analyst.who_else_uses("AWS")


def test_a_thaw_collects_the_old_cycles_also_after_a_question_that_reads_all(
    graph: KnowledgeGraph, thawed: None, peak: list[int]
) -> None:
    """helper-129 #3: `conflicts` settles without a collection of its own; after a thaw the
    settle collects everything first, or the thawed cycles were frozen again at once."""
    analyst = Analyst(graph)
    graph.changed()
    gone = _cycle(analyst.facts)
    analyst.conflicts(top=1)  # frozen with the facts
    peak.append(peak[-1] * 2)
    graph.changed()
    analyst.conflicts(top=1)  # thawed: this settle collects, then freezes
    assert gone() is None
