"""How a mark is pronounced: its phonemes as eSpeak NG reads it in English, French, German
and Spanish.

Spelling-based sound codes (`kg.analysis.phonetics`) keep the consonants and guess the
vowels from letters; they cannot tell that ``NITE`` is read as ``NIGHT``, ``KLEEN`` as
``CLEAN`` or ``SLEEPEEZ`` as ``SLEEPEASE``. A text-to-speech front end can: eSpeak NG's
letter-to-sound rules and dictionaries for each language (GPL-3.0; the library and its data
come from the PyPI package ``espeakng-loader``, driven through ``phonemizer``'s wrapper).

:func:`heard` gives the phonemes of a romanized form (`kg.analysis.scripts.romanize`) in
one language, as IPA without stress and length marks (the examiner hears the same word
whether or not a syllable is stressed); :func:`heard_alike` says in which of
:data:`LANGUAGES` two forms are pronounced the same. Examiners compare marks as spoken by
the relevant public, in its language: USPTO TMEP 1207.01(b)(iv) ("similarity in sound",
where there is no correct pronunciation of a coined mark), EUIPO Guidelines Part C,
Section 2, Chapter 4, 3.4.3 ("aural comparison", in the languages of the relevant
territory).

eSpeak NG keeps its state in the process: calls are serialized by a lock (the server answers
in threads), and the results are cached per text and language. A reading costs ~20-60 µs
(eSpeak itself): `kg.analysis.similarity` reads each mark in English only, once, for its
blocking key (``A:``); the other voices answer :func:`heard` for whoever asks.
"""

from __future__ import annotations

import logging
import threading
from functools import cache, lru_cache
from typing import Any

__all__ = ["LANGUAGES", "heard", "heard_alike"]

LANGUAGES = ("en-us", "fr-fr", "de", "es")
"""eSpeak NG voices a mark is read in, most common first: the languages of most marks in the
registers tmkg reads (US, EU, UK, Latin America)."""

_MARKS = str.maketrans("", "", "ˈˌːˑ \u0361\u035c")  # stress, length, spaces, tie bars
_LOCK = threading.Lock()


@cache
def _backend(language: str) -> Any:  # phonemizer's EspeakBackend
    import espeakng_loader
    from phonemizer.backend import EspeakBackend
    from phonemizer.backend.espeak.wrapper import EspeakWrapper

    EspeakWrapper.set_library(espeakng_loader.get_library_path())
    EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
    quiet = logging.getLogger("tmkg.phonemizer")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    quiet.setLevel(logging.ERROR)  # a word read as two ("4EVER") is no news
    return EspeakBackend(
        language, language_switch="remove-flags", words_mismatch="ignore", logger=quiet
    )


@lru_cache(maxsize=1 << 18)  # ~30 MB: a register's texts are read once each, not per pair
def heard(roman: str, language: str = "en-us") -> str:
    """The phonemes (IPA, no stress or length marks, no spaces) of a romanized form as
    eSpeak NG pronounces it in `language` (one of :data:`LANGUAGES`); ``""`` for a form
    with no letters or digits. Digits are read as numbers in that language.

    Raises ``ValueError`` for a language not in :data:`LANGUAGES`.

    >>> heard("NITE") == heard("NIGHT"), heard("KLEEN") == heard("CLEAN")
    (True, True)
    >>> heard("SEIKO", "fr-fr") == heard("SEYCOS", "fr-fr")
    True
    """
    if language not in LANGUAGES:
        raise ValueError(f"no pronunciation for language {language!r}: one of {LANGUAGES}")
    if not any(char.isalnum() for char in roman):
        return ""
    with _LOCK:
        (phonemes,) = _backend(language).phonemize([roman.lower()], strip=True)
    return phonemes.translate(_MARKS)


def heard_alike(roman_a: str, roman_b: str) -> str | None:
    """The first language of :data:`LANGUAGES` in which two romanized forms are pronounced
    the same (equal :func:`heard`), or ``None``.

    >>> heard_alike("SLEEPEASE", "SLEEPEEZ"), heard_alike("SONY", "SONG")
    ('en-us', None)
    """
    for language in LANGUAGES:
        sound = heard(roman_a, language)
        if sound and sound == heard(roman_b, language):
            return language
    return None
