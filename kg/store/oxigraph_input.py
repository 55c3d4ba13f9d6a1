"""What Oxigraph does to the input it reads: UTF-8 text only, literals stored in canonical form.

Oxigraph's parsers decode UTF-8 and nothing else, and some of them stumble on a leading
byte-order mark that every editor hides (Turtle said "\\ufeff is not a valid subject"): the
loader drops a UTF-8 BOM (`without_bom`) and, when a parse fails on bytes that are not UTF-8,
says so with the line and column of the first bad byte (`require_utf8`). The encoding is never
guessed: a file in Latin-1, GBK or UTF-16 is refused with a hint to save it as UTF-8.

The store keeps numbers, booleans, dates, times and durations as values, not as text:
``"01"^^xsd:integer`` and ``"+1"^^xsd:integer`` are both stored as ``"1"``, ``"1.50"^^xsd:decimal``
as ``"1.5"``. `stored_forms` gives the form the store will keep, so that a load counts and
validates what it will store.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import ParseError

__all__ = ["require_utf8", "stored_forms", "without_bom"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Text the store keeps as it was read; every other literal goes through the engine once.
_VERBATIM = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
_PROBE = ox.NamedNode("urn:tmkg:stored-form")
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def without_bom(data: bytes) -> bytes:
    r"""The bytes without a leading UTF-8 byte-order mark (which says nothing in UTF-8).

    >>> without_bom(b"\xef\xbb\xbf<a> <b> <c> .")
    b'<a> <b> <c> .'
    """
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def require_utf8(data: bytes, name: str, what: str = "RDF") -> None:
    r"""Raise `ParseError` at the first byte that is not UTF-8 (or is NUL), else nothing.

    The message names the line and column (in characters) of that byte, and how to convert.

    >>> require_utf8('<a> <b> "café" .'.encode("latin-1"), "x.ttl")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: x.ttl:1:13: byte 0xe9 is not UTF-8: tmkg reads RDF as UTF-8 only ...

    A file that ends inside a character is valid UTF-8 cut short, not another encoding:

    >>> require_utf8('<a> <b> "caf'.encode() + "é".encode()[:1], "cut.ttl")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: cut.ttl:1:13: the file ends inside a UTF-8 character: ...
    """
    for bom, encoding in _FOREIGN_BOMS:
        if data.startswith(bom):
            bad, problem = 0, f"the {encoding} byte-order mark says the text is {encoding}"
            convert = f"iconv -f {encoding} -t UTF-8"
            break
    else:
        cut = False
        try:
            data.decode("utf-8")
            bad = len(data)
        except UnicodeDecodeError as error:
            bad = error.start
            cut = error.reason == "unexpected end of data"
        nul = data.find(b"\0", 0, bad)
        if nul >= 0:
            bad, problem = nul, "a NUL byte (UTF-16 or UTF-32?)"
        elif cut:
            start = data.rfind(b"\n", 0, bad) + 1
            raise ParseError(
                "the file ends inside a UTF-8 character: it looks cut short",
                path=name,
                line=data.count(b"\n", 0, bad) + 1,
                column=len(data[start:bad].decode("utf-8", errors="replace")) + 1,
                suggestion="check that the file is complete (a download or copy cut short?)",
            )
        elif bad < len(data):
            problem = f"byte 0x{data[bad]:02x} is not UTF-8"
        else:
            return
        convert = "iconv -f OLD -t UTF-8, OLD being its encoding: LATIN1, CP1252, GBK…"
    start = data.rfind(b"\n", 0, bad) + 1
    raise ParseError(
        f"{problem}: tmkg reads {what} as UTF-8 only",
        path=name,
        line=data.count(b"\n", 0, bad) + 1,
        column=len(data[start:bad].decode("utf-8", errors="replace")) + 1,
        suggestion=f"save the file as UTF-8, e.g. with {convert}",
    )


def stored_forms(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """Each literal the store would keep in another form, mapped to that form.

    >>> integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    >>> stored_forms([ox.Literal("01", datatype=integer), ox.Literal("1", datatype=integer)])
    {<Literal value=01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>: \
<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>}
    """
    typed = list(dict.fromkeys(lit for lit in literals if lit.datatype.value not in _VERBATIM))
    if not typed:
        return {}
    # An in-memory store encodes each literal exactly as the persistent one will.
    engine = ox.Store()
    engine.extend(
        ox.Quad(ox.NamedNode(f"urn:tmkg:literal:{i}"), _PROBE, literal)
        for i, literal in enumerate(typed)
    )
    forms: dict[ox.Literal, ox.Literal] = {}
    for quad in engine.quads_for_pattern(None, _PROBE, None):
        literal = typed[int(quad.subject.value.rsplit(":", 1)[1])]
        if quad.object != literal:
            forms[literal] = quad.object  # type: ignore[assignment]
    return forms
