"""Reading CSV/TSV register extracts into checked `RegistryRecord`s.

The columns (header row required, UTF-8, any order) are ``mark, owner, owner_kind,
owner_country, classes, jurisdiction, filing_date, registration_date, number,
application_number, registration_number, status, status_date, expiry_date, renewal_date``;
``mark``, ``owner`` and ``number`` are required, ``jurisdiction`` too unless
``--jurisdiction`` gives a default. A registration with several owners takes one row per owner,
its other cells the same. Every bad value is reported with its file, line and column (see
``docs/registry-import.md``).
"""

from __future__ import annotations

import csv
import difflib
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg.errors import ParseError
from kg.registries.records import (
    OWNER_KINDS,
    FieldError,
    Owner,
    RegistryRecord,
    RowErrors,
    date_literal,
    jurisdiction_code,
    nice_classes,
)
from kg.store.oxigraph_input import require_utf8, without_bom

__all__ = ["COLUMNS", "REQUIRED", "read_csv"]

COLUMNS = (
    "mark",
    "owner",
    "owner_kind",
    "owner_country",
    "classes",
    "jurisdiction",
    "filing_date",
    "registration_date",
    "number",
    "application_number",
    "registration_number",
    "status",
    "status_date",
    "expiry_date",
    "renewal_date",
)
REQUIRED = ("mark", "owner", "number")
_PROGRESS_MIN_BYTES = 1 << 20


def read_csv(
    path: Path,
    delimiter: str,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[list[RegistryRecord], tuple[str, ...]]:
    """The records of a CSV (``delimiter=","``) or TSV (``"\\t"``) file, and warnings.

    Bad values are added to `errors` (the caller raises once the whole file is read); a
    malformed file (not UTF-8, no header, unknown or missing columns) raises at once.
    """
    name = str(path)
    data = without_bom(path.read_bytes())
    require_utf8(data, name, "CSV")  # the loader's message: line, column, how to convert
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _header(reader, name, jurisdiction)
    bar = None
    if progress and len(data) >= _PROGRESS_MIN_BYTES:
        total = text.count("\n")
        bar = tqdm(total=total, unit=" lines", desc=path.name, file=sys.stderr)
    records: list[RegistryRecord] = []
    done = reader.line_num
    try:
        for row in reader:
            if bar is not None:
                bar.update(reader.line_num - done)
                done = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            record = _record(row, header, reader.line_num, jurisdiction, errors)
            if record is not None:
                records.append(record)
    except csv.Error as error:
        raise ParseError(
            f"malformed {_kind(delimiter)}: {error}", path=name, line=reader.line_num
        ) from None
    finally:
        if bar is not None:
            bar.close()
    return records, ()


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def _header(reader: csv.Reader, name: str, jurisdiction: str | None) -> dict[str, int]:
    """Column name -> 0-based index, after checking the names."""
    try:
        row = next(reader)
    except StopIteration:
        raise ParseError(
            "empty file: a header row is required", path=name, suggestion=_COLUMNS_HINT
        ) from None
    except csv.Error as error:
        raise ParseError(f"malformed header: {error}", path=name, line=1) from None
    header: dict[str, int] = {}
    for index, cell in enumerate(row):
        column = cell.strip().lower()
        if column in header:
            raise ParseError(
                f'column "{column}" appears twice', path=name, line=1, column=index + 1
            )
        if column not in COLUMNS:
            close = difflib.get_close_matches(column, COLUMNS, n=1)
            hint = f'did you mean "{close[0]}"? ' if close else ""
            raise ParseError(
                f'unknown column "{cell.strip()}"',
                path=name,
                line=1,
                column=index + 1,
                suggestion=hint + _COLUMNS_HINT,
            )
        header[column] = index
    required = REQUIRED if jurisdiction else (*REQUIRED, "jurisdiction")
    missing = [column for column in required if column not in header]
    if missing:
        needs = ", ".join(missing)
        hint = " (or pass --jurisdiction)" if missing == ["jurisdiction"] else ""
        raise ParseError(
            f"missing column(s): {needs}{hint}", path=name, line=1, suggestion=_COLUMNS_HINT
        )
    return header


_COLUMNS_HINT = "the header names columns among: " + ", ".join(COLUMNS)


def _record(
    row: list[str],
    header: dict[str, int],
    line: int,
    jurisdiction: str | None,
    errors: RowErrors,
) -> RegistryRecord | None:
    if len(row) != len(header):
        errors.add(line, None, f"the row has {len(row)} fields, the header {len(header)}")
        return None
    before = len(errors.errors)

    def cell(column: str) -> str:
        return row[header[column]].strip() if column in header else ""

    def check(column: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        value = cell(column)
        if not value:
            return default
        try:
            return parse(value)
        except FieldError as error:
            errors.add(line, header[column] + 1, f"{column}: {error}")
            return default

    for column in REQUIRED:
        if not cell(column):
            errors.add(line, header[column] + 1, f"{column}: empty, a value is required")
    code = check("jurisdiction", jurisdiction_code, jurisdiction)
    if code is None and "jurisdiction" in header and not cell("jurisdiction"):
        errors.add(line, header["jurisdiction"] + 1, "jurisdiction: empty (or pass --jurisdiction)")
    classes = check("classes", nice_classes, ())
    kind = check("owner_kind", _owner_kind)
    country = check("owner_country", jurisdiction_code)
    filed = check("filing_date", date_literal)
    granted = check("registration_date", date_literal)
    dates = {column: check(column, date_literal) for column in _LIFE_DATES}
    if len(errors.errors) > before or code is None:
        return None
    application, registration = _numbers(
        cell("number"), cell("application_number"), cell("registration_number"), granted
    )
    return RegistryRecord(
        line=line,
        mark=cell("mark"),
        owners=(Owner(" ".join(cell("owner").split()), kind, country),),
        jurisdiction=code,
        number=cell("number"),
        classes=classes,
        filing_date=filed,
        registration_date=granted,
        status=cell("status") or None,
        registration_number=registration,
        application_number=application,
        status_date=dates["status_date"],
        expiry_date=dates["expiry_date"],
        renewal_date=dates["renewal_date"],
    )


_LIFE_DATES = ("status_date", "expiry_date", "renewal_date")


def _numbers(
    number: str, application: str, registration: str, granted: object
) -> tuple[str | None, str | None]:
    """(application number, registration number) of a row.

    The ``application_number`` and ``registration_number`` cells say which is which. A row
    with neither has only ``number``: it is the registration number where the row has a
    registration date, else the number of an application (which has no registration number).

    >>> _numbers("5000001", "", "", "2009-02-14")
    (None, '5000001')
    >>> _numbers("302016000123", "", "", None)
    ('302016000123', None)
    >>> _numbers("78002299", "78002299", "", None)
    ('78002299', None)
    """
    if application or registration:
        return application or None, registration or None
    if granted is not None:
        return None, number
    return number, None


def _owner_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in OWNER_KINDS:
        raise FieldError(f'"{text}" is not an owner kind (person or company)')
    return kind
