"""Values from the data isolated from the English around them (the Unicode Bidirectional
Algorithm, UAX #9), for every HTML page tmkg writes: reports, watch reports, resource pages,
the landing page.

A party name in Arabic or a mark in Hebrew set inside an English sentence or a table cell
takes the neutral characters next to it (digits, brackets, punctuation, the next value) into
its right-to-left run and reorders them; a value carrying bidi controls (a right-to-left
override, U+202E, in a hostile mark text) would flip what follows it. Each value inserted into
HTML is therefore wrapped in ``<bdi>`` — "bidirectional isolate": its direction is taken from
its own first strong character and nothing inside it affects, or is affected by, the text
around it; an override it opens ends where the isolate ends (HTML Living Standard, 4.5.23 "The
bdi element"; W3C Internationalization, "Inline markup and bidirectional text in HTML",
https://www.w3.org/International/articles/inline-bidi-markup/). Where HTML allows no markup
(``<title>``, attribute values) the same isolation is written with the Unicode controls
FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068 ... U+2069, UAX #9 section 2.7), as
that article advises.

Values stay escaped: `isolate` escapes first, then adds its own two tags.
"""

from __future__ import annotations

from markupsafe import Markup

__all__ = ["BIDI_CONTROLS", "isolate", "isolate_text"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI (UAX #9, table 4)."""
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")
_PDI = "\u2069"


def _balanced(text: str) -> str:
    r"""`text` without the POP DIRECTIONAL ISOLATEs that match no isolate opened inside it.

    Inside an isolate such a PDI is ignored (UAX #9, rule X6a), so nothing shown changes; left
    in, it could end the surrounding isolate early wherever a browser implements ``<bdi>`` by
    inserting the controls themselves.

    >>> _balanced("a\u2069b\u2068c\u2069")
    'ab\u2068c\u2069'
    """
    if _PDI not in text:
        return text
    kept, depth = [], 0
    for char in text:
        if char in _OPENS_ISOLATE:
            depth += 1
        elif char == _PDI:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept)


def isolate(value: object, lang: str | None = None) -> Markup:
    """`value` escaped and wrapped in ``<bdi>`` ('' for an empty value): HTML to insert;
    `lang`, the value's language tag, becomes the element's ``lang``.

    >>> print(isolate("שלום <b>"))
    <bdi>שלום &lt;b&gt;</bdi>
    >>> print(isolate("سلام", lang="ar"))
    <bdi lang="ar">سلام</bdi>
    >>> isolate("")
    Markup('')
    """
    text = "" if value is None else str(value)
    if not text:
        return Markup("")
    if lang:
        return Markup('<bdi lang="%s">%s</bdi>') % (lang, _balanced(text))
    return Markup("<bdi>%s</bdi>") % _balanced(text)


def isolate_text(value: object) -> str:
    r"""`value` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, for text where HTML
    allows no markup (``<title>``, ``title="..."``); not escaped — escape it where it goes.

    >>> isolate_text("שלום")
    '\u2068שלום\u2069'
    >>> isolate_text("\u2069\u202eX")  # an unmatched PDI dropped: the override stays inside
    '\u2068\u202eX\u2069'
    """
    text = "" if value is None else str(value)
    return f"\u2068{_balanced(text)}\u2069" if text else ""
