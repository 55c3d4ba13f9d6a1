"""Which graphs a SPARQL Update writes, read from its text before it runs (for remote stores).

On the embedded store an update runs on a copy first and its effect, quad by quad, is checked
(`kg.sparql.service`). A remote store (``kg serve --endpoint``) runs the text itself, so what it
would write into tmkg's own graphs (`kg.reference.kept_by_tmkg`) must be read from the text:
the update is parsed by rdflib's SPARQL 1.1 parser into its operations (SPARQL 1.1 Update,
sections 3.1-3.2) and each operation's target graphs are compared with tmkg's:

- ``INSERT DATA`` and the ``INSERT`` template of ``DELETE/INSERT``: a quad in one of tmkg's
  graphs, or a triple of the update's default graph (or of its ``WITH`` graph) about one;
- a template's ``GRAPH ?g``: which graph the variable names is known only when it runs, so it
  is refused (name the graph);
- ``LOAD … INTO GRAPH``, ``ADD``, ``COPY`` and ``MOVE … TO``: the target graph.

A template triple whose subject is a variable can still describe one of tmkg's graphs in the
default graph; the caller brings tmkg's data back to the shipped content after the update
(`kg.graph.KnowledgeGraph.restore_reference_data`), as it does for what an update removes.

>>> own_graph_write("COPY <urn:mine> TO <https://w3id.org/tmkg/id/graph/reference>")
'https://w3id.org/tmkg/id/graph/reference'
>>> own_graph_write("INSERT { GRAPH <urn:mine> { ?s ?p ?o } } WHERE { ?s ?p ?o }") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node, URIRef, Variable

from kg.errors import Forbidden, QueryError
from kg.reference import REFERENCE_GRAPHS

__all__ = ["own_graph_write", "parse_update"]

_OWN = frozenset(graph.value for graph in REFERENCE_GRAPHS)


def own_graph_write(
    text: str, *, prefixes: Mapping[str, str] | None = None, base_iri: str | None = None
) -> str | None:
    """The IRI of the first of tmkg's own graphs `text` writes in or about, or None.

    Raises `QueryError` as `parse_update` does, and `Forbidden` when an ``INSERT`` template
    names its graph by a variable.
    """
    for operation in parse_update(text, prefixes=prefixes, base_iri=base_iri):
        found = _written(operation)
        if found is not None:
            return found
    return None


def parse_update(
    text: str, *, prefixes: Mapping[str, str] | None = None, base_iri: str | None = None
) -> list[Mapping[str, object]]:
    """The operations of a SPARQL 1.1 Update, as rdflib's algebra. Raises `QueryError` with
    rdflib's reason and position when it cannot read the text (a server's own extensions,
    such as Virtuoso's ``INSERT INTO GRAPH``, included: they are not SPARQL 1.1)."""
    try:
        update = translateUpdate(parseUpdate(text), base=base_iri, initNs=dict(prefixes or {}))
    except ParseException as error:
        reason = f"{error.msg}, line {error.lineno}, column {error.col}"
    except Exception as error:  # rdflib's own errors (an undeclared prefix, ...)
        reason = str(error)
    else:
        return list(getattr(update, "algebra", ()))  # an empty text: no operations
    raise QueryError(
        f"SPARQL Update not understood ({reason}): on a remote store tmkg reads an update "
        "as SPARQL 1.1 before sending it, to see which graphs it writes",
        suggestion="check the text against SPARQL 1.1 Update; server-specific forms "
        "(Virtuoso's INSERT INTO GRAPH) are not sent",
    )


def _written(operation: Mapping[str, object]) -> str | None:
    name = getattr(operation, "name", "")
    if name == "InsertData":
        return _template(_field(operation, "quads") or {}, _field(operation, "triples") or [], None)
    if name == "Modify":
        insert = _field(operation, "insert")
        if insert is None:
            return None
        return _template(
            _field(insert, "quads") or {},
            _field(insert, "triples") or [],
            _field(operation, "withClause"),
        )
    if name == "Load":
        return _own(_field(operation, "graphiri"))
    if name in ("Add", "Copy", "Move"):
        return _own(operation["graph"][1])  # type: ignore[index]
    return None  # DELETE, CLEAR, DROP, CREATE: what they remove is restored afterwards


def _field(operation: Mapping[str, object], key: str) -> Any:
    # rdflib's CompValue.get answers the key itself for a missing key: the plain dict's get.
    return dict.get(operation, key)  # type: ignore[arg-type]


def _template(
    quads: Mapping[Node, Iterable[tuple[Node, Node, Node]]],
    triples: Iterable[tuple[Node, Node, Node]],
    with_graph: Node | None,
) -> str | None:
    for graph in quads:
        if isinstance(graph, Variable):
            raise Forbidden(
                f"an INSERT template's GRAPH ?{graph}: on a remote store tmkg reads which "
                "graphs an update writes from its text, and a variable names its graph only "
                "as it runs (tmkg's own graphs are not written by updates)",
                suggestion="name the graph with an IRI, one update per graph",
            )
        if _own(graph):
            return str(graph)
    triples = list(triples)
    if not triples:
        return None
    if with_graph is not None:
        return _own(with_graph) or None
    return next((str(subject) for subject, _, _ in triples if _own(subject)), None)


def _own(term: object) -> str | None:
    return str(term) if isinstance(term, URIRef) and str(term) in _OWN else None
