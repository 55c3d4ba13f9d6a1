"""The rules `kg.analysis.similarity.compare` applies beyond spelling distance.

Each rule takes forms already computed (romanized text, words) and returns a score in
[0.8, 1) when it fires, else ``None``; `compare` takes the largest and lists every rule that
fired. The rules follow how examiners compare marks:

``containment``
    An earlier mark (its distinctive words) wholly contained in a later one keeps an
    independent role there (UBER / UBER EATS, NIKE / NIKE AIR): USPTO TMEP 1207.01(b)(iii)
    ("comparing marks that contain additional matter"); CJEU C-120/04 *Medion* (THOMSON
    LIFE). Weak words (`kg.analysis.elements`) neither count as the shared part nor as
    what tells the marks apart. Chinese marks, written without spaces, are compared by
    characters (``小米`` in ``小米科技``).
    The same holds where a whole mark begins or ends the other or one of its words
    (CONFIRM / CONFIRMCELLS, MAXX / NARAMAXX): marks are often written closed up (Latin
    forms only: the pinyin of ``上昇``, SHANGSHENG, does not contain the word SHAN). A
    Chinese mark counts inside another only when it is written in Chinese characters alone.
``transposition``
    The same distinctive words in another order (RUST BUSTER / BUST RUST), or all the
    distinctive words of one mark (two or more) inside the other in another order (HANGOVER
    ZERO / ZERO HANGOVER THE LAST DEFENSE): USPTO TMEP 1207.01(b)(vii), "Transposition of
    Terms" (confusion is likely where the transposed marks create the same commercial
    impression; *In re Nationwide Industries*, RUST BUSTER / BUST RUST). Chinese marks of the
    same characters in another order (``優肌`` / ``肌優``): CNIPA's trademark examination
    guidelines count Chinese marks of the same characters, arranged in another order, as
    similar where they may be taken for each other. Scored as ``containment`` is, at most 0.9:
    the order is the difference an examiner weighs.
``shared-element``
    Two composite marks that begin with the same distinctive word (MAGNOLIA BAY / MAGNOLIA
    GROVE): the first word is the one read and remembered (EUIPO Guidelines, Part C,
    Section 2, Chapter 4, "beginning of signs"; General Court T-183/02 *MUNDICOR*).
``beginning``
    A coined word of five letters or more that is the whole beginning of the other, which
    adds at most 60% of its length (LUTEX / LUTEXAL, MARLBORO / MARLBOROUGH): a syllable or
    two at the end, where it is heard least. Latin forms only.
``ending``
    Two long coined words, each a mark's one distinctive word, that differ at the
    beginning but share an ending of half the longer word or more (FAVOLIZIA / RAGOLIZIA,
    KICKERS / SNICKERS): the beginning usually weighs more, but where most letters and the
    sequence of syllables coincide the overall impression is alike (EUIPO Guidelines, Part C,
    Section 2, Chapter 4, "Comparison of signs": beginning of signs, overall impression;
    General Court T-462/09 *Ragolizia*, T-537/11 *Snickers*, T-603/23 *Kingsbury*, T-543/21
    *Rejeunesse*; UK IPO O/208/02 *Oropram*). Both words are of letters alone, seven or
    more, their lengths differ by one letter at most, they have as many vowel groups, and
    their spellings are at least 70% alike by edit distance. Thresholds chosen on every
    decided pair of ``bench/decisions`` (docs/similarity.md). Latin forms only.
``middle``
    A one-word mark that is the other with two or three letters inserted in its middle, the
    beginning (two letters or more) and the end kept, into a form of five letters or more
    that they add at most half to (COMMCASH / COMMUNICASH, *Canadian Imperial Bank of
    Commerce v. Wells Fargo Bank*, Fed. Cir. 1987; NU VERUS / NUTRIVERUS, TTAB 2016; NIVEA /
    NIVEOLA, Taiwan IP Court 2019; MUNDICOR / MUNDICOLOR, General Court T-183/02): the
    beginning and the end of a word are what is seen and heard, an added syllable inside it
    is easily missed, and imperfect recollection does the rest (EUIPO Guidelines, Part C,
    Section 2, Chapter 4, visual and aural comparison; Chapter 7, imperfect recollection).
    A shorter mark beginning or ending the longer is ``containment``'s. Weak words are set
    aside too (`middle_forms`: NIVEA / NIVEOLA GROUP). Latin forms only.
``short``
    A mark of three or four characters changed in one character, the others kept in their
    order (AWS / AWZ, TMM / TMS; USPTO TMEP 1207.01(b)(ii) cites *Weiss Assocs. v. HRL
    Assocs.*, TMM / TMS). In a mark of four characters the change must keep the sound:
    a consonant for one of its Soundex class (S/Z, C/K, D/T, M/N, B/P/F/V). Two-letter marks
    are left out: one letter is half the mark, and in a register of 21,000 marks (TIPO, KIPRIS,
    EUIPO, IPONZ samples) ``LF`` met 30 others and ``AB`` 47. Latin forms only.
``sound-transliteration``
    A mark in another script that transcribes a Latin mark's sounds: how foreign brands
    are written in Chinese, Japanese or Korean. The romanized forms must share letters
    (Indel similarity >= 0.55, the share of letters kept in order), and then, by script
    (`kg.analysis.transcription.compared_by`):

    - Chinese characters (and scripts that write few vowels, such as Arabic): the same
      consonant skeleton (`kg.analysis.phonetics.consonant_skeleton`, Soundex classes) and,
      for Chinese, about as many syllables (``亚马逊`` / AMAZON, ``乔丹`` / JORDAN,
      ``飞利浦`` / PHILIPS). Transcription drops what the other language lacks: an ``R``
      after a vowel, a final ``S``, and makes no ``R``/``L`` contrast. A character is a
      syllable, chosen for its sound among many: the skeleton is all that can be asked.
    - katakana or Hangul alone: the mark's consonants and vowels, the vowels the
      transcription rules add set aside, agree with the Latin mark's English reading or its
      spelling (`kg.analysis.transcription.transcribes`: ``エリクソン`` / ERICSSON,
      ``맥도날드`` / MCDONALDS; not ``リスーモ`` / ERICSSON, ``ミドリ`` / HUMIDOR, whose Soundex
      skeletons agree), three consonant classes or more, and the letters, written by those
      classes without the added vowels, 75% alike.
    - Cyrillic, Greek, Armenian, Georgian, hiragana (native Japanese words), kana or Hangul
      beside other letters: never; they are compared by their romanized spelling
      (``СОКОЛ`` is SOKOL, not a skeleton shared with SCORKL).
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache, lru_cache

from rapidfuzz.distance import OSA, Indel

from kg.analysis.elements import element_form, is_weak, runs, short_words, weak_words
from kg.analysis.numerals import number_words
from kg.analysis.phonetics import SOUNDEX_CLASSES, consonant_skeleton, syllable_count
from kg.analysis.scripts import words
from kg.analysis.transcription import (
    TRANSCRIPTION_MIN_CONSONANTS,
    TRANSCRIPTION_MIN_LETTERS,
    compared_by,
    reading,
    transcribes,
    transcription_letters,
)

__all__ = [
    "AFFIX_MIN_LENGTH",
    "BEGINNING_MIN_LENGTH",
    "MIDDLE_MIN_LENGTH",
    "SAME_SOUND",
    "SKELETON_MIN_LENGTH",
    "affix_containment",
    "affixes",
    "beginning",
    "containment",
    "ending",
    "ending_patterns",
    "ending_word",
    "find_run",
    "middle",
    "middle_forms",
    "middle_variants",
    "shared_element",
    "short_change",
    "skeleton_variants",
    "sound_transliteration",
    "transposition",
]

CONTAINMENT_TOP, CONTAINMENT_SPAN = 0.95, 0.1
SHARED_ELEMENT_SCORE = 0.82
SHARED_ELEMENT_MIN_LENGTH = 4
BEGINNING_MIN_LENGTH = 5
BEGINNING_MAX_ADDED = 0.6  # the added end, as a share of the shorter form's length
BEGINNING_BASE, BEGINNING_SPAN = 0.8, 0.1
SHORT_SCORE = 0.82
ENDING_MIN_LENGTH = 7
ENDING_MAX_GAP = 1  # letters the two words' lengths may differ by
ENDING_MIN_SHARE = 0.5  # of the longer word
ENDING_MIN_EDIT = 0.7
ENDING_SCORE = 0.82
SOUND_SCORE = 0.85
SKELETON_SCORE = 0.82
"""`sound_transliteration` by consonant skeletons alone (a Chinese mark's pinyin, or a
script read by its letters): coarse evidence, as the `sound` rule's (a real register's
``藻胺康`` / ``CHUAN KWAN``, ``宮黛`` / ``GRANDI`` pass it), so it ranks below a spelled
match; kana and Hangul read sound by sound (`kg.analysis.transcription`) keep
`SOUND_SCORE`."""
SOUND_MIN_LETTERS = 0.55  # Indel similarity of the romanized forms: the letters overlap too
SKELETON_MIN_LENGTH = 3
# Letters that share a Soundex class with another letter (L and R are classes of their own).
SAME_SOUND = {char: code for char, code in SOUNDEX_CLASSES.items() if code not in "46"}


def _weight(core: tuple[str, ...]) -> int:
    """How much a run of distinctive words (`_core`) counts: its letters."""
    return sum(len(w) for w in core)


def find_run(part: tuple[str, ...], whole: tuple[str, ...]) -> int:
    """Where `part` starts as a run of `whole`, or -1."""
    n = len(part)
    for start in range(len(whole) - n + 1):
        if whole[start : start + n] == part:
            return start
    return -1


def containment(
    words_a: tuple[str, ...],
    words_b: tuple[str, ...],
    han_a: str = "",
    han_b: str = "",
    latin: tuple[Letters, Letters] = (True, True),
) -> tuple[float, str] | None:
    """(score, shared part) when one mark's distinctive words lie wholly in the other.

    The score is 0.95 when the rest of the longer mark is weak words only and falls
    linearly to 0.85 as the added distinctive letters reach the shared ones (and stays
    there beyond). `han_a` and
    `han_b` are the marks' Chinese characters (normalized), compared as strings; `latin` gives
    each mark's words written in Latin letters (`latin_words`; True: all of them): only these
    may be initials (`_core`), not the romanized syllables of another script.

    >>> containment(("UBER",), ("UBER", "EATS")), containment(("MONSTER",), ("MONSTER", "ENERGY"))
    ((0.85, 'UBER'), (0.8577, 'MONSTER'))
    >>> containment(("ACME",), ("ACME", "GROUP", "INC"))
    (0.95, 'ACME')
    >>> containment(("GROUP",), ("ACME", "GROUP")) is None
    True
    """
    found = _word_containment(words_a, words_b, latin) or _word_containment(
        words_b, words_a, latin[::-1]
    )
    if found is None and han_a and han_b:
        found = _han_containment(han_a, han_b) or _han_containment(han_b, han_a)
    return found


def _core(
    words: tuple[str, ...], numbers: bool = False, initials: Letters = True, found: bool = False
) -> tuple[str, ...]:
    """The distinctive words, in their `kg.analysis.elements.element_form` (no plural S).

    With `numbers` (``containment``), beside them the numbers and the initials of two letters
    (``33``, ``2``, ``XY``: two letters that are no common word of seven languages,
    `kg.analysis.elements.short_words`), too short to stand alone as an element: still part
    of the mark, so ``ONE 33`` is not wholly inside ``DAY ONE`` nor ``ONE OR 2``
    inside ``ONE WORLD`` (TIPO gazette, 2026-12-02 trial), nor ``XY YOGA`` inside ``PEGGYS
    YOGA HOUSE`` (helper-120, 2026-12-06). A mark of numbers and weak words alone has no core
    (``NO. 5`` is not inside every mark holding a 5); one of initials and numbers alone has
    them, so ``RM`` is inside ``MB RM`` (UKIPO O/178/99) and ``ML`` inside ``ML MARK LEES``
    (*In re Mighty Leaf Tea*, 601 F.3d 1342 (Fed. Cir. 2010)); with `found` (the core to be
    found in another mark) one with another weak word has none (``DR CLASSIC`` is not inside
    ``DR PEPPER``: helper-124), while as the other mark it is its initials (``HP`` is inside
    ``THE HP STORE``). Two letters are
    initials only where written in Latin letters (`initials`: True for every word, or the
    words so written, `latin_words`; not the pinyin ``YU`` of ``玉``, helper-124, while the
    ``LG`` of ``LG 전자`` is, helper-125) and not right after a quantity (a unit: ``500 ML``,
    ``TWO ML``; a year is none: ``2024 LG CUP``).
    Common words (``OF``, ``MY``, ``UN``, ``AL``) and the listed weak words (``CO``, ``SA``)
    stay out, and so does a lone letter (an initial or a prefix: ``e4you``, ``K-SWISS``).
    Initials written apart are one word (``X.Y. YOGA``, ``X Y YOGA``: ``XY``).

    >>> _core(("ONE", "OR", "2")), _core(("ONE", "OR", "2"), True), _core(("NO", "5"), True)
    (('ONE',), ('ONE', '2'), ())
    >>> _core(("XY", "YOGA"), True), _core(("HOUSE", "OF", "YOGA"), True)
    (('XY', 'YOGA'), ('HOUSE', 'YOGA'))
    >>> _core(("X", "Y", "YOGA"), True), _core(("X", "YOGA"), True)
    (('XY', 'YOGA'), ('YOGA',))
    >>> _core(("LG",), True), _core(("LG", "5"), True), _core(("MY", "5"), True)
    (('LG',), ('LG', '5'), ())
    >>> _core(("XY", "CLASSIC"), True, found=True), _core(("XY", "CLASSIC"), True)
    ((), ('XY',))
    >>> _core(("YU",), True, initials=False)
    ()
    >>> _core(("500", "ML", "BOTTLE"), True), _core(("ML", "500"), True)
    (('500', 'BOTTLE'), ('ML', '500'))
    """
    if not numbers:
        return tuple(element_form(w) for w in words if not is_weak(w))
    if initials:
        words = _initials(words)
    marked = [
        (initials is True or (initials and w in initials))
        and is_initial(w)
        and not (i and _quantity(words[i - 1]))
        for i, w in enumerate(words)
    ]
    if all(is_weak(w) for w in words):
        alone = all(m or w.isdigit() for w, m in zip(words, marked, strict=True))
        if not any(marked) or (found and not alone):
            return ()
    return tuple(
        element_form(w)
        for w, initial in zip(words, marked, strict=True)
        if not is_weak(w) or w.isdigit() or initial
    )


def contained_core(
    words: tuple[str, ...], latin: Letters = True, found: bool = False
) -> tuple[str, ...]:
    """The words of a mark that ``containment`` must find whole in another (with `found`) or
    finds in it: `_core` with numbers and, of its words written in Latin letters (`latin`:
    `latin_words`, or True for all), initials (`is_initial`).

    >>> contained_core(("L", "G", "ELECTRONICS")), contained_core(("NO", "5"))
    (('LG', 'ELECTRONIC'), ())
    """
    return _core(words, numbers=True, initials=latin, found=found)


def _quantity(word: str) -> bool:
    """Whether a word is a quantity two letters after it would measure (``500 ML``, ``TWO
    ML``): a number in digits or words, not a year (``2024 LG CUP``: helper-125 #12).

    >>> _quantity("500"), _quantity("TWO"), _quantity("2024"), _quantity("LG")
    (True, True, False, False)
    """
    if word.isdigit():
        return not (len(word) == 4 and word[:2] in ("19", "20"))
    return word in number_words()


Letters = bool | frozenset[str]
"""Which words of a mark are written in Latin letters: all (True), none (False) or those
given (`latin_words`)."""


@lru_cache(maxsize=65536)
def latin_words(text: str) -> frozenset[str]:
    """The words of `text` (as `kg.analysis.scripts.words` gives them) written in Latin
    letters: those of its runs of Latin script (`kg.analysis.elements.runs`), and their single
    letters joined (``L.G.``: LG). Only these may be initials (`_core`).

    >>> sorted(latin_words("LG 전자")), sorted(latin_words("L.G. 電子")), sorted(latin_words("玉"))
    (['LG'], ['G', 'L', 'LG'], [])
    >>> sorted(latin_words("LG電子")), sorted(latin_words("ＬＧ"))
    (['LG'], ['LG'])
    """
    found = tuple(w for script, run in runs(text) if script == "Latin" for w in words(run))
    return frozenset(found) | frozenset(_initials(found))


def is_initial(word: str) -> bool:
    """Whether a word of a mark is initials of two letters: no common word of seven languages
    (`kg.analysis.elements.short_words`) nor a listed weak word (``LG``, ``XY``; not ``MY``,
    ``CO``)."""
    return len(word) == 2 and word.isalpha() and word not in _common_words()


@cache
def _common_words() -> frozenset[str]:
    return short_words() | weak_words()


def _initials(words: tuple[str, ...]) -> tuple[str, ...]:
    """`words` with each run of two or more single letters joined into one word (``X.Y.``
    is read as the words X and Y: `kg.analysis.scripts.words`)."""
    joined: list[str] = []
    run = ""
    for word in (*words, ""):
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
        run = ""
        if word:
            joined.append(word)
    return tuple(joined) if len(joined) != len(words) else words


def _forms(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(element_form, words))


def _word_containment(
    short: tuple[str, ...], long: tuple[str, ...], latin: tuple[Letters, Letters]
) -> tuple[float, str] | None:
    core = _core(short, numbers=True, initials=latin[0], found=True)
    if not core or len(short) > len(long) or short == long:
        return None
    # numbers alone, in digits or words: the whole mark must be there, every word of it
    # (SEVEN UP, UP being weak, is not in SEVEN STARS, as 7UP is not; ONE 33 is in THE ONE 33
    # CLUB): a second trial of 2026-12-02
    numbers_alone = all((w.isdigit() and is_weak(w)) or w in number_words() for w in core)
    if numbers_alone and find_run(_forms(short), _forms(long)) < 0:
        return None
    long_core = _core(long, numbers=True, initials=latin[1])
    start = find_run(core, long_core)
    if start < 0:
        return None
    shared = _weight(core)
    added = _weight(long_core) - shared
    return _contained_score(shared, added), " ".join(core)


TRANSPOSITION_TOP = 0.9


def transposition(
    words_a: tuple[str, ...], words_b: tuple[str, ...], han_a: str = "", han_b: str = ""
) -> tuple[float, str] | None:
    """(score, shared words) when one mark's distinctive words (two or more) are the other's,
    or among the other's, in another order (not a subsequence of them); or two Chinese marks
    are the same characters in another order (`han_a`, `han_b`: the marks' Chinese
    characters when written in them alone). The score is `containment`'s, at most
    `TRANSPOSITION_TOP`.

    >>> transposition(("HANGOVER", "ZERO"), ("ZERO", "HANGOVER", "THE", "LAST", "DEFENSE"))
    (0.8543, 'HANGOVER ZERO')
    >>> transposition(("RUST", "BUSTER"), ("BUST", "RUST")) is None  # other words: not this rule
    True
    >>> transposition(("SILKY", "TOUCH"), ("TOUCH", "SILKY")), transposition((), (), "優肌", "肌優")
    ((0.9, 'SILKY TOUCH'), (0.9, '優肌'))
    >>> transposition(("UBER", "EATS"), ("UBER", "EATS", "NOW")) is None  # in order: containment
    True
    >>> transposition(("PENFOLDS", "SUPERBLEND"), ("PENFOLDS", "802B", "SUPERBLEND")) is None
    True
    """
    if han_a and han_b:
        if han_a != han_b and len(han_a) >= 2 and sorted(han_a) == sorted(han_b):
            return TRANSPOSITION_TOP, han_a
        return None
    core_a, core_b = _core(words_a), _core(words_b)
    short, long = sorted((core_a, core_b), key=len)
    if len(short) < 2 or short == long or _in_order(short, long):
        return None  # in the same order: containment's (or another rule's) to judge
    if Counter(short) - Counter(long):  # a word of the shorter mark is not in the longer
        return None
    shared = _weight(short)
    score = _contained_score(shared, _weight(long) - shared)
    return min(score, TRANSPOSITION_TOP), " ".join(short)


def _in_order(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether `part` is a subsequence of `whole`: its words there in its order, other
    words between them or not."""
    rest = iter(whole)
    return all(word in rest for word in part)


def _han_containment(short: str, long: str) -> tuple[float, str] | None:
    """A Chinese mark inside another: two characters or more, or one of at most two."""
    if short not in long or len(short) >= len(long) or (len(short) < 2 and len(long) > 2):
        return None
    from kg.analysis.scripts import romanize  # the rest of the longer mark, as pinyin

    rest = long.replace(short, " ", 1).split()
    added = sum(len(part) for part in rest if not is_weak(romanize(part)))
    return _contained_score(len(short), added), short


def _contained_score(shared: int, added: int) -> float:
    share = added / (shared + added) if shared + added else 0.0
    return round(CONTAINMENT_TOP - CONTAINMENT_SPAN * 2 * min(share, 0.5), 4)


AFFIX_MIN_LENGTH = 4
AFFIX_MIN_SHARE = 0.3
AFFIX_BASE, AFFIX_SPAN = 0.8, 0.1


AFFIX_MAX_LENGTH = 64  # the longest mark found inside another by its keys


def affixes(roman: str, roman_words: tuple[str, ...]) -> set[str]:
    """Where another mark may stand whole inside this one (``CONFIRM`` in ``CONFIRMCELLS``,
    ``MAXX`` in ``NARAMAXX``): the beginnings and ends of its romanized form and of its words
    that `affix_containment` accepts, up to `AFFIX_MAX_LENGTH` characters (the keys'
    total size stays linear in the mark's length).

    >>> sorted(affixes("NARAMAXX", ("NARAMAXX",)))
    ['AMAXX', 'ARAMAXX', 'MAXX', 'NARA', 'NARAM', 'NARAMA', 'NARAMAX', 'RAMAXX']
    """
    least = max(AFFIX_MIN_LENGTH, -(-len(roman) * 3 // 10))
    found: set[str] = set()
    for form in {roman, *roman_words}:
        most = min(len(form) - (form == roman), AFFIX_MAX_LENGTH)
        for size in range(least, most + 1):
            found.add(form[:size])
            found.add(form[-size:])
    return found


def affix_containment(
    roman_a: str, roman_b: str, words_a: tuple[str, ...], words_b: tuple[str, ...]
) -> tuple[float, str] | None:
    """(score, shared part) when one whole romanized form (four characters or more, not a
    weak word) begins or ends the other or one of its words, or is one of its words, and
    makes up at least 30% of it; the score grows from 0.8 with that share.

    >>> affix_containment("CONFIRM", "CONFIRMCELLS", ("CONFIRM",), ("CONFIRMCELLS",))
    (0.8583, 'CONFIRM')
    >>> affix_containment("BOXMASTER", "THEBOXMASTERS", ("BOXMASTER",), ("THE", "BOXMASTERS"))
    (0.8692, 'BOXMASTER')
    >>> affix_containment("POLO", "DIPOLON", ("POLO",), ("DIPOLON",)) is None
    True
    """
    (short, _), (long, long_words) = sorted(
        ((roman_a, words_a), (roman_b, words_b)), key=lambda pair: len(pair[0])
    )
    if len(short) < AFFIX_MIN_LENGTH or len(short) == len(long) or is_weak(short):
        return None
    share = len(short) / len(long)
    if share < AFFIX_MIN_SHARE:
        return None
    forms = (long, *long_words)
    begun = [form for form in forms if form.startswith(short)]
    ended = [form for form in forms if form.endswith(short)]
    if not begun and not ended:
        return None
    # the letters of a longer ordinary word are no element of it: MACH begins MACHINEPISTOL
    # only as the start of MACHINE (helper-109 F8), BOND ends VAGABOND
    if all(_inside_word(short, form) for form in begun) and all(
        _inside_word(short, form[::-1], reverse=True) for form in ended
    ):
        return None
    return round(AFFIX_BASE + AFFIX_SPAN * share, 4), short


# English inflectional endings (plural, past, comparative and agent -er, -ing): a word they
# make of the shorter mark is still that mark (ERASE in STAIN ERASER: In re The Clorox Co.,
# 196 USPQ 140, TTAB 1977, found similar), unlike the letters that make another word of it.
_INFLECTIONS = frozenset({"S", "ES", "D", "ED", "R", "ER", "RS", "ERS", "ING", "ST", "EST"})


def _inside_word(short: str, form: str, reverse: bool = False) -> bool:
    """Whether an ordinary English word longer than `short` begins `form` (with `reverse`,
    both read backwards: ends it) and holds `short` at its own beginning (end), other than
    `short` with an inflectional ending."""
    from kg.analysis.sound_rules import is_ordinary_word  # it imports this module

    for size in range(len(short) + 1, len(form) + 1):
        word = form[:size][::-1] if reverse else form[:size]
        if is_ordinary_word(word) and (reverse or word[len(short) :] not in _INFLECTIONS):
            return True
    return False


def shared_element(words_a: tuple[str, ...], words_b: tuple[str, ...]) -> str | None:
    """The first distinctive word when two composite marks both begin with it.

    >>> shared_element(("MAGNOLIA", "BAY"), ("MAGNOLIA", "GROVE"))
    'MAGNOLIA'
    >>> shared_element(("THE", "MAGNOLIA", "BAY"), ("MAGNOLIA", "GROVE"))
    'MAGNOLIA'
    >>> shared_element(("BAY", "MAGNOLIA"), ("MAGNOLIA", "GROVE")) is None
    True
    """
    core_a, core_b = _core(words_a), _core(words_b)
    if len(core_a) < 2 or len(core_b) < 2 or core_a[0] != core_b[0]:
        return None
    return core_a[0] if len(core_a[0]) >= SHARED_ELEMENT_MIN_LENGTH else None


def beginning(roman_a: str, roman_b: str) -> float | None:
    """A score when the shorter romanized form is the whole beginning of the longer.

    The shorter form has at least five characters and the longer adds at most 60% of its
    length; the score grows with the shared share, from 0.8.

    >>> beginning("LUTEX", "LUTEXAL"), beginning("MARLBORO", "MARLBOROUGH")
    (0.8714, 0.8727)
    >>> beginning("APPLE", "APPLEBEES") is None, beginning("NIKE", "NIKEA") is None
    (True, True)
    """
    short, long = sorted((roman_a, roman_b), key=len)
    if len(short) < BEGINNING_MIN_LENGTH or len(long) == len(short):
        return None
    if len(long) - len(short) > BEGINNING_MAX_ADDED * len(short) or not long.startswith(short):
        return None
    return round(BEGINNING_BASE + BEGINNING_SPAN * len(short) / len(long), 4)


def ending_word(words: tuple[str, ...]) -> str | None:
    """The one distinctive word of a mark (weak words set aside), as written, when it is
    of letters alone and at least `ENDING_MIN_LENGTH` long; else ``None``.

    >>> ending_word(("THE", "KINGSBURY")), ending_word(("RIO", "MARE")), ending_word(("NASH360",))
    ('KINGSBURY', None, None)
    """
    core = [w for w in words if not is_weak(w)]
    if len(core) != 1 or len(core[0]) < ENDING_MIN_LENGTH or not core[0].isalpha():
        return None
    return core[0]


def _shared_end(a: str, b: str) -> int:
    """How many letters `a` and `b` end with in common."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _ending_size(longer: int) -> int:
    """The letters the shared ending needs in a pair whose longer word has `longer`."""
    return math.ceil(ENDING_MIN_SHARE * longer)


def ending(word_a: str | None, word_b: str | None) -> float | None:
    """A score when two long words (`ending_word`) differ at the beginning but share most of
    their ending, with as many vowel groups (module docs).

    >>> ending("FAVOLIZIA", "RAGOLIZIA"), ending("KICKERS", "SNICKERS")
    (0.82, 0.82)
    >>> ending("GOFETCH", "GLOWFETCH") is None, ending("CHEROKEE", "CHORKEE") is None
    (True, True)
    """
    if word_a is None or word_b is None or word_a == word_b:
        return None
    if abs(len(word_a) - len(word_b)) > ENDING_MAX_GAP:
        return None
    if _shared_end(word_a, word_b) < _ending_size(max(len(word_a), len(word_b))):
        return None
    if syllable_count(word_a) != syllable_count(word_b):
        return None
    if OSA.normalized_similarity(word_a, word_b) < ENDING_MIN_EDIT:
        return None
    return ENDING_SCORE


def ending_patterns(word: str) -> set[str]:
    """What `ending` pairs share, as blocking key values: for each length the longer word
    of a pair may have (this word's, or up to `ENDING_MAX_GAP` more), the vowel groups, that
    length and the ending it needs.

    >>> sorted(ending_patterns("KICKERS")), sorted(ending_patterns("SNICKERS"))
    (['2.7.KERS', '2.8.KERS'], ['2.8.KERS', '2.9.CKERS'])
    """
    syllables = syllable_count(word)
    longer = range(len(word), len(word) + ENDING_MAX_GAP + 1)
    return {f"{syllables}.{n}.{word[-_ending_size(n) :]}" for n in longer}


MIDDLE_MIN_LENGTH = 5  # the shorter form's letters
MIDDLE_RUN = (2, 3)  # letters inserted: one letter is the spelling rules' (`fuzzy`)
MIDDLE_KEPT_BEFORE = 2  # letters kept before the inserted ones (one, at least, after)
MIDDLE_SCORE = 0.82


def middle(
    roman_a: str, roman_b: str, words_a: tuple[str, ...], words_b: tuple[str, ...]
) -> float | None:
    """`MIDDLE_SCORE` when the longer romanized form, of a mark written as one word, is the
    shorter one with two or three letters inserted after its first two letters or more and
    before its last one or more, adding at most half its length (module docs), else None.

    >>> middle("COMMCASH", "COMMUNICASH", ("COMMCASH",), ("COMMUNICASH",))
    0.82
    >>> middle("NUVERUS", "NUTRIVERUS", ("NU", "VERUS"), ("NUTRIVERUS",))
    0.82
    >>> middle("APIAL", "APIRETAL", ("APIAL",), ("APIRETAL",)) is None  # 3 letters into 5
    True
    >>> middle("BRAND", "BRANDED", ("BRAND",), ("BRANDED",)) is None  # containment's
    True
    """
    (short, _), (long, long_words) = sorted(
        ((roman_a, words_a), (roman_b, words_b)), key=lambda pair: len(pair[0])
    )
    added = len(long) - len(short)
    if len(long_words) != 1 or len(short) < MIDDLE_MIN_LENGTH or added not in MIDDLE_RUN:
        return None
    if 2 * added > len(short) or long.startswith(short) or long.endswith(short):
        return None
    if is_weak(short):
        return None
    for kept in range(MIDDLE_KEPT_BEFORE, len(short)):
        if long.startswith(short[:kept]) and long.endswith(short[kept:]):
            return MIDDLE_SCORE
    return None


def middle_forms(
    roman: str, roman_words: tuple[str, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The forms `middle` compares of a Latin mark, each with its words: its romanized form,
    and, where weak words (`kg.analysis.elements.is_weak`) stand beside distinctive ones,
    the distinctive words closed up (``NIVEOLA GROUP``: ``NIVEOLA``).

    >>> middle_forms("NIVEOLAGROUP", ("NIVEOLA", "GROUP"))
    (('NIVEOLAGROUP', ('NIVEOLA', 'GROUP')), ('NIVEOLA', ('NIVEOLA',)))
    >>> middle_forms("NIVEOLA", ("NIVEOLA",))
    (('NIVEOLA', ('NIVEOLA',)),)
    """
    kept = tuple(w for w in roman_words if not is_weak(w))
    if not kept or kept == roman_words:
        return ((roman, roman_words),)
    return (roman, roman_words), ("".join(kept), kept)


def middle_variants(roman: str, roman_words: tuple[str, ...]) -> set[str]:
    """The forms a mark written as one word has with two or three letters taken out of its
    middle, as `middle` accepts them: the shorter forms that `middle` pairs with this one
    (blocking key values); none for a mark of two words or more.

    >>> sorted(middle_variants("NIVEOLA", ("NIVEOLA",)))
    ['NIOLA', 'NIVEA', 'NIVLA']
    >>> middle_variants("NIVEOLA GROUP", ("NIVEOLA", "GROUP"))
    set()
    """
    if len(roman_words) != 1:
        return set()
    found = set()
    for added in MIDDLE_RUN:
        if len(roman) - added < max(MIDDLE_MIN_LENGTH, 2 * added):
            continue
        for start in range(MIDDLE_KEPT_BEFORE, len(roman) - added):
            found.add(roman[:start] + roman[start + added :])
    return found


def short_change(roman_a: str, roman_b: str) -> float | None:
    """A score when two marks of 3-4 characters differ in one character, or two of three
    characters after the first swap places (module docs).

    >>> short_change("AWS", "AWZ"), short_change("TMM", "TMS"), short_change("AWS", "SWA")
    (0.82, 0.82, None)
    >>> short_change("IPS", "ISP"), short_change("AWS", "WAS"), short_change("AB", "AC")
    (0.82, None, None)
    >>> short_change("SONY", "SONG"), short_change("KODA", "CODA")
    (None, 0.82)
    """
    if len(roman_a) != len(roman_b) or not 3 <= len(roman_a) <= 4:
        return None
    changed = [i for i, (x, y) in enumerate(zip(roman_a, roman_b, strict=True)) if x != y]
    if changed == [1, 2] and len(roman_a) == 3 and roman_a[1:] == roman_b[:0:-1]:
        return SHORT_SCORE  # IPS / ISP: the first letter kept, the two after it swapped
    if len(changed) != 1:
        return None
    if len(roman_a) == 4:
        x, y = roman_a[changed[0]], roman_b[changed[0]]
        if SAME_SOUND.get(x) is None or SAME_SOUND.get(x) != SAME_SOUND.get(y):
            return None
    return SHORT_SCORE


def skeleton_variants(roman: str) -> frozenset[str]:
    """The consonant skeletons a Latin mark may be transcribed with (module docs): as
    spelled, without a final S/Z class, without ``R``; ``R`` and ``L`` both written ``4``.

    >>> sorted(skeleton_variants("PHILIPS")), sorted(skeleton_variants("JORDAN"))
    (['141', '1412'], ['235', '2435'])
    """
    full = consonant_skeleton(roman)
    variants = {full, consonant_skeleton(roman.replace("R", ""))}
    variants |= {v[:-1] for v in variants if v.endswith("2") and roman[-1] in "SZ"}
    return frozenset(v.replace("6", "4") for v in variants if len(v) >= SKELETON_MIN_LENGTH)


def transcribed_skeleton(roman: str, han: bool) -> str:
    """The consonant skeleton of a mark in another script (``R`` written ``4``); pinyin's
    ``NG`` is a nasal, not a ``G``.

    >>> transcribed_skeleton("XINGBAKE", True), transcribed_skeleton("MAKUDONARUDO", False)
    ('2512', '523543')
    """
    if han:
        roman = roman.replace("NG", "N")
    return consonant_skeleton(roman).replace("6", "4")


def sound_transliteration(
    other_script: str, latin: str, han: bool, folded: str | None = None, spoken: str = ""
) -> float | None:
    """A score when a romanized mark of another script sounds like a Latin mark (module
    docs); `folded` is the other mark as `kg.analysis.scripts.normalize` gives it, which
    tells its script (without it, the consonant skeletons are compared), `spoken` the
    Latin mark's words to read aloud (`kg.analysis.transcription.latin_readings`).

    >>> sound_transliteration("YAMAXUN", "AMAZON", True)
    0.82
    >>> sound_transliteration("QIAODAN", "JORDAN", True)
    0.82
    >>> sound_transliteration("FEILIPU", "PHILIPS", True)
    0.82
    >>> sound_transliteration("XINGBAKE", "STARBUCKS", True) is None
    True
    >>> sound_transliteration("ERIKUSON", "ERICSSON", False, "エリクソン")
    0.85
    >>> sound_transliteration("RISUMO", "ERICSSON", False, "リスーモ") is None
    True
    >>> sound_transliteration("SOKOL", "SCORKL", False, "СОКОЛ") is None
    True
    """
    if folded is not None and not han:
        kind = compared_by(folded)
        if kind == "spelling":
            return None
        if kind == "transcription":
            return _transcription(folded, latin, spoken)
    if Indel.normalized_similarity(other_script, latin) < SOUND_MIN_LETTERS:
        return None
    skeleton = transcribed_skeleton(other_script, han)
    if len(skeleton) < SKELETON_MIN_LENGTH or skeleton not in skeleton_variants(latin):
        return None
    if han and abs(syllable_count(other_script) - syllable_count(latin)) > 1:
        return None  # a Chinese character is a syllable; kana and Hangul add vowels
    if han and not _same_articulation(other_script, latin):
        return None
    return SKELETON_SCORE


_PINYIN_SIBILANTS = frozenset("ZCSJQX")  # z zh c ch s sh j q x: hissing and hushing sounds
_EITHER = "?"


def _articulations(roman: str, pinyin: bool) -> list[frozenset[str]]:
    """What each run of Soundex class 2 consonants (`consonant_skeleton`'s ``2``) sounds
    like: ``K`` a velar stop, ``S`` a sibilant, ``?`` either. In pinyin ``g``/``k`` are
    velars and ``z c s zh ch sh j q x`` sibilants (the ``g`` of ``ng`` is a nasal); in a
    Latin mark ``C`` and ``G`` before ``E I Y`` are soft (``G`` either: GEORGE, GIFT), ``CH``
    and ``X`` either, ``J`` a sibilant as transcribed (JORDAN 乔丹 QIAODAN).

    >>> _articulations("DAZHONG", True), _articulations("DRAGON", False)
    ([frozenset({'S'})], [frozenset({'K'})])
    """
    if pinyin:
        roman = roman.replace("NG", "N")
    runs: list[set[str]] = []
    joined = False  # the last letter was of class 2: a neighbour of it joins its run
    for i, char in enumerate(roman):
        code = SOUNDEX_CLASSES.get(char)
        if code is None:
            if char in "AEIOUY":
                joined = False
            continue
        if code != "2":
            joined = False
            continue
        after = roman[i + 1 : i + 2]
        if pinyin:
            kind = "S" if char in _PINYIN_SIBILANTS else "K"
        elif char == "C":
            kind = "S" if after and after in "EIY" else _EITHER if after == "H" else "K"
        elif char == "G":
            kind = _EITHER if after and after in "EIY" else "K"
        else:
            kind = {"K": "K", "Q": "K", "X": _EITHER}.get(char, "S")
        if not joined:
            runs.append(set())
        runs[-1].add(kind)
        joined = True
    return [frozenset(run) for run in runs]


def _same_articulation(pinyin: str, latin: str) -> bool:
    """Whether a Chinese mark's pinyin and a Latin mark it shares a consonant skeleton with
    agree on how their class-2 consonants are made, run by run: Soundex puts the velars and
    the sibilants in one class, but a transcription keeps them apart (``GOOGLE`` 谷歌 GUGE,
    ``BENZ`` 奔驰 BENCHI), so ``DRAGON`` is not heard in 大众 DAZHONG. A final ``S`` the
    skeleton drops may be missing; runs that do not line up decide nothing.

    >>> _same_articulation("YAMAXUN", "AMAZON"), _same_articulation("QIAODAN", "JORDAN")
    (True, True)
    >>> _same_articulation("GUGE", "GOOGLE"), _same_articulation("DAZHONG", "DRAGON")
    (True, False)
    """
    heard, written = _articulations(pinyin, True), _articulations(latin, False)
    if len(written) == len(heard) + 1 and written[-1] == {"S"} and latin.endswith(("S", "Z")):
        written = written[:-1]
    if len(written) != len(heard):
        return True
    return all(a & b or _EITHER in a | b for a, b in zip(heard, written, strict=True))


def _transcription(folded: str, latin: str, spoken: str = "") -> float | None:
    """The ``sound-transliteration`` score of a katakana or Hangul mark (module docs); the
    letters compared are `kg.analysis.transcription.transcription_letters`."""
    letters = Indel.normalized_similarity(
        transcription_letters(folded), transcription_letters(latin)
    )
    if letters < TRANSCRIPTION_MIN_LETTERS:
        return None
    read = reading(folded)
    if read is None or len(read.consonants) < TRANSCRIPTION_MIN_CONSONANTS:
        return None
    return SOUND_SCORE if transcribes(folded, latin, spoken) else None
