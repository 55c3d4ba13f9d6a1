"""The SPARQL text scan that decides what a request may fetch: it must never miss a SERVICE
or LOAD that Oxigraph would run, and should not refuse harmless text."""

from __future__ import annotations

import contextlib

import pytest

from kg.sparql_scan import VARIABLE_ENDPOINT, scan_sparql

PREFIXES = {"tm": "https://w3id.org/tmkg/ontology#"}


@pytest.mark.parametrize(
    ("query", "services"),
    [
        ("SELECT * { SERVICE <http://a/s> { ?s ?p ?o } }", ("http://a/s",)),
        ("select * { service silent <http://a/s> {} }", ("http://a/s",)),
        ("SELECT * { SERVICE<http://a/s>{} }", ("http://a/s",)),
        ("SELECT * {\n#x\nSERVICE#c\n<http://a/s>{} }", ("http://a/s",)),
        ("PREFIX e: <http://a/> SELECT * { SERVICE e:s {} }", ("http://a/s",)),
        ("BASE <http://a/b/> SELECT * { SERVICE <../s> {} }", ("http://a/s",)),
        ("SELECT * { SERVICE tm:x {} }", ("https://w3id.org/tmkg/ontology#x",)),
        ("SELECT * { SERVICE ?e {} }", (VARIABLE_ENDPOINT,)),
        ("SELECT * { SERVICE unknown:x {} }", (VARIABLE_ENDPOINT,)),
        ("SELECT * { SERVICE <http://\\u0061/s> {} }", ("http://a/s",)),
        ("SELECT * { ?s ?p ?o FILTER(?o<3) SERVICE <http://a/s> {} }", ("http://a/s",)),
        ('SELECT * { ?s ?p "a" . SERVICE <http://a/s> {} ?s ?p "b" }', ("http://a/s",)),
        ("SELECT * { ?s ?p '''it's''' SERVICE <http://a/s> {} }", ("http://a/s",)),
        ("SELECT * { FILTER(?a-SERVICE <http://a/s> {}) }", ("http://a/s",)),
        ('SELECT * { ?s ?p "SERVICE <http://a/s> {}" }', ()),
        ("SELECT * { ?s ?p '''\nSERVICE <http://a/s> {}\n''' }", ()),
        ("SELECT * { # SERVICE <http://a/s> {}\n ?s ?p ?o }", ()),
        ("SELECT ?service { ?service <http://a/SERVICE> ?x }", ()),
        ('SELECT * { ?s ?p "x"@service }', ()),
        ('SELECT * { ?s ?p "x"@en-service }', ()),
        ("PREFIX service: <http://a/> SELECT * { ?s service:SERVICE ?o }", ()),
    ],
)
def test_service_endpoints_are_found_wherever_oxigraph_would_see_them(
    query: str, services: tuple[str, ...]
) -> None:
    assert scan_sparql(query, PREFIXES).services == services


def test_form_load_and_from() -> None:
    assert scan_sparql("PREFIX a: <http://a/> ASK {}").form == "ASK"
    assert scan_sparql("SELECT * { { SELECT ?x {} } }").form == "SELECT"
    assert scan_sparql("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert scan_sparql("INSERT DATA {}").form is None
    load = scan_sparql("CLEAR ALL ; LOAD SILENT <http://a/d.ttl> INTO GRAPH <http://g>")
    assert load.loads == ("http://a/d.ttl",)
    assert scan_sparql("SELECT * FROM <http://g/1> FROM NAMED <http://g/2> {}").from_graphs == (
        "http://g/1",
        "http://g/2",
    )
    assert scan_sparql("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").has_dataset_clause


# Fragments that make valid and broken queries around a real SERVICE call; the engine itself
# (pyoxigraph, which does call SERVICE endpoints) tells whether a call happened.
_JUNK = [
    ' "x" ',
    " 'y' ",
    ' """a\nb""" ',
    " '''c''' ",
    " # note\n",
    " ?s ?p ?o . ",
    " FILTER(?a<3) ",
    ' BIND("x"@en-service AS ?v) ',
    " OPTIONAL { ?a ?b ?c } ",
    ' "',
    " '",
    " #",
    "\n",
    "<",
    ">",
    "-",
    "\\",
    "{",
    "}",
    " ?a",
    "@",
]


@pytest.fixture(scope="module")
def recorder():
    from tests.sparql_support import RecordingServer

    server = RecordingServer()
    yield server
    server.close()


def test_no_service_call_hides_from_the_scan(recorder) -> None:
    import pyoxigraph as ox
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    calls = [
        f" SERVICE <{recorder.url}/s> {{ }} ",
        f" service silent <{recorder.url}/s> {{ ?x ?y ?z }} ",
        f" SERVICE<{recorder.url}/s>{{}}",
        " SERVICE r:s { } ",
        " SERVICE\n#c\n<r> {} ",
    ]
    prologue = f"PREFIX r: <{recorder.url}/> BASE <{recorder.url}/> SELECT * WHERE {{"
    store = ox.Store()

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(_JUNK + calls), max_size=12))
    def check(parts: list[str]) -> None:
        query = prologue + "".join(parts) + " }"
        before = len(recorder.hits)
        with contextlib.suppress(SyntaxError, OSError, ValueError, RuntimeError):
            list(store.query(query))
        if len(recorder.hits) > before:
            assert scan_sparql(query).services, query

    check()
    assert recorder.hits, "no generated query called the recorder: the test proves nothing"
