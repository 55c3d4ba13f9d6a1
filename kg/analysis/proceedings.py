"""Oppositions and cancellations: proceedings before an office, and the conflicts they are.

A proceeding (``tm:Opposition``, ``tm:Cancellation``, both ``tm:Proceeding``, a ``tm:Case``)
is an actual dispute: the plaintiff (the opponent, or the applicant for cancellation; ST.96
``Plaintiff``) against the holder of the contested application or registration (the
``tm:defendant`` and the owners of the ``tm:contestedRegistration``; ST.96 ``Defendant``).
Every proceeding filed on or before the date asked is a conflict between its plaintiffs and
its holders, whether or not their marks would be paired by similarity: one conflict, named
by the first plaintiff and holder (by name) that are two parties, naming every plaintiff and
holder (co-owners of the contested registration) in `ConflictPair.holders`. A party never
conflicts with itself (owl:sameAs is followed).

Score (0-1), by where the proceeding stands (`OUTCOME_SCORES`):

- upheld 1.0: the office found the conflict;
- pending (or no outcome stated) and partly upheld 0.95: a live or partly won dispute;
- rejected 0.75, withdrawn and settled 0.7: the parties did dispute the mark, but the office
  found no conflict or none was pursued.

These rank an actual dispute at or above a similarity-only conflict between registrations
(at most 0.9 without a case). When the pair is already a conflict by similarity in the same
jurisdiction, the higher score wins and the reasons and sources of both are kept.

The opponent's mark is the earlier right the proceeding invokes (tm:earlierRight). A
proceeding that names none (a cancellation for non-use, say) gives the opponent no mark:
merged with a similarity conflict, the opponent's mark (and holding) is the one that
conflict found; otherwise it is None (`ConflictPair.marks`), shown as "(earlier right not
stated)" in tables and null in JSON and GraphQL, and the reasons say "no earlier right
stated". It is never an empty mark.

As of a date: a proceeding filed later is not yet a conflict; one decided later was pending
on that date; one whose contested rights are all dead on that date (refused after an upheld
opposition, cancelled) is left out like any dead right, or kept lapsed on request.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from kg.analysis.arguments import ArgumentError
from kg.analysis.conflicts import conflict_rank
from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cited_graphs
from kg.analysis.lifecycle import on_date
from kg.analysis.model import (
    CaseSummary,
    ConflictPair,
    Holding,
    PartyRef,
    SourceRef,
    TimelineEntry,
    source_refs,
    with_names,
)
from kg.analysis.proceeding_facts import (
    KINDS,
    OUTCOMES,
    PROCEEDING_KINDS,
    Proceeding,
    holdings_by_id,
    read_proceedings,
)
from kg.analysis.register_states import states_on
from kg.analysis.similarity import compare
from kg.analysis.wording import joined, jointly

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = [
    "KINDS",
    "OUTCOMES",
    "OUTCOME_SCORES",
    "PROCEEDING_KINDS",
    "Proceeding",
    "ProceedingKeys",
    "check_kind",
    "check_outcome",
    "proceeding_conflicts",
    "proceeding_keys",
    "proceeding_timeline",
    "read_proceedings",
    "select_proceedings",
    "with_proceeding",
    "with_proceeding_conflicts",
]

OUTCOME_SCORES: Mapping[str, float] = {
    "upheld": 1.0,
    "pending": 0.95,
    "partly upheld": 0.95,
    "rejected": 0.75,
    "withdrawn": 0.7,
    "settled": 0.7,
}


def select_proceedings(
    proceedings: Iterable[Proceeding],
    *,
    parties: Iterable[str] = (),
    marks: Iterable[str] = (),
    registrations: Iterable[str] = (),
    kind: str | None = None,
    outcome: str | None = None,
) -> list[Proceeding]:
    """The proceedings matching every filter given: a party on either side (canonical IRIs),
    a contested or invoked mark, a contested registration, a kind, an outcome (unstated
    outcomes match "pending")."""
    party_set, mark_set, registration_set = set(parties), set(marks), set(registrations)
    chosen = []
    for proceeding in proceedings:
        sides = {p.id for p in (*proceeding.plaintiffs, *proceeding.holders)}
        mark_ids = {m.id for m in (*proceeding.marks, *proceeding.earlier_marks)}
        if party_set and not party_set & sides:
            continue
        if mark_set and not mark_set & mark_ids:
            continue
        if registration_set and not registration_set & set(proceeding.contested):
            continue
        if kind is not None and proceeding.kind != kind:
            continue
        if outcome is not None and (proceeding.outcome or "pending") != outcome:
            continue
        chosen.append(proceeding)
    return chosen


def proceeding_conflicts(
    conflicts: Sequence[ConflictPair],
    proceedings: Iterable[Proceeding],
    *,
    as_of: PartialDate,
    contested: Mapping[str, Sequence[Holding]] | None = None,
    include_lapsed: bool = False,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    min_score: float = 0.0,
) -> list[ConflictPair]:
    """`conflicts` with every proceeding filed by `as_of` added as a conflict (or merged into
    the conflict already found for the same two parties and jurisdiction), highest risk first
    (`kg.analysis.conflicts.conflict_rank`, as the search orders them).

    A proceeding filed within the day, month or year asked may have been filed by then and
    counts; one with no filing date counts. A decision after `as_of` is not known yet: the
    proceeding is pending on that date. `contested` maps a contested registration's IRI to its
    holdings as `kg.analysis.lifecycle.on_date` gives them with ``include_lapsed``: when every
    contested right is dead on `as_of` (an application refused after an upheld opposition, a
    registration cancelled), the conflict is left out, or with `include_lapsed` kept, marked
    lapsed, its reasons saying when and why the right ended. See the module docstring for
    the score.
    """
    merged = list(conflicts)
    # a conflict of co-owned rights stands for every pair of its holders: a proceeding
    # between any two of them merges into it (`ConflictPair.holders`)
    slots: dict[tuple[frozenset[str], str], int] = {}
    for slot, conflict in enumerate(merged):
        for key in _conflict_keys(conflict):
            slots.setdefault(key, slot)
    for asked in proceedings:
        counted = _counted(asked, as_of, jurisdiction, nice_class, min_score)
        if counted is None:
            continue
        proceeding, score, later = counted
        rights = [h for r in proceeding.contested for h in (contested or {}).get(r, ())]
        dead = [h for h in rights if h.lapsed]
        lapsed = bool(rights) and len(dead) == len(rights)
        if lapsed and not include_lapsed:
            continue
        pairs = _opposed(proceeding)
        if not pairs:
            continue
        # one conflict a proceeding, naming every plaintiff and holder (co-owners)
        pair = _conflict(proceeding, *pairs[0], score, dead if lapsed else [], later=later)
        keys = _proceeding_keys(proceeding, pairs)
        slot = next((slots[key] for key in keys if key in slots), None)
        if slot is None:
            slot = len(merged)
            merged.append(pair)
        else:
            merged[slot] = _merge(merged[slot], pair)
        for key in keys:
            slots.setdefault(key, slot)
    return sorted(merged, key=conflict_rank)


def proceeding_keys(
    proceedings: Iterable[Proceeding],
    *,
    as_of: PartialDate,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    min_score: float = 0.0,
) -> ProceedingKeys:
    """Whether `proceeding_conflicts` (asked the same) may merge a proceeding into a
    conflict: true of every conflict between two parties of one proceeding it counts, in its
    jurisdiction (and of a few more: the proceedings whose rights all lapsed are not set
    apart). What a conflict search keeping only its best conflicts keeps besides
    (`kg.analysis.conflicts.top_conflicts`): a proceeding may raise any of them."""
    keys: set[tuple[frozenset[str], str]] = set()
    for asked in proceedings:
        counted = _counted(asked, as_of, jurisdiction, nice_class, min_score)
        if counted is not None:
            keys.update(_proceeding_keys(counted[0], _opposed(counted[0])))
    return ProceedingKeys(frozenset(keys))


@dataclasses.dataclass(frozen=True)
class ProceedingKeys:
    """`proceeding_keys`' answer: called with a conflict, whether a proceeding may merge
    into it; `parties` are the IRIs of every party such a conflict has a side of."""

    keys: frozenset[tuple[frozenset[str], str]]

    def __call__(self, conflict: ConflictPair) -> bool:
        return not self.keys.isdisjoint(_conflict_keys(conflict))

    @property
    def parties(self) -> set[str]:
        return {party for pair, _ in self.keys for party in pair}


def _counted(
    proceeding: Proceeding,
    as_of: PartialDate,
    jurisdiction: str | None,
    nice_class: int | None,
    min_score: float,
) -> tuple[Proceeding, float, bool] | None:
    """A proceeding as it stood on `as_of` (pending if decided later), its score, and
    whether it was decided later; None when it does not count (filed later, another
    jurisdiction or class, a score below `min_score`)."""
    filed = PartialDate.try_parse(proceeding.filing_date)
    if filed is not None and filed.first_day > as_of.last_day:
        return None  # not yet filed on the date asked
    if jurisdiction is not None and proceeding.jurisdiction != jurisdiction:
        return None
    if nice_class is not None and nice_class not in proceeding.classes:
        return None
    decided = PartialDate.try_parse(proceeding.decision_date)
    later = decided is not None and decided.first_day > as_of.last_day
    if later:
        proceeding = dataclasses.replace(proceeding, outcome="pending", decision_date=None)
    score = OUTCOME_SCORES[proceeding.outcome or "pending"]
    return None if score < min_score else (proceeding, score, later)


def _opposed(proceeding: Proceeding) -> list[tuple[PartyRef, PartyRef]]:
    """The (plaintiff, holder) pairs of a proceeding: one party (or two records of it) is
    never in conflict with itself."""
    return [(p, h) for p in proceeding.plaintiffs for h in proceeding.holders if p.id != h.id]


def _proceeding_keys(
    proceeding: Proceeding, pairs: Iterable[tuple[PartyRef, PartyRef]]
) -> list[tuple[frozenset[str], str]]:
    """(plaintiff and holder, jurisdiction) for each of a proceeding's `_opposed` pairs: the
    keys of the conflicts it merges into (`_conflict_keys`)."""
    return [(frozenset((p.id, h.id)), proceeding.jurisdiction or "") for p, h in pairs]


def _conflict_keys(conflict: ConflictPair) -> Iterator[tuple[frozenset[str], str]]:
    """(two holders, jurisdiction) for every pair of a conflict's holders, one a side."""
    for a in conflict.holders[0]:
        for b in conflict.holders[1]:
            if a.id != b.id:
                yield frozenset((a.id, b.id)), conflict.jurisdiction or ""


def with_proceeding_conflicts(
    facts: FactBase,
    conflicts: Sequence[ConflictPair],
    *,
    as_of: PartialDate,
    include_lapsed: bool = False,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    min_score: float = 0.0,
) -> list[ConflictPair]:
    """`proceeding_conflicts` over the store's proceedings, their contested rights judged on
    `as_of` (`kg.analysis.lifecycle.on_date`)."""
    proceedings = read_proceedings(facts)
    held = holdings_by_id(facts, {r for p in proceedings for r in p.contested})
    read = states_on(facts, [h for group in held.values() for h in group], as_of)
    rights = on_date(read, as_of, include_lapsed=True)
    contested: dict[str, list[Holding]] = defaultdict(list)
    for holding in rights:
        contested[holding.id].append(holding)
    return proceeding_conflicts(
        conflicts,
        proceedings,
        as_of=as_of,
        contested=contested,
        include_lapsed=include_lapsed,
        jurisdiction=jurisdiction,
        nice_class=nice_class,
        min_score=min_score,
    )


def proceeding_timeline(
    proceedings: Iterable[Proceeding], *, parties: Iterable[str] = (), case: str | None = None
) -> list[TimelineEntry]:
    """Timeline entries (filed, decided) of the proceedings a party is in, or of one case."""
    wanted = set(parties)
    entries = []
    for proceeding in proceedings:
        sides = {p.id for p in (*proceeding.plaintiffs, *proceeding.holders)}
        if not (wanted & sides or proceeding.id == case):
            continue
        names = tuple(sorted({p.name for p in (*proceeding.plaintiffs, *proceeding.holders)}))
        against = _against(proceeding)
        by = joined(p.name for p in proceeding.plaintiffs) or "a party not named"
        verb = "opposes" if proceeding.kind == "opposition" else "seeks the cancellation of"
        if proceeding.kind == "opposition":
            filed = f"{by} opposes {against} ({proceeding.label})"
        else:
            filed = f"{by} {verb} {against} ({proceeding.label})"
        dated = [(proceeding.filing_date, f"{proceeding.kind} filed", filed)]
        if proceeding.decision_date:
            outcome = proceeding.outcome or "decided"
            dated.append(
                (
                    proceeding.decision_date,
                    f"{proceeding.kind} {outcome}",
                    f"{proceeding.label} against {against}: {outcome}",
                )
            )
        for date, kind, text in dated:
            if date:
                entries.append(
                    TimelineEntry(
                        date=date,
                        kind=kind,
                        subject=proceeding.id,
                        description=text,
                        parties=names,
                        sources=proceeding.sources,
                        statements=proceeding.statements,
                    )
                )
    return entries


def check_kind(kind: str | None) -> str | None:
    """A proceeding kind (`KINDS`, any case), or None; else `ArgumentError` naming them."""
    return _one_of(kind, KINDS, "proceeding kind")


def check_outcome(outcome: str | None) -> str | None:
    """An outcome name (`OUTCOMES`; any case, "_" or "-" for a space), or None; else
    `ArgumentError` naming them.

    >>> check_outcome("Partly_Upheld")
    'partly upheld'
    """
    return _one_of(outcome, OUTCOMES, "outcome")


def with_proceeding(
    summary: CaseSummary,
    proceedings: Iterable[Proceeding],
    known: Mapping[str, SourceRef],
) -> CaseSummary:
    """A case summary with its kind and outcome when the case is a proceeding; the
    contested marks stand in for tm:concerns when none is stated. The names of the holders
    and office it adds are cited (`known` describes their graphs' sources)."""
    for proceeding in proceedings:
        if proceeding.id == summary.id:
            defendants = tuple(
                sorted({*summary.defendants, *proceeding.holders}, key=lambda p: p.name)
            )
            # the names of the holders and office it adds, each from the graphs stating it
            statements = with_names(summary.statements, *defendants, proceeding.office)
            return dataclasses.replace(
                summary,
                kind=proceeding.kind,
                outcome=proceeding.outcome or "pending",
                office=proceeding.office,
                marks=summary.marks or proceeding.marks,
                jurisdiction=summary.jurisdiction or proceeding.jurisdiction,
                defendants=defendants,
                statements=statements,
                sources=source_refs(known, cited_graphs(statements)),
            )
    return summary


# ---------------------------------------------------------------------------- internals


def _one_of(value: str | None, allowed: Sequence[str], what: str) -> str | None:
    if value is None:
        return None
    wanted = value.strip().casefold().replace("_", " ").replace("-", " ")
    if wanted not in allowed:
        raise ArgumentError(
            what.rsplit(" ", 1)[-1],
            f"unknown {what} {value!r}",
            suggestion=f"one of: {', '.join(allowed)}",
        )
    return wanted


def _against(proceeding: Proceeding) -> str:
    what = "application" if proceeding.kind == "opposition" else "registration"
    numbers = ", ".join(proceeding.contested_numbers)
    marks = ", ".join(repr(m.text) for m in proceeding.marks)
    text = f"{what} No. {numbers}" if numbers else f"the {what}"
    if marks:
        text += f" ({marks})"
    return text


def _conflict(
    proceeding: Proceeding,
    plaintiff: PartyRef,
    holder: PartyRef,
    score: float,
    dead: Sequence[Holding],
    *,
    later: bool = False,
) -> ConflictPair:
    contested_mark = proceeding.marks[0] if proceeding.marks else None
    earlier_mark = proceeding.earlier_marks[0] if proceeding.earlier_marks else None
    similarity = (
        compare(earlier_mark.text, contested_mark.text)
        if earlier_mark and contested_mark and earlier_mark.text and contested_mark.text
        else None
    )
    classes = ", ".join(map(str, proceeding.classes)) or "no class stated"
    outcome = proceeding.outcome or "pending (no outcome stated)"
    if later:
        outcome = "pending on the date asked (decided later)"
    decided = f" on {proceeding.decision_date}" if proceeding.decision_date and not later else ""
    filed = f", filed {proceeding.filing_date}" if proceeding.filing_date else ""
    # every plaintiff and holder, the pair the conflict is named by first
    plaintiffs = (plaintiff, *(p for p in proceeding.plaintiffs if p.id != plaintiff.id))
    holders = (holder, *(h for h in proceeding.holders if h.id != holder.id))
    reasons = [
        f"{proceeding.label}{filed}: {joined(p.name for p in plaintiffs)} against "
        f"{_against(proceeding)} held by {jointly(h.name for h in holders)}, classes {classes}",
        f"outcome: {outcome}{decided} (an actual dispute, scored {score:.2f})",
    ]
    if proceeding.earlier_marks:
        invoked = ", ".join(repr(m.text) for m in proceeding.earlier_marks)
        reasons.append(
            f"earlier right invoked: {invoked}"
            + (
                f" ({', '.join(similarity.reasons) or 'similar'}, {similarity.score:.2f})"
                if similarity and similarity.score > 0
                else ""
            )
        )
    else:
        reasons.append("no earlier right stated")
    for right in dead:
        when = f" on {right.ended}" if right.ended else " (date not known)"
        number = right.registration_number or right.application_number
        what = f"No. {number}" if number else "the right"
        reasons.append(f"{right.mark.text!r} ({what}) lapsed{when}: {right.end_reason}")
    return ConflictPair(
        parties=(plaintiff, holder),
        holders=(plaintiffs, holders),
        marks=(earlier_mark, contested_mark),
        jurisdiction=proceeding.jurisdiction,
        score=score,
        mark_similarity=round(similarity.score, 4) if similarity else 0.0,
        class_relatedness=1.0 if proceeding.classes else 0.5,
        reasons=tuple(dict.fromkeys(reasons)),  # a co-owned right lapsed: said once
        holdings=(
            proceeding.earlier_rights[0] if proceeding.earlier_rights else proceeding.id,
            proceeding.contested[0] if proceeding.contested else proceeding.id,
        ),
        sources=proceeding.sources,  # its statements name its parties (`read_proceedings`)
        lapsed=bool(dead),
        proceedings=(proceeding.id,),
        statements=proceeding.statements,
    )


def _merge(current: ConflictPair, added: ConflictPair) -> ConflictPair:
    """One conflict for the pair: the higher score, every reason, source and proceeding; a
    side with no mark (a proceeding naming no earlier right) takes the other's mark and
    holding for the same party."""
    base, other = (current, added) if current.score >= added.score else (added, current)
    sources = {s.graph: s for s in (*current.sources, *added.sources)}
    marks, holdings = list(base.marks), list(base.holdings)
    similarity = base.mark_similarity
    for side, party in enumerate(base.parties):
        if marks[side] is not None:
            continue
        for index, (found, mark) in enumerate(zip(other.parties, other.marks, strict=True)):
            if found.id == party.id and mark is not None:
                marks[side], holdings[side] = mark, other.holdings[index]
                similarity = max(similarity, other.mark_similarity)
                break
    # every holder of each side, of either conflict: a co-owner is named once, the party first
    holders = []
    for side, party in enumerate(base.parties):
        names = {p.id: p for p in base.holders[side]}
        for group in other.holders:
            if party.id in {p.id for p in group}:
                names.update((p.id, p) for p in group if p.id not in names)
        holders.append(tuple(names.values()))
    return dataclasses.replace(
        base,
        holders=(holders[0], holders[1]),
        marks=(marks[0], marks[1]),
        holdings=(holdings[0], holdings[1]),
        mark_similarity=similarity,
        reasons=tuple(dict.fromkeys((*base.reasons, *other.reasons))),
        sources=tuple(sources[g] for g in sorted(sources)),
        proceedings=tuple(sorted({*current.proceedings, *added.proceedings})),
        lapsed=base.lapsed and other.lapsed,
        statements=tuple(dict.fromkeys((*base.statements, *other.statements))),
    )
