"""A private Virtuoso Open Source instance for tests: loopback only, files in a temporary folder.

Installs nothing: Debian's ``virtuoso-opensource`` package provides ``virtuoso-t`` and
``isql-vt`` (``make test`` installs it, see the Makefile). Without the binary the tests skip
with a reason, except under CI (``$CI`` set), where they fail.

>>> VIRTUOSO_BINARY.endswith("virtuoso-t")
True
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.store.sparql_remote import DEFAULT_GRAPH, VIRTUOSO_SYSTEM_GRAPHS, RemoteSparqlStore
from tests.http_support import http_get

__all__ = [
    "VIRTUOSO_BINARY",
    "Virtuoso",
    "require_virtuoso",
    "virtuoso",
]

VIRTUOSO_BINARY = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"
INIFILE = "/usr/bin/inifile"
STOCK_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
USER, PASSWORD = "tmkg", "tmkg-test-password"
DBA_PASSWORD = "tmkg-dba-password"
# Virtuoso's own limit on a query, so that one tmkg abandoned at its (shorter) time limit stops
# soon at the server too. Past it Virtuoso fails the query, or sends a partial "anytime" answer
# flagged with X-SQL-State: S1TAT, which tmkg refuses.
MAX_QUERY_SECONDS = 5
MAX_ROWS = 1_000_000
PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """One private Virtuoso for the session; tests call `Virtuoso.reset` for an empty one."""
    require_virtuoso()
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


def require_virtuoso() -> None:
    """Skip (fail under CI) when Debian's Virtuoso is not installed."""
    missing = [
        path for path in (VIRTUOSO_BINARY, ISQL, INIFILE, str(STOCK_INI)) if not Path(path).exists()
    ]
    if not missing:
        return
    reason = (
        f"Virtuoso Open Source is not installed ({', '.join(missing)} missing): "
        "`make test` installs Debian's virtuoso-opensource"
    )
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


class Virtuoso:
    """A running ``virtuoso-t`` on 127.0.0.1 with its database in `folder`.

    `endpoint` answers anonymous queries; `update_endpoint` (``/sparql-auth``) takes updates
    from `user`/`password` with HTTP Digest authentication.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.endpoint = self.url + "/sparql"
        self.update_endpoint = self.url + "/sparql-auth"
        self.user, self.password = USER, PASSWORD
        self.process: subprocess.Popen[bytes] | None = None
        self._log = folder / "virtuoso.out"

    def start(self, timeout: float = 60.0) -> Virtuoso:
        """Configure and start the server, wait until it answers, create the update user."""
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        shutil.copy(STOCK_INI, ini)
        db = self.folder / "db"
        db.mkdir(exist_ok=True)
        settings = {
            "Database": {
                "DatabaseFile": db / "virtuoso.db",
                "ErrorLogFile": db / "virtuoso.log",
                "LockFile": db / "virtuoso.lck",
                "TransactionFile": db / "virtuoso.trx",
                "xa_persistent_file": db / "virtuoso.pxa",
            },
            "TempDatabase": {
                "DatabaseFile": db / "virtuoso-temp.db",
                "TransactionFile": db / "virtuoso-temp.trx",
            },
            "Parameters": {
                "ServerPort": f"127.0.0.1:{self.sql_port}",
                "DirsAllowed": f"., {self.folder}, /usr/share/virtuoso-opensource-7/vad",
                # Small buffers: a test instance holds a few thousand quads.
                "NumberOfBuffers": 10000,
                "MaxDirtyBuffers": 6000,
            },
            "HTTPServer": {"ServerPort": f"127.0.0.1:{self.http_port}"},
            "SPARQL": {
                "MaxQueryExecutionTime": MAX_QUERY_SECONDS,
                "ResultSetMaxRows": MAX_ROWS,
            },
        }
        for section, values in settings.items():
            for key, value in values.items():
                subprocess.run(
                    [INIFILE, "+inifile", str(ini), "+section", section, "+key", key,
                     "+value", str(value)],
                    check=True, capture_output=True,
                )  # fmt: skip
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(
                [VIRTUOSO_BINARY, "+configfile", str(ini), "+foreground"],
                cwd=db,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_ready(timeout)
        # The update user; Virtuoso's own graphs made private, so that the default graph
        # (the union of all graphs) holds only what tmkg wrote, as docs/remote-stores.md says.
        private = "".join(
            f"DB.DBA.RDF_GRAPH_GROUP_INS('{PRIVATE_GRAPHS}', '{graph}'); "
            for graph in VIRTUOSO_SYSTEM_GRAPHS
        )
        self.sql(
            f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\"; "
            f"DB.DBA.RDF_GRAPH_GROUP_CREATE('{PRIVATE_GRAPHS}', 1); {private}"
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1); "
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 0, 1); "
            f"USER_SET_PASSWORD('dba', '{DBA_PASSWORD}');",
            password="dba",
        )
        return self

    def store(self, **options: object) -> RemoteSparqlStore:
        """A remote store on this server, with the update user's login."""
        return RemoteSparqlStore(
            self.endpoint,
            self.update_endpoint,
            auth=(self.user, self.password),
            **options,  # type: ignore[arg-type]
        )

    def reset(self, *, keep_reference: bool = False) -> None:
        """Drop every graph tmkg can see, leaving Virtuoso's own (private) graphs alone.

        `keep_reference` keeps tmkg's reference data (and its description in tmkg's default
        graph), which saves the next knowledge graph writing it again.
        """
        kept = {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)} if keep_reference else set()
        store = self.store()
        try:
            for graph in store.named_graphs():
                if graph.value not in kept:
                    store.update(f"DROP SILENT GRAPH {graph}")
            if not kept:  # CLEAR: Virtuoso drops only graphs it was told to CREATE
                store.update(f"CLEAR SILENT GRAPH <{DEFAULT_GRAPH}>")
                return
            described = ", ".join(f"<{iri}>" for iri in sorted(kept))
            store.update(
                f"DELETE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ "
                f"GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} FILTER(?s NOT IN ({described})) }}"
            )
        finally:
            store.close()

    def cli_args(self) -> list[str]:
        """The `kg` flags that point a command at this server (the password goes by env)."""
        return [
            "--endpoint", self.endpoint,
            "--update-endpoint", self.update_endpoint,
            "--endpoint-user", self.user,
        ]  # fmt: skip

    def cli_env(self) -> dict[str, str]:
        """The environment that carries the password to `kg`."""
        return {"KG_ENDPOINT_PASSWORD": self.password}

    def sql(self, statements: str, *, password: str = DBA_PASSWORD) -> str:
        """Run SQL statements as dba with isql; return what isql printed."""
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password, f"EXEC={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql failed: {result.stdout}{result.stderr}")
        return result.stdout

    def stop(self) -> None:
        """SIGTERM, as the server expects; SIGKILL if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        """What the server printed."""
        with contextlib.suppress(OSError):
            return self._log.read_text(errors="replace")
        return ""

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}):\n{self.log()}")
            with contextlib.suppress(httpx.TransportError):
                answer = http_get(self.endpoint, params={"query": "ASK {}"}, timeout=2.0)
                if answer.status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {timeout:g} s:\n{self.log()}")

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
