"""Who else uses a mark: parties holding the same or a similar mark, in a class, in a place.

Pure functions over holdings (see `kg.analysis.facts`); no store access here.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from kg.analysis.coverage import covers, route, route_note
from kg.analysis.dates import PartialDate, later_date
from kg.analysis.holding_statements import cited_graphs, shown
from kg.analysis.lifecycle import begun
from kg.analysis.mark_kinds import only_national_classes, usage_kind_fields
from kg.analysis.model import (
    Cited,
    Holding,
    HoldingKind,
    MarkUsage,
    PartyRef,
    SourceRef,
    name_statements,
    source_refs,
)
from kg.analysis.similarity import MarkSimilarity
from kg.analysis.sparql_text import TM

__all__ = [
    "MIN_CLASS_RELATEDNESS",
    "held_coverage",
    "holding_active",
    "holding_since",
    "since_sources",
    "who_else_uses",
]

MIN_CLASS_RELATEDNESS = 0.4
"""Classes at least this related count as "related" (the lower bound of the "complementary"
band in ``schema/nice.ttl``)."""


def holding_since(holding: Holding) -> str | None:
    """When a holding began: the date its holder acquired it by a recorded ownership change,
    else the registration (else filing) date, an application's filing date, or a use's start
    date."""
    if holding.kind is HoldingKind.APPLICANT:
        return holding.owner_since or holding.filing_date
    if holding.kind is HoldingKind.REGISTERED_OWNER:
        # an owner after a recorded change holds it since it acquired it (kg.analysis.ownership)
        return holding.owner_since or holding.registration_date or holding.filing_date
    return holding.start_date


_SINCE_FACTS = (TM + "registrationDate", TM + "filingDate", TM + "startDate")
"""The facts a holding's `holding_since` date may come from, in the order they are cited."""


def since_sources(holding: Holding) -> tuple[str, ...]:
    """The graphs stating the date `holding_since` gives (with the holder, for a use; for an
    owner after a recorded change, the change's), identity graphs included."""
    since = holding_since(holding)
    if since is None:
        return ()
    if holding.owner_since is not None and since == holding.owner_since:
        # the recorded change that made it owner (kg.analysis.ownership)
        return cited_graphs(shown(holding.statements, "assignee"))
    found: dict[str, list[Cited]] = {}  # one pass over the statements (a hit builds this)
    for statement in holding.statements:
        prop, value = statement.facts[-1]
        if value == since and prop in _SINCE_FACTS:
            found.setdefault(prop, []).append(statement)
    for prop in _SINCE_FACTS:
        if prop in found:
            return cited_graphs(found[prop])
    return ()


def holding_active(holding: Holding, as_of: PartialDate) -> bool:
    """Whether a holding may exist at some time in `as_of` (a day, a month or a year).

    Unknown dates do not exclude it. A registration counts from its filing date (an
    application is a right in waiting), an owner after a change from its acquisition: the
    rule conflicts and priority share (`kg.analysis.lifecycle.begun`); a partial date counts
    from its first day, and an end date to its last.
    """
    if not begun(holding, as_of):
        return False
    end = PartialDate.try_parse(holding.end_date)
    return not (end is not None and end.last_day < as_of.first_day)


def class_match(
    classes: Sequence[int], nice_class: int | None, relatedness: Mapping[frozenset[int], float]
) -> tuple[float | None, str]:
    """How a holding's classes relate to the asked class: (strength or None, a note)."""
    if nice_class is None:
        return None, ""
    if not classes:
        return None, "class not stated"
    if nice_class in classes:
        return 1.0, f"same class {nice_class}"
    best, best_class = 0.0, classes[0]
    for other in classes:
        strength = relatedness.get(frozenset((other, nice_class)), 0.0)
        if strength > best:
            best, best_class = strength, other
    return best, f"class {best_class} related to {nice_class} ({best:.2f})"


def who_else_uses(
    holdings: Sequence[Holding],
    similarities: Mapping[str, MarkSimilarity],
    *,
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
    relatedness: Mapping[frozenset[int], float],
    nice_class: int | None = None,
    jurisdiction: str | None = None,
    excluding: Collection[str] = (),
    as_of: PartialDate | None = None,
    min_class_relatedness: float = MIN_CLASS_RELATEDNESS,
) -> list[MarkUsage]:
    """Parties holding one of the similar marks, grouped by party, mark and how it is held.

    Parameters
    ----------
    holdings
        Registrations and uses of the candidate marks (canonical IRIs, sameAs merged).
    similarities
        Mark IRI -> its similarity to the asked mark; marks not in it are ignored. A holding
        IRI key overrides its mark's (a registration's verbal element, `kg.analysis.mark_kinds`).
        A holding whose classes are all national (pre-Nice) is left out when a class is asked.
    excluding
        Canonical party IRIs to leave out (e.g. the asker's own company).
    as_of
        Keep holdings that may exist on that day, or at some time in that month or year.
        Which registrations are dead rights, or held by applicants, on a date is decided
        before (`kg.analysis.lifecycle.on_date`); a dead right kept on request is its own
        hit, marked ``lapsed`` with the date and reason it ended.

    Holdings in another jurisdiction, or with no jurisdiction when one is asked, are left out,
    unless a regional or international right covers the one asked on the date (`Holding.coverage`,
    `kg.analysis.coverage`): such a hit says through what (`via`, and a reason);
    so are holdings whose classes are known and unrelated to `nice_class`. Holdings that state
    no class are kept, marked "class not stated".
    """
    groups: dict[tuple, list[tuple[Holding, float | None, str]]] = defaultdict(list)
    for holding in holdings:
        if _similarity(holding, similarities) is None or holding.party in excluding:
            continue
        if jurisdiction is not None and not covers(holding, jurisdiction):
            continue  # neither its own jurisdiction nor one its EM/WO right covers
        way = route(holding, jurisdiction)
        if way is not None and way.ended is not None and not holding.lapsed:
            # counted through a designation that ended (kept only when lapsed rights are asked)
            holding = dataclasses.replace(
                holding, lapsed=True, ended=way.ended, end_reason=way.end_reason
            )
        if as_of is not None and not holding_active(holding, as_of):
            continue
        if nice_class is not None and only_national_classes(holding):
            continue  # a national (pre-Nice) class is never a Nice class (kg.analysis.mark_kinds)
        strength, note = class_match(holding.classes, nice_class, relatedness)
        if strength is not None and strength < min_class_relatedness:
            continue
        key = (holding.party, holding.kind, holding.mark.id, holding.on_behalf_of, holding.lapsed)
        key += (holding.jurisdiction,)  # a use with no place is not a use in CN (issue 16)
        key += (_via(holding, jurisdiction),)  # a national right and an EM right: two hits
        groups[key].append((holding, strength, note))
    usages = [
        _routed(_usage(group, similarities, parties, sources), group[0][0], jurisdiction)
        for group in groups.values()
    ]
    usages.sort(
        key=lambda u: (
            -u.similarity,
            -(u.class_relatedness if u.class_relatedness is not None else 0.5),
            u.since or "9999",
            u.party.name,
        )
    )
    return usages


def _usage(
    group: list[tuple[Holding, float | None, str]],
    similarities: Mapping[str, MarkSimilarity],
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
) -> MarkUsage:
    if len(group) == 1:  # most hits: one right of one party (no merging to do)
        return _usage_of_one(*group[0], similarities, parties, sources)
    return _merged_usage(group, similarities, parties, sources)


def _merged_usage(
    group: list[tuple[Holding, float | None, str]],
    similarities: Mapping[str, MarkSimilarity],
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
) -> MarkUsage:
    """The hit of a group of holdings (one party's rights in one mark, held one way), their
    facts merged: the earliest start, the latest end if every one ends, every class, source,
    status and statement once."""
    first = group[0][0]
    similarity = similarities.get(first.id) or similarities[first.mark.id]
    holdings = [h for h, _, _ in group]
    strengths = [s for _, s, _ in group if s is not None]
    # the class note of the closest right only: it says why `class_relatedness` is what it
    # is ("same class 42"), where the notes of every right merged into the hit read as a
    # contradiction ("class 9 related to 42 (0.90), class not stated, same class 42")
    best = max(strengths) if strengths else None
    notes = _ordered({note for _, s, note in group if note and s == best})
    # one pass over the rights of the hit (~190 hits a question at a million marks)
    starts: list[tuple[Holding, PartialDate | None]] = []
    ends: list[PartialDate | None] = []
    graphs: set[str] = set()
    statuses: set[str] = set()
    classes: set[int] = set()
    statements: dict[Cited, None] = {}
    for h in holdings:
        starts.append((h, PartialDate.try_parse(holding_since(h))))
        ends.append(PartialDate.try_parse(h.end_date))
        graphs.update(h.sources)
        if h.status:
            statuses.add(h.status)
        classes.update(h.classes)
        statements.update(dict.fromkeys(h.statements))
    dates = [d for _, d in starts if d]
    earliest = min(dates) if dates else None
    since_graphs = _ordered(
        {g for h, d in starts if earliest is not None and d == earliest for g in since_sources(h)}
    )
    endings = sorted(
        ((PartialDate.try_parse(h.ended), h.ended, h.end_reason) for h in holdings if h.lapsed),
        key=lambda e: (e[0] is not None, e[0] or PartialDate(0)),
    )
    party = parties[first.party]
    on_behalf_of = parties[first.on_behalf_of] if first.on_behalf_of else None
    named = name_statements(party, on_behalf_of)
    statements.update(dict.fromkeys(named))
    graphs.update(cited_graphs(named))
    return MarkUsage(
        party=party,
        mark=first.mark,
        kind=first.kind,
        on_behalf_of=on_behalf_of,
        classes=_ordered(classes),
        class_relatedness=best,
        jurisdiction=first.jurisdiction,
        since=str(earliest) if earliest is not None else None,
        until=str(max(e for e in ends if e)) if all(ends) and ends else None,
        similarity=round(similarity.score, 4),
        reasons=(*similarity.reasons, *notes),
        holdings=_ordered({h.id for h in holdings}),
        sources=source_refs(sources, _ordered(graphs)),
        status="; ".join(_ordered(statuses)) or None,
        lapsed=first.lapsed,
        ended=endings[-1][1] if endings else None,
        end_reason=endings[-1][2] if endings else None,
        statements=tuple(statements),
        since_sources=source_refs(sources, since_graphs),
        **usage_kind_fields(holdings),  # type: ignore[arg-type]
    )


def _usage_of_one(
    holding: Holding,
    strength: float | None,
    note: str,
    similarities: Mapping[str, MarkSimilarity],
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
) -> MarkUsage:
    """`_usage` of a group of one holding, as it would merge it, without the merging (~40% of
    its cost; a question at a million marks has ~190 hits, most of one holding)."""
    similarity = similarities.get(holding.id) or similarities[holding.mark.id]
    earliest = PartialDate.try_parse(holding_since(holding))
    end = PartialDate.try_parse(holding.end_date)
    since_graphs = since_sources(holding) if earliest is not None else ()  # sorted, distinct
    party = parties[holding.party]
    on_behalf_of = parties[holding.on_behalf_of] if holding.on_behalf_of else None
    named = name_statements(party, on_behalf_of)
    return MarkUsage(
        party=party,
        mark=holding.mark,
        kind=holding.kind,
        on_behalf_of=on_behalf_of,
        classes=_ordered(set(holding.classes)),
        class_relatedness=strength,
        jurisdiction=holding.jurisdiction,
        since=str(earliest) if earliest is not None else None,
        until=str(end) if end else None,
        similarity=round(similarity.score, 4),
        reasons=(*similarity.reasons, note) if note else similarity.reasons,
        holdings=(holding.id,),
        sources=source_refs(sources, _ordered({*holding.sources, *cited_graphs(named)})),
        status=holding.status or None,
        lapsed=holding.lapsed,
        ended=holding.ended if holding.lapsed else None,
        end_reason=holding.end_reason if holding.lapsed else None,
        statements=tuple(dict.fromkeys((*holding.statements, *named))),
        since_sources=source_refs(sources, since_graphs),
        **usage_kind_fields((holding,)),  # type: ignore[arg-type]
    )


def _ordered(values: Collection) -> tuple:
    """`values` sorted, as a tuple (most hold one value: no sort)."""
    return tuple(values) if len(values) < 2 else tuple(sorted(values))


def _similarity(
    holding: Holding, similarities: Mapping[str, MarkSimilarity]
) -> MarkSimilarity | None:
    """A holding's similarity: its own (by holding IRI, e.g. from its verbal element), else its
    mark's."""
    return similarities.get(holding.id) or similarities.get(holding.mark.id)


def _via(holding: Holding, jurisdiction: str | None) -> str | None:
    found = route(holding, jurisdiction)
    return found.via if found else None


def held_coverage(holding: Holding) -> Holding:
    """The holding with each jurisdiction it covers dated from the later of the coverage's
    start (membership, designation) and the day its holder holds it (`holding_since`), so
    that "counts in FR through the regional right (EM) ..., since D" and the hit's "since"
    give one date: a registered owner's from its registration date, an applicant's from its
    filing, an assignee's from its acquisition."""
    held = holding_since(holding)
    if not holding.coverage or held is None:
        return holding
    coverage = tuple(
        dataclasses.replace(c, since=later_date(c.since, held) or held) for c in holding.coverage
    )
    return dataclasses.replace(holding, coverage=coverage)


def _routed(usage: MarkUsage, holding: Holding, jurisdiction: str | None) -> MarkUsage:
    """The hit saying through which regional or international right it counts in the
    jurisdiction asked (`kg.analysis.coverage.route`), when not through its own, since when
    its holder holds it there (`held_coverage`)."""
    if route(holding, jurisdiction) is None:
        return usage  # its own jurisdiction, or none asked: no route to tell
    note = route_note(held_coverage(holding), jurisdiction)
    if note is None:
        return usage
    return dataclasses.replace(
        usage, via=_via(holding, jurisdiction), reasons=(*usage.reasons, note)
    )
