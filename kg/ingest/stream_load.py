"""Streamed loads: RDF files go from disk into the store without becoming Python objects.

`kg.ingest.load.load_files` parses a file into Python quads, validates them and commits them:
fine for a case file, but a register of a million marks is 12 million quads (~0.9 KB each in
Python). For an on-disk Oxigraph store that can stage a copy (`OxigraphStore.staged`), files in
Turtle, TriG, N-Triples or N-Quads are instead bulk-loaded by Oxigraph's own parser:

- into a store holding only the reference data tmkg installs (a first load): straight into
  the staged copy, judged there, then swapped in;
- into a store with data: into a scratch store beside it (`OxigraphStore.scratch`), judged
  there with the statements the store holds about the nodes the files touch
  (`kg.ingest.validate_store.context_of`), then bulk-loaded into the staged copy and swapped in.

Judging (`kg.ingest.validate_store.validate_in_store`) applies the same rules and messages as
a load through Python; any violation, parse error or crash leaves the store as it was (the
staged copy is thrown away; a crash before the swap leaves the copy, which the next writer
removes). Memory stays flat whatever the size of a first load: Python holds only the terms
at fault and the pairs of dates that may be out of order; a load into a store with data also
holds the IRIs of the nodes the files touch, to fetch their context.

Files the engine cannot take as they are go through Python (`load_files` does that when
`stream_files` returns None): blank nodes (tmkg names them from the file's bytes, which a
native parser does not expose), RDF-star triple terms (refused with a message), RDF/XML and
JSON-LD (their safety checks read the bytes first), and loads into other stores.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, islice
from pathlib import Path

import pyoxigraph as ox

from kg.errors import NotFound, ParseError
from kg.ingest.load import (
    MAX_IRI_CHARS,
    MAX_LITERAL_CHARS,
    SOURCE_DESCRIPTION,
    LoadReport,
    _parse_error,
    _ProgressReader,
    detect_format,
    file_graph,
    named_path,
    refuse_reference_quads,
    refuse_working_graphs,
    too_long_iri,
    too_long_literal,
    too_long_term,
    user_graph,
)
from kg.ingest.same_as import OWL_SAME_AS
from kg.ingest.scan_worker import Claims, ScanWorker
from kg.ingest.shacl_sparql import ILL_FORMED
from kg.ingest.spool import Spools
from kg.ingest.validate import ValidationReport, same_as_lines
from kg.ingest.validate_store import (
    CONTEXT_GRAPH,
    REFERENCE_GRAPH,
    Inventory,
    Locate,
    context_of,
    inventory,
    inventory_of_quads,
    validate_in_store,
)
from kg.lazy import lazy_module
from kg.reference import other_quads_up_to, own_graph_quads, reference_quads
from kg.store import Store
from kg.store.crashpoints import reached
from kg.store.oxigraph import (
    OxigraphStore,
    Stage,
    make_room,
    scan_checkpoint_path,
    scan_claims_path,
)
from kg.store.oxigraph_input import require_utf8

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_tqdm = lazy_module("tqdm")  # progress bars: only a load of a big file on a terminal

__all__ = [
    "STREAMED_FORMATS",
    "NeedsPython",
    "can_check_streamed",
    "can_stream",
    "holds_little",
    "holds_reference_only",
    "judge_loaded",
    "stream_files",
]

STREAMED_FORMATS = frozenset(
    {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS}
)
"""The formats Oxigraph's parser loads straight into the store."""
_BOM = b"\xef\xbb\xbf"
_PROGRESS_MIN_BYTES = 1 << 20
_UTF8_CHECK_MAX_BYTES = 256 << 20  # on a parse error, bigger files are not re-read for it


class NeedsPython(Exception):
    """The data holds something only the Python load handles (blank nodes, triple terms)."""


def can_stream(store: Store) -> bool:
    """Whether loads into `store` can be streamed: an Oxigraph store that can stage a copy."""
    return isinstance(store, OxigraphStore) and store.persistent and store.can_stage


def can_check_streamed(store: Store) -> bool:
    """Whether files can be checked against `store` streamed (`stream_files` with
    ``check=True``): an on-disk Oxigraph store, also one opened read-only."""
    return isinstance(store, OxigraphStore) and store.persistent


def stream_files(
    store: OxigraphStore,
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
    header: Path | None = None,
    check: bool = False,
    spools: Spools | None = None,
) -> LoadReport | None:
    """Load `paths` into `store` as one transaction, streamed (see the module docstring);
    return None, having written nothing, when the files must go through Python instead.
    `header` is an N-Quads file loaded with them whatever `format_name` and `graph` say (a
    source description, `kg.ingest.source_header`); it is not among the report's files.
    With ``check=True`` the files are loaded and judged in a private scratch store
    (`OxigraphStore.check_scratch`, from a read-only handle too) and the store is not
    written: the report's ``quads_added`` is 0. A pipe among `paths` is read into a temporary
    file (`kg.ingest.spool`) that `spools` keeps for the caller's load through Python when
    this returns None (else one of this call's own, removed before it returns).

    Raises `ParseError` (file, line, column) or `ValidationError` (every violation), having
    written nothing; `NotFound` for a missing file.
    """
    if spools is None:
        with Spools() as own:
            return stream_files(
                store,
                paths,
                format_name=format_name,
                graph=graph,
                progress=progress,
                header=header,
                check=check,
                spools=own,
            )
    maybe = [_Input.of(path, format_name, graph, spools) for path in paths]
    if header is not None:
        described = _Input.of(header, None, None)
        if described is not None:
            described.name = SOURCE_DESCRIPTION
        maybe.append(described)
    inputs = [item for item in maybe if item is not None]
    if len(inputs) < len(maybe):
        return None
    names = ", ".join(str(path) for path in paths)
    reached("load:parse")
    try:
        if check:
            read, added, report = _check(store, inputs, names, progress)
        else:
            read, added, report = _stream(store, inputs, names, progress)
    except BaseException as error:
        # The frames of the traceback hold the handle of the staged copy or the scratch store,
        # and RocksDB refuses a second handle on a path this process still holds (the next
        # load would fail): drop their locals; the error keeps its message and its place.
        traceback.clear_frames(error.__traceback__)
        if isinstance(error, NeedsPython):
            return None
        raise
    if not check:
        reached("load:committed")
    return LoadReport(
        files=tuple(str(path) for path in paths),
        quads_read=read,
        quads_added=added,
        warnings=tuple(report.warnings),
    )


def holds_reference_only(store: OxigraphStore) -> bool:
    """Whether `store` holds nothing but the reference data tmkg installs (`kg.reference`):
    then new files touch nothing stored but reference nodes, and are judged in the staged copy
    itself, with no scratch store and no second bulk load."""
    return holds_little(store, 0)


def holds_little(store: OxigraphStore, limit: int) -> bool:
    """Whether `store` holds at most `limit` quads besides the reference data tmkg installs
    (a seed case, a few files): then data written into its staged copy can be judged there,
    the copy's every statement at hand, in about the time its own quads take. Reads at most
    `limit` + 1 quads besides the reference data, counted by the store
    (`kg.reference.other_quads_up_to`)."""
    return other_quads_up_to(store.native, limit + 1) <= limit


def _check(
    store: OxigraphStore, inputs: Sequence[_Input], names: str, progress: bool
) -> tuple[int, int, ValidationReport]:
    """Judge the files as `_stream` would, in a private scratch store, writing nothing; return
    the quads they hold, 0 and the report. A store of the reference data alone adds no
    context (the scratch store gets the reference data), so the shapes are checked in a
    second process as in a first load; else with the statements the store holds about the
    nodes the files touch."""
    with store.check_scratch() as scratch:
        if holds_reference_only(store):
            report = _judge(scratch.store, inputs, names, None, progress, scratch.path)
        else:
            report = _judge(scratch.store, inputs, names, store, progress)
        refuse_reference_quads(own_graph_quads(scratch.store), names)
        return len(scratch.store), 0, report


def _stream(
    store: OxigraphStore, inputs: Sequence[_Input], names: str, progress: bool
) -> tuple[int, int, ValidationReport]:
    """Stream the files into `store`; return the quads they hold, those new, the report.
    (Counting a store's quads reads all of them: each count here is one that is needed.)"""
    with store.staged() as stage:
        if holds_reference_only(store):
            before = len(stage.store)
            report = _judge(stage.store, inputs, names, None, progress, stage.path)
            refuse_reference_quads(own_graph_quads(stage.store), names)
            read = added = len(stage.store) - before
            return read, added, report
        with store.scratch() as scratch:
            report = _judge(scratch, inputs, names, store, progress)
            refuse_reference_quads(own_graph_quads(scratch), names)
            read = len(scratch)
            _tell(stage, scratch)
            reached("load:commit")
            before = len(stage.store)
            _transfer(scratch, stage.store, Path(store.location).parent)
            return read, len(stage.store) - before, report


class _Input:
    """One file to stream: its path, format and the graph for its triples."""

    def __init__(self, path: Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode | None) -> None:
        self.path, self.format, self.graph = path, rdf_format, graph
        self.name = str(path)
        """What the messages call the file."""
        self.base = named_path(path).as_uri()
        """The base IRI of its relative IRIs: the file as named, not its spooled copy."""

    @classmethod
    def of(
        cls,
        path: str | Path,
        format_name: str | None,
        graph: str | None,
        spools: Spools | None = None,
    ) -> _Input | None:
        """The file to stream, None when only the Python load can take it; raises as
        `kg.ingest.load.parse_file` does for a missing file, a folder or an unknown format.
        A path that is no regular file (a pipe: ``/dev/stdin``, a FIFO) is read from its
        copy in `spools` (`kg.ingest.spool`); messages still name `path`."""
        file = Path(path)
        if file.is_dir():
            raise ParseError("is a directory", path=str(path), suggestion="name the files to load")
        rdf_format = detect_format(str(path), format_name)
        if not file.exists():
            raise NotFound(f"no such file: {path}")
        if rdf_format not in STREAMED_FORMATS:
            return None
        if graph is None and not rdf_format.supports_datasets:
            graph = file_graph(path)
        item = cls(file, rdf_format, user_graph(graph, str(path)) if graph else None)
        if spools is not None:  # read from the pipe's copy, named and based as given
            item.path = spools.regular(file)
        return item

    def quads(self) -> Iterator[ox.Quad]:
        """The file's quads as `load_into` reads them (those of a triples file in the
        default graph, where `load_into` puts them in `graph`)."""
        with self.path.open("rb") as raw:
            _skip_bom(raw)
            yield from ox.parse(raw, format=self.format, base_iri=self.base)

    def load_into(self, store: ox.Store, progress: bool) -> None:
        """Bulk-load the file into `store`; raises `ParseError` (the store is then partial:
        the caller throws it away)."""
        name = self.name
        try:
            with self.path.open("rb") as raw:
                _skip_bom(raw)
                stream: io.RawIOBase | io.BufferedReader = raw
                bar = None
                size = self.path.stat().st_size
                if progress and size >= _PROGRESS_MIN_BYTES:
                    bar = _tqdm.tqdm(
                        total=size,
                        unit="B",
                        unit_scale=True,
                        desc=Path(self.name).name,
                        file=sys.stderr,
                    )
                    stream = _ProgressReader(raw, bar)  # type: ignore[arg-type]
                try:
                    store.bulk_load(
                        stream,
                        format=self.format,
                        base_iri=self.base,
                        to_graph=self.graph,
                    )
                finally:
                    if bar is not None:
                        bar.close()
        except SyntaxError as error:
            if self.path.stat().st_size <= _UTF8_CHECK_MAX_BYTES:
                require_utf8(self.path.read_bytes(), name)
            raise _parse_error(error, name) from None
        except OSError as error:
            raise ParseError(f"cannot read: {error.strerror or error}", path=name) from None
        except MemoryError as error:
            raise too_long_term(error, name) from None


def _judge(
    data: ox.Store,
    inputs: Sequence[_Input],
    names: str,
    existing: OxigraphStore | None,
    progress: bool,
    beside: Path | None = None,
) -> ValidationReport:
    """Load the files into `data`, validate them there (with `existing`'s context) and leave
    only their quads; return the validation report. With
    `beside` (where `data` is on disk; a first load, no context to add) the shapes are checked
    in a second process (`kg.ingest.scan_worker`) while this one takes stock."""
    for item in inputs:
        item.load_into(data, progress)
    locate = _located_in(inputs) if len(inputs) > 1 else None
    return judge_loaded(data, names, existing, beside, locate, files=inputs)


def _skip_bom(raw: io.BufferedReader) -> None:
    """Move `raw` past a UTF-8 byte order mark at its start (a load through Python skips one
    too): what `load_into` loads and `quads` reads again start at the same byte."""
    if raw.read(len(_BOM)) != _BOM:
        raw.seek(0)


def _located_in(inputs: Sequence[_Input]) -> Locate:
    """Where the nodes named in messages came from, as a load through Python says
    (`kg.ingest.load`): the last of `inputs` stating something about the node, else no
    place. Asked once, when there are messages, it reads the files again."""

    def locate(nodes: set[str]) -> dict[str, str]:
        where = dict.fromkeys(nodes, "")
        for item in inputs:
            last = None
            for quad in item.quads():
                if quad.subject != last:
                    last = quad.subject
                    if isinstance(last, ox.NamedNode) and last.value in where:
                        where[last.value] = item.name
        return where

    return locate


def judge_loaded(
    data: ox.Store,
    names: str,
    existing: OxigraphStore | None = None,
    beside: Path | None = None,
    locate: Locate | None = None,
    judged: Callable[[str], bool] | None = None,
    files: Sequence[_Input] = (),
) -> ValidationReport:
    """Validate everything `data` holds as new data (with `existing`'s context), then remove
    the validation graphs; return the report (its warnings). `names` names the file(s) in the
    messages, or `locate` the place each node came from; `judged` which nodes are new
    (`validate_in_store`; by default all). With `beside`
    (the folder of `data` on disk, nothing else writing to it) `data` is compacted, the
    terms are taken stock of meanwhile from `files` (give them when they are all `data`
    holds but tmkg's reference data), and the shapes are checked in a second process, this
    one sharing them once its own checks are done.

    Raises `ValidationError` (every violation), `ParseError` for a literal over
    `MAX_LITERAL_CHARS`, and `NeedsPython` when `data` holds blank nodes or triple terms."""
    reached("load:validate")
    if judged is None:  # everything in `data` is new: none of it in a graph the checks use
        refuse_working_graphs(data.named_graphs(), names)
    scans = None
    snapshot = claims = None
    stock: Inventory | None = None
    if beside is not None and _holds_at_least(data, SCANS_BESIDE_MIN_QUADS):
        snapshot, claims = scan_checkpoint_path(beside), scan_claims_path(beside)
    if snapshot is not None and claims is not None:
        _add_reference(data)
        data.flush()
        stock = _compact(data, files)
        # The worker reads a checkpoint (hard links: milliseconds), not `data` itself: RocksDB
        # compacts `data` in the background after bulk loads and deletes files a read-only
        # handle still needs ("No such file or directory" in the worker, which then failed
        # and left the scans to this process). A crash leaves the checkpoint for the store's
        # recovery to remove.
        make_room(snapshot)
        make_room(snapshot.with_name(f"{snapshot.name}.tmp"))  # RocksDB's, while it writes
        data.backup(str(snapshot))
        make_room(claims)
        claims.mkdir()
        scans = ScanWorker(snapshot, Claims(claims))
    try:
        stock = stock or inventory(data)
        if stock.needs_python:
            raise NeedsPython
        if stock.longest_iri > MAX_IRI_CHARS:
            raise too_long_iri(stock.longest_iri, names)
        if stock.longest_literal > MAX_LITERAL_CHARS:
            raise too_long_literal(stock.longest_literal, names)
        if scans is None:
            _add_reference(data)
            if existing is not None:
                context_of(data, existing)
        report = validate_in_store(
            data, stock, origin=names, scans=scans, locate=locate, judged=judged
        )
    finally:
        if scans is not None:
            scans.stop()
        for folder in (snapshot, claims):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    report.violations += _same_as_lines(data)
    report.raise_for_violations()
    for graph in (REFERENCE_GRAPH, CONTEXT_GRAPH, ox.NamedNode(ILL_FORMED)):
        data.remove_graph(graph)
    return report


SCANS_BESIDE_MIN_QUADS = 50_000
"""The quads from which `judge_loaded` runs the shapes in a second process: starting it (a
Python process importing tmkg, and a checkpoint of the store) costs ~0.4 s, which the scans
of ~50,000 quads take in this process (~6 s a million), so a smaller file is judged here."""


def _compact(data: ox.Store, files: Sequence[_Input]) -> Inventory | None:
    """Compact `data` (RocksDB's full compaction, `Store.optimize`) before it is read back,
    taking stock of `files` meanwhile (`inventory_of_quads`): the compaction runs on one of
    RocksDB's threads, without the GIL, and leaves the other core idle (at 1M marks, 35 s of
    compaction against 43 s of inventory read from the store). Return that inventory, or None
    when it must be taken from the store: no files, a file's quads not read as the store
    holds them (an N-Quads file loaded into a named graph), a literal at fault (`inventory`
    gives it as the store holds it, to look it up by), or a file that could not be read again.

    Oxigraph's bulk loader adds a file's quads as sorted files of a million quads each, all
    at the top level, which RocksDB then merges in the background: read before that, each
    lookup goes through every file. At 1M marks (12.2M quads, 2026-12-06) the checks took
    126-130 s read as the merge ran beside them in this process (RocksDB's threads took a
    third of the CPU; with them held back, the reads alone were as slow), against 24 s of
    compaction on both cores then 54 s of checks: the load step 206 -> 152 s. The store is
    also left compacted, as `oxigraph optimize` leaves one, for the reads after the load.
    Read before that, the scans took 855 s, not 45 (2026-12-06)."""
    exact = files and all(item.graph is None or not item.format.supports_datasets for item in files)
    if not exact:
        data.optimize()
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        compacted = pool.submit(data.optimize)
        try:
            stock = inventory_of_quads(
                chain.from_iterable(item.quads() for item in files),
                graphs=[item.graph for item in files if item.graph is not None],
            )
        except (SyntaxError, OSError):  # changed since it was loaded: the store says
            stock = None
        compacted.result()
    return None if stock is None or stock.bad_literals else stock


def _holds_at_least(data: ox.Store, count: int) -> bool:
    """Whether `data` holds `count` quads or more (the store counts at most `count`, over
    its encoded terms: reading them back into Python took ~0.1 ms a quad on disk)."""
    rows = data.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT ?s WHERE "
        f"{{ {{ GRAPH ?g {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }} }} LIMIT {int(count)} }}"
    )
    return int(next(iter(rows))["n"].value) >= count  # type: ignore[index, union-attr]


def _same_as_lines(data: ox.Store) -> list[str]:
    """`same_as_lines` for the owl:sameAs statements the files bring (the types of their
    nodes from the files and the context of the store, both in `data`)."""
    links = [
        quad
        for quad in data.quads_for_pattern(None, OWL_SAME_AS, None, None)
        if quad.graph_name not in (REFERENCE_GRAPH, CONTEXT_GRAPH)
    ]
    if not links:
        return []
    nodes = {term for quad in links for term in (quad.subject, quad.object)}
    types = [
        quad
        for node in nodes
        if isinstance(node, ox.NamedNode)
        for quad in data.quads_for_pattern(node, _RDF_TYPE, None, None)
    ]
    return same_as_lines([*links, *types], None, {})


def _add_reference(data: ox.Store) -> None:
    data.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, REFERENCE_GRAPH) for q in reference_quads()
    )


def _tell(stage: Stage, loaded: ox.Store) -> None:
    """Record on the stage what the load touches (`kg.store.touched`: caches beside the store
    keep what it does not), reading the loaded quads until they name more nodes than
    `Touched.MAX_TERMS` (then nothing is told: a register's load drops those caches)."""
    stage.track()
    quads = iter(loaded.quads_for_pattern(None, None, None, None))
    while stage.touched.known and (chunk := list(islice(quads, 10_000))):
        stage.record(chunk)


def _transfer(source: ox.Store, target: ox.Store, beside: Path) -> None:
    """Every quad of `source` into `target`, by Oxigraph's own writer and bulk loader (an
    N-Quads file in a temporary folder in `beside`: no Python object per quad)."""
    folder = Path(tempfile.mkdtemp(prefix=".tmkg-transfer-", dir=beside))
    try:
        dump = folder / "data.nq"
        source.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
        reached("bulk:extend")
        target.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
