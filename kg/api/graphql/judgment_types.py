"""GraphQL types for judgments and claims (`kg.analysis.judgments`), copied from the results
the service gives: every field a list of the values the sources state, each value with exactly
the sources that state it (values sources give differently are listed apart, never merged)."""

from __future__ import annotations

from collections.abc import Mapping

import strawberry

from kg.analysis import judgments as stated
from kg.analysis.model import SourceRef
from kg.api.graphql.loaders import Context
from kg.api.graphql.source_types import Source, Statement, statements_of
from kg.api.graphql.types import Case, Party

__all__ = ["Claim", "Judgment", "StatedParty", "StatedValue", "judgments_of_case"]

Info = strawberry.Info[Context, None]


def _sources(graphs: tuple[str, ...], refs: Mapping[str, SourceRef]) -> list[Source]:
    return [Source.of(refs.get(g) or SourceRef(graph=g)) for g in graphs]


@strawberry.type(
    description="One value sources give a field, with exactly the sources that state it: "
    "every source listed states this value, and no other source does."
)
class StatedValue:
    value: str = strawberry.field(
        description="a literal's text (an amount as a decimal, a date as precise as the "
        "source, an order) or an IRI (owl:sameAs resolved to the canonical one)"
    )
    text: str = strawberry.field(description="what to show: the value, or what the IRI names")
    sources: list[Source]
    identities: list[Source] = strawberry.field(
        description="the sources stating the owl:sameAs links the value is read through"
    )

    @classmethod
    def of(cls, value: stated.StatedValue, refs: Mapping[str, SourceRef]) -> StatedValue:
        return cls(
            value=value.value,
            text=value.text,
            sources=_sources(value.statement.sources, refs),
            identities=_sources(value.statement.identities, refs),
        )


@strawberry.type(
    description="A party that sources give a field (a payer, a payee, a court, a claimant), "
    "with exactly the sources that state it."
)
class StatedParty(StatedValue):
    """A `StatedValue` whose value is a party's IRI (its canonical record), `text` its name."""

    @strawberry.field(description="The party, merged over its owl:sameAs records.")
    async def party(self, info: Info) -> Party | None:
        ref = await info.context.loaders.party.load(self.value)
        return Party.of(ref) if ref else None


@strawberry.type(
    description="A judgment of a case as its sources state it: each field lists every value "
    "a source gives, each with its sources (two sources giving two amounts are two values)."
)
class Judgment:
    id: strawberry.ID
    case_id: strawberry.ID = strawberry.field(description="IRI of the case")
    dates: list[StatedValue] = strawberry.field(description="as precise as each source gives")
    courts: list[StatedParty] = strawberry.field(
        description="the judgment's court; its case's when no source names the judgment's "
        "(courtFromCase)"
    )
    court_from_case: bool = strawberry.field(
        description="true when no source names the judgment's court and `courts` are its case's"
    )
    instance: str | None = strawberry.field(
        description="the court's instance: the ontology has no term for it yet, so no source "
        "states it (null)"
    )
    damages: list[StatedValue] = strawberry.field(description="amounts ordered paid (decimals)")
    costs: list[StatedValue] = strawberry.field(description="costs ordered paid (decimals)")
    currencies: list[StatedValue] = strawberry.field(description="ISO 4217 codes, e.g. CNY")
    approximate_amounts_usd: list[StatedValue] = strawberry.field(
        description="a source's own conversion of the damages to US dollars"
    )
    payers: list[StatedParty] = strawberry.field(description="parties ordered to pay")
    payees: list[StatedParty] = strawberry.field(description="parties ordered paid")
    orders: list[StatedValue] = strawberry.field(description="non-monetary orders, one line each")
    descriptions: list[StatedValue]
    sources: list[Source] = strawberry.field(description="every source of the values above")
    statements: list[Statement] = strawberry.field(
        description="each value as a statement (subject, facts, sources, identities)"
    )

    @classmethod
    def of(cls, judgment: stated.Judgment) -> Judgment:
        refs = {ref.graph: ref for ref in judgment.sources}

        def values(found: tuple[stated.StatedValue, ...]) -> list[StatedValue]:
            return [StatedValue.of(v, refs) for v in found]

        def parties(found: tuple[stated.StatedValue, ...]) -> list[StatedParty]:
            return [StatedParty.of(v, refs) for v in found]

        return cls(
            id=strawberry.ID(judgment.id),
            case_id=strawberry.ID(judgment.case),
            dates=values(judgment.dates),
            courts=parties(judgment.courts),
            court_from_case=judgment.court_from_case,
            instance=judgment.instance,
            damages=values(judgment.damages),
            costs=values(judgment.costs),
            currencies=values(judgment.currencies),
            approximate_amounts_usd=values(judgment.approximate_amounts_usd),
            payers=parties(judgment.payers),
            payees=parties(judgment.payees),
            orders=values(judgment.orders),
            descriptions=values(judgment.descriptions),
            sources=[Source.of(ref) for ref in judgment.sources],
            statements=statements_of(judgment.statements, judgment.sources),
        )

    @strawberry.field(description="The case the judgment belongs to.")
    async def case(self, info: Info) -> Case | None:
        summary = await info.context.loaders.case.load(str(self.case_id))
        return Case.of(summary) if summary else None


@strawberry.type(
    description="A claim to a mark a source reports (a first-use, ownership or filing claim), "
    "as one claimant makes it: each value with exactly the sources that state it and name "
    "this claimant."
)
class Claim:
    id: strawberry.ID
    claimant: StatedParty
    kinds: list[StatedValue] = strawberry.field(
        description="what is claimed: an IRI of tm:FirstUseClaim, tm:OwnershipClaim or "
        "tm:FilingClaim, its text 'first-use claim'..."
    )
    marks: list[StatedValue] = strawberry.field(description="the marks claimed (text: the mark)")
    jurisdictions: list[StatedValue] = strawberry.field(description="where (text: its name)")
    dates: list[StatedValue] = strawberry.field(description="the dates the claimant gives")
    descriptions: list[StatedValue]
    sources: list[Source]
    statements: list[Statement]

    @classmethod
    def of(cls, claim: stated.Claim) -> Claim:
        refs = {ref.graph: ref for ref in claim.sources}

        def values(found: tuple[stated.StatedValue, ...]) -> list[StatedValue]:
            return [StatedValue.of(v, refs) for v in found]

        return cls(
            id=strawberry.ID(claim.id),
            claimant=StatedParty.of(claim.claimant, refs),
            kinds=values(claim.kinds),
            marks=values(claim.marks),
            jurisdictions=values(claim.jurisdictions),
            dates=values(claim.dates),
            descriptions=values(claim.descriptions),
            sources=[Source.of(ref) for ref in claim.sources],
            statements=statements_of(claim.statements, claim.sources),
        )


async def judgments_of_case(info: Info, case: str) -> list[Judgment]:
    """The judgments of a case (canonical IRI), read for every case of the request at once."""
    return [Judgment.of(j) for j in await info.context.loaders.judgments_of_case.load(case)]
