"""A register's comparison and a question read a mark's anchors alike: a mark anchors a
bucket of a rule key (``W:``, ``H:``, ``C:``, ``V:``, ``B:``, ``Y:``, ``I:``; ``X:`` pairs
its holders of the twin with the others) exactly when it has the key's lowercase twin, the
key a question about it looks the bucket up by (`rule_blocking.lookup_keys`). Before
2026-12-06 the comparison took anchors from a mark's written words alone and missed those
of its numbers said as words (e4you / MI CASA 4 YOU)."""

from __future__ import annotations

import pytest

from kg.analysis import mark_index
from kg.analysis.rule_blocking import ANCHOR_KINDS, anchor_twins, bucket_pairs, rule_forms
from kg.analysis.similarity import blocking_keys

TEXTS = [
    *mark_index._PROBES,
    "e4you", "MI CASA 4 YOU", "4LIFE", "x4ever", "7UP & Device", "UBER EATS", "Uber",
    "金鹤 GOLDEN CRANE", "HM HottoMotto ほっともっと", "ジョーダン 5", "乔丹", "소니 SONY",
    "GOLDEN CRANE INC.", "LA CASA DEL 7", "ΑΛΦΑ 2", "Зенит 3", "SPEEDY'S", "A.W.S.",
]  # fmt: skip
_OTHER = "QXQXQXQXQZ"  # anchors nothing of the texts'


@pytest.mark.parametrize("text", TEXTS)
def test_a_mark_anchors_the_buckets_of_its_twins(text: str) -> None:
    keys = blocking_keys(text)
    # X: buckets pair a holder of the twin with a Latin mark the rule reads alike: not with
    # any other (tests/test_similarity_transcription.py)
    anchored = [k for k in keys if k[:2].lower() in ANCHOR_KINDS and k[:2].isupper()]
    anchored = [k for k in anchored if k[:2] != "X:"]
    for key in anchored:
        paired = bool(list(bucket_pairs(key, [0, 1], [text, _OTHER].__getitem__, lambda _: True)))
        assert paired == (key[:2].lower() + key[2:] in keys), (text, key)


def test_the_texts_anchor_buckets_of_every_kind() -> None:
    # the test above checks something: the texts anchor buckets of every kind
    anchored = [k for text in TEXTS for k in blocking_keys(text) if k[:2] in ANCHOR_KINDS]
    assert {k[:2] for k in anchored} >= {"w:", "h:", "c:", "v:", "b:", "y:", "i:", "x:"}


def test_a_mark_anchors_by_the_words_of_its_numbers_read() -> None:
    found = set().union(*(anchor_twins(form) for form in rule_forms("e4you")))
    assert {"w:E4YOU", "w:FOUR|YOU", "v:FOUR|YOU", "c:EFOURYOU"} <= found
    texts = ["e4you", "MI CASA 4 YOU"]
    assert list(bucket_pairs("W:FOUR|YOU", [0, 1], texts.__getitem__, lambda _: True)) == [(0, 1)]


@pytest.mark.parametrize("text", ["M2", "i2", "2u", "O2", "1", "E3 & Design"])
def test_a_number_beside_letters_alone_is_not_read(text: str) -> None:
    # the numeral rule reads no mark without a word of two letters (M2 is no M TWO): such a
    # mark has no keys of a reading, which paired it with every mark of the word TWO (the
    # real registers: 6,831 more candidate pairs, 3,342 of them by such marks alone)
    assert len(rule_forms(text)) <= 1  # the verbal element alone
    assert not any("TWO" in key or "ONE" in key for key in blocking_keys(text))
