"""The parts of an ST.96 ``Trademark`` beyond its numbers and dates: owners and
representatives, goods and services per class, priority claims, statements in a language,
Vienna codes, prosecution events and Madrid designations.

Each function takes the ``Trademark``'s leaves (`Leaf`: the element's path of ST.96 local
names relative to the ``Trademark``, the serial numbers of the elements on that path, its
text, attributes and line) as `kg.registries.st96` collects them. Values an office file may
get wrong in an optional part go to the `WarningTally` and are left out; owners' names and
countries and class numbers are core values, reported through `error`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kg.registries.records import (
    Designation,
    FieldError,
    GoodsServices,
    Owner,
    PriorityClaim,
    RegisterEvent,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
    nice_classes,
    owner_kind,
)
from kg.registries.xmlstream import Leaf

__all__ = [
    "designations",
    "elements_at",
    "events",
    "first_at",
    "goods_services",
    "inside",
    "loose_date",
    "owners",
    "priority_claims",
    "representatives",
    "tagged_texts",
    "vienna_codes",
]

UNDETERMINED = "und"
"""BCP 47's tag for a text whose language the file does not say."""
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# ST.96 MarkEventCategory values (WIPO's ST.96-to-ST.66 mapping lists them) -> RegisterEvent.kind
_EVENT_KINDS = {
    "application filed": "filing",
    "filing date accorded": "filing",
    "application published": "publication",
    "registration published": "publication",
    "registered": "registration",
    "application opposed": "opposition",
    "registration opposed": "opposition",
    "renewal": "renewal",
    "registration renewed": "renewal",
    "registration cancelled": "cancellation",
    "registration surrendered": "cancellation",
    "application withdrawn": "abandonment",
    "application deemed withdrawn": "abandonment",
}
_NAME = ("Contact", "Name")
_REPRESENTATIVES = (
    ("RepresentativeBag", "Representative"),
    ("NationalRepresentative",),
    ("RecordAttorney",),
)


Error = Callable[[Leaf | None, str], None]


def elements_at(leaves: Iterable[Leaf], path: tuple[str, ...]) -> list[Leaf]:
    """The elements at exactly `path`, in file order."""
    return [leaf for leaf in leaves if leaf.path == path]


def inside(leaves: Iterable[Leaf], group: Leaf) -> list[Leaf]:
    """The elements inside `group`, their paths relative to it."""
    size, serials = len(group.serials), group.serials
    found = []
    for leaf in leaves:  # in document order: a group's elements follow it, together
        if len(leaf.serials) > size and leaf.serials[:size] == serials:
            cut = size - len(leaf.serials)
            found.append(Leaf(leaf.path[cut:], *leaf[1:]))
        elif found:
            break
    return found


def first_at(leaves: Iterable[Leaf], *paths: tuple[str, ...]) -> Leaf | None:
    for path in paths:
        found = next((leaf for leaf in leaves if leaf.path == path and leaf.text), None)
        if found is not None:
            return found
    return None


def _name(members: list[Leaf], person_first: bool) -> tuple[str, str | None]:
    """A party's name from ``Contact/Name`` and its form: "organization", "person", or None
    for ``EntityName`` (which ST.96 uses for either)."""
    entity = first_at(members, (*_NAME, "EntityName"))
    organization = first_at(
        members,
        (*_NAME, "OrganizationName", "OrganizationStandardName"),
        (*_NAME, "OrganizationName"),
    )
    person = first_at(members, (*_NAME, "PersonName", "PersonFullName"))
    parts = [
        leaf.text
        for leaf in members
        if leaf.text
        and leaf.path[:3] == (*_NAME, "PersonName")
        and leaf.path[-1] in ("FirstName", "MiddleName", "LastName")
    ]
    person_name = person.text if person else " ".join(parts)
    forms = [(person_name, "person"), (organization.text if organization else "", "organization")]
    if not person_first:
        forms.reverse()
    for name, form in [(entity.text if entity else "", None), *forms]:
        if name:
            return name, form
    return "", None


def owners(leaves: list[Leaf], office: str | None, error: Error) -> list[Owner]:
    """The applicants (``ApplicantBag/Applicant``) as owners, co-owners in file order.

    USPTO lists the chain of title with the current owner first, its party type (10
    original applicant, 30 original registrant, 4x assignees) as the ``sequenceNumber``:
    for office US the owners are the leading applicants sharing the first one's.
    """
    applicants = elements_at(leaves, ("ApplicantBag", "Applicant"))
    if office == "US" and applicants and all("sequenceNumber" in a.attributes for a in applicants):
        current = applicants[0].attributes["sequenceNumber"]
        applicants = list(
            itertools.takewhile(lambda a: a.attributes["sequenceNumber"] == current, applicants)
        )
    found = []
    for applicant in applicants:
        members = inside(leaves, applicant)
        name, form = _name(members, person_first=False)
        legal = first_at(members, ("LegalEntityName",))
        if not name and legal is not None:
            name, legal = legal.text, None  # CIPO names the owner in LegalEntityName only
        if not name:
            error(
                applicant,
                "Applicant without a name (Contact/Name/EntityName, "
                "OrganizationName, PersonName or LegalEntityName)",
            )
            continue
        found.append(
            Owner(name, _kind(members, name, legal, form, office), _country(members, error))
        )
    return found


def _kind(
    members: list[Leaf], name: str, legal: Leaf | None, form: str | None, office: str | None
) -> str | None:
    """ "person"/"company" from ``LegalEntityName`` where it is a legal form (USPTO writes
    "LIMITED LIABILITY COMPANY", "INDIVIDUAL"; CIPO the owner's name, which says nothing),
    USPTO's ``NationalLegalEntityCode`` (01 individual), else the name's form."""
    if legal is not None and legal.text.casefold() != name.casefold():
        return owner_kind(legal.text)
    code = first_at(members, ("NationalLegalEntityCode",))
    if office == "US" and code is not None and code.text.isdigit():
        return owner_kind(code.text)
    return {"person": "person", "organization": "company"}.get(form or "")


def _country(members: list[Leaf], error: Error) -> str | None:
    nationality = first_at(members, ("NationalityCode",))
    incorporation = first_at(members, ("IncorporationCountryCode",))
    found = incorporation or nationality
    if first_at(members, (*_NAME, "PersonName", "PersonFullName")) or (
        nationality and not incorporation
    ):
        found = nationality or incorporation
    if found is None:
        return None
    try:
        return jurisdiction_code(found.text)
    except FieldError as problem:
        error(found, f"{found.path[-1]}: {problem}")
        return None


def representatives(leaves: list[Leaf]) -> tuple[Owner, ...]:
    """Agents and attorneys: ``RepresentativeBag/Representative``, ``NationalRepresentative``
    (CIPO's agent), ``RecordAttorney`` (USPTO's attorney of record); unnamed ones (USPTO
    writes an empty ``NationalRepresentative``) left out, each name once."""
    found: dict[str, Owner] = {}
    for path in _REPRESENTATIVES:
        for group in elements_at(leaves, path):
            name, form = _name(inside(leaves, group), person_first=True)
            if name and name not in found:
                kind = {"person": "person", "organization": "company"}.get(form or "")
                found[name] = Owner(name, kind)
    return tuple(found.values())


def _language(leaf: Leaf, default: str | None, tally: WarningTally, record_id: str) -> str:
    code = leaf.attributes.get("languageCode") or default
    if code and _LANGUAGE.fullmatch(code):
        return code
    tally.add(
        "text without a languageCode: tagged und (undetermined)",
        leaf.line,
        f"{record_id} {leaf.path[-1]}",
    )
    return UNDETERMINED


def tagged_texts(
    leaves: list[Leaf],
    prefix: tuple[str, ...],
    names: tuple[str, ...],
    default: str | None,
    tally: WarningTally,
    record_id: str,
) -> tuple[TaggedText, ...]:
    """The non-empty elements named `names` under `prefix`, each in its ``languageCode``
    (else the application's language, else "und")."""
    return tuple(
        TaggedText(leaf.text, _language(leaf, default, tally, record_id))
        for leaf in leaves
        if leaf.text and leaf.path[: len(prefix)] == prefix and leaf.path[-1] in names
    )


def loose_date(text: str) -> ox.Literal:
    """`date_literal`, also reading USPTO's ``YYYYMMDD`` (``00`` for an unknown day or month).

    >>> loose_date("20150525").value, loose_date("19900000").value, loose_date("2015-05").value
    ('2015-05-25', '1990', '2015-05')
    """
    if re.fullmatch(r"\d{8}", text):
        year, month, day = text[:4], text[4:6], text[6:]
        text = (
            year
            if month == "00"
            else f"{year}-{month}"
            if day == "00"
            else (f"{year}-{month}-{day}")
        )
    return date_literal(text)


def _optional_date(leaf: Leaf | None, tally: WarningTally, record_id: str) -> ox.Literal | None:
    if leaf is None:
        return None
    try:
        return loose_date(leaf.text)
    except FieldError:
        tally.add(f"bad {leaf.path[-1]}: left out", leaf.line, f'{record_id} "{leaf.text}"')
        return None


def goods_services(
    leaves: list[Leaf], default: str | None, tally: WarningTally, record_id: str
) -> tuple[tuple[GoodsServices, ...], list[Leaf], list[str]]:
    """Goods and services per class (``GoodsServicesBag/GoodsServices``), the ``ClassNumber``
    leaves of Nice classes (checked by the caller) and the national class codes.

    A ``ClassDescription``'s number is a Nice class unless its ``GoodsServices`` names
    another ``ClassificationKindCode``; in ``GoodsServicesClassification`` a ``Nice`` kind
    gives a Nice class and ``Domestic``/``National`` a national one (USPTO's US classes),
    ``Primary`` (USPTO's prime class, a repeat) nothing.
    """
    entries: list[GoodsServices] = []
    classes: list[Leaf] = []
    national: list[str] = []
    for group in elements_at(leaves, ("GoodsServicesBag", "GoodsServices")):
        members = inside(leaves, group)
        kind = first_at(members, ("ClassificationKindCode",))
        nice = kind is None or kind.text.casefold() == "nice"
        first_use = [
            _optional_date(first_at(members, ("NationalFilingBasis", name)), tally, record_id)
            for name in ("FirstUsedDate", "FirstUsedCommerceDate")
        ]
        for entry in elements_at(
            members, ("GoodsServicesClassificationBag", "GoodsServicesClassification")
        ):
            parts = inside(members, entry)
            scheme = first_at(parts, ("ClassificationKindCode",))
            number = first_at(parts, ("ClassNumber",))
            code = first_at(parts, ("NationalClassNumber",)) or number
            label = scheme.text.casefold() if scheme else ""
            if label == "nice" and number is not None:
                classes.append(number)
            elif label in ("domestic", "national") and code is not None:
                national.append(code.text)
        for description in elements_at(members, ("ClassDescriptionBag", "ClassDescription")):
            parts = inside(members, description)
            number = first_at(parts, ("ClassNumber",))
            if number is None:
                continue
            texts: dict[str, list[str]] = {}
            for leaf in parts:
                if leaf.path == ("GoodsServicesDescriptionText",) and leaf.text:
                    language = _language(leaf, default, tally, record_id)
                    texts.setdefault(language, []).append(leaf.text)
            tagged = tuple(TaggedText("; ".join(t), lang) for lang, t in texts.items())
            version = first_at(parts, ("ClassificationVersion",))
            common = {
                "texts": tagged,
                "version": version.text if version else None,
                "first_used_date": first_use[0],
                "first_used_commerce_date": first_use[1],
            }
            if not nice:
                national.append(number.text)
                entries.append(GoodsServices(national=number.text, **common))
                continue
            classes.append(number)
            try:
                (value,) = nice_classes(number.text)
            except (FieldError, ValueError):
                continue  # the caller reports the class number
            entries.append(GoodsServices(nice=value, **common))
    return tuple(entries), classes, national


def priority_claims(
    leaves: list[Leaf], tally: WarningTally, record_id: str
) -> tuple[PriorityClaim, ...]:
    """``PriorityBag/Priority``: ``PriorityCountryCode``, ``PriorityApplicationFilingDate``
    and the first application's number (``…/ApplicationNumberText``); a claim without a
    known country or a day-precise date is left out with a warning."""
    claims = []
    for group in elements_at(leaves, ("PriorityBag", "Priority")):
        members = inside(leaves, group)
        country = next((m for m in members if m.path[-1] == "PriorityCountryCode" and m.text), None)
        date = next(
            (
                m
                for m in members
                if m.text
                and m.path[-1] in ("PriorityApplicationFilingDate", "PriorityDate", "FilingDate")
            ),
            None,
        )
        number = next(
            (
                m
                for m in members
                if m.text
                and m.path[-1]
                in ("ApplicationNumberText", "ST13ApplicationNumber", "PriorityApplicationNumber")
            ),
            None,
        )
        try:
            if country is None or date is None:
                raise FieldError("no PriorityCountryCode or PriorityApplicationFilingDate")
            claim = PriorityClaim(
                jurisdiction_code(country.text),
                date_literal(date.text),
                number.text if number else None,
            )
            if not claim.date.datatype.value.endswith("#date"):
                raise FieldError(f'"{date.text}" is not a day')
        except FieldError as problem:
            tally.add(
                "priority claim without a known country or a day-precise date: left out",
                group.line,
                f"{record_id} ({problem})",
            )
            continue
        claims.append(claim)
    return tuple(claims)


def vienna_codes(leaves: list[Leaf], tally: WarningTally, record_id: str) -> tuple[str, ...]:
    """``…/ViennaClassification`` under ``MarkRepresentation`` as "category.division.section"
    ("26.01.03"); a part that is not a number leaves the code out with a warning."""
    codes = set()
    for group in leaves:
        if group.path[-1:] != ("ViennaClassification",) or group.path[0] != "MarkRepresentation":
            continue
        members = inside(leaves, group)
        parts = [
            first_at(members, (name,))
            for name in ("ViennaCategory", "ViennaDivision", "ViennaSection")
        ]
        if all(p is not None and p.text.isdigit() for p in parts):
            codes.add(".".join(f"{int(p.text):02d}" for p in parts if p is not None))
        else:
            tally.add(
                "Vienna code without a numeric category, division and section: left out",
                group.line,
                record_id,
            )
    return tuple(sorted(codes))


def events(leaves: list[Leaf], tally: WarningTally, record_id: str) -> tuple[RegisterEvent, ...]:
    """``MarkEventBag/MarkEvent``: its date, the office's code and wording (in
    ``NationalMarkEvent`` or directly), the kind from an ST.96 ``MarkEventCategory``."""
    found = []
    for group in elements_at(leaves, ("MarkEventBag", "MarkEvent")):
        members = inside(leaves, group)
        date = _optional_date(first_at(members, ("MarkEventDate",)), tally, record_id)
        if date is None:
            continue
        code = first_at(members, ("NationalMarkEvent", "MarkEventCode"), ("MarkEventCode",))
        words = first_at(
            members,
            ("NationalMarkEvent", "MarkEventDescriptionText"),
            ("MarkEventDescriptionText",),
        )
        category = first_at(members, ("MarkEventCategory",))
        found.append(
            RegisterEvent(
                date=date,
                code=code.text if code else None,
                description=(words or category).text if words or category else None,
                kind=_EVENT_KINDS.get(category.text.casefold()) if category else None,
            )
        )
    return tuple(found)


def designations(
    leaves: list[Leaf], tally: WarningTally, record_id: str
) -> tuple[Designation, ...]:
    """Madrid designations: each ``DesignatedCountry`` (or ``Designation``) with its
    ``DesignatedCountryCode`` and ``DesignationDate``; an unknown code is left out."""
    found = []
    for group in leaves:
        if group.path[-1] not in ("DesignatedCountry", "Designation"):
            continue
        members = inside(leaves, group)
        code = first_at(members, ("DesignatedCountryCode",))
        if code is None:
            continue
        try:
            country = jurisdiction_code(code.text)
        except FieldError:
            tally.add(
                "designation of an unknown country code: left out",
                code.line,
                f'{record_id} "{code.text}"',
            )
            continue
        date = _optional_date(first_at(members, ("DesignationDate",)), tally, record_id)
        found.append(Designation(country, date))
    return tuple(found)
