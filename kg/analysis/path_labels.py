"""Readable names for the nodes of a conflict path, never internal identifiers.

A party is its name; a mark "the mark 'AWS'"; a registration "registration No. 4249189 of
'AWS' (CN, class 42)"; a use "the use of 'AWS' in CN (class 42)"; a case "case
(2018)京民初127号", or its parties ("case Novalux Lighting Inc. v. Nova Lux GmbH") when no
source numbers it; a judgment "the judgment in case ..."; a lawsuit filing "the filing of case
..."; a claim "the first use claim to 'AWS' in CN". Read from the store in a few batched
queries (`path_labels`); the sentences are written by `kg.analysis.paths`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate
from kg.analysis.lifecycle import applicant_on, ended_by
from kg.analysis.model import Cited, Holding, HoldingKind, OwnershipChange, SourceRef
from kg.analysis.ownership_facts import ownership_changes
from kg.analysis.proceedings import read_proceedings
from kg.analysis.sparql_text import RDF_TYPE, TM, batches, camel_words, iri_values
from kg.analysis.wording import joined

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["HoldingLabel", "PathLabels", "holding_label", "path_labels"]

_NAME = "https://schema.org/name"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_READ = {
    RDF_TYPE: "type",
    TM + "caseNumber": "number",
    TM + "case": "case",
    TM + "date": "date",
    TM + "jurisdiction": "jurisdiction",
    TM + "claimKind": "claim_kind",
    TM + "mark": "mark",
    TM + "plaintiff": "plaintiff",
    TM + "defendant": "defendant",
    TM + "registration": "registration",
    TM + "registrationNumber": "registration_number",
    TM + "applicationNumber": "application_number",
    _NAME: "name",
    _RDFS_LABEL: "name",
}
_PARTY_KINDS = {"Party", "Company", "Person", "Court", "TrademarkOffice"}
_EVENT_WORDS = {
    "Judgment": "the judgment in",
    "Appeal": "the appeal in",
    "LawsuitFiled": "the filing of",
}


@dataclass(frozen=True)
class HoldingLabel:
    """One holder's registration or use as a path names it.

    ``label`` names the holding ("registration No. 4249189 of 'AWS' (CN, class 42)", "the use
    of 'AWS' in CN (Beijing region, class 42)"); ``use`` is the phrase after a verb ("'AWS' in
    CN (class 42)"); ``jurisdiction`` and ``classes`` rank mark conflicts (same place first).
    """

    label: str
    use: str
    jurisdiction: str | None
    classes: tuple[int, ...]
    registration: bool
    application: bool = False
    lapsed: str | None = None
    """For a registration or application dead today, when and why it ended ("on 2020-06-01:
    expired (its term ended, no renewal recorded)", "(date not known): withdrawn";
    `kg.analysis.lifecycle.ended_by`)."""


@dataclass
class PathLabels:
    """Labels of a path graph's nodes, its holdings per holder, and its marks' texts.

    ``nodes``: canonical IRI -> label; ``holdings``: (holding, holder) -> HoldingLabel;
    ``texts``: mark -> the statement of its text with the graphs stating it;
    ``kinds``: canonical IRI -> its tm: class ("Judgment", "Company"...); ``sources``: named
    graph -> the source it is derived from; ``named``: party -> the statement of the name
    its label gives, with the graphs stating it (`PartyRef.name_statement`).
    """

    nodes: dict[str, str] = field(default_factory=dict)
    holdings: dict[tuple[str, str], HoldingLabel] = field(default_factory=dict)
    texts: dict[str, Cited] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    named: dict[str, Cited] = field(default_factory=dict)
    changes: dict[str, OwnershipChange] = field(default_factory=dict)
    """Recorded changes of owner among the nodes, by IRI: a step through one cites its date
    (and that the date is a bound) beside its party (`OwnershipChange.cited`)."""


def holding_label(holding: Holding, as_of: PartialDate | None = None) -> HoldingLabel:
    """How a path names one holder's registration or use; with `as_of`, a registration or
    application dead on that date says when and why it ended (``lapsed``).

    >>> from kg.analysis.model import MarkRef
    >>> h = Holding(id="r", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "AWS"),
    ...     party="p", on_behalf_of=None, jurisdiction="CN", classes=(42,), filing_date=None,
    ...     registration_date=None, start_date=None, end_date=None,
    ...     registration_number="4249189", region=None, sources=())
    >>> holding_label(h).label
    "registration No. 4249189 of 'AWS' (CN, class 42)"
    >>> import dataclasses
    >>> old = dataclasses.replace(h, expiry_date="2020-06-01")
    >>> holding_label(old, PartialDate.parse("2024")).lapsed
    'on 2020-06-01: expired (its term ended, no renewal recorded)'
    >>> gone = dataclasses.replace(h, status="withdrawn", status_stage="ended")
    >>> holding_label(gone, PartialDate.parse("2024")).lapsed
    '(date not known): withdrawn'
    """
    text = repr(holding.mark.text)
    classes = _classes(holding.classes)
    if holding.kind is HoldingKind.REGISTERED_OWNER:
        # an application pending, or one that ended unregistered (refused, withdrawn)
        application = (
            applicant_on(holding, as_of) if as_of is not None else holding.status_stage == "pending"
        )
        what = "application" if application else "registration"
        number = f" No. {holding.registration_number}" if holding.registration_number else ""
        details = ", ".join(d for d in (holding.jurisdiction, classes) if d)
        where = f" ({details})" if details else ""
        article = "" if number else ("an " if application else "a ")
        label = f"{article}{what}{number} of {text}{where}"
        end = ended_by(holding, as_of) if as_of is not None else None
        lapsed = None
        if end is not None:
            lapsed = f"{f'on {end[0]}' if end[0] else '(date not known)'}: {end[1]}"  # as conflicts
        return HoldingLabel(
            label,
            label,
            holding.jurisdiction,
            holding.classes,
            True,
            application=application,
            lapsed=lapsed,
        )
    place = f" in {holding.jurisdiction}" if holding.jurisdiction else ""
    details = ", ".join(
        d for d in (f"{holding.region} region" if holding.region else "", classes) if d
    )
    use = f"{text}{place}{f' ({details})' if details else ''}"
    return HoldingLabel(f"the use of {use}", use, holding.jurisdiction, holding.classes, False)


def _classes(classes: tuple[int, ...]) -> str:
    if not classes:
        return ""
    word = "class" if len(classes) == 1 else "classes"
    return f"{word} {', '.join(map(str, classes))}"


def path_labels(facts: FactBase, nodes: Iterable[str], holdings: Iterable[str]) -> PathLabels:
    """The labels of the path graph's `nodes` and `holdings` (canonical IRIs)."""
    nodes = set(nodes) | set(holdings)
    found = PathLabels(sources=facts.sources)
    marks = {n for n in nodes if n in facts.marks}
    for mark in marks:
        found.nodes[mark] = f"the mark {facts.marks[mark]!r}"
        found.kinds[mark] = "Mark"
    wanted = set(holdings)
    today = PartialDate.today()  # a path is told as things stand: a dead right says so
    for holding in facts.holdings(marks) if wanted else ():
        if holding.id in wanted:
            label = holding_label(holding, today)
            found.holdings[(holding.id, holding.party)] = label
            found.kinds[holding.id] = "Registration" if holding.kind in _FILED else "Use"
            found.nodes.setdefault(holding.id, label.label)
    found.texts = _texts(facts, marks)
    others = nodes - marks - {h for h, _ in found.holdings}
    values = _values(facts, others)
    cases = {c for v in values.values() for r in ("case", "registration") for c in v.get(r, ())}
    values |= _values(facts, cases - set(values))
    kinds = {n: _kind(v.get("type", set())) for n, v in values.items()}
    found.kinds |= {n: k for n, k in kinds.items() if k}
    parties = {n for n, k in kinds.items() if k in _PARTY_KINDS}
    people = {p for v in values.values() for r in ("plaintiff", "defendant") for p in v.get(r, ())}
    refs = facts.parties(parties | people).values()
    names = {p.id: p.name for p in refs}
    found.named = {p.id: p.name_statement for p in refs if p.name_statement is not None}
    proceedings = {p.id: p for p in read_proceedings(facts) if p.id in values}
    registrations = sorted(
        {
            member
            for node in others
            for registration in values.get(node, {}).get("registration", ())
            for member in facts.identities.members(registration)
        }
    )
    if registrations:
        recorded = ownership_changes(facts, registrations)
        found.changes = {c.id: c for cs in recorded.values() for c in cs if c.id in others}
    for node in sorted(others):
        if node in parties:
            found.nodes[node] = names[node]
        elif node in found.changes:
            registration = values.get(found.changes[node].registration, {})
            words = camel_words(found.changes[node].kind)
            found.nodes[node] = _change_label(words, found.changes[node], registration, facts.marks)
        else:
            found.nodes[node] = _label(node, values, kinds, names, proceedings, facts.marks)
    for holding in wanted - set(found.nodes):
        found.nodes[holding] = "a registration or use"  # of no mark the store knows
    return found


_FILED = frozenset({HoldingKind.REGISTERED_OWNER, HoldingKind.APPLICANT})


def _values(facts: FactBase, nodes: Iterable[str]) -> dict[str, dict[str, set[str]]]:
    """node -> field -> values (IRIs canonical), over every record owl:sameAs the node."""
    canonical = facts.identities.canonical
    members = sorted({m for n in nodes for m in facts.identities.members(n)})
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for batch in batches(members):
        rows = facts.select(
            f"SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {iri_values(batch)} }} ?x ?p ?o }}"
        )
        for row in rows:
            name = _READ.get(row["p"])  # type: ignore[arg-type]
            if name is None:
                continue
            value = row["o"]
            if name in ("case", "mark", "plaintiff", "defendant", "jurisdiction", "registration"):
                value = canonical(value)  # type: ignore[arg-type]
            values[canonical(row["x"])][name].add(value)  # type: ignore[arg-type,index]
    return values


def _kind(types: set[str]) -> str | None:
    local = {t.removeprefix(TM) for t in types if t.startswith(TM)}
    general = {"Event", "Party", "Case"}
    ranked = sorted(local, key=lambda t: (t in general, t))
    return ranked[0] if ranked else None


def _label(
    node: str,
    values: dict[str, dict[str, set[str]]],
    kinds: dict[str, str | None],
    names: dict[str, str],
    proceedings: dict,
    marks: dict[str, str],
) -> str:
    v = values.get(node, {})
    kind = kinds.get(node) or ""
    if node in proceedings:
        proceeding = proceedings[node]
        if proceeding.number:
            return f"{proceeding.kind} No. {proceeding.number}"
        return f"the {proceeding.kind}{_parties_phrase(v, names)}"
    if kind == "Case" or "number" in v or "plaintiff" in v:
        return _case_label(node, values, names)
    where = f" in {_code(min(v['jurisdiction']))}" if v.get("jurisdiction") else ""
    if kind == "Claim" or "claim_kind" in v:
        claim = (
            camel_words(min(v["claim_kind"]).rsplit("#", 1)[-1]) if v.get("claim_kind") else "claim"
        )
        text = marks.get(min(v["mark"])) if v.get("mark") else None
        to = f" to {text!r}" if text else ""
        return f"the {claim}{to}{where}"
    words = camel_words(kind) if kind else "record"
    if v.get("case"):
        case = _case_label(min(v["case"]), values, names)
        return f"{_EVENT_WORDS.get(kind, f'the {words} in')} {case}"
    if v.get("name"):
        return min(v["name"])
    date = f" ({min(v['date'])})" if v.get("date") else ""
    return f"the {words}{where}{date}"


def _change_label(
    words: str, change: OwnershipChange, registration: dict[str, set[str]], marks: dict[str, str]
) -> str:
    """A recorded change of a registration's owner (or a security interest), when it took
    effect as `OwnershipChange.on` words it: "the assignment of registration No. 5100001 of
    'BRISKWATER' (US) on or before 2025-01-08"."""
    number = registration.get("registration_number")
    application = registration.get("application_number")
    right = (
        f"registration No. {min(number)}"
        if number
        else f"application No. {min(application)}"
        if application
        else "a registration"
    )
    text = marks.get(min(registration["mark"])) if registration.get("mark") else None
    of = f" of {text!r}" if text else ""
    where = (
        f" ({_code(min(registration['jurisdiction']))})" if registration.get("jurisdiction") else ""
    )
    when = f" {change.on}" if change.date else ""
    return f"the {words} of {right}{of}{where}{when}"


def _case_label(case: str, values: dict[str, dict[str, set[str]]], names: dict[str, str]) -> str:
    v = values.get(case, {})
    if v.get("number"):
        return f"case {min(v['number'])}"
    parties = _parties_phrase(v, names)
    return f"case{parties}" if parties else "a case without number or parties"


def _parties_phrase(v: dict[str, set[str]], names: dict[str, str]) -> str:
    """' Novalux Lighting Inc. v. Nova Lux GmbH' (empty when no party is stated)."""
    sides = [
        joined(n for n in sorted(names.get(p, "") for p in v.get(r, ())) if n)
        for r in ("plaintiff", "defendant")
    ]
    if not any(sides):
        return ""
    return " " + " v. ".join(s or "(not stated)" for s in sides)


def _code(jurisdiction: str) -> str:
    return jurisdiction.rsplit("/", 1)[-1]


def _texts(facts: FactBase, marks: set[str]) -> dict[str, Cited]:
    """Each mark's text as the statement of the graphs that state it."""
    canonical = facts.identities.canonical
    members = sorted({m for n in marks for m in facts.identities.members(n)})
    named: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for batch in batches(members):
        rows = facts.select(
            f"""SELECT ?x ?t ?g WHERE {{ VALUES ?x {{ {iri_values(batch)} }}
                  GRAPH ?g {{ ?x <{TM}text> ?t }} }}"""
        )
        for row in rows:
            mark = canonical(row["x"])  # type: ignore[arg-type]
            if row["t"] == facts.marks.get(mark):
                named[mark][row["g"]].add(row["x"])  # type: ignore[index,arg-type]
    found = {}
    for mark, by_graph in named.items():
        # a graph naming the mark only by another record's IRI is read through the identity
        through = any(mark not in iris for iris in by_graph.values())
        found[mark] = Cited(
            subject=mark,
            facts=((TM + "text", facts.marks[mark]),),
            sources=tuple(sorted(by_graph)),
            identities=tuple(sorted(facts.identities.link_graphs(mark))) if through else (),
        )
    return found
