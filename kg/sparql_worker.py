"""The worker side of `kg.query_workers`: answer SPARQL jobs on a read-only store snapshot.

Run as a script by path (``python kg/sparql_worker.py READ_FD WRITE_FD``), so a worker starts
in ~50 ms: it imports only the standard library and pyoxigraph, never the `kg` package. Jobs
and answers cross the pipe as plain dicts and tuples.
"""

from __future__ import annotations

import json
import signal
import sys
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection

import pyoxigraph as ox

__all__ = ["GRAPH_FORMATS", "RESULTS_FORMATS", "QueryAnswer", "QueryJob", "answer_query", "serve"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker, with its dataset, output formats and row limit.

    `default_graphs`/`named_graphs` are ``None`` when the request does not set them; then the
    default graph is the union of all graphs, unless the query has its own FROM clauses.
    """

    sparql: str
    results_format: str = "json"  # for SELECT/ASK: a key of RESULTS_FORMATS
    graph_format: str = "turtle"  # for CONSTRUCT/DESCRIBE: a key of GRAPH_FORMATS
    max_rows: int = 10_000
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: its kind (solutions, boolean, graph), format, bytes and row count."""

    kind: str
    format: str
    body: bytes
    rows: int
    truncated: bool


def answer_query(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Run a job on a pyoxigraph store and serialize at most `job.max_rows` rows.

    Raises `SyntaxError` (malformed) or `OSError`/`ValueError`/`RuntimeError` (failed), as
    pyoxigraph does.
    """
    options: dict[str, object] = {"prefixes": dict(job.prefixes), "base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        # The protocol's dataset replaces the query's: unnamed parts are empty.
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    result = store.query(job.sparql, **options)  # type: ignore[arg-type]
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULTS_FORMATS[job.results_format])
        return QueryAnswer("boolean", job.results_format, body or b"", 1, False)
    if isinstance(result, ox.QuerySolutions):
        variables = [variable.value for variable in result.variables]
        rows = list(islice(result, job.max_rows + 1))
        truncated = len(rows) > job.max_rows
        rows = rows[: job.max_rows]
        body = _solutions_json(variables, rows)
        if job.results_format != "json":
            parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=RESULTS_FORMATS[job.results_format]) or b""
        return QueryAnswer("solutions", job.results_format, body, len(rows), truncated)
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    rdf_format = GRAPH_FORMATS[job.graph_format]
    extra = {"prefixes": dict(job.prefixes)} if rdf_format == ox.RdfFormat.TURTLE else {}
    body = ox.serialize(triples, format=rdf_format, **extra) or b""  # type: ignore[arg-type]
    return QueryAnswer("graph", job.graph_format, body, len(triples), truncated)


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    """SPARQL 1.1 Query Results JSON for some rows (pyoxigraph can only write whole results)."""
    bindings = []
    for row in rows:
        binding = {}
        for variable in variables:
            term = row[variable]
            if term is not None:
                binding[variable] = _term_json(term)
        bindings.append(binding)
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _term_json(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term_json(getattr(term, p)) for p in parts}}
    raise TypeError(f"cannot write {term!r} as SPARQL JSON")


def serve(jobs: Connection, answers: Connection) -> None:
    """A worker's loop: open the named snapshot, answer the job, reply; until the pipe closes.

    A job is ``(snapshot_folder, QueryJob fields as a dict)``; a reply is ``("ok", QueryAnswer
    fields as a tuple)``, ``("syntax", message)`` or ``("failed", message)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            snapshot, fields = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            if snapshot != opened:
                store = None
                store = ox.Store.read_only(snapshot)
                opened = snapshot
            answer = answer_query(store, QueryJob(**fields))  # type: ignore[arg-type]
            reply: tuple[str, object] = ("ok", tuple(answer.__dict__.values()))
        except SyntaxError as error:
            reply = ("syntax", str(error))
        except Exception as error:  # reported to the requester; the worker lives on
            reply = ("failed", f"{type(error).__name__}: {error}")
        answers.send(reply)


if __name__ == "__main__":
    jobs_fd, answers_fd = int(sys.argv[1]), int(sys.argv[2])
    serve(Connection(jobs_fd, writable=False), Connection(answers_fd, readable=False))
