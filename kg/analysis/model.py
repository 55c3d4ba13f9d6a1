"""Typed results of the analyses: frozen dataclasses that convert to dicts, JSON and rows.

Every result carries the sources of the facts it rests on, so each answer can be checked.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Generic, TypeVar

__all__ = [
    "CaseSummary",
    "CompetingClaim",
    "ConflictPair",
    "ConflictPath",
    "Contradiction",
    "ContradictionSide",
    "Holding",
    "HoldingKind",
    "MarkRef",
    "MarkUsage",
    "PartyRef",
    "PathStep",
    "PriorityFinding",
    "Result",
    "ResultList",
    "SearchHit",
    "SourceRef",
    "TimelineEntry",
]


class Result:
    """Conversions shared by every result type."""

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (enums as their values), ready for JSON."""
        return _plain(dataclasses.asdict(self))  # type: ignore[call-overload]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def row(self) -> dict[str, Any]:
        """A flat dict for a table row or a pandas DataFrame (lists joined with '; ')."""
        flat: dict[str, Any] = {}
        for key, value in self.to_dict().items():
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


def _plain(value: Any) -> Any:
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


@dataclass(frozen=True)
class SourceRef(Result):
    """A source a fact comes from: its named graph and its description."""

    graph: str
    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class PartyRef(Result):
    """A party, with the IRIs and names of every record linked to it by owl:sameAs."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    iris: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


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
    status_text: str | None = None
    """The office's own status text, as the source gives it."""
    lapsed: bool = False
    """Set by `kg.analysis.lifecycle.on_date`: a dead right on the date asked."""
    ended: str | None = None
    end_reason: str | None = None


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


@dataclass(frozen=True)
class ConflictPair(Result):
    """Two parties holding similar marks in related classes in one jurisdiction."""

    parties: tuple[PartyRef, PartyRef]
    marks: tuple[MarkRef, MarkRef]
    jurisdiction: str | None
    score: float
    mark_similarity: float
    class_relatedness: float
    reasons: tuple[str, ...]
    holdings: tuple[str, str]
    sources: tuple[SourceRef, ...]
    lapsed: bool = False
    """One side is a dead right on the date asked (shown only on request)."""


@dataclass(frozen=True)
class PathStep(Result):
    source: str
    source_label: str
    predicate: str
    target: str
    target_label: str
    explanation: str


@dataclass(frozen=True)
class ConflictPath(Result):
    """A chain of facts linking two parties, each step explained."""

    origin: PartyRef
    destination: PartyRef
    steps: tuple[PathStep, ...]
    summary: str

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


@dataclass(frozen=True)
class TimelineEntry(Result):
    date: str | None
    kind: str
    subject: str
    description: str
    parties: tuple[str, ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ContradictionSide(Result):
    value: str
    sources: tuple[SourceRef, ...]


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


@dataclass(frozen=True)
class SearchHit(Result):
    """A party, mark or case whose name, text or number matches a search, best first."""

    kind: str
    id: str
    label: str
    matched: str
    score: float
