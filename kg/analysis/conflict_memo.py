"""The register's conflicts kept between questions, and what a write changes of them.

A register-wide `Analyst.conflicts` (no party, mark or marks asked, no ``top``) scores every
pair of rights that meet (~170 µs a conflict; 3.6 million conflicts at 1M synthetic marks).
Its answer is kept in memory, one per graph (the last question's jurisdiction, class, floor,
date and choice of dead rights: `KeptConflicts.asked`), with the write token of the state of
the store it was found in (`kg.store.write_stamp`). Asked again in that state, it is the
answer. Asked after writes this process made that say what they touched
(`OxigraphStore.touched_since`), only the conflicts of the parties the writes may have
changed are searched again (the search of ``conflicts(party=...)``, which finds each of their
conflicts as the whole list does) and put in place of their kept ones; the rest are kept.

A conflict is the best pair of rights of two parties in one place, so it changes only when
a holding of either party changes, or either party's name, a case between them, a source it
cites, or the graph's evidence (a combined mark, a stated translation) about its marks
(`parties_to_search`). The marks a write may have changed are those it named and those whose
holdings read a node whose statements it changed, in the store as it is after
(`FactBase.marks_reading`: the mark, its records, their goods and services and classes,
priority claims, designations, changes of owner).

The whole register is searched again (and its answer kept anew) when this cannot be told: a
write by another process, or one that did not say what it touched (a SPARQL Update's text),
touched a blank node, a node of an owl:sameAs group, or what every holding reads
(owl:sameAs, rdfs:subClassOf, statuses and other vocabulary, the reference graphs:
`kg.analysis.holdings_projection.touches_every_holding`); another date or choice; a store whose
holding records or marks are merged by owl:sameAs; or when the parties to search again hold
more than `SEARCH_SHARE` of the register's marks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.analysis.evidence import EvidencePair
from kg.analysis.model import ConflictPair, SourceRef

__all__ = ["SEARCH_SHARE", "KeptConflicts", "kept_apart", "parties_to_search"]

SEARCH_SHARE = 0.25
"""Past this share of the register's marks held by the parties to search again, the whole
register is searched instead: their search reads their marks and those meeting them, which
for a quarter of a register's marks is about what the whole search reads."""


@dataclass(frozen=True, eq=False)
class KeptConflicts:
    """A register-wide conflicts answer and what it was found with.

    `asked` is (jurisdiction, nice_class, min_score, date asked as ISO text, include_lapsed);
    `stamp` the store's write token then; `pairs` the conflicts before proceedings are
    merged in (`with_proceeding_conflicts` runs on every answer), highest risk first;
    `cases` the pairs of parties facing each other in a case begun by the date asked;
    `evidence` the evidence pairs; `wide` the codes of rights covering others (EM, WO...);
    `sources` named graph -> its source, as read then."""

    asked: tuple[object, ...]
    stamp: str
    pairs: Sequence[ConflictPair]
    cases: frozenset[frozenset[str]]
    evidence: tuple[EvidencePair, ...]
    wide: frozenset[str]
    sources: Mapping[str, SourceRef]


def parties_to_search(
    kept: KeptConflicts,
    *,
    changed_marks: Collection[str],
    holders_of: Callable[[set[str]], Iterable[str]],
    touched: Collection[str],
    cases: frozenset[frozenset[str]],
    evidence: Sequence[EvidencePair],
    sources: Mapping[str, SourceRef],
) -> set[str]:
    """The parties (canonical IRIs) whose conflicts may differ from those `kept` holds.

    The marks that may have changed are `changed_marks` (canonical mark IRIs) and both marks
    of each evidence pair found or gone; the parties are their holders now, on any date
    (`holders_of` those marks), every holder of each side of a kept conflict over one of
    them, or naming a party (any IRI of it) or a mark in `touched` (the nodes the writes
    touched), or citing a source that changed; and the parties of a case begun or gone on
    the date asked."""
    marks = set(changed_marks)
    for pair in set(evidence) ^ set(kept.evidence):
        marks |= {pair.left, pair.right}
    parties = set(holders_of(marks)) if marks else set()
    for pair in cases ^ kept.cases:
        parties |= pair
    graphs = {g for g in {*kept.sources, *sources} if kept.sources.get(g) != sources.get(g)}
    for conflict in kept.pairs:
        if _meets(conflict, marks, touched, graphs):
            parties |= {holder.id for side in conflict.holders for holder in side}
    return parties


def kept_apart(pairs: Iterable[ConflictPair], parties: Collection[str]) -> list[ConflictPair]:
    """The conflicts none of whose holders is one of `parties`, in their order."""
    if not parties:
        return list(pairs)
    return [
        pair
        for pair in pairs
        if not any(holder.id in parties for side in pair.holders for holder in side)
    ]


def _meets(
    conflict: ConflictPair, marks: Collection[str], touched: Collection[str], graphs: set[str]
) -> bool:
    for mark in conflict.marks:
        if mark is not None and (mark.id in marks or mark.id in touched):
            return True
    for side in conflict.holders:
        for holder in side:
            if holder.id in touched or any(iri in touched for iri in holder.iris):
                return True
    return bool(graphs) and any(source.graph in graphs for source in conflict.sources)
