"""What an application claims: Paris priority, first use, translation, transliteration and
disclaimer; and the date each right counts from under a jurisdiction's priority rule.

The rules, and where they come from:

- **Paris priority** (Paris Convention for the Protection of Industrial Property, Art. 4A(1),
  4C(1), 4C(2)): an application filed within six months of a first application for the same
  mark in another Union country or office enjoys the first filing's date. The period runs
  from the first filing, that day not counted, so it ends on the same day of the month six
  months later (the month's last day where that month is shorter). A claim made later, or
  dated after the application, is kept and shown but does not move the filing date. The
  holiday extension of Art. 4C(3) is not applied (tmkg has no calendar of office holidays).
- **Constructive use** (Lanham Act §7(c), 15 U.S.C. §1057(c)): in a first-to-use
  jurisdiction, filing an application is constructive use of the mark from its filing date,
  contingent on registration; with a valid priority claim, from the priority date (Lanham
  Act §44(d), 15 U.S.C. §1126(d)). A registered mark counts from it against anyone who did
  not use the mark earlier (actual use — a tm:Use, or an application's stated first use in
  commerce, ST.96 FirstUsedCommerceDate); a pending application's constructive use decides
  only where no dated use is recorded, and is noted beside the finding otherwise.
- **Prior use in a first-to-file jurisdiction**: a party's claim of earlier use does not
  decide; the provision such a claim rests on is data, the jurisdiction's tm:priorUseBasis
  (schema/priority-rules.csv, column ``prior_use_basis``).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.coverage import counted_since
from kg.analysis.dates import PartialDate
from kg.analysis.model import FILED_KINDS, Holding, HoldingKind, PriorityFinding, Result
from kg.analysis.sparql_text import TM, batches, escape_literal, iri_values

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase
    from kg.analysis.lookups import HoldingRecord

__all__ = [
    "PARIS_PRIORITY_MONTHS",
    "REGISTRATION_CLAIM_PROPERTIES",
    "EffectiveDate",
    "MarkStatement",
    "PriorityClaimRef",
    "RegistrationClaims",
    "check_priority_claim",
    "claim_notes",
    "constructive_use",
    "filing_effective",
    "first_use_in_commerce",
    "known_office",
    "paris_deadline",
    "prior_use_basis",
    "priority_claim_sentence",
    "with_registration_claims",
    "with_wordless_note",
]

PARIS_PRIORITY_MONTHS = 6  # Paris Convention Art. 4C(1): six months for trademarks
_LANHAM_7C = "Lanham Act §7(c), 15 U.S.C. §1057(c)"
_PARIS_4C = "Paris Convention Art. 4C(1)"
_STATEMENTS = {
    "markTranslation": "translations",
    "markTransliteration": "transliterations",
    "markDisclaimer": "disclaimers",
}
_DATES = {"firstUsedDate": "first_used_date", "firstUsedCommerceDate": "first_used_commerce_date"}
REGISTRATION_CLAIM_PROPERTIES = {
    "priorityClaim": "priority_claims",
    **_DATES,
    **_STATEMENTS,
}
"""The tm: properties of a registration this module reads, by the field each fills;
`kg.analysis.facts` collects them with a holding's statements to know whom to read again."""


@dataclass(frozen=True)
class MarkStatement(Result):
    """A translation, transliteration or disclaimer as the application states it."""

    text: str
    language: str | None = None


@dataclass(frozen=True)
class PriorityClaimRef(Result):
    """A Paris priority claim (ST.96 Priority) and whether it moves the filing date.

    `valid` is True when the application was filed within `PARIS_PRIORITY_MONTHS` of the
    first filing (and not before it); `note` says why or why not. `sources` are graph IRIs.
    """

    country: str | None
    date: str | None
    application_number: str | None
    valid: bool
    note: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrationClaims(Result):
    """Everything a registration's application claims beside its own facts."""

    priority_claims: tuple[PriorityClaimRef, ...] = ()
    first_used_date: str | None = None
    first_used_commerce_date: str | None = None
    translations: tuple[MarkStatement, ...] = ()
    transliterations: tuple[MarkStatement, ...] = ()
    disclaimers: tuple[MarkStatement, ...] = ()


@dataclass(frozen=True)
class EffectiveDate:
    """The date a right counts from, and why: ``basis`` is one of "filing", "registration",
    "Paris priority", "first use in commerce", "use", "constructive use (filing)" or
    "constructive use (Paris priority)"; or why it does not count ("undated: does not count")."""

    date: PartialDate | None
    basis: str

    @property
    def text(self) -> str | None:
        return str(self.date) if self.date is not None else None


# ------------------------------------------------------------------ rules


def paris_deadline(first_filing: PartialDate) -> PartialDate | None:
    """The last day of the Paris priority period for a first filing on a day.

    ``None`` for a date not known to the day or outside years 1-9999.

    >>> str(paris_deadline(PartialDate.parse("2022-01-10")))
    '2022-07-10'
    >>> str(paris_deadline(PartialDate.parse("2021-08-31")))
    '2022-02-28'
    """
    start = first_filing.to_date() if first_filing.precision == "day" else None
    if start is None:
        return None
    month0 = start.month - 1 + PARIS_PRIORITY_MONTHS
    year, month = start.year + month0 // 12, month0 % 12 + 1
    if year > dt.MAXYEAR:
        return None
    day = min(start.day, calendar.monthrange(year, month)[1])
    return PartialDate(year, month, day)


def known_office(country: str | None) -> bool:
    """Whether `country` is a WIPO ST.3 code of a Paris Union country or office that takes
    trade mark filings: an ISO 3166-1 alpha-2 code, or a regional or international system's
    code (EM for the EUIPO, BX, OA, WO; `kg.reference.regional_codes`).

    >>> known_office("US"), known_office("EM"), known_office("EU"), known_office(None)
    (True, True, False, False)
    """
    from kg.reference import jurisdiction_codes, regional_codes

    return country is not None and (country in jurisdiction_codes() or country in regional_codes())


def check_priority_claim(
    priority_date: str | None, filing_date: str | None, country: str | None = None
) -> tuple[bool, str]:
    """Whether a priority claim moves the filing date, and a clause saying why (it reads on
    its own and after "does not move the filing date: ").

    `country` is the office of first filing (``""``: none stated); one that is no ST.3 office
    code (``EU``) makes the claim count for nothing. ``None`` leaves it unchecked.

    >>> check_priority_claim("2022-01-10", "2022-05-20", "US")[0]
    True
    >>> valid, note = check_priority_claim("2022-01-05", "2022-09-01", "US")
    >>> valid, note[:60]
    (False, 'the application was filed more than six months after the fir')
    >>> check_priority_claim("2022-01-10", "2022-05-20", "EU")[1][:48]
    '"EU" is not a WIPO ST.3 code of a country or off'
    """
    first = PartialDate.try_parse(priority_date)
    filed = PartialDate.try_parse(filing_date)
    if country is not None and not known_office(country):
        if not country:
            return False, "the claim names no country or office of first filing"
        hint = " (the EUIPO's code is EM)" if country.upper() in ("EU", "EUIPO", "OHIM") else ""
        return False, (
            f'"{country}" is not a WIPO ST.3 code of a country or office of first filing{hint}'
        )
    if first is None:
        return False, "the priority date is missing or unreadable"
    if filed is None:
        return False, (
            "the application's filing date is not stated, so the six-month period "
            f"({_PARIS_4C}) cannot be checked"
        )
    deadline = paris_deadline(first)
    if deadline is None:
        return False, f"the priority date {first} is not known to the day"
    if filed.last_day < first.first_day:
        return False, (
            f"the priority date {first} is after the application's filing date {filed}, "
            "and a first filing must come before the application that claims it"
        )
    if filed.first_day > deadline.last_day:
        return False, (
            "the application was filed more than six months after the first filing (the "
            f"period ended {deadline}; {_PARIS_4C})"
        )
    if filed.last_day > deadline.last_day:
        return False, (
            f"the filing date {filed} may fall after the six-month period (it ended "
            f"{deadline}; {_PARIS_4C})"
        )
    return True, (
        f"filed within six months of the first filing ({_PARIS_4C}), so the application "
        f"counts from {first}"
    )


def _claims(holding: Holding) -> RegistrationClaims | None:
    return getattr(holding, "application_claims", None)


def _valid_priority(holding: Holding) -> PartialDate | None:
    claims = _claims(holding)
    if claims is None:
        return None
    dates = [
        d
        for c in claims.priority_claims
        if c.valid and (d := PartialDate.try_parse(c.date)) is not None
    ]
    return min(dates) if dates else None  # several priorities (Art. 4F): the earliest counts


def filing_effective(holding: Holding) -> EffectiveDate:
    """The date a registration counts from under first-to-file: its earliest valid Paris
    priority date, else its filing date, else its registration date; an international
    registration counted in a jurisdiction it designated later (`kg.analysis.coverage.
    counted_in`), from that designation's date (Madrid Protocol Art. 3ter(2))."""
    found = _filing_effective(holding)
    later = counted_since(holding)
    if later is not None and (found.date is None or found.date < PartialDate.parse(later.since)):  # type: ignore[arg-type]
        designated = later.via.split("/", 1)[-1]
        return EffectiveDate(
            PartialDate.parse(later.since),  # type: ignore[arg-type]
            f"subsequent designation of {designated}, Madrid Protocol Art. 3ter(2)",
        )
    return found


def _filing_effective(holding: Holding) -> EffectiveDate:
    priority = _valid_priority(holding)
    if priority is not None:
        return EffectiveDate(priority, "Paris priority")
    filed = PartialDate.try_parse(holding.filing_date)
    if filed is not None:
        claims = _claims(holding)
        if claims and claims.priority_claims:
            return EffectiveDate(filed, "filing (its Paris priority claim does not count)")
        return EffectiveDate(filed, "filing")
    registered = PartialDate.try_parse(holding.registration_date)
    if registered is not None:
        return EffectiveDate(registered, "registration")
    return EffectiveDate(None, "undated: does not count")


def constructive_use(holding: Holding) -> EffectiveDate:
    """The constructive-use date of an application (Lanham Act §7(c), §44(d))."""
    found = filing_effective(holding)
    if found.date is None or found.basis == "registration":
        return EffectiveDate(None, "constructive use: no filing date stated")
    basis = found.basis if found.basis.startswith("subsequent designation") else "filing"
    basis = "Paris priority" if found.basis == "Paris priority" else basis
    return EffectiveDate(found.date, f"constructive use ({basis})")


def first_use_in_commerce(holding: Holding) -> EffectiveDate | None:
    """The registration's stated first use in commerce, if any."""
    claims = _claims(holding)
    date = PartialDate.try_parse(claims.first_used_commerce_date) if claims else None
    return EffectiveDate(date, "first use in commerce") if date is not None else None


# ------------------------------------------------------------------ explanation


def priority_claim_sentence(claim: PriorityClaimRef, party: str) -> str:
    """One sentence on a priority claim that moves nothing: whose, to which first filing,
    and why.

    >>> claim = PriorityClaimRef("US", "2021-03-01", None, False, "the priority date is late")
    >>> priority_claim_sentence(claim, "Beifeng")[:62]
    "Beifeng's priority claim to a US application of 2021-03-01 doe"
    >>> priority_claim_sentence(claim, "Beifeng")[62:]
    's not move its filing date: the priority date is late.'
    """
    office = (
        f"{_article(claim.country)} {claim.country} application"
        if claim.country
        else "a first filing"
    )
    number = f" No. {claim.application_number}" if claim.application_number else ""
    date = f" of {claim.date}" if claim.date else ""
    return (
        f"{party}'s priority claim to {office}{number}{date} does not move its filing date: "
        f"{claim.note.rstrip('.')}."
    )


def _article(code: str) -> str:
    """ "a" or "an" before a code read letter by letter ("an EM", "an FR", "a US")."""
    return "an" if code[:1].upper() in "AEFHILMNORSX" else "a"


def claim_notes(
    in_class: Sequence[Holding],
    first_use_claimants: Sequence[str],
    *,
    rule: str | None,
    jurisdiction: str,
    prior_use: str | None,
    names: dict[str, str],
    decided: tuple[PartialDate, Holding] | None = None,
) -> str:
    """Sentences to add to a priority explanation: priority claims that move nothing, and,
    under first-to-file, the provision a claim of prior use rests on.

    `first_use_claimants` are party IRIs that claim first use (tm:Claim) in the jurisdiction;
    registrations with a stated first-use date count as such claims too. `names` maps party
    IRIs to display names; `decided` the date and holding that won, if any.
    """
    notes: list[str] = []
    if rule == "FirstToUse" and decided is not None:
        date, winner = decided
        earlier = sorted(
            (found.date, h)
            for h in in_class
            if h.kind is HoldingKind.APPLICANT and not h.lapsed and h.id != winner.id
            if (found := constructive_use(h)).date is not None and found.date < date
        )
        for when, holding in earlier[:1]:
            notes.append(
                f"{names.get(holding.party, holding.party)}'s filing of {holding.filing_date} "
                f"would be constructive use from {when}, earlier than that use, once the "
                f"application is registered ({_LANHAM_7C}: contingent on registration, and "
                "not against a user from before that date); pending, it decides nothing yet."
            )
    for holding in in_class:
        claims = _claims(holding)
        for claim in claims.priority_claims if claims else ():
            if claim.valid:
                continue
            notes.append(
                f"{priority_claim_sentence(claim, names.get(holding.party, holding.party))}"
            )
    if rule == "FirstToFile":
        claimants = list(dict.fromkeys(first_use_claimants))
        for holding in in_class:
            if decided is not None and holding.id == decided[1].id:
                continue  # the holder's own stated use is no claim against it
            claims = _claims(holding)
            if claims and (claims.first_used_commerce_date or claims.first_used_date):
                claimants.append(holding.party)
        if claimants:
            who = ", ".join(dict.fromkeys(names.get(c, c) for c in claimants))
            if prior_use:
                notes.append(
                    f"{who} claims earlier use; under {jurisdiction}'s first-to-file rule use "
                    f"does not decide priority, and such a claim rests on "
                    f"{prior_use.rstrip('.')}."
                )
            else:
                notes.append(
                    f"{who} claims earlier use; under {jurisdiction}'s first-to-file rule use "
                    "does not decide priority, and tmkg cites no provision for such a claim "
                    f"in {jurisdiction}."
                )
    return "".join(f" {n}" for n in notes)


def with_wordless_note(
    finding: PriorityFinding, mark_text: str, nice_class: int, jurisdiction: str
) -> PriorityFinding:
    """The finding, its explanation made true when the mark asked about has no words (its
    text only names a figure, `kg.analysis.verbal.verbal_element`): such a mark is compared
    with nothing, so no registration competes — not because none is recorded."""
    from kg.analysis.verbal import verbal_element

    if finding.holder is not None or finding.competing_claims:
        return finding
    if verbal_element(mark_text, jurisdiction) is not None:
        return finding
    return dataclasses.replace(
        finding,
        explanation=(
            f"{mark_text!r} has no words to compare: its text only names a figure "
            "(schema/mark-placeholders.csv), and marks are compared by their words, so no "
            f"registration, of that text or another, competes for it in class {nice_class} "
            f"in {jurisdiction} and tmkg decides no priority."
        ),
    )


# ------------------------------------------------------------------ reading the store


def prior_use_basis(facts: FactBase, code: str) -> str | None:
    """The jurisdiction's tm:priorUseBasis, or ``None``."""
    rows = facts.select(
        f"""SELECT ?basis WHERE {{ ?j <{TM}code> "{escape_literal(code)}" ;
              <{TM}priorUseBasis> ?basis }} LIMIT 1"""
    )
    return rows[0]["basis"] if rows else None


def with_registration_claims(
    facts: FactBase,
    holdings: list[Holding],
    records: Mapping[str, HoldingRecord] | None = None,
) -> list[Holding]:
    """The holdings, each registration with what its application claims
    (`Holding.application_claims`).

    `records` are the statements the holdings were built from (keyed by holding id, with the
    `REGISTRATION_CLAIM_PROPERTIES` among their values): then only registrations that state a
    claim are read again, in one store query per batch of their IRIs, and none at all when no
    registration states one. Without `records` every registration is read.
    """
    wanted = {h.id for h in holdings if h.kind in FILED_KINDS}
    if records is not None:
        wanted = {
            key
            for key in wanted
            if key in records
            and any(p in records[key].values for p in REGISTRATION_CLAIM_PROPERTIES)
        }
    owner_of = {iri: h.id for h in holdings if h.id in wanted for iri in (h.iris or (h.id,))}
    if not owner_of:
        return holdings
    found: dict[str, RegistrationClaims] = {}
    rows: list[dict[str, str | None]] = []
    properties = ", ".join(f"<{TM}{name}>" for name in (*_STATEMENTS, *_DATES))
    for batch in batches(sorted(owner_of)):
        rows += facts.select(
            f"""SELECT ?h ?p ?o ?lang ?c ?g WHERE {{
                  VALUES ?h {{ {iri_values(batch)} }}
                  GRAPH ?g {{
                    {{ ?h ?p ?o . FILTER(?p IN ({properties}))
                       BIND(LANG(?o) AS ?lang) }}
                    UNION {{ ?h <{TM}priorityClaim> ?c . ?c ?p ?o }}
                  }} }}"""
        )
    values: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    priority: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for row in rows:
        key, name = owner_of[row["h"]], (row["p"] or "").removeprefix(TM)  # type: ignore[index]
        if row["c"]:
            priority[key][row["c"]][name].add(row["o"])  # type: ignore[index,arg-type]
            priority[key][row["c"]]["graph"].add(row["g"])  # type: ignore[index,arg-type]
        elif name in _STATEMENTS:
            values[key][name].add((row["o"], row["lang"] or None))
        else:
            values[key][name].add(row["o"])
    by_id = {h.id: h for h in holdings}
    for key in set(values) | set(priority):
        found[key] = _registration_claims(by_id[key], values[key], priority[key])
    return [
        dataclasses.replace(h, application_claims=found[h.id]) if h.id in found else h  # type: ignore[call-arg]
        for h in holdings
    ]


def _registration_claims(
    holding: Holding,
    values: dict[str, set],
    priority: dict[str, dict[str, set[str]]],
) -> RegistrationClaims:
    claims = []
    for parts in priority.values():
        date = min(parts.get("priorityDate") or {""}) or None
        country = min(parts.get("priorityCountryCode") or {""}) or None
        valid, note = check_priority_claim(date, holding.filing_date, country or "")
        claims.append(
            PriorityClaimRef(
                country=country,
                date=date,
                application_number=min(parts.get("priorityApplicationNumber") or {""}) or None,
                valid=valid,
                note=note,
                sources=tuple(sorted(parts.get("graph", ()))),
            )
        )
    claims.sort(key=lambda c: (c.date or "", c.country or "", c.application_number or ""))
    statements = {
        field: tuple(
            MarkStatement(text=text, language=lang)
            for text, lang in sorted(values.get(name, ()), key=lambda v: (v[1] or "", v[0]))
        )
        for name, field in _STATEMENTS.items()
    }
    dates = {field: _earliest(values.get(name)) for name, field in _DATES.items()}
    return RegistrationClaims(priority_claims=tuple(claims), **statements, **dates)


def _earliest(found: Iterable[str] | None) -> str | None:
    dated = sorted((d, v) for v in (found or ()) if (d := PartialDate.try_parse(v)) is not None)
    return dated[0][1] if dated else None
