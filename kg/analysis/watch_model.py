"""Watches and their hits: the typed results of `kg watch` (issue 20).

A *watch* names a mark an analyst cares about (its text, optionally its own registration),
the Nice classes and jurisdictions to watch, a minimum similarity and who it is for. It is
stored in the graph like any other record. After every `kg import` or `kg load`, the new or
changed registrations that conflict with a watch are recorded as dated *hits* citing the
import's source; a hit on a published application carries its opposition window.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kg.analysis.model import Cited, MarkRef, PartyRef, Result, SourceRef

__all__ = ["HitKind", "OppositionWindow", "Watch", "WatchHit"]


@dataclass(frozen=True)
class Watch(Result):
    """A mark watched for conflicting filings and changes."""

    id: str
    """Short identifier (letters, digits, hyphens), the last segment of `iri`."""
    iri: str
    text: str
    """The watched mark's text, compared with every new or changed mark."""
    registration: str | None
    """IRI of the watching party's own registration of the mark, if named."""
    classes: tuple[int, ...]
    """Nice classes watched; empty: every class."""
    related_classes: bool
    """Whether marks in classes related to `classes` count too."""
    jurisdictions: tuple[str, ...]
    """Jurisdiction codes watched (ISO 3166-1 or EM, WO, BX, OA); empty: every one."""
    min_score: float
    """The least mark similarity (0-1, `kg.analysis.similarity.compare`) that makes a hit."""
    owner: str
    """Who the watch is for (a client, a team, an e-mail address): free text."""
    created: str
    """When the watch was added (xsd:dateTime, UTC)."""


class HitKind(StrEnum):
    """What happened to the record a hit is about."""

    NEW_FILING = "NEW_FILING"
    """A registration or application the register did not hold before."""
    STATUS_CHANGE = "STATUS_CHANGE"
    """A known record whose status changed (say, published for opposition, registered)."""
    OWN_RIGHT_LAPSED = "OWN_RIGHT_LAPSED"
    """The watch's own registration ended (expired, cancelled, abandoned)."""
    OPPOSITION_FILED = "OPPOSITION_FILED"
    """An opposition was filed against the record."""


@dataclass(frozen=True)
class OppositionWindow(Result):
    """When a published application can be opposed."""

    start: str | None
    """First day (xsd:date), or None when the publication date is not known."""
    end: str | None
    """Last day (xsd:date) before any extension."""
    extendable: bool
    """Whether the period can be extended (US: by request to the TTAB)."""
    rule: str
    """The rule applied, in words (``"30 days from publication, extendable"``), or
    ``"stated by the office"`` when the record gives the period itself."""
    rule_source: str | None
    """Where the rule comes from (statute or office guidance, a URL)."""
    stated: bool
    """True when the office's record states the period (tm:oppositionPeriodStartDate/
    EndDate) rather than the rule computing it from the publication date."""


@dataclass(frozen=True)
class WatchHit(Result):
    """A new or changed record that conflicts with a watch, as one import found it."""

    id: str
    iri: str
    watch: str
    """The watch's id."""
    kind: HitKind
    registration: str
    """IRI of the registration or application the hit is about."""
    mark: MarkRef
    holder: PartyRef | None
    jurisdiction: str | None
    classes: tuple[int, ...]
    status: str | None
    """The record's status as the import left it (a tm:Status IRI's label)."""
    score: float
    """Mark similarity with the watched text (0-1)."""
    reasons: tuple[str, ...]
    """Why it is a hit: the similarity rules that fired and the classes shared or related."""
    detected: str
    """When the hit was recorded (xsd:dateTime, UTC): the import's time."""
    record_date: str | None
    """The record's own date in the file (tm:recordDate), if any."""
    window: OppositionWindow | None
    """The opposition window, for a published application in a jurisdiction whose period
    tmkg knows; None otherwise."""
    sources: tuple[SourceRef, ...]
    """The import's source graph(s) stating the record's new state."""
    statements: tuple[Cited, ...] = ()
