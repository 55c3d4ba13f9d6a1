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
from dataclasses import dataclass
from itertools import chain
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Literal, Node, URIRef, Variable

from kg.errors import Forbidden, QueryError
from kg.reference import REFERENCE_GRAPHS
from kg.store.sparql_scan import tokens

__all__ = [
    "MAX_CHECKED_BYTES",
    "UpdateTargets",
    "check_sendable",
    "own_graph_write",
    "parse_update",
    "update_targets",
]

MAX_CHECKED_BYTES = 64 * 1024
"""The largest update read before it is sent (rdflib's parser takes ~5 s for 64 KB)."""

_OWN = frozenset(graph.value for graph in REFERENCE_GRAPHS)
_CODEPOINT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")  # as rdflib expands, whatever is before
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # RFC 3986 scheme ":"


def check_codepoint_escapes(text: str, what: str) -> None:
    """Raise `QueryError` when `text` (the `what`: "query", "update") holds a ``\\u`` or
    ``\\U`` escape: SPARQL 1.1 (section 19.2) expands them before parsing, Virtuoso only
    inside strings, so tmkg and the server would read the text apart (``<'\\u0041> "'`` is
    an IRI and a string for SPARQL, a less-than and a string for Virtuoso: a call after it
    went unseen, trial of 2026-12-05)."""
    escape = _CODEPOINT_ESCAPE.search(text)
    if escape is not None:
        raise QueryError(
            f"a \\u or \\U escape at character {escape.start() + 1}: SPARQL expands them "
            f"before parsing and some servers only inside strings, so the {what} could do "
            "something else than tmkg reads in it",
            suggestion="write the character itself (the text is UTF-8)",
        )


def check_sendable(text: str) -> None:
    """Raise `QueryError` when `text` cannot be read before it is sent: over
    `MAX_CHECKED_BYTES`, holding a ``\\u``/``\\U`` escape (read differently by rdflib and
    by servers such as Virtuoso), a relative IRI (rdflib resolves them with ``urljoin``, not
    as RFC 3986 section 5.2 says), or a prefixed name with an escaped character
    (``t:graph\\/reference``: rdflib keeps the backslash, SPARQL's ``PN_LOCAL_ESC`` drops it)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_CHECKED_BYTES:
        raise QueryError(
            f"the update is {size:,} bytes: on a remote store tmkg reads an update before "
            f"sending it, up to {MAX_CHECKED_BYTES:,} bytes",
            suggestion="split it, or load the data as a file (kg load, POST /load)",
        )
    check_codepoint_escapes(text, "update")
    relative = next(
        (t for t in tokens(text) if t.kind == "iri" and not _ABSOLUTE.match(t.text[1:-1])), None
    )
    if relative is not None:
        raise QueryError(
            f"the relative IRI {relative.text} (character {relative.start + 1}): rdflib "
            "resolves relative IRIs otherwise than RFC 3986 and the server (a colon in the "
            "path, a base with a fragment, dot segments), so the update could do something "
            "else than tmkg reads in it",
            suggestion="write every IRI in full, <scheme:…>",
        )
    escaped = next((t for t in tokens(text) if t.kind == "pname" and "\\" in t.text), None)
    if escaped is not None:
        raise QueryError(
            f"an escaped character in the prefixed name {escaped.text} (character "
            f"{escaped.start + 1}): rdflib keeps the backslash, the standard (and Oxigraph) "
            "drops it, so the update could do something else than tmkg reads in it",
            suggestion="write the IRI in full, <…>",
        )


@dataclass(frozen=True)
class UpdateTargets:
    """What an update may do to tmkg's own graphs, read from its text (`update_targets`)."""

    writes: str | None
    """The first of tmkg's graphs it writes in or about by name (an IRI), or None."""
    may_change: bool
    """Whether it may change them otherwise: remove from them (``CLEAR ALL``, a pattern with a
    variable graph or subject), or write about them through a variable; then the caller
    restores them after it runs. False for updates naming only other graphs and subjects."""
    into_default: tuple[str, ...] = ()
    """Graphs it adds, copies or moves into the default graph (IRIs): statements about tmkg's
    graphs among theirs would be statements kept by tmkg; the caller asks the store."""
    graphs_read: tuple[str, ...] = ()
    """The graphs its patterns name by IRI (``GRAPH <g>`` in a ``WHERE``, in ``DELETE
    WHERE``), when none is named by a variable and no operation says ``USING`` or ``WITH``:
    what a server that takes tmkg's default graph as the update's dataset must be told of
    (Virtuoso: `kg.store.sparql_remote.RemoteSparqlStore.update`); else empty."""


def update_targets(text: str, *, default_graph: str | None = None) -> UpdateTargets:
    """What `text` (the whole text sent, prologue included) may do to tmkg's own graphs.
    `default_graph` is the named graph that holds tmkg's default graph on the server
    (`kg.store.sparql_remote.DEFAULT_GRAPH`), if any.

    Raises `QueryError` as `parse_update` does, and `Forbidden` when an ``INSERT`` template
    names its graph by a variable.

    >>> update_targets("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 } }")
    UpdateTargets(writes=None, may_change=False, into_default=(), graphs_read=())
    >>> update_targets("DELETE WHERE { ?s ?p ?o }").may_change
    True
    """
    operations = list(parse_update(text))
    unreadable = _unreadable(operations)
    if unreadable is not None:
        raise QueryError(
            f"{unreadable}: tmkg reads the store through Oxigraph's terms, which refuse it, so "
            "once written it would break the questions that meet it (and the server's start)",
            suggestion="correct the term (an IRI by RFC 3987, a language tag by BCP 47)",
        )
    writes = next(
        (found for op in operations if (found := _written(op, default_graph)) is not None), None
    )
    may_change = writes is not None or any(_may_change(op, default_graph) for op in operations)
    into_default = []
    for number, op in enumerate(operations):
        if getattr(op, "name", "") not in ("Add", "Copy", "Move"):
            continue
        source, target = op["graph"]  # type: ignore[index]
        if isinstance(source, URIRef) and _is_default(_graph_term(target), default_graph):
            if any(_may_fill(before, str(source)) for before in operations[:number]):
                raise Forbidden(
                    f"the update brings <{source}> into the default graph after writing into "
                    "it: what it writes there may be about tmkg's own reference data, which "
                    "the server is asked about before the update only",
                    suggestion="write into the graph with one update, move it with the next",
                )
            into_default.append(str(source))
    return UpdateTargets(writes, may_change, tuple(into_default), _graphs_read(operations))


def _graphs_read(operations: Iterable[Mapping[str, object]]) -> tuple[str, ...]:
    """`UpdateTargets.graphs_read` of these operations."""
    named: list[str] = []
    for operation in operations:
        name = getattr(operation, "name", "")
        if _field(operation, "using") or _field(operation, "withClause") is not None:
            return ()
        pattern = _field(operation, {"Modify": "where", "DeleteWhere": "quads"}.get(name, ""))
        for term in _graph_names(pattern):
            if not isinstance(term, URIRef):
                return ()
            named.append(str(term))
    return tuple(dict.fromkeys(named))


def _graph_names(node: object) -> Iterator[object]:
    """The graph term of every ``GRAPH`` in a parse tree's pattern (subqueries and
    ``EXISTS`` included)."""
    if isinstance(node, Mapping):
        if getattr(node, "name", "") in ("GraphGraphPattern", "QuadsNotTriples"):
            yield _field(node, "term")
        for value in dict.values(node):  # type: ignore[arg-type]
            yield from _graph_names(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _graph_names(value)


def _may_fill(operation: Mapping[str, object], graph: str) -> bool:
    """Whether `operation` may write into `graph` a statement about tmkg's graphs: data with
    one of them as subject, a template with a variable subject, or anything it cannot see
    (LOAD, ADD/COPY/MOVE into it)."""
    name = getattr(operation, "name", "")
    if name == "Load":
        return str(_field(operation, "graphiri")) == graph
    if name in ("Add", "Copy", "Move"):
        return str(operation["graph"][1]) == graph  # type: ignore[index]
    if name == "InsertData":
        quads, within = _field(operation, "quads"), None
    elif name == "Modify" and _field(operation, "insert") is not None:
        quads, within = (
            _field(_field(operation, "insert"), "quads"),
            _field(operation, "withClause"),
        )
    else:
        return False
    return any(
        str(block) == graph
        and any(isinstance(s, Variable) or _own(s) for s in _subjects(triples or ()))
        for block, triples in _blocks(quads, within)
    )


def _unreadable(tree: object) -> str | None:
    """The first IRI or language-tagged literal in a parse tree that pyoxigraph's term
    constructors refuse (a control character in an IRI, a 9-letter language subtag), or None;
    a remote server may store it, and tmkg could then not read it back."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, URIRef):
            try:
                ox.NamedNode(str(node))
            except ValueError as error:
                return f"the IRI <{_shown(str(node))}> ({_shown(str(error))})"
        elif isinstance(node, Literal):
            if node.language:
                try:
                    ox.Literal(str(node), language=node.language)
                except ValueError as error:
                    return f"the language tag @{_shown(node.language)} ({error})"
            if node.datatype is not None:
                stack.append(node.datatype)
        elif isinstance(node, dict):
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return None


def _shown(text: str) -> str:
    """`text` with characters that do not print as \\uXXXX."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in text)


def _graph_term(target: object) -> Node | None:
    """A graph of ADD/COPY/MOVE: None for DEFAULT."""
    return target if isinstance(target, URIRef) else None


def own_graph_write(text: str, *, default_graph: str | None = None) -> str | None:
    """`update_targets(text).writes`: the IRI of the first of tmkg's own graphs `text` writes
    in or about, or None."""
    return update_targets(text, default_graph=default_graph).writes


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


def _may_change(operation: Mapping[str, object], default_graph: str | None) -> bool:
    """Whether `operation` may remove from tmkg's graphs, or write about them through a
    variable subject (`_written` has found no write by name)."""
    name = getattr(operation, "name", "")
    if name in ("InsertData", "Create"):
        return False
    if name in ("DeleteData", "DeleteWhere"):
        return _may_match(_field(operation, "quads"), None, default_graph)
    if name == "Modify":
        delete, insert = _field(operation, "delete"), _field(operation, "insert")
        within = _field(operation, "withClause")
        return (
            delete is not None and _may_match(_field(delete, "quads"), within, default_graph)
        ) or (
            insert is not None
            and any(
                _is_default(graph, default_graph)
                and any(isinstance(s, Variable) for s in _subjects(triples or ()))
                for graph, triples in _blocks(_field(insert, "quads"), within)
            )
        )
    if name in ("Clear", "Drop"):
        target = _field(operation, "graphiri")
        return not isinstance(target, URIRef) or _own(target) or str(target) == default_graph
    if name in ("Add", "Copy", "Move"):
        source, target = operation["graph"]  # type: ignore[index]
        if name == "Move" and (
            not isinstance(source, URIRef) or _own(source) or str(source) == default_graph
        ):
            return True  # it empties its source
        return not isinstance(target, URIRef) or str(target) == default_graph
    return True  # LOAD too: an N-Quads or TriG document names its own graphs (INTO or not)


def _may_match(quads: Any, with_graph: Node | None, default_graph: str | None) -> bool:
    """Whether a pattern or data block (a ``Quads`` node) may match statements of tmkg's
    graphs: a variable or own graph, or in the default graph a variable or own subject."""
    for graph, triples in _blocks(quads, with_graph):
        if isinstance(graph, Variable) or _own(graph):
            return True
        if _is_default(graph, default_graph) and any(
            isinstance(s, Variable) or _own(s) for s in _subjects(triples or ())
        ):
            return True
    return False


def _blocks(quads: Any, with_graph: Node | None) -> list[tuple[Node | None, Any]]:
    """A ``Quads`` parse node's blocks, (graph, triples): the triples outside GRAPH (in the
    ``WITH`` graph, None for the default graph), then each GRAPH block; none for None."""
    if quads is None:
        return []
    blocks: list[tuple[Node | None, Any]] = [(with_graph, _field(quads, "triples"))]
    blocks += [
        (_field(block, "term"), _field(block, "triples"))
        for block in _field(quads, "quadsNotTriples") or ()
    ]
    return blocks


def _is_default(graph: Node | None, default_graph: str | None) -> bool:
    return graph is None or str(graph) == default_graph


def _template(quads: Any, with_graph: Node | None, default_graph: str | None) -> str | None:
    """What a ``Quads`` parse node (triples outside GRAPH, then each GRAPH block) writes."""
    for graph, triples in _blocks(quads, with_graph):
        if isinstance(graph, Variable):
            raise Forbidden(
                f"an INSERT template's GRAPH ?{graph}: on a remote store tmkg reads which "
                "graphs an update writes from its text, and a variable names its graph only "
                "as it runs (tmkg's own graphs are not written by updates)",
                suggestion="name the graph with an IRI, one update per graph",
            )
        if _own(graph):
            return str(graph)
        if _is_default(graph, default_graph):  # the default graph: statements about them?
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
