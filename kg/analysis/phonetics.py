"""How a mark sounds: phonetic codes, vowels and consonant skeletons of romanized text.

Every function takes a romanized form (`kg.analysis.scripts.romanize`: Latin capitals and
digits) and is pure and cached.

* :func:`phonetic_codes`: sound-alike codes from maintained implementations of published
  algorithms, one family per language a mark may be read in. Two marks sharing a code sound
  alike in at least one reading.

  ====  ==================================================  =========================
  tag   algorithm                                           language, library
  ====  ==================================================  =========================
  M     Metaphone (Philips 1990) and Double Metaphone       English (with the Germanic,
        (Philips 2000), primary and alternate codes         Romance and Slavic spellings
                                                            Double Metaphone knows);
                                                            jellyfish, abydos
  N     NYSIIS (Taft 1970)                                  English names; jellyfish
  K     Kölner Phonetik (Postel 1969)                       German; abydos
  E     Spanish Metaphone (Mosquera et al. 2012)            Spanish; abydos
  ====  ==================================================  =========================

* :func:`vowels`: the vowel letters in order, as heard: a non-initial ``Y`` is ``I`` and
  the ``U`` of ``QU`` is part of the consonant (``QUIK`` has the vowels of ``KWIK``).
* :func:`consonant_skeleton`: the Soundex consonant classes of a form (Russell 1918, as the
  US National Archives describe Soundex: ``BFPV`` 1, ``CGJKQSXZ`` 2, ``DT`` 3, ``L`` 4, ``MN``
  5, ``R`` 6; vowels, ``H``, ``W`` and ``Y`` carry none; neighbours of one class count once).
  It compares marks across scripts, where spelling says little: ``亚马逊`` (YAMAXUN) and
  ``AMAZON`` both give ``525``.
"""

from __future__ import annotations

from functools import cache, lru_cache

import jellyfish

__all__ = [
    "PHONETIC_TAGS",
    "SOUNDEX_CLASSES",
    "consonant_skeleton",
    "phonetic_codes",
    "syllable_count",
    "vowels",
]

PHONETIC_TAGS = ("M:", "N:", "K:", "E:")
"""The key prefixes of :func:`phonetic_codes`, one per algorithm family (module docs)."""

_VOWELS = frozenset("AEIOU")
SOUNDEX_CLASSES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}
"""Soundex's consonant classes (Russell 1918, as the US National Archives describe it)."""


@cache
def _abydos():  # noqa: ANN202 - the three encoders, built once
    from abydos.phonetic import DoubleMetaphone, Koelner, SpanishMetaphone

    return DoubleMetaphone(), Koelner(), SpanishMetaphone()


@lru_cache(maxsize=65536)
def phonetic_codes(roman: str) -> frozenset[str]:
    """Sound-alike codes of a romanized form, tagged by algorithm (module docs).

    Only the Latin letters count; codes shorter than two characters say too little and are
    left out, so very short marks may have none.

    >>> sorted(phonetic_codes("NIKE"))
    ['E:NK', 'K:64', 'M:NK', 'N:NAC']
    >>> sorted(phonetic_codes("KWIK") & phonetic_codes("QUIK"))
    ['M:KK']
    >>> phonetic_codes("42")
    frozenset()
    """
    letters = "".join(c for c in roman if "A" <= c <= "Z")
    if not letters:
        return frozenset()
    double, koelner, spanish = _abydos()
    codes = {
        ("M", jellyfish.metaphone(letters)),
        *(("M", code) for code in double.encode(letters)),
        ("N", jellyfish.nysiis(letters)),
        ("K", koelner.encode(letters)),
        ("E", spanish.encode(letters)),
    }
    return frozenset(f"{tag}:{code.upper()}" for tag, code in codes if len(code) >= 2)


@lru_cache(maxsize=65536)
def vowels(roman: str) -> str:
    """The vowel sounds of a romanized form in order, as spelling shows them.

    A non-initial ``Y`` is ``I``, ``EE`` is ``I`` and ``OO`` is ``U`` (English), a doubled
    vowel is one, the
    ``U`` of ``QU`` belongs to the consonant (``/kw/`` or ``/k/`` in English, French,
    Spanish and German), and a final ``E`` after a consonant is silent (English, French).

    >>> vowels("NYKE"), vowels("NIKE"), vowels("QUIK"), vowels("YOGA"), vowels("SHREENATH")
    ('I', 'I', 'I', 'OA', 'IA')
    """
    spelled = roman.replace("EE", "I").replace("OO", "U")
    if len(spelled) >= 4 and spelled[-1] == "E" and spelled[-2] not in _VOWELS:
        spelled = spelled[:-1]
    found: list[str] = []
    for i, char in enumerate(spelled):
        if char == "U" and i and spelled[i - 1] == "Q":
            continue
        sound = char if char in _VOWELS else "I" if char == "Y" and i else ""
        if sound and not (found and found[-1] == sound and spelled[i - 1] in _VOWELS | {"Y"}):
            found.append(sound)
    return "".join(found)


@lru_cache(maxsize=65536)
def consonant_skeleton(roman: str) -> str:
    """The Soundex classes of a romanized form's consonants, neighbours of a class merged.

    >>> consonant_skeleton("YAMAXUN"), consonant_skeleton("AMAZON")
    ('525', '525')
    >>> consonant_skeleton("PHILIPS"), consonant_skeleton("JORDAN")
    ('1412', '2635')
    """
    out: list[str] = []
    for char in roman:
        code = SOUNDEX_CLASSES.get(char)
        if code is None:
            if char in _VOWELS:
                out.append("")  # a vowel separates two consonants of one class
            continue
        if not out or out[-1] != code:
            out.append(code)
    return "".join(out)


def syllable_count(roman: str) -> int:
    """Vowel groups in a romanized form: its syllables, roughly (``AMAZON`` 3).

    >>> syllable_count("AMAZON"), syllable_count("QIAODAN"), syllable_count("PHILIPS")
    (3, 2, 2)
    """
    count, previous = 0, False
    for char in roman:
        vowel = char in _VOWELS or (char == "Y" and count)
        count += vowel and not previous
        previous = bool(vowel)
    return count
