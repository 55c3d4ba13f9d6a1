"""A command's own output file that cannot be written (`-o` in a missing folder, under a
file, in /proc) is one error line naming the file, exit 1, no traceback; a read-only
command does not take it for the store changing under it; a report's `--max-nodes` outside
5-200 is refused before anything is written, 0 too (a user trial, session 16); a port outside
0-65535 is refused before `kg serve` loads anything (a trial, session 35)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import kg_in_process, run_kg


@pytest.fixture
def places(tmp_path: Path) -> list[Path]:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    found = [tmp_path / "missing" / "out", afile / "out", Path("/proc/kg-test-out")]
    # a file that opens but cannot be written (a full disk: the write fails, not the open;
    # `kg export -o /dev/full` ended in a traceback, a trial of session 35)
    return [*found, Path("/dev/full")] if Path("/dev/full").exists() else found


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (("report", "--mark", "AWS"), ".md"),
        (("export",), ".ttl"),
        (("synth", "--marks", "5"), ".nq"),
    ],
)
def test_an_output_file_that_cannot_be_written_is_one_error_line(
    places: list[Path], command: tuple[str, ...], suffix: str
) -> None:
    for place in places:
        target = place if place == Path("/dev/full") else place.with_suffix(suffix)
        named = {"report": ("--format", "md"), "export": ("--format", "turtle")}
        formats = named.get(command[0], ()) if target.suffix != suffix else ()
        # the executable for /dev/full (`kg export -o /dev/full` once ended in a traceback)
        run = run_kg if target == Path("/dev/full") else kg_in_process
        result = run(*command, *formats, "--memory", "-o", target)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("kg: error: ")
        assert str(target.parent) in result.stderr
        assert "store changed" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("nodes", ["0", "4", "201", "-5"])
def test_max_nodes_outside_5_to_200_is_refused(nodes: str, tmp_path: Path) -> None:
    """0 was taken for the default (a trial): every count outside the range is refused."""
    result = kg_in_process(
        "report", "--memory", "--mark", "AWS", "--max-nodes", nodes, "-o", tmp_path / "r.md"
    )
    assert result.returncode == 2, result.stderr
    assert "between 5 and 200" in result.stderr
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "http"])
def test_a_port_outside_0_to_65535_is_refused_before_the_seed_is_loaded(
    port: str, tmp_path: Path
) -> None:
    """`kg serve --port 99999` loaded the seed case into the store, then failed with three
    tracebacks (a trial, session 35)."""
    store = tmp_path / "store"
    result = run_kg("serve", "--store", store, "--port", port)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "--port" in result.stderr
    assert not store.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", [("load", "--seed"), ("stats",)])
def test_a_full_standard_output_is_one_error_line(command: tuple[str, ...]) -> None:
    """`kg --memory load --seed > /dev/full` ended in a traceback (helper-133): a full disk
    under what a command prints is one error line, exit 1, as for `-o`."""
    import subprocess

    from tests.conftest import KG

    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [str(KG), "--memory", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "kg: error: cannot write the standard output: No space left on device "
        "(check where the output is sent: is its disk full?)"
    )
