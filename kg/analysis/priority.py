"""Priority: who holds the earlier right to a mark under the jurisdiction's rule.

First-to-file (e.g. CN): the earliest filing date (else registration date) among
registrations of the same or a similar mark in the class or a related class. First-to-use
(e.g. US): the earliest start of use; a partner's use counts for the brand owner it operates
for. Every other claim — later filings, uses, a party's own claim of first use — is listed
beside the finding, with its date and sources. A pending application is a filing (its filing
date counts); a dead right (`kg.analysis.lifecycle.on_date`) never decides priority, and is
listed only when asked for, marked lapsed with the date and reason it ended. A right not yet
filed (or used, or acquired) on the date asked is no claim on it and is not listed at all,
lapsed or not (`kg.analysis.lifecycle.begun`, applied before).

What an application claims moves its date (`kg.analysis.registration_claims`): a Paris
priority claim made within six months, the stated first use in commerce under first-to-use,
a registered mark's filing as constructive use (Lanham Act §7(c)): it counts from that date
against all but earlier users; a pending application's filing only where no dated use is
recorded (contingent on registration). Each
competing claim carries the date it counts from and why; a claim of prior use under
first-to-file is named with the provision it rests on (the jurisdiction's tm:priorUseBasis).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kg.analysis.co_owners import co_owners, right
from kg.analysis.coverage import covers, route_note
from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cited_graphs, shown, stated_values
from kg.analysis.model import (
    FILED_KINDS,
    Cited,
    CompetingClaim,
    Holding,
    HoldingKind,
    OwnershipChange,
    PartyRef,
    PriorityFinding,
    SourceRef,
    source_refs,
    with_names,
)
from kg.analysis.registration_claims import (
    EffectiveDate,
    claim_notes,
    constructive_use,
    filing_effective,
    first_use_in_commerce,
)
from kg.analysis.scripts import normalize
from kg.analysis.similarity import compare
from kg.analysis.sparql_text import TM
from kg.analysis.usage import MIN_CLASS_RELATEDNESS, class_match
from kg.analysis.wording import jointly

__all__ = ["RULE_NAMES", "ClaimRecord", "priority"]

RULE_NAMES = {"FirstToFile": "first-to-file", "FirstToUse": "first-to-use"}


@dataclass(frozen=True)
class ClaimRecord:
    """A tm:Claim as plain data: who claims what, when, and who says so."""

    id: str
    claimant: str
    kind: str
    mark_text: str | None
    jurisdiction: str | None
    date: str | None
    description: str
    sources: tuple[str, ...]


def priority(
    mark_text: str,
    nice_class: int,
    jurisdiction: str,
    holdings: Sequence[Holding],
    claims: Sequence[ClaimRecord],
    *,
    rule: str | None,
    rule_basis: str | None,
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
    relatedness: Mapping[frozenset[int], float],
    prior_use_basis: str | None = None,
    lapsed: Callable[[], Sequence[Holding]] | None = None,
) -> PriorityFinding:
    """Decide priority among `holdings` (similar marks, any place) for a class and place.

    `lapsed` gives the dead rights on the date asked that `holdings` leave out (a question
    not asked to include them), read only when nothing decides: the explanation then says how
    many rights of that class and place ended (distinct rights: not their owners, co-owners
    or former owners, nor a right still in force under another owner), so "nothing recorded"
    is never said of a mark whose rights all ended (a trial of 2026-12-06: an expired RO
    registration).

    A registration counts from its effective date (`kg.analysis.registration_claims`): under
    first-to-file its valid Paris priority date, else its filing date; under first-to-use its
    stated first use in commerce, and its filing (or priority) date as constructive use where
    no dated use is recorded at all. `prior_use_basis` is the provision a claim of prior use
    rests on in a first-to-file jurisdiction (tm:priorUseBasis), named in the explanation.
    """

    def here(rights: Sequence[Holding]) -> list[Holding]:  # own, or through EM/WO coverage
        return [
            h
            for h in rights
            if covers(h, jurisdiction)
            and (class_match(h.classes, nice_class, relatedness)[0] or 0.0) >= MIN_CLASS_RELATEDNESS
        ]

    local = [h for h in holdings if covers(h, jurisdiction)]
    in_class = here(local)
    filings = [
        (d, h)
        for h in in_class
        if h.kind in FILED_KINDS and not h.lapsed
        if (d := filing_effective(h).date) is not None
    ]
    uses = [
        (d, h)
        for h in in_class
        if h.kind not in FILED_KINDS and not h.lapsed
        if (d := _date(h.start_date)) is not None
    ]
    # An application's stated first use in commerce is use; its filing, constructive use.
    uses += [
        (found.date, h)
        for h in in_class
        if h.kind in FILED_KINDS and not h.lapsed
        if (found := first_use_in_commerce(h)) is not None and found.date is not None
    ]
    constructive = [
        (d, h)
        for h in in_class
        if h.kind in FILED_KINDS and not h.lapsed
        if (d := constructive_use(h).date) is not None
    ]

    # A registered mark's filing is use from that date, nationwide, against all but those who
    # used it before (Lanham Act §7(c)); a pending application's is contingent on registration.
    registered = [(d, h) for d, h in constructive if h.kind is HoldingKind.REGISTERED_OWNER]

    winner: tuple[PartialDate, Holding] | None = None
    by_filing = False
    if rule == "FirstToFile" and filings:
        winner = min(filings, key=lambda item: item[0])
    elif rule == "FirstToUse" and (uses or registered):
        # on a tie, use first: an actual use is not later than a filing on the same day
        ranked = [(d, 0, h) for d, h in uses] + [(d, 1, h) for d, h in registered]
        date, kind, holding = min(ranked, key=lambda item: (item[0], item[1]))
        winner, by_filing = (date, holding), kind == 1
    elif rule == "FirstToUse" and constructive:
        winner = min(constructive, key=lambda item: item[0])

    holder_iri = None
    holders: tuple[str, ...] = ()
    if winner is not None:
        holding = winner[1]
        holder_iri = holding.on_behalf_of or holding.party
        holders = _co_holders(holder_iri, holding, in_class, parties)
    competing = _competing(
        local,
        claims,
        holder_iri,
        winner,
        parties,
        sources,
        jurisdiction,
        nice_class,
        relatedness,
        rule=rule,
        mark_text=mark_text,
    )
    winner_statements: tuple[Cited, ...] = ()
    if winner is not None:
        winner_statements = _cited(
            winner[1],
            _date_property(winner[1], rule),
            *(parties[iri] for iri in (*holders, winner[1].party)),
        )
        acquired = _acquisition(winner[1]) if _successor(winner[1], winner[0]) else None
        if acquired is not None:  # the change the note names, with its date, cited
            winner_statements = tuple(
                dict.fromkeys((*winner_statements, *acquired.cited("assignee", winner[1].party)))
            )
    explanation = (
        _explain(
            mark_text,
            nice_class,
            jurisdiction,
            rule,
            rule_basis,
            winner,
            parties,
            filings,
            uses,
            by_filing=by_filing,
            co_holders=[parties[iri].name for iri in holders[1:]],
            ended=(
                _rights_ended(local, here, lapsed)
                if winner is None and not (rule is None and (filings or uses))
                else (0, False)  # something decides, or the earliest dates are named
            ),
        )
        + _disagreement(winner, rule, sources)
        + claim_notes(
            in_class,
            [
                c.claimant
                for c in claims
                if c.kind == "FirstUseClaim" and c.jurisdiction in (None, jurisdiction)
            ],
            rule=rule,
            jurisdiction=jurisdiction,
            prior_use=prior_use_basis,
            names={iri: ref.name for iri, ref in parties.items()},
            decided=winner,
        )
    )
    # the names the explanation gives (a claimant's "claims earlier use", another filer's
    # constructive use), each from the graphs stating it, beside the holder's
    winner_statements = with_names(
        winner_statements,
        *(ref for _, ref in sorted(parties.items()) if ref.name and ref.name in explanation),
    )
    return PriorityFinding(
        mark=mark_text,
        nice_class=nice_class,
        jurisdiction=jurisdiction,
        rule=RULE_NAMES.get(rule or "", rule),
        rule_basis=rule_basis,
        holder=parties[holder_iri] if holder_iri else None,
        holders=tuple(parties[iri] for iri in holders),
        date=str(winner[0]) if winner else None,
        holding=winner[1].id if winner else None,
        explanation=explanation,
        competing_claims=competing,
        sources=source_refs(sources, cited_graphs(winner_statements)),
        statements=winner_statements,
        date_basis=_effective(winner[1], rule).basis if winner else None,
    )


_SHOWN = (
    "mark",
    "registrationNumber",
    "applicationNumber",
    "jurisdiction",
    "niceClass",
    "region",
    "onBehalfOf",
)
"""The facts of a holding a priority answer shows besides its date (`_describe`)."""


def _co_holders(
    holder: str, holding: Holding, in_class: Sequence[Holding], parties: Mapping[str, PartyRef]
) -> tuple[str, ...]:
    """`holder` and every other holder of the deciding right on the date (the co-owners of a
    registration or application a source names together: `kg.analysis.co_owners`), the
    others by name: they hold priority jointly. Owners that different sources give it, and
    the users of one use, are not co-owners."""
    jointly = co_owners(h for h in in_class if h.id == holding.id)
    others = set(jointly.get((holding.id, holding.party), ())) - {holder, holding.party}
    return (holder, *sorted(others, key=lambda iri: (parties[iri].name, iri)))


def _date_property(holding: Holding, rule: str | None) -> str | None:
    """The tm: property a holding's date in the answer comes from (None: no date shown)."""
    if holding.kind not in FILED_KINDS:
        return "startDate"
    if rule == "FirstToUse" and first_use_in_commerce(holding) is not None:
        return None  # the application's first-use statement (kg.analysis.registration_claims)
    return "filingDate" if holding.filing_date else "registrationDate"


def _cited(holding: Holding, date_property: str | None, *parties: PartyRef) -> tuple[Cited, ...]:
    """The statements a priority answer shows of a holding: the holder, its number, place,
    classes and the date used, each from the sources that state it, not every source of the
    record (issue 16); and the names of the `parties` it shows, from the sources that state
    them."""
    props = (*_SHOWN, date_property) if date_property else _SHOWN
    return with_names(shown(holding.statements, *props), *parties)


def _behalf(holding: Holding, parties: Mapping[str, PartyRef]) -> tuple[PartyRef, ...]:
    """The brand owner a use is operated on behalf of, if any (its name is shown)."""
    return (parties[holding.on_behalf_of],) if holding.on_behalf_of else ()


def _disagreement(
    winner: tuple[PartialDate, Holding] | None,
    rule: str | None,
    sources: Mapping[str, SourceRef],
) -> str:
    """A sentence naming the other dates sources give the deciding date, each with its
    sources, where they disagree (the rule: the most precise date, the earliest of equally
    precise ones, `kg.analysis.facts`; `kg contradictions` lists the disagreement)."""
    if winner is None:
        return ""
    holding = winner[1]
    prop = _date_property(holding, rule)
    values = stated_values(holding.statements, prop) if prop else []
    dates = [PartialDate.try_parse(value) for value, _ in values]
    if not any(
        a is not None and b is not None and not a.compatible(b)
        for i, a in enumerate(dates)
        for b in dates[i + 1 :]
    ):
        return ""  # one value, or values that refine one another (2004 and 2004-09)
    label = {"filingDate": "filing date", "registrationDate": "registration date"}.get(
        prop or "", "start date"
    )
    stated = "; ".join(
        f"{value} ({', '.join(_title(g, sources) for g in graphs)})" for value, graphs in values
    )
    return (
        f" Sources disagree on its {label}: {stated}. The most precise date (the earliest of "
        "equally precise ones) counts; `kg contradictions` lists the disagreement."
    )


def _title(graph: str, sources: Mapping[str, SourceRef]) -> str:
    ref = sources.get(graph)
    return (ref.title if ref and ref.title else None) or graph.rsplit("/", 1)[-1]


def _claim_statement(record: ClaimRecord) -> Cited:
    """What a tm:Claim states, as its sources state it together (`FactBase.claims` keeps one
    record per claimant, kind, date and words)."""
    facts = [(TM + "claimant", record.claimant), (TM + "claimKind", TM + record.kind)]
    if record.date:
        facts.append((TM + "claimedDate", record.date))
    if record.description:
        facts.append(("http://purl.org/dc/terms/description", record.description))
    return Cited(subject=record.id, facts=tuple(facts), sources=record.sources)


def _date(text: str | None) -> PartialDate | None:
    return PartialDate.try_parse(text)


def _effective(holding: Holding, rule: str | None) -> EffectiveDate:
    """The date a holding counts from under the rule, and why."""
    if holding.kind not in FILED_KINDS and rule == "FirstToFile":
        return EffectiveDate(None, "use: does not decide under first-to-file")
    if holding.kind not in FILED_KINDS:
        return EffectiveDate(_date(holding.start_date), "use")
    if rule == "FirstToUse":
        return first_use_in_commerce(holding) or constructive_use(holding)
    return filing_effective(holding)


def _similar_note(holding: Holding, asked: str | None) -> str:
    """``; a mark similar to 'LANXESS' (sound-transliteration 0.82)`` when the holding's mark
    is not the mark asked about but one found similar to it, else ``""``: priority to a mark
    may go to another, similar one, and the answer must say so (session-15 trial: 力安莎 took
    priority to LANXESS without a word of it)."""
    if asked is None or normalize(asked) == normalize(holding.mark.text):
        return ""
    found = compare(asked, holding.mark.text)
    why = ", ".join(found.reasons) or "similar"
    return f"; a mark similar to {asked!r} ({why} {found.score:.2f}), not the same"


def _describe(holding: Holding, asked: str | None = None) -> str:
    what = {HoldingKind.REGISTERED_OWNER: "registration", HoldingKind.APPLICANT: "application"}
    number_text = holding.registration_number
    if holding.kind is HoldingKind.APPLICANT:
        number_text = holding.application_number or holding.registration_number
    number = f" No. {number_text}" if number_text else ""
    classes = (
        f", class {', '.join(map(str, holding.classes))}"
        if holding.classes
        else ", class not stated"
    )
    region = f", {holding.region}" if holding.region else ""
    kind = what.get(holding.kind, "use")
    similar = _similar_note(holding, asked)
    return (
        f"{kind}{number} of {holding.mark.text!r} ({holding.jurisdiction}{classes}{region}"
        f"{similar})"
    )


def _competing(
    local: Sequence[Holding],
    claims: Sequence[ClaimRecord],
    holder: str | None,
    winner: tuple[PartialDate, Holding] | None,
    parties: Mapping[str, PartyRef],
    sources: Mapping[str, SourceRef],
    jurisdiction: str,
    nice_class: int,
    relatedness: Mapping[frozenset[int], float],
    *,
    rule: str | None = None,
    mark_text: str | None = None,
) -> tuple[CompetingClaim, ...]:
    listed: list[tuple[PartialDate | None, CompetingClaim]] = []
    # a co-owned right is one claim: its co-owners' holdings (one each) are merged below
    held: dict[tuple, list[CompetingClaim]] = defaultdict(list)
    jointly = co_owners(local)
    dates: dict[str, PartialDate | None] = {}
    for holding in local:
        if winner is not None and holding.id == winner[1].id:
            continue  # the winning right itself, held alone or jointly (its co-owners)
        strength, note = class_match(holding.classes, nice_class, relatedness)
        if strength is not None and strength < MIN_CLASS_RELATEDNESS:
            continue
        registered = holding.kind in FILED_KINDS
        text = (
            holding.filing_date or holding.registration_date if registered else holding.start_date
        )
        basis = "filing" if registered else "use"
        behalf = ""
        if holding.on_behalf_of:
            behalf = f", operated on behalf of {parties[holding.on_behalf_of].name}"
        description = f"{_describe(holding, mark_text)}{behalf}" + (
            f"; {note}" if note and strength != 1.0 else ""
        )
        if holding.lapsed:
            when = f" on {holding.ended}" if holding.ended else ""
            description += f"; lapsed{when}: {holding.end_reason}"
        effective = _effective(holding, rule)
        prop = (
            ("filingDate" if holding.filing_date else "registrationDate")
            if registered
            else "startDate"
        )
        shown_parties = (parties[holding.party], *_behalf(holding, parties))
        cited = _cited(holding, prop, *shown_parties)
        claim = CompetingClaim(
            party=parties[holding.party],
            basis=basis,
            date=text,
            description=description,
            sources=source_refs(sources, cited_graphs(cited)),
            statements=cited,
            lapsed=holding.lapsed,
            ended=holding.ended,
            end_reason=holding.end_reason,
            effective_date=None if holding.lapsed else effective.text,
            effective_basis="lapsed: does not count" if holding.lapsed else effective.basis,
        )
        # one claim a right and its co-owners (`kg.analysis.co_owners`): a use's user, or an
        # owner another source gives the registration, is a claim of its own
        held[(right(holding), jointly.get((holding.id, holding.party)))].append(claim)
        dates[holding.id] = _date(text)
    listed += [(dates[key[0][0]], _joint_claim(group)) for key, group in held.items()]
    for record in claims:
        if record.jurisdiction not in (None, jurisdiction):
            continue
        kind = record.kind.removesuffix("Claim").lower()
        stated = with_names((_claim_statement(record),), parties[record.claimant])
        claim = CompetingClaim(
            party=parties[record.claimant],
            basis=f"claim of {'first use' if kind == 'firstuse' else kind}",
            date=record.date,
            description=record.description,
            sources=source_refs(sources, cited_graphs(stated)),
            statements=stated,
            effective_basis="a claim the source reports: does not count",
        )
        listed.append((_date(record.date), claim))
    listed.sort(
        key=lambda item: (item[0] is None, item[0] or PartialDate(9999), item[1].party.name)
    )
    return tuple(claim for _, claim in listed)


def _joint_claim(group: Sequence[CompetingClaim]) -> CompetingClaim:
    """One claim for the holdings of one right by its co-owners: the first holder by name
    as its `party`, every holder in `holders`, the statements and sources of them all."""
    ordered = sorted(group, key=lambda claim: (claim.party.name, claim.party.id))
    if len(ordered) == 1:
        return ordered[0]
    first = ordered[0]
    statements = tuple(dict.fromkeys(s for claim in ordered for s in claim.statements))
    sources = {ref.graph: ref for claim in ordered for ref in claim.sources}
    return dataclasses.replace(
        first,
        holders=tuple(claim.party for claim in ordered),
        statements=statements,
        sources=tuple(sources[g] for g in sorted(sources)),  # as `cited_graphs` orders them
    )


def _acquisition(holding: Holding) -> OwnershipChange | None:
    """The recorded change by which the holder acquired the right (dated its `owner_since`),
    if any."""
    return next(
        (
            change
            for change in holding.ownership
            if change.date == holding.owner_since and holding.party in change.assignees
        ),
        None,
    )


def _successor(holding: Holding, date: PartialDate) -> bool:
    """Whether the holder acquired the right by a recorded change of owner after `date` and
    had not held it before (no change before its acquisition names it as an assignor: a right
    that came back to its first owner is its own), so that `date` is its predecessors'."""
    acquired = PartialDate.try_parse(holding.owner_since)
    if acquired is None or not acquired > date:
        return False
    holder = holding.on_behalf_of or holding.party
    return not any(
        holder in change.assignors
        for change in holding.ownership
        if (when := PartialDate.try_parse(change.date)) is not None and when < acquired
    )


def _rights_ended(
    local: Sequence[Holding],
    here: Callable[[Sequence[Holding]], list[Holding]],
    lapsed: Callable[[], Sequence[Holding]] | None,
) -> tuple[int, bool]:
    """(how many distinct rights of the class and place asked ended by the date asked,
    whether the answer lists them): the lapsed holdings of `local` (listed when asked for) or
    of `lapsed()`, less the rights still held in force by someone (a former owner's holding
    is lapsed while the right lives on)."""
    live = {h.id for h in local if not h.lapsed}
    listed = {h.id for h in here(local) if h.lapsed} - live
    if listed or lapsed is None:
        return len(listed), bool(listed)
    return len({h.id for h in here(lapsed())} - live), False


def _explain(
    mark_text: str,
    nice_class: int,
    jurisdiction: str,
    rule: str | None,
    basis: str | None,
    winner: tuple[PartialDate, Holding] | None,
    parties: Mapping[str, PartyRef],
    filings: list,
    uses: list,
    *,
    by_filing: bool = False,
    co_holders: Sequence[str] = (),
    ended: tuple[int, bool] = (0, False),
) -> str:
    """The finding in words; `co_holders` names the deciding right's other holders (its
    co-owners), who hold priority jointly with its holder; `ended` (`_rights_ended`): the
    rights that ended, named where nothing decides."""
    subject = f"{mark_text!r} in class {nice_class} (or a related class) in {jurisdiction}"
    # where nothing decides: "in force", and how many rights ended by the date asked
    count, listed = ended
    rights = f"{count} right{'s' if count > 1 else ''} ended by the date asked"
    force, dead = (
        (
            " in force",
            f" ({rights}, listed below)"
            if listed
            else f" ({rights}: include lapsed rights to see {'them' if count > 1 else 'it'})",
        )
        if count
        else ("", "")
    )
    if rule is None:
        earliest = []
        if filings:
            date, holding = min(filings, key=lambda item: item[0])
            earliest.append(f"the earliest filing is {parties[holding.party].name}'s ({date})")
        if uses:
            date, holding = min(uses, key=lambda item: item[0])
            earliest.append(f"the earliest use is {parties[holding.party].name}'s ({date})")
        found = "; ".join(earliest) or f"no dated filing or use{force} is recorded{dead}"
        return (
            f"tmkg knows no priority rule for {jurisdiction}, so it decides nothing "
            f"for {subject}: {found}."
        )
    name = RULE_NAMES.get(rule, rule)
    cited = f" ({basis.rstrip('.')})" if basis else ""
    if winner is None:
        wanted = "dated registration" if rule == "FirstToFile" else "dated use"
        return (
            f"Under {jurisdiction}'s {name} rule{cited}, no {wanted} of {subject}{force} is "
            f"recorded{dead}."
        )
    date, holding = winner
    # co-owners hold the right together
    holder = jointly([parties[holding.on_behalf_of or holding.party].name, *co_holders])
    if rule == "FirstToFile":
        how = f"{holder} filed the earliest: {_describe(holding, mark_text)}, filed {date}"
        if filing_effective(holding).basis == "Paris priority":
            how = (
                f"{holder} filed the earliest: {_describe(holding, mark_text)}, filed "
                f"{holding.filing_date} with a valid Paris Convention priority claim "
                f"(Art. 4), so it counts from the priority date {date}"
            )
    elif by_filing:
        how = (
            f"{holder}'s {_describe(holding, mark_text)} counts from its filing, {date}: a "
            "registered mark's filing is constructive use of it, nationwide, against anyone "
            "who did not use it before that date (Lanham Act §7(c), 15 U.S.C. §1057(c))"
        )
    elif holding.kind in FILED_KINDS and first_use_in_commerce(holding) is not None:
        how = (
            f"{holder} used it first: {_describe(holding, mark_text)}, in use in commerce "
            f"since {date} (the first use its application states)"
        )
    elif holding.kind in FILED_KINDS:
        found = constructive_use(holding)
        how = (
            f"No dated use is recorded; {holder}'s {_describe(holding, mark_text)} is the "
            f"earliest {found.basis}, {date} (Lanham Act §7(c), 15 U.S.C. §1057(c): filing is "
            "constructive use, contingent on registration)"
        )
    else:
        via = f" (through {parties[holding.party].name})" if holding.on_behalf_of else ""
        how = f"{holder}{via} used it first: {_describe(holding, mark_text)}, since {date}"
    if _successor(holding, date):  # a successor counts its predecessors' date
        change = _acquisition(holding)
        passed = (
            f"the right passed to it by a recorded change of owner {change.on}"
            if change is not None
            else f"the register's record of {holding.owner_since} names it owner (no change "
            "of owner is recorded: it held the right on or before that day)"
        )
        how = f"{how}, through its predecessors in title: {passed}, and their earlier date with it"
    if (covered := route_note(holding, jurisdiction)) is not None:
        how = f"{how}; it {covered}"  # an earlier right there though not national
    return (
        f"Under {jurisdiction}'s {name} rule{cited}, priority to {subject} "
        f"goes to {holder.rstrip('.')}. {how}."
    )
