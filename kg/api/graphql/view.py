"""The ASGI view at ``/graphql``: strawberry's, with tmkg's context, time limit and playground."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from kg.api.graphql.loaders import Context
from kg.api.graphql.playground import playground_page
from kg.api.graphql.runner import AnalysisRunner
from kg.config import Settings

__all__ = ["GraphQLView"]


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
        # Python's JSON decoder recurses: a body nested 100,000 deep was a 500, now a 400.
        try:
            return super().decode_json(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context.build(self.runner, request, response)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(playground_page(endpoint=request.url.path, assets=self.assets))

    async def execute_single(self, **arguments: Any) -> ExecutionResult:  # type: ignore[override]
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
