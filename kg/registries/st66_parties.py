"""The applicants and representatives of ST.66 trademark XML (`kg.registries.st66`): a party
as read (`Party`, inline ``Applicant`` / ``Representative``), a reference to one
(`Key`, ``ApplicantKey`` / ``RepresentativeKey``) resolved against the `Parties` of the files
imported together, and the owners and representatives of a ``TradeMark`` made from them
(`trademark_owners`, `trademark_representatives`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.registries.mapping import PartyReference
from kg.registries.records import (
    FieldError,
    Owner,
    RowErrors,
    WarningTally,
    jurisdiction_code,
    owner_kind,
)

if TYPE_CHECKING:
    from pathlib import Path

    from kg.registries.st66_trademark import TradeMark

__all__ = [
    "Key",
    "Parties",
    "Party",
    "PartyBook",
    "referenced_parties",
    "trademark_owners",
    "trademark_representatives",
]

Parties = Mapping[str, tuple[str, Owner]]
"""Parties by key ("applicant/507772", "representative/9865") -> (role, owner)."""


class PartyBook(dict[str, tuple[str, Owner]]):
    """`Parties` with the files that define each (`defined_in`), so that a mark naming one
    by key states only the link and the defining files state the party
    (`kg.registries.mapping.PartyReference`)."""

    def __init__(self) -> None:
        super().__init__()
        self.defined_in: dict[str, tuple[str, ...]] = {}
        """Key -> the files defining it (their names as imported), in the order read."""


@dataclass
class Party:
    """An Applicant or Representative being read."""

    role: str
    line: int
    identifier: str | None = None
    lines: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    person_parts: list[str] = field(default_factory=list)
    legal_entity: str | None = None
    entity_code: str | None = None
    party_type: str | None = None
    countries: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """"incorporation" / "nationality" -> (element, code as written, line)."""
    comment: str | None = None
    """Its ``Comment``: USPTO says the role there ("Attorney of Record", "Domestic
    Representative", "Domestic Correspondent")."""
    deleted: bool = False
    """Marked ``operationCode="Delete"`` (EUIPO's download files): not a party any more."""

    @property
    def correspondent(self) -> bool:
        """A correspondent (USPTO's ``Comment`` "Domestic Correspondent"): the address the
        office writes to, not a representative of the owner."""
        return "correspondent" in (self.comment or "").casefold()

    @property
    def name(self) -> str:
        """``OrganizationName`` where given, else the ``FreeFormatNameLine``s joined, else a
        person's ``FirstName`` and ``LastName``."""
        named = self.organisations[:1] or self.lines or self.person_parts
        return " ".join(" ".join(named).split())

    @property
    def kind(self) -> str | None:
        """ "person" or "company" as the file says (legal entity, its code, the name's form)."""
        if self.legal_entity or self.entity_code:
            return owner_kind(self.legal_entity or self.entity_code or "")
        if self.organisations:
            return "company"
        return "person" if self.person_parts else None

    def country(self) -> tuple[str, str, int] | None:
        """The element that says the party's country, its code and line: a person's
        nationality, a company's country of incorporation, else whichever the file gives."""
        order = ("nationality", "incorporation")
        if self.kind != "person":
            order = order[::-1]
        return next((self.countries[key] for key in order if key in self.countries), None)

    def owner(self, errors: RowErrors, suffix: str = "") -> Owner:
        """The party as an `Owner`, its country checked (a bad code goes to `errors`)."""
        country = None
        found = self.country()
        if found is not None:
            try:
                country = jurisdiction_code(found[1])
            except FieldError as error:
                errors.add(found[2], None, f"{found[0]}: {error}{suffix}")
        return Owner(self.name, self.kind, country)


@dataclass
class Key:
    """An ApplicantKey / RepresentativeKey: its Identifier and URI as written."""

    role: str
    line: int
    identifier: str | None = None
    uri: str | None = None

    def candidates(self) -> list[str]:
        """The keys it may be defined under: "{role}/{Identifier}", "{role}/{last segment of
        the URI}" (UKIPO's mark names applicant 507772 as ``…/trademark/applicant/507772``)."""
        found = []
        if self.identifier:
            found.append(f"{self.role}/{self.identifier}")
        if self.uri:
            tail = self.uri.rstrip("/").rsplit("/", 1)[-1]
            if tail:
                found.append(f"{self.role}/{tail}")
        return found

    def shown(self) -> str:
        return self.uri or self.identifier or "(empty)"


def trademark_owners(
    trademark: TradeMark,
    fallback: list[Party],
    parties: Parties,
    errors: RowErrors,
    suffix: str,
    path: Path,
) -> tuple[Owner, ...]:
    """Inline Applicants; else those the ApplicantKeys name; else those beside the
    TradeMarkDetails (USPTO)."""
    applicants = trademark.applicants
    keys = [key for key in trademark.keys if key.role == "applicant"]
    if not applicants and keys:
        owners = []
        for key in keys:
            found = _resolve(key, parties)
            if found is None:
                errors.add(
                    key.line,
                    None,
                    f'ApplicantKey "{key.shown()}" names no applicant of the files imported'
                    f"{suffix}: import the file that defines it in the same command, e.g. "
                    f"kg import {path.name} applicants.xml",
                )
            elif found not in owners:
                owners.append(found)
        return tuple(owners)
    applicants = applicants or _current_owners(fallback)
    if not applicants:
        errors.add(trademark.line, None, f"TradeMark without an Applicant{suffix}")
    owners = []
    for applicant in applicants:
        if not applicant.name:
            errors.add(
                applicant.line,
                None,
                f"Applicant without FreeFormatNameLine or OrganizationName{suffix}",
            )
            continue
        owner = applicant.owner(errors, suffix)
        if owner not in owners:
            owners.append(owner)
    return tuple(owners)


def _resolve(key: Key, parties: Parties) -> Owner | None:
    found = _resolve_key(key, parties)
    return None if found is None else found[1]


def _resolve_key(key: Key, parties: Parties) -> tuple[str, Owner] | None:
    """(the key it is defined under, the party) of the party `key` names, if any."""
    for candidate in key.candidates():
        found = parties.get(candidate)
        if found is not None and found[0] == key.role:
            return candidate, found[1]
    return None


def referenced_parties(trademark: TradeMark, parties: Parties) -> tuple[PartyReference, ...]:
    """The owners and representatives `trademark` names by key (those `trademark_owners` and
    `trademark_representatives` take from keys: none where it names them inline), each with
    the file that defines it; none where `parties` does not say which file that is (a plain
    mapping: the mark's own file states them, as inline parties)."""
    defined_in = getattr(parties, "defined_in", None)
    if not defined_in:
        return ()
    found: list[PartyReference] = []
    for key in trademark.keys:
        if trademark.applicants if key.role == "applicant" else trademark.representatives:
            continue  # parties given inline: the keys are not read
        resolved = _resolve_key(key, parties)
        if resolved is None:
            continue
        role = "owner" if key.role == "applicant" else "representative"
        for source in defined_in.get(resolved[0], ()):
            reference = PartyReference(role, resolved[1], source)
            if reference not in found:
                found.append(reference)
    return tuple(found)


def trademark_representatives(
    trademark: TradeMark,
    parties: Parties,
    errors: RowErrors,
    tally: WarningTally,
    suffix: str,
) -> tuple[Owner, ...]:
    """Inline Representatives with a name (USPTO writes empty ones), correspondents left out
    (USPTO writes its correspondence address as a ``Representative`` whose ``Comment`` is
    "Domestic Correspondent": an address, not a representative; its ST.96 and daily XML
    files keep it apart, as ``NationalCorrespondent`` and ``correspondent``); else those the
    RepresentativeKeys name (one naming none is a warning: the representative is left out)."""
    found: list[Owner] = []
    for party in trademark.representatives:
        if party.name and not party.correspondent:
            owner = party.owner(errors, suffix)
            if owner not in found:
                found.append(owner)
    if trademark.representatives:
        return tuple(found)
    for key in trademark.keys:
        if key.role != "representative":
            continue
        owner = _resolve(key, parties)
        if owner is None:
            tally.add(
                "RepresentativeKey names no representative of the files imported: "
                "representative left out",
                key.line,
                f"{key.shown()}{suffix}",
            )
        elif owner not in found:
            found.append(owner)
    return tuple(found)


def _current_owners(chain: list[Party]) -> list[Party]:
    """The current owners among applicants beside TradeMarkDetails, as USPTO writes them.

    They list the chain of title, the current owner's party type first; co-owners share a
    party type. Without USPTO's ``PartyTypeCode`` only the first can be told to be current.
    """
    if not chain or chain[0].party_type is None:
        return chain[:1]
    current = chain[0].party_type
    found = []
    for applicant in chain:
        if applicant.party_type != current:
            break
        found.append(applicant)
    return found
