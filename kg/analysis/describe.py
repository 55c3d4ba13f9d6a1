"""What the graph says about one resource, each statement with the source that states it: the
data behind ``GET /id/...`` (linked-data pages) and anything else that shows one node.

`describe` reads the store by pattern (no query text is built from the IRI): the statements whose
subject is the resource, in every named graph, and the statements that point at it (up to
`MAX_LINKS` each way, counted). Each statement keeps its graph and that graph's source
(``prov:wasDerivedFrom``); linked resources get readable labels (names, mark texts, numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.analysis.model import Result, SourceRef
from kg.namespaces import ID

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase
    from kg.graph import KnowledgeGraph

__all__ = ["MAX_LINKS", "Description", "Statement", "describe", "local_iri"]

MAX_LINKS = 500
"""Most statements read each way (about the resource, pointing at it)."""

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Statement(Result):
    """One statement: `predicate` and `value` (an IRI, or a literal's lexical form with its
    `datatype`/`language`), in `graph`, stated by `source` (None: the graph names no source).
    For a statement pointing at the resource, `value` is its subject."""

    predicate: str
    value: str
    is_iri: bool
    datatype: str | None
    language: str | None
    graph: str | None
    source: SourceRef | None
    label: str | None = None
    """A readable label of an IRI value (a name, a mark's text, a number), where known."""


@dataclass(frozen=True)
class Description(Result):
    """What the graph says about `iri`, and what points at it."""

    iri: str
    label: str
    types: tuple[str, ...]
    statements: tuple[Statement, ...]
    links_in: tuple[Statement, ...]
    truncated: bool = False
    """More than `MAX_LINKS` statements one way or the other: the rest were left out."""
    sources: tuple[SourceRef, ...] = field(default=())

    @property
    def exists(self) -> bool:
        return bool(self.statements or self.links_in)


def local_iri(path: str) -> str:
    """The tmkg IRI a path under ``/id/`` names.

    >>> local_iri("party/amazon")
    'https://w3id.org/tmkg/id/party/amazon'
    """
    return f"{ID}{path}"


def describe(graph: KnowledgeGraph, iri: str, facts: FactBase | None = None) -> Description:
    """The statements about `iri` and those pointing at it, each with its graph and source.

    `facts` (an `Analyst`'s fact base) is reused for labels and sources when given. Never
    raises for an unknown or malformed IRI: the description is then empty
    (`Description.exists` is False).
    """
    if facts is None:
        from kg.analysis.facts import FactBase

        facts = FactBase(graph.store)
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # not an IRI (RFC 3987): nothing can be said about it
        return Description(iri=iri, label=iri, types=(), statements=(), links_in=())
    outgoing, out_cut = _read(graph.store.quads(subject=node))
    incoming, in_cut = _read(graph.store.quads(obj=node))
    iris = {q.object.value for q in outgoing if isinstance(q.object, ox.NamedNode)}
    iris |= {q.subject.value for q in incoming if isinstance(q.subject, ox.NamedNode)}
    labels = facts.labels(iris | {iri}) if iris or outgoing else {}
    sources = facts.sources

    def statement(quad: ox.Quad, value: ox.NamedNode | ox.BlankNode | ox.Literal) -> Statement:
        graph_name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        literal = value if isinstance(value, ox.Literal) else None
        return Statement(
            predicate=quad.predicate.value,
            value=value.value,
            is_iri=isinstance(value, ox.NamedNode),
            datatype=literal.datatype.value if literal and not literal.language else None,
            language=literal.language if literal else None,
            graph=graph_name,
            source=sources.get(graph_name) if graph_name else None,
            label=labels.get(value.value) if isinstance(value, ox.NamedNode) else None,
        )

    about = tuple(
        sorted(
            (statement(q, q.object) for q in outgoing),  # type: ignore[arg-type]
            key=lambda s: (s.predicate != _RDF_TYPE, s.predicate, s.value, s.graph or ""),
        )
    )
    pointing = tuple(
        sorted(
            (statement(q, q.subject) for q in incoming),  # type: ignore[arg-type]
            key=lambda s: (s.predicate, s.value, s.graph or ""),
        )
    )
    cited = {s.source.graph: s.source for s in (*about, *pointing) if s.source}
    return Description(
        iri=iri,
        label=labels.get(iri) or iri.rsplit("/", 1)[-1],
        types=tuple(sorted({s.value for s in about if s.predicate == _RDF_TYPE})),
        statements=about,
        links_in=pointing,
        truncated=out_cut or in_cut,
        sources=tuple(cited[g] for g in sorted(cited)),
    )


def _read(quads: object) -> tuple[list[ox.Quad], bool]:
    read: list[ox.Quad] = []
    for quad in quads:  # type: ignore[attr-defined]
        if len(read) == MAX_LINKS:
            return read, True
        read.append(quad)
    return read, False
