"""Reading a registration's ownership changes, representatives and recorded owners.

`with_recorded_owners` sets every tm:owner of a registration on its holdings (no query);
`attach_ownership` adds its recorded `OwnershipChange`s and security interests (tm:registration
pointing at it), which `kg.analysis.ownership` needs to name the owners on a date, in one
query per batch of registrations; `registration_ownership` reads changes and
tm:representative parties for GraphQL's DataLoaders. IRIs are canonical.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cite_each
from kg.analysis.model import Cited, Holding, HoldingKind, OwnerRecord, OwnershipChange
from kg.analysis.sparql_text import IS_VERSION_OF, REGISTER_VERSION, TM, batches, iri_in, iri_values
from kg.analysis.wording import joined

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = [
    "CHANGE_KINDS",
    "attach_ownership",
    "describe_changes",
    "ownership_changes",
    "registration_ownership",
    "with_recorded_owners",
]

CHANGE_KINDS = ("OwnershipChange", "Assignment", "Merger", "NameChange", "SecurityInterest")
"""The tm: classes of recorded changes read (tm:OwnershipChange, its subclasses, and
tm:SecurityInterest)."""


def with_recorded_owners(holdings: list[Holding]) -> list[Holding]:
    """The holdings with ``recorded_owners`` (every tm:owner of the registration) set on each
    registration; no store access."""
    owners: dict[str, set[str]] = defaultdict(set)
    for holding in holdings:
        if holding.kind is HoldingKind.REGISTERED_OWNER:
            owners[holding.id].add(holding.party)
    return [
        dataclasses.replace(h, recorded_owners=tuple(sorted(owners[h.id])))
        if h.kind is HoldingKind.REGISTERED_OWNER
        else h
        for h in holdings
    ]


def attach_ownership(facts: FactBase, holdings: list[Holding]) -> list[Holding]:
    """The holdings with ``ownership`` (the registration's recorded changes, by date) set on
    each registration that has any (one query per batch of registrations). An earlier state
    of a register record (`FactBase.state_holdings`: its `iris` the version node) takes its
    registration's changes: they name the registration (`id`), not the version."""
    members = sorted(
        {i for h in holdings if h.kind is HoldingKind.REGISTERED_OWNER for i in (*h.iris, h.id)}
    )
    changes = ownership_changes(facts, members) if members else {}
    changed = sorted({i for h in holdings if h.id in changes for i in (*h.iris, h.id)})
    records = owner_records(facts, changed) if changed else {}
    return [
        dataclasses.replace(h, ownership=tuple(changes[h.id]), owner_records=records.get(h.id, ()))
        if h.kind is HoldingKind.REGISTERED_OWNER and h.id in changes
        else h
        for h in holdings
    ]


def owner_records(
    facts: FactBase, registration_iris: Sequence[str]
) -> dict[str, tuple[OwnerRecord, ...]]:
    """Canonical registration IRI -> its register records dated by tm:recordDate, by date:
    the current state's (tm:recordDate and tm:owner of the registration in one graph) and
    each earlier state's (a `tm:RegisterRecordVersion` of it, `kg.registries.versions`), the
    records of one day read as one; each with the owners it names and the statements saying
    so. One query per batch of registrations."""
    identities = facts.identities
    canonical = identities.canonical
    said: dict[str, dict[str, dict[tuple[str, str], set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )  # registration -> date -> (subject, owner as stated) -> graphs
    for batch in batches(list(registration_iris)):
        rows = facts.tuples(
            f"""SELECT ?r ?s ?d ?o ?g WHERE {{ VALUES ?r {{ {iri_values(batch)} }}
                  {{ GRAPH ?g {{ ?r <{TM}recordDate> ?d ; <{TM}owner> ?o }} BIND (?r AS ?s) }}
                  UNION {{ GRAPH ?g {{ ?s <{IS_VERSION_OF}> ?r ; a <{REGISTER_VERSION}> ;
                                       <{TM}recordDate> ?d ; <{TM}owner> ?o }} }} }}"""
        )
        for registration, subject, date, owner, graph in rows:
            key = canonical(registration)  # type: ignore[arg-type]
            said[key][date][(subject, owner)].add(graph)  # type: ignore[index]
    found: dict[str, tuple[OwnerRecord, ...]] = {}
    for key, by_date in said.items():
        records = []
        for date, stated in by_date.items():
            statements = tuple(
                Cited(
                    subject=subject,
                    facts=((TM + "recordDate", date), (TM + "owner", canonical(owner))),
                    sources=tuple(sorted(graphs)),
                    identities=tuple(sorted(identities.link_graphs(owner)))
                    if canonical(owner) != owner
                    else (),
                )
                for (subject, owner), graphs in sorted(stated.items())
            )
            owners = tuple(sorted({canonical(owner) for _, owner in stated}))
            records.append(OwnerRecord(date, owners, statements))
        found[key] = tuple(
            sorted(records, key=lambda r: (PartialDate.try_parse(r.date) or _UNDATED, r.date))
        )
    return found


_UNDATED = PartialDate.parse("9999")


def registration_ownership(
    facts: FactBase, registration_iris: Sequence[str]
) -> dict[str, tuple[tuple[OwnershipChange, ...], tuple[str, ...], tuple[OwnerRecord, ...]]]:
    """Canonical registration IRI -> (its recorded changes, its representatives, its dated
    register records where it has changes: `owner_records`), for DataLoaders: two or three
    queries per batch, whatever the number of registrations."""
    canonical = facts.identities.canonical
    members = sorted({m for r in registration_iris for m in facts.identities.members(r)})
    changes = ownership_changes(facts, members)
    representatives = _representatives(facts, members)
    changed = sorted({m for m in members if canonical(m) in changes})
    records = owner_records(facts, changed) if changed else {}
    return {
        key: (
            tuple(changes.get(key, ())),
            tuple(sorted(representatives.get(key, ()))),
            records.get(key, ()),
        )
        for key in {canonical(r) for r in registration_iris}
    }


_CITED = frozenset(
    TM + name for name in ("registration", "assignor", "assignee", "date", "dateIsUpperBound")
)
"""The facts of a change an answer may rest on (`OwnershipChange.cited`)."""


def ownership_changes(
    facts: FactBase, registration_iris: Sequence[str]
) -> dict[str, list[OwnershipChange]]:
    """Canonical registration IRI -> its recorded changes, by date (undated last)."""
    canonical = facts.identities.canonical
    kinds = iri_in("type", [TM + kind for kind in CHANGE_KINDS])
    found: dict[str, dict] = {}
    for batch in batches(list(registration_iris)):
        rows = facts.select(
            f"""SELECT ?c ?type ?r ?p ?o ?g WHERE {{
                  VALUES ?r {{ {iri_values(batch)} }}
                  ?c <{TM}registration> ?r ; a ?type . {kinds}
                  GRAPH ?g {{ ?c ?p ?o }} }}"""
        )
        for row in rows:
            change = found.setdefault(
                row["c"],  # type: ignore[arg-type]
                {
                    "kinds": set(),
                    "registration": canonical(row["r"]),
                    "values": defaultdict(set),  # type: ignore[arg-type]
                    "graphs": set(),
                    "said": set(),
                },
            )
            change["kinds"].add(row["type"].removeprefix(TM))  # type: ignore[union-attr]
            change["graphs"].add(row["g"])
            if row["p"].startswith(TM):  # type: ignore[union-attr]
                change["values"][row["p"].removeprefix(TM)].add(row["o"])  # type: ignore[union-attr]
                if row["p"] in _CITED:
                    change["said"].add((row["p"], row["o"], row["g"], row["c"]))
    result: dict[str, list[OwnershipChange]] = defaultdict(list)
    for iri, change in found.items():
        values = change["values"]
        result[change["registration"]].append(
            OwnershipChange(
                id=iri,
                kind=_most_specific(change["kinds"]),
                registration=change["registration"],
                date=_earliest(values.get("date")),
                assignors=tuple(sorted({canonical(p) for p in values.get("assignor", ())})),
                assignees=tuple(sorted({canonical(p) for p in values.get("assignee", ())})),
                conveyance=min(values["conveyanceText"]) if values.get("conveyanceText") else None,
                recorded=_earliest(values.get("recordalDate")),
                sources=tuple(sorted(change["graphs"])),
                statements=cite_each(iri, sorted(change["said"]), facts.identities),
            )
        )
    for changes in result.values():
        changes.sort(key=lambda c: (_day(c.date), c.id))
    return result


def _representatives(facts: FactBase, iris: Sequence[str]) -> dict[str, set[str]]:
    canonical = facts.identities.canonical
    found: dict[str, set[str]] = defaultdict(set)
    for batch in batches(list(iris)):
        rows = facts.select(
            f"""SELECT DISTINCT ?r ?p WHERE {{ VALUES ?r {{ {iri_values(batch)} }}
                  ?r <{TM}representative> ?p }}"""
        )
        for row in rows:
            found[canonical(row["r"])].add(canonical(row["p"]))  # type: ignore[arg-type]
    return found


def _most_specific(kinds: set[str]) -> str:
    for kind in ("SecurityInterest", "Assignment", "Merger", "NameChange"):
        if kind in kinds:
            return kind
    return "OwnershipChange"


def _day(date: str | None) -> int:
    parsed = PartialDate.try_parse(date)
    return parsed.first_day if parsed is not None else 10**9


def _earliest(values: set[str] | None) -> str | None:
    if not values:
        return None
    return min(values, key=lambda v: (_day(v), v))


def describe_changes(facts: FactBase, events: Sequence[str]) -> dict[str, str]:
    """A line for each recorded change among `events` (others left out), for timelines:
    "MSG SPORTS & ENTERTAINMENT, LLC assigns registration No. 0835284 of 'MADISON SQUARE
    GARDEN' (US) to MSG ENTERTAINMENT GROUP, LLC" (a timeline adds that a date that is only a
    bound is one: `TimelineFacts._involved`)."""
    kinds = iri_in("type", [TM + kind for kind in CHANGE_KINDS])
    lines: dict[str, str] = {}
    for batch in batches(list(events)):
        rows = facts.select(
            f"""SELECT ?e ?type ?r ?role ?p ?number ?serial ?text ?j WHERE {{
                  VALUES ?e {{ {iri_values(batch)} }}
                  ?e a ?type ; <{TM}registration> ?r . {kinds}
                  OPTIONAL {{ ?e ?role ?p FILTER(?role IN (<{TM}assignor>, <{TM}assignee>)) }}
                  OPTIONAL {{ ?r <{TM}registrationNumber> ?number }}
                  OPTIONAL {{ ?r <{TM}applicationNumber> ?serial }}
                  OPTIONAL {{ ?r <{TM}mark>/<{TM}text> ?text }}
                  OPTIONAL {{ ?r <{TM}jurisdiction> ?j }} }}"""
        )
        found: dict[str, dict] = {}
        for row in rows:
            event = found.setdefault(
                row["e"],  # type: ignore[arg-type]
                {"kinds": set(), "assignor": set(), "assignee": set(), "what": set()},
            )
            event["kinds"].add(row["type"].removeprefix(TM))  # type: ignore[union-attr]
            if row["role"]:
                event[row["role"].removeprefix(TM)].add(row["p"])
            event["what"].add(
                _registration_words(row["number"], row["serial"], row["text"], row["j"])
            )
        parties = facts.parties(p for e in found.values() for p in e["assignor"] | e["assignee"])
        canonical = facts.identities.canonical
        for iri, event in found.items():
            names = {
                role: joined(sorted(parties[canonical(p)].name for p in event[role])) or "its owner"
                for role in ("assignor", "assignee")
            }
            what = max(event["what"], key=lambda w: (len(w), w))
            lines[iri] = _line(_most_specific(event["kinds"]), names, what)
    return lines


def _line(kind: str, names: dict[str, str], what: str) -> str:
    giver, taker = names["assignor"], names["assignee"]
    if kind == "Assignment":
        return f"{giver} assigns {what} to {taker}"
    if kind == "Merger":
        return f"{giver} merges into {taker}, which takes over {what}"
    if kind == "NameChange":
        return f"{giver} changes its name to {taker} ({what})"
    if kind == "SecurityInterest":
        return f"{giver} grants {taker} a security interest in {what} (no change of owner)"
    return f"{what} passes from {giver} to {taker}"


def _registration_words(
    number: str | None, serial: str | None, text: str | None, place: str | None
) -> str:
    if number:
        words = f"registration No. {number}"
    else:
        words = f"application No. {serial}" if serial else "the registration"
    if text:
        words += f" of {text!r}"
    if place:
        words += f" ({place.rsplit('/', 1)[-1]})"
    return words
