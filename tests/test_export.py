"""Exports round-trip: every format reads back with the same node/edge or triple counts —
networkx for GraphML and GEXF, json (and networkx) for Cytoscape, pyoxigraph and rdflib for
the RDF formats — for the whole graph, one named graph, and a party's or mark's neighbourhood.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

from kg import KnowledgeGraph, NotFound
from kg.report.export import (
    CONTEXT_URL,
    EXPORT_FORMATS,
    ExportError,
    export,
    export_quads,
    jsonld_context,
)
from kg.resources import SCHEMA_DIR
from tests.conftest import run_kg

EXTENSION = {
    "graphml": "graphml",
    "gexf": "gexf",
    "cytoscape": "cyjs",
    "jsonld": "jsonld",
    "turtle": "ttl",
    "nquads": "nq",
}
SCOPES = {
    "whole": {},
    "party": {"party": "Amazon"},
    "mark": {"mark": "AWS"},
    "graph": {"named_graph": "https://w3id.org/tmkg/id/graph/curation/elecfans"},
}


def read_back(path: Path, fmt: str) -> dict[str, int]:
    """Counts as another tool sees them."""
    if fmt == "graphml":
        graph = nx.read_graphml(path, force_multigraph=True)
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if fmt == "gexf":
        graph = nx.read_gexf(path)
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if fmt == "cytoscape":
        data = json.loads(path.read_text(encoding="utf-8"))
        graph = nx.cytoscape_graph(data)
        assert graph.number_of_edges() == len(data["elements"]["edges"])
        return {"nodes": len(data["elements"]["nodes"]), "edges": len(data["elements"]["edges"])}
    if fmt == "turtle":
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        assert len(rdflib.Graph().parse(path, format="turtle")) == len(triples)
        return {"quads": len(triples)}
    rdf_format = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.JSON_LD
    quads = list(ox.parse(path=str(path), format=rdf_format))
    dataset = rdflib.Dataset()
    dataset.parse(path, format="nquads" if fmt == "nquads" else "json-ld")
    assert len(list(dataset.quads())) == len(quads)
    return {"quads": len(quads)}


@pytest.mark.parametrize("scope", sorted(SCOPES))
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_round_trips(
    seeded: KnowledgeGraph, tmp_path: Path, fmt: str, scope: str
) -> None:
    path = tmp_path / f"export.{EXTENSION[fmt]}"
    summary = export(seeded, fmt, path, **SCOPES[scope])
    assert summary.quads > 0
    expected = (
        {"nodes": summary.nodes, "edges": summary.edges}
        if summary.nodes is not None
        else {"quads": summary.quads}
    )
    assert read_back(path, fmt) == expected


def test_rdf_exports_hold_the_same_quads(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    quads = set(export_quads(seeded, party="Amazon"))
    for fmt in ("nquads", "jsonld"):
        path = tmp_path / f"amazon.{EXTENSION[fmt]}"
        export(seeded, fmt, path, party="Amazon")
        rdf_format = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.JSON_LD
        assert set(ox.parse(path=str(path), format=rdf_format)) == quads, fmt
    path = tmp_path / "amazon.ttl"
    export(seeded, "turtle", path, party="Amazon")
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    assert set(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)) == {
        ox.Quad(t.subject, t.predicate, t.object) for t in triples
    }


def test_whole_export_leaves_out_the_reference_data(seeded: KnowledgeGraph) -> None:
    quads = export_quads(seeded)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert "https://w3id.org/tmkg/id/graph/aws-trademark-article" in graphs
    assert not any(g.endswith(("/graph/ontology", "/graph/reference")) for g in graphs)
    # Every quad of the seed's graphs is there, and their provenance in the default graph.
    named = {q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    stored = {q for g in graphs for q in seeded.store.quads(graph=ox.NamedNode(g))}
    assert named == stored
    provenance = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert {q.subject.value for q in quads if q.predicate == provenance} >= graphs


def test_network_attributes_for_gephi_and_cytoscape(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    export(seeded, "graphml", tmp_path / "aws.graphml", mark="AWS")
    graph = nx.read_graphml(tmp_path / "aws.graphml", force_multigraph=True)
    amazon = graph.nodes["https://w3id.org/tmkg/id/party/amazon"]
    assert amazon["label"] == "Amazon.com Inc." and amazon["type"] == "tm:Company"
    registration = graph.nodes["https://w3id.org/tmkg/id/registration/cn-4249189"]
    assert registration["type"] == "tm:Registration"
    assert registration["tm_registrationNumber"] == "4249189"
    assert graph.nodes["https://w3id.org/tmkg/id/jurisdiction/CN"]["type"] == "tm:Jurisdiction"
    owners = [
        data
        for _, target, data in graph.out_edges(
            "https://w3id.org/tmkg/id/registration/cn-4249189", data=True
        )
        if data["label"] == "owner"
    ]
    assert owners and "graph/" in owners[0]["graphs"]
    export(seeded, "gexf", tmp_path / "aws.gexf", mark="AWS")
    gexf = nx.read_gexf(tmp_path / "aws.gexf")
    assert gexf.nodes["https://w3id.org/tmkg/id/party/amazon"]["label"] == "Amazon.com Inc."
    export(seeded, "cytoscape", tmp_path / "aws.cyjs", mark="AWS")
    data = json.loads((tmp_path / "aws.cyjs").read_text(encoding="utf-8"))
    names = {n["data"]["name"] for n in data["elements"]["nodes"]}
    assert "Amazon.com Inc." in names
    assert all({"source", "target", "label"} <= e["data"].keys() for e in data["elements"]["edges"])


def test_jsonld_embeds_the_published_context(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "wsj.jsonld"
    export(seeded, "jsonld", path, named_graph="https://w3id.org/tmkg/id/graph/curation/wsj")
    document = json.loads(path.read_text(encoding="utf-8"))
    shipped = json.loads((SCHEMA_DIR / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == shipped["@context"] == jsonld_context()
    assert document["@context"]["tmkgContext"] == CONTEXT_URL
    assert document["@context"]["schema"] == "https://schema.org/"
    assert path.read_text(encoding="utf-8").count(CONTEXT_URL) == 1
    # kg load reads it back (no remote context to fetch).
    (named,) = document["@graph"]
    assert named["@id"] == "id:graph/curation/wsj"


def test_context_has_a_term_for_every_ontology_term() -> None:
    ontology = rdflib.Graph().parse(SCHEMA_DIR / "ontology.ttl")
    tm = "https://w3id.org/tmkg/ontology#"
    context = jsonld_context()
    names = {
        str(s)[len(tm) :] for s in ontology.subjects() if str(s).startswith(tm) and str(s) != tm
    }
    missing = sorted(n for n in names if n and n not in context)
    assert missing == []


def test_export_errors(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export(seeded, "dot", tmp_path / "x.dot")
    with pytest.raises(ExportError):
        export_quads(seeded, party="Amazon", mark="AWS")
    with pytest.raises(NotFound):
        export_quads(seeded, named_graph="https://example.org/nothing")
    with pytest.raises(NotFound):
        export_quads(seeded, party="Nobody Inc")


def test_kg_export_command(tmp_path: Path) -> None:
    path = tmp_path / "amazon.gexf"
    result = run_kg(
        "export", "--memory", "--party", "Amazon", "--depth", "2", "-o", path, check=True
    )
    assert "nodes" in result.stderr and path.exists()
    printed = run_kg(
        "export", "--memory", "--format", "nquads",
        "--graph", "https://w3id.org/tmkg/id/graph/curation/wsj", check=True,
    )  # fmt: skip
    assert len(printed.stdout.splitlines()) == 18


def test_dash_means_standard_output_for_export_and_report(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import KG

    for args in (
        ["export", "--memory", "--format", "nquads", "-o", "-"],
        ["report", "--memory", "--mark", "AWS", "--format", "html", "-o", "-"],
    ):
        result = subprocess.run(
            [str(KG), *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(("<https://w3id.org/tmkg/", "<!doctype html>"))
        assert not (tmp_path / "-").exists()  # it used to write a file named "-"
