"""`kg watch`: watches on marks and the hits each import finds (docs/watch.md). Thin: parse
flags, call `kg.analysis.watch_definitions` and the `Analyst` watch methods, print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.analysis.watch_model import WatchHit
from kg.cli.output import printable, render_table
from kg.config import Settings
from kg.graph import KnowledgeGraph
from kg.ingest.load import detect_format, file_graph

__all__ = [
    "WATCH_COMMANDS",
    "add_watch_commands",
    "loaded_graphs",
    "run_watch",
    "watch_note",
]

WATCH_COMMANDS = ("watch",)
_HIT_COLUMNS = [
    "detected",
    "watch",
    "kind",
    "mark",
    "score",
    "jurisdiction",
    "classes",
    "status",
    "holder",
    "window ends",
    "registration",
    "reasons",
]
_WATCH_COLUMNS = [
    "id",
    "text",
    "owner",
    "classes",
    "related",
    "jurisdictions",
    "min score",
    "registration",
    "created",
]


def add_watch_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Register `kg watch` (add, list, remove, due, report) on the `kg` parser."""
    watch = commands.add_parser(
        "watch",
        parents=[common],
        help="watch marks: after each kg import or kg load, what newly conflicts with them",
        description="A watch names a mark (its text, optionally your own registration of it), "
        "the Nice classes and jurisdictions to watch, a minimum similarity and who it is for. "
        "Each kg import and kg load records, for every watch, the new filings, status changes, "
        "oppositions and lapses of your own right that conflict with it, as dated hits citing "
        "the imported file, with the opposition window of published applications. See "
        "docs/watch.md.",
    )
    actions = watch.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add a watch on a mark")
    add.add_argument("text", metavar="TEXT", help="the watched mark's text")
    add.add_argument("--for", dest="owner", required=True, metavar="WHO", help="who it is for")
    add.add_argument(
        "--registration",
        metavar="IRI",
        help="your own registration of the mark (IRI or us-90000001): never a hit, and a hit "
        "when it lapses",
    )
    add.add_argument(
        "--class",
        dest="classes",
        type=int,
        nargs="+",
        action="extend",
        default=[],
        metavar="N",
        help="Nice classes to watch (default: every class)",
    )
    add.add_argument(
        "--related-classes", action="store_true", help="count marks in related classes too"
    )
    add.add_argument(
        "--jurisdiction",
        dest="jurisdictions",
        nargs="+",
        action="extend",
        default=[],
        metavar="CODE",
        help="jurisdictions to watch (ISO 3166-1, EM, BX, OA, WO; default: every one)",
    )
    add.add_argument(
        "--min-score",
        type=float,
        default=0.8,
        metavar="X",
        help="least mark similarity that makes a hit, above 0 and at most 1 (default 0.8)",
    )
    add.add_argument("--format", choices=("table", "json"), default="table")
    listing = actions.add_parser("list", parents=[common], help="list the watches")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    remove = actions.add_parser("remove", parents=[common], help="remove a watch and its hits")
    remove.add_argument("id", metavar="ID", help="the watch's id (kg watch list)")
    due = actions.add_parser(
        "due", parents=[common], help="hits whose opposition window closes soon"
    )
    due.add_argument(
        "--within", type=int, default=14, metavar="DAYS", help="days from today (default 14)"
    )
    due.add_argument("--today", metavar="DATE", help="count from this day (default: today, UTC)")
    due.add_argument("--format", choices=("table", "json"), default="table")
    report = actions.add_parser("report", parents=[common], help="the hits recorded")
    report.add_argument("--since", metavar="DATE", help="hits detected on or after this day")
    report.add_argument("--watch", metavar="ID", help="one watch's hits")
    # html: the report of kg.report.watch (a figure, a section per watch)
    report.add_argument("--format", choices=("table", "json", "html"), default="table")


def run_watch(args: argparse.Namespace, graph: KnowledgeGraph) -> str:
    """Run one `kg watch` action; return what to print."""
    from kg.analysis.service import Analyst
    from kg.analysis.watch_definitions import add_watch, remove_watch

    analyst = Analyst(graph)
    action = args.watch_command
    if action == "add":
        watch = add_watch(
            graph,
            args.text,
            owner=args.owner,
            registration=args.registration,
            classes=args.classes,
            related_classes=args.related_classes,
            jurisdictions=args.jurisdictions,
            min_score=args.min_score,
        )
        if args.format == "json":
            return watch.to_json() + "\n"
        return f"watch {watch.id} on {printable(watch.text)!r} for {printable(watch.owner)}\n"
    if action == "list":
        watches = analyst.watches()
        if args.format == "json":
            return json.dumps([w.to_dict() for w in watches], ensure_ascii=False, indent=2) + "\n"
        if not watches:
            return "no watches (add one with kg watch add)\n"
        rows = [
            [
                w.id,
                w.text,
                w.owner,
                ", ".join(map(str, w.classes)) or "all",
                "yes" if w.related_classes else "no",
                ", ".join(w.jurisdictions) or "all",
                f"{w.min_score:g}",
                w.registration or "",
                w.created,
            ]
            for w in watches
        ]
        return render_table(_WATCH_COLUMNS, rows, wrap=True)
    if action == "remove":
        remove_watch(graph, args.id)
        return f"removed watch {args.id} and its hits\n"
    if action == "due":
        hits = analyst.watches_due(args.within, args.today)
        return _hits_output(hits, args.format, "no opposition window closes in that time\n")
    hits = analyst.watch_hits(since=args.since, watch=args.watch)
    if args.format == "html":
        # The HTML report (figure, per-watch sections) is kg.report.watch's.
        from kg.report.watch import render_watch_html

        watches = [analyst.watch(args.watch)] if args.watch else analyst.watches()
        return render_watch_html(watches, hits, since=args.since)
    return _hits_output(hits, args.format, "no hits\n")


def _hits_output(hits: Sequence[WatchHit], output: str, empty: str) -> str:
    if output == "json":
        return json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2) + "\n"
    if not hits:
        return empty
    rows = [
        [
            h.detected,
            h.watch,
            h.kind.value,
            h.mark.text,
            f"{h.score:.2f}",
            h.jurisdiction or "",
            ", ".join(map(str, h.classes)),
            h.status or "",
            h.holder.name if h.holder else "",
            h.window.end or "" if h.window else "",
            h.registration,
            "; ".join(h.reasons),
        ]
        for h in hits
    ]
    return render_table(_HIT_COLUMNS, rows, wrap=True)


def run_watch_command(args: argparse.Namespace, settings: Settings) -> int:
    """`kg watch ...` end to end: open the store, run, print; the exit status."""
    graph = KnowledgeGraph.open(settings)
    with graph:
        if settings.memory:
            graph.load_seed()
        sys.stdout.write(run_watch(args, graph))
    return 0


# ------------------------------------------------------------------ after kg import / kg load


def watch_note(graph: KnowledgeGraph, graphs: Sequence[str]) -> str | None:
    """Record the watch hits of the graphs an import or a load just wrote; the line to print
    (``kg: 3 new watch hits``) when there are any, else None."""
    from kg.analysis.watch_hits import record_hits

    count = record_hits(graph, graphs)
    if not count:
        return None
    return f"kg: {count} new watch hit{'' if count == 1 else 's'}"


def loaded_graphs(
    graph: KnowledgeGraph,
    paths: Sequence[str | Path],
    format_name: str | None,
    target: str | None,
) -> list[str]:
    """The named graphs `kg load` wrote `paths` into: `target` (``--graph``) or each
    triples-only file's own graph, and the graphs a TriG or N-Quads file names (read again,
    only when some watch is defined: `record_hits` needs them)."""
    from kg.analysis.watch import read_watches

    if not read_watches(graph):
        return []
    found: dict[str, None] = {}  # in order, each once (a file states millions of quads)
    for path in paths:
        rdf_format = detect_format(str(path), format_name)
        if not rdf_format.supports_datasets:
            found.setdefault(target or file_graph(path))
            continue
        for quad in ox.parse(path=str(path), format=rdf_format):
            if isinstance(quad.graph_name, ox.NamedNode):
                found.setdefault(quad.graph_name.value)
    return list(found)
