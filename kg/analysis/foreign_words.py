"""What a Latin mark in Spanish, French or Italian means in English: the doctrine of foreign
equivalents beyond Chinese (`kg.analysis.translations` reads Chinese marks).

The USPTO translates a mark in a common modern language before comparing it with an English
one (TMEP 1207.01(b)(vi); *Palm Bay Imports v. Veuve Clicquot*, 396 F.3d 1369 (Fed. Cir.
2005)): ``LUPO`` is ``WOLF`` (*In re Ithaca Industries*, 230 USPQ 702 (TTAB 1986)), ``EL
SOL`` is ``SUN`` (*In re Hub Distributing*, 218 USPQ 284 (TTAB 1983)), ``BUENOS DIAS`` is
``GOOD MORNING`` (*In re American Safety Razor*, 2 USPQ2d 1459 (TTAB 1987)), ``MARCHE NOIR``
is ``BLACK MARKET`` (*In re Thomas*, 79 USPQ2d 1021 (TTAB 2006)); the EUIPO compares marks
conceptually where the public understands the words (Guidelines, Part C, Section 2, Chapter
4). A mark is read only when it is plainly in the language, not English: the translation
must be what buyers would "stop and translate".

The meanings come from the FreeDict dictionaries (GNU GPL 2.0 or later), as Debian packages
them for dictd (``dict-freedict-spa-eng``, ``-fra-eng``, ``-ita-eng``: ``make
dictionaries``), read from :data:`DICTD_FOLDER`; where they are not installed no mark is
read (the rule never fires). How often a word is written in each language comes from
``wordfreq`` (its Zipf scale: 6 is once per thousand words, 3 once per million). No word
list of tmkg's own.

A mark of one to :data:`MAX_WORDS` words is read in a language when each of its words, or
runs of two or three (``buenos días``), is a headword of that language's dictionary
(accents folded: ``MARCHE`` is ``marché`` or ``marche``), and the words together are
written more in that language than in English by :data:`FOREIGN_MARGIN` or more on the Zipf
scale (``SOL``: 5.1 in Spanish, 3.7 in English; ``CHAT NOIR``: French; ``CHAT``, ``PAIN``,
``GIFT``: English words, not read; ``THE COYOTE`` is not French for tea, as ``THE`` is
written in English far more than ``thé`` in French). A mark whose words are all of one or
two letters is not read, nor one of stop words alone (the PyPI package ``stop-words``:
``AVEC``, ``SIN``, ``CHEZ MOI`` mean WITH, WITHOUT, AT ME, which English marks hold by the
thousand). Its meanings are each word's English equivalents
(:data:`MAX_ALTERNATIVES` of each dictionary entry, of :data:`MAX_WORDS` words or fewer)
combined in order, at most :data:`MAX_MEANINGS`; an article is ``THE``; a meaning of two
words is also read the other way round, as an adjective follows its noun in these languages
(``MARCHE NOIR``: ``MARKET BLACK`` and ``BLACK MARKET``). A one-word mark no dictionary
has is read as two words written closed up where it splits into two dictionary words of three
letters or more, neither a stop word, unless it is an ordinary English word
(``MARAZUL``: ``MAR AZUL``, BLUE SEA, *In re Aquamar*; not ``PASSPORT``), by the same tests.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from functools import cache, lru_cache
from importlib import metadata
from itertools import islice, product
from pathlib import Path
from typing import NamedTuple

from kg import user_cache
from kg.analysis.scripts import words

__all__ = [
    "DICTD_FOLDER",
    "FOREIGN_MARGIN",
    "LANGUAGES",
    "MAX_ALTERNATIVES",
    "MAX_MEANINGS",
    "MAX_WORDS",
    "ForeignReading",
    "Language",
    "dictionaries_installed",
    "foreign_readings",
]


class Language(NamedTuple):
    """A language read, by its FreeDict (ISO 639-3) and wordfreq (ISO 639-1) codes."""

    freedict: str
    wordfreq: str
    name: str


LANGUAGES = (
    Language("spa", "es", "Spanish"),
    Language("fra", "fr", "French"),
    Language("ita", "it", "Italian"),
)
"""The languages read: the commonest of US and EU filings after English (TMEP 1207.01(b)(vi)
names Spanish, French, Italian and German; German's FreeDict dictionary is 20 MB of
compounds and proper names, left out)."""
DICTD_FOLDER = Path("/usr/share/dictd")
"""Where Debian installs dictd dictionaries (``freedict-spa-eng.index``, ``.dict.dz``)."""
FOREIGN_MARGIN = 1.0
"""How much more (Zipf scale, summed over the words) a mark's words must be written in the
language than in English to be read in it: ten times as often."""
MAX_WORDS = 4
"""The most words a mark may have to be read (a longer one is a phrase or slogan)."""
MAX_ALTERNATIVES = 3
"""English equivalents taken of each dictionary entry of a word, in the dictionary's order."""
MAX_MEANINGS = 24
"""The most meanings of one mark (its words' equivalents combined)."""
_MAX_PHRASE = 3  # words of the longest headword tried (buenos días)
_MIN_WORD = 3  # letters of the longest word of a mark read
_MIN_PART = 3  # letters of each word of a mark written closed up (`_closed_up_readings`)
_ARTICLE = "THE"
_PLAIN = re.compile(r"[A-Za-z][A-Za-z' -]*")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}")
_NUMBERED = re.compile(r"^\d+\.\s*")
_DICTD_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


class ForeignReading(NamedTuple):
    """One English meaning of a Latin mark in another language: upper case, the language,
    and the headwords it was read as, in order."""

    meaning: str
    language: Language
    headwords: tuple[str, ...]


@lru_cache(maxsize=65536)
def foreign_readings(text: str) -> tuple[ForeignReading, ...]:
    """The English meanings of a Latin mark in Spanish, French or Italian (module docs); ``()``
    for a mark in English, in another script, of more than :data:`MAX_WORDS` words, or
    when the dictionaries are not installed.

    >>> [r.meaning for r in foreign_readings("LUPO")]  # doctest: +SKIP
    ['WOLF']
    """
    found = words(text)
    if not found or len(found) > MAX_WORDS or (not text.isascii() and not _latin(text)):
        return ()
    if max(map(len, found)) < _MIN_WORD:
        return ()  # letters and particles (M M M M, A L M): no word to translate
    if not _known_words().issuperset(found):
        if len(found) == 1:  # two words written closed up (MARAZUL): read as two
            return _closed_up_readings(found[0])
        return ()  # a word no dictionary has: most marks, rejected in a few microseconds
    readings: list[ForeignReading] = []
    for language in LANGUAGES:
        entries = _dictionary(language.freedict)
        if not entries:
            continue
        segments = _segments(found, entries)
        if segments is None or not _foreign(segments, language):
            continue
        if all(_stop_word(entries[segment], language) for segment in segments):
            continue  # avec, sin, ¿dónde?, chez moi: words that name nothing
        choices = [_equivalents(entries[segment]) for segment in segments]
        for combination in islice(product(*choices), MAX_MEANINGS):
            meaning = " ".join(english for english, _ in combination).split()
            headwords = tuple(headword for _, headword in combination)
            for variant in _orders(meaning):
                if all(r.meaning != variant for r in readings):
                    readings.append(ForeignReading(variant, language, headwords))
    return tuple(readings[: MAX_MEANINGS * 2])


def _closed_up_readings(word: str) -> tuple[ForeignReading, ...]:
    """The readings of a one-word mark no dictionary has as the two words it may be written
    with, each of :data:`_MIN_PART` letters or more, a word of a dictionary and no stop
    word, when the word is no ordinary English word (``MARAZUL``:
    ``MAR AZUL``, BLUE SEA; *In re Aquamar*, 115 USPQ2d 1122 (TTAB 2015)), read as a mark of
    those two words is (the language's margin over English included); every such split,
    at most :data:`MAX_MEANINGS` readings each.

    >>> [r.meaning for r in _closed_up_readings("MARAZUL")][:2]  # doctest: +SKIP
    ['SEA BLUE', 'BLUE SEA']
    """
    from kg.analysis.sound_rules import is_ordinary_word

    if is_ordinary_word(word):
        return ()  # an English word (PASSPORT, CLEVER) is not two foreign ones
    known = _known_words()
    readings: list[ForeignReading] = []
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        if word[:cut] in known and word[cut:] in known:
            split = foreign_readings(f"{word[:cut]} {word[cut:]}")
            readings.extend(r for r in split if not _holds_stop_word(r))
    return tuple(readings[: MAX_MEANINGS * 2])


def _holds_stop_word(reading: ForeignReading) -> bool:
    """Whether a reading is of a stop word of its language (``MIO``, ``NON``, ``CAR``):
    part of a word written closed up, it is likelier a syllable than a word."""
    stop = _stop_words(reading.language.wordfreq)
    return any(headword.casefold() in stop for headword in reading.headwords)


def dictionaries_installed() -> tuple[tuple[str, int], ...]:
    """Each FreeDict dictionary read, with the size of its data file in bytes (0 when
    absent): what the rules read, for the mark index's record of them
    (`kg.analysis.mark_index`)."""
    found = []
    for language in LANGUAGES:
        path = DICTD_FOLDER / f"freedict-{language.freedict}-eng.dict.dz"
        found.append((language.freedict, path.stat().st_size if path.is_file() else 0))
    return tuple(found)


def _latin(text: str) -> bool:
    """Latin letters with diacritics (``días``, ``marché``): no other script."""
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


def _orders(meaning: list[str]) -> tuple[str, ...]:
    """A meaning, and a two-word one the other way round too (module docs)."""
    kept = [w for w in meaning if w != _ARTICLE] or meaning
    forms = [" ".join(kept)]
    if len(kept) == 2:
        forms.append(" ".join(reversed(kept)))
    return tuple(forms)


def _segments(found: tuple[str, ...], entries: dict) -> list[str] | None:
    """The mark's words as headwords (longest runs first, from the left), or None when one
    is none."""
    segments: list[str] = []
    start = 0
    while start < len(found):
        for end in range(min(len(found), start + _MAX_PHRASE), start, -1):
            key = " ".join(found[start:end])
            if key in entries:
                segments.append(key)
                start = end
                break
        else:
            return None
    return segments


def _foreign(segments: list[str], language: Language) -> bool:
    """Whether the headwords are written more in `language` than in English by
    :data:`FOREIGN_MARGIN` (module docs): each by its commonest spelling in the language
    (``thé``), against the mark's word as written in English (``the``: not tea)."""
    margins = _margins()[language.freedict]
    return sum(margins[segment] for segment in segments) >= FOREIGN_MARGIN


@cache
def _margins() -> dict[str, dict[str, float]]:
    """Each headword's Zipf frequency in its language less its folded form's in English
    (`_foreign`), by dictionary code: read from a table in the user's cache folder, made
    once per wordfreq version and dictionaries installed; wordfreq's word lists take ~1 s
    and ~190 MB to load, which no question should pay (made in memory where the folder
    cannot be written)."""
    version = metadata.version("wordfreq")
    key = (version, dictionaries_installed())
    return user_cache.kept("freedict", key, _measured_margins, _margins_shaped)


def _margins_shaped(kept: object) -> bool:
    """Whether a kept value is `_measured_margins`' shape: margins (numbers) by headword by
    dictionary code (a kept list ended questions in a TypeError)."""
    return isinstance(kept, dict) and all(
        isinstance(margins, dict)
        and all(type(margin) in (int, float) for margin in margins.values())
        for margins in kept.values()
    )


def _measured_margins() -> dict[str, dict[str, float]]:
    from wordfreq import zipf_frequency

    return {
        language.freedict: {
            key: max(zipf_frequency(h, language.wordfreq) for h, _ in found)
            - zipf_frequency(key.lower(), "en")
            for key, found in _dictionary(language.freedict).items()
        }
        for language in LANGUAGES
    }


@cache
def _known_words() -> frozenset[str]:
    """Every word of every headword of the dictionaries read (folded)."""
    return frozenset(
        word
        for language in LANGUAGES
        for key in _dictionary(language.freedict)
        for word in key.split()
    )


def _stop_word(found: list[tuple[str, tuple[str, ...]]], language: Language) -> bool:
    """Whether a headword is a stop word of its language (``stop-words``: articles,
    prepositions, pronouns, conjunctions)."""
    stop = _stop_words(language.wordfreq)
    return any(headword.casefold() in stop for headword, _ in found)


@cache
def _stop_words(code: str) -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(word.casefold() for word in get_stop_words(code))


def _equivalents(found: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, str]]:
    """The English words a folded headword's entries give, in order, each with the headword
    as its entry spells it (``marché``, ``marche``); an article's is ``THE`` alone."""
    alternatives: dict[str, str] = {}
    for headword, senses in found:
        for english in senses[:MAX_ALTERNATIVES]:
            alternatives.setdefault(english, headword)
    if _ARTICLE in alternatives:
        return [(_ARTICLE, alternatives[_ARTICLE])]
    return list(alternatives.items())


@cache
def _dictionary(code: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """A FreeDict dictionary by folded headword (`kg.analysis.scripts.words`, joined by a
    space): each entry's headword and English equivalents; empty when not installed.
    Parsing it takes ~0.4 s a dictionary, which every process asking about a Latin mark
    would pay: kept parsed in the user's cache folder (`kg.user_cache`), under
    the dictionary files' sizes and times and the code that parses them (this module and
    `kg.analysis.scripts`)."""
    files = [DICTD_FOLDER / f"freedict-{code}-eng.{suffix}" for suffix in ("index", "dict.dz")]
    if not all(path.is_file() for path in files):
        return {}
    stamps = [(path.stat().st_size, path.stat().st_mtime_ns) for path in files]
    key = (code, stamps, _code_digest())
    kept = user_cache.kept(
        f"freedict-{code}-entries", key, lambda: _parsed(code), lambda kept: isinstance(kept, dict)
    )
    try:
        return {
            str(headword): [(str(written), tuple(map(str, senses))) for written, senses in entries]
            for headword, entries in kept.items()
        }
    except (AttributeError, TypeError, ValueError):  # a kept file of another shape
        return _parsed(code)


@cache
def _code_digest() -> str:
    """A digest of the code that parses the dictionaries (this module, `words`)."""
    from kg.analysis import scripts

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(scripts.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _parsed(code: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The FreeDict dictionary `code` read from its files (`_dictionary`)."""
    index = DICTD_FOLDER / f"freedict-{code}-eng.index"
    data = DICTD_FOLDER / f"freedict-{code}-eng.dict.dz"
    if not index.is_file() or not data.is_file():
        return {}
    with gzip.open(data) as handle:  # dictzip is gzip with a random-access table
        text = handle.read()
    entries: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) != 3 or fields[0].startswith("00-database"):
            continue
        headword, offset, length = fields[0], _number(fields[1]), _number(fields[2])
        body = text[offset : offset + length].decode("utf-8", errors="replace")
        written = body.split(" /", 1)[0].split("\n", 1)[0].strip()  # as the entry spells it
        senses = _senses(body)
        key = " ".join(words(headword))
        if senses and key and written[:1].islower():  # a name (Noir: Negro) is no word
            entries.setdefault(key, []).append((written, senses))
    return entries


def _number(digits: str) -> int:
    """A dictd index number: base 64 in its own digits (dictd's ``b64_decode``)."""
    value = 0
    for digit in digits:
        value = value * 64 + _DICTD_DIGITS.index(digit)
    return value


def _senses(body: str) -> tuple[str, ...]:
    """The English equivalents of one entry, upper case, in order: every line after the
    headword's, numbered or not, split at commas and semicolons; brackets dropped; only
    plain English of :data:`MAX_WORDS` words or fewer.

    >>> _senses("marché /maʀʃe/ <n, masc>\\n1. bazaar, fair, market\\n2. sales activity\\n")
    ('BAZAAR', 'FAIR', 'MARKET', 'SALES ACTIVITY')
    >>> _senses("buenos días /bwˈenos/\\n1. goodmorning\\n2. goodday\\n")
    ('GOODMORNING', 'GOODDAY')
    """
    found: list[str] = []
    for line in body.splitlines()[1:]:
        line = _BRACKETS.sub("", _NUMBERED.sub("", line.strip()))
        for part in re.split(r"[,;]", line):
            sense = " ".join(part.split()).removeprefix("to ")
            upper = sense.upper()
            plain = bool(sense) and _PLAIN.fullmatch(sense) is not None
            if plain and len(sense.split()) <= MAX_WORDS and upper not in found:
                found.append(upper)
    return tuple(found)
