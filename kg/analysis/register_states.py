"""What the register said on a date: each registration read from the state of its record that
was current then.

An office's files give a record again and again; `kg.registries.versions` keeps the newest
state as the registration and each earlier one as a version node (``{registration}~{graph}``,
a `tm:RegisterRecordVersion`) in the graph of the file that gave it. An answer as of a date D
reads, for a registration whose current state is dated after D, the latest earlier state
dated on or before D (``queries/register-history.rq`` lists them): its owners, status,
classes and goods, cited to the file that gave them. Changes of owner and other dated events
are the registration's own and apply to whichever state is read (`kg.analysis.ownership`).

A state is dated by its record date (`tm:recordDate`: the day the file states the case as
of); a state with none by its status date (`tm:statusDate`: the state was taken on or after
it, so its status already held on any later day), as the importer orders them
(`kg.registries.versions.state_dates`). A state with neither is never chosen, nor replaced:
nothing says when it held. Before the first dated state the earliest is read: it was taken
after the date too, but it is the nearest the register gives (the newest may name a later
owner, status and classes: helper-124). As of today (or no date) the current state is read,
as always.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate
from kg.analysis.model import FILED_KINDS, Holding
from kg.analysis.sparql_text import IS_VERSION_OF, REGISTER_VERSION, batches, iri_values
from kg.namespaces import TM

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["states_on"]


def states_on(facts: FactBase, holdings: Sequence[Holding], as_of: PartialDate) -> list[Holding]:
    """`holdings` with each registration whose current state is dated after `as_of` (its
    first day later than the last day `as_of` may mean) replaced by its holdings as the latest
    earlier state dated on or before `as_of` states them (with none, the earliest dated state:
    the nearest the register gives) (`FactBase.state_holdings`: same
    `id`, the version's statements and sources); the others as they are, in their order.
    Costs one ASK per FactBase where the store keeps no earlier state (`has_history`);
    nothing for a date that may mean today or later (every caller's default): no file states a
    record as of a later day than it was read, so the current states are those of today."""
    if as_of.last_day >= PartialDate.today().first_day or not facts.has_history():
        return list(holdings)
    keys = {iri: h.id for h in holdings if h.kind in FILED_KINDS for iri in h.iris}
    chosen = _states_chosen(facts, keys, as_of)
    if not chosen:
        return list(holdings)
    read: dict[str, list[Holding]] = defaultdict(list)
    for holding in facts.state_holdings(chosen):
        read[holding.id].append(holding)
    replaced = set(chosen.values())
    found: list[Holding] = []
    for holding in holdings:
        if holding.id not in replaced:
            found.append(holding)
        elif holding.id in read:
            found.extend(read.pop(holding.id))  # once, where its first holding stood
    return found


def _states_chosen(facts: FactBase, keys: dict[str, str], as_of: PartialDate) -> dict[str, str]:
    """Version node -> record key, for each record whose current state is dated after
    `as_of` and that has an earlier dated state: the latest dated on or before `as_of`, else
    the earliest (two files of one date are one state)."""
    current: dict[str, list[int]] = defaultdict(list)  # record key -> its current states' days
    earlier: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))  # by day
    for batch in batches(sorted(keys)):
        rows = facts.tuples(
            f"""SELECT ?h ?s ?record ?status WHERE {{
                  VALUES ?h {{ {iri_values(batch)} }}
                  {{ GRAPH ?g {{ ?h a <{TM}Registration> }} BIND (?h AS ?s) }}
                  UNION {{ GRAPH ?g {{ ?s <{IS_VERSION_OF}> ?h ; a <{REGISTER_VERSION}> }} }}
                  OPTIONAL {{ GRAPH ?g {{ ?s <{TM}recordDate> ?record }} }}
                  OPTIONAL {{ GRAPH ?g {{ ?s <{TM}statusDate> ?status }} }} }}"""
        )
        for iri, state, record, status in rows:
            date = PartialDate.try_parse(record or status)
            key = keys[iri]  # type: ignore[index]
            if state == iri:
                current[key].append(date.first_day if date is not None else 0)
            elif date is not None:
                earlier[key][date.first_day].append(state)  # type: ignore[arg-type]
    chosen: dict[str, str] = {}
    for key, days in current.items():
        if min(days) <= as_of.last_day or not earlier.get(key):
            continue  # the current state held then (or nothing dates it), or none is earlier
        by_day = earlier[key]
        before = [day for day in by_day if day <= as_of.last_day]
        day = max(before) if before else min(by_day)  # else the nearest: the earliest
        chosen.update((state, key) for state in by_day[day])
    return chosen
