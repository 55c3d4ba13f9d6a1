"""Reading CSV/TSV register extracts into checked `RegistryRecord`s, streamed.

The header row names the columns (`COLUMNS`, any order, UTF-8); ``mark``, ``owner`` and
``number`` are required, ``jurisdiction`` too unless ``--jurisdiction`` gives a default. Cells
of the multi-valued columns (owners, representatives, priority claims) hold several values
separated by ``|`` (owners' names hold commas and semicolons: "PRO MERITAGE INTERNATIONAL CO.,
LTD"); rows of one registration that differ only in multi-valued columns (owners, classes,
goods and services, Vienna codes, claims) are each a record of it, which the importer merges.
Every bad value is reported with its file, line and column (docs/registry-import.md, section
"CSV / TSV").
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from tqdm import tqdm

from kg.errors import ParseError
from kg.registries.kinds import mark_feature_iri
from kg.registries.records import (
    OWNER_KINDS,
    FieldError,
    GoodsServices,
    Owner,
    PriorityClaim,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
    nice_classes,
)
from kg.store.oxigraph_input import require_utf8, without_bom

__all__ = ["COLUMNS", "DEFAULT_LANGUAGE", "REQUIRED", "SEPARATOR", "read_csv"]

COLUMNS = (
    *("mark", "owner", "owner_kind", "owner_country", "classes", "jurisdiction"),
    *("filing_date", "registration_date", "number", "application_number"),
    *("registration_number", "status", "status_date", "expiry_date", "renewal_date"),
    *("status_code", "publication_date", "mark_feature", "vienna_codes", "class_scheme"),
    *("goods_services", "goods_services_language", "first_used_date"),
    *("first_used_commerce_date", "priority_country", "priority_date", "priority_number"),
    *("translation", "translation_language", "transliteration", "transliteration_language"),
    *("disclaimer", "disclaimer_language", "representative"),
)
REQUIRED = ("mark", "owner", "number")
SEPARATOR = "|"
"""Between the values of one cell: owners, representatives, priority claims, classes' texts."""
DEFAULT_LANGUAGE = "und"
"""The BCP 47 tag of a text whose ``*_language`` cell is empty: "undetermined" (RFC 5646)."""
_PROGRESS_MIN_BYTES = 1 << 20
_DATES = (
    *("filing_date", "registration_date", "status_date", "expiry_date", "renewal_date"),
    *("publication_date", "first_used_date", "first_used_commerce_date"),
)
_CLAIMS = ("translation", "transliteration", "disclaimer")
# ST.66 MarkImageCategory CategoryCode, Vienna Classification: category (01-29), division,
# section; written 26.01.11 or, as EUIPO's and KIPRIS's files do, 260111.
_VIENNA = re.compile(r"(0[1-9]|1[0-9]|2[0-9])\.?([0-9]{2})\.?([0-9]{2})")
_CLASS_PREFIX = re.compile(r"\s*([0-9][0-9A-Za-z.-]{0,7})\s*:\s*")
_NATIONAL_CODE = re.compile(r"[0-9A-Za-z.-]{1,16}")
_SPLIT_CODES = re.compile(r"[|;,\s]+")


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
            bad = "\0" in text
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
    names = check("owner", _names, ())
    count = max(len(names), 1)
    kinds = check("owner_kind", lambda text: _each(text, _owner_kind, count), (None,))
    countries = check("owner_country", lambda text: _each(text, jurisdiction_code, count), (None,))
    dates = {column: check(column, date_literal) for column in _DATES}
    national = check("class_scheme", _class_scheme, False)
    classes = check("classes", _national_classes if national else _nice_classes, ())
    language = check("goods_services_language", _language, DEFAULT_LANGUAGE)
    goods = check("goods_services", lambda text: _goods_services(text, classes, national), {})

    def tagged(column: str) -> tuple[TaggedText, ...]:
        """A statement in its ``{column}_language`` (`DEFAULT_LANGUAGE` where not given)."""
        language = check(f"{column}_language", _language, DEFAULT_LANGUAGE)
        text = " ".join(cell(column).split())
        return (TaggedText(text, language),) if text else ()

    claims = {column: tagged(column) for column in _CLAIMS}
    priority = _priority_claims(cell, check, header, line, errors)
    feature = check("mark_feature", _mark_feature)
    vienna = check("vienna_codes", _vienna_codes, ())
    agents = check("representative", _names, ())
    if len(errors.errors) > before or code is None:
        return None
    application, registration = _numbers(
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
    )


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


def _names(text: str) -> tuple[str, ...]:
    """Names separated by ``|``, runs of spaces collapsed.

    >>> _names("PRO MERITAGE INTERNATIONAL CO., LTD | 秦範丙")
    ('PRO MERITAGE INTERNATIONAL CO., LTD', '秦範丙')
    >>> _names("A Ltd || B Ltd")
    Traceback (most recent call last):
    kg.registries.records.FieldError: an empty name between "|" separators
    """
    names = tuple(" ".join(part.split()) for part in text.split(SEPARATOR))
    if not all(names):
        raise FieldError(f'an empty name between "{SEPARATOR}" separators')
    return names


def _split(text: str, parse: Callable[[str], Any]) -> tuple[Any, ...]:
    """The ``|``-separated values of a cell, each parsed."""
    return tuple(parse(part) for part in text.split(SEPARATOR))


def _each(text: str, parse: Callable[[str], str], count: int) -> tuple[str, ...]:
    """One value for every owner, or one value per owner (``|``-separated, in their order)."""
    values = _split(text, parse)
    if len(values) not in (1, count):
        raise FieldError(f"{len(values)} values for {count} owner(s): give one, or one per owner")
    return values


def _owner_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in OWNER_KINDS:
        raise FieldError(f'"{text.strip()}" is not an owner kind (person or company)')
    return kind


def _class_scheme(text: str) -> bool:
    """True for ``national`` (the office's own classes), False for ``nice``."""
    scheme = text.strip().lower()
    if scheme not in ("nice", "national"):
        raise FieldError(f'"{text}" is not a class scheme (nice or national)')
    return scheme == "national"


def _nice_classes(text: str) -> tuple[int, ...]:
    return nice_classes(text.replace(SEPARATOR, ";"))


def _national_classes(text: str) -> tuple[str, ...]:
    """An office's own class codes as written, in order, distinct: "032 | 271" -> ("032", "271")."""
    codes = tuple(dict.fromkeys(code for code in _SPLIT_CODES.split(text) if code))
    for code in codes:
        if not _NATIONAL_CODE.fullmatch(code):
            raise FieldError(f'"{code}" is not a class code (letters, digits, "." or "-")')
    return codes


def _goods_services(text: str, classes: tuple, national: bool) -> dict[Any, str]:
    """Class -> its goods and services text, from one class's text or ``9: text | 42: text``.

    >>> _goods_services("9: software | 42: hosting", (9, 42), False)
    {9: 'software', 42: 'hosting'}
    >>> _goods_services("software", (9,), False)
    {9: 'software'}
    >>> _goods_services("software", (9, 42), False)  # doctest: +ELLIPSIS
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
        key = _national_classes(match[1])[0] if national else _nice_classes(match[1])[0]
        if classes and key not in classes:
            raise FieldError(f"class {match[1]} is not among the row's classes")
        texts[key] = " ".join(part[match.end() :].split())
    return texts


def _language(text: str) -> str:
    """A BCP 47 language tag ("en", "zh-Hant", "ko-Latn"), as the store checks it."""
    try:
        ox.Literal("", language=text.strip())
    except ValueError:
        raise FieldError(f'"{text}" is not a BCP 47 language tag (en, zh-Hant, ko-Latn)') from None
    return text.strip()


def _mark_feature(text: str) -> str:
    if mark_feature_iri(text) is None:
        raise FieldError(
            f'"{text}" is not a kind of mark tmkg knows (Word, Stylized characters, '
            "Figurative, Combined, 3-D, Colour, Sound, Hologram, Olfactory, Motion, Position, "
            "Pattern, Multimedia, Other; schema/mark-features.ttl)"
        )
    return " ".join(text.split())


def _vienna_codes(text: str) -> tuple[str, ...]:
    """Vienna codes as tmkg states them (26.01.11), from 26.01.11 or 260111.

    >>> _vienna_codes("260111 | 02.01.01")
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


def _priority_claims(
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
