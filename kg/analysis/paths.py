"""Conflict paths: how two parties are connected, the route through their marks first.

The store's neighbourhood of the two parties (`kg.analysis.neighbourhood.neighbourhood`,
each edge with the graphs stating it) becomes a networkx multigraph of **links**
(`build_graph`): a registration or use is looked through, so a party holding or using a mark is
one link from the party to the mark (``Amazon.com Inc. uses 'AWS' in CN (class 42)``), a
partner operating a use on behalf of a brand owner one link between the two parties, and every
other fact (a plaintiff, a judgment's payer, a court) one link between its subject and object.
Each link carries the statements it rests on (`kg.analysis.model.Cited`), each citing exactly
the graphs that state it; a link between two similar marks carries the similarity score and
reasons and cites the graphs stating the two texts (the link itself is derived by tmkg).

Each path has a kind (`KINDS`), and paths come mark conflicts first:

- **mark conflict**: A holds or uses (or has used on its behalf) mark X, and B holds or uses
  X or a mark similar to X; a pair of holdings in the same jurisdiction and a shared class
  comes first. Two parties sharing one holding, or one operating the other's use, are not a
  conflict (a business tie).
- **proceeding**: through a case, its events (filing, judgment, appeal), or an opposition or
  cancellation.
- **business tie**: a partner operating a use on behalf of a brand owner, or a recorded
  change of owner (assignment, merger, change of name) between them: a chain of title.
- **other**: anything else: through a court or office both deal with, a claim, or a third
  party's marks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise, product
from typing import TYPE_CHECKING

from kg.analysis.holding_statements import cited_graphs
from kg.analysis.model import Cited, ConflictPath, PartyRef, PathStep, source_refs
from kg.analysis.neighbourhood import (
    HOLDING_PREDICATES,
    SIMILAR_MARK,
    Neighbourhood,
    neighbourhood,
)
from kg.analysis.path_labels import HoldingLabel, PathLabels, path_labels
from kg.analysis.similarity import MarkSimilarity
from kg.analysis.sparql_text import TM
from kg.lazy import lazy_module

nx = lazy_module("networkx")  # loaded on first use: kg.lazy

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase, Identities

__all__ = [
    "KINDS",
    "MARK_PATHS",
    "Link",
    "all_paths",
    "build_graph",
    "cite",
    "conflict_paths",
    "explain",
    "shortest_paths",
]

KINDS = ("mark conflict", "proceeding", "business tie", "other")
MARK_PATHS = 3
"""How many mark conflicts the shortest paths list (the best pairs of holdings)."""

_MARK, _OWNER, _USER, _BEHALF = TM + "mark", TM + "owner", TM + "user", TM + "onBehalfOf"
_PROCEEDING = frozenset(
    TM + p
    for p in (
        "plaintiff",
        "defendant",
        "involves",
        "payer",
        "payee",
        "case",
        "concerns",
        "contestedRegistration",
        "earlierRight",
    )
)
_AUTHORITY = frozenset({TM + "court", TM + "grantedBy", TM + "office"})
# How each other predicate reads as a sentence about (subject, object).
_SENTENCES = {
    "owner": "{o} owns {s}",
    "user": "{o} makes {s}",
    "onBehalfOf": "{s} is operated on behalf of {o}",
    "mark": "{s} is for {o}",
    "plaintiff": "{o} is a plaintiff in {s}",
    "defendant": "{o} is a defendant in {s}",
    "concerns": "{s} concerns {o}",
    "claimant": "{o} makes {s}",
    "involves": "{o} takes part in {s}",
    "payer": "{o} is ordered to pay by {s}",
    "payee": "{o} is to be paid under {s}",
    "case": "{s} is part of {o}",
    "grantedBy": "{o} granted {s}",
    "contestedRegistration": "{s} contests {o}",
    "earlierRight": "{s} invokes the earlier right {o}",
    "assignor": "{o} is the assignor in {s}",
    "assignee": "{o} is the assignee in {s}",
}
_TITLE = frozenset({TM + "assignor", TM + "assignee"})
"""A recorded change of owner's parties: the right passed from one to the other."""


@dataclass(frozen=True)
class Link:
    """One way two nodes are connected, and the statements it rests on.

    ``ends`` is (subject side, object side): a holding link is (party, mark), a business tie
    (operator, brand owner). ``via`` is the registration or use a holding link or business tie
    goes through; ``holder`` the party whose holding it is (the operator for a brand owner's
    link); ``tied``: brand owners the holding is operated for.
    """

    ends: tuple[str, str]
    predicate: str
    statements: tuple[Cited, ...]
    via: str | None = None
    holder: str | None = None
    tied: frozenset[str] = frozenset()
    similarity: MarkSimilarity | None = None

    @property
    def graphs(self) -> tuple[str, ...]:
        return cited_graphs(self.statements)


def conflict_paths(
    facts: FactBase, origin: PartyRef, destination: PartyRef, max_length: int, every: bool
) -> list[ConflictPath]:
    """The paths of at most `max_length` steps between two parties: the best mark conflicts
    and the shortest other paths, or with `every` all simple paths (`all_paths`)."""
    depth = (max_length + 1) // 2
    found = neighbourhood(facts, [origin.id, destination.id], depth, through_holdings=True)
    graph = build_graph(found, facts.identities, set(facts.marks))
    finder = all_paths if every else shortest_paths

    def describe(nodes: set[str], holdings: set[str]) -> PathLabels:
        return path_labels(facts, nodes, holdings)

    return finder(graph, describe, origin, destination, max_length)


Describe = Callable[[set[str], set[str]], PathLabels]
"""Labels the given nodes and holdings (`kg.analysis.path_labels.path_labels`)."""


# ------------------------------------------------------------------ citing


def cite(
    found: Neighbourhood, identities: Identities, subject: str, facts: Sequence[tuple[str, str]]
) -> Cited | None:
    """The statement of `facts` about `subject` (canonical IRIs) with every graph stating them
    all about one record; None when no graph does. A graph naming the subject or a value only
    by another record's IRI is read through the identity (its owl:sameAs graphs cited)."""
    canonical = identities.canonical
    witnesses: dict[tuple[str, str], list[set[str]]] = defaultdict(lambda: [set() for _ in facts])
    for index, (predicate, value) in enumerate(facts):
        for stated in found.stated.get((subject, predicate, value), ()):
            witnesses[(stated.graph, stated.subject)][index].add(stated.object)
    graphs: dict[str, list[list[set[str]]]] = defaultdict(list)
    for (graph, raw), objects in witnesses.items():
        if all(objects):
            graphs[graph].append([{raw}, *objects])
    if not graphs:
        return None
    through: set[str] = set()
    for named in graphs.values():
        direct = any(all(any(canonical(i) == i for i in iris) for iris in w) for w in named)
        if not direct:
            for w in named:
                for iris in w:
                    through |= {
                        g for i in iris if canonical(i) != i for g in identities.link_graphs(i)
                    }
    return Cited(
        subject=subject,
        facts=tuple(facts),
        sources=tuple(sorted(graphs)),
        identities=tuple(sorted(through)),
    )


# ------------------------------------------------------------------ the graph of links


def build_graph(found: Neighbourhood, identities: Identities, marks: set[str]) -> nx.MultiGraph:
    """The links of a neighbourhood as a networkx multigraph (edge attribute ``link``; the
    nodes in `marks`, IRIs of marks, have ``mark=True``).

    A registration or use is looked through: its holder is linked to its mark, a brand owner
    to the mark used on its behalf and to the operator. A holding that is also the object or
    subject of another fact (an opposition contests it, an office granted it) stays a node,
    linked to its holders and mark, so a path can pass through it.
    """
    graph = nx.MultiGraph()
    core: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    holdings = {s for s, p, _ in found.stated if p in HOLDING_PREDICATES}
    for s, p, o in found.edges:
        if s in holdings and p in HOLDING_PREDICATES | {_MARK}:
            core[s][p].add(o)
    links: list[Link] = []
    for holding, fields in core.items():
        links += _holding_links(found, identities, holding, fields)
    opaque = set()
    for s, p, o in sorted(found.edges):
        if s in holdings and p in HOLDING_PREDICATES | {_MARK}:
            continue
        if p == SIMILAR_MARK:  # its statements, the two texts, are read with the labels
            links.append(Link((s, o), p, (), similarity=found.similarity.get((s, o))))
            continue
        statement = cite(found, identities, s, ((p, o),))
        if statement is not None:
            links.append(Link((s, o), p, (statement,)))
            opaque |= {n for n in (s, o) if n in holdings}
    for holding in sorted(opaque):
        for p, values in core[holding].items():
            for value in sorted(values):
                statement = cite(found, identities, holding, ((p, value),))
                if statement is not None:
                    links.append(Link((holding, value), p, (statement,)))
    for link in links:
        a, b = link.ends
        graph.add_edge(a, b, key=_key(link), link=link)
    for node in graph:
        graph.nodes[node]["mark"] = node in marks
    graph.graph["core"] = {h: {v for vs in f.values() for v in vs} for h, f in core.items()}
    return graph


def _holding_links(
    found: Neighbourhood, identities: Identities, holding: str, fields: dict[str, set[str]]
) -> Iterator[Link]:
    marks = sorted(fields.get(_MARK, ()))
    behalf = sorted(fields.get(_BEHALF, ()))
    for predicate in (_OWNER, _USER):
        for holder in sorted(fields.get(predicate, ())):
            tied: set[str] = set()
            for owner in behalf:
                # a use's brand owner is read with its user: only sources naming both
                tie = cite(found, identities, holding, ((predicate, holder), (_BEHALF, owner)))
                if tie is None:
                    continue
                tied.add(owner)
                yield Link((holder, owner), _BEHALF, (tie,), holding, holder)
                for mark in marks:
                    facts = ((predicate, holder), (_BEHALF, owner), (_MARK, mark))
                    statement = cite(found, identities, holding, facts)
                    if statement is not None:
                        yield Link((owner, mark), _BEHALF, (statement,), holding, holder)
            for mark in marks:
                statement = cite(found, identities, holding, ((predicate, holder), (_MARK, mark)))
                if statement is not None:
                    yield Link(
                        (holder, mark), predicate, (statement,), holding, holder, frozenset(tied)
                    )


def _key(link: Link) -> str:
    return "|".join((link.predicate, link.via or "", link.holder or "", *link.ends))


# ------------------------------------------------------------------ finding paths


def shortest_paths(
    graph: nx.MultiGraph,
    describe: Describe,
    origin: PartyRef,
    destination: PartyRef,
    max_length: int,
    limit: int = 10,
) -> list[ConflictPath]:
    """The best mark conflicts (at most `MARK_PATHS`), then the shortest other paths (at most
    `limit`) of no more than `max_length` steps."""
    if origin.id not in graph or destination.id not in graph:
        return []
    marks = _mark_routes(graph, describe, origin.id, destination.id, max_length)[:MARK_PATHS]
    others: list[list[Link]] = []
    try:
        simple = nx.Graph(graph)
        for nodes in nx.all_shortest_paths(simple, origin.id, destination.id):
            if len(nodes) - 1 > max_length:
                break
            route = _route(graph, nodes)
            if route is not None:
                others.append(route)
            if len(others) >= limit:
                break
    except nx.NetworkXNoPath:
        pass
    return _paths(graph, describe, origin, destination, marks, others)


def all_paths(
    graph: nx.MultiGraph,
    describe: Describe,
    origin: PartyRef,
    destination: PartyRef,
    max_length: int,
    limit: int = 50,
) -> list[ConflictPath]:
    """Every mark conflict and simple path up to `max_length` steps (at most `limit`), mark
    conflicts first, then proceedings, business ties and others, shortest first."""
    if origin.id not in graph or destination.id not in graph:
        return []
    marks = _mark_routes(graph, describe, origin.id, destination.id, max_length)
    simple = nx.Graph(graph)
    found = islice(
        nx.all_simple_paths(simple, origin.id, destination.id, cutoff=max_length), limit * 4
    )
    others = [r for nodes in found if (r := _route(graph, nodes)) is not None]
    return _paths(graph, describe, origin, destination, marks, others)[:limit]


def _paths(
    graph: nx.MultiGraph,
    describe: Describe,
    origin: PartyRef,
    destination: PartyRef,
    marks: list[list[Link]],
    others: list[list[Link]],
) -> list[ConflictPath]:
    routes = marks + others
    nodes = {n for route in routes for link in route for n in (*link.ends, link.holder) if n}
    # the registrations and uses gone through, or passed through as nodes
    holdings = {link.via for route in routes for link in route if link.via}
    holdings |= nodes & graph.graph["core"].keys()
    labels = describe(nodes | _marks_of(graph, holdings), holdings)
    paths = [_as_path(labels, origin, destination, route, KINDS[0]) for route in marks]
    rest = [_as_path(labels, origin, destination, r, _kind(graph, r)) for r in others]
    rest.sort(key=lambda p: (KINDS.index(p.kind), p.length, p.summary))
    return paths + rest


def _mark_routes(
    graph: nx.MultiGraph, describe: Describe, a: str, b: str, max_length: int
) -> list[list[Link]]:
    """A's holding of X (~ Y) and B's holding of Y, the closest pairs first."""
    if max_length < 2:
        return []
    held = {party: _rights_of(graph, party) for party in (a, b)}
    routes: list[tuple[Link, Link | None, Link]] = []
    for x in sorted(n for n in graph[a] if graph.nodes[n]["mark"]):
        steps: list[tuple[str, Link | None]] = [(x, None)]
        if max_length >= 3:
            steps += [
                (y, link) for y, link in _links_between(graph, x) if link.predicate == SIMILAR_MARK
            ]
        for y, similar in steps:
            if y not in graph[b]:
                continue
            for left, right in product(_held(graph, a, x), _held(graph, b, y)):
                partners = _co_owned(left, held[b]) or _co_owned(right, held[a])
                if partners or _tied(left, right, a, b):
                    continue  # a registration both own: co-owners are partners (as in conflicts)
                routes.append((left, similar, right))
    if not routes:
        return []
    marks = {n for left, _, right in routes for n in (left.ends[1], right.ends[1])}
    views = describe(marks, {link.via for r in routes for link in (r[0], r[2]) if link.via})
    routes.sort(key=lambda route: _closeness(views, *route))
    return [[left, *([similar] if similar else []), right] for left, similar, right in routes]


def _marks_of(graph: nx.MultiGraph, holdings: set[str]) -> set[str]:
    """The marks of some registrations and uses (their labels name them)."""
    core = graph.graph["core"]
    return {n for h in holdings for n in core.get(h, ()) if graph.nodes[n]["mark"]}


def _links_between(graph: nx.MultiGraph, node: str) -> Iterator[tuple[str, Link]]:
    for _, other, data in graph.edges(node, data=True):
        yield other, data["link"]


def _held(graph: nx.MultiGraph, party: str, mark: str) -> list[Link]:
    return sorted(
        (d["link"] for d in graph.get_edge_data(party, mark, default={}).values() if d["link"].via),
        key=_key,
    )


def _rights_of(graph: nx.MultiGraph, party: str) -> dict[str, set[str]]:
    """The registrations a party owns itself (its tm:owner links' `via`), each with the
    graphs naming it an owner."""
    owned: dict[str, set[str]] = defaultdict(set)
    for _, _, data in graph.edges(party, data=True):
        link = data["link"]
        if link.via and link.holder == party and link.predicate == _OWNER:
            owned[link.via].update(link.graphs)
    return owned


def _co_owned(link: Link, owned: Mapping[str, set[str]]) -> bool:
    """Whether a holding link goes through a registration the other party owns with its
    holder: one source naming both owners (`kg.analysis.co_owners`; owners that different
    sources give one registration disagree, and are rivals)."""
    return link.predicate == _OWNER and bool(owned.get(link.via or "", set()) & set(link.graphs))


def _tied(left: Link, right: Link, a: str, b: str) -> bool:
    """One holding shared, or one party operating a use for the other: not a conflict."""
    if left.via == right.via:
        return True
    return b in left.tied or left.holder == b or a in right.tied or right.holder == a


def _closeness(labels: PathLabels, left: Link, similar: Link | None, right: Link) -> tuple:
    l_view, r_view = _view(labels, left), _view(labels, right)
    where = (l_view.jurisdiction, r_view.jurisdiction)
    place = 0 if where[0] and where[0] == where[1] else (1 if None in where else 2)
    classes = (set(l_view.classes), set(r_view.classes))
    shared = 0 if classes[0] & classes[1] else (1 if not all(classes) else 2)
    operated = sum(link.predicate == _BEHALF for link in (left, right))
    score = similar.similarity.score if similar and similar.similarity else 1.0
    dead = (l_view.lapsed is not None) + (r_view.lapsed is not None)  # in force first
    return (place, dead, shared, operated, -score, l_view.label, r_view.label)


def _view(labels: PathLabels, link: Link) -> HoldingLabel:
    view = labels.holdings.get((link.via or "", link.holder or ""))
    return view or HoldingLabel("a registration or use", "the mark", None, (), False)


def _route(graph: nx.MultiGraph, nodes: list[str]) -> list[Link] | None:
    """The links along a node path, the best where two nodes are linked several ways; None
    for a route through marks alone (a mark conflict, found as such) or one that enters a
    registration or use only to pass from its holder to its mark."""
    if len(nodes) == 3 and graph.nodes[nodes[1]]["mark"]:  # A - mark - B: one right both hold?
        return _shared_right(graph, *nodes)
    if len(nodes) > 2 and all(graph.nodes[n]["mark"] for n in nodes[1:-1]):
        return None
    core = graph.graph["core"]
    for before, node, after in zip(nodes, nodes[1:], nodes[2:], strict=False):
        if node in core and {before, after} <= core[node]:
            return None
    route = []
    for a, b in pairwise(nodes):
        # not through a registration or use the path also visits as a node
        links = [d["link"] for d in graph.get_edge_data(a, b).values()]
        links = [link for link in links if link.via not in nodes]
        if not links:
            return None
        route.append(min(links, key=lambda link: (-len(link.graphs), _key(link))))
    return route


def _shared_right(graph: nx.MultiGraph, a: str, mark: str, b: str) -> list[Link] | None:
    """A's and B's holding of one registration or use of `mark` (co-owners, or the users two
    sources name): a business tie, not a mark conflict; None when they hold none together
    (their holdings of the mark are a mark conflict, found as such)."""
    pairs = [
        (left, right)
        for left in _held(graph, a, mark)
        for right in _held(graph, b, mark)
        if left.via == right.via
    ]
    return list(min(pairs, key=lambda pair: (_key(pair[0]), _key(pair[1])))) if pairs else None


def _kind(graph: nx.MultiGraph, route: list[Link]) -> str:
    if len(route) == 2 and route[0].via and route[0].via == route[1].via:
        return "business tie"  # one right the two parties hold together
    predicates = {link.predicate for link in route}
    if predicates & _AUTHORITY:
        return "other"
    if predicates & _PROCEEDING:
        return "proceeding"
    if predicates & _TITLE:
        return "business tie"  # a chain of title: one passed the right to the other
    # a partner's tie to the brand owner: a link through a use between two non-marks
    if any(link.via and not any(graph.nodes[n]["mark"] for n in link.ends) for link in route):
        return "business tie"
    return "other"


# ------------------------------------------------------------------ wording


def _as_path(
    labels: PathLabels, origin: PartyRef, destination: PartyRef, route: list[Link], kind: str
) -> ConflictPath:
    steps, at = [], origin.id
    for link in route:
        target = link.ends[1] if link.ends[0] == at else link.ends[0]
        steps.append(explain(labels, link, at, target))
        at = target
    summary = "; ".join(step.explanation for step in steps) + "."
    return ConflictPath(
        origin=origin, destination=destination, steps=tuple(steps), summary=summary, kind=kind
    )


def explain(labels: PathLabels, link: Link, source: str, target: str) -> PathStep:
    """One step of a path, from `source` to `target` over `link`, as a plain sentence."""
    name = labels.nodes.get
    subject, obj = link.ends
    reasons: tuple[str, ...] = ()
    score = None
    via_label = None
    lapsed = None
    statements = link.statements
    if link.predicate == SIMILAR_MARK:
        # derived by tmkg: it rests on the two texts compared, each as its graphs state it
        statements = tuple(labels.texts[m] for m in (source, target) if m in labels.texts)
        similarity = link.similarity or MarkSimilarity(0.0)
        score, reasons = similarity.score, similarity.reasons
        why = f"; {', '.join(reasons)}" if reasons else ""
        sentence = f"{name(source)} is similar to {name(target)} (similarity {score:.2f}{why})"
    elif link.via is not None:
        view = _view(labels, link)
        via_label, lapsed = view.label, view.lapsed
        holder = name(link.holder or "", "")
        if link.ends[0] == link.holder and labels.kinds.get(obj) == "Mark":
            if view.registration:
                verb = "filed" if view.application else ("owned" if view.lapsed else "owns")
                sentence = f"{holder} {verb} {view.label}"
                if view.lapsed:
                    sentence += f", which lapsed {view.lapsed}"
            else:
                sentence = f"{holder} uses {view.use}"
        elif labels.kinds.get(obj) == "Mark":
            sentence = f"{name(subject)} has {view.use} used on its behalf by {holder}"
        else:
            sentence = f"{holder} operates {view.label} on behalf of {name(obj)}"
    else:
        local = link.predicate.removeprefix(TM)
        template = _SENTENCES.get(local, "{s} " + local + " {o}")
        if local == "court":
            template = (
                "{s} is before {o}" if labels.kinds.get(subject) in _CASES else "{o} gave {s}"
            )
        elif local in _BEFORE_OFFICE and labels.kinds.get(subject) in _PROCEEDINGS:
            template = _BEFORE_OFFICE[local]
        sentence = template.format(s=name(subject), o=name(obj))
        change = labels.changes.get(subject)
        if change is not None and local in ("assignor", "assignee"):
            statements = (*statements, *change.cited(local, obj))  # its date, as said
    # the names the sentence gives its parties, each from the graphs stating it
    shown = (source, target, subject, obj, link.holder)
    named = (labels.named[n] for n in dict.fromkeys(shown) if n in labels.named)
    statements = tuple(dict.fromkeys((*statements, *named)))
    graphs = cited_graphs(statements)
    return PathStep(
        source=source,
        source_label=name(source, ""),
        predicate=link.predicate,
        target=target,
        target_label=name(target, ""),
        explanation=_capitalized(sentence),
        sources=source_refs(labels.sources, graphs),
        statements=statements,
        via=link.via,
        via_label=via_label,
        lapsed=lapsed,
        similarity=score,
        reasons=reasons,
    )


def _capitalized(sentence: str) -> str:
    """The sentence with our own first word capitalized; a name ("eBay Inc.") stays as is."""
    if sentence.split(" ", 1)[0] in _OUR_WORDS:
        return sentence[0].upper() + sentence[1:]
    return sentence


_OUR_WORDS = frozenset(
    {"the", "a", "an", "case", "registration", "application"}
    | {"opposition", "cancellation", "proceeding"}
)
_PROCEEDINGS = frozenset({"Proceeding", "Opposition", "Cancellation"})
_CASES = _PROCEEDINGS | {"Case"}
# an opposition or cancellation is brought by its plaintiff against the holder
_BEFORE_OFFICE = {"plaintiff": "{o} brought {s}", "defendant": "{s} is brought against {o}"}
