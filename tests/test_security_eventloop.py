"""No request may hold the event loop: GraphQL limits run in time linear in the document,
``/health`` does no store work per request, and ``/report`` has a time limit, a concurrency
limit and stops when its client goes away (issue 11, kind 4)."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from kg import KnowledgeGraph, Settings
from kg.api.app import create_app
from kg.api.graphql.loaders import Context
from kg.api.graphql.runner import AnalysisRunner
from kg.api.graphql.schema import build_schema
from tests.graphql_support import ThreadedServer
from tests.hardening_support import record
from tests.http_support import http_get, http_post

LIMIT_CODES = {"QUERY_TOO_COSTLY", "QUERY_TOO_DEEP", "TOO_MANY_ALIASES"}


# ------------------------------------------------------------------ GraphQL documents


def fragments(count: int, body: Callable[[int, str], str], leaf: str = "name") -> str:
    """A query spreading F0 and `count` fragments; fragment i's selection is
    ``body(i, next)``, `next` spreading fragment i + 1 (or `leaf` in the last one)."""
    parts = ['{ party(name: "Amazon") { ...F0 } }']
    for i in range(count):
        nxt = f"...F{i + 1}" if i < count - 1 else leaf
        parts.append(f"fragment F{i} on Party {{ {body(i, nxt)} }}")
    return "\n".join(parts)


def fan_out(levels: int, fan: int = 2, leaf: str = "name") -> str:
    """`levels` fragments, each spreading the next `fan` times: fan ** levels paths."""
    return fragments(levels, lambda i, nxt: " ".join([nxt] * fan), leaf)


def inline_fan_out(levels: int) -> str:
    """Each fragment spreads the next from two nested inline fragments."""
    return fragments(
        levels, lambda i, nxt: f"... on Party {{ ... on Party {{ {nxt} }} }} ... {{ {nxt} }}"
    )


def everyone_spreads_the_rest(count: int) -> str:
    """Fragment i spreads every later fragment: 2 ** count paths from the first."""
    return fragments(
        count, lambda i, nxt: "name " + " ".join(f"...F{j}" for j in range(i + 1, count))
    )


def deep_fan_out(levels: int) -> str:
    """Depth added by fragments, each spreading the next twice under a nested field."""
    return fragments(levels, lambda i, nxt: f"registrations {{ owner {{ {nxt} {nxt} }} }}")


def chain(count: int) -> str:
    """Each fragment spreads the next once: a chain deeper than Python's recursion limit."""
    return fragments(count, lambda i, nxt: nxt)


def cyclic(count: int) -> str:
    """Fragments spreading each other in a ring and twice each (invalid GraphQL)."""
    return fragments(count, lambda i, nxt: f"name ...F{(i + 1) % count} ...F{(i + 1) % count}")


# Each is far past what the exponential walks could finish (2**24 .. 3**16 paths).
BOMBS: dict[str, tuple[Callable[[int], str], int, set[str]]] = {
    "fragment fan-out 2": (fan_out, 24, {"QUERY_TOO_COSTLY"}),
    "fragment fan-out 3": (lambda n: fan_out(n, fan=3), 16, {"QUERY_TOO_COSTLY"}),
    "nested inline fragments": (inline_fan_out, 24, {"QUERY_TOO_COSTLY"}),
    "fragments spreading every later one": (everyone_spreads_the_rest, 30, {"QUERY_TOO_COSTLY"}),
    "aliases through fragments": (lambda n: fan_out(n, leaf="n: name"), 24, {"TOO_MANY_ALIASES"}),
    "depth through fragments": (deep_fan_out, 24, {"QUERY_TOO_DEEP"}),
    "fragment cycle": (cyclic, 24, {"INVALID_QUERY"}),
    "chain of 600 fragments": (chain, 600, {"INVALID_QUERY"}),
    # graphql-core's overlapping-fields rule is quadratic: validated off the event loop
    "1,200 fields named alike": (
        lambda n: '{ party(name: "Amazon") { ' + "registrations { number } " * n + "} }",
        1200,
        {"NOT_FOUND", "INVALID_QUERY"},
    ),
}


def executor(graph: KnowledgeGraph) -> Callable[[str], Any]:
    """Run a document as the view does, the schema built beforehand."""
    schema = build_schema(Settings())
    context = Context.build(AnalysisRunner(graph))
    return lambda document: asyncio.run(schema.execute(document, context_value=context))


def calls_while(action: Callable[[], Any]) -> int:
    """How many Python function calls `action` makes: work counted, not timed."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize(
    "name",
    [
        "fragment fan-out 2",
        "fragment fan-out 3",
        "nested inline fragments",
        "aliases through fragments",
        "fragments spreading every later one",
    ],
)
def test_checking_a_document_is_linear_in_its_size(seeded: KnowledgeGraph, name: str) -> None:
    build, _, _ = BOMBS[name]
    execute = executor(seeded)
    small, large = (5, 10) if "fan-out 3" in name else (8, 16)
    execute(build(small - 1))  # warm: imports done (each document is parsed afresh)
    small_calls = calls_while(lambda: execute(build(small)))
    large_calls = calls_while(lambda: execute(build(large)))
    # Twice the document, about twice the work (an exponential walk does 2**8 times more).
    assert large_calls < 4 * small_calls, (small_calls, large_calls)


def test_validation_runs_off_the_event_loop(
    seeded: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.api.graphql import limits

    threads: list[threading.Thread] = []
    real = limits._depth

    def depth(*args: Any) -> int:
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(limits, "_depth", depth)
    executor(seeded)('{ party(name: "Amazon") { registrations { number } } }')
    assert threads and threading.current_thread() not in threads


@pytest.fixture(scope="module")
def server(seeded: KnowledgeGraph) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(seeded, Settings(memory=True))) as served:
        yield served


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_fragment_bomb_is_refused_while_health_answers(server: ThreadedServer, name: str) -> None:
    build, levels, codes = BOMBS[name]
    document = build(levels)
    answer: dict[str, Any] = {}

    def ask() -> None:
        try:
            answer["response"] = http_post(server.graphql, json={"query": document}, timeout=60)
        except httpx.HTTPError as error:
            answer["error"] = error

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.05)
    try:
        # On the exponential walk the loop was held for minutes: no answer at all.
        health = http_get(server.url + "/health", timeout=10)
    except httpx.TimeoutException:
        health = None
    asking.join(60)
    response = answer.get("response")
    got = (
        {e.get("extensions", {}).get("code") for e in response.json().get("errors") or []}
        if response is not None and response.status_code == 200
        else set()
    )
    expected = health is not None and health.status_code == 200 and bool(got & codes)
    record("input", surface="/graphql", name=f"{name} ({len(document)} bytes)", expected=expected)
    assert health is not None and health.status_code == 200
    assert got & codes, response.text[:300] if response is not None else answer


# ------------------------------------------------------------------ /health


class CountingStore:
    """A store whose scans are counted, with the thread each ran in."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.scans: list[str] = []

    def named_graphs(self) -> Any:
        self.scans.append(threading.current_thread().name)
        return self._store.named_graphs()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture
def counted() -> Iterator[tuple[KnowledgeGraph, CountingStore]]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    store = CountingStore(graph.store)
    graph.store = store  # type: ignore[assignment]
    yield graph, store
    graph.store = store._store


def test_health_does_no_store_work_per_request(counted) -> None:
    graph, store = counted
    with ThreadedServer(create_app(graph, Settings(memory=True))) as served:
        answers = [http_get(served.url + "/health", timeout=10) for _ in range(30)]
        loop_thread = served.thread.name
    scans = len(store.scans)
    expected = all(a.status_code == 200 for a in answers) and scans <= 2
    record("input", surface="/health", name="30 polls, store scans", expected=expected)
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].json()["named_graphs"] >= 14 and answers[0].json()["seed_loaded"] is True
    assert scans <= 2, store.scans  # the first figures, not one scan (or two) per request
    assert loop_thread not in store.scans  # and never on the event loop's thread


def test_health_figures_follow_a_change_off_the_event_loop(counted) -> None:
    graph, store = counted
    with ThreadedServer(create_app(graph, Settings(memory=True))) as served:
        before = http_get(served.url + "/health", timeout=10).json()["named_graphs"]
        graph.store.update("INSERT DATA { GRAPH <urn:x:new> { <urn:x:s> <urn:x:p> 1 } }")
        graph.changed()
        deadline = time.monotonic() + 30
        seen = before
        while seen == before and time.monotonic() < deadline:
            seen = http_get(served.url + "/health", timeout=10).json()["named_graphs"]
            time.sleep(0.05)
        loop_thread = served.thread.name
    record("input", surface="/health", name="figures after a write", expected=seen == before + 1)
    assert seen == before + 1
    assert loop_thread not in store.scans
