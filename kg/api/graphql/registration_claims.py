"""GraphQL types for what an application claims: Paris priority claims and mark statements
(translation, transliteration, disclaimer), copied from `kg.analysis.registration_claims`."""

from __future__ import annotations

from typing import Any

import strawberry

from kg.analysis import model
from kg.analysis.registration_claims import MarkStatement as MarkStatementRef
from kg.analysis.registration_claims import PriorityClaimRef

__all__ = ["MarkStatement", "PriorityClaim", "registration_claim_fields"]


@strawberry.type(
    description="A Paris Convention priority claim (ST.96 Priority): the first filing, and "
    "whether it moves the application's effective date (filed within six months, Art. 4C(1))."
)
class PriorityClaim:
    country: str | None = strawberry.field(
        description="WIPO ST.3 code of the office of first filing, e.g. US or EM"
    )
    date: str | None = strawberry.field(description="filing date of the first application")
    application_number: str | None = strawberry.field(description="number of the first application")
    valid: bool = strawberry.field(
        description="true when the claim moves the effective date to `date`"
    )
    note: str = strawberry.field(description="why the claim moves the date, or why not")
    source_graphs: list[str] = strawberry.field(
        description="IRIs of the named graphs stating the claim"
    )

    @classmethod
    def of(cls, ref: PriorityClaimRef) -> PriorityClaim:
        return cls(
            country=ref.country,
            date=ref.date,
            application_number=ref.application_number,
            valid=ref.valid,
            note=ref.note,
            source_graphs=list(ref.sources),
        )


@strawberry.type(description="A translation, transliteration or disclaimer, in its language.")
class MarkStatement:
    text: str
    language: str | None = strawberry.field(description="BCP 47 language tag, e.g. en")

    @classmethod
    def of(cls, ref: MarkStatementRef) -> MarkStatement:
        return cls(text=ref.text, language=ref.language)


def registration_claim_fields(holding: model.Holding) -> dict[str, Any]:
    """The keyword arguments `Registration` takes for what the holding's application claims."""
    claims = holding.application_claims
    if claims is None:
        return {}
    return {
        "priority_claims": [PriorityClaim.of(c) for c in claims.priority_claims],
        "first_used_date": claims.first_used_date,
        "first_used_commerce_date": claims.first_used_commerce_date,
        "translations": [MarkStatement.of(s) for s in claims.translations],
        "transliterations": [MarkStatement.of(s) for s in claims.transliterations],
        "disclaimers": [MarkStatement.of(s) for s in claims.disclaimers],
    }
