"""The owners of a USPTO case-file by party type, and the chain of title before them.

Sources followed: USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*,
product TRTDXFAP: ``party-type`` (10 original applicant, 11-19 new owners before
publication, 20 owner at publication, 21-29 new owners after publication, 30 original
registrant, 31-69 owners after registration, 70 correspondent in legacy records);
``legal-entity-type-code`` (01 individual). The tables as transcribed in
illeatmyhat/uspto-trademark-radar ``uspto_trademark_radar/lookups/*.csv`` (commit c9e15ff0),
read, not copied. See ``docs/registry-import.md`` (section "USPTO Trademark Daily XML") for the
owner rule.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from lxml import etree

from kg.registries.records import FieldError, Owner, OwnershipChange, owner_kind
from kg.registries.uspto_values import (
    CaseFile,
    cached_jurisdiction_code,
    element_code,
    element_text,
)

__all__ = ["owners_and_changes"]

_CORRESPONDENT_PARTY = 70
# The children of an owner that are read (lxml skips the others without making Python objects
# of them).
_OWNER = (
    "party-name",
    "party-type",
    "legal-entity-type-code",
    "nationality",
    "name-change-explanation",
)
_NAME_CHANGE = re.compile(r"CHANGE\s+OF\s+NAME|NAME\s+CHANGE", re.IGNORECASE)
_MERGER = re.compile(r"MERGE", re.IGNORECASE)


def owners_and_changes(
    case_file: CaseFile, owners: etree._Element | None
) -> tuple[tuple[Owner, ...], tuple[OwnershipChange, ...]]:
    """The current owners (the highest party-type's) and the changes of owner before them.

    Party types count up the chain of title (10 original applicant ... 30 original
    registrant, 4x later owners), co-owners share one; each step to a group of other names
    is a change: a name change or merger where the new owner's name-change-explanation
    says so, else an assignment."""
    groups: dict[int, list[tuple[Owner, str]]] = {}
    for entry in owners if owners is not None else ():
        if entry.tag != "case-file-owner":
            continue
        fields: dict[str, etree._Element] = {}
        nationality = None
        for element in entry.iterchildren(*_OWNER):
            if element.tag == "nationality":
                nationality = element
            else:
                fields.setdefault(element.tag, element)
        name = element_text(fields["party-name"]) if "party-name" in fields else ""
        party = element_code(fields["party-type"]) if "party-type" in fields else ""
        if not name:
            continue
        if party and not party.isdigit():
            case_file.tally.add(
                "owner with a party-type that is not a number: read as current",
                entry.sourceline,
                f"serial {case_file.serial} {party!r}",
            )
        rank = int(party) if party.isdigit() else 99
        if rank == _CORRESPONDENT_PARTY:
            continue
        entity_code = fields.get("legal-entity-type-code")
        entity = element_code(entity_code) if entity_code is not None else ""
        owner = Owner(
            name, _owner_kind(entity) if entity else None, _country(case_file, nationality)
        )
        explanation = fields.get("name-change-explanation")
        groups.setdefault(rank, []).append(
            (owner, element_text(explanation) if explanation is not None else "")
        )
    if not groups:
        return (), ()
    chain = [groups[rank] for rank in sorted(groups)]
    changes = []
    for earlier, later in itertools.pairwise(chain):
        if {o.name for o, _ in earlier} == {o.name for o, _ in later}:
            continue
        said = " ".join(text for _, text in later)
        kind = (
            "name-change"
            if _NAME_CHANGE.search(said)
            else "merger"
            if _MERGER.search(said)
            else "assignment"
        )
        changes.append(
            OwnershipChange(
                kind, tuple(o for o, _ in later), assignors=tuple(o for o, _ in earlier)
            )
        )
    return tuple(owner for owner, _ in chain[-1]), tuple(changes)


def _country(case_file: CaseFile, nationality: etree._Element | None) -> str | None:
    """The owner's country: ``nationality/country``; a US state alone (a company's state
    of incorporation) is the US."""
    if nationality is None:
        return None
    country = state = ""
    for element in nationality:
        if element.tag == "country":
            country = element_code(element)
        elif element.tag == "state":
            state = element_code(element)
    if not country:
        return "US" if state else None
    try:
        return cached_jurisdiction_code(country)
    except FieldError:
        case_file.tally.add(
            "owner nationality that is not a country tmkg knows: left out",
            nationality.sourceline,
            f"serial {case_file.serial} {country!r}",
        )
        return None


# The same few codes recur on every case-file: checked once each.
_owner_kind = lru_cache(maxsize=256)(owner_kind)
