"""Text every XML 1.0 parser accepts, for the XML that tmkg writes.

XML 1.0 forbids most control characters (NUL, ESC, U+0001, U+000B, ...), the surrogates and
U+FFFE/U+FFFF even as character references, so a literal holding one makes a GraphML, GEXF,
SVG, RDF/XML or SPARQL XML results document that no parser reads. tmkg's policy: in XML
output, each such character is replaced by U+FFFD (the replacement character) and the writer
says how many it replaced; every other format keeps the text as it is.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "xml_safe", "xml_safe_bytes", "xml_safe_count"]

REPLACEMENT = "\ufffd"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same characters in UTF-8: C0 bytes never occur inside a multi-byte sequence, and
# U+FFFE/U+FFFF are EF BF BE/BF (a UTF-8 serializer writes no surrogates).
_NOT_XML_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def xml_safe(text: str) -> str:
    r"""`text` with every character XML 1.0 forbids replaced by U+FFFD.

    >>> xml_safe("AWS\x00\x1b[31m\ufffe")
    'AWS��[31m�'
    """
    return _NOT_XML.sub(REPLACEMENT, text)


def xml_safe_count(text: str) -> tuple[str, int]:
    """`xml_safe(text)` and how many characters it replaced."""
    return _NOT_XML.subn(REPLACEMENT, text)


def xml_safe_bytes(document: bytes) -> tuple[bytes, int]:
    r"""A UTF-8 XML document as a serializer wrote it, made well-formed: every character
    XML 1.0 forbids (they can only be in text and attribute values) becomes U+FFFD.
    Returns the document and how many characters were replaced.

    >>> xml_safe_bytes(b"<a>x\x00y</a>")
    (b'<a>x\xef\xbf\xbdy</a>', 1)
    """
    return _NOT_XML_UTF8.subn(REPLACEMENT.encode(), document)
