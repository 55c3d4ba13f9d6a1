"""The register's conflicts kept between questions (issue 19, `kg.analysis.conflict_memo`): asked
again in the same state of the store, the kept answer; after writes this process made that say
what they touched, only the conflicts of the parties those writes may have changed are searched
again; whatever was written, the answer is the one a whole search gives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import conflict_memo
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst, index_marks
from kg.registries.synth import generate, renamed
from tests.conftest import DATA, PREFIXES
from tests.test_holdings_projection import _changes, _own_data_folder  # noqa: F401

TM = "https://w3id.org/tmkg/ontology#"
SYNTHETIC = "https://w3id.org/tmkg/id/"
STATUS = "https://w3id.org/tmkg/id/status/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def _open(store: Path) -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store_path=store))


class _Searches:
    """Counts the register-wide searches (`Analyst._search` without a focus) and the
    searches of a few parties' conflicts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whole = self.parties = 0
        search = Analyst._search

        def counted(analyst: Analyst, **asked: object) -> object:
            if asked["focus"] is None:
                self.whole += 1
            else:
                self.parties += 1
            return search(analyst, **asked)  # type: ignore[arg-type]

        monkeypatch.setattr(Analyst, "_search", counted)


def _whole(graph: KnowledgeGraph, **asked: object) -> list[ConflictPair]:
    """The conflicts a whole search finds now (none kept)."""
    analyst = Analyst(graph)
    analyst._shared.forget_conflicts()
    graph.changed()
    return list(analyst.conflicts(**asked))  # type: ignore[arg-type]


@pytest.fixture
def register(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    """A synthetic register of 400 marks on disk (`kg synth`)."""
    with _open(tmp_path / "store") as graph:
        graph.store.add(generate(400, seed=3))
        graph.changed()
        index_marks(graph)
        yield graph


def test_asked_again_in_the_same_state_the_kept_answer_is_given(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = _Searches(monkeypatch)
    analyst = Analyst(register)
    first = list(analyst.conflicts())
    assert first and searches.whole == 1
    register.changed()  # a new FactBase for the same state (no write)
    assert list(analyst.conflicts()) == first
    top = analyst.conflicts(top=3)
    assert list(top) == first[:3] and top.total == len(first)
    assert searches.whole == 1 and searches.parties == 0
    first[0] = first[-1]  # the caller's list is its own
    assert next(iter(analyst.conflicts())) != first[-1] or len(first) == 1


def test_another_question_is_searched_whole(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = _Searches(monkeypatch)
    analyst = Analyst(register)
    analyst.conflicts()
    for asked in ({"min_score": 0.7}, {"include_lapsed": True}, {"as_of": "2015-06-01"}):
        assert list(analyst.conflicts(**asked)) == _whole(register, **asked)  # type: ignore[arg-type]
    assert searches.parties == 0


def test_after_more_marks_only_their_parties_are_searched(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = Analyst(register)
    before = list(analyst.conflicts())
    searches = _Searches(monkeypatch)
    register.store.add(list(renamed(generate(40, seed=4), "added")))
    register.changed()
    index_marks(register)
    after = list(analyst.conflicts())
    assert searches.whole == 0 and searches.parties == 1
    assert after == _whole(register)
    assert len(after) > len(before)
    assert set(before) <= set(after)  # new parties, new conflicts: none of the others changed


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _graph_of(graph: KnowledgeGraph, node: str) -> ox.NamedNode:
    rows = graph.store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{node}> ?p ?o }} }} LIMIT 1")
    return next(iter(rows))[0]  # type: ignore[call-overload,index]


def _statements(graph: KnowledgeGraph, node: str, predicate: str) -> list[ox.Quad]:
    return list(graph.store.quads(_node(node), _node(TM + predicate), None))  # type: ignore[attr-defined]


def _abandon(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """A side's registration abandoned (a dead right leaves the conflicts)."""
    holding = next(h for h in conflict.holdings if "/registration/" in h)
    graph.store.add(
        [ox.Quad(_node(holding), _node(TM + "markStatus"), _node(STATUS + "abandoned"),
                 _graph_of(graph, holding))]
    )  # fmt: skip


def _assign(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """The first side's right given to the second side's party (no conflict with itself)."""
    holding = conflict.holdings[0]
    old = [*_statements(graph, holding, "owner"), *_statements(graph, holding, "user")]
    graph.store.replace(  # type: ignore[attr-defined]
        old,
        [ox.Quad(q.subject, q.predicate, _node(conflict.parties[1].id), q.graph_name) for q in old],
    )


def _rename_party(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """The first party's name changed (the order of the list and the names shown change)."""
    party = conflict.parties[0].id
    old = list(graph.store.quads(_node(party), None, None))  # type: ignore[attr-defined]
    named = [q for q in old if isinstance(q.object, ox.Literal)]
    graph.store.replace(  # type: ignore[attr-defined]
        named,
        [ox.Quad(q.subject, q.predicate, ox.Literal("AAA Renamed Holdings"), q.graph_name) for q in named],
    )  # fmt: skip


def _add_class(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """A class added to the first side's right (its class factor may change)."""
    holding = conflict.holdings[0]
    nice = _statements(graph, holding, "niceClass")[0]
    graph.store.add(
        [ox.Quad(nice.subject, nice.predicate, _node(nice.object.value.rsplit("/", 1)[0] + "/45"), nice.graph_name)]  # type: ignore[union-attr]
    )  # fmt: skip


def _retext(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """The first side's mark given a text like no other."""
    mark = conflict.marks[0].id  # type: ignore[union-attr]
    old = _statements(graph, mark, "text")
    graph.store.replace(  # type: ignore[attr-defined]
        old, [ox.Quad(q.subject, q.predicate, ox.Literal("QZXJVW"), q.graph_name) for q in old]
    )


def _sue(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """A case between the two parties of a conflict (its score takes the case bonus)."""
    g = _graph_of(graph, conflict.holdings[0])
    case = _node(SYNTHETIC + "case/memo-test")
    graph.store.add(
        [
            ox.Quad(case, _node(RDF_TYPE), _node(TM + "Case"), g),
            ox.Quad(case, _node(TM + "plaintiff"), _node(conflict.parties[0].id), g),
            ox.Quad(case, _node(TM + "defendant"), _node(conflict.parties[1].id), g),
        ]
    )


def _same_parties(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """The two parties of a conflict said to be one (as `kg load`'s resolution links an
    owner to another of the same name)."""
    g = _graph_of(graph, conflict.holdings[0])
    left, right = (_node(party.id) for party in conflict.parties)
    graph.store.add([ox.Quad(left, _node(SAME_AS), right, g)])


def _same_holder_elsewhere(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """A party of a conflict said to be a party of other rights (its group's conflicts)."""
    left = _node(conflict.parties[0].id)
    others = sorted(
        {q.object.value for q in graph.store.quads(None, _node(TM + "owner"), None)}
        - {party.id for party in conflict.parties}
    )
    g = _graph_of(graph, conflict.holdings[0])
    graph.store.add([ox.Quad(_node(others[len(others) // 2]), _node(SAME_AS), left, g)])


def _same_places(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """Two places said to be one: every right in either reads it."""
    g = _graph_of(graph, conflict.holdings[0])
    places = _node(SYNTHETIC + "jurisdiction/GB"), _node(SYNTHETIC + "jurisdiction/UK")
    graph.store.add([ox.Quad(places[0], _node(SAME_AS), places[1], g)])


EDITS: dict[str, Callable[[KnowledgeGraph, ConflictPair], None]] = {
    "a right abandoned": _abandon,
    "a right assigned to the other side": _assign,
    "a party renamed": _rename_party,
    "a class added to a right": _add_class,
    "a mark given another text": _retext,
    "a case between the parties": _sue,
    "the two parties said to be one": _same_parties,
    "a party said to be another holder": _same_holder_elsewhere,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_an_edit_the_answer_is_a_whole_search_s(
    edit: str, register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = Analyst(register)
    before = list(analyst.conflicts())
    searches = _Searches(monkeypatch)
    EDITS[edit](register, before[0])
    register.changed()
    index_marks(register)
    after = list(analyst.conflicts())
    assert searches.whole == 0, "searched whole: the write's changes should be told"
    assert after == _whole(register)
    assert after != before or edit == "a class added to a right"


def test_writes_that_do_not_say_what_they_touched_are_searched_whole(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = Analyst(register)
    analyst.conflicts()
    searches = _Searches(monkeypatch)
    holding = analyst.conflicts()[0].holdings[0]
    register.store.update(
        f"INSERT {{ GRAPH ?g {{ <{holding}> <{TM}markStatus> <{STATUS}abandoned> }} }} "
        f"WHERE {{ GRAPH ?g {{ <{holding}> <{TM}mark> ?m }} }}"
    )
    register.changed()
    after = list(analyst.conflicts())
    assert searches.whole == 1
    assert after == _whole(register)


SWEEPS = [
    ("as-of-life.ttl", {}),
    ("co-owners.ttl", {}),
    ("party-names.trig", {}),
    ("oppositions.trig", {}),
    ("evidence-conflicts.trig", {}),
    ("conflicting-sources.trig", {}),
    ("ownership.trig", {}),
    ("regional-rights.trig", {}),
    ("ownership.trig", {"include_lapsed": True}),
    ("as-of-life.ttl", {"include_lapsed": True}),
    ("ownership.trig", {"as_of": "2021-06-01"}),
    ("as-of-life.ttl", {"as_of": "2015-01-01"}),
    ("../../seed/aws-case.trig", {}),
    ("merged-records.trig", {}),
    ("merged-records.trig", {"include_lapsed": True}),
    ("merged-records.trig", {}),
]


# The default run sweeps a twelfth of the statements of each (statements k, k + 12, ... for
# the k-th sweep of a fixture, k mod 12: the sweeps of one fixture take different
# statements); `-m slow` sweeps every statement of each (~600 s on CI's machine: more than
# CI's budget leaves; a third took ~350 s of it, a sixth ~120 s).
_SHARE = 12


def _shared_sweeps() -> list[object]:
    """The default run's sweeps: the k-th sweep of a fixture takes share (k mod 12, 12)."""
    runs: list[object] = []
    swept: dict[str, int] = {}
    for fixture, asked in SWEEPS:
        part = swept.get(fixture, 0)
        swept[fixture] = part + 1
        runs.append(
            pytest.param(fixture, asked, (part % _SHARE, _SHARE), id=f"{fixture}-{asked}-twelfth")
        )
    return runs


SWEEP_RUNS = _shared_sweeps() + [
    pytest.param(fixture, asked, (0, 1), id=f"{fixture}-{asked}-all", marks=pytest.mark.slow)
    for fixture, asked in SWEEPS
]


@pytest.mark.parametrize(("fixture", "asked", "share"), SWEEP_RUNS)
def test_after_any_one_statement_changes_the_answer_is_a_whole_search_s(
    fixture: str,
    asked: dict[str, object],
    share: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every statement of the data (or a share of them: `share`) removed then added back,
    one at a time, each answer brought up to date from the kept one and compared with a
    whole search's (however many of the few marks the parties to search again hold)."""
    monkeypatch.setattr(conflict_memo, "SEARCH_SHARE", 1.0)
    searches = _Searches(monkeypatch)
    with _open(tmp_path / "store") as graph:
        graph.load([DATA / fixture])
        analyst = Analyst(graph)
        analyst.conflicts(**asked)  # type: ignore[arg-type]
        told = 0
        changes = list(_changes(graph, *share))
        for change, write in changes:
            whole = searches.whole
            write()
            graph.changed()
            index_marks(graph)
            brought = list(analyst.conflicts(**asked))  # type: ignore[arg-type]
            told += searches.whole == whole
            assert brought == _whole(graph, **asked), change
        assert told > len(changes) / 2  # most writes were followed, not searched whole


def _blank_goods(graph: KnowledgeGraph, conflict: ConflictPair) -> None:
    """Goods and services as a blank node (its statements cannot be asked for by name)."""
    holding = conflict.holdings[1]
    g = _graph_of(graph, holding)
    goods = ox.BlankNode()
    graph.store.add(
        [
            ox.Quad(_node(holding), _node(TM + "goodsServices"), goods, g),
            ox.Quad(goods, _node(TM + "goodsServicesText"), ox.Literal("shoes"), g),
        ]
    )


@pytest.mark.parametrize("edit", [_same_places, _blank_goods])
def test_writes_it_cannot_follow_are_searched_whole(
    edit: Callable[[KnowledgeGraph, ConflictPair], None],
    register: KnowledgeGraph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analyst = Analyst(register)
    before = list(analyst.conflicts())
    searches = _Searches(monkeypatch)
    edit(register, before[0])
    register.changed()
    index_marks(register)
    after = list(analyst.conflicts())
    assert searches.whole == 1 and searches.parties == 0
    assert after == _whole(register)


def test_marks_merged_by_identity_are_kept_and_followed(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marks merged by owl:sameAs (a curator's, as the seed case's records are) no longer
    keep a register from keeping its answer: the merge, and a write to a record of the
    merged group, are followed, the answers those of whole searches."""
    monkeypatch.setattr(conflict_memo, "SEARCH_SHARE", 1.0)
    conflict = next(  # two marks, not two parties holding one mark (a self-link merges none)
        c
        for c in Analyst(register).conflicts()
        if c.marks[0].id != c.marks[1].id  # type: ignore[union-attr]
    )
    left, right = (_node(mark.id) for mark in conflict.marks)  # type: ignore[union-attr]
    analyst = Analyst(register)
    analyst.conflicts()
    searches = _Searches(monkeypatch)
    register.store.add(
        [ox.Quad(left, _node(SAME_AS), right, _graph_of(register, conflict.holdings[0]))]
    )
    register.changed()
    index_marks(register)
    merged = list(analyst.conflicts())
    assert not Analyst(register).facts.identities.alone(left.value)
    assert searches.whole == 0 and searches.parties == 1
    assert merged == _whole(register)
    held = set(conflict.holdings)
    assert any(held & set(c.holdings) for c in merged)  # the write below changes the answer
    searches.whole = 0
    register.store.add(  # every record of the merged group's conflict abandoned
        [
            ox.Quad(
                _node(holding),
                _node(TM + "markStatus"),
                _node(STATUS + "abandoned"),
                _graph_of(register, holding),
            )
            for holding in conflict.holdings
        ]
    )
    register.changed()
    index_marks(register)
    after = list(analyst.conflicts())
    assert searches.whole == 0 and searches.parties == 2
    assert after == _whole(register)
    assert after != merged


def test_bringing_up_to_date_orders_as_a_merge_does(register: KnowledgeGraph) -> None:
    """`brought_up` (slices and binary search) gives `merge_conflicts`' list, and each
    conflict's keys stay beside it."""
    import random

    from kg.analysis.conflict_memo import brought_up, row_keys
    from kg.analysis.conflicts import conflict_rank, merge_conflicts

    analyst = Analyst(register)
    pairs = list(analyst.conflicts())
    kept = analyst._shared.kept_conflicts
    assert kept is not None and len(pairs) > 20
    everyone = sorted({holder for holders in kept.holders for holder in holders})
    rng = random.Random(7)
    for size in (0, 1, 5, len(everyone) // 2):
        parties = set(rng.sample(everyone, size))
        fresh = sorted(rng.sample(pairs, 12), key=conflict_rank)  # some equal to kept ones
        got, nodes, holders = brought_up(kept, parties, fresh)
        left = [p for p in pairs if parties.isdisjoint(row_keys(p)[1])]
        assert got == merge_conflicts([left, fresh])
        assert nodes == [row_keys(p)[0] for p in got]
        assert holders == [row_keys(p)[1] for p in got]


ID = "https://w3id.org/tmkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _relate_25_28(graph: KnowledgeGraph) -> None:
    """A class relatedness stated in a user's graph (read from every graph)."""
    g, node = _node(ID + "graph/inpi-fr"), _node(ID + "relatedness/test-25-28")
    graph.store.add(
        [
            ox.Quad(node, _node(RDF_TYPE), _node(TM + "ClassRelatedness"), g),
            ox.Quad(node, _node(TM + "relates"), _node(ID + "nice/25"), g),
            ox.Quad(node, _node(TM + "relates"), _node(ID + "nice/28"), g),
            ox.Quad(
                node, _node(TM + "strength"), ox.Literal("0.9", datatype=_node(XSD + "decimal")), g
            ),
        ]
    )


def _france_leaves_the_eu(graph: KnowledgeGraph) -> None:
    """A membership of a regional system ended in a user's graph (read from every graph)."""
    graph.store.add(
        [
            ox.Quad(
                _node(ID + "membership/EM-FR-1996-04-01"),
                _node(TM + "memberUntil"),
                ox.Literal("2019-01-01", datatype=_node(XSD + "date")),
                _node(ID + "graph/euipo-eutm"),
            )
        ]
    )


@pytest.mark.parametrize("edit", [_relate_25_28, _france_leaves_the_eu])
def test_facts_every_conflict_reads_are_searched_whole(
    edit: Callable[[KnowledgeGraph], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Class relatedness and memberships of regional systems are read from every graph:
    a change to them changes any conflict, so the whole register is searched again."""
    with _open(tmp_path / "store") as graph:
        graph.load([DATA / "regional-rights.trig"])
        registration, g = _node(ID + "registration/fr-4712345"), _node(ID + "graph/inpi-fr")
        graph.store.replace(  # type: ignore[attr-defined]
            [ox.Quad(registration, _node(TM + "niceClass"), _node(ID + "nice/25"), g)],
            [ox.Quad(registration, _node(TM + "niceClass"), _node(ID + "nice/28"), g)],
        )
        if edit is _france_leaves_the_eu:  # the French right back in class 25: it meets
            graph.store.replace(  # type: ignore[attr-defined]
                [ox.Quad(registration, _node(TM + "niceClass"), _node(ID + "nice/28"), g)],
                [ox.Quad(registration, _node(TM + "niceClass"), _node(ID + "nice/25"), g)],
            )
        graph.changed()
        analyst = Analyst(graph)
        before = list(analyst.conflicts())
        searches = _Searches(monkeypatch)
        edit(graph)
        graph.changed()
        after = list(analyst.conflicts())
        assert searches.whole == 1
        assert after == _whole(graph) and after != before


CO_OWNED = (
    PREFIXES
    + """
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix source: <https://w3id.org/tmkg/id/source/> .
source:t a tm:Source ; dcterms:title "co-owned rights" .
graph:t a tm:SourceGraph ; prov:wasDerivedFrom source:t .
graph:t {
  party:aaron a tm:Company ; schema:name "Aaron Co" .
  party:zed a tm:Company ; schema:name "Zed Co" .
  party:quill a tm:Company ; schema:name "Quill Co" .
  mark:r a tm:Mark ; tm:text "VELORANS" .  mark:t a tm:Mark ; tm:text "VELORA" .
  mark:s a tm:Mark ; tm:text "VELORA" .  mark:u a tm:Mark ; tm:text "OMEGATRONIX" .
  reg:r a tm:Registration ; tm:mark mark:r ; tm:owner party:zed , party:aaron ;
    tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:filingDate "2015-01-01"^^xsd:date ;
    tm:registrationDate "2016-01-01"^^xsd:date ; tm:markStatus status:registered .
  reg:t a tm:Registration ; tm:mark mark:t ; tm:owner party:aaron ; tm:jurisdiction cc:US ;
    tm:niceClass nice:25 ; tm:filingDate "2015-01-01"^^xsd:date ;
    tm:registrationDate "2016-01-01"^^xsd:date ; tm:markStatus status:registered .
  reg:s a tm:Registration ; tm:mark mark:s ; tm:owner party:quill ; tm:jurisdiction cc:US ;
    tm:niceClass nice:25 ; tm:filingDate "2017-01-01"^^xsd:date ;
    tm:registrationDate "2018-01-01"^^xsd:date ; tm:markStatus status:registered .
  reg:u a tm:Registration ; tm:mark mark:u ; tm:owner party:zed ; tm:jurisdiction cc:US ;
    tm:niceClass nice:9 ; tm:filingDate "2015-01-01"^^xsd:date ;
    tm:registrationDate "2016-01-01"^^xsd:date ; tm:markStatus status:registered .
}
"""
)


CO_ASSIGNED = (
    CO_OWNED.replace(
        "tm:owner party:zed , party:aaron ;",
        "tm:owner party:old ;",
    )
    .replace(
        "party:quill a tm:Company ;",
        """event:a1 a tm:Assignment ; tm:registration reg:r ; tm:assignor party:old ;
    tm:assignee party:zed , party:aaron ; tm:date "2010-01-01"^^xsd:date .
  party:old a tm:Company ; schema:name "Old Co" .
  party:quill a tm:Company ;""",
    )
    .replace(
        "@prefix status:",
        "@prefix event: <https://w3id.org/tmkg/id/event/> . @prefix status:",
    )
)


@pytest.mark.parametrize("world", [CO_OWNED, CO_ASSIGNED], ids=["by its record", "by assignment"])
def test_a_co_owner_s_conflicts_are_searched_over_all_its_marks(
    world: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zed Co's other mark changes, so Zed Co is searched again; the right it co-owns with
    Aaron Co names whichever co-owner's best pair with Quill Co scores most, which for Aaron
    Co is over a mark Zed Co does not hold: Aaron Co is searched too."""
    monkeypatch.setattr(conflict_memo, "SEARCH_SHARE", 1.0)
    path = tmp_path / "co-owned.trig"
    path.write_text(world, encoding="utf-8")
    with _open(tmp_path / "store") as graph:
        graph.load([path])
        analyst = Analyst(graph)
        analyst.conflicts()
        searches = _Searches(monkeypatch)
        other, g = _node(ID + "registration/u"), _node(ID + "graph/t")
        graph.store.replace(  # type: ignore[attr-defined]
            [ox.Quad(other, _node(TM + "niceClass"), _node(ID + "nice/9"), g)],
            [ox.Quad(other, _node(TM + "niceClass"), _node(ID + "nice/10"), g)],
        )
        graph.changed()
        after = list(analyst.conflicts())
        assert searches.whole == 0
        assert after == _whole(graph)
        assert [(c.parties[0].name, c.parties[1].name) for c in after] == [
            ("Aaron Co", "Quill Co"),
            ("Quill Co", "Zed Co"),
        ]


def test_identities_of_parties_are_followed(
    register: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """owl:sameAs between courts (parties of cases only, as `kg load`'s resolution links
    them), or between holders of rights, then taken back: searched for those parties, not
    the whole register; the answer a whole search's."""
    monkeypatch.setattr(conflict_memo, "SEARCH_SHARE", 1.0)  # however many marks they hold
    analyst = Analyst(register)
    analyst.conflicts()
    searches = _Searches(monkeypatch)
    same = ox.NamedNode(SAME_AS)
    graph = ox.NamedNode(SYNTHETIC + "graph/resolution")
    court = ox.NamedNode(SYNTHETIC + "party/synthetic-court-cn")
    holder = ox.NamedNode(analyst.conflicts()[0].parties[0].id)
    other = ox.NamedNode(analyst.conflicts()[-1].parties[1].id)
    links = [
        ox.Quad(ox.NamedNode(SYNTHETIC + "party/other-court"), same, court, graph),
        ox.Quad(holder, same, other, graph),
    ]
    wholes = 0
    for link in links:
        for write in (register.store.add, lambda quads: register.store.replace(quads, [])):
            write([link])
            register.changed()
            found = list(analyst.conflicts())
            assert searches.whole == wholes, f"searched whole after {link}"
            assert found == _whole(register)
            wholes += 1  # _whole's own
