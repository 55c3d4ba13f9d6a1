"""Marks that look the same in different scripts: the ``homoglyph`` rule.

``РОСТ`` in Cyrillic letters and ``POCT`` in Latin ones are different texts — romanized,
ROST and POCT — yet a reader sees the same word; so do ``Kиc-Kиc`` (Latin K and c beside
Cyrillic и) and ``Кис-Кис``, or ``PАYPAL`` with a Cyrillic А and PAYPAL. Marks are compared
as the public perceives them, and the visual impression of two such marks is the same (EUIPO
Guidelines, Part C, Section 2, Chapter 4, "visual comparison"; marks in Cyrillic or Greek
letters are compared visually with Latin ones where letters coincide in shape).

`skeleton` maps each letter that Unicode lists as confusable with an ASCII letter to that
letter (Unicode Technical Standard #39, "Security Mechanisms", confusables data, through the
PyPI package ``confusable_homoglyphs``, MIT: Cyrillic К -> K, С -> C, В -> B, Greek Α -> A,
...), on the folded form (`kg.analysis.scripts.normalize`); two marks with the same skeleton
that are not the same text score `HOMOGLYPH_SCORE`. The blocking key ``G:`` is the skeleton
(`blocking_key`).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache, lru_cache
from importlib import resources

__all__ = ["HOMOGLYPH_SCORE", "blocking_key", "look_alike", "look_alike_note", "skeleton"]

HOMOGLYPH_SCORE = 0.95
"""Above a transliteration (0.93): the marks are not only read alike, they look the same."""


@cache
def _prototypes() -> dict[str, str]:
    """Each non-ASCII character that the confusables data lists as looking like one ASCII
    letter or digit, with that character."""
    data = json.loads(
        (resources.files("confusable_homoglyphs") / "confusables.json").read_text("utf-8")
    )
    found: dict[str, str] = {}
    for char, alikes in data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_alikes = [a["c"] for a in alikes if len(a["c"]) == 1 and a["c"].isascii()]
        if ascii_alikes and ascii_alikes[0].isalnum():
            found[char] = ascii_alikes[0]
    return found


@lru_cache(maxsize=65536)
def skeleton(folded: str) -> str:
    """`folded` with every letter that looks like an ASCII one replaced by it.

    >>> skeleton("РОСТ"), skeleton("КИСКИС") == skeleton("KИCKИC"), skeleton("特斯拉")
    ('POCT', True, '特斯拉')
    """
    table = _prototypes()
    return "".join(table.get(char, char) for char in folded)


def look_alike(folded_a: str, folded_b: str) -> bool:
    """Whether two different folded forms look the same: the same `skeleton`.

    >>> look_alike("PАYPAL", "PAYPAL"), look_alike("МИР", "MIP"), look_alike("AWS", "AWS")
    (True, False, False)
    """
    return folded_a != folded_b and skeleton(folded_a) == skeleton(folded_b)


def blocking_key(folded: str) -> str | None:
    """``G:`` and the skeleton, for a form with a letter of the Latin alphabet or one that
    looks like one (the only forms another script can imitate); else None.

    >>> blocking_key("РОСТ"), blocking_key("POCT"), blocking_key("特斯拉")
    ('G:POCT', 'G:POCT', None)
    """
    shown = skeleton(folded)
    if not any(char.isascii() and char.isalpha() for char in shown):
        return None
    return "G:" + shown


def look_alike_note(text: str) -> str | None:
    """Which letters of a mark look like ASCII ones but are not (`_prototypes`), in words,
    for a ``homoglyph`` finding; None when it has none.

    >>> print(look_alike_note("PАYPAL"))
    'PАYPAL' writes 'А' (CYRILLIC CAPITAL LETTER A), which looks like 'A'
    >>> look_alike_note("PAYPAL") is None
    True
    """
    prototypes = _prototypes()
    found = dict.fromkeys(c for c in text if c in prototypes)
    if not found:
        return None
    named = ", ".join(
        f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}')}), which looks like '{prototypes[c]}'"
        for c in found
    )
    return f"'{text}' writes {named}"
