"""SPARQL over a knowledge graph with an endpoint's guard rails, independent of HTTP.

`SparqlService` runs queries and updates in killable, confined worker processes
(`kg.sparql.workers`) with a time limit, a memory limit and a row limit; updates only for the
holder of the update token. It makes no requests on a user's behalf, and that is enforced
below the SPARQL parser: a worker cannot open a network socket at all (seccomp), so however a
query spells ``SERVICE``, ``LOAD`` or ``FROM``, the engine's attempt fails and the client gets
403. The text scanner in front (`kg.store.sparql_scan`) only gives clearer messages: ``SERVICE`` and
``LOAD`` to endpoints off the allow-list, and ``FROM`` of graphs not stored here, are refused
before any worker runs. An engine crash (a parser segfault, a panic) kills only its worker.

Federation is the operator's opt-in: with ``--allow-endpoint`` a query whose scan names only
allow-listed public endpoints runs in a worker that may open sockets (pyoxigraph's HTTP client
cannot be sent through a proxy); every other query still runs in a confined worker.
Protocol parameters are never spliced into query or update text: ``default-graph-uri`` and
``named-graph-uri`` are passed to the engine as the query's dataset, and
``using-graph-uri``/``using-named-graph-uri`` are refused (pyoxigraph can set an update's
dataset only in its text: write ``USING <iri>`` in the update).

On a remote store (``kg serve --endpoint``) there are no workers: queries are forwarded to the
remote endpoint with the time limit as the HTTP timeout (past it the request is abandoned on
our side; the remote server may keep running the query unless it has a limit of its own), the
same row limit and SERVICE/LOAD/FROM policy, and updates go to its update endpoint.

>>> from kg import KnowledgeGraph, Settings
>>> service = SparqlService(KnowledgeGraph.open(Settings(memory=True)), Settings(memory=True))
>>> service.query("ASK { ?s a tm:NiceClass }").body
b'{"head":{},"boolean":true}'
>>> service.query("SELECT * { SERVICE <http://127.0.0.1/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.Forbidden: SERVICE <http://127.0.0.1/sparql> is refused: ...
>>> service.close()
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

import anyio.to_thread
import pyoxigraph as ox

from kg.config import Settings
from kg.errors import Forbidden, QueryError, ValidationError
from kg.graph import KnowledgeGraph
from kg.ingest.validate_change import validate_change
from kg.namespaces import PREFIXES
from kg.reference import REFERENCE_GRAPHS, is_working_graph, kept_by_tmkg
from kg.sparql.total_order import CrashedSorts
from kg.sparql.worker import answer_query
from kg.sparql.workers import QueryAnswer, QueryJob, QueryWorkerPool, SyntaxJob, UpdateJob
from kg.sparql.write_token import authorize_write
from kg.store import QueryResult, Store
from kg.store.crashpoints import reached
from kg.store.sparql_scan import (
    VARIABLE_ENDPOINT,
    SparqlScan,
    Token,
    declares_base,
    named_iris,
    scan_sparql,
)
from kg.store.sparql_scan import tokens as scan_tokens

__all__ = ["SparqlService", "check_public_endpoint", "server_extension"]

log = logging.getLogger(__name__)


class SparqlService:
    """Queries and updates with limits, over one knowledge graph. Thread-safe."""

    def __init__(self, graph: KnowledgeGraph, settings: Settings) -> None:
        self.graph = graph
        self.settings = settings
        self._pool: QueryWorkerPool | None = None
        self._federating_pool: QueryWorkerPool | None = None
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._remote = graph.store.backend == "sparql"
        if self._remote:  # read now, not in a first update's request (~0.3 s, more when busy)
            import kg.sparql.update_targets  # noqa: F401
        # ORDER BY queries the engine's sort crashed on, run again sorted by total keys.
        self._crashed_sorts = CrashedSorts()
        graph.on_change(self.refresh)

    @property
    def updates_enabled(self) -> bool:
        """Whether the server was started with an update token."""
        return bool(self.settings.update_token)

    def start(self) -> None:
        """Start the query workers now rather than at the first query."""
        if not self._remote:
            self._workers()

    def close(self) -> None:
        """Stop the query workers and delete their snapshots."""
        with self._pool_lock:
            for pool in (self._pool, self._federating_pool):
                if pool is not None:
                    pool.close()
            self._pool = self._federating_pool = None

    def scan(self, sparql: str) -> SparqlScan:
        """The form and the SERVICE/LOAD/FROM IRIs of a query or update.

        Raises `QueryError` for a text past the scanner's complexity limits.
        """
        if len(sparql) <= _REMEMBERED_SCAN_CHARS:
            return _remembered_scan(sparql)
        return scan_sparql(sparql, PREFIXES)

    def query(
        self,
        sparql: str,
        *,
        results_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryAnswer:
        """Run a query in a worker, serialized in the given format, at most `max_rows` rows.

        `default_graphs`/`named_graphs` (the protocol's dataset) replace the query's own FROM
        clauses; without either, the default graph is the union of all graphs.

        Raises `QueryError` (malformed or failed), `QueryTimeout`, `Forbidden` (SERVICE,
        FROM of a graph not stored here). A leading byte-order mark is dropped.
        """
        return self._query(
            sparql,
            results_format=results_format,
            graph_format=graph_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_rows=self.settings.max_rows,
            timeout=self.settings.query_timeout,
        )

    async def query_async(
        self,
        sparql: str,
        *,
        results_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        scan: SparqlScan | None = None,
    ) -> QueryAnswer:
        """`query` for the event loop (the endpoint): the same checks, limits and answers.

        A query that names no other graph or server goes to a worker straight from the loop
        (no thread hop; the time limit is a timer on the loop); others, whose checks resolve
        host names or read the store, and remote stores, run `query` in a thread. `scan` is
        the text's `scan`, when the caller has it already.
        """
        sparql = sparql.removeprefix("\ufeff")
        scan = scan or self.scan(sparql)
        pool = self._pool
        if self._remote or pool is None or scan.services or scan.loads or scan.from_graphs:
            return await anyio.to_thread.run_sync(
                lambda: self.query(
                    sparql,
                    results_format=results_format,
                    graph_format=graph_format,
                    default_graphs=default_graphs,
                    named_graphs=named_graphs,
                    base_iri=base_iri,
                )
            )
        job = _query_job(
            sparql,
            scan,
            results_format=results_format,
            graph_format=graph_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_rows=self.settings.max_rows,
        )
        timeout = self.settings.query_timeout
        started = time.monotonic()
        plan = self._crashed_sorts.plan(job)
        try:
            return await pool.run_async(plan.first, timeout=timeout)
        except QueryError as error:
            retry = plan.retry(error, plan.first)
            if retry is None:
                raise
        return await pool.run_async(retry, timeout=_left(timeout, started))

    def _query(
        self,
        sparql: str,
        *,
        results_format: str,
        graph_format: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
        max_rows: int,
        timeout: float | None,
    ) -> QueryAnswer:
        sparql = sparql.removeprefix("\ufeff")
        scan = self.scan(sparql)
        protocol_dataset = default_graphs is not None or named_graphs is not None
        try:
            self._check_server_extensions(sparql, base_iri)
            self._check_remote_access(scan)
            # A protocol dataset naming a graph not stored selects an empty graph, as the
            # W3C protocol tests expect (query_post_form names data0.rdf, never loaded).
            if scan.from_graphs and not protocol_dataset:
                self._check_stored(scan.from_graphs)
        except Forbidden:
            self._check_syntax(sparql, update=False, base_iri=base_iri)
            raise
        job = _query_job(
            sparql,
            scan,
            results_format=results_format,
            graph_format=graph_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_rows=max_rows,
        )
        if self._remote:
            # answer_query serializes, with the row limit, as a worker would.
            remote = _RemoteQuery(self.graph.store, timeout or 1e9)
            return answer_query(remote, job)  # type: ignore[arg-type]
        pool = self._federating() if scan.services else self._workers()
        started = time.monotonic()
        plan = self._crashed_sorts.plan(job)
        try:
            return pool.run(plan.first, timeout=timeout)
        except QueryError as error:
            retry = plan.retry(error, plan.first)
            if retry is None:
                raise
        return pool.run(retry, timeout=_left(timeout, started))

    def query_result(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        """Run a query in a worker, as `query` does, with no row limit, and parse the answer
        back: pyoxigraph solutions, a boolean, or a list of triples (for `kg query`).

        `timeout` is in seconds (``None``: none). Raises as `query` does.
        """
        answer = self._query(
            sparql,
            results_format="json",
            graph_format="ntriples",
            default_graphs=None,
            named_graphs=None,
            base_iri=None,
            max_rows=2**62,
            timeout=timeout,
        )
        if answer.kind == "graph":
            return list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))  # type: ignore[return-value]
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)

    def authorize_update(self, token: str | None) -> None:
        """Raise `Forbidden` unless updates are enabled and `token` is the update token."""
        authorize_write(self.settings.update_token, token, "SPARQL Update")

    @property
    def write_lock(self) -> threading.Lock:
        """Held while the store is written (SPARQL Update, ``POST /load``): one writer at once."""
        return self._write_lock

    def update(
        self,
        sparql: str,
        *,
        token: str | None,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> None:
        """Run a SPARQL Update atomically (all of it or nothing), then refresh the workers.

        The update runs in a confined worker on a copy of the store (time and memory limits
        as for queries; no network); its effect, the quads it removed and added, is then
        applied to the store in one transaction. Its WHERE clauses see the store's real
        default graph (not the union) unless ``USING`` says otherwise. Refused updates change
        nothing; a graph it drops, clears or moves from that holds no quads is an empty graph
        (tmkg's graphs exist by their quads). A malformed update is a `QueryError` before any
        refusal. Raises `Forbidden` (no token, LOAD/SERVICE), `QueryError` (malformed,
        failed, crashed, past a limit; also for ``using_graphs``/``using_named_graphs``,
        which are never spliced into the text). A leading byte-order mark is dropped.
        """
        sparql = sparql.removeprefix("\ufeff")
        try:
            self.authorize_update(token)
        except Forbidden:
            self._check_syntax(sparql, update=True, base_iri=base_iri)
            raise
        if using_graphs or using_named_graphs:
            raise QueryError(
                "using-graph-uri and using-named-graph-uri are not supported: the engine can "
                "take an update's dataset only from the update's own text",
                suggestion="write USING <iri> (or USING NAMED <iri>) before WHERE in the update",
            )
        try:
            self._check_server_extensions(sparql, base_iri, "update")
            self._check_remote_access(self.scan(sparql))
        except Forbidden:
            self._check_syntax(sparql, update=True, base_iri=base_iri)
            raise
        with self._write_lock:
            reached("update:start")
            self._run_update(sparql, base_iri)
            reached("update:done")
            self.graph.changed()  # refreshes the workers' snapshot and the analysis caches

    def refresh(self) -> None:
        """Let queries see the store's current state; call after any write to the store."""
        with self._pool_lock:
            for pool in (self._pool, self._federating_pool):
                if pool is not None:
                    pool.refresh()

    def _workers(self) -> QueryWorkerPool:
        with self._pool_lock:
            if self._pool is None:
                self._pool = QueryWorkerPool(
                    self.graph.store,
                    size=self.settings.query_workers,
                    memory_mb=self.settings.query_memory_mb,
                )
            return self._pool

    def _federating(self) -> QueryWorkerPool:
        """One worker that may open sockets, for queries naming allow-listed endpoints only."""
        with self._pool_lock:
            if self._federating_pool is None:
                self._federating_pool = QueryWorkerPool(
                    self.graph.store,
                    size=1,
                    network=True,
                    memory_mb=self.settings.query_memory_mb,
                )
            return self._federating_pool

    def _run_update(self, text: str, base_iri: str | None) -> None:
        store = self.graph.store
        if self._remote:
            # imported here: rdflib's SPARQL grammar (~0.25 s) serves remote stores only, and
            # a service over a local store (`kg query`) never reads it (see __init__)
            from kg.sparql.update_targets import check_sendable, update_targets
            from kg.store.sparql_remote import update_text

            sent = update_text(text, PREFIXES, base_iri)  # read exactly what the server runs
            check_sendable(sent)
            default = getattr(store, "default_graph", None)
            targets = update_targets(sent, default_graph=default.value if default else None)
            if targets.writes is not None:
                raise _own_graph_refused(targets.writes)
            own = " ".join(f"<{graph.value}>" for graph in REFERENCE_GRAPHS)
            for source in targets.into_default:  # as the store is now (not after earlier steps)
                if self.graph.ask(
                    f"ASK {{ GRAPH <{source}> {{ ?s ?p ?o }} VALUES ?s {{ {own} }} }}"
                ):
                    raise Forbidden(
                        f"the update adds, copies or moves {source} into the default graph, "
                        "and it holds statements about tmkg's own reference data (its graphs "
                        "are described in the default graph as shipped, and kept so)",
                        suggestion="remove those statements from the graph first",
                    )
            try:
                store.update(sent, graphs_read=targets.graphs_read)  # type: ignore[call-arg]
            finally:  # an update failing part-way keeps what it did before, on Virtuoso
                if targets.may_change:
                    # What it removed there (CLEAR, DELETE) comes back, and what a variable
                    # put there goes, as the next opening would do: now, so that no query
                    # sees it for long (~0.1 s: a few pattern reads of ~4,300 quads).
                    _, removed = self.graph.restore_reference_data()
            if not targets.may_change:  # it names only other graphs and subjects
                return
            if removed:
                log.warning(
                    "the update wrote %d statement(s) in or about tmkg's own graphs that its "
                    "text did not name; removed (tmkg keeps those graphs as shipped)",
                    removed,
                )
            return
        job = UpdateJob(sparql=text, base_iri=base_iri, prefixes=tuple(PREFIXES.items()))
        removed, added = self._workers().update(job, timeout=self.settings.query_timeout)
        removed = _own_graphs_kept(removed, added, text)
        report = validate_change(removed, added, store)
        if report.violations:
            raise ValidationError(
                report.violations,
                source="the update",
                shown=20,
                rest=" (nothing was changed)",
            )
        replace = getattr(store, "replace", None)
        if replace is not None:
            replace(removed, added)  # one transaction
        else:
            store.remove(removed)
            store.add(added)

    def _check_syntax(self, sparql: str, *, update: bool, base_iri: str | None) -> None:
        """Raise `QueryError` if the text is malformed: a syntax error is told before a refusal.

        The text is parsed by the engine in a confined worker, so the refusal that follows is
        still the worker's to enforce. A remote store has no workers: the text is not read
        before a refusal (rdflib's parser takes seconds for a large update: no one without the
        token can make the server spend them).
        """
        if self._remote:  # the server's own check, once the update is sent (not when refused)
            return
        job = SyntaxJob(sparql, update, base_iri, tuple(PREFIXES.items()))
        self._workers().check_syntax(job, timeout=self.settings.query_timeout)

    def _check_server_extensions(
        self, sparql: str, base_iri: str | None = None, what: str = "query"
    ) -> None:
        """On a remote store, refuse the server's own extensions (`server_extension`), and
        a text tmkg and the server would read apart (``\\u`` escapes: a `QueryError`)."""
        if self._remote:
            from kg.sparql.update_targets import check_codepoint_escapes  # see _run_update

            check_codepoint_escapes(sparql, what)
            found = server_extension(sparql, based=base_iri is not None)
            if found is not None:
                raise Forbidden(
                    f"{found} is refused: a server's own functions and pragmas (Virtuoso's "
                    "bif:exec runs SQL, bif:http_get fetches URLs, fn:doc reads a URL, a "
                    "function named by a relative IRI is a SQL procedure) are not sent on a "
                    "user's behalf",
                    suggestion="use SPARQL 1.1 functions only, and write IRIs in full or "
                    "declare a BASE",
                )

    def _check_remote_access(self, scan: SparqlScan) -> None:
        for keyword, targets in (("SERVICE", scan.services), ("LOAD", scan.loads)):
            for target in targets:
                if target == VARIABLE_ENDPOINT:
                    raise Forbidden(
                        f"{keyword} with a variable or unreadable IRI is refused",
                        suggestion=f"name the {keyword} IRI literally, as <https://…>",
                    )
                if target not in self.settings.allowed_endpoints:
                    raise Forbidden(
                        f"{keyword} <{target}> is refused: this endpoint makes no requests to "
                        "other servers on a user's behalf",
                        suggestion="the operator can allow a public endpoint with "
                        "kg serve --allow-endpoint URL (or KG_ALLOWED_ENDPOINTS)",
                    )
                check_public_endpoint(target, keyword)

    def _check_stored(self, graphs: Sequence[str]) -> None:
        stored = {graph.value for graph in self.graph.named_graphs()}
        for iri in graphs:
            if iri not in stored:
                raise Forbidden(
                    f"FROM <{iri}> names no graph stored here, and this endpoint never fetches "
                    "graphs from the web",
                    suggestion="FROM and FROM NAMED select stored graphs only; list them with "
                    "SELECT DISTINCT ?g { GRAPH ?g {} }",
                )


_PREFIXES = tuple(PREFIXES.items())
_SERVER_IRIS = (
    "bif:",
    "sql:",
    "http://www.openlinksw.com/schemas/bif#",
    "http://www.openlinksw.com/schemas/sql#",
    "http://www.w3.org/2005/xpath-functions",
    "http://www.w3.org/2004/07/xpath-functions",
)
"""Virtuoso's built-in functions (SQL procedures: exec, http_get, file_to_string, …) and the
XPath functions it runs when called by IRI: ``fn:doc("http://127.0.0.1:…/")`` and
``fn:id("x")`` in an anonymous query each stopped Virtuoso 7.2.5, in either namespace
(measured 2026-12-05). SPARQL 1.1's own functions (UCASE, REGEX, …) do what users need."""

_DOCUMENT_FUNCTIONS = frozenset(
    (
        "doc", "doc-available", "document", "collection", "uri-collection", "unparsed-text",
        "unparsed-text-lines", "unparsed-text-available", "json-doc", "environment-variable",
        "available-environment-variables",
    )
)  # fmt: skip
"""The local names of XPath functions that read documents by URI or the server's environment
(XPath and XQuery Functions 3.1, sections 14.6 and 14.8; XSLT's ``document``), refused when
called in any namespace too (Virtuoso runs XPath functions under more than one)."""
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NAMED_ANYWHERE = re.compile(
    rf"""
    (?<![a-z0-9_])(?:bif|sql):[\w-]*                         # Virtuoso's built-in functions
  | openlinksw\.com/schemas/(?:bif|sql)\#[\w-]*
  | www\.w3\.org/(?:2005|2004/07)/xpath-functions[^\s>]*    # XPath functions, by IRI
  | (?<![a-z0-9_])fn:[\w.-]*(?=>?\s*\()                     # ... or by fn:, called
  | (?<=[:\#/])(?:{"|".join(map(re.escape, sorted(_DOCUMENT_FUNCTIONS, key=len, reverse=True)))})
      (?![\w-])(?=>?\s*\()                                   # reading documents, called
  | <[^<>\s"':{{}}|^`\\]*>(?=\s*\()                         # a procedure: <SPARQL_EVAL>(
  | (?<![a-z0-9_])define\s+[a-z_][\w-]*:                     # a pragma: define get:soft
  | (?<![a-z0-9_])option\s*\(                                # OPTION (get:soft …)
    """,
    re.I | re.X,
)
"""What `server_extension` refuses wherever it stands in a text, a string, comment or IRI
included: tmkg's reading of a text and Virtuoso's differ in places (`<'\\u0041> "'` is an
IRI and a string for SPARQL, a less-than and a string for Virtuoso; ``tm:-bif:http_get`` one
name in a lenient reading, a name, a minus and a call for Virtuoso), and a call hidden by one
such difference ran unseen (trial of 2026-12-05)."""


def _local_name(name: str) -> str:
    """The part of an IRI or prefixed name after its last ``#``, ``/`` or ``:``, lower case."""
    return re.split(r"[#/:]", name)[-1].lower()


def server_extension(sparql: str, *, based: bool = False) -> str | None:
    """The first of a server's own extensions in `sparql`, as written, or None: an IRI in
    Virtuoso's built-in function namespaces (``<bif:exec>``, ``bif:http_get`` with its
    predeclared prefix, ``<sql:…>``), an XPath function (by IRI, or called by Virtuoso's
    predeclared ``fn:``), a function named as the XPath functions reading
    documents by URI are, called (`_DOCUMENT_FUNCTIONS`, in any namespace; a property of
    such a name is sent), a ``DEFINE`` pragma (``define
    get:soft`` makes Virtuoso fetch a FROM graph from the web), or a relative IRI in a text
    with no ``BASE`` (and not `based` on one the request gives): Virtuoso calls a function
    named by one as the SQL procedure of that name (``<RDF_SPONGE_UP>("http://…", 0)`` is
    ``DB.DBA.RDF_SPONGE_UP``), and Oxigraph refuses such a text (no base to resolve it by).

    >>> server_extension('SELECT (bif:http_get("http://127.0.0.1/") AS ?r) {}')
    'bif:http_get'
    >>> server_extension("SELECT * { ?s <http://example.org/bif:x> ?o }")
    'bif:x (character 35; refused anywhere in the text)'
    >>> server_extension("SELECT ?r { BIND(tm:-bif:http_get('http://h/') AS ?r) }")
    'bif:http_get'
    >>> server_extension('SELECT (<RDF_SPONGE_UP>("http://127.0.0.1/", 0) AS ?r) {}')
    '<RDF_SPONGE_UP>'
    >>> server_extension('SELECT (fn:upper-case("a") AS ?r) {}')
    'fn:upper-case'
    >>> server_extension("SELECT * { ?s <http://example.org/document> ?o }") is None
    True
    """
    lone_return = re.search(r"\r(?!\n)", sparql)
    if lone_return is not None:  # Virtuoso reads one inside a "…" string, SPARQL does not
        where = lone_return.start() + 1
        return f"a carriage return not followed by a line feed (character {where})"
    found = list(scan_tokens(sparql))
    return _extension_token(found, based) or _named_anywhere(sparql)


def _named_anywhere(sparql: str) -> str | None:
    """The first of `_NAMED_ANYWHERE` in `sparql`, with where it stands, or None."""
    named = _NAMED_ANYWHERE.search(sparql)
    if named is None:
        return None
    return f"{named.group()} (character {named.start() + 1}; refused anywhere in the text)"


def _extension_token(found: list[Token], based: bool) -> str | None:
    """The first token of `found` that `server_extension` refuses, as written, or None."""
    based = based or declares_base(found)
    for place, token in enumerate(found):
        called = place + 1 < len(found) and found[place + 1].text.startswith("(")
        if token.keyword in ("DEFINE", "OPTION"):  # OPTION (get:soft …) after FROM, too
            return token.keyword
        if token.kind == "other" and token.text[0] in "\"'":
            return f"an unmatched quote (character {token.start + 1})"
        if token.kind == "iri":
            iri = token.text[1:-1]
            if iri.lower().startswith(_SERVER_IRIS):
                return token.text
            if called and _local_name(iri) in _DOCUMENT_FUNCTIONS:
                return token.text
            # a function or a declaration named by a relative IRI: resolved against <> it is
            # a bare name, and Virtuoso calls DB.DBA.<name> (SPARQL_EVAL runs a text unread)
            declared = (place > 0 and found[place - 1].keyword in ("BASE", "PREFIX")) or (
                place > 1 and found[place - 2].keyword == "PREFIX"
            )
            if not _ABSOLUTE_IRI.match(iri) and (called or declared or not based):
                return token.text
        elif token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix.lower() in ("bif", "sql") or (called and prefix.lower() == "fn"):
                return token.text
            if called and _local_name(local) in _DOCUMENT_FUNCTIONS:
                return token.text
    return None


_REMEMBERED_SCAN_CHARS = 4096  # the scans of up to 256 such texts: at most ~1 MB


@functools.lru_cache(maxsize=256)
def _remembered_scan(sparql: str) -> SparqlScan:
    # Applications send the same queries again and again; the scan is a pure function.
    return scan_sparql(sparql, PREFIXES)


def _left(timeout: float | None, started: float) -> float | None:
    """What is left of `timeout` seconds since `started` (`time.monotonic`), at least 1 ms."""
    return None if timeout is None else max(0.001, timeout - (time.monotonic() - started))


def _query_job(
    sparql: str,
    scan: SparqlScan,
    *,
    results_format: str,
    graph_format: str,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    base_iri: str | None,
    max_rows: int,
) -> QueryJob:
    protocol_dataset = default_graphs is not None or named_graphs is not None
    return QueryJob(
        sparql=sparql,
        results_format=results_format,
        graph_format=graph_format,
        max_rows=max_rows,
        union_default_graph=not scan.from_graphs,
        default_graphs=tuple(default_graphs or ()) if protocol_dataset else None,
        named_graphs=tuple(named_graphs or ()) if protocol_dataset else None,
        base_iri=base_iri,
        prefixes=_PREFIXES,
    )


class _RemoteQuery:
    """A remote store seen through pyoxigraph's `query` keywords, as `answer_query` calls it,
    with the endpoint's time limit as the HTTP timeout (past it, `QueryTimeout`)."""

    _EMPTY = "urn:x-tmkg:empty-graph"  # names no graph: an empty part of a protocol dataset

    def __init__(self, store: Store, timeout: float) -> None:
        self.store = store
        self.timeout = timeout

    def query(
        self,
        sparql: str,
        *,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        # pyoxigraph's keywords (as answer_query calls them) in, the Store protocol's out. A
        # protocol dataset leaves unnamed parts empty, as in the workers.
        dataset = default_graph is not None or named_graphs is not None
        empty = [ox.NamedNode(self._EMPTY)]
        return self.store.query(  # type: ignore[call-arg]
            sparql,
            default_graphs=(default_graph or empty) if dataset else None,
            named_graphs=(named_graphs or empty) if dataset else None,
            prefixes=prefixes,
            base_iri=base_iri,
            timeout=self.timeout,
            skip_unreadable=False,  # a user's answer is whole or an error, never cut short
        )


def check_public_endpoint(url: str, keyword: str = "SERVICE") -> None:
    """Raise `Forbidden` unless `url` is http(s) and every address its host has is public.

    >>> check_public_endpoint("http://10.0.0.7/sparql")
    Traceback (most recent call last):
    ...
    kg.errors.Forbidden: SERVICE <http://10.0.0.7/sparql> is refused: its host resolves to ...
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Forbidden(f"{keyword} <{url}> is refused: only http(s) endpoints can be allowed")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Forbidden(
            f"{keyword} <{url}> is refused: its host does not resolve ({error})"
        ) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise Forbidden(
                f"{keyword} <{url}> is refused: its host resolves to {address}, a private, "
                "loopback or link-local address"
            )


def _own_graphs_kept(
    removed: Sequence[ox.Quad], added: Sequence[ox.Quad], text: str
) -> list[ox.Quad]:
    """What an update removes, but for what tmkg keeps itself (its ontology and reference
    graphs and their descriptions: `kg.reference.kept_by_tmkg`), which it may not change:
    each opening of the store brings them back to the shipped content, so what it adds there
    would be lost without a word (`Forbidden`), and so is a removal from them that the update's
    `text` asks for by naming the graph or the subject (``CLEAR GRAPH <…/graph/reference>``,
    ``MOVE`` of it, ``DELETE DATA`` there: helper-109 F3, which answered 204 and did nothing,
    or half); what it removes there without naming them (``CLEAR ALL``, ``DROP ALL``,
    ``DELETE WHERE { GRAPH ?g { ?s ?p ?o } }``) is kept, as the next opening would restore it."""
    for quad in added:
        if is_working_graph(quad.graph_name):
            raise Forbidden(
                f"the update adds to {quad.graph_name.value}, a graph tmkg writes and removes "  # type: ignore[union-attr]
                "while it checks a load, so what it adds would be lost"
            )
        if kept_by_tmkg(quad):
            where = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else quad.subject
            raise _own_graph_refused(where.value)  # type: ignore[union-attr]
    own = [quad for quad in removed if kept_by_tmkg(quad)]
    if own:
        named = named_iris(text, PREFIXES)
        for quad in own:
            for term in (quad.graph_name, quad.subject):
                if isinstance(term, ox.NamedNode) and term.value in named:
                    raise _own_graph_refused(term.value, "removes from or about")
    return [quad for quad in removed if not kept_by_tmkg(quad)]


def _own_graph_refused(graph: str, does: str = "adds to or about") -> Forbidden:
    return Forbidden(
        f"the update {does} {graph}, tmkg's own reference data, which is brought back to the "
        "shipped content each time the store is opened",
        suggestion="write your statements in a graph of your own; CLEAR ALL, DROP ALL and "
        "patterns with a variable graph leave tmkg's own graphs as they are",
    )
