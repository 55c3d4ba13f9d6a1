"""Which of tmkg's own graphs a SPARQL Update writes, read from its text (for remote stores,
which run the text themselves): kg.sparql.update_targets."""

from __future__ import annotations

import pytest

from kg.errors import Forbidden, QueryError
from kg.namespaces import PREFIXES
from kg.sparql.update_targets import MAX_CHECKED_BYTES, check_sendable, own_graph_write
from kg.store.sparql_remote import DEFAULT_GRAPH, update_text

REFERENCE = "https://w3id.org/tmkg/id/graph/reference"
ONTOLOGY = "https://w3id.org/tmkg/id/graph/ontology"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _written(text: str) -> str | None:
    """As the service reads an update for a remote store: the text sent, prologue included."""
    return own_graph_write(update_text(text, PREFIXES, None), default_graph=DEFAULT_GRAPH)


@pytest.mark.parametrize(
    ("update", "graph"),
    [
        # INSERT DATA: a quad in one of the graphs, or a statement about one in the default graph
        (f"INSERT DATA {{ GRAPH <{REFERENCE}> {{ <http://e/s> <http://e/p> 1 }} }}", REFERENCE),
        (f"INSERT DATA {{ GRAPH <{ONTOLOGY}> {{ <http://e/s> a tm:Mark }} }}", ONTOLOGY),
        (f'INSERT DATA {{ <{ONTOLOGY}> {LABEL} "y" }}', ONTOLOGY),
        (
            f"INSERT DATA {{ GRAPH <urn:mine> {{ <urn:a> <urn:b> 1 }} "
            f"GRAPH <{REFERENCE}> {{ <urn:a> <urn:b> 2 }} }}",
            REFERENCE,
        ),
        # the same graphs spelled otherwise: a relative IRI, a prefix of the user's own
        (
            f"BASE <{REFERENCE[:-9]}> INSERT DATA {{ GRAPH <reference> {{ <urn:a> <urn:b> 1 }} }}",
            REFERENCE,
        ),
        (
            f"PREFIX g: <{REFERENCE[:-9]}> INSERT DATA {{ GRAPH g:ontology {{ <urn:a> <urn:b> 1 }} }}",
            ONTOLOGY,
        ),
        # INSERT templates: a named graph, WITH, a default-graph triple about one of them
        (
            f"INSERT {{ GRAPH <{REFERENCE}> {{ ?s <http://e/p> 1 }} }} WHERE {{ ?s a ?c }}",
            REFERENCE,
        ),
        (f"WITH <{ONTOLOGY}> INSERT {{ ?s {LABEL} 'x' }} WHERE {{ ?s a ?c }}", ONTOLOGY),
        (
            f"WITH <{ONTOLOGY}> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}",
            ONTOLOGY,
        ),
        (f"INSERT {{ <{REFERENCE}> {LABEL} ?n }} WHERE {{ ?s {LABEL} ?n }}", REFERENCE),
        (
            f"DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }} "
            "WHERE { ?s ?p ?o }",
            ONTOLOGY,
        ),
        # graph management into one of them
        (f"COPY DEFAULT TO <{ONTOLOGY}>", ONTOLOGY),
        (f"MOVE <urn:mine> TO GRAPH <{REFERENCE}>", REFERENCE),
        (f"ADD SILENT <urn:mine> TO <{REFERENCE}>", REFERENCE),
        (f"LOAD <https://example.org/x.ttl> INTO GRAPH <{ONTOLOGY}>", ONTOLOGY),
        # tmkg's default graph on the server, named: statements about them there
        (f"INSERT DATA {{ GRAPH <{DEFAULT_GRAPH}> {{ <{REFERENCE}> {LABEL} 'x' }} }}", REFERENCE),
        (f"WITH <{DEFAULT_GRAPH}> INSERT {{ <{ONTOLOGY}> {LABEL} 'x' }} WHERE {{}}", ONTOLOGY),
        # a prefix declared by an earlier operation stays declared (SPARQL 1.1 Update, 3):
        # tmkg's own declaration of rdfs:, put in front, does not come back (helper-98 fault 1)
        (
            f"PREFIX rdfs: <{REFERENCE[:-9]}> INSERT DATA {{ GRAPH <urn:x> {{ <urn:a> <urn:p> 1 }} }}"
            f" ; INSERT DATA {{ GRAPH rdfs:reference {{ <urn:a> <urn:p> 2 }} }}",
            REFERENCE,
        ),
        (
            "INSERT DATA { <urn:a> <urn:p> 1 } ; "
            f"PREFIX tm: <{ONTOLOGY[:-8]}> INSERT DATA {{ GRAPH tm:ontology {{ <urn:a> <urn:p> 1 }} }}",
            ONTOLOGY,
        ),
        # a later operation of several
        (
            f"CLEAR GRAPH <urn:mine> ; INSERT DATA {{ GRAPH <{REFERENCE}> {{ <urn:a> <urn:b> 1 }} }}",
            REFERENCE,
        ),
    ],
)
def test_writes_into_tmkgs_own_graphs_are_found(update: str, graph: str) -> None:
    assert _written(update) == graph


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <urn:mine> { <urn:a> <urn:b> 1 } }",
        "INSERT DATA { <urn:a> <urn:b> 1 }",
        f"INSERT DATA {{ GRAPH <urn:mine> {{ <{REFERENCE}> {LABEL} 'a note on it' }} }}",
        "INSERT { ?s tm:note 1 } WHERE { ?s a tm:Mark }",  # the subject is the caller's to check
        f"DELETE DATA {{ GRAPH <{REFERENCE}> {{ <urn:a> <urn:b> 1 }} }}",
        f"DELETE WHERE {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }}",
        "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"CLEAR GRAPH <{REFERENCE}>",
        f"DROP SILENT GRAPH <{ONTOLOGY}> ; CLEAR ALL",
        f"CREATE SILENT GRAPH <{ONTOLOGY}>",
        f"COPY <{REFERENCE}> TO <urn:mine>",
        f"WITH <urn:mine> INSERT {{ <{REFERENCE}> {LABEL} 'x' }} WHERE {{}}",
        f"INSERT {{ GRAPH <urn:mine> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{REFERENCE}> {{ ?s ?p ?o }} }}",
    ],
)
def test_other_updates_write_none_of_them(update: str) -> None:
    assert _written(update) is None


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { GRAPH ?g { <urn:a> <urn:b> 1 } } WHERE { GRAPH ?g { } }",
        "INSERT { GRAPH <urn:mine> { ?s ?p ?o } GRAPH ?h { ?s ?p 1 } } WHERE { GRAPH ?h { ?s ?p ?o } }",
        "DELETE { ?s ?p ?o } INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { BIND(<urn:x> AS ?g) ?s ?p ?o }",
    ],
)
def test_a_template_naming_its_graph_by_a_variable_is_refused(update: str) -> None:
    with pytest.raises(Forbidden, match=r"GRAPH \?(g|h)"):
        _written(update)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { oops",
        f"INSERT INTO GRAPH <{REFERENCE}> {{ <urn:a> <urn:b> 1 }}",  # Virtuoso's SPARUL form
        "INSERT DATA { GRAPH undeclared:g { <urn:a> <urn:b> 1 } }",
        "SELECT * WHERE { ?s ?p ?o }",
        "",
    ],
)
def test_a_text_not_read_as_sparql_11_update_is_a_query_error(update: str) -> None:
    if update == "":
        assert _written(update) is None  # an empty update is a valid one, doing nothing
        return
    with pytest.raises(QueryError, match="SPARQL Update not understood"):
        _written(update)


@pytest.mark.parametrize(
    "update",
    [
        # SPARQL 1.1 (19.2) and rdflib expand \u before parsing; Virtuoso only in strings and
        # IRIs: one text, two readings (helper-98 fault 2)
        'INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:p> "A\\u0022, " } }',
        "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:p> '\\U0001F600' } }",
        f"INSERT DATA {{ GRAPH <{REFERENCE[:-9]}\\u0072eference> {{ <urn:a> <urn:p> 1 }} }}",
        "x" * (MAX_CHECKED_BYTES + 1),
        "INSERT DATA { <urn:a> <urn:p> '" + "é" * (MAX_CHECKED_BYTES // 2) + "' }",
    ],
)
def test_what_two_parsers_could_read_differently_is_not_sent(update: str) -> None:
    with pytest.raises(QueryError, match=r"\\u or \\U escape|bytes"):
        check_sendable(update)


def test_a_large_update_is_read_whole() -> None:
    """The largest update checked: its last statement is seen (the parse tree is read, not
    rdflib's algebra, which reorders template triples in quadratic time: 1,600 triples 17 s)."""
    triple = '<urn:s{}> <urn:p> "v" .'
    body = " ".join(triple.format(i) for i in range(MAX_CHECKED_BYTES // 30))
    text = f"INSERT DATA {{ GRAPH <urn:g> {{ {body} }} <{REFERENCE}> {LABEL} 1 }}"
    check_sendable(update_text(text, PREFIXES, None))
    assert _written(text) == REFERENCE
