"""Reading the facts analyses need from the store, once, into plain data.

The analyses themselves (usage, conflicts, priority, ...) are pure functions over what this
module returns; only this module speaks SPARQL. Identities (owl:sameAs) are resolved here:
every party and holding is known by one canonical IRI with all its records merged.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from kg.analysis.contradictions import Statement
from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import HOLDER_FIELD, HolderView, holder_view
from kg.analysis.holdings_projection import Groups, HoldingsProjection
from kg.analysis.lifecycle import StatusScheme, status_name
from kg.analysis.lookups import BatchedLookups, HoldingRecord
from kg.analysis.mark_index import MarkIndex
from kg.analysis.mark_kinds import (
    KIND_PROPERTIES,
    goods_services_of,
    kind_fields,
    with_goods_services_classes,
)
from kg.analysis.model import (
    Cited,
    Holding,
    HoldingKind,
    MarkRef,
    PartyRef,
    SourceRef,
    source_refs,
)
from kg.analysis.ownership_facts import attach_ownership
from kg.analysis.priority import ClaimRecord
from kg.analysis.registration_claims import (
    REGISTRATION_CLAIM_PROPERTIES,
    with_registration_claims,
)
from kg.analysis.sparql_text import (
    HOLDING_TYPES,
    RDF_TYPE,
    REGISTER_VERSION,
    TM,
    batches,
    camel_words,
    escape_literal,
    iri_values,
    is_iri,
)
from kg.analysis.timeline_facts import TimelineFacts
from kg.namespaces import JURISDICTION
from kg.reference import USPTO_STATUS_SCHEME
from kg.store import Store

__all__ = ["A_PARTY", "FactBase", "Identities"]

_HOLDING_TYPES = frozenset(HOLDING_TYPES)
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
    "applicationNumber": "application_number",
    "publicationDate": "publication_date",
    "expiryDate": "expiry_date",
    "renewalDate": "renewal_date",
    "markStatus": "status",
    "statusDate": "status_date",
    "recordDate": "record_date",  # read and cited; its owners: Holding.owner_records
    "statusCode": "status_code",
    "status": "status_text",
}
_HOLDING_PROPERTIES |= REGISTRATION_CLAIM_PROPERTIES  # read again by with_registration_claims
_HOLDING_PROPERTIES |= {name: name for name in KIND_PROPERTIES}  # kg.analysis.mark_kinds
_HOLDING_FIELDS = {TM + name: name for name in _HOLDING_PROPERTIES}
"""Property IRI -> the local name a holding record keeps its values under."""
_SHARED_FIELDS = frozenset(
    {
        "owner", "user", "onBehalfOf", "jurisdiction", "niceClass", "markStatus", "markFeature",
        "viennaCode",
    }
)  # fmt: skip
"""Record fields naming nodes many holdings share (parties, places, classes, statuses, kinds
of mark), whose own statements no holding reads: a holding names the party; the schemes are
reference data (`kg.analysis.holdings_projection` drops every row when they change)."""
_LITERAL_FIELDS = frozenset(
    {
        *(name for name in _HOLDING_PROPERTIES if name.endswith(("Date", "Number"))),
        "statusCode", "status", "verbalElement", "markTranslation", "markTransliteration",
        "markDisclaimer",
    }
)  # fmt: skip
"""Record fields whose values are literals (no node to depend on)."""
_SCHEMA_NAME = "https://schema.org/name"
_SCHEMA_ALTERNATE_NAME = "https://schema.org/alternateName"
_PARTY_FIELDS = {
    _SCHEMA_NAME: "name",
    _SCHEMA_ALTERNATE_NAME: "alias",
    RDF_TYPE: "type",
    TM + "nationality": "country",
}
"""A party's properties `FactBase.parties` reads, by kind."""
_SKOS = "http://www.w3.org/2004/02/skos/core#"
A_PARTY = f"?p a ?t . ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{TM}Party>"
"""A SPARQL pattern: ?p is a party (typed as tm:Party or a subclass)."""


class Identities:
    """owl:sameAs as a union-find: each IRI maps to one canonical IRI (the smallest).

    >>> ids = Identities([("b", "c"), ("a", "b")])
    >>> ids.canonical("c"), sorted(ids.members("a"))
    ('a', ['a', 'b', 'c'])
    """

    def __init__(
        self,
        links: Iterable[tuple[str, str]] = (),
        stated: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self._parent: dict[str, str] = {}
        for left, right in links:
            self._union(left, right)
        self._stated = list(stated)  # (a, b, named graph stating a owl:sameAs b)
        self._link_graphs: dict[str, frozenset[str]] | None = None
        self._groups: dict[str, set[str]] | None = None  # root -> its group (`members`)

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

    def alone(self, iri: str) -> bool:
        """Whether no owl:sameAs link names `iri`: its group is itself alone.

        >>> ids = Identities([("a", "b")])
        >>> ids.alone("a"), ids.alone("b"), ids.alone("c")
        (False, False, True)
        """
        return iri not in self._parent

    def link_graphs(self, iri: str) -> frozenset[str]:
        """The named graphs stating the owl:sameAs links of `iri`'s group (empty if alone).

        >>> Identities([("a", "b")], [("a", "b", "g1"), ("c", "d", "g2")]).link_graphs("b")
        frozenset({'g1'})
        """
        if self._link_graphs is None:
            found: dict[str, set[str]] = defaultdict(set)
            for left, _right, graph in self._stated:
                found[self._find(left)].add(graph)
            self._link_graphs = {root: frozenset(g) for root, g in found.items()}
        return self._link_graphs.get(self._find(iri), frozenset())

    def members(self, iri: str) -> set[str]:
        """Every IRI of `iri`'s group, itself included (the groups are found once, not by a
        pass over every link per call).

        >>> ids = Identities([("b", "c"), ("a", "b"), ("x", "y")])
        >>> sorted(ids.members("c")), sorted(ids.members("y")), ids.members("z")
        (['a', 'b', 'c'], ['x', 'y'], {'z'})
        """
        if self._groups is None:
            groups: dict[str, set[str]] = defaultdict(set)
            for other in self._parent:
                groups[self._find(other)].add(other)
            self._groups = dict(groups)
        return self._groups.get(self._find(iri), set()) | {iri}


class FactBase(BatchedLookups, TimelineFacts):
    """The facts of one store, read on demand and cached; build a new one after writes."""

    HOLDINGS_KEPT = 20_000
    """How many holdings `marks_holdings` keeps in memory for the next questions, whatever
    the size of the register: ~5.8 KB each with their statements on the synthetic register
    (tracemalloc), so ~115 MB (more where goods and services texts are long). The marks used
    longest ago are dropped first."""

    def __init__(
        self,
        store: Store,
        mark_index: MarkIndex | None = None,
        projection: HoldingsProjection | None = None,
    ) -> None:
        self.store = store
        self._shared_index = mark_index
        self._projection = projection
        # the state of the store this FactBase reads (kg.store.write_stamp): the projection's
        # rows of that state only are read, and what is read is written for it
        self._stamp: str | None = getattr(store, "write_stamp", None)
        self._all_parties: dict[str, PartyRef] | None = None
        self._identities: Identities | None = None
        self._sources: dict[str, SourceRef] | None = None
        self._parties: dict[str, PartyRef] = {}
        self._marks: dict[str, str] | None = None
        self._index: MarkIndex | None = None
        self._relatedness: dict[frozenset[int], float] | None = None
        self._statuses: StatusScheme | None = None
        self._records_changes: bool | None = None  # any tm:registration (_with_ownership)
        self._records_versions: bool | None = None  # any earlier register state (has_history)
        # mark IRI -> (record key, its holdings) of each record it finds (marks_holdings)
        self._kept: OrderedDict[str, Groups] = OrderedDict()
        self._kept_count = 0
        self._kept_lock = threading.Lock()

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

    def tuples(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        """The rows of a SELECT one at a time, as tuples of plain strings in the order of its
        variables: for answers of a million rows, which a list of dicts would hold at ~0.4 KB
        a row (`select`)."""
        for solution in self.store.query(sparql):  # type: ignore[union-attr]
            yield tuple(None if term is None else term.value for term in solution)

    # ------------------------------------------------------------ identities, sources

    @property
    def identities(self) -> Identities:
        if self._identities is None:
            same = "<http://www.w3.org/2002/07/owl#sameAs>"
            rows = self.select(f"SELECT DISTINCT ?a ?b WHERE {{ ?a {same} ?b }}")
            stated = self.select(f"SELECT ?a ?b ?g WHERE {{ GRAPH ?g {{ ?a {same} ?b }} }}")
            self._identities = Identities(
                ((row["a"], row["b"]) for row in rows),  # type: ignore[misc]
                ((row["a"], row["b"], row["g"]) for row in stated),  # type: ignore[misc]
            )
        return self._identities

    @property
    def sources(self) -> dict[str, SourceRef]:
        """Named graph IRI -> the source it is derived from."""
        if self._sources is None:
            rows = self.select(
                """SELECT ?g ?s (SAMPLE(?t) AS ?title) (SAMPLE(?p) AS ?publisher)
                          (SAMPLE(?d) AS ?date) (SAMPLE(?k) AS ?kind) (SAMPLE(?c) AS ?curated)
                   WHERE {
                     ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?s .
                     OPTIONAL { ?g a <https://w3id.org/tmkg/ontology#CurationGraph>
                                BIND("yes" AS ?c) }
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
                    curated=row["curated"] is not None,
                )
                for row in rows
            }
        return self._sources

    def source_refs(self, graphs: Iterable[str]) -> tuple[SourceRef, ...]:
        """The sources of some named graphs (a graph with no described source stands alone)."""
        return source_refs(self.sources, sorted(set(graphs)))

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
        """Every party in the store (anything typed as a tm:Party subclass), read once."""
        if self._all_parties is None:
            rows = self.select(f"SELECT DISTINCT ?p WHERE {{ {A_PARTY} }}")
            self._all_parties = self.parties(row["p"] for row in rows)  # type: ignore[misc]
        return self._all_parties

    def known_party(self, iri: str) -> PartyRef | None:
        """The party an IRI names (any record of its owl:sameAs group typed as a tm:Party
        subclass, as `all_parties` counts them), without reading every party; else None (a
        text that is no IRI names none)."""
        if not is_iri(iri):
            return None
        canonical = self.identities.canonical(iri)
        members = iri_values(sorted(self.identities.members(canonical)))
        if self.store.query(f"ASK {{ VALUES ?p {{ {members} }} {A_PARTY} }}"):
            return self.party(canonical)
        return None

    def _load_parties(self, canonicals: Sequence[str]) -> None:
        """Read the parties (canonical IRIs) into memory: from the holdings projection where
        it keeps them for this state of the store (`HoldingsProjection.parties`), else from
        the store, then kept there (a party's records cost ~200 µs to read from an on-disk
        store of a million marks, ~10 µs from the projection)."""
        if self._projection is not None:
            kept = self._projection.parties(self._stamp, canonicals)
            self._parties.update(kept)
            canonicals = [c for c in canonicals if c not in kept]
            if not canonicals:
                return
        read = self._read_parties(canonicals)
        self._parties.update(read)
        if self._projection is not None:
            self._projection.put_parties(self._stamp, read)

    def _read_parties(self, canonicals: Sequence[str]) -> dict[str, PartyRef]:
        """The parties (canonical IRI -> `PartyRef`, every record of its owl:sameAs group
        merged) as the store states them."""
        members = {c: sorted(self.identities.members(c)) for c in canonicals}
        every = sorted({m for group in members.values() for m in group})
        names: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        types: dict[str, set[str]] = defaultdict(set)
        countries: dict[str, set[str]] = defaultdict(set)
        for batch in batches(every):
            # every statement of the records, the four properties picked here: a UNION of
            # four patterns joined the VALUES four times (2.2x as long at 100,000 marks)
            for subject, predicate, obj, graph in self.store.query(
                f"SELECT ?p ?q ?o ?g WHERE {{ VALUES ?p {{ {iri_values(batch)} }} "
                "GRAPH ?g { ?p ?q ?o } }"
            ):
                kind = _PARTY_FIELDS.get(predicate.value)
                if kind is None:
                    continue
                party, value = subject.value, obj.value
                if kind == "type":
                    types[party].add(value.removeprefix(TM))
                elif kind == "country":
                    countries[party].add(value.rsplit("/", 1)[-1])
                else:  # a name's language tag ("" for none, and for an IRI given as a name)
                    language = getattr(obj, "language", None) or ""
                    names[party].append((kind, value, language, graph.value))
        read: dict[str, PartyRef] = {}
        for canonical, group in members.items():
            read[canonical] = _party_ref(canonical, group, names, types, self.identities)
            found = sorted({c for iri in group for c in countries.get(iri, ())})
            if found:  # tm:nationality (several only when sources disagree: the first)
                read[canonical] = dataclasses.replace(read[canonical], country=found[0])
        return read

    # ------------------------------------------------------------ marks

    @property
    def marks(self) -> dict[str, str]:
        """Mark IRI -> its text."""
        if self._marks is None:
            rows = self.tuples(f"SELECT DISTINCT ?m ?t WHERE {{ ?m <{TM}text> ?t }}")
            self._marks = dict(rows)  # type: ignore[arg-type]
        return self._marks

    def marks_with_text(self, text: str) -> list[str]:
        """The marks whose tm:text is exactly `text` (IRIs, sorted), asked of the store, which
        looks the text up in its index: a scan of `marks` took ~130-250 ms a question at a
        million marks, and a map of texts made for it ~4 s (17 scans)."""
        literal = f'"{escape_literal(text)}"'
        rows = self.tuples(f"SELECT DISTINCT ?m WHERE {{ ?m <{TM}text> {literal} }}")
        return sorted(mark for (mark,) in rows if mark is not None)

    @property
    def mark_index(self) -> MarkIndex:
        """The blocking-key index of marks, synced with the store once per FactBase."""
        if self._index is None:
            self.sync_mark_index()
        return self._index  # type: ignore[return-value]

    def unusable_mark_index(self) -> Path | None:
        """The index file beside the store that this reader could not use (written by
        another version of tmkg or under other rules: `MarkIndex.unusable_file`), if the
        index was opened; else None."""
        index = self._index if self._index is not None else self._shared_index
        return None if index is None else index.unusable_file

    def sync_mark_index(self) -> int:
        """Bring the mark index up to date with the store; return how many marks were keyed.

        An index file this process writes, synced last with an earlier state of the store
        whose writes since say what they touched (`OxigraphStore.touched_since`), is told
        only the marks whose text they may have changed (`MarkIndex.sync_changed`): a day's
        file into a register reads its own marks, not the register's (every mark's text read
        from the store: ~10 s at a million marks)."""
        index = self._shared_index if self._shared_index is not None else MarkIndex(None)
        # verbal elements too: conflicts read the similar pairs of every compared text
        rows = self.tuples(f"SELECT DISTINCT ?v WHERE {{ ?h <{TM}verbalElement> ?v }}")
        verbal = [value for (value,) in rows if value]
        since = index.synced_stamp()
        changed = self._marks_written_since(since)
        keyed = None
        if changed is not None:
            keyed = index.sync_changed(changed, verbal, stamp=self._stamp, since=since)
        if keyed is None:
            keyed = index.sync(self.marks, verbal, stamp=self._stamp)
        self._index = index
        return keyed

    def _marks_written_since(self, token: str | None) -> dict[str, str | None] | None:
        """The marks whose tm:text the store's writes since its state `token` added or
        removed, each with its text now (None: it has none): the subjects of those writes'
        tm:text statements (`kg.store.touched.Touched.predicates`). None when that cannot be
        told: no token, the marks read already, this FactBase reading another state than
        the store's, writes that did not say what they touched, a blank node written (its
        id may read as an IRI: ``_:urn:m1``), or a mark with more than one text (which
        `marks` keeps one of)."""
        told = getattr(self.store, "touched_since", None)
        if (
            token is None
            or told is None
            or self._marks is not None
            or self._stamp is None
            or self._stamp != getattr(self.store, "write_stamp", None)
        ):
            return None
        touched = told(token)
        if not touched.known or touched.blank:  # a blank node's id may read as an IRI
            return None
        subjects = sorted(touched.predicates.get(TM + "text", ()))
        if not all(is_iri(subject) for subject in subjects):
            return None
        changed: dict[str, str | None] = dict.fromkeys(subjects)
        read: set[str] = set()
        for batch in batches(subjects):
            for mark, text in self.tuples(
                f"SELECT DISTINCT ?m ?t WHERE {{ VALUES ?m {{ {iri_values(batch)} }} "
                f"?m <{TM}text> ?t }}"
            ):
                if mark in read:
                    return None
                read.add(mark)  # type: ignore[arg-type]
                changed[mark] = text  # type: ignore[index]
        return changed

    @property
    def stamp(self) -> str | None:
        """The store's write token of the state this FactBase reads (`kg.store.write_stamp`;
        None for memory, a remote store, or a state not known)."""
        return self._stamp

    def projected(self, mark_iris: Iterable[str]) -> set[str]:
        """Those of the marks whose holdings the holdings projection holds for the state
        this FactBase reads (read from it, not the store, by `holdings`)."""
        if self._projection is None:
            return set()
        return self._projection.holds(self._stamp, mark_iris)

    def catch_up_projection(self) -> None:
        """Bring the holdings projection to the state this FactBase reads, dropping only the
        rows of the marks this process's writes touched where it can tell
        (`HoldingsProjection.catch_up`)."""
        if self._projection is not None:
            self._projection.catch_up(self._stamp)

    def holding_statements(
        self, marks: Iterable[str] | None = None, places: Iterable[str] | None = None
    ) -> list[tuple[str, str, str]]:
        """(subject, local name, value) of every tm:mark, jurisdiction, verbalElement,
        niceClass and goodsServices statement, so a conflict search can choose the holdings
        to read (`kg.analysis.conflicts.conflict_marks_by_place`); with `marks` (IRIs, any
        member of their owl:sameAs groups), only those of the holdings of these marks; with
        `places` (jurisdiction codes such as ``GB``, ``EM``), only those of the holdings
        stated in one of them (by any IRI of their owl:sameAs groups): those a question
        about a jurisdiction can pair, read without the register's."""
        names = ("mark", "jurisdiction", "verbalElement", "niceClass", "goodsServices")
        properties = " ".join(f"<{TM}{name}>" for name in names)
        if places is not None:
            rows: Iterable[tuple[str | None, ...]] = self._statements_of(
                self._holdings_in(set(places))
            )
        elif marks is None:
            rows = self.tuples(f"SELECT ?h ?p ?o WHERE {{ VALUES ?p {{ {properties} }} ?h ?p ?o }}")
        else:
            members = sorted({m for mark in marks for m in self.identities.members(mark)})
            # each holding's every statement, the five properties picked below: a VALUES of
            # the properties after the join made Oxigraph scan the store (as `_collect_holdings`)
            rows = (
                row
                for batch in batches(members)
                for row in self.tuples(
                    f"""SELECT ?h ?p ?o WHERE {{ VALUES ?m {{ {iri_values(batch)} }}
                          ?h <{TM}mark> ?m . ?h ?p ?o }}"""
                )
            )
        # one string per holding, property and value (a holding has ~5 statements; classes
        # and jurisdictions recur across the register): rows give each a copy of its own
        shared: dict[str, str] = {}
        local = {f"{TM}{name}": name for name in names}
        found = []
        for h, p, o in rows:
            name = local.get(p)  # type: ignore[arg-type]
            if name is not None:
                found.append((shared.setdefault(h, h), name, shared.setdefault(o, o)))  # type: ignore[arg-type]
        return found

    def _holdings_in(self, codes: set[str]) -> list[str]:
        """Every IRI of the holdings (owl:sameAs groups) stated in a jurisdiction of `codes`:
        its IRI (``id:jurisdiction/GB``) or any jurisdiction whose tm:code is one of them."""
        literals = " ".join(f'"{escape_literal(code)}"' for code in sorted(codes))
        rows = self.tuples(f"SELECT ?j WHERE {{ VALUES ?c {{ {literals} }} ?j <{TM}code> ?c }}")
        places = {j for (j,) in rows if j} | {f"{JURISDICTION}{code}" for code in codes}
        found = self.tuples(
            f"""SELECT DISTINCT ?h WHERE {{ VALUES ?j {{ {iri_values(sorted(places))} }}
                  ?h <{TM}jurisdiction> ?j }}"""
        )
        members = self.identities.members
        return sorted({iri for (h,) in found if h for iri in members(h)})

    def _statements_of(self, subjects: Sequence[str]) -> Iterator[tuple[str | None, ...]]:
        """(subject, property, value) of every statement of `subjects`."""
        for batch in batches(subjects):
            yield from self.tuples(
                f"SELECT ?h ?p ?o WHERE {{ VALUES ?h {{ {iri_values(batch)} }} ?h ?p ?o }}"
            )

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
                  ?j <{TM}code> "{escape_literal(code)}" .
                  OPTIONAL {{ ?j <{TM}priorityRule> ?rule }}
                  OPTIONAL {{ ?j <{TM}priorityRuleBasis> ?basis }} }} LIMIT 1"""
        )
        if not rows:
            return None, None
        rule = rows[0]["rule"]
        return (rule.removeprefix(TM) if rule else None), rows[0]["basis"]

    def jurisdiction_exists(self, code: str) -> bool:
        return bool(self.store.query(f'ASK {{ ?j <{TM}code> "{escape_literal(code)}" }}'))

    # ------------------------------------------------------------ mark statuses

    @property
    def statuses(self) -> StatusScheme:
        """The status scheme and the USPTO's codes, as the reference graph states them."""
        if self._statuses is None:
            stages = self.select(
                f"""SELECT ?c ?top WHERE {{ ?c a <{TM}MarkStatus> ; <{_SKOS}broader>* ?top .
                      ?top <{_SKOS}topConceptOf> ?scheme }}"""
            )
            labels = self.select(
                f"""SELECT ?c ?label WHERE {{ ?c a <{TM}MarkStatus> .
                      {{ ?c <{_SKOS}prefLabel> ?label }}
                      UNION {{ ?c <{_SKOS}altLabel> ?label }} }}"""
            )
            codes = self.select(
                f"""SELECT ?code ?c (SAMPLE(?t) AS ?text) WHERE {{
                      ?u <{_SKOS}inScheme> <{USPTO_STATUS_SCHEME}> ; <{_SKOS}notation> ?code ;
                         <{_SKOS}broadMatch> ?c . OPTIONAL {{ ?u <{_SKOS}prefLabel> ?t }}
                    }} GROUP BY ?code ?c"""
            )
            self._statuses = StatusScheme(
                stages={r["c"]: status_name(r["top"]) for r in stages},  # type: ignore[misc,arg-type]
                labels={r["label"].casefold(): r["c"] for r in labels},  # type: ignore[union-attr,misc]
                uspto={r["code"]: (r["c"], r["text"]) for r in codes},  # type: ignore[misc]
            )
        return self._statuses

    # ------------------------------------------------------------ holdings

    def holdings(self, mark_iris: Iterable[str] | None = None) -> list[Holding]:
        """Registrations and uses (of the given marks, or all), one per holder, sameAs merged.

        Those of given marks are read from the holdings projection where it holds them (and
        written there when read from the store: `kg.analysis.holdings_projection`), not kept
        in memory (a conflict search reads a register's)."""
        if mark_iris is not None:
            return self._holdings_of(mark_iris, remember=False)
        records: dict[str, HoldingRecord] = {}
        self._collect_holdings(records, "")
        # the analyses as of a date need each registration's changes of owner (one query)
        return self._with_ownership(self._holdings_from(records))

    def marks_holdings(self, mark_iris: Iterable[str]) -> list[Holding]:
        """`holdings(mark_iris)` for the few marks of one question (who-else-uses, priority),
        the same list in the same order; the holdings of each mark are kept in memory for the
        next questions (up to `HOLDINGS_KEPT`), so a mark asked again, or met again by
        another question, costs no store read (nor a read of the holdings projection).

        Only a mark named by one IRI whose every registration and use is named by one IRI (no
        owl:sameAs) is kept: such a record reads the same whatever other marks are asked with
        it, while one with several IRIs merges the statements of those found by the marks
        asked together, and a mark with several IRIs reads the others' statements (its text).
        Each mark's holdings are those of a FactBase, one state of the store: a new FactBase
        (after any write) starts empty.
        """
        return self._holdings_of(mark_iris, remember=True)

    def _holdings_of(self, mark_iris: Iterable[str], *, remember: bool) -> list[Holding]:
        """The holdings of the marks, from memory (when `remember`), the projection, then the
        store; those read from the store are written to the projection (and memory)."""
        wanted = sorted(set(mark_iris))
        groups: dict[str, tuple[Holding, ...]] = {}  # record key -> its holdings
        missing = []
        if remember:
            with self._kept_lock:
                for mark in wanted:
                    kept = self._kept.get(mark)
                    if kept is None:
                        missing.append(mark)
                        continue
                    self._kept.move_to_end(mark)
                    groups.update(kept)
        else:
            missing = wanted
        if missing and self._projection is not None:
            projected = self._projection.get(self._stamp, missing)
            for entry in projected.values():
                groups.update(entry)
            if remember:
                self._remember(projected)
            missing = [mark for mark in missing if mark not in projected]
        if missing:
            records: dict[str, HoldingRecord] = {}
            marked: dict[str, set[str]] = {}  # mark -> the nodes naming it
            identities = self.identities
            # a merged mark's records name any IRI of its group
            asked = sorted({iri for mark in missing for iri in identities.members(mark)})
            for batch in batches(asked):
                self._collect_holdings(records, f"VALUES ?m {{ {iri_values(batch)} }}", marked)
            self._complete_merged(records, marked)
            read: dict[str, list[Holding]] = defaultdict(list)
            for holding in self._with_ownership(self._holdings_from(records)):
                read[holding.id].append(holding)
            found = {key: tuple(read.get(key, ())) for key in records}
            groups.update(found)
            entries = self._alone(missing, records, found)
            if remember:
                self._remember(entries)
            if self._projection is not None:
                self._projection.put(
                    self._stamp, entries, self._read_from(entries, records, marked)
                )
        return [holding for key in sorted(groups) for holding in groups[key]]

    def _complete_merged(
        self, records: dict[str, HoldingRecord], marked: dict[str, set[str]]
    ) -> None:
        """Read into `records` the statements of every IRI of a merged record's group that
        the marks asked did not find (another office's copy of a registration naming
        another mark): a record reads its whole group's statements, as a register's read
        does, whatever marks were asked."""
        identities = self.identities
        unread = sorted(
            {
                iri
                for key, record in records.items()
                if not identities.alone(key)
                for iri in identities.members(key) - record.iris
            }
        )
        for batch in batches(unread):
            self._collect_holdings(records, f"VALUES ?h {{ {iri_values(batch)} }}", marked)

    def _alone(
        self,
        marks: Sequence[str],
        records: Mapping[str, HoldingRecord],
        found: Mapping[str, tuple[Holding, ...]],
    ) -> dict[str, Groups]:
        """The records each of `marks` found (those read together), for the marks whose
        records all stand alone: what may be kept (`marks_holdings`)."""
        alone = self.identities.alone
        by_mark: dict[str, list[str]] = {mark: [] for mark in marks}
        shared: set[str] = set()  # marks finding a record merged from several IRIs
        for key, record in records.items():
            named = record.values.get("mark", set()) & by_mark.keys()
            if not alone(key):
                shared |= named
            for mark in named:
                by_mark[mark].append(key)
        return {
            mark: tuple((key, found[key]) for key in keys)
            for mark, keys in by_mark.items()
            if mark not in shared and alone(mark)  # a merged mark reads its group's texts
        }

    def _read_from(
        self,
        entries: Mapping[str, Groups],
        records: Mapping[str, HoldingRecord],
        marked: Mapping[str, set[str]],
    ) -> dict[str, set[str]]:
        """Mark -> the nodes whose statements its kept records were read from, for the
        holdings projection to drop the mark's row when a write touches one: the mark, every
        node naming it with tm:mark (a holding, or one with no kind yet), the nodes its
        records' values name (goods and services, priority claims, ...) but for the
        parties, places, classes, statuses and kinds many holdings share (`_SHARED_FIELDS`),
        the classes of its goods and services, and every node that is a change of owner of
        its registrations (typed or not)."""
        nodes: dict[str, set[str]] = {}
        registrations: dict[str, set[str]] = defaultdict(set)  # registration IRI -> marks
        goods: dict[str, set[str]] = defaultdict(set)  # goods-and-services node -> marks
        for mark, groups in entries.items():
            found = nodes[mark] = {mark, *marked.get(mark, ())}
            for key, _ in groups:
                record = records[key]
                found |= record.iris
                for name, values in record.values.items():
                    if name not in _SHARED_FIELDS and name not in _LITERAL_FIELDS:
                        found |= values
                for node in record.values.get("goodsServices", ()):
                    goods[node].add(mark)
                if record.kind == "Registration":
                    for iri in record.iris:
                        registrations[iri].add(mark)
        # the classes of their goods and services (a national class's notation is read)
        self._link(nodes, goods, f"?k <{TM}goodsServicesClass> ?x")
        if registrations and self._records_any_change():
            self._link(nodes, registrations, f"?x <{TM}registration> ?k")
        return nodes

    def marks_reading(self, nodes: Collection[str], named: Collection[str] = ()) -> set[str] | None:
        """The marks (as named, not canonical) whose holdings, or what a question reads
        beside them, read a statement of one of `nodes` (IRIs: the subjects of statements a
        write added or removed) in the store as it is now: a mark itself; the mark of a
        record the node is (it names it with tm:mark); of a record
        naming the node as a value no other holding shares (goods and services, a priority
        claim: the record fields but `_SHARED_FIELDS` and `_LITERAL_FIELDS`) or as a
        designation of an international registration (`kg.analysis.coverage.designations`);
        of a record whose goods and services name it as their class; of a registration it
        records a change of owner of. The reverse of `_read_from`, found by removing and
        adding back each statement of fixtures (`tests/test_conflict_memo.py`). `named`
        (IRIs: the objects of those statements) add the marks of the records they are (a
        change of owner unlinked from its registration names the registration). None when a
        node of `nodes` is no IRI (a blank node: its statements cannot be asked for)."""
        if not all(is_iri(node) for node in nodes):
            return None
        marks = {node for node in (*nodes, *named) if node in self.marks}
        objects = sorted({node for node in named if is_iri(node)} - set(nodes))
        for batch in batches(objects):
            rows = self.tuples(
                f"SELECT DISTINCT ?m WHERE {{ VALUES ?t {{ {iri_values(batch)} }} "
                f"?t <{TM}mark> ?m }}"
            )
            marks.update(mark for (mark,) in rows if mark)
        linking = " ".join(
            f"<{TM}{name}>"
            for name in sorted({*_HOLDING_PROPERTIES, "designation"})
            if name not in _SHARED_FIELDS and name not in _LITERAL_FIELDS and name != "mark"
        )
        for batch in batches(sorted(nodes)):
            rows = self.tuples(
                f"""SELECT DISTINCT ?m WHERE {{ VALUES ?t {{ {iri_values(batch)} }}
                      {{ ?t <{TM}mark> ?m }}
                      UNION {{ VALUES ?p {{ {linking} }} ?h ?p ?t ; <{TM}mark> ?m }}
                      UNION {{ ?k <{TM}goodsServicesClass> ?t .
                               ?h <{TM}goodsServices> ?k ; <{TM}mark> ?m }}
                      UNION {{ ?t <{TM}registration> ?h . ?h <{TM}mark> ?m }} }}"""
            )
            marks.update(mark for (mark,) in rows if mark)
        return marks

    def _link(
        self, nodes: dict[str, set[str]], marks_of: Mapping[str, set[str]], pattern: str
    ) -> None:
        """Add to each mark's nodes the ?x that `pattern` links to its nodes ?k (`marks_of`:
        node -> the marks it was read for)."""
        for batch in batches(sorted(marks_of)):
            rows = self.tuples(
                f"SELECT ?k ?x WHERE {{ VALUES ?k {{ {iri_values(batch)} }} {pattern} }}"
            )
            for node, linked in rows:
                for mark in marks_of[node]:  # type: ignore[index]
                    nodes[mark].add(linked)  # type: ignore[arg-type]

    def _records_any_change(self) -> bool:
        """Whether anything is the tm:registration of anything (one ASK per FactBase)."""
        if self._records_changes is None:
            self._records_changes = bool(self.store.query(f"ASK {{ ?c <{TM}registration> ?r }}"))
        return self._records_changes

    def has_history(self) -> bool:
        """Whether the store holds any earlier state of a register record (a
        tm:RegisterRecordVersion, `kg.registries.versions`; one ASK per FactBase)."""
        if self._records_versions is None:
            self._records_versions = bool(self.store.query(f"ASK {{ ?v a <{REGISTER_VERSION}> }}"))
        return self._records_versions

    def earlier_states(self, iris: Iterable[str]) -> set[str]:
        """Those of `iris` that are earlier states of a register record (version nodes)."""
        found: set[str] = set()
        for batch in batches(sorted(set(iris))):
            rows = self.tuples(
                f"SELECT ?v WHERE {{ VALUES ?v {{ {iri_values(batch)} }} "
                f"?v a <{REGISTER_VERSION}> }}"
            )
            found.update(v for (v,) in rows if v)
        return found

    def state_holdings(self, states: Mapping[str, str]) -> list[Holding]:
        """The holdings of registrations as earlier states of their records state them:
        `states` maps a version node (`kg.registries.versions`: ``{registration}~{graph}``)
        to the record key (the registration's canonical IRI) its holdings take as `id`. Each
        is read as a registration is (`holdings`), with its changes of owner; its
        statements and sources are the version's, in the graph that states it."""
        records: dict[str, HoldingRecord] = {}
        for batch in batches(sorted(states)):
            self._collect_holdings(records, f"VALUES ?h {{ {iri_values(batch)} }}", states=states)
        return self._with_ownership(self._holdings_from(records))

    def _remember(self, entries: Mapping[str, Groups]) -> None:
        """Keep the marks' records in memory, the marks used longest ago dropped first."""
        with self._kept_lock:
            for mark, groups in entries.items():
                if mark in self._kept:
                    continue
                self._kept[mark] = groups
                self._kept_count += sum(len(holdings) for _, holdings in groups)
            while self._kept_count > self.HOLDINGS_KEPT and self._kept:
                _, dropped = self._kept.popitem(last=False)
                self._kept_count -= sum(len(holdings) for _, holdings in dropped)

    def _with_ownership(self, holdings: list[Holding]) -> list[Holding]:
        """`attach_ownership`, with no query per question where the store records no change
        of owner at all (nothing is the tm:registration of anything: one ASK per FactBase)."""
        return attach_ownership(self, holdings) if self._records_any_change() else holdings

    def _collect_holdings(
        self,
        records: dict[str, HoldingRecord],
        restriction: str,
        marked: dict[str, set[str]] | None = None,
        states: Mapping[str, str] | None = None,
    ) -> None:
        """Read the statements of the holdings the `restriction` names into `records`; with
        `marked`, note under each mark every node that names it with tm:mark (a holding or
        not yet one: a node with no kind of holding is read but makes no record). With
        `states` (version node -> record key: `state_holdings`), those version nodes are read
        as registrations under their record's key."""
        # Oxigraph evaluates this shape in well under a millisecond per mark; a sub-SELECT
        # or a trailing VALUES for the predicates made it scan the whole store (measured).
        rows = self.tuples(
            f"""SELECT ?h ?p ?o ?g WHERE {{
                  {restriction} GRAPH ?mg {{ ?h <{TM}mark> ?m }}
                  GRAPH ?g {{ ?h ?p ?o }} }}"""
        )
        canonical = self.identities.canonical
        kinds: dict[str, str] = {}
        facts: list[tuple[str, str, str, str]] = []
        # one string per graph and per value: a register's holdings name few graphs, classes,
        # jurisdictions and dates, each millions of times (as many copies, read as rows)
        shared: dict[str, str] = {}
        for holding, predicate, obj, graph in rows:
            field_name = _HOLDING_FIELDS.get(predicate)  # type: ignore[arg-type]
            if field_name == "mark" and marked is not None:
                marked.setdefault(obj, set()).add(holding)  # type: ignore[arg-type]
            if field_name is not None:
                obj = shared.setdefault(obj, obj)  # type: ignore[arg-type]
                graph = shared.setdefault(graph, graph)  # type: ignore[arg-type]
                facts.append((holding, field_name, obj, graph))  # type: ignore[arg-type]
            elif predicate == RDF_TYPE and obj in _HOLDING_TYPES:
                kinds[holding] = obj.removeprefix(TM)  # type: ignore[union-attr,index]
            elif predicate == RDF_TYPE and obj == REGISTER_VERSION and states and holding in states:
                kinds[holding] = "Registration"  # type: ignore[index]
        keys: dict[str, str] = dict(states or {})  # holding IRI -> its record key
        for holding, field_name, obj, graph in facts:
            kind = kinds.get(holding)
            if kind is None:
                continue  # something with a tm:mark that is neither a registration nor a use
            key = keys.get(holding)
            if key is None:
                key = keys[holding] = canonical(holding)
            record = records.get(key)
            if record is None:
                record = records[key] = HoldingRecord(set(), kind, defaultdict(set), set())
            record.iris.add(holding)
            record.values[field_name].add(obj)
            record.graphs.add(graph)
            record.stated[(field_name, obj)].add(graph)
            record.subjects[graph].add(holding)

    def _holdings_from(self, records: dict[str, HoldingRecord]) -> list[Holding]:
        identities = self.identities
        goods = goods_services_of(self.select, (r.values for r in records.values()))
        marks = self.marks
        holdings: list[Holding] = []
        for key, record in sorted(records.items()):
            mark_iri = identities.canonical(min(record.values.get("mark", {""})))
            mark = MarkRef(id=mark_iri, text=marks.get(mark_iri, ""))
            holders = record.values.get(HOLDER_FIELD[record.kind], set())
            parties = tuple(sorted({identities.canonical(h) for h in holders}))
            # a registration's every tm:owner, on each of its holdings (as with_recorded_owners
            # sets them, without copying each holding again)
            owners = parties if record.kind == "Registration" else ()
            for party in parties:
                view = holder_view(record, key, party, mark_iri, identities)
                holdings.append(self._holding(key, record, view, party, mark, goods, owners))
        holdings = [with_goods_services_classes(h) for h in holdings]  # issue 13, D
        return with_registration_claims(self, holdings, records)

    def _holding(
        self,
        key: str,
        record: HoldingRecord,
        view: HolderView,
        party: str,
        mark: MarkRef,
        goods: Mapping,
        owners: tuple[str, ...] = (),
    ) -> Holding:
        """One holder's registration or use, from the facts its sources state
        (`kg.analysis.holding_statements`); `owners` are a registration's recorded owners."""
        identities = self.identities
        values = view.values
        classes = tuple(
            sorted(
                {
                    int(c.rsplit("/", 1)[-1])
                    for c in values.get("niceClass", ())
                    if c.rsplit("/", 1)[-1].isdigit()
                }
            )
        )
        jurisdictions = sorted(values.get("jurisdiction", ()))
        behalf = sorted({identities.canonical(b) for b in values.get("onBehalfOf", ())})
        registration = record.kind == "Registration"
        life = self._life(values, jurisdictions) if registration else {}
        if registration:
            life |= kind_fields(values, goods)  # kind of mark, Vienna codes, goods
            kind = HoldingKind.REGISTERED_OWNER
        else:
            kind = HoldingKind.OPERATOR if behalf else HoldingKind.USER
        return Holding(
            id=key,
            kind=kind,
            mark=mark,
            party=party,
            on_behalf_of=behalf[0] if behalf else None,
            jurisdiction=jurisdictions[0].rsplit("/", 1)[-1] if jurisdictions else None,
            classes=classes,
            filing_date=_most_precise(values.get("filingDate")),
            registration_date=_most_precise(values.get("registrationDate")),
            start_date=_most_precise(values.get("startDate")),
            end_date=_most_precise(values.get("endDate")),
            registration_number=min(values["registrationNumber"])
            if values.get("registrationNumber")
            else None,
            region=min(values["region"]) if values.get("region") else None,
            sources=view.sources,
            iris=tuple(sorted(record.iris)),
            statements=view.statements,
            graph_identities=view.graph_identities,
            recorded_owners=owners,
            **life,
        )

    def _life(self, values: dict[str, set[str]], jurisdictions: list[str]) -> dict:
        """A registration's numbers, dates and status, the status normalized to the scheme."""
        scheme = self.statuses
        code = min(values["statusCode"]) if values.get("statusCode") else None
        text = min(values["status"]) if values.get("status") else None
        us = any(j.endswith("/US") for j in jurisdictions)
        concept, table_text = scheme.normalize(values.get("markStatus", set()), code, text, us)
        return {
            "application_number": min(values["applicationNumber"])
            if values.get("applicationNumber")
            else None,
            "publication_date": _most_precise(values.get("publicationDate")),
            # After renewals a source may give both the old and the new expiry: the latest counts.
            "expiry_date": _latest(values.get("expiryDate")),
            "renewal_date": _latest(values.get("renewalDate")),
            "status": status_name(concept) if concept else None,
            "status_stage": scheme.stages.get(concept) if concept else None,
            "status_date": _most_precise(values.get("statusDate")),
            "status_code": code,
            "status_text": text or table_text,
        }

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
                row["j"].rsplit("/", 1)[-1] if row["j"] else None,
                row["date"],
                row["desc"] or "",
            )
            grouped[key].add(row["g"])  # type: ignore[arg-type]
        return [
            ClaimRecord(*key, sources=tuple(sorted(graphs)))
            for key, graphs in sorted(grouped.items(), key=lambda kv: tuple(str(x) for x in kv[0]))
        ]

    # ------------------------------------------------------------ batched lookups by key
    # Each reads many keys in one query per batch of KEY_BATCH, so a shell resolving nested
    # objects (GraphQL's DataLoaders) makes the same number of queries for 1 key or 5,000.

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Readable labels: names for parties, texts for marks, numbers for registrations."""
        wanted = sorted(set(iris))
        labels: dict[str, str] = {}
        unnamed: set[str] = set()
        for batch in batches(wanted):
            rows = self.select(
                f"""SELECT ?x (SAMPLE(?name) AS ?n) (SAMPLE(?text) AS ?t) (SAMPLE(?num) AS ?r)
                           (SAMPLE(?case) AS ?k) (SAMPLE(?label) AS ?l)
                           (SAMPLE(?type) AS ?y) (SAMPLE(?marktext) AS ?mt)
                           (SAMPLE(?where) AS ?j) (SAMPLE(?region) AS ?rg)
                           (SAMPLE(?casenumber) AS ?cn) WHERE {{
                      VALUES ?x {{ {iri_values(batch)} }}
                      OPTIONAL {{ ?x <{TM}mark>/<{TM}text> ?marktext }}
                      OPTIONAL {{ ?x <{TM}jurisdiction> ?where }}
                      OPTIONAL {{ ?x <{TM}region> ?region }}
                      OPTIONAL {{ ?x <{TM}case>/<{TM}caseNumber> ?casenumber }}
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
                elif row["mt"]:  # a use, or a registration with no number
                    labels[iri] = _holding_label(kind, row)  # type: ignore[arg-type]
                elif row["cn"]:  # an event of a numbered case
                    labels[iri] = f"the {camel_words(kind) or 'event'} in case {row['cn']}"
                else:
                    unnamed.add(iri)  # type: ignore[arg-type]
        if unnamed:  # a case with no number, its events: "case A v. B" (kg.analysis.path_labels)
            from kg.analysis.path_labels import path_labels

            named = path_labels(self, unnamed, ()).nodes
            labels |= {i: named.get(i, i) for i in unnamed}
        return labels

    def statements(
        self, properties: Iterable[str], subjects: Iterable[str] | None = None
    ) -> list[Statement]:
        """Every statement of the given properties, per graph, identities resolved; with
        `subjects` (IRIs), only those about them, under any IRI of their owl:sameAs groups
        (the statements whose canonical subject is one of theirs)."""
        canonical = self.identities.canonical
        wanted = sorted(properties)
        if subjects is None:
            rows = self.select(
                f"""SELECT ?s ?p ?o (DATATYPE(?o) AS ?dt) ?g WHERE {{
                      VALUES ?p {{ {iri_values(wanted)} }} GRAPH ?g {{ ?s ?p ?o }} }}"""
            )
        else:
            members = self.identities.members
            named = sorted({m for s in subjects for m in members(canonical(s)) if is_iri(m)})
            # the properties as a FILTER: a second VALUES block made Oxigraph read every
            # statement of the properties (9 s against 17 ms for 400 subjects at 100k marks)
            listed = ", ".join(f"<{p}>" for p in wanted)
            rows = [
                row
                for batch in batches(named)
                for row in self.select(
                    f"""SELECT ?s ?p ?o (DATATYPE(?o) AS ?dt) ?g WHERE {{
                          VALUES ?s {{ {iri_values(batch)} }} GRAPH ?g {{ ?s ?p ?o }}
                          FILTER(?p IN ({listed})) }}"""
                )
            ]
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


def _party_ref(
    canonical: str,
    group: Sequence[str],
    names: dict[str, list[tuple[str, str, str, str]]],
    types: dict[str, set[str]],
    identities: Identities,
) -> PartyRef:
    """The party of the records `group` (`canonical` first among them) from their `names`
    ((kind, name, language tag, graph) per record) and `types`, its display name and aliases
    cited."""
    # The display name is an English (or untagged) name of the canonical record, the one most
    # sources state, then the longest (the fuller legal name); every other name is an alias.
    counts: dict[str, int] = defaultdict(int)
    everything: list[str] = []
    for iri in group:
        for kind, name, lang, _ in names.get(iri, []):
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
    return PartyRef(
        id=canonical,
        name=display,
        aliases=aliases,
        iris=tuple(group),
        types=kinds,
        name_statement=_name_statement(canonical, group, names, display, identities),
        alias_statements=tuple(
            cited
            for alias in aliases
            if (cited := _name_statement(canonical, group, names, alias, identities)) is not None
        ),
    )


def _name_statement(
    canonical: str,
    group: Sequence[str],
    names: dict[str, list[tuple[str, str, str, str]]],
    display: str,
    identities: Identities,
) -> Cited | None:
    """The statement of one of the party's names (`display`: the name shown, or an alias) with
    every graph stating it of a record of its group (schema:name, or schema:alternateName
    where no graph gives it as a name), and the identity graphs of the records other than
    `canonical` it is stated of; None if no graph states it (a party shown by its IRI)."""
    stated: dict[str, dict[str, set[str]]] = {"name": defaultdict(set), "alias": defaultdict(set)}
    for iri in group:
        for kind, name, _, graph in names.get(iri, []):
            if name == display:
                stated[kind][graph].add(iri)
    kind = "name" if stated["name"] else "alias"
    graphs = stated[kind]
    if not graphs:
        return None
    others = {iri for named in graphs.values() for iri in named if iri != canonical}
    linked = {g for iri in others for g in identities.link_graphs(iri)}
    prop = _SCHEMA_NAME if kind == "name" else _SCHEMA_ALTERNATE_NAME
    return Cited(canonical, ((prop, display),), tuple(sorted(graphs)), tuple(sorted(linked)))


def _holding_label(kind: str, row: dict[str, str | None]) -> str:
    """ "the use of 'AWS' in CN (Ningxia)", "a registration of 'AWS' in CN": a record with no
    number or name, labelled by what it is of, never by its IRI."""
    what = "the use" if kind == "Use" else f"a {camel_words(kind) or 'record'}"
    label = f"{what} of {row['mt']!r}"
    if row["j"]:
        label += f" in {row['j'].rsplit('/', 1)[-1]}"
    if row["rg"]:
        label += f" ({row['rg']})"
    return label


def _latest(values: set[str] | None) -> str | None:
    """The latest date among the values (unparseable ones only when nothing parses)."""
    if not values:
        return None
    if len(values) == 1:
        return next(iter(values))  # the latest and the least of one value alike
    dated = [(d, v) for v in values if (d := PartialDate.try_parse(v)) is not None]
    return max(dated)[1] if dated else min(values)


def _most_precise(values: set[str] | None) -> str | None:
    """The most precise date among the values (ties: the earliest)."""
    if not values:
        return None
    if len(values) == 1:
        return next(iter(values))  # the most precise and the least of one value alike
    parsed = [(PartialDate.try_parse(v), v) for v in values]
    dated = [(d, v) for d, v in parsed if d is not None]
    if not dated:
        return min(values)
    rank = {"year": 0, "month": 1, "day": 2}
    return max(dated, key=lambda item: (rank[item[0].precision], -item[0].first_day))[1]
