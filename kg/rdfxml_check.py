"""RDF/XML is read once by expat before Oxigraph parses it, to refuse hostile XML.

Oxigraph's RDF/XML parser expands internal entities without a bound (a 1 KB "billion laughs"
file becomes gigabytes) and recurses on nesting (about 100,000 nested elements crash the
process; 30,000 take 20 s). expat, in C, reads the document first and refuses:

- entity declarations with a ``SYSTEM`` or ``PUBLIC`` identifier (external entities), and
  parameter or unparsed entities: nothing is ever fetched or read from disk;
- documents whose text after entity expansion exceeds `MAX_EXPANSION` times their size (plus
  1 MiB), and those expat's own amplification limit stops;
- elements nested deeper than `MAX_XML_DEPTH`.

- a ``DOCTYPE`` naming an external DTD (``<!DOCTYPE rdf:RDF SYSTEM "…">``), which would
  otherwise be silently ignored.

Internal entities used the ordinary way (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``)
are fine.

>>> check_rdfxml(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "ok.rdf")
>>> check_rdfxml(b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>', "x.rdf")
Traceback (most recent call last):
...
kg.errors.ParseError: x.rdf:1:52: external entity 'e' (SYSTEM file:///etc/passwd) refused: ...
"""

from __future__ import annotations

import pyexpat

from kg.errors import ParseError

__all__ = ["MAX_EXPANSION", "MAX_XML_DEPTH", "check_rdfxml"]

MAX_XML_DEPTH = 256
"""Elements nested deeper than this are refused (real RDF/XML nests a handful of levels)."""
MAX_EXPANSION = 4
"""Text after entity expansion may be at most this many times the document's size + 1 MiB."""
_SLACK = 1 << 20


class _Refused(Exception):
    """Raised from an expat handler to stop the parse with a message."""


def check_rdfxml(data: bytes, name: str) -> None:
    """Raise `ParseError` (naming `name`, line and column) if the XML is hostile or malformed."""
    parser = pyexpat.ParserCreate()
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    budget = MAX_EXPANSION * len(data) + _SLACK
    state = {"depth": 0, "text": 0}

    def entity_declared(
        entity: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if is_parameter:
            raise _Refused(f"parameter entity '%{entity}' refused: DTD tricks are not RDF")
        if system_id is not None or public_id is not None:
            where = f"SYSTEM {system_id}" if system_id is not None else f"PUBLIC {public_id}"
            raise _Refused(
                f"external entity '{entity}' ({where}) refused: the loader never fetches or "
                "reads anything an input names"
            )
        if notation is not None:
            raise _Refused(f"unparsed entity '{entity}' refused")

    def spend(size: int) -> None:
        state["text"] += size
        if state["text"] > budget:
            raise _Refused(
                f"entity expansion makes the text larger than {budget} bytes (more than "
                f"{MAX_EXPANSION} times the file): refused as an entity-expansion attack"
            )

    def element_started(tag: str, attributes: dict[str, str]) -> None:
        state["depth"] += 1
        if state["depth"] > MAX_XML_DEPTH:
            raise _Refused(f"elements nested deeper than {MAX_XML_DEPTH} levels are refused")
        spend(len(tag) + sum(len(k) + len(v) for k, v in attributes.items()))

    def element_ended(tag: str) -> None:
        state["depth"] -= 1

    def doctype_started(
        name: str, system_id: str | None, public_id: str | None, has_internal_subset: int
    ) -> None:
        if system_id is not None or public_id is not None:
            raise _Refused(
                f"the DOCTYPE names an external DTD ({system_id or public_id}): refused, the "
                "loader never fetches or reads anything an input names"
            )

    parser.StartDoctypeDeclHandler = doctype_started
    parser.EntityDeclHandler = entity_declared
    parser.StartElementHandler = element_started
    parser.EndElementHandler = element_ended
    parser.CharacterDataHandler = lambda text: spend(len(text))
    # Never resolve an external entity reference (also one from an external DTD subset).
    parser.ExternalEntityRefHandler = lambda *_: 1
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        raise ParseError(
            str(refusal),
            path=name,
            line=parser.CurrentLineNumber,
            column=parser.CurrentColumnNumber + 1,
        ) from None
    except pyexpat.ExpatError as error:
        message = "not well-formed XML: " + (
            pyexpat.ErrorString(error.code) if error.code else str(error)
        )
        if "amplification" in message:  # expat's own billion-laughs protection
            message = (
                "entity expansion grows the text too much: refused as an entity-expansion attack"
            )
        raise ParseError(message, path=name, line=error.lineno, column=error.offset + 1) from None
