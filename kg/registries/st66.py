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
together (UKIPO publishes a mark and its applicant as two TMview transactions). The record
then names the files defining each (`kg.registries.mapping.ReferringRecord`): the mark's graph
states the link, theirs the party.

The file is streamed: a SAX parser from `defusedxml` is fed 64 KiB at a time (expat's
incremental ``feed``) and the records completed by each chunk are yielded, so memory stays flat
whatever the file's size. The parser refuses any DOCTYPE (`kg.store.rdfxml_check` states the
rule): with no DTD no entity can be declared, so none is expanded ("billion laughs") or
fetched, and an undeclared entity is an error naming the file, line and record. See
``docs/registry-import.md``, section "WIPO ST.66 XML", for the mapping and its sources.
"""

from __future__ import annotations

import sys
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import feature_namespaces

import defusedxml.expatreader
from defusedxml import DefusedXmlException, DTDForbidden
from tqdm import tqdm

from kg.errors import ParseError
from kg.registries.records import RegistryRecord, RowErrors, WarningTally
from kg.registries.st66_fields import trademark_record
from kg.registries.st66_handler import Handler
from kg.registries.st66_parties import Parties, Party, PartyBook
from kg.registries.st66_trademark import TradeMark
from kg.store.rdfxml_check import DTD_SUGGESTION, doctype_refusal

__all__ = ["gather_st66_parties", "read_st66", "read_st66_parties"]

_CHUNK = 1 << 16
_PROGRESS_MIN_BYTES = 1 << 20
_FIGURATIVE = (
    "skipped: a TradeMark without WordMarkSpecification/MarkVerbalElementText (figurative)"
)
_DELETED = "a record the office deleted (operationCode Delete): not imported"


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
    A TradeMark marked ``operationCode="Delete"`` (EUIPO's download files; on it or on an
    element around it) is not yielded: the warnings count it ("a record the office deleted
    (operationCode Delete): not imported").

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
    handlers: list[Handler] = []

    def emit(trademark: TradeMark, fallback: list[Party]) -> None:
        if trademark.deleted:
            number = trademark.values.get("application_number")
            tally.add(_DELETED, trademark.line, f"application {number[0]}" if number else "")
            return
        before = len(errors.errors)
        record = trademark_record(
            trademark, fallback, handlers[-1].as_of, jurisdiction, parties, errors, tally, path
        )
        if record is not None:
            ready.append(record)
        elif "mark" not in trademark.values and len(errors.errors) == before:
            number = trademark.values.get("application_number")
            tally.add(_FIGURATIVE, trademark.line, f"application {number[0]}" if number else "")

    def define(_party: Party) -> None:
        nonlocal defined
        defined += 1

    trademarks = 0
    for name, stream, size in _streams(path):
        handler = Handler(name, emit, define)
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


def _parse(handler: Handler, stream: IO[bytes], size: int, progress: bool) -> Iterator[None]:
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


def read_st66_parties(path: Path) -> PartyBook:
    """The applicants and representatives `path` defines outside any TradeMark (a TMview
    applicant transaction, EUIPO's applicant and representative files), by the keys a mark's
    ``ApplicantKey`` / ``RepresentativeKey`` names them with: "applicant/{ApplicantIdentifier}"
    and "representative/{RepresentativeIdentifier}" (a key's ``Identifier``, or the last
    segment of its ``URI``: UKIPO's ``http://www.ipo.gov.uk/trademark/applicant/507772``
    names the applicant whose ApplicantIdentifier is 507772). Each value is (role, owner),
    role "applicant" or "representative"; `PartyBook.defined_in` names `path` for each. A
    party marked ``operationCode="Delete"`` (EUIPO) is not defined.

    Raises `ParseError` where the file is not ST.66 XML, or defines one key twice with
    different names (naming both lines); the same party written twice is one.
    """
    found = PartyBook()
    lines: dict[str, int] = {}
    errors = RowErrors(str(path))

    def define(party: Party) -> None:
        if party.deleted:
            return
        key = f"{party.role}/{party.identifier}"
        owner = party.owner(errors, f" ({party.role} {party.identifier})")
        if not owner.name:
            errors.add(party.line, None, f"{party.role} {party.identifier} without a name")
            return
        first = found.setdefault(key, (party.role, owner))
        found.defined_in.setdefault(key, (str(path),))
        lines.setdefault(key, party.line)
        if first[1] != owner:
            errors.add(
                party.line,
                None,
                f"{party.role} {party.identifier} is defined twice with different values: "
                f'"{owner.name}" here, "{first[1].name}" on line {lines[key]}',
            )

    for name, stream, size in _streams(path):
        handler = Handler(name, lambda _trademark, _fallback: None, define)
        handler.parties_only = True
        for _ in _parse(handler, stream, size, progress=False):
            pass
    errors.raise_if_any()
    return found


def gather_st66_parties(paths: Iterable[Path]) -> PartyBook:
    """The parties of every file in `paths` (`read_st66_parties`), merged; `defined_in` names
    every file defining each, in the order given (a mark naming one by key states the link,
    those files the party: `kg.registries.mapping.PartyReference`). Raises `ParseError`
    where two files define one key with different names, naming both files."""
    merged = PartyBook()
    where: dict[str, Path] = {}
    for path in paths:
        for key, value in read_st66_parties(path).items():
            first = merged.setdefault(key, value)
            where.setdefault(key, path)
            if first == value and str(path) not in merged.defined_in.get(key, ()):
                merged.defined_in[key] = (*merged.defined_in.get(key, ()), str(path))
            if first != value:
                raise ParseError(
                    f'{key.replace("/", " ")} is "{value[1].name}" here and "{first[1].name}" '
                    f"in {where[key]}",
                    path=str(path),
                    suggestion="import the files of different offices in separate commands",
                )
    return merged
