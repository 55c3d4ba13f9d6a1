"""The ``transposition`` rule (kg.analysis.similarity_rules.transposition): the same
distinctive words in another order (USPTO TMEP 1207.01(b)(vii)), or all of one mark's inside
the other in another order, Chinese marks of the same characters in another order (CNIPA's
examination guidelines), and Hangul or kana closed up with its two parts swapped
(kg.analysis.syllable_rules.syllable_rotation) — scored, explained and found by the
register-wide search."""

from __future__ import annotations

import pytest

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.similarity import KeyedTexts, compare, recall_of_blocking

TRANSPOSED = [
    ("RUST BUSTER", "BUSTER RUST", 0.9),  # In re Nationwide Industries (TMEP 1207.01(b)(vii))
    ("SILKY TOUCH", "TOUCH SILKY", 0.9),
    ("Blue Magic", "MAGIC BLUE", 0.9),
    ("HANGOVER ZERO", "ZERO HANGOVER THE LAST DEFENSE", 0.8543),  # In re Hangover Zero (TTAB)
    ("NIKE AIR", "AIR NIKE MAX", 0.89),
    ("HiNet hiDefender", "hiDefender HiNet", 0.9),  # TIPO gazette 2022-03-16
    ("優肌", "肌優", 0.9),  # 知財高判平成21年(行ケ)10071
    ("可口可乐", "乐可口可", 0.9),
    # Hangul and kana closed up, the two parts swapped (syllable_rules.syllable_rotation)
    ("바다별빛", "별빛바다", 0.9),  # the trial's example
    ("하늘바다", "바다하늘", 0.9),
    ("초록나무숲", "나무숲초록", 0.9),  # parts of two and three syllables
    ("ヒカリソラ", "ソラヒカリ", 0.9),
    ("ひかりそら", "ソラヒカリ", 0.9),  # hiragana read as katakana
    ("シャブキング", "キングシャブ", 0.9),  # a small kana stays with its syllable
    ("바다 별빛", "별빛 바다", 0.9),  # written apart: words
    ("바다별빛", "별빛 바다", 0.9),  # one closed up, one apart (the trial of 2026-12-02)
]

NOT_TRANSPOSED = [
    ("UBER EATS", "UBER EATS NOW"),  # in order: containment
    ("PENFOLDS SUPERBLEND", "PENFOLDS 802.B SUPERBLEND"),  # in order, a word between
    ("RUST BUSTER", "BUST RUST"),  # other words
    ("SILKY TOUCH", "TOUCH O' SILK"),  # In re Akzona: SILK is not SILKY
    ("NIKE", "EKIN"),  # one word: letters reordered are another word
    ("大森林", "木林森"),  # other characters
    ("羊", "羊羊"),
    ("蜜蜂", "蜂蜜"),  # bee / honey: two dictionary words of other meanings (CC-CEDICT)
    ("上海", "海上"),  # Shanghai / at sea
    ("牛奶", "奶牛"),  # milk / dairy cow
    ("바다별", "별바다"),  # three syllables: a part of one syllable is not a word
    ("별빛바다", "빛바다별"),  # one syllable moved
    ("스타벅스", "벅스스타스"),  # another syllable
    ("바다별빛", "바다빛별"),  # the second part's syllables swapped
]


@pytest.mark.parametrize(("a", "b", "score"), TRANSPOSED, ids=repr)
def test_the_same_words_in_another_order(a: str, b: str, score: float) -> None:
    found = compare(a, b)
    assert "transposition" in found.reasons, found
    assert found.score >= score
    assert compare(b, a) == found  # symmetric


@pytest.mark.parametrize(("a", "b"), NOT_TRANSPOSED, ids=repr)
def test_not_a_transposition(a: str, b: str) -> None:
    assert "transposition" not in compare(a, b).reasons


def test_a_register_search_and_a_question_find_them() -> None:
    pairs = [(a, b) for a, b, _ in TRANSPOSED]
    assert recall_of_blocking(pairs) == 1.0
    texts = [text for pair in pairs for text in pair]
    proposed = candidate_text_pairs([*texts, "ACME", "BUSTER KEATON", "森林"])
    assert all(tuple(sorted(pair)) in proposed for pair in pairs)
    index = KeyedTexts([*(b for _, b, _ in TRANSPOSED), "BUSTER KEATON", "RUST"])
    for a, b, _ in TRANSPOSED:
        assert b in index.similar(a, 0.8), (a, b)
    assert "BUSTER KEATON" not in index.similar("RUST BUSTER", 0.8)
