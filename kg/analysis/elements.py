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

__all__ = ["WEAK_WORDS_FILE", "distinctive_words", "is_weak", "weak_words"]

WEAK_WORDS_FILE = SCHEMA_DIR / "weak-words.csv"

MIN_ELEMENT_LENGTH = 3
"""Shorter words ("A", "GO") are never a distinctive element on their own."""


@cache
def weak_words() -> frozenset[str]:
    """The romanized words of ``schema/weak-words.csv`` (``#`` lines are its documentation).

    >>> {"GROUP", "GMBH", "GONGSI"} <= weak_words()
    True
    """
    with WEAK_WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return frozenset(romanize(row["word"]) for row in rows)


def is_weak(word: str) -> bool:
    """Whether a romanized word is weak: listed, or too short to stand alone."""
    return len(word) < MIN_ELEMENT_LENGTH or word in weak_words()


def distinctive_words(text: str) -> tuple[str, ...]:
    """The romanized words of a mark that are not weak, in order.

    >>> distinctive_words("The ACME Group, Inc."), distinctive_words("UBER EATS")
    (('ACME',), ('UBER', 'EATS'))
    """
    return tuple(w for w in words(text) if not is_weak(w))
