"""Reading WIPO ST.66 trademark XML, in any namespace, into checked `RegistryRecord`s.

ST.66 is the XML standard trademark offices exchange (EUIPO and TMview's per-office
services, USPTO TSDR, WIPO's Madrid data): a ``Transaction`` whose ``TradeMarkTransactionBody/
TransactionContentDetails/TransactionData/TradeMarkDetails`` holds ``TradeMark`` elements.
The root element's local name says ST.66 (`kg.registries.sniff` dispatches by it); its
namespace is whichever the office uses (``http://www.wipo.int/standards/XMLSchema/ST66``,
USPTO's ``…/XMLSchema/trademarks``, TMview's ``http://gb.tmview.europa.eu/trademark/data``,
EUIPO's ``http://www.euipo.europa.eu/EUTM/EUTM_Download``, or none), and the elements of that
namespace are read by their ST.66 names. Elements of any other namespace (offices'
extensions) are ignored, except the few of USPTO's that ST.66 has no element for.

Applicants and representatives are given inline (``ApplicantDetails/Applicant``) or by
reference (``ApplicantDetails/ApplicantKey``, ``RepresentativeDetails/RepresentativeKey``):
a reference is resolved against the parties `read_st66_parties` found in the files imported
together (UKIPO publishes a mark and its applicant as two TMview transactions).

The file is streamed: a SAX parser from `defusedxml` is fed 64 KiB at a time (expat's
incremental ``feed``) and the records completed by each chunk are yielded, so memory stays flat
whatever the file's size. The parser refuses any DOCTYPE (`kg.store.rdfxml_check` states the
rule): with no DTD no entity can be declared, so none is expanded ("billion laughs") or
fetched, and an undeclared entity is an error naming the file, line and record. See
``docs/registry-import.md``, section "WIPO ST.66 XML", for the mapping and its sources.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

import defusedxml.expatreader
import pyoxigraph as ox
from defusedxml import DefusedXmlException, DTDForbidden
from tqdm import tqdm

from kg.errors import ParseError
from kg.registries.records import (
    Designation,
    FieldError,
    GoodsServices,
    Owner,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
    nice_classes,
    owner_kind,
)
from kg.store.rdfxml_check import DTD_SUGGESTION, doctype_refusal

__all__ = ["gather_st66_parties", "read_st66", "read_st66_parties"]

Parties = Mapping[str, tuple[str, Owner]]
"""Parties by key ("applicant/507772", "representative/9865") -> (role, owner)."""

_CHUNK = 1 << 16
_PROGRESS_MIN_BYTES = 1 << 20
T = TypeVar("T")

# TradeMark children read as single values, by their path below TradeMark.
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
    ("OppositionPeriodStartDate",): "opposition_start",
    ("OppositionPeriodEndDate",): "opposition_end",
    ("ApplicationLanguageCode",): "language",
}
# Texts with a languageCode: translation, transliteration, disclaimer (ST.66; WIPO's Romarin
# to ST.66 mapping writes MarkTranslation/MarkDisclaimer with languageCode).
_TEXTS = {
    ("WordMarkSpecification", "MarkTranslation"): "translations",
    ("WordMarkSpecification", "MarkTransliteration"): "transliterations",
    ("MarkDisclaimerDetails", "MarkDisclaimer"): "disclaimers",
}
_GOODS_SERVICES = ("GoodsServicesDetails", "GoodsServices")
_CLASS_DESCRIPTION = (*_GOODS_SERVICES, "ClassDescriptionDetails", "ClassDescription")
# Vienna codes: TMview writes MarkImage/MarkImageCategory/…, WIPO's Romarin mapping
# MarkImage/MarkImageCategoryDetails/MarkImageCategory/….
_VIENNA = {
    ("MarkImageDetails", "MarkImage", "MarkImageCategory", "CategoryCodeDetails", "CategoryCode"),
    (
        "MarkImageDetails",
        "MarkImage",
        "MarkImageCategoryDetails",
        "MarkImageCategory",
        "CategoryCodeDetails",
        "CategoryCode",
    ),
}
_PUBLICATION_DATE = ("PublicationDetails", "Publication", "PublicationDate")
_PRIORITY = ("PriorityDetails", "Priority")
_EVENT = ("MarkEventDetails", "MarkEvent")
_RECORD = ("MarkRecordDetails", "MarkRecord", "BasicRecord")
_DESIGNATION = ("DesignatedCountryDetails", "DesignatedCountry")
_AS_OF = ("TransactionHeader", "SenderDetails", "RequestProducerDateTime")
# A party's country (tm:nationality): ST.66 writes <Role>IncorporationCountryCode (a
# company's) and <Role>NationalityCode (a person's); ST.96's names are read as well.
_COUNTRY = {
    "IncorporationCountryCode": "incorporation",
    "NationalityCode": "nationality",
}
_ROLES = {"Applicant": "applicant", "Representative": "representative"}
# USPTO's extension (namespace below): an Applicant's place in the chain of title
# (PartyTypeCode: 10 original applicant … 30 original registrant, 4x assignees) and its legal
# entity type (ApplicantLegalEntityCode, 01 individual); a priority's date
# (ForeignApplicationFilingDate), an event's wording (MarkEventInternalDescriptionText) and
# the last renewal (AdditionalMarkDetails/RenewalDate), for which ST.66 has no element there.
_USPTO = "urn:us:gov:doc:uspto:trademark:status"
_USPTO_PARTY = {"PartyTypeCode": "party_type", "ApplicantLegalEntityCode": "entity_code"}
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
_FIGURATIVE = (
    "skipped: a TradeMark without WordMarkSpecification/MarkVerbalElementText (figurative)"
)


@dataclass
class _Party:
    """An Applicant or Representative being read."""

    role: str
    line: int
    identifier: str | None = None
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
        """The element that says the party's country, its code and line: a person's
        nationality, a company's country of incorporation, else whichever the file gives."""
        order = ("nationality", "incorporation")
        if self.kind != "person":
            order = order[::-1]
        return next((self.countries[key] for key in order if key in self.countries), None)

    def owner(self, errors: RowErrors, suffix: str = "") -> Owner:
        """The party as an `Owner`, its country checked (a bad code goes to `errors`)."""
        country = None
        found = self.country()
        if found is not None:
            try:
                country = jurisdiction_code(found[1])
            except FieldError as error:
                errors.add(found[2], None, f"{found[0]}: {error}{suffix}")
        return Owner(self.name, self.kind, country)


@dataclass
class _Key:
    """An ApplicantKey / RepresentativeKey: its Identifier and URI as written."""

    role: str
    line: int
    identifier: str | None = None
    uri: str | None = None

    def candidates(self) -> list[str]:
        """The keys it may be defined under: "{role}/{Identifier}", "{role}/{last segment of
        the URI}" (UKIPO's mark names applicant 507772 as ``…/trademark/applicant/507772``)."""
        found = []
        if self.identifier:
            found.append(f"{self.role}/{self.identifier}")
        if self.uri:
            tail = self.uri.rstrip("/").rsplit("/", 1)[-1]
            if tail:
                found.append(f"{self.role}/{tail}")
        return found

    def shown(self) -> str:
        return self.uri or self.identifier or "(empty)"


@dataclass
class _Class:
    line: int
    number: str | None = None
    texts: list[tuple[str, str | None, int]] = field(default_factory=list)


@dataclass
class _Group:
    """A Priority, MarkEvent, BasicRecord or DesignatedCountry being read: its values."""

    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class _TradeMark:
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    applicants: list[_Party] = field(default_factory=list)
    representatives: list[_Party] = field(default_factory=list)
    keys: list[_Key] = field(default_factory=list)
    classes: list[_Class] = field(default_factory=list)  # of all GoodsServices, kind filed
    kinds: list[tuple[str | None, str | None]] = field(default_factory=list)  # kind, version
    pending: list[_Class] = field(default_factory=list)  # this GoodsServices' classes
    class_kind: str | None = None
    class_version: str | None = None
    vienna: list[str] = field(default_factory=list)
    texts: dict[str, list[tuple[str, str | None, int]]] = field(default_factory=dict)
    publications: list[tuple[str, int]] = field(default_factory=list)
    priorities: list[_Group] = field(default_factory=list)
    events: list[_Group] = field(default_factory=list)
    records: list[_Group] = field(default_factory=list)
    designations: list[_Group] = field(default_factory=list)
    renewal: tuple[str, int] | None = None  # USPTO's RenewalDate


class _Handler(ContentHandler):
    """Collects each ``TradeMark``'s values with their lines, and the parties a file defines.

    `emit` receives each finished TradeMark with the applicants beside it (USPTO writes them
    beside ``TradeMarkDetails``); `define` each Applicant / Representative outside a TradeMark
    that has an identifier.
    """

    def __init__(
        self,
        name: str,
        emit: Callable[[_TradeMark, list[_Party]], None],
        define: Callable[[_Party], None],
    ) -> None:
        super().__init__()
        self.name, self.emit, self.define = name, emit, define
        self.parties_only = False
        """Skip the TradeMarks' content (`read_st66_parties` needs none of it)."""
        self.locator: Locator | None = None
        self.namespace: str | None = None
        self.path: list[str | None] = []
        self.text: list[str] = []
        self.language: str | None = None
        self.line = 0
        self.trademarks = 0
        self.as_of: str | None = None
        self.trademark: _TradeMark | None = None
        self.trademark_depth = 0
        self.party: _Party | None = None
        self.party_depth = 0
        self.key: _Key | None = None
        self.group: _Group | None = None
        self.klass: _Class | None = None
        self.transaction: list[_TradeMark] | None = None
        self.transaction_applicants: list[_Party] = []

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
        if self.parties_only and self.trademark is not None:
            self.path.append(local if uri == self.namespace else None)
            self.text = []
            return
        self.line, self.text = self.current_line(), []
        self.language = attrs.get((None, "languageCode"))
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
        elif local in _ROLES and parent == f"{local}Details" and self.party is None:
            self.party, self.party_depth = _Party(_ROLES[local], self.line), len(self.path)
            if self.trademark is None:
                if local == "Applicant":
                    self.transaction_applicants.append(self.party)
            elif local == "Applicant":
                self.trademark.applicants.append(self.party)
            else:
                self.trademark.representatives.append(self.party)
        elif (
            local in ("ApplicantKey", "RepresentativeKey")
            and self.trademark is not None
            and self.party is None
        ):
            self.key = _Key(_ROLES[local.removesuffix("Key")], self.line)
        elif self.trademark is not None and self.party is None:
            relative = tuple(self.path[self.trademark_depth :])
            if relative == _CLASS_DESCRIPTION:
                self.klass = _Class(self.line)
                self.trademark.pending.append(self.klass)
            elif relative in (_PRIORITY, _EVENT, _RECORD, _DESIGNATION):
                self.group = _Group(self.line)
                target = {
                    _PRIORITY: self.trademark.priorities,
                    _EVENT: self.trademark.events,
                    _RECORD: self.trademark.records,
                    _DESIGNATION: self.trademark.designations,
                }[relative]
                target.append(self.group)

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        local = self.path.pop()
        if self.parties_only and self.trademark is not None:
            if len(self.path) + 1 == self.trademark_depth:
                self.trademark = None
            elif local == "ApplicationNumber" and len(self.path) == self.trademark_depth:
                number = "".join(self.text).strip()  # for messages
                self.trademark.values.setdefault("application_number", (number, self.line))
            self.text = []
            return
        text, self.text = "".join(self.text).strip(), []
        if local is None:
            self._extension(name, text)
            return
        depth = len(self.path) + 1
        if self.party is not None:
            self._party_value(local, depth, text)
            return
        if self.key is not None:
            if local in ("ApplicantKey", "RepresentativeKey"):
                if self.trademark is not None:
                    self.trademark.keys.append(self.key)
                self.key = None
            elif local == "Identifier" and text:
                self.key.identifier = text
            elif local == "URI" and text:
                self.key.uri = text
            return
        if self.trademark is not None:
            if depth == self.trademark_depth:
                self._end_trademark()
                return
            self._trademark_value(local, text)
        elif local == "TransactionData" and self.transaction is not None:
            for trademark in self.transaction:
                self.emit(trademark, self.transaction_applicants)
            self.transaction = None
        elif (*self.path[1:], local) == _AS_OF and text:
            self.as_of = text[:10]

    def _extension(self, name: tuple[str | None, str], text: str) -> None:
        """USPTO's extension values that ST.66 has no element for; others are ignored."""
        if name[0] != _USPTO or not text:
            return
        if self.party is not None:
            attribute = _USPTO_PARTY.get(name[1])
            if attribute:
                setattr(self.party, attribute, text)
        elif self.group is not None and name[1] in (
            "ForeignApplicationFilingDate",
            "MarkEventInternalDescriptionText",
        ):
            self.group.values.setdefault(name[1], (text, self.line))
        elif self.trademark is not None and name[1] == "RenewalDate":
            self.trademark.renewal = (text, self.line)

    def _party_value(self, local: str, depth: int, text: str) -> None:
        party = self.party
        assert party is not None
        prefix = "Applicant" if party.role == "applicant" else "Representative"
        if depth == self.party_depth:
            self.party = None
            if self.trademark is None and party.identifier:
                self.define(party)
        elif depth == self.party_depth + 1 and text:
            if local == f"{prefix}LegalEntity":
                party.legal_entity = text
            elif local == f"{prefix}Identifier":
                party.identifier = text
            elif local.removeprefix(prefix) in _COUNTRY:
                party.countries.setdefault(
                    _COUNTRY[local.removeprefix(prefix)], (local, text, self.line)
                )
        elif tuple(self.path[self.party_depth : self.party_depth + 3]) == (
            f"{prefix}AddressBook",
            "FormattedNameAddress",
            "Name",
        ):
            if local == "FreeFormatNameLine" and text:
                party.lines.append(text)
            elif local == "OrganizationName" and text:
                party.organisations.append(text)
            elif local in ("FirstName", "LastName") and text:
                party.person_parts.append(text)

    def _trademark_value(self, local: str, text: str) -> None:
        trademark = self.trademark
        assert trademark is not None
        relative = (*self.path[self.trademark_depth :], local)
        key = _FIELDS.get(relative)  # type: ignore[arg-type]
        if key is not None:
            if text:
                trademark.values.setdefault(key, (text, self.line))
        elif relative in _TEXTS:
            if text:
                trademark.texts.setdefault(_TEXTS[relative], []).append(  # type: ignore[index]
                    (text, self.language, self.line)
                )
        elif self.klass is not None and relative[:-1] == _CLASS_DESCRIPTION:
            if local == "ClassNumber" and text:
                self.klass.number, self.klass.line = text, self.line
            elif local == "GoodsServicesDescription" and text:
                self.klass.texts.append((text, self.language, self.line))
        elif relative == _CLASS_DESCRIPTION:
            self.klass = None
        elif relative == (*_GOODS_SERVICES, "ClassificationKindCode"):
            trademark.class_kind = text or None
        elif relative == (*_GOODS_SERVICES, "ClassificationVersion"):
            trademark.class_version = text or None
        elif relative == _GOODS_SERVICES:
            _file_classes(trademark)
        elif relative in _VIENNA:
            if text:
                trademark.vienna.append(text)
        elif relative == _PUBLICATION_DATE:
            if text:
                trademark.publications.append((text, self.line))
        elif self.group is not None and relative[:-1] in (_PRIORITY, _EVENT, _RECORD, _DESIGNATION):
            if text:
                self.group.values.setdefault(local, (text, self.line))
        elif relative in (_PRIORITY, _EVENT, _RECORD, _DESIGNATION):
            self.group = None

    def _end_trademark(self) -> None:
        trademark, self.trademark = self.trademark, None
        assert trademark is not None
        # USPTO writes the owners beside TradeMarkDetails, after it: wait for them only then.
        if self.transaction is not None and not (trademark.applicants or trademark.keys):
            self.transaction.append(trademark)
        else:
            self.emit(trademark, [])

    def _check_root(self, uri: str | None, local: str) -> None:
        if local == "Transaction":
            self.namespace = uri
            return
        hint = (
            "this is a WIPO ST.96 file: import it with --format st96, or without --format"
            if "ST96" in (uri or "")
            else None
        )
        found = f"{{{uri}}}{local}" if uri else local
        raise ParseError(
            f"not an ST.66 file: the root element is {found}, not Transaction",
            path=self.name,
            line=self.line,
            suggestion=hint
            or "an ST.66 file's root element is Transaction, in any namespace (WIPO's, "
            "USPTO's, TMview's per-office ones, EUIPO's)",
        )


def _file_classes(trademark: _TradeMark) -> None:
    """File the classes of the GoodsServices just read with its kind and version."""
    for klass in trademark.pending:
        trademark.classes.append(klass)
        trademark.kinds.append((trademark.class_kind, trademark.class_version))
    trademark.pending, trademark.class_kind, trademark.class_version = [], None, None


# ------------------------------------------------------------------ reading


def read_st66(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
    parties: Parties | None = None,
) -> tuple[Iterator[RegistryRecord], WarningTally]:
    """The records of an ST.66 file (plain, or the ``.xml`` members of a zip archive), yielded
    as they are read, and the file's warnings (complete once the records are consumed).

    `parties` are the applicants and representatives an ``ApplicantKey`` /
    ``RepresentativeKey`` may name (`gather_st66_parties` of every ST.66 file of the import);
    None reads them from this file first. A mark whose ApplicantKey names none of them (and
    that names no Applicant inline) is an error in `errors` naming the key, line and
    application number; an unresolved RepresentativeKey is a warning (the representative is
    left out). A file that defines only parties (no TradeMark) yields nothing, silently.

    Bad values go to `errors` (file, line, record id "application NNN"); a file that is not
    ST.66, not well-formed or has a DOCTYPE raises `ParseError` (file, line, column) while
    the records are read.
    """
    tally = WarningTally(str(path))
    return _records(path, jurisdiction, errors, progress, parties, tally), tally


def _records(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    progress: bool,
    parties: Parties | None,
    tally: WarningTally,
) -> Iterator[RegistryRecord]:
    if parties is None:
        parties = read_st66_parties(path)
    ready: deque[RegistryRecord] = deque()
    defined = 0
    handlers: list[_Handler] = []

    def emit(trademark: _TradeMark, fallback: list[_Party]) -> None:
        before = len(errors.errors)
        record = _record(
            trademark, fallback, handlers[-1].as_of, jurisdiction, parties, errors, tally, path
        )
        if record is not None:
            ready.append(record)
        elif "mark" not in trademark.values and len(errors.errors) == before:
            number = trademark.values.get("application_number")
            tally.add(_FIGURATIVE, trademark.line, f"application {number[0]}" if number else "")

    def define(_party: _Party) -> None:
        nonlocal defined
        defined += 1

    trademarks = 0
    for name, stream, size in _streams(path):
        handler = _Handler(name, emit, define)
        handlers.append(handler)
        for _ in _parse(handler, stream, size, progress):
            yield from _drain(ready)
        yield from _drain(ready)
        trademarks += handler.trademarks
    if trademarks == 0 and defined == 0:
        tally.note("no TradeMark element found")


def _drain(ready: deque[RegistryRecord]) -> Iterator[RegistryRecord]:
    while ready:
        yield ready.popleft()


def _streams(path: Path) -> Iterator[tuple[str, IO[bytes], int]]:
    """(name for messages, binary stream, size) of the file, or of each ``.xml`` member of a
    zip archive (in archive order)."""
    with ExitStack() as stack:
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            for info in archive.infolist():
                if info.filename.lower().endswith(".xml"):
                    with archive.open(info) as member:
                        yield f"{path}!{info.filename}", member, info.file_size
        else:
            with path.open("rb") as raw:
                yield str(path), raw, path.stat().st_size


def _parse(handler: _Handler, stream: IO[bytes], size: int, progress: bool) -> Iterator[None]:
    """Feed `stream` to an expat SAX parser 64 KiB at a time; yield after each chunk."""
    name = handler.name
    parser = defusedxml.expatreader.create_parser(forbid_dtd=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    handler.setDocumentLocator(ExpatLocator(parser))
    bar = None
    if progress and size >= _PROGRESS_MIN_BYTES:
        bar = tqdm(total=size, unit="B", unit_scale=True, desc=Path(name).name, file=sys.stderr)
    try:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
            if bar is not None:
                bar.update(len(chunk))
            yield
        parser.close()
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
    yield


# ------------------------------------------------------------------ parties


def read_st66_parties(path: Path) -> dict[str, tuple[str, Owner]]:
    """The applicants and representatives `path` defines outside any TradeMark (a TMview
    applicant transaction, EUIPO's applicant and representative files), by the keys a mark's
    ``ApplicantKey`` / ``RepresentativeKey`` names them with: "applicant/{ApplicantIdentifier}"
    and "representative/{RepresentativeIdentifier}" (a key's ``Identifier``, or the last
    segment of its ``URI``: UKIPO's ``http://www.ipo.gov.uk/trademark/applicant/507772``
    names the applicant whose ApplicantIdentifier is 507772). Each value is (role, owner),
    role "applicant" or "representative".

    Raises `ParseError` where the file is not ST.66 XML, or defines one key twice with
    different names (naming both lines); the same party written twice is one.
    """
    found: dict[str, tuple[str, Owner]] = {}
    lines: dict[str, int] = {}
    errors = RowErrors(str(path))

    def define(party: _Party) -> None:
        key = f"{party.role}/{party.identifier}"
        owner = party.owner(errors, f" ({party.role} {party.identifier})")
        if not owner.name:
            errors.add(party.line, None, f"{party.role} {party.identifier} without a name")
            return
        first = found.setdefault(key, (party.role, owner))
        lines.setdefault(key, party.line)
        if first[1] != owner:
            errors.add(
                party.line,
                None,
                f"{party.role} {party.identifier} is defined twice with different values: "
                f'"{owner.name}" here, "{first[1].name}" on line {lines[key]}',
            )

    for name, stream, size in _streams(path):
        handler = _Handler(name, lambda _trademark, _fallback: None, define)
        handler.parties_only = True
        for _ in _parse(handler, stream, size, progress=False):
            pass
    errors.raise_if_any()
    return found


def gather_st66_parties(paths: Iterable[Path]) -> dict[str, tuple[str, Owner]]:
    """The parties of every file in `paths` (`read_st66_parties`), merged. Raises
    `ParseError` where two files define one key with different names, naming both files."""
    merged: dict[str, tuple[str, Owner]] = {}
    where: dict[str, Path] = {}
    for path in paths:
        for key, value in read_st66_parties(path).items():
            first = merged.setdefault(key, value)
            where.setdefault(key, path)
            if first != value:
                raise ParseError(
                    f'{key.replace("/", " ")} is "{value[1].name}" here and "{first[1].name}" '
                    f"in {where[key]}",
                    path=str(path),
                    suggestion="import the files of different offices in separate commands",
                )
    return merged


# ------------------------------------------------------------------ records


def _record(
    trademark: _TradeMark,
    fallback: list[_Party],
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
    code = parsed("office", "RegistrationOfficeCode", jurisdiction_code)
    if "office" not in values:
        code = jurisdiction
        if code is None:
            errors.add(
                trademark.line,
                None,
                f"TradeMark without a RegistrationOfficeCode (pass --jurisdiction){suffix}",
            )
    owners = _owners(trademark, fallback, parties, errors, suffix, path)
    representatives = _representatives(trademark, parties, errors, tally, suffix)
    classes, national, goods = _goods_services(trademark, code, text, errors, suffix)
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
    status = text.get("status")
    return RegistryRecord(
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
        status_code=status if status and status.isdigit() else None,
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
    )


def _owners(
    trademark: _TradeMark,
    fallback: list[_Party],
    parties: Parties,
    errors: RowErrors,
    suffix: str,
    path: Path,
) -> tuple[Owner, ...]:
    """Inline Applicants; else those the ApplicantKeys name; else those beside the
    TradeMarkDetails (USPTO)."""
    applicants = trademark.applicants
    keys = [key for key in trademark.keys if key.role == "applicant"]
    if not applicants and keys:
        owners = []
        for key in keys:
            found = _resolve(key, parties)
            if found is None:
                errors.add(
                    key.line,
                    None,
                    f'ApplicantKey "{key.shown()}" names no applicant of the files imported'
                    f"{suffix}: import the file that defines it in the same command, e.g. "
                    f"kg import {path.name} applicants.xml",
                )
            elif found not in owners:
                owners.append(found)
        return tuple(owners)
    applicants = applicants or _current_owners(fallback)
    if not applicants:
        errors.add(trademark.line, None, f"TradeMark without an Applicant{suffix}")
    owners = []
    for applicant in applicants:
        if not applicant.name:
            errors.add(
                applicant.line,
                None,
                f"Applicant without FreeFormatNameLine or OrganizationName{suffix}",
            )
            continue
        owner = applicant.owner(errors, suffix)
        if owner not in owners:
            owners.append(owner)
    return tuple(owners)


def _resolve(key: _Key, parties: Parties) -> Owner | None:
    for candidate in key.candidates():
        found = parties.get(candidate)
        if found is not None and found[0] == key.role:
            return found[1]
    return None


def _representatives(
    trademark: _TradeMark,
    parties: Parties,
    errors: RowErrors,
    tally: WarningTally,
    suffix: str,
) -> tuple[Owner, ...]:
    """Inline Representatives with a name (USPTO writes empty ones); else those the
    RepresentativeKeys name (one naming none is a warning: the representative is left out)."""
    found: list[Owner] = []
    for party in trademark.representatives:
        if party.name:
            owner = party.owner(errors, suffix)
            if owner not in found:
                found.append(owner)
    if trademark.representatives:
        return tuple(found)
    for key in trademark.keys:
        if key.role != "representative":
            continue
        owner = _resolve(key, parties)
        if owner is None:
            tally.add(
                "RepresentativeKey names no representative of the files imported: "
                "representative left out",
                key.line,
                f"{key.shown()}{suffix}",
            )
        elif owner not in found:
            found.append(owner)
    return tuple(found)


def _goods_services(
    trademark: _TradeMark,
    code: str | None,
    text: dict[str, str],
    errors: RowErrors,
    suffix: str,
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[GoodsServices, ...]]:
    """Nice classes, national class codes and goods/services per class (texts merged per
    class; a class of a ClassificationKindCode other than Nice is national, as written)."""
    _file_classes(trademark)
    language = _language(text.get("language"), code)
    nice: set[int] = set()
    national: set[str] = set()
    merged: dict[tuple[int | None, str | None], tuple[list[TaggedText], str | None]] = {}
    for klass, (kind, version) in zip(trademark.classes, trademark.kinds, strict=True):
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
    goods = tuple(
        GoodsServices(nice=key[0], national=key[1], texts=tuple(texts), version=version)
        for key, (texts, version) in merged.items()
    )
    return tuple(sorted(nice)), tuple(sorted(national)), goods


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
    group: _Group, names: tuple[str, ...], errors: RowErrors, suffix: str
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


def _events(trademark: _TradeMark, errors: RowErrors, suffix: str) -> tuple[RegisterEvent, ...]:
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


def _renewal(trademark: _TradeMark, errors: RowErrors, suffix: str) -> ox.Literal | None:
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
    trademark: _TradeMark, registered: ox.Literal | None, errors: RowErrors, suffix: str
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
    trademark: _TradeMark, tally: WarningTally, number: str | None
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


def _current_owners(chain: list[_Party]) -> list[_Party]:
    """The current owners among applicants beside TradeMarkDetails, as USPTO writes them.

    They list the chain of title, the current owner's party type first; co-owners share a
    party type. Without USPTO's ``PartyTypeCode`` only the first can be told to be current.
    """
    if not chain or chain[0].party_type is None:
        return chain[:1]
    current = chain[0].party_type
    found = []
    for applicant in chain:
        if applicant.party_type != current:
            break
        found.append(applicant)
    return found
