"""Small files into an on-disk store go through Python (`kg.ingest.load.PYTHON_MAX_BYTES`):
judged beside the store and written in one transaction, not streamed through a staged copy
whose checkpoint, flushes and swap cost ~0.5 s whatever the size. Either way the store, the
report and the refusals are the same; bigger files, pipes and folders stream as before."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.errors import KGError
from kg.ingest import load as load_module
from kg.ingest.load import PYTHON_MAX_BYTES, fits_python
from kg.registries.synth import generate
from kg.store.oxigraph import OxigraphStore
from tests.conftest import DATA, kg_in_process, run_kg

SEED = Path(__file__).parent.parent / "seed" / "aws-case.trig"
OWNERLESS = (
    "<https://w3id.org/tmkg/id/registration/r> a <https://w3id.org/tmkg/ontology#Registration> .\n"
)


def _write(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    path.write_bytes(b"#" * (size - 1) + b"\n")
    return path


def test_regular_files_up_to_the_bound_together_fit(tmp_path: Path) -> None:
    half = PYTHON_MAX_BYTES // 2
    assert fits_python([_write(tmp_path, "a.ttl", half), _write(tmp_path, "b.ttl", half)])
    assert fits_python([_write(tmp_path, "c.ttl", PYTHON_MAX_BYTES)])
    assert not fits_python([_write(tmp_path, "d.ttl", PYTHON_MAX_BYTES + 1)])
    assert not fits_python([tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "c.ttl"])
    assert fits_python([])


def test_what_is_not_a_regular_file_streams(tmp_path: Path) -> None:
    """A missing file, a folder, a pipe: the streamed load reports or reads them as before."""
    small = _write(tmp_path, "small.ttl", 10)
    os.mkfifo(tmp_path / "pipe.ttl")
    (tmp_path / "folder.ttl").mkdir()
    for other in ("missing.ttl", "pipe.ttl", "folder.ttl"):
        assert not fits_python([small, tmp_path / other])
    assert not fits_python([str(tmp_path / "nul\0.ttl")])


def _staged_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    staged = OxigraphStore.staged

    def counting(self: OxigraphStore, *args: object, **options: object) -> object:
        counted.append(1)
        return staged(self, *args, **options)

    monkeypatch.setattr(OxigraphStore, "staged", counting)
    return counted


def _load(store: Path, files: list[Path]) -> tuple[object, set]:
    with KnowledgeGraph.open(Settings(store_path=store)) as graph:
        try:
            outcome: object = graph.load(files)
        except KGError as error:
            outcome = (type(error).__name__, str(error))
        return outcome, set(graph.store.quads())


CASES = {
    "seed": [SEED],
    "own case": [DATA / "own-case.ttl"],
    "two files": [DATA / "oppositions.trig", DATA / "ownership.trig"],
    "warnings": [DATA / "trial-faults.ttl"],
    "refused": ["ownerless.ttl"],
    "one bad among good": [DATA / "own-case.ttl", "ownerless.ttl"],
}


@pytest.mark.parametrize(
    ("case", "holding"),
    [(case, "reference data") for case in sorted(CASES)]
    + [("two files", "seed"), ("one bad among good", "seed")],
)
def test_a_small_load_through_python_is_the_streamed_load(
    case: str, holding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ownerless.ttl").write_text(OWNERLESS, encoding="utf-8")
    files = [tmp_path / f if isinstance(f, str) else f for f in CASES[case]]
    assert fits_python(files)
    base = tmp_path / "base"
    with KnowledgeGraph.open(Settings(store_path=base)) as graph:
        if holding == "seed":
            graph.load_seed()
    shutil.copytree(base, tmp_path / "python")
    shutil.copytree(base, tmp_path / "streamed")
    staged = _staged_count(monkeypatch)
    python = _load(tmp_path / "python", files)
    assert staged == []
    monkeypatch.setattr(load_module, "PYTHON_MAX_BYTES", -1)
    streamed = _load(tmp_path / "streamed", files)
    assert staged == [1]
    assert python == streamed
    if case.startswith(("refused", "one bad")):
        assert python[0][0] == "ValidationError"  # type: ignore[index]


def test_kg_load_of_a_small_file_stages_no_copy_and_a_big_one_does(tmp_path: Path) -> None:
    """The phases a real `kg load` notes (`kg.store.crashpoints`): no staged bulk load for a
    small file; one for a file over the bound."""
    store = tmp_path / "store"
    for name, path in (("small", DATA / "oppositions.trig"), ("big", tmp_path / "big.nq")):
        if name == "big":
            with path.open("wb") as handle:
                ox.serialize(generate(80, seed=2), handle, ox.RdfFormat.N_QUADS)
            assert path.stat().st_size > PYTHON_MAX_BYTES
        trace = tmp_path / f"trace-{name}"
        env = {"KG_CRASH_TRACE": str(trace)}
        run_kg("load", "--store", store, path, check=True, env=env)
        phases = trace.read_text(encoding="utf-8").split()
        assert ("bulk:staged" in phases) is (name == "big"), phases
        assert "load:commit" in phases or "bulk:swapped" in phases


@pytest.mark.parametrize("where", ["memory", "disk, through Python", "disk, streamed"])
def test_a_refusal_names_the_files_given_in_their_order_not_the_source_description(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every route names the refused load's files as given (the Python route sorted them,
    and named the description `--source-title` adds)."""
    bad = tmp_path / "ownerless.ttl"
    bad.write_text(OWNERLESS, encoding="utf-8")
    if where == "disk, streamed":
        monkeypatch.setattr(load_module, "PYTHON_MAX_BYTES", -1)
    store = ["--memory"] if where == "memory" else ["--store", tmp_path / "store"]
    refused = kg_in_process(
        *store, "load", DATA / "own-case.ttl", bad, "--source-title", "An extract"
    )
    assert refused.returncode == 5, refused.stderr
    assert f"{DATA / 'own-case.ttl'}, {bad}: 3 SHACL violations" in refused.stderr
    assert "--source-*" not in refused.stderr


TMKG_OWN = {
    "in the reference graph": "<https://w3id.org/tmkg/id/jurisdiction/CN> "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Hacked" '
    "<https://w3id.org/tmkg/id/graph/reference> .\n",
    "about the ontology graph": "<https://w3id.org/tmkg/id/graph/ontology> "
    '<http://www.w3.org/2000/01/rdf-schema#label> "mine" .\n',
    "in a working graph": '<http://ex.org/a> <http://ex.org/p> "x" <urn:tmkg:context> .\n',
}


@pytest.mark.parametrize("command", ["validate", "load"])
@pytest.mark.parametrize("where", ["memory", "disk, through Python", "disk, streamed"])
@pytest.mark.parametrize("what", sorted(TMKG_OWN))
def test_statements_in_tmkgs_own_graphs_are_refused_by_a_check_as_by_a_load(
    what: str, where: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kg validate` refuses what `kg load` refuses, on every route (a small file checked
    through Python passed: helper-130)."""
    path = tmp_path / "own.nq"
    path.write_text(TMKG_OWN[what], encoding="utf-8")
    if where == "disk, streamed":
        monkeypatch.setattr(load_module, "PYTHON_MAX_BYTES", -1)
    store = ["--memory"] if where == "memory" else ["--store", tmp_path / "store"]
    refused = kg_in_process(*store, command, path)
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "tmkg" in refused.stderr and str(path) in refused.stderr
