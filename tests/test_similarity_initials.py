"""Initials written with stops (``H.A.G.W.``, ``I. B. M.``) are said letter by letter: the
rules comparing sounds (``phonetic``, ``sound``, ``sound-beginning``) do not read them as a
word, while the rules comparing letters still do (kg/analysis/similarity.py, `said_by_letters`;
docs/similarity.md). Found by a trial on a Taiwanese gazette's marks: ``HAWK.`` and
``H.A.G.W.設計字`` scored 0.87 ``phonetic`` (the initials read as the word HAGW)."""

from __future__ import annotations

import pytest

from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare, said_by_letters

# (initials with stops, a word they would sound like read as one word, the rule that fired
# on the same letters written without stops)
SOUNDED_OUT = [
    ("H.A.G.W.", "HAWK", "phonetic"),  # the trial's pair
    ("H.A.G.W.設計字", "HAWK.", "phonetic"),  # with the gazette's "design characters"
    ("K.W.I.K.", "QUIK", "phonetic"),
    ("S.E.I.K.O.", "SEYCOS", "sound"),
    ("S. A. I. K. O.", "SYCOS", "sound"),
    ("G.E.C.K.O.", "GEKKOART", "sound-beginning"),
    ("M.I.L.T.R.O.N.", "MILLTRONICS", "sound-beginning"),
]

# the same letters, or letters one apart in a short mark, are alike however written
SAME_LETTERS = [
    ("H.A.G.W.", "HAGW", "folded"),
    ("I.B.M.", "IBM", "folded"),
    ("I. B. M. SYSTEMS", "IBM SYSTEMS", "folded"),
    ("A.W.S.", "AWZ", "short"),
    ("N.A.S.A.", "NASSA", "fuzzy"),
]

# a stop that does not write initials: the sound rules read the words as before
NOT_INITIALS = [
    ("ST. MORITZ", "ST MORITS", "phonetic"),
    ("E.ON", "EEON", None),
    ("ACME INC.", "AKME", None),
]


@pytest.mark.parametrize(("initials", "word", "rule"), SOUNDED_OUT)
def test_initials_with_stops_are_not_read_as_a_word(initials: str, word: str, rule: str) -> None:
    closed_up = initials.replace(".", "").replace(" ", "")
    assert rule in compare(closed_up, word).reasons  # the letters as a word: alike by sound
    found = compare(initials, word)
    assert found.score < DEFAULT_MIN_SIMILARITY, found
    assert not {"phonetic", "sound", "sound-beginning"} & set(found.reasons)
    assert compare(word, initials) == found  # either way round


@pytest.mark.parametrize(("a", "b", "rule"), SAME_LETTERS)
def test_initials_with_stops_keep_the_rules_of_letters(a: str, b: str, rule: str) -> None:
    found = compare(a, b)
    assert found.score >= DEFAULT_MIN_SIMILARITY and rule in found.reasons, found


@pytest.mark.parametrize(("a", "b", "rule"), NOT_INITIALS)
def test_a_stop_that_writes_no_initials_changes_nothing(a: str, b: str, rule: str | None) -> None:
    assert not said_by_letters(a) and not said_by_letters(b)
    if rule is not None:
        assert rule in compare(a, b).reasons


def test_a_register_of_initials_is_asked_by_what_they_spell() -> None:
    """The mark index (who-else-uses, conflicts) gives what `compare` gives: the initials
    met by their letters, not by a word that sounds like them read as one; for a text held
    (the pairs the index compared) and for words asked that it does not hold."""
    marks = {f"urn:m:{n}": text for n, text in enumerate(["H.A.G.W.", "K.W.I.K.", "HAWK", "QUIK"])}
    index = MarkIndex(None)
    index.sync(marks)

    def held(text: str) -> set[str]:
        found = index.similar_marks(text, DEFAULT_MIN_SIMILARITY)
        assert found is not None
        return {marks[iri] for iri in found}

    def asked(text: str) -> set[str]:
        return {
            marks[iri]
            for iri in index.candidates(text, DEFAULT_MIN_SIMILARITY)
            if compare(text, marks[iri]).score >= DEFAULT_MIN_SIMILARITY
        }

    assert held("HAWK") == {"HAWK"} and held("H.A.G.W.") == {"H.A.G.W."}
    assert held("QUIK") == {"QUIK"}
    # HAGW as a word sounds like HAWK; the initials do not
    assert asked("HAGW") == {"H.A.G.W.", "HAWK"} and asked("KWIK") == {"K.W.I.K.", "QUIK"}
    assert asked("HAWKE") == {"HAWK"}
