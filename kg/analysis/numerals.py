"""Numbers written in digits, read as words: ``7 STARS`` is said as ``SEVEN STARS``.

Examiners compare marks as they are spoken as well as seen, and a number is spoken as its
word (USPTO TMEP 1207.01(b)(iv): marks similar in sound; In re ABB Oy, TTAB 2020, TRUE1 /
TRUONE; EUIPO Guidelines, Part C, Section 2, Chapter 4, "aural comparison"). A mark's
reading writes each number of one or two digits (1-99, no leading zero: ``007`` and years
stay as written) as its cardinal in English, French, German, Spanish and Italian, the
languages of most registers here, by the PyPI library ``num2words`` (LGPL-2.1; loaded on
first use). Longer numbers are read in many ways (``4711``: forty-seven eleven) and are left
as digits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.analysis.scripts import words
from kg.lazy import lazy_module

__all__ = ["LANGUAGES", "has_word", "number_words", "read_readings", "readings"]

_num2words = lazy_module("num2words")

LANGUAGES = ("en", "fr", "de", "es", "it")
"""The languages numbers are read in (ISO 639-1, as num2words names them)."""

_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]?(?![0-9])")


@lru_cache(maxsize=65536)
def readings(text: str) -> tuple[str, ...]:
    """`text` with each number of one or two digits written as words, once per language of
    `LANGUAGES` (upper case; distinct readings in that order); ``()`` when it has none.

    >>> readings("7 STARS")[:3]
    ('SEVEN STARS', 'SEPT STARS', 'SIEBEN STARS')
    >>> readings("7UP")[0], readings("ONE 33")[0], readings("4711"), readings("AGENT 007")
    ('SEVEN UP', 'ONE THIRTYTHREE', (), ())
    """
    if _NUMBER.search(text) is None:
        return ()
    found: list[str] = []
    for language in LANGUAGES:
        reading = _NUMBER.sub(
            lambda match, language=language: f" {_word(match.group(), language)} ", text
        )
        reading = " ".join(reading.split())
        if reading not in found:
            found.append(reading)
    return tuple(found)


def has_word(text: str) -> bool:
    """Whether `text` writes a word of two letters or more (``7UP``: UP), besides numbers:
    the ``numeral`` rule reads no mark of numbers alone or beside single letters (``1``,
    ``E3``, ``M2``).

    >>> has_word("7UP"), has_word("M2"), has_word("VG 2")
    (True, False, True)
    """
    return any(sum(c.isalpha() for c in word) >= 2 for word in words(text))


def read_readings(text: str) -> tuple[str, ...]:
    """The `readings` of `text` the ``numeral`` rule reads (`kg.analysis.similarity`): none
    when it writes no word (`has_word`). A mark has the blocking keys of these (``M2`` would
    otherwise be read ``M TWO`` and share a bucket with every mark of the word TWO, a pair
    no rule can find similar by the reading).

    >>> read_readings("7UP")[0], read_readings("M2")
    ('SEVEN UP', ())
    """
    found = readings(text)
    return found if found and has_word(text) else ()


@lru_cache(maxsize=1024)
def _word(number: str, language: str) -> str:
    """The number as one word, closed up (``THIRTYTHREE``, ``TREINTAYTRES``): a word of the
    mark, so that ``60`` is not read inside ``64`` (``SIXTY`` / ``SIXTY-FOUR``)."""
    words = _num2words.num2words(int(number), lang=language).upper()
    return "".join(c for c in words if c.isalnum())


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """Every word `readings` writes for a number (1-99, every language of `LANGUAGES`):
    ``ONE``, ``UN``, ``EINS``, ``THIRTYTHREE`` ...

    >>> {"ONE", "SEPT", "ZWEI", "TRES", "NOVANTANOVE"} <= number_words()
    True
    """
    return frozenset(_word(str(n), language) for n in range(1, 100) for language in LANGUAGES)
