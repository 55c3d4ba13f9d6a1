"""One on-disk store, many processes: readers beside a server or a load, writers refusing
each other with a message that says what to do. Real `kg` processes throughout."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.errors import StoreError, StoreLocked
from kg.graph import KnowledgeGraph
from kg.store import open_store
from tests.conftest import DATA, run_kg, start_kg
from tests.sparql_support import RecordingServer, SparqlServer

READ_ONLY_COMMANDS = [
    ("stats",),
    ("query", "--format", "csv", "SELECT ?code WHERE { ?j tm:code 'CN' ; tm:code ?code }"),
    ("who-else-uses", "AWS"),
    ("conflicts", "--format", "json"),
    ("export", "--format", "nquads", "--output", "-"),
    ("validate", DATA / "own-case.ttl"),
]


@pytest.fixture(scope="module")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SparqlServer]]:
    """A seeded on-disk store with `kg serve` running on it."""
    path = tmp_path_factory.mktemp("served") / "store"
    run_kg("load", "--seed", "--store", path, check=True)
    server = SparqlServer("--store", path)
    try:
        server.wait_ready()
        yield path, server
    finally:
        server.stop()


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: c[0])
def test_read_only_commands_work_while_the_server_runs(
    served_store: tuple[Path, SparqlServer], command: tuple[str | Path, ...]
) -> None:
    path, server = served_store
    result = run_kg(*command, "--store", path)
    assert result.returncode == 0, result.stderr
    assert "another process" not in result.stderr
    assert server.process.poll() is None


def test_a_second_writer_is_refused_with_what_to_do(
    served_store: tuple[Path, SparqlServer],
) -> None:
    path, server = served_store
    result = run_kg("load", "--seed", "--store", path)
    assert result.returncode == 3
    message = result.stderr
    assert message.startswith("kg: error:") and message.count("\n") == 1
    assert f"process {server.process.pid}" in message  # who holds it
    assert "kg serve" in message
    assert "POST /load" in message  # what to do instead
    assert "Traceback" not in message


def test_endpoint_at_a_running_server_answers_without_updates(
    served_store: tuple[Path, SparqlServer],
) -> None:
    _, server = served_store
    proxy = RecordingServer(target=server.url)
    try:
        endpoint = proxy.url + "/sparql"
        stats = run_kg("stats", "--endpoint", endpoint)
        assert stats.returncode == 0, stats.stderr
        assert "quads:" in stats.stdout
        query = run_kg("query", "--endpoint", endpoint, "ASK { ?j tm:code 'CN' }")
        assert query.returncode == 0, query.stderr
    finally:
        proxy.close()
    assert proxy.requests, "the commands did not reach the server"
    updates = [r for r in proxy.requests if r.is_update]
    assert updates == []


def test_stats_during_a_bulk_load_leaves_the_load_alone(tmp_path: Path) -> None:
    path = tmp_path / "store"
    data = tmp_path / "marks.nq"
    run_kg("load", "--seed", "--store", path, check=True)
    run_kg("synth", "--marks", "4500", "--seed", "7", "--output", data, check=True)
    before = _total(run_kg("stats", "--store", path, check=True).stdout)
    load = start_kg(
        "load", "--store", path, data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    readings = []
    try:
        while load.poll() is None:
            stats = run_kg("stats", "--store", path)
            assert stats.returncode == 0, stats.stderr
            readings.append(_total(stats.stdout))
    finally:  # a failed reading must not leave the load's pipes open for a later test
        out, err = load.communicate()
    assert load.returncode == 0, err
    added = int(out.split(", ")[-1].split()[0])
    assert added > 50_000  # big enough for the staged bulk path (BULK_MIN_QUADS)
    assert readings and all(total in (before, before + added) for total in readings)
    assert _total(run_kg("stats", "--store", path, check=True).stdout) == before + added
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".store.") and p.is_dir()]
    assert leftovers == []


def _total(stats: str) -> int:
    return int(next(line for line in stats.splitlines() if line.startswith("quads:")).split()[1])


def test_a_reader_leaves_a_live_bulk_write_alone(tmp_path: Path) -> None:
    path = tmp_path / "db"
    writer = open_store("oxigraph", path)
    writer.add([_quad("a")])
    writer.flush()
    staging = tmp_path / ".db.staging"  # a bulk write in progress in the writer's process
    writer.native.backup(str(staging))  # type: ignore[attr-defined]
    reader = open_store("oxigraph", path, read_only=True)
    assert list(reader.quads()) == [_quad("a")]
    assert staging.is_dir()
    with pytest.raises(StoreError):
        reader.add([_quad("b")])
    reader.close()
    writer.close()


def test_a_reader_rolls_forward_a_write_whose_writer_died(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([_quad("a")])
    store.close()
    path.rename(tmp_path / ".db.old")  # as if the writer died between the swap's renames
    shutil.copytree(tmp_path / ".db.old", tmp_path / ".db.staging")
    reader = open_store("oxigraph", path, read_only=True)
    assert list(reader.quads()) == [_quad("a")]
    reader.close()
    assert not (tmp_path / ".db.old").exists()


def test_the_next_writer_removes_a_copy_a_killed_write_was_making(tmp_path: Path) -> None:
    """RocksDB writes a checkpoint into ``<name>.tmp`` and renames it when complete: a load
    killed while its staged copy was being made left ``.db.staging.tmp`` (the crash suite
    saw it once on a loaded machine); the next writer removes it, the store as it was."""
    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([_quad("a")])
    store.close()
    half = tmp_path / ".db.staging.tmp"
    half.mkdir()
    (half / "000009.sst").write_bytes(b"half a checkpoint")
    store = open_store("oxigraph", path)
    assert list(store.quads()) == [_quad("a")]
    store.close()
    assert not half.exists()


def test_a_second_writer_in_one_process_names_the_holder(tmp_path: Path) -> None:
    first = open_store("oxigraph", tmp_path / "db")
    with pytest.raises(StoreLocked, match=f"process {os.getpid()} .*POST /load"):
        open_store("oxigraph", tmp_path / "db")
    first.close()
    open_store("oxigraph", tmp_path / "db").close()  # closing released the lock


def test_a_reader_of_a_new_store_creates_it_as_before(tmp_path: Path) -> None:
    with KnowledgeGraph.open(Settings(store_path=tmp_path / "db", read_only=True)) as graph:
        assert graph.read_only and graph.stats().total > 0  # the reference data


def _quad(name: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"http://example.org/{name}"), ox.NamedNode("http://p"), ox.Literal(name)
    )


@pytest.mark.parametrize("kind", [OSError, RuntimeError], ids=["OSError", "RuntimeError"])
def test_a_reader_tries_again_when_a_writer_removes_a_file_it_was_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: type[Exception]
) -> None:
    # RocksDB compaction may delete a table file between the reader's reading of the manifest
    # and its opening of the file; pyoxigraph raises either class for it ("Corruption: ...
    # No such file or directory"). The next attempt sees the new manifest.
    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([_quad("a")])
    store.close()
    real = ox.Store.read_only
    failures = [kind(f"Corruption: IO error: No such file or directory: {path}/000060.sst")]

    def racing(location: str) -> ox.Store:
        if failures:
            raise failures.pop()
        return real(location)

    monkeypatch.setattr(ox.Store, "read_only", racing)
    reader = open_store("oxigraph", path, read_only=True)
    assert list(reader.quads()) == [_quad("a")] and failures == []
    reader.close()


def test_a_reader_of_a_store_that_stays_unreadable_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db"
    open_store("oxigraph", path).close()

    def broken(location: str) -> ox.Store:
        raise RuntimeError("Corruption: bad block")

    monkeypatch.setattr(ox.Store, "read_only", broken)
    monkeypatch.setattr("kg.store.oxigraph.time.sleep", lambda seconds: None)
    with pytest.raises(StoreError, match=r"the store at .* is damaged: Corruption: bad block"):
        open_store("oxigraph", path, read_only=True)  # after every attempt: damaged, not busy


def test_a_bulk_write_succeeds_when_a_failed_ones_copy_could_not_be_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failed write's copy can still be held open (its traceback keeps the handle) and be
    # written by RocksDB's background threads while it is removed: the folder stays. The
    # next write must still get a fresh copy, not "Directory exists".
    from kg.store import oxigraph

    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([_quad("a")])
    staging = tmp_path / ".db.staging"
    staging.mkdir()
    (staging / "000009.sst").write_bytes(b"left by a live handle")
    real = shutil.rmtree
    calls: list[Path] = []

    def stubborn(target: Path, ignore_errors: bool = False) -> None:
        calls.append(Path(target))
        if Path(target) != staging or len(calls) > 1:  # the first removal leaves it
            real(target, ignore_errors=ignore_errors)

    monkeypatch.setattr(oxigraph.shutil, "rmtree", stubborn)
    with store.staged() as stage:  # type: ignore[attr-defined]
        stage.store.add(_quad("b"))
    assert sorted(q.object.value for q in store.quads()) == ["a", "b"]
    assert not list(tmp_path.glob(".db.staging*"))  # the renamed copy was removed too
    store.close()
