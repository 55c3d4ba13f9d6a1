"""What register format an XML file (or the XML in a zip archive) is, from its root element.

The root element is read with expat (the standard library's XML parser), stopping at the
first start tag: no DTD is loaded and nothing is fetched.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

__all__ = ["ROOTS", "inspect_root", "root_element", "xml_format"]

ROOTS = {
    "trademark-applications-daily": "uspto",
    "case-file": "uspto",
    "TrademarkTransaction": "st96",
    "TrademarkApplication": "st96",  # CIPO's ST.96 bulk files: one per application
    "Transaction": "st66",
    "MARKGR": "madrid",  # WIPO's Madrid (ROMARIN) XML: one international registration
    "ROMARIN": "madrid",  # … or several under one root
}
"""Root element local names of the register formats `kg import` reads, and their format."""


class _Found(Exception):
    def __init__(self, namespace: str | None, local: str) -> None:
        self.namespace, self.local = namespace, local


def root_element(stream: BinaryIO, limit: int = 1 << 20) -> tuple[str | None, str] | None:
    """The (namespace, local name) of the first start tag in the first `limit` bytes, or None
    where there is none (not XML, or XML broken before its root)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, _attributes: object) -> None:
        namespace, _, local = name.rpartition(" ")
        raise _Found(namespace or None, local)

    parser.StartElementHandler = start
    read = 0
    try:
        while read < limit:
            chunk = stream.read(65536)
            read += len(chunk)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    except _Found as found:
        return found.namespace, found.local
    except expat.ExpatError:
        return None
    return None


def xml_format(path: Path) -> str | None:
    """ "uspto", "st96" or "st66" from the root element of `path` (for a zip archive, of its
    first ``.xml`` member), else None."""
    return inspect_root(path)[0]


def inspect_root(path: Path) -> tuple[str | None, str]:
    """The register format of `path` as `xml_format` finds it, and what was found, in words
    for a message: ``"its root element is <Register>"``, ``"it is a zip archive with no .xml
    member"``, ``"it is not XML (no element in its first 1 MB)"``..."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".xml")]
            if not members:
                return None, "it is a zip archive with no .xml member"
            with archive.open(members[0]) as stream:
                found = root_element(stream)
            where = f" of its member {members[0]}"
    elif path.suffix.lower() == ".zip":
        return None, "it is named .zip but is not a zip archive"
    else:
        with path.open("rb") as stream:
            found = root_element(stream)
        where = ""
    if found is None:
        return None, f"the content{where} is not XML (no element in its first 1 MB)"
    namespace, local = found
    shown = f"<{local}> in namespace {namespace}" if namespace else f"<{local}>"
    return ROOTS.get(local), f"the root element{where} is {shown}"
