"""The HTTP side of the remote store: SPARQL 1.1 Protocol requests, authentication, answers.

Requests are POSTed form-encoded (``query=``/``update=``), which every server takes
(Virtuoso 7.2.5 hangs on a direct ``application/sparql-query`` body). Answers are read in full
within a deadline and turned into pyoxigraph results; a server's error becomes a tmkg error.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import httpx
import pyoxigraph as ox

from kg.errors import ParseError, QueryError, QueryTimeout, StoreError, UnreadableAnswer
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
_CHUNK_ROWS = 1_000  # rows read together when looking for the unreadable ones

log = logging.getLogger(__name__)
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


def parse_results(
    response: Answer, *, skip_unreadable: bool = False
) -> ox.QuerySolutions | ox.QueryBoolean:
    """SELECT/ASK results as pyoxigraph's `QuerySolutions`/`QueryBoolean`, read through once
    here first: pyoxigraph reads lazily, so a value it refuses would otherwise fail whoever
    iterates, far from here.

    A row holding a value that is no RDF term (Virtuoso stores what an update's
    ``IRI("a b")`` or ``STRDT("1", IRI("x"))`` made) raises `UnreadableAnswer` naming the
    row, variable and value; with `skip_unreadable` such rows are left out and a warning
    logged. Rows are looked at one by one in JSON answers only (an XML one raises). Raises
    `QueryError` for an answer that is not results, `UnreadableAnswer` for a malformed one.
    """
    media = response.media_type
    results_format = _RESULTS_FORMATS.get(media)
    if results_format is None:
        raise QueryError(f"the SPARQL endpoint answered with {media or 'no type'}, not results")
    body = response.body
    if results_format == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _valid_blank_labels(body)
    try:
        return _read_through(body, results_format)
    except (SyntaxError, ValueError) as error:
        reason = str(error)
        if results_format != ox.QueryResultsFormat.JSON:
            message = f"unreadable results from the SPARQL endpoint: {reason}"
            raise UnreadableAnswer(message) from None
    return _read_through(_readable_rows(body, reason, skip_unreadable), results_format)


def _read_through(body: bytes, results_format: ox.QueryResultsFormat) -> ox.QuerySolutions:
    results = ox.parse_query_results(body, results_format)
    if isinstance(results, ox.QuerySolutions):
        for _ in results:
            pass
        results = ox.parse_query_results(body, results_format)
    return results  # type: ignore[return-value]


def _readable_rows(body: bytes, reason: str, skip: bool) -> bytes:
    """The JSON results `body` without its rows pyoxigraph cannot read (`skip`), or raise
    `UnreadableAnswer` naming the first; `reason`: pyoxigraph's error on the whole."""
    try:
        document = json.loads(body)
        head, bindings = document["head"], list(document["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        raise UnreadableAnswer(f"unreadable results from the SPARQL endpoint: {reason}") from None
    kept: list[object] = []
    dropped: list[tuple[int, dict[str, object], str]] = []
    for start in range(0, len(bindings), _CHUNK_ROWS):
        chunk = bindings[start : start + _CHUNK_ROWS]
        if _refusal(head, chunk) is None:
            kept.extend(chunk)
            continue
        for number, binding in enumerate(chunk, start + 1):
            refused = _refusal(head, [binding])
            if refused is None:
                kept.append(binding)
            else:
                dropped.append((number, binding, refused))
    if not dropped:
        raise UnreadableAnswer(f"unreadable results from the SPARQL endpoint: {reason}")
    number, binding, refused = dropped[0]
    where = f"row {number}, {_unreadable_value(head, binding)}"
    if not skip:
        raise UnreadableAnswer(
            f"the SPARQL endpoint's answer holds a value that is no RDF term ({where}): {refused}",
            suggestion="the server stored it as an update made it (IRI(), STRDT()); remove or "
            "rewrite it at the server, or leave it out of the question",
        )
    log.warning(
        "%d row(s) of the SPARQL endpoint's answer hold a value that is no RDF term and were "
        "left out (%s: %s)",
        len(dropped),
        where,
        refused,
    )
    document["results"]["bindings"] = kept
    return json.dumps(document).encode()


def _refusal(head: object, bindings: list[object]) -> str | None:
    """pyoxigraph's reason for refusing these rows, or None when it reads them."""
    document = json.dumps({"head": head, "results": {"bindings": bindings}}).encode()
    try:
        for _ in ox.parse_query_results(document, ox.QueryResultsFormat.JSON):  # type: ignore[union-attr]
            pass
    except (SyntaxError, ValueError) as error:
        return str(error)
    return None


def _unreadable_value(head: object, binding: dict[str, object]) -> str:
    """``?o = {"type": "uri", "value": "a b"}``: the first value of `binding` refused alone."""
    for variable, term in binding.items():
        if _refusal({"vars": [variable]}, [{variable: term}]) is not None:
            shown = json.dumps(term, ensure_ascii=False)
            if len(shown) > 200:
                shown = shown[:200] + " …"
            return f"?{variable} = {shown}"
    return "a value"


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
        raise UnreadableAnswer(f"unreadable RDF from the SPARQL endpoint: {error}") from None


def _valid_blank_labels(body: bytes) -> bytes:
    """Blank node labels a SPARQL parser accepts (Virtuoso's are ``nodeID://b10001``)."""
    document = json.loads(body)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = _BLANK_LABEL.sub("_", term["value"])
    return json.dumps(document).encode()
