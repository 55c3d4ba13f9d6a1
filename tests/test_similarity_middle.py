"""The ``middle`` rule: a one-word mark that is another with two or three letters inserted in
its middle, its beginning and end kept (kg/analysis/similarity_rules.py; docs/similarity.md),
and the ``B:`` blocking keys that let a register-wide search propose every pair it fires on."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.rule_blocking import lookup_keys
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, blocking_keys, compare
from kg.analysis.similarity_rules import middle_variants
from tests.similarity_support import assert_register_pairs_by

# Found similar by the decisions cited in the rule's docstring, and made-up words of the
# same kind: a syllable of two or three letters inserted inside a coined word.
SIMILAR = [
    ("COMMUNICASH", "COMMCASH"),  # Fed. Cir. 1987
    ("NU VERUS", "NUTRIVERUS"),  # TTAB 2016: the shorter mark in two words
    ("NIVEA", "NIVEOLA"),  # Taiwan IP Court 2019
    ("Nivea", "niveola"),  # case is folded
    ("VELINA", "VELORINA"),
    ("SANTERA", "SANTOMERA"),
    ("TRAVCITY", "TRAVELOCITY"),  # three letters into eight
    ("LOTUS", "LOTOMUS"),  # two letters into five: at most half
    ("KA-RELIA", "KAFARELIA"),  # punctuation set aside
    ("NIVEA GROUP", "NIVEOLA"),  # weak words set aside
    ("THE COMMCASH", "COMMUNICASH SHOP"),
]

# Pairs that must stay apart, each with the reasons `compare` gives them.
APART = [
    ("APIAL", "APIRETAL", ()),  # three letters into five: more than half (decided not similar)
    ("VITAL", "VITRIOL", ()),  # two letters inserted and one changed
    ("ZENTO", "ZENORTOS", ()),  # inserted and added at the end
    ("NIVEA", "NIVEOLA CARE", ()),  # the longer mark is two distinctive words
    ("FLOUR", "FLAVOUR", ()),  # two ordinary words of different meanings
    ("BRAND", "BRIGAND", ()),  # the same
    ("VELNA", "VEOLRINA", ()),  # four letters into five
    ("ABCD", "ABXYCD", ()),  # the shorter form under five letters
]

# The shorter mark begins or ends the longer: containment's (or beginning's), not this rule's.
CONTAINED = [("KODAK", "KODAKARA"), ("BRAND", "BRANDED"), ("LEXUS", "ALEXUS")]


@pytest.mark.parametrize(("a", "b"), SIMILAR)
def test_letters_inserted_in_the_middle_make_marks_similar(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.reasons == ("middle",), (a, b, found)
    assert found.score >= DEFAULT_MIN_SIMILARITY
    assert compare(b, a) == found


@pytest.mark.parametrize(("a", "b", "reasons"), APART)
def test_pairs_outside_the_rule_stay_apart(a: str, b: str, reasons: tuple[str, ...]) -> None:
    found = compare(a, b)
    assert found.reasons == reasons, (a, b, found)
    assert found.score < DEFAULT_MIN_SIMILARITY


@pytest.mark.parametrize(("a", "b"), CONTAINED)
def test_a_mark_at_either_end_is_containment(a: str, b: str) -> None:
    found = compare(a, b)
    assert "middle" not in found.reasons, (a, b, found)
    assert {"containment", "beginning"} & set(found.reasons), (a, b, found)


def test_one_letter_inserted_is_the_spelling_rules() -> None:
    found = compare("VELTRON", "VELTROON")
    assert "fuzzy" in found.reasons and "middle" not in found.reasons


def test_the_keys_stay_linear_in_the_length() -> None:
    word = "QWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOPAS"
    assert len(word) == 64
    assert len(middle_variants(word, (word,))) <= 2 * len(word)
    assert middle_variants("NIVEOLA CARE", ("NIVEOLA", "CARE")) == set()


def test_a_register_proposes_every_middle_pair() -> None:
    assert_register_pairs_by("middle", SIMILAR, [(a, b) for a, b, _ in APART])


@st.composite
def insertions(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the same word with a few letters inserted somewhere, spelled in a few
    letters so that the rule often fires (and often just does not)."""
    word = draw(st.text(alphabet="AEIKLMORS", min_size=3, max_size=12))
    inserted = draw(st.text(alphabet="AEIKLMORS", min_size=1, max_size=4))
    at = draw(st.integers(min_value=0, max_value=len(word)))
    return word, word[:at] + inserted + word[at:]


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(insertions(), st.sampled_from(["", " ", "-"]))
def test_every_middle_pair_is_proposed(pair: tuple[str, str], gap: str) -> None:
    a, b = pair
    if gap and len(a) > 2:
        a = a[:2] + gap + a[2:]  # the shorter mark written in two words or hyphenated
    if "middle" in compare(a, b).reasons:
        assert tuple(sorted((a, b))) in candidate_text_pairs([a, b]), (a, b)
        assert lookup_keys(blocking_keys(a)) & blocking_keys(b), (a, b)
        assert lookup_keys(blocking_keys(b)) & blocking_keys(a), (b, a)


def test_the_property_meets_the_rule() -> None:
    """The strategy above makes pairs the rule fires on, and pairs it does not."""
    assert "middle" in compare("KIMORA", "KIMOSERA").reasons
    assert "middle" not in compare("KIMORA", "KIMORASE").reasons  # at the end
