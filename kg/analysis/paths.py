"""Conflict paths: how two parties are connected, through marks, holdings, cases and partners.

The store's neighbourhood of the two parties is projected into a networkx graph (see
`kg.analysis.neighbourhood.neighbourhood_edges`); these pure functions find and explain paths in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

import networkx as nx

from kg.analysis.model import ConflictPath, PartyRef, PathStep

__all__ = ["all_paths", "build_graph", "explain", "shortest_paths"]

TM = "https://w3id.org/tmkg/ontology#"

# How each predicate reads as a sentence about (subject, object).
_SENTENCES = {
    "owner": "{o} owns {s}",
    "user": "{o} uses the mark under {s}",
    "onBehalfOf": "{s} is operated on behalf of {o}",
    "mark": "{s} is for the {o}",
    "plaintiff": "{o} is a plaintiff in {s}",
    "defendant": "{o} is a defendant in {s}",
    "court": "{s} is before {o}",
    "concerns": "{s} concerns the {o}",
    "claimant": "{o} makes the {s}",
    "involves": "{o} takes part in the {s}",
    "payer": "the {s} orders {o} to pay",
    "payee": "the {s} awards {o} damages",
    "case": "the {s} belongs to {o}",
    "grantedBy": "{o} granted {s}",
    "contestedRegistration": "the {s} contests the {o}",
    "earlierRight": "the {s} invokes the earlier {o}",
    "similarMark": "the {s} and the {o} are confusingly similar",
}


def build_graph(edges: Iterable[tuple[str, str, str]], labels: Mapping[str, str]) -> nx.Graph:
    """An undirected graph of the facts; each edge keeps the RDF direction and predicate.

    >>> g = build_graph([("r", TM + "owner", "p")], {"r": "registration 1", "p": "Acme"})
    >>> g.edges["r", "p"]["predicate"], g.nodes["p"]["label"]
    ('owner', 'Acme')
    """
    graph = nx.Graph()
    for subject, predicate, obj in sorted(edges):
        for node in (subject, obj):
            if node not in graph:
                graph.add_node(node, label=labels.get(node, node.rsplit("/", 1)[-1]))
        if not graph.has_edge(subject, obj):
            graph.add_edge(subject, obj, predicate=predicate.removeprefix(TM), subject=subject)
    return graph


def explain(graph: nx.Graph, source: str, target: str) -> PathStep:
    """One step of a path as a plain sentence."""
    data = graph.edges[source, target]
    subject = data["subject"]
    obj = target if subject == source else source
    predicate = data["predicate"]
    sentence = _SENTENCES.get(predicate, "{s} " + predicate + " {o}").format(
        s=graph.nodes[subject]["label"], o=graph.nodes[obj]["label"]
    )
    return PathStep(
        source=source,
        source_label=graph.nodes[source]["label"],
        predicate=TM + predicate,
        target=target,
        target_label=graph.nodes[target]["label"],
        explanation=sentence[0].upper() + sentence[1:],
    )


def _as_path(
    graph: nx.Graph, nodes: list[str], origin: PartyRef, destination: PartyRef
) -> ConflictPath:
    steps = tuple(explain(graph, a, b) for a, b in pairwise(nodes))
    summary = "; ".join(step.explanation for step in steps) + "."
    return ConflictPath(origin=origin, destination=destination, steps=steps, summary=summary)


def shortest_paths(
    graph: nx.Graph, origin: PartyRef, destination: PartyRef, max_length: int, limit: int = 10
) -> list[ConflictPath]:
    """All shortest paths (up to `limit`) no longer than `max_length` steps."""
    if origin.id not in graph or destination.id not in graph:
        return []
    try:
        found = []
        for nodes in nx.all_shortest_paths(graph, origin.id, destination.id):
            if len(nodes) - 1 > max_length:
                break
            found.append(_as_path(graph, nodes, origin, destination))
            if len(found) >= limit:
                break
        return found
    except nx.NetworkXNoPath:
        return []


def all_paths(
    graph: nx.Graph, origin: PartyRef, destination: PartyRef, max_length: int, limit: int = 50
) -> list[ConflictPath]:
    """Simple paths up to `max_length` steps, shortest first (at most `limit`)."""
    if origin.id not in graph or destination.id not in graph:
        return []
    found = []
    for nodes in nx.all_simple_paths(graph, origin.id, destination.id, cutoff=max_length):
        found.append(nodes)
        if len(found) >= limit * 4:
            break
    found.sort(key=lambda nodes: (len(nodes), nodes))
    return [_as_path(graph, nodes, origin, destination) for nodes in found[:limit]]
