"""Reading USPTO Trademark Daily XML (TDXF v2.0) into checked `RegistryRecord`s.

The USPTO publishes its register as XML files of ``case-file`` elements (the daily
``apcYYMMDD.zip`` files and the annual backfile ``apc18840407-YYYYMMDD-NN.zip``, root element
``trademark-applications-daily``, "US Trademark Applications Version 2.0" DTD). One case-file
becomes one record whose registration IRI is ``id/registration/us-{serial}``: the serial number
is the application's number, kept once the mark is registered, so the same case read from TSDR's
ST.66 or ST.96 gets the same IRI.

Sources followed (element names, code tables):

- USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*, product TRTDXFAP
  (``applications-documentation.pdf``, ``TMDailyApp-Documentation-508.pdf``): the element
  paths; dates as 8 digits YYYYMMDD; ``mark-drawing-code`` position 1 (1 typeset words,
  2 design only, 3 design with words, 4 standard characters, 5 stylized words, 6 no drawing
  possible, e.g. sound); ``party-type`` (10 original applicant, 11-19 new owners before
  publication, 20 owner at publication, 21-29 new owners after publication, 30 original
  registrant, 31-69 owners after registration, 70 correspondent in legacy records);
  ``legal-entity-type-code`` (01 individual); ``case-file-statement/type-code`` (``GSnnnX``
  goods and services of prime class nnn, X = 2 "less goods" only; ``D0``/``D1`` disclaimer;
  ``TR`` translation; ``TLIT`` transliteration); Table 5, event codes. The tables as
  transcribed in illeatmyhat/uspto-trademark-radar ``uspto_trademark_radar/lookups/*.csv``
  (commit c9e15ff0, with their source pages in ``_sources.json``), read, not copied.
- Real records: ``../shared/real-registers/uspto-tdxf-apc-excerpt.xml`` (five case-files kept
  by merchbaseco/tmterminal from apc240914/apc240925 and the 2025 annual file).

The file is streamed with lxml's ``iterparse`` (``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``): a DOCTYPE naming an external DTD, as the USPTO's
files may start, is accepted and nothing is loaded; a DOCTYPE whose internal subset declares
entities is refused with its line. Each ``case-file`` is cleared once read, so memory stays flat
on an annual file of 300 MB. See ``docs/registry-import.md`` (section "USPTO Trademark Daily
XML") for the mapping, the owner rule and what is left out.
"""

from __future__ import annotations

import itertools
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

import pyoxigraph as ox
from lxml import etree

from kg.errors import ParseError
from kg.registries.records import (
    FieldError,
    GoodsServices,
    Owner,
    OwnershipChange,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    RowErrors,
    TaggedText,
    WarningTally,
    date_literal,
    jurisdiction_code,
    owner_kind,
)

__all__ = ["DRAWING_FEATURES", "EVENT_KINDS", "read_uspto_daily", "uspto_date"]

ROOTS = ("trademark-applications-daily", "case-file")
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

_CORRESPONDENT_PARTY = 70
# USPTO classes that the file writes as "international-code" though they are not Nice classes:
# A (certification mark, goods), B (certification mark, services), 200 (collective membership).
_US_ONLY = {"A", "B", "200"}
_NICE = {f"{n:0{width}d}": n for n in range(1, 46) for width in (1, 2, 3)}
"""Nice class numbers as the file may write them ("016", "16") -> the class."""
_PRIME = {n: f"{n:03d}" for n in range(1, 46)}
_HEADER = (
    "filing-date",
    "registration-date",
    "status-code",
    "status-date",
    "mark-identification",
    "mark-drawing-code",
    "published-for-opposition-date",
    "renewal-date",
    "attorney-name",
    "domestic-representative-name",
)
# The children of an owner, a classification and an event that are read (lxml skips the
# others without making Python objects of them).
_OWNER = (
    "party-name",
    "party-type",
    "legal-entity-type-code",
    "nationality",
    "name-change-explanation",
)
_CLASSIFICATION = (
    "international-code",
    "us-code",
    "primary-code",
    "first-use-anywhere-date",
    "first-use-in-commerce-date",
)
_EVENT = ("code", "description-text", "date")
_NAME_CHANGE = re.compile(r"CHANGE\s+OF\s+NAME|NAME\s+CHANGE", re.IGNORECASE)
_MERGER = re.compile(r"MERGE", re.IGNORECASE)
_PROGRESS_MIN_BYTES = 1 << 20


@lru_cache(maxsize=1 << 16)
def uspto_date(text: str) -> ox.Literal | None:
    """A USPTO date (YYYYMMDD, 00 for an unknown month or day) as precise as written, or None
    for an all-zero (unknown) date. Raises `FieldError` for anything else.

    >>> uspto_date("19870000").value, uspto_date("19870300").value, uspto_date("19870315").value
    ('1987', '1987-03', '1987-03-15')
    >>> uspto_date("00000000") is None
    True
    >>> uspto_date("10101")
    Traceback (most recent call last):
    kg.registries.records.FieldError: "10101" is not a USPTO date (YYYYMMDD, 00 for unknown parts)
    """
    value = text.strip()
    if len(value) != 8 or not value.isdigit():
        raise FieldError(f'"{value}" is not a USPTO date (YYYYMMDD, 00 for unknown parts)')
    year, month, day = value[:4], value[4:6], value[6:]
    if year == "0000":
        return None
    if month == "00" and day != "00":
        raise FieldError(f'"{value}" is not a date: a day without a month')
    try:
        if month == "00":
            return date_literal(year)
        return date_literal(f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}")
    except FieldError:
        raise FieldError(f'"{value}" is not a date (YYYYMMDD, 00 for unknown parts)') from None


def read_uspto_daily(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[Iterator[RegistryRecord], WarningTally]:
    """The records of the file, yielded as they are read (memory flat whatever the file's
    size), and its warnings (complete once the records are consumed). Bad values go to
    `errors`; a file that cannot be read raises `ParseError`.

    `path` is the XML file or a zip archive holding it (its first ``.xml`` member is streamed,
    never extracted). Every record is of jurisdiction US (`jurisdiction` is not needed).
    """
    tally = WarningTally(str(path))
    if jurisdiction not in (None, "US"):
        tally.note(f"--jurisdiction {jurisdiction} ignored: USPTO case-files are US")
    return _records(path, errors, tally, progress), tally


def _records(
    path: Path, errors: RowErrors, tally: WarningTally, progress: bool
) -> Iterator[RegistryRecord]:
    name = str(path)
    with ExitStack() as stack:
        stream, size = _open(path, stack)
        if progress and size >= _PROGRESS_MIN_BYTES:
            from tqdm import tqdm

            bar = stack.enter_context(
                tqdm(total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)
            )
            stream = _Counted(stream, bar.update)
        context = etree.iterparse(
            stream,
            events=("end",),
            tag="case-file",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        serial, count = None, 0
        try:
            for _, case in context:
                if count == 0:
                    _check_doctype(case.getroottree(), path)
                count += 1
                record, serial = _case_record(case, errors, tally)
                # Free the case-file and what precedes it: memory stays flat.
                case.clear(keep_tail=False)
                parent = case.getparent()
                if parent is not None:
                    while case.getprevious() is not None:
                        del parent[0]
                if record is not None:
                    yield record
        except etree.XMLSyntaxError as error:
            raise _syntax_error(error, name, serial) from None
        root = getattr(context, "root", None)
        if root is not None and count == 0:
            _check_doctype(root.getroottree(), path)
            if root.tag not in ROOTS:
                raise ParseError(
                    f"not a USPTO Trademark Daily XML file: the root element is {root.tag}, "
                    "not trademark-applications-daily",
                    path=name,
                    line=root.sourceline,
                )
        if count == 0:
            tally.note("no case-file element found")


def _open(path: Path, stack: ExitStack) -> tuple[BinaryIO, int]:
    """The XML stream of `path` (a zip's first ``.xml`` member, unextracted) and its size."""
    if zipfile.is_zipfile(path):
        archive = stack.enter_context(zipfile.ZipFile(path))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml")]
        if not members:
            raise ParseError("the zip archive holds no .xml file", path=str(path))
        return stack.enter_context(archive.open(members[0])), members[0].file_size
    return stack.enter_context(path.open("rb")), path.stat().st_size


def _check_doctype(tree: etree._ElementTree, path: Path) -> None:
    """Refuse a DOCTYPE whose internal subset declares entities (they are never expanded:
    a value would silently lose its text). An external DTD is named, never loaded."""
    dtd = tree.docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        raise ParseError(
            f"refused: the DOCTYPE declares entities ({', '.join(declared[:3])}); USPTO "
            "files need none and tmkg never expands them",
            path=str(path),
            line=_entity_line(path),
            suggestion="remove the internal DTD subset ([...]) from the DOCTYPE",
        )


def _entity_line(path: Path) -> int | None:
    """The line of the file's first entity declaration, for the message (expat reads the
    prolog only: nothing expanded, nothing fetched)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[int] = []

    def declared(*_: object) -> None:
        found.append(parser.CurrentLineNumber)
        raise StopIteration

    def started(*_: object) -> None:
        raise StopIteration

    parser.EntityDeclHandler, parser.StartElementHandler = declared, started
    with ExitStack() as stack:
        stream, _ = _open(path, stack)
        try:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
        except (StopIteration, expat.ExpatError):
            pass
    return found[0] if found else None


def _syntax_error(error: etree.XMLSyntaxError, name: str, serial: str | None) -> ParseError:
    message, line, column = error.msg, error.lineno, error.position[1] if error.position else None
    last = error.error_log.last_error
    if not line and last is not None:  # iterparse reports some errors (an entity) as line 0
        message, line, column = last.message, last.line, last.column
    after = f" (after the case-file of serial {serial})" if serial else ""
    return ParseError(
        f"not well-formed XML: {message}{after}", path=name, line=line or None, column=column
    )


class _Counted:
    """A readable binary stream that reports how many bytes were read (a progress bar)."""

    def __init__(self, inner: BinaryIO, advance: Callable[[int], object]) -> None:
        self._inner, self._advance = inner, advance

    def read(self, size: int = -1) -> bytes:
        chunk = self._inner.read(size)
        self._advance(len(chunk))
        return chunk


# ------------------------------------------------------------------ one case-file


def _text(element: etree._Element) -> str:
    """An element's text with runs of white space collapsed (names, statements)."""
    text = element.text
    return " ".join(text.split()) if text else ""


def _code(element: etree._Element) -> str:
    """An element's text stripped (codes, numbers, dates)."""
    text = element.text
    return text.strip() if text else ""


def _case_record(
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
            top[tag] = _code(child)
    serial = top.get("serial-number", "")
    if not (len(serial) == 8 and serial.isdigit()):
        what = f'"{serial}" is not an 8-digit serial number' if serial else "no serial-number"
        errors.add(line, None, f"case-file: {what}")
        return None, None
    case_file = _CaseFile(serial, line, errors, tally)
    values: dict[str, tuple[str, int]] = {}
    if header is not None:
        for element in header.iterchildren(*_HEADER):
            text = _code(element)
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
    current, changes = case_file.owners(owners)
    if not current:
        errors.add(line, None, f"serial {serial}: no case-file-owner with a party-name")
    goods_texts, texts = _statements(statements)
    goods, classes, national, first_use = case_file.classifications(classifications, goods_texts)
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
            status_date=status_date,
            renewal_date=renewed,
            national_classes=national,
            mark_feature=DRAWING_FEATURES.get(drawing[:1]),
            record_id=f"serial {serial}",
            as_of=as_of,
            status_code=values.get("status-code", (None, 0))[0],
            goods_services=goods,
            priority_claims=case_file.priority_claims(foreign, header),
            first_used_date=first_use[0],
            first_used_commerce_date=first_use[1],
            translations=texts["TR"],
            transliterations=texts["TL"],
            disclaimers=texts["D"],
            representatives=tuple(representatives),
            publication_date=published,
            events=case_file.events(event_list),
            ownership_changes=changes,
            design_codes=case_file.design_codes(designs),
        ),
        serial,
    )


class _CaseFile:
    """The checks of one case-file's values: errors for core values, warnings otherwise."""

    def __init__(self, serial: str, line: int, errors: RowErrors, tally: WarningTally) -> None:
        self.serial, self.line, self.errors, self.tally = serial, line, errors, tally
        self.before = len(errors.errors)

    @property
    def failed(self) -> bool:
        return len(self.errors.errors) > self.before

    def core_date(self, element: str, found: tuple[str, int] | None) -> ox.Literal | None:
        """A date the record cannot do without: a bad one is an error."""
        if not found or not found[0]:
            return None
        try:
            return uspto_date(found[0])
        except FieldError as error:
            self.errors.add(found[1], None, f"serial {self.serial}: {element}: {error}")
            return None

    def optional_date(self, element: etree._Element | None) -> ox.Literal | None:
        """A date the record can do without: a bad one is left out with a warning."""
        text = _code(element) if element is not None else ""
        if not text:
            return None
        try:
            return uspto_date(text)
        except FieldError:
            self.tally.add(
                "optional date that is not a date: left out",
                element.sourceline,
                f"serial {self.serial} {element.tag} {text!r}",
            )
            return None

    # -------------------------------------------------------------- owners

    def owners(
        self, owners: etree._Element | None
    ) -> tuple[tuple[Owner, ...], tuple[OwnershipChange, ...]]:
        """The current owners (the highest party-type's) and the changes of owner before them.

        Party types count up the chain of title (10 original applicant ... 30 original
        registrant, 4x later owners), co-owners share one; each step to a group of other names
        is a change: a name change or merger where the new owner's name-change-explanation
        says so, else an assignment."""
        groups: dict[int, list[tuple[Owner, str]]] = {}
        for entry in owners if owners is not None else ():
            if entry.tag != "case-file-owner":
                continue
            fields: dict[str, etree._Element] = {}
            nationality = None
            for element in entry.iterchildren(*_OWNER):
                if element.tag == "nationality":
                    nationality = element
                else:
                    fields.setdefault(element.tag, element)
            name = _text(fields["party-name"]) if "party-name" in fields else ""
            party = _code(fields["party-type"]) if "party-type" in fields else ""
            if not name:
                continue
            if party and not party.isdigit():
                self.tally.add(
                    "owner with a party-type that is not a number: read as current",
                    entry.sourceline,
                    f"serial {self.serial} {party!r}",
                )
            rank = int(party) if party.isdigit() else 99
            if rank == _CORRESPONDENT_PARTY:
                continue
            entity_code = fields.get("legal-entity-type-code")
            entity = _code(entity_code) if entity_code is not None else ""
            owner = Owner(name, _owner_kind(entity) if entity else None, self._country(nationality))
            explanation = fields.get("name-change-explanation")
            groups.setdefault(rank, []).append(
                (owner, _text(explanation) if explanation is not None else "")
            )
        if not groups:
            return (), ()
        chain = [groups[rank] for rank in sorted(groups)]
        changes = []
        for earlier, later in itertools.pairwise(chain):
            if {o.name for o, _ in earlier} == {o.name for o, _ in later}:
                continue
            said = " ".join(text for _, text in later)
            kind = (
                "name-change"
                if _NAME_CHANGE.search(said)
                else "merger"
                if _MERGER.search(said)
                else "assignment"
            )
            changes.append(
                OwnershipChange(
                    kind, tuple(o for o, _ in later), assignors=tuple(o for o, _ in earlier)
                )
            )
        return tuple(owner for owner, _ in chain[-1]), tuple(changes)

    def _country(self, nationality: etree._Element | None) -> str | None:
        """The owner's country: ``nationality/country``; a US state alone (a company's state
        of incorporation) is the US."""
        if nationality is None:
            return None
        country = state = ""
        for element in nationality:
            if element.tag == "country":
                country = _code(element)
            elif element.tag == "state":
                state = _code(element)
        if not country:
            return "US" if state else None
        try:
            return _jurisdiction_code(country)
        except FieldError:
            self.tally.add(
                "owner nationality that is not a country tmkg knows: left out",
                nationality.sourceline,
                f"serial {self.serial} {country!r}",
            )
            return None

    # -------------------------------------------------------------- classes

    def classifications(
        self, classifications: etree._Element | None, goods_texts: list[tuple[str, str, int]]
    ) -> tuple[
        tuple[GoodsServices, ...],
        tuple[int, ...],
        tuple[str, ...],
        tuple[ox.Literal | None, ox.Literal | None],
    ]:
        """Goods and services per class (Nice from ``international-code``, US classes as
        national codes), the Nice classes, the US classes and the application's first-use
        dates (the earliest of its classes': the mark was first used then, for some goods).

        `goods_texts` are the ``GSnnnX`` statements (code, text, line): each goes to the
        classification whose prime class is nnn, on its Nice classes (on its US classes
        where it has none), with the classification's first-use dates."""
        read = []  # per classification: nice, national, primary, first use, in commerce
        for entry in classifications if classifications is not None else ():
            nice: list[int] = []
            national: list[str] = []
            primary = None
            first = commerce = None
            for element in entry.iterchildren(*_CLASSIFICATION):
                tag = element.tag
                if tag == "international-code":
                    code = _code(element)
                    number = _NICE.get(code)
                    if number is not None:
                        nice.append(number)
                    elif code in _US_ONLY:
                        national.append(code)
                    elif code:
                        self.tally.add(
                            "international-code that is not a Nice class: left out",
                            element.sourceline,
                            f"serial {self.serial} {code!r}",
                        )
                elif tag == "us-code":
                    code = _code(element)
                    if code:
                        national.append(code)
                elif tag == "primary-code":
                    primary = _code(element)
                elif tag == "first-use-anywhere-date":
                    first = self.optional_date(element)
                elif tag == "first-use-in-commerce-date":
                    commerce = self.optional_date(element)
            read.append((nice, national, primary, first, commerce))
        texts = self._goods_texts(goods_texts, read)
        entries: dict[object, GoodsServices] = {}
        for index, (nice, national, _, first, commerce) in enumerate(read):
            said = texts.get(index, ())
            for number in nice:
                entry = GoodsServices(
                    nice=number,
                    texts=said,
                    first_used_date=first,
                    first_used_commerce_date=commerce,
                )
                known = entries.get(number)
                entries[number] = entry if known is None else _merged(known, entry)
            for code in national:
                if nice:
                    entries.setdefault(code, _national_entry(code))
                    continue
                entry = GoodsServices(
                    national=code,
                    texts=said,
                    first_used_date=first,
                    first_used_commerce_date=commerce,
                )
                known = entries.get(code)
                entries[code] = entry if known is None else _merged(known, entry)
        first_use = _earliest(r[3] for r in read)
        in_commerce = _earliest(r[4] for r in read)
        nice_classes = tuple(sorted({n for r in read for n in r[0]}))
        national_classes = tuple(sorted({c for r in read for c in r[1]}))
        return tuple(entries.values()), nice_classes, national_classes, (first_use, in_commerce)

    def _goods_texts(
        self, goods_texts: list[tuple[str, str, int]], read: list
    ) -> dict[int, tuple[TaggedText, ...]]:
        """``GSnnnX`` statements by the classification whose prime class is nnn."""
        if not goods_texts:
            return {}
        by_code: dict[str, int] = {}
        for index, (nice, national, primary, _, _) in enumerate(read):
            for code in (primary, *(_PRIME[n] for n in nice), *national):
                if code:
                    by_code.setdefault(code.zfill(3) if code.isdigit() else code, index)
        texts: dict[int, tuple[TaggedText, ...]] = {}
        for code, text, line in goods_texts:
            index = by_code.get(code[2:5])
            if index is None:
                self.tally.add(
                    "goods/services statement of an unclassified class: left out",
                    line,
                    f"serial {self.serial} {code}",
                )
                continue
            texts[index] = (*texts.get(index, ()), TaggedText(text, "en"))
        return texts

    # -------------------------------------------------------------- the rest

    def events(self, event_list: etree._Element | None) -> tuple[RegisterEvent, ...]:
        events = []
        for entry in event_list if event_list is not None else ():
            code = description = ""
            date = None
            for element in entry.iterchildren(*_EVENT):
                tag = element.tag
                if tag == "code":
                    code = _code(element)
                elif tag == "description-text":
                    description = _code(element)
                elif tag == "date":
                    date = element
            when = self.optional_date(date)
            if when is None:
                continue
            events.append(
                RegisterEvent(when, code or None, description or None, EVENT_KINDS.get(code))
            )
        return tuple(events)

    def priority_claims(
        self, foreign: etree._Element | None, header: etree._Element | None
    ) -> tuple[PriorityClaim, ...]:
        """Foreign applications whose priority is claimed: ``foreign-priority-claim-in`` T,
        or, where a foreign-application does not say, the header's ``foreign-priority-in``."""
        if foreign is None:
            return ()
        claimed_by_header = False
        if header is not None:
            flag = header.find("foreign-priority-in")
            claimed_by_header = flag is not None and _code(flag) == "T"
        claims = []
        for entry in foreign:
            fields = {element.tag: element for element in entry}
            flag = fields.get("foreign-priority-claim-in")
            claimed = _code(flag) == "T" if flag is not None else claimed_by_header
            if not claimed:
                continue
            country = _code(fields["country"]) if "country" in fields else ""
            try:
                code = _jurisdiction_code(country)
            except FieldError:
                self.tally.add(
                    "priority claim from an office tmkg does not know: left out",
                    entry.sourceline,
                    f"serial {self.serial} {country!r}",
                )
                continue
            date = self.optional_date(fields.get("filing-date"))
            if date is None or not date.datatype.value.endswith("#date"):
                self.tally.add(
                    "priority claim without a day-precise filing-date: left out",
                    entry.sourceline,
                    f"serial {self.serial}",
                )
                continue
            number = fields.get("application-number")
            written = _code(number) if number is not None else ""
            claims.append(PriorityClaim(code, date, written or None))
        return tuple(claims)

    def design_codes(self, designs: etree._Element | None) -> tuple[str, ...]:
        codes = []
        for entry in designs if designs is not None else ():
            for element in entry:
                if element.tag != "code":
                    continue
                code = _code(element)
                if len(code) == 6 and code.isdigit():
                    codes.append(f"{code[:2]}.{code[2:4]}.{code[4:]}")
                elif code:
                    self.tally.add(
                        "design search code that is not 6 digits: left out",
                        element.sourceline,
                        f"serial {self.serial} {code!r}",
                    )
        return tuple(sorted(set(codes)))


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
                code = _code(element)
            elif element.tag == "text":
                text = _text(element)
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


@lru_cache(maxsize=1024)
def _national_entry(code: str) -> GoodsServices:
    """A US class of a classification that also has Nice classes: the code alone."""
    return GoodsServices(national=code)


def _merged(known: GoodsServices, more: GoodsServices) -> GoodsServices:
    """One class named by two classifications: its texts together, the first dates given."""
    return GoodsServices(
        nice=known.nice,
        national=known.national,
        texts=known.texts + tuple(t for t in more.texts if t not in known.texts),
        first_used_date=_first(known.first_used_date, more.first_used_date),
        first_used_commerce_date=_first(
            known.first_used_commerce_date, more.first_used_commerce_date
        ),
    )


def _first(one: ox.Literal | None, other: ox.Literal | None) -> ox.Literal | None:
    return one if one is not None else other


def _earliest(dates: Iterable[ox.Literal | None]) -> ox.Literal | None:
    """The earliest date, a partial one ("1987") counting from its first day."""
    given = [date for date in dates if date is not None]
    if len(given) < 2:
        return given[0] if given else None
    return min(given, key=lambda date: (date.value + "-01-01")[:10])


# The same few codes recur on every case-file: checked once each.
_owner_kind = lru_cache(maxsize=256)(owner_kind)
_jurisdiction_code = lru_cache(maxsize=1024)(jurisdiction_code)
