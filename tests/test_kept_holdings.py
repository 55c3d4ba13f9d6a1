"""The holdings of a question's marks kept for the next questions (issue 19,
`FactBase.marks_holdings`): the same holdings `FactBase.holdings` reads, in the same order,
whatever was asked before and however few are kept; a mark whose registration has several IRIs
(owl:sameAs) is read again each time; and an answer follows the graph once it changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.facts import FactBase
from kg.analysis.service import Analyst
from tests.conftest import DATA, PREFIXES

# LARKSPUR: two registrations with one IRI each (kept); HERONSAY: a registration named by two
# IRIs in two sources (read again each time)
WORLD = (
    PREFIXES
    + """
graph:kept-office {
    mark:larkspur a tm:Mark ; tm:text "LARKSPUR" .
    mark:heronsay a tm:Mark ; tm:text "HERONSAY" .
    party:lark-one a tm:Company ; schema:name "Lark One Ltd" .
    party:lark-two a tm:Company ; schema:name "Lark Two GmbH" .
    party:heron a tm:Company ; schema:name "Heron Goods Inc." .
    reg:us-7100001 a tm:Registration ; tm:mark mark:larkspur ; tm:owner party:lark-one ;
        tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:registrationNumber "7100001" ;
        tm:filingDate "2015-01-05"^^xsd:date ; tm:registrationDate "2016-02-01"^^xsd:date .
    reg:de-7100002 a tm:Registration ; tm:mark mark:larkspur ; tm:owner party:lark-two ;
        tm:jurisdiction cc:DE ; tm:niceClass nice:18 ; tm:registrationNumber "7100002" ;
        tm:filingDate "2017-03-01"^^xsd:date .
    reg:us-7100003 a tm:Registration ; tm:mark mark:heronsay ; tm:owner party:heron ;
        tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:registrationNumber "7100003" ;
        tm:filingDate "2012-06-01"^^xsd:date .
}

graph:kept-gazette {
    reg:gazette-7100003 a tm:Registration ; tm:mark mark:heronsay ; tm:owner party:heron ;
        tm:jurisdiction cc:US ; tm:registrationDate "2013-01-08"^^xsd:date ;
        owl:sameAs reg:us-7100003 .
}
"""
)

# LARKSPUR's US registration assigned to Lark Two, loaded after the first answers
ASSIGNED = (
    PREFIXES
    + """
@prefix event: <https://w3id.org/tmkg/id/event/> .
graph:kept-assignments {
    event:asgn-7100001 a tm:Assignment ; tm:registration reg:us-7100001 ;
        tm:assignor party:lark-one ; tm:assignee party:lark-two ;
        tm:date "2020-09-16"^^xsd:date .
}
"""
)

# a third holder of LARKSPUR, loaded after the first answers
MORE = (
    PREFIXES
    + """
graph:kept-later {
    party:lark-three a tm:Company ; schema:name "Lark Three SARL" .
    use:lark-three-fr a tm:Use ; tm:mark mark:larkspur ; tm:user party:lark-three ;
        tm:jurisdiction cc:FR ; tm:niceClass nice:25 ; tm:startDate "2019-04-01"^^xsd:date .
}
"""
)

FIXTURES = [
    "as-of-life.ttl",
    "conflicting-sources.trig",
    "ownership.trig",
    "regional-rights.trig",
    "oppositions.trig",
    "mark-kinds.trig",
    "priority-claims.trig",
]


def _graph(*paths: Path) -> KnowledgeGraph:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load(list(paths))
    return graph


@pytest.fixture
def world(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    path = tmp_path / "kept.trig"
    path.write_text(WORLD, encoding="utf-8")
    graph = _graph(path)
    yield graph
    graph.close()


def _store_queries(facts: FactBase, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries `facts` sends its store from now on."""
    sent: list[str] = []
    query = facts.store.query

    def counted(sparql: str, **options: object):  # type: ignore[no-untyped-def]
        sent.append(sparql)
        return query(sparql, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(facts.store, "query", counted)
    return sent


def _mark(facts: FactBase, text: str) -> str:
    return next(iri for iri, t in facts.marks.items() if t == text)


@pytest.mark.parametrize("kept", [FactBase.HOLDINGS_KEPT, 2, 0])
@pytest.mark.parametrize("fixture", FIXTURES)
def test_kept_holdings_are_the_holdings_read(fixture: str, kept: int) -> None:
    """Each mark alone, with its neighbour and all together, cold and then warm, with room
    for every holding, for two or for none: always the list `holdings` reads."""
    graph = _graph(DATA / fixture)
    try:
        facts = Analyst(graph).facts
        facts.HOLDINGS_KEPT = kept
        marks = sorted(facts.marks)
        asked = [[m] for m in marks] + [marks[i : i + 2] for i in range(len(marks))] + [marks]
        for _ in range(2):
            for wanted in asked:
                assert facts.marks_holdings(wanted) == facts.holdings(wanted), wanted
    finally:
        graph.close()


def test_a_mark_asked_again_reads_nothing(
    world: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = Analyst(world).facts
    larkspur = _mark(facts, "LARKSPUR")
    first = facts.marks_holdings([larkspur])
    assert [h.party.rsplit("/", 1)[1] for h in first] == ["lark-two", "lark-one"]
    sent = _store_queries(facts, monkeypatch)
    assert facts.marks_holdings([larkspur]) == first
    assert sent == []


def test_a_mark_whose_registration_has_two_iris_is_read_each_time(
    world: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its record merges the statements of the IRIs the marks asked find, so it is not kept."""
    facts = Analyst(world).facts
    heronsay = _mark(facts, "HERONSAY")
    first = facts.marks_holdings([heronsay])
    assert [(h.registration_number, h.registration_date) for h in first] == [
        ("7100003", "2013-01-08")
    ]
    sent = _store_queries(facts, monkeypatch)
    assert facts.marks_holdings([heronsay]) == first == facts.holdings([heronsay])
    assert sent  # read again


def test_the_marks_used_longest_ago_are_dropped_first(
    world: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = Analyst(world).facts
    facts.HOLDINGS_KEPT = 2  # LARKSPUR's two holdings
    larkspur, heronsay = _mark(facts, "LARKSPUR"), _mark(facts, "HERONSAY")
    facts.marks_holdings([larkspur])
    sent = _store_queries(facts, monkeypatch)
    facts.marks_holdings([larkspur])
    assert sent == []
    facts.HOLDINGS_KEPT = 1  # too few for LARKSPUR's two: it is dropped when the next is kept
    facts.marks_holdings([heronsay])
    sent.clear()
    assert facts.marks_holdings([larkspur]) == facts.holdings([larkspur])
    assert sent


def test_an_answer_follows_the_graph_when_it_changes(world: KnowledgeGraph, tmp_path: Path) -> None:
    """A load makes a new FactBase: the holdings kept for the old one are not read."""
    analyst = Analyst(world)

    def holders() -> list[str]:
        return sorted(u.party.name for u in analyst.who_else_uses("LARKSPUR"))

    assert holders() == ["Lark One Ltd", "Lark Two GmbH"]
    assert holders() == ["Lark One Ltd", "Lark Two GmbH"]  # from the holdings kept
    later = tmp_path / "later.trig"
    later.write_text(MORE, encoding="utf-8")
    world.load([later])
    assert holders() == ["Lark One Ltd", "Lark Three SARL", "Lark Two GmbH"]
    # a registration ended by an update: gone from the answer of the next FactBase
    world.store.update(
        """PREFIX tm: <https://w3id.org/tmkg/ontology#>
           INSERT DATA { GRAPH <https://w3id.org/tmkg/id/graph/kept-later> {
             <https://w3id.org/tmkg/id/registration/de-7100002>
               tm:markStatus <https://w3id.org/tmkg/id/status/cancelled> ;
               tm:statusDate "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> } }"""
    )
    world.changed()
    assert holders() == ["Lark One Ltd", "Lark Three SARL"]


def test_no_query_for_changes_of_owner_where_none_is_recorded(
    world: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store where nothing is the tm:registration of a change is asked so once per
    FactBase; after a load that records one, the change is read and counts."""
    facts = Analyst(world).facts
    heronsay = _mark(facts, "HERONSAY")  # read again each time (its two IRIs)
    facts.marks_holdings([heronsay])
    sent = _store_queries(facts, monkeypatch)
    facts.marks_holdings([heronsay])
    assert len(sent) == 1  # its holdings, no query for changes of owner
    assigned = tmp_path / "assigned.trig"
    assigned.write_text(ASSIGNED, encoding="utf-8")
    world.load([assigned])
    facts = Analyst(world).facts
    larkspur = _mark(facts, "LARKSPUR")
    owned = {h.id.rsplit("/", 1)[1]: h.ownership for h in facts.marks_holdings([larkspur])}
    assert [c.id.rsplit("/", 1)[1] for c in owned["us-7100001"]] == ["asgn-7100001"]
    assert owned["de-7100002"] == ()
    assert facts.marks_holdings([larkspur]) == facts.holdings([larkspur])
    holders = {(u.party.name, u.since) for u in Analyst(world).who_else_uses("LARKSPUR")}
    assert ("Lark Two GmbH", "2020-09-16") in holders
