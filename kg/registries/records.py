"""A register extract's records, and the checks of their values.

The readers (`kg.registries.csv`, `kg.registries.st66`) turn each row or ``TradeMark`` element into
a `RegistryRecord` whose values were checked here (dates, Nice classes, jurisdictions); a bad
value goes to `RowErrors` with its line and column, so one run reports all of a file's bad
values. `kg.registries.importer` maps records onto the ontology.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import ParseError
from kg.reference import NOT_COUNTRIES, jurisdiction_codes, regional_codes

__all__ = [
    "NOT_COUNTRIES",
    "OWNER_KINDS",
    "Designation",
    "FieldError",
    "GoodsServices",
    "Owner",
    "OwnershipChange",
    "PriorityClaim",
    "RegisterEvent",
    "RegistryRecord",
    "RowErrors",
    "TaggedText",
    "WarningTally",
    "date_literal",
    "jurisdiction_code",
    "nice_classes",
    "owner_kind",
    "same_value",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE_TYPE = ox.NamedNode(_XSD + "date")
_YEAR_MONTH_TYPE = ox.NamedNode(_XSD + "gYearMonth")
_YEAR_TYPE = ox.NamedNode(_XSD + "gYear")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:Z|[+-]\d{2}:\d{2})?")


class FieldError(ValueError):
    """A value that cannot be mapped onto the ontology; the reader adds file, line, column."""


OWNER_KINDS = ("person", "company")
# What offices write for a natural person: ST.66 ``ApplicantLegalEntity`` (TMview: "Natural
# person"; USPTO: "INDIVIDUAL") and USPTO's legal entity type code 01 (TDXF, TSDR ST.66 ext).
_PERSON_MARKERS = {"person", "natural person", "natural-person", "individual", "1", "01"}


@dataclass(frozen=True)
class Owner:
    """An owner as the register names it; `kind` is "person", "company" or None (not said)."""

    name: str
    kind: str | None = None
    country: str | None = None
    """The owner's country (`tm:nationality`), a checked code: for a company the country of
    incorporation, for a person of nationality; None where the file does not say."""


@dataclass(frozen=True)
class TaggedText:
    """A statement in one language or script: a translation, transliteration, disclaimer or
    goods-and-services text. `language` is a BCP 47 tag ("en", "ro", "zh-Latn-pinyin")."""

    text: str
    language: str


@dataclass(frozen=True)
class GoodsServices:
    """The goods and services of one class as the register states them (ST.66/ST.96
    ``ClassDescription``; USPTO ``case-file-statement`` GS0nn and ``classification``).

    `nice` is the Nice class (1-45) where the class is a Nice class; `national` the code of
    the office's own scheme as written ("032", a USPTO US class "038") where it is not; one of
    the two is set. `texts` holds the statement in each language the file gives."""

    nice: int | None = None
    national: str | None = None
    texts: tuple[TaggedText, ...] = ()
    version: str | None = None
    """The classification's edition, e.g. "12-2025" (NCL 12-2025), where the file says."""
    first_used_date: ox.Literal | None = None
    """First use anywhere for these goods (USPTO ``first-use-anywhere-date``)."""
    first_used_commerce_date: ox.Literal | None = None
    """First use in commerce for these goods (USPTO ``first-use-in-commerce-date``)."""


@dataclass(frozen=True)
class PriorityClaim:
    """A Paris Convention priority claim (ST.96 ``Priority``; USPTO ``foreign-application``):
    the office of first filing (a checked code), its date (day-precise) and number."""

    country: str
    date: ox.Literal
    number: str | None = None


@dataclass(frozen=True)
class RegisterEvent:
    """A dated step of the record's prosecution history (USPTO ``case-file-event-statement``,
    ST.66/ST.96 ``MarkEvent``), as the office words it."""

    date: ox.Literal
    code: str | None = None
    """The office's event code ("NWAP", "PUBO")."""
    description: str | None = None
    kind: str | None = None
    """What the step is, where the reader knows: "filing", "publication", "registration",
    "opposition", "renewal", "cancellation", "abandonment"; None for any other step."""


@dataclass(frozen=True)
class OwnershipChange:
    """A recorded change of owner (docs/ontology.md "Owners over time"): "assignment",
    "merger", "name-change" or "security-interest", from `assignors` to `assignees`."""

    kind: str
    assignees: tuple[Owner, ...]
    assignors: tuple[Owner, ...] = ()
    date: ox.Literal | None = None
    """The day the change took effect (`tm:date`)."""
    date_bound: bool = False
    """`date` is only the latest day it may have taken effect (the office's record shows it
    had by then: `tm:dateIsUpperBound`)."""
    recordal_date: ox.Literal | None = None
    conveyance_text: str | None = None


@dataclass(frozen=True)
class Designation:
    """A designated Contracting Party of an international registration (Madrid): a checked
    country code (or EM, BX, OA), its designation date and its own status."""

    jurisdiction: str
    date: ox.Literal | None = None
    status: str | None = None
    status_date: ox.Literal | None = None


@dataclass(frozen=True)
class RegistryRecord:
    """One registration as a register extract states it, its values already checked."""

    line: int
    mark: str
    owners: tuple[Owner, ...]
    """Every owner, co-owners in the register's order."""
    jurisdiction: str
    number: str
    classes: tuple[int, ...] = ()
    filing_date: ox.Literal | None = None
    registration_date: ox.Literal | None = None
    status: str | None = None
    registration_number: str | None = None
    """The number the office gave the registration when it granted it (`tm:registrationNumber`);
    None for a pending application, which has none."""
    application_number: str | None = None
    """The application's (serial) number (`tm:applicationNumber`), where the file gives it."""
    status_date: ox.Literal | None = None
    """The day the current status took effect (`tm:statusDate`): for an ended right, the day
    it ended."""
    expiry_date: ox.Literal | None = None
    """The day the current term ends (`tm:expiryDate`)."""
    renewal_date: ox.Literal | None = None
    """The day the last renewal took effect (`tm:renewalDate`)."""
    national_classes: tuple[str, ...] = ()
    """Class codes of the office's own scheme (ST.66 ClassificationKindCode other than Nice),
    as written ("032"): never Nice classes."""
    mark_feature: str | None = None
    """The kind of mark as the file writes it (ST.66 MarkFeature: "Word", "Figurative")."""
    vienna_codes: tuple[str, ...] = ()
    """Vienna Classification codes (ST.66 MarkImageCategory/CategoryCodeDetails/CategoryCode)."""
    record_id: str | None = None
    """How the file names the record (a serial number, an ApplicationNumber), for messages."""
    as_of: ox.Literal | None = None
    """The day the file states the record as of (USPTO ``transaction-date``, a transaction's
    date): a later state of the same registration replaces its current facts, and this one
    stays as history (`kg.registries.versions`). None: the import's order decides."""
    status_code: str | None = None
    """The office's own status code as written (`tm:statusCode`: the USPTO's "602")."""
    verbal_element: TaggedText | str | None = None
    """The mark's words where they differ from `mark` (ST.66 MarkVerbalElementText in a
    language); None where `mark` says it."""
    goods_services: tuple[GoodsServices, ...] = ()
    """Goods and services per class, with their texts (`tm:goodsServices`)."""
    priority_claims: tuple[PriorityClaim, ...] = ()
    first_used_date: ox.Literal | None = None
    """First use anywhere (`tm:firstUsedDate`), for the whole application."""
    first_used_commerce_date: ox.Literal | None = None
    """First use in commerce (`tm:firstUsedCommerceDate`), for the whole application."""
    translations: tuple[TaggedText, ...] = ()
    transliterations: tuple[TaggedText, ...] = ()
    disclaimers: tuple[TaggedText, ...] = ()
    representatives: tuple[Owner, ...] = ()
    """Agents and attorneys (`tm:representative`)."""
    publication_date: ox.Literal | None = None
    """Published for opposition (`tm:publicationDate`)."""
    opposition_period: tuple[ox.Literal | None, ox.Literal | None] | None = None
    """The opposition period's first and last day as the file states them."""
    events: tuple[RegisterEvent, ...] = ()
    ownership_changes: tuple[OwnershipChange, ...] = ()
    designations: tuple[Designation, ...] = ()
    """For an international registration (jurisdiction WO): its designations."""
    design_codes: tuple[str, ...] = ()
    """USPTO design search codes as dd.dd.dd ("23.03.08", TDXF ``design-search/code``): the
    USPTO's own figurative scheme, based on the Vienna Classification but not Vienna codes."""


def same_value(element: str, one: str, other: str) -> bool:
    """Whether two values of an element given twice are one: the same text, or for a date
    the same day (``2018-08-27`` and ``2018-08-27-04:00``, a time zone added).

    >>> same_value("MarkCurrentStatusDate", "2018-08-27", "2018-08-27-04:00")
    True
    >>> same_value("MarkCurrentStatusDate", "2018-08-27", "2019-01-01")
    False
    """
    if one == other or " ".join(one.split()) == " ".join(other.split()):
        return True  # the same words, spaced otherwise
    return element.endswith("Date") and len(one) >= 10 and one[:10] == other[:10]


class RowErrors:
    """Collects bad values of one file, so one run reports many of them, then raises."""

    def __init__(self, path: str, limit: int = 20) -> None:
        self.path, self.limit = path, limit
        self.errors: list[tuple[int, int | None, str]] = []

    def add(self, line: int, column: int | None, message: str) -> None:
        self.errors.append((line, column, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        """Raise a `ParseError` at the first bad value, listing the others (up to `limit`)."""
        if not self.errors:
            return
        line, column, message = self.errors[0]
        more = [
            f"  {self.path}:{row}{f':{col}' if col else ''}: {text}"
            for row, col, text in self.errors[1 : self.limit]
        ]
        if len(self.errors) > self.limit:
            more.append(f"  ... and {len(self.errors) - self.limit} more")
        if more:
            message += f"\n{len(self.errors) - 1} more error(s):\n" + "\n".join(more)
        raise ParseError(message, path=self.path, line=line, column=column)


class WarningTally:
    """Warnings of one file counted by kind, each kind with its first few examples, so an
    import that meets one oddity 17,981 times says so in one line, not 17,981.

    >>> tally = WarningTally("r.xml")
    >>> for line in (3, 9, 12, 20):
    ...     tally.add("figurative mark without words: not imported", line, f"serial {line}")
    >>> print(tally.lines()[0])  # doctest: +NORMALIZE_WHITESPACE
    r.xml: 4 records: figurative mark without words: not imported (e.g. line 3 serial 3;
    line 9 serial 9; line 12 serial 12; ...)
    """

    def __init__(self, path: str, examples: int = 3) -> None:
        self.path, self.examples = path, examples
        self._kinds: dict[str, list] = {}

    def add(self, kind: str, line: int | None = None, example: str = "") -> None:
        """Count one more record of `kind` (fixed wording: no values in it), at `line`."""
        entry = self._kinds.setdefault(kind, [0, []])
        entry[0] += 1
        if len(entry[1]) < self.examples:
            entry[1].append(" ".join(p for p in (f"line {line}" if line else "", example) if p))

    def note(self, message: str) -> None:
        """A warning about the whole file (no count)."""
        self._kinds.setdefault(message, [0, []])

    def lines(self) -> list[str]:
        """One line per kind: the count, the kind and the first examples."""
        out = []
        for kind, (count, examples) in self._kinds.items():
            if not count:
                out.append(f"{self.path}: {kind}")
                continue
            more = "; ..." if count > len(examples) else ""
            shown = f" (e.g. {'; '.join(examples)}{more})" if any(examples) else ""
            noun = "record" if count == 1 else "records"
            out.append(f"{self.path}: {count} {noun}: {kind}{shown}")
        return out


def date_literal(text: str) -> ox.Literal:
    """A date as precise as written: xsd:date, xsd:gYearMonth or xsd:gYear.

    A time zone (as ST.66 files write them, ``2000-04-03-04:00``) is dropped: the register
    means the calendar day.

    >>> date_literal("2008-02-07").datatype.value.rsplit("#")[1]
    'date'
    >>> date_literal("2008-02").datatype.value.rsplit("#")[1]
    'gYearMonth'
    >>> date_literal("2000-04-03-04:00").value
    '2000-04-03'
    >>> date_literal("2008-02-30")
    Traceback (most recent call last):
    kg.registries.records.FieldError: "2008-02-30" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)
    """
    match = _DATE.fullmatch(text.strip())
    error = FieldError(f'"{text}" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)')
    if match is None:
        raise error
    year, month, day = match.groups()
    try:
        if day is not None:
            datetime.date(int(year), int(month), int(day))
            return ox.Literal(f"{year}-{month}-{day}", datatype=_DATE_TYPE)
        if month is not None:
            datetime.date(int(year), int(month), 1)
            return ox.Literal(f"{year}-{month}", datatype=_YEAR_MONTH_TYPE)
        datetime.date(int(year), 1, 1)
    except ValueError:
        raise error from None
    return ox.Literal(year, datatype=_YEAR_TYPE)


def nice_classes(text: str) -> tuple[int, ...]:
    """Nice class numbers from "9;42", "9, 42" or "009 042", sorted and distinct.

    >>> nice_classes("42; 9, 009")
    (9, 42)
    >>> nice_classes("46")
    Traceback (most recent call last):
    kg.registries.records.FieldError: "46" is not a Nice class (1-45)
    """
    classes = set()
    for token in re.split(r"[;,\s]+", text.strip()):
        if not token:
            continue
        if not token.isascii() or not token.isdigit() or not 1 <= int(token) <= 45:
            raise FieldError(f'"{token}" is not a Nice class (1-45)')
        classes.add(int(token))
    return tuple(sorted(classes))


def jurisdiction_code(text: str) -> str:
    """An ISO 3166-1 alpha-2 code, or the WIPO ST.3 code of a regional system, upper-cased.

    >>> jurisdiction_code(" cn "), jurisdiction_code("em"), jurisdiction_code("WO")
    ('CN', 'EM', 'WO')
    >>> jurisdiction_code("XX")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.registries.records.FieldError: unknown jurisdiction "XX": not an ISO 3166-1 alpha-2 ...
    """
    code = text.strip().upper()
    if code in jurisdiction_codes() or code in regional_codes():
        return code
    hint = NOT_COUNTRIES.get(code, "not an ISO 3166-1 alpha-2 country code")
    raise FieldError(f'unknown jurisdiction "{text.strip()}": {hint}')


def owner_kind(text: str) -> str:
    """ "person" or "company" from an owner-kind column or an office's legal-entity marker.

    Any legal form other than a natural person (corporation, partnership, trust, "Legal
    entity") is a company.

    >>> owner_kind("Natural person"), owner_kind("INDIVIDUAL"), owner_kind("01")
    ('person', 'person', 'person')
    >>> owner_kind("LIMITED LIABILITY COMPANY"), owner_kind("Legal entity")
    ('company', 'company')
    """
    marker = " ".join(text.strip().lower().split())
    return "person" if marker in _PERSON_MARKERS else "company"
