"""GraphQL types of regional and international rights (issue 13, item 7).

`Registration.coverage(asOf)` lists the jurisdictions an EU trade mark (EM), a Benelux (BX) or
OAPI (OA) mark, or an international registration (WO) covers on a date, each with the route
("EM", "WO/DE", "WO/EM"); `Registration.designations` lists an international registration's
designations, each with its own status. Both call `kg.analysis.coverage`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.analysis import model
from kg.analysis.arguments import check
from kg.analysis.coverage import designations, registration_coverage
from kg.analysis.dates import PartialDate

if TYPE_CHECKING:
    from kg.api.graphql.types import Info, Jurisdiction, Source

__all__ = ["CoveredJurisdiction", "Designation", "coverage_of", "designations_of"]

_Jurisdiction = Annotated["Jurisdiction", strawberry.lazy("kg.api.graphql.types")]
_Source = Annotated["Source", strawberry.lazy("kg.api.graphql.types")]


@strawberry.type(
    description="A jurisdiction a regional or international right covers on a date, and "
    "through what."
)
class CoveredJurisdiction:
    jurisdiction: _Jurisdiction
    via: str = strawberry.field(
        description='the route: "EM", "BX" or "OA" (a member state of the regional system), '
        '"WO/DE" (a Madrid designation of DE), "WO/EM" (a designation of EM, so its members)'
    )
    since: str | None = strawberry.field(
        description="the first day of coverage: the state's membership or the designation"
    )

    @classmethod
    def of(cls, found: model.CoveredJurisdiction) -> CoveredJurisdiction:
        from kg.api.graphql.types import Jurisdiction

        return cls(jurisdiction=Jurisdiction(code=found.code), via=found.via, since=found.since)


@strawberry.type(
    description="A designation of an international registration (Madrid system): the "
    "designated Contracting Party and the designation's own status."
)
class Designation:
    id: strawberry.ID
    jurisdiction: _Jurisdiction
    designation_date: str | None = strawberry.field(description="the designation took effect on")
    status: str | None = strawberry.field(
        description="normalized status (schema/status.ttl), e.g. registered or refused; null "
        "when unstated (read as in force)"
    )
    status_date: str | None = strawberry.field(description="the status took effect on")
    status_code: str | None = strawberry.field(description="the office's own status code")
    status_text: str | None = strawberry.field(description="the office's own status text")
    sources: list[_Source]

    @classmethod
    def of(cls, found: model.Designation, sources: tuple[model.SourceRef, ...]) -> Designation:
        from kg.api.graphql.types import Jurisdiction, Source

        return cls(
            id=strawberry.ID(found.id),
            jurisdiction=Jurisdiction(code=found.jurisdiction),
            designation_date=found.designation_date,
            status=found.status,
            status_date=found.status_date,
            status_code=found.status_code,
            status_text=found.status_text,
            sources=[Source.of(ref) for ref in sources],
        )


async def coverage_of(
    info: Info, registration: str, jurisdiction: str | None, as_of: str | None
) -> list[CoveredJurisdiction]:
    """The resolver of `Registration.coverage`: `asOf` checked as every date argument is."""
    when = check(as_of=as_of)["as_of"] or PartialDate.of(dt.date.today())
    analyst = info.context.runner.analyst
    found = await info.context.runner.run(
        lambda: registration_coverage(analyst.facts, registration, jurisdiction, when)
    )
    return [CoveredJurisdiction.of(c) for c in found]


async def designations_of(info: Info, registration: str) -> list[Designation]:
    """The resolver of `Registration.designations`."""
    analyst = info.context.runner.analyst

    def read() -> list[Designation]:
        facts = analyst.facts
        key = facts.identities.canonical(registration)
        found = designations(facts, [registration]).get(key, [])
        return [Designation.of(d, facts.source_refs(d.sources)) for d in found]

    return await info.context.runner.run(read)
