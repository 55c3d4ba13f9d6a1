"""Which register file `kg import` is reading: its format, from the name given, its extension
or, for XML and zip files, its root element (`kg.registries.sniff`); and the refusals of
files it cannot read (a folder, a missing or empty file, JSON, an unknown root), each saying
what the file is and what tmkg reads instead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError, NotFound, ParseError
from kg.registries.sniff import inspect_root

__all__ = ["FORMATS", "XML_FORMATS", "Plan", "detect_registry_format", "plan_file"]

XML_FORMATS = frozenset({"st66", "st96", "uspto", "madrid"})
"""The formats read from XML (plain or zipped)."""
FORMATS = ("csv", "tsv", "st66", "st96", "uspto", "madrid")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xml": "xml", ".zip": "xml"}
# ------------------------------------------------------------------ files


def detect_registry_format(name: str, format_name: str | None = None) -> str:
    """``csv``, ``tsv``, ``st66``, ``st96`` or ``uspto``, from `format_name` or else the file
    extension; for ``.xml`` and ``.zip`` files, their root element (`kg.registries.sniff`).

    >>> detect_registry_format("extract.TSV")
    'tsv'
    """
    if format_name:
        if format_name not in FORMATS:
            raise KGError(f"unknown registry format {format_name!r}", suggestion=_FORMAT_HINT)
        return format_name
    suffix = Path(name).suffix.lower()
    found = _EXTENSIONS.get(suffix)
    if found == "xml":
        return _xml_format(name)
    if found is not None:
        return found
    if suffix == ".json":
        raise ParseError(
            "JSON registers (such as IPONZ's or KIPRIS's) have no standard layout: map one to "
            f"the CSV columns first; {_READ}",
            path=name,
            suggestion='docs/registry-import.md, section "Registers in other layouts", maps '
            "KIPRIS, IPONZ, TIPO and EUIPO files to CSV step by step",
        )
    what = f'extension "{suffix}"' if suffix else "no extension"
    raise ParseError(
        f"unknown registry format ({what}); {_READ}",
        path=name,
        suggestion="if the file is CSV, TSV or register XML under another name, pass --format "
        "csv, tsv, st66, st96, uspto or madrid",
    )


_FORMAT_HINT = (
    "pass --format csv, tsv, st66, st96, uspto or madrid (by extension: .csv, .tsv/.tab; .xml "
    "and .zip by their root element)"
)
_READ = (
    "tmkg reads CSV (.csv), TSV (.tsv, .tab), WIPO ST.66 and ST.96 XML, USPTO Trademark "
    "Daily XML and WIPO Madrid (ROMARIN) XML (.xml, or zipped) register extracts"
)


def _xml_format(name: str) -> str:
    path = Path(name)
    if not path.is_file():
        return "st66"  # the caller says the file is missing
    _refuse_empty(path)
    found, what = inspect_root(path)
    if found is None:
        roots = (
            ", none of ST.66 Transaction, ST.96 TrademarkTransaction, USPTO "
            "trademark-applications-daily or WIPO MARKGR"
            if what.startswith("the root element")
            else ""
        )
        raise ParseError(
            f"not a register file tmkg reads: {what}{roots}",
            path=name,
            suggestion="check that the file is XML from a trademark office; " + _READ + "; "
            "registers in other layouts (KIPRIS, TIPO, IPONZ...) map onto the CSV columns: "
            'docs/registry-import.md, "Registers in other layouts"',
        )
    return found


@dataclass(frozen=True)
class Plan:
    """A file to import, checked before anything is read: it exists and its format is known."""

    path: Path
    kind: str

    @property
    def name(self) -> str:
        return str(self.path)


def plan_file(path: str | Path, format_name: str | None) -> Plan:
    name = str(path)
    if Path(path).is_dir():
        raise ParseError(
            "is a directory, not a register extract",
            path=name,
            suggestion=f"name the files in it, e.g. {Path(name) / '*.xml'}",
        )
    if Path(path).exists() and not Path(path).is_file():
        raise ParseError(
            "is no regular file (a pipe, a FIFO or a device): kg import reads a register "
            "file more than once",
            path=name,
            suggestion="save it to a file and import that file; kg load reads pipes",
        )
    kind = detect_registry_format(name, format_name)
    if not Path(path).is_file():
        raise NotFound(f"no such file: {path}")
    if kind in XML_FORMATS:
        _refuse_empty(Path(path))
    return Plan(Path(path), kind)


def _refuse_empty(path: Path) -> None:
    """An empty XML file (no bytes, or only white space) is an error, whatever its format:
    it states nothing, and an import that reads nothing from it would look like success."""
    size = path.stat().st_size
    if size > 65536:
        return
    data = path.read_bytes()
    if not data.strip():
        what = "0 bytes" if not data else "only white space"
        raise ParseError(
            f"the file is empty ({what}): a register file holds XML",
            path=str(path),
            suggestion="check that the download or export completed",
        )
