"""Priority to a mark can go to another, similar mark's holder, and to co-owners together: the
answer says which (session-15 trial: 力安莎 took priority to LANXESS in silence; a co-owner
of the winning registration was listed as its own competitor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.registries.importer import import_registry

HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
ROWS = (
    "7 STARS,Early Bird Ltd,9,GB,2019-03-01,,UK1,registered\n"
    "SEVEN STARS,Late Comer Ltd,9,GB,2020-05-01,,UK2,registered\n"
    "NORTHWIND,Alpha Co.|Beta Co.,9,GB,2018-01-01,,UK3,registered\n"
    "NORTH WIND,Gamma Co.,9,GB,2021-01-01,,UK4,registered\n"
)


def _imported(folder: Path, rows: str) -> KnowledgeGraph:
    """A store in memory holding the register of CSV `rows` (under `HEADER`)."""
    path = folder / "register.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [path])
    return graph


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Analyst:
    return Analyst(_imported(tmp_path_factory.mktemp("priority"), ROWS))


def test_a_similar_marks_holder_is_named_with_how_similar(analyst: Analyst) -> None:
    found = analyst.priority("SEVEN STARS", 9, "GB")
    assert found.holder is not None and found.holder.name == "Early Bird Ltd"
    assert (
        "of '7 STARS' (GB, class 9; a mark similar to 'SEVEN STARS' (numeral 0.95), not the same)"
        in found.explanation
    )


def test_the_same_mark_says_nothing_more(analyst: Analyst) -> None:
    found = analyst.priority("7 STARS", 9, "GB")
    assert "a mark similar to" not in found.explanation
    later = [c for c in found.competing_claims if c.party.name == "Late Comer Ltd"]
    assert later and "a mark similar to '7 STARS' (numeral 0.95)" in later[0].description


def test_co_owners_hold_priority_together_and_do_not_compete(analyst: Analyst) -> None:
    found = analyst.priority("NORTHWIND", 9, "GB")
    assert "jointly with" in found.explanation
    assert "Alpha Co." in found.explanation and "Beta Co." in found.explanation
    assert {c.party.name for c in found.competing_claims} == {"Gamma Co."}
    # every structured output names both, not one co-owner (session-16 trial)
    assert [p.name for p in found.holders] == ["Alpha Co.", "Beta Co."]
    assert found.holder == found.holders[0]
    assert "goes to Alpha Co. jointly with Beta Co." in found.explanation


@pytest.mark.parametrize(
    ("mark", "jurisdiction", "said"),
    [
        # no rule known for RO: the only right expired (a trial of 2026-12-06, OSIM's MSR)
        ("QUORVEL", "RO", "no dated filing or use in force is recorded (1 right ended"),
        # a first-to-file rule, two dead rights
        (
            "ZANTRIX",
            "CN",
            "of 'ZANTRIX' in class 9 (or a related class) in CN in force is recorded (2 rights ended",
        ),
    ],
)
def test_a_mark_whose_rights_all_ended_is_not_said_to_have_none(
    tmp_path: Path, mark: str, jurisdiction: str, said: str
) -> None:
    rows = (
        "QUORVEL,Old Owner SRL,9,RO,2012-01-10,2012-06-01,RO1,expired\n"
        "ZANTRIX,First Co.,9,CN,2010-01-10,2011-01-01,CN1,expired\n"
        "ZANTRIX,Second Co.,9,CN,2013-01-10,,CN2,abandoned\n"
    )
    graph = _imported(tmp_path, rows)
    try:
        analyst = Analyst(graph)
        found = analyst.priority(mark, 9, jurisdiction)
        assert found.holder is None and said in found.explanation
        assert "include lapsed rights to see" in found.explanation
        listed = analyst.priority(mark, 9, jurisdiction, include_lapsed=True)
        assert said.split(" (")[0] in listed.explanation
        assert "ended by the date asked, listed below" in listed.explanation
        assert listed.competing_claims  # the dead rights, listed
    finally:
        graph.close()


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        # two co-owners of one right: one right ended, not two (helper-121)
        ("VELMORA,Delta SRL|Epsilon SRL,9,RO,2003-01-10,2004-01-10,R3,expired\n", "(1 right ended"),
        # a figurative mark with no verbal element is no right of the mark asked
        (
            "VELMORA,Zeta SRL,9,RO,2005-01-10,2006-01-10,R4,expired\n"
            "DEVICE ONLY,Zeta SRL,9,RO,2005-01-10,2006-01-10,R5,expired\n",
            "(1 right ended",
        ),
        # a right of another class or place is not counted
        (
            "VELMORA,Eta SRL,9,RO,2005-01-10,2006-01-10,R6,expired\n"
            "VELMORA,Theta SRL,30,RO,2005-01-10,2006-01-10,R7,expired\n"
            "VELMORA,Iota Ltd,9,GB,2005-01-10,2006-01-10,UK7,expired\n",
            "(1 right ended",
        ),
    ],
)
def test_the_rights_that_ended_are_counted_once_each(tmp_path: Path, rows: str, said: str) -> None:
    graph = _imported(tmp_path, rows)
    try:
        found = Analyst(graph).priority("VELMORA", 9, "RO", as_of="2020")
        assert said in found.explanation, found.explanation
    finally:
        graph.close()


OWNERS = """\
@prefix tm: <https://w3id.org/tmkg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix id: <https://w3id.org/tmkg/id/> .
id:source\\/po a tm:Source ; dcterms:title "owners over time" ; tm:sourceKind "secondary" .
id:graph\\/po a tm:SourceGraph ; prov:wasDerivedFrom id:source\\/po .
id:graph\\/po {
  id:party\\/old a tm:Company ; schema:name "Old Co." .
  id:party\\/new a tm:Company ; schema:name "New Inc." .
  id:mark\\/a a tm:Mark ; tm:text "ACMEZOR" .
  id:registration\\/a a tm:Registration ; tm:mark id:mark\\/a ; tm:owner id:party\\/new ;
    tm:jurisdiction id:jurisdiction\\/US ; tm:niceClass id:nice\\/9 ; tm:registrationNumber "A1" ;
    tm:filingDate "2000-01-05"^^xsd:date ; tm:registrationDate "2001-01-05"^^xsd:date ;
    tm:status "Expired" ; tm:statusDate "2015-01-05"^^xsd:date .
  id:event\\/a a tm:Assignment ; tm:registration id:registration\\/a ; tm:assignor id:party\\/old ;
    tm:assignee id:party\\/new ; tm:date "2010-06-01"^^xsd:date .
  id:mark\\/b a tm:Mark ; tm:text "BOLTRANO" .
  id:registration\\/b a tm:Registration ; tm:mark id:mark\\/b ; tm:owner id:party\\/new ;
    tm:jurisdiction id:jurisdiction\\/RO ; tm:niceClass id:nice\\/9 ; tm:registrationNumber "B1" .
  id:event\\/b a tm:Assignment ; tm:registration id:registration\\/b ; tm:assignor id:party\\/old ;
    tm:assignee id:party\\/new ; tm:date "2015-06-01"^^xsd:date .
  id:mark\\/g a tm:Mark ; tm:text "GALEVANTO" .
  id:registration\\/g a tm:Registration ; tm:mark id:mark\\/g ; tm:owner id:party\\/old ;
    tm:jurisdiction id:jurisdiction\\/US ; tm:niceClass id:nice\\/9 ; tm:registrationNumber "G1" ;
    tm:filingDate "2000-01-05"^^xsd:date ; tm:registrationDate "2001-01-05"^^xsd:date .
  id:event\\/g1 a tm:Assignment ; tm:registration id:registration\\/g ; tm:assignor id:party\\/old ;
    tm:assignee id:party\\/new ; tm:date "2005-06-01"^^xsd:date .
  id:event\\/g2 a tm:Assignment ; tm:registration id:registration\\/g ; tm:assignor id:party\\/new ;
    tm:assignee id:party\\/old ; tm:date "2008-06-01"^^xsd:date .
}
"""


@pytest.mark.parametrize(
    ("mark", "jurisdiction", "said", "unsaid"),
    [
        # assigned, then expired: one right ended, not one per owner it had (helper-121)
        ("ACMEZOR", "US", "in force is recorded (1 right ended", ""),
        # a former owner's tenure ended, the right lives on under the new owner
        ("BOLTRANO", "RO", "no dated filing or use is recorded.", "ended by the date asked"),
        # a right that came back to its first owner: its own date, no predecessors
        ("GALEVANTO", "US", "goes to Old Co.", "predecessors"),
    ],
)
def test_owners_over_time_are_no_rights_ended_nor_predecessors_of_themselves(
    tmp_path: Path, mark: str, jurisdiction: str, said: str, unsaid: str
) -> None:
    path = tmp_path / "owners.trig"
    path.write_text(OWNERS, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load([path])
        found = Analyst(graph).priority(mark, 9, jurisdiction, as_of="2020")
        assert said in found.explanation, found.explanation
        assert not unsaid or unsaid not in found.explanation
    finally:
        graph.close()
