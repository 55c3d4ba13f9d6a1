"""Initials written with stops (``H.A.G.W.``, ``I. B. M.``) are said letter by letter: the
rules comparing sounds (``phonetic``, ``sound``, ``sound-beginning``) do not read them as a
word, while the rules comparing letters still do (kg/analysis/similarity.py, `said_by_letters`;
docs/similarity.md). Found by a trial on a Taiwanese gazette's marks: ``HAWK.`` and
``H.A.G.W.設計字`` scored 0.87 ``phonetic`` (the initials read as the word HAGW)."""

from __future__ import annotations

import pytest

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.mark_index import MarkIndex
from kg.analysis.service import Analyst
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare, said_by_letters
from tests.similarity_support import assert_searches_find

# (initials with stops, a word they would sound like read as one word, the rule that fired
# on the same letters written without stops)
SOUNDED_OUT = [
    ("H.A.G.W.", "HAWK", "phonetic"),  # the trial's pair
    ("H.A.G.W.設計字", "HAWK.", "phonetic"),  # with the gazette's "design characters"
    ("K.W.I.K.", "QUIK", "phonetic"),
    ("K.W.I.K", "QUIK", "phonetic"),  # the last letter without its stop
    ("S.E.I.K.O.", "SEYCOS", "sound"),
    ("S. A. I. K. O.", "SYCOS", "sound"),
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

# full-width (NFKC) and ideographic stops write initials too (the TIPO gazette's marks)
WIDE_STOPS = [
    ("Ｋ．Ｗ．Ｉ．Ｋ．", "QUIK"),
    ("H。A。G。W。", "HAWK"),
    ("Ｈ．Ａ．Ｇ．Ｗ．設計字", "HAWK"),
]

# a stop that does not write initials: the sound rules read the words as before
NOT_INITIALS = [
    ("ST. MORITZ", "ST MORITS", "phonetic"),
    ("E.ON", "EEON", None),
    ("ACME INC.", "AKME", None),
]

# initials beside words (a legal form, a place, a prefix): the mark is read aloud as before
# (a trial found `KWIK CLEEN e.V.` / `QUICK CLEAN` 0.82 -> 0.45 when any initials turned the
# sound rules off)
WORDS_BESIDE = [
    ("KWIK CLEEN e.V.", "QUICK CLEAN", "sound"),
    ("CERTAIN a.s.", "SERTUN", "sound"),
    ("NITE N.Y.", "NIGHT N.Y.", "phonetic"),
    ("GECKO e.V.", "GEKKOART", "sound-beginning"),
    ("MILTRON a.s.", "MILLTRONICS", "sound-beginning"),
    ("A.B. KWIK CLEEN", "AB QUICK CLEAN", "sound"),
]

# initials are one word (AWS), so a mark of initials lies whole in another as its letters do
# (`A.W.S.` / `A.W.S. CLOUD` scored 0.38: three one-letter words)
CONTAINED = [
    ("A.W.S.", "A.W.S. CLOUD"),
    ("A.W.S.", "AWS CLOUD"),
    ("I.B.M.", "IBM SYSTEMS"),
    ("I.B.M. SYSTEMS", "IBM"),
    ("I.B.M.國際", "IBM"),
    ("Ｉ．Ｂ．Ｍ． 國際", "IBM"),
    ("A.B.C", "ABC SHOP"),  # the last letter without its stop
    ("A.B.C", "A.B.C.COM"),
    ("Q.R.X", "QRX LABS"),
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


@pytest.mark.parametrize(("initials", "word"), WIDE_STOPS)
def test_wide_and_ideographic_stops_write_initials(initials: str, word: str) -> None:
    found = compare(initials, word)
    assert said_by_letters(initials) and found.score < DEFAULT_MIN_SIMILARITY, found


@pytest.mark.parametrize(("a", "b", "rule"), WORDS_BESIDE)
def test_initials_beside_words_leave_the_sound_rules_on(a: str, b: str, rule: str) -> None:
    assert not said_by_letters(a) and rule in compare(a, b).reasons


@pytest.mark.parametrize(("a", "b"), CONTAINED)
def test_initials_are_one_word_inside_another_mark(a: str, b: str) -> None:
    found = compare(a, b)
    assert "containment" in found.reasons and found.score >= DEFAULT_MIN_SIMILARITY, found
    closed_up = compare(a.replace(".", "").replace("．", ""), b)
    assert found.score == closed_up.score  # as the same letters written without stops


def test_initials_beside_a_word_do_not_make_another_mark_of_that_word_similar() -> None:
    """A trial's false match (`T.G.I. FRIDAY'S` / `The Friday December 22 2006`, 0.85: the
    initials were three one-letter words, so FRIDAY'S stood alone)."""
    assert compare("T.G.I. FRIDAY'S", "The Friday December 22 2006").score < 0.8


# two initials stay two letters: as one two-letter word they would be weak, and the generic
# word left would meet any mark holding it (a trial on the real registers, session 35: 9 of
# 20 changed pairs of 1.9M were these, all wrong)
TWO_INITIALS = [
    ("A.M. ENGINEERING", "CTR ENGINEERING"),
    ("A.M. ENGINEERING", "BIOGAS ENGINEERING"),
    ("N. I. KIDS", "MAMA & KIDS"),
    ("J & M. W. YACHTS", "Sunseeker International Yachts"),
    ("IV-ZONE I.T.", "ALNITEC O-ZONE"),
    ("P.U. SHOCK", "LINK SHOCK"),
]

# letters that spell an ordinary word are read as the word (a word spelled out)
SPELLED_WORDS = [
    ("L.O.C.K.", "W-LOK", "phonetic"),
    ("L.O.C.K.", "LOKK", "phonetic"),
    ("B.E.S.T.", "BESST", "phonetic"),
    ("G.E.C.K.O.", "GEKKOART", "sound-beginning"),
]


@pytest.mark.parametrize(("a", "b"), TWO_INITIALS)
def test_two_initials_are_not_a_weak_word_that_leaves_the_rest_alone(a: str, b: str) -> None:
    assert compare(a, b).score < DEFAULT_MIN_SIMILARITY


@pytest.mark.parametrize(("a", "b", "rule"), SPELLED_WORDS)
def test_initials_spelling_a_word_are_read_as_the_word(a: str, b: str, rule: str) -> None:
    assert not said_by_letters(a) and rule in compare(a, b).reasons


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


def test_the_comparison_says_initials_are_said_letter_by_letter() -> None:
    """`kg compare` (and `compareMarks`) says why a sound-alike is not one."""
    found = Analyst.compare("H.A.G.W.設計字", "HAWK")
    assert not found.similar
    assert "'H.A.G.W.' is initials, said letter by letter: not compared by sound" in found.notes
    assert not any("initials" in note for note in Analyst.compare("NITE N.Y.", "NIGHT").notes)


# A mark of initials alone (two letters, no common word) lies whole in a mark holding them as
# a word (helper-122: LG / LG ELECTRONICS scored 0.15): UKIPO O/178/99 (RM / MB RM) and
# In re Mighty Leaf Tea, 601 F.3d 1342 (Fed. Cir. 2010) (ML / ML MARK LEES), both held similar.
INITIALS_ALONE = [
    ("LG", "LG ELECTRONICS"),
    ("RM", "MB RM"),
    ("ML", "ML MARK LEES"),
    ("L.G.", "LG ELECTRONICS"),
    ("LG", "L.G. ELECTRONICS"),
    ("HP", "THE HP STORE"),
    ("MB RM", "MB RM GROUP"),
    ("LG 5", "LG 5 PHONES"),
    # initials in Latin letters beside another script (helper-125 #7: 0.25)
    ("LG", "LG 전자"),
    ("LG", "LG電子"),
    ("LG", "L.G. 電子"),
    ("LG", "2024 LG CUP"),  # a year is no quantity (helper-125 #12)
]

# ... and nowhere else: not as other letters, not as a common two-letter word, not without the
# number beside them, not inside a word
INITIALS_NOT_THERE = [
    ("LG", "GL ELECTRONICS"),
    ("LG", "ALGAE"),
    ("MY", "MY CAFE"),  # a common word (schema/short-words.csv)
    ("CO", "CO HOME"),  # a legal form (schema/weak-words.csv)
    ("LG 5", "LG PHONES"),
    ("MB RM", "RM ZX GROUP"),
    ("NO. 5", "NO 5 PERFUME"),  # a number and a common word: no core to find
    # helper-124: the syllables of another script romanized are no initials ...
    ("玉", "下 雨"),  # YU / XIA YU
    ("湖", "虎 牌"),
    ("李", "力 宁"),
    ("キ", "キ ムラ"),
    ("리", "이 리"),
    ("烏", "WU TANG"),
    ("LI", "力 宁"),
    # ... a mark with another weak word is not initials alone ...
    ("DR CLASSIC", "DR PEPPER"),
    ("TOP LG", "LG ELECTRONICS"),
    ("THE AB", "VOLVO AB"),
    # ... two-letter legal forms (schema/weak-words.csv) and a unit after a number are none
    ("AB", "VOLVO AB"),
    ("OY", "NOKIA OY"),
    ("PT", "PT INDOFOOD"),
    ("LP", "ACME LP"),
    ("KK", "SONY KK"),
    ("ML", "500 ML BOTTLE"),
    ("ML", "TWO ML BOTTLE"),  # a number in words, too (helper-125 #12)
    # helper-125: titles and the US professional legal forms are weak words too
    ("DR", "DR PEPPER"),
    ("MR", "MR CLEAN"),
    ("MS", "MS PAC-MAN"),
    ("JR", "JR EWING"),
    ("PC", "SMITH JONES PC"),
    ("PA", "JONES LAW PA"),
    ("LC", "ACME LC"),
]


@pytest.mark.parametrize(("a", "b"), INITIALS_ALONE)
def test_a_mark_of_initials_alone_lies_in_a_mark_holding_them(a: str, b: str) -> None:
    for left, right in ((a, b), (b, a)):
        found = compare(left, right)
        assert "containment" in found.reasons and found.score >= DEFAULT_MIN_SIMILARITY, found


@pytest.mark.parametrize(("a", "b"), INITIALS_NOT_THERE)
def test_a_mark_of_initials_alone_is_not_found_where_they_are_not(a: str, b: str) -> None:
    assert "containment" not in compare(a, b).reasons


def test_a_register_finds_a_mark_of_initials_in_the_marks_holding_them() -> None:
    """A register-wide search and a question both find the pairs (`W:LG`, anchored by the mark
    of initials alone: `w:LG`), and two marks that merely share the initials are not paired by
    them (LG ELECTRONICS / LG DISPLAY)."""
    pairs = [(a, b) for a, b in INITIALS_ALONE] + [(b, a) for a, b in INITIALS_ALONE]
    assert_searches_find(pairs, others=["LG DISPLAY", "GL ELECTRONICS", "MY CAFE"])
    assert ("LG DISPLAY", "LG ELECTRONICS") not in candidate_text_pairs(
        ["LG ELECTRONICS", "LG DISPLAY", "ALGAE"]
    )
