"""The seed case: its facts, their sources, and the article's contradictions kept as claims."""

from __future__ import annotations

from kg import KnowledgeGraph

ARTICLE = "https://w3id.org/tmkg/id/graph/aws-trademark-article"


def names(graph: KnowledgeGraph, sparql: str, variable: str = "x") -> set[str]:
    return {row[variable].value for row in graph.query(sparql)}


def test_every_named_graph_is_derived_from_a_described_source(seeded: KnowledgeGraph) -> None:
    rows = list(
        seeded.query(
            """SELECT DISTINCT ?g ?source ?title WHERE {
                 GRAPH ?g { ?s ?p ?o }
                 FILTER(!STRSTARTS(STR(?g), "https://w3id.org/tmkg/id/graph/ontology")
                        && ?g != id:graph\\/reference)
                 OPTIONAL { ?g prov:wasDerivedFrom ?source . ?source dcterms:title ?title }
               }"""
        )
    )
    assert len(rows) >= 12
    missing = [row["g"].value for row in rows if row["title"] is None]
    assert not missing, f"graphs without a described source: {missing}"


def test_article_parties_and_court(seeded: KnowledgeGraph) -> None:
    parties = names(
        seeded,
        f"""SELECT ?x WHERE {{ GRAPH <{ARTICLE}> {{ ?p a ?type ; schema:name ?x }}
                             ?type rdfs:subClassOf* tm:Party }}""",
    )
    assert {
        "Amazon.com Inc.",
        "Beijing Yanhuang Yingxing Technology Development Co.",
        "Beijing ActionSoft Science & Technology Development Co.",
        "Huanghuanxin.com",
        "Beijing High People's Court",
    } <= parties


def test_aws_registration_with_owner_dates_and_source(seeded: KnowledgeGraph) -> None:
    rows = list(
        seeded.query(
            """SELECT ?owner ?filed ?granted ?title WHERE {
                 GRAPH ?g { ?r a tm:Registration ; tm:mark/tm:text "AWS" ; tm:owner ?o ;
                               tm:filingDate ?filed ; tm:registrationDate ?granted }
                 ?o schema:name ?owner .
                 ?g prov:wasDerivedFrom/dcterms:title ?title }"""
        )
    )
    found = {(r["owner"].value, r["filed"].value, r["granted"].value) for r in rows}
    assert (
        "Beijing ActionSoft Science & Technology Development Co.",
        "2004",
        "2008-02-07",
    ) in found
    assert any(filed == "2004-09" for _, filed, _ in found)


def test_article_contradiction_is_kept_not_corrected(seeded: KnowledgeGraph) -> None:
    payers = names(
        seeded,
        f"SELECT ?x WHERE {{ GRAPH <{ARTICLE}> {{ ?j a tm:Judgment ; tm:payer ?x }} }}",
    )
    assert payers == {
        "https://w3id.org/tmkg/id/party/amazon",
        "https://w3id.org/tmkg/id/party/beijing-yanhuang-yingxing",
    }
    amounts = names(seeded, "SELECT ?x WHERE { ?j a tm:Judgment ; tm:damages ?x }")
    assert {"76460000", "76463000"} <= amounts


def test_curation_links_the_two_plaintiff_names(seeded: KnowledgeGraph) -> None:
    assert seeded.ask(
        """ASK { GRAPH ?g { id:party\\/beijing-yanhuang-yingxing owl:sameAs id:party\\/beijing-actionsoft }
                 ?g a tm:CurationGraph }"""
    )
    assert not seeded.ask(f"ASK {{ GRAPH <{ARTICLE}> {{ ?a owl:sameAs ?b }} }}")


def test_curated_operators_and_case_number(seeded: KnowledgeGraph) -> None:
    assert seeded.ask('ASK { ?c a tm:Case ; tm:caseNumber "(2018)京民初127号" }')
    operators = names(
        seeded,
        "SELECT ?x WHERE { ?u a tm:Use ; tm:onBehalfOf id:party\\/amazon ; tm:user/schema:name ?x }",
    )
    assert any("Sinnet" in name for name in operators)
    assert any("Western Cloud" in name or "NWCD" in name for name in operators)


def test_amazons_first_use_claim(seeded: KnowledgeGraph) -> None:
    assert seeded.ask(
        """ASK { ?c a tm:Claim ; tm:claimant id:party\\/amazon ; tm:claimKind tm:FirstUseClaim ;
                    tm:jurisdiction id:jurisdiction\\/CN }"""
    )


def test_seed_is_detected_and_idempotent(seeded: KnowledgeGraph) -> None:
    assert seeded.has_seed()
    assert seeded.load_seed().quads_added == 0
