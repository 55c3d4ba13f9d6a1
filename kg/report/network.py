"""The conflict network a report draws: parties, marks and cases, with labelled links.

It is the neighbourhood `kg.analysis.neighbourhood.neighbourhood` projects (the one conflict
paths search), with registrations, uses, claims and events contracted into labelled edges:
a party *registered*, *uses* or *claims* a mark, is *plaintiff*/*defendant* in a case, *pays*
or *is paid* under its judgment; a case *concerns* a mark and is *before* a court, an event
of it before the court that source names (*appeal before*, *judgment by*). Each relation keeps
the sources stating it (`Relation`), so a report labels an edge "plaintiff [1, 2]; pays [1]
(disputed); is paid [1, 5]": a role only one source gives, and that another contradicts, is
never drawn as a plain fact.

Big neighbourhoods are cut to the most relevant nodes (`most_relevant`): those nearest the
report's subject first, the most connected first at each distance; what is left out is
counted so the figure can say so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from kg.analysis.model import SourceRef
from kg.analysis.neighbourhood import SIMILAR_MARK, Edge, neighbourhood
from kg.analysis.service import Analyst
from kg.analysis.sparql_text import camel_words
from kg.lazy import lazy_module
from kg.report.options import DEFAULT_MAX_NODES

nx = lazy_module("networkx")  # loaded on first use: kg.lazy

__all__ = ["NODE_KINDS", "ConflictNetwork", "Relation", "conflict_network", "most_relevant"]

TM = "https://w3id.org/tmkg/ontology#"

NODE_KINDS = ("party", "court", "mark", "case")
_KIND_OF_CLASS = {
    "Company": "party",
    "Person": "party",
    "Party": "party",
    "Court": "court",
    "TrademarkOffice": "court",
    "Mark": "mark",
    "Case": "case",
}
_EVENT_ROLE = {"payer": "pays", "payee": "is paid", "involves": "involved"}
_CASE_ROLE = {"plaintiff": "plaintiff", "defendant": "defendant"}
_EVENT_COURT = {"Judgment": "judgment by", "Appeal": "appeal before"}


@dataclass(frozen=True)
class Relation:
    """One relation an edge draws: its label, the record and property it rests on (a
    judgment's tm:payer), and the sources stating that property of that record."""

    label: str
    record: str
    property: str
    sources: tuple[SourceRef, ...]


@dataclass
class ConflictNetwork:
    """The projected network, the part to draw, and what was left out of the drawing.

    `graph` nodes carry ``label``, ``kind`` (party, court, mark, case) and ``focus``; edges
    carry ``label`` (relations joined with '; ') and ``relations`` (`Relation`, each with its
    sources, for a report to cite: `cite_edges`).
    """

    graph: nx.Graph
    focus: tuple[str, ...]
    shown: nx.Graph
    left_out: dict[str, int] = field(default_factory=dict)
    cut_hubs: bool = False

    @property
    def note(self) -> str:
        """What the figure shows and leaves out, in a sentence."""
        total, shown = self.graph.number_of_nodes(), self.shown.number_of_nodes()
        if total == shown:
            text = f"All {total} parties, marks, cases and courts of the neighbourhood are shown."
        else:
            parts = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in self.left_out.items())
            text = (
                f"Showing {shown} of {total} nodes: those nearest the subject, the most "
                f"connected first; left out: {parts}."
            )
        if self.cut_hubs:
            text += " Nodes with more than 200 links were not expanded."
        return text


def conflict_network(
    analyst: Analyst,
    starts: Iterable[str],
    *,
    depth: int = 2,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> ConflictNetwork:
    """The conflict network around some parties, marks or cases (canonical IRIs)."""
    facts = analyst.facts
    focus = tuple(sorted({facts.identities.canonical(s) for s in starts}))
    found = neighbourhood(facts, focus, depth)
    edges, cut = found.edges, found.truncated
    nodes = {n for e in edges for n in (e[0], e[2])} | set(focus)
    kinds = facts.kinds(nodes)
    graphs = {e: {s.graph for s in found.stated.get(e, ())} for e in edges}
    refs = {ref.graph: ref for ref in facts.source_refs({g for gs in graphs.values() for g in gs})}
    cited = {e: tuple(refs[g] for g in sorted(gs)) for e, gs in graphs.items()}
    graph = _contract(edges, kinds, cited)
    for node in focus:
        if node in kinds and _KIND_OF_CLASS.get(kinds[node]):
            graph.add_node(node)
    _label(graph, analyst, kinds)
    for node in graph:
        graph.nodes[node]["focus"] = node in focus
    shown, left_out = most_relevant(graph, [f for f in focus if f in graph], max_nodes)
    return ConflictNetwork(graph, focus, shown, left_out, cut)


def most_relevant(
    graph: nx.Graph, focus: Sequence[str], max_nodes: int
) -> tuple[nx.Graph, dict[str, int]]:
    """The `max_nodes` nodes nearest the focus (most connected first at each distance), as a
    subgraph, and the count of left-out nodes per kind.

    >>> g = nx.path_graph(5); nx.set_node_attributes(g, "party", "kind")
    >>> shown, left = most_relevant(g, [0], 3)
    >>> sorted(shown), left
    ([0, 1, 2], {'party': 2})
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph.copy(), {}
    distance = nx.multi_source_dijkstra_path_length(graph, set(focus)) if focus else {}
    far = max(distance.values(), default=0) + 1
    ranked = sorted(
        graph.nodes,
        key=lambda n: (distance.get(n, far), -graph.degree(n), str(graph.nodes[n].get("label"))),
    )
    keep = ranked[:max_nodes]
    left = Counter(graph.nodes[n].get("kind", "node") for n in ranked[max_nodes:])
    order = {kind: i for i, kind in enumerate(NODE_KINDS)}
    return graph.subgraph(keep).copy(), dict(sorted(left.items(), key=lambda kv: order[kv[0]]))


def _contract(
    edges: set[Edge],
    kinds: dict[str, str],
    sources: dict[Edge, tuple[SourceRef, ...]] | None = None,
) -> nx.Graph:
    """Registrations, uses, claims and events become labelled edges between what they join;
    each relation cites the sources of the statement it rests on (the holder's, the role's)."""
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, obj in edges:
        links[subject][predicate.removeprefix(TM)].add(obj)
    relations: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    cited = sources or {}

    def relate(a: str, b: str, label: str, on: tuple[str, str, str] | None = None) -> None:
        if a != b and _KIND_OF_CLASS.get(kinds.get(a, "")) and _KIND_OF_CLASS.get(kinds.get(b, "")):
            record, prop, value = on or (a, "", b)
            refs = cited.get((record, TM + prop, value), ())
            relations[(a, b) if a < b else (b, a)].append(Relation(label, record, prop, refs))

    for node, by_predicate in links.items():
        kind = kinds.get(node, "")
        marks = by_predicate.get("mark", set())
        if kind == "Registration":
            for owner in by_predicate.get("owner", ()):
                for mark in marks:
                    relate(owner, mark, "registered", (node, "owner", owner))
        elif kind == "Use":
            behalf = by_predicate.get("onBehalfOf", set())
            for user in by_predicate.get("user", ()):
                for mark in marks:
                    relate(user, mark, "uses", (node, "user", user))
                for owner in behalf:
                    relate(user, owner, "operates for", (node, "onBehalfOf", owner))
        elif kind == "Claim":
            for claimant in by_predicate.get("claimant", ()):
                for mark in marks:
                    relate(claimant, mark, "claims", (node, "claimant", claimant))
        elif kind == "Case":
            for role, label in _CASE_ROLE.items():
                for party in by_predicate.get(role, ()):
                    relate(party, node, label, (node, role, party))
            for court in by_predicate.get("court", ()):
                relate(node, court, "before", (node, "court", court))
            for mark in by_predicate.get("concerns", ()):
                relate(node, mark, "concerns", (node, "concerns", mark))
        elif by_predicate.get("case"):
            for case in by_predicate["case"]:
                for role, label in _EVENT_ROLE.items():
                    for party in by_predicate.get(role, ()):
                        relate(party, case, label, (node, role, party))
                # an event's court is where that event was (an appeal's is the appeal court)
                before = _EVENT_COURT.get(kind) or f"{camel_words(kind) or 'event'} before"
                for court in by_predicate.get("court", ()):
                    relate(case, court, before, (node, "court", court))
        for other in by_predicate.get(SIMILAR_MARK.removeprefix(TM), ()):
            relate(node, other, "similar")
    graph = nx.Graph()
    for (a, b), found in sorted(relations.items(), key=lambda kv: kv[0]):
        graph.add_edge(a, b, label=_edge_label([r.label for r in found]), relations=tuple(found))
    for node in graph:
        graph.nodes[node]["kind"] = _KIND_OF_CLASS[kinds[node]]
    return graph


def _edge_label(labels: list[str]) -> str:
    """'registered' x3 -> 'registered ×3'; 'involved' only when no sharper role is known."""
    return "; ".join(label for label, _ in _shown_labels(labels))


def _shown_labels(labels: Sequence[str]) -> list[tuple[str, str]]:
    """(label as drawn, the relation label it stands for), in the order drawn."""
    counts = Counter(labels)
    if len(counts) > 1:
        counts.pop("involved", None)
    if {"plaintiff", "defendant"} & counts.keys():
        counts.pop("before", None)
    return [
        (label if n == 1 or label not in ("registered", "uses") else f"{label} ×{n}", label)
        for label, n in sorted(counts.items(), key=lambda kv: _ORDER.get(kv[0], 99))
    ]


def cite_edges(
    network: ConflictNetwork,
    numbers: Callable[[Iterable[SourceRef]], list[int]],
    disputed: Collection[tuple[str, str]] = (),
) -> None:
    """Label each drawn edge's relations with the numbers of their sources in a report's
    source list ("plaintiff [1, 2]; pays [1] (disputed)"); a relation whose record and
    property (a judgment's "payer") are in `disputed` (sources contradict each other on it,
    `kg contradictions`) is marked so."""
    for graph in (network.graph, network.shown):
        for _a, _b, data in graph.edges(data=True):
            relations: tuple[Relation, ...] = data.get("relations", ())
            parts = []
            for shown, label in _shown_labels([r.label for r in relations]):
                mine = [r for r in relations if r.label == label]
                cited = numbers(s for r in mine for s in r.sources)
                text = f"{shown} [{', '.join(map(str, cited))}]" if cited else shown
                if any((r.record, r.property) in disputed for r in mine):
                    text += " (disputed)"
                parts.append(text)
            if parts:
                data["label"] = "; ".join(parts)


_ORDER = {
    "registered": 0,
    "uses": 1,
    "claims": 2,
    "operates for": 3,
    "plaintiff": 4,
    "defendant": 5,
    "pays": 6,
    "is paid": 7,
    "involved": 8,
    "concerns": 9,
    "before": 10,
    "judgment by": 11,
    "appeal before": 12,
    "similar": 13,
}


def _label(graph: nx.Graph, analyst: Analyst, kinds: dict[str, str]) -> None:
    facts = analyst.facts
    for node in graph:  # a node added alone (a subject with no edges) has no kind yet
        kind = graph.nodes[node].get("kind") or _KIND_OF_CLASS.get(kinds.get(node, ""), "node")
        graph.nodes[node]["kind"] = kind
    parties = [n for n in graph if graph.nodes[n]["kind"] in ("party", "court")]
    names = facts.parties(parties)
    cases = facts.cases() if any(graph.nodes[n]["kind"] == "case" for n in graph) else {}
    for node in graph:
        kind = graph.nodes[node]["kind"]
        if kind in ("party", "court"):
            label = names[facts.identities.canonical(node)].name
        elif kind == "mark":
            label = facts.marks.get(node, node.rsplit("/", 1)[-1])
        elif kind == "case":
            label = cases.get(node) or node.rsplit("/", 1)[-1]
        else:
            label = node.rsplit("/", 1)[-1]
        graph.nodes[node]["label"] = label


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    return {"party": "parties"}.get(kind, kind + "s")
