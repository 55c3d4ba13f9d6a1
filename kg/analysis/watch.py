"""Reading watches and their hits: what `kg watch list/report/due`, GraphQL and feeds show.

Watches are read from `kg.analysis.watch_definitions.WATCH_GRAPH`, hits from each watch's
hit graph. A hit's record facts (mark, holder, jurisdiction, classes, record date) are read
from the import graph the hit is derived from: about the registration itself, or about its
version node once a later file made that state history (`kg.registries.versions`), so a hit
shows the record as the import that found it stated it, and cites that graph
(`WatchHit.statements`, docs/provenance.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.analysis import arguments
from kg.analysis.model import Cited, MarkRef, PartyRef, SourceRef
from kg.analysis.watch_definitions import (
    HIT_GRAPH_PREFIX,
    WATCH_GRAPH,
    hit_graph,
    unknown_watch,
    watch_id_of,
    watch_iri,
)
from kg.analysis.watch_model import HitKind, OppositionWindow, Watch, WatchHit
from kg.graph import KnowledgeGraph
from kg.namespaces import TM
from kg.registries.versions import version_iri

__all__ = ["due_hits", "read_hits", "read_watch", "read_watches"]

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS = "http://purl.org/dc/terms/"
_RECORD_NODES = {
    ox.NamedNode(str(TM[name])): name
    for name in ("mark", "owner", "jurisdiction", "niceClass", "recordDate")
}
_TEXT = ox.NamedNode(str(TM.text))
_NAME = ox.NamedNode("https://schema.org/name")


def read_watches(graph: KnowledgeGraph) -> list[Watch]:
    """Every watch, by id."""
    return _watches(graph, None)


def read_watch(graph: KnowledgeGraph, watch_id: str) -> Watch:
    """One watch by id or IRI; `NotFound` (with the closest ids) when there is none."""
    wanted = watch_id_of(arguments.text(watch_id, "watch"))
    found = _watches(graph, wanted)
    if not found:
        raise unknown_watch(graph, wanted)
    return found[0]


def read_hits(
    graph: KnowledgeGraph, since: str | None = None, watch: str | None = None
) -> list[WatchHit]:
    """The hits recorded, newest first (then by watch, score): of one watch (id or IRI) or of
    all, detected on or after the day `since` (``YYYY-MM-DD``). Raises `KGError` for a date
    that is not a day, `NotFound` for an unknown watch."""
    day = _since(since)
    graphs = [hit_graph(read_watch(graph, watch).id)] if watch is not None else None
    hits = _hits(graph, graphs)
    if day is not None:
        hits = [h for h in hits if h.detected[:10] >= day]
    return sorted(hits, key=lambda h: (_neg(h.detected), h.watch, -h.score, h.registration))


def due_hits(
    graph: KnowledgeGraph, within_days: int = 14, today: str | None = None
) -> list[WatchHit]:
    """Hits whose opposition window ends between `today` (default: the UTC date) and
    `within_days` days later, both included, soonest first. Raises `KGError` for a negative
    number of days or a `today` that is not a day."""
    if isinstance(within_days, bool) or not isinstance(within_days, int) or within_days < 0:
        raise arguments.ArgumentError(
            "within", f"within must be a number of days, 0 or more, not {within_days!r}"
        )
    start = _day(today, "today") if today is not None else dt.datetime.now(dt.UTC).date()
    last = (start + dt.timedelta(days=within_days)).isoformat()
    first = start.isoformat()
    due = [
        h
        for h in _hits(graph, None)
        if h.window is not None and h.window.end and first <= h.window.end <= last
    ]
    return sorted(due, key=lambda h: (h.window.end, h.watch, -h.score))  # type: ignore[union-attr]


# ------------------------------------------------------------------ watches


def _watches(graph: KnowledgeGraph, wanted: str | None) -> list[Watch]:
    restrict = f"VALUES ?w {{ <{_watch_iri(wanted)}> }}" if wanted else ""
    rows = _select(
        graph,
        f"""SELECT ?w ?p ?o WHERE {{ {restrict}
              GRAPH <{WATCH_GRAPH}> {{ ?w a <{TM.Watch}> ; ?p ?o }} }}""",
    )
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        values[row["w"]][row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]].append(row["o"])
    watches = []
    for iri, props in values.items():
        watches.append(
            Watch(
                id=iri.rsplit("/", 1)[-1],
                iri=iri,
                text=props["watchText"][0],
                registration=min(props["watchedRegistration"], default=None),
                classes=tuple(sorted(int(c.rsplit("/", 1)[-1]) for c in props["watchClass"])),
                related_classes=props.get("watchRelatedClasses", ["false"])[0] in ("true", "1"),
                jurisdictions=tuple(
                    sorted(j.rsplit("/", 1)[-1] for j in props["watchJurisdiction"])
                ),
                min_score=float(props["watchMinScore"][0]),
                owner=props["watchOwner"][0],
                created=props["created"][0],
            )
        )
    return sorted(watches, key=lambda w: w.id)


def _watch_iri(watch_id: str) -> str:
    # an id that is not one (spaces, brackets) names no watch rather than breaking the query
    return watch_iri(watch_id) if _ID.fullmatch(watch_id) else watch_iri("-")


# ------------------------------------------------------------------ hits


def _hits(graph: KnowledgeGraph, graphs: Sequence[str] | None) -> list[WatchHit]:
    if graphs is not None:
        scope = "VALUES ?hg { " + " ".join(f"<{g}>" for g in graphs) + " }"
    else:
        scope = f'FILTER(STRSTARTS(STR(?hg), "{HIT_GRAPH_PREFIX}"))'
    rows = _select(
        graph,
        f"""SELECT ?h ?w ?r ?kind ?score ?detected ?src ?status ?ws ?we ?wx ?wst ?rule ?rsrc
            WHERE {{ GRAPH ?hg {{
              ?h a <{TM.WatchHit}> ; <{TM.watch}> ?w ; <{TM.hitRegistration}> ?r ;
                 <{TM.hitKind}> ?kind ; <{TM.hitScore}> ?score ; <{TM.detectedAt}> ?detected ;
                 <{_PROV}wasDerivedFrom> ?src .
              OPTIONAL {{ ?h <{TM.hitStatus}> ?status }}
              OPTIONAL {{ ?h <{TM.oppositionWindowStart}> ?ws }}
              OPTIONAL {{ ?h <{TM.oppositionWindowEnd}> ?we }}
              OPTIONAL {{ ?h <{TM.oppositionWindowExtendable}> ?wx }}
              OPTIONAL {{ ?h <{TM.oppositionWindowStated}> ?wst }}
              OPTIONAL {{ ?h <{TM.oppositionRule}> ?rule }}
              OPTIONAL {{ ?h <{TM.oppositionRuleSource}> ?rsrc }}
            }} {scope} }}""",
    )
    if not rows:
        return []
    reasons: dict[str, list[str]] = defaultdict(list)
    for row in _select(
        graph,
        f"""SELECT ?h ?reason WHERE {{ GRAPH ?hg {{ ?h <{TM.hitReason}> ?reason }} {scope} }}""",
    ):
        reasons[row["h"]].append(row["reason"])  # type: ignore[arg-type]
    records = _records(graph, {(row["r"], row["src"]) for row in rows})  # type: ignore[misc]
    sources = _sources(graph, {row["src"] for row in rows})  # type: ignore[misc]
    hits = []
    for row in rows:
        key = (row["r"], row["src"])
        record = records.get(key, {})
        window = None
        if row["we"] or row["ws"] or row["rule"]:
            window = OppositionWindow(
                start=row["ws"],
                end=row["we"],
                extendable=row["wx"] in ("true", "1"),
                rule=row["rule"] or "",
                rule_source=row["rsrc"],
                stated=row["wst"] in ("true", "1"),
            )
        mark = record.get("mark", [None])[0]
        owner = record.get("owner", [None])[0]
        jurisdiction = record.get("jurisdiction", [None])[0]
        statement_facts = tuple(
            (str(TM[name]), value)
            for name in ("mark", "owner", "jurisdiction", "niceClass", "recordDate")
            for value in sorted(record.get(name, []))
        )
        hits.append(
            WatchHit(
                id=row["h"].rsplit("/", 1)[-1],  # type: ignore[union-attr]
                iri=row["h"],  # type: ignore[arg-type]
                watch=row["w"].rsplit("/", 1)[-1],  # type: ignore[union-attr]
                kind=HitKind(row["kind"]),
                registration=row["r"],  # type: ignore[arg-type]
                mark=MarkRef(id=mark or "", text=record.get("text", [""])[0]),
                holder=PartyRef(id=owner, name=record.get("ownerName", [owner])[0])
                if owner
                else None,
                jurisdiction=jurisdiction.rsplit("/", 1)[-1] if jurisdiction else None,
                classes=tuple(
                    sorted(int(c.rsplit("/", 1)[-1]) for c in record.get("niceClass", []))
                ),
                status=row["status"],
                score=float(row["score"]),  # type: ignore[arg-type]
                reasons=tuple(sorted(reasons.get(row["h"], []), key=_reason_order)),  # type: ignore[arg-type]
                detected=row["detected"],  # type: ignore[arg-type]
                record_date=record.get("recordDate", [None])[0],
                window=window,
                sources=(sources[row["src"]],),  # type: ignore[index]
                statements=(Cited(subject=row["r"], facts=statement_facts, sources=(row["src"],)),)  # type: ignore[arg-type]
                if statement_facts
                else (),
            )
        )
    return hits


def _records(
    graph: KnowledgeGraph, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, list[str]]]:
    """Each (registration, import graph)'s record facts as that graph states them: about the
    registration, or about its version node once that state became history. Pattern reads
    (a few per hit): a SPARQL join over VALUES and GRAPH was planned as a scan (measured)."""
    store = graph.store
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for registration, source in keys:
        named = ox.NamedNode(source)
        record: dict[str, list[str]] = defaultdict(list)
        for node in (
            ox.NamedNode(registration),
            version_iri(ox.NamedNode(registration), named),
        ):
            for predicate, name in _RECORD_NODES.items():
                for quad in store.quads(node, predicate, None, named):
                    if quad.object.value not in record[name]:
                        record[name].append(quad.object.value)
        for mark in record.get("mark", [])[:1]:
            text = next(iter(store.quads(ox.NamedNode(mark), _TEXT, None, named)), None)
            text = text or next(iter(store.quads(ox.NamedNode(mark), _TEXT, None, None)), None)
            if text is not None:
                record["text"].append(text.object.value)
        for owner in record.get("owner", [])[:1]:
            name = next(iter(store.quads(ox.NamedNode(owner), _NAME, None, None)), None)
            if name is not None:
                record["ownerName"].append(name.object.value)
        found[(registration, source)] = record
    return found


def _sources(graph: KnowledgeGraph, graphs: Iterable[str]) -> dict[str, SourceRef]:
    found = {}
    for named in graphs:
        rows = _select(
            graph,
            f"""SELECT ?s ?title ?date WHERE {{ <{named}> <{_PROV}wasDerivedFrom> ?s .
                  OPTIONAL {{ ?s <{_DCTERMS}title> ?title }}
                  OPTIONAL {{ ?s <{_DCTERMS}date> ?date }} }} LIMIT 1""",
        )
        row = rows[0] if rows else {}
        found[named] = SourceRef(
            graph=named, id=row.get("s"), title=row.get("title"), date=row.get("date")
        )
    return found


# ------------------------------------------------------------------ helpers


def _select(graph: KnowledgeGraph, sparql: str) -> list[dict[str, str | None]]:
    result = graph.query(sparql)
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [
        dict(zip(variables, (None if t is None else t.value for t in solution), strict=True))
        for solution in result  # type: ignore[union-attr]
    ]


def _since(since: str | None) -> str | None:
    return None if since is None else _day(since, "since").isoformat()


def _day(value: object, argument: str) -> dt.date:
    try:
        if not isinstance(value, str):
            raise ValueError
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise arguments.ArgumentError(
            argument,
            f"{argument} {value!r} is not a date",
            suggestion="write YYYY-MM-DD, e.g. 2025-01-31",
        ) from None


def _reason_order(reason: str) -> tuple[int, str]:
    """What happened first, then the similarity, then the classes (RDF keeps no order)."""
    if reason.startswith("similar mark"):
        return 1, reason
    if "class" in reason:
        return 2, reason
    return 0, reason


def _neg(text: str) -> tuple[int, ...]:
    """A sort key putting later timestamps first."""
    return tuple(-ord(c) for c in text)
