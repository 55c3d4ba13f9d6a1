"""Partial dates as sources give them: a year, a year and month, or a day.

Sources are as precise as they can be ("2004", "2004-09", "2008-02-07"). Comparing them needs
care: "2004" and "2004-09" do not contradict each other, "2018-07-09" and "2018-07-12" do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

__all__ = ["PartialDate"]

_PATTERN = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?(?:Z|[+-]\d{2}:\d{2})?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Ordering is by the earliest day the date could mean, then less precise first, so a
    year-only date sorts at the start of its year.

    Examples
    --------
    >>> [str(d) for d in sorted(PartialDate.parse(t) for t in ["2008-02-07", "2004", "2004-09"])]
    ['2004', '2004-09', '2008-02-07']
    >>> PartialDate.parse("2004").compatible(PartialDate.parse("2004-09"))
    True
    >>> PartialDate.parse("2018-07-09").compatible(PartialDate.parse("2018-07-12"))
    False
    >>> str(PartialDate.parse("2018-07"))
    '2018-07'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse xsd:date, xsd:gYearMonth or xsd:gYear text (a time zone is ignored)."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise ValueError(f"not a date: {text!r}")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def try_parse(cls, text: str | None) -> PartialDate | None:
        """Like `parse`, but ``None`` for missing or unreadable text."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def earliest(self) -> dt.date:
        """The first day this date could mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this date could mean."""
        if self.day:
            return dt.date(self.year, self.month or 1, self.day)
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def compatible(self, other: PartialDate) -> bool:
        """Whether both can describe the same day (one refines the other)."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def _key(self) -> tuple[dt.date, int]:
        return (self.earliest, {"year": 0, "month": 1, "day": 2}[self.precision])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text
