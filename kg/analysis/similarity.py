"""Mark similarity: is one trademark "the same or confusingly similar" to another?

Every function here is pure and works on plain strings, so the CLI, GraphQL and reports
all judge similarity the same way.

Pipeline
--------
1. :func:`normalize` folds case, width (NFKC), Latin diacritics, punctuation and spaces.
2. :func:`romanize` turns Chinese characters into toneless pinyin (``特斯拉`` -> ``TESILA``),
   so a Chinese mark and its Latin-script counterpart can be compared letter by letter.
3. :func:`phonetic_keys` encodes the romanized form with Metaphone and NYSIIS (jellyfish).
4. :func:`compare` scores a pair and says why; :func:`is_similar` applies a threshold.
   Both compare verbal elements (`kg.analysis.verbal.verbal_element`): an office's
   placeholder for a figure (``設計圖``, ``Device``) has none and matches nothing, and
   descriptors are set aside (``ACME & Design`` is compared as ``ACME``).
5. :func:`blocking_keys` lets a conflict search over a million marks compare only pairs
   that share a key instead of all pairs; a mark without words has no keys.

Scoring (:func:`compare`)
-------------------------
Let ``e`` be the optimal-string-alignment similarity of the two romanized forms,
``1 - edits / max(len)``, where a swap of two neighbours counts as one edit.

==================  ====================================================  ============
reason              when                                                  score
==================  ====================================================  ============
``exact``           the raw strings are equal (and have words)            1.0
``folded``          equal after :func:`normalize`, descriptors set aside  0.97
``transliteration`` a side has Chinese and the romanized forms are equal  0.93
``phonetic``        a Metaphone or NYSIIS key is shared, the same vowels  0.82 + 0.1·e
                    in the same order, and ``e >= 0.6``
``fuzzy``           ``e >= 0.8``                                          ``e``
(none)              nothing above holds                                   ``e``
==================  ====================================================  ============

When the equality tests fail and a side has Chinese, ``transliteration`` is also listed
whenever ``phonetic`` or ``fuzzy`` fires on the romanized forms (``特斯拉`` vs ``TESLA``).
The score is the largest that applies; ``phonetic`` stays in [0.88, 0.92), below an exact
transliteration. Metaphone drops vowels, so ``phonetic`` also asks for the same vowels:
it fires where only the spelling of a sound changed (``Nike``/``Nyke``, ``KODAK``/``CODAC``,
``COCA-COLA``/``Koka Kola``), not for ``LEGO``/``LOGO`` or ``CORONA``/``CARINA``.
A pair scores at least :data:`DEFAULT_MIN_SIMILARITY` (0.8) exactly when it has a reason,
because ``e < 0.8`` without one.

Very short marks are strict: if either romanized form has at most
:data:`SHORT_MARK_LENGTH` (3) characters, only the equality tests count. One letter off in a
three-letter acronym (``AWS`` vs ``AWB``) changes a third of the mark; ``e`` is then at most
0.75, below the threshold, while ``AWS`` vs ``A.W.S.`` is ``folded``.

Limits: Japanese kanji are read as Mandarin; meaning (translation, ``APPLE`` vs ``苹果``) and
visual similarity of logos are out of scope.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA

from kg.analysis.verbal import verbal_element

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "MAX_MARK_LENGTH",
    "REASONS",
    "SHORT_MARK_LENGTH",
    "MarkSimilarity",
    "blocking_keys",
    "comparable_form",
    "compare",
    "is_similar",
    "normalize",
    "phonetic_keys",
    "recall_of_blocking",
    "romanize",
]

DEFAULT_MIN_SIMILARITY = 0.8
"""Score at or above which two marks count as confusingly similar (one edit in five letters)."""

SHORT_MARK_LENGTH = 3
"""Marks this short (after romanizing) only match when equal after folding."""

MAX_MARK_LENGTH = 500
"""The most characters a mark's text may have (``tm:text``, ``sh:maxLength`` in the shapes).

A word mark is a name or a slogan: what a register calls its verbal element fits on a label
or a line of an advertisement, tens of characters, and 500 leaves room for the longest
slogans while a text of thousands of characters is a document, not a mark. Loads, imports and
validation refuse longer texts (`schema/shapes.ttl`) and the analyses refuse them as a
question (`kg.analysis.service`): each comparison costs time in the product of the lengths.
"""

REASONS = ("exact", "folded", "transliteration", "phonetic", "fuzzy")
"""Every reason :func:`compare` can give, strongest first."""

FOLDED_SCORE = 0.97
TRANSLITERATION_SCORE = 0.93
PHONETIC_BASE, PHONETIC_SPAN = 0.82, 0.1
PHONETIC_MIN_EDIT = 0.6  # same sound, but the spelling must still overlap
FUZZY_MIN_EDIT = DEFAULT_MIN_SIMILARITY
AFFIX_LENGTH = 5  # prefix/suffix blocking keys, long enough to be selective in a big index
AFFIX_MIN_LENGTH = 8  # two edits need max length >= 10, so min length >= 8
# One-deletion keys cost the square of the length; past this, P:/S: catch one edit alone.
DELETION_MAX_LENGTH = 64

# Trademark symbols carry no distinctiveness, and NFKC would spell "™" out as "TM".
_MARK_SYMBOLS = dict.fromkeys(map(ord, "™®©℠℗"))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_LATIN = re.compile(r"[^A-Z]")


@dataclass(frozen=True)
class MarkSimilarity:
    """How alike two marks are: a score in [0, 1] and the reasons, strongest first.

    Examples
    --------
    >>> MarkSimilarity(0.97, ("folded",)).best_reason
    'folded'
    >>> MarkSimilarity(0.4, ()).best_reason is None
    True
    """

    score: float
    reasons: tuple[str, ...] = ()

    @property
    def best_reason(self) -> str | None:
        """The strongest reason, or ``None`` when the marks are not similar."""
        return self.reasons[0] if self.reasons else None


def _fold_char(char: str) -> str:
    """Strip diacritics from a Latin letter (``É`` -> ``E``); leave other scripts alone."""
    if char.isascii():
        return char
    base, *marks = unicodedata.normalize("NFD", char)
    if base.isascii() and all(unicodedata.combining(m) for m in marks):
        return base
    return char


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Fold case, width, Latin diacritics, punctuation and whitespace out of a mark.

    Examples
    --------
    >>> normalize("A.W.S.")
    'AWS'
    >>> normalize("i-Pad")
    'IPAD'
    >>> normalize("Ａｍａｚｏｎ")
    'AMAZON'
    >>> normalize("Nestlé Nescafé™")
    'NESTLENESCAFE'
    >>> normalize("特斯拉 Tesla")
    '特斯拉TESLA'
    """
    text = unicodedata.normalize("NFKC", text.translate(_MARK_SYMBOLS))
    return "".join(_fold_char(c) for c in text.casefold() if c.isalnum()).upper()


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """The normalized mark with Chinese characters spelled as toneless pinyin.

    Polyphonic characters are read in context (pypinyin's phrase dictionary); ``ü`` is
    written ``V``. Text without Chinese characters is returned as :func:`normalize` gives it.

    Examples
    --------
    >>> romanize("特斯拉")
    'TESILA'
    >>> romanize("亚马逊")
    'YAMAXUN'
    >>> romanize("小米 SU7")
    'XIAOMISU7'
    >>> romanize("A.W.S.")
    'AWS'
    """
    folded = normalize(text)
    if not _HAN.search(folded):
        return folded
    return "".join(lazy_pinyin(folded, style=Style.NORMAL)).upper()


@lru_cache(maxsize=65536)
def phonetic_keys(text: str) -> frozenset[str]:
    """Sound-alike keys of a mark: Metaphone (``M:``) and NYSIIS (``N:``) codes.

    Codes are taken over the Latin letters of :func:`romanize`; codes shorter than two
    characters say too little and are left out, so very short marks may have no keys.

    Examples
    --------
    >>> sorted(phonetic_keys("Nike"))
    ['M:NK', 'N:NAC']
    >>> sorted(phonetic_keys("Nyke"))
    ['M:NK', 'N:NYC']
    >>> sorted(phonetic_keys("特斯拉")), sorted(phonetic_keys("Tesla"))
    (['M:TSL', 'N:TASAL'], ['M:TSL', 'N:TASL'])
    >>> phonetic_keys("42")
    frozenset()
    """
    letters = _NOT_LATIN.sub("", romanize(text))
    if not letters:
        return frozenset()
    codes = (("M", jellyfish.metaphone(letters)), ("N", jellyfish.nysiis(letters)))
    return frozenset(f"{tag}:{code.upper()}" for tag, code in codes if len(code) >= 2)


def _vowels(roman: str) -> str:
    """The vowels of a romanized mark in order, a non-initial ``Y`` read as ``I``."""
    return "".join(
        "I" if c == "Y" else c for i, c in enumerate(roman) if c in "AEIOU" or (c == "Y" and i)
    )


def comparable_form(text: str, jurisdiction: str | None = None) -> str:
    """The romanized verbal element, whose edits :func:`compare` counts; ``""`` if it has none.

    >>> comparable_form("特斯拉及圖"), comparable_form("設計圖")
    ('TESILA', '')
    """
    verbal = verbal_element(text, jurisdiction)
    return "" if verbal is None else romanize(verbal)


def compare(a: str, b: str, jurisdiction: str | None = None) -> MarkSimilarity:
    """Score how confusingly similar two marks are, with the reasons (see module docs).

    The score is symmetric, in [0, 1], and 1.0 only for identical strings with words. Only
    verbal elements are compared (`kg.analysis.verbal.verbal_element`, in `jurisdiction`'s
    terms, every office's when ``None``): a placeholder for a figure scores 0 with anything.

    Examples
    --------
    >>> compare("AWS", "A.W.S.")
    MarkSimilarity(score=0.97, reasons=('folded',))
    >>> compare("特斯拉", "TESILA")
    MarkSimilarity(score=0.93, reasons=('transliteration',))
    >>> compare("特斯拉", "Tesla").reasons
    ('transliteration', 'fuzzy')
    >>> compare("Nike", "Nyke").best_reason
    'phonetic'
    >>> round(compare("MICROSOFT", "MICROSOFTT").score, 2)
    0.91
    >>> compare("AWS", "AWB").best_reason is None
    True
    >>> compare("ACME & Design", "ACME")
    MarkSimilarity(score=0.97, reasons=('folded',))
    >>> compare("設計圖", "設計圖")
    MarkSimilarity(score=0.0, reasons=())
    """
    verbal_a, verbal_b = verbal_element(a, jurisdiction), verbal_element(b, jurisdiction)
    if verbal_a is None or verbal_b is None:  # a figure, named by placeholder text
        return MarkSimilarity(0.0)
    if a == b:
        return MarkSimilarity(1.0, ("exact",))
    a, b = verbal_a, verbal_b
    folded_a, folded_b = normalize(a), normalize(b)
    if not folded_a or not folded_b:  # nothing but punctuation or symbols left
        return MarkSimilarity(0.0)
    if folded_a == folded_b:
        return MarkSimilarity(FOLDED_SCORE, ("folded",))
    roman_a, roman_b = romanize(a), romanize(b)
    chinese = roman_a != folded_a or roman_b != folded_b
    if chinese and roman_a == roman_b:
        return MarkSimilarity(TRANSLITERATION_SCORE, ("transliteration",))

    edit = OSA.normalized_similarity(roman_a, roman_b)
    if min(len(roman_a), len(roman_b)) <= SHORT_MARK_LENGTH:
        return MarkSimilarity(edit)
    reasons: list[str] = []
    score = edit
    if (
        edit >= PHONETIC_MIN_EDIT
        and phonetic_keys(a) & phonetic_keys(b)
        and _vowels(roman_a) == _vowels(roman_b)
    ):
        reasons.append("phonetic")
        score = max(score, PHONETIC_BASE + PHONETIC_SPAN * edit)
    if edit >= FUZZY_MIN_EDIT:
        reasons.append("fuzzy")
    if chinese and reasons:
        reasons.insert(0, "transliteration")
    return MarkSimilarity(score, tuple(reasons))


def is_similar(
    a: str, b: str, min_similarity: float = DEFAULT_MIN_SIMILARITY, jurisdiction: str | None = None
) -> bool:
    """Whether two marks are the same or confusingly similar.

    Examples
    --------
    >>> is_similar("GOOGLE", "GOGGLE"), is_similar("AWS", "AWB")
    (True, False)
    >>> is_similar("SONY", "SONG"), is_similar("SONY", "SONG", min_similarity=0.75)
    (False, True)
    """
    return compare(a, b, jurisdiction).score >= min_similarity


def _deletion_neighbourhood(text: str) -> set[str]:
    """``text`` and every string made by deleting one character from it."""
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


def blocking_keys(text: str, jurisdiction: str | None = None) -> frozenset[str]:
    """Keys for candidate blocking: index marks by key, compare only pairs sharing one.

    The keys are those of the verbal element (see :func:`compare`); a mark whose text is a
    placeholder has none, so the figurative marks of a register do not share one big bucket.

    ==========  =================================================================
    key         catches
    ==========  =================================================================
    ``R:``      the romanized form: ``exact``, ``folded`` and ``transliteration`` pairs
    ``M:/N:``   :func:`phonetic_keys`: every ``phonetic`` pair
    ``D:``      the romanized form and its one-deletion variants (marks over
                :data:`SHORT_MARK_LENGTH`, up to ``DELETION_MAX_LENGTH`` (64)
                characters): every pair at one edit, including a swap
    ``P:/S:``   the first / last five characters and their one-deletion variants
                (romanized forms of eight characters or more)
    ==========  =================================================================

    A ``fuzzy`` pair at ``e >= 0.8`` is at most ``0.2 * max(len)`` edits apart. One edit
    is always caught by ``D:``. Two or three edits need ten or more characters; then the
    prefix or the suffix holds at most one of them, so ``P:`` or ``S:`` match. Missed can
    be: two edits both where prefix and suffix overlap (eight- or nine-character marks),
    and four or more edits split two and two between the ends (twenty characters or more).
    A mark gets about ``len + 16`` keys, each selective enough (three or more characters,
    or a phonetic code) that a million-mark index returns short candidate lists.

    The keys' total size is linear in the mark's length: the ``D:`` keys (``len`` keys of
    ``len`` characters) are only made up to 64 characters. Longer marks lose no pair: one
    edit in ten or more characters leaves the prefix or the suffix intact, so ``P:`` or
    ``S:`` match (and the other mark, at most one character shorter, has them too).

    Examples
    --------
    >>> sorted(blocking_keys("A.W.S."))
    ['M:AS', 'R:AWS']
    >>> bool(blocking_keys("GOOGLE") & blocking_keys("GOGGLE"))
    True
    >>> bool(blocking_keys("特斯拉") & blocking_keys("Tesla"))
    True
    >>> bool(blocking_keys("APPLE") & blocking_keys("AMAZON"))
    False
    >>> blocking_keys("標章圖"), sorted(blocking_keys("AWS & Device"))
    (frozenset(), ['M:AS', 'R:AWS'])
    """
    verbal = verbal_element(text, jurisdiction)
    if verbal is None:
        return frozenset()
    roman = romanize(verbal)
    keys = {"R:" + roman} | phonetic_keys(verbal)
    if SHORT_MARK_LENGTH < len(roman) <= DELETION_MAX_LENGTH:
        keys |= {"D:" + k for k in _deletion_neighbourhood(roman)}
    if len(roman) >= AFFIX_MIN_LENGTH:
        keys |= {"P:" + k for k in _deletion_neighbourhood(roman[:AFFIX_LENGTH])}
        keys |= {"S:" + k for k in _deletion_neighbourhood(roman[-AFFIX_LENGTH:])}
    return frozenset(keys)


def recall_of_blocking(pairs: Iterable[tuple[str, str]]) -> float:
    """The share of ``pairs`` whose marks have at least one blocking key in common.

    Pass the pairs that should be found (e.g. those with ``compare(a, b).score >=
    DEFAULT_MIN_SIMILARITY``); 1.0 means blocking loses none of them. Empty input gives 1.0.

    Examples
    --------
    >>> recall_of_blocking([("AWS", "A.W.S."), ("华为", "HUAWAI"), ("STARBUCKS", "STARBOCKS")])
    1.0
    >>> recall_of_blocking([("AWS", "A.W.S."), ("APPLE", "AMAZON")])
    0.5
    """
    found = total = 0
    for a, b in pairs:
        total += 1
        found += bool(blocking_keys(a) & blocking_keys(b))
    return found / total if total else 1.0
