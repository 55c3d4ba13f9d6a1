"""`kg parties`: party resolution. Thin: parse flags, call `kg.analysis.resolution`, print."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from kg.analysis.thresholds import CANDIDATE_MIN_SCORE
from kg.cli.output import render_table
from kg.errors import KGError
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:  # loaded when a command runs
    from kg.analysis.resolution import PartyMatch

__all__ = ["PARTIES_COMMANDS", "add_parties_commands", "resolution_note", "run_parties"]

PARTIES_COMMANDS = ("parties",)
_COLUMNS = ["score", "name", "other name", "normalized", "method", "party", "other party"]


def add_parties_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Register `kg parties` on the `kg` parser."""
    parties = commands.add_parser(
        "parties",
        parents=[common],
        help="party resolution: link same-named parties, list possible duplicates",
        description="--resolve links parties whose names are the same once legal forms, case, "
        "punctuation and full-width forms are set aside (owl:sameAs with the evidence, in "
        "id/graph/resolution; kg load and kg import do it after each load). --duplicates "
        "lists the pairs below that threshold for a person to confirm; they are never linked.",
    )
    action = parties.add_mutually_exclusive_group(required=True)
    action.add_argument("--resolve", action="store_true", help="link exact normalized matches")
    action.add_argument(
        "--duplicates", action="store_true", help="list candidates below the automatic threshold"
    )
    parties.add_argument(
        "--min-score",
        type=float,
        default=CANDIDATE_MIN_SCORE,
        metavar="X",
        help=f"with --duplicates: the lowest score listed (default {CANDIDATE_MIN_SCORE})",
    )
    parties.add_argument("--format", choices=("table", "json"), default="table")


def run_parties(args: argparse.Namespace, graph: KnowledgeGraph) -> str:
    """Run `kg parties`; return what to print."""
    from kg.analysis.resolution import duplicate_candidates, resolve_parties

    if args.resolve:
        matches = resolve_parties(graph)
        summary = f"linked {len(matches)} pair(s) of parties in id/graph/resolution\n"
    else:
        if not 0 <= args.min_score <= 1:
            raise KGError("--min-score must be between 0 and 1")
        matches = duplicate_candidates(graph, args.min_score)
        summary = ""
    if args.format == "json":
        return json.dumps([m.row() for m in matches], ensure_ascii=False, indent=2) + "\n"
    if not matches:
        return summary or "no candidate duplicates\n"
    return summary + render_table(_COLUMNS, [_row(m) for m in matches], wrap=True)


def _row(match: PartyMatch) -> list[str]:
    return [
        f"{match.score:.2f}",
        match.left_name,
        match.right_name,
        match.normalized,
        match.method,
        match.left,
        match.right,
    ]


def resolution_note(graph: KnowledgeGraph) -> str | None:
    """After a load: link new exact matches; a line saying what was linked, or None."""
    from kg.analysis.resolution import resolve_parties

    matches = resolve_parties(graph)
    if not matches:
        return None
    return f"resolved {len(matches)} pair(s) of parties as one (kg parties --duplicates for more)"
