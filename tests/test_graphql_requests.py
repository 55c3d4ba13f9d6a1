"""Malformed GraphQL requests on a real `kg serve` (issue 17, kind 5): each is a 400 whose body
is JSON ``{"errors": [...]}`` with a message, never a 500 or plain text (GraphQL over HTTP;
GraphQL spec §6.1 GetOperation)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.graphql_support import GraphQLServer
from tests.http_support import http_get, http_post

TWO = "query A { __typename } query B { __schema { queryType { name } } }"


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with GraphQLServer("--memory") as running:
        yield running


def _errors(response: httpx.Response) -> list[dict]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    errors = response.json()["errors"]
    assert errors and all(error["message"] for error in errors)
    return errors


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'"{ __typename }"', "a string"),
        (b"42", "a number"),
        (b"-1.5e3", "a number"),
        (b"null", "null"),
        (b"true", "a boolean"),
        (b"false", "a boolean"),
        (b'  "x"  ', "a string"),
    ],
)
def test_a_json_body_that_is_not_an_object_is_400(
    server: GraphQLServer, body: bytes, kind: str
) -> None:
    response = http_post(server.graphql, content=body, headers={"Content-Type": "application/json"})
    [error] = _errors(response)
    assert "JSON object" in error["message"] and kind in error["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"query": TWO},
        {"query": TWO, "operationName": None},
        {"query": "query A { __typename } { __typename }"},
        {"query": "{ __typename } mutation M { __typename }"},
    ],
)
def test_several_operations_without_a_name_are_an_error(server: GraphQLServer, body: dict) -> None:
    [error] = _errors(http_post(server.graphql, json=body))
    assert "operationName" in error["message"]


def test_several_operations_by_get_without_a_name_are_an_error(server: GraphQLServer) -> None:
    [error] = _errors(http_get(server.graphql, params={"query": TWO}))
    assert "operationName" in error["message"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (TWO, "C"),
        (TWO, "a"),
        ("{ __typename }", "A"),
        ("query A { __typename }", ""),
    ],
)
def test_an_unknown_operation_name_is_a_json_error(
    server: GraphQLServer, query: str, name: str
) -> None:
    [error] = _errors(http_post(server.graphql, json={"query": query, "operationName": name}))
    assert repr(name) in error["message"] or f'"{name}"' in error["message"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"query": 5}', "application/json"),
        (b'{"query": "{ __typename }", "variables": [1]}', "application/json"),
        (b"[]", "application/json"),
        (b"query=x", "text/plain"),
    ],
)
def test_other_bad_requests_answer_json_too(
    server: GraphQLServer, body: bytes, content_type: str
) -> None:
    _errors(http_post(server.graphql, content=body, headers={"Content-Type": content_type}))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"query": TWO, "operationName": "A"}, {"__typename": "Query"}),
        ({"query": TWO, "operationName": "B"}, {"__schema": {"queryType": {"name": "Query"}}}),
        ({"query": "query Only { __typename }"}, {"__typename": "Query"}),
        ({"query": "{ ...F } fragment F on Query { __typename }"}, {"__typename": "Query"}),
    ],
)
def test_the_named_or_only_operation_runs(
    server: GraphQLServer, body: dict, expected: dict
) -> None:
    response = http_post(server.graphql, json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {"data": expected}
