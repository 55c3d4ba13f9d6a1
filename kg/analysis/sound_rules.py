"""Rules on how Latin marks are heard: their pronunciations compared sound by sound.

`kg.analysis.similarity.compare` already matches marks pronounced exactly alike
(``phonetic``: ``NITE`` / ``NIGHT``). Tribunals also find marks similar whose pronunciations
differ in a vowel only, or where one mark is heard at the beginning of the other, though the
spellings differ more than edit distance forgives: USPTO TMEP 1207.01(b)(iv) ("similarity in
sound": there is no correct pronunciation of a coined mark, and consumers may pronounce it as
the other; *Kabushiki Kaisha Hattori Tokeiten v. Scuotto*, SEIKO / SEYCOS; *Centraz Indus. v.
Spartan Chem.*, ICE SHINE / ISHINE), EUIPO Guidelines, Part C, Section 2, Chapter 4, "aural
comparison" (the sequence of sounds, the number of syllables, the vowels and consonants
heard; B 2 360 231, GECKO / GEKKOART).

The rules compare each mark's :func:`sound_form`: the English phonemes (eSpeak NG,
`kg.analysis.pronunciation.heard`) of its distinctive words (weak words and a plural ``S``
set aside: `kg.analysis.elements.distinctive_words`), closed up, folded so that what a
listener does not tell apart is written alike (:func:`fold`). Latin marks only: a
romanized Chinese, Korean or Japanese mark read by an English voice is not how it is heard.

``sound``
    The two sound forms have the same consonants in the same order and differ in at most one
    vowel sound (one added, dropped or changed), the longer of five phonemes or more and the
    shorter of four: SEIKO / SEYCOS, CERTAIN / SERTUN, PAYD / IPAYED (TTAB 2022), ICE SHINE /
    ISHINE. One changed consonant is not enough (PICASSO / PICARO, T-185/02: decided not
    similar), nor a vowel that adds a syllable (MINT / MINNIT), unless it is heard before the
    whole other mark (I-PAYED); a vowel added at the end (HOTEL / HOTELLO) is the spelled
    ``beginning`` rule's to judge, marks of three letters the ``short`` rule's. The same
    number and sequence of syllables is what the EUIPO Guidelines weigh in aural comparison.
``sound-beginning``
    A mark of one distinctive word whose sound form begins with the whole sound form of the
    other, adding at most 60% of its length, as the spelled ``beginning`` rule of
    `kg.analysis.similarity_rules` (a syllable or two at the end, where it is heard least;
    EUIPO Guidelines, "beginning of signs"): GECKO / GEKKOART, MILTRON / MILLTRONICS. The
    shorter mark has five letters or more, as for the spelled rule, and is not spelled inside
    the other (then the spelled rules judge the pair: GO FETCH / GLOWFETCH, PULSE /
    PULSPORTS).

``sound`` does not hold between two marks that are each ordinary English words, none shared
(:func:`different_words`: BASKET / BISCUIT, LADDER / LEADER, COTTON / KITTEN, IDEAL / IDOL):
where both marks have a clear and different meaning the public grasps at once, the
conceptual difference counteracts the aural similarity (CJEU C-361/04 P *Ruiz-Picasso*,
PICASSO / PICARO, para. 20; General Court T-292/01 *Phillips-Van Heusen*, BASS / PASH; EUIPO
Guidelines, Part C, Section 2, Chapter 4, "conceptual comparison", neutralisation). A
listed word is a lowercase entry of Webster's Second International (1934, public domain: the
``web2`` list of the PyPI package ``english-words``, MIT), so proper names (``Gordon``) and
coined words (SEIKO, SERTUN) are not; the test stays one of texts: a word the list holds in
another sense (FLITE, STILE) or spelled otherwise (ADVISER / ADVISOR) counts as a different
word. ``sound-beginning`` keeps such pairs: a word heard at the beginning of another is
mostly of its family (TASTE / TASTY, CREATE / CREATIVE, ATRIUM / ATRIA in the EUIPO sample).

Only pairs whose spelled consonants nearly agree are read (:func:`may_sound_alike`): eSpeak
NG costs ~100 µs a mark it has not read yet, and `compare` is called for many pairs. Both
thresholds were chosen on every decided pair of ``bench/decisions`` (docs/similarity.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from kg.analysis.elements import distinctive_words, element_form, is_weak
from kg.analysis.phonetics import consonant_skeleton
from kg.analysis.pronunciation import heard
from kg.analysis.scripts import normalize, words
from kg.analysis.similarity_rules import BEGINNING_MAX_ADDED, BEGINNING_MIN_LENGTH

__all__ = [
    "BEGINNING_MIN_SOUNDS",
    "SOUND_MAX_LENGTH",
    "SOUND_MIN_SOUNDS",
    "SOUND_SCORE",
    "different_words",
    "fold",
    "is_ordinary_word",
    "may_sound_alike",
    "one_vowel_variants",
    "sound_beginning",
    "sound_beginnings",
    "sound_form",
    "sound_word",
    "spelled_form",
    "vowel_change",
]

SOUND_MAX_LENGTH = 64  # a longer mark is a phrase: read aloud it differs by its words
SOUND_MIN_SOUNDS = 5  # phonemes of the longer form: one vowel in five, as `fuzzy` on letters
SOUND_SHORTER_MIN = 4
SOUND_SCORE = 0.82
BEGINNING_MIN_SOUNDS = 4
SKELETON_MAX_ADDED = 2  # consonant classes: GECKO (2) / GEKKOART (263)
BEGINNING_BASE, BEGINNING_SPAN = 0.8, 0.1

VOWELS = frozenset("aeiouyæɑɒɐɔəɚɛɜɞɘɤɨɪʉʊʌʏøœɶɯɵᵻ")
"""The IPA vowel letters eSpeak NG writes (after :func:`fold`, which merges some)."""

# What an English listener does not tell apart in a mark (eSpeak NG en-us writes them apart):
# the central vowels ɐ, ʌ, ə and the reduced ᵻ, ɪ (told apart by stress, which `heard` drops);
# the glottal stop and the flap, the en-us ways of saying T; the trill and the approximant R;
# O as a diphthong or not.
_FOLDED = str.maketrans(
    {"ɐ": "ə", "ʌ": "ə", "ᵻ": "ɪ", "ɚ": "əɹ", "ʔ": "t", "ɾ": "t", "r": "ɹ", "ɔ": "o"}
)
_DIPHTHONG_O = re.compile("oʊ")
_SYLLABIC = re.compile("([lmnɹ])\u0329")  # a syllabic consonant is a syllable: ``n̩`` as ``ən``
_SIBILANTS = re.compile("[sz]([ʃʒ])")  # ICE SHINE is said as one hiss: "I-SHINE"
_DOUBLED = re.compile(r"(.)\1+")


def fold(phonemes: str) -> str:
    """Phonemes (`kg.analysis.pronunciation.heard`) as a listener tells them apart: a
    syllabic consonant as ``ə`` and the consonant (``n̩`` as ``ən``), no other diacritics,
    reduced vowels as ``ə`` and ``ɪ``, ``ʔ`` and the flap ``ɾ`` as ``t``, every R as
    ``ɹ``, ``oʊ`` and ``ɔ`` as ``o``, ``s`` or ``z`` before ``ʃ`` or ``ʒ`` merged into it,
    a doubled sound as one.

    >>> fold("sɜʔn̩"), fold("kɑɹɾɑk"), fold("aɪsʃaɪn"), fold("ɡɛkɔɹt")
    ('sɜtən', 'kɑɹtɑk', 'aɪʃaɪn', 'ɡɛkoɹt')
    """
    syllabic = _SYLLABIC.sub(r"ə\1", unicodedata.normalize("NFD", phonemes))
    plain = "".join(c for c in syllabic if not unicodedata.combining(c))
    plain = _DIPHTHONG_O.sub("o", plain.translate(_FOLDED))
    return _DOUBLED.sub(r"\1", _SIBILANTS.sub(r"\1", plain))


@lru_cache(maxsize=65536)
def sound_form(verbal: str) -> str:
    """The folded English pronunciation of a Latin mark's distinctive words, closed up;
    ``""`` for a mark in another script, without distinctive words, or of more than
    `SOUND_MAX_LENGTH` letters.

    >>> sound_form("SEIKO") == sound_form("SEYCOS"), sound_form("PAYD PRO")
    (True, 'peɪd')
    >>> sound_form("特斯拉")
    ''
    """
    if not normalize(verbal).isascii():
        return ""
    closed = spelled_form(verbal)
    if not closed or len(closed) > SOUND_MAX_LENGTH:
        return ""
    return fold(heard(closed))


@lru_cache(maxsize=65536)
def sound_word(verbal: str) -> str:
    """The :func:`sound_form` of a mark of one distinctive word, the only marks
    `sound_beginning` finds another at the beginning of; else ``""``.

    >>> sound_word("GEKKOART"), sound_word("ICE SHINE")
    ('ɡɛkoɹt', '')
    """
    return sound_form(verbal) if len(distinctive_words(verbal)) == 1 else ""


def may_sound_alike(spelled_a: str, spelled_b: str) -> bool:
    """Whether two marks' :func:`spelled_form` have consonant skeletons
    (`kg.analysis.phonetics.consonant_skeleton`, Soundex classes) one class apart at most,
    the longer cut to the shorter's length, and the longer at most `SKELETON_MAX_ADDED`
    classes longer: the marks are read (eSpeak NG, ~100 µs a mark not yet read) only then.
    Without this check the rules fire on 12 more pairs of the EUIPO sample register
    (docs/similarity.md) and on no more decided pairs.

    >>> may_sound_alike("GECKO", "GEKKOART"), may_sound_alike("PAYD", "IPAYED")
    (True, True)
    >>> may_sound_alike("QWERTZ", "PLUMBING")
    False
    """
    short, long = sorted((consonant_skeleton(spelled_a), consonant_skeleton(spelled_b)), key=len)
    if len(long) - len(short) > SKELETON_MAX_ADDED:
        return False
    return Levenshtein.distance(short, long[: len(short)], score_cutoff=1) <= 1


def _syllables(sound: str) -> int:
    """Vowel groups: the syllables heard, roughly."""
    return sum(c in VOWELS and (i == 0 or sound[i - 1] not in VOWELS) for i, c in enumerate(sound))


def _consonants(sound: str) -> str:
    return "".join(c for c in sound if c not in VOWELS)


def vowel_change(sound_a: str, sound_b: str) -> float | None:
    """A score when two sound forms (:func:`sound_form`) have the same consonants in order
    and differ in one vowel at most, the longer of `SOUND_MIN_SOUNDS` phonemes or more.

    >>> vowel_change(sound_form("CERTAIN"), sound_form("SERTUN"))
    0.82
    >>> vowel_change(sound_form("PAYD"), sound_form("IPAYED"))
    0.82
    >>> vowel_change(sound_form("PICASSO"), sound_form("PICARO")) is None  # a consonant
    True
    >>> vowel_change(sound_form("HOTEL"), sound_form("HOTELLO")) is None  # a final vowel
    True
    >>> vowel_change(sound_form("MINT"), sound_form("MINNIT")) is None  # a syllable inside
    True
    """
    if min(len(sound_a), len(sound_b)) < SOUND_SHORTER_MIN:
        return None
    if max(len(sound_a), len(sound_b)) < SOUND_MIN_SOUNDS:
        return None
    if _consonants(sound_a) != _consonants(sound_b):
        return None
    short, long = sorted((sound_a, sound_b), key=len)
    if len(long) > len(short) and long[:-1] == short:  # a final syllable added
        return None
    if _syllables(short) != _syllables(long) and long[1:] != short:  # but a leading vowel
        return None
    return SOUND_SCORE if Levenshtein.distance(sound_a, sound_b, score_cutoff=1) <= 1 else None


def one_vowel_variants(sound: str) -> set[str]:
    """What `vowel_change` pairs share, as blocking key values: the sound form and each form
    with one vowel left out, of `SOUND_SHORTER_MIN` phonemes or more. Two forms with the
    same consonants one vowel apart share one: the shorter itself where a vowel is added,
    both without it where it is changed.

    >>> sorted(one_vowel_variants("peɪd")), sorted(one_vowel_variants("ɪpeɪd"))
    (['peɪd'], ['peɪd', 'ɪped', 'ɪpeɪd', 'ɪpɪd'])
    """
    if len(sound) < SOUND_SHORTER_MIN:
        return set()
    variants = {sound[:i] + sound[i + 1 :] for i, c in enumerate(sound) if c in VOWELS}
    return {v for v in variants | {sound} if len(v) >= SOUND_SHORTER_MIN}


@lru_cache(maxsize=65536)  # compare asks for it for every pair of Latin marks
def spelled_form(verbal: str) -> str:
    """The distinctive words of a mark closed up: what its :func:`sound_form` reads.

    >>> spelled_form("GO FETCH"), spelled_form("SEYCOS")
    ('FETCH', 'SEYCO')
    """
    return "".join(distinctive_words(verbal))


def sound_beginning(
    sound_a: str, sound_b: str, word_a: str, word_b: str, spelled_a: str, spelled_b: str
) -> tuple[float, str] | None:
    """(score, the sound form that begins the other) when one mark's sound form is the whole
    beginning of the sound form of a mark of one distinctive word (`word_a`, `word_b`:
    :func:`sound_word`), which adds at most `BEGINNING_MAX_ADDED` of its length, and its
    :func:`spelled_form` is not spelled inside the other's; the score grows from 0.8 with
    the shared share, as the spelled ``beginning`` rule's.

    >>> sound_beginning("ɡɛko", "ɡɛkoɹt", "ɡɛko", "ɡɛkoɹt", "GECKO", "GEKKOART")
    (0.8667, 'ɡɛko')
    >>> sound_beginning("pəls", "pəlspoɹt", "pəls", "pəlspoɹt", "PULSE", "PULSPORT") is None
    True
    """
    for short, word, short_spelled, long_spelled in (
        (sound_a, word_b, spelled_a, spelled_b),
        (sound_b, word_a, spelled_b, spelled_a),
    ):
        if not word or len(short) < BEGINNING_MIN_SOUNDS or len(short) >= len(word):
            continue
        if len(short_spelled) < BEGINNING_MIN_LENGTH:
            continue
        if len(word) - len(short) > BEGINNING_MAX_ADDED * len(short):
            continue
        if word.startswith(short) and short_spelled not in long_spelled:
            return round(BEGINNING_BASE + BEGINNING_SPAN * len(short) / len(word), 4), short
    return None


def sound_beginnings(word: str) -> set[str]:
    """Where another mark's sound form may begin this one-word sound form
    (`sound_beginning`): its beginnings of `BEGINNING_MIN_SOUNDS` phonemes or more, to
    which the rest adds at most `BEGINNING_MAX_ADDED` of their length.

    >>> sorted(sound_beginnings("ɡɛkoɹt"))
    ['ɡɛko', 'ɡɛkoɹ']
    """
    least = max(BEGINNING_MIN_SOUNDS, math.ceil(len(word) / (1 + BEGINNING_MAX_ADDED)))
    return {word[:size] for size in range(least, len(word))}


@cache
def _listed_words() -> set[str]:
    """The entries of the ``web2`` word list (module docs) as written: proper names
    capitalized, ordinary words in lowercase. Read on first use (~0.2 s, ~20 MB; 64-bit
    hashes of the ordinary words took 1.7 MB but ~0.9 s to build, paid by every `kg`
    question that met a ``sound`` pair)."""
    from english_words import get_english_words_set

    return get_english_words_set(["web2"], lower=False)


def is_ordinary_word(word: str) -> bool:
    """Whether a word (in capitals) is an ordinary English word: the list holds it in
    lowercase (module docs).

    >>> is_ordinary_word("BASKET"), is_ordinary_word("GORDON"), is_ordinary_word("SEIKO")
    (True, False, False)
    """
    return word.isalpha() and word.lower() in _listed_words()


def different_words(verbal_a: str, verbal_b: str) -> bool:
    """Whether two Latin marks are each ordinary English words (every word that is not
    weak is listed, as written or in its `kg.analysis.elements.element_form`), and share
    none: marks of clear and different meanings (module docs).

    >>> different_words("BASKET", "BISCUIT"), different_words("IDEAL", "IDOL")
    (True, True)
    >>> different_words("CERTAIN", "SERTUN"), different_words("ICE SHINE", "ISHINE")
    (False, False)
    >>> different_words("LION", "LIONS INTERNATIONAL")  # LION in both
    False
    """
    forms = []
    for verbal in (verbal_a, verbal_b):
        kept = [w for w in words(verbal) if not is_weak(w)]
        if not kept or not all(
            w.isalpha() and (is_ordinary_word(w) or is_ordinary_word(element_form(w))) for w in kept
        ):
            return False
        forms.append({element_form(w) for w in kept})
    return not forms[0] & forms[1]
