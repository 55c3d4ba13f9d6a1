"""Reading WIPO ST.66 trademark XML into checked `RegistryRecord`s.

ST.66 is the XML standard trademark offices exchange (EUIPO/TMview, USPTO TSDR, WIPO): a
``Transaction`` whose ``TradeMarkTransactionBody/TransactionContentDetails/TransactionData/
TradeMarkDetails`` holds ``TradeMark`` elements. Files in the ST.66 namespace, in the older
``.../XMLSchema/trademarks`` namespace that USPTO still writes, or in none are read; elements
of other namespaces (offices' extensions) are ignored.

The file is streamed with a SAX parser from `defusedxml`, configured to refuse any DOCTYPE
(`kg.store.rdfxml_check` states the rule): with no DTD no entity can be declared, so none is
expanded ("billion laughs") or fetched, and an undeclared entity is an error naming the file,
line and record, never a mark silently read as empty. SAX's locator gives each value's line
for error messages. See ``docs/registry-import.md`` for the mapping.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

import defusedxml.expatreader
from defusedxml import DefusedXmlException, DTDForbidden
from tqdm import tqdm

from kg.errors import ParseError
from kg.registries.records import (
    FieldError,
    Owner,
    RegistryRecord,
    RowErrors,
    date_literal,
    jurisdiction_code,
    nice_classes,
    owner_kind,
)
from kg.store.rdfxml_check import DTD_SUGGESTION, doctype_refusal

__all__ = ["NAMESPACES", "read_st66"]

NAMESPACES = (
    "http://www.wipo.int/standards/XMLSchema/ST66",
    "http://www.wipo.int/standards/XMLSchema/trademarks",
    None,
)
_FIELDS = {
    ("RegistrationOfficeCode",): "office",
    ("ApplicationNumber",): "application_number",
    ("ApplicationDate",): "application_date",
    ("RegistrationNumber",): "registration_number",
    ("RegistrationDate",): "registration_date",
    ("MarkCurrentStatusCode",): "status",
    ("MarkCurrentStatusDate",): "status_date",
    ("ExpiryDate",): "expiry_date",
    ("WordMarkSpecification", "MarkVerbalElementText"): "mark",
    ("MarkFeature",): "mark_feature",
}
# A GoodsServices names its classification (ClassificationKindCode): a kind other than "Nice"
# is an office's own (pre-Nice) scheme, whose class numbers are never read as Nice classes.
_GOODS_SERVICES = ("GoodsServicesDetails", "GoodsServices")
_CLASS_KIND = (*_GOODS_SERVICES, "ClassificationKindCode")
_VIENNA = ("MarkImageDetails", "MarkImage", "MarkImageCategory", "CategoryCodeDetails")
_VIENNA += ("CategoryCode",)
_CLASS_NUMBER = (
    "GoodsServicesDetails",
    "GoodsServices",
    "ClassDescriptionDetails",
    "ClassDescription",
    "ClassNumber",
)
_NAME = ("ApplicantAddressBook", "FormattedNameAddress", "Name")
# An Applicant's country (tm:nationality): ST.66 writes ApplicantIncorporationCountryCode (a
# company's) and ApplicantNationalityCode (a person's); ST.96's names are read as well.
_COUNTRY = {
    "ApplicantIncorporationCountryCode": "incorporation",
    "IncorporationCountryCode": "incorporation",
    "ApplicantNationalityCode": "nationality",
    "NationalityCode": "nationality",
}
# USPTO's extension of an Applicant: its place in the chain of title (10 original applicant …
# 30 original registrant, 4x assignees) and its legal entity type code (01 individual).
_USPTO = "urn:us:gov:doc:uspto:trademark:status"
_USPTO_APPLICANT = {"PartyTypeCode": "party_type", "ApplicantLegalEntityCode": "entity_code"}
_PROGRESS_MIN_BYTES = 1 << 20
# TMview's per-office exports: ST.66 element names in an office's own namespace
# (http://gb.tmview.europa.eu/trademark/data, …/trademark/applicant); not read yet (issue 14).
_TMVIEW = re.compile(r"https?://(?:[\w-]+\.)*tmview\.europa\.eu/", re.IGNORECASE)
T = TypeVar("T")


@dataclass
class _Applicant:
    line: int
    lines: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    person_parts: list[str] = field(default_factory=list)
    legal_entity: str | None = None
    entity_code: str | None = None
    party_type: str | None = None
    countries: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """"incorporation" / "nationality" -> (element, code as written, line)."""

    @property
    def name(self) -> str:
        """``OrganizationName`` where given, else the ``FreeFormatNameLine``s joined, else a
        person's ``FirstName`` and ``LastName``."""
        named = self.organisations[:1] or self.lines or self.person_parts
        return " ".join(" ".join(named).split())

    @property
    def kind(self) -> str | None:
        """ "person" or "company" as the file says (legal entity, its code, the name's form)."""
        if self.legal_entity or self.entity_code:
            return owner_kind(self.legal_entity or self.entity_code or "")
        if self.organisations:
            return "company"
        return "person" if self.person_parts else None

    def country(self) -> tuple[str, str, int] | None:
        """The element that says the owner's country, its code and line: a person's
        nationality, a company's country of incorporation, else whichever the file gives."""
        order = ("nationality", "incorporation")
        if self.kind != "person":
            order = order[::-1]
        return next((self.countries[key] for key in order if key in self.countries), None)


@dataclass
class _TradeMark:
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    classes: list[tuple[str, int]] = field(default_factory=list)
    applicants: list[_Applicant] = field(default_factory=list)
    national: list[tuple[str, int]] = field(default_factory=list)
    pending: list[tuple[str, int]] = field(default_factory=list)  # this GoodsServices' numbers
    class_kind: str | None = None
    vienna: list[str] = field(default_factory=list)


class _Handler(ContentHandler):
    """Collects each ``TradeMark``'s values with their lines; calls `emit` for each."""

    def __init__(self, name: str, emit: Callable[[_TradeMark, list[_Applicant]], None]) -> None:
        super().__init__()
        self.name, self.emit = name, emit
        self.locator: Locator | None = None
        self.namespace: str | None = None
        self.path: list[str | None] = []
        self.text: list[str] = []
        self.line = 0
        self.trademarks = 0
        self.trademark: _TradeMark | None = None
        self.trademark_depth = 0
        self.applicant: _Applicant | None = None
        self.applicant_depth = 0
        self.transaction: list[_TradeMark] | None = None
        self.transaction_applicants: list[_Applicant] = []

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def current_line(self) -> int:
        return self.locator.getLineNumber() if self.locator is not None else 0

    def current_column(self) -> int | None:
        return self.locator.getColumnNumber() + 1 if self.locator is not None else None

    def record(self) -> str:
        """The TradeMark being read, for messages: its line and application number."""
        if self.trademark is None:
            return ""
        number = self.trademark.values.get("application_number")
        named = f", ApplicationNumber {number[0]}" if number else ""
        return f" (in the TradeMark on line {self.trademark.line}{named})"

    def skippedEntity(self, name: str) -> None:
        # Unreachable while DTDs are refused; never let an entity vanish from a value.
        raise ParseError(
            f"undeclared entity &{name}; refused{self.record()}",
            path=self.name,
            line=self.current_line(),
            column=self.current_column(),
        )

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        uri, local = name
        self.line, self.text = self.current_line(), []
        if not self.path:
            self._check_root(uri, local)
        if uri != self.namespace:
            self.path.append(None)
            return
        parent = self.path[-1] if self.path else None
        self.path.append(local)
        if local == "TransactionData":
            self.transaction, self.transaction_applicants = [], []
        elif local == "TradeMark" and self.trademark is None:
            self.trademark, self.trademark_depth = _TradeMark(self.line), len(self.path)
            self.trademarks += 1
        elif local == "Applicant" and parent == "ApplicantDetails" and self.applicant is None:
            self.applicant, self.applicant_depth = _Applicant(self.line), len(self.path)
            owners = self.trademark.applicants if self.trademark else self.transaction_applicants
            owners.append(self.applicant)

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        local = self.path.pop()
        text, self.text = "".join(self.text).strip(), []
        if local is None:
            field_name = _USPTO_APPLICANT.get(name[1]) if name[0] == _USPTO else None
            if self.applicant is not None and field_name and text:
                setattr(self.applicant, field_name, text)
            return
        depth = len(self.path) + 1
        if self.applicant is not None:
            if depth == self.applicant_depth:
                self.applicant = None
            elif depth == self.applicant_depth + 1 and local == "ApplicantLegalEntity" and text:
                self.applicant.legal_entity = text
            elif depth == self.applicant_depth + 1 and local in _COUNTRY and text:
                self.applicant.countries.setdefault(_COUNTRY[local], (local, text, self.line))
            elif tuple(self.path[self.applicant_depth : self.applicant_depth + 3]) == _NAME:
                if local == "FreeFormatNameLine" and text:
                    self.applicant.lines.append(text)
                elif local == "OrganizationName" and text:
                    self.applicant.organisations.append(text)
                elif local in ("FirstName", "LastName") and text:
                    self.applicant.person_parts.append(text)
        if self.trademark is not None:
            if depth == self.trademark_depth:
                trademark, self.trademark = self.trademark, None
                if self.transaction is not None:
                    self.transaction.append(trademark)
                else:
                    self.emit(trademark, [])
                return
            relative = (*self.path[self.trademark_depth :], local)
            key = _FIELDS.get(relative)  # type: ignore[arg-type]
            if key is not None and text:
                self.trademark.values.setdefault(key, (text, self.line))
            elif relative == _CLASS_NUMBER and text:
                self.trademark.pending.append((text, self.line))
            elif relative == _CLASS_KIND:
                self.trademark.class_kind = text
            elif relative == _GOODS_SERVICES:
                _file_classes(self.trademark)
            elif relative == _VIENNA and text:
                self.trademark.vienna.append(text)
        elif local == "TransactionData" and self.transaction is not None:
            for trademark in self.transaction:
                self.emit(trademark, self.transaction_applicants)
            self.transaction = None

    def _check_root(self, uri: str | None, local: str) -> None:
        if local == "Transaction" and uri in NAMESPACES:
            self.namespace = uri
            return
        read = "ST.66 namespaces read: " + ", ".join(n for n in NAMESPACES if n)
        if _TMVIEW.match(uri or ""):
            raise ParseError(
                f"a TMview per-office file (namespace {uri}): these files are not read yet "
                "(issue 14)",
                path=self.name,
                line=self.line,
                suggestion=read,
            )
        hint = "ST.96 files are not supported yet" if "ST96" in (uri or "") else None
        found = f"{{{uri}}}{local}" if uri else local
        raise ParseError(
            f"not an ST.66 file: the root element is {found}, not Transaction",
            path=self.name,
            line=self.line,
            suggestion=hint or read,
        )


def read_st66(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[list[RegistryRecord], tuple[str, ...]]:
    """The records of an ST.66 file, and warnings (e.g. trademarks without a word element)."""
    name = str(path)
    records: list[RegistryRecord] = []
    figurative: list[int] = []

    def emit(trademark: _TradeMark, fallback: list[_Applicant]) -> None:
        record = _record(trademark, fallback, jurisdiction, errors)
        if record is not None:
            records.append(record)
        elif "mark" not in trademark.values and not errors:
            figurative.append(trademark.line)

    handler = _Handler(name, emit)
    parser = defusedxml.expatreader.create_parser(forbid_dtd=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    size = path.stat().st_size
    with path.open("rb") as raw:
        bar = None
        stream: BinaryIO = raw
        if progress and size >= _PROGRESS_MIN_BYTES:
            bar = tqdm(total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)
            stream = _ProgressFile(raw, bar)
        try:
            parser.parse(stream)
        except SAXParseException as error:
            raise ParseError(
                f"not well-formed XML: {error.getMessage()}{handler.record()}",
                path=name,
                line=error.getLineNumber(),
                column=error.getColumnNumber() + 1,
            ) from None
        except DTDForbidden as error:
            raise ParseError(
                doctype_refusal(error.sysid, error.pubid),
                path=name,
                line=handler.current_line() or None,
                column=handler.current_column(),
                suggestion=DTD_SUGGESTION,
            ) from None
        except DefusedXmlException as error:  # entities, external references: need a DTD
            raise ParseError(
                f"refused: {error}",
                path=name,
                line=handler.current_line() or None,
                column=handler.current_column(),
            ) from None
        finally:
            if bar is not None:
                bar.close()
    warnings = []
    if handler.trademarks == 0:
        warnings.append(f"{name}: no TradeMark element found")
    if figurative:
        warnings.append(
            f"{name}: skipped {len(figurative)} TradeMark(s) without "
            f"WordMarkSpecification/MarkVerbalElementText (figurative marks), "
            f"first on line {figurative[0]}"
        )
    return records, tuple(warnings)


def _record(
    trademark: _TradeMark,
    fallback: list[_Applicant],
    jurisdiction: str | None,
    errors: RowErrors,
) -> RegistryRecord | None:
    values, before = trademark.values, len(errors.errors)
    text = {key: found[0] for key, found in values.items()}

    def parsed(key: str, element: str, parse: Callable[[str], T]) -> T | None:
        if key not in values:
            return None
        try:
            return parse(values[key][0])
        except FieldError as error:
            errors.add(values[key][1], None, f"{element}: {error}")
            return None

    if "application_number" not in text:
        errors.add(trademark.line, None, "TradeMark without an ApplicationNumber")
    code = parsed("office", "RegistrationOfficeCode", jurisdiction_code)
    if "office" not in values:
        code = jurisdiction
        if code is None:
            errors.add(
                trademark.line,
                None,
                "TradeMark without a RegistrationOfficeCode (pass --jurisdiction)",
            )
    classes: set[int] = set()
    for number, line in trademark.classes:
        try:
            classes.update(nice_classes(number))
        except FieldError as error:
            errors.add(line, None, f"ClassNumber: {error}")
    applicants = trademark.applicants or _current_owners(fallback)
    if not applicants:
        errors.add(trademark.line, None, "TradeMark without an Applicant")
    for applicant in applicants:
        if not applicant.name:
            errors.add(
                applicant.line, None, "Applicant without FreeFormatNameLine or OrganizationName"
            )
    filed = parsed("application_date", "ApplicationDate", date_literal)
    granted = parsed("registration_date", "RegistrationDate", date_literal)
    status_date = parsed("status_date", "MarkCurrentStatusDate", date_literal)
    expiry = parsed("expiry_date", "ExpiryDate", date_literal)
    owners = []
    for applicant in applicants:
        country = None
        found = applicant.country()
        if found is not None:
            try:
                country = jurisdiction_code(found[1])
            except FieldError as error:
                errors.add(found[2], None, f"{found[0]}: {error}")
        owners.append(Owner(applicant.name, applicant.kind, country))
    if len(errors.errors) > before or code is None or "mark" not in text:
        return None
    return RegistryRecord(
        line=trademark.line,
        mark=text["mark"],
        owners=tuple(owners),
        jurisdiction=code,
        number=text["application_number"],
        classes=tuple(sorted(classes)),
        filing_date=filed,
        registration_date=granted,
        status=text.get("status"),
        registration_number=text.get("registration_number"),
        application_number=text["application_number"],
        status_date=status_date,
        expiry_date=expiry,
        national_classes=tuple(sorted({code for code, _ in trademark.national})),
        mark_feature=text.get("mark_feature"),
        vienna_codes=tuple(sorted(set(trademark.vienna))),
    )


def _file_classes(trademark: _TradeMark) -> None:
    """Put the class numbers of the GoodsServices just read with Nice or national classes."""
    kind = (trademark.class_kind or "Nice").casefold()
    (trademark.classes if kind == "nice" else trademark.national).extend(trademark.pending)
    trademark.pending, trademark.class_kind = [], None


def _current_owners(chain: list[_Applicant]) -> list[_Applicant]:
    """The current owners among applicants beside TradeMarkDetails, as USPTO writes them.

    They list the chain of title, the current owner's party type first; co-owners share a
    party type. Without USPTO's ``PartyTypeCode`` only the first can be told to be current.
    """
    if not chain or chain[0].party_type is None:
        return chain[:1]
    current = chain[0].party_type
    return list(itertools.takewhile(lambda applicant: applicant.party_type == current, chain))


class _ProgressFile(io.RawIOBase):
    """A readable binary file that advances a progress bar as the parser reads it."""

    def __init__(self, inner: BinaryIO, bar: tqdm) -> None:
        self._inner, self._bar = inner, bar

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._inner.read(size)
        self._bar.update(len(chunk))
        return chunk
