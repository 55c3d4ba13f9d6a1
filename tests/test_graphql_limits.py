"""The guard rails of /graphql: depth, cost, aliases, tokens (schema extensions, tested
directly) and the per-request time limit; configurable by flags and environment; an
over-limit query gets a clear error and the server goes on serving others."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from graphql import get_introspection_query, parse

from kg import KnowledgeGraph, Settings
from kg.api.app import create_app
from kg.api.graphql.limits import MAX_ALIASES, MAX_TOKENS, operation_cost
from kg.api.graphql.loaders import Context
from kg.api.graphql.runner import AnalysisRunner
from kg.api.graphql.schema import build_schema, schema
from kg.api.graphql.view import GraphQLView
from tests.graphql_support import GraphQLServer, ThreadedServer, post
from tests.http_support import http_get

DEEP = '{ case(id: "aws-cn-2018") { courts { registrations { mark { text } } } } }'  # depth 4


def run(graph: KnowledgeGraph, query: str, settings: Settings | None = None, **variables: Any):
    """Execute on a schema built with `settings`, as the view does (minus HTTP)."""
    built = build_schema(settings or Settings())
    context = Context.build(AnalysisRunner(graph))
    return asyncio.run(built.execute(query, variable_values=variables, context_value=context))


def cost(query: str, **variables: Any) -> int:
    document = parse(query)
    operation = document.definitions[0]
    return operation_cost(schema._schema, document, operation, variables)  # type: ignore[arg-type]


def test_cost_counts_lists_pages_fragments_and_not_introspection() -> None:
    assert cost('{ party(name: "A") { name aliases } }') == 3
    # registrations is a list: 10 assumed, each costing number 1 + owner 2, plus 1 for the list
    assert cost('{ party(name: "A") { registrations { number owner { name } } } }') == 32
    page = "query($n: Int) { conflicts(first: $n) { edges { node { score } } } }"
    assert cost(page, n=5) == 1 + 5 * (1 + 1 * (1 + 1))
    assert cost(page) == 1 + 20 * 3  # the argument's default
    fragment = """{ party(name: "A") { ...P } }
                   fragment P on Party { registrations { number } }"""
    assert cost(fragment) == cost('{ party(name: "A") { registrations { number } } }')
    assert cost("{ __schema { types { name fields { name } } } }") == 0


def test_the_introspection_query_passes_the_default_limits(seeded) -> None:
    result = run(seeded, get_introspection_query(descriptions=True))
    assert result.errors is None


def test_too_deep_is_refused_with_its_code(seeded) -> None:
    result = run(seeded, DEEP, Settings(graphql_max_depth=3))
    (error,) = result.errors
    assert "exceeds maximum operation depth of 3" in error.message
    assert error.extensions["code"] == "QUERY_TOO_DEEP"
    assert "--graphql-max-depth" in error.extensions["suggestion"]
    assert run(seeded, DEEP, Settings(graphql_max_depth=4)).errors is None


def test_the_cost_limit_reads_each_request_s_variables(seeded) -> None:
    # The verdict of validation is cached per document; the cost must not be.
    query = "query($n: Int) { conflicts(first: $n) { nodes { parties { name } } } }"
    settings = Settings(graphql_max_cost=500)
    assert run(seeded, query, settings, n=5).errors is None
    (error,) = run(seeded, query, settings, n=50).errors
    assert error.extensions["code"] == "QUERY_TOO_COSTLY"
    assert run(seeded, query, settings, n=5).errors is None


def test_too_costly_is_refused_with_its_code(seeded) -> None:
    query = (
        "query($n: Int) { conflicts(first: $n) { nodes { parties { registrations { number } } } } }"
    )
    result = run(seeded, query, Settings(graphql_max_cost=1000), n=50)
    (error,) = result.errors
    assert error.extensions["code"] == "QUERY_TOO_COSTLY"
    assert error.extensions["cost"] == 1 + 50 * (1 + 1 + 10 * 11) > 1000
    assert error.extensions["maxCost"] == 1000
    assert "--graphql-max-cost" in error.extensions["suggestion"]
    assert run(seeded, query, Settings(graphql_max_cost=1000), n=5).errors is None


def test_too_many_aliases_and_tokens_are_refused(seeded) -> None:
    aliases = " ".join(f"a{i}: contradictions {{ kind }}" for i in range(MAX_ALIASES + 1))
    (error,) = run(seeded, "{ " + aliases + " }").errors
    assert error.extensions["code"] == "TOO_MANY_ALIASES"
    long = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS)) + " }"
    (error,) = run(seeded, long).errors
    assert error.extensions["code"] == "QUERY_TOO_LONG"


def test_limits_from_the_environment() -> None:
    settings = Settings.from_env(
        {"KG_GRAPHQL_MAX_DEPTH": "4", "KG_GRAPHQL_MAX_COST": "99", "KG_GRAPHQL_TIMEOUT": "2.5"}
    )
    assert (settings.graphql_max_depth, settings.graphql_max_cost) == (4, 99)
    assert settings.graphql_timeout == 2.5
    defaults = Settings.from_env({})
    assert (defaults.graphql_max_depth, defaults.graphql_max_cost) == (10, 10_000)
    assert defaults.graphql_timeout == 30


def test_kg_serve_flags_set_the_limits_and_the_server_keeps_serving() -> None:
    flags = ("--memory", "--graphql-max-depth", "3", "--graphql-max-cost", "250")
    with GraphQLServer(*flags) as server:
        deep = post(server.graphql, DEEP)
        assert deep["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        costly = post(server.graphql, "{ conflicts(first: 100) { nodes { score reasons } } }")
        assert costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
        fine = post(server.graphql, '{ party(name: "Amazon") { name } }')
        assert fine == {"data": {"party": {"name": "Amazon.com Inc."}}}
        assert http_get(server.url + "/health", timeout=10).status_code == 200


def _graphql_view(app: Any) -> GraphQLView:
    return next(route.endpoint for route in app.routes if getattr(route, "name", "") == "graphql")


def test_the_time_limit_answers_at_once_and_others_are_served(seeded) -> None:
    app = create_app(seeded, Settings(memory=True, graphql_timeout=0.5))
    analyst = _graphql_view(app).runner.analyst
    released = threading.Event()
    real = analyst.contradictions

    def slow() -> Any:
        released.wait(10)  # a service call that runs far past the limit
        return real()

    analyst.contradictions = slow  # type: ignore[method-assign]
    answers: dict[str, Any] = {}
    with ThreadedServer(app) as server:

        def ask_slow() -> None:
            started = time.monotonic()
            answers["slow"] = post(server.graphql, "{ contradictions { kind } }")
            answers["slow_seconds"] = time.monotonic() - started

        asking = threading.Thread(target=ask_slow)
        asking.start()
        time.sleep(0.1)
        started = time.monotonic()
        quick = post(server.graphql, '{ party(name: "Amazon") { name } }')
        quick_seconds = time.monotonic() - started
        asking.join(15)
        released.set()
    assert quick["data"]["party"]["name"] == "Amazon.com Inc." and quick_seconds < 0.5
    (error,) = answers["slow"]["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "0.5 s" in error["message"] and "--graphql-timeout" in error["extensions"]["suggestion"]
    assert 0.4 < answers["slow_seconds"] < 3


@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_errors_are_masked_unless_debugging(seeded, debug: bool) -> None:
    app = create_app(seeded, Settings(memory=True, debug=debug))
    analyst = _graphql_view(app).runner.analyst

    def broken() -> Any:
        raise RuntimeError("secret detail")

    analyst.contradictions = broken  # type: ignore[method-assign]
    with ThreadedServer(app) as server:
        (error,) = post(server.graphql, "{ contradictions { kind } }")["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert ("secret detail" in error["message"]) is debug
