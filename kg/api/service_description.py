"""The SPARQL 1.1 Service Description of the endpoint, as RDF triples.

See https://www.w3.org/TR/sparql11-service-description/. It tells a client what the endpoint
speaks (query, and update when a token is configured), which result formats it writes, that
its default graph is the union of all graphs, and which named graphs it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

__all__ = ["DESCRIPTION_PREFIXES", "service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
DESCRIPTION_PREFIXES = {
    "sd": SD,
    "formats": FORMATS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
_GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def service_description(
    endpoint: str,
    *,
    updates: bool,
    federated: bool,
    graphs: Sequence[str],
    results_formats: Sequence[str],
) -> list[ox.Triple]:
    """Triples describing the endpoint at `endpoint` (its URL) and its dataset.

    >>> triples = service_description(
    ...     "http://localhost/sparql", updates=False, federated=False, graphs=["http://g/1"],
    ...     results_formats=["json"])
    >>> ox.NamedNode(SD + "UnionDefaultGraph") in {t.object for t in triples}
    True
    """
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(
            service,
            _COMMENT,
            ox.Literal(
                "tmkg, a trademark-conflict knowledge graph. The default graph is the union of "
                "all graphs (a bag: a triple stated in several graphs matches once per graph; "
                "use DISTINCT); GRAPH ?g names the source of each fact. Read-only unless the "
                "server has an update token; SERVICE and remote LOAD are refused unless "
                "allow-listed.",
                language="en",
            ),
        ),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if federated:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for name in [*results_formats, *_GRAPH_FORMATS]:
        format_iri = ox.NamedNode(FORMATS + _FORMAT_IRIS[name])
        triples.append(ox.Triple(service, sd("resultFormat"), format_iri))
    for index, iri in enumerate(graphs):
        named = ox.BlankNode(f"namedGraph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(iri)),
        ]
    return triples
