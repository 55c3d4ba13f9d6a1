"""The ``translation`` rule (kg.analysis.translations): a mark in Chinese characters and a
Latin mark that says its meaning in English (the doctrine of foreign equivalents), or holds
it, read from CC-CEDICT — scored, explained and found by the register-wide search and by a
question about either mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph
from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.mark_index import MarkIndex
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst
from kg.analysis.similarity import KeyedTexts, compare, recall_of_blocking
from kg.analysis.translations import english_equivalents, meaning_note, readings
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

MEANT = [  # (Chinese mark, Latin mark, least score)
    ("桂冠", "LAUREL", 0.9),  # CNIPA 2023, 第67685517号“桂冠”
    ("房地美", "FREDDIE MAC", 0.9),  # a name the dictionary gives
    ("佳能", "Canon", 0.9),
    ("苹果", "APPLE", 0.9),
    ("蘋果", "apple", 0.9),  # traditional characters
    ("長城", "GREAT WALL", 0.9),  # the dictionary's "the Great Wall": THE is weak
    ("熊猫", "PANDA", 0.9),
    ("红牛", "RED BULL", 0.9),
    ("黄河", "YELLOW RIVER", 0.9),
    ("富士山", "MT FUJI", 0.9),
    ("长城", "GREATWALL", 0.9),  # the meaning closed up
    ("桂\U000e0100冠", "LAUREL", 0.9),  # an ideographic variation selector picks a glyph
    ("微笑設計圖", "SMILE", 0.9),  # TIPO's descriptor 設計圖 (a design) set aside
]

HELD = [  # a meaning inside the Latin mark, or the Latin mark inside a meaning
    ("骆驼", "Camel Active", 0.8),  # Worldwide Brands v. TRAB
    ("苹果", "APPLE PAY", 0.8),
    ("熊猫", "PANDA EXPRESS", 0.85),
    ("四季山莊", "FOUR SEASONS", 0.8),  # compound: 四季 + 山莊; Taiwan IP Court 2014
    ("乔丹", "MICHAEL JORDAN", 0.8),
]

NOT_MEANT = [
    ("桂冠", "LAURA"),  # another word
    ("骆驼", "CAMEO"),
    ("金", "GOLDEN CRANE"),  # GOLD is not GOLDEN
    ("集团", "GROUP"),  # a weak word means nothing distinctive
    ("茶裏王", "TEA KING"),  # no dictionary word, nor two or three of them
    ("사과", "APPLE"),  # Hangul: no dictionary
    ("りんご", "APPLE"),  # kana: no dictionary
    ("LAUREL", "LORBEER"),  # two Latin marks are never translated
    ("苹果 APPLE", "APPLE"),  # a combined mark is compared by its parts (combined_marks)
    # one character: a dozen senses each (the trial of 2026-12-02)
    ("中", "HIT"),
    ("马", "KNIGHT"),
    ("金", "MONEY"),
    ("王", "RULE"),
    ("烏", "BLACK"),
    # a sense after the first, one marked by usage, a name spelled otherwise
    ("骆驼", "NINNY"),  # camel; (coll.) blockhead; ninny
    ("东西", "PERSON"),  # east and west; thing, stuff, person
    ("海尔", "HALE"),  # Haier (brand); Hale (name)
    ("家的味道", "FLAVOR"),  # 家的 is "(old) wife": no reading, not a wrong split
    # a composed reading counts whole or by its beginning
    ("四季山莊", "MANOR HOUSE"),
    ("东亚生技", "BIOTECHNOLOGY"),
    # a part of a dictionary meaning is not the meaning (the second trial of 2026-12-02)
    ("长城", "GREAT"),
    ("长城", "THE WALL"),
]


@pytest.mark.parametrize(("chinese", "latin", "score"), MEANT + HELD, ids=repr)
def test_a_latin_mark_saying_what_a_chinese_mark_means(
    chinese: str, latin: str, score: float
) -> None:
    found = compare(chinese, latin)
    assert "translation" in found.reasons, found
    assert found.score >= score
    assert compare(latin, chinese) == found  # symmetric


@pytest.mark.parametrize(("chinese", "latin", "score"), MEANT, ids=repr)
def test_the_whole_meaning_scores_the_top(chinese: str, latin: str, score: float) -> None:
    found = compare(chinese, latin)  # of the verbal elements: translation() is given them
    assert "translation" in found.reasons
    assert found.score >= 0.9


@pytest.mark.parametrize(("a", "b"), NOT_MEANT, ids=repr)
def test_not_a_translation(a: str, b: str) -> None:
    assert "translation" not in compare(a, b).reasons


def test_the_meanings_a_mark_can_have() -> None:
    # senses of each entry, in order; explanations, classifiers, surnames, variants left out
    # the first sense of each entry (the commonest): an entry per reading of the word
    assert english_equivalents("骆驼") == ("CAMEL",)
    assert english_equivalents("小米") == ("XIAOMI", "MILLET")
    assert english_equivalents("东西") == ("EAST AND WEST", "THING")
    assert english_equivalents("上海") == ("SHANGHAI MUNICIPALITY",)  # ", central east China"
    assert english_equivalents("永恒印记") == ("ETERNAL IMPRINT",)  # two words, read in order
    assert english_equivalents("马") == english_equivalents("星") == ()  # one character
    assert english_equivalents("米奇") == ("MICKEY",)  # "Mickey or Mitch": the first
    assert english_equivalents("黄河") == ("YELLOW RIVER",)  # "Yellow River or Huang He"
    assert english_equivalents("富士山") == ("MT. FUJI",)  # "Mt. Fuji, Japan"
    assert english_equivalents("LAUREL") == english_equivalents("桂冠 LAUREL") == ()
    assert english_equivalents("") == english_equivalents("!!!") == ()
    (composed,) = readings("四季山莊")
    assert composed.parts == ("四季", "山庄") and composed.meaning == "FOUR SEASONS MANOR HOUSE"


def test_a_note_says_the_meaning_and_how_it_was_read() -> None:
    assert meaning_note("CAMEL ACTIVE", "骆驼") == "'骆驼' means 'CAMEL' in English (CC-CEDICT)"
    assert meaning_note("四季山莊", "FOUR SEASONS") == (
        "'四季山莊', read as '四季' + '山庄', means 'FOUR SEASONS MANOR HOUSE' in English "
        "(CC-CEDICT)"
    )
    # the verbal element: a placeholder for the figure is not part of what is meant
    assert meaning_note("微笑設計圖", "One World, Connecting Smiles.") == (
        "'微笑' means 'SMILE' in English (CC-CEDICT)"
    )
    assert meaning_note("ACME", "骆驼") is None


def test_a_register_search_and_a_question_find_them() -> None:
    pairs = [(a, b) for a, b, _ in MEANT + HELD]
    assert recall_of_blocking(pairs) == 1.0
    texts = sorted({text for pair in pairs for text in pair})
    proposed = candidate_text_pairs([*texts, "ACME", "LAURA", "CAMEO", "茶裏王"])
    assert all(tuple(sorted(pair)) in proposed for pair in pairs)
    chinese = KeyedTexts(a for a, _, _ in MEANT + HELD)
    latin = KeyedTexts(b for _, b, _ in MEANT + HELD)
    for a, b, _ in MEANT + HELD:
        assert a in chinese.similar(b, 0.8), (b, a)  # asked in Latin letters
        assert b in latin.similar(a, 0.8), (a, b)  # asked in Chinese characters
    assert not latin.similar("茶裏王", 0.8)


def test_the_mark_index_keeps_translated_pairs_both_ways() -> None:
    marks = {f"m{i}": text for i, text in enumerate(["骆驼", "CAMEL ACTIVE", "桂冠", "LAUREL"])}
    index = MarkIndex(None)
    try:
        index.sync({**marks, "x": "ACME", "y": "茶裏王"})
        pairs = {frozenset((a, b)): found for a, b, found in index.similar_pairs()}
        assert "translation" in pairs[frozenset(("骆驼", "CAMEL ACTIVE"))].reasons
        assert "translation" in pairs[frozenset(("桂冠", "LAUREL"))].reasons
        assert not any("ACME" in pair or "茶裏王" in pair for pair in pairs)
        # a question's candidates are marks (IRIs): m0 骆驼, m1 CAMEL ACTIVE, m2 桂冠, m3 LAUREL
        assert {"m0", "m1"} <= index.candidates("CAMEL")
        assert "m0" in index.candidates("CAMEL ACTIVE")
        assert "m1" in index.candidates("駱駝")
        assert "m2" in index.candidates("LAUREL") and "m3" in index.candidates("桂冠")
    finally:
        index.close()


FIXTURE = DATA / "translation-conflicts.trig"
graph, store, graphql = fixture_world(FIXTURE)
LUOTUO, CAMEL_OUTDOOR = "Luotuo Apparel Co., Ltd.", "Camel Outdoor GmbH"


def _conflicts(analyst: Analyst) -> dict[frozenset[str], ConflictPair]:
    return {frozenset(p.name for p in c.parties): c for c in analyst.conflicts()}


def test_conflicts_say_the_meaning_and_its_dictionary(graph: KnowledgeGraph) -> None:
    pairs = _conflicts(Analyst(graph))
    found = pairs[frozenset((LUOTUO, CAMEL_OUTDOOR))]
    assert found.jurisdiction == "CN"
    assert "translation" in found.reasons[0]
    assert "'骆驼' means 'CAMEL' in English (CC-CEDICT)" in found.reasons[0]
    laurel = pairs[frozenset(("Guiguan Winery Co.", "Laurel Spirits Ltd."))]
    assert "'桂冠' means 'LAUREL' in English (CC-CEDICT)" in laurel.reasons[0]
    assert laurel.mark_similarity == 0.9
    # another place, an unrelated class, no dictionary word: no conflict
    assert frozenset((LUOTUO, "Desert Camel LLC")) not in pairs
    assert frozenset((LUOTUO, "Camel Circuits Co.")) not in pairs
    assert frozenset(("Chali Tea Co.", "Tea King Ltd.")) not in pairs


def test_who_else_uses_asked_in_either_script(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    hits = {u.party.name: u for u in analyst.who_else_uses("CAMEL ACTIVE", 25, "CN")}
    assert LUOTUO in hits and "translation" in hits[LUOTUO].reasons
    # the hit says the meaning and its dictionary, as a conflict does
    assert "'骆驼' means 'CAMEL' in English (CC-CEDICT)" in hits[LUOTUO].reasons
    hits = {u.party.name: u for u in analyst.who_else_uses("駱駝", 25, "CN")}  # traditional
    assert {LUOTUO, CAMEL_OUTDOOR} <= set(hits)
    assert "Desert Camel LLC" not in hits and "Camel Circuits Co." not in hits
    hits = {u.party.name: u for u in analyst.who_else_uses("LAUREL", 33, "CN")}
    assert "'桂冠' means 'LAUREL' in English (CC-CEDICT)" in hits["Guiguan Winery Co."].reasons
    # asked in Chinese: the Latin hit's reasons say what the question means
    hits = {u.party.name: u for u in analyst.who_else_uses("桂冠", 33, "CN")}
    assert "'桂冠' means 'LAUREL' in English (CC-CEDICT)" in hits["Laurel Spirits Ltd."].reasons
    # another reason: no note
    assert not any("CC-CEDICT" in r for r in hits["Guiguan Winery Co."].reasons)


def test_the_cli_gives_the_same_conflict(store: Path) -> None:
    result = run_kg("conflicts", "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    said = [row for row in rows if "means 'CAMEL' in English (CC-CEDICT)" in json.dumps(row)]
    assert len(said) == 1, rows


def test_graphql_gives_the_meaning_with_the_hit(graphql: str) -> None:
    query = """{ whoElseUses(mark: "CAMEL ACTIVE", niceClass: 25, jurisdiction: "CN") {
                 party { name } reasons } }"""
    answer = post(graphql, query)
    hits = {h["party"]["name"]: h["reasons"] for h in answer["data"]["whoElseUses"]}
    assert hits[LUOTUO][:1] == ["translation"]
    assert "'骆驼' means 'CAMEL' in English (CC-CEDICT)" in hits[LUOTUO]


_LOOKUP = """
import sys, time
from kg.analysis.translations import _dictionary, english_equivalents
started = time.perf_counter()
print(english_equivalents("骆驼"), type(_dictionary()).__name__, time.perf_counter() - started)
"""


def test_the_dictionary_is_read_from_a_table_built_once(tmp_path: Path) -> None:
    """A `kg` process reads CC-CEDICT from a lookup table in the user's cache folder
    (XDG_CACHE_HOME): the first builds it (parsing the dictionary, ~1.3 s), the next open it;
    where the folder cannot be written, the entries are parsed in memory instead."""
    import os
    import subprocess
    import sys

    def run(cache: Path) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _LOOKUP],
            capture_output=True,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(cache)},
            check=True,
        )
        return done.stdout.split()

    first = run(tmp_path / "cache")
    table = next((tmp_path / "cache" / "tmkg").glob("cccedict-*.sqlite"))
    built = table.stat().st_mtime_ns
    second = run(tmp_path / "cache")
    assert first[:2] == second[:2] == ["('CAMEL',)", "_Table"]
    assert table.stat().st_mtime_ns == built  # opened, not built again
    assert not list((tmp_path / "cache" / "tmkg").glob("*.tmp"))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    assert run(blocked)[:2] == ["('CAMEL',)", "dict"]
