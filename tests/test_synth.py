"""`kg synth`: deterministic by seed, valid under the shapes, with courts and a few cases."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import Analyst, KnowledgeGraph, Settings
from kg.registries.synth import TM, generate
from tests.conftest import run_kg


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    result = run_kg("synth", "--marks", 300, "--seed", 5, "-o", first, check=True)
    assert f"to {first}" in result.stderr and "300 marks, seed 5" in result.stderr
    run_kg("synth", "--marks", 300, "--seed", 5, "--output", second, check=True)
    run_kg("synth", "--marks", 300, "--seed", 6, "-o", other, check=True)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    stdout = run_kg("synth", "--marks", 300, "--seed", 5, "-o", "-", check=True).stdout
    assert stdout.encode("utf-8") == first.read_bytes()
    quads = list(ox.parse(path=str(first), format=ox.RdfFormat.N_QUADS))
    assert len({q.subject for q in quads if q.predicate.value == TM + "text"}) == 300


def test_a_2000_mark_registry_validates(tmp_path: Path) -> None:
    path = tmp_path / "registry.nq"
    run_kg("synth", "--marks", 2000, "--seed", 3, "-o", path, check=True)
    result = run_kg("validate", "--store", tmp_path / "store", path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: 1 file(s)")


def test_courts_cases_and_suits() -> None:
    quads = list(generate(2000, seed=1))
    types: dict[str, set[str]] = {}
    for quad in quads:
        if quad.predicate.value.endswith("#type"):
            types.setdefault(quad.object.value.removeprefix(TM), set()).add(quad.subject.value)
    assert len(types["Court"]) == 8  # one per jurisdiction of the generator
    assert 5 < len(types["Case"]) == len(types["LawsuitFiled"]) < 50
    by_subject: dict[str, dict[str, list[str]]] = {}
    for quad in quads:
        facts = by_subject.setdefault(quad.subject.value, {})
        facts.setdefault(quad.predicate.value.removeprefix(TM), []).append(quad.object.value)
    for case in types["Case"]:
        facts = by_subject[case]
        assert facts["plaintiff"] != facts["defendant"]
        assert facts["court"][0] in types["Court"]
        assert facts["concerns"][0] in types["Mark"]


def test_cases_leave_the_rest_of_a_seed_unchanged() -> None:
    without = list(generate(400, seed=9, case_rate=0.0))
    with_cases = list(generate(400, seed=9, case_rate=0.5))
    assert with_cases[: len(without)] == without
    assert len(with_cases) > len(without)


def test_analyses_see_the_synthetic_cases() -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.store.add(list(generate(2000, seed=3)))
    graph.changed()
    conflicts = Analyst(graph).conflicts(min_score=0.5)
    reasons = {reason for conflict in conflicts for reason in conflict.reasons}
    assert "a case between the two parties exists" in reasons
    graph.close()
