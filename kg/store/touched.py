"""What a write touched: the nodes, predicates and graphs of the quads it added or removed.

A cache kept beside a store for one state of it (`kg.store.write_stamp`) is dropped whole
after a write, unless the write says what it touched: then only what depends on those nodes
is (`kg.analysis.holdings_projection`). `OxigraphStore` records it for the writes whose quads
it is handed (`add`, `remove`, `replace`, a staged copy whose writer records its quads: `kg
import`, a streamed load into a store with data); a SPARQL Update's text, a first streamed
load into an empty store, or more than `Touched.MAX_TERMS` nodes are not told
(`Touched.known` False).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

__all__ = ["Touched"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Touched:
    """The IRIs and blank-node ids (``value``, without ``_:``) of the subjects and objects of
    a write's quads, their predicates' IRIs (each with the subjects it was written for) and
    their graphs' names ("" for the default graph); or, when `known` is False, nothing said:
    anything may have changed.

    >>> touched = Touched()
    >>> touched.record([ox.Quad(ox.NamedNode("urn:r"), ox.NamedNode("urn:p"),
    ...                         ox.NamedNode("urn:o"), ox.NamedNode("urn:g"))])
    >>> sorted(touched.terms), touched.predicates, sorted(touched.graphs)
    (['urn:o', 'urn:r'], {'urn:p': {'urn:r'}}, ['urn:g'])
    >>> Touched.unknown().known
    False

    `blank` says whether a node written was a blank node: its id is no IRI even where it
    reads as one (``_:urn:m1`` is recorded as ``urn:m1``), so a reader that looks nodes up
    by IRI cannot trust what it finds for it.
    """

    MAX_TERMS = 500_000
    """Past this many nodes (~50 MB of strings) a write is not told: what depends on it all
    is dropped (a register's first import, where nothing was kept yet)."""

    def __init__(self) -> None:
        self.known = True
        self.terms: set[str] = set()
        self.predicates: dict[str, set[str]] = {}
        self.graphs: set[str] = set()
        self.typed: dict[str, set[str]] = {}
        """Class IRI -> the nodes an rdf:type statement written types as it."""
        self.blank = False

    @classmethod
    def unknown(cls) -> Touched:
        touched = cls()
        touched.forget()
        return touched

    def forget(self) -> None:
        """Say nothing from now on: anything may have changed."""
        self.known = False
        self.terms, self.predicates, self.graphs, self.typed = set(), {}, set(), {}
        self.blank = False

    def record(self, quads: Iterable[ox.Quad]) -> None:
        """Add the quads' nodes, predicates and graphs (added or removed alike)."""
        if not self.known:
            return
        terms, predicates, graphs, typed = self.terms, self.predicates, self.graphs, self.typed
        for quad in quads:
            for term in (quad.subject, quad.object, quad.graph_name):
                if isinstance(term, ox.BlankNode):
                    self.blank = True
            for term in (quad.subject, quad.object):
                if isinstance(term, (ox.NamedNode, ox.BlankNode)):
                    terms.add(term.value)
                elif not isinstance(term, ox.Literal):  # an RDF-star triple term
                    self.forget()
                    return
            predicates.setdefault(quad.predicate.value, set()).add(quad.subject.value)  # type: ignore[union-attr]
            if quad.predicate.value == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                typed.setdefault(quad.object.value, set()).add(quad.subject.value)  # type: ignore[union-attr]
            graph = quad.graph_name
            graphs.add("" if isinstance(graph, ox.DefaultGraph) else graph.value)
        if len(terms) > self.MAX_TERMS:
            self.forget()

    def update(self, other: Touched) -> None:
        """Add what `other` touched (not known if either is not)."""
        if not other.known:
            self.forget()
        elif self.known:
            self.terms |= other.terms
            for predicate, subjects in other.predicates.items():
                self.predicates.setdefault(predicate, set()).update(subjects)
            for cls, nodes in other.typed.items():
                self.typed.setdefault(cls, set()).update(nodes)
            self.graphs |= other.graphs
            self.blank = self.blank or other.blank
            if len(self.terms) > self.MAX_TERMS:
                self.forget()
