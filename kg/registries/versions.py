"""A register record's states over time: the newest files' states are current, older ones history.

An office publishes the same case again and again (a USPTO daily file holds every case that
changed that day; an annual file holds all of them), and in several formats (USPTO TSDR gives
a case as ST.66 and as ST.96). Each imported file is its own named graph
(`kg.registries.importer.import_graph`). When a file states a registration that an earlier
import graph already states, the two states are compared by their record date
(`tm:recordDate`: the USPTO's transaction date, a transaction's date):

- a **strictly later** record date makes the other state *history*: its facts about the
  registration, and the nodes it owns (goods and services, priority claims, designations: the
  objects of `OWNED_LINKS`), move to a version node ``{registration}~{graph tail}`` typed
  `tm:RegisterRecordVersion`, ``dcterms:isVersionOf`` the registration. Dated facts that stay
  true (prosecution events, ownership changes: they point *to* the registration) stay;
- the **same** record date: both states are current, stated about the registration itself
  (``id/registration/us-74800000``), which every analysis reads: each file is cited for what
  it states, and where they disagree the answer shows two statements, as for any two sources;
- an **earlier** record date: the new state goes straight into history;
- **undated on both sides** (no record date: a TSDR status download, which the USPTO gives
  as ST.66 and as ST.96 with no transaction date) but both stating a status date
  (`tm:statusDate`): the status dates stand for the record dates, as above. A state whose
  status changed later is the newer one (the other was taken before that change, or it would
  show it); the same status date says nothing more, and both states are current: TSDR's ST.66
  and ST.96 twins of one download are one state in two formats, each cited (`state_dates`);
- **undated** otherwise (either side has no record date and no status date to compare: CSV
  rows, a dated file against an undated one): nothing says which is newer, and the import's
  order is taken for time: the later import is current (`newer`). Importing extracts oldest
  first keeps their history in order.

So "what did the register say on date D" is the version (or current state) with the latest
record date on or before D (``queries/register-history.rq``), and importing the same file
twice changes nothing. Only graphs `kg import` made (``id/graph/import/…``) take part:
curated facts and loaded files are never moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import GRAPH, TM

__all__ = [
    "OWNED_LINKS",
    "RecordStates",
    "current_state",
    "is_import_graph",
    "make_history",
    "newer",
    "newer_or_same",
    "state_dates",
    "version_iri",
    "version_quads",
    "was_replaced",
]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IS_VERSION_OF = ox.NamedNode("http://purl.org/dc/terms/isVersionOf")
_REGISTRATION = ox.NamedNode(f"{TM}Registration")
_VERSION = ox.NamedNode(f"{TM}RegisterRecordVersion")
_RECORD_DATE = ox.NamedNode(f"{TM}recordDate")
_STATUS_DATE = ox.NamedNode(f"{TM}statusDate")
OWNED_LINKS = frozenset(
    ox.NamedNode(f"{TM}{local}") for local in ("goodsServices", "priorityClaim", "designation")
)
"""Links from a registration to nodes that belong to one state of its record (they move with
it into history); kept in step with `kg.registries.details`."""
_IMPORT_PREFIX = f"{GRAPH}import/"


class RecordStates(Protocol):
    """Where the states live: the store being written (a staged copy, or a buffer)."""

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterable[ox.Quad]: ...

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None: ...


def is_import_graph(graph: object) -> bool:
    """Whether `graph` is one `kg import` made by default (``id/graph/import/…``)."""
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(_IMPORT_PREFIX)


def version_iri(node: ox.NamedNode, graph: ox.NamedNode) -> ox.NamedNode:
    """The node `node` as the state of graph `graph`: ``{node}~{graph's last segment}``.

    >>> version_iri(ox.NamedNode("https://w3id.org/tmkg/id/registration/us-74800000"),
    ...     ox.NamedNode("https://w3id.org/tmkg/id/graph/import/apc240914")).value
    'https://w3id.org/tmkg/id/registration/us-74800000~apc240914'
    """
    tail = graph.value.rstrip("/").rsplit("/", 1)[1]
    return ox.NamedNode(f"{node.value}~{quote(tail, safe='-._~%')}")


def newer_or_same(new: ox.Literal | None, old: ox.Literal | None) -> bool:
    """Whether a state dated `new` is at least as recent as one dated `old`: not older. An
    undated side is never older (the later import is current). Dates compare by their first
    day; a date and one it refines (``2018`` and ``2018-08-27``) are the same date: which
    is later is not known.

    >>> date = lambda text: ox.Literal(text, datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#date"))
    >>> newer_or_same(date("2024-09-25"), date("2024-09-14")), newer_or_same(
    ...     date("2024-09-14"), date("2024-09-25")), newer_or_same(None, date("2024-09-25"))
    (True, False, True)
    >>> newer_or_same(date("2024"), date("2024-09-14"))
    True
    """
    if new is None or old is None or _refine(new.value, old.value):
        return True
    return _first_day(new.value) >= _first_day(old.value)


def newer(new: ox.Literal | None, old: ox.Literal | None) -> bool:
    """Whether a state dated `new`, imported after one dated `old`, replaces it: a strictly
    later record date (by their first day). The same date: both states are current. An undated
    side: nothing says which is newer, and the later import is taken as newer.

    >>> date = lambda text: ox.Literal(text, datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#date"))
    >>> newer(date("2024-09-25"), date("2024-09-14")), newer(date("2024-09-14"), date(
    ...     "2024-09-14"))
    (True, False)
    >>> newer(None, date("2024-09-25")), newer(date("2024-09-14"), None)
    (True, True)
    >>> newer(date("2024-09-14"), date("2024-09")), newer(date("2024-10"), date("2024-09-14"))
    (False, True)
    """
    if new is None or old is None:
        return True
    return not _refine(new.value, old.value) and _first_day(new.value) > _first_day(old.value)


def _refine(one: str, other: str) -> bool:
    """Whether two dates are one day, month or year, or one refines the other (``2018``,
    ``2018-08``, ``2018-08-27``): neither is known to be later."""
    return one.startswith(other) or other.startswith(one)


def was_replaced(states: RecordStates, registration: ox.NamedNode, graph: ox.NamedNode) -> bool:
    """Whether `graph`'s state of `registration` is already history (a version node)."""
    version = version_iri(registration, graph)
    return next(iter(states.quads(version, _RDF_TYPE, _VERSION, graph)), None) is not None


def _first_day(text: str) -> str:
    parts = text.split("-")
    if text.startswith("-") or not parts[0].isdigit():
        return text
    return "-".join(([*parts, "01", "01"])[:3])


def current_state(
    states: RecordStates, registration: ox.NamedNode, graph: ox.NamedNode
) -> list[tuple[ox.NamedNode, ox.Literal | None, ox.Literal | None]]:
    """The other import graphs that state `registration` as current, with their record date
    and status date (None where they state none)."""
    found = []
    for quad in states.quads(registration, _RDF_TYPE, _REGISTRATION, None):
        other = quad.graph_name
        if other == graph or not is_import_graph(other):
            continue
        dates = (
            next(iter(states.quads(registration, prop, None, other)), None)
            for prop in (_RECORD_DATE, _STATUS_DATE)
        )
        record, status = (q.object if q is not None else None for q in dates)
        found.append((other, record, status))  # type: ignore[arg-type]
    return found


def state_dates(
    new: tuple[ox.Literal | None, ox.Literal | None],
    old: tuple[ox.Literal | None, ox.Literal | None],
) -> tuple[ox.Literal | None, ox.Literal | None]:
    """The dates two states of a record are compared by, from their (record date, status
    date): the record dates where both have one; the status dates where neither has a record
    date and both a status date; else (None, None): undated, the import's order decides.

    >>> day = lambda text: ox.Literal(text, datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#date"))
    >>> [d.value if d else None for d in state_dates(
    ...     (None, day("2018-08-27")), (None, day("2018-08-06")))]
    ['2018-08-27', '2018-08-06']
    >>> state_dates((day("2025-01-07"), day("2018-08-27")), (None, day("2018-08-06")))
    (None, None)
    """
    if new[0] is not None and old[0] is not None:
        return new[0], old[0]
    if new[0] is None and old[0] is None and new[1] is not None and old[1] is not None:
        return new[1], old[1]
    return None, None


def make_history(states: RecordStates, registration: ox.NamedNode, graph: ox.NamedNode) -> None:
    """Move `graph`'s statement of `registration` (and the nodes it owns) to its version node."""
    stated = list(states.quads(registration, None, None, graph))
    owned = {q.object for q in stated if q.predicate in OWNED_LINKS}
    removed = stated + [
        q
        for node in owned
        for q in states.quads(node, None, None, graph)  # type: ignore[arg-type]
    ]
    states.replace(removed, list(version_quads(removed, registration, graph, owned)))


def version_quads(
    quads: Iterable[ox.Quad],
    registration: ox.NamedNode,
    graph: ox.NamedNode,
    owned: set | frozenset = frozenset(),
) -> Iterator[ox.Quad]:
    """`quads` (a state of `registration` and its `owned` nodes, in `graph`) restated about the
    version node: the registration and its owned nodes renamed, typed a version, not a
    `tm:Registration`. Quads of another graph (the facts of a party another file defines, in
    that file's graph, and its source description) are no part of the state: unchanged."""
    renamed = {node: version_iri(node, graph) for node in (registration, *owned)}
    version = renamed[registration]
    yield ox.Quad(version, _RDF_TYPE, _VERSION, graph)
    yield ox.Quad(version, _IS_VERSION_OF, registration, graph)
    for quad in quads:
        if quad.graph_name != graph:
            yield quad
            continue
        subject = renamed.get(quad.subject, quad.subject)  # type: ignore[arg-type]
        if quad.subject == registration and quad.predicate == _RDF_TYPE:
            continue  # typed a version above: history is not a registration any more
        obj = (
            renamed.get(quad.object, quad.object) if quad.predicate in OWNED_LINKS else quad.object
        )
        yield ox.Quad(subject, quad.predicate, obj, graph)  # type: ignore[arg-type]
