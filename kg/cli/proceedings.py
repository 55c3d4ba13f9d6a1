"""The `kg case`, `kg judgments`, `kg claims` and `kg proceedings` subcommands: a case (a
court case, an opposition or a cancellation), its judgments and the claims sources report
(each value with its sources), and the oppositions and cancellations. Thin: parse flags, call
`kg.analysis.service.Analyst`, return rows for `kg.cli.analysis.run_analysis` to print."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kg.analysis.arguments import check
from kg.analysis.proceeding_facts import KINDS, OUTCOMES

__all__ = ["PROCEEDING_COMMANDS", "add_proceeding_commands"]

if TYPE_CHECKING:  # loaded when a question runs
    from kg.analysis.model import Result
    from kg.analysis.service import Analyst

Rows = tuple["list[Result]", Callable[[Any], list[str]], list[str]]


def add_proceeding_commands(
    commands: argparse._SubParsersAction, parents: Sequence[argparse.ArgumentParser]
) -> None:
    """Register `kg case` and `kg proceedings` on the `kg` parser."""
    case = commands.add_parser(
        "case",
        parents=list(parents),
        help="a case: its parties by role, court or office, marks, kind and outcome",
        description="A case by IRI, IRI tail or case number: a court case, or an opposition or "
        "cancellation before an office (with its kind and outcome).",
    )
    case.add_argument("subject", metavar="CASE", help="a case id or number")
    judged = commands.add_parser(
        "judgments",
        parents=list(parents),
        help="a case's judgments: damages, costs, payers, payees, orders, each with its sources",
        description="The judgments of a case (by IRI tail or case number): every value as its "
        "sources state it, with those sources; values sources give differently stay apart.",
    )
    judged.add_argument("subject", metavar="CASE", help="a case id or number")
    claimed = commands.add_parser(
        "claims",
        parents=list(parents),
        help="claims to marks that sources report (first use, filing...), each with its sources",
        description="Claims to marks (tm:Claim) as their sources report them, one per claim and "
        "claimant: what is claimed, for which mark, where, from when, each value with its "
        "sources.",
    )
    claimed.add_argument("--mark", metavar="TEXT", help="claims to this mark")
    claimed.add_argument("--party", metavar="PARTY", help="claims this party makes")
    found = commands.add_parser(
        "proceedings",
        parents=list(parents),
        help="oppositions and cancellations, by filing date",
        description="Oppositions and cancellations before trademark offices, by filing date: "
        "opponent, contested application, classes, outcome.",
    )
    found.add_argument("--party", metavar="PARTY", help="a party on either side")
    found.add_argument("--mark", metavar="TEXT", help="a mark, contested or invoked")
    found.add_argument("--kind", choices=KINDS[:2], help="opposition or cancellation")
    found.add_argument(
        "--outcome", choices=[o.replace(" ", "-") for o in OUTCOMES], help="where it stands"
    )


def _case(analyst: Analyst, args: argparse.Namespace) -> Rows:
    summary = analyst.case(args.subject)
    columns = ["case", "kind", "outcome", "plaintiffs", "defendants", "before", "marks", "sources"]

    def row(s: Any) -> list[str]:
        names = lambda refs: "; ".join(p.name for p in refs)  # noqa: E731
        return [
            s.label,
            s.kind or "court case",
            s.outcome or "",
            names(s.plaintiffs),
            names(s.defendants),
            names(s.courts) or (s.office.name if s.office else ""),
            "; ".join(m.text for m in s.marks),
            "; ".join(src.title or src.graph for src in s.sources),
        ]

    return [summary], row, columns


_JUDGMENT_COLUMNS = (
    ("date", "dates"),
    ("court", "courts"),
    ("damages", "damages"),
    ("costs", "costs"),
    ("currency", "currencies"),
    ("payers", "payers"),
    ("payees", "payees"),
    ("orders", "orders"),
    ("description", "descriptions"),
)


def _judgments(analyst: Analyst, args: argparse.Namespace) -> Rows:
    found = analyst.judgments(args.subject)
    titles = {s.graph: s.title or s.graph for j in found for s in j.sources}
    numbers = {graph: n for n, graph in enumerate(sorted(titles, key=titles.get), 1)}

    cell = _stated_cell(numbers)

    def row(j: Any) -> list[str]:
        ordered = sorted(j.sources, key=lambda s: numbers[s.graph])
        cited = "; ".join(f"[{numbers[s.graph]}] {titles[s.graph]}" for s in ordered)
        return [cell(getattr(j, name)) for _, name in _JUDGMENT_COLUMNS] + [cited]

    return found, row, [title for title, _ in _JUDGMENT_COLUMNS] + ["sources"]


def _claims(analyst: Analyst, args: argparse.Namespace) -> Rows:
    check(name=args.party, mark=args.mark)
    found = analyst.claims(mark=args.mark, party=args.party)
    titles = {s.graph: s.title or s.graph for c in found for s in c.sources}
    numbers = {graph: n for n, graph in enumerate(sorted(titles, key=titles.get), 1)}
    cell = _stated_cell(numbers)

    def row(c: Any) -> list[str]:
        ordered = sorted(c.sources, key=lambda s: numbers[s.graph])
        return [
            cell((c.claimant,)),
            cell(c.kinds),
            cell(c.marks),
            cell(c.jurisdictions),
            cell(c.dates),
            cell(c.descriptions),
            "; ".join(f"[{numbers[s.graph]}] {titles[s.graph]}" for s in ordered),
        ]

    columns = ["claimant", "claim", "mark", "where", "date", "description", "sources"]
    return found, row, columns


def _stated_cell(numbers: dict[str, int]) -> Callable[[Any], str]:
    """Values as "text [1, 5]", or "text [1 via 7]" when read through an identity."""

    def cited(v: Any) -> str:
        stated = ", ".join(str(numbers[g]) for g in v.statement.sources)
        via = ", ".join(str(numbers[g]) for g in v.statement.identities if g in numbers)
        return f"[{stated} via {via}]" if via else f"[{stated}]"

    return lambda values: "; ".join(f"{v.text} {cited(v)}" for v in values)


def _proceedings(analyst: Analyst, args: argparse.Namespace) -> Rows:
    check(name=args.party, mark=args.mark)
    results = analyst.proceedings(
        party=args.party,
        mark=args.mark,
        kind=args.kind,
        outcome=args.outcome.replace("-", " ") if args.outcome else None,
    )
    columns = ["filed", "proceeding", "opponent", "against", "classes", "outcome", "decided"]

    def row(p: Any) -> list[str]:
        against = ", ".join(
            f"{number} {mark.text!r}".strip()
            for number, mark in zip(p.contested_numbers, p.marks, strict=False)
        )
        return [
            p.filing_date or "(undated)",
            p.label,
            "; ".join(x.name for x in p.plaintiffs),
            f"{against} ({'; '.join(x.name for x in p.holders)})",
            ", ".join(map(str, p.classes)),
            p.outcome or "pending",
            p.decision_date or "",
        ]

    return results, row, columns  # type: ignore[return-value]


PROCEEDING_COMMANDS: dict[str, Callable[[Analyst, argparse.Namespace], Rows]] = {
    "case": _case,
    "judgments": _judgments,
    "claims": _claims,
    "proceedings": _proceedings,
}
