"""Reading judgments and claims from the store, per source, for `kg.analysis.judgments`.

Each reader asks for the statements of the records and of every record owl:sameAs them, in
each named graph (one query per batch of keys), and hands the quads as stated to the pure
functions, which resolve the identities and cite each value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from kg.analysis.judgments import (
    CLAIM_PROPERTIES,
    CLAIMANT,
    JUDGMENT_PROPERTIES,
    OBJECT_PROPERTIES,
    Claim,
    Judgment,
    Quad,
    claims_from,
    judgment_from,
    select_claims,
)
from kg.analysis.sparql_text import KEY_BATCH, TM, batches, iri_in, iri_values

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["read_claims", "read_judgments"]

_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


def read_judgments(facts: FactBase, cases: Iterable[str]) -> dict[str, list[Judgment]]:
    """The judgments (tm:Judgment events whose tm:case is the case) of each case, earliest
    stated date first (undated last).

    Keyed by canonical case IRI; every case asked for has an entry, maybe empty.
    """
    identities = facts.identities
    wanted = {identities.canonical(c) for c in cases}
    case_members = sorted({m for c in wanted for m in identities.members(c)})
    cases_of: dict[str, set[str]] = defaultdict(set)  # canonical judgment -> canonical cases
    for batch in batches(case_members, KEY_BATCH):
        rows = facts.select(
            f"""SELECT DISTINCT ?c ?j WHERE {{ VALUES ?c {{ {iri_values(batch)} }}
                  ?j <{TM}case> ?c ; a/{_SUBCLASS} <{TM}Judgment> }}"""
        )
        for row in rows:
            cases_of[identities.canonical(row["j"])].add(identities.canonical(row["c"]))  # type: ignore[arg-type]
    found: dict[str, list[Judgment]] = {c: [] for c in wanted}
    if not cases_of:
        return found
    judgment_members = {m for j in cases_of for m in identities.members(j)}
    quads = _quads(facts, judgment_members, JUDGMENT_PROPERTIES)
    quads += _quads(facts, case_members, {TM + "court"})  # a judgment naming no court
    texts = _texts(facts, quads)
    by_subject: dict[str, list[Quad]] = defaultdict(list)
    for quad in quads:
        by_subject[identities.canonical(quad[0])].append(quad)
    for judgment, its_cases in cases_of.items():
        for case in its_cases & wanted:
            found[case].append(
                judgment_from(
                    judgment,
                    case,
                    [*by_subject[judgment], *by_subject[case]],
                    identities,
                    texts=texts,
                    sources=facts.sources,
                )
            )
    for judgments in found.values():
        judgments.sort(key=lambda j: (not j.dates, j.dates[0].value if j.dates else "", j.id))
    return found


def read_claims(
    facts: FactBase,
    marks: Collection[str] | None = None,
    parties: Collection[str] | None = None,
) -> list[Claim]:
    """The tm:Claim records, one per claim and claimant (`kg.analysis.judgments.Claim`), about
    one of `marks` and made by one of `parties` (IRIs; None: any), by claim IRI."""
    identities = facts.identities
    marks = None if marks is None else {identities.canonical(m) for m in marks}
    parties = None if parties is None else {identities.canonical(p) for p in parties}
    patterns = []  # only the claims naming one of the marks (parties), in any graph
    for name, prop, wanted in (("m", TM + "mark", marks), ("p", CLAIMANT, parties)):
        if wanted is not None:
            members = sorted({m for w in wanted for m in identities.members(w)})
            if not members:
                return []
            patterns.append(f"VALUES ?{name} {{ {iri_values(members)} }} ?c <{prop}> ?{name} .")
    rows = facts.select(
        f"""SELECT DISTINCT ?c WHERE {{ ?c a/{_SUBCLASS} <{TM}Claim> . {" ".join(patterns)} }}"""
    )
    claims = {m for row in rows for m in identities.members(row["c"])}  # type: ignore[arg-type]
    quads = _quads(facts, claims, CLAIM_PROPERTIES)
    found = claims_from(quads, identities, texts=_texts(facts, quads), sources=facts.sources)
    return select_claims(found, marks, parties)


def _quads(facts: FactBase, subjects: Iterable[str], properties: Iterable[str]) -> list[Quad]:
    """(subject, property, value, graph) of the subjects' statements of the properties."""
    props = iri_in("p", sorted(properties))
    quads: list[Quad] = []
    for batch in batches(sorted(set(subjects)), KEY_BATCH):
        rows = facts.select(
            f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {iri_values(batch)} }}
                  GRAPH ?g {{ ?s ?p ?o }} {props} }}"""
        )
        quads += [(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[misc]
    return quads


def _texts(facts: FactBase, quads: Iterable[Quad]) -> dict[str, str]:
    """What to show for each IRI value: a party's name, a mark's text, else its label."""
    canonical = facts.identities.canonical
    iris = {canonical(value) for _, prop, value, _ in quads if prop in OBJECT_PROPERTIES}
    texts = facts.labels(iris)
    marks = facts.marks
    texts.update({iri: marks[iri] for iri in iris if iri in marks})
    return texts
