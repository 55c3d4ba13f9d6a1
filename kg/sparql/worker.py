"""The worker side of `kg.sparql.workers`: run SPARQL where a crash or a request cannot harm.

Run as a script by path (``python kg/sparql/worker.py READ_FD WRITE_FD [--memory-mb N]
[--network]``), so a worker starts in ~50 ms: it imports only the standard library,
pyoxigraph and pyseccomp, never the `kg` package. Jobs cross the pipe as plain tuples;
answers come back as raw bytes behind a small pickled head (`send_reply`).

Before it reads a job, a worker `confine`s itself: a seccomp filter makes every attempt to
open an IPv4, IPv6, packet or netlink socket fail with EACCES (and refuses io_uring, which can
open sockets without socket(2), and exec), so SERVICE, LOAD and FROM of a graph that is not
stored cannot reach any server however the query is written; a data-segment limit
(RLIMIT_DATA) caps its memory. Queries run on a read-only snapshot; an update runs on a
writable copy of the store and answers with the quads it removed and added, which the parent
applies to the real store in one transaction.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import json
import os
import pickle
import re
import resource
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "GRAPH_FORMATS",
    "NETWORK_REFUSED",
    "RESULTS_FORMATS",
    "QueryAnswer",
    "QueryJob",
    "SyntaxJob",
    "UpdateJob",
    "answer_query",
    "check_syntax",
    "confine",
    "run_update",
    "send_reply",
    "serve",
]

NETWORK_REFUSED = "network-refused"
"""The reply status of a job that tried to open a network socket in a confined worker."""
_REFUSED_TEXT = "Permission denied (os error 13)"  # how Rust reports EACCES from socket(2)
_SOCKET_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET, socket.AF_NETLINK)

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


@dataclass(frozen=True)
class UpdateJob:
    """One SPARQL Update for a worker (the pool names the writable copy it runs on)."""

    sparql: str
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SyntaxJob:
    """A query or update to parse only: a syntax error is told before any refusal."""

    sparql: str
    update: bool = False
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


def confine(*, network: bool = False, memory_mb: int | None = None) -> None:
    """Confine this process: no network sockets (unless `network`), at most `memory_mb` MiB of
    data segment, no core dumps. Linux only; raises `OSError` where seccomp is unavailable.

    The filter (libseccomp through pyseccomp) answers socket(2) for AF_INET, AF_INET6,
    AF_PACKET and AF_NETLINK with EACCES, io_uring_setup(2), execve(2) and execveat(2) with
    EPERM; pipes and AF_UNIX sockets keep working. A filter cannot be removed once loaded.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    if network:
        return
    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for family in _SOCKET_FAMILIES:
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
    for call in ("io_uring_setup", "execve", "execveat"):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
    rules.load()


def run_update(job: UpdateJob, copy: str) -> tuple[bytes, bytes]:
    """Run an update on the writable store copy at `copy`; the N-Quads it removed and added.

    The copy is dumped before and after to files beside it (Oxigraph streams them), and the
    dumps are compared by 128-bit BLAKE2b digests of their lines, so memory grows with the
    number of quads (~80 bytes each), not with their text: the parent then applies exactly
    the update's effect. Raises what pyoxigraph raises (`SyntaxError`, `OSError`,
    `ValueError`, `RuntimeError`).
    """
    store = ox.Store(copy)
    before_file, after_file = Path(copy + ".before.nq"), Path(copy + ".after.nq")
    try:
        store.dump(str(before_file), format=ox.RdfFormat.N_QUADS)
        before = {_digest(line) for line in _lines(before_file)}
        _update_with_missing_graphs_empty(store, job)
        store.dump(str(after_file), format=ox.RdfFormat.N_QUADS)
        del store
        added = []
        for line in _lines(after_file):
            digest = _digest(line)
            if digest in before:
                before.discard(digest)
            else:
                added.append(line)
        removed = [line for line in _lines(before_file) if _digest(line) in before]
    finally:
        before_file.unlink(missing_ok=True)
        after_file.unlink(missing_ok=True)
    return b"\n".join(removed), b"\n".join(added)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        for line in file:
            yield line.rstrip(b"\n")


def _digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


_MISSING_GRAPH = re.compile(r"The graph <([^>]*)> does not exist")


def _update_with_missing_graphs_empty(store: ox.Store, job: UpdateJob) -> None:
    """Run the update, taking a graph that holds no quads as an empty graph, not a missing one.

    A tmkg graph exists by its quads (an update's effect is applied as quads), so ``DROP``,
    ``CLEAR`` and ``MOVE`` of a graph holding nothing succeed as on any empty graph (SPARQL 1.1
    Update §3.2 lets an implementation fail there; Oxigraph does). The engine names the graph
    it misses: it is declared, empty, in the copy and the whole update runs again (a failed
    update changes nothing).
    """
    declared: set[str] = set()
    while True:
        try:
            store.update(job.sparql, base_iri=job.base_iri, prefixes=dict(job.prefixes))
            return
        except RuntimeError as error:
            missing = _MISSING_GRAPH.fullmatch(str(error))
            if missing is None or missing[1] in declared:
                raise
            declared.add(missing[1])
            store.add_graph(ox.NamedNode(missing[1]))


def check_syntax(job: SyntaxJob) -> None:
    """Raise `SyntaxError` when the job's text does not parse; return when it does.

    pyoxigraph parses only to run, so the text runs on an empty in-memory store, in this
    confined worker: it reads no data and reaches no server, and any failure but a syntax
    error means that the text parsed.
    """
    options: dict[str, object] = {"base_iri": job.base_iri, "prefixes": dict(job.prefixes)}
    try:
        if job.update:
            ox.Store().update(job.sparql, **options)  # type: ignore[arg-type]
        else:
            ox.Store().query(job.sparql, **options)  # type: ignore[arg-type]
    except SyntaxError:
        raise
    except Exception:
        return  # it parsed; failing on an empty store says nothing about the text


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
        if job.results_format == "xml":
            body = _xml_safe(body)
        return QueryAnswer("solutions", job.results_format, body, len(rows), truncated)
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    rdf_format = GRAPH_FORMATS[job.graph_format]
    extra = {"prefixes": dict(job.prefixes)} if rdf_format == ox.RdfFormat.TURTLE else {}
    body = ox.serialize(triples, format=rdf_format, **extra) or b""  # type: ignore[arg-type]
    if rdf_format == ox.RdfFormat.RDF_XML:
        body = _xml_safe(body)
    return QueryAnswer("graph", job.graph_format, body, len(triples), truncated)


def _xml_safe(document: bytes) -> bytes:
    """The XML document with characters XML 1.0 forbids replaced by U+FFFD (`kg.xml_text`,
    loaded by path: a worker never imports the `kg` package)."""
    global _XML_TEXT
    if _XML_TEXT is None:
        spec = importlib.util.spec_from_file_location(
            "_tmkg_xml_text", Path(__file__).parent.parent / "xml_text.py"
        )
        assert spec is not None and spec.loader is not None
        _XML_TEXT = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_XML_TEXT)
    return _XML_TEXT.xml_safe_bytes(document)[0]  # type: ignore[no-any-return]


_XML_TEXT = None


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


def serve(jobs: Connection, answers: int) -> None:
    """A worker's loop: answer each job, reply; until the pipe closes.

    A job is ``(kind, folder, fields)``: ``("query", snapshot_folder, QueryJob fields as a
    tuple)``, ``("update", copy_folder, UpdateJob fields)`` or ``("check", "", SyntaxJob
    fields)``. Each reply is one frame (`send_reply`) on the `answers` pipe: head ``("ok",
    (kind, format, rows, truncated))`` and the answer's bytes for a query; ``("ok",
    len(removed))`` and the removed then added N-Quads for an update; ``("ok", None)`` for a
    check; ``("syntax", message)``, ``("memory", message)``, ``(NETWORK_REFUSED, message)`` or
    ``("failed", message)`` with no body when a job failed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            kind, snapshot, fields = jobs.recv()
        except (EOFError, OSError):
            return
        body = b""
        try:
            if kind == "update":
                store = opened = None  # never hold a snapshot open across a write
                removed, added = run_update(UpdateJob(*fields), snapshot)
                head: tuple[str, object] = ("ok", len(removed))
                body = removed + added
            elif kind == "check":
                check_syntax(SyntaxJob(*fields))
                head = ("ok", None)
            else:
                if snapshot != opened:
                    store = None
                    store = ox.Store.read_only(snapshot)
                    opened = snapshot
                answer = answer_query(store, QueryJob(*fields))  # type: ignore[arg-type]
                head = ("ok", (answer.kind, answer.format, answer.rows, answer.truncated))
                body = answer.body
        except SyntaxError as error:
            head = ("syntax", str(error))
        except MemoryError:
            head = ("memory", "the query needed more memory than its worker may use")
        except Exception as error:  # reported to the requester; the worker lives on
            text = f"{type(error).__name__}: {error}"
            head = (NETWORK_REFUSED if _REFUSED_TEXT in text else "failed", text)
        try:
            send_reply(answers, head, body)
        except OSError:
            return  # the parent is gone or gave up on this worker


def send_reply(fd: int, head: object, body: bytes = b"") -> None:
    """Write one reply frame: the lengths of the pickled `head` and of `body` (two unsigned
    64-bit big-endian integers), the head, then `body` as it is (no pickling, no copy)."""
    pickled = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
    parts = [struct.pack("!QQ", len(pickled), len(body)), pickled, body]
    views = [memoryview(part) for part in parts if part]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views and written:
            views[0] = views[0][written:]


def _exit_with_parent(interval: float = 0.2) -> None:
    """End this worker as soon as its parent is gone (killed `kg query` or server): a
    worker in the middle of a query never reads the closed pipe, and would run on unlimited.
    The engine releases the GIL while it evaluates, so this thread keeps running."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _main(argv: list[str]) -> None:
    _exit_with_parent()
    jobs_fd, answers_fd = int(argv[0]), int(argv[1])
    memory_mb = int(argv[argv.index("--memory-mb") + 1]) if "--memory-mb" in argv else None
    confine(network="--network" in argv, memory_mb=memory_mb)
    serve(Connection(jobs_fd, writable=False), answers_fd)


if __name__ == "__main__":
    _main(sys.argv[1:])
