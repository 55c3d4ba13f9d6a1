"""What a registration states its mark means or reads as: evidence of similarity in the graph.

A comparison of texts cannot see that ``LUPO`` is Italian for ``WOLF`` or that ``北风`` reads
``BEI FENG``; an application often says so itself (`tm:markTranslation`,
`tm:markTransliteration`: ST.96 ``MarkTranslationText`` and ``MarkTransliteration``, the
USPTO's translation and transliteration statements). who-else-uses counts a registration
whose stated translation or transliteration is similar to the mark asked about, with the
reason ``stated-translation`` or ``stated-transliteration`` and a score of at most
:data:`STATED_SCORE`: the office's file, not the marks' texts, makes them alike. It works
both ways: asked about ``北风``, the statement of a registration of ``北风`` (NORTH WIND) finds
the marks similar to NORTH WIND (:func:`equivalents_of`).

The USPTO writes its statements as sentences (USPTO TMEP 809.03, e.g. 'The English
translation of "LUZ CLARA" in the mark is "clear light".'): where a statement quotes words,
each quoted part is an equivalent; otherwise the whole statement is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from kg.analysis.evidence import EvidencePair, Statement, keep_pair, second_step
from kg.analysis.scripts import words
from kg.analysis.similarity import KeyedTexts, MarkSimilarity
from kg.analysis.similarity_rules import find_run
from kg.namespaces import TM

__all__ = [
    "STATED_REASONS",
    "STATED_SCORE",
    "StatedMatch",
    "equivalents",
    "equivalents_of",
    "stated_matches",
    "stated_pairs",
]

STATED_SCORE = 0.9
"""The highest score a stated equivalent gives: below ``folded`` and ``transliteration``."""
STATED_REASONS = {
    "markTranslation": "stated-translation",
    "markTransliteration": "stated-transliteration",
}
_QUOTED = re.compile(r"[\"“”„«»「」『』]([^\"“”„«»「」『』]{1,200})[\"“”„«»「」『』]")


def equivalents(statement: str, mark: str | None = None) -> list[str]:
    """The words a statement gives as the mark's equivalents.

    Where a statement quotes words, each quoted part is an equivalent; otherwise the whole
    statement is. Given the `mark`'s text, a quoted part that is the mark itself or words of
    it is not an equivalent: the part after the whole mark is its translation, and the parts
    after words of it translate those words, so the mark with them put in their place is
    the equivalent (TMEP 809.03 writes one sentence per mark, translating each word:
    'The English translation of "CASA" in the mark is "house" and "BELLA" is "beautiful".').

    >>> equivalents('The English translation of "LUZ CLARA" in the mark is "clear light".')
    ['LUZ CLARA', 'clear light']
    >>> equivalents("NORTH WIND")
    ['NORTH WIND']
    >>> equivalents('The English translation of "LUZ CLARA" in the mark is "clear light".',
    ...             "LUZ CLARA")
    ['clear light']
    >>> equivalents('The English translation of "CASA" in the mark is "house" and "BELLA" is '
    ...             '"beautiful".', "Casa Bella")
    ['house beautiful']
    >>> equivalents('The English translation of "LUZ" in the mark is "light".', "LUZ CLARA")
    ['light CLARA']
    """
    quoted = [part.strip() for part in _QUOTED.findall(statement) if part.strip()]
    if not quoted:
        return [statement.strip()]
    if mark is None:
        return quoted
    found: list[str] = []
    whole, replaced = words(mark), mark
    parts = iter(quoted)
    for part in parts:
        own = words(part)
        if not own or find_run(own, whole) < 0:
            found.append(part)  # not the mark's own words: an equivalent
            continue
        meaning = next(parts, None)  # what the mark's words mean, when the statement says
        if meaning is None:
            break
        if own == whole:
            found.append(meaning)
        else:
            replaced = _replace_words(replaced, part, meaning)
    if replaced != mark:
        found.append(" ".join(replaced.split()))
    return list(dict.fromkeys(found))


def _replace_words(text: str, part: str, meaning: str) -> str:
    """`text` with its words `part` (as written or otherwise cased) replaced by `meaning`."""
    pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, part.split())) + r"(?!\w)"
    return re.sub(pattern, lambda _: meaning, text, count=1, flags=re.IGNORECASE)


@dataclass(frozen=True)
class StatedMatch:
    """A registration whose stated equivalent of its mark is similar to the text asked."""

    registration: str
    mark: str
    similarity: MarkSimilarity


class _StatedIndex:
    def __init__(self, select: Callable[[str], list[dict[str, str | None]]]) -> None:
        rows = select(
            f"""SELECT DISTINCT ?r ?m ?p ?t ?text WHERE {{
                  VALUES ?p {{ <{TM}markTranslation> <{TM}markTransliteration> }}
                  ?r ?p ?t ; <{TM}mark> ?m OPTIONAL {{ ?m <{TM}text> ?text }} }}"""
        )
        # registration, mark, reason, text, the statement (its property and lexical form)
        self.entries: list[tuple[str, str, str, str, tuple[str, str]]] = []
        self.by_text: dict[str, list[int]] = {}
        self.by_mark: dict[str, list[int]] = {}
        self.texts = KeyedTexts()
        for row in rows:
            registration, mark, predicate, statement = row["r"], row["m"], row["p"], row["t"]
            if not (registration and mark and predicate and statement):
                continue
            reason = STATED_REASONS[predicate.removeprefix(str(TM))]
            for text in equivalents(statement, row.get("text")):
                self.entries.append((registration, mark, reason, text, (predicate, statement)))
                self.by_text.setdefault(text, []).append(len(self.entries) - 1)
                self.by_mark.setdefault(mark, []).append(len(self.entries) - 1)
                self.texts.add(text)

    def matches(self, text: str, min_similarity: float) -> list[StatedMatch]:
        best: dict[str, StatedMatch] = {}
        similar = self.texts.similar(text, min_similarity)
        for at in sorted(at for stated in similar for at in self.by_text[stated]):
            registration, mark, reason, stated, _ = self.entries[at]
            score = min(similar[stated].score, STATED_SCORE)
            if score < min_similarity:
                continue
            known = best.get(registration)
            if known is None or known.similarity.score < score:
                best[registration] = StatedMatch(
                    registration, mark, MarkSimilarity(score, (reason,))
                )
        return list(best.values())


_INDEXES: WeakKeyDictionary[object, _StatedIndex] = WeakKeyDictionary()

SAME_MARK = 0.93
"""How alike the mark asked about and a registered mark must be for that registration's
statements to speak for the mark asked about (``transliteration`` and above)."""


def _index(facts: object, select: Callable[[str], list[dict[str, str | None]]]) -> _StatedIndex:
    index = _INDEXES.get(facts)
    if index is None:
        index = _INDEXES[facts] = _StatedIndex(select)
    return index


def equivalents_of(
    facts: object,
    select: Callable[[str], list[dict[str, str | None]]],
    similar: dict[str, MarkSimilarity],
) -> list[tuple[str, str, tuple[Statement, ...]]]:
    """(reason, text, the statements saying so) of what the registrations of the marks in
    `similar` (mark IRI -> similarity to the mark asked about) state their mark means or
    reads as, for the marks nearly the same as the one asked about (`SAME_MARK`): the other
    way round, ``北风`` asked about, the registration of ``北风`` stating NORTH WIND says to
    look for NORTH WIND. Each (reason, text) once, in a stable order; a statement is
    (registration IRI, property IRI, its lexical form)."""
    index = _index(facts, select)
    found: dict[tuple[str, str], list[Statement]] = {}
    for mark in sorted(similar):
        if similar[mark].score < SAME_MARK:
            continue
        for at in index.by_mark.get(mark, ()):
            registration, _, reason, text, (prop, statement) = index.entries[at]
            found.setdefault((reason, text), []).append((registration, prop, statement))
    return [(reason, text, tuple(said)) for (reason, text), said in found.items()]


def stated_matches(
    facts: object,
    select: Callable[[str], list[dict[str, str | None]]],
    text: str,
    min_similarity: float,
) -> list[StatedMatch]:
    """Registrations stating a translation or transliteration of their mark similar to
    `text` (by `compare`, found through blocking keys), each once with its best match. The
    index is built once per `facts` (a FactBase: one state of the store)."""
    return _index(facts, select).matches(text, min_similarity)


_SAID = {"stated-translation": "translation", "stated-transliteration": "transliteration"}


def stated_pairs(
    facts: object,
    select: Callable[[str], list[dict[str, str | None]]],
    marks: Mapping[str, str],
    similar_marks: Callable[[str, float], Mapping[str, MarkSimilarity]],
    min_similarity: float,
    canonical: Callable[[str], str] = str,
) -> list[EvidencePair]:
    """The pairs of marks (canonical IRIs) the registrations' statements make alike, as
    who-else-uses reads them, both ways: the registration stating an equivalent meets every
    mark F similar to it (`stated_matches`: only that registration, on the left), and every
    mark nearly its own (`SAME_MARK`) meets each F nearly the equivalent or containing it
    (`equivalents_of`). The reason is ``stated-translation`` or ``stated-transliteration``,
    the score F's against the equivalent, at most `STATED_SCORE`. `marks`: IRI -> text;
    `similar_marks`: (text, floor) -> mark IRI -> similarity (the mark index's candidates
    scored by `compare`). Costs two searches of the mark index per statement."""
    found: dict[tuple[str, str, str], EvidencePair] = {}
    for registration, mark, reason, text, (prop, statement) in _index(facts, select).entries:
        own = marks.get(mark)
        said: Statement = (registration, prop, statement)
        explanation = f"a registration of {own!r} states its {_SAID[reason]} {text!r}"
        hits = similar_marks(text, min_similarity)
        askers = set(similar_marks(own, SAME_MARK)) if own is not None else set()
        for f, similarity in hits.items():
            evidence = MarkSimilarity(min(similarity.score, STATED_SCORE), (reason,))
            right = canonical(f)
            sides = [(canonical(mark), registration)]  # the registration itself
            if similarity.score >= SAME_MARK or "containment" in similarity.reasons:
                sides += [(canonical(x), None) for x in askers]  # marks nearly its mark
            why = explanation + second_step(text, marks[f], similarity, SAME_MARK)
            for left, only in sides:
                if left != right:
                    keep_pair(found, EvidencePair(left, right, evidence, (said,), why, only))
    return list(found.values())
