"""Regional and international rights: which jurisdictions a right covers on a date.

A national right covers its own jurisdiction. A regional right (an EU trade mark, EM; a
Benelux mark, BX; an OAPI mark, OA) covers the states that are members of its system on the
date asked: ``schema/regional-members.csv``, loaded into the reference graph as tm:Membership
nodes (an EU trade mark covers GB until 2020-12-31, Withdrawal Agreement Art. 54 and 126; HR
from 2013-07-01). An international registration (WO, the Madrid system) covers the
jurisdiction of each of its designations in force on that date (Madrid Protocol Art. 4(1): the
protection in each designated Contracting Party is as if the mark had been filed there); a
refused, withdrawn or otherwise ended designation drops out from its status date, and a
designation of EM, BX or OA covers that system's members on the date.

A designation made after the international registration (a subsequent designation, Madrid
Protocol Art. 3bis) takes effect from the date it is recorded in the International Register
(Art. 3ter(2)): the covered jurisdiction's `since` is the later of the designation's date and
the registration's filing date. `counted_in` gives a holding as it counts in one jurisdiction
(its coverage narrowed to the route there), so that `kg.analysis.registration_claims`
counts an international registration in that jurisdiction from its designation's date when
that is later than its own filing (or priority) date.

`with_coverage` sets `Holding.coverage`; `covers` and `route` answer whether, and through
what, a holding counts in a jurisdiction. Reading (`memberships`, `designations`) takes a
`FactBase`; everything else is pure.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate, later_date
from kg.analysis.lifecycle import ENDED, status_name
from kg.analysis.model import FILED_KINDS, CoveredJurisdiction, Designation, Holding
from kg.analysis.sparql_text import TM, batches, iri_values
from kg.reference import regional_codes

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = [
    "INTERNATIONAL",
    "Membership",
    "counted_in",
    "counted_since",
    "coverage_of",
    "covered",
    "covers",
    "designation_in_force",
    "designations",
    "members_on",
    "memberships",
    "pair_in_place",
    "places",
    "read_coverage",
    "registration_coverage",
    "route",
    "route_note",
    "route_notes",
    "with_coverage",
]

INTERNATIONAL = "WO"
"""The WIPO ST.3 code of international registrations (Madrid): covered by designation."""
_SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True, order=True)
class Membership:
    """A state's membership of a regional system: from `start` to `until` (None: open)."""

    system: str
    member: str
    start: str
    until: str | None = None


def members_on(system: str, table: Iterable[Membership], as_of: PartialDate) -> dict[str, str]:
    """The member states of `system` at some time in `as_of` (a day, month or year), each
    with the day its membership began.

    >>> table = [Membership("EM", "FR", "1996-04-01"),
    ...          Membership("EM", "GB", "1996-04-01", "2020-12-31"),
    ...          Membership("EM", "HR", "2013-07-01")]
    >>> sorted(members_on("EM", table, PartialDate.parse("2021-06-01")))
    ['FR', 'HR']
    >>> sorted(members_on("EM", table, PartialDate.parse("2005")))
    ['FR', 'GB']
    """
    found: dict[str, str] = {}
    for row in table:
        if row.system != system:
            continue
        start = PartialDate.try_parse(row.start)
        until = PartialDate.try_parse(row.until)
        if start is not None and start.first_day > as_of.last_day:
            continue
        if until is not None and until.last_day < as_of.first_day:
            continue
        found[row.member] = row.start
    return found


def designation_in_force(designation: Designation, as_of: PartialDate) -> bool:
    """Whether a designation may be in force at some time in `as_of`.

    Not yet, before its designation date; no longer, once an ended status (refused,
    withdrawn, expired, cancelled...) took effect — from its status date, or always when it
    gives none. A designation with no status counts as in force, as a registration does.
    """
    start = PartialDate.try_parse(designation.designation_date)
    if start is not None and start.first_day > as_of.last_day:
        return False
    if designation.status_stage != ENDED:
        return True
    end = PartialDate.try_parse(designation.status_date)
    return end is not None and end.last_day >= as_of.first_day


def covered(
    holding: Holding,
    table: Sequence[Membership],
    designated: Sequence[Designation],
    as_of: PartialDate,
    include_lapsed: bool = False,
) -> tuple[CoveredJurisdiction, ...]:
    """The jurisdictions a registration covers on `as_of` besides its own, sorted by code.

    >>> from kg.analysis.model import HoldingKind, MarkRef
    >>> eutm = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "X"),
    ...     party="p", on_behalf_of=None, jurisdiction="EM", classes=(25,),
    ...     filing_date="2015-01-05", registration_date=None, start_date=None, end_date=None,
    ...     registration_number=None, region=None, sources=())
    >>> table = [Membership("EM", "FR", "1996-04-01"),
    ...          Membership("EM", "GB", "1996-04-01", "2020-12-31")]
    >>> [(c.code, c.via) for c in covered(eutm, table, [], PartialDate.parse("2020-06-01"))]
    [('FR', 'EM'), ('GB', 'EM')]
    >>> [c.code for c in covered(eutm, table, [], PartialDate.parse("2021-06-01"))]
    ['FR']
    """
    if holding.kind not in FILED_KINDS or holding.jurisdiction is None:
        return ()
    found = coverage_of(holding.jurisdiction, table, designated, as_of, include_lapsed)
    return _since_filed(holding, found)


def _since_filed(
    holding: Holding,
    found: Sequence[CoveredJurisdiction],
    days: Sequence[tuple[tuple[int, int], str] | None] | None = None,
) -> tuple[CoveredJurisdiction, ...]:
    """`found` (a right's coverage), each from the later of the right's own filing and the
    day the state's coverage began: `later_date(state.since, filed)`, with the filing read once;
    `days` are the states' `_day_keys`, when already found for this coverage."""
    filed = holding.filing_date or holding.registration_date
    filed_day = PartialDate.try_parse(filed)
    if filed_day is None:
        return tuple(found)
    filed_key = (filed_day.sort_key, filed)
    covered_from: list[CoveredJurisdiction] = []
    for state, since in zip(found, days or _day_keys(found), strict=True):
        later = filed if since is None else max(since, filed_key)[1]
        if later != state.since:
            state = dataclasses.replace(state, since=later)
        covered_from.append(state)
    return tuple(covered_from)


def _day_keys(
    found: Sequence[CoveredJurisdiction],
) -> list[tuple[tuple[int, int], str] | None]:
    """Each state's (`PartialDate.sort_key`, text) of the day its coverage began, or None."""
    days = ((PartialDate.try_parse(state.since), state.since) for state in found)
    return [(day.sort_key, text) if day is not None and text else None for day, text in days]


def coverage_of(
    jurisdiction: str,
    table: Sequence[Membership],
    designated: Sequence[Designation],
    as_of: PartialDate,
    include_lapsed: bool = False,
) -> tuple[CoveredJurisdiction, ...]:
    """The jurisdictions a right of `jurisdiction` covers on `as_of` besides its own: a
    regional system's members, or an international registration's designations in force.
    With `include_lapsed`, a designation that ended before `as_of` (refused, renounced…) is
    kept too, its `ended` date and reason set, so answers can show it marked lapsed."""
    found: dict[str, CoveredJurisdiction] = {}
    if jurisdiction == INTERNATIONAL:
        for designation in sorted(designated, key=lambda d: not designation_in_force(d, as_of)):
            ended: dict[str, str | None] = {}
            if not designation_in_force(designation, as_of):
                if not include_lapsed or not _ended_before(designation, as_of):
                    continue
                ended = {"ended": designation.status_date, "end_reason": _end_reason(designation)}
            code = designation.jurisdiction
            via = f"{INTERNATIONAL}/{code}"
            date = designation.designation_date
            found.setdefault(code, CoveredJurisdiction(code, via, date, **ended))
            for member, since in members_on(code, table, as_of).items():
                later = later_date(since, designation.designation_date)
                found.setdefault(member, CoveredJurisdiction(member, via, later, **ended))
    else:
        for member, since in members_on(jurisdiction, table, as_of).items():
            found[member] = CoveredJurisdiction(member, jurisdiction, since)
    found.pop(jurisdiction, None)
    return tuple(found[code] for code in sorted(found))


def _ended_before(designation: Designation, as_of: PartialDate) -> bool:
    """Whether a designation out of force on `as_of` ended (rather than not yet began)."""
    start = PartialDate.try_parse(designation.designation_date)
    return designation.status_stage == ENDED and not (
        start is not None and start.first_day > as_of.last_day
    )


def _end_reason(designation: Designation) -> str:
    status = designation.status or "ended"
    said = f" ({designation.status_text})" if designation.status_text else ""
    return f"designation of {designation.jurisdiction} {status}{said}"


def covers(holding: Holding, code: str) -> bool:
    """Whether a holding counts in jurisdiction `code`: its own, or one it covers."""
    return holding.jurisdiction == code or any(c.code == code for c in holding.coverage)


def route(holding: Holding, code: str | None) -> CoveredJurisdiction | None:
    """Through what a holding counts in `code`: None for its own jurisdiction (or none asked)."""
    if code is None or holding.jurisdiction == code:
        return None
    return next((c for c in holding.coverage if c.code == code), None)


def counted_in(holdings: Iterable[Holding], code: str) -> list[Holding]:
    """The holdings as they count in jurisdiction `code`: one that counts there through a
    regional or international right keeps only that route in its `coverage` (so
    `counted_since` knows which designation it counts through); others are unchanged.

    >>> from kg.analysis.model import HoldingKind, MarkRef
    >>> ir = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "X"),
    ...     party="p", on_behalf_of=None, jurisdiction="WO", classes=(), filing_date="2018-01-01",
    ...     registration_date=None, start_date=None, end_date=None, registration_number="1",
    ...     region=None, sources=(), coverage=(CoveredJurisdiction("CN", "WO/CN", "2020-05-01"),
    ...     CoveredJurisdiction("FR", "WO/EM", "2018-01-01")))
    >>> [c.code for c in counted_in([ir], "CN")[0].coverage]
    ['CN']
    """
    found = []
    for holding in holdings:
        way = route(holding, code)
        if way is not None and len(holding.coverage) > 1:
            holding = dataclasses.replace(holding, coverage=(way,))
        found.append(holding)
    return found


def counted_since(holding: Holding) -> CoveredJurisdiction | None:
    """The designation an international registration counts through, when `counted_in` has
    narrowed its coverage to one route and that designation dates from after the
    registration's filing (a subsequent designation, Madrid Protocol Art. 3ter(2)); else None.
    """
    if holding.jurisdiction != INTERNATIONAL or len(holding.coverage) != 1:
        return None
    [way] = holding.coverage
    since = PartialDate.try_parse(way.since)
    filed = PartialDate.try_parse(holding.filing_date or holding.registration_date)
    if since is None or (filed is not None and since.first_day <= filed.last_day):
        return None
    return way


def places(holding: Holding, asked: str | None) -> list[str]:
    """Where a holding may conflict: the jurisdiction asked, or its own and those it covers."""
    if asked is not None:
        return [asked] if covers(holding, asked) else []
    own = [holding.jurisdiction] if holding.jurisdiction else []
    return own + [c.code for c in holding.coverage]


def pair_in_place(left: Holding, right: Holding, place: str | None, asked: str | None) -> bool:
    """Whether to pair two holdings in `place`: always when it was asked for; otherwise only
    when one of them is its own jurisdiction there (two EU trade marks meet once, in EM)."""
    return asked is not None or place in (left.jurisdiction, right.jurisdiction)


def route_notes(holdings: Iterable[Holding], place: str | None) -> list[str]:
    """`route_note` for each holding that counts in `place` through a regional right."""
    notes = []
    for holding in holdings:
        note = route_note(holding, place)
        if note is not None:
            notes.append(f"{holding.mark.text!r} ({holding.jurisdiction}) {note}")
    return notes


def route_note(holding: Holding, code: str | None) -> str | None:
    """A line saying through which regional or international right a holding counts in `code`.

    >>> from kg.analysis.model import HoldingKind, MarkRef
    >>> ir = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "X"),
    ...     party="p", on_behalf_of=None, jurisdiction="WO", classes=(), filing_date=None,
    ...     registration_date=None, start_date=None, end_date=None, registration_number="1",
    ...     region=None, sources=(), coverage=(CoveredJurisdiction("FR", "WO/EM", "2018-03-01"),))
    >>> route_note(ir, "FR")
    'counts in FR through the international registration (WO) designating EM, since 2018-03-01'
    """
    found = route(holding, code)
    if found is None:
        return None
    since = f", since {found.since}" if found.since else ""
    if found.ended is not None:
        since = (
            f", from {found.since} until {found.ended}" if found.since else f" until {found.ended}"
        )
    if found.via.startswith(INTERNATIONAL + "/"):
        designated = found.via.split("/", 1)[1]
        return (
            f"counts in {code} through the international registration ({INTERNATIONAL}) "
            f"designating {designated}{since}"
        )
    return f"counts in {code} through the regional right ({found.via}) covering it{since}"


def with_coverage(
    holdings: Iterable[Holding],
    table: Sequence[Membership],
    designated: Mapping[str, Sequence[Designation]],
    as_of: PartialDate,
    include_lapsed: bool = False,
) -> list[Holding]:
    """The holdings, each regional or international registration with its `coverage` on
    `as_of` set; national rights and uses are returned as they are."""
    systems = {row.system for row in table} | {INTERNATIONAL}
    # a regional system's members are the same for each of its rights (no designations):
    # found once per system, not once per right (17,981 EUTMs: 28 s -> well under 1 s)
    members: dict[str, tuple[tuple[CoveredJurisdiction, ...], list]] = {}
    dated: dict[tuple[str, str | None], tuple[CoveredJurisdiction, ...]] = {}
    result = []
    for holding in holdings:
        if holding.jurisdiction in systems and holding.kind in FILED_KINDS:
            designations_ = designated.get(holding.id, ())
            if designations_ or holding.jurisdiction == INTERNATIONAL:
                found = covered(holding, table, designations_, as_of, include_lapsed)
            else:
                system = holding.jurisdiction
                if system not in members:
                    states = coverage_of(system, table, (), as_of, include_lapsed)
                    members[system] = (states, _day_keys(states))
                filed = (system, holding.filing_date or holding.registration_date)
                if filed not in dated:  # rights filed on one day cover the same, from then
                    dated[filed] = _since_filed(holding, *members[system])
                found = dated[filed]
            holding = dataclasses.replace(holding, coverage=found)
        result.append(holding)
    return result


# ------------------------------------------------------------------ reading from the store


def read_coverage(
    facts: FactBase, holdings: Iterable[Holding], as_of: PartialDate, include_lapsed: bool = False
) -> list[Holding]:
    """`with_coverage` over the store's memberships and designations; no query at all when
    no holding is a regional or international right (the seed case)."""
    holdings = list(holdings)
    if not any(h.jurisdiction in regional_codes() for h in holdings):
        return holdings
    international = [h.id for h in holdings if h.jurisdiction == INTERNATIONAL]
    designated = designations(facts, international) if international else {}
    return with_coverage(holdings, memberships(facts), designated, as_of, include_lapsed)


def registration_coverage(
    facts: FactBase, registration: str, jurisdiction: str | None, as_of: PartialDate
) -> tuple[CoveredJurisdiction, ...]:
    """`coverage_of` one registration (IRI, its jurisdiction's code), read from the store:
    what its right reaches on `as_of`, whatever its own status (that is the registration's)."""
    if jurisdiction not in regional_codes():
        return ()
    designated: Sequence[Designation] = ()
    if jurisdiction == INTERNATIONAL:
        key = facts.identities.canonical(registration)
        designated = designations(facts, [registration]).get(key, [])
    return coverage_of(jurisdiction, memberships(facts), designated, as_of)


def memberships(facts: FactBase) -> list[Membership]:
    """Every tm:Membership the store holds (the reference graph's, from the CSV)."""
    rows = facts.select(
        f"""SELECT ?system ?member ?from ?until WHERE {{
              ?m a <{TM}Membership> ; <{TM}regionalSystem>/<{TM}code> ?system ;
                 <{TM}memberState>/<{TM}code> ?member ; <{TM}memberFrom> ?from .
              OPTIONAL {{ ?m <{TM}memberUntil> ?until }} }}"""
    )
    return sorted(
        Membership(row["system"], row["member"], row["from"], row["until"])  # type: ignore[arg-type]
        for row in rows
    )


def designations(facts: FactBase, registrations: Iterable[str]) -> dict[str, list[Designation]]:
    """The designations of the given registrations, keyed by canonical registration IRI.

    A designation's status is normalized as a registration's is
    (`kg.analysis.lifecycle.StatusScheme.normalize`): a stated tm:markStatus, else the office's
    code or text read against the scheme.
    """
    canonical = facts.identities.canonical
    wanted = sorted({m for r in registrations for m in facts.identities.members(canonical(r))})
    values: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for batch in batches(wanted):
        rows = facts.select(
            f"""SELECT ?r ?d ?p ?o ?g WHERE {{ VALUES ?r {{ {iri_values(batch)} }}
                  ?r <{TM}designation> ?d . GRAPH ?g {{ ?d ?p ?o }} }}"""
        )
        for row in rows:
            predicate = row["p"] or ""
            if predicate.startswith(TM):
                slot = values[(canonical(row["r"]), row["d"])]  # type: ignore[index]
                slot[predicate[len(TM) :]].add(row["o"])  # type: ignore[arg-type]
                slot["_graph"].add(row["g"])  # type: ignore[arg-type]
    scheme = facts.statuses
    found: dict[str, list[Designation]] = defaultdict(list)
    for (registration, node), slot in sorted(values.items()):
        places = sorted(j.rsplit("/", 1)[-1] for j in slot.get("jurisdiction", ()))
        if not places:
            continue
        code = min(slot["statusCode"]) if slot.get("statusCode") else None
        text = min(slot["status"]) if slot.get("status") else None
        concept, _ = scheme.normalize(slot.get("markStatus", set()), code, text, places[0] == "US")
        found[registration].append(
            Designation(
                id=node,
                registration=registration,
                jurisdiction=places[0],
                designation_date=_first(slot.get("designationDate")),
                status=status_name(concept) if concept else None,
                status_stage=scheme.stages.get(concept) if concept else None,
                status_date=_first(slot.get("statusDate")),
                status_code=code,
                status_text=text,
                sources=tuple(sorted(slot["_graph"])),
            )
        )
    return dict(found)


def _first(values: set[str] | None) -> str | None:
    return min(values) if values else None
