"""The cells of a CSV/TSV register extract, column by column: each parser takes a cell's text
(not empty) and returns its value, or raises `FieldError`, which the reader
(`kg.registries.csv`) reports with the file, line and column; `priority_claims` reads the
three priority columns together. Cells of the multi-valued columns hold several values
separated by `SEPARATOR` (docs/registry-import.md, section "CSV / TSV").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from kg.registries import records
from kg.registries.kinds import mark_feature_iri
from kg.registries.records import (
    OWNER_KINDS,
    FieldError,
    PriorityClaim,
    RowErrors,
    date_literal,
    jurisdiction_code,
)

__all__ = [
    "SEPARATOR",
    "class_scheme",
    "goods_services",
    "language",
    "mark_feature",
    "names",
    "national_classes",
    "nice_classes",
    "owner_kind",
    "per_owner",
    "priority_claims",
    "row_numbers",
    "vienna_codes",
]

SEPARATOR = "|"
"""Between the values of one cell: owners, representatives, priority claims, classes' texts."""
# ST.66 MarkImageCategory CategoryCode, Vienna Classification: category (01-29), division,
# section; written 26.01.11 or, as EUIPO's and KIPRIS's files do, 260111.
_VIENNA = re.compile(r"(0[1-9]|1[0-9]|2[0-9])\.?([0-9]{2})\.?([0-9]{2})")
_CLASS_PREFIX = re.compile(r"\s*([0-9][0-9A-Za-z.-]{0,7})\s*:\s*")
_NATIONAL_CODE = re.compile(r"[0-9A-Za-z.-]{1,16}")
_SPLIT_CODES = re.compile(r"[|;,\s]+")


def row_numbers(
    number: str, application: str, registration: str, granted: object
) -> tuple[str | None, str | None]:
    """(application number, registration number) of a row.

    The ``application_number`` and ``registration_number`` cells say which is which. A row
    with neither has only ``number``: it is the registration number where the row has a
    registration date, else the number of an application (which has no registration number).

    >>> row_numbers("5000001", "", "", "2009-02-14")
    (None, '5000001')
    >>> row_numbers("302016000123", "", "", None)
    ('302016000123', None)
    >>> row_numbers("78002299", "78002299", "", None)
    ('78002299', None)
    """
    if application or registration:
        return application or None, registration or None
    if granted is not None:
        return None, number
    return number, None


def names(text: str) -> tuple[str, ...]:
    """Names separated by ``|``, runs of spaces collapsed.

    >>> names("PRO MERITAGE INTERNATIONAL CO., LTD | 秦範丙")
    ('PRO MERITAGE INTERNATIONAL CO., LTD', '秦範丙')
    >>> names("A Ltd || B Ltd")
    Traceback (most recent call last):
    kg.registries.records.FieldError: an empty name between "|" separators
    """
    found = tuple(" ".join(part.split()) for part in text.split(SEPARATOR))
    if not all(found):
        raise FieldError(f'an empty name between "{SEPARATOR}" separators')
    return found


def _split(text: str, parse: Callable[[str], Any]) -> tuple[Any, ...]:
    """The ``|``-separated values of a cell, each parsed."""
    return tuple(parse(part) for part in text.split(SEPARATOR))


def per_owner(text: str, parse: Callable[[str], str], count: int) -> tuple[str, ...]:
    """One value for every owner, or one value per owner (``|``-separated, in their order)."""
    values = _split(text, parse)
    if len(values) not in (1, count):
        raise FieldError(f"{len(values)} values for {count} owner(s): give one, or one per owner")
    return values


def owner_kind(text: str) -> str:
    """``person`` or ``company`` (`OWNER_KINDS`), written in any case."""
    kind = text.strip().lower()
    if kind not in OWNER_KINDS:
        raise FieldError(f'"{text.strip()}" is not an owner kind (person or company)')
    return kind


def class_scheme(text: str) -> bool:
    """True for ``national`` (the office's own classes), False for ``nice``."""
    scheme = text.strip().lower()
    if scheme not in ("nice", "national"):
        raise FieldError(f'"{text}" is not a class scheme (nice or national)')
    return scheme == "national"


def nice_classes(text: str) -> tuple[int, ...]:
    """Nice class numbers, sorted and distinct, also from a ``|``-separated list."""
    return records.nice_classes(text.replace(SEPARATOR, ";"))


def national_classes(text: str) -> tuple[str, ...]:
    """An office's own class codes as written, in order, distinct: "032 | 271" -> ("032", "271")."""
    codes = tuple(dict.fromkeys(code for code in _SPLIT_CODES.split(text) if code))
    for code in codes:
        if not _NATIONAL_CODE.fullmatch(code):
            raise FieldError(f'"{code}" is not a class code (letters, digits, "." or "-")')
    return codes


def goods_services(text: str, classes: tuple, national: bool) -> dict[Any, str]:
    """Class -> its goods and services text, from one class's text or ``9: text | 42: text``.

    >>> goods_services("9: software | 42: hosting", (9, 42), False)
    {9: 'software', 42: 'hosting'}
    >>> goods_services("software", (9,), False)
    {9: 'software'}
    >>> goods_services("software", (9, 42), False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.registries.records.FieldError: the row has 2 classes: ... "9: text | 42: text", or ...
    """
    if not _CLASS_PREFIX.match(text):
        if not classes:
            raise FieldError('a text needs its class: one class in "classes", or "9: text"')
        if len(classes) != 1:
            raise FieldError(
                f"the row has {len(classes)} classes: give each class's text as "
                f'"{classes[0]}: text | {classes[1]}: text", or one row per class'
            )
        return {classes[0]: " ".join(text.split())}
    texts: dict[Any, str] = {}
    for part in text.split(SEPARATOR):
        match = _CLASS_PREFIX.match(part)
        if match is None:
            raise FieldError(f'"{part.strip()[:40]}" does not start with its class ("9: ...")')
        key = national_classes(match[1])[0] if national else nice_classes(match[1])[0]
        if classes and key not in classes:
            raise FieldError(f"class {match[1]} is not among the row's classes")
        texts[key] = " ".join(part[match.end() :].split())
    return texts


def language(text: str) -> str:
    """A BCP 47 language tag ("en", "zh-Hant", "ko-Latn"), as the store checks it."""
    try:
        ox.Literal("", language=text.strip())
    except ValueError:
        raise FieldError(f'"{text}" is not a BCP 47 language tag (en, zh-Hant, ko-Latn)') from None
    return text.strip()


def mark_feature(text: str) -> str:
    """A kind of mark tmkg knows (``schema/mark-features.ttl``), runs of spaces collapsed."""
    if mark_feature_iri(text) is None:
        raise FieldError(
            f'"{text}" is not a kind of mark tmkg knows (Word, Stylized characters, '
            "Figurative, Combined, 3-D, Colour, Sound, Hologram, Olfactory, Motion, Position, "
            "Pattern, Multimedia, Other; schema/mark-features.ttl)"
        )
    return " ".join(text.split())


def vienna_codes(text: str) -> tuple[str, ...]:
    """Vienna codes as tmkg states them (26.01.11), from 26.01.11 or 260111.

    >>> vienna_codes("260111 | 02.01.01")
    ('26.01.11', '02.01.01')
    """
    codes = []
    for code in _SPLIT_CODES.split(text):
        if not code:
            continue
        match = _VIENNA.fullmatch(code)
        if match is None:
            raise FieldError(f'"{code}" is not a Vienna code (26.01.11 or 260111)')
        codes.append(".".join(match.groups()))
    return tuple(dict.fromkeys(codes))


def priority_claims(
    cell: Callable[[str], str],
    check: Callable[..., Any],
    header: dict[str, int],
    line: int,
    errors: RowErrors,
) -> tuple[PriorityClaim, ...]:
    """The row's Paris Convention priority claims: ``|``-separated lists, claim by claim."""
    if not any(cell(column) for column in _PRIORITY):
        return ()
    countries = check("priority_country", lambda text: _split(text, jurisdiction_code), ())
    dates = check("priority_date", lambda text: _split(text, _priority_date), ())
    numbers = _split(cell("priority_number"), str.strip) if cell("priority_number") else ()
    count = max(len(countries), len(dates), len(numbers))
    for column in ("priority_country", "priority_date"):
        if not cell(column):
            where = header[column] + 1 if column in header else None
            errors.add(line, where, f"{column}: a priority claim needs its country and date")
            return ()
    for column, values in zip(_PRIORITY, (countries, dates, numbers), strict=True):
        if values and len(values) != count:
            errors.add(
                line,
                header[column] + 1,
                f"{column}: {len(values)} value(s) for {count} priority claims "
                f'("{SEPARATOR}"-separated, claim by claim)',
            )
            return ()
    if len(countries) != count or len(dates) != count:
        return ()  # a bad value, already reported
    return tuple(
        PriorityClaim(country, date, (numbers[i] or None) if numbers else None)
        for i, (country, date) in enumerate(zip(countries, dates, strict=True))
    )


_PRIORITY = ("priority_country", "priority_date", "priority_number")


def _priority_date(text: str) -> ox.Literal:
    date = date_literal(text)
    if not date.datatype.value.endswith("#date"):
        raise FieldError(f'"{text.strip()}" is not a day (YYYY-MM-DD): a priority date is a day')
    return date
