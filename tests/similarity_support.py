"""Checks shared by the similarity rules' tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.similarity import KeyedTexts, recall_of_blocking


def assert_searches_find(pairs: Sequence[tuple[str, str]], others: Iterable[str] = ()) -> None:
    """Every pair shares a blocking key, a register-wide search over their texts (and
    `others`) proposes it, and a question about its first mark finds its second at 0.8."""
    assert recall_of_blocking(pairs) == 1.0
    texts = sorted({text for pair in pairs for text in pair} | set(others))
    proposed = candidate_text_pairs(texts)
    assert all(tuple(sorted(pair)) in proposed for pair in pairs)
    later = KeyedTexts(b for _, b in pairs)
    for a, b in pairs:
        assert b in later.similar(a, 0.8), (a, b)
