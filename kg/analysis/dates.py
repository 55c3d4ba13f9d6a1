"""Partial dates as sources give them: a year, a year and month, or a day.

Sources are as precise as they can be ("2004", "2004-09", "2008-02-07"). Comparing them needs
care: "2004" and "2004-09" do not contradict each other, "2018-07-09" and "2018-07-12" do.

Any date the loader accepts is read here: the XSD 1.1 lexical forms of xsd:gYear,
xsd:gYearMonth, xsd:date and xsd:dateTime, with negative years, year 0000 (1 BCE, as in
ISO 8601), years past 9999, time zones and the end-of-day time 24:00:00. Python's
`datetime.date` holds only years 1 to 9999, so days are counted here as whole numbers (day
numbers, equal to `datetime.date.toordinal` where both exist) and a `datetime.date` is made
only on request, where it exists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

__all__ = ["PartialDate", "day_number", "later_date"]

# XSD 1.1 Part 2, appendix D: a year has at least four digits, and no leading zero past four.
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_TIMEZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_TIME = r"T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|(24):00:00(?:\.0+)?)"
_PATTERN = re.compile(
    rf"({_YEAR})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:{_TIME})?)?)?{_TIMEZONE}"
)
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_EPOCH_SHIFT = 719_468  # day 0 of `_days_from_0000_03_01` is 0000-03-01


def _is_leap(year: int) -> bool:
    """Proleptic Gregorian leap years; year 0 (1 BCE) is one, as in XSD 1.1 and ISO 8601."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def day_number(year: int, month: int, day: int) -> int:
    """The day number of a proleptic Gregorian day, for any integer year.

    It equals `datetime.date.toordinal` (0001-01-01 is day 1) where that exists, and goes on
    past both ends; year 0 is 1 BCE.

    >>> day_number(2008, 2, 7) == dt.date(2008, 2, 7).toordinal()
    True
    >>> day_number(0, 12, 31), day_number(-1, 12, 31)
    (0, -366)
    """
    # Counting in 400-year eras from March, so the leap day ends a year (H. Hinnant's method).
    shifted = year - (month <= 2)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - _EPOCH_SHIFT + dt.date(1970, 1, 1).toordinal()


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, in any year.

    Ordering is by the first day the date could mean, then less precise first, so a
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
    >>> [str(d) for d in sorted(PartialDate.parse(t) for t in ["10000", "-0044", "0000"])]
    ['-0044', '0000', '10000']
    >>> str(PartialDate.parse("1999-12-31T24:00:00"))
    '2000-01-01'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse xsd:date, xsd:dateTime, xsd:gYearMonth or xsd:gYear text.

        A time zone is ignored (the day is the one the source wrote); a date-time keeps its
        day, and 24:00:00 is the first moment of the next day, as XSD 1.1 says.
        """
        match = _PATTERN.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"not a date: {text!r}")
        year_text, month_text, day_text, end_of_day = match.groups()
        year = int(year_text)
        if not day_text:
            return cls(year, int(month_text) if month_text else None)
        month, day = int(month_text), int(day_text)
        if day > _days_in_month(year, month):
            raise ValueError(f"not a date: {text!r} (no day {day} in that month)")
        if end_of_day:
            return cls.from_day_number(day_number(year, month, day) + 1)
        return cls(year, month, day)

    @classmethod
    def try_parse(cls, text: str | None) -> PartialDate | None:
        """Like `parse`, but ``None`` for missing or unreadable text. The dates of a register
        repeat (a filing day, a member state's accession): the last 65,536 texts read are
        remembered (the dates are immutable)."""
        if not text:
            return None
        return _try_parse(text) if cls is PartialDate else cls._try_parse_uncached(text)

    @classmethod
    def _try_parse_uncached(cls, text: str) -> PartialDate | None:
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @classmethod
    def of(cls, value: dt.date) -> PartialDate:
        """The day of a `datetime.date` (or the date of a `datetime.datetime`)."""
        return cls(value.year, value.month, value.day)

    @classmethod
    def today(cls) -> PartialDate:
        """Today's date (the machine's local day): the default "as of" of every answer."""
        return cls.of(dt.date.today())

    @classmethod
    def from_day_number(cls, number: int) -> PartialDate:
        """The day with this `day_number`."""
        # The inverse of `day_number` (H. Hinnant's civil_from_days).
        days = number - dt.date(1970, 1, 1).toordinal() + _EPOCH_SHIFT
        era = days // 146_097
        day_of_era = days - era * 146_097
        year_of_era = (
            day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146_096
        ) // 365
        day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
        shifted_month = (5 * day_of_year + 2) // 153
        day = day_of_year - (153 * shifted_month + 2) // 5 + 1
        month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
        return cls(year_of_era + era * 400 + (month <= 2), month, day)

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> int:
        """The day number of the first day this date could mean."""
        return day_number(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> int:
        """The day number of the last day this date could mean."""
        if self.day:
            return day_number(self.year, self.month or 1, self.day)
        if self.month:
            return day_number(self.year, self.month, _days_in_month(self.year, self.month))
        return day_number(self.year, 12, 31)

    def to_date(self) -> dt.date | None:
        """The first day as a `datetime.date`, or ``None`` outside its years 1 to 9999."""
        if not dt.MINYEAR <= self.year <= dt.MAXYEAR:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    def compatible(self, other: PartialDate) -> bool:
        """Whether both can describe the same day (one refines the other)."""
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    @property
    def sort_key(self) -> tuple[int, int]:
        """What dates are ordered by: the first day, then the less precise first."""
        return (self.first_day, _PRECISION_RANK[self.precision])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        """The XSD lexical form: at least four year digits, a minus sign before BCE years."""
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text


def later_date(first: str | None, second: str | None) -> str | None:
    """Of two date texts (xsd:date, xsd:gYearMonth or xsd:gYear), the later by
    `PartialDate.sort_key` (of equal keys, the greater text); a text that is not a date is
    passed over; None when neither is one.

    >>> later_date("2019-05", "2019-05-02"), later_date(None, "2020"), later_date("x", None)
    ('2019-05-02', '2020', None)
    """
    dates = [(d, t) for t in (first, second) if (d := PartialDate.try_parse(t)) is not None]
    return max(dates)[1] if dates else None


@lru_cache(maxsize=65536)
def _try_parse(text: str) -> PartialDate | None:
    return PartialDate._try_parse_uncached(text)
