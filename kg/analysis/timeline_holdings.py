"""A registration's or use's timeline entry as one statement: what the sources giving its
date state together (issue 16).

An entry "Lumora files application No. 123 for 'LUMORA' in DE, class 11" dated 2014-11-20
cites only the graphs that give 2014-11-20, and says only what every one of them states
with it: the number, place and classes another source gives are left out of that entry
(they are in the entry dated as that source dates it). The entry is one `Cited` statement,
``((tm:owner, P), (tm:mark, M), (tm:jurisdiction, J), ..., (tm:filingDate, D))``, whose
sources are exactly the graphs stating it all; a registration's holder that the date's
sources do not name is one more statement, with its own sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.analysis.holding_statements import shown
from kg.analysis.model import Cited, Holding
from kg.analysis.sparql_text import TM

__all__ = ["DATE_PROPERTY", "EntryView", "entry_view"]

DATE_PROPERTY = {
    "filing": "filingDate",
    "publication": "publicationDate",
    "registration": "registrationDate",
    "renewal": "renewalDate",
    "use begins": "startDate",
    "use ends": "endDate",
}
"""The tm: property each kind of holding entry is dated by ("ended": by its status)."""
_SHOWN = ("jurisdiction", "niceClass", "registrationNumber", "applicationNumber", "onBehalfOf")
_ENDED = ("markStatus", "statusDate", "statusCode", "status", "expiryDate", "endDate")


@dataclass(frozen=True)
class EntryView:
    """What one timeline entry of a holding states, and the facts its words may use."""

    statements: tuple[Cited, ...]
    jurisdiction: str | None = None
    classes: tuple[int, ...] = ()
    registration_number: str | None = None
    application_number: str | None = None
    on_behalf_of: str | None = None


def entry_view(holding: Holding, kind: str, date: str, *, holder: bool = True) -> EntryView:
    """The entry of `holding` (as held by the party it names) of `kind` on `date`; with
    `holder` False (an owner before a recorded change, whom no source of the registration
    names as owner: the change names it) the statements leave the holder out."""
    prop = DATE_PROPERTY.get(kind)
    if prop is None:  # a right's end: what it is and its status, each with its sources
        return _view(holding, shown(holding.statements, "mark", *_SHOWN, *_ENDED))
    dated = [s for s in holding.statements if s.facts[-1] == (TM + prop, date)]
    if not dated:
        return EntryView(())
    graphs = set(dated[0].sources)
    facts: list[tuple[str, str]] = []
    separate: list[Cited] = []
    for statement in holding.statements:
        name = statement.facts[-1][0][len(TM) :]
        if name != "mark" and name not in _SHOWN:
            continue
        if graphs <= set(statement.sources):  # every source of the date states it too
            facts += [f for f in statement.facts if f not in facts and _kept(f, holder)]
        elif name == "mark" and holder:
            separate.append(statement)  # a holder the date's sources do not name
    # the identities the date's own sources need to name this holder (not other sources')
    per_graph = dict(holding.graph_identities)
    identities = {i for g in graphs for i in per_graph.get(g, ())} or set(dated[0].identities)
    facts += [f for f in dated[0].facts if f not in facts and _kept(f, holder)]
    together = Cited(holding.id, tuple(facts), tuple(sorted(graphs)), tuple(sorted(identities)))
    return _view(holding, (together, *separate))


def _kept(fact: tuple[str, str], holder: bool) -> bool:
    return holder or fact[0] != TM + "owner"


def _view(holding: Holding, statements: tuple[Cited, ...]) -> EntryView:
    stated: dict[str, list[str]] = {}
    for statement in statements:
        for prop, value in statement.facts:
            stated.setdefault(prop[len(TM) :], []).append(value)

    def one(name: str) -> str | None:
        return min(stated[name]) if stated.get(name) else None

    classes = {int(c.rsplit("/", 1)[-1]) for c in stated.get("niceClass", ()) if c[-1:].isdigit()}
    place = one("jurisdiction")
    return EntryView(
        statements=statements,
        jurisdiction=place.rsplit("/", 1)[-1] if place else None,
        classes=tuple(sorted(classes)),
        registration_number=one("registrationNumber"),
        application_number=one("applicationNumber"),
        on_behalf_of=holding.on_behalf_of if stated.get("onBehalfOf") else None,
    )
