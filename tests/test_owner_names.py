"""One party holding two marks in two scripts, each one of its names, makes the two marks one
brand's (`kg.analysis.owner_names`; issue 15: "translation evidence from the graph itself ...
the same owner holding both marks"): who-else-uses asked about either finds the marks of the
other, conflicts pair their holders, each citing the names and holdings it rests on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.owner_names import OWNER_REASON, OWNER_SCORE
from kg.analysis.service import Analyst
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.provenance_support import check_answer

FIXTURE = DATA / "owner-names.trig"
NAMES = "https://w3id.org/tmkg/id/graph/owner-names-fictional"
REGISTER = "https://w3id.org/tmkg/id/graph/owner-register-fictional"
PARTY = "https://w3id.org/tmkg/id/party/"
ALTERNATE = "https://schema.org/alternateName"

graph, store, graphql = fixture_world(FIXTURE)


def _hits(analyst: Analyst, text: str, nice_class: int, place: str | None = "CN") -> dict:
    found = analyst.who_else_uses(text, nice_class, place)
    return {(h.party.name, h.mark.text): h for h in found}


@pytest.mark.parametrize(
    ("asked", "holder", "found"),
    [
        ("VELMORA", "Xinglan Trading Co., Ltd.", "星岚"),
        ("Velmora", "Xinglan Trading Co., Ltd.", "星岚"),
        ("星岚", "Velmora Group Ltd.", "VELMORA"),
    ],
)
def test_either_mark_finds_the_marks_of_the_other(
    graph: KnowledgeGraph, asked: str, holder: str, found: str
) -> None:
    analyst = Analyst(graph)
    hits = _hits(analyst, asked, 9)
    hit = hits[holder, found]
    assert hit.similarity == OWNER_SCORE and hit.reasons[0] == OWNER_REASON
    # it cites the alternate name showing the Chinese mark, and the names graph is a source
    said = [s for s in hit.statements if s.facts[0][0] == ALTERNATE]
    assert [(s.subject, s.facts[0][1], s.sources) for s in said] == [
        (f"{PARTY}velmora", "星岚集团有限公司", (NAMES,))
    ]
    assert NAMES in {ref.graph for ref in hit.sources}
    assert check_answer(graph, analyst.facts, list(hits.values())) == []


@pytest.mark.parametrize(
    ("asked", "nice_class", "not_found"),
    [
        ("ORION", 29, "天马"),  # 天马 is not Orion's name
        ("NIMBUS", 9, "云端"),  # neither is in Velmora's names
        ("云端", 9, "NIMBUS"),
        ("KESTREL", 12, "隼鹰"),  # a party named in Latin letters only
    ],
)
def test_marks_that_are_not_the_holders_names_pair_nothing(
    graph: KnowledgeGraph, asked: str, nice_class: int, not_found: str
) -> None:
    hits = _hits(Analyst(graph), asked, nice_class)
    assert not [h for h in hits.values() if h.mark.text == not_found]
    assert all(OWNER_REASON not in h.reasons for h in hits.values())


def test_conflicts_pair_the_holders_through_the_names(graph: KnowledgeGraph) -> None:
    conflicts = Analyst(graph).conflicts(jurisdiction="CN")
    (found,) = [c for c in conflicts if OWNER_REASON in c.reasons[0]]
    assert {p.name for p in found.parties} == {"Velmora Group Ltd.", "Xinglan Trading Co., Ltd."}
    assert {m.text for m in found.marks if m} == {"VELMORA", "星岚"}
    assert "one party holds 'VELMORA' and '星岚', each in one of its names" in found.reasons
    assert any(s.facts[0][0] == ALTERNATE and s.sources == (NAMES,) for s in found.statements)
    # who-else-uses, asked about either side's mark there, names the other holder
    for mark, other in zip(found.marks, reversed(found.parties), strict=True):
        assert mark is not None
        hits = Analyst(graph).who_else_uses(mark.text, jurisdiction="CN")
        assert other.id in {h.party.id for h in hits}


def test_without_the_names_the_marks_do_not_meet(tmp_path: Path) -> None:
    opened = KnowledgeGraph.open(Settings(memory=True))
    try:
        opened.load([FIXTURE])
        opened.store.update(f"DROP GRAPH <{NAMES}>")
        opened.changed()
        analyst = Analyst(opened)
        assert ("Xinglan Trading Co., Ltd.", "星岚") not in _hits(analyst, "VELMORA", 9)
        assert all(OWNER_REASON not in c.reasons[0] for c in analyst.conflicts())
    finally:
        opened.close()


def test_the_cli_says_why(store: Path) -> None:
    result = run_kg(
        "who-else-uses", "VELMORA", "--class", "9", "--jurisdiction", "CN", "--store", store,
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    (row,) = [r for r in rows if r["mark"]["text"] == "星岚"]
    assert row["reasons"][0] == OWNER_REASON


def test_the_kept_conflicts_read_back_with_the_parties_aliases(store: Path) -> None:
    """helper-125: the second `kg conflicts` failed ("a shared value of no kind this file
    keeps") once a party had aliases (their statements, kept in the conflicts file)."""
    first, again = (run_kg("conflicts", "--store", store, "--format", "json") for _ in range(2))
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    assert json.loads(first.stdout) == json.loads(again.stdout)


@pytest.mark.parametrize(
    ("mark", "name", "shown"),
    [
        ("腾讯", "腾讯控股有限公司", True),  # Chinese writes no spaces: inside a word
        ("한벨", "한벨 전자 주식회사", True),
        ("МИР", "ООО Мир Моды", True),
        ("МИР", "ООО Мираж Фэшн", False),  # helper-125: inside a longer word
        ("벨전", "한벨 전자 주식회사", False),  # across two words
        ("サクラ", "サクラバ株式会社", False),  # kana inside a longer word
        ("有限公司", "腾讯控股有限公司", False),  # a legal form, no distinctive word
        ("AMAZON", "Amazon.com Inc.", True),
        ("NOVA", "Novatek Ltd.", False),
    ],
)
def test_a_mark_is_in_a_name_as_its_words(mark: str, name: str, shown: bool) -> None:
    from kg.analysis.owner_names import in_names

    assert (in_names(mark, [name]) == name) is shown


def test_an_earlier_state_s_holding_is_no_evidence() -> None:
    """helper-125 #2: a holding of an older file (a version node) counted as the party's:
    here Velmora held 极光 only in a superseded state, and its names show 极光."""
    opened = KnowledgeGraph.open(Settings(memory=True))
    try:
        opened.load([FIXTURE])
        ids, onto = "https://w3id.org/tmkg/id/", "https://w3id.org/tmkg/ontology#"
        opened.store.update(
            f"""INSERT DATA {{
              GRAPH <{NAMES}> {{ <{PARTY}velmora> <{ALTERNATE}> "极光电子有限公司"@zh }}
              GRAPH <{REGISTER}> {{
                <{ids}mark/jiguang> a <{onto}Mark> ; <{onto}text> "极光" .
                <{ids}registration/cn-velmora~old> a <{onto}RegisterRecordVersion> ;
                  <{onto}owner> <{PARTY}velmora> ; <{onto}mark> <{ids}mark/jiguang> .
                <{PARTY}aurora> a <{onto}Company> ; <https://schema.org/name> "Aurora Co."@en .
                <{ids}registration/cn-aurora> a <{onto}Registration> ;
                  <{onto}mark> <{ids}mark/jiguang> ; <{onto}owner> <{PARTY}aurora> ;
                  <{onto}jurisdiction> <{ids}jurisdiction/CN> ; <{onto}niceClass> <{ids}nice/9> ;
                  <{onto}applicationNumber> "71000099" .
              }} }}"""
        )
        opened.changed()
        hits = _hits(Analyst(opened), "VELMORA", 9)
        assert ("Aurora Co.", "极光") not in hits
        assert ("Xinglan Trading Co., Ltd.", "星岚") in hits
    finally:
        opened.close()


def test_the_evidence_cites_which_mark_each_holding_is_of(graph: KnowledgeGraph) -> None:
    """helper-125 #6: the holdings were cited by their owner only, not by their mark."""
    hit = _hits(Analyst(graph), "VELMORA", 9)["Xinglan Trading Co., Ltd.", "星岚"]
    marks = {
        (s.subject.rsplit("/", 1)[-1], s.facts[0][1].rsplit("/", 1)[-1])
        for s in hit.statements
        if s.facts[0][0].endswith("#mark")
    }
    assert {("cn-velmora", "velmora"), ("cn-velmora-xinglan", "xinglan")} <= marks
