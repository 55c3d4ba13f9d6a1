"""Conflicts: pairs of parties holding similar marks in related classes in one jurisdiction.

Risk score (0-1), each factor explained in the result's reasons:

    score = mark similarity x class factor x role factor x time factor  (+0.1 if a case exists)

- mark similarity: `kg.analysis.similarity.compare` (1.0 exact ... 0.8 the default floor).
- class factor: 1.0 for a shared class; the documented relatedness of the closest pair of
  classes (``schema/nice.ttl``) when related (>= 0.4); 0.5 when either side states no class;
  pairs whose classes are known and unrelated are not conflicts.
- role factor: 1.0 when one side holds a registration and the other only uses the mark (the
  classic infringement claim), 0.9 when both hold registrations (both were granted, so an
  office judged them apart once), 0.7 when neither holds a registration (no registered right).
  A pending application counts as a filing here, and the reasons say it is one.
- time factor: 0.8 when both holdings have known periods that never overlap, else 1.0.
- case bonus: +0.1 (capped at 1.0) when a case between the two parties exists in the graph
  on the date asked (filed by then: `TimelineFacts.case_parties_on`).

A party operating a mark on another's behalf (a licensee or local partner) is not in conflict
with the brand owner. The co-owners of one registration hold one right: they never conflict
with each other, and a conflict between two rights names every holder of each
(`ConflictPair.holders`), not one row per pair of co-owners.

Candidates are found by blocking: only marks sharing a blocking key
(`kg.analysis.similarity.blocking_keys`) are compared, never all pairs, and each distinct pair
of texts is compared once. The mark index (`kg.analysis.mark_index`) keeps those similar pairs
as marks are loaded, so a search reads them and reads only the holdings that meet another
(`conflict_marks_by_place`); without an index, or below its floor, they are computed, with the same
result. Of two holding pairs scoring the same for one pair of parties in one place, the one
with the smaller holding IRIs is shown, whichever is met first.

A regional or international right (EM, BX, OA, WO) meets others in every jurisdiction it covers
on the date (`kg.analysis.coverage`): an EU trade mark and a French mark conflict in FR, the
reasons say so; two EU trade marks meet once, in EM (or in the jurisdiction asked).

Dead rights (expired, abandoned, refused, cancelled... on the date asked), and rights that do
not exist yet then (not filed, a use not begun, an owner not yet the owner), are left out
before (`kg.analysis.lifecycle.on_date`); kept on request, a pair with one is marked ``lapsed`` and
its reasons say when and why the right ended.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import defaultdict
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from itertools import chain, combinations
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.analysis.co_owners import co_owners
from kg.analysis.coverage import covers, pair_in_place, places, route_notes
from kg.analysis.dates import PartialDate
from kg.analysis.designations import designation_note
from kg.analysis.evidence import EvidencePair
from kg.analysis.holding_statements import cited_graphs, shown
from kg.analysis.homoglyphs import look_alike_note
from kg.analysis.mark_kinds import compared_label, compared_text
from kg.analysis.model import (
    FILED_KINDS,
    ConflictPair,
    Holding,
    HoldingKind,
    PartyRef,
    SourceRef,
    source_refs,
    with_names,
)
from kg.analysis.resolution import name_match
from kg.analysis.rule_blocking import ANCHOR_KINDS, RULE_KEY_KINDS, bucket_anchors, bucket_pairs
from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    HEARD_MIN_EDIT,
    PHONETIC_MIN_EDIT,
    ROMAN_KEY,
    SOUND_KEY,
    MarkSimilarity,
    blocking_keys,
    comparable_form,
    compare,
    element_note,
    spoken_pairs,
)
from kg.analysis.translations import meaning_note
from kg.analysis.usage import held_coverage
from kg.lazy import lazy_module

np = lazy_module("numpy")  # loaded on first use (~0.1 s): kg.lazy

__all__ = [
    "CONFLICT_BATCH_MARKS",
    "DEFAULT_MIN_SCORE",
    "SimilarTexts",
    "candidate_text_pairs",
    "compared_reason",
    "conflict_marks_by_place",
    "conflict_rank",
    "find_conflicts",
    "merge_conflicts",
    "place_batches",
    "rule_notes",
    "score_pair",
    "top_conflicts",
]

DEFAULT_MIN_SCORE = 0.5
PREFILTER_SIMILARITY = PHONETIC_MIN_EDIT - 1e-6  # float32 scores must not drop a pair at 0.5
"""The lowest romanized-form similarity at which `compare`'s spelling and sound reasons
(``phonetic``, ``fuzzy``) can still reach 0.8, but for marks pronounced the same."""
HEARD_PREFILTER = HEARD_MIN_EDIT - 1e-6
"""The same for two marks in one pronunciation bucket (``A:``): ``phonetic`` from 0.3."""
_SMALL_BUCKET = 24
UNKNOWN_CLASS_FACTOR = 0.5
RELATED_CLASSES = 0.4
"""The relatedness (``schema/nice.ttl``) below which two holdings' classes are unrelated."""
CASE_BONUS = 0.1
CONFLICT_BATCH_MARKS = 50_000
"""Marks whose holdings a register-wide search reads at once (`place_batches`): their
holdings take ~4 KB each in memory while the batch's conflicts are found."""


def candidate_text_pairs(
    texts: Iterable[str], keys: Callable[[str], Iterable[str]] = blocking_keys
) -> set[tuple[str, str]]:
    """Pairs of distinct texts that share a blocking key (each pair once, sorted).

    In a bucket of a spelling or sound key only pairs whose romanized forms are at least
    `PREFILTER_SIMILARITY` alike are kept (a big bucket's in C++, rapidfuzz ``cdist``):
    `compare`'s spelling and sound reasons need that much (`HEARD_PREFILTER` in a bucket of
    one pronunciation), or whose forms with numbers said as words are (`spoken_pairs`: the
    ``numeral`` rule, as the mark index and a question read it). A bucket of a rule key
    (`kg.analysis.rule_blocking`) gives the pairs its rule can fire on; its anchors are the
    texts whose `keys` hold its twin (`rule_blocking.bucket_anchors`): `keys` gives the twins,
    as `blocking_keys` does.

    >>> sorted(candidate_text_pairs(["AWS", "A.W.S.", "TESLA"]))
    [('A.W.S.', 'AWS')]
    """
    unique = sorted(set(texts))
    buckets: dict[str, list[int]] = defaultdict(list)
    for position, text in enumerate(unique):
        for key in keys(text):
            buckets[key].append(position)
    roman = [comparable_form(text) for text in unique] if unique else []
    written = list(zip(unique, roman, strict=True))  # (text, romanized): `spoken_pairs`
    pairs: set[tuple[int, int]] = set()
    for key, bucket in buckets.items():
        if len(bucket) < 2 or key[:2] in ANCHOR_KINDS:
            continue
        if key[:2] in RULE_KEY_KINDS:
            anchors = bucket_anchors(key, buckets)
            pairs.update(bucket_pairs(key, bucket, unique.__getitem__, _always, anchors))
            continue
        if key.startswith(ROMAN_KEY):  # one romanized form (of the whole, or without INC.)
            pairs.update(combinations(bucket, 2))
            continue
        cutoff = HEARD_PREFILTER if key.startswith(SOUND_KEY) else PREFILTER_SIMILARITY
        pairs.update(spoken_pairs(bucket, bucket, written, cutoff))
        if len(bucket) <= _SMALL_BUCKET:
            pairs.update(
                (bucket[i], bucket[j])
                for i in range(len(bucket))
                for j in range(i + 1, len(bucket))
                if OSA.normalized_similarity(roman[bucket[i]], roman[bucket[j]]) >= cutoff
            )
            continue
        forms = [roman[position] for position in bucket]
        scores = process.cdist(
            forms,
            forms,
            scorer=OSA.normalized_similarity,
            score_cutoff=cutoff,
            dtype=np.float32,
            workers=-1,
        )
        rows, columns = np.nonzero(np.triu(scores, 1))
        pairs.update(zip((bucket[r] for r in rows), (bucket[c] for c in columns), strict=True))
    return {(unique[a], unique[b]) for a, b in pairs}


def compared_reason(left: Holding, right: Holding, similarity: MarkSimilarity) -> str:
    """A conflict's first reason: the marks compared, the rules that found them alike, and
    what the comparison read beyond the letters (a meaning: `meaning_note`; the element of
    a mark in two scripts: `element_note`; the letters of another script that look Latin:
    `look_alike_note`; a legal form or an address set aside: `designation_note`). Written
    only for the pairs kept (~30 µs a pair: most scored pairs are dropped)."""
    compared = (
        f"marks {compared_label(left)} and {compared_label(right)}: "
        f"{', '.join(similarity.reasons) or 'similar'} ({similarity.score:.2f})"
    )
    texts = compared_text(left), compared_text(right)
    if texts[0] and texts[1]:  # a meaning, an element, look-alike letters; INC., .COM
        notes = rule_notes(texts[0], texts[1], similarity.reasons)
        designation = designation_note(texts[0], texts[1]) if similarity.reasons else None
        compared += "".join(f"; {note}" for note in (*notes, designation) if note)
    return compared


def rule_notes(
    a: str, b: str, reasons: Sequence[str], jurisdiction: str | None = None
) -> tuple[str, ...]:
    """What the rules that fired between two marks read beyond the letters, in words: the
    meaning and its dictionary (``translation``: `meaning_note`), the element of a mark in
    two scripts (``script-element``: `element_note`), the letters of another script that
    look Latin (``homoglyph``: `look_alike_note`). Shared by conflicts, who-else-uses hits
    and `kg compare`."""
    notes = (
        meaning_note(a, b) if "translation" in reasons else None,
        element_note(a, b, jurisdiction) if "script-element" in reasons else None,
        *((look_alike_note(a), look_alike_note(b)) if "homoglyph" in reasons else ()),
    )
    return tuple(note for note in notes if note)


def score_pair(
    left: Holding,
    right: Holding,
    similarity: MarkSimilarity,
    relatedness: Mapping[frozenset[int], float],
    has_case: bool,
) -> tuple[float, float, list[str]] | None:
    """(score, class factor, reasons) for two holdings, or None if they cannot conflict.

    The first reason, what was compared and what the comparison said beyond the letters
    (`compared_reason`), is written by the caller for a pair it keeps: ``""`` here."""
    if left.party == right.party or _partners(left, right):
        return None
    class_factor, class_reason = _class_factor(left.classes, right.classes, relatedness)
    if class_factor == 0.0:
        return None
    filed = {h.kind in FILED_KINDS for h in (left, right)}
    applied = any(h.kind is HoldingKind.APPLICANT for h in (left, right))
    if filed == {True, False}:
        role_factor = 1.0
        role_reason = (
            "one side applied for the mark, the other only uses it"
            if applied
            else "one side registered the mark, the other only uses it"
        )
    elif filed == {True}:
        role_factor = 0.9
        role_reason = (
            "both sides hold registrations or pending applications"
            if applied
            else "both sides hold registrations"
        )
    else:
        role_factor, role_reason = 0.7, "neither side holds a registration"
    time_factor, time_reason = _time_factor(left, right)
    score = similarity.score * class_factor * role_factor * time_factor
    reasons = ["", class_reason, role_reason]
    if time_reason:
        reasons.append(time_reason)
    if has_case:
        score = min(1.0, score + CASE_BONUS)
        reasons.append("a case between the two parties exists")
    for holding in (left, right):
        if holding.lapsed:
            when = f" on {holding.ended}" if holding.ended else " (date not known)"
            number = holding.registration_number or holding.application_number
            what = f"No. {number}" if number else "the right"
            reasons.append(f"{holding.mark.text!r} ({what}) lapsed{when}: {holding.end_reason}")
    return round(score, 4), class_factor, reasons


class SimilarTexts(Protocol):
    """Stored similar pairs of texts (`kg.analysis.mark_index.MarkIndex`)."""

    similar_floor: float
    """The lowest similarity stored: a lower floor cannot be read from the store."""

    def similar_pairs(
        self, min_similarity: float, among: Collection[str] | None = None
    ) -> Iterable[tuple[str, str, MarkSimilarity]]:
        """Each pair of distinct texts sharing a blocking key, scoring `min_similarity` or
        more; with `among`, only the pairs of two of those texts."""
        ...

    def unknown_texts(self, texts: Iterable[str]) -> set[str]:
        """The texts with blocking keys that the store does not hold."""
        ...


def find_conflicts(
    holdings: Sequence[Holding],
    *,
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
    relatedness: Mapping[frozenset[int], float],
    cases: Iterable[tuple[str, str]] = (),
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    similar: SimilarTexts | None = None,
    evidence: Sequence[EvidencePair] = (),
    places_only: Container[str] | None = None,
    marks: Container[str] | None = None,
) -> list[ConflictPair]:
    """Every pair of parties in conflict, best-scoring holding pair each (and, where dead
    rights are kept, the best pair with a dead right beside it), highest risk first; the
    pairs of co-owners of the same two rights in one place are one conflict naming them
    all (`ConflictPair.holders`; `parties`, the best-scoring pair of them).

    `cases` holds (party, party) pairs (canonical IRIs) that already face each other in a case.
    With `similar` (the mark index, synced), similar pairs of distinct texts are read from it
    instead of being found by blocking and `compare`; the result is the same. It is not used
    when `min_similarity` is below its floor or it lacks a text (then pairs are computed).
    Ties keep the pair of holdings with the smaller IRIs, so the result never depends on the
    order in which pairs are met. `evidence` pairs marks the graph says match (a combined
    mark, a stated translation: `kg.analysis.evidence.EvidencePair`) whose holdings meet in
    one place; such a conflict cites what the evidence rests on and says it in its reasons.
    With `places_only` (jurisdiction codes), only the conflicts in those places are found, as
    they are found with every place (a register's places a few at a time:
    `merge_conflicts` joins the lists). With `marks` (canonical mark IRIs), only pairs of
    rights one of which is of those marks are weighed: each pair of parties' best pair
    over them (a mark's conflicts), not its best pair over all their rights.
    """
    litigants = {frozenset(pair) for pair in cases}
    held_with = co_owners(holdings)
    by_place: dict[str | None, dict[str, list[Holding]]] = defaultdict(lambda: defaultdict(list))
    for holding in holdings:
        if holding.jurisdiction is None:
            continue  # a use stated for no jurisdiction cannot conflict "in one jurisdiction"
        if jurisdiction is not None and not covers(holding, jurisdiction):
            continue
        text = compared_text(holding)  # the verbal element where stated
        if not text:
            continue  # a wordless (figurative...) mark, or one with no text stated, has no words
        for place in places(holding, jurisdiction):  # its own, and those its EM/WO right covers
            if places_only is None or place in places_only:
                by_place[place][text].append(holding)
    best: dict[tuple[str, str, str, bool], ConflictPair] = {}

    def pair_up(
        place: str | None,
        lefts: Sequence[Holding],
        rights: Sequence[Holding],
        similarity: MarkSimilarity,
        because: EvidencePair | None = None,
    ) -> None:
        for left in lefts:
            for right in rights:
                if marks is not None and left.mark.id not in marks and right.mark.id not in marks:
                    continue  # neither of the marks asked about
                if not pair_in_place(left, right, place, jurisdiction):
                    continue  # two EM rights conflict in EM, not again in each member
                if _held(held_with, left) & _held(held_with, right):
                    continue  # a holder of both rights: its co-owners are partners, not rivals
                _consider(
                    left,
                    right,
                    similarity,
                    place,
                    best,
                    parties,
                    sources,
                    relatedness,
                    litigants,
                    nice_class,
                    min_score,
                    because,
                )

    texts = {text for by_text in by_place.values() for text in by_text}
    if (
        similar is not None
        and min_similarity >= similar.similar_floor
        and not similar.unknown_texts(texts)
    ):
        stored = similar.similar_pairs(min_similarity, among=texts)
        _stored_pairs(by_place, stored, min_similarity, pair_up)
    else:
        _computed_pairs(by_place, min_similarity, pair_up)
    if evidence:
        _evidence_pairs(by_place, evidence, min_similarity, pair_up)
    return sorted(_per_rights(best.values(), held_with, parties, sources), key=conflict_rank)


def _held(held_with: Mapping[tuple[str, str], frozenset[str]], holding: Holding) -> frozenset[str]:
    """The holders of a holding's right: its party and the co-owners a source names with it."""
    return held_with.get((holding.id, holding.party), frozenset((holding.party,)))


def merge_conflicts(lists: Iterable[Sequence[ConflictPair]]) -> list[ConflictPair]:
    """The conflict lists of `find_conflicts` over disjoint places (``places_only``, as
    `place_batches` gives them) as one search of every place gives them: a conflict is in
    one place, so in one list; highest risk first."""
    return sorted((pair for pairs in lists for pair in pairs), key=conflict_rank)


def top_conflicts(
    lists: Iterable[Sequence[ConflictPair]],
    limit: int,
    keep: Callable[[ConflictPair], bool] = lambda _: False,
) -> tuple[list[ConflictPair], int]:
    """`merge_conflicts` keeping only what its first `limit` conflicts can come from, and
    how many conflicts there are in all: (the kept conflicts, highest risk first; the total).

    The kept are the `limit` highest-ranked of all, and every conflict `keep` is true of (the
    conflicts a later step may raise: those a proceeding merges into, `proceeding_keys`). Each
    list is cut as it comes, so memory holds at most `limit` conflicts (plus the kept) beside
    the list being read, not a register's millions.

    Raises ValueError for a `limit` below 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, not {limit}")
    best: list[ConflictPair] = []
    kept: list[ConflictPair] = []
    total = 0
    for pairs in lists:
        total += len(pairs)
        kept.extend(pair for pair in pairs if keep(pair))
        best = heapq.nsmallest(
            limit, chain(best, (p for p in pairs if not keep(p))), key=conflict_rank
        )
    return sorted([*best, *kept], key=conflict_rank), total


def conflict_rank(c: ConflictPair) -> tuple:
    """Highest risk first, then by the parties' names and IRIs, then the place, then a
    pair of rights in force before a pair with a dead right (`include_lapsed`)."""
    return (
        -c.score,
        c.parties[0].name,
        c.parties[1].name,
        c.parties[0].id,
        c.parties[1].id,
        c.jurisdiction or "",
        c.lapsed,
    )


def _per_rights(
    found: Iterable[ConflictPair],
    held_with: Mapping[tuple[str, str], frozenset[str]],
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
) -> list[ConflictPair]:
    """One conflict per pair of rights and place: the conflicts of the co-owners of one
    registration (`find_conflicts` pairs parties, each co-owner holding the right alone;
    `kg.analysis.co_owners`) merged into one naming every holder of each side
    (`ConflictPair.holders`), the best-scoring pair of parties (the first by name on a tie)
    as its `parties`. Owners that different sources give the same registration are not
    co-owners: each is in a conflict of its own. Two rights one party holds (alone or with
    others) are no conflict: its co-owners are its partners.

    Each pair of parties keeps its best pair of rights before (`held_with`: `co_owners`),
    never one a holder of both rights holds. Without co-owners, the conflicts are those
    found."""
    groups: dict[tuple[frozenset, str], list[ConflictPair]] = defaultdict(list)
    for pair in found:
        sides = frozenset(
            (held, held_with.get((held, party.id), frozenset((party.id,))))
            for held, party in zip(pair.holdings, pair.parties, strict=True)
        )
        groups[(sides, pair.jurisdiction or "")].append(pair)
    merged = []
    for group in groups.values():
        best, *others = sorted(group, key=conflict_rank)
        sides = []
        for held, party in zip(best.holdings, best.parties, strict=True):
            jointly = held_with.get((held, party.id), frozenset())
            rest = sorted(
                (parties[iri] for iri in jointly if iri != party.id),
                key=lambda ref: (ref.name, ref.id),
            )
            sides.append((party, *rest))
        if not others and all(len(side) == 1 for side in sides):
            merged.append(best)
            continue
        reasons = list(best.reasons)
        for other in others:  # their first reason, the marks compared, is the best's
            reasons += [r for r in other.reasons[1:] if r not in reasons]
        statements = with_names(  # the co-owners' names too
            (s for pair in (best, *others) for s in pair.statements), *sides[0], *sides[1]
        )
        merged.append(
            dataclasses.replace(
                best,
                holders=(sides[0], sides[1]),
                reasons=tuple(reasons),
                statements=statements,
                sources=source_refs(sources, cited_graphs(statements)),
            )
        )
    return merged


_EVERYWHERE = ""  # the place of a regional or international right: it meets every place
_ANY_CLASS = -1  # a holding whose goods and services may add Nice classes
_STATED = ("mark", "jurisdiction", "verbalElement", "niceClass", "goodsServices")


def conflict_marks_by_place(
    statements: Iterable[tuple[str, str, str]],
    texts: Mapping[str, str],
    similar: SimilarTexts,
    canonical: Callable[[str], str],
    wide: Container[str],
    relatedness: Mapping[frozenset[int], float],
    evidence: Iterable[tuple[str, str]] = (),
    *,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    focus: Container[str] | None = None,
) -> dict[str, set[str]] | None:
    """The marks whose holdings may take part in a conflict, chosen before reading any
    holding, by the place where they may meet: those meeting another holding in one
    jurisdiction (a code in `wide`, such as EM or WO, meets all) by an equal text or a stored
    similar pair, in classes that are not known to be unrelated (`score_pair`).

    Keys are jurisdiction codes (``"CN"``), and ``""`` for marks that meet others only by a
    right of a code in `wide` on both sides (their place is only known once the coverage of
    the rights is read: read them with every place). With `jurisdiction`, only holdings of
    that code or of a `wide` code count; with `nice_class`, only meetings where one side
    states that class (or goods and services, which may add it): the filters of
    `find_conflicts`, applied before any holding is read. With `focus` (canonical mark IRIs:
    a party's), only meetings where one side holds one of those marks count.

    `statements` are (subject, tm: local name, value) of the holdings' ``mark``,
    ``jurisdiction``, ``verbalElement``, ``niceClass`` and ``goodsServices`` statements
    (`kg.analysis.facts.FactBase.holding_statements`), `texts` the marks' texts, `canonical`
    resolves owl:sameAs. Every text a holding may be compared by counts (its marks', its
    verbal elements) and goods and services may add any class, so the choice is a superset of
    what `find_conflicts` pairs. `evidence` adds pairs of marks (canonical IRIs) the graph
    says match (`kg.analysis.evidence.EvidencePair`). None when `similar` lacks a text (not
    synced): read them all.
    """
    evidence = list(evidence)
    evidenced = {mark for pair in evidence for mark in pair}  # the marks evidence pairs
    kept_codes = None if jurisdiction is None else {jurisdiction, _EVERYWHERE}
    at_mark: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stated: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in _STATED}
    for subject, name, value in statements:
        stated[name][subject].add(value)
    holdings: dict[str, set[str]] = defaultdict(set)  # canonical IRI -> its IRIs
    for subject in stated["mark"]:
        holdings[canonical(subject)].add(subject)
    at: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    classes: dict[str, set[int]] = {}
    marks: dict[str, set[str]] = {}
    places: dict[str, str] = {}  # jurisdiction IRI -> place (few: read each once)
    numbers: dict[str, int | None] = {}  # class IRI -> Nice class, as FactBase reads them
    for key, iris in holdings.items():
        codes = set()
        for iri in iris:
            for j in stated["jurisdiction"].get(iri, ()):
                if j not in places:
                    code = j.rsplit("/", 1)[-1]
                    places[j] = _EVERYWHERE if code in wide else code
                codes.add(places[j])
        if kept_codes is not None:
            codes &= kept_codes  # only where the question asks
        if not codes:
            continue  # in no jurisdiction: never in a conflict
        marks[key] = {m for iri in iris for m in stated["mark"][iri]}
        found = classes[key] = set()
        for iri in iris:
            for c in stated["niceClass"].get(iri, ()):
                if c not in numbers:
                    tail = c.rsplit("/", 1)[-1]
                    numbers[c] = int(tail) if tail.isdigit() else None
                if numbers[c] is not None:
                    found.add(numbers[c])  # type: ignore[arg-type]
            if iri in stated["goodsServices"]:  # its goods and services may add any class
                found.add(_ANY_CLASS)
        compared = {v for iri in iris for v in stated["verbalElement"].get(iri, ())}
        for mark in marks[key]:
            compared.update(t for t in (texts.get(mark), texts.get(canonical(mark))) if t)
        for text in compared:
            for code in codes:
                at[text][code].append(key)
        for mark in marks[key] if evidenced else ():
            if (mark := canonical(mark)) in evidenced:
                for code in codes:
                    at_mark[mark][code].append(key)
    if similar.unknown_texts(at):
        return None
    chosen: dict[str, set[str]] = defaultdict(set)  # place -> holdings meeting another there
    focused = (  # the holdings of the marks in focus: every meeting counted has one
        None
        if focus is None
        else {key for key, held in marks.items() if any(canonical(m) in focus for m in held)}
    )

    def related(left: set[int], right: set[int]) -> bool:
        if nice_class is not None and not (
            nice_class in left or nice_class in right or _ANY_CLASS in left | right
        ):
            return False  # the class asked is on neither side
        if not left or not right or _ANY_CLASS in left or _ANY_CLASS in right or left & right:
            return True
        return any(
            relatedness.get(frozenset((a, b)), 0.0) >= RELATED_CLASSES for a in left for b in right
        )

    def meet(left: Mapping[str, list[str]], right: Mapping[str, list[str]]) -> None:
        for place, group in left.items():
            pools = (
                right.items()
                if place == _EVERYWHERE
                else ((place, right.get(place)), (place, right.get(_EVERYWHERE)))
            )
            for where, pool in pools:  # the holdings of `right` in `place`
                met = chosen[where]
                for one in group:
                    for other in pool or ():
                        if (
                            other != one
                            and (one not in met or other not in met)
                            and (focused is None or one in focused or other in focused)
                            and related(classes[one], classes[other])
                        ):
                            met.update((one, other))

    for by_place in at.values():  # one text
        meet(by_place, by_place)
    for left_text, right_text, _ in similar.similar_pairs(similar.similar_floor, among=at):
        meet(at[left_text], at[right_text])
    for left_mark, right_mark in evidence:
        if left_mark in at_mark and right_mark in at_mark:
            meet(at_mark[left_mark], at_mark[right_mark])
    return {place: {m for k in keys for m in marks[k]} for place, keys in chosen.items() if keys}


def place_batches(
    by_place: Mapping[str, set[str]], budget: int, wide: Iterable[str]
) -> Iterator[tuple[set[str], set[str]]]:
    """(marks, places) to search together, from `conflict_marks_by_place`: places packed,
    biggest first, until their marks would pass `budget` (a place over it alone), each with
    the marks of ``""`` (regional or international rights, which meet others in any place).
    Two such rights meet in the own place of one (EM, WO: `wide`), searched with the first
    batch. Every place is in one batch, so each conflict is found once (`find_conflicts`'s
    ``places_only``).

    >>> batches = place_batches({"CN": {"a", "b"}, "US": {"c"}, "GB": {"d"}}, 3, ["EM"])
    >>> [sorted(places) for _, places in batches]
    [['CN', 'EM', 'US'], ['GB']]
    """
    everywhere = by_place.get(_EVERYWHERE, set())
    marks: set[str] = set()
    places: set[str] = set(wide)
    for place in sorted((p for p in by_place if p != _EVERYWHERE), key=lambda p: -len(by_place[p])):
        if marks and len(marks | by_place[place]) > budget:
            yield marks | everywhere, places
            marks, places = set(), set()
        marks |= by_place[place]
        places.add(place)
    if marks or everywhere:
        yield marks | everywhere, places


_PairUp = Callable[..., None]
"""pair_up(place, lefts, rights, similarity, because=None) of `find_conflicts`."""


def _computed_pairs(
    by_place: Mapping[str | None, Mapping[str, list[Holding]]],
    min_similarity: float,
    pair_up: _PairUp,
) -> None:
    """Find the similar texts of each place by blocking and `compare`, and pair their holdings."""
    similarity_cache: dict[tuple[str, str], MarkSimilarity] = {}
    for place, by_text in by_place.items():
        pairs = candidate_text_pairs(by_text) | {(t, t) for t in by_text}
        for left_text, right_text in pairs:
            similarity = similarity_cache.get((left_text, right_text))
            if similarity is None:
                similarity = similarity_cache[(left_text, right_text)] = compare(
                    left_text, right_text
                )
            if similarity.score >= min_similarity:
                pair_up(place, by_text[left_text], by_text[right_text], similarity)


def _stored_pairs(
    by_place: Mapping[str | None, Mapping[str, list[Holding]]],
    stored: Iterable[tuple[str, str, MarkSimilarity]],
    min_similarity: float,
    pair_up: _PairUp,
) -> None:
    """Pair the holdings of each place whose texts are equal or a stored similar pair."""
    text_places: dict[str, list[str | None]] = defaultdict(list)
    for place, by_text in by_place.items():
        for text, group in by_text.items():
            text_places[text].append(place)
            if len(group) > 1:  # holdings of one text: the pair (t, t)
                similarity = compare(text, text)
                if similarity.score >= min_similarity:
                    pair_up(place, group, group, similarity)
    for left_text, right_text, similarity in stored:
        left_places = text_places.get(left_text)
        right_places = text_places.get(right_text)
        if not left_places or not right_places:
            continue
        for place in left_places:
            if place in right_places:
                by_text = by_place[place]
                pair_up(place, by_text[left_text], by_text[right_text], similarity)


def _evidence_pairs(
    by_place: Mapping[str | None, Mapping[str, list[Holding]]],
    evidence: Sequence[EvidencePair],
    min_similarity: float,
    pair_up: _PairUp,
) -> None:
    """Pair the holdings of each place whose marks the graph says match (`evidence`): a
    pair's registration, where it names one, alone on its left."""
    evidenced = {mark for pair in evidence for mark in (pair.left, pair.right)}
    by_mark: dict[str, dict[str | None, list[Holding]]] = defaultdict(lambda: defaultdict(list))
    for place, by_text in by_place.items():
        for group in by_text.values():
            for holding in group:
                if holding.mark.id in evidenced:
                    by_mark[holding.mark.id][place].append(holding)
    for pair in evidence:
        if pair.similarity.score < min_similarity:
            continue
        lefts, rights = by_mark.get(pair.left), by_mark.get(pair.right)
        if not lefts or not rights:
            continue
        for place, group in lefts.items():
            if place not in rights:
                continue
            if pair.registration is not None:
                group = [h for h in group if pair.registration in (h.id, *h.iris)]
            pair_up(place, group, rights[place], pair.similarity, pair)


def _consider(
    left: Holding,
    right: Holding,
    similarity: MarkSimilarity,
    place: str | None,
    best: dict[tuple[str, str, str, bool], ConflictPair],
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
    relatedness: Mapping[frozenset[int], float],
    litigants: set[frozenset[str]],
    nice_class: int | None,
    min_score: float,
    because: EvidencePair | None = None,
) -> None:
    if left.party == right.party or left.id == right.id:
        return  # co-owners of one registration hold the same right, they do not conflict
    if nice_class is not None and not (nice_class in left.classes or nice_class in right.classes):
        return
    if (left.party, left.id) > (right.party, right.id):
        left, right = right, left
    has_case = frozenset((left.party, right.party)) in litigants
    scored = score_pair(left, right, similarity, relatedness, has_case)
    if scored is None or scored[0] < min_score:
        return
    score, class_factor, reasons = scored
    # a dead right's pair (kept on request) is listed beside the live one, never instead
    key = (left.party, right.party, place or "", left.lapsed or right.lapsed)
    current = best.get(key)
    if current is not None and (-current.score, current.holdings) <= (-score, (left.id, right.id)):
        return  # a tie keeps the smaller holdings' IRIs, whichever pair came first
    reasons[0] = compared_reason(left, right, similarity)
    # dated as who-else-uses dates them: from when each holder holds the right
    reasons = [*reasons, *route_notes((held_coverage(left), held_coverage(right)), place)]
    if because is not None:
        reasons.insert(1, because.explanation)
    # what the pair shows of each right: its holder and mark, place, classes, operator
    statements = (*shown(left.statements, *_SHOWN), *shown(right.statements, *_SHOWN))
    if because is not None:  # what the graph's evidence for the match rests on
        statements = tuple(dict.fromkeys((*statements, *because.cited)))
    # and the holders' names, each from the graphs stating it
    statements = with_names(statements, parties[left.party], parties[right.party])
    graphs = cited_graphs(statements)
    alike = name_match(parties[left.party].name, parties[right.party].name)
    if alike is not None:  # a typo or a variant of one owner's name, not two owners
        reasons.append(
            f"the holders' names are nearly the same ({alike:.2f}): perhaps one party under "
            "two spellings (kg parties --duplicates)"
        )
    best[key] = ConflictPair(
        parties=(parties[left.party], parties[right.party]),
        marks=(left.mark, right.mark),
        jurisdiction=place,
        score=score,
        mark_similarity=round(similarity.score, 4),
        class_relatedness=class_factor,
        reasons=tuple(reasons),
        holdings=(left.id, right.id),
        sources=source_refs(sources, graphs),
        lapsed=left.lapsed or right.lapsed,
        statements=statements,
    )


_SHOWN = ("mark", "jurisdiction", "niceClass", "onBehalfOf")


def _always(_: int) -> bool:
    return True


def _partners(left: Holding, right: Holding) -> bool:
    """One operates the mark for the other, or both operate it for the same brand owner."""
    return (
        left.on_behalf_of == right.party
        or right.on_behalf_of == left.party
        or (left.on_behalf_of is not None and left.on_behalf_of == right.on_behalf_of)
    )


def _class_factor(
    left: Sequence[int], right: Sequence[int], relatedness: Mapping[frozenset[int], float]
) -> tuple[float, str]:
    if not left or not right:
        return UNKNOWN_CLASS_FACTOR, "a side states no Nice class"
    shared = sorted(set(left) & set(right))
    if shared:
        return 1.0, f"same Nice class {shared[0]}"
    best, pair = 0.0, (left[0], right[0])
    for a in left:
        for b in right:
            strength = relatedness.get(frozenset((a, b)), 0.0)
            if strength > best:
                best, pair = strength, (a, b)
    if best < RELATED_CLASSES:
        return 0.0, "unrelated classes"
    return best, f"related Nice classes {pair[0]} and {pair[1]} ({best:.2f})"


def _time_factor(left: Holding, right: Holding) -> tuple[float, str]:
    periods = []
    for holding in (left, right):
        start_text = holding.filing_date or holding.registration_date or holding.start_date
        start = PartialDate.try_parse(start_text)
        end = PartialDate.try_parse(holding.end_date)
        periods.append((start, end))
    (start_a, end_a), (start_b, end_b) = periods
    if end_a is not None and start_b is not None and end_a.last_day < start_b.first_day:
        return 0.8, "the periods do not overlap"
    if end_b is not None and start_a is not None and end_b.last_day < start_a.first_day:
        return 0.8, "the periods do not overlap"
    return 1.0, ""
