"""The holdings projection beside an on-disk store (issue 19, `kg.analysis.holdings_projection`)
and the write token it is kept for (`kg.store.write_stamp`): a question reads the holdings the
previous ones read, in this process or the next; the same holdings the store gives; never
those of another state of the store, whichever way the store was written; and a file that is
not the projection tmkg wrote is not trusted."""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import holdings_projection
from kg.analysis.facts import FactBase
from kg.analysis.holdings_projection import projection_path_for
from kg.analysis.service import Analyst
from kg.errors import QueryError
from kg.reference import REFERENCE_GRAPHS
from kg.store.oxigraph import OxigraphStore
from kg.store.write_stamp import stamp_path_for
from tests.conftest import DATA, PREFIXES, run_kg
from tests.test_kept_holdings import (
    ASSIGNED,
    FIXTURES,
    MORE,
    WORLD,
    _mark,
    _store_queries,
)

TM = "https://w3id.org/tmkg/ontology#"
DE_REGISTRATION = "https://w3id.org/tmkg/id/registration/de-7100002"
CANCELLED = (
    f"<{DE_REGISTRATION}> <{TM}markStatus> <https://w3id.org/tmkg/id/status/cancelled> ; "
    f'<{TM}statusDate> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
)
LATER_GRAPH = "https://w3id.org/tmkg/id/graph/kept-later"


@pytest.fixture(autouse=True)
def _own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's key in a folder of the test's own (a home that may not be written: CI)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))


def _open(store: Path, *, read_only: bool = False) -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store_path=store, read_only=read_only))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    world = tmp_path / "kept.trig"
    world.write_text(WORLD, encoding="utf-8")
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.load([world])
    return path


def _holders(graph: KnowledgeGraph) -> list[str]:
    return sorted(u.party.name for u in Analyst(graph).who_else_uses("LARKSPUR"))


def _holding_reads(facts: FactBase, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """A function giving the store queries `facts` sent since that read holdings
    (`FactBase._collect_holdings`)."""
    sent = _store_queries(facts, monkeypatch)
    return lambda: [q for q in sent if f"GRAPH ?mg {{ ?h <{TM}mark> ?m }}" in q]


def test_the_next_process_reads_the_holdings_the_first_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _open(store) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
    assert projection_path_for(str(store)).exists()  # type: ignore[union-attr]
    with _open(store) as graph:
        facts = Analyst(graph).facts
        reads = _holding_reads(facts, monkeypatch)
        larkspur = _mark(facts, "LARKSPUR")
        projected = facts.holdings([larkspur])
        assert reads() == []  # from the projection
        assert [h.party.rsplit("/", 1)[1] for h in projected] == ["lark-two", "lark-one"]
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
        assert reads() == []
        heronsay = _mark(facts, "HERONSAY")  # its registration has two IRIs: never kept
        facts.holdings([heronsay])
        facts.holdings([heronsay])
        assert len(reads()) == 2


@pytest.mark.parametrize("fixture", FIXTURES)
def test_projected_holdings_are_the_holdings_the_store_gives(fixture: str, tmp_path: Path) -> None:
    """Every mark alone, in pairs and all together, read by a process whose projection is
    empty, then by one reading what the first wrote: the same lists as a store in memory."""
    with KnowledgeGraph.open(Settings(memory=True)) as memory:
        memory.load([DATA / fixture])
        facts = Analyst(memory).facts
        marks = sorted(facts.marks)
        asked = [[m] for m in marks] + [marks[i : i + 2] for i in range(len(marks))] + [marks]
        expected = [facts.holdings(wanted) for wanted in asked]
    path = tmp_path / "store"
    with _open(path) as graph:
        graph.load([DATA / fixture])
    for _ in range(2):
        with _open(path) as graph:
            facts = Analyst(graph).facts
            assert [facts.holdings(wanted) for wanted in asked] == expected
            assert [facts.marks_holdings(wanted) for wanted in asked] == expected
    with _open(path, read_only=True) as reader:
        assert len(Analyst(reader).facts._projection or ()) > 0  # type: ignore[arg-type]


def _load_file(graph: KnowledgeGraph, tmp_path: Path) -> None:
    later = tmp_path / "later.trig"
    later.write_text(MORE.replace("}\n", f"    {CANCELLED} .\n}}\n", 1), encoding="utf-8")
    graph.load([later])


def _update(graph: KnowledgeGraph, _: Path) -> None:
    graph.store.update(f"INSERT DATA {{ GRAPH <{LATER_GRAPH}> {{ {CANCELLED} }} }}")


def _quads() -> list[ox.Quad]:
    graph = ox.NamedNode(LATER_GRAPH)
    return [
        ox.Quad(
            ox.NamedNode(DE_REGISTRATION),
            ox.NamedNode(TM + "markStatus"),
            ox.NamedNode("https://w3id.org/tmkg/id/status/cancelled"),
            graph,
        ),
        ox.Quad(
            ox.NamedNode(DE_REGISTRATION),
            ox.NamedNode(TM + "statusDate"),
            ox.Literal(
                "2020-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
            graph,
        ),
    ]


def _add(graph: KnowledgeGraph, _: Path) -> None:
    graph.store.add(_quads())


def _replace(graph: KnowledgeGraph, _: Path) -> None:
    graph.store.replace([], _quads())  # type: ignore[attr-defined]


def _staged(graph: KnowledgeGraph, _: Path) -> None:
    with graph.store.staged() as stage:  # type: ignore[attr-defined]
        stage.store.bulk_extend(_quads())


def _remove(graph: KnowledgeGraph, _: Path) -> None:
    """The DE registration's owner statement removed: it has no holder left."""
    owner = next(
        q for q in graph.store.quads(ox.NamedNode(DE_REGISTRATION), ox.NamedNode(TM + "owner"))
    )
    graph.store.remove([owner])


WRITES: dict[str, Callable[[KnowledgeGraph, Path], None]] = {
    "load": _load_file,
    "update": _update,
    "add": _add,
    "replace": _replace,
    "staged": _staged,
    "remove": _remove,
}


@pytest.mark.parametrize("how", sorted(WRITES))
def test_no_answer_reads_holdings_of_another_state_of_the_store(
    how: str, store: Path, tmp_path: Path
) -> None:
    """Asked (the projection filled), then the DE registration ended (or its owner removed)
    by each way a store is written: the next answer, in this process and the next, has no
    Lark Two."""
    with _open(store) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
        WRITES[how](graph, tmp_path)
        graph.changed()
        after = _holders(graph)
        assert "Lark Two GmbH" not in after
    with _open(store) as graph:
        assert _holders(graph) == after
    with _open(store, read_only=True) as graph:
        assert _holders(graph) == after


def test_kg_import_and_the_cli_follow_the_store(store: Path, tmp_path: Path) -> None:
    """Processes of their own: an answer, a load of an assignment and of a third holder, the
    answer again (the projection of the first answer is of the old state)."""

    def kg(*arguments: str) -> str:
        return run_kg(*arguments, check=True, env={"KG_STORE": str(store)}).stdout

    before = kg("who-else-uses", "LARKSPUR")
    assert "Lark Three" not in before
    with sqlite3.connect(projection_path_for(str(store))) as db:  # type: ignore[arg-type]
        assert db.execute("SELECT COUNT(*) FROM holdings").fetchone()[0] > 0  # a reader wrote
    assert "Lark Three" not in kg("who-else-uses", "LARKSPUR")  # from the projection
    for text, name in ((ASSIGNED, "assigned.trig"), (MORE, "more.trig")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        kg("load", str(tmp_path / name))
    after = kg("who-else-uses", "LARKSPUR")
    assert "Lark Three SARL" in after
    assert "2020-09-16" in after  # Lark Two's since the assignment


def test_a_reader_opened_before_a_write_reads_its_own_state(store: Path, tmp_path: Path) -> None:
    """A read-only view shows the store as it was when opened: it does not read the rows a
    writer wrote for the state after its write, nor writes rows of its own state then."""
    with _open(store) as writer:
        assert _holders(writer) == ["Lark One Ltd", "Lark Two GmbH"]
        reader = _open(store, read_only=True)
        try:
            assert _holders(reader) == ["Lark One Ltd", "Lark Two GmbH"]
            _update(writer, tmp_path)
            writer.changed()
            assert _holders(writer) == ["Lark One Ltd"]  # the projection now of the new state
            assert _holders(reader) == ["Lark One Ltd", "Lark Two GmbH"]
            reader.changed()
            assert _holders(reader) == ["Lark One Ltd", "Lark Two GmbH"]
            writer.changed()
            assert _holders(writer) == ["Lark One Ltd"]
        finally:
            reader.close()
    with _open(store, read_only=True) as reader:
        assert _holders(reader) == ["Lark One Ltd"]


def test_a_write_that_did_not_finish_trusts_no_projection(store: Path) -> None:
    with _open(store) as graph:
        _holders(graph)
        token = graph.store.write_stamp  # type: ignore[attr-defined]
        assert token
    stamp = stamp_path_for(store)
    stamp.write_text(f"pending {token}\n", encoding="ascii")  # a writer killed mid-write
    with _open(store, read_only=True) as reader:
        assert reader.store.write_stamp is None  # type: ignore[attr-defined]
        assert Analyst(reader).facts._stamp is None
        assert _holders(reader) == ["Lark One Ltd", "Lark Two GmbH"]
    with _open(store) as graph:  # the next writer: a new token
        assert graph.store.write_stamp not in (None, token)  # type: ignore[attr-defined]
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]


def test_every_write_replaces_the_token_even_one_that_fails(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    try:
        seen = [store.write_stamp]
        quad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
        store.add([quad])
        seen.append(store.write_stamp)
        store.add([quad])  # nothing new: nothing written
        assert store.write_stamp == seen[-1]
        store.update("INSERT DATA { <urn:a> <urn:b> 'd' }")
        seen.append(store.write_stamp)
        with pytest.raises(QueryError):
            store.update("INSERT DATA { <urn:a> <urn:b> }")  # malformed: the store unchanged
        seen.append(store.write_stamp)
        store.replace([quad], [])
        seen.append(store.write_stamp)
        with store.staged() as stage:
            assert store.write_stamp is None  # a write under way
            stage.store.add(quad)
        seen.append(store.write_stamp)
        assert None not in seen and len(set(seen)) == len(seen)
    finally:
        store.close()
    in_memory = OxigraphStore(None)
    assert in_memory.write_stamp is None
    in_memory.close()


def _party_reads(facts: FactBase, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """A function giving the store queries `facts` sent since that read parties."""
    sent = _store_queries(facts, monkeypatch)
    return lambda: [q for q in sent if "GRAPH ?g { ?p ?q ?o }" in q]


def test_the_next_process_reads_the_parties_the_first_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hit's holder (name, aliases, types, country) is kept beside the store too: the next
    process names it without reading its records (~200 µs a party at a million marks)."""
    with _open(store) as graph:
        first = [u.party for u in Analyst(graph).who_else_uses("LARKSPUR")]
    with _open(store) as graph:
        facts = Analyst(graph).facts
        reads = _party_reads(facts, monkeypatch)
        again = [u.party for u in Analyst(graph).who_else_uses("LARKSPUR")]
        assert reads() == [] and again == first  # from the projection
        assert [p.name for p in again] == ["Lark One Ltd", "Lark Two GmbH"]
        fresh = FactBase(graph.store).parties(p.id for p in first)  # no projection
        assert {p.id: p for p in again} == fresh


def test_a_party_row_is_dropped_when_its_records_change(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _open(store) as graph:
        Analyst(graph).who_else_uses("LARKSPUR")
        old = next(q for q in graph.store.quads() if q.object == ox.Literal("Lark One Ltd"))
        new = ox.Quad(old.subject, old.predicate, ox.Literal("Lark Uno Ltd"), old.graph_name)
        graph.store.replace([old], [new])  # type: ignore[attr-defined]
    with _open(store) as graph:
        facts = Analyst(graph).facts
        reads = _party_reads(facts, monkeypatch)
        names = sorted(u.party.name for u in Analyst(graph).who_else_uses("LARKSPUR"))
        assert names == ["Lark Two GmbH", "Lark Uno Ltd"]
        (read,) = reads()  # the renamed party read again, the other from its row
        assert "party/lark-one>" in read and "party/lark-two>" not in read


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(os.system),  # a global other than a holding's part
        b"cos\nsystem\n(S'touch PWNED'\ntR.",  # a hand-written call, protocol 0
        b"not a pickle",
        pickle.dumps(("a", 1)),  # a pickle of the wrong shape
    ],
)
def test_a_row_tmkg_did_not_write_is_refused_not_run(
    payload: bytes, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _open(store) as graph:
        _holders(graph)
        larkspur = _mark(Analyst(graph).facts, "LARKSPUR")
    with sqlite3.connect(projection_path_for(str(store))) as db:  # type: ignore[arg-type]
        db.execute("UPDATE holdings SET data = ? WHERE mark = ?", (payload, larkspur))
        db.execute("UPDATE parties SET data = ?", (payload,))
    monkeypatch.chdir(tmp_path)
    with _open(store) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    "schema",
    [
        None,  # not SQLite at all
        "CREATE TABLE holdings (a, b, c); CREATE TABLE state (x);",
        "CREATE VIEW holdings AS SELECT 1 AS mark, 2 AS data;",
        "CREATE TABLE holdings (mark TEXT PRIMARY KEY, data BLOB); CREATE TABLE log (x);"
        "CREATE TRIGGER t AFTER INSERT ON holdings BEGIN INSERT INTO log VALUES (1); END;",
    ],
)
def test_a_file_that_is_not_a_projection_is_made_anew(
    schema: str | None, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = projection_path_for(str(store))
    assert path is not None
    if schema is None:
        path.write_bytes(b"\0not sqlite" * 100)
    else:
        with sqlite3.connect(path) as db:
            db.executescript(schema)
    with _open(store) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
    with _open(store) as graph:  # the file made anew is the projection the next one reads
        facts = Analyst(graph).facts
        reads = _holding_reads(facts, monkeypatch)
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
        assert reads() == []


_EARLIER_LAYOUT = """
CREATE TABLE holdings (mark TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE depends (term INTEGER NOT NULL, mark TEXT NOT NULL,
    PRIMARY KEY (term, mark)) WITHOUT ROWID;
CREATE INDEX depends_by_mark ON depends (mark);
"""


def test_a_projection_of_the_earlier_layout_is_made_anew(store: Path) -> None:
    """The rows of a mark are kept in a table with its rowid (WITHOUT ROWID before
    2026-12-04: a row of ~1.7 KB spilled out of its page, and reading it cost 2-4 times as
    much): a file of that layout is made anew, not read as it is for ever."""
    path = projection_path_for(str(store))
    assert path is not None
    with sqlite3.connect(path) as db:
        db.executescript(_EARLIER_LAYOUT)
    with _open(store) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
    with sqlite3.connect(path) as db:
        layout = db.execute(
            "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = 'holdings'"
        ).fetchone()
        assert layout == (0,)
        assert db.execute("SELECT count(*) FROM holdings").fetchone()[0] >= 1


def test_rows_another_user_signed_are_read_from_the_store(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each user signs the rows with a key of their own: rows signed otherwise (by another
    user of a shared store, or made up) are never unpickled; the store answers."""
    with _open(store) as graph:
        _holders(graph)
    monkeypatch.setattr(holdings_projection, "user_key", lambda: b"k" * 32)
    monkeypatch.setattr("kg.analysis.service.user_key", lambda: b"k" * 32)
    with _open(store) as graph:
        facts = Analyst(graph).facts
        reads = _holding_reads(facts, monkeypatch)
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
        assert reads()


def test_rows_of_another_version_of_tmkg_are_not_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _open(store) as graph:
        _holders(graph)
    holdings_projection._code_key.cache_clear()
    monkeypatch.setattr(holdings_projection, "_code_key", lambda: 12345)
    with _open(store) as graph:
        facts = Analyst(graph).facts
        reads = _holding_reads(facts, monkeypatch)
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]
        assert reads()  # read from the store, not from rows another code wrote


@pytest.fixture
def many_marks(tmp_path: Path) -> Iterator[Path]:
    """A synthetic register on disk (`kg synth`), for answers compared over many marks."""
    from kg.registries.synth import generate

    path = tmp_path / "synthetic"
    with _open(path) as graph:
        graph.store.add(generate(600, seed=5))
        graph.changed()
    yield path


def test_answers_over_a_register_are_those_of_the_store(many_marks: Path) -> None:
    def answers(graph: KnowledgeGraph) -> list[object]:
        analyst = Analyst(graph)
        texts = sorted(set(analyst.facts.marks.values()))[::7]
        return [[u.to_dict() for u in analyst.who_else_uses(text)] for text in texts] + [
            [c.to_dict() for c in analyst.conflicts()]
        ]

    with KnowledgeGraph.open(Settings(memory=True)) as memory:
        from kg.registries.synth import generate

        memory.store.add(generate(600, seed=5))
        memory.changed()
        expected = answers(memory)
    for _ in range(2):  # the projection empty, then filled by the first
        with _open(many_marks) as graph:
            assert answers(graph) == expected


def _changes(
    graph: KnowledgeGraph, part: int = 0, parts: int = 1
) -> Iterator[tuple[str, Callable[[], object]]]:
    """Each statement of the data (not the reference graphs) removed, then added back: every
    kind of node a holding is read from, each way it is linked, touched in turn. With
    `parts` > 1, only the statements `part`, `part + parts`, ... of the sorted data (the
    default run sweeps a share, the slow run every statement: CI's 20-minute budget)."""
    reference = set(REFERENCE_GRAPHS)
    data = [q for q in sorted(graph.store.quads(), key=str) if q.graph_name not in reference]
    for quad in data[part::parts]:
        yield f"remove {quad}", lambda q=quad: graph.store.replace([q], [])  # type: ignore[attr-defined]
        yield f"add {quad}", lambda q=quad: graph.store.add([q])


PROJECTION_SWEEPS = [
    "mark-kinds.trig",
    "priority-claims.trig",
    "ownership.trig",
    "as-of-life.ttl",
    "oppositions.trig",
    "merged-records.trig",
]
# the default run sweeps every eighth statement (a quarter took ~5 s a fixture, the whole
# ~35 s on CI's machine); `-m slow` every statement
SWEEP_RUNS = [
    pytest.param(fixture, (i % 8, 8), id=f"{fixture}-eighth")
    for i, fixture in enumerate(PROJECTION_SWEEPS)
] + [
    pytest.param(fixture, (0, 1), id=f"{fixture}-all", marks=pytest.mark.slow)
    for fixture in PROJECTION_SWEEPS
]


@pytest.mark.parametrize(("fixture", "share"), SWEEP_RUNS)
def test_after_any_one_statement_changes_the_holdings_are_the_store_s(
    fixture: str, share: tuple[int, int], tmp_path: Path
) -> None:
    """A write this process made says what it touched: the rows of the marks that depend on
    those nodes are dropped, the others kept (`HoldingsProjection.catch_up`), and the
    holdings read then are, for every mark, those the store gives without the projection."""
    with _open(tmp_path / "store") as graph:
        graph.load([DATA / fixture])
        kept = 0
        changes = list(_changes(graph, *share))
        for change, write in changes:
            facts = Analyst(graph).facts
            facts.holdings(sorted(facts.marks))  # the projection filled for this state
            write()
            graph.changed()
            facts = Analyst(graph).facts
            facts.catch_up_projection()
            kept += len(facts._projection) > 0  # type: ignore[arg-type]
            marks = sorted(FactBase(graph.store).marks)
            assert facts.holdings(marks) == FactBase(graph.store).holdings(marks), change
            holders = {h.party for h in facts.holdings(marks)}
            assert facts.parties(holders) == FactBase(graph.store).parties(holders), change
        assert kept > len(changes) / 2  # most writes left some marks' rows alone


@pytest.mark.parametrize(
    "statement",
    [
        f"<{DE_REGISTRATION}> <http://www.w3.org/2002/07/owl#sameAs> <urn:x:de> .",
        "<https://w3id.org/tmkg/id/status/cancelled> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "void" .',
        "<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/tmkg/ontology#Party> .",
    ],
)
def test_a_write_of_what_every_holding_reads_drops_every_row(store: Path, statement: str) -> None:
    with _open(store) as graph:
        _holders(graph)
        assert len(Analyst(graph).facts._projection) > 0  # type: ignore[arg-type]
        graph.store.update(f"INSERT DATA {{ GRAPH <{LATER_GRAPH}> {{ {statement} }} }}")
        quads = list(graph.store.quads(graph=ox.NamedNode(LATER_GRAPH)))
        graph.store.replace(quads, [])  # a write that says what it touched: still every row
        graph.store.add(quads)
        graph.changed()
        facts = Analyst(graph).facts
        facts.catch_up_projection()
        assert len(facts._projection) == 0  # type: ignore[arg-type]


def test_kg_import_keeps_the_rows_of_the_marks_it_did_not_touch(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kg import` records what it writes (`kg.registries.sinks.Staged`): after importing a
    USPTO daily file the next process still reads LARKSPUR's holdings from the projection."""
    env = {"KG_STORE": str(store)}
    run_kg("who-else-uses", "LARKSPUR", check=True, env=env)
    run_kg("import", str(DATA / "uspto-daily-sample.xml"), check=True, env=env)
    with _open(store) as graph:
        facts = Analyst(graph).facts
        larkspur = _mark(facts, "LARKSPUR")
        truth = FactBase(graph.store).holdings([larkspur])  # read from the store
        reads = _holding_reads(facts, monkeypatch)
        assert facts.holdings([larkspur]) == truth
        assert reads() == []


UNRELATED = (
    PREFIXES
    + """
graph:kept-unrelated {
    mark:wrenfield a tm:Mark ; tm:text "WRENFIELD" .
    party:wren a tm:Company ; schema:name "Wren Ltd" .
    reg:gb-7100009 a tm:Registration ; tm:mark mark:wrenfield ; tm:owner party:wren ;
        tm:jurisdiction cc:GB ; tm:niceClass nice:25 ; tm:filingDate "2019-01-02"^^xsd:date .
}
"""
)


@pytest.mark.parametrize("touching", [False, True])
def test_kg_load_keeps_the_rows_of_the_marks_it_did_not_touch(
    touching: bool, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file `kg load` streams into a store with data says what it touched: LARKSPUR's row
    stays when the file is about another mark, and goes when it adds a holder of LARKSPUR."""
    env = {"KG_STORE": str(store)}
    run_kg("who-else-uses", "LARKSPUR", check=True, env=env)
    later = tmp_path / "later.trig"
    later.write_text(MORE if touching else UNRELATED, encoding="utf-8")
    run_kg("load", str(later), check=True, env=env)
    with _open(store) as graph:
        facts = Analyst(graph).facts
        larkspur = _mark(facts, "LARKSPUR")
        truth = FactBase(graph.store).holdings([larkspur])
        reads = _holding_reads(facts, monkeypatch)
        assert facts.holdings([larkspur]) == truth
        assert bool(reads()) is touching
        assert len({h.party for h in truth}) == (3 if touching else 2)


def test_a_store_named_by_two_paths_is_one_store(store: Path, tmp_path: Path) -> None:
    """A symlink to the store: one writer lock, one write token, one projection, and a
    staged write through the link writes the store, not a copy in the link's place."""
    link = tmp_path / "link"
    link.symlink_to(store)
    with _open(link) as graph:
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]  # the projection filled
    with _open(store) as graph:
        _staged(graph, tmp_path)  # the DE registration cancelled, through the real path
    with _open(link) as graph:
        assert _holders(graph) == ["Lark One Ltd"]
        _add(graph, tmp_path)
        with graph.store.staged() as stage:  # type: ignore[attr-defined]
            stage.store.add(_quads()[0])
    assert link.is_symlink()
    assert not (tmp_path / ".link.old").exists()
    assert stamp_path_for(store).exists() and not stamp_path_for(link).exists()


STATUS_WORLD = (
    PREFIXES
    + """
graph:status-world {
    mark:zorblax a tm:Mark ; tm:text "ZORBLAX" .
    party:zorblax-corp a tm:Company ; schema:name "Zorblax Corp" .
    reg:us-7100020 a tm:Registration ; tm:mark mark:zorblax ; tm:owner party:zorblax-corp ;
        tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2015-01-05"^^xsd:date ;
        tm:statusCode "999" ; tm:status "Kaput" .
    <https://w3id.org/tmkg/id/class-scheme/odd/later> a tm:MarkStatus ;
        <http://www.w3.org/2004/02/skos/core#broader> status:registered .
}
"""
)
_CS = "https://w3id.org/tmkg/id/class-scheme/odd/"
_SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
STATUS_WRITES = {
    # a status code of the USPTO's scheme named under the class-scheme folder
    "uspto code": f"<{_CS}uspto-999> <{_SKOS_NS}inScheme> <https://w3id.org/tmkg/id/status/uspto> ;"
    f' <{_SKOS_NS}notation> "999" ; <{_SKOS_NS}broadMatch> status:cancelled .',
    # a status typed there, its label the registration's status text
    "status label": f'<{_CS}kaput> a tm:MarkStatus ; <{_SKOS_NS}prefLabel> "Kaput"@en ;'
    f" <{_SKOS_NS}broader> status:cancelled .",
    # a label added to a status that was there already
    "label of a status": f'<{_CS}later> <{_SKOS_NS}prefLabel> "Kaput"@en .',
}


@pytest.mark.parametrize("how", ["load", "add"])
@pytest.mark.parametrize("write", sorted(STATUS_WRITES))
def test_statuses_named_among_the_class_schemes_change_every_holding(
    write: str, how: str, tmp_path: Path
) -> None:
    """A national class's own statements change only the holdings naming it; a status (or a
    USPTO status code) named under the same folder changes any holding's status."""
    world = tmp_path / "status.trig"
    world.write_text(STATUS_WORLD, encoding="utf-8")
    later = tmp_path / "later.trig"
    later.write_text(
        PREFIXES + f"graph:status-later {{ {STATUS_WRITES[write]} }}\n", encoding="utf-8"
    )
    with _open(tmp_path / "store") as graph:
        graph.load([world])
        facts = Analyst(graph).facts
        marks = sorted(facts.marks)
        before = facts.holdings(marks)
        if how == "load":
            graph.load([later])
        else:
            parsed = ox.Dataset(ox.parse(path=str(later), format=ox.RdfFormat.TRIG))
            graph.store.add(list(parsed))
        graph.changed()
        facts = Analyst(graph).facts
        facts.catch_up_projection()
        truth = FactBase(graph.store).holdings(marks)
        assert truth != before  # the write changed the status read
        assert facts.holdings(marks) == truth


@pytest.mark.parametrize("kind", ["garbage", "empty", "symlink", "others may read", "folder"])
def test_a_key_that_is_not_the_users_own_turns_the_projection_off(
    kind: str, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    key = data / "tmkg" / "projection.key"
    key.parent.mkdir(parents=True)
    if kind == "garbage":
        key.write_bytes(b"x" * 100)
    elif kind == "empty":
        key.write_bytes(b"")
    elif kind == "symlink":
        key.symlink_to("/dev/zero")
    elif kind == "others may read":
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
    else:
        key.mkdir()
    key.parent.chmod(0o700)
    assert holdings_projection.user_key() is None
    with _open(store) as graph:
        assert Analyst(graph).facts._projection is None
        assert _holders(graph) == ["Lark One Ltd", "Lark Two GmbH"]


def test_the_key_is_made_once_for_the_user_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    first = holdings_projection.user_key()
    assert first is not None and len(first) == 32
    assert holdings_projection.user_key() == first
    key = tmp_path / "xdg" / "tmkg" / "projection.key"
    assert key.stat().st_mode & 0o777 == 0o600
