"""The ASGI app `kg serve` runs: a landing page, a health check and the SPARQL endpoint."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from kg.api.access import RequestSizeLimit
from kg.api.graphql import graphql_routes
from kg.api.load import load_routes
from kg.api.report import report_routes
from kg.api.sparql import cors_middleware, error_response, sparql_routes
from kg.config import Settings
from kg.errors import KGError
from kg.graph import GraphStats, KnowledgeGraph
from kg.sparql_service import SparqlService

__all__ = ["create_app"]


def create_app(graph: KnowledgeGraph, settings: Settings | None = None) -> Starlette:
    """Build the app over an open knowledge graph; `settings` give the endpoints' limits.

    Raises `KGError` if the settings name an update token file that cannot be read.
    """
    settings = (settings or Settings()).with_update_token_file()
    sparql = SparqlService(graph, settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sparql.start()
        try:
            yield
        finally:
            sparql.close()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "status": "ok",
                "backend": graph.store.backend,
                "store": graph.store.location,
                "named_graphs": len(graph.store.named_graphs()),
                "seed_loaded": graph.has_seed(),
            }
        )

    cached: dict[str, object] = {"generation": None, "stats": None, "mark": None}

    def current_stats() -> tuple[GraphStats, str | None]:
        # Counting every graph is a scan of the store: once per state of the data, not per visit.
        if cached["generation"] != graph.generation:
            first_mark = next(
                iter(graph.query("SELECT ?t WHERE { ?m tm:text ?t } ORDER BY ?t LIMIT 1")),  # type: ignore[call-overload]
                None,
            )
            cached["stats"] = graph.stats()
            cached["mark"] = first_mark["t"].value if first_mark else None
            cached["generation"] = graph.generation
        return cached["stats"], cached["mark"]  # type: ignore[return-value]

    async def index(request: Request) -> HTMLResponse:
        stats, mark = await run_in_threadpool(current_stats)
        report = (
            f'Report: <a href="/report?mark={quote(mark)}">/report?mark={html.escape(mark)}</a>.'
            if mark
            else ""
        )
        rows = "".join(
            f"<tr><td>{count}</td><td>{html.escape(name)}</td></tr>"
            for name, count in stats.per_graph
        )
        return HTMLResponse(
            "<!doctype html><html lang=en><head><meta charset=utf-8>"
            '<link rel="icon" href="data:,"><title>tmkg</title></head><body>'
            "<h1>tmkg — trademark-conflict knowledge graph</h1>"
            f"<p>Store: {html.escape(graph.store.location)} ({stats.total} quads). "
            'Health: <a href="/health">/health</a>. SPARQL: <a href="/sparql">/sparql</a>. '
            'GraphQL: <a href="/graphql">/graphql</a>. '
            f"{report}</p>"
            f"<table><thead><tr><th>quads</th><th>graph</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>"
        )

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/health", health),
            *sparql_routes(sparql),
            *graphql_routes(graph, settings),
            *report_routes(graph),
            *load_routes(sparql),
        ],
        middleware=[
            *cors_middleware(settings),
            Middleware(
                RequestSizeLimit,  # type: ignore[arg-type]
                default=settings.max_request_bytes,
                limits={"/load": settings.max_load_bytes},
            ),
        ],
        exception_handlers={KGError: error_response},
        lifespan=lifespan,
    )
    app.state.graph = graph
    app.state.sparql = sparql
    return app
