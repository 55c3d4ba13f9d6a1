"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: requests, content negotiation, headers.

Queries come as GET ``?query=``, POST form-encoded, or POST ``application/sparql-query``;
updates as POST form-encoded ``update=`` or ``application/sparql-update`` (with the update
token). A GET without a query answers a browser with the YASGUI query page and any other
client with the SPARQL 1.1 Service Description. The work is done by `kg.sparql.service`.
"""

from __future__ import annotations

import codecs
import functools
from urllib.parse import parse_qsl

import anyio.to_thread
import mimeparse
import pyoxigraph as ox
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from kg.api.offline_page import asset_route
from kg.api.query_page import YASGUI_ASSETS, query_page
from kg.api.service_description import DESCRIPTION_PREFIXES, service_description
from kg.config import Settings
from kg.errors import KGError, QueryError
from kg.sparql.service import SparqlService
from kg.sparql.worker import GRAPH_FORMATS

__all__ = [
    "RESULT_HEADERS",
    "ProtocolError",
    "accepted_quality",
    "cors_middleware",
    "error_response",
    "negotiate",
    "sparql_routes",
]

# Media types offered, best first; values name the serializer (`kg.sparql.worker`).
RESULTS_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
RESPONSE_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# Response headers a cross-origin page may read (see `cors_middleware`).
RESULT_HEADERS = ("X-Result-Rows", "X-Result-Truncated", "X-Result-Max-Rows")

_FORM = "application/x-www-form-urlencoded"


class ProtocolError(QueryError):
    """A request the SPARQL protocol does not allow; carries its own HTTP status."""

    def __init__(self, status: int, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message, suggestion=suggestion)
        self.http_status = status


def error_response(request: Request, error: Exception) -> Response:
    """The one place tmkg errors become HTTP answers: the error's status, its text."""
    assert isinstance(error, KGError)
    return PlainTextResponse(str(error) + "\n", status_code=error.http_status)


def cors_middleware(settings: Settings) -> list[Middleware]:
    """CORS for the origins the settings name (none by default: same-origin only)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,  # type: ignore[arg-type]
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=list(RESULT_HEADERS),
        )
    ]


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The offer the Accept header prefers (first offer on ties or no header), else ``None``.

    Each offer gets the quality of the most specific media range that matches it (RFC 9110
    §12.5.1, by python-mimeparse); quality 0 means "not acceptable". The first offer of each
    name is its canonical type; later ones are aliases that only a range naming them exactly
    selects. A header with no readable media range counts as absent.

    >>> negotiate("text/csv, */*;q=0.1", RESULTS_MEDIA_TYPES)
    'csv'
    >>> negotiate("application/sparql-results+json;q=0, text/csv;q=0.5", RESULTS_MEDIA_TYPES)
    'csv'
    >>> negotiate(None, GRAPH_MEDIA_TYPES)
    'turtle'
    >>> negotiate("image/png", RESULTS_MEDIA_TYPES) is None
    True
    """
    ranges = _media_ranges(accept or "")
    if not ranges:
        return next(iter(offers.values()))
    named = [r for r in ranges if "*" not in r[:2]]
    canonical: dict[str, str] = {}
    best, best_quality = None, 0.0
    for media, name in offers.items():
        # An alias (application/json, text/plain, ...) is chosen only by its own name: the
        # answer carries the canonical type, which a wildcard's client may have refused.
        is_alias = canonical.setdefault(name, media) != media
        quality = mimeparse.quality_parsed(media, named if is_alias else ranges)
        if quality > best_quality:
            best, best_quality = name, quality
    return best


@functools.lru_cache(maxsize=64)
def _negotiated(accept: str | None) -> tuple[str | None, str | None]:
    return negotiate(accept, RESULTS_MEDIA_TYPES), negotiate(accept, GRAPH_MEDIA_TYPES)


def _answer_formats(accept: str | None) -> tuple[str | None, str | None]:
    """The results format and the graph format an Accept header picks (`negotiate`).

    Clients send the same few headers again and again: short ones are remembered.
    """
    if accept is not None and len(accept) > 512:
        return negotiate(accept, RESULTS_MEDIA_TYPES), negotiate(accept, GRAPH_MEDIA_TYPES)
    return _negotiated(accept)


def accepted_quality(accept: str, media_type: str) -> float:
    """The quality an Accept header gives a media type: that of the most specific matching
    range, 0 when none matches.

    >>> accepted_quality("text/*;q=0.3, text/plain;q=0.7, */*;q=0.5", "text/html")
    0.3
    """
    return float(mimeparse.quality_parsed(media_type, _media_ranges(accept)))


def _media_ranges(accept: str) -> list[tuple[str, str, dict[str, str]]]:
    ranges = []
    for part in accept.lower().split(","):  # media types are case-insensitive
        if part.strip():
            try:
                ranges.append(mimeparse.parse_media_range(part))
            except mimeparse.MimeTypeParseException:
                continue  # an unreadable range is skipped, not the whole header
    return ranges


_YASGUI_PATH = "/sparql/yasgui"


def sparql_routes(service: SparqlService) -> list[BaseRoute]:
    """The routes of the endpoint: ``/sparql`` (and ``/sparql/``) and the page's assets."""
    endpoint = _Endpoint(service)
    return [
        Route("/sparql", endpoint.handle, methods=["GET", "POST"], name="sparql"),
        Route("/sparql/", endpoint.handle, methods=["GET", "POST"]),
        asset_route(_YASGUI_PATH, YASGUI_ASSETS),
    ]


class _Endpoint:
    def __init__(self, service: SparqlService) -> None:
        self.service = service

    async def handle(self, request: Request) -> Response:
        limit = self.service.settings.max_request_bytes
        if len(request.url.query) > limit:
            raise ProtocolError(
                414,
                f"the query string is longer than {limit} bytes",
                suggestion="the operator sets the limit with --max-request-size",
            )
        params = _query_parameters(request)
        if request.method in ("GET", "HEAD"):  # Starlette answers HEAD without the body
            if _values(params, "update"):
                raise ProtocolError(405, "SPARQL Update must be sent with POST, not GET")
            queries = _values(params, "query")
            if not queries:
                return await self._describe(request)
            return await self._query(request, _single(queries, "query"), params)
        media_type, charset = _content_type(request)
        body = await _read_body(request, limit)
        if media_type == _FORM:
            form = _form_parameters(body, charset)
            params += form
            queries, updates = _values(form, "query"), _values(form, "update")
            if queries and updates:
                raise ProtocolError(400, "a request carries either query= or update=, not both")
            if queries:
                return await self._query(request, _single(queries, "query"), params)
            if updates:
                return await self._update(request, _single(updates, "update"), params)
            raise ProtocolError(400, "the form has neither query= nor update=")
        if media_type in ("application/sparql-query", "application/sparql-update"):
            if charset not in (None, "utf-8", "utf8"):
                raise ProtocolError(415, f"the body must be UTF-8, not {charset}")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the body is not valid UTF-8") from None
            if media_type == "application/sparql-query":
                return await self._query(request, text, params)
            return await self._update(request, text, params)
        if not media_type:
            raise ProtocolError(
                400,
                "a POST needs a Content-Type",
                suggestion=f"use {_FORM}, application/sparql-query or application/sparql-update",
            )
        raise ProtocolError(
            415,
            f"unsupported Content-Type {media_type}",
            suggestion=f"use {_FORM}, application/sparql-query or application/sparql-update",
        )

    async def _query(
        self, request: Request, sparql: str, params: list[tuple[str, str]]
    ) -> Response:
        sparql = sparql.removeprefix("\ufeff")
        scan = self.service.scan(sparql)
        form = scan.form
        accept = request.headers.get("accept")
        results_format, graph_format = _answer_formats(accept)
        wanted = {"SELECT": results_format, "ASK": results_format}.get(form or "", graph_format)
        if form is not None and wanted is None:
            offered = RESULTS_MEDIA_TYPES if form in ("SELECT", "ASK") else GRAPH_MEDIA_TYPES
            raise ProtocolError(
                406,
                f"cannot answer {form} queries as {accept}",
                suggestion=f"accept one of {', '.join(offered)}",
            )
        default_graphs = _values(params, "default-graph-uri")
        named_graphs = _values(params, "named-graph-uri")
        answer = await self.service.query_async(
            sparql,
            results_format=results_format or "json",
            graph_format=graph_format or "turtle",
            default_graphs=default_graphs if default_graphs or named_graphs else None,
            named_graphs=named_graphs if default_graphs or named_graphs else None,
            base_iri=_endpoint_url(request),
            scan=scan,
        )
        headers = {"Vary": "Accept", "X-Result-Rows": str(answer.rows)}
        if answer.truncated:
            headers["X-Result-Truncated"] = "true"
            headers["X-Result-Max-Rows"] = str(self.service.settings.max_rows)
        return Response(
            answer.body, media_type=RESPONSE_MEDIA_TYPES[answer.format], headers=headers
        )

    async def _update(
        self, request: Request, sparql: str, params: list[tuple[str, str]]
    ) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        await anyio.to_thread.run_sync(
            lambda: self.service.update(
                sparql,
                token=token.strip() if scheme.lower() == "bearer" else None,
                using_graphs=_values(params, "using-graph-uri"),
                using_named_graphs=_values(params, "using-named-graph-uri"),
                base_iri=_endpoint_url(request),
            )
        )
        return Response(status_code=204)

    async def _describe(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        choice = negotiate(accept, {**GRAPH_MEDIA_TYPES, "text/html": "html"})
        endpoint = _endpoint_url(request)
        if choice == "html":
            return HTMLResponse(query_page(endpoint, _YASGUI_PATH))
        if choice is None:
            raise ProtocolError(
                406,
                f"cannot describe this service as {accept}",
                suggestion=f"accept text/html or one of {', '.join(GRAPH_MEDIA_TYPES)}",
            )
        graphs = await anyio.to_thread.run_sync(self.service.graph.named_graphs)
        triples = service_description(
            endpoint,
            updates=self.service.updates_enabled,
            federated=bool(self.service.settings.allowed_endpoints),
            graphs=[g.value for g in graphs if isinstance(g, ox.NamedNode)],
            results_formats=sorted(set(RESULTS_MEDIA_TYPES.values())),
        )
        rdf_format = GRAPH_FORMATS[choice]
        extra = {"prefixes": DESCRIPTION_PREFIXES} if rdf_format == ox.RdfFormat.TURTLE else {}
        body = ox.serialize(triples, format=rdf_format, **extra) or b""  # type: ignore[arg-type]
        return Response(body, media_type=RESPONSE_MEDIA_TYPES[choice], headers={"Vary": "Accept"})


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _single(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise ProtocolError(400, f"the request has {len(values)} {name}= parameters, not one")
    return values[0]


def _query_parameters(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, decoded as UTF-8 (a URL declares no charset); 400 otherwise."""
    try:
        raw = request.scope["query_string"].decode("utf-8")
        return parse_qsl(raw, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400,
            f"the URL's query string is not UTF-8 ({_bad_bytes(error)})",
            suggestion="percent-encode the UTF-8 bytes of the text (caf%C3%A9 for café)",
        ) from None


def _form_parameters(body: bytes, charset: str | None) -> list[tuple[str, str]]:
    """A form's fields, decoded in the charset its Content-Type declares (UTF-8 if none).

    An unknown charset is 415; bytes the charset cannot decode are 400. Never replaced.
    """
    name = charset or "utf-8"
    suggestion = (
        f"send the form as UTF-8, or declare its charset: Content-Type: {_FORM}; charset=ISO-8859-1"
    )
    try:
        encoding = codecs.lookup(name).name
        text = body.decode(encoding)
        return parse_qsl(text, keep_blank_values=True, encoding=encoding, errors="strict")
    except LookupError:
        raise ProtocolError(
            415, f"the form's charset {name} is not a known text encoding", suggestion=suggestion
        ) from None
    except UnicodeError as error:
        raise ProtocolError(
            400, f"the form is not valid {name} ({_bad_bytes(error)})", suggestion=suggestion
        ) from None


def _bad_bytes(error: UnicodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        bad = error.object[error.start : error.end]
        return "cannot decode byte " + " ".join(f"0x{byte:02X}" for byte in bad)
    return str(error)


def _content_type(request: Request) -> tuple[str, str | None]:
    media_type, *parameters = request.headers.get("content-type", "").split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = ProtocolError(
        413,
        f"the request body is larger than {limit} bytes",
        suggestion="the operator sets the limit with --max-request-size",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _endpoint_url(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))
