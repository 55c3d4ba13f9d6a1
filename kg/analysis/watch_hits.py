"""Recording watch hits after an import or a load: what newly conflicts with each watch.

`record_hits` reads (`kg.analysis.record_states`) the registrations whose current state the
given graphs state (an import writes one graph per file, `ImportReport.graphs`), and for every
watch (`kg.analysis.watch_definitions`) finds those that conflict with it:

- the marks are alike: `kg.analysis.similarity.compare` scores the record's mark against the
  watched text at the watch's minimum score or more. Only the watches sharing a blocking key
  with the record's mark are compared (`similarity.KeyedTexts`: the same keys and lookup rule
  as the register-wide conflict search), so a daily file of 10,000 records and 100 watches
  makes a few hundred comparisons, not a million;
- the classes meet: a Nice class in common with the watch's (none watched: every class), or,
  with ``related_classes``, a documented relatedness of `kg.analysis.conflicts.RELATED_CLASSES`
  or more (the table conflicts reads, ``schema/nice.ttl``). A record stating no class is kept,
  with that said in its reasons: a watch would rather see it than miss it;
- the jurisdiction is one the watch names (none named: every one);
- it is not the watch's own registration.

Each such record is classified (`HitKind`): ``NEW_FILING`` when the register held no earlier
state of it (no history version node, `kg.registries.versions`, and no other graph stating it),
``STATUS_CHANGE`` when the latest earlier state's status differs (statuses normalized to
tmkg's scheme, as `kg.analysis.lifecycle` reads them), ``OPPOSITION_FILED`` when an opposition
against it (a prosecution event of kind ``"opposition"``, or a `tm:Opposition` contesting it)
is new in these graphs. A restated record that did not change is no hit. Separately, a watch
whose own registration these graphs state as ended (expired, abandoned, cancelled, ...) when
its earlier state was not gets an ``OWN_RIGHT_LAPSED`` hit.

Hits are written to each watch's hit graph (`kg.analysis.watch_definitions.hit_graph`)
through the SHACL shapes, each with an IRI made of the watch, the registration, the import
graph and the kind: importing the same file again finds the same hits, which are already
there, and adds none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.analysis.conflicts import RELATED_CLASSES
from kg.analysis.lifecycle import ENDED
from kg.analysis.opposition_windows import window
from kg.analysis.record_states import (
    RecordState,
    current_records,
    earlier_states,
    new_oppositions,
)
from kg.analysis.service import Analyst
from kg.analysis.similarity import KeyedTexts, compare
from kg.analysis.watch import read_watches
from kg.analysis.watch_definitions import graph_description, hit_graph
from kg.analysis.watch_model import HitKind, OppositionWindow, Watch
from kg.graph import KnowledgeGraph
from kg.ingest.load import load_quads
from kg.namespaces import ID, TM

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["HIT_PREFIX", "record_hits"]

HIT_PREFIX = f"{ID}watch-hit/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PUBLISHED = "published"


@dataclass(frozen=True)
class _Hit:
    watch: Watch
    record: RecordState
    kind: HitKind
    score: float
    reasons: tuple[str, ...]
    window: OppositionWindow | None

    @property
    def iri(self) -> str:
        key = f"{self.record.iri}\n{self.record.graph}\n{self.kind.value}"
        return f"{HIT_PREFIX}{self.watch.id}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def record_hits(graph: KnowledgeGraph, graphs: Sequence[str], *, now: str | None = None) -> int:
    """Record, for every watch, the hits among the registrations whose current state the named
    graphs `graphs` state (an import's `ImportReport.graphs`, a load's graphs); return how many
    hits are new. Importing the same file again records none.

    `now` is the detection time written on new hits (xsd:dateTime, default: the UTC time).
    Raises `ValidationError` if a hit breaks the shapes (then nothing is written).
    """
    watches = read_watches(graph)
    if not watches or not graphs:
        return 0
    facts = _facts(graph)
    records = [r for g in dict.fromkeys(graphs) for r in current_records(graph, g, facts)]
    if not records:
        return 0
    found = _conflicts(records, watches, facts.relatedness)
    found += _lapses(records, watches)
    hits = _classified(graph, found, facts)
    new = [hit for hit in hits if not _exists(graph, hit)]
    if not new:
        return 0
    detected = now or dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    quads = [q for hit in new for q in _hit_quads(hit, detected)]
    for watch_id in sorted({hit.watch.id for hit in new}):
        quads += graph_description(hit_graph(watch_id), f"Hits of watch {watch_id}")
    # the shapes compiled to SPARQL (kg.ingest.validate): pyshacl takes a second per thousand
    # hits, this a tenth, with the same verdicts
    load_quads(graph.store, quads, files=["kg watch: hits"], engine="sparql")
    graph.changed()
    return len(new)


# ------------------------------------------------------------------ reading records


def _facts(graph: KnowledgeGraph) -> FactBase:
    # the analyses' shared, cached facts: the status scheme and the class relatedness
    return Analyst(graph).facts


# ------------------------------------------------------------------ matching


def _conflicts(records: list[RecordState], watches: list[Watch], relatedness: dict) -> list[_Hit]:
    by_text: dict[str, list[Watch]] = defaultdict(list)
    for watch in watches:
        by_text[watch.text].append(watch)
    index = KeyedTexts(by_text)
    least = min(w.min_score for w in watches)
    # records no watch can take (its jurisdiction or classes): not even keyed
    places = (
        None
        if any(not w.jurisdictions for w in watches)
        else _union(w.jurisdictions for w in watches)
    )
    watched_classes = (
        None
        if any(not w.classes or w.related_classes for w in watches)
        else _union(w.classes for w in watches)
    )
    similar_cache: dict[str, dict] = {}
    found = []
    for record in records:
        if not record.text:
            continue
        if places is not None and record.jurisdiction not in places:
            continue
        if watched_classes and record.classes and not record.classes & watched_classes:
            continue
        similar = similar_cache.get(record.text)
        if similar is None:
            similar = similar_cache[record.text] = index.similar(record.text, least)
        for text, similarity in similar.items():
            for watch in by_text[text]:
                if similarity.score < watch.min_score or record.iri == watch.registration:
                    continue
                if watch.jurisdictions and record.jurisdiction not in watch.jurisdictions:
                    continue
                classes = _class_reason(watch, record.classes, relatedness)
                if classes is None:
                    continue
                reasons = (
                    *(f"similar mark: {r}" for r in similarity.reasons),
                    classes,
                )
                found.append(
                    _Hit(  # the kind is decided by `_classified`, once earlier states are read
                        watch,
                        record,
                        HitKind.NEW_FILING,
                        similarity.score,
                        reasons,
                        _window(record),
                    )
                )
    return found


def _union(groups: Iterable[Iterable]) -> set:
    return {item for group in groups for item in group}


def _class_reason(watch: Watch, classes: set[int], relatedness: dict) -> str | None:
    """Why the record's classes meet the watch's, or None when they do not."""
    if not watch.classes:
        return "every class watched"
    if not classes:
        return "the record states no Nice class"
    shared = sorted(classes & set(watch.classes))
    if shared:
        return "same Nice class " + ", ".join(map(str, shared))
    if not watch.related_classes:
        return None
    best, pair = 0.0, None
    for a in watch.classes:
        for b in sorted(classes):
            strength = relatedness.get(frozenset((a, b)), 0.0)
            if strength > best:
                best, pair = strength, (a, b)
    if pair is None or best < RELATED_CLASSES:
        return None
    return f"related Nice classes {pair[0]} and {pair[1]} ({best:.2f})"


def _lapses(records: list[RecordState], watches: list[Watch]) -> list[_Hit]:
    own = defaultdict(list)
    for watch in watches:
        if watch.registration:
            own[watch.registration].append(watch)
    found = []
    for record in records:
        if record.stage != ENDED:
            continue
        for watch in own.get(record.iri, ()):
            score = compare(watch.text, record.text).score if record.text else 1.0
            reason = f"the watched party's own registration ended: {record.status}"
            found.append(_Hit(watch, record, HitKind.OWN_RIGHT_LAPSED, score, (reason,), None))
    return found


def _window(record: RecordState) -> OppositionWindow | None:
    if record.status != _PUBLISHED and not (record.stated_start or record.stated_end):
        return None
    return window(record.jurisdiction, record.publication, record.stated_start, record.stated_end)


# ------------------------------------------------------------------ classifying


def _classified(graph: KnowledgeGraph, found: list[_Hit], facts: FactBase) -> list[_Hit]:
    """The hits with their kind: a conflict is a new filing, a status change, an opposition
    filed, or nothing new; an own-right lapse counts when the earlier state had not ended."""
    if not found:
        return []
    keys = sorted({(h.record.iri, h.record.graph) for h in found})
    earlier = earlier_states(graph, keys, facts)
    oppositions = new_oppositions(graph, keys)
    hits = []
    for hit in found:
        key = (hit.record.iri, hit.record.graph)
        before = earlier.get(key)
        if hit.kind == HitKind.OWN_RIGHT_LAPSED:
            if before is None or before[1] != ENDED:
                hits.append(hit)
            continue
        if before is None:
            hits.append(_with(hit, HitKind.NEW_FILING, "new filing"))
        elif before[0] != hit.record.status:
            change = f"status changed: {before[0] or 'unknown'} -> {hit.record.status or 'unknown'}"
            hits.append(_with(hit, HitKind.STATUS_CHANGE, change))
        if key in oppositions:
            hits.append(_with(hit, HitKind.OPPOSITION_FILED, oppositions[key]))
    return hits


def _with(hit: _Hit, kind: HitKind, reason: str) -> _Hit:
    return _Hit(hit.watch, hit.record, kind, hit.score, (reason, *hit.reasons), hit.window)


# ------------------------------------------------------------------ writing


def _exists(graph: KnowledgeGraph, hit: _Hit) -> bool:
    node = ox.NamedNode(hit.iri)
    named = ox.NamedNode(hit_graph(hit.watch.id))
    return (
        next(iter(graph.store.quads(node, _RDF_TYPE, ox.NamedNode(TM.WatchHit), named)), None)
        is not None
    )


def _hit_quads(hit: _Hit, detected: str) -> list[ox.Quad]:
    node, named = ox.NamedNode(hit.iri), ox.NamedNode(hit_graph(hit.watch.id))

    def typed(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(_XSD + datatype))

    values: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (_RDF_TYPE, ox.NamedNode(TM.WatchHit)),
        (ox.NamedNode(TM.watch), ox.NamedNode(hit.watch.iri)),
        (ox.NamedNode(TM.hitRegistration), ox.NamedNode(hit.record.iri)),
        (ox.NamedNode(TM.hitKind), ox.Literal(hit.kind.value)),
        (ox.NamedNode(TM.hitScore), typed(f"{hit.score:.3f}", "decimal")),
        (ox.NamedNode(TM.detectedAt), typed(detected, "dateTime")),
        (_DERIVED, ox.NamedNode(hit.record.graph)),
        *((ox.NamedNode(TM.hitReason), ox.Literal(reason)) for reason in hit.reasons),
    ]
    if hit.record.status:
        values.append((ox.NamedNode(TM.hitStatus), ox.Literal(hit.record.status)))
    found = hit.window
    if found is not None:
        if found.start and len(found.start) == 10:
            values.append((ox.NamedNode(TM.oppositionWindowStart), typed(found.start, "date")))
        if found.end and len(found.end) == 10:
            values.append((ox.NamedNode(TM.oppositionWindowEnd), typed(found.end, "date")))
        values += [
            (
                ox.NamedNode(TM.oppositionWindowExtendable),
                typed(str(found.extendable).lower(), "boolean"),
            ),
            (ox.NamedNode(TM.oppositionWindowStated), typed(str(found.stated).lower(), "boolean")),
            (ox.NamedNode(TM.oppositionRule), ox.Literal(found.rule)),
        ]
        if found.rule_source:
            values.append(
                (ox.NamedNode(TM.oppositionRuleSource), typed(found.rule_source, "anyURI"))
            )
    return [ox.Quad(node, predicate, value, named) for predicate, value in values]
