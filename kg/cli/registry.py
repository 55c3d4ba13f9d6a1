"""The registry subcommands of `kg`: `import` (register extracts) and `synth` (a synthetic
registry as N-Quads, or a USPTO Trademark Daily XML file). Thin: parse flags, call
`kg.registries.importer` / `kg.registries.synth` / `kg.registries.synth_uspto`, print."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import KGError
from kg.graph import KnowledgeGraph
from kg.registries.plans import FORMATS

__all__ = ["REGISTRY_COMMANDS", "add_registry_commands", "run_registry"]

REGISTRY_COMMANDS = ("import", "synth")


def add_registry_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Register `kg import` and `kg synth` on the `kg` parser."""
    importer = commands.add_parser(
        "import",
        parents=[common],
        help="import register files (CSV/TSV, WIPO ST.66 and ST.96, USPTO daily XML, WIPO "
        "Madrid XML), all or nothing",
        description="Map register files as offices publish them onto the ontology (one named "
        "graph per file, linked to a tm:Source): CSV/TSV extracts, WIPO ST.66 in any namespace "
        "(EUIPO, TMview per-office services, USPTO TSDR), WIPO ST.96, USPTO Trademark Daily XML "
        "(plain or zipped) and WIPO Madrid (ROMARIN) XML. Files are streamed, validated with "
        "the SHACL shapes and written all or nothing: a bad row or element is reported with its "
        "file, line and column and nothing is written. Importing the same file twice adds "
        "nothing; a newer file's state of a registration is current and the older one stays as "
        "history. See docs/registry-import.md.",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument(
        "--format",
        choices=FORMATS,
        help="the file format (default: .csv, .tsv/.tab by extension; .xml and .zip by their "
        "root element)",
    )
    importer.add_argument(
        "--jurisdiction",
        metavar="CC",
        help="ISO 3166-1 code (or EM, BX, OA, WO) for records that name none (empty cell, no "
        "column, no RegistrationOfficeCode)",
    )
    importer.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for the imported facts (default: id/graph/import/{file stem})",
    )
    importer.add_argument(
        "--source-title",
        metavar="TITLE",
        help="dcterms:title of each file's tm:Source (default: the file name)",
    )
    importer.add_argument(
        "--check",
        action="store_true",
        help="read and validate against the store, write nothing",
    )

    synth = commands.add_parser(
        "synth",
        parents=[common],
        help="write a synthetic trademark registry as N-Quads (or a USPTO daily XML file)",
        description="Write a synthetic registry (owners, marks with near-duplicates, "
        "registrations, uses, courts and a few cases) in the ontology's terms, deterministic "
        "by seed: the same --marks and --seed give the same bytes.",
    )
    synth.add_argument(
        "--marks", type=int, default=1000, metavar="N", help="number of marks (default 1000)"
    )
    synth.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    synth.add_argument(
        "--format",
        choices=("nq", "uspto"),
        default="nq",
        help="nq: the registry as N-Quads (default); uspto: a USPTO Trademark Daily XML file "
        "of --marks case-files, for kg import",
    )
    synth.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="where to write the N-Quads or the XML ('-' for standard output)",
    )


def run_registry(args: argparse.Namespace, settings: Settings) -> int:
    """Run `kg import` or `kg synth`; return the exit status."""
    if args.command == "synth":
        return _synth(args)
    graph = KnowledgeGraph.open(settings)
    with graph:
        if settings.memory:
            graph.load_seed()
        from kg.registries.importer import import_registry

        report = import_registry(
            graph,
            args.files,
            format_name=args.format,
            jurisdiction=args.jurisdiction,
            graph_iri=args.graph,
            source_title=args.source_title,
            check=args.check,
            progress=sys.stderr.isatty(),
        )
        note = hits = None
        if not args.check and report.quads_added:
            from kg.cli.parties import resolution_note

            note = resolution_note(graph)  # owners named as a party already in the store
        if not args.check and not settings.memory and report.quads_added:
            from kg.analysis.service import index_marks

            index_marks(graph)  # keep the mark index beside the store current on load
        if not args.check and report.quads_added and report.graphs:
            from kg.cli.watch import watch_note

            hits = watch_note(graph, report.graphs)  # what newly conflicts with a watch
    for warning in report.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    files = ", ".join(report.files)
    if args.check:
        print(
            f"valid: {files}: {_registrations(report.records)}, {report.quads_read:,} quads "
            "conform to the shapes (nothing written)"
        )
    else:
        history = (
            f"; {_registrations(report.history)} updated, their earlier state kept as history"
            if report.history
            else ""
        )
        if report.older:
            history += (
                f"; {report.older} record(s) older than the registration's current state, "
                "kept as history"
            )
        print(
            f"imported {files}: {_registrations(report.records)}, {report.quads_read:,} quads "
            f"read, {report.quads_added:,} new{history}"
        )
    if note:
        print(note)
    if hits:
        print(hits)
    return 0


def _synth(args: argparse.Namespace) -> int:
    if args.marks < 1:
        raise KGError("--marks must be at least 1")
    if args.format == "uspto":
        return _synth_uspto(args)
    from kg.registries.synth import generate

    counted = _Counter(generate(args.marks, seed=args.seed))
    if args.output == "-":
        _write(counted, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        try:
            with open(args.output, "wb") as output:
                _write(counted, output)
        except OSError as error:
            raise KGError(f"cannot write {args.output}: {error.strerror}") from None
    print(
        f"wrote {counted.count} quads ({args.marks} marks, seed {args.seed}) to {args.output}",
        file=sys.stderr,
    )
    return 0


def _synth_uspto(args: argparse.Namespace) -> int:
    from kg.registries.synth_uspto import generate_daily

    chunks = (chunk.encode("utf-8") for chunk in generate_daily(args.marks, seed=args.seed))
    if args.output == "-":
        sys.stdout.buffer.writelines(chunks)
        sys.stdout.flush()
    else:
        try:
            with open(args.output, "wb") as output:
                output.writelines(chunks)
        except OSError as error:
            raise KGError(f"cannot write {args.output}: {error.strerror}") from None
    print(
        f"wrote a USPTO daily file of {args.marks} case-files (seed {args.seed}) to {args.output}",
        file=sys.stderr,
    )
    return 0


def _write(quads: _Counter, output: BinaryIO) -> None:
    ox.serialize(quads, output, ox.RdfFormat.N_QUADS)


class _Counter:
    """Passes quads through, counting them."""

    def __init__(self, quads: object) -> None:
        self._quads, self.count = quads, 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> ox.Quad:
        quad = next(self._quads)  # type: ignore[call-overload]
        self.count += 1
        return quad


def _registrations(count: int) -> str:
    return f"{count:,} registration{'' if count == 1 else 's'}"
