"""``POST /load``: add RDF to a running server's store, exactly as `kg load` adds a file.

The body is RDF in any syntax `kg load` reads, its ``Content-Type`` saying which
(``text/turtle``, ``application/n-triples``, ``application/n-quads``, ``application/trig``,
``application/ld+json``, ``application/rdf+xml``, ``text/n3``). ``?graph=IRI`` names the graph
for triples outside any named graph; without it, triples from a triples-only syntax go to
``id/graph/upload/{first 16 hex digits of the body's SHA-256}``, so every fact still has a graph
that says where it came from. ``?base=IRI`` (absolute) resolves the body's relative IRIs. A
leading UTF-8 byte-order mark is dropped; an empty body is the empty document of its syntax
(Turtle's holds 0 quads; JSON-LD and RDF/XML need a root, as in a file). The load is parsed,
validated with the SHACL shapes against the store, and committed in one transaction (or
nothing is written), one writer at a time with SPARQL updates; then queries, caches and the
mark index see it (`KnowledgeGraph.changed`). As after `kg load`, parties whose names are the
same once legal forms, case, punctuation and full-width forms are set aside are then linked
(`kg.analysis.resolution.resolve_parties`). It needs the update token (`kg.api.access`).

Answers: 200 with JSON ``{"quads_read", "quads_added", "graph", "warnings",
"parties_resolved"}`` (the pairs of parties newly linked); 400 for a
syntax error (with line and column) or a bad parameter; 403 without the token; 413 for a
body over ``--max-load-size``; 415 for an unknown ``Content-Type``; 422 for SHACL violations.
"""

from __future__ import annotations

import hashlib

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.analysis.resolution import resolve_parties
from kg.analysis.service import index_marks
from kg.api.access import authorize_write, bearer_token
from kg.errors import KGError, ParseError
from kg.ingest.load import LoadReport, load_parsed, parse_bytes, user_graph
from kg.namespaces import GRAPH
from kg.sparql.service import SparqlService

__all__ = ["MEDIA_TYPES", "load_routes", "upload_graph"]

MEDIA_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/ld+json",
    "application/rdf+xml",
    "text/n3",
)
_NAME = "request body"


class LoadRequestError(KGError):
    """A ``POST /load`` the endpoint cannot take; carries its own HTTP status."""

    def __init__(self, status: int, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message, suggestion=suggestion)
        self.http_status = status


def upload_graph(data: bytes) -> str:
    """The graph for triples of an upload that names none: from the body's digest.

    >>> upload_graph(b"")
    'https://w3id.org/tmkg/id/graph/upload/e3b0c44298fc1c14'
    """
    return f"{GRAPH}upload/{hashlib.sha256(data).hexdigest()[:16]}"


def load_routes(service: SparqlService) -> list[Route]:
    """The ``POST /load`` route, writing through `service` (its write lock and its graph)."""
    graph = service.graph
    store = graph.store
    if hasattr(store, "bulk_swap"):
        store.bulk_swap = False  # readers in other threads must never lose the store's handle
    settings = service.settings

    async def load(request: Request) -> Response:
        # The token first: an unauthorised client's body is never read.
        authorize_write(settings.update_token, bearer_token(request.headers), "POST /load")
        rdf_format = _format(request.headers.get("content-type", ""))
        target, base = _parameters(request)
        data = await request.body()  # RequestSizeLimit has bounded it
        if target is None and not rdf_format.supports_datasets:
            target = upload_graph(data)

        def run() -> tuple[LoadReport, int]:
            parsed = parse_bytes(
                data, name=_NAME, rdf_format=rdf_format, graph=target, base_iri=base
            )
            with service.write_lock:
                report = load_parsed(store, [parsed])
                resolved = 0
                if report.quads_added:
                    graph.changed()
                    resolved = len(resolve_parties(graph))
                    # as kg load does: the mark index beside the store keyed and compared
                    # now, so neither a question here nor a reader beside us pays for it
                    index_marks(graph)
            return report, resolved

        report, resolved = await anyio.to_thread.run_sync(run)
        return JSONResponse(
            {
                "quads_read": report.quads_read,
                "quads_added": report.quads_added,
                "graph": target,
                "warnings": list(report.warnings),
                "parties_resolved": resolved,
            }
        )

    return [Route("/load", load, methods=["POST"], name="load")]


def _format(content_type: str) -> ox.RdfFormat:
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
            raise LoadRequestError(415, f"the body must be UTF-8, not {value.strip()}")
    rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if rdf_format is None:
        raise LoadRequestError(
            415,
            f"unsupported Content-Type {media_type or '(none)'}",
            suggestion=f"send RDF as one of {', '.join(MEDIA_TYPES)}",
        )
    return rdf_format


def _parameters(request: Request) -> tuple[str | None, str | None]:
    """The ``graph`` and ``base`` parameters, each at most once and an absolute IRI."""
    items = request.query_params.multi_items()
    unknown = sorted({key for key, _ in items} - {"graph", "base"})
    if unknown:
        raise LoadRequestError(
            400, f"unknown parameter {', '.join(unknown)}", suggestion="use graph=IRI, base=IRI"
        )
    return _iri_parameter(items, "graph"), _iri_parameter(items, "base")


def _iri_parameter(items: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in items if key == name]
    if len(values) > 1:
        raise LoadRequestError(400, f"the request has more than one {name}= parameter")
    if not values:
        return None
    try:
        node = ox.NamedNode(values[0])
    except ValueError as error:
        raise LoadRequestError(
            400, f"{name}={values[0]!r} is not an absolute IRI ({error})"
        ) from None
    if name == "graph":
        try:  # not one of the graphs tmkg keeps itself (kg.ingest.load.user_graph)
            user_graph(node.value, "the graph= parameter")
        except ParseError as error:
            raise LoadRequestError(400, error.message, suggestion=error.suggestion) from None
    return node.value
