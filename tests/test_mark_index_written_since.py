"""After a write that says what it touched, the mark index beside an on-disk store is told only
the marks whose text the write may have changed (`FactBase.sync_mark_index`,
`MarkIndex.sync_changed`), not every mark of the register; it then holds what an index synced
with every mark holds. Where that cannot be told (a write that did not say, a blank-node mark,
a mark with two texts, an index that kept no state of the store) every mark is read, as
before."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.facts import FactBase
from kg.analysis.mark_index import MarkIndex, index_path_for
from kg.analysis.service import index_marks
from kg.registries.synth import generate, renamed

TM = "https://w3id.org/tmkg/ontology#"
GRAPH = ox.NamedNode("https://w3id.org/tmkg/id/graph/test/edits")


@pytest.fixture
def graph(store_path: Path) -> Iterator[KnowledgeGraph]:
    opened = KnowledgeGraph.open(Settings(store_path=store_path))
    opened.store.add(generate(300, seed=3))
    opened.changed()
    yield opened
    opened.close()


class _Paths:
    """Which of `MarkIndex.sync` (every mark) and `sync_changed` (the marks written) ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: list[str] = []
        whole, changed = MarkIndex.sync, MarkIndex.sync_changed

        def sync(index: MarkIndex, *args: object, **kwargs: object) -> int:
            self.taken.append("every mark")
            return whole(index, *args, **kwargs)  # type: ignore[arg-type]

        def sync_changed(index: MarkIndex, *args: object, **kwargs: object) -> int:
            self.taken.append("changed")
            return changed(index, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(MarkIndex, "sync", sync)
        monkeypatch.setattr(MarkIndex, "sync_changed", sync_changed)

    def last(self) -> str:
        return self.taken[-1]


def _text_quads(graph: KnowledgeGraph, mark: str) -> list[ox.Quad]:
    return list(graph.store.quads(ox.NamedNode(mark), ox.NamedNode(TM + "text"), None))


def _mark_with_pairs(graph: KnowledgeGraph, skip: int = 0) -> str:
    """A mark whose text is the only one of its kind and has similar pairs in the index."""
    facts = Analyst(graph).facts
    marks = dict(facts.marks)
    paired = sorted({t for a, b, _ in facts.mark_index.similar_pairs() for t in (a, b)})
    alone = [t for t in paired if list(marks.values()).count(t) == 1]
    return next(iri for iri, text in sorted(marks.items()) if text == alone[skip])


def _held(graph: KnowledgeGraph) -> tuple[dict[str, str], set[tuple[str, str, float]]]:
    """The index file's marks and similar pairs."""
    with sqlite3.connect(index_path_for(graph.store.location)) as db:
        marks = dict(db.execute("SELECT iri, text FROM marks"))
    index = Analyst(graph).facts.mark_index
    return marks, {(a, b, s.score) for a, b, s in index.similar_pairs()}


def _expected(graph: KnowledgeGraph) -> tuple[dict[str, str], set[tuple[str, str, float]]]:
    """The marks and similar pairs of an index synced from nothing with every mark."""
    facts = FactBase(graph.store)
    verbal = [v for (v,) in facts.tuples(f"SELECT ?v WHERE {{ ?h <{TM}verbalElement> ?v }}")]
    index = MarkIndex(None)
    index.sync(facts.marks, [v for v in verbal if v])
    index.compare_new_texts()
    return dict(facts.marks), {(a, b, s.score) for a, b, s in index.similar_pairs()}


def test_writes_that_say_what_they_touched_sync_only_their_marks(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _Paths(monkeypatch)
    assert index_marks(graph) == 300
    assert paths.last() == "every mark"  # the first sync: no state kept yet
    assert Analyst(graph).facts.mark_index.synced_stamp() == graph.store.write_stamp

    changed, gone = _mark_with_pairs(graph, 0), _mark_with_pairs(graph, 1)
    # three writes before the next sync: marks added, a text changed, a text removed
    graph.store.add(renamed(generate(40, seed=11), "second"))
    old = _text_quads(graph, changed)
    graph.store.replace(
        old,
        [
            ox.Quad(
                old[0].subject, old[0].predicate, ox.Literal("ZYZZYVA QUORTLE"), old[0].graph_name
            )
        ],
    )
    graph.store.remove(_text_quads(graph, gone))
    graph.changed()

    def refuse(self: FactBase) -> dict[str, str]:
        raise AssertionError("every mark of the store was read")

    with monkeypatch.context() as patch:
        patch.setattr(FactBase, "marks", property(refuse))
        assert index_marks(graph) == 41  # the 40 new marks and the changed one
    assert paths.last() == "changed"
    held, expected = _held(graph), _expected(graph)
    assert held == expected
    assert changed in held[0] and gone not in held[0]
    assert held[0][changed] == "ZYZZYVA QUORTLE"
    assert Analyst(graph).facts.mark_index.synced_stamp() == graph.store.write_stamp

    # nothing written since: nothing changed, nothing read
    with monkeypatch.context() as patch:
        patch.setattr(FactBase, "marks", property(refuse))
        assert index_marks(graph) == 0
    assert paths.last() == "changed"
    assert _held(graph) == expected


def test_a_text_given_back_and_a_status_written_are_synced_from_what_they_touched(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _Paths(monkeypatch)
    index_marks(graph)
    mark = _mark_with_pairs(graph)
    quads = _text_quads(graph, mark)
    before = _held(graph)
    graph.store.remove(quads)  # one write takes the text away, the next gives it back
    graph.store.add(quads)
    holding = next(iter(graph.store.quads(None, ox.NamedNode(TM + "mark"), ox.NamedNode(mark))))
    graph.store.add(  # a write that touches no text
        [ox.Quad(holding.subject, ox.NamedNode(TM + "markStatus"), ox.NamedNode(TM + "x"), GRAPH)]
    )
    graph.changed()
    assert index_marks(graph) == 0  # the mark's text is the one the index holds
    assert paths.last() == "changed"
    assert _held(graph) == before == _expected(graph)


@pytest.mark.parametrize(
    "write",
    [
        "a SPARQL update (it does not say what it touched)",
        "a blank-node mark",
        "a blank-node mark whose id reads as an IRI",
        "a mark given a second text",
        "the store's token of writes removed (a program other than tmkg wrote)",
        "an index that kept no state of the store (an older tmkg)",
    ],
)
def test_what_cannot_be_told_reads_every_mark(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    paths = _Paths(monkeypatch)
    index_marks(graph)
    mark = _mark_with_pairs(graph)
    if write.startswith("a SPARQL update"):
        graph.store.update(
            f"DELETE WHERE {{ GRAPH ?g {{ <{mark}> <{TM}text> ?t }} }} ; "
            f'INSERT DATA {{ GRAPH <{GRAPH.value}> {{ <{mark}> <{TM}text> "QUORTLE ZYZZYVA" }} }}'
        )
    elif write.startswith("a blank-node mark"):
        text = Analyst(graph).facts.marks[mark]
        node = ox.BlankNode("urn:m1") if write.endswith("IRI") else ox.BlankNode()
        graph.store.add([ox.Quad(node, ox.NamedNode(TM + "text"), ox.Literal(text + "S"), GRAPH)])
    elif write == "a mark given a second text":
        graph.store.add(
            [ox.Quad(ox.NamedNode(mark), ox.NamedNode(TM + "text"), ox.Literal("QUORTLE"), GRAPH)]
        )
    elif write.startswith("the store's token"):
        Path(str(graph.store.location) + ".writes").unlink()
        graph.store.add(renamed(generate(5, seed=12), "third"))
    else:
        with sqlite3.connect(index_path_for(graph.store.location)) as db:
            db.execute("DELETE FROM state WHERE name = 'stamp'")
        graph.store.add(renamed(generate(5, seed=12), "third"))
    graph.changed()
    index_marks(graph)
    assert paths.last() == "every mark"
    assert _held(graph) == _expected(graph)
    assert Analyst(graph).facts.mark_index.synced_stamp() == graph.store.write_stamp


def test_a_read_only_index_is_told_every_mark(graph: KnowledgeGraph) -> None:
    index_marks(graph)
    reader = MarkIndex(index_path_for(graph.store.location), read_only=True)
    assert reader.read_only and reader.synced_stamp() is None
    with pytest.raises(ValueError, match="every mark"):
        reader.sync_changed({}, stamp="x")
    assert MarkIndex(None).synced_stamp() is None


def test_a_factbase_made_before_a_write_syncs_what_the_store_holds(graph: KnowledgeGraph) -> None:
    index_marks(graph)
    facts = Analyst(graph).facts  # of the state before the write below
    graph.store.add(renamed(generate(20, seed=13), "late"))
    facts.sync_mark_index()
    facts.mark_index.compare_new_texts()
    graph.changed()
    index_marks(graph)
    assert _held(graph) == _expected(graph)


def test_a_sync_between_reading_the_token_and_syncing_is_not_built_upon(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests of `kg serve`: an older FactBase's sync of every mark lands between a
    newer one's reading of the index's token and its `sync_changed` (found by helper-118's
    review). The newer sync then reads every mark, and the index holds the store's."""
    index_marks(graph)
    old = Analyst(graph).facts
    mark = sorted(old.marks)[0]  # an older request's FactBase, its marks read
    old._index = None  # it has not asked for the index yet
    quads = _text_quads(graph, mark)
    graph.store.replace(
        quads,
        [ox.Quad(quads[0].subject, quads[0].predicate, ox.Literal("ZYZZYVA"), quads[0].graph_name)],
    )
    graph.changed()
    index_marks(graph)
    graph.store.add(renamed(generate(3, seed=9), "w2"))
    graph.changed()
    real = MarkIndex.sync_changed

    def interleaved(index: MarkIndex, *args: object, **kwargs: object) -> int | None:
        monkeypatch.setattr(MarkIndex, "sync_changed", real)
        old.sync_mark_index()  # the other request, here
        return real(index, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MarkIndex, "sync_changed", interleaved)
    index_marks(graph)
    graph.store.add(renamed(generate(2, seed=10), "w3"))
    graph.changed()
    index_marks(graph)
    assert _held(graph) == _expected(graph)
    assert mark in Analyst(graph).facts.mark_index.candidates("ZYZZYVA")


@pytest.mark.parametrize("left", ["no folder", "empty folder"])
def test_a_store_made_again_where_one_was_removed_trusts_nothing_left_beside_it(
    left: str, store_path: Path
) -> None:
    """A store's folder removed by hand leaves ``<store>.writes``, the journal and the mark
    index beside it; the store made again in its place starts a token of its own, so the old
    index is synced with every mark (not told only the new store's writes) and holds the new
    store's marks alone: a reader then answers from it without keying a private copy."""
    first = KnowledgeGraph.open(Settings(store_path=store_path))
    first.store.add(generate(60, seed=5))
    first.changed()
    index_marks(first)
    first.close()
    shutil.rmtree(store_path)
    if left == "empty folder":
        store_path.mkdir()
    again = KnowledgeGraph.open(Settings(store_path=store_path))
    again.store.add(generate(20, seed=9))
    again.changed()
    index_marks(again)
    marks = dict(Analyst(again).facts.marks)
    again.close()
    with sqlite3.connect(index_path_for(str(store_path))) as db:
        held = dict(db.execute("SELECT iri, text FROM marks"))
    assert held == marks
