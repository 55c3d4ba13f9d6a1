"""A register's comparison and a question read a mark's anchors alike: a mark anchors a
bucket of a rule key (``W:``, ``H:``, ``C:``, ``V:``, ``B:``, ``Y:``, ``I:``; ``X:`` pairs
its holders of the twin with the others) exactly when it has the key's lowercase twin, the
key a question about it looks the bucket up by (`rule_blocking.lookup_keys`). Before
2026-12-06 the comparison took anchors from a mark's written words alone and missed those
of its numbers said as words (e4you / MI CASA 4 YOU); until session 40 it made each member's
twins again (~0.1 ms a mark, a fifth of a register's first comparison); now it reads the
holders of the twin among the keys the index keeps (`mark_index._BUCKET_ROWS`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.analysis import mark_index
from kg.analysis.mark_index import SIMILAR_FLOOR, MarkIndex
from kg.analysis.rule_blocking import (
    ANCHOR_KINDS,
    anchor_twin,
    anchor_twins,
    bucket_pairs,
    rule_forms,
)
from kg.analysis.similarity import blocking_keys, compare

TEXTS = [
    *mark_index._PROBES,
    "e4you", "MI CASA 4 YOU", "4LIFE", "x4ever", "7UP & Device", "UBER EATS", "Uber",
    "金鹤 GOLDEN CRANE", "HM HottoMotto ほっともっと", "ジョーダン 5", "乔丹", "소니 SONY",
    "GOLDEN CRANE INC.", "LA CASA DEL 7", "ΑΛΦΑ 2", "Зенит 3", "SPEEDY'S", "A.W.S.",
    "UBER", "UBERX", "SONY MUSIC", "GOLDEN CRANE", "JORDAN", "FIT 4 LIFE GYM", "7 UP",
]  # fmt: skip


@pytest.fixture(scope="module")
def register() -> Iterator[tuple[MarkIndex, dict[str, str]]]:
    marks = {f"m{i}": text for i, text in enumerate(dict.fromkeys(TEXTS))}
    index = MarkIndex(None)
    index.sync(marks)
    index.compare_new_texts()
    yield index, marks
    index.close()


def test_a_bucket_is_anchored_by_the_holders_of_its_twin(register) -> None:
    index, _ = register
    texts = dict(index._db.execute("SELECT id, text FROM texts"))
    rows = index._db.execute(mark_index._BUCKET_ROWS).fetchall()
    kinds = set()
    for key, id_, anchored in rows:
        twin = anchor_twin(key)
        assert bool(anchored) == (twin in blocking_keys(texts[id_])), (key, texts[id_])
        # the twins of each of its forms (rule_blocking._twins until session 40)
        twins = set().union(*(anchor_twins(form) for form in rule_forms(texts[id_])))
        assert bool(anchored) == (twin in twins), (key, texts[id_])
        if anchored:
            kinds.add(key[:2])
    # the check above checks something: the texts anchor buckets of every kind
    assert {kind.lower() for kind in kinds} == set(ANCHOR_KINDS)


def test_the_register_stores_what_a_question_finds(register) -> None:
    index, marks = register
    stored: dict[str, set[str]] = {text: set() for text in marks.values()}
    for a, b, _ in index.similar_pairs():
        stored[a].add(b)
        stored[b].add(a)
    for text in stored:
        asked = {
            marks[iri]
            for iri in index.candidates(text)
            if marks[iri] != text and compare(text, marks[iri]).score >= SIMILAR_FLOOR
        }
        assert asked == stored[text], text
    assert stored["e4you"] >= {"MI CASA 4 YOU"}  # W:FOUR|YOU, anchored by its reading


@pytest.mark.parametrize("seed", [1, 2])
def test_a_register_grown_a_few_marks_at_a_time_stores_the_same_pairs(register, seed) -> None:
    # a few new texts are compared in the buckets they join, of which a bucket with anchors
    # that none of them anchors is read as its new texts and its anchors alone
    import random

    whole, marks = register
    everything = {(a, b) for a, b, _ in whole.similar_pairs()}
    order = list(marks.items())
    random.Random(seed).shuffle(order)
    first = len(order) * 2 // 3
    index = MarkIndex(None)
    try:
        index.sync(dict(order[:first]))
        index.compare_new_texts()
        for end in range(first + 4, len(order) + 4, 4):  # each a day's few marks
            index.sync(dict(order[:end]))
            index.compare_new_texts()
        assert {(a, b) for a, b, _ in index.similar_pairs()} == everything
    finally:
        index.close()


def test_a_bucket_pairs_its_anchors_alone_with_the_others() -> None:
    texts = ["UBER", "UBER EATS", "UBERX"]
    always = lambda _: True  # noqa: E731
    assert list(bucket_pairs("W:UBER", [0, 1, 2], texts.__getitem__, always, {0})) == [
        (0, 1),
        (0, 2),
    ]
    assert not list(bucket_pairs("W:UBER", [0, 1, 2], texts.__getitem__, always, set()))


def test_a_mark_anchors_by_the_words_of_its_numbers_read() -> None:
    found = set().union(*(anchor_twins(form) for form in rule_forms("e4you")))
    assert {"w:E4YOU", "w:FOUR|YOU", "v:FOUR|YOU", "c:EFOURYOU"} <= found
    assert found <= blocking_keys("e4you")


@pytest.mark.parametrize("text", ["M2", "i2", "2u", "O2", "1", "E3 & Design"])
def test_a_number_beside_letters_alone_is_not_read(text: str) -> None:
    # the numeral rule reads no mark without a word of two letters (M2 is no M TWO): such a
    # mark has no keys of a reading, which paired it with every mark of the word TWO (the
    # real registers: 6,831 more candidate pairs, 3,342 of them by such marks alone)
    assert len(rule_forms(text)) <= 1  # the verbal element alone
    assert not any("TWO" in key or "ONE" in key for key in blocking_keys(text))
