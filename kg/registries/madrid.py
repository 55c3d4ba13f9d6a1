"""Reading WIPO's Madrid international registrations (the ROMARIN XML of WIPO's Madrid
bulk data) into `RegistryRecord`s of jurisdiction WO.

Each international registration is a ``MARKGR`` element (a file's root, or one of many under
a wrapping root such as ``ROMARIN``; zip archives of such files are read member by member):
its attributes give the IR number (``INTREGN``), its date (``INTREGD``, ``YYYYMMDD``), expiry
(``EXPDATE``), office of origin (``OOCD``) and language (``ORIGLAN``: 1 English, 3 French, 4
Spanish); ``CURRENT`` holds the registration as it stands, and the elements after it are the
transactions recorded since (``ENN`` registration, ``EXN`` subsequent designation, ``REN``
renewal, ``RFNT`` total refusal, ``GPN`` protection granted …, each with ``INTOFF`` the
office concerned, ``NOTDATE``/``REGEDAT`` its notification and effective dates).

What was followed: WIPO's own ROMARIN-to-ST.66 stylesheets (Roger Holberton, WIPO;
``Romarin-V1-3.xsd``), kept in public repositories as the ``wipo.romarin.*.xsl`` files:
``CURRENT/IMAGE/@TEXT`` is the mark's words; ``STDMIND``/``COLMARI``/``THRDMAR``/``SOUMARI``
the kind of mark; ``HOLGR`` a holder with ``NAME/NAMEL`` lines, ``NATLTY``, ``LEGNATU/LEGNATT``,
``ENTNATL``; ``REPGR`` a representative; ``BASICGS@NICEVER`` with ``GSGR@NICCLAI`` (99 not a
class) and ``GSTERMEN``/``GSTERMFR``/``GSTERMES``; ``PRIGR`` with ``PRICP``, ``PRIAPPN``,
``PRIAPPD``; ``DESAG``/``DESPG``/``DESPG2`` with ``DCPCD`` (designations under the Agreement,
the Protocol, Protocol Art. 9sexies); ``DISCLAIMGR/DISCLAIMEREN…``, ``MARTRGR/MARTREN…``; the
transaction names and their wording (``makeRecordHeader``). See docs/registry-import.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

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
    jurisdiction_code,
    nice_classes,
    owner_kind,
)
from kg.registries.st96_parts import elements_at, first_at, inside, loose_date
from kg.registries.xmlstream import Collected, Leaf, LeafHandler, stream_records

__all__ = ["TRANSACTIONS", "read_madrid"]

_ROOTS = ("MARKGR", "ROMARIN")
_LANGUAGES = {"1": "en", "3": "fr", "4": "es", "EN": "en", "FR": "fr", "ES": "es"}
_SUFFIX = {"EN": "en", "FR": "fr", "ES": "es"}
# Old codes WIPO's stylesheet turns into today's (NATLTY, ENTNATL): GDR and USSR.
_OLD_COUNTRIES = {"DD": "DE", "DT": "DE", "SU": "RU"}
_FEATURES = (("STDMIND", "Word"), ("COLMARI", "Colour"), ("THRDMAR", "3-D"), ("SOUMARI", "Sound"))
_DESIGNATIONS = ("DESAG", "DESPG", "DESPG2")
TRANSACTIONS = {
    "ENN": ("Registration", "registration"),
    "EXN": ("Subsequent Designation", None),
    "OBN": ("Subsequent Designation Resulting From Conversion", None),
    "REN": ("Renewal", "renewal"),
    "REN2": ("Non Renewal", None),
    "REN3": ("Non Renewal Certain Parties", None),
    "RAN": ("Total Cancellation", "cancellation"),
    "PCN": ("Partial Cancellation", None),
    "RNN": ("Renunciation", None),
    "LIN": ("Limitation", None),
    "RFNT": ("Total Refusal", None),
    "RFNP": ("Partial Refusal", None),
    "R18NT": ("Rule 18ter(3) Confirmation of total provisional refusal", None),
    "FINC": ("Final Confirmation Refusal", None),
    "FINV": ("Final Reversing Refusal", None),
    "FINO": ("Final Other Decision", None),
    "GPN": ("Protection Granted", None),
    "GP18N": ("Rule 18ter(1) GP without provisional refusal", None),
    "GP18NA": ("GP following Rule 18bis(1)(a) declaration (OP expired)", None),
    "R18NP": ("Rule 18ter(2)(ii) GP following a provisional refusal", None),
    "R18NV": ("Rule 18ter(2)(i) GP following a provisional refusal", None),
    "INNT": ("Total Invalidation", None),
    "INNP": ("Partial Invalidation", None),
    "CBNT": ("Total Ceasing Effect", None),
    "CBNP": ("Partial Ceasing Effect", None),
    "TRN": ("Total Transfer", None),
}
"""Madrid transactions read as events: WIPO's wording (ROMARIN-to-ST.66 ``makeRecordHeader``)
and the `RegisterEvent.kind`; those with an ``INTOFF`` also give that designation's status."""
_STATUS = {"RFNT", "RFNP", "R18NT", "FINC", "FINV", "FINO", "GPN", "GP18N", "GP18NA", "R18NP",
           "R18NV", "INNT", "INNP", "CBNT", "CBNP"}  # fmt: skip
T = TypeVar("T")


class _Handler(LeafHandler):
    """Collects each ``MARKGR`` (elements in no namespace, as WIPO writes them)."""

    def ours(self, uri: str | None) -> bool:
        return not uri

    def starts_record(self, local: str, outer: list[str]) -> bool:
        return local == "MARKGR"

    def where(self) -> str:
        if self.record is None:
            return ""
        number = self.record.attributes.get("INTREGN")
        named = f", IR {number}" if number else ""
        return f" (in the MARKGR on line {self.record.line}{named})"

    def check_root(self, uri: str | None, local: str, line: int) -> None:
        if local in _ROOTS and not uri:
            return
        found = f"{{{uri}}}{local}" if uri else local
        raise ParseError(
            f"not a Madrid (ROMARIN) file: the root element is {found}, not MARKGR",
            path=self.name,
            line=line,
        )


def read_madrid(
    path: Path,
    jurisdiction: str | None,
    errors: RowErrors,
    *,
    progress: bool = False,
) -> tuple[Iterator[RegistryRecord], WarningTally]:
    """The international registrations of the file (jurisdiction WO whatever `jurisdiction`
    says), yielded as read, and the file's warnings. Bad core values (IR number, dates,
    holders, classes) go to `errors`; a file that cannot be read raises `ParseError`."""
    tally = WarningTally(str(path))
    handlers: list[_Handler] = []  # the current document's only: an archive may hold many

    def make_handler(name: str) -> _Handler:
        handlers[:] = [_Handler(name)]
        return handlers[0]

    def records() -> Iterator[RegistryRecord]:
        found = 0
        for markgr in stream_records(path, make_handler, progress=progress):
            found += 1
            record = _record(markgr, errors, tally, handlers[0].name)
            if record is not None:
                yield record
        if not found:
            tally.note("no MARKGR element found")

    return records(), tally


def _record(
    markgr: Collected, errors: RowErrors, tally: WarningTally, document: str
) -> RegistryRecord | None:
    before = len(errors.errors)
    prefix = "" if document == errors.path else f"{document.rsplit('!', 1)[-1]}: "
    number = markgr.attributes.get("INTREGN", "").strip()
    record_id = f"IR {number}" if number else f"MARKGR on line {markgr.line}"
    leaves = markgr.leaves

    def error(leaf: Leaf | None, message: str) -> None:
        line, column = (leaf.line, leaf.column) if leaf else (markgr.line, markgr.column)
        errors.add(line, column, f"{prefix}{record_id}: {message}")

    def attribute(name: str, parse: Callable[[str], T]) -> T | None:
        text = markgr.attributes.get(name, "").strip()
        if not text:
            return None
        try:
            return parse(text)
        except FieldError as problem:
            error(None, f"{name}: {problem}")
            return None

    if not number:
        error(None, "MARKGR without an INTREGN (international registration number)")
    registered = attribute("INTREGD", loose_date)
    expiry = attribute("EXPDATE", loose_date)
    holders = _parties(leaves, ("CURRENT", "HOLGR"), error)
    if not holders and len(errors.errors) == before:
        error(None, "MARKGR without a holder (CURRENT/HOLGR/NAME/NAMEL)")
    entries, classes = _goods_services(leaves, error)
    image = _empty(leaves, ("CURRENT", "IMAGE"))
    mark = (image.attributes.get("TEXT") or "").strip() if image else ""
    if len(errors.errors) > before:
        return None
    if not mark:
        tally.add("international registration without words (IMAGE/@TEXT): not imported",
                  markgr.line, record_id)  # fmt: skip
        return None
    transactions = [leaf for leaf in leaves if len(leaf.path) == 1 and leaf.path[0] != "CURRENT"]
    events = _events(leaves, transactions, tally, record_id)
    renewals = [e.date for e in events if e.kind == "renewal"]
    enn = next((t for t in transactions if t.path[0] == "ENN"), None)
    return RegistryRecord(
        line=markgr.line,
        mark=mark,
        owners=tuple(holders),
        jurisdiction="WO",
        number=number,
        classes=tuple(sorted(classes)),
        filing_date=registered,
        registration_date=registered,
        registration_number=number,
        expiry_date=expiry,
        renewal_date=renewals[-1] if renewals else None,
        mark_feature=next((f for tag, f in _FEATURES if _empty(leaves, ("CURRENT", tag))), None),
        record_id=record_id,
        goods_services=entries,
        priority_claims=_priority_claims(leaves, tally, record_id),
        translations=_texts(leaves, ("CURRENT", "MARTRGR"), "MARTR"),
        transliterations=tuple(
            TaggedText(leaf.text, "und-Latn")
            for leaf in elements_at(leaves, ("CURRENT", "MARTRAN"))
            if leaf.text
        ),
        disclaimers=_texts(leaves, ("CURRENT", "DISCLAIMGR"), "DISCLAIMER"),
        representatives=tuple(_parties(leaves, ("CURRENT", "REPGR"), error)),
        publication_date=_date(enn, "PUBDATE"),
        events=events,
        designations=_designations(leaves, transactions, registered, tally, record_id),
    )


def _empty(leaves: list[Leaf], path: tuple[str, ...]) -> Leaf | None:
    """The first element at `path`, with or without text (a flag such as ``STDMIND``)."""
    return next((leaf for leaf in leaves if leaf.path == path), None)


def _date(leaf: Leaf | None, *names: str) -> ox.Literal | None:
    """The first of `names` that is a good ``YYYYMMDD`` attribute of `leaf`, else None."""
    for name in names:
        text = (leaf.attributes.get(name) or "").strip() if leaf else ""
        try:
            if text:
                return loose_date(text)
        except FieldError:
            continue
    return None


def _country(leaf: Leaf, error: Callable[[Leaf | None, str], None]) -> str | None:
    code = leaf.text.upper()
    try:
        return jurisdiction_code(_OLD_COUNTRIES.get(code, code))
    except FieldError as problem:
        error(leaf, f"{leaf.path[-1]}: {problem}")
        return None


def _parties(
    leaves: list[Leaf], path: tuple[str, ...], error: Callable[[Leaf | None, str], None]
) -> list[Owner]:
    """Holders (``HOLGR``) or representatives (``REPGR``): the ``NAME/NAMEL`` lines joined;
    the kind from ``LEGNATU/LEGNATT``; the country from ``NATLTY``, else ``ENTNATL``."""
    found = []
    for group in elements_at(leaves, path):
        members = inside(leaves, group)
        name = " ".join(m.text for m in members if m.path == ("NAME", "NAMEL") and m.text)
        if not name:
            error(group, f"{path[-1]} without a name (NAME/NAMEL)")
            continue
        legal = first_at(members, ("LEGNATU", "LEGNATT"))
        country = first_at(members, ("NATLTY",), ("ENTNATL",))
        found.append(Owner(
            name,
            owner_kind(legal.text) if legal else None,
            _country(country, error) if country else None,
        ))  # fmt: skip
    return found


def _goods_services(
    leaves: list[Leaf], error: Callable[[Leaf | None, str], None]
) -> tuple[tuple[GoodsServices, ...], set[int]]:
    entries, classes = [], set()
    for basic in elements_at(leaves, ("CURRENT", "BASICGS")):
        version = basic.attributes.get("NICEVER") or None
        members = inside(leaves, basic)
        for group in elements_at(members, ("GSGR",)):
            code = (group.attributes.get("NICCLAI") or "").strip()
            if code == "99":  # WIPO's stylesheet: not a class
                continue
            try:
                (number,) = nice_classes(code) if code else (None,)
            except (FieldError, ValueError) as problem:
                error(group, f"NICCLAI: {problem}")
                continue
            if number is None:
                error(group, "GSGR without a NICCLAI (Nice class)")
                continue
            texts = tuple(
                TaggedText(m.text, _SUFFIX[m.path[-1][-2:]])
                for m in inside(members, group)
                if m.path[-1] in ("GSTERMEN", "GSTERMFR", "GSTERMES") and m.text
            )
            classes.add(number)
            entries.append(GoodsServices(nice=number, texts=texts, version=version))
    return tuple(entries), classes


def _texts(leaves: list[Leaf], prefix: tuple[str, ...], stem: str) -> tuple[TaggedText, ...]:
    """``{stem}EN``/``FR``/``ES`` elements under `prefix`, each in its language."""
    return tuple(
        TaggedText(leaf.text, _SUFFIX[leaf.path[-1][-2:]])
        for leaf in leaves
        if leaf.path[:-1] == prefix and leaf.text
        and leaf.path[-1] in (f"{stem}EN", f"{stem}FR", f"{stem}ES")
    )  # fmt: skip


def _priority_claims(leaves: list[Leaf], tally: WarningTally, record_id: str
                     ) -> tuple[PriorityClaim, ...]:  # fmt: skip
    claims = []
    for group in elements_at(leaves, ("CURRENT", "PRIGR")):
        members = inside(leaves, group)
        country, date = first_at(members, ("PRICP",)), first_at(members, ("PRIAPPD",))
        number = first_at(members, ("PRIAPPN",))
        try:
            if country is None or date is None:
                raise FieldError("no PRICP or PRIAPPD")
            claims.append(PriorityClaim(
                jurisdiction_code(country.text), loose_date(date.text),
                number.text if number else None,
            ))  # fmt: skip
        except FieldError as problem:
            tally.add("priority claim without a known country or a date: left out",
                      group.line, f"{record_id} ({problem})")  # fmt: skip
    return tuple(claims)


def _events(leaves: list[Leaf], transactions: list[Leaf], tally: WarningTally,
            record_id: str) -> tuple[RegisterEvent, ...]:  # fmt: skip
    """The transactions WIPO recorded, dated by their effective (``REGEDAT``), notification
    (``NOTDATE``) or recording (``REGRDAT``) date; unknown names and undated ones left out."""
    found = []
    for transaction in transactions:
        code = transaction.path[0]
        if code not in TRANSACTIONS:
            continue
        date = _date(transaction, "REGEDAT", "NOTDATE", "REGRDAT", "PUBDATE")
        if date is None:
            tally.add("Madrid transaction without a good date: left out", transaction.line,
                      f"{record_id} {code}")  # fmt: skip
            continue
        office = transaction.attributes.get("INTOFF")
        words, kind = TRANSACTIONS[code]
        found.append(RegisterEvent(date, code, f"{words} ({office})" if office else words, kind))
    return tuple(found)


def _designations(
    leaves: list[Leaf],
    transactions: list[Leaf],
    registered: ox.Literal | None,
    tally: WarningTally,
    record_id: str,
) -> tuple[Designation, ...]:
    """``CURRENT``'s designated parties; the date of the ``EXN``/``OBN`` that added a party
    (its ``REGEDAT``), else the IR's date; the last refusal or grant naming the party as
    ``INTOFF`` gives its status and status date."""
    later: dict[str, ox.Literal | None] = {}
    for transaction in transactions:
        if transaction.path[0] in ("EXN", "OBN"):
            for leaf in inside(leaves, transaction):
                if leaf.path[-1] == "DCPCD" and leaf.text:
                    later.setdefault(leaf.text.upper(), _date(transaction, "REGEDAT"))
    status: dict[str, tuple[str, ox.Literal | None]] = {}
    for transaction in transactions:
        office = (transaction.attributes.get("INTOFF") or "").upper()
        if transaction.path[0] in _STATUS and office:
            date = _date(transaction, "NOTDATE", "REGEDAT")
            status[office] = (TRANSACTIONS[transaction.path[0]][0], date)
    found: dict[str, Designation] = {}
    for leaf in leaves:
        if leaf.path[:1] != ("CURRENT",) or leaf.path[1:] not in [
            (d, "DCPCD") for d in _DESIGNATIONS
        ]:
            continue
        code = leaf.text.upper()
        try:
            country = jurisdiction_code(_OLD_COUNTRIES.get(code, code))
        except FieldError:
            tally.add("designation of an unknown country code: left out", leaf.line,
                      f'{record_id} "{leaf.text}"')  # fmt: skip
            continue
        words, when = status.get(code, (None, None))
        date = later.get(code, registered)
        found.setdefault(country, Designation(country, date, words, when))
    return tuple(found.values())
