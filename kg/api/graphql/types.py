"""The GraphQL object types: thin dataclass wrappers over `kg.analysis.model` results.

Each type copies a result's fields (``Party.of(PartyRef)``); the fields a user follows to
other objects (a party's registrations, a mark's uses, a case's events, an owner) resolve
through the request's DataLoaders (`kg.api.graphql.loaders`), never one query per object.
Dates are strings because sources give partial dates (``2004``, ``2004-09``).
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import pycountry
import strawberry

from kg.analysis import model
from kg.analysis.dates import PartialDate
from kg.analysis.ownership import owner_periods
from kg.analysis.similarity import REASONS
from kg.api.graphql.coverage_types import (
    CoveredJurisdiction,
    Designation,
    coverage_of,
    designations_of,
)
from kg.api.graphql.loaders import Context, SourcedHolding
from kg.api.graphql.mark_kind_types import GoodsServices
from kg.api.graphql.registration_claims import (
    MarkStatement,
    PriorityClaim,
    registration_claim_fields,
)
from kg.api.graphql.source_types import Source, Statement, statements_of
from kg.reference import regional_systems

if TYPE_CHECKING:
    from kg.api.graphql.judgment_types import Judgment

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
    "OwnerPeriod",
    "OwnershipChange",
    "PageInfo",
    "Party",
    "PathStep",
    "Priority",
    "Proceeding",
    "Registration",
    "SearchHit",
    "SearchKind",
    "Source",
    "TimelineEntry",
    "Use",
    "proceedings_matching",
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


def _sources(refs: tuple[model.SourceRef, ...]) -> list[Source]:
    return [Source.of(ref) for ref in refs]


@strawberry.type(
    description="A jurisdiction: an ISO 3166-1 country, or a regional or international "
    "system (WIPO ST.3 code: EM, BX, OA, WO)."
)
class Jurisdiction:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. CN, or ST.3 EM")

    @strawberry.field(description="The country's (or the system's) English name.")
    def name(self) -> str | None:
        country = pycountry.countries.get(alpha_2=self.code)
        return country.name if country else regional_systems().get(self.code)

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
    country: Jurisdiction | None = strawberry.field(
        default=None,
        description="the party's country (tm:nationality): where a company is incorporated, "
        "of which a person is a national",
    )
    said: strawberry.Private[model.Cited | None] = None
    said_aliases: strawberry.Private[tuple[model.Cited, ...]] = ()

    @classmethod
    def of(cls, ref: model.PartyRef) -> Party:
        return cls(
            id=strawberry.ID(ref.id),
            name=ref.name,
            aliases=list(ref.aliases),
            iris=list(ref.iris),
            types=list(ref.types),
            country=Jurisdiction.of(ref.country),
            said=ref.name_statement,
            said_aliases=ref.alias_statements,
        )

    @strawberry.field(
        description="`name` as its sources state it (schema:name, or schema:alternateName for "
        "a party named only so), with every source stating it; null when no source names the "
        "party (its name is then the end of its IRI)"
    )
    async def name_statement(self, info: Info) -> Statement | None:
        if self.said is None:
            return None
        refs = await info.context.loaders.sources.load(self.id)
        return statements_of((self.said,), refs)[0]

    @strawberry.field(
        description="each of `aliases` as its sources state it (schema:name or "
        "schema:alternateName), in the order of `aliases`, with every source stating it"
    )
    async def alias_statements(self, info: Info) -> list[Statement]:
        if not self.said_aliases:
            return []
        refs = await info.context.loaders.sources.load(self.id)
        return statements_of(self.said_aliases, refs)

    @strawberry.field(
        description="Registrations the party owns (alone or with co-owners), each once."
    )
    async def registrations(self, info: Info) -> list[Registration]:
        held = await info.context.loaders.holdings_of_party.load(self.id)
        return _registrations(held, party=self.id)

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

    @strawberry.field(
        description="Registrations of the mark, in every jurisdiction, each once (a co-owned "
        "registration lists its owners in `owners`)."
    )
    async def registrations(self, info: Info) -> list[Registration]:
        held = await info.context.loaders.holdings_of_mark.load(self.id)
        return _registrations(held)

    @strawberry.field(description="Uses of the mark, in every jurisdiction.")
    async def uses(self, info: Info) -> list[Use]:
        held = await info.context.loaders.holdings_of_mark.load(self.id)
        return [Use.of(h) for h in held if h.holding.kind is not model.HoldingKind.REGISTERED_OWNER]

    @strawberry.field(description="Sources that state anything about the mark.")
    async def sources(self, info: Info) -> list[Source]:
        return _sources(await info.context.loaders.sources.load(self.id))


def _registrations(held: list[SourcedHolding], party: str | None = None) -> list[Registration]:
    """One `Registration` per registration among `held` (the analyses give a co-owned
    registration one holding per owner), in the order first met, with every owner and the
    sources of all its holdings; with `party`, only the registrations it owns."""
    grouped: dict[str, list[SourcedHolding]] = {}
    for sourced in held:
        if sourced.holding.kind is model.HoldingKind.REGISTERED_OWNER:
            grouped.setdefault(sourced.holding.id, []).append(sourced)
    found = []
    for group in grouped.values():
        owners = [s.holding.party for s in group]
        owners += [o for s in group for o in s.holding.recorded_owners]
        if party is not None and party not in owners:
            continue
        sources = {ref.graph: ref for s in group for ref in s.sources}
        first = SourcedHolding(group[0].holding, tuple(sources[g] for g in sorted(sources)))
        found.append(Registration.of(first, owners=tuple(dict.fromkeys(owners))))
    return found


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
    owner_ids: strawberry.Private[tuple[str, ...]]
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
    holding: strawberry.Private[model.Holding | None] = None
    mark_feature: str | None = strawberry.field(
        default=None,
        description="the kind of mark (schema/mark-features.ttl, after ST.66 MarkFeature): "
        "word, stylized-characters, figurative, combined, three-dimensional, colour, sound, "
        "hologram, olfactory, motion, position, pattern, multimedia, other; null if unstated",
    )
    vienna_codes: list[str] = strawberry.field(
        default_factory=list,
        description='Vienna Classification codes of the figurative elements ("26.01.03")',
    )
    verbal_element: str | None = strawberry.field(
        default=None,
        description="the mark's words as the office records them (ST.96 "
        "MarkVerbalElementText), apart from placeholder text; compared instead of the mark's "
        "text where stated",
    )
    goods_services: list[GoodsServices] = strawberry.field(
        default_factory=list,
        description="goods and services per class (Nice or national), with their texts",
    )
    priority_claims: list[PriorityClaim] = strawberry.field(
        default_factory=list,
        description="Paris Convention priority claims of the application (ST.96 Priority)",
    )
    first_used_date: str | None = strawberry.field(
        default=None, description="first use anywhere, as the application states it"
    )
    first_used_commerce_date: str | None = strawberry.field(
        default=None, description="first use in commerce, as the application states it"
    )
    translations: list[MarkStatement] = strawberry.field(
        default_factory=list, description="translations of the mark's words"
    )
    transliterations: list[MarkStatement] = strawberry.field(
        default_factory=list, description="transliterations of the mark's words"
    )
    disclaimers: list[MarkStatement] = strawberry.field(
        default_factory=list, description="parts of the mark no exclusive right is claimed in"
    )

    @classmethod
    def of(cls, sourced: SourcedHolding, owners: tuple[str, ...] = ()) -> Registration:
        """The registration of a holding; `owners` its owners (default: the holding's)."""
        h = sourced.holding
        owners = owners or (h.party,)
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
            owner_id=owners[0],
            owner_ids=owners,
            application_number=h.application_number,
            publication_date=h.publication_date,
            expiry_date=h.expiry_date,
            renewal_date=h.renewal_date,
            status=h.status,
            status_date=h.status_date,
            status_code=h.status_code,
            status_text=h.status_text,
            holding=h,
            **registration_claim_fields(h),
            mark_feature=h.mark_feature,
            vienna_codes=list(h.vienna_codes),
            verbal_element=h.verbal_element,
            goods_services=[GoodsServices.of(e) for e in h.goods_services],
        )

    @strawberry.field(
        description="The first of `owners`, kept for clients written before co-ownership was "
        "shown: a co-owned registration has more owners than this one."
    )
    async def owner(self, info: Info) -> Party | None:
        return await _party(info, self.owner_id)

    @strawberry.field(
        description="Every party the sources record as owner (tm:owner): one, or the "
        "co-owners of a co-owned registration, each once. Who owned it on a date, after "
        "assignments, is `ownersOverTime`."
    )
    async def owners(self, info: Info) -> list[Party]:
        found = await info.context.loaders.party.load_many(list(self.owner_ids))
        return [Party.of(ref) for ref in found if ref]

    @strawberry.field(
        description="Every owner over time, in the order they became owners: since the change "
        "that made each one owner (an original owner: since the registration date, else the "
        "filing date; null when neither is known), until the change that ended it "
        "(null: still the owner). Security interests change no owner. A register record "
        "dated by the day it states the registration as of names the owners of that day: "
        "where they are not the chain's, they are the owners from then (namedOn, unnamedOn)."
    )
    async def owners_over_time(self, info: Info) -> list[OwnerPeriod]:
        h = self.holding
        if h is None:
            return []
        changes, _, records = await info.context.loaders.ownership.load(h.id)
        began = h.registration_date or h.filing_date  # an original owner's "since"
        found = owner_periods(
            h.recorded_owners or (h.party,),
            changes,
            began=began,
            records=records,
            filed=h.filing_date,
        )
        return [OwnerPeriod.of(period) for period in found]

    @strawberry.field(
        description="Recorded changes of owner (assignments, mergers, changes of name) and "
        "security interests, by date."
    )
    async def ownership_changes(self, info: Info) -> list[OwnershipChange]:
        changes, _, _ = await info.context.loaders.ownership.load(str(self.id))
        return [OwnershipChange.of(c) for c in changes]

    @strawberry.field(description="Agents or attorneys representing the owner before the office.")
    async def representatives(self, info: Info) -> list[Party]:
        _, iris, _ = await info.context.loaders.ownership.load(str(self.id))
        found = await info.context.loaders.party.load_many(list(iris))
        return [Party.of(ref) for ref in found if ref]

    @strawberry.field(description="Oppositions and cancellations against this registration.")
    async def proceedings(self, info: Info) -> list[Proceeding]:
        return await proceedings_matching(info, registration=str(self.id))

    @strawberry.field(
        description="The jurisdictions this right covers on `asOf` (YYYY, YYYY-MM or "
        "YYYY-MM-DD; default today) besides its own: an EU trade mark (EM), Benelux (BX) or "
        "OAPI (OA) mark its system's member states then (schema/regional-members.csv), an "
        "international registration (WO) each designation in force then; empty for a "
        "national right. Territory only: whether the right itself is in force is `status`."
    )
    async def coverage(self, info: Info, as_of: str | None = None) -> list[CoveredJurisdiction]:
        code = self.jurisdiction.code if self.jurisdiction else None
        return await coverage_of(info, str(self.id), code, as_of)

    @strawberry.field(
        description="The designations of an international registration (WO), each with its "
        "designated jurisdiction and its own status; empty for other registrations."
    )
    async def designations(self, info: Info) -> list[Designation]:
        return await designations_of(info, str(self.id))


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
    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="what it states, each statement with exactly the sources that state it",
    )

    @classmethod
    def of(cls, entry: model.TimelineEntry) -> TimelineEntry:
        return cls(
            date=entry.date,
            kind=entry.kind,
            subject=strawberry.ID(entry.subject),
            description=entry.description,
            parties=list(entry.parties),
            sources=_sources(entry.sources),
            statements=statements_of(entry.statements, entry.sources),
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
    kind: str | None = strawberry.field(
        default=None,
        description="for a proceeding before an office: opposition, cancellation or proceeding",
    )
    outcome: str | None = strawberry.field(
        default=None,
        description="for a proceeding: pending, upheld, partly upheld, rejected, withdrawn or "
        "settled",
    )
    office: Party | None = strawberry.field(
        default=None, description="for a proceeding: the trademark office it is before"
    )
    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="each value shown, with exactly the sources that state it",
    )

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
            statements=statements_of(summary.statements, summary.sources),
            kind=summary.kind,
            outcome=summary.outcome,
            office=Party.of(summary.office) if summary.office else None,
        )

    @strawberry.field(description="The case's events in date order, one entry per source date.")
    async def events(self, info: Info) -> list[TimelineEntry]:
        entries = await info.context.loaders.events_of_case.load(self.id)
        return [TimelineEntry.of(e) for e in entries]

    @strawberry.field(
        description="The case's judgments, earliest first: damages, costs, payers, payees, "
        "orders, court..., each value with exactly the sources that state it."
    )
    async def judgments(
        self, info: Info
    ) -> list[Annotated[Judgment, strawberry.lazy("kg.api.graphql.judgment_types")]]:
        from kg.api.graphql.judgment_types import judgments_of_case

        return await judgments_of_case(info, self.id)


@strawberry.type(
    description="An opposition or a cancellation before a trademark office (a case): the "
    "plaintiffs (opponents, applicants for cancellation) against the holders of the contested "
    "application or registration."
)
class Proceeding:
    id: strawberry.ID
    kind: str = strawberry.field(description="opposition, cancellation or proceeding")
    number: str | None = strawberry.field(description="the office's number for it")
    jurisdiction: Jurisdiction | None
    office: Party | None
    plaintiffs: list[Party] = strawberry.field(
        description="opponents (for a cancellation, the applicants for cancellation)"
    )
    holders: list[Party] = strawberry.field(
        description="defendants and owners of the contested application or registration"
    )
    contested: list[strawberry.ID] = strawberry.field(
        description="IRIs of the contested applications or registrations"
    )
    contested_numbers: list[str] = strawberry.field(
        description="their registration (else application) numbers"
    )
    marks: list[Mark] = strawberry.field(description="the contested marks")
    earlier_rights: list[strawberry.ID] = strawberry.field(
        description="IRIs of the earlier rights invoked (registrations, uses or marks)"
    )
    earlier_marks: list[Mark] = strawberry.field(description="the marks of the earlier rights")
    nice_classes: list[int] = strawberry.field(description="the classes opposed")
    filing_date: str | None
    decision_date: str | None
    outcome: str = strawberry.field(
        description="pending (also when unstated), upheld, partly upheld, rejected, withdrawn "
        "or settled"
    )
    description: str | None
    sources: list[Source]
    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="each value shown, with exactly the sources that state it",
    )

    @classmethod
    def of(cls, found: Any) -> Proceeding:
        """From a `kg.analysis.proceedings.Proceeding`."""
        return cls(
            id=strawberry.ID(found.id),
            kind=found.kind,
            number=found.number,
            jurisdiction=Jurisdiction.of(found.jurisdiction),
            office=Party.of(found.office) if found.office else None,
            plaintiffs=[Party.of(p) for p in found.plaintiffs],
            holders=[Party.of(p) for p in found.holders],
            contested=[strawberry.ID(r) for r in found.contested],
            contested_numbers=list(found.contested_numbers),
            marks=[Mark.of(m) for m in found.marks],
            earlier_rights=[strawberry.ID(r) for r in found.earlier_rights],
            earlier_marks=[Mark.of(m) for m in found.earlier_marks],
            nice_classes=list(found.classes),
            filing_date=found.filing_date,
            decision_date=found.decision_date,
            outcome=found.outcome or "pending",
            description=found.description,
            sources=_sources(found.sources),
            statements=statements_of(found.statements, found.sources),
        )


def _as_it_stood(proceeding: Proceeding, as_of: str | None) -> Proceeding:
    """`proceeding` on `as_of`: decided after that date, it was pending (no decision yet)."""
    decided = PartialDate.try_parse(proceeding.decision_date)
    asked = PartialDate.try_parse(as_of)
    if decided is None or asked is None or decided.first_day <= asked.last_day:
        return proceeding
    return dataclasses.replace(proceeding, outcome="pending", decision_date=None)


async def proceedings_matching(info: Info, **filters: Any) -> list[Proceeding]:
    """The proceedings matching `Analyst.proceedings` filters, from the service."""
    analyst = info.context.runner.analyst
    found = await info.context.runner.run(lambda: analyst.proceedings(**filters))
    return [Proceeding.of(p) for p in found]


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
        description=(
            f"why the marks match (docs/similarity.md): {', '.join(REASONS)}; "
            "stated-translation, stated-transliteration "
            "(the registration says so); combined-mark (a mark in the graph shows both names "
            "in two scripts side by side); owner-names (one party holds both marks, each one "
            "of its names)"
        )
    )
    holdings: list[strawberry.ID] = strawberry.field(description="IRIs of the holdings")

    @strawberry.field
    def sources(self) -> list[Source]:
        return _sources(self.usage.sources)

    status: str | None = strawberry.field(
        default=None, description="normalized status of the registrations; null if unstated"
    )
    lapsed: bool = strawberry.field(
        default=False, description="a dead right on the date asked (only with includeLapsed)"
    )
    ended: str | None = strawberry.field(default=None, description="when the right ended")
    end_reason: str | None = strawberry.field(default=None, description="why the right ended")
    mark_feature: str | None = strawberry.field(
        default=None, description="the kind of mark of the registrations, null if unstated"
    )
    verbal_element: str | None = strawberry.field(
        default=None, description="the registration's verbal element compared, where stated"
    )
    national_classes: list[str] = strawberry.field(
        default_factory=list,
        description='classes of an office\'s own scheme, "{scheme} {code}" ("tw-national 032")',
    )
    vienna_codes: list[str] = strawberry.field(
        default_factory=list, description="Vienna Classification codes of the marks"
    )

    @strawberry.field(
        description="goods and services per class (Nice or national), with their texts"
    )
    def goods_services(self) -> list[GoodsServices]:
        return [GoodsServices.of(e) for e in self.usage.goods_services]

    via: str | None = strawberry.field(
        default=None,
        description="the regional or international right through which the hit counts in the "
        'jurisdiction asked: "EM", "BX", "OA", "WO/DE" (a Madrid designation of DE), "WO/EM"; '
        "null for a national right",
    )
    # the hit itself: its lists of sources, statements and goods are built when asked for
    # (the statements and their sources cost ~18 µs a hit; most queries ask for none of them)
    usage: strawberry.Private[model.MarkUsage]

    @strawberry.field(description="the sources stating the `since` date")
    def since_sources(self) -> list[Source]:
        return _sources(self.usage.since_sources)

    @strawberry.field(
        description="what it states, each statement with exactly the sources that state it"
    )
    def statements(self) -> list[Statement]:
        return statements_of(self.usage.statements, self.usage.sources)

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
            status=usage.status,
            lapsed=usage.lapsed,
            ended=usage.ended,
            end_reason=usage.end_reason,
            mark_feature=usage.mark_feature,
            verbal_element=usage.verbal_element,
            national_classes=list(usage.national_classes),
            vienna_codes=list(usage.vienna_codes),
            via=usage.via,
            usage=usage,
        )


@strawberry.type(description="Two parties holding similar marks in related classes.")
class Conflict:
    parties: list[Party] = strawberry.field(
        description="one holder of each side's right (the first of `holders`)"
    )
    marks: list[Mark | None] = strawberry.field(
        description="each party's mark, in the same order; null for the opponent of an "
        'opposition or cancellation that states no earlier right (reasons: "no earlier right '
        'stated") and has no similar mark of its own in the conflict'
    )
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
    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="what it shows of each right (holder and mark, place, classes), and "
        "where the marks match through the graph's evidence (reasons combined-mark, "
        "owner-names, stated-translation, stated-transliteration) the statements it rests on; each "
        "statement with exactly the sources that state it",
    )
    holders: list[list[Party]] = strawberry.field(
        default_factory=list,
        description="every holder of each side's right, in the order of `parties`: the "
        "co-owners of a co-owned registration, that side's party first, then the others by "
        "name (one conflict per pair of rights, not one per pair of co-owners)",
    )
    proceeding_ids: strawberry.Private[tuple[str, ...]] = ()
    as_of: strawberry.Private[str | None] = None

    @strawberry.field(
        description="The oppositions or cancellations between the two parties behind it, as "
        "they stood on the date asked: one decided later is pending, with no decision date."
    )
    async def proceedings(self, info: Info) -> list[Proceeding]:
        if not self.proceeding_ids:
            return []
        wanted = set(self.proceeding_ids)
        found = await proceedings_matching(info)
        return [_as_it_stood(p, self.as_of) for p in found if p.id in wanted]

    @classmethod
    def of(cls, pair: model.ConflictPair, as_of: str | None = None) -> Conflict:
        return cls(
            as_of=as_of,
            parties=[Party.of(p) for p in pair.parties],
            holders=[[Party.of(p) for p in side] for side in pair.holders],
            marks=[Mark.of(m) if m else None for m in pair.marks],
            jurisdiction=Jurisdiction.of(pair.jurisdiction),
            score=pair.score,
            mark_similarity=pair.mark_similarity,
            class_relatedness=pair.class_relatedness,
            reasons=list(pair.reasons),
            holdings=[strawberry.ID(h) for h in pair.holdings],
            sources=_sources(pair.sources),
            lapsed=pair.lapsed,
            statements=statements_of(pair.statements, pair.sources),
            proceeding_ids=pair.proceedings,
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
    party: Party | None = strawberry.field(
        default=None,
        description="the party `party` named (a name, alias or IRI), as it was found; null "
        "when no party was asked",
    )

    @strawberry.field(description="The conflicts of this page (the edges' nodes).")
    def nodes(self) -> list[Conflict]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="One link of a conflict path, as a sentence, with its sources.")
class PathStep:
    from_: Entity = strawberry.field(name="from")
    predicate: str = strawberry.field(
        description="IRI of the linking property: tm:owner or tm:user (a party holding or "
        "using a mark, through `via`), tm:onBehalfOf (a mark used on a brand owner's behalf, "
        "or the partner's tie to it), tm:similarMark (two similar marks), else the fact's own"
    )
    to: Entity
    explanation: str
    sources: list[Source] = strawberry.field(
        description="the sources of the step's statements, identity sources included"
    )
    statements: list[Statement] = strawberry.field(
        description="what the step rests on, each with exactly the sources stating it (a "
        "similarity step: the two marks' texts)"
    )
    via: Entity | None = strawberry.field(
        description="the registration or use a holding step or partner tie goes through"
    )
    similarity: float | None = strawberry.field(
        description="for two similar marks: their similarity in [0, 1]"
    )
    reasons: list[str] = strawberry.field(description="for two similar marks: why, strongest first")
    lapsed: str | None = strawberry.field(
        description="when and why the registration or application `via` ended, if it is dead "
        "today ('on 2020-06-01: expired (its term ended, no renewal recorded)')"
    )

    @classmethod
    def of(cls, step: model.PathStep) -> PathStep:
        return cls(
            from_=Entity(id=strawberry.ID(step.source), label=step.source_label),
            predicate=step.predicate,
            to=Entity(id=strawberry.ID(step.target), label=step.target_label),
            explanation=step.explanation,
            sources=_sources(step.sources),
            statements=statements_of(step.statements, step.sources),
            via=Entity(id=strawberry.ID(step.via), label=step.via_label or "")
            if step.via
            else None,
            similarity=step.similarity,
            reasons=list(step.reasons),
            lapsed=step.lapsed,
        )


@strawberry.type(description="A chain of facts linking two parties, each step explained.")
class ConflictPath:
    origin: Party
    destination: Party
    steps: list[PathStep]
    summary: str
    kind: str = strawberry.field(
        description='"mark conflict", "proceeding", "business tie" or "other"; mark '
        "conflicts come first"
    )

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
            kind=path.kind,
        )


@strawberry.type(description="A claim to the mark that the priority rule does not favour.")
class CompetingClaim:
    party: Party = strawberry.field(description="the claimant (the first of `holders`)")
    basis: str
    date: str | None
    description: str
    sources: list[Source]
    lapsed: bool = strawberry.field(
        default=False, description="a dead right (only with includeLapsed); never decides"
    )
    ended: str | None = None
    end_reason: str | None = None
    effective_date: str | None = strawberry.field(
        default=None, description="the date the claim counts from under the rule (null: never)"
    )
    effective_basis: str | None = strawberry.field(
        default=None,
        description="why it counts from then (filing, Paris priority, first use in commerce, "
        "use, constructive use) or why it does not count",
    )

    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="what it states, each statement with exactly the sources that state it",
    )
    holders: list[Party] = strawberry.field(
        default_factory=list,
        description="every holder of the right claimed, `party` first, then its co-owners "
        "by name: a co-owned registration is one claim",
    )

    @classmethod
    def of(cls, claim: model.CompetingClaim) -> CompetingClaim:
        return cls(
            party=Party.of(claim.party),
            holders=[Party.of(p) for p in claim.holders],
            basis=claim.basis,
            date=claim.date,
            description=claim.description,
            sources=_sources(claim.sources),
            statements=statements_of(claim.statements, claim.sources),
            lapsed=claim.lapsed,
            ended=claim.ended,
            end_reason=claim.end_reason,
            effective_date=claim.effective_date,
            effective_basis=claim.effective_basis,
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
    holder: Party | None = strawberry.field(
        description="null when no rule decides; a co-owned right's first holder (all in `holders`)"
    )
    holders: list[Party] = strawberry.field(
        description="every holder of the deciding right, `holder` first, then its co-owners "
        "by name: they hold priority jointly; empty when no rule decides"
    )
    date: str | None
    holding: strawberry.ID | None = strawberry.field(description="IRI of the deciding holding")
    explanation: str
    competing_claims: list[CompetingClaim]
    sources: list[Source]
    date_basis: str | None = strawberry.field(
        default=None,
        description="why the holder counts from `date`: filing, registration, Paris "
        "priority, first use in commerce, use, or constructive use",
    )

    statements: list[Statement] = strawberry.field(
        default_factory=list,
        description="what it states, each statement with exactly the sources that state it",
    )

    @classmethod
    def of(cls, finding: model.PriorityFinding) -> Priority:
        return cls(
            mark=finding.mark,
            nice_class=finding.nice_class,
            jurisdiction=Jurisdiction(code=finding.jurisdiction),
            rule=finding.rule,
            rule_basis=finding.rule_basis,
            holder=Party.of(finding.holder) if finding.holder else None,
            holders=[Party.of(p) for p in finding.holders],
            date=finding.date,
            holding=strawberry.ID(finding.holding) if finding.holding else None,
            explanation=finding.explanation,
            competing_claims=[CompetingClaim.of(c) for c in finding.competing_claims],
            sources=_sources(finding.sources),
            statements=statements_of(finding.statements, finding.sources),
            date_basis=finding.date_basis,
        )


@strawberry.type(description="One value a contradiction's sources give.")
class ContradictionSide:
    value: str
    sources: list[Source]
    statements: list[Statement] = strawberry.field(
        default_factory=list, description="the value as its sources state it"
    )


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
                ContradictionSide(
                    value=s.value,
                    sources=_sources(s.sources),
                    statements=statements_of(s.statements, s.sources),
                )
                for s in found.sides
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


@strawberry.type(
    description="A recorded change of a registration's owner (Assignment, Merger, NameChange) "
    "or a SecurityInterest, which changes no owner."
)
class OwnershipChange:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="Assignment, Merger, NameChange, OwnershipChange or SecurityInterest"
    )
    date: str | None = strawberry.field(
        description="the day it took effect, or with dateIsUpperBound the latest day it may have"
    )
    date_is_upper_bound: bool = strawberry.field(
        default=False,
        description="true when `date` is only the latest day the change may have taken effect "
        "(the office's record shows it had by then, tm:dateIsUpperBound)",
    )
    recordal_date: str | None = strawberry.field(description="the day the office recorded it")
    conveyance: str | None = strawberry.field(description="the office's conveyance text")
    assignor_ids: strawberry.Private[tuple[str, ...]] = ()
    assignee_ids: strawberry.Private[tuple[str, ...]] = ()

    @classmethod
    def of(cls, change: model.OwnershipChange) -> OwnershipChange:
        return cls(
            id=strawberry.ID(change.id),
            kind=change.kind,
            date=change.date,
            date_is_upper_bound=change.date_bound,
            recordal_date=change.recorded,
            conveyance=change.conveyance,
            assignor_ids=change.assignors,
            assignee_ids=change.assignees,
        )

    @strawberry.field(description="The parties the right passed from (a security's grantor).")
    async def assignors(self, info: Info) -> list[Party]:
        found = await info.context.loaders.party.load_many(list(self.assignor_ids))
        return [Party.of(ref) for ref in found if ref]

    @strawberry.field(description="The parties the right passed to (a security's secured party).")
    async def assignees(self, info: Info) -> list[Party]:
        found = await info.context.loaders.party.load_many(list(self.assignee_ids))
        return [Party.of(ref) for ref in found if ref]

    @strawberry.field(description="Sources that record the change.")
    async def sources(self, info: Info) -> list[Source]:
        return _sources(await info.context.loaders.sources.load(str(self.id)))


@strawberry.type(description="One party's time as an owner of a registration.")
class OwnerPeriod:
    since: str | None = strawberry.field(
        description="the date it acquired the right (an original owner: the registration "
        "date, else the filing date)"
    )
    until: str | None = strawberry.field(description="the date it lost it (null: still owner)")
    acquired_by: OwnershipChange | None = strawberry.field(
        description="the change that made it owner"
    )
    ended_by: OwnershipChange | None = strawberry.field(description="the change that ended it")
    named_on: str | None = strawberry.field(
        default=None,
        description="where no recorded change made it owner: the day of the register's record "
        "(tm:recordDate) that names it owner when the chain of changes does not (it held the "
        "right on or before that day)",
    )
    unnamed_on: str | None = strawberry.field(
        default=None,
        description="where no recorded change ended its time: the day of the register's "
        "record that names other owners",
    )
    party_id: strawberry.Private[str] = ""

    @classmethod
    def of(cls, period: model.OwnerPeriod) -> OwnerPeriod:
        return cls(
            since=period.since,
            until=period.until,
            acquired_by=OwnershipChange.of(period.acquired_by) if period.acquired_by else None,
            ended_by=OwnershipChange.of(period.ended_by) if period.ended_by else None,
            named_on=period.named_on,
            unnamed_on=period.unnamed_on,
            party_id=period.party,
        )

    @strawberry.field(description="The owner.")
    async def party(self, info: Info) -> Party | None:
        return await _party(info, self.party_id)
