"""The conflict-relevant neighbourhood of parties, projected from the store for networkx.

Only the predicates that connect parties through marks, holdings, cases and partners are
followed; jurisdictions, classes and dates join everything and mean nothing as a link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare
from kg.analysis.sparql_text import TM, batches, iri_values

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["MAX_NEIGHBOURS", "PATH_PREDICATES", "SIMILAR_MARK", "neighbourhood_edges"]

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
    )
)
MAX_NEIGHBOURS = 200


def neighbourhood_edges(
    facts: FactBase, starts: Iterable[str], depth: int, max_neighbours: int = MAX_NEIGHBOURS
) -> tuple[set[tuple[str, str, str]], bool]:
    """Edges (subject, predicate, object) within `depth` steps of `starts`, over the
    conflict-relevant predicates only, identities contracted; and whether a hub was cut.

    Jurisdictions, classes and dates are not followed: they join everything and mean nothing
    as a connection. A node with more than `max_neighbours` links is not expanded.
    """
    canonical = facts.identities.canonical
    frontier = {m for s in starts for m in facts.identities.members(s)}
    seen: set[str] = set(frontier)
    edges: set[tuple[str, str, str]] = set()
    truncated = False
    wanted = set(PATH_PREDICATES)
    for _ in range(depth):
        if not frontier:
            break
        found: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for batch in batches(sorted(frontier)):
            # Two plain patterns, predicates filtered here: Oxigraph answers these from its
            # indexes, where a UNION with a VALUES list of predicates made it scan (measured).
            values = iri_values(batch)
            outgoing = f"VALUES ?s {{ {values} }} ?s ?p ?o FILTER(isIRI(?o))"
            for row in facts.select(f"SELECT ?s ?p ?o WHERE {{ {outgoing} }}"):
                if row["p"] in wanted:
                    found[row["s"]].add((row["s"], row["p"], row["o"]))  # type: ignore[index,arg-type]
            incoming = f"VALUES ?o {{ {values} }} ?s ?p ?o FILTER(isIRI(?s))"
            for row in facts.select(f"SELECT ?s ?p ?o WHERE {{ {incoming} }}"):
                if row["p"] in wanted:
                    found[row["o"]].add((row["s"], row["p"], row["o"]))  # type: ignore[index,arg-type]
        following: set[str] = set()
        for links in found.values():
            if len(links) > max_neighbours:
                truncated = True
                links = set(sorted(links)[:max_neighbours])
            for subject, predicate, obj in links:
                edges.add((canonical(subject), predicate, canonical(obj)))
                for other in (subject, obj):
                    if other not in seen:
                        seen.add(other)
                        following |= facts.identities.members(other)
        frontier = following
    # Marks with similar texts are linked, so a path can cross from one spelling to another.
    # Only marks already in the neighbourhood are compared, blocked like conflicts are.
    mark_nodes = {n for e in edges for n in (e[0], e[2]) if n in facts.marks}
    by_text: dict[str, list[str]] = defaultdict(list)
    for mark in mark_nodes:
        by_text[facts.marks[mark]].append(mark)
    pairs = candidate_text_pairs(by_text) | {(t, t) for t in by_text if len(by_text[t]) > 1}
    for left_text, right_text in pairs:
        if compare(left_text, right_text).score < DEFAULT_MIN_SIMILARITY:
            continue
        for left in by_text[left_text]:
            for right in by_text[right_text]:
                if left != right:
                    edges.add((min(left, right), SIMILAR_MARK, max(left, right)))
    return {e for e in edges if e[0] != e[2]}, truncated


SIMILAR_MARK = TM + "similarMark"
