"""Importing trademark register extracts (CSV/TSV, WIPO ST.66 XML) onto the ontology.

Each file becomes one named graph (default ``id/graph/import/{file stem}``), linked in the
default graph to a ``tm:Source`` by ``prov:wasDerivedFrom``. Each record becomes a
``tm:Registration`` ``id/registration/{cc}-{number}`` with its ``tm:Mark`` (one per distinct
text, ``id/mark/{slug}-{hash}``), its owners (``tm:Person`` or ``tm:Company``,
``id/party/{slug}-{hash}``, with ``tm:nationality`` where the file gives the owner's country),
Nice classes, ``tm:applicationNumber`` and (only where the file gives one: a pending application
has none) ``tm:registrationNumber``, dates typed by their precision, ``tm:status`` and its
``tm:statusDate``, ``tm:expiryDate`` and ``tm:renewalDate``. The readers (`kg.registries.csv`,
`kg.registries.st66`) check every value as they read it, so a bad value is reported with its file,
line and column; the quads then go through the same SHACL validation and single transaction as
`kg load` (`kg.ingest.load.load_quads`): an import is all or nothing, and importing the same file
twice adds nothing. See ``docs/registry-import.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import KGError, NotFound, ParseError
from kg.ingest.load import load_quads
from kg.namespaces import GRAPH, ID, TM
from kg.registries.csv import read_csv
from kg.registries.details import detail_quads
from kg.registries.iris import mark_iri, party_iri, registration_iri
from kg.registries.iris import node as _node
from kg.registries.kinds import kind_quads
from kg.registries.records import (
    FieldError,
    RegistryRecord,
    RowErrors,
    WarningTally,
    jurisdiction_code,
)
from kg.registries.sniff import xml_format
from kg.registries.st66 import read_st66
from kg.registries.st96 import read_st96
from kg.registries.uspto_daily import read_uspto_daily

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "FORMATS",
    "ImportReport",
    "ImportedFile",
    "detect_registry_format",
    "import_graph",
    "import_registry",
    "mark_iri",
    "party_iri",
    "read_registry",
    "registration_iri",
    "registry_quads",
]

FORMATS = ("csv", "tsv", "st66", "st96", "uspto")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xml": "xml", ".zip": "xml"}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NAME = ox.NamedNode("https://schema.org/name")
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_DEFAULT = ox.DefaultGraph()


def _tm(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(getattr(TM, local)))  # TM is closed: a typo raises at import


_TERM = {
    local: _tm(local)
    for local in (
        *("SourceGraph", "Source", "Registration", "Mark", "Company", "mark", "jurisdiction"),
        *("registrationNumber", "text", "owner", "niceClass", "filingDate", "registrationDate"),
        *("status", "Person", "applicationNumber", "statusDate", "expiryDate", "renewalDate"),
        "nationality",
    )
}


def import_graph(name: str) -> str:
    """The default named graph of an imported file: ``id/graph/import/{file stem}``.

    >>> import_graph("data/registry 2024.csv")
    'https://w3id.org/tmkg/id/graph/import/registry%202024'
    """
    return f"{GRAPH}import/{quote(Path(name).stem, safe='')}"


# ------------------------------------------------------------------ records -> quads


@dataclass(frozen=True)
class ImportedFile:
    """The quads of one register extract, ready to validate and commit."""

    name: str
    graph: str
    records: int
    quads: tuple[ox.Quad, ...]
    origins: dict[ox.NamedNode, str]
    """Where each subject was first stated (``file:line``), for validation messages."""
    warnings: tuple[str, ...] = ()


def registry_quads(
    records: Iterable[RegistryRecord],
    *,
    name: str,
    errors: RowErrors,
    graph: str | None = None,
    source_title: str | None = None,
    warnings: Sequence[str] | WarningTally = (),
) -> ImportedFile:
    """Map checked records onto the ontology, in one named graph derived from one source.

    A registration stated twice with different values is an error naming both lines.
    """
    target = ox.NamedNode(graph or import_graph(name))
    source = ox.NamedNode(f"{ID}source/import/{quote(Path(name).stem, safe='')}")
    quads = [
        ox.Quad(target, _RDF_TYPE, _TERM["SourceGraph"], _DEFAULT),
        ox.Quad(target, _DERIVED, source, _DEFAULT),
        ox.Quad(source, _RDF_TYPE, _TERM["Source"], _DEFAULT),
        ox.Quad(source, _TITLE, ox.Literal(source_title or Path(name).name), _DEFAULT),
    ]
    origins: dict[ox.NamedNode, str] = {target: name, source: name}
    seen: dict[str, RegistryRecord] = {}
    owned: dict[str, set[str]] = {}
    kinds: dict[str, tuple[str, int]] = {}
    countries: dict[str, tuple[str, int]] = {}
    count = 0

    def add_owners(registration: ox.NamedNode, record: RegistryRecord) -> None:
        names = owned.setdefault(registration.value, set())
        for owner in record.owners:
            if owner.name in names:
                continue
            names.add(owner.name)
            node = _node(party_iri(owner.name))
            origins.setdefault(node, f"{name}:{record.line}")
            stated = kinds.setdefault(owner.name, (owner.kind, record.line)) if owner.kind else None
            if stated is not None and stated[0] != owner.kind:
                errors.add(
                    record.line,
                    None,
                    f'owner "{owner.name}" is a {owner.kind} here, a {stated[0]} on line '
                    f"{stated[1]}",
                )
            quads.extend(
                (
                    ox.Quad(registration, _TERM["owner"], node, target),
                    ox.Quad(node, _RDF_TYPE, _TERM[_PARTY_TYPE[owner.kind]], target),
                    ox.Quad(node, _NAME, ox.Literal(owner.name), target),
                )
            )
            if owner.country:
                first = countries.setdefault(owner.name, (owner.country, record.line))
                if first[0] != owner.country:
                    errors.add(
                        record.line,
                        None,
                        f'owner "{owner.name}" is of {owner.country} here, of {first[0]} on '
                        f"line {first[1]}",
                    )
                country = _node(f"{ID}jurisdiction/{owner.country}")
                quads.append(ox.Quad(node, _TERM["nationality"], country, target))

    for record in records:
        iri = registration_iri(record.jurisdiction, record.number)
        first = seen.setdefault(iri, record)
        if first is not record:
            if _content(first) != _content(record):
                errors.add(
                    record.line,
                    None,
                    f"registration {record.jurisdiction}-{record.number} is already on line "
                    f"{first.line} with other values",
                )
            else:  # the same registration again: one more co-owner (one row per owner)
                add_owners(ox.NamedNode(iri), record)
            continue
        count += 1
        where = f"{name}:{record.line}"
        registration = ox.NamedNode(iri)
        mark = _node(mark_iri(record.mark))
        origins[registration] = where
        origins.setdefault(mark, where)
        quads += [
            ox.Quad(registration, _RDF_TYPE, _TERM["Registration"], target),
            ox.Quad(registration, _TERM["mark"], mark, target),
            ox.Quad(
                registration,
                _TERM["jurisdiction"],
                _node(f"{ID}jurisdiction/{record.jurisdiction}"),
                target,
            ),
            ox.Quad(mark, _RDF_TYPE, _TERM["Mark"], target),
            ox.Quad(mark, _TERM["text"], ox.Literal(record.mark), target),
        ]
        # A pending application has no registration number: only the numbers the file gives.
        for term, number in (
            ("applicationNumber", record.application_number),
            ("registrationNumber", record.registration_number),
        ):
            if number:
                quads.append(ox.Quad(registration, _TERM[term], ox.Literal(number), target))
        add_owners(registration, record)
        for number in record.classes:
            nice = _node(f"{ID}nice/{number}")
            quads.append(ox.Quad(registration, _TERM["niceClass"], nice, target))
        if record.filing_date is not None:
            quads.append(ox.Quad(registration, _TERM["filingDate"], record.filing_date, target))
        for term, date in (
            ("registrationDate", record.registration_date),
            ("statusDate", record.status_date),
            ("expiryDate", record.expiry_date),
            ("renewalDate", record.renewal_date),
        ):
            if date is not None:
                quads.append(ox.Quad(registration, _TERM[term], date, target))
        if record.status:
            status = ox.Literal(record.status)
            quads.append(ox.Quad(registration, _TERM["status"], status, target))
        quads += kind_quads(registration, record, target)  # kind of mark, national classes
        quads += detail_quads(registration, record, target)  # claims, texts, events...
    errors.raise_if_any()
    return ImportedFile(
        name=name,
        graph=target.value,
        records=count,
        quads=tuple(quads),
        origins=origins,
        warnings=tuple(warnings.lines() if isinstance(warnings, WarningTally) else warnings),
    )


_PARTY_TYPE = {"person": "Person", "company": "Company", None: "Company"}


def _content(record: RegistryRecord) -> tuple:
    """What two statements of one registration must agree on (owners may add up)."""
    return tuple(
        getattr(record, field.name)
        for field in fields(record)
        if field.name not in {"line", "owners", "record_id"}
    )


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
            suggestion="docs/registry-import.md, section \"Registers in other layouts\", maps "
            "KIPRIS, IPONZ, TIPO and EUIPO files to CSV step by step",
        )
    what = f'extension "{suffix}"' if suffix else "no extension"
    raise ParseError(
        f"unknown registry format ({what}); {_READ}",
        path=name,
        suggestion="if the file is CSV, TSV or register XML under another name, pass --format "
        "csv, tsv, st66, st96 or uspto",
    )


_FORMAT_HINT = (
    "pass --format csv, tsv, st66, st96 or uspto (by extension: .csv, .tsv/.tab; .xml and .zip "
    "by their root element)"
)
_READ = (
    "tmkg reads CSV (.csv), TSV (.tsv, .tab), WIPO ST.66 and ST.96 XML and USPTO Trademark "
    "Daily XML (.xml, or zipped) register extracts"
)


def _xml_format(name: str) -> str:
    path = Path(name)
    if not path.is_file():
        return "st66"  # the caller says the file is missing
    found = xml_format(path)
    if found is None:
        raise ParseError(
            "not a register file tmkg reads: its root element is none of ST.66 Transaction, "
            "ST.96 TrademarkTransaction or USPTO trademark-applications-daily",
            path=name,
            suggestion="check that the file is XML from a trademark office; " + _READ,
        )
    return found


def read_registry(
    path: str | Path,
    *,
    format_name: str | None = None,
    jurisdiction: str | None = None,
    graph: str | None = None,
    source_title: str | None = None,
    progress: bool = False,
) -> ImportedFile:
    """Read and map one register extract; raise `ParseError` naming the first bad value.

    `jurisdiction` is used where a record names none (an empty cell, a column or an ST.66
    ``RegistrationOfficeCode`` that is absent).
    """
    name = str(path)
    if Path(path).is_dir():
        raise ParseError(
            "is a directory, not a register extract",
            path=name,
            suggestion=f"name the files in it, e.g. {Path(name) / '*.xml'}",
        )
    kind = detect_registry_format(name, format_name)
    default = None
    if jurisdiction is not None:
        try:
            default = jurisdiction_code(jurisdiction)
        except FieldError as error:
            raise KGError(f"--jurisdiction: {error}") from None
    if not Path(path).is_file():
        raise NotFound(f"no such file: {path}")
    errors = RowErrors(name)
    if kind in _XML_READERS:
        records, warnings = _XML_READERS[kind](Path(path), default, errors, progress=progress)
    else:
        delimiter = "\t" if kind == "tsv" else ","
        records, warnings = read_csv(Path(path), delimiter, default, errors, progress=progress)
    return registry_quads(
        records,
        name=name,
        errors=errors,
        graph=graph,
        source_title=source_title,
        warnings=warnings,
    )


_XML_READERS = {"st66": read_st66, "st96": read_st96, "uspto": read_uspto_daily}


@dataclass(frozen=True)
class ImportReport:
    """What an import did: files, registrations, quads read and newly added, warnings."""

    files: tuple[str, ...]
    records: int
    quads_read: int
    quads_added: int
    warnings: tuple[str, ...] = ()


def import_registry(
    graph: KnowledgeGraph,
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    jurisdiction: str | None = None,
    graph_iri: str | None = None,
    source_title: str | None = None,
    check: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Read, validate and commit register extracts as one transaction (nothing on error).

    With ``check=True`` everything is read and validated against the store, and nothing is
    written.
    """
    if not paths:
        raise KGError("nothing to import", suggestion="name one or more files")
    files = [
        read_registry(
            path,
            format_name=format_name,
            jurisdiction=jurisdiction,
            graph=graph_iri,
            source_title=source_title,
            progress=progress,
        )
        for path in paths
    ]
    origins: dict[object, str] = {}
    for file in files:
        for node, where in file.origins.items():
            origins.setdefault(node, where)
    report = load_quads(
        graph.store,
        (quad for file in files for quad in file.quads),
        files=[file.name for file in files],
        origins=origins,
        commit=not check,
    )
    if report.quads_added:
        graph.changed()
    return ImportReport(
        files=report.files,
        records=sum(file.records for file in files),
        quads_read=report.quads_read,
        quads_added=report.quads_added,
        warnings=tuple(w for file in files for w in file.warnings) + report.warnings,
    )
