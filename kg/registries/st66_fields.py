"""Turning an ST.66 ``TradeMark`` as collected (`kg.registries.st66_trademark`) into a checked
`RegistryRecord`: its numbers, office and dates, owners and representatives
(`kg.registries.st66_parties`), goods and services per class, texts in a language, priority
claims, events, the last renewal and designations. Bad values go to the `RowErrors`, details
an office may get wrong to the `WarningTally`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.registries.mapping import ReferringRecord
from kg.registries.records import (
    Designation,
    FieldError,
    GoodsServices,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
    nice_classes,
)
from kg.registries.st66_parties import (
    Parties,
    Party,
    referenced_parties,
    trademark_owners,
    trademark_representatives,
)
from kg.registries.st66_trademark import GoodsClass, Group, TradeMark, file_classes
from kg.registries.st96_parts import loose_date

__all__ = ["trademark_record"]

T = TypeVar("T")
# Event kinds from the wording of ST.66 status and record names (the MarkCurrentStatusCode
# values of WIPO's ST.96-to-ST.66 mapping; BasicRecordKind of its Romarin mapping).
_EVENT_KINDS = {
    "filing": "filing",
    "application filed": "filing",
    "publication": "publication",
    "application published": "publication",
    "registration": "registration",
    "registered": "registration",
    "opposition": "opposition",
    "application opposed": "opposition",
    "registration opposed": "opposition",
    "renewal": "renewal",
    "registration renewed": "renewal",
    "cancellation": "cancellation",
    "registration cancelled": "cancellation",
    "total cancellation": "cancellation",
    "registration surrendered": "cancellation",
    "application withdrawn": "abandonment",
    "application deemed withdrawn": "abandonment",
}
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# The language of texts a file does not tag: the TradeMark's ApplicationLanguageCode, else the
# office's language where the office has one (USPTO: filings are in English), else "und"
# (BCP 47: undetermined). A transliteration is into Latin letters: "und-Latn".
_OFFICE_LANGUAGE = {"US": "en"}


def trademark_record(
    trademark: TradeMark,
    fallback: list[Party],
    as_of: str | None,
    jurisdiction: str | None,
    parties: Parties,
    errors: RowErrors,
    tally: WarningTally,
    path: Path,
) -> RegistryRecord | None:
    values, before = trademark.values, len(errors.errors)
    text = {key: found[0] for key, found in values.items()}
    number = text.get("application_number")
    suffix = f" (application {number})" if number else ""

    def parsed(key: str, element: str, parse: Callable[[str], T]) -> T | None:
        if key not in values:
            return None
        try:
            return parse(values[key][0])
        except FieldError as error:
            errors.add(values[key][1], None, f"{element}: {error}{suffix}")
            return None

    if number is None:
        errors.add(trademark.line, None, "TradeMark without an ApplicationNumber")
    for key, element, again, line in trademark.repeated:
        first, where = values[key]
        errors.add(
            line,
            None,
            f"{element}: {again!r}, but {_earlier(where, line)} gives {first!r}: one TradeMark "
            f"has one {element}{suffix}",
        )
    code = parsed("office", "RegistrationOfficeCode", jurisdiction_code)
    if "office" not in values:
        code = jurisdiction
        if code is None:
            errors.add(
                trademark.line,
                None,
                f"TradeMark without a RegistrationOfficeCode (pass --jurisdiction){suffix}",
            )
    owners = trademark_owners(trademark, fallback, parties, errors, suffix, path)
    representatives = trademark_representatives(trademark, parties, errors, tally, suffix)
    classes, national, goods = _goods_services(trademark, code, text, errors, tally, suffix)
    filed = parsed("application_date", "ApplicationDate", date_literal)
    granted = parsed("registration_date", "RegistrationDate", date_literal)
    status_date = parsed("status_date", "MarkCurrentStatusDate", date_literal)
    expiry = parsed("expiry_date", "ExpiryDate", date_literal)
    start = parsed("opposition_start", "OppositionPeriodStartDate", date_literal)
    end = parsed("opposition_end", "OppositionPeriodEndDate", date_literal)
    publication = _earliest(trademark.publications, "PublicationDate", errors, suffix)
    events = _events(trademark, errors, suffix)
    renewal = _renewal(trademark, errors, suffix)
    designations = _designations(trademark, filed if code == "WO" else None, errors, suffix)
    priorities = _priorities(trademark, tally, number)
    language = _language(text.get("language"), code)
    texts = {
        kind: tuple(
            TaggedText(value, _text_language(tag, language, kind))
            for value, tag, _line in trademark.texts.get(kind, ())
        )
        for kind in ("translations", "transliterations", "disclaimers")
    }
    if len(errors.errors) > before or code is None or "mark" not in text or number is None:
        return None
    code_written = text.get("status")
    # USPTO: the status in words where its extension gives it, the number as the status code
    # (as its ST.96 files are read).
    status = trademark.status_text or code_written
    first_used = {
        name: _earliest_date([d for entry in goods if (d := getattr(entry, name)) is not None])
        for name in ("first_used_date", "first_used_commerce_date")
    }
    references = referenced_parties(trademark, parties)
    return (ReferringRecord if references else RegistryRecord)(
        line=trademark.line,
        mark=text["mark"],
        owners=owners,
        jurisdiction=code,
        number=number,
        classes=classes,
        filing_date=filed,
        registration_date=granted,
        status=status,
        registration_number=text.get("registration_number"),
        application_number=number,
        status_date=status_date,
        expiry_date=expiry,
        renewal_date=renewal,
        national_classes=national,
        mark_feature=text.get("mark_feature"),
        vienna_codes=tuple(sorted(set(trademark.vienna))),
        record_id=f"application {number}",
        as_of=_as_of(as_of),
        status_code=code_written if code_written and code_written.isdigit() else None,
        goods_services=goods,
        priority_claims=priorities,
        translations=texts["translations"],
        transliterations=texts["transliterations"],
        disclaimers=texts["disclaimers"],
        representatives=representatives,
        publication_date=publication,
        opposition_period=(start, end) if start is not None or end is not None else None,
        events=events,
        designations=designations,
        first_used_date=first_used["first_used_date"],
        first_used_commerce_date=first_used["first_used_commerce_date"],
        **({"references": references} if references else {}),
    )


def _goods_services(
    trademark: TradeMark,
    code: str | None,
    text: dict[str, str],
    errors: RowErrors,
    tally: WarningTally,
    suffix: str,
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[GoodsServices, ...]]:
    """Nice classes, national class codes and goods/services per class (texts merged per
    class; a class of a ClassificationKindCode other than Nice is national, as written).

    USPTO's extension of a ``ClassDescription`` adds its US classes
    (``ns2:DomesticClassNumbers``: national class codes, as its ST.96 files'
    ``GoodsServicesClassification`` of kind ``Domestic``) and the class's first-use dates
    (``ns2:FilingBasisDetails/ns2:FirstUseDateNumber``, ``ns2:FirstUseInCommerceDate``,
    written ``YYYYMMDD`` with ``00`` for an unknown day or month), the earliest where one
    class is given twice; a date that cannot be read is left out with a warning."""
    file_classes(trademark)
    language = _language(text.get("language"), code)
    nice: set[int] = set()
    national: set[str] = set()
    merged: dict[tuple[int | None, str | None], tuple[list[TaggedText], str | None]] = {}
    first_use: dict[tuple[int | None, str | None], dict[str, list[ox.Literal]]] = {}
    for klass, (kind, version) in zip(trademark.classes, trademark.kinds, strict=True):
        national.update(klass.domestic)
        if klass.number is None:
            continue
        key: tuple[int | None, str | None]
        if (kind or "Nice").casefold() == "nice":
            try:
                numbers = nice_classes(klass.number)
            except FieldError as error:
                errors.add(klass.line, None, f"ClassNumber: {error}{suffix}")
                continue
            nice.update(numbers)
            if len(numbers) != 1:
                continue
            key = (numbers[0], None)
        else:
            national.add(klass.number)
            key = (None, klass.number)
        texts, first_version = merged.setdefault(key, ([], version))
        for value, tag, _line in klass.texts:
            tagged = TaggedText(value, _text_language(tag, language, "goods"))
            if tagged not in texts:
                texts.append(tagged)
        if first_version is None and version is not None:
            merged[key] = (texts, version)
        for name, found in _first_use(klass, tally, suffix).items():
            first_use.setdefault(key, {}).setdefault(name, []).append(found)
    goods = tuple(
        GoodsServices(
            nice=key[0],
            national=key[1],
            texts=tuple(texts),
            version=version,
            first_used_date=_earliest_date(first_use.get(key, {}).get("first_used", [])),
            first_used_commerce_date=_earliest_date(
                first_use.get(key, {}).get("first_used_commerce", [])
            ),
        )
        for key, (texts, version) in merged.items()
    )
    return tuple(sorted(nice)), tuple(sorted(national)), goods


def _first_use(klass: GoodsClass, tally: WarningTally, suffix: str) -> dict[str, ox.Literal]:
    """A class's USPTO first-use dates by kind ("first_used", "first_used_commerce"); one
    that is not a date (`kg.registries.st96_parts.loose_date`) is left out with a warning."""
    found = {}
    for name, (element, value, line) in klass.first_use.items():
        try:
            found[name] = loose_date(value)
        except FieldError:
            tally.add(f"bad {element}: left out", line, f'"{value}"{suffix}')
    return found


def _earliest_date(dates: list[ox.Literal]) -> ox.Literal | None:
    """The date whose first day is earliest ("1996" before "1996-01" before "1996-01-05"):
    `kg.registries.details` states the earliest class's first use for the whole mark."""
    return min(dates, key=lambda date: date.value) if dates else None


def _language(application: str | None, office: str | None) -> str:
    if application and _LANGUAGE.fullmatch(application):
        return application.lower()
    return _OFFICE_LANGUAGE.get(office or "", "und")


def _text_language(tag: str | None, default: str, kind: str) -> str:
    """A text's BCP 47 tag: its languageCode (ST.66 writes ISO 639-1 "en"), else `default`;
    a transliteration without one is in Latin letters ("und-Latn")."""
    if tag and _LANGUAGE.fullmatch(tag.strip()):
        return tag.strip().lower()
    return "und-Latn" if kind == "transliterations" else default


def _earlier(line: int, again: int) -> str:
    """Where a value given before another was: ``line L``, or ``an earlier element on the same
    line`` (a file written on one line: helper-123 read "line 1 ... but line 1 gives").

    >>> _earlier(4, 9), _earlier(1, 1)
    ('line 4', 'an earlier element on the same line')
    """
    return "an earlier element on the same line" if line == again else f"line {line}"


def _as_of(text: str | None) -> ox.Literal | None:
    if not text:
        return None
    try:
        found = date_literal(text)
    except FieldError:
        return None
    return found if found.datatype.value.endswith("#date") else None


def _earliest(
    found: list[tuple[str, int]], element: str, errors: RowErrors, suffix: str
) -> ox.Literal | None:
    dates = []
    for value, line in found:
        try:
            dates.append(date_literal(value))
        except FieldError as error:
            errors.add(line, None, f"{element}: {error}{suffix}")
    return min(dates, key=lambda date: date.value) if dates else None


def _group_date(
    group: Group, names: tuple[str, ...], errors: RowErrors, suffix: str
) -> ox.Literal | None:
    for element in names:
        if element in group.values:
            value, line = group.values[element]
            try:
                return date_literal(value)
            except FieldError as error:
                errors.add(line, None, f"{element}: {error}{suffix}")
                return None
    return None


def _events(trademark: TradeMark, errors: RowErrors, suffix: str) -> tuple[RegisterEvent, ...]:
    """MarkEventDetails/MarkEvent: MarkEventDate (required), MarkEventCode, its wording
    (MarkEventDescription, OfficeSpecificMarkEventName, USPTO's internal description)."""
    events = []
    for group in trademark.events:
        date = _group_date(group, ("MarkEventDate",), errors, suffix)
        if date is None:
            continue
        code = group.values.get("MarkEventCode", (None,))[0]
        description = next(
            (
                group.values[name][0]
                for name in (
                    "MarkEventDescription",
                    "OfficeSpecificMarkEventName",
                    "MarkEventInternalDescriptionText",
                )
                if name in group.values
            ),
            None,
        )
        kind = _EVENT_KINDS.get((code or "").casefold()) or _EVENT_KINDS.get(
            (description or "").casefold()
        )
        event = RegisterEvent(date, code, description, kind)
        if event not in events:
            events.append(event)
    return tuple(events)


def _renewal(trademark: TradeMark, errors: RowErrors, suffix: str) -> ox.Literal | None:
    """The last renewal: the latest MarkRecord/BasicRecord of kind Renewal (its
    RecordEffectiveDate, else RecordFilingDate), else USPTO's RenewalDate."""
    dates = []
    for group in trademark.records:
        kind = group.values.get("BasicRecordKind", ("",))[0].casefold()
        if "renewal" in kind and "non" not in kind:
            date = _group_date(group, ("RecordEffectiveDate", "RecordFilingDate"), errors, suffix)
            if date is not None:
                dates.append(date)
    if not dates and trademark.renewal is not None:
        try:
            dates.append(date_literal(trademark.renewal[0]))
        except FieldError as error:
            errors.add(trademark.renewal[1], None, f"RenewalDate: {error}{suffix}")
    return max(dates, key=lambda date: date.value) if dates else None


def _designations(
    trademark: TradeMark, registered: ox.Literal | None, errors: RowErrors, suffix: str
) -> tuple[Designation, ...]:
    """DesignatedCountryDetails/DesignatedCountry/DesignatedCountryCode (a bad code is an
    error); the designation date of a WO record is its international registration date."""
    found = []
    for group in trademark.designations:
        if "DesignatedCountryCode" not in group.values:
            continue
        value, line = group.values["DesignatedCountryCode"]
        try:
            designation = Designation(jurisdiction_code(value), registered)
        except FieldError as error:
            errors.add(line, None, f"DesignatedCountryCode: {error}{suffix}")
            continue
        if designation not in found:
            found.append(designation)
    return tuple(found)


def _priorities(
    trademark: TradeMark, tally: WarningTally, number: str | None
) -> tuple[PriorityClaim, ...]:
    """PriorityDetails/Priority: PriorityCountryCode (checked), PriorityDate (day-precise;
    USPTO's ForeignApplicationFilingDate where ST.66's is absent), PriorityNumber. A claim
    that cannot be read is left out with a warning: it is a detail, not the right itself."""
    claims = []
    example = f"application {number}" if number else ""
    for group in trademark.priorities:
        country = group.values.get("PriorityCountryCode", ("",))[0]
        try:
            code = jurisdiction_code(country)
        except FieldError:
            tally.add(
                "priority claim with an unknown PriorityCountryCode: left out", group.line, example
            )
            continue
        when = group.values.get("PriorityDate") or group.values.get("ForeignApplicationFilingDate")
        try:
            date = date_literal(when[0]) if when else None
        except FieldError:
            date = None
        if date is None or not date.datatype.value.endswith("#date"):
            tally.add(
                "priority claim without a day-precise PriorityDate: left out", group.line, example
            )
            continue
        claim = PriorityClaim(code, date, group.values.get("PriorityNumber", (None,))[0])
        if claim not in claims:
            claims.append(claim)
    return tuple(claims)
