"""Meanings that set marks apart: two Latin marks alike only by their letters or sounds, each
of ordinary English words and sharing none, are not similar (kg/analysis/similarity.py
`_meanings_apart`; docs/similarity.md, "Meanings apart")."""

from __future__ import annotations

import pytest

from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, MEANINGS_APART_TOP, compare

# Decided not similar (bench/decisions), and ordinary words of the same kinds: one letter
# changed or added, a sound code shared, a word inside another word.
APART = [
    ("CLOSED", "CLOSET"),  # UK O/175/04
    ("LOTUS", "LOTS"),  # Korean Patent Court
    ("SWAT", "SWATCH"),  # UK O/006/04: a word inside a word
    ("HEAD", "STONEHEAD"),  # UK O/026/02
    ("GULP", "GULPY"),  # TTAB 2007
    ("APPLE", "APPLY"),
    ("ADAPT", "ADEPT"),
    ("BLUSH", "BRUSH"),
    ("MODEL", "MOREL"),
    ("CARTON", "CARTOON"),
    ("Bird", "LADYBIRD"),
]

# Alike by a rule that weighs more than letters, or not two ordinary words.
KEPT = [
    ("LITE", "LIGHT"),  # pronounced the same: a respelling evokes the word
    ("NITE", "NIGHT"),
    ("MATCH", "MATCHING"),  # `beginning`: a word of the same family
    ("MONSTER", "MOBSTER"),  # `ending` (long words sharing most of their end)
    ("kickers", "snickers"),  # the same, decided similar (T-537/11)
    ("LION", "LIONS INTERNATIONAL"),  # a word shared
    ("STAIN ERASER", "ERASE"),  # a word of a composite mark
    ("GOOGLE", "GOGGLE"),  # GOOGLE is no ordinary word
    ("NIKE", "NYKE"),
    ("CLOSETTA", "CLOSET"),
]


@pytest.mark.parametrize(("a", "b"), APART)
def test_marks_of_different_ordinary_words_are_apart(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.reasons == () and found.score <= MEANINGS_APART_TOP, (a, b, found)
    assert compare(b, a) == found


@pytest.mark.parametrize(("a", "b"), KEPT)
def test_other_pairs_stay_similar(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.score >= DEFAULT_MIN_SIMILARITY and found.reasons, (a, b, found)


def test_a_register_pairs_none_of_them() -> None:
    texts = sorted({text for pair in (*APART, *KEPT) for text in pair})
    index = MarkIndex(None)
    index.sync({f"m{i}": text for i, text in enumerate(texts)})
    found = {(a, b) for a, b, _ in index.similar_pairs()}
    for a, b in APART:
        assert tuple(sorted((a, b))) not in found, (a, b)
    for a, b in KEPT:
        assert tuple(sorted((a, b))) in found, (a, b)
