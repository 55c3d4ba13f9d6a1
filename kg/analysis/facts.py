"""Reading the facts analyses need from the store, once, into plain data.

The analyses themselves (usage, conflicts, priority, ...) are pure functions over what this
module returns; only this module speaks SPARQL. Identities (owl:sameAs) are resolved here:
every party and holding is known by one canonical IRI with all its records merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.contradictions import Statement
from kg.analysis.dates import PartialDate
from kg.analysis.mark_index import MarkIndex
from kg.analysis.model import (
    CaseSummary,
    Holding,
    HoldingKind,
    MarkRef,
    PartyRef,
    SourceRef,
    TimelineEntry,
)
from kg.analysis.priority import ClaimRecord
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare
from kg.store import Store

__all__ = ["SIMILAR_MARK", "FactBase", "Identities", "neighbourhood_edges"]

TM = "https://w3id.org/tmkg/ontology#"
_BATCH = 400
# Lookups by key take bigger batches: a VALUES block of 8,000 holdings ran no slower than
# twenty of 400 (measured on a generated registry), and each batch is a store query.
_KEY_BATCH = 5_000
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_HOLDING_TYPES = {TM + "Registration", TM + "Use"}
_HOLDING_PROPERTIES = {
    "mark": "mark",
    "owner": "party",
    "user": "party",
    "onBehalfOf": "on_behalf_of",
    "jurisdiction": "jurisdiction",
    "niceClass": "classes",
    "filingDate": "filing_date",
    "registrationDate": "registration_date",
    "startDate": "start_date",
    "endDate": "end_date",
    "registrationNumber": "registration_number",
    "region": "region",
}


class Identities:
    """owl:sameAs as a union-find: each IRI maps to one canonical IRI (the smallest).

    >>> ids = Identities([("b", "c"), ("a", "b")])
    >>> ids.canonical("c"), sorted(ids.members("a"))
    ('a', ['a', 'b', 'c'])
    """

    def __init__(self, links: Iterable[tuple[str, str]] = ()) -> None:
        self._parent: dict[str, str] = {}
        for left, right in links:
            self._union(left, right)

    def _find(self, iri: str) -> str:
        parent = self._parent.get(iri, iri)
        if parent == iri:
            return iri
        root = self._find(parent)
        self._parent[iri] = root
        return root

    def _union(self, left: str, right: str) -> None:
        a, b = self._find(left), self._find(right)
        if a != b:
            low, high = sorted((a, b))
            self._parent[high] = low
            self._parent.setdefault(low, low)

    def canonical(self, iri: str) -> str:
        return self._find(iri)

    def members(self, iri: str) -> set[str]:
        root = self._find(iri)
        found = {other for other in self._parent if self._find(other) == root}
        return found | {iri}


@dataclass
class _Record:
    iris: set[str]
    kind: str
    values: dict[str, set[str]]
    graphs: set[str]


class FactBase:
    """The facts of one store, read on demand and cached; build a new one after writes."""

    def __init__(self, store: Store, mark_index: MarkIndex | None = None) -> None:
        self.store = store
        self._shared_index = mark_index
        self._identities: Identities | None = None
        self._sources: dict[str, SourceRef] | None = None
        self._parties: dict[str, PartyRef] = {}
        self._marks: dict[str, str] | None = None
        self._index: MarkIndex | None = None
        self._relatedness: dict[frozenset[int], float] | None = None

    # ------------------------------------------------------------ plumbing

    def select(self, sparql: str) -> list[dict[str, str | None]]:
        """Rows of a SELECT as dicts of plain strings (IRIs and literal values)."""
        result = self.store.query(sparql)
        variables = [v.value for v in result.variables]  # type: ignore[union-attr]
        rows = []
        for solution in result:  # type: ignore[union-attr]
            values = [None if term is None else term.value for term in solution]
            rows.append(dict(zip(variables, values, strict=True)))
        return rows

    # ------------------------------------------------------------ identities, sources

    @property
    def identities(self) -> Identities:
        if self._identities is None:
            rows = self.select(
                "SELECT DISTINCT ?a ?b WHERE { ?a <http://www.w3.org/2002/07/owl#sameAs> ?b }"
            )
            self._identities = Identities((row["a"], row["b"]) for row in rows)  # type: ignore[misc]
        return self._identities

    @property
    def sources(self) -> dict[str, SourceRef]:
        """Named graph IRI -> the source it is derived from."""
        if self._sources is None:
            rows = self.select(
                """SELECT ?g ?s (SAMPLE(?t) AS ?title) (SAMPLE(?p) AS ?publisher)
                          (SAMPLE(?d) AS ?date) (SAMPLE(?k) AS ?kind) WHERE {
                     ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?s .
                     OPTIONAL { ?s <http://purl.org/dc/terms/title> ?t }
                     OPTIONAL { ?s <http://purl.org/dc/terms/publisher> ?p }
                     OPTIONAL { ?s <http://purl.org/dc/terms/date> ?d }
                     OPTIONAL { ?s <https://w3id.org/tmkg/ontology#sourceKind> ?k }
                   } GROUP BY ?g ?s"""
            )
            self._sources = {
                row["g"]: SourceRef(  # type: ignore[misc]
                    graph=row["g"],  # type: ignore[arg-type]
                    id=row["s"],
                    title=row["title"],
                    publisher=row["publisher"],
                    date=row["date"],
                    kind=row["kind"],
                )
                for row in rows
            }
        return self._sources

    def source_refs(self, graphs: Iterable[str]) -> tuple[SourceRef, ...]:
        """The sources of some named graphs (a graph with no described source stands alone)."""
        known = self.sources
        return tuple(known.get(g, SourceRef(graph=g)) for g in sorted(set(graphs)))

    # ------------------------------------------------------------ parties

    def party(self, iri: str) -> PartyRef:
        """The party an IRI names, merged with every record it is owl:sameAs."""
        canonical = self.identities.canonical(iri)
        if canonical not in self._parties:
            self._load_parties([canonical])
        return self._parties[canonical]

    def parties(self, iris: Iterable[str]) -> dict[str, PartyRef]:
        wanted = {self.identities.canonical(i) for i in iris}
        missing = [i for i in wanted if i not in self._parties]
        if missing:
            self._load_parties(missing)
        return {i: self._parties[i] for i in wanted}

    def all_parties(self) -> dict[str, PartyRef]:
        """Every party in the store (anything typed as a tm:Party subclass)."""
        rows = self.select(
            f"""SELECT DISTINCT ?p WHERE {{
                  ?p a ?t . ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{TM}Party> }}"""
        )
        return self.parties(row["p"] for row in rows)  # type: ignore[misc]

    def _load_parties(self, canonicals: Sequence[str]) -> None:
        members = {c: sorted(self.identities.members(c)) for c in canonicals}
        every = sorted({m for group in members.values() for m in group})
        names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        types: dict[str, set[str]] = defaultdict(set)
        for batch in _batches(every):
            rows = self.select(
                f"""SELECT ?p ?kind ?name ?lang ?g WHERE {{
                      VALUES ?p {{ {_values(batch)} }}
                      {{ GRAPH ?g {{ ?p <https://schema.org/name> ?name }} BIND("name" AS ?kind) }}
                      UNION
                      {{ GRAPH ?g {{ ?p <https://schema.org/alternateName> ?name }}
                         BIND("alias" AS ?kind) }}
                      UNION
                      {{ GRAPH ?g {{ ?p a ?type }}
                         BIND(STR(?type) AS ?name) BIND("type" AS ?kind) }}
                      BIND(LANG(?name) AS ?lang)
                    }}"""
            )
            for row in rows:
                if row["kind"] == "type":
                    types[row["p"]].add(row["name"].removeprefix(TM))  # type: ignore[union-attr,index]
                else:
                    names[row["p"]].append((row["kind"], row["name"], row["lang"] or ""))  # type: ignore[index,arg-type]
        for canonical, group in members.items():
            self._parties[canonical] = _party_ref(canonical, group, names, types)

    # ------------------------------------------------------------ marks

    @property
    def marks(self) -> dict[str, str]:
        """Mark IRI -> its text."""
        if self._marks is None:
            rows = self.select(f"SELECT DISTINCT ?m ?t WHERE {{ ?m <{TM}text> ?t }}")
            self._marks = {row["m"]: row["t"] for row in rows}  # type: ignore[misc]
        return self._marks

    @property
    def mark_index(self) -> MarkIndex:
        """The blocking-key index of marks, synced with the store once per FactBase."""
        if self._index is None:
            index = self._shared_index if self._shared_index is not None else MarkIndex(None)
            index.sync(self.marks)
            self._index = index
        return self._index

    # ------------------------------------------------------------ Nice classes, jurisdictions

    @property
    def relatedness(self) -> dict[frozenset[int], float]:
        """Documented relatedness of Nice class pairs (same class is 1.0, implicit)."""
        if self._relatedness is None:
            rows = self.select(
                f"""SELECT ?a ?b ?s WHERE {{
                      ?r a <{TM}ClassRelatedness> ; <{TM}relates> ?ca, ?cb ; <{TM}strength> ?s .
                      ?ca <{TM}classNumber> ?a . ?cb <{TM}classNumber> ?b . FILTER(?a < ?b) }}"""
            )
            self._relatedness = {
                frozenset((int(row["a"]), int(row["b"]))): float(row["s"])  # type: ignore[arg-type]
                for row in rows
            }
        return self._relatedness

    def class_relatedness(self, left: Iterable[int], right: Iterable[int]) -> float:
        """The strongest relatedness between any class of `left` and any of `right`."""
        best = 0.0
        table = self.relatedness
        for a in left:
            for b in right:
                best = max(best, 1.0 if a == b else table.get(frozenset((a, b)), 0.0))
        return best

    def priority_rule(self, code: str) -> tuple[str | None, str | None]:
        """The jurisdiction's priority rule (``FirstToFile``/``FirstToUse``) and its basis."""
        rows = self.select(
            f"""SELECT ?rule ?basis WHERE {{
                  ?j <{TM}code> "{_escape(code)}" .
                  OPTIONAL {{ ?j <{TM}priorityRule> ?rule }}
                  OPTIONAL {{ ?j <{TM}priorityRuleBasis> ?basis }} }} LIMIT 1"""
        )
        if not rows:
            return None, None
        rule = rows[0]["rule"]
        return (rule.removeprefix(TM) if rule else None), rows[0]["basis"]

    def jurisdiction_exists(self, code: str) -> bool:
        return bool(self.store.query(f'ASK {{ ?j <{TM}code> "{_escape(code)}" }}'))

    # ------------------------------------------------------------ holdings

    def holdings(self, mark_iris: Iterable[str] | None = None) -> list[Holding]:
        """Registrations and uses (of the given marks, or all), one per holder, sameAs merged."""
        records: dict[str, _Record] = {}
        if mark_iris is None:
            self._collect_holdings(records, "")
        else:
            for batch in _batches(sorted(set(mark_iris))):
                self._collect_holdings(records, f"VALUES ?m {{ {_values(batch)} }}")
        return self._holdings_from(records)

    def _collect_holdings(self, records: dict[str, _Record], restriction: str) -> None:
        # Oxigraph evaluates this shape in well under a millisecond per mark; a sub-SELECT
        # or a trailing VALUES for the predicates made it scan the whole store (measured).
        rows = self.select(
            f"""SELECT ?h ?p ?o ?g WHERE {{
                  {restriction} GRAPH ?mg {{ ?h <{TM}mark> ?m }}
                  GRAPH ?g {{ ?h ?p ?o }} }}"""
        )
        identities = self.identities
        kinds: dict[str, str] = {}
        facts: list[tuple[str, str, str, str]] = []
        for row in rows:
            holding, predicate, obj, graph = row["h"], row["p"], row["o"], row["g"]
            if predicate == _RDF_TYPE and obj in _HOLDING_TYPES:
                kinds[holding] = obj.removeprefix(TM)  # type: ignore[union-attr,index]
            elif predicate.startswith(TM) and predicate[len(TM) :] in _HOLDING_PROPERTIES:  # type: ignore[union-attr]
                facts.append((holding, predicate[len(TM) :], obj, graph))  # type: ignore[arg-type,index]
        for holding, field_name, obj, graph in facts:
            kind = kinds.get(holding)
            if kind is None:
                continue  # something with a tm:mark that is neither a registration nor a use
            key = identities.canonical(holding)
            record = records.get(key)
            if record is None:
                record = records[key] = _Record(set(), kind, defaultdict(set), set())
            record.iris.add(holding)
            record.values[field_name].add(obj)
            record.graphs.add(graph)

    def _holdings_from(self, records: dict[str, _Record]) -> list[Holding]:
        identities = self.identities
        marks = self.marks
        holdings: list[Holding] = []
        for key, record in sorted(records.items()):
            values = record.values
            mark_iri = identities.canonical(min(values.get("mark", {""})))
            mark = MarkRef(id=mark_iri, text=marks.get(mark_iri, ""))
            classes = tuple(
                sorted(
                    {
                        int(c.rsplit("/", 1)[1])
                        for c in values.get("niceClass", ())
                        if c.rsplit("/", 1)[1].isdigit()
                    }
                )
            )
            jurisdictions = sorted(values.get("jurisdiction", ()))
            behalf = sorted({identities.canonical(b) for b in values.get("onBehalfOf", ())})
            holders = (
                values.get("owner", set())
                if record.kind == "Registration"
                else values.get("user", set())
            )
            for party in sorted({identities.canonical(h) for h in holders}):
                if record.kind == "Registration":
                    kind = HoldingKind.REGISTERED_OWNER
                else:
                    kind = HoldingKind.OPERATOR if behalf else HoldingKind.USER
                holdings.append(
                    Holding(
                        id=key,
                        kind=kind,
                        mark=mark,
                        party=party,
                        on_behalf_of=behalf[0] if behalf else None,
                        jurisdiction=jurisdictions[0].rsplit("/", 1)[1] if jurisdictions else None,
                        classes=classes,
                        filing_date=_most_precise(values.get("filingDate")),
                        registration_date=_most_precise(values.get("registrationDate")),
                        start_date=_most_precise(values.get("startDate")),
                        end_date=_most_precise(values.get("endDate")),
                        registration_number=min(values["registrationNumber"])
                        if values.get("registrationNumber")
                        else None,
                        region=min(values["region"]) if values.get("region") else None,
                        sources=tuple(sorted(record.graphs)),
                        iris=tuple(sorted(record.iris)),
                    )
                )
        return holdings

    # ------------------------------------------------------------ claims, cases, events

    def claims(self, mark_iris: Iterable[str]) -> list[ClaimRecord]:
        """tm:Claim records about the given marks (or about no mark in particular)."""
        marks = sorted(set(mark_iris))
        if not marks:
            return []
        rows = self.select(
            f"""SELECT ?c ?claimant ?kind ?mark ?j ?date ?desc ?g WHERE {{
                  GRAPH ?g {{ ?c a <{TM}Claim> ; <{TM}claimant> ?claimant ; <{TM}claimKind> ?kind .
                    OPTIONAL {{ ?c <{TM}mark> ?mark }}
                    OPTIONAL {{ ?c <{TM}jurisdiction> ?j }}
                    OPTIONAL {{ ?c <{TM}claimedDate> ?date }}
                    OPTIONAL {{ ?c <http://purl.org/dc/terms/description> ?desc }} }}
                  FILTER(!BOUND(?mark) || ?mark IN ({", ".join(f"<{m}>" for m in marks)}))
                }}"""
        )
        grouped: dict[tuple, set[str]] = defaultdict(set)
        for row in rows:
            key = (
                row["c"],
                self.identities.canonical(row["claimant"]),  # type: ignore[arg-type]
                row["kind"].removeprefix(TM),  # type: ignore[union-attr]
                self.marks.get(row["mark"] or "", None),
                row["j"].rsplit("/", 1)[1] if row["j"] else None,
                row["date"],
                row["desc"] or "",
            )
            grouped[key].add(row["g"])  # type: ignore[arg-type]
        return [
            ClaimRecord(*key, sources=tuple(sorted(graphs)))
            for key, graphs in sorted(grouped.items(), key=lambda kv: tuple(str(x) for x in kv[0]))
        ]

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
        for batch in _batches(members):
            rows = self.select(
                f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?c {{ {_values(batch)} }}
                      ?s <{TM}case>? ?c . GRAPH ?g {{ ?s ?p ?o }}
                      FILTER(STRSTARTS(STR(?p), "{TM}") || ?p IN (<{_RDF_TYPE}>,
                             <http://purl.org/dc/terms/description>)) }}"""
            )
            for row in rows:
                obj: str = row["o"]  # type: ignore[assignment]
                if row["p"] == _RDF_TYPE:
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
        for batch in _batches(sorted(set(iris))):
            rows = self.select(
                f"""SELECT DISTINCT ?x ?t WHERE {{ VALUES ?x {{ {_values(batch)} }}
                      ?x a ?t FILTER(STRSTARTS(STR(?t), "{TM}")) }}"""
            )
            for row in rows:
                found[row["x"]].add(row["t"].removeprefix(TM))  # type: ignore[index,union-attr]
        return {
            iri: sorted(types, key=lambda t: (t in general, t))[0] for iri, types in found.items()
        }

    # ------------------------------------------------------------ batched lookups by key
    # Each reads many keys in one query per batch of _KEY_BATCH, so a shell resolving nested
    # objects (GraphQL's DataLoaders) makes the same number of queries for 1 key or 5,000.

    def holdings_of(self, party_iris: Iterable[str]) -> dict[str, list[Holding]]:
        """Registrations and uses each party holds or that are operated on its behalf.

        Keyed by canonical party IRI; every party asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(p) for p in party_iris}
        members = sorted({m for p in wanted for m in identities.members(p)})
        held: set[str] = set()
        for batch in _batches(members, _KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?h WHERE {{ VALUES ?who {{ {_values(batch)} }}
                      ?h <{TM}owner>|<{TM}user>|<{TM}onBehalfOf> ?who }}"""
            )
            held |= {m for row in rows for m in identities.members(row["h"])}  # type: ignore[arg-type]
        records: dict[str, _Record] = {}
        for batch in _batches(sorted(held), _KEY_BATCH):
            self._collect_holdings(records, f"VALUES ?h {{ {_values(batch)} }}")
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
        records: dict[str, _Record] = {}
        for batch in _batches(members, _KEY_BATCH):
            self._collect_holdings(records, f"VALUES ?m {{ {_values(batch)} }}")
        found: dict[str, list[Holding]] = {m: [] for m in wanted}
        for holding in self._holdings_from(records):
            if holding.mark.id in found:
                found[holding.mark.id].append(holding)
        return found

    def cases(self) -> dict[str, str | None]:
        """Every case: canonical IRI -> its case number (None when no source gives one)."""
        rows = self.select(
            f"""SELECT DISTINCT ?c ?n WHERE {{
                  ?c a <{TM}Case> . OPTIONAL {{ ?c <{TM}caseNumber> ?n }} }}"""
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
        roles = " ".join(f"<{TM}{role}>" for role in ("plaintiff", "defendant", "court"))
        for batch in _batches(members, _KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?who ?c ?role WHERE {{
                      VALUES ?who {{ {_values(batch)} }} VALUES ?role {{ {roles} }}
                      ?c ?role ?who . ?c a <{TM}Case> }}"""
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
        graphs: dict[str, set[str]] = defaultdict(set)
        is_case: set[str] = set()
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
        for batch in _batches(members, _KEY_BATCH):
            rows = self.select(
                f"""SELECT ?c ?p ?o ?g WHERE {{
                      VALUES ?c {{ {_values(batch)} }} GRAPH ?g {{ ?c ?p ?o }} }}"""
            )
            for row in rows:
                case = identities.canonical(row["c"])  # type: ignore[arg-type]
                graphs[case].add(row["g"])  # type: ignore[arg-type]
                if row["p"] == _RDF_TYPE and row["o"] == TM + "Case":
                    is_case.add(case)
                elif row["p"] in fields:
                    values[case][fields[row["p"]]].add(row["o"])  # type: ignore[index,arg-type]
        party_roles = ("courts", "plaintiffs", "defendants")
        parties = self.parties(
            iri for case in is_case for role in party_roles for iri in values[case][role]
        )
        marks = self.marks
        found: dict[str, CaseSummary] = {}
        for case in sorted(is_case):
            v = values[case]

            def refs(role: str, v: dict[str, set[str]] = v) -> tuple[PartyRef, ...]:
                chosen = {identities.canonical(i) for i in v[role]}
                return tuple(sorted((parties[i] for i in chosen), key=lambda p: p.name))

            mark_ids = sorted({identities.canonical(m) for m in v["marks"]})
            jurisdictions = sorted(v["jurisdiction"])
            found[case] = CaseSummary(
                id=case,
                number=min(v["number"]) if v["number"] else None,
                jurisdiction=jurisdictions[0].rsplit("/", 1)[1] if jurisdictions else None,
                courts=refs("courts"),
                plaintiffs=refs("plaintiffs"),
                defendants=refs("defendants"),
                marks=tuple(MarkRef(id=m, text=marks.get(m, "")) for m in mark_ids),
                description=min(v["description"]) if v["description"] else None,
                claim_amount=min(v["claim_amount"]) if v["claim_amount"] else None,
                currency=min(v["currency"]) if v["currency"] else None,
                sources=self.source_refs(graphs[case]),
            )
        return found

    def events_by_case(self, case_iris: Iterable[str]) -> dict[str, list[TimelineEntry]]:
        """The events of each case (``tm:case``), one entry per date per source, unordered.

        Keyed by canonical case IRI; every case asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(c) for c in case_iris}
        members = sorted({m for c in wanted for m in identities.members(c)})
        rows: list[dict[str, str | None]] = []
        for batch in _batches(members, _KEY_BATCH):
            rows += self.select(
                f"""SELECT ?case ?e ?type ?date ?desc ?g WHERE {{
                      {{ SELECT DISTINCT ?case ?e WHERE {{
                           VALUES ?case {{ {_values(batch)} }} ?e <{TM}case> ?case }} }}
                      GRAPH ?g {{ ?e a ?type . OPTIONAL {{ ?e <{TM}date> ?date }}
                                  OPTIONAL {{ ?e <http://purl.org/dc/terms/description> ?desc }} }}
                    }}"""
            )
        cases_of_event: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            cases_of_event[row["e"]].add(identities.canonical(row["case"]))  # type: ignore[index,arg-type]
        found: dict[str, list[TimelineEntry]] = {c: [] for c in wanted}
        for entry in self._event_entries(rows):
            for case in cases_of_event[entry.subject]:
                found[case].append(entry)
        return found

    def sources_of(self, iris: Iterable[str]) -> dict[str, tuple[SourceRef, ...]]:
        """The sources that state anything about each thing (as subject), records merged.

        Keyed by canonical IRI; every IRI asked for has an entry, maybe empty.
        """
        identities = self.identities
        wanted = {identities.canonical(i) for i in iris}
        members = sorted({m for i in wanted for m in identities.members(i)})
        graphs: dict[str, set[str]] = {i: set() for i in wanted}
        for batch in _batches(members, _KEY_BATCH):
            rows = self.select(
                f"""SELECT DISTINCT ?s ?g WHERE {{
                      VALUES ?s {{ {_values(batch)} }} GRAPH ?g {{ ?s ?p ?o }} }}"""
            )
            for row in rows:
                graphs[identities.canonical(row["s"])].add(row["g"])  # type: ignore[arg-type]
        return {i: self.source_refs(g) for i, g in graphs.items()}

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Readable labels: names for parties, texts for marks, numbers for registrations."""
        wanted = sorted(set(iris))
        labels: dict[str, str] = {}
        for batch in _batches(wanted):
            rows = self.select(
                f"""SELECT ?x (SAMPLE(?name) AS ?n) (SAMPLE(?text) AS ?t) (SAMPLE(?num) AS ?r)
                           (SAMPLE(?case) AS ?k) (SAMPLE(?label) AS ?l)
                           (SAMPLE(?type) AS ?y) WHERE {{
                      VALUES ?x {{ {_values(batch)} }}
                      OPTIONAL {{ ?x <https://schema.org/name> ?name
                                  FILTER(LANG(?name) IN ("", "en")) }}
                      OPTIONAL {{ ?x <{TM}text> ?text }}
                      OPTIONAL {{ ?x <{TM}registrationNumber> ?num }}
                      OPTIONAL {{ ?x <{TM}caseNumber> ?case }}
                      OPTIONAL {{ ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
                      OPTIONAL {{ ?x a ?type FILTER(STRSTARTS(STR(?type), "{TM}")) }}
                    }} GROUP BY ?x"""
            )
            for row in rows:
                iri = row["x"]
                kind = (row["y"] or "").removeprefix(TM)
                if kind in ("Company", "Person", "Court", "TrademarkOffice", "Party"):
                    labels[iri] = self.party(iri).name  # type: ignore[arg-type]
                elif row["t"]:
                    labels[iri] = f"mark {row['t']!r}"  # type: ignore[index]
                elif row["r"]:
                    labels[iri] = f"registration No. {row['r']}"  # type: ignore[index]
                elif row["k"]:
                    labels[iri] = f"case {row['k']}"  # type: ignore[index]
                elif row["n"] or row["l"]:
                    labels[iri] = row["n"] or row["l"]  # type: ignore[index,assignment]
                else:
                    tail = iri.rsplit("/", 1)[-1]  # type: ignore[union-attr]
                    labels[iri] = f"{_words(kind)} {tail}".strip()  # type: ignore[index]
        return labels

    def statements(self, properties: Iterable[str]) -> list[Statement]:
        """Every statement of the given properties, per graph, identities resolved."""
        canonical = self.identities.canonical
        values = " ".join(f"<{p}>" for p in sorted(properties))
        rows = self.select(
            f"""SELECT ?s ?p ?o (DATATYPE(?o) AS ?dt) ?g WHERE {{
                  VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"""
        )
        return [
            Statement(
                subject=canonical(r["s"]),  # type: ignore[arg-type]
                property=r["p"],  # type: ignore[arg-type]
                value=r["o"] if r["dt"] else canonical(r["o"]),  # type: ignore[arg-type]
                datatype=r["dt"],
                graph=r["g"],  # type: ignore[arg-type]
            )
            for r in rows
        ]

    def timeline_entries(
        self, *, parties: Iterable[str] = (), case: str | None = None
    ) -> list[TimelineEntry]:
        """Events (and, for parties, registrations and uses) with dates, per source."""
        members = sorted({m for p in parties for m in self.identities.members(p)})
        patterns = []
        if members:
            patterns.append(
                f"{{ VALUES ?who {{ {_values(members)} }} "
                f"?e <{TM}involves>|<{TM}payer>|<{TM}payee> ?who }}"
            )
        if case is not None:
            cases = _values(sorted(self.identities.members(case)))
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
        for row in rows:
            event = row["e"]
            by_event[event][row["date"]].add(row["g"])  # type: ignore[index,arg-type]
            kinds[event] = _words(row["type"].removeprefix(TM))  # type: ignore[index,union-attr]
            if row["desc"]:
                descriptions.setdefault((event, row["date"]), row["desc"])  # type: ignore[arg-type]
                descriptions.setdefault((event, None), row["desc"])  # type: ignore[arg-type]
        involved = self._involved(sorted(by_event))
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
                        or descriptions.get((event, None), ""),
                        parties=tuple(involved.get(event, ())),
                        sources=self.source_refs(graphs),
                    )
                )
        return entries

    def _involved(self, events: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for batch in _batches(events):
            rows = self.select(
                f"""SELECT DISTINCT ?e ?p WHERE {{ VALUES ?e {{ {_values(batch)} }}
                      ?e <{TM}involves>|<{TM}payer>|<{TM}payee> ?p }}"""
            )
            parties = self.parties(row["p"] for row in rows)  # type: ignore[misc]
            canonical = self.identities.canonical
            for row in rows:
                found[row["e"]].add(parties[canonical(row["p"])].name)  # type: ignore[index,arg-type]
        return {event: sorted(names) for event, names in found.items()}

    def _holding_entries(self, members: set[str]) -> list[TimelineEntry]:
        canonical = {self.identities.canonical(m) for m in members}
        rows = self.select(
            f"""SELECT DISTINCT ?m WHERE {{ VALUES ?who {{ {_values(sorted(members))} }}
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


PATH_PREDICATES = tuple(
    TM + name
    for name in (
        "owner",
        "user",
        "onBehalfOf",
        "mark",
        "plaintiff",
        "defendant",
        "court",
        "concerns",
        "claimant",
        "involves",
        "payer",
        "payee",
        "case",
        "grantedBy",
    )
)
MAX_NEIGHBOURS = 200


def neighbourhood_edges(
    facts: FactBase, starts: Iterable[str], depth: int, max_neighbours: int = MAX_NEIGHBOURS
) -> tuple[set[tuple[str, str, str]], bool]:
    """Edges (subject, predicate, object) within `depth` steps of `starts`, over the
    conflict-relevant predicates only, identities contracted; and whether a hub was cut.

    Jurisdictions, classes and dates are not followed: they join everything and mean nothing
    as a connection. A node with more than `max_neighbours` links is not expanded.
    """
    canonical = facts.identities.canonical
    frontier = {m for s in starts for m in facts.identities.members(s)}
    seen: set[str] = set(frontier)
    edges: set[tuple[str, str, str]] = set()
    truncated = False
    wanted = set(PATH_PREDICATES)
    for _ in range(depth):
        if not frontier:
            break
        found: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for batch in _batches(sorted(frontier)):
            # Two plain patterns, predicates filtered here: Oxigraph answers these from its
            # indexes, where a UNION with a VALUES list of predicates made it scan (measured).
            values = _values(batch)
            outgoing = f"VALUES ?s {{ {values} }} ?s ?p ?o FILTER(isIRI(?o))"
            for row in facts.select(f"SELECT ?s ?p ?o WHERE {{ {outgoing} }}"):
                if row["p"] in wanted:
                    found[row["s"]].add((row["s"], row["p"], row["o"]))  # type: ignore[index,arg-type]
            incoming = f"VALUES ?o {{ {values} }} ?s ?p ?o FILTER(isIRI(?s))"
            for row in facts.select(f"SELECT ?s ?p ?o WHERE {{ {incoming} }}"):
                if row["p"] in wanted:
                    found[row["o"]].add((row["s"], row["p"], row["o"]))  # type: ignore[index,arg-type]
        following: set[str] = set()
        for links in found.values():
            if len(links) > max_neighbours:
                truncated = True
                links = set(sorted(links)[:max_neighbours])
            for subject, predicate, obj in links:
                edges.add((canonical(subject), predicate, canonical(obj)))
                for other in (subject, obj):
                    if other not in seen:
                        seen.add(other)
                        following |= facts.identities.members(other)
        frontier = following
    # Marks with similar texts are linked, so a path can cross from one spelling to another.
    # Only marks already in the neighbourhood are compared, blocked like conflicts are.
    mark_nodes = {n for e in edges for n in (e[0], e[2]) if n in facts.marks}
    by_text: dict[str, list[str]] = defaultdict(list)
    for mark in mark_nodes:
        by_text[facts.marks[mark]].append(mark)
    pairs = candidate_text_pairs(by_text) | {(t, t) for t in by_text if len(by_text[t]) > 1}
    for left_text, right_text in pairs:
        if compare(left_text, right_text).score < DEFAULT_MIN_SIMILARITY:
            continue
        for left in by_text[left_text]:
            for right in by_text[right_text]:
                if left != right:
                    edges.add((min(left, right), SIMILAR_MARK, max(left, right)))
    return {e for e in edges if e[0] != e[2]}, truncated


SIMILAR_MARK = "https://w3id.org/tmkg/ontology#similarMark"


def _words(camel: str) -> str:
    """'LawsuitFiled' -> 'lawsuit filed'."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()


def _party_ref(
    canonical: str,
    group: Sequence[str],
    names: dict[str, list[tuple[str, str, str]]],
    types: dict[str, set[str]],
) -> PartyRef:
    # The display name is an English (or untagged) name of the canonical record, the one most
    # sources state, then the longest (the fuller legal name); every other name is an alias.
    counts: dict[str, int] = defaultdict(int)
    everything: list[str] = []
    for iri in group:
        for kind, name, lang in names.get(iri, []):
            everything.append(name)
            english = lang in ("", "en") or lang.startswith("en-")
            if kind == "name" and english:
                counts[name] += 3 if iri == canonical else 1
    if counts:
        display = max(counts, key=lambda n: (counts[n], len(n), n))
    elif everything:
        display = sorted(everything)[0]
    else:
        display = canonical.rsplit("/", 1)[-1]
    aliases = tuple(sorted({n for n in everything if n != display}))
    kinds = tuple(
        sorted({t for iri in group for t in types.get(iri, ()) if not t.startswith("http")})
    )
    return PartyRef(id=canonical, name=display, aliases=aliases, iris=tuple(group), types=kinds)


def _most_precise(values: set[str] | None) -> str | None:
    """The most precise date among the values (ties: the earliest)."""
    if not values:
        return None
    parsed = [(PartialDate.try_parse(v), v) for v in values]
    dated = [(d, v) for d, v in parsed if d is not None]
    if not dated:
        return min(values)
    rank = {"year": 0, "month": 1, "day": 2}
    return max(dated, key=lambda item: (rank[item[0].precision], -item[0].earliest.toordinal()))[1]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _batches(items: Sequence[str], size: int = _BATCH) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
