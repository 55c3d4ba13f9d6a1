"""The ASGI app `kg serve` runs: the landing page, a health check, SPARQL, GraphQL, reports,
``POST /load``, the resource pages (``/id/…``) and the watches' feeds (``/watch/{id}.atom``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from kg.api.access import RequestSizeLimit
from kg.api.graphql import graphql_routes
from kg.api.landing_page import examples_from, landing_page
from kg.api.load import load_routes
from kg.api.report import report_routes
from kg.api.resource_page import resource_routes
from kg.api.sparql import cors_middleware, error_response, sparql_routes
from kg.api.watch_feed import watch_feed_routes
from kg.config import Settings
from kg.errors import KGError
from kg.graph import KnowledgeGraph
from kg.sparql.service import SparqlService

__all__ = ["create_app"]


def create_app(graph: KnowledgeGraph, settings: Settings | None = None) -> Starlette:
    """Build the app over an open knowledge graph; `settings` give the endpoints' limits
    and the Host names it answers (`Settings.trusted_hosts`: loopback ones by default).

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

    figures = StoreFigures(graph)

    async def health(request: Request) -> JSONResponse:
        named_graphs, seed_loaded = await figures.current()
        return JSONResponse(
            {
                "status": "ok",
                "backend": graph.store.backend,
                "store": graph.store.location,
                "named_graphs": named_graphs,
                "seed_loaded": seed_loaded,
            }
        )

    cached: dict[str, object] = {"generation": None, "page": None}

    def current_page() -> str:
        # Counting every graph is a scan of the store: once per state of the data, not per visit.
        if cached["generation"] != graph.generation:
            generation = graph.generation
            cached["page"] = landing_page(examples_from(graph), graph.stats(), graph.store.location)
            cached["generation"] = generation
        return cached["page"]  # type: ignore[return-value]

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(await run_in_threadpool(current_page))

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/health", health),
            *sparql_routes(sparql),
            *graphql_routes(graph, settings),
            *report_routes(graph, settings),
            *load_routes(sparql),
            *resource_routes(graph),
            *watch_feed_routes(graph),
        ],
        middleware=[
            # A Host the server does not go by is 400 before anything reads or echoes it
            # (the page's endpoint, base IRIs): a rebound DNS name gets nothing.
            Middleware(
                TrustedHostMiddleware,  # type: ignore[arg-type]
                allowed_hosts=list(settings.trusted_hosts),
                www_redirect=False,
            ),
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


class StoreFigures:
    """What /health reports of the store (named graphs, seed loaded), counted off the event
    loop once per state of the data, so a health check costs no store work.

    Counting is a scan (a second with 200,000 graphs): the first request waits for it; later
    ones get the last figures at once while a change is counted again in the background.
    """

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.graph = graph
        self._figures: tuple[int, bool] | None = None
        self._generation: int | None = None
        self._counting: asyncio.Future[None] | None = None
        self._limiter = anyio.CapacityLimiter(1)

    async def current(self) -> tuple[int, bool]:
        """The number of named graphs and whether the seed case is loaded."""
        if self._generation != self.graph.generation and (
            self._counting is None or self._counting.done()
        ):
            self._counting = asyncio.ensure_future(self._count())
            self._counting.add_done_callback(_quiet)
        if self._figures is None:
            assert self._counting is not None
            await asyncio.shield(self._counting)
        assert self._figures is not None
        return self._figures

    async def _count(self) -> None:
        generation = self.graph.generation
        self._figures = await anyio.to_thread.run_sync(self._scan, limiter=self._limiter)
        self._generation = generation

    def _scan(self) -> tuple[int, bool]:
        return len(self.graph.named_graphs()), self.graph.has_seed()


def _quiet(task: asyncio.Future[None]) -> None:
    # A failed count in the background is retried at the next request; the one waiting
    # for it (if any) gets the error.
    if not task.cancelled():
        task.exception()
