"""A mark showing one name in two scripts (``金鹤 GOLDEN CRANE``) is evidence in the graph that
the two parts match (kg.analysis.combined_marks): who-else-uses, asked about one part, finds
the marks of the other, the same through the service, the CLI and GraphQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.combined_marks import (
    COMBINED_REASON,
    COMBINED_SCORE,
    combined_equivalents,
    runs,
)
from kg.analysis.service import Analyst
from kg.analysis.similarity import compare
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post
from tests.hits_support import WHO, graphql_hits
from tests.hits_support import hits as _hits

FIXTURE = DATA / "combined-marks.trig"
SIGNS = "https://w3id.org/tmkg/id/graph/combined-signs-fictional"

graph, store, graphql = fixture_world(FIXTURE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("金鹤 GOLDEN CRANE", (("Han", "金鹤"), ("Latin", "GOLDEN CRANE"))),
        ("GOLDEN CRANE金鹤", (("Latin", "GOLDEN CRANE"), ("Han", "金鹤"))),
        ("별빛 STARLIGHT", (("Hangul", "별빛"), ("Latin", "STARLIGHT"))),
        ("МИР MIR", (("Cyrillic", "МИР"), ("Latin", "MIR"))),
        ("ΑΛΦΑ ALFA 2000", (("Greek", "ΑΛΦΑ"), ("Latin", "ALFA"))),
        ("ミドリ銀行", (("Kana", "ミドリ"), ("Han", "銀行"))),
        ("コーヒー", (("Kana", "コーヒー"),)),  # the prolonged sound mark stays in its run
        ("2000 & ®", ()),
    ],
)
def test_a_text_splits_into_runs_of_one_script(text: str, expected: tuple) -> None:
    assert runs(text) == expected


def _equivalents(asked: str, *texts: str) -> list[str]:
    marks = {f"m{i}": text for i, text in enumerate(texts)}
    similar = {iri: compare(asked, text) for iri, text in marks.items()}
    return [other for _, other, _ in combined_equivalents(asked, similar, marks)]


def test_either_part_of_a_combined_mark_speaks_for_the_other() -> None:
    assert _equivalents("GOLDEN CRANE", "金鹤 GOLDEN CRANE") == ["金鹤"]
    assert _equivalents("金鹤", "金鹤 GOLDEN CRANE") == ["GOLDEN CRANE"]
    assert _equivalents("Golden Crane", "GOLDEN CRANE 金鹤 & Design") == ["金鹤"]  # folded
    assert _equivalents("MIR", "МИР MIR") == []  # both parts read MIR: nothing new
    assert _equivalents("MIR", "МИР PEACE") == ["PEACE"]
    assert _equivalents("STARLIGHT", "별빛 STARLIGHT", "STARLIGHT 星光") == ["별빛", "星光"]


@pytest.mark.parametrize(
    ("asked", "mark"),
    [
        ("BLUE", "BLUE HARBOR"),  # one script: two words of one name
        ("ミドリ", "ミドリ銀行"),  # kana and kanji: one Japanese word
        ("GOLDEN", "金鹤 GOLDEN CRANE"),  # the part asked is not a whole part
        ("CRANE", "A 鹤 CRANE"),  # three runs: which pairs with which is unknown
        ("ACME", "ACME 鹤"),  # one Chinese character beside a name: a device, a word
        ("金鹤 GOLDEN CRANE", "金鹤 GOLDEN CRANE"),  # the combined mark itself asked
    ],
)
def test_no_equivalent_without_a_two_script_mark_matching_a_part(asked: str, mark: str) -> None:
    assert _equivalents(asked, mark) == []


def test_asked_in_one_script_the_other_is_found(graph: KnowledgeGraph) -> None:
    hits = _hits(Analyst(graph), "GOLDEN CRANE")
    assert hits["Jinhe Trading Co., Ltd.", "金鹤"] == (COMBINED_SCORE, (COMBINED_REASON,))
    assert hits["Crane Valley Tea LLC", "GOLDEN CRANE"] == (1.0, ("exact",))
    hits = _hits(Analyst(graph), "金鹤")
    assert hits["Crane Valley Tea LLC", "GOLDEN CRANE"] == (COMBINED_SCORE, (COMBINED_REASON,))
    assert hits["Jinhe Trading Co., Ltd.", "金鹤"] == (1.0, ("exact",))
    assert _hits(Analyst(graph), "STARLIGHT")["Haneul Beauty Inc.", "별빛"] == (
        COMBINED_SCORE,
        (COMBINED_REASON,),
    )


def test_kana_with_kanji_or_one_script_pairs_nothing(graph: KnowledgeGraph) -> None:
    assert ("Ginko Holdings KK", "銀行") not in _hits(Analyst(graph), "ミドリ")
    assert ("Harbor Inns LLC", "HARBOR") not in _hits(Analyst(graph), "BLUE")


def test_without_the_combined_mark_the_parts_do_not_meet() -> None:
    opened = KnowledgeGraph.open(Settings(memory=True))
    opened.load([FIXTURE])
    opened.store.update(f"DROP GRAPH <{SIGNS}>")
    opened.changed()
    try:
        assert ("Jinhe Trading Co., Ltd.", "金鹤") not in _hits(Analyst(opened), "GOLDEN CRANE")
        assert ("Haneul Beauty Inc.", "별빛") not in _hits(Analyst(opened), "STARLIGHT")
    finally:
        opened.close()


def test_graphql_and_cli_give_the_same_hit(graphql: str, store: Path) -> None:
    answer = post(graphql, WHO, {"mark": "GOLDEN CRANE"})
    hits = graphql_hits(answer)
    assert hits["Jinhe Trading Co., Ltd.", "金鹤"] == (COMBINED_SCORE, (COMBINED_REASON,))
    result = run_kg("who-else-uses", "GOLDEN CRANE", "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert any(
        "金鹤" in json.dumps(row, ensure_ascii=False) and COMBINED_REASON in json.dumps(row)
        for row in rows
    ), rows


def _usage(analyst: Analyst, asked: str, party: str, text: str):  # type: ignore[no-untyped-def]
    (found,) = [
        u for u in analyst.who_else_uses(asked) if (u.party.name, u.mark.text) == (party, text)
    ]
    return found


def test_a_hit_found_through_a_combined_mark_cites_that_mark(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    usage = _usage(analyst, "GOLDEN CRANE", "Jinhe Trading Co., Ltd.", "金鹤")
    combined = "https://w3id.org/tmkg/id/mark/jinhe-golden-crane"
    (shown,) = [s for s in usage.statements if s.subject == combined]
    assert shown.facts == (("https://w3id.org/tmkg/ontology#text", "金鹤 GOLDEN CRANE"),)
    assert shown.sources == (SIGNS,)
    assert SIGNS in {ref.graph for ref in usage.sources}
    # the other way round, and a hit of its own words cites no combined mark
    usage = _usage(analyst, "金鹤", "Crane Valley Tea LLC", "GOLDEN CRANE")
    assert combined in {s.subject for s in usage.statements}
    usage = _usage(analyst, "GOLDEN CRANE", "Crane Valley Tea LLC", "GOLDEN CRANE")
    assert combined not in {s.subject for s in usage.statements}
    assert SIGNS not in {ref.graph for ref in usage.sources}


def test_graphql_cites_the_combined_mark(graphql: str) -> None:
    query = """query($mark: String!) {
      whoElseUses(mark: $mark) {
        party { name } mark { text } sources { graph title }
        statements { subject facts { property value } sources { graph } }
      }
    }"""
    answer = post(graphql, query, {"mark": "GOLDEN CRANE"})
    assert "errors" not in answer, answer
    (hit,) = [
        h for h in answer["data"]["whoElseUses"] if h["party"]["name"] == "Jinhe Trading Co., Ltd."
    ]
    assert {
        "graph": SIGNS,
        "title": "Filings of signs in two scripts (fictional test records)",
    } in (hit["sources"])
    assert {
        "subject": "https://w3id.org/tmkg/id/mark/jinhe-golden-crane",
        "facts": [
            {"property": "https://w3id.org/tmkg/ontology#text", "value": "金鹤 GOLDEN CRANE"}
        ],
        "sources": [{"graph": SIGNS}],
    } in hit["statements"]


@pytest.mark.parametrize("mark", ["凤凰 TM", "星辰 DESIGN", "龙腾 LT", "飞马 CO. LTD."])
def test_a_descriptor_initials_or_a_legal_form_is_no_name(mark: str) -> None:
    han = mark.split()[0]
    assert _equivalents(han, mark) == []


def test_marks_found_through_the_other_part_match_it_closely() -> None:
    # one step of likeness, not two: 金鹤 GOLDEN CRANE makes GOLDEN CRANE find 金鹤 and the
    # marks containing it, not 银河 (pinyin YINHE, only near JINHE) nor GOLDEN STATE
    opened = KnowledgeGraph.open(Settings(memory=True))
    opened.load([FIXTURE])
    opened.store.update(
        """PREFIX tm: <https://w3id.org/tmkg/ontology#>
        PREFIX cc: <https://w3id.org/tmkg/id/jurisdiction/>
        PREFIX nice: <https://w3id.org/tmkg/id/nice/>
        PREFIX party: <https://w3id.org/tmkg/id/party/>
        INSERT DATA { GRAPH <https://w3id.org/tmkg/id/graph/combined-register-fictional> {
          <urn:x:m1> a tm:Mark ; tm:text "银河" .
          <urn:x:m2> a tm:Mark ; tm:text "GOLDEN STATE" .
          <urn:x:m3> a tm:Mark ; tm:text "金鹤食品" .
          <urn:x:r1> a tm:Registration ; tm:mark <urn:x:m1> ; tm:owner party:jinhe-trading ;
            tm:jurisdiction cc:CN ; tm:niceClass nice:30 .
          <urn:x:r2> a tm:Registration ; tm:mark <urn:x:m2> ; tm:owner party:harbor-inns ;
            tm:jurisdiction cc:US ; tm:niceClass nice:30 .
          <urn:x:r3> a tm:Registration ; tm:mark <urn:x:m3> ; tm:owner party:midori-bank ;
            tm:jurisdiction cc:CN ; tm:niceClass nice:30 . } }"""
    )
    opened.changed()
    try:
        found = _hits(Analyst(opened), "GOLDEN CRANE")
        assert ("Midori Bank Ltd.", "金鹤食品") in found  # contains 金鹤
        assert ("Jinhe Trading Co., Ltd.", "银河") not in found
        found = _hits(Analyst(opened), "金鹤")
        assert ("Harbor Inns LLC", "GOLDEN STATE") not in found
    finally:
        opened.close()
