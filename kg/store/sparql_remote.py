"""A remote SPARQL 1.1 endpoint as a store: queries over the Protocol, writes over Update.

Tested against Virtuoso Open Source 7.2.5; see ``docs/remote-stores.md`` for pointing tmkg at
Virtuoso, Fuseki, GraphDB, QLever or Neptune.

- **Union default graph.** tmkg's queries expect the default graph to be the union of all
  graphs. The store sends no dataset, so the server's own default graph applies: Virtuoso's
  (without FROM) is the union of all graphs; other servers need a setting (the docs page).
- **tmkg's default graph.** Virtuoso, Neptune and a union-default Fuseki have no separate
  writable default graph that queries still see, so quads of tmkg's default graph are kept in
  the named graph `DEFAULT_GRAPH` and read back as default-graph quads. `named_graphs()`
  leaves it out; a query's ``GRAPH ?g`` sees it.
- **Writes.** `add` sends ``INSERT DATA`` and `remove` ``DELETE DATA`` in requests of
  `batch_size` quads (default `BATCH_QUADS`); one request is atomic on the servers above, so
  a write of up to `batch_size` quads is all or nothing. A bigger write that fails part-way is
  undone by removing what its earlier requests added (readers may see it in between, and an
  undo that itself fails is reported). Which quads are new is asked first, one query per
  `batch_size` quads, so `add` reports new quads as the embedded store does and sends
  nothing when everything is already there.
- **Decimals.** Virtuoso stores an ``xsd:decimal`` written without a decimal point
  (``"300000000"^^xsd:decimal``) as an ``xsd:integer``; the store writes (and looks up) such
  decimals as ``"300000000.0"``, the same value, which Virtuoso keeps a decimal.
- **Blank nodes** cannot be named across requests: quads with blank nodes go in one request
  (an ``INSERT … WHERE {}``: Virtuoso refuses blank nodes in ``INSERT DATA``), always count
  as new, and cannot be removed (tmkg's loader never produces them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import ClassVar, NoReturn
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from kg.errors import KGError, QueryError, StoreError, UnreadableAnswer
from kg.namespaces import GRAPH
from kg.store.base import GraphName, QueryResult, Term
from kg.store.sparql_http import (
    GRAPH_ACCEPT,
    RESULTS_ACCEPT,
    Answer,
    EndpointAuth,
    parse_graph,
    parse_results,
    post,
)
from kg.store.sparql_scan import declares_base, scan_sparql, tokens
from kg.store.sparql_split import SplitQuery, split_values

__all__ = [
    "BATCH_OPERATIONS",
    "BATCH_QUADS",
    "DEFAULT_GRAPH",
    "PAGE_ROWS",
    "VALUES_LIMIT",
    "VIRTUOSO_SYSTEM_GRAPHS",
    "RemoteSparqlStore",
    "update_text",
]

DEFAULT_GRAPH = str(GRAPH) + "default"
# Quads per INSERT DATA/DELETE DATA request (~100 KB of text). Virtuoso 7.2.5 refuses an
# INSERT DATA of ~1,500 seed quads ("generated SQL text has exceeded 10000 lines"), and from
# 100 to 1,000 the load time barely moves; a batch the server finds too big is split in two.
BATCH_QUADS = 500
BATCH_OPERATIONS = 100  # pattern deletions per request (remove_matching)
# Entries of one VALUES block per query: Virtuoso 7.2.5 refuses ~4,095 (see sparql_split).
VALUES_LIMIT = 2_000
# Rows per page when listing quads; Virtuoso's default ResultSetMaxRows is 10,000.
PAGE_ROWS = 10_000
# Graphs a fresh Virtuoso holds for itself, left out of named_graphs(), count() and quads().
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localhost:8890/sparql",
    "http://localhost:8890/DAV/",
)
_QUAD_VARIABLES = ("s", "p", "o", "g")
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
# How a server says one update was too big to take at once.
_REQUEST_TOO_BIG = ("length of generated SQL text has exceeded", "HTTP 413")


class RemoteSparqlStore:
    """A SPARQL 1.1 endpoint (and its update endpoint) behind the `Store` protocol.

    `auth` is ``(user, password)`` (Digest or Basic, as the server asks) or an `httpx.Auth`.
    `timeout` bounds each request in seconds (``None``: no limit).

    >>> store = RemoteSparqlStore("http://127.0.0.1:8890/sparql")
    >>> store.backend, store.location
    ('sparql', 'http://127.0.0.1:8890/sparql')
    >>> store.close()
    """

    backend: ClassVar[str] = "sparql"
    persistent: ClassVar[bool] = True
    transactional: ClassVar[bool] = False  # atomic per request only; see the module's notes

    def __init__(
        self,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        *,
        auth: tuple[str, str] | httpx.Auth | None = None,
        timeout: float | None = 300.0,
        batch_size: int = BATCH_QUADS,
        default_graph: str = DEFAULT_GRAPH,
        ignored_graphs: Sequence[str] = VIRTUOSO_SYSTEM_GRAPHS,
    ) -> None:
        if not endpoint:
            raise StoreError(
                "the sparql backend needs an endpoint URL", suggestion="pass --endpoint URL"
            )
        for url in (endpoint, update_endpoint):
            if url and "@" in urlsplit(str(url)).netloc:
                raise StoreError(
                    "the endpoint URL holds a user name or password, which tmkg would show "
                    "wherever it names the store (its health page, messages): give them apart",
                    suggestion="pass --endpoint-user USER and the password in "
                    "$KG_ENDPOINT_PASSWORD (or --endpoint-password)",
                )
        self.endpoint = str(endpoint)
        self.update_endpoint = str(update_endpoint or endpoint)
        self.timeout = timeout
        self.batch_size = max(1, batch_size)
        self.default_graph = ox.NamedNode(default_graph)
        self._hidden = (default_graph, *ignored_graphs)
        if isinstance(auth, tuple):
            auth = EndpointAuth(*auth)
        self._client = httpx.Client(auth=auth, follow_redirects=False)
        self._server: str | None = None  # the Server header of the endpoint's answers

    @property
    def location(self) -> str:
        return self.endpoint

    # ------------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
        skip_unreadable: bool = True,
    ) -> QueryResult:
        """Run a query at the endpoint; `timeout` overrides the store's for this request.

        Rows holding a value that is no RDF term (which a server may store when an update
        made it: ``IRI("a b")``) are left out with a warning, so tmkg's own questions answer
        about the rest; `skip_unreadable=False` raises `UnreadableAnswer` instead (a user's
        own query: `kg.sparql.service`)."""
        form: dict[str, str | list[str]] = {"query": _prologue(sparql, prefixes, base_iri)}
        if default_graphs:
            form["default-graph-uri"] = [g.value for g in default_graphs]
        elif not union_default_graph:
            form["default-graph-uri"] = [self.default_graph.value]
        if named_graphs:
            form["named-graph-uri"] = [g.value for g in named_graphs]
        kind = scan_sparql(sparql, prefixes).form
        if kind == "SELECT" and len(sparql) > 4 * VALUES_LIMIT:
            split = split_values(sparql, limit=VALUES_LIMIT)
            if split is not None:
                return self._select_split(form, split, prefixes, base_iri, timeout, skip_unreadable)
        return self._ask_endpoint(
            form, kind in ("CONSTRUCT", "DESCRIBE"), timeout, skip_unreadable=skip_unreadable
        )

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Term | None = None,
        graph: GraphName | None = None,
        *,
        skip_unreadable: bool = True,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern (``None`` matches anything), read in pages.

        Quads holding a value that is no RDF term (`query`) are left out with a warning, so
        tmkg's own questions and resource pages answer about the rest; `skip_unreadable=False`
        raises `UnreadableAnswer` instead (whether tmkg's own graphs can be read back)."""
        # Literals come back in the server's canonical form (Virtuoso: true as "1"); a pass
        # through Oxigraph gives Oxigraph's, the form the rest of tmkg compares against.
        pattern = (subject, predicate, obj, self._stored_graph(graph))
        for term in pattern:
            if isinstance(term, ox.BlankNode):
                raise StoreError("a remote store cannot look up quads by blank node")
        terms = [_term_text(t) or f"?{v}" for t, v in zip(pattern, _QUAD_VARIABLES, strict=True)]
        where = f"GRAPH {terms[3]} {{ {terms[0]} {terms[1]} {terms[2]} }}"
        if graph is None:
            where += self._graph_filter(keep_default=True)
        wanted = [v for t, v in zip(pattern, _QUAD_VARIABLES, strict=True) if t is None]
        if not wanted:
            if bool(self._ask_endpoint({"query": f"ASK {{ {where} }}"})):
                yield ox.Quad(*pattern)  # type: ignore[arg-type,misc]
            return
        select = f"SELECT {' '.join('?' + v for v in wanted)} WHERE {{ {where} }}"
        for rows in self._pages(select, wanted, skip_unreadable):
            canonical = ox.Store()
            for row in rows:
                values = dict(zip(_QUAD_VARIABLES, pattern, strict=True))
                values.update({v: row[v] for v in wanted})
                canonical.add(ox.Quad(*(values[v] for v in _QUAD_VARIABLES)))  # type: ignore[arg-type]
            for found in canonical:
                yield self._tmkg_quad(found)

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._graph_filter()} }}",
            skip_unreadable=True,
        )
        return [row["g"] for row in rows]  # type: ignore[misc]

    def count(self, graph: GraphName | None = None) -> int:
        if graph is None:
            where = "GRAPH ?g { ?s ?p ?o }" + self._graph_filter(keep_default=True)
        else:
            where = f"GRAPH {_term_text(self._stored_graph(graph))} {{ ?s ?p ?o }}"
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(rows[0]["n"].value) if rows else 0  # type: ignore[union-attr]

    # ------------------------------------------------------------------ writing

    def update(
        self,
        sparql: str,
        *,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        graphs_read: Sequence[str] = (),
    ) -> None:
        """Send a SPARQL Update to the update endpoint; one request, atomic at the server.

        On Virtuoso the update's default graph is tmkg's (`DEFAULT_GRAPH`), as in the embedded
        store: triples outside ``GRAPH`` go there, and ``WHERE`` sees it rather than the union.
        Virtuoso then matches ``GRAPH <g>`` in a ``WHERE`` only in graphs it is told of:
        `graphs_read` are (``named-graph-uri``; `kg.sparql.update_targets.UpdateTargets`).
        """
        form: dict[str, str | list[str]] = {"update": _prologue(sparql, prefixes, base_iri)}
        if self._is_virtuoso():
            form["default-graph-uri"] = self.default_graph.value
            if graphs_read:
                form["named-graph-uri"] = list(graphs_read)
        post(
            self._client,
            self.update_endpoint,
            form,
            accept=RESULTS_ACCEPT,
            timeout=self.timeout,
            what="update",
        )

    def add(self, quads: Iterable[ox.Quad]) -> int:
        unique = list(dict.fromkeys(quads))
        blank = [q for q in unique if _has_blank_node(q)]
        named = [q for q in unique if not _has_blank_node(q)]
        new = self._missing(named)
        self._write("INSERT DATA", list(_batches(new, self.batch_size)), undo="DELETE DATA")
        if blank:
            # One request, so that a label names one node; a template, since Virtuoso refuses
            # blank nodes in INSERT DATA. Last, as it cannot be undone.
            try:
                self.update(f"INSERT {{ {self._data_block(blank)} }} WHERE {{}}")
            except (QueryError, StoreError) as error:
                if not new:
                    raise
                self._undo(
                    "INSERT DATA", list(_batches(new, self.batch_size)), "DELETE DATA", error
                )
        return len(new) + len(blank)

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        unique = list(dict.fromkeys(quads))
        if any(_has_blank_node(q) for q in unique):
            raise StoreError(
                "a remote store cannot remove quads with blank nodes",
                suggestion="remove them with a SPARQL Update that matches them by pattern",
            )
        missing = set(self._missing(unique))
        present = [q for q in unique if q not in missing]
        self._write("DELETE DATA", list(_batches(present, self.batch_size)), undo="INSERT DATA")
        return len(present)

    def remove_matching(
        self,
        patterns: Iterable[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode | None, GraphName]],
    ) -> None:
        """Remove every quad with a pattern's subject, predicate and graph, whatever its object
        (a blank-node subject stands for any blank node, a predicate None for any predicate):
        for quads `remove` cannot name exactly, blank nodes and literals the server keeps in
        another form than the one read back (Virtuoso: ``"x"^^xsd:string``, durations; it
        deletes no ``NaN`` by any pattern). Requests of `BATCH_OPERATIONS` operations, each
        atomic at the server."""
        operations = []
        for subject, predicate, graph in dict.fromkeys(patterns):
            where = _term_text(self._stored_graph(graph))
            verb = "?p" if predicate is None else str(predicate)
            # USING NAMED: Virtuoso matches GRAPH <g> only in the graphs of the request's
            # dataset, which default-graph-uri alone limits to tmkg's default graph
            node = "?s" if isinstance(subject, ox.BlankNode) else str(subject)
            keep = " FILTER(isBlank(?s))" if isinstance(subject, ox.BlankNode) else ""
            operations.append(
                f"DELETE {{ GRAPH {where} {{ {node} {verb} ?o }} }} USING NAMED {where} "
                f"WHERE {{ GRAPH {where} {{ {node} {verb} ?o }}{keep} }}"
            )
        for start in range(0, len(operations), BATCH_OPERATIONS):
            self.update(" ;\n".join(operations[start : start + BATCH_OPERATIONS]))

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ internals

    def _is_virtuoso(self) -> bool:
        # Virtuoso takes default-graph-uri on updates as the graph for triples outside GRAPH
        # (a plain INSERT DATA is refused without it); the SPARQL 1.1 Protocol has no such
        # parameter for updates, and other servers may refuse it, so it is sent to Virtuoso only.
        if self._server is None:
            self._ask_endpoint({"query": "ASK {}"})
        return (self._server or "").lower().startswith("virtuoso")

    def _ask_endpoint(
        self,
        form: dict[str, str | list[str]],
        graph_form: bool = False,
        timeout: float | None = None,
        *,
        skip_unreadable: bool = False,
    ) -> QueryResult:
        answer = self._post_query(form, graph_form, timeout)
        if graph_form:
            return parse_graph(answer)  # type: ignore[return-value]
        return parse_results(answer, skip_unreadable=skip_unreadable)

    def _post_query(
        self, form: dict[str, str | list[str]], graph_form: bool, timeout: float | None
    ) -> Answer:
        answer = post(
            self._client,
            self.endpoint,
            form,
            accept=GRAPH_ACCEPT if graph_form else RESULTS_ACCEPT,
            timeout=self.timeout if timeout is None else timeout,
            what="query",
        )
        self._server = answer.headers.get("server", "")
        return answer

    def _select_split(
        self,
        form: dict[str, str | list[str]],
        split: SplitQuery,
        prefixes: dict[str, str] | None,
        base_iri: str | None,
        timeout: float | None,
        skip_unreadable: bool,
    ) -> QueryResult:
        """One SELECT answered as several (`split_values`), their rows merged."""
        variables: list[str] = []
        bindings: list[dict[str, object]] = []
        seen: set[str] = set()
        for query in split.queries:
            answer = post(
                self._client,
                self.endpoint,
                {**form, "query": _prologue(query, prefixes, base_iri)},
                accept="application/sparql-results+json",
                timeout=self.timeout if timeout is None else timeout,
                what="query",
            )
            document = json.loads(answer.body)
            variables = variables or document["head"].get("vars", [])
            for binding in document["results"]["bindings"]:
                if split.distinct:
                    key = json.dumps(binding, sort_keys=True)
                    if key in seen:
                        continue
                    seen.add(key)
                bindings.append(binding)
        merged = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        headers = httpx.Headers({"content-type": "application/sparql-results+json"})
        answer = Answer(200, headers, json.dumps(merged).encode())
        return parse_results(answer, skip_unreadable=skip_unreadable)

    def _select(self, sparql: str, *, skip_unreadable: bool = False) -> list[ox.QuerySolution]:
        """The rows of one of the store's own SELECTs (no prefixes, no scan needed). Rows
        holding a value that is no RDF term raise `UnreadableAnswer` (paging counts rows),
        or with `skip_unreadable` are left out."""
        answer = self._ask_endpoint({"query": sparql}, skip_unreadable=skip_unreadable)
        return list(answer)  # type: ignore[call-overload]

    def _graph_filter(self, *, keep_default: bool = False) -> str:
        hidden = [iri for iri in self._hidden if not (keep_default and iri == self._hidden[0])]
        if not hidden:
            return ""
        return f" FILTER(?g NOT IN ({', '.join(f'<{iri}>' for iri in hidden)}))"

    def _pages(
        self, select: str, variables: Sequence[str], skip_unreadable: bool
    ) -> Iterator[list[ox.QuerySolution]]:
        """The rows of a SELECT in pages of `PAGE_ROWS`: one unordered request when they fit,
        else ordered pages from the start (only an ordered result pages stably). Rows holding
        a value that is no RDF term raise `UnreadableAnswer`, or with `skip_unreadable` are
        left out (logged) and counted still where pages end. A server that caps answers below
        `PAGE_ROWS` rows would cut this short unnoticed."""
        rows, sent = self._page(f"{select} LIMIT {PAGE_ROWS}", skip_unreadable)
        if sent < PAGE_ROWS:
            yield rows
            return
        order = " ".join(f"?{v}" for v in variables)
        offset = 0
        while True:
            page = f"{select} ORDER BY {order} LIMIT {PAGE_ROWS} OFFSET {offset}"
            rows, sent = self._page(page, skip_unreadable)
            yield rows
            if sent < PAGE_ROWS:
                return
            offset += PAGE_ROWS

    def _page(self, sparql: str, skip_unreadable: bool) -> tuple[list[ox.QuerySolution], int]:
        """The rows of one of the store's own SELECTs and how many rows the server sent:
        with `skip_unreadable`, those holding a value that is no RDF term are counted and left
        out (logged); else they raise `UnreadableAnswer`."""
        answer = self._post_query({"query": sparql}, False, None)
        try:
            rows = list(parse_results(answer))  # type: ignore[call-overload]
        except UnreadableAnswer:
            if not skip_unreadable:
                raise
            rows = list(parse_results(answer, skip_unreadable=True))  # type: ignore[call-overload]
            return rows, len(json.loads(answer.body)["results"]["bindings"])
        return rows, len(rows)

    def _missing(self, quads: list[ox.Quad]) -> list[ox.Quad]:
        """Those of `quads` the endpoint does not hold, asked `batch_size` at a time."""
        missing: list[ox.Quad] = []
        for start in range(0, len(quads), self.batch_size):
            batch = quads[start : start + self.batch_size]
            values = "\n".join(
                f"({index} {quad.subject} {quad.predicate} {_term_text(quad.object)} "
                f"{_term_text(self._stored_graph(quad.graph_name))})"
                for index, quad in enumerate(batch)
            )
            rows = self._select(
                "SELECT DISTINCT ?i WHERE { VALUES (?i ?s ?p ?o ?g) { "
                f"{values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            )
            present = {int(row["i"].value) for row in rows}  # type: ignore[union-attr]
            missing += [quad for index, quad in enumerate(batch) if index not in present]
        return missing

    def _write(self, operation: str, batches: list[list[ox.Quad]], *, undo: str) -> None:
        """Send `operation` (INSERT DATA, DELETE DATA) per batch; on a failure, `undo` those
        sent before it and raise."""
        done: list[list[ox.Quad]] = []
        try:
            for batch in batches:
                self._send(operation, batch, done)
        except (QueryError, StoreError) as error:
            if not done:
                raise
            self._undo(operation, done, undo, error)

    def _send(self, operation: str, batch: list[ox.Quad], done: list[list[ox.Quad]]) -> None:
        try:
            self.update(f"{operation} {{ {self._data_block(batch)} }}")
        except QueryError as error:
            if len(batch) < 2 or not any(m in str(error) for m in _REQUEST_TOO_BIG):
                raise
            half = len(batch) // 2
            self._send(operation, batch[:half], done)
            self._send(operation, batch[half:], done)
            return
        done.append(batch)

    def _undo(
        self, operation: str, done: list[list[ox.Quad]], undo: str, error: KGError
    ) -> NoReturn:
        try:
            for batch in reversed(done):
                self.update(f"{undo} {{ {self._data_block(batch)} }}")
        except (QueryError, StoreError) as undo_error:
            raise StoreError(
                f"{operation} failed part-way ({error}), and undoing the "
                f"{sum(map(len, done))} quads already written failed too: {undo_error}",
                suggestion="the endpoint holds a partial write; repeat the operation",
            ) from error
        raise StoreError(
            f"{operation} failed part-way and was undone: {error}",
            suggestion="nothing was changed",
        ) from error

    def _data_block(self, quads: Sequence[ox.Quad]) -> str:
        by_graph: dict[str, list[str]] = {}
        for quad in quads:
            graph = _term_text(self._stored_graph(quad.graph_name))
            by_graph.setdefault(graph, []).append(
                f"{quad.subject} {quad.predicate} {_term_text(quad.object)} ."
            )
        return "\n".join(
            f"GRAPH {graph} {{\n{chr(10).join(lines)}\n}}" for graph, lines in by_graph.items()
        )

    def _stored_graph(self, graph: GraphName | None) -> ox.NamedNode | ox.BlankNode | None:
        return self.default_graph if isinstance(graph, ox.DefaultGraph) else graph

    def _tmkg_quad(self, quad: ox.Quad) -> ox.Quad:
        if quad.graph_name == self.default_graph:
            return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
        return quad


def update_text(sparql: str, prefixes: Mapping[str, str] | None, base_iri: str | None) -> str:
    """The text `RemoteSparqlStore.update` sends for `sparql`: BASE and the PREFIX
    declarations it does not make itself put in front (sent as is once it has them all)."""
    return _prologue(sparql, prefixes, base_iri)


def _prologue(sparql: str, prefixes: Mapping[str, str] | None, base_iri: str | None) -> str:
    r"""`sparql` with BASE and the PREFIX declarations it does not make itself put in front.

    A text that begins with its own BASE keeps it first, tmkg's declarations after it:
    Virtuoso 7.2.5 reads a BASE only before any PREFIX (the standard's prologue takes both in
    any order).

    >>> _prologue("BASE <urn:b:> SELECT * { <x> ?p ?o }", {"tm": "urn:tm#"}, "http://h/sparql")
    'BASE <urn:b:>\nPREFIX tm: <urn:tm#>\n SELECT * { <x> ?p ?o }'
    """
    items = list(islice(tokens(sparql), 2000))
    # a BASE anywhere in the text: none of tmkg's (Virtuoso takes one BASE a request)
    head = [f"BASE <{base_iri}>"] if base_iri and not declares_base(items) else []
    cut = 0  # where tmkg's declarations go: in front, or after the text's own leading BASE
    if len(items) > 1 and items[0].keyword == "BASE" and items[1].kind == "iri":
        head, cut = [], items[1].start + len(items[1].text)
    if prefixes:
        declared = set()  # by the leading prologue: a later one holds only from there on
        i = 0
        while i + 1 < len(items):
            if items[i].keyword == "BASE":
                i += 2
            elif items[i].keyword == "PREFIX" and items[i + 1].kind == "pname":
                declared.add(items[i + 1].text[:-1])
                i += 3
            else:
                break
        head += [
            f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in declared
        ]
    if not head:
        return sparql
    if cut:
        return "\n".join([sparql[:cut], *head, sparql[cut:]])
    return "\n".join([*head, sparql])


def _term_text(term: object) -> str | None:
    """A term in SPARQL syntax (decimals with a point, see above), or ``None`` for a wildcard.

    >>> _term_text(ox.Literal("7", datatype=ox.NamedNode(_XSD_DECIMAL)))
    '"7.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if term is None:
        return None
    if (
        isinstance(term, ox.Literal)
        and term.datatype.value == _XSD_DECIMAL
        and "." not in term.value
    ):
        return str(ox.Literal(term.value + ".0", datatype=term.datatype))
    return str(term)


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


def _batches(items: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
