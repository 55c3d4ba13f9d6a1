"""The analysis subcommands of `kg`: who-else-uses, compare, conflicts, path, priority,
timeline, contradictions. Thin: parse flags, call `kg.analysis.service.Analyst`, print."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from kg.analysis.arguments import MAX_PATH_LENGTH, check
from kg.analysis.model import TopResults
from kg.analysis.thresholds import DEFAULT_MIN_SIMILARITY
from kg.analysis.wording import jointly
from kg.cli.output import json_array, printable, render_table
from kg.cli.proceedings import PROCEEDING_COMMANDS, add_proceeding_commands
from kg.errors import NotFound
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:  # the service and its rules load when a question runs, not for --help
    from kg.analysis.model import Result
    from kg.analysis.service import Analyst

__all__ = ["ANALYSIS_COMMANDS", "add_analysis_commands", "run_analysis", "run_compare"]

# The analysis commands' own arguments (argparse dests), checked by `kg.analysis.arguments`.
ARGUMENTS = (
    "mark", "nice_class", "jurisdiction", "excluding", "as_of", "min_similarity", "min_score",
    "origin", "destination", "max_length", "subject", "top", "party", "earlier", "later",
)  # fmt: skip
_LAPSED_HELP = (
    "also list dead rights (expired, abandoned, refused, cancelled, withdrawn) on the date, "
    "marked lapsed with the date and reason they ended"
)
_AS_OF_HELP = (
    "the date that decides what is in force, each registration read as the register stated it"
    " then (YYYY-MM-DD, YYYY-MM, YYYY; default today)"
)


def add_analysis_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Register the analysis subcommands on the `kg` parser."""
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output format (default: table)",
    )
    parents = [common, output]

    who = commands.add_parser(
        "who-else-uses",
        parents=parents,
        help="who owns or uses the same or a similar mark",
        description="Parties that own a registration for, or use, the same or a confusingly "
        "similar mark, in the same or a related Nice class, in a jurisdiction, on a date.",
    )
    who.add_argument("mark", help="the mark's text, e.g. AWS")
    who.add_argument("--class", dest="nice_class", type=int, metavar="N", help="Nice class 1-45")
    who.add_argument(
        "--jurisdiction",
        metavar="CC",
        help="ISO 3166-1 alpha-2 code (e.g. CN), or EM, BX, OA, WO for regional systems",
    )
    who.add_argument("--excluding", metavar="PARTY", help="leave out this party (name or alias)")
    who.add_argument(
        "--as-of",
        metavar="DATE",
        help="only holdings that may exist then: a day, month or year (YYYY-MM-DD, YYYY-MM, YYYY)",
    )
    who.add_argument("--include-lapsed", action="store_true", help=_LAPSED_HELP)
    _add_min_similarity(who, "mark similarity floor")

    compare = commands.add_parser(
        "compare",
        parents=parents,
        help="how alike two marks are, and why (the rules who-else-uses and conflicts apply)",
        description="Compare two marks as who-else-uses and conflicts compare every pair: the "
        "score (0-1), whether it reaches the floor, the rules that fired (docs/similarity.md) "
        "and what of each mark was compared. Neither mark need be in the graph.",
    )
    compare.add_argument("earlier", help="the earlier mark's text, e.g. UBER")
    compare.add_argument("later", help="the later mark's text, e.g. 'UBER EATS'")
    compare.add_argument(
        "--jurisdiction",
        metavar="CC",
        help="the office whose names for a figure apply (圖形 in TW, 图形 in CN); default: "
        "every office's",
    )
    _add_min_similarity(compare, "the floor for 'similar'")

    conflicts = commands.add_parser(
        "conflicts",
        parents=parents,
        help="pairs of parties with similar marks in related classes, by risk",
        description="Every pair of different parties holding similar marks in related Nice "
        "classes in one jurisdiction, ranked by an explained risk score.",
    )
    conflicts.add_argument("--jurisdiction", metavar="CC")
    conflicts.add_argument("--class", dest="nice_class", type=int, metavar="N")
    conflicts.add_argument("--min-score", type=float, default=0.5, metavar="X", help="default 0.5")
    conflicts.add_argument("--as-of", metavar="DATE", help=_AS_OF_HELP)
    conflicts.add_argument("--include-lapsed", action="store_true", help=_LAPSED_HELP)
    conflicts.add_argument(
        "--party",
        metavar="NAME",
        help="only the conflicts where this party (a name, alias or IRI) holds a side, "
        "alone or with co-owners",
    )
    conflicts.add_argument(
        "--mark",
        metavar="TEXT",
        help="only the conflicts over this mark and the marks like it (who-else-uses' hits in "
        "the place and class asked): each pair of parties' riskiest pair of rights over them",
    )
    conflicts.add_argument(
        "--top",
        type=int,
        metavar="N",
        help="only the N highest-risk conflicts (memory for N, not a register's millions); "
        "a last line says how many there are in all",
    )

    path = commands.add_parser(
        "path",
        parents=parents,
        help="why two parties conflict, step by step, each step cited",
        description="Paths between two parties, mark conflicts first (A holds or uses a mark "
        "that is, or is similar to, one B holds or uses), then the shortest through cases, "
        "partners, courts: each path with its kind, each step a sentence with its sources.",
    )
    path.add_argument("origin", metavar="PARTY_A")
    path.add_argument("destination", metavar="PARTY_B")
    path.add_argument("--max-length", type=int, default=6, metavar="N", help="default 6")
    path.add_argument("--all", action="store_true", help="every path up to --max-length")

    prio = commands.add_parser(
        "priority",
        parents=parents,
        help="who holds priority to a mark under the jurisdiction's rule",
        description="Who holds priority to a mark in a class and jurisdiction under its rule "
        "(first to file or first to use), with the competing claims.",
    )
    prio.add_argument("mark")
    prio.add_argument("--class", dest="nice_class", type=int, required=True, metavar="N")
    prio.add_argument("--jurisdiction", required=True, metavar="CC")
    prio.add_argument("--as-of", metavar="DATE", help=_AS_OF_HELP)
    prio.add_argument("--include-lapsed", action="store_true", help=_LAPSED_HELP)

    timeline = commands.add_parser(
        "timeline",
        parents=parents,
        help="dated facts about a party or a case, in order",
        description="Events, filings, grants and uses of a party (or a case's events) in date "
        "order; partial dates sort sensibly, each entry names its sources.",
    )
    timeline.add_argument(
        "subject", metavar="PARTY_OR_CASE", help="a party name or a case id/number"
    )

    commands.add_parser(
        "contradictions",
        parents=parents,
        help="facts that sources state incompatibly",
        description="The same fact given incompatible values by one or several sources, each "
        "side with its sources.",
    )
    add_proceeding_commands(commands, parents)  # kg case, kg proceedings


def _add_min_similarity(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--min-similarity",
        type=float,
        default=DEFAULT_MIN_SIMILARITY,
        metavar="X",
        help=f"{what}, 0-1 (default {DEFAULT_MIN_SIMILARITY})",
    )


def _sources(result: Result) -> str:
    sources = result.to_dict().get("sources") or []
    return "; ".join(s.get("title") or s["graph"].rsplit("/", 1)[-1] for s in sources)


def _who(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result], Callable[[Any], list[str]], list[str]]:
    results = analyst.who_else_uses(
        args.mark,
        nice_class=args.nice_class,
        jurisdiction=args.jurisdiction,
        excluding=args.excluding,
        as_of=args.as_of,
        min_similarity=args.min_similarity,
        include_lapsed=args.include_lapsed,
    )
    columns = [
        "party",
        "aliases",
        "mark",
        "held as",
        "classes",
        "in",
        "since",
        "score",
        "why",
        "sources",
    ]

    def row(u: Any) -> list[str]:
        held = u.kind.value.lower().replace("_", " ")
        if u.on_behalf_of:
            held += f" for {u.on_behalf_of.name}"
        if u.lapsed:
            held += f" (lapsed {u.ended or 'on an unknown date'}: {u.end_reason})"
        return [
            u.party.name,
            "; ".join(u.party.aliases),
            u.mark.text,
            held,
            ", ".join([*map(str, u.classes), *u.national_classes]),  # national: "tw-national 032"
            u.jurisdiction or "",
            u.since or "",
            f"{u.similarity:.2f}",
            ", ".join(u.reasons) or "(no rule fired: edit similarity alone)",
            _sources(u),
        ]

    return results, row, columns  # type: ignore[return-value]


@dataclasses.dataclass(frozen=True)
class _Streamed:
    """Results printed as they are read (`Analyst.conflict_stream`)."""

    results: Iterator[Any]


STREAM_BLOCK = 1_000
"""A streamed answer's table is printed in tables of this many results, each measured on its
own (a register's whole conflicts list is not held to measure its columns)."""


def _conflicts(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result] | _Streamed, Callable[[Any], list[str]], list[str]]:
    asked = {
        "jurisdiction": args.jurisdiction,
        "nice_class": args.nice_class,
        "min_score": args.min_score,
        "as_of": args.as_of,
        "include_lapsed": args.include_lapsed,
    }
    results: list[Result] | _Streamed
    if args.top is None and args.party is None and args.mark is None:  # the whole register
        results = _Streamed(analyst.conflict_stream(**asked)[1])
    else:
        results = analyst.conflicts(**asked, top=args.top, party=args.party, mark=args.mark)
    columns = ["score", "party A", "party B", "marks", "in", "why"]

    def row(c: Any) -> list[str]:
        return [
            f"{c.score:.2f}",
            jointly(p.name for p in c.holders[0]),  # "A jointly with B": co-owners
            jointly(p.name for p in c.holders[1]),
            " / ".join(m.text if m else "(earlier right not stated)" for m in c.marks),
            c.jurisdiction or "",
            "; ".join(c.reasons),
        ]

    return results, row, columns  # type: ignore[return-value]


def _path(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result], Callable[[Any], list[str]], list[str]]:
    results = analyst.conflict_paths(args.origin, args.destination, args.max_length, every=args.all)
    columns = ["path", "step", "explanation"]
    return results, lambda p: p, columns  # type: ignore[return-value]


def _priority(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result], Callable[[Any], list[str]], list[str]]:
    finding = analyst.priority(
        args.mark,
        args.nice_class,
        args.jurisdiction,
        as_of=args.as_of,
        include_lapsed=args.include_lapsed,
    )
    return [finding], lambda f: f, []  # type: ignore[return-value]


def _timeline(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result], Callable[[Any], list[str]], list[str]]:
    try:
        entries = analyst.timeline(party=args.subject)
    except NotFound as party_error:  # not a party: perhaps a case
        try:
            entries = analyst.timeline(case=args.subject)
        except NotFound:
            raise NotFound(
                f"no party or case named {args.subject!r}",
                suggestion=party_error.suggestion or "name a party, or a case by id or number",
            ) from None
    columns = ["date", "what", "description", "sources"]
    return entries, lambda e: [e.date or "(undated)", e.kind, e.description, _sources(e)], columns  # type: ignore[return-value]


def _note_other_subject(analyst: Analyst, subject: str, note: Callable[[str], None]) -> None:
    """A timeline's subject names a party first; where it also names a case (an IRI tail
    both share, found by a trial: party and case ``synthetic-9``), say which was shown and
    how to ask for the other."""
    try:
        party = analyst.find_party(subject)
        case = analyst.case(subject)
    except NotFound:
        return  # one of them only
    if subject.strip() in (party.name, *party.aliases):
        return  # named by its name: the party is meant
    note(
        f"{subject!r} names the party {party.name} ({party.id}), shown, and the case "
        f"{case.label} ({case.id}): `kg timeline {case.id}` for the case"
    )


def _contradictions(
    analyst: Analyst, args: argparse.Namespace
) -> tuple[list[Result], Callable[[Any], list[str]], list[str]]:
    results = analyst.contradictions()
    columns = ["kind", "fact", "explanation", "sides"]

    def row(c: Any) -> list[str]:
        sides = " | ".join(
            f"{side.value} ({'; '.join(s.title or s.graph for s in side.sources)})"
            for side in c.sides
        )
        return [c.kind, f"{c.subject_label} {c.property}", c.explanation, sides]

    return results, row, columns  # type: ignore[return-value]


ANALYSIS_COMMANDS = {
    "who-else-uses": _who,
    "conflicts": _conflicts,
    "path": _path,
    "priority": _priority,
    "timeline": _timeline,
    "contradictions": _contradictions,
    **PROCEEDING_COMMANDS,
}


def run_analysis(
    command: str,
    args: argparse.Namespace,
    graph: KnowledgeGraph,
    warn: Callable[[str], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> str | Iterator[str]:
    """Run one analysis subcommand and return its printed output, or its parts as they are
    read (a whole register's conflicts: `Analyst.conflict_stream`); `warn` gets what the
    user should know about how it was answered (a mark index that could not be used)."""
    check(**{name: getattr(args, name) for name in ARGUMENTS if hasattr(args, name)})
    from kg.analysis.service import Analyst

    analyst = Analyst(graph)
    results, row, columns = ANALYSIS_COMMANDS[command](analyst, args)
    unusable = analyst.facts.unusable_mark_index()
    if unusable is not None and warn is not None:
        warn(
            f"the mark index {unusable} was written by another version of tmkg (or under "
            "other similarity rules), so this question keyed the store's marks in memory, "
            "which is slow for a large register; any command that writes the store (kg "
            "import, kg load, or starting kg serve) rebuilds it"
        )
    if isinstance(results, _Streamed):
        return _streamed_output(results, row, columns, args.format)
    left_out = _shown(results, getattr(args, "top", None))
    if command == "conflicts" and args.party and note is not None:
        chosen = analyst.find_party(args.party)  # read once already: no store read
        if args.party.strip() not in (chosen.name, chosen.id):  # an alias, a part of a name
            note(f"--party {args.party!r} is {chosen.name} ({chosen.id})")
    if command == "timeline" and note is not None:
        _note_other_subject(analyst, args.subject, note)
    if args.format == "json":
        if left_out and note is not None:
            note(left_out)
        return "".join(json_array(results))
    if command == "path":
        return printable(_render_paths(results), lines=True) or _no_path(args.max_length)
    if command == "priority":
        return printable(_render_priority(results[0]), lines=True)
    if not results:
        return "(no results)\n"
    shared = (
        _shared_notes(results, analyst.set_aside(args.mark)) if command == "who-else-uses" else ()
    )
    if shared:
        results = [dataclasses.replace(r, reasons=_unshared(r.reasons, shared)) for r in results]
    said = "".join(f"every hit: {printable(note)}\n" for note in shared)
    table = render_table(columns, [row(r) for r in results], wrap=True)
    return said + table + (f"({left_out})\n" if left_out else "")


def _streamed_output(
    streamed: _Streamed, row: Callable[[Any], list[str]], columns: list[str], form: str
) -> Iterator[str]:
    """The output of `run_analysis` for `streamed`, a part at a time: the JSON array
    (`json_array`), or tables of `STREAM_BLOCK` results."""
    if form == "json":
        yield from json_array(streamed.results, STREAM_BLOCK)
        return
    results = iter(streamed.results)
    block = list(islice(results, STREAM_BLOCK))
    if not block:
        yield "(no results)\n"
    while block:
        yield render_table(columns, [row(r) for r in block], wrap=True)
        block = list(islice(results, STREAM_BLOCK))


def run_compare(args: argparse.Namespace) -> str:
    """`kg compare`: two marks compared (`Analyst.compare`), printed; no store is opened."""
    from kg.analysis.service import Analyst

    found = Analyst.compare(
        args.earlier,
        args.later,
        jurisdiction=args.jurisdiction,
        min_similarity=args.min_similarity,
    )
    if args.format == "json":
        return json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return printable(_render_comparison(found), lines=True)


def _shown(results: Sequence[Any], top: int | None) -> str | None:
    """How much of a `TopResults` answer asked with ``--top`` is shown, in words (None
    without ``--top``)."""
    if top is None or not isinstance(results, TopResults):
        return None
    if results.total == 1:
        return f"the one conflict shown: --top {top}"
    if results.total <= len(results):
        return f"all {results.total:,} conflicts shown: --top {top}"
    return f"{len(results):,} of {results.total:,} conflicts shown, the highest-risk: --top {top}"


def _shared_notes(hits: Sequence[Any], notes: Sequence[str]) -> tuple[str, ...]:
    """Of `notes` on what the question's own text lost (`'INC.' of 'STEELCASE INC.' set aside
    ...`: `Analyst.set_aside`), those every one of two or more hits gives: said once above
    the table instead of on every row."""
    if len(hits) < 2:
        return ()
    return tuple(note for note in notes if all(note in hit.reasons for hit in hits))


def _unshared(reasons: Sequence[str], shared: Sequence[str]) -> tuple[str, ...]:
    return tuple(reason for reason in reasons if reason not in shared)


def _render_paths(paths: Sequence[Any]) -> str:
    lines = []
    for number, path in enumerate(paths, 1):
        lines.append(
            f"path {number}, {path.kind} ({path.length} step{'' if path.length == 1 else 's'}): "
            f"{path.origin.name} -> {path.destination.name}"
        )
        for index, step in enumerate(path.steps, 1):
            lines.append(f"  {index}. {step.explanation}")
            cited = "; ".join(s.title or s.graph for s in step.sources)
            # a similarity is tmkg's own finding: its sources are those of the texts compared
            lines.append(
                f"     {'texts from' if step.similarity is not None else 'sources'}: {cited}"
            )
    return "\n".join(lines) + ("\n" if lines else "")


def _render_priority(finding: Any) -> str:
    lines = [
        f"mark: {finding.mark!r}, class {finding.nice_class}, {finding.jurisdiction}",
        f"rule: {finding.rule or 'unknown'}"
        + (f" — {finding.rule_basis}" if finding.rule_basis else ""),
        f"holder: {jointly(p.name for p in finding.holders) if finding.holder else '(undecided)'}"
        + (f", {finding.date}" if finding.date else "")
        + (f" ({finding.date_basis})" if finding.date_basis else ""),
        finding.explanation,
    ]
    if finding.sources:
        lines.append("sources: " + "; ".join(s.title or s.graph for s in finding.sources))
    if finding.competing_claims:
        lines.append("competing claims:")
        for claim in finding.competing_claims:
            sources = "; ".join(s.title or s.graph for s in claim.sources)
            counts = (
                f"; counts from {claim.effective_date} ({claim.effective_basis})"
                if claim.effective_date
                else (f"; {claim.effective_basis}" if claim.effective_basis else "")
            )
            described = f" — {claim.description}" if claim.description else ""
            cited = f" [{sources}]" if sources else ""
            holders = jointly(p.name for p in claim.holders)  # a co-owned right: all
            lines.append(
                f"  - {holders}: {claim.basis} {claim.date or '(undated)'}{counts}"
                f"{described}{cited}"
            )
    return "\n".join(lines) + "\n"


def _render_comparison(found: Any) -> str:
    verdict = "similar" if found.similar else "not similar"
    sign = ">=" if found.similar else "<"
    lines = []
    for which in ("earlier", "later"):
        text, element = getattr(found, which), getattr(found, f"compared_{which}")
        romanized = getattr(found, f"romanized_{which}")
        if element is None:
            how = "a figure: not compared"
        else:
            how = f"compared as {element!r}" if element != text else "compared whole"
            if romanized and romanized != element:
                how += f", read {romanized}"
        lines.append(f"{which + ':':<9}{text}  ({how})")
    digits = 2  # more where rounding would cross the floor (0.895 is not 0.90 >= 0.9)
    while digits < 6 and (round(found.score, digits) >= found.min_similarity) != found.similar:
        digits += 1
    shown = f"{found.score:.{digits}f}"
    lines.append(f"score:   {shown}: {verdict} ({sign} {found.min_similarity:g})")
    if found.reasons:
        why = ", ".join(found.reasons)
    elif found.compared_earlier is None or found.compared_later is None:
        why = "(nothing compared: a figure has no words)"
    else:
        why = "(no rule fired: the score is the letters' edit similarity alone)"
    lines.append(f"why:     {why}")
    lines += [f"note:    {note}" for note in found.notes]
    if found.jurisdiction:
        lines.append(f"office:  {found.jurisdiction} (its words for a figure looked for)")
    return "\n".join(lines) + "\n"


def _no_path(max_length: int) -> str:
    """What `kg path` prints when no path is that short: the limit, and how to raise it."""
    more = (
        f" (--max-length N for longer ones, up to {MAX_PATH_LENGTH}; a change of owner is "
        "two steps)"
        if max_length < MAX_PATH_LENGTH
        else ""
    )
    return f"no path within the length limit: {max_length} steps{more}\n"
