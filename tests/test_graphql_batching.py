"""No N+1: the store queries one GraphQL request makes stay flat as its answer grows.

A generated registry is served in-process (so the store can be wrapped in a counting proxy)
and queried over HTTP with nested fields on every object: each party's registrations (and
their owners and sources), uses, cases and events; each mark's registrations.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.api.app import create_app
from kg.registries.synth import generate
from kg.store import open_store
from kg.store.counting import CountingStore
from tests.graphql_support import ThreadedServer, post

NESTED = """
  parties {
    name
    registrations { number owner { name } sources { title } }
    uses { user { name } onBehalfOf { name } }
    cases { number events { date } }
    sources { title }
  }
  marks { text registrations { number } uses { since } sources { title } }
"""
CONFLICTS = "query($n: Int) { conflicts(first: $n) { nodes {" + NESTED + "} } }"
WHO = """query($mark: String!, $min: Float) { whoElseUses(mark: $mark, minSimilarity: $min) {
  party { name registrations { number owner { name } } uses { since } cases { number } }
  mark { text registrations { number } } onBehalfOf { name } sources { title } } }"""


@pytest.fixture(scope="module")
def registry() -> Iterator[tuple[ThreadedServer, CountingStore, str]]:
    store = open_store("memory")
    store.add(generate(2000, seed=11))
    counting = CountingStore(store)
    graph = KnowledgeGraph(counting)  # type: ignore[arg-type]
    app = create_app(graph, Settings(memory=True, graphql_max_cost=10**9))
    with ThreadedServer(app) as server:
        yield server, counting, _mark_with_more_hits_at_lower_floors(graph)
    graph.close()


def _mark_with_more_hits_at_lower_floors(graph: KnowledgeGraph) -> str:
    analyst = Analyst(graph)
    for text in sorted(set(analyst.facts.marks.values())):
        if len(analyst.who_else_uses(text, min_similarity=0.5)) >= 3 * max(
            1, len(analyst.who_else_uses(text, min_similarity=0.95))
        ):
            return text
    raise AssertionError("no mark in the generated registry has similar marks")


def queries_for(server: ThreadedServer, store: CountingStore, query: str, **variables) -> tuple:
    before = store.queries
    answer = post(server.graphql, query, variables)
    assert "errors" not in answer, answer.get("errors")
    return answer["data"], store.queries - before


# One batched read per level of nesting, whatever the number of objects on it: parties'
# holdings (2: which, then their facts), cases of parties, case summaries, case events, the
# parties those involve, sources of things, holdings of marks.
LEVELS = 8


def _nested_objects(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nested_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(_nested_objects(v) for v in value)
    return 0


def test_conflict_pages_cost_at_most_one_query_per_level(registry) -> None:
    server, store, _ = registry
    post(server.graphql, CONFLICTS, {"n": 20})  # warm: the ranking and the facts it reads
    counts, objects = {}, {}
    for size in (1, 5, 20):
        data, counts[size] = queries_for(server, store, CONFLICTS, n=size)
        assert len(data["conflicts"]["nodes"]) == size
        objects[size] = _nested_objects(data)
    assert objects[20] > 20 * objects[1], objects  # the answers grow ...
    assert max(counts.values()) <= LEVELS, (
        f"store queries by page size: {counts}"
    )  # ... these do not


def test_who_else_uses_costs_the_same_queries_for_more_hits(registry) -> None:
    server, store, mark = registry
    post(server.graphql, WHO, {"mark": mark, "min": 0.5})  # warm
    sizes, counts = [], []
    for floor in (0.95, 0.8, 0.5):
        data, count = queries_for(server, store, WHO, mark=mark, min=floor)
        sizes.append(len(data["whoElseUses"]))
        counts.append(count)
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], sizes
    assert max(counts) - min(counts) <= 1, f"store queries for {sizes} hits: {counts}"
