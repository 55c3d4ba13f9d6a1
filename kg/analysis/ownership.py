"""Owners over time: who owns a registration on a date, since when, after a chain of title.

A registration's recorded ownership changes (`OwnershipChange`: assignments, mergers, changes
of name) are applied in date order to its original owners (the rule is documented in
docs/ontology.md, "Owners over time"):

- the original owners are the assignors of the first change, with any tm:owner party that no
  change names at all (a co-owner that kept its share) where tm:owner names a party of the
  chain too; where the first change names no assignor, the tm:owner parties that no change
  names as an assignee; where that leaves none, every tm:owner;
- a change replaces the assignors it names among the current owners by its assignees (one
  co-owner can pass its share alone); where it names none of the current owners (a gap in the
  chain), its assignees replace every current owner: the dated change wins over an undated
  tm:owner;
- an owner holds the right `since` the date of the change that made it owner; a change of
  name, or a change between records of one entity (owl:sameAs), keeps the holder's date;
- a security interest (``SecurityInterest``) and an undated change change nothing;
- the register's records dated by the day each states the registration as of (tm:recordDate:
  a daily file's transaction date; `Holding.owner_records`, the current state and every
  earlier one) name the owners of their day: taken in date order among the changes (after
  the changes of the same day), a record naming other owners than the chain's current ones
  makes those it names the owners from its day (on or before it; `OwnerPeriod.named_on`)
  and ends the others there (`OwnerPeriod.unnamed_on`): the sources miss an assignment.
  Where the records are dated, a recorded owner no change names is not taken for a co-owner
  throughout; the records say from when it is one. Undated records leave the chain as it is.

A change counts on the date asked once its date's first day is no later than that date's
last day (a change dated 2019 counts for 2019-06). Pure functions over `Holding`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence

from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cited_graphs
from kg.analysis.model import (
    Cited,
    Holding,
    HoldingKind,
    OwnerPeriod,
    OwnerRecord,
    OwnershipChange,
)
from kg.analysis.sparql_text import TM

__all__ = ["OWNERSHIP_KINDS", "change_order", "owner_periods", "owners_on"]

OWNERSHIP_KINDS = frozenset({"OwnershipChange", "Assignment", "Merger", "NameChange"})
"""Kinds of recorded change that pass the right to another owner (tm:OwnershipChange and its
subclasses); a ``SecurityInterest`` is not one."""

_KEEPS_SINCE = frozenset({"NameChange"})
_VERBS = {
    "Assignment": "assigned",
    "Merger": "merged into another entity",
    "NameChange": "renamed",
    "OwnershipChange": "transferred",
}


def change_order(changes: Iterable[OwnershipChange]) -> list[OwnershipChange]:
    """The dated ownership changes in the order they took effect (security interests and
    undated changes left out). On one date, a change whose assignors another change of that
    date names as assignees comes after it; otherwise by IRI. A change restated with a
    later date that is only a bound (a newer daily file dating the same assignment by its
    own transaction date: two change records) is the earlier one: the later is left out
    (helper-127: it made its assignee owner again after a newer record named another)."""
    dated = _restated_left_out(
        [
            (d, c)
            for c in changes
            if c.kind in OWNERSHIP_KINDS and (d := PartialDate.try_parse(c.date)) is not None
        ]
    )
    by_day: dict[int, list[OwnershipChange]] = defaultdict(list)
    for date, change in dated:
        by_day[date.first_day].append(change)
    ordered: list[OwnershipChange] = []
    for day in sorted(by_day):
        pending = sorted(by_day[day], key=lambda c: c.id)
        while pending:
            receiving = {p for c in pending for p in c.assignees}
            first = next(
                (c for c in pending if not set(c.assignors) & (receiving - set(c.assignees))),
                pending[0],
            )
            ordered.append(first)
            pending.remove(first)
    return ordered


def _restated_left_out(
    dated: list[tuple[PartialDate, OwnershipChange]],
) -> list[tuple[PartialDate, OwnershipChange]]:
    """`dated` without the changes that restate an earlier one (same kind, assignors and
    assignees) with a later date that is only a bound (`OwnershipChange.date_bound`), where
    no change dated between the two passed the right on from its assignees (else it is a
    second transfer: A to B, B to A, A to B again)."""
    first: dict[tuple, int] = {}
    for date, change in dated:
        key = _same_change(change)
        first[key] = min(first.get(key, date.first_day), date.first_day)
    kept = []
    for date, change in dated:
        since = first[_same_change(change)]
        restated = change.date_bound and since < date.first_day
        if restated and not any(
            since < other_date.first_day < date.first_day
            and set(other.assignors) & set(change.assignees)
            for other_date, other in dated
        ):
            continue
        kept.append((date, change))
    return kept


def _same_change(change: OwnershipChange) -> tuple:
    return (change.kind, frozenset(change.assignors), frozenset(change.assignees))


def owner_periods(
    recorded_owners: Sequence[str],
    changes: Iterable[OwnershipChange],
    *,
    began: str | None = None,
    records: Sequence[OwnerRecord] = (),
    filed: str | None = None,
) -> list[OwnerPeriod]:
    """Every owner of a registration over time, in the order they became owners.

    An original owner holds it `since` `began` when given — the registration date, else the
    filing date, as every answer's "since" reads it (`kg.analysis.usage.holding_since`) —
    else None; a renamed holder keeps that date; one whose time ended before `began` (it
    assigned the application before registration) holds it since `filed`, the filing date,
    when given. `records` are the register's records of the
    registration dated by the day each states it as of, with the owners it names
    (`Holding.owner_records`): each, taken in date order among the changes (after those of
    its day), makes the owners it names the owners from its day where they differ from the
    chain's (`_apply_record`).

    >>> a = OwnershipChange(id="c1", kind="Assignment", registration="r", date="1990-05-01",
    ...                     assignors=("p",), assignees=("q",))
    >>> n = OwnershipChange(id="c2", kind="NameChange", registration="r", date="2001",
    ...                     assignors=("q",), assignees=("q2",))
    >>> [(p.party, p.since, p.until) for p in owner_periods(["q2"], [a, n])]
    [('p', None, '1990-05-01'), ('q', '1990-05-01', '2001'), ('q2', '1990-05-01', None)]
    >>> [(p.party, p.since) for p in owner_periods(["q2"], [a, n], began="1980-02-01")][:1]
    [('p', '1980-02-01')]
    >>> later = [OwnerRecord("1990-05-01", ("q",)), OwnerRecord("2024-03-01", ("d",))]
    >>> [(p.party, p.since, p.until) for p in owner_periods(["d"], [a], records=later)]
    [('p', None, '1990-05-01'), ('q', '1990-05-01', '2024-03-01'), ('d', '2024-03-01', None)]
    >>> len(owner_periods(["q"], [a], records=later[:1]))  # as the chain says
    2
    """
    ordered = change_order(changes)
    dated = sorted(
        (day, record.date, record.owners)
        for record in records
        if (day := _first_day(record.date)) is not None and record.owners
    )
    current: dict[str, OwnerPeriod] = {
        party: OwnerPeriod(party=party, since=began, until=None)
        for party in _original_owners(recorded_owners, ordered, co_owners=not dated)
    }
    ended: list[OwnerPeriod] = []
    for change in ordered:
        day = _first_day(change.date)
        while dated and day is not None and dated[0][0] < day:
            _apply_record(current, ended, *dated.pop(0)[1:])
        _apply_change(current, ended, change)
    for _, date, owners in dated:
        _apply_record(current, ended, date, owners)
    return [
        _filed_since(p, filed, began) if p.since == began and not p.acquired_by else p
        for p in (*ended, *current.values())
    ]


def _filed_since(period: OwnerPeriod, filed: str | None, registered: str | None) -> OwnerPeriod:
    """An original owner's period (`period`: none of its own says when it acquired the right)
    with `since` `filed`, the filing date, where its time ended before `registered`: it
    passed the application on before registration (helper-127 #3: since 2016-04-19, until
    2016-02-02)."""
    if period.named_on or not _before(period.until, registered):
        return period
    return dataclasses.replace(period, since=filed)


def _before(date: str | None, other: str | None) -> bool:
    """Whether `date`'s last day is before `other`'s first (both parse)."""
    one, two = PartialDate.try_parse(date), PartialDate.try_parse(other)
    return one is not None and two is not None and one.last_day < two.first_day


def _first_day(date: str | None) -> int | None:
    parsed = PartialDate.try_parse(date)
    return parsed.first_day if parsed is not None else None


def _apply_change(
    current: dict[str, OwnerPeriod], ended: list[OwnerPeriod], change: OwnershipChange
) -> None:
    """A change replaces the assignors it names among the current owners by its assignees
    (every current owner, where it names none of them)."""
    leaving = [p for p in change.assignors if p in current] or list(current)
    renamed = change.kind in _KEEPS_SINCE
    earlier = [current[p].since for p in leaving]
    since = change.date
    if renamed:  # the same holder under a new name keeps the date it acquired the right
        dated = [d for s in earlier if (d := PartialDate.try_parse(s)) is not None]
        since = None if None in earlier or not dated else str(min(dated))
    for party in leaving:
        period = current.pop(party)
        if party in change.assignees and not renamed:
            current[party] = period  # one entity on both sides: nothing changes for it
        else:
            ended.append(dataclasses.replace(period, until=change.date, ended_by=change))
    for party in change.assignees:
        if party not in current:
            current[party] = OwnerPeriod(party=party, since=since, until=None, acquired_by=change)


def _apply_record(
    current: dict[str, OwnerPeriod],
    ended: list[OwnerPeriod],
    date: str,
    owners: Sequence[str],
) -> None:
    """A register record stated as of `date` names the owners of that day: where they are
    not the current owners, those it does not name end then (`unnamed_on`) and those it
    names begin then (`named_on`: on or before that day; no change recorded says when)."""
    named = set(owners)
    if named == set(current):
        return
    for party in [p for p in current if p not in named]:
        period = current.pop(party)
        ended.append(dataclasses.replace(period, until=date, unnamed_on=date))
    for party in sorted(named - set(current)):
        current[party] = OwnerPeriod(party=party, since=date, until=None, named_on=date)


def owners_on(
    holdings: Iterable[Holding], as_of: PartialDate, *, include_lapsed: bool = False
) -> list[Holding]:
    """The registrations' holdings with the owners of `as_of`: one holding per owner on that
    date (``owner_since`` set to the date it acquired the right), and with `include_lapsed`
    one per former owner, ``lapsed`` with the date and the change that ended its ownership.
    Registrations without a dated ownership change, and uses, are returned as they are.

    >>> from kg.analysis.model import MarkRef
    >>> reg = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "MSG"),
    ...     party="q", on_behalf_of=None, jurisdiction="US", classes=(41,),
    ...     filing_date="1967-04-14", registration_date="1967-09-12", start_date=None,
    ...     end_date=None, registration_number="0835284", region=None, sources=(),
    ...     recorded_owners=("q",), ownership=(OwnershipChange(id="c", kind="Assignment",
    ...     registration="r", date="1990-05-01", assignors=("p",), assignees=("q",)),))
    >>> [(h.party, h.owner_since) for h in owners_on([reg], PartialDate.parse("2024"))]
    [('q', '1990-05-01')]
    >>> [(h.party, h.owner_since) for h in owners_on([reg], PartialDate.parse("1980"))]
    [('p', None)]
    >>> [(h.party, h.lapsed, h.ended) for h in owners_on([reg], PartialDate.parse("2024"),
    ...                                                   include_lapsed=True)]
    [('p', True, '1990-05-01'), ('q', False, None)]
    """
    result: list[Holding] = []
    done: set[str] = set()
    held_by = {(h.id, h.party): h for h in holdings}
    for holding in holdings:
        if holding.kind is not HoldingKind.REGISTERED_OWNER or not change_order(holding.ownership):
            result.append(holding)
            continue
        if holding.id in done:
            continue
        done.add(holding.id)
        recorded = holding.recorded_owners or (holding.party,)
        periods = owner_periods(recorded, holding.ownership, records=holding.owner_records)
        for period in periods:
            acquired = period.acquired_by.date if period.acquired_by is not None else None
            began = PartialDate.try_parse(acquired or period.named_on)
            if began is not None and began.first_day > as_of.last_day:
                continue  # not yet an owner on the date asked
            ended = PartialDate.try_parse(period.until)
            # the answer cites the record of the change that made the holder owner, too, and
            # states what the sources state of this owner, not of another (issue 16)
            statements = _period_statements(
                holding, held_by.get((holding.id, period.party)), period
            )
            if period.since is None:  # an original owner, or one renamed: since the filing?
                period = _filed_since(period, holding.filing_date, holding.registration_date)
            sources = cited_graphs(statements)
            if ended is None or ended.first_day > as_of.last_day:
                result.append(
                    dataclasses.replace(
                        holding,
                        party=period.party,
                        owner_since=period.since,
                        sources=sources,
                        statements=statements,
                    )
                )
            elif include_lapsed:
                lapsed = _lapsed(holding, period, statements)
                if lapsed is not None:
                    result.append(lapsed)
    return result


def _lapsed(holding: Holding, period: OwnerPeriod, statements: tuple[Cited, ...]) -> Holding | None:
    """A former owner's holding, lapsed on the day its time ended, with what ended it: the
    change it passed the right on by, or the newer record naming other owners. None for the
    old name of a renamed holder, or where nothing says what ended it."""
    if period.unnamed_on is not None:
        cited = (*statements, *_record_statements(holding, period.unnamed_on))
        reason = f"the register's record of {period.unnamed_on} does not name it"
    elif period.ended_by is not None:
        change = period.ended_by
        if change.kind in _KEEPS_SINCE:
            return None  # the same holder under its new name
        cited = _ended_by(statements, change, period.party)
        reason = f"{_VERBS.get(change.kind, 'transferred')} {change.on}"
    else:
        return None
    ended_by = tuple(dict.fromkeys(cited))
    return dataclasses.replace(
        holding,
        party=period.party,
        owner_since=period.since,
        sources=cited_graphs(ended_by),
        statements=ended_by,
        lapsed=True,
        ended=period.until,
        end_reason=f"no longer the owner: {reason}",
    )


def _period_statements(
    holding: Holding, own: Holding | None, period: OwnerPeriod
) -> tuple[Cited, ...]:
    """What the answer states of one owner's time: its own holding's statements where the
    registration's sources name it as owner, else the registration's facts without another
    owner's holder statement; and the change that made it owner (as its assignee), and where
    no source names it owner, the change by which it passed the right on (as its assignor)."""
    if own is not None:
        found = list(own.statements)
    else:
        found = [s for s in holding.statements if s.facts[0][0] != TM + "owner"]
    change = period.acquired_by
    if change is not None and period.party in change.assignees:
        found += change.cited("assignee", period.party)
    ended = period.ended_by
    if own is None and ended is not None and period.party in ended.assignors:
        # no source names it owner: the change it made says it held the right (till then)
        found += ended.cited("assignor", period.party)
    if period.named_on is not None:  # the record that named it owner, no change recorded
        found += _record_statements(holding, period.named_on, period.party)
    return tuple(dict.fromkeys(found))


def _record_statements(holding: Holding, date: str, party: str | None = None) -> tuple[Cited, ...]:
    """What says the register's record of `date` names its owners (with `party`, that it
    names that one): its date and owners, each with the graphs stating them."""
    for record in holding.owner_records:
        if record.date == date:
            return tuple(s for s in record.statements if party is None or s.facts[1][1] == party)
    return ()


def _ended_by(
    statements: tuple[Cited, ...], change: OwnershipChange, party: str
) -> tuple[Cited, ...]:
    """The owner's statements and the change that ended its time (naming it as assignor,
    its date and whether that date is a bound, `OwnershipChange.cited`)."""
    if party in change.assignors:
        return tuple(dict.fromkeys((*statements, *change.cited("assignor", party))))
    return statements


def _original_owners(
    recorded: Sequence[str], ordered: Sequence[OwnershipChange], *, co_owners: bool = True
) -> list[str]:
    """The owners before the first change (the module's rules); `co_owners` False (the
    record is dated after every change) leaves out the recorded owners no change names: the
    record says they own it then, not that they did throughout."""
    if not ordered:
        return sorted(set(recorded))
    named = {p for change in ordered for p in (*change.assignors, *change.assignees)}
    acquired = {p for change in ordered for p in change.assignees}
    if ordered[0].assignors:
        # where the record and the chain share an owner, a recorded owner that no change
        # names kept its share throughout (a co-owner); where they share none, the chain wins
        shared = co_owners and set(recorded) & named
        kept = set(recorded) - named if shared else set()
        return sorted(set(ordered[0].assignors) | kept)
    return sorted(set(recorded) - acquired) or sorted(set(recorded))


def _sources(change: OwnershipChange | None) -> tuple[str, ...]:
    return change.sources if change is not None else ()
