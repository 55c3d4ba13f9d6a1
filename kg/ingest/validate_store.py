"""Validation of new data where it lies: in an Oxigraph store, without copying it into Python.

`kg.ingest.validate.validate_quads` judges quads held in Python. A streamed load
(`kg.ingest.stream_load`) bulk-loads a file straight into a store and judges it there, with the
same rules and the same messages:

- terms in tmkg's namespace the ontology does not define (`kg.ingest.vocabulary`), and
  literals not valid for their datatype: the store's distinct subjects, predicates and, per
  predicate, objects are read (`inventory`) and judged in Python (a register has far fewer
  distinct terms than statements), then the statements using a term at fault are read;
- dates out of order (`kg.ingest.date_order`): pairs of dates are compared in SPARQL as text
  spans, and the few pairs that may be out of order are judged in Python;
- the SHACL shapes, as a few scans of the store (`kg.ingest.shacl_scan`).

The store must hold, besides the new data, the reference data (`REFERENCE_GRAPH`) and, when
the data joins an existing store, the statements that store holds about the nodes the data
touches (`CONTEXT_GRAPH`, see `context_of`): the shapes look one step from a node and at the
classes it belongs to. Only nodes the new data states something about are judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from kg.ingest.date_literals import _RDFLIB_NARROWER, is_valid_date
from kg.ingest.date_order import _TM, ORDERS, date_order_warnings
from kg.ingest.scan_worker import ScanWorker
from kg.ingest.shacl_scan import run_scans
from kg.ingest.shacl_sparql import Finding, mark_ill_formed
from kg.ingest.validate import (
    _UNCHECKED,
    ValidationReport,
    _ill_formed,
    _ill_typed,
    _ill_typed_statements,
    _is_reference_node,
    _line,
    _scan_plan,
    _store_context_of,
    _undefined_terms,
    is_well_typed,
)
from kg.ingest.vocabulary import TM_NAMESPACE, undefined_terms
from kg.store import Store
from kg.store.rdflib_memory import to_rdflib

__all__ = [
    "CONTEXT_GRAPH",
    "REFERENCE_GRAPH",
    "Inventory",
    "Locate",
    "context_of",
    "inventory",
    "inventory_of_quads",
    "judged_in_graphs",
    "validate_in_store",
]

REFERENCE_GRAPH = ox.NamedNode("urn:tmkg:validation:reference")
"""Where the ontology and reference data sit while a streamed load is validated."""
CONTEXT_GRAPH = ox.NamedNode("urn:tmkg:validation:context")
"""Where the existing store's statements about the touched nodes sit during validation."""
_SPECIAL = (REFERENCE_GRAPH, CONTEXT_GRAPH)
_NEAR_NAMESPACE = TM_NAMESPACE.rstrip("#/")
_BATCH = 5_000


@dataclass
class Inventory:
    """What a store's new data holds, read from distinct terms (`inventory`): enough to tell
    whether it can be judged in the store, and the few statements Python must judge."""

    blank_nodes: bool = False
    triple_terms: bool = False
    longest_literal: int = 0
    longest_iri: int = 0
    bad_literals: set[ox.Literal] = field(default_factory=set)
    """Typed literals not valid for their datatype (`is_well_typed`, or as rdflib reads them)."""
    near_terms: set[ox.NamedNode] = field(default_factory=set)
    """IRIs (and datatypes) in or next to tmkg's namespace."""

    @property
    def needs_python(self) -> bool:
        """Blank nodes or triple terms: only the load through Python handles them."""
        return self.blank_nodes or self.triple_terms


def inventory(store: ox.Store) -> Inventory:
    """Take stock of every graph of `store` (before any validation graph is added): distinct
    subjects, predicates and graph names, predicate by predicate the distinct objects.
    Oxigraph reads distinct terms from its indexes (~1 µs a statement); judging the terms in
    Python here is cheaper than a SPARQL filter over each (measured: 0.9 s against 3.2 s for
    1.2M statements)."""
    found = Inventory()
    scopes = ("{ %s }", "{ GRAPH ?g { %s } }")
    found.blank_nodes = any(isinstance(g, ox.BlankNode) for g in store.named_graphs())
    predicates: set[ox.NamedNode] = set()
    for scope in scopes:
        for row in store.query(f"SELECT DISTINCT ?t WHERE {scope % '?t ?p ?o'}"):  # type: ignore[union-attr]
            _note_node(found, row["t"])
        for row in store.query(f"SELECT DISTINCT ?p WHERE {scope % '?s ?p ?o'}"):  # type: ignore[union-attr]
            predicates.add(row["p"])
    found.near_terms |= {p for p in predicates if p.value.startswith(_NEAR_NAMESPACE)}
    found.longest_iri = max([found.longest_iri, *(len(p.value) for p in predicates)])
    for graph in store.named_graphs():
        _note_node(found, graph)
    for predicate in predicates:
        for scope in scopes:
            pattern = scope % f"?s {predicate} ?t"
            for row in store.query(f"SELECT DISTINCT ?t WHERE {pattern}"):  # type: ignore[union-attr]
                term = row["t"]
                if type(term) is ox.Literal:
                    _note_literal(found, term)
                else:
                    _note_node(found, term)
    return found


def inventory_of_quads(
    quads: Iterable[ox.Quad], *, graphs: Iterable[ox.NamedNode] = (), remembered: int = 200_000
) -> Inventory:
    """What `inventory` finds in a store holding `quads` and nothing else (in `graphs` too:
    the graph a triples file is loaded into), read from the quads themselves, one at a time
    (memory stays flat: at most `remembered` terms are kept to skip repeats, then
    forgotten). For the files a load has bulk-loaded, read again while the store is
    compacted (`kg.ingest.stream_load`): ~3 µs a quad, as long as the store's distinct
    terms take, but on the core compaction leaves idle.

    The literals are as the file writes them, where the store holds some in canonical form
    (``"01"^^xsd:integer`` read back as ``"1"``): a caller that finds `bad_literals` must
    take stock of the store instead, whose literals it then looks up."""
    found = Inventory()
    for graph in graphs:
        _note_node(found, graph)
    last_subject = last_graph = None
    seen: set[object] = set()
    for subject, predicate, value, graph in quads:  # type: ignore[misc]
        if subject != last_subject:
            last_subject = subject
            _note_node(found, subject)
        if graph != last_graph:
            last_graph = graph
            _note_node(found, graph)
        if predicate not in seen:
            seen.add(predicate)
            _note_node(found, predicate)
        if value in seen:
            continue
        if len(seen) >= remembered:
            seen.clear()
        seen.add(value)
        if type(value) is ox.Literal:
            _note_literal(found, value)
        else:
            _note_node(found, value)
    return found


def _note_literal(found: Inventory, literal: ox.Literal) -> None:
    found.longest_literal = max(found.longest_literal, len(literal.value))
    found.longest_iri = max(found.longest_iri, len(literal.datatype.value))
    if literal.language:
        return
    datatype = literal.datatype
    if datatype.value.startswith(_NEAR_NAMESPACE):
        found.near_terms.add(datatype)
    if datatype.value in _UNCHECKED:
        return
    if not is_well_typed(literal) or _shapes_ill_formed(literal):
        found.bad_literals.add(literal)


def _shapes_ill_formed(literal: ox.Literal) -> bool:
    """Whether the shapes' datatype checks hold `literal` ill-formed: as rdflib reads it
    (`kg.ingest.validate._ill_formed`), except the valid XSD 1.1 dates rdflib cannot read,
    which `validate_quads` hands its engines as stand-ins (`DateStandIns`)."""
    if not _ill_formed(literal):
        return False
    datatype = literal.datatype.value
    return not (datatype in _RDFLIB_NARROWER and is_valid_date(literal.value, datatype))


def _note_node(found: Inventory, term: object) -> None:
    if isinstance(term, ox.NamedNode):
        found.longest_iri = max(found.longest_iri, len(term.value))
    if isinstance(term, ox.BlankNode):
        found.blank_nodes = True
    elif isinstance(term, ox.Triple):
        found.triple_terms = True
    elif isinstance(term, ox.NamedNode) and term.value.startswith(_NEAR_NAMESPACE):
        found.near_terms.add(term)


def validate_in_store(
    store: ox.Store,
    stock: Inventory,
    *,
    origin: str | None,
    scans: ScanWorker | None = None,
    locate: Locate | None = None,
    judged: Callable[[str], bool] | None = None,
) -> ValidationReport:
    """Validate the data in `store` (all its graphs but the validation graphs), taken stock of
    by `stock`, in the context of the reference data and of `CONTEXT_GRAPH`; `origin` names
    the file(s) in the messages. `scans`, when given, is already running the shapes over this
    store in another process (`kg.ingest.scan_worker`); else they run here. `locate`, when
    given, is asked once, at the end, where the nodes the messages name came from (a node ->
    ``file:line`` map; `origin` for those it leaves out). `judged` tells the nodes the new
    data states something about (by default: every node of every graph but the validation
    graphs); only those are judged. Raises nothing for bad data: the report says what is
    wrong."""
    judged = judged or _judged(store)
    if locate is not None:
        placed = _Placeholders(origin)
        report = _validate_in_store(store, stock, origin, scans, placed, judged)
        placed.fill(report, locate)
        return report
    return _validate_in_store(store, stock, origin, scans, _Everywhere(origin), judged)


Locate = Callable[[set[str]], Mapping[str, str]]
"""Where nodes came from: their IRIs -> ``file:line`` (`validate_in_store`)."""


class _Placeholders(Mapping[object, str]):
    """Origins not known yet: each node asked for gets a placeholder in the messages, which
    `fill` replaces once the nodes are located together (one pass over the files)."""

    _MARK = re.compile("\x00(\\d+)\x00")

    def __init__(self, origin: str | None) -> None:
        self._origin = origin
        self._nodes: list[str] = []

    def __getitem__(self, key: object) -> str:
        self._nodes.append(str(getattr(key, "value", key)))
        return f"\x00{len(self._nodes) - 1}\x00"

    def get(self, key: object, default: object = None) -> str:  # type: ignore[override]
        return self[key]

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def fill(self, report: ValidationReport, locate: Locate) -> None:
        where = locate(set(self._nodes)) if self._nodes else {}

        def place(match: re.Match[str]) -> str:
            found = where.get(self._nodes[int(match.group(1))], self._origin)
            return found or ""

        def placed(lines: list[str]) -> list[str]:
            # a node of unknown origin loses its placeholder and the ": " after it
            return sorted({self._MARK.sub(place, line).lstrip(": ") for line in lines})

        report.violations = placed(report.violations)
        report.warnings = placed(report.warnings)


def _validate_in_store(
    store: ox.Store,
    stock: Inventory,
    origin: str | None,
    scans: ScanWorker | None,
    origins: Mapping[object, str],
    judged: Callable[[str], bool],
) -> ValidationReport:
    report = ValidationReport(source=origin)
    stated = [q for q in _term_statements(store, stock) if _about(q, judged)]
    report.violations += _undefined_terms(stated, origins)
    typed = [q for q in _literal_statements(store, stock.bad_literals) if _about(q, judged)]
    report.violations += _ill_typed(typed, origins)
    restated = _ill_typed_statements(typed)
    dated = _dated_candidates(store)  # with the context: the dates the store holds count
    report.warnings += date_order_warnings(_dated_about(dated, judged), origins)
    ill_formed = {q.object for q in typed if _shapes_ill_formed(q.object)}  # type: ignore[arg-type]
    own: list[Finding] = []
    if scans is not None and scans.claims is not None and scans.started and not ill_formed:
        # the scans the worker has not claimed yet, here (the same store: its checkpoint)
        own = run_scans(_scan_plan(), store, judged, union=True, claim=scans.claims)
    findings = scans.findings() if scans is not None else None
    if findings is None or ill_formed:  # the worker's scans knew of no ill-formed literal
        mark_ill_formed(store, ill_formed)  # type: ignore[arg-type]
        findings = run_scans(_scan_plan(), store, judged, union=True)
    else:
        findings = [finding for finding in findings if judged(finding.focus)] + own
    for finding in findings:
        focus = rdflib.URIRef(finding.focus)
        path = rdflib.URIRef(finding.path) if finding.path else None
        value = to_rdflib(finding.value) if finding.value is not None else None
        if (focus, path, value) in restated:
            continue  # the literal's own line says what is wrong
        line = _line(focus, path, value, finding.message, origins)
        (report.violations if finding.severity == "Violation" else report.warnings).append(line)
    report.violations = sorted(set(report.violations))
    report.warnings = sorted(set(report.warnings))
    return report


def context_of(data: ox.Store, store: Store) -> int:
    """Copy into `data`'s `CONTEXT_GRAPH` what the existing `store` holds about the nodes
    `data` touches, their types and classes; return how many statements were copied."""
    rows = data.query(
        "SELECT DISTINCT ?n WHERE { { ?n ?p ?o } UNION { ?s ?p ?n FILTER(isIRI(?n)) } }",
        use_default_graph_as_union=True,
    )
    touched = {
        row["n"]
        for row in rows  # type: ignore[union-attr]
        if isinstance(row["n"], ox.NamedNode) and not _is_reference_node(row["n"])
    }
    classes = {
        row["c"]
        for row in data.query(  # type: ignore[union-attr]
            "SELECT DISTINCT ?c WHERE { { ?x a ?c } UNION { ?c "
            "<http://www.w3.org/2000/01/rdf-schema#subClassOf> ?x } UNION { ?x "
            "<http://www.w3.org/2000/01/rdf-schema#subClassOf> ?c } FILTER(isIRI(?c)) }",
            use_default_graph_as_union=True,
        )
    }
    copied = 0
    batch: list[ox.Quad] = []
    for subject, predicate, obj in _store_context_of(touched, classes, store):
        batch.append(ox.Quad(subject, predicate, obj, CONTEXT_GRAPH))
        if len(batch) >= 100_000:
            data.extend(batch)
            copied += len(batch)
            batch = []
    data.extend(batch)
    return copied + len(batch)


class _Everywhere(Mapping[object, str]):
    """Origins for a load whose every node came from the same file(s)."""

    def __init__(self, origin: str | None) -> None:
        self._origin = origin

    def __getitem__(self, key: object) -> str:
        if self._origin is None:
            raise KeyError(key)
        return self._origin

    def get(self, key: object, default: object = None) -> str | None:  # type: ignore[override]
        return self._origin

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __len__(self) -> int:
        return 0


_DATA_GRAPH = "FILTER(?g NOT IN ({}))".format(", ".join(str(graph) for graph in _SPECIAL))
"""Keeps the statements of a graph that is not a validation graph (`?g`)."""


def _statements(store: ox.Store, body: str) -> list[ox.Quad]:
    """Distinct statements matching `body` (over ?s ?p ?o) in the default graph or a graph
    of the new data."""
    graphs = f"{{ {body} }} UNION {{ GRAPH ?g {{ {body} }} {_DATA_GRAPH} }}"
    sparql = f"SELECT ?s ?p ?o WHERE {{ {graphs} }}"
    found = [ox.Quad(row["s"], row["p"], row["o"]) for row in store.query(sparql)]  # type: ignore[union-attr, arg-type]
    return list(dict.fromkeys(found))


def _term_statements(store: ox.Store, stock: Inventory) -> list[ox.Quad]:
    """The statements that use a term near tmkg's namespace the ontology does not define:
    the only ones `kg.ingest.vocabulary.undefined_terms` can report."""
    probe = [ox.Quad(term, term, term) for term in stock.near_terms]
    unknown = {term.iri or TM_NAMESPACE + term.name for term in undefined_terms(probe)}
    if not unknown:
        return []
    values = " ".join(f"<{iri}>" for iri in sorted(unknown))
    body = (
        f"?s ?p ?o VALUES ?t {{ {values} }} FILTER(?s = ?t || ?p = ?t || ?o = ?t || "
        "(isLiteral(?o) && DATATYPE(?o) = ?t))"
    )
    return _statements(store, body)


def _literal_statements(store: ox.Store, literals: set[ox.Literal]) -> list[ox.Quad]:
    """The statements whose object is one of `literals`."""
    found: list[ox.Quad] = []
    listed = sorted(literals, key=str)
    for start in range(0, len(listed), _BATCH):
        values = " ".join(str(literal) for literal in listed[start : start + _BATCH])
        found += _statements(store, f"VALUES ?o {{ {values} }} ?s ?p ?o")
    return found


def _dated_candidates(store: ox.Store) -> list[ox.Quad]:
    """The statements behind every date-order warning `store` can give, and a few more: dates
    are compared as text spans (``2010`` as 2010-01-01 to 2010-12-31), which holds for years of
    four digits without time zones; other forms are all passed on, and
    `date_order_warnings` judges what is returned exactly.

    Each pair of properties is joined by hash, each property's statements read in a subquery
    of its own: Oxigraph joins two patterns of one subject in the order written, a lookup of
    the second for each statement of the first (13.5 s for 1M filing dates against 0.7M
    registration dates, 3.8 s by hash; reading both into Python and pairing them there took
    ~10 s, most of it making a Python object of each row: measured on a synthetic register of
    12.2M quads, 2026-12-06)."""
    found: dict[ox.Quad, None] = {}
    tm = f"<{_TM}"

    def before(later: str, earlier: str) -> str:
        plain = f"STRLEN(STR({later})) IN (4, 7, 10) && STRLEN(STR({earlier})) IN (4, 7, 10)"
        last = f'CONCAT(STR({later}), SUBSTR("-12-31", STRLEN(STR({later})) - 3))'
        first = f'CONCAT(STR({earlier}), SUBSTR("-01-01", STRLEN(STR({earlier})) - 3))'
        return f"(!({plain}) || {last} < {first})"

    def each(subject: str, name: str, value: str) -> str:
        return f"{{ SELECT {subject} {value} WHERE {{ {subject} {tm}{name}> {value} }} }}"

    # each query, and the statements (subject variable, tm: property, object variable) a row
    # of it stands for
    queries: list[tuple[str, tuple[tuple[str, str, str], ...]]] = [
        (
            f"SELECT ?n ?a ?b WHERE {{ {each('?n', early, '?a')} {each('?n', late, '?b')} "
            f"FILTER({before('?b', '?a')}) }}",
            (("n", early, "a"), ("n", late, "b")),
        )
        for early, late, _ in ORDERS
    ]
    queries += [
        # an event dated before the filing of its registration (4.8 s for the 286k events of
        # 100,000 USPTO case files as one query of joined patterns, 2.6 s as two scans)
        (
            f"SELECT ?n ?r ?a ?b WHERE {{ {each('?n', 'registration', '?r')} "
            f"{each('?n', 'date', '?b')} {each('?r', 'filingDate', '?a')} "
            f"FILTER({before('?b', '?a')}) }}",
            (("n", "registration", "r"), ("n", "date", "b"), ("r", "filingDate", "a")),
        ),
        (
            f"SELECT ?n ?c ?a ?b WHERE {{ ?n {tm}priorityClaim> ?c ; {tm}filingDate> ?b . "
            f"?c {tm}priorityDate> ?a FILTER({before('?b', '?a')}) }}",
            (("n", "priorityClaim", "c"), ("n", "filingDate", "b"), ("c", "priorityDate", "a")),
        ),
        (
            f"SELECT ?n ?p WHERE {{ ?n {tm}assignor> ?p ; {tm}assignee> ?p }}",
            (("n", "assignor", "p"), ("n", "assignee", "p")),
        ),
    ]
    for sparql, statements in queries:
        predicates = {name: ox.NamedNode(_TM + name) for _, name, _ in statements}
        for row in store.query(sparql, use_default_graph_as_union=True):  # type: ignore[union-attr]
            for subject, name, obj in statements:
                found[ox.Quad(row[subject], predicates[name], row[obj])] = None  # type: ignore[arg-type]
    return list(found)


def _about(quad: ox.Quad, judged: Callable[[str], bool]) -> bool:
    return isinstance(quad.subject, ox.NamedNode) and judged(quad.subject.value)


def _dated_about(dated: list[ox.Quad], judged: Callable[[str], bool]) -> list[ox.Quad]:
    """The dated statements about judged nodes, and those about the nodes they link to (an
    event's registration and its filing date): the pairs the date-order checks compare."""
    kept = [quad for quad in dated if _about(quad, judged)]
    linked = {quad.object for quad in kept if isinstance(quad.object, ox.NamedNode)}
    return kept + [quad for quad in dated if quad.subject in linked and quad not in kept]


def judged_in_graphs(store: ox.Store, graphs: Iterable[str]) -> Callable[[str], bool]:
    """Whether a node is the subject of a statement in one of `graphs` (the graphs new data
    was written into, in a store that also holds older data)."""
    listed = " ".join(f"<{graph}>" for graph in graphs)

    def judged(iri: str) -> bool:
        return bool(store.query(f"ASK {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ <{iri}> ?p ?o }} }}"))

    return judged


def _judged(store: ox.Store) -> Callable[[str], bool]:
    """Whether a node is one the new data states something about (asked only of the nodes
    a check found at fault: few)."""

    def judged(iri: str) -> bool:
        body = f"<{iri}> ?p ?o"
        return bool(
            store.query(f"ASK {{ {{ {body} }} UNION {{ GRAPH ?g {{ {body} }} {_DATA_GRAPH} }} }}")
        )

    return judged
