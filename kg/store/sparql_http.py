"""The HTTP side of the remote store: SPARQL 1.1 Protocol requests, authentication, answers.

Requests are POSTed form-encoded (``query=``/``update=``), which every server takes
(Virtuoso 7.2.5 hangs on a direct ``application/sparql-query`` body). Answers are read in full
within a deadline and turned into pyoxigraph results; a server's error becomes a tmkg error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import httpx
import pyoxigraph as ox

from kg.errors import ParseError, QueryError, QueryTimeout, StoreError
from kg.store.rdfxml_check import check_rdfxml

__all__ = [
    "GRAPH_ACCEPT",
    "RESULTS_ACCEPT",
    "Answer",
    "EndpointAuth",
    "RemoteTriples",
    "parse_graph",
    "parse_results",
    "post",
]

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.5"
_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_MAX_MESSAGE = 400
# How Virtuoso says it stopped a query at its own time limit, or refused one as too slow.
_SERVER_TIME_LIMITS = (
    "SR171: Transaction timed out",  # [SPARQL] MaxQueryExecutionTime
    "estimated execution time",  # [SPARQL] MaxQueryCostEstimationTime
)
_BLANK_LABEL = re.compile(r"[^A-Za-z0-9_]")


class EndpointAuth(httpx.Auth):
    """HTTP Digest or Basic authentication, whichever the server's challenge asks for.

    Nothing is sent until the server answers 401; Digest is preferred when offered (the
    password never crosses the wire), Basic is used only when it is the scheme asked for.
    """

    requires_request_body: ClassVar[bool] = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        digest = self._digest.auth_flow(request)
        response = yield next(digest)
        try:
            retry = digest.send(response)
        except StopIteration:
            challenges = response.headers.get_list("www-authenticate")
            if response.status_code == 401 and any(
                c.lower().startswith("basic") for c in challenges
            ):
                self._scheme = "basic"
                yield from self._basic.auth_flow(request)
            return
        yield retry


@dataclass(frozen=True)
class Answer:
    """A server's answer, read in full."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class RemoteTriples:
    """The triples of a remote CONSTRUCT/DESCRIBE, shaped like `pyoxigraph.QueryTriples`."""

    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        self._triples = list(triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def serialize(
        self, output: object = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES
    ) -> bytes | None:
        """The triples in an RDF format, as bytes (or written to `output`)."""
        return ox.serialize(self._triples, output, format)  # type: ignore[arg-type]


def post(
    client: httpx.Client,
    url: str,
    form: Mapping[str, str | Sequence[str]],
    *,
    accept: str,
    timeout: float | None,
    what: str,
) -> Answer:
    """POST a form and read the whole answer within `timeout` seconds; map failures to errors.

    `what` names the operation in messages ("query", "update"). Raises `QueryTimeout` past the
    deadline (the request is abandoned: the server may still be running it), `QueryError` for
    a request the server refuses as malformed or fails, `StoreError` when it cannot be reached
    or refuses the credentials.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    limits = httpx.Timeout(timeout, connect=None if timeout is None else min(timeout, 10.0))
    try:
        with client.stream(
            "POST", url, data=dict(form), headers={"Accept": accept}, timeout=limits
        ) as response:
            chunks = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline passed while reading the answer")
            answer = Answer(response.status_code, response.headers, b"".join(chunks))
    except httpx.TimeoutException:
        raise QueryTimeout(
            f"the SPARQL endpoint {url} did not answer the {what} within {timeout:g} s; tmkg "
            "abandoned the request (the server may still be running it)",
            suggestion="narrow the query with LIMIT or more specific patterns",
        ) from None
    except httpx.HTTPError as error:
        raise StoreError(
            f"cannot reach the SPARQL endpoint {url}: {error or type(error).__name__}",
            suggestion="check --endpoint/--update-endpoint and that the server is running",
        ) from None
    _raise_for_answer(answer, url, what)
    return answer


def _raise_for_answer(response: Answer, url: str, what: str) -> None:
    # Virtuoso answers an "anytime" query stopped at its own time limit with 200 and partial
    # results, flagged only by this header: a partial answer is refused, never passed on.
    state = response.headers.get("x-sql-state", "")
    if state == "S1TAT":
        raise QueryTimeout(
            f"the SPARQL endpoint {url} stopped the {what} at its own time limit and sent a "
            "partial answer, which tmkg refuses",
            suggestion="narrow the query, or raise the server's limit (Virtuoso: "
            "[SPARQL] MaxQueryExecutionTime)",
        )
    status = response.status
    if status < 300:
        return
    message = _server_message(response.text)
    if status in (401, 403):
        raise StoreError(
            f"the SPARQL endpoint {url} refused the {what} (HTTP {status}): {message}",
            suggestion="pass --endpoint-user and --endpoint-password (or $KG_ENDPOINT_USER, "
            "$KG_ENDPOINT_PASSWORD) for a user allowed to do this",
        )
    if status in (404, 405) or status >= 502:
        raise StoreError(
            f"the SPARQL endpoint {url} could not take the {what} (HTTP {status}): {message}",
            suggestion="check the endpoint URL and that the server is running",
        )
    if any(marker in message for marker in _SERVER_TIME_LIMITS):
        raise QueryTimeout(
            f"the SPARQL endpoint {url} stopped the {what} at its own limit: {message}",
            suggestion="narrow the query with LIMIT or more specific patterns",
        )
    noun = "SPARQL Update" if what == "update" else "SPARQL"
    # Virtuoso's SP030 is its SPARQL compiler's syntax error.
    if "syntax" in message.lower() or "parse" in message.lower() or "SP030" in message:
        raise QueryError(f"{noun} syntax error (from the endpoint): {message}")
    noun = "SPARQL Update" if what == "update" else "SPARQL query"
    raise QueryError(f"{noun} failed at the endpoint (HTTP {status}): {message}")


def _server_message(text: str) -> str:
    # Virtuoso repeats the whole request after the error; keep the error itself.
    text = text.split("\nSPARQL query:", 1)[0].split("\nSPARQL update:", 1)[0]
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE].rsplit(" ", 1)[0] + " …"


def parse_results(response: Answer) -> ox.QuerySolutions | ox.QueryBoolean:
    """SELECT/ASK results as pyoxigraph's `QuerySolutions`/`QueryBoolean`."""
    media = response.media_type
    results_format = _RESULTS_FORMATS.get(media)
    if results_format is None:
        raise QueryError(f"the SPARQL endpoint answered with {media or 'no type'}, not results")
    body = response.body
    if results_format == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _valid_blank_labels(body)
    try:
        return ox.parse_query_results(body, results_format)
    except (SyntaxError, ValueError) as error:
        raise QueryError(f"unreadable results from the SPARQL endpoint: {error}") from None


def parse_graph(response: Answer) -> RemoteTriples:
    """CONSTRUCT/DESCRIBE triples, read in full."""
    media = response.media_type
    rdf_format = _GRAPH_FORMATS.get(media)
    if rdf_format is None:
        raise QueryError(f"the SPARQL endpoint answered with {media or 'no type'}, not RDF")
    try:
        if rdf_format == ox.RdfFormat.RDF_XML:  # an endpoint's XML is refused as a file's is
            check_rdfxml(response.body, "the endpoint's RDF/XML")
        quads = ox.parse(response.body, rdf_format)
        return RemoteTriples([ox.Triple(q.subject, q.predicate, q.object) for q in quads])
    except (SyntaxError, ValueError, ParseError) as error:
        raise QueryError(f"unreadable RDF from the SPARQL endpoint: {error}") from None


def _valid_blank_labels(body: bytes) -> bytes:
    """Blank node labels a SPARQL parser accepts (Virtuoso's are ``nodeID://b10001``)."""
    document = json.loads(body)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = _BLANK_LABEL.sub("_", term["value"])
    return json.dumps(document).encode()
