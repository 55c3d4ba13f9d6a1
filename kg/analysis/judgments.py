"""Judgments and claims as their sources state them: every value with exactly its sources.

A **judgment** (a tm:Judgment event of a case) is a record of its own, like a registration:
its date, court, damages, costs, currency, payers, payees, orders and descriptions are its
facts, each value cited to the named graphs that state it. Sources that give a field
different values are never merged: the seed's judgment has damages 76460000 (the seed article)
and 76463000 (elecfans.com), two values, each with its one source; the article's payers
(ActionSoft, by its other name, and Amazon) and elecfans.com's (the two defendants) are four
values, each with its own sources. The court is the judgment's tm:court; when no source states
one, the court of its case (`Judgment.court_from_case`), cited as a statement about the case.

A **claim** (tm:Claim: a first-use, ownership or filing claim a source reports) is read *with
its claimant*, as a use is read with its user (`kg.analysis.holding_statements`): one `Claim`
per claimant, and each of its facts cites only the graphs that name that claimant too.

IRIs are canonical (owl:sameAs resolved); a value read through an owl:sameAs link (a source
naming the payee by another record's IRI) lists the graphs stating the link in its
statement's ``identities``.

>>> from kg.analysis.facts import Identities
>>> TM = "https://w3id.org/tmkg/ontology#"
>>> quads = [("urn:j", TM + "damages", "500000", "urn:g1"), ("urn:j", TM + "damages", "800000",
...           "urn:g2"), ("urn:j", TM + "payee", "urn:b", "urn:g2")]
>>> found = judgment_from("urn:j", "urn:c", quads, Identities([("urn:a", "urn:b")],
...                       [("urn:b", "urn:a", "urn:ids")]), texts={"urn:a": "A Co."}, sources={})
>>> [(v.value, v.statement.sources) for v in found.damages]
[('500000', ('urn:g1',)), ('800000', ('urn:g2',))]
>>> payee = found.payees[0]
>>> payee.value, payee.text, payee.statement.sources, payee.statement.identities
('urn:a', 'A Co.', ('urn:g2',), ('urn:ids',))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from kg.analysis.holding_statements import cited_graphs
from kg.analysis.model import Cited, Result, SourceRef, source_refs
from kg.analysis.sparql_text import TM

__all__ = [
    "CLAIMANT",
    "CLAIM_PROPERTIES",
    "DESCRIPTION",
    "JUDGMENT_PROPERTIES",
    "OBJECT_PROPERTIES",
    "Claim",
    "Judgment",
    "Quad",
    "StatedValue",
    "claims_from",
    "judgment_from",
    "select_claims",
]

DESCRIPTION = "http://purl.org/dc/terms/description"
CLAIMANT = TM + "claimant"

Quad = tuple[str, str, str, str]
"""(subject as the source names it, property IRI, value as stated: an IRI or a literal's
lexical form, named graph)."""

_JUDGMENT_FIELDS = {
    "dates": TM + "date",
    "courts": TM + "court",
    "damages": TM + "damages",
    "costs": TM + "costs",
    "currencies": TM + "currency",
    "approximate_amounts_usd": TM + "approximateAmountUSD",
    "payers": TM + "payer",
    "payees": TM + "payee",
    "orders": TM + "orders",
    "descriptions": DESCRIPTION,
}
_CLAIM_FIELDS = {
    "kinds": TM + "claimKind",
    "marks": TM + "mark",
    "jurisdictions": TM + "jurisdiction",
    "dates": TM + "claimedDate",
    "descriptions": DESCRIPTION,
}
JUDGMENT_PROPERTIES = frozenset(_JUDGMENT_FIELDS.values())
"""The properties of a judgment read (and a case's tm:court, for `Judgment.court_from_case`)."""
CLAIM_PROPERTIES = frozenset({CLAIMANT, *_CLAIM_FIELDS.values()})
OBJECT_PROPERTIES = frozenset(
    {TM + p for p in ("court", "payer", "payee", "claimant", "claimKind", "mark", "jurisdiction")}
)
"""Properties whose values are IRIs, resolved to their canonical IRI."""


class _Identities(Protocol):
    def canonical(self, iri: str) -> str: ...

    def link_graphs(self, iri: str) -> frozenset[str]: ...


@dataclass(frozen=True)
class StatedValue(Result):
    """One value a field is given, with exactly the sources that state it.

    ``value`` is a canonical IRI (a party, a mark, a jurisdiction, a claim kind) or a literal's
    lexical form (``"76460000"``, ``"2020-05"``); ``text`` is what to show (a party's name, a
    mark's text, or the value itself); ``statement`` carries the sources (named graph IRIs)
    and the identity graphs the value is read through.
    """

    value: str
    text: str
    statement: Cited


@dataclass(frozen=True)
class Judgment(Result):
    """A judgment of a case, each field a tuple of the values its sources state (empty: no
    source states one). Amounts are decimals as written, in the stated currencies; dates as
    precise as the source (``2020-05``), earliest first."""

    id: str
    case: str
    dates: tuple[StatedValue, ...]
    courts: tuple[StatedValue, ...]
    damages: tuple[StatedValue, ...]
    costs: tuple[StatedValue, ...]
    currencies: tuple[StatedValue, ...]
    approximate_amounts_usd: tuple[StatedValue, ...]
    """A source's own conversion of the damages to US dollars (tm:approximateAmountUSD)."""
    payers: tuple[StatedValue, ...]
    payees: tuple[StatedValue, ...]
    orders: tuple[StatedValue, ...]
    """Non-monetary orders, one line each (tm:orders)."""
    descriptions: tuple[StatedValue, ...]
    court_from_case: bool
    """True when no source states the judgment's court and `courts` are its case's."""
    instance: str | None
    """The court's instance (first instance, appeal): the ontology has no term for it, so no
    source can state it and it is None (a case's description may say it in words)."""
    sources: tuple[SourceRef, ...]
    """Every source the values are cited to, identity graphs included."""
    statements: tuple[Cited, ...]
    """Each value's statement (the same as on the values), for provenance checks."""


@dataclass(frozen=True)
class Claim(Result):
    """A tm:Claim as one claimant makes it: what is claimed (a first-use, ownership or filing
    claim), for which mark, where, from when, each value cited to the graphs that state it
    and name this claimant (the claim's statements are ``((tm:claimant, P), (property, v))``)."""

    id: str
    claimant: StatedValue
    kinds: tuple[StatedValue, ...]
    marks: tuple[StatedValue, ...]
    jurisdictions: tuple[StatedValue, ...]
    dates: tuple[StatedValue, ...]
    """The dates the claimant gives (tm:claimedDate), earliest first."""
    descriptions: tuple[StatedValue, ...]
    sources: tuple[SourceRef, ...]
    statements: tuple[Cited, ...]


# (canonical subject, property) -> canonical value -> graph -> identity graphs relied on
_Index = dict[tuple[str, str], dict[str, dict[str, set[str]]]]


def _index(quads: Iterable[Quad], identities: _Identities) -> _Index:
    found: _Index = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    canonical = identities.canonical
    for subject, prop, value, graph in quads:
        key = canonical(subject)
        shown = canonical(value) if prop in OBJECT_PROPERTIES else value
        via = found[(key, prop)][shown][graph]
        if key != subject:
            via |= identities.link_graphs(subject)
        if shown != value:
            via |= identities.link_graphs(value)
    return found


def _stated(
    subject: str,
    facts: tuple[tuple[str, str], ...],
    graphs: Mapping[str, set[str]],
    texts: Mapping[str, str],
) -> StatedValue:
    value = facts[-1][1]
    statement = Cited(
        subject=subject,
        facts=facts,
        sources=tuple(sorted(graphs)),
        identities=tuple(sorted({g for via in graphs.values() for g in via})),
    )
    return StatedValue(value=value, text=texts.get(value, value), statement=statement)


def _refs(statements: Iterable[Cited], sources: Mapping[str, SourceRef]) -> tuple[SourceRef, ...]:
    return source_refs(sources, cited_graphs(statements))


def judgment_from(
    judgment: str,
    case: str,
    quads: Iterable[Quad],
    identities: _Identities,
    *,
    texts: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> Judgment:
    """The judgment `judgment` of `case` from the quads stating its facts (and its case's
    tm:court), each value with exactly its graphs.

    `texts` maps canonical IRIs to what to show (names); `sources` graphs to their sources.
    """
    index = _index(quads, identities)
    judgment, case = identities.canonical(judgment), identities.canonical(case)

    def values(subject: str, prop: str) -> tuple[StatedValue, ...]:
        stated = index.get((subject, prop), {})
        return tuple(_stated(subject, ((prop, v),), stated[v], texts) for v in sorted(stated))

    fields = {name: values(judgment, prop) for name, prop in _JUDGMENT_FIELDS.items()}
    from_case = not fields["courts"] and bool(index.get((case, TM + "court")))
    if from_case:
        fields["courts"] = values(case, TM + "court")
    statements = tuple(v.statement for found in fields.values() for v in found)
    return Judgment(
        id=judgment,
        case=case,
        **fields,
        court_from_case=from_case,
        instance=None,
        sources=_refs(statements, sources),
        statements=statements,
    )


def claims_from(
    quads: Iterable[Quad],
    identities: _Identities,
    *,
    texts: Mapping[str, str],
    sources: Mapping[str, SourceRef],
) -> list[Claim]:
    """The claims the quads state, one per claim and claimant, by claim IRI then claimant.

    A fact of the claim counts for a claimant only in the graphs naming that claimant.
    """
    index = _index(quads, identities)
    found = []
    for subject, prop in sorted(k for k in index if k[1] == CLAIMANT):
        for claimant, claimant_graphs in sorted(index[(subject, prop)].items()):
            core = ((CLAIMANT, claimant),)
            fields: dict[str, tuple[StatedValue, ...]] = {}
            for name, field_prop in _CLAIM_FIELDS.items():
                stated = []
                for value, graphs in sorted(index.get((subject, field_prop), {}).items()):
                    shared = {
                        g: via | claimant_graphs[g]
                        for g, via in graphs.items()
                        if g in claimant_graphs
                    }
                    if shared:  # else stated only by sources naming another claimant
                        stated.append(_stated(subject, (*core, (field_prop, value)), shared, texts))
                fields[name] = tuple(stated)
            who = _stated(subject, core, claimant_graphs, texts)
            statements = (who.statement, *(v.statement for f in fields.values() for v in f))
            found.append(
                Claim(
                    id=subject,
                    claimant=who,
                    **fields,
                    sources=_refs(statements, sources),
                    statements=statements,
                )
            )
    return found


def select_claims(
    claims: Iterable[Claim],
    marks: Collection[str] | None = None,
    parties: Collection[str] | None = None,
) -> list[Claim]:
    """The claims about one of `marks` (canonical IRIs; a source must state the mark) and
    made by one of `parties` (canonical IRIs); None means any."""
    return [
        claim
        for claim in claims
        if (marks is None or any(m.value in marks for m in claim.marks))
        and (parties is None or claim.claimant.value in parties)
    ]
