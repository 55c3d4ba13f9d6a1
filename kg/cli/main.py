"""The `kg` command line: a thin shell that parses flags, calls the service layer and prints.

Errors print as one line (``kg: error: ...``) with a non-zero exit status from the error's
class; ``--debug`` shows the traceback before it (the same line and status).
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from kg.cli.analysis import ANALYSIS_COMMANDS, add_analysis_commands, run_analysis, run_compare
from kg.cli.output import printable, render_query_result
from kg.cli.parties import PARTIES_COMMANDS, add_parties_commands, resolution_note, run_parties
from kg.cli.registry import REGISTRY_COMMANDS, add_registry_commands, run_registry
from kg.cli.report import REPORT_COMMANDS, add_report_commands
from kg.cli.watch import (
    WATCH_COMMANDS,
    add_watch_commands,
    loaded_graphs,
    run_watch_command,
    watch_note,
)
from kg.config import Settings
from kg.errors import KGError, QueryError, ValidationError
from kg.graph import KnowledgeGraph
from kg.ingest.load import EMPTY_FILE, FORMATS, detect_format, file_graph
from kg.ingest.source_header import SourceDescription
from kg.store import no_store_at

__all__ = ["build_parser", "main"]

SELECT_FORMATS = ("table", "json", "csv", "tsv", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")


def _store_path(text: str) -> Path:
    """``--store``'s folder; an empty text is refused (as a Path it is the current folder,
    which would become a store beside whatever it holds)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the store's folder is empty: name a folder")
    return Path(text)


def _port(text: str) -> int:
    """``--port``: a TCP port, 0-65535 (0: one the system picks), checked before the server
    loads anything into the store."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: give 0-65535")
    return port


def _store_options(default: object = None) -> argparse.ArgumentParser:
    """The store options, which `kg` takes before the command or after it (``kg --store S
    load F`` or ``kg load --store S F``; after it wins). Each command's copy has `default`
    ``argparse.SUPPRESS``, so an option left out there keeps what was given before it."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("store")
    group.add_argument(
        "--store",
        type=_store_path,
        metavar="PATH",
        default=default,
        help="folder of the embedded store (default: $KG_STORE, else the per-user data folder)",
    )
    group.add_argument(
        "--memory",
        action="store_true",
        default=default,
        help="use a throwaway in-memory store holding the reference data and the seed case",
    )
    group.add_argument(
        "--endpoint",
        default=default,
        metavar="URL",
        help="use a remote SPARQL 1.1 endpoint as the store instead (default: $KG_ENDPOINT)",
    )
    group.add_argument(
        "--update-endpoint",
        default=default,
        metavar="URL",
        help="its SPARQL Update endpoint, if not the same (default: $KG_UPDATE_ENDPOINT)",
    )
    group.add_argument(
        "--endpoint-user",
        default=default,
        metavar="USER",
        help="user for the endpoints, Digest or Basic auth (default: $KG_ENDPOINT_USER)",
    )
    group.add_argument(
        "--endpoint-password",
        default=default,
        metavar="PASSWORD",
        help="password for the endpoints (prefer $KG_ENDPOINT_PASSWORD, which ps does not show)",
    )
    group.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks on errors"
    )
    return common


def _version() -> str:
    """The installed distribution's version (``unknown`` when run from a bare checkout)."""
    from importlib import metadata

    try:
        return metadata.version("tmkg")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `kg` and its subcommands."""
    common = _store_options(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="kg",
        description="tmkg: a knowledge graph of trademark conflicts (RDF, SPARQL, analyses).",
        parents=[_store_options()],
    )
    parser.add_argument("--version", action="version", version=f"kg (tmkg) {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    load = commands.add_parser(
        "load",
        parents=[common],
        help="validate and load RDF files (all or nothing)",
        description="Parse, SHACL-validate and load RDF files in one transaction: if any file "
        "fails, nothing is written. Loading the same file twice adds nothing.",
    )
    load.add_argument("files", nargs="*", type=Path, metavar="FILE")
    load.add_argument("--seed", action="store_true", help="load the seed case (the AWS dispute)")
    load.add_argument(
        "--format", choices=sorted(FORMATS), help="RDF format (default: from extension)"
    )
    load.add_argument("--graph", metavar="IRI", help="named graph for triples outside any graph")
    load.add_argument(
        "--check",
        action="store_true",
        help="read and validate the files against the store, write nothing (kg validate)",
    )
    described = load.add_argument_group(
        "the file's source (for Turtle, N-Triples, RDF/XML: docs/writing.md)"
    )
    described.add_argument(
        "--source-title",
        metavar="TITLE",
        help="title of the document the file's facts come from; answers cite it",
    )
    described.add_argument("--source-publisher", metavar="NAME", help="who published it")
    described.add_argument(
        "--source-date", metavar="DATE", help="when: 2021, 2021-03 or 2021-03-02"
    )
    described.add_argument(
        "--source-kind", choices=("primary", "secondary"), help="the document itself, or a report"
    )

    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="check RDF files against the shapes and the store, without loading",
        description="Parse files and run the SHACL shapes over them together with the store's "
        "content. Exit status 0 when they conform, non-zero otherwise. Nothing is written.",
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument(
        "--format", choices=sorted(FORMATS), help="RDF format (default: from extension)"
    )
    validate.add_argument(
        "--graph", metavar="IRI", help="named graph for triples outside any graph"
    )

    query = commands.add_parser(
        "query",
        parents=[common],
        help="run a SPARQL query over the union of all graphs",
        description="Run SPARQL 1.1 over the union of all graphs (GRAPH ?g names each fact's "
        "source graph). SELECT/ASK print as table, json, csv, tsv or xml; CONSTRUCT/DESCRIBE "
        "as turtle, ntriples, nquads, trig, jsonld or rdfxml.",
    )
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("sparql", nargs="?", help="the query text")
    source.add_argument(
        "-f", "--file", type=Path, metavar="FILE.rq", help="read the query from a file"
    )
    query.add_argument(
        "--query-timeout",
        type=float,
        metavar="SECONDS",
        help="stop the query after this many seconds (default: no limit)",
    )
    query.add_argument(
        "--query-memory",
        type=int,
        metavar="MIB",
        help="the query worker's memory limit in MiB (default: 1024, or $KG_QUERY_MEMORY_MB)",
    )
    query.add_argument(
        "--format",
        choices=SELECT_FORMATS + GRAPH_FORMATS,
        help="output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE)",
    )
    query.add_argument(
        "--csv-safe",
        action="store_true",
        help="csv/tsv: prefix cells starting with = + - @ TAB CR with ' so a spreadsheet "
        "shows them as text, not formulas",
    )

    commands.add_parser(
        "stats",
        parents=[common],
        help="count quads per graph and entities per class",
        description="Print the number of quads in each named graph and of entities per "
        "ontology class.",
    )

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="start the HTTP server (loads the seed case on first start, unless --no-seed)",
        description="Start uvicorn on the store (the embedded one, or a remote SPARQL store "
        "with --endpoint): /graphql, /sparql, /report, /load. The seed case is loaded when "
        "the store does not hold it yet, unless --no-seed.",
    )
    serve.add_argument(
        "--no-seed",
        action="store_true",
        help="do not load the seed case (the AWS dispute): serve only what the store holds, "
        "e.g. a register imported with kg import",
    )
    serve.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=None, help="port (default 8000)")
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=None,
        metavar="HOST",
        help="answer requests whose Host header names HOST (repeatable; '*.example.org' for "
        "subdomains; default: $KG_ALLOWED_HOSTS, else the bound address: 127.0.0.1, "
        "localhost and [::1] on loopback); any other Host gets 400",
    )
    sparql = serve.add_argument_group("SPARQL endpoint (/sparql)")
    sparql.add_argument(
        "--query-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop a query after this long (default 30)",
    )
    sparql.add_argument(
        "--max-rows", type=int, default=None, metavar="N", help="truncate results (default 10000)"
    )
    sparql.add_argument(
        "--max-request-size",
        type=int,
        default=None,
        metavar="BYTES",
        help="refuse larger requests (default 1000000)",
    )
    sparql.add_argument(
        "--query-workers",
        type=int,
        default=None,
        metavar="N",
        help="processes that run queries (default 2)",
    )
    sparql.add_argument(
        "--query-memory",
        type=int,
        default=None,
        metavar="MIB",
        help="each query or update worker's memory limit in MiB (default 1024); past it the "
        "worker is stopped and the client gets 503",
    )
    sparql.add_argument(
        "--update-token",
        default=None,
        metavar="TOKEN",
        help="allow SPARQL Update with 'Authorization: Bearer TOKEN' (prefer $KG_UPDATE_TOKEN; "
        "default: read-only)",
    )
    sparql.add_argument(
        "--update-token-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="read the update token from this file (wins over --update-token; default: "
        "$KG_UPDATE_TOKEN_FILE)",
    )
    sparql.add_argument(
        "--max-load-size",
        type=int,
        default=None,
        metavar="BYTES",
        help="refuse POST /load bodies larger than this (default 100000000)",
    )
    sparql.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="let pages from ORIGIN call the server (repeatable; default: none)",
    )
    sparql.add_argument(
        "--allow-endpoint",
        action="append",
        default=None,
        metavar="URL",
        help="let SERVICE/LOAD reach this public endpoint (repeatable; default: none)",
    )
    graphql = serve.add_argument_group("GraphQL endpoint (/graphql)")
    graphql.add_argument(
        "--graphql-max-depth",
        type=int,
        default=None,
        metavar="N",
        help="refuse queries nested deeper than N fields (default 10)",
    )
    graphql.add_argument(
        "--graphql-max-cost",
        type=int,
        default=None,
        metavar="N",
        help="refuse queries whose estimated cost exceeds N (default 10000)",
    )
    graphql.add_argument(
        "--graphql-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="answer a request still running after this long with a TIMEOUT error (default 30)",
    )
    reports = serve.add_argument_group("Reports (/report)")
    reports.add_argument(
        "--report-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="answer a report still being built after this long with 503 (default 60)",
    )
    reports.add_argument(
        "--report-concurrency",
        type=int,
        default=None,
        metavar="N",
        help="build at most N reports at once; past it, 503 with Retry-After (default 2)",
    )
    add_analysis_commands(commands, common)
    add_report_commands(commands, common)
    add_registry_commands(commands, common)
    add_parties_commands(commands, common)
    add_watch_commands(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `kg`; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(
        store_path=args.store,
        memory=args.memory,
        endpoint=args.endpoint,
        update_endpoint=args.update_endpoint,
        endpoint_user=args.endpoint_user,
        endpoint_password=args.endpoint_password,
        debug=args.debug,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        query_timeout=getattr(args, "query_timeout", None),
        max_rows=getattr(args, "max_rows", None),
        max_request_bytes=getattr(args, "max_request_size", None),
        query_workers=getattr(args, "query_workers", None),
        query_memory_mb=getattr(args, "query_memory", None),
        update_token=getattr(args, "update_token", None),
        update_token_file=getattr(args, "update_token_file", None),
        max_load_bytes=getattr(args, "max_load_size", None),
        cors_origins=tuple(getattr(args, "cors_origin", None) or ()) or None,
        allowed_endpoints=tuple(getattr(args, "allow_endpoint", None) or ()) or None,
        graphql_max_depth=getattr(args, "graphql_max_depth", None),
        graphql_max_cost=getattr(args, "graphql_max_cost", None),
        graphql_timeout=getattr(args, "graphql_timeout", None),
        report_timeout=getattr(args, "report_timeout", None),
        report_concurrency=getattr(args, "report_concurrency", None),
        allowed_hosts=tuple(getattr(args, "allowed_host", None) or ()) or None,
        read_only=_reads_only(args) or None,
    )
    previous = _end_on_sigterm()
    try:
        if settings.endpoint and settings.memory:
            raise KGError(
                "--memory and --endpoint exclude each other", suggestion="choose one store"
            )
        missing = _missing_store(settings)
        status = _dispatch_reading(args, settings)
        if missing is not None and missing.exists():
            _warn_of_a_new_store(missing, args.command)
        return status
    except _Terminated:
        print("kg: terminated", file=sys.stderr)
        return 143  # 128 + SIGTERM, as the shell reports a process it ended
    except KGError as error:
        if settings.debug:  # the traceback, then the message and exit status as without it
            traceback.print_exc(file=sys.stderr)
        # The message may quote the data or the arguments: no control character goes raw.
        print(f"kg: error: {printable(_as_flag(error, argv), lines=True)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kg stats | head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:
        # a file the command itself reads or writes (`-o` in a missing folder, a full disk:
        # a write that fails after the open names no file, the command's -o is the one)
        filename = getattr(error, "filename", None)
        printed = False  # the failed write was of what the command prints (stdout)
        if not filename and error.errno in _WRITE_ERRORS:
            filename = getattr(args, "output", None)
            printed = filename is None
        if not filename and not printed:
            raise
        if settings.debug:
            traceback.print_exc(file=sys.stderr)
        what, suggestion = (
            ("write the standard output", "check where the output is sent: is its disk full?")
            if printed
            else (f"open or write {filename}", "check that its folder exists and can be written")
        )
        failed = KGError(f"cannot {what}: {error.strerror or error}", suggestion=suggestion)
        print(f"kg: error: {printable(str(failed), lines=True)}", file=sys.stderr)
        return failed.exit_code
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})
"""What writing a file that opened may fail with (a full disk, a quota, a file too big)."""


class _Terminated(BaseException):
    """SIGTERM (``kill``, ``timeout``, a CI job cancelled) raised in the main thread, so that
    the command ends as it does on Ctrl-C: every ``finally`` runs (a check's throwaway copy,
    a load's staged copy are removed) instead of the process vanishing mid-way."""


def _end_on_sigterm() -> signal.Handlers | None:
    """Make SIGTERM raise `_Terminated` in this thread, where it is the main thread and the
    signal has its default action (`kg serve` installs its own on start); return the handler
    it replaced, to put back, or None when nothing was changed."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return None

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    return signal.signal(signal.SIGTERM, terminated)  # type: ignore[return-value]


_READ_ATTEMPTS = 3
_SHOWN_VIOLATIONS = 20  # kg load lists the first ones, as kg import does


def _dispatch_reading(args: argparse.Namespace, settings: Settings) -> int:
    """Run the command; a read-only one again, on the store as it is now, when a writer's
    compaction deleted files of the store under it (RocksDB opens a read-only store's files
    as it reads them: "IO error: No such file or directory ... .sst"), so that the answer
    comes from one state of the store."""
    for attempt in range(_READ_ATTEMPTS):
        try:
            return _dispatch(args, settings)
        except (OSError, RuntimeError) as error:
            if isinstance(error, BrokenPipeError) or not settings.read_only:
                raise
            if "No such file" not in str(error) or getattr(error, "filename", None):
                raise  # a file the command itself opens (a report's output): not the store
            if attempt == _READ_ATTEMPTS - 1:  # --debug: main prints this error's cause
                raise KGError(
                    f"the store changed under this read-only command {_READ_ATTEMPTS} times "
                    f"(a load or a server writing it compacted its files): {error}",
                    suggestion="run it again, or when the load has ended",
                ) from error
    raise AssertionError("unreachable")


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "compare":  # two texts: no store opened
        sys.stdout.write(run_compare(args))
        return 0
    if args.command in ANALYSIS_COMMANDS:
        return _cmd_analysis(args, settings)
    if args.command in REGISTRY_COMMANDS:
        return run_registry(args, settings)
    if args.command in PARTIES_COMMANDS:
        with _open(settings) as graph:
            sys.stdout.write(run_parties(args, graph))
        return 0
    if args.command in REPORT_COMMANDS:
        with _open(settings) as graph:
            return REPORT_COMMANDS[args.command](args, graph)
    if args.command in WATCH_COMMANDS:
        return run_watch_command(args, settings)
    return _COMMANDS[args.command](args, settings)


def _reads_only(args: argparse.Namespace) -> bool:
    """Whether the command only reads the store: it then runs beside a server or a load."""
    if args.command in ("import", "load"):
        return bool(getattr(args, "check", False))
    if args.command == "parties":
        return not args.resolve
    if args.command == "watch":
        return args.watch_command in ("list", "due", "report")
    return args.command in ("query", "stats", "validate", *ANALYSIS_COMMANDS, *REPORT_COMMANDS)


def _open(settings: Settings) -> KnowledgeGraph:
    graph = KnowledgeGraph.open(settings)
    if settings.memory:
        graph.load_seed()
    return graph


def _cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    if not args.files and not args.seed:
        raise KGError("nothing to load", suggestion="name files, or pass --seed")
    if args.check:
        if args.seed or _source_description(args) is not None:
            raise KGError(
                "kg load --check checks files: not --seed or --source-*",
                suggestion="check the files alone (kg load --check FILE, or kg validate FILE)",
            )
        return _cmd_validate(args, settings)
    _warn_of_empty_files(args.files)
    with _open(settings) as graph:
        progress = sys.stderr.isatty()
        if args.seed:  # in memory too: the store starts with the seed, the line says so (0 new)
            report = graph.load_seed()
            _print_load("seed", report.quads_read, report.quads_added, report.warnings)
        if args.files:
            try:
                report = graph.load(
                    args.files,
                    format_name=args.format,
                    graph=args.graph,
                    progress=progress,
                    source=_source_description(args),
                )
            except ValidationError as error:  # the first ones, as kg import shows them
                if len(error.violations) <= _SHOWN_VIOLATIONS:
                    raise
                raise ValidationError(
                    error.violations,
                    source=error.source,
                    shown=_SHOWN_VIOLATIONS,
                    rest=": `kg validate` with the same files lists them all",
                ) from None
            _print_load(
                ", ".join(report.files),
                report.quads_read,
                report.quads_added,
                (*report.warnings, *_undescribed(graph, args)),
            )
            if report.quads_added and (note := resolution_note(graph)):
                print(note)
            if report.quads_added:  # record the watch hits of the loaded graphs (kg watch)
                loaded = loaded_graphs(graph, args.files, args.format, args.graph)
                if loaded and (note := watch_note(graph, loaded)):
                    print(note)
        if not settings.memory:
            _index_marks(graph)
    return 0


def _undescribed(graph: KnowledgeGraph, args: argparse.Namespace) -> list[str]:
    """A warning per triples-only file whose graph no source describes: answers would cite
    it by the graph's name (docs/provenance.md, giving a file its source)."""
    found = []
    for path in args.files:
        if detect_format(str(path), args.format).supports_datasets:
            continue  # a TriG or N-Quads file names and describes its own graphs
        target = args.graph or file_graph(path)
        if not graph.ask(f"ASK {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"):
            continue  # no facts (an empty file): nothing will be cited by that name
        ask = f"ASK {{ <{target}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }}"
        if not graph.ask(ask):
            found.append(
                f"{path}: its facts are in the graph {target}, which no source describes, so "
                "answers cite it by that name; give the file's source with --source-title "
                "TITLE (docs/provenance.md)"
            )
    return found


def _source_description(args: argparse.Namespace) -> SourceDescription | None:
    """The --source-* options as a description (None: no title, so no description)."""
    if args.source_title is None:
        given = [o for o in ("publisher", "date", "kind") if getattr(args, f"source_{o}")]
        if given:
            raise KGError(
                f"--source-{given[0]} describes a source: give its --source-title too",
                suggestion="a source needs a title, which answers cite",
            )
        return None
    return SourceDescription(
        title=args.source_title,
        publisher=args.source_publisher,
        date=args.source_date,
        kind=args.source_kind,
    )


def _index_marks(graph: KnowledgeGraph) -> None:
    # Keep the mark index beside the store current on load, so no later start rebuilds it.
    from kg.analysis.service import index_marks

    index_marks(graph)


def _print_load(what: str, read: int, added: int, warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    print(f"loaded {what}: {read} quads read, {added} new")


def _warn_of_empty_files(files: Sequence[str | Path]) -> None:
    """An RDF file of 0 bytes is valid (no statements), but more likely a download or an
    export cut short: say so (an empty CSV or XML register is an error of its own)."""
    for file in files:
        path = Path(file)
        if path.is_file() and path.stat().st_size == 0:
            _warn(EMPTY_FILE.format(file))


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    _warn_of_empty_files(args.files)
    with _open(settings) as graph:
        report = graph.check(args.files, format_name=args.format, graph=args.graph)
    for warning in report.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    print(f"valid: {len(report.files)} file(s), {report.quads_read} quads conform to the shapes")
    return 0


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    if args.file is not None:
        try:
            sparql = args.file.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"cannot read {args.file}: {error.strerror}") from None
    else:
        sparql = args.sparql
    from kg.store.sparql_scan import scan_sparql

    sparql = sparql.removeprefix("\ufeff")  # a byte-order mark, as editors on Windows write
    scan = scan_sparql(sparql)  # a clear message for what would crash the engine (too deep)
    if scan.form is None and _looks_like_update(sparql):
        raise QueryError(
            "kg query runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE); this is an update",
            suggestion="send updates to a running kg serve: POST /sparql with update= and "
            "the update token, or load files with kg load",
        )
    from kg.sparql.service import SparqlService

    # The query runs in a confined worker: an engine crash is one error line, no network.
    with _open(settings) as graph:
        service = SparqlService(graph, settings)
        try:
            result = service.query_result(sparql, timeout=args.query_timeout)
        finally:
            service.close()
        sys.stdout.write(
            render_query_result(result, args.format, csv_safe=args.csv_safe, warn=_warn)
        )
    return 0


_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def _looks_like_update(sparql: str) -> bool:
    """Whether the first keyword after the prologue starts an update operation."""
    from kg.store.sparql_scan import tokens

    for token in tokens(sparql):
        if token.keyword in ("PREFIX", "BASE") or token.kind in ("pname", "iri"):
            continue
        return token.keyword in _UPDATE_KEYWORDS
    return False


def _missing_store(settings: Settings) -> Path | None:
    """The store folder a command that only reads names, when it does not exist (yet) or is
    an empty folder (made by hand: no store either)."""
    path = settings.resolved_store_path
    return path if settings.read_only and path is not None and no_store_at(path) else None


def _warn_of_a_new_store(path: Path, command: str) -> None:
    """A command that only reads, asked about a store folder that did not exist, created it
    (reference data only) and answered from it: say so, for "(no results)" from a mistyped
    --store would read as "nobody else uses this mark" (session-15 trial)."""
    checked = command in ("import", "validate", "load")
    answered = "the files were checked against no data" if checked else "the answer knows no marks"
    _warn(
        f"there was no store at {path}: created an empty one (reference data only), so "
        f"{answered}; check --store (or KG_STORE), or load data first (kg load, kg import)"
    )


def _warn(message: str) -> None:
    print(f"kg: warning: {message}", file=sys.stderr)


def _note(message: str) -> None:
    """What the user should know about an answer that is not a fault (stderr)."""
    print(f"kg: {message}", file=sys.stderr)


def _cmd_analysis(args: argparse.Namespace, settings: Settings) -> int:
    with _open(settings) as graph:
        answer = run_analysis(args.command, args, graph, warn=_warn, note=_note)
        if isinstance(answer, str):
            sys.stdout.write(answer)
        else:  # printed as it is read: a whole register's conflicts
            sys.stdout.writelines(answer)
    return 0


def _cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with _open(settings) as graph:
        stats = graph.stats()
    print(f"store: {graph.store.location} ({graph.store.backend})")
    print(f"quads: {stats.total}")
    print("\nquads per graph:")
    for name, count in stats.per_graph:
        print(f"  {count:>9}  {name}")
    print("\nentities per class:")
    for name, count in stats.per_class:
        print(f"  {count:>9}  {name.replace('https://w3id.org/tmkg/ontology#', 'tm:')}")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from kg.api.app import create_app

    settings = settings.with_update_token_file()  # a bad token file fails before anything starts
    graph = KnowledgeGraph.open(settings)
    if not args.no_seed and not graph.has_seed():
        report = graph.load_seed()
        print(f"kg: loaded the seed case ({report.quads_added} new quads)", file=sys.stderr)
    _index_marks(graph)
    app = create_app(graph, settings)
    print(
        f"kg: serving {graph.store.location} on http://{settings.host}:{settings.port}/",
        file=sys.stderr,
    )
    if not settings.allowed_hosts and settings.host in ("0.0.0.0", "::"):
        print(
            "kg: answering only requests for 127.0.0.1, localhost and [::1]: name the hosts "
            "clients use with --allowed-host",
            file=sys.stderr,
        )
    # h11 buffers the request line and headers up to this size and resets the connection past
    # it: room for twice the documented URL limit, so a longer URL gets our 414, not a reset.
    # h11 by name: uvicorn's default takes httptools where it is installed (uvicorn[standard]),
    # whose parser answers 400 to any request line over ~64 kB, under the documented limit.
    head_room = 2 * settings.max_request_bytes + 65_536
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        http="h11",
        h11_max_incomplete_event_size=head_room,
    )
    return 0


_COMMANDS = {
    "load": _cmd_load,
    "validate": _cmd_validate,
    "query": _cmd_query,
    "stats": _cmd_stats,
    "serve": _cmd_serve,
}


def _as_flag(error: KGError, argv: Sequence[str] | None) -> str:
    """The error's text, naming a refused argument by the flag the user typed (``--as-of``,
    not the service's ``as_of``).

    >>> from kg.analysis.arguments import ArgumentError
    >>> _as_flag(ArgumentError("as_of", "as_of 'soon' is not a date"), ["x", "--as-of", "soon"])
    "--as-of 'soon' is not a date"
    """
    text = str(error)
    argument = getattr(error, "argument", None)
    if isinstance(argument, str):
        flag = "--" + argument.replace("_", "-")
        given = sys.argv[1:] if argv is None else argv
        if any(a == flag or a.startswith(flag + "=") for a in given) and text.startswith(argument):
            return flag + text[len(argument) :]
    return text


if __name__ == "__main__":  # last: every function above is defined by then
    sys.exit(main())
