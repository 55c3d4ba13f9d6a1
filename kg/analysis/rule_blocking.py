"""Blocking keys for the structural rules of `kg.analysis.similarity_rules`, and which pairs
of a key's bucket can fire them.

`kg.analysis.similarity.blocking_keys` gives every mark its spelling and sound keys
(``R:``, ``D:``, ``P:``, ``S:``, phonetic codes) and these:

==========  ==================================================  ===========================
key         a mark has it when                                  a bucket's candidate pairs
==========  ==================================================  ===========================
``W:``      a run of its distinctive words (``W:UBER``,         a mark whose distinctive
            ``W:UBER|EATS``), the first six considered, up to   words are the key, with
            64 characters, and two or three of them closed up   every other: ``containment``,
            (``W:UBEREATS``); a Chinese, Spanish, French or     ``translation``
            Italian mark's of its English equivalents
            (`kg.analysis.translations`); a run of its
            initials and numbers that holds initials
            (``W:LG``, ``W:LG|5``: `_initials_keys`)
``H:``      two or more of its Chinese characters in a row      a mark whose characters are
            (one, in a mark of one or two), in a mark of        the key, with every other
            Chinese characters alone
``F:``      its first distinctive word, in a mark of two or     every pair:
            more (``F:MAGNOLIA``)                               ``shared-element``
``C:``      its Latin form (4 to 64 characters) and             a mark whose form is the
            the beginnings and ends of it and of its words      key, with every other:
            (`kg.analysis.similarity_rules.affixes`)            ``containment`` closed up,
                                                                ``beginning``
``Q:``      its Latin form with one character made a wildcard   every pair: ``short``
            (3 characters; and its first character with the
            other two sorted) or a consonant made its Soundex
            class (4 characters)
``T:``      its one distinctive Latin word of 7 letters or      the pairs ``ending`` fires
            more: its vowel groups, the length of the longer    on (a check of two words,
            word of a pair (its own, or one more) and the half  cheaper than `compare`)
            of that length it ends with (``T:2.8.KERS``,
            `kg.analysis.similarity_rules.ending_patterns`)
``X:``      its consonant skeleton (Chinese characters,         a mark in another script
            scripts of few vowels) or its consonant classes     with a Latin one:
            (katakana or Hangul alone: `kg.analysis.            ``sound-transliteration``
            transcription`), the skeletons and classes it may
            be transcribed with (Latin); none for Cyrillic,
            Greek, hiragana (compared by spelling)
``Y:``      its whole reading in syllables (Chinese characters, a mark whose reading is the
            Hangul, kana: `kg.analysis.syllable_rules`) and     key, with every other:
            the beginnings and ends of its words that may hold  ``containment`` by syllables
            another's (two syllables or more, 30% of the mark)
``J:``      its reading of 3-12 syllables, final consonants     every pair: ``short`` by
            dropped, one syllable but the first a wildcard      syllables
``L:``      the first three syllables of a word of three or     every pair:
            more, in a mark of four or more                     ``shared-element`` by
                                                                syllables
``V:``      two or more of its distinctive words (the first     a mark whose words (or
            six), sorted, each choice of them; its Chinese      characters), sorted, are
            characters (two or more, the first twelve), sorted; the key, with every other:
            a one-word Hangul or kana mark's syllables, sorted  ``transposition``
``B:``      each form of a Latin mark that ``middle`` compares  a mark whose form is the
            (its romanized form; its distinctive words closed   key, with every other:
            up, beside weak words: `kg.analysis.                ``middle``
            similarity_rules.middle_forms`) of five letters
            or more, and, of one written as one word, that
            form with two or three letters taken out of its
            middle (`kg.analysis.similarity_rules.
            middle_variants`)
``O:``      its English sound form (Latin marks,                the pairs ``sound`` fires
            `kg.analysis.sound_rules.sound_form`) and that      on (a check of two sound
            form with one vowel left out, of four phonemes or   forms, cheaper than
            more (`kg.analysis.sound_rules`)                    `compare`)
``I:``      its sound form (four phonemes or more) and, in a    a mark whose sound form is
            mark of one distinctive word, the beginnings of     the key, with every other:
            it that `sound-beginning` accepts                   ``sound-beginning``
            (`kg.analysis.sound_rules.sound_beginnings`)
==========  ==================================================  ===========================

A mark also has a lowercase twin (``c:``, ``w:``, ``h:``, ``x:``, ``y:``, ``i:``, ``v:``) of the
key it anchors (its whole form, its whole distinctive words, all its Chinese characters, its
skeleton in another script, its whole reading in syllables, its whole sound form, its words
or characters sorted, its forms for ``middle``), so that a question
about one mark looks up only what can pair with it (:func:`lookup_keys`); the twins form no
buckets of their own. A mark's twins are :func:`anchor_twins` of each of :func:`rule_forms`
(the verbal element, its numbers said as words, each element of a mark in two scripts:
``e4you``, read ``E FOUR YOU``, anchors ``W:FOUR|YOU``). A register's comparison
(:func:`bucket_pairs`) takes a bucket's anchors from the keys kept for its marks: the members
holding the twin (:func:`anchor_twin`), the keys a question reads, so the two pair alike and
no mark's twins are made twice (they cost ~0.1 ms a mark, with its pronunciation).

Every pair that fires one of these rules shares the rule's key (but for marks of more than
64 characters found inside others), so blocking loses none of
them; within a bucket only the pairs in the last column go on to `compare`.

A ``F:`` bucket of more than :data:`MAX_SHARED_FIRST_WORD` marks is not expanded: a first
word that so many marks of the register begin with is diluted, as examiners weigh a shared
element that many third parties use (USPTO TMEP 1207.01(d)(iii)). `compare` alone still
scores such a pair as ``shared-element``; neither a register-wide search nor a question
about one mark proposes it (:func:`diluted`). The
same holds for an ``L:`` bucket (three syllables that so many marks begin with), and for a
``T:`` bucket of more than :data:`MAX_SHARED_ENDING` marks: an ending that so many words of
one length and rhythm share is a common suffix (``-ATION``, ``-LINE``), a weak element that
does not make marks alike (EUIPO Guidelines, Part C, Section 2, Chapter 4, "distinctive and
dominant elements"), and its bucket's pairs grow with its square.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any, NamedTuple, TypeVar

from kg.analysis.designations import without_designations
from kg.analysis.elements import distinctive_words, script_elements
from kg.analysis.numerals import read_readings
from kg.analysis.scripts import HAN, normalize, romanize, whole_han, words
from kg.analysis.similarity_rules import (
    AFFIX_MAX_LENGTH,
    AFFIX_MIN_LENGTH,
    MIDDLE_MIN_LENGTH,
    SAME_SOUND,
    SHARED_ELEMENT_MIN_LENGTH,
    SKELETON_MIN_LENGTH,
    affixes,
    contained_core,
    ending,
    ending_patterns,
    ending_word,
    is_initial,
    latin_words,
    middle_forms,
    middle_variants,
    skeleton_variants,
    sound_transliteration,
    transcribed_skeleton,
)
from kg.analysis.sound_rules import (
    BEGINNING_MIN_SOUNDS,
    one_vowel_variants,
    sound_beginnings,
    sound_form,
    sound_word,
    spelled_form,
    vowel_change,
)
from kg.analysis.syllable_rules import (
    LEADING_SYLLABLES,
    contained_affixes,
    one_change_patterns,
    rotation_key,
    syllable_runs,
    whole_reading,
)
from kg.analysis.transcription import (
    TRANSCRIPTION_MIN_CONSONANTS,
    compared_by,
    reading,
    transcription_keys,
)
from kg.analysis.translations import english_equivalents
from kg.analysis.verbal import verbal_element

__all__ = [
    "ANCHORED_KINDS",
    "ANCHOR_KINDS",
    "CHECKED_KINDS",
    "DILUTED_KINDS",
    "MAX_SHARED_ENDING",
    "MAX_SHARED_FIRST_WORD",
    "RULE_KEY_KINDS",
    "anchor_twin",
    "anchor_twins",
    "bucket_anchors",
    "bucket_pairs",
    "diluted",
    "lookup_keys",
    "pairs_with",
    "rule_forms",
    "rule_keys",
]

RULE_KEY_KINDS = (
    "W:", "H:", "F:", "C:", "Q:", "T:", "X:", "Y:", "J:", "L:", "O:", "I:", "G:", "V:", "B:",
)  # fmt: skip
ANCHOR_KINDS = ("w:", "h:", "c:", "x:", "y:", "i:", "v:", "b:")
"""Keys a mark has as the anchor of a ``W:``, ``H:``, ``C:``, ``X:``, ``Y:``, ``I:``, ``V:``
or ``B:`` bucket (module docs)."""
ANCHORED_KINDS = tuple(kind.upper() for kind in ANCHOR_KINDS)
"""The kinds of rule key whose bucket pairs only its anchors with its other members."""
_V = TypeVar("_V")  # what `_checked_pairs` reads of each member
MAX_SHARED_FIRST_WORD = 1000
MAX_SHARED_ENDING = 200
_MAX_RUN_WORDS = 6
_MAX_HAN = 12


def rule_keys(verbal: str) -> set[str]:
    """The keys of a mark's verbal element for the structural rules (module docs).

    >>> sorted(k for k in rule_keys("UBER EATS") if k[0] in "WF")
    ['F:UBER', 'W:EATS', 'W:UBER', 'W:UBEREATS', 'W:UBER|EATS']
    >>> sorted(rule_keys("AWS"))
    ['Q:?WS', 'Q:A?S', 'Q:AW?', 'Q:A~SW', 'W:AWS', 'w:AWS']
    """
    parts = _parts(verbal)
    core, folded, han, roman = parts.core, parts.folded, parts.han, parts.roman
    keys = _run_keys(core) | _initials_keys(parts.contained)
    if len(core) >= 2 and len(core[0]) >= SHARED_ELEMENT_MIN_LENGTH:
        keys.add("F:" + core[0])
    if (
        folded.isascii()
        and 2 <= len(core) <= 3
        and len(closed := "".join(core)) <= AFFIX_MAX_LENGTH
    ):
        keys.add("W:" + closed)  # a meaning written closed up (GOODMORNING) holds it
    keys.update(_transposition_keys(core, han))
    least = 1 if len(han) <= 2 else 2  # one character inside a mark of two (茅 in 金茅)
    keys.update("H:" + han[i:j] for i in range(len(han)) for j in range(i + least, len(han) + 1))
    for meaning in parts.meanings:  # Chinese, or Spanish, French, Italian words
        keys.update(_run_keys(meaning))
        keys.update(_run_keys(("".join(meaning),)) if len(meaning) > 1 else ())  # closed up
    if folded.isascii():  # beginnings, ends and short marks: Latin forms only
        if AFFIX_MIN_LENGTH <= len(roman) <= AFFIX_MAX_LENGTH:
            keys.add("C:" + roman)
        if len(roman) > AFFIX_MIN_LENGTH:
            keys.update("C:" + affix for affix in affixes(roman, words(verbal)))
        keys.update(_middle_keys(parts.middle))
        keys.update(_short_patterns(roman))
        if (word := ending_word(words(verbal))) is not None:
            keys.update("T:" + pattern for pattern in ending_patterns(word))
        keys.update("X:" + v for v in skeleton_variants(roman))
        keys.update("X:" + k for k in transcription_keys(roman, spelled_form(verbal)))
        keys.update(_sound_keys(verbal))
    else:
        if (skeleton := _transcription_skeleton(folded, roman)) is not None:
            keys.add("X:" + skeleton)
        keys.update(_syllable_keys(verbal))
    return keys | _anchor_twins(verbal, parts)


class _Parts(NamedTuple):
    """What `rule_keys` and `anchor_twins` both read of a verbal element, made once."""

    core: tuple[str, ...]  # its distinctive words, the first six
    contained: tuple[str, ...]  # `contained_core`, the first six
    folded: str
    han: str  # `_whole_han`
    roman: str
    meanings: list[tuple[str, ...]]  # `_meanings`
    middle: tuple[tuple[str, tuple[str, ...]], ...]  # `middle_forms` of a Latin mark, else ()


def _parts(verbal: str) -> _Parts:
    folded = normalize(verbal)
    roman = romanize(verbal)
    middle = middle_forms(roman, words(verbal)) if folded.isascii() else ()
    core = distinctive_words(verbal)[:_MAX_RUN_WORDS]
    contained = contained_core(words(verbal), latin_words(verbal))[:_MAX_RUN_WORDS]
    return _Parts(core, contained, folded, _whole_han(folded), roman, _meanings(verbal), middle)


def anchor_twins(verbal: str) -> set[str]:
    """The lowercase twins of the rule keys a verbal element anchors (module docs): all
    its distinctive words (``w:``, and those of each English equivalent, also closed up),
    all its Chinese characters (``h:``), its words or characters sorted (``v:``), and of a
    Latin mark its whole form (``c:``), its forms for ``middle`` (``b:``) and its sound
    form (``i:``); of one in another script its skeleton (``x:``), its whole reading
    (``y:``) and its syllables turned (``v:``). `rule_keys` gives them; a register's
    comparison (`bucket_pairs`) and a question (`lookup_keys`) both read a mark's anchors
    from them, so the two pair alike.

    >>> sorted(twin for twin in anchor_twins("UBER EATS") if twin[0] != "i")  # i: eSpeak's
    ['b:UBEREATS', 'c:UBEREATS', 'v:EATS|UBER', 'w:UBER|EATS']
    """
    return _anchor_twins(verbal, _parts(verbal))


def _anchor_twins(verbal: str, parts: _Parts) -> set[str]:
    core, folded, han, roman = parts.core, parts.folded, parts.han, parts.roman
    twins = _sorted_twins(core, han)
    if not core:  # a mark of initials alone (LG) anchors their run: `_initials_keys`
        core = contained_core(words(verbal), latin_words(verbal), found=True)[:_MAX_RUN_WORDS]
    twins.update(_whole_run(core))
    if han:
        twins.add("h:" + han)
    for meaning in parts.meanings:
        twins.update(_whole_run(meaning))
        twins.update(_whole_run(("".join(meaning),)) if len(meaning) > 1 else ())
    if folded.isascii():
        if AFFIX_MIN_LENGTH <= len(roman) <= AFFIX_MAX_LENGTH:
            twins.add("c:" + roman)
        twins.update(
            "b:" + form
            for form, _ in parts.middle
            if MIDDLE_MIN_LENGTH <= len(form) <= AFFIX_MAX_LENGTH
        )
        if len(sound := sound_form(verbal)) >= BEGINNING_MIN_SOUNDS:
            twins.add("i:" + sound)
    else:
        if (skeleton := _transcription_skeleton(folded, roman)) is not None:
            twins.add("x:" + skeleton)
        if (rotated := rotation_key(verbal)) is not None:
            twins.add("v:" + rotated)
        if len(syllables := whole_reading(verbal)) >= 2:
            twins.add("y:" + "".join(syllables))
    return twins


def _middle_keys(forms: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    """The ``B:`` keys of a Latin mark (module docs): each form `middle` compares of it
    (`forms`: `kg.analysis.similarity_rules.middle_forms`), and the forms with two or three
    letters taken out of its middle."""
    keys = set()
    for form, form_words in forms:
        if len(form) > AFFIX_MAX_LENGTH:
            continue
        if len(form) >= MIDDLE_MIN_LENGTH:
            keys.add("B:" + form)
        keys.update("B:" + variant for variant in middle_variants(form, form_words))
    return keys


def _run_keys(core: tuple[str, ...]) -> set[str]:
    """The ``W:`` keys of distinctive words: each run of them."""
    runs = ("|".join(core[i:j]) for i in range(len(core)) for j in range(i + 1, len(core) + 1))
    return {"W:" + run for run in runs if len(run) <= AFFIX_MAX_LENGTH}


def _initials_keys(contained: tuple[str, ...]) -> set[str]:
    """The ``W:`` keys of a mark's runs of initials and numbers holding initials (``LG``,
    ``LG|5`` of ``LG 5 PHONE``; `contained_core`): a mark of initials alone (``LG``, its
    twin ``w:LG``) lies in each mark holding its run (``LG ELECTRONICS``).

    >>> sorted(_initials_keys(("MB", "RM", "5", "YOGA", "XY")))
    ['W:MB', 'W:MB|RM', 'W:MB|RM|5', 'W:RM', 'W:RM|5', 'W:XY']
    """
    keys = set()
    start = 0
    for end, word in enumerate((*contained, "")):
        if word and (word.isdigit() or is_initial(word)):
            continue
        run = contained[start:end]
        keys.update(
            "W:" + "|".join(run[i:j])
            for i in range(len(run))
            for j in range(i + 1, len(run) + 1)
            if any(map(is_initial, run[i:j]))
        )
        start = end + 1
    return keys


def _whole_run(core: tuple[str, ...]) -> set[str]:
    """The ``w:`` anchor of distinctive words: all of them (`anchor_twins`)."""
    if core and len(whole := "|".join(core)) <= AFFIX_MAX_LENGTH:
        return {"w:" + whole}
    return set()


def _meanings(verbal: str) -> list[tuple[str, ...]]:
    """The distinctive words (the first six) of each English equivalent of a Chinese mark,
    or of a Latin one in Spanish, French or Italian (`kg.analysis.translations`): it has
    their ``W:`` keys as a Latin mark of those words would, and of them closed up
    (``GREATWALL``), for ``translation``."""
    found = (distinctive_words(meaning)[:_MAX_RUN_WORDS] for meaning in english_equivalents(verbal))
    return [core for core in found if core]


def _transposition_keys(core: tuple[str, ...], han: str) -> set[str]:
    """The ``V:`` keys (module docs): each choice of two or more of the distinctive words,
    sorted; a Chinese mark's characters, sorted. Their anchors: `_sorted_twins`.

    >>> sorted(_transposition_keys(("ZERO", "HANGOVER", "LAST"), ""))[:2]
    ['V:HANGOVER|LAST', 'V:HANGOVER|LAST|ZERO']
    >>> sorted(_transposition_keys((), "肌優"))
    ['V:優肌']
    """
    keys: set[str] = set()
    if len(core) >= 2:
        for size in range(2, len(core) + 1):
            for chosen in combinations(core, size):
                if len(key := "|".join(sorted(chosen))) <= AFFIX_MAX_LENGTH:
                    keys.add("V:" + key)
    if len(han) >= 2:
        keys.add("V:" + "".join(sorted(han)))
    return keys


def _sorted_twins(core: tuple[str, ...], han: str) -> set[str]:
    """The ``v:`` anchors of `_transposition_keys`: all the distinctive words (two or more),
    sorted, and all the Chinese characters (two or more), sorted.

    >>> sorted(_sorted_twins(("ZERO", "HANGOVER", "LAST"), "")), _sorted_twins((), "肌優")
    (['v:HANGOVER|LAST|ZERO'], {'v:優肌'})
    """
    twins = set()
    if len(core) >= 2 and len(whole := "|".join(sorted(core))) <= AFFIX_MAX_LENGTH:
        twins.add("v:" + whole)
    if len(han) >= 2:
        twins.add("v:" + "".join(sorted(han)))
    return twins


def _sound_keys(verbal: str) -> set[str]:
    """The ``O:`` and ``I:`` keys of a Latin mark's sound form (module docs)."""
    sound = sound_form(verbal)
    keys = {"O:" + variant for variant in one_vowel_variants(sound)}
    if len(sound) >= BEGINNING_MIN_SOUNDS:
        keys.add("I:" + sound)
    keys.update("I:" + beginning for beginning in sound_beginnings(sound_word(verbal)))
    return keys


def _transcription_skeleton(folded: str, roman: str) -> str | None:
    """What the ``X:`` key (and its ``x:`` twin) of a mark in another script holds (module
    docs), or None."""
    kind = "skeleton" if HAN.search(folded) else compared_by(folded)
    if kind == "skeleton":
        skeleton = transcribed_skeleton(roman, bool(HAN.search(folded)))
        ok = len(skeleton) >= SKELETON_MIN_LENGTH
    elif kind == "transcription" and (read := reading(folded)) is not None:
        skeleton = read.consonants
        ok = len(skeleton) >= TRANSCRIPTION_MIN_CONSONANTS
    else:
        return None
    return skeleton if ok else None


def _syllable_keys(verbal: str) -> set[str]:
    """The ``Y:``, ``J:`` and ``L:`` keys of a mark in scripts written a syllable per
    character (module docs)."""
    runs = syllable_runs(verbal)
    keys = {"Y:" + affix for affix in contained_affixes(runs)}
    if (rotated := rotation_key(verbal)) is not None:  # closed-up transposition
        keys.add("V:" + rotated)
    reading = whole_reading(verbal)
    if len(reading) >= 2:
        keys.add("Y:" + "".join(reading))
    keys.update("J:" + pattern for pattern in one_change_patterns(reading))
    if sum(map(len, runs)) > LEADING_SYLLABLES:
        runs = [run for run in runs if len(run) >= LEADING_SYLLABLES]
        keys.update("L:" + "".join(run[:LEADING_SYLLABLES]) for run in runs)
    return keys


def lookup_keys(keys: Iterable[str]) -> set[str]:
    """The keys to look a mark up by in an index of every mark's `blocking_keys`.

    In a ``W:``, ``H:``, ``C:`` or ``X:`` bucket only pairs with an anchor can be similar.
    A mark that is the anchor of its key (it has the lowercase twin, ``c:UBER`` beside
    ``C:UBER``) looks the key up as it is: every mark in the bucket; otherwise it looks up
    the twin, which only anchors have. A ``SWAT`` is then not proposed for every other mark
    beginning with ``SWAT``, only for ``SWAT`` itself and the marks that contain it.

    >>> sorted(lookup_keys(["C:UBER", "c:UBER", "C:UBERE", "R:UBEREATS"]))
    ['C:UBER', 'R:UBEREATS', 'c:UBERE']
    """
    given = set(keys)
    found = set()
    for key in given:
        kind = key[:2]
        if kind in ANCHOR_KINDS:
            continue
        twin = kind.lower() + key[2:]
        if kind.lower() in ANCHOR_KINDS and twin not in given:
            found.add(twin)
        else:
            found.add(key)
    return found


def _whole_han(folded: str) -> str:
    """The folded text when it is Chinese characters alone, its first 12, else ``""``."""
    return whole_han(folded)[:_MAX_HAN]


def _short_patterns(roman: str) -> Iterator[str]:
    if len(roman) == 3:
        yield from ("Q:" + roman[:i] + "?" + roman[i + 1 :] for i in range(len(roman)))
        yield "Q:" + roman[0] + "~" + "".join(sorted(roman[1:]))  # IPS / ISP: swapped
    elif len(roman) == 4:
        for i, char in enumerate(roman):
            if char in SAME_SOUND:
                yield "Q:" + roman[:i] + "#" + SAME_SOUND[char] + roman[i + 1 :]


@lru_cache(maxsize=65536)
def _verbal(text: str) -> str:
    """A mark's verbal element without the words that name no source
    (`kg.analysis.designations`; the text itself where it names only a figure)."""
    verbal = verbal_element(text)
    return text if verbal is None else without_designations(verbal)


@lru_cache(maxsize=65536)
def rule_forms(text: str, jurisdiction: str | None = None) -> tuple[str, ...]:
    """The forms of a mark that have rule keys (`rule_keys`), distinct, in order: its verbal
    element without what names no source (`kg.analysis.designations`), that with its
    numbers said as words (`kg.analysis.numerals.read_readings`: the ``numeral`` rule), and the
    same of each element of a mark in two scripts (`kg.analysis.elements.script_elements`:
    the ``script-element`` rule compares each alone); ``()`` for a text that names only a
    figure. `kg.analysis.similarity.blocking_keys` gives a mark the rule keys of these.

    >>> rule_forms("7UP & Device"), rule_forms("標章圖")
    (('7UP', 'SEVEN UP', 'SEPT UP', 'SIEBEN UP', 'SIETE UP', 'SETTE UP'), ())
    """
    whole = verbal_element(text, jurisdiction)
    if whole is None:
        return ()
    verbal = without_designations(whole)
    forms = [verbal, *read_readings(verbal)]
    for part in script_elements(verbal):
        forms.extend(rule_forms(part))
    return tuple(dict.fromkeys(forms))


def sound_transliterated(a: str, b: str) -> float | None:
    """The ``sound-transliteration`` score of two verbal forms, one in Latin letters and one
    in another script, either order (`kg.analysis.similarity_rules.sound_transliteration`
    on the other's folded form and the Latin mark's spelled form): `kg.analysis.similarity.
    compare` reads the rule so, and so does the check of an ``X:`` bucket; None otherwise.

    >>> sound_transliterated("乔丹", "JORDAN"), sound_transliterated("STARBUCKS", "星巴克")
    (0.82, None)
    """
    folded_a, folded_b = normalize(a), normalize(b)
    if not folded_a or not folded_b or folded_a.isascii() == folded_b.isascii():
        return None
    latin, other = (a, folded_b) if folded_a.isascii() else (b, folded_a)
    han = HAN.search(other) is not None
    return sound_transliteration(romanize(other), romanize(latin), han, other, spelled_form(latin))


def _sound_transliterates(other: str, latin: str) -> bool:
    """Whether ``sound-transliteration`` fires (`sound_transliterated`) between a form of
    `other` (a mark in another script) and one of `latin`: their verbal elements, with and
    without what names no source, and the elements of a mark in two scripts (the forms
    `compare` and its ``script-element`` rule compare). The check of an ``X:`` bucket's pairs
    before `compare`: at 100,000 synthetic marks these buckets proposed 40% of the candidate
    pairs, 2.5% of them similar."""
    return any(
        sound_transliterated(left, right) is not None
        for left in _compared_forms(other)
        for right in _compared_forms(latin)
    )


@lru_cache(maxsize=65536)
def _compared_forms(text: str) -> tuple[str, ...]:
    """The forms of a mark `compare` reads a rule on: its verbal element, that without what
    names no source, and the elements of either when it is in two scripts."""
    verbal = verbal_element(text)
    if verbal is None:
        return ()
    core = without_designations(verbal)
    forms = dict.fromkeys((verbal, core, *script_elements(verbal), *script_elements(core)))
    return tuple(forms)


@lru_cache(maxsize=65536)
def _ending_word(text: str) -> str | None:
    verbal = _verbal(text)
    return ending_word(words(verbal)) if normalize(verbal).isascii() else None


def bucket_pairs(
    key: str,
    members: Sequence[int],
    text_of: Callable[[int], str],
    new: Callable[[int], bool],
    anchors: Collection[int],
) -> Iterator[tuple[int, int]]:
    """Candidate pairs (smaller id first) in the bucket of a rule key, each with a member
    for which `new` holds (pass ``lambda _: True`` for all pairs).

    `members` are ids; `text_of` gives an id's text (its verbal element is what counts).
    `anchors` are the members (a superset will do) whose `blocking_keys` hold the key's
    `anchor_twin` (``w:UBER`` of ``W:UBER``: the marks that anchor the bucket; of an ``X:``
    bucket, the marks in another script), read from where the keys are kept (a register's
    index, the keys of a graph's texts), as a question about a mark reads its own
    (`lookup_keys`); ignored for a key of another kind.
    """
    kind = key[:2]
    if kind == "X:":  # a mark in another script with every Latin one, checked by the rule
        others = [m for m in members if m in anchors]
        skip = set(others)
        for a, b in _anchored(others, members, new, skip=skip):
            other, latin = (a, b) if a in skip else (b, a)
            if _sound_transliterates(text_of(other), text_of(latin)):
                yield a, b
    elif kind in ANCHORED_KINDS:  # W:, H:, C:, V:, B:, Y:, I:
        yield from _anchored([m for m in members if m in anchors], members, new)
    elif kind == "O:":
        yield from _checked_bucket_pairs(key, members, text_of, new)
    elif diluted(key, len(members)):
        return
    elif kind == "T:":
        yield from _checked_bucket_pairs(key, members, text_of, new)
    else:  # F:, L:, Q:, J: and G: (kg.analysis.homoglyphs) buckets: every pair
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if new(a) or new(b):
                    yield (a, b) if a < b else (b, a)


def anchor_twin(key: str) -> str | None:
    """The lowercase twin of a rule key whose bucket has anchors (module docs), the key its
    anchors hold; None for a key of another kind.

    >>> anchor_twin("W:UBER|EATS"), anchor_twin("F:UBER"), anchor_twin("w:UBER")
    ('w:UBER|EATS', None, None)
    """
    return key[:2].lower() + key[2:] if key[:2] in ANCHORED_KINDS else None


def bucket_anchors(key: str, holders: Mapping[str, Iterable[int]]) -> frozenset[int]:
    """The anchors `bucket_pairs` takes for the bucket of `key`, from `holders` (every key of
    some texts -> the ids holding it, as their `blocking_keys` give them): the holders of
    its `anchor_twin`; none for a key of another kind.

    >>> sorted(bucket_anchors("W:UBER", {"W:UBER": [0, 1], "w:UBER": [0]}))
    [0]
    """
    twin = anchor_twin(key)
    return frozenset(holders.get(twin, ())) if twin is not None else frozenset()


DILUTED_KINDS = ("F:", "L:", "T:")
"""The kinds of rule key whose bucket proposes no pairs past a size (`diluted`)."""


def diluted(key: str, members: int) -> bool:
    """Whether a bucket of `members` texts under `key` is a diluted element that proposes no
    pairs (module docs): a ``F:`` or ``L:`` bucket of more than `MAX_SHARED_FIRST_WORD`
    texts, a ``T:`` bucket of more than `MAX_SHARED_ENDING`. A register-wide search and a
    question about one mark (`kg.analysis.mark_index.MarkIndex.candidates`) both leave such
    buckets out, so a mark of the register and the same words asked get the same answer."""
    kind = key[:2]
    if kind == "T:":
        return members > MAX_SHARED_ENDING
    return kind in DILUTED_KINDS and members > MAX_SHARED_FIRST_WORD


def pairs_with(key: str, text: str, others: Sequence[str]) -> list[bool]:
    """For each of `others`, texts of the bucket of `key` (a kind of `CHECKED_KINDS`),
    whether the bucket pairs it with `text`, a text new to it (`bucket_pairs`'s check, its
    new text last)."""
    value_of, rule = _CHECKS[key[:2]]
    mine = value_of(text)
    return [rule(value_of(other), mine) is not None for other in others]


def _sound(text: str) -> str:
    return sound_form(_verbal(text))


_CHECKS: dict[str, tuple[Callable[[str], Any], Callable[[Any, Any], object]]] = {
    "T:": (_ending_word, ending),  # the one long word's ending (`ending`)
    "O:": (_sound, vowel_change),  # the English sound form (`vowel_change`)
}
CHECKED_KINDS = tuple(_CHECKS)
"""The kinds of rule key whose bucket's members are checked by their rule before `compare`
(`_checked_pairs`): the key alone does not decide it. A register's ``X:`` buckets are
checked too, pair by pair (`_sound_transliterates`, in `bucket_pairs`); a question about one
mark compares every member of them."""


def _checked_bucket_pairs(
    key: str, members: Sequence[int], text_of: Callable[[int], str], new: Callable[[int], bool]
) -> Iterator[tuple[int, int]]:
    """The pairs of a bucket of `key` (a kind of `CHECKED_KINDS`) that its rule scores."""
    value_of, rule = _CHECKS[key[:2]]
    return _checked_pairs(members, lambda m: value_of(text_of(m)), rule, new)


def _checked_pairs(
    members: Sequence[int],
    value_of: Callable[[int], _V],
    rule: Callable[[_V, _V], object],
    new: Callable[[int], bool],
) -> Iterator[tuple[int, int]]:
    """The pairs of a bucket (one member new) whose values `rule` scores (not None): a
    bucket whose key alone does not decide the rule (``T:``, ``O:``), checked cheaply here
    before `compare`."""
    valued = [(m, value_of(m)) for m in members]
    for i, (a, value_a) in enumerate(valued):
        for b, value_b in valued[i + 1 :]:
            if (new(a) or new(b)) and rule(value_a, value_b) is not None:
                yield (a, b) if a < b else (b, a)


def _anchored(
    anchors: Sequence[int],
    members: Sequence[int],
    new: Callable[[int], bool],
    skip: set[int] | None = None,
) -> Iterator[tuple[int, int]]:
    for a in anchors:
        for b in members:
            if b != a and (skip is None or b not in skip) and (new(a) or new(b)):
                yield (a, b) if a < b else (b, a)
