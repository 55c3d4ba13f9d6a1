"""Crash safety: a `kg load` of a big file killed (SIGKILL) while parsing, while validating,
while bulk-loading its staging copy, between the two directory renames of the swap, and just
after it; a server killed during an authorised SPARQL Update and during a ``POST /load``.
Each time the reopened store holds either none or all of what was being written, and
exactly what it held before besides.

The write paths note their phases in ``$KG_CRASH_TRACE`` (`kg.store.crashpoints`): the test kills
the process a moment after a phase starts, and checks afterwards that the phase had not
ended. The instant between the renames is too short to hit from outside: ``$KG_CRASH_AT``
makes the process kill itself there.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.ingest.load import parse_file
from kg.registries.synth import generate
from kg.store.oxigraph import BULK_MIN_QUADS, OxigraphStore
from tests.conftest import start_kg
from tests.hardening_support import record
from tests.http_support import http_post
from tests.sparql_support import SparqlServer

TOKEN = "crash-test-token"
MARKS = 10_000  # ~122k quads: every phase lasts long enough to be killed in
AT_MARKS = 4_500  # ~55k quads: still a staged bulk load, for the points a load kills itself at
UPDATE_GRAPH = "https://example.org/crash/update"


@dataclass(frozen=True)
class Registry:
    """A synthetic registry file and the quads a load of it adds."""

    path: Path
    quads: frozenset[ox.Quad]


def make_registry(folder: Path, marks: int) -> Registry:
    path = folder / f"registry-{marks}.nq"
    with path.open("wb") as file:
        ox.serialize(generate(marks, seed=7), file, ox.RdfFormat.N_QUADS)
    quads = frozenset(parse_file(path).quads)
    assert len(quads) >= BULK_MIN_QUADS  # the load goes through the staged bulk load
    return Registry(path, quads)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    return make_registry(tmp_path_factory.mktemp("crash-registry"), MARKS)


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """The registry for the points a load kills itself at (``$KG_CRASH_AT``): no phase needs
    to last, so a file just over `BULK_MIN_QUADS` (half the time of the other)."""
    return make_registry(tmp_path_factory.mktemp("crash-registry-small"), AT_MARKS)


def _registry_for(how: str, request: pytest.FixtureRequest) -> Registry:
    return request.getfixturevalue("small_registry" if how == "at" else "registry")


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed on-disk store holding the seed, to copy for each crash."""
    path = tmp_path_factory.mktemp("crash-base") / "store"
    with KnowledgeGraph.open(Settings(store_path=path)) as graph:
        graph.load_seed()
    return path


def store_quads(path: Path) -> set[ox.Quad]:
    """Open the store as `kg` would (recovering an interrupted swap) and read every quad."""
    store = OxigraphStore(path)
    try:
        quads = set(store.quads())
        assert bool(store.query("ASK { ?s ?p ?o }")) == bool(quads)  # it answers queries too
        return quads
    finally:
        store.close()


def copy_store(base: Path, target: Path) -> Path:
    shutil.copytree(base, target)
    return target


def _trace(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def wait_for(trace: Path, point: str, process: Any, timeout: float) -> None:
    """Wait until `point` is in the trace (fail if the process ends first)."""
    deadline = time.monotonic() + timeout
    while point not in _trace(trace):
        if process.poll() is not None:
            raise AssertionError(f"the process ended before {point}: {_trace(trace)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{point} not reached in {timeout} s: {_trace(trace)}")
        time.sleep(0.005)


def kill_load(
    store: Path, registry: Registry, folder: Path, *, during: str | None, crash_at: str | None
) -> list[str]:
    """Run `kg load` of the registry and kill it during a phase (or let it kill itself at a
    point); return the phases it reached."""
    trace = folder / "trace"
    extra = {"KG_CRASH_TRACE": str(trace)}
    if crash_at:
        extra["KG_CRASH_AT"] = crash_at
    process = start_kg(
        "load",
        "--store",
        store,
        registry.path,
        env=extra,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if during:
            wait_for(trace, during, process, timeout=120)
            time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, stderr.decode(errors="replace")
    return _trace(trace)


CRASH_POINTS = [
    # (how, phase or point, all of the file expected afterwards)
    ("during", "load:parse", False),
    ("during", "load:validate", False),
    ("during", "bulk:extend", False),
    ("at", "bulk:staged", False),
    ("at", "bulk:between-renames", True),
    ("at", "bulk:swapped", True),
]


def check_crash(
    base: Path, registry: Registry, folder: Path, how: str, point: str, complete: bool
) -> None:
    before = store_quads(base)
    store = copy_store(base, folder / "store")
    reached = kill_load(
        store,
        registry,
        folder,
        during=point if how == "during" else None,
        crash_at=point if how == "at" else None,
    )
    after = store_quads(store)  # reopening recovers an interrupted swap
    leftovers = sorted(p.name for p in store.parent.iterdir() if p.name.startswith(".store."))
    expected = (before | registry.quads) if complete else before
    none_or_all = after in (before, before | registry.quads)
    lost = len(before - after)
    survived = after == expected and not leftovers and reached[-1] == point
    record("crash", what=f"kg load killed {how} {point}", survived=survived, quads_lost=lost)
    assert reached[-1] == point, f"killed after {point} ended: {reached}"
    assert none_or_all, f"{len(after - before)} of {len(registry.quads)} quads of the file"
    assert after == expected
    assert lost == 0
    assert leftovers == []
    if complete:  # the recovered store takes the same file again (adding nothing) and others
        with KnowledgeGraph.open(Settings(store_path=store)) as graph:
            more = folder / "more.ttl"
            more.write_text(
                "<https://example.org/s> <https://schema.org/name> 'after the crash' .",
                encoding="utf-8",
            )
            assert graph.load([more]).quads_added == 1


@pytest.mark.parametrize(("how", "point", "complete"), CRASH_POINTS)
def test_a_killed_load_leaves_none_or_all_of_the_file(
    how: str,
    point: str,
    complete: bool,
    base_store: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    check_crash(base_store, _registry_for(how, request), tmp_path, how, point, complete)


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed on-disk store holding only the reference data: a first load streams into the
    staged copy."""
    path = tmp_path_factory.mktemp("crash-empty") / "store"
    KnowledgeGraph.open(Settings(store_path=path)).close()
    return path


FIRST_LOAD_POINTS = [point for point in CRASH_POINTS if point[1] != "bulk:extend"]
"""A first load parses straight into the staged copy: no separate bulk write to stop in."""


@pytest.mark.parametrize(("how", "point", "complete"), FIRST_LOAD_POINTS)
def test_a_killed_first_load_leaves_the_store_empty_or_whole(
    how: str,
    point: str,
    complete: bool,
    empty_store: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    check_crash(empty_store, _registry_for(how, request), tmp_path, how, point, complete)


@pytest.mark.slow
@pytest.mark.parametrize(("how", "point", "complete"), CRASH_POINTS)
def test_a_killed_load_of_100000_marks_leaves_none_or_all(
    how: str,
    point: str,
    complete: bool,
    base_store: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    registry = _big_registry(tmp_path_factory)
    check_crash(base_store, registry, tmp_path, how, point, complete)


_BIG: dict[str, Registry] = {}


def _big_registry(factory: pytest.TempPathFactory) -> Registry:
    if "registry" not in _BIG:  # kg synth --marks 100000: 1.2 million quads, made once
        _BIG["registry"] = make_registry(factory.mktemp("crash-big"), 100_000)
    return _BIG["registry"]


# ------------------------------------------------------------------ the server


@pytest.fixture
def crashing_server(base_store: Path, tmp_path: Path) -> Iterator[tuple[SparqlServer, Path, Path]]:
    """A server with an update token on a copy of the base store, tracing its write phases."""
    store = copy_store(base_store, tmp_path / "store")
    trace = tmp_path / "trace"
    server = SparqlServer(
        "--store",
        store,
        "--max-load-size",
        str(200_000_000),
        env={"KG_UPDATE_TOKEN": TOKEN, "KG_CRASH_TRACE": str(trace)},
    )
    try:
        server.wait_ready()
        yield server, store, trace
    finally:
        if server.process.poll() is None:
            server.process.kill()
        server.stop()


def _kill_server_during(
    server: SparqlServer, trace: Path, point: str, send: Any
) -> tuple[list[str], Any]:
    answers: list[Any] = []
    sender = threading.Thread(target=lambda: answers.append(_safe(send)), daemon=True)
    sender.start()
    wait_for(trace, point, server.process, timeout=120)
    time.sleep(0.1)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=30)
    sender.join(timeout=60)
    return _trace(trace), answers[0] if answers else None


def _safe(send: Any) -> Any:
    try:
        return send()
    except httpx.HTTPError as error:
        return error


def test_a_server_killed_during_an_update_applies_none_or_all_of_it(
    crashing_server: tuple[SparqlServer, Path, Path], base_store: Path
) -> None:
    server, store, trace = crashing_server
    before = store_quads(base_store)
    # Every pair of countries: 249 x 249 = 62,001 new quads, made by the engine in one update.
    update = f"""INSERT {{ GRAPH <{UPDATE_GRAPH}> {{ ?a <https://example.org/crash/next> ?b }} }}
        WHERE {{ GRAPH ?g {{ ?a a tm:Jurisdiction }} GRAPH ?h {{ ?b a tm:Jurisdiction }} }}"""
    reached, answer = _kill_server_during(
        server,
        trace,
        "update:start",
        lambda: http_post(
            server.endpoint,
            content=update,
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=120,
        ),
    )
    after = store_quads(store)
    added = after - before
    survived = (
        reached[-1] == "update:start"
        and before <= after
        and len(added) in (0, 249 * 249)
        and all(q.graph_name == ox.NamedNode(UPDATE_GRAPH) for q in added)
    )
    record("crash", what="server killed during a SPARQL Update", survived=survived,
           quads_lost=len(before - after))  # fmt: skip
    assert reached[-1] == "update:start", f"the update had ended: {reached} ({answer})"
    assert before <= after
    assert len(added) in (0, 249 * 249), f"{len(added)} quads of a 62,001-quad update"
    assert all(quad.graph_name == ox.NamedNode(UPDATE_GRAPH) for quad in added)


def test_a_server_killed_during_a_post_load_applies_none_or_all_of_it(
    crashing_server: tuple[SparqlServer, Path, Path], base_store: Path, registry: Registry
) -> None:
    server, store, trace = crashing_server
    before = store_quads(base_store)
    reached, answer = _kill_server_during(
        server,
        trace,
        "load:commit",
        lambda: http_post(
            server.url + "/load",
            content=registry.path.read_bytes(),
            headers={"Content-Type": "application/n-quads", "Authorization": f"Bearer {TOKEN}"},
            timeout=300,
        ),
    )
    after = store_quads(store)
    survived = reached[-1] == "load:commit" and after in (before, before | registry.quads)
    record("crash", what="server killed during POST /load", survived=survived,
           quads_lost=len(before - after))  # fmt: skip
    assert reached[-1] == "load:commit", f"the load had ended: {reached} ({answer})"
    assert after in (before, before | registry.quads), f"{len(after - before)} quads added"
