"""The protocol-independent SPARQL service: limits, updates and snapshots on an in-memory store,
and the address check behind the SERVICE/LOAD allow-list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.errors import Forbidden, QueryError, QueryTimeout
from kg.reference import kept_by_tmkg
from kg.sparql.service import SparqlService, check_public_endpoint
from tests.sparql_support import seeded_service


@pytest.fixture
def service() -> Iterator[SparqlService]:
    settings = Settings(memory=True, update_token="t", query_timeout=1.0, max_rows=5)
    with seeded_service(settings) as running:
        yield running


def _boolean(service: SparqlService, query: str) -> bool:
    return json.loads(service.query(query).body)["boolean"]


def test_update_on_a_memory_store_is_seen_by_the_workers(service: SparqlService) -> None:
    ask = "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    assert _boolean(service, ask) is False
    service.update(
        "INSERT DATA { GRAPH <http://example.org/g> { <http://e/s> <http://e/p> 1 } }", token="t"
    )
    assert _boolean(service, ask) is True  # the workers moved to a fresh copy


def test_refused_and_failed_updates_change_nothing(service: SparqlService) -> None:
    before = set(service.graph.store.quads())
    insert = "INSERT DATA { <http://e/s> <http://e/p> 1 }"
    with pytest.raises(Forbidden):
        service.update(insert, token="wrong")
    with pytest.raises(Forbidden):
        service.update(insert, token=None)
    with pytest.raises(QueryError, match="nothing was changed"):
        service.update(
            insert + " ; CREATE GRAPH <https://w3id.org/tmkg/id/graph/ontology>", token="t"
        )
    with pytest.raises(Forbidden, match="LOAD"):
        service.update("LOAD <http://example.org/data.ttl>", token="t")
    assert set(service.graph.store.quads()) == before


REFERENCE = "https://w3id.org/tmkg/id/graph/reference"
ONTOLOGY = "https://w3id.org/tmkg/id/graph/ontology"


@pytest.mark.parametrize(
    "update",
    [
        f"INSERT DATA {{ GRAPH <{REFERENCE}> {{ <http://e/s> <http://e/p> 1 }} }}",
        f"INSERT DATA {{ GRAPH <{ONTOLOGY}> {{ <http://e/s> <http://e/p> 1 }} }}",
        f"INSERT {{ GRAPH <{REFERENCE}> {{ ?s <http://e/p> 1 }} }} WHERE {{ ?s a ?c }}",
        f"COPY DEFAULT TO <{ONTOLOGY}>",
        f'INSERT DATA {{ <{REFERENCE}> <http://www.w3.org/2000/01/rdf-schema#comment> "x" }}',
        f'INSERT DATA {{ <{ONTOLOGY}> <http://www.w3.org/2000/01/rdf-schema#label> "y" }}',
    ],
)
def test_an_update_adding_to_tmkgs_own_graphs_is_refused(
    service: SparqlService, update: str
) -> None:
    """tmkg brings its ontology and reference graphs back to the shipped content at each
    opening: what an update adds there would be lost without a word."""
    before = set(service.graph.store.quads())
    with pytest.raises(Forbidden, match="tmkg's own reference data"):
        service.update(update, token="t")
    assert set(service.graph.store.quads()) == before


NICE_42 = "https://w3id.org/tmkg/id/nice/42"


@pytest.mark.parametrize(
    "update",
    [
        f"DELETE DATA {{ GRAPH <{REFERENCE}> {{ <{NICE_42}> a tm:NiceClass }} }}",
        f"DELETE WHERE {{ GRAPH ?g {{ <{NICE_42}> ?p ?o }} }}",
        f"DELETE WHERE {{ GRAPH <{REFERENCE}> {{ ?s a tm:NiceClass }} }}",
        f"CLEAR GRAPH <{ONTOLOGY}>",
        f"DROP SILENT GRAPH <{REFERENCE}>",
        f"MOVE <{REFERENCE}> TO <http://e/stolen>",
        "PREFIX g: <https://w3id.org/tmkg/id/graph/> CLEAR GRAPH g:reference",
        f"DELETE WHERE {{ <{REFERENCE}> ?p ?o }}",
    ],
)
def test_an_update_removing_from_tmkgs_own_graphs_by_name_is_refused(
    service: SparqlService, update: str
) -> None:
    """helper-109 F3: these answered 204 and did nothing (MOVE copied): the removal was
    dropped without a word. Naming the graph or the subject is asking for it: refused."""
    before = set(service.graph.store.quads())
    with pytest.raises(Forbidden, match=r"removes from or about .* tmkg's own reference data"):
        service.update(update, token="t")
    assert set(service.graph.store.quads()) == before


def test_an_update_clearing_everything_keeps_tmkgs_own_graphs(service: SparqlService) -> None:
    """CLEAR ALL empties the user's graphs; the ontology and reference data stay, and their
    descriptions in the default graph, as the next opening would restore them."""
    store = service.graph.store
    kept = {quad for quad in store.quads() if kept_by_tmkg(quad)}
    assert any(isinstance(quad.graph_name, ox.DefaultGraph) for quad in kept)
    assert any(not kept_by_tmkg(quad) for quad in store.quads())
    service.update("CLEAR ALL", token="t")
    assert set(store.quads()) == kept


def test_timeout_and_row_limit(service: SparqlService) -> None:
    with pytest.raises(QueryTimeout, match="1 s limit"):
        service.query("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    answer = service.query("SELECT * { ?s ?p ?o }", results_format="csv")
    assert answer.truncated and answer.rows == 5
    assert len(answer.body.decode().strip().splitlines()) == 6  # header + 5 rows


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/sparql",
        "http://127.0.0.2:8080/sparql",
        "http://[::1]/sparql",
        "http://[::ffff:127.0.0.1]/sparql",
        "http://169.254.169.254/latest/meta-data",
        "http://192.168.1.10/sparql",
        "http://100.64.0.1/sparql",
        "http://0.0.0.0/sparql",
        "ftp://8.8.8.8/sparql",
        "http://no-such-host.invalid/sparql",
    ],
)
def test_non_public_endpoints_are_refused(url: str) -> None:
    with pytest.raises(Forbidden):
        check_public_endpoint(url)


def test_a_public_address_passes() -> None:
    check_public_endpoint("https://8.8.8.8/sparql")


def test_allow_listed_service_still_checks_the_address(service: SparqlService) -> None:
    settings = Settings(memory=True, allowed_endpoints=("http://127.0.0.1:9/sparql",))
    guarded = SparqlService(service.graph, settings)
    with pytest.raises(Forbidden, match="loopback"):
        guarded.query("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    guarded.close()


def test_a_byte_order_mark_before_a_query_or_update_is_dropped(service: SparqlService) -> None:
    for query in ("\ufeffASK {}", "\ufeffPREFIX ex: <http://e/> ASK { ?s ?p ?o }"):
        assert service.query(query).kind == "boolean"
    token = service.settings.update_token
    service.update("\ufeffINSERT DATA { GRAPH <urn:x:bom> { <urn:x:s> <urn:x:p> 1 } }", token=token)
    assert _boolean(service, "ASK { GRAPH <urn:x:bom> { ?s ?p ?o } }")
    service.update("DROP GRAPH <urn:x:bom>", token=token)


def test_a_dropped_graph_is_gone_not_left_empty(service: SparqlService) -> None:
    token = service.settings.update_token
    for drop in (
        "DROP GRAPH <urn:x:g2>",
        "CLEAR GRAPH <urn:x:g2>",
        "DELETE WHERE { GRAPH <urn:x:g2> { ?s ?p ?o } }",
    ):
        service.update("INSERT DATA { GRAPH <urn:x:g2> { <urn:x:s> <urn:x:p> 1 } }", token=token)
        service.update(drop, token=token)
        assert "urn:x:g2" not in {g.value for g in service.graph.store.named_graphs()}, drop
        service.update("CREATE GRAPH <urn:x:g2>", token=token)  # it does not exist any more


@pytest.mark.parametrize("on_disk", [False, True])
def test_an_update_of_a_blank_node_keeps_it_connected(on_disk: bool, tmp_path: Path) -> None:
    """DELETE/INSERT on a blank node's statement: the new value is the same node's (the
    effect is applied as quads, and INSERT DATA would make a new node of each label)."""
    settings = Settings(
        memory=not on_disk,
        store_path=tmp_path / "store" if on_disk else None,
        update_token="t",
        query_timeout=5.0,
    )
    graph = KnowledgeGraph.open(settings)
    running = SparqlService(graph, settings)
    try:
        running.update(
            'INSERT DATA { GRAPH <urn:g> { <urn:r> <urn:pc> _:b . _:b <urn:n> "X1" ; <urn:d> "1" } }',
            token="t",
        )
        running.update(
            'DELETE { GRAPH ?g { ?c <urn:d> ?d } } INSERT { GRAPH ?g { ?c <urn:d> "2" } } '
            'WHERE { GRAPH ?g { ?c <urn:n> "X1" ; <urn:d> ?d } }',
            token="t",
        )
        assert _boolean(running, 'ASK { <urn:r> <urn:pc> ?c . ?c <urn:n> "X1" ; <urn:d> "2" }')
        assert not _boolean(running, 'ASK { ?c <urn:d> "1" }')
    finally:
        running.close()
        graph.close()


@pytest.mark.parametrize(
    "graph", ["urn:tmkg:validation:context", "urn:tmkg:validation:reference", "urn:tmkg:x"]
)
def test_an_update_adding_to_a_working_graph_of_tmkgs_is_refused(
    service: SparqlService, graph: str
) -> None:
    """A load's checks write and remove graphs of their own (`urn:tmkg:`): what an update
    put there would be removed by the next load (helper-114 F6)."""
    before = set(service.graph.store.quads())
    with pytest.raises(Forbidden, match="while it checks a load"):
        service.update(
            f"INSERT DATA {{ GRAPH <{graph}> {{ <http://e/s> <http://e/p> 1 }} }}", token="t"
        )
    assert set(service.graph.store.quads()) == before
