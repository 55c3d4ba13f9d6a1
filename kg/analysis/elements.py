"""The elements of a composite mark and how much each counts.

A mark of several words ("UBER EATS", "ACME GROUP INC") is compared element by element
(`kg.analysis.similarity`): an earlier mark wholly contained in a later one keeps its role
there, and a weak word (a legal form, a word naming a trade, an article) neither makes two
marks alike nor tells them apart. The weak words are data, per language, in
``schema/weak-words.csv`` (its header cites the examination guidelines they come from).
"""

from __future__ import annotations

import csv
from functools import cache

from kg.analysis.scripts import romanize, words
from kg.resources import SCHEMA_DIR

__all__ = [
    "WEAK_WORDS_FILE",
    "distinctive_words",
    "element_form",
    "is_weak",
    "weak_word_rows",
    "weak_words",
]

WEAK_WORDS_FILE = SCHEMA_DIR / "weak-words.csv"

MIN_ELEMENT_LENGTH = 3
"""Shorter words ("A", "GO") are never a distinctive element on their own."""


@cache
def weak_word_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``schema/weak-words.csv`` (``language``, ``kind``, ``word``; ``#`` lines
    are its documentation).

    >>> {"language": "en", "kind": "legal-form", "word": "INC"} in weak_word_rows()
    True
    """
    with WEAK_WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def weak_words() -> frozenset[str]:
    """The romanized words of ``schema/weak-words.csv``.

    >>> {"GROUP", "GMBH", "GONGSI"} <= weak_words()
    True
    """
    return frozenset(romanize(row["word"]) for row in weak_word_rows())


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
