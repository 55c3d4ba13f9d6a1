"""`kg conflicts` reads similar pairs of texts kept in the mark index, and answers exactly as a
computation from scratch (blocking and `compare` over every holding) does: after a first load,
after a second one that adds marks, after a change of status, and over an index written by the
previous version of tmkg."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis import conflicts
from kg.analysis.conflicts import candidate_text_pairs, find_conflicts
from kg.analysis.coverage import read_coverage
from kg.analysis.dates import PartialDate
from kg.analysis.lifecycle import on_date
from kg.analysis.mark_index import MarkIndex
from kg.analysis.model import ConflictPair
from kg.analysis.service import index_marks
from kg.analysis.similarity import blocking_keys, compare
from kg.registries.synth import generate

TM = "https://w3id.org/tmkg/ontology#"
ID = "https://w3id.org/tmkg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ABANDONED = "https://w3id.org/tmkg/id/status/abandoned"


def _from_scratch(analyst: Analyst, min_similarity: float = 0.8) -> list[ConflictPair]:
    """Today's conflicts as computed before the index kept pairs: every holding, every pair."""
    facts = analyst.facts
    when = PartialDate.today()
    holdings = read_coverage(facts, on_date(facts.holdings(), when), when)
    iris = {h.party for h in holdings} | {h.on_behalf_of for h in holdings if h.on_behalf_of}
    return find_conflicts(
        holdings,
        parties=facts.parties(iris),
        sources=facts.sources,
        relatedness=facts.relatedness,
        cases=facts.case_parties_on(when),
        min_similarity=min_similarity,
    )


def _read_from_index(analyst: Analyst, monkeypatch: pytest.MonkeyPatch) -> list[ConflictPair]:
    """`Analyst.conflicts`, failing if it computed pairs instead of reading them."""

    def refuse(*args: object) -> None:
        raise AssertionError("pairs were computed, not read from the index")

    with monkeypatch.context() as patch:
        patch.setattr(conflicts, "_computed_pairs", refuse)
        return analyst.conflicts()


def _renamed(quads: Iterator[ox.Quad], tag: str) -> Iterator[ox.Quad]:
    """The quads with every synthetic IRI renamed, so a second registry adds, not replaces."""

    def rename(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> object:
        if isinstance(term, ox.NamedNode) and "/synthetic" in term.value:
            return ox.NamedNode(term.value.replace("/synthetic", f"/{tag}"))
        return term

    for quad in quads:
        graph = quad.graph_name
        yield ox.Quad(
            rename(quad.subject),  # type: ignore[arg-type]
            quad.predicate,
            rename(quad.object),  # type: ignore[arg-type]
            rename(graph) if isinstance(graph, ox.NamedNode) else graph,  # type: ignore[arg-type]
        )


@pytest.fixture
def graph(store_path: Path) -> Iterator[KnowledgeGraph]:
    opened = KnowledgeGraph.open(Settings(store_path=store_path))
    opened.store.add(generate(3000, seed=3))
    opened.changed()
    yield opened
    opened.close()


def test_loads_and_a_status_change_read_the_same_conflicts_as_from_scratch(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert index_marks(graph) == 3000  # as `kg load` / `kg import` do after writing
    first = _read_from_index(Analyst(graph), monkeypatch)
    assert len(first) > 100
    assert first == _from_scratch(Analyst(graph))

    # a second load: 400 more marks, whose texts meet the first load's
    graph.store.add(_renamed(generate(400, seed=11), "second"))
    graph.changed()
    looked_up = []
    bucket_rows = MarkIndex._bucket_rows
    with monkeypatch.context() as patch:  # only the new texts' buckets are read
        patch.setattr(
            MarkIndex,
            "_bucket_rows",
            lambda self, keys: looked_up.extend(keys) or bucket_rows(self, keys),
        )
        assert index_marks(graph) == 400  # only the new marks are keyed
    assert looked_up
    second = _read_from_index(Analyst(graph), monkeypatch)
    assert second == _from_scratch(Analyst(graph))
    across = [c for c in second if {"/second" in h for h in c.holdings} == {True, False}]
    assert across, "the second load's marks should conflict with the first's"

    # a status change: the registration of one side of a conflict is abandoned
    victim = next(h for h in across[0].holdings if "/registration/" in h)
    graph.store.add(
        [
            ox.Quad(
                ox.NamedNode(victim),
                ox.NamedNode(TM + "markStatus"),
                ox.NamedNode(ABANDONED),
                ox.NamedNode("https://w3id.org/tmkg/id/graph/second/status"),
            )
        ]
    )
    graph.changed()
    assert index_marks(graph) == 0  # no text changed: nothing to key or compare
    third = _read_from_index(Analyst(graph), monkeypatch)
    assert third == _from_scratch(Analyst(graph))
    assert not any(victim in c.holdings for c in third)
    assert any(victim in c.holdings for c in second)


def test_a_mark_whose_text_changes_or_goes_drops_its_pairs(graph: KnowledgeGraph) -> None:
    index_marks(graph)
    index = Analyst(graph).facts.mark_index
    marks = dict(Analyst(graph).facts.marks)
    pairs = {(a, b) for a, b, _ in index.similar_pairs()}
    gone = next(
        text
        for text in sorted({t for p in pairs for t in p})
        if list(marks.values()).count(text) == 1
    )
    iri = next(i for i, t in marks.items() if t == gone)
    changed = {**marks, iri: "ZZYZX QUORTLE"}
    assert index.sync(changed) == 1
    left = {(a, b) for a, b, _ in index.similar_pairs()}
    assert left == {p for p in pairs if gone not in p}
    assert index.unknown_texts(["ZZYZX QUORTLE", gone]) == {gone}
    assert index.sync(marks) == 1
    assert {(a, b) for a, b, _ in index.similar_pairs()} == pairs


def test_stored_pairs_are_the_blocking_pairs_that_compare_keeps() -> None:
    texts = {
        "AWS",
        "A.W.S.",
        "TESLA",
        "特斯拉",
        "Nike",
        "Nyke",
        "GOOGLE",
        "GOGGLE",
        "LEGO",
        "LOGO",
        "MICROSOFT",
        "MICROSOFTT",
        "STARBUCKS",
        "STARBOCKS",
        "KODAK",
        "CODAC",
        "ACME & Design",
        "ACME",
        "設計圖",
        "COCA-COLA",
        "Koka Kola",
        "SUPERMARKETPLACE",
        "SUPERMARKETPALACE",
        "INTERNATIONALE",
        "INTERNASHUNALE",
        "Ka",
        "KA",
    }
    index = MarkIndex(None)
    index.sync({f"m{i}": text for i, text in enumerate(sorted(texts))})
    expected = {}
    for left, right in candidate_text_pairs(texts):
        found = compare(left, right)
        if found.score >= index.similar_floor:
            expected[(left, right)] = found
    assert {(a, b): s for a, b, s in index.similar_pairs()} == expected
    assert ("AWS", "A.W.S.") in {(b, a) for a, b in expected}  # sanity: some pairs found
    assert len(expected) >= 10
    with pytest.raises(ValueError, match=r"keeps pairs from 0\.8"):
        next(index.similar_pairs(0.7))


def test_a_lower_similarity_floor_is_computed_not_read(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    facts = analyst.facts
    when = PartialDate.today()
    holdings = read_coverage(facts, on_date(facts.holdings(), when), when)
    iris = {h.party for h in holdings}
    kept = find_conflicts(
        holdings,
        parties=facts.parties(iris),
        sources=facts.sources,
        relatedness=facts.relatedness,
        cases=facts.case_parties_on(when),
        min_similarity=0.7,
        similar=facts.mark_index,
    )
    assert kept == _from_scratch(analyst, min_similarity=0.7)
    assert len(kept) > len(_from_scratch(analyst))


def test_an_index_missing_verbal_elements_falls_back_to_computing(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index synced with the marks' texts only (as `MarkIndex.sync(marks)` alone does)
    lacks the verbal elements: conflicts are then computed, and still right."""
    analyst = Analyst(graph)
    holding = next(
        h
        for h in analyst.facts.holdings()
        if h.jurisdiction == "CN" and h.classes and len(h.mark.text) >= 6
    )
    verbal = holding.mark.text.upper() + "Q"  # one letter more: similar, and no mark's text
    id_ = "https://w3id.org/tmkg/id/"
    registration, where = ox.NamedNode(id_ + "registration/worded"), ox.NamedNode(id_ + "g/w")
    facts_of = {
        "mark": ox.NamedNode(id_ + "mark/worded"),
        "owner": ox.NamedNode(id_ + "party/worded-owner"),
        "jurisdiction": ox.NamedNode(id_ + "jurisdiction/CN"),
        "niceClass": ox.NamedNode(f"{id_}nice/{holding.classes[0]}"),
        "verbalElement": ox.Literal(verbal),
    }
    graph.store.add(
        [
            ox.Quad(registration, ox.NamedNode(RDF_TYPE), ox.NamedNode(TM + "Registration"), where),
            ox.Quad(
                facts_of["mark"], ox.NamedNode(TM + "text"), ox.Literal("Worded Device"), where
            ),
            *(ox.Quad(registration, ox.NamedNode(TM + p), o, where) for p, o in facts_of.items()),
        ]
    )
    graph.changed()
    expected = Analyst(graph).conflicts(jurisdiction="CN")
    assert expected == [c for c in _from_scratch(Analyst(graph)) if c.jurisdiction == "CN"]
    assert any(registration.value in c.holdings for c in expected)  # by its verbal element
    facts = Analyst(graph).facts
    index = facts.mark_index
    index.sync(facts.marks)  # the verbal element leaves the index
    assert index.unknown_texts([verbal]) == {verbal}
    monkeypatch.setattr(conflicts, "_stored_pairs", None)  # would fail if called
    assert Analyst(graph).conflicts(jurisdiction="CN") == expected


def test_an_index_written_by_the_previous_version_gets_its_pairs(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with KnowledgeGraph.open(Settings(store_path=store_path)) as opened:
        opened.store.add(generate(1500, seed=5))
        opened.changed()
        marks = dict(Analyst(opened).facts.marks)
    path = store_path.parent / f"{store_path.name}.marks.sqlite"
    for stale in path.parent.glob(f"{path.name}*"):
        stale.unlink()
    with sqlite3.connect(path) as old:  # the file tmkg wrote before version 4: no pairs
        old.executescript(
            """CREATE TABLE marks (iri TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
               CREATE TABLE keys (key TEXT NOT NULL, iri TEXT NOT NULL,
                   PRIMARY KEY (key, iri)) WITHOUT ROWID;
               CREATE INDEX keys_by_iri ON keys (iri);
               PRAGMA user_version = 3;"""
        )
        old.executemany("INSERT INTO marks VALUES (?, ?)", marks.items())
        old.executemany(
            "INSERT INTO keys VALUES (?, ?)",
            [(key, iri) for iri, text in marks.items() for key in blocking_keys(text)],
        )
    old.close()

    with KnowledgeGraph.open(Settings(store_path=store_path)) as reopened:
        analyst = Analyst(reopened)
        # no fingerprint of the rules that keyed its marks: every mark is keyed again
        assert analyst.facts.sync_mark_index() == len(marks)
        found = _read_from_index(analyst, monkeypatch)
        assert found and found == _from_scratch(analyst)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (6,)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert "keys" not in tables and "keys_by_iri" not in tables  # kept per text now
        assert db.execute("SELECT COUNT(*) FROM similar").fetchone()[0] > 0
    db.close()


class _Pairs:
    """Stored pairs for `conflict_marks_by_place`, without SQLite."""

    similar_floor = 0.8

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = [(a, b, compare(a, b)) for a, b in pairs]

    def similar_pairs(self, min_similarity: float, among: object = None) -> list:
        return [(a, b, s) for a, b, s in self.pairs if among is None or (a in among and b in among)]

    def unknown_texts(self, texts: object) -> set[str]:
        return set()


def _statements(*holdings: tuple) -> list[tuple[str, str, str]]:
    """(holding, mark, jurisdiction, verbal element, classes, goods) as stored statements."""
    found = []
    for holding, mark, place, verbal, classes, goods in holdings:
        found.append((holding, "mark", mark))
        found += [(holding, "jurisdiction", f"{ID}jurisdiction/{place}")] if place else []
        found += [(holding, "verbalElement", verbal)] if verbal else []
        found += [(holding, "niceClass", f"{ID}nice/{c}") for c in classes]
        found += [(holding, "goodsServices", f"{ID}goods/{holding}")] if goods else []
    return found


@pytest.mark.parametrize(
    ("holdings", "pairs", "chosen"),
    [
        # one text, two holdings in CN: both; the lone US holding of it: no one to meet
        (
            [
                ("h1", "m1", "CN", None, (9,), 0),
                ("h2", "m2", "CN", None, (), 0),
                ("h3", "m3", "US", None, (9,), 0),
            ],
            [],
            {"m1", "m2"},
        ),
        # an EU trade mark meets the same text in any member state, and a WO right in any
        (
            [
                ("h1", "m1", "EM", None, (9,), 0),
                ("h2", "m2", "FR", None, (9, 30), 0),
                ("h3", "m4", "DE", None, (9,), 0),
            ],
            [],
            {"m1", "m2"},
        ),
        # a similar pair meets only in one place; a holding with no jurisdiction never does
        (
            [
                ("h1", "m1", "CN", None, (9,), 0),
                ("h2", "m5", "CN", None, (9,), 0),
                ("h3", "m5", "US", None, (9,), 0),
                ("h4", "m1", None, None, (9,), 0),
            ],
            [("GOOGLE", "GOGGLE")],
            {"m1", "m5"},
        ),
        # a verbal element is compared too: it meets its pair in CN
        (
            [("h1", "m4", "CN", "GOGGLE", (9,), 0), ("h2", "m1", "CN", None, (9,), 0)],
            [("GOOGLE", "GOGGLE")],
            {"m1", "m4"},
        ),
        # two IRIs of one holding (owl:sameAs) are one holding: no conflict with itself
        ([("h1", "m1", "CN", None, (9,), 0), ("h1b", "m2", "CN", None, (9,), 0)], [], set()),
        # unrelated classes never conflict; related ones (>= 0.4) and goods entries may
        ([("h1", "m1", "CN", None, (9,), 0), ("h2", "m2", "CN", None, (30,), 0)], [], set()),
        (
            [("h1", "m1", "CN", None, (9,), 0), ("h2", "m2", "CN", None, (42,), 0)],
            [],
            {"m1", "m2"},
        ),
        (
            [("h1", "m1", "CN", None, (9,), 0), ("h2", "m2", "CN", None, (30,), 1)],
            [],
            {"m1", "m2"},
        ),
    ],
)
def test_conflict_marks_are_those_whose_holdings_meet_another(
    holdings: list, pairs: list, chosen: set[str]
) -> None:
    texts = {"m1": "GOOGLE", "m2": "GOOGLE", "m3": "GOOGLE", "m4": "APPLE", "m5": "GOGGLE"}
    by_place = conflicts.conflict_marks_by_place(
        _statements(*holdings),
        texts,
        _Pairs(*pairs),
        lambda iri: iri.rstrip("b"),
        {"EM", "WO"},
        {frozenset((9, 42)): 0.7, frozenset((9, 30)): 0.2},
    )
    assert by_place is not None
    found = set().union(*by_place.values())
    assert found == chosen


def test_pairs_found_under_other_similarity_rules_are_compared_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.marks.sqlite"
    marks = {"m1": "GOOGLE", "m2": "GOGGLE", "m3": "TESLA", "m4": "特斯拉"}
    index = MarkIndex(path)
    index.sync(marks)
    assert index.compare_new_texts() == 4
    found = list(index.similar_pairs())
    index.close()
    assert len(found) == 2
    assert MarkIndex(path).compare_new_texts() == 0  # the same rules: nothing to compare

    from kg.analysis import mark_index

    monkeypatch.setattr(mark_index, "_code_key", lambda: 7)  # a newer tmkg
    monkeypatch.setattr(mark_index, "_rules_fingerprint", lambda: 42)  # compare changed
    reopened = MarkIndex(path)
    assert reopened.unknown_texts(marks.values()) == set(marks.values())
    assert reopened.sync(marks) == 4  # the marks' keys may have changed too: keyed again
    assert reopened.compare_new_texts() == 4
    assert list(reopened.similar_pairs()) == found
