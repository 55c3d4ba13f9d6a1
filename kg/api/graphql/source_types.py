"""GraphQL types for sources and statement-level provenance (`kg.analysis.model.Cited`).

An answer's `statements` list what it states, each with exactly the sources that state it:
the same statements the CLI, the reports and the Python API give, from the service layer.
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from kg.analysis import model

__all__ = ["Source", "StatedFact", "Statement", "statements_of"]


@strawberry.type(description="A source of facts: the document, and the named graph holding them.")
class Source:
    id: strawberry.ID = strawberry.field(
        description="IRI of the source (of the named graph when no source is described)"
    )
    graph: str = strawberry.field(description="IRI of the named graph holding the facts")
    title: str | None
    publisher: str | None
    date: str | None
    kind: str | None = strawberry.field(description="primary or secondary")
    curated: bool = strawberry.field(
        default=False,
        description="a curation graph: curators' additions from the source, in their words",
    )

    @classmethod
    def of(cls, ref: model.SourceRef) -> Source:
        return cls(
            id=strawberry.ID(ref.id or ref.graph),
            graph=ref.graph,
            title=ref.title,
            publisher=ref.publisher,
            date=ref.date,
            kind=ref.kind,
            curated=ref.curated,
        )


@strawberry.type(description="One fact of a statement: a property and its value.")
class StatedFact:
    property: str = strawberry.field(description="IRI of the property (tm:startDate...)")
    value: str = strawberry.field(
        description="an IRI (owl:sameAs resolved to the canonical one) or a literal's text"
    )


@strawberry.type(
    description="One statement of an answer, with exactly the sources that state it: every "
    "source listed states all its facts about the subject (or a record owl:sameAs it), and no "
    "other source does. A use's facts are read with its user (docs/provenance.md)."
)
class Statement:
    subject: strawberry.ID = strawberry.field(description="IRI of what the statement is about")
    facts: list[StatedFact]
    sources: list[Source]
    identities: list[Source] = strawberry.field(
        description="the sources stating the owl:sameAs links the statement is read through"
    )


def statements_of(cited: Iterable[model.Cited], refs: Iterable[model.SourceRef]) -> list[Statement]:
    """GraphQL statements, each source described as the answer's own `sources` describe it."""
    known = {ref.graph: ref for ref in refs}

    def sources(graphs: Iterable[str]) -> list[Source]:
        return [Source.of(known.get(g) or model.SourceRef(graph=g)) for g in graphs]

    return [
        Statement(
            subject=strawberry.ID(c.subject),
            facts=[StatedFact(property=p, value=v) for p, v in c.facts],
            sources=sources(c.sources),
            identities=sources(c.identities),
        )
        for c in cited
    ]
