"""A register record's details beyond its core facts, as quads: goods-and-services texts,
priority and first-use claims, translations, transliterations and disclaimers,
representatives, publication and opposition period, design search codes, prosecution events,
ownership changes and Madrid designations (docs/ontology.md, sections "A mark's life",
"Owners over time", "Regional and international rights", "Kind of mark …", "Claims an
application makes"; docs/registry-import.md, section "Details of a record").

`kg.registries.importer` calls `detail_quads` for each registration. Every IRI made here is a
function of the registration and the content, so importing the same record twice names the
same nodes:

- goods and services: ``id/goods-services/{registration tail}-{N}`` for Nice class N,
  ``…/{tail}-{scheme}-{code}`` for a national class (the node `kg.registries.kinds` makes for
  `RegistryRecord.national_classes`, so a class given both ways is one node);
- a priority claim: ``id/priority-claim/{tail}-{cc}-{date}[-{number}]``;
- a designation: ``id/designation/{tail}-{cc}`` (``id/designation/wo-1456789-em``);
- a prosecution event: ``id/event/{tail}-{date}-{code}``, or ``…-{date}-{hash}`` (the first 8
  hex digits of the SHA-256 of its words) where the office gives no code;
- an ownership change: ``id/event/{tail}-{kind}-{date}-{hash}`` (the hash of its parties,
  dates and conveyance text).

What a registration owns (goods and services, priority claims, designations) is linked from
it (`OWNED_LINKS`); events and ownership changes link to it (`EVENT_LINK`), so a newer state of
the registration can tell which nodes are its own.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import ID, TM
from kg.registries.iris import node, party_iri
from kg.registries.kinds import national_scheme
from kg.registries.records import (
    Designation,
    GoodsServices,
    Owner,
    OwnershipChange,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    TaggedText,
)

__all__ = ["EVENT_KINDS", "EVENT_LINK", "OWNED_LINKS", "design_search_code", "detail_quads"]

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NAME = ox.NamedNode("https://schema.org/name")
_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
# USPTO Design Search Code Manual ("Design Codes"): category 01-29, division, section
_DESIGN_CODE = re.compile(r"(0[1-9]|1[0-9]|2[0-9])(\.?)([0-9]{2})\2([0-9]{2})")
_SAFE = "-._~"


@cache
def _tm(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(getattr(TM, local)))  # TM is closed: a typo raises at import


_T = {
    local: _tm(local)
    for local in (
        *("goodsServices", "GoodsServices", "goodsServicesClass", "goodsServicesText"),
        *("classificationVersion", "niceClass", "NationalClass", "firstUsedDate"),
        *("firstUsedCommerceDate", "priorityClaim", "PriorityClaim", "priorityCountryCode"),
        *("priorityDate", "priorityApplicationNumber", "markTranslation"),
        *("markTransliteration", "markDisclaimer", "verbalElement", "statusCode"),
        *("publicationDate", "oppositionPeriodStartDate", "oppositionPeriodEndDate"),
        *("designSearchCode", "representative", "Person", "Company", "Party", "nationality"),
        *("ProsecutionEvent", "registration", "date", "eventCode", "eventKind"),
        *("Assignment", "Merger", "NameChange", "SecurityInterest", "assignor", "assignee"),
        *("recordalDate", "conveyanceText", "designation", "Designation", "jurisdiction"),
        "dateIsUpperBound",
        *("designationDate", "status", "statusDate"),
    )
}

OWNED_LINKS: tuple[ox.NamedNode, ...] = (
    _T["goodsServices"],
    _T["priorityClaim"],
    _T["designation"],
)
"""The properties from a registration to the nodes it owns (its goods and services, priority
claims and designations): no other registration names them."""

EVENT_LINK: ox.NamedNode = _T["registration"]
"""The property from a prosecution event or an ownership change to its registration."""

EVENT_KINDS = (
    "filing",
    "publication",
    "registration",
    "opposition",
    "renewal",
    "cancellation",
    "abandonment",
)
"""`RegisterEvent.kind` values stated as ``tm:eventKind`` (schema/shapes.ttl checks the list)."""

_CHANGE_CLASSES = {
    "assignment": "Assignment",
    "merger": "Merger",
    "name-change": "NameChange",
    "security-interest": "SecurityInterest",
}
_PARTY_CLASSES = {"person": "Person", "company": "Company"}


def detail_quads(
    registration: ox.NamedNode, record: RegistryRecord, graph: ox.NamedNode
) -> list[ox.Quad]:
    """The details of `record` beyond its core facts, in `graph` (see the module docstring
    for the terms and IRIs). Values a shape would refuse are left out, not guessed: a design
    code not written as one, an event kind outside `EVENT_KINDS`, an ownership change of an
    unknown kind, without assignees, or with neither a date nor a recordal date."""
    tail = registration.value.rsplit("/", 1)[1]
    quads: list[ox.Quad] = []

    def state(term: str, value: ox.Literal | None) -> None:
        if value is not None:
            quads.append(ox.Quad(registration, _T[term], value, graph))

    state("statusCode", ox.Literal(record.status_code) if record.status_code else None)
    verbal = record.verbal_element
    if isinstance(verbal, TaggedText):
        state("verbalElement", _tagged(verbal) if verbal.text else None)
    elif verbal:
        state("verbalElement", ox.Literal(verbal))
    state("publicationDate", record.publication_date)
    start, end = record.opposition_period or (None, None)
    state("oppositionPeriodStartDate", start)
    state("oppositionPeriodEndDate", end)
    for term, texts in (
        ("markTranslation", record.translations),
        ("markTransliteration", record.transliterations),
        ("markDisclaimer", record.disclaimers),
    ):
        for text in texts:
            state(term, _tagged(text) if text.text else None)
    for code in dict.fromkeys(design_search_code(code) for code in record.design_codes):
        state("designSearchCode", _literal(code))
    # First use for the whole application; where the file gives it per class only, the
    # earliest class's date (the mark was first used then, for some of its goods).
    for term, stated, per_class in (
        ("firstUsedDate", record.first_used_date, "first_used_date"),
        ("firstUsedCommerceDate", record.first_used_commerce_date, "first_used_commerce_date"),
    ):
        dates = [d for gs in record.goods_services if (d := getattr(gs, per_class)) is not None]
        state(term, stated if stated is not None else _earliest(dates))

    quads += _goods_services(registration, tail, record, graph)
    for claim in record.priority_claims:
        quads += _priority_claim(registration, tail, claim, graph)
    kinds = {owner.name: owner.kind for owner in record.owners if owner.kind}
    for representative in record.representatives:
        party, stated = _party(representative, kinds, graph)
        quads += [ox.Quad(registration, _T["representative"], party, graph), *stated]
    for event in record.events:
        quads += _event(registration, tail, event, graph)
    for change in record.ownership_changes:
        quads += _ownership_change(registration, tail, change, kinds, graph)
    for designation in record.designations:
        quads += _designation(registration, tail, designation, graph)
    return quads


def design_search_code(text: str) -> str | None:
    """A USPTO design search code written category.division.section, or None if `text` is not
    one. The USPTO Design Search Code Manual ("Design Codes") gives six digits: the category
    (01-29), the division and the section, two digits each; TESS writes them without periods.

    >>> design_search_code("260121"), design_search_code(" 01.01.03 ")
    ('26.01.21', '01.01.03')
    >>> [design_search_code(t) for t in ("30.01.01", "26.1.21", "26.0121")]
    [None, None, None]
    """
    match = _DESIGN_CODE.fullmatch(text.strip())
    return f"{match[1]}.{match[3]}.{match[4]}" if match else None


# ------------------------------------------------------------------ parts


def _goods_services(
    registration: ox.NamedNode, tail: str, record: RegistryRecord, graph: ox.NamedNode
) -> list[ox.Quad]:
    """One ``tm:GoodsServices`` per class. A Nice class also becomes a ``tm:niceClass`` of the
    registration where `record.classes` lacks it, so every class filter finds it; a national
    class not in `record.national_classes` gets the class node `kg.registries.kinds` would."""
    quads: list[ox.Quad] = []
    scheme: ox.NamedNode | None = None
    for entry in record.goods_services:
        stated = False  # whether kg.registries.kinds already made the node
        if entry.nice is not None:
            cls = node(f"{ID}nice/{entry.nice}")
            gs = ox.NamedNode(f"{ID}goods-services/{tail}-{entry.nice}")
            if entry.nice not in record.classes:
                quads.append(ox.Quad(registration, _T["niceClass"], cls, graph))
        elif entry.national:
            if scheme is None:
                scheme = ox.NamedNode(national_scheme(record.jurisdiction))
            code = quote(entry.national, safe=_SAFE)
            cls = ox.NamedNode(f"{scheme.value}/{code}")
            gs = ox.NamedNode(f"{ID}goods-services/{tail}-{scheme.value.rsplit('/', 1)[1]}-{code}")
            stated = entry.national in record.national_classes
            if not stated:
                quads += _national_class(cls, scheme, entry, record.jurisdiction, graph)
        else:
            continue
        if not stated:
            quads += [
                ox.Quad(registration, _T["goodsServices"], gs, graph),
                ox.Quad(gs, _RDF_TYPE, _T["GoodsServices"], graph),
                ox.Quad(gs, _T["goodsServicesClass"], cls, graph),
            ]
        quads += [
            ox.Quad(gs, _T["goodsServicesText"], _tagged(text), graph)
            for text in entry.texts
            if text.text
        ]
        for term, value in (
            ("classificationVersion", ox.Literal(entry.version) if entry.version else None),
            ("firstUsedDate", entry.first_used_date),
            ("firstUsedCommerceDate", entry.first_used_commerce_date),
        ):
            if value is not None:
                quads.append(ox.Quad(gs, _T[term], value, graph))
    return quads


def _national_class(
    cls: ox.NamedNode,
    scheme: ox.NamedNode,
    entry: GoodsServices,
    jurisdiction: str,
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    label = ox.Literal(f"{jurisdiction} national classification of goods and services")
    return [
        ox.Quad(scheme, _RDF_TYPE, ox.NamedNode(_SKOS + "ConceptScheme"), graph),
        ox.Quad(scheme, ox.NamedNode(_SKOS + "prefLabel"), label, graph),
        ox.Quad(cls, _RDF_TYPE, _T["NationalClass"], graph),
        ox.Quad(cls, ox.NamedNode(_SKOS + "notation"), ox.Literal(entry.national or ""), graph),
        ox.Quad(cls, ox.NamedNode(_SKOS + "inScheme"), scheme, graph),
    ]


def _priority_claim(
    registration: ox.NamedNode, tail: str, claim: PriorityClaim, graph: ox.NamedNode
) -> list[ox.Quad]:
    number = f"-{_segment(claim.number)}" if claim.number else ""
    entry = ox.NamedNode(
        f"{ID}priority-claim/{tail}-{claim.country.lower()}-{claim.date.value}{number}"
    )
    quads = [
        ox.Quad(registration, _T["priorityClaim"], entry, graph),
        ox.Quad(entry, _RDF_TYPE, _T["PriorityClaim"], graph),
        ox.Quad(entry, _T["priorityCountryCode"], ox.Literal(claim.country), graph),
        ox.Quad(entry, _T["priorityDate"], claim.date, graph),
    ]
    if claim.number:
        quads.append(
            ox.Quad(entry, _T["priorityApplicationNumber"], ox.Literal(claim.number), graph)
        )
    return quads


def _designation(
    registration: ox.NamedNode, tail: str, designation: Designation, graph: ox.NamedNode
) -> list[ox.Quad]:
    """A designated Contracting Party; its status text is read against the status scheme as
    a registration's is (`kg.analysis.coverage.designations`)."""
    entry = ox.NamedNode(f"{ID}designation/{tail}-{designation.jurisdiction.lower()}")
    quads = [
        ox.Quad(registration, _T["designation"], entry, graph),
        ox.Quad(entry, _RDF_TYPE, _T["Designation"], graph),
        ox.Quad(
            entry, _T["jurisdiction"], node(f"{ID}jurisdiction/{designation.jurisdiction}"), graph
        ),
    ]
    for term, value in (
        ("designationDate", designation.date),
        ("status", ox.Literal(designation.status) if designation.status else None),
        ("statusDate", designation.status_date),
    ):
        if value is not None:
            quads.append(ox.Quad(entry, _T[term], value, graph))
    return quads


def _event(
    registration: ox.NamedNode, tail: str, event: RegisterEvent, graph: ox.NamedNode
) -> list[ox.Quad]:
    """A ``tm:ProsecutionEvent``: it names no party, so it stays out of party timelines,
    where the registration's own dates already show its filing, publication, grant and end."""
    key = _segment(event.code) if event.code else _digest(event.description or "")
    iri = ox.NamedNode(f"{ID}event/{tail}-{event.date.value}-{key}")
    quads = [
        ox.Quad(iri, _RDF_TYPE, _T["ProsecutionEvent"], graph),
        ox.Quad(iri, _T["registration"], registration, graph),
        ox.Quad(iri, _T["date"], event.date, graph),
    ]
    # an office's codes and their words recur across records: their literals are made once
    if event.code:
        quads.append(ox.Quad(iri, _T["eventCode"], _plain(event.code), graph))
    if event.description:
        quads.append(ox.Quad(iri, _DESCRIPTION, _plain(event.description), graph))
    if event.kind in EVENT_KINDS:
        quads.append(ox.Quad(iri, _T["eventKind"], _plain(event.kind), graph))
    return quads


def _ownership_change(
    registration: ox.NamedNode,
    tail: str,
    change: OwnershipChange,
    kinds: dict[str, str],
    graph: ox.NamedNode,
) -> list[ox.Quad]:
    """A recorded change (docs/ontology.md "Owners over time"). Its ``tm:date`` is the day it
    took effect; where the file gives only the day the office recorded it, or a day it had
    taken effect by (`OwnershipChange.date_bound`), that day, so the chain of title can place
    it, with ``tm:dateIsUpperBound true``."""
    cls = _CHANGE_CLASSES.get(change.kind)
    security = change.kind == "security-interest"
    date = change.date or change.recordal_date
    if cls is None or (not security and (not change.assignees or date is None)):
        return []
    # the day it was recorded, or a bound, stands for the day it took effect: it had by then
    bound = date is not None and (change.date_bound or change.date is None)
    content = "\n".join(
        (
            change.kind,
            "|".join(sorted(o.name for o in change.assignors)),
            "|".join(sorted(o.name for o in change.assignees)),
            *(d.value if d is not None else "" for d in (change.date, change.recordal_date)),
            change.conveyance_text or "",
        )
    )
    when = date.value if date is not None else "undated"
    iri = ox.NamedNode(f"{ID}event/{tail}-{change.kind}-{when}-{_digest(content)}")
    quads = [
        ox.Quad(iri, _RDF_TYPE, _T[cls], graph),
        ox.Quad(iri, _T["registration"], registration, graph),
    ]
    for role, parties in (("assignor", change.assignors), ("assignee", change.assignees)):
        for owner in parties:
            party, stated = _party(owner, kinds, graph)
            quads += [ox.Quad(iri, _T[role], party, graph), *stated]
    for term, value in (
        ("date", date),
        ("recordalDate", change.recordal_date),
        ("conveyanceText", ox.Literal(change.conveyance_text) if change.conveyance_text else None),
        ("dateIsUpperBound", _TRUE if bound else None),
    ):
        if value is not None:
            quads.append(ox.Quad(iri, _T[term], value, graph))
    return quads


def _party(
    owner: Owner, kinds: dict[str, str], graph: ox.NamedNode
) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The party node of `owner` (`party_iri`, as the importer names owners) and its facts: a
    ``tm:Person`` or ``tm:Company`` by its kind, else by the kind the record's owners give that
    name, else a plain ``tm:Party`` (an attorney may be either)."""
    party = node(party_iri(owner.name))
    kind = owner.kind or kinds.get(owner.name)
    quads = [
        ox.Quad(party, _RDF_TYPE, _T[_PARTY_CLASSES.get(kind or "", "Party")], graph),
        ox.Quad(party, _NAME, ox.Literal(owner.name), graph),
    ]
    if owner.country:
        country = node(f"{ID}jurisdiction/{owner.country}")
        quads.append(ox.Quad(party, _T["nationality"], country, graph))
    return party, quads


# ------------------------------------------------------------------ values


def _tagged(text: TaggedText) -> ox.Literal:
    """A language-tagged literal; a missing or malformed tag is written ``und`` (BCP 47:
    undetermined), since the shapes require a tag on these statements."""
    try:
        return ox.Literal(text.text, language=text.language or "und")
    except ValueError:
        return ox.Literal(text.text, language="und")


@lru_cache(maxsize=65536)
def _plain(text: str) -> ox.Literal:
    return ox.Literal(text)


@lru_cache(maxsize=4096)
def _segment(text: str) -> str:
    """`text` as an IRI path segment (percent-encoded where needed)."""
    return quote(text, safe=_SAFE)


def _literal(text: str | None) -> ox.Literal | None:
    return ox.Literal(text) if text else None


def _earliest(dates: list[ox.Literal]) -> ox.Literal | None:
    """The date whose first day is earliest ("2019" before "2019-03-01" before "2019-04").
    Dates as `kg.registries.records.date_literal` writes them (four-digit years) sort so."""
    return min(dates, key=lambda d: d.value) if dates else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
