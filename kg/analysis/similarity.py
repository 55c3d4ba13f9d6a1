"""Mark similarity: is one trademark "the same or confusingly similar" to another?

Every function here is pure and works on plain strings, so the CLI, GraphQL and reports
all judge similarity the same way. The rules, their sources and their measured recall and
precision on decided pairs are in docs/similarity.md.

Pipeline
--------
1. :func:`normalize` and :func:`romanize` (`kg.analysis.scripts`) fold case, width,
   punctuation, Latin diacritics and traditional characters, and spell every script in Latin
   letters (pinyin for Chinese, anyascii for the others).
2. :func:`phonetic_keys` (`kg.analysis.phonetics`): Metaphone, Double Metaphone, NYSIIS,
   Kölner Phonetik and Spanish Metaphone codes of the romanized form.
3. :func:`compare` scores a pair and says why; :func:`is_similar` applies a threshold.
   Both compare verbal elements (`kg.analysis.verbal.verbal_element`): an office's
   placeholder for a figure (``設計圖``, ``Device``) has none and matches nothing, and
   descriptors are set aside (``ACME & Design`` is compared as ``ACME``), as are legal forms
   and a domain name's top-level domain (``STEELCARE INC.`` and ``USAPARK.NET`` are compared
   as ``STEELCARE`` and ``USAPARK``: `kg.analysis.designations`; :func:`compared_element`).
4. :func:`blocking_keys` lets a conflict search over a million marks compare only pairs
   that share a key instead of all pairs (the rule keys: `kg.analysis.rule_blocking`); a
   mark without words has no keys.

Scoring (:func:`compare`)
-------------------------
Let ``e`` be the optimal-string-alignment similarity of the two romanized forms,
``1 - edits / max(len)``, where a swap of two neighbours counts as one edit.

=========================  =============================================  ==============
reason                     when                                           score
=========================  =============================================  ==============
``exact``                  the raw strings are equal (and have words)     1.0
``folded``                 equal after :func:`normalize`                  0.97
``homoglyph``              another script, the same look: letters that    0.95
                           look alike taken as one (`kg.analysis.
                           homoglyphs`: ``РОСТ`` / ``POCT``)
``transliteration``        another script, the romanized forms equal      0.93
``script-element``         a mark in two scripts (``金鹤 GOLDEN CRANE``),   at most 0.9
                           one of its elements (`kg.analysis.elements.
                           script_elements`) lying whole in the other
                           mark or one of its elements and alike by
                           the rules here (``GOLDEN CRANE TEA HOUSE``),
                           or the same letters or romanized form; the
                           element's reasons follow (not ``exact``,
                           ``folded``)
``containment``            one mark inside the other                      0.85-0.95
                           (`kg.analysis.similarity_rules`)
``transposition``          the same words (two or more) in another        0.85-0.9
                           order, or inside the other so; Chinese marks
                           of the same characters in another order (not
                           two dictionary words of other meanings);
                           Hangul or kana closed up, its two parts swapped
``translation``            a Chinese mark, or a Latin one in Spanish,     0.8-0.9
                           French or Italian, and a Latin one that says
                           its meaning in English, or holds it
                           (CC-CEDICT, FreeDict:
                           `kg.analysis.translations`)
``phonetic``               a sound code shared, and the same vowel        0.82 + 0.1·e
                           sounds with ``e >= 0.5`` or the same
                           pronunciation (`kg.analysis.pronunciation`)
                           with ``e >= 0.3``; never between two marks
                           with Chinese characters, Hangul or kana
                           (their romanization is not English), nor
                           with a mark of initials written with stops
                           (``H.A.G.W.``: said letter by letter)
``sound-transliteration``  another script: Chinese, the same consonant    0.82, 0.85
                           skeleton (0.82); katakana, Hangul, the same
                           sounds (`kg.analysis.transcription`, 0.85)
``beginning``              a Latin form the whole beginning of the other  0.8-0.9
``sound-beginning``        a Latin mark's pronunciation the whole         0.8-0.9
                           beginning of a one-word mark's, not spelled
                           inside it (`kg.analysis.sound_rules`)
``short``                  3-4 Latin characters, one changed; or 3+       0.82
                           syllables (Han, Hangul, kana), one changed
                           after the first (`kg.analysis.syllable_rules`)
``shared-element``         composite marks with the same first word, or   0.82
                           words beginning with the same 3+ syllables
``ending``                 two long words differing at the beginning,     0.82
                           sharing half the longer's end or more, as
                           many vowel groups, the words' ``e >= 0.7``
``middle``                 a one-word Latin mark the other with two or    0.82
                           three letters inserted in its middle (its
                           first two letters and its last kept), adding
                           at most half (``COMMCASH`` / ``COMMUNICASH``)
``fuzzy``                  ``e >= 0.8``                                   ``e``
``sound``                  Latin marks pronounced with the same           0.82
                           consonants, one vowel sound apart at most
                           (`kg.analysis.sound_rules`); not with
                           initials written with stops, nor
                           ``sound-beginning``
(none)                     nothing above holds                            ``e``
(none)                     two Latin marks of ordinary English words,     ``e``, at most
                           sharing none, alike by ``fuzzy``,              0.75
                           ``phonetic``, ``middle`` or ``containment``
                           inside a word alone (``CLOSED`` / ``CLOSET``:
                           `_meanings_apart`)
=========================  =============================================  ==============

The score is the largest that applies and the reasons are listed in the order above. When a
mark in another script was compared by its romanized form (``phonetic``,
``sound-transliteration`` or ``fuzzy``), ``transliteration`` is listed first too. A pair
scores at least :data:`DEFAULT_MIN_SIMILARITY` (0.8) exactly when it has a reason, because
``e < 0.8`` without one (and a pair whose meanings set it apart scores 0.75 at most).
Marks of at most :data:`SHORT_MARK_LENGTH` (3) characters take no part in ``phonetic``,
``fuzzy``, ``sound`` and ``sound-beginning``: one letter off in a three-letter acronym is
the ``short`` rule's to judge, ``AWS`` vs ``SWA`` is nothing.

Limits: Japanese kanji are read as Mandarin; meaning is read from a dictionary for Chinese,
Spanish, French and Italian marks only (``苹果`` / ``APPLE``, ``LUPO`` / ``WOLF``; not Korean
or German: a registration's stated translation counts in who-else-uses and conflicts,
`kg.analysis.stated_texts`); visual similarity of logos is out of scope.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from kg.analysis import similarity_rules as rules
from kg.analysis import sound_rules as heard_rules
from kg.analysis import syllable_rules as syllabic
from kg.analysis.designations import without_designations
from kg.analysis.elements import element_form, script_elements
from kg.analysis.foreign_words import foreign_readings
from kg.analysis.homoglyphs import HOMOGLYPH_SCORE, look_alike
from kg.analysis.homoglyphs import blocking_key as homoglyph_key
from kg.analysis.numerals import has_word, number_words, read_readings, readings
from kg.analysis.phonetics import phonetic_codes, vowels
from kg.analysis.pronunciation import heard
from kg.analysis.rule_blocking import lookup_keys, rule_forms, rule_keys, sound_transliterated
from kg.analysis.scripts import HAN, all_initials, normalize, romanize, whole_han, words
from kg.analysis.thresholds import DEFAULT_MIN_SIMILARITY
from kg.analysis.translations import english_equivalents, translation
from kg.analysis.verbal import verbal_element

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "HEARD_MIN_EDIT",
    "MAX_MARK_LENGTH",
    "REASONS",
    "ROMAN_KEY",
    "SHORT_MARK_LENGTH",
    "SOUND_KEY",
    "KeyedTexts",
    "MarkSimilarity",
    "any_alike",
    "blocking_keys",
    "comparable_form",
    "compare",
    "compared_element",
    "is_similar",
    "normalize",
    "phonetic_keys",
    "recall_of_blocking",
    "romanize",
    "said_by_letters",
    "spoken_forms",
    "spoken_pairs",
]


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

REASONS = (
    "exact",
    "folded",
    "homoglyph",
    "transliteration",
    "numeral",
    "script-element",
    "containment",
    "transposition",
    "translation",
    "phonetic",
    "sound-transliteration",
    "beginning",
    "sound-beginning",
    "short",
    "shared-element",
    "ending",
    "middle",
    "fuzzy",
    "sound",
)
"""Every reason :func:`compare` can give, strongest first."""

FOLDED_SCORE = 0.97
MEANINGS_APART_TOP = 0.75
"""The most two Latin marks score that only their letters or sounds make alike and whose
meanings set them apart (``CLOSED`` / ``CLOSET``: `_meanings_apart`)."""
TRANSLITERATION_SCORE = 0.93
NUMERAL_SCORE = 0.95
SCRIPT_ELEMENT_TOP = 0.9
"""The most a pair scores by one element of a mark in two scripts (``script-element``)."""
"""Two Latin marks the same once a number is read as its word (``7 STARS`` / ``SEVEN
STARS``: `kg.analysis.numerals`); one reading inside the other mark scores as ``containment``
does, at most this (`_numeral`)."""
PHONETIC_BASE, PHONETIC_SPAN = 0.82, 0.1
PHONETIC_MIN_EDIT = 0.5  # same sound codes and vowels, but the spelling must still overlap
HEARD_MIN_EDIT = 0.3  # pronounced the same: NITE / NIGHT share 2 of 5 letters in place
HEARD_MAX_LENGTH = 64  # a longer mark is a phrase: read aloud it differs by its words
SOUND_KEY = "A:"
"""The blocking key of a mark's English pronunciation (:func:`blocking_keys`)."""
ROMAN_KEY = "R:"
"""The blocking key of a mark's romanized form (:func:`blocking_keys`): the texts of one such
bucket are one form, so a search pairs them with no edit-distance prefilter."""
FUZZY_MIN_EDIT = DEFAULT_MIN_SIMILARITY
AFFIX_LENGTH = 5  # prefix/suffix blocking keys, long enough to be selective in a big index
AFFIX_MIN_LENGTH = 8  # two edits need max length >= 10, so min length >= 8
# One-deletion keys cost the square of the length; past this, P:/S: catch one edit alone.
DELETION_MAX_LENGTH = 64


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


def compared_element(text: str, jurisdiction: str | None = None) -> str | None:
    """What :func:`compare` compares of a mark: its verbal element
    (`kg.analysis.verbal.verbal_element`) without the legal forms, URL beginning and
    top-level domain that name no source (`kg.analysis.designations`); None for a figure.

    >>> compared_element("ACME & Design"), compared_element("USAPARK.NET")
    ('ACME', 'USAPARK')
    """
    verbal = verbal_element(text, jurisdiction)
    return None if verbal is None else without_designations(verbal)


def comparable_form(text: str, jurisdiction: str | None = None) -> str:
    """The romanized :func:`compared_element`, whose edits :func:`compare` counts; ``""`` if
    the mark has none.

    >>> comparable_form("特斯拉及圖"), comparable_form("設計圖"), comparable_form("Acme, Inc.")
    ('TESILA', '', 'ACME')
    """
    verbal = compared_element(text, jurisdiction)
    return "" if verbal is None else romanize(verbal)


def phonetic_keys(text: str) -> frozenset[str]:
    """Sound-alike keys of a mark: `kg.analysis.phonetics.phonetic_codes` of its romanized form.

    Examples
    --------
    >>> sorted(phonetic_keys("Nike"))
    ['E:NK', 'K:64', 'M:NK', 'N:NAC']
    >>> sorted(phonetic_keys("特斯拉") & phonetic_keys("Tesla"))
    ['E:TSL', 'K:285', 'M:TSL']
    >>> phonetic_keys("42")
    frozenset()
    """
    return phonetic_codes(romanize(text))


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
    ('transliteration', 'translation', 'sound-transliteration', 'fuzzy')
    >>> compare("Nike", "Nyke").best_reason, compare("UBER", "UBER EATS").best_reason
    ('phonetic', 'containment')
    >>> round(compare("MICROSOFT", "MICROSOFTT").score, 2)
    0.91
    >>> compare("AWS", "AWZ").best_reason, compare("AWS", "SWA").best_reason
    ('short', None)
    >>> compare("SEIKO", "SEYCOS").reasons, compare("Gecko", "GEKKOART").reasons
    (('sound',), ('sound-beginning',))
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
    core_a, core_b = without_designations(verbal_a), without_designations(verbal_b)
    if (core_a, core_b) != (verbal_a, verbal_b) and romanize(verbal_a) == romanize(verbal_b):
        return _compare_verbal(verbal_a, verbal_b)  # LO CO / LOCO: the same letters whole
    whole = _compare_verbal(core_a, core_b)
    if whole.score >= SCRIPT_ELEMENT_TOP:
        return whole
    by_element = _by_script_element(core_a, core_b)
    return by_element[0] if by_element and by_element[0].score > whole.score else whole


def matched_elements(a: str, b: str, jurisdiction: str | None = None) -> tuple[str, str] | None:
    """The parts of two marks that the ``script-element`` rule found alike (one or both an
    element of a mark in two scripts: `kg.analysis.elements.script_elements`), or None.

    >>> matched_elements("金鹤 GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE")
    ('GOLDEN CRANE', 'GOLDEN CRANE TEA HOUSE')
    """
    verbal_a, verbal_b = verbal_element(a, jurisdiction), verbal_element(b, jurisdiction)
    if verbal_a is None or verbal_b is None:
        return None
    found = _by_script_element(without_designations(verbal_a), without_designations(verbal_b))
    return found[1] if found else None


_SAME_FORM = frozenset({"exact", "folded", "homoglyph", "transliteration"})
"""Reasons a part of a mark in two scripts counts by when it does not lie whole in the other:
the same letters, look or romanized form (``transliteration`` first only when the forms are
equal or compared through them)."""


def _lies_whole(part: str, other: str) -> bool:
    """Whether `part` (an element of a mark in two scripts) lies whole in `other`: its
    characters in a row where it is written in Chinese characters, Hangul or kana (written
    without spaces), else all its words in a row.

    >>> _lies_whole("GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE"), _lies_whole("金鹤", "金鹤茶楼")
    (True, True)
    >>> _lies_whole("Nature House", "Peggy's Yoga House"), _lies_whole("SHAN", "HESHAN")
    (False, False)
    """
    folded = normalize(part)
    if not folded.isascii():
        return folded in normalize(other)
    return rules.find_run(words(part), words(other)) >= 0


def element_note(a: str, b: str, jurisdiction: str | None = None) -> str | None:
    """What the ``script-element`` rule compared of two marks, for the reasons of a hit or
    a conflict; None when it found nothing.

    >>> element_note("金鹤 GOLDEN CRANE", "GOLDEN CRANE TEA HOUSE")
    "'GOLDEN CRANE' of '金鹤 GOLDEN CRANE' compared (a mark in two scripts: each element alone)"
    """
    parts = matched_elements(a, b, jurisdiction)
    if parts is None:
        return None
    pairs = zip(parts, (a, b), strict=True)
    named = [f"{part!r} of {whole!r}" for part, whole in pairs if part != whole]
    return f"{' and '.join(named)} compared (a mark in two scripts: each element alone)"


@lru_cache(maxsize=65536)
def _by_script_element(a: str, b: str) -> tuple[MarkSimilarity, tuple[str, str]] | None:
    """The ``script-element`` rule: the best of comparing each element of a mark in two
    scripts (or the whole mark) with the other mark or its elements, where alike (a reason),
    at most `SCRIPT_ELEMENT_TOP`; with the parts compared. None for marks in one script."""
    parts_a, parts_b = script_elements(a), script_elements(b)
    if not parts_a and not parts_b:
        return None
    best: tuple[MarkSimilarity, tuple[str, str]] | None = None
    for left in (a, *parts_a):
        for right in (b, *parts_b):
            if (left, right) == (a, b):
                continue
            found = _compare_verbal(left, right)
            if not found.reasons or (best is not None and found.score <= best[0].score):
                continue
            # a part counts when it is the other (the same letters or their reading) or lies
            # whole in it: a part is short, so the looser rules would pair it by a word or a
            # sound alone (E-WIN / O WIN, Nature House / Peggy's Yoga House)
            whole = _lies_whole(left, right) if left != a else _lies_whole(right, left)
            if whole or (found.reasons[0] in _SAME_FORM and found.score >= TRANSLITERATION_SCORE):
                best = found, (left, right)
    if best is None:
        return None
    found, parts = best
    # an element equal to the other mark is the rule itself, not two equal marks
    kept = set(found.reasons) - {"exact", "folded"}
    reasons = tuple(r for r in REASONS if r == "script-element" or r in kept)
    return MarkSimilarity(min(found.score, SCRIPT_ELEMENT_TOP), reasons), parts


def said_by_letters(text: str) -> bool:
    """Whether a mark is initials with stops and nothing else in Latin letters
    (`kg.analysis.scripts.all_initials`: ``H.A.G.W.``, ``I. B. M.``, ``H.A.G.W.設計字``):
    such letters are said by their names (``H.A.G.W.`` is "aitch ay gee double-u"), so the
    rules comparing sounds (``phonetic``, ``sound``, ``sound-beginning``) do not read them as
    a word; the letters themselves are compared by the other rules (``H.A.G.W.`` / ``HAGW``
    is ``folded``). A mark with words besides (``A.B. KWIK CLEEN``, ``NITE N.Y.``, a legal
    form ``e.V.``) is read aloud as before, and so are letters that spell an ordinary English
    word (``L.O.C.K.``, ``B.E.S.T.``: a word spelled out, read as the word;
    `kg.analysis.sound_rules.is_ordinary_word`).

    >>> said_by_letters("H.A.G.W."), said_by_letters("I. B. M."), said_by_letters("E.ON")
    (True, True, False)
    >>> said_by_letters("ST. MORITZ"), said_by_letters("KWIK CLEEN e.V.")
    (False, False)
    >>> said_by_letters("L.O.C.K.")
    False
    """
    if not all_initials(text):
        return False
    letters = "".join(c for c in normalize(text) if c.isascii() and c.isalpha())
    return not heard_rules.is_ordinary_word(letters)


@lru_cache(maxsize=65536)
def _compare_verbal(a: str, b: str) -> MarkSimilarity:
    folded_a, folded_b = normalize(a), normalize(b)
    if not folded_a or not folded_b:  # nothing but punctuation or symbols left
        return MarkSimilarity(0.0)
    if folded_a == folded_b:
        return MarkSimilarity(FOLDED_SCORE, ("folded",))
    roman_a, roman_b = romanize(a), romanize(b)
    other_script = not (folded_a.isascii() and folded_b.isascii())
    if _one_character_homophones(folded_a, folded_b):
        return MarkSimilarity(0.0)  # compared as characters: different
    if other_script and look_alike(folded_a, folded_b):
        return MarkSimilarity(HOMOGLYPH_SCORE, ("homoglyph",))
    if other_script and roman_a == roman_b:
        return MarkSimilarity(TRANSLITERATION_SCORE, ("transliteration",))

    edit = OSA.normalized_similarity(roman_a, roman_b)
    fired: dict[str, float] = {}
    by_sound = not (said_by_letters(a) or said_by_letters(b))  # initials: said by their names
    # English sound codes misread a romanization (pinyin's Q, X, C, ZH; the Y and W of
    # YANG / WANG, 양 / 왕, ヤ / ワ): two marks of syllables are compared by their syllables;
    # one beside a Latin mark is the transcription of its sounds (ソニー / SONY); initials
    # with stops are said by their names
    if (
        min(len(roman_a), len(roman_b)) > SHORT_MARK_LENGTH
        and by_sound
        and not (syllabic.writes_syllables(folded_a) and syllabic.writes_syllables(folded_b))
        and _sound_alike(roman_a, roman_b, edit)
    ):
        fired["phonetic"] = PHONETIC_BASE + PHONETIC_SPAN * edit
    if min(len(roman_a), len(roman_b)) > SHORT_MARK_LENGTH and edit >= FUZZY_MIN_EDIT:
        fired["fuzzy"] = edit
    _structure_rules(a, b, (folded_a, folded_b), roman_a, roman_b, fired, by_sound=by_sound)
    if not other_script:
        numeral = _numeral(a, b)
        if numeral is not None and numeral > max([edit, *fired.values()]):
            fired["numeral"] = numeral
    if other_script and folded_a.isascii() != folded_b.isascii():
        found = sound_transliterated(a, b)  # as an X: bucket reads it (rule_blocking)
        if found is not None:
            fired["sound-transliteration"] = found
        han = HAN.search(folded_b if folded_a.isascii() else folded_a) is not None
        meant = translation(*((b, a) if folded_a.isascii() else (a, b))) if han else None
        if meant is not None:
            fired["translation"] = meant[0]
    elif not other_script and (meant := _foreign_translation(a, b)) is not None:
        fired["translation"] = meant
    spelled = [fired[r] for r in ("phonetic", "sound-transliteration", "fuzzy") if r in fired]
    if other_script and spelled:  # the romanized forms were compared
        fired["transliteration"] = max(spelled)
    if not other_script and fired and _meanings_apart(a, b, roman_a, roman_b, fired):
        return MarkSimilarity(min(edit, MEANINGS_APART_TOP))
    reasons = tuple(r for r in REASONS if r in fired)
    return MarkSimilarity(max([edit, *fired.values()]), reasons)


_LETTERS_ONLY = frozenset({"fuzzy", "phonetic", "middle", "containment"})
"""The reasons that compare letters and sounds alone, which a clear difference in meaning
outweighs (`_meanings_apart`)."""


def _meanings_apart(a: str, b: str, roman_a: str, roman_b: str, fired: dict[str, float]) -> bool:
    """Whether two Latin marks alike only by their letters or sounds (`_LETTERS_ONLY`; a
    ``containment`` only inside a word: one word each) are each ordinary English words
    sharing none (`kg.analysis.sound_rules.different_words`: ``CLOSED`` / ``CLOSET``,
    ``SWAT`` / ``SWATCH``, ``HEAD`` / ``STONEHEAD``): the conceptual difference counteracts the
    visual and aural similarity (CJEU C-361/04 P *Ruiz-Picasso*; General Court T-292/01
    *Phillips-Van Heusen*, BASS / PASH), as `sound` holds already. A pair that another rule
    finds alike is kept (``beginning``: ``MATCH`` / ``MATCHING``, a word of the same family),
    and so is a pair pronounced the same (``LITE`` / ``LIGHT``: a respelling evokes the word).
    `roman_a`, `roman_b` are the romanized forms."""
    if not set(fired) <= _LETTERS_ONLY:
        return False
    if "phonetic" in fired and (sound := heard(roman_a)) and sound == heard(roman_b):
        return False
    if "containment" in fired and (len(words(a)) > 1 or len(words(b)) > 1):
        return False
    return heard_rules.different_words(a, b)


def _foreign_translation(a: str, b: str) -> float | None:
    """The ``translation`` score of two Latin marks, one of them in Spanish, French or
    Italian meaning the other in English (`kg.analysis.foreign_words`), or None."""
    found = [translation(x, y) for x, y in ((a, b), (b, a)) if foreign_readings(x)]
    scores = [f[0] for f in found if f is not None]
    return max(scores) if scores else None


def _numeral(a: str, b: str) -> float | None:
    """The ``numeral`` rule: `NUMERAL_SCORE` when the two Latin marks read the same with their
    numbers of one or two digits said as words (`kg.analysis.numerals.readings`: ``7UP`` /
    ``SEVEN UP``, ``5 NATIONS`` / ``CINCO NATIONS`` in Spanish); else ``containment``'s score
    (at most that) when one reading lies in the other mark, the shared part holding both the
    number and a written word (``7 STARS`` / ``SEVEN STARS HOTEL``; not ``3 BAGS`` / ``THREE
    SPARROWS`` nor ``1 HOTELS`` / ``LUXURY HOTEL``). A mark of numbers alone (``1``, ``0 3``)
    is no word: it matches nothing by its reading. None when nothing fires. `blocking_keys`
    gives a mark its readings' ``R:`` and rule keys, so a register-wide search finds every
    such pair."""
    read_a, read_b = readings(a), readings(b)
    if not read_a and not read_b:
        return None
    if any(read and not has_word(text) for text, read in ((a, read_a), (b, read_b))):
        return None  # a number beside single letters or alone (1A, E3, F1H2O, 1)
    numbers = number_words()
    written = {w for w in map(element_form, (*words(a), *words(b))) if w not in numbers}
    best = 0.0
    for x in read_a or (a,):
        for y in read_b or (b,):
            if normalize(x) == normalize(y):
                return NUMERAL_SCORE
            best = max(best, _spoken_alike(romanize(x), romanize(y)))
            contained = rules.containment(
                words(x), words(y), latin=(rules.latin_words(x), rules.latin_words(y))
            )
            if contained is None:
                continue
            shared = set(contained[1].split())
            if shared & numbers and shared & written:  # the number and a word besides
                best = max(best, min(NUMERAL_SCORE, contained[0]))
    return best or None


def _spoken_alike(x: str, y: str) -> float:
    """How alike two romanized readings are by ``fuzzy`` and ``phonetic`` (as :func:`compare`
    scores two marks by them), at most `NUMERAL_SCORE`; 0.0 when neither fires."""
    if min(len(x), len(y)) <= SHORT_MARK_LENGTH:
        return 0.0
    edit = OSA.normalized_similarity(x, y)
    found = [edit] if edit >= FUZZY_MIN_EDIT else []
    if _sound_alike(x, y, edit):
        found.append(PHONETIC_BASE + PHONETIC_SPAN * edit)
    return min(NUMERAL_SCORE, max(found, default=0.0))


def _sound_alike(roman_a: str, roman_b: str, edit: float) -> bool:
    """The ``phonetic`` rule: a sound code shared, and the same vowels as spelled
    (`kg.analysis.phonetics.vowels`) with ``edit >= 0.5``, or the same English pronunciation
    (`kg.analysis.pronunciation.heard`, the ``A:`` key; forms of 64 characters at most) with
    ``edit >= 0.3``."""
    if edit < HEARD_MIN_EDIT or not phonetic_codes(roman_a) & phonetic_codes(roman_b):
        return False
    if edit >= PHONETIC_MIN_EDIT and vowels(roman_a) == vowels(roman_b):
        return True
    if max(len(roman_a), len(roman_b)) > HEARD_MAX_LENGTH:
        return False
    sound = heard(roman_a)
    return bool(sound) and sound == heard(roman_b)


def _structure_rules(
    a: str,
    b: str,
    folded: tuple[str, str],
    roman_a: str,
    roman_b: str,
    fired: dict[str, float],
    *,
    by_sound: bool,
) -> None:
    """The rules of `kg.analysis.similarity_rules` on words, beginnings and short marks;
    `folded` are the two :func:`normalize` d texts; `by_sound` False (a mark of initials
    said by their names: :func:`said_by_letters`) leaves out ``sound`` and ``sound-beginning``.

    Beginnings, ends and single characters are compared between Latin forms only: the pinyin
    of ``上昇`` (SHANGSHENG) does not begin with the word ``SHAN``; Chinese marks are compared
    by their characters, a wholly Chinese mark inside another. Two marks both with Chinese
    characters, Hangul or kana are compared by syllables too (`kg.analysis.syllable_rules`:
    ``containment``, ``short``, ``shared-element``). ``ending`` compares each Latin mark's
    one distinctive word; ``sound`` and ``sound-beginning`` the English pronunciations
    of two Latin marks of four characters or more."""
    words_a, words_b = words(a), words(b)
    han_a, han_b = whole_han(folded[0]), whole_han(folded[1])
    latin = folded[0].isascii() and folded[1].isascii()
    contained = None
    if len(words_a) > 1 or len(words_b) > 1 or (han_a and han_b):  # else: equal or not
        contained = rules.containment(
            words_a, words_b, han_a, han_b, (rules.latin_words(a), rules.latin_words(b))
        )
        moved = rules.transposition(words_a, words_b, han_a, han_b)
        if moved is not None and not _different_words(han_a, han_b):
            fired["transposition"] = moved[0]
        if rules.shared_element(words_a, words_b) is not None:
            fired["shared-element"] = rules.SHARED_ELEMENT_SCORE
    if latin:
        contained = contained or rules.affix_containment(roman_a, roman_b, words_a, words_b)
        begun = rules.beginning(roman_a, roman_b)
        if begun is not None:
            fired["beginning"] = begun
        short = rules.short_change(roman_a, roman_b)
        if short is not None:
            fired["short"] = short
        ended = rules.ending(rules.ending_word(words_a), rules.ending_word(words_b))
        if ended is not None:
            fired["ending"] = ended
        inserted = _middle(roman_a, roman_b, words_a, words_b)
        if inserted is not None:
            fired["middle"] = inserted
        if by_sound and min(len(roman_a), len(roman_b)) > SHORT_MARK_LENGTH:
            _sound_rules(a, b, fired)
    elif not (folded[0].isascii() or folded[1].isascii()):  # by syllables, both marks:
        # Chinese characters, Hangul, kana (`kg.analysis.syllable_rules`)
        by_syllable = syllabic.syllable_containment(a, b)
        if by_syllable is not None and (contained is None or by_syllable[0] > contained[0]):
            contained = by_syllable
        if syllabic.syllable_change(a, b) is not None:
            fired["short"] = syllabic.CHANGE_SCORE
        if syllabic.shared_beginning(a, b) is not None:
            fired["shared-element"] = syllabic.SHARED_SCORE
        if "transposition" not in fired and syllabic.syllable_rotation(a, b) is not None:
            fired["transposition"] = rules.TRANSPOSITION_TOP  # closed up: 바다별빛 / 별빛바다
    if contained is not None and not _characters_kept(folded, (roman_a, roman_b), han_a, han_b):
        contained = None
    if contained is not None:
        fired["containment"] = contained[0]


def _middle(
    roman_a: str, roman_b: str, words_a: tuple[str, ...], words_b: tuple[str, ...]
) -> float | None:
    """The ``middle`` rule on each pair of the two marks' forms (their romanized forms, and
    their distinctive words closed up: `kg.analysis.similarity_rules.middle_forms`)."""
    for form_a, kept_a in rules.middle_forms(roman_a, words_a):
        for form_b, kept_b in rules.middle_forms(roman_b, words_b):
            found = rules.middle(form_a, form_b, kept_a, kept_b)
            if found is not None:
                return found
    return None


def _sound_rules(a: str, b: str, fired: dict[str, float]) -> None:
    """The rules of `kg.analysis.sound_rules` on two Latin marks' pronunciations, read only
    when their spelled consonants nearly agree (`kg.analysis.sound_rules.may_sound_alike`),
    ``sound`` set aside between two marks of ordinary, different words
    (`kg.analysis.sound_rules.different_words`)."""
    spelled_a, spelled_b = heard_rules.spelled_form(a), heard_rules.spelled_form(b)
    if not heard_rules.may_sound_alike(spelled_a, spelled_b):
        return
    sound_a, sound_b = heard_rules.sound_form(a), heard_rules.sound_form(b)
    if not sound_a or not sound_b:
        return
    changed = heard_rules.vowel_change(sound_a, sound_b) is not None
    if changed and not heard_rules.different_words(a, b):  # different meanings: not alike
        fired["sound"] = heard_rules.SOUND_SCORE
    words_a, words_b = heard_rules.sound_word(a), heard_rules.sound_word(b)
    begun = heard_rules.sound_beginning(sound_a, sound_b, words_a, words_b, spelled_a, spelled_b)
    if begun is not None:
        fired["sound-beginning"] = begun[0]


def _different_words(han_a: str, han_b: str) -> bool:
    """Two Chinese marks that are both dictionary words of different meanings
    (`kg.analysis.translations`): ``蜂蜜`` honey / ``蜜蜂`` bee, ``上海`` / ``海上``. The same
    characters in another order make marks alike unless the meaning clearly differs (CNIPA
    商标审查审理指南 on Chinese word marks), so such a pair is no ``transposition``."""
    if not (han_a and han_b):
        return False
    meant_a, meant_b = english_equivalents(han_a), english_equivalents(han_b)
    return bool(meant_a and meant_b) and not set(meant_a) & set(meant_b)


def _one_character_homophones(folded_a: str, folded_b: str) -> bool:
    """Two different Chinese characters alone (``羊`` / ``揚``, both read YANG): Mandarin has
    a dozen characters for most syllables, so one shared reading says nothing; such marks
    are compared as characters, and differ (folded forms equal were matched before)."""
    return len(folded_a) == len(folded_b) == 1 and bool(whole_han(folded_a) and whole_han(folded_b))


def _characters_kept(
    folded: tuple[str, str], roman: tuple[str, str], han_a: str, han_b: str
) -> bool:
    """Whether a mark in Chinese characters alone, found inside a longer mark that writes
    Chinese characters too (beside kana or Latin letters), is there in its own characters
    and not only in their reading (``星`` in ``スター星``, not ``羊`` in ``XYZ楊``)."""
    if bool(han_a) == bool(han_b):  # both (compared by characters) or neither
        return True
    whole, other = (0, 1) if han_a else (1, 0)
    if len(roman[whole]) >= len(roman[other]):  # the other mark is the one inside
        return True
    return HAN.search(folded[other]) is None or folded[whole] in folded[other]


def is_similar(
    a: str, b: str, min_similarity: float = DEFAULT_MIN_SIMILARITY, jurisdiction: str | None = None
) -> bool:
    """Whether two marks are the same or confusingly similar.

    Examples
    --------
    >>> is_similar("GOOGLE", "GOGGLE"), is_similar("AWS", "SWA")
    (True, False)
    >>> is_similar("SONY", "SONG"), is_similar("SONY", "SONG", min_similarity=0.75)
    (False, True)
    """
    return compare(a, b, jurisdiction).score >= min_similarity


class KeyedTexts:
    """Texts indexed by their :func:`blocking_keys`, for questions about one text at a time
    (a registration's verbal elements, its stated translations).

    >>> texts = KeyedTexts(["UBER EATS", "TESLA", "APPLE"])
    >>> sorted(texts.similar("UBER", 0.8)), KeyedTexts().similar("UBER", 0.8)
    (['UBER EATS'], {})
    """

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._buckets: dict[str, set[str]] = {}
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        for key in blocking_keys(text):
            self._buckets.setdefault(key, set()).add(text)

    def similar(self, text: str, min_similarity: float) -> dict[str, MarkSimilarity]:
        """The indexed texts `compare` scores `min_similarity` or more against `text`, among
        those a question meets (`kg.analysis.rule_blocking.lookup_keys`); none without
        keying `text` when no text is indexed (a register stating no translations: its
        `who_else_uses` keyed every text asked, ~1 ms at a million marks, for nothing)."""
        if not self._buckets:
            return {}
        keys = lookup_keys(blocking_keys(text))
        near = {other for key in keys for other in self._buckets.get(key, ())}
        scored = {other: compare(text, other) for other in near}
        return {other: found for other, found in scored.items() if found.score >= min_similarity}


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
    ``R:``      the romanized form: ``exact``, ``folded`` and ``transliteration`` pairs;
                with legal forms or an address set aside, of the whole too (``LO CO``
                / ``LOCO``): a bucket of one form needs no edit prefilter
    ``G:``      the look (`kg.analysis.homoglyphs.skeleton`): ``homoglyph`` pairs
    ``M:/N:``   :func:`phonetic_keys`: every ``phonetic`` pair
    ``A:``      the English pronunciation (`kg.analysis.pronunciation.heard`) of
                marks of 4 to 64 characters: every pair ``phonetic`` by
                pronunciation, also at ``e < 0.5``
    ``D:``      the romanized form and its one-deletion variants (marks over
                :data:`SHORT_MARK_LENGTH`, up to ``DELETION_MAX_LENGTH`` (64)
                characters): every pair at one edit, including a swap
    ``P:/S:``   the first / last five characters and their one-deletion variants
                (romanized forms of eight characters or more)
    (each)      a mark in two scripts has the keys of each element too
                (``script-element``)
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
    >>> sorted(blocking_keys("A.W.S."))  # doctest: +NORMALIZE_WHITESPACE
    ['E:AUS', 'G:AWS', 'K:038', 'M:AS', 'Q:?WS', 'Q:A?S', 'Q:AW?', 'Q:A~SW', 'R:AWS',
     'W:AWS', 'w:AWS']
    >>> bool(blocking_keys("GOOGLE") & blocking_keys("GOGGLE"))
    True
    >>> bool(blocking_keys("特斯拉") & blocking_keys("Tesla"))
    True
    >>> bool(blocking_keys("APPLE") & blocking_keys("AMAZON"))
    False
    >>> blocking_keys("標章圖"), sorted(blocking_keys("AWS & Device"))[-2:]
    (frozenset(), ['W:AWS', 'w:AWS'])
    """
    whole = verbal_element(text, jurisdiction)
    if whole is None:
        return frozenset()
    keys = _spelling_and_sound_keys(whole)
    for form in rule_forms(text, jurisdiction):  # numbers said as words, each script's part
        keys |= rule_keys(form)
    return frozenset(keys)


def _spelling_and_sound_keys(whole: str) -> set[str]:
    """The keys of :func:`blocking_keys` but the rule keys, of a verbal element `whole`: of
    it, of its numbers said as words (the `numeral` rule's pairs) and of each element of a
    mark in two scripts (the `script-element` rule compares each alone)."""
    verbal = without_designations(whole)
    roman = romanize(verbal)
    keys = {ROMAN_KEY + roman, ROMAN_KEY + romanize(whole)}
    keys |= phonetic_keys(verbal)
    for reading in read_readings(verbal):
        spoken = romanize(reading)
        keys.add(ROMAN_KEY + spoken)
        keys |= phonetic_codes(spoken) | _spelling_keys(spoken)
    if (look := homoglyph_key(normalize(verbal))) is not None:
        keys.add(look)
    keys |= _spelling_keys(roman)
    for part in script_elements(verbal):
        if (part_whole := verbal_element(part)) is not None:
            keys |= _spelling_and_sound_keys(part_whole)
    return keys


def _spelling_keys(roman: str) -> set[str]:
    """The ``A:``, ``D:``, ``P:`` and ``S:`` keys of a romanized form (:func:`blocking_keys`)."""
    keys = set()
    if SHORT_MARK_LENGTH < len(roman) <= HEARD_MAX_LENGTH and (sound := heard(roman)):
        keys.add(SOUND_KEY + sound)
    if SHORT_MARK_LENGTH < len(roman) <= DELETION_MAX_LENGTH:
        keys |= {"D:" + k for k in _deletion_neighbourhood(roman)}
    if len(roman) >= AFFIX_MIN_LENGTH:
        keys |= {"P:" + k for k in _deletion_neighbourhood(roman[:AFFIX_LENGTH])}
        keys |= {"S:" + k for k in _deletion_neighbourhood(roman[-AFFIX_LENGTH:])}
    return keys


@lru_cache(maxsize=65536)
def spoken_forms(text: str, jurisdiction: str | None = None) -> tuple[str, ...]:
    """The romanized forms of a mark's :func:`compared_element` with its numbers of one or two
    digits said as words (`kg.analysis.numerals.read_readings`, one per language, distinct); ``()``
    when it has none. What the ``numeral`` rule compares by spelling and sound, and what
    :func:`blocking_keys` gives spelling keys for.

    >>> spoken_forms("TRUE1")[:3], spoken_forms("ACME")
    (('TRUEONE', 'TRUEUN', 'TRUEEINS'), ())
    """
    if not _may_hold_digits(text):
        return ()  # most marks: no verbal element to read (~25% of comparing a register)
    verbal = compared_element(text, jurisdiction)
    if verbal is None or not any(c.isdigit() for c in verbal):
        return ()
    return tuple(dict.fromkeys(romanize(reading) for reading in read_readings(verbal)))


def any_alike(these: Sequence[str], those: Sequence[str], cutoff: float) -> bool:
    """Whether a form of `these` and one of `those` (romanized forms, a text's and its
    :func:`spoken_forms`) are `cutoff` alike (OSA normalized similarity, 0-1).

    >>> any_alike(("TRUE1", "TRUEONE"), ("TRUONE",), 0.8)
    True
    """
    return any(OSA.normalized_similarity(x, y, score_cutoff=cutoff) for x in these for y in those)


def spoken_pairs(
    queries: Sequence[int],
    choices: Sequence[int],
    forms: Mapping[int, Sequence[str]] | Sequence[Sequence[str]],
    cutoff: float,
) -> Iterator[tuple[int, int]]:
    """The pairs (smaller id first; a pair may come twice) of a query and another choice of
    which one has numbers said as words (:func:`spoken_forms`) and a form of one is `cutoff`
    alike to a form of the other (:func:`any_alike`): what the ``numeral`` rule may find by
    spelling and sound in a bucket of spelling keys. `forms` gives an id's text and
    romanized form (``forms[i][0]``, ``forms[i][1]``). The mark index and a graph's
    conflicts both pair a bucket's readings so.

    >>> sorted(set(spoken_pairs([0, 1, 2], [0, 1, 2], [("TRUE1", "TRUE1"), ("TRUONE",
    ...     "TRUONE"), ("TRUANT", "TRUANT")], 0.8)))
    [(0, 1)]
    """
    spoken = {i: said for i in {*queries, *choices} if (said := spoken_forms(forms[i][0]))}
    if not spoken:
        return
    spoken_choices = [c for c in choices if c in spoken]
    for q in queries:
        for c in choices if q in spoken else spoken_choices:
            if c != q and any_alike(
                (forms[q][1], *spoken.get(q, ())), (forms[c][1], *spoken.get(c, ())), cutoff
            ):
                yield (q, c) if q < c else (c, q)


_ASCII_DIGIT = re.compile("[0-9]")


def _may_hold_digits(text: str) -> bool:
    """Whether :func:`compared_element` of `text` may hold a digit (``str.isdigit``): it is
    made of `text`'s characters or of their NFKC forms (`kg.analysis.verbal` folds what it
    cuts; `kg.analysis.designations` only cuts), and NFKC makes digits of some characters
    that are none (``½``, ``㏠``, ``㉑``). An ASCII text is its own NFKC form.

    >>> _may_hold_digits("ACME"), _may_hold_digits("7 STARS"), _may_hold_digits("ACME ½")
    (False, True, True)
    """
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(c.isdigit() for c in text) or any(
        c.isdigit() for c in unicodedata.normalize("NFKC", text)
    )


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
