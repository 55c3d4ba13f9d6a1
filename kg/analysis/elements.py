"""The elements of a composite mark and how much each counts.

A mark of several words ("UBER EATS", "ACME GROUP INC") is compared element by element
(`kg.analysis.similarity`): an earlier mark wholly contained in a later one keeps its role
there, and a weak word (a legal form, a word naming a trade, an article) neither makes two
marks alike nor tells them apart. The weak words are data, per language, in
``schema/weak-words.csv`` (its header cites the examination guidelines they come from).
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from kg import user_cache
from kg.analysis.rules_code import rules_code_key
from kg.analysis.scripts import romanize, words
from kg.resources import SCHEMA_DIR, data_rows

__all__ = [
    "MIN_RUN_LETTERS",
    "WEAK_WORDS_FILE",
    "distinctive_words",
    "element_form",
    "is_weak",
    "romanized_weak_words",
    "runs",
    "script_elements",
    "short_words",
    "weak_word_rows",
    "weak_words",
]

WEAK_WORDS_FILE = SCHEMA_DIR / "weak-words.csv"
SHORT_WORDS_FILE = SCHEMA_DIR / "short-words.csv"
SHORT_WORD_LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
"""The languages whose two-letter words `short_words` lists (wordfreq's codes)."""
SHORT_WORD_ZIPF = 6.0
"""How common a two-letter word must be to be a word, on wordfreq's Zipf scale: once in a
thousand words of its language or more."""

MIN_ELEMENT_LENGTH = 3
"""Shorter words ("A", "GO") are never a distinctive element on their own."""


@cache
def weak_word_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``schema/weak-words.csv`` (``language``, ``kind``, ``word``; ``#`` lines
    are its documentation).

    >>> {"language": "en", "kind": "legal-form", "word": "INC"} in weak_word_rows()
    True
    """
    return data_rows(WEAK_WORDS_FILE)


@cache
def weak_words() -> frozenset[str]:
    """The romanized words of ``schema/weak-words.csv``.

    >>> {"GROUP", "GMBH", "GONGSI"} <= weak_words()
    True
    """
    return frozenset(romanized_weak_words())


@cache
def romanized_weak_words() -> tuple[str, ...]:
    """`romanize` of each row's word of `weak_word_rows`, in their order, kept in the user's
    cache folder under the rules' code key (`kg.user_cache`): the words written in
    Chinese characters, Hangul or kana would load pypinyin's phrase tables (~0.4-0.6 s) in every
    process, most of which read Latin marks alone.

    >>> len(romanized_weak_words()) == len(weak_word_rows())
    True
    """
    texts = tuple(row["word"] for row in weak_word_rows())
    kept = user_cache.kept(
        "weak-words",
        (rules_code_key(), texts),
        lambda: [romanize(text) for text in texts],
        lambda value: (
            isinstance(value, list)
            and len(value) == len(texts)
            and all(isinstance(word, str) for word in value)
        ),
    )
    return tuple(kept)


@cache
def short_words() -> frozenset[str]:
    """The two-letter words of ``schema/short-words.csv``: the words of two letters that one
    of `SHORT_WORD_LANGUAGES` uses once in a thousand words or more (`measured_short_words`).
    Any other two letters (``XY``, ``TV``, ``HP``) are initials: part of a mark that a
    containment must find whole (`kg.analysis.similarity_rules`).

    >>> {"MY", "UN", "AL", "MI"} <= short_words(), {"XY", "TV", "HP"} & short_words()
    (True, set())
    """
    return frozenset(row["word"] for row in data_rows(SHORT_WORDS_FILE))


def measured_short_words() -> list[dict[str, str]]:
    """The rows of ``schema/short-words.csv`` as wordfreq gives them now (``word``,
    ``languages``: the `SHORT_WORD_LANGUAGES` using it at Zipf >= `SHORT_WORD_ZIPF`), by
    word. Loads wordfreq's lists (~1 s, ~190 MB): for regenerating the file, never for a
    question (``python -c "from kg.analysis.elements import write_short_words;
    write_short_words()"``)."""
    from wordfreq import top_n_list, zipf_frequency

    found: dict[str, list[str]] = {}
    for language in SHORT_WORD_LANGUAGES:
        for word in top_n_list(language, 1000):
            two_letters = len(word) == 2 and word.isascii() and word.isalpha()
            if two_letters and zipf_frequency(word, language) >= SHORT_WORD_ZIPF:
                found.setdefault(word.upper(), []).append(language)
    return [{"word": w, "languages": " ".join(found[w])} for w in sorted(found)]


def write_short_words() -> None:
    """Write ``schema/short-words.csv`` from `measured_short_words`, its header kept."""
    header = [
        line
        for line in SHORT_WORDS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
        if line.startswith("#")
    ]
    rows = [f"{row['word']},{row['languages']}\n" for row in measured_short_words()]
    SHORT_WORDS_FILE.write_text("".join([*header, "word,languages\n", *rows]), encoding="utf-8")


def is_weak(word: str) -> bool:
    """Whether a romanized word is weak: listed, or too short to stand alone."""
    return len(word) < MIN_ELEMENT_LENGTH or word in weak_words()


def element_form(word: str) -> str:
    """The form a romanized word is compared in as an element of a composite mark: without
    one final ``S`` (a plural or a possessive) when four letters or more remain and it does
    not end in ``SS``.

    A plural does not tell two marks apart: "no material difference, in a trademark sense,
    between the singular and plural forms" (*Wilson v. Delaunay*, 245 F.2d 877 (C.C.P.A.
    1957), ZOMBIE / ZOMBIES), nor does a possessive (DOMINO / DOMINO'S, written ``DOMINOS``
    once punctuation is gone). The rule is the letter, not a dictionary's plural: it is the
    same for coined words and for every language, and both marks are folded alike.

    >>> element_form("THUNDERBOLTS"), element_form("BOSS"), element_form("GAS")
    ('THUNDERBOLT', 'BOSS', 'GAS')
    """
    if len(word) >= 5 and word[-1] == "S" and word[-2] != "S":
        return word[:-1]
    return word


def distinctive_words(text: str) -> tuple[str, ...]:
    """The romanized words of a mark that are not weak, in order, in their
    :func:`element_form`.

    >>> distinctive_words("The ACME Group, Inc."), distinctive_words("PUEBLOS MEXICAN")
    (('ACME',), ('PUEBLO', 'MEXICAN'))
    """
    return tuple(element_form(w) for w in words(text) if not is_weak(w))


MIN_RUN_LETTERS = 2
"""Letters a run needs: a lone letter beside a name is an initial or a device, not a name."""

_SCRIPTS = (
    "Latin", "Han", "Hangul", "Kana", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari",
    "Thai", "Georgian", "Armenian",
)  # fmt: skip
_KANA = r"[\p{Hiragana}\p{Katakana}\u30FC]"  # with the prolonged sound mark, which is both
_CLASSES = {name: _KANA if name == "Kana" else rf"\p{{{name}}}" for name in _SCRIPTS}
_LETTER = regex.compile("|".join(f"(?P<{name}>{cls})" for name, cls in _CLASSES.items()))
_MIXED_IN_ONE_WORD = frozenset({"Han", "Kana"})


@lru_cache(maxsize=65536)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """The text's (script, run) stretches: a run is the text from a letter of one script to
    the last letter of that script before a letter of another; spaces, digits and marks in
    between stay in the run (scripts: the Unicode script property, through `regex`).

    >>> runs("佳能 Canon Inc.")
    (('Han', '佳能'), ('Latin', 'Canon Inc'))
    >>> runs("スターバックス STARBUCKS")
    (('Kana', 'スターバックス'), ('Latin', 'STARBUCKS'))
    >>> runs("123")
    ()
    """
    found: list[tuple[str, int, int]] = []  # script, start, end
    for letter in _LETTER.finditer(text):
        script = letter.lastgroup or ""
        if found and found[-1][0] == script:
            found[-1] = (script, found[-1][1], letter.end())
        else:
            found.append((script, letter.start(), letter.end()))
    return tuple((script, text[start:end]) for script, start, end in found)


@lru_cache(maxsize=65536)
def script_elements(verbal: str) -> tuple[str, ...]:
    """The two elements of a verbal element that shows a name in two scripts side by side
    (``金鹤 GOLDEN CRANE``, ``佳能 Canon``, ``스타벅스 STARBUCKS``), in their order; ``()`` for any
    other: one script, three runs or more (:func:`runs`), a run of fewer than
    `MIN_RUN_LETTERS` letters, a run without a distinctive word (``凤凰 TM``, ``星辰 DESIGN``),
    or Chinese characters with kana (Japanese writes one word in both: ``ソニー銀行`` is
    "Sony Bank").

    Such a mark says its two parts name one thing (`kg.analysis.combined_marks`), and each
    public reads it by the part in its own script, so each part is compared on its own too
    (`kg.analysis.similarity.compare`'s ``script-element`` rule), as CNIPA's examination
    guidelines (商标审查审理指南) compare the Chinese and the foreign part of a combined mark
    each with the earlier mark.

    >>> script_elements("金鹤 GOLDEN CRANE"), script_elements("GOLDEN CRANE")
    (('金鹤', 'GOLDEN CRANE'), ())
    >>> script_elements("凤凰 TM"), script_elements("ソニー銀行"), script_elements("A 金鹤 B")
    ((), (), ())
    """
    parts = runs(verbal)
    if len(parts) != 2:
        return ()
    (first_script, first), (second_script, second) = parts
    if {first_script, second_script} == _MIXED_IN_ONE_WORD:
        return ()
    if min(_letters(first), _letters(second)) < MIN_RUN_LETTERS:
        return ()
    if not (distinctive_words(first) and distinctive_words(second)):
        return ()  # "凤凰 TM", "星辰 DESIGN", "龙腾 LT": a descriptor or initials, no name
    return first, second


def _letters(run: str) -> int:
    return sum(1 for _ in _LETTER.finditer(run))
