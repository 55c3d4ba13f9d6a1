"""SHACL validation of new data together with what the store already holds.

The data graph handed to pyshacl is: the new quads (graph names dropped), the ontology and
reference data, and from the store the statements about every node the new data touches,
the types of the nodes those point to, and the store's ``rdfs:subClassOf`` chains above every
class met on the way. That is enough for every shape in ``schema/shapes.ttl`` (which look one
step from a focus node, and at its classes) without copying the store. Both engines validate
that same data graph, so a subclass declared by a file or by an earlier load counts alike.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from kg import user_cache
from kg.errors import ValidationError
from kg.ingest.date_literals import DATE_TYPES, DateStandIns, is_valid_date
from kg.ingest.date_order import date_order_warnings
from kg.ingest.same_as import same_as_faults
from kg.ingest.shacl_scan import ScanPlan, plan_from_json, plan_json, plan_scans, run_scans
from kg.ingest.shacl_sparql import Finding, mark_ill_formed
from kg.ingest.vocabulary import undefined_terms
from kg.namespaces import JURISDICTION, NICE, TM
from kg.reference import ontology_quads, reference_quads, shapes_path
from kg.store import Store
from kg.store.rdflib_memory import to_rdflib
from kg.text_characters import escaped, fault, is_visible
from kg.user_cache import code_digest

__all__ = ["ValidationReport", "is_well_typed", "same_as_lines", "validate_quads"]

_PREFIXES = {
    "https://w3id.org/tmkg/ontology#": "tm:",
    "https://w3id.org/tmkg/id/": "id:",
    "https://schema.org/": "schema:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}
_BATCH = 5_000  # context lookups: fewer, bigger VALUES queries (one per batch)
PYSHACL_MAX_QUADS = 20_000
"""Loads up to this size are validated by pyshacl; bigger ones by the compiled SPARQL checks."""
_REFERENCE_PREFIXES = (
    str(JURISDICTION),
    str(NICE),
    str(TM._NS),
)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_TIMEZONE = r"(Z|[+-](0\d|1[0-4]):[0-5]\d)?"
# rdflib checks most XSD types itself, but not gYear and gYearMonth.
_FLOATING = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN"
_LEXICAL_FORMS = {
    _XSD + "gYear": re.compile(rf"-?\d{{4,}}{_TIMEZONE}"),
    _XSD + "gYearMonth": re.compile(rf"-?\d{{4,}}-(0[1-9]|1[0-2]){_TIMEZONE}"),
    # rdflib reads these with Python's int, Decimal and float, which also take "1_000", "٣"
    # and "infinity"; Oxigraph (the compiled checks, the store) does not
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    _XSD + "double": re.compile(_FLOATING),
    _XSD + "float": re.compile(_FLOATING),
    # rdflib would warn (UserWarning) on a "weird boolean" before calling it ill-typed.
    _XSD + "boolean": re.compile(r"true|false|1|0"),
}
_UNCHECKED = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}

# rdflib logs a traceback for every ill-typed literal it meets; we report them ourselves.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


@dataclass
class ValidationReport:
    """SHACL results: violations reject a load, warnings are reported and let through."""

    violations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def conforms(self) -> bool:
        return not self.violations

    def raise_for_violations(self) -> None:
        """Raise `ValidationError` naming every violation, if there are any."""
        if self.violations:
            raise ValidationError(self.violations, source=self.source)


@cache
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(shapes_path(), format="turtle")


@cache
def _python_shapes() -> rdflib.Graph:
    """The shapes as pyshacl must read them: Python's ``$`` also matches before a final line
    feed, XPath's (SPARQL's, the compiled checks') only at the end, so a pattern's final ``$``
    is Python's ``\\Z`` (``"ACME\\n"`` is not a one-line mark in either engine)."""
    shapes = rdflib.Graph()
    for subject, predicate, obj in _shapes():
        if predicate == SH.pattern and str(obj).endswith("$") and not str(obj).endswith("\\$"):
            obj = rdflib.Literal(str(obj)[:-1] + "\\Z")
        shapes.add((subject, predicate, obj))
    return shapes


@cache
def _ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for quad in ontology_quads():
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


@cache
def _reference_descriptions() -> dict[rdflib.URIRef, tuple[tuple, ...]]:
    """The triples about each jurisdiction and Nice class, by node."""
    described: dict[rdflib.URIRef, list[tuple]] = {}
    for quad in reference_quads():
        subject = to_rdflib(quad.subject)
        if isinstance(subject, rdflib.URIRef) and _is_reference_node(quad.subject):
            triple = (subject, to_rdflib(quad.predicate), to_rdflib(quad.object))
            described.setdefault(subject, []).append(triple)
    return {node: tuple(triples) for node, triples in described.items()}


def validate_quads(
    quads: Sequence[ox.Quad],
    store: Store | None = None,
    *,
    origins: Mapping[object, str] | None = None,
    engine: str | None = None,
    gone: Collection[tuple[object, object, object]] = frozenset(),
) -> ValidationReport:
    """Validate `quads` against the shapes, in the context of `store` (if given).

    IRIs in tmkg's namespace must be terms the ontology defines (`kg.ingest.vocabulary`).
    Only nodes the new data says something about are judged: context pulled from the store is
    there to answer the shapes' questions (is the owner a Party?), not to be judged again.
    `origins` maps a subject to the file it came from, so messages can say where. `engine` is
    ``"pyshacl"`` (the reference) or ``"sparql"`` (the shapes compiled to SPARQL, for big
    loads); by default pyshacl up to `PYSHACL_MAX_QUADS` quads, SPARQL above. `gone`: the
    (subject, predicate, object) statements of `store` that are not to count (a change removes
    them from every graph: `kg.ingest.validate_change`).
    """
    report = ValidationReport(source=_source_label(origins))
    # checked here, not in an engine, so that both engines give one verdict
    report.violations += _undefined_terms(quads, origins or {})
    report.violations += same_as_lines(quads, store, origins or {})
    report.violations += _ill_typed(quads, origins or {})
    restated = _ill_typed_statements(quads)
    judged = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    context = list(_store_context(quads, store)) if store is not None and judged else []
    if gone:
        context = [triple for triple in context if triple not in gone]
    # a node's dates held by the store count: a later file adding a registration date
    report.warnings += date_order_warnings(
        [*quads, *(ox.Quad(s, p, o) for s, p, o in context)], origins or {}
    )
    if not judged:
        return report
    # rdflib (so pyshacl) reads fewer dates than XSD 1.1: the engines judge stand-ins
    stand_ins = DateStandIns()
    quads, context = stand_ins.quads(quads), stand_ins.triples(context)
    chosen = engine or ("pyshacl" if len(quads) <= PYSHACL_MAX_QUADS else "sparql")
    if chosen == "pyshacl":
        results = _pyshacl_results(quads, context, {to_rdflib(n) for n in judged})
    elif chosen == "sparql":
        results = _sparql_results(quads, context, {n.value for n in judged})
    else:
        raise ValueError(f"unknown validation engine {engine!r}")
    for focus, path, value, message, severity in results:
        if (focus, path, value) in restated:
            continue  # the literal's own line says what is wrong, the same for both engines
        line = _line(focus, path, stand_ins.original(value), message, origins or {})
        (report.violations if severity == "Violation" else report.warnings).append(line)
    # two constraints of one property shape can say the same thing about the same value
    report.violations = sorted(set(report.violations))
    report.warnings = sorted(set(report.warnings))
    return report


_Result = tuple[object, object, object, str, str]


def _pyshacl_results(
    quads: Sequence[ox.Quad], context: Sequence[tuple], judged: set
) -> list[_Result]:
    import pyshacl  # imported here: ~0.4 s a process, and only small loads use it

    data = rdflib.Graph()
    data += _ontology_graph()
    for quad in quads:
        data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    for subject, predicate, obj in context:
        data.add((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj)))
    descriptions = _reference_descriptions()
    for node in {term for triple in data for term in (triple[0], triple[2])}:
        for triple in descriptions.get(node, ()):  # type: ignore[call-overload]
            data.add(triple)
    # pyshacl's focus_nodes option skips nested shapes (sh:or, sh:node) on value nodes, so the
    # whole graph is validated and results are kept for the judged nodes only.
    _, results, _ = pyshacl.validate(
        data, shacl_graph=_python_shapes(), inference="none", allow_warnings=True
    )
    found: list[_Result] = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        if focus not in judged or results.value(None, SH.detail, result) is not None:
            continue
        severity = results.value(result, SH.resultSeverity)
        found.append(
            (
                focus,
                results.value(result, SH.resultPath),
                results.value(result, SH.value),
                str(results.value(result, SH.resultMessage)),
                "Violation" if severity == SH.Violation else "Warning",
            )
        )
    return found


@cache
def _scan_plan() -> ScanPlan:
    """`plan_scans` of the shapes, kept in the user's cache folder (`kg.user_cache`) under
    the digest of tmkg's code and shapes and rdflib's version: parsing the shapes and planning
    took ~0.2-0.3 s in every process that validates. The kept file holds the plan's digest
    too: a file damaged since it was written (an edited query, a plan emptied) is made
    again, not used (helper-130: a changed condition failed every later big load)."""
    key = code_digest(("rdflib",))

    def made() -> dict[str, object]:
        plan = plan_json(plan_scans(_shapes()))
        return {"plan": plan, "sha256": _plan_digest(key, plan)}

    read: list[ScanPlan] = []  # the kept plan, parsed once when whole

    def whole(value: object) -> bool:
        if not isinstance(value, dict) or value.get("sha256") != _plan_digest(
            key, value.get("plan")
        ):
            return False
        try:
            read.append(plan_from_json(value["plan"]))
        except ValueError:
            return False
        return True

    value = user_cache.kept("scan-plan", key, made, whole)
    return read[-1] if read else plan_from_json(value["plan"])


def _plan_digest(key: int, plan: object) -> str:
    text = json.dumps([key, plan], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _sparql_results(
    quads: Sequence[ox.Quad], context: Sequence[tuple], judged: set[str]
) -> list[_Result]:
    scratch = ox.Store()
    default = ox.DefaultGraph()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in reference_quads())
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)
    scratch.extend(ox.Quad(s, p, o, default) for s, p, o in context)
    objects = {q.object for q in quads} | {o for _, _, o in context}
    mark_ill_formed(
        scratch, (term for term in objects if isinstance(term, ox.Literal) and _ill_formed(term))
    )
    findings = run_scans(_scan_plan(), scratch, judged)
    stated = _stated_values(findings, quads, context)
    return [
        (
            rdflib.URIRef(finding.focus),
            rdflib.URIRef(finding.path) if finding.path else None,
            to_rdflib(value) if value is not None else None,
            finding.message,
            finding.severity,
        )
        for finding in findings
        for value in stated.get((finding.focus, finding.path, finding.value), (finding.value,))
    ]


def _stated_values(
    findings: Sequence[Finding], quads: Sequence[ox.Quad], context: Sequence[tuple]
) -> dict[tuple, list[ox.Literal]]:
    """The literals as the data states them, by the form the scratch store turned them into.

    Oxigraph stores ``"10.0"^^xsd:decimal`` as ``"10"``; pyshacl reports what the data says.
    """
    wanted = {(f.focus, f.path) for f in findings if isinstance(f.value, ox.Literal) and f.path}
    stated: dict[tuple, list[ox.Literal]] = {}
    if not wanted:
        return stated
    statements = chain(((q.subject, q.predicate, q.object) for q in quads), context)
    for subject, predicate, obj in statements:
        if isinstance(obj, ox.Literal) and (subject.value, predicate.value) in wanted:
            values = stated.setdefault((subject.value, predicate.value, _stored(obj)), [])
            if obj not in values:
                values.append(obj)
    return stated


@lru_cache(maxsize=1 << 12)
def _stored(literal: ox.Literal) -> ox.Literal:
    """`literal` as an Oxigraph store keeps it (valid numbers in canonical form)."""
    store = ox.Store()
    node = ox.NamedNode("urn:tmkg:stored")
    store.add(ox.Quad(node, node, literal))
    return next(iter(store)).object  # type: ignore[return-value]


_ONE_LINE_TEXTS = frozenset(
    (
        "https://w3id.org/tmkg/ontology#text",
        "https://w3id.org/tmkg/ontology#verbalElement",
        "https://schema.org/name",
        "https://schema.org/alternateName",
    )
)
"""The properties whose values the shapes hold to `kg.text_characters`' one-line rule."""


def _line(
    focus: object, path: object, value: object, message: str, origins: Mapping[object, str]
) -> str:
    origin = origins.get(ox.NamedNode(str(focus))) if focus is not None else None
    where = f"{origin}: " if origin else ""
    text = f"{where}{_compact(focus)}"
    if path is not None:
        text += f" {_compact(path)}"
    text += f": {message}"
    if value is not None and value != focus:
        named = isinstance(value, rdflib.Literal) and str(path) in _ONE_LINE_TEXTS
        said = fault(str(value)) if named else None  # what is wrong with a name, in words
        text += f" (got {_compact(value)}{f': {said}' if said else ''})"
    return text


def _ill_formed(literal: ox.Literal) -> bool:
    """Whether pyshacl holds `literal` invalid for its own datatype (rdflib's ``ill_typed``).

    The compiled checks need the reference's answer, not `is_well_typed`'s stricter one
    (which reports ``"20x8"^^xsd:gYear`` on its own line in both engines).
    """
    if literal.language or literal.datatype.value in _UNCHECKED:
        return False
    return _rdflib_ill_typed(literal.value, literal.datatype.value)


@lru_cache(maxsize=1 << 16)
def _rdflib_ill_typed(text: str, datatype: str) -> bool:
    return rdflib.Literal(text, datatype=rdflib.URIRef(datatype)).ill_typed is True


def is_well_typed(literal: ox.Literal) -> bool:
    """Whether a literal's text is valid for its XSD datatype.

    >>> is_well_typed(ox.Literal("2008-02-07", datatype=ox.NamedNode(_XSD + "date")))
    True
    >>> is_well_typed(ox.Literal("2008-13-45", datatype=ox.NamedNode(_XSD + "date")))
    False
    >>> is_well_typed(ox.Literal("20x8", datatype=ox.NamedNode(_XSD + "gYear")))
    False
    """
    datatype = literal.datatype.value
    if datatype in _UNCHECKED or not datatype.startswith(_XSD):
        return True
    return _well_typed(literal.value, datatype)


@lru_cache(maxsize=1 << 16)
def _well_typed(text: str, datatype: str) -> bool:
    if datatype in DATE_TYPES:
        return is_valid_date(text, datatype)
    pattern = _LEXICAL_FORMS.get(datatype)
    if pattern is not None:
        return pattern.fullmatch(text) is not None
    return not rdflib.Literal(text, datatype=rdflib.URIRef(datatype)).ill_typed


def _ill_typed_statements(quads: Sequence[ox.Quad]) -> set[tuple]:
    """The statements `_ill_typed` reports, as the engines' results name them (rdflib terms)."""
    return {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in quads
        if isinstance(q.object, ox.Literal)
        and not q.object.language
        and not is_well_typed(q.object)
    }


def _ill_typed(quads: Sequence[ox.Quad], origins: Mapping[object, str]) -> list[str]:
    lines = []
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal) and not term.language and not is_well_typed(term):
            origin = origins.get(quad.subject)
            where = f"{origin}: " if origin else ""
            subject = _compact(to_rdflib(quad.subject))
            predicate = _compact(to_rdflib(quad.predicate))
            datatype = _compact(rdflib.URIRef(term.datatype.value))
            value = escaped(_shortened(term.value))
            lines.append(f'{where}{subject} {predicate}: "{value}" is not a valid {datatype}')
    return lines


def _undefined_terms(quads: Sequence[ox.Quad], origins: Mapping[object, str]) -> list[str]:
    """A line per term in tmkg's namespace the ontology does not define (`undefined_terms`)."""
    return [_subject_line(term.subject, term.message, origins) for term in undefined_terms(quads)]


def same_as_lines(
    quads: Sequence[ox.Quad], store: Store | None, origins: Mapping[object, str]
) -> list[str]:
    """A violation line per owl:sameAs statement of `quads` that `kg.ingest.same_as`
    refuses (the types of its nodes read from `quads` and `store`)."""
    return [_subject_line(s, message, origins) for s, message in same_as_faults(quads, store)]


def _subject_line(subject: object, message: str, origins: Mapping[object, str]) -> str:
    """A violation line about `subject`: its file (from `origins`, if known), it, `message`."""
    origin = origins.get(subject)
    where = f"{origin}: " if origin else ""
    return f"{where}{_compact(to_rdflib(subject))}: {message}"


def _store_context(
    quads: Sequence[ox.Quad], store: Store
) -> Iterable[
    tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]
]:
    """Statements the store holds about the nodes the new data touches, their types and classes."""
    touched = {
        term
        for quad in quads
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode) and not _is_reference_node(term)
    }
    return _store_context_of(touched, _classes(quads), store)


def _store_context_of(
    touched: set[ox.NamedNode], classes: set[ox.NamedNode], store: Store
) -> Iterable[
    tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]
]:
    """Statements `store` holds about the `touched` nodes, the types of the nodes those point
    to, and every subclass chain above `classes` or a class met on the way."""
    pointed: set[ox.NamedNode] = set()
    classes = set(classes)
    for batch in _batches(sorted(touched, key=str)):
        values = " ".join(str(node) for node in batch)
        rows = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
        for row in rows:  # type: ignore[union-attr]
            yield (row["s"], row["p"], row["o"])
            if isinstance(row["o"], ox.NamedNode) and row["o"] not in touched:
                pointed.add(row["o"])
            if row["p"] in (_RDF_TYPE, _SUBCLASS_OF) and isinstance(row["o"], ox.NamedNode):
                classes.add(row["o"])
    for batch in _batches(sorted(pointed, key=str)):
        values = " ".join(str(node) for node in batch)
        rows = store.query(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}")
        for row in rows:  # type: ignore[union-attr]
            yield (row["s"], _RDF_TYPE, row["t"])
            if isinstance(row["t"], ox.NamedNode):
                classes.add(row["t"])
    # every chain in the store above a class met so far: a stored chain can only be entered at
    # a type, at either end of a new or ontology link, or at another stored link's end
    for batch in _batches(sorted(classes, key=str)):
        values = " ".join(str(node) for node in batch)
        rows = store.query(
            f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?c {{ {values} }} "
            f"?c {_SUBCLASS_OF}* ?s . ?s {_SUBCLASS_OF} ?o }}"
        )
        for row in rows:  # type: ignore[union-attr]
            yield (row["s"], _SUBCLASS_OF, row["o"])


def _classes(quads: Sequence[ox.Quad]) -> set[ox.NamedNode]:
    """The classes the new data and the ontology name: types and both ends of subclass links."""
    classes = set()
    for quad in (*quads, *ontology_quads()):
        if quad.predicate == _SUBCLASS_OF and isinstance(quad.subject, ox.NamedNode):
            classes.add(quad.subject)
        if quad.predicate in (_RDF_TYPE, _SUBCLASS_OF) and isinstance(quad.object, ox.NamedNode):
            classes.add(quad.object)
    return classes


def _is_reference_node(node: ox.NamedNode) -> bool:
    return node.value.startswith(_REFERENCE_PREFIXES)


def _batches(items: list, size: int = _BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _compact(term: object) -> str:
    """A term as a violation line names it: a prefixed name, an IRI, or a literal cut to its
    start, with every character that would not show escaped as the CLI escapes it
    (`kg.text_characters.escaped`: ``"Y\\ufdd0"``; a literal nothing of which shows, all but
    ASCII), so a message says what a value holds."""
    if isinstance(term, rdflib.URIRef):
        text = str(term)
        for namespace, prefix in _PREFIXES.items():
            if text.startswith(namespace):
                return escaped(prefix + text[len(namespace) :])
        return escaped(f"<{text}>")
    if isinstance(term, rdflib.Literal):
        lexical = _shortened(str(term))
        lexical = escaped(lexical, wholly=not is_visible(lexical))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None:
            return f'"{lexical}"^^{_compact(term.datatype)}'
        return f'"{lexical}"'
    return escaped(str(term))


def _shortened(text: str, keep: int = 60) -> str:
    """A long value's start and its length: a message names a 20,000-letter mark, not prints it.

    >>> _shortened("A" * 20_000, keep=5)
    'AAAAA… (20,000 characters)'
    """
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text):,} characters)"


def _source_label(origins: Mapping[object, str] | None) -> str | None:
    if not origins:
        return None
    names = sorted(set(origins.values()))
    return ", ".join(names)
