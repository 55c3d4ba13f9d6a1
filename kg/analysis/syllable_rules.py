"""Marks written a syllable per character (Chinese characters, Hangul, kana), compared by
syllables as the Chinese, Korean and Japanese offices compare them.

A Hangul block, a kana (with the small kana that bend it, ``キャ``) and a Chinese character
are each one syllable (`syllables`). Romanized, a Korean syllable is two to five letters,
so the rules on Latin forms (`kg.analysis.similarity_rules`) count its changes in letters,
not in the units a reader of the script hears and sees. The rules here compare the marks'
syllabic runs (`syllable_runs`: each word's runs of these scripts, folded by
`kg.analysis.scripts.normalize`, hiragana read as katakana). Each returns a score in
[0.8, 1) or ``None``; `kg.analysis.similarity.compare` lists them under the existing reasons.

``containment``
    A whole mark of two syllables or more that begins or ends a word of the other and is at
    least 30% of its syllables (``불닭`` / ``홍초불닭``, ``비트`` / ``비트루트(BeatRoot)``): a
    part of a mark that is not inseparably joined to the rest may be what buyers call it, and
    then it is compared alone (Korean Supreme Court, 대법원 1987. 2. 24. 선고 86후136:
    ``삼양포장마차 왕사발`` called ``왕사발``, similar to ``사발``; JPO 商標審査基準, 4条1項11号,
    結合商標の類否).
    The 30% floor is the one of the Latin closed-up containment: a short word inside a long
    phrase (``흥부`` in ``흥부가 기가막혀``) is read as part of the phrase. A mark that writes
    a Latin word beside its reading (``CER 세르``: the same consonants) is compared by the
    reading, as Korean examiners call such a mark by its one pronunciation, and so is a
    Chinese mark beside the initials of its pinyin (``联通LT`` / ``联通回收``). Two marks in
    Chinese characters alone are left to `kg.analysis.similarity_rules.containment`.
``short``
    Two marks of the same number of syllables, three or more, that differ in one syllable
    other than the first (``스타벅스`` / ``스타밥스``, ``다이소`` / ``다사소``): CNIPA 商标审查
    审理指南 on Chinese word marks: a mark of three or more characters that differs in only
    one character is similar, unless its first character differs clearly in sound or form;
    JPO 商標審査基準 (4条1項11号, 称呼の類否): two marks of the same number of sounds that
    differ in one sound are similar when that sound is close; JPO decisions mostly hold a
    difference in the first sound enough to tell marks apart (語頭音の差異, as patent
    attorneys sum up the decisions). A Hangul syllable that keeps its initial consonant and
    vowel and differs only in its final consonant (``갓`` / ``가``, ``이`` / ``일``) is a weak
    difference, as the JPO counts a 促音 or 撥音 (a sound closing a syllable); one such
    difference is allowed besides the changed syllable, after the first (``처갓집`` /
    ``처가방``), or alone in any place (``이차돌`` / ``일차돌``; not ``하우웰`` / ``한우리``).
    Two-syllable marks are left out: one syllable is half the mark, and two-character words
    are the commonest Chinese marks (``乐高`` / ``乐拼`` is not found).
``transposition``
    Two marks in Hangul or kana of four syllables or more, one the other with its two parts
    (two syllables or more each) in the other order, written closed up or not: ``바다별빛``
    / ``별빛바다`` or ``별빛 바다``, ``ヒカリソラ`` / ``ソラヒカリ``. Korean and Japanese write
    a compound closed up, so the words' order is the syllables' (USPTO TMEP 1207.01(b)(vii),
    "Transposition of Terms";
    for Chinese characters, any other order of the same characters:
    `kg.analysis.similarity_rules.transposition`).
``shared-element``
    Two marks one of whose words begin with the same three syllables or more, neither mark
    being only those (``ヒルドイド`` / ``ヒルドマイルド``, ``순창궁전전통식품`` / ``해표 순창궁``):
    the beginning of a mark is what is read and remembered (JPO 商標審査基準, 称呼の類否:
    語頭; EUIPO Guidelines, Part C, Section 2, Chapter 4, "beginning of signs"). Two syllables
    are not enough: they are the length of a Korean given name or a common Sino-Korean or
    Chinese word (``봉구``, ``육회``, ``联通``), shared by many marks of a register; decided
    pairs that share only such a word were found similar and not similar about as often.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from kg.analysis.elements import is_weak
from kg.analysis.phonetics import consonant_skeleton
from kg.analysis.scripts import HAN, normalize, romanize

__all__ = [
    "LEADING_SYLLABLES",
    "MAX_SYLLABLES",
    "contained_affixes",
    "one_change_patterns",
    "rotation_key",
    "shared_beginning",
    "syllable_change",
    "syllable_containment",
    "syllable_rotation",
    "syllable_runs",
    "syllables",
    "whole_reading",
    "writes_syllables",
]

CONTAINED_MIN_SYLLABLES = 2
CONTAINED_MIN_SHARE = 0.3  # of the longer mark's syllables, as the Latin closed-up rule
CONTAINMENT_TOP, CONTAINMENT_SPAN = 0.95, 0.1
CHANGE_MIN_SYLLABLES = 3
CHANGE_SCORE = 0.82
ROTATION_MIN_PART = 2  # syllables of each part of a closed-up transposition
LEADING_SYLLABLES = 3
SHARED_SCORE = 0.82
MAX_SYLLABLES = 12
MAX_CONTAINED_SYLLABLES = 64  # the longest reading found inside another by its keys
"""The most syllables of a mark its one-syllable-change keys are made for (as the ``H:``
keys of `kg.analysis.rule_blocking`: a mark of more is a phrase, compared by spelling)."""

_SYLLABIC = (
    "\u3041-\u3096\u309d-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana, the long-vowel mark
    "\uac00-\ud7a3"  # Hangul syllables
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Chinese characters
)
_RUN = re.compile(f"[{_SYLLABIC}]+")
_KANA = re.compile("[\u3041-\u30ff]")
_HAN_RUN = re.compile(f"(?:{HAN.pattern})+")  # `kg.analysis.scripts.whole_han`, as a match
_WORD_BREAK = re.compile(r"[\W_]+")
_SMALL_KANA = frozenset("ァィゥェォャュョヮ")  # they bend the kana before: one sound
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def writes_syllables(text: str) -> bool:
    """Whether `text` writes Chinese characters, Hangul syllables or kana (beside digits,
    symbols or other letters or not): what this module compares syllable by syllable.

    >>> writes_syllables("鉅名2"), writes_syllables("양지"), writes_syllables("SONY")
    (True, True, False)
    """
    return _RUN.search(text) is not None


def syllables(run: str) -> tuple[str, ...]:
    """The syllables of a run of Chinese characters, Hangul or kana (hiragana as katakana).

    >>> syllables("스타벅스"), syllables("しゃぶしゃぶ"), syllables("乐高")
    (('스', '타', '벅', '스'), ('シャ', 'ブ', 'シャ', 'ブ'), ('乐', '高'))
    """
    if not _KANA.search(run):
        return tuple(run)
    found: list[str] = []
    for char in run.translate(_HIRAGANA_TO_KATAKANA):
        if char in _SMALL_KANA and found:
            found[-1] += char
        else:
            found.append(char)
    return tuple(found)


class _Form(NamedTuple):
    runs: tuple[tuple[str, ...], ...]  # each word's runs of syllables
    total: int  # syllables in all runs
    reading: tuple[str, ...]  # `whole_reading`
    han: bool  # Chinese characters alone


_NO_FORM = _Form((), 0, (), False)


@lru_cache(maxsize=65536)
def _form(text: str) -> _Form:
    if text.isascii():
        return _NO_FORM
    folded = normalize(text)
    if _RUN.fullmatch(folded) and not _WORD_BREAK.search(text):  # one word, these scripts
        reading = syllables(folded)
        return _Form((reading,), len(reading), reading, bool(_HAN_RUN.fullmatch(folded)))
    runs: list[tuple[str, ...]] = []
    others: list[str] = []
    for word in _WORD_BREAK.split(unicodedata.normalize("NFKC", text)):
        folded_word = normalize(word)
        if not folded_word:
            continue
        runs.extend(syllables(run) for run in _RUN.findall(folded_word))
        rest = _RUN.sub(" ", folded_word).split()
        others.extend(roman for part in rest if (roman := romanize(part)))
    if not runs:
        return _NO_FORM
    reading = tuple(s for run in runs for s in run)
    total = len(reading)
    if others:
        heard = _skeleton(romanize("".join(reading)))
        initials = "".join(romanize(s)[:1] for s in reading)
        if any(other != initials and _skeleton(other) != heard for other in others):
            reading = ()
    return _Form(tuple(runs), total, reading, bool(_HAN_RUN.fullmatch(folded)))


def syllable_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of syllables of a mark, word by word (other scripts and spaces end a run).

    >>> syllable_runs("해표 순창궁"), syllable_runs("비트루트(BeatRoot)")
    ((('해', '표'), ('순', '창', '궁')), (('비', '트', '루', '트'),))
    >>> syllable_runs("AWS")
    ()
    """
    return _form(text).runs


def whole_reading(text: str) -> tuple[str, ...]:
    """A mark's syllables when it is written in these scripts alone, or beside Latin words
    that are their reading (the same consonants, ``R`` = ``L``, or the initials of its
    syllables: ``联通LT``); else ``()``.

    >>> whole_reading("불닭"), whole_reading("CER 세르"), whole_reading("联通LT")
    (('불', '닭'), ('세', '르'), ('联', '通'))
    >>> whole_reading("LG25시"), whole_reading("HALMAE KOREAN FOOD 우리할매")
    ((), ())
    """
    return _form(text).reading


def _skeleton(roman: str) -> str:
    return consonant_skeleton(roman).replace("6", "4")


def syllable_containment(a: str, b: str) -> tuple[float, str] | None:
    """(score, shared syllables) when one mark's whole reading begins or ends a word of the
    other (module docs); the score falls from 0.95 to 0.85 as the added syllables reach the
    shared ones.

    >>> syllable_containment("불닭", "홍초불닭")
    (0.85, '불닭')
    >>> syllable_containment("매일", "매일만나 MAEILMANNA")
    (0.85, '매일')
    >>> syllable_containment("흥부", "흥부가 기가막혀") is None  # 2 of 7 syllables
    True
    >>> syllable_containment("小米", "小米科技") is None  # Chinese alone: the Han rule's
    True
    """
    form_a, form_b = _form(a), _form(b)
    if form_a.han and form_b.han:
        return None
    for short, long in ((form_a, form_b), (form_b, form_a)):
        form, total = short.reading, long.total
        n = len(form)
        if n < CONTAINED_MIN_SYLLABLES or total <= n or n < CONTAINED_MIN_SHARE * total:
            continue
        if any(run[:n] == form or run[-n:] == form for run in long.runs):
            added = (total - n) / total
            score = CONTAINMENT_TOP - CONTAINMENT_SPAN * 2 * min(added, 0.5)
            return round(score, 4), "".join(form)
    return None


def _onset_and_vowel(syllable: str) -> str | None:
    """A Hangul syllable without its final consonant (``갓`` -> ``가``), else ``None``."""
    code = ord(syllable[0]) if len(syllable) == 1 else 0
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    return chr(code - (code - _HANGUL_FIRST) % 28)


def syllable_change(a: str, b: str) -> float | None:
    """A score when two marks of the same three or more syllables differ in one syllable,
    not the first, and at most one final consonant (module docs).

    >>> syllable_change("스타벅스", "스타밥스"), syllable_change("처갓집", "처가방")
    (0.82, 0.82)
    >>> syllable_change("산삼동자", "홍삼동자") is None  # the first syllable
    True
    >>> syllable_change("이차돌", "일차돌"), syllable_change("하우웰", "한우리")
    (0.82, None)
    >>> syllable_change("봉구비어", "봉구치킨") is None  # two syllables
    True
    """
    form_a, form_b = whole_reading(a), whole_reading(b)
    if len(form_a) != len(form_b) or len(form_a) < CHANGE_MIN_SYLLABLES:
        return None
    changed, weak = [], 0
    for i, (x, y) in enumerate(zip(form_a, form_b, strict=True)):
        if x == y:
            continue
        onset = _onset_and_vowel(x)
        if onset is not None and onset == _onset_and_vowel(y):
            weak += 1
        else:
            changed.append(i)
    if weak > 1 or len(changed) > 1 or (not changed and not weak):
        return None
    if changed and form_a[0] != form_b[0]:  # the first syllable, heard most, is kept
        return None
    return CHANGE_SCORE


def syllable_rotation(a: str, b: str) -> str | None:
    """The first mark's part that the second puts last, when both are one word of Hangul or
    kana, four syllables or more, one the other with its two parts swapped (module docs).

    >>> syllable_rotation("바다별빛", "별빛바다"), syllable_rotation("ヒカリソラ", "そらひかり")
    ('바다', 'ヒカリ')
    >>> [syllable_rotation(*pair) for pair in [("바다별빛", "바다별빛"), ("바다별", "별바다")]]
    [None, None]
    >>> [syllable_rotation(*pair) for pair in [("스타벅스", "벅스스타스"), ("優肌優", "肌優優")]]
    [None, None]
    """
    one, other = _rotatable(a), _rotatable(b)
    if not one or len(one) != len(other) or one == other:
        return None
    for cut in range(ROTATION_MIN_PART, len(one) - ROTATION_MIN_PART + 1):
        if one[cut:] + one[:cut] == other:
            return "".join(one[:cut])
    return None


def rotation_key(text: str) -> str | None:
    """A mark's syllables sorted, where `syllable_rotation` may pair it (blocking), else None.

    >>> rotation_key("바다별빛") == rotation_key("별빛바다"), rotation_key("小米科技")
    (True, None)
    """
    found = _rotatable(text)
    return "".join(sorted(found)) if found else None


def _rotatable(text: str) -> tuple[str, ...]:
    """A mark's syllables in Hangul or kana, its words closed up (not Chinese characters:
    compared by `kg.analysis.similarity_rules.transposition`), four to `MAX_SYLLABLES`;
    else ``()``."""
    form = _form(text)
    if form.han or form.total != len(form.reading):  # Chinese characters; other words too
        return ()
    found = form.reading  # its words closed up: 별빛 바다 reads as 별빛바다
    return found if 2 * ROTATION_MIN_PART <= len(found) <= MAX_SYLLABLES else ()


def shared_beginning(a: str, b: str) -> str | None:
    """The first three syllables or more that a word of each mark begins with, when neither
    mark is only those and they are not a weak word (module docs).

    >>> shared_beginning("ヒルドイド", "ヒルドマイルド")
    'ヒルド'
    >>> shared_beginning("순창궁전", "해표 순창궁")
    '순창궁'
    >>> shared_beginning("봉구비어", "봉구치킨") is None  # two syllables
    True
    """
    (runs_a, total_a, *_), (runs_b, total_b, *_) = _form(a), _form(b)
    best: tuple[str, ...] = ()
    for run_a in runs_a:
        for run_b in runs_b:
            if run_a[:LEADING_SYLLABLES] != run_b[:LEADING_SYLLABLES]:
                continue
            k = LEADING_SYLLABLES
            while k < min(len(run_a), len(run_b)) and run_a[k] == run_b[k]:
                k += 1
            if k < total_a and k < total_b and k > len(best):
                best = run_a[:k]
    if not best or is_weak(romanize("".join(best))):
        return None
    return "".join(best)


def one_change_patterns(form: tuple[str, ...]) -> set[str]:
    """Blocking patterns of `syllable_change`: the reading with its final consonants dropped
    and one syllable but the first made a wildcard.

    >>> sorted(one_change_patterns(("처", "갓", "집")))
    ['처?지', '처가?']
    """
    if not CHANGE_MIN_SYLLABLES <= len(form) <= MAX_SYLLABLES:
        return set()
    plain = [_onset_and_vowel(s) or s for s in form]
    return {"".join([*plain[:i], "?", *plain[i + 1 :]]) for i in range(1, len(plain))}


def contained_affixes(runs: tuple[tuple[str, ...], ...]) -> set[str]:
    """Where a whole reading may stand in a mark of these `runs` (`syllable_containment`):
    the beginnings and ends of its words of two syllables or more and 30% of the mark, up to
    `MAX_CONTAINED_SYLLABLES` (the keys' total size stays linear in the mark's length; a
    longer reading inside another is scored by `compare` but not proposed by its keys, as
    Latin marks of more than 64 characters, `kg.analysis.similarity_rules.AFFIX_MAX_LENGTH`).

    >>> sorted(contained_affixes((("홍", "초", "불", "닭"),)))
    ['불닭', '초불닭', '홍초', '홍초불']
    """
    total = sum(map(len, runs))
    least = max(CONTAINED_MIN_SYLLABLES, -(-total * 3 // 10))
    found: set[str] = set()
    for run in runs:
        for n in range(least, min(len(run), total - 1, MAX_CONTAINED_SYLLABLES) + 1):
            found.update(("".join(run[:n]), "".join(run[-n:])))
    return found
