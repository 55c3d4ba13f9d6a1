"""Loading RDF files: parse -> validate (SHACL) -> commit atomically.

A load of several files is one unit: if any file fails to parse or validate, nothing is
written. Each file is its own source: triples outside a named graph go to a graph named after
the file's stem and its resolved path (`file_graph`), and blank nodes are replaced by IRIs
derived from the source and the file's content (skolemized), so two files never share a graph
or a blank node by accident, and loading the same file twice adds nothing the second time.
Literals are counted and validated in the form the store keeps (`stored_forms`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import NotFound, ParseError
from kg.ingest.source_header import SourceDescription, described_graph, source_file
from kg.ingest.spool import Spools
from kg.ingest.validate import ValidationReport, validate_quads
from kg.lazy import lazy_module
from kg.namespaces import GRAPH, ID, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.store import Store
from kg.store.crashpoints import reached
from kg.store.oxigraph_input import require_utf8, stored_forms, without_bom
from kg.store.rdfxml_check import check_rdfxml, rdfxml_error_position

_tqdm = lazy_module("tqdm")  # progress bars: only a load of a big file on a terminal

__all__ = [
    "FORMATS",
    "MAX_IRI_CHARS",
    "MAX_LITERAL_CHARS",
    "PYTHON_MAX_BYTES",
    "SOURCE_DESCRIPTION",
    "LoadReport",
    "ParsedFile",
    "detect_format",
    "file_graph",
    "fits_python",
    "load_files",
    "load_parsed",
    "load_quads",
    "parse_bytes",
    "parse_file",
    "parse_files",
    "refuse_reference_quads",
    "refuse_working_graphs",
    "too_long",
    "too_long_iri",
    "too_long_literal",
    "too_long_term",
    "user_graph",
]

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_GENID = str(ID) + "genid/"
_PROGRESS_MIN_BYTES = 1 << 20
MAX_LITERAL_CHARS = 1_000_000
"""Longer literals are refused: no trademark fact needs one, and each is copied many times."""
MAX_IRI_CHARS = 65_536
"""Longer IRIs are refused, as long literals are: no office's link comes close (a mark's image
URL is a few hundred characters), and the endpoint answers URLs of at most 200 kB."""
_PARSER_BUFFER = "Reached the buffer maximal size"  # pyoxigraph's MemoryError past 16 MiB a token


def too_long_term(error: MemoryError, name: str) -> ParseError:
    """The error for a term longer than the parser's 16 MiB buffer (pyoxigraph raises
    `MemoryError` for it); re-raises `error` when it is a real want of memory."""
    if _PARSER_BUFFER not in str(error):
        raise error
    return ParseError(
        "a literal or IRI longer than the parser's 16 MiB limit (literals may have "
        f"{MAX_LITERAL_CHARS:,} characters, IRIs {MAX_IRI_CHARS:,})",
        path=name,
        suggestion="store large documents elsewhere and link them by IRI",
    )


def too_long(kind: str, length: int) -> str:
    """What is said of a ``"literal"`` or ``"IRI"`` of `length` characters, past its limit
    (`MAX_LITERAL_CHARS`, `MAX_IRI_CHARS`)."""
    if kind == "literal":
        return f"a literal of {length} characters is longer than the {MAX_LITERAL_CHARS:,} allowed"
    return f"an IRI of {length} characters is longer than the {MAX_IRI_CHARS:,} allowed"


def too_long_literal(length: int, name: str) -> ParseError:
    """The error for a literal of `length` characters, past `MAX_LITERAL_CHARS`."""
    return ParseError(
        too_long("literal", length),
        path=name,
        suggestion="store large documents elsewhere and link them by IRI",
    )


def too_long_iri(length: int, name: str) -> ParseError:
    """The error for an IRI of `length` characters, past `MAX_IRI_CHARS`."""
    return ParseError(
        too_long("IRI", length),
        path=name,
        suggestion="shorten the identifier; put long text in a literal",
    )


@dataclass(frozen=True)
class ParsedFile:
    """The quads of one file, blank nodes skolemized, ready to validate and commit."""

    name: str
    quads: tuple[ox.Quad, ...]
    digest: str
    graph: str | None = None
    """Where the file's triples outside a named graph went (None: the default graph)."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did: files read, distinct quads as stored and newly added, warnings.

    `quads_read` counts distinct quads in the form the store keeps them: two literals that
    differ only in form (``"01"`` and ``"1"`` as xsd:integer) are one quad; `quads_merged`
    says how many quads of the input were merged that way.
    """

    files: tuple[str, ...]
    quads_read: int
    quads_added: int
    warnings: tuple[str, ...] = field(default=())
    quads_merged: int = 0


def detect_format(name: str, format_name: str | None = None) -> ox.RdfFormat:
    """The RDF format from an explicit name or else the file extension.

    >>> detect_format("case.trig").name
    'TriG'
    >>> detect_format("data.txt", "nt").name
    'N-Triples'
    """
    key = (format_name or Path(name).suffix.lstrip(".")).lower()
    try:
        return FORMATS[key]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        what = f"format {format_name!r}" if format_name else f"extension of {name}"
        suggestion = f"pass --format, one of: {known}"
        if key in _REGISTER_EXTENSIONS:
            suggestion = f"a {key.upper()} register is not RDF: kg import reads it; or {suggestion}"
        raise ParseError(f"unknown RDF {what}", path=name, suggestion=suggestion) from None


_REGISTER_EXTENSIONS = {"csv", "tsv"}
"""Extensions of the register files `kg import` reads (`kg.registries`), never RDF."""
_REGISTER_ROOTS = {
    "Transaction": "a WIPO ST.66 trademark file",
    "TrademarkTransaction": "a WIPO ST.96 trademark file",
    "trademark-applications-daily": "a USPTO Trademark Daily XML file",
    "case-file": "a USPTO Trademark Daily XML record",
}
"""Root elements of trademark register XML (not RDF/XML), and what they are."""


def _register_file(data: bytes) -> str | None:
    """What register `data` is when its root element is a trademark register's, else None.
    Reads the first start tag with a plain pattern (no XML parser: the file is not parsed)."""
    head = without_bom(data[:4096]).decode("utf-8", errors="replace")
    match = re.search(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)[\s/>]", head)
    if match is None:
        return None
    what = _REGISTER_ROOTS.get(match.group(1))
    if what and "tmview.europa.eu" in head:
        what = "a TMview per-office ST.66 file"
    return what


def parse_bytes(
    data: bytes,
    *,
    name: str,
    rdf_format: ox.RdfFormat,
    graph: str | None = None,
    base_iri: str | None = None,
    source: str | None = None,
    progress: bool = False,
) -> ParsedFile:
    """Parse RDF from UTF-8 bytes (a leading byte-order mark is dropped).

    Triples outside a named graph go to `graph` when given; otherwise, for a triples-only
    format (Turtle, N-Triples, RDF/XML, N3), to a graph named after the file
    (`file_graph`), so that every fact has a graph that says where it came from. Quad formats
    (TriG, N-Quads, JSON-LD) keep their default-graph triples in the default graph, where
    tmkg states each named graph's source. `source` identifies the document (a file's
    resolved ``file:`` URI; `name` when not given): blank nodes are skolemized from it, the
    graph and the bytes, so identical documents from two sources never share a blank node.
    """
    data = without_bom(data)
    digest = hashlib.sha256(data).hexdigest()
    if graph is None and not rdf_format.supports_datasets:
        graph = file_graph(name)
    target = user_graph(graph, name) if graph else None
    skolem = hashlib.sha256(f"{source or name}\n{graph or ''}\n{digest}".encode()).hexdigest()
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_rdfxml(data, name)  # entity expansion, external entities, deep nesting
    stream: io.BufferedIOBase = io.BytesIO(data)
    bar = None
    if progress and len(data) >= _PROGRESS_MIN_BYTES:
        bar = _tqdm.tqdm(
            total=len(data), unit="B", unit_scale=True, desc=Path(name).name, file=sys.stderr
        )
        stream = _ProgressReader(stream, bar)
    try:
        parsed = ox.parse(stream, rdf_format, base_iri=base_iri)
        quads = tuple(_skolemize(parsed, skolem, target, name))
    except SyntaxError as error:
        require_utf8(data, name)  # bytes in another encoding: say so, not what they broke
        if error.lineno is None and rdf_format == ox.RdfFormat.RDF_XML:
            error.lineno, error.offset = rdfxml_error_position(data, base_iri) or (None, None)
        raise _parse_error(error, name) from None
    except ValueError as error:
        require_utf8(data, name)
        raise ParseError(str(error), path=name) from None
    except MemoryError as error:
        raise too_long_term(error, name) from None
    finally:
        if bar is not None:
            bar.close()
    if not quads and rdf_format == ox.RdfFormat.JSON_LD and _plain_json(data):
        raise ParseError(
            "JSON with no JSON-LD in it: its keys map to no IRIs (no @context), so it states "
            "nothing",
            path=name,
            suggestion="a register's JSON export is not RDF; kg import reads the registers it "
            "knows (kg import --help), and JSON-LD needs an @context",
        )
    return ParsedFile(name=name, quads=quads, digest=digest, graph=graph)


def _plain_json(data: bytes) -> bool:
    """True when `data` is JSON with members none of which is a JSON-LD keyword: plain JSON
    that JSON-LD processing drops entirely (an empty document ``{}``/``[]`` is not)."""
    import json

    try:
        document = json.loads(data)
    except ValueError:
        return False
    items = document if isinstance(document, list) else [document]
    keys = {k for item in items if isinstance(item, dict) for k in item}
    return bool(keys) and not any(k.startswith("@") for k in keys)


def _working_graph_error(iri: str, name: str, statement: str = "") -> ParseError:
    return ParseError(
        f"the graph {iri} is one tmkg writes and removes while it checks a load, so facts "
        f"loaded into it would be lost{statement}",
        path=name,
        suggestion="name a graph of your own, such as https://example.org/my-case",
    )


def refuse_working_graphs(graphs: Iterable[object], name: str) -> None:
    """Raise `ParseError` naming `name` when one of `graphs` is a working graph of tmkg's
    (`kg.reference.WORKING_GRAPHS`)."""
    from kg.reference import is_working_graph

    for graph in graphs:
        if is_working_graph(graph):
            raise _working_graph_error(graph.value, name)  # type: ignore[attr-defined]


def user_graph(iri: str, name: str) -> ox.NamedNode:
    """The named graph a user names for a file's facts (``--graph``, ``graph=``): an absolute
    IRI, and not one of the graphs tmkg keeps itself (the ontology and the reference data of
    ``schema/``, brought back to the shipped content each time a store is opened, so that
    facts written there would be lost without a word). Raises `ParseError` naming `name`
    (the file, or what the graph was given for)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError as error:
        raise ParseError(
            f"the graph name {iri!r} is not an absolute IRI ({error})",
            path=name,
            suggestion="name the graph with an IRI such as https://example.org/my-case",
        ) from None
    if node.value in (str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)):
        raise ParseError(
            f"the graph {iri} is tmkg's own reference data: it is brought back to the shipped "
            "content each time the store is opened, so facts loaded into it would be lost",
            path=name,
            suggestion="name a graph of your own, such as https://example.org/my-case",
        )
    refuse_working_graphs([node], name)
    return node


def refuse_reference_quads(quads: Iterable[ox.Quad], names: str) -> None:
    """Raise `ParseError` naming `names` when a quad is in one of tmkg's working graphs
    (`kg.reference.WORKING_GRAPHS`), or of what tmkg keeps itself (its
    ontology and reference graphs and their descriptions: `kg.reference.kept_by_tmkg`) and
    is not one tmkg ships (`kg.reference.reference_quads`): each opening of the store brings
    them back to the shipped content, so it would be lost without a word. A shipped quad (a
    dump of a whole store read back) is let through: it changes nothing."""
    from kg.reference import is_working_graph, kept_by_tmkg, reference_quads

    shipped: frozenset[ox.Quad] | None = None
    for quad in quads:
        if is_working_graph(quad.graph_name):
            raise _working_graph_error(
                quad.graph_name.value,  # type: ignore[union-attr]
                names,
                f" ({quad.subject} {quad.predicate} ...)",
            )
        if not kept_by_tmkg(quad):
            continue
        if shipped is None:
            shipped = frozenset(reference_quads())
        if quad not in shipped:
            where = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else quad.subject
            raise ParseError(
                f"a statement in or about the graph {where.value}, tmkg's own reference "  # type: ignore[union-attr]
                "data: it is brought back to the shipped content each time the store is "
                f"opened, so the statement would be lost ({quad.subject} {quad.predicate} ...)",
                path=names,
                suggestion="put your statements in a graph of your own",
            )


def named_path(path: str | Path) -> Path:
    """The path a file's graph (`file_graph`) and base IRI are named by: its real path (a
    symbolic link is the file it points to), or for a pipe, whose real path is no file
    (``/dev/stdin`` -> ``/proc/<pid>/fd/0`` -> ``pipe:[818188]``, another each run), the path
    as given, made absolute: loading ``/dev/stdin`` twice names one graph and one base.

    >>> named_path("/dev/stdin") in (Path("/dev/stdin"), Path("/dev/stdin").resolve())
    True
    """
    resolved = Path(path).resolve()
    if resolved.exists() or not Path(path).exists():
        return resolved
    return Path(os.path.abspath(path))


def file_graph(path: str | Path) -> str:
    """The named graph for a triples-only file loaded without ``--graph``: its stem, then
    12 hex digits of the SHA-256 of its resolved ``file:`` URI, so that ``a/x.ttl`` and
    ``b/x.ttl`` are two sources and the same file always goes to the same graph.

    >>> file_graph("/cases/my case.ttl")
    'https://w3id.org/tmkg/id/graph/file/my%20case-4e175e982947'
    """
    resolved = named_path(path)  # a symbolic link is the file it points to
    key = hashlib.sha256(resolved.as_uri().encode()).hexdigest()[:12]
    return f"{GRAPH}file/{quote(resolved.stem, safe='')}-{key}"


def parse_file(
    path: str | Path,
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
    spools: Spools | None = None,
) -> ParsedFile:
    """Parse one file, its format from `format_name` or its extension; a pipe that `spools`
    read into a temporary file (`kg.ingest.spool`) is parsed from that copy."""
    file = Path(path)
    if file.is_dir():
        raise ParseError("is a directory", path=str(path), suggestion="name the files to load")
    rdf_format = detect_format(str(path), format_name)
    try:
        data = ((spools.copy_of(file) if spools is not None else None) or file).read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no such file: {path}") from None
    except OSError as error:
        raise ParseError(f"cannot read: {error.strerror}", path=str(path)) from None
    # A register's XML may even parse as RDF/XML (into nonsense): refuse it by its root first.
    if rdf_format == ox.RdfFormat.RDF_XML and (register := _register_file(data)) is not None:
        raise ParseError(
            f"this is {register}, not RDF/XML",
            path=str(path),
            suggestion="kg import reads trademark registers (kg import --help says which)",
        )
    uri = named_path(file).as_uri()
    return parse_bytes(
        data,
        name=str(path),
        rdf_format=rdf_format,
        graph=graph,
        base_iri=uri,
        source=uri,
        progress=progress,
    )


def parse_files(
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
    spools: Spools | None = None,
) -> list[ParsedFile]:
    """Parse several files (`parse_file`); the first error stops everything."""
    return [
        parse_file(p, format_name=format_name, graph=graph, progress=progress, spools=spools)
        for p in paths
    ]


def check_files(
    store: Store | None,
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
    spools: Spools | None = None,
) -> tuple[list[ParsedFile], ValidationReport]:
    """Parse and validate files against the shapes and the store's content; commit nothing.
    Raises `ParseError` as a load does for statements in or about tmkg's own graphs
    (`refuse_reference_quads`). `spools`: as `parse_file`'s."""
    parsed = parse_files(
        paths, format_name=format_name, graph=graph, progress=progress, spools=spools
    )
    quads, report, _ = _validate_parsed(store, parsed)
    refuse_reference_quads(quads, _file_names(parsed))
    return parsed, report


SOURCE_DESCRIPTION = "the --source-* description"
"""The name of the file `kg load --source-*` describes a file's graph in (never among the
files a report names)."""

PYTHON_MAX_BYTES = 128 * 1024
"""Files of at most this many bytes together (~700 N-Quads statements of `kg synth`; the
seed case is a 29 KB file) are loaded and checked into an on-disk store through Python,
judged beside the store and written in one transaction, instead of streamed through a staged
copy of the store (`kg.ingest.stream_load`), whose checkpoint, flushes and swap cost ~0.5 s
whatever the files' size. Measured 2026-12-07 into a store holding the seed: 149 quads
0.17 s against 0.60 s streamed, 1,310 quads (230 KB) 0.79 against 0.80 s, 3,693 quads
(654 KB) 1.59 against 0.89 s; the seed case into an empty store 0.21 against 0.69 s. Memory
stays bounded: bigger files stream."""


def fits_python(paths: Sequence[str | Path]) -> bool:
    """Whether `paths` are regular files of at most `PYTHON_MAX_BYTES` together (a missing
    file, a folder or a pipe: no; the streamed load reports or reads it)."""
    total = 0
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return False
        if not stat.S_ISREG(info.st_mode):
            return False
        total += info.st_size
    return total <= PYTHON_MAX_BYTES


def check_load(
    store: Store,
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
) -> LoadReport:
    """Judge files as `load_files` would, against the shapes and the store, writing nothing
    (``kg validate``): streamed into a private scratch store where a load would be streamed,
    also from a read-only store, so memory stays flat whatever the files' size; else parsed
    and validated in Python. The report's ``quads_added`` is 0. Raises `ParseError`,
    `ValidationError` (every violation) or `NotFound` as `load_files` does."""
    with Spools() as spools:  # a pipe read once, for either route (kg.ingest.spool)
        spools.read_all(paths)
        report = _streamed(store, paths, spools, format_name, graph, progress, None, check=True)
        if report is None:
            parsed, validation = check_files(
                store, paths, format_name=format_name, graph=graph, progress=progress, spools=spools
            )
            validation.raise_for_violations()
            report = LoadReport(
                files=tuple(file.name for file in parsed),
                quads_read=sum(len(file.quads) for file in parsed),
                quads_added=0,
                warnings=tuple(validation.warnings),
            )
    return _with_empty_pipes(report, spools)


def load_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    format_name: str | None = None,
    graph: str | None = None,
    progress: bool = False,
    source: SourceDescription | None = None,
) -> LoadReport:
    """Parse, validate and commit files as one transaction; raise and write nothing on error.

    Into an on-disk Oxigraph store, Turtle, TriG, N-Triples and N-Quads files without blank
    nodes are streamed (`kg.ingest.stream_load`): same checks, same messages, flat memory.
    `source` describes the graph each triples-only file goes to (`kg.ingest.source_header`),
    in the same transaction."""
    if source is not None:
        formats = [detect_format(str(p), format_name).supports_datasets for p in paths]
        graphs = described_graph(paths, graph, formats)
        with source_file(graphs, source) as header:
            return _load_files(store, paths, format_name, graph, progress, header)
    return _load_files(store, paths, format_name, graph, progress, None)


def _load_files(
    store: Store,
    paths: Sequence[str | Path],
    format_name: str | None,
    graph: str | None,
    progress: bool,
    header: Path | None,
) -> LoadReport:
    with Spools() as spools:  # a pipe read once, for either route (kg.ingest.spool)
        spools.read_all(paths)
        report = _streamed(store, paths, spools, format_name, graph, progress, header, check=False)
        if report is None:
            reached("load:parse")
            parsed = parse_files(
                paths, format_name=format_name, graph=graph, progress=progress, spools=spools
            )
            if header is None:
                report = load_parsed(store, parsed)
            else:
                described = dataclasses.replace(parse_file(header), name=SOURCE_DESCRIPTION)
                loaded = load_parsed(store, [*parsed, described])
                report = dataclasses.replace(loaded, files=loaded.files[:-1])
    return _with_empty_pipes(report, spools)


def _streamed(
    store: Store,
    paths: Sequence[str | Path],
    spools: Spools,
    format_name: str | None,
    graph: str | None,
    progress: bool,
    header: Path | None,
    *,
    check: bool,
) -> LoadReport | None:
    """The streamed route's report (`kg.ingest.stream_load.stream_files`, a check with
    `check`) where it takes the files: an on-disk store and more than `PYTHON_MAX_BYTES`;
    None when they go through Python instead."""
    from kg.ingest.stream_load import can_check_streamed, can_stream, stream_files

    may = can_check_streamed(store) if check else can_stream(store)
    if not may or fits_python([*paths, *([header] if header else [])]):
        return None
    return stream_files(
        store,  # type: ignore[arg-type]
        paths,
        format_name=format_name,
        graph=graph,
        progress=progress,
        header=header,
        check=check,
        spools=spools,
    )


EMPTY_FILE = "{} is empty (0 bytes): it states nothing (a download or export cut short?)"
"""The warning for an RDF file or a pipe that gave no byte (valid: no statements; more likely
cut short). `kg load` and `kg validate` say it of a regular file before they read it."""


def _with_empty_pipes(report: LoadReport, spools: Spools) -> LoadReport:
    """`report` warning first of each pipe that gave no byte (`EMPTY_FILE`)."""
    if not spools.empty:
        return report
    said = tuple(EMPTY_FILE.format(name) for name in spools.empty)
    return dataclasses.replace(report, warnings=(*said, *report.warnings))


def load_parsed(
    store: Store,
    parsed: Sequence[ParsedFile],
    *,
    judged: Callable[[Callable[[], ValidationReport]], ValidationReport] = lambda judge: judge(),
) -> LoadReport:
    """Validate parsed files against the shapes and the store, then commit them in one
    transaction; raise and write nothing on error (`load_files` after parsing; ``POST /load``).
    `judged` is given the validation to run and returns its report: a caller that kept the
    report of the same files in the same state of the store may return that instead
    (`kg.graph.KnowledgeGraph.load_seed`).
    """
    reached("load:validate")
    quads, report, merged = _validate_parsed(store, parsed, judged)
    refuse_reference_quads(quads, _file_names(parsed))
    report.raise_for_violations()
    reached("load:commit")
    added = store.add(quads)
    reached("load:committed")
    return LoadReport(
        files=tuple(file.name for file in parsed),
        quads_read=len(quads),
        quads_added=added,
        warnings=tuple(report.warnings) + _merged_note(merged),
        quads_merged=merged,
    )


def load_quads(
    store: Store,
    quads: Iterable[ox.Quad],
    *,
    files: Sequence[str],
    origins: Mapping[object, str] | None = None,
    commit: bool = True,
    engine: str | None = None,
) -> LoadReport:
    """Validate quads that another reader made (e.g. `kg.registries.importer`) exactly as a file
    load is validated, then commit them in one transaction; raise and write nothing on error.

    `origins` maps a subject to where it came from (``file:line``) for the messages. With
    ``commit=False`` only validate: nothing is written and ``quads_added`` is 0. `engine` is
    `validate_quads`'s (by default chosen by size).
    """
    read = _unique(quads)
    unique = _as_stored(read)
    refuse_reference_quads(unique, ", ".join(files))
    report = validate_quads(unique, store, origins=origins, engine=engine)
    report.source = ", ".join(files)  # origins may name lines; the summary names the files
    report.raise_for_violations()
    added = store.add(unique) if commit else 0
    merged = len(read) - len(unique)
    return LoadReport(
        files=tuple(files),
        quads_read=len(unique),
        quads_added=added,
        warnings=tuple(report.warnings) + _merged_note(merged),
        quads_merged=merged,
    )


def _validate_parsed(
    store: Store | None,
    parsed: Sequence[ParsedFile],
    judged: Callable[[Callable[[], ValidationReport]], ValidationReport] = lambda judge: judge(),
) -> tuple[list[ox.Quad], ValidationReport, int]:
    """The parsed files' distinct quads as stored, their SHACL report (messages name each
    file; `judged` as `load_parsed`'s) and how many quads read were merged into others by the
    stored forms."""
    read = _unique(quad for file in parsed for quad in file.quads)
    quads = _as_stored(read)
    origins = {quad.subject: file.name for file in parsed for quad in file.quads}
    report = judged(lambda: validate_quads(quads, store, origins=origins))
    names = _file_names(parsed)
    if names:
        report.source = names
    return quads, report, len(read) - len(quads)


def _file_names(parsed: Sequence[ParsedFile]) -> str:
    """The files' names in the order given, as a streamed load names them (not the
    `--source-*` description)."""
    return ", ".join(file.name for file in parsed if file.name != SOURCE_DESCRIPTION)


def _unique(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return list(dict.fromkeys(quads))


def _as_stored(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The distinct quads with each literal in the form the store keeps (`stored_forms`)."""
    forms = stored_forms(q.object for q in quads if isinstance(q.object, ox.Literal))
    if not forms:
        return quads
    return _unique(
        ox.Quad(q.subject, q.predicate, forms.get(q.object, q.object), q.graph_name)  # type: ignore[arg-type]
        for q in quads
    )


def _merged_note(merged: int) -> tuple[str, ...]:
    if not merged:
        return ()
    return (
        f"{merged} quad(s) differ from others only in how a number, boolean, date or duration "
        "is written and are stored once: the store keeps such literals in canonical form "
        '("01"^^xsd:integer as "1")',
    )


def _skolemize(
    quads: Iterable[ox.Quad], digest: str, target: ox.NamedNode | None, name: str
) -> Iterable[ox.Quad]:
    # Numbering blank nodes by first appearance makes the IRIs a function of the source and
    # its bytes (`digest`): the parser's own ids for anonymous nodes are random.
    names: dict[str, ox.NamedNode] = {}

    def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> object:
        if isinstance(term, ox.BlankNode):
            node = names.get(term.value)
            if node is None:
                node = names[term.value] = ox.NamedNode(f"{_GENID}{digest[:16]}-{len(names)}")
            return node
        if isinstance(term, ox.NamedNode) and len(term.value) > MAX_IRI_CHARS:
            raise too_long_iri(len(term.value), name)
        if isinstance(term, ox.Literal) and len(term.datatype.value) > MAX_IRI_CHARS:
            raise too_long_iri(len(term.datatype.value), name)
        if isinstance(term, ox.Literal) and len(term.value) > MAX_LITERAL_CHARS:
            raise too_long_literal(len(term.value), name)
        if isinstance(term, ox.Triple):
            raise ParseError(
                f"quoted triples (RDF-star) are not supported: {term}",
                path=name,
                suggestion="state the triple itself, or describe it with rdf:Statement",
            )
        return term

    for quad in quads:
        graph_name = quad.graph_name
        if isinstance(graph_name, ox.DefaultGraph) and target is not None:
            graph_name = target
        yield ox.Quad(
            rename(quad.subject), rename(quad.predicate), rename(quad.object), rename(graph_name)
        )


def _parse_error(error: SyntaxError, name: str) -> ParseError:
    message = error.msg or str(error)
    # pyoxigraph already says "Parser error at line L between columns A and B: ..."
    if message.startswith("Parser error at line") and ": " in message:
        message = message.split(": ", 1)[1]
    if "LoadDocumentCallback" in message:  # the JSON-LD parser's wording for a remote @context
        return ParseError(
            "a JSON-LD @context named by a URL (a remote context) is not fetched: tmkg reads "
            "no document from the network while loading",
            path=name,
            line=error.lineno,
            column=error.offset,
            suggestion='write the context in the file ("@context": { ... }) instead of its URL',
        )
    return ParseError(message, path=name, line=error.lineno, column=error.offset)


class _ProgressReader(io.RawIOBase):
    """A readable stream that advances a progress bar as the parser reads."""

    def __init__(self, inner: io.BufferedIOBase, bar: _tqdm.tqdm) -> None:
        self._inner, self._bar = inner, bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self._bar.update(len(chunk))
        return len(chunk)
