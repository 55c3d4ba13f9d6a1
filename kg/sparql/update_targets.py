"""Which graphs a SPARQL Update writes, read from its text before it runs (for remote stores).

On the embedded store an update runs on a copy first and its effect, quad by quad, is checked
(`kg.sparql.service`). A remote store (``kg serve --endpoint``) runs the text itself, so what it
would write into tmkg's own graphs (`kg.reference.kept_by_tmkg`) must be read from the text:
the text exactly as it is sent (tmkg's PREFIX lines in front) is parsed by rdflib's SPARQL 1.1
parser into its operations (SPARQL 1.1 Update, sections 3.1-3.2; each operation's names
resolved by the prologues before it, as the standard says) and each operation's target graphs
are compared with tmkg's:

- ``INSERT DATA`` and the ``INSERT`` template of ``DELETE/INSERT``: a quad in one of tmkg's
  graphs, or a triple about one in the default graph (the update's, its ``WITH`` graph's, or
  the graph holding tmkg's default graph on the server, named);
- a template's ``GRAPH ?g``: which graph the variable names is known only when it runs, so it
  is refused (name the graph);
- ``LOAD … INTO GRAPH``, ``ADD``, ``COPY`` and ``MOVE … TO``: the target graph.

Two parsers can read one text differently. Where they are known to, the text is refused before
either reads it (`check_sendable`): ``\\u``/``\\U`` escapes, which SPARQL 1.1 (section 19.2)
and rdflib expand before parsing, and Virtuoso only inside strings and IRIs. And whatever an
update writes about tmkg's graphs through a variable, the caller removes right after it runs
(`kg.graph.KnowledgeGraph.restore_reference_data`), as it restores what an update removes.

>>> own_graph_write("COPY <urn:mine> TO <https://w3id.org/tmkg/id/graph/reference>")
'https://w3id.org/tmkg/id/graph/reference'
>>> own_graph_write("INSERT { GRAPH <urn:mine> { ?s ?p ?o } } WHERE { ?s ?p ?o }") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node, URIRef, Variable

from kg.errors import Forbidden, QueryError
from kg.reference import REFERENCE_GRAPHS

__all__ = ["MAX_CHECKED_BYTES", "check_sendable", "own_graph_write", "parse_update"]

MAX_CHECKED_BYTES = 64 * 1024
"""The largest update read before it is sent (rdflib's parser takes ~5 s for 64 KB)."""

_OWN = frozenset(graph.value for graph in REFERENCE_GRAPHS)
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


def check_sendable(text: str) -> None:
    """Raise `QueryError` when `text` cannot be read before it is sent: over
    `MAX_CHECKED_BYTES`, or holding a ``\\u``/``\\U`` escape (read differently by rdflib and
    by servers such as Virtuoso)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_CHECKED_BYTES:
        raise QueryError(
            f"the update is {size:,} bytes: on a remote store tmkg reads an update before "
            f"sending it, up to {MAX_CHECKED_BYTES:,} bytes",
            suggestion="split it, or load the data as a file (kg load, POST /load)",
        )
    escape = _CODEPOINT_ESCAPE.search(text)
    if escape is not None:
        raise QueryError(
            f"a \\u or \\U escape at character {escape.start() + 1}: SPARQL expands them "
            "before parsing and some servers only inside strings, so the update could do "
            "something else than tmkg reads in it",
            suggestion="write the character itself (the text is UTF-8)",
        )


def own_graph_write(text: str, *, default_graph: str | None = None) -> str | None:
    """The IRI of the first of tmkg's own graphs `text` (the whole text sent, prologue
    included) writes in or about, or None. `default_graph` is the named graph that holds
    tmkg's default graph on the server (`kg.store.sparql_remote.DEFAULT_GRAPH`), if any.

    Raises `QueryError` as `parse_update` does, and `Forbidden` when an ``INSERT`` template
    names its graph by a variable.
    """
    for operation in parse_update(text):
        found = _written(operation, default_graph)
        if found is not None:
            return found
    return None


def parse_update(text: str) -> Iterator[Mapping[str, object]]:
    """The operations of a SPARQL 1.1 Update, as rdflib's parse tree with every prefixed name
    and relative IRI resolved by the prologues before it (rdflib's own resolution; its
    algebra is not built: it reorders template triples in quadratic time). Raises
    `QueryError` with rdflib's reason and position when it cannot read the text (a server's
    own extensions, such as Virtuoso's ``INSERT INTO GRAPH``, included)."""
    try:
        parsed = parseUpdate(text)
        operations = []
        prologue = None
        for declared, operation in zip(parsed.prologue, parsed.request or (), strict=False):
            prologue = translatePrologue(declared, None, None, prologue)
            resolve = functools.partial(translatePName, prologue=prologue)
            operations.append(traverse(operation, visitPost=resolve))
    except ParseException as error:
        reason = f"{error.msg}, line {error.lineno}, column {error.col}"
    except Exception as error:  # rdflib's own errors (an undeclared prefix, too deep, ...)
        reason = str(error) or type(error).__name__
    else:
        return iter(operations)
    raise QueryError(
        f"SPARQL Update not understood ({reason}): on a remote store tmkg reads an update "
        "as SPARQL 1.1 before sending it, to see which graphs it writes",
        suggestion="check the text against SPARQL 1.1 Update; server-specific forms "
        "(Virtuoso's INSERT INTO GRAPH) are not sent",
    )


def _written(operation: Mapping[str, object], default_graph: str | None) -> str | None:
    name = getattr(operation, "name", "")
    if name == "InsertData":
        return _template(_field(operation, "quads"), None, default_graph)
    if name == "Modify":
        insert = _field(operation, "insert")
        if insert is None:
            return None
        return _template(_field(insert, "quads"), _field(operation, "withClause"), default_graph)
    if name == "Load":
        return _own(_field(operation, "graphiri"))
    if name in ("Add", "Copy", "Move"):
        return _own(operation["graph"][1])  # type: ignore[index]
    return None  # DELETE, CLEAR, DROP, CREATE: what they remove is restored afterwards


def _template(quads: Any, with_graph: Node | None, default_graph: str | None) -> str | None:
    """What a ``Quads`` parse node (triples outside GRAPH, then each GRAPH block) writes."""
    if quads is None:
        return None
    blocks: list[tuple[Node | None, Any]] = [(with_graph, _field(quads, "triples"))]
    blocks += [
        (_field(block, "term"), _field(block, "triples"))
        for block in _field(quads, "quadsNotTriples") or ()
    ]
    for graph, triples in blocks:
        if isinstance(graph, Variable):
            raise Forbidden(
                f"an INSERT template's GRAPH ?{graph}: on a remote store tmkg reads which "
                "graphs an update writes from its text, and a variable names its graph only "
                "as it runs (tmkg's own graphs are not written by updates)",
                suggestion="name the graph with an IRI, one update per graph",
            )
        if _own(graph):
            return str(graph)
        if graph is None or str(graph) == default_graph:  # the default graph: about them?
            found = next((str(s) for s in _subjects(triples or ()) if _own(s)), None)
            if found:
                return found
    return None


def _subjects(triples: Iterable[Iterable[Node]]) -> Iterator[Node]:
    """The subjects of a template's triples (rdflib's parse: lists of s, p, o, s, p, o ...)."""
    terms = list(chain.from_iterable(triples))
    return (terms[i] for i in range(0, len(terms), 3))


def _field(node: Any, key: str) -> Any:
    # rdflib's CompValue.get answers the key itself for a missing key: the plain dict's get.
    return dict.get(node, key)


def _own(term: object) -> str | None:
    return str(term) if isinstance(term, URIRef) and str(term) in _OWN else None
