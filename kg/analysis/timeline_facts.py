"""Reading timeline entries (events, filings, grants, uses) from the store, per source.

A mixin of `kg.analysis.facts.FactBase`; `kg.analysis.timeline` orders what it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from kg.analysis.co_owners import co_owners
from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cite_each, cited_graphs, stated_values
from kg.analysis.lifecycle import end_of
from kg.analysis.model import (
    FILED_KINDS,
    Cited,
    HoldingKind,
    TimelineEntry,
    name_statements,
    with_names,
)
from kg.analysis.ownership import change_order, owners_on
from kg.analysis.ownership_facts import CHANGE_KINDS, describe_changes
from kg.analysis.sparql_text import RDF_TYPE, TM, batches, camel_words, iri_values, is_iri
from kg.analysis.timeline_holdings import DATE_PROPERTY, EntryView, entry_view
from kg.analysis.wording import jointly

__all__ = ["TimelineFacts"]

_DESCRIPTION = "http://purl.org/dc/terms/description"


_LIFE = tuple(
    (DATE_PROPERTY[kind], kind) for kind in ("filing", "publication", "registration", "renewal")
)
_USE = tuple((DATE_PROPERTY[kind], kind) for kind in ("use begins", "use ends"))


def _entry_text(
    kind: str, name: str, mark: str, view: EntryView, why: str | None, behalf: str | None
) -> str:
    """The entry in words, from what its sources state (`kg.analysis.timeline_holdings`)."""
    what = repr(mark)
    if view.jurisdiction:
        what += f" in {view.jurisdiction}"
    if view.classes:
        what += f", class {', '.join(map(str, view.classes))}"
    number = f" No. {view.registration_number}" if view.registration_number else ""
    serial = view.application_number or view.registration_number
    serial_number = f" No. {serial}" if serial else ""
    right = "registration" if view.registration_number else "application"
    return {
        "filing": f"{name} files {f'application{serial_number}' if serial else 'an application'} "
        f"for {what}",
        "publication": f"{name}'s application{serial_number} for {what} is published for "
        "opposition",
        "ended": f"{name}'s {right}{number or serial_number} of {what} ends: {why}",
        "registration": f"{name}'s registration{number} of {what} is granted",
        "renewal": f"{name}'s registration{number} of {what} is renewed",
        "use begins": f"{name} starts using {what}" + (f" on behalf of {behalf}" if behalf else ""),
        "use ends": f"{name} stops using {what}",
    }[kind]


def _by_date_text(item: tuple[tuple[str | None, str | None], set[str]]) -> tuple:
    (date, description), _graphs = item
    return (date is None, date or "", description or "")


_HOLDER_ROLES = ("owner", "user", "onBehalfOf")
"""The properties naming who holds a registration or a use (an operator's principal too)."""

_EVENT_FIELDS = {RDF_TYPE: 0, TM + "date": 1, _DESCRIPTION: 2}
"""The statements of an event a timeline reads: its types, dates and descriptions."""


_BOUND = TM + "dateIsUpperBound"
_NO_PARTY = frozenset({_BOUND, TM + "registration"})
"""The facts `_involved` cites that name no party: a bound, the registration a change is of."""
_INVOLVING = ", ".join(
    f"<{TM}{name}>"
    for name in (
        *("involves", "payer", "payee", "assignor", "assignee"),
        *("dateIsUpperBound", "registration"),
    )
)


@dataclass
class Involved:
    """What `TimelineFacts._involved` found of some events, by event IRI: the names of the
    parties each involves (sorted), its statements of them (with their names'), and the
    graphs saying an event's date is only a bound."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statements: dict[str, tuple[Cited, ...]] = field(default_factory=dict)
    bounds: dict[str, set[str]] = field(default_factory=dict)
    """Event -> the graphs saying its date is a bound (tm:dateIsUpperBound)."""
    dates: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """Event -> graph -> the dates that graph gives it."""


class TimelineFacts:
    """Dated facts about parties and cases, one entry per date a source gives."""

    def timeline_entries(
        self,
        *,
        parties: Iterable[str] = (),
        case: str | None = None,
        marks: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        """Events (and, for parties, registrations and uses) with dates, per source; with
        `marks` (canonical mark IRIs), only the parties' registrations and uses of those
        marks, no event."""
        members = sorted({m for p in parties for m in self.identities.members(p)})
        if marks is not None:
            return self._holding_entries(set(members), marks) if members else []
        patterns = []
        if members:
            patterns.append(
                f"{{ VALUES ?who {{ {iri_values(members)} }} "
                f"?e <{TM}involves>|<{TM}payer>|<{TM}payee>|<{TM}assignor>|<{TM}assignee> ?who }}"
            )
            # the events of the cases the party is a party to (a judgment names no plaintiff)
            patterns.append(
                f"{{ VALUES ?who {{ {iri_values(members)} }} "
                f"?partyto <{TM}plaintiff>|<{TM}defendant> ?who . ?e <{TM}case> ?partyto }}"
            )
        if case is not None:
            cases = iri_values(sorted(self.identities.members(case)))
            patterns.append(f"{{ VALUES ?case {{ {cases} }} ?e <{TM}case> ?case }}")
        entries: list[TimelineEntry] = []
        if patterns:
            entries += self._event_entries(self._event_rows(" UNION ".join(patterns)))
        if members:
            entries += self._holding_entries(set(members))
        return entries

    def case_started(self) -> dict[str, str | None]:
        """Canonical case IRI -> the first date its sources give it: a proceeding's filing
        date (tm:proceedingFilingDate), else the earliest date of its events (a court case's
        filing, tm:LawsuitFiled, comes first); None when nothing dates it."""
        rows = self.select(
            f"""SELECT ?c ?date WHERE {{ ?c <{TM}plaintiff>|<{TM}defendant> ?who .
                  OPTIONAL {{ {{ ?c <{TM}proceedingFilingDate> ?date }}
                              UNION {{ ?e <{TM}case> ?c ; <{TM}date> ?date }} }} }}"""
        )
        found: dict[str, PartialDate | None] = {}
        texts: dict[str, str | None] = {}
        for row in rows:
            case = self.identities.canonical(row["c"])  # type: ignore[arg-type]
            date = PartialDate.try_parse(row["date"])
            found.setdefault(case, None)
            texts.setdefault(case, None)
            if date is not None and (found[case] is None or date < found[case]):  # type: ignore[operator]
                found[case], texts[case] = date, row["date"]
        return texts

    def case_parties_on(self, as_of: PartialDate) -> list[tuple[str, str]]:
        """(plaintiff, defendant) pairs of every case begun by `as_of` (its first date no later
        than the last day of `as_of`; an undated case counts), canonical IRIs."""
        started = self.case_started()
        rows = self.select(
            f"SELECT DISTINCT ?c ?p ?d WHERE {{ ?c <{TM}plaintiff> ?p ; <{TM}defendant> ?d }}"
        )
        canonical = self.identities.canonical
        pairs = set()
        for row in rows:
            first = PartialDate.try_parse(started.get(canonical(row["c"])))  # type: ignore[arg-type]
            if first is not None and first.first_day > as_of.last_day:
                continue  # filed after the date asked: not a case yet
            pairs.add((canonical(row["p"]), canonical(row["d"])))  # type: ignore[arg-type]
        return sorted(pairs)

    def _event_rows(self, pattern: str) -> list[dict[str, str | None]]:
        """Each source's type, date and description of the events `pattern` binds to ``?e``,
        as rows (``e``, ``type``, ``date``, ``desc``, ``g``): per graph typing an event, each
        type with each date and description that graph states (None where it states none).

        The events' statements are read whole and sorted here: asking for the type with the
        date and description OPTIONAL made Oxigraph read every typed node or every dated
        statement of the store (2.4-2.9 s against 15 ms for a case's events at 100,000
        marks)."""
        rows = self.select(
            f"""SELECT ?e ?p ?o ?g WHERE {{ {{ SELECT DISTINCT ?e WHERE {{ {pattern} }} }}
                  GRAPH ?g {{ ?e ?p ?o }} }}"""
        )
        return event_rows((r["e"], r["p"], r["o"], r["g"]) for r in rows)  # type: ignore[misc]

    def _event_entries(self, rows: list[dict[str, str | None]]) -> list[TimelineEntry]:
        """One entry per date and description the sources give an event together, citing
        exactly the graphs that state that date with that description (issue 16): a
        source's words never describe a date another source gives. A graph stating neither
        date nor description counts only when no graph states either."""
        said: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(
            lambda: defaultdict(lambda: (set(), set()))
        )
        types: dict[str, set[str]] = defaultdict(set)
        changes_of_owner: set[str] = set()
        for row in rows:
            event: str = row["e"]  # type: ignore[assignment]
            kind = row["type"].removeprefix(TM)  # type: ignore[union-attr]
            if kind in CHANGE_KINDS:
                changes_of_owner.add(event)
            if row["type"].startswith(TM):  # type: ignore[union-attr]
                types[event].add(kind)
            dates, descriptions = said[event][row["g"]]  # type: ignore[index]
            if row["date"]:
                dates.add(row["date"])
            if row["desc"]:
                descriptions.add(row["desc"])
        involved = self._involved(sorted(said))
        # Only changes of owner need their registration's words (no query when there are none).
        changes = describe_changes(self, sorted(changes_of_owner)) if changes_of_owner else {}
        entries = []
        for event, graphs in said.items():
            grouped: dict[tuple[str | None, str | None], set[str]] = defaultdict(set)
            for graph, (dates, descriptions) in graphs.items():
                for date in dates or {None}:
                    for description in descriptions or {None}:
                        grouped[(date, description)].add(graph)
            if len(grouped) > 1:
                grouped.pop((None, None), None)
            kind = min(types.get(event) or {"Event"})
            for (date, description), cited in sorted(grouped.items(), key=_by_date_text):
                facts = [(RDF_TYPE, TM + kind)]
                if date:
                    facts.append((TM + "date", date))
                if description:
                    facts.append((_DESCRIPTION, description))
                text = description or changes.get(event, "")
                # a change dated by a day it had taken effect by: a source of this date says
                # so, or one that gives the change no date (another date's bound is not this)
                bounds = involved.bounds.get(event, set())
                dated = involved.dates.get(event, {})
                bound = any(date in dated.get(g, {date}) for g in bounds)
                if bound:
                    text = f"{text}; it took effect on or before that day"
                statements = (
                    Cited(event, tuple(facts), tuple(sorted(cited))),
                    *(
                        s
                        for s in involved.statements.get(event, ())
                        if bound or s.facts[0][0] != _BOUND
                    ),
                )
                entries.append(
                    TimelineEntry(
                        date=date,
                        kind=camel_words(kind),
                        subject=event,
                        description=text,
                        parties=involved.names.get(event, ()),
                        sources=self.source_refs(cited_graphs(statements)),
                        statements=statements,
                    )
                )
        return entries

    def _involved(self, events: Sequence[str]) -> Involved:
        """The parties each event involves (tm:involves, payer, payee, assignor, assignee)
        and whether its date is a bound (tm:dateIsUpperBound), each fact with the graphs
        stating it, and the parties' names with theirs: what an entry shows beside its date
        and words."""
        said: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)
        found = Involved()
        for batch in batches(events):
            rows = self.select(
                f"""SELECT ?e ?q ?p ?g WHERE {{ VALUES ?e {{ {iri_values(batch)} }}
                      GRAPH ?g {{ ?e ?q ?p }} FILTER(?q IN ({_INVOLVING}, <{TM}date>)) }}"""
            )
            for row in rows:
                event, prop, value, graph = row["e"], row["q"], row["p"], row["g"]
                if prop == TM + "date":  # which graph dates it how (for its bound)
                    found.dates.setdefault(event, {}).setdefault(graph, set()).add(value)  # type: ignore[arg-type]
                else:
                    said[event].add((prop, value, graph, event))  # type: ignore[index,arg-type]
        who = {p for rows in said.values() for q, p, _, _ in rows if q not in _NO_PARTY}
        parties = self.parties(who)
        canonical = self.identities.canonical
        for event, rows in said.items():
            facts = cite_each(event, sorted(rows), self.identities)
            named = [  # in the order of their IRIs: every process lists them alike
                parties[iri]
                for iri in sorted({canonical(p) for q, p, _, _ in rows if q not in _NO_PARTY})
            ]
            bounds = {g for q, p, g, _ in rows if q == _BOUND and p in ("true", "1")}
            if bounds:
                found.bounds[event] = bounds
            found.names[event] = tuple(sorted({p.name for p in named}))
            found.statements[event] = (*facts, *name_statements(*named))
        return found

    def _holding_entries(
        self, members: set[str], marks: Collection[str] | None = None
    ) -> list[TimelineEntry]:
        """Filings, grants and uses of the parties' holdings (of `marks` only, if given). A
        filing or a grant names the owners on its date (docs/ontology.md, "Owners over
        time"): a registration assigned later is filed by its original owner, in the original
        owner's timeline, not in the assignee's (whose timeline has the assignment)."""
        canonical = {self.identities.canonical(m) for m in members}
        if marks is None:  # the marks of every right and use naming the parties
            # one plain pattern a property: alternative paths (owner|user|...) took 40 times
            # as long (4.7 s against 0.13 s for a holder of 6,964 rights at 100,000 marks)
            patterns = [
                *(f"{{ ?h <{TM}{role}> ?who ; <{TM}mark> ?m }}" for role in _HOLDER_ROLES),
                *(
                    f"{{ ?c <{TM}{role}> ?who ; <{TM}registration> ?h . ?h <{TM}mark> ?m }}"
                    for role in ("assignor", "assignee")
                ),
            ]
            rows = self.select(
                f"""SELECT DISTINCT ?m WHERE {{ VALUES ?who {{ {iri_values(sorted(members))} }}
                      {" UNION ".join(patterns)} }}"""
            )
            held: set[str] = {r["m"] for r in rows}  # type: ignore[misc]
        else:  # the rights of those marks: only the parties' own give entries (below)
            held = {iri for mark in marks for iri in self.identities.members(mark)}
        entries: dict[tuple, TimelineEntry] = {}  # (right, kind, date, its holders) -> entry
        done: set[str] = set()
        today = PartialDate.today()
        holdings = self.holdings(held)
        held_by = {(h.id, h.party): h for h in holdings}
        held_with = co_owners(holdings)  # a co-owned filing is one entry naming them all
        for holding in holdings:
            # a right's life: filed, published, granted, and (for a dead right) its end
            # each date as each source gives it (two sources, two filing dates: two entries)
            life = [
                (date, kind)
                for prop, kind in _LIFE
                for date, _graphs in stated_values(holding.statements, prop)
            ]
            ended, why = end_of(holding) if holding.kind in FILED_KINDS else (None, None)
            when = PartialDate.try_parse(ended)
            if why and when is not None and when.first_day <= today.first_day:
                life.append((ended, "ended"))  # a right's end that has happened, not a future one
            if holding.kind is HoldingKind.REGISTERED_OWNER and change_order(holding.ownership):
                if holding.id in done:
                    continue  # one holding per recorded owner: the chain names them all
                done.add(holding.id)
                dated = [
                    (date, kind, owner.party)
                    for date, kind in life
                    if (on := PartialDate.try_parse(date)) is not None
                    for owner in owners_on([holding], on)
                ]
            elif holding.party in canonical or holding.on_behalf_of in canonical:
                dated = [
                    *((date, kind, holding.party) for date, kind in life),
                    *(
                        (date, kind, holding.party)
                        for prop, kind in _USE
                        for date, _graphs in stated_values(holding.statements, prop)
                    ),
                ]
            else:
                continue
            for date, kind, party in dated:
                if not date or (party not in canonical and holding.on_behalf_of not in canonical):
                    continue
                # the owner on that date's own statements (kg.analysis.holding_statements)
                own = held_by.get((holding.id, party))
                view = entry_view(own or holding, kind, date, holder=own is not None)
                if not view.statements:
                    continue
                together = held_with.get((holding.id, party), frozenset((party,)))
                names = [
                    self.party(party).name,
                    *sorted(self.party(o).name for o in together if o != party),
                ]
                key = (holding.id, kind, date, together)
                behalf = self.party(view.on_behalf_of).name if view.on_behalf_of else None
                shown = [self.party(p) for p in sorted(together)]
                if view.on_behalf_of:
                    shown.append(self.party(view.on_behalf_of))
                # the names the entry gives, each from the graphs stating it
                statements = with_names(view.statements, *shown)
                earlier = entries.get(key)
                if earlier is not None:  # another co-owner's view of the same filing
                    statements = tuple(dict.fromkeys((*earlier.statements, *statements)))
                    names = list(earlier.parties)
                entries[key] = TimelineEntry(
                    date=date,
                    kind=kind,
                    subject=holding.id,
                    description=_entry_text(
                        kind, jointly(names), holding.mark.text, view, why, behalf
                    ),
                    parties=tuple(names),
                    sources=self.source_refs(cited_graphs(statements)),
                    statements=statements,
                )
        return list(entries.values())


def event_rows(
    statements: Iterable[tuple[str, str, str, str]],
) -> list[dict[str, str | None]]:
    """Rows (``e``, ``type``, ``date``, ``desc``, ``g``) of events' statements (event,
    property, value, graph): per graph typing an event, each type with each date and
    description that graph states (None where it states none), sorted. Events not named by an
    IRI are left out (loads skolemize blank nodes; an event's parties are read by its name)."""
    said: dict[tuple[str, str], tuple[set[str], set[str], set[str]]] = defaultdict(
        lambda: (set(), set(), set())
    )
    for event, prop, value, graph in statements:
        slot = _EVENT_FIELDS.get(prop)
        if slot is not None and value is not None and event and is_iri(event):
            said[(event, graph)][slot].add(value)
    return [
        {"e": event, "type": kind, "date": date, "desc": desc, "g": graph}
        for (event, graph), (kinds, dates, descriptions) in sorted(said.items())
        for kind in sorted(kinds)
        for date in sorted(dates) or [None]
        for desc in sorted(descriptions) or [None]
    ]
