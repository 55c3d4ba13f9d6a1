"""SHACL shapes as a few scans of a store: one query per predicate instead of one per constraint.

`kg.ingest.shacl_sparql` compiles each constraint of ``schema/shapes.ttl`` into its own SELECT,
which starts from every instance of the shape's target class: ~200 queries, each joining the
class's instances with a property. Over a registry of a million quads that is ~45 s. This
module runs the same constraints, with the same results (`Finding`s), as a few scans:

- **values** (sh:class, sh:datatype, sh:or, sh:node, sh:in, sh:pattern, sh:min/maxInclusive,
  sh:min/maxLength): one query per predicate, over that predicate's statements only, with one
  flag per constraint of every shape that constrains the predicate; a flag is true when the
  value violates the constraint *and* the subject is an instance of the shape's target class
  (tested only for values that violate: `&&` short-circuits); a property whose constraints
  are all sh:class tests (tm:mark, tm:owner...) has its values not of the class found by
  ``MINUS`` instead;
- **sh:maxCount**: per property and bound, subjects of the predicate grouped and counted
  first, then kept when an instance of a shape's class;
- **sh:minCount**: one query per node shape, over the class's instances, the instances
  lacking each property found by ``MINUS`` (a hash join in Oxigraph, where ``NOT EXISTS``
  looks each instance up: 0.25 s against 1.0 s a property for 100,000 registrations);
- **sh:pattern on the focus node**: one query per node shape.

The SHACL instances of a class (``rdf:type/rdfs:subClassOf*`` in the data graph, SHACL 1.0
§2.1.3.1) are found first, in the store being validated, and listed in ``VALUES``: a subclass
the data declares counts, as with pyshacl. tests/test_validation_engines.py checks that these
scans, the per-constraint queries and pyshacl agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from dataclasses import astuple, dataclass
from typing import TypeVar

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDFS, SH

from kg.ingest.shacl_sparql import (
    _KNOWN,
    Finding,
    _n3,
    _regex,
    _severity,
    _value_filter,
    marks_ill_formed,
    without_ill_formed,
)

__all__ = ["ScanPlan", "plan_from_json", "plan_json", "plan_scans", "run_scans", "scan_keys"]

_T = TypeVar("_T")

_SUBCLASS = _n3(RDFS.subClassOf)
_BATCH = 5_000  # nodes per VALUES list


@dataclass(frozen=True)
class _Rule:
    """One constraint on the values of one property shape."""

    target: str  # the shape's target class (an IRI)
    path: str
    condition: str  # a SPARQL expression over ?v: true when ?v violates the constraint
    message: str
    severity: str


@dataclass(frozen=True)
class _Count:
    target: str
    path: str
    bound: int  # at least (minCount) or at most (maxCount) this many values
    message: str
    severity: str


@dataclass(frozen=True)
class _NodePattern:
    target: str
    pattern: str  # REGEX arguments
    message: str
    severity: str


@dataclass(frozen=True)
class ScanPlan:
    """The shapes sorted by what a scan needs: value rules by predicate, counts, patterns."""

    values: dict[str, tuple[_Rule, ...]]
    min_counts: dict[str, tuple[_Count, ...]]  # by target class
    max_counts: tuple[_Count, ...]
    node_patterns: tuple[_NodePattern, ...]


def plan_scans(shapes: rdflib.Graph) -> ScanPlan:
    """Sort every constraint of `shapes` into scans. Raises ValueError on a constraint
    `kg.ingest.shacl_sparql` cannot compile (the same set is supported)."""
    values: dict[str, list[_Rule]] = {}
    min_counts: dict[str, list[_Count]] = {}
    max_counts: list[_Count] = []
    patterns: list[_NodePattern] = []
    for shape in sorted(shapes.subjects(SH.targetClass, None), key=str):
        target = str(shapes.value(shape, SH.targetClass))
        for predicate in set(shapes.predicates(shape)) - _KNOWN:
            raise ValueError(f"cannot compile {predicate} on {shape}")
        pattern = shapes.value(shape, SH.pattern)
        if pattern is not None:
            patterns.append(
                _NodePattern(
                    target,
                    _regex(pattern, shapes.value(shape, SH.flags)),
                    str(shapes.value(shape, SH.message) or ""),
                    _severity(shapes, shape),
                )
            )
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise ValueError(f"cannot compile a complex sh:path on {shape}")
            message = str(shapes.value(prop, SH.message) or "")
            severity = _severity(shapes, prop)
            for predicate, value in shapes.predicate_objects(prop):
                if predicate not in _KNOWN:
                    raise ValueError(f"cannot compile {predicate} on {shape}")
                if predicate == SH.minCount:
                    count = _Count(target, str(path), int(value), message, severity)
                    min_counts.setdefault(target, []).append(count)
                elif predicate == SH.maxCount:
                    max_counts.append(_Count(target, str(path), int(value), message, severity))
                else:
                    condition = _value_filter(shapes, prop, predicate, value)
                    if condition is not None:
                        rule = _Rule(target, str(path), condition, message, severity)
                        values.setdefault(str(path), []).append(rule)
    return ScanPlan(
        {path: tuple(rules) for path, rules in values.items()},
        {target: tuple(counts) for target, counts in min_counts.items()},
        tuple(max_counts),
        tuple(patterns),
    )


def plan_json(plan: ScanPlan) -> dict[str, object]:
    """`plan` as JSON values (`plan_from_json` reads it back): each constraint a list of its
    fields in their order, grouped as in the plan."""
    return {
        "values": {
            path: [list(astuple(rule)) for rule in rules] for path, rules in plan.values.items()
        },
        "min_counts": {
            target: [list(astuple(count)) for count in counts]
            for target, counts in plan.min_counts.items()
        },
        "max_counts": [list(astuple(count)) for count in plan.max_counts],
        "node_patterns": [list(astuple(pattern)) for pattern in plan.node_patterns],
    }


def plan_from_json(value: object) -> ScanPlan:
    """The plan `plan_json` wrote. Raises ValueError when `value` is not of that shape (each
    field of each constraint of its type: a kept file another version wrote, or damaged)."""
    if not isinstance(value, dict) or set(value) != {
        "values", "min_counts", "max_counts", "node_patterns"
    }:  # fmt: skip
        raise ValueError("not a scan plan")
    values, min_counts = value["values"], value["min_counts"]
    if not isinstance(values, dict) or not isinstance(min_counts, dict):
        raise ValueError("not a scan plan")
    return ScanPlan(
        {str(path): _rows(rules, _Rule, _RULE_TYPES) for path, rules in values.items()},
        {str(target): _rows(counts, _Count, _COUNT_TYPES) for target, counts in min_counts.items()},
        _rows(value["max_counts"], _Count, _COUNT_TYPES),
        _rows(value["node_patterns"], _NodePattern, (str, str, str, str)),
    )


_RULE_TYPES = (str, str, str, str, str)
_COUNT_TYPES = (str, str, int, str, str)


def _rows(rows: object, kind: Callable[..., _T], types: tuple[type, ...]) -> tuple[_T, ...]:
    """`kind(*row)` for each row of `rows`, a list of lists whose fields are of `types`."""
    if not isinstance(rows, list):
        raise ValueError("not a scan plan")
    made = []
    for row in rows:
        if (
            not isinstance(row, list)
            or len(row) != len(types)
            or not all(type(field) is wanted for field, wanted in zip(row, types, strict=True))
        ):
            raise ValueError("not a scan plan")
        made.append(kind(*row))
    return tuple(made)


def run_scans(
    plan: ScanPlan,
    store: ox.Store,
    judged: Container[str] | Callable[[str], bool],
    *,
    union: bool = False,
    claim: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """Run `plan` over `store` (its default graph; with `union`, the union of all its graphs)
    and return the findings about `judged` nodes (a set of IRIs, or a test of one).

    The findings are those `kg.ingest.shacl_sparql.run_checks` gives for the same shapes and
    store, without duplicates. With `claim`, the plan's scans (one per node shape's
    minCounts, per predicate's values, per maxCount property and bound, per focus pattern:
    `scan_keys`, the costliest kinds first) are run only where ``claim(key)`` is true: two
    processes sharing the scans of one store each claim what the other has not
    (`kg.ingest.scan_worker.Claims`), and the union of their findings is the whole."""
    keep = judged if callable(judged) else judged.__contains__
    options = {"use_default_graph_as_union": True} if union else {}

    def select(sparql: str) -> Iterator[ox.QuerySolution]:
        return iter(store.query(sparql, **options))  # type: ignore[arg-type]

    instances = _Instances(select)
    found: dict[tuple, Finding] = {}
    lean = (lambda condition: condition) if marks_ill_formed(store) else without_ill_formed

    def add(focus: ox.Term | None, path: str | None, value: object, rule: object) -> None:
        if focus is None or not keep(focus.value):
            return
        finding = Finding(focus.value, path, value, rule.message, rule.severity)  # type: ignore[attr-defined, arg-type]
        found.setdefault((finding.focus, path, value, finding.message, finding.severity), finding)

    def min_counts(target: str, counts: tuple[_Count, ...]) -> None:
        if any(count.bound != 1 for count in counts):
            _min_counts_grouped(select, instances, target, counts, add)
            return
        # Each property's instances lacking it, as MINUS: Oxigraph reads the property's
        # subjects once into a hash set, where NOT EXISTS looks each instance up (4x slower).
        parts = " UNION ".join(
            f"{{ {instances.pattern('?f', target, 'ft')} MINUS {{ ?f <{count.path}> ?any }} "
            f"BIND({i} AS ?m) }}"
            for i, count in enumerate(counts)
        )
        for row in select(f"SELECT DISTINCT ?f ?m WHERE {{ {parts} }}"):
            count = counts[int(row["m"].value)]  # type: ignore[union-attr]
            add(row["f"], count.path, None, count)

    def values(path: str, rules: tuple[_Rule, ...]) -> None:
        # each distinct condition once per distinct value; the class of the subject is then
        # looked up only for the statements whose value violates some condition
        conditions = list(dict.fromkeys(rule.condition for rule in rules))
        classes = [_class_only(condition) for condition in conditions]
        if all(classes):  # sh:class alone (tm:mark, tm:owner...): the values not of the class
            violated = _values_of_other_classes(select, path, classes, instances)  # type: ignore[arg-type]
            rows = _statements_holding(select, path, violated, "", "")
        else:
            binds = " ".join(
                f"BIND(COALESCE({_class_bound(lean(condition), instances)}, false) AS ?k{i})"
                for i, condition in enumerate(conditions)
            )
            rows = _violating_statements(select, path, binds, len(conditions))
        if not rows:
            return
        types = instances.types_of({focus for focus, _, _ in rows})
        for focus, value, violated in rows:
            broken = {conditions[i] for i in violated}
            for rule in rules:
                if rule.condition in broken and instances.is_a(types, focus, rule.target):
                    add(focus, path, value, rule)

    def max_counts(path: str, bound: int, counts: list[_Count]) -> None:
        # the subjects with too many values of a property, counted once per property and
        # bound (shapes of several classes share them: tm:mark), their classes then looked up
        # for the few found (joined in the query, the class test cost as much as the count)
        rows = [
            row["f"]
            for row in select(
                f"SELECT ?f WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?o) AS ?n) WHERE {{ "
                f"?f <{path}> ?o }} GROUP BY ?f }} FILTER(?n > {bound}) }}"
            )
        ]
        if not rows:
            return
        types = instances.types_of(set(rows))
        for focus in rows:
            for count in counts:
                if instances.is_a(types, focus, count.target):
                    add(focus, count.path, None, count)

    def node_pattern(node: _NodePattern) -> None:
        for row in select(
            f"SELECT DISTINCT ?f WHERE {{ {instances.pattern('?f', node.target, 'ft')} "
            f"FILTER(isBlank(?f) || !REGEX(STR(?f), {node.pattern})) }}"
        ):
            add(row["f"], None, row["f"], node)

    scan = {
        "minCount": min_counts,
        "values": values,
        "maxCount": max_counts,
        "pattern": node_pattern,
    }
    for key, kind, arguments in _scans(plan):
        if claim is None or claim(key):
            scan[kind](*arguments)
    return list(found.values())


def scan_keys(plan: ScanPlan) -> list[str]:
    """The keys of `plan`'s scans, in the order `run_scans` runs (and claims) them."""
    return [key for key, _, _ in _scans(plan)]


def _scans(plan: ScanPlan) -> Iterator[tuple[str, str, tuple]]:
    """`plan`'s scans as (key, kind, the arguments of `run_scans`'s scan of that kind):
    minCounts (a join of every instance of a class: the longest, 10 s of 41 for a million
    registrations), values, maxCounts, focus patterns."""
    for target, counts in plan.min_counts.items():
        yield f"minCount {target}", "minCount", (target, counts)
    for path, rules in plan.values.items():
        yield f"values {path}", "values", (path, rules)
    by_bound: dict[tuple[str, int], list[_Count]] = {}
    for count in plan.max_counts:
        by_bound.setdefault((count.path, count.bound), []).append(count)
    for (path, bound), counts in by_bound.items():
        yield f"maxCount {path} {bound}", "maxCount", (path, bound, counts)
    for i, node in enumerate(plan.node_patterns):
        yield f"pattern {i} {node.target}", "pattern", (node,)


def _violating_statements(
    select: Callable[[str], Iterator[ox.QuerySolution]], path: str, binds: str, conditions: int
) -> list[tuple[ox.Term, ox.Term, list[int]]]:
    """The statements of `path` whose value violates one of the `conditions` bound by `binds`
    (to ?k0, ?k1...), with the indexes of those violated. The conditions are judged once per
    distinct value; the statements holding a violating value are then looked up."""
    names = " ".join(f"?k{i}" for i in range(conditions))
    any_flag = " || ".join(f"?k{i}" for i in range(conditions))
    violated: dict[ox.Term, list[int]] = {}
    for row in select(
        f"SELECT ?v {names} WHERE {{ {{ SELECT DISTINCT ?v WHERE {{ ?x <{path}> ?v }} }} "
        f"{binds} FILTER({any_flag}) }}"
    ):
        violated[row["v"]] = [i for i in range(conditions) if _true(row[f"k{i}"])]
    return _statements_holding(select, path, violated, binds, any_flag)


def _statements_holding(
    select: Callable[[str], Iterator[ox.QuerySolution]],
    path: str,
    violated: dict[ox.Term, list[int]],
    binds: str,
    any_flag: str,
) -> list[tuple[ox.Term, ox.Term, list[int]]]:
    """The statements of `path` holding a value of `violated` (value -> the conditions it
    violates); where a value is a blank node (not nameable in ``VALUES``), those whose value
    `binds` flags (`any_flag`), or all (no flags) kept when their value is in `violated`."""
    if not violated:
        return []
    values = list(violated)
    if any(isinstance(value, ox.BlankNode) for value in values):  # not nameable in VALUES
        return [
            (row["f"], row["v"], violated[row["v"]])
            for row in select(
                f"SELECT ?f ?v WHERE {{ ?f <{path}> ?v {binds} "
                f"{f'FILTER({any_flag})' if any_flag else ''} }}"
            )
            if row["v"] in violated
        ]
    found = []
    for start in range(0, len(values), _BATCH):
        listed = " ".join(str(value) for value in values[start : start + _BATCH])
        for row in select(f"SELECT ?f ?v WHERE {{ VALUES ?v {{ {listed} }} ?f <{path}> ?v }}"):
            found.append((row["f"], row["v"], violated[row["v"]]))
    return found


_CLASS_ONLY = re.compile(
    rf"NOT EXISTS \{{ \?v a \?vt \. \?vt {re.escape(_SUBCLASS)}\* <([^>]+)> \. \}}"
)


def _class_only(condition: str) -> str | None:
    """The class of a condition that is an sh:class test alone (`kg.ingest.shacl_sparql`
    writes it ``NOT EXISTS { ?v a ?vt . ?vt rdfs:subClassOf* <C> . }``), else None."""
    found = _CLASS_ONLY.fullmatch(condition.strip())
    return found[1] if found else None


def _values_of_other_classes(
    select: Callable[[str], Iterator[ox.QuerySolution]],
    path: str,
    classes: list[str],
    instances: _Instances,
) -> dict[ox.Term, list[int]]:
    """The distinct values of `path` that are not SHACL instances of `classes[i]`, with the
    indexes `i`: as ``MINUS`` (Oxigraph reads the class's instances once into a hash set;
    ``NOT EXISTS`` looked each value up: 1.05 s against ~0.3 s for 100,000 marks)."""
    distinct = list(dict.fromkeys(classes))
    parts = " UNION ".join(
        f"{{ {{ SELECT DISTINCT ?v WHERE {{ ?x <{path}> ?v }} }} "
        f"MINUS {{ {instances.pattern('?v', cls, 'vt')} }} BIND({i} AS ?k) }}"
        for i, cls in enumerate(distinct)
    )
    violated: dict[ox.Term, list[int]] = {}
    for row in select(f"SELECT ?v ?k WHERE {{ {parts} }}"):
        cls = distinct[int(row["k"].value)]  # type: ignore[union-attr]
        violated.setdefault(row["v"], []).extend(
            i for i, other in enumerate(classes) if other == cls
        )
    return violated


def _min_counts_grouped(
    select: Callable[[str], Iterator[ox.QuerySolution]],
    instances: _Instances,
    target: str,
    counts: tuple[_Count, ...],
    add: Callable[..., None],
) -> None:
    """sh:minCount above 1: each property counted over the class's instances (rare)."""
    for count in counts:
        if count.bound == 1:
            sparql = (
                f"SELECT DISTINCT ?f WHERE {{ {instances.pattern('?f', target, 'ft')} "
                f"FILTER NOT EXISTS {{ ?f <{count.path}> ?any }} }}"
            )
        else:
            sparql = (
                f"SELECT ?f WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?o) AS ?n) WHERE {{ "
                f"{instances.pattern('?f', target, 'ft')} OPTIONAL {{ ?f <{count.path}> ?o }} "
                f"}} GROUP BY ?f }} FILTER(?n < {count.bound}) }}"
            )
        for row in select(sparql):
            add(row["f"], count.path, None, count)


class _Instances:
    """The classes whose instances are SHACL instances of a class, read from the store once."""

    def __init__(self, select: Callable[[str], Iterator[ox.QuerySolution]]) -> None:
        self._select = select
        self._below: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}

    def below(self, cls: str) -> str:
        """`cls` and every class below it in the data, as ``VALUES`` members."""
        if cls not in self._below:
            rows = self._select(f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS}* <{cls}> }}")
            members = {str(row["c"]) for row in rows if isinstance(row["c"], ox.NamedNode)}
            members.add(f"<{cls}>")
            self._below[cls] = " ".join(sorted(members))
        return self._below[cls]

    def types_of(self, nodes: set[ox.Term]) -> dict[ox.Term, set[str]]:
        """The types of `nodes` (each IRI in angle brackets), read in batches."""
        types: dict[ox.Term, set[str]] = {}
        listed = sorted((node for node in nodes if not isinstance(node, ox.Literal)), key=str)
        for start in range(0, len(listed), _BATCH):
            values = " ".join(str(node) for node in listed[start : start + _BATCH])
            for row in self._select(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
                types.setdefault(row["s"], set()).add(str(row["t"]))
        return types

    def is_a(self, types: dict[ox.Term, set[str]], node: ox.Term, cls: str) -> bool:
        """Whether `node`, of `types`, is a SHACL instance of `cls`."""
        below = self._members.get(cls)
        if below is None:
            below = self._members[cls] = set(self.below(cls).split())
        return not types.get(node, set()).isdisjoint(below)

    def pattern(self, term: str, cls: str, var: str) -> str:
        """A pattern matching when `term` is a SHACL instance of `cls`."""
        return f"VALUES ?{var} {{ {self.below(cls)} }} {term} a ?{var} ."


def _class_bound(condition: str, instances: _Instances) -> str:
    """`condition` with its sh:class test (``?v a ?vt . ?vt rdfs:subClassOf* C``) turned into
    a ``VALUES`` list of the classes below C found in the store."""
    marker = f" . ?vt {_SUBCLASS}* "
    if marker not in condition:
        return condition
    head, tail = condition.split(marker, 1)
    cls, rest = tail.split(" .", 1)
    assert head.endswith("?v a ?vt"), condition
    head = head[: -len("?v a ?vt")]
    return f"{head}{instances.pattern('?v', cls.strip('<>'), 'vt')}{rest}"


def _true(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"
