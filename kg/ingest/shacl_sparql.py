"""SHACL shapes compiled to SPARQL, for validating large loads at Oxigraph's speed.

pyshacl is the reference validator (`kg.ingest.validate`), used for ordinary loads. It runs in
Python and takes minutes on a registry of a million triples, so large loads run the same
shapes as SPARQL queries over a temporary in-memory Oxigraph store instead. Only the
constraint components ``schema/shapes.ttl`` uses are compiled; any other makes
`compile_shapes` fail loudly rather than skip it. A differential test checks that both
validators agree on the test corpus.

Supported: sh:targetClass (instances of subclasses included), sh:path (a single IRI),
sh:minCount, sh:maxCount, sh:class, sh:datatype, sh:or of datatype shapes, sh:node to such a
shape, sh:in, sh:pattern (on values, and on the focus node of a node shape), sh:minInclusive,
sh:maxInclusive, sh:minLength, sh:maxLength, sh:message, sh:severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

__all__ = ["Check", "Finding", "compile_shapes", "run_checks"]

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


def _value_filter(
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    constraint: rdflib.term.Node,
    value: rdflib.term.Node,
) -> str | None:
    """A SPARQL condition that is true when ?v violates one constraint, or None if n/a."""
    if constraint == SH["class"]:
        return f"NOT EXISTS {{ VALUES ?vt {{ {_subclasses(ontology, value)} }} ?v a ?vt }}"
    if constraint == SH.datatype:
        return f"(!isLiteral(?v) || DATATYPE(?v) != {_n3(value)})"
    if constraint in (SH["or"], SH.node):
        target = value if constraint == SH["or"] else shapes.value(value, SH["or"])
        datatypes = _datatypes(shapes, target) if target is not None else None
        if datatypes is None:
            raise ValueError(f"cannot compile {constraint} {value}: only datatype alternatives")
        listed = ", ".join(_n3(d) for d in datatypes)
        return f"(!isLiteral(?v) || DATATYPE(?v) NOT IN ({listed}))"
    if constraint == SH["in"]:
        listed = ", ".join(_n3(member) for member in Collection(shapes, value))
        return f"(?v NOT IN ({listed}))"
    if constraint == SH.pattern:
        return f"(isBlank(?v) || !REGEX(STR(?v), {_n3(rdflib.Literal(str(value)))}))"
    if constraint == SH.minInclusive:
        return f"!(?v >= {_n3(value)})"
    if constraint == SH.maxInclusive:
        return f"!(?v <= {_n3(value)})"
    if constraint == SH.minLength:
        return f"(isBlank(?v) || STRLEN(STR(?v)) < {int(value)})"
    if constraint == SH.maxLength:
        return f"(isBlank(?v) || STRLEN(STR(?v)) > {int(value)})"
    return None


def _subclasses(ontology: rdflib.Graph, cls: rdflib.term.Node) -> str:
    """The class and all its subclasses (the closure, computed once) as a VALUES list."""
    found = set(ontology.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
    return " ".join(sorted(_n3(c) for c in found))


def compile_shapes(shapes: rdflib.Graph, ontology: rdflib.Graph) -> list[Check]:
    """Compile every node shape with a target class into SPARQL checks.

    Class hierarchies come from `ontology` and are expanded into the queries, so the checks
    need no property paths at run time.
    """
    checks: list[Check] = []
    for shape in sorted(shapes.subjects(SH.targetClass, None), key=str):
        target = shapes.value(shape, SH.targetClass)
        focus = f"VALUES ?ft {{ {_subclasses(ontology, target)} }} ?f a ?ft ."
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
                    "Violation",
                    f"SELECT DISTINCT ?f ?v WHERE {{ {focus} BIND(?f AS ?v) "
                    f"FILTER(!REGEX(STR(?f), {_n3(rdflib.Literal(str(pattern)))})) }}",
                )
            )
        for prop in shapes.objects(shape, SH.property):
            checks += _property_checks(shapes, ontology, shape, prop, focus)
    return checks


def _property_checks(
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    shape: rdflib.term.Node,
    prop: rdflib.term.Node,
    focus: str,
) -> list[Check]:
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise ValueError(f"cannot compile a complex sh:path on {shape}")
    message = str(shapes.value(prop, SH.message) or "")
    severity = str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
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
            condition = _value_filter(shapes, ontology, predicate, value)
            if condition is None:
                continue
            sparql = f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {p} ?v FILTER({condition}) }}"
        checks.append(Check(str(shape), str(path), message, severity, sparql))
    return checks


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
