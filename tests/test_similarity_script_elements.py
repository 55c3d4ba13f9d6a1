"""A mark in two scripts compared by each element (`kg.analysis.elements.script_elements`,
the ``script-element`` rule). The session-17 trial found `金鹤 GOLDEN CRANE` and `GOLDEN CRANE
TEA HOUSE` in no conflict even at 0.3: compared whole, the Chinese element's pinyin (JINHE)
hid the shared English words that each mark's readers see."""

from __future__ import annotations

import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.elements import script_elements
from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import (
    SCRIPT_ELEMENT_TOP,
    compare,
    element_note,
)
from tests.similarity_support import assert_searches_find
from tests.test_conflict_batches import PREFIXES, source_of

# (a mark in two scripts, another mark sharing one element, the element compared)
BY_ELEMENT = [
    ("金鹤 GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE", "GOLDEN CRANE"),
    ("스타벅스 STARBUCKS", "STARBUCKS COFFEE", "STARBUCKS"),
    ("苹果 APPLE", "APPLE PAY", "APPLE"),
    ("GOLDEN CRANE 金鹤", "金鹤茶楼", "金鹤"),
    ("ソニー SONY", "SONY MUSIC", "SONY"),
    ("ЛАДА LADA", "LADA SPORT", "LADA"),
    ("金鹤 GOLDEN CRANE", "金鹤 SILVER FOX", "金鹤"),  # two such marks, one element shared
]
# an element is alike only by the rules, and a weak element is none
NOT_ALIKE = [
    ("金鹤 GOLDEN CRANE", "SILVER FOX"),
    ("金鹤 GOLDEN CRANE", "银狐 SILVER FOX"),
    ("金鹤 SHOP", "SHOP EXPRESS"),  # SHOP: a weak word, no element of its own
    ("스타벅스 STARBUCKS", "MOONBUCKET"),
    # a part counts whole or by its same letters or reading, not by the looser rules (the
    # TIPO sample: a shared weak word, a sound, a letter off pair short parts everywhere)
    ("SUNRISE 曙光", "SUN RISEN"),
    ("Nature House 自然屋精品", "Peggy's Yoga House"),
    ("SHAN", "合善 HESHAN"),
    ("TIMES", "泰脈紓Taxopine"),
    ("GENKI設計", "但是設計BUT DESIGN"),  # 設計 is DESIGN: a descriptor, no part of its own
]


@pytest.mark.parametrize(
    ("text", "elements"),
    [
        ("金鹤 GOLDEN CRANE", ("金鹤", "GOLDEN CRANE")),
        ("GOLDEN CRANE 金鹤", ("GOLDEN CRANE", "金鹤")),
        ("스타벅스 STAR BUCKS", ("스타벅스", "STAR BUCKS")),
        ("2000 金鹤 GOLDEN CRANE", ("金鹤", "GOLDEN CRANE")),  # a run begins at a letter
        ("佳能Canon", ("佳能", "Canon")),  # no space needed between scripts
        ("GOLDEN CRANE", ()),
        ("金鹤", ()),
        ("SU:M37° 숨37°", ()),  # one Hangul letter: an initial or a device, not a name
        ("联通LT 回收", ()),  # three runs
        ("金鹤 SHOP", ()),  # SHOP is a weak word: no name of its own
        ("ソニー銀行", ()),  # kana with Chinese characters: one Japanese word
    ],
)
def test_a_mark_in_two_scripts_has_two_elements(text: str, elements: tuple[str, ...]) -> None:
    assert script_elements(text) == elements


@pytest.mark.parametrize(
    ("a", "b", "element"), BY_ELEMENT, ids=[f"{a}|{b}" for a, b, _ in BY_ELEMENT]
)
def test_each_element_is_compared_on_its_own(a: str, b: str, element: str) -> None:
    for left, right in ((a, b), (b, a)):
        found = compare(left, right)
        assert 0.8 <= found.score <= SCRIPT_ELEMENT_TOP, (left, right, found)
        assert found.reasons[0] == "script-element"
        assert not {"exact", "folded"} & set(found.reasons)  # the marks are not equal
    note = element_note(a, b)
    assert note is not None and f"{element!r} of {a!r}" in note


@pytest.mark.parametrize(("a", "b"), NOT_ALIKE, ids=[f"{a}|{b}" for a, b in NOT_ALIKE])
def test_other_marks_stay_apart(a: str, b: str) -> None:
    assert compare(a, b).score < 0.8
    assert element_note(a, b) is None


def test_marks_in_one_script_are_compared_as_before() -> None:
    assert "script-element" not in compare("GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE").reasons
    assert compare("金鹤 GOLDEN CRANE", "金鹤 GOLDEN CRANE").reasons == ("exact",)


def test_a_register_search_and_a_question_find_them() -> None:
    assert_searches_find([(a, b) for a, b, _ in BY_ELEMENT], [t for p in NOT_ALIKE for t in p])


def test_the_index_keeps_them_and_a_conflict_says_which_element() -> None:
    marks = {"m0": "金鹤 GOLDEN CRANE", "m1": "GOLDEN CRANE TEA HOUSE", "m2": "SILVER FOX"}
    index = MarkIndex(None)
    try:
        index.sync(marks)
        pairs = {frozenset((a, b)) for a, b, _ in index.similar_pairs()}
        assert pairs == {frozenset(("金鹤 GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE"))}
        assert "m1" in index.candidates("金鹤 GOLDEN CRANE")
    finally:
        index.close()


TRIG = f"""{PREFIXES}@prefix use: <https://w3id.org/tmkg/id/use/> .
graph:crane-1 {{
  party:crane-a a tm:Company ; schema:name "Crane Tea Ltd" .
  mark:crane-1 a tm:Mark ; tm:text "金鹤 GOLDEN CRANE" .
  reg:crane-1 a tm:Registration ; tm:mark mark:crane-1 ; tm:owner party:crane-a ;
    tm:jurisdiction cc:CN ; tm:niceClass nice:30 ; tm:registrationNumber "CR-1" ;
    tm:filingDate "2015-03-01"^^xsd:date ; tm:registrationDate "2016-01-01"^^xsd:date .
}}
{source_of("crane-1", "register record CR-1")}
graph:crane-2 {{
  party:crane-b a tm:Company ; schema:name "Golden Crane House Co" .
  mark:crane-2 a tm:Mark ; tm:text "GOLDEN CRANE TEA HOUSE" .
  use:crane-2 a tm:Use ; tm:mark mark:crane-2 ; tm:user party:crane-b ;
    tm:jurisdiction cc:CN ; tm:niceClass nice:30 ; tm:startDate "2020-01-01"^^xsd:date .
}}
{source_of("crane-2", "a tea house's menu")}
"""


def test_who_else_uses_and_conflicts_find_the_pair(tmp_path) -> None:
    data = tmp_path / "crane.trig"
    data.write_text(TRIG, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load([data])
        analyst = Analyst(graph)
        hits = {h.mark.text: h for h in analyst.who_else_uses("GOLDEN CRANE TEA HOUSE")}
        assert "金鹤 GOLDEN CRANE" in hits
        assert any(
            "'GOLDEN CRANE' of '金鹤 GOLDEN CRANE'" in r for r in hits["金鹤 GOLDEN CRANE"].reasons
        )
        conflicts = analyst.conflicts()
        assert len(conflicts) == 1
        assert "script-element" in conflicts[0].reasons[0]
        assert "'GOLDEN CRANE' of '金鹤 GOLDEN CRANE'" in conflicts[0].reasons[0]
    finally:
        graph.close()
