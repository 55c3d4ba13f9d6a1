"""The report as data: what a report on a mark, a party or a case says, built from the
analysis service (`kg.analysis.service.Analyst`) alone, before any rendering.

Every section keeps the analyses' own result objects (usages, priority findings, conflict
paths, timeline entries, contradictions), so the HTML, the Markdown and a notebook show the
same facts; every source they cite is numbered once, in order of first citation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.analysis.arguments import check
from kg.analysis.dates import PartialDate
from kg.analysis.model import (
    FILED_KINDS,
    CaseSummary,
    ConflictPair,
    ConflictPath,
    Contradiction,
    MarkUsage,
    PartyRef,
    PriorityFinding,
    SourceRef,
    TimelineEntry,
)
from kg.analysis.service import Analyst
from kg.analysis.timeline import order_timeline
from kg.analysis.timeline_holdings import DATE_PROPERTY
from kg.analysis.wording import joined, jointly
from kg.errors import KGError, NotFound
from kg.graph import KnowledgeGraph
from kg.report.cases import CaseFacts, case_facts
from kg.report.network import DEFAULT_MAX_NODES, ConflictNetwork, cite_edges, conflict_network
from kg.report.questions import DEFAULT_SERVER, SectionQuestions, section_questions
from kg.report.watch import WatchSection, newest_hits

if TYPE_CHECKING:
    from matplotlib.figure import Figure


__all__ = ["Report", "ReportParameterError", "build_report"]

MAX_CONFLICTS = 5
"""Conflicts a report explains with paths and priority findings (the riskiest first)."""
MAX_PATHS_PER_PAIR = 2
MAX_MARKS = 5


class ReportParameterError(KGError):
    """A report was asked for with missing or conflicting parameters."""

    exit_code = 1
    http_status = 400


@dataclass
class Report:
    """Everything a report shows, in the order it shows it."""

    kind: str
    subject: str
    title: str
    scope: str
    generated: str
    summary: list[str]
    usages: list[MarkUsage]
    priority: list[PriorityFinding]
    priority_note: str | None
    conflicts: list[ConflictPair]
    paths: list[ConflictPath]
    cases: list[CaseFacts]
    timeline: list[TimelineEntry]
    contradictions: list[Contradiction]
    network: ConflictNetwork
    parameters: dict[str, str] = field(default_factory=dict)
    sources: list[SourceRef] = field(default_factory=list)
    questions: dict[str, SectionQuestions] = field(default_factory=dict)
    """Section id -> the same question in GraphiQL and the SPARQL behind it
    (`kg.report.questions`)."""
    watches: list[WatchSection] = field(default_factory=list)
    """The "Watches" section: each watch the graph keeps and its newest hits (`add_watches`);
    empty, and the section left out, when the graph keeps none."""

    def __post_init__(self) -> None:
        if not self.sources:
            self.sources = _collect_sources(self)
        self._numbers = {source.graph: n for n, source in enumerate(self.sources, 1)}
        # each figure edge cites its relations' sources; one sources contradict is marked
        disputed = {
            (c.subject, prop.strip().removeprefix("tm:"))
            for c in self.contradictions
            for prop in c.property.split("/")
        }
        cite_edges(self.network, self.cite, disputed)

    def add_watches(self, sections: Sequence[WatchSection]) -> None:
        """Add the "Watches" section; the sources of its hits are numbered after the others
        (it is the last section before the sources)."""
        self.watches = list(sections)
        for source in (s for section in sections for h in section.hits for s in h.sources):
            if source.graph not in self._numbers:
                self.sources.append(source)
                self._numbers[source.graph] = len(self.sources)

    def cite(self, sources: Iterable[SourceRef]) -> list[int]:
        """The numbers of some sources in the report's source list."""
        return sorted({self._numbers[s.graph] for s in sources if s.graph in self._numbers})

    def network_figure(self) -> Figure:
        """The conflict network as a matplotlib figure."""
        from kg.report.figures import network_figure

        return network_figure(self.network)

    def timeline_figure(self) -> Figure:
        """The timeline as a matplotlib figure."""
        from kg.report.figures import timeline_figure

        return timeline_figure(self.timeline)

    def to_html(self) -> str:
        from kg.report.render import render

        return render(self, "html")

    def to_markdown(self) -> str:
        from kg.report.render import render

        return render(self, "md")

    def _repr_html_(self) -> str:
        from kg.report.html import render_html

        return render_html(self, fragment=True)


def build_report(
    source: KnowledgeGraph | Analyst,
    *,
    mark: str | None = None,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    party: str | None = None,
    case: str | None = None,
    max_nodes: int | None = None,
    as_of: PartialDate | dt.date | str | None = None,
    include_lapsed: bool = False,
    server: str | None = None,
) -> Report:
    """The report on a mark (optionally in a jurisdiction and Nice class), a party or a case.

    Each section links to the same question on a running server: `server` is its base URL
    (default `DEFAULT_SERVER`; ``""`` for links relative to the server answering the report).

    `as_of` (a day, month or year; default today) decides which rights are in force, as for
    every analysis: dead rights are left out of who-else-uses, conflicts and priority unless
    `include_lapsed`. The timeline and the cases keep every date.

    Unknown names raise `NotFound`; a missing, doubled or misplaced parameter raises
    `ReportParameterError`; a malformed `as_of` raises `ArgumentError`.
    """
    analyst = source if isinstance(source, Analyst) else Analyst(source)
    chosen = [name for name, value in (("mark", mark), ("party", party), ("case", case)) if value]
    if len(chosen) != 1:
        raise ReportParameterError(
            "a report is on one mark, party or case",
            suggestion="give exactly one of mark, party, case",
        )
    if (jurisdiction or nice_class is not None) and not mark:
        raise ReportParameterError("jurisdiction and class narrow a mark report only")
    given = check(
        mark=mark,
        jurisdiction=jurisdiction,
        nice_class=nice_class,
        party=party,
        case=case,
        max_nodes=DEFAULT_MAX_NODES if max_nodes is None else max_nodes,
    )
    jurisdiction, nodes = given["jurisdiction"], given["max_nodes"]
    when = _When(_as_of(as_of), include_lapsed)
    if mark:
        built = _mark_report(analyst, mark, jurisdiction, nice_class, nodes, when)
    elif party:
        built = _party_report(analyst, party, nodes, when)
    else:
        built = _case_report(analyst, case, nodes, when)  # type: ignore[arg-type]
    built.questions = section_questions(
        _server(server),
        mark=mark,
        nice_class=nice_class,
        jurisdiction=jurisdiction.upper() if jurisdiction else None,
        party=built.subject if party else None,
        case=built.cases[0].summary.id if case and built.cases else case,
        as_of=str(when.as_of) if when.as_of else None,
        include_lapsed=include_lapsed,
    )
    built.add_watches(newest_hits(analyst))
    return built


# ------------------------------------------------------------------ the three kinds


def _mark_report(
    analyst: Analyst,
    mark: str,
    jurisdiction: str | None,
    nice_class: int | None,
    nodes: int,
    when: _When,
) -> Report:
    mark_iris = analyst.find_mark(mark)
    usages = analyst.who_else_uses(
        mark, nice_class=nice_class, jurisdiction=jurisdiction, **when.arguments()
    )
    code = jurisdiction.upper() if jurisdiction else None
    similar = {u.mark.id for u in usages} | set(mark_iris)
    # the conflicts over the mark and the marks like it (kg conflicts --mark): for each pair
    # of parties, their riskiest pair of rights over one of them; only those marks searched
    conflicts = list(
        analyst.conflicts(
            jurisdiction=code,
            nice_class=nice_class,
            mark=mark,
            top=MAX_CONFLICTS,
            **when.arguments(),
        )
    )
    findings, note = _priorities(analyst, mark, usages, code, nice_class, when)
    cases = case_facts(
        analyst,
        [
            c
            for c in analyst.facts.case_summaries(analyst.facts.cases()).values()
            if {m.id for m in c.marks} & similar and (not code or c.jurisdiction in (None, code))
        ],
    )
    holdings = {h for u in usages for h in u.holdings}
    # the mark's own rights keep their history in the timeline, dead or alive (a report on an
    # abandoned mark is not "nothing known": helper-108 F1); dead rights of the marks like it
    # stay out unless asked for, as in who-else-uses
    own = usages
    if not when.include_lapsed:
        every = analyst.who_else_uses(
            mark, nice_class=nice_class, jurisdiction=jurisdiction, as_of=when.as_of,
            include_lapsed=True,
        )  # fmt: skip
        own = [*usages, *(u for u in every if u.lapsed and u.mark.id in mark_iris)]
    shown = {h for u in own for h in u.holdings}
    timeline = _merge_timelines(
        [
            e
            for p in _parties(own)
            for e in _party_timeline(analyst, p, similar)
            if e.subject in shown
        ]
        + [e for c in cases for e in analyst.timeline(case=c.summary.id)]
    )
    starts = [*mark_iris, *(p.id for p in _parties(usages))]
    network = conflict_network(analyst, starts, depth=2, max_nodes=nodes)
    scope = ", ".join(
        part
        for part in (
            f"in {code}" if code else "in every jurisdiction",
            f"Nice class {nice_class} and related classes" if nice_class else "every class",
        )
    )
    report = Report(
        kind="mark",
        subject=mark,
        title=f"The mark {mark!r}",
        scope=scope,
        generated=dt.date.today().isoformat(),
        summary=[],
        usages=usages,
        priority=findings,
        priority_note=note,
        conflicts=conflicts,
        paths=_paths(analyst, conflicts, when.include_lapsed),
        cases=cases,
        timeline=timeline,
        contradictions=_relevant_contradictions(analyst, network, holdings, timeline, cases),
        network=network,
        parameters=_parameters(mark=mark, jurisdiction=code, nice_class=nice_class, **when.shown()),
    )
    report.summary = _summary(report, f"a mark like {mark!r} {scope}")
    return report


def _party_report(analyst: Analyst, name: str, nodes: int, when: _When) -> Report:
    party = analyst.find_party(name)
    facts = analyst.facts
    own = facts.holdings_of([party.id]).get(party.id, [])
    texts = sorted({h.mark.text for h in own if h.mark.text})[:MAX_MARKS]
    held = {h.id for h in own if h.kind in FILED_KINDS and h.party == party.id}
    usages = _unique_usages(
        u
        for text in texts
        for u in analyst.who_else_uses(text, excluding=party.id, **when.arguments())
        if not set(u.holdings) <= held  # its co-owners of the party's own rights: not others
    )
    # where it holds a side, alone or with co-owners: only its marks' meetings are searched
    conflicts = analyst.conflicts(party=party.id, top=MAX_CONFLICTS, **when.arguments())
    findings: list[PriorityFinding] = []
    seen: set[tuple[str, int, str]] = set()
    for conflict in conflicts:
        if not conflict.jurisdiction:
            continue
        mine = [
            m
            for side, m in zip(conflict.holders, conflict.marks, strict=True)
            if party.id in {p.id for p in side} and m
        ]
        text = mine[0].text if mine else next(m.text for m in conflict.marks if m)
        classes = sorted({c for h in own if h.mark.text == text for c in h.classes})
        if not classes:
            continue
        key = (text, classes[0], conflict.jurisdiction)
        if key not in seen:
            seen.add(key)
            findings.append(
                analyst.priority(text, classes[0], conflict.jurisdiction, **when.arguments())
            )
    case_iris = {iri for iri, _ in facts.cases_of([party.id]).get(party.id, [])}
    case_iris |= _event_cases(analyst, party)
    cases = case_facts(analyst, list(facts.case_summaries(case_iris).values()))
    timeline = list(analyst.timeline(party=party.id))
    network = conflict_network(analyst, [party.id], depth=4, max_nodes=nodes)
    holdings = {h.id for h in own} | {h for u in usages for h in u.holdings}
    report = Report(
        kind="party",
        subject=party.name,
        title=party.name,
        scope=_aliases(party),
        generated=dt.date.today().isoformat(),
        summary=[],
        usages=usages,
        priority=findings,
        priority_note=None
        if findings
        else "No conflict of this party calls for a priority "
        "finding (priority is decided per mark, class and jurisdiction).",
        conflicts=conflicts,
        paths=_paths(analyst, conflicts, when.include_lapsed),
        cases=cases,
        timeline=timeline,
        contradictions=_relevant_contradictions(analyst, network, holdings, timeline, cases),
        network=network,
        parameters=_parameters(party=name, **when.shown()),
    )
    marks = ", ".join(repr(t) for t in texts) or "its marks"
    report.summary = _summary(report, f"a mark like {party.name}'s {marks}", others=True)
    return report


def _case_report(analyst: Analyst, case: str, nodes: int, when: _When) -> Report:
    summary = analyst.case(case)
    code = summary.jurisdiction
    usages = _unique_usages(
        u
        for m in summary.marks[:MAX_MARKS]
        for u in analyst.who_else_uses(m.text, jurisdiction=code, **when.arguments())
    )
    involved = {p.id for p in (*summary.plaintiffs, *summary.defendants)}
    marks = {m.id for m in summary.marks}
    sides = _parties_only(analyst, involved)
    conflicts = [
        c  # the parties' conflicts (kg conflicts --party: their marks' meetings searched)
        for c in analyst.conflicts(jurisdiction=code, party=sorted(sides), **when.arguments())
        if {m.id for m in c.marks if m} & (marks | {u.mark.id for u in usages})
    ][:MAX_CONFLICTS]
    findings: list[PriorityFinding] = []
    note = None
    classes = Counter(c for u in usages for c in u.classes)
    if summary.marks and code and classes:
        nice_class = sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        findings.append(
            analyst.priority(summary.marks[0].text, nice_class, code, **when.arguments())
        )
    else:
        note = "The case names no mark with a class and jurisdiction to decide priority for."
    pairs = [
        (a, b)
        for a in summary.plaintiffs
        for b in summary.defendants
        if a.id in sides and b.id in sides
    ][:MAX_CONFLICTS]
    paths = [
        path
        for a, b in pairs
        for path in analyst.conflict_paths(a.id, b.id, max_length=4)[:MAX_PATHS_PER_PAIR]
    ]
    cases = case_facts(analyst, [summary])
    holdings = {h for u in usages for h in u.holdings}
    timeline = _merge_timelines(
        list(analyst.timeline(case=summary.id))
        + [
            e
            for p in (*summary.plaintiffs, *summary.defendants)
            for e in _party_timeline(analyst, p, {u.mark.id for u in usages})
            if e.subject in holdings
        ]
    )
    network = conflict_network(analyst, [summary.id, *involved], depth=2, max_nodes=nodes)
    title = f"Case {summary.label}"
    report = Report(
        kind="case",
        subject=summary.number or summary.id,
        title=title,
        scope=_case_scope(summary),
        generated=dt.date.today().isoformat(),
        summary=[],
        usages=usages,
        priority=findings,
        priority_note=note,
        conflicts=conflicts,
        paths=paths,
        cases=cases,
        timeline=timeline,
        contradictions=_relevant_contradictions(analyst, network, holdings, timeline, cases),
        network=network,
        parameters=_parameters(case=case, **when.shown()),
    )
    report.summary = _summary(report, "the case's marks" + (f" in {code}" if code else ""))
    return report


# ------------------------------------------------------------------ sections


def _priorities(
    analyst: Analyst,
    mark: str,
    usages: Sequence[MarkUsage],
    code: str | None,
    nice_class: int | None,
    when: _When,
) -> tuple[list[PriorityFinding], str | None]:
    """The finding asked for, or one per (jurisdiction, class) of the registrations and
    applications on the date (an application filed then competes for priority: a trial found
    a 2004 application's class left out of a report as of 2005)."""
    if code and nice_class:
        return [analyst.priority(mark, nice_class, code, **when.arguments())], None
    wanted = sorted(
        {
            (u.jurisdiction, c)
            for u in usages
            if u.kind in FILED_KINDS and u.jurisdiction
            for c in u.classes
            if (not code or u.jurisdiction == code) and (not nice_class or c == nice_class)
        }
    )[:3]
    note = (
        "Priority is decided per Nice class and jurisdiction: these are the ones the "
        "registrations and applications name; pass a class and a jurisdiction for one finding."
    )
    return [
        analyst.priority(mark, c, j, **when.arguments())  # type: ignore[arg-type]
        for j, c in wanted
    ], note


def _paths(
    analyst: Analyst, conflicts: Sequence[ConflictPair], include_lapsed: bool = False
) -> list[ConflictPath]:
    """The paths between the parties of the conflicts, once per pair of parties (several
    conflicts of one pair, in several places or a dead right's beside a live one, share
    their paths), in the order of the conflicts; through a right dead today only when the
    report shows dead rights (`include_lapsed`), as its conflicts do."""
    pairs: dict[frozenset[str], tuple[str, str]] = {}
    for conflict in conflicts:  # each pair as its first conflict names it, A to B
        a, b = conflict.parties
        pairs.setdefault(frozenset((a.id, b.id)), (a.id, b.id))
    found = []
    for a_id, b_id in pairs.values():
        try:
            paths = analyst.conflict_paths(a_id, b_id, max_length=4)
        except NotFound:  # a side that is no party (as in `_party_timeline`): no path
            continue
        if not include_lapsed:
            paths = [p for p in paths if not any(step.lapsed for step in p.steps)]
        found += paths[:MAX_PATHS_PER_PAIR]
    return found


def _event_cases(analyst: Analyst, party: PartyRef) -> set[str]:
    """Cases whose events involve the party (sources that name it only through events)."""
    events = analyst.facts.events_by_case(analyst.facts.cases())
    return {
        case for case, entries in events.items() if any(party.name in e.parties for e in entries)
    }


_RIGHT_ENTRIES = frozenset({*DATE_PROPERTY, "ended"})
"""The kinds of timeline entry about a right (`kg.analysis.timeline_holdings`)."""


def _party_timeline(analyst: Analyst, party: PartyRef, marks: set[str]) -> Sequence[TimelineEntry]:
    """`party`'s timeline over `marks`; none for a node the facts name as a holder or a side
    but that is no party (the store written by other means than tmkg's checked paths:
    helper-110 F1 made a mark's report 404 for it)."""
    try:
        return analyst.timeline(party=party.id, marks=marks)
    except NotFound:
        return ()


def _parties_only(analyst: Analyst, ids: Iterable[str]) -> set[str]:
    """Of `ids`, those `Analyst.find_party` finds (as in `_party_timeline`), as given."""
    found = set()
    for id_ in ids:
        try:
            analyst.find_party(id_)
        except NotFound:
            continue
        found.add(id_)
    return found


def _merge_timelines(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    # a co-owned right's filing, grant... is in each co-owner's timeline, each naming itself
    # first: one entry (events and cases keep each description)
    unique = {
        (
            e.date,
            e.kind,
            e.subject,
            frozenset(e.parties) if e.kind in _RIGHT_ENTRIES and e.parties[1:] else e.description,
        ): e
        for e in entries
    }
    return order_timeline(unique.values())


def _unique_usages(usages: Iterable[MarkUsage]) -> list[MarkUsage]:
    unique = {(u.party.id, u.mark.id, u.kind, u.jurisdiction, u.holdings): u for u in usages}
    return sorted(unique.values(), key=lambda u: (-u.similarity, u.mark.text, u.party.name))


def _parties(usages: Iterable[MarkUsage]) -> list[PartyRef]:
    return list({u.party.id: u.party for u in usages}.values())


def _relevant_contradictions(
    analyst: Analyst,
    network: ConflictNetwork,
    holdings: set[str],
    timeline: Sequence[TimelineEntry],
    cases: Sequence[CaseFacts],
) -> list[Contradiction]:
    """Contradictions about anything the report shows: its holdings, events, cases, parties,
    and the claims and events of the network's neighbourhood."""
    facts = analyst.facts
    relevant = set(holdings) | {e.subject for e in timeline} | set(network.graph.nodes)
    relevant |= {c.summary.id for c in cases}
    relevant |= {s for c in cases for s, *_ in facts.case_statements([c.summary.id])}
    canonical = facts.identities.canonical
    claims = {
        c.id
        for c in facts.claims(n for n in network.graph if network.graph.nodes[n]["kind"] == "mark")
    }
    relevant |= {canonical(i) for i in claims}
    return list(analyst.contradictions(subjects=relevant))


def _collect_sources(report: Report) -> list[SourceRef]:
    """Every source the report cites, numbered in order of first citation."""
    seen: dict[str, SourceRef] = {}

    def add(sources: Iterable[SourceRef]) -> None:
        for source in sources:
            seen.setdefault(source.graph, source)

    for usage in report.usages:
        add(usage.sources)
    for finding in report.priority:
        add(finding.sources)
        for claim in finding.competing_claims:
            add(claim.sources)
    for conflict in report.conflicts:
        add(conflict.sources)
    for case in report.cases:
        add(case.summary.sources)
        for fact in case.facts:
            add(fact.sources)
    for entry in report.timeline:
        add(entry.sources)
    for contradiction in report.contradictions:
        for side in contradiction.sides:
            add(side.sources)
    for path in report.paths:
        for step in path.steps:
            add(step.sources)
    for _a, _b, data in report.network.shown.edges(data=True):  # the figure's edges
        for relation in data.get("relations", ()):
            add(relation.sources)
    return list(seen.values())


def _side(holders: Sequence[PartyRef]) -> str:
    """A conflict's side in a sentence: "A", or "(A jointly with B)" for co-owners."""
    named = jointly(p.name for p in holders)
    return f"({named})" if len(holders) > 1 else named


def _summary(report: Report, what: str, *, others: bool = False) -> list[str]:
    """The report's opening sentences: counts, the priority finding, cases, disagreements."""
    lines = []
    # rights in force on the date; a lapsed one (shown with --include-lapsed: an expired
    # right, a former owner's) is no one's today (found by a trial: six successive owners of
    # one registration were "6 parties own or use")
    live = [u for u in report.usages if not u.lapsed]
    parties = len({u.party.id for u in live})
    holdings = len(live)
    if holdings:
        other = "other " if others else ""
        who = (
            f"1 {other}party owns or uses"
            if parties == 1
            else f"{parties} {other}parties own or use"
        )
        lines.append(f"{who} {what} ({holdings} holding{'s' if holdings != 1 else ''}).")
    else:
        lines.append(f"No party is known to own or use {what}.")
    former = {u.party.id for u in report.usages if u.lapsed} - {u.party.id for u in live}
    if former:
        lines.append(
            f"{len(former)} more {'party' if len(former) == 1 else 'parties'} held one whose "
            "right has lapsed or passed on (listed, marked lapsed)."
        )
    for finding in report.priority:
        if finding.holder:
            rule = {"FirstToFile": "first-to-file", "FirstToUse": "first-to-use"}.get(
                finding.rule or "", finding.rule or "its"
            )
            lines.append(
                f"Priority to {finding.mark!r} in class {finding.nice_class} in "
                f"{finding.jurisdiction} goes to {jointly(p.name for p in finding.holders)} "
                f"under the {rule} rule" + (f" ({finding.date})." if finding.date else ".")
            )
        else:
            lines.append(finding.explanation)
    if report.conflicts:
        top = report.conflicts[0]
        lines.append(
            f"{len(report.conflicts)} conflict{'s' if len(report.conflicts) != 1 else ''} "
            f"between parties; the riskiest: {_side(top.holders[0])} and {_side(top.holders[1])} "
            f"(score {top.score:.2f})."
        )
    as_of = PartialDate.try_parse(report.parameters.get("as of"))
    later = [c for c in report.cases if _filed_after(c, report.timeline, as_of)]
    for case in report.cases:
        if case in later:
            continue  # filed after the date asked: history (Cases, Timeline), not the answer's
        court = ", ".join(c.name for c in case.summary.courts)
        amounts = [f.value for f in case.facts if "damages" in f.label and "USD" not in f.label]
        claim = [f.value for f in case.facts if f.label == "claim"]
        sentence = f"Case {case.title}" + (f" before {court}" if court else "")
        if claim:
            sentence += f": claim {claim[0]}"
        if amounts:
            sentence += ("; " if claim else ": ") + "damages " + " or ".join(amounts)
            if len(amounts) > 1:
                sentence += " (the sources differ)"
        lines.append(sentence + ".")
    if later:
        titles = ", ".join(c.title for c in later)
        lines.append(
            f"Filed after {as_of}, so not part of this answer (listed under Cases as later "
            f"history): case{'s' if len(later) != 1 else ''} {titles}."
        )
    if report.contradictions:
        n = len(report.contradictions)
        lines.append(
            f"The sources contradict each other on {n} fact{'s' if n != 1 else ''} "
            "(see Contradictions)."
        )
    return lines


def _filed_after(
    case: CaseFacts, timeline: Sequence[TimelineEntry], as_of: PartialDate | None
) -> bool:
    """Whether a case began after `as_of`: its first dated fact (a proceeding's filing, a
    court case's first event, as `Analyst.conflicts` counts cases) falls after its last day.
    An undated case counts as begun."""
    if as_of is None:
        return False
    texts = [fact.value for fact in case.facts if fact.label.endswith(" date")]
    texts += [entry.date for entry in timeline if entry.subject == case.summary.id]
    dates = [d for text in texts if (d := PartialDate.try_parse(text)) is not None]
    return bool(dates) and min(dates).first_day > as_of.last_day


def _aliases(party: PartyRef) -> str:
    latin = [a for a in party.aliases if a.isascii()][:3]
    return ("also known as " + "; ".join(latin)) if latin else ""


def _case_scope(summary: CaseSummary) -> str:
    parts = []
    if summary.plaintiffs:
        parts.append(joined(p.name for p in summary.plaintiffs))
    if summary.defendants:
        parts.append("v. " + joined(p.name for p in summary.defendants))
    if summary.jurisdiction:
        parts.append(f"({summary.jurisdiction})")
    return " ".join(parts)


@dataclass(frozen=True)
class _When:
    """The date a report's analyses are asked on, and whether dead rights are shown."""

    as_of: PartialDate | None
    include_lapsed: bool

    def arguments(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "include_lapsed": self.include_lapsed}

    def shown(self) -> dict[str, str]:
        """The report's own parameters line: the date (today's when none was given)."""
        shown = {"as of": str(self.as_of) if self.as_of else dt.date.today().isoformat()}
        if self.include_lapsed:
            shown["lapsed rights"] = "included"
        return shown


def _server(value: str | None) -> str:
    """The base URL the report's questions link to: http(s)://host[:port][/path], or ''."""
    if value is None:
        return DEFAULT_SERVER
    if value == "":
        return ""
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/%\-]*)?", value):
        raise ReportParameterError(
            f"not a server address: {value!r}",
            suggestion="give an http(s) URL such as http://127.0.0.1:8000",
        )
    return value.rstrip("/")


def _as_of(value: PartialDate | dt.date | str | None) -> PartialDate | None:
    if value is None or value == "" or isinstance(value, PartialDate):
        return value or None
    if isinstance(value, dt.date):
        return PartialDate.parse(value.isoformat())
    return check(as_of=value)["as_of"]


def _parameters(**values: Any) -> dict[str, str]:
    return {k: str(v) for k, v in values.items() if v is not None}
