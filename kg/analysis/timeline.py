"""Timelines: dated facts about a party or a case, in order, each with its sources.

Partial dates sort by their earliest possible day, less precise first ("2004" before
"2004-09"); undated entries come last. When sources give one event different dates, each
date is its own entry with its own sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.analysis.dates import PartialDate
from kg.analysis.model import TimelineEntry

__all__ = ["order_timeline"]


def order_timeline(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Sort entries by date (partial dates sensibly, undated last), then kind and subject.

    >>> from kg.analysis.model import TimelineEntry as T
    >>> [e.date for e in order_timeline([T("2004-09", "filing", "r", "", (), ()),
    ...     T(None, "appeal", "a", "", (), ()), T("2004", "filing", "r", "", (), ())])]
    ['2004', '2004-09', None]
    """

    def key(entry: TimelineEntry) -> tuple:
        date = PartialDate.try_parse(entry.date)
        return (date is None, date or PartialDate(9999), entry.kind, entry.subject)

    return sorted(entries, key=key)
