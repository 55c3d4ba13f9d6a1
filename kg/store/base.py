"""The store contract: one interface every backend implements.

Terms are pyoxigraph's (`NamedNode`, `BlankNode`, `Literal`, `Quad`): the default backend speaks
them natively, so the hot path converts nothing; other backends convert at their edge.
Query results are pyoxigraph's `QuerySolutions`, `QueryBoolean` or `QueryTriples` (or objects
with the same shape: iterable, `.variables` for solutions, `.serialize(format=...)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, Protocol, runtime_checkable

import pyoxigraph as ox

__all__ = ["GraphName", "QueryResult", "Store", "Term"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class Store(Protocol):
    """An RDF dataset (default graph + named graphs) that can be queried and changed atomically.

    Capability flags say what a backend can promise, as rdflib's `Store` does.
    """

    backend: ClassVar[str]
    persistent: ClassVar[bool]
    transactional: ClassVar[bool]

    @property
    def location(self) -> str:
        """Where the data lives: a folder, a URL, or ``:memory:``."""
        ...

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query. By default the default graph is the union of all graphs.

        `prefixes` are declared for the query unless it declares them itself.

        Raises `kg.errors.QueryError` for a malformed query.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update atomically: all of it or nothing."""
        ...

    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads in one transaction; return how many were not already there."""
        ...

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        """Remove quads in one transaction; return how many were there."""
        ...

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern; ``None`` matches anything."""
        ...

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """Every named graph in the dataset."""
        ...

    def count(self, graph: GraphName | None = None) -> int:
        """Number of quads, in one graph or in all."""
        ...

    def close(self) -> None:
        """Release files and locks. The store is unusable afterwards."""
        ...
