"""Opposition windows: from when to when a published application can be opposed.

The periods are data, ``schema/opposition-periods.csv``: per jurisdiction a number of days or
of months from the publication date, whether it can be extended, the rule in words, the
statute it comes from and what was read to check it (docs/watch.md, "Opposition windows").
A window runs from the publication date to the publication date plus the period (month
arithmetic by `dateutil.relativedelta`: 30 November plus 3 months is 28 February, or the 29th
in a leap year). An office that states the period itself (ST.66 OppositionPeriodStartDate and
EndDate, `tm:oppositionPeriodStartDate`/`EndDate`) is followed instead: its window is
``stated=True``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache

from dateutil.relativedelta import relativedelta

from kg.analysis.watch_model import OppositionWindow
from kg.resources import SCHEMA_DIR

__all__ = ["STATED_RULE", "OppositionPeriod", "opposition_periods", "window"]

STATED_RULE = "stated by the office"


@dataclass(frozen=True)
class OppositionPeriod:
    """One jurisdiction's opposition period (a row of ``schema/opposition-periods.csv``)."""

    jurisdiction: str
    days: int | None
    months: int | None
    extendable: bool
    rule: str
    source: str

    def end(self, publication: dt.date) -> dt.date:
        """The period's last day for an application published on `publication`."""
        return publication + relativedelta(days=self.days or 0, months=self.months or 0)


@cache
def opposition_periods() -> dict[str, OppositionPeriod]:
    """The known periods by jurisdiction code (``"US"``, ``"EM"``, ``"CN"``, ``"GB"``, ...)."""
    with (SCHEMA_DIR / "opposition-periods.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return {
        row["jurisdiction"]: OppositionPeriod(
            jurisdiction=row["jurisdiction"],
            days=int(row["days"]) if row["days"] else None,
            months=int(row["months"]) if row["months"] else None,
            extendable=row["extendable"] == "true",
            rule=row["rule"],
            source=row["source"],
        )
        for row in rows
    }


def window(
    jurisdiction: str | None,
    publication_date: str | None,
    stated_start: str | None = None,
    stated_end: str | None = None,
) -> OppositionWindow | None:
    """The opposition window of an application published on `publication_date` (xsd:date
    text) in `jurisdiction`, or None when neither the office states one nor tmkg knows the
    jurisdiction's period and the publication date.

    The office's stated period wins (`stated_start`/`stated_end`, either may be missing).
    Dates that are not whole days (``"2024-05"``) compute nothing.

    >>> w = window("US", "2025-01-14")
    >>> w.start, w.end, w.extendable, w.stated
    ('2025-01-14', '2025-02-13', True, False)
    >>> window("EM", "2024-11-30").end
    '2025-02-28'
    >>> window("US", "2025-01-14", "2025-01-20", "2025-02-19").end
    '2025-02-19'
    >>> window("ZZ", "2025-01-14") is None, window("US", None) is None
    (True, True)
    """
    period = opposition_periods().get(jurisdiction or "")
    if stated_start or stated_end:
        return OppositionWindow(
            start=_day(stated_start).isoformat() if _day(stated_start) else stated_start,
            end=_day(stated_end).isoformat() if _day(stated_end) else stated_end,
            extendable=period.extendable if period else False,
            rule=STATED_RULE,
            rule_source=None,  # the office's own record, cited by the hit's sources
            stated=True,
        )
    published = _day(publication_date)
    if period is None or published is None:
        return None
    return OppositionWindow(
        start=published.isoformat(),
        end=period.end(published).isoformat(),
        extendable=period.extendable,
        rule=period.rule,
        rule_source=period.source,
        stated=False,
    )


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
