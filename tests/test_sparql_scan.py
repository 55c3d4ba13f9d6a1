"""The SPARQL text scan that decides what a request may fetch: it must never miss a SERVICE
or LOAD that Oxigraph would run, and should not refuse harmless text."""

from __future__ import annotations

import contextlib

import pytest

from kg.store.sparql_scan import VARIABLE_ENDPOINT, scan_sparql

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
        # A keyword glued to a prefixed name: one name by the grammar, SERVICE to Oxigraph.
        " SERVICE:s { } ",
        " SERVICEr:s{} ",
        " service SILENT:s {} ",
        " SERVICESILENT r:s {} ",
        " Service silentr:s { ?a ?b ?c } ",
    ]
    prologue = (
        f"PREFIX r: <{recorder.url}/> PREFIX : <{recorder.url}/> BASE <{recorder.url}/> "
        "SELECT * WHERE {"
    )
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


def test_no_load_hides_from_the_scan(recorder) -> None:
    """Generated updates: whenever the engine fetches, the scanner named a LOAD."""
    import pyoxigraph as ox
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    operations = [
        f"LOAD <{recorder.url}/l>",
        "LOAD:l",
        "LOADr:l",
        "load SILENT:l",
        "LOADSILENT r:l INTO GRAPH :g",
        "LOAD silent<l>",
        "INSERT DATA { <a> <b> 'load:x' }",
        "CLEAR SILENT GRAPH :load",
        "INSERT { ?s <p> ?o } WHERE { ?s <load:l> ?o }",
        "DELETE WHERE { ?s ?p ?o }",
    ]
    junk = [" ; ", " ", "\n# load:x\n", " {", "} ", ":", "<"]
    prologue = f"PREFIX r: <{recorder.url}/> PREFIX : <{recorder.url}/> BASE <{recorder.url}/> "
    store = ox.Store()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(operations + junk), max_size=8))
    def check(parts: list[str]) -> None:
        update = prologue + " ".join(parts)
        before = len(recorder.hits)
        with contextlib.suppress(SyntaxError, OSError, ValueError, RuntimeError):
            store.update(update)
        if len(recorder.hits) > before:
            assert scan_sparql(update).loads, update

    check()
    assert recorder.hits, "no generated update called the recorder: the test proves nothing"


def test_from_reads_as_the_engine_reads_it() -> None:
    """Generated queries over a store whose only data is in graph :g: the engine's answer
    shows which FROM / FROM NAMED clauses it took; the scanner must name the same graph."""
    import pyoxigraph as ox
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base = "http://g.example/"
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode(base + "s"),
            ox.NamedNode(base + "p"),
            ox.Literal("o"),
            ox.NamedNode(base + "g"),
        )
    )
    heads = ["SELECT *", "SELECT ?s", "SELECT (1 AS ?one)", "ASK", "CONSTRUCT { ?s ?p ?o }"]
    # FROM sets the default graph: the data shows in { ?s ?p ?o } only when :g is taken.
    defaults = ["FROM:g", "FROM :g", "from<g>", "FROM:h", "fromage:x", "#FROM:g\n", " "]
    # FROM NAMED limits GRAPH :g: the data shows when no dataset is given, or :g is named.
    named = ["FROM NAMED:g", "FROMNAMED:g", "from named<g>", "FROM NAMED:h", "FROMNAMED<h>", " "]

    def answer(query: str) -> bool | None:
        try:
            result = store.query(query)
        except (SyntaxError, OSError, ValueError, RuntimeError):
            return None
        return bool(result) if isinstance(result, ox.QueryBoolean) else bool(list(result))

    prologue = f"PREFIX : <{base}> PREFIX fromage: <{base}> BASE <{base}> "

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.sampled_from(heads),
        st.lists(st.sampled_from(defaults), max_size=3),
        st.sampled_from(["{ ?s ?p ?o }", "WHERE { ?s ?p ?o }"]),
    )
    def check_default(head: str, dataset: list[str], body: str) -> None:
        query = f"{prologue}{head} {' '.join(dataset)} {body}"
        found = answer(query)
        if found is not None:
            assert found == (base + "g" in scan_sparql(query).from_graphs), query

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(heads), st.lists(st.sampled_from(named), max_size=3))
    def check_named(head: str, dataset: list[str]) -> None:
        query = f"{prologue}{head} {' '.join(dataset)} {{ GRAPH :g {{ ?s ?p ?o }} }}"
        found = answer(query)
        if found is not None:
            graphs = scan_sparql(query).from_graphs
            assert found == (not graphs or base + "g" in graphs), query

    check_default()
    check_named()
