"""Exports: the graph, one named graph, or a party's or mark's neighbourhood, in formats other
tools read — GraphML (yEd, Gephi), GEXF (Gephi), Cytoscape JSON, JSON-LD, Turtle, N-Quads.

The RDF formats carry the quads as stored. The three network formats carry a property graph
of them: a node per resource (IRI) with ``label``, ``type`` and ``iri`` attributes and one
attribute per literal property (``schema_name``, ``tm_filingDate``, several values joined
with '; '), and a directed edge per distinct (subject, predicate, object) with ``label``,
``predicate`` and the ``graphs`` (sources) that state it.

JSON-LD uses tmkg's published context, https://w3id.org/tmkg/context.jsonld (schema.org and
the ontology; shipped as ``schema/context.jsonld``), embedded in the output so that no tool
fetches it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.analysis.arguments import check
from kg.analysis.neighbourhood import neighbourhood_edges
from kg.analysis.service import Analyst
from kg.analysis.sparql_text import iri_in
from kg.errors import KGError, NotFound
from kg.graph import KnowledgeGraph
from kg.lazy import lazy_module
from kg.namespaces import PREFIXES
from kg.reference import REFERENCE_GRAPHS
from kg.report.options import EXPORT_FORMATS
from kg.resources import SCHEMA_DIR
from kg.xml_text import xml_safe_count

nx = lazy_module("networkx")  # loaded on first use: kg.lazy

__all__ = [
    "CONTEXT_URL",
    "EXPORT_FORMATS",
    "ExportSummary",
    "export",
    "export_quads",
    "jsonld_context",
    "property_graph",
]

EXTENSIONS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".cyjs": "cytoscape",
    ".json": "cytoscape",
    ".jsonld": "jsonld",
    ".ttl": "turtle",
    ".nq": "nquads",
}
CONTEXT_URL = "https://w3id.org/tmkg/context.jsonld"
CONTEXT_FILE = SCHEMA_DIR / "context.jsonld"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_BATCH = 400


class ExportError(KGError):
    """An export was asked for with an unknown format or conflicting scope."""

    exit_code = 1
    http_status = 400


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: quads for RDF formats, nodes and edges for network formats."""

    format: str
    quads: int
    nodes: int | None = None
    edges: int | None = None
    replaced: int = 0
    """Characters XML 1.0 forbids, replaced by U+FFFD in a GraphML or GEXF export."""


def export(
    graph: KnowledgeGraph,
    format: str,
    output: Path | IO[bytes],
    *,
    named_graph: str | None = None,
    party: str | None = None,
    mark: str | None = None,
    depth: int = 2,
) -> ExportSummary:
    """Write the whole graph (less the reference data), one named graph, or the neighbourhood
    of a party or a mark, in `format`, to a path or a binary stream."""
    if format not in EXPORT_FORMATS:
        raise ExportError(
            f"unknown export format {format!r}", suggestion="one of " + ", ".join(EXPORT_FORMATS)
        )
    quads = export_quads(graph, named_graph=named_graph, party=party, mark=mark, depth=depth)
    if format in ("turtle", "nquads", "jsonld"):
        data = _rdf_bytes(quads, format)
        _write(output, data)
        triples = len({(q.subject, q.predicate, q.object) for q in quads})
        return ExportSummary(format, triples if format == "turtle" else len(quads))
    network = property_graph(graph, quads)
    if format == "cytoscape":
        _write(output, json.dumps(cytoscape_json(network), ensure_ascii=False, indent=1).encode())
        replaced = 0
    else:
        replaced = _xml_safe_attributes(network)
        writer = nx.write_graphml if format == "graphml" else nx.write_gexf
        writer(network, output)
    return ExportSummary(
        format, len(quads), network.number_of_nodes(), network.number_of_edges(), replaced
    )


def format_for(path: Path) -> str:
    """The export format a file name implies ('.graphml' -> graphml), else ExportError."""
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ExportError(
            f"cannot tell the export format of {path.name!r}",
            suggestion="pass --format " + "|".join(EXPORT_FORMATS),
        )
    return found


# ------------------------------------------------------------------ what to export


def export_quads(
    graph: KnowledgeGraph,
    *,
    named_graph: str | None = None,
    party: str | None = None,
    mark: str | None = None,
    depth: int = 2,
) -> list[ox.Quad]:
    """The quads an export holds, in a stable order.

    By default every quad but the reference data (ontology, jurisdictions, Nice classes —
    shipped with every store); `named_graph` keeps one named graph; `party`/`mark` keep what
    the store says about the resources within `depth` links of it (the neighbourhood conflict
    paths search) and the provenance of the graphs that say it.
    """
    if party and mark:
        raise ExportError("export the neighbourhood of a party or of a mark, not both")
    check(named_graph=named_graph, party=party, mark=mark, depth=depth)
    store = graph.store
    reference = {g.value for g in REFERENCE_GRAPHS}
    graph_filter: ox.NamedNode | None = None
    if named_graph:
        graph_filter = ox.NamedNode(named_graph)
        if graph_filter not in set(store.named_graphs()):
            raise NotFound(f"no named graph <{named_graph}>", suggestion="see `kg stats`")
    if party or mark:
        quads = _neighbourhood_quads(graph, party, mark, depth, graph_filter)
    elif graph_filter is not None:
        quads = list(store.quads(graph=graph_filter))
    else:
        quads = [
            q
            for q in store.quads()
            if _graph_value(q) not in reference
            and not (isinstance(q.graph_name, ox.DefaultGraph) and q.subject.value in reference)
        ]
    return sorted(set(quads), key=_quad_key)


def _neighbourhood_quads(
    graph: KnowledgeGraph,
    party: str | None,
    mark: str | None,
    depth: int,
    graph_filter: ox.NamedNode | None,
) -> list[ox.Quad]:
    analyst = Analyst(graph)
    facts = analyst.facts
    starts = [analyst.find_party(party).id] if party else analyst.find_mark(mark)  # type: ignore[arg-type]
    edges, _ = neighbourhood_edges(facts, starts, depth=depth)
    nodes = {n for e in edges for n in (e[0], e[2])} | set(starts)
    members = sorted({m for n in nodes for m in facts.identities.members(n)})
    quads: list[ox.Quad] = []
    store = graph.store
    # a FILTER, not a second VALUES block: Oxigraph read the whole graph per batch that way
    restrict = iri_in("g", [graph_filter.value]) if graph_filter else ""
    for start in range(0, len(members), _BATCH):
        batch = " ".join(f"<{m}>" for m in members[start : start + _BATCH])
        result = store.query(
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {batch} }}"
            f" GRAPH ?g {{ ?s ?p ?o }} {restrict} }}"
        )
        quads += [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in result]  # type: ignore[union-attr,arg-type,index]
    if graph_filter is None:
        # The provenance of every graph the neighbourhood's facts come from.
        graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        described = set(graphs)
        for g in graphs:
            for q in store.quads(subject=g, graph=ox.DefaultGraph()):
                quads.append(q)
                if q.predicate.value == PROV_DERIVED and isinstance(q.object, ox.NamedNode):
                    described.add(q.object)
        for source in described - graphs:
            quads += store.quads(subject=source, graph=ox.DefaultGraph())  # type: ignore[arg-type]
    return quads


def _graph_value(quad: ox.Quad) -> str:
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value  # type: ignore[union-attr]


def _quad_key(quad: ox.Quad) -> tuple[str, ...]:
    return (_graph_value(quad), str(quad.subject), str(quad.predicate), str(quad.object))


# ------------------------------------------------------------------ network formats


def property_graph(graph: KnowledgeGraph, quads: Iterable[ox.Quad]) -> nx.MultiDiGraph:
    """The quads as a directed multigraph with labels and types as node attributes."""
    literals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    types: dict[str, set[str]] = defaultdict(set)
    links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for quad in quads:
        subject, predicate = _term(quad.subject), quad.predicate.value
        nodes.add(subject)
        if predicate == RDF_TYPE:
            types[subject].add(_compact(quad.object.value))
        elif isinstance(quad.object, ox.Literal):
            literals[subject][_attribute(predicate)].add(quad.object.value)
        else:
            target = _term(quad.object)
            nodes.add(target)
            links[(subject, predicate, target)].add(_graph_value(quad) or "(default graph)")
    analyst = Analyst(graph)
    iris = sorted(n for n in nodes if not n.startswith("_:"))
    labels = analyst.facts.labels(iris)
    kinds = analyst.facts.kinds(n for n in iris if not types.get(n))
    network = nx.MultiDiGraph(name="tmkg export")
    for node in sorted(nodes):
        attributes = {
            "label": labels.get(node) or node.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
            "type": "; ".join(
                sorted(types.get(node) or ({f"tm:{kinds[node]}"} if node in kinds else set()))
            ),
            "iri": node,
        }
        for key, values in sorted(literals.get(node, {}).items()):
            attributes[key] = "; ".join(sorted(values))
        network.add_node(node, **attributes)
    for (subject, predicate, target), graphs in sorted(links.items()):
        local = _compact(predicate)
        network.add_edge(
            subject,
            target,
            key=local,
            label=local.split(":", 1)[-1],
            predicate=predicate,
            graphs="; ".join(sorted(graphs)),
        )
    return network


def _xml_safe_attributes(network: nx.MultiDiGraph) -> int:
    """Replace, in place, the characters XML 1.0 forbids in every node and edge attribute
    by U+FFFD (see `kg.xml_text`); return how many. Node ids are IRIs, which hold none."""
    replaced = 0
    items = [data for _, data in network.nodes(data=True)]
    items += [data for _, _, data in network.edges(data=True)]
    for data in items:
        for key, value in data.items():
            if isinstance(value, str):
                data[key], count = xml_safe_count(value)
                replaced += count
    return replaced


def cytoscape_json(network: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js / Cytoscape desktop (.cyjs) elements; `networkx.cytoscape_graph` reads it.

    >>> g = nx.MultiDiGraph(); g.add_edge("a", "b", key="tm:owner", label="owner")
    'tm:owner'
    >>> data = cytoscape_json(g)
    >>> nx.cytoscape_graph(data).number_of_edges(), data["elements"]["edges"][0]["data"]["label"]
    (1, 'owner')
    """
    data = nx.cytoscape_data(network)
    for element in data["elements"]["nodes"]:
        element["data"]["name"] = element["data"].get("label") or element["data"]["id"]
    for index, element in enumerate(data["elements"]["edges"]):
        element["data"].setdefault("id", f"e{index}")
    return {
        "format_version": "1.0",
        "generated_by": "tmkg",
        "target_cytoscapejs_version": "~3",
        **data,
    }


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value  # type: ignore[union-attr]


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "id":
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _attribute(predicate: str) -> str:
    """'https://schema.org/name' -> 'schema_name' (safe as a GraphML/GEXF attribute)."""
    compact = _compact(predicate)
    return compact.replace(":", "_") if compact != predicate else predicate


# ------------------------------------------------------------------ RDF formats


def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (``schema/context.jsonld``), as a dict."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _rdf_bytes(quads: list[ox.Quad], format: str) -> bytes:
    if format == "nquads":
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)  # type: ignore[return-value]
    if format == "turtle":
        triples = sorted(
            {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
            key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
        )
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)  # type: ignore[return-value]
    return (json.dumps(_jsonld(quads), ensure_ascii=False, indent=1) + "\n").encode()


def _jsonld(quads: list[ox.Quad]) -> dict[str, Any]:
    """Compact JSON-LD: the default graph's nodes, then one node per named graph with its
    ``@graph``; IRIs shortened with the context's prefixes, literals kept exactly."""
    context = jsonld_context()
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    prefixes.pop("tmkgContext", None)

    def iri(value: str) -> str:
        for prefix, namespace in prefixes.items():
            rest = value[len(namespace) :]
            if value.startswith(namespace) and rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return value

    def ref(term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else iri(term.value)

    graphs: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for quad in quads:
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else ref(quad.graph_name)
        node = graphs[name].setdefault(ref(quad.subject), {"@id": ref(quad.subject)})
        if quad.predicate.value == RDF_TYPE and not isinstance(quad.object, ox.Literal):
            node.setdefault("@type", []).append(ref(quad.object))
            continue
        key = iri(quad.predicate.value)
        node.setdefault(key, []).append(_jsonld_value(quad.object, iri))
    top: dict[str, dict[str, Any]] = dict(graphs.get("", {}))
    for name in sorted(n for n in graphs if n):
        holder = top.setdefault(name, {"@id": name})
        holder["@graph"] = list(graphs[name].values())
    return {"@context": context, "@graph": list(top.values())}


def _jsonld_value(term: Any, iri: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"@id": iri(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": iri(datatype)}


def _write(output: Path | IO[bytes], data: bytes) -> None:
    if isinstance(output, Path):
        output.write_bytes(data)
    else:
        output.write(data)
