"""Which characters names and mark texts may hold: one rule for what is stored and asked.

A register import (`kg.registries.record_text`), the SHACL shapes of `kg load`
(``schema/shapes.ttl``: mark texts, verbal elements, party names) and the arguments of every
question (`kg.analysis.arguments`) apply the same classes, so a mark the store holds can be
asked about by its text, and a text that cannot be asked about is never stored:

- `REFUSED`: control characters other than line breaks and tabs (C0, DEL, C1: NUL, ESC,
  BEL...), surrogates (not text: how Python reads bytes that are not UTF-8) and the
  Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane),
  "permanently reserved for internal use" (The Unicode Standard, section 23.7). A file or
  argument holding one is refused, the character named.
- `BIDI_FORMATTING`: the explicit bidirectional formatting characters (UAX #9, "Explicit
  Directional Formatting Characters": LRM, RLM, ALM, the embeddings, overrides and isolates).
  They steer only how text is displayed, and they can make a stored name display as another
  (``Evil\\u202eCorp`` shows as "EvilproC"; Unicode Technical Standard #55, "Source Code
  Handling", on bidirectional spoofing). An import removes them, counted in its warnings;
  ``kg load`` (RDF, which tmkg does not rewrite) and questions refuse them.
- `LINE_BREAKS`: tab, line feed, vertical tab, form feed, carriage return, NEL, U+2028,
  U+2029: an import reads them as a space (runs of spaces become one); a question, one
  line of text, refuses them, and so do the shapes in names and mark texts.

A text is *visible* when it holds a letter, digit, punctuation mark or symbol (Unicode
general categories L, N, P, S) that is not a default-ignorable code point (Unicode's
``Default_Ignorable_Code_Point`` property, read through the ``regex`` package: the Hangul
fillers are letters that show nothing): ``!!!`` and an emoji are marks, a text of only
zero-width spaces, joiners or fillers is blank. Names and mark texts must be visible: an
import refuses the others (also when removing bidirectional characters left nothing), and
``kg load``'s shapes refuse a name or mark of only spaces, controls and default-ignorable
characters (`shacl_visible_pattern`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import regex

__all__ = [
    "BIDI_FORMATTING",
    "LINE_BREAKS",
    "NOT_ONE_LINE",
    "REFUSED",
    "character_name",
    "is_visible",
    "shacl_pattern",
    "shacl_visible_pattern",
]

_C0_C1 = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BREAKS = "\t\n\x0b\x0c\r\x85\u2028\u2029"

REFUSED = re.compile(f"[{_C0_C1}{_SURROGATES}{_NONCHARACTERS}]")
"""Characters no stored or asked text may hold."""
BIDI_FORMATTING = re.compile(f"[{_BIDI}]")
"""The explicit bidirectional formatting characters (UAX #9)."""
LINE_BREAKS = re.compile(f"[{_BREAKS}]")
"""Tabs and line breaks: a space in an imported text, refused in a question."""
NOT_ONE_LINE = re.compile(f"[{_C0_C1}{_SURROGATES}{_NONCHARACTERS}{_BIDI}{_BREAKS}]")
"""Any of `REFUSED`, `BIDI_FORMATTING` and `LINE_BREAKS`: what one line of text a question
takes (`kg.analysis.arguments`) must not hold, and what the CLI shows as an escape."""


def character_name(char: str) -> str:
    """``U+XXXX`` and the character's Unicode name, or what it is where it has none.

    >>> character_name("\\u202e"), character_name("\\x1b"), character_name("\\ufdd0")
    ('U+202E RIGHT-TO-LEFT OVERRIDE', 'U+001B (a control character)', 'U+FDD0 (a noncharacter)')
    """
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if name:
        return f"{code} {name}"
    if "\ud800" <= char <= "\udfff":
        return f"{code} (a lone surrogate: bytes that are not UTF-8)"
    if unicodedata.category(char) == "Cc":
        return f"{code} (a control character)"
    return f"{code} (a noncharacter)" if REFUSED.fullmatch(char) else code


_VISIBLE = regex.compile(r"[[\p{L}\p{N}\p{P}\p{S}]--\p{Default_Ignorable_Code_Point}]", regex.V1)
_NOTHING_SHOWN = regex.compile(r"[\s\p{Cc}\p{Default_Ignorable_Code_Point}]")


def is_visible(text: str) -> bool:
    """Whether `text` holds a letter, digit, punctuation mark or symbol that shows.

    >>> is_visible("!!!"), is_visible("\\U0001f600"), is_visible("\\u200b\\u200d "), is_visible("")
    (True, True, False, False)
    >>> is_visible("\\u3164"), is_visible("\\u0301\\u0301")  # a Hangul filler; accents alone
    (False, False)
    """
    return _VISIBLE.search(text) is not None


def shacl_pattern() -> str:
    r"""A SHACL ``sh:pattern`` (a SPARQL/XPath regular expression) that matches the texts
    holding none of `REFUSED` (but surrogates, which no RDF literal holds),
    `BIDI_FORMATTING` or `LINE_BREAKS` (a name or a mark is one line, as a question is). The
    characters are written as themselves, so every regex engine
    (Oxigraph's, Python's, a remote server's) reads the class alike. ``schema/shapes.ttl``
    holds its output; a test checks they agree.

    >>> import re; pattern = re.compile(shacl_pattern())
    >>> bool(pattern.search("AWS")), bool(pattern.search("Evil\u202eCorp"))
    (True, False)
    """
    banned = f"{_C0_C1}{_NONCHARACTERS}{_BIDI}{_BREAKS}"
    return f"^[^{banned}]*$"


@cache
def shacl_visible_pattern() -> str:
    """A SHACL ``sh:pattern`` that a text matches when it holds a character other than
    whitespace, a control character or a default-ignorable code point: not blank. (Marks
    of accents or private-use characters alone pass it, and a question still refuses them.)
    Built from Unicode's properties (``regex``), written as ranges of the characters
    themselves, as `shacl_pattern`; ``schema/shapes.ttl`` holds its output.

    >>> import re; pattern = re.compile(shacl_visible_pattern())
    >>> bool(pattern.search("AWS")), bool(pattern.search("\u200b \u3164")), bool(pattern.search(""))
    (True, False, False)
    """
    ranges: list[list[int]] = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF or not _NOTHING_SHOWN.match(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    shown = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[^{shown}]"
