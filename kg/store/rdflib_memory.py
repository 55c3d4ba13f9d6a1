"""A reference backend on rdflib's in-memory `Dataset`: pure Python, slow, but the common yardstick.

Used by the benchmarks to compare against Oxigraph and by the contract tests to keep the
interface honest with a second, independent engine.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from kg.errors import QueryError
from kg.store.base import GraphName, QueryResult, Term

# rdflib warns, with its own file and line, on each xsd:boolean it cannot read ("Parsing weird
# boolean") as it makes the literal; tmkg reports ill-typed literals in its own words.
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)

__all__ = ["RdflibStore", "from_rdflib", "to_rdflib"]

_DEFAULT = rdflib.graph.DATASET_DEFAULT_GRAPH_ID
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


class RdflibStore:
    """rdflib `Dataset` in memory, with the default graph read as the union of all graphs."""

    backend: ClassVar[str] = "rdflib"
    persistent: ClassVar[bool] = False
    transactional: ClassVar[bool] = False

    def __init__(self, path: str | Path | None = None) -> None:
        self._dataset = rdflib.Dataset(default_union=True)

    @property
    def location(self) -> str:
        return ":memory:"

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        self._dataset.default_union = union_default_graph and not default_graphs
        target: rdflib.Graph = self._dataset
        if default_graphs:
            target = rdflib.Graph()
            for graph in default_graphs:
                for triple in self._dataset.graph(URIRef(graph.value)):
                    target.add(triple)
        try:
            result = target.query(sparql, initNs=prefixes or {})
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return TripleList(ox.Triple(*map(from_rdflib, triple)) for triple in result)  # type: ignore[return-value]
            payload = result.serialize(format="json")
        except Exception as error:  # rdflib raises pyparsing and assorted errors
            raise QueryError(f"SPARQL query failed: {error}") from error
        return ox.parse_query_results(payload, ox.QueryResultsFormat.JSON)  # type: ignore[return-value]

    def update(self, sparql: str) -> None:
        try:
            self._dataset.update(sparql)
        except Exception as error:
            raise QueryError(f"SPARQL Update failed: {error}") from error

    def add(self, quads: Iterable[ox.Quad]) -> int:
        added = 0
        for quad in quads:
            rdf_quad = _quad_to_rdflib(quad)
            if rdf_quad not in self._dataset:
                self._dataset.add(rdf_quad)
                added += 1
        return added

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        removed = 0
        for quad in quads:
            rdf_quad = _quad_to_rdflib(quad)
            if rdf_quad in self._dataset:
                self._dataset.remove(rdf_quad)
                removed += 1
        return removed

    def quads(
        self,
        subject: Term | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        context = None if graph is None else _graph_to_rdflib(graph)
        pattern = (to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj), context)
        for s, p, o, g in self._dataset.quads(pattern):  # type: ignore[arg-type]
            graph_name = ox.DefaultGraph() if g in (None, _DEFAULT) else from_rdflib(g)
            yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph_name)

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        return [
            from_rdflib(graph.identifier)  # type: ignore[misc]
            for graph in self._dataset.graphs()
            if graph.identifier != _DEFAULT and len(graph)
        ]

    def count(self, graph: GraphName | None = None) -> int:
        return sum(1 for _ in self.quads(graph=graph))

    def close(self) -> None:
        self._dataset.close()


class TripleList(list):
    """CONSTRUCT results as a list that serializes like pyoxigraph's `QueryTriples`."""

    def serialize(
        self, output: object = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES
    ) -> bytes | None:
        return ox.serialize(self, output, format)  # type: ignore[arg-type]


def to_rdflib(term: Term | ox.NamedNode | None) -> Node | None:
    """Convert a pyoxigraph term to rdflib's; ``None`` stays ``None``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:
            return Literal(term.value)  # rdflib keeps plain and xsd:string literals apart
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term: Node) -> Term:
    """Convert an rdflib term to pyoxigraph's."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def _graph_to_rdflib(graph: GraphName) -> Node:
    return _DEFAULT if isinstance(graph, ox.DefaultGraph) else to_rdflib(graph)  # type: ignore[return-value]


def _quad_to_rdflib(quad: ox.Quad) -> tuple[Node, Node, Node, Node]:
    return (
        to_rdflib(quad.subject),
        to_rdflib(quad.predicate),
        to_rdflib(quad.object),
        _graph_to_rdflib(quad.graph_name),
    )  # type: ignore[return-value]
