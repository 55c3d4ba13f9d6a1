"""Writing systems: fold a mark's text and spell it in Latin letters for comparison.

Two functions, both pure and cached, used by `kg.analysis.similarity`:

* :func:`normalize` folds what does not tell marks apart: case, width (NFKC), Latin
  diacritics and letters without a decomposition (``Ł`` -> ``L``, ``Ø`` -> ``O``, ``ß`` ->
  ``SS``), traditional Chinese characters (-> simplified, OpenCC's ``t2s`` conversion),
  punctuation and spaces. The marks of other scripts are kept: a Devanagari vowel sign or
  a Hangul syllable is part of the word, not a diacritic (``मोती`` and ``माता`` stay apart).
* :func:`romanize` spells the folded text in Latin capitals: Chinese as toneless pinyin
  read in context (pypinyin), every other script by `anyascii` (Hangul by the Revised
  Romanization, kana by Hepburn, Cyrillic, Greek, Devanagari, Arabic, Thai ...).

:func:`words` gives the same forms word by word (the elements of a composite mark).

Sources: OpenCC (https://github.com/BYVoid/OpenCC) for traditional -> simplified; pypinyin's
phrase dictionary for polyphonic characters; anyascii (https://github.com/anyascii/anyascii)
for every other script. No transliteration table is written here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from anyascii import anyascii

from kg.lazy import lazy_module

pypinyin = lazy_module("pypinyin")  # ~0.2 s of phrase tables: read at a first Chinese text

__all__ = ["HAN", "INITIALS", "all_initials", "normalize", "romanize", "whole_han", "words"]

# Trademark symbols carry no distinctiveness, and NFKC would spell "™" out as "TM".
_MARK_SYMBOLS = dict.fromkeys(map(ord, "™®©℠℗"))
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
"""A Chinese character (CJK Unified Ideographs and their extensions, compatibility forms)."""
_NOT_ROMAN = re.compile(r"[^A-Z0-9]")
_NOT_ALNUM_ASCII = re.compile(r"[^0-9A-Za-z]+")
_SCRIPT_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
    r"|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
)
# Variation selectors (Unicode Standard, 23.4): FE00-FE0F, E0100-E01EF, Mongolian FVS1-4
_VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")
_WORD_BREAK = re.compile(r"[\s\-_/.,:;&+·・、]+")
_LATIN_LETTER = "A-Za-z\u00c0-\u024f"  # Basic Latin, Latin-1 Supplement, Latin Extended-A/B
_L = f"[{_LATIN_LETTER}]"
INITIALS = re.compile(
    rf"(?<!{_L})(?:{_L}[.。]\s?){{2,}}(?:{_L}(?!{_L}))?"  # A.W.S., U.S.A
    rf"|(?<!{_L}){_L}[.。]\s?{_L}(?!{_L})"  # N.Y
)
"""Latin letters each followed by a stop, not inside a word, two or more (the last may go
without its stop: ``H.A.G.W.``, ``I. B. M.``, ``U.S.A``, ``N.Y``; not ``E.ON``, ``J. CREW``,
``ST. MORITZ``; after NFKC, so full-width ``Ｋ．Ｗ．`` too, and the ideographic stop ``。``):
initials, said letter by letter. `words` reads a run of three or more as one word (``A.W.S.
CLOUD``: AWS, CLOUD); two stay two letters (``A.M. ENGINEERING``: a two-letter word would be
weak, `kg.analysis.elements.is_weak`, leaving ENGINEERING alone to meet any mark holding it)."""
MIN_INITIALS_WORD = 3
"""Initials read as one word by `words` from this many letters."""
_STOPS = re.compile(r"[.。\s]")
_LATIN = re.compile(_L)


def _initials_closed_up(text: str) -> str:
    """`text` (NFKC) with each run of `INITIALS` of `MIN_INITIALS_WORD` letters or more
    written as one word and a space.

    >>> _initials_closed_up("A.W.S. CLOUD"), _initials_closed_up("I.B.M.國際")
    ('AWS CLOUD', 'IBM 國際')
    >>> _initials_closed_up("A.M. ENGINEERING")
    'A.M. ENGINEERING'
    """
    if "." not in text and "。" not in text:
        return text

    def closed_up(run: re.Match[str]) -> str:
        letters = _STOPS.sub("", run[0])
        return letters + " " if len(letters) >= MIN_INITIALS_WORD else run[0]

    return INITIALS.sub(closed_up, text).strip()


@lru_cache(maxsize=65536)
def all_initials(text: str) -> bool:
    """Whether every Latin letter of a mark is written as `INITIALS` (and it has some):
    ``H.A.G.W.``, ``H.A.G.W.設計字``; not ``A.B. KWIK CLEEN`` nor ``NITE N.Y.`` (words
    besides the initials), nor ``E.ON`` (one letter before a stop).

    >>> all_initials("H.A.G.W.設計字"), all_initials("Ｋ．Ｗ．Ｉ．Ｋ．")
    (True, True)
    >>> all_initials("H。A。G。W。")
    True
    >>> all_initials("NITE N.Y."), all_initials("KWIK CLEEN e.V."), all_initials("E.ON")
    (False, False, False)
    """
    plain = unicodedata.normalize("NFKC", text)
    rest, runs = INITIALS.subn("", plain)
    return runs > 0 and _LATIN.search(rest) is None


@cache
def _to_simplified():  # noqa: ANN202 - OpenCC's converter object
    import opencc  # a C++ library with its dictionaries: loaded on first use

    return opencc.OpenCC("t2s")


def _fold_latin(char: str) -> str:
    """A Latin letter without diacritics (``É`` -> ``E``, ``Ł`` -> ``L``); other scripts kept."""
    if char.isascii():
        return char
    base, *marks = unicodedata.normalize("NFD", char)
    if base.isascii() and all(unicodedata.combining(m) for m in marks):
        return base
    if "LATIN" in unicodedata.name(char, ""):
        return anyascii(char)  # letters with no decomposition: Ł Ø Đ Þ ß Æ Œ
    return char


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Fold case, width, Latin diacritics, traditional characters, punctuation and spaces.

    Examples
    --------
    >>> normalize("A.W.S."), normalize("i-Pad"), normalize("Ａｍａｚｏｎ")
    ('AWS', 'IPAD', 'AMAZON')
    >>> normalize("Nestlé Nescafé™"), normalize("ŁADA"), normalize("Ørsted")
    ('NESTLENESCAFE', 'LADA', 'ORSTED')
    >>> normalize("特斯拉 Tesla"), normalize("銀行")
    ('特斯拉TESLA', '银行')
    >>> normalize("मोती") == normalize("माता")
    False
    >>> normalize("桂\U000e0100冠") == normalize("桂冠")  # an ideographic variation selector
    True
    """
    if text.isascii():  # the common case, without the per-character work below
        return _NOT_ALNUM_ASCII.sub("", text).upper()
    text = unicodedata.normalize("NFKC", text.translate(_MARK_SYMBOLS))
    kept: list[str] = []
    for char in text.casefold():
        if char.isalnum():
            kept.append(_fold_latin(char))
        elif _VARIATION_SELECTOR.match(char):
            continue  # it picks a glyph of the character before, not another character
        elif unicodedata.category(char).startswith("M") and kept and not kept[-1].isascii():
            kept.append(char)  # a vowel sign or other mark of a non-Latin letter
    folded = "".join(kept)
    if HAN.search(folded):
        folded = _to_simplified().convert(folded)
    return unicodedata.normalize("NFC", folded.upper())


def whole_han(folded: str) -> str:
    """A :func:`normalize` d text when it is Chinese characters alone, else ``""``.

    >>> whole_han("小米"), whole_han("小米SU7"), whole_han("AWS")
    ('小米', '', '')
    """
    if folded.isascii() or not all(HAN.match(c) for c in folded):
        return ""
    return folded


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """The normalized mark in Latin capitals and digits.

    Chinese characters are toneless pinyin read in context (``ü`` written ``V``); every
    other script is spelled by anyascii. Text in Latin letters is returned as
    :func:`normalize` gives it.

    Examples
    --------
    >>> romanize("特斯拉"), romanize("亚马逊"), romanize("銀行"), romanize("小米 SU7")
    ('TESILA', 'YAMAXUN', 'YINHANG', 'XIAOMISU7')
    >>> romanize("모나미"), romanize("ソニー"), romanize("Москва"), romanize("मोती")
    ('MONAMI', 'SONI', 'MOSKVA', 'MOTI')
    """
    folded = normalize(text)
    if folded.isascii():
        return folded
    return _NOT_ROMAN.sub("", _spell(folded).upper())


def _spell(folded: str) -> str:
    if not HAN.search(folded):
        return anyascii(folded)
    return "".join(
        part if part.isascii() else anyascii(part)
        for part in pypinyin.lazy_pinyin(
            folded, style=pypinyin.Style.NORMAL, v_to_u=False, errors=lambda s: s
        )
    )


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The romanized words of a mark, in order: its elements for comparison.

    A word is what spaces or punctuation separate; a run of Chinese characters is one word
    (Chinese writes no spaces), as is a run of kana or Hangul, and a run of three initials
    with stops or more (`INITIALS`: ``A.W.S.`` is the word AWS, not three letters).

    >>> words("UBER EATS"), words("Coca-Cola"), words("星巴克 STARBUCKS"), words("!!")
    (('UBER', 'EATS'), ('COCA', 'COLA'), ('XINGBAKE', 'STARBUCKS'), ())
    >>> words("A.W.S. CLOUD"), words("T.G.I. FRIDAY'S"), words("Ｉ．Ｂ．Ｍ．國際")
    (('AWS', 'CLOUD'), ('TGI', 'FRIDAYS'), ('IBM', 'GUOJI'))
    >>> words("U.S.A POLO"), words("N.Y DELI"), words("E.ON"), words("J. CREW")
    (('USA', 'POLO'), ('N', 'Y', 'DELI'), ('E', 'ON'), ('J', 'CREW'))
    """
    if text.isascii():
        parts = _WORD_BREAK.split(_initials_closed_up(text))
        return tuple(w.upper() for w in (_NOT_ALNUM_ASCII.sub("", p) for p in parts) if w)
    plain = _initials_closed_up(unicodedata.normalize("NFKC", text.translate(_MARK_SYMBOLS)))
    found = []
    for part in _WORD_BREAK.split(plain):
        for run in _SCRIPT_RUN.findall(part):
            roman = romanize(run)
            if roman:
                found.append(roman)
    return tuple(found)
