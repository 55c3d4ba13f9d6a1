"""The ASGI view at ``/graphql``: strawberry's, with tmkg's context, time limit and playground.

A request GraphQL cannot run is a 400 whose body is JSON ``{"errors": [{"message": …}]}``
(GraphQL over HTTP), never plain text or a 500: a JSON body that is not an object, several
operations without ``operationName`` (GraphQL spec §6.1, GetOperation), an ``operationName``
the document does not define, unparsable JSON, a wrong content type.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from kg.api.graphql.limits import MAX_TOKENS
from kg.api.graphql.loaders import Context
from kg.api.graphql.playground import playground_page
from kg.api.graphql.runner import AnalysisRunner
from kg.config import Settings

__all__ = ["GraphQLView"]


def _not_utf8(request: Request) -> JSONResponse | None:
    """A 400 for a URL whose query string is not UTF-8 once percent-decoded (as /sparql
    answers), instead of decoding it with U+FFFD in place of the bytes."""
    try:
        parse_qsl(request.scope["query_string"].decode("utf-8"), errors="strict")
    except UnicodeDecodeError as error:
        byte = error.object[error.start : error.start + 1]
        message = f"the URL's query string is not UTF-8 (cannot decode byte 0x{byte.hex().upper()})"
        return JSONResponse(
            {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]},
            status_code=400,
        )
    return None


class GraphQLView(GraphQL[Context, None]):
    """Answers GraphQL over HTTP (GET and POST); a browser's GET gets the playground.

    Each operation runs under the time limit (``Settings.graphql_timeout``): past it the
    client gets a ``TIMEOUT`` error at once and the server goes on serving other requests
    (the service call it started ends in its worker thread, its result dropped).
    """

    def __init__(
        self, schema: Any, runner: AnalysisRunner, settings: Settings, assets: str
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.runner = runner
        self.timeout = settings.graphql_timeout
        self.assets = assets

    def decode_json(self, data: str | bytes) -> object:
        # Python's JSON decoder recurses: a body nested 100,000 deep was a 500, now a 400;
        # so was a body that is not UTF-8 (RFC 8259 8.1: JSON exchanged is UTF-8).
        try:
            return super().decode_json(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(
                f"not UTF-8 (byte {error.object[error.start]:#04x})", "", error.start
            ) from None

    async def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        refused = _not_utf8(request)
        if refused is not None:
            return refused
        try:
            return await super().run(request, *args, **kwargs)
        except HTTPException as error:  # strawberry would answer it as text/plain
            return JSONResponse(
                {"errors": [{"message": error.reason, "extensions": {"code": "BAD_REQUEST"}}]},
                status_code=error.status_code,
            )

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST" and "json" in (request.content_type or ""):
            body = await request.get_body()
            if body.lstrip()[:1] not in (b"{", b"["):  # a scalar, or not JSON (parse_json says)
                kind = _json_kind(self.parse_json(body))
                raise HTTPException(
                    400, f"the request body must be a JSON object with a query, not {kind}"
                )
        return await super().parse_http_body(request)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context.build(self.runner, request, response)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(playground_page(endpoint=request.url.path, assets=self.assets))

    async def execute_single(self, **arguments: Any) -> ExecutionResult:  # type: ignore[override]
        request_data: GraphQLRequestData = arguments["request_data"]
        if request_data.operation_name is None and request_data.query:
            _require_one_operation(request_data.query)
        try:
            return await asyncio.wait_for(super().execute_single(**arguments), self.timeout)
        except TimeoutError:
            return ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"the request ran past the time limit of {self.timeout:g} s and was "
                        "stopped",
                        extensions={
                            "code": "TIMEOUT",
                            "suggestion": "ask a narrower question (filters, smaller pages); "
                            "the server's limit is set with kg serve --graphql-timeout",
                        },
                    )
                ],
            )


def _require_one_operation(query: str) -> None:
    """Refuse a document with several operations and no ``operationName`` (strawberry would
    run the first); a document that does not parse is left to strawberry's own error."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1:
        names = ", ".join(o.name.value if o.name else "(anonymous)" for o in operations)
        raise HTTPException(
            400,
            f"the document has {len(operations)} operations ({names}): name the one to run "
            "with operationName",
        )


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else type(value).__name__
