"""Batched lookups by key, for DataLoaders and reports: one store query per batch of keys.

A mixin of `kg.analysis.facts.FactBase`; it reads through the base's `select`, identities
and caches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.analysis.holding_statements import cite_each, cited_graphs
from kg.analysis.model import (
    CaseSummary,
    Holding,
    MarkRef,
    PartyRef,
    SourceRef,
    TimelineEntry,
    with_names,
)
from kg.analysis.sparql_text import KEY_BATCH, RDF_TYPE, TM, batches, iri_in, iri_values
from kg.analysis.timeline_facts import event_rows

__all__ = ["BatchedLookups", "HoldingRecord"]

# tm:Case and its subclasses (a proceeding before an office is a case: schema/ontology.ttl).
_CASE_TYPES = {TM + name for name in ("Case", "Proceeding", "Opposition", "Cancellation")}
_A_CASE = f"a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{TM}Case>"


@dataclass
class HoldingRecord:
    """The statements about one registration or use, merged over its IRIs and graphs."""

    iris: set[str]
    kind: str
    values: dict[str, set[str]]
    graphs: set[str]
    stated: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(field, value as stated) -> the named graphs stating it (kg.analysis.holding_statements)."""
    subjects: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Named graph -> the IRIs of the record it states facts about (owl:sameAs members)."""


class BatchedLookups:
    """Lookups by key over many keys at once (cases, holdings, events, sources)."""

    def case_parties(self) -> list[tuple[str, str]]:
        """(plaintiff, defendant) pairs of every case, canonical IRIs."""
        rows = self.select(
            f"SELECT DISTINCT ?p ?d WHERE {{ ?c <{TM}plaintiff> ?p ; <{TM}defendant> ?d }}"
        )
        canonical = self.identities.canonical
        return sorted({(canonical(r["p"]), canonical(r["d"])) for r in rows})  # type: ignore[arg-type]

    def case_statements(self, cases: Iterable[str]) -> list[tuple[str, str, str, str]]:
        """(subject, property, value, graph) of the cases and of their events, per source.

        The properties are the tm: (and dcterms:description, rdf:type) statements of each
        case and of every event whose tm:case it is; IRIs are canonical, types local names.
        """
        members = sorted({m for c in cases for m in self.identities.members(c)})
        canonical = self.identities.canonical
        statements: list[tuple[str, str, str, str]] = []
        for batch in batches(members):
            rows = self.select(
                f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?c {{ {iri_values(batch)} }}
                      ?s <{TM}case>? ?c . GRAPH ?g {{ ?s ?p ?o }}
                      FILTER(STRSTARTS(STR(?p), "{TM}") || ?p IN (<{RDF_TYPE}>,
                             <http://purl.org/dc/terms/description>)) }}"""
            )
            for row in rows:
                obj: str = row["o"]  # type: ignore[assignment]
                if row["p"] == RDF_TYPE:
                    if not obj.startswith(TM):
                        continue
                    obj = obj.removeprefix(TM)
                elif obj.startswith(("https://", "http://")):
                    obj = canonical(obj)
                prop = row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]  # type: ignore[union-attr]
                statements.append((canonical(row["s"]), prop, obj, row["g"]))  # type: ignore[arg-type]
        return sorted(set(statements))

    def kinds(self, iris: Iterable[str]) -> dict[str, str]:
        """The tm: class of each IRI, as a local name (``"Registration"``), batched.

        When a node has several tm: types the most specific wins (``Judgment`` over
        ``Event``, ``Company`` over ``Party``); a node with none is left out.
        """
        general = {"Event", "Party"}
        found: dict[str, set[str]] = defaultdict(set)
        for batch in batches(sorted(set(iris))):
            rows = self.select(
                f"""SELECT DISTINCT ?x ?t WHERE {{ VALUES ?x {{ {iri_values(batch)} }}
                      ?x a ?t FILTER(STRSTARTS(STR(?t), "{TM}")) }}"""
            )
            for row in rows:
                found[row["x"]].add(row["t"].removeprefix(TM))  # type: ignore[index,union-attr]
        return {
            iri: sorted(types, key=lambda t: (t in general, t))[0] for iri, types in found.items()
        }

    def holdings_of(self, party_iris: Iterable[str]) -> dict[str, list[Holding]]:
        """Registrations and uses each party holds or that are operated on its behalf.

        Keyed by canonical party IRI; every party asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(p) for p in party_iris}
        members = sorted({m for p in wanted for m in identities.members(p)})
        held: set[str] = set()
        for batch in batches(members, KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?h WHERE {{ VALUES ?who {{ {iri_values(batch)} }}
                      ?h <{TM}owner>|<{TM}user>|<{TM}onBehalfOf> ?who }}"""
            )
            held |= {m for row in rows for m in identities.members(row["h"])}  # type: ignore[arg-type]
        records: dict[str, HoldingRecord] = {}
        for batch in batches(sorted(held), KEY_BATCH):
            self._collect_holdings(records, f"VALUES ?h {{ {iri_values(batch)} }}")
        found: dict[str, list[Holding]] = {p: [] for p in wanted}
        for holding in self._holdings_from(records):
            for who in {holding.party, holding.on_behalf_of}:
                if who in found:
                    found[who].append(holding)
        return found

    def holdings_by_mark(self, mark_iris: Iterable[str]) -> dict[str, list[Holding]]:
        """The registrations and uses of each mark, keyed by canonical mark IRI."""
        identities = self.identities
        wanted = {identities.canonical(m) for m in mark_iris}
        members = sorted({i for m in wanted for i in identities.members(m)})
        records: dict[str, HoldingRecord] = {}
        for batch in batches(members, KEY_BATCH):
            self._collect_holdings(records, f"VALUES ?m {{ {iri_values(batch)} }}")
        found: dict[str, list[Holding]] = {m: [] for m in wanted}
        for holding in self._holdings_from(records):
            if holding.mark.id in found:
                found[holding.mark.id].append(holding)
        return found

    def cases(self) -> dict[str, str | None]:
        """Every case: canonical IRI -> its case number (None when no source gives one)."""
        rows = self.select(
            f"""SELECT DISTINCT ?c ?n WHERE {{
                  ?c {_A_CASE} . OPTIONAL {{ ?c <{TM}caseNumber> ?n }} }}"""
        )
        found: dict[str, str | None] = {}
        for row in rows:
            key = self.identities.canonical(row["c"])  # type: ignore[arg-type]
            found[key] = found.get(key) or row["n"]
        return found

    def cases_of(self, party_iris: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """The cases each party is in, as (case IRI, role: plaintiff, defendant or court).

        Keyed by canonical party IRI; every party asked for has an entry, maybe empty.
        """
        canonical = self.identities.canonical
        wanted = {canonical(p) for p in party_iris}
        members = sorted({m for p in wanted for m in self.identities.members(p)})
        found: dict[str, set[tuple[str, str]]] = {p: set() for p in wanted}
        roles = iri_in("role", [TM + role for role in ("plaintiff", "defendant", "court")])
        for batch in batches(members, KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?who ?c ?role WHERE {{
                      VALUES ?who {{ {iri_values(batch)} }}
                      ?c ?role ?who . ?c {_A_CASE} {roles} }}"""
            )
            for row in rows:
                role = row["role"].removeprefix(TM)  # type: ignore[union-attr]
                found[canonical(row["who"])].add((canonical(row["c"]), role))  # type: ignore[arg-type]
        return {party: sorted(cases) for party, cases in found.items()}

    def case_summaries(self, case_iris: Iterable[str]) -> dict[str, CaseSummary]:
        """Each case's number, parties by role, courts and marks, merged over its sources.

        Keyed by canonical case IRI; an IRI that names no case is left out.
        """
        identities = self.identities
        wanted = {identities.canonical(c) for c in case_iris}
        members = sorted({m for c in wanted for m in identities.members(c)})
        values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        said: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        is_case: set[str] = set()
        proceedings: set[str] = set()  # oppositions, cancellations (kg.analysis.proceedings)
        fields = {
            TM + "caseNumber": "number",
            TM + "jurisdiction": "jurisdiction",
            TM + "court": "courts",
            TM + "plaintiff": "plaintiffs",
            TM + "defendant": "defendants",
            TM + "concerns": "marks",
            TM + "claimAmount": "claim_amount",
            TM + "currency": "currency",
            "http://purl.org/dc/terms/description": "description",
        }
        for batch in batches(members, KEY_BATCH):
            rows = self.select(
                f"""SELECT ?c ?p ?o ?g WHERE {{
                      VALUES ?c {{ {iri_values(batch)} }} GRAPH ?g {{ ?c ?p ?o }} }}"""
            )
            for row in rows:
                case = identities.canonical(row["c"])  # type: ignore[arg-type]
                if row["p"] == RDF_TYPE and row["o"] in _CASE_TYPES:
                    is_case.add(case)
                    if row["o"] != TM + "Case":
                        proceedings.add(case)
                elif row["p"] in fields:
                    values[case][fields[row["p"]]].add(row["o"])  # type: ignore[index,arg-type]
                    said[case].append((row["p"], row["o"], row["g"], row["c"]))  # type: ignore[arg-type]
        party_roles = ("courts", "plaintiffs", "defendants")
        parties = self.parties(
            iri for case in is_case for role in party_roles for iri in values[case][role]
        )
        marks = self.marks
        statements = {case: cite_each(case, said[case], identities) for case in is_case}
        found: dict[str, CaseSummary] = {}
        for case in sorted(is_case):
            v = values[case]

            def refs(role: str, v: dict[str, set[str]] = v) -> tuple[PartyRef, ...]:
                chosen = {identities.canonical(i) for i in v[role]}
                return tuple(sorted((parties[i] for i in chosen), key=lambda p: p.name))

            mark_ids = sorted({identities.canonical(m) for m in v["marks"]})
            jurisdictions = sorted(v["jurisdiction"])
            shown = (*refs("courts"), *refs("plaintiffs"), *refs("defendants"))
            # and the names it gives its parties, each from the graphs stating it
            statements[case] = with_names(statements[case], *shown)
            found[case] = CaseSummary(
                id=case,
                number=min(v["number"]) if v["number"] else None,
                jurisdiction=jurisdictions[0].rsplit("/", 1)[-1] if jurisdictions else None,
                courts=refs("courts"),
                plaintiffs=refs("plaintiffs"),
                defendants=refs("defendants"),
                marks=tuple(MarkRef(id=m, text=marks.get(m, "")) for m in mark_ids),
                description=min(v["description"]) if v["description"] else None,
                claim_amount=min(v["claim_amount"]) if v["claim_amount"] else None,
                currency=min(v["currency"]) if v["currency"] else None,
                sources=self.source_refs(cited_graphs(statements[case])),
                statements=statements[case],
            )
        if proceedings:
            from kg.analysis.proceedings import read_proceedings, with_proceeding

            every = read_proceedings(self)  # type: ignore[arg-type]
            for case in proceedings & found.keys():
                found[case] = with_proceeding(found[case], every, self.sources)
        return found

    def events_by_case(self, case_iris: Iterable[str]) -> dict[str, list[TimelineEntry]]:
        """The events of each case (``tm:case``), one entry per date per source, unordered.

        Keyed by canonical case IRI; every case asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(c) for c in case_iris}
        members = sorted({m for c in wanted for m in identities.members(c)})
        cases_of_event: dict[str, set[str]] = defaultdict(set)
        statements: list[tuple[str, str, str, str]] = []
        for batch in batches(members, KEY_BATCH):
            # the events' statements whole, sorted by `event_rows`: the type with OPTIONAL
            # dates and descriptions made Oxigraph read the store (as in `_event_rows`)
            for case, event, prop, value, graph in self.tuples(
                f"""SELECT ?case ?e ?p ?o ?g WHERE {{
                      VALUES ?case {{ {iri_values(batch)} }} ?e <{TM}case> ?case .
                      GRAPH ?g {{ ?e ?p ?o }} }}"""
            ):
                cases_of_event[event].add(identities.canonical(case))  # type: ignore[arg-type,index]
                statements.append((event, prop, value, graph))  # type: ignore[arg-type]
        rows = event_rows(statements)
        found: dict[str, list[TimelineEntry]] = {c: [] for c in wanted}
        for entry in self._event_entries(rows):
            for case in cases_of_event[entry.subject]:
                found[case].append(entry)
        from kg.analysis.proceedings import proceeding_timeline, read_proceedings

        # a proceeding's own filing and decision dates (kg.analysis.proceedings)
        by_id = {p.id: p for p in read_proceedings(self)}  # type: ignore[arg-type]
        for case in wanted & by_id.keys():
            found[case] += proceeding_timeline([by_id[case]], case=case)
        return found

    def sources_of(self, iris: Iterable[str]) -> dict[str, tuple[SourceRef, ...]]:
        """The sources that state anything about each thing (as subject), records merged.

        Keyed by canonical IRI; every IRI asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(i) for i in iris}
        members = sorted({m for i in wanted for m in identities.members(i)})
        graphs: dict[str, set[str]] = {i: set() for i in wanted}
        for batch in batches(members, KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?s ?g WHERE {{
                      VALUES ?s {{ {iri_values(batch)} }} GRAPH ?g {{ ?s ?p ?o }} }}"""
            )
            for row in rows:
                graphs[identities.canonical(row["s"])].add(row["g"])  # type: ignore[arg-type]
        return {i: self.source_refs(g) for i, g in graphs.items()}
