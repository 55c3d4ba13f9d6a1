"""`kg load` of a file with many violations lists the first 20 and says how many more, as
`kg import` does; `kg validate` lists them all; the store is left as it was."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_kg


def _bad_file(path: Path, count: int) -> Path:
    lines = [
        "@prefix tm: <https://w3id.org/tmkg/ontology#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    for n in range(count):
        lines.append(
            f"<https://example.org/reg/{n}> a tm:Registration ; "
            f'tm:filingDate "not a date {n}"^^xsd:date .'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_lists_the_first_violations_and_validate_lists_all(tmp_path: Path) -> None:
    bad = _bad_file(tmp_path / "bad.ttl", 30)
    store = tmp_path / "store"
    run_kg("load", "--store", store, "--seed", check=True)
    before = run_kg("stats", "--store", store, check=True).stdout
    loaded = run_kg("load", "--store", store, bad)
    assert loaded.returncode == 5
    lines = loaded.stderr.splitlines()
    assert "SHACL violations" in lines[0] and len(lines) <= 25, loaded.stderr
    assert any("... and " in line and "kg validate" in line for line in lines), loaded.stderr
    assert "Traceback" not in loaded.stderr
    assert run_kg("stats", "--store", store, check=True).stdout == before
    validated = run_kg("validate", "--store", store, bad)
    assert validated.returncode == 5
    assert "... and " not in validated.stderr
    assert len(validated.stderr.splitlines()) > 30


def test_load_lists_a_few_violations_whole(tmp_path: Path) -> None:
    loaded = run_kg("load", "--memory", _bad_file(tmp_path / "bad.ttl", 3))
    assert loaded.returncode == 5
    assert "... and " not in loaded.stderr
    assert sum("not a date" in line for line in loaded.stderr.splitlines()) >= 3
