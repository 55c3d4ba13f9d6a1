"""Writes through any shell reach every reader: analysis caches and query workers."""

from __future__ import annotations

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.sparql.service import SparqlService


def test_an_authorised_sparql_update_is_seen_by_the_analyses() -> None:
    settings = Settings(memory=True, update_token="t")
    graph = KnowledgeGraph.open(settings)
    graph.load_seed()
    service = SparqlService(graph, settings)
    try:
        analyst = Analyst(graph)
        before = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN", excluding="Amazon")
        assert "Acme Cloud" not in {hit.party.name for hit in before}
        generation = graph.generation
        service.update(
            """INSERT DATA { GRAPH id:graph\\/acme {
                 id:party\\/acme a tm:Company ; schema:name "Acme Cloud" .
                 id:use\\/acme-aws a tm:Use ; tm:mark id:mark\\/aws ; tm:user id:party\\/acme ;
                   tm:jurisdiction id:jurisdiction\\/CN ; tm:niceClass id:nice\\/42 } }""",
            token="t",
        )
        after = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN", excluding="Amazon")
        assert "Acme Cloud" in {hit.party.name for hit in after}
        assert graph.generation == generation + 1
    finally:
        service.close()
        graph.close()
