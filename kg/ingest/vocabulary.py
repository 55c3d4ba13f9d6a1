"""tmkg's closed vocabulary: an IRI in the ontology's namespace must be a term the ontology defines.

SHACL only judges what its shapes name, so ``tm:filingdate`` (for ``tm:filingDate``) or
``tm:Compnay`` would conform and the fact would silently go unread. Every load is checked here
once, over its distinct IRIs, before either SHACL engine runs: both engines give one verdict.
The defined terms are read from ``schema/ontology.ttl`` and the other shipped reference data
(`kg.reference.reference_quads`), so a term they gain is known without a change here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rapidfuzz.distance import JaroWinkler

from kg.namespaces import TM
from kg.reference import reference_quads

__all__ = [
    "TM_NAMESPACE",
    "UndefinedTerm",
    "defined_terms",
    "similar_terms",
    "undefined_terms",
]

TM_NAMESPACE = str(TM._NS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = ox.NamedNode(_RDF + "type")
_CLASS_TYPES = frozenset({_OWL + "Class", _RDFS + "Class", _RDFS + "Datatype"})
_PROPERTY_TYPES = frozenset(
    _OWL + name for name in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")
) | {_RDF + "Property"}
_SUGGESTIONS = 3
_CUTOFF = 0.8  # "xyzzy" is close to nothing (0.53 to tm:expiryDate)
_MARGIN = 0.05  # "ownr" suggests tm:owner (0.95), not also tm:OwnershipClaim (0.83)


@cache
def defined_terms() -> Mapping[str, str]:
    """Each local name the ontology defines, with its kind: ``class``, ``property`` or
    ``individual`` (status concepts, claim kinds, priority rules, ...).

    A term is defined when the ontology (or other shipped reference data) says something
    about it: it is a subject there.

    >>> defined_terms()["filingDate"], defined_terms()["Company"], defined_terms()["FirstToFile"]
    ('property', 'class', 'individual')
    """
    kinds: dict[str, str] = {}
    for quad in reference_quads():
        name = _local_name(quad.subject)
        if name is None:
            continue
        kinds.setdefault(name, "individual")
        if quad.predicate == _RDF_TYPE:
            if quad.object.value in _CLASS_TYPES:
                kinds[name] = "class"
            elif quad.object.value in _PROPERTY_TYPES and kinds[name] != "class":
                kinds[name] = "property"
    return kinds


def similar_terms(name: str, kind: str | None = None) -> list[str]:
    """The defined local names closest to `name`, best first: those equal to it but for case,
    else up to three close spellings (as close as the best but for a little), of `kind` when
    any such is close, else of any kind.

    >>> similar_terms("filingdate", "property")
    ['filingDate']
    >>> similar_terms("Compnay", "class")
    ['Company']
    >>> similar_terms("registeredOn", "property")
    ['registration', 'registrationDate', 'registrationNumber']
    >>> similar_terms("zzzz")
    []
    """
    defined = defined_terms()
    same_case = [t for t in defined if t.lower() == name.lower()]
    if same_case:
        return sorted(same_case, key=lambda t: (defined[t] != kind, t))
    pools = [[t for t in defined if defined[t] == kind]] if kind else []
    for pool in [*pools, list(defined)]:
        scored = sorted(
            ((-_likeness(name, term), term) for term in pool if _likeness(name, term) >= _CUTOFF),
        )
        if scored:
            best = -scored[0][0]
            return [term for score, term in scored if -score >= best - _MARGIN][:_SUGGESTIONS]
    return []


def _likeness(name: str, term: str) -> float:
    # Jaro-Winkler weighs a shared start: "registeredOn" is nearer registrationDate than region
    return JaroWinkler.normalized_similarity(name.lower(), term.lower())


@dataclass(frozen=True)
class UndefinedTerm:
    """An IRI in tmkg's namespace that the ontology does not define, and where it is first used."""

    name: str
    """The local name, after ``tm:``."""
    subject: ox.NamedNode | ox.BlankNode
    """The subject of the first statement that uses it."""
    statements: int
    """How many statements use it."""
    suggestions: tuple[str, ...]
    """The closest defined local names (`similar_terms`)."""
    iri: str | None = None
    """The IRI as written when it is not in tmkg's namespace at all but next to it
    (``…/ontology/filingDate``: a slash for the ``#``)."""

    @property
    def message(self) -> str:
        """``tm:filingdate is not a tmkg term; did you mean tm:filingDate?``"""
        text = f"tm:{self.name} is not a tmkg term"
        if self.iri is not None:
            text = f"<{self.iri}> is not a tmkg term (the namespace is <{TM_NAMESPACE}>)"
        if self.suggestions:
            text += "; did you mean " + " or ".join(f"tm:{t}" for t in self.suggestions) + "?"
        else:
            text += "; the terms are listed in docs/ontology.md"
        if self.statements > 1:
            text += f" (in {self.statements:,} statements)"
        return text


def undefined_terms(quads: Sequence[ox.Quad]) -> list[UndefinedTerm]:
    """The IRIs in tmkg's namespace that `quads` use (as subject, predicate, object or literal
    datatype) and the ontology does not define, in order of first use.

    >>> data = ox.NamedNode("https://example.org/r1")
    >>> typo = ox.NamedNode(TM_NAMESPACE + "filingdate")
    >>> [term.message for term in undefined_terms([ox.Quad(data, typo, ox.Literal("2001"))])]
    ['tm:filingdate is not a tmkg term; did you mean tm:filingDate?']
    """
    # distinct terms first: a load of a million quads names a few hundred IRIs in tm:
    candidates = {q.predicate for q in quads} | {q.subject for q in quads}
    objects = {q.object for q in quads}
    candidates |= {o.datatype if isinstance(o, ox.Literal) else o for o in objects}
    defined = defined_terms()
    unknown = {}
    for term in candidates:
        name = _local_name(term)
        if name is not None and name not in defined:
            unknown[term] = (name, None)
        elif (near := _next_to_namespace(term)) is not None:
            unknown[term] = (near, term.value)  # type: ignore[union-attr]
    if not unknown:
        return []
    found = []
    for term, (quad, kind, count) in _occurrences(quads, set(unknown)).items():
        name, iri = unknown[term]
        suggestions = [name] if iri is not None and name in defined else similar_terms(name, kind)
        found.append(UndefinedTerm(name, quad.subject, count, tuple(suggestions), iri))
    return found


def _occurrences(
    quads: Sequence[ox.Quad], unknown: set[ox.NamedNode]
) -> dict[ox.NamedNode, tuple[ox.Quad, str | None, int]]:
    """Each unknown term's first statement, the kind of term its place there calls for, and
    how many statements use it."""
    found: dict[ox.NamedNode, tuple[ox.Quad, str | None, int]] = {}
    for quad in quads:
        obj = quad.object
        datatype = obj.datatype if isinstance(obj, ox.Literal) else None
        object_kind = "class" if quad.predicate == _RDF_TYPE else None
        uses = ((quad.subject, None), (quad.predicate, "property"), (obj, object_kind))
        named = {term: kind for term, kind in (*uses, (datatype, "class")) if term in unknown}
        for term, kind in named.items():
            first, first_kind, count = found.get(term, (quad, kind, 0))
            found[term] = (first, first_kind, count + 1)
    return found


_NEXT_TO = TM_NAMESPACE.rstrip("#")
"""The ontology's own IRI: ``…/ontology/x`` or ``…/ontologyx`` is a misspelled namespace."""


def _next_to_namespace(term: object) -> str | None:
    """The name in an IRI that misspells tmkg's namespace (``…/ontology/filingDate``,
    ``…/ontology#/filingDate``), else None. The ontology's own IRI is not a term.

    >>> _next_to_namespace(ox.NamedNode("https://w3id.org/tmkg/ontology/filingDate"))
    'filingDate'
    >>> _next_to_namespace(ox.NamedNode("https://w3id.org/tmkg/ontology")) is None
    True
    """
    if not isinstance(term, ox.NamedNode) or term.value == _NEXT_TO:
        return None
    value = term.value
    if value.startswith(TM_NAMESPACE + "/"):
        return value[len(TM_NAMESPACE) + 1 :] or None
    if value.startswith(_NEXT_TO) and not value.startswith(TM_NAMESPACE):
        return value[len(_NEXT_TO) :].lstrip("/") or None
    return None


def _local_name(term: object) -> str | None:
    """The name after ``tm:`` when `term` is an IRI in tmkg's namespace."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(TM_NAMESPACE):
        return term.value[len(TM_NAMESPACE) :]
    return None
