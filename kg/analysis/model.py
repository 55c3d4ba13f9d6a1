"""Typed results of the analyses: frozen dataclasses that convert to dicts, JSON and rows.

Every result carries the sources of the facts it rests on, so each answer can be checked.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

_TM = "https://w3id.org/tmkg/ontology#"
"""The ontology's namespace (`kg.analysis.sparql_text.TM`; no import: this module imports none
of tmkg)."""

if TYPE_CHECKING:
    from kg.analysis.registration_claims import RegistrationClaims

__all__ = [
    "FILED_KINDS",
    "CaseSummary",
    "Cited",
    "CompetingClaim",
    "ConflictPair",
    "ConflictPath",
    "Contradiction",
    "ContradictionSide",
    "CoveredJurisdiction",
    "Designation",
    "GoodsServicesEntry",
    "Holding",
    "HoldingKind",
    "MarkComparison",
    "MarkRef",
    "MarkUsage",
    "OwnerPeriod",
    "OwnershipChange",
    "PartyRef",
    "PathStep",
    "PriorityFinding",
    "Result",
    "ResultList",
    "SearchHit",
    "SourceRef",
    "TimelineEntry",
    "TopResults",
    "name_statements",
    "source_refs",
    "with_names",
]


class Result:
    """Conversions shared by every result type."""

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (enums as their values, tuples as lists), ready for JSON: what
        ``dataclasses.asdict`` gives, walked once (a conflict holds ~150 values: a whole
        register's JSON spent most of its time in ``asdict``'s copies)."""
        return _plain(self)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def row(self) -> dict[str, Any]:
        """A flat dict for a table row or a pandas DataFrame (lists joined with '; '); the
        statements, one per fact with its sources, stay in `to_dict()` and JSON."""
        flat: dict[str, Any] = {}
        for key, value in self.to_dict().items():
            if key != "statements":
                flat[key] = _cell(value)
        return flat

    # Notebook display (kg.analysis.display), imported only when called so that importing
    # the analysis layer does not load pandas.
    def to_dataframe(self) -> Any:
        """A one-row pandas DataFrame of `row()`."""
        from kg.analysis.display import to_dataframe

        return to_dataframe([self])

    def _repr_html_(self) -> str:
        """Jupyter shows a result as a table of its fields."""
        from kg.analysis.display import result_html

        return result_html(self)


_R = TypeVar("_R", bound=Result)


class ResultList(list[_R], Generic[_R]):
    """The results of an analysis: a plain list that Jupyter shows as a table and that
    converts to a pandas DataFrame (one `row()` per result)."""

    def to_dataframe(self) -> Any:
        from kg.analysis.display import to_dataframe

        return to_dataframe(self)

    def _repr_html_(self) -> str:
        from kg.analysis.display import results_html

        return results_html(self)


class TopResults(ResultList[_R]):
    """The highest-ranked results of an analysis asked for at most a number of them, and how
    many there are in all: `total` (>= ``len(self)``; equal when nothing was left out)."""

    def __init__(self, results: Iterable[_R] = (), total: int | None = None) -> None:
        super().__init__(results)
        self.total = len(self) if total is None else total


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, in order (as ``dataclasses.asdict`` walks them);
    None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(field.name for field in dataclasses.fields(kind))


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("name") or value.get("text") or value.get("title") or value.get("id")
    if isinstance(value, list):
        return "; ".join(str(_cell(v)) for v in value)
    return value


class HoldingKind(StrEnum):
    """How a party holds a mark."""

    REGISTERED_OWNER = "REGISTERED_OWNER"
    APPLICANT = "APPLICANT"
    USER = "USER"
    OPERATOR = "OPERATOR"


FILED_KINDS = frozenset({HoldingKind.REGISTERED_OWNER, HoldingKind.APPLICANT})
"""The holdings that rest on a filing (a registration or an application), not on use."""


@dataclass(frozen=True)
class SourceRef(Result):
    """A source a fact comes from: its named graph and its description."""

    graph: str
    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None
    curated: bool = False
    """The graph is a curation graph (tm:CurationGraph): curators' additions from the source,
    in their words, not the source's own statements."""


def source_refs(known: Mapping[str, SourceRef], graphs: Iterable[str]) -> tuple[SourceRef, ...]:
    """The source of each of `graphs`, in their order: `known`'s description (graph IRI ->
    `SourceRef`), else a `SourceRef` naming the graph alone. Made only where none is known
    (~2.5 µs each: a hit of `who_else_uses` cites a few graphs, a register's conflicts
    millions)."""
    return tuple(known[g] if g in known else SourceRef(graph=g) for g in graphs)


@dataclass(frozen=True)
class Cited(Result):
    """One statement of an answer, with exactly the sources that state it.

    A statement is one or more facts about one subject read together: ``facts`` are
    (property IRI, value) pairs, each value an IRI (canonical, owl:sameAs resolved) or a
    literal's lexical form. Every graph in ``sources`` states all of them about the subject
    or about a record owl:sameAs it, and no other graph does; ``identities`` are the graphs
    stating the owl:sameAs links that reading rests on (empty when each source names the
    subject and values as the answer does). A use's date, say, is read together with its
    user (``((tm:user, P), (tm:startDate, D))``): a source dating the use of another user
    is not a source for P's (docs/provenance.md).
    """

    subject: str
    facts: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    identities: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyRef(Result):
    """A party, with the IRIs and names of every record linked to it by owl:sameAs."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    iris: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    country: str | None = None
    """The party's tm:nationality as an ISO 3166-1 code (incorporation or nationality)."""
    name_statement: Cited | None = None
    """``name`` as its sources state it: ``((schema:name, name),)`` about ``id`` (or
    ``schema:alternateName`` when the name shown is one), citing every graph that states that
    name of a record of the party's owl:sameAs group; None for a party no source names (its
    ``name`` is then the end of its IRI). An answer showing the party cites it among its
    statements (a register file may name an owner only by a key another file defines)."""
    alias_statements: tuple[Cited, ...] = ()
    """Each of ``aliases`` as its sources state it, in their order: a `Cited` as
    ``name_statement`` is (``schema:name`` where a graph gives it as a name of a record of the
    group, else ``schema:alternateName``). Shown with the party wherever its aliases are (JSON
    answers, GraphQL ``Party.aliasStatements``)."""


def name_statements(*parties: PartyRef | None) -> tuple[Cited, ...]:
    """The statements of the names of `parties` that sources state (`PartyRef.name_statement`),
    once each, in their order: what an answer showing those parties cites for their names.
    Their aliases are cited within each party (`PartyRef.alias_statements`), not here: an
    answer's sources are those of what it states, a party's other names are the party's."""
    found = (p.name_statement for p in parties if p is not None)
    return tuple(dict.fromkeys(s for s in found if s is not None))


def with_names(statements: Iterable[Cited], *parties: PartyRef | None) -> tuple[Cited, ...]:
    """`statements` and then the name statements of `parties` (`name_statements`), once
    each: an answer's statements with the names it shows."""
    return tuple(dict.fromkeys((*statements, *name_statements(*parties))))


@dataclass(frozen=True)
class MarkRef(Result):
    id: str
    text: str


@dataclass(frozen=True)
class Holding(Result):
    """One registration or use of a mark, its facts merged over the sources that state them."""

    id: str
    kind: HoldingKind
    mark: MarkRef
    party: str
    on_behalf_of: str | None
    jurisdiction: str | None
    classes: tuple[int, ...]
    filing_date: str | None
    registration_date: str | None
    start_date: str | None
    end_date: str | None
    registration_number: str | None
    region: str | None
    sources: tuple[str, ...]
    iris: tuple[str, ...] = ()
    application_number: str | None = None
    publication_date: str | None = None
    expiry_date: str | None = None
    renewal_date: str | None = None
    status: str | None = None
    """The normalized status (a name in ``schema/status.ttl``: "abandoned"), None if unknown."""
    status_stage: str | None = None
    """Its top concept: "pending", "registered" or "ended"."""
    status_date: str | None = None
    status_code: str | None = None
    """The office's own status code (e.g. the USPTO's "602")."""
    owner_records: tuple[OwnerRecord, ...] = ()
    """Set with `ownership` where the registration has recorded changes
    (`kg.analysis.ownership_facts.attach_ownership`): each dated register record's owners
    (the current state and every earlier one), by date."""
    status_text: str | None = None
    """The office's own status text, as the source gives it."""
    lapsed: bool = False
    """Set by `kg.analysis.lifecycle.on_date`: a dead right on the date asked."""
    ended: str | None = None
    end_reason: str | None = None
    owner_since: str | None = None
    """Set by `kg.analysis.ownership.owners_on`: the date the holder acquired the right by a
    recorded ownership change (None: it held it from the filing)."""
    recorded_owners: tuple[str, ...] = ()
    """Every party the registration's records name as tm:owner (canonical IRIs)."""
    ownership: tuple[OwnershipChange, ...] = ()
    """The recorded ownership changes and security interests of the registration, by date."""
    mark_feature: str | None = None
    """The kind of mark (``schema/mark-features.ttl``: "word", "figurative"), None if unstated."""
    vienna_codes: tuple[str, ...] = ()
    """Vienna Classification codes of the mark's figurative elements ("26.01.03")."""
    verbal_element: str | None = None
    """The mark's words as the office records them (tm:verbalElement), None if unstated."""
    goods_services: tuple[GoodsServicesEntry, ...] = ()
    """Goods and services per class (Nice or national), with their texts."""
    coverage: tuple[CoveredJurisdiction, ...] = ()
    """Set by `kg.analysis.coverage.with_coverage`: the jurisdictions a regional (EM, BX, OA)
    or international (WO) right covers on the date asked, besides its own `jurisdiction`."""
    application_claims: RegistrationClaims | None = None
    """Set by `kg.analysis.registration_claims`: the application's Paris priority claims,
    first-use dates, translations, transliterations and disclaimers (None: it states none)."""
    statements: tuple[Cited, ...] = ()
    """Each fact shown, with the sources that state it (a use's facts read with its user)."""
    graph_identities: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(graph naming the holder, the graphs stating the owl:sameAs links that naming rests
    on): which identity a statement from some of the sources needs."""


@dataclass(frozen=True)
class MarkUsage(Result):
    """A hit of `who_else_uses`: a party holding the same or a similar mark."""

    party: PartyRef
    mark: MarkRef
    kind: HoldingKind
    on_behalf_of: PartyRef | None
    classes: tuple[int, ...]
    class_relatedness: float | None
    jurisdiction: str | None
    since: str | None
    until: str | None
    similarity: float
    reasons: tuple[str, ...]
    holdings: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    status: str | None = None
    """The normalized status of the holdings ("registered", "abandoned"...), None if unstated."""
    lapsed: bool = False
    """A dead right on the date asked (shown only on request)."""
    ended: str | None = None
    end_reason: str | None = None
    mark_feature: str | None = None
    """The kind of mark of the holdings ("word", "combined"...), None if unstated."""
    verbal_element: str | None = None
    """The verbal element compared, where a registration states one apart from its text."""
    national_classes: tuple[str, ...] = ()
    """Classes of an office's own scheme, as "{scheme} {code}" ("tw-national 032"): never Nice."""
    vienna_codes: tuple[str, ...] = ()
    """Vienna Classification codes of the holdings' marks."""
    goods_services: tuple[GoodsServicesEntry, ...] = ()
    """The holdings' goods and services per class (Nice or national), with their texts."""
    via: str | None = None
    """The regional or international right through which the hit counts in the jurisdiction
    asked: "EM", "BX", "OA", "WO/DE" (a Madrid designation of DE), "WO/EM"; None if national."""
    statements: tuple[Cited, ...] = ()
    """Each fact the hit rests on (holder, mark, place, class, dates), with its own sources."""
    since_sources: tuple[SourceRef, ...] = ()
    """The sources stating the `since` date (of the holding that gives it), not the row's
    other facts."""


@dataclass(frozen=True)
class ConflictPair(Result):
    """Two parties holding similar marks in related classes in one jurisdiction."""

    parties: tuple[PartyRef, PartyRef]
    marks: tuple[MarkRef | None, MarkRef | None]
    """Each party's mark, in the order of `parties`; None only for the opponent of an
    opposition or cancellation that states no earlier right (and has no similarity conflict
    with the holder to take its mark from): the reasons say "no earlier right stated"."""
    jurisdiction: str | None
    score: float
    mark_similarity: float
    class_relatedness: float
    reasons: tuple[str, ...]
    holdings: tuple[str, str]
    sources: tuple[SourceRef, ...]
    lapsed: bool = False
    """One side is a dead right on the date asked (shown only on request)."""
    proceedings: tuple[str, ...] = ()
    """IRIs of the oppositions or cancellations between the two parties behind the conflict."""
    statements: tuple[Cited, ...] = ()
    """What the pair shows of each right (holder and mark, place, classes), with its sources;
    for marks matched through the graph's evidence (`kg.analysis.evidence.EvidencePair`),
    the statement that evidence rests on too."""
    holders: tuple[tuple[PartyRef, ...], tuple[PartyRef, ...]] = ((), ())
    """Every holder of each side's right, in the order of `parties`: the co-owners of a
    co-owned registration, each side's party first, then the others by name. A conflict is
    one pair of rights, so co-owners are named here, not in rows of their own; left empty,
    each side is its party alone."""

    def __post_init__(self) -> None:
        if not all(self.holders):  # one holder a side: its party
            pairs = zip(self.holders, self.parties, strict=True)
            filled = tuple(group or (party,) for group, party in pairs)
            object.__setattr__(self, "holders", filled)


@dataclass(frozen=True)
class PathStep(Result):
    """One link of a conflict path, from `source` to `target`, as a plain sentence.

    `predicate` is the linking property's IRI: tm:owner or tm:user for a party holding or
    using a mark (through the registration or use `via`), tm:onBehalfOf for a brand owner whose
    mark a partner uses (or the partner's tie to it), tm:similarMark for two similar marks
    (`similarity` in [0, 1] and its `reasons`, from `kg.analysis.similarity.compare`), else
    the fact's own property (tm:plaintiff, tm:payer...). Labels are names, never identifiers.
    `statements` are what the link rests on, each with exactly the graphs stating it (a
    similarity link, derived by tmkg, cites the graphs stating the two marks' texts);
    `sources` are the graphs its statements cite, identity graphs included.
    """

    source: str
    source_label: str
    predicate: str
    target: str
    target_label: str
    explanation: str
    sources: tuple[SourceRef, ...] = ()
    statements: tuple[Cited, ...] = ()
    via: str | None = None
    """IRI of the registration or use a holding link or partner tie goes through."""
    via_label: str | None = None
    similarity: float | None = None
    reasons: tuple[str, ...] = ()
    lapsed: str | None = None
    """When and why the registration or application `via` ended, if it is dead today ("on
    2020-06-01: expired (its term ended, no renewal recorded)")."""


@dataclass(frozen=True)
class ConflictPath(Result):
    """A chain of facts linking two parties, each step explained and cited.

    `kind` is "mark conflict" (A holds or uses a mark that is, or is similar to, one B holds
    or uses), "proceeding" (through a case, its events, an opposition or cancellation),
    "business tie" (a partner operating a use on behalf of a brand owner) or "other"
    (`kg.analysis.paths`)."""

    origin: PartyRef
    destination: PartyRef
    steps: tuple[PathStep, ...]
    summary: str
    kind: str = "other"

    @property
    def length(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class CompetingClaim(Result):
    """A claim to the mark that the priority rule does not favour, listed beside the finding."""

    party: PartyRef
    basis: str
    date: str | None
    description: str
    sources: tuple[SourceRef, ...]
    lapsed: bool = False
    """A dead right on the date asked: listed on request, never deciding priority."""
    ended: str | None = None
    end_reason: str | None = None
    effective_date: str | None = None
    """The date the claim counts from under the rule (None: it does not count)."""
    effective_basis: str | None = None
    """Why it counts from then: filing, Paris priority, first use in commerce, use,
    constructive use (filing / Paris priority); or why it does not count."""
    statements: tuple[Cited, ...] = ()
    """Each fact the claim rests on, with its own sources."""
    holders: tuple[PartyRef, ...] = ()
    """Every holder of the claim's right, `party` first, then its co-owners by name: a
    co-owned registration is one claim; left empty, `party` alone."""

    def __post_init__(self) -> None:
        if not self.holders:
            object.__setattr__(self, "holders", (self.party,))


@dataclass(frozen=True)
class PriorityFinding(Result):
    """Who holds priority to a mark in a class and jurisdiction, under which rule."""

    mark: str
    nice_class: int
    jurisdiction: str
    rule: str | None
    rule_basis: str | None
    holder: PartyRef | None
    date: str | None
    holding: str | None
    explanation: str
    competing_claims: tuple[CompetingClaim, ...] = field(default=())
    sources: tuple[SourceRef, ...] = field(default=())
    date_basis: str | None = None
    """Why the holder counts from `date`: filing, registration, Paris priority, first use in
    commerce, use, or constructive use (filing / Paris priority)."""
    statements: tuple[Cited, ...] = ()
    """Each fact the finding rests on (the holder's filing, its date...), with its own sources."""
    holders: tuple[PartyRef, ...] = ()
    """Every holder of the deciding right, `holder` first, then its co-owners by name: they
    hold priority jointly. Left empty, `holder` alone (none when undecided)."""

    def __post_init__(self) -> None:
        if not self.holders and self.holder is not None:
            object.__setattr__(self, "holders", (self.holder,))


@dataclass(frozen=True)
class TimelineEntry(Result):
    date: str | None
    kind: str
    subject: str
    description: str
    parties: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    statements: tuple[Cited, ...] = ()
    """What the entry states (the event's type, date and description, or a holding's facts),
    with the sources that state it: every cited source states the date and the words shown."""


@dataclass(frozen=True)
class ContradictionSide(Result):
    value: str
    sources: tuple[SourceRef, ...]
    statements: tuple[Cited, ...] = ()
    """The value as its sources state it (the property and the value's IRI or text)."""


@dataclass(frozen=True)
class Contradiction(Result):
    """Incompatible values for one fact, each side with the sources that state it."""

    subject: str
    subject_label: str
    property: str
    kind: str
    explanation: str
    sides: tuple[ContradictionSide, ...]


@dataclass(frozen=True)
class CaseSummary(Result):
    """A case as its sources describe it together: number, parties by role, court, marks."""

    id: str
    number: str | None
    jurisdiction: str | None
    courts: tuple[PartyRef, ...]
    plaintiffs: tuple[PartyRef, ...]
    defendants: tuple[PartyRef, ...]
    marks: tuple[MarkRef, ...]
    description: str | None
    claim_amount: str | None
    currency: str | None
    sources: tuple[SourceRef, ...]
    kind: str | None = None
    """For a proceeding before an office: "opposition", "cancellation" or "proceeding"."""
    outcome: str | None = None
    """For a proceeding: its outcome (pending, upheld, partly upheld, rejected...)."""
    office: PartyRef | None = None
    """For a proceeding: the trademark office it is before."""
    statements: tuple[Cited, ...] = ()
    """Each value shown (number, party by role, court, mark, amount...) with its sources."""

    @property
    def label(self) -> str:
        """Its number, else "Alpha Ltd. v. Beta Co.": never its IRI."""
        from kg.analysis.wording import joined

        if self.number:
            return self.number
        sides = [joined(p.name for p in side) for side in (self.plaintiffs, self.defendants)]
        if not any(sides):
            return "a case with no number or parties stated"
        return " v. ".join(side or "(not stated)" for side in sides)


@dataclass(frozen=True)
class MarkComparison(Result):
    """Two marks compared as `who_else_uses` and `conflicts` compare them
    (`kg.analysis.similarity.compare`): the score, whether it reaches the floor asked, the
    rules that fired and what of each mark was compared."""

    earlier: str
    later: str
    score: float
    """0-1, symmetric; at or above `min_similarity` exactly when `reasons` is not empty at
    the default floor (0.8)."""
    similar: bool
    """``score >= min_similarity``."""
    min_similarity: float
    reasons: tuple[str, ...]
    """The rules that fired, strongest first (`kg.analysis.similarity.REASONS`)."""
    notes: tuple[str, ...]
    """What the comparison rests on beyond the letters, in words: a meaning and its
    dictionary, the element of a mark in two scripts compared, what was set aside as naming
    no source, a figure not compared."""
    compared_earlier: str | None
    """The earlier mark's verbal element as compared (legal forms, descriptors set aside);
    None for a figure named by placeholder text."""
    compared_later: str | None
    romanized_earlier: str
    """The compared element in capital Latin letters and digits (pinyin for Chinese,
    anyascii for other scripts: `kg.analysis.scripts.romanize`), whose edits the score
    counts; "" for a figure."""
    romanized_later: str
    jurisdiction: str | None = None
    """The office whose conventions for naming figures were applied (None: every office's)."""


@dataclass(frozen=True)
class SearchHit(Result):
    """A party, mark or case whose name, text or number matches a search, best first."""

    kind: str
    id: str
    label: str
    matched: str
    score: float


@dataclass(frozen=True)
class OwnershipChange(Result):
    """A recorded change of owner (or a security interest, which changes none) of a
    registration: `kind` is the tm: class's local name ("Assignment", "Merger", "NameChange",
    "OwnershipChange", "SecurityInterest"); parties are canonical IRIs; `sources` graphs."""

    id: str
    kind: str
    registration: str
    date: str | None
    assignors: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    conveyance: str | None = None
    recorded: str | None = None
    sources: tuple[str, ...] = ()
    statements: tuple[Cited, ...] = ()
    """Each fact of the change (its registration, each assignor and assignee, its date, the
    bound) with exactly the graphs stating it (`holding_statements.cite_each`)."""

    @property
    def date_bound(self) -> bool:
        """`date` is only the latest day the change may have taken effect
        (`tm:dateIsUpperBound`: the office's record shows it had by then): a graph giving
        that date says so, or a graph says so giving no date of its own (a source's bound on
        its own date is not another source's date's); `on` words it."""
        return any(self._bound())

    def _bound(self) -> tuple[tuple[Cited, ...], tuple[Cited, ...]]:
        """What says `date` is a bound: (the date with the bound, from the graphs stating
        both; the bound, where a graph stating it gives the change no date)."""
        date = next((s for s in self.statements if s.facts[0] == (_TM + "date", self.date)), None)
        bound = [
            s
            for s in self.statements
            if s.facts[0][0] == _TM + "dateIsUpperBound" and s.facts[0][1] in ("true", "1")
        ]
        if date is None or not bound:
            return (), ()
        dated = {g for s in self.statements if s.facts[0][0] == _TM + "date" for g in s.sources}
        both = set(date.sources) & {g for s in bound for g in s.sources}
        together = Cited(
            self.id,
            (date.facts[0], bound[0].facts[0]),
            tuple(sorted(both)),
            tuple(sorted({g for s in (date, *bound) for g in s.identities})),
        )
        alone = any(g not in dated for s in bound for g in s.sources)
        return ((together,) if both else ()), (tuple(bound) if alone else ())

    def cited(self, role: str, party: str) -> tuple[Cited, ...]:
        """What an answer saying that `party` was the change's `role` ("assignor",
        "assignee") rests on: that fact, the registration and the date it took effect (and
        that the date is a bound), each with its own sources."""
        wanted = {
            (_TM + role, party),
            (_TM + "registration", self.registration),
            (_TM + "date", self.date),
        }
        together, alone = self._bound()
        return (*(s for s in self.statements if s.facts[0] in wanted), *together, *alone)

    @property
    def on(self) -> str:
        """When it took effect, in words: "on 2023-05-03", "in 1973", "on or before
        1989-11-27"."""
        if self.date_bound:
            return f"on or before {self.date}"
        return f"on {self.date}" if self.date and len(self.date) >= 10 else f"in {self.date}"


@dataclass(frozen=True)
class OwnerRecord(Result):
    """A register record of a registration (its current state or an earlier one), dated by
    the day it states the registration as of (tm:recordDate): the owners it names then, and
    the statements saying so (its date and each owner, with the graphs stating them)."""

    date: str
    owners: tuple[str, ...]
    statements: tuple[Cited, ...] = ()


@dataclass(frozen=True)
class OwnerPeriod(Result):
    """One party's time as an owner of a registration: `since` the change that made it owner
    (None: from the filing, an original owner), `until` the change that ended it (None: still
    the owner). Dates as the sources give them."""

    party: str
    since: str | None
    until: str | None
    acquired_by: OwnershipChange | None = None
    ended_by: OwnershipChange | None = None
    named_on: str | None = None
    """Where no recorded change made it owner but the register's record stated as of that
    day (tm:recordDate) names it, after every recorded change: that day (its `since`; it held
    the right on or before it)."""
    unnamed_on: str | None = None
    """Where no recorded change ended its time but the register's record stated as of that
    day names other owners: that day (its `until`)."""


@dataclass(frozen=True)
class GoodsServicesEntry(Result):
    """The goods or services of a registration in one class (ST.96 ClassDescription).

    `scheme` is "nice" for a Nice class (`nice_class` its number) or a national scheme's name
    ("tw-national", `nice_class` None); `code` is the class as written ("25", "032");
    `edition` the classification version ("12-2025"); `texts` (language tag, text) pairs.
    """

    id: str
    scheme: str
    code: str
    nice_class: int | None = None
    edition: str | None = None
    texts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CoveredJurisdiction(Result):
    """A jurisdiction a regional or international right covers on a date, and through what.

    `via` is the route: "EM" (an EU trade mark covers its member states), "BX", "OA", "WO/DE"
    (an international registration's designation of DE), "WO/EM" (its designation of EM, so
    EM's members). `since` is the first day of coverage: the membership's start or the
    designation's date, when known.
    """

    code: str
    via: str
    since: str | None = None
    ended: str | None = None
    """Set only where lapsed rights were asked for: the day the designation ended (refused,
    renounced…) before the date asked, so the right no longer covers `code`."""
    end_reason: str | None = None


@dataclass(frozen=True)
class Designation(Result):
    """A designation of an international registration (Madrid): where, and its own status."""

    id: str
    registration: str
    jurisdiction: str
    designation_date: str | None = None
    status: str | None = None
    """The normalized status (``schema/status.ttl``), None if unstated (read as in force)."""
    status_stage: str | None = None
    status_date: str | None = None
    status_code: str | None = None
    status_text: str | None = None
    sources: tuple[str, ...] = ()
