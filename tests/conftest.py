"""Shared fixtures: a seeded in-memory graph (built once), fresh on-disk stores, the real `kg`."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from tests.http_support import http_get
from tests.kg_forkserver import ForkedProcess, ForkServer, needs_new_interpreter
from tests.virtuoso import virtuoso  # noqa: F401 (a session fixture: a private Virtuoso server)

DATA = Path(__file__).parent / "data"
_OWN_RECORDS = pytest.StashKey[str]()
KG = Path(sys.executable).parent / "kg"


@pytest.fixture(autouse=True)
def _collect_young_cycles() -> None:
    """Collect the reference cycles earlier tests just left (an exception's traceback holds
    its frames, and their pyoxigraph query results) here, on the main thread: pyoxigraph's
    results may only be dropped on the thread that made them, and a collection that happens to
    run in a test server's thread reports one as an unraisable exception in an unrelated test.
    The young generations only (milliseconds): what a test leaves is young."""
    gc.collect(1)


@pytest.fixture(scope="session")
def seeded() -> Iterator[KnowledgeGraph]:
    """The seed case in an in-memory store, shared by read-only tests."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    yield graph
    graph.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A folder for a fresh on-disk store."""
    return tmp_path / "store"


@pytest.fixture
def disk_graph(store_path: Path) -> Iterator[KnowledgeGraph]:
    """A fresh on-disk knowledge graph holding only the reference data."""
    graph = KnowledgeGraph.open(Settings(store_path=store_path))
    yield graph
    graph.close()


_FORK_SERVER = ForkServer()


def _forks(environment: dict[str, str], executable: bool) -> bool:
    """Whether a `kg` with `environment` runs in a child of the fork server
    (`tests.kg_forkserver`), not as the executable started anew."""
    return not (
        executable
        or os.environ.get("TMKG_TESTS_EXEC") == "1"
        or needs_new_interpreter(environment, _FORK_SERVER.started_with or os.environ)
    )


def kg_environment(env: dict[str, str] | None) -> dict[str, str]:
    """This process's environment without its ``KG_*`` variables, then `env`."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    environment.update(env or {})
    return environment


def start_kg(
    *args: str | Path,
    env: dict[str, str] | None = None,
    executable: bool = False,
    **streams: object,
) -> subprocess.Popen | ForkedProcess:
    """`kg` started in a process of its own, as `subprocess.Popen` starts it (`streams`:
    stdin, stdout, stderr, text): a child of the fork server or the executable (`run_kg`)."""
    environment = kg_environment(env)
    argv = [str(KG), *map(str, args)]
    if _forks(environment, executable):
        return _FORK_SERVER.popen(argv[0], argv[1:], environment, **streams)  # type: ignore[arg-type]
    return subprocess.Popen(argv, env=environment, **streams)  # type: ignore[call-overload]


def run_kg(
    *args: str | Path,
    check: bool = False,
    env: dict[str, str] | None = None,
    executable: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `kg` in a process of its own, as a user would: a child of the test process's fork
    server (`tests.kg_forkserver`: tmkg already imported), or with `executable` (or
    ``TMKG_TESTS_EXEC=1`` in the environment, or a variable read at start-up that differs:
    `tests.kg_forkserver.needs_new_interpreter`) the installed `kg` executable started anew."""
    environment = kg_environment(env)
    argv = [str(KG), *map(str, args)]
    if _forks(environment, executable):
        result = _FORK_SERVER.run(argv[0], argv[1:], environment, timeout=120)
    else:
        result = subprocess.run(argv, capture_output=True, text=True, env=environment, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"kg {args} failed ({result.returncode}):\n{result.stderr}")
    return result


def kg_in_process(
    *args: str | Path, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`kg` run in this process (`kg.cli.main.main`, its streams captured, the environment
    as `run_kg` gives it): what `run_kg` returns, without starting a Python (~1-2 s of
    imports and first-use tables a call), for the many cases of one behaviour; `run_kg`
    stays the test of what the executable itself does (what it prints at exit, what C
    libraries write to descriptor 2, `sys.exit("message")`: not captured here; values a
    process caches, such as `kg.user_cache`'s, outlive the call)."""
    from kg.cli.main import main

    streams = [io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for _ in range(2)]
    changed = {*(key for key in os.environ if key.startswith("KG_")), *(env or {})}
    saved = {key: os.environ.get(key) for key in changed}  # restored one by one: test
    try:  # servers' threads may read the environment meanwhile
        for key in changed:
            os.environ.pop(key, None)
        os.environ.update(env or {})
        with contextlib.redirect_stdout(streams[0]), contextlib.redirect_stderr(streams[1]):
            try:
                code = main([str(arg) for arg in args])
            except SystemExit as exit:  # argparse's usage errors
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    out, err = (_text(stream) for stream in streams)
    result = subprocess.CompletedProcess(["kg", *map(str, args)], code, out, err)
    if check and code != 0:
        raise AssertionError(f"kg {args} failed ({code}):\n{err}")
    return result


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    data = stream.buffer.getvalue()  # type: ignore[attr-defined]
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def all_quads(graph: KnowledgeGraph) -> set:
    """Every quad of a store, to compare before and after a failed operation."""
    return set(graph.store.quads())


def sinks_used(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of each import sink written (`kg.registries.sinks.Fresh`, `Staged`),
    one entry per batch, in the list returned."""
    from kg.registries import sinks

    used: list[str] = []
    for kind in (sinks.Fresh, sinks.Staged):
        original = kind.write

        def spy(self, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            used.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(kind, "write", spy)
    return used


def process_running(pid: int) -> bool:
    """Whether process `pid` runs: it exists and has not ended (a zombie, ``Z``, has ended
    and waits for its parent to reap it; ``X`` is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A real `kg serve` in a subprocess, on loopback, stopped with SIGTERM."""

    def __init__(self, *args: str | Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start_kg(
            "serve",
            "--port",
            str(self.port),
            *args,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr = ""

    def wait_ready(self, timeout: float = 60.0) -> ServerProcess:
        import time

        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kg serve exited: {self.process.communicate()[1]}")
            try:
                if http_get(self.url + "/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        said = self.stop()[-2000:]  # stopped, not left running after the test
        raise AssertionError(f"kg serve did not become ready in {timeout} s; its stderr: {said}")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, self.stderr = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.stderr = self.process.communicate()
        return self.stderr

    def __enter__(self) -> ServerProcess:
        return self.wait_ready()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


_RECORDS_FILE = "KG_HARDENING_RECORDS"


def pytest_configure(config: pytest.Config) -> None:
    """Name the file the hardening figures go to (`tests.hardening_support.record`) before
    any test runs: with pytest-xdist (``make test``: ``-n 2``) the tests run in worker
    processes, which inherit it, and the summary is printed by this one. A file named by the
    caller (``bench/hardening_summary.py``) is kept."""
    if hasattr(config, "workerinput"):
        return
    # tmkg keeps values in the user's cache folder (`kg.user_cache`): the tests' own
    # folder, so that a test with made-up dictionaries never replaces the user's kept files
    # (each name keeps one version), and the tests' `kg` processes share what one made
    os.environ["XDG_CACHE_HOME"] = str(Path(__file__).parent / "artifacts" / "user-cache")
    if os.environ.get(_RECORDS_FILE):
        return
    descriptor, path = tempfile.mkstemp(prefix="kg-hardening-", suffix=".jsonl")
    os.close(descriptor)
    os.environ[_RECORDS_FILE] = path
    config.stash[_OWN_RECORDS] = path


def pytest_unconfigure(config: pytest.Config) -> None:
    path = config.stash.get(_OWN_RECORDS, None)
    if path is not None:
        Path(path).unlink(missing_ok=True)
        os.environ.pop(_RECORDS_FILE, None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run that included the hardening tests, print their figures (every worker's)."""
    from tests.hardening_support import RECORDS, read_records, summary_lines

    path = os.environ.get(_RECORDS_FILE)
    records = read_records(Path(path)) if path else RECORDS
    if records:
        terminalreporter.write_sep("=", "hardening")
        for line in summary_lines(records):
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def recorder() -> Iterator[object]:
    """A loopback HTTP server recording every request (`tests.sparql_support.RecordingServer`),
    one per test module."""
    from tests.sparql_support import RecordingServer  # it imports this module

    server = RecordingServer()
    yield server
    server.close()


@contextlib.contextmanager
def graph_of(folder: Path, turtle: str) -> Iterator[KnowledgeGraph]:
    """An on-disk knowledge graph in `folder` holding the Turtle `turtle` (and the reference
    data), closed afterwards."""
    data = folder / "data.ttl"
    data.write_text(turtle, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(store_path=folder / "store"))
    try:
        graph.load([data])
        yield graph
    finally:
        graph.close()


PREFIXES = """
@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix party: <https://w3id.org/tmkg/id/party/> .
@prefix mark: <https://w3id.org/tmkg/id/mark/> .
@prefix reg: <https://w3id.org/tmkg/id/registration/> .
@prefix use: <https://w3id.org/tmkg/id/use/> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
@prefix status: <https://w3id.org/tmkg/id/status/> .
@prefix graph: <https://w3id.org/tmkg/id/graph/> .
"""
"""The tmkg namespaces test data in Turtle or TriG name (`graph_of`, the worlds of tests)."""
