"""The `kg report` and `kg export` subcommands. Thin: parse flags, call `kg.report`, write."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kg.graph import KnowledgeGraph
from kg.report.options import DEFAULT_MAX_NODES, EXPORT_FORMATS

__all__ = ["REPORT_COMMANDS", "add_report_commands"]


def add_report_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Register `kg report` and `kg export` on the `kg` parser."""
    report = commands.add_parser(
        "report",
        parents=[common],
        help="a self-contained report on a mark, a party or a case (HTML, Markdown, PDF)",
        description="A report on a mark (in a jurisdiction and Nice class), a party or a case: "
        "summary, who else uses the mark, priority under the rule, conflicts and the paths "
        "between the parties, cases with amounts, a timeline, the sources' contradictions, "
        "every source cited, and figures of the conflict network and the timeline. HTML "
        "reports are one file that opens offline; Markdown reports get their figures as SVG "
        "files beside them.",
    )
    subject = report.add_mutually_exclusive_group(required=True)
    subject.add_argument("--mark", metavar="TEXT", help="report on a mark, e.g. AWS")
    subject.add_argument("--party", metavar="NAME", help="report on a party (name or alias)")
    subject.add_argument("--case", metavar="ID", help="report on a case (id or case number)")
    report.add_argument("--jurisdiction", metavar="CC", help="with --mark: ISO 3166-1 code")
    report.add_argument(
        "--class", dest="nice_class", type=int, metavar="N", help="with --mark: Nice class 1-45"
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="FILE.html, FILE.md or FILE.pdf; - or none: standard output (Markdown unless "
        "--format says otherwise)",
    )
    report.add_argument(
        "--format",
        choices=("html", "md", "pdf"),
        type=lambda given: {"markdown": "md"}.get(given.lower(), given.lower()),  # md's name
        help="output format, md (or markdown) (default: from the file's extension, else md)",
    )
    report.add_argument(
        "--as-of",
        metavar="DATE",
        help="the date that decides which rights are in force (YYYY-MM-DD, YYYY-MM, YYYY; "
        "default today)",
    )
    report.add_argument(
        "--include-lapsed",
        action="store_true",
        help="also show dead rights (expired, abandoned, refused, cancelled, withdrawn) on "
        "that date, marked lapsed",
    )
    report.add_argument(
        "--server",
        metavar="URL",
        help="the kg serve each section's 'ask it live' links open (default http://127.0.0.1:8000)",
    )
    report.add_argument(
        "--max-nodes",
        type=int,
        default=None,
        metavar="N",
        help=f"most nodes the network figure shows, 5-200 (default {DEFAULT_MAX_NODES})",
    )

    exporter = commands.add_parser(
        "export",
        parents=[common],
        help="write the graph or a neighbourhood for Gephi, Cytoscape, yEd or RDF tools",
        description="Export the whole graph (without the reference data), one named graph, or "
        "the neighbourhood of a party or a mark: as GraphML, GEXF or Cytoscape JSON (a node "
        "per resource with label, type and literal properties; an edge per statement), or as "
        "JSON-LD (with tmkg's context embedded), Turtle or N-Quads.",
    )
    exporter.add_argument(
        "--format", choices=EXPORT_FORMATS, help="default: from the file's extension"
    )
    exporter.add_argument("--graph", metavar="IRI", help="export this named graph only")
    scope = exporter.add_mutually_exclusive_group()
    scope.add_argument("--party", metavar="NAME", help="the neighbourhood of a party")
    scope.add_argument("--mark", metavar="TEXT", help="the neighbourhood of a mark")
    exporter.add_argument(
        "--depth",
        type=int,
        default=2,
        metavar="N",
        help="links followed from the party or mark, 1-4 (default 2)",
    )
    exporter.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="- or none: standard output"
    )


def _stdout_dash(args: argparse.Namespace) -> None:
    """`-o -` means standard output, as for `kg synth` (it wrote a file named "-")."""
    if args.output is not None and str(args.output) == "-":
        args.output = None


def _run_report(args: argparse.Namespace, graph: KnowledgeGraph) -> int:
    from kg.report.document import build_report
    from kg.report.render import FILE_FORMATS, render, write_report

    _stdout_dash(args)
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = FILE_FORMATS.get(args.output.suffix.lower())
    document = build_report(
        graph,
        mark=args.mark,
        jurisdiction=args.jurisdiction,
        nice_class=args.nice_class,
        party=args.party,
        case=args.case,
        max_nodes=args.max_nodes,
        as_of=args.as_of,
        include_lapsed=args.include_lapsed,
        server=args.server,
    )
    if args.output is None:
        if fmt == "pdf":
            from kg.errors import KGError

            raise KGError("a PDF report needs a file", suggestion="pass -o FILE.pdf")
        sys.stdout.write(render(document, fmt or "md"))
        return 0
    written = write_report(document, args.output, fmt)
    print(f"kg: wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return 0


def _run_export(args: argparse.Namespace, graph: KnowledgeGraph) -> int:
    from kg.errors import KGError
    from kg.report.export import export, format_for

    _stdout_dash(args)
    fmt = args.format or (format_for(args.output) if args.output else None)
    if fmt is None:
        raise KGError("name the export format", suggestion="pass --format or -o FILE.graphml")
    output = args.output if args.output is not None else sys.stdout.buffer
    summary = export(
        graph,
        fmt,
        output,
        named_graph=args.graph,
        party=args.party,
        mark=args.mark,
        depth=args.depth,
    )
    counts = (
        f"{summary.nodes} nodes, {summary.edges} edges from {summary.quads} quads"
        if summary.nodes is not None
        else f"{summary.quads} {'triples' if fmt == 'turtle' else 'quads'}"
    )
    where = f" to {args.output}" if args.output else ""
    print(f"kg: exported {counts} as {fmt}{where}", file=sys.stderr)
    if summary.replaced:
        print(
            f"kg: warning: replaced {summary.replaced} character(s) that XML 1.0 forbids "
            "(control characters) with U+FFFD",
            file=sys.stderr,
        )
    return 0


REPORT_COMMANDS: dict[str, Callable[[argparse.Namespace, KnowledgeGraph], int]] = {
    "report": _run_report,
    "export": _run_export,
}
