"""SHACL validation of a change to the store: a SPARQL Update's effect, before it is applied.

`validate_quads` judges a load: the nodes the new quads say something about, with the
store's statements about them as context. A change also removes statements, and may name
blank nodes (``INSERT DATA { _:r a tm:Registration ; … }``), which a load never stores
(tmkg names a file's blank nodes). So `validate_change` judges, on the state the change
would leave:

- every node it adds statements about, blank nodes included;
- every node it removes statements from (a required value removed is missed);
- every node that points at a node losing a type (the shapes' ``sh:class`` looks one step
  from its focus: a registration whose owner is no longer a ``tm:Party``), its own type or
  the ``rdfs:subClassOf`` statement that made its class one.

A value replaced is not counted beside its replacement: statements the change removes from
every graph are left out of the context. Blank nodes are judged under stand-in IRIs and told
as ``_:id`` in the messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox

from kg.ingest.load import MAX_IRI_CHARS, MAX_LITERAL_CHARS, too_long
from kg.ingest.same_as import BLANK_STAND_IN
from kg.ingest.validate import ValidationReport, validate_quads
from kg.store import Store

__all__ = ["validate_change"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_TOLD = re.compile(r"<?" + re.escape(BLANK_STAND_IN) + r"([^>\s]*)>?")


def validate_change(
    removed: Sequence[ox.Quad], added: Sequence[ox.Quad], store: Store
) -> ValidationReport:
    """Validate the state `store` would be in after removing `removed` and adding `added`.

    Raises nothing itself: the report's violations (one line each, as a load's) say what
    the change would break; its warnings are those a load would print.
    """
    removed_set = set(removed)
    gone = _gone(removed_set, {(q.subject, q.predicate, q.object) for q in added}, store)
    added_subjects = {q.subject for q in added}
    reduced = {q.subject for q in removed_set} - added_subjects
    untyped = {s for s, p, _ in gone if p == _RDF_TYPE}
    # a class no longer declared a subclass: its instances lose the types above it
    # (helper-110 F1: Foo rdfs:subClassOf tm:Party removed left Amazon, a Foo, no party)
    for cls in {s for s, p, _ in gone if p == _SUBCLASS_OF and isinstance(s, ox.NamedNode)}:
        rows = store.query(f"SELECT DISTINCT ?x {{ ?x a/{_SUBCLASS_OF}* {cls} }}")
        untyped |= {row["x"] for row in rows}  # type: ignore[union-attr]
    referrers = {
        q.subject for node in untyped for q in store.quads(None, None, node) if q not in removed_set
    }
    blank = {s for s in added_subjects if isinstance(s, ox.BlankNode)}
    judged = list(added)
    for subject in sorted((reduced | referrers | blank) - (added_subjects - blank), key=str):
        judged += [q for q in store.quads(subject) if q not in removed_set]
    # blank nodes the judged statements point at: the store cannot be asked about them by
    # name, so what they hold comes along (helper-110 F4: a blank owner, a tm:Company, was
    # "no tm:Party" when its registration was added to)
    subjects = {q.subject for q in judged}
    pointed = {q.object for q in judged if isinstance(q.object, ox.BlankNode)} - subjects
    for node in sorted(pointed, key=str):
        judged += [q for q in store.quads(node) if q not in removed_set]
    report = validate_quads([_named(q) for q in judged], store, gone=gone)
    report.violations += _too_long(added)
    report.violations = [_told(line) for line in report.violations]
    report.warnings = [_told(line) for line in report.warnings]
    return report


def _too_long(added: Sequence[ox.Quad]) -> list[str]:
    """A line per term longer than a load may bring (`MAX_LITERAL_CHARS`, `MAX_IRI_CHARS`):
    an update can build one (``GROUP_CONCAT``, ``IRI(CONCAT(…))``: helper-110 F7), which
    `kg export` would then write and no load read back."""
    lines = []
    for quad in added:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.Literal) and len(term.value) > MAX_LITERAL_CHARS:
                lines.append(too_long("literal", len(term.value)))
            elif isinstance(term, ox.NamedNode) and len(term.value) > MAX_IRI_CHARS:
                lines.append(too_long("IRI", len(term.value)))
    return sorted(set(lines))


def _gone(
    removed: set[ox.Quad], added: set[tuple[object, object, object]], store: Store
) -> set[tuple[object, object, object]]:
    """The statements `removed` takes out of every graph (and `added` does not put back)."""
    gone: set[tuple[object, object, object]] = set()
    for quad in removed:
        triple = (quad.subject, quad.predicate, quad.object)
        if triple in added or triple in gone:
            continue
        if all(other in removed for other in store.quads(*triple)):
            gone.add(triple)
    return gone


def _named(quad: ox.Quad) -> ox.Quad:
    """`quad` with its blank nodes as stand-in IRIs (the shapes' engines judge IRIs)."""
    subject, obj = quad.subject, quad.object
    if not isinstance(subject, ox.BlankNode) and not isinstance(obj, ox.BlankNode):
        return quad
    return ox.Quad(_stand_in(subject), quad.predicate, _stand_in(obj), quad.graph_name)


def _stand_in(term: object) -> object:
    return ox.NamedNode(BLANK_STAND_IN + term.value) if isinstance(term, ox.BlankNode) else term


def _told(line: str) -> str:
    return _TOLD.sub(lambda match: f"_:{match.group(1)}", line)
