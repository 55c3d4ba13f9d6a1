"""Conflicts read the graph's evidence as who-else-uses does (kg.analysis.evidence): a mark
showing two names side by side (combined-mark) and a registration's stated translation or
transliteration pair holders whose marks' texts are not alike, each such conflict citing the
statement it rests on — the same through the service, the CLI and GraphQL."""

from __future__ import annotations

import json
from pathlib import Path

from kg import KnowledgeGraph, Settings
from kg.analysis.combined_marks import COMBINED_REASON
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "evidence-conflicts.trig"
SIGNS = "https://w3id.org/tmkg/id/graph/evidence-signs-fictional"
USPTO = "https://w3id.org/tmkg/id/graph/evidence-uspto-fictional"
TM = "https://w3id.org/tmkg/ontology#"

graph, store, graphql = fixture_world(FIXTURE)

Pairs = dict[tuple[frozenset[str], str | None], ConflictPair]


def _pairs(analyst: Analyst) -> Pairs:
    return {(frozenset(p.name for p in c.parties), c.jurisdiction): c for c in analyst.conflicts()}


def _pair(pairs: Pairs, one: str, other: str, place: str) -> ConflictPair:
    return pairs[frozenset((one, other)), place]


def test_a_combined_mark_pairs_the_holders_of_its_parts(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph))
    # 金鹤 and GOLDEN CRANE TEA HOUSE: the sign 金鹤 GOLDEN CRANE says the names match
    found = _pair(pairs, "Jinhe Trading Co., Ltd.", "Crane Hill Tea Co.", "CN")
    assert found.mark_similarity == 0.85
    assert f"{COMBINED_REASON} (0.85)" in found.reasons[0]
    # the second step said: the holder's mark is not GOLDEN CRANE itself but contains it
    assert (
        "the mark '金鹤 GOLDEN CRANE' shows both names; 'GOLDEN CRANE TEA HOUSE' and "
        "'GOLDEN CRANE': containment, shared-element (0.87)"
    ) in found.reasons
    # Hangul and Latin, a use against a registration
    found = _pair(pairs, "Haneul Beauty Inc.", "Starlight Labs Co.", "KR")
    assert COMBINED_REASON in found.reasons[0]
    assert "one side registered the mark, the other only uses it" in found.reasons


def test_a_conflict_through_evidence_cites_it(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph))
    found = _pair(pairs, "Jinhe Trading Co., Ltd.", "Crane Hill Tea Co.", "CN")
    combined = "https://w3id.org/tmkg/id/mark/jinhe-golden-crane"
    (said,) = [s for s in found.statements if s.subject == combined]
    assert said.facts == ((f"{TM}text", "金鹤 GOLDEN CRANE"),)
    assert said.sources == (SIGNS,)
    assert SIGNS in {ref.graph for ref in found.sources}
    found = _pair(pairs, "Gale Systems Inc.", "Polar Wind Corp.", "US")
    stated = [s for s in found.statements if s.facts[0][0] == f"{TM}markTranslation"]
    assert [s.facts[0][1] for s in stated] == ["NORTH WIND"]
    assert stated[0].sources == (USPTO,)


def test_a_stated_translation_pairs_the_holders(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph))
    found = _pair(pairs, "Gale Systems Inc.", "Polar Wind Corp.", "US")
    assert found.mark_similarity == 0.9
    assert "stated-translation (0.90)" in found.reasons[0]
    assert "a registration of '北风' states its translation 'NORTH WIND'" in found.reasons  # itself
    # a mark inside the translation: the second step is said
    found = _pair(pairs, "Gale Systems Inc.", "Windward Audio LLC", "US")
    assert (
        "a registration of '北风' states its translation 'NORTH WIND'; 'WIND' and "
        "'NORTH WIND': containment (0.85)"
    ) in found.reasons
    # a registration of the same mark without a statement: who-else-uses 北风 names Polar Wind
    assert (
        "stated-translation"
        in _pair(pairs, "Beifeng Trading LLC", "Polar Wind Corp.", "US").reasons[0]
    )


def test_evidence_needs_one_place_related_classes_and_a_match(graph: KnowledgeGraph) -> None:
    names = {names for names, _ in _pairs(Analyst(graph))}
    # GOLDEN CRANE in the US only: never meets 金鹤 of CN
    assert frozenset(("Jinhe Trading Co., Ltd.", "Golden Crane Valley LLC")) not in names
    # GOLDEN CRANE in CN for vehicles: class 12 is unrelated to class 30
    assert frozenset(("Jinhe Trading Co., Ltd.", "Crane Motors Co.")) not in names
    # NORTHERN LIGHTS is not the stated NORTH WIND
    assert frozenset(("Gale Systems Inc.", "Nordlicht Inc.")) not in names


def test_without_the_evidence_the_holders_do_not_meet() -> None:
    opened = KnowledgeGraph.open(Settings(memory=True))
    try:
        opened.load([FIXTURE])
        opened.store.update(f"DROP GRAPH <{SIGNS}>")
        opened.store.update(f"DELETE WHERE {{ GRAPH <{USPTO}> {{ ?r <{TM}markTranslation> ?t }} }}")
        opened.changed()
        names = {names for names, _ in _pairs(Analyst(opened))}
    finally:
        opened.close()
    assert frozenset(("Jinhe Trading Co., Ltd.", "Crane Hill Tea Co.")) not in names
    assert frozenset(("Haneul Beauty Inc.", "Starlight Labs Co.")) not in names
    assert frozenset(("Gale Systems Inc.", "Polar Wind Corp.")) not in names
    assert frozenset(("Gale Systems Inc.", "Beifeng Trading LLC")) in names  # same text


def test_conflicts_through_evidence_agree_with_who_else_uses(graph: KnowledgeGraph) -> None:
    """Every conflict resting on evidence is one who-else-uses finds, asked about either
    side's mark in that place."""
    analyst = Analyst(graph)
    evidence = {"combined-mark", "stated-translation", "stated-transliteration"}
    checked = 0
    for conflict in analyst.conflicts():
        if not evidence & set(conflict.reasons[0].replace(",", " ").split()):
            continue
        checked += 1
        (left, right), place = conflict.parties, conflict.jurisdiction
        left_mark, right_mark = conflict.marks
        assert left_mark is not None and right_mark is not None
        found = {u.party.id for u in analyst.who_else_uses(left_mark.text, jurisdiction=place)}
        backwards = {u.party.id for u in analyst.who_else_uses(right_mark.text, jurisdiction=place)}
        assert right.id in found or left.id in backwards, conflict
    assert checked == 6  # Jinhe, Haneul; Gale and Beifeng each with Polar Wind and Windward


def test_cli_and_graphql_give_the_same_conflicts(graphql: str, store: Path) -> None:
    result = run_kg("conflicts", "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    through = [row for row in rows if COMBINED_REASON in json.dumps(row)]
    assert through, rows
    query = """{ conflicts(jurisdiction: "CN") { nodes { parties { name } reasons
                 statements { subject sources { id } } } } }"""
    answer = post(graphql, query)
    assert "errors" not in answer, answer
    (found,) = [
        c
        for c in answer["data"]["conflicts"]["nodes"]
        if {p["name"] for p in c["parties"]} == {"Jinhe Trading Co., Ltd.", "Crane Hill Tea Co."}
    ]
    assert any(
        reason.startswith("the mark '金鹤 GOLDEN CRANE' shows both names")
        for reason in found["reasons"]
    )
    combined = "https://w3id.org/tmkg/id/mark/jinhe-golden-crane"
    assert any(s["subject"] == combined for s in found["statements"])
