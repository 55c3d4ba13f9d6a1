"""The facts of a state of the store are frozen out of the cyclic collector's walks after the
state's first question, and thawed when the next state's are made (`kg.analysis.gc_pause`):
no question pays for a collection walking a register's facts."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst


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
    graph: KnowledgeGraph, thawed: None
) -> None:
    analyst = Analyst(graph)
    graph.changed()  # a new state: its facts made anew
    analyst.who_else_uses("AWS")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    analyst.who_else_uses("AWS")  # later questions freeze what they added, no more
    assert gc.get_freeze_count() >= frozen
    graph.changed()
    assert analyst.facts is not None  # the next state's facts: the old thawed
    assert gc.get_freeze_count() == 0
    analyst.conflicts(top=1)
    assert gc.get_freeze_count() > 0


def test_a_cycle_among_old_facts_is_collected_after_the_thaw(
    graph: KnowledgeGraph, thawed: None
) -> None:
    import weakref

    class Node:
        pass

    analyst = Analyst(graph)
    graph.changed()
    facts = analyst.facts
    cycle = Node()
    cycle.me = cycle  # type: ignore[attr-defined]
    facts._test_cycle = cycle  # type: ignore[attr-defined]
    gone = weakref.ref(cycle)
    del cycle
    analyst.who_else_uses("AWS")  # frozen with the facts
    del facts
    graph.changed()
    assert analyst.facts is not None  # thawed: the old facts (and the cycle) are garbage now
    gc.collect()
    assert gone() is None


def test_garbage_a_question_leaves_is_collected_not_frozen(
    graph: KnowledgeGraph, thawed: None
) -> None:
    """Each `who_else_uses` collects what is not frozen, then freezes what is left: cycles
    dropped meanwhile are freed, not kept until the next state (a server may see none)."""
    import weakref

    class Node:
        pass

    analyst = Analyst(graph)
    graph.changed()
    analyst.who_else_uses("AWS")
    for _ in range(3):
        cycle = Node()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
        analyst.who_else_uses("AWS")
        assert gone() is None
