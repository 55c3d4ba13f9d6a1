"""A pipe into an on-disk store: ``cat file.nq | kg load --store S --format nq /dev/stdin``.

The streamed load reads a file more than once, so a pipe (``/dev/stdin``, a FIFO) is read once
into a temporary file (`kg.ingest.spool`): it loads as the same file does, its errors name the
pipe as given, and nothing is left in the temporary folder. `kg import` refuses a pipe with a
clear message (its readers read a register file more than once too)."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.registries.synth import generate
from tests.conftest import KG, kg_environment

_FILE_QUADS = 300  # marks: big enough to hold several kinds of statement, small to load


def _kg(*args: str | Path, stdin: bytes, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    environment = kg_environment({"TMPDIR": str(tmp)})
    return subprocess.run(
        [str(KG), *map(str, args)], input=stdin, capture_output=True, env=environment, timeout=120
    )


def _nquads(marks: int) -> bytes:
    return ox.serialize(generate(marks, seed=4), format=ox.RdfFormat.N_QUADS)


def _quads(store: Path) -> set[str]:
    opened = ox.Store.read_only(str(store))
    try:
        return {str(quad) for quad in opened}
    finally:
        del opened


def _seeded(store: Path) -> None:
    """A store holding the seed case, made in this process (the pipe is the subject)."""
    with KnowledgeGraph.open(Settings(store_path=store)) as graph:
        graph.load_seed()


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def test_a_pipe_loads_as_the_same_file_does(tmp_path: Path, tmp: Path) -> None:
    data = _nquads(_FILE_QUADS)
    (tmp_path / "file.nq").write_bytes(data)
    by_file, by_pipe = tmp_path / "by-file", tmp_path / "by-pipe"
    loaded = _kg("load", "--store", by_file, tmp_path / "file.nq", stdin=b"", tmp=tmp)
    assert loaded.returncode == 0, loaded.stderr
    piped = _kg("load", "--store", by_pipe, "--format", "nq", "/dev/stdin", stdin=data, tmp=tmp)
    assert piped.returncode == 0, piped.stderr
    assert b"loaded /dev/stdin:" in piped.stdout
    assert _quads(by_pipe) == _quads(by_file)
    assert not list(tmp.iterdir())  # the temporary copy removed


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda data: data[:-40], id="cut short"),
        pytest.param(lambda data: data + b"<a> <b> .\n", id="a statement without an object"),
    ],
)
def test_a_bad_pipe_is_named_as_given_and_the_store_kept(bad, tmp_path: Path, tmp: Path) -> None:
    store = tmp_path / "store"
    _seeded(store)
    before = _quads(store)
    answer = _kg(
        "load", "--store", store, "--format", "nq", "/dev/stdin", stdin=bad(_nquads(50)), tmp=tmp
    )
    assert answer.returncode != 0
    assert answer.stderr.decode().startswith("kg: error: /dev/stdin:")
    assert b"kg-pipe" not in answer.stderr and b"Traceback" not in answer.stderr
    assert _quads(store) == before
    assert not list(tmp.iterdir())


def test_a_pipe_is_validated_without_loading(tmp_path: Path, tmp: Path) -> None:
    store = tmp_path / "store"
    _seeded(store)
    before = _quads(store)
    checked = _kg(
        "validate", "--store", store, "--format", "nq", "/dev/stdin", stdin=_nquads(40), tmp=tmp
    )
    assert checked.returncode == 0, checked.stderr
    assert _quads(store) == before


@contextmanager
def _fed(fifo: Path, data: bytes) -> Iterator[None]:
    """A FIFO made at `fifo`, `data` written into it by a thread while the block runs."""
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        writer.join(timeout=60)


def test_a_fifo_loads(tmp_path: Path, tmp: Path) -> None:
    fifo = tmp_path / "register.nq"
    data = _nquads(40)
    with _fed(fifo, data):
        answer = _kg("load", "--store", tmp_path / "store", fifo, stdin=b"", tmp=tmp)
    assert answer.returncode == 0, answer.stderr
    assert len(_quads(tmp_path / "store")) >= len(data.splitlines())


def test_kg_import_refuses_a_pipe_clearly(tmp_path: Path, tmp: Path) -> None:
    store = tmp_path / "store"
    _seeded(store)
    before = _quads(store)
    csv = b"mark,owner,classes,jurisdiction\nKESTREL,Kestrel Ltd,9,NZ\n"
    answer = _kg("import", "--store", store, "--format", "csv", "/dev/stdin", stdin=csv, tmp=tmp)
    assert answer.returncode != 0
    message = answer.stderr.decode()
    assert message.startswith("kg: error: /dev/stdin: is no regular file"), message
    assert "save it to a file" in message and "Traceback" not in message
    assert _quads(store) == before


def test_a_pipe_that_cannot_be_copied_is_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No temporary folder to copy into (or a disk full): a `ParseError` naming the pipe."""
    import tempfile

    from kg.errors import ParseError
    from kg.ingest.spool import Spools

    monkeypatch.setattr(tempfile, "tempdir", "/proc/no-such-folder")
    read, write = os.pipe()
    os.write(write, b"<a> <b> <c> .\n")
    os.close(write)
    pipe = Path(f"/proc/self/fd/{read}")
    try:
        with (
            pytest.raises(ParseError, match="cannot read it into a temporary file") as raised,
            Spools() as spools,
        ):
            spools.regular(pipe)
        assert str(pipe) in str(raised.value)
    finally:
        os.close(read)


def test_a_regular_file_is_read_where_it_is_and_a_pipe_once(tmp_path: Path) -> None:
    from kg.ingest.spool import Spools

    file = tmp_path / "file.nq"
    file.write_bytes(b"")
    read, write = os.pipe()
    os.write(write, b"<a> <b> <c> .\n")
    os.close(write)
    pipe = Path(f"/proc/self/fd/{read}")
    try:
        with Spools() as spools:
            assert spools.regular(file) == file and spools.copy_of(file) is None
            assert spools.regular(tmp_path / "missing.nq") == tmp_path / "missing.nq"
            copy = spools.regular(pipe)
            assert copy != pipe and spools.regular(pipe) == copy == spools.copy_of(pipe)
            assert copy.read_bytes() == b"<a> <b> <c> .\n"
        assert not copy.exists()
    finally:
        os.close(read)


_BLANK_NODES = b"""@prefix ex: <http://example.org/> .
ex:a ex:b [ ex:c "d" ] .
"""


@pytest.mark.parametrize("command", ["load", "validate"])
def test_a_pipe_with_blank_nodes_goes_through_python_whole(
    command: str, tmp_path: Path, tmp: Path
) -> None:
    """The streamed load hands a file with blank nodes back to Python: the pipe it read is
    parsed from its copy, not read again (it would be empty: nothing loaded, no error)."""
    store = tmp_path / "store"
    graph = "http://example.org/g"
    answer = _kg(
        command, "--store", store, "--format", "ttl", "--graph", graph, "/dev/stdin",
        stdin=_BLANK_NODES * 1, tmp=tmp,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    said = answer.stdout.decode()
    assert "2 quads read" in said if command == "load" else "2 quads" in said, said
    if command == "load":
        assert len([q for q in _quads(store) if graph in q]) == 2
    assert not list(tmp.iterdir())


def test_a_pipe_loaded_twice_adds_nothing_the_second_time(tmp_path: Path, tmp: Path) -> None:
    """A pipe's graph and base IRI are named by the path as given (``/dev/stdin``), not by
    the pipe it resolves to (``pipe:[818188]``, another each run): the same triples and the
    same relative IRIs the second time, as for a file loaded twice (helper-131)."""
    triples = ox.serialize(
        (ox.Triple(q.subject, q.predicate, q.object) for q in generate(30, seed=4)),
        format=ox.RdfFormat.N_TRIPLES,
    )
    relative = (
        b"<party/x> a <https://w3id.org/tmkg/ontology#Company> ;"
        b' <https://schema.org/name> "Relative Co" .\n'
    )
    data, store = triples + relative, tmp_path / "store"  # N-Triples lines are Turtle too
    for _ in ("first", "again"):
        answer = _kg("load", "--store", store, "--format", "ttl", "/dev/stdin", stdin=data, tmp=tmp)
        assert answer.returncode == 0, answer.stderr
    assert answer.stdout.decode().endswith(" 0 new\n"), answer.stdout
    assert any("<file:///dev/party/x>" in quad for quad in _quads(store))


@pytest.mark.parametrize("command", ["load", "validate"])
@pytest.mark.parametrize("where", ["--memory", "--store"])
def test_an_empty_pipe_is_said_to_be_empty(
    command: str, where: str, tmp_path: Path, tmp: Path
) -> None:
    """A pipe that gave nothing (``curl ... | kg load`` that failed) is valid RDF, yet more
    likely cut short: said as for an empty file."""
    store = ("--store", str(tmp_path / "store")) if where == "--store" else ("--memory",)
    answer = _kg(command, *store, "--format", "nq", "/dev/stdin", stdin=b"", tmp=tmp)
    assert answer.returncode == 0, answer.stderr
    assert "kg: warning: /dev/stdin is empty (0 bytes)" in answer.stderr.decode()
    assert not list(tmp.iterdir())


def test_kg_import_of_a_pipe_says_why_before_asking_for_a_format(tmp_path: Path, tmp: Path) -> None:
    answer = _kg("import", "--store", tmp_path / "store", "/dev/stdin", stdin=b"<x/>", tmp=tmp)
    assert answer.returncode != 0
    assert answer.stderr.decode().startswith("kg: error: /dev/stdin: is no regular file")


def test_a_fifo_named_by_two_paths_is_read_once(tmp_path: Path, tmp: Path) -> None:
    """A FIFO and a symbolic link to it: one pipe, read once (the second opening waited for
    a writer for ever: helper-132)."""
    fifo = tmp_path / "register.nq"
    (tmp_path / "link.nq").symlink_to(fifo)
    with _fed(fifo, _nquads(20)):
        answer = _kg("load", "--memory", fifo, tmp_path / "link.nq", stdin=b"", tmp=tmp)
    assert answer.returncode == 0, answer.stderr
