"""The owners of a USPTO case-file by party type, and the chain of title before them.

Sources followed: USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*,
product TRTDXFAP: ``party-type`` (10 original applicant, 11-19 new owners before
publication, 20 owner at publication, 21-29 new owners after publication, 30 original
registrant, 31-69 owners after registration, 70 correspondent in legacy records);
``legal-entity-type-code`` (01 individual). The tables as transcribed in
illeatmyhat/uspto-trademark-radar ``uspto_trademark_radar/lookups/*.csv`` (commit c9e15ff0),
read, not copied. See ``docs/registry-import.md`` (section "USPTO Trademark Daily XML") for the
owner rule.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from lxml import etree

from kg.registries.records import FieldError, Owner, OwnershipChange, owner_kind
from kg.registries.uspto_values import (
    CaseFile,
    cached_jurisdiction_code,
    element_code,
    element_text,
)

__all__ = [
    "ASSIGNMENT_RECORDED",
    "FORMER_COUNTRIES",
    "OwnerDateBounds",
    "change_bound",
    "owners_and_changes",
    "party_type",
]

_CORRESPONDENT_PARTY = 70
_UNKNOWN_PARTY = 99  # a party-type that is not a number: read as the latest
# "NC43000001ASSIGNEE OF": the code before the office's words of a name-change-explanation
_NC_CODE = re.compile(r"^NC\d+")
# The children of an owner that are read (lxml skips the others without making Python objects
# of them).
_OWNER = (
    "party-name",
    "party-type",
    "legal-entity-type-code",
    "nationality",
    "name-change-explanation",
)
_NAME_CHANGE = re.compile(r"CHANGE\s+OF\s+NAME|NAME\s+CHANGE", re.IGNORECASE)
_MERGER = re.compile(r"MERGE", re.IGNORECASE)


def owners_and_changes(
    case_file: CaseFile,
    owners: etree._Element | None,
    bounds: OwnerDateBounds | None = None,
) -> tuple[tuple[Owner, ...], tuple[OwnershipChange, ...]]:
    """The current owners (the highest party-type's) and the changes of owner before them.

    Party types count up the chain of title (10 original applicant ... 30 original
    registrant, 31-69 later owners), co-owners share one; each step to a group of other names
    is a change: a name change or merger where the new owner's name-change-explanation
    says so, else an assignment. The file gives no change a date: each is dated by the first
    of `bounds` it cannot be later than (`change_bound`), so the owner on every date before
    it is the earlier owner (the original applicant at filing); a change no bound covers is
    left undated (and is not stored) with a warning."""
    groups: dict[int, list[tuple[Owner, str]]] = {}
    for entry in owners if owners is not None else ():
        if entry.tag != "case-file-owner":
            continue
        fields: dict[str, etree._Element] = {}
        nationality = None
        for element in entry.iterchildren(*_OWNER):
            if element.tag == "nationality":
                nationality = element
            else:
                fields.setdefault(element.tag, element)
        name = element_text(fields["party-name"]) if "party-name" in fields else ""
        party = element_code(fields["party-type"]) if "party-type" in fields else ""
        if not name:
            continue
        if party and not party.isdigit():
            case_file.tally.add(
                "owner with a party-type that is not a number: read as current",
                entry.sourceline,
                f"serial {case_file.serial} {party!r}",
            )
        rank = int(party) if party.isdigit() else _UNKNOWN_PARTY
        if rank == _CORRESPONDENT_PARTY:
            continue
        entity_code = fields.get("legal-entity-type-code")
        entity = element_code(entity_code) if entity_code is not None else ""
        owner = Owner(
            name, _owner_kind(entity) if entity else None, _country(case_file, nationality)
        )
        explanation = fields.get("name-change-explanation")
        groups.setdefault(rank, []).append(
            (owner, element_text(explanation) if explanation is not None else "")
        )
    if not groups:
        return (), ()
    ranks = sorted(groups)
    bounds = bounds or OwnerDateBounds()
    steps = [
        (earlier, later)
        for earlier, later in itertools.pairwise(ranks)
        if {o.name for o, _ in groups[earlier]} != {o.name for o, _ in groups[later]}
    ]
    recorded_on = _recording_dates([later for _, later in steps], bounds)
    changes = []
    for earlier, later in steps:
        before, after = groups[earlier], groups[later]
        said = " ".join(_NC_CODE.sub("", text).strip() for _, text in after).strip()
        kind = (
            "name-change"
            if _NAME_CHANGE.search(said)
            else "merger"
            if _MERGER.search(said)
            else "assignment"
        )
        recordal = recorded_on.get(later)
        if recordal is not None:
            date, why = recordal
        else:
            date, why = change_bound(later, bounds)
        if date is None:
            case_file.tally.add(
                "change of owner with no date to bound it (no transaction-date): not stored, "
                "the earlier owner stays the owner on every date",
                case_file.line,
                f"serial {case_file.serial} party type {later}",
            )
        words = f'the office\'s words "{said}"; ' if said else ""
        changes.append(
            OwnershipChange(
                kind,
                tuple(o for o, _ in after),
                assignors=tuple(o for o, _ in before),
                date=date,
                date_bound=date is not None,  # a bound, never the day itself (`change_bound`)
                recordal_date=recordal[0] if recordal is not None else None,
                conveyance_text=f"{words}USPTO party type {later} ({party_type(later)}); {why}",
            )
        )
    return tuple(owner for owner, _ in groups[ranks[-1]]), tuple(changes)


@dataclass(frozen=True)
class OwnerDateBounds:
    """The dates of a case-file that bound its changes of owner (None where it has none):
    ``published-for-opposition-date`` (else the date of its notice-of-publication event),
    ``registration-date`` and the case-file's ``transaction-date`` (the day of the record: its
    owners held the right then); `recordings`, the dates of its assignment-recording events
    (`ASSIGNMENT_RECORDED`), in the file's order; `ended`, the day an ended right ended
    (abandonment or cancellation date): no change is dated after it."""

    published: ox.Literal | None = None
    registered: ox.Literal | None = None
    recorded: ox.Literal | None = None
    recordings: tuple[ox.Literal, ...] = ()
    ended: ox.Literal | None = None
    published_by: str = "published-for-opposition date"
    """What `published` is: the ``published-for-opposition-date``, or the event that stands
    for it."""


ASSIGNMENT_RECORDED = frozenset({"ASGN", "AOUM"})
"""USPTO event codes (TDXF v2.0, Table 5, event codes) of an assignment of ownership recorded
in the case: ``ASGN`` "AUTOMATIC UPDATE OF ASSIGNMENT OF OWNERSHIP", ``AOUM`` "ASSIGNMENT OF
OWNERSHIP UPDATED MANUALLY" (not ``ASCK`` "... NOT UPDATED AUTOMATICALLY" or ``AORN``
"... REVIEWED NOT UPDATED": nothing was recorded)."""


def change_bound(rank: int, bounds: OwnerDateBounds) -> tuple[ox.Literal | None, str]:
    """The date a change to the owners of party type `rank` took effect on or before, and why.

    The party-type table (USPTO TDXF v2.0 documentation, ``party-type``) says when each owner
    held the right: the owners up to type 20 (the original applicant, new owners before
    publication, the owner at publication) by the published-for-opposition date; up to type
    30 (new owners after publication, the original registrant) by the registration date;
    every owner, later ones too, by the record's transaction-date, the day the file names
    the current owners. The first of these dates the case-file has is the bound: the change
    may have taken effect earlier, never later. An ended right's changes are bounded by the
    day it ended (``bounds.ended``) too.

    >>> from kg.registries.uspto_values import uspto_date
    >>> bounds = OwnerDateBounds(uspto_date("19670627"), uspto_date("19670912"),
    ...                          uspto_date("20240925"))
    >>> [change_bound(rank, bounds)[0].value for rank in (11, 20, 21, 30, 40, 45)]
    ['1967-06-27', '1967-06-27', '1967-09-12', '1967-09-12', '2024-09-25', '2024-09-25']
    >>> change_bound(13, OwnerDateBounds(recorded=uspto_date("20160316")))[0].value
    '2016-03-16'
    >>> ended = OwnerDateBounds(recorded=uspto_date("20160316"), ended=uspto_date("20010920"))
    >>> change_bound(13, ended)[0].value
    '2001-09-20'
    >>> change_bound(45, OwnerDateBounds(uspto_date("19670627")))
    (None, 'the daily file gives no date of this change')
    """
    for limit, date, what in (
        (20, bounds.published, bounds.published_by),
        (30, bounds.registered, "registration date"),
        (
            _UNKNOWN_PARTY,
            bounds.recorded,
            "transaction-date of the record (its owners held it then)",
        ),
    ):
        if date is not None and rank <= limit:
            if bounds.ended is not None and _later(date, bounds.ended):
                date, what = bounds.ended, f"day the right ended (before the {what})"
            return date, (
                f"the daily file gives no date of this change: dated by the {what}, "
                f"{date.value}; it took effect on or before that day"
            )
    return None, "the daily file gives no date of this change"


def _later(one: ox.Literal, other: ox.Literal) -> bool:
    """True if date `one` (xsd:date, gYearMonth or gYear) falls after all of `other`."""
    return one.value[: len(other.value)] > other.value


def _recording_dates(
    later: list[int], bounds: OwnerDateBounds
) -> dict[int, tuple[ox.Literal, str]]:
    """The party types of the changes only the transaction-date bounds, each with the date of
    the assignment recorded for it, and why: the k-th such change is dated by the k-th
    assignment-recording event after the previous bound (publication or registration),
    where there are as many such events as such changes (the office recorded the change
    that day: it took effect on or before it). Otherwise none ({}): they keep the
    transaction-date. The case's own history dates them, so every daily file that restates
    the case gives them the same dates (and the same IRIs: no duplicates)."""
    covered = [
        (20, bounds.published, bounds.published_by),
        (30, bounds.registered, "registration date"),
    ]
    previous = None
    for limit, date, what in covered:
        if date is not None:
            later = [rank for rank in later if rank > limit]
            previous = (date, what)
    if not later or bounds.recorded is None:
        return {}
    upper = bounds.recorded
    if bounds.ended is not None and _later(upper, bounds.ended):
        upper = bounds.ended
    events = [
        day
        for day in bounds.recordings
        if (previous is None or _later(day, previous[0])) and not _later(day, upper)
    ]
    if len(events) != len(later):
        return {}
    since = f" after the {previous[1]}, {previous[0].value}" if previous else ""
    return {
        rank: (
            day,
            f"dated by assignment-recording event {k} of {len(events)}{since} "
            f"(USPTO event codes {'/'.join(sorted(ASSIGNMENT_RECORDED))}), {day.value}: the "
            "office recorded it that day; it took effect on or before that day",
        )
        for k, (rank, day) in enumerate(
            zip(later, sorted(events, key=lambda event: event.value), strict=True), 1
        )
    }


def party_type(rank: int) -> str:
    """What a USPTO ``party-type`` code means (TDXF v2.0 documentation; 31-39 are not used
    in legacy records, where 40-49 are the 1st-10th new owners entered after registration).

    >>> [party_type(n) for n in (10, 13, 20, 25, 30, 45, 99)]  # doctest: +NORMALIZE_WHITESPACE
    ['original applicant', 'new owner before publication', 'owner at publication',
     'new owner after publication', 'original registrant', 'owner after registration',
     'not a USPTO party type']
    """
    if rank == 10:
        return "original applicant"
    if 11 <= rank <= 19:
        return "new owner before publication"
    if rank == 20:
        return "owner at publication"
    if 21 <= rank <= 29:
        return "new owner after publication"
    if rank == 30:
        return "original registrant"
    if 31 <= rank <= 69:
        return "owner after registration"
    return "not a USPTO party type"


def _country(case_file: CaseFile, nationality: etree._Element | None) -> str | None:
    """The owner's country: ``nationality/country``; a US state alone (a company's state
    of incorporation) is the US."""
    if nationality is None:
        return None
    country = state = ""
    for element in nationality:
        if element.tag == "country":
            country = element_code(element)
        elif element.tag == "state":
            state = element_code(element)
    if not country:
        return "US" if state else None
    try:
        return cached_jurisdiction_code(country)
    except FieldError as problem:
        if country.upper() in FORMER_COUNTRIES:
            case_file.tally.add(
                "owner nationality of a former country (ISO 3166-3): left out",
                nationality.sourceline,
                f"serial {case_file.serial} {country!r}",
            )
        else:
            case_file.errors.add(
                nationality.sourceline or case_file.line,
                None,
                f"serial {case_file.serial}: owner nationality: {problem}",
            )
        return None


FORMER_COUNTRIES = frozenset(
    {"AN", "BU", "CS", "CT", "DD", "DY", "FQ", "FX", "HV", "JT", "MI", "NH", "NQ"}
    | {"NT", "PC", "PU", "PZ", "RH", "SU", "TP", "VD", "WK", "YD", "YU", "ZR"}
)
"""ISO 3166-3 codes of former countries (e.g. YU Yugoslavia, SU the USSR, DD the German
Democratic Republic, CS Czechoslovakia, AN the Netherlands Antilles, ZR Zaire): the USPTO's
backfile, from 1884, names owners of countries that no longer exist. tmkg has no jurisdiction
for them, so the nationality is left out with a warning; any other unknown code (``XX``,
``UK``) is an error, as in the ST.96 and ST.66 readers."""


# The same few codes recur on every case-file: checked once each.
_owner_kind = lru_cache(maxsize=256)(owner_kind)
