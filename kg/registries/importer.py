"""Importing trademark register files onto the ontology: `kg import`.

`import_registry` recognises each file's format (CSV/TSV by extension; ST.66, ST.96, USPTO
Trademark Daily XML and WIPO Madrid XML by their root element, `kg.registries.sniff`), streams
its records from the format's reader (`kg.registries.csv`, `.st66`, `.st96`, `.uspto_daily`,
`.madrid`; each checks every value as it reads it, so a bad value is reported with its file,
line and column), maps them onto the ontology (`kg.registries.mapping`), keeps one current
state per registration (`kg.registries.versions`) and writes them batch by batch, each batch
validated with the SHACL shapes, into a private copy of the store that replaces it only when
every file is read and valid (`kg.registries.sinks`): an import is all or nothing, and importing
the same file twice adds nothing. See ``docs/registry-import.md``.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import KGError
from kg.ingest.load import user_graph
from kg.ingest.stream_load import NeedsPython, holds_little
from kg.registries.csv import read_csv
from kg.registries.iris import mark_iri, party_iri, registration_iri
from kg.registries.madrid import read_madrid
from kg.registries.mapping import ImportedFile, Mapper, import_graph, registry_quads
from kg.registries.plans import FORMATS, Plan, detect_registry_format, plan_file
from kg.registries.records import (
    FieldError,
    Owner,
    RegistryRecord,
    RowErrors,
    WarningTally,
    jurisdiction_code,
)
from kg.registries.sinks import Buffered, Fresh, Sink, Staged
from kg.registries.st66 import gather_st66_parties, read_st66
from kg.registries.st66_parties import PartyBook
from kg.registries.st96 import read_st96
from kg.registries.uspto_daily import read_uspto_daily
from kg.registries.versions import (
    OWNED_LINKS,
    current_state,
    is_import_graph,
    make_history,
    newer,
    newer_or_same,
    state_dates,
    version_quads,
    was_replaced,
)
from kg.store.oxigraph import OxigraphStore

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


def _default_jurisdiction(jurisdiction: str | None) -> str | None:
    if jurisdiction is None:
        return None
    try:
        return jurisdiction_code(jurisdiction)
    except FieldError as error:
        raise KGError(f"--jurisdiction: {error}") from None


def _read(
    plan: Plan,
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
    plan = plan_file(path, format_name)
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
        texts_are_words=plan.kind in _VERBAL_TEXTS,
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
    older: int = 0
    """Records older than the registration's current state, written as history at once."""
    graphs: tuple[str, ...] = ()
    """The named graphs the import wrote records into (one per file, `import_graph`), in
    file order: what a watch (`kg watch`) reads the new and changed records from."""


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
    if graph_iri is not None:  # an IRI, and none of tmkg's own graphs: before any file is read
        graph_iri = user_graph(graph_iri, "--graph").value
    if source_title is not None and not source_title.strip():  # as `kg load` refuses it
        raise KGError("--source-title is empty", suggestion="give the source's title")
    plans = [plan_file(path, format_name) for path in paths]
    default = _default_jurisdiction(jurisdiction)
    # ST.66 marks may name their applicants and representatives by a key that another file
    # of the same import defines (UKIPO's TMview answers): gather them all first.
    st66 = [plan.path for plan in plans if plan.kind == "st66"]
    parties = gather_st66_parties(st66) if st66 else None
    store = graph.store
    # a check imports into a throwaway copy, from a read-only handle too (`throwaway`)
    if isinstance(store, OxigraphStore) and (store.can_stage or check):
        run = _into_stage(
            store, plans, lambda: _Run(default, graph_iri, source_title, progress, parties), check
        )
    else:
        run = _Run(default, graph_iri, source_title, progress, parties)
        buffer = Buffered(store)
        run.files(plans, buffer)
        done = buffer.commit(write=not check)
        run.read, run.added = done.quads_read, done.quads_added
        run.validation_warnings = list(done.warnings)
    if run.added and not check:
        graph.changed()
    return ImportReport(
        files=tuple(plan.name for plan in plans),
        records=run.records,
        quads_read=run.read,
        quads_added=0 if check else run.added,
        warnings=(
            *run.warnings,
            *_summary(run.validation_warnings),
            *(_same_name_note(run.reused) if run.added else ()),
            *(_parties_alone(parties) if parties and not run.records else ()),
        ),
        history=run.history,
        older=run.older,
        graphs=tuple(dict.fromkeys(run.graphs)),
    )


def _parties_alone(parties: PartyBook) -> tuple[str, ...]:
    """A warning for an import of party files only (ST.66 applicant or representative
    files): their parties are written only with a record that names them by key, so nothing
    was."""
    files = sorted({Path(f).name for found in parties.defined_in.values() for f in found})
    count = len(parties)
    return (
        f"{', '.join(files)}: {count} part{'y' if count == 1 else 'ies'} defined and no record "
        "naming one: nothing written (import them with the mark files that name them by key)",
    )


def _same_name_note(reused: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """A warning for files whose graph (``id/graph/import/{file stem}``) an earlier import of
    a file of that name made, when the import added something: their facts went in beside
    the earlier file's, which stay (docs/registry-import.md), so a registration whose owner or
    status the new file changes shows both, both cited as that file name."""
    if not reused:
        return ()
    files = ", ".join(dict.fromkeys(name for name, _ in reused))
    graphs = ", ".join(dict.fromkeys(graph for _, graph in reused))
    return (
        f"{files}: an earlier import of a file of the same name made {graphs}; the new facts "
        "were added beside its facts, none removed (an owner or status this file changes "
        "shows beside the earlier one, both cited as this file name); to replace the earlier "
        "extract drop that graph first, or import the file under another name or --graph "
        "(docs/registry-import.md)",
    )


_VERBAL_TEXTS = {"st66", "st96", "madrid"}
"""Formats whose mark text is the standard's verbal element (MarkVerbalElementText)."""
BATCH_QUADS = 200_000
"""Quads validated and written at a time by `import_registry`."""


def _into_stage(
    store: OxigraphStore, plans: Sequence[Plan], new_run: Callable[[], _Run], check: bool
) -> _Run:
    """Import into a staged copy of `store`; return the run (its counts and warnings).

    An import into a store holding little besides tmkg's reference data (a first import, a
    store with the seed case) writes its batches unchecked and judges them at the end where
    they lie (`Fresh`): the checks of a streamed first load, about 1.5 times as fast as
    judging each batch from Python, with the same messages (the files are read a second time
    to name each node's file and line, only when the checks found something). Data only the
    Python checks can judge (`NeedsPython`: blank nodes, triple terms) goes through the
    per-batch checks (`Staged`)."""
    fresh = holds_little(store, Fresh.SMALL_STORE_QUADS)
    try:
        return _staged_run(store, plans, new_run(), check, fresh)
    except NeedsPython as error:
        # the frames hold the first copy's handle, which RocksDB must release first
        traceback.clear_frames(error.__traceback__)
        return _staged_run(store, plans, new_run(), check, False)


def _staged_run(
    store: OxigraphStore, plans: Sequence[Plan], run: _Run, check: bool, fresh: bool
) -> _Run:
    with store.throwaway() if check else store.staged() as stage:
        sink = Fresh(stage) if fresh else Staged(stage)
        run.files(plans, sink)
        if isinstance(sink, Fresh):
            names = ", ".join(plan.name for plan in plans)
            done = sink.judge(names, lambda nodes: run.locate(plans, nodes))
            run.added = done.quads_added
            run.validation_warnings += done.warnings
    return run


class _Run:
    """One import: reads each file's records, maps them, keeps versions, writes batches."""

    def __init__(
        self,
        default: str | None,
        graph_iri: str | None,
        title: str | None,
        progress: bool,
        parties: dict[str, tuple[str, Owner]] | None = None,
    ) -> None:
        self.default, self.graph_iri, self.title, self.progress = (
            default,
            graph_iri,
            title,
            progress,
        )
        self.records = self.read = self.added = self.history = self.older = 0
        self.warnings: list[str] = []
        self.validation_warnings: list[str] = []
        self.parties = parties
        self.graphs: list[str] = []
        self.reused: list[tuple[str, str]] = []
        """(file, graph) of the files whose default graph an earlier import had made."""

    def files(self, plans: Sequence[Plan], sink: Sink) -> None:
        # before any file is written: a file may write into another's graph (a mark file the
        # parties of an applicant file given beside it), which is not an earlier import
        if self.graph_iri is None:
            for plan in plans:
                target = self.mapper(plan, RowErrors(plan.name)).target
                if next(iter(sink.quads(None, None, None, target)), None):
                    self.reused.append((plan.name, target.value))
        for plan in plans:
            self.file(plan, sink)

    def mapper(self, plan: Plan, errors: RowErrors) -> Mapper:
        mapper = Mapper(plan.name, errors, self.graph_iri, self.title)
        if plan.kind in _XML_READERS:
            mapper.lenient = WarningTally(plan.name)
            mapper.texts_are_words = plan.kind in _VERBAL_TEXTS
        return mapper

    def locate(self, plans: Sequence[Plan], nodes: set[str]) -> dict[str, str]:
        """Where each of `nodes` (IRIs) was first stated (``file:line``), by reading the
        files again (a fresh import's messages need it only when the checks found something)."""
        found: dict[str, str] = {}
        for plan in plans:
            errors = RowErrors(plan.name)
            mapper = self.mapper(plan, errors)
            records, _ = _read(plan, self.default, errors, False, self.parties)
            for record in records:
                for quad in mapper.record(record) or ():
                    node = quad.subject.value
                    if node in nodes and node not in found:
                        found[node] = mapper.where(record)
                if len(found) == len(nodes):
                    return found
        return found

    def file(self, plan: Plan, sink: Sink) -> None:
        errors = RowErrors(plan.name)
        mapper = self.mapper(plan, errors)
        records, warnings = _read(plan, self.default, errors, self.progress, self.parties)
        # the graph's link to its source only once the file states something: a file with no
        # records (a header-only CSV, an ST.66 file of applicants only) writes nothing at all
        batch: list[ox.Quad] = []
        stated_any = False
        origins: dict[object, str] = {mapper.target: plan.name, mapper.source: plan.name}
        for record in records:
            stated = mapper.record(record)
            if stated is None or errors:
                continue  # read on, to report every bad value; nothing more is written
            registration = mapper.registration(record)
            dated = (record.as_of, record.status_date)
            if not self.current(sink, registration, mapper.target, dated):
                self.older += 1
                owned = {q.object for q in stated if q.predicate in OWNED_LINKS}
                stated = list(version_quads(stated, registration, mapper.target, owned))
            where = mapper.where(record)
            for quad in stated:
                origins.setdefault(quad.subject, where)
            if not stated_any:
                batch += mapper.header()
                stated_any = True
                self.graphs.append(mapper.target.value)
            batch += stated
            if len(batch) >= BATCH_QUADS:
                self.write(sink, batch, origins, plan.name)
                batch, origins = [], {}
        errors.raise_if_any()
        self.write(sink, batch, origins, plan.name)
        self.records += mapper.count
        self.warnings += warnings.lines() if isinstance(warnings, WarningTally) else warnings
        self.warnings += mapper.tidied.lines()
        if mapper.lenient is not None:
            self.warnings += mapper.lenient.lines()

    def current(
        self,
        sink: Sink,
        registration: ox.NamedNode,
        graph: ox.NamedNode,
        dated: tuple[ox.Literal | None, ox.Literal | None],
    ) -> bool:
        """Whether a record of `registration` with `dated` (its record date and status date),
        from `graph`, is a current state (`kg.registries.versions`): only a strictly later
        record date (or, with neither record dated, a later status date; undated, a later
        import) replaces a current state, which becomes history; states of the same date are
        all current; a record older than a current state is history at once. A graph whose
        state was already replaced stays history when it is imported again (unless it is now
        newer than every current state), so importing a file twice changes nothing."""
        if not is_import_graph(graph):
            return True  # a graph the user named: its facts add up, as `kg load`'s do
        others = [
            (other, *state_dates(dated, (record, status)))
            for other, record, status in current_state(sink, registration, graph)
        ]
        if any(not newer_or_same(new, old) for _, new, old in others):
            return False  # a current state is strictly newer: this one is history
        stale = any(new is None or old is None or not newer(new, old) for _, new, old in others)
        if others and stale and was_replaced(sink, registration, graph):
            return False
        for other, new, old in others:
            if newer(new, old):
                make_history(sink, registration, other)
                self.history += 1
        return True

    def write(
        self, sink: Sink, batch: list[ox.Quad], origins: dict[object, str], name: str
    ) -> None:
        if not batch:
            return
        report = sink.write(batch, origins, name)
        self.read += report.quads_read
        self.added += report.quads_added
        self.validation_warnings += report.warnings


_MASK = re.compile(r'"[^"]*"|<[^>]*>|\b[\w.-]+:[\w./%~#-]+|\d[\d.-]*')


def _summary(lines: Sequence[str], examples: int = 3) -> tuple[str, ...]:
    """Validation warnings grouped by kind (the line with its places and values masked): one
    line per kind with its count, what the kind's lines all say, and where the first
    examples are.

    >>> _summary([f"r.csv:{n}: id:registration/gb-{n} tm:niceClass: no Nice class" for n in
    ...     (12, 3, 4, 5)])
    ('4 times: no Nice class (r.csv:3: id:registration/gb-3 tm:niceClass; r.csv:4: \
id:registration/gb-4 tm:niceClass; r.csv:5: id:registration/gb-5 tm:niceClass; ...)',)
    """
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(_MASK.sub("…", line), []).append(line)
    out = []
    for members in groups.values():
        members.sort(key=_natural)  # line 4 before line 17 before line 100
        if len(members) == 1:
            out.append(members[0])
            continue
        said = _said_by_all(members)
        cut = len(said) + 2 if said else 0  # the message and its ": "
        shown = "; ".join(member[: len(member) - cut] for member in members[:examples])
        more = "; ..." if len(members) > examples else ""
        out.append(
            f"{len(members)} times: {said} ({shown}{more})"
            if said
            else f"{len(members)} times: {shown}{more}"
        )
    return tuple(out)


def _said_by_all(members: Sequence[str]) -> str:
    """The message ending every member: the text they all end with, after its first ": "
    (before it each member says its place and subject), so a whole message, never the end
    of a value; "" when they share no such text."""
    # character by character on purpose: the members are messages, not paths
    common = os.path.commonprefix([member[::-1] for member in members])[::-1]  # noqa: RUF071
    cut = common.find(": ")
    return common[cut + 2 :] if cut >= 0 else ""


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
