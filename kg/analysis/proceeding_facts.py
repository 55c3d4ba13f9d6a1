"""Reading oppositions and cancellations (tm:Proceeding) from the store into plain data.

The analyses over them (conflicts, timeline, filters) are in `kg.analysis.proceedings`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate
from kg.analysis.holding_statements import cite_each, cited_graphs, shown
from kg.analysis.model import (
    Cited,
    Holding,
    MarkRef,
    PartyRef,
    Result,
    SourceRef,
    with_names,
)
from kg.analysis.sparql_text import TM, iri_values

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = [
    "KINDS",
    "OUTCOMES",
    "PROCEEDING_KINDS",
    "Proceeding",
    "holdings_by_id",
    "read_proceedings",
]

OUTCOMES = ("pending", "upheld", "partly upheld", "rejected", "withdrawn", "settled")
"""The outcome scheme (``tm:ProceedingOutcome`` individuals, schema/ontology.ttl)."""
PROCEEDING_KINDS = {"Opposition": "opposition", "Cancellation": "cancellation"}
KINDS = ("opposition", "cancellation", "proceeding")
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DESCRIPTION = "http://purl.org/dc/terms/description"
_OUTCOME_NAMES = {
    TM + "Outcome" + "".join(w.capitalize() for w in name.split()): name for name in OUTCOMES
}


@dataclass(frozen=True)
class Proceeding(Result):
    """An opposition or cancellation, merged over the sources that state it.

    ``outcome`` is a name in `OUTCOMES`, None when no source states one (read as pending);
    dates are as precise as the sources give them.
    """

    id: str
    kind: str
    """"opposition", "cancellation" or "proceeding" (a tm:Proceeding of no narrower kind)."""
    number: str | None
    jurisdiction: str | None
    office: PartyRef | None
    plaintiffs: tuple[PartyRef, ...]
    """The opponents (for a cancellation, the applicants for cancellation)."""
    holders: tuple[PartyRef, ...]
    """The defendants and the owners of the contested application or registration."""
    contested: tuple[str, ...]
    """Canonical IRIs of the contested applications or registrations."""
    contested_numbers: tuple[str, ...]
    marks: tuple[MarkRef, ...]
    """The contested marks."""
    earlier_rights: tuple[str, ...]
    """IRIs of the earlier rights invoked (registrations, uses or marks)."""
    earlier_marks: tuple[MarkRef, ...]
    classes: tuple[int, ...]
    """The classes opposed (else those of the contested registration)."""
    filing_date: str | None
    decision_date: str | None
    outcome: str | None
    description: str | None
    sources: tuple[SourceRef, ...]
    statements: tuple[Cited, ...] = ()
    """Each value shown, with exactly the graphs stating it (kg.analysis.holding_statements)."""

    @property
    def label(self) -> str:
        """``"opposition No. 1300001"`` (the IRI's tail when no number is stated)."""
        return f"{self.kind} {'No. ' + self.number if self.number else self.id.rsplit('/', 1)[-1]}"


def read_proceedings(facts: FactBase) -> list[Proceeding]:
    """Every proceeding in the store (anything typed as a tm:Proceeding subclass), read once
    per FactBase; identities (owl:sameAs) resolved. Ordered by filing date, then IRI."""
    cached = facts.__dict__.get("_proceedings")
    if cached is not None:
        return cached
    canonical = facts.identities.canonical
    rows = facts.select(
        f"""SELECT ?c ?p ?o ?g WHERE {{
              ?c a ?type . ?type <{_RDFS}subClassOf>* <{TM}Proceeding> .
              GRAPH ?g {{ ?c ?p ?o }} }}"""
    )
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    said: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in rows:
        key = canonical(row["c"])  # type: ignore[arg-type]
        prop = (row["p"] or "").removeprefix(TM)
        if prop == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            values[key]["type"].add((row["o"] or "").removeprefix(TM))
            continue
        if prop == _DESCRIPTION:
            values[key]["description"].add(row["o"])  # type: ignore[arg-type]
        elif not prop.startswith("http"):
            values[key][prop].add(row["o"])  # type: ignore[arg-type]
        else:
            continue
        said[key].append((row["p"], row["o"], row["g"], row["c"]))  # type: ignore[arg-type]
    contested = {canonical(r) for v in values.values() for r in v["contestedRegistration"]}
    earlier = {canonical(r) for v in values.values() for r in v["earlierRight"]}
    holdings = holdings_by_id(facts, contested | earlier)
    party_iris = {
        iri
        for v in values.values()
        for name in ("plaintiff", "defendant", "office")
        for iri in v[name]
    } | {h.party for group in holdings.values() for h in group}
    parties = facts.parties(party_iris)
    found = [
        _proceeding(facts, key, values[key], said[key], holdings, parties) for key in sorted(values)
    ]
    found.sort(key=lambda p: (PartialDate.try_parse(p.filing_date) or _NEVER, p.id))
    facts.__dict__["_proceedings"] = found
    return found


_NEVER = PartialDate(9999)


def holdings_by_id(facts: FactBase, iris: set[str]) -> dict[str, list[Holding]]:
    """The registrations and uses among `iris`, by canonical IRI (a mark IRI is not one)."""
    if not iris:
        return {}
    members = sorted({m for i in iris for m in facts.identities.members(i)})
    records: dict = {}
    facts._collect_holdings(records, f"VALUES ?h {{ {iri_values(members)} }}")
    found: dict[str, list[Holding]] = defaultdict(list)
    for holding in facts._holdings_from(records):
        found[holding.id].append(holding)
    return found


def _proceeding(
    facts: FactBase,
    key: str,
    v: Mapping[str, set[str]],
    said: list[tuple[str, str, str, str]],
    holdings: Mapping[str, list[Holding]],
    parties: Mapping[str, PartyRef],
) -> Proceeding:
    canonical = facts.identities.canonical
    kinds = sorted(PROCEEDING_KINDS[t] for t in v["type"] if t in PROCEEDING_KINDS)
    contested = sorted({canonical(r) for r in v["contestedRegistration"]})
    contested_holdings = [h for r in contested for h in holdings.get(r, [])]
    earlier = sorted({canonical(r) for r in v["earlierRight"]})
    earlier_marks = {h.mark for r in earlier for h in holdings.get(r, [])} | {
        MarkRef(id=r, text=facts.marks[r]) for r in earlier if r in facts.marks
    }
    holder_ids = {canonical(d) for d in v["defendant"]} | {h.party for h in contested_holdings}
    classes = {int(c.rsplit("/", 1)[-1]) for c in v["niceClass"] if c.rsplit("/", 1)[-1].isdigit()}
    if not classes:
        classes = {c for h in contested_holdings for c in h.classes}
    places = sorted(j.rsplit("/", 1)[-1] for j in v["jurisdiction"]) or sorted(
        {h.jurisdiction for h in contested_holdings if h.jurisdiction}
    )
    outcomes = sorted(_OUTCOME_NAMES[o] for o in v["outcome"] if o in _OUTCOME_NAMES)
    offices = sorted({canonical(o) for o in v["office"]})
    # Cited: the proceeding's own values, and the holder, mark and number of the contested
    # right and of the earlier rights, each with the graphs that state it (issue 16)
    statements = cite_each(key, said, facts.identities) + tuple(
        dict.fromkeys(
            c
            for r in (*contested, *earlier)
            for h in holdings.get(r, [])
            for c in shown(h.statements, *_RIGHT_SHOWN)
        )
    )

    def refs(iris: Iterable[str]) -> tuple[PartyRef, ...]:
        chosen = {canonical(i) for i in iris}
        return tuple(sorted((parties[i] for i in chosen), key=lambda p: (p.name, p.id)))

    office = parties[offices[0]] if offices else None
    plaintiffs, holders_of = refs(v["plaintiff"]), refs(holder_ids)
    # and the names it gives the parties, each from the graphs stating it
    statements = with_names(statements, *plaintiffs, *holders_of, office)
    return Proceeding(
        id=key,
        kind=kinds[0] if kinds else "proceeding",
        number=min(v["caseNumber"]) if v["caseNumber"] else None,
        jurisdiction=places[0] if places else None,
        office=office,
        plaintiffs=plaintiffs,
        holders=holders_of,
        contested=tuple(contested),
        contested_numbers=tuple(
            sorted(
                {
                    n
                    for h in contested_holdings
                    for n in (h.registration_number or h.application_number,)
                    if n
                }
            )
        ),
        marks=tuple(sorted({h.mark for h in contested_holdings}, key=lambda m: m.id)),
        earlier_rights=tuple(earlier),
        earlier_marks=tuple(sorted(earlier_marks, key=lambda m: m.id)),
        classes=tuple(sorted(classes)),
        filing_date=_first(v["proceedingFilingDate"]),
        decision_date=_first(v["decisionDate"]),
        outcome=outcomes[0] if outcomes else None,
        description=min(v["description"]) if v["description"] else None,
        sources=facts.source_refs(cited_graphs(statements)),
        statements=statements,
    )


_RIGHT_SHOWN = ("mark", "registrationNumber", "applicationNumber")


def _first(values: set[str]) -> str | None:
    dated = sorted((d, v) for v in values if (d := PartialDate.try_parse(v)) is not None)
    return dated[0][1] if dated else (min(values) if values else None)
