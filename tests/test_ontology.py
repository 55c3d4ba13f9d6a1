"""The ontology is data: the typed namespace must match it, and every term is documented."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespaces import TM
from kg.resources import PROJECT_ROOT, SCHEMA_DIR

ONTOLOGY = rdflib.Graph().parse(SCHEMA_DIR / "ontology.ttl")
TERMS = {
    str(s)
    for s in ONTOLOGY.subjects()
    if isinstance(s, rdflib.URIRef) and str(s).startswith(str(TM._NS))
}


def test_typed_namespace_matches_the_ontology() -> None:
    declared = {str(TM._NS) + name for name in TM.__annotations__}
    assert declared == TERMS


def test_typos_in_the_namespace_fail() -> None:
    try:
        TM.ownr  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("TM.ownr should not exist")


def test_every_term_has_label_and_comment() -> None:
    for term in TERMS:
        node = rdflib.URIRef(term)
        assert ONTOLOGY.value(node, RDFS.label) is not None, term
        assert ONTOLOGY.value(node, RDFS.comment) is not None, term


def test_contract_terms_and_hierarchy() -> None:
    sub = RDFS.subClassOf
    prov, schema = (
        rdflib.Namespace("http://www.w3.org/ns/prov#"),
        rdflib.Namespace("https://schema.org/"),
    )
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert (TM.Party, sub, prov.Agent) in ONTOLOGY
    assert (TM.Company, sub, schema.Organization) in ONTOLOGY
    assert (TM.Person, sub, schema.Person) in ONTOLOGY
    for party_class in (TM.Company, TM.Court, TM.TrademarkOffice, TM.Person):
        assert (party_class, sub, TM.Party) in ONTOLOGY
    assert (TM.NiceClass, sub, skos.Concept) in ONTOLOGY
    assert (TM.Source, sub, prov.Entity) in ONTOLOGY
    for event in (TM.LawsuitFiled, TM.Judgment, TM.Appeal, TM.MarketEntry):
        assert (event, sub, TM.Event) in ONTOLOGY
    for individual in (TM.FirstToFile, TM.FirstToUse):
        assert (individual, RDF.type, TM.PriorityRule) in ONTOLOGY
    assert (TM.text, RDF.type, OWL.FunctionalProperty) in ONTOLOGY


def test_every_term_is_in_the_ontology_docs() -> None:
    docs = (PROJECT_ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    missing = [t for t in TERMS if f"tm:{t.split('#')[1]}" not in docs]
    assert not missing, f"undocumented in docs/ontology.md: {sorted(missing)}"
