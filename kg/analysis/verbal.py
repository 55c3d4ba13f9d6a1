"""The verbal element of a mark: its words, without the text an office writes for a figure.

Offices name figurative marks with placeholder text ("設計圖", "標章圖", "Device") and add
descriptors to the words of combined marks ("TAICHIN 及圖", "ACME & Design", "SOSHIN (logo)").
Compared as words, every "設計圖" is an exact match of every other, so such texts are set
aside: a placeholder has no verbal element (``None``), and a descriptor is removed from the
words it accompanies. The texts are data, per office, in ``schema/mark-placeholders.csv``.

A mark's text is ``tm:text``. Where a registration states its verbal element apart
(``tm:verbalElement``: ST.66 ``MarkVerbalElementText``, TIPO's ``tmark-draft-c``), that is what
is compared instead, and a figurative mark stating none takes no part in word similarity
(`kg.analysis.mark_kinds`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.analysis.scripts import HAN
from kg.resources import SCHEMA_DIR, data_rows

__all__ = ["PLACEHOLDERS_FILE", "MarkTextRule", "mark_text_rules", "verbal_element"]

PLACEHOLDERS_FILE = SCHEMA_DIR / "mark-placeholders.csv"

# A series label after a placeholder ("設計圖(一)", "Device (2)", "設計圖 B") tells apart
# figures of one owner; it is not a word of the mark.
_SERIES_LABEL = re.compile(
    r"\s*(?:[(（]\s*[0-9A-Za-z一二三四五六七八九十]{1,2}\s*[)）]|\s[0-9A-Za-z])$"
)
# Left dangling once a descriptor is gone: "COZY及" (及 "and"), "ACME &", "X /".
_DANGLING = re.compile(r"(?:[\s&+/,、・·:：;\-]|(?<=\s)及)+$")  # "埃及" (Egypt) keeps its 及
# After Latin letters, 及 ("and") joins the words to what follows: a figure it describes
# ("G GOLF及球圖": and a ball figure; "龜記GUIJI及龜設計圖": and a turtle design; the same in
# simplified characters, as CNIPA writes them: "及球图"), or a
# second part in Chinese characters ("PharmiGENE及世基生物醫學"; "KUAGLOBAL及跨設計字": and
# the character 跨 drawn, a word).
_DESCRIBED_FIGURE = re.compile(rf"(?<=[A-Za-z0-9.\s])及{HAN.pattern}{{1,4}}?(?:設計|设计)?[圖图]$")
_CONNECTOR = re.compile(rf"(?<=[A-Za-z0-9.])及(?={HAN.pattern})")


@dataclass(frozen=True)
class MarkTextRule:
    """One row of ``schema/mark-placeholders.csv``."""

    jurisdiction: str  # an office's code, or "*" for every office
    kind: str  # "placeholder" or "descriptor"
    at: str  # descriptors: "end" or "anywhere"; "" for placeholders
    text: str
    seen: str


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@cache
def mark_text_rules() -> tuple[MarkTextRule, ...]:
    """The rows of ``schema/mark-placeholders.csv`` (``#`` lines are its documentation)."""
    return tuple(MarkTextRule(**row) for row in data_rows(PLACEHOLDERS_FILE))


@dataclass(frozen=True)
class _Rules:
    placeholders: frozenset[str]  # folded, casefolded, without spaces
    end: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None


def _alternation(texts: list[str]) -> str:
    """Longest first, so "及設計圖" wins over "設計圖".

    A text starting with a letter must follow a space: "JWC Logo" loses its
    "Logo", while "CARLOGO" and a word mark "LOGO" keep theirs. CJK texts need no space.
    """
    parts = []
    for text in sorted({_fold(t) for t in texts}, key=len, reverse=True):
        word = r"(?<=\s)" if text[:1].isascii() and text[:1].isalpha() else ""
        parts.append(word + r"\s*".join(re.escape(p) for p in text.split()))
    return "|".join(parts)


@cache
def _rules(jurisdiction: str | None) -> _Rules:
    offices = {"*", jurisdiction}
    rows = [r for r in mark_text_rules() if jurisdiction is None or r.jurisdiction in offices]
    placeholders = frozenset(_key(r.text) for r in rows if r.kind == "placeholder")
    end = [r.text for r in rows if r.kind == "descriptor" and r.at == "end"]
    anywhere = [r.text for r in rows if r.kind == "descriptor" and r.at == "anywhere"]
    return _Rules(
        placeholders,
        re.compile(rf"\s*(?:{_alternation(end + anywhere)})\s*$", re.IGNORECASE) if end else None,
        re.compile(_alternation(anywhere), re.IGNORECASE) if anywhere else None,
    )


def _key(text: str) -> str:
    return "".join(_fold(text).casefold().split())


@lru_cache(maxsize=65536)
def verbal_element(text: str, jurisdiction: str | None = None) -> str | None:
    """The words of a mark, or ``None`` when its text only names a figure.

    Parameters
    ----------
    text
        The mark's text as the office writes it (``tm:text``).
    jurisdiction
        The office's code (``TW``, ``US``, ``EM``): its rows and the ``*`` rows apply. With
        ``None`` (where the mark is not known) every row applies.

    A text with nothing to remove is returned unchanged; otherwise the rest is returned in
    NFKC form (full-width letters made plain), spaces trimmed. An empty text stays empty.

    Examples
    --------
    >>> verbal_element("設計圖") is None, verbal_element("圖形(彩)") is None
    (True, True)
    >>> verbal_element("Device (2)") is None
    True
    >>> verbal_element("TAICHIN 及圖"), verbal_element("華紘及圖HUA HUNG")
    ('TAICHIN', '華紘 HUA HUNG')
    >>> verbal_element("ACME & Design"), verbal_element("Mutlu & Device (Color)")
    ('ACME', 'Mutlu')
    >>> verbal_element("JWC Logo", "TW"), verbal_element("JWC Logo", "US")
    ('JWC', 'JWC Logo')
    >>> verbal_element("TESLA")
    'TESLA'
    >>> verbal_element("G GOLF及球圖"), verbal_element("PharmiGENE及世基生物醫學")
    ('G GOLF', 'PharmiGENE 世基生物醫學')
    >>> verbal_element("埃及"), verbal_element("韓屋及其韓文")
    ('埃及', '韓屋及其韓文')
    """
    rules = _rules(jurisdiction)
    plain = _fold(text)
    if _key(_SERIES_LABEL.sub("", plain)) in rules.placeholders:
        return None
    rest = _DESCRIBED_FIGURE.sub("", plain)
    rest = rest if rules.anywhere is None else rules.anywhere.sub(" ", rest)
    while rules.end is not None and (shorter := rules.end.sub("", rest)) != rest:
        rest = _DANGLING.sub("", shorter)
    rest = _CONNECTOR.sub(" ", rest)
    if rest == plain:
        return text  # nothing removed: keep the office's own spelling
    rest = " ".join(_DANGLING.sub("", rest).split())
    label_free = _SERIES_LABEL.sub("", rest)
    if _key(label_free) in rules.placeholders or not any(c.isalnum() for c in label_free):
        return None  # a placeholder, or nothing but descriptors ("及圖", "(logo)")
    return rest
