"""The ``ending`` rule: long coined words that differ at the beginning but share most of their
ending (kg/analysis/similarity_rules.py; docs/similarity.md), and the ``T:`` blocking keys
that let a register-wide search propose every pair it fires on."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.analysis import rule_blocking
from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.mark_index import MarkIndex
from kg.analysis.rule_blocking import bucket_pairs, lookup_keys
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, blocking_keys, compare
from tests.similarity_support import assert_register_pairs_by

# Found similar by the decisions cited in the rule's docstring, and made-up words of the
# same kind: one distinctive word each, 7+ letters, one beginning for another.
SIMILAR = [
    ("FAVOLIZIA", "RAGOLIZIA"),
    ("FINSBURY", "KINGSBURY"),
    ("kickers", "snickers"),
    ("SEROPRAM", "OROPRAM"),
    ("REVANESSE", "Rejeunesse"),
    ("BELUMIRA", "FALUMIRA"),
    ("BELUMIRA", "SKELUMIRA"),
    ("THE KINGSBURY", "FINSBURY"),  # weak words set aside
    ("Ragolizia Group", "FAVOLIZIA"),
]

# Pairs that must stay apart, each with why: the reasons `compare` gives them.
APART = [
    ("GOFETCH", "GLOWFETCH", ()),  # lengths two letters apart (decided not similar)
    ("KICKER", "SNICKER", ()),  # a word under seven letters
    ("KAROLINA", "SKROLINA", ()),  # four vowel groups against three
    ("PALIKONERA", "DUVEKONERA", ()),  # half the word shared, but 60% alike by edits
    ("RIO MARE", "NOVO MARE", ()),  # two distinctive words each (decided not similar)
    ("NASH360", "PATH360", ()),  # not of letters alone
    ("FAVOLIZIA", "RAGOLIZIA TOFFEE", ()),  # the other mark has a second word
]


@pytest.mark.parametrize(("a", "b"), SIMILAR)
def test_a_shared_long_ending_makes_marks_similar(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.reasons == ("ending",), (a, b, found)
    assert found.score >= DEFAULT_MIN_SIMILARITY
    assert compare(b, a) == found


@pytest.mark.parametrize(("a", "b", "reasons"), APART)
def test_pairs_outside_the_rule_stay_apart(a: str, b: str, reasons: tuple[str, ...]) -> None:
    found = compare(a, b)
    assert found.reasons == reasons, (a, b, found)
    assert found.score < DEFAULT_MIN_SIMILARITY


def test_one_edit_apart_is_fuzzy_too() -> None:
    assert compare("CALPROFEN", "DALPROFEN").reasons == ("ending", "fuzzy")


def test_a_register_proposes_every_ending_pair() -> None:
    assert_register_pairs_by("ending", SIMILAR, [(a, b) for a, b, _ in APART])


def test_a_common_ending_makes_no_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    """An ending shared by more than `MAX_SHARED_ENDING` words of one length and rhythm is
    a common suffix: its bucket proposes no pairs (`compare` still scores them)."""
    texts = ["BELUMIRA", "FALUMIRA", "DOLUMIRA"]
    key = "T:4.8.MIRA"  # four vowel groups, eight letters, ending in their last half
    assert all(key in blocking_keys(t) for t in texts)
    pairs = list(bucket_pairs(key, range(3), texts.__getitem__, lambda _: True, ()))
    assert len(pairs) == 3
    monkeypatch.setattr(rule_blocking, "MAX_SHARED_ENDING", 2)
    assert not list(bucket_pairs(key, range(3), texts.__getitem__, lambda _: True, ()))
    assert compare("BELUMIRA", "DOLUMIRA").reasons == ("ending",)


@pytest.mark.parametrize(
    ("asked", "others"),
    [
        ("Corlodor", ["TORSODOR", "COLMODOR"]),  # met only by their ending's T: key
        ("BELUMIRA", ["FALUMIRA", "SKELUMIRA"]),
        ("FAVOLIZIA", ["RAGOLIZIA", "MEROLIZIA"]),
    ],
)
def test_a_question_leaves_out_a_common_ending_as_the_register_does(
    monkeypatch: pytest.MonkeyPatch, asked: str, others: list[str]
) -> None:
    """A mark asked about in its own words meets the marks of a diluted ``T:`` bucket no more
    than the same mark in the register does (`rule_blocking.diluted`): one answer whether or
    not the register holds the words asked."""
    marks = {f"m{i}": text for i, text in enumerate([*others, "ZEBRA"])}

    def asked_alone() -> set[str]:
        index = MarkIndex(None)
        index.sync(marks)
        found = index.candidates(asked)
        return {marks[iri] for iri in found if compare(asked, marks[iri]).score >= 0.8}

    def held() -> set[str]:
        index = MarkIndex(None)
        index.sync({**marks, "asked": asked})
        found = index.similar_marks(asked) or {}
        return {marks[iri] for iri in found if iri != "asked"}

    assert asked_alone() == held() == {t for t in others if "ending" in compare(asked, t).reasons}
    monkeypatch.setattr(rule_blocking, "MAX_SHARED_ENDING", 1)  # every T: bucket is diluted
    assert asked_alone() == held()
    assert all("ending" not in compare(asked, t).reasons for t in asked_alone())


@st.composite
def endings(draw: st.DrawFn) -> tuple[str, str]:
    """Two words of one shared ending and beginnings of their own, spelled in a few letters
    so that the rule often fires (and often just does not)."""
    letters = st.text(alphabet="AEIKLMORS", min_size=0, max_size=4)
    shared = draw(st.text(alphabet="AEIKLMORS", min_size=3, max_size=8))
    return draw(letters) + shared, draw(letters) + shared


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(endings(), st.sampled_from(["", " GROUP", "THE "]))
def test_every_ending_pair_is_proposed(pair: tuple[str, str], weak: str) -> None:
    a, b = pair[0], (weak + pair[1] if weak.endswith(" ") else pair[1] + weak)
    if "ending" in compare(a, b).reasons:
        assert tuple(sorted((a, b))) in candidate_text_pairs([a, b]), (a, b)
        assert lookup_keys(blocking_keys(a)) & blocking_keys(b), (a, b)
        assert lookup_keys(blocking_keys(b)) & blocking_keys(a), (b, a)


def test_the_property_meets_the_rule() -> None:
    """The strategy above makes pairs the rule fires on, and pairs it does not."""
    assert "ending" in compare("KIMORASEL", "LAMORASEL").reasons
    assert "ending" not in compare("SOKIRA", "MESOKIRA").reasons  # six letters
