"""One USPTO ``case-file`` element -> a checked `RegistryRecord`: its serial number and header
(dates, status, words, drawing code, attorneys), its statements (goods and services texts,
disclaimers, translations, transliterations), prosecution events, priority claims and design
search codes. Owners are read by `kg.registries.uspto_owners`, classifications by
`kg.registries.uspto_classes`.

Sources followed: USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*,
product TRTDXFAP: the element paths; ``mark-drawing-code`` position 1 (1 typeset words,
2 design only, 3 design with words, 4 standard characters, 5 stylized words, 6 no drawing
possible, e.g. sound); ``case-file-statement/type-code`` (``GSnnnX`` goods and services of prime
class nnn, X = 2 "less goods" only; ``D0``/``D1`` disclaimer; ``TR`` translation; ``TLIT``
transliteration); Table 5, event codes. The tables as transcribed in
illeatmyhat/uspto-trademark-radar ``uspto_trademark_radar/lookups/*.csv`` (commit c9e15ff0,
with their source pages in ``_sources.json``), read, not copied.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
from lxml import etree

from kg.registries.records import (
    FieldError,
    Owner,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
)
from kg.registries.uspto_classes import goods_and_classes
from kg.registries.uspto_owners import ASSIGNMENT_RECORDED, OwnerDateBounds, owners_and_changes
from kg.registries.uspto_values import (
    ENDED_STATUSES,
    CaseFile,
    cached_jurisdiction_code,
    element_code,
    element_text,
    status_of_code,
)

__all__ = ["DRAWING_FEATURES", "EVENT_KINDS", "case_record"]

DRAWING_FEATURES = {
    "1": "Word",  # typeset word(s)/letter(s)/number(s) (drawings before 2003-11-02)
    "2": "Figurative",  # design without any words
    "3": "Combined",  # design that also includes words
    "4": "Word",  # standard character mark
    "5": "Stylized characters",  # words in stylized form
}
"""``mark-drawing-code`` position 1 -> the ST.66 MarkFeature of ``schema/mark-features.ttl``.
Code 6 ("no drawing possible, such as for sound") names no one kind (sound or scent): not
stated."""

EVENT_KINDS = {
    "NWAP": "filing",
    "NPUB": "publication",
    "PUBO": "publication",
    "R.PR": "registration",
    "R.SR": "registration",
    **dict.fromkeys(("OPPF", "OP.I", "OP.S", "OP.D", "OP.T", "OP.N"), "opposition"),
    **dict.fromkeys(("89AG", "S89G", *(f"REN{n}" for n in range(1, 6))), "renewal"),
    **dict.fromkeys((f"RNL{n}" for n in range(1, 10)), "renewal"),
    **dict.fromkeys(
        ("C7..", "C7P.", "C8..", "C8.T", "C8P.", "C18.", "C18P", "C24.", "C37.", "C37P"),
        "cancellation",
    ),
    **dict.fromkeys(("CAEX", "C71T", "C71P", "C6AF", "C6AP", "C6BF", "C6BP"), "cancellation"),
    **dict.fromkeys((f"ABN{n}" for n in range(10)), "abandonment"),
}
"""USPTO event codes (Table 5) whose step tmkg names; other codes keep only their words."""

_HEADER = (
    "filing-date",
    "registration-date",
    "status-code",
    "status-date",
    "mark-identification",
    "mark-drawing-code",
    "published-for-opposition-date",
    "renewal-date",
    "abandonment-date",
    "cancellation-date",
    "attorney-name",
    "domestic-representative-name",
)
# The children of an event that are read (lxml skips the others without making Python objects
# of them).
_EVENT = ("code", "description-text", "date")


def case_record(
    case: etree._Element, errors: RowErrors, tally: WarningTally
) -> tuple[RegistryRecord | None, str | None]:
    """The record of one ``case-file`` (None if it has a bad core value or no words), and its
    serial number."""
    line = case.sourceline or 0
    top: dict[str, str] = {}
    header = statements = event_list = classifications = owners = foreign = designs = None
    for child in case:
        tag = child.tag
        if tag == "case-file-header":
            header = child
        elif tag == "case-file-statements":
            statements = child
        elif tag == "case-file-event-statements":
            event_list = child
        elif tag == "classifications":
            classifications = child
        elif tag == "case-file-owners":
            owners = child
        elif tag == "foreign-applications":
            foreign = child
        elif tag == "design-searches":
            designs = child
        elif tag in ("serial-number", "registration-number", "transaction-date"):
            top[tag] = element_code(child)
    serial = top.get("serial-number", "")
    if not (len(serial) == 8 and serial.isdigit()):
        what = f'"{serial}" is not an 8-digit serial number' if serial else "no serial-number"
        errors.add(line, None, f"case-file: {what}")
        return None, None
    case_file = CaseFile(serial, line, errors, tally)
    values: dict[str, tuple[str, int]] = {}
    if header is not None:
        for element in header.iterchildren(*_HEADER):
            text = element_code(element)
            if text:
                values[element.tag] = (text, element.sourceline or line)
    as_of = case_file.core_date("transaction-date", (top.get("transaction-date", ""), line))
    filed = case_file.core_date("filing-date", values.get("filing-date"))
    granted = case_file.core_date("registration-date", values.get("registration-date"))
    status_date = case_file.core_date("status-date", values.get("status-date"))
    published = case_file.core_date(
        "published-for-opposition-date", values.get("published-for-opposition-date")
    )
    renewed = case_file.core_date("renewal-date", values.get("renewal-date"))
    status_code = values.get("status-code", (None, 0))[0]
    ended = _ended(case_file, status_code, values)
    events = _events(case_file, event_list)
    bounds = OwnerDateBounds(
        published,
        granted,
        as_of,
        tuple(e.date for e in events if e.code in ASSIGNMENT_RECORDED),
        ended,
    )
    publication = next((e for e in events if e.kind == "publication"), None)
    if published is None and publication is not None:
        # no published-for-opposition-date: the publication event (NPUB, PUBO) bounds types
        # 11-20 in its place
        bounds = replace(
            bounds,
            published=publication.date,
            published_by=f"date of the publication event {publication.code}",
        )
    current, changes = owners_and_changes(case_file, owners, bounds)
    if not current:
        errors.add(line, None, f"serial {serial}: no case-file-owner with a party-name")
    goods_texts, texts = _statements(statements)
    goods, classes, national, first_use = goods_and_classes(case_file, classifications, goods_texts)
    if case_file.failed:
        return None, serial
    mark = " ".join(values.get("mark-identification", ("", 0))[0].split())
    drawing = values.get("mark-drawing-code", ("", 0))[0]
    if not mark:
        kind = (
            "design-only mark (mark-drawing-code 2) without words: not imported"
            if drawing.startswith("2")
            else "case-file without mark-identification (no words): not imported"
        )
        tally.add(kind, line, f"serial {serial}")
        return None, serial
    registration_number = top.get("registration-number", "")
    representatives: list[Owner] = []
    for key in ("attorney-name", "domestic-representative-name"):
        name = " ".join(values.get(key, ("", 0))[0].split())
        if name and all(name != known.name for known in representatives):
            representatives.append(Owner(name, "person"))
    return (
        RegistryRecord(
            line=line,
            mark=mark,
            owners=current,
            jurisdiction="US",
            number=serial,
            classes=classes,
            filing_date=filed,
            registration_date=granted,
            registration_number=registration_number if registration_number.strip("0") else None,
            application_number=serial,
            status_date=ended or status_date,
            renewal_date=renewed,
            national_classes=national,
            mark_feature=DRAWING_FEATURES.get(drawing[:1]),
            record_id=f"serial {serial}",
            as_of=as_of,
            status_code=status_code,
            goods_services=goods,
            priority_claims=_priority_claims(case_file, foreign, header),
            first_used_date=first_use[0],
            first_used_commerce_date=first_use[1],
            translations=texts["TR"],
            transliterations=texts["TL"],
            disclaimers=texts["D"],
            representatives=tuple(representatives),
            publication_date=published,
            events=events,
            ownership_changes=changes,
            design_codes=_design_codes(case_file, designs),
        ),
        serial,
    )


def _ended(
    case_file: CaseFile, code: str | None, values: dict[str, tuple[str, int]]
) -> ox.Literal | None:
    """The day an ended right ended, where the file gives it: for a status of
    ``schema/status-uspto.csv`` under ``st:ended`` (`ENDED_STATUSES`), the header's
    ``abandonment-date`` (an application abandoned, withdrawn or refused) or
    ``cancellation-date`` (a registration cancelled, expired or invalidated), else the
    other one. The ``status-date`` is the day the status was entered, often months later
    (GRIGIOPERLA: abandoned 2001-09-20, entered 2002-08-15), so it is not used for it
    (docs/ontology.md "A mark's life"). None for a live status or an unknown code; a code
    the table does not hold is counted as a warning."""
    if not code:
        return None
    status = status_of_code(code)
    if status is None:
        case_file.tally.add(
            "status code not in the USPTO's table: read as live, with no status "
            "(a registration if it has a registration-date)",
            case_file.line,
            f"serial {case_file.serial} status-code {code!r}",
        )
        return None
    if status not in ENDED_STATUSES:
        return None
    order = ("abandonment-date", "cancellation-date")
    if status in ("cancelled", "expired", "invalidated", "ended"):
        order = order[::-1]
    for element in order:
        day = case_file.core_date(element, values.get(element))
        if day is not None:
            return day
    return None


def _statements(
    statements: etree._Element | None,
) -> tuple[list[tuple[str, str, int]], dict[str, tuple[TaggedText, ...]]]:
    """The ``GSnnnX`` goods statements (code, text, line; not the "less goods" ones, X = 2),
    and the disclaimers (D0, D1), translations (TR) and transliterations (TLIT)."""
    goods: list[tuple[str, str, int]] = []
    found: dict[str, list[TaggedText]] = {"D": [], "TR": [], "TL": []}
    for statement in statements if statements is not None else ():
        code = text = ""
        for element in statement:
            if element.tag == "type-code":
                code = element_code(element)
            elif element.tag == "text":
                text = element_text(element)
        if not text:
            continue
        prefix = code[:2]
        if prefix == "GS":
            if code[5:6] != "2":
                goods.append((code, text, statement.sourceline or 0))
        elif prefix in ("D0", "D1"):
            found["D"].append(TaggedText(text, "en"))
        elif code.startswith("TLIT"):
            found["TL"].append(TaggedText(text, "und-Latn"))
        elif prefix == "TR":
            found["TR"].append(TaggedText(text, "en"))
    return goods, {key: tuple(value) for key, value in found.items()}


def _events(case_file: CaseFile, event_list: etree._Element | None) -> tuple[RegisterEvent, ...]:
    events = []
    for entry in event_list if event_list is not None else ():
        code = description = ""
        date = None
        for element in entry.iterchildren(*_EVENT):
            tag = element.tag
            if tag == "code":
                code = element_code(element)
            elif tag == "description-text":
                description = element_code(element)
            elif tag == "date":
                date = element
        when = case_file.optional_date(date)
        if when is None:
            continue
        events.append(RegisterEvent(when, code or None, description or None, EVENT_KINDS.get(code)))
    return tuple(events)


def _priority_claims(
    case_file: CaseFile, foreign: etree._Element | None, header: etree._Element | None
) -> tuple[PriorityClaim, ...]:
    """Foreign applications whose priority is claimed: ``foreign-priority-claim-in`` T,
    or, where a foreign-application does not say, the header's ``foreign-priority-in``."""
    if foreign is None:
        return ()
    claimed_by_header = False
    if header is not None:
        flag = header.find("foreign-priority-in")
        claimed_by_header = flag is not None and element_code(flag) == "T"
    claims = []
    for entry in foreign:
        fields = {element.tag: element for element in entry}
        flag = fields.get("foreign-priority-claim-in")
        claimed = element_code(flag) == "T" if flag is not None else claimed_by_header
        if not claimed:
            continue
        country = element_code(fields["country"]) if "country" in fields else ""
        try:
            code = cached_jurisdiction_code(country)
        except FieldError:
            case_file.tally.add(
                "priority claim from an office tmkg does not know: left out",
                entry.sourceline,
                f"serial {case_file.serial} {country!r}",
            )
            continue
        date = case_file.optional_date(fields.get("filing-date"))
        if date is None or not date.datatype.value.endswith("#date"):
            case_file.tally.add(
                "priority claim without a day-precise filing-date: left out",
                entry.sourceline,
                f"serial {case_file.serial}",
            )
            continue
        number = fields.get("application-number")
        written = element_code(number) if number is not None else ""
        claims.append(PriorityClaim(code, date, written or None))
    return tuple(claims)


def _design_codes(case_file: CaseFile, designs: etree._Element | None) -> tuple[str, ...]:
    codes = []
    for entry in designs if designs is not None else ():
        for element in entry:
            if element.tag != "code":
                continue
            code = element_code(element)
            if len(code) == 6 and code.isdigit():
                codes.append(f"{code[:2]}.{code[2:4]}.{code[4:]}")
            elif code:
                case_file.tally.add(
                    "design search code that is not 6 digits: left out",
                    element.sourceline,
                    f"serial {case_file.serial} {code!r}",
                )
    return tuple(sorted(set(codes)))
