"""The SAX (expat) content handler that reads ST.66 trademark XML for `kg.registries.st66`:
it collects each ``TradeMark``'s values with their lines (`kg.registries.st66_trademark`) and
the parties a file defines outside its marks (`kg.registries.st66_parties`), by the elements'
ST.66 names in the root element's namespace (and the few of USPTO's extension that ST.66 has
no element for).
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesNSImpl, Locator

from kg.errors import ParseError
from kg.registries.records import same_value
from kg.registries.st66_parties import Key, Party
from kg.registries.st66_trademark import GoodsClass, Group, TradeMark, file_classes

__all__ = ["Handler"]

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
# Per class (ClassDescription/ClassDescriptionExt): the US classes (DomesticClassNumbers) and
# the first-use dates (FilingBasisDetails/FirstUseDateNumber, FirstUseInCommerceDate; the
# other spellings as a fallback), which USPTO's ST.96 writes as GoodsServicesClassification
# of kind Domestic and NationalFilingBasis/FirstUsedDate, FirstUsedCommerceDate; and the
# status in words (TradeMarkExt/MarkCurrentStatusExternalDescriptionText), ST.96's status.
_USPTO = "urn:us:gov:doc:uspto:trademark:status"
_USPTO_PARTY = {"PartyTypeCode": "party_type", "ApplicantLegalEntityCode": "entity_code"}
_USPTO_FIRST_USE = {
    "FirstUseDateNumber": "first_used",
    "FirstUseDate": "first_used",
    "FirstUseInCommerceDate": "first_used_commerce",
    "FirstUseInCommerceDateNumber": "first_used_commerce",
}
# EUIPO's download files (TM-XML's CTM-Download data dictionary) mark each TradeMark,
# Applicant and Representative with an operationCode: Insert, or Delete for a record the
# office removed from its data.
_OPERATION = (None, "operationCode")


class Handler(ContentHandler):
    """Collects each ``TradeMark``'s values with their lines, and the parties a file defines.

    `emit` receives each finished TradeMark with the applicants beside it (USPTO writes them
    beside ``TradeMarkDetails``); `define` each Applicant / Representative outside a TradeMark
    that has an identifier.
    """

    def __init__(
        self,
        name: str,
        emit: Callable[[TradeMark, list[Party]], None],
        define: Callable[[Party], None],
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
        self.trademark: TradeMark | None = None
        self.trademark_depth = 0
        self.party: Party | None = None
        self.party_depth = 0
        self.key: Key | None = None
        self.group: Group | None = None
        self.klass: GoodsClass | None = None
        self.transaction: list[TradeMark] | None = None
        self.transaction_applicants: list[Party] = []
        self.deleted_depth: int | None = None
        """The depth of the element outside any TradeMark marked operationCode Delete."""

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
        if (
            self.deleted_depth is None
            and self.trademark is None
            and self.party is None
            and (attrs.get(_OPERATION) or "").strip().casefold() == "delete"
        ):
            self.deleted_depth = len(self.path) + 1
        if uri != self.namespace:
            self.path.append(None)
            return
        parent = self.path[-1] if self.path else None
        self.path.append(local)
        if local == "TransactionData":
            self.transaction, self.transaction_applicants = [], []
        elif local == "TradeMark" and self.trademark is None:
            self.trademark, self.trademark_depth = TradeMark(self.line), len(self.path)
            self.trademark.deleted = self.deleted_depth is not None
            self.trademarks += 1
        elif local in _ROLES and parent == f"{local}Details" and self.party is None:
            self.party, self.party_depth = Party(_ROLES[local], self.line), len(self.path)
            self.party.deleted = self.trademark is None and self.deleted_depth is not None
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
            self.key = Key(_ROLES[local.removesuffix("Key")], self.line)
        elif self.trademark is not None and self.party is None:
            relative = tuple(self.path[self.trademark_depth :])
            if relative == _CLASS_DESCRIPTION:
                self.klass = GoodsClass(self.line)
                self.trademark.pending.append(self.klass)
            elif relative in (_PRIORITY, _EVENT, _RECORD, _DESIGNATION):
                self.group = Group(self.line)
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
        if self.deleted_depth is not None and len(self.path) < self.deleted_depth:
            self.deleted_depth = None
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
        elif self.klass is not None:
            if name[1] == "DomesticClassNumbers":
                self.klass.domestic.append(text)
            elif name[1] in _USPTO_FIRST_USE:
                self.klass.first_use.setdefault(
                    _USPTO_FIRST_USE[name[1]], (name[1], text, self.line)
                )
        elif self.group is not None and name[1] in (
            "ForeignApplicationFilingDate",
            "MarkEventInternalDescriptionText",
        ):
            self.group.values.setdefault(name[1], (text, self.line))
        elif self.trademark is not None and name[1] == "RenewalDate":
            self.trademark.renewal = (text, self.line)
        elif (
            self.trademark is not None
            and name[1] == "MarkCurrentStatusExternalDescriptionText"
            and self.trademark.status_text is None
        ):
            self.trademark.status_text = " ".join(text.split())

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
            elif local == "Comment":
                party.comment = text
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
                kept = trademark.values.setdefault(key, (text, self.line))
                if not same_value(local, kept[0], text):  # one value only: two is an error
                    trademark.repeated.append((key, local, text, self.line))
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
            file_classes(trademark)
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
