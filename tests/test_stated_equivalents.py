"""A registration's stated translation or transliteration counts as similarity evidence in
who-else-uses (kg.analysis.stated_texts), the same through the API, the CLI and GraphQL."""

from __future__ import annotations

import json
from pathlib import Path

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.analysis.stated_texts import STATED_SCORE, equivalents
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post
from tests.hits_support import WHO, graphql_hits
from tests.hits_support import hits as _hits

FIXTURE = DATA / "priority-claims.trig"
GALE = "Gale Systems Inc."
CASA = "Casa Clara Iluminación S.L."

graph, store, graphql = fixture_world(FIXTURE)


def test_statements_give_their_quoted_words() -> None:
    sentence = 'The English translation of "LUZ CLARA" in the mark is "clear light".'
    assert equivalents(sentence) == ["LUZ CLARA", "clear light"]
    assert equivalents("NORTH WIND") == ["NORTH WIND"]
    transliteration = (
        'The non-Latin characters in the mark transliterate to "BEI FENG" and this means '
        '"north wind" in English.'
    )
    assert equivalents(transliteration) == ["BEI FENG", "north wind"]


def test_a_stated_translation_finds_the_mark(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    # 北风 states the translation NORTH WIND: its words alone are not alike
    assert _hits(analyst, "NORTH WIND")[GALE, "北风"] == (STATED_SCORE, ("stated-translation",))
    # the USPTO sentence's quoted translation
    assert _hits(analyst, "CLEAR LIGHT")[CASA, "LUZ CLARA"] == (
        STATED_SCORE,
        ("stated-translation",),
    )
    # a near spelling of the stated words too, and nothing for other words
    assert (CASA, "LUZ CLARA") in _hits(analyst, "CLEAR LITE")
    assert (CASA, "LUZ CLARA") not in _hits(analyst, "DARK ROOM")


def test_the_marks_own_words_win_over_the_statement(graph: KnowledgeGraph) -> None:
    hits = _hits(Analyst(graph), "LUZ CLARA")
    assert hits[CASA, "LUZ CLARA"] == (1.0, ("exact",))
    assert _hits(Analyst(graph), "BEI FENG")[GALE, "北风"][1] == ("transliteration",)


def test_graphql_and_cli_give_the_same_hit(graphql: str, store: Path) -> None:
    answer = post(graphql, WHO, {"mark": "NORTH WIND"})
    hits = graphql_hits(answer)
    assert hits[GALE, "北风"] == (STATED_SCORE, ("stated-translation",))
    result = run_kg("who-else-uses", "NORTH WIND", "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert any(
        "北风" in json.dumps(row, ensure_ascii=False) and "stated-translation" in json.dumps(row)
        for row in rows
    ), rows


def test_the_statement_works_the_other_way_round(graph: KnowledgeGraph) -> None:
    # asked about 北风, its registration's statement (NORTH WIND) finds the NORTHWIND marks
    hits = _hits(Analyst(graph), "北风")
    assert hits[GALE, "北风"] == (1.0, ("exact",))
    assert hits["Nordwind Technik GmbH", "NORTHWIND"] == (STATED_SCORE, ("stated-translation",))
    # a mark only like 北风 (not nearly the same) does not speak through its statements
    assert ("Nordwind Technik GmbH", "NORTHWIND") not in _hits(Analyst(graph), "北方")


def test_a_mark_without_letters_or_digits_is_refused(graph: KnowledgeGraph, store: Path) -> None:
    import pytest

    from kg.analysis.arguments import ArgumentError

    for text in ("!!!", "\u0301\u0301", "😀", "\u200d" * 5):
        with pytest.raises(ArgumentError, match="no letters or digits to compare"):
            Analyst(graph).who_else_uses(text)
    result = run_kg("who-else-uses", "!!!", "--store", store)
    assert result.returncode == 2 and "no letters or digits" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_mark_found_through_another_registrations_statement_cites_it(
    graph: KnowledgeGraph,
) -> None:
    # asked about 北风, NORTHWIND is found through the statement of the 北风 registration: the
    # hit rests on that statement, so it cites it (kg.analysis.evidence)
    statement = (
        "https://w3id.org/tmkg/id/registration/us-beifeng-gale",
        (("https://w3id.org/tmkg/ontology#markTranslation", "NORTH WIND"),),
    )
    uspto = "https://w3id.org/tmkg/id/graph/uspto-daily-fictional"
    for usage in Analyst(graph).who_else_uses("北风"):
        cited = {(s.subject, s.facts): s.sources for s in usage.statements}
        if usage.mark.text == "NORTHWIND":
            assert cited[statement] == (uspto,)
            assert uspto in {ref.graph for ref in usage.sources}
        else:  # 北风 itself, by its own words
            assert statement not in cited or usage.holdings == (statement[0],)


def test_a_statement_translating_each_word_gives_the_whole_mark_translated() -> None:
    # found by a trial: each quoted word was taken for the whole mark's translation
    sentence = (
        'The English translation of "CASA" in the mark is "house" and "BELLA" is "beautiful".'
    )
    assert equivalents(sentence, "CASA BELLA") == ["house beautiful"]
    assert equivalents(sentence, "Casa  Bella") == ["house beautiful"]
    assert equivalents('The English translation of "LUZ" in the mark is "light".', "LUZ CLARA") == [
        "light CLARA"
    ]
    # the whole mark quoted: what follows is its translation, and the mark is not its own
    whole = 'The English translation of "LUZ CLARA" in the mark is "clear light".'
    assert equivalents(whole, "LUZ CLARA") == ["clear light"]
    assert (
        equivalents('The wording "SOL Y MAR" has no meaning in a foreign language.', "SOL Y MAR")
        == []
    )
    # a transliteration and its meaning both speak for the whole mark
    transliteration = (
        'The non-Latin characters in the mark transliterate to "BEI FENG" and this means '
        '"north wind" in English.'
    )
    assert equivalents(transliteration, "北风") == ["BEI FENG", "north wind"]


def test_the_marks_own_words_are_not_its_stated_translation() -> None:
    opened = KnowledgeGraph.open(Settings(memory=True))
    try:
        opened.load([FIXTURE])
        opened.store.update(
            """PREFIX tm: <https://w3id.org/tmkg/ontology#>
            PREFIX cc: <https://w3id.org/tmkg/id/jurisdiction/>
            PREFIX nice: <https://w3id.org/tmkg/id/nice/>
            INSERT DATA { GRAPH <urn:x:g> {
              <urn:x:casa> a tm:Mark ; tm:text "CASA BELLA" .
              <urn:x:p> a tm:Company ; <https://schema.org/name> "Casa Bella Muebles S.A." .
              <urn:x:r> a tm:Registration ; tm:mark <urn:x:casa> ; tm:owner <urn:x:p> ;
                tm:jurisdiction cc:US ; tm:niceClass nice:20 ;
                tm:markTranslation "The English translation of \\"CASA\\" in the mark is \\"house\\" and \\"BELLA\\" is \\"beautiful\\"." } }"""
        )
        opened.changed()
        analyst = Analyst(opened)
        found = _hits(analyst, "HOUSE BEAUTIFUL")
        assert found["Casa Bella Muebles S.A.", "CASA BELLA"] == (
            STATED_SCORE,
            ("stated-translation",),
        )
        # BELLA is a word of the mark: found by containment, not through the statement
        assert (
            "stated-translation"
            not in _hits(analyst, "BELLA")["Casa Bella Muebles S.A.", "CASA BELLA"][1]
        )
    finally:
        opened.close()
