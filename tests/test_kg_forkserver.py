"""The tests' fork server (`tests.kg_forkserver`): a command run in a child of it gives what
the `kg` executable started anew gives, in a process of its own."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import KG, kg_environment, run_kg
from tests.kg_forkserver import ForkServer, needs_new_interpreter


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    forks = ForkServer()
    yield forks
    forks.close()


def _both(server: ForkServer, *args: str) -> tuple:
    """The command forked by `server` (whatever ``TMKG_TESTS_EXEC`` says: helper-134) and
    started as the executable."""
    environment = kg_environment(None)
    forked = server.run(str(KG), list(args), environment, timeout=120)
    started = run_kg(*args, executable=True)
    return forked, started


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("--memory", "stats"),
        ("--memory", "who-else-uses", "AWS", "--format", "json"),
        ("--memory", "no-such-command"),
        ("--memory", "query", "SELECT * WHERE { ?s ?p }"),
        ("--memory", "load", "/no/such/file.ttl"),
        (),
    ],
    ids=["version", "stats", "who-else-uses", "usage error", "bad query", "missing file", "none"],
)
def test_a_forked_command_answers_as_the_executable_does(
    server: ForkServer, args: tuple[str, ...]
) -> None:
    forked, started = _both(server, *args)
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        started.returncode,
        started.stdout,
        started.stderr,
    )


def test_the_child_has_the_callers_environment_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "by-env"
    monkeypatch.chdir(tmp_path)
    result = run_kg("stats", env={"KG_STORE": "by-env"}, check=True)
    assert f"store: {store}" in result.stdout  # a relative path read in the caller's folder
    assert store.is_dir()
    again = run_kg("stats", check=True)  # KG_ variables are the caller's to give, each time
    assert "by-env" not in again.stdout


def test_an_output_bigger_than_a_pipe_holds_is_read_whole(server: ForkServer) -> None:
    args = ["--memory", "query", "SELECT * WHERE { ?s ?p ?o }"]
    result = server.run(str(KG), args, dict(os.environ), timeout=60)
    assert result is not None and result.returncode == 0
    assert len(result.stdout.encode()) > 256 * 1024  # four times a pipe's buffer
    assert result.stdout == run_kg(*args, executable=True).stdout


def test_a_command_over_its_time_is_killed(server: ForkServer, tmp_path: Path) -> None:
    fifo = tmp_path / "never-written.ttl"
    os.mkfifo(fifo)
    with pytest.raises(subprocess.TimeoutExpired):
        server.run(str(KG), ["--memory", "load", str(fifo)], dict(os.environ), timeout=2)
    # the server goes on serving
    after = server.run(str(KG), ["--version"], dict(os.environ), timeout=60)
    assert after is not None and after.returncode == 0


def test_python_and_locale_variables_need_a_new_interpreter() -> None:
    started = {"PATH": "/bin", "LANG": "C.UTF-8"}
    assert not needs_new_interpreter({"PATH": "/usr/bin", "LANG": "C.UTF-8"}, started)
    assert not needs_new_interpreter({**started, "KG_STORE": "x"}, started)
    assert needs_new_interpreter({**started, "PYTHONHASHSEED": "1"}, started)
    assert needs_new_interpreter({**started, "LC_ALL": "C"}, started)
    assert needs_new_interpreter({"PATH": "/bin"}, started)  # LANG removed
    assert needs_new_interpreter({**started, "TZ": "Asia/Tokyo"}, started)  # helper-134


def test_the_child_has_the_callers_file_mode_mask(server: ForkServer, tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        result = server.run(
            str(KG), ["--store", str(tmp_path / "s"), "stats"], dict(os.environ), timeout=60
        )
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s").stat().st_mode & 0o077 == 0  # helper-134: was the server's 022


def test_each_child_gets_its_own_status_among_many(server: ForkServer) -> None:
    # session 51: statuses kept by pid gave a later process that got an
    # earlier one's pid that one's status (a suite starts thousands: pids come round again)
    started = [
        server.popen(str(KG), ["--version"] if n % 2 else [], dict(os.environ)) for n in range(24)
    ]
    assert [process.wait(60) for process in started] == [2 if n % 2 == 0 else 0 for n in range(24)]
    assert all(process.poll() == process.returncode for process in started)
