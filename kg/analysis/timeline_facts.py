"""Reading timeline entries (events, filings, grants, uses) from the store, per source.

A mixin of `kg.analysis.facts.FactBase`; `kg.analysis.timeline` orders what it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from kg.analysis.model import TimelineEntry
from kg.analysis.ownership_facts import CHANGE_KINDS, describe_changes
from kg.analysis.sparql_text import TM, batches, camel_words, iri_values

__all__ = ["TimelineFacts"]


class TimelineFacts:
    """Dated facts about parties and cases, one entry per date a source gives."""

    def timeline_entries(
        self, *, parties: Iterable[str] = (), case: str | None = None
    ) -> list[TimelineEntry]:
        """Events (and, for parties, registrations and uses) with dates, per source."""
        members = sorted({m for p in parties for m in self.identities.members(p)})
        patterns = []
        if members:
            patterns.append(
                f"{{ VALUES ?who {{ {iri_values(members)} }} "
                f"?e <{TM}involves>|<{TM}payer>|<{TM}payee>|<{TM}assignor>|<{TM}assignee> ?who }}"
            )
        if case is not None:
            cases = iri_values(sorted(self.identities.members(case)))
            patterns.append(f"{{ VALUES ?case {{ {cases} }} ?e <{TM}case> ?case }}")
        entries: list[TimelineEntry] = []
        if patterns:
            rows = self.select(
                f"""SELECT ?e ?type ?date ?desc ?g WHERE {{
                      {{ SELECT DISTINCT ?e WHERE {{ {" UNION ".join(patterns)} }} }}
                      GRAPH ?g {{ ?e a ?type . OPTIONAL {{ ?e <{TM}date> ?date }}
                                  OPTIONAL {{ ?e <http://purl.org/dc/terms/description> ?desc }} }}
                    }}"""
            )
            entries += self._event_entries(rows)
        if members:
            entries += self._holding_entries(set(members))
        return entries

    def _event_entries(self, rows: list[dict[str, str | None]]) -> list[TimelineEntry]:
        by_event: dict[str, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
        kinds: dict[str, str] = {}
        descriptions: dict[tuple[str, str | None], str] = {}
        changes_of_owner: set[str] = set()
        for row in rows:
            event = row["e"]
            if row["type"].removeprefix(TM) in CHANGE_KINDS:  # type: ignore[union-attr]
                changes_of_owner.add(event)  # type: ignore[arg-type]
            by_event[event][row["date"]].add(row["g"])  # type: ignore[index,arg-type]
            kinds[event] = camel_words(row["type"].removeprefix(TM))  # type: ignore[index,union-attr]
            if row["desc"]:
                descriptions.setdefault((event, row["date"]), row["desc"])  # type: ignore[arg-type]
                descriptions.setdefault((event, None), row["desc"])  # type: ignore[arg-type]
        involved = self._involved(sorted(by_event))
        # Only changes of owner need their registration's words (no query when there are none).
        changes = describe_changes(self, sorted(changes_of_owner)) if changes_of_owner else {}
        entries = []
        for event, dates in by_event.items():
            dated = {d: g for d, g in dates.items() if d}
            undated_graphs = dates.get(None, set())
            if not dated:
                dated = {None: undated_graphs}  # type: ignore[dict-item]
            for date, graphs in dated.items():
                entries.append(
                    TimelineEntry(
                        date=date,
                        kind=kinds[event],
                        subject=event,
                        description=descriptions.get((event, date))
                        or descriptions.get((event, None))
                        or changes.get(event, ""),
                        parties=tuple(involved.get(event, ())),
                        sources=self.source_refs(graphs),
                    )
                )
        return entries

    def _involved(self, events: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for batch in batches(events):
            rows = self.select(
                f"""SELECT DISTINCT ?e ?p WHERE {{ VALUES ?e {{ {iri_values(batch)} }}
                      ?e <{TM}involves>|<{TM}payer>|<{TM}payee>|<{TM}assignor>|<{TM}assignee>
                         ?p }}"""
            )
            parties = self.parties(row["p"] for row in rows)  # type: ignore[misc]
            canonical = self.identities.canonical
            for row in rows:
                found[row["e"]].add(parties[canonical(row["p"])].name)  # type: ignore[index,arg-type]
        return {event: sorted(names) for event, names in found.items()}

    def _holding_entries(self, members: set[str]) -> list[TimelineEntry]:
        canonical = {self.identities.canonical(m) for m in members}
        rows = self.select(
            f"""SELECT DISTINCT ?m WHERE {{ VALUES ?who {{ {iri_values(sorted(members))} }}
                  ?h <{TM}owner>|<{TM}user>|<{TM}onBehalfOf> ?who ; <{TM}mark> ?m }}"""
        )
        holdings = [
            h
            for h in self.holdings(r["m"] for r in rows)  # type: ignore[misc]
            if h.party in canonical or h.on_behalf_of in canonical
        ]
        entries = []
        for holding in holdings:
            name = self.party(holding.party).name
            what = f"{holding.mark.text!r} in {holding.jurisdiction or 'no stated jurisdiction'}"
            if holding.classes:
                what += f", class {', '.join(map(str, holding.classes))}"
            number = f" No. {holding.registration_number}" if holding.registration_number else ""
            for date, kind, text in (
                (holding.filing_date, "filing", f"{name} files for{number} {what}"),
                (
                    holding.registration_date,
                    "registration",
                    f"{name}'s registration{number} of {what} is granted",
                ),
                (
                    holding.start_date,
                    "use begins",
                    f"{name} starts using {what}"
                    + (
                        f" on behalf of {self.party(holding.on_behalf_of).name}"
                        if holding.on_behalf_of
                        else ""
                    ),
                ),
                (holding.end_date, "use ends", f"{name} stops using {what}"),
            ):
                if date:
                    entries.append(
                        TimelineEntry(
                            date=date,
                            kind=kind,
                            subject=holding.id,
                            description=text,
                            parties=(name,),
                            sources=self.source_refs(holding.sources),
                        )
                    )
        return entries
