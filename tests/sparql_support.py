"""Helpers for the SPARQL endpoint tests: a real `kg serve` whose log goes to a file, answers
normalized to rows of strings, and an HTTP server that records whether anything called it."""

from __future__ import annotations

import contextlib
import csv
import http.server
import io
import json
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.dom.minidom import Document

import pyoxigraph as ox

from kg import KnowledgeGraph, Settings
from kg.sparql.service import SparqlService
from tests.conftest import ServerProcess, free_port, start_kg
from tests.http_support import http_post

EXPECTED = Path(__file__).parent / "expected" / "queries"


class SparqlServer(ServerProcess):
    """`kg serve` in a subprocess; its output goes to a file so a chatty server never blocks."""

    def __init__(self, *args: str | Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = self.url + "/sparql"
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.process = start_kg(
            "serve",
            "--port",
            str(self.port),
            *args,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.stderr = ""

    def log(self) -> str:
        """What the server printed so far."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr = self.log()
        self._log.close()
        return self.stderr

    def select(self, query: str) -> list[dict]:
        """The JSON bindings of a SELECT query POSTed as a form; fails the test unless 200."""
        response = http_post(
            self.endpoint,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()["results"]["bindings"]

    def worker_pids(self) -> set[int]:
        """Process ids of the server's query workers (its children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


@contextlib.contextmanager
def seeded_service(settings: Settings) -> Iterator[SparqlService]:
    """A `SparqlService` over the seed case in an in-memory store with `settings`, closed after."""
    graph = KnowledgeGraph.open(settings)
    graph.load_seed()
    running = SparqlService(graph, settings)
    try:
        yield running
    finally:
        running.close()
        graph.close()


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed on-disk store, for a server of its own."""
    shutil.copytree(source, target)
    return target


def expected_rows(name: str) -> list[list[str]]:
    """The expected answer of a saved query, header first, as strings."""
    text = (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def rows_from_json(document: dict) -> list[list[str]]:
    """Header and rows of SPARQL JSON results, each term as its CSV form."""
    variables = document["head"]["vars"]
    rows = [
        [b.get(v, {}).get("value", "") for v in variables] for b in document["results"]["bindings"]
    ]
    return [variables, *rows]


def rows_from_xml(document: Document) -> list[list[str]]:
    """Header and rows of SPARQL XML results, each term as its CSV form."""
    variables = [v.getAttribute("name") for v in document.getElementsByTagName("variable")]
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {
            b.getAttribute("name"): "".join(
                node.data
                for term in b.childNodes
                if term.nodeType == term.ELEMENT_NODE
                for node in term.childNodes
            )
            for b in result.getElementsByTagName("binding")
        }
        rows.append([values.get(v, "") for v in variables])
    return [variables, *rows]


def rows_from_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def rows_from_tsv(body: bytes) -> list[list[str]]:
    """Header and rows of SPARQL TSV results (terms in Turtle syntax), as CSV forms."""
    solutions = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
    variables = [v.value for v in solutions.variables]
    rows = [[_plain(s[v]) for v in variables] for s in solutions]
    return [variables, *rows]


def _plain(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]


class RecordedRequest:
    """One request a `RecordingServer` received."""

    def __init__(self, method: str, path: str, content_type: str, body: bytes) -> None:
        self.method, self.path, self.content_type, self.body = method, path, content_type, body

    @property
    def is_update(self) -> bool:
        """Whether it is a SPARQL Update (by media type, form field or URL parameter)."""
        if "sparql-update" in self.content_type:
            return True
        form = urllib.parse.parse_qs(self.body.decode("utf-8", "replace"))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        return "update" in form or "update" in query


class RecordingServer:
    """A loopback HTTP server that records each request path (`hits`) and request; it answers
    200 to anything, or, given a `target` URL, forwards each request there (a proxy)."""

    def __init__(self, target: str | None = None) -> None:
        self.hits: list[str] = []
        self.requests: list[RecordedRequest] = []
        hits, requests = self.hits, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                requests.append(RecordedRequest(self.command, self.path, kind, body))
                if target is None:
                    status, kind = 200, "application/sparql-results+json"
                    body = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
                else:
                    status, kind, body = _forward(target, self, body)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _forward(
    target: str, request: http.server.BaseHTTPRequestHandler, body: bytes
) -> tuple[int, str, bytes]:
    headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
    forwarded = urllib.request.Request(
        target + request.path, data=body or None, headers=headers, method=request.command
    )
    try:
        with urllib.request.urlopen(forwarded, timeout=60) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()
