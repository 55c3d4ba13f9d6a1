"""A register record onto the ontology: the quads of one checked `RegistryRecord`.

`Mapper` maps one file's records, one at a time, into the file's named graph
(``id/graph/import/{file stem}``, linked in the default graph to a ``tm:Source`` by
``prov:wasDerivedFrom``): a ``tm:Registration`` ``id/registration/{cc}-{number}`` with its
``tm:Mark`` (one per distinct text), its owners (``tm:Person`` or ``tm:Company``, with
``tm:nationality``), Nice classes, both numbers, dates typed by their precision, status, record
date; `kg.registries.kinds` adds the kind of mark, Vienna codes and national classes and
`kg.registries.details` everything else (claims, goods and services, events…). It keeps only
what it needs to check the file as a whole (each registration's single values, each owner's
kind and country), never the quads. See ``docs/registry-import.md``, "What an import writes".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.ingest.source_header import SourceDescription
from kg.namespaces import GRAPH, ID, TM
from kg.registries.details import detail_quads
from kg.registries.iris import mark_iri, party_iri, registration_iri
from kg.registries.iris import node as _node
from kg.registries.kinds import is_wordless, kind_quads
from kg.registries.records import Owner, RegistryRecord, RowErrors, WarningTally

__all__ = ["ImportedFile", "Mapper", "import_graph", "registry_quads"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NAME = ox.NamedNode("https://schema.org/name")
_DEFAULT = ox.DefaultGraph()


def _tm(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(getattr(TM, local)))  # TM is closed: a typo raises at import


_TERM = {
    local: _tm(local)
    for local in (
        *("SourceGraph", "Source", "Registration", "Mark", "Company", "mark", "jurisdiction"),
        *("registrationNumber", "text", "owner", "niceClass", "filingDate", "registrationDate"),
        *("status", "Person", "applicationNumber", "statusDate", "expiryDate", "renewalDate"),
        *("nationality", "recordDate", "verbalElement"),
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


class Mapper:
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
        self.title = source_title or Path(name).name
        self.seen: dict[str, tuple[int, int]] = {}
        self.kinds: dict[str, tuple[str, int]] = {}
        self.countries: dict[str, tuple[str, int]] = {}
        self.count = 0
        self.texts_are_words = False
        """Whether the file's mark texts are the standard's verbal element (ST.66, ST.96,
        Madrid), not a register's title for a figure (a CSV may hold either)."""
        self.lenient: WarningTally | None = None
        """Where owners that disagree go in an office's file (None: a CSV's errors)."""

    def header(self) -> list[ox.Quad]:
        """The graph's link to its source, in the default graph."""
        return SourceDescription(self.title).quads(self.target.value, self.source.value)

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
        if self.texts_are_words and record.verbal_element is None and is_wordless(
            record.mark_feature
        ):
            # ST.66/ST.96 MarkVerbalElementText of a Figurative mark (EUIPO's "figurative mark
            # with word elements"): the office records these words as the mark's, so they are
            # its verbal element, compared by word similarity (docs/ontology.md, section D).
            verbal = ox.Literal(record.mark)
            quads.append(ox.Quad(registration, _TERM["verbalElement"], verbal, target))
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
    texts_are_words: bool = False,
) -> ImportedFile:
    """Map checked records onto the ontology, in one named graph derived from one source, all
    in memory (`import_registry` streams instead).

    A registration stated twice with different single values is an error naming both lines;
    so is an owner name given two kinds or countries, unless `lenient` (an office's file: a
    warning, see `Mapper.owner`). `texts_are_words`: see `Mapper.texts_are_words`.
    """
    mapper = Mapper(name, errors, graph, source_title)
    mapper.texts_are_words = texts_are_words
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
