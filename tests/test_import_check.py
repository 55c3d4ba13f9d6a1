"""`kg import --check` imports into a throwaway copy of the store, as an import does into its
staged copy, from a read-only handle too (a check runs beside a server or a load): so it
holds no more of the files in memory than an import does (it held every quad of them in
Python before, 1.4 GB for a 72,000-row CSV). The copy is gone when the check ends, whatever
the outcome; a crashed check's copy is removed by the next writer, a live one's is not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import KnowledgeGraph
from kg.config import Settings
from kg.errors import ParseError, StoreError, ValidationError
from kg.registries import sinks
from kg.registries.importer import import_registry
from kg.store.writer_lock import WriterLock
from tests.conftest import DATA, all_quads, run_kg, sinks_used

FILES = [
    DATA / "registry-sample.csv",
    DATA / "registry-sample-st66.xml",
    DATA / "uspto-daily-sample.xml",
]
HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"


def _copies(store: Path) -> list[Path]:
    return sorted(store.parent.glob(f".{store.name}.check-*"))


@pytest.fixture
def read_only(store_path: Path) -> KnowledgeGraph:
    KnowledgeGraph.open(Settings(store_path=store_path)).close()  # the reference data
    graph = KnowledgeGraph.open(Settings(store_path=store_path, read_only=True))
    yield graph
    graph.close()


def _no_buffering(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail on the path that holds every quad in Python; record the sinks written."""

    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a check held the files' quads in Python (Buffered)")

    monkeypatch.setattr(sinks.Buffered, "write", refuse)
    return sinks_used(monkeypatch)


@pytest.mark.parametrize("source", FILES, ids=lambda path: path.name)
def test_a_read_only_check_imports_into_a_throwaway_copy(
    source: Path, read_only: KnowledgeGraph, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = _no_buffering(monkeypatch)
    before = all_quads(read_only)
    report = import_registry(read_only, [source], check=True)
    assert report.records > 0 and report.quads_added == 0 and used
    assert all_quads(read_only) == before
    assert _copies(store_path) == []


def test_a_read_only_check_finds_what_an_import_would_refuse(
    read_only: KnowledgeGraph, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_buffering(monkeypatch)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "ACME,Acme Ltd,46,CN,,,1,registered\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r'bad\.csv:2:3: classes: "46" is not a Nice class'):
        import_registry(read_only, [bad], check=True)
    assert _copies(store_path) == []
    # what only the shapes judge (a registration date before its filing date is a warning,
    # two marks for one registration a violation): the same answer as a writable check gives
    clash = tmp_path / "clash.csv"
    clash.write_text(
        HEADER + "ACME,Acme Ltd,9,CN,,,1,registered\nAPEX,Acme Ltd,9,CN,,,1,registered\n",
        encoding="utf-8",
    )
    with pytest.raises((ParseError, ValidationError)) as refused:
        import_registry(read_only, [clash], check=True)
    assert _copies(store_path) == []
    writable = KnowledgeGraph.open(Settings(store_path=store_path.with_name("other")))
    try:
        with pytest.raises(type(refused.value)) as again:
            import_registry(writable, [clash], check=True)
    finally:
        writable.close()
    assert str(refused.value).replace(str(store_path), "S") == str(again.value).replace(
        str(store_path.with_name("other")), "S"
    )


def test_the_cli_checks_beside_a_writer(store_path: Path) -> None:
    run_kg("stats", "--store", store_path, check=True)  # create it
    lock = WriterLock(store_path)
    assert lock.try_acquire(str(store_path))  # a load or a server holds the store
    try:
        checked = run_kg("import", "--store", store_path, "--check", *FILES)
    finally:
        lock.release()
    assert checked.returncode == 0, checked.stderr
    assert "valid:" in checked.stdout and "nothing written" in checked.stdout
    assert _copies(store_path) == []


def test_a_crashed_checks_copy_goes_with_the_next_writer_a_live_one_stays(
    store_path: Path,
) -> None:
    KnowledgeGraph.open(Settings(store_path=store_path)).close()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = store_path.parent / f".{store_path.name}.check-{gone.stdout.strip()}-0"
    live = store_path.parent / f".{store_path.name}.check-{os.getpid()}-999"
    for copy in (dead, live):
        copy.mkdir()
        (copy / "CURRENT").write_text("x", encoding="utf-8")
    KnowledgeGraph.open(Settings(store_path=store_path)).close()  # a writer recovers
    assert not dead.exists()
    assert live.exists()  # this process is alive: its check may be running


# ------------------------------------------------------------------ kg validate, streamed

REG = "https://w3id.org/tmkg/id/registration/"
ONTOLOGY = "https://w3id.org/tmkg/ontology#"
OWNERLESS = f"<{REG}r> a <{ONTOLOGY}Registration> .\n"


def _refuse_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on the path that parses the files into Python quads (which files this small take
    by default: `kg.ingest.load.PYTHON_MAX_BYTES`)."""
    monkeypatch.setattr("kg.ingest.load.PYTHON_MAX_BYTES", -1)

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a check parsed the files into Python quads")

    monkeypatch.setattr("kg.ingest.load.check_files", refuse)


@pytest.mark.parametrize("holding_data", [False, True], ids=["reference-only", "with-data"])
def test_validate_streams_from_a_read_only_store_and_says_what_a_load_says(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, holding_data: bool
) -> None:
    writable = KnowledgeGraph.open(Settings(store_path=store_path))
    if holding_data:  # the other path: judged with the statements the store holds
        writable.load([DATA / "own-case.ttl"])
    bad = tmp_path / "bad.ttl"
    bad.write_text(OWNERLESS, encoding="utf-8")
    with pytest.raises(ValidationError) as by_load:  # through Python: a small file
        writable.load([bad])
    writable.close()
    _refuse_python(monkeypatch)
    graph = KnowledgeGraph.open(Settings(store_path=store_path, read_only=True))
    try:
        before = all_quads(graph)
        report = graph.check([DATA / "own-case.ttl"])  # Turtle: streamed
        assert report.quads_read > 0 and report.quads_added == 0
        with pytest.raises(ValidationError) as by_check:
            graph.check([bad])
        assert str(by_check.value) == str(by_load.value)
        assert all_quads(graph) == before
    finally:
        graph.close()
    assert _copies(store_path) == []


def test_the_cli_validates_beside_a_writer(store_path: Path, tmp_path: Path) -> None:
    run_kg("load", "--store", store_path, DATA / "own-case.ttl", check=True)
    bad = tmp_path / "bad.ttl"
    bad.write_text(OWNERLESS, encoding="utf-8")
    lock = WriterLock(store_path)
    assert lock.try_acquire(str(store_path))
    try:
        good = run_kg("validate", "--store", store_path, DATA / "own-case.ttl")
        refused = run_kg("validate", "--store", store_path, bad)
    finally:
        lock.release()
    assert good.returncode == 0 and "valid: 1 file(s)" in good.stdout, good.stderr
    assert refused.returncode == 5
    assert "id:registration/r tm:owner: a registration needs a tm:owner" in refused.stderr
    assert _copies(store_path) == []


# ------------------------------------------------------------------ beside a writer, killed


class _RacedOnce:
    """A store handle whose first checkpoint fails as one racing a writer's compaction does."""

    def __init__(self, inner: object) -> None:
        self.inner, self.failed = inner, 0

    def backup(self, path: str) -> None:
        if not self.failed:
            self.failed += 1
            raise RuntimeError(
                f"IO error: No such file or directory: while link file to {path}.tmp/000464.sst"
            )
        self.inner.backup(path)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_a_check_copies_again_when_a_writer_deleted_a_file_meanwhile(
    read_only: KnowledgeGraph, store_path: Path
) -> None:
    store = read_only.store
    raced = store._store = _RacedOnce(store._store)  # type: ignore[attr-defined]
    report = import_registry(read_only, [FILES[0]], check=True)
    assert raced.failed == 1 and report.records > 0
    assert _copies(store_path) == []


def test_a_checks_failure_other_than_a_race_is_one_error_saying_so(
    read_only: KnowledgeGraph, store_path: Path
) -> None:
    class Broken(_RacedOnce):
        def backup(self, path: str) -> None:
            raise RuntimeError("IO error: disk quota exceeded")

    read_only.store._store = Broken(read_only.store._store)  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match=r"cannot copy the store .* disk quota") as caught:
        import_registry(read_only, [FILES[0]], check=True)
    assert caught.value.suggestion == "try again"
    assert _copies(store_path) == []


def test_a_check_ended_by_sigterm_leaves_nothing_and_says_so(
    store_path: Path, tmp_path: Path
) -> None:
    run_kg("stats", "--store", store_path, check=True)
    big = tmp_path / "big.csv"
    rows = "".join(
        f"MARK {n},Owner {n % 97} Ltd,9,GB,2020-01-01,,UK{n},registered\n" for n in range(60_000)
    )
    big.write_text(HEADER + rows, encoding="utf-8")
    from tests.conftest import KG

    process = subprocess.Popen(
        [str(KG), "import", "--store", str(store_path), "--check", str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(600):  # until the check's copy exists (or the check is over)
            if _copies(store_path) or process.poll() is not None:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode == 0:
        pytest.skip("the check ended before the signal came")
    assert process.returncode == 143, err
    assert err.strip().endswith("kg: terminated") and "Traceback" not in err
    assert _copies(store_path) == []


def test_a_check_removes_the_copies_of_killed_checks(
    read_only: KnowledgeGraph, store_path: Path
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = store_path.parent / f".{store_path.name}.check-{gone.stdout.strip()}-0"
    dead.mkdir()
    import_registry(read_only, [FILES[0]], check=True)  # a reader: no writer's recovery
    assert not dead.exists()
