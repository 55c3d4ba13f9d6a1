"""Reading CSV/TSV register extracts into checked `RegistryRecord`s, streamed.

The header row names the columns (`COLUMNS`, any order, UTF-8); ``mark``, ``owner`` and
``number`` are required, ``jurisdiction`` too unless ``--jurisdiction`` gives a default. Cells
of the multi-valued columns (owners, representatives, priority claims) hold several values
separated by ``|`` (owners' names hold commas and semicolons: "PRO MERITAGE INTERNATIONAL CO.,
LTD"); rows of one registration that differ only in multi-valued columns (owners, classes,
goods and services, Vienna codes, claims) are each a record of it, which the importer merges.
Every bad value is reported with its file, line and column (docs/registry-import.md, section
"CSV / TSV"). This module reads the file, checks its header and builds a record from each row;
the cells are parsed column by column in `kg.registries.csv_cells`.
"""

from __future__ import annotations

import csv
import difflib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from tqdm import tqdm

from kg.errors import ParseError
from kg.registries import csv_cells
from kg.registries.csv_cells import SEPARATOR
from kg.registries.records import (
    FieldError,
    GoodsServices,
    Owner,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
)
from kg.store.oxigraph_input import require_utf8, wide_encoding, without_bom

__all__ = ["COLUMNS", "DEFAULT_LANGUAGE", "REQUIRED", "SEPARATOR", "read_csv"]

COLUMNS = (
    *("mark", "owner", "owner_kind", "owner_country", "classes", "jurisdiction"),
    *("filing_date", "registration_date", "number", "application_number"),
    *("registration_number", "status", "status_date", "expiry_date", "renewal_date"),
    *("status_code", "publication_date", "mark_feature", "vienna_codes", "class_scheme"),
    *("goods_services", "goods_services_language", "first_used_date"),
    *("first_used_commerce_date", "priority_country", "priority_date", "priority_number"),
    *("translation", "translation_language", "transliteration", "transliteration_language"),
    *("disclaimer", "disclaimer_language", "representative", "verbal_element"),
)
REQUIRED = ("mark", "owner", "number")
DEFAULT_LANGUAGE = "und"
"""The BCP 47 tag of a text whose ``*_language`` cell is empty: "undetermined" (RFC 5646)."""
_PROGRESS_MIN_BYTES = 1 << 20
_DATES = (
    *("filing_date", "registration_date", "status_date", "expiry_date", "renewal_date"),
    *("publication_date", "first_used_date", "first_used_commerce_date"),
)
_CLAIMS = ("translation", "transliteration", "disclaimer")


def read_csv(
    path: Path,
    delimiter: str,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[Iterator[RegistryRecord], WarningTally]:
    """The records of a CSV (``delimiter=","``) or TSV (``"\\t"``) file, yielded as rows are
    read (one row in memory at a time), and the file's warnings (filled as records are read).

    Bad values are added to `errors` (the caller raises once the records are consumed); a file
    whose header cannot be read (empty, unknown or missing columns) raises `ParseError` at once,
    one that is not UTF-8 or not well-formed CSV when the reading reaches the bad line.
    """
    name = str(path)
    with path.open("rb") as raw:
        header = _header(
            csv.reader(_lines(raw, name, delimiter), delimiter=delimiter), name, jurisdiction
        )
    tally = WarningTally(name)
    return _records(path, delimiter, header, jurisdiction, errors, tally, progress), tally


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def _lines(raw: BinaryIO, name: str, delimiter: str, bar: tqdm | None = None) -> Iterator[str]:
    """The file's lines as text, each checked to be UTF-8 (a BOM at the start is dropped)."""
    for number, data in enumerate(raw, start=1):
        if bar is not None:
            bar.update(len(data))
        if number == 1:
            data = without_bom(data)
            require_utf8(data[:4], name, _kind(delimiter))  # a UTF-16/32 byte-order mark
        try:
            text = data.decode("utf-8")
            # a stray NUL is a control character, reported with the field holding it
            # (`kg.registries.record_text`); NULs between the characters are another encoding
            bad = "\0" in text and wide_encoding(data) is not None
        except UnicodeDecodeError:
            bad = True
        if bad:
            try:
                require_utf8(data, name, _kind(delimiter))
            except ParseError as error:  # its line counts from this line
                where = f"{name}:{error.line}:{error.column}: "
                raise ParseError(
                    error.message.removeprefix(where),
                    path=name,
                    line=number + (error.line or 1) - 1,
                    column=error.column,
                    suggestion=error.suggestion,
                ) from None
        yield text


def _records(
    path: Path,
    delimiter: str,
    header: dict[str, int],
    jurisdiction: str | None,
    errors: RowErrors,
    tally: WarningTally,
    progress: bool,
) -> Iterator[RegistryRecord]:
    name = str(path)
    size = path.stat().st_size
    bar = None
    if progress and size >= _PROGRESS_MIN_BYTES:
        bar = tqdm(total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)
    rows = 0
    with path.open("rb") as raw:
        reader = csv.reader(_lines(raw, name, delimiter, bar), delimiter=delimiter, strict=True)
        try:
            next(reader)  # the header, checked by `_header`
            start = reader.line_num + 1
            for row in reader:
                line, start = start, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                rows += 1
                record = _record(row, header, line, jurisdiction, errors)
                if record is not None:
                    yield record
        except csv.Error as error:
            text = str(error)
            if text == "unexpected end of data":  # a quoted field never closed
                raise ParseError(
                    "a quoted field opened in the record starting on this line is never closed"
                    " (the file ends inside it)",
                    path=name,
                    line=start,
                    suggestion='close the quote, or write a quote inside a field as ""',
                ) from None
            if text.startswith("new-line character seen in unquoted field"):
                raise ParseError(
                    f"malformed {_kind(delimiter)}: a carriage return (CR) alone inside an "
                    "unquoted field",
                    path=name,
                    line=reader.line_num,
                    suggestion="end lines with LF or CR LF, or quote the field that holds it",
                ) from None
            if text.startswith("field larger than field limit"):
                raise ParseError(
                    f"malformed {_kind(delimiter)}: a field of the record starting on this "
                    f"line is longer than {csv.field_size_limit():,} characters",
                    path=name,
                    line=start,
                    suggestion="a quote left open makes the rest of the file one field",
                ) from None
            raise ParseError(
                f"malformed {_kind(delimiter)}: {error}", path=name, line=reader.line_num
            ) from None
        finally:
            if bar is not None:
                bar.close()
    if not rows:
        tally.note("no rows: the file has a header and no registration")


def _header(reader: Any, name: str, jurisdiction: str | None) -> dict[str, int]:
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
    names = check("owner", csv_cells.names, ())
    count = max(len(names), 1)
    kinds = check(
        "owner_kind", lambda text: csv_cells.per_owner(text, csv_cells.owner_kind, count), (None,)
    )
    countries = check(
        "owner_country", lambda text: csv_cells.per_owner(text, jurisdiction_code, count), (None,)
    )
    dates = {column: check(column, date_literal) for column in _DATES}
    national = check("class_scheme", csv_cells.class_scheme, False)
    classes = check(
        "classes", csv_cells.national_classes if national else csv_cells.nice_classes, ()
    )
    language = check("goods_services_language", csv_cells.language, DEFAULT_LANGUAGE)
    goods = check(
        "goods_services", lambda text: csv_cells.goods_services(text, classes, national), {}
    )

    def tagged(column: str) -> tuple[TaggedText, ...]:
        """A statement in its ``{column}_language`` (`DEFAULT_LANGUAGE` where not given)."""
        language = check(f"{column}_language", csv_cells.language, DEFAULT_LANGUAGE)
        text = " ".join(cell(column).split())
        return (TaggedText(text, language),) if text else ()

    claims = {column: tagged(column) for column in _CLAIMS}
    priority = csv_cells.priority_claims(cell, check, header, line, errors)
    feature = check("mark_feature", csv_cells.mark_feature)
    vienna = check("vienna_codes", csv_cells.vienna_codes, ())
    agents = check("representative", csv_cells.names, ())
    if len(errors.errors) > before or code is None:
        return None
    application, registration = csv_cells.row_numbers(
        cell("number"),
        cell("application_number"),
        cell("registration_number"),
        dates["registration_date"],
    )
    classes = tuple(dict.fromkeys((*classes, *goods)))
    texts = tuple(
        GoodsServices(
            nice=None if national else key,
            national=key if national else None,
            texts=(TaggedText(text, language),),
        )
        for key, text in goods.items()
    )
    return RegistryRecord(
        line=line,
        mark=cell("mark"),
        owners=tuple(
            Owner(owner, kinds[i % len(kinds)], countries[i % len(countries)])
            for i, owner in enumerate(names)
        ),
        jurisdiction=code,
        number=cell("number"),
        classes=() if national else tuple(sorted(classes)),
        filing_date=dates["filing_date"],
        registration_date=dates["registration_date"],
        status=cell("status") or None,
        registration_number=registration,
        application_number=application,
        status_date=dates["status_date"],
        expiry_date=dates["expiry_date"],
        renewal_date=dates["renewal_date"],
        national_classes=classes if national else (),
        mark_feature=feature,
        vienna_codes=vienna,
        record_id=f"number {cell('number')}",
        status_code=cell("status_code") or None,
        goods_services=texts,
        priority_claims=priority,
        first_used_date=dates["first_used_date"],
        first_used_commerce_date=dates["first_used_commerce_date"],
        translations=claims["translation"],
        transliterations=claims["transliteration"],
        disclaimers=claims["disclaimer"],
        representatives=tuple(Owner(agent) for agent in agents),
        publication_date=dates["publication_date"],
        verbal_element=cell("verbal_element") or None,
    )
