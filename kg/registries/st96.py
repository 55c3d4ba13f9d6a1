"""Reading WIPO ST.96 Trademark XML (TrademarkTransaction) into `RegistryRecord`s.

ST.96 is WIPO's XML standard for IP data (https://www.wipo.int/standards/en/st96/): a
``TrademarkTransaction`` (or a ``TrademarkApplication``, as CIPO's bulk files are, one per
application in a zip archive) holds ``TrademarkBag/Trademark`` elements. Elements are matched
by local name in any namespace under ``http://www.wipo.int/standards/XMLSchema/ST96/`` (the
``…/ST96/Trademark`` and ``…/ST96/Common`` namespaces of every ST.96 version, whatever their
prefixes: USPTO's ``ns1:``/``ns2:``, CIPO's ``tmk:``/``com:``); elements of any other
namespace — offices' extensions such as USPTO's ``ns3:`` or CIPO's ``catmk:``/``cacom:`` — are
skipped with everything inside them. The file is streamed (`kg.registries.xmlstream`): a
record is yielded when its ``Trademark`` closes, and a DOCTYPE is refused.

What was followed (docs/registry-import.md, section "WIPO ST.96" has the element table): the
ST.96 element names as USPTO TSDR writes them (`codingatty/Plumage` test data and its
``ST96.xsl``); CIPO's ST.96 bulk data as public readers parse it (`jnsheff/CanadaTM`
``py/iterparse_*.py``: ``ApplicationNumber/ST13ApplicationNumber``, ``com:ApplicationDate``,
``MarkRepresentation/MarkFeatureCategory``, ``NationalTrademarkInformation/RenewalDate``,
``MarkCurrentStatusInternalDescriptionText``, ``PriorityBag/Priority`` with
``PriorityCountryCode``, ``ApplicantBag/Applicant/LegalEntityName`` and ``Contact/Name/
EntityName``, ``tmk:TrademarkApplication`` files with ``com:st96Version="V3_0"``); and WIPO's
ST.96-to-ST.66 mapping (``DesignatedCountryBag/DesignatedCountry/DesignatedCountryCode``,
``ViennaClassification`` category/division/section, ``MarkEventCategory`` values).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from kg.errors import ParseError
from kg.registries.records import (
    FieldError,
    RegistryRecord,
    RowErrors,
    WarningTally,
    date_literal,
    jurisdiction_code,
    nice_classes,
    same_value,
)
from kg.registries.st96_parts import (
    designations,
    events,
    goods_services,
    owners,
    priority_claims,
    representatives,
    tagged_texts,
    vienna_codes,
)
from kg.registries.xmlstream import Collected, Leaf, LeafHandler, stream_records

__all__ = ["NAMESPACE", "OFFICE_LANGUAGE", "read_st96"]

NAMESPACE = "http://www.wipo.int/standards/XMLSchema/ST96/"
"""Elements in a namespace starting with this are ST.96's; others are offices' extensions."""
_ROOTS = ("TrademarkTransaction", "TrademarkApplication")
_WORDS = ("MarkRepresentation", "MarkReproduction", "WordMarkSpecification")
_STATUS_TEXT = (
    ("NationalTrademarkInformation", "MarkCurrentStatusExternalDescriptionText"),
    ("MarkCurrentStatusExternalDescriptionText",),
    ("NationalTrademarkInformation", "MarkCurrentStatusInternalDescriptionText"),
)
_SINGLE = (
    *(
        (name,)
        for name in (
            "ApplicationDate",
            "RegistrationDate",
            "MarkCurrentStatusDate",
            "MarkCurrentStatusCode",
            "ExpiryDate",
            "RegistrationNumber",
            "RegistrationOfficeCode",
        )
    ),
    ("ApplicationNumber", "ApplicationNumberText"),
    ("ApplicationNumber", "IPOfficeCode"),
    ("ApplicationNumber", "ST13ApplicationNumber"),
    (*_WORDS, "MarkVerbalElementText"),
)
"""A Trademark's elements of one value each (ST.96: maxOccurs 1)."""
_RENEWAL = (("RenewalDate",), ("NationalTrademarkInformation", "RenewalDate"))
_TRANSLATION = ("MarkTranslationText", "MarkTranslation")
_TRANSLITERATION = ("MarkTransliteration", "MarkTransliterationText")
OFFICE_LANGUAGE = {"US": "en"}
"""The language of an office's texts where the file tags none and the office takes filings in
one language only (USPTO: in English), as `kg.registries.st66` reads them."""
T = TypeVar("T")


class _Handler(LeafHandler):
    """Collects each ``TrademarkBag/Trademark``'s leaves (ST.96 namespaces only)."""

    def ours(self, uri: str | None) -> bool:
        return (uri or "").startswith(NAMESPACE)

    def starts_record(self, local: str, outer: list[str]) -> bool:
        return local == "Trademark" and outer[-1:] == ["TrademarkBag"]

    def where(self) -> str:
        if self.record is None:
            return ""
        number = self.record.first(*_NUMBER)
        named = f", application {number.text}" if number else ""
        return f" (in the Trademark on line {self.record.line}{named})"

    def check_root(self, uri: str | None, local: str, line: int) -> None:
        if local in _ROOTS and (uri or "").startswith(NAMESPACE):
            return
        found = f"{{{uri}}}{local}" if uri else local
        raise ParseError(
            f"not an ST.96 file: the root element is {found}, not TrademarkTransaction",
            path=self.name,
            line=line,
            suggestion="ST.96 files are in the namespace http://www.wipo.int/standards/"
            "XMLSchema/ST96/Trademark (roots read: " + ", ".join(_ROOTS) + ")",
        )


_NUMBER = (
    ("ApplicationNumber", "ApplicationNumberText"),
    ("ApplicationNumber", "ST13ApplicationNumber"),
)


def read_st96(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[Iterator[RegistryRecord], WarningTally]:
    """The records of the file, yielded as they are read (memory flat whatever the file's
    size), and its warnings (complete once the records are consumed). Bad values go to
    `errors`; a file that cannot be read raises `ParseError`.

    `path` is an ST.96 XML file or a zip archive of them (each ``.xml`` member is read, in
    archive order); `jurisdiction` is used where a ``Trademark`` names no office.
    """
    tally = WarningTally(str(path))
    handlers: list[_Handler] = []  # the current document's only: an archive may hold many

    def make_handler(name: str) -> _Handler:
        handlers[:] = [_Handler(name)]
        return handlers[0]

    def records() -> Iterator[RegistryRecord]:
        found = 0
        for trademark in stream_records(path, make_handler, progress=progress):
            found += 1
            once = _OncePerRecord(tally)  # the tally counts records, not values
            record = _record(trademark, jurisdiction, errors, once, handlers[0].name)
            if record is not None:
                yield record
        if not found:
            tally.note("no TrademarkBag/Trademark element found")

    return records(), tally


def _record(
    trademark: Collected,
    jurisdiction: str | None,
    errors: RowErrors,
    tally: WarningTally,
    document: str,
) -> RegistryRecord | None:
    """The record of one ``Trademark``, or None (after adding its errors or warning)."""
    before = len(errors.errors)
    prefix = "" if document == errors.path else f"{document.rsplit('!', 1)[-1]}: "
    number = trademark.first(*_NUMBER)
    record_id = f"application {number.text}" if number else f"Trademark on line {trademark.line}"

    def error(leaf: Leaf | None, message: str) -> None:
        line, column = (leaf.line, leaf.column) if leaf else (trademark.line, trademark.column)
        errors.add(line, column, f"{prefix}{record_id}: {message}")

    def parsed(leaf: Leaf | None, parse: Callable[[str], T]) -> T | None:
        if leaf is None:
            return None
        try:
            return parse(leaf.text)
        except FieldError as problem:
            error(leaf, f"{leaf.path[-1]}: {problem}")
            return None

    if number is None:
        error(
            None,
            "Trademark without an ApplicationNumber (ApplicationNumberText or "
            "ST13ApplicationNumber)",
        )
    office = trademark.first(("RegistrationOfficeCode",), ("ApplicationNumber", "IPOfficeCode"))
    code = parsed(office, jurisdiction_code) if office else jurisdiction
    if office is None and code is None:
        error(
            None,
            "Trademark without a RegistrationOfficeCode or ApplicationNumber/"
            "IPOfficeCode (pass --jurisdiction)",
        )
    for path in _SINGLE:  # one value each: a second, different one is an error
        given = [leaf for leaf in trademark.leaves if leaf.path == path and leaf.text]
        for again in given[1:]:
            if not same_value(path[-1], given[0].text, again.text):
                error(
                    again,
                    f"{path[-1]}: {again.text!r}, but {_earlier(given[0], again)} gives "
                    f"{given[0].text!r}: one Trademark has one {path[-1]}",
                )
    dates = {
        key: parsed(trademark.first(*paths), date_literal)
        for key, paths in (
            ("filing_date", [("ApplicationDate",)]),
            ("registration_date", [("RegistrationDate",)]),
            ("status_date", [("MarkCurrentStatusDate",)]),
            ("expiry_date", [("ExpiryDate",)]),
            ("renewal_date", _RENEWAL),
        )
    }
    language = trademark.first(("ApplicationLanguageCode",))
    default = language.text if language else OFFICE_LANGUAGE.get(code or "")
    entries, classes, national = goods_services(trademark.leaves, default, tally, record_id)
    for leaf in classes:
        try:
            nice_classes(leaf.text)
        except FieldError as problem:
            error(leaf, f"ClassNumber: {problem}")
    holders = owners(trademark.leaves, code, error)
    if not holders and len(errors.errors) == before:
        error(None, "Trademark without an Applicant (ApplicantBag/Applicant) with a name")
    mark = trademark.first(
        (*_WORDS, "MarkVerbalElementText"), (*_WORDS, "MarkSignificantVerbalElementText")
    )
    if len(errors.errors) > before or code is None or number is None:
        return None
    if mark is None:
        tally.add(
            "Trademark without a word element (a figurative mark): not imported",
            trademark.line,
            record_id,
        )
        return None
    status_code = trademark.first(("MarkCurrentStatusCode",))
    status_text = trademark.first(*_STATUS_TEXT) or status_code
    registration = trademark.first(("RegistrationNumber",))
    published, opposition = _publication(trademark, tally, record_id)
    return RegistryRecord(
        line=trademark.line,
        mark=mark.text,
        owners=tuple(holders),
        jurisdiction=code,
        number=number.text,
        classes=tuple(sorted({n for leaf in classes for n in nice_classes(leaf.text)})),
        status=status_text.text if status_text else None,
        registration_number=registration.text if registration else None,
        application_number=number.text,
        national_classes=tuple(sorted(set(national))),
        mark_feature=_mark_feature(trademark),
        vienna_codes=vienna_codes(trademark.leaves, tally, record_id),
        record_id=record_id,
        status_code=status_code.text if status_code else None,
        goods_services=entries,
        priority_claims=priority_claims(trademark.leaves, tally, record_id),
        translations=tagged_texts(
            trademark.leaves, _WORDS, _TRANSLATION, default, tally, record_id
        ),
        transliterations=tagged_texts(
            trademark.leaves, _WORDS, _TRANSLITERATION, "und-Latn", tally, record_id
        ),
        disclaimers=tagged_texts(
            trademark.leaves,
            ("MarkDisclaimerBag",),
            ("MarkDisclaimerText",),
            default,
            tally,
            record_id,
        ),
        representatives=representatives(trademark.leaves),
        publication_date=published,
        opposition_period=opposition,
        events=events(trademark.leaves, tally, record_id),
        designations=designations(trademark.leaves, tally, record_id),
        design_codes=_design_codes(trademark),
        **dates,
    )


class _OncePerRecord(WarningTally):
    """Passes each kind of warning of one record on to `tally` once."""

    def __init__(self, tally: WarningTally) -> None:  # no counts of its own: no super()
        self.tally, self.seen = tally, set()

    def add(self, kind: str, line: int | None = None, example: str = "") -> None:
        if kind not in self.seen:
            self.seen.add(kind)
            self.tally.add(kind, line, example)


_TRUE = re.compile(r"true|1", re.IGNORECASE)
_DESIGN_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")


def _earlier(first: Leaf, again: Leaf) -> str:
    """Where a value given before another was: ``line L``, or ``column C of the same line``
    (a file written on one line)."""
    if first.line != again.line:
        return f"line {first.line}"
    return f"column {first.column} of the same line" if first.column else "the same line"


def _design_codes(trademark: Collected) -> tuple[str, ...]:
    """USPTO design search codes (``…/NationalDesignSearchCodeBag/…``, written dd.dd.dd)."""
    return tuple(
        sorted(
            {
                leaf.text
                for leaf in trademark.leaves
                if "NationalDesignSearchCodeBag" in leaf.path and _DESIGN_CODE.fullmatch(leaf.text)
            }
        )
    )


def _mark_feature(trademark: Collected) -> str | None:
    """``MarkFeatureCategory`` as written; else "Standard characters" where the word mark is
    in standard characters (USPTO writes only ``MarkStandardCharacterIndicator``)."""
    feature = trademark.first(("MarkRepresentation", "MarkFeatureCategory"))
    if feature is not None:
        return feature.text
    standard = trademark.first((*_WORDS, "MarkStandardCharacterIndicator"))
    return "Standard characters" if standard and _TRUE.fullmatch(standard.text) else None


def _publication(trademark: Collected, tally: WarningTally, record_id: str) -> tuple:
    """The first publication's date (``PublicationBag/Publication``: ``PublicationDate``,
    CIPO's ``PublicationActionDate``) and the opposition period, bad dates left out."""
    found = []
    for leaf in trademark.leaves:
        wanted = leaf.path[:2] == ("PublicationBag", "Publication") and leaf.path[-1] in (
            "PublicationDate",
            "PublicationActionDate",
        )
        if (wanted or leaf.path in _OPPOSITION) and leaf.text:
            try:
                found.append((leaf.path, date_literal(leaf.text)))
            except FieldError:
                tally.add(f"bad {leaf.path[-1]}: left out", leaf.line, f'{record_id} "{leaf.text}"')
    published = sorted(date.value for path, date in found if path not in _OPPOSITION)
    period = [next((d for p, d in found if p == key), None) for key in _OPPOSITION]
    first = next(d for p, d in found if d.value == published[0]) if published else None
    return first, (tuple(period) if any(period) else None)


_OPPOSITION = (("OppositionPeriodStartDate",), ("OppositionPeriodEndDate",))
