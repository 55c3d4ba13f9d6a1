"""Search: parties, marks and cases whose names, texts or numbers match a free text.

A pure function over what `kg.analysis.facts.FactBase` reads. Names and case numbers are
scored with rapidfuzz's weighted ratio (so a word or a prefix of a long name scores high);
marks also with `kg.analysis.similarity.compare`, so a mark matches its pinyin, its folded
spelling or a phonetic twin, and the better of the two scores counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process, utils

from kg.analysis.model import PartyRef, SearchHit
from kg.analysis.similarity import compare

__all__ = ["DEFAULT_MIN_SCORE", "search_hits"]

DEFAULT_MIN_SCORE = 0.6
_KIND_ORDER = {"party": 0, "mark": 1, "case": 2}


def search_hits(
    text: str,
    *,
    parties: Iterable[PartyRef],
    marks: Mapping[str, str],
    similar_marks: Iterable[str] = (),
    cases: Mapping[str, str | None],
    limit: int = 10,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[SearchHit]:
    """The best matches for `text`, highest score first (ties: parties, marks, cases).

    `marks` maps mark IRIs to texts; `similar_marks` are IRIs a blocking index already found
    for `text` (compared with the mark similarity); `cases` maps case IRIs to numbers.

    >>> hits = search_hits(
    ...     "actionsoft",
    ...     parties=[PartyRef("id:a", "Beijing ActionSoft Co.", aliases=("炎黄盈动",))],
    ...     marks={"id:m": "AWS"},
    ...     cases={"id:c": "(2018)京民初127号"},
    ... )
    >>> [(h.kind, h.label, h.score) for h in hits]
    [('party', 'Beijing ActionSoft Co.', 0.9)]
    """
    wanted = text.strip()
    if not wanted:
        return []
    best: dict[tuple[str, str], SearchHit] = {}

    def offer(kind: str, iri: str, label: str, matched: str, score: float) -> None:
        if score < min_score:
            return
        key = (kind, iri)
        if key not in best or score > best[key].score:
            best[key] = SearchHit(kind, iri, label, matched, round(score, 3))

    names: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for party in parties:
        labels[party.id] = party.name
        for name in (party.name, *party.aliases):
            names.setdefault(name, []).append(("party", party.id))
    for iri, number in cases.items():
        tail = iri.rsplit("/", 1)[-1]
        labels[iri] = f"case {number}" if number else f"case {tail}"
        for name in filter(None, (number, tail)):
            names.setdefault(name, []).append(("case", iri))
    for name, score, _ in _fuzzy(wanted, names, limit):
        for kind, iri in names[name]:
            offer(kind, iri, labels[iri], name, score)

    texts: dict[str, list[str]] = {}
    for iri, mark_text in marks.items():
        texts.setdefault(mark_text, []).append(iri)
    for iri in similar_marks:
        if iri in marks:
            offer("mark", iri, marks[iri], marks[iri], compare(wanted, marks[iri]).score)
    for mark_text, score, _ in _fuzzy(wanted, texts, limit):
        similarity = max(score, compare(wanted, mark_text).score)
        for iri in texts[mark_text]:
            offer("mark", iri, mark_text, mark_text, similarity)

    ranked = sorted(best.values(), key=lambda h: (-h.score, _KIND_ORDER[h.kind], h.label, h.id))
    return ranked[:limit]


def _fuzzy(wanted: str, choices: Mapping[str, object], limit: int) -> list[tuple[str, float, int]]:
    """The `limit` × 3 best choices, scores scaled to 0–1.

    The weighted ratio rewards a word of a long name; for a query of under four letters that
    would match nearly anything, so a short query scores by the whole text, or 0.9 of the
    best-matching stretch of it (``127`` finds ``(2018)京民初127号``).
    """
    short = len(utils.default_process(wanted).replace(" ", "")) < 4
    found = process.extract(
        wanted,
        list(choices),
        scorer=_short_ratio if short else fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 3,
        score_cutoff=50,
    )
    return [(choice, score / 100, index) for choice, score, index in found]


def _short_ratio(query: str, choice: str, **options: object) -> float:
    return max(fuzz.ratio(query, choice), 0.9 * fuzz.partial_ratio(query, choice))
