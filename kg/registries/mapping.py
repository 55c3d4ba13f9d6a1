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

A party a record names by reference (an ST.66 ``ApplicantKey``) whose facts another file
defines (`ReferringRecord`, `PartyReference`) is stated where each file states it: the
record's graph links the registration to the party, the defining file's own graph (with its
source description) states the party's kind, name and country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.ingest.source_header import SourceDescription
from kg.namespaces import GRAPH, ID, TM
from kg.registries.details import detail_quads
from kg.registries.iris import mark_iri, party_iri, registration_iri
from kg.registries.iris import node as _node
from kg.registries.kinds import is_wordless, kind_quads, status_known
from kg.registries.record_text import label, tidy_record
from kg.registries.records import FieldError, Owner, RegistryRecord, RowErrors, WarningTally
from kg.text_characters import character_name

__all__ = [
    "ImportedFile",
    "Mapper",
    "PartyReference",
    "ReferringRecord",
    "import_graph",
    "import_source",
    "registry_quads",
]

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
        *("nationality", "recordDate", "verbalElement", "representative", "Party"),
    )
}


def import_graph(name: str) -> str:
    """The default named graph of an imported file: ``id/graph/import/{file stem}``.

    >>> import_graph("data/registry 2024.csv")
    'https://w3id.org/tmkg/id/graph/import/registry%202024'
    """
    return f"{GRAPH}import/{quote(Path(name).stem, safe='')}"


def import_source(name: str) -> str:
    """The source an imported file's graph is derived from: ``id/source/import/{file stem}``.

    >>> import_source("data/registry 2024.csv")
    'https://w3id.org/tmkg/id/source/import/registry%202024'
    """
    return f"{ID}source/import/{quote(Path(name).stem, safe='')}"


@dataclass(frozen=True)
class PartyReference:
    """A party a record names by reference (ST.66 ``ApplicantKey``, ``RepresentativeKey``),
    as the file that defines it (`source`, its name as imported) states it.

    `role` is "owner" (it is one of the record's `owners`) or "representative" (one of its
    `representatives`); `party` is the party as defined (name, kind, country)."""

    role: str
    party: Owner
    source: str


@dataclass(frozen=True)
class ReferringRecord(RegistryRecord):
    """A record some of whose owners or representatives are named by reference: each is
    stated by the file that defines it (`PartyReference`), the record states only the link."""

    references: tuple[PartyReference, ...] = ()


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
        self.graph_iri, self.source_title = graph, source_title
        self.target = ox.NamedNode(graph or import_graph(name))
        self.source = ox.NamedNode(import_source(name))
        self.title = source_title or Path(name).name
        self.elsewhere: set[tuple[ox.NamedNode, str, Owner]] = set()
        """The parties defined in other files whose facts this mapper stated in their graphs
        (each once: later records only link to them)."""
        self.described: set[ox.NamedNode] = set()
        """The other files' graphs whose source description this mapper stated."""
        self.seen: dict[str, tuple[int, int]] = {}
        self.kinds: dict[str, tuple[str, int]] = {}
        self.countries: dict[str, tuple[str, int]] = {}
        self.count = 0
        self.texts_are_words = False
        """Whether the file's mark texts are the standard's verbal element (ST.66, ST.96,
        Madrid), not a register's title for a figure (a CSV may hold either)."""
        self.tidied = WarningTally(name)
        """Characters removed from the records' texts (`kg.registries.record_text`)."""
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
        try:
            record, removed = tidy_record(record)
        except FieldError as error:
            self.errors.add(record.line, None, f"{self.record_name(record)}{error}")
            return None
        if removed:
            self.tidied.add(
                "bidirectional formatting and invisible characters removed from their texts",
                record.line,
                self.record_name(record)
                + ", ".join(f"{label(field)} {character_name(char)}" for field, char in removed),
            )
        later = _after_today(record.as_of)
        if later is not None:
            self.errors.add(record.line, None, f"{self.record_name(record)}{later}")
            return None
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
        elsewhere, here = self.defined_elsewhere(record)
        for owner in record.owners:
            others = elsewhere.get(("owner", owner), [])
            if ("owner", owner) in here or not others:
                quads += self.owner(registration, owner, record.line)
            else:  # only other files state it: the link here, the party there
                link = _TERM["owner"]
                quads.append(ox.Quad(registration, link, _node(party_iri(owner.name)), target))
            for source in others:
                quads += self.defined_party("owner", owner, source)
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
            if not status_known(record.status, record.status_code, record.jurisdiction):
                self.tidied.add(
                    "status not in tmkg's status scheme (schema/status.ttl): counted in force, "
                    "as a record with no status",
                    record.line,
                    f"{self.record_name(record)}status {record.status!r}",
                )
        if (
            self.texts_are_words
            and record.verbal_element is None
            and is_wordless(record.mark_feature)
        ):
            # ST.66/ST.96 MarkVerbalElementText of a Figurative mark (EUIPO's "figurative mark
            # with word elements"): the office records these words as the mark's, so they are
            # its verbal element, compared by word similarity (docs/ontology.md, section D).
            verbal = ox.Literal(record.mark)
            quads.append(ox.Quad(registration, _TERM["verbalElement"], verbal, target))
        quads += kind_quads(registration, record, target)  # kind of mark, national classes
        if elsewhere:  # representatives other files define: stated there, linked here
            named = [r for r in record.representatives if ("representative", r) in elsewhere]
            linked = [r for r in named if ("representative", r) not in here]
            record = replace(
                record,
                representatives=tuple(r for r in record.representatives if r not in linked),
            )
            for party in linked:
                node = _node(party_iri(party.name))
                quads.append(ox.Quad(registration, _TERM["representative"], node, target))
            for party in named:
                for source in elsewhere[("representative", party)]:
                    quads += self.defined_party("representative", party, source)
        quads += detail_quads(registration, record, target)  # claims, texts, events...
        return quads

    def defined_elsewhere(
        self, record: RegistryRecord
    ) -> tuple[dict[tuple[str, Owner], list[str]], set[tuple[str, Owner]]]:
        """The parties `record` names by reference, as (role, party): those other files
        define, with those files, and those this file defines too (EUIPO gives marks and
        parties in one transaction; with ``--graph IRI`` every file shares one graph), which
        this file's graph states as it states inline parties."""
        if not isinstance(record, ReferringRecord):
            return {}, set()
        elsewhere: dict[tuple[str, Owner], list[str]] = {}
        here: set[tuple[str, Owner]] = set()
        for reference in record.references:
            key = (reference.role, reference.party)
            if self.graph_of(reference.source) == self.target:
                here.add(key)
            else:
                elsewhere.setdefault(key, []).append(reference.source)
        return elsewhere, here

    def graph_of(self, name: str) -> ox.NamedNode:
        """The graph the file `name` of the same import states its facts in."""
        return ox.NamedNode(self.graph_iri or import_graph(name))

    def defined_party(self, role: str, party: Owner, source: str) -> list[ox.Quad]:
        """The party's kind, name and country in the graph of `source`, a file that defines
        it, with that graph's source description (`header`); nothing where this mapper stated
        them before (each is stated once, later records only link to it)."""
        graph = self.graph_of(source)
        if (graph, role, party) in self.elsewhere:
            return []
        self.elsewhere.add((graph, role, party))
        quads = []
        if graph not in self.described:
            self.described.add(graph)
            title = self.source_title or Path(source).name
            quads += SourceDescription(title).quads(graph.value, import_source(source))
        # an applicant the file does not call a person is a company, as an inline owner is; a
        # representative of no stated kind a party (an attorney may be either)
        kind = _PARTY_TYPE[party.kind] if role == "owner" else _REPRESENTATIVE_TYPE[party.kind]
        node = _node(party_iri(party.name))
        quads += [
            ox.Quad(node, _RDF_TYPE, _TERM[kind], graph),
            ox.Quad(node, _NAME, ox.Literal(party.name), graph),
        ]
        if party.country:
            country = _node(f"{ID}jurisdiction/{party.country}")
            quads.append(ox.Quad(node, _TERM["nationality"], country, graph))
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

    @staticmethod
    def record_name(record: RegistryRecord) -> str:
        """How messages name `record` before what they say of it: ``"record 87881347: "``."""
        return f"record {record.record_id}: " if record.record_id else ""

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
        + tuple(mapper.tidied.lines())
        + tuple(mapper.lenient.lines() if mapper.lenient is not None else ()),
    )


_PARTY_TYPE = {"person": "Person", "company": "Company", None: "Company"}
_REPRESENTATIVE_TYPE = {"person": "Person", "company": "Company", None: "Party"}
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
    "references",
}
"""Fields a registration stated on several rows (one per owner, per class) may add up."""


def _content(record: RegistryRecord) -> tuple:
    """What two statements of one registration must agree on (its single values)."""
    return tuple(
        getattr(record, field.name) for field in fields(record) if field.name not in _MULTI_VALUED
    )


def _after_today(as_of: ox.Literal | None) -> str | None:
    """Why a record stated as of `as_of` (its record date: a USPTO transaction date, which
    may be a year or a month alone) cannot be read, where that day's first day is after
    tomorrow: no file states a register as of a later day than it was made (a mistyped year,
    2052 for 2025, would make every real file after it history: helper-126 #6, helper-127
    #1). None for any other date, or none. A day's grace: the office's day may already be
    tomorrow here."""
    if as_of is None:
        return None
    latest = dt.date.today() + dt.timedelta(days=1)
    parts = as_of.value.split("-")
    if len(parts) > 3 or not all(part.isdigit() for part in parts):
        return None  # a year before the common era, or no date: never after today
    first = tuple(int(part) for part in (*parts, "1", "1")[:3])  # its first day
    if first <= (latest.year, latest.month, latest.day):
        return None
    return (
        f"the record is stated as of {as_of.value}, after today ({dt.date.today()}): a file "
        "cannot state a register as of a later day (a mistyped date?)"
    )
