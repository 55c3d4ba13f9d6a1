"""The GraphQL type of `compareMarks`: two marks compared (`kg.analysis.model.MarkComparison`,
`kg.analysis.service.Analyst.compare`)."""

from __future__ import annotations

import strawberry

from kg.analysis import model

__all__ = ["MarkComparison"]


@strawberry.type(
    description="Two marks compared as `whoElseUses` and `conflicts` compare every pair: the "
    "score, whether it reaches the floor asked, the rules that fired and what of each mark "
    "was compared (docs/similarity.md)."
)
class MarkComparison:
    earlier: str
    later: str
    score: float = strawberry.field(description="0-1, the same either way round")
    similar: bool = strawberry.field(description="the score is at least `minSimilarity`")
    min_similarity: float
    reasons: list[str] = strawberry.field(
        description="the rules that fired, strongest first (`exact`, `containment`, `phonetic`, "
        "`short`...); empty when none did"
    )
    notes: list[str] = strawberry.field(
        description="what the comparison rests on beyond the letters: a meaning and its "
        "dictionary, the element of a mark in two scripts compared, what was set aside as "
        "naming no source (a legal form, an address), a figure not compared"
    )
    compared_earlier: str | None = strawberry.field(
        description="the earlier mark's verbal element as compared; null for a figure"
    )
    compared_later: str | None = strawberry.field(
        description="the later mark's verbal element as compared; null for a figure"
    )
    romanized_earlier: str = strawberry.field(
        description="the compared element in Latin capitals (pinyin for Chinese), whose edits "
        "the score counts"
    )
    romanized_later: str
    jurisdiction: str | None = strawberry.field(
        description="the office whose names for a figure applied; null: every office's"
    )

    @classmethod
    def of(cls, found: model.MarkComparison) -> MarkComparison:
        return cls(**found.to_dict())  # the same fields, lists for tuples
