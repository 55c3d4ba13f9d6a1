"""GraphQL at ``/graphql`` (strawberry), answering from the analysis service, and its playground.

- `schema`: the root fields, guard rails and error codes (SDL in ``schema/schema.graphql``);
- `types`: the object types, thin wrappers over `kg.analysis.model` results;
- `loaders`: per-request DataLoaders, so nested fields cost batched queries, not one each;
- `limits`: the query cost estimate and the limit codes;
- `runner`: service calls in worker threads, ranked conflicts cached per graph generation;
- `view`, `playground`: the HTTP view, the time limit and the offline GraphiQL page.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from kg.api.graphql.playground import static_route
from kg.api.graphql.runner import AnalysisRunner
from kg.api.graphql.schema import build_schema
from kg.api.graphql.view import GraphQLView
from kg.config import Settings
from kg.graph import KnowledgeGraph

__all__ = ["graphql_routes"]


def graphql_routes(graph: KnowledgeGraph, settings: Settings) -> list[BaseRoute]:
    """The routes of ``/graphql`` (GET and POST) and the playground's static files."""
    assets = "/graphql/static"
    view = GraphQLView(build_schema(settings), AnalysisRunner(graph), settings, assets)
    return [
        Route("/graphql", view, methods=["GET", "POST"], name="graphql"),
        static_route(assets),
    ]
