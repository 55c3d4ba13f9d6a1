"""The GraphQL object types: thin dataclass wrappers over `kg.analysis.model` results.

Each type copies a result's fields (``Party.of(PartyRef)``); the fields a user follows to
other objects (a party's registrations, a mark's uses, a case's events, an owner) resolve
through the request's DataLoaders (`kg.api.graphql.loaders`), never one query per object.
Dates are strings because sources give partial dates (``2004``, ``2004-09``).
"""

from __future__ import annotations

from enum import Enum

import pycountry
import strawberry

from kg.analysis import model
from kg.api.graphql.loaders import Context, SourcedHolding

__all__ = [
    "Case",
    "CompetingClaim",
    "Conflict",
    "ConflictConnection",
    "ConflictEdge",
    "ConflictPath",
    "Contradiction",
    "ContradictionSide",
    "Entity",
    "HoldingKind",
    "Jurisdiction",
    "Mark",
    "MarkUsage",
    "PageInfo",
    "Party",
    "PathStep",
    "Priority",
    "Registration",
    "SearchHit",
    "SearchKind",
    "Source",
    "TimelineEntry",
    "Use",
]

Info = strawberry.Info[Context, None]


@strawberry.enum(description="How a party holds a mark.")
class HoldingKind(Enum):
    REGISTERED_OWNER = strawberry.enum_value(
        "REGISTERED_OWNER", description="owns a registration of the mark"
    )
    APPLICANT = strawberry.enum_value(
        "APPLICANT", description="applied for the mark; the application is pending (or was)"
    )
    USER = strawberry.enum_value("USER", description="uses the mark in its own name")
    OPERATOR = strawberry.enum_value(
        "OPERATOR", description="uses the mark on behalf of another party (its brand owner)"
    )


@strawberry.enum(description="What a search hit is.")
class SearchKind(Enum):
    PARTY = "party"
    MARK = "mark"
    CASE = "case"


@strawberry.type(description="A source of facts: the document, and the named graph holding them.")
class Source:
    id: strawberry.ID = strawberry.field(
        description="IRI of the source (of the named graph when no source is described)"
    )
    graph: str = strawberry.field(description="IRI of the named graph holding the facts")
    title: str | None
    publisher: str | None
    date: str | None
    kind: str | None = strawberry.field(description="primary or secondary")

    @classmethod
    def of(cls, ref: model.SourceRef) -> Source:
        return cls(
            id=strawberry.ID(ref.id or ref.graph),
            graph=ref.graph,
            title=ref.title,
            publisher=ref.publisher,
            date=ref.date,
            kind=ref.kind,
        )


def _sources(refs: tuple[model.SourceRef, ...]) -> list[Source]:
    return [Source.of(ref) for ref in refs]


@strawberry.type(description="A jurisdiction: an ISO 3166-1 country.")
class Jurisdiction:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. CN")

    @strawberry.field(description="The country's English name.")
    def name(self) -> str | None:
        country = pycountry.countries.get(alpha_2=self.code)
        return country.name if country else None

    @classmethod
    def of(cls, code: str | None) -> Jurisdiction | None:
        return cls(code=code) if code else None


@strawberry.type(description="Any node of the graph, by IRI, with a readable label.")
class Entity:
    id: strawberry.ID
    label: str


@strawberry.type(
    description="A company, person, court or office; records linked by owl:sameAs are one "
    "party, known by every name its sources give."
)
class Party:
    id: strawberry.ID = strawberry.field(description="IRI of the canonical record")
    name: str
    aliases: list[str] = strawberry.field(description="every other name, in any language")
    iris: list[str] = strawberry.field(description="IRIs of every record merged into this one")
    types: list[str] = strawberry.field(description="ontology classes, e.g. Company, Court")

    @classmethod
    def of(cls, ref: model.PartyRef) -> Party:
        return cls(
            id=strawberry.ID(ref.id),
            name=ref.name,
            aliases=list(ref.aliases),
            iris=list(ref.iris),
            types=list(ref.types),
        )

    @strawberry.field(description="Registrations the party owns.")
    async def registrations(self, info: Info) -> list[Registration]:
        held = await info.context.loaders.holdings_of_party.load(self.id)
        return [
            Registration.of(h)
            for h in held
            if h.holding.kind is model.HoldingKind.REGISTERED_OWNER and h.holding.party == self.id
        ]

    @strawberry.field(description="Uses of marks by the party, or by others on its behalf.")
    async def uses(self, info: Info) -> list[Use]:
        held = await info.context.loaders.holdings_of_party.load(self.id)
        return [Use.of(h) for h in held if h.holding.kind is not model.HoldingKind.REGISTERED_OWNER]

    @strawberry.field(description="Cases the party is a plaintiff, defendant or court in.")
    async def cases(self, info: Info) -> list[Case]:
        loaders = info.context.loaders
        roles = await loaders.cases_of_party.load(self.id)
        found = await loaders.case.load_many(sorted({case for case, _ in roles}))
        return [Case.of(summary) for summary in found if summary is not None]

    @strawberry.field(description="Sources that state anything about the party.")
    async def sources(self, info: Info) -> list[Source]:
        return _sources(await info.context.loaders.sources.load(self.id))


async def _party(info: Info, iri: str | None) -> Party | None:
    if iri is None:
        return None
    ref = await info.context.loaders.party.load(iri)
    return Party.of(ref) if ref else None


@strawberry.type(description="A trademark: a text (a word mark) that parties register and use.")
class Mark:
    id: strawberry.ID
    text: str

    @classmethod
    def of(cls, ref: model.MarkRef) -> Mark:
        return cls(id=strawberry.ID(ref.id), text=ref.text)

    @strawberry.field(description="Registrations of the mark, in every jurisdiction.")
    async def registrations(self, info: Info) -> list[Registration]:
        held = await info.context.loaders.holdings_of_mark.load(self.id)
        return [
            Registration.of(h) for h in held if h.holding.kind is model.HoldingKind.REGISTERED_OWNER
        ]

    @strawberry.field(description="Uses of the mark, in every jurisdiction.")
    async def uses(self, info: Info) -> list[Use]:
        held = await info.context.loaders.holdings_of_mark.load(self.id)
        return [Use.of(h) for h in held if h.holding.kind is not model.HoldingKind.REGISTERED_OWNER]

    @strawberry.field(description="Sources that state anything about the mark.")
    async def sources(self, info: Info) -> list[Source]:
        return _sources(await info.context.loaders.sources.load(self.id))


@strawberry.type(
    description="A registration of a mark, its facts merged over the sources that state them."
)
class Registration:
    id: strawberry.ID
    number: str | None
    mark: Mark
    jurisdiction: Jurisdiction | None
    nice_classes: list[int]
    filing_date: str | None
    registration_date: str | None
    iris: list[str] = strawberry.field(description="IRIs of every record merged into this one")
    sources: list[Source]
    owner_id: strawberry.Private[str]
    application_number: str | None = strawberry.field(
        default=None, description="the office's application (serial) number"
    )
    publication_date: str | None = strawberry.field(
        default=None, description="published for opposition on"
    )
    expiry_date: str | None = strawberry.field(default=None, description="the term ends on")
    renewal_date: str | None = strawberry.field(default=None, description="last renewed on")
    status: str | None = strawberry.field(
        default=None,
        description="normalized status (schema/status.ttl): filed, published, opposed, "
        "registered, expired, abandoned, withdrawn, refused, cancelled, invalidated; null "
        "when no status is stated (read as registered)",
    )
    status_date: str | None = strawberry.field(
        default=None, description="the date the status took effect (for a dead right, it ended)"
    )
    status_code: str | None = strawberry.field(
        default=None, description="the office's own status code, e.g. the USPTO's 602"
    )
    status_text: str | None = strawberry.field(
        default=None, description="the office's own status text (or the USPTO table's)"
    )

    @classmethod
    def of(cls, sourced: SourcedHolding) -> Registration:
        h = sourced.holding
        return cls(
            id=strawberry.ID(h.id),
            number=h.registration_number,
            mark=Mark.of(h.mark),
            jurisdiction=Jurisdiction.of(h.jurisdiction),
            nice_classes=list(h.classes),
            filing_date=h.filing_date,
            registration_date=h.registration_date,
            iris=list(h.iris),
            sources=_sources(sourced.sources),
            owner_id=h.party,
            application_number=h.application_number,
            publication_date=h.publication_date,
            expiry_date=h.expiry_date,
            renewal_date=h.renewal_date,
            status=h.status,
            status_date=h.status_date,
            status_code=h.status_code,
            status_text=h.status_text,
        )

    @strawberry.field(description="The party that owns the registration.")
    async def owner(self, info: Info) -> Party | None:
        return await _party(info, self.owner_id)


@strawberry.type(description="A use of a mark by a party, perhaps on behalf of another.")
class Use:
    id: strawberry.ID
    kind: HoldingKind = strawberry.field(description="USER, or OPERATOR on another's behalf")
    mark: Mark
    jurisdiction: Jurisdiction | None
    region: str | None
    nice_classes: list[int]
    since: str | None = strawberry.field(description="start date, as precise as sources give")
    until: str | None
    iris: list[str] = strawberry.field(description="IRIs of every record merged into this one")
    sources: list[Source]
    user_id: strawberry.Private[str]
    on_behalf_of_id: strawberry.Private[str | None]

    @classmethod
    def of(cls, sourced: SourcedHolding) -> Use:
        h = sourced.holding
        return cls(
            id=strawberry.ID(h.id),
            kind=HoldingKind[h.kind.value],
            mark=Mark.of(h.mark),
            jurisdiction=Jurisdiction.of(h.jurisdiction),
            region=h.region,
            nice_classes=list(h.classes),
            since=h.start_date,
            until=h.end_date,
            iris=list(h.iris),
            sources=_sources(sourced.sources),
            user_id=h.party,
            on_behalf_of_id=h.on_behalf_of,
        )

    @strawberry.field(description="The party that uses the mark.")
    async def user(self, info: Info) -> Party | None:
        return await _party(info, self.user_id)

    @strawberry.field(description="The brand owner the user operates the mark for, if any.")
    async def on_behalf_of(self, info: Info) -> Party | None:
        return await _party(info, self.on_behalf_of_id)


@strawberry.type(description="A dated fact: an event, a filing, a grant or a use.")
class TimelineEntry:
    date: str | None = strawberry.field(description="as precise as the source gives; null if none")
    kind: str
    subject: strawberry.ID = strawberry.field(description="IRI of the event or holding")
    description: str
    parties: list[str] = strawberry.field(description="names of the parties involved")
    sources: list[Source]

    @classmethod
    def of(cls, entry: model.TimelineEntry) -> TimelineEntry:
        return cls(
            date=entry.date,
            kind=entry.kind,
            subject=strawberry.ID(entry.subject),
            description=entry.description,
            parties=list(entry.parties),
            sources=_sources(entry.sources),
        )


@strawberry.type(description="A court case, merged over the sources that describe it.")
class Case:
    id: strawberry.ID
    number: str | None = strawberry.field(description="the court's case number")
    jurisdiction: Jurisdiction | None
    courts: list[Party]
    plaintiffs: list[Party]
    defendants: list[Party]
    marks: list[Mark] = strawberry.field(description="the marks the case concerns")
    description: str | None
    claim_amount: str | None = strawberry.field(description="amount claimed (a decimal)")
    currency: str | None
    sources: list[Source]

    @classmethod
    def of(cls, summary: model.CaseSummary) -> Case:
        return cls(
            id=strawberry.ID(summary.id),
            number=summary.number,
            jurisdiction=Jurisdiction.of(summary.jurisdiction),
            courts=[Party.of(p) for p in summary.courts],
            plaintiffs=[Party.of(p) for p in summary.plaintiffs],
            defendants=[Party.of(p) for p in summary.defendants],
            marks=[Mark.of(m) for m in summary.marks],
            description=summary.description,
            claim_amount=summary.claim_amount,
            currency=summary.currency,
            sources=_sources(summary.sources),
        )

    @strawberry.field(description="The case's events in date order, one entry per source date.")
    async def events(self, info: Info) -> list[TimelineEntry]:
        entries = await info.context.loaders.events_of_case.load(self.id)
        return [TimelineEntry.of(e) for e in entries]


@strawberry.type(description="A party holding the same or a similar mark (a whoElseUses hit).")
class MarkUsage:
    party: Party
    mark: Mark
    kind: HoldingKind
    on_behalf_of: Party | None
    nice_classes: list[int]
    class_relatedness: float | None = strawberry.field(
        description="relatedness of its classes to the class asked about (1 = same)"
    )
    jurisdiction: Jurisdiction | None
    since: str | None
    until: str | None
    similarity: float = strawberry.field(description="mark similarity, 0-1")
    reasons: list[str] = strawberry.field(
        description="why the marks match: exact, folded, fuzzy, phonetic, transliteration"
    )
    holdings: list[strawberry.ID] = strawberry.field(description="IRIs of the holdings")
    sources: list[Source]
    status: str | None = strawberry.field(
        default=None, description="normalized status of the registrations; null if unstated"
    )
    lapsed: bool = strawberry.field(
        default=False, description="a dead right on the date asked (only with includeLapsed)"
    )
    ended: str | None = strawberry.field(default=None, description="when the right ended")
    end_reason: str | None = strawberry.field(default=None, description="why the right ended")

    @classmethod
    def of(cls, usage: model.MarkUsage) -> MarkUsage:
        return cls(
            party=Party.of(usage.party),
            mark=Mark.of(usage.mark),
            kind=HoldingKind[usage.kind.value],
            on_behalf_of=Party.of(usage.on_behalf_of) if usage.on_behalf_of else None,
            nice_classes=list(usage.classes),
            class_relatedness=usage.class_relatedness,
            jurisdiction=Jurisdiction.of(usage.jurisdiction),
            since=usage.since,
            until=usage.until,
            similarity=usage.similarity,
            reasons=list(usage.reasons),
            holdings=[strawberry.ID(h) for h in usage.holdings],
            sources=_sources(usage.sources),
            status=usage.status,
            lapsed=usage.lapsed,
            ended=usage.ended,
            end_reason=usage.end_reason,
        )


@strawberry.type(description="Two parties holding similar marks in related classes.")
class Conflict:
    parties: list[Party]
    marks: list[Mark] = strawberry.field(description="each party's mark, in the same order")
    jurisdiction: Jurisdiction | None
    score: float = strawberry.field(description="risk score, 0-1 (see reasons)")
    mark_similarity: float
    class_relatedness: float
    reasons: list[str]
    holdings: list[strawberry.ID]
    sources: list[Source]
    lapsed: bool = strawberry.field(
        default=False, description="one side is a dead right (only with includeLapsed)"
    )

    @classmethod
    def of(cls, pair: model.ConflictPair) -> Conflict:
        return cls(
            parties=[Party.of(p) for p in pair.parties],
            marks=[Mark.of(m) for m in pair.marks],
            jurisdiction=Jurisdiction.of(pair.jurisdiction),
            score=pair.score,
            mark_similarity=pair.mark_similarity,
            class_relatedness=pair.class_relatedness,
            reasons=list(pair.reasons),
            holdings=[strawberry.ID(h) for h in pair.holdings],
            sources=_sources(pair.sources),
            lapsed=pair.lapsed,
        )


@strawberry.type(description="Relay-style page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class ConflictEdge:
    cursor: str
    node: Conflict


@strawberry.type(description="A page of conflicts, highest risk first (Relay connection).")
class ConflictConnection:
    edges: list[ConflictEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="conflicts on all pages")

    @strawberry.field(description="The conflicts of this page (the edges' nodes).")
    def nodes(self) -> list[Conflict]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="One link of a conflict path, as a sentence.")
class PathStep:
    from_: Entity = strawberry.field(name="from")
    predicate: str = strawberry.field(description="IRI of the linking property")
    to: Entity
    explanation: str

    @classmethod
    def of(cls, step: model.PathStep) -> PathStep:
        return cls(
            from_=Entity(id=strawberry.ID(step.source), label=step.source_label),
            predicate=step.predicate,
            to=Entity(id=strawberry.ID(step.target), label=step.target_label),
            explanation=step.explanation,
        )


@strawberry.type(description="A chain of facts linking two parties, each step explained.")
class ConflictPath:
    origin: Party
    destination: Party
    steps: list[PathStep]
    summary: str

    @strawberry.field(description="Number of steps.")
    def length(self) -> int:
        return len(self.steps)

    @classmethod
    def of(cls, path: model.ConflictPath) -> ConflictPath:
        return cls(
            origin=Party.of(path.origin),
            destination=Party.of(path.destination),
            steps=[PathStep.of(s) for s in path.steps],
            summary=path.summary,
        )


@strawberry.type(description="A claim to the mark that the priority rule does not favour.")
class CompetingClaim:
    party: Party
    basis: str
    date: str | None
    description: str
    sources: list[Source]
    lapsed: bool = strawberry.field(
        default=False, description="a dead right (only with includeLapsed); never decides"
    )
    ended: str | None = None
    end_reason: str | None = None

    @classmethod
    def of(cls, claim: model.CompetingClaim) -> CompetingClaim:
        return cls(
            party=Party.of(claim.party),
            basis=claim.basis,
            date=claim.date,
            description=claim.description,
            sources=_sources(claim.sources),
            lapsed=claim.lapsed,
            ended=claim.ended,
            end_reason=claim.end_reason,
        )


@strawberry.type(description="Who holds priority to a mark in a class and jurisdiction.")
class Priority:
    mark: str
    nice_class: int
    jurisdiction: Jurisdiction
    rule: str | None = strawberry.field(
        description="first-to-file or first-to-use; null where tmkg knows no rule"
    )
    rule_basis: str | None = strawberry.field(description="the rule's legal basis")
    holder: Party | None = strawberry.field(description="null when no rule decides")
    date: str | None
    holding: strawberry.ID | None = strawberry.field(description="IRI of the deciding holding")
    explanation: str
    competing_claims: list[CompetingClaim]
    sources: list[Source]

    @classmethod
    def of(cls, finding: model.PriorityFinding) -> Priority:
        return cls(
            mark=finding.mark,
            nice_class=finding.nice_class,
            jurisdiction=Jurisdiction(code=finding.jurisdiction),
            rule=finding.rule,
            rule_basis=finding.rule_basis,
            holder=Party.of(finding.holder) if finding.holder else None,
            date=finding.date,
            holding=strawberry.ID(finding.holding) if finding.holding else None,
            explanation=finding.explanation,
            competing_claims=[CompetingClaim.of(c) for c in finding.competing_claims],
            sources=_sources(finding.sources),
        )


@strawberry.type(description="One value a contradiction's sources give.")
class ContradictionSide:
    value: str
    sources: list[Source]


@strawberry.type(description="One fact given incompatible values, each with its sources.")
class Contradiction:
    subject: Entity
    property: str = strawberry.field(description="IRI of the property")
    kind: str
    explanation: str
    sides: list[ContradictionSide]

    @classmethod
    def of(cls, found: model.Contradiction) -> Contradiction:
        return cls(
            subject=Entity(id=strawberry.ID(found.subject), label=found.subject_label),
            property=found.property,
            kind=found.kind,
            explanation=found.explanation,
            sides=[
                ContradictionSide(value=s.value, sources=_sources(s.sources)) for s in found.sides
            ],
        )


@strawberry.type(
    description="A party, mark or case matching a search; follow the field of its kind."
)
class SearchHit:
    kind: SearchKind
    id: strawberry.ID
    label: str
    matched: str = strawberry.field(description="the name, text or number that matched")
    score: float = strawberry.field(description="match score, 0-1")

    @classmethod
    def of(cls, hit: model.SearchHit) -> SearchHit:
        return cls(
            kind=SearchKind(hit.kind),
            id=strawberry.ID(hit.id),
            label=hit.label,
            matched=hit.matched,
            score=hit.score,
        )

    @strawberry.field(description="The party, when the hit is one.")
    async def party(self, info: Info) -> Party | None:
        return await _party(info, self.id) if self.kind is SearchKind.PARTY else None

    @strawberry.field(description="The mark, when the hit is one.")
    def mark(self) -> Mark | None:
        return Mark(id=self.id, text=self.label) if self.kind is SearchKind.MARK else None

    @strawberry.field(description="The case, when the hit is one.")
    async def case(self, info: Info) -> Case | None:
        if self.kind is not SearchKind.CASE:
            return None
        summary = await info.context.loaders.case.load(self.id)
        return Case.of(summary) if summary else None
