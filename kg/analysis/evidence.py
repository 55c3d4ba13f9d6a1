"""Evidence in the graph for a match, cited by the hits it finds.

Some hits of who-else-uses match the mark asked about through something else the graph
states, not through their own texts: a registration's stated translation
(`kg.analysis.stated_texts`: asked about ``北风``, the registration of ``北风`` stating NORTH
WIND finds the NORTHWIND marks) or a mark showing both names
(`kg.analysis.combined_marks`: ``金鹤 GOLDEN CRANE``). Such a hit rests on that statement as
much as on its own holding's, so it cites it: the statement is added to the hit's
``statements`` with exactly the graphs that state it, and those graphs to its ``sources``
(docs/provenance.md: every answer cites the sources that state what it rests on).

Conflicts read the same evidence as pairs of marks (`EvidencePair`, made by
`kg.analysis.combined_marks.combined_pairs` and `kg.analysis.stated_texts.stated_pairs`):
two holders are in conflict through it exactly where who-else-uses, asked about one of the
two marks, names the other holder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from kg.analysis.model import Cited, MarkUsage, SourceRef, source_refs
from kg.analysis.similarity import MarkSimilarity, compare

__all__ = [
    "EvidencePair",
    "Statement",
    "cite",
    "cite_pairs",
    "keep_pair",
    "pairs_through",
    "second_step",
    "with_evidence",
]

Statement = tuple[str, str, str]
"""(subject IRI, property IRI, value: an IRI or a literal's lexical form)."""

_BATCH = 500


@dataclass(frozen=True)
class EvidencePair:
    """Two marks the graph says match though their texts do not (or less than it says).

    `left` and `right` are mark IRIs (canonical), `similarity` the score the evidence gives
    (capped: `kg.analysis.combined_marks.COMBINED_SCORE`,
    `kg.analysis.stated_texts.STATED_SCORE`) with its one reason, `statements` what it rests
    on ((subject, property, value): the combined mark's text, the registration's statement),
    `explanation` those statements in words for a conflict's reasons. With `registration`,
    only that registration's holding stands on the left (its statement speaks for it alone).
    `cited` is filled by `cite` (the statements with the graphs stating them).
    """

    left: str
    right: str
    similarity: MarkSimilarity
    statements: tuple[Statement, ...]
    explanation: str
    registration: str | None = None
    cited: tuple[Cited, ...] = ()


def second_step(equivalent: str, found: str, similarity: MarkSimilarity, same: float) -> str:
    """How a mark found through evidence meets the equivalent it was found by, for an
    explanation, where it is not the same mark (`similarity` below `same`): the second step
    of likeness, said (``; 'SEA' and 'sun and sea': containment (0.87)``); else ``""``.

    >>> second_step("sun and sea", "SEA", MarkSimilarity(0.87, ("containment",)), 0.93)
    "; 'SEA' and 'sun and sea': containment (0.87)"
    >>> second_step("NORTH WIND", "North Wind", MarkSimilarity(0.97, ("folded",)), 0.93)
    ''
    """
    if similarity.score >= same:
        return ""
    how = ", ".join(similarity.reasons) or "similar"
    return f"; {found!r} and {equivalent!r}: {how} ({similarity.score:.2f})"


def keep_pair(found: dict[tuple[str, str, str], EvidencePair], pair: EvidencePair) -> None:
    """Keep in `found` (keyed by (left, right) and registration) the better of two pairs of
    the same marks; of equal ones, what both rest on."""
    key = (pair.left, pair.right, pair.registration or "")
    known = found.get(key)
    if known is None or known.similarity.score < pair.similarity.score:
        found[key] = pair
    elif known.similarity == pair.similarity and not set(pair.statements) <= set(known.statements):
        found[key] = replace(
            known,
            statements=tuple(dict.fromkeys((*known.statements, *pair.statements))),
            explanation=f"{known.explanation}; {pair.explanation}",
        )


def pairs_through(
    found: dict[tuple[str, str, str], EvidencePair],
    asked: str,
    other: str,
    evidence: tuple[MarkSimilarity, tuple[Statement, ...], str],
    marks: Mapping[str, str],
    similar_marks: Callable[[str, float], Mapping[str, MarkSimilarity]],
    limits: tuple[float, float],
    canonical: Callable[[str], str] = str,
    asks: Callable[[str], bool] = lambda _: True,
) -> None:
    """Keep in `found` (`keep_pair`) the pairs of marks that evidence saying two texts name
    one thing makes, one way round: each mark X nearly `asked` (`limits`: (the score of
    "nearly", the similarity floor)) but not nearly `other`, and that `asks` (X's IRI),
    meets every mark F nearly `other` or containing it — one step of likeness, as
    who-else-uses reads the evidence. `evidence` is (the score it gives at most, with its one
    reason; the statements it rests on; its explanation, to which the second step is added:
    `second_step`)."""
    cap, statements, explanation = evidence
    same, floor = limits
    askers = [
        x for x in similar_marks(asked, same) if compare(marks[x], other).score < same and asks(x)
    ]
    if not askers:
        return
    hits = {
        f: similarity
        for f, similarity in similar_marks(other, floor).items()
        if similarity.score >= same or "containment" in similarity.reasons
    }
    for x in askers:
        for f, similarity in hits.items():
            left, right = canonical(x), canonical(f)
            if left == right:
                continue
            score = MarkSimilarity(min(similarity.score, cap.score), cap.reasons)
            why = explanation + second_step(other, marks[f], similarity, same)
            keep_pair(found, EvidencePair(left, right, score, statements, why))


def cite_pairs(
    select: Callable[[str], list[dict[str, str | None]]], pairs: Iterable[EvidencePair]
) -> list[EvidencePair]:
    """`pairs` with `EvidencePair.cited` filled: the statements some graph states, with
    exactly the graphs stating them (one query per 500 statements)."""
    pairs = list(pairs)
    cited = cite(select, (s for pair in pairs for s in pair.statements))
    return [
        replace(pair, cited=tuple(cited[s] for s in pair.statements if s in cited))
        for pair in pairs
    ]


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
                sources=source_refs(sources, sorted(graphs)),
            )
        )
    return found
