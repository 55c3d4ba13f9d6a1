"""SHACL shapes compiled to SPARQL, for validating large loads at Oxigraph's speed.

pyshacl is the reference validator (`kg.ingest.validate`), used for ordinary loads. It runs in
Python and takes minutes on a registry of a million triples, so large loads run the same
shapes as SPARQL queries over a temporary in-memory Oxigraph store instead. Only the
constraint components ``schema/shapes.ttl`` uses are compiled; any other makes
`compile_shapes` fail loudly rather than skip it. Differential tests check that both
validators give the same results (tests/test_validation_engines.py,
tests/test_validation_subclasses.py).

The checks follow SHACL's definitions, not a snapshot of tmkg's ontology: a SHACL instance of
a class C is a node with ``rdf:type/rdfs:subClassOf* C`` *in the data graph* (SHACL 1.0
§2.1.3.1, §4.1.1), so a subclass a file declares counts as it does for pyshacl. A comparison
that fails with an error (``"abc" >= 0``) is a violation (§4.4), and a literal whose lexical
form is not valid for its datatype violates sh:datatype (§4.1.2): the caller names those
literals with `mark_ill_formed`, since SPARQL cannot tell.

Supported: sh:targetClass, sh:path (a single IRI), sh:minCount, sh:maxCount, sh:class,
sh:datatype, sh:or of datatype shapes, sh:node to such a shape, sh:in, sh:pattern (with the
flags ``i`` and ``m``; on values, and on the focus node of a node shape), sh:minInclusive,
sh:maxInclusive, sh:minLength, sh:maxLength, sh:message, sh:severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

__all__ = [
    "ILL_FORMED",
    "Check",
    "Finding",
    "compile_shapes",
    "mark_ill_formed",
    "marks_ill_formed",
    "run_checks",
    "without_ill_formed",
]

ILL_FORMED = "urn:tmkg:shacl:ill-formed"
"""The scratch store's graph naming literals that are not valid for their datatype."""
_ILL = f"<{ILL_FORMED}>"

_KNOWN = {
    SH.targetClass,
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH["or"],
    SH.node,
    SH["in"],
    SH.pattern,
    SH.flags,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minLength,
    SH.maxLength,
    SH.message,
    SH.severity,
    SH.property,
    RDF.type,
    RDFS.comment,
}


@dataclass(frozen=True)
class Check:
    """One constraint as a SELECT returning the offending ``?f`` (focus) and ``?v`` (value)."""

    shape: str
    path: str | None
    message: str
    severity: str
    sparql: str


@dataclass(frozen=True)
class Finding:
    focus: str
    path: str | None
    value: ox.NamedNode | ox.Literal | ox.BlankNode | None
    message: str
    severity: str


def _n3(term: rdflib.term.Node) -> str:
    return term.n3()


def _datatypes(shapes: rdflib.Graph, node: rdflib.term.Node) -> list[rdflib.URIRef] | None:
    """The datatypes of an sh:or list of ``[ sh:datatype X ]`` members, else None."""
    members = list(Collection(shapes, node))
    found = []
    for member in members:
        datatype = shapes.value(member, SH.datatype)
        if datatype is None or len(set(shapes.predicates(member))) != 1:
            return None
        found.append(datatype)
    return found


def _instance_of(term: str, cls: rdflib.term.Node, var: str) -> str:
    """A pattern matching when `term` is a SHACL instance of `cls` in the data graph."""
    return f"{term} a ?{var} . ?{var} {_n3(RDFS.subClassOf)}* {_n3(cls)} ."


def _is_ill_formed(term: str) -> str:
    return f"EXISTS {{ GRAPH {_ILL} {{ {_ILL} {_ILL} {term} }} }}"


def without_ill_formed(condition: str) -> str:
    """`condition` (of `_value_filter`) without its test of the literals `mark_ill_formed`
    named, for a store where it named none: the test looks each value up (at 1M marks,
    2026-12-06: the registration numbers' sh:datatype scan 6.3 s with it, 2.7 s without)."""
    return condition.replace(f" || {_is_ill_formed('?v')}", "")


def marks_ill_formed(store: ox.Store) -> bool:
    """Whether `mark_ill_formed` named any literal in `store`."""
    return bool(store.query(f"ASK {{ GRAPH {_ILL} {{ ?s ?p ?o }} }}"))


def _value_filter(
    shapes: rdflib.Graph,
    prop: rdflib.term.Node,
    constraint: rdflib.term.Node,
    value: rdflib.term.Node,
) -> str | None:
    """A SPARQL condition that is true when ?v violates one constraint, or None if n/a."""
    if constraint == SH["class"]:
        return f"NOT EXISTS {{ {_instance_of('?v', value, 'vt')} }}"
    if constraint == SH.datatype:
        return f"(!isLiteral(?v) || DATATYPE(?v) != {_n3(value)} || {_is_ill_formed('?v')})"
    if constraint in (SH["or"], SH.node):
        target = value if constraint == SH["or"] else shapes.value(value, SH["or"])
        datatypes = _datatypes(shapes, target) if target is not None else None
        if datatypes is None:
            raise ValueError(f"cannot compile {constraint} {value}: only datatype alternatives")
        listed = ", ".join(_n3(d) for d in datatypes)
        return f"(!isLiteral(?v) || DATATYPE(?v) NOT IN ({listed}) || {_is_ill_formed('?v')})"
    if constraint == SH["in"]:
        # sh:in compares terms, not values: "01"^^xsd:integer is not 1
        members = " || ".join(f"sameTerm(?v, {_n3(m)})" for m in Collection(shapes, value))
        return f"!({members or 'false'})"
    if constraint == SH.pattern:
        return f"(isBlank(?v) || !REGEX(STR(?v), {_regex(value, shapes.value(prop, SH.flags))}))"
    # an error (a string, an IRI, NaN against a number) is a violation, as SHACL says
    if constraint == SH.minInclusive:
        return f"!COALESCE(?v >= {_n3(value)}, false)"
    if constraint == SH.maxInclusive:
        return f"!COALESCE(?v <= {_n3(value)}, false)"
    if constraint == SH.minLength:
        return f"(isBlank(?v) || STRLEN(STR(?v)) < {int(value)})"
    if constraint == SH.maxLength:
        return f"(isBlank(?v) || STRLEN(STR(?v)) > {int(value)})"
    return None


def _regex(pattern: rdflib.term.Node, flags: rdflib.term.Node | None) -> str:
    """REGEX arguments for a sh:pattern and its sh:flags (only those pyshacl honours)."""
    text = _n3(rdflib.Literal(str(pattern)))
    if flags is None:
        return text
    if set(str(flags)) - {"i", "m"}:
        raise ValueError(f"cannot compile sh:flags {flags!r}: pyshacl honours only i and m")
    return f"{text}, {_n3(rdflib.Literal(str(flags)))}"


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Compile every node shape with a target class into SPARQL checks.

    Class hierarchies are read from the data at run time (``rdfs:subClassOf*``), so a
    subclass declared in the data, in the store or in the ontology counts alike.
    """
    checks: list[Check] = []
    for shape in sorted(shapes.subjects(SH.targetClass, None), key=str):
        target = shapes.value(shape, SH.targetClass)
        focus = _instance_of("?f", target, "ft")
        shape_message = str(shapes.value(shape, SH.message) or "")
        for predicate in set(shapes.predicates(shape)) - _KNOWN:
            raise ValueError(f"cannot compile {predicate} on {shape}")
        pattern = shapes.value(shape, SH.pattern)
        if pattern is not None:
            checks.append(
                Check(
                    str(shape),
                    None,
                    shape_message,
                    _severity(shapes, shape),
                    f"SELECT DISTINCT ?f ?v WHERE {{ {focus} BIND(?f AS ?v) "
                    f"FILTER(isBlank(?f) || !REGEX(STR(?f), "
                    f"{_regex(pattern, shapes.value(shape, SH.flags))})) }}",
                )
            )
        for prop in shapes.objects(shape, SH.property):
            checks += _property_checks(shapes, shape, prop, focus)
    return checks


def _severity(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    return str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def _property_checks(
    shapes: rdflib.Graph,
    shape: rdflib.term.Node,
    prop: rdflib.term.Node,
    focus: str,
) -> list[Check]:
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise ValueError(f"cannot compile a complex sh:path on {shape}")
    message = str(shapes.value(prop, SH.message) or "")
    severity = _severity(shapes, prop)
    p = _n3(path)
    checks = []
    for predicate, value in shapes.predicate_objects(prop):
        if predicate not in _KNOWN:
            raise ValueError(f"cannot compile {predicate} on {shape}")
        if predicate == SH.minCount:
            count = int(value)
            sparql = (
                f"SELECT DISTINCT ?f ?v WHERE {{ {focus} FILTER NOT EXISTS {{ ?f {p} ?any }} }}"
                if count == 1
                else f"SELECT ?f ?v WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?o) AS ?n) WHERE {{ "
                f"{focus} OPTIONAL {{ ?f {p} ?o }} }} GROUP BY ?f }} FILTER(?n < {count}) }}"
            )
        elif predicate == SH.maxCount:
            sparql = (
                f"SELECT ?f ?v WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?o) AS ?n) WHERE {{ "
                f"{focus} ?f {p} ?o }} GROUP BY ?f }} FILTER(?n > {int(value)}) }}"
            )
        else:
            condition = _value_filter(shapes, prop, predicate, value)
            if condition is None:
                continue
            sparql = f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {p} ?v FILTER({condition}) }}"
        checks.append(Check(str(shape), str(path), message, severity, sparql))
    return checks


def mark_ill_formed(store: ox.Store, literals: Iterable[ox.Literal]) -> None:
    """Name `literals` as ill-formed for their datatype, for the sh:datatype checks."""
    ill = ox.NamedNode(ILL_FORMED)
    store.extend(ox.Quad(ill, ill, literal, ill) for literal in literals)


def run_checks(checks: Iterable[Check], store: ox.Store, judged: set[str]) -> list[Finding]:
    """Run the checks over `store`'s default graph; keep findings about `judged` nodes."""
    findings: list[Finding] = []
    for check in checks:
        for row in store.query(check.sparql):  # type: ignore[union-attr]
            focus = row["f"]
            if focus is None or focus.value not in judged:
                continue
            value = row["v"]
            findings.append(Finding(focus.value, check.path, value, check.message, check.severity))
    return findings
