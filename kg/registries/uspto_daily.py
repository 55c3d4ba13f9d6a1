"""Reading USPTO Trademark Daily XML (TDXF v2.0) into checked `RegistryRecord`s.

The USPTO publishes its register as XML files of ``case-file`` elements (the daily
``apcYYMMDD.zip`` files and the annual backfile ``apc18840407-YYYYMMDD-NN.zip``, root element
``trademark-applications-daily``, "US Trademark Applications Version 2.0" DTD). One case-file
becomes one record whose registration IRI is ``id/registration/us-{serial}``: the serial number
is the application's number, kept once the mark is registered, so the same case read from TSDR's
ST.66 or ST.96 gets the same IRI.

This module reads the file; a case-file becomes a record in `kg.registries.uspto_case` (with
`kg.registries.uspto_owners`, `kg.registries.uspto_classes` and `kg.registries.uspto_values`),
each citing the code tables it follows.

Sources followed:

- USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*, product TRTDXFAP
  (``applications-documentation.pdf``, ``TMDailyApp-Documentation-508.pdf``): the element
  paths, the code tables. The tables as transcribed in illeatmyhat/uspto-trademark-radar
  ``uspto_trademark_radar/lookups/*.csv`` (commit c9e15ff0, with their source pages in
  ``_sources.json``), read, not copied.
- Real records: ``../shared/real-registers/uspto-tdxf-apc-excerpt.xml`` (five case-files kept
  by merchbaseco/tmterminal from apc240914/apc240925 and the 2025 annual file).

The file is streamed through lxml's ``XMLPullParser`` (``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``): a DOCTYPE naming an external DTD, as the USPTO's
files may start, is accepted and nothing is loaded; a DOCTYPE whose internal subset declares
entities is refused with its line before the document is parsed (expat reads the prolog), and
an empty file is named as such. Each ``case-file`` is cleared once read, so memory stays flat
on an annual file of 300 MB. See ``docs/registry-import.md`` (section "USPTO Trademark Daily
XML") for the mapping, the owner rule and what is left out.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from lxml import etree

from kg.errors import ParseError
from kg.registries.records import RegistryRecord, RowErrors, WarningTally
from kg.registries.uspto_case import DRAWING_FEATURES, EVENT_KINDS, case_record
from kg.registries.uspto_values import uspto_date

__all__ = ["DRAWING_FEATURES", "EVENT_KINDS", "read_uspto_daily", "uspto_date"]

ROOTS = ("trademark-applications-daily", "case-file")
_PROGRESS_MIN_BYTES = 1 << 20


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
    _check_prolog(path)
    with ExitStack() as stack:
        stream, size = _open(path, stack)
        if progress and size >= _PROGRESS_MIN_BYTES:
            from tqdm import tqdm

            bar = stack.enter_context(
                tqdm(total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)
            )
            stream = _Counted(stream, bar.update)
        parser = etree.XMLPullParser(
            events=("end",),
            tag=("case-file", "serial-number"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        feed = _Feed(parser, stream)
        serial, count = None, 0
        reading: str | None = None  # the serial of the case-file being read, once seen
        try:
            for case in feed.elements():
                if case.tag == "serial-number":
                    reading = _serial_of(case, reading)
                    continue
                if count == 0:
                    _check_doctype(case.getroottree(), path)
                count += 1
                record, serial = case_record(case, errors, tally)
                reading = None
                # Free the case-file and what precedes it: memory stays flat.
                case.clear(keep_tail=False)
                parent = case.getparent()
                if parent is not None:
                    while case.getprevious() is not None:
                        del parent[0]
                if record is not None:
                    yield record
        except etree.XMLSyntaxError as error:
            # The elements the parser ended before it met the error in a chunk are still
            # queued: the error is placed after them (lxml >= 6.2 raises before handing them
            # out). At the end of the input the queue holds the elements the parser closed
            # itself: they never ended in the file.
            for case in () if feed.at_end else parser.read_events():
                element = case[1]
                if element.tag == "serial-number":
                    reading = _serial_of(element, reading)
                else:
                    serial = (element.findtext("serial-number") or "").strip() or serial
                    reading = None
            raise _syntax_error(error, name, serial, reading) from None
        root = feed.root
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


@dataclass
class _Feed:
    """`stream` fed to `parser` in 64 KiB chunks."""

    parser: etree.XMLPullParser
    stream: BinaryIO
    at_end: bool = False  # the whole input was fed: an error now is at the end of the input
    root: etree._Element | None = None  # the document's root, once the document is complete

    def elements(self) -> Iterator[etree._Element]:
        """The elements the parser ends, in document order. Raises `etree.XMLSyntaxError`
        (the events queued before the error stay in the parser)."""
        while chunk := self.stream.read(1 << 16):
            self.parser.feed(chunk)
            for _, element in self.parser.read_events():
                yield element
        self.at_end = True
        self.root = self.parser.close()
        for _, element in self.parser.read_events():
            yield element


def _serial_of(element: etree._Element, reading: str | None) -> str | None:
    """The serial of the case-file being read, once its ``serial-number`` (a direct child of
    the case-file; other elements of that name are not it) has ended."""
    parent = element.getparent()
    if parent is not None and parent.tag == "case-file":
        return (element.text or "").strip() or None
    return reading


def _open(path: Path, stack: ExitStack) -> tuple[BinaryIO, int]:
    """The XML stream of `path` (a zip's first ``.xml`` member, unextracted) and its size."""
    if zipfile.is_zipfile(path):
        archive = stack.enter_context(zipfile.ZipFile(path))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml")]
        if not members:
            raise ParseError("the zip archive holds no .xml file", path=str(path))
        return stack.enter_context(archive.open(members[0])), members[0].file_size
    return stack.enter_context(path.open("rb")), path.stat().st_size


def _check_prolog(path: Path) -> None:
    """Refuse an empty file, and a DOCTYPE whose internal subset declares entities, however
    nested (a parameter entity declaring another counts: its declaration is one), before the
    document is parsed: an entity is never expanded, so "billion laughs" files never reach
    lxml's limits. An external DTD is named, never loaded.

    expat reads the prolog only (up to the first element), with parameter entities never
    parsed: nothing expanded, nothing fetched.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    declared: list[tuple[str, int]] = []
    seen = bytearray()

    def entity(name: str, *_: object) -> None:
        declared.append((name, parser.CurrentLineNumber))
        raise StopIteration

    def started(*_: object) -> None:
        raise StopIteration

    parser.EntityDeclHandler, parser.StartElementHandler = entity, started
    with ExitStack() as stack:
        stream, _ = _open(path, stack)
        try:
            while chunk := stream.read(1 << 16):
                if not seen.strip():
                    seen += chunk[:64]
                parser.Parse(chunk, False)
        except (StopIteration, expat.ExpatError):
            pass
    if not seen.strip():
        said = "is empty (0 bytes)" if not seen else "holds only white space"
        raise ParseError(
            f"the file {said}: a USPTO Trademark Daily XML file holds a "
            "trademark-applications-daily element",
            path=str(path),
            suggestion="check that the download or the unzip finished",
        )
    if declared:
        name, line = declared[0]
        raise ParseError(
            f"refused: the DOCTYPE declares entities ({name}); USPTO files need none and tmkg "
            "never expands them",
            path=str(path),
            line=line,
            suggestion="remove the internal DTD subset ([...]) from the DOCTYPE",
        )


def _check_doctype(tree: etree._ElementTree, path: Path) -> None:
    """The same refusal where expat could not read the prolog (an encoding it lacks): lxml
    keeps the declarations it never expands."""
    dtd = tree.docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        raise ParseError(
            f"refused: the DOCTYPE declares entities ({declared[0]}); USPTO files need none "
            "and tmkg never expands them",
            path=str(path),
            suggestion="remove the internal DTD subset ([...]) from the DOCTYPE",
        )


_LIMITS = (
    (
        re.compile(
            r"text node too long|huge text node|too big found|buffer size limit|"
            r"AttValue length too long",
            re.IGNORECASE,
        ),
        "a value (text, attribute, comment or CDATA section) is longer than 10,000,000 "
        "bytes, the longest the XML parser reads: it stopped here (no USPTO value comes "
        "near it: the file is damaged or not a USPTO file)",
    ),
    (
        re.compile(r"excessive depth", re.IGNORECASE),
        "elements are nested more than 256 deep, the deepest the XML parser reads (USPTO "
        "files nest about 10 deep: the file is damaged or not a USPTO file)",
    ),
    (
        re.compile(r"amplification|entity loop|entity reference loop", re.IGNORECASE),
        "an entity expands to too much text; tmkg never expands entities",
    ),
    (
        re.compile(r"huge input lookup|name too long|attribute value too long", re.IGNORECASE),
        "an element or attribute name is longer than 50,000 bytes, the longest the XML "
        "parser reads (the file is damaged or not a USPTO file)",
    ),
)
"""libxml2's limits (``XML_MAX_TEXT_LENGTH``, 10,000,000 bytes; ``XML_MAX_NAME_LENGTH``,
50,000; ``xmlParserMaxDepth``, 256; libxml2's ``include/libxml/parserInternals.h``) in the
user's words, in place of the library's advice to lift them: tmkg keeps them."""
_WHERE = re.compile(r",? line \d+, column \d+\.?$")
_ADVICE = re.compile(r",? ?(try XML_PARSE_HUGE|use XML_PARSE_HUGE option|see \w+)\.?$")


def _syntax_error(
    error: etree.XMLSyntaxError, name: str, serial: str | None, reading: str | None = None
) -> ParseError:
    """The parse error in the user's words, naming the case-file being read (its serial, once
    read) or else the last one completed."""
    message, line, column = error.msg, error.lineno, error.position[1] if error.position else None
    last = error.error_log.last_error
    if not line and last is not None:  # iterparse reports some errors (an entity) as line 0
        message, line, column = last.message, last.line, last.column
    if reading:
        after = f" (in the case-file of serial {reading})"
    elif serial:
        after = f" (after the case-file of serial {serial})"
    else:
        after = " (before the first case-file's serial-number)"
    for pattern, said in _LIMITS:
        if pattern.search(message):
            return ParseError(f"{said}{after}", path=name, line=line or None, column=column)
    message = _ADVICE.sub("", _WHERE.sub("", message.strip()).strip()).strip()
    message = message.removeprefix("Resource limit exceeded: ")
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
