"""The register's conflicts kept between questions, and what a write changes of them.

A register-wide `Analyst.conflicts` (no party, mark or marks asked, no ``top``) scores every
pair of rights that meet (~170 µs a conflict; 3.6 million conflicts at 1M synthetic marks).
Its answer is kept in memory, one per graph (the last question's jurisdiction, class, floor,
date and choice of dead rights: `KeptConflicts.asked`), with the write token of the state of
the store it was found in (`kg.store.write_stamp`). Asked again in that state, it is the
answer. Asked after writes that say what they touched (`OxigraphStore.touched_since`: this
process's, or another's as the journal beside the store tells, `kg.store.write_journal`),
only the conflicts of the parties the writes may have
changed are searched again (their marks and the marks near them by text or evidence, only
pairs with a side of theirs scored: `Analyst._search` with ``read_near``) and put in place of
their kept ones; the rest are kept.

A conflict is the best pair of rights of two parties in one place, so it changes only when
a holding of either party changes, or either party's name, a case between them, a source it
cites, or the graph's evidence (a combined mark, a stated translation) about its marks
(`parties_to_search`: every party that is a side of a changed mark's rights on some date,
`holders_on_any_date`). The marks a write may have changed are those it named and those whose
holdings read a node whose statements it changed, in the store as it is after
(`FactBase.marks_reading`: the mark, its records, their goods and services and classes,
priority claims, designations, changes of owner). A co-owned right's conflict names the
co-owner whose best pair scores most, so the co-owners of the parties' rights are searched
with them (`Analyst._with_co_owners`).

The answer is kept on disk too, for the processes that come after (`kg.analysis.conflict_file`).

The whole register is searched again (and its answer kept anew) when this cannot be told: a
write that did not say what it touched (a SPARQL Update's text, one that did not finish, one
by a program other than tmkg), touched a blank node, the identity (owl:sameAs) of a node that
is not a party (a place, a class: `identity_nodes`; parties merged or parted are followed:
their groups, and every kept conflict naming one of them, are searched again), or what every
holding reads (rdfs:subClassOf, statuses and other vocabulary, the reference graphs:
`kg.analysis.holdings_projection.touches_every_holding`); the relatedness of Nice classes or
the memberships of regional systems changed (any graph may state them, every conflict reads
them); another date or choice; a store whose holding records or marks are merged by
owl:sameAs; or when the parties to search again hold more than `SEARCH_SHARE` of the
register's marks.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from kg.analysis.conflicts import conflict_rank
from kg.analysis.coverage import Membership
from kg.analysis.evidence import EvidencePair
from kg.analysis.model import ConflictPair, Holding, SourceRef
from kg.store.touched import Touched

__all__ = [
    "SEARCH_SHARE",
    "KeptConflicts",
    "brought_up",
    "holders_on_any_date",
    "identity_nodes",
    "parties_to_search",
    "row_keys",
    "without_identities",
]

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"

SEARCH_SHARE = 0.25
"""Past this share of the register's marks held by the parties to search again, the whole
register is searched instead: their search reads their marks and those meeting them, which
for a quarter of a register's marks is about what the whole search reads."""


@dataclass(frozen=True, eq=False)
class KeptConflicts:
    """A register-wide conflicts answer and what it was found with.

    `asked` is (jurisdiction, nice_class, min_score, date asked as ISO text, include_lapsed);
    `stamp` the store's write token then; `pairs` the conflicts before proceedings are
    merged in (`with_proceeding_conflicts` runs on every answer), highest risk first
    (`conflict_rank`); `cases` the pairs of parties facing each other in a case begun by the
    date asked; `evidence` the evidence pairs; `sources` named graph -> its source, as read
    then (the rights covering others, EM or WO, follow from `memberships`). `nodes` and
    `holders` are, for each conflict in the order of `pairs`, the nodes it names (its marks,
    every IRI of every holder, the graphs it cites) and its holders' IRIs (`row_keys`): a
    write's nodes are looked up among a register's millions of conflicts at C speed."""

    asked: tuple[object, ...]
    stamp: str
    pairs: tuple[ConflictPair, ...]
    cases: frozenset[frozenset[str]]
    evidence: tuple[EvidencePair, ...]
    sources: Mapping[str, SourceRef]
    nodes: tuple[tuple[str, ...], ...]
    holders: tuple[tuple[str, ...], ...]
    memberships: frozenset[Membership] = frozenset()
    relatedness: Mapping[frozenset[int], float] = dataclasses.field(default_factory=dict)
    """The memberships of regional systems and the relatedness of Nice classes read then:
    facts any graph may state, which every conflict reads."""


def holders_on_any_date(holdings: Iterable[Holding]) -> set[str]:
    """Every party a holding names as a side on some date (canonical IRIs): its holder, the
    owners its records name, the assignors and assignees of its recorded changes of owner,
    the party it is used on behalf of (`kg.analysis.ownership`: a right changes hands)."""
    parties: set[str] = set()
    for holding in holdings:
        parties.add(holding.party)
        parties.update(holding.recorded_owners)
        if holding.on_behalf_of:
            parties.add(holding.on_behalf_of)
        for change in holding.ownership:
            parties.update(change.assignors)
            parties.update(change.assignees)
    return parties


def without_identities(touched: Touched) -> Touched:
    """`touched` but for its owl:sameAs statements (`identity_nodes` says whom they name)."""
    quiet = Touched()
    quiet.terms, quiet.graphs, quiet.typed = touched.terms, touched.graphs, touched.typed
    quiet.predicates = {p: s for p, s in touched.predicates.items() if p != OWL_SAME_AS}
    return quiet


def identity_nodes(touched: Touched, alone: Callable[[str], bool]) -> set[str]:
    """The nodes whose identity a write may have changed: the subjects of owl:sameAs
    statements written, and the touched nodes that are in an owl:sameAs group now (`alone`
    false): parties merged or parted (`kg load`'s resolution links a new owner to one of the
    same name), and marks or records merged or parted, whose groups' conflicts and those
    naming them are searched again; a node of another kind (a place, a class) is read
    through its group by any holding, and the whole register is searched."""
    nodes = set(touched.predicates.get(OWL_SAME_AS, ()))
    nodes.update(node for node in touched.terms if not alone(node))
    return nodes


def row_keys(pair: ConflictPair) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the nodes a conflict names: its marks, every IRI of its holders, the graphs it
    cites; its holders' IRIs)."""
    holders = tuple(holder.id for side in pair.holders for holder in side)
    nodes = (
        *(mark.id for mark in pair.marks if mark is not None),
        *(iri for side in pair.holders for holder in side for iri in (holder.id, *holder.iris)),
        *(source.graph for source in pair.sources),
    )
    return nodes, holders


def parties_to_search(
    kept: KeptConflicts,
    *,
    changed_marks: Collection[str],
    holders_of: Callable[[set[str]], Iterable[str]],
    touched: Collection[str],
    cases: frozenset[frozenset[str]],
    evidence: Sequence[EvidencePair],
    sources: Mapping[str, SourceRef],
    holders_naming: Callable[[set[str]], Iterable[str]] | None = None,
) -> set[str]:
    """The parties (canonical IRIs) whose conflicts may differ from those `kept` holds.

    The marks that may have changed are `changed_marks` (canonical mark IRIs) and both marks
    of each evidence pair found or gone; the parties are those that are a side of their
    rights on some date (`holders_of` those marks: `holders_on_any_date`), every holder of
    each side of a kept conflict over one of them, or naming a party (any IRI of it) or a
    mark in `touched` (the nodes the writes touched), or citing a source that changed; and
    the parties of a case begun or gone on the date asked. `holders_naming` gives the
    holders of the kept conflicts naming any of some nodes (by default read from
    ``kept.nodes`` and ``kept.holders``; a kept answer too big to read whole reads them from
    its file: `kg.analysis.conflict_file.ConflictFile.holders_naming`)."""
    marks = set(changed_marks)
    for pair in set(evidence) ^ set(kept.evidence):
        marks |= {pair.left, pair.right}
    parties = set(holders_of(marks)) if marks else set()
    for pair in cases ^ kept.cases:
        parties |= pair
    graphs = {g for g in {*kept.sources, *sources} if kept.sources.get(g) != sources.get(g)}
    probe = marks | set(touched) | graphs
    if probe:
        parties.update((holders_naming or partial(_holders_naming, kept))(probe))
    return parties


def _holders_naming(kept: KeptConflicts, probe: set[str]) -> set[str]:
    """The holders of the conflicts of `kept` naming any of the nodes `probe`."""
    found: set[str] = set()
    for nodes, holders in zip(kept.nodes, kept.holders, strict=True):
        if not probe.isdisjoint(nodes):
            found.update(holders)
    return found


def brought_up(
    kept: KeptConflicts, parties: Collection[str], fresh: Sequence[ConflictPair]
) -> tuple[list[ConflictPair], list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The kept conflicts none of whose holders is one of `parties`, with `fresh` (their
    conflicts searched again, highest risk first) put in their places: (conflicts, highest
    risk first as `merge_conflicts` orders them, a conflict kept before a fresh one of the
    same rank; their nodes; their holders). Only the positions that change are touched (the
    rest is copied by slices), so a register's millions cost little more than a copy."""
    wanted = set(parties)
    dropped = [i for i, holders in enumerate(kept.holders) if not wanted.isdisjoint(holders)]
    pairs: list[ConflictPair] = []
    nodes: list[tuple[str, ...]] = []
    holders: list[tuple[str, ...]] = []
    start = 0
    for position in (*dropped, len(kept.pairs)):
        pairs += kept.pairs[start:position]
        nodes += kept.nodes[start:position]
        holders += kept.holders[start:position]
        start = position + 1
    if not fresh:
        return pairs, nodes, holders
    places = [bisect.bisect_right(pairs, conflict_rank(f), key=conflict_rank) for f in fresh]
    merged: list[ConflictPair] = []
    merged_nodes: list[tuple[str, ...]] = []
    merged_holders: list[tuple[str, ...]] = []
    start = 0
    for place, pair in zip(places, fresh, strict=True):
        merged += pairs[start:place]
        merged_nodes += nodes[start:place]
        merged_holders += holders[start:place]
        merged.append(pair)
        pair_nodes, pair_holders = row_keys(pair)
        merged_nodes.append(pair_nodes)
        merged_holders.append(pair_holders)
        start = place
    merged += pairs[start:]
    merged_nodes += nodes[start:]
    merged_holders += holders[start:]
    return merged, merged_nodes, merged_holders
