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


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Analyst:
    folder = tmp_path_factory.mktemp("priority")
    path = Path(folder / "register.csv")
    path.write_text(HEADER + ROWS, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [path])
    return Analyst(graph)


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
    path = tmp_path / "register.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        import_registry(graph, [path])
        analyst = Analyst(graph)
        found = analyst.priority(mark, 9, jurisdiction)
        assert found.holder is None and said in found.explanation
        assert "include lapsed rights to see" in found.explanation
        listed = analyst.priority(mark, 9, jurisdiction, include_lapsed=True)
        assert "ended by the date asked" not in listed.explanation
        assert listed.competing_claims  # the dead rights, listed
    finally:
        graph.close()
