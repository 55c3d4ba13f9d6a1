"""``owl:sameAs`` statements checked before they are stored.

tmkg's analyses read ``owl:sameAs`` as "these IRIs name one thing" (`kg.analysis.facts.
Identities`: parties known under two names, a registration recorded twice), and merge what
the IRIs say. The shapes do not look at it (it is OWL's term, not tmkg's), so one statement
could merge a mark with a jurisdiction, or make a literal a party's identifier, and empty
every answer (helper-110 F3). Here a statement is refused when:

- its object is no IRI (a literal or a blank node names nothing another source can name);
- it names tmkg's reference data (a jurisdiction, a Nice class, a status: one IRI each);
- the two nodes are of different kinds: the tmkg classes they are typed with (in the new
  data or the store) lie under different top classes of the ontology (`tm:Party`,
  `tm:Mark`, `tm:Registration`…). An IRI of no tmkg class (a Wikidata item) may be linked
  to anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import pyoxigraph as ox

from kg.namespaces import ID, TM
from kg.reference import ontology_quads
from kg.store import Store

__all__ = ["BLANK_STAND_IN", "OWL_SAME_AS", "same_as_faults"]

BLANK_STAND_IN = "urn:x-tmkg:blank-node:"
"""The IRIs blank nodes are judged under (`kg.ingest.validate_change`): still no IRI here."""

OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_TM = str(TM._NS)
_REFERENCE = tuple(f"{ID}{kind}/" for kind in ("jurisdiction", "nice", "status"))


def same_as_faults(
    quads: Sequence[ox.Quad], store: Store | None
) -> list[tuple[ox.NamedNode | ox.BlankNode, str]]:
    """(subject, what is wrong) for each ``owl:sameAs`` statement of `quads` to refuse."""
    links = [q for q in quads if q.predicate == OWL_SAME_AS]
    if not links:
        return []
    faults: list[tuple[ox.NamedNode | ox.BlankNode, str]] = []
    typed = _types(quads, {t for q in links for t in (q.subject, q.object)}, store)
    for quad in links:
        subject, obj = quad.subject, quad.object
        if not isinstance(obj, ox.NamedNode) or obj.value.startswith(BLANK_STAND_IN):
            faults.append((subject, f"owl:sameAs links two IRIs of one thing (got {obj})"))
            continue
        for node in (subject, obj):
            if isinstance(node, ox.NamedNode) and node.value.startswith(_REFERENCE):
                faults.append((subject, f"owl:sameAs names tmkg's reference data ({node.value})"))
                break
        else:
            kinds_a, kinds_b = _kinds(typed.get(subject, ())), _kinds(typed.get(obj, ()))
            if kinds_a and kinds_b and not kinds_a & kinds_b:
                faults.append(
                    (
                        subject,
                        f"owl:sameAs links a {_names(kinds_a)} with a {_names(kinds_b)} "
                        f"({obj.value}): two IRIs of one thing are of one kind",
                    )
                )
    return faults


def _types(
    quads: Iterable[ox.Quad], nodes: set[object], store: Store | None
) -> dict[object, set[ox.NamedNode]]:
    typed: dict[object, set[ox.NamedNode]] = {}
    for quad in quads:
        if quad.predicate == _RDF_TYPE and quad.subject in nodes:
            typed.setdefault(quad.subject, set()).add(quad.object)  # type: ignore[arg-type]
    if store is not None:
        for node in nodes:
            if isinstance(node, ox.NamedNode):
                for quad in store.quads(node, _RDF_TYPE):
                    typed.setdefault(node, set()).add(quad.object)  # type: ignore[arg-type]
    return typed


def _kinds(classes: Iterable[ox.NamedNode]) -> frozenset[str]:
    """The ontology's top classes above `classes` (tmkg's classes only)."""
    tops = _top_classes()
    return frozenset(top for cls in classes for top in tops.get(cls.value, ()))


def _names(kinds: frozenset[str]) -> str:
    return "/".join(sorted("tm:" + kind.removeprefix(_TM) for kind in kinds))


@cache
def _top_classes() -> Mapping[str, frozenset[str]]:
    """Each tmkg class of the ontology -> the tmkg classes at the top of its chains."""
    parents: dict[str, set[str]] = {}
    for quad in ontology_quads():
        is_class = quad.predicate == _RDF_TYPE and quad.object.value.endswith("#Class")
        if is_class and quad.subject.value.startswith(_TM):
            parents.setdefault(quad.subject.value, set())
        if quad.predicate == _SUBCLASS_OF and quad.subject.value.startswith(_TM):
            parents.setdefault(quad.subject.value, set())
            if quad.object.value.startswith(_TM):
                parents[quad.subject.value].add(quad.object.value)

    def tops(cls: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        above = parents.get(cls, set()) - seen
        if not above:
            return frozenset({cls})
        return frozenset(t for parent in above for t in tops(parent, seen | {cls}))

    return {cls: tops(cls) for cls in parents}
