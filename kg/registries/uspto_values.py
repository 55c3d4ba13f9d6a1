"""The values of one USPTO case-file, checked: dates with 00 parts, the text of an element,
and the `CaseFile` that sends a bad core value to the errors and a bad optional one to the
warnings.

Source: USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*, product
TRTDXFAP: dates as 8 digits YYYYMMDD. Used by the readers of a case-file's parts
(`kg.registries.uspto_case`, `kg.registries.uspto_owners`, `kg.registries.uspto_classes`).
"""

from __future__ import annotations

import csv
from functools import lru_cache

import pyoxigraph as ox
from lxml import etree

from kg.registries.records import (
    FieldError,
    RowErrors,
    WarningTally,
    date_literal,
    jurisdiction_code,
)
from kg.resources import SCHEMA_DIR

__all__ = [
    "ENDED_STATUSES",
    "CaseFile",
    "cached_jurisdiction_code",
    "element_code",
    "element_text",
    "status_of_code",
    "uspto_date",
]

ENDED_STATUSES = frozenset(
    {"expired", "abandoned", "withdrawn", "refused", "cancelled", "invalidated", "ended"}
)
"""The statuses of ``schema/status.ttl`` under ``st:ended`` (and ``ended`` itself): a right of
one of them has ended."""


@lru_cache(maxsize=1 << 16)
def uspto_date(text: str) -> ox.Literal | None:
    """A USPTO date (YYYYMMDD, 00 for an unknown month or day) as precise as written, or None
    for an all-zero (unknown) date. Raises `FieldError` for anything else.

    >>> uspto_date("19870000").value, uspto_date("19870300").value, uspto_date("19870315").value
    ('1987', '1987-03', '1987-03-15')
    >>> uspto_date("00000000") is None
    True
    >>> uspto_date("10101")
    Traceback (most recent call last):
    kg.registries.records.FieldError: "10101" is not a USPTO date (YYYYMMDD, 00 for unknown parts)
    """
    value = text.strip()
    if len(value) != 8 or not value.isdigit():
        raise FieldError(f'"{value}" is not a USPTO date (YYYYMMDD, 00 for unknown parts)')
    year, month, day = value[:4], value[4:6], value[6:]
    if year == "0000":
        return None
    if month == "00" and day != "00":
        raise FieldError(f'"{value}" is not a date: a day without a month')
    try:
        if month == "00":
            return date_literal(year)
        return date_literal(f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}")
    except FieldError:
        raise FieldError(f'"{value}" is not a date (YYYYMMDD, 00 for unknown parts)') from None


def element_text(element: etree._Element) -> str:
    """An element's text with runs of white space collapsed (names, statements)."""
    text = element.text
    return " ".join(text.split()) if text else ""


def element_code(element: etree._Element) -> str:
    """An element's text stripped (codes, numbers, dates)."""
    text = element.text
    return text.strip() if text else ""


class CaseFile:
    """The checks of one case-file's values: errors for core values, warnings otherwise."""

    def __init__(self, serial: str, line: int, errors: RowErrors, tally: WarningTally) -> None:
        self.serial, self.line, self.errors, self.tally = serial, line, errors, tally
        self.before = len(errors.errors)

    @property
    def failed(self) -> bool:
        """True once a core value of this case-file has been reported as an error."""
        return len(self.errors.errors) > self.before

    def core_date(self, element: str, found: tuple[str, int] | None) -> ox.Literal | None:
        """A date the record cannot do without: a bad one is an error."""
        if not found or not found[0]:
            return None
        try:
            return uspto_date(found[0])
        except FieldError as error:
            self.errors.add(found[1], None, f"serial {self.serial}: {element}: {error}")
            return None

    def optional_date(self, element: etree._Element | None) -> ox.Literal | None:
        """A date the record can do without: a bad one is left out with a warning."""
        text = element_code(element) if element is not None else ""
        if not text:
            return None
        try:
            return uspto_date(text)
        except FieldError:
            self.tally.add(
                "optional date that is not a date: left out",
                element.sourceline,
                f"serial {self.serial} {element.tag} {text!r}",
            )
            return None


@lru_cache(maxsize=1)
def _status_table() -> dict[str, str]:
    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as table:
        return {row["code"].strip(): row["status"].strip() for row in csv.DictReader(table)}


def status_of_code(code: str) -> str | None:
    """The tmkg status (``schema/status.ttl``) of a USPTO ``status-code``, as
    ``schema/status-uspto.csv`` maps it (the USPTO's Table 1, Trademark Status Codes), or None
    for a code that table does not hold.

    >>> status_of_code("602"), status_of_code("800"), status_of_code("611")
    ('abandoned', 'registered', None)
    """
    return _status_table().get(code.strip())


# The same few codes recur on every case-file: checked once each.
cached_jurisdiction_code = lru_cache(maxsize=1024)(jurisdiction_code)
"""`jurisdiction_code`, each code checked once (owners' nationalities, priority claims)."""
