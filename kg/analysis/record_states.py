"""A register record's states as a watch reads them (`kg.analysis.watch_hits`).

The current state of each registration a named graph states (typed `tm:Registration` there),
the latest earlier state of one (a history version node, `kg.registries.versions`, or another
graph stating it) and the oppositions a graph is the first to state. Everything is read by
pattern (the store's graph-predicate and object indexes): SPARQL joins over every graph were
planned as scans of the store (measured: minutes at 100,000 marks), pattern reads take
milliseconds per record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.analysis.lifecycle import status_name
from kg.graph import KnowledgeGraph
from kg.namespaces import TM

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["RecordState", "current_records", "earlier_states", "new_oppositions"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_REGISTRATION = ox.NamedNode(TM.Registration)
_MARK = ox.NamedNode(TM.mark)
_TEXT = ox.NamedNode(TM.text)
_EVENT_OF = ox.NamedNode(TM.registration)
_EVENT_KIND = ox.NamedNode(TM.eventKind)
_OPPOSITION_KIND = ox.Literal("opposition")
_CONTESTED = ox.NamedNode(TM.contestedRegistration)
_OPPOSITION = ox.NamedNode(TM.Opposition)
_DATE = ox.NamedNode(TM.date)
_IS_VERSION_OF = ox.NamedNode("http://purl.org/dc/terms/isVersionOf")


@dataclass
class RecordState:
    """A registration's current state, as one of the given graphs states it."""

    iri: str
    graph: str
    text: str | None = None
    jurisdiction: str | None = None
    classes: set[int] = field(default_factory=set)
    status: str | None = None
    stage: str | None = None
    publication: str | None = None
    stated_start: str | None = None
    stated_end: str | None = None


_STATE = {
    TM.jurisdiction: "j",
    TM.niceClass: "c",
    TM.markStatus: "ms",
    TM.statusCode: "code",
    TM.status: "st",
    TM.publicationDate: "pub",
    TM.oppositionPeriodStartDate: "ops",
    TM.oppositionPeriodEndDate: "ope",
    TM.recordDate: "date",
}
"""The facts of a registration's state a hit reads, by property, as short names."""
_STATE_NODES = {ox.NamedNode(str(iri)): name for iri, name in _STATE.items()}


def current_records(graph: KnowledgeGraph, named: str, facts: FactBase) -> list[RecordState]:
    """The registrations `named` states as current (typed tm:Registration there).

    One pattern read per property (the store's graph-predicate index): a SPARQL query with a
    dozen OPTIONALs was planned into seconds per thousand records by the engine (measured)."""
    node = ox.NamedNode(named)
    store = graph.store
    registrations = {q.subject.value for q in store.quads(None, _RDF_TYPE, _REGISTRATION, node)}
    marks = {q.subject.value: q.object.value for q in store.quads(None, _MARK, None, node)}
    texts: dict[str, str] = {}
    for quad in store.quads(None, _TEXT, None, node):
        texts.setdefault(quad.subject.value, quad.object.value)
    raw: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for predicate, name in _STATE_NODES.items():
        for quad in store.quads(None, predicate, None, node):
            raw[quad.subject.value][name].add(quad.object.value)
    records = []
    for iri in sorted(registrations):
        values = raw[iri]
        record = RecordState(iri, named)
        mark = marks.get(iri)
        record.text = texts.get(mark) if mark else None
        if mark and record.text is None:  # a loaded graph may name a mark another describes
            record.text = next(
                (q.object.value for q in graph.store.quads(ox.NamedNode(mark), _TEXT, None)),
                None,
            )
        jurisdictions = sorted(values["j"])
        record.jurisdiction = jurisdictions[0].rsplit("/", 1)[-1] if jurisdictions else None
        record.classes = {int(c.rsplit("/", 1)[-1]) for c in values["c"] if "/nice/" in c}
        record.status, record.stage = status_of(facts, values, record.jurisdiction)
        record.publication = min(values["pub"]) if values["pub"] else None
        record.stated_start = min(values["ops"]) if values["ops"] else None
        record.stated_end = max(values["ope"]) if values["ope"] else None
        records.append(record)
    return records


def status_of(
    facts: FactBase, values: dict[str, set[str]], jurisdiction: str | None
) -> tuple[str | None, str | None]:
    scheme = facts.statuses
    code = min(values["code"]) if values["code"] else None
    text = min(values["st"]) if values["st"] else None
    concept, _ = scheme.normalize(values["ms"], code, text, jurisdiction == "US")
    if concept is None:
        return None, None
    return status_name(concept), scheme.stages.get(concept)


def earlier_states(
    graph: KnowledgeGraph,
    keys: list[tuple[str, str]],
    facts: FactBase,
) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Each (registration, graph)'s latest earlier state's (status, stage): a history version
    node in another graph (latest record date first; `kg.registries.versions`), or another
    graph stating the registration. Pattern reads, a few per matched record: a SPARQL join
    over every graph was planned as a scan of the store (measured: minutes at 100,000 marks)."""
    store = graph.store
    found = {}
    for registration, named in keys:
        node = ox.NamedNode(registration)
        states = [
            (q.subject, q.graph_name)
            for q in store.quads(None, _IS_VERSION_OF, node, None)
            if q.graph_name.value != named  # type: ignore[union-attr]
        ]
        states += [
            (node, q.graph_name)
            for q in store.quads(node, _RDF_TYPE, _REGISTRATION, None)
            if q.graph_name.value != named  # type: ignore[union-attr]
        ]
        latest: tuple[str, str | None, str | None] | None = None
        for subject, other in states:
            values: dict[str, set[str]] = defaultdict(set)
            for quad in store.quads(subject, None, None, other):  # type: ignore[arg-type]
                name = _STATE_NODES.get(quad.predicate)
                if name is not None:
                    values[name].add(quad.object.value)
            date = max(values["date"], default="")
            jurisdiction = min(values["j"], default="").rsplit("/", 1)[-1] or None
            status, stage = status_of(facts, values, jurisdiction)
            if latest is None or date > latest[0]:
                latest = (date, status, stage)
        if latest is not None:
            found[(registration, named)] = (latest[1], latest[2])
    return found


def new_oppositions(graph: KnowledgeGraph, keys: list[tuple[str, str]]) -> dict:
    """(registration, graph) -> a reason, for an opposition stated in that graph and no other:
    a prosecution event of kind "opposition" or a tm:Opposition contesting the registration."""
    store = graph.store
    found: dict[tuple[str, str], str] = {}
    for registration, named in keys:
        node, where = ox.NamedNode(registration), ox.NamedNode(named)
        events = [
            q.subject
            for q in store.quads(None, _EVENT_OF, node, where)
            if next(iter(store.quads(q.subject, _EVENT_KIND, _OPPOSITION_KIND, where)), None)
        ]
        events += [
            q.subject
            for q in store.quads(None, _CONTESTED, node, where)
            if next(iter(store.quads(q.subject, _RDF_TYPE, _OPPOSITION, where)), None)
        ]
        for event in sorted(events, key=lambda e: e.value):
            if any(q.graph_name != where for q in store.quads(event, _RDF_TYPE, None, None)):
                continue  # stated before: not new in this file
            dates = sorted(q.object.value for q in store.quads(event, _DATE, None, where))
            found[(registration, named)] = "opposition filed" + (f" on {dates[0]}" if dates else "")
    return found
