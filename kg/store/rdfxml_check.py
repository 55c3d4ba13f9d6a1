"""XML is read once by expat before anything else parses it, to refuse hostile XML.

The rule, for every XML file tmkg reads (RDF/XML here, ST.66 in `kg.registries.st66`): **no
DOCTYPE at all**. Entities can only be declared in a DTD, so with none there is nothing to
expand (no "billion laughs") and nothing to fetch (no external entity or DTD). Refusing the
DOCTYPE itself, when expat reports it and before any declaration is read, also closes the
tricks that hide declarations from a checker: a parameter entity reference before the
declarations makes expat skip them while Oxigraph, which reads XML its own way, expands them
(an 815-byte file became a 300-million-character literal). Comments and CDATA sections that
merely contain ``<!ENTITY`` are text and are fine.

Oxigraph's RDF/XML parser reads only UTF-8, so the bytes must be UTF-8 without NUL (expat
would otherwise detect UTF-16 and read a different document than Oxigraph) and expat is told
to read them as UTF-8 whatever the XML declaration says. Elements nested deeper than
`MAX_XML_DEPTH` are refused too: Oxigraph recurses on nesting (about 100,000 nested elements
crash the process; 30,000 take 20 s).

>>> check_rdfxml(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "ok.rdf")
>>> check_rdfxml(b'<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', "x.rdf")
Traceback (most recent call last):
...
kg.errors.ParseError: x.rdf:1:13: a DOCTYPE is refused: ...
"""

from __future__ import annotations

import pyexpat

import pyoxigraph as ox

from kg.errors import ParseError
from kg.store.oxigraph_input import require_utf8

__all__ = [
    "DTD_SUGGESTION",
    "MAX_XML_DEPTH",
    "check_rdfxml",
    "doctype_refusal",
    "rdfxml_error_position",
]

MAX_XML_DEPTH = 256
"""Elements nested deeper than this are refused (real RDF/XML nests a handful of levels)."""
DTD_SUGGESTION = "remove the DOCTYPE and write what its entities stood for (e.g. IRIs) out in full"


class _Refused(Exception):
    """Raised from an expat handler to stop the parse with a message."""


def doctype_refusal(system_id: str | None, public_id: str | None) -> str:
    """Why a DOCTYPE is refused: the sentence error messages give, naming an external DTD.

    >>> doctype_refusal("http://x/st66.dtd", None)  # doctest: +ELLIPSIS
    'a DOCTYPE (external DTD "http://x/st66.dtd") is refused: ...'
    """
    external = system_id or public_id
    what = f' (external DTD "{external}")' if external else ""
    return (
        f"a DOCTYPE{what} is refused: tmkg reads XML without DTDs, so no entity can be "
        "declared or expanded and nothing an input names is ever fetched or read"
    )


def check_rdfxml(data: bytes, name: str) -> None:
    """Raise `ParseError` (naming `name`, line and column) if the XML is hostile or malformed."""
    require_utf8(data, name, "XML")
    parser = pyexpat.ParserCreate("UTF-8")  # the XML declaration cannot switch encodings
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def element_started(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _Refused(f"elements nested deeper than {MAX_XML_DEPTH} levels are refused")

    def element_ended(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype_started(
        doctype: str, system_id: str | None, public_id: str | None, has_internal_subset: int
    ) -> None:
        raise _Refused(doctype_refusal(system_id, public_id))

    def external_entity(*_: object) -> int:  # unreachable without a DTD: belt and braces
        raise _Refused("external entities are refused")

    parser.StartDoctypeDeclHandler = doctype_started
    parser.ExternalEntityRefHandler = external_entity
    parser.StartElementHandler = element_started
    parser.EndElementHandler = element_ended
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        suggestion = DTD_SUGGESTION if "DOCTYPE" in str(refusal) else None
        raise ParseError(
            str(refusal),
            path=name,
            line=parser.CurrentLineNumber,
            column=parser.CurrentColumnNumber + 1,
            suggestion=suggestion,
        ) from None
    except pyexpat.ExpatError as error:
        message = "not well-formed XML: " + (
            pyexpat.ErrorString(error.code) if error.code else str(error)
        )
        raise ParseError(message, path=name, line=error.lineno, column=error.offset + 1) from None


class _LineReader:
    """Hands the parser one line per read, so the line it stops on is the last one read."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.splitlines(keepends=True)
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        if self.count >= len(self.lines):
            return b""
        self.count += 1
        return self.lines[self.count - 1]


def rdfxml_error_position(data: bytes, base_iri: str | None) -> tuple[int, int] | None:
    """Line and column of the RDF/XML error Oxigraph reports without a position, or None.

    Oxigraph's RDF/XML errors carry no position (its XML layer's do). The document is read
    again, fed a line at a time: the parser stops on the line holding the faulty element, and
    the column is where that line's markup starts. Only for messages: called after a failure.
    """
    reader = _LineReader(data)
    try:
        for _ in ox.parse(reader, ox.RdfFormat.RDF_XML, base_iri=base_iri):
            pass
    except SyntaxError:
        if reader.count == 0:
            return None
        line = reader.lines[reader.count - 1]
        column = len(line) - len(line.lstrip()) + 1
        return reader.count, len(line[: column - 1].decode("utf-8", errors="replace")) + 1
    return None
