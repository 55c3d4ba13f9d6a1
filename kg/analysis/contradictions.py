"""Contradictions: one fact given incompatible values, by one source or by several.

Three kinds are found:

- **conflicting values** — a property that has one true value (a date, an amount, a number,
  a text) is given values that cannot all be true. Partial dates that refine each other
  ("2004" and "2004-09") agree; so do amounts where one is the other rounded to its own
  precision (76.46 million and 76,463,000).
- **different parties** — sources name disjoint sets of parties for the owner or user of one
  registration or use, or for the court of one case (after owl:sameAs).
- **payer is also payee** — within one source, a judgment orders a party to pay itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import combinations

from kg.analysis.dates import PartialDate
from kg.analysis.model import Cited, Contradiction, ContradictionSide, SourceRef, source_refs
from kg.analysis.sparql_text import camel_words
from kg.analysis.wording import joined, sentence

__all__ = [
    "ONE_PARTY_PER_SOURCE",
    "SINGLE_VALUED",
    "Statement",
    "compatible",
    "find_contradictions",
]

TM = "https://w3id.org/tmkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SINGLE_VALUED = frozenset(
    TM + name
    for name in (
        "date",
        "filingDate",
        "registrationDate",
        "startDate",
        "endDate",
        "claimedDate",
        "damages",
        "costs",
        "claimAmount",
        "currency",
        "registrationNumber",
        "caseNumber",
        "text",
        "approximateAmountUSD",
    )
) | {"https://schema.org/foundingDate"}
ONE_PARTY_PER_SOURCE = frozenset(TM + name for name in ("owner", "user", "court"))
_DATES = {XSD + "date", XSD + "gYear", XSD + "gYearMonth"}
_NUMBERS = {XSD + "decimal", XSD + "integer", XSD + "double", XSD + "float"}


@dataclass(frozen=True)
class Statement:
    """One stated fact, subject and IRI values already resolved through owl:sameAs."""

    subject: str
    property: str
    value: str
    datatype: str | None  # None for an IRI
    graph: str


def compatible(left: Statement, right: Statement) -> bool:
    """Whether two values of one property can both be true.

    >>> s = lambda v, t: Statement("s", "p", v, XSD + t, "g")
    >>> compatible(s("2004", "gYear"), s("2004-09", "gYearMonth"))
    True
    >>> compatible(s("2018-07-09", "date"), s("2018-07-12", "date"))
    False
    >>> compatible(s("76460000", "decimal"), s("76463000", "decimal"))
    True
    >>> compatible(s("76460000", "decimal"), s("76480000", "decimal"))
    False
    """
    if left.value == right.value:
        return True
    if left.datatype in _DATES and right.datatype in _DATES:
        a, b = PartialDate.try_parse(left.value), PartialDate.try_parse(right.value)
        return a is not None and b is not None and a.compatible(b)
    if left.datatype in _NUMBERS and right.datatype in _NUMBERS:
        return _same_when_rounded(left.value, right.value)
    if left.datatype is not None and right.datatype is not None:
        return left.value.casefold().strip() == right.value.casefold().strip()
    return False


def _same_when_rounded(a: str, b: str) -> bool:
    try:
        x, y = Decimal(a), Decimal(b)
    except InvalidOperation:
        return False
    if x == y:
        return True
    # The less precise figure (fewer significant digits) may be the other one rounded.
    coarse, fine = (x, y) if _significant(x) <= _significant(y) else (y, x)
    exponent = coarse.normalize().as_tuple().exponent
    quantum = Decimal(1).scaleb(int(exponent))  # type: ignore[arg-type]
    return (
        fine.quantize(quantum) == coarse
        if int(exponent) <= 0
        else ((fine / quantum).quantize(Decimal(1)) * quantum == coarse)
    )


def _significant(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)


def find_contradictions(
    statements: Iterable[Statement],
    *,
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> list[Contradiction]:
    """Every contradiction among the statements (see the module docstring for the kinds)."""
    by_fact: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        by_fact[(statement.subject, statement.property)].append(statement)
    found: list[Contradiction] = []
    for (subject, prop), group in sorted(by_fact.items()):
        if prop in SINGLE_VALUED:
            found += _conflicting_values(subject, prop, group, labels, sources)
        elif prop in ONE_PARTY_PER_SOURCE:
            found += _different_parties(subject, prop, group, labels, sources)
    found += _payer_is_payee(by_fact, labels, sources)
    return found


def _label(iri: str, labels: Mapping[str, str]) -> str:
    return labels.get(iri) or iri.rsplit("/", 1)[-1]


def _words(prop: str) -> str:
    """A property in words: tm:filingDate -> "filing date", schema:name -> "name"."""
    return camel_words(prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]) or prop


def _short(prop: str) -> str:
    return prop.replace(TM, "tm:").replace("https://schema.org/", "schema:")


def _sides(
    values: Mapping[str, set[str]],
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
    iris: bool,
    subject: str,
    prop: str,
) -> tuple[ContradictionSide, ...]:
    return tuple(
        ContradictionSide(
            value=_label(value, labels) if iris else value,
            sources=source_refs(sources, sorted(graphs)),
            statements=(Cited(subject, ((prop, value),), tuple(sorted(graphs))),),
        )
        for value, graphs in sorted(values.items())
    )


def _conflicting_values(
    subject: str,
    prop: str,
    group: Sequence[Statement],
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> list[Contradiction]:
    distinct = {s.value: s for s in group}
    clashes = [
        (a.value, b.value)
        for a, b in combinations(sorted(distinct.values(), key=lambda s: s.value), 2)
        if not compatible(a, b)
    ]
    if not clashes:
        return []
    pairs = "; ".join(f"{a} vs {b}" for a, b in clashes)
    name = _label(subject, labels)
    givers = "One source gives" if len({s.graph for s in group}) == 1 else "Sources give"
    explanation = sentence(f"{givers} {name} incompatible {_words(prop)} values: {pairs}")
    return [
        _contradiction(
            subject, prop, group, "conflicting values", explanation, labels, sources, iris=False
        )
    ]


def _different_parties(
    subject: str,
    prop: str,
    group: Sequence[Statement],
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> list[Contradiction]:
    per_graph: dict[str, set[str]] = defaultdict(set)
    for statement in group:
        per_graph[statement.graph].add(statement.value)
    sets = list(per_graph.values())
    if not any(not (a & b) for a, b in combinations(sets, 2)):
        return []
    name = _label(subject, labels)
    names = joined(sorted({_label(s.value, labels) for s in group}))
    explanation = sentence(f"Sources disagree on the {_words(prop)} of {name}: {names}")
    return [
        _contradiction(
            subject, prop, group, "different parties", explanation, labels, sources, iris=True
        )
    ]


def _contradiction(
    subject: str,
    prop: str,
    group: Sequence[Statement],
    kind: str,
    explanation: str,
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
    *,
    iris: bool,
) -> Contradiction:
    """One contradiction whose sides are the distinct values, each with its graphs' sources."""
    values: dict[str, set[str]] = defaultdict(set)
    for statement in group:
        values[statement.value].add(statement.graph)
    return Contradiction(
        subject=subject,
        subject_label=_label(subject, labels),
        property=_short(prop),
        kind=kind,
        explanation=explanation,
        sides=_sides(values, labels, sources, iris, subject, prop),
    )


def _payer_is_payee(
    by_fact: Mapping[tuple[str, str], list[Statement]],
    labels: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> list[Contradiction]:
    found = []
    for (subject, prop), payers in sorted(by_fact.items()):
        if prop != TM + "payer":
            continue
        payees = by_fact.get((subject, TM + "payee"), [])
        clashing_graphs = sorted(
            {p.graph for p in payers}
            & {
                q.graph
                for q in payees
                if any(q.value == p.value and q.graph == p.graph for p in payers)
            }
        )
        if not clashing_graphs:
            continue
        values: dict[str, set[str]] = defaultdict(set)
        stated: dict[str, tuple[str, str]] = {}
        for statement in [*payers, *payees]:
            role = "payer" if statement.property == TM + "payer" else "payee"
            side = f"{role}: {_label(statement.value, labels)}"
            values[side].add(statement.graph)
            stated[side] = (statement.property, statement.value)
        both = sorted(
            {
                _label(p.value, labels)
                for p in payers
                for q in payees
                if p.value == q.value and p.graph == q.graph
            }
        )
        name = _label(subject, labels)
        titles = ", ".join(
            (sources.get(g) or SourceRef(graph=g)).title or g for g in clashing_graphs
        )
        found.append(
            Contradiction(
                subject=subject,
                subject_label=name,
                property="tm:payer / tm:payee",
                kind="payer is also payee",
                explanation=sentence(
                    f"{titles} has {joined(both)} both pay and receive the award of {name}"
                ),
                sides=tuple(
                    ContradictionSide(
                        value=value,
                        sources=source_refs(sources, sorted(graphs)),
                        statements=(Cited(subject, (stated[value],), tuple(sorted(graphs))),),
                    )
                    for value, graphs in sorted(values.items())
                ),
            )
        )
    return found
