"""Evidence in the graph for a match, cited by the hits it finds.

Some hits of who-else-uses match the mark asked about through something else the graph
states, not through their own texts: a registration's stated translation
(`kg.analysis.stated_texts`: asked about ``北风``, the registration of ``北风`` stating NORTH
WIND finds the NORTHWIND marks) or a mark showing both names
(`kg.analysis.combined_marks`: ``金鹤 GOLDEN CRANE``). Such a hit rests on that statement as
much as on its own holding's, so it cites it: the statement is added to the hit's
``statements`` with exactly the graphs that state it, and those graphs to its ``sources``
(docs/provenance.md: every answer cites the sources that state what it rests on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from kg.analysis.model import Cited, MarkUsage, SourceRef

__all__ = ["Statement", "cite", "with_evidence"]

Statement = tuple[str, str, str]
"""(subject IRI, property IRI, value: an IRI or a literal's lexical form)."""

_BATCH = 500


def cite(
    select: Callable[[str], list[dict[str, str | None]]], statements: Iterable[Statement]
) -> dict[Statement, Cited]:
    """Each statement that some graph states, with exactly the graphs stating it."""
    wanted = sorted(set(statements))
    graphs: dict[Statement, set[str]] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        pairs = " ".join(f"(<{s}> <{p}>)" for s, p in sorted({(s, p) for s, p, _ in batch}))
        rows = select(
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p) {{ {pairs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        values = set(batch)
        for row in rows:
            found = (row["s"], row["p"], row["o"])
            if found in values and row["g"]:
                graphs.setdefault(found, set()).add(row["g"])  # type: ignore[arg-type]
    return {
        (subject, prop, value): Cited(
            subject=subject, facts=((prop, value),), sources=tuple(sorted(found))
        )
        for (subject, prop, value), found in graphs.items()
    }


def with_evidence(
    usages: list[MarkUsage],
    evidence: Mapping[str, tuple[Statement, ...]],
    select: Callable[[str], list[dict[str, str | None]]],
    sources: Mapping[str, SourceRef],
) -> list[MarkUsage]:
    """`usages` (hits of who-else-uses), each whose mark was found through `evidence` (mark
    IRI -> the statements behind its match) citing those statements among its own and their
    graphs among its sources."""
    wanted = [u for u in usages if evidence.get(u.mark.id)]
    if not wanted:
        return usages
    cited = cite(select, (s for u in wanted for s in evidence[u.mark.id]))
    found = []
    for usage in usages:
        extra = tuple(cited[s] for s in evidence.get(usage.mark.id, ()) if s in cited)
        if not extra:
            found.append(usage)
            continue
        graphs = {ref.graph for ref in usage.sources} | {g for c in extra for g in c.sources}
        found.append(
            replace(
                usage,
                statements=tuple(dict.fromkeys((*usage.statements, *extra))),
                sources=tuple(sources.get(g, SourceRef(graph=g)) for g in sorted(graphs)),
            )
        )
    return found
