"""The conflict-relevant neighbourhood of parties, projected from the store for networkx.

Only the predicates that connect parties through marks, holdings, cases, partners and
recorded changes of owner (a chain of title: assignor and assignee) are followed;
jurisdictions, classes and dates join everything and mean nothing as a link. Each edge keeps
the named graphs that state it (and the IRIs they name its ends by), so a path through it can
cite exactly its sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, MarkSimilarity, compare
from kg.analysis.sparql_text import TM, batches, iri_values

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = [
    "HOLDING_PREDICATES",
    "MAX_NEIGHBOURS",
    "PATH_PREDICATES",
    "SIMILAR_MARK",
    "Edge",
    "Neighbourhood",
    "Stated",
    "neighbourhood",
    "neighbourhood_edges",
]

PATH_PREDICATES = tuple(
    TM + name
    for name in (
        "owner",
        "user",
        "onBehalfOf",
        "mark",
        "plaintiff",
        "defendant",
        "court",
        "concerns",
        "claimant",
        "involves",
        "payer",
        "payee",
        "case",
        "grantedBy",
        "contestedRegistration",
        "earlierRight",
        "assignor",
        "assignee",
    )
)
HOLDING_PREDICATES = frozenset(TM + name for name in ("owner", "user", "onBehalfOf"))
"""The predicates whose subject is a registration or a use (their domain)."""
MAX_NEIGHBOURS = 200
SIMILAR_MARK = TM + "similarMark"

Edge = tuple[str, str, str]
"""(subject, predicate IRI, object), subject and object canonical (owl:sameAs resolved)."""


@dataclass(frozen=True)
class Stated:
    """One named graph's statement of an edge, with the IRIs it names the two ends by."""

    subject: str
    object: str
    graph: str


@dataclass
class Neighbourhood:
    """The edges near some nodes, each with the graphs stating it.

    ``stated[edge]`` is every (subject IRI, object IRI, graph) stating the edge; a derived
    tm:similarMark edge has none and its compared texts in ``similarity``, keyed by the edge's
    (subject, object). ``truncated``: a node with more than MAX_NEIGHBOURS links was cut.
    """

    stated: dict[Edge, set[Stated]] = field(default_factory=dict)
    similarity: dict[tuple[str, str], MarkSimilarity] = field(default_factory=dict)
    truncated: bool = False

    @property
    def edges(self) -> set[Edge]:
        return {e for e in self.stated if e[0] != e[2]}


def neighbourhood(
    facts: FactBase,
    starts: Iterable[str],
    depth: int,
    max_neighbours: int = MAX_NEIGHBOURS,
    *,
    through_holdings: bool = False,
) -> Neighbourhood:
    """The edges within `depth` steps of `starts` over `PATH_PREDICATES`, identities
    contracted, each with the graphs that state it; marks with similar texts linked.

    With `through_holdings`, a registration or use costs no step: reached from its holder, its
    mark and brand owner are read at once (so `depth` counts party-to-mark links as one).
    A node with more than `max_neighbours` links is not expanded (``truncated``), except that
    with `through_holdings` the starts' own registrations and uses are all read, so a
    conflict through their marks is never cut.
    """
    canonical = facts.identities.canonical
    members = facts.identities.members
    frontier = {m for s in starts for m in members(s)}
    keep = set(frontier) if through_holdings else set()
    seen: set[str] = set(frontier)
    found = Neighbourhood()
    wanted = set(PATH_PREDICATES)
    pinned: set[str] = set()  # the starts' holdings beyond the cut: read, not followed
    for _ in range(depth):
        following: set[str] = set()
        while frontier:
            holdings: set[str] = set()
            for subject, predicate, obj, statings, extra in _links(
                facts, frontier, wanted, found, max_neighbours, keep
            ):
                edge = (canonical(subject), predicate, canonical(obj))
                found.stated.setdefault(edge, set()).update(statings)
                if extra:
                    pinned.add(subject)
                    continue
                if predicate in HOLDING_PREDICATES:
                    holdings.add(subject)
                for other in (subject, obj):
                    if other not in seen:
                        seen.add(other)
                        following |= members(other)
            # a holding reached now is looked through in the same step
            frontier = (holdings & following) if through_holdings else set()
            following -= frontier
        frontier = following
        if not frontier:
            break
    _drop_earlier_states(facts, found)
    pinned -= seen
    pinned_marks: set[str] = set()
    if pinned:
        wanted = set(HOLDING_PREDICATES | {TM + "mark"})
        for subject, predicate, obj, statings, _ in _links(
            facts, pinned, wanted, found, len(pinned) + 1, set()
        ):
            edge = (canonical(subject), predicate, canonical(obj))
            found.stated.setdefault(edge, set()).update(statings)
            if predicate == TM + "mark":
                pinned_marks.add(edge[2])
    marks = {n for e in found.stated for n in (e[0], e[2]) if n in facts.marks}
    pinned_marks -= {o for s, p, o in found.stated if p == TM + "mark" and s in seen}
    _link_similar_marks(facts, found, marks - pinned_marks)
    if pinned_marks:
        held = _held_marks(found, {canonical(s) for s in starts})
        for side, marks_held in held.items():
            others = {m for other, ms in held.items() if other != side for m in ms}
            _link_across(facts, found, marks_held & pinned_marks, others)
    return found


def _drop_earlier_states(facts: FactBase, found: Neighbourhood) -> None:
    """Leave out the links of the earlier states of register records (version nodes,
    `kg.registries.versions`): a path goes through a registration as it stands, not through
    an owner an older file named (helper-124: a former applicant "uses the mark" through
    one). One query where the store keeps earlier states (`FactBase.has_history`)."""
    if not facts.has_history():
        return
    holders = sorted({e[0] for e in found.stated if e[1] in HOLDING_PREDICATES})
    earlier = facts.earlier_states(holders)
    for edge in [e for e in found.stated if e[0] in earlier or e[2] in earlier]:
        del found.stated[edge]


def _held_marks(found: Neighbourhood, parties: set[str]) -> dict[str, set[str]]:
    """The marks each of `parties` holds, uses or has used on its behalf."""
    holdings: dict[str, set[str]] = defaultdict(set)
    for s, p, o in found.stated:
        if p in HOLDING_PREDICATES and o in parties:
            holdings[s].add(o)
    held: dict[str, set[str]] = defaultdict(set)
    for s, p, o in found.stated:
        if p == TM + "mark" and s in holdings:
            for party in holdings[s]:
                held[party].add(o)
    return held


def _link_across(facts: FactBase, found: Neighbourhood, left: set[str], right: set[str]) -> None:
    """Link the marks of `left` to the similar marks of `right` (a start's marks beyond the cut
    to the other start's): all pairs compared when few, else through the mark index."""
    if not left or not right:
        return
    if len(left) * len(right) <= _DIRECT_PAIRS:
        pairs = [(a, b) for a in left for b in right]
    else:
        few, many = sorted((left, right), key=len)
        index = facts.mark_index
        pairs = []
        for a in few:
            text = facts.marks[a]
            # the marks stored as similar to its text (a lookup), else its candidates (keys)
            stored = index.similar_marks(text)
            alike = index.candidates(text) if stored is None else stored.keys()
            pairs += [(a, b) for b in many.intersection(alike)]
    for a, b in sorted(pairs):
        if a != b:
            _link(found, a, b, compare(facts.marks[a], facts.marks[b]))


_DIRECT_PAIRS = 2_000


def _link(found: Neighbourhood, left: str, right: str, similarity: MarkSimilarity) -> None:
    if similarity.score >= DEFAULT_MIN_SIMILARITY:
        low, high = min(left, right), max(left, right)
        found.stated.setdefault((low, SIMILAR_MARK, high), set())
        found.similarity[(low, high)] = similarity


def _links(
    facts: FactBase,
    frontier: set[str],
    wanted: set[str],
    found: Neighbourhood,
    max_neighbours: int,
    keep: set[str],
) -> Iterable[tuple[str, str, str, set[Stated], bool]]:
    """The wanted links of the frontier's IRIs, stated: at most `max_neighbours` per node,
    then (flagged ``True``) the other holding links of the nodes in `keep`."""
    by_node: dict[str, dict[tuple[str, str, str], set[Stated]]] = defaultdict(
        lambda: defaultdict(set)
    )
    # Two plain patterns, the predicates kept by a FILTER: Oxigraph answers these from its
    # indexes, where a UNION with a VALUES list of predicates made it scan (measured); the
    # FILTER compares the engine's own term ids, so the links not wanted are never decoded
    # into text (the holdings of a party of 14,619 marks: 1.06 against 1.50 s, 29,238 rows
    # kept of 81,345; 2026-12-04)
    among = "FILTER(?p IN (" + ", ".join(f"<{p}>" for p in sorted(wanted)) + "))"
    for batch in batches(sorted(frontier)):
        values = iri_values(batch)
        for anchor, pattern in (
            ("s", f"VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) {among}"),
            ("o", f"VALUES ?o {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) {among}"),
        ):
            for row in facts.select(f"SELECT ?s ?p ?o ?g WHERE {{ {pattern} }}"):
                if row["p"] in wanted:
                    s, p, o, g = row["s"], row["p"], row["o"], row["g"]
                    by_node[row[anchor]][(s, p, o)].add(Stated(s, o, g))  # type: ignore[index,arg-type]
    for node, links in by_node.items():
        keys = sorted(links)
        if len(keys) > max_neighbours:
            found.truncated = True
        for key in keys[:max_neighbours]:
            yield (*key, links[key], False)
        if node in keep:
            for key in keys[max_neighbours:]:
                if key[1] in HOLDING_PREDICATES:
                    yield (*key, links[key], True)


def _link_similar_marks(facts: FactBase, found: Neighbourhood, mark_nodes: set[str]) -> None:
    # Marks with similar texts are linked, so a path can cross from one spelling to another.
    # Only marks already in the neighbourhood are compared, blocked like conflicts are.
    by_text: dict[str, list[str]] = defaultdict(list)
    for mark in sorted(mark_nodes):
        by_text[facts.marks[mark]].append(mark)
    pairs = candidate_text_pairs(by_text) | {(t, t) for t in by_text if len(by_text[t]) > 1}
    for left_text, right_text in sorted(pairs):
        similarity = compare(left_text, right_text)
        if similarity.score < DEFAULT_MIN_SIMILARITY:
            continue
        for left in by_text[left_text]:
            for right in by_text[right_text]:
                if left != right:
                    _link(found, left, right, similarity)


def neighbourhood_edges(
    facts: FactBase, starts: Iterable[str], depth: int, max_neighbours: int = MAX_NEIGHBOURS
) -> tuple[set[Edge], bool]:
    """Edges (subject, predicate, object) within `depth` steps of `starts`, over the
    conflict-relevant predicates only, identities contracted; and whether a hub was cut.

    Jurisdictions, classes and dates are not followed: they join everything and mean nothing
    as a connection. A node with more than `max_neighbours` links is not expanded. The graphs
    stating each edge: `neighbourhood`.
    """
    found = neighbourhood(facts, starts, depth, max_neighbours)
    return found.edges, found.truncated
