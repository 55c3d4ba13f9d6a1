"""Which source states which fact of a registration or a use (statement-level provenance).

A **registration** is a record of its own: its number, dates, classes and status are its
facts whoever holds it, each cited to the named graphs that state it; its holder is one more
statement, ``((tm:owner, P), (tm:mark, M))``.

A **use** is a relation of its user to a mark: its place, classes and dates are read *with
its user*, so each of its statements is ``((tm:user, P), (tm:xxx, value))`` and cites only the
graphs that state both. A source that gives the same use node another user (the seed
article's "Huanghuanxin.com" runs AWS Ningxia, the AWS blog's NWCD runs it from 2017) states
that user's use, and its date is not a date of this one.

Values stated differently by different sources stay apart: two filing dates are two
statements, each with its own sources (`stated_values`). IRIs of parties and marks are
canonical (owl:sameAs resolved); a statement read through an identity lists the graphs that
state the owl:sameAs links in ``Cited.identities``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.model import Cited
from kg.analysis.sparql_text import TM

if TYPE_CHECKING:
    from kg.analysis.facts import Identities
    from kg.analysis.lookups import HoldingRecord

__all__ = [
    "HolderView",
    "cite_each",
    "cited_graphs",
    "holder_view",
    "shown",
    "stated_values",
]

_CANONICAL_FIELDS = frozenset({"mark", "owner", "user", "onBehalfOf"})
_PROPERTIES: dict[str, str] = {}
"""tm: local name -> property IRI, one string each (a register's holdings cite millions)."""


def _property(name: str) -> str:
    iri = _PROPERTIES.get(name)
    if iri is None:
        iri = _PROPERTIES[name] = TM + name
    return iri


HOLDER_FIELD = {"Registration": "owner", "Use": "user"}


@dataclass(frozen=True)
class HolderView:
    """One holder's view of a registration or use record.

    ``values``: field -> the values as stated (a use's: only those its user's sources state);
    ``statements``: each fact with its sources; ``sources``: every graph cited, identity
    graphs included.
    """

    values: dict[str, set[str]]
    statements: tuple[Cited, ...]
    sources: tuple[str, ...]
    graph_identities: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(graph, the identity graphs its naming of the record, holder and mark rests on)."""


def holder_view(
    record: HoldingRecord, key: str, party: str, mark: str, identities: Identities
) -> HolderView:
    """The statements of the record `key` (canonical IRI) as held by `party`, of `mark`."""
    canonical = identities.canonical
    holder_field = HOLDER_FIELD[record.kind]
    graphs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    raws: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (name, raw), graphs in record.stated.items():
        value = canonical(raw) if name in _CANONICAL_FIELDS else raw
        graphs_of[(name, value)] |= graphs
        raws[(name, value)].add(raw)
    holder = graphs_of.get((holder_field, party), set())
    use = record.kind == "Use"
    # the IRIs named otherwise than by their canonical IRI: only these need an identity
    aliased = {i for i in record.iris if i != canonical(i)} | {
        raw for _, raw in record.stated if raw != canonical(raw)
    }

    def cite(facts: tuple[tuple[str, str], ...], graphs: set[str]) -> Cited:
        return Cited(
            subject=key,
            facts=tuple((_property(name), value) for name, value in facts),
            sources=tuple(sorted(graphs)),
            identities=_identity_graphs(record, facts, graphs, raws, identities, aliased),
        )

    core = ((holder_field, party), ("mark", mark))
    together = holder & graphs_of.get(("mark", mark), set())
    if together or not holder:
        statements = [cite(core, together)]
    else:  # no graph states both (helper-125: the owner in one file, the mark in another)
        statements = [cite(core[:1], holder), cite(core[1:], graphs_of.get(("mark", mark), set()))]
    values: dict[str, set[str]] = defaultdict(set)
    for (name, value), graphs in sorted(graphs_of.items()):
        if name == holder_field:
            if value == party:
                values[name] |= raws[(name, value)]
            elif not use:
                values[name] |= raws[(name, value)]  # a registration's other owners
            continue
        if use:
            graphs = graphs & holder
            if not graphs:
                continue  # stated only by sources that name another user
        values[name] |= raws[(name, value)]
        if name != "mark":
            facts = ((holder_field, party), (name, value)) if use else ((name, value),)
            statements.append(cite(facts, graphs))
    per_graph = tuple(
        (graph, _identity_graphs(record, core, (graph,), raws, identities, aliased))
        for graph in sorted(holder)
    )
    return HolderView(dict(values), tuple(statements), cited_graphs(statements), per_graph)


def _identity_graphs(
    record: HoldingRecord,
    facts: Sequence[tuple[str, str]],
    graphs: Iterable[str],
    raws: dict[tuple[str, str], set[str]],
    identities: Identities,
    aliased: set[str],
) -> tuple[str, ...]:
    """The graphs stating the owl:sameAs links by which `graphs` state `facts` of the record:
    a record or party named by another member of its owl:sameAs group than the canonical
    IRI (one of `aliased`) is read through the identity."""
    if not aliased:
        return ()  # every IRI the record's sources use is canonical: no identity read
    found: set[str] = set()
    for graph in graphs:
        named = set(record.subjects.get(graph, ()))
        for name, value in facts:
            named |= {r for r in raws.get((name, value), ()) if graph in record.stated[(name, r)]}
        found |= {g for iri in named & aliased for g in identities.link_graphs(iri)}
    return tuple(sorted(found))


def stated_values(statements: Iterable[Cited], prop: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each value the statements give `prop` (a tm: local name or an IRI) with its sources,
    in the order of the values (dates sort as text, so earliest first)."""
    iri = prop if ":" in prop else TM + prop
    found: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        for name, value in statement.facts[-1:]:
            if name == iri:
                found[value] |= set(statement.sources)
    return [(value, tuple(sorted(graphs))) for value, graphs in sorted(found.items())]


def cite_each(
    subject: str, said: Iterable[tuple[str, str, str, str]], identities: Identities
) -> tuple[Cited, ...]:
    """One statement per property and value of a record that stands alone (a case, an
    event): `said` holds (property IRI, value as stated, graph, subject IRI as stated);
    IRI values are made canonical, and a graph naming the subject or the value by another
    member of its owl:sameAs group adds that group's identity graphs."""
    canonical = identities.canonical
    graphs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for prop, raw, graph, named in said:
        value = canonical(raw) if raw.startswith(("http://", "https://")) else raw
        graphs_of[(prop, value)].add(graph)
        for iri in (named, raw):
            if iri != canonical(iri):
                links[(prop, value)] |= identities.link_graphs(iri)
    return tuple(
        Cited(subject, ((prop, value),), tuple(sorted(graphs)), tuple(sorted(links[(prop, value)])))
        for (prop, value), graphs in sorted(graphs_of.items())
    )


def cited_graphs(statements: Iterable[Cited]) -> tuple[str, ...]:
    """Every graph the statements cite, identity graphs included."""
    return tuple(sorted({g for s in statements for g in (*s.sources, *s.identities)}))


def shown(statements: Iterable[Cited], *props: str) -> tuple[Cited, ...]:
    """The statements whose last fact is one of `props` (tm: local names): what an answer
    shows of a holding ("mark" is its holder statement, ``((tm:owner, P), (tm:mark, M))``)."""
    wanted = {TM + p for p in props}
    return tuple(s for s in statements if s.facts and s.facts[-1][0] in wanted)
