"""who-else-uses about a mark of the register reads its similar marks from the mark index
(`MarkIndex.similar_marks`: the pairs compared as the marks were loaded) instead of
comparing the candidates again: the same marks with the same scores and reasons, for marks
of every kind the rules know (containment, sound-alikes, other scripts, numerals...), and no
answer where the index cannot give one (a text it does not hold, texts keyed and not yet
compared, a floor below its own, a reader's overlay)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis import mark_index
from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import compare
from kg.registries.synth import generate
from tests.conftest import DATA

TEXT = "https://w3id.org/tmkg/ontology#text"


def _register() -> dict[str, str]:
    """IRI -> text: the index's probes (one of each kind of rule) and a synthetic register's
    marks (near-duplicates by design)."""
    marks = {f"urn:probe:{n}": text for n, text in enumerate(mark_index._PROBES)}
    for quad in generate(1_500, seed=3):
        if quad.predicate == ox.NamedNode(TEXT):
            marks[quad.subject.value] = quad.object.value
    return marks


def _computed(index: MarkIndex, marks: dict[str, str], text: str, floor: float) -> dict:
    found = {}
    for iri in index.candidates(text, floor):
        similarity = compare(text, marks[iri])
        if similarity.score >= floor:
            found[iri] = similarity
    return found


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> tuple[MarkIndex, dict[str, str]]:
    marks = _register()
    index = MarkIndex(tmp_path_factory.mktemp("stored") / "x.marks.sqlite")
    index.sync(marks)
    index.compare_new_texts()
    return index, marks


@pytest.mark.parametrize("floor", [0.8, 0.9])
def test_stored_similar_marks_are_those_compare_finds(
    register: tuple[MarkIndex, dict[str, str]], floor: float
) -> None:
    index, marks = register
    texts = sorted(set(marks.values()))
    answered = 0
    for text in texts:
        stored = index.similar_marks(text, floor)
        assert stored is not None, text
        assert stored == _computed(index, marks, text, floor), text
        answered += len(stored) > 1  # itself and another
    assert answered > 100  # the register has similar marks to compare


def test_the_probes_find_their_kind(register: tuple[MarkIndex, dict[str, str]]) -> None:
    index, marks = register
    for text, other in [("UBER", "UBER EATS"), ("KWIK", "QUIK"), ("亚马逊", "AMAZON"),
                        ("7 STARS", "SEVEN STARS"), ("ŁADA", "LADA"), ("银行", "銀行")]:  # fmt: skip
        found = {marks[iri] for iri in index.similar_marks(text) or {}}
        assert {text, other} <= found, (text, found)


def test_no_stored_answer_where_the_index_cannot_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = {"urn:a": "NORDVIK", "urn:b": "NORDVICK", "urn:c": "TESLA"}
    index = MarkIndex(tmp_path / "x.marks.sqlite")
    index.sync(marks)
    assert set(index.similar_marks("NORDVIK") or ()) == {"urn:a", "urn:b"}  # compared now
    assert index.similar_marks("NORDVIKK") is None  # a question's own words: no such text
    assert index.similar_marks("NORDVIK", 0.5) is None  # below the floor pairs are kept from
    index.sync({**marks, "urn:d": "NORDVIQ"})  # a new text, compared by the question
    assert set(index.similar_marks("NORDVIK") or ()) == {"urn:a", "urn:b", "urn:d"}
    monkeypatch.setattr(mark_index, "_COMPARED_ON_QUESTION", 2)
    index.sync({**marks, "urn:e": "ALPHA", "urn:f": "BRAVO", "urn:g": "CHARLIE"})
    assert index.similar_marks("NORDVIK") is None  # too many new texts for one question
    index.compare_new_texts()
    assert set(index.similar_marks("NORDVIK") or ()) == {"urn:a", "urn:b"}
    assert index.similar_marks("TESLA") == {"urn:c": compare("TESLA", "TESLA")}


def test_a_reader_with_an_overlay_compares_as_before(tmp_path: Path) -> None:
    path = tmp_path / "x.marks.sqlite"
    marks = {f"urn:{n}": f"MARK{n:03d}" for n in range(60)} | {"urn:n": "NORDVIK"}
    writer = MarkIndex(path)
    writer.sync(marks)
    writer.compare_new_texts()
    writer.close()
    reader = MarkIndex(path, read_only=True)
    assert reader.similar_marks("NORDVIK") is not None
    reader.sync({**marks, "urn:m": "NORDVICK"})  # one mark the file lacks: an overlay
    assert reader.similar_marks("NORDVIK") is None
    assert {"urn:n", "urn:m"} <= reader.candidates("NORDVIK")


@pytest.mark.parametrize(
    ("mark", "stored"),
    [
        ("AWS", True),
        ("NOVALUX", True),
        ("Nova-Lux", True),
        ("AMAZON WEB SERVICES", False),
        ("亚马逊", False),
    ],
)
def test_who_else_uses_answers_the_same_read_or_computed(
    mark: str, stored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marks of the register are read; a question's own words are compared."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([DATA / "second-case.trig"])
    read = Analyst(graph).who_else_uses(mark)
    assert (Analyst(graph).facts.mark_index.similar_marks(mark) is not None) == stored
    with monkeypatch.context() as patch:
        patch.setattr(MarkIndex, "similar_marks", lambda *a, **k: None)
        computed = Analyst(graph).who_else_uses(mark)
    assert read == computed
    graph.close()
