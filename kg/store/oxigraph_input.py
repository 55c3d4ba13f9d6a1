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

__all__ = ["require_utf8", "stored_forms", "wide_encoding", "without_bom"]

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

    The message names the line and column (in characters) of that byte, and how to convert;
    a NUL byte is named as the text of another encoding only where `wide_encoding` finds one,
    else as the stray control character it is.

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
        wide = wide_encoding(data) if nul >= 0 else None
        if nul >= 0 and wide is None:
            raise ParseError(
                "a NUL byte (U+0000), a control character no text may hold",
                path=name,
                **_position(data, nul),
                suggestion="remove it, e.g. with tr -d '\\000' < FILE > NEW",
            )
        if wide is not None:
            bad, problem = nul, f"NUL bytes between the characters: the text looks {wide}"
            convert = f"iconv -f {wide} -t UTF-8"
        elif cut:
            raise ParseError(
                "the file ends inside a UTF-8 character: it looks cut short",
                path=name,
                **_position(data, bad),
                suggestion="check that the file is complete (a download or copy cut short?)",
            )
        elif bad < len(data):
            problem = f"byte 0x{data[bad]:02x} is not UTF-8"
        else:
            return
        if wide is None:
            convert = "iconv -f OLD -t UTF-8, OLD being its encoding: LATIN1, CP1252, GBK…"
    raise ParseError(
        f"{problem}: tmkg reads {what} as UTF-8 only",
        path=name,
        **_position(data, bad),
        suggestion=f"save the file as UTF-8, e.g. with {convert}",
    )


def _position(data: bytes, offset: int) -> dict[str, int]:
    """The 1-based line and column (in characters) of the byte at `offset`."""
    start = data.rfind(b"\n", 0, offset) + 1
    return {
        "line": data.count(b"\n", 0, offset) + 1,
        "column": len(data[start:offset].decode("utf-8", errors="replace")) + 1,
    }


def wide_encoding(data: bytes, sample: int = 4096) -> str | None:
    r"""The encoding `data` reads as when it is UTF-16 or UTF-32 text without a byte-order
    mark, else None: NUL bytes are a quarter or more of its first `sample` bytes (UTF-16
    gives every Latin character one NUL byte, UTF-32 three), where UTF-8 text holds a NUL only
    as a stray control character. The byte order is where the first character's NULs are.

    >>> [wide_encoding("mark,owner".encode(e)) for e in ("utf-16-le", "utf-16-be", "utf-32-le")]
    ['UTF-16LE', 'UTF-16BE', 'UTF-32LE']
    >>> wide_encoding(b"mark,ow\0ner") is None
    True
    """
    head = data[:sample]
    if not head or head.count(0) * 4 < len(head):
        return None
    width = 4 if head.count(0) * 3 >= len(head) * 2 else 2
    order = "BE" if head[0] == 0 else "LE"
    return f"UTF-{8 * width}{order}"


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
