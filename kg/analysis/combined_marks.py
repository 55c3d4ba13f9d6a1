"""Marks that show a name in two scripts side by side: evidence in the graph that they match.

A comparison of texts cannot tell that ``佳能`` is Canon's Chinese name, or ``骆驼`` the
Chinese for CAMEL; a register often can. Brand owners (and those copying them) file the two
names together as one sign — ``佳能 Canon``, ``骆驼 CAMEL``, ``스타벅스 STARBUCKS``,
``雪中梅 설중매`` — and such a mark says that its two parts name the same thing. So
who-else-uses, asked about one part, also looks for the marks similar to the other part,
with the reason ``combined-mark`` and a score of at most `COMBINED_SCORE` (below a stated
translation, `kg.analysis.stated_texts.STATED_SCORE`: the pairing is read from the sign,
not stated by its owner).

Which marks count: a verbal element made of exactly two runs of letters in two different
scripts (Unicode script property, through the `regex` package), each run at least
`MIN_RUN_LETTERS` letters and a distinctive word (`kg.analysis.elements`: not ``TM``,
``DESIGN``, a legal form or initials alone). Han with kana does not count: Japanese writes one
word in both (``ソニー銀行`` is "Sony Bank", not Sony's name twice). The part asked about must match
its run nearly exactly (`kg.analysis.stated_texts.SAME_MARK`), and so must the marks found
through the other part, unless they contain it (`kg.analysis.service`: one step of likeness,
not two — ``金鹤 GOLDEN CRANE`` does not make GOLDEN CRANE find ``银河``, whose pinyin YINHE is
only near JINHE).

Sources: CNIPA and Chinese courts read a Chinese mark and its Latin counterpart as one brand
when the public links them (e.g. 佳能 / Canon, 米其林 / MICHELIN, decided pairs in
``bench/decisions/asia.csv``); EUIPO Guidelines, Part C, Section 2, Chapter 4, 3.4
"Conceptual comparison" (marks in different scripts compared by meaning where the public
understands it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kg.analysis.elements import MIN_RUN_LETTERS, runs, script_elements
from kg.analysis.evidence import EvidencePair, Statement, pairs_through
from kg.analysis.similarity import MarkSimilarity, compare
from kg.analysis.stated_texts import SAME_MARK
from kg.analysis.verbal import verbal_element
from kg.namespaces import TM

__all__ = [
    "COMBINED_REASON",
    "COMBINED_SCORE",
    "MIN_RUN_LETTERS",
    "combined_equivalents",
    "combined_pairs",
    "runs",
]

COMBINED_SCORE = 0.85
"""The highest score the other part of a combined mark gives (the threshold is 0.8)."""
COMBINED_REASON = "combined-mark"
_TEXT = f"{TM}text"


def _pair(text: str) -> tuple[str, str] | None:
    """The two parts of a combined mark, or None when `text` is not one."""
    verbal = verbal_element(text)
    if verbal is None:  # an office's placeholder for a figure: no names at all
        return None
    parts = script_elements(verbal)
    return (parts[0], parts[1]) if parts else None


def combined_equivalents(
    text: str, similar: Mapping[str, MarkSimilarity], marks: Mapping[str, str]
) -> list[tuple[str, str, tuple[Statement, ...]]]:
    """(reason, text, the combined marks' texts saying so) for each other part of the combined
    marks among `similar` (mark IRI -> similarity to `text`, the mark asked about; `marks`:
    IRI -> text) whose one part is nearly `text` (`SAME_MARK`): asked about CANON, the mark
    ``佳能 Canon`` says to look for ``佳能`` too. Each text once, in a stable order; a
    statement is (mark IRI, ``tm:text``, its text), for the hits to cite
    (`kg.analysis.evidence`).

    >>> marks = {"m1": "佳能 Canon", "m2": "APPLE PAY", "m3": "佳能", "m4": "CANON 佳能 & Design"}
    >>> similar = {iri: compare("CANON", t) for iri, t in marks.items()}
    >>> [(reason, other, [s[0] for s in said])
    ...  for reason, other, said in combined_equivalents("CANON", similar, marks)]
    [('combined-mark', '佳能', ['m1', 'm4'])]
    >>> combined_equivalents("APPLE", {"m2": compare("APPLE", "APPLE PAY")}, marks)
    []
    """
    found: dict[str, list[Statement]] = {}
    for iri in sorted(similar):
        shown = marks.get(iri, "")
        pair = _pair(shown)
        if pair is None:
            continue
        first, second = (compare(text, part).score >= SAME_MARK for part in pair)
        if first != second:  # (both: a transliteration, such as МИР MIR; nothing new)
            found.setdefault(pair[1] if first else pair[0], []).append((iri, _TEXT, shown))
    return [(COMBINED_REASON, other, tuple(said)) for other, said in found.items()]


SimilarMarks = Callable[[str, float], Mapping[str, MarkSimilarity]]
"""(text, floor) -> mark IRI -> its similarity to the text, for every mark at the floor or
above (`kg.analysis.service.Analyst`: the mark index's candidates, scored by `compare`)."""


def combined_pairs(
    marks: Mapping[str, str],
    similar_marks: SimilarMarks,
    min_similarity: float,
    canonical: Callable[[str], str] = str,
) -> list[EvidencePair]:
    """The pairs of marks (canonical IRIs) that the combined marks among `marks` (IRI ->
    text) make alike, as who-else-uses reads them (`combined_equivalents`): for each combined
    mark and each of its parts, a mark X nearly that part (`SAME_MARK`) but not the other,
    which the combined mark is similar to (so who-else-uses, asked about X, reads it), meets
    every mark F nearly the other part or containing it, with the reason ``combined-mark``
    and the score of F against that part, at most `COMBINED_SCORE`. Each pair once (the
    better score; at equal scores, the statements of every combined mark saying so).

    Costs two searches of the mark index per combined mark (a few per cent of a register's
    marks: two runs of letters in two scripts).
    """
    found: dict[tuple[str, str, str], EvidencePair] = {}
    combined = sorted(
        (iri, text, pair)
        for iri, text in marks.items()
        if not text.isascii() and (pair := _pair(text)) is not None
    )
    for iri, text, pair in combined:
        said: Statement = (iri, _TEXT, text)
        evidence = (
            MarkSimilarity(COMBINED_SCORE, (COMBINED_REASON,)),
            (said,),
            f"the mark {text!r} shows both names",
        )
        for asked, other in (pair, pair[::-1]):
            pairs_through(
                found,
                asked,
                other,
                evidence,
                marks,
                similar_marks,
                (SAME_MARK, min_similarity),
                canonical,
                lambda x, text=text: compare(marks[x], text).score >= min_similarity,
            )
    return list(found.values())
