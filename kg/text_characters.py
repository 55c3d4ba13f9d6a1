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
  Handling", on bidirectional spoofing).
- `INVISIBLE`: the other default-ignorable code points (Unicode's
  ``Default_Ignorable_Code_Point`` property, UAX #44) that show nothing and steer nothing a
  reader sees: the soft hyphen U+00AD, zero width space U+200B, word joiner and invisible
  operators U+2060..U+2064, the deprecated format characters U+206A..U+206F, the byte order
  mark U+FEFF inside a text, the Hangul fillers U+3164 and U+FFA0, the discouraged Khmer
  inherent vowels U+17B4..U+17B5, the musical format characters U+1D173..U+1D17A, the tag
  characters U+E0000..U+E007F (``ACME\\U000e0041`` shows as "ACME") and the default-ignorable
  code points not yet assigned. A register shows a mark without them, and a mark holding one
  looks like the mark without it while comparing unlike it: UTS #39 ("Unicode Security
  Mechanisms", Identifier_Type Default_Ignorable) keeps them out of identifiers, and
  Unicode's NFKC_Casefold (UAX #31, UAX #44) drops them. Kept are the default-ignorable
  characters that change how the text around them is written: zero width non-joiner and
  joiner U+200C/U+200D (Persian, Indic scripts, emoji sequences; UAX #31 section 2.3 allows
  them in identifiers), the variation selectors (emoji presentation, ideographic variants)
  and Mongolian free variation selectors and vowel separator U+180B..U+180F, the combining
  grapheme joiner U+034F, the conjoining Hangul fillers U+115F..U+1160 (old Hangul
  syllables) and the shorthand format controls U+1BCA0..U+1BCA3; and tag characters in an
  emoji tag sequence (a black flag, tags, a cancel tag: the flags of England, Scotland and
  Wales, UTS #51).
- `LINE_BREAKS`: tab, line feed, vertical tab, form feed, carriage return, NEL, U+2028,
  U+2029.

An import removes bidirectional formatting and invisible characters (`without_invisible`),
counted in one warning naming each; ``kg load`` (RDF, which tmkg does not rewrite) and
questions refuse them, naming the character. A text reads as one line (`one_line`): line
breaks and tabs as a space, a run of spaces as one, no space at either end; an import tidies
every text so, a question tidies its runs of spaces (and refuses line breaks: one line of
text), and the shapes refuse a name or mark text that is not so tidied (`shacl_pattern`).

A text is *visible* when it holds a letter, digit, punctuation mark or symbol (Unicode
general categories L, N, P, S) that is not a default-ignorable code point (read through the
``regex`` package: the Hangul fillers are letters that show nothing): ``!!!`` and an emoji
are marks; a text of only zero-width spaces, joiners or fillers, of combining accents alone
(``\\u0301\\u0301``) or of private-use characters is not. Names and mark texts must be
visible: an import refuses the others (also when removing invisible characters left
nothing), a question calls them blank, and ``kg load``'s shapes refuse them
(`shacl_visible_pattern`, the same class written out).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import regex

__all__ = [
    "BIDI_FORMATTING",
    "INVISIBLE",
    "LINE_BREAKS",
    "NOT_ONE_LINE",
    "REFUSED",
    "character_name",
    "escaped",
    "invisible_characters",
    "is_visible",
    "one_line",
    "quoted",
    "shacl_pattern",
    "shacl_visible_pattern",
    "without_invisible",
]

_C0_C1 = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = (
    "\u00ad\u17b4\u17b5\u200b\u2060-\u2065\u206a-\u206f\u3164\ufeff\uffa0\ufff0-\ufff8"
    "\U0001d173-\U0001d17a\U000e0000-\U000e00ff\U000e01f0-\U000e0fff"
)
_BREAKS = "\t\n\x0b\x0c\r\x85\u2028\u2029"
# UTS #51 (ED-14a): an emoji tag sequence, as the RGI flags of England, Scotland and Wales
_TAG_SEQUENCE = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"

REFUSED = re.compile(f"[{_C0_C1}{_SURROGATES}{_NONCHARACTERS}]")
"""Characters no stored or asked text may hold."""
BIDI_FORMATTING = re.compile(f"[{_BIDI}]")
"""The explicit bidirectional formatting characters (UAX #9)."""
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
"""The default-ignorable characters that show nothing and steer nothing (tag characters
too: `invisible_characters` leaves those of an emoji tag sequence)."""
LINE_BREAKS = re.compile(f"[{_BREAKS}]")
"""Tabs and line breaks: a space in an imported text, refused in a question."""
NOT_ONE_LINE = re.compile(f"[{_C0_C1}{_SURROGATES}{_NONCHARACTERS}{_BIDI}{_INVISIBLE}{_BREAKS}]")
"""Any of `REFUSED`, `BIDI_FORMATTING`, `INVISIBLE` and `LINE_BREAKS`: what the CLI and
messages show as an escape (`escaped`; a flag's tag characters too)."""
_HIDDEN = re.compile(f"{_TAG_SEQUENCE}|[{_BIDI}{_INVISIBLE}]")
_SPACES = re.compile(" {2,}")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NOT_ASCII = re.compile("[^ -~]")


def invisible_characters(text: str) -> list[str]:
    """The bidirectional formatting and invisible characters `text` holds, in order (not the
    tags of an emoji tag sequence).

    >>> invisible_characters("AC\\u00adME\\u202e\\U000e0041 \\U0001f3f4\\U000e0067\\U000e007f")
    ['\\xad', '\\u202e', '\\U000e0041']
    """
    return [found[0] for found in _HIDDEN.finditer(text) if len(found[0]) == 1]


def without_invisible(text: str) -> str:
    """`text` without its bidirectional formatting and invisible characters.

    >>> without_invisible("ACME\\u00ad\\u200bCORP\\U000e0041"), without_invisible("\\u200dX")
    ('ACMECORP', '\\u200dX')
    """
    return _HIDDEN.sub(lambda found: found[0] if len(found[0]) > 1 else "", text)


def one_line(text: str) -> str:
    """`text` as one line: line breaks and tabs as a space, a run of spaces as one, no space
    at either end. An import reads every text so; a question, its runs of spaces.

    >>> one_line(" ACME  WIDGETS "), one_line("TWO\\nLINES\\t\\tAND\\u2028MORE")
    ('ACME WIDGETS', 'TWO LINES AND MORE')
    """
    return _SPACES.sub(" ", LINE_BREAKS.sub(" ", text)).strip(" ")


def fault(text: str) -> str | None:
    """What keeps `text` from being a name or a mark text as questions and imports read them,
    in words (the first fault found), or None: the character no text may hold, the
    bidirectional or invisible character, the line break, the run of spaces, the space at an
    end, or nothing visible. `kg load`'s messages name it beside the value.

    >>> fault("ACME\\u00adWIDGETS"), fault("ACME  WIDGETS"), fault("ACME")
    ('it holds U+00AD SOFT HYPHEN', 'it has a run of spaces', None)
    >>> fault(" ACME")
    'it begins or ends with a space'
    >>> fault("A\\nB"), fault("\\u0301")
    ('it holds U+000A (a control character)', 'it holds nothing visible')
    """
    found = NOT_ONE_LINE.search(text)
    if found:
        return f"it holds {character_name(found[0])}"
    if _SPACES.search(text):
        return "it has a run of spaces"
    if text != text.strip(" "):
        return "it begins or ends with a space"
    if not is_visible(text):
        return "it holds nothing visible"
    return None


def character_name(char: str) -> str:
    """``U+XXXX`` and the character's Unicode name, or what it is where it has none.

    >>> character_name("\\u202e"), character_name("\\x1b"), character_name("\\ufdd0")
    ('U+202E RIGHT-TO-LEFT OVERRIDE', 'U+001B (a control character)', 'U+FDD0 (a noncharacter)')
    >>> character_name("\\U000e0000")
    'U+E0000 (unassigned)'
    """
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if name:
        return f"{code} {name}"
    if "\ud800" <= char <= "\udfff":
        return f"{code} (a lone surrogate: bytes that are not UTF-8)"
    if unicodedata.category(char) == "Cc":
        return f"{code} (a control character)"
    if REFUSED.fullmatch(char):
        return f"{code} (a noncharacter)"
    return f"{code} (unassigned)" if unicodedata.category(char) == "Cn" else code


def escaped(text: str, *, wholly: bool = False) -> str:
    r"""`text` with every character of `NOT_ONE_LINE` written as Python writes it in a string
    (``\n``, ``\x1b``, ``\u202e``, ``\U000e0041``), as the CLI shows tables and error lines:
    a message quoting a value shows what it holds, and nothing reaches a terminal raw. With
    `wholly`, every character outside ASCII (for a text nothing of which shows: accents alone
    would print onto the quote, private-use characters as nothing).

    >>> print(escaped("ACME\ufdd0 \u00ad\x1b[2J\n\U000e0041"), escaped("\u0301é", wholly=True))
    ACME\ufdd0 \xad\x1b[2J\n\U000e0041 \u0301\xe9
    """
    found = _NOT_ASCII if wholly else NOT_ONE_LINE
    return found.sub(lambda char: _ESCAPES.get(char[0]) or _escape(char[0]), text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quoted(value: object, limit: int = 60) -> str:
    """`value` as a message quotes it: its ``repr`` with what would not show escaped (all of
    it when nothing of it shows: accents alone would print onto the quote), cut to `limit`.

    >>> print(quoted("ACME\\u3164"), quoted("\\u0301\\u0301"), quoted(4.5), quoted("A" * 70))
    'ACME\\u3164' '\\u0301\\u0301' 4.5 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…AA'
    """
    shown = ascii(value) if isinstance(value, str) and not is_visible(value) else repr(value)
    shown = escaped(shown)
    return shown if len(shown) <= limit else shown[: limit - 4] + "…" + shown[-3:]


_VISIBLE = regex.compile(r"[[\p{L}\p{N}\p{P}\p{S}]--\p{Default_Ignorable_Code_Point}]", regex.V1)


def is_visible(text: str) -> bool:
    """Whether `text` holds a letter, digit, punctuation mark or symbol that shows.

    >>> is_visible("!!!"), is_visible("\\U0001f600"), is_visible("\\u200b\\u200d "), is_visible("")
    (True, True, False, False)
    >>> is_visible("\\u3164"), is_visible("\\u0301\\u0301"), is_visible("\\ue000")
    (False, False, False)
    """
    return _VISIBLE.search(text) is not None


def shacl_pattern() -> str:
    r"""A SHACL ``sh:pattern`` (a SPARQL/XPath regular expression) that matches the texts that
    are one tidy line (`one_line`: words between single spaces, none at either end) holding
    none of `REFUSED` (but surrogates, which no RDF literal holds), `BIDI_FORMATTING`,
    `INVISIBLE` (but an emoji tag sequence) or `LINE_BREAKS`. The characters are written as
    themselves, so every regex engine (Oxigraph's, Python's, a remote server's) reads the
    class alike. ``schema/shapes.ttl`` holds its output; a test checks they agree.

    >>> import re; pattern = re.compile(shacl_pattern())
    >>> [bool(pattern.search(text)) for text in ("AWS", "A W S", "Evil\u202eCorp", "A  B", "A ")]
    [True, True, False, False, False]
    """
    one = f"([^{_C0_C1}{_NONCHARACTERS}{_BIDI}{_INVISIBLE}{_BREAKS} ]|{_TAG_SEQUENCE})+"
    return f"^({one}( {one})*)?$"


@cache
def shacl_visible_pattern() -> str:
    """A SHACL ``sh:pattern`` that a text matches when it is visible (`is_visible`): the
    letters, digits, punctuation marks and symbols that are not default-ignorable, from
    Unicode's properties (``regex``), written as ranges of the characters themselves, as
    `shacl_pattern`; ``schema/shapes.ttl`` holds its output.

    >>> import re; pattern = re.compile(shacl_visible_pattern())
    >>> [bool(pattern.search(text)) for text in ("AWS", "\u200b \u3164", "", "\u0301", "\ue000")]
    [True, False, False, False, False]
    """
    ranges: list[list[int]] = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF or not _VISIBLE.match(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    shown = "".join(_in_class(a) if a == b else f"{_in_class(a)}-{_in_class(b)}" for a, b in ranges)
    return f"[{shown}]"


def _in_class(code: int) -> str:
    """A character as a regular expression's class holds it: XPath's escapes for the five
    characters a class reads otherwise (every engine reads them alike)."""
    char = chr(code)
    return "\\" + char if char in "\\-[]^" else char
