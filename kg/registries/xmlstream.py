"""Streaming register XML (a file, or every ``.xml`` member of a zip archive) through an
element handler, yielding its records as they are read.

The parser is the standard library's expat, configured as `kg.store.rdfxml_check` configures
it: parameter entities are never parsed and a DOCTYPE is refused where it starts (before any
internal subset is read), so no entity can be declared, expanded ("billion laughs") or
fetched, and an undeclared entity is expat's "undefined entity" error. The file is fed to
the parser in 64 KiB chunks and the handler's finished records are handed on after each
chunk, so memory stays flat whatever the file's size. Expat is driven directly, not through
`xml.sax` (whose per-element objects made a reader four times slower); `defusedxml`'s SAX
reader guards `kg.registries.st66` with the same refusal.
Readers that use it: `kg.registries.st96`, `kg.registries.madrid`.
"""

from __future__ import annotations

import sys
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple
from xml.parsers import expat

from tqdm import tqdm

from kg.errors import ParseError
from kg.store.rdfxml_check import DTD_SUGGESTION, MAX_XML_DEPTH, doctype_refusal

__all__ = ["Collected", "Leaf", "LeafHandler", "RecordHandler", "stream_records"]

_CHUNK = 1 << 16
_PROGRESS_MIN_BYTES = 1 << 20


class RecordHandler:
    """An expat element handler that puts each finished record in `ready` and knows where it
    is. `stream_records` calls `start(name, attributes)`, `end(name)` and `characters(text)`,
    names being ``"{namespace} {local}"`` or ``"{local}"``.

    `name` is the document's name for messages: the file, or ``archive.zip!member.xml``.
    Subclasses call `enter`/`leave` from their element handlers to keep `depth` (nesting
    deeper than `MAX_XML_DEPTH` is refused)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ready: deque = deque()
        self.parser: expat.XMLParserType | None = None
        self.depth = 0

    def position(self) -> tuple[int, int | None]:
        """The parser's current line and (1-based) column."""
        if self.parser is None:
            return 0, None
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def start(self, name: str, attributes: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def characters(self, text: str) -> None:
        """Text inside the current element (expat buffers it: one call per run of text)."""

    def where(self) -> str:
        """The record being read, for messages ("" between records)."""
        return ""

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            line, column = self.position()
            raise ParseError(
                f"elements nested deeper than {MAX_XML_DEPTH} levels are refused",
                path=self.name,
                line=line,
                column=column,
            )

    def leave(self) -> None:
        self.depth -= 1


class Leaf(NamedTuple):
    """One element of a record: its path of local names below the record element, the
    serial numbers of the elements on that path (equal serials: the same element), its own
    text (whitespace collapsed; empty for an element with children), its attributes by local
    name, and the line and column where it starts."""

    path: tuple[str, ...]
    serials: tuple[int, ...]
    text: str
    attributes: dict[str, str]
    line: int
    column: int | None


@dataclass
class Collected:
    """One record element as read: where it starts, its attributes and its elements."""

    line: int
    column: int | None
    attributes: dict[str, str] = field(default_factory=dict)
    leaves: list[Leaf] = field(default_factory=list)

    def first(self, *paths: tuple[str, ...]) -> Leaf | None:
        """The first element with text at any of `paths`, tried in the order given."""
        for path in paths:
            for leaf in self.leaves:
                if leaf.path == path and leaf.text:
                    return leaf
        return None


class LeafHandler(RecordHandler):
    """Collects each record element's elements as `Leaf`s and puts the finished `Collected`
    in `ready`. Subclasses say which namespaces are read (`ours`; an element of another
    namespace is skipped with all it holds), which element starts a record
    (`starts_record`, given the local names of its ancestors) and check the root."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.path: list[str] = []  # local names from the record element down
        self.serials: list[int] = []
        self.children: list[bool] = []  # whether each open element has child elements
        self.indexes: list[int] = []  # where each open element's leaf is in the record
        self.text: list[str] = []
        self.serial = 0
        self.foreign = 0  # depth inside an element of another namespace
        self.outer: list[str] = []  # local names above the record element
        self.record: Collected | None = None
        self.records = 0
        self.rooted = False

    def ours(self, uri: str | None) -> bool:
        raise NotImplementedError

    def starts_record(self, local: str, outer: list[str]) -> bool:
        raise NotImplementedError

    def check_root(self, uri: str | None, local: str, line: int) -> None:
        """Raise `ParseError` if the root element is not one of the format's."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.enter()
        if self.children:
            self.children[-1] = True
        self.text = []
        if self.foreign:
            self.foreign += 1
            return
        uri, _, local = name.rpartition(" ")
        parser = self.parser
        line = parser.CurrentLineNumber if parser else 0
        column = parser.CurrentColumnNumber + 1 if parser else None
        if not self.rooted:
            self.rooted = True
            self.check_root(uri or None, local, line)
        if not self.ours(uri or None):
            self.foreign += 1
            return
        attributes = (
            {key.rpartition(" ")[2]: value for key, value in attrs.items()} if attrs else {}
        )
        if self.record is None:
            if self.starts_record(local, self.outer):
                self.record = Collected(line, column, attributes)
                self.records += 1
                self.path, self.serials, self.children, self.indexes = [], [], [], []
            else:
                self.outer.append(local)
            return
        self.serial += 1
        self.path.append(local)
        self.serials.append(self.serial)
        self.children.append(False)
        self.indexes.append(len(self.record.leaves))
        self.record.leaves.append(
            Leaf(tuple(self.path), tuple(self.serials), "", attributes, line, column)
        )

    def characters(self, text: str) -> None:
        self.text.append(text)

    def end(self, name: str) -> None:
        self.leave()
        if self.foreign:
            self.foreign -= 1
            return
        if self.record is None:
            if self.outer:
                self.outer.pop()
            return
        if not self.path:  # the record element itself
            self.ready.append(self.record)
            self.record = None
            return
        index = self.indexes.pop()
        if not self.children.pop() and self.text:
            leaf = self.record.leaves[index]
            text = " ".join("".join(self.text).split())
            self.record.leaves[index] = Leaf(leaf.path, leaf.serials, text, *leaf[3:])
        self.path.pop()
        self.serials.pop()
        self.text = []


def _documents(
    path: Path, stack: ExitStack
) -> tuple[list[tuple[str, Callable[[], BinaryIO]]], int]:
    """The XML documents of `path` (its ``.xml`` members in archive order for a zip), each
    with a function that opens it (one at a time: an archive may hold a million), and their
    total size in bytes."""
    if zipfile.is_zipfile(path):
        archive = stack.enter_context(zipfile.ZipFile(path))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml")]
        documents = [(f"{path}!{m.filename}", lambda m=m: archive.open(m)) for m in members]
        return documents, sum(m.file_size for m in members)
    return [(str(path), lambda: path.open("rb"))], path.stat().st_size


def stream_records(
    path: Path,
    make_handler: Callable[[str], RecordHandler],
    *,
    progress: bool = False,
) -> Iterator:
    """The records `make_handler(document name)` handlers finish, yielded as read.

    Raises `ParseError` (file, line, column) for XML that is not well-formed, a DOCTYPE, or
    an entity; the record being read is named by the handler's `where()`.
    """
    with ExitStack() as stack:
        documents, size = _documents(path, stack)
        bar = None
        if progress and size >= _PROGRESS_MIN_BYTES:
            bar = stack.enter_context(
                tqdm(total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)
            )
        for name, open_document in documents:
            handler = make_handler(name)
            parser = _parser(handler)
            with open_document() as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    _feed(parser, handler, chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                    while handler.ready:
                        yield handler.ready.popleft()
                    if not chunk:
                        break


class _Doctype(Exception):
    def __init__(self, system_id: str | None, public_id: str | None) -> None:
        self.system_id, self.public_id = system_id, public_id


def _refuse_doctype(
    name: str, system_id: str | None, public_id: str | None, internal: bool
) -> None:
    raise _Doctype(system_id, public_id)


def _parser(handler: RecordHandler) -> expat.XMLParserType:
    """An expat parser feeding `handler`, refusing any DOCTYPE and parameter entities."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.characters
    handler.parser = parser
    return parser


def _feed(parser: expat.XMLParserType, handler: RecordHandler, chunk: bytes) -> None:
    """Feed one chunk (an empty one ends the document), turning parser errors into
    `ParseError`s that name the document, line, column and record."""
    try:
        parser.Parse(chunk, not chunk)
    except expat.ExpatError as error:
        raise ParseError(
            f"not well-formed XML: {expat.ErrorString(error.code)}{handler.where()}",
            path=handler.name,
            line=error.lineno,
            column=error.offset + 1,
        ) from None
    except _Doctype as refused:
        line, column = handler.position()
        raise ParseError(
            doctype_refusal(refused.system_id, refused.public_id),
            path=handler.name,
            line=line or None,
            column=column,
            suggestion=DTD_SUGGESTION,
        ) from None
