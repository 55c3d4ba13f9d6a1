"""Checks shared by the similarity rules' tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.mark_index import MarkIndex
from kg.analysis.rule_blocking import lookup_keys
from kg.analysis.similarity import KeyedTexts, blocking_keys, recall_of_blocking


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


def assert_register_pairs_by(
    reason: str, similar: Sequence[tuple[str, str]], apart: Sequence[tuple[str, str]]
) -> None:
    """A register of every text of `similar` and `apart` proposes each `similar` pair, and a
    mark index over it finds each one by `reason` alone and none of `apart`; a question about
    either mark of a `similar` pair looks up a key of the other."""
    texts = {text for pair in (*similar, *apart) for text in pair}
    proposed = candidate_text_pairs(texts)
    for a, b in similar:
        assert tuple(sorted((a, b))) in proposed, (a, b)
    index = MarkIndex(None)
    index.sync({f"m{i}": text for i, text in enumerate(sorted(texts))})
    found = {(a, b): s.reasons for a, b, s in index.similar_pairs()}
    for a, b in similar:
        assert found.get(tuple(sorted((a, b)))) == (reason,), (a, b)
    for a, b in apart:
        assert tuple(sorted((a, b))) not in found, (a, b)
    for a, b in similar:
        assert lookup_keys(blocking_keys(a)) & blocking_keys(b), (a, b)
        assert lookup_keys(blocking_keys(b)) & blocking_keys(a), (b, a)
