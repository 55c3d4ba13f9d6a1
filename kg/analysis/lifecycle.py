"""A mark's life on a date: whether a registration is pending, in force or a dead right.

The status scheme (``schema/status.ttl``) has three top concepts: ``pending`` (the holder is an
applicant), ``registered`` (in force) and ``ended`` (expired, abandoned, withdrawn, refused,
cancelled, invalidated). On a date (``as of``, default today):

- a registration whose status is an ended one is dead from its status date on;
- a registration past its expiry date, with no renewal dated up to a year before that date or
  later, is expired on the expiry date;
- a pending application, or a registration asked about before its registration date, is held
  by an applicant, never by a registered owner;
- a registration with no status data counts as registered and in force, as tmkg always read it;
- a right that did not exist yet is no right on that date, lapsed or not: a registration counts
  from its filing date (else its registration date), a use from its start date, an owner after
  a recorded change from the day it acquired the right (`kg.analysis.ownership`) — the rule
  who-else-uses, conflicts and priority share (`begun`).

A right that ended in the period asked (a day, a month or a year) may still have existed in it
and is kept. Pure functions over `Holding`; uses are left as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from kg.analysis.dates import PartialDate
from kg.analysis.model import FILED_KINDS, Holding, HoldingKind
from kg.analysis.ownership import owners_on

__all__ = [
    "ENDED",
    "PENDING",
    "RENEWAL_WINDOW_DAYS",
    "StatusScheme",
    "applicant_on",
    "begun",
    "end_of",
    "ended_by",
    "on_date",
    "start_of",
    "status_name",
]

PENDING = "pending"
ENDED = "ended"
RENEWAL_WINDOW_DAYS = 366
"""A renewal dated this long before an expiry date (or later) renews past it (offices accept
renewals in the term's last 6 to 12 months)."""


def on_date(
    holdings: Iterable[Holding], as_of: PartialDate, *, include_lapsed: bool = False
) -> list[Holding]:
    """The holdings as they stand on `as_of`: dead rights left out (or, with `include_lapsed`,
    kept with ``lapsed``, ``ended`` and ``end_reason`` set), applications held by applicants.

    >>> from kg.analysis.model import MarkRef
    >>> old = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "GRIGIOPERLA"),
    ...     party="p", on_behalf_of=None, jurisdiction="US", classes=(25,),
    ...     filing_date="1987-02-10",
    ...     registration_date=None, start_date=None, end_date=None, registration_number=None,
    ...     region=None, sources=(), status="abandoned", status_stage="ended",
    ...     status_date="2001-09-20")
    >>> on_date([old], PartialDate.parse("2024"))
    []
    >>> [(h.kind.value, h.lapsed, h.ended) for h in on_date([old], PartialDate.parse("2024"),
    ...                                                        include_lapsed=True)]
    [('APPLICANT', True, '2001-09-20')]
    >>> [h.kind.value for h in on_date([old], PartialDate.parse("1995"))]
    ['APPLICANT']

    A right not filed yet on the date is left out, even with `include_lapsed`:

    >>> on_date([old], PartialDate.parse("1986"), include_lapsed=True)
    []
    """
    kept = []
    # the owners of that date, after any chain of title (kg.analysis.ownership)
    for holding in owners_on(holdings, as_of, include_lapsed=include_lapsed):
        if not begun(holding, as_of):
            continue  # not filed (or used, or acquired) yet: no claim on that date
        if holding.kind is not HoldingKind.REGISTERED_OWNER:
            kept.append(holding)
            continue
        end = ended_by(holding, as_of)
        if end is not None and not include_lapsed:
            continue
        changes: dict = {}
        if applicant_on(holding, as_of):
            changes["kind"] = HoldingKind.APPLICANT
        if end is not None and not _ended_sooner(holding, end[0]):
            changes.update(lapsed=True, ended=end[0], end_reason=end[1])
        kept.append(dataclasses.replace(holding, **changes) if changes else holding)
    return kept


def _ended_sooner(holding: Holding, right_ended: str | None) -> bool:
    """Whether a former owner's holding (lapsed by a change of owner: `owners_on`) ended
    before the right itself did: its holder then says why it holds it no longer ("no longer
    the owner: assigned on 1989-11-27"), not the right's later end (a trial found a 1989
    assignor shown as the applicant of an application abandoned in 2001)."""
    if not holding.lapsed:
        return False
    own, right = PartialDate.try_parse(holding.ended), PartialDate.try_parse(right_ended)
    return own is not None and (right is None or own.last_day < right.first_day)


def start_of(holding: Holding) -> str | None:
    """The date a holding began to exist: a registration's (or application's) filing date,
    else its registration date; a use's start date. None when no source dates it."""
    if holding.kind in FILED_KINDS:
        return holding.filing_date or holding.registration_date
    return holding.start_date


def begun(holding: Holding, as_of: PartialDate) -> bool:
    """Whether a holding may exist at some time in `as_of` (a day, a month or a year) as far
    as its start goes: it began (was filed, first used) no later than the last day of `as_of`,
    and its holder had acquired it by then (``owner_since``, after a recorded change). An
    unknown date does not exclude it; a partial date counts from its first day.

    >>> from kg.analysis.model import MarkRef
    >>> app = Holding(id="r", kind=HoldingKind.APPLICANT, mark=MarkRef("m", "X"), party="p",
    ...     on_behalf_of=None, jurisdiction="US", classes=(25,), filing_date="2023-06-01",
    ...     registration_date=None, start_date=None, end_date=None, registration_number=None,
    ...     region=None, sources=())
    >>> [begun(app, PartialDate.parse(d)) for d in ("2023-05-31", "2023-06", "2023", "2024")]
    [False, True, True, True]
    """
    for text in (start_of(holding), holding.owner_since):
        start = PartialDate.try_parse(text)
        if start is not None and start.first_day > as_of.last_day:
            return False
    return True


def ended_by(holding: Holding, as_of: PartialDate) -> tuple[str | None, str] | None:
    """(when, why) a registration or application had ended by `as_of` (when: None if no
    source dates the end); None while it is in force then, and for a use (a use has no
    status: its end date is not a lapse). The rule of `on_date`.

    >>> from kg.analysis.model import MarkRef
    >>> old = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "X"),
    ...     party="p", on_behalf_of=None, jurisdiction="GB", classes=(9,), filing_date=None,
    ...     registration_date=None, start_date=None, end_date=None, registration_number=None,
    ...     region=None, sources=(), expiry_date="2020-06-01")
    >>> ended_by(old, PartialDate.parse("2024")), ended_by(old, PartialDate.parse("2020"))
    (('2020-06-01', 'expired (its term ended, no renewal recorded)'), None)
    """
    if holding.kind is not HoldingKind.REGISTERED_OWNER:
        return None
    ended, reason = _end(holding)
    if reason is None:
        return None
    end = PartialDate.try_parse(ended)
    return (ended, reason) if end is None or end.last_day < as_of.first_day else None


def end_of(holding: Holding) -> tuple[str | None, str | None]:
    """(the date a registration ended or will end, why) — (None, None) while nothing ends it:
    an ended status from its status date, else an expiry date with no renewal recorded."""
    return _end(holding)


def _end(holding: Holding) -> tuple[str | None, str | None]:
    """(the date the right ended or will end, why) — (None, None) while nothing ends it."""
    if holding.status_stage == ENDED:
        date = holding.status_date
        if date is None and holding.status == "expired":
            date = holding.expiry_date
        return date, _reason(holding)
    expiry = PartialDate.try_parse(holding.expiry_date)
    if expiry is None:
        return None, None
    renewal = PartialDate.try_parse(holding.renewal_date)
    if renewal is not None and renewal.last_day >= expiry.first_day - RENEWAL_WINDOW_DAYS:
        return None, None
    return holding.expiry_date, "expired (its term ended, no renewal recorded)"


def _reason(holding: Holding) -> str:
    own = ": ".join(part for part in (holding.status_code, holding.status_text) if part)
    if own and own.casefold() != (holding.status or "").casefold():
        return f"{holding.status} (office status {own})"
    return holding.status or "ended"


def applicant_on(holding: Holding, as_of: PartialDate) -> bool:
    """Whether the holder of a registration record was an applicant on `as_of`: the
    application was pending then, or it ended without ever being registered."""
    if holding.status_stage == PENDING:
        return True
    registered = PartialDate.try_parse(holding.registration_date)
    if registered is not None:
        return registered.first_day > as_of.last_day
    # A dead record with no registration date or number never became a registration.
    return holding.status_stage == ENDED and not holding.registration_number


class StatusScheme:
    """tmkg's status concepts (IRI -> top concept name), their labels and the USPTO's codes."""

    def __init__(
        self,
        stages: dict[str, str],
        labels: dict[str, str],
        uspto: dict[str, tuple[str, str | None]],
    ) -> None:
        self.stages, self.labels, self.uspto = stages, labels, uspto

    def normalize(
        self, stated: set[str], code: str | None, text: str | None, us: bool
    ) -> tuple[str | None, str | None]:
        """(the status concept, the USPTO table's text for the code) of a registration.

        A stated tm:markStatus wins; else a US record's code (or a code written as its status
        text, as ST.66 files do) read through the USPTO table; else the office's text (or
        code) matched against the scheme's labels, ignoring case. Unknown: (None, None).
        """
        known = sorted(c for c in stated if c in self.stages)
        if known:
            return known[0], None
        if us:
            for candidate in (code, text):
                if candidate and candidate.strip() in self.uspto:
                    return self.uspto[candidate.strip()]
        for candidate in (text, code):
            if candidate and candidate.strip().casefold() in self.labels:
                return self.labels[candidate.strip().casefold()], None
        return None, None


def status_name(iri: str) -> str:
    """The name of a status concept: ``.../id/status/abandoned`` -> ``abandoned``."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
