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

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import KGError, NotFound, ParseError
from kg.ingest.load import LoadReport, load_quads
from kg.namespaces import GRAPH, ID, TM
from kg.registries.csv import read_csv
from kg.registries.details import detail_quads
from kg.registries.iris import mark_iri, party_iri, registration_iri
from kg.registries.iris import node as _node
from kg.registries.kinds import kind_quads
from kg.registries.madrid import read_madrid
from kg.registries.records import (
    FieldError,
    Owner,
    RegistryRecord,
    RowErrors,
    WarningTally,
    jurisdiction_code,
)
from kg.registries.sniff import xml_format
from kg.registries.st66 import gather_st66_parties, read_st66
from kg.registries.st96 import read_st96
from kg.registries.uspto_daily import read_uspto_daily
from kg.registries.versions import (
    OWNED_LINKS,
    RecordStates,
    current_state,
    is_import_graph,
    make_history,
    newer,
    newer_or_same,
    version_quads,
    was_replaced,
)
from kg.store import Store
from kg.store.oxigraph import OxigraphStore, Stage

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

FORMATS = ("csv", "tsv", "st66", "st96", "uspto", "madrid")
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
        *("nationality", "recordDate"),
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


class _Mapper:
    """Maps one file's checked records onto the ontology, one record at a time, in one named
    graph derived from one source. Remembers only what it must to check the file as a whole
    (each registration's single values, each owner's kind and country), never the quads."""

    def __init__(
        self,
        name: str,
        errors: RowErrors,
        graph: str | None = None,
        source_title: str | None = None,
    ) -> None:
        self.name, self.errors = name, errors
        self.target = ox.NamedNode(graph or import_graph(name))
        self.source = ox.NamedNode(f"{ID}source/import/{quote(Path(name).stem, safe='')}")
        self.title = ox.Literal(source_title or Path(name).name)
        self.seen: dict[str, tuple[int, int]] = {}
        self.kinds: dict[str, tuple[str, int]] = {}
        self.countries: dict[str, tuple[str, int]] = {}
        self.count = 0
        self.lenient: WarningTally | None = None
        """Where owners that disagree go in an office's file (None: a CSV's errors)."""

    def header(self) -> list[ox.Quad]:
        """The graph's link to its source, in the default graph."""
        return [
            ox.Quad(self.target, _RDF_TYPE, _TERM["SourceGraph"], _DEFAULT),
            ox.Quad(self.target, _DERIVED, self.source, _DEFAULT),
            ox.Quad(self.source, _RDF_TYPE, _TERM["Source"], _DEFAULT),
            ox.Quad(self.source, _TITLE, self.title, _DEFAULT),
        ]

    def registration(self, record: RegistryRecord) -> ox.NamedNode:
        return ox.NamedNode(registration_iri(record.jurisdiction, record.number))

    def record(self, record: RegistryRecord) -> list[ox.Quad] | None:
        """The quads of `record`; None where it states a registration this file stated before
        with other single values (an error is added naming both lines). A registration stated
        again with the same single values adds its multi-valued facts (co-owners, classes,
        goods and services: one row per owner or class)."""
        registration = self.registration(record)
        key = hash(_content(record))
        first = self.seen.setdefault(registration.value, (record.line, key))
        if first[0] != record.line or first[1] != key:
            if first[1] != key:
                self.errors.add(
                    record.line,
                    None,
                    f"registration {record.jurisdiction}-{record.number} is already on line "
                    f"{first[0]} with other values",
                )
                return None
        else:
            self.count += 1
        return self.quads(registration, record)

    def quads(self, registration: ox.NamedNode, record: RegistryRecord) -> list[ox.Quad]:
        """`record` stated about `registration` (the registration's IRI, or a version's)."""
        target = self.target
        mark = _node(mark_iri(record.mark))
        quads = [
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
        for owner in record.owners:
            quads += self.owner(registration, owner, record.line)
        for number in record.classes:
            nice = _node(f"{ID}nice/{number}")
            quads.append(ox.Quad(registration, _TERM["niceClass"], nice, target))
        for term, date in (
            ("filingDate", record.filing_date),
            ("registrationDate", record.registration_date),
            ("statusDate", record.status_date),
            ("expiryDate", record.expiry_date),
            ("renewalDate", record.renewal_date),
            ("recordDate", record.as_of),
        ):
            if date is not None:
                quads.append(ox.Quad(registration, _TERM[term], date, target))
        if record.status:
            status = ox.Literal(record.status)
            quads.append(ox.Quad(registration, _TERM["status"], status, target))
        quads += kind_quads(registration, record, target)  # kind of mark, national classes
        quads += detail_quads(registration, record, target)  # claims, texts, events...
        return quads

    def owner(self, registration: ox.NamedNode, owner: Owner, line: int) -> list[ox.Quad]:
        """An owner's quads. One name given two kinds or two countries in a file is an error
        in a CSV the user wrote; in an office's file (ST.66, ST.96, USPTO, Madrid: hundreds of
        thousands of records, where the same name is an individual here and a sole
        proprietorship there) it is a warning, and the kind or country first stated is kept."""
        node = _node(party_iri(owner.name))
        kind = owner.kind
        if kind:
            stated = self.kinds.setdefault(owner.name, (kind, line))
            if stated[0] != kind:
                self.disagree(
                    line,
                    "kinds",
                    f'owner "{owner.name}" is a {kind} here, a {stated[0]} on line {stated[1]}',
                )
                kind = stated[0]
        quads = [
            ox.Quad(registration, _TERM["owner"], node, self.target),
            ox.Quad(node, _RDF_TYPE, _TERM[_PARTY_TYPE[kind]], self.target),
            ox.Quad(node, _NAME, ox.Literal(owner.name), self.target),
        ]
        if owner.country:
            first = self.countries.setdefault(owner.name, (owner.country, line))
            if first[0] != owner.country:
                self.disagree(
                    line,
                    "countries",
                    f'owner "{owner.name}" is of {owner.country} here, of {first[0]} on '
                    f"line {first[1]}",
                )
            country = _node(f"{ID}jurisdiction/{first[0]}")
            quads.append(ox.Quad(node, _TERM["nationality"], country, self.target))
        return quads

    def disagree(self, line: int, what: str, message: str) -> None:
        if self.lenient is None:
            self.errors.add(line, None, message)
        else:
            self.lenient.add(f"one owner name given two {what}: the first kept", line, message)

    def where(self, record: RegistryRecord) -> str:
        return f"{self.name}:{record.line}"


def registry_quads(
    records: Iterable[RegistryRecord],
    *,
    name: str,
    errors: RowErrors,
    graph: str | None = None,
    source_title: str | None = None,
    warnings: Sequence[str] | WarningTally = (),
    lenient: bool = False,
) -> ImportedFile:
    """Map checked records onto the ontology, in one named graph derived from one source, all
    in memory (`import_registry` streams instead).

    A registration stated twice with different single values is an error naming both lines;
    so is an owner name given two kinds or countries, unless `lenient` (an office's file: a
    warning, see `_Mapper.owner`).
    """
    mapper = _Mapper(name, errors, graph, source_title)
    if lenient:
        mapper.lenient = WarningTally(name)
    quads = mapper.header()
    origins: dict[ox.NamedNode, str] = {mapper.target: name, mapper.source: name}
    for record in records:
        stated = mapper.record(record)
        if stated is None:
            continue
        for quad in stated:
            origins.setdefault(quad.subject, mapper.where(record))  # type: ignore[arg-type]
        quads += stated
    errors.raise_if_any()
    return ImportedFile(
        name=name,
        graph=mapper.target.value,
        records=mapper.count,
        quads=tuple(dict.fromkeys(quads)),
        origins=origins,
        warnings=tuple(warnings.lines() if isinstance(warnings, WarningTally) else warnings)
        + tuple(mapper.lenient.lines() if mapper.lenient is not None else ()),
    )


_PARTY_TYPE = {"person": "Person", "company": "Company", None: "Company"}
_MULTI_VALUED = {
    "line",
    "owners",
    "record_id",
    "classes",
    "national_classes",
    "vienna_codes",
    "goods_services",
    "priority_claims",
    "translations",
    "transliterations",
    "disclaimers",
    "representatives",
    "events",
    "ownership_changes",
    "designations",
    "design_codes",
}
"""Fields a registration stated on several rows (one per owner, per class) may add up."""


def _content(record: RegistryRecord) -> tuple:
    """What two statements of one registration must agree on (its single values)."""
    return tuple(
        getattr(record, field.name) for field in fields(record) if field.name not in _MULTI_VALUED
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
    found = xml_format(path)
    if found is None:
        raise ParseError(
            "not a register file tmkg reads: its root element is none of ST.66 Transaction, "
            "ST.96 TrademarkTransaction, USPTO trademark-applications-daily or WIPO MARKGR",
            path=name,
            suggestion="check that the file is XML from a trademark office; " + _READ,
        )
    return found


@dataclass(frozen=True)
class _Plan:
    """A file to import, checked before anything is read: it exists and its format is known."""

    path: Path
    kind: str

    @property
    def name(self) -> str:
        return str(self.path)


def _plan(path: str | Path, format_name: str | None) -> _Plan:
    name = str(path)
    if Path(path).is_dir():
        raise ParseError(
            "is a directory, not a register extract",
            path=name,
            suggestion=f"name the files in it, e.g. {Path(name) / '*.xml'}",
        )
    kind = detect_registry_format(name, format_name)
    if not Path(path).is_file():
        raise NotFound(f"no such file: {path}")
    return _Plan(Path(path), kind)


def _default_jurisdiction(jurisdiction: str | None) -> str | None:
    if jurisdiction is None:
        return None
    try:
        return jurisdiction_code(jurisdiction)
    except FieldError as error:
        raise KGError(f"--jurisdiction: {error}") from None


def _read(
    plan: _Plan,
    default: str | None,
    errors: RowErrors,
    progress: bool,
    parties: dict[str, tuple[str, Owner]] | None = None,
) -> tuple[Iterable[RegistryRecord], Sequence[str] | WarningTally]:
    if plan.kind == "st66":
        return read_st66(plan.path, default, errors, progress=progress, parties=parties)
    if plan.kind in _XML_READERS:
        return _XML_READERS[plan.kind](plan.path, default, errors, progress=progress)
    delimiter = "\t" if plan.kind == "tsv" else ","
    return read_csv(plan.path, delimiter, default, errors, progress=progress)


def read_registry(
    path: str | Path,
    *,
    format_name: str | None = None,
    jurisdiction: str | None = None,
    graph: str | None = None,
    source_title: str | None = None,
    progress: bool = False,
) -> ImportedFile:
    """Read and map one register extract in memory; raise `ParseError` naming the first bad
    value (`import_registry` streams files into the store instead).

    `jurisdiction` is used where a record names none (an empty cell, a column or an ST.66
    ``RegistrationOfficeCode`` that is absent).
    """
    plan = _plan(path, format_name)
    default = _default_jurisdiction(jurisdiction)
    errors = RowErrors(plan.name)
    records, warnings = _read(plan, default, errors, progress)
    return registry_quads(
        records,
        name=plan.name,
        errors=errors,
        graph=graph,
        source_title=source_title,
        warnings=warnings,
        lenient=plan.kind in _XML_READERS,
    )


_XML_READERS = {
    "st66": read_st66,
    "st96": read_st96,
    "uspto": read_uspto_daily,
    "madrid": read_madrid,
}


@dataclass(frozen=True)
class ImportReport:
    """What an import did: files, registrations, quads read and newly added, warnings."""

    files: tuple[str, ...]
    records: int
    quads_read: int
    quads_added: int
    warnings: tuple[str, ...] = ()
    history: int = 0
    """Registrations whose earlier state from another file became history (`versions`)."""


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
    """Read, validate and commit register extracts as one unit: all of them or nothing.

    Records stream from each file in batches of `BATCH_QUADS` quads, each validated (SHACL,
    with what the store holds about the nodes it touches) and written into a private copy of
    the store (`OxigraphStore.staged`) that replaces the store only once every file is read
    and valid: memory stays flat whatever the files' size. A store that cannot stage (a
    remote SPARQL store, a server's store) gets the files' quads in one transaction at the
    end. A registration an earlier import stated is updated by `kg.registries.versions`. With
    ``check=True`` everything is read and validated, and nothing is written. Raises
    `ParseError` (bad values, by file and line), `ValidationError` or `StoreError`.
    """
    if not paths:
        raise KGError("nothing to import", suggestion="name one or more files")
    plans = [_plan(path, format_name) for path in paths]
    default = _default_jurisdiction(jurisdiction)
    run = _Run(default, graph_iri, source_title, progress)
    # ST.66 marks may name their applicants and representatives by a key that another file
    # of the same import defines (UKIPO's TMview answers): gather them all first.
    st66 = [plan.path for plan in plans if plan.kind == "st66"]
    run.parties = gather_st66_parties(st66) if st66 else None
    store = graph.store
    if isinstance(store, OxigraphStore) and store.can_stage:
        try:
            with store.staged() as stage:
                run.files(plans, _Staged(stage))
                if check:
                    raise _CheckDone
        except _CheckDone:
            pass
    else:
        buffer = _Buffered(store)
        run.files(plans, buffer)
        buffer.commit(run, write=not check)
    if run.added:
        graph.changed()
    return ImportReport(
        files=tuple(plan.name for plan in plans),
        records=run.records,
        quads_read=run.read,
        quads_added=0 if check else run.added,
        warnings=tuple(run.warnings) + _summary(run.validation_warnings),
        history=run.history,
    )


BATCH_QUADS = 200_000
"""Quads validated and written at a time by `import_registry`."""


class _CheckDone(Exception):
    """Ends a ``--check`` import inside the staged copy, so the copy is thrown away."""


class _Run:
    """One import: reads each file's records, maps them, keeps versions, writes batches."""

    def __init__(
        self, default: str | None, graph_iri: str | None, title: str | None, progress: bool
    ) -> None:
        self.default, self.graph_iri, self.title, self.progress = (
            default,
            graph_iri,
            title,
            progress,
        )
        self.records = self.read = self.added = self.history = 0
        self.warnings: list[str] = []
        self.validation_warnings: list[str] = []
        self.parties: dict[str, tuple[str, Owner]] | None = None

    def files(self, plans: Sequence[_Plan], sink: _Sink) -> None:
        for plan in plans:
            self.file(plan, sink)

    def file(self, plan: _Plan, sink: _Sink) -> None:
        errors = RowErrors(plan.name)
        mapper = _Mapper(plan.name, errors, self.graph_iri, self.title)
        records, warnings = _read(plan, self.default, errors, self.progress, self.parties)
        if plan.kind in _XML_READERS:
            mapper.lenient = WarningTally(plan.name)
        batch = mapper.header()
        origins: dict[object, str] = {mapper.target: plan.name, mapper.source: plan.name}
        for record in records:
            stated = mapper.record(record)
            if stated is None or errors:
                continue  # read on, to report every bad value; nothing more is written
            registration = mapper.registration(record)
            if not self.current(sink, registration, mapper.target, record.as_of):
                owned = {q.object for q in stated if q.predicate in OWNED_LINKS}
                stated = list(version_quads(stated, registration, mapper.target, owned))
            where = mapper.where(record)
            for quad in stated:
                origins.setdefault(quad.subject, where)
            batch += stated
            if len(batch) >= BATCH_QUADS:
                self.write(sink, batch, origins, plan.name)
                batch, origins = [], {}
        errors.raise_if_any()
        self.write(sink, batch, origins, plan.name)
        self.records += mapper.count
        self.warnings += warnings.lines() if isinstance(warnings, WarningTally) else warnings
        if mapper.lenient is not None:
            self.warnings += mapper.lenient.lines()

    def current(
        self,
        sink: _Sink,
        registration: ox.NamedNode,
        graph: ox.NamedNode,
        as_of: ox.Literal | None,
    ) -> bool:
        """Whether a record of `registration` dated `as_of`, from `graph`, is its current
        state; an earlier import's state it replaces becomes history. A graph whose state was
        already replaced stays history when it is imported again (unless it is now dated later
        than the current state), so importing a file twice changes nothing."""
        if not is_import_graph(graph):
            return True  # a graph the user named: its facts add up, as `kg load`'s do
        others = current_state(sink, registration, graph)
        stale = as_of is None or any(d is None or not newer(as_of, d) for _, d in others)
        if others and stale and was_replaced(sink, registration, graph):
            return False
        for other, date in others:
            if not newer_or_same(as_of, date):
                return False
            make_history(sink, registration, other)
            self.history += 1
        return True

    def write(
        self, sink: _Sink, batch: list[ox.Quad], origins: dict[object, str], name: str
    ) -> None:
        if not batch:
            return
        report = sink.write(batch, origins, name)
        self.read += report.quads_read
        self.added += report.quads_added
        self.validation_warnings += report.warnings


class _Sink(RecordStates):
    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        """Validate `batch` with what the store holds, then write it; raise on a violation."""
        ...


class _Staged:
    """Writes into a private copy of an Oxigraph store (`OxigraphStore.staged`)."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage

    @property
    def store(self) -> ox.Store:
        return self.stage.store

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(subject, predicate, obj, graph))  # type: ignore[arg-type]

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        for quad in removed:
            self.store.remove(quad)
        self.store.extend(added)

    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        # The compiled SHACL checks (the same verdicts as pyshacl, tests/test_validation_engines.py)
        # for every batch: pyshacl on a file's last, small batch would cost more than the rest.
        # (Running them in the store copy itself, limited to the batch's nodes, was 4x slower.)
        return load_quads(
            self,  # type: ignore[arg-type]
            batch,
            files=[name],
            origins=origins,
            engine="sparql",
        )

    def query(self, sparql: str, **_options: object) -> object:
        return self.store.query(sparql, use_default_graph_as_union=True)

    def add(self, quads: Sequence[ox.Quad]) -> int:
        new = [quad for quad in quads if quad not in self.store]
        if len(new) >= 50_000:
            self.store.bulk_extend(new)
        else:
            self.store.extend(new)
        return len(new)


class _Buffered:
    """For a store that cannot stage: every quad kept, validated and written at the end."""

    def __init__(self, store: Store) -> None:
        self.base = store
        self.overlay = ox.Store()
        self.removed: set[ox.Quad] = set()
        self.origins: dict[object, str] = {}
        self.names: list[str] = []

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        for quad in self.base.quads(subject, predicate, obj, graph):
            if quad not in self.removed:
                yield quad
        yield from self.overlay.quads_for_pattern(subject, predicate, obj, graph)

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        for quad in removed:
            self.overlay.remove(quad)
            self.removed.add(quad)
        self.overlay.extend(added)

    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        self.overlay.extend(batch)
        for node, where in origins.items():
            self.origins.setdefault(node, where)
        if name not in self.names:
            self.names.append(name)
        return LoadReport(files=(name,), quads_read=0, quads_added=0)

    def commit(self, run: _Run, *, write: bool) -> None:
        added = list(self.overlay.quads_for_pattern(None, None, None, None))
        report = load_quads(self.base, added, files=self.names, origins=self.origins, commit=False)
        run.read, run.validation_warnings = report.quads_read, list(report.warnings)
        new = [quad for quad in added if not any(self.base.quads(*_pattern(quad)))]
        run.added = len(new)
        if write and (new or self.removed):
            self.base.replace(sorted(self.removed, key=str), new)


def _pattern(quad: ox.Quad) -> tuple:
    return (quad.subject, quad.predicate, quad.object, quad.graph_name)


_MASK = re.compile(r'"[^"]*"|<[^>]*>|\b[\w.-]+:[\w./%~#-]+|\d[\d.-]*')


def _summary(lines: Sequence[str], examples: int = 3) -> tuple[str, ...]:
    """Validation warnings grouped by kind (the line with its places and values masked): one
    line per kind with its count and first examples."""
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(_MASK.sub("…", line), []).append(line)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        shown = "; ".join(members[:examples])
        out.append(f"{len(members)} times: {shown}{'; ...' if len(members) > examples else ''}")
    return tuple(out)
