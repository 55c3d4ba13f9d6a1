"""tmkg's closed vocabulary (issue 13, item 9): a term in the ontology's namespace that the
ontology does not define fails validation, naming the term, where, and the closest defined terms,
in both engines, in `kg load`, `kg validate`, `kg import` and ``POST /load``; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings, ValidationError
from kg.graph import seed_files
from kg.ingest import vocabulary
from kg.ingest.load import parse_bytes, parse_file
from kg.ingest.validate import validate_quads
from kg.ingest.vocabulary import TM_NAMESPACE, defined_terms, similar_terms
from kg.reference import reference_quads
from kg.registries import mapping
from kg.registries.importer import import_registry
from tests.conftest import DATA, all_quads, run_kg
from tests.test_load import GOOD, PREFIXES
from tests.test_load_sources import Client

REGISTRATION = (
    "reg:us-2 a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; "
    "tm:jurisdiction cc:US ; tm:niceClass nice:9 ; "
)
# each: a fragment added to GOOD, and what the error must say
MISSPELT = [
    pytest.param(
        REGISTRATION + 'tm:filingdate "2001-02-03"^^xsd:date .',
        "id:registration/us-2: tm:filingdate is not a tmkg term; did you mean tm:filingDate?",
        id="property-case",
    ),
    pytest.param(
        REGISTRATION + 'tm:registeredOn "2003-04-05"^^xsd:date .',
        "tm:registeredOn is not a tmkg term; did you mean tm:registration or tm:registrationDate or tm:registrationNumber?",
        id="property",
    ),
    pytest.param(
        REGISTRATION + 'tm:regstrationNumber "77" .',
        "tm:regstrationNumber is not a tmkg term; did you mean tm:registrationNumber",
        id="property-letter",
    ),
    pytest.param(
        REGISTRATION + '<https://w3id.org/tmkg/ontology/filingDate> "2001-02-03"^^xsd:date .',
        "<https://w3id.org/tmkg/ontology/filingDate> is not a tmkg term (the namespace is "
        "<https://w3id.org/tmkg/ontology#>); did you mean tm:filingDate?",
        id="namespace-slash",
    ),
    pytest.param(
        'party:beta a <https://w3id.org/tmkg/ontologyCompany> ; schema:name "Beta" .',
        "<https://w3id.org/tmkg/ontologyCompany> is not a tmkg term (the namespace is "
        "<https://w3id.org/tmkg/ontology#>); did you mean tm:Company?",
        id="namespace-glued",
    ),
    pytest.param(
        'party:beta a tm:Compnay ; schema:name "Beta" .',
        "id:party/beta: tm:Compnay is not a tmkg term; did you mean tm:Company?",
        id="class",
    ),
    pytest.param(
        'party:beta a tm:company ; schema:name "Beta" .',
        "tm:company is not a tmkg term; did you mean tm:Company?",
        id="class-case",
    ),
    pytest.param(
        "cc:US tm:priorityRule tm:FirstToFlie .",
        "id:jurisdiction/US: tm:FirstToFlie is not a tmkg term; did you mean tm:FirstToFile",
        id="object",
    ),
    pytest.param(
        "tm:Trademark a <http://www.w3.org/2002/07/owl#Class> .",
        "tm:Trademark: tm:Trademark is not a tmkg term",
        id="subject",
    ),
    pytest.param(
        'mark:acme tm:text "ACME"^^tm:string .',
        "tm:string is not a tmkg term",
        id="datatype",
    ),
    pytest.param(
        'reg:us-1 tm:xyzzy "1" .',
        "tm:xyzzy is not a tmkg term; the terms are listed in docs/ontology.md",
        id="no-close-match",
    ),
]


def bad_text(fragment: str) -> str:
    return GOOD + fragment + "\n"


def test_the_defined_terms_are_the_ontologys() -> None:
    named = {
        q.subject.value[len(TM_NAMESPACE) :]
        for q in reference_quads()
        if q.subject.value.startswith(TM_NAMESPACE)
    }
    assert set(defined_terms()) == named
    assert {"filingDate", "Company", "FirstToFile", "status"} <= named


def test_a_term_the_ontology_gains_is_known_without_a_code_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gained = ox.Quad(
        ox.NamedNode(TM_NAMESPACE + "oppositionDate"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://www.w3.org/2002/07/owl#DatatypeProperty"),
    )
    monkeypatch.setattr(vocabulary, "reference_quads", lambda: (*reference_quads(), gained))
    vocabulary.defined_terms.cache_clear()
    try:
        assert vocabulary.defined_terms()["oppositionDate"] == "property"
        use = ox.Quad(ox.NamedNode("https://example.org/o"), gained.subject, ox.Literal("2020"))
        assert not vocabulary.undefined_terms([use])
    finally:
        vocabulary.defined_terms.cache_clear()


def test_a_case_error_suggests_the_term_of_the_kind_its_place_calls_for() -> None:
    assert similar_terms("CASE", "class") == ["Case", "case"]
    assert similar_terms("CASE", "property") == ["case", "Case"]


@pytest.mark.parametrize(("fragment", "expected"), MISSPELT)
@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_both_engines_refuse_an_undefined_term(fragment: str, expected: str, engine: str) -> None:
    parsed = parse_bytes(
        bad_text(fragment).encode(), name="typo.ttl", rdf_format=ox.RdfFormat.TURTLE
    )
    report = validate_quads(
        list(parsed.quads), origins={q.subject: "typo.ttl" for q in parsed.quads}, engine=engine
    )
    lines = [line for line in report.violations if "is not a tmkg term" in line]
    assert len(lines) == 1, report.violations
    assert expected in lines[0]
    assert lines[0].startswith("typo.ttl: ")


def test_a_term_is_reported_once_with_its_count() -> None:
    text = PREFIXES + "".join(f'party:p{i} a tm:Compnay ; schema:name "P{i}" .\n' for i in range(3))
    parsed = parse_bytes(text.encode(), name="many.ttl", rdf_format=ox.RdfFormat.TURTLE)
    lines = [v for v in validate_quads(list(parsed.quads)).violations if "tmkg term" in v]
    assert lines == [
        "id:party/p0: tm:Compnay is not a tmkg term; did you mean tm:Company? (in 3 statements)"
    ]


@pytest.mark.parametrize(("fragment", "expected"), MISSPELT)
def test_load_refuses_an_undefined_term_and_writes_nothing(
    disk_graph: KnowledgeGraph, tmp_path: Path, fragment: str, expected: str
) -> None:
    path = tmp_path / "typo.ttl"
    path.write_text(bad_text(fragment), encoding="utf-8")
    before = all_quads(disk_graph)
    with pytest.raises(ValidationError) as raised:
        disk_graph.load([path])
    assert expected in str(raised.value)
    assert f"{path}: " in str(raised.value)
    assert all_quads(disk_graph) == before


def test_kg_validate_and_kg_load_name_the_term(tmp_path: Path) -> None:
    store = tmp_path / "store"
    path = tmp_path / "typo.ttl"
    path.write_text(bad_text(REGISTRATION + 'tm:filingdate "2001-02-03"^^xsd:date .'), "utf-8")
    expected = f"{path}: id:registration/us-2: tm:filingdate is not a tmkg term; did you mean tm:filingDate?"
    run_kg("load", "--store", store, DATA / "own-case.ttl", check=True)
    count = ("query", "--store", store, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    before = run_kg(*count, check=True).stdout
    for command in ("validate", "load"):
        result = run_kg(command, "--store", store, path)
        assert result.returncode == 5, result.stderr
        assert expected in result.stderr
        assert "valid:" not in result.stdout
    assert run_kg(*count, check=True).stdout == before


def test_kg_import_refuses_a_graph_named_in_tmkgs_namespace(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run_kg(
        "import",
        "--store",
        store,
        "--graph",
        TM_NAMESPACE + "Registrations",
        DATA / "registry-sample.csv",
    )
    assert result.returncode == 5, result.stderr
    assert "tm:Registrations is not a tmkg term; did you mean tm:Registration" in result.stderr


def test_an_import_mapping_onto_an_undefined_term_is_refused(
    disk_graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a register mapping (status codes, kinds of mark) that names a term the ontology lacks
    terms = dict(mapping._TERM, filingDate=ox.NamedNode(TM_NAMESPACE + "filingdate"))
    monkeypatch.setattr(mapping, "_TERM", terms)
    before = all_quads(disk_graph)
    with pytest.raises(ValidationError) as raised:
        import_registry(disk_graph, [DATA / "registry-sample.csv"])
    assert "tm:filingdate is not a tmkg term; did you mean tm:filingDate?" in str(raised.value)
    assert "registry-sample.csv:" in str(raised.value)
    assert all_quads(disk_graph) == before


def test_post_load_answers_422_and_writes_nothing() -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        before = all_quads(graph)
        body = bad_text('party:beta a tm:Compnay ; schema:name "Beta" .').encode()
        answer = Client(graph).post("/load", body, "text/turtle")
        assert answer.status_code == 422, answer.text
        assert "tm:Compnay is not a tmkg term; did you mean tm:Company?" in answer.text
        assert all_quads(graph) == before
    finally:
        graph.close()


def test_the_seed_and_the_test_data_use_only_defined_terms() -> None:
    for path in (*seed_files(), DATA / "own-case.ttl", DATA / "second-case.trig"):
        report = validate_quads(list(parse_file(path).quads))
        assert not [v for v in report.violations if "tmkg term" in v], path
